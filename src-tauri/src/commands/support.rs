//! A victim's support plan: the command takes the core's typed input and
//! makes one core call. The victim's reflection period and return are
//! fields of the victim, set with `set_field`.

use caravan_core::*;

workspace_commands! {
    fn add_support(case_id: CaseId, service: SupportServiceInput) -> RecordId => |ws| ws.add_support(&case_id, service);
}
