//! Finding 7 of the trust review: document ids with a second spelling.

use super::fixture::*;
use crate::trust::change_message;

#[test]
fn finding_7_a_case_id_with_a_second_spelling_is_refused_and_the_rest_arrives() {
    let mut t = team();
    let c1 = open_case(&mut t.inv_a, C1);
    let c2 = open_case(&mut t.inv_a, C2);
    // The member re-files &c2 under its upper-case spelling and signs every
    // change for that id with its real device key, as a modified client
    // could.
    let upper = c2.to_uppercase();
    let mut doc = t.inv_a.cases.remove(&c2).unwrap();
    let team_id = t.inv_a.team_id();
    for c in doc.get_changes(&[]).iter() {
        let sig = t
            .inv_a
            .keys
            .sign(&change_message(&team_id, &upper, &c.hash()));
        t.inv_a.signatures.insert(c.hash(), sig);
    }
    t.inv_a.cases.insert(upper.clone(), doc);
    // The honest export sends no case under an id that is not a case's; a
    // modified client seals it under a key of its own.
    send(&mut t.inv_a, &mut t.admin);
    t.inv_a.force_case_key(&upper, &[t.admin.keys().public()]);
    let report = craft_send(&mut t.inv_a, &mut t.admin);
    let refused: Vec<(&str, &str)> = report
        .quarantined
        .iter()
        .map(|q| (q.doc_id.as_str(), q.code.as_str()))
        .collect();
    assert!(
        refused.contains(&(upper.as_str(), "sync.bad_case_id")),
        "refused: {refused:?}"
    );
    assert!(
        !t.admin.cases.contains_key(&upper),
        "nothing stored under it"
    );
    assert!(
        !t.admin.peer_heads.keys().any(|(_, d)| *d == upper),
        "not even the sender's heads of it"
    );
    assert!(
        t.admin.case(&c1).is_some(),
        "the rest of the bundle arrived"
    );
    // Through the API, ids are derived: one made by `create_case` is in the
    // one form, and is the id of the case's first change.
    let genesis = t.inv_a.heads(&c1).unwrap();
    assert_eq!(crate::team::case_id_of(&genesis[0]), c1);
    assert!(crate::team::is_case_id(&c1));
}

#[test]
fn case_ids_have_one_spelling() {
    use crate::team::is_case_id;
    let c1 = "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1";
    for ok in [c1, "0123456789abcdef0123456789abcdef"] {
        assert!(is_case_id(ok), "{ok}");
    }
    let upper = c1.to_uppercase();
    let long = format!("{c1}0");
    for bad in [
        "",
        "team",
        "c1",
        "case-00001",
        &upper,
        "00000000000000000000000000000000",
        &c1[1..],
        &long,
        "g1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1",
    ] {
        assert!(!is_case_id(bad), "{bad:?}");
    }
}
