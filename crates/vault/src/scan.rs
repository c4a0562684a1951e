//! Full scan: tries to authenticate every encrypted row and reports every
//! record that fails (a vault "fsck").

use crate::crypto::aad;
use crate::docs::DocId;
use crate::error::{RecordRef, Result, VaultError};
use crate::keyed_records::RecordKind;
use crate::vault::Vault;

impl Vault {
    /// Authenticates every encrypted row; returns the damaged ones (empty
    /// when the vault is intact). Also checks the audit chain head.
    pub fn check_records(&self) -> Result<Vec<RecordRef>> {
        let ctx = self.ctx();
        let mut bad = Vec::new();
        let mut stmt = self
            .conn
            .prepare("SELECT doc_id, seq, ct FROM doc_chunks")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let d: Vec<u8> = r.get(0)?;
            let seq: i64 = r.get(1)?;
            let ct: Vec<u8> = r.get(2)?;
            let rr = || {
                RecordRef::new(
                    crate::docs::TABLE,
                    format!("{}#{seq}", crate::crypto::hex(&d)),
                )
            };
            match <[u8; 16]>::try_from(d.as_slice()) {
                Ok(a) => {
                    if let Err(VaultError::CorruptRecord(x)) =
                        ctx.cipher
                            .open(&crate::docs::chunk_aad(&ctx, &DocId(a), seq), &ct, rr)
                    {
                        bad.push(x)
                    }
                }
                Err(_) => bad.push(rr()),
            }
        }
        drop(rows);
        drop(stmt);
        bad.extend(self.list_cases_uncached()?);
        let mut stmt = self.conn.prepare("SELECT att_id, ct FROM attachments")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: Vec<u8> = r.get(0)?;
            let ct: Vec<u8> = r.get(1)?;
            let rr = || RecordRef::new(crate::attachments::TABLE, crate::crypto::hex(&id));
            if let Err(VaultError::CorruptRecord(x)) = ctx.cipher.open(
                &aad(ctx.vault_id, crate::attachments::TABLE, &id, 0),
                &ct,
                rr,
            ) {
                bad.push(x)
            }
        }
        drop(rows);
        drop(stmt);
        let mut stmt = self
            .conn
            .prepare("SELECT att_id, idx, ct FROM attachment_chunks")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: Vec<u8> = r.get(0)?;
            let idx: i64 = r.get(1)?;
            let ct: Vec<u8> = r.get(2)?;
            let rr = || {
                RecordRef::new(
                    crate::attachments::CHUNK_TABLE,
                    format!("{}#{idx}", crate::crypto::hex(&id)),
                )
            };
            if let Err(VaultError::CorruptRecord(x)) = ctx.cipher.open(
                &aad(
                    ctx.vault_id,
                    crate::attachments::CHUNK_TABLE,
                    &id,
                    idx as u64,
                ),
                &ct,
                rr,
            ) {
                bad.push(x)
            }
        }
        drop(rows);
        drop(stmt);
        let mut stmt = self.conn.prepare("SELECT kind, tag, ct FROM records")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let k: u8 = r.get(0)?;
            let t: Vec<u8> = r.get(1)?;
            let ct: Vec<u8> = r.get(2)?;
            match RecordKind::ALL.iter().find(|x| **x as u8 == k) {
                Some(kind) => {
                    if let Err(VaultError::CorruptRecord(x)) =
                        crate::keyed_records::open_record(&ctx, *kind, &t, &ct)
                    {
                        bad.push(x)
                    }
                }
                None => bad.push(RecordRef::new(
                    crate::keyed_records::TABLE,
                    format!("kind{k}/{}", crate::crypto::hex(&t)),
                )),
            }
        }
        drop(rows);
        drop(stmt);
        if let Err(VaultError::AuditTampered(p)) = self.audit_verify() {
            bad.push(RecordRef::new(crate::audit::TABLE, p.to_string()));
        }
        Ok(bad)
    }

    fn list_cases_uncached(&self) -> Result<Vec<RecordRef>> {
        let ctx = self.ctx();
        let mut bad = Vec::new();
        let mut stmt = self.conn.prepare("SELECT doc_id, ct FROM case_index")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: Vec<u8> = r.get(0)?;
            let ct: Vec<u8> = r.get(1)?;
            match <[u8; 16]>::try_from(id.as_slice()) {
                Ok(a) => {
                    if let Err(VaultError::CorruptRecord(x)) =
                        crate::index::decode(&ctx, &DocId(a), &ct)
                    {
                        bad.push(x)
                    }
                }
                Err(_) => bad.push(RecordRef::new(crate::index::TABLE, crate::crypto::hex(&id))),
            }
        }
        Ok(bad)
    }
}
