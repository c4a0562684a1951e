//! Files this version of Caravan wrote, kept in the repository: two vaults
//! (an admin's and an investigator's), a bundle from the investigator to
//! the admin (format 2: each case under its own key), a joining device's
//! vault and the join package the admin approved for it. Every later
//! build must read them. They are written again only with a new format
//! and a reason (`UPDATE_FIXTURES=1 cargo test -p caravan-core --test
//! integration fixtures`), never to make a failing build pass.

use std::path::{Path, PathBuf};

use caravan_core::model::Role;
use caravan_core::*;

use crate::util::*;

const NAME: &str = "Гульнара Ахмедова";
const TEAM: &str = "Almaty TIP unit";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundle-format-2")
}

fn write(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let mut admin = create(&dir.join("admin"));
    admin.found_team(TEAM, "Saule", "office").unwrap();
    let mut inv = enrol(&mut admin, &dir.join("inv"), "Aibek", Role::Investigator);
    swap(&mut admin, &mut inv);
    let case = inv
        .create_case(NewCaseInput {
            reference: "KZ-2026-0001".into(),
            title: "Garment workshop".into(),
            jurisdiction: "KZ".into(),
        })
        .unwrap();
    inv.add_person(&case, PersonInput::new(PersonKind::Victim, "V-1", NAME))
        .unwrap();
    inv.add_note(&case, "First visit").unwrap();
    let saule = inv.find_member("Saule").unwrap();
    let (bundle, _) = inv.export_bundle(Some(&saule), &mut |_| {}).unwrap();
    std::fs::write(dir.join("inv-to-admin.caravan"), bundle).unwrap();
    let mut joiner = create(&dir.join("joiner"));
    let request = joiner.join_request("Dana", "laptop").unwrap();
    let package = admin.approve_join(&request, Role::Prosecutor).unwrap();
    std::fs::write(dir.join("dana.caravan-join"), package).unwrap();
    let fingerprint = admin.team_view().unwrap().fingerprint;
    std::fs::write(dir.join("team-fingerprint.txt"), fingerprint).unwrap();
    for ws in [admin, inv, joiner] {
        let vault = ws.vault_dir().to_path_buf();
        ws.lock();
        let _ = std::fs::remove_file(vault.join(vault::LOCK_FILE));
    }
}

#[test]
fn this_build_reads_the_vaults_bundle_and_join_package_an_earlier_one_wrote() {
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        write(&dir());
    }
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&dir(), tmp.path());
    let open = |name: &str| Workspace::unlock(&tmp.path().join(name), &pass(), &opts()).unwrap();

    // The admin's vault opens, verifies, and takes the investigator's bundle.
    let mut admin = open("admin");
    admin.audit_verify().unwrap();
    assert!(
        admin
            .list_cases(&CaseFilter::default())
            .unwrap()
            .cases
            .is_empty()
    );
    let bundle = std::fs::read(tmp.path().join("inv-to-admin.caravan")).unwrap();
    let report = admin.import_bundle(&bundle, &mut |_| {}).unwrap();
    assert!(report.quarantined.is_empty(), "{report:?}");
    let cases = admin.list_cases(&CaseFilter::default()).unwrap().cases;
    assert_eq!(cases.len(), 1);
    let case = admin.show_case(&cases[0].id).unwrap();
    assert_eq!(case.title, "Garment workshop");
    let person = &case.people[0];
    assert_eq!(
        admin.reveal(&cases[0].id, &person.id).unwrap().full_name(),
        NAME
    );

    // The investigator's vault holds its case.
    let mut inv = open("inv");
    inv.audit_verify().unwrap();
    assert_eq!(
        inv.list_cases(&CaseFilter::default()).unwrap().cases.len(),
        1
    );

    // The joining device takes its package.
    let mut joiner = open("joiner");
    let package = std::fs::read(tmp.path().join("dana.caravan-join")).unwrap();
    let fingerprint = std::fs::read_to_string(tmp.path().join("team-fingerprint.txt")).unwrap();
    let team = joiner.accept_join(&package, &fingerprint).unwrap();
    assert_eq!(team.name, TEAM);
}
