//! `caravan support …`: a victim's support plan, reflection period and
//! return.

use caravan_core::SupportServiceInput;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum SupportCmd {
    /// Show each victim's reflection period, residence or return, and support plan
    Show { case: String },
    /// Add a service to a victim's support plan (HTCDS support type)
    Add {
        case: String,
        #[command(flatten)]
        service: SupportServiceInput,
    },
}
