//! Finding 12 of the trust review: sign-off roles, "recorded by" names and
//! custody times were written by the author and never checked against the
//! signer. Every attack here is a raw change written with Automerge,
//! signed with the attacker's real device key and sent in an ordinary
//! bundle together with an honest change of the same author.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc};
use autosurgeon::Reconcile;
use caravan_model::{
    Approval, CustodyEntry, Decision, Edit, ItemState, ItemStatus, Record, ReviewItem, ReviewKind,
    Role, SignOff, Stage,
};

use super::fixture::*;
use crate::replica::Replica;
use crate::team::TEAM_DOC_ID;

const DAY: i64 = 24 * 60 * 60 * 1000;

/// The team with a supervisor, and a case A opened that everyone holds:
/// a victim, an evidence item with one hand-over, the prosecution
/// review's first item marked.
type World = Supervised;

/// Member ids, for the attacks to name.
struct Names {
    inv_a: String,
    inv_b: String,
    prosecutor: String,
    sup: String,
    admin: String,
}

fn world() -> World {
    let (mut t, mut sup) = with_supervisor();
    let c1 = open_case(&mut t.inv_a, C1);
    add_victim(&mut t.inv_a, &c1, "v1", "Secret Name");
    phone_in_custody(&mut t.inv_a, &c1);
    let done = item_done("prosecution-review", "act-proven");
    t.inv_a.edit_case(&c1, done, T0, catalog()).unwrap();
    send(&mut t.inv_a, &mut t.admin);
    grant(&mut t.admin, &c1, &t.inv_b);
    grant(&mut t.admin, &c1, &t.prosecutor);
    send(&mut t.admin, &mut t.inv_b);
    send(&mut t.admin, &mut t.prosecutor);
    send(&mut t.admin, &mut sup);
    send(&mut t.admin, &mut t.inv_a);
    World { t, sup, c1 }
}

fn names(w: &World) -> Names {
    Names {
        inv_a: member(&w.t.inv_a),
        inv_b: member(&w.t.inv_b),
        prosecutor: member(&w.t.prosecutor),
        sup: member(&w.sup),
        admin: member(&w.t.admin),
    }
}

/// The object at a path of map keys.
fn obj(d: &AutoCommit, path: &[&str]) -> automerge::ObjId {
    let mut o = ROOT;
    for k in path {
        o = d.get(&o, *k).unwrap().unwrap().1;
    }
    o
}

/// Writes `value` whole under `key` of the map at `path`, as a new object:
/// how an honest device writes an entry.
fn put_whole<T: Reconcile>(d: &mut AutoCommit, path: &[&str], key: &str, value: &T) {
    let parent = obj(d, path);
    d.put_object(&parent, key, ObjType::Map).unwrap();
    autosurgeon::reconcile_prop(d, &parent, key, value).unwrap();
}

/// Appends a hand-over to e1's chain of custody, written whole.
fn append(d: &mut AutoCommit, entry: &CustodyEntry) {
    let list = obj(d, &["evidence", "e1", "custody"]);
    let len = d.length(&list);
    autosurgeon::reconcile_insert(d, list, len, entry).unwrap();
}

fn sign_off(role: Role, by: &str) -> SignOff {
    SignOff {
        role,
        status: ItemStatus::Done,
        by: by.into(),
        at: T0,
    }
}

/// The prosecutor's sign-off of the prosecution review's first item,
/// naming `by`, written whole.
fn prosecutors_sign_off(d: &mut AutoCommit, by: &str) {
    put_whole(
        d,
        &["checklists", "prosecution-review", "signoffs"],
        "act-proven",
        &sign_off(Role::Prosecutor, by),
    )
}

fn approval(by: &str) -> Approval {
    Approval {
        stage: Some(Stage::ProsecutionReview),
        subject: "prosecution review".into(),
        decision: Decision::Approved,
        comment: None,
        by: by.into(),
        at: T0,
    }
}

/// Who crafts an attack.
#[derive(Clone, Copy, Debug)]
enum Who {
    InvB,
    Supervisor,
}

type Attack = Box<dyn Fn(&mut AutoCommit, &Names)>;

fn attacks() -> Vec<(&'static str, Who, Attack)> {
    vec![
        (
            "an investigator's sign-off naming the prosecutor",
            Who::InvB,
            Box::new(|d, n| prosecutors_sign_off(d, &n.prosecutor)),
        ),
        (
            "an investigator's sign-off in the prosecutor's role",
            Who::InvB,
            Box::new(|d, n| prosecutors_sign_off(d, &n.inv_b)),
        ),
        (
            "a supervisor's sign-off claiming the prosecutor's role",
            Who::Supervisor,
            Box::new(|d, n| prosecutors_sign_off(d, &n.sup)),
        ),
        (
            "a victim's record recorded by another member",
            Who::InvB,
            Box::new(|d, n| put_whole(d, &["victims"], "vx", &victim("vx", "Someone", &n.inv_a))),
        ),
        (
            "a custody hand-over recorded by someone else",
            Who::InvB,
            Box::new(|d, n| append(d, &hand_over("k2", &n.inv_a, T0))),
        ),
        (
            "a custody hand-over dated a day after its change",
            Who::InvB,
            Box::new(|d, n| append(d, &hand_over("k2", &n.inv_b, T0 + DAY))),
        ),
        (
            "a custody hand-over recorded a month before the case was opened",
            Who::InvB,
            Box::new(|d, n| {
                append(
                    d,
                    &CustodyEntry {
                        recorded_at: Some(T0 - 30 * DAY),
                        ..hand_over("k2", &n.inv_b, T0)
                    },
                )
            }),
        ),
        (
            "an investigator's approval claiming a supervisor",
            Who::InvB,
            Box::new(|d, n| put_whole(d, &["approvals"], "ax", &approval(&n.sup))),
        ),
        (
            "a supervisor's approval in the admin's name",
            Who::Supervisor,
            Box::new(|d, n| put_whole(d, &["approvals"], "ax", &approval(&n.admin))),
        ),
        (
            "a review item in the prosecutor's name",
            Who::InvB,
            Box::new(|d, n| {
                put_whole(
                    d,
                    &["review"],
                    "rx",
                    &ReviewItem {
                        kind: ReviewKind::SignOff,
                        stage: Some(Stage::ProsecutionReview),
                        text: "Reviewed.".into(),
                        by: n.prosecutor.clone(),
                        at: T0,
                        withdraws: None,
                        qualification: None,
                    },
                )
            }),
        ),
        (
            "an item marked in another investigator's name",
            Who::InvB,
            Box::new(|d, n| {
                put_whole(
                    d,
                    &["checklists", "prosecution-review", "items"],
                    "means-proven",
                    &ItemState {
                        status: ItemStatus::Done,
                        reason: None,
                        note: None,
                        evidence_ids: vec![],
                        interview_ids: vec![],
                        by: n.inv_a.clone(),
                        at: T0,
                    },
                )
            }),
        ),
        (
            "taking over another member's victim record",
            Who::InvB,
            Box::new(|d, n| put(d, &["victims", "v1", "recorded_by"], &n.inv_b)),
        ),
        (
            "taking over the case",
            Who::InvB,
            Box::new(|d, n| put(d, &["header", "created_by"], &n.inv_b)),
        ),
        (
            "re-dating an evidence item",
            Who::InvB,
            Box::new(|d, _| {
                let e1 = obj(d, &["evidence", "e1"]);
                d.put(&e1, "recorded_at", T0 - 5 * DAY).unwrap();
            }),
        ),
    ]
}

/// An honest edit of `r` that the attack will build on: it arrives in the
/// same bundle and must land.
fn honest_edit(r: &mut Replica, case: &str, id: &str) {
    let (me, role) = r.me().unwrap();
    let edit = match role {
        Role::Investigator => Edit::Insert {
            id: id.into(),
            record: Record::Victim(victim(id, "Honest", &me)),
        },
        _ => Edit::Insert {
            id: id.into(),
            record: Record::Approval(Approval {
                stage: None,
                subject: "honest".into(),
                decision: Decision::Rejected,
                comment: None,
                by: me,
                at: T0,
            }),
        },
    };
    r.edit_case(case, edit, T0, catalog()).unwrap();
}

#[test]
fn finding_12_a_change_that_misstates_who_or_when_is_refused_and_the_rest_arrives() {
    let mut failures = Vec::new();
    for (what, who, attack) in attacks() {
        let mut w = world();
        let n = names(&w);
        let c1 = w.c1.clone();
        let attacker = match who {
            Who::InvB => &mut w.t.inv_b,
            Who::Supervisor => &mut w.sup,
        };
        // An honest change, then the forgery on top of it, in one bundle.
        honest_edit(attacker, &c1, "honest");
        let expected = case_of(attacker, &c1);
        let forged = craft(attacker, &c1, |d| attack(d, &n), |_| {});
        plant(attacker, &c1, &forged);
        let attacker = match who {
            Who::InvB => &mut w.t.inv_b,
            Who::Supervisor => &mut w.sup,
        };
        let bundle = attacker
            .export(&crate::bundle::Recipient::Member(n.admin.clone()), T0)
            .unwrap();

        // The admin holds what the attacker held; A's device has moved on
        // with honest work the attacker never saw. Both judge the same.
        add_victim(&mut w.t.inv_a, &c1, "later", "Later");
        let later = case_of(&w.t.inv_a, &c1).victims["later"].clone();
        let limits = crate::bundle::Limits::default();
        for (name, receiver) in [("admin", &mut w.t.admin), ("A", &mut w.t.inv_a)] {
            let report = receiver.import(&bundle, &limits).unwrap();
            if codes(&report) != ["sync.false_attribution"] {
                failures.push(format!("{what}, at {name}: {:?}", report.quarantined));
                continue;
            }
            let mut doc = receiver.case(&c1).unwrap();
            if doc
                .automerge_mut()
                .get_change_by_hash(&forged.hash())
                .is_some()
            {
                failures.push(format!("{what}, at {name}: the forgery was applied"));
            }
            let mut got = doc.case().unwrap();
            if name == "A" {
                assert_eq!(got.victims.remove("later"), Some(later.clone()));
            }
            if got != expected {
                failures.push(format!(
                    "{what}, at {name}: the case is not the honest state"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn finding_12_honest_work_of_every_kind_keeps_its_attribution() {
    let mut w = world();
    let c1 = w.c1.clone();
    let n = names(&w);
    // Investigators record, hand over, mark; both mark one item at once.
    let b = n.inv_b.clone();
    let records: Vec<(&str, Record)> = vec![
        ("v2", Record::Victim(victim("v2", "Second", &b))),
        ("e2", Record::Evidence(phone(&b))),
        (
            "n1",
            Record::Note(caravan_model::Note {
                body: "Called the shelter.".into(),
                recorded_at: T0,
                recorded_by: b.clone(),
            }),
        ),
    ];
    for (id, record) in records {
        let edit = Edit::Insert {
            id: id.into(),
            record,
        };
        w.t.inv_b.edit_case(&c1, edit, T0, catalog()).unwrap();
    }
    let mark = |status| Edit::SetItem {
        template_id: "intake".into(),
        item_id: "first-assessment".into(),
        status,
        reason: Some("no injuries".into()),
        note: None,
        evidence_ids: vec![],
        interview_ids: vec![],
    };
    let edits = [
        Edit::AppendCustody {
            evidence_id: "e1".into(),
            // It took place before the case was entered here: the
            // recorder's statement, recorded now.
            entry: CustodyEntry {
                at: T0 - 30 * DAY,
                ..hand_over("k2", &b, T0 - 60_000)
            },
        },
        mark(ItemStatus::NotApplicable),
        // B re-marks an item A marked: the new state is B's.
        Edit::SetItem {
            template_id: "prosecution-review".into(),
            item_id: "act-proven".into(),
            status: ItemStatus::NotApplicable,
            reason: Some("charged under another article".into()),
            note: None,
            evidence_ids: vec![],
            interview_ids: vec![],
        },
    ];
    for edit in edits {
        w.t.inv_b.edit_case(&c1, edit, T0, catalog()).unwrap();
    }
    w.t.inv_a
        .edit_case(&c1, mark(ItemStatus::Done), T0, catalog())
        .unwrap();
    // The prosecutor signs off and reviews; the supervisor approves.
    let p = n.prosecutor.clone();
    send(&mut w.t.inv_b, &mut w.t.prosecutor);
    w.t.prosecutor
        .edit_case(
            &c1,
            Edit::SignOffItem {
                template_id: "prosecution-review".into(),
                item_id: "act-proven".into(),
            },
            T0,
            catalog(),
        )
        .unwrap();
    let review = Record::Review(ReviewItem {
        kind: ReviewKind::Comment,
        stage: None,
        text: "Check the contract.".into(),
        by: p.clone(),
        at: T0,
        withdraws: None,
        qualification: None,
    });
    w.t.prosecutor
        .edit_case(
            &c1,
            Edit::Insert {
                id: "r1".into(),
                record: review,
            },
            T0,
            catalog(),
        )
        .unwrap();
    let s = n.sup.clone();
    w.sup
        .edit_case(
            &c1,
            Edit::Insert {
                id: "a1".into(),
                record: Record::Approval(approval(&s)),
            },
            T0,
            catalog(),
        )
        .unwrap();
    // Everything meets at the admin, and A decides between the two marks.
    for from in [
        &mut w.t.inv_a,
        &mut w.t.inv_b,
        &mut w.t.prosecutor,
        &mut w.sup,
    ] {
        let report = send(from, &mut w.t.admin);
        assert!(report.quarantined.is_empty(), "{:?}", report.quarantined);
    }
    send(&mut w.t.admin, &mut w.t.inv_a);
    let conflict = w.t.inv_a.case(&c1).unwrap().conflicts();
    let [conflict] = conflict.as_slice() else {
        panic!("one conflict expected: {conflict:?}");
    };
    let chosen = conflict
        .values
        .iter()
        .find(|v| v.actor == w.t.inv_b.device().actor().to_hex_string())
        .unwrap()
        .id
        .clone();
    w.t.inv_a
        .resolve(&c1, &conflict.path, &chosen, T0 + 60_000)
        .unwrap();
    let report = send(&mut w.t.inv_a, &mut w.t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", report.quarantined);
    for to in [&mut w.sup, &mut w.t.prosecutor] {
        let report = send(&mut w.t.admin, to);
        assert!(report.quarantined.is_empty(), "{:?}", report.quarantined);
    }

    let case = case_of(&w.sup, &c1);
    assert_eq!(case.victims["v2"].recorded_by, b);
    assert_eq!(case.evidence["e2"].recorded_by, b);
    assert_eq!(case.notes["n1"].recorded_by, b);
    assert_eq!(case.evidence["e1"].custody[1].recorded_by, b);
    assert_eq!(case.evidence["e1"].custody[1].at, T0 - 30 * DAY);
    let pr = &case.checklists["prosecution-review"];
    assert_eq!(pr.items["act-proven"].by, b);
    assert_eq!(
        (
            pr.signoffs["act-proven"].by.as_str(),
            pr.signoffs["act-proven"].role
        ),
        (p.as_str(), Role::Prosecutor)
    );
    assert_eq!(case.review["r1"].by, p);
    assert_eq!(case.approvals["a1"].by, s);
    // The decision is A's statement of B's finding.
    let decided = &case.checklists["intake"].items["first-assessment"];
    assert_eq!(
        (decided.status, decided.by.as_str(), decided.at),
        (ItemStatus::NotApplicable, n.inv_a.as_str(), T0 + 60_000)
    );
    for r in [&w.t.admin, &w.sup, &w.t.inv_a, &w.t.inv_b, &w.t.prosecutor] {
        assert!(r.quarantine().is_empty(), "{:?}", r.quarantine());
    }
}

#[test]
fn finding_12_team_entries_name_the_admin_who_made_them() {
    // A second admin adds a member honestly, then another in the founding
    // admin's name.
    let mut t = team();
    let mut admin2 = enrol(&mut t.admin, "Admin Two", Role::Admin);
    send(&mut t.admin, &mut t.inv_a);
    let founder = member(&t.admin);
    let honest = admin2
        .edit_team(|team, keys| {
            team.add_member(keys, "Investigator Nurlan", Role::Investigator, T0)
        })
        .unwrap();
    let before = admin2.heads(TEAM_DOC_ID).unwrap();
    {
        let doc = admin2.team.automerge_mut();
        let members = obj(doc, &["members"]);
        autosurgeon::reconcile_prop(
            doc,
            &members,
            "0123456789abcdef",
            &crate::team::Member {
                name: "Accomplice".into(),
                role: Role::Admin,
                added_at: T0,
                added_by: founder,
            },
        )
        .unwrap();
        doc.commit_with(at_t0());
    }
    admin2.sign_new(TEAM_DOC_ID, &before).unwrap();
    let report = send(&mut admin2, &mut t.inv_a);
    assert_eq!(codes(&report), ["sync.false_attribution"]);
    let members = t.inv_a.team().unwrap().members;
    assert!(!members.contains_key("0123456789abcdef"));
    assert_eq!(members[&honest].added_by, member(&admin2));
}

/// An evidence item and a hand-over as a device of the build before the
/// seizer, the attachment's name, type and size and a hand-over's
/// recording time were kept writes them: without those fields.
#[derive(Reconcile)]
struct EarlierEvidence {
    label: String,
    kind: caravan_model::EvidenceKind,
    description: String,
    seized_at: Option<i64>,
    seized_from: Option<String>,
    location: Option<String>,
    seal_number: Option<String>,
    attachment_sha256: Option<String>,
    custody: Vec<EarlierHandOver>,
    recorded_at: i64,
    recorded_by: String,
}

#[derive(Reconcile)]
struct EarlierHandOver {
    #[key]
    id: String,
    from: String,
    to: String,
    at: i64,
    place: String,
    seal_number: Option<String>,
    purpose: Option<String>,
    attachment_sha256: Option<String>,
    recorded_by: String,
}

#[test]
fn an_item_and_a_hand_over_from_a_device_that_knows_no_added_fields_are_accepted() {
    let mut w = world();
    let b = member(&w.t.inv_b);
    let c1 = w.c1.clone();
    let forged = craft(
        &mut w.t.inv_b,
        &c1,
        |d| {
            put_whole(
                d,
                &["evidence"],
                "e9",
                &EarlierEvidence {
                    label: "Ledger".into(),
                    kind: caravan_model::EvidenceKind::Document,
                    description: String::new(),
                    seized_at: None,
                    seized_from: None,
                    location: None,
                    seal_number: None,
                    attachment_sha256: None,
                    custody: vec![],
                    recorded_at: T0,
                    recorded_by: b.clone(),
                },
            );
            let list = obj(d, &["evidence", "e1", "custody"]);
            let len = d.length(&list);
            let entry = EarlierHandOver {
                id: "k9".into(),
                from: "Evidence room".into(),
                to: "Court".into(),
                at: T0,
                place: "Almaty".into(),
                seal_number: None,
                purpose: None,
                attachment_sha256: None,
                recorded_by: b.clone(),
            };
            autosurgeon::reconcile_insert(d, list, len, &entry).unwrap();
        },
        |_| {},
    );
    plant(&mut w.t.inv_b, &c1, &forged);
    let report = send(&mut w.t.inv_b, &mut w.t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", codes(&report));
    let case = case_of(&w.t.admin, &c1);
    let e9 = &case.evidence["e9"];
    assert_eq!(
        (&e9.seized_by, &e9.attachment_name, e9.attachment_size),
        (&None, &None, None)
    );
    let k9 = case.evidence["e1"].custody.last().unwrap();
    assert_eq!((k9.id.as_str(), k9.recorded_at), ("k9", None));
}

/// A hand-over without `recorded_at` is read as recorded at its `at`
/// (entries from before the field). Leaving the field out must not turn the
/// recording time into a moment its author may backdate at will: such an
/// entry's `at` holds as a time, as it did before.
#[test]
fn a_hand_over_that_leaves_out_its_recording_time_is_not_backdated() {
    for (at, refused) in [(T0, false), (T0 - 30 * DAY, true)] {
        let mut w = world();
        let b = member(&w.t.inv_b);
        let c1 = w.c1.clone();
        let forged = craft(
            &mut w.t.inv_b,
            &c1,
            |d| {
                let list = obj(d, &["evidence", "e1", "custody"]);
                let len = d.length(&list);
                let entry = EarlierHandOver {
                    id: "k9".into(),
                    from: "Evidence room".into(),
                    to: "Court".into(),
                    at,
                    place: "Almaty".into(),
                    seal_number: None,
                    purpose: None,
                    attachment_sha256: None,
                    recorded_by: b.clone(),
                };
                autosurgeon::reconcile_insert(d, list, len, &entry).unwrap();
            },
            |_| {},
        );
        plant(&mut w.t.inv_b, &c1, &forged);
        let report = send(&mut w.t.inv_b, &mut w.t.admin);
        let expected: &[&str] = if refused {
            &["sync.false_attribution"]
        } else {
            &[]
        };
        assert_eq!(codes(&report), expected, "at {at}");
    }
}
