//! Bundles: every change a peer lacks, in one signed, encrypted file.
//! Format: docs/formats/bundle.md.
//!
//! ```text
//! magic "CRVNBNDL" | version u16 BE | header_len u32 BE | header (postcard)
//! | body_len u64 BE | body: nonce[24] || XChaCha20-Poly1305(zstd(postcard Body))
//! | signature[64]: Ed25519 of the sender over every byte before it
//! ```
//! In plaintext the header holds the team id, the team key sealed to each
//! device the bundle is for (no device named) and the sealed [`Meta`]
//! (sender, recipient, epoch, time). The sender is read from the meta and
//! its signature checked before the body is decrypted or decoded; the
//! body's AAD is every byte before it, so no header field can be swapped
//! under a valid body. Inside the body, each case's changes are sealed
//! again under that case's key (`case_keys`). Each document's entry is in
//! `entry`.

use std::collections::BTreeMap;

use automerge::ChangeHash;
use serde::{Deserialize, Serialize};

use crate::announce::Announced;
use crate::crypto;
use crate::error::{SyncError, doc_err};
use crate::identity::{DeviceId, DeviceKeys, PublicDevice};
use crate::keys::TeamKey;
use crate::replica::Replica;
use crate::team::{TEAM_DOC_ID, TeamDoc, TeamId, public_device};

#[cfg(test)]
pub(crate) mod crafted;
mod entry;
mod read;

#[cfg(test)]
pub(crate) use entry::{AuthorSignature, SignedChange};
pub(crate) use entry::{Content, DocEntry, DocEntryV2, Inflation, RawEntry, Signatures, compress};

pub const MAGIC: &[u8; 8] = b"CRVNBNDL";
/// 3: plaintext compressed before it is sealed; whole documents for a
/// recipient that holds none; signatures per author and document.
/// 2: the sender and recipient sealed, each case under its own key (read).
pub const VERSION: u16 = 3;
/// The oldest format read.
pub const OLDEST_READ: u16 = 2;
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

/// A bundle's body: [`DocEntry`]s in format 3, [`DocEntryV2`]s in format 2.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Body<E> {
    /// The team document's changes: every member may read them.
    pub(crate) team: Option<E>,
    /// Each case's changes, under that case's key.
    pub(crate) cases: Vec<CaseSection>,
}

/// One case's entry, sealed under a key of the case (in format 3,
/// compressed first).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CaseSection {
    pub(crate) doc_id: String,
    pub(crate) key_id: [u8; 16],
    #[serde(with = "serde_bytes")]
    pub(crate) sealed: Vec<u8>,
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
    pub version: u16,
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
    if version < OLDEST_READ && version != 0 {
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
        version,
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
        let (bundle, announced) = self.export_deferred(recipient, at, &BTreeMap::new())?;
        self.note_sent(&announced);
        Ok(bundle)
    }

    /// [`Replica::export`], leaving the record of what the bundle
    /// announces to the caller ([`Replica::note_sent`]), for a bundle that
    /// counts as sent only once a relay has stored it. Everything else
    /// (case keys tended, the audit event) happens here as for `export`.
    /// `assumed`: heads per document the recipient holds besides those it
    /// is recorded to hold (what earlier bundles the relay stored carried),
    /// so that the bundle carries only what is newer.
    pub fn export_deferred(
        &mut self,
        recipient: &Recipient,
        at: i64,
        assumed: &BTreeMap<String, Vec<ChangeHash>>,
    ) -> Result<(Vec<u8>, Announced), SyncError> {
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
        self.write_bundle(&team, recipient, &case_ids, at, assumed)
    }

    /// A bundle for `recipient` of the team document and the cases
    /// `case_ids`, each under the key this device sends it under (a case
    /// without one is left out), and what it announces.
    pub(crate) fn write_bundle(
        &mut self,
        team: &TeamDoc,
        recipient: &Recipient,
        case_ids: &[String],
        at: i64,
        assumed: &BTreeMap<String, Vec<ChangeHash>>,
    ) -> Result<(Vec<u8>, Announced), SyncError> {
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
        let known = self.known_with(member.as_deref(), TEAM_DOC_ID, assumed);
        let (team_entry, mut change_count) = self.doc_entry(TEAM_DOC_ID, known.as_deref())?;
        let mut announced = Announced::for_member(member.as_deref());
        announced.add(TEAM_DOC_ID, &team_entry.heads);
        let mut cases = Vec::with_capacity(case_ids.len());
        for doc_id in case_ids {
            if self.tells_nothing(member.as_deref(), doc_id) {
                continue;
            }
            let known = self.known_with(member.as_deref(), doc_id, assumed);
            let (entry, count) = self.doc_entry(doc_id, known.as_deref())?;
            let plain = zeroize::Zeroizing::new(postcard::to_stdvec(&entry).map_err(doc_err)?);
            match self.seal_case(doc_id, &entry::compress(&plain)?)? {
                Some((key_id, sealed)) => {
                    announced.add(doc_id, &entry.heads);
                    change_count += count;
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
        Ok((bundle, announced))
    }

    /// Frames, encrypts and signs a bundle: `meta` and `body` under the
    /// team key `key` (the body's cases are sealed already).
    pub(crate) fn seal(
        &self,
        meta: &Meta,
        offers: Vec<serde_bytes::ByteBuf>,
        body: &Body<DocEntry>,
        key: &TeamKey,
    ) -> Result<Vec<u8>, SyncError> {
        let plain = entry::compress(&zeroize::Zeroizing::new(
            postcard::to_stdvec(body).map_err(doc_err)?,
        ))?;
        self.seal_compressed(meta, offers, &plain, key)
    }

    /// Frames, encrypts and signs a bundle whose body, compressed, is
    /// `plain`.
    pub(crate) fn seal_compressed(
        &self,
        meta: &Meta,
        offers: Vec<serde_bytes::ByteBuf>,
        plain: &[u8],
        key: &TeamKey,
    ) -> Result<Vec<u8>, SyncError> {
        let header = Header {
            team_id: self.team_id,
            offers,
            meta: seal_meta(&self.team_id, meta, key)?,
        };
        let header_bytes = postcard::to_stdvec(&header).map_err(doc_err)?;
        let mut out =
            Vec::with_capacity(PREAMBLE + header_bytes.len() + 8 + plain.len() + 24 + 16 + 64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_be_bytes());
        out.extend_from_slice(&(header_bytes.len() as u32).to_be_bytes());
        out.extend_from_slice(&header_bytes);
        let body_len = (plain.len() + 24 + 16) as u64;
        out.extend_from_slice(&body_len.to_be_bytes());
        let sealed = crypto::seal(&key.key, &out, plain)?;
        out.extend_from_slice(&sealed);
        let sig = self.keys.sign(&out);
        out.extend_from_slice(&sig);
        Ok(out)
    }
}
