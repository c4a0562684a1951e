//! Finding 13 of the trust review: sync checked who may write a path, not
//! what is written. A member's permitted write of a wrong value (`"closed"`
//! for `"Closed"` in a stage status) made the case fail to load on every
//! device that applied it. Every attack here is a change crafted with raw
//! Automerge by a member the policy lets write there, signed with their
//! real device key and sent in an ordinary bundle, after an honest edit of
//! theirs that must still land.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, Change, ObjId, ObjType, ROOT, ReadDoc, ScalarValue};
use autosurgeon::Text;
use caravan_model::*;

use super::fixture::*;
use crate::bundle::Limits;
use crate::replica::Replica;
use crate::team::{TEAM_DOC_ID, TeamDoc};
use crate::trust::BAD_VALUE;

/// A has opened c1 with victim v1; B was granted it; the admin, a
/// supervisor and B hold it.
fn setting() -> Supervised {
    let (mut t, mut sup) = with_supervisor();
    let c1 = a_opens(&mut t, "Secret Name");
    grant(&mut t.admin, &c1, &t.inv_b);
    send(&mut t.admin, &mut t.inv_b);
    send(&mut t.admin, &mut sup);
    Supervised { t, sup, c1 }
}

/// The object at a path of map keys.
fn at(d: &AutoCommit, keys: &[&str]) -> ObjId {
    keys.iter()
        .fold(ROOT, |obj, k| d.get(&obj, *k).unwrap().unwrap().1)
}

fn set(d: &mut AutoCommit, keys: &[&str], value: impl Into<ScalarValue>) {
    let (last, parent) = keys.split_last().unwrap();
    let obj = at(d, parent);
    d.put(&obj, *last, value.into()).unwrap();
}

/// A whole checklist made under `key`, naming `template` (as an
/// investigator may start one).
fn victims_checklist(d: &mut AutoCommit, key: &str, template: &str) {
    let checklists = at(d, &["checklists"]);
    let inst = d.put_object(&checklists, key, ObjType::Map).unwrap();
    d.put(&inst, "template_id", template).unwrap();
    d.put(&inst, "version", ScalarValue::Uint(1)).unwrap();
    d.put_object(&inst, "items", ObjType::Map).unwrap();
    d.put_object(&inst, "signoffs", ObjType::Map).unwrap();
}

#[derive(Clone, Copy, Debug)]
enum Who {
    /// B, an investigator granted the case.
    Investigator,
    Supervisor,
}

/// One forged write: who makes it (the policy lets them write there), the
/// raw write, the path the refusal names, and whether the case, with the
/// write applied, would still load.
struct Row {
    what: &'static str,
    by: Who,
    write: fn(&mut AutoCommit),
    edit: fn(&mut automerge::ExpandedChange),
    path: &'static str,
    loads: bool,
}

fn keep(_: &mut automerge::ExpandedChange) {}

/// Turns the change's one text insertion into an integer.
fn number_in_text(e: &mut automerge::ExpandedChange) {
    use automerge::legacy::OpType;
    for op in &mut e.operations {
        if let OpType::Put(ScalarValue::Str(_)) = op.action {
            op.action = OpType::Put(ScalarValue::Int(7));
        }
    }
}

fn rows() -> Vec<Row> {
    use Who::{Investigator as Inv, Supervisor as Sup};
    vec![
        Row {
            what: "a stage status by its id",
            by: Sup,
            write: |d| set(d, &["stages", "intake", "status"], "closed"),
            edit: keep,
            path: "stages/intake/status",
            loads: false,
        },
        Row {
            what: "the case status by its id",
            by: Sup,
            write: |d| set(d, &["header", "status"], "closed"),
            edit: keep,
            path: "header/status",
            loads: false,
        },
        Row {
            what: "a number where a string belongs",
            by: Inv,
            write: |d| set(d, &["victims", "v1", "pseudonym"], 7i64),
            edit: keep,
            path: "victims/v1/pseudonym",
            loads: false,
        },
        Row {
            what: "a map where a string belongs",
            by: Inv,
            write: |d| {
                let v1 = at(d, &["victims", "v1"]);
                d.put_object(&v1, "pseudonym", ObjType::Map).unwrap();
            },
            edit: keep,
            path: "victims/v1/pseudonym",
            loads: false,
        },
        Row {
            what: "an exploitation type outside the vocabulary",
            by: Inv,
            write: |d| {
                let list = at(d, &["victims", "v1", "exploitation"]);
                d.insert(&list, 0, "Smuggling").unwrap();
            },
            edit: keep,
            path: "victims/v1/exploitation/0",
            loads: false,
        },
        Row {
            what: "an exploitation type by its id",
            by: Inv,
            write: |d| {
                let list = at(d, &["victims", "v1", "exploitation"]);
                d.insert(&list, 0, "forced_labour").unwrap();
            },
            edit: keep,
            path: "victims/v1/exploitation/0",
            loads: false,
        },
        Row {
            what: "a signed integer where an age belongs",
            by: Inv,
            write: |d| set(d, &["victims", "v1", "age_at_trafficking"], 17i64),
            edit: keep,
            path: "victims/v1/age_at_trafficking",
            loads: false,
        },
        Row {
            what: "null in a required field",
            by: Inv,
            write: |d| set(d, &["victims", "v1", "identity", "full_name"], ()),
            edit: keep,
            path: "victims/v1/identity/full_name",
            loads: false,
        },
        Row {
            what: "a removed field",
            by: Inv,
            write: |d| {
                let identity = at(d, &["victims", "v1", "identity"]);
                d.delete(&identity, "full_name").unwrap();
            },
            edit: keep,
            path: "victims/v1/identity/full_name",
            loads: false,
        },
        Row {
            what: "a date that does not exist",
            by: Inv,
            write: |d| {
                set(
                    d,
                    &["victims", "v1", "identity", "birth_date"],
                    "1999-02-30",
                )
            },
            edit: keep,
            path: "victims/v1/identity/birth_date",
            loads: false,
        },
        Row {
            what: "a victim without its fields",
            by: Inv,
            write: |d| {
                let victims = at(d, &["victims"]);
                let v2 = d.put_object(&victims, "v2", ObjType::Map).unwrap();
                d.put(&v2, "pseudonym", "V-2").unwrap();
            },
            edit: keep,
            path: "victims/v2",
            loads: false,
        },
        Row {
            what: "a timestamp where a time in milliseconds belongs",
            by: Sup,
            write: |d| {
                set(
                    d,
                    &["stages", "intake", "closed_at"],
                    ScalarValue::Timestamp(T0),
                )
            },
            edit: keep,
            path: "stages/intake/closed_at",
            loads: false,
        },
        Row {
            what: "a counter",
            by: Sup,
            write: |d| {
                set(
                    d,
                    &["stages", "intake", "opened_at"],
                    ScalarValue::counter(1),
                )
            },
            edit: keep,
            path: "stages/intake/opened_at",
            loads: false,
        },
        Row {
            what: "a number in the narrative",
            by: Inv,
            write: |d| {
                let narrative = at(d, &["narrative"]);
                d.splice_text(&narrative, 0, 0, "x").unwrap();
            },
            edit: number_in_text,
            path: "narrative/0",
            loads: true,
        },
        Row {
            what: "a field the case does not have",
            by: Inv,
            write: |d| set(d, &["victims", "v1", "nickname"], "x"),
            edit: keep,
            path: "victims/v1/nickname",
            loads: true,
        },
        Row {
            what: "a checklist naming another template",
            by: Sup,
            write: |d| set(d, &["checklists", "intake", "template_id"], "closure"),
            edit: keep,
            path: "checklists/intake/template_id",
            loads: true,
        },
        Row {
            what: "a victim's checklist under a key naming another template",
            by: Inv,
            write: |d| victims_checklist(d, "initial-actions~v1", "risk-assessment"),
            edit: keep,
            path: "checklists/initial-actions~v1/template_id",
            loads: true,
        },
        Row {
            what: "a victim's checklist under a key of no checklist's form",
            by: Inv,
            write: |d| victims_checklist(d, "Initial Actions~v1", "initial-actions"),
            edit: keep,
            path: "checklists/Initial Actions~v1",
            loads: true,
        },
        Row {
            what: "a victim's checklist under a key naming no person",
            by: Inv,
            write: |d| victims_checklist(d, "initial-actions~", "initial-actions"),
            edit: keep,
            path: "checklists/initial-actions~",
            loads: true,
        },
        Row {
            what: "a stage that does not exist",
            by: Sup,
            write: |d| {
                let stages = at(d, &["stages"]);
                let s = d.put_object(&stages, "tea-break", ObjType::Map).unwrap();
                d.put(&s, "status", "Active").unwrap();
                d.put(&s, "opened_at", T0).unwrap();
                d.put(&s, "closed_at", ()).unwrap();
            },
            edit: keep,
            path: "stages/tea-break",
            loads: true,
        },
        Row {
            what: "a gender outside HTCDS's",
            by: Inv,
            write: |d| set(d, &["victims", "v1", "sex"], "Woman"),
            edit: keep,
            path: "victims/v1/sex",
            loads: false,
        },
        Row {
            what: "a forced-labour industry that is no ISIC section",
            by: Inv,
            write: |d| set(d, &["victims", "v1", "forced_labour_industry"], "Mining"),
            edit: keep,
            path: "victims/v1/forced_labour_industry",
            loads: false,
        },
        Row {
            what: "a citizenship that is not a country code",
            by: Inv,
            write: |d| set(d, &["victims", "v1", "citizenship"], "Kazakhstan"),
            edit: keep,
            path: "victims/v1/citizenship",
            loads: true,
        },
        Row {
            what: "one value where a list of values belongs",
            by: Inv,
            write: |d| set(d, &["victims", "v1", "control_methods"], "DebtBondage"),
            edit: keep,
            path: "victims/v1/control_methods",
            loads: false,
        },
        Row {
            what: "a method of recruitment outside the vocabulary",
            by: Inv,
            write: |d| {
                let list = at(d, &["victims", "v1", "recruitment_methods"]);
                d.insert(&list, 0, "ByPigeon").unwrap();
            },
            edit: keep,
            path: "victims/v1/recruitment_methods/0",
            loads: false,
        },
        Row {
            what: "a citizenship in a list that is not a country code",
            by: Inv,
            write: |d| {
                let list = at(d, &["victims", "v1", "citizenships"]);
                d.insert(&list, 0, "Kazakhstan").unwrap();
            },
            edit: keep,
            path: "victims/v1/citizenships/0",
            loads: true,
        },
        Row {
            what: "a citizenship list made with a word for statelessness",
            by: Inv,
            write: |d| {
                let s1 = at(d, &["victims", "v1"]);
                let list = d.put_object(&s1, "citizenships", ObjType::List).unwrap();
                d.insert(&list, 0, "stateless").unwrap();
            },
            edit: keep,
            path: "victims/v1/citizenships/0",
            loads: true,
        },
        Row {
            what: "a website outside HTCDS's",
            by: Inv,
            write: |d| {
                let list = at(d, &["victims", "v1", "exploitation_websites"]);
                d.insert(&list, 0, "MySpace").unwrap();
            },
            edit: keep,
            path: "victims/v1/exploitation_websites/0",
            loads: false,
        },
        Row {
            what: "a type of sexual exploitation outside the vocabulary",
            by: Inv,
            write: |d| {
                let list = at(d, &["victims", "v1", "sex_exploitation"]);
                d.insert(&list, 0, "ForcedLabour").unwrap();
            },
            edit: keep,
            path: "victims/v1/sex_exploitation/0",
            loads: false,
        },
        Row {
            what: "null where a list of citizenships belongs",
            by: Inv,
            write: |d| set(d, &["victims", "v1", "citizenships"], ()),
            edit: keep,
            path: "victims/v1/citizenships",
            loads: false,
        },
    ]
}

/// An honest edit by the attacker, made before the forged one: it must
/// land whatever becomes of the forgery.
fn honest_edit(r: &mut Replica, case: &str, by: Who) {
    let me = member(r);
    let edit = match by {
        Who::Investigator => Edit::Insert {
            id: "n-honest".into(),
            record: Record::Note(Note {
                body: Text::with_value("Spoke to the landlord."),
                recorded_at: T0,
                recorded_by: me,
            }),
        },
        Who::Supervisor => Edit::AssignInvestigator {
            member: me,
            assigned: true,
        },
    };
    r.edit_case(case, edit, T0, catalog()).unwrap();
}

fn loads(doc: &AutoCommit) -> bool {
    autosurgeon::hydrate::<_, Case>(doc).is_ok()
}

#[test]
fn finding_13_a_permitted_write_of_a_wrong_value_is_refused_and_the_rest_lands() {
    for row in rows() {
        let Supervised { mut t, mut sup, c1 } = setting();
        let attacker = match row.by {
            Who::Investigator => &mut t.inv_b,
            Who::Supervisor => &mut sup,
        };
        honest_edit(attacker, &c1, row.by);
        let honest_heads = attacker.heads(&c1).unwrap();
        let honest_case = case_of(attacker, &c1);
        let forged = craft(attacker, &c1, row.write, row.edit);

        // The policy lets this member write there, and without a check of
        // the value the forgery would reach the case as it is.
        let (_, role) = attacker.me().unwrap();
        let mut bare = attacker.cases[&c1].clone();
        bare.apply_changes([forged.clone()]).unwrap();
        assert_eq!(loads(&bare), row.loads, "{}", row.what);
        let mut probe = attacker.cases[&c1].clone();
        let writes = crate::analyze::writes(&mut probe, &forged).unwrap();
        for w in &writes {
            assert!(
                policy::may_write(DocKind::Case, role, &w.path, w.kind),
                "{}: the {role} role may write {}",
                row.what,
                w.path
            );
        }

        plant(attacker, &c1, &forged);
        let report = send(attacker, &mut t.admin);
        assert_eq!(codes(&report), [BAD_VALUE], "{}", row.what);
        let message = &report.quarantined[0].message;
        assert!(message.contains(row.path), "{}: {message}", row.what);
        assert!(!message.contains("Secret"), "{message}");
        assert_eq!(report.applied, 1, "{}: the honest edit lands", row.what);
        assert_eq!(t.admin.heads(&c1).unwrap(), honest_heads, "{}", row.what);
        let case = t.admin.case(&c1).unwrap().case();
        assert_eq!(case.as_ref().ok(), Some(&honest_case), "{}", row.what);
    }
}

#[test]
fn finding_13_the_verdict_does_not_depend_on_what_else_a_device_holds() {
    // A supervisor closes the intake stage honestly, after two other edits, so
    // its write outnumbers the supervisor's concurrent forged one and wins
    // the conflict wherever both are held. Judging the merged document would
    // then accept the forgery on a device that holds the honest value and
    // refuse it on one that does not: the team would split.
    let Supervised { mut t, mut sup, c1 } = setting();
    // A second supervisor: stage gates and assignments are supervisors'.
    let mut lead = enrol(&mut t.admin, "Lead Laura", Role::Supervisor);
    send(&mut t.admin, &mut lead);
    for m in ["m-1", "m-2"] {
        lead.edit_case(
            &c1,
            Edit::AssignInvestigator {
                member: m.into(),
                assigned: true,
            },
            T0,
            catalog(),
        )
        .unwrap();
    }
    lead.edit_case(
        &c1,
        Edit::Set {
            path: "stages/intake/status".parse().unwrap(),
            value: "Closed".into(),
        },
        T0,
        catalog(),
    )
    .unwrap();
    let forged = craft(
        &mut sup,
        &c1,
        |d| set(d, &["stages", "intake", "status"], "closed"),
        keep,
    );
    let mut both = lead.cases[&c1].clone();
    both.apply_changes([forged.clone()]).unwrap();
    assert!(loads(&both), "the honest value wins where both are held");
    let mut alone = sup.cases[&c1].clone();
    alone.apply_changes([forged.clone()]).unwrap();
    assert!(!loads(&alone), "the forged value alone breaks the case");
    plant(&mut sup, &c1, &forged);

    // A receives the forgery first; B receives the admin's value first.
    let report = send(&mut sup, &mut t.inv_a);
    assert_eq!(codes(&report), [BAD_VALUE]);
    send(&mut lead, &mut t.inv_a);
    send(&mut lead, &mut t.inv_b);
    let report = send(&mut sup, &mut t.inv_b);
    assert_eq!(codes(&report), [BAD_VALUE]);
    let a = case_of(&t.inv_a, &c1);
    let b = case_of(&t.inv_b, &c1);
    assert_eq!(t.inv_a.heads(&c1), t.inv_b.heads(&c1));
    assert_eq!(a, b);
    assert_eq!(
        a.stages[Stage::Intake.id()].status,
        StageStatus::Closed,
        "the honest value stands"
    );
}

/// Adds `change`, signed by `sender`, to the team document's changes in
/// `bundle` (written by `sender`), and seals the bundle again: what a
/// modified client sends, signed with its real key.
fn with_team_change(sender: &mut Replica, bundle: &[u8], change: &Change) -> Vec<u8> {
    let (meta, key, mut docs) = sender.open_docs(bundle);
    let team = docs.iter_mut().find(|d| d.doc_id == TEAM_DOC_ID).unwrap();
    team.push(signed(sender, TEAM_DOC_ID, change));
    sender.seal_docs(&meta, docs, &key, Vec::new())
}

/// A team change by `r`, made on a fork of its team document.
fn craft_team(r: &mut Replica, f: impl FnOnce(&mut AutoCommit, &str)) -> Change {
    let actor = r.device().actor();
    let target = member(r);
    let mut fork = r.team.automerge_mut().fork().with_actor(actor);
    f(&mut fork, &target);
    fork.commit();
    fork.get_last_local_change().unwrap().clone()
}

#[test]
fn finding_13_a_wrong_value_in_the_team_document_is_refused_and_the_rest_lands() {
    // Without the check, the team document would no longer load on the
    // receiver, and every later import would fail with it.
    type TeamWrite = fn(&mut AutoCommit, &str);
    let rows: [(&str, Role, TeamWrite, &str); 3] = [
        (
            "a role by its id",
            Role::Admin,
            |d, m| set(d, &["members", m, "role"], "admin"),
            "members/",
        ),
        (
            "a case access that is not a boolean",
            Role::Supervisor,
            |d, m| {
                let access = at(d, &["case_access"]);
                let case = d.put_object(&access, "c-x", ObjType::Map).unwrap();
                d.put(&case, m, "yes").unwrap();
            },
            "case_access/c-x/",
        ),
        (
            "a member without its fields",
            Role::Admin,
            |d, _| {
                let members = at(d, &["members"]);
                let m = d.put_object(&members, "m-x", ObjType::Map).unwrap();
                d.put(&m, "name", "Ghost").unwrap();
            },
            "members/m-x",
        ),
    ];
    for (what, role, write, path) in rows {
        let mut t = team();
        let mut attacker = enrol(&mut t.admin, "Second lead", role);
        let c1 = open_case(&mut t.inv_a, C1);
        send(&mut t.inv_a, &mut t.admin);
        send(&mut t.admin, &mut attacker);
        // An honest team edit first, and a case edit.
        let a = member(&t.inv_a);
        attacker
            .edit_team(|team, k| team.grant(k, &c1, &a, true, T0))
            .unwrap();
        attacker
            .edit_case(
                &c1,
                Edit::Set {
                    path: "header/title".parse().unwrap(),
                    value: "Brick kiln".into(),
                },
                T0,
                catalog(),
            )
            .unwrap();
        let forged = craft_team(&mut attacker, write);
        let mut bare = attacker.team.automerge().clone();
        bare.apply_changes([forged.clone()]).unwrap();
        assert!(
            autosurgeon::hydrate::<_, TeamDoc>(&bare).is_err(),
            "{what}: the team document would not load"
        );
        let bundle = export_to(&mut attacker, &t.admin);
        let bundle = with_team_change(&mut attacker, &bundle, &forged);
        let team_heads = attacker.heads(TEAM_DOC_ID).unwrap();
        let report = t.admin.import(&bundle, &Limits::default()).unwrap();
        assert_eq!(codes(&report), [BAD_VALUE], "{what}");
        assert!(report.quarantined[0].message.contains(path), "{what}");
        assert_eq!(report.applied, 2, "{what}: the honest edits land");
        assert_eq!(t.admin.heads(TEAM_DOC_ID).unwrap(), team_heads, "{what}");
        let team = t.admin.team().unwrap();
        assert!(team.case_access[&c1][&a]);
        let case = case_of(&t.admin, &c1);
        assert_eq!(case.header.title, "Brick kiln", "{what}");
        // The next import still works.
        add_victim(&mut t.inv_a, &c1, "v10", "Later");
        let report = send(&mut t.inv_a, &mut t.admin);
        assert!(
            report.quarantined.is_empty(),
            "{what}: {:?}",
            codes(&report)
        );
    }
}

#[test]
fn finding_9_a_member_cannot_record_another_devices_audit_head() {
    use crate::audit_anchor::AuditHead;
    let mut t = team();
    let head = |entries| AuditHead {
        entries,
        hash: [7; 32],
    };
    // The admin's device records its own head, and it reaches B.
    t.admin.record_audit_head(head(5), T0).unwrap();
    send(&mut t.admin, &mut t.inv_b);
    // B records a longer head under the admin's device: the admin's honest
    // log would then look rolled back to everyone.
    let victim = t.admin.device().to_hex();
    let forged = craft_team(&mut t.inv_b, |d, _| {
        let (_, heads) = d.get(ROOT, "audit_heads").unwrap().unwrap();
        d.put(
            &heads,
            victim.as_str(),
            format!("v1:999:{}", "ab".repeat(32)),
        )
        .unwrap();
    });
    let bundle = export_to(&mut t.inv_b, &t.admin);
    let bundle = with_team_change(&mut t.inv_b, &bundle, &forged);
    let report = t.admin.import(&bundle, &Limits::default()).unwrap();
    assert_eq!(codes(&report), [crate::trust::FALSE_ATTRIBUTION]);
    assert_eq!(t.admin.audit_anchor(), Some(head(5)));
    // B's own head is B's to record.
    t.inv_b.record_audit_head(head(3), T0).unwrap();
    let report = send(&mut t.inv_b, &mut t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", codes(&report));
    assert_eq!(t.inv_b.audit_anchor(), Some(head(3)));
}

/// Sends `from`'s bundle to `to` and asserts nothing was set aside.
fn deliver(from: &mut Replica, to: &mut Replica) {
    let report = send(from, to);
    assert!(
        report.quarantined.is_empty(),
        "honest edits were quarantined: {:?}",
        report
            .quarantined
            .iter()
            .map(|q| &q.message)
            .collect::<Vec<_>>()
    );
}

fn edit(r: &mut Replica, case: &str, edit: Edit, catalog: &Catalog) {
    let what = format!("{edit:?}");
    r.edit_case(case, edit, T0, catalog)
        .unwrap_or_else(|e| panic!("{what}: {e}"));
}

fn set_field(path: &str, value: impl Into<Scalar>) -> Edit {
    Edit::Set {
        path: path.parse().unwrap(),
        value: value.into(),
    }
}

#[test]
fn finding_13_every_edit_the_model_makes_is_accepted() {
    let Supervised { mut t, mut sup, c1 } = setting();
    grant(&mut t.admin, &c1, &t.prosecutor);
    send(&mut t.admin, &mut t.prosecutor);
    let a = member(&t.inv_a);
    // A newer version of a template, to adopt.
    let mut newer = catalog().clone();
    let mut v2 = newer.latest("initial-actions").unwrap().clone();
    v2.version += 1;
    newer.insert(v2.clone()).unwrap();
    let date = |s: &str| -> Date { s.parse().unwrap() };
    let full_identity = Identity {
        full_name: "Full Name".into(),
        other_names: Some("Other".into()),
        birth_date: Some(date("2001-05-17")),
        document_numbers: Some("AB 1234".into()),
        contact: Some("+996 555 000 000".into()),
        address: Some("Bishkek".into()),
    };
    let records = vec![
        (
            "v2",
            Record::Victim(Victim {
                identity: full_identity.clone(),
                pseudonym: "V-2".into(),
                sex: Gender::Masculine,
                age_at_trafficking: Some(16),
                citizenship: Some("KG".into()),
                languages: vec!["kir".into(), "rus".into()],
                status: TraffickingStatus::ActualVictimOfTrafficking,
                status_decided_by: Some(StatusDecidedBy::CourtOrProsecution),
                exploitation: vec![Exploitation::ForcedLabour, Exploitation::ForcedBegging],
                control_methods: vec![ControlMethod::WithholdsDocuments],
                recruitment: Some(RecruitmentMethod::Intermediary),
                recorded_at: T0,
                recorded_by: a.clone(),
                forced_labour_industry: Some(ForcedLabourIndustry::Construction),
                relationship_to_trafficker: Some(RelationshipToTrafficker::Acquainted),
                recruitment_methods: vec![
                    RecruitmentMethod::Intermediary,
                    RecruitmentMethod::AtWork,
                ],
                citizenships: vec!["KG".into(), "KZ".into()],
                sex_exploitation: vec![SexualExploitationType::Prostitution],
                recruitment_websites: vec![WebsiteOrApp::Telegram],
                exploitation_websites: vec![WebsiteOrApp::Instagram, WebsiteOrApp::FourSale],
                reflection_from: None,
                reflection_until: None,
                residence_decision: None,
                residence_decided_on: None,
                return_country: None,
                reintegration_status: None,
                family_assessment_done: false,
                family_assessment_on: None,
            }),
        ),
        (
            "s1",
            Record::Suspect(Suspect {
                identity: full_identity.clone(),
                pseudonym: "S-1".into(),
                roles: vec![
                    PerpetratorRole::RecruiterOrIntermediary,
                    PerpetratorRole::Exploiter,
                ],
                citizenship: Some("KZ".into()),
                recorded_at: T0,
                recorded_by: a.clone(),
                public_official: true,
                citizenships: vec!["KZ".into(), "UZ".into()],
            }),
        ),
        (
            "w1",
            Record::Witness(Witness {
                identity: full_identity,
                pseudonym: "W-1".into(),
                relation: Some("neighbour".into()),
                recorded_at: T0,
                recorded_by: a.clone(),
            }),
        ),
        ("e1", Record::Evidence(phone(&a))),
        (
            "i1",
            Record::Interview(Interview {
                person_id: "v2".into(),
                stage: PeaceStage::Planning,
                planned_for: Some(date("2026-02-02")),
                venue: Some("child-friendly room".into()),
                interpreter: Some("Interpreter".into()),
                interpreter_vetted: true,
                consent_given: true,
                child_track: true,
                plan: Text::with_value("Rapport first."),
                recorded_at: T0,
                recorded_by: a.clone(),
            }),
        ),
        (
            "t1",
            Record::Task(Task {
                title: "Request bank records".into(),
                assignee: Some(a.clone()),
                due: Some(date("2026-03-31")),
                stage: Some(Stage::Financial),
                done: false,
                recorded_at: T0,
                recorded_by: a.clone(),
            }),
        ),
        (
            "ev1",
            Record::Timeline(TimelineEvent {
                kind: EventKind::Transit,
                date: Some(date("2025-10-01")),
                place: "Border post".into(),
                country: Some("KZ".into()),
                description: "crossed by bus".into(),
                person_ids: vec!["v2".into(), "s1".into()],
                recorded_at: T0,
                recorded_by: a.clone(),
                latitude_microdeg: Some(43_238_949),
                longitude_microdeg: Some(76_889_709),
                crosses_border: Some(true),
                border_point: Some("Korday".into()),
                transport: Some(TransportMode::Road),
            }),
        ),
        (
            "rf1",
            Record::Referral(Referral {
                person_id: "v2".into(),
                direction: ReferralDirection::Outgoing,
                organisation: "Shelter".into(),
                date: Some(date("2026-01-15")),
                reason: "safe housing".into(),
                outcome: Some("accepted".into()),
                recorded_at: T0,
                recorded_by: a.clone(),
                organisation_type: Some(OrganisationType::Shelter),
                htcds_reason: Some(ReferralReason::AdditionalServicesRequired),
                status: Some(ReferralStatus::Accepted),
                consent_given: true,
                consent_date: Some(date("2026-01-09")),
            }),
        ),
        (
            "rk1",
            Record::Risk(RiskAssessment {
                subject: RiskSubject::Family,
                person_id: Some("v2".into()),
                threat: "threats by phone".into(),
                threat_source: Some("recruiter".into()),
                severity: 4,
                likelihood: 2,
                mitigation: "new number".into(),
                review_on: Some(date("2026-02-20")),
                recorded_at: T0,
                recorded_by: a.clone(),
            }),
        ),
        (
            "n1",
            Record::Note(Note {
                body: Text::with_value("First note."),
                recorded_at: T0,
                recorded_by: a.clone(),
            }),
        ),
    ];
    let builtin = catalog();
    for (id, record) in records {
        edit(
            &mut t.inv_a,
            &c1,
            Edit::Insert {
                id: id.into(),
                record,
            },
            builtin,
        );
    }
    let investigator_edits = vec![
        Edit::AppendCustody {
            evidence_id: "e1".into(),
            entry: CustodyEntry {
                id: "k1".into(),
                from: "Officer".into(),
                to: "Evidence room".into(),
                at: T0,
                place: "Almaty".into(),
                seal_number: Some("S-1".into()),
                purpose: Some("storage".into()),
                attachment_sha256: Some("ef".repeat(32)),
                recorded_by: a.clone(),
                recorded_at: Some(T0),
            },
        },
        set_field("header/title", "Garment workshop, second site"),
        set_field("header/jurisdiction", "KG"),
        set_field("header/status", CaseStatus::FollowUp),
        set_field(
            "victims/v2/status",
            TraffickingStatus::PossibleVictimOfTrafficking,
        ),
        set_field("victims/v2/age_at_trafficking", 17u64),
        set_field("victims/v2/identity/birth_date", date("2001-05-18")),
        set_field("victims/v2/identity/other_names", Scalar::Null),
        set_field("victims/v2/recruitment", Scalar::Null),
        set_field("victims/v1/status_decided_by", StatusDecidedBy::Police),
        set_field("tasks/t1/done", true),
        set_field("tasks/t1/stage", Scalar::Null),
        set_field("risks/rk1/severity", 5u64),
        set_field("interviews/i1/planned_for", Scalar::Null),
        set_field("evidence/e1/seized_at", Scalar::Int(T0)),
        set_field("evidence/e1/kind", EvidenceKind::Computer),
        Edit::SetList {
            path: "victims/v2/citizenships".parse().unwrap(),
            values: vec!["XXA".into()],
        },
        Edit::SetList {
            path: "victims/v2/recruitment_methods".parse().unwrap(),
            values: vec![RecruitmentMethod::AtWork.doc_name().into()],
        },
        Edit::SetList {
            path: "suspects/s1/citizenships".parse().unwrap(),
            values: vec!["UZ".into()],
        },
        Edit::SetText {
            path: "narrative".parse().unwrap(),
            text: "Eleven workers were found at the second site.".into(),
        },
        Edit::SetText {
            path: "notes/n1/body".parse().unwrap(),
            text: "First note, corrected.".into(),
        },
        Edit::SetText {
            path: "interviews/i1/plan".parse().unwrap(),
            text: "Rapport first; breaks every hour.".into(),
        },
        Edit::StartPersonChecklist {
            template_id: "identification-sexual".into(),
            version: 1,
            person_id: "v2".into(),
        },
        Edit::StartPersonChecklist {
            template_id: "initial-actions".into(),
            version: builtin.latest("initial-actions").unwrap().version,
            person_id: "v2".into(),
        },
        Edit::SetItem {
            template_id: "initial-actions~v2".into(),
            item_id: "immediate-safety".into(),
            status: ItemStatus::Done,
            reason: None,
            note: Some("moved to a shelter".into()),
            evidence_ids: vec!["e1".into()],
            interview_ids: vec!["i1".into()],
        },
        Edit::SetItem {
            template_id: "initial-actions~v2".into(),
            item_id: "age-check".into(),
            status: ItemStatus::NotApplicable,
            reason: Some("documents seen".into()),
            note: None,
            evidence_ids: vec![],
            interview_ids: vec![],
        },
        Edit::SetItem {
            template_id: "initial-actions~v2".into(),
            item_id: "presume-child".into(),
            status: ItemStatus::NotApplicable,
            reason: Some("passport seen: 34".into()),
            note: None,
            evidence_ids: vec![],
            interview_ids: vec![],
        },
        item_done("prosecution-review", "act-proven"),
        Edit::AdoptTemplate {
            template_id: "initial-actions~v2".into(),
            version: v2.version,
        },
        Edit::OpenStage {
            stage: Stage::Identification,
        },
        Edit::AddArticle(LegalArticle {
            jurisdiction: "KZ".into(),
            code_year: 2014,
            article: "128".into(),
            part: None,
            paragraph: None,
            in_force_from: None,
        }),
        Edit::AddArticle(LegalArticle {
            jurisdiction: "KG".into(),
            code_year: 2021,
            article: "171".into(),
            part: None,
            paragraph: None,
            in_force_from: None,
        }),
        Edit::RemoveArticle {
            key: "KG-2021-171".into(),
        },
    ];
    // The intake gate, which the supervisor closes below, needs its required
    // items done.
    let intake_done = builtin
        .latest("intake")
        .unwrap()
        .items
        .iter()
        .filter(|i| i.required)
        .map(|i| item_done("intake", &i.id));
    for e in investigator_edits.into_iter().chain(intake_done) {
        edit(&mut t.inv_a, &c1, e, &newer);
    }
    deliver(&mut t.inv_a, &mut t.admin);

    send(&mut t.admin, &mut t.prosecutor);
    let p = member(&t.prosecutor);
    for e in [
        Edit::SignOffItem {
            template_id: "prosecution-review".into(),
            item_id: "act-proven".into(),
        },
        Edit::Insert {
            id: "rv1".into(),
            record: Record::Review(ReviewItem {
                kind: ReviewKind::Request,
                stage: Some(Stage::ProsecutionReview),
                text: "Interview the driver.".into(),
                by: p.clone(),
                at: T0,
                withdraws: None,
                qualification: None,
            }),
        },
    ] {
        edit(&mut t.prosecutor, &c1, e, builtin);
    }
    deliver(&mut t.prosecutor, &mut t.admin);

    send(&mut t.admin, &mut sup);
    let s = member(&sup);
    for e in [
        Edit::Insert {
            id: "ap1".into(),
            record: Record::Approval(Approval {
                stage: Some(Stage::Intake),
                subject: "intake".into(),
                decision: Decision::Approved,
                comment: Some("complete".into()),
                by: s.clone(),
                at: T0,
            }),
        },
        Edit::AssignInvestigator {
            member: a.clone(),
            assigned: true,
        },
        Edit::AssignInvestigator {
            member: "m-later".into(),
            assigned: true,
        },
        Edit::AssignInvestigator {
            member: "m-later".into(),
            assigned: false,
        },
        set_field("assignment/prosecutor", p.as_str()),
        set_field("assignment/supervisor", s.as_str()),
        Edit::CloseStage {
            stage: Stage::Intake,
        },
        set_field("stages/identification/status", StageStatus::NotStarted),
    ] {
        edit(&mut sup, &c1, e, builtin);
    }
    // The victim's checklist follows the newer version adopted above.
    let na_signoff = Edit::SignOffItem {
        template_id: "initial-actions~v2".into(),
        item_id: "presume-child".into(),
    };
    edit(&mut sup, &c1, na_signoff, &newer);
    deliver(&mut sup, &mut t.admin);

    // A conflict, and its decision.
    send(&mut t.admin, &mut t.inv_a);
    send(&mut t.admin, &mut t.inv_b);
    edit(
        &mut t.inv_a,
        &c1,
        set_field("header/title", "A's title"),
        builtin,
    );
    edit(
        &mut t.inv_b,
        &c1,
        set_field("header/title", "B's title"),
        builtin,
    );
    deliver(&mut t.inv_b, &mut t.inv_a);
    let conflict = t
        .inv_a
        .case(&c1)
        .unwrap()
        .conflicts()
        .into_iter()
        .find(|c| c.path.to_string() == "header/title")
        .expect("the titles conflict");
    let choice = conflict.values[0].id.clone();
    t.inv_a
        .resolve(&c1, &"header/title".parse().unwrap(), &choice, T0)
        .unwrap();
    deliver(&mut t.inv_a, &mut t.admin);

    deliver(&mut t.admin, &mut t.inv_a);
    let here = case_of(&t.admin, &c1);
    assert_eq!(case_of(&t.inv_a, &c1), here);
    assert_eq!(t.admin.heads(&c1), t.inv_a.heads(&c1));
    assert!(t.admin.quarantine().is_empty());
    assert_eq!(here.header.qualification.len(), 1);
    assert_eq!(here.stages[Stage::Intake.id()].status, StageStatus::Closed);
    assert_eq!(here.checklists["initial-actions~v2"].version, v2.version);
    assert_eq!(
        here.checklists["initial-actions~v2"].signoffs["presume-child"].by,
        s
    );
}

/// A team document with every `Option` set and every collection filled.
fn sample_team() -> TeamDoc {
    use crate::team::{Device, KeyEpoch, Member, Revocation, TeamInfo};
    fn map<V>(k: &str, v: V) -> std::collections::BTreeMap<String, V> {
        [(k.to_string(), v)].into_iter().collect()
    }
    TeamDoc {
        schema: crate::team::TEAM_SCHEMA,
        info: TeamInfo {
            name: "Almaty TIP unit".into(),
            founded_at: T0,
        },
        members: Role::ALL
            .iter()
            .map(|r| {
                (
                    format!("m-{r}"),
                    Member {
                        name: format!("{r}"),
                        role: *r,
                        added_at: T0,
                        added_by: "m-admin".into(),
                    },
                )
            })
            .collect(),
        devices: map(
            "d1",
            Device {
                member: "m-admin".into(),
                agreement: "00".repeat(32),
                label: "laptop".into(),
                enrolled_at: T0,
                enrolled_by: "m-admin".into(),
            },
        ),
        revocations: map(
            "d0",
            Revocation {
                at: T0,
                by: "m-admin".into(),
                reason: Some("lost".into()),
                cutoffs: [("team".to_string(), 3u64)].into_iter().collect(),
            },
        ),
        case_access: map(
            "c1",
            [("m-investigator".to_string(), true)].into_iter().collect(),
        ),
        key_epochs: map(
            "0000000001",
            KeyEpoch {
                created_at: T0,
                created_by: "m-admin".into(),
                wraps: [("d1".to_string(), "ab".repeat(40))].into_iter().collect(),
            },
        ),
        relays: map(
            &"ef".repeat(32),
            crate::team::RelayEntry {
                url: "wss://relay.example.org".into(),
                added_at: T0,
                added_by: "m-admin".into(),
            },
        ),
    }
}

#[test]
fn every_write_of_a_full_team_document_fits_its_schema_and_every_part_has_a_rule() {
    let team = sample_team();
    let mut doc = AutoCommit::new();
    autosurgeon::reconcile(&mut doc, &team).unwrap();
    doc.commit();
    let change = doc.get_last_local_change().unwrap().clone();
    let writes = crate::analyze::writes(&mut AutoCommit::new(), &change).unwrap();
    crate::trust::check_values(DocKind::Team, &writes, true).unwrap();
    // Case keys and audit heads come later, in a change of their own
    // (teams founded before them have none).
    let mut before = doc.fork();
    let keys = doc
        .put_object(ROOT, crate::case_keys::CASE_KEYS, ObjType::Map)
        .unwrap();
    doc.put(&keys, "c1".repeat(28), "ab".repeat(150)).unwrap();
    let heads = doc.put_object(ROOT, "audit_heads", ObjType::Map).unwrap();
    doc.put(&heads, "d1", format!("v1:3:{}", "ab".repeat(32)))
        .unwrap();
    doc.commit();
    let later = doc.get_last_local_change().unwrap().clone();
    let later_writes = crate::analyze::writes(&mut before, &later).unwrap();
    crate::trust::check_values(DocKind::Team, &later_writes, false).unwrap();

    // Every part of the document has a rule, and every rule a part.
    let schema = crate::team::schema();
    let mut unused: Vec<&str> = schema
        .rules()
        .iter()
        .map(|r| r.pattern)
        .filter(|p| !p.is_empty())
        .collect();
    let mut stack = vec![(ROOT, DocPath::root())];
    while let Some((obj, here)) = stack.pop() {
        for key in doc.keys(&obj) {
            let path = here.key(key.as_str());
            let rule = schema
                .rule(&path)
                .unwrap_or_else(|| panic!("'{path}' has no rule in TEAM_SCHEMA_RULES"));
            unused.retain(|p| *p != rule.pattern);
            if let Some((automerge::Value::Object(_), id)) = doc.get(&obj, key.as_str()).unwrap() {
                stack.push((id, path));
            }
        }
    }
    assert!(
        unused.is_empty(),
        "rules the sample does not reach: {unused:?}"
    );

    // A team document without a part is not one: `key_epochs` left out,
    // with everything in it (the writes after them renumbered).
    let kept: Vec<usize> = (0..writes.len())
        .filter(|&i| !writes[i].path.to_string().starts_with("key_epochs"))
        .collect();
    let missing_epochs: &Vec<_> = &kept
        .iter()
        .map(|&i| {
            let mut w = writes[i].clone();
            w.into = w.into.map(|j| kept.iter().position(|&k| k == j).unwrap());
            w
        })
        .collect();
    let refused = crate::trust::check_values(DocKind::Team, missing_epochs, true).unwrap_err();
    assert_eq!(refused.code, BAD_VALUE);
    assert!(
        refused.message.contains("key_epochs"),
        "{}",
        refused.message
    );
}
