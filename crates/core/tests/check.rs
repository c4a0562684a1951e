//! `check(name, fixture, steps)`: a use case told as data. A named starting
//! situation, the steps members take on their own devices, and an insta
//! snapshot of what came of them: each step's outcome, what changed in the
//! case as the last device shows it, and the audit rows every device wrote.
//!
//! Ids, times and hashes differ from run to run, so the snapshot names them
//! instead: `<case>`, `<Saule>` (a member), `<Saule's device>`, and each
//! record by the label the step that made it gave it (`<v1>`). Any other
//! long hex run is `<hex>` and any time is `<time>`.
//!
//! A step expected to be refused is wrapped in [`Step::Refused`]: the
//! harness asserts its error code, and that the device's case view, team
//! view and audit log are as they were before it.

use std::collections::BTreeMap;

use caravan_core::model::checklist::checklist_key;
use caravan_core::model::{
    CaseStatus, Decision, EvidenceKind, ItemStatus, ReferralDirection, ReviewKind, RiskSubject,
    Role, Stage,
};
use caravan_core::*;
use serde_json::Value;

use crate::util::*;

/// Where a case starts.
#[derive(Debug, Clone, Copy)]
pub enum Fixture {
    /// Saule (admin) founded the team, Aibek (investigator) joined it and
    /// opened case KZ-2026-0001; both devices hold the case.
    AdminAndInvestigatorWithCase,
    /// The same, and Marat (prosecutor), whom Saule granted the case; all
    /// three devices hold it.
    WithProsecutor,
    /// The first, and Yerlan, the unit's supervisor (Saule administers the
    /// team and is no supervisor by that); all three devices hold the case.
    WithSupervisor,
}

/// One thing a member does, on the device of the last [`Step::As`]. Labels
/// (the first `&str` of a step that makes something) name what it made, for
/// later steps and in the snapshot.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// The next steps are taken on this member's device.
    As(&'static str),
    /// A bundle from this device for that member, imported on theirs.
    SendTo(&'static str),
    /// The step must be refused with this error code and change nothing.
    Refused(&'static str, &'static Step),
    /// label, kind, pseudonym, full name.
    Person(&'static str, PersonKind, &'static str, &'static str),
    /// label, kind, seal number.
    Evidence(&'static str, EvidenceKind, &'static str),
    /// label, evidence label, from, to.
    Custody(&'static str, &'static str, &'static str, &'static str),
    /// label, person label.
    Interview(&'static str, &'static str),
    /// label, title, assignee (a member's name).
    Task(&'static str, &'static str, Option<&'static str>),
    TaskDone(&'static str),
    /// label, description.
    Event(&'static str, &'static str),
    /// label, person label, organisation.
    Referral(&'static str, &'static str, &'static str),
    /// label, severity, likelihood.
    Risk(&'static str, u64, u64),
    /// label, body.
    Note(&'static str, &'static str),
    StartChecklist(&'static str),
    /// template, person label: starts a template kept per victim for them.
    StartFor(&'static str, &'static str),
    /// checklist, item. A checklist is named by its template id, or, for a
    /// victim's own, `<template>~<person label>`.
    Done(&'static str, &'static str),
    /// template, item, reason (blank: none given).
    NotApplicable(&'static str, &'static str, &'static str),
    SignOffItem(&'static str, &'static str),
    /// Lists the items of a template that are no longer open.
    Checklist(&'static str),
    OpenStage(Stage),
    CloseStage(Stage),
    /// label, kind, stage, text.
    Review(&'static str, ReviewKind, Option<Stage>, &'static str),
    /// label, stage, subject, decision.
    Approve(&'static str, Option<Stage>, &'static str, Decision),
    /// Reveals a person's identity (by label).
    Reveal(&'static str),
    Search(&'static str),
    SetField(&'static str, &'static str),
    /// Lists the case's conflicts, masked.
    Conflicts,
    /// path, the author of the value to keep.
    Resolve(&'static str, &'static str),
    /// member, allowed.
    Grant(&'static str, bool),
    CloseCase(CaseStatus),
    /// A new device writes a join request as this name; this device
    /// approves it as the role.
    ApproveJoin(&'static str, Role),
}

use self::Step::*;

/// The devices of a situation, the case they hold, and the names the
/// snapshot gives ids.
struct World {
    dir: tempfile::TempDir,
    members: Vec<(&'static str, Workspace)>,
    case: CaseId,
    /// id → its name in the snapshot.
    names: BTreeMap<String, String>,
    /// label → id, for steps that refer to what an earlier step made.
    labels: BTreeMap<&'static str, String>,
    actor: usize,
    /// Per device: the last audit row before the steps, and the rows the
    /// harness itself caused by reading the case.
    audit_from: Vec<u64>,
    own_reads: Vec<Vec<u64>>,
}

impl Fixture {
    fn build(self) -> World {
        let dir = tempfile::tempdir().unwrap();
        let (mut admin, mut inv) = admin_and_investigator(dir.path());
        let case = open_case(&mut inv, "KZ-2026-0001", "Garment workshop");
        swap(&mut inv, &mut admin);
        let pro = match self {
            Self::AdminAndInvestigatorWithCase => None,
            Self::WithSupervisor => {
                let mut sup = enrol(
                    &mut admin,
                    &dir.path().join("sup"),
                    "Yerlan",
                    Role::Supervisor,
                );
                swap(&mut admin, &mut sup);
                swap(&mut admin, &mut inv);
                Some(("Yerlan", sup))
            }
            Self::WithProsecutor => {
                let mut pro = enrol(
                    &mut admin,
                    &dir.path().join("pro"),
                    "Marat",
                    Role::Prosecutor,
                );
                admin.grant(&case, "Marat", true).unwrap();
                swap(&mut admin, &mut pro);
                swap(&mut admin, &mut inv);
                Some(("Marat", pro))
            }
        };
        let mut members = vec![("Saule", admin), ("Aibek", inv)];
        members.extend(pro);
        let mut world = World {
            dir,
            members,
            case,
            names: BTreeMap::new(),
            labels: BTreeMap::new(),
            actor: 0,
            audit_from: Vec::new(),
            own_reads: Vec::new(),
        };
        world.name_team();
        for (_, ws) in &world.members {
            world.audit_from.push(last_seq(ws));
            world.own_reads.push(Vec::new());
        }
        world
    }
}

fn last_seq(ws: &Workspace) -> u64 {
    ws.audit_log(Some(1)).unwrap().last().map_or(0, |r| r.seq)
}

impl World {
    fn name_team(&mut self) {
        let team = self.members[0].1.team_view().unwrap();
        self.names.insert(team.id.clone(), "<team>".into());
        for m in &team.members {
            self.names.insert(m.id.to_string(), format!("<{}>", m.name));
            for d in &m.devices {
                self.names
                    .insert(d.id.clone(), format!("<{}'s device>", m.name));
            }
        }
        self.names.insert(self.case.to_string(), "<case>".into());
    }

    fn ws(&mut self) -> &mut Workspace {
        &mut self.members[self.actor].1
    }

    fn index_of(&self, name: &str) -> usize {
        self.members
            .iter()
            .position(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("no member {name} in this fixture"))
    }

    fn id(&self, label: &str) -> RecordId {
        RecordId::from(self.labels[label].as_str())
    }

    /// The key of the checklist a step names: `<template>~<person label>`
    /// for a victim's own, with the label's id.
    fn key(&self, checklist: &str) -> String {
        match checklist.split_once('~') {
            Some((template, label)) => checklist_key(template, Some(&self.id(label))),
            None => checklist.to_string(),
        }
    }

    fn made(&mut self, label: &'static str, id: impl ToString) -> Option<String> {
        let id = id.to_string();
        self.names.insert(id.clone(), format!("<{label}>"));
        self.labels.insert(label, id);
        None
    }

    /// The case as this device shows it, as JSON; the read's audit row is
    /// the harness's, not the story's.
    fn case_view(&mut self, who: usize) -> Value {
        let case = self.case.clone();
        let view = self.members[who].1.show_case(&case).unwrap();
        let seq = last_seq(&self.members[who].1);
        self.own_reads[who].push(seq);
        serde_json::to_value(view).unwrap()
    }

    /// What a refused step must leave as it was (besides the audit log).
    fn state(&mut self) -> (Value, Value) {
        let case = self.case_view(self.actor);
        let team = serde_json::to_value(self.ws().team_view().unwrap()).unwrap();
        (case, team)
    }

    /// Takes one step; `Ok(Some(text))` for a step that shows something.
    fn take(&mut self, step: Step) -> Result<Option<String>> {
        let case = self.case.to_string();
        let case = case.as_str();
        match step {
            As(name) => {
                self.actor = self.index_of(name);
                Ok(None)
            }
            SendTo(name) => {
                let to = self.index_of(name);
                let member = self.ws().find_member(name)?;
                let (bundle, _) = self.ws().export_bundle(Some(&member), &mut |_| {})?;
                let got = self.members[to].1.import_bundle(&bundle, &mut |_| {})?;
                assert!(got.quarantined.is_empty(), "{got:?}");
                Ok(Some(format!("{} changes applied", got.applied)))
            }
            Refused(expected, step) => {
                let before = self.state();
                let logged = last_seq(self.ws());
                let err = self.take(*step).map(|_| ()).unwrap_err();
                assert_eq!(err.code(), expected, "{step:?}: {err}");
                assert_eq!(
                    last_seq(self.ws()),
                    logged,
                    "{step:?} was refused but audited"
                );
                assert_eq!(
                    self.state(),
                    before,
                    "{step:?} was refused but changed something"
                );
                Ok(Some(format!("refused: {err}")))
            }
            Person(label, kind, pseudonym, name) => {
                let id = self
                    .ws()
                    .add_person(case, PersonInput::new(kind, pseudonym, name))?;
                Ok(self.made(label, id))
            }
            Evidence(label, kind, seal) => {
                let id = self.ws().add_evidence(case, seized(kind, seal))?;
                Ok(self.made(label, id))
            }
            Custody(label, evidence, from, to) => {
                let evidence = self.id(evidence);
                let id = self
                    .ws()
                    .transfer_custody(case, &evidence, handover(from, to))?;
                Ok(self.made(label, id))
            }
            Interview(label, person) => self.add(
                label,
                Workspace::add_interview,
                InterviewInput {
                    person_id: self.id(person),
                    planned_for: None,
                    venue: Some("shelter".into()),
                    interpreter: None,
                    interpreter_vetted: false,
                    consent_given: true,
                    child_track: false,
                    plan: "Account of recruitment".into(),
                },
            ),
            Task(label, title, assignee) => self.add(
                label,
                Workspace::add_task,
                TaskInput {
                    title: title.into(),
                    assignee: assignee.map(Into::into),
                    due: None,
                    stage: None,
                },
            ),
            TaskDone(label) => {
                let id = self.id(label);
                self.ws().set_task_done(case, &id, true).map(|()| None)
            }
            Event(label, description) => self.add(
                label,
                Workspace::add_event,
                EventInput {
                    kind: caravan_core::model::EventKind::Recruitment,
                    date: None,
                    place: "Shymkent".into(),
                    country: Some("kz".into()),
                    description: description.into(),
                    person_ids: Vec::new(),
                    latitude: None,
                    longitude: None,
                    crosses_border: None,
                    border_point: None,
                    transport: None,
                },
            ),
            Referral(label, person, organisation) => self.add(
                label,
                Workspace::add_referral,
                ReferralInput {
                    person_id: self.id(person),
                    direction: ReferralDirection::Outgoing,
                    organisation: organisation.into(),
                    date: None,
                    reason: "shelter".into(),
                    organisation_type: None,
                    htcds_reason: None,
                    status: None,
                    consent_given: false,
                    consent_date: None,
                },
            ),
            Risk(label, severity, likelihood) => self.add(
                label,
                Workspace::add_risk,
                RiskInput {
                    subject: RiskSubject::Victim,
                    person_id: None,
                    threat: "contact by the recruiter".into(),
                    threat_source: None,
                    severity,
                    likelihood,
                    mitigation: "shelter address withheld".into(),
                    review_on: None,
                },
            ),
            Note(label, body) => {
                let id = self.ws().add_note(case, body)?;
                Ok(self.made(label, id))
            }
            StartChecklist(template) => self
                .ws()
                .start_checklist(case, template, None)
                .map(|()| None),
            StartFor(template, person) => {
                let person = self.id(person);
                self.ws()
                    .start_checklist(case, template, Some(&person))
                    .map(|()| None)
            }
            Done(template, item) => self.item(template, item, ItemStatus::Done, None),
            NotApplicable(template, item, reason) => {
                self.item(template, item, ItemStatus::NotApplicable, Some(reason))
            }
            SignOffItem(checklist, item) => {
                let key = self.key(checklist);
                self.ws().sign_off_item(case, &key, item).map(|()| None)
            }
            Checklist(checklist) => {
                let key = self.key(checklist);
                let lists = self.ws().checklists(case, None, "en")?;
                let list = lists.iter().find(|l| l.key == key).unwrap();
                let worked: Vec<String> = list
                    .items
                    .iter()
                    .filter(|i| i.status != ItemStatus::Open)
                    .map(|i| match &i.reason {
                        Some(r) => format!("{} {} ({r})", i.id, i.status),
                        None => format!("{} {}", i.id, i.status),
                    })
                    .collect();
                let resolved = format!("{}/{} required", list.required_resolved, list.required);
                Ok(Some(format!("{resolved}; {}", worked.join(", "))))
            }
            OpenStage(stage) => self.ws().open_stage(case, stage).map(|()| None),
            CloseStage(stage) => self.ws().close_stage(case, stage).map(|()| None),
            Review(label, kind, stage, text) => {
                let id = self.ws().add_review(case, kind, stage, text)?;
                Ok(self.made(label, id))
            }
            Approve(label, stage, subject, decision) => {
                let id = self.ws().approve(case, stage, subject, decision, None)?;
                Ok(self.made(label, id))
            }
            Reveal(person) => {
                let id = self.id(person);
                let identity = self.ws().reveal(case, &id)?;
                Ok(Some(identity.full_name().to_string()))
            }
            Search(query) => {
                let filter = CaseFilter {
                    query: Some(query.into()),
                    ..CaseFilter::default()
                };
                let found = self.ws().list_cases(&filter)?;
                let refs: Vec<String> = found.cases.into_iter().map(|c| c.reference).collect();
                Ok(Some(format!("found {refs:?}")))
            }
            SetField(path, value) => self.ws().set_field(case, path, value).map(|()| None),
            Conflicts => {
                let found = self.ws().conflicts(Some(case), false)?;
                let shown: Vec<String> = found.iter().map(conflict).collect();
                Ok(Some(format!("[{}]", shown.join("; "))))
            }
            Resolve(path, author) => {
                let found = self.ws().conflicts(Some(case), false)?;
                let value = found
                    .iter()
                    .filter(|c| c.path == path)
                    .flat_map(|c| &c.values)
                    .find(|v| v.author_name == author)
                    .unwrap_or_else(|| panic!("no value of {path} by {author}"));
                let choice = value.choice.clone();
                self.ws().resolve(case, path, &choice).map(|()| None)
            }
            Grant(member, allowed) => self.ws().grant(case, member, allowed).map(|()| None),
            CloseCase(status) => self.ws().close_case(case, status).map(|()| None),
            ApproveJoin(name, role) => {
                let joiner = tempfile::tempdir_in(self.dir.path()).unwrap();
                let request = create(joiner.path()).join_request(name, "laptop")?;
                self.ws().approve_join(&request, role).map(|_| None)
            }
        }
    }

    /// Adds a record with `add` and names it `label`.
    fn add<I>(
        &mut self,
        label: &'static str,
        add: fn(&mut Workspace, &str, I) -> Result<RecordId>,
        input: I,
    ) -> Result<Option<String>> {
        let case = self.case.clone();
        let id = add(self.ws(), &case, input)?;
        Ok(self.made(label, id))
    }

    fn item(
        &mut self,
        template: &str,
        item: &str,
        status: ItemStatus,
        reason: Option<&str>,
    ) -> Result<Option<String>> {
        let update = ItemUpdate {
            status,
            reason: reason.map(Into::into),
            note: None,
            evidence_ids: Vec::new(),
            interview_ids: Vec::new(),
        };
        let case = self.case.clone();
        let key = self.key(template);
        self.ws().set_item(&case, &key, item, update)?;
        Ok(None)
    }

    /// Audit rows written since the fixture was built, device by device,
    /// without the harness's own reads.
    fn audit(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, (name, ws)) in self.members.iter().enumerate() {
            for row in ws.audit_log(None).unwrap() {
                if row.seq > self.audit_from[i] && !self.own_reads[i].contains(&row.seq) {
                    out.push(format!("{name}: {} | {}", row.action, row.detail));
                }
            }
        }
        out
    }

    /// Names the ids in a text, and calls any other long hex run `<hex>`.
    fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (id, name) in &self.names {
            out = out.replace(id.as_str(), name);
        }
        hex_runs(&out)
    }

    fn normalise(&self, v: Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.redact(&s)),
            Value::Array(a) => Value::Array(a.into_iter().map(|x| self.normalise(x)).collect()),
            Value::Object(o) => Value::Object(
                o.into_iter()
                    .map(|(k, x)| {
                        let x = if TIME_KEYS.contains(&k.as_str()) && x.is_number() {
                            Value::String("<time>".into())
                        } else {
                            self.normalise(x)
                        };
                        (k, x)
                    })
                    .collect(),
            ),
            other => other,
        }
    }
}

/// Fields that hold an instant (milliseconds), different on every run.
const TIME_KEYS: &[&str] = &[
    "at",
    "at_ms",
    "closed_at",
    "created_at",
    "enrolled_at",
    "opened_at",
    "recorded_at",
    "seized_at",
    "updated_at_ms",
];

/// Replaces every run of 16 or more hex digits with `<hex>`.
fn hex_runs(text: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= 16 {
            out.push_str("<hex>");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A conflict's values by author. Which one is shown until someone decides
/// follows the devices' random ids, so it is left out.
fn conflict(c: &caravan_core::conflicts::ConflictView) -> String {
    let mut values: Vec<String> = c
        .values
        .iter()
        .map(|v| format!("{:?} by {}", v.value, v.author_name))
        .collect();
    values.sort();
    format!("{}: {}", c.path, values.join(" | "))
}

/// The key a list element is known by across two views: its id, or its
/// stage for the per-stage lists.
fn key_of(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    o.get("id")
        .or_else(|| o.get("stage"))?
        .as_str()
        .map(String::from)
}

/// What changed from `a` to `b`, one line per changed field, added or
/// removed element.
fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, bv) in y {
                let p = format!("{path}/{k}");
                match x.get(k) {
                    Some(av) => diff(&p, av, bv, out),
                    None => out.push(format!("+ {p}: {}", pretty(bv))),
                }
            }
            for k in x.keys().filter(|k| !y.contains_key(*k)) {
                out.push(format!("- {path}/{k}"));
            }
        }
        (Value::Array(x), Value::Array(y))
            if x.iter().chain(y).all(|e| key_of(e).is_some())
                && !(x.is_empty() && y.is_empty()) =>
        {
            let before: BTreeMap<String, &Value> =
                x.iter().map(|e| (key_of(e).unwrap(), e)).collect();
            // Records are listed in the order of their random ids; by
            // label, the snapshot is the same on every run.
            let mut y: Vec<&Value> = y.iter().collect();
            if y.iter().all(|e| e.get("id").is_some()) {
                y.sort_by_key(|e| key_of(e));
            }
            for e in y.iter().copied() {
                let k = key_of(e).unwrap();
                let p = format!("{path}/{k}");
                match before.get(&k) {
                    Some(av) => diff(&p, av, e, out),
                    None => out.push(format!("+ {p}: {}", pretty(e))),
                }
            }
            let after: Vec<String> = y.iter().copied().filter_map(key_of).collect();
            for k in before.keys().filter(|k| !after.contains(k)) {
                out.push(format!("- {path}/{k}"));
            }
        }
        _ if a != b => out.push(format!("~ {path}: {a} → {b}")),
        _ => {}
    }
}

fn pretty(v: &Value) -> String {
    if v.is_object() || v.is_array() {
        serde_json::to_string_pretty(v)
            .unwrap()
            .replace('\n', "\n    ")
    } else {
        v.to_string()
    }
}

/// Runs `steps` from `fixture`, checks the outcome against the snapshot
/// `name`, and returns it for assertions of its own.
pub fn check(name: &str, fixture: Fixture, steps: &[Step]) -> String {
    let mut world = fixture.build();
    let starts: Vec<Value> = (0..world.members.len())
        .map(|i| world.case_view(i))
        .collect();
    let mut lines = vec![format!("fixture: {fixture:?}"), "steps:".into()];
    for step in steps {
        let outcome = world
            .take(*step)
            .unwrap_or_else(|e| panic!("{step:?} failed: {}: {e}", e.code()));
        lines.push(match (step, outcome) {
            (As(who), _) => format!("  on {who}'s device:"),
            (_, None) => format!("    {step:?}"),
            (_, Some(o)) => format!("    {step:?} → {}", world.redact(&o)),
        });
    }
    let audit = world.audit();
    let viewer = world.actor;
    let before = world.normalise(starts[viewer].clone());
    let after = world.case_view(viewer);
    let after = world.normalise(after);
    let mut changed = Vec::new();
    diff("", &before, &after, &mut changed);
    lines.push(format!(
        "case view, as {} shows it, changed:",
        world.members[viewer].0
    ));
    lines.extend(changed.iter().map(|l| format!("  {l}")));
    lines.push("audit rows written:".into());
    lines.extend(audit.iter().map(|l| format!("  {}", world.redact(l))));
    let shown = lines.join("\n");
    insta::assert_snapshot!(name, &shown);
    shown
}

/// The starting view of a fixture, whole: the contract every `check`
/// snapshot shows changes to.
pub fn starting_view(name: &str, fixture: Fixture) {
    let mut world = fixture.build();
    let view = world.case_view(1);
    let view = serde_json::to_string_pretty(&world.normalise(view)).unwrap();
    insta::assert_snapshot!(name, view);
}
