//! Helpers: one temporary vault per simulated device, the built binary
//! run with the cheap test key derivation.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;

pub const PASS: &str = "correct horse battery staple 2026";

pub struct Device {
    pub dir: tempfile::TempDir,
}

impl Device {
    pub fn new() -> Device {
        Device {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn vault(&self) -> PathBuf {
        self.dir.path().join("vault")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn cmd(&self) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::new(env!("CARGO_BIN_EXE_caravan"));
        c.env("CARAVAN_VAULT", self.vault())
            .env("CARAVAN_INSECURE_FAST_KDF", "1")
            .env("CARAVAN_PASSPHRASE", PASS)
            .env_remove("CARAVAN_LANG")
            .env_remove("CARAVAN_NEW_PASSPHRASE")
            .current_dir(self.dir.path());
        c
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "caravan {args:?} failed ({:?}):\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs with --json and asserts success; returns the document.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let s = self.ok(&all);
        serde_json::from_str(&s).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {s}"))
    }

    /// Runs and asserts failure; returns (exit code, stderr).
    pub fn fail(&self, args: &[&str]) -> (i32, String) {
        let out = self.cmd().args(args).output().unwrap();
        assert!(!out.status.success(), "caravan {args:?} should fail");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// An admin with a team, and an investigator enrolled by files.
pub struct Team {
    pub admin: Device,
    pub inv: Device,
    pub admin_id: String,
    pub inv_id: String,
    pub team_id: String,
}

pub fn enrol(admin: &Device, role: &str, name: &str) -> (Device, String) {
    let d = Device::new();
    let req = d.path("request.txt");
    let out = d.json(&[
        "join",
        "request",
        "--name",
        name,
        "--device",
        "laptop",
        "--out",
        req.to_str().unwrap(),
    ]);
    assert!(out["fingerprint"].is_string());
    let pkg = d.path("package.join");
    admin.ok(&[
        "team",
        "approve",
        req.to_str().unwrap(),
        "--role",
        role,
        "--out",
        pkg.to_str().unwrap(),
    ]);
    // The admin reads the team fingerprint out from their screen.
    let team = admin.json(&["team", "members"]);
    let fingerprint = team["fingerprint"].as_str().unwrap();
    let view = d.json(&[
        "join",
        "accept",
        pkg.to_str().unwrap(),
        "--team",
        fingerprint,
    ]);
    let id = view["me"]["id"].as_str().unwrap().to_string();
    (d, id)
}

pub fn team() -> Team {
    let admin = Device::new();
    let init = admin.json(&[
        "init", "--team", "Unit 7", "--name", "Aigul", "--device", "office",
    ]);
    let team_id = init["team"]["id"].as_str().unwrap().to_string();
    let admin_id = init["team"]["me"]["id"].as_str().unwrap().to_string();
    let (inv, inv_id) = enrol(&admin, "investigator", "Timur");
    Team {
        admin,
        inv,
        admin_id,
        inv_id,
        team_id,
    }
}

pub fn new_case(d: &Device, reference: &str) -> String {
    let v = d.json(&[
        "case",
        "new",
        "--reference",
        reference,
        "--title",
        "Greenhouses",
        "--jurisdiction",
        "KZ",
    ]);
    v["id"].as_str().unwrap().to_string()
}

pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `person add` for `case`: a person of `kind` with a pseudonym and a name,
/// then any further options.
pub fn person_add<'a>(
    case: &'a str,
    kind: &'a str,
    pseudonym: &'a str,
    name: &'a str,
    more: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec![
        "person",
        "add",
        case,
        "--kind",
        kind,
        "--pseudonym",
        pseudonym,
        "--name",
        name,
    ];
    args.extend_from_slice(more);
    args
}

/// The audit log `log` (as `audit log` prints it) holds an entry of `action`.
pub fn assert_logged(log: &Value, action: &str) {
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == action),
        "{log}"
    );
}
