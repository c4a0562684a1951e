//! A prosecutor's position on the legal qualification stands only where
//! the case's jurisdiction gives the prosecutor that role. A prosecutor of
//! a Kyrgyz case crafts one with raw Automerge, signed with their real key
//! and honest about who they are: every device refuses it. In a Kazakh
//! case the same entry, made through the model, lands.

use automerge::ObjType;
use automerge::transaction::Transactable;
use caravan_model::{
    Edit, LegalArticle, NewCase, QualificationOpinion, Record, ReviewItem, ReviewKind,
};

use super::fixture::*;
use crate::replica::Replica;

fn position(by: &str, jurisdiction: &str, code_year: u64, article: &str) -> ReviewItem {
    let a = LegalArticle {
        jurisdiction: jurisdiction.into(),
        code_year,
        article: article.into(),
        part: Some("2".into()),
        paragraph: None,
        in_force_from: None,
    };
    ReviewItem {
        kind: ReviewKind::Comment,
        stage: None,
        text: String::new(),
        by: by.into(),
        at: T0,
        withdraws: None,
        qualification: Some(QualificationOpinion {
            agrees: false,
            articles: [(a.key(), a)].into_iter().collect(),
        }),
    }
}

/// A case in `jurisdiction` opened by investigator A, shared with the
/// prosecutor and the admin.
fn case_in(t: &mut Team, name: &str, jurisdiction: &str) -> String {
    let c = t
        .inv_a
        .create_case(
            NewCase {
                nonce: nonce(name),
                reference: format!("REF-{name}"),
                title: "Brick kiln".into(),
                jurisdiction: jurisdiction.into(),
            },
            T0,
            catalog(),
        )
        .unwrap();
    send(&mut t.inv_a, &mut t.admin);
    grant(&mut t.admin, &c, &t.prosecutor);
    send(&mut t.admin, &mut t.prosecutor);
    c
}

fn forge_position(r: &mut Replica, case: &str, id: &str, item: &ReviewItem) {
    forge(r, case, |d| {
        let (_, list) = automerge::ReadDoc::get(d, automerge::ROOT, "review")
            .unwrap()
            .unwrap();
        d.put_object(&list, id, ObjType::Map).unwrap();
        autosurgeon::reconcile_prop(d, &list, id, item).unwrap();
    });
}

#[test]
fn a_crafted_position_where_the_procedure_gives_none_is_refused() {
    let mut t = team();
    let c = case_in(&mut t, "kg-case", "KG");
    let dana = member(&t.prosecutor);
    forge_position(
        &mut t.prosecutor,
        &c,
        "q1",
        &position(&dana, "KG", 2021, "166"),
    );
    let report = send(&mut t.prosecutor, &mut t.admin);
    assert_eq!(
        codes(&report),
        ["policy.denied"],
        "{:?}",
        report.quarantined
    );
    assert!(!case_of(&t.admin, &c).review.contains_key("q1"));
}

#[test]
fn a_position_where_the_procedure_gives_one_lands() {
    let mut t = team();
    let c = case_in(&mut t, "kz-case", "KZ");
    let dana = member(&t.prosecutor);
    let edit = Edit::Insert {
        id: "q1".into(),
        record: Record::Review(position(&dana, "KZ", 2014, "128")),
    };
    t.prosecutor.edit_case(&c, edit, T0, catalog()).unwrap();
    let report = send(&mut t.prosecutor, &mut t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", report.quarantined);
    let landed = case_of(&t.admin, &c);
    assert!(landed.review["q1"].qualification.is_some());
}

#[test]
fn positions_sent_together_are_judged_each_on_the_case_they_build_on() {
    let mut t = team();
    let c = case_in(&mut t, "kz-two", "KZ");
    let dana = member(&t.prosecutor);
    for (id, article) in [("q1", "128"), ("q2", "135")] {
        let edit = Edit::Insert {
            id: id.into(),
            record: Record::Review(position(&dana, "KZ", 2014, article)),
        };
        t.prosecutor.edit_case(&c, edit, T0, catalog()).unwrap();
    }
    let report = send(&mut t.prosecutor, &mut t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", report.quarantined);
    assert_eq!(case_of(&t.admin, &c).review.len(), 2);
}
