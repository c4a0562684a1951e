//! The case file's later records through the workspace: links to other
//! cases, international requests.

use caravan_core::model::{CaseLinkKind, LegalBasis, NoticeColour, RequestKind, RequestStatus};
use caravan_core::*;

use crate::util::*;

fn link(to: &str, relation: CaseLinkKind) -> CaseLinkInput {
    CaseLinkInput {
        other_case: to.into(),
        relation,
        note: Some("  the driver seen in both  ".into()),
    }
}

#[test]
fn a_link_names_the_other_case_by_the_reference_it_had_when_linked() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let a = open_case(&mut inv, "2026-014", "Kaskelen greenhouses");
    let b = open_case(&mut inv, "2026-021", "Shymkent sewing workshop");
    // An id prefix, as the case list shows it, is enough.
    let id = inv
        .add_case_link(&a, link(&b[..8], CaseLinkKind::SameSuspect))
        .unwrap();
    inv.set_field(&b, "header/reference", "2026-021/A").unwrap();

    let view = inv.show_case(&a).unwrap();
    assert_eq!(view.links.len(), 1);
    let l = &view.links[0];
    assert_eq!(l.id, id);
    assert_eq!(l.case_id, b);
    assert_eq!(l.reference, "2026-021");
    assert_eq!(l.relation, CaseLinkKind::SameSuspect);
    assert_eq!(l.note.as_deref(), Some("the driver seen in both"));
    assert!(l.openable, "this device holds the other case");
    // The link goes one way: the other case is not changed.
    assert!(inv.show_case(&b).unwrap().links.is_empty());

    // The relation and the note are corrected like any field.
    inv.set_field(&a, &format!("links/{id}/relation"), "same_network")
        .unwrap();
    let view = inv.show_case(&a).unwrap();
    assert_eq!(view.links[0].relation, CaseLinkKind::SameNetwork);
}

#[test]
fn a_case_is_not_linked_to_itself_twice_to_one_case_or_to_a_case_it_cannot_see() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let a = open_case(&mut inv, "2026-014", "Kaskelen greenhouses");
    let b = open_case(&mut inv, "2026-021", "Shymkent sewing workshop");
    let refused = [
        (a.to_string(), "core.invalid"),
        ("0123456789abcdef0123".to_string(), "core.not_found"),
    ];
    for (to, code) in refused {
        let err = inv
            .add_case_link(&a, link(&to, CaseLinkKind::Other))
            .unwrap_err();
        assert_eq!(err.code(), code, "{to}");
    }
    inv.add_case_link(&a, link(&b, CaseLinkKind::SameRoute))
        .unwrap();
    let err = inv
        .add_case_link(&a, link(&b, CaseLinkKind::SameVictim))
        .unwrap_err();
    assert_eq!(err.code(), "core.invalid");
    assert_eq!(inv.show_case(&a).unwrap().links.len(), 1);
}

fn mla(deadline: &str, status: RequestStatus) -> InternationalRequestInput {
    InternationalRequestInput {
        kind: RequestKind::MutualLegalAssistance,
        notice: None,
        requested_state: " uz ".into(),
        legal_basis: LegalBasis::Chisinau2002,
        central_authority: Some("Prosecutor General's Office".into()),
        subject: "Bank records of the recruiter".into(),
        sent_on: Some("2026-02-01".parse().unwrap()),
        deadline: Some(deadline.parse().unwrap()),
        status,
        response_on: None,
    }
}

fn all_cases() -> CaseFilter {
    CaseFilter {
        query: None,
        stage: None,
        status: None,
        assignee: None,
        jurisdiction: None,
        overdue_only: false,
    }
}

#[test]
fn an_open_request_past_its_deadline_is_overdue_in_the_case_the_list_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let a = open_case(&mut inv, "2026-014", "Kaskelen greenhouses");
    let late = inv
        .add_international_request(&a, mla("2026-01-01", RequestStatus::Sent))
        .unwrap();
    // Answered, or not due yet: not overdue.
    inv.add_international_request(&a, mla("2026-01-01", RequestStatus::Executed))
        .unwrap();
    inv.add_international_request(&a, mla("2099-01-01", RequestStatus::Drafted))
        .unwrap();
    let b = open_case(&mut inv, "2026-021", "Shymkent sewing workshop");

    let view = inv.show_case(&a).unwrap();
    let r = view
        .international_requests
        .iter()
        .find(|r| r.id == late)
        .unwrap();
    assert_eq!(r.requested_state, "UZ");
    assert!(r.open && r.overdue);
    let overdue: Vec<_> = view
        .international_requests
        .iter()
        .filter(|r| r.overdue)
        .collect();
    assert_eq!(overdue.len(), 1);

    let list = inv.list_cases(&all_cases()).unwrap();
    let count = |id: &CaseId| {
        list.cases
            .iter()
            .find(|c| &c.id == id)
            .unwrap()
            .overdue_international
    };
    assert_eq!((count(&a), count(&b)), (1, 0));
    let only = inv
        .list_cases(&CaseFilter {
            overdue_only: true,
            ..all_cases()
        })
        .unwrap();
    assert_eq!(only.cases.len(), 1);
    assert_eq!(only.cases[0].id, a);

    // Executed: the alert goes.
    inv.set_field(
        &a,
        &format!("international_requests/{late}/status"),
        "executed",
    )
    .unwrap();
    let list = inv.list_cases(&all_cases()).unwrap();
    assert!(list.cases.iter().all(|c| c.overdue_international == 0));
    assert!(
        !inv.show_case(&a)
            .unwrap()
            .international_requests
            .iter()
            .any(|r| r.overdue)
    );
}

#[test]
fn a_request_without_a_state_or_with_a_notice_colour_off_a_notice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let a = open_case(&mut inv, "2026-014", "Kaskelen greenhouses");
    let base = mla("2027-01-01", RequestStatus::Drafted);
    let refused = [
        InternationalRequestInput {
            requested_state: "Uzbekistan".into(),
            ..base.clone()
        },
        InternationalRequestInput {
            requested_state: " ".into(),
            ..base.clone()
        },
        InternationalRequestInput {
            subject: "  ".into(),
            ..base.clone()
        },
        InternationalRequestInput {
            notice: Some(NoticeColour::Red),
            ..base.clone()
        },
    ];
    for input in refused {
        let err = inv.add_international_request(&a, input).unwrap_err();
        assert_eq!(err.code(), "core.invalid");
    }
    let notice = InternationalRequestInput {
        kind: RequestKind::InterpolNotice,
        notice: Some(NoticeColour::Yellow),
        ..base
    };
    inv.add_international_request(&a, notice).unwrap();
    assert_eq!(inv.show_case(&a).unwrap().international_requests.len(), 1);
}
