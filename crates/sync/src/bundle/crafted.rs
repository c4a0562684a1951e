//! For tests that play an attacker: bundles made of documents as given,
//! and bundles opened to what they hold.

use automerge::{AutoCommit, Change};

use super::{
    AuthorSignature, Body, CaseSection, Content, DocEntry, Limits, Meta, SignedChange, parse,
};
use crate::crypto;
use crate::keys::TeamKey;
use crate::replica::Replica;
use crate::team::TEAM_DOC_ID;

impl DocEntry {
    /// An entry of `changes`, each with the signature given for it.
    pub(crate) fn signed(doc_id: &str, heads: Vec<[u8; 32]>, changes: Vec<SignedChange>) -> Self {
        let mut entry = DocEntry {
            doc_id: doc_id.to_string(),
            heads,
            content: Content::Changes(Vec::new()),
            signatures: Vec::new(),
        };
        for c in changes {
            entry.push(c);
        }
        entry
    }

    /// Adds a change with the signature given for it (a whole document
    /// becomes its list of changes first).
    pub(crate) fn push(&mut self, c: SignedChange) {
        if let Some(hash) = crate::chunk::change_hash(&c.bytes) {
            self.signatures.push(AuthorSignature {
                change: hash.0,
                signature: c.signature,
            });
        }
        self.change_list().push(serde_bytes::ByteBuf::from(c.bytes));
    }

    /// The changes, as a list (a whole document is turned into one).
    pub(crate) fn change_list(&mut self) -> &mut Vec<serde_bytes::ByteBuf> {
        if let Content::Document(bytes) = &self.content {
            let changes = AutoCommit::load(bytes)
                .unwrap()
                .get_changes(&[])
                .into_iter()
                .map(|c| serde_bytes::ByteBuf::from(c.raw_bytes().to_vec()))
                .collect();
            self.content = Content::Changes(changes);
        }
        match &mut self.content {
            Content::Changes(list) => list,
            Content::Document(_) => unreachable!("turned into a list above"),
        }
    }

    /// Every change, with its own signature if one came with it.
    pub(crate) fn changes(&mut self) -> Vec<(Change, Option<[u8; 64]>)> {
        let sigs: Vec<([u8; 32], Vec<u8>)> = self
            .signatures
            .iter()
            .map(|s| (s.change, s.signature.clone()))
            .collect();
        self.change_list()
            .iter()
            .map(|b| {
                let c = Change::from_bytes(b.to_vec()).unwrap();
                let own = sigs
                    .iter()
                    .find(|(h, _)| *h == c.hash().0)
                    .and_then(|(_, s)| s.as_slice().try_into().ok());
                (c, own)
            })
            .collect()
    }
}

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
            let plain = super::entry::compress(&postcard::to_stdvec(&d).unwrap()).unwrap();
            let (key_id, sealed) = self
                .seal_case(&d.doc_id, &plain)
                .unwrap()
                .unwrap_or(([0; 16], plain.to_vec()));
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
            let team = body
                .team
                .get_or_insert_with(|| DocEntry::signed(TEAM_DOC_ID, heads, Vec::new()));
            for c in tended {
                team.push(c);
            }
        }
        self.seal(meta, offers, &body, key).unwrap()
    }

    /// What a modified client sends: every case it holds, each under the
    /// key it sends the case under (see [`Replica::force_case_key`]),
    /// without the checks `export` makes first.
    pub(crate) fn craft_export(&mut self, recipient: &super::Recipient) -> Vec<u8> {
        let team = self.team.view().unwrap();
        let ids: Vec<String> = self.cases.keys().cloned().collect();
        self.write_bundle(&team, recipient, &ids, 0, &Default::default())
            .unwrap()
            .0
    }

    /// What a bundle holds, as far as this device can open it: its meta,
    /// the team key that read it, and every document it holds a key of.
    pub(crate) fn open_docs(&mut self, bytes: &[u8]) -> (Meta, TeamKey, Vec<DocEntry>) {
        let parsed = parse(bytes, &Limits::default()).unwrap();
        assert_eq!(parsed.version, super::VERSION, "a bundle this build writes");
        let (meta, key, _) = self.read_meta(&parsed.header).unwrap();
        let aad_len = parsed.signed.len() - parsed.body.len();
        let plain = crypto::open(&key.key, &parsed.signed[..aad_len], parsed.body).unwrap();
        let body: Body<DocEntry> = postcard::from_bytes(&expand(&plain)).unwrap();
        let mut docs: Vec<DocEntry> = body.team.into_iter().collect();
        for s in body.cases {
            if let Some(plain) = self.open_case(&s.doc_id, &s.key_id, &s.sealed, &[]) {
                docs.push(postcard::from_bytes(&expand(&plain)).unwrap());
            }
        }
        (meta, key, docs)
    }
}

/// A compressed part of a bundle expanded, for tests that look inside.
pub(crate) fn expand(bytes: &[u8]) -> Vec<u8> {
    zstd::decode_all(bytes).unwrap()
}
