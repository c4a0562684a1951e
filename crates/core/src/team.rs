//! The team: founding it, enrolling devices, roles, revocation, case access.

use caravan_model::Role;
use caravan_sync::join::JoinRequest;
use caravan_sync::team::Standing;
use caravan_sync::{DeviceId, DeviceKeys, ExpectedTeam, Replica, TeamDoc};
use serde::Serialize;

use crate::error::{CoreError, Result, only_match};
use crate::ids::MemberId;
use crate::names::Names;
use crate::permissions::{ACCESS_DECIDERS, TEAM_ADMINS};
use crate::view::MemberRef;
use crate::workspace::Workspace;

/// The team as this device sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TeamView {
    pub id: String,
    /// The team id's short form (six groups of five digits), which a new
    /// member's device is given, read aloud, to check its join package.
    pub fingerprint: String,
    pub name: String,
    pub me: MemberView,
    pub device: String,
    pub members: Vec<MemberView>,
    pub key_epoch: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MemberView {
    pub id: MemberId,
    pub name: String,
    pub role: Role,
    pub devices: Vec<DeviceView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeviceView {
    pub id: String,
    /// Short form people compare aloud when enrolling.
    pub fingerprint: String,
    pub label: String,
    pub enrolled_at: i64,
    pub revoked: bool,
}

/// Why a member may see a case, or that they may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum AccessReason {
    /// Supervisors and admins see every case.
    Role,
    /// They opened the case.
    Opened,
    /// A supervisor or admin granted it.
    Granted,
    /// They may not see it.
    None,
}

/// One member's access to a case.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccessRow {
    pub member: MemberRef,
    pub role: Role,
    pub reason: AccessReason,
}

/// A join request as an admin sees it before approving.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JoinRequestView {
    pub name: String,
    pub label: String,
    pub device: String,
    pub fingerprint: String,
}

pub(crate) fn role_may(role: Role, allowed: &[Role], action: &str) -> Result<()> {
    if allowed.contains(&role) {
        Ok(())
    } else {
        Err(CoreError::Denied {
            role: role.to_string(),
            action: action.into(),
        })
    }
}

fn non_empty(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(CoreError::invalid(field, "must not be empty"));
    }
    if value.chars().count() > 200 {
        return Err(CoreError::invalid(field, "is longer than 200 characters"));
    }
    Ok(())
}

impl Workspace {
    /// Founds a team on this device; its member becomes the team's admin.
    pub fn found_team(
        &mut self,
        team_name: &str,
        member_name: &str,
        device_label: &str,
    ) -> Result<TeamView> {
        non_empty("team name", team_name)?;
        non_empty("member name", member_name)?;
        non_empty("device label", device_label)?;
        self.without_team()?;
        let replica = Replica::found(
            self.device_keys()?,
            team_name,
            member_name,
            device_label,
            self.now(),
        )?;
        let detail = format!("team {}", replica.team_id().to_hex());
        self.install_replica(replica, &[("team.found", detail)])?;
        self.team_view()
    }

    /// Writes this device's join request (text fit for a file or a QR
    /// code). The device then waits for the admin's join package.
    pub fn join_request(&mut self, member_name: &str, device_label: &str) -> Result<String> {
        non_empty("member name", member_name)?;
        non_empty("device label", device_label)?;
        self.without_team()?;
        let text = JoinRequest::new(&self.device_keys()?, member_name, device_label).to_text();
        self.set_pending_join(&text)?;
        self.audit("team.join_request", "")?;
        Ok(text)
    }

    /// The join request written earlier, if the device is still waiting.
    pub fn pending_join_request(&self) -> Result<Option<String>> {
        self.pending_join()
    }

    /// Reads a join request without approving it (to compare fingerprints).
    pub fn inspect_join_request(text: &str) -> Result<JoinRequestView> {
        let r = JoinRequest::from_text(text)?;
        Ok(JoinRequestView {
            name: r.name.clone(),
            label: r.label.clone(),
            device: r.device.id.to_hex(),
            fingerprint: r.device.id.fingerprint(),
        })
    }

    /// Approves a join request as admin: enrols the member and device, and
    /// returns the join package only that device can open.
    pub fn approve_join(&mut self, request_text: &str, role: Role) -> Result<Vec<u8>> {
        let (_, my_role) = self.me()?;
        role_may(my_role, TEAM_ADMINS, "enrol devices")?;
        let request = JoinRequest::from_text(request_text)?;
        let now = self.now();
        self.load_signatures()?;
        let package = self.replica_mut()?.approve(&request, role, now)?;
        self.commit(&[])?;
        Ok(package)
    }

    /// Opens the admin's join package on this device and joins the team.
    /// `expected_team` is what the admin's Team screen shows: the team
    /// fingerprint (six groups of five digits, read aloud) or the team id.
    /// A package for any other team, or whose team history fails the
    /// team's checks, is refused and nothing is stored.
    pub fn accept_join(&mut self, package: &[u8], expected_team: &str) -> Result<TeamView> {
        self.without_team()?;
        let expected = parse_expected_team(expected_team)?;
        let replica = Replica::accept(self.device_keys()?, package, &expected)?;
        let detail = format!("team {}", replica.team_id().to_hex());
        self.install_replica(replica, &[("team.join", detail)])?;
        self.team_view()
    }

    pub fn team_view(&self) -> Result<TeamView> {
        let r = self.replica()?;
        let team = r.team()?;
        let members = members_of(&team);
        let (me, _) = r.me()?;
        let me = members
            .iter()
            .find(|m| m.id == me)
            .cloned()
            .ok_or(CoreError::NoTeam)?;
        Ok(TeamView {
            id: r.team_id().to_hex(),
            fingerprint: r.team_id().fingerprint(),
            name: team.info.name.clone(),
            me,
            device: r.device().to_hex(),
            members,
            key_epoch: team.current_epoch(),
        })
    }

    pub(crate) fn names(&self) -> Result<Names> {
        Ok(Names::of(&self.replica()?.team()?))
    }

    /// Finds a member by id, id prefix or exact name.
    pub fn find_member(&self, who: &str) -> Result<String> {
        let who = who.trim();
        if who.is_empty() {
            return Err(CoreError::not_found("member", who));
        }
        let team = self.replica()?.team()?;
        if team.members.contains_key(who) {
            return Ok(who.to_string());
        }
        let hits: Vec<&String> = team
            .members
            .iter()
            .filter(|(id, m)| id.starts_with(who) || m.name.eq_ignore_ascii_case(who))
            .map(|(id, _)| id)
            .collect();
        only_match("member", who, &hits)
    }

    /// Finds a device by id or id prefix.
    fn find_device(&self, who: &str) -> Result<DeviceId> {
        let team = self.replica()?.team()?;
        let hits: Vec<&String> = team.devices.keys().filter(|d| d.starts_with(who)).collect();
        let one = only_match("device", who, &hits)?;
        DeviceId::from_hex(&one).ok_or(CoreError::not_found("device", who))
    }

    /// Revokes a device (by id prefix) or every device of a member. Peers
    /// refuse its later changes, and a new team key leaves it behind.
    pub fn revoke(&mut self, who: &str, reason: Option<String>) -> Result<Vec<String>> {
        let (_, my_role) = self.me()?;
        role_may(my_role, TEAM_ADMINS, "revoke devices")?;
        let devices: Vec<DeviceId> = match self.find_device(who) {
            Ok(d) => vec![d],
            Err(CoreError::NotFound { .. }) => {
                let member = self.find_member(who)?;
                let team = self.replica()?.team()?;
                team.active_devices()
                    .filter(|(_, d)| d.member == member)
                    .filter_map(|(id, _)| DeviceId::from_hex(id))
                    .collect()
            }
            Err(e) => return Err(e),
        };
        let me = self.replica()?.device();
        if devices.contains(&me) {
            return Err(CoreError::invalid(
                "device",
                "this device cannot revoke itself",
            ));
        }
        if devices.is_empty() {
            return Err(CoreError::not_found("active device", who));
        }
        let now = self.now();
        self.load_everything()?;
        for d in &devices {
            self.replica_mut()?.revoke(d, reason.clone(), now)?;
        }
        self.commit(&[])?;
        Ok(devices.iter().map(DeviceId::to_hex).collect())
    }

    /// Changes a member's role.
    pub fn set_role(&mut self, who: &str, role: Role) -> Result<()> {
        let (_, my_role) = self.me()?;
        role_may(my_role, TEAM_ADMINS, "change roles")?;
        let member = self.find_member(who)?;
        let team = self.replica()?.team()?;
        // A team without an admin could never enrol, revoke or change a
        // role again: the last admin with a device that still works keeps
        // the role until another member has it.
        let working_admins: Vec<&String> = team
            .members
            .iter()
            .filter(|(_, m)| m.role == Role::Admin)
            .filter(|(id, _)| team.active_devices().any(|(_, d)| &d.member == *id))
            .map(|(id, _)| id)
            .collect();
        if role != Role::Admin && working_admins == [&member] {
            return Err(CoreError::invalid(
                "role",
                "the team's last admin keeps the role: make another member admin first",
            ));
        }
        let now = self.now();
        self.replica_mut()?
            .edit_team(|team, keys| team.set_role(keys, &member, role, now))?;
        self.commit(&[("team.set_role", format!("member {member} is now {role}"))])
    }

    /// Who may see a case, and why (supervisors and admins only, who
    /// decide it).
    pub fn case_access(&mut self, case: &str) -> Result<Vec<AccessRow>> {
        let (_, my_role) = self.me()?;
        role_may(my_role, ACCESS_DECIDERS, "see who may see a case")?;
        let (case_id, c) = self.case_doc(case)?;
        let team = self.replica()?.team()?;
        let names = Names::of(&team);
        Ok(team
            .members
            .iter()
            .map(|(id, m)| {
                let granted = team
                    .case_access
                    .get(&case_id)
                    .and_then(|g| g.get(id))
                    .copied()
                    .unwrap_or(false);
                let reason = if matches!(m.role, Role::Supervisor | Role::Admin) {
                    AccessReason::Role
                } else if c.header.created_by == *id {
                    AccessReason::Opened
                } else if granted {
                    AccessReason::Granted
                } else {
                    AccessReason::None
                };
                AccessRow {
                    member: names.member(id),
                    role: m.role,
                    reason,
                }
            })
            .collect())
    }

    /// Lets a member see a case (or withdraws it). Supervisors and admins
    /// see every case; investigators and prosecutors only those granted to
    /// them and those they opened.
    pub fn grant(&mut self, case: &str, who: &str, allowed: bool) -> Result<()> {
        let (_, my_role) = self.me()?;
        role_may(my_role, ACCESS_DECIDERS, "decide who sees a case")?;
        let case_id = self.find_case(case)?;
        let member = self.find_member(who)?;
        let now = self.now();
        self.replica_mut()?
            .edit_team(|team, keys| team.grant(keys, &case_id, &member, allowed, now))?;
        let verb = if allowed { "granted" } else { "withdrawn" };
        self.commit(&[(
            "team.grant",
            format!("case {case_id}: access {verb} for member {member}"),
        )])
    }

    /// This device's id and fingerprint (before or after joining a team).
    pub fn device(&self) -> Result<DeviceView> {
        let keys: DeviceKeys = self.device_keys()?;
        Ok(DeviceView {
            id: keys.id().to_hex(),
            fingerprint: keys.id().fingerprint(),
            label: String::new(),
            enrolled_at: 0,
            revoked: false,
        })
    }
}

/// Reads the team a new device expects to join, as typed from the admin's
/// screen: the fingerprint (six groups of five digits) or the team id.
pub fn parse_expected_team(text: &str) -> Result<ExpectedTeam> {
    if text.trim().is_empty() {
        return Err(CoreError::invalid(
            "team fingerprint",
            "is required: the admin's Team screen shows it; ask them to read it out",
        ));
    }
    ExpectedTeam::parse(text).ok_or_else(|| {
        CoreError::invalid(
            "team fingerprint",
            "should be six groups of five digits (or the 32-character team id), as the admin's Team screen shows it",
        )
    })
}

fn members_of(team: &TeamDoc) -> Vec<MemberView> {
    team.members
        .iter()
        .map(|(id, m)| MemberView {
            id: MemberId::from(id),
            name: m.name.clone(),
            role: m.role,
            devices: team
                .devices
                .iter()
                .filter(|(_, d)| d.member == *id)
                .map(|(did, d)| DeviceView {
                    id: did.clone(),
                    fingerprint: DeviceId::from_hex(did)
                        .map(|d| d.fingerprint())
                        .unwrap_or_default(),
                    label: d.label.clone(),
                    enrolled_at: d.enrolled_at,
                    revoked: matches!(
                        team.standing(&DeviceId::from_hex(did).unwrap_or(DeviceId([0; 32]))),
                        Standing::Revoked { .. }
                    ),
                })
                .collect(),
        })
        .collect()
}
