//! Enrolment without network: a join request (file or short text for a QR
//! code) from the new device, and a join package sealed to it by an admin.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use automerge::{AutoCommit, Change, ChangeHash};
use caravan_model::DocKind;
use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::error::{SyncError, doc_err};
use crate::identity::{DeviceKeys, PublicDevice};
use crate::import::{Authority, ImportReport, Judging, Work, integrate};
use crate::keys::TeamKey;
use crate::quarantine::Ledger;
use crate::replica::Replica;
use crate::team::{ExpectedTeam, TEAM_DOC_ID, Team, TeamId, epoch_key, issued_keys};

const REQUEST_PREFIX: &str = "CARAVAN-JOIN1:";
const PACKAGE_MAGIC: &[u8; 8] = b"CRVNJOIN";
/// 2: the team document's signatures are each author's of their newest
/// changes, vouching for what they build on (`vouch`); a reader takes 1,
/// where every change carried its own.
const PACKAGE_VERSION: u16 = 2;
const MAX_PACKAGE: usize = 64 << 20;

/// What a new device asks to be enrolled with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    pub device: PublicDevice,
    pub name: String,
    pub label: String,
    /// Signature of the device over the request, proving it holds the key.
    #[serde(with = "serde_bytes")]
    pub signature: Vec<u8>,
}

pub(crate) fn request_message(device: &PublicDevice, name: &str, label: &str) -> Vec<u8> {
    let mut m = b"caravan/join-request/v1\0".to_vec();
    m.extend_from_slice(&device.id.0);
    m.extend_from_slice(&device.agreement);
    m.extend_from_slice(&(name.len() as u32).to_be_bytes());
    m.extend_from_slice(name.as_bytes());
    m.extend_from_slice(label.as_bytes());
    m
}

impl JoinRequest {
    pub fn new(keys: &DeviceKeys, name: &str, label: &str) -> JoinRequest {
        let device = keys.public();
        let signature = keys.sign(&request_message(&device, name, label)).to_vec();
        JoinRequest {
            device,
            name: name.into(),
            label: label.into(),
            signature,
        }
    }

    /// Short text form, fit for a QR code or to be read aloud.
    pub fn to_text(&self) -> String {
        let bytes = postcard::to_stdvec(self).unwrap_or_default();
        format!("{REQUEST_PREFIX}{}", hex::encode(bytes))
    }

    pub fn from_text(text: &str) -> Result<JoinRequest, SyncError> {
        let what = "join request";
        let body = text
            .trim()
            .strip_prefix(REQUEST_PREFIX)
            .ok_or(SyncError::Malformed {
                what,
                detail: "it does not start with CARAVAN-JOIN1:".into(),
            })?;
        if body.len() > 8192 {
            return Err(SyncError::TooLarge {
                what,
                detail: format!("{} characters", body.len()),
            });
        }
        let bytes = hex::decode(body).map_err(|_| SyncError::Malformed {
            what,
            detail: "it contains characters that are not hexadecimal".into(),
        })?;
        let req: JoinRequest = postcard::from_bytes(&bytes).map_err(|e| SyncError::Malformed {
            what,
            detail: e.to_string(),
        })?;
        req.device.check_strong(what)?;
        let sig: [u8; 64] = req
            .signature
            .as_slice()
            .try_into()
            .map_err(|_| SyncError::BadSignature { what })?;
        if !req
            .device
            .id
            .verify(&request_message(&req.device, &req.name, &req.label), &sig)
        {
            return Err(SyncError::BadSignature { what });
        }
        Ok(req)
    }
}

/// What a join package holds, sealed to the new device.
#[derive(Serialize, Deserialize)]
pub(crate) struct PackageBody {
    pub(crate) team_id: TeamId,
    /// The team document as the approving admin holds it (saved).
    #[serde(with = "serde_bytes")]
    pub(crate) team_doc: Vec<u8>,
    /// Signatures that vouch for every change of the team document: a
    /// change's own, or its author's of a later change that builds on it
    /// (`vouch`).
    pub(crate) signatures: Vec<([u8; 32], Vec<u8>)>,
    /// Every team key epoch the admin holds.
    pub(crate) keys: Vec<(u32, [u8; 32])>,
}

/// Seals `body` to the new device and signs the package with the
/// approving admin's device key.
pub(crate) fn write_package(
    admin: &DeviceKeys,
    to: &PublicDevice,
    body: &PackageBody,
) -> Result<Vec<u8>, SyncError> {
    let plain = zeroize::Zeroizing::new(postcard::to_stdvec(body).map_err(doc_err)?);
    let mut out = PACKAGE_MAGIC.to_vec();
    out.extend_from_slice(&PACKAGE_VERSION.to_be_bytes());
    out.extend_from_slice(&admin.id().0);
    let sealed = crypto::seal_to(&to.agreement, &out, &plain)?;
    out.extend_from_slice(&sealed);
    let sig = admin.sign(&out);
    out.extend_from_slice(&sig);
    Ok(out)
}

/// A change's hash and its author's signature.
type Signature = (ChangeHash, [u8; 64]);

/// Rebuilds the package's team document from its changes, each passing
/// the checks of an import: the team root bound to the team id, every
/// change's signature, its author's standing and the role policy, judged
/// against the team as it stood before the change. A change that fails
/// refuses the whole package (`sync.untrusted_history`): an honest admin
/// holds no such change, so the package was forged or altered. Returns the
/// team and the verified signatures.
fn verified_team(me: &DeviceKeys, body: &PackageBody) -> Result<(Team, Vec<Signature>), SyncError> {
    let what = "join package";
    let mut saved = crate::replica::load_doc(&body.team_doc)?;
    let signatures: HashMap<ChangeHash, [u8; 64]> = body
        .signatures
        .iter()
        .filter_map(|(h, s)| Some((ChangeHash(*h), <[u8; 64]>::try_from(s.as_slice()).ok()?)))
        .collect();
    // A change nothing vouches for fails the signature check.
    let verifier = crate::trust::Verifier::new(&body.team_id, TEAM_DOC_ID);
    let changes = crate::vouch::vouch(
        &verifier,
        crate::vouch::own_signatures(saved.get_changes(&[]), &signatures),
    );
    if changes.is_empty() {
        return Err(SyncError::Malformed {
            what,
            detail: "its team document has no history".into(),
        });
    }
    let mut doc = AutoCommit::new().with_actor(me.id().actor());
    let mut report = ImportReport::default();
    let (nothing_quarantined, nothing_discarded, no_signatures) =
        (BTreeMap::new(), BTreeSet::new(), HashMap::new());
    let mut work = Work {
        copied: false,
        held: Vec::new(),
        ledger: Ledger::new(&nothing_quarantined, &nothing_discarded, None),
        signatures: &no_signatures,
        sigs: Vec::new(),
        proofs: Vec::new(),
        unproven: Vec::new(),
        no_later: std::collections::HashSet::new(),
        report: &mut report,
    };
    integrate(
        &mut doc,
        &changes,
        &mut work,
        Judging {
            doc_id: TEAM_DOC_ID,
            kind: DocKind::Team,
            authority: Authority::Live,
            team_id: &body.team_id,
            me: &me.id(),
        },
    )?;
    if let Some(q) = work.ledger.added.first() {
        tracing::warn!(code = %q.reason.code, change = %q.hash, "join package refused: its team history fails a check");
        return Err(SyncError::UntrustedHistory {
            reason: q.reason.code.clone(),
            detail: q.reason.message.clone(),
        });
    }
    if !work.held.is_empty() || doc.get_heads() != saved.get_heads() {
        return Err(SyncError::Truncated {
            what,
            detail: "its team history is incomplete",
        });
    }
    let sigs = std::mem::take(&mut work.sigs);
    Ok((Team::from_automerge(doc), sigs))
}

impl Replica {
    /// Approves a join request: adds the member (with `role`) and the device
    /// to the team, and writes a package only that device can open.
    pub fn approve(
        &mut self,
        request: &JoinRequest,
        role: caravan_model::Role,
        at: i64,
    ) -> Result<Vec<u8>, SyncError> {
        // A request can be built without `from_text`: judged here too.
        request.device.check_strong("join request")?;
        // The package carries the team document's signatures.
        self.require_signatures("join approval")?;
        let epoch = self.team.view()?.current_epoch();
        let key = self
            .team_keys
            .get(&epoch)
            .cloned()
            .ok_or(SyncError::NoKey { epoch })?;
        self.edit_team(|team, keys| {
            let member = team.add_member(keys, &request.name, role, at)?;
            team.enrol_device(keys, &member, &request.device, &request.label, &key, at)
        })?;
        let mut team_doc = self.team.automerge().clone();
        let changes: Vec<Change> = team_doc.get_changes(&[]);
        let signatures = crate::vouch::covering(TEAM_DOC_ID, &changes, &self.signatures)
            .0
            .into_iter()
            .map(|(h, s)| (h.0, s.to_vec()))
            .collect();
        let body = PackageBody {
            team_id: self.team_id,
            team_doc: team_doc.save(),
            signatures,
            keys: self
                .team_keys
                .values()
                .map(|k| (k.epoch, *k.secret_bytes()))
                .collect(),
        };
        let out = write_package(&self.keys, &request.device, &body)?;
        self.audit(
            "team.enrol",
            format!("device {} enrolled as {role}", request.device.id.to_hex()),
        );
        Ok(out)
    }

    /// Opens a join package on the new device and becomes a member.
    /// `expected_team` is the team the admin named out of band (its id, or
    /// its fingerprint read aloud): a package for any other team is
    /// refused. The package's team history passes the same checks as an
    /// import before anything of it is trusted.
    pub fn accept(
        keys: DeviceKeys,
        package: &[u8],
        expected_team: &ExpectedTeam,
    ) -> Result<Replica, SyncError> {
        let what = "join package";
        if package.len() < 8 || &package[..8] != PACKAGE_MAGIC {
            return Err(SyncError::Malformed {
                what,
                detail: "it is not a Caravan join package".into(),
            });
        }
        if package.len() > MAX_PACKAGE {
            return Err(SyncError::TooLarge {
                what,
                detail: format!("{} bytes", package.len()),
            });
        }
        if package.len() < 8 + 2 + 32 + 64 {
            return Err(SyncError::Truncated {
                what,
                detail: "it is cut short",
            });
        }
        let version = u16::from_be_bytes([package[8], package[9]]);
        if version > PACKAGE_VERSION {
            return Err(SyncError::FutureVersion {
                what,
                found: version,
            });
        }
        let (signed, sig) = package.split_at(package.len() - 64);
        let admin = crate::identity::DeviceId(signed[10..42].try_into().map_err(|_| {
            SyncError::Truncated {
                what,
                detail: "sender",
            }
        })?);
        let sig: [u8; 64] = sig.try_into().map_err(|_| SyncError::Truncated {
            what,
            detail: "signature",
        })?;
        if !admin.verify(signed, &sig) {
            return Err(SyncError::BadSignature { what });
        }
        let plain = crypto::open_from(keys.agreement_secret(), &signed[..42], &signed[42..])
            .ok_or(SyncError::NotForThisDevice)?;
        let body: PackageBody = postcard::from_bytes(&plain).map_err(|e| SyncError::Malformed {
            what,
            detail: e.to_string(),
        })?;
        if !expected_team.matches(&body.team_id) {
            return Err(SyncError::WrongTeam { what });
        }
        let team_id = body.team_id;
        let (mut team, signatures) = verified_team(&keys, &body)?;
        if team.id()? != team_id {
            return Err(SyncError::WrongTeam { what });
        }
        let view = team.view()?;
        if !matches!(
            view.standing(&admin),
            crate::team::Standing::Active {
                role: caravan_model::Role::Admin,
                ..
            }
        ) {
            return Err(SyncError::UnknownSender);
        }
        if !matches!(
            view.standing(&keys.id()),
            crate::team::Standing::Active { .. }
        ) {
            return Err(SyncError::NotForThisDevice);
        }
        let mut replica = Replica::assemble(keys, team_id, team, []);
        replica.signatures.extend(signatures);
        // Keys: those the team document seals to this device, then the
        // package's for earlier epochs (sealed in the team document only to
        // the devices of their day), on the word of the admin who signed
        // the package. A package key that contradicts the team document is
        // refused; one for an epoch the team does not have is dropped.
        replica.settle_keys(&view);
        for (epoch, bytes) in &body.keys {
            let key = TeamKey::from_bytes(*epoch, bytes);
            if !view.key_epochs.contains_key(&epoch_key(*epoch)) {
                continue;
            }
            let issued = issued_keys(replica.team.automerge(), *epoch, &replica.keys);
            if issued.is_empty() {
                replica.team_keys.entry(*epoch).or_insert(key);
            } else if !issued.iter().any(|k| k.same_key(&key)) {
                return Err(SyncError::ForgedKey {
                    what,
                    epoch: *epoch,
                });
            }
        }
        let current = view.current_epoch();
        if !replica.team_keys.contains_key(&current) {
            return Err(SyncError::NoKey { epoch: current });
        }
        Ok(replica)
    }
}
