//! Finding 11 of the trust review, on real vaults: held and quarantined
//! changes were stored as one JSON record under the vault's 16 MiB cap, so
//! one member could push it over and make every later import fail. Now
//! each is a record of its own, every device has a quota, and the old
//! record is moved to rows when a vault is opened.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ChangeHash, ROOT};
use caravan_core::model::{Catalog, NewCase, Role};
use caravan_core::sync::bundle::Recipient;
use caravan_core::sync::join::JoinRequest;
use caravan_core::sync::quota::QUOTA;
use caravan_core::sync::{DeviceKeys, ExpectedTeam, Replica, ReplicaState, RowKind};
use caravan_core::vault::{RecordKind, UnlockOptions, Vault};
use caravan_core::*;

use crate::util::*;

/// The vault itself, opened beside the workspace (which is locked first).
fn raw_vault(ws: Workspace) -> (Vault, std::path::PathBuf) {
    let dir = ws.vault_dir().to_path_buf();
    ws.lock();
    let v = Vault::unlock_with_options(&dir, &pass(), &UnlockOptions::insecure_fast_for_tests())
        .unwrap();
    (v, dir)
}

const AT: i64 = 1_795_824_000_000;

/// A member's device driven through the sync layer directly, as a
/// modified client would be: it writes any change it likes and signs it
/// with its real device key.
fn attacker(admin: &mut Workspace) -> Replica {
    let keys = DeviceKeys::generate().unwrap();
    let request = JoinRequest::new(&keys, "Mallory", "laptop").to_text();
    let package = admin.approve_join(&request, Role::Investigator).unwrap();
    let team = ExpectedTeam::parse(&admin.team_view().unwrap().id).unwrap();
    Replica::accept(keys, &package, &team).unwrap()
}

/// What becomes of the first change of the attacker's case in its bundle.
enum First {
    /// Left out (the attacker claims the recipient holds it): nothing that
    /// builds on it can ever be applied, all of it is held.
    Withheld,
    /// Sent: the case arrives, and the changes on top of it, which add a
    /// top-level part no one may add, are quarantined.
    Sent,
}

/// A bundle from the attacker for `to_member`: a new case of its own
/// (named by `nonce`) and `n` changes on top of its first change, each
/// adding to the case's top level.
fn flood(a: &mut Replica, to_member: &str, nonce: u8, n: usize, first: First) -> Vec<u8> {
    let case = a
        .create_case(
            NewCase {
                nonce: [nonce; 16],
                reference: format!("X-{nonce}"),
                title: "Flood".into(),
                jurisdiction: "KZ".into(),
            },
            AT,
            Catalog::builtin(),
        )
        .unwrap();
    // The device seals the new case's key in its own team document first,
    // so the copy below writes nothing the device itself has not.
    a.export(&Recipient::Member(to_member.to_string()), AT)
        .unwrap();
    let team_id = a.team_id();
    let deltas = a.unsaved(&BTreeMap::new());
    let mut docs: BTreeMap<String, AutoCommit> = deltas
        .iter()
        .filter(|d| d.doc_id == "team" || d.doc_id == case)
        .map(|d| (d.doc_id.clone(), AutoCommit::load(&d.bytes).unwrap()))
        .collect();
    let mut sigs: Vec<(ChangeHash, [u8; 64])> =
        deltas.into_iter().flat_map(|d| d.signatures).collect();
    let case_doc = docs.get_mut(&case).unwrap();
    let genesis = case_doc.get_heads();
    let mut fork = case_doc.fork().with_actor(a.device().actor());
    for i in 0..n {
        fork.put(ROOT, "flood", i as i64).unwrap();
        fork.commit();
        let c = fork.get_last_local_change().unwrap();
        let m = caravan_core::sync::trust::change_message(&team_id, &case, &c.hash());
        sigs.push((c.hash(), a.keys().sign(&m)));
    }
    *case_doc = fork;
    let peer_heads = match first {
        First::Withheld => vec![(
            to_member.to_string(),
            case.clone(),
            genesis.iter().map(|h| h.0).collect(),
        )],
        First::Sent => Vec::new(),
    };
    let team = docs.remove("team").unwrap();
    let mut sender = Replica::restore(
        DeviceKeys::from_bytes(&a.keys().to_secret_bytes()),
        team,
        a.team_keys().cloned(),
        docs,
        sigs,
        ReplicaState {
            peer_heads,
            ..ReplicaState::default()
        },
    )
    .unwrap();
    sender
        .export(&Recipient::Member(to_member.to_string()), AT)
        .unwrap()
}

fn codes(r: &caravan_core::exchange::ImportSummary) -> Vec<&str> {
    r.quarantined.iter().map(|q| q.code.as_str()).collect()
}

fn import(ws: &mut Workspace, bundle: &[u8]) -> caravan_core::exchange::ImportSummary {
    ws.import_bundle(bundle, &mut |_| {}).unwrap()
}

/// Rows of the sync state of each kind in a vault.
fn rows(v: &Vault) -> [usize; 3] {
    [
        RecordKind::PeerSyncState,
        RecordKind::HeldChange,
        RecordKind::QuarantinedChange,
    ]
    .map(|k| v.list_records(k).unwrap().len())
}

#[test]
fn finding_11_a_member_flooding_held_changes_is_stopped_at_its_quota_and_the_vault_stays_bounded() {
    let dirs = tempfile::tempdir().unwrap();
    let mut sup = create(&dirs.path().join("sup"));
    sup.found_team("Almaty TIP unit", "Saule", "office laptop")
        .unwrap();
    let mut ina = enrol(
        &mut sup,
        &dirs.path().join("a"),
        "Aibek",
        Role::Investigator,
    );
    let mut mallory = attacker(&mut sup);
    let saule = sup.me().unwrap().0;

    let report = import(
        &mut sup,
        &flood(&mut mallory, &saule, 1, QUOTA.changes + 10, First::Withheld),
    );
    assert_eq!(report.held, QUOTA.changes);
    assert_eq!(codes(&report), ["sync.quota_exceeded"]);
    assert!(report.quarantined[0].message.starts_with("10 change(s)"));

    // Another member's work lands, and so does every later import; the
    // attacker's next flood is not kept.
    let case = ina
        .create_case(NewCaseInput {
            reference: "KZ-2026-0001".into(),
            title: "Garment workshop".into(),
            jurisdiction: "kz".into(),
        })
        .unwrap();
    let saule_at_a = ina.find_member("Saule").unwrap();
    let (b, _) = ina.export_bundle(Some(&saule_at_a), &mut |_| {}).unwrap();
    let report = import(&mut sup, &b);
    assert!(report.quarantined.is_empty(), "{report:?}");
    assert!(report.applied >= 1);
    let report = import(
        &mut sup,
        &flood(&mut mallory, &saule, 2, 20, First::Withheld),
    );
    assert_eq!(codes(&report), ["sync.quota_exceeded"]);
    assert_eq!(sup.held_count().unwrap(), QUOTA.changes);

    // Everything is read back; the vault holds one record per held change
    // and no record of them all.
    let mut sup = reopen(sup);
    assert_eq!(sup.held_count().unwrap(), QUOTA.changes);
    assert!(
        sup.list_cases(&CaseFilter::default())
            .unwrap()
            .cases
            .iter()
            .any(|c| c.id == case)
    );
    let (v, _) = raw_vault(sup);
    assert_eq!(rows(&v)[1], QUOTA.changes);
    assert!(
        v.get_record(RecordKind::AppState, b"replica-state")
            .unwrap()
            .is_none()
    );
    let stored: usize = v
        .list_records(RecordKind::HeldChange)
        .unwrap()
        .iter()
        .map(|(_, value)| value.expose().len())
        .sum();
    assert!(
        stored <= QUOTA.bytes + QUOTA.changes * 512,
        "{stored} bytes"
    );
}

fn sorted<T: std::fmt::Debug>(mut rows: Vec<T>) -> Vec<T> {
    rows.sort_by_key(|r| format!("{r:?}"));
    rows
}

#[test]
fn finding_11_an_old_vault_state_record_is_moved_to_rows() {
    let dirs = tempfile::tempdir().unwrap();
    let mut sup = create(&dirs.path().join("sup"));
    sup.found_team("Almaty TIP unit", "Saule", "office laptop")
        .unwrap();
    let mut mallory = attacker(&mut sup);
    let saule = sup.me().unwrap().0;
    import(
        &mut sup,
        &flood(&mut mallory, &saule, 1, 5, First::Withheld),
    );
    let report = import(&mut sup, &flood(&mut mallory, &saule, 2, 4, First::Sent));
    assert_eq!(
        codes(&report),
        [
            "policy.denied",
            "sync.depends_on_quarantined",
            "sync.depends_on_quarantined",
            "sync.depends_on_quarantined"
        ]
    );
    let quarantine = sorted(sup.quarantine().unwrap());
    assert_eq!(sup.held_count().unwrap(), 5);

    // Write the state back the way an earlier version stored it: one JSON
    // record, bytes as arrays of numbers, no hash, author or accountable
    // device on held changes; and remove the rows.
    let (mut v, dir) = raw_vault(sup);
    let before = rows(&v);
    assert_eq!(before[1..], [5, 4]);
    let mut all = Vec::new();
    for (kind, rk) in [
        (RowKind::PeerHeads, RecordKind::PeerSyncState),
        (RowKind::Held, RecordKind::HeldChange),
        (RowKind::Quarantined, RecordKind::QuarantinedChange),
        (RowKind::Proof, RecordKind::ChangeProof),
    ] {
        for (key, value) in v.list_records(rk).unwrap() {
            v.delete_record(rk, &key).unwrap();
            all.push((kind, key, value.expose().to_vec()));
        }
    }
    let (state, _) = caravan_core::sync::stored_state::state_from_rows(all).unwrap();
    let mut json = serde_json::to_value(&state).unwrap();
    for h in json["held"].as_array_mut().unwrap() {
        let h = h.as_object_mut().unwrap();
        h.remove("hash");
        h.remove("author");
        h.remove("owner");
    }
    for q in json["quarantine"].as_array_mut().unwrap() {
        q.as_object_mut().unwrap().remove("owner");
    }
    let legacy = serde_json::to_vec(&json).unwrap();
    assert!(legacy.windows(4).any(|w| w == b"[133"), "bytes as numbers");
    v.put_record(RecordKind::AppState, b"replica-state", &legacy)
        .unwrap();
    assert_eq!(rows(&v), [0, 0, 0]);
    v.lock();

    // Opening moves it to rows, once.
    let sup = Workspace::unlock(&dir, &pass(), &opts()).unwrap();
    assert_eq!(sup.held_count().unwrap(), 5);
    assert_eq!(sorted(sup.quarantine().unwrap()), quarantine);
    let sup = reopen(sup);
    assert_eq!(sup.held_count().unwrap(), 5);
    let (v, _) = raw_vault(sup);
    assert_eq!(rows(&v), before);
    assert!(
        v.get_record(RecordKind::AppState, b"replica-state")
            .unwrap()
            .is_none()
    );
}
