//! A sign-off is withdrawn only by who signed it. Another prosecutor, whom
//! the role policy lets add review items, crafts a withdrawal of a
//! colleague's sign-off with raw Automerge, signed with their real device
//! key and honest about who they are: every device refuses it. The
//! signer's own withdrawal, sent in one bundle with the sign-off, lands.

use automerge::ObjType;
use automerge::transaction::Transactable;
use caravan_model::lifecycle;
use caravan_model::{Edit, Record, ReviewItem, ReviewKind, Role, SignOffRef, Stage};

use super::fixture::*;
use crate::replica::Replica;

/// A case with the prosecution review stage open and its items done, held
/// by the admin and two prosecutors; the first prosecutor has signed off
/// the stage (review item "so1") and the item "act-proven".
struct World {
    t: Team,
    other: Replica,
    c1: String,
}

fn review(kind: ReviewKind, by: &str, withdraws: Option<SignOffRef>) -> ReviewItem {
    ReviewItem {
        kind,
        stage: Some(Stage::ProsecutionReview),
        text: "Reviewed.".into(),
        by: by.into(),
        at: T0,
        withdraws,
    }
}

fn insert(id: &str, r: ReviewItem) -> Edit {
    Edit::Insert {
        id: id.into(),
        record: Record::Review(r),
    }
}

fn world() -> World {
    let mut t = team();
    let mut other = enrol(&mut t.admin, "Prosecutor Erlan", Role::Prosecutor);
    let c1 = open_case(&mut t.inv_a, C1);
    let open = Edit::OpenStage {
        stage: Stage::ProsecutionReview,
    };
    t.inv_a.edit_case(&c1, open, T0, catalog()).unwrap();
    let done = item_done("prosecution-review", "act-proven");
    t.inv_a.edit_case(&c1, done, T0, catalog()).unwrap();
    send(&mut t.inv_a, &mut t.admin);
    grant(&mut t.admin, &c1, &t.prosecutor);
    grant(&mut t.admin, &c1, &other);
    send(&mut t.admin, &mut t.prosecutor);
    let dana = member(&t.prosecutor);
    let signoff = insert("so1", review(ReviewKind::SignOff, &dana, None));
    t.prosecutor.edit_case(&c1, signoff, T0, catalog()).unwrap();
    let item = Edit::SignOffItem {
        template_id: "prosecution-review".into(),
        item_id: "act-proven".into(),
    };
    t.prosecutor.edit_case(&c1, item, T0, catalog()).unwrap();
    send(&mut t.prosecutor, &mut t.admin);
    send(&mut t.admin, &mut other);
    World { t, other, c1 }
}

/// Writes a withdrawal whole under `review/<id>`, as a modified client.
fn forge_withdrawal(r: &mut Replica, case: &str, id: &str, item: &ReviewItem) {
    forge(r, case, |d| {
        let (_, list) = automerge::ReadDoc::get(d, automerge::ROOT, "review")
            .unwrap()
            .unwrap();
        d.put_object(&list, id, ObjType::Map).unwrap();
        autosurgeon::reconcile_prop(d, &list, id, item).unwrap();
    });
}

fn standing_stage_signoffs(r: &Replica, case: &str) -> usize {
    let c = case_of(r, case);
    caravan_model::signoffs::standing_stage_signoffs(&c, Stage::ProsecutionReview).count()
}

#[test]
fn a_crafted_withdrawal_of_another_prosecutors_signoff_is_refused_on_every_device() {
    let attacks = [
        ("the stage sign-off", SignOffRef::stage("so1", T0)),
        (
            "an item's sign-off",
            SignOffRef::item("prosecution-review", "act-proven", T0),
        ),
    ];
    for (what, target) in attacks {
        let mut w = world();
        let erlan = member(&w.other);
        // Honest about its author (attribution holds): only the target is
        // someone else's.
        let item = review(ReviewKind::Withdrawal, &erlan, Some(target));
        forge_withdrawal(&mut w.other, &w.c1, "wx", &item);
        for receiver in [&mut w.t.admin, &mut w.t.prosecutor] {
            let report = send(&mut w.other, receiver);
            assert_eq!(
                codes(&report),
                ["sync.withdraws_others_signoff"],
                "{what}: {:?}",
                report.quarantined
            );
            let c = case_of(receiver, &w.c1);
            assert!(!c.review.contains_key("wx"), "{what}: the forgery landed");
        }
        assert_eq!(standing_stage_signoffs(&w.t.admin, &w.c1), 1, "{what}");
    }
}

#[test]
fn the_model_refuses_a_withdrawal_of_someone_elses_signoff_locally() {
    let mut w = world();
    let erlan = member(&w.other);
    let item = review(
        ReviewKind::Withdrawal,
        &erlan,
        Some(SignOffRef::stage("so1", T0)),
    );
    let err = w
        .other
        .edit_case(&w.c1, insert("wx", item), T0, catalog())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a sign-off is withdrawn only by who signed it"
    );
}

#[test]
fn a_signoff_and_its_withdrawal_in_one_bundle_both_land_and_the_gate_holds() {
    let mut w = world();
    let dana = member(&w.t.prosecutor);
    // A second sign-off and its withdrawal, made before any exchange.
    let again = insert("so2", review(ReviewKind::SignOff, &dana, None));
    w.t.prosecutor
        .edit_case(&w.c1, again, T0, catalog())
        .unwrap();
    for (id, target) in [("w1", "so1"), ("w2", "so2")] {
        let item = review(
            ReviewKind::Withdrawal,
            &dana,
            Some(SignOffRef::stage(target, T0)),
        );
        w.t.prosecutor
            .edit_case(&w.c1, insert(id, item), T0, catalog())
            .unwrap();
    }
    let report = send(&mut w.t.prosecutor, &mut w.t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", report.quarantined);
    let c = case_of(&w.t.admin, &w.c1);
    assert_eq!(c.review.len(), 4, "sign-offs and withdrawals all kept");
    assert_eq!(standing_stage_signoffs(&w.t.admin, &w.c1), 0);
    let gate = lifecycle::gate(&c, Stage::ProsecutionReview, catalog());
    assert!(
        gate.missing_signoffs
            .iter()
            .any(|m| m.role == Role::Prosecutor && m.item_id.is_none()),
        "a withdrawn stage sign-off no longer counts: {gate:?}"
    );
}
