#![allow(dead_code)]
//! Shared helpers for the integration tests.

use std::path::Path;

use caravan_vault::automerge::transaction::Transactable;
use caravan_vault::automerge::{Automerge, AutomergeError, ChangeHash, ROOT, ReadDoc, ScalarValue};
use caravan_vault::*;

pub const PASS: &str = "correct horse battery staple";

pub fn pw() -> Passphrase {
    Passphrase::from(PASS)
}

pub fn create(dir: &Path) -> (Vault, RecoveryCode) {
    Vault::create(dir, &pw(), &CreateParams::insecure_fast_for_tests()).unwrap()
}

/// A new vault in a temporary folder, which lives as long as the folder.
pub fn new_vault() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let (v, _) = create(dir.path());
    (dir, v)
}

pub fn unlock(dir: &Path) -> Result<Vault> {
    Vault::unlock_with_options(dir, &pw(), &UnlockOptions::insecure_fast_for_tests())
}

pub fn put(doc: &mut Automerge, key: &str, val: impl Into<ScalarValue>) {
    let v = val.into();
    doc.transact::<_, _, AutomergeError>(|tx| {
        tx.put(ROOT, key, v.clone())?;
        Ok(())
    })
    .unwrap();
}

/// Puts each `(key, value)` into `doc` and saves it after each, so that
/// every value is a chunk of its own; returns the heads saved last.
pub fn save_each<V: Into<ScalarValue>>(
    v: &mut Vault,
    id: &DocId,
    doc: &mut Automerge,
    values: impl IntoIterator<Item = (String, V)>,
) -> Vec<ChangeHash> {
    let mut heads = vec![];
    for (key, value) in values {
        put(doc, &key, value);
        heads = v.save_doc(id, doc, &heads).unwrap();
    }
    heads
}

pub fn get_str(doc: &Automerge, key: &str) -> Option<String> {
    doc.get(ROOT, key)
        .unwrap()
        .and_then(|(v, _)| v.into_string().ok())
}

pub fn get_i64(doc: &Automerge, key: &str) -> Option<i64> {
    match doc.get(ROOT, key).unwrap() {
        Some((caravan_vault::automerge::Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Int(i) => Some(*i),
            _ => None,
        },
        _ => None,
    }
}

pub fn entry(id: DocId, title: &str, terms: &[&str], t: i64) -> CaseIndexEntry {
    CaseIndexEntry {
        case_id: id,
        title: title.into(),
        reference: format!("KZ-{}", id.to_hex()[..6].to_uppercase()),
        stage: "identification".into(),
        status: "open".into(),
        assignees: vec!["investigator-1".into()],
        updated_at_ms: t,
        search_terms: terms.iter().map(|s| s.to_string()).collect(),
        jurisdiction: "KZ".into(),
        open_task_dues: Vec::new(),
        open_international_deadlines: Vec::new(),
        measure_ends: Vec::new(),
        progress_percent: 0,
        conflicts: 0,
        dashboard: Default::default(),
        layout: 0,
    }
}

/// Every file in the folder (recursively), as (name, bytes).
pub fn all_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}
