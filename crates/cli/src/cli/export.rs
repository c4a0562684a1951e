//! `caravan export …`: what the case files produce for others, each kind
//! of file its own subcommand.

use std::path::PathBuf;

use caravan_core::HtcdsOptions;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// The routes of cases (places and legs) as GeoJSON for GIS analysts (ArcGIS, QGIS); not anonymised
    Geojson {
        /// Only this case (its id or first characters); default: every case you may see
        #[arg(long)]
        case: Option<String>,
        /// The file to write, e.g. routes.geojson
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Anonymised statistics of every case in HTCDS 2.0 / CTDC form: victims and perpetrators (CSV and JSON), a data dictionary and the suppression report (supervisor, admin)
    Htcds {
        #[command(flatten)]
        options: HtcdsOptions,
    },
}
