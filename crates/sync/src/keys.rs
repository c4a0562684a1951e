//! Team keys: symmetric keys with an epoch number, sealed to each device.

use std::collections::BTreeMap;

use automerge::AutoCommit;
use zeroize::Zeroizing;

use crate::crypto::{open_from, random};
use crate::error::SyncError;
use crate::identity::{DeviceKeys, PublicDevice};
use crate::replica::Replica;
use crate::team::{KeyEpoch, TeamDoc, issued_keys, seal_for_device};

/// One epoch of the team key. Old epochs are kept so old bundles stay readable.
#[derive(Clone)]
pub struct TeamKey {
    pub epoch: u32,
    pub(crate) key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for TeamKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TeamKey(epoch {})", self.epoch)
    }
}

fn wrap_aad(epoch: u32, device: &PublicDevice) -> Vec<u8> {
    let mut aad = b"caravan/team-key/v1".to_vec();
    aad.extend_from_slice(&epoch.to_be_bytes());
    aad.extend_from_slice(&device.id.0);
    aad
}

impl TeamKey {
    pub fn generate(epoch: u32) -> Result<TeamKey, SyncError> {
        Ok(TeamKey {
            epoch,
            key: Zeroizing::new(random()?),
        })
    }

    pub fn from_bytes(epoch: u32, bytes: &[u8; 32]) -> TeamKey {
        TeamKey {
            epoch,
            key: Zeroizing::new(*bytes),
        }
    }

    /// Whether two keys are the same (epoch and secret), in constant time.
    pub fn same_key(&self, other: &TeamKey) -> bool {
        let diff = self
            .key
            .iter()
            .zip(other.key.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        self.epoch == other.epoch && std::hint::black_box(diff) == 0
    }

    /// The raw key, for the vault to store encrypted.
    pub fn secret_bytes(&self) -> &[u8; 32] {
        &self.key
    }

    /// Seals this key to a device (only that device can open it).
    pub fn seal_for(&self, device: &PublicDevice) -> Result<Vec<u8>, SyncError> {
        seal_for_device(device, &wrap_aad(self.epoch, device), self.key.as_ref())
    }

    /// Opens a key sealed to this device.
    pub fn open(epoch: u32, sealed: &[u8], me: &DeviceKeys) -> Option<TeamKey> {
        let plain = open_from(
            me.agreement_secret(),
            &wrap_aad(epoch, &me.public()),
            sealed,
        )?;
        let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
        Some(TeamKey::from_bytes(epoch, &bytes))
    }
}

/// Which team keys a device holds, and which it may use.
///
/// A team key is held only if an admin issued it: sealed to this device in
/// the team document (whose `key_epochs` only admins may write, checked at
/// merge like every change), generated here by an admin's own rotation
/// (which writes it there too), or handed over in a join package signed by
/// an admin (for epochs before this device was enrolled). A key that
/// arrives with a bundle header or a session Hello only decrypts that
/// input; it is never kept. Otherwise a member could plant the key of a
/// future epoch, and after its revocation and the rotation that follows,
/// devices that held its key would encrypt for it again.
impl Replica {
    /// Brings the held keys in line with the team document: every epoch
    /// sealed to this device there is held with the key sealed there
    /// (replacing any other, e.g. the losing side of two admins rotating at
    /// once); keys of epochs the team document does not have are dropped.
    /// Keys of epochs before this device's enrolment (from its join
    /// package, sealed only to older devices) are kept.
    pub(crate) fn settle_keys(&mut self, team: &TeamDoc) {
        let me = self.device().to_hex();
        let epochs: BTreeMap<u32, &KeyEpoch> = team
            .key_epochs
            .iter()
            .filter_map(|(e, k)| Some((e.parse().ok()?, k)))
            .collect();
        self.team_keys.retain(|e, _| epochs.contains_key(e));
        for (epoch, entry) in epochs {
            let Some(key) = entry
                .wraps
                .get(&me)
                .and_then(|w| hex::decode(w).ok())
                .and_then(|w| TeamKey::open(epoch, &w, &self.keys))
            else {
                continue;
            };
            if !self.team_keys.get(&epoch).is_some_and(|k| k.same_key(&key)) {
                self.team_keys.insert(epoch, key);
            }
        }
    }

    /// Judges a key that came with an input (`what`), once the input's own
    /// team changes have passed their checks (`team_doc`). It stands if an
    /// admin issued it to this device for its epoch; it contradicts the
    /// team if the team document or a held key says that epoch's key is
    /// another one (`sync.forged_key`: nothing of the input is kept). With
    /// no key of that epoch known here it decrypts this input only: the
    /// changes inside are judged like any others, and the key is dropped.
    pub(crate) fn judge_input_key(
        &self,
        team_doc: &AutoCommit,
        key: &TeamKey,
        what: &'static str,
    ) -> Result<(), SyncError> {
        let issued = issued_keys(team_doc, key.epoch, &self.keys);
        if issued.iter().any(|k| k.same_key(key)) {
            return Ok(());
        }
        let held = self.team_keys.get(&key.epoch);
        if !issued.is_empty() || held.is_some_and(|k| !k.same_key(key)) {
            tracing::warn!(
                epoch = key.epoch,
                what,
                "an input carried a team key no admin issued"
            );
            return Err(SyncError::ForgedKey {
                what,
                epoch: key.epoch,
            });
        }
        Ok(())
    }

    /// The key to read an input with: the held key of its epoch, then the
    /// one the input carries sealed to this device (`offered`, opened only
    /// if needed). `open` decrypts with a candidate; returns what it gave
    /// and, when the offered key was the one that worked, that key (to be
    /// judged by `judge_input_key`, never kept).
    pub(crate) fn read_with<T>(
        &self,
        epoch: u32,
        offered: impl FnOnce() -> Option<TeamKey>,
        what: &'static str,
        mut open: impl FnMut(&TeamKey) -> Option<T>,
    ) -> Result<(T, Option<TeamKey>), SyncError> {
        let held = self.team_keys.get(&epoch);
        if let Some(out) = held.and_then(&mut open) {
            return Ok((out, None));
        }
        let Some(offered) = offered().filter(|k| k.epoch == epoch) else {
            return Err(match held {
                Some(_) => SyncError::BadSignature { what },
                None => SyncError::NoKey { epoch },
            });
        };
        if held.is_some_and(|k| k.same_key(&offered)) {
            return Err(SyncError::BadSignature { what });
        }
        let out = open(&offered).ok_or(SyncError::BadSignature { what })?;
        Ok((out, Some(offered)))
    }
}
