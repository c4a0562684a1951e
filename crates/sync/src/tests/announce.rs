//! What a bundle announces is recorded only when the caller says it left,
//! and a member with nothing new is told so before any bundle is written.

use std::collections::BTreeMap;

use super::fixture::*;
use super::session::sync;
use crate::bundle::Recipient;
use crate::team::TEAM_DOC_ID;

#[test]
fn a_deferred_export_records_nothing_until_it_is_noted_sent() {
    let (mut t, c1) = shared();
    let b = member(&t.inv_b);
    add_victim(&mut t.inv_a, &c1, "v2", "Aigul");
    let before = t.inv_a.announced.clone();
    let (bundle, announced) = t
        .inv_a
        .export_deferred(&Recipient::Member(b.clone()), T0, &BTreeMap::new())
        .unwrap();
    assert_eq!(t.inv_a.announced, before, "nothing recorded yet");
    assert_eq!(announced.member.as_deref(), Some(b.as_str()));
    assert_eq!(announced.heads[&c1], t.inv_a.heads(&c1).unwrap());
    assert_eq!(
        announced.heads[TEAM_DOC_ID],
        t.inv_a.heads(TEAM_DOC_ID).unwrap()
    );
    t.inv_a.note_sent(&announced);
    let heads = t.inv_a.heads(&c1).unwrap();
    assert_eq!(t.inv_a.announced[&(b, c1.clone())], heads);
    // The bundle is an ordinary one.
    let report = t
        .inv_b
        .import(&bundle, &crate::bundle::Limits::default())
        .unwrap();
    assert!(report.quarantined.is_empty(), "{report:?}");
}

#[test]
fn news_for_names_what_a_member_lacks_and_nothing_it_may_not_see() {
    let (mut t, c1) = shared();
    let b = member(&t.inv_b);
    sync(&mut t.inv_a, &mut t.inv_b);
    assert!(t.inv_a.news_for(&b, &BTreeMap::new()).unwrap().is_empty());

    add_victim(&mut t.inv_a, &c1, "v2", "Aigul");
    // A case B was never granted is not news for B.
    let hidden = open_case(&mut t.inv_a, SECRET);
    assert_eq!(
        t.inv_a.news_for(&b, &BTreeMap::new()).unwrap(),
        std::slice::from_ref(&c1)
    );

    // Heads assumed sent (through a relay) stand in for what B is recorded
    // to hold, and a bundle built on them carries only what is newer.
    let sent: BTreeMap<_, _> = [(c1.clone(), t.inv_a.heads(&c1).unwrap())].into();
    assert!(t.inv_a.news_for(&b, &sent).unwrap().is_empty());
    let (_, a) = t
        .inv_a
        .export_deferred(&Recipient::Member(b.clone()), T0, &sent)
        .unwrap();
    assert!(!a.heads.contains_key(&hidden));
}
