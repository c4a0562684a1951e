//! A test per fixed bug, named after it.

use caravan_core::inputs::{MAX_LIST, MAX_LONG_TEXT, MAX_TEXT};
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
        ("Stateless", Ok(Some("XXA"))),
        ("xxa", Ok(Some("XXA"))),
        ("  ", Ok(None)),
        ("Kazakhstan", Err("core.invalid")),
        ("k1", Err("core.invalid")),
        ("қз", Err("core.invalid")),
    ];
    for (i, (typed, expect)) in rows.iter().enumerate() {
        let mut p = PersonInput::new(PersonKind::Victim, &format!("V-{i}"), "Name");
        p.citizenships = vec![(*typed).to_string()];
        match (inv.add_person(&case, p), expect) {
            (Ok(id), Ok(stored)) => {
                let view = inv.show_case(&case).unwrap();
                let person = view.people.iter().find(|x| x.id == id).unwrap();
                assert_eq!(
                    person.citizenships.first().map(String::as_str),
                    *stored,
                    "{typed:?}"
                );
            }
            (Err(e), Err(code)) => assert_eq!(e.code(), *code, "{typed:?}"),
            (got, _) => panic!("{typed:?}: {:?}", got.map_err(|e| e.code())),
        }
    }
}

/// Input a window or a script could send, refused before anything is
/// signed: a change of that size every peer refuses (`sync.change_too_large`)
/// and holds back every later change of the case, while the sender sees
/// its edit. Nothing is written: no change, no audit entry.
#[test]
fn input_too_large_to_travel_is_refused_and_nothing_is_written() {
    use caravan_core::model::EventKind;
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-8", "Farm");
    let person = inv
        .add_person(&case, PersonInput::new(PersonKind::Victim, "V-1", "Name"))
        .unwrap();
    let before = inv.show_case(&case).unwrap();
    let logged = inv.audit_log(None).unwrap().len();
    let long = "x".repeat(MAX_LONG_TEXT + 1);
    let event = |person_ids: Vec<RecordId>| EventInput {
        kind: EventKind::Recruitment,
        date: None,
        place: "Jizzakh".into(),
        country: None,
        description: String::new(),
        person_ids,
        latitude: None,
        longitude: None,
        crosses_border: None,
        border_point: None,
        transport: None,
    };
    let refusals = [
        inv.add_note(&case, &long).map(drop),
        inv.set_text(&case, "narrative", &long),
        inv.set_field(&case, "header/title", &long),
        inv.add_event(
            &case,
            event(
                (0..=MAX_LIST)
                    .map(|i| RecordId::from(format!("p{i}")))
                    .collect(),
            ),
        )
        .map(drop),
        {
            let mut p = PersonInput::new(PersonKind::Witness, "W-1", "Name");
            p.languages = (0..=MAX_LIST).map(|i| i.to_string()).collect();
            inv.add_person(&case, p).map(drop)
        },
        {
            let mut p = PersonInput::new(PersonKind::Witness, "W-1", "Name");
            p.relation = Some("y".repeat(MAX_TEXT + 1));
            inv.add_person(&case, p).map(drop)
        },
    ];
    for (i, r) in refusals.into_iter().enumerate() {
        assert_eq!(r.map_err(|e| e.code()), Err("core.invalid"), "input {i}");
    }
    // The same person named again and again is one reference.
    let id = inv
        .add_event(&case, event(vec![person.clone(); MAX_LIST]))
        .unwrap();
    let after = inv.show_case(&case).unwrap();
    assert_eq!(after.timeline.len(), 1, "{id}");
    assert_eq!(after.people, before.people);
    assert_eq!(after.notes, before.notes);
    assert_eq!(after.title, before.title);
    assert_eq!(after.narrative, before.narrative);
    // The refusals wrote nothing: the log holds only the event and the
    // look at the case since.
    let actions: Vec<String> = inv.audit_log(None).unwrap()[logged..]
        .iter()
        .map(|e| e.action.clone())
        .collect();
    assert_eq!(actions, ["timeline.add", "case.open"]);
}

/// Interviews, referrals, risks and timeline events named any string as
/// their person, even a record of another case; the core now takes only a
/// person of the same case.
#[test]
fn a_person_reference_must_be_a_person_of_the_case() {
    use caravan_core::model::{ReferralDirection, RiskSubject};
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-9", "Farm");
    let other = open_case(&mut inv, "KZ-10", "Mine");
    let elsewhere = inv
        .add_person(&other, PersonInput::new(PersonKind::Victim, "V-9", "Name"))
        .unwrap();
    let here = inv
        .add_person(&case, PersonInput::new(PersonKind::Victim, "V-1", "Name"))
        .unwrap();
    let interview = |person_id: RecordId| InterviewInput {
        person_id,
        planned_for: None,
        venue: None,
        interpreter: None,
        interpreter_vetted: false,
        consent_given: true,
        child_track: false,
        plan: String::new(),
    };
    let referral = |person_id: RecordId| ReferralInput {
        person_id,
        direction: ReferralDirection::Outgoing,
        organisation: "Shelter".into(),
        date: None,
        reason: String::new(),
        organisation_type: None,
        htcds_reason: None,
        status: None,
        consent_given: false,
        consent_date: None,
    };
    let risk = |person_id: RecordId| RiskInput {
        subject: RiskSubject::Victim,
        person_id: Some(person_id),
        threat: "contact".into(),
        threat_source: None,
        severity: 3,
        likelihood: 3,
        mitigation: String::new(),
        review_on: None,
    };
    for bad in [elsewhere.clone(), RecordId::from("made-up")] {
        let codes = [
            inv.add_interview(&case, interview(bad.clone())).map(drop),
            inv.add_referral(&case, referral(bad.clone())).map(drop),
            inv.add_risk(&case, risk(bad.clone())).map(drop),
        ]
        .map(|r| r.map_err(|e| e.code()));
        assert_eq!(codes, [Err("core.not_found"); 3], "{bad}");
    }
    inv.add_interview(&case, interview(here.clone())).unwrap();
    inv.add_referral(&case, referral(here.clone())).unwrap();
    inv.add_risk(&case, risk(here)).unwrap();
}

/// A seizure time is a fact of the chain of custody; one in the future was
/// stored as sent.
#[test]
fn a_seizure_in_the_future_is_refused() {
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-11", "Farm");
    let mut e = seized(caravan_core::model::EvidenceKind::Phone, "AL-1");
    e.seized_at = Some(i64::MAX);
    assert_eq!(
        inv.add_evidence(&case, e.clone()).map_err(|e| e.code()),
        Err("core.invalid")
    );
    e.seized_at = Some(0);
    inv.add_evidence(&case, e).unwrap();
}

/// An empty member reference matched every member (every id starts with
/// the empty string): with one member, it named the admin.
#[test]
fn an_empty_member_reference_matches_no_one() {
    let dirs = tempfile::tempdir().unwrap();
    let admin = founder(dirs.path(), "Unit");
    for who in ["", "  "] {
        assert_eq!(
            admin.find_member(who).map_err(|e| e.code()),
            Err("core.not_found")
        );
    }
}

/// An admin could take the admin role from the team's last admin, even
/// from themselves, leaving a team no one could manage again.
#[test]
fn the_last_admin_keeps_the_role() {
    use caravan_core::model::Role;
    let dirs = tempfile::tempdir().unwrap();
    let mut admin = founder(&dirs.path().join("admin"), "Unit");
    let (me, _) = admin.me().unwrap();
    assert_eq!(
        admin.set_role(&me, Role::Supervisor).map_err(|e| e.code()),
        Err("core.invalid")
    );
    let second = enrol(&mut admin, &dirs.path().join("second"), "Dana", Role::Admin);
    drop(second);
    admin.set_role(&me, Role::Supervisor).unwrap();
    assert_eq!(admin.me().unwrap().1, Role::Supervisor);
}

/// The case-access screen offered Grant and Withdraw for everyone and
/// showed no state: who sees a case, and why, now comes from the team.
#[test]
fn case_access_shows_who_sees_a_case_and_why() {
    use caravan_core::model::Role;
    use caravan_core::team::AccessReason;
    let dirs = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dirs.path());
    let pro = enrol(
        &mut admin,
        &dirs.path().join("pro"),
        "Marat",
        Role::Prosecutor,
    );
    let case = open_case(&mut inv, "KZ-12", "Farm");
    swap(&mut inv, &mut admin);
    let reasons = |admin: &mut Workspace| -> Vec<(String, AccessReason)> {
        admin
            .case_access(&case)
            .unwrap()
            .into_iter()
            .map(|r| (r.member.name, r.reason))
            .collect::<Vec<_>>()
    };
    let mut before = reasons(&mut admin);
    before.sort_by(|a, b| a.0.cmp(&b.0));
    let marat = before.iter().find(|(n, _)| n == "Marat").unwrap().1;
    assert_eq!(marat, AccessReason::None);
    assert!(before.iter().any(|(_, r)| *r == AccessReason::Opened));
    assert!(before.iter().any(|(_, r)| *r == AccessReason::Role));
    let (marat_id, _) = pro.me().unwrap();
    admin.grant(&case, &marat_id, true).unwrap();
    let after = reasons(&mut admin);
    assert!(after.contains(&("Marat".to_string(), AccessReason::Granted)));
    // Only who decides access may read it.
    assert_eq!(
        inv.case_access(&case).map(|_| ()).map_err(|e| e.code()),
        Err("core.denied")
    );
    pro.lock();
}

/// The add-person form offered every field whatever the kind, and the core
/// kept only the kind's own: an age or a type of exploitation typed for a
/// witness was dropped without a word. Details a kind does not keep are now
/// refused, naming the field, and nothing is stored.
#[test]
fn details_a_persons_kind_does_not_keep_are_refused_not_dropped() {
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-8", "t");
    type Fill = fn(&mut PersonInput);
    let rows: &[(PersonKind, Fill, Option<&str>)] = &[
        (
            PersonKind::Witness,
            |p| p.age_at_trafficking = Some(17),
            Some("age_at_trafficking"),
        ),
        (
            PersonKind::Witness,
            |p| p.exploitation = vec![model::Exploitation::ForcedLabour],
            Some("exploitation"),
        ),
        (
            PersonKind::Witness,
            |p| p.citizenships = vec!["KZ".into()],
            Some("citizenships"),
        ),
        (
            PersonKind::Suspect,
            |p| p.sex = model::Gender::Masculine,
            Some("sex"),
        ),
        (
            PersonKind::Victim,
            |p| p.roles = vec![model::PerpetratorRole::RecruiterOrIntermediary],
            Some("roles"),
        ),
        (
            PersonKind::Victim,
            |p| p.relation = Some("neighbour".into()),
            Some("relation"),
        ),
        (
            PersonKind::Suspect,
            |p| p.citizenships = vec!["KZ".into()],
            None,
        ),
        (
            PersonKind::Witness,
            |p| p.relation = Some("neighbour".into()),
            None,
        ),
        (
            PersonKind::Victim,
            |p| p.age_at_trafficking = Some(17),
            None,
        ),
    ];
    for (i, (kind, fill, refused)) in rows.iter().enumerate() {
        let mut p = PersonInput::new(*kind, &format!("P-{i}"), "Name");
        fill(&mut p);
        let before = inv.show_case(&case).unwrap().people.len();
        match (inv.add_person(&case, p), refused) {
            (Ok(_), None) => assert_eq!(inv.show_case(&case).unwrap().people.len(), before + 1),
            (Err(CoreError::Invalid { field, .. }), Some(expected)) => {
                assert_eq!(field, *expected, "row {i}");
                assert_eq!(
                    inv.show_case(&case).unwrap().people.len(),
                    before,
                    "row {i}"
                );
            }
            (got, _) => panic!("row {i}: {:?}", got.map_err(|e| e.code())),
        }
    }
}

/// A prosecutor could sign off a stage that was not started and 0% done:
/// the sign-off was recorded and counted for a gate nobody had worked on.
/// The model now refuses it with a code, and the view says why.
#[test]
fn a_stage_sign_off_on_an_unstarted_stage_is_refused() {
    use caravan_core::model::Stage;
    use caravan_core::model::signoffs::StageSignOffBlock;
    let dirs = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dirs.path());
    let mut pro = enrol(
        &mut admin,
        &dirs.path().join("pro"),
        "Marat",
        caravan_core::model::Role::Prosecutor,
    );
    let case = open_case(&mut inv, "KZ-13", "Bakery");
    swap(&mut inv, &mut admin);
    let (marat, _) = pro.me().unwrap();
    admin.grant(&case, &marat, true).unwrap();
    swap(&mut admin, &mut pro);
    let err = pro
        .review_signoff(&case, Stage::ProsecutionReview, "Charges hold")
        .unwrap_err();
    assert_eq!(err.code(), "review.stage_not_started");
    let view = pro.show_case(&case).unwrap();
    assert!(view.review.is_empty(), "nothing was recorded");
    let stage = view
        .signoffs
        .iter()
        .find(|s| s.stage == Stage::ProsecutionReview)
        .unwrap();
    assert_eq!(stage.blocked, Some(StageSignOffBlock::NotStarted));
    // Once the stage is open, the same sign-off is recorded.
    inv.open_stage(&case, Stage::ProsecutionReview).unwrap();
    swap(&mut inv, &mut admin);
    swap(&mut admin, &mut pro);
    pro.review_signoff(&case, Stage::ProsecutionReview, "Charges hold")
        .unwrap();
}

/// A new evidence item's card read "Current holder —": the holder was the
/// last hand-over's recipient, and a new item has none. It is who seized
/// the item, or else the member who recorded it.
#[test]
fn a_new_evidence_item_shows_current_holder_not_a_dash() {
    use caravan_core::model::EvidenceKind;
    let dirs = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dirs.path());
    let case = open_case(&mut inv, "KZ-13", "Farm");
    let by_omarov = inv
        .add_evidence(
            &case,
            EvidenceInput {
                seized_by: Some("  Det. Omarov ".into()),
                ..seized(EvidenceKind::Phone, "S-1")
            },
        )
        .unwrap();
    let unsaid = inv
        .add_evidence(
            &case,
            EvidenceInput {
                seized_by: Some("   ".into()),
                ..seized(EvidenceKind::Document, "S-2")
            },
        )
        .unwrap();
    let shown = inv.show_case(&case).unwrap();
    let holder = |id: &RecordId| {
        let e = shown.evidence.iter().find(|e| &e.id == id).unwrap();
        (e.seized_by.clone(), e.holder.clone())
    };
    assert_eq!(
        holder(&by_omarov),
        (Some("Det. Omarov".into()), "Det. Omarov".into())
    );
    assert_eq!(holder(&unsaid), (None, "Aibek".into()));
}
