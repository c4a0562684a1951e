//! HTCDS fields of several values, through the core: citizenships typed
//! in any case and statelessness, several methods of recruitment.

use caravan_core::*;

use crate::util::*;

#[test]
fn several_citizenships_are_kept_and_statelessness_stands_alone() {
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = inv
        .create_case(NewCaseInput {
            reference: "KZ-8".into(),
            title: "t".into(),
            jurisdiction: "kz".into(),
        })
        .unwrap();
    let mut p = PersonInput::new(PersonKind::Victim, "V-1", "Name");
    p.citizenships = vec!["uz".into(), "KZ".into(), "uz".into()];
    p.recruitment_methods = vec![
        model::RecruitmentMethod::AtWork,
        model::RecruitmentMethod::ThroughOnlineSocialNetworks,
    ];
    let id = inv.add_person(&case, p).unwrap();
    let view = inv.show_case(&case).unwrap();
    let person = view.people.iter().find(|x| x.id == id).unwrap();
    assert_eq!(person.citizenships, ["UZ", "KZ"]);
    assert_eq!(person.recruitment_methods.len(), 2);
    let path = format!("victims/{id}/citizenships");
    let err = inv
        .set_list(&case, &path, vec!["stateless".into(), "kz".into()])
        .unwrap_err();
    assert_eq!(err.code(), "core.invalid");
    inv.set_list(&case, &path, vec!["Stateless".into()])
        .unwrap();
    let view = inv.show_case(&case).unwrap();
    let person = view.people.iter().find(|x| x.id == id).unwrap();
    assert_eq!(person.citizenships, ["XXA"]);
}
