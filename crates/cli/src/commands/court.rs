//! `court …`: the prosecution and court phase of a case.

use anyhow::Result;
use caravan_core::ids::RecordId;
use caravan_core::view::{CaseView, MeasureAlertKind};

use super::{Ctx, created, done, with_ws};
use crate::cli::CourtCmd;
use crate::output::{opt, opt_date};

pub fn court(ctx: &Ctx, cmd: CourtCmd) -> Result<()> {
    let (key, id) = match cmd {
        CourtCmd::Show { case } => {
            let view = with_ws(ctx, |ws| Ok(ws.show_case(&case)?))?;
            if ctx.out.json {
                return ctx.out.json(&view.court);
            }
            return show(ctx, &view);
        }
        CourtCmd::Registry { case, number } => {
            with_ws(ctx, |ws| Ok(ws.set_registry_number(&case, &number)?))?;
            return done(ctx, "cli.court.registry_saved", &[]);
        }
        CourtCmd::Decision { case, decision } => (
            "cli.court.decision",
            with_ws(ctx, |ws| Ok(ws.add_procedural_decision(&case, decision)?))?,
        ),
        CourtCmd::Measure { case, measure } => (
            "cli.court.measure",
            with_ws(ctx, |ws| Ok(ws.add_measure(&case, measure)?))?,
        ),
        CourtCmd::Charge { case, charge } => (
            "cli.court.charge",
            with_ws(ctx, |ws| Ok(ws.add_charge(&case, charge)?))?,
        ),
        CourtCmd::Indict { case, indictment } => (
            "cli.court.indictment",
            with_ws(ctx, |ws| Ok(ws.add_indictment(&case, indictment)?))?,
        ),
        CourtCmd::Hearing { case, hearing } => (
            "cli.court.hearing",
            with_ws(ctx, |ws| Ok(ws.add_hearing(&case, hearing)?))?,
        ),
        CourtCmd::Verdict { case, verdict } => (
            "cli.court.verdict",
            with_ws(ctx, |ws| Ok(ws.add_verdict(&case, verdict)?))?,
        ),
        CourtCmd::Compensation { case, compensation } => (
            "cli.court.compensation",
            with_ws(ctx, |ws| Ok(ws.add_compensation(&case, compensation)?))?,
        ),
    };
    created(ctx, key, &id)
}

fn show(ctx: &Ctx, v: &CaseView) -> Result<()> {
    let o = &ctx.out;
    let who = |id: &RecordId| {
        v.people
            .iter()
            .find(|p| p.id == *id)
            .map_or_else(|| id.to_string(), |p| p.pseudonym.clone())
    };
    let c = &v.court;
    o.heading(&format!("{} — {}", v.reference, v.title))?;
    o.fields(&[("cli.field.registry_number", opt(&c.registry_number))])?;
    o.listing(
        "cli.heading.procedural_statuses",
        &["interviews.person", "cases.status", "cli.col.since"],
        &c.statuses,
        |s| vec![who(&s.person_id), s.status.to_string(), s.since.to_string()],
    )?;
    o.listing(
        "court.measures",
        &[
            "cli.col.id",
            "interviews.person",
            "court.measure",
            "court.from",
            "court.until",
            "cli.col.alert",
        ],
        &c.measures,
        |m| {
            vec![
                m.id.to_string(),
                who(&m.person_id),
                m.kind.to_string(),
                m.from.to_string(),
                opt_date(m.until),
                match (m.lifted_on, m.alert) {
                    (Some(d), _) => o.t("cli.value.lifted", &[("date", &d)]),
                    (None, Some(MeasureAlertKind::Expired)) => o.t("cli.value.expired", &[]),
                    (None, Some(MeasureAlertKind::Expiring)) => o.t("cli.value.expiring", &[]),
                    (None, None) => String::new(),
                },
            ]
        },
    )?;
    o.listing(
        "court.charges",
        &[
            "cli.col.id",
            "interviews.person",
            "court.article",
            "cases.status",
            "cli.col.brought",
        ],
        &c.charges,
        |ch| {
            vec![
                ch.id.to_string(),
                who(&ch.person_id),
                ch.article.key.clone(),
                ch.status.to_string(),
                opt_date(ch.brought_on),
            ]
        },
    )?;
    o.listing(
        "cli.heading.indictments",
        &[
            "cli.col.id",
            "cases.status",
            "court.defendants",
            "court.charges",
            "court.court",
            "intl.sent_on",
        ],
        &c.indictments,
        |i| {
            vec![
                i.id.to_string(),
                i.status.to_string(),
                i.defendants.iter().map(&who).collect::<Vec<_>>().join(", "),
                i.charges.len().to_string(),
                opt(&i.court),
                opt_date(i.sent_to_court_on),
            ]
        },
    )?;
    o.listing(
        "court.hearings",
        &[
            "cli.col.id",
            "court.date",
            "court.court",
            "court.hearing_kind",
            "court.outcome",
            "cli.col.protective_measures",
            "cli.col.next",
        ],
        &c.hearings,
        |h| {
            vec![
                h.id.to_string(),
                h.date.to_string(),
                h.court.clone(),
                h.kind.to_string(),
                h.outcome.to_string(),
                h.measures_granted
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                opt_date(h.next_date),
            ]
        },
    )?;
    o.listing(
        "court.verdicts",
        &[
            "cli.col.id",
            "interviews.person",
            "court.date",
            "court.outcome",
            "court.articles",
            "court.sentence",
            "court.appeal",
        ],
        &c.verdicts,
        |x| {
            vec![
                x.id.to_string(),
                who(&x.person_id),
                x.date.to_string(),
                x.outcome.to_string(),
                x.articles.join(", "),
                opt(&x.sentence),
                x.appeal
                    .map(|a| a.to_string())
                    .unwrap_or_else(|| "-".into()),
            ]
        },
    )?;
    o.listing(
        "court.compensation",
        &[
            "cli.col.id",
            "interviews.person",
            "court.claimed",
            "court.awarded",
            "court.paid",
            "cases.status",
        ],
        &c.compensation,
        |k| {
            let money =
                |n: Option<u64>| n.map_or_else(|| "-".into(), |n| format!("{n} {}", k.currency));
            vec![
                k.id.to_string(),
                who(&k.person_id),
                money(k.claimed),
                money(k.awarded),
                money(k.paid),
                k.status.to_string(),
            ]
        },
    )
}
