//! The HTCDS fields of several values (`caravan_model::later_lists`) from
//! another device: a prosecutor's change that writes a victim's or a
//! suspect's list, crafted and signed with their real device key, is
//! refused by the role policy; an investigator's is taken.

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc};

use super::fixture::*;

/// A's case c1 with victim v1, held by the admin and the prosecutor.
fn held_by_the_prosecutor() -> (Team, String) {
    let (mut t, c1) = opened_by_a("Secret Name");
    grant(&mut t.admin, &c1, &t.prosecutor);
    send(&mut t.admin, &mut t.prosecutor);
    (t, c1)
}

fn victim_list(d: &automerge::AutoCommit, key: &str) -> automerge::ObjId {
    let victims = d.get(ROOT, "victims").unwrap().unwrap().1;
    let v1 = d.get(&victims, "v1").unwrap().unwrap().1;
    d.get(&v1, key).unwrap().unwrap().1
}

#[test]
fn a_prosecutor_writing_a_victims_lists_is_refused() {
    type Write = fn(&mut automerge::AutoCommit);
    let writes: [(&str, Write); 3] = [
        ("adds a citizenship", |d| {
            let list = victim_list(d, "citizenships");
            d.insert(&list, 0, "KZ").unwrap();
        }),
        ("adds a method of recruitment", |d| {
            let list = victim_list(d, "recruitment_methods");
            d.insert(&list, 0, "AtWork").unwrap();
        }),
        ("makes the list of websites anew", |d| {
            let victims = d.get(ROOT, "victims").unwrap().unwrap().1;
            let v1 = d.get(&victims, "v1").unwrap().unwrap().1;
            let list = d
                .put_object(&v1, "recruitment_websites", ObjType::List)
                .unwrap();
            d.insert(&list, 0, "Telegram").unwrap();
        }),
    ];
    for (what, write) in writes {
        let (mut t, c1) = held_by_the_prosecutor();
        let heads = t.admin.heads(&c1).unwrap();
        let before = case_of(&t.admin, &c1);
        let forged = craft(&mut t.prosecutor, &c1, write, |_| {});
        plant(&mut t.prosecutor, &c1, &forged);
        let report = send(&mut t.prosecutor, &mut t.admin);
        assert_eq!(codes(&report), ["policy.denied"], "{what}");
        assert_eq!(t.admin.heads(&c1).unwrap(), heads, "{what}");
        assert_eq!(case_of(&t.admin, &c1), before, "{what}");
    }
}

#[test]
fn an_investigators_list_of_citizenships_is_taken() {
    let (mut t, c1) = held_by_the_prosecutor();
    let forged = craft(
        &mut t.inv_a,
        &c1,
        |d| {
            let list = victim_list(d, "citizenships");
            d.insert(&list, 0, "XXA").unwrap();
        },
        |_| {},
    );
    plant(&mut t.inv_a, &c1, &forged);
    let report = send(&mut t.inv_a, &mut t.admin);
    assert!(report.quarantined.is_empty(), "{:?}", codes(&report));
    assert_eq!(case_of(&t.admin, &c1).victims["v1"].citizenships, ["XXA"]);
}
