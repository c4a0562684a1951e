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
        qualification: None,
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

/// The world, with the first prosecutor's stage sign-off "so1" withdrawn
/// ("w1", honest) and the withdrawal held by every device.
fn withdrawn() -> World {
    let mut w = world();
    let dana = member(&w.t.prosecutor);
    let item = review(
        ReviewKind::Withdrawal,
        &dana,
        Some(SignOffRef::stage("so1", T0)),
    );
    w.t.prosecutor
        .edit_case(&w.c1, insert("w1", item), T0, catalog())
        .unwrap();
    send(&mut w.t.prosecutor, &mut w.t.admin);
    send(&mut w.t.admin, &mut w.other);
    assert_eq!(standing_stage_signoffs(&w.other, &w.c1), 0);
    w
}

/// Replaces the review item `id` whole (naming the value it replaces, as
/// Automerge does), as a modified client.
fn forge_replacement(r: &mut Replica, case: &str, id: &str, item: &ReviewItem) {
    forge(r, case, |d| {
        let (_, list) = automerge::ReadDoc::get(d, automerge::ROOT, "review")
            .unwrap()
            .unwrap();
        // A new map under the key, not the old one written into.
        d.put_object(&list, id, ObjType::Map).unwrap();
        autosurgeon::reconcile_prop(d, &list, id, item).unwrap();
    });
}

#[test]
fn a_withdrawal_or_a_signoff_is_never_replaced_by_anyone() {
    // (what, whose device, the entry replaced)
    let attacks: [(&str, bool, &str); 3] = [
        ("another prosecutor erases a withdrawal", true, "w1"),
        ("another prosecutor erases a sign-off", true, "so1"),
        ("the signer erases their own withdrawal", false, "w1"),
    ];
    for (what, by_other, id) in attacks {
        let mut w = withdrawn();
        let before = case_of(&w.t.admin, &w.c1).review;
        let attacker = if by_other {
            &mut w.other
        } else {
            &mut w.t.prosecutor
        };
        let me = member(attacker);
        let comment = review(ReviewKind::Comment, &me, None);
        forge_replacement(attacker, &w.c1, id, &comment);
        let report = send(attacker, &mut w.t.admin);
        assert_eq!(
            codes(&report),
            ["policy.denied"],
            "{what}: {:?}",
            report.quarantined
        );
        assert_eq!(case_of(&w.t.admin, &w.c1).review, before, "{what}");
        assert_eq!(standing_stage_signoffs(&w.t.admin, &w.c1), 0, "{what}");
    }
}

#[test]
fn a_withdrawal_is_neither_deleted_nor_retargeted_later() {
    let mut w = withdrawn();
    let dana_heads = w.t.admin.heads(&w.c1).unwrap();
    // The signer points her withdrawal at another sign-off, in place.
    forge(&mut w.t.prosecutor, &w.c1, |d| {
        put(d, &["review", "w1", "withdraws", "review_id"], "so2");
    });
    // Another prosecutor deletes it.
    forge(&mut w.other, &w.c1, |d| {
        let (_, list) = automerge::ReadDoc::get(d, automerge::ROOT, "review")
            .unwrap()
            .unwrap();
        d.delete(&list, "w1").unwrap();
    });
    for (from, code) in [
        (&mut w.t.prosecutor, "sync.withdraws_others_signoff"),
        (&mut w.other, "policy.denied"),
    ] {
        let report = send(from, &mut w.t.admin);
        assert_eq!(codes(&report), [code], "{:?}", report.quarantined);
    }
    assert_eq!(w.t.admin.heads(&w.c1).unwrap(), dana_heads);
    assert_eq!(standing_stage_signoffs(&w.t.admin, &w.c1), 0);
}

#[test]
fn a_withdrawal_of_a_signoff_its_change_does_not_build_on_is_refused() {
    let mut w = world();
    let dana = member(&w.t.prosecutor);
    // "so2" is made after the withdrawal's dependencies (here: in the same
    // change), so the withdrawal cannot be read against it.
    let signoff = review(ReviewKind::SignOff, &dana, None);
    let item = review(
        ReviewKind::Withdrawal,
        &dana,
        Some(SignOffRef::stage("so2", T0)),
    );
    forge(&mut w.t.prosecutor, &w.c1, |d| {
        let (_, list) = automerge::ReadDoc::get(d, automerge::ROOT, "review")
            .unwrap()
            .unwrap();
        autosurgeon::reconcile_prop(d, &list, "so2", &signoff).unwrap();
        autosurgeon::reconcile_prop(d, &list, "wx", &item).unwrap();
    });
    let report = send(&mut w.t.prosecutor, &mut w.t.admin);
    assert_eq!(codes(&report), ["sync.withdraws_others_signoff"]);
}

#[test]
fn a_withdrawal_whose_target_is_written_twice_in_one_change_is_judged_by_what_stands() {
    let mut w = world();
    let erlan = member(&w.other);
    // Erlan signs off himself, honestly ("so9"), so he has a target of his own.
    let own = insert("so9", review(ReviewKind::SignOff, &erlan, None));
    w.other.edit_case(&w.c1, own, T0, catalog()).unwrap();
    send(&mut w.other, &mut w.t.admin);
    // One change makes two `withdraws` maps under one withdrawal: the one
    // that stands names Dana's "so1"; Erlan's own "so9" is written last.
    forge(&mut w.other, &w.c1, |d| {
        use automerge::ReadDoc;
        let (_, list) = d.get(automerge::ROOT, "review").unwrap().unwrap();
        let wx = d.put_object(&list, "wx", ObjType::Map).unwrap();
        d.put(&wx, "kind", "Withdrawal").unwrap();
        d.put(&wx, "stage", "ProsecutionReview").unwrap();
        d.put(&wx, "text", "Reviewed.").unwrap();
        d.put(&wx, "by", erlan.as_str()).unwrap();
        d.put(&wx, "at", T0).unwrap();
        let mine = d.put_object(&wx, "withdraws", ObjType::Map).unwrap();
        let theirs = d.put_object(&wx, "withdraws", ObjType::Map).unwrap();
        for (obj, target) in [(&theirs, "so1"), (&mine, "so9")] {
            d.put(obj, "review_id", target).unwrap();
            d.put(obj, "template_id", automerge::ScalarValue::Null)
                .unwrap();
            d.put(obj, "item_id", automerge::ScalarValue::Null).unwrap();
            d.put(obj, "signed_at", T0).unwrap();
        }
    });
    let report = send(&mut w.other, &mut w.t.admin);
    let c = case_of(&w.t.admin, &w.c1);
    if report.quarantined.is_empty() {
        // Whatever stands, Dana's sign-off is not withdrawn by it.
        assert_eq!(
            c.review["wx"]
                .withdraws
                .as_ref()
                .unwrap()
                .review_id
                .as_deref(),
            Some("so1"),
        );
    } else {
        assert!(!c.review.contains_key("wx"));
    }
    let dana = member(&w.t.prosecutor);
    let standing: Vec<_> =
        caravan_model::signoffs::standing_stage_signoffs(&c, Stage::ProsecutionReview)
            .map(|(_, r)| r.by.clone())
            .collect();
    assert!(
        standing.contains(&dana),
        "{standing:?} {:?}",
        codes(&report)
    );
}

/// A prosecutor writes a comment under the id of a colleague's withdrawal
/// in a change that does not build on it, numbered to win the conflict
/// (one operation more before it): on every device it hides the withdrawal.
/// Open: each write passes every check on its own (a new entry, in the
/// author's view), and the gate reads the value Automerge lets win.
#[test]
#[ignore = "open: a concurrent entry under a withdrawal's id hides it"]
fn a_concurrent_entry_under_a_withdrawals_id_does_not_revive_the_signoff() {
    let mut w = world();
    let before = w.t.prosecutor.heads(&w.c1).unwrap();
    let dana = member(&w.t.prosecutor);
    let item = review(
        ReviewKind::Withdrawal,
        &dana,
        Some(SignOffRef::stage("so1", T0)),
    );
    w.t.prosecutor
        .edit_case(&w.c1, insert("w1", item), T0, catalog())
        .unwrap();
    send(&mut w.t.prosecutor, &mut w.t.admin);
    send(&mut w.t.admin, &mut w.other);
    let erlan = member(&w.other);
    let comment = review(ReviewKind::Comment, &erlan, None);
    let actor = w.other.device().actor();
    let mut fork = w
        .other
        .cases
        .get_mut(&w.c1)
        .unwrap()
        .fork_at(&before)
        .unwrap()
        .with_actor(actor);
    let (_, list) = automerge::ReadDoc::get(&fork, automerge::ROOT, "review")
        .unwrap()
        .unwrap();
    autosurgeon::reconcile_prop(&mut fork, &list, "a0", &comment).unwrap();
    autosurgeon::reconcile_prop(&mut fork, &list, "w1", &comment).unwrap();
    fork.commit_with(at_t0());
    let shadow = fork.get_last_local_change().unwrap().clone();
    plant(&mut w.other, &w.c1, &shadow);
    let report = send(&mut w.other, &mut w.t.admin);
    let c = case_of(&w.t.admin, &w.c1);
    assert_eq!(
        c.review["w1"].kind,
        ReviewKind::Withdrawal,
        "{:?}",
        codes(&report)
    );
    assert_eq!(
        standing_stage_signoffs(&w.t.admin, &w.c1),
        0,
        "{:?}",
        codes(&report)
    );
}
