//! Convergence: devices of different roles edit at random and swap bundles
//! in random order, with drops, duplicates and delays; after a final full
//! exchange every device that may see a case holds the same case, and no
//! device holds a case it may not see.
//!
//! Some members turn malicious: they send crafted changes signed with
//! their real device keys (hidden overwrites, operation numbers set to win
//! conflicts, forged first changes of cases, two different changes under
//! one sequence number, other members' genuine changes relayed with junk
//! signatures) and case keys of their own making sealed to every device.
//! Honest devices must refuse each crafted change the same way, never send
//! a case under a malicious member's key that a device which may not see
//! the case holds, and still converge. The exception is equivocation: two devices that
//! each received a different one of the two changes keep the one they
//! received (Automerge cannot hold both) and quarantine the other, so the
//! case it touched may differ between them; that is checked to be visible
//! (quarantined with its code) and confined to that case.
//!
//! `CARAVAN_CONVERGE_RUNS` sets the number of seeded runs (default 1000);
//! `CARAVAN_CONVERGE_SEED` replays one seed.

use caravan_model::{
    Approval, Decision, Edit, ItemStatus, NewCase, Record, ReviewItem, ReviewKind, Role, Stage,
};

use super::fixture::*;
use crate::bundle::{Limits, Recipient};
use crate::identity::DeviceKeys;
use crate::replica::Replica;

/// xorshift64*: deterministic and dependency-free, so a seed replays exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Items of the case's own intake checklist.
const ITEMS: &[&str] = &[
    "signal-source-recorded",
    "signal-date-recorded",
    "signal-registered",
    "urgent-safety-check",
    "first-assessment",
    "notifications-recorded",
];

/// Items of the prosecution review that the prosecutor signs off.
const SIGNED: &[&str] = &["act-proven", "means-proven", "purpose-proven"];

fn random_edit(rng: &mut Rng, role: Role, member: &str, step: usize) -> Edit {
    let id = format!("{member}-{step}");
    match role {
        // Only an item that is marked can be signed off; the model refuses
        // the others.
        Role::Prosecutor if rng.chance(40) => Edit::SignOffItem {
            template_id: "prosecution-review".into(),
            item_id: SIGNED[rng.below(SIGNED.len())].into(),
        },
        Role::Prosecutor => Edit::Insert {
            id,
            record: Record::Review(ReviewItem {
                kind: if rng.chance(30) {
                    ReviewKind::Request
                } else {
                    ReviewKind::Comment
                },
                stage: None,
                text: format!("review {step}"),
                by: member.into(),
                at: T0,
                withdraws: None,
                qualification: None,
            }),
        },
        Role::Supervisor | Role::Admin => match rng.below(2) {
            0 => Edit::Insert {
                id,
                record: Record::Approval(Approval {
                    stage: Some(Stage::Intake),
                    subject: "intake".into(),
                    decision: Decision::Approved,
                    comment: None,
                    by: member.into(),
                    at: T0,
                }),
            },
            _ => Edit::AssignInvestigator {
                member: format!("m{}", rng.below(3)),
                assigned: true,
            },
        },
        Role::Investigator => match rng.below(4) {
            0 => Edit::Insert {
                id: id.clone(),
                record: Record::Victim(victim(&id, &format!("Person {id}"), member)),
            },
            1 if rng.chance(30) => Edit::SetItem {
                template_id: "prosecution-review".into(),
                item_id: SIGNED[rng.below(SIGNED.len())].into(),
                status: ItemStatus::Done,
                reason: None,
                note: None,
                evidence_ids: vec![],
                interview_ids: vec![],
            },
            1 => Edit::SetItem {
                template_id: "intake".into(),
                item_id: ITEMS[rng.below(ITEMS.len())].into(),
                status: if rng.chance(80) {
                    ItemStatus::Done
                } else {
                    ItemStatus::NotApplicable
                },
                reason: Some("not relevant here".into()),
                note: None,
                evidence_ids: vec![],
                interview_ids: vec![],
            },
            2 => Edit::Set {
                path: "header/title".parse().unwrap(),
                value: format!("Title by {member} at {step}").into(),
            },
            _ => Edit::SetText {
                path: "narrative".parse().unwrap(),
                text: format!("Narrative line {step} by {member}"),
            },
        },
    }
}

/// Returns how many case copies beyond the first the run ended with, and
/// how many crafted changes honest devices refused.
fn run(seed: u64) -> (usize, usize) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let n = 2 + rng.below(4);
    let mut devices = vec![
        Replica::found(
            DeviceKeys::generate().unwrap(),
            "Team",
            "Admin",
            "office",
            T0,
        )
        .unwrap(),
    ];
    for i in 1..n {
        let role = [
            Role::Investigator,
            Role::Investigator,
            Role::Prosecutor,
            Role::Supervisor,
        ][rng.below(4)];
        let (left, _) = devices.split_at_mut(1);
        let d = enrol(&mut left[0], &format!("member {i}"), role);
        devices.push(d);
    }
    let mut cases: Vec<String> = Vec::new();
    let mut in_flight: Vec<(usize, Vec<u8>)> = Vec::new();
    // Devices that sent crafted changes, and cases split by an equivocation.
    let mut malicious = vec![false; n];
    let mut split: Vec<String> = Vec::new();
    // Case keys malicious members made and sealed to every device:
    // (case, key id, member).
    let mut forced: Vec<(String, [u8; 16], String)> = Vec::new();
    for step in 0..40 {
        let who = rng.below(n);
        let (member, role) = devices[who].me().unwrap();
        match rng.below(11) {
            // The admin stays honest: the team document is not under test here.
            10 if who != 0 => {
                if attack(&mut rng, &mut devices, who, &cases, &mut split, &mut forced) {
                    malicious[who] = true;
                }
            }
            0 if role != Role::Prosecutor => {
                let opened = devices[who].create_case(
                    NewCase {
                        nonce: nonce(&format!("case {step}")),
                        reference: format!("R-{step}"),
                        title: "t".into(),
                        jurisdiction: "KG".into(),
                    },
                    T0,
                    catalog(),
                );
                match opened {
                    Ok(id) => cases.push(id),
                    // A member that equivocated has seen its other change
                    // come back, and writes no more.
                    Err(e) => assert!(
                        malicious[who] && e.code() == "sync.device_copied",
                        "seed {seed}: {e}"
                    ),
                }
            }
            1 if !cases.is_empty() => {
                // The admin grants someone access to a case.
                let case = cases[rng.below(cases.len())].clone();
                let to = devices[rng.below(n)].me().unwrap().0;
                devices[0]
                    .edit_team(|t, k| t.grant(k, &case, &to, true, T0))
                    .unwrap();
            }
            2..=5 => {
                let held: Vec<String> = devices[who].case_ids().cloned().collect();
                if held.is_empty() {
                    continue;
                }
                let case = held[rng.below(held.len())].clone();
                let edit = random_edit(&mut rng, role, &member, step);
                // The model refuses some edits (e.g. an assignment made twice); that is fine.
                let _ = devices[who].edit_case(&case, edit, T0, catalog());
            }
            _ => {
                let to = rng.below(n);
                if to == who {
                    continue;
                }
                let recipient = devices[to].me().unwrap().0;
                // A device can only write for members it already knows of.
                let Ok(bundle) = devices[who].export(&Recipient::Member(recipient), T0) else {
                    continue;
                };
                match rng.below(10) {
                    0 => {}                            // lost
                    1 => in_flight.push((to, bundle)), // arrives later
                    2 => {
                        devices[to].import(&bundle, &Limits::default()).unwrap();
                        devices[to].import(&bundle, &Limits::default()).unwrap();
                    }
                    _ => {
                        devices[to].import(&bundle, &Limits::default()).unwrap();
                    }
                }
                if rng.chance(30) && !in_flight.is_empty() {
                    let (to, late) = in_flight.swap_remove(rng.below(in_flight.len()));
                    devices[to].import(&late, &Limits::default()).unwrap();
                }
            }
        }
    }
    for (to, late) in in_flight {
        devices[to].import(&late, &Limits::default()).unwrap();
    }
    // Final full exchange, until nothing moves.
    for _round in 0..n + 2 {
        let mut moved = 0;
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let recipient = devices[j].me().unwrap().0;
                let Ok(bundle) = devices[i].export(&Recipient::Member(recipient), T0) else {
                    continue;
                };
                moved += devices[j]
                    .import(&bundle, &Limits::default())
                    .unwrap()
                    .applied;
            }
        }
        if moved == 0 {
            break;
        }
    }
    let team = devices[0].team().unwrap();
    let honest = |i: usize| !malicious[i];
    let mut shared = 0;
    for case in &cases {
        // The device that opened the case holds it, so some device knows its creator.
        let creator = devices.iter().find_map(|d| {
            d.case(case)
                .and_then(|c| Replica::creator_of(&team, case, c.automerge()))
        });
        let mut reference: Option<(Vec<automerge::ChangeHash>, caravan_model::Case)> = None;
        let mut copies: usize = 0;
        for (i, d) in devices.iter().enumerate().filter(|(i, _)| honest(*i)) {
            let (member, _) = d.me().unwrap();
            let may = team.may_access(&member, case, creator.as_deref());
            match (may, d.case(case)) {
                (true, Some(mut doc)) => {
                    let got = (doc.heads(), doc.case().unwrap());
                    copies += 1;
                    match &reference {
                        None => reference = Some(got),
                        Some(_) if split.contains(case) => {}
                        Some(r) => assert!(
                            r == &got,
                            "seed {seed}: devices disagree on {case} (device {i})"
                        ),
                    }
                }
                // A copy of a device that stopped writing cannot seal a
                // case's first key: a case only such copies hold waits
                // for the device to be enrolled again.
                (true, None)
                    if devices
                        .iter()
                        .filter(|h| h.case(case).is_some())
                        .all(|h| h.copied) => {}
                (true, None) => {
                    panic!("seed {seed}: a device that may see {case} does not hold it")
                }
                (false, Some(_)) => panic!("seed {seed}: a device holds {case} it may not see"),
                (false, None) => {}
            }
        }
        shared += copies.saturating_sub(1);
    }
    // No honest device sends a case under a key a malicious member made,
    // unless that member may see the case and so may every device the key
    // was sealed to (here: every device of the team).
    for (case, id, member) in &forced {
        let creator = devices.iter().find_map(|d| {
            d.case(case)
                .and_then(|c| Replica::creator_of(&team, case, c.automerge()))
        });
        let everyone = devices.iter().all(|d| {
            d.me()
                .is_ok_and(|(m, _)| team.may_access(&m, case, creator.as_deref()))
        });
        for (i, d) in devices.iter().enumerate().filter(|(i, _)| honest(*i)) {
            if d.sending_keys.get(case) == Some(id) {
                assert!(
                    everyone && team.may_access(member, case, creator.as_deref()),
                    "seed {seed}: device {i} sends {case} under a key member {member} made"
                );
            }
        }
    }
    let bad_actors: Vec<String> = (0..n)
        .filter(|&i| malicious[i])
        .map(|i| devices[i].device().to_hex())
        .collect();
    let mut refused = 0;
    for (i, d) in devices.iter().enumerate().filter(|(i, _)| honest(*i)) {
        refused += d
            .quarantine()
            .iter()
            .filter(|q| q.author.as_ref().is_some_and(|a| bad_actors.contains(a)))
            .count();
        for q in d.quarantine() {
            // What an honest device set aside is a crafted change, or an
            // honest change that built on one side of an equivocation.
            let crafted = q.author.as_ref().is_some_and(|a| bad_actors.contains(a))
                || (q.reason.code == "sync.bad_change_signature"
                    && q.relayed_by
                        .as_ref()
                        .is_some_and(|r| bad_actors.contains(r)));
            let after_split =
                split.contains(&q.doc_id) && q.reason.code == "sync.depends_on_quarantined";
            assert!(
                crafted || after_split,
                "seed {seed}: device {i} quarantined a legitimate edit: {:?}",
                q.reason
            );
        }
        assert!(
            d.held().is_empty(),
            "seed {seed}: changes still held after a full exchange"
        );
    }
    (shared, refused)
}

/// A member sends a crafted change, signed with its real device key, in
/// its next bundles. Returns whether it did.
fn attack(
    rng: &mut Rng,
    devices: &mut [Replica],
    who: usize,
    cases: &[String],
    split: &mut Vec<String>,
    forced: &mut Vec<(String, [u8; 16], String)>,
) -> bool {
    let held: Vec<String> = devices[who].case_ids().cloned().collect();
    let me = &mut devices[who];
    // Every crafted write is new, so each crafted change is a new change.
    let mark = rng.next();
    let title = move |what: &str| format!("{what} {mark}");
    match rng.below(6) {
        5 if !cases.is_empty() && !me.copied => {
            // A key of its own for a case, at a high epoch, sealed to every
            // device and sent on: whether or not the member may see it.
            let case = cases[rng.below(cases.len())].clone();
            let everyone: Vec<_> = devices.iter().map(|d| d.keys().public()).collect();
            let me = &mut devices[who];
            me.force_case_key(&case, &everyone);
            forced.push((case.clone(), me.sending_keys[&case], me.me().unwrap().0));
            let mut to = rng.below(devices.len());
            if to == who {
                to = (to + 1) % devices.len();
            }
            let recipient = devices[to].me().unwrap().0;
            if let Ok(bundle) = devices[who].export(&Recipient::Member(recipient), T0) {
                devices[to].import(&bundle, &Limits::default()).unwrap();
            }
            true
        }
        4 if !held.is_empty() => {
            // Another member's genuine change, relayed with a junk
            // signature: it must neither be lost nor shadow the real one.
            let case = held[rng.below(held.len())].clone();
            let mine = me.device().actor();
            let theirs: Vec<automerge::ChangeHash> = me
                .cases
                .get_mut(&case)
                .unwrap()
                .get_changes(&[])
                .iter()
                .filter(|c| *c.actor_id() != mine)
                .map(|c| c.hash())
                .collect();
            if theirs.is_empty() {
                return false;
            }
            let target = theirs[rng.below(theirs.len())];
            let Some(real) = me.signatures.insert(target, [7u8; 64]) else {
                return false;
            };
            let mut to = rng.below(devices.len());
            if to == who {
                to = (to + 1) % devices.len();
            }
            let recipient = devices[to].me().unwrap().0;
            // A fresh view of what the recipient holds, so the change travels.
            devices[who].peer_heads.retain(|(m, _), _| *m != recipient);
            let bundle = devices[who].export(&Recipient::Member(recipient), T0);
            devices[who].signatures.insert(target, real);
            if let Ok(bundle) = bundle {
                devices[to].import(&bundle, &Limits::default()).unwrap();
            }
            true
        }
        0 | 1 if !held.is_empty() => {
            let case = &held[rng.below(held.len())];
            let forged = if rng.chance(50) {
                // An overwrite that names nothing.
                craft(
                    me,
                    case,
                    |d| put(d, &["header", "title"], &title("hidden")),
                    no_preds,
                )
            } else {
                // Numbered to win every conflict.
                craft(
                    me,
                    case,
                    |d| put(d, &["header", "title"], &title("numbered")),
                    |e| renumber(e, e.start_op.get() + 1000),
                )
            };
            plant(me, case, &forged);
            true
        }
        2 if !cases.is_empty() => {
            // A first change of a case the member did not open.
            let case = &cases[rng.below(cases.len())];
            if held.contains(case) {
                return false;
            }
            let mut doc = automerge::AutoCommit::new().with_actor(me.device().actor());
            put(&mut doc, &["header", "title"], &title("taken over"));
            doc.commit();
            let forged = doc.get_last_local_change().unwrap();
            plant(me, case, &forged);
            true
        }
        3 if !held.is_empty() && devices.len() > 2 => {
            // Two different changes under one sequence number: one goes to
            // another device now, the other stays in the member's copy.
            let case = held[rng.below(held.len())].clone();
            let mut to = rng.below(devices.len());
            if to == who {
                to = (to + 1) % devices.len();
            }
            let me = &mut devices[who];
            let x = craft(
                me,
                &case,
                |d| put(d, &["header", "title"], &title("X")),
                |_| {},
            );
            let y = craft(
                me,
                &case,
                |d| put(d, &["header", "title"], &title("Y")),
                |_| {},
            );
            let mine = me.cases[&case].clone();
            plant(me, &case, &y);
            let recipient = devices[to].me().unwrap().0;
            let bundle = devices[who].export(&Recipient::Member(recipient), T0);
            devices[who].cases.insert(case.clone(), mine);
            plant(&mut devices[who], &case, &x);
            if let Ok(bundle) = bundle {
                devices[to].import(&bundle, &Limits::default()).unwrap();
            }
            split.push(case);
            true
        }
        _ => false,
    }
}

#[test]
fn devices_converge_whatever_the_exchange_order() {
    if let Ok(seed) = std::env::var("CARAVAN_CONVERGE_SEED") {
        run(seed
            .parse()
            .expect("CARAVAN_CONVERGE_SEED must be a number"));
        return;
    }
    let runs: u64 = std::env::var("CARAVAN_CONVERGE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    // The seeds are independent: every core takes the next one until all
    // have run. The set of seeds, and so the verdict, is the same however
    // the machine schedules them.
    let next = std::sync::atomic::AtomicU64::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let outcomes: Vec<(usize, usize, Vec<u64>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let (mut shared, mut refused, mut failed) = (0, 0, Vec::new());
                    loop {
                        let seed = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if seed >= runs {
                            break (shared, refused, failed);
                        }
                        match std::panic::catch_unwind(|| run(seed)) {
                            Ok((copies, crafted)) => {
                                shared += copies;
                                refused += crafted;
                            }
                            Err(_) => failed.push(seed),
                        }
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let shared: usize = outcomes.iter().map(|(n, _, _)| n).sum();
    let refused: usize = outcomes.iter().map(|(_, r, _)| r).sum();
    if let Some(seed) = outcomes.iter().flat_map(|(_, _, f)| f).min() {
        panic!("convergence failed for seed {seed}; replay with CARAVAN_CONVERGE_SEED={seed}");
    }
    // The runs must actually share cases between devices, or they prove nothing.
    assert!(
        shared as u64 >= runs,
        "only {shared} shared case copies in {runs} runs"
    );
    // And crafted changes must actually reach honest devices.
    assert!(
        refused as u64 >= runs / 4,
        "only {refused} crafted changes refused in {runs} runs"
    );
}
