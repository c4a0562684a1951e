//! Cases: open, list and search, show, edit fields, stages, close.

use caravan_model::search::fold;
use caravan_model::*;

use crate::error::{CoreError, Result};
use crate::view::{CaseList, CaseSummary, CaseView, case_view};
use crate::workspace::Workspace;

/// What a new case starts with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCaseInput {
    pub reference: String,
    pub title: String,
    /// ISO 3166-1 alpha-2, e.g. KZ.
    pub jurisdiction: String,
}

/// Filters of the case list; all given filters must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Matches title, reference and every name in the case, whatever the
    /// alphabet or spelling (see `caravan_model::search::fold`).
    pub query: Option<String>,
    pub stage: Option<Stage>,
    pub status: Option<CaseStatus>,
    /// Member id.
    pub assignee: Option<String>,
    pub jurisdiction: Option<String>,
    pub overdue_only: bool,
}

/// A short fingerprint of a folded search: the same words always give the
/// same fingerprint, and the words cannot be read back from it without
/// guessing them.
pub fn search_fingerprint(folded: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::new()
        .chain_update(b"caravan/search/v1\0")
        .chain_update(folded.as_bytes())
        .finalize();
    hex::encode(&digest[..6])
}

/// A fresh random id for a record inside a case (16 hex digits).
pub(crate) fn new_record_id() -> Result<String> {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).map_err(|_| CoreError::Sync(caravan_sync::SyncError::Random))?;
    Ok(hex::encode(b))
}

/// The most advanced stage that is active (or the last closed one).
pub(crate) fn current_stage(case: &Case) -> Stage {
    let active = Stage::ALL
        .iter()
        .rev()
        .find(|s| {
            case.stages
                .get(s.id())
                .is_some_and(|st| st.status == StageStatus::Active)
        })
        .copied();
    active
        .or_else(|| {
            Stage::ALL
                .iter()
                .rev()
                .find(|s| case.stages.contains_key(s.id()))
                .copied()
        })
        .unwrap_or(Stage::Intake)
}

/// Search terms of a case: title, reference, pseudonyms, names (all folded).
fn search_terms(case: &Case) -> Vec<String> {
    let mut raw: Vec<&str> = vec![&case.header.title, &case.header.reference];
    let identities = case
        .victims
        .values()
        .map(|v| (&v.identity, &v.pseudonym))
        .chain(case.suspects.values().map(|s| (&s.identity, &s.pseudonym)))
        .chain(case.witnesses.values().map(|w| (&w.identity, &w.pseudonym)));
    for (identity, pseudonym) in identities {
        raw.push(&identity.full_name);
        raw.push(pseudonym);
        if let Some(o) = &identity.other_names {
            raw.push(o);
        }
    }
    let mut terms: Vec<String> = raw
        .into_iter()
        .map(fold)
        .filter(|t| !t.is_empty())
        .collect();
    terms.sort();
    terms.dedup();
    terms
}

impl Workspace {
    /// Finds a case by id or unique id prefix (as shown in lists).
    pub fn find_case(&self, id: &str) -> Result<String> {
        let r = self.replica()?;
        let id = id.trim();
        if r.case_ids().any(|c| c == id) {
            return Ok(id.to_string());
        }
        let hits: Vec<&String> = if id.len() >= 4 {
            r.case_ids().filter(|c| c.starts_with(id)).collect()
        } else {
            Vec::new()
        };
        match hits.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(CoreError::NotFound {
                what: "case",
                id: id.into(),
            }),
            _ => Err(CoreError::Ambiguous {
                what: "case",
                id: id.into(),
            }),
        }
    }

    pub(crate) fn case_doc(&self, id: &str) -> Result<(String, Case)> {
        let id = self.find_case(id)?;
        let doc = self
            .replica()?
            .case(&id)
            .ok_or_else(|| CoreError::NotFound {
                what: "case",
                id: id.clone(),
            })?;
        Ok((id, doc.case()?))
    }

    /// Applies one model edit to a case and saves it with its audit entry.
    pub(crate) fn edit(
        &mut self,
        case_id: &str,
        edit: Edit,
        action: &str,
        detail: String,
    ) -> Result<()> {
        let now = self.now();
        let catalog = self.catalog;
        self.replica_mut()?.edit_case(case_id, edit, now, catalog)?;
        self.commit(&[(action, format!("case {case_id}: {detail}"))])
    }

    /// Opens a new case; returns its id.
    pub fn create_case(&mut self, input: NewCaseInput) -> Result<String> {
        if input.reference.trim().is_empty() {
            return Err(CoreError::invalid("reference", "must not be empty"));
        }
        let mut nonce = [0u8; 16];
        getrandom::fill(&mut nonce)
            .map_err(|_| CoreError::Sync(caravan_sync::SyncError::Random))?;
        let now = self.now();
        let catalog = self.catalog;
        let new = NewCase {
            nonce,
            reference: input.reference.trim().to_string(),
            title: input.title.trim().to_string(),
            jurisdiction: input.jurisdiction.trim().to_uppercase(),
        };
        let id = self.replica_mut()?.create_case(new, now, catalog)?;
        self.commit(&[("case.create", format!("case {id}"))])?;
        Ok(id)
    }

    /// The case list (from the encrypted index: no document is loaded),
    /// most recently changed first.
    ///
    /// A search runs over people's names and identity details, so it is
    /// audited: who searched, when, how many cases matched, and a
    /// fingerprint of what was searched (never the words), by which a
    /// supervisor can check whether someone looked for a given name.
    pub fn list_cases(&mut self, filter: &CaseFilter) -> Result<CaseList> {
        self.replica()?;
        let listing = self.vault.list_cases()?;
        let entries = match filter.query.as_deref().map(fold) {
            Some(q) if !q.is_empty() => {
                let found = self.vault.search_cases(&q)?;
                self.audit(
                    "case.search",
                    &format!(
                        "search by name or identity details (fingerprint {}): {} cases matched",
                        search_fingerprint(&q),
                        found.len()
                    ),
                )?;
                found
            }
            _ => listing.entries,
        };
        let today = self.clock.today().to_string();
        let cases = entries
            .into_iter()
            .map(|e| {
                let overdue = e.open_task_dues.iter().filter(|d| **d < today).count() as u32;
                CaseSummary {
                    id: e.case_id.to_hex(),
                    reference: e.reference.clone(),
                    title: e.title.clone(),
                    stage: e.stage.clone(),
                    status: e.status.clone(),
                    jurisdiction: e.jurisdiction.clone(),
                    assignees: e.assignees.clone(),
                    updated_at_ms: e.updated_at_ms,
                    progress_percent: e.progress_percent,
                    overdue_tasks: overdue,
                    conflicts: e.conflicts,
                }
            })
            .filter(|c| {
                filter.stage.is_none_or(|s| c.stage == s.id())
                    && filter.status.is_none_or(|s| c.status == s.id())
                    && filter
                        .assignee
                        .as_ref()
                        .is_none_or(|a| c.assignees.contains(a))
                    && filter
                        .jurisdiction
                        .as_ref()
                        .is_none_or(|j| c.jurisdiction.eq_ignore_ascii_case(j))
                    && (!filter.overdue_only || c.overdue_tasks > 0)
            })
            .collect();
        Ok(CaseList {
            cases,
            unreadable: listing
                .corrupt
                .iter()
                .map(ToString::to_string)
                .chain(self.damaged.iter().cloned())
                .collect(),
        })
    }

    /// The whole case, people masked. Opening a case is audited.
    pub fn show_case(&mut self, id: &str) -> Result<CaseView> {
        let (id, case) = self.case_doc(id)?;
        let conflicts = self.replica()?.case(&id).map_or(0, |d| d.conflicts().len());
        let view = case_view(
            &id,
            &case,
            &self.names()?,
            self.catalog,
            self.clock.today(),
            conflicts,
        );
        self.audit("case.open", &format!("case {id}"))?;
        Ok(view)
    }

    /// Sets one field, e.g. `header/title` or `victims/<id>/identity/full_name`.
    /// Values are given as text and converted to the field's type.
    pub fn set_field(&mut self, case: &str, path: &str, value: &str) -> Result<()> {
        let case_id = self.find_case(case)?;
        let path: DocPath = path
            .parse()
            .map_err(|_| CoreError::invalid("field", format!("'{path}' is not a field path")))?;
        let value = self.typed_value(&case_id, &path, value)?;
        let what = if path.is_sensitive() {
            "identity field".to_string()
        } else {
            path.to_string()
        };
        self.edit(
            &case_id,
            Edit::Set { path, value },
            "case.edit",
            format!("set {what}"),
        )
    }

    /// Converts text to the type the field holds now (numbers, booleans,
    /// null for "" on optional fields, text otherwise).
    fn typed_value(&self, case_id: &str, path: &DocPath, value: &str) -> Result<Scalar> {
        let doc = self.replica()?.case(case_id).ok_or(CoreError::NotFound {
            what: "case",
            id: case_id.into(),
        })?;
        let current = crate::fields::scalar_at(doc.automerge(), path);
        Ok(match current {
            Some(Scalar::Bool(_)) => match value {
                "true" | "yes" => Scalar::Bool(true),
                "false" | "no" => Scalar::Bool(false),
                _ => {
                    return Err(CoreError::invalid(
                        path.to_string(),
                        "expects true or false",
                    ));
                }
            },
            Some(Scalar::Uint(_)) => value
                .parse::<u64>()
                .map(Scalar::Uint)
                .map_err(|_| CoreError::invalid(path.to_string(), "expects a whole number"))?,
            Some(Scalar::Int(_)) => value
                .parse::<i64>()
                .map(Scalar::Int)
                .map_err(|_| CoreError::invalid(path.to_string(), "expects a whole number"))?,
            _ if value.is_empty() => Scalar::Null,
            Some(Scalar::Null) => match value.parse::<u64>() {
                Ok(n) if crate::fields::numeric(path) => Scalar::Uint(n),
                _ => Scalar::Str(
                    crate::fields::vocabulary_name(path, None, value)
                        .unwrap_or_else(|| value.to_string()),
                ),
            },
            Some(Scalar::Str(current)) => Scalar::Str(
                crate::fields::vocabulary_name(path, Some(&current), value)
                    .unwrap_or_else(|| value.to_string()),
            ),
            _ => Scalar::Str(value.to_string()),
        })
    }

    /// Replaces collaborative text (`narrative`, `notes/<id>/body`,
    /// `interviews/<id>/plan`) by editing only the characters that differ.
    pub fn set_text(&mut self, case: &str, path: &str, text: &str) -> Result<()> {
        let case_id = self.find_case(case)?;
        let path: DocPath = path
            .parse()
            .map_err(|_| CoreError::invalid("field", format!("'{path}' is not a field path")))?;
        let detail = format!("edit {path}");
        self.edit(
            &case_id,
            Edit::SetText {
                path,
                text: text.to_string(),
            },
            "case.edit",
            detail,
        )
    }

    pub fn open_stage(&mut self, case: &str, stage: Stage) -> Result<()> {
        let case_id = self.find_case(case)?;
        self.edit(
            &case_id,
            Edit::OpenStage { stage },
            "case.stage",
            format!("open {stage}"),
        )
    }

    /// Closes a stage gate; refused while required items or sign-offs are missing.
    pub fn close_stage(&mut self, case: &str, stage: Stage) -> Result<()> {
        let case_id = self.find_case(case)?;
        self.edit(
            &case_id,
            Edit::CloseStage { stage },
            "case.stage",
            format!("close {stage}"),
        )
    }

    /// Closes the case with a closing status.
    pub fn close_case(&mut self, case: &str, status: CaseStatus) -> Result<()> {
        if !matches!(status, CaseStatus::Closed | CaseStatus::ClosedReferred) {
            return Err(CoreError::invalid(
                "status",
                "a case closes as closed or closed_referred",
            ));
        }
        let case_id = self.find_case(case)?;
        self.edit(
            &case_id,
            Edit::Set {
                path: DocPath::keys(["header", "status"]),
                value: status.into(),
            },
            "case.close",
            format!("status {status}"),
        )
    }

    /// Assigns an investigator (or removes one).
    pub fn assign(&mut self, case: &str, who: &str, assigned: bool) -> Result<()> {
        let case_id = self.find_case(case)?;
        let member = self.find_member(who)?;
        self.edit(
            &case_id,
            Edit::AssignInvestigator {
                member: member.clone(),
                assigned,
            },
            "case.assign",
            format!("member {member} assigned: {assigned}"),
        )
    }

    /// Adds a criminal-code article to the legal qualification.
    pub fn add_article(&mut self, case: &str, article: LegalArticle) -> Result<()> {
        let case_id = self.find_case(case)?;
        let key = article.key();
        self.edit(
            &case_id,
            Edit::AddArticle(article),
            "case.qualify",
            format!("add {key}"),
        )
    }

    pub fn remove_article(&mut self, case: &str, key: &str) -> Result<()> {
        let case_id = self.find_case(case)?;
        self.edit(
            &case_id,
            Edit::RemoveArticle { key: key.into() },
            "case.qualify",
            format!("remove {key}"),
        )
    }
}

/// The index entry of a case, from its document. `None` if the document
/// cannot be read as a case (it is then left out of the list, not lost).
pub(crate) fn index_entry(ws: &Workspace, case_id: &str) -> Option<caravan_vault::CaseIndexEntry> {
    let r = ws.replica.as_ref()?;
    let mut doc = r.case(case_id)?;
    let case = doc.case().ok()?;
    let updated = doc.updated_at().unwrap_or(case.header.created_at);
    let progress = lifecycle::progress(&case, ws.catalog);
    Some(caravan_vault::CaseIndexEntry {
        case_id: crate::workspace::doc_id_for(case_id),
        title: case.header.title.clone(),
        reference: case.header.reference.clone(),
        stage: current_stage(&case).id().to_string(),
        status: case.header.status.id().to_string(),
        assignees: case
            .assignment
            .investigators
            .iter()
            .filter(|(_, on)| **on)
            .map(|(m, _)| m.clone())
            .collect(),
        updated_at_ms: updated,
        search_terms: search_terms(&case),
        jurisdiction: case.header.jurisdiction.clone(),
        open_task_dues: case
            .tasks
            .values()
            .filter(|t| !t.done)
            .filter_map(|t| t.due.map(|d| d.to_string()))
            .collect(),
        progress_percent: progress.percent(),
        conflicts: doc.conflicts().len() as u32,
    })
}
