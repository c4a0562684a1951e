//! The writes of each kind of [`Edit`]: [`CaseDoc::write`] hands an edit to
//! the function of its kind, which checks it against the policy and the
//! case and writes exactly the keys it changes.

use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ReadDoc};
use autosurgeon::{Reconcile, reconcile_prop};

use super::instance_and_item;
use crate::attribution::{self, Signer};
use crate::case::*;
use crate::checklist::{Catalog, Per, Template, checklist_key};
use crate::court;
use crate::doc::CaseDoc;
use crate::edit::{AttachmentRef, Author, Edit, Record};
use crate::error::{ModelError, am, rec};
use crate::later;
use crate::lifecycle;
use crate::path::{DocPath, Seg};
use crate::policy::{self, DocKind, WriteKind};
use crate::scalar::Scalar;
use crate::validate::{non_empty, validate_jurisdiction};
use crate::vocab::*;

/// Who writes a change, and against which catalog: the same for every
/// write of one edit.
pub(super) struct By<'a> {
    author: &'a Author,
    pub(super) signer: &'a Signer<'a>,
    catalog: &'a Catalog,
}

impl By<'_> {
    fn allow(&self, path: &DocPath, kind: WriteKind) -> Result<(), ModelError> {
        Ok(policy::check(DocKind::Case, self.author.role, path, kind)?)
    }

    /// A write into an object that existed before this change.
    pub(super) fn allow_in_place(&self, path: &DocPath, kind: WriteKind) -> Result<(), ModelError> {
        Ok(policy::check_in_place(
            DocKind::Case,
            self.author.role,
            path,
            kind,
        )?)
    }
}

/// Writing over an entry that is there updates it; otherwise it creates it.
fn create_or_update(present: bool) -> WriteKind {
    if present {
        WriteKind::Update
    } else {
        WriteKind::Create
    }
}

fn template<'c>(catalog: &'c Catalog, id: &str, version: u64) -> Result<&'c Template, ModelError> {
    catalog
        .get(id, version)
        .ok_or_else(|| ModelError::NotFound {
            what: "checklist template",
            id: format!("{id}@{version}"),
        })
}

impl CaseDoc {
    pub(crate) fn write(
        &mut self,
        edit: Edit,
        author: &Author,
        signer: &Signer<'_>,
        catalog: &Catalog,
    ) -> Result<(), ModelError> {
        let by = &By {
            author,
            signer,
            catalog,
        };
        match edit {
            Edit::Insert { id, record } => self.insert(id, &record, by),
            Edit::Set { path, value } => self.set(&path, &value, by),
            Edit::SetText { path, text } => self.set_text(&path, &text, by),
            Edit::SetList { path, values } => self.set_list(&path, &values, by),
            Edit::SetFields { edits } => self.set_fields(edits, by),
            Edit::SetGroupMember {
                group_id,
                suspect_id,
                member,
            } => self.set_group_member(&group_id, &suspect_id, member.as_ref(), by),
            Edit::AppendCustody { evidence_id, entry } => {
                self.append_custody(evidence_id, entry, by)
            }
            Edit::SetAttachment {
                evidence_id,
                attachment,
            } => self.set_attachment(&evidence_id, attachment, by),
            Edit::StartChecklist {
                template_id,
                version,
            } => self.start_checklist(template_id, version, None, by),
            Edit::StartPersonChecklist {
                template_id,
                version,
                person_id,
            } => self.start_checklist(template_id, version, Some(person_id), by),
            Edit::SetItem {
                template_id,
                item_id,
                status,
                reason,
                note,
                evidence_ids,
                interview_ids,
            } => {
                let state = ItemState {
                    status,
                    reason,
                    note,
                    evidence_ids,
                    interview_ids,
                    by: author.member.clone(),
                    at: author.at,
                };
                self.set_item(&template_id, item_id, state, by)
            }
            Edit::SignOffItem {
                template_id,
                item_id,
            } => self.sign_off_item(&template_id, item_id, by),
            Edit::AdoptTemplate {
                template_id,
                version,
            } => self.adopt_template(template_id, version, by),
            Edit::OpenStage { stage } => self.open_stage(stage, by),
            Edit::CloseStage { stage } => self.close_stage(stage, by),
            Edit::AddArticle(article) => self.add_article(&article, by),
            Edit::RemoveArticle { key } => self.remove_article(key, by),
            Edit::AssignInvestigator { member, assigned } => {
                self.assign_investigator(&member, assigned, by)
            }
        }
    }

    /// The map of later collection `coll` a new record `id` goes into: the
    /// one Automerge shows, made by this change where the case predates the
    /// collection. None of the collection's maps may hold `id` yet.
    fn later_collection(&mut self, coll: &'static str, id: &str) -> Result<ObjId, ModelError> {
        if later::map_holding(&self.doc, coll, id).is_some() {
            return Err(ModelError::DuplicateId {
                collection: coll,
                id: id.to_string(),
            });
        }
        match later::maps(&self.doc, coll).into_iter().next() {
            Some(map) => Ok(map),
            None => self
                .doc
                .put_object(automerge::ROOT, coll, ObjType::Map)
                .map_err(am),
        }
    }

    /// The map at `parent`, which must not hold `key` yet.
    fn absent_in(
        &self,
        parent: &DocPath,
        key: &str,
        collection: &'static str,
    ) -> Result<ObjId, ModelError> {
        let obj = self.obj_at(parent)?;
        if self.doc.get(&obj, key).map_err(am)?.is_some() {
            return Err(ModelError::DuplicateId {
                collection,
                id: key.to_string(),
            });
        }
        Ok(obj)
    }

    fn insert(&mut self, id: String, record: &Record, by: &By<'_>) -> Result<(), ModelError> {
        non_empty("id", &id)?;
        let coll = record.collection();
        let path = DocPath::keys([coll, id.as_str()]);
        by.allow(&path, WriteKind::Create)?;
        let obj = if later::is_later(coll) {
            self.later_collection(coll, &id)?
        } else {
            self.absent_in(&DocPath::keys([coll]), &id, coll)?
        };
        validate_record(record)?;
        // The people and records of the case it names are checked once it
        // is written (`record_edits::check_in_case`, run by
        // `CaseDoc::apply` on the case it reads after every edit).
        if let Record::Evidence(e) = record
            && !e.custody.is_empty()
        {
            return Err(ModelError::Invalid {
                field: "custody".into(),
                message: "a new evidence item starts with an empty chain; append hand-overs".into(),
            });
        }
        if let Record::Review(r) = record {
            super::review::check_review(&self.case()?, r, by.author)?;
        }
        if let Record::Indictment(i) = record {
            let role = by.author.role;
            policy::may_write_value(role, &path.key("status"), &i.status.into())?;
            let approved = i
                .approved_on
                .map_or(Scalar::Null, |d| Scalar::Str(d.to_string()));
            policy::may_write_value(role, &path.key("approved_on"), &approved)?;
        }
        let (doc, key) = (&mut self.doc, id.as_str());
        match record {
            Record::Victim(v) => reconcile_prop(doc, &obj, key, v),
            Record::Suspect(v) => reconcile_prop(doc, &obj, key, v),
            Record::Witness(v) => reconcile_prop(doc, &obj, key, v),
            Record::Evidence(v) => reconcile_prop(doc, &obj, key, v),
            Record::Interview(v) => reconcile_prop(doc, &obj, key, v),
            Record::Task(v) => reconcile_prop(doc, &obj, key, v),
            Record::Timeline(v) => reconcile_prop(doc, &obj, key, v),
            Record::Referral(v) => reconcile_prop(doc, &obj, key, v),
            Record::Risk(v) => reconcile_prop(doc, &obj, key, v),
            Record::Note(v) => reconcile_prop(doc, &obj, key, v),
            Record::Review(v) => reconcile_prop(doc, &obj, key, v),
            Record::Approval(v) => reconcile_prop(doc, &obj, key, v),
            Record::CaseLink(v) => reconcile_prop(doc, &obj, key, v),
            Record::InternationalRequest(v) => reconcile_prop(doc, &obj, key, v),
            Record::Identifier(v) => reconcile_prop(doc, &obj, key, v),
            Record::Group(v) => reconcile_prop(doc, &obj, key, v),
            Record::ProceduralDecision(v) => reconcile_prop(doc, &obj, key, v),
            Record::Measure(v) => reconcile_prop(doc, &obj, key, v),
            Record::Charge(v) => reconcile_prop(doc, &obj, key, v),
            Record::Indictment(v) => reconcile_prop(doc, &obj, key, v),
            Record::Hearing(v) => reconcile_prop(doc, &obj, key, v),
            Record::Verdict(v) => reconcile_prop(doc, &obj, key, v),
            Record::Compensation(v) => reconcile_prop(doc, &obj, key, v),
            Record::Support(v) => reconcile_prop(doc, &obj, key, v),
            Record::FinancialFlow(v) => reconcile_prop(doc, &obj, key, v),
        }
        .map_err(rec)?;
        self.check_made(&path, by.signer)
    }

    pub(super) fn set(
        &mut self,
        path: &DocPath,
        value: &Scalar,
        by: &By<'_>,
    ) -> Result<(), ModelError> {
        let (parent, key, kind) = self.scalar_to_set(path, value)?;
        by.allow_in_place(path, kind)?;
        policy::may_write_value(by.author.role, path, value)?;
        attribution::judge(DocKind::Case, path, kind, false, Some(value), by.signer)?;
        if path.matches("header/jurisdiction") {
            match value {
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
            .check(path, &value.into())
            .map_err(|bad| ModelError::Invalid {
                field: path.to_string(),
                message: bad.reason(),
            })?;
        reconcile_prop(&mut self.doc, &parent, key.as_str(), value).map_err(rec)
    }

    /// Where `set` writes `value`: a field the record holds is updated; a
    /// field added to its kind of record after it was made (a schema rule
    /// marked `later`) is created by its first value.
    fn scalar_to_set(
        &self,
        path: &DocPath,
        value: &Scalar,
    ) -> Result<(ObjId, String, WriteKind), ModelError> {
        match self.existing_scalar(path) {
            Ok((parent, key)) => Ok((parent, key, WriteKind::Update)),
            Err(ModelError::NotFound { what, id }) => {
                use crate::schema::Expect;
                // Fields with an edit of their own: an article's part and
                // paragraph are part of its key, an attachment is recorded
                // whole by `SetAttachment`.
                const OWN_EDIT: &[&str] = &[
                    "header/qualification/**",
                    "charges/*/article/**",
                    "evidence/*/attachment_name",
                    "evidence/*/attachment_type",
                    "evidence/*/attachment_size",
                ];
                if OWN_EDIT.iter().any(|p| path.matches(p)) {
                    return Err(ModelError::NotFound { what, id });
                }
                let later = crate::schema::case().rule(path).is_some_and(|r| {
                    r.later
                        && !matches!(
                            r.expect,
                            Expect::Record | Expect::Entries(_) | Expect::List | Expect::Text
                        )
                });
                match (path.segments().split_last(), later) {
                    (Some((Seg::Key(key), parent)), true) => {
                        if *value == Scalar::Null {
                            return Err(ModelError::NoChange);
                        }
                        let parent = self.obj_at(&DocPath(parent.to_vec()))?;
                        Ok((parent, key.clone(), WriteKind::Create))
                    }
                    _ => Err(ModelError::NotFound { what, id }),
                }
            }
            Err(e) => Err(e),
        }
    }

    pub(super) fn set_text(
        &mut self,
        path: &DocPath,
        text: &str,
        by: &By<'_>,
    ) -> Result<(), ModelError> {
        let obj = self.obj_at(path)?;
        if self.doc.object_type(&obj).map_err(am)? != ObjType::Text {
            return Err(ModelError::Invalid {
                field: path.to_string(),
                message: "is not a text field".into(),
            });
        }
        by.allow_in_place(&path.child(Seg::Index(0)), WriteKind::Create)?;
        by.allow_in_place(&path.child(Seg::Index(0)), WriteKind::Delete)?;
        self.doc.update_text(&obj, text).map_err(am)
    }

    fn append_custody(
        &mut self,
        evidence_id: String,
        entry: CustodyEntry,
        by: &By<'_>,
    ) -> Result<(), ModelError> {
        let path = DocPath::keys(["evidence", evidence_id.as_str(), "custody"]);
        let list = self.obj_at(&path).map_err(|_| ModelError::NotFound {
            what: "evidence item",
            id: evidence_id.clone(),
        })?;
        let len = self.doc.length(&list);
        by.allow(&path.child(Seg::Index(len)), WriteKind::Create)?;
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
        self.check_made(&path.child(Seg::Index(len)), by.signer)
    }

    /// Writes the attachment's four fields of an evidence item; an item made
    /// before they existed gains them.
    fn set_attachment(
        &mut self,
        evidence_id: &str,
        a: AttachmentRef,
        by: &By<'_>,
    ) -> Result<(), ModelError> {
        let item = DocPath::keys(["evidence", evidence_id]);
        let obj = self.obj_at(&item).map_err(|_| ModelError::NotFound {
            what: "evidence item",
            id: evidence_id.to_string(),
        })?;
        non_empty("attachment fingerprint", &a.sha256)?;
        let fields = [
            ("attachment_sha256", Scalar::Str(a.sha256)),
            ("attachment_name", Scalar::Str(a.name)),
            ("attachment_type", Scalar::Str(a.media_type)),
            ("attachment_size", Scalar::Uint(a.size)),
        ];
        for (key, value) in fields {
            let path = item.key(key);
            let present = self.doc.get(&obj, key).map_err(am)?.is_some();
            by.allow_in_place(&path, create_or_update(present))?;
            crate::schema::case()
                .check(&path, &(&value).into())
                .map_err(|bad| ModelError::Invalid {
                    field: path.to_string(),
                    message: bad.reason(),
                })?;
            reconcile_prop(&mut self.doc, &obj, key, &value).map_err(rec)?;
        }
        Ok(())
    }

    /// Starts a checklist for the case, or for a person when its template
    /// is per person: a per-person template has no case-wide instance any
    /// more (older cases keep theirs), and a case-wide one none per person.
    fn start_checklist(
        &mut self,
        template_id: String,
        version: u64,
        person_id: Option<String>,
        by: &By<'_>,
    ) -> Result<(), ModelError> {
        let tpl = template(by.catalog, &template_id, version)?;
        match (tpl.per, &person_id) {
            (Some(Per::Victim), Some(person)) => {
                if !self.case()?.victims.contains_key(person) {
                    return Err(ModelError::NotFound {
                        what: "victim",
                        id: person.clone(),
                    });
                }
            }
            (Some(Per::Victim), None) => {
                return Err(ModelError::Invalid {
                    field: template_id,
                    message: "this checklist is kept for each victim: start it for a victim".into(),
                });
            }
            (None, Some(_)) => {
                return Err(ModelError::Invalid {
                    field: template_id,
                    message: "this checklist is kept for the case, not for a person".into(),
                });
            }
            (None, None) => {}
        }
        let key = checklist_key(&template_id, person_id.as_deref());
        by.allow(
            &DocPath::keys(["checklists", key.as_str()]),
            WriteKind::Create,
        )?;
        let obj = self.absent_in(&DocPath::keys(["checklists"]), &key, "checklists")?;
        let inst = ChecklistInstance::new(template_id, version);
        reconcile_prop(&mut self.doc, &obj, key.as_str(), &inst).map_err(rec)
    }

    /// Whether the instance this device writes into at `checklists/<key>`
    /// (the one Automerge shows) holds `entry` in its map `part`: a write
    /// there replaces it. An entry the case shows may come from another
    /// instance two devices started at once (see [`CaseDoc::case`]).
    fn holds_entry(&self, key: &str, part: &str, entry: &str) -> Result<bool, ModelError> {
        let obj = self.obj_at(&DocPath::keys(["checklists", key, part]))?;
        Ok(self.doc.get(&obj, entry).map_err(am)?.is_some())
    }

    fn set_item(
        &mut self,
        template_id: &str,
        item_id: String,
        state: ItemState,
        by: &By<'_>,
    ) -> Result<(), ModelError> {
        let case = self.case()?;
        instance_and_item(&case, by.catalog, template_id, &item_id)?;
        if state.status == ItemStatus::NotApplicable
            && state.reason.as_deref().is_none_or(|r| r.trim().is_empty())
        {
            return Err(ModelError::ReasonRequired { item: item_id });
        }
        for e in &state.evidence_ids {
            if !case.evidence.contains_key(e) {
                return Err(ModelError::NotFound {
                    what: "evidence item",
                    id: e.clone(),
                });
            }
        }
        for i in &state.interview_ids {
            if !case.interviews.contains_key(i) {
                return Err(ModelError::NotFound {
                    what: "interview",
                    id: i.clone(),
                });
            }
        }
        let items = DocPath::keys(["checklists", template_id, "items"]);
        let kind = create_or_update(self.holds_entry(template_id, "items", &item_id)?);
        by.allow(&items.key(&item_id), kind)?;
        self.put_entry(&items, &item_id, &state, by.signer)
    }

    fn sign_off_item(
        &mut self,
        template_id: &str,
        item_id: String,
        by: &By<'_>,
    ) -> Result<(), ModelError> {
        let role = by.author.role;
        let case = self.case()?;
        let (inst, item) = instance_and_item(&case, by.catalog, template_id, &item_id)?;
        let status = inst
            .items
            .get(&item_id)
            .map_or(ItemStatus::Open, |s| s.status);
        // A safety item's "not applicable" is signed off by its role; the
        // item done needs no sign-off.
        let na_signer = item.na_signoff == Some(role);
        if item.signoff != Some(role) && !na_signer {
            return Err(ModelError::Invalid {
                field: item_id,
                message: format!("this item is not signed off by a {role}"),
            });
        }
        if status == ItemStatus::Open {
            return Err(ModelError::Invalid {
                field: item_id,
                message: "an open item cannot be signed off".into(),
            });
        }
        if item.signoff != Some(role) && status != ItemStatus::NotApplicable {
            return Err(ModelError::Invalid {
                field: item_id,
                message: "only this item's \"not applicable\" is signed off".into(),
            });
        }
        let signoffs = DocPath::keys(["checklists", template_id, "signoffs"]);
        let kind = create_or_update(self.holds_entry(template_id, "signoffs", &item_id)?);
        by.allow(&signoffs.key(&item_id), kind)?;
        let so = SignOff {
            role,
            status,
            by: by.author.member.clone(),
            at: by.author.at,
        };
        self.put_entry(&signoffs, &item_id, &so, by.signer)
    }

    fn adopt_template(
        &mut self,
        template_id: String,
        version: u64,
        by: &By<'_>,
    ) -> Result<(), ModelError> {
        let case = self.case()?;
        let inst = case
            .checklists
            .get(&template_id)
            .ok_or_else(|| ModelError::NotFound {
                what: "checklist",
                id: template_id.clone(),
            })?;
        template(by.catalog, &inst.template_id, version)?;
        if version <= inst.version {
            return Err(ModelError::Invalid {
                field: template_id,
                message: format!("version {version} is not newer than {}", inst.version),
            });
        }
        let instance = DocPath::keys(["checklists", template_id.as_str()]);
        by.allow(&instance.key("version"), WriteKind::Update)?;
        let obj = self.obj_at(&instance)?;
        reconcile_prop(&mut self.doc, &obj, "version", version).map_err(rec)
    }

    fn open_stage(&mut self, stage: Stage, by: &By<'_>) -> Result<(), ModelError> {
        let path = DocPath::keys(["stages", stage.id()]);
        let stages = self.obj_at(&DocPath::keys(["stages"]))?;
        if self.doc.get(&stages, stage.id()).map_err(am)?.is_some() {
            return Err(ModelError::Invalid {
                field: path.to_string(),
                message: "this stage is already open".into(),
            });
        }
        by.allow(&path, WriteKind::Create)?;
        let state = StageState {
            status: StageStatus::Active,
            opened_at: Some(by.author.at),
            closed_at: None,
        };
        reconcile_prop(&mut self.doc, &stages, stage.id(), &state).map_err(rec)
    }

    fn close_stage(&mut self, stage: Stage, by: &By<'_>) -> Result<(), ModelError> {
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
        let gate = lifecycle::gate(&case, stage, by.catalog);
        if !gate.is_ready() {
            return Err(ModelError::GateNotReady(Box::new(gate)));
        }
        let path = DocPath::keys(["stages", stage.id()]);
        by.allow(&path.key("status"), WriteKind::Update)?;
        let obj = self.obj_at(&path)?;
        reconcile_prop(&mut self.doc, &obj, "status", StageStatus::Closed).map_err(rec)?;
        reconcile_prop(&mut self.doc, &obj, "closed_at", Some(by.author.at)).map_err(rec)
    }

    fn add_article(&mut self, article: &LegalArticle, by: &By<'_>) -> Result<(), ModelError> {
        validate_jurisdiction(&article.jurisdiction)?;
        non_empty("article", &article.article)?;
        if let Some(part) = &article.part {
            crate::articles::validate_subdivision("part", part)?;
        }
        if let Some(paragraph) = &article.paragraph {
            crate::articles::validate_subdivision("paragraph", paragraph)?;
        }
        let key = article.key();
        let qualification = DocPath::keys(["header", "qualification"]);
        by.allow(&qualification.key(&key), WriteKind::Create)?;
        let obj = self.absent_in(&qualification, &key, "qualification")?;
        reconcile_prop(&mut self.doc, &obj, key.as_str(), article).map_err(rec)
    }

    fn remove_article(&mut self, key: String, by: &By<'_>) -> Result<(), ModelError> {
        let qualification = DocPath::keys(["header", "qualification"]);
        by.allow(&qualification.key(&key), WriteKind::Delete)?;
        let obj = self.obj_at(&qualification)?;
        if self.doc.get(&obj, key.as_str()).map_err(am)?.is_none() {
            return Err(ModelError::NotFound {
                what: "article",
                id: key,
            });
        }
        self.doc.delete(&obj, key.as_str()).map_err(am)
    }

    fn assign_investigator(
        &mut self,
        member: &str,
        assigned: bool,
        by: &By<'_>,
    ) -> Result<(), ModelError> {
        non_empty("member", member)?;
        let investigators = DocPath::keys(["assignment", "investigators"]);
        let path = investigators.key(member);
        let obj = self.obj_at(&investigators)?;
        let present = self.doc.get(&obj, member).map_err(am)?.is_some();
        match (present, assigned) {
            (false, true) => {
                by.allow(&path, WriteKind::Create)?;
                self.doc.put(&obj, member, true).map_err(am)
            }
            (true, false) => {
                by.allow(&path, WriteKind::Delete)?;
                self.doc.delete(&obj, member).map_err(am)
            }
            _ => Err(ModelError::NoChange),
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
}

pub(super) fn validate_record(record: &Record) -> Result<(), ModelError> {
    match record {
        Record::Victim(v) => non_empty("pseudonym", &v.pseudonym),
        Record::Suspect(v) => non_empty("pseudonym", &v.pseudonym),
        Record::Witness(v) => non_empty("pseudonym", &v.pseudonym),
        Record::Evidence(e) => non_empty("label", &e.label),
        Record::Risk(r) if !(1..=5).contains(&r.severity) || !(1..=5).contains(&r.likelihood) => {
            Err(ModelError::Invalid {
                field: "severity/likelihood".into(),
                message: "severity and likelihood are rated 1 to 5".into(),
            })
        }
        Record::Task(t) => non_empty("task title", &t.title),
        Record::CaseLink(l) => non_empty("linked case", &l.case_id),
        Record::InternationalRequest(r) => crate::international::validate(r),
        Record::Timeline(e) => crate::places::validate(e),
        Record::Identifier(i) => crate::network::validate_identifier(i),
        Record::ProceduralDecision(d) => court::validate_decision(d),
        Record::Measure(m) => court::validate_measure(m),
        Record::Charge(c) => court::validate_charge(c),
        Record::Indictment(i) => court::validate_indictment(i),
        Record::Hearing(h) => court::validate_hearing(h),
        Record::Verdict(v) => court::validate_verdict(v),
        Record::Compensation(c) => court::validate_compensation(c),
        Record::FinancialFlow(f) => crate::finance::validate_financial_flow(f),
        _ => Ok(()),
    }
}
