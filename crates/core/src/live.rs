//! Live sessions: two devices of the team syncing over a connection the
//! front end holds (a LAN link). The core drives the sans-IO
//! `caravan_sync::session::Session`: the front end sends what
//! [`Workspace::session_poll`] returns and hands every frame that arrives
//! to [`Workspace::session_receive`].
//!
//! What a frame brings is made durable before the next frame is taken, so
//! a crash or a dropped link mid-session loses nothing received; and the
//! team changes a frame about to leave depends on (case keys sealed for
//! the peer) are saved before it is handed out. A session that both sides
//! finished stays open: a later local edit makes `session_poll` produce
//! frames again, which is how edits reach a connected peer at once.

use caravan_sync::session::Session;
use serde::Serialize;

use crate::error::{CoreError, Result};
use crate::exchange::{ExchangeKind, ImportSummary};
use crate::workspace::Workspace;

/// One live session with a peer device. Made by
/// [`Workspace::session_start`]; ended by [`Workspace::session_end`] (or
/// simply dropped: everything it received is saved already).
pub struct LiveSession {
    session: Session,
    /// Keeps the workspace's cases in memory while the session is open.
    _pin: std::sync::Arc<()>,
    /// A save after a frame failed: the replica was read back from the
    /// vault, so this session's view of what each side holds is stale.
    broken: bool,
}

impl std::fmt::Debug for LiveSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveSession")
            .field("session", &self.session)
            .field("broken", &self.broken)
            .finish()
    }
}

impl LiveSession {
    /// The handshake is complete and this side has nothing to send until
    /// the peer speaks again (or a local edit is made).
    pub fn is_done(&self) -> bool {
        !self.broken && self.session.is_done()
    }
}

/// The device at the other end of a session, once its Hello was accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PeerView {
    /// Device id (hex).
    pub device: String,
    pub member: String,
    /// The member's name.
    pub name: String,
}

impl Workspace {
    /// Opens a live session with whichever active device of the team
    /// answers; a device that is not one (another team's, revoked, not
    /// enrolled) is refused when its first frame arrives.
    pub fn session_start(&mut self) -> Result<LiveSession> {
        self.load_everything()?;
        let now = self.now();
        let session = Session::new(self.replica()?, None, now)?;
        Ok(LiveSession {
            session,
            _pin: self.live_pins.clone(),
            broken: false,
        })
    }

    /// The next frame to send, or `None` when there is nothing to send now.
    /// Call it until `None` after starting, after every frame received, and
    /// after every local edit while the session is open.
    pub fn session_poll(&mut self, s: &mut LiveSession) -> Result<Option<Vec<u8>>> {
        usable(s)?;
        // Cases read since (or made) stay in memory for the session.
        self.load_everything()?;
        let team_before = self.replica_mut()?.heads(caravan_sync::team::TEAM_DOC_ID);
        let frame = s.session.poll(self.replica_mut()?)?;
        // The frame may carry case keys sealed for the peer just now: they
        // are saved before it leaves, or this device could sign other
        // changes under the same sequence numbers after a crash.
        if frame.is_some()
            && self.replica_mut()?.heads(caravan_sync::team::TEAM_DOC_ID) != team_before
        {
            self.commit_session(s, &[])?;
        }
        Ok(frame)
    }

    /// Takes one frame from the peer: checks it, applies what it carries
    /// and saves what it applied or held, with its audit entry, before
    /// returning. A frame refused before it is authenticated (damaged,
    /// replayed, from another team or a revoked device) changes nothing;
    /// a later failure ends the session.
    pub fn session_receive(&mut self, s: &mut LiveSession, frame: &[u8]) -> Result<()> {
        usable(s)?;
        self.load_everything()?;
        let held_before = self.replica()?.held().len();
        let report = s.session.receive(self.replica_mut()?, frame)?;
        let held_changed = self.replica()?.held().len() != held_before;
        if report.applied == 0 && report.quarantined.is_empty() && !held_changed {
            return Ok(());
        }
        // The sync layer records what was applied or quarantined; changes
        // only held are recorded here.
        let audit = if report.applied == 0 && report.quarantined.is_empty() {
            vec![(
                "sync.session",
                format!(
                    "session with device {}: {} changes held",
                    report.sender, report.held
                ),
            )]
        } else {
            Vec::new()
        };
        self.commit_session(s, &audit)
    }

    /// The peer device and its member, once its Hello was accepted.
    pub fn session_peer(&self, s: &LiveSession) -> Option<PeerView> {
        let device = s.session.peer()?.to_hex();
        let team = self.replica().ok()?.team().ok()?;
        let member = team.devices.get(&device)?.member.clone();
        let name = team.members.get(&member)?.name.clone();
        Some(PeerView {
            device,
            member,
            name,
        })
    }

    /// What the session took in so far (a live session reports it each
    /// time both sides are current, long before it ends).
    pub fn session_summary(&self, s: &LiveSession) -> ImportSummary {
        let name = self.session_peer(s).map(|p| p.name).unwrap_or_default();
        ImportSummary::of(s.session.report().clone(), name)
    }

    /// Ends a session: saves what is left (what this device learnt the
    /// peer holds), records when this device last synced with the peer's
    /// member, and returns everything the session took in.
    pub fn session_end(&mut self, s: LiveSession) -> Result<ImportSummary> {
        let peer = self.session_peer(&s);
        let report = s.session.report().clone();
        let broken = s.broken;
        drop(s);
        if !broken {
            // Also lets the least recently used cases go, unless another
            // session is open.
            self.commit(&[])?;
        }
        if let Some(p) = &peer {
            self.note_exchange(&p.member, ExchangeKind::Session)?;
        }
        Ok(ImportSummary::of(
            report,
            peer.map(|p| p.name).unwrap_or_default(),
        ))
    }

    fn commit_session(&mut self, s: &mut LiveSession, audit: &[(&str, String)]) -> Result<()> {
        let out = self.commit(audit);
        if out.is_err() {
            s.broken = true;
        }
        out
    }
}

fn usable(s: &LiveSession) -> Result<()> {
    if s.broken {
        return Err(CoreError::SessionBroken);
    }
    Ok(())
}
