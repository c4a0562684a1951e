//! Stage gates, progress and overdue work: pure functions of a case.

use serde::Serialize;

use crate::case::{Case, Task};
use crate::checklist::{Catalog, Template, checklist_key, item_status, parse_checklist_key};
use crate::date::Date;
use crate::vocab::{Decision, ItemStatus, Role, Stage, StageStatus, TraffickingStatus};

/// What still stands between a stage and the closing of its gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gate {
    pub stage: Stage,
    /// Victims who have no instance yet of a per-victim template the stage
    /// needs for each of them.
    pub missing_checklists: Vec<MissingChecklist>,
    /// Required items still open.
    pub missing_items: Vec<MissingItem>,
    pub missing_signoffs: Vec<MissingSignOff>,
    /// Required items marked not applicable whose template lets them be so
    /// only with a sign-off (safety items), not signed off yet: until then
    /// they hold the gate like open ones, for a different reason.
    pub unsigned_not_applicable: Vec<MissingSignOff>,
    /// Checklists of the case that follow a template version this copy of
    /// Caravan does not know (made with a newer one): their items cannot be
    /// judged, so they hold the gate until Caravan is updated. One whose
    /// template is unknown altogether holds every stage's gate.
    pub unknown_templates: Vec<UnknownTemplate>,
}

/// A victim without an instance of a per-victim template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingChecklist {
    pub template_id: String,
    pub person_id: String,
}

/// A required item still open: of the case's checklist, or of a person's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingItem {
    pub template_id: String,
    pub person_id: Option<String>,
    pub item_id: String,
}

/// A checklist that follows a template version the catalog lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownTemplate {
    pub template_id: String,
    pub version: u64,
}

/// A sign-off the gate still needs: of one item, or of the whole stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingSignOff {
    pub role: Role,
    pub template_id: String,
    /// The person whose checklist needs it; `None` for the case's own.
    pub person_id: Option<String>,
    /// `None` when the template's stage gate as a whole needs the sign-off.
    pub item_id: Option<String>,
}

impl Gate {
    pub fn is_ready(&self) -> bool {
        self.missing_checklists.is_empty()
            && self.missing_items.is_empty()
            && self.missing_signoffs.is_empty()
            && self.unsigned_not_applicable.is_empty()
            && self.unknown_templates.is_empty()
    }

    /// What still holds the gate, in words (for messages).
    pub fn what_is_missing(&self) -> String {
        let mut parts = Vec::new();
        if !self.missing_checklists.is_empty() {
            parts.push(format!(
                "{} checklist(s) not started for a victim",
                self.missing_checklists.len()
            ));
        }
        parts.extend([
            format!("{} required item(s) open", self.missing_items.len()),
            format!("{} sign-off(s) missing", self.missing_signoffs.len()),
        ]);
        if !self.unsigned_not_applicable.is_empty() {
            parts.push(format!(
                "{} item(s) not applicable awaiting sign-off",
                self.unsigned_not_applicable.len()
            ));
        }
        if !self.unknown_templates.is_empty() {
            let names: Vec<String> = self
                .unknown_templates
                .iter()
                .map(|u| format!("{} version {}", u.template_id, u.version))
                .collect();
            parts.push(format!(
                "{} checklist(s) made with a newer template version ({}): update Caravan",
                names.len(),
                names.join(", ")
            ));
        }
        parts.join(", ")
    }
}

/// The stage of the template a checklist follows, when this copy of
/// Caravan knows that version; otherwise the checklist is unknown here.
pub fn template_of<'a>(
    inst: &crate::case::ChecklistInstance,
    catalog: &'a Catalog,
) -> Result<&'a Template, UnknownTemplate> {
    catalog
        .get(&inst.template_id, inst.version)
        .ok_or_else(|| UnknownTemplate {
            template_id: inst.template_id.clone(),
            version: inst.version,
        })
}

/// The stage a checklist of an unknown template version most likely
/// belongs to: that of the newest version of its template this copy of
/// Caravan knows; `None` when it knows no version of it at all.
pub fn likely_stage(template_id: &str, catalog: &Catalog) -> Option<Stage> {
    catalog.latest(template_id).map(|t| t.stage)
}

/// One of the case's checklists that belongs to a stage.
struct Checklist<'a> {
    /// Its key in the case (see [`crate::checklist::checklist_key`]).
    key: &'a str,
    /// The person it is for; `None` for the case's own.
    person: Option<&'a str>,
    inst: &'a crate::case::ChecklistInstance,
    tpl: &'a Template,
}

/// The case's checklists that belong to `stage`, with their templates.
fn checklists_of<'a>(
    case: &'a Case,
    stage: Stage,
    catalog: &'a Catalog,
) -> impl Iterator<Item = Checklist<'a>> {
    case.checklists.iter().filter_map(move |(key, inst)| {
        template_of(inst, catalog)
            .ok()
            .filter(|t| t.stage == stage)
            .map(|tpl| Checklist {
                key,
                person: parse_checklist_key(key).1,
                inst,
                tpl,
            })
    })
}

/// The victims whose work the gates count: all but those decided not to
/// be victims.
pub fn counted_victims(case: &Case) -> impl Iterator<Item = &String> {
    case.victims
        .iter()
        .filter(|(_, v)| !matches!(v.status, TraffickingStatus::NotAVictimOfTrafficking))
        .map(|(id, _)| id)
}

/// Victims without an instance of a per-victim template `stage` needs for
/// each victim.
fn missing_checklists(case: &Case, stage: Stage, catalog: &Catalog) -> Vec<MissingChecklist> {
    let needed = catalog.per_victim_defaults(stage);
    counted_victims(case)
        .flat_map(|person| {
            needed
                .iter()
                .filter(|t| {
                    !case
                        .checklists
                        .contains_key(&checklist_key(&t.id, Some(person)))
                })
                .map(|t| MissingChecklist {
                    template_id: t.id.clone(),
                    person_id: person.clone(),
                })
        })
        .collect()
}

/// The case's checklists of template versions the catalog lacks that may
/// belong to `stage`.
fn unknown_checklists(case: &Case, stage: Stage, catalog: &Catalog) -> Vec<UnknownTemplate> {
    case.checklists
        .values()
        .filter_map(|inst| template_of(inst, catalog).err())
        .filter(|u| likely_stage(&u.template_id, catalog).is_none_or(|s| s == stage))
        .collect()
}

/// Computes a stage gate's readiness. A gate is ready when every victim
/// (but those decided not to be one) has an instance of each per-victim
/// template every case needs at this stage, every required
/// item of the stage's checklists is done or not applicable (with a reason),
/// a not applicable item whose template asks for it is signed off (by
/// that role: an admin's or anyone else's sign-off does not count), every
/// item needing a sign-off has it, and where a template needs the
/// stage signed off, the prosecutor's sign-off or the supervisor's approval
/// for that stage exists (a per-victim template every case needs asks for
/// it even while no victim is recorded). A checklist of a template version this copy of
/// Caravan does not know holds the gate: what it requires cannot be judged.
pub fn gate(case: &Case, stage: Stage, catalog: &Catalog) -> Gate {
    let mut g = Gate {
        stage,
        missing_checklists: missing_checklists(case, stage, catalog),
        missing_items: Vec::new(),
        missing_signoffs: Vec::new(),
        unsigned_not_applicable: Vec::new(),
        unknown_templates: unknown_checklists(case, stage, catalog),
    };
    for Checklist {
        key,
        person,
        inst,
        tpl,
    } in checklists_of(case, stage, catalog)
    {
        let missing = |role, item_id: Option<&str>| MissingSignOff {
            role,
            template_id: tpl.id.clone(),
            person_id: person.map(str::to_string),
            item_id: item_id.map(str::to_string),
        };
        for item in &tpl.items {
            let status = item_status(inst, &item.id);
            if item.required && status == ItemStatus::Open {
                g.missing_items.push(MissingItem {
                    template_id: tpl.id.clone(),
                    person_id: person.map(str::to_string),
                    item_id: item.id.clone(),
                });
            }
            if let Some(role) = item.na_signoff
                && item.required
                && status == ItemStatus::NotApplicable
                && !item_signed_off(case, inst, key, &item.id, role, status)
            {
                g.unsigned_not_applicable
                    .push(missing(role, Some(&item.id)));
            }
            if let Some(role) = item.signoff {
                // Open required items will need it; done items need it now.
                // A sign-off its signer withdrew no longer counts.
                let signed = status != ItemStatus::Open
                    && item_signed_off(case, inst, key, &item.id, role, status);
                if !signed && (item.required || status != ItemStatus::Open) {
                    g.missing_signoffs.push(missing(role, Some(&item.id)));
                }
            }
        }
        if let Some(role) = tpl.signoff {
            stage_decision(&mut g, case, &tpl.id, role);
        }
    }
    // A stage whose per-victim lists are decided as a whole (identification)
    // needs that decision even before any victim is recorded.
    for tpl in catalog.per_victim_defaults(stage) {
        if let Some(role) = tpl.signoff {
            stage_decision(&mut g, case, &tpl.id, role);
        }
    }
    g
}

/// The stage's sign-off or approval a template asks for, once however many
/// people's checklists of it ask.
fn stage_decision(g: &mut Gate, case: &Case, template_id: &str, role: Role) {
    let asked = g
        .missing_signoffs
        .iter()
        .any(|m| m.item_id.is_none() && m.template_id == template_id && m.role == role);
    if !asked && !stage_signed_off(case, g.stage, role) {
        g.missing_signoffs.push(MissingSignOff {
            role,
            template_id: template_id.to_string(),
            person_id: None,
            item_id: None,
        });
    }
}

/// Whether the item of the checklist under `key` carries a standing
/// sign-off by `role` of its current state. A sign-off its signer withdrew
/// no longer counts.
fn item_signed_off(
    case: &Case,
    inst: &crate::case::ChecklistInstance,
    key: &str,
    item_id: &str,
    role: Role,
    status: ItemStatus,
) -> bool {
    inst.signoffs.get(item_id).is_some_and(|s| {
        s.role == role
            && s.status == status
            && crate::signoffs::item_withdrawal(case, key, item_id, s).is_none()
    })
}

fn stage_signed_off(case: &Case, stage: Stage, role: Role) -> bool {
    match role {
        // A sign-off its signer withdrew no longer counts.
        Role::Prosecutor => crate::signoffs::standing_stage_signoffs(case, stage)
            .next()
            .is_some(),
        _ => case
            .approvals
            .values()
            .any(|a| a.stage == Some(stage) && a.decision == Decision::Approved),
    }
}

/// Checklist progress of one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageProgress {
    pub stage: Stage,
    pub status: StageStatus,
    pub items: usize,
    pub done: usize,
    pub not_applicable: usize,
    pub required: usize,
    /// Required items done or not applicable.
    pub required_resolved: usize,
}

impl StageProgress {
    /// Share of required items resolved, 0–100 (100 when nothing is required).
    pub fn percent(&self) -> u8 {
        percent(self.required_resolved, self.required)
    }
}

fn percent(part: usize, whole: usize) -> u8 {
    (part * 100).checked_div(whole).map_or(100, |p| p as u8)
}

/// Progress of every stage, in stage order, and of the case as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseProgress {
    pub stages: Vec<StageProgress>,
    pub required: usize,
    pub required_resolved: usize,
}

impl CaseProgress {
    pub fn percent(&self) -> u8 {
        percent(self.required_resolved, self.required)
    }
}

pub fn progress(case: &Case, catalog: &Catalog) -> CaseProgress {
    let stages: Vec<StageProgress> = Stage::ALL
        .iter()
        .map(|&stage| {
            let mut p = StageProgress {
                stage,
                status: case
                    .stages
                    .get(stage.id())
                    .map_or(StageStatus::NotStarted, |s| s.status),
                items: 0,
                done: 0,
                not_applicable: 0,
                required: 0,
                required_resolved: 0,
            };
            for Checklist { inst, tpl, .. } in checklists_of(case, stage, catalog) {
                for item in &tpl.items {
                    let status = item_status(inst, &item.id);
                    p.items += 1;
                    p.done += usize::from(status == ItemStatus::Done);
                    p.not_applicable += usize::from(status == ItemStatus::NotApplicable);
                    if item.required {
                        p.required += 1;
                        p.required_resolved += usize::from(status != ItemStatus::Open);
                    }
                }
            }
            // What each victim still needs started counts as open.
            for tpl in catalog.per_victim_defaults(stage) {
                let not_started = counted_victims(case)
                    .filter(|v| {
                        !case
                            .checklists
                            .contains_key(&checklist_key(&tpl.id, Some(v)))
                    })
                    .count();
                p.items += not_started * tpl.items.len();
                p.required += not_started * tpl.items.iter().filter(|i| i.required).count();
            }
            p
        })
        .collect();
    CaseProgress {
        required: stages.iter().map(|s| s.required).sum(),
        required_resolved: stages.iter().map(|s| s.required_resolved).sum(),
        stages,
    }
}

/// Tasks not done whose due date is before `today`, soonest first.
pub fn overdue_tasks(case: &Case, today: Date) -> Vec<(&str, &Task)> {
    let mut out: Vec<(&str, &Task)> = case
        .tasks
        .iter()
        .filter(|(_, t)| !t.done && t.due.is_some_and(|d| d < today))
        .map(|(id, t)| (id.as_str(), t))
        .collect();
    out.sort_by_key(|(id, t)| (t.due, *id));
    out
}

/// One victim's checklist of a per-victim template: started or not yet,
/// and how far its required items are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonChecklist {
    pub person_id: String,
    pub template_id: String,
    pub stage: Stage,
    /// Its key in the case; `None` while it is not started.
    pub key: Option<String>,
    pub required: usize,
    /// Required items done or not applicable.
    pub required_resolved: usize,
}

impl PersonChecklist {
    /// Share of required items resolved, 0–100 (0 while not started).
    pub fn percent(&self) -> u8 {
        if self.key.is_none() {
            0
        } else {
            percent(self.required_resolved, self.required)
        }
    }
}

/// Every victim's checklists: those started for them, and, for each victim
/// the gates count, those every case needs that are not started yet. In
/// stage order, then by victim and template.
pub fn person_checklists(case: &Case, catalog: &Catalog) -> Vec<PersonChecklist> {
    let mut out: Vec<PersonChecklist> = case
        .checklists
        .iter()
        .filter_map(|(key, inst)| {
            let person = parse_checklist_key(key).1?;
            let tpl = template_of(inst, catalog).ok()?;
            let required: Vec<&str> = tpl
                .items
                .iter()
                .filter(|i| i.required)
                .map(|i| i.id.as_str())
                .collect();
            Some(PersonChecklist {
                person_id: person.to_string(),
                template_id: tpl.id.clone(),
                stage: tpl.stage,
                key: Some(key.clone()),
                required: required.len(),
                required_resolved: required
                    .iter()
                    .filter(|i| item_status(inst, i) != ItemStatus::Open)
                    .count(),
            })
        })
        .collect();
    for person in counted_victims(case) {
        for stage in Stage::ALL.iter() {
            for t in catalog.per_victim_defaults(*stage) {
                if !case
                    .checklists
                    .contains_key(&checklist_key(&t.id, Some(person)))
                {
                    out.push(PersonChecklist {
                        person_id: person.clone(),
                        template_id: t.id.clone(),
                        stage: t.stage,
                        key: None,
                        required: t.items.iter().filter(|i| i.required).count(),
                        required_resolved: 0,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| {
        (a.stage, &a.person_id, &a.template_id).cmp(&(b.stage, &b.person_id, &b.template_id))
    });
    out
}
