//! Builds a [`CaseView`] from a case document: one function per record
//! kind, member ids resolved to names, gates and progress computed.

use caravan_model::lifecycle::{self, Gate, MissingSignOff, StageProgress};
use caravan_model::{Case, Catalog, CustodyEntry, Date, Stage};

use std::collections::BTreeMap;

use caravan_model::Role;
use caravan_sync::TeamDoc;

use crate::ids::{CaseId, RecordId};
use crate::names::Names;
use crate::signoffs::{Viewer, stage_signoffs};
use crate::view::*;

mod case_file;
mod case_records;
mod court;
mod finance;
mod support;

/// What a case view needs besides the case.
pub(crate) struct ViewContext<'a> {
    pub names: &'a Names,
    pub catalog: &'a Catalog,
    pub today: Date,
    pub conflicts: usize,
    /// The team, for who reviews the case; none on a device without one.
    pub team: Option<&'a TeamDoc>,
    /// Who views the case (what they are offered depends on it).
    pub viewer: Viewer<'a>,
    /// The cases this case links to that this device holds.
    pub held_cases: &'a std::collections::BTreeSet<String>,
}

pub(crate) fn case_view(id: &str, case: &Case, cx: &ViewContext<'_>) -> CaseView {
    let names = cx.names;
    let progress = lifecycle::progress(case, cx.catalog);
    CaseView {
        id: CaseId::from(id),
        reference: case.header.reference.clone(),
        title: case.header.title.clone(),
        jurisdiction: case.header.jurisdiction.clone(),
        status: case.header.status,
        created_at: case.header.created_at,
        created_by: names.member(&case.header.created_by),
        narrative: case.narrative.as_str().to_string(),
        qualification: qualified(case.header.qualification.values(), case),
        qualification_opinions: opinions(case, names),
        prosecutor_qualifies: caravan_model::articles::prosecutor_qualifies(
            &case.header.jurisdiction,
        ),
        stages: stages(case, cx.catalog),
        assignment: assignees(id, case, cx),
        people: {
            let mut people = people(case, names);
            support::add_to_people(&mut people, case, cx);
            people
        },
        evidence: evidence(case, names),
        interviews: interviews(case),
        tasks: tasks(case, names, cx.today),
        timeline: timeline(case),
        referrals: referrals(case),
        risks: risks(case),
        notes: notes(case, names),
        review: review(case, names),
        approvals: approvals(case, names),
        links: case_file::links(case, cx),
        international_requests: case_file::international_requests(case, cx.today),
        identifiers: case_records::identifiers(case, cx),
        groups: case_records::groups(case, cx),
        court: court::court(case, cx),
        finance: finance::finance(case, cx),
        signoffs: stage_signoffs(case, cx.catalog, names, cx.viewer),
        progress_percent: progress.percent(),
        stage_progress: progress.stages.iter().map(stage_progress).collect(),
        person_progress: person_progress(case, cx.catalog),
        conflicts: count(cx.conflicts),
        support: support::services(case, cx),
        reflection_alerts: support::reflection_alerts(case, cx),
    }
}

pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) fn stage_progress(s: &StageProgress) -> StageProgressView {
    StageProgressView {
        stage: s.stage,
        status: s.status,
        items: count(s.items),
        done: count(s.done),
        not_applicable: count(s.not_applicable),
        required: count(s.required),
        required_resolved: count(s.required_resolved),
        percent: s.percent(),
    }
}

fn item_ref(template_id: &str, item_id: &str) -> String {
    format!("{template_id}/{item_id}")
}

fn unsigned(m: &MissingSignOff) -> UnsignedNotApplicableView {
    UnsignedNotApplicableView {
        item: item_ref(&m.template_id, m.item_id.as_deref().unwrap_or_default()),
        role: m.role,
    }
}

fn pseudonym(case: &Case, person: &str) -> String {
    case.victims
        .get(person)
        .map_or(person, |v| v.pseudonym.as_str())
        .to_string()
}

/// The entry of victim `id` in a gate's list of people.
fn person_entry<'m>(
    people: &'m mut BTreeMap<String, PersonGateView>,
    case: &Case,
    id: &str,
) -> &'m mut PersonGateView {
    people
        .entry(id.to_string())
        .or_insert_with(|| PersonGateView {
            person_id: RecordId::from(id),
            person: pseudonym(case, id),
            not_started: Vec::new(),
            missing_items: Vec::new(),
            not_applicable_unsigned: Vec::new(),
        })
}

fn gate_view(case: &Case, g: &Gate) -> GateView {
    let mut people: BTreeMap<String, PersonGateView> = BTreeMap::new();
    for m in &g.missing_checklists {
        person_entry(&mut people, case, &m.person_id)
            .not_started
            .push(m.template_id.clone());
    }
    let mut missing_items = Vec::new();
    for m in &g.missing_items {
        let item = item_ref(&m.template_id, &m.item_id);
        match &m.person_id {
            Some(p) => person_entry(&mut people, case, p).missing_items.push(item),
            None => missing_items.push(item),
        }
    }
    let mut not_applicable_unsigned = Vec::new();
    for m in &g.unsigned_not_applicable {
        match &m.person_id {
            Some(p) => person_entry(&mut people, case, p)
                .not_applicable_unsigned
                .push(unsigned(m)),
            None => not_applicable_unsigned.push(unsigned(m)),
        }
    }
    GateView {
        ready: g.is_ready(),
        missing_items,
        missing_signoffs: g.missing_signoffs.iter().map(|m| m.role).collect(),
        not_applicable_unsigned,
        unknown_templates: g
            .unknown_templates
            .iter()
            .map(|u| format!("{}@{}", u.template_id, u.version))
            .collect(),
        people: people.into_values().collect(),
    }
}

fn person_progress(case: &Case, catalog: &Catalog) -> Vec<PersonProgressView> {
    lifecycle::person_checklists(case, catalog)
        .into_iter()
        .map(|p| PersonProgressView {
            percent: p.percent(),
            person: pseudonym(case, &p.person_id),
            person_id: RecordId::from(p.person_id),
            template_id: p.template_id,
            stage: p.stage,
            key: p.key,
            required: count(p.required),
            required_resolved: count(p.required_resolved),
        })
        .collect()
}

fn stages(case: &Case, catalog: &Catalog) -> Vec<StageView> {
    Stage::ALL
        .iter()
        .filter_map(|s| {
            let st = case.stages.get(s.id())?;
            Some(StageView {
                stage: *s,
                status: st.status,
                opened_at: st.opened_at,
                closed_at: st.closed_at,
                gate: gate_view(case, &lifecycle::gate(case, *s, catalog)),
            })
        })
        .collect()
}

fn assignees(id: &str, case: &Case, cx: &ViewContext<'_>) -> Assignees {
    let names = cx.names;
    let a = &case.assignment;
    Assignees {
        investigators: a
            .investigators
            .iter()
            .filter(|(_, on)| **on)
            .map(|(m, _)| names.member(m))
            .collect(),
        prosecutor: a.prosecutor.as_deref().map(|m| names.member(m)),
        supervisor: a.supervisor.as_deref().map(|m| names.member(m)),
        reviewers: reviewers(id, case, cx),
    }
}

/// The team's prosecutors who may open the case, and whoever recorded a
/// review entry in it (the review is the prosecutor's), by name.
fn reviewers(id: &str, case: &Case, cx: &ViewContext<'_>) -> Vec<ReviewerView> {
    let creator = Some(case.header.created_by.as_str());
    let may_open = |m: &str| cx.team.is_some_and(|t| t.may_access(m, id, creator));
    let mut who: BTreeMap<&str, (u32, Option<i64>)> = BTreeMap::new();
    if let Some(team) = cx.team {
        for (m, member) in &team.members {
            if member.role == Role::Prosecutor && may_open(m) {
                who.entry(m.as_str()).or_default();
            }
        }
    }
    for r in case.review.values() {
        let (entries, last) = who.entry(r.by.as_str()).or_default();
        *entries += 1;
        *last = (*last).max(Some(r.at));
    }
    let mut out: Vec<ReviewerView> = who
        .into_iter()
        .map(|(m, (entries, last_entry_at))| ReviewerView {
            member: cx.names.member(m),
            has_access: may_open(m),
            entries,
            last_entry_at,
        })
        .collect();
    out.sort_by(|a, b| a.member.name.cmp(&b.member.name));
    out
}

/// A person with only what every kind has; the caller fills in the rest.
fn person(
    id: &str,
    kind: PersonKind,
    pseudonym: &str,
    recorded: (i64, &str),
    names: &Names,
) -> PersonView {
    PersonView {
        id: RecordId::from(id),
        kind,
        pseudonym: pseudonym.to_string(),
        status: None,
        status_decided_by: None,
        recruitment_methods: Vec::new(),
        sex: None,
        age_at_trafficking: None,
        citizenships: Vec::new(),
        languages: Vec::new(),
        exploitation: Vec::new(),
        control_methods: Vec::new(),
        roles: Vec::new(),
        relation: None,
        recorded_at: recorded.0,
        recorded_by: names.member(recorded.1),
        forced_labour_industry: None,
        relationship_to_trafficker: None,
        public_official: false,
        sex_exploitation: Vec::new(),
        recruitment_websites: Vec::new(),
        exploitation_websites: Vec::new(),
        support: None,
    }
}

/// A list field's values, each once: two devices that add the same value
/// at once leave it in the list twice until its next edit (see the
/// model's `apply/lists.rs`).
fn once_each<T: Clone + PartialEq>(list: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(list.len());
    for v in list {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

fn people(case: &Case, names: &Names) -> Vec<PersonView> {
    let victims = case.victims.iter().map(|(id, v)| PersonView {
        status: Some(v.status),
        status_decided_by: v.status_decided_by,
        recruitment_methods: v.recruitment_methods.clone(),
        sex: Some(v.sex),
        age_at_trafficking: v.age_at_trafficking,
        citizenships: v.citizenships.clone(),
        sex_exploitation: v.sex_exploitation.clone(),
        recruitment_websites: v.recruitment_websites.clone(),
        exploitation_websites: v.exploitation_websites.clone(),
        languages: once_each(&v.languages),
        exploitation: once_each(&v.exploitation),
        control_methods: once_each(&v.control_methods),
        forced_labour_industry: v.forced_labour_industry,
        relationship_to_trafficker: v.relationship_to_trafficker,
        ..person(
            id,
            PersonKind::Victim,
            &v.pseudonym,
            (v.recorded_at, &v.recorded_by),
            names,
        )
    });
    let suspects = case.suspects.iter().map(|(id, s)| PersonView {
        citizenships: s.citizenships.clone(),
        roles: once_each(&s.roles),
        public_official: s.public_official,
        ..person(
            id,
            PersonKind::Suspect,
            &s.pseudonym,
            (s.recorded_at, &s.recorded_by),
            names,
        )
    });
    let witnesses = case.witnesses.iter().map(|(id, w)| PersonView {
        relation: w.relation.clone(),
        ..person(
            id,
            PersonKind::Witness,
            &w.pseudonym,
            (w.recorded_at, &w.recorded_by),
            names,
        )
    });
    victims.chain(suspects).chain(witnesses).collect()
}

fn evidence(case: &Case, names: &Names) -> Vec<EvidenceView> {
    case.evidence
        .iter()
        .map(|(id, e)| {
            let recorded_by = names.member(&e.recorded_by);
            // Hand-overs are recorded in any order (one that took place
            // earlier may be entered later): the chain is the order they
            // took place in, and the holder is the latest one's recipient.
            let mut chain: Vec<&CustodyEntry> = e.custody.iter().collect();
            chain.sort_by_key(|c| c.at);
            let holder = match chain.last() {
                Some(c) => c.to.clone(),
                None => e
                    .seized_by
                    .clone()
                    .unwrap_or_else(|| recorded_by.name.clone()),
            };
            EvidenceView {
                id: RecordId::from(id),
                label: e.label.clone(),
                kind: e.kind,
                description: e.description.clone(),
                seized_at: e.seized_at,
                seized_by: e.seized_by.clone(),
                seized_from: e.seized_from.clone(),
                location: e.location.clone(),
                seal_number: e.seal_number.clone(),
                attachment: e
                    .attachment_sha256
                    .clone()
                    .map(|sha256| EvidenceAttachmentView {
                        sha256,
                        file_name: e.attachment_name.clone(),
                        media_type: e.attachment_type.clone(),
                        size: e.attachment_size,
                    }),
                holder,
                custody: chain
                    .into_iter()
                    .map(|c| CustodyView {
                        id: c.id.clone(),
                        from: c.from.clone(),
                        to: c.to.clone(),
                        at: c.at,
                        place: c.place.clone(),
                        seal_number: c.seal_number.clone(),
                        purpose: c.purpose.clone(),
                        recorded_by: names.member(&c.recorded_by),
                        recorded_at: c.recorded_at,
                    })
                    .collect(),
                recorded_by,
            }
        })
        .collect()
}

fn interviews(case: &Case) -> Vec<InterviewView> {
    case.interviews
        .iter()
        .map(|(id, i)| InterviewView {
            id: RecordId::from(id),
            person_id: RecordId::from(&i.person_id),
            stage: i.stage,
            planned_for: i.planned_for,
            venue: i.venue.clone(),
            interpreter: i.interpreter.clone(),
            interpreter_vetted: i.interpreter_vetted,
            consent_given: i.consent_given,
            child_track: i.child_track,
            plan: i.plan.as_str().to_string(),
        })
        .collect()
}

fn tasks(case: &Case, names: &Names, today: Date) -> Vec<TaskView> {
    case.tasks
        .iter()
        .map(|(id, t)| TaskView {
            id: RecordId::from(id),
            title: t.title.clone(),
            assignee: t.assignee.as_deref().map(|m| names.member(m)),
            due: t.due,
            stage: t.stage,
            done: t.done,
            overdue: !t.done && t.due.is_some_and(|d| d < today),
        })
        .collect()
}

fn timeline(case: &Case) -> Vec<EventView> {
    case.timeline
        .iter()
        .map(|(id, e)| EventView {
            id: RecordId::from(id),
            kind: e.kind,
            date: e.date,
            place: e.place.clone(),
            country: e.country.clone(),
            description: e.description.clone(),
            latitude: e.latitude_microdeg.map(caravan_model::places::degrees),
            longitude: e.longitude_microdeg.map(caravan_model::places::degrees),
            crosses_border: e.crosses_border,
            border_point: e.border_point.clone(),
            transport: e.transport,
        })
        .collect()
}

fn referrals(case: &Case) -> Vec<ReferralView> {
    case.referrals
        .iter()
        .map(|(id, r)| ReferralView {
            id: RecordId::from(id),
            person_id: RecordId::from(&r.person_id),
            direction: r.direction,
            organisation: r.organisation.clone(),
            date: r.date,
            reason: r.reason.clone(),
            outcome: r.outcome.clone(),
            organisation_type: r.organisation_type,
            htcds_reason: r.htcds_reason,
            status: r.status,
            consent_given: r.consent_given,
            consent_date: r.consent_date,
        })
        .collect()
}

fn risks(case: &Case) -> Vec<RiskView> {
    case.risks
        .iter()
        .map(|(id, r)| RiskView {
            id: RecordId::from(id),
            subject: r.subject,
            person_id: r.person_id.as_ref().map(RecordId::from),
            threat: r.threat.clone(),
            severity: r.severity,
            likelihood: r.likelihood,
            level: r.level(),
            mitigation: r.mitigation.clone(),
            review_on: r.review_on,
        })
        .collect()
}

fn notes(case: &Case, names: &Names) -> Vec<NoteView> {
    case.notes
        .iter()
        .map(|(id, n)| NoteView {
            id: RecordId::from(id),
            body: n.body.as_str().to_string(),
            recorded_at: n.recorded_at,
            recorded_by: names.member(&n.recorded_by),
        })
        .collect()
}

/// Articles with the titles of the versions they name, in the code's
/// order (trafficking articles first). An entry made before versions were
/// recorded names the version in force when the case was opened.
pub(crate) fn qualified<'a>(
    list: impl Iterator<Item = &'a caravan_model::LegalArticle>,
    case: &Case,
) -> Vec<QualifiedArticle> {
    use caravan_model::articles;
    let opened = crate::clock::date_of(case.header.created_at);
    let mut out: Vec<QualifiedArticle> = list
        .map(|a| {
            let version = articles::version_of(a, opened);
            QualifiedArticle {
                key: a.key(),
                article: a.clone(),
                titles: version.map(|v| v.title.clone()).unwrap_or_default(),
                related: version.is_some_and(|v| v.related),
                verified: version.is_some_and(|v| v.verified),
            }
        })
        .collect();
    out.sort_by(|x, y| {
        (x.related, &x.article.jurisdiction, x.article.code_year)
            .cmp(&(y.related, &y.article.jurisdiction, y.article.code_year))
            .then_with(|| articles::compare_numbers(&x.article.article, &y.article.article))
            .then_with(|| x.key.cmp(&y.key))
    });
    out
}

fn opinions(case: &Case, names: &Names) -> Vec<QualificationOpinionView> {
    let mut out: Vec<QualificationOpinionView> = case
        .review
        .iter()
        .filter_map(|(id, r)| {
            let q = r.qualification.as_ref()?;
            Some(QualificationOpinionView {
                id: RecordId::from(id),
                agrees: q.agrees,
                articles: qualified(q.articles.values(), case),
                comment: r.text.clone(),
                by: names.member(&r.by),
                at: r.at,
                outdated: q.agrees && q.articles != case.header.qualification,
            })
        })
        .collect();
    out.sort_by_key(|o| o.at);
    out
}

/// The review entries but the positions on the qualification (shown with it).
fn review(case: &Case, names: &Names) -> Vec<ReviewView> {
    case.review
        .iter()
        .filter(|(_, r)| r.qualification.is_none())
        .map(|(id, r)| ReviewView {
            id: RecordId::from(id),
            kind: r.kind,
            stage: r.stage,
            text: r.text.clone(),
            by: names.member(&r.by),
            at: r.at,
        })
        .collect()
}

fn approvals(case: &Case, names: &Names) -> Vec<ApprovalView> {
    case.approvals
        .iter()
        .map(|(id, a)| ApprovalView {
            id: RecordId::from(id),
            stage: a.stage,
            subject: a.subject.clone(),
            decision: a.decision,
            comment: a.comment.clone(),
            by: names.member(&a.by),
            at: a.at,
        })
        .collect()
}
