//! Reading a bundle's body, of format 2 or 3, into each document's changes
//! paired with what vouches for them; nothing is judged here.

use std::collections::HashSet;

use automerge::{Change, ChangeHash};
use serde::de::DeserializeOwned;

use super::{
    Body, CaseSection, Content, DocEntry, DocEntryV2, Inflation, Limits, RawEntry, Signatures, WHAT,
};
use crate::chunk::{self, Budget, Refused};
use crate::error::SyncError;
use crate::import::{Entry, ImportReport, QuarantineNote};
use crate::refusal::Refusal;
use crate::replica::Replica;
use crate::team::TEAM_DOC_ID;
use crate::vouch::vouch;

fn malformed(detail: String) -> SyncError {
    SyncError::Malformed { what: WHAT, detail }
}

fn decode<T: DeserializeOwned>(bytes: &[u8], part: &str) -> Result<T, SyncError> {
    postcard::from_bytes(bytes).map_err(|e| malformed(format!("{part}: {e}")))
}

impl Replica {
    /// Reads a bundle body (`plain`, decrypted) of format `version`: the
    /// team document's changes, then each case this device holds a key of
    /// (a case it does not is counted in `report.not_permitted` and left
    /// sealed). In format 3 the body and each case section are compressed:
    /// together they expand to at most the reader's `max_body` bytes, and a
    /// part that would expand further is refused before it is expanded.
    pub(crate) fn read_body(
        &mut self,
        version: u16,
        plain: &[u8],
        limits: &Limits,
        report: &mut ImportReport,
    ) -> Result<Vec<Entry>, SyncError> {
        let mut inflation = Inflation {
            left: limits.max_body,
            what: WHAT,
        };
        if version == 2 {
            let body: Body<DocEntryV2> = decode(plain, "body")?;
            let team = body.team.map(DocEntryV2::into_raw).transpose()?;
            return self.read_entries(team, &body.cases, limits, report, |plain| {
                decode::<DocEntryV2>(plain, "a case section")?.into_raw()
            });
        }
        let plain = inflation.expand(plain)?;
        let body: Body<DocEntry> = decode(&plain, "body")?;
        drop(plain);
        let team = body.team.map(DocEntry::into_raw).transpose()?;
        self.read_entries(team, &body.cases, limits, report, |sealed| {
            let plain = inflation.expand(sealed)?;
            decode::<DocEntry>(&plain, "a case section")?.into_raw()
        })
    }

    /// Reads the team entry and the case sections (each opened, then read
    /// with `read_section`). A case's key may arrive in the bundle's own
    /// team changes: their operations are read for wraps sealed to this
    /// device (reading needs no judgement: every change the key opens is
    /// judged like any other, and the team changes are applied only once
    /// judged).
    fn read_entries(
        &mut self,
        team: Option<RawEntry>,
        cases: &[CaseSection],
        limits: &Limits,
        report: &mut ImportReport,
        mut read_section: impl FnMut(&[u8]) -> Result<RawEntry, SyncError>,
    ) -> Result<Vec<Entry>, SyncError> {
        let mut budget = Budget::new(limits.max_change_ops, limits.max_ops);
        let mut out = Vec::with_capacity(1 + cases.len());
        if let Some(team) = team {
            if team.doc_id != TEAM_DOC_ID {
                return Err(malformed("the team section names another document".into()));
            }
            out.push(self.read_entry(team, limits, &mut budget, report)?);
        }
        let mut seen = HashSet::new();
        // The wraps this input's team changes write, read at most once.
        let mut input_wraps = None;
        for section in cases {
            let doc_id = &section.doc_id;
            if doc_id.is_empty() || doc_id.len() > 200 || !seen.insert(doc_id) {
                return Err(malformed("a case id is empty, too long or repeated".into()));
            }
            if !crate::team::is_case_id(doc_id) {
                // Never opened, never stored: a document id with a second
                // spelling could land on another document's storage.
                report.quarantined.push(QuarantineNote {
                    doc_id: doc_id.clone(),
                    hash: String::new(),
                    code: Refusal::BadCaseId.code().into(),
                    message:
                        "the document id is not a case id (32 lower-case hex digits, not all zero)"
                            .into(),
                });
                continue;
            }
            let mut plain = self.open_case(doc_id, &section.key_id, &section.sealed, &[]);
            if plain.is_none()
                && let Some((_, changes, _)) = out.first().filter(|(id, _, _)| id == TEAM_DOC_ID)
            {
                let by_case = input_wraps.get_or_insert_with(|| {
                    crate::case_keys::wraps_by_case(changes.iter().map(|(c, _)| c))
                });
                let extra = crate::case_keys::wraps_for(by_case, doc_id);
                plain = self.open_case(doc_id, &section.key_id, &section.sealed, &extra);
            }
            let Some(plain) = plain else {
                report.not_permitted += 1;
                continue;
            };
            let entry = read_section(&plain)?;
            if entry.doc_id != *doc_id {
                return Err(malformed("a case section holds another case".into()));
            }
            out.push(self.read_entry(entry, limits, &mut budget, report)?);
        }
        Ok(out)
    }

    /// Reads one document's changes, then pairs each with what vouches
    /// for it (`vouch`). Every change is read within bounds first
    /// (`chunk::read_change`): one that is compressed, or holds more
    /// operations than allowed, is refused on its own and noted in
    /// `report`; the rest of the bundle goes on. A whole document is read
    /// within the same bounds (`chunk::read_document`), then each of its
    /// changes as if it had come alone. A change this device already holds
    /// or has quarantined is recognised by its hash and not charged to the
    /// bundle's operation budget.
    fn read_entry(
        &mut self,
        d: RawEntry,
        limits: &Limits,
        budget: &mut Budget,
        report: &mut ImportReport,
    ) -> Result<Entry, SyncError> {
        let RawEntry {
            doc_id,
            heads,
            content,
            signatures,
        } = d;
        let refuse =
            |report: &mut ImportReport, bytes: &[u8], refused: Refused| match refused.rejection() {
                Some(reason) => {
                    report.quarantined.push(QuarantineNote {
                        doc_id: doc_id.clone(),
                        hash: chunk::hash_as_received(bytes),
                        code: reason.code,
                        message: reason.message,
                    });
                    Ok(())
                }
                None => Err(malformed(format!("a change: {}", refused.detail()))),
            };
        let mut changes: Vec<(Change, Option<[u8; 64]>)> = Vec::new();
        let mut read_one = |report: &mut ImportReport,
                            this: &mut Replica,
                            bytes: &[u8],
                            own: Option<[u8; 64]>,
                            budget: &mut Budget|
         -> Result<(), SyncError> {
            if bytes.len() > limits.max_change {
                return Err(SyncError::TooLarge {
                    what: WHAT,
                    detail: format!("a change of {} bytes", bytes.len()),
                });
            }
            let known = chunk::change_hash(bytes).is_some_and(|h| this.holds(&doc_id, &h));
            match chunk::read_change(bytes, budget, known) {
                Ok(change) => changes.push((change, own)),
                Err(refused) => refuse(report, bytes, refused)?,
            }
            Ok(())
        };
        match content {
            Content::Changes(list) => {
                for (bytes, own) in list.iter().zip(own_signatures(&list, &signatures)?) {
                    read_one(report, self, bytes, own, budget)?;
                }
            }
            Content::Document(bytes) => match chunk::read_document(&bytes, &mut *budget) {
                Ok(whole) => {
                    for c in whole {
                        let own = match &signatures {
                            Signatures::Some(by_hash) => by_hash.get(&c.hash()).copied(),
                            Signatures::EachChange(_) => None,
                        };
                        read_one(report, self, c.raw_bytes(), own, budget)?;
                    }
                }
                Err(refused) => refuse(report, &bytes, refused)?,
            },
        }
        let verifier = crate::trust::Verifier::new(&self.team_id, &doc_id);
        let changes = vouch(&verifier, changes);
        let heads = heads.iter().map(|h| ChangeHash(*h)).collect();
        Ok((doc_id, changes, heads))
    }
}

/// The signature that came with each change of a list, if one did.
fn own_signatures(
    list: &[serde_bytes::ByteBuf],
    signatures: &Signatures,
) -> Result<Vec<Option<[u8; 64]>>, SyncError> {
    Ok(match signatures {
        Signatures::EachChange(each) => {
            if each.len() != list.len() {
                return Err(malformed("a change without its signature".into()));
            }
            each.iter().copied().map(Some).collect()
        }
        Signatures::Some(by_hash) => list
            .iter()
            .map(|b| chunk::change_hash(b).and_then(|h| by_hash.get(&h).copied()))
            .collect(),
    })
}
