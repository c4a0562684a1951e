//! [`Vault`]'s methods for attachments. What is stored, and how it is
//! encrypted, is `crate::attachments`'s; these open a transaction and keep the
//! session's caches.

use std::io::{Read, Write};
use std::path::Path;

use rusqlite::params;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::attachments::*;
use crate::crypto::{aad, hex};
use crate::error::{Result, VaultError};
use crate::vault::Vault;

impl Vault {
    /// Streams `reader` into the vault as a new attachment, in one
    /// transaction (nothing is stored if anything fails, including going
    /// over the size limit). Memory use is one chunk, whatever the size.
    pub fn put_attachment(
        &mut self,
        file_name: &str,
        media_type: &str,
        reader: &mut dyn Read,
    ) -> Result<AttachmentInfo> {
        let limit = self.config.attachment_max_bytes;
        let id = AttachmentId(crate::crypto::random_array()?);
        let info = self.with_tx(|tx, ctx| {
            let mut hasher = Sha256::new();
            let mut buf = Zeroizing::new(vec![0u8; ATTACHMENT_CHUNK_SIZE]);
            let mut size: u64 = 0;
            let mut idx: u64 = 0;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO attachment_chunks(att_id, idx, ct) VALUES (?1, ?2, ?3)",
            )?;
            loop {
                let n = read_full(reader, &mut buf)?;
                if n == 0 {
                    break;
                }
                size += n as u64;
                if size > limit {
                    return Err(VaultError::AttachmentTooLarge { limit });
                }
                hasher.update(&buf[..n]);
                let ct = ctx
                    .cipher
                    .seal(&aad(ctx.vault_id, CHUNK_TABLE, &id.0, idx), &buf[..n])?;
                stmt.execute(params![&id.0[..], idx as i64, ct])?;
                idx += 1;
                if n < buf.len() {
                    break;
                }
            }
            let info = AttachmentInfo {
                id,
                file_name: file_name.to_owned(),
                media_type: media_type.to_owned(),
                size,
                sha256: hasher.finalize().into(),
                chunk_count: idx,
            };
            let pt = Zeroizing::new(
                serde_json::to_vec(&info).map_err(|e| VaultError::InvalidInput(e.to_string()))?,
            );
            let ct = ctx.cipher.seal(&aad(ctx.vault_id, TABLE, &id.0, 0), &pt)?;
            tx.execute(
                "INSERT INTO attachments(att_id, ct) VALUES (?1, ?2)",
                params![&id.0[..], ct],
            )?;
            Ok(info)
        })?;
        self.audit_note(
            "attachment.added",
            &format!("{id} sha256={}", hex(&info.sha256)),
        );
        tracing::info!(attachment = %id, size = info.size, "attachment stored");
        Ok(info)
    }

    /// Imports a file. Files over the limit are refused before reading.
    pub fn import_attachment_file(
        &mut self,
        path: &Path,
        media_type: &str,
    ) -> Result<AttachmentInfo> {
        let meta = std::fs::metadata(path)?;
        let limit = self.config.attachment_max_bytes;
        if meta.len() > limit {
            return Err(VaultError::AttachmentTooLarge { limit });
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut f = std::fs::File::open(path)?;
        self.put_attachment(&name, media_type, &mut f)
    }

    /// Metadata of an attachment.
    pub fn attachment_info(&self, id: &AttachmentId) -> Result<AttachmentInfo> {
        read_info(&self.conn, &self.ctx(), id)
    }

    /// All attachment ids.
    pub fn attachment_ids(&self) -> Result<Vec<AttachmentId>> {
        let ids = self.ids("SELECT att_id FROM attachments ORDER BY att_id")?;
        Ok(ids.into_iter().map(AttachmentId).collect())
    }

    /// Streams the decrypted attachment into `out`, then checks size,
    /// chunk count and SHA-256. On a mismatch the error comes after `out`
    /// received data: use [`Vault::export_attachment`] for files.
    pub fn read_attachment(
        &self,
        id: &AttachmentId,
        out: &mut dyn Write,
    ) -> Result<AttachmentInfo> {
        let ctx = self.ctx();
        let info = read_info(&self.conn, &ctx, id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT idx, ct FROM attachment_chunks WHERE att_id = ?1 ORDER BY idx",
        )?;
        let mut rows = stmt.query([&id.0[..]])?;
        let mut hasher = Sha256::new();
        let mut expect: u64 = 0;
        let mut size: u64 = 0;
        while let Some(r) = rows.next()? {
            let idx = r.get::<_, i64>(0)? as u64;
            if idx != expect {
                return Err(VaultError::CorruptRecord(chunk_rec(id, expect)));
            }
            let ct = r
                .get_ref(1)?
                .as_blob()
                .map_err(|_| VaultError::CorruptRecord(chunk_rec(id, idx)))?;
            let pt = ctx
                .cipher
                .open(&aad(ctx.vault_id, CHUNK_TABLE, &id.0, idx), ct, || {
                    chunk_rec(id, idx)
                })?;
            hasher.update(&pt[..]);
            size += pt.len() as u64;
            out.write_all(&pt)?;
            expect += 1;
        }
        if expect != info.chunk_count {
            return Err(VaultError::CorruptRecord(chunk_rec(id, expect)));
        }
        let digest: [u8; 32] = hasher.finalize().into();
        if size != info.size || digest != info.sha256 {
            return Err(VaultError::AttachmentHashMismatch);
        }
        Ok(info)
    }

    /// Exports to `dest`: streams the plaintext into a new temporary file
    /// beside it (a fresh name, made only if nothing is there, readable
    /// by the owner alone), verifies the hash, syncs, then renames it over
    /// `dest`. On any failure the temporary file is removed and nothing
    /// is left at `dest`: never a partial plaintext.
    pub fn export_attachment(&mut self, id: &AttachmentId, dest: &Path) -> Result<AttachmentInfo> {
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(dest.file_name().unwrap_or_default());
        tmp_name.push(format!(
            ".{}.caravan-partial",
            hex(&crate::crypto::random_array::<6>()?)
        ));
        let tmp = dest.with_file_name(tmp_name);
        let mut open = std::fs::OpenOptions::new();
        open.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
        // Only a file made here is ever removed.
        let file = open.open(&tmp)?;
        let res = (|| {
            let mut f = std::io::BufWriter::new(file);
            let info = self.read_attachment(id, &mut f)?;
            let f = f.into_inner().map_err(|e| e.into_error())?;
            f.sync_all()?;
            drop(f);
            std::fs::rename(&tmp, dest)?;
            Ok(info)
        })();
        match res {
            Ok(info) => {
                self.audit_note(
                    "attachment.exported",
                    &format!("{id} sha256={}", hex(&info.sha256)),
                );
                Ok(info)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(e)
            }
        }
    }

    /// Deletes an attachment and its chunks.
    pub fn delete_attachment(&mut self, id: &AttachmentId) -> Result<()> {
        self.with_tx(|tx, _| {
            let n = tx.execute("DELETE FROM attachments WHERE att_id = ?1", [&id.0[..]])?;
            if n == 0 {
                return Err(VaultError::NotFound(format!("attachment {id}")));
            }
            tx.execute(
                "DELETE FROM attachment_chunks WHERE att_id = ?1",
                [&id.0[..]],
            )?;
            Ok(())
        })?;
        self.audit_note("attachment.deleted", &id.to_string());
        Ok(())
    }
}
