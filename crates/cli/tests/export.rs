//! `caravan export geojson`: a case's route as GeoJSON for analysts —
//! valid, in route order, longitude first, the crossing flagged, no name —
//! and an unknown case refused with its code.

use serde_json::Value;

use crate::common::*;

fn event(
    inv: &Device,
    case: &str,
    kind: &str,
    date: &str,
    country: &str,
    at: Option<(&str, &str)>,
    more: &[&str],
) {
    let mut args = vec![
        "event",
        "add",
        case,
        "--kind",
        kind,
        "--date",
        date,
        "--place",
        "Canaryplace",
        "--country",
        country,
        "--description",
        "told by Canarynote",
    ];
    if let Some((lat, lon)) = at {
        args.extend_from_slice(&["--latitude", lat, "--longitude", lon]);
    }
    args.extend_from_slice(more);
    inv.ok(&args);
}

#[test]
fn a_route_is_written_as_geojson_points_and_legs_longitude_first_with_no_name() {
    let t = team();
    let inv = &t.inv;
    let case = new_case(inv, "2026-077");
    inv.ok(&person_add(
        &case,
        "victim",
        "V-1",
        "Canaryname Zzyzxova",
        &[],
    ));
    event(
        inv,
        &case,
        "exploitation",
        "2026-09-16",
        "KZ",
        Some(("43.201667", "76.623889")),
        &[],
    );
    event(
        inv,
        &case,
        "transit",
        "2026-09-14",
        "KZ",
        Some(("41.366389", "69.113611")),
        &[
            "--crosses-border",
            "--border-point",
            "Zhibek Zholy checkpoint",
            "--transport",
            "road",
        ],
    );
    event(
        inv,
        &case,
        "recruitment",
        "2026-08-20",
        "UZ",
        Some(("40.115833", "67.842222")),
        &[],
    );
    event(inv, &case, "transit", "2026-09-15", "KZ", None, &[]);

    let out = inv.path("routes.geojson");
    let summary = inv.json(&["export", "geojson", "--case", &case, "--out", s(&out)]);
    assert_eq!(summary["places"], 3);
    assert_eq!(summary["legs"], 2);
    assert_eq!(summary["unplaced"], 1);
    let text = std::fs::read_to_string(&out).unwrap();
    for canary in ["Canaryname", "Zzyzxova", "Canaryplace", "Canarynote"] {
        assert!(!text.contains(canary), "{canary} in {text}");
    }
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    let features = doc["features"].as_array().unwrap();
    let kinds: Vec<(&str, &str)> = features
        .iter()
        .map(|f| {
            (
                f["geometry"]["type"].as_str().unwrap(),
                f["properties"]["stage"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("Point", "recruitment"),
            ("Point", "transit"),
            ("Point", "exploitation"),
            ("LineString", "transit"),
            ("LineString", "exploitation"),
        ]
    );
    assert_eq!(
        features[0]["geometry"]["coordinates"],
        serde_json::json!([67.842222, 40.115833])
    );
    let crossing = &features[3]["properties"];
    assert_eq!(crossing["border_crossing"], true);
    assert_eq!(crossing["crossing_point"], "Zhibek Zholy checkpoint");
    assert_eq!(crossing["from_country"], "UZ");
    assert_eq!(crossing["case_number"], "2026-077");
    assert_logged(&inv.json(&["audit", "log"]), "routes.export");

    // Every case the member may see, printed as a line.
    let all = inv.path("all.geojson");
    let said = inv.ok(&["export", "geojson", "--out", s(&all)]);
    assert!(said.contains("GeoJSON written to"), "{said}");
    assert!(said.contains("places: 3"), "{said}");
}

#[test]
fn an_unknown_case_is_refused_with_its_code_and_no_file_is_written() {
    let t = team();
    let inv = &t.inv;
    new_case(inv, "2026-078");
    let out = inv.path("none.geojson");
    let (code, err) = inv.fail(&[
        "export",
        "geojson",
        "--case",
        "ffffffffffff",
        "--out",
        s(&out),
    ]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("ffffffffffff"), "{err}");
    assert!(!out.exists());
    // --out is required.
    let (code, _) = inv.fail(&["export", "geojson"]);
    assert_eq!(code, 2);
}
