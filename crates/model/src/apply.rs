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

use automerge::transaction::CommitOptions;
use automerge::{ActorId, AutoCommit, ChangeHash};
use autosurgeon::{Text, reconcile};

use crate::attribution::{self, Attests, Signer};
use crate::case::*;
use crate::checklist::{Catalog, TemplateItem};
use crate::doc::CaseDoc;
use crate::edit::{Author, Edit, edit_summary};
use crate::error::{ModelError, rec};
use crate::path::DocPath;
use crate::policy::{self, DocKind, WriteKind};
use crate::validate::{non_empty, validate_jurisdiction};
use crate::vocab::*;

mod edits;
mod lists;
mod record_edits;
mod review;

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
                    ChecklistInstance::new(t.id.clone(), t.version),
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
                registry_number: None,
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
            links: Default::default(),
            international_requests: Default::default(),
            identifiers: Default::default(),
            groups: Default::default(),
            procedural_decisions: Default::default(),
            measures: Default::default(),
            charges: Default::default(),
            indictments: Default::default(),
            hearings: Default::default(),
            verdicts: Default::default(),
            compensation: Default::default(),
            support: Default::default(),
            financial_flows: Default::default(),
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
        let corrected = record_edits::corrected_record(&edit);
        // A corrected group is judged by the faults an edit adds (see
        // `recheck`).
        let before = match &corrected {
            Some((coll, _)) if coll == "groups" => Some(self.case()?),
            _ => None,
        };
        // A record added is checked for what it names in the case as the
        // edit leaves it: the one reading of the case serves every check.
        let added = match &edit {
            Edit::Insert { id, record } => Some((record.collection().to_string(), id.clone())),
            _ => None,
        };
        let checked = self.write(edit, author, &signer, catalog).and_then(|()| {
            let case = self.case().map_err(|e| match e {
                ModelError::Document(m) => ModelError::Invalid {
                    field: "value".into(),
                    message: format!("does not fit this field ({m})"),
                },
                e => e,
            })?;
            if let Some(r) = added {
                record_edits::check_in_case(&case, &r)?;
            }
            corrected.map_or(Ok(()), |r| {
                record_edits::recheck(before.as_ref(), &case, &r)
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
                // Who decided does not change when it took place.
                Attests::Role | Attests::Moment => None,
            })
            .collect();
        let result = policy::check_in_place(DocKind::Case, author.role, path, WriteKind::Update)
            .map_err(ModelError::from)
            .and_then(|()| review::check_not_replaced(self, path, author.role))
            .and_then(|()| {
                attribution::judge(DocKind::Case, path, WriteKind::Update, false, None, &signer)
                    .map_err(ModelError::from)
            })
            .and_then(|()| crate::conflicts::resolve(&mut self.doc, path, choice, &overrides))
            .and_then(|()| record_edits::check_decided_copy(&self.doc, path, author.role))
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

/// A checklist (by its key, see [`crate::checklist::checklist_key`]) and
/// one item of the template version it follows.
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
    let tpl = catalog
        .get(&inst.template_id, inst.version)
        .ok_or_else(|| ModelError::UnknownTemplate {
            template_id: inst.template_id.clone(),
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
