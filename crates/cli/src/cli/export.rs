//! `caravan export …`: files made from the cases for people outside the
//! team. Each kind is a variant; kinds are added at the end.

use caravan_core::HtcdsOptions;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// Anonymised statistics of every case in HTCDS 2.0 / CTDC form: victims and perpetrators (CSV and JSON), a data dictionary and the suppression report (supervisor, admin)
    Htcds {
        #[command(flatten)]
        options: HtcdsOptions,
    },
}
