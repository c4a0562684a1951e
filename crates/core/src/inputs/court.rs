//! Inputs of the court phase's records (see `caravan_model::court`).

use caravan_model::{
    AppealStatus, ChargeStatus, CompensationStatus, Date, HearingKind, HearingOutcome,
    IndictmentStatus, MeasureKind, ProceduralStatus, ProtectiveMeasure, VerdictOutcome,
};
use serde::Deserialize;

use super::{MAX_TEXT, Normalise, bounded, distinct, listed, opt, text};
use crate::error::Result;
use crate::ids::RecordId;

/// A decision giving a person of the case a procedural status.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct ProceduralDecisionInput {
    /// The person (their id in the case)
    #[cfg_attr(feature = "clap", arg(long = "person"))]
    pub person_id: RecordId,
    #[cfg_attr(feature = "clap", arg(long))]
    pub status: ProceduralStatus,
    /// The day of the decision (YYYY-MM-DD)
    #[cfg_attr(feature = "clap", arg(long = "on"))]
    pub decided_on: Date,
    /// The decision's number or reference
    #[cfg_attr(feature = "clap", arg(long))]
    pub reference: Option<String>,
}
normalise!(ProceduralDecisionInput {
    text: [],
    optional: [reference]
});

/// A preventive measure ordered against a suspect.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct MeasureInput {
    /// The suspect (their id in the case)
    #[cfg_attr(feature = "clap", arg(long = "person"))]
    pub person_id: RecordId,
    #[cfg_attr(feature = "clap", arg(long))]
    pub kind: MeasureKind,
    /// The court or authority that ordered it
    #[cfg_attr(feature = "clap", arg(long = "ordered-by"))]
    pub ordered_by: Option<String>,
    /// Its first day (YYYY-MM-DD)
    #[cfg_attr(feature = "clap", arg(long))]
    pub from: Date,
    /// Its last day (YYYY-MM-DD): an alert is raised a week before
    #[cfg_attr(feature = "clap", arg(long))]
    pub until: Option<Date>,
}
normalise!(MeasureInput {
    text: [],
    optional: [ordered_by]
});

/// A charge brought against a suspect under an offered article.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct ChargeInput {
    /// The suspect (their id in the case)
    #[cfg_attr(feature = "clap", arg(long = "person"))]
    pub person_id: RecordId,
    /// The article's key as `caravan articles` lists it, e.g. KZ-2014-128
    #[cfg_attr(feature = "clap", arg(long))]
    pub article: String,
    /// Part (ч.) of the article
    #[cfg_attr(feature = "clap", arg(long))]
    pub part: Option<String>,
    /// Paragraph (п.) of the part
    #[cfg_attr(feature = "clap", arg(long))]
    pub paragraph: Option<String>,
    #[cfg_attr(feature = "clap", arg(long, default_value = "brought"))]
    pub status: ChargeStatus,
    /// The day it was brought (YYYY-MM-DD)
    #[cfg_attr(feature = "clap", arg(long = "on"))]
    pub brought_on: Option<Date>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub note: Option<String>,
}
normalise!(ChargeInput {
    text: [article],
    optional: [part, paragraph, note]
});

/// The indictment sending the case to court.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct IndictmentInput {
    #[cfg_attr(feature = "clap", arg(long, default_value = "drafted"))]
    pub status: IndictmentStatus,
    /// The defendants (suspects' ids); all who are charged when none is given
    #[cfg_attr(feature = "clap", arg(long = "defendant"))]
    pub defendants: Vec<RecordId>,
    /// The charges it brings (their ids); all of the defendants' charges
    /// standing when none is given
    #[cfg_attr(feature = "clap", arg(long = "charge"))]
    pub charges: Vec<RecordId>,
    /// YYYY-MM-DD
    #[cfg_attr(feature = "clap", arg(long = "signed"))]
    pub signed_on: Option<Date>,
    /// The day the prosecutor approved it (YYYY-MM-DD)
    #[cfg_attr(feature = "clap", arg(long = "approved"))]
    pub approved_on: Option<Date>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub court: Option<String>,
    /// YYYY-MM-DD
    #[cfg_attr(feature = "clap", arg(long = "sent"))]
    pub sent_to_court_on: Option<Date>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub note: Option<String>,
}
normalise!(IndictmentInput {
    text: [],
    optional: [court, note],
    lists: [defendants, charges]
});

/// A court hearing.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct HearingInput {
    /// YYYY-MM-DD
    #[cfg_attr(feature = "clap", arg(long))]
    pub date: Date,
    #[cfg_attr(feature = "clap", arg(long))]
    pub court: String,
    #[cfg_attr(feature = "clap", arg(long, default_value = "trial"))]
    pub kind: HearingKind,
    #[cfg_attr(feature = "clap", arg(long, default_value = "scheduled"))]
    pub outcome: HearingOutcome,
    /// Protective measures granted to victims or witnesses (repeat the flag)
    #[cfg_attr(feature = "clap", arg(long = "granted"))]
    pub measures_granted: Vec<ProtectiveMeasure>,
    /// Protective measures asked for and refused (repeat the flag)
    #[cfg_attr(feature = "clap", arg(long = "refused"))]
    pub measures_refused: Vec<ProtectiveMeasure>,
    /// The safety of victims and witnesses was reviewed before it
    #[cfg_attr(feature = "clap", arg(long = "safety-reviewed"))]
    pub safety_reviewed: bool,
    /// YYYY-MM-DD
    #[cfg_attr(feature = "clap", arg(long = "next"))]
    pub next_date: Option<Date>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub note: Option<String>,
}
normalise!(HearingInput {
    text: [court],
    optional: [note],
    lists: [measures_granted, measures_refused]
});

/// A verdict for one defendant.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct VerdictInput {
    /// The defendant (their id in the case)
    #[cfg_attr(feature = "clap", arg(long = "person"))]
    pub person_id: RecordId,
    /// YYYY-MM-DD
    #[cfg_attr(feature = "clap", arg(long))]
    pub date: Date,
    #[cfg_attr(feature = "clap", arg(long))]
    pub court: String,
    #[cfg_attr(feature = "clap", arg(long))]
    pub outcome: VerdictOutcome,
    /// Articles of conviction as qualification keys (KZ-2014-128:3:2);
    /// the defendant's standing charges when none is given
    #[cfg_attr(feature = "clap", arg(long = "article"))]
    pub articles: Vec<String>,
    /// The sentence as pronounced
    #[cfg_attr(feature = "clap", arg(long))]
    pub sentence: Option<String>,
    /// Deprivation of liberty, in months
    #[cfg_attr(feature = "clap", arg(long = "months"))]
    pub custodial_months: Option<u64>,
    /// Assets confiscated
    #[cfg_attr(feature = "clap", arg(long))]
    pub confiscation: Option<String>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub appeal: Option<AppealStatus>,
    /// The day the verdict entered into force (YYYY-MM-DD)
    #[cfg_attr(feature = "clap", arg(long = "in-force"))]
    pub in_force_on: Option<Date>,
}
normalise!(VerdictInput {
    text: [court],
    optional: [sentence, confiscation],
    text_lists: [articles]
});

/// A victim's claim for compensation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct CompensationInput {
    /// The victim (their id in the case)
    #[cfg_attr(feature = "clap", arg(long = "person"))]
    pub person_id: RecordId,
    /// ISO 4217, any case; stored upper-case
    #[cfg_attr(feature = "clap", arg(long))]
    pub currency: String,
    /// In whole units of the currency
    #[cfg_attr(feature = "clap", arg(long))]
    pub claimed: Option<u64>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub awarded: Option<u64>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub paid: Option<u64>,
    #[cfg_attr(feature = "clap", arg(long, default_value = "claimed"))]
    pub status: CompensationStatus,
    #[cfg_attr(feature = "clap", arg(long))]
    pub note: Option<String>,
}
normalise!(CompensationInput {
    text: [currency],
    optional: [note]
});
