//! `caravan export …`: what the case files produce for others, each kind
//! of file its own subcommand.

use std::path::PathBuf;

use caravan_core::HtcdsOptions;
use clap::{Args, Subcommand};

/// Which cases and kinds the link analysis covers.
#[derive(Debug, Clone, Default, Args)]
pub struct LinkArgs {
    /// Only this case (id or id prefix); repeat for several [default: every case you may see]
    #[arg(long = "case", value_name = "CASE")]
    pub cases: Vec<String>,
    /// Only this kind: person, phone, imei, email, online, document, account, vehicle, address, organisation; repeat for several
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Only what appears in more than one case, with the people who hold it
    #[arg(long)]
    pub shared_only: bool,
}

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
    /// The link analysis for i2 Analyst's Notebook: entities.csv and links.csv in DIR (values masked unless --reveal)
    I2 {
        /// An existing folder to write the two files into
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Write the values of people and identifiers (recorded in the audit log)
        #[arg(long)]
        reveal: bool,
        #[command(flatten)]
        links: LinkArgs,
    },
    /// Anonymised statistics of every case in HTCDS 2.0 / CTDC form: victims and perpetrators (CSV and JSON), a data dictionary and the suppression report (supervisor, admin)
    Htcds {
        #[command(flatten)]
        options: HtcdsOptions,
    },
}
