//! A device's replica: its keys, the team document, its cases, the
//! signature of every change it holds, what it knows of its peers, and the
//! changes it is holding back or has quarantined. Local edits are signed
//! as they are committed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use automerge::{AutoCommit, ChangeHash, ReadDoc};
use caravan_model::{Author, CaseDoc, Catalog, DocPath, Edit, Millis, NewCase, Role};

use crate::error::SyncError;
use crate::identity::{DeviceId, DeviceKeys};
use crate::keys::TeamKey;
use crate::quota::{QUOTA, Quota};
use crate::refusal::Rejection;
use crate::team::{Standing, TEAM_DOC_ID, Team, TeamDoc, TeamId};
use crate::trust::change_message;

/// A change kept aside: its dependencies have not arrived yet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Held {
    pub doc_id: String,
    /// The change's hash (hex).
    #[serde(default)]
    pub hash: String,
    /// Device that authored the change (hex), when it could be read.
    #[serde(default)]
    pub author: Option<String>,
    /// Device the change is charged to (hex; see `quota`).
    #[serde(default)]
    pub owner: String,
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
    /// What vouches for the change (`Voucher::to_bytes`): its author's
    /// signature of it (64 bytes), or of a later change of the author that
    /// builds on it, followed by that change's hash (96 bytes).
    #[serde(with = "serde_bytes")]
    pub signature: Vec<u8>,
    /// The signature was verified when the change was held. Changes held
    /// by earlier versions were not, and are verified when retried.
    #[serde(default)]
    pub signature_verified: bool,
}

/// Changes this device did not apply, kept because their author's
/// signatures of them vouched for earlier changes of the author that it
/// did apply: the proof a recipient of those changes needs (see
/// `witness`). One per document, author and input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Proof {
    pub doc_id: String,
    /// The author of the changes it proves (device id, hex).
    pub author: String,
    /// The signed changes, each with its author's signature of it, verified
    /// when it came; the first names the proof. Then the changes on the way
    /// whose own signatures this device verified.
    pub signed: Vec<ProofSignature>,
    /// The signed changes and the unapplied changes between them and what
    /// they vouched for, each once, dependencies first.
    pub changes: Vec<serde_bytes::ByteBuf>,
    /// The changes applied here on their signatures (hashes).
    pub vouches: Vec<[u8; 32]>,
    /// Which of `signed` vouched for them (the others are changes on the
    /// way): once all of these are applied here, their own signatures do.
    pub successors: Vec<[u8; 32]>,
}

/// One signed change of a [`Proof`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProofSignature {
    pub change: [u8; 32],
    #[serde(with = "serde_bytes")]
    pub signature: Vec<u8>,
}

/// A change that failed a check, kept (never applied) for the supervisor.
/// The quarantine holds one entry per (document, change, reason code).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Quarantined {
    pub doc_id: String,
    pub hash: String,
    /// Device that authored the change (hex), when it could be read. For
    /// `sync.bad_change_signature` only the author the change claims.
    pub author: Option<String>,
    /// Device the change is charged to (hex; see `quota`).
    #[serde(default)]
    pub owner: String,
    pub reason: Rejection,
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
    /// What vouched for the change as it came (`Voucher::to_bytes`, as for
    /// [`Held::signature`]): verified unless the reason is
    /// `sync.bad_change_signature` or `sync.own_actor_forged`. Empty in
    /// entries written before it was kept.
    #[serde(default, with = "serde_bytes")]
    pub signature: Vec<u8>,
    /// Device that sent the bundle or session it came in (hex), if known.
    #[serde(default)]
    pub relayed_by: Option<String>,
    /// When it arrived on this device (milliseconds since the epoch), if known.
    #[serde(default)]
    pub arrived_at: Option<Millis>,
}

impl std::fmt::Debug for Quarantined {
    // The change's bytes carry case content: only ids, codes and sizes here.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Quarantined")
            .field("doc_id", &self.doc_id)
            .field("hash", &self.hash)
            .field("author", &self.author)
            .field("code", &self.reason.code)
            .field("bytes", &self.bytes.len())
            .field("relayed_by", &self.relayed_by)
            .field("arrived_at", &self.arrived_at)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
pub struct Replica {
    pub(crate) keys: DeviceKeys,
    pub(crate) team_id: TeamId,
    pub(crate) team: Team,
    pub(crate) team_keys: BTreeMap<u32, TeamKey>,
    /// Cases in memory (see `residency`).
    pub(crate) cases: crate::case_docs::CaseDocs,
    /// Cases this device holds that are not in memory.
    pub(crate) unloaded: BTreeSet<String>,
    pub(crate) signatures: HashMap<ChangeHash, [u8; 64]>,
    /// Stored signatures are not all in memory.
    pub(crate) signatures_partial: bool,
    /// (member id, document id) → heads that member is known to have.
    pub(crate) peer_heads: BTreeMap<(String, String), Vec<ChangeHash>>,
    /// (member id, document id) → heads this device last announced to that
    /// member in a bundle written since it was opened. Not stored: without
    /// it every document is announced again, which costs bytes only.
    pub(crate) announced: HashMap<(String, String), Vec<ChangeHash>>,
    pub(crate) held: Vec<Held>,
    /// (document id, change hash, reason code) → the quarantined change.
    pub(crate) quarantine: BTreeMap<crate::quarantine::Key, Quarantined>,
    /// Verdicts the supervisor discarded: the same verdict on the same
    /// change is not kept again when a peer sends it again.
    pub(crate) discarded: BTreeSet<crate::quarantine::Key>,
    /// (document id, the proof's first signed change) → a proof kept for
    /// what its signatures vouched for here (`witness`).
    pub(crate) proofs: BTreeMap<(String, ChangeHash), Proof>,
    /// Bytes of proofs kept here, by author (device id, hex).
    pub(crate) proof_bytes: HashMap<String, usize>,
    /// Quarantine entries added since the caller last dated them.
    pub(crate) undated: Vec<crate::quarantine::Key>,
    pub(crate) audit: Vec<AuditEvent>,
    /// Another copy of this device's key signed changes this copy lacks:
    /// it was restored from a backup or copied. It makes no more changes
    /// (each would reuse a sequence number the other copy used).
    pub(crate) copied: bool,
    /// Held and quarantined changes one device may have stored here.
    pub(crate) quota: Quota,
    /// Counts changes of peer heads, held and quarantined changes, so a
    /// store rewrites them only when they changed.
    pub(crate) generation: u64,
    /// Case keys opened on this device, by case id (see `case_keys`):
    /// memory only, opened again from the team document after a restart.
    pub(crate) case_keys: HashMap<String, Vec<crate::case_keys::CaseKey>>,
    /// Case id → the id of the key this device sends the case under, as
    /// `tend_case_keys` last decided.
    pub(crate) sending_keys: HashMap<String, [u8; 16]>,
    /// Case keys sealed to this device whose wraps do not open (a member's
    /// crafted wrap), by key id and the number of its wraps tried, so they
    /// are not tried at every send.
    pub(crate) unopenable: HashSet<([u8; 16], usize)>,
}

/// Something this device did that the audit log must record. The sync
/// layer does no I/O: the application core drains these
/// (`take_audit_events`) into the vault's hash-chained audit log in the
/// same transaction that persists the change. Details carry ids and counts,
/// never case content.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEvent {
    pub action: &'static str,
    pub detail: String,
}

impl Replica {
    /// Founds a team on this device; the device's member is the admin.
    pub fn found(
        keys: DeviceKeys,
        team_name: &str,
        member_name: &str,
        device_label: &str,
        at: Millis,
    ) -> Result<Replica, SyncError> {
        let (mut team, key, _) = Team::found(&keys, team_name, member_name, device_label, at)?;
        let team_id = team.id()?;
        let mut replica = Replica::assemble(keys, team_id, team, [key]);
        replica.sign_new(TEAM_DOC_ID, &[])?;
        Ok(replica)
    }

    pub(crate) fn assemble(
        keys: DeviceKeys,
        team_id: TeamId,
        team: Team,
        team_keys: impl IntoIterator<Item = TeamKey>,
    ) -> Replica {
        Replica {
            keys,
            team_id,
            team,
            team_keys: team_keys.into_iter().map(|k| (k.epoch, k)).collect(),
            cases: Default::default(),
            unloaded: BTreeSet::new(),
            signatures: HashMap::new(),
            signatures_partial: false,
            peer_heads: BTreeMap::new(),
            announced: HashMap::new(),
            held: Vec::new(),
            quarantine: BTreeMap::new(),
            discarded: BTreeSet::new(),
            proofs: BTreeMap::new(),
            proof_bytes: HashMap::new(),
            undated: Vec::new(),
            audit: Vec::new(),
            copied: false,
            quota: QUOTA,
            generation: 0,
            case_keys: HashMap::new(),
            sending_keys: HashMap::new(),
            unopenable: HashSet::new(),
        }
    }

    pub fn device(&self) -> DeviceId {
        self.keys.id()
    }

    pub fn keys(&self) -> &DeviceKeys {
        &self.keys
    }

    pub fn team_id(&self) -> TeamId {
        self.team_id
    }

    /// The size of the team document saved whole (compressed), in bytes.
    pub fn team_document_bytes(&self) -> usize {
        self.team.automerge().clone().save().len()
    }

    pub fn team(&self) -> Result<TeamDoc, SyncError> {
        self.team.view()
    }

    /// This device's member id and role.
    pub fn me(&self) -> Result<(String, Role), SyncError> {
        match self.team.view()?.standing(&self.device()) {
            Standing::Active { member, role } => Ok((member, role)),
            Standing::Revoked { .. } => {
                Err(SyncError::Denied("this device has been revoked".into()))
            }
            Standing::Unknown => Err(SyncError::Denied(
                "this device is not enrolled in the team".into(),
            )),
        }
    }

    pub fn case(&self, id: &str) -> Option<CaseDoc> {
        self.cases
            .get(id)
            .map(|d| CaseDoc::from_automerge(d.clone()))
    }

    /// Runs `f` on a case without copying it: the document is lent to `f`
    /// and put back (a copy of a whole case cost more than reading it).
    pub fn read_case<R>(&mut self, id: &str, f: impl FnOnce(&mut CaseDoc) -> R) -> Option<R> {
        let (name, mut am) = self.cases.take(id)?;
        let before = am.get_heads();
        let mut doc = CaseDoc::from_automerge(am);
        let out = f(&mut doc);
        let mut am = doc.into_automerge();
        let changed = am.get_heads() != before;
        self.cases.put_back(name, am, changed);
        Some(out)
    }

    /// Audit events recorded since the last call.
    pub fn take_audit_events(&mut self) -> Vec<AuditEvent> {
        std::mem::take(&mut self.audit)
    }

    pub(crate) fn audit(&mut self, action: &'static str, detail: String) {
        self.audit.push(AuditEvent { action, detail });
    }

    pub fn held(&self) -> &[Held] {
        &self.held
    }

    pub fn team_key(&self, epoch: u32) -> Option<&TeamKey> {
        self.team_keys.get(&epoch)
    }

    fn author(&self, at: Millis) -> Result<Author, SyncError> {
        if self.copied {
            return Err(SyncError::DeviceCopied);
        }
        let (member, role) = self.me()?;
        Ok(Author { member, role, at })
    }

    pub(crate) fn doc_mut(&mut self, doc_id: &str) -> Option<&mut AutoCommit> {
        if doc_id == TEAM_DOC_ID {
            Some(self.team.automerge_mut())
        } else {
            self.cases.get_mut(doc_id)
        }
    }

    /// Signs every change of this device made since `before`.
    pub(crate) fn sign_new(
        &mut self,
        doc_id: &str,
        before: &[ChangeHash],
    ) -> Result<(), SyncError> {
        let me = self.device().actor();
        let team_id = self.team_id;
        let doc = self
            .doc_mut(doc_id)
            .ok_or_else(|| SyncError::NotFound(doc_id.into()))?;
        let new: Vec<ChangeHash> = doc
            .get_changes(before)
            .iter()
            .filter(|c| *c.actor_id() == me)
            .map(|c| c.hash())
            .collect();
        for h in new {
            let sig = self.keys.sign(&change_message(&team_id, doc_id, &h));
            self.signatures.insert(h, sig);
        }
        Ok(())
    }

    /// Opens a new case on this device; returns its id, derived from its
    /// first change (see [`crate::team::case_id_of`]).
    pub fn create_case(
        &mut self,
        new: NewCase,
        at: Millis,
        catalog: &Catalog,
    ) -> Result<String, SyncError> {
        let author = self.author(at)?;
        let mut doc =
            CaseDoc::create(self.device().actor(), new, &author, catalog)?.into_automerge();
        let genesis = match doc.get_heads().as_slice() {
            [genesis] => *genesis,
            _ => {
                return Err(SyncError::Document(
                    "a new case has one first change".into(),
                ));
            }
        };
        let id = crate::team::case_id_of(&genesis);
        if self.holds_case(&id) {
            return Err(SyncError::Denied(format!(
                "a case with id '{id}' already exists"
            )));
        }
        self.cases.insert(id.clone(), doc);
        self.sign_new(&id, &[])?;
        Ok(id)
    }

    /// Applies one edit to a case as this device's member, and signs it.
    pub fn edit_case(
        &mut self,
        case_id: &str,
        edit: Edit,
        at: Millis,
        catalog: &Catalog,
    ) -> Result<ChangeHash, SyncError> {
        let author = self.author(at)?;
        self.with_case(case_id, |doc| doc.apply(edit, &author, catalog))
    }

    /// Decides a conflict in a case, and signs the decision.
    pub fn resolve(
        &mut self,
        case_id: &str,
        path: &DocPath,
        choice: &str,
        at: Millis,
    ) -> Result<ChangeHash, SyncError> {
        let author = self.author(at)?;
        self.with_case(case_id, |doc| doc.resolve(path, choice, &author))
    }

    fn with_case(
        &mut self,
        case_id: &str,
        f: impl FnOnce(&mut CaseDoc) -> Result<ChangeHash, caravan_model::ModelError>,
    ) -> Result<ChangeHash, SyncError> {
        let am = self
            .cases
            .remove(case_id)
            .ok_or_else(|| SyncError::NotFound(case_id.into()))?;
        let mut doc = CaseDoc::from_automerge(am.with_actor(self.device().actor()));
        let before = doc.heads();
        let result = f(&mut doc);
        self.cases.insert(case_id.to_string(), doc.into_automerge());
        let hash = result?;
        self.sign_new(case_id, &before)?;
        Ok(hash)
    }

    /// Runs an admin operation on the team document, and signs it.
    pub fn edit_team<T>(
        &mut self,
        f: impl FnOnce(&mut Team, &DeviceKeys) -> Result<T, SyncError>,
    ) -> Result<T, SyncError> {
        if self.copied {
            return Err(SyncError::DeviceCopied);
        }
        let before = self.team.automerge_mut().get_heads();
        let out = f(&mut self.team, &self.keys)?;
        self.sign_new(TEAM_DOC_ID, &before)?;
        Ok(out)
    }

    /// Adds a team key this device generated in a rotation it made (and
    /// wrote to the team document). Keys from anywhere else are adopted
    /// from the team document only (`settle_keys`).
    pub(crate) fn add_team_key(&mut self, key: TeamKey) {
        self.team_keys.insert(key.epoch, key);
    }

    /// Revokes a device: cut-offs are this device's view of the revoked
    /// device's last changes in every document; the new team key is kept.
    pub fn revoke(
        &mut self,
        device: &DeviceId,
        reason: Option<String>,
        at: Millis,
    ) -> Result<(), SyncError> {
        self.require_resident("revocation")?;
        let actor = device.actor();
        let mut cutoffs = BTreeMap::new();
        for (id, doc) in std::iter::once((TEAM_DOC_ID.to_string(), self.team.automerge_mut()))
            .chain(self.cases.iter_mut().map(|(k, v)| (k.clone(), v)))
        {
            let seq = doc
                .get_changes(&[])
                .iter()
                .filter(|c| *c.actor_id() == actor)
                .map(|c| c.seq())
                .max();
            if let Some(seq) = seq {
                cutoffs.insert(id, seq);
            }
        }
        let key = self.edit_team(|team, keys| team.revoke(keys, device, cutoffs, reason, at))?;
        self.audit(
            "team.revoke",
            format!(
                "device {} revoked; team key epoch {} issued",
                device.to_hex(),
                key.epoch
            ),
        );
        self.add_team_key(key);
        Ok(())
    }

    /// Rotates the team key.
    pub fn rotate(&mut self, at: Millis) -> Result<(), SyncError> {
        self.require_resident("key rotation")?;
        let key = self.edit_team(|team, keys| team.rotate(keys, at))?;
        self.audit(
            "team.rotate_key",
            format!("team key epoch {} issued", key.epoch),
        );
        self.add_team_key(key);
        Ok(())
    }

    /// Member who opened a case: the author of its first change, the one
    /// change its id is derived from. That change is the only one that may
    /// lay out the case's top-level parts, so its `header` object leads to
    /// it; the hash check makes sure of it. `None` for a case whose id is
    /// not bound to its first change (made before ids were), or whose
    /// opener is not in the team.
    pub(crate) fn creator_of(team: &TeamDoc, doc_id: &str, doc: &AutoCommit) -> Option<String> {
        let (_, header) = doc.get(automerge::ROOT, "header").ok()??;
        let genesis = doc.hash_for_opid(&header)?;
        if crate::team::case_id_of(&genesis) != doc_id {
            return None;
        }
        let automerge::ObjId::Id(_, actor, _) = header else {
            return None;
        };
        let device = DeviceId::from_actor(&actor)?;
        team.devices.get(&device.to_hex()).map(|d| d.member.clone())
    }

    /// Heads of a document this device holds.
    pub fn heads(&mut self, doc_id: &str) -> Option<Vec<ChangeHash>> {
        self.doc_mut(doc_id).map(|d| d.get_heads())
    }
}

/// Loads a saved document that came from another device (a join
/// package's team document), within bounds: its deflated columns inflate
/// to at most 64 MiB together (the largest join package), no column holds
/// more than `bundle::MAX_OPS` rows, and compressed change chunks are
/// refused (`chunk::load_document`).
pub(crate) fn load_doc(bytes: &[u8]) -> Result<AutoCommit, SyncError> {
    crate::chunk::load_document(
        bytes,
        crate::chunk::DocLimits {
            max_inflated: 64 << 20,
            max_rows: crate::bundle::MAX_OPS,
        },
        "join package",
    )
}
