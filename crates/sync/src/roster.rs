//! The roster a relay admits devices by (docs/formats/relay.md): which
//! devices of a team are active, each with its member id and whether that
//! member is an admin, signed by an admin device. A relay holds no team
//! document and loads none; the roster is the little of it a relay needs.

use caravan_model::{Millis, Role};
use serde::{Deserialize, Serialize};

use crate::error::SyncError;
use crate::identity::{DeviceId, DeviceKeys};
use crate::replica::Replica;
use crate::team::Standing;

/// What a roster signature is made over, before the body.
pub const ROSTER_CONTEXT: &[u8] = b"caravan/relay/roster/v1\0";
/// A roster lists at most this many devices.
pub const MAX_DEVICES: usize = 10_000;
/// A member id in a roster is at most this many bytes.
pub const MAX_MEMBER_ID: usize = 200;
/// The largest body `open` decodes: every device at its largest (32-byte
/// key, a 200-byte id with its length, a flag) plus the header.
pub const MAX_BODY: usize = MAX_DEVICES * (32 + MAX_MEMBER_ID + 2 + 1) + 128;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub team_id: [u8; 16],
    /// Higher than every earlier roster of the team (its issue time in
    /// milliseconds when a replica makes it).
    pub version: u64,
    pub issued_at: i64,
    /// The X25519 public key of the relay the roster is for: a roster is
    /// never accepted by another relay.
    pub relay_key: [u8; 32],
    pub devices: Vec<RosterDevice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterDevice {
    pub device: [u8; 32],
    pub member: String,
    pub admin: bool,
}

impl Roster {
    /// The entry of `device`, if the roster lists it.
    pub fn device(&self, device: &[u8; 32]) -> Option<&RosterDevice> {
        self.devices.iter().find(|d| &d.device == device)
    }

    /// Whether `device` is listed as an admin's device.
    pub fn is_admin(&self, device: &[u8; 32]) -> bool {
        self.device(device).is_some_and(|d| d.admin)
    }
}

/// A roster as it travels: its postcard body, and an admin device's
/// signature over it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedRoster {
    #[serde(with = "serde_bytes")]
    pub body: Vec<u8>,
    pub signer: [u8; 32],
    #[serde(with = "serde_bytes")]
    pub signature: [u8; 64],
}

impl std::fmt::Debug for SignedRoster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedRoster")
            .field("body_len", &self.body.len())
            .field("signer", &DeviceId(self.signer))
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("this roster is larger than a relay accepts ({detail})")]
    TooLarge { detail: String },
    #[error("this roster is malformed: {detail}")]
    Malformed { detail: String },
    #[error("this roster's signature does not verify: it was altered after it was signed")]
    BadSignature,
    #[error("this roster was not signed by an admin device it lists")]
    SignerNotAdmin,
}

caravan_errors::coded! {
    RosterError {
        Self::TooLarge { .. } => ("roster.too_large", Verification),
        Self::Malformed { .. } => ("roster.malformed", Verification),
        Self::BadSignature => ("roster.bad_signature", Verification),
        Self::SignerNotAdmin => ("roster.signer_not_admin", Verification),
    }
}

fn message(body: &[u8]) -> Vec<u8> {
    [ROSTER_CONTEXT, body].concat()
}

impl SignedRoster {
    /// Signs `roster` with `keys`.
    pub fn sign(roster: &Roster, keys: &DeviceKeys) -> SignedRoster {
        // Serialising plain structs into a Vec cannot fail.
        let body = postcard::to_stdvec(roster).unwrap_or_default();
        let signature = keys.sign(&message(&body));
        SignedRoster {
            body,
            signer: keys.id().0,
            signature,
        }
    }

    /// Verifies the signature (strictly), decodes the body within bounds
    /// and checks that the signer is an admin device the roster lists.
    /// Whether the signer may replace the roster a relay holds is the
    /// relay's decision (it must be an admin of that one too).
    pub fn open(&self) -> Result<Roster, RosterError> {
        if self.body.len() > MAX_BODY {
            return Err(RosterError::TooLarge {
                detail: format!("{} bytes, at most {MAX_BODY}", self.body.len()),
            });
        }
        // The signature first: nothing unsigned is decoded.
        if !DeviceId(self.signer).verify(&message(&self.body), &self.signature) {
            return Err(RosterError::BadSignature);
        }
        let (roster, rest): (Roster, &[u8]) =
            postcard::take_from_bytes(&self.body).map_err(|e| RosterError::Malformed {
                detail: e.to_string(),
            })?;
        if !rest.is_empty() {
            return Err(RosterError::Malformed {
                detail: "bytes after the roster".into(),
            });
        }
        check_bounds(&roster)?;
        if !roster.is_admin(&self.signer) {
            return Err(RosterError::SignerNotAdmin);
        }
        Ok(roster)
    }
}

fn check_bounds(roster: &Roster) -> Result<(), RosterError> {
    if roster.devices.len() > MAX_DEVICES {
        return Err(RosterError::TooLarge {
            detail: format!("{} devices, at most {MAX_DEVICES}", roster.devices.len()),
        });
    }
    if roster
        .devices
        .iter()
        .any(|d| d.member.len() > MAX_MEMBER_ID || d.member.is_empty())
    {
        return Err(RosterError::Malformed {
            detail: format!("a member id is empty or longer than {MAX_MEMBER_ID} bytes"),
        });
    }
    let mut ids: Vec<&[u8; 32]> = roster.devices.iter().map(|d| &d.device).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return Err(RosterError::Malformed {
            detail: "a device is listed twice".into(),
        });
    }
    Ok(())
}

impl Replica {
    /// The roster of the team as this replica holds it, for the relay
    /// whose public key is `relay_key`, signed by this device. Only an
    /// admin's device makes one (a relay accepts no other signer).
    pub fn signed_roster(
        &self,
        relay_key: [u8; 32],
        at: Millis,
    ) -> Result<SignedRoster, SyncError> {
        let team = self.team()?;
        match team.standing(&self.device()) {
            Standing::Active {
                role: Role::Admin, ..
            } => {}
            _ => {
                return Err(SyncError::Denied(
                    "only an admin's device signs the relay roster".into(),
                ));
            }
        }
        let devices: Vec<RosterDevice> = team
            .active_devices()
            .filter_map(|(hex, d)| {
                let id = DeviceId::from_hex(hex)?;
                let role = team.members.get(&d.member)?.role;
                Some(RosterDevice {
                    device: id.0,
                    member: d.member.clone(),
                    admin: role == Role::Admin,
                })
            })
            .collect();
        if devices.len() > MAX_DEVICES {
            return Err(SyncError::TooLarge {
                what: "relay roster",
                detail: format!("{} devices, at most {MAX_DEVICES}", devices.len()),
            });
        }
        let roster = Roster {
            team_id: self.team_id().0,
            // Versions only have to grow: the issue time does, and a
            // clock set back is refused by the relay as a stale roster.
            version: u64::try_from(at).unwrap_or(0),
            issued_at: at,
            relay_key,
            devices,
        };
        Ok(SignedRoster::sign(&roster, &self.keys))
    }
}
