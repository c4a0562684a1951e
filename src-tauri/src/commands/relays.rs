//! Relays: the list, adding and removing one (admins), and one round of
//! sync through one. The core does not hold relays yet: every command
//! checks what it was given and answers `relay.unavailable`.

use crate::dto::{ErrorDto, RelayDto};
use crate::state::{CmdResult, invalid};

/// Relays are not part of this build's core.
fn unavailable() -> ErrorDto {
    ErrorDto {
        code: "relay.unavailable".into(),
        message: "Relays are not available in this version.".into(),
        kind: "failure".into(),
    }
}

/// A relay's key as the admin reads it out: 64 hex digits (spaces
/// between groups are allowed), in lower case.
pub fn relay_key(text: &str) -> CmdResult<String> {
    let key: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if key.len() != 64 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(invalid("relay key", "must be 64 hexadecimal digits"));
    }
    Ok(key.to_ascii_lowercase())
}

/// A relay's address: a `wss://` (or, on a private network, `ws://`) URL.
pub fn relay_url(text: &str) -> CmdResult<String> {
    let url = text.trim();
    let rest = url
        .strip_prefix("wss://")
        .or_else(|| url.strip_prefix("ws://"))
        .unwrap_or_default();
    if rest.is_empty() || rest.chars().any(char::is_whitespace) {
        return Err(invalid("relay address", "must start with wss:// or ws://"));
    }
    Ok(url.to_string())
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn relays() -> CmdResult<Vec<RelayDto>> {
    Err(unavailable())
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn relay_add(url: String, key: String) -> CmdResult<Vec<RelayDto>> {
    let _span = tracing::info_span!("command", name = "relay_add").entered();
    relay_url(&url)?;
    relay_key(&key)?;
    Err(unavailable())
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn relay_remove(key: String) -> CmdResult<Vec<RelayDto>> {
    let _span = tracing::info_span!("command", name = "relay_remove").entered();
    relay_key(&key)?;
    Err(unavailable())
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn relay_sync_now(key: String) -> CmdResult<RelayDto> {
    let _span = tracing::info_span!("command", name = "relay_sync_now").entered();
    relay_key(&key)?;
    Err(unavailable())
}
