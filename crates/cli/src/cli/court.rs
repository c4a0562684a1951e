//! `caravan court …`: the prosecution and court phase of a case.

use caravan_core::{
    ChargeInput, CompensationInput, HearingInput, IndictmentInput, MeasureInput,
    ProceduralDecisionInput, VerdictInput,
};
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum CourtCmd {
    /// Show the case's court phase: statuses, measures, charges, indictment, hearings, verdicts
    Show { case: String },
    /// Set the case's number in the national register (e.g. ERDR); "" clears it
    Registry { case: String, number: String },
    /// Record a decision on a person's procedural status
    Decision {
        case: String,
        #[command(flatten)]
        decision: ProceduralDecisionInput,
    },
    /// Record a preventive measure against a suspect (alerts a week before it ends)
    Measure {
        case: String,
        #[command(flatten)]
        measure: MeasureInput,
    },
    /// Bring a charge against a suspect under an offered article
    Charge {
        case: String,
        #[command(flatten)]
        charge: ChargeInput,
    },
    /// Record the indictment sending the case to court
    Indict {
        case: String,
        #[command(flatten)]
        indictment: IndictmentInput,
    },
    /// Record a court hearing
    Hearing {
        case: String,
        #[command(flatten)]
        hearing: HearingInput,
    },
    /// Record a verdict for one defendant
    Verdict {
        case: String,
        #[command(flatten)]
        verdict: VerdictInput,
    },
    /// Record a victim's claim for compensation
    Compensation {
        case: String,
        #[command(flatten)]
        compensation: CompensationInput,
    },
}
