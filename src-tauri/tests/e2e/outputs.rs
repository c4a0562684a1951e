//! What the case file produces, in the real app on the demo's supervisor
//! vault (`caravan demo`): the court dossier of the demo case written to a
//! PDF, the routes on the map, the link chart of every case, and the
//! anonymised statistics from the dashboard. Screenshots: `dossier`,
//! `map`, `links`, `htcds-export` (docs/user-guide.md shows them).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use caravan_core::demo::DEMO_PASSPHRASE;
use serde_json::{Value, json};

use super::pages::*;
use super::webdriver::Driver;
use crate::util::wait_until;

/// The text of a PDF, as poppler's `pdftotext` reads it.
fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/test");
    assert!(out.status.success(), "pdftotext failed on {path:?}");
    String::from_utf8(out.stdout).unwrap()
}

pub fn round(app: &Path, display: &str, tmp: &Path) {
    let demo = tmp.join("demo");
    caravan_core::demo::run(&demo, 7, &mut Vec::new()).expect("the demo is made");
    let vault = demo.join("supervisor");
    let env = [
        ("CARAVAN_VAULT", vault.as_path()),
        ("CARAVAN_INSECURE_FAST_KDF", Path::new("1")),
    ];
    let d = Driver::start(app, display, &env);
    LockScreen(&d).unlock(DEMO_PASSPHRASE, &tid("nav-cases"));

    dossier(&d, tmp);
    map(&d);
    links(&d);
    statistics(&d, tmp);
    LockScreen(&d).lock();
}

/// The demo case's court dossier, in Russian, identities not revealed:
/// written where the path names it, a PDF whose text holds the case's
/// number and none of the victims' names.
fn dossier(d: &Driver, tmp: &Path) {
    let cases = Cases(d);
    cases.open();
    d.click(&tid("case-row"));
    let heading = d.wait_text(&tid("case-title-heading"), "the case's number", |t| {
        t.contains(" — ")
    });
    let reference = heading.split(" — ").next().unwrap().to_string();
    d.click(&tid("dossier-open"));
    d.find(&tid("dossier-dialog"));
    d.script(
        "const s = document.querySelector(\"[data-testid='dossier-language']\"); s.value = 'ru'; s.dispatchEvent(new Event('change'));",
        json!([]),
    );
    let pdf = tmp.join("dossier.pdf");
    d.type_into(&tid("dossier-path"), pdf.to_str().unwrap());
    d.screenshot("dossier");
    d.click(&tid("dossier-save"));
    d.wait_text(&tid("dossier-notice"), "the written dossier", |t| {
        !t.is_empty()
    });
    let bytes = std::fs::read(&pdf).expect("the app wrote the dossier it reported");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let text = pdf_text(&pdf);
    assert!(
        text.contains(&reference),
        "the case's number is not in the dossier"
    );
    assert!(text.contains("для суда"), "not in Russian");
    // The demo's victims, by the names the demo gives them: masked.
    for (cyrillic, latin) in caravan_core::demo::VICTIMS {
        assert!(
            !text.contains(cyrillic) && !text.contains(latin),
            "a masked name is in the dossier"
        );
    }
    d.click(".dialog-close");
    d.wait_gone(&tid("dossier-dialog"));
}

/// The routes of every case on the map of the region.
fn map(d: &Driver) {
    d.click(&tid("nav-map"));
    d.find(&tid("map-view"));
    d.find("path.map-place");
    d.find("path.map-crossing");
    d.screenshot("map");
}

/// The link chart of every case: drawn, and laid out in its worker.
fn links(d: &Driver) {
    d.click(&tid("nav-links"));
    d.find(&tid("links-chart"));
    let timings: Value = wait_until(
        "the link chart to be laid out",
        Duration::from_secs(90),
        || {
            let t = d.script("return window.__caravanLinkTimings ?? null", json!([]));
            (t["done"] == json!(true)).then_some(t)
        },
        || "its layout is still running".to_string(),
    );
    assert!(
        timings["nodes"].as_u64().unwrap_or(0) > 1,
        "an empty chart: {timings}"
    );
    d.screenshot("links");
}

/// The anonymised statistics, written into a new folder, and what k
/// suppressed shown.
fn statistics(d: &Driver, tmp: &Path) {
    d.click(&tid("nav-dashboard"));
    d.click(&tid("htcds-export"));
    d.find(&tid("htcds-dialog"));
    let folder = tmp.join("statistics");
    std::fs::create_dir(&folder).unwrap();
    d.type_into(&tid("htcds-folder"), folder.to_str().unwrap());
    d.click(&tid("htcds-write"));
    d.find(&tid("htcds-result"));
    d.screenshot("htcds-export");
    for file in [
        "victims.csv",
        "perpetrators.csv",
        "dictionary.csv",
        "suppression.json",
    ] {
        assert!(folder.join(file).exists(), "{file} was not written");
    }
    d.click(".dialog-close");
    d.wait_gone(&tid("htcds-dialog"));
}
