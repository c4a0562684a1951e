//! Review of per-case keys (H7), played by a member with a valid device
//! key. Each test crafts the attacker's bytes with its real key; each
//! failed on the first build of case keys, and holds the fix.

use automerge::ReadDoc;
use caravan_model::Role;

use super::fixture::*;
use crate::bundle::Limits;
use crate::case_keys::{CASE_KEYS, read_wraps};
use crate::crypto::sha256;
use crate::identity::DeviceId;
use crate::replica::Replica;
use crate::team::{Standing, TEAM_DOC_ID};

/// A team with a supervisor; A opened c1 with a victim and sent it to the
/// admin, so c1 has a key sealed to A, the admin and the supervisor; every
/// device holds the team document with those wraps. B (an investigator)
/// was never granted c1.
fn keyed() -> (Team, Replica, String) {
    let (mut t, mut sup) = with_supervisor();
    let c1 = a_opens(&mut t, "Zarina Canary-Name");
    send(&mut t.admin, &mut sup);
    send(&mut t.admin, &mut t.inv_b);
    send(&mut t.admin, &mut t.prosecutor);
    send(&mut t.admin, &mut t.inv_a);
    assert!(t.inv_b.case(&c1).is_none());
    (t, sup, c1)
}

/// The current key id of `case` as `r`'s team document shows it (every
/// wrap there is of the one key).
fn key_id_of(r: &Replica, case: &str) -> [u8; 16] {
    let wraps = read_wraps(r.team.automerge(), case);
    assert!(!wraps.is_empty());
    wraps.iter().map(|w| w.key_id).max().unwrap()
}

/// Where `writer`'s wrap of key `key_id` for `recipient` is stored
/// (`case_keys::slot`, recomputed from public values).
fn slot_of(case: &str, key_id: &[u8; 16], recipient: &DeviceId, writer: &DeviceId) -> String {
    let h = sha256(&[key_id, &recipient.0, &writer.0]);
    format!("{case}{}", hex::encode(&h[..12]))
}

/// What a modified client writes: `value` under `case_keys/<slot>` of its
/// team document (a Create, which the policy lets every role make), signed
/// with its device key like any change of its own.
fn write_slots(r: &mut Replica, slots: &[String], value: &str) {
    let before = r.team.automerge_mut().get_heads();
    let doc = r.team.automerge_mut();
    for s in slots {
        put(doc, &[CASE_KEYS, s], value);
    }
    doc.commit_with(at_t0());
    r.sign_new(TEAM_DOC_ID, &before).unwrap();
}

/// B fills, ahead of time, the slot where each device that may see c1
/// would store its wrap of c1's current key for the prosecutor.
fn preempt_prosecutor_slots(t: &mut Team, sup: &Replica, c1: &str) {
    let key = key_id_of(&t.inv_b, c1);
    let p = t.prosecutor.device();
    let slots: Vec<String> = [t.admin.device(), t.inv_a.device(), sup.device()]
        .iter()
        .map(|w| slot_of(c1, &key, &p, w))
        .collect();
    write_slots(&mut t.inv_b, &slots, "00");
    let report = send(&mut t.inv_b, &mut t.admin);
    assert_eq!(codes(&report), [crate::refusal::Refusal::BadKeyWrap.code()]);
    send(&mut t.admin, &mut t.inv_a);
}

#[test]
fn review_h7_junk_in_another_devices_slot_is_refused_and_the_admins_later_changes_land() {
    let (mut t, sup, c1) = keyed();
    preempt_prosecutor_slots(&mut t, &sup, &c1);
    grant(&mut t.admin, &c1, &t.prosecutor);
    // B's junk never landed (a slot holds only its writer's own wrap): the
    // admin seals c1's key to the prosecutor in that slot, and every
    // device takes it.
    let report = send(&mut t.admin, &mut t.prosecutor);
    assert!(report.quarantined.is_empty(), "{:?}", codes(&report));
    // The admin learns B's device was stolen and revokes it; the revocation
    // (and every later team change of the admin) builds on the refused
    // change.
    let b = t.inv_b.device();
    t.admin.revoke(&b, Some("stolen".into()), T0).unwrap();
    let report = send(&mut t.admin, &mut t.prosecutor);
    let standing = t.prosecutor.team().unwrap().standing(&b);
    assert!(
        matches!(standing, Standing::Revoked { .. }),
        "B's device stays active for the prosecutor: the admin's revocation \
         was quarantined ({:?})",
        codes(&report)
    );
}

/// Every case section of `bundle` that `reader` can open with the team
/// keys and case keys it holds (or can open from its own team document).
fn readable(reader: &mut Replica, bundle: &[u8]) -> Vec<u8> {
    let parsed = crate::bundle::parse(bundle, &Limits::default()).unwrap();
    let aad_len = parsed.signed.len() - parsed.body.len();
    let keys: Vec<_> = reader.team_keys.values().cloned().collect();
    let mut out = Vec::new();
    for key in keys {
        let Some(plain) = crate::crypto::open(&key.key, &parsed.signed[..aad_len], parsed.body)
        else {
            continue;
        };
        let plain = crate::bundle::crafted::expand(&plain);
        let body: crate::bundle::Body<crate::bundle::DocEntry> =
            postcard::from_bytes(&plain).unwrap();
        for s in &body.cases {
            if let Some(p) = reader.open_case(&s.doc_id, &s.key_id, &s.sealed, &[]) {
                out.extend_from_slice(&crate::bundle::crafted::expand(&p));
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn review_h7_withdrawing_the_member_whose_device_made_the_key_rotates_it() {
    // Honest clients throughout. A opened c1; the prosecutor and B were
    // granted it; A made its first key.
    let (mut t, mut sup) = with_supervisor();
    send(&mut t.admin, &mut sup);
    let c1 = a_opens(&mut t, "Zarina Canary-Name");
    grant(&mut t.admin, &c1, &t.prosecutor);
    grant(&mut t.admin, &c1, &t.inv_b);
    send(&mut t.admin, &mut t.inv_a);
    send(&mut t.inv_a, &mut t.inv_b);
    // The prosecutor is taken off c1. B hears of it first (from the
    // prosecutor, who now holds no case) and is the first to send c1
    // after: it rotates, as it should, to a key of its own making.
    let p = member(&t.prosecutor);
    t.admin
        .edit_team(|team, k| team.grant(k, &c1, &p, false, T0))
        .unwrap();
    send(&mut t.admin, &mut t.prosecutor);
    send(&mut t.prosecutor, &mut t.inv_b);
    send(&mut t.inv_b, &mut t.admin);
    let b_key = t.inv_b.sending_keys[&c1];
    // A new investigator C is granted c1; the admin seals B's key to it.
    let mut inv_c = enrol(&mut t.admin, "Investigator Cholpon", Role::Investigator);
    grant(&mut t.admin, &c1, &inv_c);
    send(&mut t.admin, &mut inv_c);
    assert!(inv_c.case(&c1).is_some());
    // Now B is taken off c1 too. C hears of it from a member who holds no
    // case (the prosecutor), then records a new victim and sends it on.
    let b = member(&t.inv_b);
    t.admin
        .edit_team(|team, k| team.grant(k, &c1, &b, false, T0))
        .unwrap();
    send(&mut t.admin, &mut t.prosecutor);
    send(&mut t.prosecutor, &mut inv_c);
    assert!(!inv_c.team().unwrap().may_access(&b, &c1, None));
    add_victim(&mut inv_c, &c1, "v2", "Madina Later-Name");
    let to_sup = inv_c
        .export(&crate::bundle::Recipient::Member(member(&sup)), T0)
        .unwrap();
    assert!(
        !contains(&readable(&mut t.inv_b, &to_sup), "Madina Later-Name"),
        "B, no longer on c1, reads what C wrote after B was taken off: C \
         still sends c1 under B's key (sent under {}, B's key {})",
        hex::encode(inv_c.sending_keys[&c1]),
        hex::encode(b_key)
    );
}

/// One wrap of `case`, as `r` writes it, changed by `edit` and stored
/// where `slot` says:
/// what a modified client can write under `case_keys`.
fn crafted_wrap(
    r: &mut Replica,
    case: &str,
    recipient: DeviceId,
    edit: impl FnOnce(&mut crate::case_keys::Wrap),
    slot: impl FnOnce(&crate::case_keys::Wrap) -> String,
) {
    use crate::case_keys::{Wrap, case_bytes};
    let before = r.team.automerge_mut().get_heads();
    let wrap = Wrap {
        case: case_bytes(case).unwrap(),
        epoch: 9,
        key_id: crate::crypto::random().unwrap(),
        recipient,
        writer: r.device(),
        sealed: crate::crypto::random::<104>().unwrap().to_vec(),
        mac: [0; 32],
    };
    let mut sw = wrap;
    edit(&mut sw);
    let at = slot(&sw);
    let doc = r.team.automerge_mut();
    put(
        doc,
        &[CASE_KEYS, &at],
        &hex::encode(postcard::to_stdvec(&sw).unwrap()),
    );
    doc.commit_with(at_t0());
    r.sign_new(TEAM_DOC_ID, &before).unwrap();
}

fn own_slot(w: &crate::case_keys::Wrap) -> String {
    slot_of(&hex::encode(w.case), &w.key_id, &w.recipient, &w.writer)
}

#[test]
fn review_h7_a_wrap_that_is_not_its_authors_own_is_refused_at_merge() {
    // Each refused wrap would otherwise sit in the team document for ever,
    // and be looked at (a signature, an X25519 opening) by every device
    // that sends or reads the case.
    type Edit = fn(&mut crate::case_keys::Wrap, DeviceId);
    type Slot = fn(&crate::case_keys::Wrap) -> String;
    let rows: &[(&str, Edit, Slot)] = &[
        (
            "naming another device as its writer",
            |w, admin| w.writer = admin,
            own_slot,
        ),
        (
            "in a slot that is not its own",
            |_, _| {},
            |w| format!("{}{}", hex::encode(w.case), "ab".repeat(12)),
        ),
        (
            "holding something else than one sealed key",
            |w, _| w.sealed.push(0),
            own_slot,
        ),
    ];
    for (what, edit, slot) in rows {
        let (mut t, mut sup, c1) = keyed();
        let admin = t.admin.device();
        let to = sup.device();
        crafted_wrap(&mut t.inv_b, &c1, to, |w| edit(w, admin), slot);
        let before = sup.heads(TEAM_DOC_ID).unwrap();
        let report = send(&mut t.inv_b, &mut sup);
        assert_eq!(
            codes(&report),
            [crate::refusal::Refusal::BadKeyWrap.code()],
            "{what}"
        );
        assert_eq!(sup.heads(TEAM_DOC_ID).unwrap(), before, "{what}");
    }
    // A wrap of B's own, well formed, lands: it is never used, since B may
    // not see c1 (a device that does not hold a case cannot tell who may).
    let (mut t, mut sup, c1) = keyed();
    let to = sup.device();
    crafted_wrap(&mut t.inv_b, &c1, to, |_| {}, own_slot);
    let report = send(&mut t.inv_b, &mut sup);
    assert!(report.quarantined.is_empty(), "{:?}", codes(&report));
}

#[test]
fn review_h7_junk_under_case_keys_is_refused_and_the_team_document_does_not_grow() {
    let (mut t, _sup, _) = keyed();
    // The prosecutor holds no case. It writes 200 random values of 512
    // characters under `case_keys` that are not wraps at all, for a case
    // that does not exist: kept, they would grow the team document every
    // device holds, loads and syncs, for ever.
    let ghost = "0123456789abcdef0123456789abcdef";
    let slots: Vec<String> = (0..200).map(|i| format!("{ghost}{i:024}")).collect();
    let before_heads = t.prosecutor.team.automerge_mut().get_heads();
    let doc = t.prosecutor.team.automerge_mut();
    for s in &slots {
        let junk = hex::encode(crate::crypto::random::<256>().unwrap());
        put(doc, &[CASE_KEYS, s], &junk);
    }
    doc.commit_with(at_t0());
    t.prosecutor.sign_new(TEAM_DOC_ID, &before_heads).unwrap();
    let before = t.admin.team.automerge_mut().save().len();
    let report = send(&mut t.prosecutor, &mut t.admin);
    let after = t.admin.team.automerge_mut().save().len();
    assert_eq!(codes(&report), [crate::refusal::Refusal::BadKeyWrap.code()]);
    assert_eq!(after, before, "the team document did not grow");
}

/// A change of `r`'s team document made by `f` on a fork (so `r`'s copy is
/// untouched), rewritten by `edit`, and signed with `r`'s device key.
fn crafted_team_change(
    r: &mut Replica,
    f: impl FnOnce(&mut automerge::AutoCommit),
    edit: impl FnOnce(&mut automerge::ExpandedChange),
) -> crate::bundle::SignedChange {
    let actor = r.device().actor();
    let mut fork = r.team.automerge_mut().fork().with_actor(actor);
    f(&mut fork);
    fork.commit_with(at_t0());
    let mut e = fork.get_last_local_change().unwrap().decode();
    edit(&mut e);
    signed(r, TEAM_DOC_ID, &automerge::Change::from(e))
}

fn import_without_panic(r: &mut Replica, bundle: &[u8]) -> Result<Vec<String>, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        r.import(bundle, &Limits::default())
            .map(|rep| codes(&rep).iter().map(|c| c.to_string()).collect())
            .map_err(|e| e.to_string())
    }))
    .map_err(|_| "the import panicked".to_string())?
}

#[test]
fn review_h7_a_crafted_team_change_beside_a_case_section_is_judged_not_applied_to_find_a_key() {
    let (mut t, _sup, c1) = keyed();
    // B writes a team change whose first operation names an object that
    // does not exist: judged, it is refused (`sync.unreadable_change`).
    let bad = crafted_team_change(
        &mut t.inv_b,
        |doc| put(doc, &[CASE_KEYS, "x"], "v"),
        |e| {
            let me = e.actor_id.clone();
            e.operations[0].obj =
                automerge::legacy::ObjectId::Id(automerge::legacy::OpId::new(999, &me));
        },
    );
    let alone = crafted_bundle(&mut t.inv_b, &t.admin, vec![bad.clone()], Vec::new());
    assert_eq!(
        import_without_panic(&mut t.admin, &alone),
        Ok(vec!["sync.unreadable_change".to_string()])
    );
    // With it, a section of c1 under a key id the admin does not hold: the
    // admin applies B's team changes unjudged to a copy of its team
    // document to look for the key, and Automerge panics on that change.
    let section = crate::bundle::CaseSection {
        doc_id: c1.clone(),
        key_id: [7; 16],
        sealed: vec![0; 64],
    };
    let bundle = crafted_bundle(&mut t.inv_b, &t.admin, vec![bad], vec![section]);
    let outcome = import_without_panic(&mut t.admin, &bundle);
    assert!(outcome.is_ok(), "{outcome:?}");
}

#[test]
fn review_h7_a_case_keys_write_flagged_as_an_insertion_is_refused_without_a_panic() {
    let (mut t, _sup, _) = keyed();
    // The prosecutor holds no case. Its team change builds on the team's
    // founding change alone, where `case_keys` did not exist yet, and makes
    // it with an entry (Creates, which every role may make), its map
    // operations flagged `insert` as only list operations are: the policy
    // and the schema pass it, and Automerge panics applying it.
    let actor = t.prosecutor.device().actor();
    let genesis = t.prosecutor.team.automerge_mut().get_changes(&[])[0].hash();
    let mut fork = t
        .prosecutor
        .team
        .automerge_mut()
        .fork_at(&[genesis])
        .unwrap()
        .with_actor(actor);
    put(&mut fork, &[CASE_KEYS, "x"], "v");
    fork.commit_with(at_t0());
    let mut e = fork.get_last_local_change().unwrap().decode();
    for op in &mut e.operations {
        op.insert = true;
    }
    let bad = signed(&t.prosecutor, TEAM_DOC_ID, &automerge::Change::from(e));
    let bundle = crafted_bundle(&mut t.prosecutor, &t.admin, vec![bad], Vec::new());
    let outcome = import_without_panic(&mut t.admin, &bundle);
    assert!(outcome.is_ok(), "{outcome:?}");
}

#[test]
fn review_h7_a_case_record_flagged_as_an_insertion_is_refused_without_a_panic() {
    // Not specific to case keys: the same flag on a new victim record, by
    // an investigator who may write the case, passes every check at merge.
    let (mut t, c1) = shared();
    let b = member(&t.inv_b);
    let c = craft(
        &mut t.inv_b,
        &c1,
        |doc| {
            let (_, victims) = doc.get(automerge::ROOT, "victims").unwrap().unwrap();
            autosurgeon::reconcile_prop(doc, &victims, "v9", victim("v9", "N", &b)).unwrap();
        },
        |e| {
            for op in &mut e.operations {
                if matches!(op.key, automerge::legacy::Key::Map(_)) {
                    op.insert = true;
                }
            }
        },
    );
    let key = t.inv_b.team_keys.values().last().unwrap().clone();
    let meta = crate::bundle::Meta {
        epoch: key.epoch,
        sender: t.inv_b.device(),
        recipient: crate::bundle::Recipient::Member(member(&t.admin)),
        created_at: T0,
    };
    let docs = vec![crate::bundle::DocEntry::signed(
        &c1,
        Vec::new(),
        vec![signed(&t.inv_b, &c1, &c)],
    )];
    let bundle = t.inv_b.seal_docs(&meta, docs, &key, Vec::new());
    let outcome = import_without_panic(&mut t.admin, &bundle);
    assert!(outcome.is_ok(), "{outcome:?}");
}
