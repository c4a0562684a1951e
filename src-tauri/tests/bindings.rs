//! The UI's TypeScript types are generated from the core's contract and
//! the shell's own types; this fails when `ui/src/lib/bindings/` is stale
//! (a file differs, is missing or is left over).
//! `UPDATE_BINDINGS=1 cargo test -p caravan-desktop --test integration
//! bindings` rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn ts_files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let text = std::fs::read_to_string(e.path()).ok()?;
            name.ends_with(".ts").then_some((name, text))
        })
        .collect()
}

#[test]
fn typescript_bindings_are_current() {
    let fresh = tempfile::tempdir().unwrap();
    let cfg = ts_rs::Config::new()
        .with_large_int("number")
        .with_out_dir(fresh.path());
    caravan_desktop::dto::export_typescript(&cfg).unwrap();
    let generated = ts_files(fresh.path());
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for old in ts_files(&dir)
            .keys()
            .filter(|f| !generated.contains_key(*f))
        {
            std::fs::remove_file(dir.join(old)).unwrap();
        }
        for (file, text) in &generated {
            std::fs::write(dir.join(file), text).unwrap();
        }
    }
    let committed = ts_files(&dir);
    let stale: std::collections::BTreeSet<&String> = generated
        .keys()
        .chain(committed.keys())
        .filter(|f| generated.get(*f) != committed.get(*f))
        .collect();
    assert!(
        stale.is_empty(),
        "stale TypeScript bindings {stale:?}: run UPDATE_BINDINGS=1 cargo test -p caravan-desktop --test integration bindings"
    );
}

/// The UI translates `error.<code>`: every code a command can fail with
/// needs a message in English and in Russian (Uzbek falls back to
/// English).
#[test]
fn every_error_code_has_an_english_and_a_russian_message() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/i18n");
    for lang in ["en", "ru"] {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.json"))).unwrap();
        let messages: std::collections::HashMap<String, String> =
            serde_json::from_str(&text).unwrap();
        let missing: Vec<_> = caravan_desktop::codes::error_codes()
            .into_iter()
            .filter(|c| !messages.contains_key(&format!("error.{c}")))
            .collect();
        assert!(missing.is_empty(), "no {lang} message for {missing:?}");
    }
}
