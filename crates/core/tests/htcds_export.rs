//! The anonymised HTCDS export through the workspace: who may write it,
//! what it refuses, that no identity reaches a file or the audit log, and
//! that cases an earlier build wrote export.

use caravan_core::model::{EventKind, Gender, Role};
use caravan_core::*;

use crate::fixtures::open;
use crate::util::*;

fn options(folder: &std::path::Path, k: u32) -> HtcdsOptions {
    HtcdsOptions {
        folder: folder.display().to_string(),
        k,
        cases: Vec::new(),
    }
}

fn canary_victim(n: usize) -> PersonInput {
    let mut p = PersonInput::new(
        PersonKind::Victim,
        &format!("CANARY-PSEUDONYM-{n}"),
        &format!("CANARY-NAME-{n}"),
    );
    p.other_names = Some("CANARY-ALIAS".into());
    p.document_numbers = Some("CANARY-PASSPORT".into());
    p.contact = Some("CANARY-PHONE".into());
    p.address = Some("CANARY-ADDRESS".into());
    p.birth_date = Some("1999-04-27".parse().unwrap());
    p.sex = Gender::Feminine;
    p.age_at_trafficking = Some(19);
    p.citizenships = vec!["UZ".into()];
    p
}

/// A team whose investigator recorded three victims with canary
/// identities and an event with coordinates, shared with a supervisor.
fn team(dir: &std::path::Path) -> (Workspace, Workspace, Workspace, CaseId) {
    let (mut admin, mut inv) = admin_and_investigator(dir);
    let mut sup = enrol(&mut admin, &dir.join("sup"), "Saule", Role::Supervisor);
    let case = open_case(&mut inv, "CANARY-REF", "CANARY-TITLE");
    let mut victims = Vec::new();
    for n in 0..3 {
        victims.push(inv.add_person(&case, canary_victim(n)).unwrap());
    }
    inv.add_note(&case, "CANARY-NOTE").unwrap();
    inv.add_event(
        &case,
        EventInput {
            kind: EventKind::Exploitation,
            date: Some("2026-02-11".parse().unwrap()),
            place: "CANARY-PLACE".into(),
            country: Some("KZ".into()),
            description: "CANARY-DESCRIPTION".into(),
            person_ids: victims.clone(),
            latitude: Some(43.123457),
            longitude: Some(76.987653),
            crosses_border: None,
            border_point: None,
            transport: None,
        },
    )
    .unwrap();
    swap(&mut inv, &mut admin);
    swap(&mut admin, &mut sup);
    (admin, inv, sup, case)
}

fn every_byte(folder: &std::path::Path) -> String {
    let mut all = String::new();
    for name in caravan_htcds::FILE_NAMES {
        all.push_str(&std::fs::read_to_string(folder.join(name)).unwrap());
    }
    all
}

#[test]
fn a_supervisor_writes_every_file_with_no_identity_and_an_audit_entry_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, _inv, mut sup, _case) = team(dir.path());
    let out = dir.path().join("stats").join("2026");
    let export = sup.export_htcds(&options(&out, 3)).unwrap();
    assert_eq!(export.files, caravan_htcds::FILE_NAMES);
    assert_eq!(export.unreadable, 0);
    assert_eq!(export.report.cases, 1);
    assert_eq!(export.report.victims.exported, 3);
    assert_eq!(export.report.k, 3);
    let text = every_byte(&out);
    for leak in ["CANARY", "43.12", "76.98", "43123457", "1999", "2026-02"] {
        assert!(!text.contains(leak), "{leak} in the files");
    }
    let victims = std::fs::read_to_string(out.join("victims.csv")).unwrap();
    assert!(victims.contains(",Feminine,18--20,UZ,false,"), "{victims}");
    assert!(victims.contains(",KZ\r\n"), "the country of exploitation");

    let audit = sup.audit_log(Some(1)).unwrap();
    let entry = &audit[0];
    assert_eq!(entry.action, "htcds.export");
    assert_eq!(
        entry.detail,
        "k 3: 1 cases, 3 victim rows and 0 perpetrator rows written, 0 rows withheld, 0 values suppressed, 0 cases unreadable"
    );
    assert!(!entry.detail.contains("CANARY") && !entry.detail.contains("stats"));
    // The same vault gives the same files.
    let again = dir.path().join("again");
    sup.export_htcds(&options(&again, 3)).unwrap();
    assert_eq!(every_byte(&again), text);
}

#[test]
fn an_admin_may_export_and_the_default_k_suppresses_a_small_team() {
    let dir = tempfile::tempdir().unwrap();
    let (mut admin, _inv, _sup, case) = team(dir.path());
    let out = dir.path().join("out");
    let mut o = options(&out, 11);
    o.cases = vec![case.to_string()[..8].to_string()];
    let export = admin.export_htcds(&o).unwrap();
    let r = &export.report.victims;
    assert_eq!((r.rows, r.exported, r.withheld), (3, 0, 3));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("suppression.json")).unwrap())
            .unwrap();
    assert_eq!(summary["victims"]["withheld"], 3);
    assert_eq!(summary["k"], 11);
}

#[test]
fn an_investigator_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv, _sup, _case) = team(dir.path());
    let out = dir.path().join("out");
    let before = inv.audit_log(None).unwrap().len();
    let e = inv.export_htcds(&options(&out, 11)).unwrap_err();
    assert_eq!(e.code(), "core.denied");
    assert!(!out.exists());
    assert_eq!(inv.audit_log(None).unwrap().len(), before);
    assert!(!Permissions::of(Role::Investigator).export_statistics);
    assert!(!Permissions::of(Role::Prosecutor).export_statistics);
    assert!(Permissions::of(Role::Supervisor).export_statistics);
    assert!(Permissions::of(Role::Admin).export_statistics);
}

#[test]
fn bad_options_are_refused_with_their_code() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, _inv, mut sup, _case) = team(dir.path());
    let out = dir.path().join("out");
    for k in [0, 1, 1001, u32::MAX] {
        let e = sup.export_htcds(&options(&out, k)).unwrap_err();
        assert_eq!(e.code(), "core.invalid", "k = {k}");
    }
    let e = sup
        .export_htcds(&options(std::path::Path::new("  "), 11))
        .unwrap_err();
    assert_eq!(e.code(), "core.invalid");
    let mut o = options(&out, 11);
    o.cases = vec!["ffffffffffff".into()];
    assert_eq!(sup.export_htcds(&o).unwrap_err().code(), "core.not_found");
    assert!(!out.exists());
    // A folder that is a file.
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let e = sup.export_htcds(&options(&file, 2)).unwrap_err();
    assert_eq!(e.code(), "core.file");
}

/// A copy of a fixture folder (never written here).
fn fixture(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    copy_dir(&from, tmp.path());
    tmp
}

#[test]
fn cases_an_earlier_build_wrote_export() {
    // An admin's vault of an earlier build, with the case an investigator
    // of that build sent.
    let tmp = fixture("bundle-format-2");
    let mut admin = open(tmp.path(), "admin");
    let bundle = std::fs::read(tmp.path().join("inv-to-admin.caravan")).unwrap();
    admin.import_bundle(&bundle, &mut |_| {}).unwrap();
    let out = tmp.path().join("out");
    let export = admin.export_htcds(&options(&out, 2)).unwrap();
    assert_eq!(export.report.cases, 1);
    assert_eq!(export.report.victims.rows, 1);
    for name in caravan_htcds::FILE_NAMES {
        assert!(out.join(name).exists(), "{name}");
    }
    // The vault of earlier vocabularies is an investigator's: refused, by
    // its role, not by what its case holds.
    let tmp = fixture("vocabulary-1");
    let mut inv = open(tmp.path(), "aibek");
    let e = inv
        .export_htcds(&options(&tmp.path().join("out"), 11))
        .unwrap_err();
    assert_eq!(e.code(), "core.denied");
}
