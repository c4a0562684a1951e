//! End-to-end: the real app (WebKitGTK under Xvfb, driven over W3C
//! WebDriver through tauri-driver), two instances on two vaults of one team.
//! Screenshots of each main screen go to target/screenshots/ (1366×768).
//!
//! Needs Xvfb, WebKitWebDriver (Debian's webkit2gtk-driver) and
//! tauri-driver; `scripts/test` installs them and runs this with
//! `--ignored`. Every step waits for the state it asserts.

mod webdriver;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use caravan_core::model::Role;
use caravan_core::vault::Passphrase;
use caravan_core::{OpenOptions, SystemClock, Workspace};
use serde_json::json;
use webdriver::{Driver, display};

use crate::util::wait_until;

const PASS_A: &str = "investigator passphrase, long";
const PASS_B: &str = "supervisor passphrase, long too";

fn app() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_caravan-desktop"))
}

fn fast() -> OpenOptions {
    OpenOptions::insecure_fast_kdf(Arc::new(SystemClock))
}

fn tid(id: &str) -> String {
    format!("[data-testid='{id}']")
}

#[test]
#[ignore = "needs Xvfb, WebKitWebDriver and tauri-driver: run by scripts/test"]
fn two_instances_one_team() {
    let (_xvfb, disp) = display();
    let tmp = tempfile::tempdir().unwrap();
    let vault_a = tmp.path().join("investigator");
    let vault_b = tmp.path().join("supervisor");
    let request = tmp.path().join("aibek.caravan-join");
    let package = tmp.path().join("aibek-package.caravan-join");
    let bundle_a = tmp.path().join("aibek-to-saule.caravan");
    let bundle_b = tmp.path().join("saule-to-aibek.caravan");
    let env_a = [
        ("CARAVAN_VAULT", vault_a.as_path()),
        ("CARAVAN_INSECURE_FAST_KDF", Path::new("1")),
    ];
    let env_b = [
        ("CARAVAN_VAULT", vault_b.as_path()),
        ("CARAVAN_INSECURE_FAST_KDF", Path::new("1")),
    ];

    // The supervisor's vault exists already (made with the core, as an
    // office would have it); its admin enrols the investigator below.
    let mut sup = Workspace::create(&vault_b, &Passphrase::new(PASS_B.into()), &fast())
        .unwrap()
        .0;
    sup.found_team("Almaty TIP unit", "Saule", "office laptop")
        .unwrap();

    // Instance 1: a new laptop. Create the vault; the recovery code is
    // shown once and must be confirmed.
    let a = Driver::start(app(), &disp, &env_a);
    a.type_into(&tid("passphrase"), PASS_A);
    a.type_into(&tid("passphrase-confirm"), PASS_A);
    a.screenshot("01-create-vault");
    a.click(&tid("create-vault"));
    a.wait_text(&tid("recovery-code"), "a recovery code", |code| {
        code.len() >= 30
    });
    a.screenshot("02-recovery-code");
    a.click(&tid("recovery-confirm"));
    a.click(&tid("continue"));

    // Wrong passphrase, then the right one.
    a.click(&tid("lock"));
    a.type_into(&tid("unlock-passphrase"), "not the passphrase at all");
    a.click(&tid("unlock"));
    a.wait_text(&tid("error-message"), "an error", |t| !t.is_empty());
    a.screenshot("03-unlock-wrong-passphrase");
    a.type_into(&tid("unlock-passphrase"), PASS_A);
    a.click(&tid("unlock"));
    // Unlocked once the team step shows (the vault has no team yet).
    a.find(&format!("{}, {}", tid("mode-join"), tid("team-name")));

    // Join the team: request from the app, package from the admin.
    let text = a.invoke(
        "write_join_request",
        json!({"member_name": "Aibek", "device_label": "field laptop", "path": request}),
    );
    let text = text.as_str().unwrap().to_string();
    let pkg = sup.approve_join(&text, Role::Investigator).unwrap();
    std::fs::write(&package, pkg).unwrap();
    let team_id = sup.team_view().unwrap().id;
    a.invoke(
        "accept_join",
        json!({"package_path": package, "team_id": team_id}),
    );
    a.reload();

    // A case, a victim (masked, then revealed), checklist work.
    a.click(&tid("nav-cases"));
    a.click(&tid("new-case"));
    a.type_into(&tid("case-reference"), "KZ-2026-0142");
    a.type_into(&tid("case-title"), "Construction site, Kaskelen");
    a.type_into(&tid("case-jurisdiction"), "KZ");
    a.click(&tid("create-case"));
    a.click(&tid("case-row"));
    a.wait_for_text("KZ-2026-0142");
    a.screenshot("04-case-overview");
    a.click(&tid("tab-people"));
    a.click(&tid("add-person"));
    a.type_into(&tid("person-pseudonym"), "V-1");
    a.type_into(&tid("person-full-name"), "Гульнара Ахмедова");
    a.click(&tid("save-person"));
    a.find(&tid("person-row"));
    assert!(
        !a.page_text().contains("Гульнара"),
        "identity shown before reveal"
    );
    a.screenshot("05-people-masked");
    a.click(&tid("reveal"));
    a.wait_text_eq(&tid("identity-full-name"), "Гульнара Ахмедова");
    a.screenshot("06-people-revealed");

    a.click(&tid("tab-checklists"));
    a.click(&format!("{} {}", tid("checklist-item"), tid("item-done")));
    let items = a.script(
        "return Array.from(document.querySelectorAll(\"[data-testid='checklist-item']\")).length",
        json!([]),
    );
    assert!(items.as_u64().unwrap_or(0) > 2);
    a.click(&format!(
        "{}:nth-of-type(2) {}",
        tid("checklist-item"),
        tid("item-na")
    ));
    a.type_into(&tid("na-reason"), "adult: passport checked");
    a.click(&tid("na-save"));
    a.wait_for_text("adult: passport checked");
    a.screenshot("07-checklists");

    // The investigator retitles the case, then exports for the supervisor.
    let cases = a.invoke(
        "list_cases",
        json!({"filter": {"query": null, "stage": null, "status": null,
        "assignee": null, "jurisdiction": null, "overdue_only": false}}),
    );
    let case_id = cases["cases"][0]["id"].as_str().unwrap().to_string();
    a.invoke(
        "set_field",
        json!({"case_id": case_id, "path": "header/title", "value": "Forced labour, Kaskelen"}),
    );
    a.click(&tid("nav-sync"));
    a.type_into(&tid("export-path"), bundle_a.to_str().unwrap());
    let saule = sup.find_member("Saule").unwrap();
    a.script(
        "const s = document.querySelector(\"[data-testid='export-member']\"); s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
        json!([saule]),
    );
    a.click(&tid("export-bundle"));
    a.wait_text(&tid("export-result"), "the written bundle", |t| {
        !t.is_empty()
    });
    assert!(
        bundle_a.exists(),
        "the app reported a bundle it did not write"
    );
    a.screenshot("08-sync-centre");
    a.click(&tid("lock"));
    drop(a);

    // The supervisor retitles the same case concurrently: a conflict.
    sup.import_bundle(&std::fs::read(&bundle_a).unwrap(), &mut |_| {})
        .unwrap();
    drop(sup);
    let mut sup = Workspace::unlock(&vault_b, &Passphrase::new(PASS_B.into()), &fast()).unwrap();
    let _ = std::fs::remove_file(&bundle_a);
    // The closed app may take a moment to release its vault.
    let mut a_ws = wait_until(
        "the closed app to release the investigator's vault",
        Duration::from_secs(30),
        || match Workspace::unlock(&vault_a, &Passphrase::new(PASS_A.into()), &fast()) {
            Ok(ws) => Some(ws),
            Err(e) if e.code() == "vault.in_use" => None,
            Err(e) => panic!("the investigator's vault did not open: {e}"),
        },
        || "it is still in use".to_string(),
    );
    a_ws.set_field(&case_id, "header/title", "Kaskelen construction site")
        .unwrap();
    let (b, _) = a_ws.export_bundle(Some(&saule), &mut |_| {}).unwrap();
    std::fs::write(&bundle_a, b).unwrap();
    a_ws.lock();
    sup.set_field(&case_id, "header/title", "Labour exploitation at Kaskelen")
        .unwrap();
    sup.lock();
    let _ = &bundle_b;

    // Instance 2: the supervisor's laptop imports and sees the merged case.
    let b = Driver::start(app(), &disp, &env_b);
    b.type_into(&tid("unlock-passphrase"), PASS_B);
    b.click(&tid("unlock"));
    b.click(&tid("nav-sync"));
    b.type_into(&tid("import-path"), bundle_a.to_str().unwrap());
    b.click(&tid("import-bundle"));
    b.wait_text(&tid("import-summary"), "the import's summary", |t| {
        !t.is_empty()
    });
    b.screenshot("09-import-summary");
    b.click(&tid("nav-cases"));
    b.click(&tid("case-row"));
    b.find(&tid("conflicts-banner"));
    b.screenshot("10-conflict");
    b.click(&format!(
        "{}[data-author-name='Aibek']",
        tid("conflict-keep")
    ));
    b.wait_for_text("Kaskelen construction site");
    b.wait_gone(&tid("conflicts-banner"));
    b.click(&tid("tab-people"));
    b.find(&tid("person-row"));
    if b.exists(&tid("nav-dashboard")) {
        b.click(&tid("nav-dashboard"));
        b.find(&tid("quarantined-count"));
        b.screenshot("11-dashboard");
    }
    if b.exists(&tid("nav-team")) {
        b.click(&tid("nav-team"));
        b.find(&tid("team-id"));
        b.screenshot("12-team");
    }
    b.click(&tid("lock"));
    b.find(&tid("unlock-passphrase"));
    b.screenshot("13-locked");
}
