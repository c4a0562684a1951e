//! The court phase of a case: each command takes the core's typed input
//! and makes one core call.

use caravan_core::*;

workspace_commands! {
    /// The case's number in the national register; "" clears it.
    fn set_registry_number(case_id: CaseId, number: String) -> () => |ws| ws.set_registry_number(&case_id, &number);
    fn add_procedural_decision(case_id: CaseId, decision: ProceduralDecisionInput) -> RecordId => |ws| ws.add_procedural_decision(&case_id, decision);
    fn add_measure(case_id: CaseId, measure: MeasureInput) -> RecordId => |ws| ws.add_measure(&case_id, measure);
    fn add_charge(case_id: CaseId, charge: ChargeInput) -> RecordId => |ws| ws.add_charge(&case_id, charge);
    fn add_indictment(case_id: CaseId, indictment: IndictmentInput) -> RecordId => |ws| ws.add_indictment(&case_id, indictment);
    fn add_hearing(case_id: CaseId, hearing: HearingInput) -> RecordId => |ws| ws.add_hearing(&case_id, hearing);
    fn add_verdict(case_id: CaseId, verdict: VerdictInput) -> RecordId => |ws| ws.add_verdict(&case_id, verdict);
    fn add_compensation(case_id: CaseId, compensation: CompensationInput) -> RecordId => |ws| ws.add_compensation(&case_id, compensation);
}
