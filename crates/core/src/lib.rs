//! Caravan's application core: every use case, as a method of
//! [`Workspace`] (an unlocked vault and the device's replica of the team's
//! documents). The desktop app and the `caravan` command both call this
//! crate and hold no business logic of their own.
//!
//! - Every action that reads or changes case data writes its audit entry
//!   here, in the same vault transaction as the change it records.
//! - Errors carry stable codes ([`CoreError::code`]); front ends match
//!   codes, never messages.
//! - Identity fields of people are masked in every view; revealing them
//!   is a separate, audited call.

pub mod audit;
mod case_file;
mod case_records;
mod case_view;
pub mod cases;
pub mod checklists;
pub mod clock;
pub mod conflicts;
mod corrections;
pub mod court;
pub mod demo;
pub mod dossier;
pub mod error;
pub mod exchange;
mod field_text;
mod finance;
pub mod geojson;
pub mod history;
pub mod htcds;
pub mod ids;
mod index;
pub mod inputs;
pub mod links;
pub mod live;
mod loading;
mod names;
pub mod network;
pub mod permissions;
pub mod records;
pub mod relay;
pub mod relays;
mod replica_store;
pub mod reports;
mod residency;
pub mod routes;
pub mod signoffs;
mod support;
pub mod team;
#[cfg(feature = "ts")]
pub mod typescript;
mod unconfirmed;
pub mod view;
pub mod workspace;

pub use caravan_errors::coded;
pub use cases::{ArticleOption, offered_articles, offered_articles_on, search_fingerprint};
pub use clock::{Clock, SteppingClock, SystemClock};
pub use dossier::{Dossier, DossierCheck, DossierOptions, DossierView};
pub use error::{Coded, CoreError, ErrorKind, Result, all_codes};
pub use exchange::{Progress, Step};
pub use geojson::GeojsonSummary;
pub use history::{FieldChange, FieldValue, HistoryEntry};
pub use htcds::{HtcdsExport, HtcdsOptions};
pub use ids::{CaseId, MemberId, RecordId};
pub use inputs::FinancialFlowInput;
pub use inputs::SupportServiceInput;
pub use inputs::{
    CaseFilter, CaseLinkInput, ChargeInput, CompensationInput, CustodyInput, EventInput,
    EvidenceInput, HearingInput, IndictmentInput, InternationalRequestInput, InterviewInput,
    ItemUpdate, MeasureInput, NewCaseInput, Normalise, PersonInput, ProceduralDecisionInput,
    ReferralInput, RiskInput, TaskInput, VerdictInput,
};
pub use inputs::{FieldEdit, GroupInput, GroupMemberInput, IdentifierInput};
pub use live::{LiveSession, PeerView};
pub use permissions::Permissions;
pub use records::AttachmentView;
pub use relay::{OutgoingEnvelope, RelayReceipt};
pub use relays::RelayView;
pub use routes::{RoutesOptions, RoutesView};
pub use view::{PersonKind, RevealedIdentity};
pub use workspace::{OpenOptions, Settings, Workspace};

pub use caravan_htcds;
/// The link analysis's graph and options.
pub use caravan_links as link_graph;
/// The model, vault and sync types front ends need, under one name.
pub use caravan_model as model;
pub use caravan_sync as sync;
pub use caravan_vault as vault;
pub use links::{I2Export, I2ExportInput};

/// Where a device's vault lives unless the person chooses otherwise: the
/// platform's data directory (`~/.local/share/Caravan/vault` on Linux,
/// `%APPDATA%\\Caravan\\vault` on Windows, `~/Library/Application
/// Support/Caravan/vault` on macOS). `None` without a home folder.
pub fn default_vault_dir() -> Option<std::path::PathBuf> {
    directories::BaseDirs::new().map(|d| d.data_dir().join("Caravan").join("vault"))
}
