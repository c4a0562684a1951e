//! The case file's later records: links to other cases, international
//! requests, and the details added to existing records.

use caravan_model::*;

use crate::error::{CoreError, Result};
use crate::field_text::country_code;
use crate::ids::RecordId;
use crate::inputs::*;
use crate::workspace::Workspace;

impl Workspace {
    /// Links a case to another case this device holds; the other case's
    /// reference is copied into the link, so that a device that cannot
    /// open it still says which case it is.
    pub fn add_case_link(&mut self, case: &str, l: CaseLinkInput) -> Result<RecordId> {
        let l = l.normalised()?;
        let case_id = self.find_case(case)?;
        let (other_id, other) = self.case_doc(&l.other_case)?;
        if other_id == case_id {
            return Err(CoreError::invalid(
                "other_case",
                "a case cannot be linked to itself",
            ));
        }
        let (_, this) = self.case_doc(&case_id)?;
        if this.links.values().any(|x| x.case_id == other_id) {
            return Err(CoreError::invalid(
                "other_case",
                "this case is already linked to that case",
            ));
        }
        let (member, _) = self.me()?;
        let record = Record::CaseLink(CaseLink {
            case_id: other_id,
            reference: other.header.reference,
            relation: l.relation,
            note: l.note,
            recorded_at: self.now(),
            recorded_by: member,
        });
        let (_, id) = self.insert_noted(&case_id, record, "link.add", None)?;
        Ok(RecordId::from(id))
    }

    /// Records a request to another state.
    pub fn add_international_request(
        &mut self,
        case: &str,
        r: InternationalRequestInput,
    ) -> Result<RecordId> {
        let r = r.normalised()?;
        let Some(state) = country_code("requested_state", Some(&r.requested_state))? else {
            return Err(CoreError::invalid("requested_state", "must not be empty"));
        };
        if r.subject.trim().is_empty() {
            return Err(CoreError::invalid(
                "subject",
                "must not be empty: say what assistance is sought",
            ));
        }
        if r.notice.is_some() && r.kind != RequestKind::InterpolNotice {
            return Err(CoreError::invalid(
                "notice",
                "a notice colour is given only for an INTERPOL notice",
            ));
        }
        let (member, _) = self.me()?;
        let record = Record::InternationalRequest(InternationalRequest {
            kind: r.kind,
            notice: r.notice,
            requested_state: state,
            legal_basis: r.legal_basis,
            central_authority: r.central_authority,
            subject: r.subject,
            sent_on: r.sent_on,
            deadline: r.deadline,
            status: r.status,
            response_on: r.response_on,
            recorded_at: self.now(),
            recorded_by: member,
        });
        let (_, id) = self.insert_noted(case, record, "request.add", None)?;
        Ok(RecordId::from(id))
    }
}
