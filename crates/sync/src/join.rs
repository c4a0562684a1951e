//! Enrolment without network: a join request (file or short text for a QR
//! code) from the new device, and a join package sealed to it by an admin.

use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::error::{SyncError, doc_err};
use crate::identity::{DeviceKeys, PublicDevice};
use crate::keys::TeamKey;
use crate::replica::Replica;
use crate::team::Team;

const REQUEST_PREFIX: &str = "CARAVAN-JOIN1:";
const PACKAGE_MAGIC: &[u8; 8] = b"CRVNJOIN";
const PACKAGE_VERSION: u16 = 1;
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

#[derive(Serialize, Deserialize)]
struct PackageBody {
    team_id: crate::team::TeamId,
    #[serde(with = "serde_bytes")]
    team_doc: Vec<u8>,
    signatures: Vec<([u8; 32], Vec<u8>)>,
    keys: Vec<(u32, [u8; 32])>,
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
        let signatures = team_doc
            .get_changes(&[])
            .iter()
            .filter_map(|c| {
                self.signatures
                    .get(&c.hash())
                    .map(|s| (c.hash().0, s.to_vec()))
            })
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
        let plain = zeroize::Zeroizing::new(postcard::to_stdvec(&body).map_err(doc_err)?);
        let mut out = PACKAGE_MAGIC.to_vec();
        out.extend_from_slice(&PACKAGE_VERSION.to_be_bytes());
        out.extend_from_slice(&self.device().0);
        let sealed = crypto::seal_to(&request.device.agreement, &out, &plain)?;
        out.extend_from_slice(&sealed);
        let sig = self.keys.sign(&out);
        out.extend_from_slice(&sig);
        self.audit(
            "team.enrol",
            format!("device {} enrolled as {role}", request.device.id.to_hex()),
        );
        Ok(out)
    }

    /// Opens a join package on the new device and becomes a member.
    /// `expected_team` is the team id the admin showed (out of band).
    pub fn accept(
        keys: DeviceKeys,
        package: &[u8],
        expected_team: Option<crate::team::TeamId>,
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
        let mut team = Team::from_automerge(
            crate::replica::load_doc(&body.team_doc)?.with_actor(keys.id().actor()),
        );
        let team_id = team.id()?;
        if team_id != body.team_id || expected_team.is_some_and(|t| t != team_id) {
            return Err(SyncError::WrongTeam);
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
        let mut replica = Replica::assemble(
            keys,
            team_id,
            team,
            body.keys.iter().map(|(e, k)| TeamKey::from_bytes(*e, k)),
        );
        for (hash, sig) in body.signatures {
            if let Ok(sig) = <[u8; 64]>::try_from(sig.as_slice()) {
                replica.signatures.insert(automerge::ChangeHash(hash), sig);
            }
        }
        Ok(replica)
    }
}
