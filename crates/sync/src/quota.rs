//! What one device may leave stored here. Held changes (waiting for
//! changes they build on) and quarantined ones (refused, kept for the
//! supervisor) stay until their dependencies arrive or for good; each is
//! charged to the device accountable for it, and a device over its quota
//! has no further changes kept (`sync.quota_exceeded`). Everything else
//! the same input carries still lands, and no device can make every
//! later import fail by filling the store.
//!
//! The accountable device is the change's author when the author's
//! signature checks out and the author is a device of the team: only that
//! device can have made it. Otherwise it is the device that sent it — the
//! bundle's sender or the session's peer, authenticated before anything
//! was read — because anyone can write a change under any actor id, and a
//! member relaying such changes would otherwise charge them to as many
//! made-up authors as it likes.

use std::collections::{BTreeMap, HashMap};

use crate::identity::DeviceId;
use crate::import::QuarantineNote;
use crate::team::TeamDoc;

/// Held and quarantined changes one device may have stored here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Changes, held and quarantined together.
    pub changes: usize,
    /// Their bytes together.
    pub bytes: usize,
    /// The largest single change kept: a stored row holds one change, and
    /// a vault record at most 16 MiB.
    pub change_bytes: usize,
    /// Bytes of proofs one author's changes may keep (`witness`).
    pub proof_bytes: usize,
}

/// 10,000 changes and 64 MiB per device. A member's offline work between
/// two exchanges is tens to hundreds of changes, mostly under a kilobyte
/// (attachments travel apart), so an honest device stays far below; at
/// the limits one device's rows cost 64 MiB of disk and one retry of its
/// held changes per import reads 10,000 changes, a fraction of a second.
pub const QUOTA: Quota = Quota {
    changes: 10_000,
    bytes: 64 << 20,
    change_bytes: 8 << 20,
    proof_bytes: crate::witness::MAX_PROOF_BYTES_PER_AUTHOR,
};

/// The device accountable for a change kept here (hex): its author if
/// `signed` (its signature checks out) and the author is a device of
/// `team` other than this one, else `sender`.
pub(crate) fn owner(
    author: Option<&str>,
    signed: bool,
    team: &TeamDoc,
    me: &DeviceId,
    sender: &DeviceId,
) -> String {
    match author {
        Some(a) if signed && a != me.to_hex() && team.devices.contains_key(a) => a.to_string(),
        _ => sender.to_hex(),
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Usage {
    changes: usize,
    bytes: usize,
}

/// Admits new held and quarantined changes against the quota of their
/// accountable devices.
pub(crate) struct Admission {
    quota: Quota,
    usage: HashMap<String, Usage>,
    /// (document, device) → the first change refused, how many, their bytes.
    refused: BTreeMap<(String, String), (String, usize, usize)>,
}

impl Admission {
    /// Starts from what is stored already: (owner, bytes) of every change
    /// kept, which stays whatever the quota says.
    pub(crate) fn new<'a>(quota: Quota, kept: impl Iterator<Item = (&'a str, usize)>) -> Self {
        let mut usage: HashMap<String, Usage> = HashMap::new();
        for (owner, bytes) in kept {
            let u = usage.entry(owner.to_string()).or_default();
            u.changes += 1;
            u.bytes += bytes;
        }
        Admission {
            quota,
            usage,
            refused: BTreeMap::new(),
        }
    }

    /// Whether a new change of `bytes` bytes, charged to `owner`, is kept.
    pub(crate) fn admit(&mut self, owner: &str, doc_id: &str, hash: &str, bytes: usize) -> bool {
        let q = self.quota;
        let u = self.usage.entry(owner.to_string()).or_default();
        if bytes <= q.change_bytes && u.changes < q.changes && u.bytes + bytes <= q.bytes {
            u.changes += 1;
            u.bytes += bytes;
            return true;
        }
        let r = self
            .refused
            .entry((doc_id.to_string(), owner.to_string()))
            .or_insert_with(|| (hash.to_string(), 0, 0));
        r.1 += 1;
        r.2 += bytes;
        false
    }

    /// One note per document and device whose changes were not kept.
    pub(crate) fn notes(self) -> Vec<QuarantineNote> {
        let q = self.quota;
        self.refused
            .into_iter()
            .map(|((doc_id, owner), (hash, count, bytes))| {
                let u = self.usage.get(&owner).copied().unwrap_or_default();
                QuarantineNote {
                    doc_id,
                    hash,
                    code: crate::refusal::Refusal::QuotaExceeded.code().into(),
                    message: format!(
                        "{count} change(s) ({bytes} bytes) charged to device {owner} were not kept: it already has {} changes ({} bytes) held or quarantined here, and a device may have at most {} changes, {} bytes, none over {} bytes; they arrive again with a later exchange",
                        u.changes, u.bytes, q.changes, q.bytes, q.change_bytes
                    ),
                }
            })
            .collect()
    }
}
