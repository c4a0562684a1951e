//! A test per fixed bug, named after it.

use caravan_core::*;

use crate::util::*;

/// The CLI stored `--citizenship kz` as typed and the app upper-cased it:
/// the same country was two values. The core now stores one form.
#[test]
fn citizenship_typed_in_any_case_is_stored_alike_from_every_front_end() {
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = inv
        .create_case(NewCaseInput {
            reference: "KZ-7".into(),
            title: "t".into(),
            jurisdiction: "kz".into(),
        })
        .unwrap();
    let rows: &[(&str, Result<Option<&str>, &str>)] = &[
        ("kz", Ok(Some("KZ"))),
        (" Uz ", Ok(Some("UZ"))),
        ("  ", Ok(None)),
        ("Kazakhstan", Err("core.invalid")),
        ("k1", Err("core.invalid")),
        ("қз", Err("core.invalid")),
    ];
    for (i, (typed, expect)) in rows.iter().enumerate() {
        let mut p = PersonInput::new(PersonKind::Victim, &format!("V-{i}"), "Name");
        p.citizenship = Some((*typed).to_string());
        match (inv.add_person(&case, p), expect) {
            (Ok(id), Ok(stored)) => {
                let view = inv.show_case(&case).unwrap();
                let person = view.people.iter().find(|x| x.id == id).unwrap();
                assert_eq!(person.citizenship.as_deref(), *stored, "{typed:?}");
            }
            (Err(e), Err(code)) => assert_eq!(e.code(), *code, "{typed:?}"),
            (got, _) => panic!("{typed:?}: {:?}", got.map_err(|e| e.code())),
        }
    }
}
