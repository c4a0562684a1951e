//! Anonymised statistics in the form of the Human Trafficking Case Data
//! Standard 2.0 (IOM, *HTCDS Field Standards 2.0*) and the Counter
//! Trafficking Data Collaborative's published dataset (CTDC): one row per
//! victim and one per suspect, with the standard's field names and values,
//! k-anonymous over stated quasi-identifiers.
//!
//! Sans-IO: case documents in ([`caravan_model::Case`]), rows, a
//! suppression report and the bytes of each file out. Nothing here reads a
//! clock, draws a random number or touches a file, so the same cases give
//! the same files byte for byte.
//!
//! What never leaves: names, other names, birth dates, document numbers,
//! contacts, addresses, pseudonyms, record and case ids, every free-text
//! field, places and coordinates. Dates leave as a year; ages as CTDC's
//! bands; places as ISO 3166-1 alpha-2 country codes. See docs/decisions.md,
//! "The anonymised HTCDS export".

mod fields;
mod kanon;
mod render;
mod rows;

pub use fields::{
    AGE_BANDS, Field, Origin, PERPETRATOR_FIELDS, STATELESS_FIELD, VICTIM_FIELDS, Values,
    allowed_values,
};
pub use rows::{Cell, Row, age_band, industry_name, registration_year};

use caravan_model::Case;
use serde::Serialize;

/// The k CTDC publishes its global dataset with (ctdatacollaborative.org,
/// "Global Dataset": "k-anonymized (k=11)").
pub const DEFAULT_K: u32 = 11;
/// The smallest k an export accepts: k = 1 would anonymise nothing.
pub const MIN_K: u32 = 2;
/// The largest k an export accepts.
pub const MAX_K: u32 = 1000;

/// What the standard and the dataset an export follows are, as written in
/// its report.
pub const STANDARD: &str = "HTCDS 2.0 (IOM, HTCDS Field Standards 2.0, 24 Dec 2021); age bands, registration year and k-anonymity as CTDC's global dataset";

/// The files of an export, in the order they are written.
pub const FILE_NAMES: [&str; 6] = [
    "victims.csv",
    "victims.json",
    "perpetrators.csv",
    "perpetrators.json",
    "dictionary.csv",
    "suppression.json",
];

/// How an export is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Every combination of quasi-identifier values in the output is held
    /// by at least this many rows ([`MIN_K`]..=[`MAX_K`]).
    pub k: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { k: DEFAULT_K }
    }
}

/// Which table a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum TableKind {
    Victims,
    Perpetrators,
}

impl TableKind {
    pub fn fields(self) -> &'static [Field] {
        match self {
            TableKind::Victims => VICTIM_FIELDS,
            TableKind::Perpetrators => PERPETRATOR_FIELDS,
        }
    }

    /// The quasi-identifiers, each a group of fields suppressed together
    /// (a citizenship and the statelessness flag say one thing), in the
    /// order they are suppressed: the one whose loss costs the analysis
    /// least first.
    pub fn quasi_identifiers(self) -> &'static [&'static [&'static str]] {
        match self {
            // A field that says where a person is from, or how they were
            // exploited, is one: the country of recruitment gives back a
            // citizenship suppressed beside it, and a rare industry or
            // relationship singles a person out as a rare age does.
            TableKind::Victims => &[
                &["vic_RelationshipToTrafficker"],
                &["vic_ForcedLabourIndustry"],
                &["vic_CountryOfRecruitment"],
                &["cas_RegistrationYear"],
                &["vic_CountryOfExploitation"],
                &["prs_Citizenship", STATELESS_FIELD],
                &["vic_AgeBand"],
                &["vic_TypeOfExploitation"],
                &["prs_Gender"],
            ],
            TableKind::Perpetrators => &[
                &["cas_RegistrationYear"],
                &["prs_Citizenship", STATELESS_FIELD],
                &["per_RoleInProcess"],
            ],
        }
    }
}

/// One table of an export: its rows after suppression, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub kind: TableKind,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn fields(&self) -> &'static [Field] {
        self.kind.fields()
    }
}

/// How many rows of one table had a field's value suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "HtcdsFieldCount"))]
pub struct FieldCount {
    pub field: String,
    pub rows: u32,
}

/// What k-anonymity did to one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "HtcdsTableReport"))]
pub struct TableReport {
    /// The quasi-identifier fields the classes are formed over.
    pub quasi_identifiers: Vec<String>,
    /// Rows the cases gave.
    pub rows: u32,
    /// Rows written.
    pub exported: u32,
    /// Rows left out whole: still in a class smaller than k with every
    /// quasi-identifier suppressed.
    pub withheld: u32,
    /// Rows whose value of a field was suppressed, per field (only fields
    /// with any), in the table's field order.
    pub suppressed: Vec<FieldCount>,
}

/// The report written beside the data (`suppression.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "HtcdsReport"))]
pub struct Report {
    pub standard: String,
    pub k: u32,
    pub cases: u32,
    pub victims: TableReport,
    pub perpetrators: TableReport,
}

/// A file of an export: its name and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// An export: both tables and the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub victims: Table,
    pub perpetrators: Table,
    pub report: Report,
}

/// Makes the anonymised tables of `cases`. `options.k` is taken as given
/// within [`MIN_K`]..=[`MAX_K`] (a value outside is brought to the nearest
/// bound; the core refuses one before it gets here).
pub fn export(cases: &[Case], options: &Options) -> Export {
    let k = options.k.clamp(MIN_K, MAX_K);
    let mut victims = Vec::new();
    let mut perpetrators = Vec::new();
    for case in cases {
        victims.extend(rows::victims(case));
        perpetrators.extend(rows::perpetrators(case));
    }
    let (victims, victims_report) = kanon::anonymise(TableKind::Victims, victims, k);
    let (perpetrators, perpetrators_report) =
        kanon::anonymise(TableKind::Perpetrators, perpetrators, k);
    Export {
        victims: Table {
            kind: TableKind::Victims,
            rows: victims,
        },
        perpetrators: Table {
            kind: TableKind::Perpetrators,
            rows: perpetrators,
        },
        report: Report {
            standard: STANDARD.to_string(),
            k,
            cases: u32::try_from(cases.len()).unwrap_or(u32::MAX),
            victims: victims_report,
            perpetrators: perpetrators_report,
        },
    }
}

impl Export {
    /// Every file of the export, named as [`FILE_NAMES`], in that order.
    pub fn files(&self) -> Vec<File> {
        let bytes = [
            render::csv(&self.victims),
            render::json(&self.victims),
            render::csv(&self.perpetrators),
            render::json(&self.perpetrators),
            render::dictionary(),
            render::report(&self.report),
        ];
        FILE_NAMES
            .iter()
            .zip(bytes)
            .map(|(name, bytes)| File { name, bytes })
            .collect()
    }
}
