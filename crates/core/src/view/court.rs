//! Views of the court phase's records. People are named by their ids in
//! the case; front ends show their pseudonyms from the case's people.

use caravan_model::{
    AppealStatus, ChargeStatus, CompensationStatus, Date, HearingKind, HearingOutcome,
    IndictmentStatus, MeasureKind, ProceduralStatus, ProtectiveMeasure, VerdictOutcome,
};
use serde::Serialize;

use super::{MemberRef, QualifiedArticle};
use crate::ids::RecordId;

/// The prosecution and court phase of a case.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CourtView {
    /// The number of the case in the national register (e.g. ERDR).
    pub registry_number: Option<String>,
    /// Each person's current procedural status, where a decision gave one.
    pub statuses: Vec<PersonStatusView>,
    /// Every procedural decision, oldest first.
    pub decisions: Vec<ProceduralDecisionView>,
    pub measures: Vec<MeasureView>,
    pub charges: Vec<ChargeView>,
    pub indictments: Vec<IndictmentView>,
    /// Hearings by date.
    pub hearings: Vec<HearingView>,
    pub verdicts: Vec<VerdictView>,
    pub compensation: Vec<CompensationView>,
    /// Measures that end within a week or have ended without being lifted.
    pub measure_alerts: u32,
}

/// A person's procedural status now: their latest decision's.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonStatusView {
    pub person_id: RecordId,
    pub status: ProceduralStatus,
    pub since: Date,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProceduralDecisionView {
    pub id: RecordId,
    pub person_id: RecordId,
    pub status: ProceduralStatus,
    pub decided_on: Date,
    pub reference: Option<String>,
    pub recorded_by: MemberRef,
}

/// How a preventive measure stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MeasureAlertKind {
    Expiring,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MeasureView {
    pub id: RecordId,
    pub person_id: RecordId,
    pub kind: MeasureKind,
    pub ordered_by: Option<String>,
    pub from: Date,
    pub until: Option<Date>,
    pub lifted_on: Option<Date>,
    pub alert: Option<MeasureAlertKind>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChargeView {
    pub id: RecordId,
    pub person_id: RecordId,
    /// The article, with its part and paragraph, and its title.
    pub article: QualifiedArticle,
    pub status: ChargeStatus,
    pub brought_on: Option<Date>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IndictmentView {
    pub id: RecordId,
    pub status: IndictmentStatus,
    pub defendants: Vec<RecordId>,
    pub charges: Vec<RecordId>,
    pub signed_on: Option<Date>,
    pub approved_on: Option<Date>,
    pub court: Option<String>,
    pub sent_to_court_on: Option<Date>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HearingView {
    pub id: RecordId,
    pub date: Date,
    pub court: String,
    pub kind: HearingKind,
    pub outcome: HearingOutcome,
    pub measures_granted: Vec<ProtectiveMeasure>,
    pub measures_refused: Vec<ProtectiveMeasure>,
    pub safety_reviewed: bool,
    pub next_date: Option<Date>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VerdictView {
    pub id: RecordId,
    pub person_id: RecordId,
    pub date: Date,
    pub court: String,
    pub outcome: VerdictOutcome,
    pub articles: Vec<String>,
    pub sentence: Option<String>,
    pub custodial_months: Option<u64>,
    pub confiscation: Option<String>,
    pub appeal: Option<AppealStatus>,
    pub appeal_decided_on: Option<Date>,
    pub in_force_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CompensationView {
    pub id: RecordId,
    pub person_id: RecordId,
    pub currency: String,
    pub claimed: Option<u64>,
    pub awarded: Option<u64>,
    pub paid: Option<u64>,
    pub status: CompensationStatus,
    pub note: Option<String>,
}
