//! Routes through the window: the map's command takes its options typed,
//! the GeoJSON export writes only to a new `.geojson` (or `.json`) file the
//! user names or the save dialog returned, and a bad case is refused by
//! its code.

use serde_json::{Value, json};

use crate::shell::{PASS, enrol, founder, shell_in};

#[test]
fn the_map_reads_routes_and_the_export_writes_a_new_geojson_file() {
    // An investigator's vault (who records events), beside the admin's.
    let dir = tempfile::Builder::new()
        .prefix("caravan-shell")
        .tempdir()
        .unwrap();
    let mut admin = founder(&dir.path().join("admin"));
    enrol(
        &mut admin,
        &dir.path().join("vault"),
        "Aibek",
        caravan_core::model::Role::Investigator,
    );
    admin.lock();
    let s = shell_in(dir);
    s.ok("unlock", json!({ "passphrase": PASS }));
    let case = s.ok(
        "create_case",
        json!({ "case": { "reference": "KZ-9", "title": "Greenhouses", "jurisdiction": "KZ" } }),
    );
    let case = case.as_str().unwrap();
    let event = |kind: &str, lat: Value, lon: Value, crosses: Value| {
        json!({ "case_id": case, "event": {
            "kind": kind, "date": "2026-09-14", "place": "Zhibek Zholy", "country": "KZ",
            "description": "", "person_ids": [], "latitude": lat, "longitude": lon,
            "crosses_border": crosses, "border_point": null, "transport": "road" } })
    };
    s.ok(
        "add_event",
        event(
            "recruitment",
            json!(40.115833),
            json!(67.842222),
            Value::Null,
        ),
    );
    s.ok(
        "add_event",
        event("transit", json!(41.366389), json!(69.113611), json!(true)),
    );
    s.ok(
        "add_event",
        event("exploitation", Value::Null, Value::Null, Value::Null),
    );

    let routes = s.ok("routes", json!({ "options": { "case": null } }));
    let route = &routes["cases"][0];
    assert_eq!(route["reference"], "KZ-9");
    assert_eq!(route["places"].as_array().unwrap().len(), 3);
    assert_eq!(route["places"][2]["latitude"], Value::Null);
    assert_eq!(route["legs"][0]["crosses_border"], true);
    let one = s.ok("routes", json!({ "options": { "case": case } }));
    assert_eq!(one["cases"].as_array().unwrap().len(), 1);
    assert_eq!(
        s.code("routes", json!({ "options": { "case": "ffffffffffff" } })),
        "core.not_found"
    );

    let out = s.dir().join("routes.geojson");
    let summary = s.ok(
        "export_geojson",
        json!({ "options": { "case": case }, "path": out }),
    );
    assert_eq!(
        (&summary["places"], &summary["legs"], &summary["unplaced"]),
        (&json!(2), &json!(1), &json!(1))
    );
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    // A typed path never replaces a file, must be absolute and a GeoJSON
    // file, and never lies in the vault's folder.
    for path in [
        json!(out),
        json!("routes-2.geojson"),
        json!(s.dir().join("routes.txt")),
        json!(s.dir().join("vault").join("r.geojson")),
    ] {
        assert_eq!(
            s.code(
                "export_geojson",
                json!({ "options": { "case": null }, "path": path }),
            ),
            "app.path_refused",
            "{path}"
        );
    }
    assert!(!s.dir().join("routes.txt").exists());
}
