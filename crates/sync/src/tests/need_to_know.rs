//! Need-to-know in the cryptography (H7): a member who may not access a
//! case cannot obtain a byte of it that it can decrypt — not from a bundle
//! addressed to someone else, not from a session it records, not by
//! sealing a key of its own. Each test plays that member with everything
//! it holds (every team key, its device secret, every case key sealed to
//! it) and looks for a victim's name in all it can decrypt; the same search
//! finds the name for a device that may access the case.

use caravan_model::Role;

use super::fixture::*;
use crate::bundle::{Body, DocEntry, Limits, Recipient, open_meta, parse};
use crate::crypto;
use crate::keys::TeamKey;
use crate::replica::Replica;
use crate::session::Session;
use crate::session::wire::{self, HELLO_BINDING};

const NAME: &str = "Zarina Canary-Name";
const LATER_NAME: &str = "Madina Later-Name";

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Every byte of `bundle` that `reader` can decrypt, and its plaintext
/// parts: the meta and body under each team key it holds, and each case
/// under each key it holds or can open from a wrap sealed to it in its
/// team document or in the bundle's own team changes.
fn readable_in_bundle(reader: &mut Replica, bundle: &[u8]) -> Vec<u8> {
    let parsed = parse(bundle, &Limits::default()).unwrap();
    let mut out = bundle.to_vec();
    let aad_len = parsed.signed.len() - parsed.body.len();
    let keys: Vec<TeamKey> = reader.team_keys.values().cloned().collect();
    for key in keys {
        if let Some(meta) = open_meta(&parsed.header.team_id, &parsed.header.meta, &key) {
            out.extend(format!("{meta:?}").bytes());
        }
        let Some(plain) = crypto::open(&key.key, &parsed.signed[..aad_len], parsed.body) else {
            continue;
        };
        let plain = crate::bundle::crafted::expand(&plain);
        out.extend_from_slice(&plain);
        let body: Body<DocEntry> = postcard::from_bytes(&plain).unwrap();
        let changes: Vec<automerge::Change> = body
            .team
            .into_iter()
            .flat_map(|mut t| t.changes())
            .map(|(c, _)| c)
            .collect();
        let by_case = crate::case_keys::wraps_by_case(&changes);
        for s in &body.cases {
            let extra = crate::case_keys::wraps_for(&by_case, &s.doc_id);
            if let Some(p) = reader.open_case(&s.doc_id, &s.key_id, &s.sealed, &extra) {
                out.extend_from_slice(&crate::bundle::crafted::expand(&p));
            }
        }
    }
    out
}

/// A whole session between `a` and `b`, and every frame that crossed.
fn recorded_session(a: &mut Replica, b: &mut Replica) -> Vec<Vec<u8>> {
    let mut sa = Session::new(a, Some(member(b)), T0).unwrap();
    let mut sb = Session::new(b, Some(member(a)), T0).unwrap();
    let mut tap = Vec::new();
    for _ in 0..100 {
        let (to_b, to_a): (Vec<_>, Vec<_>) = (
            std::iter::from_fn(|| sa.poll(a).unwrap()).collect(),
            std::iter::from_fn(|| sb.poll(b).unwrap()).collect(),
        );
        if to_a.is_empty() && to_b.is_empty() && sa.is_done() && sb.is_done() {
            return tap;
        }
        for f in to_b {
            sb.receive(b, &f).unwrap();
            tap.push(f);
        }
        for f in to_a {
            sa.receive(a, &f).unwrap();
            tap.push(f);
        }
    }
    panic!("the session did not end");
}

/// Every byte of a recorded session that `reader` can decrypt: each frame
/// under each team key it holds (the Hellos give the nonces and devices
/// that bind the later frames), and each case message under each key of
/// that case it can open.
fn readable_in_session(reader: &mut Replica, frames: &[Vec<u8>]) -> Vec<u8> {
    let team_id = reader.team_id();
    let keys: Vec<TeamKey> = reader.team_keys.values().cloned().collect();
    let mut out = Vec::new();
    let mut hellos = Vec::new();
    for f in frames {
        out.extend_from_slice(f);
        let fr = wire::parse(f).unwrap();
        let aad = [&f[..fr.body_start], &HELLO_BINDING[..]].concat();
        for k in keys.iter().filter(|_| fr.counter == 0) {
            if let Some(p) = crypto::open(&k.key, &aad, &f[fr.body_start..fr.sig_start]) {
                let p = inflated(&p);
                out.extend_from_slice(&p);
                if let Ok(wire::Body::Hello(h)) = postcard::from_bytes(&p) {
                    hellos.push((h.device, h.nonce));
                }
            }
        }
    }
    assert_eq!(hellos.len(), 2, "the eavesdropper reads both Hellos");
    let mut case_messages = Vec::new();
    for f in frames {
        let fr = wire::parse(f).unwrap();
        let from = hellos.iter().find(|(d, _)| *d == fr.sender).unwrap();
        let to = hellos.iter().find(|(d, _)| *d != fr.sender).unwrap();
        let binding = wire::binding(&team_id, (&from.0, &from.1), (&to.0, &to.1));
        let aad = [&f[..fr.body_start], &binding[..]].concat();
        for k in &keys {
            let Some(p) = crypto::open(&k.key, &aad, &f[fr.body_start..fr.sig_start]) else {
                continue;
            };
            let p = inflated(&p);
            out.extend_from_slice(&p);
            if let Ok(wire::Body::Sync { docs }) = postcard::from_bytes(&p) {
                case_messages.extend(docs.into_iter().filter(|d| d.key_id.is_some()));
            }
        }
    }
    assert!(!case_messages.is_empty(), "the session carried cases");
    for d in case_messages {
        let id = d.key_id.unwrap();
        if let Some(p) = reader.open_case(&d.doc_id, &id, &d.message, &[]) {
            out.extend_from_slice(&inflated(&p));
        }
    }
    out
}

/// A frame's or case message's plaintext as sealed (compressed since
/// frame version 4), expanded.
fn inflated(sealed_plaintext: &[u8]) -> Vec<u8> {
    zstd::stream::decode_all(sealed_plaintext).expect("compressed plaintext")
}

/// A team with a supervisor; A opened c1 with a victim named `NAME` and
/// granted it to no one.
fn opened() -> (Team, Replica, String) {
    let mut t = team();
    let mut sup = enrol(&mut t.admin, "Supervisor Sabina", Role::Supervisor);
    send(&mut t.admin, &mut t.inv_a);
    send(&mut t.admin, &mut t.inv_b);
    send(&mut t.admin, &mut sup);
    let c1 = open_case(&mut t.inv_a, C1);
    add_victim(&mut t.inv_a, &c1, "v1", NAME);
    (t, sup, c1)
}

#[test]
fn h7_a_bundle_for_another_member_holds_nothing_of_a_case_a_member_may_not_see() {
    let (mut t, mut sup, c1) = opened();
    let to_sup = export_to(&mut t.inv_a, &sup);
    assert!(
        contains(&readable_in_bundle(&mut sup, &to_sup), NAME),
        "the supervisor reads the case"
    );
    // B copies the bundle off the shared stick and tries every key it has.
    assert!(!contains(&readable_in_bundle(&mut t.inv_b, &to_sup), NAME));
    // Importing it, B stores nothing of the case, not even in quarantine.
    let report = t.inv_b.import(&to_sup, &Limits::default()).unwrap();
    assert_eq!(report.not_permitted, 1);
    assert!(t.inv_b.case(&c1).is_none());
    assert!(
        t.inv_b
            .quarantine()
            .iter()
            .all(|q| !contains(&q.bytes, NAME))
    );
    assert!(t.inv_b.held().iter().all(|h| !contains(&h.bytes, NAME)));
    // Holding every team change there is (every wrap of every case key)
    // changes nothing.
    send(&mut t.inv_a, &mut t.admin);
    send(&mut t.admin, &mut t.inv_b);
    assert!(!contains(&readable_in_bundle(&mut t.inv_b, &to_sup), NAME));

    // In plaintext the bundle names no device, member or case.
    for secret in [
        t.inv_a.device().0.to_vec(),
        sup.device().0.to_vec(),
        member(&sup).into_bytes(),
        member(&t.inv_a).into_bytes(),
        c1.clone().into_bytes(),
        hex::decode(&c1).unwrap(),
    ] {
        assert!(
            !to_sup.windows(secret.len()).any(|w| w == secret),
            "the bundle shows {secret:?}"
        );
    }
}

#[test]
fn h7_a_recorded_session_holds_nothing_of_a_case_a_member_may_not_see() {
    let (mut t, mut sup, _) = opened();
    let frames = recorded_session(&mut t.inv_a, &mut sup);
    assert!(
        contains(&readable_in_session(&mut sup, &frames), NAME),
        "the supervisor reads the case"
    );
    // B recorded the session on the office network and has every team
    // change, so every wrap of every case key.
    send(&mut sup, &mut t.admin);
    send(&mut t.admin, &mut t.inv_b);
    assert!(!contains(&readable_in_session(&mut t.inv_b, &frames), NAME));
}

#[test]
fn h7_a_key_a_member_seals_itself_is_never_used_for_a_case_it_may_not_see() {
    let (mut t, mut sup, c1) = opened();
    send(&mut t.inv_a, &mut sup);
    let real = t.inv_a.sending_keys[&c1];
    // B makes a key for c1 with an epoch above the real one's and seals it
    // to A, the supervisor and itself; then the same, naming A as the
    // device that wrote it.
    let to = [t.inv_a.keys().public(), sup.keys().public()];
    t.inv_b.force_case_key(&c1, &to);
    let a = t.inv_a.device();
    t.inv_b.force_case_key_as(&c1, &to, a);
    send(&mut t.inv_b, &mut t.inv_a);
    send(&mut t.inv_b, &mut sup);
    add_victim(&mut t.inv_a, &c1, "v2", LATER_NAME);
    for (sender, recipient) in [(&mut t.inv_a, member(&sup)), (&mut sup, member(&t.admin))] {
        let bundle = sender.export(&Recipient::Member(recipient), T0).unwrap();
        assert_eq!(
            sender.sending_keys[&c1], real,
            "the case stays under its key"
        );
        let read = readable_in_bundle(&mut t.inv_b, &bundle);
        assert!(!contains(&read, NAME) && !contains(&read, LATER_NAME));
    }
}

/// How a member loses a case it could see.
#[derive(Debug, Clone, Copy)]
enum Loss {
    AccessWithdrawn,
    DeviceRevoked,
}

#[test]
fn h7_a_member_that_loses_a_case_cannot_read_what_is_written_after() {
    for loss in [Loss::AccessWithdrawn, Loss::DeviceRevoked] {
        let (mut t, mut sup, c1) = opened();
        grant(&mut t.admin, &c1, &t.inv_b);
        send(&mut t.admin, &mut t.inv_a);
        let to_b = export_to(&mut t.inv_a, &t.inv_b);
        assert!(
            contains(&readable_in_bundle(&mut t.inv_b, &to_b), NAME),
            "{loss:?}"
        );
        t.inv_b.import(&to_b, &Limits::default()).unwrap();
        let first = t.inv_a.sending_keys[&c1];

        match loss {
            Loss::AccessWithdrawn => {
                let b = member(&t.inv_b);
                t.admin
                    .edit_team(|team, k| team.grant(k, &c1, &b, false, T0))
                    .unwrap();
            }
            Loss::DeviceRevoked => {
                let b = t.inv_b.device();
                t.admin.revoke(&b, Some("laptop lost".into()), T0).unwrap();
            }
        }
        send(&mut t.admin, &mut t.inv_a);
        add_victim(&mut t.inv_a, &c1, "v2", LATER_NAME);
        let to_sup = export_to(&mut t.inv_a, &sup);
        let next = t.inv_a.sending_keys[&c1];
        assert_ne!(next, first, "{loss:?}: the case key was rotated");
        let epoch = |r: &Replica| {
            r.case_keys[&c1]
                .iter()
                .find(|k| k.id == next)
                .map(|k| k.epoch)
        };
        assert_eq!(epoch(&t.inv_a), Some(1), "{loss:?}");
        // The supervisor reads the new key (once it holds the team's
        // current key too); B reads nothing written after, whatever team
        // changes it gets hold of.
        send(&mut t.admin, &mut sup);
        assert!(
            contains(&readable_in_bundle(&mut sup, &to_sup), LATER_NAME),
            "{loss:?}"
        );
        if let Loss::AccessWithdrawn = loss {
            send(&mut t.inv_a, &mut t.admin);
            send(&mut t.admin, &mut t.inv_b);
        }
        assert!(
            !contains(&readable_in_bundle(&mut t.inv_b, &to_sup), LATER_NAME),
            "{loss:?}"
        );
        // History stays readable to whoever could read it then.
        assert!(
            contains(&readable_in_bundle(&mut t.inv_b, &to_b), NAME),
            "{loss:?}"
        );
    }
}

#[test]
fn h7_a_member_granted_a_case_later_reads_it_under_the_same_key() {
    let (mut t, mut sup, c1) = opened();
    send(&mut t.inv_a, &mut sup);
    let first = t.inv_a.sending_keys[&c1];
    grant(&mut t.admin, &c1, &t.inv_b);
    send(&mut t.admin, &mut t.inv_a);
    let report = send(&mut t.inv_a, &mut t.inv_b);
    assert_eq!(report.not_permitted, 0);
    assert_eq!(
        case_of(&t.inv_b, &c1).victims["v1"].identity.full_name,
        NAME
    );
    assert_eq!(
        t.inv_a.sending_keys[&c1], first,
        "no rotation to add a reader"
    );
    // And B sends its own edits under that key.
    add_victim(&mut t.inv_b, &c1, "v2", LATER_NAME);
    let report = send(&mut t.inv_b, &mut sup);
    assert!(report.quarantined.is_empty() && report.not_permitted == 0);
    assert_eq!(t.inv_b.sending_keys[&c1], first);
}
