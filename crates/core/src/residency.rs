//! Which cases the workspace keeps in memory.
//!
//! Unlock reads no case: the list, search and dashboard answer from the
//! encrypted index (`index.rs`). A case is read from the vault the first
//! time an action names it (`find_case` loads it) and stays while it is
//! among the most recently used; past `RESIDENT_BYTES` of stored case
//! bytes, the least recently used saved cases are dropped from memory.
//! An exchange (export, import, revocation, the quarantine review, a join
//! approval) loads every case and signature first, as the sync layer
//! requires, and the next save lets them go again.

use std::collections::{BTreeMap, HashMap};

/// Stored (encrypted, compressed) bytes of the cases kept in memory by
/// default (`OpenOptions::resident_bytes`). A
/// case takes several times its stored size once loaded; at this cap a
/// day's work (hundreds of typical cases) stays in memory and a supervisor
/// holding ten thousand keeps well under the memory of a field laptop.
pub(crate) const RESIDENT_BYTES: u64 = 8 << 20;

/// Least recently used order of the cases in memory.
#[derive(Debug)]
pub(crate) struct Residency {
    cap: u64,
    tick: u64,
    /// Case → (last use, stored bytes).
    used: HashMap<String, (u64, u64)>,
    by_use: BTreeMap<u64, String>,
    bytes: u64,
}

impl Residency {
    pub(crate) fn with_cap(cap: u64) -> Residency {
        Residency {
            cap,
            tick: 0,
            used: HashMap::new(),
            by_use: BTreeMap::new(),
            bytes: 0,
        }
    }

    pub(crate) fn touch(&mut self, case: &str, bytes: Option<u64>) {
        self.tick += 1;
        let entry = self.used.entry(case.to_string()).or_insert((0, 0));
        self.by_use.remove(&entry.0);
        entry.0 = self.tick;
        if let Some(b) = bytes {
            self.bytes = self.bytes - entry.1 + b;
            entry.1 = b;
        }
        self.by_use.insert(self.tick, case.to_string());
    }

    /// Offers the least recently used cases to `unload` while their stored
    /// bytes are past the cap; the case used last always stays, whatever
    /// its size. A case `unload` keeps (not saved yet) keeps its place.
    pub(crate) fn evict(&mut self, mut unload: impl FnMut(&str) -> bool) {
        let mut kept = Vec::new();
        while self.bytes > self.cap && self.by_use.len() > 1 {
            let Some((tick, case)) = self.by_use.pop_first() else {
                break;
            };
            if unload(&case) {
                if let Some((_, bytes)) = self.used.remove(&case) {
                    self.bytes -= bytes;
                }
            } else {
                kept.push((tick, case));
            }
        }
        self.by_use.extend(kept);
    }

    pub(crate) fn clear(&mut self) {
        *self = Residency::with_cap(self.cap);
    }
}
