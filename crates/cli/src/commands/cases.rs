//! `case …`, `person …`, `conflicts`, `resolve`.

use anyhow::Result;
use caravan_core::CaseFilter;
use caravan_core::model::LegalArticle;
use caravan_core::view::CaseView;

use super::{Ctx, created, done, with_ws};
use crate::cli::{CaseCmd, ListArgs, PersonArgs, PersonCmd};
use crate::output::{opt, opt_date, or_dash, short, time};

pub fn case(ctx: &Ctx, cmd: CaseCmd) -> Result<()> {
    let o = &ctx.out;
    match cmd {
        CaseCmd::New(input) => {
            let id = with_ws(ctx, |ws| Ok(ws.create_case(input)?))?;
            created(ctx, "cli.case.opened", &id)
        }
        CaseCmd::List(args) => list(ctx, args),
        CaseCmd::Show { case } => {
            let view = with_ws(ctx, |ws| Ok(ws.show_case(&case)?))?;
            if o.json {
                return o.json(&view);
            }
            show(ctx, &view)
        }
        CaseCmd::Edit {
            case,
            path,
            value,
            text,
        } => {
            with_ws(ctx, |ws| {
                if text {
                    Ok(ws.set_text(&case, &path, &value)?)
                } else {
                    Ok(ws.set_field(&case, &path, &value)?)
                }
            })?;
            done(ctx, "cli.case.saved", &[("path", &path)])
        }
        CaseCmd::Stage {
            action,
            case,
            stage,
        } => {
            let open = action == "open";
            with_ws(ctx, |ws| {
                if open {
                    Ok(ws.open_stage(&case, stage)?)
                } else {
                    Ok(ws.close_stage(&case, stage)?)
                }
            })?;
            let key = if open {
                "cli.case.stage_opened"
            } else {
                "cli.case.stage_closed"
            };
            let stage = ctx.out.vocab("stage", &stage);
            done(ctx, key, &[("stage", &stage)])
        }
        CaseCmd::Close { case, status } => {
            with_ws(ctx, |ws| Ok(ws.close_case(&case, status)?))?;
            done(ctx, "cli.case.closed", &[("status", &status)])
        }
        CaseCmd::Assign {
            case,
            member,
            remove,
        } => {
            with_ws(ctx, |ws| Ok(ws.assign(&case, &member, !remove)?))?;
            let key = if remove {
                "cli.case.unassigned"
            } else {
                "cli.case.assigned"
            };
            done(ctx, key, &[])
        }
        CaseCmd::Qualify {
            case,
            article,
            part,
            paragraph,
            remove,
            agree,
            propose,
            comment,
        } => {
            let how = if remove {
                Qualify::Remove
            } else if agree {
                Qualify::Agree
            } else if propose {
                Qualify::Propose
            } else {
                Qualify::Add
            };
            let at = (part.as_deref(), paragraph.as_deref());
            qualify(ctx, &case, article.as_deref(), at, how, &comment)
        }
        CaseCmd::Link { case, link } => {
            let id = with_ws(ctx, |ws| Ok(ws.add_case_link(&case, link)?))?;
            created(ctx, "cli.case.linked", &id)
        }
    }
}

/// What `case qualify` does with the article it names.
enum Qualify {
    Add,
    Remove,
    Agree,
    Propose,
}

/// The legal qualification: list the articles offered for the case's
/// jurisdiction, add / remove one by its key, or, as the prosecutor, agree
/// with the qualification or propose an article.
fn qualify(
    ctx: &Ctx,
    case: &str,
    article: Option<&str>,
    (part, paragraph): (Option<&str>, Option<&str>),
    how: Qualify,
    comment: &str,
) -> Result<()> {
    if let Qualify::Agree = how {
        with_ws(ctx, |ws| Ok(ws.agree_with_qualification(case, comment)?))?;
        return done(ctx, "cli.qualify.agreed", &[]);
    }
    let Some(key) = article else {
        let jurisdiction = with_ws(ctx, |ws| Ok(ws.show_case(case)?.jurisdiction))?;
        let lang = ctx.out.lang;
        let offered = caravan_core::offered_articles(&jurisdiction, lang.id());
        if ctx.out.json {
            return ctx.out.json(&offered);
        }
        for o in offered {
            let title = lang.marked(&o.title, &o.title_lang);
            let marks: Vec<String> = [
                (o.related, "cli.qualify.related"),
                (!o.verified, "cli.qualify.not_verified"),
            ]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, key)| lang.t(key, &[]))
            .collect();
            let mark = if marks.is_empty() {
                String::new()
            } else {
                format!(" [{}]", marks.join(", "))
            };
            // Through the output, so a closed pipe (`| head`) ends it quietly.
            ctx.out.line(&format!("{:<14} {title}{mark}", o.key))?;
        }
        return Ok(());
    };
    match how {
        Qualify::Remove => {
            with_ws(ctx, |ws| Ok(ws.remove_article(case, key)?))?;
            done(ctx, "cli.qualify.removed", &[])
        }
        Qualify::Propose => {
            with_ws(ctx, |ws| {
                Ok(ws.propose_article(case, key, part, paragraph, comment)?)
            })?;
            done(ctx, "cli.qualify.proposed", &[])
        }
        Qualify::Add | Qualify::Agree => {
            with_ws(ctx, |ws| {
                Ok(ws.add_offered_article(case, key, part, paragraph)?)
            })?;
            done(ctx, "cli.qualify.added", &[])
        }
    }
}

/// An article as practitioners write it: "п. 2 ч. 3 ст. 128 (KZ 2014)".
fn reference(a: &LegalArticle) -> String {
    let mut out = String::new();
    if let Some(p) = &a.paragraph {
        out.push_str(&format!("п. {p} "));
    }
    if let Some(p) = &a.part {
        out.push_str(&format!("ч. {p} "));
    }
    format!(
        "{out}ст. {} ({} {})",
        a.article, a.jurisdiction, a.code_year
    )
}

fn list(ctx: &Ctx, a: ListArgs) -> Result<()> {
    let list = with_ws(ctx, |ws| {
        let assignee = a
            .assignee
            .as_deref()
            .map(|m| ws.find_member(m))
            .transpose()?;
        let filter = CaseFilter {
            query: a.search,
            stage: a.stage,
            status: a.status,
            assignee,
            jurisdiction: a.jurisdiction,
            overdue_only: a.overdue,
        };
        Ok(ws.list_cases(&filter)?)
    })?;
    let o = &ctx.out;
    if o.json {
        return o.json(&list);
    }
    let rows = list
        .cases
        .iter()
        .map(|c| {
            vec![
                short(&c.id),
                c.reference.clone(),
                c.title.clone(),
                o.vocab("stage", &c.stage),
                o.vocab("case_status", &c.status),
                c.jurisdiction.clone(),
                format!("{}%", c.progress_percent),
                c.overdue_tasks.to_string(),
                time(c.updated_at_ms),
            ]
        })
        .collect();
    o.table(
        &[
            "cli.col.id",
            "cases.reference",
            "cases.case_title",
            "cases.stage",
            "cases.status",
            "cli.col.jurisdiction",
            "tasks.done",
            "dashboard.overdue",
            "cases.updated",
        ],
        rows,
        Some("cli.case.none"),
    )?;
    for u in &list.unreadable {
        o.note("cli.case.unreadable", &[("id", u)])?;
    }
    Ok(())
}

fn show(ctx: &Ctx, v: &CaseView) -> Result<()> {
    let o = &ctx.out;
    o.heading(&format!("{} — {}", v.reference, v.title))?;
    o.fields(&[
        ("cli.field.id", v.id.to_string()),
        ("cli.field.jurisdiction", v.jurisdiction.clone()),
        ("cli.field.status", o.vocab("case_status", &v.status)),
        (
            "cli.field.created",
            o.t(
                "cli.case.created_by",
                &[("time", &time(v.created_at)), ("name", &v.created_by.name)],
            ),
        ),
        (
            "cli.field.investigators",
            v.assignment
                .investigators
                .iter()
                .map(|m| m.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("cli.field.progress", format!("{}%", v.progress_percent)),
        ("cli.field.conflicts", v.conflicts.to_string()),
    ])?;
    if !v.narrative.is_empty() {
        o.heading(&o.t("overview.narrative", &[]))?;
        o.line(&v.narrative)?;
    }
    o.listing(
        "overview.stages",
        &[
            "cases.stage",
            "cases.status",
            "cli.col.missing_items",
            "cli.col.victims_waiting",
            "cli.col.missing_signoffs",
            "cli.col.newer_checklists",
        ],
        &v.stages,
        |s| {
            vec![
                o.vocab("stage", &s.stage),
                o.vocab("stage_status", &s.status),
                (s.gate.missing_items.len()
                    + s.gate
                        .people
                        .iter()
                        .map(|p| p.missing_items.len())
                        .sum::<usize>())
                .to_string(),
                s.gate.people.len().to_string(),
                s.gate.missing_signoffs.len().to_string(),
                s.gate.unknown_templates.len().to_string(),
            ]
        },
    )?;
    if v.stages
        .iter()
        .any(|s| !s.gate.unknown_templates.is_empty())
    {
        o.note("cli.case.newer_templates", &[])?;
    }
    for s in &v.stages {
        let own = s.gate.not_applicable_unsigned.iter().map(|n| (n, None));
        let victims = s.gate.people.iter().flat_map(|p| {
            p.not_applicable_unsigned
                .iter()
                .map(move |n| (n, Some(p.person.as_str())))
        });
        for (n, whom) in own.chain(victims) {
            let whom = whom.map_or(String::new(), |p| format!(" — {p}"));
            o.note(
                "cli.case.not_applicable_unsigned",
                &[
                    ("role", &o.vocab("role", &n.role)),
                    ("item", &n.item),
                    ("whom", &whom),
                    ("stage", &o.vocab("stage", &s.stage)),
                ],
            )?;
        }
        for p in s.gate.people.iter().filter(|p| !p.not_started.is_empty()) {
            o.note(
                "cli.case.not_started",
                &[
                    ("person", &p.person),
                    ("stage", &o.vocab("stage", &s.stage)),
                    ("templates", &p.not_started.join(", ")),
                ],
            )?;
        }
    }
    o.listing(
        "cli.heading.people",
        &[
            "cli.col.id",
            "people.field.kind",
            "people.field.pseudonym",
            "cases.status",
            "people.field.citizenship",
        ],
        &v.people,
        |p| {
            vec![
                p.id.to_string(),
                format!("{:?}", p.kind).to_lowercase(),
                p.pseudonym.clone(),
                p.status.map(|s| s.to_string()).unwrap_or_default(),
                or_dash(Some(p.citizenships.join(", ").as_str()).filter(|c| !c.is_empty())),
            ]
        },
    )?;
    o.listing(
        "evidence.title",
        &[
            "cli.col.id",
            "evidence.label",
            "evidence.kind",
            "conflicts.field.holder",
            "cli.col.handovers",
        ],
        &v.evidence,
        |e| {
            vec![
                e.id.to_string(),
                e.label.clone(),
                e.kind.to_string(),
                e.holder.clone(),
                e.custody.len().to_string(),
            ]
        },
    )?;
    o.listing(
        "tasks.title",
        &[
            "cli.col.id",
            "cases.case_title",
            "tasks.assignee",
            "tasks.due",
            "tasks.done",
        ],
        &v.tasks,
        |t| {
            vec![
                t.id.to_string(),
                t.title.clone(),
                t.assignee
                    .as_ref()
                    .map(|m| m.name.clone())
                    .unwrap_or_default(),
                opt_date(t.due),
                if t.done {
                    o.t("common.yes", &[])
                } else if t.overdue {
                    o.t("cli.value.overdue", &[])
                } else {
                    String::new()
                },
            ]
        },
    )?;
    o.listing(
        "interviews.title",
        &[
            "cli.col.id",
            "interviews.person",
            "cli.col.planned",
            "cases.stage",
        ],
        &v.interviews,
        |i| {
            vec![
                i.id.to_string(),
                i.person_id.to_string(),
                opt_date(i.planned_for),
                o.vocab("stage", &i.stage),
            ]
        },
    )?;
    o.listing(
        "links.title",
        &[
            "cli.col.id",
            "sync.case",
            "cases.reference",
            "links.relation",
            "links.note",
        ],
        &v.links,
        |l| {
            vec![
                l.id.to_string(),
                l.case_id.to_string(),
                l.reference.clone(),
                l.relation.to_string(),
                opt(&l.note),
            ]
        },
    )?;
    o.listing(
        "intl.title",
        &[
            "cli.col.id",
            "intl.kind",
            "cli.col.state",
            "cli.col.basis",
            "intl.sent_on",
            "intl.deadline",
            "cases.status",
        ],
        &v.international_requests,
        |r| {
            vec![
                r.id.to_string(),
                r.kind.to_string(),
                r.requested_state.clone(),
                r.legal_basis.to_string(),
                opt_date(r.sent_on),
                opt_date(r.deadline),
                if r.overdue {
                    format!("{} {}", r.status, o.t("cli.value.overdue", &[]))
                } else {
                    r.status.to_string()
                },
            ]
        },
    )?;
    o.listing(
        "timeline.title",
        &[
            "cli.col.id",
            "cli.col.kind",
            "timeline.date",
            "timeline.place",
            "cli.col.country",
            "cli.col.coordinates",
            "cli.col.border",
            "timeline.transport",
        ],
        &v.timeline,
        |e| {
            vec![
                e.id.to_string(),
                e.kind.to_string(),
                opt_date(e.date),
                e.place.clone(),
                opt(&e.country),
                match (e.latitude, e.longitude) {
                    (Some(lat), Some(lon)) => format!("{lat:.6}, {lon:.6}"),
                    _ => "-".into(),
                },
                match (e.crosses_border, &e.border_point) {
                    (Some(true), Some(p)) => o.t("cli.value.crossed_at", &[("point", p)]),
                    (Some(true), None) => o.t("cli.value.crossed", &[]),
                    (Some(false), _) => o.t("common.no", &[]),
                    (None, _) => "-".into(),
                },
                e.transport.map_or_else(|| "-".into(), |t| t.to_string()),
            ]
        },
    )?;
    o.listing(
        "cli.heading.identifiers",
        &[
            "cli.col.id",
            "ident.kind",
            "ident.value",
            "ident.platform",
            "ident.person",
            "ident.source",
        ],
        &v.identifiers,
        |i| {
            vec![
                i.id.to_string(),
                i.kind.to_string(),
                o.t("cli.value.masked", &[]),
                opt(&i.platform),
                opt(&i.person),
                opt(&i.source),
            ]
        },
    )?;
    o.listing(
        "cli.heading.groups",
        &[
            "cli.col.id",
            "team.name",
            "groups.members",
            "cli.col.countries",
        ],
        &v.groups,
        |g| {
            vec![
                g.id.to_string(),
                g.name.clone(),
                g.members
                    .iter()
                    .map(|m| format!("{} ({})", m.pseudonym, m.role))
                    .collect::<Vec<_>>()
                    .join(", "),
                g.countries.join(" "),
            ]
        },
    )?;
    o.listing(
        "notes.title",
        &["cli.col.id", "review.by", "cli.col.at", "links.note"],
        &v.notes,
        |n| {
            vec![
                n.id.to_string(),
                n.recorded_by.name.clone(),
                time(n.recorded_at),
                n.body.lines().next().unwrap_or("").to_string(),
            ]
        },
    )?;
    o.listing(
        "cli.heading.qualification",
        &["cli.col.key", "court.article", "cases.case_title"],
        &v.qualification,
        |q| {
            vec![
                q.key.clone(),
                reference(&q.article),
                o.lang.marked_of(&q.titles),
            ]
        },
    )?;
    if !v.qualification_opinions.is_empty() {
        o.listing(
            "cli.heading.prosecutor_opinions",
            &[
                "cli.col.id",
                "review.by",
                "cli.col.stance",
                "approvals.comment",
            ],
            &v.qualification_opinions,
            |p| {
                let articles: Vec<String> =
                    p.articles.iter().map(|a| reference(&a.article)).collect();
                let articles = articles.join(", ");
                let position = if p.agrees {
                    let agrees = o.t("cli.value.agrees", &[("articles", &articles)]);
                    if p.outdated {
                        format!("{agrees} {}", o.t("cli.value.qualification_changed", &[]))
                    } else {
                        agrees
                    }
                } else {
                    o.t("cli.value.proposes", &[("articles", &articles)])
                };
                vec![
                    p.id.to_string(),
                    p.by.name.clone(),
                    position,
                    p.comment.clone(),
                ]
            },
        )?;
    }
    o.listing(
        "case.tab.review",
        &[
            "cli.col.id",
            "review.kind",
            "cases.stage",
            "review.by",
            "review.text",
        ],
        &v.review,
        |r| {
            vec![
                r.id.to_string(),
                r.kind.to_string(),
                r.stage.map(|s| o.vocab("stage", &s)).unwrap_or_default(),
                r.by.name.clone(),
                r.text.clone(),
            ]
        },
    )
}

pub fn person(ctx: &Ctx, cmd: PersonCmd) -> Result<()> {
    match cmd {
        PersonCmd::Add(a) => {
            let PersonArgs { case, person } = *a;
            let id = with_ws(ctx, |ws| Ok(ws.add_person(&case, person)?))?;
            created(ctx, "cli.person.added", &id)
        }
        PersonCmd::Reveal { case, person } => {
            let view = with_ws(ctx, |ws| Ok(ws.reveal(&case, &person)?))?;
            let o = &ctx.out;
            if o.json {
                return o.json(&view.into_json());
            }
            o.fields(&[
                ("cli.field.full_name", view.full_name().to_string()),
                ("cli.field.other_names", or_dash(view.other_names())),
                ("cli.field.birth_date", or_dash(view.birth_date())),
                ("cli.field.documents", or_dash(view.document_numbers())),
                ("cli.field.contact", or_dash(view.contact())),
                ("cli.field.address", or_dash(view.address())),
            ])?;
            o.note("cli.reveal.audited", &[])
        }
    }
}

pub fn conflicts(ctx: &Ctx, case: Option<&str>, reveal: bool) -> Result<()> {
    let list = with_ws(ctx, |ws| Ok(ws.conflicts(case, reveal)?))?;
    let o = &ctx.out;
    if o.json {
        return o.json(&list);
    }
    let mut rows = Vec::new();
    for c in &list {
        for v in &c.values {
            rows.push(vec![
                short(&c.case_id),
                c.path.clone(),
                v.choice.clone(),
                v.value
                    .clone()
                    .unwrap_or_else(|| o.t("cli.value.masked", &[])),
                v.author_name.clone(),
                if v.shown_now { "*" } else { "" }.to_string(),
            ]);
        }
    }
    o.table(
        &[
            "sync.case",
            "cli.col.field",
            "cli.col.choice",
            "ident.value",
            "sync.author",
            "cli.col.shown",
        ],
        rows,
        Some("cli.conflicts.none"),
    )
}

pub fn resolve(ctx: &Ctx, case: &str, path: &str, choice: &str) -> Result<()> {
    with_ws(ctx, |ws| Ok(ws.resolve(case, path, choice)?))?;
    done(ctx, "cli.resolve.decided", &[("path", &path)])
}
