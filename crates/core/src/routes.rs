//! The routes of cases: where the recruitment, transit and exploitation
//! events of each case's timeline happened, in route order, as places and
//! the legs between them; for the map and its GeoJSON export
//! (`geojson.rs`, which writes them).
//!
//! A route holds no identity and no free text that could name a person:
//! not the event's place name nor its description, not the people it
//! concerns. The crossing point, which names a checkpoint, is kept.

use caravan_model::places::degrees;
use caravan_model::{Case, Date, EventKind, TransportMode};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::ids::{CaseId, RecordId};
use crate::workspace::Workspace;

/// Which routes: one case's, or every case this member may see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct RoutesOptions {
    /// A case's id (or its first characters); none: every case.
    pub case: Option<CaseId>,
}

/// The routes of the cases asked for, by case reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoutesView {
    pub cases: Vec<CaseRoute>,
}

/// One case's route: every event of its timeline in route order, and a
/// leg between each two consecutive events that have coordinates.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseRoute {
    pub case_id: CaseId,
    pub reference: String,
    pub title: String,
    /// Route order: by stage (recruitment, transit, exploitation), then
    /// by date (undated last), then as recorded.
    pub places: Vec<RoutePlace>,
    pub legs: Vec<RouteLeg>,
}

/// Where one timeline event happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoutePlace {
    pub event_id: RecordId,
    /// 1 for the first place of the route.
    pub sequence: u32,
    pub stage: EventKind,
    pub date: Option<Date>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// Decimal degrees (WGS 84), exactly the stored microdegrees; both or
    /// neither: a place without them is listed, not drawn.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The person crossed a state border on the way to this place.
    pub crosses_border: Option<bool>,
    pub border_point: Option<String>,
    /// How the person was moved on the way to this place.
    pub transport: Option<TransportMode>,
}

impl RoutePlace {
    /// `[longitude, latitude]`, when the place has both.
    pub fn position(&self) -> Option<[f64; 2]> {
        Some([self.longitude?, self.latitude?])
    }
}

/// The way from one placed event to the next: what is known of it is
/// recorded on the event it leads to (its border crossing, crossing point
/// and transport).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RouteLeg {
    /// The sequence numbers of the places it joins.
    pub from: u32,
    pub to: u32,
    /// The stage and date of the event it leads to.
    pub stage: EventKind,
    pub date: Option<Date>,
    pub from_country: Option<String>,
    pub to_country: Option<String>,
    pub crosses_border: Option<bool>,
    pub border_point: Option<String>,
    pub transport: Option<TransportMode>,
}

fn stage_rank(kind: EventKind) -> u8 {
    match kind {
        EventKind::Recruitment => 0,
        EventKind::Transit => 1,
        EventKind::Exploitation => 2,
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A case's route, from its document.
pub(crate) fn case_route(case_id: &str, case: &Case) -> CaseRoute {
    let mut events: Vec<_> = case.timeline.iter().collect();
    events.sort_by_key(|(id, e)| {
        (
            stage_rank(e.kind),
            e.date.is_none(),
            e.date,
            e.recorded_at,
            id.as_str(),
        )
    });
    let places: Vec<RoutePlace> = events
        .iter()
        .enumerate()
        .map(|(i, (id, e))| {
            let placed = e.latitude_microdeg.zip(e.longitude_microdeg);
            RoutePlace {
                event_id: RecordId::from(id.as_str()),
                sequence: count(i + 1),
                stage: e.kind,
                date: e.date,
                country: country_code(e.country.as_deref()),
                latitude: placed.map(|(lat, _)| degrees(lat)),
                longitude: placed.map(|(_, lon)| degrees(lon)),
                crosses_border: e.crosses_border,
                border_point: e.border_point.clone(),
                transport: e.transport,
            }
        })
        .collect();
    let placed: Vec<&RoutePlace> = places.iter().filter(|p| p.position().is_some()).collect();
    let legs = placed
        .windows(2)
        .map(|pair| RouteLeg {
            from: pair[0].sequence,
            to: pair[1].sequence,
            stage: pair[1].stage,
            date: pair[1].date,
            from_country: pair[0].country.clone(),
            to_country: pair[1].country.clone(),
            crosses_border: pair[1].crosses_border,
            border_point: pair[1].border_point.clone(),
            transport: pair[1].transport,
        })
        .collect();
    CaseRoute {
        case_id: CaseId::from(case_id),
        reference: case.header.reference.clone(),
        title: case.header.title.clone(),
        places,
        legs,
    }
}

impl Workspace {
    /// The routes of one case, or of every case this device holds that
    /// its member may see (a case whose access was taken from them is left
    /// out). Each case's document is read: the map is opened on request,
    /// and the index keeps no timeline. Audited, as opening a case is.
    pub fn routes(&mut self, options: &RoutesOptions) -> Result<RoutesView> {
        let cases = self.route_cases(options)?;
        let detail = match &options.case {
            Some(_) => cases
                .first()
                .map(|c| format!("case {}", c.case_id))
                .unwrap_or_default(),
            None => format!("{} cases", cases.len()),
        };
        self.audit("routes.open", &detail)?;
        Ok(RoutesView { cases })
    }

    /// The routes of the cases asked for, without the audit entry.
    pub(crate) fn route_cases(&mut self, options: &RoutesOptions) -> Result<Vec<CaseRoute>> {
        let (member, _) = self.me()?;
        let ids: Vec<String> = match &options.case {
            Some(case) => vec![self.find_case(case)?],
            None => self.replica()?.case_ids().cloned().collect(),
        };
        let one = options.case.is_some();
        let mut routes = Vec::new();
        for id in ids {
            let case = match self.case_doc(&id) {
                Ok((_, case)) => case,
                // A case that cannot be read is named in the case list;
                // the map of every case shows the others.
                Err(e) if one => return Err(e),
                Err(_) => continue,
            };
            let team = self.replica()?.team()?;
            if !team.may_access(&member, &id, Some(&case.header.created_by)) {
                if one {
                    return Err(CoreError::NoCaseAccess);
                }
                continue;
            }
            routes.push(case_route(&id, &case));
        }
        routes.sort_by(|a, b| a.reference.cmp(&b.reference));
        Ok(routes)
    }
}

/// An event's country as the route shows and exports it: a two-letter
/// code, as the app writes it. The schema takes any text there (older
/// releases wrote the field freely), so text a member forged into it
/// (a name, an address, markup) is left out, not carried to the map or
/// an analyst's file.
fn country_code(written: Option<&str>) -> Option<String> {
    written
        .filter(|c| caravan_model::validate_jurisdiction(c).is_ok())
        .map(str::to_string)
}
