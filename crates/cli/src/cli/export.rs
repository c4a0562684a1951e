//! `caravan export …`: what the case files produce for others, each kind
//! of file its own subcommand.

use std::path::PathBuf;

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
}
