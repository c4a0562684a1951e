//! The team's relays: admins add and remove them in the team document
//! (every device then trusts exactly those, each pinned by its public
//! key); everyone sees them with this device's last sync through each.

use caravan_sync::relays::relay_key_from_hex;
use serde::Serialize;

use crate::error::{CoreError, Result};
use crate::permissions::TEAM_ADMINS;
use crate::team::role_may;
use crate::workspace::Workspace;

/// A relay of the team, with this device's last exchange through it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RelayView {
    /// The relay's public key (64 hexadecimal digits).
    pub key: String,
    pub url: String,
    pub added_at: i64,
    pub added_by_name: String,
    /// The last time envelopes were stored or fetched through it.
    pub last_sync_ms: Option<i64>,
    /// The code of the last failure, cleared by the next success.
    pub last_error_code: Option<String>,
}

/// A relay's public key as typed: 64 hexadecimal digits, not all zero;
/// returned in lowercase.
pub(crate) fn parse_relay_key(text: &str) -> Result<String> {
    let key = text.trim().to_ascii_lowercase();
    if key.len() != 64 || relay_key_from_hex(&key).is_none() {
        return Err(CoreError::invalid(
            "relay key",
            "must be the relay's public key: 64 hexadecimal digits, not all zero",
        ));
    }
    Ok(key)
}

/// A relay's address as typed: `ws://` or `wss://` and a host with an
/// optional port and path, or `host:port` alone (taken as `wss://`).
pub(crate) fn normalise_relay_url(text: &str) -> Result<String> {
    let bad = |why: &str| CoreError::invalid("relay address", why);
    let text = text.trim();
    let (scheme, rest) = match text.split_once("://") {
        Some((s, rest)) if s.eq_ignore_ascii_case("wss") => ("wss", rest),
        Some((s, rest)) if s.eq_ignore_ascii_case("ws") => ("ws", rest),
        Some(_) => return Err(bad("must start with ws:// or wss://")),
        None if text.contains('/') => return Err(bad("must start with ws:// or wss://")),
        None => ("wss", text),
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if authority.contains('@') {
        return Err(bad("must not hold a user name or password"));
    }
    let (host, port) = match authority.rsplit_once(':') {
        // An IPv6 address in brackets holds colons of its own.
        Some((h, p)) if !p.contains(']') => (h, Some(p)),
        _ => (authority, None),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-[]:".contains(c));
    if !host_ok {
        return Err(bad("needs a host name or address"));
    }
    if let Some(p) = port
        && !p.parse::<u16>().is_ok_and(|p| p > 0)
    {
        return Err(bad("the port must be a number from 1 to 65535"));
    }
    if scheme == "wss" && port.is_none() && !text.contains("://") {
        return Err(bad("give host:port, or a ws:// or wss:// address"));
    }
    if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("must not hold spaces"));
    }
    Ok(format!(
        "{scheme}://{}{path}",
        authority.to_ascii_lowercase()
    ))
}

impl Workspace {
    /// Adds a relay to the team (admins only), or gives a known one a new
    /// address: `url` is `ws://` or `wss://` (or `host:port`, taken as
    /// `wss://`), `key` the relay's public key, which every device checks
    /// the relay against.
    pub fn add_relay(&mut self, url: &str, key: &str) -> Result<RelayView> {
        let (_, role) = self.me()?;
        role_may(role, TEAM_ADMINS, "add relays")?;
        let url = normalise_relay_url(url)?;
        let key = parse_relay_key(key)?;
        let now = self.now();
        self.replica_mut()?
            .edit_team(|team, keys| team.add_relay(keys, &key, &url, now))?;
        self.commit(&[("team.add_relay", format!("relay {key} at {url}"))])?;
        self.relays()?
            .into_iter()
            .find(|r| r.key == key)
            .ok_or_else(|| CoreError::not_found("relay", key))
    }

    /// Removes a relay from the team (admins only); devices stop using it
    /// once they hear of it.
    pub fn remove_relay(&mut self, key: &str) -> Result<()> {
        let (_, role) = self.me()?;
        role_may(role, TEAM_ADMINS, "remove relays")?;
        let key = parse_relay_key(key)?;
        let now = self.now();
        let removed = self
            .replica_mut()?
            .edit_team(|team, keys| team.remove_relay(keys, &key, now))?;
        if !removed {
            return Err(CoreError::not_found("relay", key));
        }
        self.commit(&[("team.remove_relay", format!("relay {key}"))])
    }

    /// The team's relays, with this device's last sync through each.
    pub fn relays(&self) -> Result<Vec<RelayView>> {
        let team = self.replica()?.team()?;
        let names = self.names()?;
        let mut out = Vec::new();
        // An entry whose key is not one (only a crafted change writes
        // such) is not shown, and never used.
        for (key, r) in team
            .relays
            .iter()
            .filter(|(k, _)| parse_relay_key(k).is_ok_and(|p| p == **k))
        {
            let state = self.relay_state(key)?;
            out.push(RelayView {
                key: key.clone(),
                url: r.url.clone(),
                added_at: r.added_at,
                added_by_name: names.name_of(&r.added_by),
                last_sync_ms: state.last_sync_ms,
                last_error_code: state.last_error_code,
            });
        }
        Ok(out)
    }

    /// The relay `key` names, if the team has it: its key in lowercase.
    pub(crate) fn team_relay(&self, key: &str) -> Result<String> {
        let key = parse_relay_key(key)?;
        if !self.replica()?.team()?.relays.contains_key(&key) {
            return Err(CoreError::not_found("relay", key));
        }
        Ok(key)
    }
}
