//! International requests: stored as made, merged from two devices, open
//! or overdue by their status and deadline, and only what the schema and
//! the policy allow is accepted.

use automerge::ScalarValue as S;
use caravan_model::schema::{self, Written};
use caravan_model::*;

use crate::common::*;

fn request(
    kind: RequestKind,
    deadline: Option<&str>,
    status: RequestStatus,
) -> InternationalRequest {
    InternationalRequest {
        kind,
        notice: (kind == RequestKind::InterpolNotice).then_some(NoticeColour::Yellow),
        requested_state: "UZ".into(),
        legal_basis: LegalBasis::Chisinau2002,
        central_authority: Some("Prosecutor General's Office".into()),
        subject: "Bank records of the recruiter".into(),
        sent_on: Some("2026-02-01".parse().unwrap()),
        deadline: deadline.map(|d| d.parse().unwrap()),
        status,
        response_on: None,
        recorded_at: AT,
        recorded_by: "inv-1".into(),
    }
}

fn mla() -> Record {
    Record::InternationalRequest(request(
        RequestKind::MutualLegalAssistance,
        Some("2026-04-01"),
        RequestStatus::Sent,
    ))
}

fn seeded() -> CaseDoc {
    let mut doc = new_case();
    doc.apply(insert("ir1", mla()), &investigator(), catalog())
        .unwrap();
    doc
}

#[test]
fn every_kind_of_request_reads_back_as_it_was_made() {
    let mut doc = new_case();
    for (i, kind) in RequestKind::ALL.iter().enumerate() {
        let r = request(*kind, Some("2026-04-01"), RequestStatus::ALL[i]);
        let id = format!("ir{i}");
        doc.apply(
            insert(&id, Record::InternationalRequest(r.clone())),
            &investigator(),
            catalog(),
        )
        .unwrap();
        let loaded = CaseDoc::load(&doc.save(), actor(9)).unwrap();
        assert_eq!(loaded.case().unwrap().international_requests[&id], r);
    }
    // A supervisor keeps them too; a prosecutor reads them.
    let sup = author(Role::Supervisor, "sup-1");
    let Record::InternationalRequest(mut by_sup) = mla() else {
        unreachable!()
    };
    by_sup.recorded_by = "sup-1".into();
    doc.apply(
        insert("ir-s", Record::InternationalRequest(by_sup)),
        &sup,
        catalog(),
    )
    .unwrap();
    doc.apply(
        set(
            "international_requests/ir-s/status",
            RequestStatus::Executed.into(),
        ),
        &sup,
        catalog(),
    )
    .unwrap();
}

#[test]
fn requests_made_on_two_devices_are_both_kept_and_a_status_edit_merges() {
    let origin = seeded();
    let mut a = origin.clone().fork(actor(0xA));
    let mut b = origin.clone().fork(actor(0xB));
    a.apply(insert("ir-a", mla()), &investigator(), catalog())
        .unwrap();
    b.apply(insert("ir-b", mla()), &investigator(), catalog())
        .unwrap();
    b.apply(
        set(
            "international_requests/ir1/status",
            RequestStatus::Executed.into(),
        ),
        &investigator(),
        catalog(),
    )
    .unwrap();
    a.merge(&mut b).unwrap();
    let case = a.case().unwrap();
    assert_eq!(
        case.international_requests
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["ir-a", "ir-b", "ir1"]
    );
    assert_eq!(
        case.international_requests["ir1"].status,
        RequestStatus::Executed
    );
}

#[test]
fn an_open_request_past_its_deadline_is_overdue_and_an_answered_one_is_not() {
    let today: Date = "2026-04-02".parse().unwrap();
    let rows = [
        (Some("2026-04-01"), RequestStatus::Drafted, true),
        (Some("2026-04-01"), RequestStatus::Sent, true),
        (Some("2026-04-01"), RequestStatus::Acknowledged, true),
        (Some("2026-04-02"), RequestStatus::Sent, false),
        (None, RequestStatus::Sent, false),
        (Some("2026-04-01"), RequestStatus::Executed, false),
        (Some("2026-04-01"), RequestStatus::Refused, false),
        (Some("2026-04-01"), RequestStatus::Withdrawn, false),
    ];
    let mut doc = new_case();
    for (i, (deadline, status, _)) in rows.iter().enumerate() {
        let r = request(RequestKind::Extradition, *deadline, *status);
        doc.apply(
            insert(&format!("ir{i}"), Record::InternationalRequest(r)),
            &investigator(),
            catalog(),
        )
        .unwrap();
    }
    let case = doc.case().unwrap();
    let overdue: Vec<&str> = international::overdue_requests(&case, today)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let expected: Vec<String> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.2)
        .map(|(i, _)| format!("ir{i}"))
        .collect();
    assert_eq!(overdue, expected);
}

#[test]
fn a_request_outside_the_schema_or_the_policy_is_refused() {
    let notice_on_mla = Record::InternationalRequest(InternationalRequest {
        notice: Some(NoticeColour::Red),
        ..request(
            RequestKind::MutualLegalAssistance,
            None,
            RequestStatus::Drafted,
        )
    });
    let no_state = Record::InternationalRequest(InternationalRequest {
        requested_state: "Uzbekistan".into(),
        ..request(
            RequestKind::MutualLegalAssistance,
            None,
            RequestStatus::Drafted,
        )
    });
    let pro = author(Role::Prosecutor, "pro-1");
    assert_all_refused(
        vec![
            (
                "notice colour on an MLA request",
                insert("ir2", notice_on_mla),
                investigator(),
                "case.invalid",
            ),
            (
                "state not a code",
                insert("ir2", no_state),
                investigator(),
                "case.invalid",
            ),
            (
                "status outside the list",
                set("international_requests/ir1/status", "Lost".into()),
                investigator(),
                "case.invalid",
            ),
            (
                "basis outside the list",
                set("international_requests/ir1/legal_basis", "Treaty".into()),
                investigator(),
                "case.invalid",
            ),
            (
                "deadline not a day",
                set("international_requests/ir1/deadline", "2026-02-30".into()),
                investigator(),
                "case.invalid",
            ),
            (
                "deadline as a number",
                set("international_requests/ir1/deadline", Scalar::Int(20260401)),
                investigator(),
                "case.invalid",
            ),
            (
                "state in lower case",
                set("international_requests/ir1/requested_state", "uz".into()),
                investigator(),
                "case.invalid",
            ),
            (
                "prosecutor adds",
                insert("ir2", mla()),
                pro.clone(),
                "policy.denied",
            ),
            (
                "prosecutor edits",
                set(
                    "international_requests/ir1/status",
                    RequestStatus::Withdrawn.into(),
                ),
                pro,
                "policy.denied",
            ),
        ],
        seeded,
    );
    // What another device's change writes passes the same schema: a float
    // or a vocabulary value outside the list is never accepted.
    let case = schema::case();
    let at = |p: &str| -> DocPath { p.parse().unwrap() };
    let refused = [
        (
            "international_requests/ir1/status",
            Written::Put(S::Str("Lost".into())),
        ),
        (
            "international_requests/ir1/kind",
            Written::Put(S::Str("mla".into())),
        ),
        (
            "international_requests/ir1/deadline",
            Written::Put(S::F64(1.5)),
        ),
        (
            "international_requests/ir1/requested_state",
            Written::Put(S::Str("uz".into())),
        ),
        (
            "international_requests/ir1/extra",
            Written::Put(S::Str("x".into())),
        ),
    ];
    for (path, written) in refused {
        assert!(case.check(&at(path), &written).is_err(), "{path}");
    }
    assert!(
        case.check(
            &at("international_requests/ir1/status"),
            &Written::Put(S::Str("Executed".into()))
        )
        .is_ok()
    );
}
