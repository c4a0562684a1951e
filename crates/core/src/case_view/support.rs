//! The case view's support plans, and each victim's reflection period and
//! return (see `caravan_model::support`).

use caravan_model::support::ReflectionAlert;
use caravan_model::{Case, Victim};

use super::ViewContext;
use crate::ids::RecordId;
use crate::view::*;

/// Every service of the case's support plans, by victim, then by the day
/// it started.
pub(super) fn services(case: &Case, cx: &ViewContext<'_>) -> Vec<SupportServiceView> {
    let mut out: Vec<SupportServiceView> = case
        .support
        .iter()
        .map(|(id, s)| SupportServiceView {
            id: RecordId::from(id),
            victim_id: RecordId::from(&s.victim_id),
            kind: s.kind,
            provider: s.provider.clone(),
            referral_id: s.referral_id.as_ref().map(RecordId::from),
            status: s.status,
            started_on: s.started_on,
            ended_on: s.ended_on,
            note: s.note.clone(),
            recorded_by: cx.names.member(&s.recorded_by),
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.victim_id, a.started_on, &a.id).cmp(&(&b.victim_id, b.started_on, &b.id))
    });
    out
}

/// A victim's reflection period and return, with today's alert.
fn victim_support(v: &Victim, cx: &ViewContext<'_>) -> VictimSupportView {
    VictimSupportView {
        reflection_from: v.reflection_from,
        reflection_until: v.reflection_until,
        residence_decision: v.residence_decision,
        residence_decided_on: v.residence_decided_on,
        return_country: v.return_country.as_ref().map(|c| c.to_ascii_uppercase()),
        reintegration_status: v.reintegration_status,
        family_assessment_done: v.family_assessment_done,
        family_assessment_on: v.family_assessment_on,
        reflection_alert: v.reflection_alert(cx.today).map(|a| match a {
            ReflectionAlert::Ending => ReflectionAlertKind::Ending,
            ReflectionAlert::Ended => ReflectionAlertKind::Ended,
        }),
        child: v.is_child(),
    }
}

/// Gives each victim of `people` their reflection period and return.
pub(super) fn add_to_people(people: &mut [PersonView], case: &Case, cx: &ViewContext<'_>) {
    for p in people.iter_mut() {
        if let Some(v) = case.victims.get(p.id.as_str())
            && p.kind == PersonKind::Victim
        {
            p.support = Some(victim_support(v, cx));
        }
    }
}

/// How many victims' reflection periods raise an alert today.
pub(super) fn reflection_alerts(case: &Case, cx: &ViewContext<'_>) -> u32 {
    super::count(caravan_model::support::reflection_alerts(case, cx.today).len())
}
