//! Inputs of the case file's later records: links to other cases,
//! international requests, and the details added to existing records.

use caravan_model::{CaseLinkKind, Date, LegalBasis, NoticeColour, RequestKind, RequestStatus};
use serde::Deserialize;

use super::{MAX_LONG_TEXT, MAX_TEXT, Normalise, bounded, opt, text};
use crate::error::Result;

/// A link from one case to another this device holds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct CaseLinkInput {
    /// The other case: its id, or an id prefix as the case list shows it
    #[cfg_attr(feature = "clap", arg(long = "to"))]
    pub other_case: String,
    #[cfg_attr(feature = "clap", arg(long))]
    pub relation: CaseLinkKind,
    #[cfg_attr(feature = "clap", arg(long))]
    pub note: Option<String>,
}
normalise!(CaseLinkInput {
    text: [other_case],
    optional: [note]
});

/// A request to another state (UNODC manual M6).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct InternationalRequestInput {
    #[cfg_attr(feature = "clap", arg(long))]
    pub kind: RequestKind,
    /// The notice's colour, for an INTERPOL notice only
    #[cfg_attr(feature = "clap", arg(long))]
    pub notice: Option<NoticeColour>,
    /// The requested state: ISO 3166-1 alpha-2, any case; stored upper-case
    #[cfg_attr(feature = "clap", arg(long = "state"))]
    pub requested_state: String,
    #[cfg_attr(feature = "clap", arg(long = "basis"))]
    pub legal_basis: LegalBasis,
    /// The central authority (or police unit) it goes through
    #[cfg_attr(feature = "clap", arg(long = "authority"))]
    pub central_authority: Option<String>,
    /// The assistance sought
    #[cfg_attr(feature = "clap", arg(long))]
    pub subject: String,
    /// YYYY-MM-DD
    #[cfg_attr(feature = "clap", arg(long = "sent"))]
    pub sent_on: Option<Date>,
    /// When an answer is due (YYYY-MM-DD): an open request past it is overdue
    #[cfg_attr(feature = "clap", arg(long))]
    pub deadline: Option<Date>,
    #[cfg_attr(feature = "clap", arg(long, default_value = "drafted"))]
    pub status: RequestStatus,
    /// YYYY-MM-DD
    #[cfg_attr(feature = "clap", arg(long = "answered"))]
    pub response_on: Option<Date>,
}
normalise!(InternationalRequestInput {
    text: [requested_state],
    optional: [central_authority],
    long: [subject]
});
