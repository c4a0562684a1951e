//! `checklist …`, `evidence …`, `attach`, `interview …`, `task …`,
//! `note …`, `review …`, `approve`.

use std::path::Path;

use anyhow::Result;
use caravan_core::model::checklist::checklist_key;
use caravan_core::model::{Decision, ItemStatus, Stage};
use caravan_core::{AttachmentView, ItemUpdate};

use super::{Ctx, created, done, with_ws};
use crate::cli::{
    AbroadCmd, ChecklistCmd, EventCmd, EvidenceCmd, GroupCmd, IdentifierCmd, InterviewCmd, NoteCmd,
    ReviewCmd, TaskCmd,
};

pub fn checklist(ctx: &Ctx, cmd: ChecklistCmd) -> Result<()> {
    let o = &ctx.out;
    match cmd {
        ChecklistCmd::Show { case, stage } => {
            let lang = o.lang;
            let lists = with_ws(ctx, |ws| Ok(ws.checklists(&case, stage, lang.id())?))?;
            if o.json {
                return o.json(&lists);
            }
            if lists.is_empty() {
                return o.note("cli.checklist.none", &[]);
            }
            for l in &lists {
                let stage = l
                    .stage
                    .map_or_else(|| "?".to_string(), |s| o.vocab("stage", &s));
                let whom = match (&l.person_id, &l.person) {
                    (Some(id), Some(p)) => format!(" — {p} ({id})"),
                    _ => String::new(),
                };
                // In --lang where the template has it, else in Russian,
                // marked so.
                let title = lang.marked(&l.title, &l.title_lang);
                o.heading(&format!(
                    "{title} [{}@{}]{whom} {}: {}/{}",
                    l.template_id, l.version, stage, l.required_resolved, l.required
                ))?;
                if l.template_unknown {
                    o.note("cli.checklist.newer_template", &[])?;
                    continue;
                }
                let rows = l
                    .items
                    .iter()
                    .map(|i| {
                        let mark = match i.status {
                            ItemStatus::Done => "[x]",
                            ItemStatus::NotApplicable => "[-]",
                            ItemStatus::Open => "[ ]",
                        };
                        let mut text = i.text.clone();
                        if let Some(r) = &i.reason {
                            let na = o.t("cli.checklist.na_reason", &[("reason", r)]);
                            text.push_str(&format!(" {na}"));
                        }
                        vec![
                            mark.to_string(),
                            i.id.clone(),
                            if i.required { "*" } else { "" }.to_string(),
                            text,
                        ]
                    })
                    .collect();
                o.table(
                    &["", "cli.col.item", "cli.col.required", "review.text"],
                    rows,
                    None,
                )?;
            }
            Ok(())
        }
        ChecklistCmd::Tick {
            case,
            template,
            item,
            person,
            na,
            open,
            note,
            evidence,
            interview,
        } => {
            let status = if open {
                ItemStatus::Open
            } else if na.is_some() {
                ItemStatus::NotApplicable
            } else {
                ItemStatus::Done
            };
            let u = ItemUpdate {
                status,
                reason: na,
                note,
                evidence_ids: evidence.into_iter().map(Into::into).collect(),
                interview_ids: interview.into_iter().map(Into::into).collect(),
            };
            let key = checklist_key(&template, person.as_deref());
            with_ws(ctx, |ws| Ok(ws.set_item(&case, &key, &item, u)?))?;
            done(
                ctx,
                "cli.checklist.ticked",
                &[("checklist", &key), ("item", &item), ("status", &status)],
            )
        }
        ChecklistCmd::Signoff {
            case,
            template,
            item,
            person,
        } => {
            let key = checklist_key(&template, person.as_deref());
            with_ws(ctx, |ws| Ok(ws.sign_off_item(&case, &key, &item)?))?;
            done(ctx, "cli.checklist.signed_off", &[])
        }
        ChecklistCmd::Start {
            case,
            template,
            every_victim: true,
            ..
        } => {
            let started = with_ws(ctx, |ws| {
                Ok(ws.start_checklist_for_every_victim(&case, &template)?)
            })?;
            if o.json {
                return o.json(&started);
            }
            let ids: Vec<&str> = started.iter().map(|p| p.as_str()).collect();
            o.say_n(
                "cli.checklist.started_for_victims",
                ids.len() as u64,
                &[("template", &template), ("people", &ids.join(", "))],
            )
        }
        ChecklistCmd::Start {
            case,
            template,
            person,
            ..
        } => {
            with_ws(ctx, |ws| {
                Ok(ws.start_checklist(&case, &template, person.as_deref())?)
            })?;
            let key = checklist_key(&template, person.as_deref());
            done(ctx, "cli.checklist.started", &[("checklist", &key)])
        }
        ChecklistCmd::Adopt {
            case,
            template,
            person,
        } => {
            let key = checklist_key(&template, person.as_deref());
            let plan = with_ws(ctx, |ws| Ok(ws.adopt_template(&case, &key)?))?;
            if o.json {
                return o.json(&plan);
            }
            o.say(
                "cli.checklist.adopted",
                &[
                    ("template", &template),
                    ("from", &plan.from),
                    ("to", &plan.to),
                ],
            )
        }
    }
}

pub fn evidence(ctx: &Ctx, cmd: EvidenceCmd) -> Result<()> {
    match cmd {
        EvidenceCmd::Add { case, evidence } => {
            let id = with_ws(ctx, |ws| Ok(ws.add_evidence(&case, evidence)?))?;
            created(ctx, "cli.evidence.added", &id)
        }
        EvidenceCmd::Transfer {
            case,
            evidence,
            transfer,
        } => {
            let id = with_ws(ctx, |ws| {
                Ok(ws.transfer_custody(&case, &evidence, transfer)?)
            })?;
            created(ctx, "cli.evidence.handed_over", &id)
        }
        EvidenceCmd::Export {
            case,
            evidence,
            out,
        } => {
            let view = with_ws(ctx, |ws| Ok(ws.export_attachment(&case, &evidence, &out)?))?;
            attachment(ctx, &view)
        }
    }
}

/// An attachment's fingerprint and what the file was.
fn attachment(ctx: &Ctx, view: &AttachmentView) -> Result<()> {
    let o = &ctx.out;
    o.show(view, |view| {
        o.fields(&[
            ("cli.field.attachment", view.id.clone()),
            ("cli.field.name", view.file_name.clone()),
            ("cli.field.type", view.media_type.clone()),
            ("cli.field.size", view.size.to_string()),
            ("cli.field.sha256", view.sha256.clone()),
        ])
    })
}

pub fn attach(ctx: &Ctx, case: &str, file: &Path, evidence: Option<&str>) -> Result<()> {
    let view = with_ws(ctx, |ws| Ok(ws.attach(case, evidence, file)?))?;
    attachment(ctx, &view)
}

pub fn interview(ctx: &Ctx, cmd: InterviewCmd) -> Result<()> {
    let InterviewCmd::Add { case, interview } = cmd;
    let id = with_ws(ctx, |ws| Ok(ws.add_interview(&case, interview)?))?;
    created(ctx, "cli.interview.planned", &id)
}

pub fn task(ctx: &Ctx, cmd: TaskCmd) -> Result<()> {
    match cmd {
        TaskCmd::Add { case, task } => {
            let id = with_ws(ctx, |ws| Ok(ws.add_task(&case, task)?))?;
            created(ctx, "cli.task.added", &id)
        }
        TaskCmd::Done { case, task, undo } => {
            with_ws(ctx, |ws| Ok(ws.set_task_done(&case, &task, !undo)?))?;
            if undo {
                done(ctx, "cli.task.reopened", &[])
            } else {
                done(ctx, "cli.task.done", &[])
            }
        }
    }
}

pub fn note(ctx: &Ctx, cmd: NoteCmd) -> Result<()> {
    let NoteCmd::Add { case, body } = cmd;
    let id = with_ws(ctx, |ws| Ok(ws.add_note(&case, &body)?))?;
    created(ctx, "cli.note.added", &id)
}

pub fn abroad(ctx: &Ctx, cmd: AbroadCmd) -> Result<()> {
    let AbroadCmd::Add { case, request } = cmd;
    let id = with_ws(ctx, |ws| Ok(ws.add_international_request(&case, request)?))?;
    created(ctx, "cli.abroad.recorded", &id)
}

pub fn event(ctx: &Ctx, cmd: EventCmd) -> Result<()> {
    let EventCmd::Add { case, event } = cmd;
    let id = with_ws(ctx, |ws| Ok(ws.add_event(&case, *event)?))?;
    created(ctx, "cli.event.recorded", &id)
}

pub fn identifier(ctx: &Ctx, cmd: IdentifierCmd) -> Result<()> {
    match cmd {
        IdentifierCmd::Add { case, identifier } => {
            let id = with_ws(ctx, |ws| Ok(ws.add_identifier(&case, identifier)?))?;
            created(ctx, "cli.identifier.recorded", &id)
        }
        IdentifierCmd::Reveal { case, identifier } => {
            let view = with_ws(ctx, |ws| Ok(ws.reveal_identifier(&case, &identifier)?))?;
            let o = &ctx.out;
            if o.json {
                return o.json(&view.into_json());
            }
            o.fields(&[("cli.field.value", view.value().to_string())])?;
            o.note("cli.reveal.audited", &[])
        }
    }
}

pub fn group(ctx: &Ctx, cmd: GroupCmd) -> Result<()> {
    match cmd {
        GroupCmd::Add { case, group } => {
            let id = with_ws(ctx, |ws| Ok(ws.add_group(&case, group)?))?;
            created(ctx, "cli.group.recorded", &id)
        }
        GroupCmd::Member {
            case,
            group,
            member,
        } => {
            with_ws(ctx, |ws| Ok(ws.set_group_member(&case, &group, member)?))?;
            done(ctx, "cli.group.member_saved", &[])
        }
        GroupCmd::Leave {
            case,
            group,
            suspect,
        } => {
            with_ws(ctx, |ws| {
                Ok(ws.remove_group_member(&case, &group, &suspect)?)
            })?;
            done(ctx, "cli.group.member_left", &[])
        }
    }
}

pub fn review(ctx: &Ctx, cmd: ReviewCmd) -> Result<()> {
    let id = with_ws(ctx, |ws| {
        Ok(match cmd {
            ReviewCmd::Comment { case, text, stage } => ws.review_comment(&case, stage, &text)?,
            ReviewCmd::Request { case, text, stage } => ws.review_request(&case, stage, &text)?,
            ReviewCmd::Signoff { case, stage, text } => ws.review_signoff(&case, stage, &text)?,
        })
    })?;
    created(ctx, "cli.review.added", &id)
}

pub fn approve(
    ctx: &Ctx,
    case: &str,
    subject: &str,
    decision: Decision,
    stage: Option<Stage>,
    comment: Option<String>,
) -> Result<()> {
    let id = with_ws(ctx, |ws| {
        Ok(ws.approve(case, stage, subject, decision, comment)?)
    })?;
    created(ctx, "cli.approve.recorded", &id)
}
