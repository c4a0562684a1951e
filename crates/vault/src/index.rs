//! Encrypted per-case index: what the case list and search need, without
//! loading every document. The application core fills [`CaseIndexEntry`].
//!
//! Search is a plain substring match of an **already normalised** query
//! against **already normalised** `search_terms` (and title/reference, which
//! the caller should also put into `search_terms` in normalised form).
//! Normalisation and transliteration (case folding, Cyrillic/Latin, ...)
//! belong to the caller; the vault does no Unicode processing.

use std::collections::BTreeMap;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::crypto::Ctx;
use crate::crypto::aad;
use crate::docs::DocId;
use crate::error::{RecordRef, Result, VaultError};

pub(crate) const TABLE: &str = "case_index";
/// Largest accepted serialized index entry (bytes).
pub const MAX_INDEX_ENTRY_BYTES: usize = 64 * 1024;

/// One case's index entry (all fields are encrypted at rest).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct CaseIndexEntry {
    #[zeroize(skip)]
    pub case_id: DocId,
    pub title: String,
    pub reference: String,
    pub stage: String,
    pub status: String,
    pub assignees: Vec<String>,
    /// Milliseconds since the Unix epoch.
    pub updated_at_ms: i64,
    /// Normalised search terms (names, aliases, places, ...).
    pub search_terms: Vec<String>,
    /// ISO 3166-1 alpha-2 code of the case's jurisdiction.
    #[serde(default)]
    pub jurisdiction: String,
    /// Due dates (ISO 8601) of the case's open tasks, for overdue badges.
    #[serde(default)]
    pub open_task_dues: Vec<String>,
    /// Deadlines (ISO 8601) of the case's open international requests,
    /// for overdue badges (absent from entries written before they were
    /// kept: see `layout`).
    #[serde(default)]
    pub open_international_deadlines: Vec<String>,
    /// Last days (ISO 8601) of the case's preventive measures not lifted,
    /// for their alert (absent from entries of layout 2 and before).
    #[serde(default)]
    pub measure_ends: Vec<String>,
    /// Required checklist items resolved, 0–100.
    #[serde(default)]
    pub progress_percent: u8,
    /// Fields with concurrent values waiting for a decision.
    #[serde(default)]
    pub conflicts: u32,
    /// What the supervisor's dashboard reads of the case (absent from
    /// entries written before it was kept: see `layout`).
    #[serde(default)]
    pub dashboard: DashboardFacts,
    /// Which fields the entry holds: the application rebuilds entries of an
    /// older layout from their documents.
    #[serde(default)]
    pub layout: u32,
}

/// A case's figures for the dashboard and the overdue report (no `Debug`:
/// task titles can name people).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, Zeroize)]
pub struct DashboardFacts {
    /// Required checklist items, and those done or not applicable.
    pub required: u32,
    pub required_resolved: u32,
    /// The prosecutor's requests still open.
    pub open_requests: u32,
    pub stages: Vec<IndexStage>,
    /// Tasks not done yet.
    pub open_tasks: Vec<IndexTask>,
}

/// One stage's checklist progress (ids as the application spells them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Zeroize)]
pub struct IndexStage {
    pub stage: String,
    pub status: String,
    pub items: u32,
    pub done: u32,
    pub not_applicable: u32,
    pub required: u32,
    pub required_resolved: u32,
}

/// A task not done yet. Titles can name people: encrypted like the rest,
/// never printed.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, Zeroize)]
pub struct IndexTask {
    pub id: String,
    pub title: String,
    /// ISO 8601 date.
    pub due: Option<String>,
    /// Member id.
    pub assignee: Option<String>,
}

impl std::fmt::Debug for CaseIndexEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Titles and search terms can hold victims' names: never print them.
        f.debug_struct("CaseIndexEntry")
            .field("case_id", &self.case_id)
            .field("fields", &"<redacted>")
            .finish()
    }
}

/// The case list: readable entries, plus the records that could not be
/// read (each named; the rest of the list is unaffected).
#[derive(Debug, Clone, Default)]
pub struct CaseListing {
    pub entries: Vec<CaseIndexEntry>,
    pub corrupt: Vec<RecordRef>,
}

pub(crate) struct IndexCache {
    pub(crate) entries: BTreeMap<DocId, CaseIndexEntry>,
    pub(crate) corrupt: Vec<RecordRef>,
}

fn rec(id: &DocId) -> RecordRef {
    RecordRef::new(TABLE, id.to_hex())
}

pub(crate) fn decode(ctx: &Ctx<'_>, id: &DocId, ct: &[u8]) -> Result<CaseIndexEntry> {
    let pt = ctx
        .cipher
        .open(&aad(ctx.vault_id, TABLE, &id.0, 0), ct, || rec(id))?;
    let e: CaseIndexEntry =
        serde_json::from_slice(&pt).map_err(|_| VaultError::CorruptRecord(rec(id)))?;
    if e.case_id != *id {
        return Err(VaultError::CorruptRecord(rec(id)));
    }
    Ok(e)
}

/// The stored (encrypted) index rows: `(doc_id, ct)`.
pub(crate) struct IndexRows(Vec<(Vec<u8>, Vec<u8>)>);

/// Below this many entries the index is decrypted on the calling thread.
const PARALLEL_MIN_ENTRIES: usize = 1024;

impl IndexRows {
    pub(crate) fn read(conn: &rusqlite::Connection) -> Result<Self> {
        let mut stmt = conn.prepare_cached("SELECT doc_id, ct FROM case_index")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Self(rows))
    }

    /// Decrypts every entry; the work is split over the available cores
    /// (each record is independent: one AEAD open + JSON parse).
    pub(crate) fn decrypt(self, ctx: &Ctx<'_>) -> Result<IndexCache> {
        let rows = self.0;
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        let per = rows.len().div_ceil(threads).max(PARALLEL_MIN_ENTRIES);
        let decode_part = |part: &[(Vec<u8>, Vec<u8>)]| {
            part.iter()
                .map(|(idb, ct)| decode_row(ctx, idb, ct))
                .collect::<Vec<_>>()
        };
        let mut parts = rows.chunks(per);
        let first = parts.next().unwrap_or_default();
        let decoded: Vec<Vec<_>> = std::thread::scope(|s| {
            let others: Vec<_> = parts.map(|p| s.spawn(move || decode_part(p))).collect();
            let mut all = vec![decode_part(first)];
            for h in others {
                all.push(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            }
            all
        });
        let mut entries = BTreeMap::new();
        let mut corrupt = Vec::new();
        for r in decoded.into_iter().flatten() {
            match r {
                Ok(e) => {
                    entries.insert(e.case_id, e);
                }
                Err(VaultError::CorruptRecord(rr)) => corrupt.push(rr),
                Err(e) => return Err(e),
            }
        }
        Ok(IndexCache { entries, corrupt })
    }
}

fn decode_row(ctx: &Ctx<'_>, idb: &[u8], ct: &[u8]) -> Result<CaseIndexEntry> {
    let Ok(arr) = <[u8; 16]>::try_from(idb) else {
        return Err(VaultError::CorruptRecord(RecordRef::new(
            TABLE,
            crate::crypto::hex(idb),
        )));
    };
    decode(ctx, &DocId(arr), ct)
}

pub(crate) fn put_in_tx(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Ctx<'_>,
    entry: &CaseIndexEntry,
) -> Result<()> {
    let pt = Zeroizing::new(
        serde_json::to_vec(entry).map_err(|e| VaultError::InvalidInput(e.to_string()))?,
    );
    if pt.len() > MAX_INDEX_ENTRY_BYTES {
        return Err(VaultError::InvalidInput(format!(
            "index entry is larger than {MAX_INDEX_ENTRY_BYTES} bytes"
        )));
    }
    let id = entry.case_id;
    let ct = ctx.cipher.seal(&aad(ctx.vault_id, TABLE, &id.0, 0), &pt)?;
    tx.prepare_cached("INSERT OR REPLACE INTO case_index(doc_id, ct) VALUES (?1, ?2)")?
        .execute(params![&id.0[..], ct])?;
    Ok(())
}
