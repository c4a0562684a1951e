//! Bad input: every case ends with a clear error code and exit code, and
//! nothing in the vault changes.

use std::sync::Arc;

use crate::common::*;
use caravan_core::vault::Passphrase;
use caravan_core::{OpenOptions, SystemClock, Workspace};

struct Case<'a> {
    name: &'a str,
    on: &'a Device,
    args: Vec<String>,
    env: Vec<(&'a str, &'a str)>,
    exit: i32,
    /// The error code printed on stderr starts with this.
    code: &'a str,
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

fn snapshot(d: &Device) -> (String, String) {
    (
        d.ok(&["--json", "case", "list"]),
        d.ok(&["--json", "sync", "quarantine"]),
    )
}

#[test]
fn bad_input_is_refused_with_its_code_and_changes_nothing() {
    let t = team();
    let admin = &t.admin;
    let case = new_case(&t.inv, "2026-020");
    let bundle = t.inv.path("b.bundle");
    t.inv
        .ok(&["sync", "export", "--to", "Aigul", "--out", s(&bundle)]);
    let first = admin.json(&["sync", "import", s(&bundle)]);
    assert!(first["applied"].as_u64().unwrap() > 0);
    let lists = admin.json(&["checklist", "show", &case]);
    let template = lists[0]["template_id"].as_str().unwrap().to_string();
    let item = lists[0]["items"][0]["id"].as_str().unwrap().to_string();

    // A prosecutor who may see the case.
    let (pros, _) = enrol(admin, "prosecutor", "Dana");
    admin.ok(&["team", "grant", &case, "Dana"]);
    let to_pros = admin.path("to-dana.bundle");
    admin.ok(&["sync", "export", "--to", "Dana", "--out", s(&to_pros)]);
    pros.ok(&["sync", "import", s(&to_pros)]);
    pros.ok(&["case", "show", &case]);

    // Damaged bundles.
    let bytes = std::fs::read(&bundle).unwrap();
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x01;
    let flipped_path = admin.path("flipped.bundle");
    std::fs::write(&flipped_path, &flipped).unwrap();
    let truncated_path = admin.path("truncated.bundle");
    std::fs::write(&truncated_path, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let text_path = admin.path("notes.txt");
    std::fs::write(&text_path, "just some notes\n").unwrap();
    // Another team's bundle.
    let other = Device::new();
    other.ok(&["init", "--team", "Other", "--name", "Olga"]);
    new_case(&other, "X-1");
    let foreign = other.path("foreign.bundle");
    other.ok(&["sync", "export", "--any", "--out", s(&foreign)]);
    // A folder with something that is not a vault.
    let junk = Device::new();
    std::fs::create_dir_all(junk.vault()).unwrap();
    std::fs::write(
        junk.vault().join("vault.db"),
        b"this is not a database at all, just text",
    )
    .unwrap();
    let junk_vault = junk.vault();

    let before_admin = snapshot(admin);
    let before_pros = snapshot(&pros);

    let cases = vec![
        Case {
            name: "wrong passphrase",
            on: admin,
            args: args(&["case", "list"]),
            env: vec![("CARAVAN_PASSPHRASE", "not the passphrase at all")],
            exit: 3,
            code: "vault.wrong_passphrase",
        },
        Case {
            name: "not a vault",
            on: admin,
            args: args(&["--vault", s(&junk_vault), "case", "list"]),
            env: vec![],
            exit: 5,
            code: "vault.not_a_vault",
        },
        Case {
            name: "bundle for another team",
            on: admin,
            args: args(&["sync", "import", s(&foreign)]),
            env: vec![],
            exit: 6,
            code: "sync.wrong_team",
        },
        Case {
            name: "one flipped byte",
            on: admin,
            args: args(&["sync", "import", s(&flipped_path)]),
            env: vec![],
            exit: 6,
            code: "sync.",
        },
        Case {
            name: "truncated bundle",
            on: admin,
            args: args(&["sync", "import", s(&truncated_path)]),
            env: vec![],
            exit: 6,
            code: "sync.",
        },
        Case {
            name: "not a bundle",
            on: admin,
            args: args(&["sync", "import", s(&text_path)]),
            env: vec![],
            exit: 6,
            code: "sync.not_a_bundle",
        },
        Case {
            name: "missing bundle file",
            on: admin,
            args: args(&["sync", "import", "no-such-file.bundle"]),
            env: vec![],
            exit: 1,
            code: "core.file",
        },
        Case {
            name: "not applicable without a reason",
            on: admin,
            args: args(&["checklist", "tick", &case, &template, &item, "--na", " "]),
            env: vec![],
            exit: 5,
            code: "checklist.reason_required",
        },
        Case {
            name: "unknown case",
            on: admin,
            args: args(&["case", "show", "ffffffffffff"]),
            env: vec![],
            exit: 5,
            code: "core.not_found",
        },
        Case {
            name: "unknown member",
            on: admin,
            args: args(&["sync", "export", "--to", "Nobody", "--out", "x.bundle"]),
            env: vec![],
            exit: 5,
            code: "core.not_found",
        },
        Case {
            name: "invalid jurisdiction",
            on: admin,
            args: args(&[
                "case",
                "new",
                "--reference",
                "R",
                "--jurisdiction",
                "Narnia",
            ]),
            env: vec![],
            exit: 5,
            code: "case.invalid",
        },
        Case {
            name: "prosecutor adds a person",
            on: &pros,
            args: args(&person_add(&case, "victim", "V9", "X Y", &[])),
            env: vec![],
            exit: 5,
            code: "policy.denied",
        },
        Case {
            name: "prosecutor changes a role",
            on: &pros,
            args: args(&["team", "role", "Timur", "admin"]),
            env: vec![],
            exit: 5,
            code: "core.denied",
        },
        Case {
            name: "malformed date",
            on: admin,
            args: args(&["task", "add", &case, "--title", "T", "--due", "2026-13-45"]),
            env: vec![],
            exit: 2,
            code: "",
        },
        Case {
            name: "unknown vocabulary value",
            on: admin,
            args: args(&[
                "evidence",
                "add",
                &case,
                "--label",
                "L",
                "--kind",
                "spaceship",
            ]),
            env: vec![],
            exit: 2,
            code: "",
        },
        Case {
            name: "unknown command",
            on: admin,
            args: args(&["frobnicate"]),
            env: vec![],
            exit: 2,
            code: "",
        },
    ];

    for c in &cases {
        let mut cmd = c.on.cmd();
        cmd.args(&c.args);
        for (k, v) in &c.env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(c.exit),
            "{}: wrong exit code; stderr: {stderr}",
            c.name
        );
        assert!(stdout.is_empty(), "{}: printed on stdout: {stdout}", c.name);
        assert!(!stderr.contains("panicked"), "{}: {stderr}", c.name);
        if !c.code.is_empty() {
            assert!(
                stderr.starts_with(&format!("error[{}", c.code)),
                "{}: expected error[{}…], got: {stderr}",
                c.name,
                c.code
            );
        }
        // The same with --json: one JSON error object on stderr.
        if c.exit != 2 {
            let mut cmd = c.on.cmd();
            cmd.arg("--json").args(&c.args);
            for (k, v) in &c.env {
                cmd.env(k, v);
            }
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(c.exit), "{} (--json)", c.name);
            assert!(out.stdout.is_empty(), "{} (--json): stdout", c.name);
            let v: serde_json::Value = serde_json::from_slice(&out.stderr)
                .unwrap_or_else(|e| panic!("{}: stderr not JSON: {e}", c.name));
            assert!(
                v["error"]["code"].as_str().unwrap().starts_with(c.code),
                "{}: {v}",
                c.name
            );
        }
    }

    assert_eq!(snapshot(admin), before_admin, "the admin's vault changed");
    assert_eq!(
        snapshot(&pros),
        before_pros,
        "the prosecutor's vault changed"
    );
    admin.ok(&["audit", "verify"]);
    pros.ok(&["audit", "verify"]);

    // Replayed bundle: harmless, nothing applied.
    let again = admin.json(&["sync", "import", s(&bundle)]);
    assert_eq!(again["applied"], 0, "{again}");
    assert_eq!(snapshot(admin).0, before_admin.0);
}

#[test]
fn vault_in_use_and_messages_in_russian() {
    let d = Device::new();
    d.ok(&["init", "--team", "T", "--name", "A"]);
    {
        let opts = OpenOptions::insecure_fast_kdf(Arc::new(SystemClock));
        let _held = Workspace::unlock(&d.vault(), &Passphrase::from(PASS), &opts).unwrap();
        let (code, err) = d.fail(&["case", "list"]);
        assert_eq!(code, 4, "{err}");
        assert!(err.starts_with("error[vault.in_use]"), "{err}");
    }
    d.ok(&["case", "list"]);
    let out = d
        .cmd()
        .args(["--lang", "ru", "case", "list"])
        .env("CARAVAN_PASSPHRASE", "wrong wrong wrong wrong")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("Неверная парольная фраза"), "{err}");
    // A passphrase file: first line only.
    let pf = d.path("pass.txt");
    std::fs::write(&pf, format!("{PASS}\nsecond line\n")).unwrap();
    d.cmd()
        .args(["--passphrase-file", s(&pf), "case", "list"])
        .env_remove("CARAVAN_PASSPHRASE")
        .assert()
        .success();
    // No passphrase and no terminal: a clear error, not a hang.
    let out = d
        .cmd()
        .args(["case", "list"])
        .env_remove("CARAVAN_PASSPHRASE")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.starts_with("error[cli.no_passphrase]"), "{err}");
}
