//! The prosecution and court phase of a case: procedural decisions on a
//! person's status, preventive measures, charges, the indictment,
//! hearings, verdicts and compensation (UNODC manual M13–M14; Toolkit
//! ch. 5–7). Each is a later collection (see `crate::later`): cases made
//! before the court phase existed lack them until their first record.
//!
//! Records name people of the case by their ids. Each record is checked
//! for what it must hold (`validate_*`) and for naming people of the right
//! kind in the case (`check_parties`), when it is added and after every
//! correction. At sync, where the document is judged change by change,
//! only the schema's forms are: a reference is not checked there.

use crate::case::{
    Case, Charge, Compensation, Hearing, Indictment, PreventiveMeasure, ProceduralDecision, Verdict,
};
use crate::date::Date;
use crate::edit::Record;
use crate::error::ModelError;
use crate::validate::{non_empty, validate_jurisdiction};
use crate::vocab::*;

/// Days before its end a preventive measure is flagged as expiring: a
/// week leaves time to apply for an extension.
pub const MEASURE_WARNING_DAYS: i64 = 7;

/// How a preventive measure stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MeasureAlert {
    /// Ends within [`MEASURE_WARNING_DAYS`].
    Expiring,
    /// Its last day has passed and it was not lifted.
    Expired,
}

impl PreventiveMeasure {
    /// Its alert on `today`, if it raises one.
    pub fn alert(&self, today: Date) -> Option<MeasureAlert> {
        if self.lifted_on.is_some() {
            return None;
        }
        let until = self.until?;
        if until < today {
            Some(MeasureAlert::Expired)
        } else if until.days_since(today) <= MEASURE_WARNING_DAYS {
            Some(MeasureAlert::Expiring)
        } else {
            None
        }
    }
}

/// Measures with an alert on `today`, the soonest end first.
pub fn measure_alerts(case: &Case, today: Date) -> Vec<(&str, &PreventiveMeasure, MeasureAlert)> {
    let mut out: Vec<_> = case
        .measures
        .iter()
        .filter_map(|(id, m)| m.alert(today).map(|a| (id.as_str(), m, a)))
        .collect();
    out.sort_by_key(|(id, m, _)| (m.until, *id));
    out
}

/// The decision that gives a person their current procedural status: the
/// latest (by day, then by when it was recorded).
pub fn current_decision<'a>(case: &'a Case, person_id: &str) -> Option<&'a ProceduralDecision> {
    case.procedural_decisions
        .values()
        .filter(|d| d.person_id == person_id)
        .max_by_key(|d| (d.decided_on, d.recorded_at))
}

fn invalid(field: &str, message: &str) -> ModelError {
    ModelError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

fn not_before(
    field: &str,
    later: Option<Date>,
    earlier: Date,
    what: &str,
) -> Result<(), ModelError> {
    match later {
        Some(d) if d < earlier => Err(invalid(field, &format!("must not be before {what}"))),
        _ => Ok(()),
    }
}

pub(crate) fn validate_decision(d: &ProceduralDecision) -> Result<(), ModelError> {
    non_empty("person", &d.person_id)
}

pub(crate) fn validate_measure(m: &PreventiveMeasure) -> Result<(), ModelError> {
    non_empty("person", &m.person_id)?;
    not_before("until", m.until, m.from, "the day the measure starts")?;
    not_before(
        "lifted_on",
        m.lifted_on,
        m.from,
        "the day the measure starts",
    )
}

pub(crate) fn validate_charge(c: &Charge) -> Result<(), ModelError> {
    non_empty("person", &c.person_id)?;
    validate_jurisdiction(&c.article.jurisdiction)?;
    non_empty("article", &c.article.article)?;
    if let Some(part) = &c.article.part {
        crate::articles::validate_subdivision("part", part)?;
    }
    if let Some(paragraph) = &c.article.paragraph {
        crate::articles::validate_subdivision("paragraph", paragraph)?;
    }
    Ok(())
}

pub(crate) fn validate_indictment(i: &Indictment) -> Result<(), ModelError> {
    if i.defendants.is_empty() {
        return Err(invalid("defendants", "name at least one defendant"));
    }
    if i.status == IndictmentStatus::SentToCourt && i.court.as_deref().is_none_or(str::is_empty) {
        return Err(invalid("court", "say which court the case was sent to"));
    }
    Ok(())
}

pub(crate) fn validate_hearing(h: &Hearing) -> Result<(), ModelError> {
    non_empty("court", &h.court)?;
    if let Some(both) = h
        .measures_granted
        .iter()
        .find(|m| h.measures_refused.contains(m))
    {
        return Err(invalid(
            "measures_refused",
            &format!("{} is listed as both granted and refused", both.id()),
        ));
    }
    not_before("next_date", h.next_date, h.date, "the hearing")
}

pub(crate) fn validate_verdict(v: &Verdict) -> Result<(), ModelError> {
    non_empty("person", &v.person_id)?;
    non_empty("court", &v.court)?;
    if v.outcome == VerdictOutcome::Convicted && v.articles.is_empty() {
        return Err(invalid(
            "articles",
            "a conviction names the articles it is under",
        ));
    }
    if v.outcome != VerdictOutcome::Convicted && v.custodial_months.is_some() {
        return Err(invalid(
            "custodial_months",
            "only a conviction carries a sentence",
        ));
    }
    if v.appeal_decided_on.is_some() && v.appeal.is_none_or(|a| a == AppealStatus::Filed) {
        return Err(invalid(
            "appeal_decided_on",
            "give the appeal's outcome with its date",
        ));
    }
    not_before("in_force_on", v.in_force_on, v.date, "the verdict")
}

pub(crate) fn validate_compensation(c: &Compensation) -> Result<(), ModelError> {
    non_empty("person", &c.person_id)?;
    if !crate::validate::is_currency(&c.currency) {
        return Err(invalid(
            "currency",
            "use a three-letter currency code (ISO 4217), e.g. KZT",
        ));
    }
    if let (Some(paid), Some(awarded)) = (c.paid, c.awarded)
        && paid > awarded
    {
        return Err(invalid("paid", "more than was awarded"));
    }
    Ok(())
}

/// The people a court record names are of the kind it needs, in `case`:
/// a measure, a charge, a verdict and an indictment's defendants are
/// suspects; a compensation is a victim's; a procedural decision is a
/// victim's (recognised victim, civil claimant) or a suspect's (the rest).
/// Checked when a record is added and again after every correction.
pub(crate) fn check_parties(case: &Case, record: &Record) -> Result<(), ModelError> {
    let suspect = |id: &str| of_kind(case.suspects.contains_key(id), "suspect in this case", id);
    let victim = |id: &str| of_kind(case.victims.contains_key(id), "victim in this case", id);
    match record {
        Record::ProceduralDecision(d) => match d.status {
            ProceduralStatus::RecognisedVictim | ProceduralStatus::CivilClaimant => {
                victim(&d.person_id)
            }
            _ => suspect(&d.person_id),
        },
        Record::Measure(m) => suspect(&m.person_id),
        Record::Charge(c) => suspect(&c.person_id),
        Record::Indictment(i) => i.defendants.iter().try_for_each(|d| suspect(d)),
        Record::Verdict(v) => suspect(&v.person_id),
        Record::Compensation(c) => victim(&c.person_id),
        _ => Ok(()),
    }
}

fn of_kind(held: bool, what: &'static str, id: &str) -> Result<(), ModelError> {
    if held {
        Ok(())
    } else {
        Err(ModelError::NotFound {
            what,
            id: id.to_string(),
        })
    }
}
