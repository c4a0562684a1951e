//! Bundles: every change a peer lacks, in one signed, encrypted file.
//! Format: docs/formats/bundle.md.
//!
//! ```text
//! magic "CRVNBNDL" | version u16 BE | header_len u32 BE | header (postcard)
//! | body_len u64 BE | body: nonce[24] || XChaCha20-Poly1305(postcard Body)
//! | signature[64]: Ed25519 of the sender over every byte before it
//! ```
//! The signature is checked before anything is decrypted or decoded
//! further; the body's AAD is every byte before it, so no header field can
//! be swapped under a valid body.

use automerge::ChangeHash;
use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::error::{SyncError, doc_err};
use crate::identity::DeviceId;
use crate::keys::TeamKey;
use crate::replica::Replica;
use crate::team::{TEAM_DOC_ID, TeamId, epoch_key};

pub const MAGIC: &[u8; 8] = b"CRVNBNDL";
pub const VERSION: u16 = 1;
const PREAMBLE: usize = 8 + 2 + 4;

/// Sizes a reader refuses before allocating for them.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_header: u32,
    pub max_body: u64,
    pub max_change: usize,
    /// Operations one change may hold (rows of any of its columns). A
    /// change over it is refused on its own (`sync.change_too_large`):
    /// reading it would cost time and memory out of all proportion to its
    /// bytes. About a million characters typed or pasted in one edit.
    pub max_change_ops: u64,
    /// Operations all the changes of one bundle may hold together; the
    /// changes past it are refused on their own (`sync.change_too_large`)
    /// and arrive with a later bundle. Changes this device already holds
    /// are recognised by their hash and not counted.
    pub max_ops: u64,
}

/// Operations of one change, and of one input, read at most.
pub const MAX_CHANGE_OPS: u64 = 1 << 20;
pub const MAX_OPS: u64 = 1 << 26;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_header: 1 << 20,
            max_body: 1 << 30,
            max_change: 64 << 20,
            max_change_ops: MAX_CHANGE_OPS,
            max_ops: MAX_OPS,
        }
    }
}

/// Who a bundle is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recipient {
    Member(String),
    /// Any member: only cases every active member may see.
    AnyMember,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub team_id: TeamId,
    pub epoch: u32,
    pub sender: DeviceId,
    pub recipient: Recipient,
    pub created_at: i64,
    /// The current epoch key sealed to each active device (from the team
    /// document), so a device that missed a rotation can still read this.
    pub wraps: Vec<(DeviceId, u32, Vec<u8>)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Body {
    pub(crate) docs: Vec<DocEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DocEntry {
    pub(crate) doc_id: String,
    /// The sender's heads of this document when it wrote the bundle.
    pub(crate) heads: Vec<[u8; 32]>,
    pub(crate) changes: Vec<SignedChange>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SignedChange {
    #[serde(with = "serde_bytes")]
    pub(crate) bytes: Vec<u8>,
    #[serde(with = "serde_bytes")]
    pub(crate) signature: Vec<u8>,
}

/// The framing of a bundle, checked but not yet decrypted.
pub struct Parsed<'a> {
    pub header: Header,
    pub(crate) signed: &'a [u8],
    pub(crate) body: &'a [u8],
    pub(crate) signature: [u8; 64],
}

pub(crate) const WHAT: &str = "bundle";

/// Checks magic, version, lengths and signature framing; decodes the header.
pub fn parse<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Parsed<'a>, SyncError> {
    if bytes.len() < 8 || &bytes[..8] != MAGIC {
        return Err(SyncError::NotABundle);
    }
    if bytes.len() < PREAMBLE {
        return Err(SyncError::Truncated {
            what: WHAT,
            detail: "the preamble is cut short",
        });
    }
    let version = u16::from_be_bytes([bytes[8], bytes[9]]);
    if version > VERSION {
        return Err(SyncError::FutureVersion {
            what: WHAT,
            found: version,
        });
    }
    if version == 0 {
        return Err(SyncError::Malformed {
            what: WHAT,
            detail: "version 0 does not exist".into(),
        });
    }
    let header_len = u32::from_be_bytes([bytes[10], bytes[11], bytes[12], bytes[13]]);
    if header_len > limits.max_header {
        return Err(SyncError::TooLarge {
            what: WHAT,
            detail: format!(
                "header of {header_len} bytes, at most {}",
                limits.max_header
            ),
        });
    }
    let header_end = PREAMBLE + header_len as usize;
    if bytes.len() < header_end + 8 {
        return Err(SyncError::Truncated {
            what: WHAT,
            detail: "the header is cut short",
        });
    }
    let body_len = u64::from_be_bytes(
        bytes[header_end..header_end + 8]
            .try_into()
            .unwrap_or([0xff; 8]),
    );
    if body_len > limits.max_body {
        return Err(SyncError::TooLarge {
            what: WHAT,
            detail: format!("body of {body_len} bytes, at most {}", limits.max_body),
        });
    }
    let body_start = header_end + 8;
    let expected = (body_start as u64)
        .saturating_add(body_len)
        .saturating_add(64);
    if (bytes.len() as u64) < expected {
        return Err(SyncError::Truncated {
            what: WHAT,
            detail: "the body or signature is cut short",
        });
    }
    if (bytes.len() as u64) > expected {
        return Err(SyncError::Malformed {
            what: WHAT,
            detail: "there are bytes after the signature".into(),
        });
    }
    let body_end = body_start + body_len as usize;
    let header: Header =
        postcard::from_bytes(&bytes[PREAMBLE..header_end]).map_err(|e| SyncError::Malformed {
            what: WHAT,
            detail: format!("header: {e}"),
        })?;
    let signature: [u8; 64] = bytes[body_end..]
        .try_into()
        .map_err(|_| SyncError::Truncated {
            what: WHAT,
            detail: "signature",
        })?;
    Ok(Parsed {
        header,
        signed: &bytes[..body_end],
        body: &bytes[body_start..body_end],
        signature,
    })
}

impl Replica {
    /// Writes a bundle for `recipient` holding every change it lacks, as far
    /// as this device knows, of the documents it may see.
    pub fn export(&mut self, recipient: &Recipient, at: i64) -> Result<Vec<u8>, SyncError> {
        let team = self.team.view()?;
        let epoch = team.current_epoch();
        let key = self
            .team_keys
            .get(&epoch)
            .ok_or(SyncError::NoKey { epoch })?
            .clone();
        let member = match recipient {
            Recipient::Member(m) if !team.members.contains_key(m) => {
                return Err(SyncError::NotFound(m.clone()));
            }
            Recipient::Member(m) => Some(m.clone()),
            Recipient::AnyMember => None,
        };
        let mut docs = Vec::new();
        let case_ids: Vec<String> = self.cases.keys().cloned().collect();
        for doc_id in std::iter::once(TEAM_DOC_ID.to_string()).chain(case_ids) {
            if doc_id != TEAM_DOC_ID {
                let creator = Replica::creator_of(&team, &doc_id, &self.cases[&doc_id]);
                let permitted = |m: &str| team.may_access(m, &doc_id, creator.as_deref());
                let ok = match &member {
                    Some(m) => permitted(m),
                    None => team.active_devices().all(|(_, d)| permitted(&d.member)),
                };
                if !ok {
                    continue;
                }
            }
            let known = member
                .as_ref()
                .and_then(|m| self.peer_heads.get(&(m.clone(), doc_id.clone())))
                .cloned();
            let doc = self
                .doc_mut(&doc_id)
                .ok_or_else(|| SyncError::NotFound(doc_id.clone()))?;
            let have: Vec<ChangeHash> = known
                .unwrap_or_default()
                .into_iter()
                .filter(|h| doc.get_change_by_hash(h).is_some())
                .collect();
            let changes = doc.get_changes(&have);
            // A document with nothing new still travels, as its heads alone:
            // the recipient learns what this device holds and will send only
            // what it lacks next time.
            let heads = doc.get_heads().iter().map(|h| h.0).collect();
            let mut signed = Vec::with_capacity(changes.len());
            for c in changes {
                let sig = self.signatures.get(&c.hash()).ok_or_else(|| {
                    SyncError::Document(format!("no signature is stored for change {}", c.hash()))
                })?;
                signed.push(SignedChange {
                    bytes: c.raw_bytes().to_vec(),
                    signature: sig.to_vec(),
                });
            }
            docs.push(DocEntry {
                doc_id,
                heads,
                changes: signed,
            });
        }
        let wraps = team
            .key_epochs
            .get(&epoch_key(epoch))
            .map(|e| {
                e.wraps
                    .iter()
                    .filter_map(|(d, w)| {
                        Some((DeviceId::from_hex(d)?, epoch, hex::decode(w).ok()?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let header = Header {
            team_id: self.team_id,
            epoch,
            sender: self.device(),
            recipient: recipient.clone(),
            created_at: at,
            wraps,
        };
        let (doc_count, change_count) = (
            docs.len(),
            docs.iter().map(|d| d.changes.len()).sum::<usize>(),
        );
        let bundle = self.seal(&header, &Body { docs }, &key)?;
        let target = match recipient {
            Recipient::Member(m) => format!("member {m}"),
            Recipient::AnyMember => "any member".to_string(),
        };
        self.audit(
            "sync.export",
            format!(
                "bundle for {target}: {doc_count} documents, {change_count} changes, epoch {epoch}"
            ),
        );
        Ok(bundle)
    }

    pub(crate) fn seal(
        &self,
        header: &Header,
        body: &Body,
        key: &TeamKey,
    ) -> Result<Vec<u8>, SyncError> {
        let header_bytes = postcard::to_stdvec(header).map_err(doc_err)?;
        let plain = zeroize::Zeroizing::new(postcard::to_stdvec(body).map_err(doc_err)?);
        let mut out =
            Vec::with_capacity(PREAMBLE + header_bytes.len() + 8 + plain.len() + 24 + 16 + 64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_be_bytes());
        out.extend_from_slice(&(header_bytes.len() as u32).to_be_bytes());
        out.extend_from_slice(&header_bytes);
        let body_len = (plain.len() + 24 + 16) as u64;
        out.extend_from_slice(&body_len.to_be_bytes());
        let sealed = crypto::seal(&key.key, &out, &plain)?;
        out.extend_from_slice(&sealed);
        let sig = self.keys.sign(&out);
        out.extend_from_slice(&sig);
        Ok(out)
    }
}
