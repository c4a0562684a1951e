//! What the window's forms really send, through the real commands.
//!
//! The UI's tests fill every field of every form and record the payload it
//! sends (ui/src/test/payloads/, see forms.test.ts there). Here each payload
//! is sent, as it is, by a member in the form's role, on a real vault of a
//! real team; the command must accept it, and every value sent must be what
//! the case then shows. A form and its command cannot disagree on a field's
//! shape unseen any more: an age sent as text was refused with "An
//! unexpected error occurred." and nothing but a person trying found it.
//!
//! An edit form sends one command per field it changed; its file holds
//! them all (`calls`), sent in order on the records the add forms made.
//! Each edited record's history then shows every value sent, identity
//! values only when revealed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use caravan_core::model::Role;
use caravan_core::{NewCaseInput, Workspace};
use serde_json::{Value, json};

use crate::shell::{PASS, Shell, enrol, founder, opts, pass};

/// One recorded payload: the commands one form sent when saved (one, but
/// for an edit form).
struct Payload {
    file: String,
    role: Role,
    calls: Vec<Call>,
    /// Sent by an edit form.
    edit: bool,
}

/// One command of a payload.
struct Call {
    command: String,
    args: Value,
}

impl Payload {
    /// The form's command (an edit form's first), which places it.
    fn command(&self) -> &str {
        &self.calls[0].command
    }
}

fn payloads() -> Vec<Payload> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/test/payloads");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let v: Value = serde_json::from_str(&text).unwrap();
            let call = |c: &Value| Call {
                command: c["command"].as_str().unwrap().to_string(),
                args: c["args"].clone(),
            };
            let calls = match v["calls"].as_array() {
                Some(calls) => calls.iter().map(call).collect(),
                None => vec![call(&v)],
            };
            Payload {
                file: path.file_name().unwrap().to_string_lossy().into_owned(),
                role: serde_json::from_value(v["role"].clone()).unwrap(),
                edit: v["calls"].is_array(),
                calls,
            }
        })
        .collect()
}

/// Runs `f` on the vault at `dir`, opened by the core, and locks it again.
fn with_vault<T>(dir: &Path, f: impl FnOnce(&mut Workspace) -> T) -> T {
    let mut ws = Workspace::unlock(dir, &pass(), &opts()).unwrap();
    let out = f(&mut ws);
    ws.lock();
    out
}

/// A bundle from the vault at `from` for the member of the vault at `to`.
fn sync(from: &Path, to: &Path) {
    let me = with_vault(to, |ws| ws.me().unwrap().0);
    let (bundle, _) = with_vault(from, |ws| ws.export_bundle(Some(&me), &mut |_| {}).unwrap());
    with_vault(to, |ws| ws.import_bundle(&bundle, &mut |_| {}).unwrap());
}

/// A team of four, one member per role, each with a vault under `root`.
fn team(root: &Path) -> BTreeMap<Role, PathBuf> {
    let admin_dir = root.join("admin");
    let mut admin = founder(&admin_dir);
    let mut vaults = BTreeMap::from([(Role::Admin, admin_dir.clone())]);
    for (role, name) in [
        (Role::Investigator, "Aibek"),
        (Role::Prosecutor, "Dana"),
        (Role::Supervisor, "Marat"),
    ] {
        let dir = root.join(name);
        enrol(&mut admin, &dir, name, role);
        vaults.insert(role, dir);
    }
    admin.lock();
    for role in [Role::Investigator, Role::Prosecutor, Role::Supervisor] {
        sync(&admin_dir, &vaults[&role]);
    }
    vaults
}

/// Replaces the ids of the UI's fixtures with the ids of the real records,
/// in a field's path too (`tasks/t1/title`) and in a victim's checklist's
/// key (`initial-actions~p1`).
fn with_ids(v: &Value, ids: &BTreeMap<String, String>) -> Value {
    let replaced = |part: &str, sep: &str| -> String {
        part.split(sep)
            .map(|seg| ids.get(seg).map_or(seg, String::as_str))
            .collect::<Vec<_>>()
            .join(sep)
    };
    match v {
        Value::String(s) => Value::String(
            s.split('/')
                .map(|seg| replaced(seg, "~"))
                .collect::<Vec<_>>()
                .join("/"),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| with_ids(x, ids)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), with_ids(x, ids)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Every value in `v` that is not a flag or an empty one, with its key.
fn leaves<'a>(key: &'a str, v: &'a Value, out: &mut Vec<(&'a str, &'a Value)>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| leaves(key, x, out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| leaves(k, x, out)),
        Value::Null | Value::Bool(_) => {}
        _ => out.push((key, v)),
    }
}

/// Every value the case shows, flags included, as `set_field` takes it:
/// as text (a severity of 4 is sent as "4", a ticked box as "true").
fn shown_as_text(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| shown_as_text(x, out)),
        Value::Object(o) => o.values().for_each(|x| shown_as_text(x, out)),
        Value::Null => {}
        Value::String(s) => out.push(s.clone()),
        other => out.push(other.to_string()),
    }
}

/// Keys whose values are ids of records the payload refers to.
const REFERENCES: &[&str] = &[
    "case_id",
    "person_id",
    "evidence_id",
    "template_id",
    "checklist",
    "item_id",
    "assignee",
    "path",
    // A charge's article, by the key of the article offered: the case
    // shows it with the part and paragraph the form gave.
    "article",
];

/// What the member sees of the case after the command: the case, its
/// checklists and, for a person just added, their revealed identity.
fn read_back(
    s: &Shell,
    case: &str,
    added: &Value,
    p: &Payload,
    ids: &BTreeMap<String, String>,
) -> Value {
    let mut shown = vec![
        s.ok("show_case", json!({ "case_id": case })),
        s.ok(
            "checklists",
            json!({ "case_id": case, "stage": null, "lang": "en" }),
        ),
    ];
    if p.command() == "add_person" {
        shown.push(s.ok(
            "reveal_person",
            json!({ "case_id": case, "person_id": added }),
        ));
    }
    if p.command() == "add_identifier" {
        shown.push(s.ok(
            "reveal_identifier",
            json!({ "case_id": case, "identifier_id": added }),
        ));
    }
    // An identifier edited: its value, which no view holds.
    for identifier in edited_records(p, ids)
        .iter()
        .filter_map(|r| r.split_once('/'))
        .filter(|(c, _)| *c == "identifiers")
    {
        shown.push(s.ok(
            "reveal_identifier",
            json!({ "case_id": case, "identifier_id": identifier.1 }),
        ));
    }
    if p.command() == "add_financial_flow" {
        shown.push(s.ok(
            "reveal_account",
            json!({ "case_id": case, "flow_id": added }),
        ));
    }
    // A financial flow edited: its account number, which no view holds.
    for flow in edited_records(p, ids)
        .iter()
        .filter_map(|r| r.split_once('/'))
        .filter(|(c, _)| *c == "financial_flows")
    {
        shown.push(s.ok(
            "reveal_account",
            json!({ "case_id": case, "flow_id": flow.1 }),
        ));
    }
    // A person edited: their identity, which no view holds.
    for person in edited_records(p, ids)
        .iter()
        .filter_map(|r| r.split_once('/'))
        .filter(|(c, _)| ["victims", "suspects", "witnesses"].contains(c))
    {
        shown.push(s.ok(
            "reveal_person",
            json!({ "case_id": case, "person_id": person.1 }),
        ));
    }
    Value::Array(shown)
}

/// The records (`tasks/<id>`) an edit form's calls wrote, each once, by
/// their real ids.
fn edited_records(p: &Payload, ids: &BTreeMap<String, String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for args in p.calls.iter().flat_map(|c| field_args(&c.args)) {
        let path = with_ids(&args["path"], ids);
        let Some(path) = path.as_str() else { continue };
        let record = path.splitn(3, '/').take(2).collect::<Vec<_>>().join("/");
        if p.edit && !out.contains(&record) {
            out.push(record);
        }
    }
    out
}

/// A command's arguments one field at a time: each field an edit form
/// saved together (`set_fields`), with its path and value; any other
/// command's arguments whole.
fn field_args(args: &Value) -> Vec<Value> {
    match args["fields"].as_array() {
        Some(fields) => fields
            .iter()
            .map(|f| {
                let mut f = f.clone();
                if let Some(o) = f.as_object_mut() {
                    o.remove("kind");
                }
                f
            })
            .collect(),
        None => vec![args.clone()],
    }
}

/// Every value an edit form sent is in its record's history once
/// revealed; before, no identity value is.
fn check_history(
    s: &Shell,
    case: &str,
    p: &Payload,
    ids: &BTreeMap<String, String>,
    sent: &[Value],
) {
    for record in edited_records(p, ids) {
        let history = |reveal: bool| {
            s.ok(
                "record_history",
                json!({ "case_id": case, "record": record, "reveal": reveal }),
            )
        };
        let revealed = history(true);
        let masked = history(false).to_string();
        for args in sent.iter().filter(|a| {
            a["path"]
                .as_str()
                .is_some_and(|path| path.starts_with(&format!("{record}/")))
        }) {
            check_stored(p, args, &revealed);
            let identity = args["path"].as_str().is_some_and(|p| {
                p.contains("/identity/")
                    || (p.starts_with("identifiers/") && p.ends_with("/value"))
                    || (p.starts_with("financial_flows/") && p.ends_with("/account"))
            });
            if let Some(value) = args["value"].as_str().filter(|v| identity && !v.is_empty()) {
                assert!(
                    !masked.contains(value),
                    "{}: the history shows an identity value unrevealed",
                    p.file
                );
            }
        }
    }
}

/// Values that say "not given" (a person's kind keeps no gender: the form
/// sends the neutral value, and the case shows none).
const NOT_GIVEN: &[(&str, &str)] = &[("sex", "non_specified_unknown")];

fn check_stored(p: &Payload, sent: &Value, shown: &Value) {
    let mut stored = Vec::new();
    leaves("", shown, &mut stored);
    let mut stored_text = Vec::new();
    shown_as_text(shown, &mut stored_text);
    let mut values = Vec::new();
    leaves("", sent, &mut values);
    for (key, value) in values {
        if REFERENCES.contains(&key) || NOT_GIVEN.iter().any(|(k, v)| *k == key && value == v) {
            continue;
        }
        // A field set by its path is sent as text, whatever it holds.
        let as_text = |v: &Value| {
            key == "value"
                && v.as_str()
                    .is_some_and(|s| stored_text.iter().any(|t| t == s))
        };
        assert!(
            stored.iter().any(|(_, v)| *v == value) || as_text(value),
            "{}: `{key}` = {value} was accepted but the case does not show it",
            p.file
        );
    }
}

/// Sends one payload as the member of `vault`, and checks it was stored.
/// Returns the id of the record it added, if any.
fn send(vault: &Path, p: &Payload, ids: &BTreeMap<String, String>, case: Option<&str>) -> Value {
    let s = Shell::on(vault);
    s.ok("unlock", json!({ "passphrase": PASS }));
    let mut sent = Vec::new();
    let mut answer = Value::Null;
    for call in &p.calls {
        let args = with_ids(&call.args, ids);
        answer = match s.call(&call.command, args.clone()) {
            Ok(answer) => answer,
            // The record the add form made holds this value already (a box
            // it ticked, the team's one member); what is shown is still
            // checked below.
            Err(e) if p.edit && e["code"] == "case.no_change" => Value::Null,
            Err(e) => panic!("{}: the form's payload was refused: {e}", p.file),
        };
        sent.extend(field_args(&args));
    }
    let case = case
        .map(str::to_string)
        .unwrap_or_else(|| answer.as_str().unwrap().to_string());
    let shown = read_back(&s, &case, &answer, p, ids);
    for args in &sent {
        check_stored(p, args, &shown);
    }
    check_history(&s, &case, p, ids, &sent);
    s.ok("lock", json!({}));
    answer
}

/// Records the add forms make that the edit forms then correct, by the id
/// the UI's fixtures give them.
const ADDED: &[(&str, &str)] = &[
    ("add_task", "t1"),
    ("add_event", "tl1"),
    ("add_referral", "rf1"),
    ("add_risk", "rk1"),
    ("add_interview", "iv1"),
    ("add_case_link", "l1"),
    ("add_international_request", "ir1"),
    ("add_identifier", "id1"),
    ("add_group", "g1"),
    ("add_charge", "ch1"),
    ("add_measure", "pm1"),
    ("add_support", "sp1"),
    ("add_financial_flow", "ff1"),
];

/// The people the add forms make, by the id the edit forms' fixtures give
/// them.
const PEOPLE: &[(&str, &str)] = &[
    ("add_person_victim.json", "pv1"),
    ("add_person_suspect.json", "ps1"),
    ("add_person_witness.json", "pw1"),
];

/// Commands of a vault's first run, before there is a team or a case.
const FIRST_RUN: &[&str] = &["found_team"];

/// The order the payloads are sent in: the case first, then the records
/// the other forms refer to, then the rest by file name (`add_…` before
/// the `edit_…` of what it added).
fn rank(p: &Payload) -> (u8, &str) {
    let first = ["create_case", "add_person", "add_evidence"];
    let at = first
        .iter()
        .position(|c| *c == p.command())
        .unwrap_or(first.len());
    (u8::try_from(at).unwrap(), &p.file)
}

/// The first-run forms, each on a new vault of its own.
fn send_first_run(p: &Payload) {
    let s = crate::shell::shell();
    s.ok("create_vault", json!({ "passphrase": PASS }));
    let call = &p.calls[0];
    s.call(&call.command, call.args.clone())
        .unwrap_or_else(|e| panic!("{}: the form's payload was refused: {e}", p.file));
    check_stored(p, &call.args, &s.ok("team", json!({})));
}

#[test]
fn every_forms_payload_is_accepted_by_its_command_and_stored_as_sent() {
    let root = tempfile::tempdir().unwrap();
    let vaults = team(root.path());
    let mut all = payloads();
    assert!(
        all.len() >= 10,
        "the UI's tests recorded {} payloads",
        all.len()
    );
    all.sort_by(|a, b| rank(a).cmp(&rank(b)));
    let (first_run, all): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|p| FIRST_RUN.contains(&p.command()));
    first_run.iter().for_each(send_first_run);

    // The investigator's forms first, on the case the first form opens.
    let investigator = &vaults[&Role::Investigator];
    let mut ids = BTreeMap::new();
    ids.insert(
        "m-me".to_string(),
        with_vault(investigator, |ws| ws.me().unwrap().0),
    );
    let mut case = None;
    let (own, others): (Vec<_>, Vec<_>) = all.iter().partition(|p| p.role == Role::Investigator);
    for p in own {
        let added = send(investigator, p, &ids, case.as_deref());
        if let Some((_, fixture)) = ADDED.iter().find(|(c, _)| *c == p.command()) {
            ids.insert((*fixture).to_string(), added.as_str().unwrap().into());
        }
        match p.command() {
            "create_case" => {
                let id = added.as_str().unwrap().to_string();
                ids.insert("c1".into(), id.clone());
                case = Some(id);
                // The other case the link form links to.
                let other = with_vault(investigator, |ws| {
                    ws.create_case(NewCaseInput {
                        reference: "ALM-2026-009".into(),
                        title: "Linked case".into(),
                        jurisdiction: "KZ".into(),
                    })
                    .unwrap()
                });
                ids.insert("c2".into(), other.to_string());
            }
            "add_person" => {
                let person = added.as_str().unwrap().to_string();
                // The edit forms' fixtures name each kind's person.
                if let Some((_, fixture)) = PEOPLE.iter().find(|(f, _)| *f == p.file) {
                    ids.insert((*fixture).to_string(), person.clone());
                }
                // A victim's checklists are started from the checklists
                // tab, which records no form; the item form works the
                // victim's own initial actions (`initial-actions~v1`).
                if p.file == "add_person_victim.json" {
                    let case = case.as_deref().unwrap();
                    with_vault(investigator, |ws| {
                        ws.start_checklist(case, "initial-actions", Some(&person))
                            .unwrap()
                    });
                    ids.insert("v1".into(), person.clone());
                }
                ids.insert("p1".into(), person);
            }
            "add_evidence" => _ = ids.insert("e1".into(), added.as_str().unwrap().into()),
            _ => {}
        }
    }
    let case = case.expect("a payload opens the case");

    // Then the other roles', on the same case, as it reaches them.
    let admin = &vaults[&Role::Admin];
    sync(investigator, admin);
    let prosecutor = with_vault(&vaults[&Role::Prosecutor], |ws| ws.me().unwrap().0);
    with_vault(admin, |ws| ws.grant(&case, &prosecutor, true).unwrap());
    for p in others {
        let vault = &vaults[&p.role];
        sync(admin, vault);
        sync(investigator, vault);
        send(vault, p, &ids, Some(&case));
    }
}
