//! What a bundle written for a member announces (this device's heads of
//! each document in it), recorded once the bundle is known to have left:
//! at once for a file the person carries, only when a relay has stored
//! it durably for a relayed envelope. And which documents a member may
//! lack, so that nothing is written for a member with nothing new.

use std::collections::BTreeMap;

use automerge::ChangeHash;

use crate::error::SyncError;
use crate::replica::Replica;
use crate::team::TEAM_DOC_ID;

/// The heads a bundle for one member announces, per document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Announced {
    /// `None` for a bundle for any member (nothing is recorded for it).
    pub member: Option<String>,
    /// Document id → this device's heads as the bundle carries them.
    pub heads: BTreeMap<String, Vec<ChangeHash>>,
}

impl Announced {
    pub(crate) fn for_member(member: Option<&str>) -> Announced {
        Announced {
            member: member.map(str::to_string),
            heads: BTreeMap::new(),
        }
    }

    pub(crate) fn add(&mut self, doc_id: &str, heads: &[[u8; 32]]) {
        self.heads.insert(
            doc_id.to_string(),
            heads.iter().map(|h| ChangeHash(*h)).collect(),
        );
    }
}

impl Replica {
    /// Records what a bundle announced (see [`Replica::export_deferred`]).
    pub fn note_sent(&mut self, a: &Announced) {
        let Some(member) = &a.member else {
            return;
        };
        for (doc_id, heads) in &a.heads {
            self.announced
                .insert((member.clone(), doc_id.clone()), heads.clone());
        }
    }

    /// The heads `member` holds of a document as far as this device
    /// knows: those it is recorded to hold, and those `assumed` (what
    /// bundles a relay stored for it carried).
    pub(crate) fn known_with(
        &self,
        member: Option<&str>,
        doc_id: &str,
        assumed: &BTreeMap<String, Vec<ChangeHash>>,
    ) -> Option<Vec<ChangeHash>> {
        let recorded = self.known_heads(member, doc_id);
        let assumed = member.and(assumed.get(doc_id));
        match (recorded, assumed) {
            (None, None) => None,
            (r, a) => {
                let mut all: Vec<ChangeHash> = r.unwrap_or_default();
                all.extend(a.into_iter().flatten());
                all.sort();
                all.dedup();
                Some(all)
            }
        }
    }

    /// The documents `member` may see of which this device holds changes
    /// that, as far as it knows (`known_with`), the member lacks: empty
    /// when a bundle for it would carry nothing new. The team document
    /// first.
    pub fn news_for(
        &mut self,
        member: &str,
        assumed: &BTreeMap<String, Vec<ChangeHash>>,
    ) -> Result<Vec<String>, SyncError> {
        self.require_resident("a check of what a member lacks")?;
        let team = self.team.view()?;
        let mut docs = vec![TEAM_DOC_ID.to_string()];
        for (doc_id, doc) in &self.cases {
            let creator = Replica::creator_of(&team, doc_id, doc);
            if team.may_access(member, doc_id, creator.as_deref()) {
                docs.push(doc_id.clone());
            }
        }
        let mut news = Vec::new();
        for doc_id in docs {
            let known = self.known_with(Some(member), &doc_id, assumed);
            let Some(doc) = self.doc_mut(&doc_id) else {
                continue;
            };
            // As a bundle reckons it (`doc_entry`): changes here that the
            // known heads held here do not reach. Heads the member has and
            // this device lacks do not make the document news.
            let have: Vec<ChangeHash> = known
                .unwrap_or_default()
                .into_iter()
                .filter(|h| doc.get_change_by_hash(h).is_some())
                .collect();
            if !doc.get_changes(&have).is_empty() {
                news.push(doc_id);
            }
        }
        Ok(news)
    }
}
