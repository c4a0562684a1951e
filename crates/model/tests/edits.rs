//! Edits on one device: what they write, and what they refuse (with which
//! code), leaving the document unchanged.

use crate::common::*;
use caravan_model::*;

/// A case with one victim, one evidence item and the default checklists.
fn seeded() -> CaseDoc {
    let mut doc = new_case_with_victim();
    let inv = investigator();
    doc.apply(
        insert(
            "v1",
            Record::Victim(victim("Victim A", "Гульнара Ахмедова")),
        ),
        &inv,
        catalog(),
    )
    .unwrap();
    doc.apply(
        insert("e1", Record::Evidence(evidence("Phone #1"))),
        &inv,
        catalog(),
    )
    .unwrap();
    doc
}

/// `seeded`, with every required item of the intake checklist done, so that
/// the intake gate is ready and closing it is refused for the role alone.
fn seeded_with_intake_done() -> CaseDoc {
    let mut doc = seeded();
    let intake = catalog().latest("intake").unwrap();
    for item in intake.items.iter().filter(|i| i.required) {
        doc.apply(tick("intake", &item.id), &investigator(), catalog())
            .unwrap();
    }
    doc
}

/// A scanned receipt.
fn scan() -> AttachmentRef {
    AttachmentRef {
        sha256: "ab".repeat(32),
        name: "receipt.pdf".into(),
        media_type: "application/pdf".into(),
        size: 48_213,
    }
}

/// The file's fingerprint, name, type and size are one change: a later
/// attachment replaces all four.
#[test]
fn an_attachment_is_recorded_with_its_name_type_and_size_in_one_change() {
    let mut doc = seeded();
    let inv = investigator();
    for a in [
        scan(),
        AttachmentRef {
            sha256: "cd".repeat(32),
            name: "photo.jpg".into(),
            media_type: "image/jpeg".into(),
            size: 7,
        },
    ] {
        doc.apply(
            Edit::SetAttachment {
                evidence_id: "e1".into(),
                attachment: a.clone(),
            },
            &inv,
            catalog(),
        )
        .unwrap();
        let e = &doc.case().unwrap().evidence["e1"];
        assert_eq!(
            (
                e.attachment_sha256.as_deref(),
                e.attachment_name.as_deref(),
                e.attachment_type.as_deref(),
                e.attachment_size
            ),
            (
                Some(a.sha256.as_str()),
                Some(a.name.as_str()),
                Some(a.media_type.as_str()),
                Some(a.size)
            )
        );
    }
}

#[test]
fn refused_edits_have_codes_and_change_nothing() {
    let prosecutor = author(Role::Prosecutor, "pro-1");
    let supervisor = author(Role::Supervisor, "sup-1");
    let inv = investigator();
    let set = |path: &str, value: Scalar| Edit::Set {
        path: path.parse().unwrap(),
        value,
    };
    #[rustfmt::skip]
    let rows: Vec<(&str, Edit, &Author, &str)> = vec![
        ("prosecutor adds evidence", insert("e2", Record::Evidence(evidence("x"))), &prosecutor, "policy.denied"),
        ("prosecutor edits a victim's name", set("victims/v1/identity/full_name", "X".into()), &prosecutor, "policy.denied"),
        ("prosecutor ticks an item", tick(&key_for("initial-actions", P1), "immediate-safety"), &prosecutor, "policy.denied"),
        ("supervisor edits the record", set("victims/v1/pseudonym", "Y".into()), &supervisor, "policy.denied"),
        ("investigator closes a gate", Edit::CloseStage { stage: Stage::Intake }, &inv, "policy.denied"),
        ("investigator assigns", Edit::AssignInvestigator { member: "inv-2".into(), assigned: true }, &inv, "policy.denied"),
        ("duplicate victim id", insert("v1", Record::Victim(victim("B", "B"))), &inv, "case.duplicate_id"),
        ("empty pseudonym", insert("v2", Record::Victim(victim(" ", "B"))), &inv, "case.invalid"),
        ("unknown field", set("victims/v1/shoe_size", Scalar::Uint(42)), &inv, "case.not_found"),
        ("unknown record", set("victims/v9/pseudonym", "Z".into()), &inv, "case.not_found"),
        ("wrong type", set("victims/v1/age_at_trafficking", "nineteen".into()), &inv, "case.invalid"),
        ("bad enum value", set("victims/v1/status", "Maybe".into()), &inv, "case.invalid"),
        ("whole record via set", set("victims/v1/identity", "X".into()), &inv, "case.invalid"),
        ("bad jurisdiction", set("header/jurisdiction", "Kazakhstan".into()), &inv, "case.invalid"),
        ("N/A without reason", not_applicable(&key_for("initial-actions", P1), "immediate-safety", None), &inv, "checklist.reason_required"),
        ("N/A with blank reason", not_applicable(&key_for("initial-actions", P1), "immediate-safety", Some("  ")), &inv, "checklist.reason_required"),
        ("unknown item", tick(&key_for("initial-actions", P1), "no-such-item"), &inv, "case.not_found"),
        ("unknown checklist", tick("no-such-list", "x"), &inv, "case.not_found"),
        ("attachment of missing evidence", Edit::SetAttachment { evidence_id: "e9".into(), attachment: scan() }, &inv, "case.not_found"),
        ("prosecutor attaches a file", Edit::SetAttachment { evidence_id: "e1".into(), attachment: scan() }, &prosecutor, "policy.denied"),
        ("attachment without a fingerprint", Edit::SetAttachment { evidence_id: "e1".into(), attachment: AttachmentRef { sha256: String::new(), ..scan() } }, &inv, "case.invalid"),
        ("custody on missing evidence", Edit::AppendCustody { evidence_id: "e9".into(), entry: custody("c1", "lab") }, &inv, "case.not_found"),
        ("evidence with pre-filled custody", insert("e3", Record::Evidence(Evidence { custody: vec![custody("c0", "x")], ..evidence("x") })), &inv, "case.invalid"),
        ("risk rated 7", insert("r1", Record::Risk(RiskAssessment { subject: RiskSubject::Victim, person_id: None, threat: "t".into(), threat_source: None, severity: 7, likelihood: 1, mitigation: "m".into(), review_on: None, recorded_at: 0, recorded_by: "inv-1".into() })), &inv, "case.invalid"),
        ("text edit of a scalar", Edit::SetText { path: "header/title".parse().unwrap(), text: "x".into() }, &inv, "case.not_found"),
        ("gate not ready", Edit::CloseStage { stage: Stage::InitialResponse }, &supervisor, "case.invalid"),
        ("sign off an open item", Edit::SignOffItem { template_id: "prosecution-review".into(), item_id: "act-proven".into() }, &prosecutor, "case.invalid"),
        ("start a checklist twice", Edit::StartChecklist { template_id: "intake".into(), version: 1 }, &inv, "case.duplicate_id"),
        ("start an unknown version", Edit::StartChecklist { template_id: "identification-sexual".into(), version: 9 }, &inv, "case.not_found"),
    ];
    assert_all_refused(rows, seeded_with_intake_done);
}

#[test]
fn accepted_edits_land_where_expected() {
    let mut doc = seeded();
    let inv = investigator();
    let cat = catalog();
    let edits = [
        Edit::Set {
            path: "victims/v1/status".parse().unwrap(),
            value: TraffickingStatus::ActualVictimOfTrafficking.into(),
        },
        Edit::Set {
            path: "victims/v1/identity/contact".parse().unwrap(),
            value: "+7 700 000 0000".into(),
        },
        Edit::SetText {
            path: "narrative".parse().unwrap(),
            text: "Recruited through a job advert.".into(),
        },
        Edit::AppendCustody {
            evidence_id: "e1".into(),
            entry: custody("c1", "forensic lab"),
        },
        Edit::AppendCustody {
            evidence_id: "e1".into(),
            entry: custody("c2", "evidence room"),
        },
        tick(&key_for("initial-actions", P1), "immediate-safety"),
        not_applicable(
            &key_for("initial-actions", P1),
            "age-check",
            Some("adult with passport"),
        ),
        Edit::StartPersonChecklist {
            template_id: "identification-labour".into(),
            version: 1,
            person_id: "v1".into(),
        },
        Edit::AddArticle(
            caravan_model::articles::for_jurisdiction("KZ")
                .next()
                .unwrap()
                .to_article(),
        ),
    ];
    for (i, edit) in edits.into_iter().enumerate() {
        doc.apply(edit, &inv, cat)
            .unwrap_or_else(|e| panic!("edit {i}: {e}"));
    }

    let case = doc.case().unwrap();
    let v = &case.victims["v1"];
    assert_eq!(v.status, TraffickingStatus::ActualVictimOfTrafficking);
    assert_eq!(v.identity.contact.as_deref(), Some("+7 700 000 0000"));
    assert_eq!(case.narrative.as_str(), "Recruited through a job advert.");
    let chain: Vec<&str> = case.evidence["e1"]
        .custody
        .iter()
        .map(|c| c.to.as_str())
        .collect();
    assert_eq!(chain, ["forensic lab", "evidence room"]);
    let ia = &case.checklists[&key_for("initial-actions", P1)];
    assert_eq!(ia.items["immediate-safety"].status, ItemStatus::Done);
    assert_eq!(ia.items["immediate-safety"].by, "inv-1");
    assert_eq!(
        ia.items["age-check"].reason.as_deref(),
        Some("adult with passport")
    );
    assert_eq!(
        case.checklists["identification-labour~v1"].template_id,
        "identification-labour"
    );
    assert_eq!(
        case.header.qualification.keys().collect::<Vec<_>>(),
        ["KZ-2014-128"]
    );
    assert!(doc.conflicts().is_empty());
    let later = Author {
        at: inv.at + 60_000,
        ..inv.clone()
    };
    doc.apply(
        Edit::Set {
            path: "header/reference".parse().unwrap(),
            value: "KZ-2026-0043".into(),
        },
        &later,
        cat,
    )
    .unwrap();
    assert_eq!(doc.updated_at(), Some(later.at));
    let case = doc.case().unwrap();

    // The document survives a save and load byte for byte.
    let bytes = doc.save();
    let loaded = CaseDoc::load(&bytes, actor(9)).unwrap();
    assert_eq!(loaded.case().unwrap(), case);
}

#[test]
fn garbage_is_not_a_case() {
    let err = CaseDoc::load(b"not an automerge document", actor(1)).unwrap_err();
    assert_eq!(err.code(), "case.document");
    // A valid Automerge document that is not a case.
    let mut other = automerge::AutoCommit::new();
    use automerge::transaction::Transactable;
    other.put(automerge::ROOT, "hello", "world").unwrap();
    let err = CaseDoc::load(&other.save(), actor(1)).unwrap_err();
    assert_eq!(err.code(), "case.document");
}

#[test]
fn change_history_carries_no_case_values() {
    let mut doc = seeded();
    let changes = doc.automerge_mut().get_changes(&[]);
    for c in changes {
        let msg = c.message().unwrap_or_default().to_string();
        assert!(
            !msg.contains("Гульнара") && !msg.contains("Phone"),
            "message leaks a value: {msg}"
        );
    }
}
