//! [`Vault`]'s methods for keyed records. What is stored, and how it is
//! encrypted, is `crate::keyed_records`'s; these open a transaction and keep the
//! session's caches.

use rusqlite::{OptionalExtension, params};
use zeroize::Zeroizing;

use crate::crypto::hex;
use crate::error::{RecordRef, Result, VaultError};
use crate::keyed_records::*;
use crate::secret::SecretBytes;
use crate::vault::Vault;

impl Vault {
    /// Stores (or replaces) a record.
    pub fn put_record(&mut self, kind: RecordKind, key: &[u8], value: &[u8]) -> Result<()> {
        self.with_tx(|tx, ctx| put_in_tx(tx, ctx, kind, key, value))
    }

    /// Reads a record.
    pub fn get_record(&self, kind: RecordKind, key: &[u8]) -> Result<Option<SecretBytes>> {
        let ctx = self.ctx();
        let t = tag(&ctx, kind, key);
        let ct: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT ct FROM records WHERE kind = ?1 AND tag = ?2")?
            .query_row(params![kind as u8, &t[..]], |r| r.get(0))
            .optional()?;
        let Some(ct) = ct else { return Ok(None) };
        let (k, v) = open_record(&ctx, kind, &t, &ct)?;
        if k != key {
            return Err(VaultError::CorruptRecord(rec(kind, &t)));
        }
        Ok(Some(v))
    }

    /// Deletes a record; true if it existed.
    pub fn delete_record(&mut self, kind: RecordKind, key: &[u8]) -> Result<bool> {
        self.with_tx(|tx, ctx| delete_in_tx(tx, ctx, kind, key))
    }

    /// All records of a kind as (key, value), in no particular order.
    pub fn list_records(&self, kind: RecordKind) -> Result<Vec<(Vec<u8>, SecretBytes)>> {
        let ctx = self.ctx();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT tag, ct FROM records WHERE kind = ?1")?;
        let mut rows = stmt.query([kind as u8])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let t: Vec<u8> = r.get(0)?;
            let ct: Vec<u8> = r.get(1)?;
            out.push(open_record(&ctx, kind, &t, &ct)?);
        }
        Ok(out)
    }

    /// This device's identity key material (opaque to the vault).
    pub fn set_device_identity(&mut self, secret: &SecretBytes) -> Result<()> {
        self.put_record(RecordKind::DeviceIdentity, b"", secret.expose())
    }
    /// This device's identity key material, if set.
    pub fn device_identity(&self) -> Result<Option<SecretBytes>> {
        self.get_record(RecordKind::DeviceIdentity, b"")
    }
    /// Stores the team key of an epoch.
    pub fn put_team_key(&mut self, epoch: u64, key: &SecretBytes) -> Result<()> {
        self.put_record(RecordKind::TeamKey, &epoch.to_be_bytes(), key.expose())
    }
    /// The team key of an epoch.
    pub fn team_key(&self, epoch: u64) -> Result<Option<SecretBytes>> {
        self.get_record(RecordKind::TeamKey, &epoch.to_be_bytes())
    }
    /// Known team-key epochs, ascending.
    pub fn team_key_epochs(&self) -> Result<Vec<u64>> {
        let mut v: Vec<u64> = self
            .list_records(RecordKind::TeamKey)?
            .into_iter()
            .filter_map(|(k, _)| {
                <[u8; 8]>::try_from(k.as_slice())
                    .ok()
                    .map(u64::from_be_bytes)
            })
            .collect();
        v.sort_unstable();
        Ok(v)
    }
    /// Stores the sync state for a peer.
    pub fn put_peer_sync_state(&mut self, peer: &[u8], state: &[u8]) -> Result<()> {
        self.put_record(RecordKind::PeerSyncState, peer, state)
    }
    /// The sync state for a peer.
    pub fn peer_sync_state(&self, peer: &[u8]) -> Result<Option<SecretBytes>> {
        self.get_record(RecordKind::PeerSyncState, peer)
    }
    /// Stores a change's signature (keyed by change hash).
    pub fn put_change_signature(&mut self, change_hash: &[u8; 32], signature: &[u8]) -> Result<()> {
        self.put_record(RecordKind::ChangeSignature, change_hash, signature)
    }
    /// A change's signature.
    pub fn change_signature(&self, change_hash: &[u8; 32]) -> Result<Option<Vec<u8>>> {
        Ok(self
            .get_record(RecordKind::ChangeSignature, change_hash)?
            .map(|s| s.expose().to_vec()))
    }
    /// Quarantines a change with its reason.
    pub fn quarantine_change(&mut self, q: &QuarantinedChange) -> Result<()> {
        let v = Zeroizing::new(
            serde_json::to_vec(q).map_err(|e| VaultError::InvalidInput(e.to_string()))?,
        );
        self.put_record(RecordKind::Quarantine, &q.change_hash, &v)
    }
    /// All quarantined changes.
    pub fn quarantined_changes(&self) -> Result<Vec<QuarantinedChange>> {
        self.list_records(RecordKind::Quarantine)?
            .into_iter()
            .map(|(k, v)| {
                serde_json::from_slice(v.expose()).map_err(|_| {
                    VaultError::CorruptRecord(RecordRef::new(
                        TABLE,
                        format!("Quarantine/{}", hex(&k)),
                    ))
                })
            })
            .collect()
    }
    /// Removes a change from quarantine; true if it was there.
    pub fn release_quarantined(&mut self, change_hash: &[u8; 32]) -> Result<bool> {
        self.delete_record(RecordKind::Quarantine, change_hash)
    }
}
