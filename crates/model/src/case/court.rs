//! The court phase's records (see `crate::court` for what they must hold
//! and the alerts they raise).

use autosurgeon::{Hydrate, Reconcile};

use super::{LegalArticle, MemberId, Millis};
use crate::date::Date;
use crate::vocab::*;

/// A decision giving a person a procedural status: recognised as victim
/// or as civil claimant; suspect, accused, defendant; convicted or
/// acquitted. A person's current status is their latest decision.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct ProceduralDecision {
    pub person_id: String,
    pub status: ProceduralStatus,
    pub decided_on: Date,
    /// The decision's number or reference.
    pub reference: Option<String>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

/// A preventive measure ordered against a suspect: detention, house
/// arrest, bail… One that ends (`until`) raises an alert a week before.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct PreventiveMeasure {
    pub person_id: String,
    pub kind: MeasureKind,
    /// The court (or authority) that ordered it.
    pub ordered_by: Option<String>,
    pub from: Date,
    /// Its last day, as ordered or last extended.
    pub until: Option<Date>,
    /// The day it was lifted or replaced; a lifted measure raises no alert.
    pub lifted_on: Option<Date>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

/// A charge brought against a suspect: one article, with its part and
/// paragraph.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Charge {
    pub person_id: String,
    pub article: LegalArticle,
    pub status: ChargeStatus,
    pub brought_on: Option<Date>,
    pub note: Option<String>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

/// The indictment that sends the case to court: drafted by the
/// investigator, approved by the prosecutor.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Indictment {
    pub status: IndictmentStatus,
    /// The defendants it names (suspects' ids).
    pub defendants: Vec<String>,
    /// The charges it brings (charges' ids).
    pub charges: Vec<String>,
    pub signed_on: Option<Date>,
    pub approved_on: Option<Date>,
    pub court: Option<String>,
    pub sent_to_court_on: Option<Date>,
    pub note: Option<String>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

/// A court hearing, with the protective measures granted or refused for
/// victims and witnesses, and whether their safety was reviewed before it.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Hearing {
    pub date: Date,
    pub court: String,
    pub kind: HearingKind,
    pub outcome: HearingOutcome,
    pub measures_granted: Vec<ProtectiveMeasure>,
    pub measures_refused: Vec<ProtectiveMeasure>,
    /// The safety of the victims and witnesses was reviewed before it.
    pub safety_reviewed: bool,
    pub next_date: Option<Date>,
    pub note: Option<String>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

/// A verdict for one defendant, its sentence, confiscation and appeal.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Verdict {
    pub person_id: String,
    pub date: Date,
    pub court: String,
    pub outcome: VerdictOutcome,
    /// The articles of conviction, as qualification keys
    /// ([`LegalArticle::key`]).
    pub articles: Vec<String>,
    /// The sentence as pronounced.
    pub sentence: Option<String>,
    /// Deprivation of liberty, in months.
    pub custodial_months: Option<u64>,
    /// Assets confiscated, as the verdict lists them.
    pub confiscation: Option<String>,
    pub appeal: Option<AppealStatus>,
    pub appeal_decided_on: Option<Date>,
    /// The day the verdict entered into force.
    pub in_force_on: Option<Date>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}

/// A victim's claim for compensation in the criminal case, what was
/// awarded and what has been paid. Amounts are whole units of `currency`
/// (courts award whole tenge, som, somoni, sum).
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Compensation {
    pub person_id: String,
    /// ISO 4217, e.g. KZT.
    pub currency: String,
    pub claimed: Option<u64>,
    pub awarded: Option<u64>,
    pub paid: Option<u64>,
    pub status: CompensationStatus,
    pub note: Option<String>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}
