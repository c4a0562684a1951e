//! What each role may do, as front ends offer it: computed from the model's
//! policy table (`caravan_model::policy`) and the core's own role checks,
//! so a front end never keeps a copy of the rules. The core still checks
//! every action; this only keeps front ends from offering what would be
//! refused.

use caravan_model::policy::{DocKind, WriteKind, may_open_case, may_write};
use caravan_model::{DocPath, Role};
use serde::Serialize;

/// Who reviews the quarantine (release or discard a change).
pub(crate) const QUARANTINE_REVIEWERS: &[Role] = &[Role::Supervisor, Role::Admin];
/// Who decides which members see a case.
pub(crate) const ACCESS_DECIDERS: &[Role] = &[Role::Admin, Role::Supervisor];
/// Who enrols and revokes devices and changes roles.
pub(crate) const TEAM_ADMINS: &[Role] = &[Role::Admin];
/// Who reads the cases they may see, and so writes out their files: every
/// role (which cases each sees is the team's case access, checked by the
/// core for each case).
pub(crate) const CASE_READERS: &[Role] = &[
    Role::Investigator,
    Role::Prosecutor,
    Role::Supervisor,
    Role::Admin,
];
/// Whom the link analysis across cases is offered to: the roles that see
/// every case of the team.
pub(crate) const LINK_ANALYSTS: &[Role] = &[Role::Supervisor, Role::Admin];
/// Who writes the anonymised statistics of every case (`export_htcds`):
/// the roles that see every case of the team (`Team::may_access`), so an
/// export never counts only the cases one member was granted.
pub(crate) const STATISTICS_EXPORTERS: &[Role] = &[Role::Supervisor, Role::Admin];
/// Whom the progress dashboard is for (anyone may read the report).
const DASHBOARD_READERS: &[Role] = &[Role::Supervisor, Role::Admin];

/// One role's permissions; `Default` is a device without a team: none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Permissions {
    /// People, evidence, interviews, timeline, referrals, risks, notes,
    /// narrative, checklist items.
    pub edit_record: bool,
    pub create_case: bool,
    pub tasks: bool,
    /// The prosecutor's comments, requests and sign-offs.
    pub review: bool,
    /// The supervisor's approvals.
    pub approve: bool,
    pub assign: bool,
    pub open_stage: bool,
    pub close_stage: bool,
    pub sign_off: bool,
    pub start_checklist: bool,
    pub dashboard: bool,
    pub team_admin: bool,
    pub case_access: bool,
    pub resolve_conflicts: bool,
    /// Release or discard quarantined changes.
    pub review_quarantine: bool,
    /// Write out (export) the file attached to an evidence item of a case
    /// the member may see.
    pub export_attachment: bool,
    /// The investigation's side of the court phase: charges, preventive
    /// measures, procedural decisions, the registry number.
    pub charge: bool,
    /// The trial's record: indictments, hearings, verdicts, compensation.
    pub court_record: bool,
    /// A victim's support plan, reflection period and return.
    pub support: bool,
    /// The financial investigation: accounts, transfers, assets, freezes.
    pub finance: bool,
    /// Link analysis across cases: for the roles that see every case
    /// (any member may read the graph of the cases they see).
    pub links: bool,
    /// Write the anonymised statistics (HTCDS 2.0 / CTDC) of every case.
    pub export_statistics: bool,
}

fn case(role: Role, path: &str, kind: WriteKind) -> bool {
    may_write(DocKind::Case, role, &DocPath::keys(path.split('/')), kind)
}

impl Permissions {
    pub fn of(role: Role) -> Self {
        use WriteKind::{Create, Update};
        Self {
            edit_record: case(role, "victims/p", Create),
            create_case: may_open_case(role).is_ok(),
            tasks: case(role, "tasks/t", Create),
            review: case(role, "review/r", Create),
            approve: case(role, "approvals/a", Create),
            assign: case(role, "assignment/investigators/m", Create),
            open_stage: case(role, "stages/s", Create),
            close_stage: case(role, "stages/s/status", Update),
            sign_off: case(role, "checklists/c/signoffs/s", Create),
            start_checklist: case(role, "checklists/c", Create),
            dashboard: DASHBOARD_READERS.contains(&role),
            team_admin: TEAM_ADMINS.contains(&role),
            case_access: ACCESS_DECIDERS.contains(&role),
            resolve_conflicts: case(role, "header/title", Update),
            review_quarantine: QUARANTINE_REVIEWERS.contains(&role),
            export_attachment: CASE_READERS.contains(&role),
            charge: case(role, "charges/c", Create),
            court_record: case(role, "hearings/h", Create),
            support: case(role, "support/s", Create),
            finance: case(role, "financial_flows/f", Create),
            links: LINK_ANALYSTS.contains(&role),
            export_statistics: STATISTICS_EXPORTERS.contains(&role),
        }
    }
}
