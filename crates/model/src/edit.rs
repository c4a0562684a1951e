//! [`Edit`]: every change the model knows how to make to a case, and how
//! each is checked and written. See `doc.rs` for why edits write only the
//! keys they change.

use automerge::ObjType;
use automerge::ReadDoc;
use automerge::transaction::Transactable;
use autosurgeon::{Reconcile, Reconciler, reconcile_prop};

use crate::attribution::{self, Signer};
use crate::case::*;
use crate::checklist::Catalog;
use crate::doc::{CaseDoc, am, non_empty, rec, validate_jurisdiction};
use crate::error::ModelError;
use crate::lifecycle;
use crate::path::{DocPath, Seg};
use crate::policy::{self, DocKind, WriteKind};
use crate::vocab::*;

/// Who makes an edit, and when. Supplied by the caller: the model has no clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub member: MemberId,
    pub role: Role,
    pub at: Millis,
}

/// A single scalar value for [`Edit::Set`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Str(String),
}

impl Reconcile for Scalar {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: Reconciler>(&self, mut r: R) -> Result<(), R::Error> {
        match self {
            Scalar::Null => r.none(),
            Scalar::Bool(b) => r.boolean(*b),
            Scalar::Int(i) => r.i64(*i),
            Scalar::Uint(u) => r.u64(*u),
            Scalar::Str(s) => r.str(s),
        }
    }
}

impl From<&str> for Scalar {
    fn from(s: &str) -> Self {
        Scalar::Str(s.to_string())
    }
}
impl From<String> for Scalar {
    fn from(s: String) -> Self {
        Scalar::Str(s)
    }
}
impl From<bool> for Scalar {
    fn from(b: bool) -> Self {
        Scalar::Bool(b)
    }
}
impl From<u64> for Scalar {
    fn from(u: u64) -> Self {
        Scalar::Uint(u)
    }
}
impl From<crate::date::Date> for Scalar {
    fn from(d: crate::date::Date) -> Self {
        Scalar::Str(d.to_string())
    }
}
impl<T: Into<Scalar>> From<Option<T>> for Scalar {
    fn from(v: Option<T>) -> Self {
        v.map_or(Scalar::Null, Into::into)
    }
}

/// A new record for one of the case's keyed collections.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Victim(Victim),
    Suspect(Suspect),
    Witness(Witness),
    Evidence(Evidence),
    Interview(Interview),
    Task(Task),
    Timeline(TimelineEvent),
    Referral(Referral),
    Risk(RiskAssessment),
    Note(Note),
    Review(ReviewItem),
    Approval(Approval),
}

impl Record {
    /// The case-document key of the collection this record goes into.
    pub fn collection(&self) -> &'static str {
        match self {
            Record::Victim(_) => "victims",
            Record::Suspect(_) => "suspects",
            Record::Witness(_) => "witnesses",
            Record::Evidence(_) => "evidence",
            Record::Interview(_) => "interviews",
            Record::Task(_) => "tasks",
            Record::Timeline(_) => "timeline",
            Record::Referral(_) => "referrals",
            Record::Risk(_) => "risks",
            Record::Note(_) => "notes",
            Record::Review(_) => "review",
            Record::Approval(_) => "approvals",
        }
    }
}

/// Every change the model knows how to make to a case.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Adds a record under a new, unique id.
    Insert { id: String, record: Record },
    /// Overwrites one existing scalar field, e.g. `header/title` or
    /// `victims/v1/identity/full_name`. Writing a field that has a conflict
    /// decides that conflict.
    Set { path: DocPath, value: Scalar },
    /// Replaces collaborative text (`narrative`, `notes/<id>/body`,
    /// `interviews/<id>/plan`) by editing only the characters that differ.
    SetText { path: DocPath, text: String },
    /// Appends one hand-over to an evidence item's chain of custody.
    AppendCustody {
        evidence_id: String,
        entry: CustodyEntry,
    },
    /// Starts following a checklist template (at a given version).
    StartChecklist { template_id: String, version: u64 },
    /// Records the state of one checklist item.
    SetItem {
        template_id: String,
        item_id: String,
        status: ItemStatus,
        reason: Option<String>,
        note: Option<String>,
        evidence_ids: Vec<String>,
        interview_ids: Vec<String>,
    },
    /// Signs off one checklist item that needs the author's role.
    SignOffItem {
        template_id: String,
        item_id: String,
    },
    /// Moves a checklist to a newer template version, keeping every item state.
    AdoptTemplate { template_id: String, version: u64 },
    /// Opens a stage.
    OpenStage { stage: Stage },
    /// Closes a stage gate; refused while the gate is not ready.
    CloseStage { stage: Stage },
    /// Adds an article to the legal qualification.
    AddArticle(LegalArticle),
    /// Removes an article from the legal qualification.
    RemoveArticle { key: String },
    /// Assigns an investigator to the case, or removes them.
    AssignInvestigator { member: MemberId, assigned: bool },
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
                let items = self.obj_at(&DocPath::keys([
                    "checklists",
                    template_id.as_str(),
                    "items",
                ]))?;
                self.put_entry(&items, &item_id, &state)?;
                self.check_made(&path, signer)
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
                let signoffs = self.obj_at(&DocPath::keys([
                    "checklists",
                    template_id.as_str(),
                    "signoffs",
                ]))?;
                self.put_entry(&signoffs, &item_id, &so)?;
                self.check_made(&path, signer)
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

    /// Writes an entry whole, as a new object under `key` of `parent`: an
    /// entry that is one person's statement (an item's state, a sign-off)
    /// is replaced, never edited in place, so its attribution covers all of
    /// it (see `policy::WRITTEN_WITH_ENTRY`).
    fn put_entry<T: Reconcile>(
        &mut self,
        parent: &automerge::ObjId,
        key: &str,
        entry: &T,
    ) -> Result<(), ModelError> {
        self.doc.put_object(parent, key, ObjType::Map).map_err(am)?;
        reconcile_prop(&mut self.doc, parent, key, entry).map_err(rec)
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
) -> Result<(&'c ChecklistInstance, &'c crate::checklist::TemplateItem), ModelError> {
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

/// Change messages travel with the history forever: they name the kind of
/// edit only, never any value.
pub(crate) fn edit_summary(edit: &Edit) -> &'static str {
    match edit {
        Edit::Insert { record, .. } => match record.collection() {
            "victims" => "add victim",
            "suspects" => "add suspect",
            "witnesses" => "add witness",
            "evidence" => "add evidence",
            "interviews" => "add interview",
            "tasks" => "add task",
            "timeline" => "add timeline event",
            "referrals" => "add referral",
            "risks" => "add risk assessment",
            "notes" => "add note",
            "review" => "add review item",
            _ => "add approval",
        },
        Edit::Set { .. } => "edit field",
        Edit::SetText { .. } => "edit text",
        Edit::AppendCustody { .. } => "custody transfer",
        Edit::StartChecklist { .. } => "start checklist",
        Edit::SetItem { .. } => "checklist item",
        Edit::SignOffItem { .. } => "sign off item",
        Edit::AdoptTemplate { .. } => "adopt template version",
        Edit::OpenStage { .. } => "open stage",
        Edit::CloseStage { .. } => "close stage",
        Edit::AddArticle(_) => "add article",
        Edit::RemoveArticle { .. } => "remove article",
        Edit::AssignInvestigator { .. } => "assignment",
    }
}
