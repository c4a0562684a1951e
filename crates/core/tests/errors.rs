//! How a front end presents an error follows from its variant, not from
//! the text of its code.

use caravan_core::sync::SyncError;
use caravan_core::vault::VaultError;
use caravan_core::{CoreError, ErrorKind, all_codes};

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
    let codes = all_codes();
    for (error, kind) in rows {
        assert_eq!(error.kind(), kind, "{}", error.code());
        assert!(codes.contains(&error.code()), "{}", error.code());
    }
}

/// Codes are `area.name` in lower case: the message catalogues key them
/// `error.<code>`, and the UI's `ErrorCode` type lists them.
#[test]
fn every_code_is_area_dot_name() {
    let codes = all_codes();
    assert!(codes.len() > 80, "{}", codes.len());
    for code in &codes {
        let well_formed = code.split_once('.').is_some_and(|(area, name)| {
            [area, name].iter().all(|part| {
                !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
            })
        });
        assert!(well_formed, "{code}");
    }
}
