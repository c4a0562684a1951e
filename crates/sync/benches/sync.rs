//! Sync costs: bundle export and import of 1,000 changes across 100 cases,
//! the same changes applied with bare Automerge (the floor), and signature
//! verification. Numbers go to docs/benchmarks.md.

use std::hint::black_box;

use automerge::AutoCommit;
use caravan_model::{Catalog, Edit, ItemStatus, NewCase, Role};
use caravan_sync::bundle::{Limits, Recipient};
use caravan_sync::join::JoinRequest;
use caravan_sync::{DeviceKeys, Replica};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

const CASES: usize = 100;
const EDITS_PER_CASE: usize = 9; // + the case's first change = 10 changes per case

struct Fixture {
    bundle: Vec<u8>,
    receiver_keys: [u8; 64],
    receiver_package: Vec<u8>,
    team: caravan_sync::TeamId,
    /// Per case: the raw bytes of every change, concatenated.
    raw: Vec<Vec<u8>>,
    changes: usize,
    raw_bytes: usize,
    /// Every change's writes, as the import reads them, and whether it is
    /// its case's first change.
    writes: Vec<(Vec<caravan_sync::analyze::Write>, bool)>,
}

fn checklist_items() -> Vec<String> {
    Catalog::builtin()
        .latest("crime-scene-evidence")
        .unwrap()
        .items
        .iter()
        .map(|i| i.id.clone())
        .collect()
}

fn open_case(r: &mut Replica, c: usize, at: i64) -> String {
    let mut nonce = [0u8; 16];
    nonce[..8].copy_from_slice(&(c as u64).to_be_bytes());
    r.create_case(
        NewCase {
            nonce,
            reference: format!("KZ-{c:05}"),
            title: format!("Case {c}"),
            jurisdiction: "KZ".into(),
        },
        at,
        Catalog::builtin(),
    )
    .unwrap()
}

fn fixture() -> Fixture {
    let at = 1_767_000_000_000;
    let mut admin =
        Replica::found(DeviceKeys::generate().unwrap(), "Unit", "Admin", "pc", at).unwrap();
    let receiver = DeviceKeys::generate().unwrap();
    let receiver_package = admin
        .approve(
            &JoinRequest::new(&receiver, "Supervisor", "pc"),
            Role::Supervisor,
            at,
        )
        .unwrap();
    let worker = DeviceKeys::generate().unwrap();
    let package = admin
        .approve(
            &JoinRequest::new(&worker, "Investigator", "pc"),
            Role::Investigator,
            at,
        )
        .unwrap();
    let mut inv = Replica::accept(worker, &package, &admin.team_id().into()).unwrap();
    let catalog = Catalog::builtin();
    let items = checklist_items();
    let mut ids = Vec::with_capacity(CASES);
    for c in 0..CASES {
        let id = open_case(&mut inv, c, at);
        ids.push(id.clone());
        for e in 0..EDITS_PER_CASE {
            let edit = if e % 3 == 0 {
                Edit::SetText {
                    path: "narrative".parse().unwrap(),
                    text: format!(
                        "Statement taken on day {e}: the person was recruited through an online advert promising work abroad."
                    ),
                }
            } else {
                Edit::SetItem {
                    template_id: "crime-scene-evidence".into(),
                    item_id: items[e % items.len()].clone(),
                    status: ItemStatus::Done,
                    reason: None,
                    note: Some(format!("done on visit {e}")),
                    evidence_ids: vec![],
                    interview_ids: vec![],
                }
            };
            inv.edit_case(&id, edit, at, catalog).unwrap();
        }
    }
    let mut raw = Vec::new();
    let mut writes = Vec::new();
    let (mut changes, mut raw_bytes) = (0, 0);
    for id in &ids {
        let mut doc = inv.case(id).unwrap().into_automerge();
        let mut bytes = Vec::new();
        let mut replay = AutoCommit::new();
        let mut analyzer = caravan_sync::analyze::Analyzer::default();
        for ch in doc.get_changes(&[]) {
            bytes.extend_from_slice(ch.raw_bytes());
            changes += 1;
            let w = analyzer.writes(&mut replay, &ch).unwrap();
            writes.push((w, ch.deps().is_empty()));
            replay.apply_changes([ch.clone()]).unwrap();
        }
        raw_bytes += bytes.len();
        raw.push(bytes);
    }
    let supervisor = admin
        .team()
        .unwrap()
        .members
        .iter()
        .find(|(_, m)| m.role == Role::Supervisor)
        .map(|(id, _)| id.clone())
        .unwrap();
    let team_before = inv.team_document_bytes();
    let bundle = inv.export(&Recipient::Member(supervisor), at).unwrap();
    // The first export seals each case's key to its three devices.
    eprintln!(
        "team document: {team_before} bytes before the case keys of {CASES} cases, {} after ({:.0} B per case)",
        inv.team_document_bytes(),
        (inv.team_document_bytes() - team_before) as f64 / CASES as f64
    );
    Fixture {
        bundle,
        receiver_keys: *receiver.to_secret_bytes(),
        receiver_package,
        team: admin.team_id(),
        raw,
        changes,
        raw_bytes,
        writes,
    }
}

fn benches(c: &mut Criterion) {
    let f = fixture();
    eprintln!(
        "fixture: {} changes across {CASES} cases, {} writes; raw change bytes {} ({:.0} B/change); bundle {} bytes ({:.0} B/change, {:.2}x raw)",
        f.changes,
        f.writes.iter().map(|(w, _)| w.len()).sum::<usize>(),
        f.raw_bytes,
        f.raw_bytes as f64 / f.changes as f64,
        f.bundle.len(),
        f.bundle.len() as f64 / f.changes as f64,
        f.bundle.len() as f64 / f.raw_bytes as f64
    );
    let mut g = c.benchmark_group("sync");
    g.sample_size(20);
    g.bench_function("bundle_import_1000_changes_100_cases", |b| {
        b.iter_batched(
            || {
                Replica::accept(
                    DeviceKeys::from_bytes(&f.receiver_keys),
                    &f.receiver_package,
                    &f.team.into(),
                )
                .unwrap()
            },
            |mut r| {
                let report = r.import(&f.bundle, &Limits::default()).unwrap();
                assert_eq!(report.quarantined.len(), 0);
                black_box(report.applied)
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("bare_automerge_load_incremental_same_changes", |b| {
        b.iter(|| {
            for bytes in &f.raw {
                let mut doc = AutoCommit::new();
                doc.load_incremental(bytes).unwrap();
                black_box(doc.get_heads());
            }
        })
    });
    // The schema check alone, on the writes the import reads from the same
    // changes (part of `bundle_import_…`).
    g.bench_function("schema_check_same_changes", |b| {
        let schema = caravan_model::schema::case();
        b.iter(|| {
            for (writes, first) in &f.writes {
                let mut check = schema.change(*first);
                for (i, w) in writes.iter().enumerate() {
                    check.write(i, &w.path, &w.value, w.into).unwrap();
                }
                check.finish().unwrap();
            }
            black_box(f.writes.len())
        })
    });
    g.bench_function("bundle_export_1000_changes_100_cases", |b| {
        b.iter_batched(
            || {
                let mut r = Replica::accept(
                    DeviceKeys::from_bytes(&f.receiver_keys),
                    &f.receiver_package,
                    &f.team.into(),
                )
                .unwrap();
                r.import(&f.bundle, &Limits::default()).unwrap();
                r
            },
            |mut r| black_box(r.export(&Recipient::AnyMember, 0).unwrap().len()),
            BatchSize::LargeInput,
        )
    });
    g.finish();

    let keys = DeviceKeys::generate().unwrap();
    let message = [7u8; 96];
    let sig = keys.sign(&message);
    let id = keys.id();
    c.bench_function("ed25519_verify_one_signature", |b| {
        b.iter(|| black_box(id.verify(black_box(&message), &sig)))
    });
}

/// Two devices holding the same 100 cases, then 1,000 edits on each side
/// while apart: an investigator's checklist work and a supervisor's tasks.
fn diverged() -> (Replica, Replica, String, String) {
    let at = 1_767_000_000_000;
    let mut admin =
        Replica::found(DeviceKeys::generate().unwrap(), "Unit", "Admin", "pc", at).unwrap();
    let sup_keys = DeviceKeys::generate().unwrap();
    let sup_pkg = admin
        .approve(
            &JoinRequest::new(&sup_keys, "Supervisor", "pc"),
            Role::Supervisor,
            at,
        )
        .unwrap();
    let inv_keys = DeviceKeys::generate().unwrap();
    let inv_pkg = admin
        .approve(
            &JoinRequest::new(&inv_keys, "Investigator", "pc"),
            Role::Investigator,
            at,
        )
        .unwrap();
    let mut sup = Replica::accept(sup_keys, &sup_pkg, &admin.team_id().into()).unwrap();
    let mut inv = Replica::accept(inv_keys, &inv_pkg, &admin.team_id().into()).unwrap();
    let team = admin.team().unwrap();
    let member = |role| {
        team.members
            .iter()
            .find(|(_, m)| m.role == role)
            .map(|(id, _)| id.clone())
            .unwrap()
    };
    let (sup_id, inv_id) = (member(Role::Supervisor), member(Role::Investigator));
    let catalog = Catalog::builtin();
    let items = checklist_items();
    let ids: Vec<String> = (0..CASES).map(|c| open_case(&mut inv, c, at)).collect();
    sup.import(
        &inv.export(&Recipient::Member(sup_id.clone()), at).unwrap(),
        &Limits::default(),
    )
    .unwrap();
    inv.import(
        &sup.export(&Recipient::Member(inv_id.clone()), at).unwrap(),
        &Limits::default(),
    )
    .unwrap();
    for id in &ids {
        for e in 0..10 {
            let tick = Edit::SetItem {
                template_id: "crime-scene-evidence".into(),
                item_id: items[e % items.len()].clone(),
                status: ItemStatus::Done,
                reason: None,
                note: Some(format!("visit {e}")),
                evidence_ids: vec![],
                interview_ids: vec![],
            };
            inv.edit_case(id, tick, at, catalog).unwrap();
            let task = caravan_model::Task {
                title: format!("Follow-up {e}"),
                assignee: Some(inv_id.clone()),
                due: None,
                stage: None,
                done: false,
                recorded_at: at,
                recorded_by: sup_id.clone(),
            };
            sup.edit_case(
                id,
                Edit::Insert {
                    id: format!("t{e}"),
                    record: caravan_model::Record::Task(task),
                },
                at,
                catalog,
            )
            .unwrap();
        }
    }
    (inv, sup, inv_id, sup_id)
}

/// Runs a whole session over an in-memory pipe; returns (frames, bytes).
fn session(a: &mut Replica, b: &mut Replica, a_id: &str, b_id: &str) -> (usize, usize) {
    use caravan_sync::session::Session;
    let mut sa = Session::new(a, Some(b_id.to_string()), 0).unwrap();
    let mut sb = Session::new(b, Some(a_id.to_string()), 0).unwrap();
    let (mut frames, mut bytes) = (0, 0);
    for _ in 0..200 {
        let mut to_a = Vec::new();
        let mut to_b = Vec::new();
        while let Some(f) = sa.poll(a).unwrap() {
            to_b.push(f);
        }
        while let Some(f) = sb.poll(b).unwrap() {
            to_a.push(f);
        }
        if to_a.is_empty() && to_b.is_empty() && sa.is_done() && sb.is_done() {
            return (frames, bytes);
        }
        for f in to_b {
            frames += 1;
            bytes += f.len();
            sb.receive(b, &f).unwrap();
        }
        for f in to_a {
            frames += 1;
            bytes += f.len();
            sa.receive(a, &f).unwrap();
        }
    }
    panic!("session did not end");
}

fn divergent(c: &mut Criterion) {
    let (mut a, mut b, a_id, b_id) = diverged();
    let (frames, bytes) = session(&mut a, &mut b, &a_id, &b_id);
    let (mut a2, mut b2, a2_id, b2_id) = diverged();
    let ab = a2.export(&Recipient::Member(b2_id.clone()), 0).unwrap();
    let ba = b2.export(&Recipient::Member(a2_id.clone()), 0).unwrap();
    eprintln!(
        "divergent 1000+1000: session {frames} frames, {bytes} bytes; bundles {} + {} bytes",
        ab.len(),
        ba.len()
    );
    let mut g = c.benchmark_group("divergent_1000_plus_1000");
    g.sample_size(10);
    g.bench_function("session", |bench| {
        bench.iter_batched(
            diverged,
            |(mut a, mut b, a_id, b_id)| black_box(session(&mut a, &mut b, &a_id, &b_id)),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("bundle_exchange", |bench| {
        bench.iter_batched(
            diverged,
            |(mut a, mut b, a_id, b_id)| {
                let ab = a.export(&Recipient::Member(b_id), 0).unwrap();
                let ba = b.export(&Recipient::Member(a_id), 0).unwrap();
                b.import(&ab, &Limits::default()).unwrap();
                black_box(a.import(&ba, &Limits::default()).unwrap().applied)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(sync_benches, benches, divergent);
criterion_main!(sync_benches);
