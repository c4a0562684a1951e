//! From a case document to rows: one per victim, one per suspect. Only
//! what a field of [`crate::fields`] names is read; identities, pseudonyms,
//! ids, free text, places and coordinates are never touched.

use caravan_model::Case;
use caravan_model::case::{Suspect, TimelineEvent, Victim};
use caravan_model::later_lists::STATELESS;
use caravan_model::vocab::{
    ControlMethod, EventKind, ForcedLabourIndustry, Gender, PerpetratorRole, RecruitmentMethod,
};

use crate::fields::AGE_BANDS;

/// One value of a row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cell {
    /// Not recorded, or suppressed: both are written the same way, so a
    /// suppressed cell cannot be told from an unknown one.
    Empty,
    One(String),
    /// Several values, each once, in the vocabulary's order (country codes
    /// in alphabetical order); never empty (an empty list is `Empty`).
    Many(Vec<String>),
    Flag(bool),
}

/// One row, its cells in the order of its table's fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Row {
    pub cells: Vec<Cell>,
}

const MILLIS_PER_DAY: i64 = 86_400_000;

/// The calendar year (UTC) of a moment in milliseconds since the epoch;
/// none outside 1900..=9999 (a clock that was wrong).
pub fn registration_year(millis: i64) -> Option<u16> {
    // Howard Hinnant's civil-from-days.
    let z = millis.div_euclid(MILLIS_PER_DAY) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    u16::try_from(year)
        .ok()
        .filter(|y| (1900..=9999).contains(y))
}

/// CTDC's band of an age in years.
pub fn age_band(age: u64) -> &'static str {
    let i = match age {
        0..=8 => 0,
        9..=17 => 1,
        18..=20 => 2,
        21..=23 => 3,
        24..=26 => 4,
        27..=29 => 5,
        30..=38 => 6,
        39..=47 => 7,
        _ => 8,
    };
    AGE_BANDS[i]
}

fn one(v: Option<&str>) -> Cell {
    v.map_or(Cell::Empty, |v| Cell::One(v.to_string()))
}

fn many(values: Vec<String>) -> Cell {
    if values.is_empty() {
        Cell::Empty
    } else {
        Cell::Many(values)
    }
}

/// Vocabulary values as their HTCDS names: each once, in the vocabulary's
/// order, a value of an earlier list with no HTCDS counterpart as `other`.
fn names<T: Copy + Ord>(
    values: impl IntoIterator<Item = T>,
    standard: fn(T) -> T,
    name: fn(T) -> &'static str,
) -> Cell {
    let mut v: Vec<T> = values.into_iter().map(standard).collect();
    v.sort();
    v.dedup();
    many(v.into_iter().map(|v| name(v).to_string()).collect())
}

/// A country code as ISO 3166-1 alpha-2 writes it, or none: anything else
/// (a name, a place) is not a country code and is never written.
fn country(code: &str) -> Option<String> {
    let code = code.trim();
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| code.to_ascii_uppercase())
}

/// The country codes among `codes`, each once, alphabetically; and
/// whether statelessness is among them.
fn citizenships<'a>(codes: impl IntoIterator<Item = &'a str>) -> (Cell, Cell) {
    let mut stateless = false;
    let mut out = Vec::new();
    for c in codes {
        if c.trim().eq_ignore_ascii_case(STATELESS) {
            stateless = true;
        } else if let Some(c) = country(c) {
            out.push(c);
        }
    }
    out.sort();
    out.dedup();
    (many(out), Cell::Flag(stateless))
}

fn year_of(case: &Case) -> Cell {
    registration_year(case.header.created_at).map_or(Cell::Empty, |y| Cell::One(y.to_string()))
}

fn status_of(case: &Case) -> Cell {
    Cell::One(case.header.status.doc_name().to_string())
}

/// The countries of the case's events of `kind` that name the person or
/// no one.
fn event_countries<'a>(
    events: impl Iterator<Item = &'a TimelineEvent>,
    kind: EventKind,
    person: &str,
) -> Cell {
    let mut out: Vec<String> = events
        .filter(|e| e.kind == kind)
        .filter(|e| e.person_ids.is_empty() || e.person_ids.iter().any(|p| p == person))
        .filter_map(|e| e.country.as_deref().and_then(country))
        .collect();
    out.sort();
    out.dedup();
    many(out)
}

fn gender(g: Gender) -> Cell {
    let g = if g.is_legacy() {
        Gender::NonSpecifiedUnknown
    } else {
        g
    };
    Cell::One(g.doc_name().to_string())
}

fn control(c: ControlMethod) -> ControlMethod {
    if c.is_legacy() {
        ControlMethod::Other
    } else {
        c
    }
}

fn recruitment(r: RecruitmentMethod) -> RecruitmentMethod {
    if r.is_legacy() {
        RecruitmentMethod::Other
    } else {
        r
    }
}

fn role(r: PerpetratorRole) -> PerpetratorRole {
    if r.is_legacy() {
        PerpetratorRole::Other
    } else {
        r
    }
}

/// A forced-labour industry under HTCDS 2.0's value name. Four sections
/// are stored under the full ISIC title, where the standard's names
/// (`HTCDS Field Standards 2.0.ods`, `vic_ForcedLabourIndustry`) shorten
/// it; the rest are stored as the standard names them.
pub fn industry_name(i: ForcedLabourIndustry) -> &'static str {
    use ForcedLabourIndustry as I;
    match i {
        I::WaterSupplySewerageWasteManagementAndRemediationActivities => {
            "E_WaterSupplySewerageWasteManagement"
        }
        I::WholesaleAndRetailTradeRepairOfMotorVehiclesAndMotorcycles => {
            "G_WholesaleAndRetailTradeRepairOfMotorVehicles"
        }
        I::PublicAdministrationAndDefenceCompulsorySocialSecurity => {
            "O_PublicAdministrationAndDefence"
        }
        I::ActivitiesOfExtraterritorialOrganizationsAndBodies => {
            "U_ActivitiesOfExtraterritorialOrganizations"
        }
        other => other.doc_name(),
    }
}

fn same<T>(v: T) -> T {
    v
}

fn victim(case: &Case, id: &str, v: &Victim) -> Row {
    let (citizenship, stateless) = citizenships(
        v.citizenships
            .iter()
            .map(String::as_str)
            .chain(v.citizenship.as_deref()),
    );
    let cells = vec![
        Cell::Empty, // vic_Id, given once the rows are in file order
        status_of(case),
        year_of(case),
        gender(v.sex),
        one(v.age_at_trafficking.map(age_band)),
        citizenship,
        stateless,
        Cell::One(v.status.doc_name().to_string()),
        one(v.status_decided_by.map(|d| d.doc_name())),
        one(v.relationship_to_trafficker.map(|r| r.doc_name())),
        names(v.exploitation.iter().copied(), same, |e| e.doc_name()),
        one(v.forced_labour_industry.map(industry_name)),
        names(v.sex_exploitation.iter().copied(), same, |s| s.doc_name()),
        names(
            v.recruitment_methods.iter().copied().chain(v.recruitment),
            recruitment,
            |r| r.doc_name(),
        ),
        names(v.control_methods.iter().copied(), control, |c| c.doc_name()),
        names(v.recruitment_websites.iter().copied(), same, |w| {
            w.doc_name()
        }),
        names(v.exploitation_websites.iter().copied(), same, |w| {
            w.doc_name()
        }),
        event_countries(case.timeline.values(), EventKind::Recruitment, id),
        event_countries(case.timeline.values(), EventKind::Exploitation, id),
    ];
    Row { cells }
}

fn suspect(case: &Case, s: &Suspect) -> Row {
    let (citizenship, stateless) = citizenships(
        s.citizenships
            .iter()
            .map(String::as_str)
            .chain(s.citizenship.as_deref()),
    );
    let cells = vec![
        Cell::Empty, // per_Id
        status_of(case),
        year_of(case),
        citizenship,
        stateless,
        names(s.roles.iter().copied(), role, |r| r.doc_name()),
    ];
    Row { cells }
}

/// One row per victim of the case.
pub(crate) fn victims(case: &Case) -> impl Iterator<Item = Row> + '_ {
    case.victims.iter().map(|(id, v)| victim(case, id, v))
}

/// One row per suspect of the case.
pub(crate) fn perpetrators(case: &Case) -> impl Iterator<Item = Row> + '_ {
    case.suspects.values().map(|s| suspect(case, s))
}
