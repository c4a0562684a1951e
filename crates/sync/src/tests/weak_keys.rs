//! Finding 8 of the trust review: batch and single verification disagreed,
//! and small-order keys were accepted. Each test crafts what a malicious
//! member or applicant would send.

use caravan_model::Role;
use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};
use curve25519_dalek::scalar::Scalar;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use sha2::{Digest, Sha512};

use super::fixture::*;
use crate::identity::{DeviceId, DeviceKeys, PublicDevice};
use crate::join::{JoinRequest, request_message};
use crate::keys::TeamKey;

/// The neutral point's encoding: a key of small order. Under it the
/// signature (R = neutral point, s = 0) passes lax verification for every
/// message — anyone could sign as such a device.
const NEUTRAL: [u8; 32] = {
    let mut b = [0u8; 32];
    b[0] = 1;
    b
};

fn universal_signature() -> [u8; 64] {
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(&NEUTRAL);
    sig
}

/// The request is refused as text, and handed to an admin directly, with
/// the team left as it was.
fn refused_at_enrolment(request: &JoinRequest) {
    let err = JoinRequest::from_text(&request.to_text()).unwrap_err();
    assert_eq!(err.code(), "sync.weak_key");
    let mut t = team();
    let before = t.admin.team().unwrap();
    let err = t
        .admin
        .approve(request, Role::Investigator, T0)
        .unwrap_err();
    assert_eq!(err.code(), "sync.weak_key");
    assert_eq!(t.admin.team().unwrap(), before);
}

#[test]
fn finding_8_a_small_order_signing_key_is_refused_at_enrolment() {
    let sig = universal_signature();
    // What made it dangerous: lax verification accepts one signature for
    // every message under this key.
    let lax = VerifyingKey::from_bytes(&NEUTRAL).unwrap();
    assert!(
        lax.verify(b"any message", &Signature::from_bytes(&sig))
            .is_ok()
    );
    assert!(
        lax.verify(b"any other", &Signature::from_bytes(&sig))
            .is_ok()
    );

    let request = JoinRequest {
        device: PublicDevice {
            id: DeviceId(NEUTRAL),
            agreement: DeviceKeys::generate().unwrap().agreement_public(),
        },
        name: "Mallory".into(),
        label: "laptop".into(),
        signature: sig.to_vec(),
    };
    refused_at_enrolment(&request);
    // And the device's "signature" verifies nowhere in Caravan.
    assert!(!DeviceId(NEUTRAL).verify(b"any message", &sig));
}

#[test]
fn finding_8_a_small_order_agreement_key_is_refused_at_enrolment() {
    // A real signing key, but the X25519 key is the zero point: a team key
    // sealed to it would be readable by anyone.
    let keys = DeviceKeys::generate().unwrap();
    let device = PublicDevice {
        id: keys.id(),
        agreement: [0u8; 32],
    };
    let request = JoinRequest {
        device,
        name: "Mallory".into(),
        label: "laptop".into(),
        signature: keys
            .sign(&request_message(&device, "Mallory", "laptop"))
            .to_vec(),
    };
    refused_at_enrolment(&request);
    // Nothing is ever sealed to such a key.
    let key = TeamKey::generate(1).unwrap();
    assert_eq!(key.seal_for(&device).unwrap_err().code(), "sync.weak_key");
}

/// An Ed25519 signature whose R carries a point of order 2: `s·B - k·A`
/// misses R by that point, so a strict single verification refuses it,
/// while ed25519-dalek's batch verification, which scales each equation by
/// a random-looking 128-bit z drawn from the transcript, accepts it whenever
/// z is even. Made with the signer's real secret, as its owner could;
/// `attempt` varies the nonce so the signer can try until z is even.
fn torsioned_signature(secret: &[u8; 32], message: &[u8], attempt: u32) -> ([u8; 32], [u8; 64]) {
    let h = Sha512::digest(secret);
    let mut a = [0u8; 32];
    a.copy_from_slice(&h[..32]);
    a[0] &= 248;
    a[31] &= 127;
    a[31] |= 64;
    let a = Scalar::from_bytes_mod_order(a);
    let public = (ED25519_BASEPOINT_POINT * a).compress().to_bytes();
    let wide = |parts: &[&[u8]]| {
        let mut d = Sha512::new();
        for p in parts {
            d.update(p);
        }
        let mut out = [0u8; 64];
        out.copy_from_slice(&d.finalize());
        Scalar::from_bytes_mod_order_wide(&out)
    };
    let r = wide(&[&h[32..], &attempt.to_be_bytes(), message]);
    let big_r = (ED25519_BASEPOINT_POINT * r + EIGHT_TORSION[4])
        .compress()
        .to_bytes();
    let k = wide(&[&big_r, &public, message]);
    let s = r + k * a;
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(&big_r);
    sig[32..].copy_from_slice(&s.to_bytes());
    (public, sig)
}

#[test]
fn finding_8_a_signature_only_batch_verification_accepts_is_quarantined() {
    let mut t = team();
    let c1 = open_case(&mut t.inv_a, C1);
    add_victim(&mut t.inv_a, &c1, "v1", "Name");
    // The author replaces its own signature of its newest change by one
    // that cofactored verification accepts and strict verification refuses.
    let case = t.inv_a.cases.get_mut(&c1).unwrap();
    let head = case.get_heads()[0];
    let secret: [u8; 32] = t.inv_a.keys.to_secret_bytes()[..32].try_into().unwrap();
    let message = crate::trust::change_message(&t.inv_a.team_id(), &c1, &head);
    let key = VerifyingKey::from_bytes(&t.inv_a.device().0).unwrap();
    let batch_accepts = |sig: &[u8; 64]| {
        ed25519_dalek::verify_batch(&[message.as_slice()], &[Signature::from_bytes(sig)], &[key])
            .is_ok()
    };
    // About one attempt in two is accepted by the batch: the attacker
    // keeps the first. (Deterministic: the same attempts every run.)
    let sig = (0..64)
        .map(|attempt| {
            let (public, sig) = torsioned_signature(&secret, &message, attempt);
            assert_eq!(public, key.to_bytes(), "signed with the author's real key");
            sig
        })
        .find(|sig| batch_accepts(sig))
        .expect("batch verification accepts one of the attempts");
    assert!(
        key.verify_strict(&message, &Signature::from_bytes(&sig))
            .is_err()
    );
    assert!(key.verify(&message, &Signature::from_bytes(&sig)).is_err());
    t.inv_a.signatures.insert(head, sig);

    let report = send(&mut t.inv_a, &mut t.admin);
    let codes: Vec<&str> = report.quarantined.iter().map(|q| q.code.as_str()).collect();
    assert!(
        codes.contains(&"sync.bad_change_signature"),
        "quarantined: {codes:?}"
    );
    // Every device judges it alike: the victim never arrives anywhere.
    assert!(
        t.admin
            .case(&c1)
            .is_none_or(|c| c.case().unwrap().victims.is_empty())
    );
}

/// A weak key that reached the team document anyway (a malicious admin's
/// change, or a forged join package) must not stop the honest admin from
/// rotating the key or revoking a device; that device gets no copy.
#[test]
fn finding_8_a_weak_key_in_the_team_document_does_not_block_rotation() {
    use automerge::ReadDoc;
    use automerge::transaction::Transactable;
    let mut t = team();
    let victim = t.inv_b.device().to_hex();
    {
        let doc = &mut t.admin.team.doc;
        let (_, devices) = doc.get(automerge::ROOT, "devices").unwrap().unwrap();
        let (_, device) = doc.get(&devices, victim.as_str()).unwrap().unwrap();
        doc.put(&device, "agreement", hex::encode([0u8; 32]))
            .unwrap();
        doc.commit();
    }
    let revoked = t.inv_a.device();
    t.admin
        .revoke(&revoked, None, T0)
        .expect("the rotation goes on for everyone else");
    let team = t.admin.team().unwrap();
    let latest = &team.key_epochs[&crate::team::epoch_key(team.current_epoch())];
    assert!(
        !latest.wraps.contains_key(&victim),
        "no copy for the weak key"
    );
    assert!(latest.wraps.contains_key(&t.prosecutor.device().to_hex()));
}
