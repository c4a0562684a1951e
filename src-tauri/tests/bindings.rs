//! The UI's TypeScript types are generated from the DTOs; this fails when
//! `ui/src/lib/bindings/` is stale. `UPDATE_BINDINGS=1 cargo test -p
//! caravan-desktop --test integration bindings` rewrites them.

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
    for (file, ts) in caravan_desktop::dto::typescript_bindings(&cfg).unwrap() {
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
