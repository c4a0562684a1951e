//! The shell's command wiring on Tauri's mock runtime, with the app's real
//! configuration and capabilities: arguments parse, results serialise, and
//! every failure reaches the window as a stable code.

use caravan_desktop::state::AppState;
use serde_json::{Value, json};

use crate::shell::{PASS, Shell, enrol, founder, shell, shell_in};

#[test]
fn a_case_from_first_run_to_review() {
    let s = shell();
    let status = s.ok("app_status", json!({}));
    assert_eq!(status["vault_exists"], false);
    let created = s.ok("create_vault", json!({ "passphrase": PASS }));
    assert!(created["recovery_code"].as_str().unwrap().len() > 20);
    let team = s.ok(
        "found_team",
        json!({ "team_name": "Unit", "member_name": "Saule", "device_label": "laptop" }),
    );
    assert_eq!(team["me"]["role"], "admin");
    let case = s.ok(
        "create_case",
        json!({ "case": { "reference": "KZ-1", "title": "Site", "jurisdiction": "KZ" } }),
    );
    let case = case.as_str().unwrap();
    let list = s.ok(
        "list_cases",
        json!({ "filter": {
        "query": null, "stage": null, "status": null, "assignee": null,
        "jurisdiction": null, "overdue_only": false } }),
    );
    assert_eq!(list["cases"][0]["id"], case);
    let shown = s.ok("show_case", json!({ "case_id": case }));
    assert_eq!(shown["title"], "Site");
    assert_eq!(shown["stages"][0]["stage"], "intake");
    let lists = s.ok(
        "checklists",
        json!({ "case_id": case, "stage": "evidence", "lang": "ru" }),
    );
    assert!(!lists.as_array().unwrap().is_empty());
    // The admin is not an investigator: the policy refuses, by code.
    let item = lists[0]["items"][0]["id"].as_str().unwrap();
    let template = lists[0]["template_id"].as_str().unwrap();
    assert_eq!(
        s.code(
            "set_item",
            json!({ "case_id": case, "checklist": template, "item_id": item,
                    "update": { "status": "done", "reason": null, "note": null, "evidence_ids": [] } }),
        ),
        "policy.denied"
    );
    // Vocabulary values arrive typed: one the core does not know is
    // refused before any command runs, naming the value.
    let refused = s
        .call(
            "set_item",
            json!({ "case_id": case, "checklist": template, "item_id": item,
                    "update": { "status": "finished", "reason": null, "note": null, "evidence_ids": [] } }),
        )
        .unwrap_err();
    assert!(refused.to_string().contains("finished"), "{refused}");
    // Text is normalised by the core, whoever sends it (the CLI's input
    // goes through the same code): trimmed, the jurisdiction upper-case.
    let other = s.ok(
        "create_case",
        json!({ "case": { "reference": "  KZ-2 ", "title": " Farm ", "jurisdiction": " kz" } }),
    );
    let shown = s.ok("show_case", json!({ "case_id": other }));
    assert_eq!(
        (&shown["reference"], &shown["title"], &shown["jurisdiction"]),
        (&json!("KZ-2"), &json!("Farm"), &json!("KZ"))
    );
    // The legal qualification, from the articles offered for the case's
    // jurisdiction.
    let offered = s.ok("articles", json!({ "jurisdiction": "kz", "lang": "ru" }));
    let key = offered[0]["key"].as_str().unwrap().to_string();
    assert!(!offered[0]["title"].as_str().unwrap().is_empty());
    s.ok("add_article", json!({ "case_id": case, "key": key }));
    s.ok(
        "add_article",
        json!({ "case_id": case, "key": key, "part": "3", "paragraph": "2" }),
    );
    let shown = s.ok("show_case", json!({ "case_id": case }));
    let listed = shown["qualification"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1]["key"], json!(format!("{key}:3:2")));
    assert_eq!(listed[1]["article"]["paragraph"], json!("2"));
    s.ok("remove_article", json!({ "case_id": case, "key": key }));
    s.ok(
        "remove_article",
        json!({ "case_id": case, "key": format!("{key}:3:2") }),
    );
    assert_eq!(
        s.code("add_article", json!({ "case_id": case, "key": "XX-1-1" })),
        "core.invalid"
    );
    let verified = s.ok("audit_verify", json!({}));
    assert!(verified["entries"].as_u64().unwrap() > 3);
}

/// A shell over the vault of Aibek, an investigator of Saule's team (her
/// vault beside it), locked. Its folder is not hidden: the shell reads an
/// attachment from no hidden folder.
fn investigators_shell() -> Shell {
    let dir = tempfile::Builder::new()
        .prefix("caravan-shell")
        .tempdir()
        .unwrap();
    let mut admin = founder(&dir.path().join("admin"));
    enrol(
        &mut admin,
        &dir.path().join("vault"),
        "Aibek",
        caravan_core::model::Role::Investigator,
    );
    admin.lock();
    shell_in(dir)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The evidence form and card as the window drives them: an item seized by
/// someone is held by them; a hand-over is recorded at the moment typed,
/// never in the future or before the seizure; a file is attached with its
/// name, type and size, and written out again, byte for byte, to a new
/// file the user names.
#[test]
fn custody_attach_and_export_through_the_window() {
    let s = investigators_shell();
    s.ok("unlock", json!({ "passphrase": PASS }));
    let case = s.ok(
        "create_case",
        json!({ "case": { "reference": "KZ-3", "title": "Kiln", "jurisdiction": "KZ" } }),
    );
    let seized_at = now_ms() - 2 * 24 * 3_600_000;
    let phone = s.ok(
        "add_evidence",
        json!({ "case_id": case, "evidence": {
            "label": "Phone", "kind": "phone", "description": "",
            "seized_at": seized_at, "seized_by": "Det. Omarov", "seal_number": "S-1" } }),
    );
    let item = |s: &Shell| s.ok("show_case", json!({ "case_id": case }))["evidence"][0].clone();
    let shown = item(&s);
    assert_eq!(
        (&shown["holder"], &shown["seized_by"], &shown["seized_at"]),
        (
            &json!("Det. Omarov"),
            &json!("Det. Omarov"),
            &json!(seized_at)
        )
    );
    let transfer = |at: i64| {
        json!({ "case_id": case, "evidence_id": phone, "transfer": {
            "from": "Det. Omarov", "to": "Forensic lab", "place": "Almaty", "at": at } })
    };
    assert_eq!(
        s.code("transfer_custody", transfer(now_ms() + 3_600_000)),
        "custody.in_future"
    );
    assert_eq!(
        s.code("transfer_custody", transfer(seized_at - 60_000)),
        "custody.before_seizure"
    );
    let handed = now_ms() - 3_600_000;
    s.ok("transfer_custody", transfer(handed));
    let shown = item(&s);
    let entry = &shown["custody"][0];
    assert_eq!(entry["at"], handed);
    assert!(entry["recorded_at"].as_i64().unwrap() > handed, "{entry}");
    assert_eq!(shown["holder"], "Forensic lab");

    let dir = s.dir();
    let data: Vec<u8> = (0..150_000u32).map(|i| (i % 253) as u8).collect();
    let file = dir.join("seal receipt.pdf");
    std::fs::write(&file, &data).unwrap();
    let attached = s.ok(
        "attach",
        json!({ "case_id": case, "evidence_id": phone, "path": file }),
    );
    assert_eq!(
        (
            &attached["file_name"],
            &attached["media_type"],
            &attached["size"]
        ),
        (
            &json!("seal receipt.pdf"),
            &json!("application/pdf"),
            &json!(150_000)
        )
    );
    let shown = item(&s);
    assert_eq!(
        shown["attachment"],
        json!({ "sha256": attached["sha256"], "file_name": "seal receipt.pdf",
                "media_type": "application/pdf", "size": 150_000 })
    );
    let out = dir.join("copy.pdf");
    let exported = s.ok(
        "export_attachment",
        json!({ "case_id": case, "evidence_id": phone, "path": out }),
    );
    assert_eq!(exported["sha256"], attached["sha256"]);
    assert_eq!(std::fs::read(&out).unwrap(), data);
    // A typed path never replaces a file, and must be absolute.
    for path in [json!(out), json!("copy-2.pdf")] {
        assert_eq!(
            s.code(
                "export_attachment",
                json!({ "case_id": case, "evidence_id": phone, "path": path }),
            ),
            "app.path_refused"
        );
    }
}

/// The court dossier as the dialog writes it: a new `.pdf` file the user
/// names, in the chosen language, identities only when revealed; a typed
/// path that is relative, not a PDF or an existing file is refused.
#[test]
fn court_dossier_through_the_window() {
    let s = investigators_shell();
    s.ok("unlock", json!({ "passphrase": PASS }));
    let case = s.ok(
        "create_case",
        json!({ "case": { "reference": "KZ-9", "title": "Kiln", "jurisdiction": "KZ" } }),
    );
    let dir = s.dir();
    let out = dir.join("KZ-9.pdf");
    let written = s.ok(
        "write_dossier",
        json!({ "case_id": case, "options": { "lang": "ru", "reveal": false }, "path": out }),
    );
    assert_eq!(written["revealed"], false);
    let pdf = std::fs::read(&out).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(written["bytes"], pdf.len());
    assert!(written["pages"].as_u64().unwrap() >= 2, "{written}");
    let digest = written["digest"].as_str().unwrap();
    assert!(
        pdf.windows(digest.len()).any(|w| w == digest.as_bytes()),
        "the binding is in the metadata"
    );
    for path in [json!(out), json!("KZ-9.pdf"), json!(dir.join("KZ-9.txt"))] {
        assert_eq!(
            s.code(
                "write_dossier",
                json!({ "case_id": case, "options": { "lang": "ru", "reveal": false }, "path": path }),
            ),
            "app.path_refused"
        );
    }
    assert_eq!(
        s.code(
            "write_dossier",
            json!({ "case_id": case, "options": { "lang": "xx", "reveal": false }, "path": dir.join("x.pdf") }),
        ),
        "dossier.unknown_language"
    );
}

#[test]
fn errors_reach_the_window_as_codes() {
    let s = shell();
    assert_eq!(s.code("show_case", json!({ "case_id": "x" })), "app.locked");
    s.ok("create_vault", json!({ "passphrase": PASS }));
    assert_eq!(
        s.code("show_case", json!({ "case_id": "nope" })),
        "core.no_team"
    );
    s.ok("lock", json!({}));
    let e = s.call(
        "unlock",
        json!({ "passphrase": "wrong passphrase, long enough" }),
    );
    let e = e.unwrap_err();
    assert_eq!(e["code"], "vault.wrong_passphrase");
    assert_eq!(e["kind"], "wrong_secret");
    s.ok("unlock", json!({ "passphrase": PASS }));
    assert_eq!(
        s.code("create_vault", json!({ "passphrase": PASS })),
        "vault.already_exists"
    );
    let weak = s.ok("passphrase_strength", json!({ "passphrase": "password" }));
    assert_eq!(weak["acceptable"], false);
    // Malformed arguments are refused by the IPC layer, never a panic.
    assert!(s.call("show_case", json!({ "case": 1 })).is_err());
}

#[test]
fn quarantine_review_commands_take_the_case_and_change_and_answer_with_codes() {
    let s = shell();
    s.ok("create_vault", json!({ "passphrase": PASS }));
    s.ok(
        "found_team",
        json!({ "team_name": "Unit", "member_name": "Saule", "device_label": "laptop" }),
    );
    assert_eq!(s.ok("quarantine", json!({})), json!([]));
    let target = json!({ "case_id": "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1", "change": "3e7c50c1" });
    assert_eq!(
        s.code("release_quarantined", target.clone()),
        "core.not_found"
    );
    assert_eq!(s.code("discard_quarantined", target), "core.not_found");
    // Both are required: a bare change id is refused by the IPC layer.
    assert!(
        s.call("release_quarantined", json!({ "change": "3e7c50c1" }))
            .is_err()
    );
    s.ok("lock", json!({}));
    assert_eq!(
        s.code(
            "discard_quarantined",
            json!({ "case_id": "x", "change": "y" })
        ),
        "app.locked"
    );
}

#[test]
fn file_commands_take_only_caravans_own_files_from_a_typed_path() {
    let s = shell();
    s.ok("create_vault", json!({ "passphrase": PASS }));
    s.ok(
        "found_team",
        json!({ "team_name": "Unit", "member_name": "Saule", "device_label": "laptop" }),
    );
    let dir = s.dir();
    let secret = dir.join(".ssh").join("id_ed25519");
    std::fs::create_dir_all(secret.parent().unwrap()).unwrap();
    std::fs::write(&secret, b"private key").unwrap();
    let existing = dir.join("notes.caravan");
    std::fs::write(&existing, b"someone's file").unwrap();
    // A window that ran injected script names files it must not touch.
    let refused = |cmd: &str, args: Value| {
        let (cmd, args) = (cmd.to_string(), args);
        assert_eq!(s.code(&cmd, args), "app.path_refused", "{cmd}");
    };
    refused(
        "import_bundle",
        json!({ "path": secret, "on_progress": "__CHANNEL__:1" }),
    );
    refused(
        "export_bundle",
        json!({ "member": null, "path": existing, "on_progress": "__CHANNEL__:2" }),
    );
    refused(
        "export_bundle",
        json!({ "member": null, "path": "relative.caravan", "on_progress": "__CHANNEL__:3" }),
    );
    let case = s.ok(
        "create_case",
        json!({ "case": { "reference": "KZ-1", "title": "Site", "jurisdiction": "KZ" } }),
    );
    refused(
        "attach",
        json!({ "case_id": case, "evidence_id": null, "path": secret }),
    );
    assert_eq!(std::fs::read(&existing).unwrap(), b"someone's file");
    // A new bundle file is written where the user typed it.
    let out = dir.join("for-team.caravan");
    let done = s.ok(
        "export_bundle",
        json!({ "member": null, "path": out, "on_progress": "__CHANNEL__:4" }),
    );
    assert!(done["bytes"].as_u64().unwrap() > 0, "{done}");
    assert!(out.is_file());
}

#[test]
fn the_demo_is_a_mode_that_locking_or_leaving_ends_at_the_users_own_vault() {
    let s = shell();
    s.ok("create_vault", json!({ "passphrase": PASS }));
    let own = s.ok("app_status", json!({}))["vault_dir"].clone();
    let demo = s.ok("open_demo", json!({}));
    assert_eq!(demo["demo"], true);
    assert_eq!(demo["unlocked"], true);
    assert_ne!(demo["vault_dir"], own);
    s.ok("lock", json!({}));
    let back = s.ok("app_status", json!({}));
    assert_eq!(back["demo"], false);
    assert_eq!(back["vault_dir"], own);
    assert_eq!(back["unlocked"], false);
    s.ok("unlock", json!({ "passphrase": PASS }));
    s.ok("open_demo", json!({}));
    let left = s.ok("leave_demo", json!({}));
    assert_eq!(
        (left["demo"].clone(), left["vault_dir"].clone()),
        (json!(false), own)
    );
}

/// A panic in the core (a bug, or input crafted to reach one) ends the
/// session: the workspace and its keys are dropped, the window sees a
/// locked vault, and the vault opens again with its passphrase.
#[test]
fn a_command_that_panics_locks_the_vault() {
    use tauri::Manager;
    let s = shell();
    s.ok("create_vault", json!({ "passphrase": PASS }));
    let state = s.window().state::<AppState>();
    let answer = tauri::async_runtime::block_on(state.run("panics", |_| {
        if PASS.is_empty() {
            return Ok(());
        }
        panic!("a bug in the core")
    }));
    assert_eq!(answer.unwrap_err().code, "app.unexpected");
    assert_eq!(s.ok("app_status", json!({}))["unlocked"], false);
    assert_eq!(s.code("team", json!({})), "app.locked");
    s.ok("unlock", json!({ "passphrase": PASS }));
    assert_eq!(s.code("team", json!({})), "core.no_team");
}

/// A recovery code the person never confirmed writing down (the vault was
/// locked on its screen) is replaced by a new one, and the old one stops
/// opening the vault, until they confirm.
#[test]
fn an_unconfirmed_recovery_code_is_replaced_until_confirmed() {
    let s = shell();
    let first = s.ok("create_vault", json!({ "passphrase": PASS }))["recovery_code"].clone();
    assert_eq!(s.ok("app_status", json!({}))["recovery_unconfirmed"], true);
    s.ok("lock", json!({}));
    s.ok("unlock", json!({ "passphrase": PASS }));
    assert_eq!(s.ok("app_status", json!({}))["recovery_unconfirmed"], true);
    let second = s.ok("new_recovery_code", json!({}));
    assert_ne!(first, second);
    s.ok("confirm_recovery_code", json!({}));
    assert_eq!(s.ok("app_status", json!({}))["recovery_unconfirmed"], false);
    s.ok("lock", json!({}));
    let new_passphrase = "another long enough passphrase";
    let refused = json!({ "recovery_code": first, "new_passphrase": new_passphrase });
    assert_eq!(s.code("recover", refused), "vault.wrong_recovery_code");
    let opened = json!({ "recovery_code": second, "new_passphrase": new_passphrase });
    assert_eq!(s.ok("recover", opened)["unlocked"], true);
}

#[test]
fn sign_offs_and_their_withdrawal_reach_the_window() {
    let s = shell();
    s.ok("create_vault", json!({ "passphrase": PASS }));
    s.ok(
        "found_team",
        json!({ "team_name": "Unit", "member_name": "Saule", "device_label": "laptop" }),
    );
    let case = s.ok(
        "create_case",
        json!({ "case": { "reference": "KZ-3", "title": "Bakery", "jurisdiction": "KZ" } }),
    );
    // Each stage says whether it may be signed off, and who reviews the
    // case (no prosecutor has it yet).
    let shown = s.ok("show_case", json!({ "case_id": case }));
    assert_eq!(shown["signoffs"][0]["stage"], "intake");
    assert_eq!(shown["signoffs"][0]["blocked"], Value::Null);
    assert_eq!(shown["signoffs"][9]["stage"], "prosecution_review");
    assert_eq!(shown["signoffs"][9]["blocked"], "not_started");
    assert_eq!(shown["assignment"]["reviewers"], json!([]));
    // The target arrives typed, the reason is required, and a sign-off
    // that does not exist is named as such.
    let stage = json!({ "kind": "stage", "review_id": "r-1" });
    let item =
        json!({ "kind": "item", "template_id": "prosecution-review", "item_id": "act-proven" });
    assert_eq!(
        s.code(
            "withdraw_signoff",
            json!({ "case_id": case, "target": stage, "reason": "  " })
        ),
        "signoff.reason_required"
    );
    for target in [stage, item] {
        assert_eq!(
            s.code(
                "withdraw_signoff",
                json!({ "case_id": case, "target": target, "reason": "Signed in error" })
            ),
            "core.not_found"
        );
    }
    let malformed = s.call(
        "withdraw_signoff",
        json!({ "case_id": case, "target": { "kind": "everything" }, "reason": "x" }),
    );
    assert!(malformed.is_err());
}

#[test]
fn anonymised_statistics_go_only_into_a_new_folder_typed_or_one_the_dialog_chose() {
    let s = shell();
    s.ok("create_vault", json!({ "passphrase": PASS }));
    s.ok(
        "found_team",
        json!({ "team_name": "Unit", "member_name": "Saule", "device_label": "laptop" }),
    );
    // A visible folder: a typed path through a hidden one is refused.
    let visible = tempfile::Builder::new().prefix("stats").tempdir().unwrap();
    let dir = visible.path();
    let out = dir.join("statistics-2026");
    std::fs::create_dir(&out).unwrap();
    let written = s.ok(
        "export_htcds",
        json!({ "options": { "folder": out, "k": 11, "cases": [] } }),
    );
    assert_eq!(written["report"]["k"], 11);
    assert_eq!(written["files"].as_array().unwrap().len(), 6);
    assert!(out.join("suppression.json").is_file());
    // A typed folder is one that exists and holds none of the files, is
    // absolute and visible; the options are checked by the core.
    std::fs::create_dir(dir.join(".hidden")).unwrap();
    for folder in [
        json!(out),
        json!("stats"),
        json!(dir.join(".hidden")),
        json!(dir.join("missing")),
    ] {
        assert_eq!(
            s.code(
                "export_htcds",
                json!({ "options": { "folder": folder, "k": 11, "cases": [] } }),
            ),
            "app.path_refused",
            "{folder}"
        );
    }
    assert_eq!(
        s.code(
            "export_htcds",
            json!({ "options": { "folder": dir, "k": 1, "cases": [] } }),
        ),
        "core.invalid"
    );
}
