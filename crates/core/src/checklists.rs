//! The manual's checklists in a case: show by stage, tick, mark not
//! applicable with a reason, note, link evidence, sign off, adopt a newer
//! template version; prosecutor review and supervisor approvals.

use caravan_model::checklist::{checklist_key, item_status, parse_checklist_key, plan_adoption};
use caravan_model::signoffs;
use caravan_model::*;
use serde::Serialize;

use crate::error::{CoreError, Result};
use crate::ids::RecordId;
use crate::inputs::{ItemUpdate, MAX_LONG_TEXT, MAX_TEXT, Normalise, bounded};
use crate::view::MemberRef;
use crate::workspace::Workspace;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChecklistView {
    /// What names this checklist to the item commands: the template id
    /// for the case's own, `<template-id>~<person-id>` for a person's.
    pub key: String,
    pub template_id: String,
    /// The victim this checklist is for; `None` for the case's own (and
    /// for the one case-wide checklist older cases hold of a template now
    /// kept per victim).
    pub person_id: Option<RecordId>,
    /// That victim's pseudonym (never their name).
    pub person: Option<String>,
    /// Each victim has their own checklist of this template.
    pub per_victim: bool,
    pub version: u64,
    /// A newer version of the template exists.
    pub newer_version: Option<u64>,
    /// The case follows a version of the template this copy of Caravan
    /// does not know (made with a newer Caravan): its items cannot be
    /// shown or worked on, and it holds the stage gate, until Caravan is
    /// updated. `items` is then empty.
    pub template_unknown: bool,
    /// `None` only for a checklist whose template this copy of Caravan
    /// does not know at all (it holds every stage's gate).
    pub stage: Option<Stage>,
    pub title: String,
    /// The language `title` is written in: Russian when the reader's
    /// national language has no text of this template (see
    /// `caravan_model::texts`).
    pub title_lang: String,
    pub items: Vec<ItemView>,
    pub required: usize,
    pub required_resolved: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemView {
    pub id: String,
    pub kind: ItemKind,
    pub required: bool,
    pub text: String,
    /// The language `text` is written in (see `title_lang`).
    pub text_lang: String,
    pub source: String,
    pub status: ItemStatus,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub evidence_ids: Vec<String>,
    pub signoff_needed: Option<Role>,
    pub signed_off_by: Option<String>,
    /// Who last recorded the item's state, and when (none while open and
    /// never touched).
    pub recorded_by: Option<MemberRef>,
    pub recorded_at: Option<i64>,
}

impl Workspace {
    /// The case's checklists, optionally of one stage, texts in `lang`.
    pub fn checklists(
        &mut self,
        case: &str,
        stage: Option<Stage>,
        lang: &str,
    ) -> Result<Vec<ChecklistView>> {
        let (case_id, c) = self.case_doc(case)?;
        let names = self.names()?;
        let mut out = Vec::new();
        for (key, inst) in &c.checklists {
            let person_id = parse_checklist_key(key).1.map(RecordId::from);
            let person = person_id.as_deref().map(|p| {
                c.victims
                    .get(p)
                    .map_or(p, |v| v.pseudonym.as_str())
                    .to_string()
            });
            let t = match lifecycle::template_of(inst, self.catalog) {
                Ok(t) => t,
                Err(unknown) => {
                    // Shown, never left out: it holds the gate.
                    let known = self.catalog.latest(&unknown.template_id);
                    let likely = known.map(|t| t.stage);
                    if stage.is_some_and(|s| likely.is_some_and(|l| l != s)) {
                        continue;
                    }
                    out.push(ChecklistView {
                        key: key.clone(),
                        template_id: unknown.template_id.clone(),
                        person_id,
                        person,
                        per_victim: known.is_some_and(|t| t.is_per_person()),
                        version: unknown.version,
                        newer_version: None,
                        template_unknown: true,
                        stage: likely,
                        title: known.map_or(unknown.template_id.clone(), |t| {
                            t.title_in(lang).to_string()
                        }),
                        title_lang: known.map_or("en", |t| t.title_shown(lang).lang).to_string(),
                        items: Vec::new(),
                        required: 0,
                        required_resolved: 0,
                    });
                    continue;
                }
            };
            if stage.is_some_and(|s| s != t.stage) {
                continue;
            }
            let items: Vec<ItemView> = t
                .items
                .iter()
                .map(|i| {
                    let st = inst.items.get(&i.id);
                    ItemView {
                        id: i.id.clone(),
                        kind: i.kind,
                        required: i.required,
                        text: i.text_in(lang).to_string(),
                        text_lang: i.text_shown(lang).lang.to_string(),
                        source: i.source.clone(),
                        status: item_status(inst, &i.id),
                        reason: st.and_then(|s| s.reason.clone()),
                        note: st.and_then(|s| s.note.clone()),
                        evidence_ids: st.map(|s| s.evidence_ids.clone()).unwrap_or_default(),
                        // A safety item's "not applicable" needs one too.
                        signoff_needed: i.signoff.or(i
                            .na_signoff
                            .filter(|_| item_status(inst, &i.id) == ItemStatus::NotApplicable)),
                        // Not one for another marking, nor one withdrawn.
                        signed_off_by: inst
                            .signoffs
                            .get(&i.id)
                            .filter(|s| Some(s.status) == st.map(|x| x.status))
                            .filter(|s| signoffs::item_withdrawal(&c, key, &i.id, s).is_none())
                            .map(|s| names.name_of(&s.by)),
                        recorded_by: st.map(|s| names.member(&s.by)),
                        recorded_at: st.map(|s| s.at),
                    }
                })
                .collect();
            let required = items.iter().filter(|i| i.required).count();
            let required_resolved = items
                .iter()
                .filter(|i| i.required && i.status != ItemStatus::Open)
                .count();
            out.push(ChecklistView {
                key: key.clone(),
                template_id: t.id.clone(),
                person_id,
                person,
                per_victim: t.is_per_person(),
                version: inst.version,
                newer_version: self
                    .catalog
                    .latest(&t.id)
                    .map(|l| l.version)
                    .filter(|v| *v > inst.version),
                template_unknown: false,
                stage: Some(t.stage),
                title: t.title_in(lang).to_string(),
                title_lang: t.title_shown(lang).lang.to_string(),
                items,
                required,
                required_resolved,
            });
        }
        // In stage order; those of no known stage last; a template's
        // case-wide checklist before its victims'.
        out.sort_by(|a, b| {
            (a.stage.is_none(), a.stage, &a.template_id, &a.person_id).cmp(&(
                b.stage.is_none(),
                b.stage,
                &b.template_id,
                &b.person_id,
            ))
        });
        self.audit("checklist.view", &format!("case {case_id}"))?;
        Ok(out)
    }

    /// Records the state of one item (done, not applicable with a reason,
    /// open again; a note; linked evidence and interviews). `checklist` is
    /// the checklist's key ([`ChecklistView::key`]).
    pub fn set_item(
        &mut self,
        case: &str,
        checklist: &str,
        item_id: &str,
        u: ItemUpdate,
    ) -> Result<()> {
        let u = u.normalised()?;
        let case_id = self.find_case(case)?;
        let status = u.status;
        self.edit(
            &case_id,
            Edit::SetItem {
                template_id: checklist.into(),
                item_id: item_id.into(),
                status,
                reason: u.reason,
                note: u.note,
                evidence_ids: u.evidence_ids.into_iter().map(Into::into).collect(),
                interview_ids: u.interview_ids.into_iter().map(Into::into).collect(),
            },
            "checklist.item",
            format!("{checklist}/{item_id}: {status}"),
        )
    }

    /// Starts following a template the case does not have yet (e.g. a
    /// per-type identification list), at its newest version: for the case,
    /// or, for a template kept per victim, for the victim `person`.
    pub fn start_checklist(
        &mut self,
        case: &str,
        template_id: &str,
        person: Option<&str>,
    ) -> Result<()> {
        let case_id = self.find_case(case)?;
        let t = self
            .catalog
            .latest(template_id)
            .ok_or_else(|| CoreError::not_found("checklist template", template_id))?;
        let version = t.version;
        let edit = match person {
            Some(p) => Edit::StartPersonChecklist {
                template_id: template_id.into(),
                version,
                person_id: p.into(),
            },
            None => Edit::StartChecklist {
                template_id: template_id.into(),
                version,
            },
        };
        let key = checklist_key(template_id, person);
        self.edit(
            &case_id,
            edit,
            "checklist.start",
            format!("{key}@{version}"),
        )
    }

    /// Starts a per-victim template for every victim of the case who has
    /// not got it yet (all but those decided not to be victims); returns
    /// whom it was started for.
    pub fn start_checklist_for_every_victim(
        &mut self,
        case: &str,
        template_id: &str,
    ) -> Result<Vec<RecordId>> {
        let (case_id, c) = self.case_doc(case)?;
        let t = self
            .catalog
            .latest(template_id)
            .ok_or_else(|| CoreError::not_found("checklist template", template_id))?;
        if !t.is_per_person() {
            return Err(CoreError::invalid(
                "template",
                "this checklist is kept for the case, not for each victim",
            ));
        }
        let missing: Vec<String> = lifecycle::counted_victims(&c)
            .filter(|p| {
                !c.checklists
                    .contains_key(&checklist_key(template_id, Some(p)))
            })
            .cloned()
            .collect();
        for p in &missing {
            self.start_checklist(&case_id, template_id, Some(p))?;
        }
        Ok(missing.into_iter().map(RecordId::from).collect())
    }

    /// Moves a checklist (by its key) to the newest template version;
    /// every item state is kept (items the new version dropped are kept
    /// as retired).
    pub fn adopt_template(&mut self, case: &str, checklist: &str) -> Result<checklist::Adoption> {
        let (case_id, c) = self.case_doc(case)?;
        let inst = c
            .checklists
            .get(checklist)
            .ok_or_else(|| CoreError::not_found("checklist", checklist))?;
        let newer = self
            .catalog
            .latest(&inst.template_id)
            .ok_or_else(|| CoreError::not_found("checklist template", &inst.template_id))?;
        let current = lifecycle::template_of(inst, self.catalog).map_err(|u| {
            ModelError::UnknownTemplate {
                template_id: u.template_id,
                version: u.version,
            }
        })?;
        let plan = plan_adoption(inst, current, newer);
        self.edit(
            &case_id,
            Edit::AdoptTemplate {
                template_id: checklist.into(),
                version: newer.version,
            },
            "checklist.adopt",
            format!("{checklist}: version {} to {}", plan.from, plan.to),
        )?;
        Ok(plan)
    }

    /// Signs off one item (of the checklist under key `checklist`) that
    /// needs the author's role.
    pub fn sign_off_item(&mut self, case: &str, checklist: &str, item_id: &str) -> Result<()> {
        let case_id = self.find_case(case)?;
        self.edit(
            &case_id,
            Edit::SignOffItem {
                template_id: checklist.into(),
                item_id: item_id.into(),
            },
            "checklist.signoff",
            format!("{checklist}/{item_id}"),
        )
    }

    /// A prosecutor's comment, request or sign-off; a sign-off names the
    /// stage it signs off.
    pub fn add_review(
        &mut self,
        case: &str,
        kind: ReviewKind,
        stage: Option<Stage>,
        text: &str,
    ) -> Result<String> {
        if text.trim().is_empty() {
            return Err(CoreError::invalid("text", "must not be empty"));
        }
        bounded("text", text, MAX_LONG_TEXT)?;
        if kind == ReviewKind::Withdrawal {
            return Err(CoreError::invalid(
                "kind",
                "a sign-off is withdrawn with its own command, naming the sign-off",
            ));
        }
        if kind == ReviewKind::SignOff && stage.is_none() {
            return Err(CoreError::invalid(
                "stage",
                "a sign-off names the stage it signs off",
            ));
        }
        let (member, _) = self.me()?;
        let record = Record::Review(ReviewItem {
            kind,
            stage,
            text: text.trim().into(),
            by: member,
            at: self.now(),
            withdraws: None,
            qualification: None,
        });
        let note = Some(kind.to_string());
        Ok(self.insert_noted(case, record, "review.add", note)?.1)
    }

    /// A prosecutor's comment on the case.
    pub fn review_comment(
        &mut self,
        case: &str,
        stage: Option<Stage>,
        text: &str,
    ) -> Result<String> {
        self.add_review(case, ReviewKind::Comment, stage, text)
    }

    /// A prosecutor's request for further investigation.
    pub fn review_request(
        &mut self,
        case: &str,
        stage: Option<Stage>,
        text: &str,
    ) -> Result<String> {
        self.add_review(case, ReviewKind::Request, stage, text)
    }

    /// A prosecutor's sign-off of a stage gate.
    pub fn review_signoff(&mut self, case: &str, stage: Stage, text: &str) -> Result<String> {
        self.add_review(case, ReviewKind::SignOff, Some(stage), text)
    }

    /// A supervisor's decision; with a stage, that stage's gate approval.
    pub fn approve(
        &mut self,
        case: &str,
        stage: Option<Stage>,
        subject: &str,
        decision: Decision,
        comment: Option<String>,
    ) -> Result<String> {
        let subject = subject.trim();
        if subject.is_empty() {
            return Err(CoreError::invalid("subject", "must not be empty"));
        }
        bounded("subject", subject, MAX_TEXT)?;
        let comment = comment
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        bounded("comment", comment.as_deref().unwrap_or(""), MAX_LONG_TEXT)?;
        let (member, _) = self.me()?;
        let record = Record::Approval(Approval {
            stage,
            subject: subject.into(),
            decision,
            comment,
            by: member,
            at: self.now(),
        });
        let note = Some(decision.to_string());
        Ok(self.insert_noted(case, record, "approval.add", note)?.1)
    }
}
