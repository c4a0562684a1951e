//! What a bundle carries of one document, in format 3 (and the format 2
//! entries still read), and the compression of the plaintext before it is
//! sealed. See docs/formats/bundle.md.

use automerge::ChangeHash;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{SyncError, doc_err};
use crate::replica::Replica;
use crate::team::TEAM_DOC_ID;

use super::WHAT;

/// One document in a format 3 bundle: the sender's heads, what the
/// recipient lacks of it, and the signatures that vouch for every change
/// of that (`vouch`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DocEntry {
    pub(crate) doc_id: String,
    /// The sender's heads of this document when it wrote the bundle.
    pub(crate) heads: Vec<[u8; 32]>,
    pub(crate) content: Content,
    /// For each author, their signatures of their newest changes in
    /// `content`: each of the author's changes there is one of these or
    /// reaches one through `deps`.
    pub(crate) signatures: Vec<AuthorSignature>,
}

/// The changes of a [`DocEntry`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Content {
    /// Change chunks with plain columns (`Change::raw_bytes`).
    Changes(Vec<serde_bytes::ByteBuf>),
    /// The whole document, saved with plain columns
    /// (`save_nocompress`), for a recipient known to hold none of it.
    Document(serde_bytes::ByteBuf),
}

/// An author's signature of one of their changes (`trust::change_message`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AuthorSignature {
    pub(crate) change: [u8; 32],
    #[serde(with = "serde_bytes")]
    pub(crate) signature: Vec<u8>,
}

/// One document in a format 2 bundle (read, never written).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DocEntryV2 {
    pub(crate) doc_id: String,
    pub(crate) heads: Vec<[u8; 32]>,
    pub(crate) changes: Vec<SignedChange>,
}

/// A format 2 change with its author's signature of it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SignedChange {
    #[serde(with = "serde_bytes")]
    pub(crate) bytes: Vec<u8>,
    #[serde(with = "serde_bytes")]
    pub(crate) signature: Vec<u8>,
}

/// What a bundle reader takes from an entry of either format, before any
/// change is read.
pub(crate) struct RawEntry {
    pub(crate) doc_id: String,
    pub(crate) heads: Vec<[u8; 32]>,
    pub(crate) content: Content,
    pub(crate) signatures: Signatures,
}

/// The signatures of a [`RawEntry`].
pub(crate) enum Signatures {
    /// Format 2: each change's own, in the order of the changes.
    EachChange(Vec<[u8; 64]>),
    /// Format 3: some changes' own, by change hash (`vouch`).
    Some(std::collections::HashMap<ChangeHash, [u8; 64]>),
}

fn signature_bytes(bytes: &[u8]) -> Result<[u8; 64], SyncError> {
    bytes.try_into().map_err(|_| SyncError::Malformed {
        what: WHAT,
        detail: "a signature is not 64 bytes".into(),
    })
}

impl DocEntry {
    pub(crate) fn into_raw(self) -> Result<RawEntry, SyncError> {
        let signatures = self
            .signatures
            .iter()
            .map(|s| Ok((ChangeHash(s.change), signature_bytes(&s.signature)?)))
            .collect::<Result<_, SyncError>>()?;
        Ok(RawEntry {
            doc_id: self.doc_id,
            heads: self.heads,
            content: self.content,
            signatures: Signatures::Some(signatures),
        })
    }
}

impl DocEntryV2 {
    pub(crate) fn into_raw(self) -> Result<RawEntry, SyncError> {
        let mut signatures = Vec::with_capacity(self.changes.len());
        let mut changes = Vec::with_capacity(self.changes.len());
        for c in self.changes {
            signatures.push(signature_bytes(&c.signature)?);
            changes.push(serde_bytes::ByteBuf::from(c.bytes));
        }
        Ok(RawEntry {
            doc_id: self.doc_id,
            heads: self.heads,
            content: Content::Changes(changes),
            signatures: Signatures::EachChange(signatures),
        })
    }
}

/// zstd level: fast enough to stay far below the cost of sealing and
/// signing, and most of what higher levels gain.
const LEVEL: i32 = 3;

/// Compresses plaintext before it is sealed; the frame states its size,
/// which a reader checks against its cap before it allocates.
pub(crate) fn compress(plain: &[u8]) -> Result<Zeroizing<Vec<u8>>, SyncError> {
    zstd::bulk::compress(plain, LEVEL)
        .map(Zeroizing::new)
        .map_err(doc_err)
}

/// What decompressing the parts of one input may still produce: for a
/// bundle the reader's `max_body`, for a session frame `MAX_INFLATED`, for
/// the body and every case's part together.
pub(crate) struct Inflation {
    pub(crate) left: u64,
    /// The input, as errors name it.
    pub(crate) what: &'static str,
}

impl Inflation {
    /// Decompresses one part (a single zstd frame stating its size), within
    /// what is left: a part that states a larger size, or none, or that
    /// expands past what it states, is refused before anything past the
    /// stated size is allocated.
    pub(crate) fn expand(&mut self, bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>, SyncError> {
        let size = match zstd::zstd_safe::get_frame_content_size(bytes) {
            Ok(Some(size)) => size,
            Ok(None) | Err(_) => {
                return Err(SyncError::Malformed {
                    what: self.what,
                    detail: "a compressed part that does not state its size".into(),
                });
            }
        };
        if size > self.left {
            return Err(SyncError::TooLarge {
                what: self.what,
                detail: format!(
                    "its compressed contents expand to more than the {} bytes this device still reads of it",
                    self.left
                ),
            });
        }
        // Expanded as a stream into a buffer that grows with what is
        // written, up to the size stated: a few bytes stating hundreds of
        // megabytes cost nothing until they expand to them. A buffer that
        // grows is copied, and the old one is wiped when it is dropped.
        let size = usize::try_from(size).map_err(doc_err)?;
        let bad = || SyncError::Malformed {
            what: self.what,
            detail: "a compressed part does not decompress to the size it states".into(),
        };
        let mut decoder = zstd::stream::read::Decoder::with_buffer(bytes).map_err(|_| bad())?;
        let mut out: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::with_capacity(size.min(1 << 20)));
        let mut piece = Zeroizing::new(vec![0u8; 64 << 10]);
        loop {
            let n = std::io::Read::read(&mut decoder, &mut piece).map_err(|_| bad())?;
            if n == 0 {
                break;
            }
            if out.len() + n > size {
                return Err(bad());
            }
            if out.len() + n > out.capacity() {
                let grown = (out.capacity() * 2).max(out.len() + n).min(size);
                let mut bigger = Zeroizing::new(Vec::with_capacity(grown));
                bigger.extend_from_slice(&out);
                out = bigger;
            }
            out.extend_from_slice(&piece[..n]);
        }
        if out.len() != size {
            return Err(bad());
        }
        self.left -= size as u64;
        Ok(out)
    }
}

impl Replica {
    /// One document's entry for a recipient that holds `known` of it (as
    /// far as this device knows): what it lacks, with the signatures that
    /// vouch for it. To a recipient known to hold none of it goes the
    /// whole document. A change no signature held here vouches for (one
    /// vouched for, when it came, only by a later change of its author
    /// that was refused here) goes with that refused change and its
    /// author's signature, as proof (`witness`); failing that, without a
    /// signature: a recipient that holds it recognises it by its hash, one
    /// that lacks it refuses it as unsigned until its author's signature
    /// reaches it. Returns the entry and how many changes it carries.
    pub(crate) fn doc_entry(
        &mut self,
        doc_id: &str,
        known: Option<&[ChangeHash]>,
    ) -> Result<(DocEntry, usize), SyncError> {
        let doc = self
            .doc_mut(doc_id)
            .ok_or_else(|| SyncError::NotFound(doc_id.to_string()))?;
        let have: Vec<ChangeHash> = known
            .unwrap_or_default()
            .iter()
            .filter(|h| doc.get_change_by_hash(h).is_some())
            .copied()
            .collect();
        let changes = doc.get_changes(&have);
        // A document with nothing new still travels, as its heads alone:
        // the recipient learns what this device holds and will send only
        // what it lacks next time.
        let heads = doc.get_heads().iter().map(|h| h.0).collect();
        let (mut signatures, bare) = crate::vouch::covering(doc_id, &changes, &self.signatures);
        let witnesses = self.witnesses(doc_id, &bare);
        if !bare.is_empty() {
            tracing::warn!(
                doc = doc_id,
                changes = bare.len(),
                witnesses = witnesses.len(),
                "changes no signature held here vouches for: sent with the refused changes that vouched for them"
            );
        }
        let count = changes.len();
        let mut changes = changes;
        for (c, own) in witnesses {
            signatures.extend(own.map(|s| (c.hash(), s)));
            changes.push(c);
        }
        let whole = have.is_empty() && count > 0 && changes.len() == count;
        let content = if whole {
            let doc = self
                .doc_mut(doc_id)
                .ok_or_else(|| SyncError::NotFound(doc_id.to_string()))?;
            Content::Document(serde_bytes::ByteBuf::from(doc.save_nocompress()))
        } else {
            Content::Changes(
                changes
                    .iter()
                    .map(|c| serde_bytes::ByteBuf::from(c.raw_bytes().to_vec()))
                    .collect(),
            )
        };
        let entry = DocEntry {
            doc_id: doc_id.to_string(),
            heads,
            content,
            signatures: signatures
                .into_iter()
                .map(|(h, s)| AuthorSignature {
                    change: h.0,
                    signature: s.to_vec(),
                })
                .collect(),
        };
        Ok((entry, count))
    }

    /// The heads `member` is recorded to hold of a document, if any.
    pub(crate) fn known_heads(
        &self,
        member: Option<&str>,
        doc_id: &str,
    ) -> Option<Vec<ChangeHash>> {
        member.and_then(|m| {
            self.peer_heads
                .get(&(m.to_string(), doc_id.to_string()))
                .cloned()
        })
    }

    /// Whether a case's entry would tell `member` nothing: it is recorded
    /// to hold exactly this device's heads, and this device announced
    /// those heads to it already. Such an entry stays out. (The team
    /// document always travels.) Leaving it out loses nothing: an entry
    /// without changes carries only knowledge, and if the announcement
    /// never arrived the recipient at worst sends changes this device
    /// holds, recognised by their hash.
    pub(crate) fn tells_nothing(&mut self, member: Option<&str>, doc_id: &str) -> bool {
        let Some(member) = member.filter(|_| doc_id != TEAM_DOC_ID) else {
            return false;
        };
        let key = (member.to_string(), doc_id.to_string());
        let (Some(known), Some(announced)) = (self.peer_heads.get(&key), self.announced.get(&key))
        else {
            return false;
        };
        let (mut known, mut announced) = (known.clone(), announced.clone());
        let Some(doc) = self.doc_mut(doc_id) else {
            return false;
        };
        let mut heads = doc.get_heads();
        heads.sort();
        known.sort();
        announced.sort();
        heads == known && heads == announced
    }
}
