//! The session frame on the wire: layout, checks before anything is
//! verified, the direction binding, and the changes inside a sync message.
//!
//! ```text
//! magic "CRVNSESS" | version u16 BE | len u32 BE (bytes that follow)
//! | team_id[16] | epoch u32 BE | sender[32] | counter u64 BE
//! | plain_len u32 BE | plain (postcard key wraps; Hello only)
//! | body: nonce[24] || XChaCha20-Poly1305(postcard Body) | signature[64]
//! ```
//! Each frame is signed by its sender over every byte before the signature
//! followed by the direction binding (zero in a Hello; afterwards a hash of
//! team, both nonces and both device ids, sender first), which is also part
//! of the AEAD's associated data: a frame cannot be replayed into another
//! session or reflected back to its sender.

use std::collections::HashMap;

use automerge::sync::{ChunkList, Message};
use automerge::{AutoCommit, Change, ChangeHash};
use serde::{Deserialize, Serialize};

use crate::bundle::Inflation;
use crate::case_keys::Wrap;
use crate::chunk::{self, Budget};
use crate::crypto;
use crate::error::{SyncError, doc_err};
use crate::identity::{DeviceId, DeviceKeys};
use crate::import::QuarantineNote;
use crate::keys::TeamKey;
use crate::replica::Replica;
use crate::team::{TeamDoc, TeamId, epoch_key};
use crate::vouch::{Voucher, vouch};

pub const MAGIC: &[u8; 8] = b"CRVNSESS";
/// 4: a case message's plaintext is compressed (zstd, stating its size)
/// before it is sealed, and a message for a peer that holds none of a
/// document carries the whole document with plain columns instead of its
/// changes; a reader takes frames of versions 2 and 3 too.
/// 3: a message carries, for each author, signatures of the author's
/// newest changes in it, which vouch for what they build on (`vouch`);
/// a reader takes frames of version 2 too (every change signed).
/// 2: each case's messages under its case key.
pub const VERSION: u16 = 4;
/// The first version whose case messages are compressed.
pub(crate) const COMPRESSED_SINCE: u16 = 4;
/// Largest frame, counted from the byte after `len`.
pub const MAX_FRAME: u32 = 64 << 20;
/// Bytes a stream reader needs before `frame_len` can tell a frame's length.
pub const PREFIX_LEN: usize = 14;
pub(super) const MAX_PLAIN: u32 = 1 << 20;
/// What the compressed parts of one frame (its body and every case message
/// in it) may expand to together.
pub(crate) const MAX_INFLATED: u64 = 256 << 20;
/// What the body of a Hello or a Proof may expand to: a few fields. A Hello
/// binds no peer yet, so a refused one ends nothing; it must not cost more
/// than it says.
pub(crate) const MAX_HANDSHAKE_INFLATED: u64 = 64 << 10;
/// team_id, epoch, sender, counter, plain_len.
pub(super) const FIXED: usize = 16 + 4 + 32 + 8 + 4;
pub(super) const SEAL_OVERHEAD: usize = 24 + 16;
pub(super) const WHAT: &str = "session frame";
pub(crate) const HELLO_BINDING: [u8; 32] = [0; 32];

#[derive(Serialize, Deserialize)]
pub(crate) enum Body {
    Hello(Hello),
    Proof {
        #[serde(with = "serde_bytes")]
        signature: Vec<u8>,
    },
    Sync {
        docs: Vec<DocMessage>,
    },
    /// Version 4's Proof: also a digest of what the sender recorded the
    /// receiver to hold of the cases (`holdings`).
    ProofHolding {
        #[serde(with = "serde_bytes")]
        signature: Vec<u8>,
        holdings: [u8; 32],
    },
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Hello {
    pub(crate) team_id: TeamId,
    pub(crate) device: DeviceId,
    pub(crate) epoch: u32,
    pub(crate) nonce: [u8; 32],
}

#[derive(Serialize, Deserialize)]
pub(crate) struct DocMessage {
    pub(crate) doc_id: String,
    /// An encoded `automerge::sync::Message`.
    #[serde(with = "serde_bytes")]
    pub(crate) message: Vec<u8>,
    /// Signatures that vouch for every change the message carries: its
    /// own, or its author's of a later change in the message that builds
    /// on it (`vouch`).
    pub(crate) signatures: Vec<ChangeSig>,
    /// For a case: the id of the case key that `message` is sealed under
    /// (with the signatures inside it, see [`DocMessage::seal`]).
    pub(crate) key_id: Option<[u8; 16]>,
}

/// What a case's sealed message holds.
#[derive(Serialize, Deserialize)]
struct CaseMessage {
    #[serde(with = "serde_bytes")]
    message: Vec<u8>,
    signatures: Vec<ChangeSig>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct ChangeSig {
    pub(crate) hash: [u8; 32],
    #[serde(with = "serde_bytes")]
    pub(crate) signature: Vec<u8>,
}

/// The length of the frame starting with `prefix` (at least `PREFIX_LEN`
/// bytes), so a stream reader knows how much to read; `None` if the prefix
/// is still too short.
pub fn frame_len(prefix: &[u8]) -> Result<Option<usize>, SyncError> {
    if prefix.len() < PREFIX_LEN {
        return Ok(None);
    }
    let len = preamble(prefix)?;
    Ok(Some(PREFIX_LEN + len as usize))
}

/// Checks magic, version and length; returns the length that follows.
fn preamble(frame: &[u8]) -> Result<u32, SyncError> {
    if frame.len() < 8 || &frame[..8] != MAGIC {
        return Err(malformed("it does not start with CRVNSESS"));
    }
    if frame.len() < PREFIX_LEN {
        return Err(SyncError::Truncated {
            what: WHAT,
            detail: "the preamble is cut short",
        });
    }
    let version = u16::from_be_bytes([frame[8], frame[9]]);
    if version > VERSION {
        return Err(SyncError::FutureVersion {
            what: WHAT,
            found: version,
        });
    }
    if version == 0 {
        return Err(malformed("version 0 does not exist"));
    }
    let len = u32::from_be_bytes([frame[10], frame[11], frame[12], frame[13]]);
    if len > MAX_FRAME {
        return Err(SyncError::TooLarge {
            what: WHAT,
            detail: format!("{len} bytes, at most {MAX_FRAME}"),
        });
    }
    Ok(len)
}

pub(super) fn malformed(detail: impl Into<String>) -> SyncError {
    SyncError::Malformed {
        what: WHAT,
        detail: detail.into(),
    }
}

/// A frame whose framing was checked; nothing verified yet.
pub(crate) struct Frame<'a> {
    pub(crate) version: u16,
    pub(crate) team_id: TeamId,
    pub(crate) epoch: u32,
    pub(crate) sender: DeviceId,
    pub(crate) counter: u64,
    pub(crate) plain: &'a [u8],
    pub(crate) body_start: usize,
    pub(crate) sig_start: usize,
}

pub(crate) fn parse(frame: &[u8]) -> Result<Frame<'_>, SyncError> {
    let len = preamble(frame)? as usize;
    if frame.len() < PREFIX_LEN + len {
        return Err(SyncError::Truncated {
            what: WHAT,
            detail: "the frame is cut short",
        });
    }
    if frame.len() > PREFIX_LEN + len {
        return Err(malformed("there are bytes after the signature"));
    }
    if len < FIXED + SEAL_OVERHEAD + 64 {
        return Err(malformed("the frame is too short to hold a body"));
    }
    let f = &frame[PREFIX_LEN..];
    let arr = |at: usize, n: usize| &f[at..at + n];
    let plain_len = u32::from_be_bytes(arr(60, 4).try_into().unwrap_or([0xff; 4]));
    if plain_len > MAX_PLAIN {
        return Err(SyncError::TooLarge {
            what: WHAT,
            detail: format!("key wraps of {plain_len} bytes"),
        });
    }
    let body_start = PREFIX_LEN + FIXED + plain_len as usize;
    let sig_start = frame.len() - 64;
    if body_start + SEAL_OVERHEAD > sig_start {
        return Err(malformed("the key wraps overrun the body"));
    }
    let mut team = [0u8; 16];
    team.copy_from_slice(arr(0, 16));
    let mut sender = [0u8; 32];
    sender.copy_from_slice(arr(20, 32));
    Ok(Frame {
        version: u16::from_be_bytes([frame[8], frame[9]]),
        team_id: TeamId(team),
        epoch: u32::from_be_bytes(arr(16, 4).try_into().unwrap_or([0; 4])),
        sender: DeviceId(sender),
        counter: u64::from_be_bytes(arr(52, 8).try_into().unwrap_or([0xff; 8])),
        plain: &frame[PREFIX_LEN + FIXED..body_start],
        body_start,
        sig_start,
    })
}

/// Binds a frame to one direction of one session.
pub(crate) fn binding(
    team: &TeamId,
    from: (&DeviceId, &[u8; 32]),
    to: (&DeviceId, &[u8; 32]),
) -> [u8; 32] {
    crypto::sha256(&[
        b"caravan/session/v1\0",
        &team.0,
        from.1,
        to.1,
        &from.0.0,
        &to.0.0,
    ])
}

/// What a device signs to prove it holds its key: the verifier's fresh
/// nonce, bound to both nonces and both devices.
pub(super) fn proof_message(
    team: &TeamId,
    prover: (&DeviceId, &[u8; 32]),
    verifier: (&DeviceId, &[u8; 32]),
) -> Vec<u8> {
    let mut m = b"caravan/session-proof/v1\0".to_vec();
    for part in [
        &team.0[..],
        verifier.1,
        prover.1,
        &verifier.0.0,
        &prover.0.0,
    ] {
        m.extend_from_slice(part);
    }
    m
}

/// The changes of a sync message this device is about to send about
/// `doc`, for their signatures. A chunk of a V1 message is one change; a
/// chunk of a V2 message is a run of storage chunks, each a change or (when
/// Automerge chooses to send everything) a whole saved document. A whole
/// document is sent again with plain columns (`save_nocompress`): a
/// receiver reads no DEFLATE, which it could not bound before inflating
/// (`chunk::read_document`); the frame is compressed as a whole instead.
pub(super) fn outgoing_changes(
    msg: &mut Message,
    doc: &mut AutoCommit,
) -> Result<Vec<Change>, SyncError> {
    let mut out = Vec::new();
    let mut whole = false;
    'chunks: for chunk in msg.changes.iter() {
        for one in chunk::split(chunk).map_err(|e| malformed(e.detail()))? {
            if chunk::is_document(one) {
                whole = true;
                break 'chunks;
            }
            out.push(Change::from_bytes(one.to_vec()).map_err(doc_err)?);
        }
    }
    if whole {
        msg.changes = ChunkList::from(vec![doc.save_nocompress()]);
        return Ok(doc.get_changes(&[]));
    }
    Ok(out)
}

/// Whether an encoded Bloom filter (`entries`, `bits per entry`, `probes`,
/// then the bits) is one Automerge can probe safely: empty, or with at
/// least one bit per entry and a modest number of probes (it sends 10, 7).
fn sane_bloom(bytes: &[u8]) -> bool {
    if bytes.is_empty() {
        return true;
    }
    let Some((entries, a)) = uleb128(bytes) else {
        return false;
    };
    let Some((per_entry, b)) = uleb128(&bytes[a..]) else {
        return false;
    };
    let Some((probes, _)) = uleb128(&bytes[a + b..]) else {
        return false;
    };
    entries > 0 && per_entry > 0 && (1..=64).contains(&probes)
}

/// Reads an unsigned LEB128 number; returns it and the bytes it took.
fn uleb128(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut value: u64 = 0;
    for (i, b) in bytes.iter().take(10).enumerate() {
        let bits = u64::from(b & 0x7f);
        value |= bits
            .checked_shl(7 * i as u32)
            .filter(|v| v >> (7 * i as u32) == bits)?;
        if b & 0x80 == 0 {
            return Some((usize::try_from(value).ok()?, i + 1));
        }
    }
    None
}

/// Changes paired with what vouches for each.
pub(crate) type SignedChanges = Vec<(Change, Voucher)>;

impl DocMessage {
    /// This case message sealed under the case's current key; `None` when
    /// this device holds no key it may send the case under.
    pub(crate) fn seal(self, replica: &Replica) -> Result<Option<DocMessage>, SyncError> {
        let inner = zeroize::Zeroizing::new(
            postcard::to_stdvec(&CaseMessage {
                message: self.message,
                signatures: self.signatures,
            })
            .map_err(doc_err)?,
        );
        let inner = crate::bundle::compress(&inner)?;
        Ok(replica
            .seal_case(&self.doc_id, &inner)?
            .map(|(key_id, sealed)| DocMessage {
                doc_id: self.doc_id,
                message: sealed,
                signatures: Vec::new(),
                key_id: Some(key_id),
            }))
    }

    /// Reverses [`DocMessage::seal`]; `None` when this device holds no key
    /// that opens it. The key is looked for in the team document, then
    /// among the wraps this frame's team changes (`team_changes`) write,
    /// read once for all its cases into `frame_wraps`
    /// (`case_keys::wraps_by_case`).
    pub(crate) fn open(
        self,
        replica: &mut Replica,
        team_changes: Option<&SignedChanges>,
        frame_wraps: &mut Option<HashMap<[u8; 16], Vec<Wrap>>>,
        inflation: Option<&mut Inflation>,
    ) -> Result<Option<DocMessage>, SyncError> {
        let Some(key_id) = self.key_id else {
            return Ok(Some(self));
        };
        if !crate::team::is_case_id(&self.doc_id) {
            return Ok(None);
        }
        let mut plain = replica.open_case(&self.doc_id, &key_id, &self.message, &[]);
        if plain.is_none()
            && let Some(changes) = team_changes
        {
            let by_case = frame_wraps.get_or_insert_with(|| {
                crate::case_keys::wraps_by_case(changes.iter().map(|(c, _)| c))
            });
            let extra = crate::case_keys::wraps_for(by_case, &self.doc_id);
            plain = replica.open_case(&self.doc_id, &key_id, &self.message, &extra);
        }
        let Some(plain) = plain else {
            return Ok(None);
        };
        let plain = match inflation {
            Some(inflation) => inflation.expand(&plain)?,
            None => plain,
        };
        let inner: CaseMessage =
            postcard::from_bytes(&plain).map_err(|e| malformed(format!("a case message: {e}")))?;
        Ok(Some(DocMessage {
            doc_id: self.doc_id,
            message: inner.message,
            signatures: inner.signatures,
            key_id: None,
        }))
    }

    /// The Automerge message and every change it carries, each with what
    /// vouches for it: its own signature if it came with one, else one of
    /// a later change of its author in the message (`vouch::vouch`). Each
    /// change is read within `budget` first (`chunk::read_change`): one
    /// that is compressed (a DEFLATE chunk, a deflated column) or holds too
    /// many operations is refused on its own, with a note. A whole document
    /// (`whole_documents`: frames of version 4) is read within the same
    /// budget (`chunk::read_document`), then each of its changes as if it
    /// had come alone; in an earlier frame it is refused like a compressed
    /// change.
    pub(crate) fn decode(
        &self,
        team_id: &TeamId,
        budget: &mut Budget,
        whole_documents: bool,
    ) -> Result<(Message, SignedChanges, Vec<QuarantineNote>), SyncError> {
        let msg = Message::decode(&self.message)
            .map_err(|e| malformed(format!("a sync message: {e}")))?;
        // Automerge only ever sends one summary; more would reach an
        // `expect` inside it with hashes this device may not hold, and a
        // degenerate Bloom filter would divide by zero or allocate without
        // bound when probed.
        if msg.have.len() > 1 || !msg.have.iter().all(|h| sane_bloom(&h.bloom.to_bytes())) {
            return Err(malformed("a sync message with an unusable summary"));
        }
        let mut sigs = HashMap::new();
        for s in &self.signatures {
            let sig: [u8; 64] = s
                .signature
                .as_slice()
                .try_into()
                .map_err(|_| malformed("a signature is not 64 bytes"))?;
            sigs.insert(ChangeHash(s.hash), sig);
        }
        let mut changes = Vec::new();
        let mut refused = Vec::new();
        let mut refuse = |one: &[u8], e: chunk::Refused| match e.rejection() {
            Some(reason) => {
                refused.push(QuarantineNote {
                    doc_id: self.doc_id.clone(),
                    hash: chunk::hash_as_received(one),
                    code: reason.code,
                    message: reason.message,
                });
                Ok(())
            }
            None => Err(malformed(format!("a change: {}", e.detail()))),
        };
        for chunk in msg.changes.iter() {
            for one in chunk::split(chunk).map_err(|e| malformed(e.detail()))? {
                // Whole documents come only in frames of version 4; before
                // that a sender sent their changes.
                if !whole_documents || !chunk::is_document(one) {
                    match chunk::read_change(one, budget, false) {
                        Ok(c) => changes.push(c),
                        Err(e) => refuse(one, e)?,
                    }
                    continue;
                }
                // A whole document, for a peer that held none of it: read
                // within the same bounds, then each of its changes as if it
                // had come alone.
                match chunk::read_document(one, budget) {
                    Ok(whole) => {
                        for c in whole {
                            match chunk::read_change(c.raw_bytes(), budget, false) {
                                Ok(c) => changes.push(c),
                                Err(e) => refuse(c.raw_bytes(), e)?,
                            }
                        }
                    }
                    Err(e) => refuse(one, e)?,
                }
            }
        }
        // A change nothing vouches for fails the signature check and is
        // quarantined like any other.
        let verifier = crate::trust::Verifier::new(team_id, &self.doc_id);
        let changes = vouch(&verifier, crate::vouch::own_signatures(changes, &sigs));
        Ok((msg, changes, refused))
    }
}

/// A Hello's plaintext: the current key sealed to every active device (from
/// the team document), so a peer that missed a rotation can read the Hello,
/// as in bundles.
pub(super) fn wraps(team: &TeamDoc, epoch: u32) -> Result<Vec<u8>, SyncError> {
    let wraps: Vec<(DeviceId, u32, Vec<u8>)> = team
        .key_epochs
        .get(&epoch_key(epoch))
        .map(|e| {
            e.wraps
                .iter()
                .filter_map(|(d, w)| Some((DeviceId::from_hex(d)?, epoch, hex::decode(w).ok()?)))
                .collect()
        })
        .unwrap_or_default();
    postcard::to_stdvec(&wraps).map_err(doc_err)
}

/// What goes into one frame besides its body.
pub(super) struct Head<'a> {
    pub(super) team_id: TeamId,
    pub(super) epoch: u32,
    pub(super) sender: DeviceId,
    pub(super) counter: u64,
    pub(super) binding: [u8; 32],
    /// Key wraps (Hello only).
    pub(super) plain: &'a [u8],
}

/// Encrypts `body` under `key` and signs the frame with the sender's keys.
pub(super) fn write(
    head: &Head<'_>,
    body: &Body,
    key: &TeamKey,
    keys: &DeviceKeys,
) -> Result<Vec<u8>, SyncError> {
    let inner = crate::bundle::compress(&zeroize::Zeroizing::new(
        postcard::to_stdvec(body).map_err(doc_err)?,
    ))?;
    write_sealed(head, &inner, key, keys)
}

/// A frame whose sealed body is `inner` as given (the compressed body).
pub(super) fn write_sealed(
    head: &Head<'_>,
    inner: &[u8],
    key: &TeamKey,
    keys: &DeviceKeys,
) -> Result<Vec<u8>, SyncError> {
    let len = FIXED + head.plain.len() + inner.len() + SEAL_OVERHEAD + 64;
    if len > MAX_FRAME as usize || head.plain.len() > MAX_PLAIN as usize {
        return Err(SyncError::TooLarge {
            what: WHAT,
            detail: format!("a frame of {len} bytes to send"),
        });
    }
    let mut out = Vec::with_capacity(PREFIX_LEN + len);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_be_bytes());
    out.extend_from_slice(&(len as u32).to_be_bytes());
    out.extend_from_slice(&head.team_id.0);
    out.extend_from_slice(&head.epoch.to_be_bytes());
    out.extend_from_slice(&head.sender.0);
    out.extend_from_slice(&head.counter.to_be_bytes());
    out.extend_from_slice(&(head.plain.len() as u32).to_be_bytes());
    out.extend_from_slice(head.plain);
    let sealed = crypto::seal(&key.key, &[&out[..], &head.binding].concat(), inner)?;
    out.extend_from_slice(&sealed);
    let sig = keys.sign(&[&out[..], &head.binding].concat());
    out.extend_from_slice(&sig);
    Ok(out)
}
