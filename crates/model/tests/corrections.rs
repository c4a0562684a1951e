//! Correcting a record after it was added (`Edit::Set`, `SetList`,
//! `SetFields`): a correction is held to the checks the record passed when
//! it was added, and the fields an edit dialog saves together are checked
//! together, as one change.

use caravan_model::*;

use crate::common::*;

fn list(path: &str, values: Vec<Scalar>) -> Edit {
    Edit::SetList {
        path: path.parse().unwrap(),
        values,
    }
}

fn s(v: &str) -> Scalar {
    Scalar::Str(v.into())
}

/// Regression: each of these corrections, one field at a time, left a
/// record that adding it would have refused.
#[test]
fn a_correction_cannot_make_a_record_what_adding_it_refuses() {
    // Every edit but the last of a row is valid; the last must be refused.
    let rows: Vec<(&str, Vec<Edit>, &str)> = vec![
        (
            "a measure that ends before it starts",
            vec![set("measures/pm1/until", s("2026-02-01"))],
            "until",
        ),
        (
            "a measure lifted before it starts",
            vec![set("measures/pm1/lifted_on", s("2026-02-01"))],
            "lifted_on",
        ),
        (
            "an acquittal that keeps its sentence",
            vec![set(
                "verdicts/vd1/outcome",
                VerdictOutcome::Acquitted.into(),
            )],
            "sentence",
        ),
        (
            "an indictment sent to no court",
            vec![set(
                "indictments/in1/status",
                IndictmentStatus::SentToCourt.into(),
            )],
            "court",
        ),
        (
            "an indictment without defendants",
            vec![list("indictments/in1/defendants", vec![])],
            "defendants",
        ),
        (
            "a measure granted and refused at once",
            vec![list(
                "hearings/he1/measures_refused",
                vec![ProtectiveMeasure::VideoLink.into()],
            )],
            "measures",
        ),
        (
            "more paid than awarded",
            vec![
                set("compensation/co1/awarded", Scalar::Uint(10)),
                set("compensation/co1/paid", Scalar::Uint(11)),
            ],
            "paid",
        ),
        (
            "a charge under no article",
            vec![set("charges/ch1/article/article", s(" "))],
            "article",
        ),
        (
            "a verdict for no one",
            vec![set("verdicts/vd1/person_id", s(""))],
            "person",
        ),
        (
            "a victim without a pseudonym",
            vec![set("victims/v1/pseudonym", s(" "))],
            "pseudonym",
        ),
    ];
    for (why, mut edits, field) in rows {
        let mut doc = with_court_records();
        add_victim(&mut doc, "v1");
        let last = edits.pop().unwrap();
        for e in edits {
            doc.apply(e, &investigator(), catalog())
                .unwrap_or_else(|e| panic!("{why}: {e}"));
        }
        let before = doc.case().unwrap();
        let err = doc.apply(last, &investigator(), catalog()).expect_err(why);
        assert!(
            format!("{err}").contains(field) || format!("{err:?}").contains(field),
            "{why}: {err}"
        );
        assert_eq!(doc.case().unwrap(), before, "{why}: nothing is written");
    }
}

/// What must change together is saved together: an acquittal with its
/// sentence cleared, one change; a refused whole writes none of its fields.
#[test]
fn fields_saved_together_are_checked_as_they_leave_the_record() {
    let mut doc = with_court_records();
    let acquittal = Edit::SetFields {
        edits: vec![
            set("verdicts/vd1/outcome", VerdictOutcome::Acquitted.into()),
            set("verdicts/vd1/sentence", Scalar::Null),
            set("verdicts/vd1/custodial_months", Scalar::Null),
        ],
    };
    let heads = doc.heads();
    doc.apply(acquittal, &investigator(), catalog()).unwrap();
    assert_eq!(
        doc.automerge_mut().get_changes(&heads).len(),
        1,
        "one change"
    );
    let v = &doc.case().unwrap().verdicts["vd1"];
    assert_eq!(v.outcome, VerdictOutcome::Acquitted);
    assert_eq!((v.sentence.as_deref(), v.custodial_months), (None, None));

    // A measure moved later: its start and end together.
    let moved = Edit::SetFields {
        edits: vec![
            set("measures/pm1/from", s("2026-07-01")),
            set("measures/pm1/until", s("2026-09-01")),
        ],
    };
    doc.apply(moved, &investigator(), catalog()).unwrap();
    assert_eq!(
        doc.case().unwrap().measures["pm1"].until,
        Some("2026-09-01".parse().unwrap())
    );

    // Refused as a whole: the valid first field is not written either.
    let before = doc.case().unwrap();
    let half = Edit::SetFields {
        edits: vec![
            set("compensation/co1/awarded", Scalar::Uint(10)),
            set("compensation/co1/paid", Scalar::Uint(11)),
        ],
    };
    assert!(doc.apply(half, &investigator(), catalog()).is_err());
    assert_eq!(doc.case().unwrap(), before);

    // The fields of one record only, and only field edits.
    let rows = [
        Edit::SetFields {
            edits: vec![
                set("measures/pm1/until", s("2026-10-01")),
                set("verdicts/vd1/court", s("Another court")),
            ],
        },
        Edit::SetFields { edits: vec![] },
        Edit::SetFields {
            edits: vec![Edit::OpenStage {
                stage: Stage::Intake,
            }],
        },
    ];
    for edit in rows {
        assert!(
            doc.apply(edit.clone(), &investigator(), catalog()).is_err(),
            "{edit:?}"
        );
    }
    assert_eq!(doc.case().unwrap(), before);
    // The policy still judges every field: a prosecutor does not change a
    // measure by saving it with a hearing's field.
    let prosecutor = author(Role::Prosecutor, "pro-1");
    let edit = Edit::SetFields {
        edits: vec![set("measures/pm1/until", s("2026-10-01"))],
    };
    assert!(doc.apply(edit, &prosecutor, catalog()).is_err());
}

/// Regression: a dialog saving a field that already held its value (a
/// list unchanged, an unset field cleared) with others refused them all as
/// "no change".
#[test]
fn a_field_saved_with_its_own_value_does_not_stop_the_others() {
    let mut doc = with_court_records();
    let edit = Edit::SetFields {
        edits: vec![
            list(
                "hearings/he1/measures_granted",
                vec![ProtectiveMeasure::VideoLink.into()],
            ),
            set("hearings/he1/court", s("Almaty regional court")),
        ],
    };
    doc.apply(edit, &investigator(), catalog()).unwrap();
    assert_eq!(
        doc.case().unwrap().hearings["he1"].court,
        "Almaty regional court"
    );
    let unchanged = Edit::SetFields {
        edits: vec![list(
            "hearings/he1/measures_granted",
            vec![ProtectiveMeasure::VideoLink.into()],
        )],
    };
    assert!(matches!(
        doc.apply(unchanged, &investigator(), catalog()),
        Err(ModelError::NoChange)
    ));
}
