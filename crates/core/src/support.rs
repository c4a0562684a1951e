//! A victim's support plan through the workspace. The reflection period,
//! the decision on residence or return and the reintegration plan are
//! fields of the victim, set like any other (`Workspace::set_field`).

use caravan_model::*;

use crate::error::{CoreError, Result};
use crate::ids::RecordId;
use crate::inputs::*;
use crate::workspace::Workspace;

impl Workspace {
    /// Adds a service to a victim's support plan.
    pub fn add_support(&mut self, case: &str, s: SupportServiceInput) -> Result<RecordId> {
        let s = s.normalised()?;
        let (_, c) = self.case_doc(case)?;
        if !c.victims.contains_key(s.victim_id.as_str()) {
            return Err(CoreError::not_found(
                "victim in this case",
                s.victim_id.as_str(),
            ));
        }
        if let Some(referral) = &s.referral_id
            && !c.referrals.contains_key(referral.as_str())
        {
            return Err(CoreError::not_found(
                "referral in this case",
                referral.as_str(),
            ));
        }
        let (member, _) = self.me()?;
        let record = Record::Support(SupportService {
            victim_id: s.victim_id.into_string(),
            kind: s.kind,
            provider: s.provider,
            referral_id: s.referral_id.map(RecordId::into_string),
            status: s.status,
            started_on: s.started_on,
            ended_on: s.ended_on,
            note: s.note,
            recorded_at: self.now(),
            recorded_by: member,
        });
        let (_, id) = self.insert_noted(case, record, "support.add", None)?;
        Ok(RecordId::from(id))
    }
}
