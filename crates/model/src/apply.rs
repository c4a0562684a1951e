//! How a case changes: [`CaseDoc::create`] lays out a new case and
//! [`CaseDoc::apply`] turns one [`Edit`] into one change, checked against
//! the role policy, the attribution rules, the case and the schema before it
//! is committed; [`CaseDoc::resolve`] decides a conflict the same way.
//!
//! Edits write exactly the keys they change. Re-reconciling a whole hydrated
//! case would re-put every field, and Automerge treats putting a field's
//! current value as resolving any conflict on it: concurrent values would
//! vanish without anyone deciding. So conflicts are only ever resolved by an
//! explicit edit of that field or by [`CaseDoc::resolve`].

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ChangeHash, ObjType, ReadDoc};
use autosurgeon::{Reconcile, Text, reconcile, reconcile_prop};

use crate::attribution::{self, Attests, Signer};
use crate::case::*;
use crate::checklist::{Catalog, TemplateItem};
use crate::doc::CaseDoc;
use crate::edit::{Author, Edit, Record, edit_summary};
use crate::error::{ModelError, am, rec};
use crate::lifecycle;
use crate::path::{DocPath, Seg};
use crate::policy::{self, DocKind, WriteKind};
use crate::scalar::Scalar;
use crate::validate::{non_empty, validate_jurisdiction};
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
    pub(crate) fn write(
        &mut self,
        edit: Edit,
        author: &Author,
        signer: &Signer<'_>,
        catalog: &Catalog,
    ) -> Result<(), ModelError> {
        let role = author.role;
        let allow = |path: &DocPath, kind| policy::check(DocKind::Case, role, path, kind);
        // A write into an object that existed before this change.
        let allow_in_place =
            |path: &DocPath, kind| policy::check_in_place(DocKind::Case, role, path, kind);
        match edit {
            Edit::Insert { id, record } => {
                non_empty("id", &id)?;
                let coll = record.collection();
                let path = DocPath::keys([coll, id.as_str()]);
                allow(&path, WriteKind::Create)?;
                let obj = self.obj_at(&DocPath::keys([coll]))?;
                if self.doc.get(&obj, id.as_str()).map_err(am)?.is_some() {
                    return Err(ModelError::DuplicateId {
                        collection: coll,
                        id,
                    });
                }
                self.validate_record(&record)?;
                match &record {
                    Record::Victim(v) => reconcile_prop(&mut self.doc, &obj, id.as_str(), v),
                    Record::Suspect(v) => reconcile_prop(&mut self.doc, &obj, id.as_str(), v),
                    Record::Witness(v) => reconcile_prop(&mut self.doc, &obj, id.as_str(), v),
                    Record::Evidence(v) => reconcile_prop(&mut self.doc, &obj, id.as_str(), v),
                    Record::Interview(v) => reconcile_prop(&mut self.doc, &obj, id.as_str(), v),
                    Record::Task(v) => reconcile_prop(&mut self.doc, &obj, id.as_str(), v),
                    Record::Timeline(v) => reconcile_prop(&mut self.doc, &obj, id.as_str(), v),
                    Record::Referral(v) => reconcile_prop(&mut self.doc, &obj, id.as_str(), v),
                    Record::Risk(v) => reconcile_prop(&mut self.doc, &obj, id.as_str(), v),
                    Record::Note(v) => reconcile_prop(&mut self.doc, &obj, id.as_str(), v),
                    Record::Review(v) => reconcile_prop(&mut self.doc, &obj, id.as_str(), v),
                    Record::Approval(v) => reconcile_prop(&mut self.doc, &obj, id.as_str(), v),
                }
                .map_err(rec)?;
                self.check_made(&path, signer)
            }
            Edit::Set { path, value } => {
                let (parent, key) = self.existing_scalar(&path)?;
                allow_in_place(&path, WriteKind::Update)?;
                attribution::judge(
                    DocKind::Case,
                    &path,
                    WriteKind::Update,
                    false,
                    Some(&value),
                    signer,
                )?;
                if path.matches("header/jurisdiction") {
                    match &value {
                        Scalar::Str(s) => validate_jurisdiction(s)?,
                        _ => {
                            return Err(ModelError::Invalid {
                                field: path.to_string(),
                                message: "expected a country code".into(),
                            });
                        }
                    }
                }
                crate::schema::case()
                    .check(&path, &(&value).into())
                    .map_err(|bad| ModelError::Invalid {
                        field: path.to_string(),
                        message: bad.reason(),
                    })?;
                reconcile_prop(&mut self.doc, &parent, key.as_str(), &value).map_err(rec)
            }
            Edit::SetText { path, text } => {
                let obj = self.obj_at(&path)?;
                if self.doc.object_type(&obj).map_err(am)? != ObjType::Text {
                    return Err(ModelError::Invalid {
                        field: path.to_string(),
                        message: "is not a text field".into(),
                    });
                }
                allow_in_place(&path.child(Seg::Index(0)), WriteKind::Create)?;
                allow_in_place(&path.child(Seg::Index(0)), WriteKind::Delete)?;
                self.doc.update_text(&obj, &text).map_err(am)
            }
            Edit::AppendCustody { evidence_id, entry } => {
                let path = DocPath::keys(["evidence", evidence_id.as_str(), "custody"]);
                let list = self.obj_at(&path).map_err(|_| ModelError::NotFound {
                    what: "evidence item",
                    id: evidence_id.clone(),
                })?;
                let len = self.doc.length(&list);
                allow(&path.child(Seg::Index(len)), WriteKind::Create)?;
                non_empty("custody recipient", &entry.to)?;
                let case = self.case()?;
                if case.evidence[&evidence_id]
                    .custody
                    .iter()
                    .any(|c| c.id == entry.id)
                {
                    return Err(ModelError::DuplicateId {
                        collection: "custody",
                        id: entry.id,
                    });
                }
                autosurgeon::reconcile_insert(&mut self.doc, list, len, &entry).map_err(rec)?;
                self.check_made(&path.child(Seg::Index(len)), signer)
            }
            Edit::StartChecklist {
                template_id,
                version,
            } => {
                catalog
                    .get(&template_id, version)
                    .ok_or_else(|| ModelError::NotFound {
                        what: "checklist template",
                        id: format!("{template_id}@{version}"),
                    })?;
                let path = DocPath::keys(["checklists", template_id.as_str()]);
                allow(&path, WriteKind::Create)?;
                let obj = self.obj_at(&DocPath::keys(["checklists"]))?;
                if self
                    .doc
                    .get(&obj, template_id.as_str())
                    .map_err(am)?
                    .is_some()
                {
                    return Err(ModelError::DuplicateId {
                        collection: "checklists",
                        id: template_id,
                    });
                }
                let inst = ChecklistInstance {
                    template_id: template_id.clone(),
                    version,
                    items: Default::default(),
                    signoffs: Default::default(),
                };
                reconcile_prop(&mut self.doc, &obj, template_id.as_str(), &inst).map_err(rec)
            }
            Edit::SetItem {
                template_id,
                item_id,
                status,
                reason,
                note,
                evidence_ids,
                interview_ids,
            } => {
                let case = self.case()?;
                let (inst, _) = instance_and_item(&case, catalog, &template_id, &item_id)?;
                if status == ItemStatus::NotApplicable
                    && reason.as_deref().is_none_or(|r| r.trim().is_empty())
                {
                    return Err(ModelError::ReasonRequired { item: item_id });
                }
                for e in &evidence_ids {
                    if !case.evidence.contains_key(e) {
                        return Err(ModelError::NotFound {
                            what: "evidence item",
                            id: e.clone(),
                        });
                    }
                }
                for i in &interview_ids {
                    if !case.interviews.contains_key(i) {
                        return Err(ModelError::NotFound {
                            what: "interview",
                            id: i.clone(),
                        });
                    }
                }
                let path = DocPath::keys([
                    "checklists",
                    template_id.as_str(),
                    "items",
                    item_id.as_str(),
                ]);
                let previous = inst.items.get(&item_id);
                allow(
                    &path,
                    if previous.is_some() {
                        WriteKind::Update
                    } else {
                        WriteKind::Create
                    },
                )?;
                let state = ItemState {
                    status,
                    reason,
                    note,
                    evidence_ids,
                    interview_ids,
                    by: author.member.clone(),
                    at: author.at,
                };
                let items = DocPath::keys(["checklists", template_id.as_str(), "items"]);
                self.put_entry(&items, &item_id, &state, signer)
            }
            Edit::SignOffItem {
                template_id,
                item_id,
            } => {
                let case = self.case()?;
                let (inst, item) = instance_and_item(&case, catalog, &template_id, &item_id)?;
                if item.signoff != Some(role) {
                    return Err(ModelError::Invalid {
                        field: item_id,
                        message: format!("this item is not signed off by a {role}"),
                    });
                }
                let status = inst
                    .items
                    .get(&item_id)
                    .map_or(ItemStatus::Open, |s| s.status);
                if status == ItemStatus::Open {
                    return Err(ModelError::Invalid {
                        field: item_id,
                        message: "an open item cannot be signed off".into(),
                    });
                }
                let path = DocPath::keys([
                    "checklists",
                    template_id.as_str(),
                    "signoffs",
                    item_id.as_str(),
                ]);
                let kind = if inst.signoffs.contains_key(&item_id) {
                    WriteKind::Update
                } else {
                    WriteKind::Create
                };
                allow(&path, kind)?;
                let so = SignOff {
                    role,
                    status,
                    by: author.member.clone(),
                    at: author.at,
                };
                let signoffs = DocPath::keys(["checklists", template_id.as_str(), "signoffs"]);
                self.put_entry(&signoffs, &item_id, &so, signer)
            }
            Edit::AdoptTemplate {
                template_id,
                version,
            } => {
                let case = self.case()?;
                let inst =
                    case.checklists
                        .get(&template_id)
                        .ok_or_else(|| ModelError::NotFound {
                            what: "checklist",
                            id: template_id.clone(),
                        })?;
                catalog
                    .get(&template_id, version)
                    .ok_or_else(|| ModelError::NotFound {
                        what: "checklist template",
                        id: format!("{template_id}@{version}"),
                    })?;
                if version <= inst.version {
                    return Err(ModelError::Invalid {
                        field: template_id,
                        message: format!("version {version} is not newer than {}", inst.version),
                    });
                }
                let path = DocPath::keys(["checklists", template_id.as_str(), "version"]);
                allow(&path, WriteKind::Update)?;
                let obj = self.obj_at(&DocPath::keys(["checklists", template_id.as_str()]))?;
                reconcile_prop(&mut self.doc, &obj, "version", version).map_err(rec)
            }
            Edit::OpenStage { stage } => {
                let path = DocPath::keys(["stages", stage.id()]);
                let stages = self.obj_at(&DocPath::keys(["stages"]))?;
                if self.doc.get(&stages, stage.id()).map_err(am)?.is_some() {
                    return Err(ModelError::Invalid {
                        field: path.to_string(),
                        message: "this stage is already open".into(),
                    });
                }
                allow(&path, WriteKind::Create)?;
                let state = StageState {
                    status: StageStatus::Active,
                    opened_at: Some(author.at),
                    closed_at: None,
                };
                reconcile_prop(&mut self.doc, &stages, stage.id(), &state).map_err(rec)
            }
            Edit::CloseStage { stage } => {
                let case = self.case()?;
                let open = case
                    .stages
                    .get(stage.id())
                    .is_some_and(|s| s.status == StageStatus::Active);
                if !open {
                    return Err(ModelError::Invalid {
                        field: stage.id().into(),
                        message: "this stage is not open".into(),
                    });
                }
                let gate = lifecycle::gate(&case, stage, catalog);
                if !gate.is_ready() {
                    return Err(ModelError::GateNotReady(Box::new(gate)));
                }
                allow(
                    &DocPath::keys(["stages", stage.id(), "status"]),
                    WriteKind::Update,
                )?;
                let obj = self.obj_at(&DocPath::keys(["stages", stage.id()]))?;
                reconcile_prop(&mut self.doc, &obj, "status", StageStatus::Closed).map_err(rec)?;
                reconcile_prop(&mut self.doc, &obj, "closed_at", Some(author.at)).map_err(rec)
            }
            Edit::AddArticle(article) => {
                validate_jurisdiction(&article.jurisdiction)?;
                non_empty("article", &article.article)?;
                let key = article.key();
                allow(
                    &DocPath::keys(["header", "qualification", key.as_str()]),
                    WriteKind::Create,
                )?;
                let obj = self.obj_at(&DocPath::keys(["header", "qualification"]))?;
                if self.doc.get(&obj, key.as_str()).map_err(am)?.is_some() {
                    return Err(ModelError::DuplicateId {
                        collection: "qualification",
                        id: key,
                    });
                }
                reconcile_prop(&mut self.doc, &obj, key.as_str(), &article).map_err(rec)
            }
            Edit::RemoveArticle { key } => {
                allow(
                    &DocPath::keys(["header", "qualification", key.as_str()]),
                    WriteKind::Delete,
                )?;
                let obj = self.obj_at(&DocPath::keys(["header", "qualification"]))?;
                if self.doc.get(&obj, key.as_str()).map_err(am)?.is_none() {
                    return Err(ModelError::NotFound {
                        what: "article",
                        id: key,
                    });
                }
                self.doc.delete(&obj, key.as_str()).map_err(am)
            }
            Edit::AssignInvestigator { member, assigned } => {
                non_empty("member", &member)?;
                let path = DocPath::keys(["assignment", "investigators", member.as_str()]);
                let obj = self.obj_at(&DocPath::keys(["assignment", "investigators"]))?;
                let present = self.doc.get(&obj, member.as_str()).map_err(am)?.is_some();
                match (present, assigned) {
                    (false, true) => {
                        allow(&path, WriteKind::Create)?;
                        self.doc.put(&obj, member.as_str(), true).map_err(am)
                    }
                    (true, false) => {
                        allow(&path, WriteKind::Delete)?;
                        self.doc.delete(&obj, member.as_str()).map_err(am)
                    }
                    _ => Err(ModelError::NoChange),
                }
            }
        }
    }

    /// Writes an entry whole, as a new object under `key` of the map at
    /// `parent`: an entry that is one person's statement (an item's state,
    /// a sign-off) is replaced, never edited in place, so its attribution
    /// covers all of it (see `policy::WRITTEN_WITH_ENTRY`).
    fn put_entry<T: Reconcile>(
        &mut self,
        parent: &DocPath,
        key: &str,
        entry: &T,
        signer: &Signer<'_>,
    ) -> Result<(), ModelError> {
        let obj = self.obj_at(parent)?;
        self.doc.put_object(&obj, key, ObjType::Map).map_err(am)?;
        reconcile_prop(&mut self.doc, &obj, key, entry).map_err(rec)?;
        self.check_made(&parent.key(key), signer)
    }

    /// Checks the attribution fields of the record or entry this change
    /// has just made at `path` (see [`crate::attribution`]).
    pub(crate) fn check_made(&self, path: &DocPath, signer: &Signer<'_>) -> Result<(), ModelError> {
        let Some(object) = attribution::object_at(DocKind::Case, path) else {
            return Ok(());
        };
        let obj = self.obj_at(path)?;
        for (field, _) in object.fields {
            let value = match self.doc.get(&obj, *field).map_err(am)? {
                Some((automerge::Value::Scalar(s), _)) => Scalar::from_automerge(&s),
                _ => None,
            };
            attribution::judge(
                DocKind::Case,
                &path.key(*field),
                WriteKind::Create,
                true,
                value.as_ref(),
                signer,
            )?;
        }
        Ok(())
    }

    fn validate_record(&self, record: &Record) -> Result<(), ModelError> {
        match record {
            Record::Victim(v) => non_empty("pseudonym", &v.pseudonym),
            Record::Suspect(v) => non_empty("pseudonym", &v.pseudonym),
            Record::Witness(v) => non_empty("pseudonym", &v.pseudonym),
            Record::Evidence(e) if !e.custody.is_empty() => Err(ModelError::Invalid {
                field: "custody".into(),
                message: "a new evidence item starts with an empty chain; append hand-overs".into(),
            }),
            Record::Evidence(e) => non_empty("label", &e.label),
            Record::Risk(r)
                if !(1..=5).contains(&r.severity) || !(1..=5).contains(&r.likelihood) =>
            {
                Err(ModelError::Invalid {
                    field: "severity/likelihood".into(),
                    message: "severity and likelihood are rated 1 to 5".into(),
                })
            }
            Record::Task(t) => non_empty("task title", &t.title),
            _ => Ok(()),
        }
    }
}

pub(crate) fn instance_and_item<'c>(
    case: &'c Case,
    catalog: &'c Catalog,
    template_id: &str,
    item_id: &str,
) -> Result<(&'c ChecklistInstance, &'c TemplateItem), ModelError> {
    let inst = case
        .checklists
        .get(template_id)
        .ok_or_else(|| ModelError::NotFound {
            what: "checklist",
            id: template_id.to_string(),
        })?;
    let tpl =
        catalog
            .get(template_id, inst.version)
            .ok_or_else(|| ModelError::UnknownTemplate {
                template_id: template_id.to_string(),
                version: inst.version,
            })?;
    let item = tpl.item(item_id).ok_or_else(|| ModelError::NotFound {
        what: "checklist item",
        id: format!("{template_id}/{item_id}"),
    })?;
    Ok((inst, item))
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
