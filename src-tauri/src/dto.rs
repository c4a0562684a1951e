//! What only the shell sends the window: its error, the app's status and
//! a passphrase's strength. Everything else the window exchanges is the
//! core's contract (`caravan_core::view`, `caravan_core::inputs`, …).
//! TypeScript declarations of both are generated into
//! `ui/src/lib/bindings/` (checked by a test).

use caravan_core::team::MemberView;
use caravan_core::{Permissions, Settings};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A failed command: a stable code the UI translates, the English
/// message as a fallback, and what kind of failure it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ErrorDto {
    #[ts(as = "crate::codes::ErrorCode")]
    pub code: String,
    pub message: String,
    /// wrong_secret | in_use | rejected | verification | failure | locked
    pub kind: String,
}

/// What the first screen needs to know.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StatusDto {
    pub vault_dir: String,
    pub vault_exists: bool,
    pub unlocked: bool,
    pub has_team: bool,
    /// The join request this device wrote and is waiting on.
    pub pending_join: Option<String>,
    pub me: Option<MemberView>,
    /// What this member's role may do (none without a team), from the
    /// core's policy: the window offers only these.
    pub permissions: Permissions,
    pub team_name: Option<String>,
    pub settings: Settings,
    /// The person has not confirmed writing the recovery code down: the
    /// window shows a new one until they do.
    pub recovery_unconfirmed: bool,
    /// The demo team's vault is open (made-up people, a public
    /// passphrase), not the user's own; leaving it or locking returns to
    /// the user's vault.
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct StrengthDto {
    pub acceptable: bool,
    /// 0 (very weak) to 4 (very strong).
    pub score: u8,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CreatedVaultDto {
    /// Shown once; never stored in clear.
    pub recovery_code: String,
}

/// What `lan_start` takes: whether to look for the team's devices on the
/// network, addresses (`ip:port`) to dial at once, and the port to listen
/// on (any free one when absent).
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
pub struct LanStartRequest {
    pub discovery: bool,
    #[serde(default)]
    pub connect: Vec<String>,
    #[serde(default)]
    pub port: Option<u16>,
}

/// LAN sync as the sync centre shows it (`lan_status`, and the
/// `caravan://lan` event on every change).
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct LanStatusDto {
    pub running: bool,
    /// The address the app listens on, as bound (`0.0.0.0:port`: every
    /// network).
    pub listening: Option<String>,
    /// What another laptop types to reach this one: this device's
    /// addresses on its networks, with the port.
    pub addresses: Vec<String>,
    pub discovery: bool,
    /// Discovery could not start here: devices are reached by address only.
    pub discovery_failed: bool,
    /// The system treats this network as public (Windows): its firewall
    /// keeps other laptops from finding or dialling this one.
    pub public_network: bool,
    /// The latest failure no listed device is known for (an incoming
    /// connection refused before its session, or why LAN sync stopped).
    #[ts(as = "Option<crate::codes::ErrorCode>")]
    pub last_error_code: Option<String>,
    pub peers: Vec<LanPeerDto>,
}

/// A device found, dialled or synced with on the network.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct LanPeerDto {
    /// The device id, once its session began.
    pub device: Option<String>,
    /// Its member's name, once its session began.
    pub name: Option<String>,
    pub address: Option<String>,
    pub state: LanPeerState,
    pub last_sync_ms: Option<i64>,
    /// Changes applied here in the session with it so far.
    pub applied: u64,
    pub quarantined: u64,
    #[ts(as = "Option<crate::codes::ErrorCode>")]
    pub last_error_code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LanPeerState {
    Found,
    Connected,
    /// Both sides were current at `last_sync_ms` (a live session stays
    /// open: later edits are pushed at once).
    Synced,
    Failed,
}

/// What a round through a relay did (`relay_sync_now`), and the relay as
/// it is after it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct RelaySyncDto {
    pub relay: caravan_core::relays::RelayView,
    /// Envelopes sent (one per member with something new).
    pub uploaded: u64,
    /// Envelopes received and imported.
    pub imported: u64,
    /// Envelopes received and refused as a whole.
    pub skipped: u64,
    /// Changes applied from what was received.
    pub applied: u64,
    pub quarantined: u64,
}

/// Writes the TypeScript declaration of every type the window exchanges
/// with the shell (the shell's own and the core's) into `cfg`'s folder.
pub fn export_typescript(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    ErrorDto::export_all(cfg)?;
    StatusDto::export_all(cfg)?;
    StrengthDto::export_all(cfg)?;
    CreatedVaultDto::export_all(cfg)?;
    LanStartRequest::export_all(cfg)?;
    LanStatusDto::export_all(cfg)?;
    RelaySyncDto::export_all(cfg)?;
    caravan_core::typescript::export_all(cfg)?;
    // One line a role: the roles differ only in their values.
    let mut json = String::from("{\n");
    for role in caravan_core::model::Role::ALL {
        let p = serde_json::to_string(&Permissions::of(*role))
            .map_err(|e| ts_rs::ExportError::Io(std::io::Error::other(e)))?;
        json.push_str(&format!("  \"{}\": {p},\n", role.id()));
    }
    json.push('}');
    let ts = format!(
        "// Generated from the core's policy (see src-tauri/src/dto.rs). Do not edit.\n\
         // What the core offers each role, for the mocked backend and the tests.\n\
         import type {{ Permissions }} from './Permissions';\n\
         import type {{ Role }} from './Role';\n\n\
         export const PERMISSIONS_BY_ROLE: Record<Role, Permissions> = {json};\n"
    );
    std::fs::write(cfg.out_dir().join("permissionsByRole.ts"), ts)?;
    Ok(())
}
