//! Online sessions over in-memory pipes: convergence, the same trust checks
//! as bundles, termination despite quarantine, and refused frames.

use caravan_model::Edit;

use super::fixture::*;
use crate::error::SyncError;
use crate::identity::DeviceKeys;
use crate::import::ImportReport;
use crate::replica::Replica;
use crate::session::{PREFIX_LEN, Session, frame_len};
use crate::team::Team as TeamDocument;

const MAX_ROUNDS: usize = 100;

/// Which side refused a frame, and why.
type Refused = (char, SyncError);

/// Shuttles frames between two sessions until both are done and nothing
/// is in transit; panics if that takes more than `MAX_ROUNDS` rounds.
pub(super) fn pump(
    a: &mut Replica,
    sa: &mut Session,
    b: &mut Replica,
    sb: &mut Session,
) -> Result<usize, Refused> {
    let mut to_a: Vec<Vec<u8>> = Vec::new();
    let mut to_b: Vec<Vec<u8>> = Vec::new();
    for round in 0..MAX_ROUNDS {
        while let Some(f) = sa.poll(a).map_err(|e| ('a', e))? {
            to_b.push(f);
        }
        while let Some(f) = sb.poll(b).map_err(|e| ('b', e))? {
            to_a.push(f);
        }
        if to_a.is_empty() && to_b.is_empty() && sa.is_done() && sb.is_done() {
            return Ok(round);
        }
        for f in std::mem::take(&mut to_b) {
            sb.receive(b, &f).map_err(|e| ('b', e))?;
        }
        for f in std::mem::take(&mut to_a) {
            sa.receive(a, &f).map_err(|e| ('a', e))?;
        }
    }
    panic!("the session did not end within {MAX_ROUNDS} rounds: {sa:?} {sb:?}");
}

/// A whole session; returns the bytes of every frame that crossed.
fn session_bytes(a: &mut Replica, b: &mut Replica) -> usize {
    let mut sa = Session::new(a, Some(member(b)), T0).unwrap();
    let mut sb = Session::new(b, Some(member(a)), T0).unwrap();
    let mut bytes = 0;
    for _ in 0..MAX_ROUNDS {
        let to_b: Vec<Vec<u8>> = std::iter::from_fn(|| sa.poll(a).unwrap()).collect();
        let to_a: Vec<Vec<u8>> = std::iter::from_fn(|| sb.poll(b).unwrap()).collect();
        if to_a.is_empty() && to_b.is_empty() && sa.is_done() && sb.is_done() {
            assert!(sa.report().quarantined.is_empty() && sb.report().quarantined.is_empty());
            return bytes;
        }
        for f in to_b {
            bytes += f.len();
            sb.receive(b, &f).unwrap();
        }
        for f in to_a {
            bytes += f.len();
            sa.receive(a, &f).unwrap();
        }
    }
    panic!("the session did not end within {MAX_ROUNDS} rounds");
}

/// A whole session; returns what each side took in.
pub(super) fn sync(a: &mut Replica, b: &mut Replica) -> (ImportReport, ImportReport) {
    let mut sa = Session::new(a, Some(member(b)), T0).unwrap();
    let mut sb = Session::new(b, Some(member(a)), T0).unwrap();
    pump(a, &mut sa, b, &mut sb).unwrap();
    (sa.report().clone(), sb.report().clone())
}

/// The code of `s`'s refusal of `frame`.
fn refusal(s: &mut Session, r: &mut Replica, frame: &[u8]) -> &'static str {
    s.receive(r, frame).unwrap_err().code()
}

fn set_title(r: &mut Replica, case: &str, title: &str) {
    r.edit_case(
        case,
        Edit::Set {
            path: "header/title".parse().unwrap(),
            value: title.into(),
        },
        T0,
        catalog(),
    )
    .unwrap();
}

#[test]
fn devices_that_diverged_offline_converge() {
    let (mut t, c1) = shared();
    add_victim(&mut t.inv_a, &c1, "v2", "Aigul");
    set_title(&mut t.inv_a, &c1, "Title from A");
    add_victim(&mut t.inv_b, &c1, "v3", "Dana");
    set_title(&mut t.inv_b, &c1, "Title from B");
    // B also opens a case of its own, which A may not see, and A one B is granted.
    let b_only = open_case(&mut t.inv_b, B_ONLY);
    let c2 = open_case(&mut t.inv_a, C2);
    add_victim(&mut t.inv_a, &c2, "x", "X");
    grant(&mut t.admin, &c2, &t.inv_b);
    send(&mut t.admin, &mut t.inv_a);

    let (at_a, at_b) = sync(&mut t.inv_a, &mut t.inv_b);
    assert!(
        at_a.quarantined.is_empty() && at_b.quarantined.is_empty(),
        "{at_a:?} {at_b:?}"
    );
    for case in [&c1, &c2] {
        let mut a = t.inv_a.case(case).unwrap();
        let mut b = t.inv_b.case(case).unwrap();
        assert_eq!(a.heads(), b.heads(), "{case}");
        assert_eq!(a.case().unwrap(), b.case().unwrap(), "{case}");
    }
    assert_eq!(t.inv_a.heads("team"), t.inv_b.heads("team"));
    let case = t.inv_a.case(&c1).unwrap();
    let victims = case.case().unwrap().victims;
    assert!(["v1", "v2", "v3"].iter().all(|v| victims.contains_key(*v)));
    // The same-field edits became one open conflict, decided by no one.
    let conflicts = case.conflicts();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].values.len(), 2);
    assert!(
        t.inv_a.case(&b_only).is_none(),
        "A may not see B's own case"
    );
    // What each side now knows the other holds, for later bundles.
    let heads = t.inv_a.heads(&c1).unwrap();
    assert_eq!(t.inv_a.peer_heads[&(member(&t.inv_b), c1.clone())], heads);
    assert_eq!(t.inv_b.peer_heads[&(member(&t.inv_a), c1.clone())], heads);
    // A second session finds nothing to do.
    let (again_a, again_b) = sync(&mut t.inv_a, &mut t.inv_b);
    assert_eq!((again_a.applied, again_b.applied), (0, 0));
}

#[test]
fn a_case_the_peer_may_not_see_is_not_sent() {
    let mut t = team();
    // A was enrolled before B: it learns of B from the admin first.
    send(&mut t.admin, &mut t.inv_a);
    let secret = open_case(&mut t.inv_a, SECRET);
    add_victim(&mut t.inv_a, &secret, "v1", "Hidden");
    let (_, at_b) = sync(&mut t.inv_a, &mut t.inv_b);
    assert!(t.inv_b.case(&secret).is_none());
    assert!(!at_b.docs_changed.contains(&secret.clone()));
    assert_eq!(at_b.not_permitted, 0, "not even offered");
    // The supervisor sees every case: the whole case reaches it.
    let (_, at_admin) = sync(&mut t.inv_a, &mut t.admin);
    assert_eq!(
        at_admin.applied, 3,
        "the case's two changes and A's wraps of its key"
    );
    let mut a = t.inv_a.case(&secret).unwrap();
    assert_eq!(t.admin.case(&secret).unwrap().heads(), a.heads());
    // The supervisor does not pass it on to a prosecutor who was not granted it.
    sync(&mut t.admin, &mut t.prosecutor);
    assert!(t.prosecutor.case(&secret).is_none());
}

#[test]
fn a_forged_write_is_quarantined_and_the_session_still_ends() {
    let (mut t, c1) = shared();
    prosecutor_renames_v1(&mut t, &c1, "changed by prosecutor");
    // Meanwhile a valid change reached the admin, which the prosecutor lacks.
    add_victim(&mut t.inv_a, &c1, "v5", "Later");
    send(&mut t.inv_a, &mut t.admin);
    let (at_p, at_admin) = sync(&mut t.prosecutor, &mut t.admin);
    assert_eq!(codes(&at_admin), ["policy.denied"]);
    assert!(at_p.quarantined.is_empty());
    assert_eq!(
        at_p.applied, 1,
        "the valid change still flowed the other way"
    );
    let case = case_of(&t.admin, &c1);
    assert_eq!(case.victims["v1"].pseudonym, "V-v1");
    // The prosecutor keeps writing on top of its forgery; the next session
    // quarantines what builds on it and ends too.
    forge(&mut t.prosecutor, &c1, |d| {
        put(d, &["header", "title"], "also forged")
    });
    let (_, again) = sync(&mut t.prosecutor, &mut t.admin);
    assert_eq!(codes(&again), ["sync.depends_on_quarantined"]);
    assert_eq!(t.admin.quarantine().len(), 2);
}

/// A device that holds none of a case receives it as a whole document
/// (format 4); a modified client hides a change of its own in it that no
/// signature vouches for. That change is refused, the signed rest lands.
#[test]
fn an_unsigned_change_inside_a_whole_document_is_refused_and_the_rest_lands() {
    let mut t = team();
    let mut sup = enrol(
        &mut t.admin,
        "Supervisor Sabina",
        caravan_model::Role::Supervisor,
    );
    send(&mut t.admin, &mut sup);
    send(&mut t.admin, &mut t.inv_a);
    let c1 = open_case(&mut t.inv_a, C1);
    add_victim(&mut t.inv_a, &c1, "v2", "Signed");
    let hidden = craft(
        &mut t.inv_a,
        &c1,
        |d| put(d, &["header", "title"], "unsigned"),
        |_| {},
    );
    t.inv_a
        .cases
        .get_mut(&c1)
        .unwrap()
        .apply_changes([hidden.clone()])
        .unwrap();
    assert!(sup.case(&c1).is_none(), "the supervisor holds none of c1");
    let (_, at_sup) = sync(&mut t.inv_a, &mut sup);
    assert_eq!(codes(&at_sup), ["sync.bad_change_signature"], "{at_sup:?}");
    assert_eq!(at_sup.quarantined[0].hash, hidden.hash().to_string());
    let case = case_of(&sup, &c1);
    assert!(case.victims.contains_key("v2"));
    assert_ne!(case.header.title, "unsigned");
}

/// A member's modified client sends a case message whose compressed
/// plaintext states more than a frame may expand to, or states no size:
/// refused before anything is expanded, and nothing is taken.
#[test]
fn a_compressed_case_message_past_the_frames_limit_is_refused_before_it_is_expanded() {
    use crate::session::wire::{Body, DocMessage};
    // A zstd frame that states 1 GiB and holds one empty raw block.
    let mut stated = vec![0x28, 0xb5, 0x2f, 0xfd, 0xe0];
    stated.extend_from_slice(&(1u64 << 30).to_le_bytes());
    stated.extend_from_slice(&[0x01, 0x00, 0x00]);
    assert_eq!(
        zstd::zstd_safe::get_frame_content_size(&stated).ok(),
        Some(Some(1 << 30))
    );
    // One that states less than a frame may expand to, but far more than
    // its own size could honestly expand to: refused before allocating.
    let mut implausible = stated.clone();
    implausible[5..13].copy_from_slice(&(200u64 << 20).to_le_bytes());
    let unstated = zstd::stream::encode_all(&b"no size stated"[..], 3).unwrap();
    for (plain, code) in [
        (stated, "sync.too_large"),
        (implausible, "sync.malformed"),
        (unstated, "sync.malformed"),
    ] {
        let (mut t, c1) = shared();
        let heads = t.admin.heads(&c1);
        let (mut sa, mut sb) = handshake(&mut t.inv_a, &mut t.admin);
        let (key_id, sealed) = t.inv_a.seal_case(&c1, &plain).unwrap().unwrap();
        let body = Body::Sync {
            docs: vec![DocMessage {
                doc_id: c1.clone(),
                message: sealed,
                signatures: Vec::new(),
                key_id: Some(key_id),
            }],
        };
        let frame = sa.seal_crafted(&t.inv_a, &body).unwrap();
        assert_eq!(refusal(&mut sb, &mut t.admin, &frame), code);
        assert_eq!(t.admin.heads(&c1), heads, "nothing was taken");
        assert!(t.admin.quarantine().is_empty());
    }
}

/// A member's modified client sends a Hello whose compressed body expands
/// to megabytes (a Hello is a few fields): refused before it is expanded
/// past what a handshake frame may hold, and the peer's own Hello still
/// starts the session.
#[test]
fn a_hello_that_expands_past_a_handshake_is_refused() {
    let (mut t, _) = shared();
    let mut sa = Session::new(&t.inv_a, None, T0).unwrap();
    let mut sb = Session::new(&t.admin, None, T0).unwrap();
    let bomb = zstd::bulk::compress(&vec![0u8; 8 << 20], 3).unwrap();
    let hello = sa.hello_with_body(&t.inv_a, &bomb).unwrap();
    assert_eq!(refusal(&mut sb, &mut t.admin, &hello), "sync.too_large");
    // Nothing was bound: an honest Hello is still taken.
    let mut honest = Session::new(&t.inv_a, None, T0).unwrap();
    let hello = honest.poll(&mut t.inv_a).unwrap().unwrap();
    sb.receive(&mut t.admin, &hello).unwrap();
}

#[test]
fn replayed_and_reordered_frames_are_refused() {
    let (mut t, c1) = shared();
    add_victim(&mut t.inv_a, &c1, "v2", "New");
    let mut sa = Session::new(&t.inv_a, None, T0).unwrap();
    let mut sb = Session::new(&t.admin, None, T0).unwrap();
    let ha = sa.poll(&mut t.inv_a).unwrap().unwrap();
    let hb = sb.poll(&mut t.admin).unwrap().unwrap();
    sb.receive(&mut t.admin, &ha).unwrap();
    let err = sb.receive(&mut t.admin, &ha).unwrap_err();
    assert_eq!(err.code(), "sync.replayed_frame");
    sa.receive(&mut t.inv_a, &hb).unwrap();
    let pa = sa.poll(&mut t.inv_a).unwrap().unwrap();
    let first_sync = sa.poll(&mut t.inv_a).unwrap();
    assert!(
        first_sync.is_none(),
        "no data before the peer has proven itself"
    );
    let pb = sb.poll(&mut t.admin).unwrap().unwrap();
    sa.receive(&mut t.inv_a, &pb).unwrap();
    let data = sa.poll(&mut t.inv_a).unwrap().unwrap();
    // Data before the proof it follows: reordered.
    assert_eq!(refusal(&mut sb, &mut t.admin, &data), "sync.replayed_frame");
    sb.receive(&mut t.admin, &pa).unwrap();
    sb.receive(&mut t.admin, &data).unwrap();
    assert_eq!(refusal(&mut sb, &mut t.admin, &data), "sync.replayed_frame");
    // Refused frames changed nothing: the session carries on to the end.
    pump(&mut t.inv_a, &mut sa, &mut t.admin, &mut sb).unwrap();
    assert!(case_of(&t.admin, &c1).victims.contains_key("v2"));
    // A frame of this session replayed into a new one is refused too.
    let mut fresh = Session::new(&t.admin, None, T0).unwrap();
    fresh.receive(&mut t.admin, &ha).unwrap();
    assert_eq!(refusal(&mut fresh, &mut t.admin, &pa), "sync.bad_signature");
}

#[test]
fn every_flipped_byte_and_truncation_of_a_frame_is_refused() {
    let (mut t, c1) = shared();
    add_victim(&mut t.inv_a, &c1, "v2", "Flip");
    let (mut sa, mut sb) = handshake(&mut t.inv_a, &mut t.admin);
    let frame = sa.poll(&mut t.inv_a).unwrap().unwrap();
    assert_eq!(frame_len(&frame[..PREFIX_LEN]).unwrap(), Some(frame.len()));
    for i in 0..frame.len() {
        let mut bad = frame.clone();
        bad[i] ^= 0x01;
        let err = sb
            .receive(&mut t.admin, &bad)
            .expect_err(&format!("flip at {i} was accepted"));
        let allowed = [
            "sync.bad_signature",
            "sync.malformed",
            "sync.truncated",
            "sync.too_large",
            "sync.future_version",
            "sync.wrong_team",
            "sync.replayed_frame",
        ];
        assert!(allowed.contains(&err.code()), "flip at {i}: {}", err.code());
        if i > 100 {
            assert_eq!(err.code(), "sync.bad_signature", "flip at {i}");
        }
    }
    for len in (0..frame.len()).step_by(11) {
        let err = sb.receive(&mut t.admin, &frame[..len]).unwrap_err();
        assert!(
            ["sync.truncated", "sync.malformed"].contains(&err.code()),
            "cut at {len}: {}",
            err.code()
        );
    }
    let mut future = frame.clone();
    future[8..10].copy_from_slice(&(crate::session::VERSION + 1).to_be_bytes());
    assert_eq!(
        refusal(&mut sb, &mut t.admin, &future),
        "sync.future_version"
    );
    let mut huge = frame.clone();
    huge[10..14].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(refusal(&mut sb, &mut t.admin, &huge), "sync.too_large");
    assert_eq!(
        frame_len(&huge[..PREFIX_LEN]).unwrap_err().code(),
        "sync.too_large"
    );
    // Nothing was applied; the intact frame is still accepted and the session ends.
    assert!(t.admin.quarantine().is_empty());
    sb.receive(&mut t.admin, &frame).unwrap();
    pump(&mut t.inv_a, &mut sa, &mut t.admin, &mut sb).unwrap();
    assert!(case_of(&t.admin, &c1).victims.contains_key("v2"));
}

#[test]
fn a_device_of_another_team_is_refused() {
    let (mut t, _) = shared();
    let mut other = other_team();
    let mut so = Session::new(&other, None, T0).unwrap();
    let mut sa = Session::new(&t.admin, None, T0).unwrap();
    let hello = so.poll(&mut other).unwrap().unwrap();
    assert_eq!(refusal(&mut sa, &mut t.admin, &hello), "sync.wrong_team");
    let back = sa.poll(&mut t.admin).unwrap().unwrap();
    assert_eq!(refusal(&mut so, &mut other, &back), "sync.wrong_team");
}

#[test]
fn a_device_not_enrolled_is_refused_even_with_the_team_key() {
    let (mut t, _) = shared();
    // A copy of the team document and key, as on a stolen backup, under new device keys.
    let team = TeamDocument::from_automerge(t.admin.team.automerge().clone());
    let key = t.admin.team_key(1).unwrap().clone();
    let mut outsider = Replica::assemble(
        DeviceKeys::generate().unwrap(),
        t.admin.team_id(),
        team,
        [key],
    );
    let mut so = Session::new(&outsider, None, T0).unwrap();
    let mut sa = Session::new(&t.admin, None, T0).unwrap();
    let hello = so.poll(&mut outsider).unwrap().unwrap();
    assert_eq!(
        refusal(&mut sa, &mut t.admin, &hello),
        "sync.unknown_sender"
    );
}

#[test]
fn a_revoked_device_is_refused() {
    let (mut t, c1) = shared();
    revoke_b_then_b_writes(&mut t, &c1);
    let mut sb = Session::new(&t.inv_b, None, T0).unwrap();
    let mut sadmin = Session::new(&t.admin, None, T0).unwrap();
    let hb = sb.poll(&mut t.inv_b).unwrap().unwrap();
    let hadmin = sadmin.poll(&mut t.admin).unwrap().unwrap();
    assert_eq!(
        refusal(&mut sadmin, &mut t.admin, &hb),
        "sync.sender_revoked"
    );
    // The admin speaks under the new key, which B does not hold.
    assert_eq!(refusal(&mut sb, &mut t.inv_b, &hadmin), "sync.no_key");
    // A who has not heard of it syncs with B, then with the admin: B's
    // change after its cut-off is quarantined there, and the session ends.
    sync(&mut t.inv_b, &mut t.inv_a);
    let (at_a, at_admin) = sync(&mut t.inv_a, &mut t.admin);
    assert_eq!(codes(&at_admin), ["sync.revoked_device"]);
    assert!(at_a.docs_changed.contains(&"team".to_string()));
    // A picked up the new key from the team document and now refuses B too.
    assert!(t.inv_a.team_key(2).is_some());
    let mut sa = Session::new(&t.inv_a, None, T0).unwrap();
    let mut sb = Session::new(&t.inv_b, None, T0).unwrap();
    let hb = sb.poll(&mut t.inv_b).unwrap().unwrap();
    sa.poll(&mut t.inv_a).unwrap();
    assert_eq!(refusal(&mut sa, &mut t.inv_a, &hb), "sync.sender_revoked");
}

#[test]
fn a_device_that_missed_a_key_rotation_reads_the_hello() {
    let (mut t, _) = shared();
    t.admin.rotate(T0).unwrap();
    assert!(t.inv_a.team_key(2).is_none());
    let (at_a, _) = sync(&mut t.inv_a, &mut t.admin);
    assert!(at_a.quarantined.is_empty());
    assert!(t.inv_a.team_key(2).is_some());
    assert_eq!(t.inv_a.heads("team"), t.admin.heads("team"));
}

/// Sessions after the first open only the cases that changed since (each
/// side's record of the other is checked against the other's digest of
/// what it holds); a device restored from a backup taken before, whose
/// peer's record of it is now wrong, still gets everything it lacks.
#[test]
fn a_later_session_opens_only_what_changed_and_a_restored_copy_still_catches_up() {
    let (mut t, mut sup) = with_supervisor();
    send(&mut t.admin, &mut sup);
    send(&mut t.admin, &mut t.inv_a);
    let cases: Vec<String> = (0..40)
        .map(|i| {
            let c = open_case(&mut t.inv_a, &format!("case {i}"));
            add_victim(&mut t.inv_a, &c, "v1", "Name");
            c
        })
        .collect();
    let (a, s) = (&mut t.inv_a, &mut sup);
    session_bytes(a, s);
    let backup = copy_of(s);
    set_title(a, &cases[3], "Edited after the backup");
    session_bytes(a, s);

    // One case changed: the next session opens it alone.
    set_title(a, &cases[5], "Edited again");
    let in_step = session_bytes(a, s);
    assert_eq!(a.heads(&cases[5]), s.heads(&cases[5]));
    // The same change again, with neither side's record of the other: every
    // case is opened.
    set_title(a, &cases[6], "Edited again");
    let (ma, ms) = (member(a), member(s));
    a.peer_heads.retain(|(m, _), _| *m != ms);
    s.peer_heads.retain(|(m, _), _| *m != ma);
    let every_case = session_bytes(a, s);
    assert_eq!(a.heads(&cases[6]), s.heads(&cases[6]));
    // The handshake and the team document cost the same either way.
    assert!(
        in_step * 3 < every_case,
        "{in_step} bytes with exact records, {every_case} without"
    );

    // The supervisor's laptop is restored from the backup: A's record of
    // it is wrong now, and the digests tell.
    let mut restored = backup;
    assert_ne!(restored.heads(&cases[3]), a.heads(&cases[3]));
    session_bytes(&mut t.inv_a, &mut restored);
    for c in &cases {
        assert_eq!(restored.heads(c), t.inv_a.heads(c), "{c}");
    }
}

/// A session stays open after both sides are done: an edit made on one
/// side afterwards reaches the other through the same session, and the
/// session ends again.
#[test]
fn an_edit_after_the_first_round_arrives_through_the_same_session() {
    let (mut t, c1) = shared();
    let mut sa = Session::new(&t.inv_a, Some(member(&t.inv_b)), T0).unwrap();
    let mut sb = Session::new(&t.inv_b, Some(member(&t.inv_a)), T0).unwrap();
    pump(&mut t.inv_a, &mut sa, &mut t.inv_b, &mut sb).unwrap();
    assert!(sa.is_done() && sb.is_done());
    let applied_before = sb.report().applied;

    set_title(&mut t.inv_a, &c1, "Edited while connected");
    let c2 = open_case(&mut t.inv_a, C2);
    grant(&mut t.admin, &c2, &t.inv_b);
    send(&mut t.admin, &mut t.inv_a);
    pump(&mut t.inv_a, &mut sa, &mut t.inv_b, &mut sb).unwrap();

    assert_eq!(t.inv_a.heads(&c1), t.inv_b.heads(&c1));
    assert_eq!(t.inv_a.heads("team"), t.inv_b.heads("team"));
    assert_eq!(t.inv_a.heads(&c2), t.inv_b.heads(&c2), "a case made later");
    assert!(sb.report().applied > applied_before);
    assert!(sa.report().quarantined.is_empty() && sb.report().quarantined.is_empty());
}
