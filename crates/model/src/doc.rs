//! [`CaseDoc`]: one case as an Automerge document, and how it is loaded,
//! saved, merged and read. Changing it goes through [`crate::Edit`]s, which
//! `apply.rs` checks and writes.

use automerge::{ActorId, AutoCommit, ChangeHash, ObjId, ROOT, ReadDoc};
use autosurgeon::{Hydrate, hydrate};

use crate::attribution;
use crate::case::{Case, ChecklistInstance, Millis};
use crate::conflicts::{self, Conflict};
use crate::error::{ModelError, am};
use crate::later;
use crate::path::{DocPath, Seg};

/// One case document.
#[derive(Debug, Clone)]
pub struct CaseDoc {
    pub(crate) doc: AutoCommit,
}

impl CaseDoc {
    /// Loads a saved document; `actor` is the identity this device writes under.
    pub fn load(bytes: &[u8], actor: ActorId) -> Result<CaseDoc, ModelError> {
        let doc = AutoCommit::load(bytes).map_err(am)?.with_actor(actor);
        let me = CaseDoc { doc };
        me.case()?;
        Ok(me)
    }

    /// Wraps a document that the caller already holds (e.g. from the vault).
    pub fn from_automerge(doc: AutoCommit) -> CaseDoc {
        CaseDoc { doc }
    }

    pub fn automerge(&self) -> &AutoCommit {
        &self.doc
    }

    pub fn automerge_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    pub fn into_automerge(self) -> AutoCommit {
        self.doc
    }

    /// The case as plain data. Where a field has a conflict this shows the
    /// value Automerge picks; [`CaseDoc::conflicts`] lists the others.
    ///
    /// A checklist two devices started at once under the same key (the
    /// same template for the same person) is two instances there; the case
    /// reads them as one, so that neither device's work is hidden: the
    /// instance Automerge picks, and every item state and sign-off the
    /// other holds of items it lacks.
    pub fn case(&self) -> Result<Case, ModelError> {
        let document = |e: autosurgeon::HydrateError| ModelError::Document(e.to_string());
        let mut case: Case = hydrate(&self.doc).map_err(document)?;
        later::add_concurrent(&self.doc, &mut case).map_err(document)?;
        crate::later_lists::fold(&self.doc, &mut case).map_err(document)?;
        self.fold_concurrent_checklists(&mut case)?;
        Ok(case)
    }

    fn fold_concurrent_checklists(&self, case: &mut Case) -> Result<(), ModelError> {
        let Some((automerge::Value::Object(_), checklists)) =
            self.doc.get(&ROOT, "checklists").map_err(am)?
        else {
            return Ok(());
        };
        for (key, inst) in case.checklists.iter_mut() {
            let all = self.doc.get_all(&checklists, key.as_str()).map_err(am)?;
            // Automerge shows the last; the others, newest first, fill in.
            for (value, id) in all.iter().rev().skip(1) {
                if !matches!(value, automerge::Value::Object(_)) {
                    continue;
                }
                let other = ChecklistInstance::hydrate_map(&self.doc, id)
                    .map_err(|e| ModelError::Document(e.to_string()))?;
                if other.template_id != inst.template_id {
                    continue;
                }
                for (item, state) in other.items {
                    if inst.items.contains_key(&item) {
                        continue;
                    }
                    // A sign-off goes with the state it signed.
                    if let Some(signoff) = other.signoffs.get(&item) {
                        inst.signoffs
                            .entry(item.clone())
                            .or_insert_with(|| signoff.clone());
                    }
                    inst.items.insert(item, state);
                }
            }
        }
        Ok(())
    }

    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// When the case last changed, from the newest head's commit time
    /// (seconds precision, as Automerge records it).
    pub fn updated_at(&mut self) -> Option<Millis> {
        let heads = self.doc.get_heads();
        heads
            .iter()
            .filter_map(|h| self.doc.get_change_by_hash(h))
            .map(|c| c.timestamp() * 1000)
            .max()
    }

    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    /// Changes made since the last call (for the vault's incremental chunks).
    pub fn save_incremental(&mut self) -> Vec<u8> {
        self.doc.save_incremental()
    }

    /// Makes a copy that writes under another actor (another device).
    pub fn fork(&mut self, actor: ActorId) -> CaseDoc {
        CaseDoc {
            doc: self.doc.fork().with_actor(actor),
        }
    }

    /// Merges every change of `other` into this document.
    pub fn merge(&mut self, other: &mut CaseDoc) -> Result<(), ModelError> {
        let merged = self.doc.merge(&mut other.doc);
        // Automerge 0.12 keeps patch events of every merge in the
        // document's own log though no patches were asked for.
        self.doc.reset_diff_cursor();
        merged.map_err(am)?;
        Ok(())
    }

    /// Follows a path of map keys through the winning values to an object.
    pub(crate) fn obj_at(&self, path: &DocPath) -> Result<ObjId, ModelError> {
        later::object_at(&self.doc, path).ok_or_else(|| ModelError::NotFound {
            what: "path",
            id: path.to_string(),
        })
    }

    /// The parent object and key of an existing scalar field.
    pub(crate) fn existing_scalar(&self, path: &DocPath) -> Result<(ObjId, String), ModelError> {
        let not_found = || ModelError::NotFound {
            what: "field",
            id: path.to_string(),
        };
        let (last, parent) = path.segments().split_last().ok_or_else(not_found)?;
        let Seg::Key(key) = last else {
            return Err(not_found());
        };
        let parent = self.obj_at(&DocPath(parent.to_vec()))?;
        match self.doc.get(&parent, key.as_str()).map_err(am)? {
            Some((automerge::Value::Scalar(_), _)) => Ok((parent, key.clone())),
            Some(_) => Err(ModelError::Invalid {
                field: path.to_string(),
                message: "is not a single value".into(),
            }),
            None => Err(not_found()),
        }
    }

    /// Every field where concurrent edits left more than one value.
    pub fn conflicts(&self) -> Vec<Conflict> {
        conflicts::find(&self.doc)
    }
}

impl CaseDoc {
    /// When the case was opened: the time of the change that laid out its
    /// header, its first change. Read before a change is started (reading
    /// a change's time ends any transaction in progress).
    pub(crate) fn opened_at(&mut self) -> Option<Millis> {
        attribution::opened_at(&mut self.doc)
    }
}
