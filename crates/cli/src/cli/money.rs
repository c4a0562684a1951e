//! `caravan money …`: the financial investigation of a case.

use caravan_core::FinancialFlowInput;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum MoneyCmd {
    /// Show the case's accounts, transfers and assets (account numbers masked) and their totals
    Show { case: String },
    /// Record an account, a transfer (bank, cash, informal, crypto) or an asset
    Add {
        case: String,
        #[command(flatten)]
        flow: Box<FinancialFlowInput>,
    },
    /// Show a flow's account number (recorded in the audit log)
    Reveal { case: String, flow: String },
}
