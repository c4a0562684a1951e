//! Finding 7 of the trust review: document ids with a second spelling.

use super::fixture::*;
use crate::trust::change_message;

#[test]
fn finding_7_a_case_id_with_a_second_spelling_is_refused_and_the_rest_arrives() {
    let mut t = team();
    open_case(&mut t.inv_a, "c1");
    open_case(&mut t.inv_a, "c2");
    // The member re-files c2 under an upper-case id and signs every change
    // for that id with its real device key, as a modified client could.
    let mut doc = t.inv_a.cases.remove("c2").unwrap();
    let team_id = t.inv_a.team_id();
    for c in doc.get_changes(&[]).iter() {
        let sig = t
            .inv_a
            .keys
            .sign(&change_message(&team_id, "C2", &c.hash()));
        t.inv_a.signatures.insert(c.hash(), sig);
    }
    t.inv_a.cases.insert("C2".into(), doc);

    let report = send(&mut t.inv_a, &mut t.admin);
    let refused: Vec<(&str, &str)> = report
        .quarantined
        .iter()
        .map(|q| (q.doc_id.as_str(), q.code.as_str()))
        .collect();
    assert!(
        refused.contains(&("C2", "sync.bad_case_id")),
        "refused: {refused:?}"
    );
    assert!(!t.admin.cases.contains_key("C2"), "nothing stored under it");
    assert!(
        t.admin.case("c1").is_some(),
        "the rest of the bundle arrived"
    );
    // Creating such a case through the API is refused too.
    let err = t
        .admin
        .create_case(
            caravan_model::NewCase {
                id: "Team".into(),
                reference: "R".into(),
                title: "T".into(),
                jurisdiction: "KZ".into(),
            },
            T0,
            catalog(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "sync.denied");
}

#[test]
fn case_ids_have_one_spelling() {
    use crate::team::is_case_id;
    for ok in ["c1", "case-00001", "0123456789abcdef0123456789abcdef"] {
        assert!(is_case_id(ok), "{ok}");
    }
    for bad in [
        "",
        "team",
        "Team",
        "C1",
        "c_1",
        "c 1",
        "с1",
        &"a".repeat(65),
    ] {
        assert!(!is_case_id(bad), "{bad:?}");
    }
}
