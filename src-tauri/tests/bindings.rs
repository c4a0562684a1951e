//! The UI's TypeScript types are generated from the DTOs and the error
//! codes; this fails when `ui/src/lib/bindings/` is stale.
//! `UPDATE_BINDINGS=1 cargo test -p caravan-desktop --test integration
//! bindings` rewrites them.

use std::path::PathBuf;

#[test]
fn typescript_bindings_are_current() {
    let cfg = ts_rs::Config::new().with_large_int("number");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings");
    let update = std::env::var_os("UPDATE_BINDINGS").is_some();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    let mut bindings = caravan_desktop::dto::typescript_bindings(&cfg).unwrap();
    bindings.push((
        "ErrorCode.ts".into(),
        caravan_desktop::codes::typescript_binding(),
    ));
    for (file, ts) in bindings {
        let path = dir.join(&file);
        if update {
            std::fs::write(&path, &ts).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(ts.as_str()) {
            stale.push(file);
        }
    }
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
