//! [`CaseDoc`]: one case as an Automerge document, changed only through
//! [`Edit`]s.
//!
//! Edits write exactly the keys they change. Re-reconciling a whole hydrated
//! case would re-put every field, and Automerge treats putting a field's
//! current value as resolving any conflict on it: concurrent values would
//! vanish without anyone deciding. So conflicts are only ever resolved by an
//! explicit edit of that field or by [`CaseDoc::resolve`].

use automerge::transaction::CommitOptions;
use automerge::{ActorId, AutoCommit, ChangeHash, ObjId, ROOT, ReadDoc};
use autosurgeon::{Text, hydrate, reconcile};

use crate::attribution::{self, Attests, Signer};
use crate::case::*;
use crate::checklist::Catalog;
use crate::edit::{Author, Edit, edit_summary};
use crate::error::ModelError;
use crate::path::{DocPath, Seg};
use crate::policy::{self, DocKind, WriteKind};
use crate::vocab::*;

/// What a new case starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCase {
    /// Random bytes that make the case's first change unique. A case's id
    /// is derived from the hash of its first change, so that no later
    /// change can claim to have opened it (see the sync crate's
    /// `case_id_of`); the caller supplies the randomness.
    pub nonce: [u8; 16],
    pub reference: String,
    pub title: String,
    pub jurisdiction: String,
}

/// One case document.
#[derive(Debug, Clone)]
pub struct CaseDoc {
    pub(crate) doc: AutoCommit,
}

pub(crate) fn am(e: automerge::AutomergeError) -> ModelError {
    ModelError::Document(e.to_string())
}

pub(crate) fn rec(e: autosurgeon::ReconcileError) -> ModelError {
    ModelError::Document(e.to_string())
}

impl CaseDoc {
    /// Creates a case in one genesis change, with every collection present so
    /// that later concurrent additions land in the same maps. The case starts
    /// with the catalog's default checklists and the intake stage open.
    pub fn create(
        actor: ActorId,
        new: NewCase,
        author: &Author,
        catalog: &Catalog,
    ) -> Result<CaseDoc, ModelError> {
        validate_jurisdiction(&new.jurisdiction)?;
        non_empty("title", &new.title)?;
        policy::may_open_case(author.role)?;
        let mut stages = std::collections::BTreeMap::new();
        stages.insert(
            Stage::Intake.id().to_string(),
            StageState {
                status: StageStatus::Active,
                opened_at: Some(author.at),
                closed_at: None,
            },
        );
        let checklists = catalog
            .defaults_for_new_case()
            .into_iter()
            .map(|t| {
                (
                    t.id.clone(),
                    ChecklistInstance {
                        template_id: t.id.clone(),
                        version: t.version,
                        items: Default::default(),
                        signoffs: Default::default(),
                    },
                )
            })
            .collect();
        let case = Case {
            schema: CASE_SCHEMA,
            header: CaseHeader {
                reference: new.reference,
                title: new.title,
                jurisdiction: new.jurisdiction,
                qualification: Default::default(),
                status: CaseStatus::Active,
                created_at: author.at,
                created_by: author.member.clone(),
            },
            narrative: Text::with_value(""),
            stages,
            assignment: Assignment::default(),
            victims: Default::default(),
            suspects: Default::default(),
            witnesses: Default::default(),
            evidence: Default::default(),
            interviews: Default::default(),
            tasks: Default::default(),
            timeline: Default::default(),
            referrals: Default::default(),
            risks: Default::default(),
            notes: Default::default(),
            checklists,
            review: Default::default(),
            approvals: Default::default(),
        };
        let mut me = CaseDoc {
            doc: AutoCommit::new().with_actor(actor),
        };
        reconcile(&mut me.doc, &case).map_err(rec)?;
        let opened = change_time(author.at);
        me.check_made(&DocPath::keys(["header"]), &signer(author, Some(opened)))?;
        let message = format!("create case {}", hex_of(&new.nonce));
        me.doc.commit_with(commit_options(&message, author));
        Ok(me)
    }

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
    pub fn case(&self) -> Result<Case, ModelError> {
        hydrate(&self.doc).map_err(|e| ModelError::Document(e.to_string()))
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
        self.doc.merge(&mut other.doc).map_err(am)?;
        Ok(())
    }

    /// Applies one edit as one change. The author's role is checked against
    /// the policy, the edit against the case, and the resulting document
    /// against the schema; on any failure nothing is written.
    pub fn apply(
        &mut self,
        edit: Edit,
        author: &Author,
        catalog: &Catalog,
    ) -> Result<ChangeHash, ModelError> {
        let summary = edit_summary(&edit);
        let opened = self.opened_at();
        let signer = signer(author, opened);
        let checked = self.write(edit, author, &signer, catalog).and_then(|()| {
            self.case().map(drop).map_err(|e| match e {
                ModelError::Document(m) => ModelError::Invalid {
                    field: "value".into(),
                    message: format!("does not fit this field ({m})"),
                },
                e => e,
            })
        });
        match checked {
            Ok(()) => self
                .doc
                .commit_with(commit_options(summary, author))
                .ok_or(ModelError::NoChange),
            Err(e) => {
                self.doc.rollback();
                Err(e)
            }
        }
    }

    /// Follows a path of map keys through the winning values to an object.
    pub(crate) fn obj_at(&self, path: &DocPath) -> Result<ObjId, ModelError> {
        let mut obj = ROOT;
        for seg in path.segments() {
            let got = match seg {
                Seg::Key(k) => self.doc.get(&obj, k.as_str()),
                Seg::Index(i) => self.doc.get(&obj, *i),
            }
            .map_err(am)?;
            match got {
                Some((automerge::Value::Object(_), id)) => obj = id,
                _ => {
                    return Err(ModelError::NotFound {
                        what: "path",
                        id: path.to_string(),
                    });
                }
            }
        }
        Ok(obj)
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
    pub fn conflicts(&self) -> Vec<crate::conflicts::Conflict> {
        crate::conflicts::find(&self.doc)
    }

    /// Decides a conflict by keeping the value with the given `choice` id (from
    /// [`crate::conflicts::ConflictValue::id`]). The decision is a change like
    /// any other, checked against the author's role.
    ///
    /// Deciding between concurrent records or entries writes a copy of the
    /// chosen one, made by the author of the decision: its attribution
    /// (who, when) is the decider's, and its role must be theirs. An
    /// attribution field on its own is never chosen (it is written only
    /// with its record).
    pub fn resolve(
        &mut self,
        path: &DocPath,
        choice: &str,
        author: &Author,
    ) -> Result<ChangeHash, ModelError> {
        let opened = self.opened_at();
        let signer = signer(author, opened);
        let object = attribution::object_at(DocKind::Case, path);
        let overrides: Vec<(&str, automerge::ScalarValue)> = object
            .map(|o| o.fields)
            .unwrap_or_default()
            .iter()
            .filter_map(|(field, attests)| match attests {
                Attests::Member => Some((*field, author.member.as_str().into())),
                Attests::Time => Some((*field, automerge::ScalarValue::Int(author.at))),
                Attests::Role => None,
            })
            .collect();
        let result = policy::check_in_place(DocKind::Case, author.role, path, WriteKind::Update)
            .map_err(ModelError::from)
            .and_then(|()| {
                attribution::judge(DocKind::Case, path, WriteKind::Update, false, None, &signer)
                    .map_err(ModelError::from)
            })
            .and_then(|()| crate::conflicts::resolve(&mut self.doc, path, choice, &overrides))
            .and_then(|()| self.check_made(path, &signer))
            .and_then(|()| self.case().map(drop));
        match result {
            Ok(()) => self
                .doc
                .commit_with(commit_options("resolve conflict", author))
                .ok_or(ModelError::NoChange),
            Err(e) => {
                self.doc.rollback();
                Err(e)
            }
        }
    }
}

impl CaseDoc {
    /// When the case was opened: the time of the change that laid out its
    /// header, its first change. Read before a change is started (reading
    /// a change's time ends any transaction in progress).
    fn opened_at(&mut self) -> Option<Millis> {
        attribution::opened_at(&mut self.doc)
    }
}

/// The time a change made at `at` records (Automerge keeps whole seconds).
fn change_time(at: Millis) -> Millis {
    at.div_euclid(1000).saturating_mul(1000)
}

/// Who signs a change `author` makes, as the sync layer will see it.
fn signer(author: &Author, opened_at: Option<Millis>) -> Signer<'_> {
    Signer {
        member: &author.member,
        role: author.role,
        at: change_time(author.at),
        opened_at,
    }
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn commit_options(message: &str, author: &Author) -> CommitOptions {
    CommitOptions::default()
        .with_message(message)
        .with_time(author.at.div_euclid(1000))
}

pub(crate) fn non_empty(field: &str, value: &str) -> Result<(), ModelError> {
    if value.trim().is_empty() {
        return Err(ModelError::Invalid {
            field: field.into(),
            message: "must not be empty".into(),
        });
    }
    Ok(())
}

/// ISO 3166-1 alpha-2: two capital Latin letters.
pub fn validate_jurisdiction(code: &str) -> Result<(), ModelError> {
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ModelError::Invalid {
            field: "jurisdiction".into(),
            message: "use a two-letter country code such as KZ, KG, TJ, TM or UZ".into(),
        })
    }
}
