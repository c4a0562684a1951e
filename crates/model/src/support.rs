//! A victim's support plan, reflection period, and residence or return
//! (UNODC manual M12; OSCE/ODIHR NRM handbook, pillars 2 and 3; HTCDS 2.0
//! `spl_Type`).
//!
//! The services of a victim's support plan are a later collection
//! (`support`, see `crate::later`): each names the victim it serves. The
//! reflection period, the decision on residence or return, the country of
//! return and the reintegration plan's status are fields of the victim
//! added after the first documents were made (`later` in the schema).
//!
//! What each must hold, the rule that a child is returned only after the
//! family and risk assessment, and the reflection period's alerts are here.

use crate::case::{Case, SupportService, Victim};
use crate::date::Date;
use crate::error::ModelError;
use crate::validate::non_empty;
use crate::vocab::ResidenceDecision;

/// Days before its end a reflection period is flagged, as a preventive
/// measure is: a week leaves time to decide on residence or return.
pub const REFLECTION_WARNING_DAYS: i64 = 7;

/// A person under this age at the time of trafficking is a child.
pub const CHILD_UNDER: u64 = 18;

/// How a victim's reflection period stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReflectionAlert {
    /// Ends within [`REFLECTION_WARNING_DAYS`] with no decision on
    /// residence or return.
    Ending,
    /// Its last day has passed with no decision on residence or return.
    Ended,
}

impl Victim {
    /// Whether the victim was a child when trafficked. An unknown age is
    /// not taken for a child's here: the initial actions' checklist has
    /// the age assessment.
    pub fn is_child(&self) -> bool {
        self.age_at_trafficking.is_some_and(|a| a < CHILD_UNDER)
    }

    /// Whether a decision on residence or return was made (a pending one
    /// is none).
    pub fn residence_decided(&self) -> bool {
        self.residence_decision
            .is_some_and(|d| d != ResidenceDecision::Pending)
    }

    /// The reflection period's alert on `today`, if it raises one: only
    /// while no decision on residence or return was made.
    pub fn reflection_alert(&self, today: Date) -> Option<ReflectionAlert> {
        if self.residence_decided() {
            return None;
        }
        let until = self.reflection_until?;
        if until < today {
            Some(ReflectionAlert::Ended)
        } else if until.days_since(today) <= REFLECTION_WARNING_DAYS {
            Some(ReflectionAlert::Ending)
        } else {
            None
        }
    }
}

/// Victims whose reflection period raises an alert on `today`, the
/// soonest end first.
pub fn reflection_alerts(case: &Case, today: Date) -> Vec<(&str, &Victim, ReflectionAlert)> {
    let mut out: Vec<_> = case
        .victims
        .iter()
        .filter_map(|(id, v)| v.reflection_alert(today).map(|a| (id.as_str(), v, a)))
        .collect();
    out.sort_by_key(|(id, v, _)| (v.reflection_until, *id));
    out
}

/// The services of one victim's support plan, by id.
pub fn services_of<'a>(
    case: &'a Case,
    victim_id: &'a str,
) -> impl Iterator<Item = (&'a str, &'a SupportService)> + 'a {
    case.support
        .iter()
        .filter(move |(_, s)| s.victim_id == victim_id)
        .map(|(id, s)| (id.as_str(), s))
}

fn invalid(field: &str, message: &str) -> ModelError {
    ModelError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

fn in_order(
    field: &str,
    from: Option<Date>,
    until: Option<Date>,
    what: &str,
) -> Result<(), ModelError> {
    match (from, until) {
        (Some(from), Some(until)) if until < from => {
            Err(invalid(field, &format!("must not be before {what}")))
        }
        _ => Ok(()),
    }
}

/// What a service must hold, and that the victim and referral it names
/// are the case's.
pub(crate) fn check_service(case: &Case, s: &SupportService) -> Result<(), ModelError> {
    non_empty("victim", &s.victim_id)?;
    if !case.victims.contains_key(&s.victim_id) {
        return Err(ModelError::NotFound {
            what: "victim",
            id: s.victim_id.clone(),
        });
    }
    if let Some(referral) = &s.referral_id
        && !case.referrals.contains_key(referral)
    {
        return Err(ModelError::NotFound {
            what: "referral",
            id: referral.clone(),
        });
    }
    if let Some(provider) = &s.provider {
        non_empty("provider", provider)?;
    }
    in_order("ended_on", s.started_on, s.ended_on, "the day it started")
}

/// What a victim's reflection period and return must hold: the period
/// ends after it starts, and a child is returned only once the family and
/// risk assessment was done (UNODC's procedures for child victims).
pub(crate) fn check_victim(v: &Victim) -> Result<(), ModelError> {
    in_order(
        "reflection_until",
        v.reflection_from,
        v.reflection_until,
        "the first day of the reflection period",
    )?;
    if v.is_child()
        && v.residence_decision
            .is_some_and(ResidenceDecision::is_return)
        && !v.family_assessment_done
    {
        return Err(ModelError::ChildReturnUnassessed);
    }
    Ok(())
}
