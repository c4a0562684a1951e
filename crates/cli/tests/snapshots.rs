//! Snapshots: the help texts (the command-line contract) and the shape of
//! the JSON documents scripts rely on. Ids, times, hashes and fingerprints
//! are replaced by placeholders.

use crate::common::*;
use serde_json::Value;

const TOP: &[&str] = &[
    "init",
    "join",
    "team",
    "case",
    "person",
    "checklist",
    "evidence",
    "attach",
    "interview",
    "task",
    "note",
    "conflicts",
    "resolve",
    "review",
    "approve",
    "report",
    "sync",
    "audit",
    "passphrase",
    "demo",
    "completions",
    "man",
];

#[test]
fn help_texts() {
    let d = Device::new();
    insta::assert_snapshot!("help", d.ok(&["--help"]));
    for cmd in TOP {
        insta::assert_snapshot!(format!("help_{cmd}"), d.ok(&[cmd, "--help"]));
    }
}

fn is_hex(s: &str) -> bool {
    s.len() >= 8 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Replaces values that differ from run to run with placeholders.
fn stable(v: &mut Value, key: &str) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                stable(x, k);
            }
        }
        Value::Array(a) => {
            // Members are listed by their (random) id: order them by name.
            a.sort_by(|x, y| x["name"].as_str().cmp(&y["name"].as_str()));
            for x in a {
                stable(x, key);
            }
        }
        Value::Number(_)
            if key.ends_with("_ms") || key.ends_with("_at") || key == "at" || key == "bytes" =>
        {
            *v = Value::String("[number]".into());
        }
        Value::String(s) => {
            if key == "fingerprint" {
                *v = Value::String("[fingerprint]".into());
            } else if key == "today" {
                *v = Value::String("[date]".into());
            } else if is_hex(s) {
                *v = Value::String(format!("[hex{}]", s.len()));
            }
        }
        _ => {}
    }
}

fn shape(d: &Device, args: &[&str]) -> Value {
    let mut v = d.json(args);
    stable(&mut v, "");
    v
}

#[test]
fn json_shapes() {
    let t = team();
    let inv = &t.inv;
    let case = new_case(inv, "2026-031");
    inv.ok(&person_add(
        &case,
        "victim",
        "V1",
        "Nodira Karimova",
        &["--exploitation", "forced_labour"],
    ));
    inv.ok(&[
        "task",
        "add",
        &case,
        "--title",
        "Bank records",
        "--assignee",
        "Timur",
        "--due",
        "2020-01-01",
    ]);
    let bundle = inv.path("b.bundle");
    inv.ok(&["sync", "export", "--to", "Aigul", "--out", s(&bundle)]);
    let admin = &t.admin;

    insta::assert_json_snapshot!("sync_import", shape(admin, &["sync", "import", s(&bundle)]));
    insta::assert_json_snapshot!("case_list", shape(admin, &["case", "list"]));
    insta::assert_json_snapshot!("case_show", shape(admin, &["case", "show", &case]));
    insta::assert_json_snapshot!("team_members", shape(admin, &["team", "members"]));
    insta::assert_json_snapshot!("report_progress", shape(admin, &["report", "progress"]));
}
