//! Online sync: a sans-IO session two devices run over any reliable,
//! in-order byte stream. Format and handshake: docs/formats/session.md;
//! the frame itself is in `wire`.
//!
//! After Hello and Proof, frames carry Automerge sync messages, one
//! `automerge::sync::State` per document. Automerge never applies an
//! incoming change itself: the changes are taken out of each message,
//! judged by the same code as bundle import (`Replica::commit_entries`),
//! and Automerge only sees the message with its changes removed.

use std::collections::{BTreeMap, HashMap, HashSet};

use automerge::sync::{ChunkList, State, SyncDoc};
use automerge::{AutoCommit, Change, ChangeHash};
use caravan_model::Millis;

use crate::bundle::{MAX_CHANGE_OPS, MAX_OPS};
use crate::chunk::Budget;
use crate::crypto;
use crate::error::{SyncError, doc_err};
use crate::identity::DeviceId;
use crate::import::{Entry, ImportReport};
use crate::keys::TeamKey;
use crate::replica::Replica;
use crate::team::{Standing, TEAM_DOC_ID, TeamDoc, TeamId};

mod holdings;
pub(crate) mod wire;

use crate::bundle::Inflation;

use wire::{
    Body, COMPRESSED_SINCE, ChangeSig, DocMessage, HELLO_BINDING, Head, Hello,
    MAX_HANDSHAKE_INFLATED, MAX_INFLATED, WHAT, binding, malformed, outgoing_changes, parse,
    proof_message,
};
pub use wire::{MAGIC, MAX_FRAME, PREFIX_LEN, VERSION, frame_len};

/// A frame stops taking more documents' messages past this many bytes;
/// the rest go in the next frame.
const FRAME_BUDGET: usize = 16 << 20;
/// Change-less messages one document may send in a row without receiving
/// changes before it is considered stuck (see `DocSync`).
const MAX_QUIET: u32 = 16;

struct Peer {
    device: DeviceId,
    nonce: [u8; 32],
}

/// One document's sync with the peer.
///
/// Automerge's protocol stops once both sides hold the same heads. A
/// quarantined change never reaches this device's heads, so the two sides
/// would otherwise trade change-less messages forever: a document stops
/// sending when it would repeat its last change-less message unchanged
/// with no changes received since (or after `MAX_QUIET` of them).
#[derive(Default)]
struct DocSync {
    state: State,
    /// The peer's heads from its last message.
    their_heads: Vec<ChangeHash>,
    heard: bool,
    last_quiet: Option<Vec<u8>>,
    got_changes: bool,
    quiet: u32,
    stalled: bool,
    /// The id is not a document id: its messages are ignored.
    refused: bool,
    /// This device may not see the case as its team document stands: its
    /// messages are ignored until the team document changes (a grant may
    /// arrive later in the session).
    not_permitted: bool,
}

/// One side of an online sync session. Drive it with `poll` (frames to
/// send) and `receive` (frames that arrived) until `is_done`.
pub struct Session {
    me: DeviceId,
    team_id: TeamId,
    expected_member: Option<String>,
    nonce: [u8; 32],
    peer: Option<Peer>,
    authenticated: bool,
    /// Counter of the next frame this side sends / expects.
    sent: u64,
    received: u64,
    team_settled: bool,
    /// The key of the peer's epoch its Hello sealed to this device, for
    /// its frames when this device holds no key of that epoch that reads
    /// them. Judged with every frame it reads; never kept by the replica.
    offered: Option<TeamKey>,
    docs: BTreeMap<String, DocSync>,
    /// The peer's record of what this device holds and this device's record
    /// of the peer agree: cases whose heads equal the record are left out
    /// (`holdings`).
    records_agree: bool,
    /// Stands in for documents the peer offers that this device lacks.
    empty: AutoCommit,
    idle: bool,
    failed: bool,
    total: ImportReport,
    /// When the session started: the time of the team-document change
    /// that seals case keys for the peer, if one is needed.
    started_at: Millis,
    /// Cases whose key this side has tended, and the team heads it did so
    /// at: a team change (a grant withdrawn, a device revoked) tends again.
    keyed: HashSet<String>,
    keyed_at: Vec<ChangeHash>,
}

impl std::fmt::Debug for Session {
    // Nonces and sync state stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("me", &self.me)
            .field("peer", &self.peer.as_ref().map(|p| p.device))
            .field("authenticated", &self.authenticated)
            .field("sent", &self.sent)
            .field("received", &self.received)
            .field("failed", &self.failed)
            .finish_non_exhaustive()
    }
}

/// What this device lacks to reach `their_heads`, looking through changes
/// held for missing dependencies (Automerge's own queue never sees them)
/// and leaving out what it has refused on their merits (`refused_in`): it
/// does not ask for those again. A change held back only for a copy's bad
/// signature is asked for: the peer may hold its author's valid signature,
/// and its Bloom filter may otherwise take it for one this device holds.
fn need(
    doc: &mut AutoCommit,
    held: &HashMap<ChangeHash, Vec<ChangeHash>>,
    quarantined: &HashSet<ChangeHash>,
    their_heads: &[ChangeHash],
) -> Vec<ChangeHash> {
    let mut missing = HashSet::new();
    let mut seen = HashSet::new();
    let mut stack = their_heads.to_vec();
    while let Some(h) = stack.pop() {
        if !seen.insert(h) || quarantined.contains(&h) || doc.get_change_by_hash(&h).is_some() {
            continue;
        }
        match held.get(&h) {
            Some(deps) => stack.extend(deps.iter().copied()),
            None => {
                missing.insert(h);
            }
        }
    }
    let mut out: Vec<ChangeHash> = missing.into_iter().collect();
    out.sort();
    out
}

fn standing_error(s: Standing) -> Result<String, SyncError> {
    match s {
        Standing::Active { member, .. } => Ok(member),
        Standing::Revoked { .. } => Err(SyncError::SenderRevoked),
        Standing::Unknown => Err(SyncError::UnknownSender),
    }
}

impl Session {
    /// A session of this device's replica with one peer. `peer_member`, if
    /// given, is the member the peer device must belong to.
    pub fn new(
        replica: &Replica,
        peer_member: Option<String>,
        at: Millis,
    ) -> Result<Session, SyncError> {
        Ok(Session {
            me: replica.device(),
            team_id: replica.team_id(),
            expected_member: peer_member,
            nonce: crypto::random()?,
            peer: None,
            authenticated: false,
            sent: 0,
            received: 0,
            team_settled: false,
            offered: None,
            docs: BTreeMap::new(),
            records_agree: false,
            empty: AutoCommit::new(),
            idle: false,
            failed: false,
            total: ImportReport::default(),
            started_at: at,
            keyed: HashSet::new(),
            keyed_at: Vec::new(),
        })
    }

    /// The peer device, once its Hello has been accepted.
    pub fn peer(&self) -> Option<DeviceId> {
        self.peer.as_ref().map(|p| p.device)
    }

    /// Everything the session applied, held or quarantined so far.
    pub fn report(&self) -> &ImportReport {
        &self.total
    }

    /// Whether the handshake is complete and this side has nothing to send
    /// until the peer sends again. Both sides done and no frame in transit:
    /// the session is over.
    pub fn is_done(&self) -> bool {
        self.authenticated && self.idle && !self.failed
    }

    fn alive(&self) -> Result<(), SyncError> {
        if self.failed {
            return Err(malformed("the session was closed after an error"));
        }
        Ok(())
    }

    /// The next frame to send, or `None` when there is nothing to send now.
    pub fn poll(&mut self, replica: &mut Replica) -> Result<Option<Vec<u8>>, SyncError> {
        self.alive()?;
        replica.require_resident("online sync")?;
        let out = self.poll_inner(replica);
        match &out {
            Err(_) => self.failed = true,
            Ok(None) => self.idle = true,
            Ok(Some(_)) => self.idle = false,
        }
        out
    }

    fn poll_inner(&mut self, replica: &mut Replica) -> Result<Option<Vec<u8>>, SyncError> {
        let team = replica.team()?;
        if self.sent == 0 {
            let epoch = team.current_epoch();
            let hello = Body::Hello(Hello {
                team_id: self.team_id,
                device: self.me,
                epoch,
                nonce: self.nonce,
            });
            let plain = wire::wraps(&team, epoch)?;
            return self.seal(replica, &team, &plain, &hello).map(Some);
        }
        let Some(peer) = &self.peer else {
            return Ok(None);
        };
        if self.sent == 1 {
            let signature = replica
                .keys
                .sign(&proof_message(
                    &self.team_id,
                    (&self.me, &self.nonce),
                    (&peer.device, &peer.nonce),
                ))
                .to_vec();
            let peer_member = standing_error(team.standing(&peer.device))?;
            let holdings = holdings::recorded(replica, &peer_member);
            let proof = Body::ProofHolding {
                signature,
                holdings,
            };
            return self.seal(replica, &team, &[], &proof).map(Some);
        }
        if !self.authenticated {
            return Ok(None);
        }
        // Rights are judged by the team as this device knows it now.
        let peer_member = standing_error(team.standing(&peer.device))?;
        if self.team_settled {
            let ids: Vec<String> = (&replica.cases)
                .into_iter()
                .filter(|(id, doc)| {
                    !self.docs.contains_key(*id)
                        && team.may_access(
                            &peer_member,
                            id,
                            Replica::creator_of(&team, id, doc).as_deref(),
                        )
                })
                .map(|(id, _)| id.clone())
                .collect();
            for id in ids {
                // Left out while neither side changed it since they last
                // synced; opened if the peer writes about it.
                if self.records_agree && holdings::in_step(replica, &peer_member, &id) {
                    continue;
                }
                self.docs.insert(id, DocSync::default());
            }
        }
        // Changes this device has but cannot apply yet, with what they
        // build on: held for missing dependencies, or quarantined only
        // because they build on a change held back for its copy's bad
        // signature (which is then asked for again, see `refused_in`).
        let mut held: HashMap<String, HashMap<ChangeHash, Vec<ChangeHash>>> = HashMap::new();
        let waiting = replica
            .quarantine
            .values()
            .filter(|q| q.reason.code == crate::quarantine::DEPENDS)
            .map(|q| (&q.doc_id, &q.bytes));
        for (doc_id, bytes) in replica
            .held
            .iter()
            .map(|h| (&h.doc_id, &h.bytes))
            .chain(waiting)
        {
            if let Ok(c) = Change::from_bytes(bytes.clone()) {
                held.entry(doc_id.clone())
                    .or_default()
                    .insert(c.hash(), c.deps().to_vec());
            }
        }
        let order: Vec<String> = std::iter::once(TEAM_DOC_ID.to_string())
            .chain(self.docs.keys().filter(|k| *k != TEAM_DOC_ID).cloned())
            .collect();
        self.tend_keys(replica, &team, &peer_member, &order)?;
        let mut out = Vec::new();
        let mut size = 0;
        for doc_id in order {
            if size > FRAME_BUDGET {
                break;
            }
            let ds = self.docs.entry(doc_id.clone()).or_default();
            if ds.refused || ds.not_permitted {
                continue;
            }
            let quarantined = replica.refused_in(&doc_id);
            let doc = if doc_id == TEAM_DOC_ID {
                &mut replica.team.doc
            } else if let Some(d) = replica.cases.get_mut(&doc_id) {
                // Never a case the peer may not see, even if it asked.
                if !team.may_access(
                    &peer_member,
                    &doc_id,
                    Replica::creator_of(&team, &doc_id, d).as_deref(),
                ) {
                    continue;
                }
                d
            } else {
                // A case the peer offered that this device lacks: an empty
                // document answers, which reveals nothing.
                &mut self.empty
            };
            let Some(mut msg) = doc.sync().generate_sync_message(&mut ds.state) else {
                continue;
            };
            let no_held = HashMap::new();
            msg.need = need(
                doc,
                held.get(&doc_id).unwrap_or(&no_held),
                &quarantined,
                &ds.their_heads,
            );
            let outgoing = outgoing_changes(&mut msg, doc)?;
            let (mut covering, bare) =
                crate::vouch::covering(&doc_id, &outgoing, &replica.signatures);
            if !bare.is_empty() {
                // The refused changes that vouched for them go beside them,
                // as proof (`witness`).
                let witnesses = replica.witnesses(&doc_id, &bare);
                tracing::warn!(
                    doc = %doc_id,
                    changes = bare.len(),
                    witnesses = witnesses.len(),
                    "changes no signature held here vouches for: sent with the refused changes that vouched for them"
                );
                let mut chunks: Vec<Vec<u8>> = msg.changes.iter().map(|c| c.to_vec()).collect();
                for (c, own) in witnesses {
                    covering.extend(own.map(|s| (c.hash(), s)));
                    chunks.push(c.raw_bytes().to_vec());
                }
                msg.changes = ChunkList::from(chunks);
            }
            let signatures: Vec<ChangeSig> = covering
                .into_iter()
                .map(|(hash, signature)| ChangeSig {
                    hash: hash.0,
                    signature: signature.to_vec(),
                })
                .collect();
            let quiet = msg.changes.is_empty();
            let bytes = msg.encode();
            // A case this device holds goes under its case key; one it
            // lacks is answered in the clear (an empty document's message
            // carries no content).
            let sealing = doc_id != TEAM_DOC_ID && replica.cases.contains_key(&doc_id);
            if quiet {
                let repeat = ds.last_quiet.as_ref() == Some(&bytes) && !ds.got_changes;
                if repeat || ds.quiet >= MAX_QUIET {
                    ds.stalled = true;
                    continue;
                }
                ds.quiet += 1;
                ds.last_quiet = Some(bytes.clone());
            } else {
                ds.quiet = 0;
                ds.last_quiet = None;
            }
            ds.got_changes = false;
            size += bytes.len() + signatures.len() * 100;
            let message = DocMessage {
                doc_id,
                message: bytes,
                signatures,
                key_id: None,
            };
            out.push(if sealing {
                match message.seal(replica)? {
                    Some(m) => m,
                    None => continue,
                }
            } else {
                message
            });
        }
        if !self.team_settled && self.docs.get(TEAM_DOC_ID).is_some_and(|d| d.stalled) {
            self.team_settled = true;
        }
        if out.is_empty() {
            return Ok(None);
        }
        self.seal(replica, &team, &[], &Body::Sync { docs: out })
            .map(Some)
    }

    /// Tends the keys of the cases about to be sent to the peer (see
    /// `case_keys`), once per case until the team document changes.
    fn tend_keys(
        &mut self,
        replica: &mut Replica,
        team: &TeamDoc,
        peer_member: &str,
        order: &[String],
    ) -> Result<(), SyncError> {
        let heads = replica.team.doc.get_heads();
        if heads != self.keyed_at {
            self.keyed.clear();
        }
        let need: Vec<String> = order
            .iter()
            .filter(|id| !self.keyed.contains(*id))
            .filter(|id| {
                replica.cases.get(id).is_some_and(|d| {
                    team.may_access(peer_member, id, Replica::creator_of(team, id, d).as_deref())
                })
            })
            .cloned()
            .collect();
        if !need.is_empty() {
            replica.tend_case_keys(team, &need, self.started_at)?;
            self.keyed.extend(need);
        }
        self.keyed_at = replica.team.doc.get_heads();
        Ok(())
    }

    /// This side's Hello with `inner` as its sealed (compressed) body, as
    /// a modified client writes it.
    #[cfg(test)]
    pub(crate) fn hello_with_body(
        &mut self,
        replica: &Replica,
        inner: &[u8],
    ) -> Result<Vec<u8>, SyncError> {
        let team = replica.team()?;
        let epoch = team.current_epoch();
        let key = replica
            .team_keys
            .get(&epoch)
            .ok_or(SyncError::NoKey { epoch })?;
        let plain = wire::wraps(&team, epoch)?;
        let head = Head {
            team_id: self.team_id,
            epoch,
            sender: self.me,
            counter: 0,
            binding: HELLO_BINDING,
            plain: &plain,
        };
        wire::write_sealed(&head, inner, key, &replica.keys)
    }

    /// The next frame with `body` as given: what a modified client sends.
    #[cfg(test)]
    pub(crate) fn seal_crafted(
        &mut self,
        replica: &Replica,
        body: &Body,
    ) -> Result<Vec<u8>, SyncError> {
        let team = replica.team()?;
        self.seal(replica, &team, &[], body)
    }

    fn seal(
        &mut self,
        replica: &Replica,
        team: &TeamDoc,
        plain: &[u8],
        body: &Body,
    ) -> Result<Vec<u8>, SyncError> {
        let epoch = team.current_epoch();
        let key = replica
            .team_keys
            .get(&epoch)
            .ok_or(SyncError::NoKey { epoch })?;
        let binding = match &self.peer {
            Some(p) if self.sent > 0 => binding(
                &self.team_id,
                (&self.me, &self.nonce),
                (&p.device, &p.nonce),
            ),
            _ => HELLO_BINDING,
        };
        let head = Head {
            team_id: self.team_id,
            epoch,
            sender: self.me,
            counter: self.sent,
            binding,
            plain,
        };
        let out = wire::write(&head, body, key, &replica.keys)?;
        self.sent += 1;
        Ok(out)
    }

    /// Verifies one frame from the peer and applies what it carries. A frame
    /// refused before it is authenticated (damaged, replayed, foreign)
    /// changes nothing and the session goes on; any later failure closes it.
    pub fn receive(
        &mut self,
        replica: &mut Replica,
        frame: &[u8],
    ) -> Result<ImportReport, SyncError> {
        self.alive()?;
        replica.require_resident("online sync")?;
        let (body, key, inflation) = self.open(replica, frame)?;
        self.idle = false;
        let out = self.handle(replica, body, key, inflation);
        if out.is_err() {
            self.failed = true;
        }
        out
    }

    /// Verifies and decrypts one frame: its body, the key it came under if
    /// this device did not hold it, and what its case messages may still
    /// expand to (`None` for a frame of a version before compression).
    fn open(
        &mut self,
        replica: &Replica,
        frame: &[u8],
    ) -> Result<(Body, Option<TeamKey>, Option<Inflation>), SyncError> {
        let f = parse(frame)?;
        if f.team_id != self.team_id {
            return Err(SyncError::WrongTeam { what: WHAT });
        }
        if f.counter != self.received {
            return Err(SyncError::Replayed {
                expected: self.received,
                found: f.counter,
            });
        }
        let binding = match &self.peer {
            None => HELLO_BINDING,
            Some(p) if p.device == f.sender => binding(
                &self.team_id,
                (&p.device, &p.nonce),
                (&self.me, &self.nonce),
            ),
            Some(_) => return Err(SyncError::BadSignature { what: WHAT }),
        };
        let signed = [&frame[..f.sig_start], &binding].concat();
        let sig: [u8; 64] = frame[f.sig_start..]
            .try_into()
            .map_err(|_| malformed("signature"))?;
        if !f.sender.verify(&signed, &sig) {
            return Err(SyncError::BadSignature { what: WHAT });
        }
        if f.counter == 0 && f.sender == self.me {
            return Err(SyncError::Denied(
                "the peer claims to be this very device".into(),
            ));
        }
        // Every frame, before its body is decrypted or decoded: the peer
        // may have been revoked by team changes this session brought.
        standing_error(replica.team()?.standing(&f.sender))?;
        // The Hello carries the sender's epoch key sealed to every device;
        // the one sealed to this device reads the peer's frames of that
        // epoch when this device holds no key of it that does. It is judged
        // against the team document and never kept (see `keys.rs`).
        let wraps: Vec<(DeviceId, u32, Vec<u8>)> = if f.counter == 0 {
            postcard::from_bytes(f.plain).map_err(|e| malformed(format!("key wraps: {e}")))?
        } else {
            Vec::new()
        };
        let offered = || {
            if f.counter == 0 {
                wraps
                    .iter()
                    .find(|(d, e, _)| *d == self.me && *e == f.epoch)
                    .and_then(|(_, e, w)| TeamKey::open(*e, w, &replica.keys))
            } else {
                self.offered.clone()
            }
        };
        let aad = [&frame[..f.body_start], &binding].concat();
        let sealed = &frame[f.body_start..f.sig_start];
        let (plain, input_key) = replica.read_with(f.epoch, offered, WHAT, |key| {
            crypto::open(&key.key, &aad, sealed)
        })?;
        let left = if f.counter < 2 {
            MAX_HANDSHAKE_INFLATED
        } else {
            MAX_INFLATED
        };
        let mut inflation =
            (f.version >= COMPRESSED_SINCE).then_some(Inflation { left, what: WHAT });
        let plain = match &mut inflation {
            Some(inflation) => match inflation.expand(&plain) {
                Ok(plain) => plain,
                Err(e) => {
                    // The peer, authenticated by its Hello, sent what no
                    // honest one writes: the session ends here. (A Hello
                    // binds no peer yet: anyone may send one, and it
                    // ends nothing.)
                    if self.peer.is_some() {
                        self.failed = true;
                    }
                    return Err(e);
                }
            },
            None => plain,
        };
        let body: Body =
            postcard::from_bytes(&plain).map_err(|e| malformed(format!("body: {e}")))?;
        match (&body, f.counter) {
            (Body::Hello(h), 0)
                if h.team_id == f.team_id && h.device == f.sender && h.epoch == f.epoch => {}
            (Body::Proof { .. } | Body::ProofHolding { .. }, 1) | (Body::Sync { .. }, 2..) => {}
            _ => {
                return Err(malformed(format!(
                    "frame {} is not what the handshake expects",
                    f.counter
                )));
            }
        }
        Ok((body, input_key, inflation))
    }

    fn handle(
        &mut self,
        replica: &mut Replica,
        body: Body,
        key: Option<TeamKey>,
        inflation: Option<Inflation>,
    ) -> Result<ImportReport, SyncError> {
        let mut report = ImportReport::default();
        match body {
            Body::Hello(h) => {
                let member = standing_error(replica.team()?.standing(&h.device))?;
                if self.expected_member.as_ref().is_some_and(|m| *m != member) {
                    return Err(SyncError::Denied(
                        "the peer device belongs to another member than expected".into(),
                    ));
                }
                if let Some(k) = &key {
                    replica.judge_input_key(replica.team.automerge(), k, WHAT)?;
                }
                self.offered = key;
                self.peer = Some(Peer {
                    device: h.device,
                    nonce: h.nonce,
                });
            }
            Body::Proof { signature } => self.accept_proof(replica, key, &signature, None)?,
            Body::ProofHolding {
                signature,
                holdings,
            } => self.accept_proof(replica, key, &signature, Some(holdings))?,
            Body::Sync { docs } => {
                self.apply(replica, docs, key.as_ref(), inflation, &mut report)?
            }
        }
        if let Some(p) = &self.peer {
            report.sender = p.device.to_hex();
        }
        self.received += 1;
        self.add_to_total(&report);
        Ok(report)
    }

    /// Checks the peer's Proof; with version 4's, compares its record of
    /// what this device holds with this device's record of it
    /// (`holdings`).
    fn accept_proof(
        &mut self,
        replica: &Replica,
        key: Option<TeamKey>,
        signature: &[u8],
        holdings: Option<[u8; 32]>,
    ) -> Result<(), SyncError> {
        if let Some(k) = &key {
            replica.judge_input_key(replica.team.automerge(), k, WHAT)?;
        }
        let peer = self
            .peer
            .as_ref()
            .ok_or_else(|| malformed("a proof before the Hello"))?;
        let sig: [u8; 64] = signature
            .try_into()
            .map_err(|_| malformed("the proof is not 64 bytes"))?;
        let m = proof_message(
            &self.team_id,
            (&peer.device, &peer.nonce),
            (&self.me, &self.nonce),
        );
        if !peer.device.verify(&m, &sig) {
            return Err(SyncError::BadSignature {
                what: "session proof",
            });
        }
        if let Some(theirs) = holdings {
            let member = standing_error(replica.team()?.standing(&peer.device))?;
            self.records_agree = theirs == holdings::recorded(replica, &member);
        }
        self.authenticated = true;
        Ok(())
    }

    fn apply(
        &mut self,
        replica: &mut Replica,
        docs: Vec<DocMessage>,
        input_key: Option<&TeamKey>,
        mut inflation: Option<Inflation>,
        report: &mut ImportReport,
    ) -> Result<(), SyncError> {
        let peer = self
            .peer
            .as_ref()
            .ok_or_else(|| malformed("sync before the Hello"))?
            .device;
        let mut messages = Vec::with_capacity(docs.len());
        let mut entries: Vec<Entry> = Vec::with_capacity(docs.len());
        let mut ids = HashSet::new();
        let mut budget = Budget::new(MAX_CHANGE_OPS, MAX_OPS);
        let mut frame_wraps = None;
        for d in docs {
            if d.doc_id.is_empty() || d.doc_id.len() > 200 || !ids.insert(d.doc_id.clone()) {
                return Err(malformed("a document id is empty, too long or repeated"));
            }
            if self
                .docs
                .get(&d.doc_id)
                .is_some_and(|s| s.refused || s.not_permitted)
            {
                continue;
            }
            let d = if d.key_id.is_some() {
                // The case key may come with this frame's team changes,
                // whose wraps are read once for all its cases.
                let team_changes = entries
                    .first()
                    .filter(|(id, c, _)| id == TEAM_DOC_ID && !c.is_empty())
                    .map(|(_, c, _)| c);
                let doc_id = d.doc_id.clone();
                match d.open(replica, team_changes, &mut frame_wraps, inflation.as_mut())? {
                    Some(d) => d,
                    None => {
                        report.not_permitted += 1;
                        self.docs.entry(doc_id).or_default().not_permitted = true;
                        continue;
                    }
                }
            } else {
                d
            };
            let whole_documents = inflation.is_some();
            let (msg, changes, refused) =
                d.decode(&replica.team_id, &mut budget, whole_documents)?;
            report.quarantined.extend(refused);
            entries.push((d.doc_id.clone(), changes, msg.heads.clone()));
            messages.push((d.doc_id, msg));
        }
        let before = (report.applied, report.quarantined.len());
        let team_before = replica.team.doc.get_heads();
        let (_, not_permitted) =
            replica.commit_entries(&peer, entries, input_key.map(|k| (k, WHAT)), report)?;
        if replica.team.doc.get_heads() != team_before {
            // Access may have been granted: cases set aside as not permitted
            // start their exchange again.
            for ds in self.docs.values_mut().filter(|ds| ds.not_permitted) {
                *ds = DocSync::default();
            }
        }
        if (report.applied, report.quarantined.len()) != before {
            replica.audit(
                "sync.session",
                format!(
                    "session with device {}: {} applied, {} quarantined",
                    peer.to_hex(),
                    report.applied - before.0,
                    report.quarantined.len() - before.1
                ),
            );
        }
        for (doc_id, mut msg) in messages {
            let ds = self.docs.entry(doc_id.clone()).or_default();
            // Refused ids (reported by `commit_entries`) are not synced
            // further in this session, like cases this device may not see.
            if !crate::team::is_document_id(&doc_id) {
                ds.refused = true;
                continue;
            }
            if not_permitted.contains(&doc_id) {
                ds.not_permitted = true;
                continue;
            }
            let had_changes = !msg.changes.is_empty();
            if had_changes {
                ds.got_changes = true;
                ds.quiet = 0;
            }
            ds.their_heads = msg.heads.clone();
            ds.heard = true;
            // The changes were judged above; Automerge only updates what it
            // knows of the peer.
            msg.changes = ChunkList::empty();
            let doc = if doc_id == TEAM_DOC_ID {
                &mut replica.team.doc
            } else {
                replica.cases.get_mut(&doc_id).unwrap_or(&mut self.empty)
            };
            let last_sent = ds.state.last_sent_heads.clone();
            doc.sync()
                .receive_sync_message(&mut ds.state, msg)
                .map_err(doc_err)?;
            if had_changes {
                // Seeing no changes and the peer's heads equal to ours,
                // Automerge would assume the peer already knows our heads
                // and never tell it that its changes arrived.
                ds.state.last_sent_heads = last_sent;
            }
        }
        if !self.team_settled
            && let Some(ds) = self.docs.get(TEAM_DOC_ID)
            && ds.heard
        {
            let quarantined = replica.quarantined_in(TEAM_DOC_ID);
            let doc = &mut replica.team.doc;
            self.team_settled = ds
                .their_heads
                .iter()
                .all(|h| quarantined.contains(h) || doc.get_change_by_hash(h).is_some());
        }
        Ok(())
    }

    fn add_to_total(&mut self, r: &ImportReport) {
        let t = &mut self.total;
        t.sender.clone_from(&r.sender);
        t.applied += r.applied;
        t.already_had += r.already_had;
        t.held = r.held;
        t.not_permitted += r.not_permitted;
        t.quarantined.extend(r.quarantined.iter().cloned());
        for d in &r.docs_changed {
            if !t.docs_changed.contains(d) {
                t.docs_changed.push(d.clone());
            }
        }
    }
}
