//! Full scan: tries to authenticate every encrypted row and reports every
//! record that fails (a vault "fsck").

use crate::crypto::{aad, hex};
use crate::docs::DocId;
use crate::error::{RecordRef, Result, VaultError};
use crate::keyed_records::RecordKind;
use crate::vault::Vault;

/// The record an opening found damaged; any other failure is not the
/// scan's to report.
fn damaged<T>(opened: Result<T>) -> Option<RecordRef> {
    match opened {
        Err(VaultError::CorruptRecord(x)) => Some(x),
        _ => None,
    }
}

impl Vault {
    /// Authenticates every encrypted row; returns the damaged ones (empty
    /// when the vault is intact). Also checks the audit chain head.
    pub fn check_records(&self) -> Result<Vec<RecordRef>> {
        let ctx = self.ctx();
        let mut bad = self.scan_rows("SELECT doc_id, seq, ct FROM doc_chunks", |r| {
            let d: Vec<u8> = r.get(0)?;
            let seq: i64 = r.get(1)?;
            let ct: Vec<u8> = r.get(2)?;
            let rr = || RecordRef::new(crate::docs::TABLE, format!("{}#{seq}", hex(&d)));
            Ok(match <[u8; 16]>::try_from(d.as_slice()) {
                Ok(a) => damaged(ctx.cipher.open(
                    &crate::docs::chunk_aad(&ctx, &DocId(a), seq),
                    &ct,
                    rr,
                )),
                Err(_) => Some(rr()),
            })
        })?;
        bad.extend(self.list_cases_uncached()?);
        bad.extend(self.scan_rows("SELECT att_id, ct FROM attachments", |r| {
            let id: Vec<u8> = r.get(0)?;
            let ct: Vec<u8> = r.get(1)?;
            let table = crate::attachments::TABLE;
            Ok(damaged(ctx.cipher.open(
                &aad(ctx.vault_id, table, &id, 0),
                &ct,
                || RecordRef::new(table, hex(&id)),
            )))
        })?);
        bad.extend(
            self.scan_rows("SELECT att_id, idx, ct FROM attachment_chunks", |r| {
                let id: Vec<u8> = r.get(0)?;
                let idx: i64 = r.get(1)?;
                let ct: Vec<u8> = r.get(2)?;
                let table = crate::attachments::CHUNK_TABLE;
                Ok(damaged(ctx.cipher.open(
                    &aad(ctx.vault_id, table, &id, idx as u64),
                    &ct,
                    || RecordRef::new(table, format!("{}#{idx}", hex(&id))),
                )))
            })?,
        );
        bad.extend(self.scan_rows("SELECT kind, tag, ct FROM records", |r| {
            let k: u8 = r.get(0)?;
            let t: Vec<u8> = r.get(1)?;
            let ct: Vec<u8> = r.get(2)?;
            Ok(match RecordKind::ALL.iter().find(|x| **x as u8 == k) {
                Some(kind) => damaged(crate::keyed_records::open_record(&ctx, *kind, &t, &ct)),
                None => Some(RecordRef::new(
                    crate::keyed_records::TABLE,
                    format!("kind{k}/{}", hex(&t)),
                )),
            })
        })?);
        if let Err(VaultError::AuditTampered(p)) = self.audit_verify() {
            bad.push(RecordRef::new(crate::audit::TABLE, p.to_string()));
        }
        Ok(bad)
    }

    fn list_cases_uncached(&self) -> Result<Vec<RecordRef>> {
        let ctx = self.ctx();
        self.scan_rows("SELECT doc_id, ct FROM case_index", |r| {
            let id: Vec<u8> = r.get(0)?;
            let ct: Vec<u8> = r.get(1)?;
            Ok(match <[u8; 16]>::try_from(id.as_slice()) {
                Ok(a) => damaged(crate::index::decode(&ctx, &DocId(a), &ct)),
                Err(_) => Some(RecordRef::new(crate::index::TABLE, hex(&id))),
            })
        })
    }

    /// The damaged records among the rows `sql` selects, as `check` finds
    /// each row.
    fn scan_rows(
        &self,
        sql: &str,
        mut check: impl FnMut(&rusqlite::Row<'_>) -> Result<Option<RecordRef>>,
    ) -> Result<Vec<RecordRef>> {
        let mut bad = Vec::new();
        let mut stmt = self.conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            bad.extend(check(r)?);
        }
        Ok(bad)
    }
}
