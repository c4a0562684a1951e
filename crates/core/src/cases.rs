//! Cases: open, list and search, show, edit fields, stages, close.

use caravan_model::search::fold;
use caravan_model::*;
use caravan_vault::CaseIndexEntry;

use crate::case_view::{ViewContext, case_view};
use crate::clock::Clock;
use crate::error::{CoreError, Result, only_match};
use crate::ids::{CaseId, MemberId};
use crate::inputs::{
    CaseFilter, MAX_LIST, MAX_LONG_TEXT, MAX_TEXT, NewCaseInput, Normalise, bounded,
};
use crate::names::Names;
use crate::view::{CaseList, CaseSummary, CaseView};
use crate::workspace::Workspace;

/// A criminal-code article the app offers for a jurisdiction (the version
/// in force), its title in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ArticleOption {
    /// Pass to [`Workspace::add_offered_article`] and
    /// [`Workspace::propose_article`].
    pub key: String,
    pub jurisdiction: String,
    pub code_year: u64,
    pub article: String,
    pub title: String,
    /// The language `title` is written in: Russian when no title in the
    /// reader's national language was read in a source text.
    pub title_lang: String,
    /// The first day the version offered is in force.
    pub in_force_from: Date,
    /// Charged alongside trafficking rather than a trafficking article.
    pub related: bool,
    /// The number and title were read in the article's source.
    pub verified: bool,
    /// Where they were read.
    pub source: String,
}

/// The articles in force today for a jurisdiction (any case), titles in
/// `lang` (English where that language has none).
pub fn offered_articles(jurisdiction: &str, lang: &str) -> Vec<ArticleOption> {
    offered_articles_on(jurisdiction, lang, crate::clock::SystemClock.today())
}

/// The articles in force on `day` for a jurisdiction, trafficking articles
/// first, each in the code's order.
pub fn offered_articles_on(jurisdiction: &str, lang: &str, day: Date) -> Vec<ArticleOption> {
    articles::in_force(&jurisdiction.trim().to_uppercase(), day)
        .into_iter()
        .map(|a| ArticleOption {
            key: a.to_article().key(),
            jurisdiction: a.jurisdiction.clone(),
            code_year: a.code_year,
            article: a.article.clone(),
            title: a.title_in(lang).to_string(),
            title_lang: a.title_shown(lang).lang.to_string(),
            in_force_from: a.in_force_from,
            related: a.related,
            verified: a.verified,
            source: a.source.clone(),
        })
        .collect()
}

/// The offered article with this key, in the version in force on `day`,
/// with the part and paragraph given (blank is none).
pub(crate) fn offered_article(
    key: &str,
    part: Option<&str>,
    paragraph: Option<&str>,
    day: Date,
) -> Result<LegalArticle> {
    let info = articles::builtin()
        .iter()
        .filter(|a| a.in_force_on(day))
        .find(|a| a.to_article().key() == key.trim())
        .ok_or_else(|| {
            CoreError::invalid(
                "article",
                format!("{key} is not one of the offered articles"),
            )
        })?;
    let given = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(String::from);
    let article = LegalArticle {
        part: given(part),
        paragraph: given(paragraph),
        ..info.to_article()
    };
    articles::validate_reference(&article)?;
    Ok(article)
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

impl Workspace {
    /// Finds a case by id or unique id prefix (as shown in lists), and
    /// reads it into memory if it is not (see `residency.rs`).
    pub fn find_case(&mut self, id: &str) -> Result<String> {
        let r = self.replica()?;
        let id = id.trim();
        let found = if r.holds_case(id) {
            id.to_string()
        } else {
            let hits: Vec<&String> = if id.len() >= 4 {
                r.case_ids().filter(|c| c.starts_with(id)).collect()
            } else {
                Vec::new()
            };
            only_match("case", id, &hits)?
        };
        self.load_case(&found)?;
        Ok(found)
    }

    pub(crate) fn case_doc(&mut self, id: &str) -> Result<(String, Case)> {
        let (id, case, _) = self.case_and_conflicts(id)?;
        Ok((id, case))
    }

    /// A case, and how many of its fields wait for a conflict to be
    /// decided, read without copying its document.
    pub(crate) fn case_and_conflicts(&mut self, id: &str) -> Result<(String, Case, usize)> {
        let id = self.find_case(id)?;
        let (case, conflicts) = self
            .replica_mut()?
            .read_case(&id, |doc| (doc.case(), doc.conflicts().len()))
            .ok_or_else(|| CoreError::not_found("case", &id))?;
        // The next save of this case's index entry need not count again.
        self.conflict_counts.insert(id.clone(), conflicts as u32);
        Ok((id, case?, conflicts))
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
    pub fn create_case(&mut self, input: NewCaseInput) -> Result<CaseId> {
        let input = input.normalised()?;
        if input.reference.is_empty() {
            return Err(CoreError::invalid("reference", "must not be empty"));
        }
        let mut nonce = [0u8; 16];
        getrandom::fill(&mut nonce)
            .map_err(|_| CoreError::Sync(caravan_sync::SyncError::Random))?;
        let now = self.now();
        let catalog = self.catalog;
        let new = NewCase {
            nonce,
            reference: input.reference,
            title: input.title,
            jurisdiction: input.jurisdiction.to_uppercase(),
        };
        let id = self.replica_mut()?.create_case(new, now, catalog)?;
        self.commit(&[("case.create", format!("case {id}"))])?;
        Ok(CaseId::from(id))
    }

    /// The case list (from the encrypted index: no document is loaded),
    /// most recently changed first.
    ///
    /// A search runs over people's names and identity details, so it is
    /// audited: who searched, when, how many cases matched, and a
    /// fingerprint of what was searched (never the words), by which a
    /// supervisor can check whether someone looked for a given name.
    pub fn list_cases(&mut self, filter: &CaseFilter) -> Result<CaseList> {
        let filter = &filter.clone().normalised()?;
        self.replica()?;
        let today = self.clock.today().to_string();
        let (found, corrupt) = match filter.query.as_deref().map(fold) {
            Some(q) if !q.is_empty() => {
                let hits = self.vault.search_cases(&q)?;
                self.audit(
                    "case.search",
                    &format!(
                        "search by name or identity details (fingerprint {}): {} cases matched",
                        search_fingerprint(&q),
                        hits.len()
                    ),
                )?;
                let refs: Vec<&CaseIndexEntry> = hits.iter().collect();
                let found = summaries(&refs, &today);
                let corrupt = self.vault.with_case_index(|_, corrupt| corrupt.to_vec())?;
                (found, corrupt)
            }
            _ => self.vault.with_case_index(|entries, corrupt| {
                (summaries(entries, &today), corrupt.to_vec())
            })?,
        };
        let (cases, misread) = found;
        let cases = cases
            .into_iter()
            .filter(|c| {
                filter.stage.is_none_or(|s| c.stage == s)
                    && filter.status.is_none_or(|s| c.status == s)
                    && filter
                        .assignee
                        .as_ref()
                        .is_none_or(|a| c.assignees.iter().any(|m| m == a))
                    && filter
                        .jurisdiction
                        .as_ref()
                        .is_none_or(|j| c.jurisdiction.eq_ignore_ascii_case(j))
                    && (!filter.overdue_only
                        || c.overdue_tasks > 0
                        || c.overdue_international > 0
                        || c.measure_alerts > 0)
            })
            .collect();
        Ok(CaseList {
            cases,
            unreadable: corrupt
                .iter()
                .map(ToString::to_string)
                .chain(self.damaged.iter().cloned())
                .chain(misread)
                .collect(),
        })
    }

    /// The whole case, people masked. Opening a case is audited.
    pub fn show_case(&mut self, id: &str) -> Result<CaseView> {
        let (id, case, conflicts) = self.case_and_conflicts(id)?;
        let team = self.replica()?.team()?;
        let names = Names::of(&team);
        let me = self.me().ok();
        let replica = self.replica()?;
        let held_cases = case
            .links
            .values()
            .filter(|l| replica.holds_case(&l.case_id))
            .map(|l| l.case_id.clone())
            .collect();
        let cx = ViewContext {
            names: &names,
            catalog: self.catalog,
            today: self.clock.today(),
            conflicts,
            team: Some(&team),
            viewer: me.as_ref().map(|(m, r)| (m.as_str(), *r)),
            held_cases: &held_cases,
        };
        let view = case_view(&id, &case, &cx);
        self.audit("case.open", &format!("case {id}"))?;
        Ok(view)
    }

    /// Sets one field, e.g. `header/title` or `victims/<id>/identity/full_name`.
    /// Values are given as text and converted to the field's type.
    pub fn set_field(&mut self, case: &str, path: &str, value: &str) -> Result<()> {
        bounded("value", value, MAX_LONG_TEXT)?;
        let case_id = self.find_case(case)?;
        let path: DocPath = path
            .parse()
            .map_err(|_| CoreError::invalid("field", format!("'{path}' is not a field path")))?;
        let value = self.typed_value(&case_id, &path, value)?;
        let what = audited_field(&path);
        self.edit(
            &case_id,
            Edit::Set { path, value },
            "case.edit",
            format!("set {what}"),
        )
    }

    /// Converts text to the type the field holds now (numbers, booleans,
    /// null for "" on optional fields, text otherwise).
    pub(crate) fn typed_value(&self, case_id: &str, path: &DocPath, value: &str) -> Result<Scalar> {
        let doc = self
            .replica()?
            .case(case_id)
            .ok_or(CoreError::not_found("case", case_id))?;
        // A citizenship or a country of return is a country code, stored
        // in capitals.
        if matches!(path.segments().last(), Some(Seg::Key(k)) if k == "citizenship" || k == "return_country")
        {
            let code = crate::field_text::country_code(&path.to_string(), Some(value))?;
            return Ok(code.map_or(Scalar::Null, Scalar::Str));
        }
        let current = crate::field_text::scalar_at(doc.automerge(), path);
        if let Some(max) = crate::field_text::coordinate(path) {
            if value.is_empty() {
                return Ok(Scalar::Null);
            }
            let degrees: f64 = value.trim().parse().map_err(|_| {
                CoreError::invalid(path.to_string(), "expects degrees, e.g. 43.238949")
            })?;
            return caravan_model::places::microdegrees(degrees, max)
                .map(Scalar::Int)
                .ok_or_else(|| {
                    CoreError::invalid(
                        path.to_string(),
                        format!(
                            "is out of range: at most {} degrees either way",
                            max / 1_000_000
                        ),
                    )
                });
        }
        if crate::field_text::optional_bool(path) {
            return match value {
                "" => Ok(Scalar::Null),
                _ => crate::field_text::flag(path, value),
            };
        }
        // An unset field says nothing of its type, and text may be a
        // vocabulary's id: the schema says what the field holds.
        if !value.is_empty()
            && matches!(current, None | Some(Scalar::Null | Scalar::Str(_)))
            && let Some(typed) = crate::field_text::by_schema(path, value)
        {
            return typed;
        }
        Ok(match current {
            Some(Scalar::Bool(_)) => crate::field_text::flag(path, value)?,
            Some(Scalar::Uint(_)) => value
                .parse::<u64>()
                .map(Scalar::Uint)
                .map_err(|_| CoreError::invalid(path.to_string(), "expects a whole number"))?,
            Some(Scalar::Int(_)) => value
                .parse::<i64>()
                .map(Scalar::Int)
                .map_err(|_| CoreError::invalid(path.to_string(), "expects a whole number"))?,
            _ if value.is_empty() => Scalar::Null,
            _ => Scalar::Str(value.to_string()),
        })
    }

    /// Replaces collaborative text (`narrative`, `notes/<id>/body`,
    /// `interviews/<id>/plan`) by editing only the characters that differ.
    pub fn set_text(&mut self, case: &str, path: &str, text: &str) -> Result<()> {
        bounded("text", text, MAX_LONG_TEXT)?;
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

    /// Writes a list field (`victims/<id>/languages`, `…/exploitation`,
    /// `suspects/<id>/roles`, …) as `values`: vocabulary values by their
    /// ids, other lists as text. Entries are trimmed, blank ones and
    /// repeats dropped; only the elements that differ are written (see
    /// [`Edit::SetList`]).
    pub fn set_list(&mut self, case: &str, path: &str, values: Vec<String>) -> Result<()> {
        let case_id = self.find_case(case)?;
        let path: DocPath = path
            .parse()
            .map_err(|_| CoreError::invalid("field", format!("'{path}' is not a field path")))?;
        let typed = self.typed_list(&path, values)?;
        let what = audited_field(&path);
        self.edit(
            &case_id,
            Edit::SetList {
                path,
                values: typed,
            },
            "case.edit",
            format!("set {what}"),
        )
    }

    /// A list field's values given as text, typed: vocabulary values by
    /// their ids, other lists as text; entries trimmed, blank ones and
    /// repeats dropped.
    pub(crate) fn typed_list(&self, path: &DocPath, values: Vec<String>) -> Result<Vec<Scalar>> {
        let mut typed: Vec<Scalar> = Vec::with_capacity(values.len());
        let vocabulary = crate::field_text::vocabulary_at(&path.child(Seg::Index(0)));
        // Citizenships are country codes in capitals, or statelessness.
        let values = match path.segments().last() {
            Some(Seg::Key(k)) if k == "citizenships" => {
                for value in &values {
                    bounded("value", value, MAX_TEXT)?;
                }
                crate::field_text::citizenships(&path.to_string(), &values)?
            }
            _ => values,
        };
        for value in values {
            let value = value.trim();
            bounded("value", value, MAX_TEXT)?;
            if value.is_empty() {
                continue;
            }
            let value = match vocabulary {
                Some(v) => crate::field_text::doc_name_of(&v, value).map_or_else(
                    || {
                        Err(CoreError::invalid(
                            path.to_string(),
                            format!("'{value}' is not one of the values it holds"),
                        ))
                    },
                    |name| Ok(Scalar::from(name)),
                )?,
                None => Scalar::from(value),
            };
            if !typed.contains(&value) {
                typed.push(value);
            }
        }
        if typed.len() > MAX_LIST {
            return Err(CoreError::invalid(
                path.to_string(),
                format!("has too many entries: at most {MAX_LIST}"),
            ));
        }
        Ok(typed)
    }

    /// Opens (`open`) or closes a stage.
    pub fn set_stage_open(&mut self, case: &str, stage: Stage, open: bool) -> Result<()> {
        if open {
            self.open_stage(case, stage)
        } else {
            self.close_stage(case, stage)
        }
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

    /// Adds one of the [`offered_articles`], by its key, in the version in
    /// force today, with a part (ч.) and paragraph (п.) where given.
    pub fn add_offered_article(
        &mut self,
        case: &str,
        key: &str,
        part: Option<&str>,
        paragraph: Option<&str>,
    ) -> Result<()> {
        let article = offered_article(key, part, paragraph, self.clock.today())?;
        self.add_article(case, article)
    }

    /// The prosecutor agrees with the case's legal qualification as it
    /// stands, as their own review entry (the qualification is unchanged).
    pub fn agree_with_qualification(&mut self, case: &str, comment: &str) -> Result<String> {
        let standing = self.case_doc(case)?.1.header.qualification;
        if standing.is_empty() {
            return Err(CoreError::invalid(
                "qualification",
                "the case has no qualification to agree with yet",
            ));
        }
        self.qualification_opinion(case, true, standing, comment)
    }

    /// The prosecutor proposes an offered article (with part and paragraph
    /// where given), as their own review entry.
    pub fn propose_article(
        &mut self,
        case: &str,
        key: &str,
        part: Option<&str>,
        paragraph: Option<&str>,
        comment: &str,
    ) -> Result<String> {
        let article = offered_article(key, part, paragraph, self.clock.today())?;
        let proposed = [(article.key(), article)].into_iter().collect();
        self.qualification_opinion(case, false, proposed, comment)
    }

    fn qualification_opinion(
        &mut self,
        case: &str,
        agrees: bool,
        articles: std::collections::BTreeMap<String, LegalArticle>,
        comment: &str,
    ) -> Result<String> {
        bounded("comment", comment, MAX_LONG_TEXT)?;
        let (member, _) = self.me()?;
        let keys: Vec<String> = articles.keys().cloned().collect();
        let record = Record::Review(ReviewItem {
            kind: ReviewKind::Comment,
            stage: None,
            text: comment.trim().into(),
            by: member,
            at: self.now(),
            withdraws: None,
            qualification: Some(QualificationOpinion { agrees, articles }),
        });
        let verb = if agrees { "agrees with" } else { "proposes" };
        let note = Some(format!("{verb} {}", keys.join(", ")));
        Ok(self
            .insert_noted(case, record, "review.qualification", note)?
            .1)
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

/// The list's rows of index entries; an entry whose stage or status this
/// build cannot read is named apart (listed as unreadable, like a row that
/// does not decrypt).
fn summaries(entries: &[&CaseIndexEntry], today: &str) -> (Vec<CaseSummary>, Vec<String>) {
    let mut misread = Vec::new();
    let cases = entries
        .iter()
        .filter_map(|e| {
            let (Some(stage), Some(status)) =
                (Stage::from_id(&e.stage), CaseStatus::from_id(&e.status))
            else {
                misread.push(e.case_id.to_hex());
                return None;
            };
            let overdue = e
                .open_task_dues
                .iter()
                .filter(|d| d.as_str() < today)
                .count() as u32;
            Some(CaseSummary {
                id: CaseId::from(e.case_id.to_hex()),
                reference: e.reference.clone(),
                title: e.title.clone(),
                stage,
                status,
                jurisdiction: e.jurisdiction.clone(),
                assignees: e.assignees.iter().map(MemberId::from).collect(),
                updated_at_ms: e.updated_at_ms,
                progress_percent: e.progress_percent,
                overdue_tasks: overdue,
                overdue_international: overdue_international(e, today),
                measure_alerts: measure_alerts(e, today),
                conflicts: e.conflicts,
            })
        })
        .collect();
    (cases, misread)
}

/// Open international requests of an index entry past their deadline.
pub(crate) fn overdue_international(e: &CaseIndexEntry, today: &str) -> u32 {
    e.open_international_deadlines
        .iter()
        .filter(|d| d.as_str() < today)
        .count() as u32
}

/// Preventive measures of an index entry that end within a week of
/// `today` or have ended (see `caravan_model::court`).
pub(crate) fn measure_alerts(e: &CaseIndexEntry, today: &str) -> u32 {
    let Ok(today) = today.parse::<Date>() else {
        return 0;
    };
    e.measure_ends
        .iter()
        .filter_map(|d| d.parse::<Date>().ok())
        .filter(|until| until.days_since(today) <= caravan_model::court::MEASURE_WARNING_DAYS)
        .count() as u32
}

/// How the audit log names an edited field: never an identity field's path,
/// which would say whose details were changed.
pub(crate) fn audited_field(path: &DocPath) -> String {
    if path.is_sensitive() {
        "identity field".to_string()
    } else {
        path.to_string()
    }
}
