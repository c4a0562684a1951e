//! How a front end presents an error follows from its variant, not from
//! the text of its code.

use caravan_core::sync::SyncError;
use caravan_core::vault::VaultError;
use caravan_core::{CoreError, ErrorKind};

#[test]
fn every_error_kind_follows_its_variant() {
    use ErrorKind::{Failure, InUse, Rejected, Verification, WrongSecret};
    let rows: Vec<(CoreError, ErrorKind)> = vec![
        (VaultError::WrongPassphrase.into(), WrongSecret),
        (VaultError::WrongRecoveryCode.into(), WrongSecret),
        (VaultError::InUse.into(), InUse),
        (VaultError::AttachmentHashMismatch.into(), Verification),
        (VaultError::DiskFull.into(), Failure),
        (VaultError::Locked.into(), Rejected),
        (
            SyncError::BadSignature { what: "bundle" }.into(),
            Verification,
        ),
        (
            SyncError::Unreadable { what: "bundle" }.into(),
            Verification,
        ),
        (
            SyncError::OldFormat {
                what: "bundle",
                found: 1,
            }
            .into(),
            Verification,
        ),
        (SyncError::SenderRevoked.into(), Verification),
        (SyncError::Document("x".into()).into(), Failure),
        (SyncError::Random.into(), Failure),
        (SyncError::DeviceCopied.into(), Rejected),
        (
            SyncError::NotQuarantined { change: "c".into() }.into(),
            Rejected,
        ),
        (CoreError::invalid("field", "why"), Rejected),
        (CoreError::NoTeam, Rejected),
        (
            CoreError::file(std::path::Path::new("/x"), &std::io::Error::other("denied")),
            Failure,
        ),
    ];
    for (error, kind) in rows {
        assert_eq!(error.kind(), kind, "{}", error.code());
    }
}
