//! Views of a victim's support plan, reflection period and return.
//! Victims are named by their ids in the case; front ends show their
//! pseudonyms from the case's people.

use caravan_model::{Date, ReintegrationStatus, ResidenceDecision, SupportStatus, SupportType};
use serde::Serialize;

use super::MemberRef;
use crate::ids::RecordId;

/// One service of a victim's support plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupportServiceView {
    pub id: RecordId,
    pub victim_id: RecordId,
    /// HTCDS support type.
    pub kind: SupportType,
    pub provider: Option<String>,
    pub referral_id: Option<RecordId>,
    pub status: SupportStatus,
    pub started_on: Option<Date>,
    pub ended_on: Option<Date>,
    pub note: Option<String>,
    pub recorded_by: MemberRef,
}

/// How a victim's reflection period stands today, while no decision on
/// residence or return was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReflectionAlertKind {
    /// Ends within a week.
    Ending,
    /// Has ended.
    Ended,
}

/// A victim's reflection period, residence or return, and reintegration.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VictimSupportView {
    pub reflection_from: Option<Date>,
    pub reflection_until: Option<Date>,
    pub residence_decision: Option<ResidenceDecision>,
    pub residence_decided_on: Option<Date>,
    /// ISO 3166-1 alpha-2.
    pub return_country: Option<String>,
    pub reintegration_status: Option<ReintegrationStatus>,
    /// The family and risk assessment before a return was done.
    pub family_assessment_done: bool,
    pub family_assessment_on: Option<Date>,
    pub reflection_alert: Option<ReflectionAlertKind>,
    /// A child when trafficked: a return needs the family assessment first.
    pub child: bool,
}
