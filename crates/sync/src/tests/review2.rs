//! Second review of per-case keys and audit heads, played by a member with
//! a valid device key (and, for the first test, by honest devices alone).
//! Each test failed on the build it reviewed, and holds the fix.

use caravan_model::Role;

use super::fixture::*;
use crate::audit_anchor::AUDIT_HEADS;
use crate::bundle::{Limits, SignedChange};
use crate::case_keys::{CASE_KEYS, Wrap, case_bytes, key_id};
use crate::replica::Replica;
use crate::team::TEAM_DOC_ID;

fn heads(r: &mut Replica) -> Vec<automerge::ChangeHash> {
    let mut h = r.team.automerge_mut().get_heads();
    h.sort();
    h
}

// ---------------------------------------------------------------------
// 1. `check_wraps` judges a prosecutor's grant against the receiving
//    device's current team document, not the author's view: honest
//    devices reach different verdicts on the same change and diverge.
// ---------------------------------------------------------------------

#[test]
fn review2_a_prosecutors_wrap_and_a_concurrent_withdrawal_leave_devices_on_one_team_document() {
    // Honest clients throughout. A opened c1; the prosecutor was granted it
    // and holds its key.
    let (mut t, c1) = opened_by_a("Name");
    grant(&mut t.admin, &c1, &t.prosecutor);
    send(&mut t.admin, &mut t.prosecutor);
    assert!(t.prosecutor.case(&c1).is_some());
    // A new investigator C is granted c1; the prosecutor hears of it from B
    // (who holds no case) and, sending c1 to A, seals c1's key to C: a
    // wrap change W of the prosecutor's, as its role allows.
    let inv_c = enrol(&mut t.admin, "Investigator Cholpon", Role::Investigator);
    grant(&mut t.admin, &c1, &inv_c);
    send(&mut t.admin, &mut t.inv_b);
    send(&mut t.inv_b, &mut t.prosecutor);
    let before = heads(&mut t.prosecutor);
    let report = send(&mut t.prosecutor, &mut t.inv_a);
    assert!(report.quarantined.is_empty(), "{:?}", codes(&report));
    assert_ne!(
        heads(&mut t.prosecutor),
        before,
        "the prosecutor sealed c1's key to C"
    );
    // Meanwhile the admin takes the prosecutor off c1, and hears of W only
    // after that; A heard of W first, then of the withdrawal.
    let p = member(&t.prosecutor);
    t.admin
        .edit_team(|team, k| team.grant(k, &c1, &p, false, T0))
        .unwrap();
    let at_admin = send(&mut t.prosecutor, &mut t.admin);
    send(&mut t.admin, &mut t.inv_a);
    // They swap again: each holds every change the other has, as far as
    // it can tell.
    send(&mut t.inv_a, &mut t.admin);
    send(&mut t.admin, &mut t.inv_a);
    // A's next team change (the audit head every device records before a
    // bundle that follows new activity) builds on the prosecutor's wrap.
    let head = crate::audit_anchor::AuditHead {
        entries: 12,
        hash: [5; 32],
    };
    t.inv_a.record_audit_head(head, T0).unwrap();
    let later = send(&mut t.inv_a, &mut t.admin);
    send(&mut t.admin, &mut t.inv_a);
    let (admin_heads, a_heads) = (heads(&mut t.admin), heads(&mut t.inv_a));
    assert!(
        at_admin.quarantined.is_empty() && later.quarantined.is_empty() && admin_heads == a_heads,
        "the admin refused the prosecutor's honest wrap, judged against a team \
         document where the grant was already withdrawn ({:?}), which A had \
         accepted; every later team change of A builds on it and is refused \
         too ({:?}): the admin's and A's team documents stay apart for good \
         (admin {admin_heads:?}, A {a_heads:?})",
        codes(&at_admin),
        codes(&later),
    );
}

// ---------------------------------------------------------------------
// 2. Epochs saturate: a key at epoch u32::MAX with a large id is never
//    outranked, so honest devices rotate at every export, for ever.
// ---------------------------------------------------------------------

/// A well-formed wrap of `key` (epoch `epoch`) of `case`, by `r` to
/// itself, written in its own slot and signed: what any member who may
/// access the case can write.
fn own_wrap(r: &mut Replica, case: &str, epoch: u32, key: &[u8; 32]) {
    let me = r.keys.public();
    let mut wrap = Wrap {
        case: case_bytes(case).unwrap(),
        epoch,
        key_id: key_id(&r.team_id, &case_bytes(case).unwrap(), epoch, key),
        recipient: me.id,
        writer: me.id,
        sealed: Vec::new(),
        mac: [0; 32],
    };
    wrap.mac = crate::case_keys::key_mac(&r.team_id, key, &wrap);
    let mut aad = b"caravan/case-key/v1\0".to_vec();
    aad.extend_from_slice(&r.team_id.0);
    aad.extend_from_slice(&wrap.case);
    aad.extend_from_slice(&wrap.epoch.to_be_bytes());
    aad.extend_from_slice(&wrap.key_id);
    aad.extend_from_slice(&wrap.recipient.0);
    wrap.sealed = crate::crypto::seal_to(&me.agreement, &aad, key).unwrap();
    r.write_wraps(&[wrap], T0).unwrap();
}

#[test]
fn review2_a_key_at_the_last_epoch_does_not_make_honest_devices_rotate_at_every_export() {
    let (mut t, c1) = shared();
    // B, granted c1, makes a key at epoch u32::MAX (its client's choice)
    // whose id begins ff ff (65,536 tries on average), seals it to itself
    // alone and sends that one well-formed wrap of an entitled member.
    let case = case_bytes(&c1).unwrap();
    let mut key = [0u8; 32];
    for n in 0u64.. {
        key[..8].copy_from_slice(&n.to_be_bytes());
        if key_id(&t.inv_b.team_id, &case, u32::MAX, &key)[..2] == [0xff, 0xff] {
            break;
        }
    }
    own_wrap(&mut t.inv_b, &c1, u32::MAX, &key);
    let c = t
        .inv_b
        .team
        .automerge_mut()
        .get_last_local_change()
        .unwrap()
        .clone();
    let wrap = signed(&t.inv_b, TEAM_DOC_ID, &c);
    let bundle = crafted_bundle(&mut t.inv_b, &t.admin, vec![wrap], Vec::new());
    let report = t.admin.import(&bundle, &Limits::default()).unwrap();
    assert!(report.quarantined.is_empty(), "{:?}", codes(&report));
    // The admin cannot open B's key, the newest: it makes the next epoch,
    // which saturates at u32::MAX and, with a random id, ranks below B's.
    // Once is expected; after that nothing changed, and nothing should.
    assert_no_rotation_at_every_export(
        &mut t,
        &c1,
        "; every device that may see c1 does the same, for ever, and the team \
         document grows with each",
    );
}

// ---------------------------------------------------------------------
// 3. Audit heads: a change under another device's actor with a junk
//    signature is quarantined, and `audit_anchor` reads its head.
// ---------------------------------------------------------------------

/// A team change under `victim`'s actor, made on `by`'s copy of the team
/// document by `f`, with a junk signature (no key of `victim`'s needed).
fn forged_under(
    by: &mut Replica,
    victim: automerge::ActorId,
    f: impl FnOnce(&mut automerge::AutoCommit),
) -> automerge::Change {
    let mut fork = by.team.automerge_mut().fork().with_actor(victim);
    f(&mut fork);
    fork.commit_with(at_t0());
    fork.get_last_local_change().unwrap().clone()
}

#[test]
fn review2_a_junk_signed_head_under_a_devices_name_does_not_make_its_log_look_rolled_back() {
    let mut t = team();
    send(&mut t.admin, &mut t.inv_b);
    assert_eq!(t.admin.audit_anchor(), None);
    // B writes, under the admin's actor, a head of a million entries. It
    // cannot sign it as the admin: the signature is junk.
    let victim = t.admin.device().to_hex();
    let hash = "ab".repeat(32);
    let admin = t.admin.device().actor();
    let c = forged_under(&mut t.inv_b, admin, |doc| {
        put(doc, &[AUDIT_HEADS, &victim], &format!("v1:1000000:{hash}"))
    });
    let bad = SignedChange {
        bytes: c.raw_bytes().to_vec(),
        signature: vec![7; 64],
    };
    let bundle = crafted_bundle(&mut t.inv_b, &t.admin, vec![bad], Vec::new());
    let report = t.admin.import(&bundle, &Limits::default()).unwrap();
    assert_eq!(codes(&report), ["sync.bad_change_signature"]);
    // The admin's log holds its real entries: verified against this
    // anchor it is reported rolled back (`AuditProblem::RolledBack`).
    assert_eq!(
        t.admin.audit_anchor(),
        None,
        "a head no device signed is taken as the head the admin's peers hold"
    );
}

// ---------------------------------------------------------------------
// 4. `Change::decode` panics on a change that `Change::from_bytes`
//    accepts: an operation naming an actor index past the change's list.
//    `wraps_by_case` (import) and `audit_anchor` decode unjudged
//    changes without catching it.
// ---------------------------------------------------------------------

fn uleb(bytes: &[u8], at: &mut usize) -> u64 {
    let (mut n, mut shift) = (0u64, 0);
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return n;
        }
        shift += 7;
    }
}

/// `c`'s bytes without its list of other actors, so an operation that
/// names one names an index past the list; length and checksum made good.
fn drop_other_actors(c: &automerge::Change) -> Vec<u8> {
    let raw = c.raw_bytes();
    assert_eq!(raw[8], 1, "a change chunk");
    let mut at = 9;
    let len = uleb(raw, &mut at) as usize;
    let data = &raw[at..at + len];
    let mut i = 0;
    let deps = uleb(data, &mut i);
    i += 32 * deps as usize;
    let actor = uleb(data, &mut i);
    i += actor as usize;
    uleb(data, &mut i); // seq
    uleb(data, &mut i); // start op
    uleb(data, &mut i); // time (small positive: one byte group per 7 bits)
    let message = uleb(data, &mut i);
    i += message as usize;
    let others_at = i;
    let others = uleb(data, &mut i);
    assert!(others > 0, "the change names another actor");
    for _ in 0..others {
        let l = uleb(data, &mut i);
        i += l as usize;
    }
    let mut new_data = data[..others_at].to_vec();
    new_data.push(0);
    new_data.extend_from_slice(&data[i..]);
    chunk(1, &new_data)
}

/// A change by `actor_of` (on `by`'s team document) writing a string
/// under `path`, whose operation names an object of an actor the change
/// does not list.
fn undecodable(by: &mut Replica, actor: automerge::ActorId, key: &str) -> automerge::Change {
    let c = forged_under(by, actor, |doc| put(doc, &[CASE_KEYS, key], "v"));
    let mut e = c.decode();
    let stranger = automerge::ActorId::from([9u8; 32].as_slice());
    for op in &mut e.operations {
        op.obj = automerge::legacy::ObjectId::Id(automerge::legacy::OpId::new(1, &stranger));
    }
    let bytes = drop_other_actors(&automerge::Change::from(e));
    let c = automerge::Change::from_bytes(bytes).expect("Automerge accepts the change");
    assert!(
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| c.decode())).is_err(),
        "and panics decoding it"
    );
    c
}

#[test]
fn review2_an_undecodable_team_change_panics_neither_an_import_nor_the_audit_check() {
    let (mut t, c1) = shared();
    // With a section of c1 under a key id the admin does not hold, the
    // admin reads the bundle's team changes for wraps: it decodes them.
    let b = t.inv_b.device().actor();
    let c = undecodable(&mut t.inv_b, b, &c1);
    let section = crate::bundle::CaseSection {
        doc_id: c1.clone(),
        key_id: [7; 16],
        sealed: vec![0; 64],
    };
    let bad = signed(&t.inv_b, TEAM_DOC_ID, &c);
    let bundle = crafted_bundle(&mut t.inv_b, &t.admin, vec![bad], vec![section]);
    let import = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        t.admin.import(&bundle, &Limits::default()).map(|_| ())
    }));
    // The same change under the admin's actor, junk-signed: quarantined,
    // then decoded whenever the admin's audit log is verified.
    let admin = t.admin.device().actor();
    let forged = undecodable(&mut t.inv_b, admin, "x");
    let bad = SignedChange {
        bytes: forged.raw_bytes().to_vec(),
        signature: vec![7; 64],
    };
    let bundle = crafted_bundle(&mut t.inv_b, &t.admin, vec![bad], Vec::new());
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        t.admin.import(&bundle, &Limits::default())
    }));
    let anchor = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| t.admin.audit_anchor()));
    assert!(
        import.is_ok() && anchor.is_ok(),
        "a crafted team change panics: the import of a bundle with a case \
         section ({}), the audit anchor read by `audit_verify` ({})",
        if import.is_ok() {
            "no panic"
        } else {
            "panicked"
        },
        if anchor.is_ok() {
            "no panic"
        } else {
            "panicked"
        },
    );
}
