//! The team document: members, their devices and roles, revocations, who
//! may see which case, and team key epochs. An Automerge document like a
//! case, changed only by admins (and supervisors for case access), with
//! every change signed like any other.

use std::collections::BTreeMap;

use automerge::transaction::CommitOptions;
use automerge::{AutoCommit, ChangeHash, ObjId, ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, hydrate, reconcile, reconcile_prop};
use caravan_model::{DocPath, Millis, Role, policy, schema};

use crate::crypto::{random, seal_to, sha256};
use crate::error::{SyncError, doc_err};
use crate::identity::{DeviceId, DeviceKeys, PublicDevice};
use crate::keys::TeamKey;

pub const TEAM_SCHEMA: u64 = 1;

#[derive(Debug, Clone, PartialEq, Hydrate)]
pub struct TeamDoc {
    pub schema: u64,
    pub info: TeamInfo,
    pub members: BTreeMap<String, Member>,
    /// Keyed by device id (hex).
    pub devices: BTreeMap<String, Device>,
    /// Keyed by device id (hex).
    pub revocations: BTreeMap<String, Revocation>,
    /// case id → member id → may see.
    pub case_access: BTreeMap<String, BTreeMap<String, bool>>,
    /// Keyed by the epoch number, zero-padded so keys sort.
    pub key_epochs: BTreeMap<String, KeyEpoch>,
    /// Relay public key (hex) → where it listens. Absent from teams
    /// founded before relays, and from a team none was added to.
    #[autosurgeon(missing = "BTreeMap::new")]
    pub relays: BTreeMap<String, RelayEntry>,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct TeamInfo {
    pub name: String,
    pub founded_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Member {
    pub name: String,
    pub role: Role,
    pub added_at: Millis,
    pub added_by: String,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Device {
    pub member: String,
    /// X25519 public key (hex).
    pub agreement: String,
    pub label: String,
    pub enrolled_at: Millis,
    pub enrolled_by: String,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct Revocation {
    pub at: Millis,
    pub by: String,
    pub reason: Option<String>,
    /// Per document id: the last change sequence number of this device that
    /// peers still accept. Anything later is refused.
    pub cutoffs: BTreeMap<String, u64>,
}

/// One relay the team uses.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct RelayEntry {
    /// `ws://` or `wss://` address.
    pub url: String,
    pub added_at: Millis,
    /// Member id of the admin who added it.
    pub added_by: String,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct KeyEpoch {
    pub created_at: Millis,
    pub created_by: String,
    /// Device id (hex) → the epoch key sealed to that device's X25519 key (hex).
    pub wraps: BTreeMap<String, String>,
}

/// The team document (`TeamDoc`) field by field, in the case schema's
/// terms (see `caravan_model::schema`): every change to the team document
/// is checked against it at merge, as case changes are against theirs.
#[rustfmt::skip]
pub static TEAM_SCHEMA_RULES: &[schema::Rule] = {
    use schema::Expect::{Bool, Entries, Int, Record, Uint};
    use schema::{Key, Rule};
    const STR: schema::Expect = schema::Expect::Str(schema::Form::Any);
    const fn rule(pattern: &'static str, expect: schema::Expect) -> Rule {
        Rule { pattern, expect, optional: false, later: false }
    }
    &[
        rule("", Record),
        rule("schema", Uint),
        rule("info", Record),
        rule("info/name", STR),
        rule("info/founded_at", Int),
        rule("members", Entries(Key::Any)),
        rule("members/*", Record),
        rule("members/*/name", STR),
        rule("members/*/role", schema::Expect::Vocab(Role::VOCABULARY)),
        rule("members/*/added_at", Int),
        rule("members/*/added_by", STR),
        rule("devices", Entries(Key::Any)),
        rule("devices/*", Record),
        rule("devices/*/member", STR),
        rule("devices/*/agreement", STR),
        rule("devices/*/label", STR),
        rule("devices/*/enrolled_at", Int),
        rule("devices/*/enrolled_by", STR),
        rule("revocations", Entries(Key::Any)),
        rule("revocations/*", Record),
        rule("revocations/*/at", Int),
        rule("revocations/*/by", STR),
        Rule { pattern: "revocations/*/reason", expect: STR, optional: true, later: false },
        rule("revocations/*/cutoffs", Entries(Key::Any)),
        rule("revocations/*/cutoffs/*", Uint),
        rule("case_access", Entries(Key::Any)),
        rule("case_access/*", Entries(Key::Any)),
        rule("case_access/*/*", Bool),
        rule("key_epochs", Entries(Key::Any)),
        rule("key_epochs/*", Record),
        rule("key_epochs/*/created_at", Int),
        rule("key_epochs/*/created_by", STR),
        rule("key_epochs/*/wraps", Entries(Key::Any)),
        rule("key_epochs/*/wraps/*", STR),
        // Made by the first device that seals a case key; teams founded
        // before case keys have none until then.
        Rule { pattern: "case_keys", expect: Entries(Key::Any), optional: false, later: true },
        rule("case_keys/*", STR),
        // Each device's audit log head, for its peers to hold (see
        // `audit_anchor`); teams founded before it have none.
        Rule { pattern: "audit_heads", expect: Entries(Key::Any), optional: false, later: true },
        rule("audit_heads/*", STR),
        // The relays devices may use, pinned by admins (see `relays`);
        // teams founded before relays have none until one is added.
        Rule { pattern: "relays", expect: Entries(Key::Any), optional: false, later: true },
        rule("relays/*", Record),
        rule("relays/*/url", STR),
        rule("relays/*/added_at", Int),
        rule("relays/*/added_by", STR),
    ]
};

/// The team document's schema, compiled once.
pub fn schema() -> &'static schema::Schema {
    static TEAM: std::sync::LazyLock<schema::Schema> = std::sync::LazyLock::new(|| {
        schema::Schema::compile("team", TEAM_SCHEMA_RULES)
            .unwrap_or_else(|e| panic!("the team schema is invalid: {e}"))
    });
    &TEAM
}

/// The team id: derived from the team document's first change, so a device
/// that knows the id can authenticate the whole team history.
#[derive(Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct TeamId(pub [u8; 16]);

impl TeamId {
    pub fn of_genesis(hash: &ChangeHash) -> TeamId {
        let h = sha256(&[b"caravan/team-id/v1", &hash.0]);
        let mut id = [0u8; 16];
        id.copy_from_slice(&h[..16]);
        TeamId(id)
    }
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The team's fingerprint: six groups of five digits (96 bits of a hash
    /// of the id), short enough to read aloud and compare with the admin's
    /// screen. Finding another team with the same fingerprint takes about
    /// 2^96 attempts, out of anyone's reach.
    pub fn fingerprint(&self) -> String {
        fingerprint_groups(self)
            .iter()
            .map(|g| format!("{g:05}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn fingerprint_groups(id: &TeamId) -> [u16; 6] {
    let h = sha256(&[b"caravan/team-fingerprint/v1", &id.0]);
    let mut groups = [0u16; 6];
    for (g, pair) in groups.iter_mut().zip(h[..12].chunks(2)) {
        *g = u16::from_be_bytes([pair[0], pair[1]]);
    }
    groups
}

/// The team a new device expects to join, as its admin told it out of
/// band: the team id, or the team fingerprint read aloud. A join package
/// for any other team is refused (`sync.wrong_team`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedTeam {
    Id(TeamId),
    Fingerprint([u16; 6]),
}

impl ExpectedTeam {
    /// Reads what a person typed: 32 hexadecimal digits (the team id) or 30
    /// decimal digits (the fingerprint, six groups of five). Spaces and
    /// dashes between groups are ignored. `None` for anything else.
    pub fn parse(text: &str) -> Option<ExpectedTeam> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if compact.len() == 32 {
            let mut id = [0u8; 16];
            hex::decode_to_slice(compact.to_ascii_lowercase(), &mut id).ok()?;
            return Some(ExpectedTeam::Id(TeamId(id)));
        }
        if compact.len() == 30 && compact.bytes().all(|b| b.is_ascii_digit()) {
            let mut groups = [0u16; 6];
            for (g, chunk) in groups.iter_mut().zip(compact.as_bytes().chunks(5)) {
                *g = std::str::from_utf8(chunk).ok()?.parse().ok()?;
            }
            return Some(ExpectedTeam::Fingerprint(groups));
        }
        None
    }

    /// Whether `id` is the team this names.
    pub fn matches(&self, id: &TeamId) -> bool {
        match self {
            ExpectedTeam::Id(expected) => expected == id,
            ExpectedTeam::Fingerprint(groups) => *groups == fingerprint_groups(id),
        }
    }
}

impl From<TeamId> for ExpectedTeam {
    fn from(id: TeamId) -> Self {
        ExpectedTeam::Id(id)
    }
}

impl std::fmt::Debug for TeamId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TeamId({})", self.to_hex())
    }
}

/// Where a device stands at a given point of a document's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    Active { member: String, role: Role },
    Revoked { member: String, role: Role },
    Unknown,
}

/// The id under which the team document is stored and exchanged.
pub const TEAM_DOC_ID: &str = "team";

/// Whether `id` may name a case: 32 lower-case hex digits, not all zero —
/// the one form Caravan makes ([`case_id_of`]). With one spelling per case
/// a storage layer keys documents by the bytes themselves: no two ids can
/// share a document, and none can reach the team document's all-zero key.
pub fn is_case_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && id.bytes().any(|b| b != b'0')
}

/// The id of the case whose first change has hash `genesis`.
///
/// A case's id is bound to its first change, as a team's id is to its
/// founding change: every device can tell the one change that opened a case
/// (and so the member who opened it) from any other change without
/// dependencies that claims the same case, and no later change can take
/// that role over. The first change carries random bytes (`NewCase::nonce`)
/// so that two cases never share an id.
pub fn case_id_of(genesis: &ChangeHash) -> String {
    let h = sha256(&[b"caravan/case-id/v1", &genesis.0]);
    hex::encode(&h[..16])
}

/// Whether `id` may name a document: the team document or a case.
pub fn is_document_id(id: &str) -> bool {
    id == TEAM_DOC_ID || is_case_id(id)
}

pub(crate) fn epoch_key(epoch: u32) -> String {
    format!("{epoch:010}")
}

impl TeamDoc {
    pub fn standing(&self, device: &DeviceId) -> Standing {
        let hex = device.to_hex();
        let Some(d) = self.devices.get(&hex) else {
            return Standing::Unknown;
        };
        let Some(m) = self.members.get(&d.member) else {
            return Standing::Unknown;
        };
        match self.revocations.get(&hex) {
            None => Standing::Active {
                member: d.member.clone(),
                role: m.role,
            },
            Some(_) => Standing::Revoked {
                member: d.member.clone(),
                role: m.role,
            },
        }
    }

    /// Whether a change of `device` with sequence number `seq` in document
    /// `doc_id` is still accepted; returns the author's member id and role.
    pub fn accepts(
        &self,
        device: &DeviceId,
        doc_id: &str,
        seq: u64,
    ) -> Result<(String, Role), crate::refusal::Refusal> {
        match self.standing(device) {
            Standing::Active { member, role } => Ok((member, role)),
            Standing::Revoked { member, role, .. } => {
                let cutoff = self.revocations[&device.to_hex()]
                    .cutoffs
                    .get(doc_id)
                    .copied()
                    .unwrap_or(0);
                if seq <= cutoff {
                    Ok((member, role))
                } else {
                    Err(crate::refusal::Refusal::RevokedDevice)
                }
            }
            Standing::Unknown => Err(crate::refusal::Refusal::UnknownDevice),
        }
    }

    /// Need-to-know: supervisors and admins see every case; others see the
    /// cases they were granted, and those they opened themselves.
    pub fn may_access(&self, member: &str, case_id: &str, case_creator: Option<&str>) -> bool {
        match self.members.get(member).map(|m| m.role) {
            Some(Role::Supervisor | Role::Admin) => true,
            Some(_) => {
                case_creator == Some(member)
                    || self
                        .case_access
                        .get(case_id)
                        .and_then(|m| m.get(member))
                        .copied()
                        .unwrap_or(false)
            }
            None => false,
        }
    }

    pub fn active_devices(&self) -> impl Iterator<Item = (&String, &Device)> {
        self.devices
            .iter()
            .filter(|(id, _)| !self.revocations.contains_key(*id))
    }

    pub fn current_epoch(&self) -> u32 {
        self.key_epochs
            .keys()
            .filter_map(|k| k.parse().ok())
            .max()
            .unwrap_or(0)
    }
}

/// The team document and the edits admins make to it.
#[derive(Debug, Clone)]
pub struct Team {
    pub(crate) doc: AutoCommit,
}

pub(crate) fn commit(doc: &mut AutoCommit, message: &str, at: Millis) -> Option<ChangeHash> {
    doc.commit_with(
        CommitOptions::default()
            .with_message(message)
            .with_time(at.div_euclid(1000)),
    )
}

/// A new random id (hex) for members.
pub fn new_id() -> Result<String, SyncError> {
    Ok(hex::encode(random::<8>()?))
}

impl Team {
    /// Founds a team: the founding device's member is its admin, and the
    /// first team key epoch is sealed to the founding device.
    pub fn found(
        keys: &DeviceKeys,
        team_name: &str,
        member_name: &str,
        device_label: &str,
        at: Millis,
    ) -> Result<(Team, TeamKey, String), SyncError> {
        let member_id = new_id()?;
        let device = keys.public();
        let key = TeamKey::generate(1)?;
        let mut wraps = BTreeMap::new();
        let mut epochs = BTreeMap::new();
        let mut members = BTreeMap::new();
        let mut devices = BTreeMap::new();
        members.insert(
            member_id.clone(),
            Member {
                name: member_name.into(),
                role: Role::Admin,
                added_at: at,
                added_by: member_id.clone(),
            },
        );
        devices.insert(
            device.id.to_hex(),
            Device {
                member: member_id.clone(),
                agreement: hex::encode(device.agreement),
                label: device_label.into(),
                enrolled_at: at,
                enrolled_by: member_id.clone(),
            },
        );
        wraps.insert(device.id.to_hex(), hex::encode(key.seal_for(&device)?));
        epochs.insert(
            epoch_key(1),
            KeyEpoch {
                created_at: at,
                created_by: member_id.clone(),
                wraps,
            },
        );
        let team = TeamDoc {
            schema: TEAM_SCHEMA,
            info: TeamInfo {
                name: team_name.into(),
                founded_at: at,
            },
            members,
            devices,
            revocations: BTreeMap::new(),
            case_access: BTreeMap::new(),
            key_epochs: epochs,
            relays: BTreeMap::new(),
        };
        let mut doc = AutoCommit::new().with_actor(device.id.actor());
        reconcile(&mut doc, &team).map_err(doc_err)?;
        commit(&mut doc, "found team", at);
        Ok((Team { doc }, key, member_id))
    }

    pub fn from_automerge(doc: AutoCommit) -> Team {
        Team { doc }
    }

    pub fn automerge(&self) -> &AutoCommit {
        &self.doc
    }

    pub fn automerge_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    pub fn view(&self) -> Result<TeamDoc, SyncError> {
        hydrate(&self.doc).map_err(doc_err)
    }

    /// The team id, from the first change of the team document.
    pub fn id(&mut self) -> Result<TeamId, SyncError> {
        let genesis = self
            .doc
            .get_changes(&[])
            .into_iter()
            .find(|c| c.deps().is_empty())
            .ok_or_else(|| SyncError::Document("the team document has no history".into()))?;
        Ok(TeamId::of_genesis(&genesis.hash()))
    }

    pub(crate) fn obj(&self, keys: &[&str]) -> Result<ObjId, SyncError> {
        let mut obj = ROOT;
        for k in keys {
            match self.doc.get(&obj, *k).map_err(doc_err)? {
                Some((automerge::Value::Object(_), id)) => obj = id,
                _ => return Err(SyncError::NotFound((*k).to_string())),
            }
        }
        Ok(obj)
    }

    /// Checks that `author` may make this write, as every peer will.
    pub(crate) fn authorise(
        &self,
        author: &DeviceKeys,
        path: &[&str],
        kind: caravan_model::WriteKind,
    ) -> Result<String, SyncError> {
        let view = self.view()?;
        let (member, role) = match view.standing(&author.id()) {
            Standing::Active { member, role } => (member, role),
            _ => {
                return Err(SyncError::Denied(
                    "this device is not an active member of the team".into(),
                ));
            }
        };
        policy::check(
            caravan_model::DocKind::Team,
            role,
            &DocPath::keys(path.iter().copied()),
            kind,
        )
        .map_err(|d| SyncError::Denied(d.to_string()))?;
        Ok(member)
    }

    /// Adds a member with a role; returns the new member id.
    pub fn add_member(
        &mut self,
        author: &DeviceKeys,
        name: &str,
        role: Role,
        at: Millis,
    ) -> Result<String, SyncError> {
        let id = new_id()?;
        let by = self.authorise(author, &["members", &id], caravan_model::WriteKind::Create)?;
        let members = self.obj(&["members"])?;
        reconcile_prop(
            &mut self.doc,
            &members,
            id.as_str(),
            &Member {
                name: name.into(),
                role,
                added_at: at,
                added_by: by,
            },
        )
        .map_err(doc_err)?;
        commit(&mut self.doc, "add member", at);
        Ok(id)
    }

    /// Changes a member's role.
    pub fn set_role(
        &mut self,
        author: &DeviceKeys,
        member: &str,
        role: Role,
        at: Millis,
    ) -> Result<(), SyncError> {
        self.authorise(
            author,
            &["members", member, "role"],
            caravan_model::WriteKind::Update,
        )?;
        let m = self.obj(&["members", member])?;
        reconcile_prop(&mut self.doc, &m, "role", role).map_err(doc_err)?;
        commit(&mut self.doc, "set role", at);
        Ok(())
    }

    /// Enrols a device for an existing member and seals every current team
    /// key epoch to it.
    pub fn enrol_device(
        &mut self,
        author: &DeviceKeys,
        member: &str,
        device: &PublicDevice,
        label: &str,
        key: &TeamKey,
        at: Millis,
    ) -> Result<(), SyncError> {
        device.check_strong("device")?;
        let view = self.view()?;
        if !view.members.contains_key(member) {
            return Err(SyncError::NotFound(member.into()));
        }
        let hex_id = device.id.to_hex();
        if view.devices.contains_key(&hex_id) {
            return Err(SyncError::Denied("this device is already enrolled".into()));
        }
        let by = self.authorise(
            author,
            &["devices", &hex_id],
            caravan_model::WriteKind::Create,
        )?;
        let devices = self.obj(&["devices"])?;
        reconcile_prop(
            &mut self.doc,
            &devices,
            hex_id.as_str(),
            &Device {
                member: member.into(),
                agreement: hex::encode(device.agreement),
                label: label.into(),
                enrolled_at: at,
                enrolled_by: by,
            },
        )
        .map_err(doc_err)?;
        let wraps = self.obj(&["key_epochs", &epoch_key(key.epoch), "wraps"])?;
        reconcile_prop(
            &mut self.doc,
            &wraps,
            hex_id.as_str(),
            hex::encode(key.seal_for(device)?),
        )
        .map_err(doc_err)?;
        commit(&mut self.doc, "enrol device", at);
        Ok(())
    }

    /// Grants or withdraws a member's access to a case.
    pub fn grant(
        &mut self,
        author: &DeviceKeys,
        case_id: &str,
        member: &str,
        allowed: bool,
        at: Millis,
    ) -> Result<(), SyncError> {
        self.authorise(
            author,
            &["case_access", case_id, member],
            caravan_model::WriteKind::Create,
        )?;
        let access = self.obj(&["case_access"])?;
        let case_obj = match self.doc.get(&access, case_id).map_err(doc_err)? {
            Some((automerge::Value::Object(_), id)) => id,
            _ => {
                use automerge::transaction::Transactable;
                self.doc
                    .put_object(&access, case_id, automerge::ObjType::Map)
                    .map_err(doc_err)?
            }
        };
        reconcile_prop(&mut self.doc, &case_obj, member, allowed).map_err(doc_err)?;
        commit(&mut self.doc, "case access", at);
        Ok(())
    }

    /// Revokes a device: its changes after `cutoffs` (per document, the last
    /// sequence number the admin has seen from it) are refused everywhere,
    /// and a new team key epoch is sealed to every remaining device.
    pub fn revoke(
        &mut self,
        author: &DeviceKeys,
        device: &DeviceId,
        cutoffs: BTreeMap<String, u64>,
        reason: Option<String>,
        at: Millis,
    ) -> Result<TeamKey, SyncError> {
        let view = self.view()?;
        let hex_id = device.to_hex();
        if !view.devices.contains_key(&hex_id) {
            return Err(SyncError::NotFound(hex_id));
        }
        if view.revocations.contains_key(&hex_id) {
            return Err(SyncError::Denied("this device is already revoked".into()));
        }
        if *device == author.id() {
            return Err(SyncError::Denied("a device cannot revoke itself".into()));
        }
        let by = self.authorise(
            author,
            &["revocations", &hex_id],
            caravan_model::WriteKind::Create,
        )?;
        let revocations = self.obj(&["revocations"])?;
        reconcile_prop(
            &mut self.doc,
            &revocations,
            hex_id.as_str(),
            &Revocation {
                at,
                by: by.clone(),
                reason,
                cutoffs,
            },
        )
        .map_err(doc_err)?;
        let key = self.add_epoch(&by, at)?;
        commit(&mut self.doc, "revoke device", at);
        Ok(key)
    }

    /// Rotates the team key without revoking anyone.
    pub fn rotate(&mut self, author: &DeviceKeys, at: Millis) -> Result<TeamKey, SyncError> {
        let epoch = self.view()?.current_epoch() + 1;
        let by = self.authorise(
            author,
            &["key_epochs", &epoch_key(epoch)],
            caravan_model::WriteKind::Create,
        )?;
        let key = self.add_epoch(&by, at)?;
        commit(&mut self.doc, "rotate team key", at);
        Ok(key)
    }

    fn add_epoch(&mut self, by: &str, at: Millis) -> Result<TeamKey, SyncError> {
        let view = self.view()?;
        let key = TeamKey::generate(view.current_epoch() + 1)?;
        let mut wraps = BTreeMap::new();
        for (id, d) in view.active_devices() {
            // A device whose keys are malformed or unsafe was never enrolled
            // by an honest admin (enrolment refuses such keys): it gets no
            // copy of the new key, and the rotation goes on for everyone else.
            match public_device(id, d).and_then(|device| key.seal_for(&device)) {
                Ok(wrap) => {
                    wraps.insert(id.clone(), hex::encode(wrap));
                }
                Err(e) => {
                    tracing::warn!(device = %id, code = e.code(), "device left out of a key rotation");
                }
            }
        }
        let epochs = self.obj(&["key_epochs"])?;
        reconcile_prop(
            &mut self.doc,
            &epochs,
            epoch_key(key.epoch).as_str(),
            &KeyEpoch {
                created_at: at,
                created_by: by.into(),
                wraps,
            },
        )
        .map_err(doc_err)?;
        Ok(key)
    }
}

/// Every key of `epoch` that the team document seals to this device: the
/// value the document shows and any written concurrently with it (two
/// admins rotating at once). Only admins write `key_epochs` (the policy is
/// checked at merge), so these are exactly the keys an admin issued to this
/// device for that epoch.
pub(crate) fn issued_keys(doc: &AutoCommit, epoch: u32, me: &DeviceKeys) -> Vec<TeamKey> {
    let objects = |obj: &ObjId, key: &str| -> Vec<ObjId> {
        doc.get_all(obj, key)
            .unwrap_or_default()
            .into_iter()
            .filter(|(v, _)| matches!(v, automerge::Value::Object(_)))
            .map(|(_, id)| id)
            .collect()
    };
    let me_hex = me.id().to_hex();
    let mut out: Vec<TeamKey> = Vec::new();
    for epochs in objects(&ROOT, "key_epochs") {
        for entry in objects(&epochs, &epoch_key(epoch)) {
            for wraps in objects(&entry, "wraps") {
                for (value, _) in doc.get_all(&wraps, me_hex.as_str()).unwrap_or_default() {
                    let Some(key) = value
                        .as_str()
                        .and_then(|w| hex::decode(w).ok())
                        .and_then(|w| TeamKey::open(epoch, &w, me))
                    else {
                        continue;
                    };
                    if !out.iter().any(|k| k.same_key(&key)) {
                        out.push(key);
                    }
                }
            }
        }
    }
    out
}

pub(crate) fn public_device(id: &str, d: &Device) -> Result<PublicDevice, SyncError> {
    let id = DeviceId::from_hex(id).ok_or_else(|| {
        SyncError::Document("a device id in the team document is malformed".into())
    })?;
    let mut agreement = [0u8; 32];
    hex::decode_to_slice(&d.agreement, &mut agreement).map_err(|_| {
        SyncError::Document("a device key in the team document is malformed".into())
    })?;
    Ok(PublicDevice { id, agreement })
}

/// Shared by callers that need to wrap a key for a device seen in the team doc.
pub(crate) fn seal_for_device(
    d: &PublicDevice,
    aad: &[u8],
    secret: &[u8],
) -> Result<Vec<u8>, SyncError> {
    seal_to(&d.agreement, aad, secret)
}
