//! A service of a victim's support plan (see `crate::support` for what
//! it must hold).

use autosurgeon::{Hydrate, Reconcile};

use super::{MemberId, Millis};
use crate::date::Date;
use crate::vocab::{SupportStatus, SupportType};

/// One service of a victim's support plan: shelter and care, health,
/// legal aid, education, livelihood… (HTCDS `spl_Type`), who provides it
/// and where it stands.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct SupportService {
    /// The victim of the case it serves.
    pub victim_id: String,
    /// HTCDS `spl_Type`.
    pub kind: SupportType,
    /// Who provides it, in words (an organisation, a service).
    pub provider: Option<String>,
    /// The referral of the case through which it is provided, if any.
    pub referral_id: Option<String>,
    pub status: SupportStatus,
    pub started_on: Option<Date>,
    pub ended_on: Option<Date>,
    pub note: Option<String>,
    pub recorded_at: Millis,
    pub recorded_by: MemberId,
}
