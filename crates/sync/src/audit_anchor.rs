//! Each device's audit log head, held by its peers.
//!
//! A vault's audit log is hash-chained and its head sealed under the vault
//! key, so entries cannot be changed, removed or reordered unnoticed. A
//! rollback of the whole vault folder to an older copy is consistent in
//! itself, though: only a copy of the head kept elsewhere can show it. So
//! before each bundle a device writes its head (entry count and hash) into
//! the team document, as a signed change of its own that every peer holds.
//! A vault rolled back behind a head its peers hold is found out when its
//! audit log is verified: the head it wrote before the rollback comes back
//! from a peer (and, being a change of its own key it never made, marks it
//! a copy, finding 5), and the log it holds is shorter, or not a prefix of
//! the log that head describes.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, Change, ObjType, ROOT, ReadDoc, Value};
use caravan_model::{Millis, Seg};

use crate::analyze::Write;
use crate::error::{SyncError, doc_err};
use crate::identity::DeviceId;
use crate::refusal::Refusal;
use crate::refusal::Rejection;
use crate::replica::Replica;
use crate::team::TEAM_DOC_ID;

/// The team-document map of every device's audit head.
pub(crate) const AUDIT_HEADS: &str = "audit_heads";

/// An audit log's head: how many entries it holds and the last one's hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditHead {
    pub entries: u64,
    pub hash: [u8; 32],
}

impl AuditHead {
    fn encode(&self) -> String {
        format!("v1:{}:{}", self.entries, hex::encode(self.hash))
    }

    fn decode(text: &str) -> Option<AuditHead> {
        let mut parts = text.split(':');
        if parts.next()? != "v1" {
            return None;
        }
        let entries = parts.next()?.parse().ok()?;
        let mut hash = [0u8; 32];
        hex::decode_to_slice(parts.next()?, &mut hash).ok()?;
        parts
            .next()
            .is_none()
            .then_some(AuditHead { entries, hash })
    }
}

/// A device writes only its own head: `audit_heads/<device>` names the
/// change's signer.
pub(crate) fn check_own_head(device: &DeviceId, writes: &[Write]) -> Result<(), Rejection> {
    let me = device.to_hex();
    let key = |i: usize, w: &Write| match w.path.0.get(i) {
        Some(Seg::Key(k)) => Some(k.clone()),
        _ => None,
    };
    for w in writes {
        if key(0, w).as_deref() == Some(AUDIT_HEADS) && key(1, w).is_some_and(|d| d != me) {
            return Err(Rejection::new(
                Refusal::FalseAttribution,
                "the change records another device's audit log head",
            ));
        }
    }
    Ok(())
}

/// Every head the team document records for `device` (all concurrent
/// values: a copy of the device may have written another).
fn heads_in(doc: &AutoCommit, device: &str) -> Vec<AuditHead> {
    let mut out = Vec::new();
    for (value, map) in doc.get_all(ROOT, AUDIT_HEADS).unwrap_or_default() {
        if !matches!(value, Value::Object(ObjType::Map)) {
            continue;
        }
        for (v, _) in doc.get_all(&map, device).unwrap_or_default() {
            out.extend(v.as_str().and_then(AuditHead::decode));
        }
    }
    out
}

/// Heads for `device` that a change writes, read from its operations alone
/// (a change refused here, or that depends on changes this device lacks,
/// still tells what its author recorded).
fn heads_written(change: &Change, device: &str) -> Vec<AuditHead> {
    let Some(decoded) = crate::analyze::decode_change(change) else {
        return Vec::new();
    };
    decoded
        .operations
        .iter()
        .filter(|op| matches!(&op.key, automerge::legacy::Key::Map(k) if k.as_str() == device))
        .filter_map(|op| match &op.action {
            automerge::legacy::OpType::Put(automerge::ScalarValue::Str(s)) => AuditHead::decode(s),
            _ => None,
        })
        .collect()
}

impl Replica {
    /// Records this device's audit head in the team document, if it holds
    /// more entries than the one recorded: one signed change, which goes
    /// out with the next bundle or session.
    pub fn record_audit_head(&mut self, head: AuditHead, at: Millis) -> Result<(), SyncError> {
        if self.copied {
            return Ok(());
        }
        let me = self.device().to_hex();
        let doc = self.team.automerge_mut();
        if heads_in(doc, &me).iter().any(|h| h.entries >= head.entries) {
            return Ok(());
        }
        let before = doc.get_heads();
        let map = match doc.get(ROOT, AUDIT_HEADS).map_err(doc_err)? {
            Some((Value::Object(ObjType::Map), id)) => id,
            _ => doc
                .put_object(ROOT, AUDIT_HEADS, ObjType::Map)
                .map_err(doc_err)?,
        };
        doc.put(&map, me.as_str(), head.encode()).map_err(doc_err)?;
        doc.commit_with(
            CommitOptions::default()
                .with_message("audit log head")
                .with_time(at.div_euclid(1000)),
        );
        self.sign_new(TEAM_DOC_ID, &before)
    }

    /// Every audit head of this device that its peers hold: the one in
    /// the team document, and those in changes of this device's own key
    /// that came back from a peer and were refused because this device
    /// never made them (`sync.own_actor_forged`: a restored or copied
    /// vault, see finding 5), their signature verified again here. A
    /// change under this device's name with a junk signature says nothing
    /// of its log. The log is checked against each of them.
    pub fn audit_anchors(&self) -> Vec<AuditHead> {
        let me = self.device();
        let hex = me.to_hex();
        let mut heads = heads_in(self.team.automerge(), &hex);
        for q in self.quarantine.values() {
            if q.doc_id != TEAM_DOC_ID || q.reason.code != Refusal::OwnActorForged.code() {
                continue;
            }
            let Ok(change) = Change::from_bytes(q.bytes.clone()) else {
                continue;
            };
            let signed = <[u8; 64]>::try_from(q.signature.as_slice()).is_ok_and(|sig| {
                crate::trust::signature_valid(&self.team_id, TEAM_DOC_ID, &change, &sig)
            });
            if signed && DeviceId::from_actor(change.actor_id()) == Some(me) {
                heads.extend(heads_written(&change, &hex));
            }
        }
        heads.sort_by_key(|h| (h.entries, h.hash));
        heads.dedup();
        heads
    }

    /// The longest of [`Replica::audit_anchors`].
    pub fn audit_anchor(&self) -> Option<AuditHead> {
        self.audit_anchors().into_iter().max_by_key(|h| h.entries)
    }
}
