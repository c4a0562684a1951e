//! Routes as GeoJSON (RFC 7946) for the team's analysts (ArcGIS, QGIS):
//! one FeatureCollection of Point features (the places of each case's
//! route) and LineString features (the legs between them), coordinates
//! `[longitude, latitude]` in decimal degrees, WGS 84.
//!
//! Each feature's properties are the case's reference and what the route
//! records of the place or leg: stage, date as recorded, country, border
//! crossing, crossing point, transport (docs/decisions.md, "Routes on a
//! map"). No identity, no person, no place name or description (free text
//! that may name people). This file is for analysts of the team, who see
//! the cases: it is not anonymised as the HTCDS export is.
//!
//! A microdegree integer divided by a million is the double nearest to its
//! decimal value, and a double prints as the shortest text that reads back
//! as itself, so a stored 43 238 949 is written `43.238949`, digit for
//! digit (within metres of the equator or the prime meridian
//! that text takes an exponent, `1e-6`: the same number).

use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::{CoreError, Result};
use crate::routes::{CaseRoute, RouteLeg, RoutePlace, RoutesOptions};
use crate::workspace::Workspace;

/// What a GeoJSON export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GeojsonSummary {
    pub cases: u32,
    /// Point features written.
    pub places: u32,
    /// LineString features written.
    pub legs: u32,
    /// Places without coordinates, left out of the file.
    pub unplaced: u32,
}

fn text<T: ToString>(v: Option<T>) -> Value {
    v.map_or(Value::Null, |v| Value::String(v.to_string()))
}

fn bool_or_null(v: Option<bool>) -> Value {
    v.map_or(Value::Null, Value::Bool)
}

fn point(case: &CaseRoute, p: &RoutePlace, at: [f64; 2]) -> Value {
    let mut props = Map::new();
    props.insert("case_number".into(), json!(case.reference));
    props.insert("feature".into(), json!("place"));
    props.insert("sequence".into(), json!(p.sequence));
    props.insert("stage".into(), json!(p.stage.id()));
    props.insert("date".into(), text(p.date));
    props.insert("country".into(), text(p.country.as_deref()));
    props.insert("border_crossing".into(), bool_or_null(p.crosses_border));
    props.insert("crossing_point".into(), text(p.border_point.as_deref()));
    props.insert("transport".into(), text(p.transport.map(|t| t.id())));
    json!({
        "type": "Feature",
        "geometry": { "type": "Point", "coordinates": at },
        "properties": props,
    })
}

fn line(case: &CaseRoute, leg: &RouteLeg, from: [f64; 2], to: [f64; 2]) -> Value {
    let mut props = Map::new();
    props.insert("case_number".into(), json!(case.reference));
    props.insert("feature".into(), json!("leg"));
    props.insert("from_sequence".into(), json!(leg.from));
    props.insert("to_sequence".into(), json!(leg.to));
    props.insert("stage".into(), json!(leg.stage.id()));
    props.insert("date".into(), text(leg.date));
    props.insert("from_country".into(), text(leg.from_country.as_deref()));
    props.insert("country".into(), text(leg.to_country.as_deref()));
    props.insert("border_crossing".into(), bool_or_null(leg.crosses_border));
    props.insert("crossing_point".into(), text(leg.border_point.as_deref()));
    props.insert("transport".into(), text(leg.transport.map(|t| t.id())));
    json!({
        "type": "Feature",
        "geometry": { "type": "LineString", "coordinates": [from, to] },
        "properties": props,
    })
}

/// The FeatureCollection of `cases`' routes: for each case its places in
/// route order, then its legs; a place without coordinates is counted,
/// not written (GeoJSON has no point without a position).
pub fn feature_collection(cases: &[CaseRoute]) -> (Value, GeojsonSummary) {
    let mut features = Vec::new();
    let mut summary = GeojsonSummary {
        cases: 0,
        places: 0,
        legs: 0,
        unplaced: 0,
    };
    for case in cases {
        summary.cases += 1;
        for p in &case.places {
            match p.position() {
                Some(at) => {
                    features.push(point(case, p, at));
                    summary.places += 1;
                }
                None => summary.unplaced += 1,
            }
        }
        let at = |seq: u32| {
            case.places
                .iter()
                .find(|p| p.sequence == seq)
                .and_then(RoutePlace::position)
        };
        for leg in &case.legs {
            if let (Some(from), Some(to)) = (at(leg.from), at(leg.to)) {
                features.push(line(case, leg, from, to));
                summary.legs += 1;
            }
        }
    }
    let collection = json!({ "type": "FeatureCollection", "features": features });
    (collection, summary)
}

/// The FeatureCollection as the bytes of a `.geojson` file (UTF-8 JSON).
fn write(cases: &[CaseRoute]) -> Result<(Vec<u8>, GeojsonSummary)> {
    let (collection, summary) = feature_collection(cases);
    let mut bytes = serde_json::to_vec_pretty(&collection).map_err(|e| CoreError::Invalid {
        field: "geojson".into(),
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok((bytes, summary))
}

impl Workspace {
    /// The routes of [`Self::routes`] as a GeoJSON FeatureCollection for
    /// the team's analysts (see `geojson.rs` for what it holds), and what
    /// it holds; the export is audited.
    pub fn export_geojson(&mut self, options: &RoutesOptions) -> Result<(Vec<u8>, GeojsonSummary)> {
        let cases = self.route_cases(options)?;
        let (bytes, summary) = write(&cases)?;
        self.audit(
            "routes.export",
            &format!(
                "GeoJSON: {} cases, {} places, {} legs",
                summary.cases, summary.places, summary.legs
            ),
        )?;
        Ok((bytes, summary))
    }

    /// [`Self::export_geojson`], written to `file`.
    pub fn export_geojson_to(
        &mut self,
        options: &RoutesOptions,
        file: &Path,
    ) -> Result<GeojsonSummary> {
        let (bytes, summary) = self.export_geojson(options)?;
        std::fs::write(file, &bytes).map_err(|e| CoreError::file(file, &e))?;
        Ok(summary)
    }
}
