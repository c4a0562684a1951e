//! The case view's court phase (see `caravan_model::court`).

use caravan_model::court::{self, MeasureAlert};
use caravan_model::{Case, Date};

use super::ViewContext;
use crate::ids::RecordId;
use crate::view::*;

pub(super) fn court(case: &Case, cx: &ViewContext<'_>) -> CourtView {
    let today = cx.today;
    let mut decisions: Vec<ProceduralDecisionView> = case
        .procedural_decisions
        .iter()
        .map(|(id, d)| ProceduralDecisionView {
            id: RecordId::from(id),
            person_id: RecordId::from(&d.person_id),
            status: d.status,
            decided_on: d.decided_on,
            reference: d.reference.clone(),
            recorded_by: cx.names.member(&d.recorded_by),
        })
        .collect();
    decisions.sort_by(|a, b| (a.decided_on, &a.id).cmp(&(b.decided_on, &b.id)));
    let mut hearings: Vec<HearingView> = case
        .hearings
        .iter()
        .map(|(id, h)| HearingView {
            id: RecordId::from(id),
            date: h.date,
            court: h.court.clone(),
            kind: h.kind,
            outcome: h.outcome,
            measures_granted: h.measures_granted.clone(),
            measures_refused: h.measures_refused.clone(),
            safety_reviewed: h.safety_reviewed,
            next_date: h.next_date,
            note: h.note.clone(),
        })
        .collect();
    hearings.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let measures = measures(case, today);
    CourtView {
        registry_number: case.header.registry_number.clone(),
        statuses: statuses(case),
        decisions,
        measure_alerts: super::count(measures.iter().filter(|m| m.alert.is_some()).count()),
        measures,
        charges: charges(case),
        indictments: indictments(case),
        hearings,
        verdicts: verdicts(case),
        compensation: compensation(case),
    }
}

fn statuses(case: &Case) -> Vec<PersonStatusView> {
    let mut people: Vec<&str> = case
        .procedural_decisions
        .values()
        .map(|d| d.person_id.as_str())
        .collect();
    people.sort_unstable();
    people.dedup();
    people
        .into_iter()
        .filter_map(|person| {
            let latest = court::current_decision(case, person)?;
            Some(PersonStatusView {
                person_id: RecordId::from(person),
                status: latest.status,
                since: latest.decided_on,
            })
        })
        .collect()
}

fn measures(case: &Case, today: Date) -> Vec<MeasureView> {
    let mut out: Vec<MeasureView> = case
        .measures
        .iter()
        .map(|(id, m)| MeasureView {
            id: RecordId::from(id),
            person_id: RecordId::from(&m.person_id),
            kind: m.kind,
            ordered_by: m.ordered_by.clone(),
            from: m.from,
            until: m.until,
            lifted_on: m.lifted_on,
            alert: m.alert(today).map(|a| match a {
                MeasureAlert::Expiring => MeasureAlertKind::Expiring,
                MeasureAlert::Expired => MeasureAlertKind::Expired,
            }),
        })
        .collect();
    out.sort_by(|a, b| (a.from, &a.id).cmp(&(b.from, &b.id)));
    out
}

fn charges(case: &Case) -> Vec<ChargeView> {
    case.charges
        .iter()
        .filter_map(|(id, c)| {
            let article = super::qualified(std::iter::once(&c.article), case).pop()?;
            Some(ChargeView {
                id: RecordId::from(id),
                person_id: RecordId::from(&c.person_id),
                article,
                status: c.status,
                brought_on: c.brought_on,
                note: c.note.clone(),
            })
        })
        .collect()
}

fn indictments(case: &Case) -> Vec<IndictmentView> {
    case.indictments
        .iter()
        .map(|(id, i)| IndictmentView {
            id: RecordId::from(id),
            status: i.status,
            defendants: i.defendants.iter().map(RecordId::from).collect(),
            charges: i.charges.iter().map(RecordId::from).collect(),
            signed_on: i.signed_on,
            approved_on: i.approved_on,
            court: i.court.clone(),
            sent_to_court_on: i.sent_to_court_on,
            note: i.note.clone(),
        })
        .collect()
}

fn verdicts(case: &Case) -> Vec<VerdictView> {
    case.verdicts
        .iter()
        .map(|(id, v)| VerdictView {
            id: RecordId::from(id),
            person_id: RecordId::from(&v.person_id),
            date: v.date,
            court: v.court.clone(),
            outcome: v.outcome,
            articles: v.articles.clone(),
            sentence: v.sentence.clone(),
            custodial_months: v.custodial_months,
            confiscation: v.confiscation.clone(),
            appeal: v.appeal,
            appeal_decided_on: v.appeal_decided_on,
            in_force_on: v.in_force_on,
        })
        .collect()
}

fn compensation(case: &Case) -> Vec<CompensationView> {
    case.compensation
        .iter()
        .map(|(id, c)| CompensationView {
            id: RecordId::from(id),
            person_id: RecordId::from(&c.person_id),
            currency: c.currency.clone(),
            claimed: c.claimed,
            awarded: c.awarded,
            paid: c.paid,
            status: c.status,
            note: c.note.clone(),
        })
        .collect()
}
