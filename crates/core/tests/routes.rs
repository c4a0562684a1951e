//! Routes on the map and their GeoJSON export: places in route order, legs
//! between placed events with their border crossing, exact decimal
//! degrees, nothing that names a person, and nothing of a case the member
//! may not see.

use caravan_core::model::places::degrees;
use caravan_core::model::{EventKind, Role, TransportMode};
use caravan_core::view::PersonKind;
use caravan_core::*;
use serde_json::Value;

use crate::util::*;

const CANARY_NAME: &str = "Canaryname Zzyzxova";
const CANARY_PLACE: &str = "flat of Canaryplace";
const CANARY_NOTE: &str = "told by Canarynote";

fn event(kind: EventKind, date: Option<&str>, country: &str, at: Option<(f64, f64)>) -> EventInput {
    EventInput {
        kind,
        date: date.map(|d| d.parse().unwrap()),
        place: CANARY_PLACE.into(),
        country: Some(country.into()),
        description: CANARY_NOTE.into(),
        person_ids: vec![],
        latitude: at.map(|a| a.0),
        longitude: at.map(|a| a.1),
        crosses_border: None,
        border_point: None,
        transport: None,
    }
}

/// A case whose route runs Jizzakh (UZ) → Zhibek Zholy (crossing into KZ)
/// → a place with no coordinates → Kaskelen, recorded out of order.
fn route_case(ws: &mut Workspace) -> CaseId {
    let case = open_case(ws, "KZ-2026-31", "Kaskelen greenhouses");
    let v = ws
        .add_person(
            &case,
            PersonInput::new(PersonKind::Victim, "V-1", CANARY_NAME),
        )
        .unwrap();
    let mut exploited = event(
        EventKind::Exploitation,
        Some("2026-09-16"),
        "kz",
        Some((43.201667, 76.623889)),
    );
    exploited.person_ids = vec![v.clone()];
    exploited.transport = Some(TransportMode::Road);
    ws.add_event(&case, exploited).unwrap();
    let mut crossing = event(
        EventKind::Transit,
        Some("2026-09-14"),
        "KZ",
        Some((41.366389, 69.113611)),
    );
    crossing.crosses_border = Some(true);
    crossing.border_point = Some("Zhibek Zholy checkpoint".into());
    crossing.transport = Some(TransportMode::Road);
    crossing.person_ids = vec![v];
    ws.add_event(&case, crossing).unwrap();
    ws.add_event(
        &case,
        event(EventKind::Transit, Some("2026-09-15"), "KZ", None),
    )
    .unwrap();
    ws.add_event(
        &case,
        event(
            EventKind::Recruitment,
            Some("2026-08-20"),
            "UZ",
            Some((40.115833, 67.842222)),
        ),
    )
    .unwrap();
    case
}

fn features<'a>(doc: &'a Value, geometry: &str) -> Vec<&'a Value> {
    doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["geometry"]["type"] == geometry)
        .collect()
}

#[test]
fn a_route_runs_in_stage_and_date_order_with_its_crossing_on_the_leg_it_crosses() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let case = route_case(&mut inv);
    let routes = inv
        .routes(&RoutesOptions {
            case: Some(case.clone()),
        })
        .unwrap();
    assert_eq!(routes.cases.len(), 1);
    let r = &routes.cases[0];
    assert_eq!(r.reference, "KZ-2026-31");
    let order: Vec<_> = r
        .places
        .iter()
        .map(|p| (p.sequence, p.stage, p.country.as_deref().unwrap()))
        .collect();
    assert_eq!(
        order,
        vec![
            (1, EventKind::Recruitment, "UZ"),
            (2, EventKind::Transit, "KZ"),
            (3, EventKind::Transit, "KZ"),
            (4, EventKind::Exploitation, "KZ"),
        ]
    );
    // The third place has no coordinates: listed, and the route passes
    // from the crossing straight to Kaskelen.
    assert_eq!(r.places[2].position(), None);
    assert_eq!(r.places[1].position(), Some([69.113611, 41.366389]));
    let legs: Vec<_> = r.legs.iter().map(|l| (l.from, l.to)).collect();
    assert_eq!(legs, vec![(1, 2), (2, 4)]);
    let crossing = &r.legs[0];
    assert_eq!(crossing.crosses_border, Some(true));
    assert_eq!(
        crossing.border_point.as_deref(),
        Some("Zhibek Zholy checkpoint")
    );
    assert_eq!(
        (
            crossing.from_country.as_deref(),
            crossing.to_country.as_deref()
        ),
        (Some("UZ"), Some("KZ"))
    );
    assert_eq!(r.legs[1].crosses_border, None);
    assert_eq!(r.legs[1].transport, Some(TransportMode::Road));
    // Opening the map is audited.
    let last = inv.audit_log(Some(1)).unwrap();
    assert_eq!(last[0].action, "routes.open");
}

#[test]
fn the_geojson_export_is_a_feature_collection_of_points_and_legs_in_longitude_latitude_order() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let case = route_case(&mut inv);
    let out = dir.path().join("routes.geojson");
    let summary = inv
        .export_geojson_to(&RoutesOptions { case: None }, &out)
        .unwrap();
    assert_eq!(
        (
            summary.cases,
            summary.places,
            summary.legs,
            summary.unplaced
        ),
        (1, 3, 2, 1)
    );
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    for f in doc["features"].as_array().unwrap() {
        assert_eq!(f["type"], "Feature");
        let g = &f["geometry"];
        let positions: Vec<&Value> = match g["type"].as_str().unwrap() {
            "Point" => vec![&g["coordinates"]],
            "LineString" => g["coordinates"].as_array().unwrap().iter().collect(),
            other => panic!("unexpected geometry {other}"),
        };
        for p in positions {
            let p = p.as_array().unwrap();
            assert_eq!(p.len(), 2);
            let (lon, lat) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
            assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
            // Every place of this route lies east of 60°E, north of 40°N:
            // longitude first.
            assert!(lon > 60.0 && lat > 40.0 && lat < 45.0, "{lon}, {lat}");
        }
        assert_eq!(f["properties"]["case_number"], "KZ-2026-31");
    }
    let points = features(&doc, "Point");
    assert_eq!(points.len(), 3);
    let first = &points[0]["properties"];
    assert_eq!(first["stage"], "recruitment");
    assert_eq!(first["date"], "2026-08-20");
    assert_eq!(first["country"], "UZ");
    assert_eq!(first["sequence"], 1);
    assert_eq!(points[0]["geometry"]["coordinates"][0], 67.842222);
    let lines = features(&doc, "LineString");
    assert_eq!(lines.len(), 2);
    let crossing = &lines[0]["properties"];
    assert_eq!(crossing["border_crossing"], true);
    assert_eq!(crossing["crossing_point"], "Zhibek Zholy checkpoint");
    assert_eq!(crossing["transport"], "road");
    assert_eq!(crossing["from_country"], "UZ");
    assert_eq!(crossing["country"], "KZ");
    assert_eq!(
        lines[0]["geometry"]["coordinates"],
        serde_json::json!([[67.842222, 40.115833], [69.113611, 41.366389]])
    );
    assert_eq!(lines[1]["properties"]["border_crossing"], Value::Null);
    // Every feature holds the same, documented properties.
    let keys = |f: &Value| -> Vec<String> {
        f["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(
        keys(points[0]),
        [
            "border_crossing",
            "case_number",
            "country",
            "crossing_point",
            "date",
            "feature",
            "sequence",
            "stage",
            "transport"
        ]
    );
    assert_eq!(
        keys(lines[0]),
        [
            "border_crossing",
            "case_number",
            "country",
            "crossing_point",
            "date",
            "feature",
            "from_country",
            "from_sequence",
            "stage",
            "to_sequence",
            "transport"
        ]
    );
    let _ = case;
    let last = inv.audit_log(Some(1)).unwrap();
    assert_eq!(last[0].action, "routes.export");
}

#[test]
fn no_name_place_name_or_description_reaches_the_routes_or_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    route_case(&mut inv);
    let (bytes, _) = inv.export_geojson(&RoutesOptions::default()).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let view = serde_json::to_string(&inv.routes(&RoutesOptions::default()).unwrap()).unwrap();
    for canary in ["Canaryname", "Zzyzxova", "Canaryplace", "Canarynote", "V-1"] {
        assert!(!text.contains(canary), "{canary} in the GeoJSON");
        assert!(!view.contains(canary), "{canary} in the routes");
    }
    // Nor a person's record id.
    let case = inv.list_cases(&CaseFilter::default()).unwrap().cases[0]
        .id
        .clone();
    let shown = inv.show_case(&case).unwrap();
    for p in &shown.people {
        assert!(!text.contains(p.id.as_str()));
    }
    for audit in inv.audit_log(None).unwrap() {
        assert!(!audit.detail.contains("Canary"));
    }
}

#[test]
fn a_stored_microdegree_is_written_as_its_exact_decimal() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    let case = open_case(&mut inv, "KZ-7", "Degrees");
    // Extremes, a microdegree each side of zero, and values whose binary
    // form is inexact.
    let micro: [(i64, i64); 8] = [
        (90_000_000, 180_000_000),
        (-90_000_000, -180_000_000),
        (1, -1),
        (-1, 1),
        (43_238_949, 76_889_709),
        (41_366_389, 69_113_611),
        (-33_868_800, 151_209_300),
        (10_000_001, 179_999_999),
    ];
    for (lat, lon) in micro {
        inv.add_event(
            &case,
            event(
                EventKind::Transit,
                None,
                "KZ",
                Some((degrees(lat), degrees(lon))),
            ),
        )
        .unwrap();
    }
    let (bytes, summary) = inv
        .export_geojson(&RoutesOptions {
            case: Some(case.clone()),
        })
        .unwrap();
    assert_eq!(summary.places, 8);
    let text = String::from_utf8(bytes).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let mut written: Vec<(i64, i64)> = features(&doc, "Point")
        .iter()
        .map(|f| {
            let c = &f["geometry"]["coordinates"];
            (
                exact_micro(&c[1].to_string()),
                exact_micro(&c[0].to_string()),
            )
        })
        .collect();
    let mut expected = micro.to_vec();
    written.sort();
    expected.sort();
    assert_eq!(written, expected);
    // Away from the equator and the prime meridian the text is the plain
    // decimal, digit for digit.
    assert!(text.contains("43.238949") && text.contains("76.889709"));
    assert!(text.contains("-33.8688") && text.contains("179.999999"));
}

/// The value of a JSON number's text, in whole microdegrees, read as a
/// decimal (no floating point): panics unless it is exactly a whole number
/// of microdegrees.
fn exact_micro(number: &str) -> i64 {
    let (mantissa, exp) = match number.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap()),
        None => (number, 0),
    };
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: i128 = format!("{whole}{frac}").parse().unwrap();
    // The value is digits × 10^(exp − frac digits); in microdegrees, × 10^6.
    let mut shift = exp - frac.len() as i32 + 6;
    while shift > 0 {
        digits *= 10;
        shift -= 1;
    }
    while shift < 0 {
        assert_eq!(
            digits % 10,
            0,
            "{number} is not a whole number of microdegrees"
        );
        digits /= 10;
        shift += 1;
    }
    let micro = i64::try_from(digits).unwrap();
    if negative { -micro } else { micro }
}

#[test]
fn a_member_without_access_to_a_case_gets_none_of_its_places() {
    let dirs = tempfile::tempdir().unwrap();
    let (mut admin, mut inv) = admin_and_investigator(dirs.path());
    let mut dana = enrol(
        &mut admin,
        &dirs.path().join("dana"),
        "Dana",
        Role::Investigator,
    );
    let case = route_case(&mut inv);
    let own = open_case(&mut dana, "KZ-40", "Dana's own");
    dana.add_event(
        &own,
        event(EventKind::Exploitation, None, "KZ", Some((43.25, 76.95))),
    )
    .unwrap();
    swap(&mut inv, &mut admin);
    let (dana_id, _) = dana.me().unwrap();
    admin.grant(&case, &dana_id, true).unwrap();
    swap(&mut admin, &mut dana);
    let all = dana.routes(&RoutesOptions::default()).unwrap();
    assert_eq!(all.cases.len(), 2);
    // The case is taken from her: it stays on her device, its route does not
    // reach her map nor her file.
    admin.grant(&case, &dana_id, false).unwrap();
    swap(&mut admin, &mut dana);
    let all = dana.routes(&RoutesOptions::default()).unwrap();
    let refs: Vec<_> = all.cases.iter().map(|c| c.reference.as_str()).collect();
    assert_eq!(refs, ["KZ-40"]);
    let (bytes, summary) = dana.export_geojson(&RoutesOptions::default()).unwrap();
    assert_eq!((summary.cases, summary.places), (1, 1));
    assert!(!String::from_utf8(bytes).unwrap().contains("KZ-2026-31"));
    let one = RoutesOptions {
        case: Some(case.clone()),
    };
    assert_eq!(dana.routes(&one).unwrap_err().code(), "core.no_case_access");
    assert_eq!(
        dana.export_geojson(&one).unwrap_err().code(),
        "core.no_case_access"
    );
    // A supervisor sees every case the device holds.
    let all = admin.routes(&RoutesOptions::default()).unwrap();
    assert!(all.cases.iter().any(|c| c.reference == "KZ-2026-31"));
}

#[test]
fn an_unknown_case_is_refused_with_its_code_and_writes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let (_admin, mut inv) = admin_and_investigator(dir.path());
    route_case(&mut inv);
    let out = dir.path().join("none.geojson");
    let err = inv
        .export_geojson_to(
            &RoutesOptions {
                case: Some("ffffffffffff".into()),
            },
            &out,
        )
        .unwrap_err();
    assert_eq!(err.code(), "core.not_found");
    assert!(!out.exists());
    // A folder that does not exist: the file error, nothing written.
    let err = inv
        .export_geojson_to(
            &RoutesOptions::default(),
            &dir.path().join("missing").join("r.geojson"),
        )
        .unwrap_err();
    assert_eq!(err.code(), "core.file");
}
