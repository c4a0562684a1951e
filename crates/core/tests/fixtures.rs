//! Files earlier versions of Caravan wrote, kept in the repository, that
//! every later build must read (`fixtures/README.md` lists them):
//!
//! - `bundle-format-2`: two vaults (an admin's and an investigator's), a
//!   bundle from the investigator to the admin (format 2: each case under
//!   its own key), a joining device's vault and the join package the admin
//!   approved for it;
//! - `vault-format-3`: an investigator's vault with a case worked on;
//! - `join-package-1`: a joining device's vault, its join request and the
//!   join package an admin approved for it.
//!
//! Every vault is locked with `util::PASS` and made with the fast key
//! derivation of `util::opts`. A folder is written again only with a new
//! format and a reason, by its test run with `UPDATE_FIXTURES=1` (see the
//! README), never to make a failing build pass.

use std::path::{Path, PathBuf};

use caravan_core::model::Role;
use caravan_core::*;

use crate::util::*;

const NAME: &str = "Гульнара Ахмедова";
pub(crate) const TEAM: &str = "Almaty TIP unit";

pub(crate) fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A copy of the fixture `name` to open (opening writes to a vault), after
/// writing the fixture anew with `write` when `UPDATE_FIXTURES` is set.
pub(crate) fn stored(name: &str, write: fn(&Path)) -> tempfile::TempDir {
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        let dir = dir(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        write(&dir);
    }
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&dir(name), tmp.path());
    tmp
}

/// Locks each vault and leaves no lock file in the fixture.
pub(crate) fn put_away(workspaces: impl IntoIterator<Item = Workspace>) {
    for ws in workspaces {
        let vault = ws.vault_dir().to_path_buf();
        ws.lock();
        let _ = std::fs::remove_file(vault.join(vault::LOCK_FILE));
    }
}

pub(crate) fn open(dir: &Path, name: &str) -> Workspace {
    Workspace::unlock(&dir.join(name), &pass(), &opts()).unwrap()
}

fn write_bundle_format_2(dir: &Path) {
    let mut admin = founder(&dir.join("admin"), TEAM);
    let mut inv = enrol(&mut admin, &dir.join("inv"), "Aibek", Role::Investigator);
    swap(&mut admin, &mut inv);
    let case = open_case(&mut inv, "KZ-2026-0001", "Garment workshop");
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
    put_away([admin, inv, joiner]);
}

#[test]
fn this_build_reads_the_vaults_bundle_and_join_package_an_earlier_one_wrote() {
    let tmp = stored("bundle-format-2", write_bundle_format_2);
    let open = |name: &str| open(tmp.path(), name);

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

    // The investigator's vault holds its case. It was written before unlock
    // stopped reading cases and before bundles carried one signature per
    // author: it still lists, edits and sends in today's format, and the
    // admin takes that bundle with nothing refused.
    // Its first unlock rebuilds the index entries of an older layout from
    // the cases; from the next one on, unlock reads no case.
    let mut inv = reopen(open("inv"));
    inv.audit_verify().unwrap();
    assert_eq!(inv.cases_in_memory(), 0);
    assert_eq!(
        inv.list_cases(&CaseFilter::default()).unwrap().cases.len(),
        1
    );
    inv.add_note(&cases[0].id, "Second visit").unwrap();
    let report = swap(&mut inv, &mut admin);
    assert!(report.quarantined.is_empty(), "{report:?}");
    let notes = admin.show_case(&cases[0].id).unwrap().notes;
    assert!(notes.iter().any(|n| n.body == "Second visit"), "{notes:?}");

    // The team document predates relays: it reads as a team with none,
    // and takes the first one an admin adds.
    assert!(admin.relays().unwrap().is_empty());
    admin
        .add_relay("relay.example.org:443", &"ab".repeat(32))
        .unwrap();
    let report = swap(&mut admin, &mut inv);
    assert!(report.quarantined.is_empty(), "{report:?}");
    assert_eq!(inv.relays().unwrap()[0].url, "wss://relay.example.org:443");

    // The joining device takes its package.
    let mut joiner = open("joiner");
    let package = std::fs::read(tmp.path().join("dana.caravan-join")).unwrap();
    let fingerprint = std::fs::read_to_string(tmp.path().join("team-fingerprint.txt")).unwrap();
    let team = joiner.accept_join(&package, &fingerprint).unwrap();
    assert_eq!(team.name, TEAM);
}

const REFERENCE: &str = "KZ-2026-0002";
const GENERAL: &str = "identification-general";
const NOT_APPLICABLE_BECAUSE: &str = "she keeps her own passport";

/// Aibek's vault: a case with a victim, a suspect, a phone handed to the
/// lab, a task, a note, the identification stage open with one item done
/// and one not applicable, and the device's language set to Russian.
fn write_vault_format_3(dir: &Path) {
    let work = tempfile::tempdir().unwrap();
    let mut admin = founder(work.path(), TEAM);
    let mut inv = enrol(&mut admin, &dir.join("aibek"), "Aibek", Role::Investigator);
    swap(&mut admin, &mut inv);
    let case = open_case(&mut inv, REFERENCE, "Brick kiln");
    let mut victim = PersonInput::new(PersonKind::Victim, "V-1", NAME);
    victim.citizenships = vec!["kz".into()];
    inv.add_person(&case, victim).unwrap();
    let suspect = PersonInput::new(PersonKind::Suspect, "S-1", "Ерлан Жумабаев");
    inv.add_person(&case, suspect).unwrap();
    let phone = seized(model::EvidenceKind::Phone, "S-0001");
    let phone = inv.add_evidence(&case, phone).unwrap();
    inv.transfer_custody(&case, &phone, handover("Aibek", "Forensic lab"))
        .unwrap();
    let task = TaskInput {
        title: "Visit the kiln".into(),
        assignee: Some("Aibek".into()),
        due: None,
        stage: None,
    };
    inv.add_task(&case, task).unwrap();
    inv.add_note(&case, "First visit").unwrap();
    inv.open_stage(&case, model::Stage::Identification).unwrap();
    let item = |status, reason: Option<&str>| ItemUpdate {
        status,
        reason: reason.map(Into::into),
        note: None,
        evidence_ids: vec![],
        interview_ids: vec![],
    };
    inv.set_item(
        &case,
        GENERAL,
        "indicators-recorded",
        item(model::ItemStatus::Done, None),
    )
    .unwrap();
    let na = item(
        model::ItemStatus::NotApplicable,
        Some(NOT_APPLICABLE_BECAUSE),
    );
    inv.set_item(&case, GENERAL, "documents-held-or-false", na)
        .unwrap();
    let settings = Settings {
        language: "ru".into(),
        ..Settings::default()
    };
    inv.set_settings(&settings).unwrap();
    put_away([inv]);
}

#[test]
fn this_build_reads_an_investigators_vault_an_earlier_one_wrote() {
    let tmp = stored("vault-format-3", write_vault_format_3);
    let mut inv = open(tmp.path(), "aibek");
    inv.audit_verify().unwrap();
    assert_eq!(inv.settings().unwrap().language, "ru");
    let team = inv.team_view().unwrap();
    assert_eq!((team.name.as_str(), team.me.name.as_str()), (TEAM, "Aibek"));
    let roles: Vec<(&str, Role)> = team
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.role))
        .collect();
    assert!(roles.contains(&("Saule", Role::Admin)), "{roles:?}");

    // The case index: the list and a search by the victim's name.
    let cases = inv.list_cases(&CaseFilter::default()).unwrap();
    assert!(cases.unreadable.is_empty(), "{:?}", cases.unreadable);
    assert_eq!(cases.cases.len(), 1);
    let found = CaseFilter {
        query: Some("Gulnara".into()),
        ..CaseFilter::default()
    };
    assert_eq!(inv.list_cases(&found).unwrap().cases.len(), 1);

    // The dashboard reads the index alone: entries written before it held
    // the dashboard's figures are rebuilt from the documents at unlock.
    let report = inv.progress_report().unwrap();
    let row = &report.cases[0];
    assert_eq!(
        (row.reference.as_str(), row.stage),
        (REFERENCE, model::Stage::Identification)
    );
    let identification = row
        .stages
        .iter()
        .find(|s| s.stage == model::Stage::Identification)
        .unwrap();
    assert_eq!((identification.done, identification.not_applicable), (1, 1));

    // The case document, record by record.
    let id = cases.cases[0].id.clone();
    let case = inv.show_case(&id).unwrap();
    assert_eq!(
        (case.reference.as_str(), case.title.as_str()),
        (REFERENCE, "Brick kiln")
    );
    let people: Vec<(&str, PersonKind)> = case
        .people
        .iter()
        .map(|p| (p.pseudonym.as_str(), p.kind))
        .collect();
    assert_eq!(
        people,
        [("V-1", PersonKind::Victim), ("S-1", PersonKind::Suspect)]
    );
    assert_eq!(case.people[0].citizenships, ["KZ"]);
    let phone = &case.evidence[0];
    assert_eq!(phone.holder, "Forensic lab");
    assert_eq!(phone.custody.len(), 1);
    // Written before a hand-over's recording time, a seizer and an
    // attachment's name, type and size were kept: none of them.
    assert_eq!(phone.custody[0].recorded_at, None);
    assert_eq!((&phone.seized_by, &phone.attachment), (&None, &None));
    assert_eq!(case.tasks[0].title, "Visit the kiln");
    assert_eq!(case.notes[0].body, "First visit");
    let identification = case
        .stages
        .iter()
        .find(|s| s.stage == model::Stage::Identification);
    assert_eq!(
        identification.map(|s| s.status),
        Some(model::StageStatus::Active)
    );
    let lists = inv
        .checklists(&id, Some(model::Stage::Identification), "en")
        .unwrap();
    let general = lists.iter().find(|l| l.template_id == GENERAL).unwrap();
    // Made before checklists were kept per victim: the case's own, read and
    // shown as it was; the victim needs her own besides.
    assert_eq!(
        (general.person_id.as_ref(), general.per_victim),
        (None, true)
    );
    let gate = &identification.unwrap().gate;
    assert_eq!(gate.people.len(), 1);
    assert_eq!(gate.people[0].person_id, case.people[0].id);
    assert_eq!(gate.people[0].not_started, [GENERAL]);
    let worked: Vec<(&str, model::ItemStatus, Option<&str>)> = general
        .items
        .iter()
        .filter(|i| i.status != model::ItemStatus::Open)
        .map(|i| (i.id.as_str(), i.status, i.reason.as_deref()))
        .collect();
    assert_eq!(
        worked,
        [
            (
                "documents-held-or-false",
                model::ItemStatus::NotApplicable,
                Some(NOT_APPLICABLE_BECAUSE)
            ),
            ("indicators-recorded", model::ItemStatus::Done, None),
        ]
    );
    assert_eq!(
        inv.reveal(&id, &case.people[0].id).unwrap().full_name(),
        NAME
    );

    // And it takes new work: the item made then takes a hand-over dated
    // when it took place, and a file with its name, type and size.
    inv.add_note(&id, "Second visit").unwrap();
    assert_eq!(inv.show_case(&id).unwrap().notes.len(), 2);
    let phone = case.evidence[0].id.clone();
    let at = case.evidence[0].custody[0].at + 60_000;
    inv.transfer_custody(
        &id,
        &phone,
        CustodyInput {
            at: Some(at),
            ..handover("Forensic lab", "Evidence room")
        },
    )
    .unwrap();
    let file = tmp.path().join("seal.jpg");
    std::fs::write(&file, b"seal").unwrap();
    inv.attach(&id, Some(&phone), &file).unwrap();
    let shown = inv.show_case(&id).unwrap();
    let item = &shown.evidence[0];
    assert_eq!(
        (item.custody[1].at, item.holder.as_str()),
        (at, "Evidence room")
    );
    let attached = item.attachment.as_ref().unwrap();
    assert_eq!(
        (
            attached.file_name.as_deref(),
            attached.media_type.as_deref(),
            attached.size
        ),
        (Some("seal.jpg"), Some("image/jpeg"), Some(4))
    );
}

const JOINER: &str = "Dana";
const JOINER_DEVICE: &str = "Dana's laptop";

/// Dana's device, waiting to join, with its join request, and the package
/// an admin approved for it.
fn write_join_package_1(dir: &Path) {
    let work = tempfile::tempdir().unwrap();
    let mut admin = founder(work.path(), TEAM);
    let mut dana = create(&dir.join("dana"));
    let request = dana.join_request(JOINER, JOINER_DEVICE).unwrap();
    let package = admin.approve_join(&request, Role::Prosecutor).unwrap();
    std::fs::write(dir.join("dana.caravan-join-request"), &request).unwrap();
    std::fs::write(dir.join("dana.caravan-join"), package).unwrap();
    let fingerprint = admin.team_view().unwrap().fingerprint;
    std::fs::write(dir.join("team-fingerprint.txt"), fingerprint).unwrap();
    put_away([dana]);
}

#[test]
fn this_build_reads_a_join_request_and_package_an_earlier_one_wrote() {
    let tmp = stored("join-package-1", write_join_package_1);
    let read = |name: &str| std::fs::read(tmp.path().join(name)).unwrap();
    let request = String::from_utf8(read("dana.caravan-join-request")).unwrap();
    let mut dana = open(tmp.path(), "dana");

    // The request names the device that wrote it, and that device still
    // knows it is waiting on it.
    let shown = Workspace::inspect_join_request(&request).unwrap();
    assert_eq!(
        (shown.name.as_str(), shown.label.as_str()),
        (JOINER, JOINER_DEVICE)
    );
    assert_eq!(shown.fingerprint, dana.device().unwrap().fingerprint);
    assert_eq!(
        dana.pending_join_request().unwrap().as_deref(),
        Some(request.as_str())
    );

    // An admin of this build approves it.
    let work = tempfile::tempdir().unwrap();
    let mut admin = founder(work.path(), "Another unit");
    admin.approve_join(&request, Role::Investigator).unwrap();

    // The stored package opens on the device it was written for.
    let fingerprint = String::from_utf8(read("team-fingerprint.txt")).unwrap();
    let team = dana
        .accept_join(&read("dana.caravan-join"), &fingerprint)
        .unwrap();
    assert_eq!(team.name, TEAM);
    assert_eq!(
        (team.me.name.as_str(), team.me.role),
        (JOINER, Role::Prosecutor)
    );
    assert_eq!(dana.pending_join_request().unwrap(), None);
}
