//! The audit log: every action on case data, hash-chained in the vault.

use serde::Serialize;

use crate::error::Result;
use crate::workspace::Workspace;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditRow {
    pub seq: u64,
    pub at_ms: i64,
    pub actor: String,
    pub actor_name: String,
    pub action: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditCheck {
    pub entries: u64,
    pub head: String,
}

impl Workspace {
    /// The newest `limit` entries (all with `None`), oldest first.
    pub fn audit_log(&self, limit: Option<usize>) -> Result<Vec<AuditRow>> {
        let names = self.names().unwrap_or_default();
        let all = self.vault.audit_entries()?;
        let skip = limit.map_or(0, |l| all.len().saturating_sub(l));
        Ok(all
            .into_iter()
            .skip(skip)
            .map(|e| AuditRow {
                seq: e.seq,
                at_ms: e.at_ms,
                actor_name: names.name_of(&e.actor),
                actor: e.actor.clone(),
                action: e.action.clone(),
                detail: e.detail.clone(),
            })
            .collect())
    }

    /// Verifies the whole chain; names the first entry that was modified,
    /// deleted, reordered or truncated, and checks the log against the head
    /// of it that other devices hold (a vault rolled back to an older copy
    /// holds fewer entries, or other ones).
    pub fn audit_verify(&mut self) -> Result<AuditCheck> {
        let anchors: Vec<(u64, [u8; 32])> = self
            .replica
            .as_ref()
            .map(|r| r.audit_anchors())
            .unwrap_or_default()
            .into_iter()
            .map(|h| (h.entries, h.hash))
            .collect();
        let v = self.vault.audit_verify_anchored(&anchors)?;
        self.audit("audit.verify", &format!("{} entries verified", v.entries))?;
        Ok(AuditCheck {
            entries: v.entries,
            head: hex::encode(v.head_hash),
        })
    }
}
