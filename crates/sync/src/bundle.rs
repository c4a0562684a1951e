//! Bundles: every change a peer lacks, in one signed, encrypted file.
//! Format: docs/formats/bundle.md.
//!
//! ```text
//! magic "CRVNBNDL" | version u16 BE | header_len u32 BE | header (postcard)
//! | body_len u64 BE | body: nonce[24] || XChaCha20-Poly1305(postcard Body)
//! | signature[64]: Ed25519 of the sender over every byte before it
//! ```
//! In plaintext the header holds the team id, the team key sealed to each
//! device the bundle is for (no device named) and the sealed [`Meta`]
//! (sender, recipient, epoch, time). The sender is read from the meta and
//! its signature checked before the body is decrypted or decoded; the
//! body's AAD is every byte before it, so no header field can be swapped
//! under a valid body. Inside the body, each case's changes are sealed
//! again under that case's key (`case_keys`).

use automerge::ChangeHash;
use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::error::{SyncError, doc_err};
use crate::identity::{DeviceId, DeviceKeys, PublicDevice};
use crate::keys::TeamKey;
use crate::replica::Replica;
use crate::team::{TEAM_DOC_ID, TeamDoc, TeamId, public_device};

pub const MAGIC: &[u8; 8] = b"CRVNBNDL";
/// 2: the sender and recipient sealed, each case under its own key.
pub const VERSION: u16 = 2;
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

/// What anyone holding the file reads: the team id and opaque bytes. The
/// sender, the recipient and the team key epoch are inside `meta`, under
/// the team key; each case inside the body is under its own case key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub team_id: TeamId,
    /// The current team key sealed to each device the bundle is for, by
    /// no name (a device tries each), so a device that missed a rotation
    /// can still read the bundle. Such a key reads this bundle only.
    pub offers: Vec<serde_bytes::ByteBuf>,
    /// [`Meta`], sealed under the team key.
    #[serde(with = "serde_bytes")]
    pub meta: Vec<u8>,
}

/// Who sent a bundle, to whom, when, under which team key epoch.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    pub epoch: u32,
    pub sender: DeviceId,
    pub recipient: Recipient,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Body {
    /// The team document's changes: every member may read them.
    pub(crate) team: Option<DocEntry>,
    /// Each case's changes, under that case's key.
    pub(crate) cases: Vec<CaseSection>,
}

/// One case's [`DocEntry`], sealed under a key of the case.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CaseSection {
    pub(crate) doc_id: String,
    pub(crate) key_id: [u8; 16],
    #[serde(with = "serde_bytes")]
    pub(crate) sealed: Vec<u8>,
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

fn meta_aad(team: &TeamId) -> Vec<u8> {
    [&b"caravan/bundle-meta/v2\0"[..], &team.0].concat()
}

fn offer_aad(team: &TeamId) -> Vec<u8> {
    [&b"caravan/bundle-offer/v2\0"[..], &team.0].concat()
}

/// The team key sealed to one device, for [`Header::offers`].
pub(crate) fn offer(
    team: &TeamId,
    key: &TeamKey,
    device: &PublicDevice,
) -> Result<Vec<u8>, SyncError> {
    let mut plain = zeroize::Zeroizing::new(key.epoch.to_be_bytes().to_vec());
    plain.extend_from_slice(key.secret_bytes());
    crypto::seal_to(&device.agreement, &offer_aad(team), &plain)
}

/// Opens the offer sealed to this device, if one is.
pub(crate) fn open_offer(
    team: &TeamId,
    offers: &[serde_bytes::ByteBuf],
    me: &DeviceKeys,
) -> Option<TeamKey> {
    offers.iter().find_map(|o| {
        let plain = crypto::open_from(me.agreement_secret(), &offer_aad(team), o)?;
        let epoch = u32::from_be_bytes(plain.get(..4)?.try_into().ok()?);
        let key: [u8; 32] = plain.get(4..)?.try_into().ok()?;
        Some(TeamKey::from_bytes(epoch, &key))
    })
}

/// Seals [`Meta`] under the team key.
pub(crate) fn seal_meta(team: &TeamId, meta: &Meta, key: &TeamKey) -> Result<Vec<u8>, SyncError> {
    let plain = postcard::to_stdvec(meta).map_err(doc_err)?;
    crypto::seal(&key.key, &meta_aad(team), &plain)
}

/// Reads [`Meta`] with a candidate team key.
pub(crate) fn open_meta(team: &TeamId, sealed: &[u8], key: &TeamKey) -> Option<Meta> {
    let plain = crypto::open(&key.key, &meta_aad(team), sealed)?;
    let meta: Meta = postcard::from_bytes(&plain).ok()?;
    (meta.epoch == key.epoch).then_some(meta)
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
    if version == 1 {
        return Err(SyncError::OldFormat {
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
    /// as this device knows, of the documents it may see. Each case goes
    /// under its case key, which this device makes, extends or rotates
    /// first (`tend_case_keys`) so that exactly the devices that may see
    /// the case can read it.
    pub fn export(&mut self, recipient: &Recipient, at: i64) -> Result<Vec<u8>, SyncError> {
        self.require_resident("export")?;
        let team = self.team.view()?;
        let epoch = team.current_epoch();
        if !self.team_keys.contains_key(&epoch) {
            return Err(SyncError::NoKey { epoch });
        }
        let member = match recipient {
            Recipient::Member(m) if !team.members.contains_key(m) => {
                return Err(SyncError::NotFound(m.clone()));
            }
            Recipient::Member(m) => Some(m.clone()),
            Recipient::AnyMember => None,
        };
        let mut case_ids = Vec::new();
        for (doc_id, doc) in &self.cases {
            let creator = Replica::creator_of(&team, doc_id, doc);
            let permitted = |m: &str| team.may_access(m, doc_id, creator.as_deref());
            let ok = match &member {
                Some(m) => permitted(m),
                None => team.active_devices().all(|(_, d)| permitted(&d.member)),
            };
            if ok {
                case_ids.push(doc_id.clone());
            }
        }
        self.tend_case_keys(&team, &case_ids, at)?;
        self.write_bundle(&team, recipient, &case_ids, at)
    }

    /// A bundle for `recipient` of the team document and the cases
    /// `case_ids`, each under the key this device sends it under (a case
    /// without one is left out).
    pub(crate) fn write_bundle(
        &mut self,
        team: &TeamDoc,
        recipient: &Recipient,
        case_ids: &[String],
        at: i64,
    ) -> Result<Vec<u8>, SyncError> {
        let epoch = team.current_epoch();
        let key = self
            .team_keys
            .get(&epoch)
            .ok_or(SyncError::NoKey { epoch })?
            .clone();
        let member = match recipient {
            Recipient::Member(m) => Some(m.clone()),
            Recipient::AnyMember => None,
        };
        let team_entry = self.doc_entry(TEAM_DOC_ID, member.as_deref())?;
        let mut change_count = team_entry.changes.len();
        let mut cases = Vec::with_capacity(case_ids.len());
        for doc_id in case_ids {
            let entry = self.doc_entry(doc_id, member.as_deref())?;
            let plain = zeroize::Zeroizing::new(postcard::to_stdvec(&entry).map_err(doc_err)?);
            match self.seal_case(doc_id, &plain)? {
                Some((key_id, sealed)) => {
                    change_count += entry.changes.len();
                    cases.push(CaseSection {
                        doc_id: doc_id.clone(),
                        key_id,
                        sealed,
                    });
                }
                // Only a copy of a device that stopped writing lacks a key
                // it may send under: the case waits for another device.
                None => {
                    tracing::warn!(case = %doc_id, "a case left out: no case key to send it under")
                }
            }
        }
        let mut offers = Vec::new();
        for (id, d) in team.active_devices() {
            if member.as_ref().is_some_and(|m| *m != d.member) {
                continue;
            }
            if let Ok(device) = public_device(id, d)
                && device.check_strong("device").is_ok()
            {
                offers.push(serde_bytes::ByteBuf::from(offer(
                    &self.team_id,
                    &key,
                    &device,
                )?));
            }
        }
        let meta = Meta {
            epoch,
            sender: self.device(),
            recipient: recipient.clone(),
            created_at: at,
        };
        let doc_count = 1 + cases.len();
        let body = Body {
            team: Some(team_entry),
            cases,
        };
        let bundle = self.seal(&meta, offers, &body, &key)?;
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

    /// One document's changes that `member` lacks (as far as this device
    /// knows), with their signatures, and this device's heads of it.
    fn doc_entry(&mut self, doc_id: &str, member: Option<&str>) -> Result<DocEntry, SyncError> {
        let known = member
            .and_then(|m| self.peer_heads.get(&(m.to_string(), doc_id.to_string())))
            .cloned();
        let doc = self
            .doc_mut(doc_id)
            .ok_or_else(|| SyncError::NotFound(doc_id.to_string()))?;
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
        Ok(DocEntry {
            doc_id: doc_id.to_string(),
            heads,
            changes: signed,
        })
    }

    /// Frames, encrypts and signs a bundle: `meta` and `body` under the
    /// team key `key` (the body's cases are sealed already).
    pub(crate) fn seal(
        &self,
        meta: &Meta,
        offers: Vec<serde_bytes::ByteBuf>,
        body: &Body,
        key: &TeamKey,
    ) -> Result<Vec<u8>, SyncError> {
        let header = Header {
            team_id: self.team_id,
            offers,
            meta: seal_meta(&self.team_id, meta, key)?,
        };
        let header_bytes = postcard::to_stdvec(&header).map_err(doc_err)?;
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

/// For tests that play an attacker: bundles made of documents as given,
/// and bundles opened to what they hold.
#[cfg(test)]
impl Replica {
    /// A bundle from this device holding `docs` as they are, sealed as
    /// `export` seals: each case under the key this device sends it under
    /// (tended first; wraps that tending writes join the team section), a
    /// case it has no key of (or an id that is not a case's) in the clear
    /// under a key id of zeros.
    pub(crate) fn seal_docs(
        &mut self,
        meta: &Meta,
        docs: Vec<DocEntry>,
        key: &TeamKey,
        offers: Vec<serde_bytes::ByteBuf>,
    ) -> Vec<u8> {
        let team = self.team.view().unwrap();
        let case_ids: Vec<String> = docs
            .iter()
            .filter(|d| d.doc_id != TEAM_DOC_ID)
            .map(|d| d.doc_id.clone())
            .collect();
        let before = self.team.automerge_mut().get_heads();
        self.tend_case_keys(&team, &case_ids, meta.created_at)
            .unwrap();
        let tended: Vec<SignedChange> = self
            .team
            .automerge_mut()
            .get_changes(&before)
            .iter()
            .map(|c| SignedChange {
                bytes: c.raw_bytes().to_vec(),
                signature: self.signatures[&c.hash()].to_vec(),
            })
            .collect();
        let mut body = Body {
            team: None,
            cases: Vec::new(),
        };
        for d in docs {
            if d.doc_id == TEAM_DOC_ID {
                body.team = Some(d);
                continue;
            }
            let plain = postcard::to_stdvec(&d).unwrap();
            let (key_id, sealed) = self
                .seal_case(&d.doc_id, &plain)
                .unwrap()
                .unwrap_or(([0; 16], plain));
            body.cases.push(CaseSection {
                doc_id: d.doc_id,
                key_id,
                sealed,
            });
        }
        if !tended.is_empty() {
            let heads = self
                .team
                .automerge_mut()
                .get_heads()
                .iter()
                .map(|h| h.0)
                .collect();
            let team = body.team.get_or_insert_with(|| DocEntry {
                doc_id: TEAM_DOC_ID.into(),
                heads,
                changes: Vec::new(),
            });
            team.changes.extend(tended);
        }
        self.seal(meta, offers, &body, key).unwrap()
    }

    /// What a modified client sends: every case it holds, each under the
    /// key it sends the case under (see [`Replica::force_case_key`]),
    /// without the checks `export` makes first.
    pub(crate) fn craft_export(&mut self, recipient: &Recipient) -> Vec<u8> {
        let team = self.team.view().unwrap();
        let ids: Vec<String> = self.cases.keys().cloned().collect();
        self.write_bundle(&team, recipient, &ids, 0).unwrap()
    }

    /// What a bundle holds, as far as this device can open it: its meta,
    /// the team key that read it, and every document it holds a key of.
    pub(crate) fn open_docs(&mut self, bytes: &[u8]) -> (Meta, TeamKey, Vec<DocEntry>) {
        let parsed = parse(bytes, &Limits::default()).unwrap();
        let (meta, key, _) = self.read_meta(&parsed.header).unwrap();
        let aad_len = parsed.signed.len() - parsed.body.len();
        let plain = crypto::open(&key.key, &parsed.signed[..aad_len], parsed.body).unwrap();
        let body: Body = postcard::from_bytes(&plain).unwrap();
        let mut docs: Vec<DocEntry> = body.team.into_iter().collect();
        for s in body.cases {
            if let Some(plain) = self.open_case(&s.doc_id, &s.key_id, &s.sealed, &[]) {
                docs.push(postcard::from_bytes(&plain).unwrap());
            }
        }
        (meta, key, docs)
    }
}
