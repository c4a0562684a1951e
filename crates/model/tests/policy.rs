//! The role policy, one row per rule that matters to users.

use caravan_model::policy::{self, DocKind, WriteKind};
use caravan_model::{DocPath, Role};

use DocKind::{Case, Team};
use Role::{Admin, Investigator, Prosecutor, Supervisor};
use WriteKind::{Create, Delete, Update};

#[test]
fn policy_table() {
    #[rustfmt::skip]
    let rows: &[(DocKind, Role, &str, WriteKind, bool)] = &[
        // A case's top-level parts are laid out by its first change only
        // (see `policy::may_open_case`): no one adds or replaces one later.
        (Case, Investigator, "victims", Create, false),
        (Case, Supervisor, "review", Create, false),
        (Case, Prosecutor, "victims", Create, false),
        (Case, Investigator, "victims", Update, false),
        (Case, Admin, "review", Delete, false),
        // Investigators keep the investigation record.
        (Case, Investigator, "victims/v1", Create, true),
        (Case, Investigator, "victims/v1/identity/full_name", Update, true),
        (Case, Investigator, "victims/v1/languages/0", Delete, true),
        (Case, Investigator, "victims/v1", Delete, false),
        (Case, Investigator, "evidence/e1/label", Update, true),
        (Case, Investigator, "narrative/17", Delete, true),
        (Case, Investigator, "checklists/initial-actions/items/immediate-safety", Create, true),
        // Prosecutors never alter the investigators' record.
        (Case, Prosecutor, "victims/v1/identity/full_name", Update, false),
        (Case, Prosecutor, "evidence/e1", Create, false),
        (Case, Prosecutor, "checklists/initial-actions/items/x/status", Update, false),
        (Case, Prosecutor, "narrative/0", Create, false),
        (Case, Prosecutor, "review/r1", Create, true),
        (Case, Prosecutor, "review/r1/text", Update, true),
        (Case, Prosecutor, "checklists/prosecution-review/signoffs/act-proven", Create, true),
        (Case, Prosecutor, "checklists/prosecution-review/signoffs/act-proven/status", Update, true),
        // Investigators do not sign off, approve or decide gates.
        (Case, Investigator, "checklists/prosecution-review/signoffs/act-proven", Create, false),
        (Case, Investigator, "checklists/intake/signoffs/urgent-safety-check", Create, false),
        (Case, Investigator, "checklists/intake/signoffs/urgent-safety-check/role", Update, false),
        (Case, Investigator, "checklists/prosecution-review/items/act-proven/status", Update, true),
        (Case, Supervisor, "checklists/prosecution-review/items/act-proven/status", Update, false),
        (Case, Supervisor, "checklists/identification-sexual/items", Create, true),
        (Case, Investigator, "checklists/identification-sexual/version", Update, true),
        (Case, Prosecutor, "checklists/identification-sexual", Create, false),
        (Case, Investigator, "review/r1", Create, false),
        (Case, Investigator, "approvals/a1", Create, false),
        (Case, Investigator, "stages/identification/status", Update, false),
        (Case, Investigator, "stages/identification", Create, true),
        (Case, Investigator, "stages/identification/status", Create, true),
        (Case, Investigator, "stages/identification/closed_at", Update, false),
        (Case, Investigator, "assignment/investigators/inv-2", Create, false),
        // Supervisors assign, approve, decide gates, plan tasks.
        (Case, Supervisor, "assignment/investigators/inv-2", Create, true),
        (Case, Supervisor, "assignment/investigators/inv-2", Delete, true),
        (Case, Supervisor, "approvals/a1", Create, true),
        (Case, Supervisor, "stages/identification/status", Update, true),
        (Case, Supervisor, "tasks/t1", Create, true),
        (Case, Supervisor, "victims/v1/pseudonym", Update, false),
        (Case, Supervisor, "review/r1", Create, false),
        // An admin manages the team, and is no supervisor by that: no
        // approvals, sign-offs, assignments or gate decisions.
        (Case, Admin, "approvals/a1", Create, false),
        (Case, Admin, "approvals/a1/decision", Update, false),
        (Case, Admin, "checklists/initial-actions~v1/signoffs/presume-child", Create, false),
        (Case, Admin, "checklists/identification-general/signoffs/indicators-recorded", Update, false),
        (Case, Admin, "assignment/investigators/inv-2", Create, false),
        (Case, Admin, "assignment/supervisor", Update, false),
        (Case, Admin, "stages/identification/status", Update, false),
        (Case, Admin, "stages/identification/closed_at", Update, false),
        (Case, Admin, "checklists/initial-actions~v1/template_id", Update, false),
        // A person's checklist is worked like the case's own.
        (Case, Investigator, "checklists/initial-actions~v1", Create, true),
        (Case, Investigator, "checklists/initial-actions~v1/items/presume-child", Create, true),
        (Case, Supervisor, "checklists/initial-actions~v1/signoffs/presume-child", Create, true),
        (Case, Investigator, "checklists/initial-actions~v1/signoffs/presume-child", Create, false),
        // The chain of custody is append-only, for everyone.
        (Case, Investigator, "evidence/e1/custody/3", Create, true),
        (Case, Investigator, "evidence/e1/custody/3/to", Update, false),
        (Case, Investigator, "evidence/e1/custody/3", Delete, false),
        (Case, Supervisor, "evidence/e1/custody/3", Create, false),
        // Unknown parts of a document are closed to everyone.
        (Case, Admin, "secret/x", Create, false),
        // Team document: admins manage it; supervisors decide case access.
        (Team, Admin, "members/m2/role", Update, true),
        (Team, Supervisor, "members/m2/role", Update, false),
        (Team, Supervisor, "case_access/case-1/m2", Create, true),
        (Team, Admin, "case_access/case-1/m2", Create, true),
        (Team, Admin, "case_access/case-1/m2", Delete, true),
        (Team, Investigator, "case_access/case-1/m2", Create, false),
        (Team, Admin, "revocations/d3", Create, true),
        (Team, Admin, "revocations/d3", Delete, false),
        (Team, Admin, "key_epochs/2", Update, false),
    ];
    let mut failures = Vec::new();
    for (doc, role, path, kind, expected) in rows {
        let p: DocPath = path.parse().unwrap();
        let got = policy::may_write(*doc, *role, &p, *kind);
        if got != *expected {
            failures.push(format!(
                "{doc:?} {role} {kind:?} {path}: expected {expected}, got {got}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "policy rows failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn only_investigators_supervisors_and_admins_open_cases() {
    for (role, may) in [
        (Investigator, true),
        (Supervisor, true),
        (Admin, true),
        (Prosecutor, false),
    ] {
        assert_eq!(policy::may_open_case(role).is_ok(), may, "{role}");
    }
}

/// Concurrent additions of one key leave a conflict in a case that someone
/// must be able to decide (a decision is a "change" of that path). So every
/// rule that lets a role add lets some role change, unless no conflict can
/// arise under it.
#[test]
fn every_conflict_in_a_case_can_be_decided_by_someone() {
    for rule in policy::CASE_RULES {
        let adds = rule.grants.iter().any(|(_, k)| k.contains(&Create));
        let changes = rule.grants.iter().any(|(_, k)| k.contains(&Update));
        let conflict_free = policy::conflict_free(rule.pattern);
        assert!(
            !adds || changes || conflict_free,
            "under '{}' a role may add but no role may decide a conflict",
            rule.pattern
        );
    }
}

/// `path`, checked to be written with its entry when `inside` one.
fn written_with_entry(path: &str, inside: bool) -> DocPath {
    let p: DocPath = path.parse().unwrap();
    assert_eq!(policy::written_with_entry(&p), inside, "{path}");
    p
}

#[test]
fn custody_entries_are_written_with_the_entry() {
    for (path, inside) in [
        ("evidence/e1/custody/0/to", true),
        ("evidence/e1/custody/0/note", true),
        ("evidence/e1/custody/0", false),
        ("evidence/e1/custody", false),
        ("evidence/e1/label", false),
    ] {
        written_with_entry(path, inside);
    }
}

#[test]
fn statements_are_written_whole() {
    // Inside an entry that is one person's statement, nothing is written
    // into the entry once it exists; the entry itself may be replaced.
    for (path, inside) in [
        (
            "checklists/initial-actions/items/medical-needs/status",
            true,
        ),
        (
            "checklists/initial-actions/items/medical-needs/evidence_ids/0",
            true,
        ),
        ("checklists/initial-actions/items/medical-needs", false),
        (
            "checklists/prosecution-review/signoffs/act-proven/role",
            true,
        ),
        ("review/r1/text", true),
        ("approvals/a1/decision", true),
        ("approvals/a1", false),
        ("victims/v1/pseudonym", false),
    ] {
        let p = written_with_entry(path, inside);
        let kind = if inside { Update } else { Create };
        let role = if path.starts_with("review") {
            Prosecutor
        } else if path.starts_with("approvals") {
            Supervisor
        } else if path.contains("signoffs") {
            Prosecutor
        } else {
            Investigator
        };
        assert!(policy::check(Case, role, &p, kind).is_ok(), "{path}");
        assert_eq!(
            policy::check_in_place(Case, role, &p, kind).is_err(),
            inside,
            "{path}"
        );
    }
}

#[test]
fn denial_explains_itself() {
    let p: DocPath = "evidence/e1/custody/0/to".parse().unwrap();
    let err = policy::check(Case, Investigator, &p, Update).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the investigator role may not change 'evidence/e1/custody/0/to' (the chain of custody is append-only)"
    );
}

/// docs/policy.md is generated from the rule tables, so it cannot drift.
#[test]
fn docs_policy_md_is_current() {
    use std::fmt::Write as _;
    let mut out = String::from(
        "# Role policy\n\n\
         Who may write which part of a document. Generated from `crates/model/src/policy.rs`\n\
         (`UPDATE_DOCS=1 cargo test -p caravan-model --test integration policy` rewrites this page).\n\n\
         Rules are tried top to bottom; the first whose pattern matches the path decides.\n\
         `*` matches one path segment, `**` any number (including none). A path that no rule\n\
         matches may not be written by anyone. *add* = set a key that had no value or insert into\n\
         a list or text; *change* = overwrite a value; *delete* = remove a key, element or character.\n\
         The same table is checked for local edits and, by the sync layer, for every incoming change\n\
         on every device.\n\n\
         ## Admins and supervisors\n\n\
         An admin founds the team, enrols and revokes devices, changes roles and decides who sees\n\
         which case. An admin is not a supervisor by that: approvals, stage gate decisions,\n\
         investigator assignments and supervisors' sign-offs (the not-applicable sign-off of safety\n\
         items included) need the supervisor role. A member holds one role. In a unit whose admin\n\
         also supervises, that person is two members: the admin who founded the team, and a\n\
         supervisor who joins from a second vault (another device, or a second vault folder on the\n\
         same computer: `caravan --vault FOLDER join request`) whom the admin approves. Each change is\n\
         signed by the device of the member who made it, so the case shows in which role they acted.\n",
    );
    for (title, rules) in [
        ("Case documents", policy::CASE_RULES),
        ("Team document", policy::TEAM_RULES),
    ] {
        let _ = write!(
            out,
            "\n## {title}\n\n| pattern | who may | why |\n|---|---|---|\n"
        );
        for r in rules {
            let grants: Vec<String> = r
                .grants
                .iter()
                .map(|(roles, kinds)| {
                    let roles: Vec<&str> = roles.iter().map(|r| r.id()).collect();
                    let kinds: Vec<&str> = kinds.iter().map(|k| k.verb()).collect();
                    format!("{}: {}", roles.join(", "), kinds.join(", "))
                })
                .collect();
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                r.pattern,
                grants.join("; "),
                r.why
            );
        }
    }
    out.push_str(
        "\n## Entries written whole\n\n\
         Inside these, nothing is written after the entry was added: a change writes into such\n\
         an entry only if it adds the entry itself. Apart from custody hand-overs, an entry may\n\
         be replaced whole by a new one, which names its own author.\n\n\
         | inside | why |\n|---|---|\n",
    );
    for (pattern, why) in policy::WRITTEN_WITH_ENTRY {
        let _ = writeln!(out, "| `{pattern}` | {why} |");
    }
    out.push_str(
        "\n## Attribution\n\n\
         Generated from `crates/model/src/attribution.rs`. These fields say who made a record or\n\
         entry, in which role and when. Each is written only by the change that makes its record\n\
         or entry, never changed or removed later, and must hold: *member* the member whose\n\
         device signs the change; *role* that member's role; *time* a time no later than the\n\
         change's own time plus ten minutes, and no earlier than a day before the case was opened;\n\
         *moment* when what the entry records took place, as its author states it: no later than\n\
         the change's own time plus ten minutes, and as early as it happened.\n\n\
         | document | record or entry | fields |\n|---|---|---|\n",
    );
    for (doc, table) in [
        ("case", caravan_model::attribution::CASE_ATTRIBUTION),
        ("team", caravan_model::attribution::TEAM_ATTRIBUTION),
    ] {
        for a in table {
            let fields: Vec<String> = a
                .fields
                .iter()
                .map(|(f, attests)| {
                    let kind = match attests {
                        caravan_model::attribution::Attests::Member => "member",
                        caravan_model::attribution::Attests::Role => "role",
                        caravan_model::attribution::Attests::Time => "time",
                        caravan_model::attribution::Attests::Moment => "moment",
                    };
                    format!("`{f}` ({kind})")
                })
                .collect();
            let _ = writeln!(
                out,
                "| {doc} | `{}` ({}) | {} |",
                a.object,
                a.what,
                fields.join(", ")
            );
        }
    }
    let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/policy.md"));
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &out).unwrap();
    }
    assert!(
        std::fs::read_to_string(path).unwrap_or_default() == out,
        "docs/policy.md is stale: run UPDATE_DOCS=1 cargo test -p caravan-model --test integration policy"
    );
}

/// An admin manages the team and is no supervisor by that: each of a
/// supervisor's edits, made by an admin, is refused before it is written,
/// and so is a sign-off written as a plain field edit.
#[test]
fn an_admins_supervisor_edits_are_refused() {
    use crate::common::*;
    use caravan_model::*;
    let admin = author(Role::Admin, "adm-1");
    // The intake gate ready: every item done, the safety item not
    // applicable and signed off by a supervisor.
    let seeded = || {
        let mut doc = new_case();
        for item in &catalog().latest("intake").unwrap().items {
            if item.id != "urgent-safety-check" {
                doc.apply(tick("intake", &item.id), &investigator(), catalog())
                    .unwrap();
            }
        }
        doc.apply(
            not_applicable(
                "intake",
                "urgent-safety-check",
                Some("events two years ago"),
            ),
            &investigator(),
            catalog(),
        )
        .unwrap();
        doc.apply(
            Edit::SignOffItem {
                template_id: "intake".into(),
                item_id: "urgent-safety-check".into(),
            },
            &author(Role::Supervisor, "sup-1"),
            catalog(),
        )
        .unwrap();
        doc
    };
    let approval = Record::Approval(Approval {
        stage: Some(Stage::Intake),
        subject: "gate intake".into(),
        decision: Decision::Approved,
        comment: None,
        by: "adm-1".into(),
        at: AT,
    });
    let set = |path: &str, value: Scalar| Edit::Set {
        path: path.parse().unwrap(),
        value,
    };
    #[rustfmt::skip]
    assert_all_refused(
        vec![
            ("approves a stage", insert("a1", approval), &admin, "policy.denied"),
            ("signs off a safety item's not applicable", Edit::SignOffItem { template_id: "intake".into(), item_id: "urgent-safety-check".into() }, &admin, "case.invalid"),
            ("rewrites a supervisor's sign-off", set("checklists/intake/signoffs/urgent-safety-check/by", Scalar::Str("adm-1".into())), &admin, "policy.denied"),
            ("assigns an investigator", Edit::AssignInvestigator { member: "inv-2".into(), assigned: true }, &admin, "policy.denied"),
            ("names the case's supervisor", set("assignment/supervisor", Scalar::Str("adm-1".into())), &admin, "policy.denied"),
            ("closes a stage", Edit::CloseStage { stage: Stage::Intake }, &admin, "policy.denied"),
        ],
        seeded,
    );
}
