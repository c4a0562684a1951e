//! Syncing an open workspace through a relay, as the CLI and the app run
//! it: connect to the relay the team registered, authenticate, upload what
//! each member lacks, fetch and import what is waiting, acknowledge it;
//! and, watching, do it again whenever the relay announces an envelope or
//! a local edit is committed.
//!
//! Order matters for durability: an envelope counts as sent only once the
//! relay answered `Stored` (after its commit), and an envelope fetched is
//! acknowledged only after its import was committed here, so a crash of
//! either side at any point loses nothing that was acknowledged.

use caravan_core::CoreError;
use serde::Serialize;
use tokio::sync::watch;

use crate::access::WorkspaceAccess;
use crate::error::NetError;
use crate::relay_client::RelayClient;

/// Envelopes asked for per fetch.
const FETCH_LIMIT: u32 = 64;

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RelayRound {
    /// Envelopes uploaded (one per member with something new).
    pub uploaded: usize,
    /// Envelopes fetched and imported.
    pub imported: usize,
    /// Envelopes fetched and refused as a whole (recorded, skipped).
    pub skipped: usize,
    /// Changes applied from the imported envelopes.
    pub applied: usize,
    /// Changes quarantined from them.
    pub quarantined: usize,
    /// On an admin's device: the relay kept a roster newer than the team's
    /// as this device sees it (recorded as the relay's last error,
    /// `relay.stale_roster`).
    pub roster_refused: bool,
}

/// Why a round stopped.
#[derive(Debug, thiserror::Error)]
pub enum RelayRoundError {
    #[error(transparent)]
    Core(CoreError),
    #[error(transparent)]
    Net(NetError),
    #[error("the vault is locked")]
    Locked,
}

impl RelayRoundError {
    /// The stable code of the failure.
    pub fn code(&self) -> &'static str {
        match self {
            RelayRoundError::Core(e) => e.code(),
            RelayRoundError::Net(e) => e.code(),
            RelayRoundError::Locked => crate::lan::service::LOCKED,
        }
    }
}

impl From<NetError> for RelayRoundError {
    fn from(e: NetError) -> Self {
        RelayRoundError::Net(e)
    }
}

fn with<W: WorkspaceAccess, R>(
    ws: &W,
    f: impl FnOnce(&mut caravan_core::Workspace) -> Result<R, CoreError>,
) -> Result<R, RelayRoundError> {
    ws.with(f)
        .ok_or(RelayRoundError::Locked)?
        .map_err(RelayRoundError::Core)
}

/// A connection to one of the team's relays, authenticated as this device.
pub struct RelayLink<W> {
    ws: W,
    key: String,
    client: RelayClient,
    /// The devices of the roster this admin's device registered last on
    /// this link: a changed team (a device enrolled or revoked) sends the
    /// relay a new roster at the next round.
    registered: Option<Vec<caravan_sync::roster::RosterDevice>>,
}

/// The team's relay registered under `key`: its address and public key.
fn relay_of<W: WorkspaceAccess>(ws: &W, key: &str) -> Result<(String, [u8; 32]), RelayRoundError> {
    let relay = with(ws, |w| {
        w.relays()?
            .into_iter()
            .find(|r| r.key == key)
            .ok_or_else(|| CoreError::not_found("relay", key))
    })?;
    let public = caravan_sync::relays::relay_key_from_hex(&relay.key).ok_or_else(|| {
        RelayRoundError::Core(CoreError::invalid(
            "relay key",
            "64 hex digits, not all zero",
        ))
    })?;
    Ok((relay.url, public))
}

/// Registers the team's current roster, signed by this (admin's) device,
/// at the relay registered under `key`; returns the roster's version. A
/// relay that does not know the team yet takes it as the team's first.
pub async fn register<W: WorkspaceAccess>(ws: &W, key: &str) -> Result<u64, RelayRoundError> {
    let (url, public) = relay_of(ws, key)?;
    let roster = with(ws, |w| w.relay_roster(key))?;
    let result = async {
        let mut client = RelayClient::open(&url, public).await?;
        Ok::<_, RelayRoundError>(client.register(roster).await?)
    }
    .await;
    result.map_err(|e| failed(ws, key, e))
}

impl<W: WorkspaceAccess> RelayLink<W> {
    /// Connects to the relay registered under `key` (hex, as the team
    /// document lists it) and authenticates this device.
    pub async fn connect(ws: W, key: &str) -> Result<RelayLink<W>, RelayRoundError> {
        Self::connect_via(ws, key, None).await
    }

    /// As [`RelayLink::connect`], through another address of the same
    /// relay (`via`: an office's internal address, or one of several
    /// relay processes sharing a database). The key is still the team's:
    /// a server at that address holding another key fails the handshake.
    pub async fn connect_via(
        ws: W,
        key: &str,
        via: Option<&str>,
    ) -> Result<RelayLink<W>, RelayRoundError> {
        let (registered, public) = relay_of(&ws, key)?;
        let url = via.map_or(registered, str::to_string);
        let result = async {
            let mut client = RelayClient::open(&url, public).await?;
            let (hash, nonce) = client.challenge();
            let auth = with(&ws, |w| w.relay_auth(&hash, &nonce))?;
            let acknowledged = client.authenticate_signed(auth).await?;
            // A relay behind this device's cursor (restored from a backup,
            // or one that sent a number far ahead once) is fetched from
            // its own record again, so nothing stored since is skipped.
            with(&ws, |w| w.relay_rewind(key, acknowledged))?;
            Ok::<_, RelayRoundError>(client)
        }
        .await;
        match result {
            Ok(client) => Ok(RelayLink {
                ws,
                key: key.to_string(),
                client,
                registered: None,
            }),
            Err(e) => Err(failed(&ws, key, e)),
        }
    }

    /// One round: upload, then fetch until nothing is waiting.
    pub async fn round(&mut self) -> Result<RelayRound, RelayRoundError> {
        let mut round = RelayRound::default();
        let result = async {
            round.roster_refused = self.refresh_roster().await?;
            self.upload(&mut round).await?;
            self.fetch(&mut round).await
        }
        .await;
        match result {
            Ok(()) if round.roster_refused => {
                // Recorded after the round, which clears the last error.
                let code = crate::error::RelayCode::StaleRoster.as_str();
                let _ = self.ws.with(|w| w.relay_failed(&self.key, code));
                Ok(round)
            }
            Ok(()) => Ok(round),
            Err(e) => Err(failed(&self.ws, &self.key, e)),
        }
    }

    /// On an admin's device: sends the relay the team's roster when it
    /// changed since this link last sent it (the relay then ends the
    /// connections of devices no longer on it). A relay holding a newer
    /// roster (another admin's, or a clock ahead) keeps it.
    /// Whether the relay refused it as older than the one it holds.
    async fn refresh_roster(&mut self) -> Result<bool, RelayRoundError> {
        let key = self.key.clone();
        let Some(roster) = self.ws.with(|w| w.relay_roster(&key).ok()).flatten() else {
            return Ok(false); // not an admin's device
        };
        let devices = roster
            .open()
            .map_err(|e| RelayRoundError::Core(CoreError::invalid("relay roster", e.to_string())))?
            .devices;
        if self.registered.as_ref() == Some(&devices) {
            return Ok(false);
        }
        match self.client.register(roster).await {
            Ok(_) => {
                self.registered = Some(devices);
                Ok(false)
            }
            // The relay holds a newer roster (another admin's, or one dated
            // ahead): the round goes on, and the refusal is reported — a
            // roster this device cannot replace may keep a revoked device
            // admitted there, which an admin must see. Tried again next
            // round.
            Err(NetError::Relay {
                code: crate::error::RelayCode::StaleRoster,
                ..
            }) => {
                tracing::warn!("the relay holds a roster newer than this admin's device makes");
                Ok(true)
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn upload(&mut self, round: &mut RelayRound) -> Result<(), RelayRoundError> {
        let key = self.key.clone();
        let outbox = with(&self.ws, |w| w.relay_outbox(&key))?;
        let mut confirmed = Vec::with_capacity(outbox.len());
        for envelope in outbox {
            self.client
                .upload(vec![envelope.member], envelope.body)
                .await?;
            confirmed.push(envelope.token);
            round.uploaded += 1;
        }
        // Also when nothing was uploaded: records the round's time.
        with(&self.ws, |w| w.relay_sent(&key, &confirmed))
    }

    async fn fetch(&mut self, round: &mut RelayRound) -> Result<(), RelayRoundError> {
        let key = self.key.clone();
        loop {
            let cursor = with(&self.ws, |w| w.relay_cursor(&key))?;
            let (items, more) = self.client.fetch(cursor, FETCH_LIMIT).await?;
            let mut last = None;
            for env in items {
                let receipt = with(&self.ws, |w| w.relay_received(&key, env.seq, &env.body))?;
                match receipt {
                    caravan_core::relay::RelayReceipt::Imported { summary, .. } => {
                        round.imported += 1;
                        round.applied += summary.applied;
                        round.quarantined += summary.quarantined.len();
                    }
                    caravan_core::relay::RelayReceipt::Skipped { .. } => round.skipped += 1,
                }
                last = Some(env.seq);
            }
            if let Some(seq) = last {
                self.client.ack(seq).await?;
            }
            if !more || last.is_none() {
                return Ok(());
            }
        }
    }

    /// Rounds until `stop` resolves: one now, then one whenever the relay
    /// announces an envelope for this device or `edits` changes (a local
    /// commit). `on_round` hears each round's outcome.
    pub async fn watch(
        &mut self,
        mut edits: watch::Receiver<u64>,
        mut on_round: impl FnMut(&RelayRound),
        stop: impl std::future::Future<Output = ()>,
    ) -> Result<(), RelayRoundError> {
        self.client.subscribe().await?;
        tokio::pin!(stop);
        // Once nothing commits any more, only the relay's news count.
        let mut committing = true;
        loop {
            let round = self.round().await?;
            on_round(&round);
            let edit = async {
                if committing {
                    edits.changed().await.is_ok()
                } else {
                    std::future::pending().await
                }
            };
            tokio::select! {
                n = self.client.next_notify() => {
                    n.map_err(|e| failed(&self.ws, &self.key, e.into()))?;
                }
                alive = edit => committing = alive,
                () = &mut stop => return Ok(()),
            }
        }
    }
}

/// Records a failed round's code for the relay's status, and returns the
/// error.
fn failed<W: WorkspaceAccess>(ws: &W, key: &str, e: RelayRoundError) -> RelayRoundError {
    let code = e.code();
    let _ = ws.with(|w| w.relay_failed(key, code));
    e
}
