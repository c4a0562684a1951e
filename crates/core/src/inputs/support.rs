//! Inputs of a victim's support plan (see `caravan_model::support`).

use caravan_model::{Date, SupportStatus, SupportType};
use serde::Deserialize;

use super::{MAX_TEXT, Normalise, bounded, opt};
use crate::error::Result;
use crate::ids::RecordId;

/// One service of a victim's support plan.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct SupportServiceInput {
    /// The victim (their id in the case)
    #[cfg_attr(feature = "clap", arg(long = "victim"))]
    pub victim_id: RecordId,
    /// What the service provides (HTCDS support type), e.g. health
    #[cfg_attr(feature = "clap", arg(long = "type"))]
    pub kind: SupportType,
    /// Who provides it (an organisation, a service)
    #[cfg_attr(feature = "clap", arg(long))]
    pub provider: Option<String>,
    /// The referral of the case it is provided through (its id)
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "referral"))]
    pub referral_id: Option<RecordId>,
    #[cfg_attr(feature = "clap", arg(long, default_value = "planned"))]
    pub status: SupportStatus,
    /// The day it started (YYYY-MM-DD)
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "from"))]
    pub started_on: Option<Date>,
    /// The day it ended (YYYY-MM-DD)
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "until"))]
    pub ended_on: Option<Date>,
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub note: Option<String>,
}
normalise!(SupportServiceInput {
    text: [],
    optional: [provider, note]
});
