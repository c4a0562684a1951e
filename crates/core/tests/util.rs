//! What every test here needs: a vault made with the fast key derivation,
//! on a stepping clock, and reopened with the same passphrase.

use std::path::Path;
use std::sync::Arc;

use caravan_core::model::Role;

use caravan_core::vault::Passphrase;
use caravan_core::*;

pub const PASS: &str = "correct horse battery staple 42";
/// The clock's first reading.
pub const T0: i64 = 1_795_824_000_000;

pub fn opts() -> OpenOptions {
    OpenOptions::insecure_fast_kdf(Arc::new(SteppingClock::starting_at(T0)))
}

pub fn pass() -> Passphrase {
    Passphrase::new(PASS.into())
}

pub fn create(dir: &Path) -> Workspace {
    Workspace::create(dir, &pass(), &opts()).unwrap().0
}

/// Locks the workspace and unlocks its vault again.
pub fn reopen(ws: Workspace) -> Workspace {
    let dir = ws.vault_dir().to_path_buf();
    ws.lock();
    Workspace::unlock(&dir, &pass(), &opts()).unwrap()
}

/// A new vault at `dir`, joined to `admin`'s team as `name` in `role`.
pub fn enrol(admin: &mut Workspace, dir: &Path, name: &str, role: Role) -> Workspace {
    let mut ws = create(dir);
    let request = ws.join_request(name, &format!("{name}'s laptop")).unwrap();
    let package = admin.approve_join(&request, role).unwrap();
    let team = admin.team_view().unwrap().fingerprint;
    ws.accept_join(&package, &team).unwrap();
    ws
}

/// A bundle from `from` for `to`'s member, imported by `to`.
pub fn swap(from: &mut Workspace, to: &mut Workspace) -> caravan_core::exchange::ImportSummary {
    let (me, _) = to.me().unwrap();
    let (bundle, _) = from.export_bundle(Some(&me), &mut |_| {}).unwrap();
    to.import_bundle(&bundle, &mut |_| {}).unwrap()
}

/// A new vault at `dir` whose member, Saule, founded `team` and is its admin.
pub fn founder(dir: &Path, team: &str) -> Workspace {
    let mut admin = create(dir);
    admin.found_team(team, "Saule", "office").unwrap();
    admin
}

/// Opens a case in Kazakhstan; returns its id.
pub fn open_case(ws: &mut Workspace, reference: &str, title: &str) -> CaseId {
    let input = NewCaseInput {
        reference: reference.into(),
        title: title.into(),
        jurisdiction: "KZ".into(),
    };
    ws.create_case(input).unwrap()
}

/// An item seized at the scene under a seal.
pub fn seized(kind: caravan_core::model::EvidenceKind, seal: &str) -> EvidenceInput {
    EvidenceInput {
        label: format!("{kind} {seal}"),
        kind,
        description: String::new(),
        seized_at: None,
        seized_by: None,
        seized_from: Some("workshop".into()),
        location: None,
        seal_number: Some(seal.into()),
    }
}

/// A hand-over in Almaty.
pub fn handover(from: &str, to: &str) -> CustodyInput {
    CustodyInput {
        from: from.into(),
        to: to.into(),
        place: "Almaty".into(),
        at: None,
        seal_number: None,
        purpose: None,
    }
}

/// Under `dir`: an admin, Saule, who founded the team "Unit", and an
/// investigator, Aibek, who joined it and holds the team document.
pub fn admin_and_investigator(dir: &Path) -> (Workspace, Workspace) {
    let mut admin = founder(&dir.join("admin"), "Unit");
    let mut inv = enrol(&mut admin, &dir.join("inv"), "Aibek", Role::Investigator);
    swap(&mut admin, &mut inv);
    (admin, inv)
}

/// Copies a folder and everything in it (a vault, a set of fixture files).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Enrols Marat, a prosecutor, on the admin's team.
pub fn enrol_prosecutor(admin: &mut Workspace, dir: &Path) -> Workspace {
    enrol(admin, &dir.join("pro"), "Marat", Role::Prosecutor)
}

/// The investigator's work on `case` reaches the admin, who lets the
/// prosecutor see the case and passes it on.
pub fn share_with_prosecutor(
    inv: &mut Workspace,
    admin: &mut Workspace,
    pro: &mut Workspace,
    case: &CaseId,
) {
    swap(inv, admin);
    let (marat, _) = pro.me().unwrap();
    admin.grant(case, &marat, true).unwrap();
    swap(admin, pro);
}
