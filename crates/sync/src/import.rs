//! Importing a bundle: verify the file, then check every change before it
//! is applied. See `bundle.rs` for the format.

use std::collections::{BTreeMap, HashMap, HashSet};

use automerge::{AutoCommit, Change, ChangeHash};
use caravan_model::DocKind;
use serde::Serialize;

use crate::bundle::{Body, Limits, WHAT, parse};
use crate::chunk::{self, Budget};
use crate::crypto;
use crate::error::{SyncError, doc_err};
use crate::identity::DeviceId;
use crate::keys::TeamKey;
use crate::quota::{self, Admission};
use crate::replica::{Held, Quarantined, Replica};
use crate::team::{Standing, TEAM_DOC_ID, Team, TeamDoc, TeamId};
use crate::trust::{self, Context, Rejection};

/// What an import did, for people and for scripts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// Device that sent the bundle (hex).
    pub sender: String,
    pub applied: usize,
    pub already_had: usize,
    /// Changes now waiting for changes they build on (all documents).
    pub held: usize,
    pub quarantined: Vec<QuarantineNote>,
    /// Case documents in the bundle this device may not see (not applied).
    pub not_permitted: usize,
    pub docs_changed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuarantineNote {
    pub doc_id: String,
    pub hash: String,
    pub code: String,
    pub message: String,
}

/// Heads of one document recorded for a member, at most.
pub(crate) const MAX_PEER_HEADS: usize = 64;

/// One document's incoming changes (with their signatures) and the
/// sender's heads of that document.
pub(crate) type Entry = (String, Vec<(Change, [u8; 64])>, Vec<ChangeHash>);

impl Replica {
    /// Verifies and applies a bundle. Bundle-level failures (format, team,
    /// signature, sender) change nothing. Within a valid bundle, each change
    /// is checked on its own: trusted ones are applied, failing ones (and
    /// those that build on them) are quarantined, and those whose
    /// dependencies are missing are held until they arrive.
    pub fn import(&mut self, bytes: &[u8], limits: &Limits) -> Result<ImportReport, SyncError> {
        let parsed = parse(bytes, limits)?;
        let h = &parsed.header;
        if h.team_id != self.team_id {
            return Err(SyncError::WrongTeam);
        }
        // A sender this device knows to be revoked is refused before its
        // bytes are hashed, decrypted or decoded. A sender it does not know
        // may have been enrolled after its copy of the team document: the
        // bundle is read (it needs the team key, every size is bounded) and
        // refused after its team changes unless they make the sender an
        // active member (`commit_entries`).
        if matches!(
            self.team.view()?.standing(&h.sender),
            Standing::Revoked { .. }
        ) {
            return Err(SyncError::SenderRevoked);
        }
        if !h.sender.verify(parsed.signed, &parsed.signature) {
            return Err(SyncError::BadSignature { what: WHAT });
        }
        let key = match self.team_keys.get(&h.epoch) {
            Some(k) => k.clone(),
            None => h
                .wraps
                .iter()
                .find(|(d, e, _)| *d == self.device() && *e == h.epoch)
                .and_then(|(_, e, w)| TeamKey::open(*e, w, &self.keys))
                .ok_or(SyncError::NoKey { epoch: h.epoch })?,
        };
        let aad_len = parsed.signed.len() - parsed.body.len();
        let plain = crypto::open(&key.key, &parsed.signed[..aad_len], parsed.body)
            .ok_or(SyncError::BadSignature { what: WHAT })?;
        let body: Body = postcard::from_bytes(&plain).map_err(|e| SyncError::Malformed {
            what: WHAT,
            detail: format!("body: {e}"),
        })?;
        let mut report = ImportReport {
            sender: h.sender.to_hex(),
            ..Default::default()
        };
        let entries = self.decode_entries(&body, limits, &mut report)?;
        // Documents with nothing new carry only the sender's heads: they are
        // not judged (there is nothing to apply), but the heads tell this
        // device what the sender holds.
        let (entries, heads_only): (Vec<Entry>, Vec<Entry>) =
            entries.into_iter().partition(|(_, c, _)| !c.is_empty());
        let (sender_member, _) =
            self.commit_entries(&h.sender, &entries, Some(key), &mut report)?;
        for (doc_id, _, heads) in heads_only {
            self.note_peer_heads(&sender_member, &doc_id, &heads);
        }
        self.audit(
            "sync.import",
            format!(
                "bundle from device {}: {} applied, {} already held, {} held back, {} quarantined, {} not permitted",
                report.sender,
                report.applied,
                report.already_had,
                report.held,
                report.quarantined.len(),
                report.not_permitted
            ),
        );
        Ok(report)
    }

    /// Judges every change of `entries` (sent by device `sender`) and
    /// commits the outcome; shared by bundle import and online sessions so
    /// both apply exactly the same checks. Everything is staged and only
    /// committed once all entries have been judged: on error nothing is
    /// written. `key` is an epoch key that came with the input, kept on
    /// success. Returns the sender's member id and the case documents this
    /// device may not see (left out, counted in `report.not_permitted`).
    pub(crate) fn commit_entries(
        &mut self,
        sender: &DeviceId,
        entries: &[Entry],
        key: Option<TeamKey>,
        report: &mut ImportReport,
    ) -> Result<(String, Vec<String>), SyncError> {
        let me = self.device();
        let mut not_permitted = Vec::new();
        let mut work = Work {
            held: self.held.clone(),
            quarantine: Vec::new(),
            quarantined: self.quarantined.clone(),
            sigs: Vec::new(),
            unsigned: HashSet::new(),
            report,
        };

        // The team document first: the sender must be an active member in
        // the team as it stands after these changes.
        let mut team_doc = self.team.automerge().clone();
        if let Some((_, changes, _)) = entries.iter().find(|(id, _, _)| id == TEAM_DOC_ID) {
            integrate(
                &mut team_doc,
                TEAM_DOC_ID,
                changes,
                &mut work,
                Authority::Live,
                &self.team_id,
                DocKind::Team,
                &me,
            )?;
        }
        let team: TeamDoc = autosurgeon::hydrate(&team_doc).map_err(doc_err)?;
        let sender_member = match team.standing(sender) {
            Standing::Active { member, .. } => member,
            Standing::Revoked { .. } => return Err(SyncError::SenderRevoked),
            Standing::Unknown => return Err(SyncError::UnknownSender),
        };
        let Standing::Active {
            member: my_member, ..
        } = team.standing(&me)
        else {
            return Err(SyncError::Denied(
                "this device is no longer an active member of the team".into(),
            ));
        };

        // Case documents are independent of each other once the team is
        // settled: judge them in parallel, each thread with its own staging.
        let mut jobs: Vec<CaseJob<'_>> = Vec::new();
        for (doc_id, changes, _) in entries.iter().filter(|(id, _, _)| id != TEAM_DOC_ID) {
            if !crate::team::is_case_id(doc_id) {
                // Never stored, never judged: a document id with a second
                // spelling could land on another document's storage.
                for (c, _) in changes {
                    work.report.quarantined.push(QuarantineNote {
                        doc_id: doc_id.clone(),
                        hash: c.hash().to_string(),
                        code: "sync.bad_case_id".into(),
                        message: "the document id is not a case id (32 lower-case hex digits, not all zero)".into(),
                    });
                }
                continue;
            }
            let doc = self
                .cases
                .get(doc_id)
                .cloned()
                .unwrap_or_else(|| AutoCommit::new().with_actor(me.actor()));
            let creator = Replica::creator_of(&team, doc_id, &doc).or_else(|| {
                // A case new to this device: its opener is the author of the
                // first change its id is derived from, if that has come.
                let genesis = changes.iter().find(|(c, _)| {
                    c.deps().is_empty() && crate::team::case_id_of(&c.hash()) == *doc_id
                })?;
                let device = DeviceId::from_actor(genesis.0.actor_id())?;
                team.devices.get(&device.to_hex()).map(|d| d.member.clone())
            });
            if !team.may_access(&my_member, doc_id, creator.as_deref()) {
                work.report.not_permitted += 1;
                not_permitted.push(doc_id.clone());
                continue;
            }
            jobs.push(CaseJob {
                doc_id,
                doc,
                changes,
                creator,
            });
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        let mut lanes: Vec<Vec<CaseJob<'_>>> = (0..threads.min(jobs.len().max(1)))
            .map(|_| Vec::new())
            .collect();
        for (i, job) in jobs.into_iter().enumerate() {
            let lane = i % lanes.len();
            lanes[lane].push(job);
        }
        let team_id = self.team_id;
        let held_before = std::mem::take(&mut work.held);
        let run_lane = |lane: Vec<CaseJob<'_>>| -> Result<LaneOutcome, SyncError> {
            let mut report = ImportReport::default();
            let mut lane_work = Work {
                held: held_before
                    .iter()
                    .filter(|h| lane.iter().any(|j| j.doc_id == &h.doc_id))
                    .cloned()
                    .collect(),
                quarantine: Vec::new(),
                quarantined: self.quarantined.clone(),
                sigs: Vec::new(),
                unsigned: HashSet::new(),
                report: &mut report,
            };
            let mut staged = Vec::new();
            for mut job in lane {
                let authority = Authority::Fixed {
                    team: &team,
                    creator: job.creator.as_deref(),
                };
                if integrate(
                    &mut job.doc,
                    job.doc_id,
                    job.changes,
                    &mut lane_work,
                    authority,
                    &team_id,
                    DocKind::Case,
                    &me,
                )? {
                    staged.push((job.doc_id.clone(), job.doc));
                }
            }
            let Work {
                held,
                quarantine,
                quarantined,
                sigs,
                unsigned,
                ..
            } = lane_work;
            Ok(LaneOutcome {
                staged,
                held,
                quarantine,
                quarantined,
                sigs,
                unsigned,
                applied: report.applied,
                already_had: report.already_had,
            })
        };
        let outcomes: Vec<Result<LaneOutcome, SyncError>> = if lanes.len() <= 1 {
            lanes.into_iter().map(run_lane).collect()
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = lanes
                    .into_iter()
                    .map(|lane| scope.spawn(|| run_lane(lane)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(SyncError::Document(
                                "a worker judging changes stopped unexpectedly".into(),
                            ))
                        })
                    })
                    .collect()
            })
        };
        // Held changes of documents not in this input stay held.
        work.held = held_before
            .into_iter()
            .filter(|h| {
                !entries
                    .iter()
                    .any(|(id, _, _)| id == &h.doc_id && id != TEAM_DOC_ID)
                    || not_permitted.contains(&h.doc_id)
            })
            .collect();
        let mut staged_cases: BTreeMap<String, AutoCommit> = BTreeMap::new();
        for outcome in outcomes {
            let o = outcome?;
            staged_cases.extend(o.staged);
            work.held.extend(o.held);
            work.quarantine.extend(o.quarantine);
            work.quarantined.extend(o.quarantined);
            work.sigs.extend(o.sigs);
            work.unsigned.extend(o.unsigned);
            work.report.applied += o.applied;
            work.report.already_had += o.already_had;
        }

        // Commit.
        let Work {
            held,
            quarantine,
            mut quarantined,
            sigs,
            unsigned,
            report,
        } = work;
        if self.team.automerge_mut().get_heads() != team_doc.get_heads() {
            report.docs_changed.push(TEAM_DOC_ID.into());
        }
        self.team = Team::from_automerge(team_doc.with_actor(me.actor()));
        if let Some(key) = key {
            self.team_keys.entry(key.epoch).or_insert(key);
        }
        self.adopt_sealed_keys(&team);
        for (id, doc) in staged_cases {
            report.docs_changed.push(id.clone());
            self.cases.insert(id, doc);
        }
        self.signatures.extend(sigs);
        // What is kept of the held and quarantined changes: those stored
        // before stay; new ones are charged to their accountable device
        // and kept within its quota (`quota`).
        let before: HashMap<(String, String), String> = self
            .held
            .iter()
            .map(|h| ((h.doc_id.clone(), h.hash.clone()), h.owner.clone()))
            .collect();
        let mut admission = Admission::new(
            self.quota,
            self.quarantine
                .iter()
                .map(|q| (q.owner.as_str(), q.bytes.len()))
                .chain(held.iter().filter_map(|h| {
                    before
                        .get(&(h.doc_id.clone(), h.hash.clone()))
                        .map(|o| (o.as_str(), h.bytes.len()))
                })),
        );
        let signed = |hash: &str| {
            hash.parse::<ChangeHash>()
                .is_ok_and(|h| !unsigned.contains(&h))
        };
        for mut q in quarantine {
            q.owner = quota::owner(q.author.as_deref(), signed(&q.hash), &team, &me, sender);
            if !admission.admit(&q.owner, &q.doc_id, &q.hash, q.bytes.len()) {
                if let Ok(h) = q.hash.parse::<ChangeHash>() {
                    quarantined.remove(&h);
                }
                continue;
            }
            report.quarantined.push(QuarantineNote {
                doc_id: q.doc_id.clone(),
                hash: q.hash.clone(),
                code: q.reason.code.clone(),
                message: q.reason.message.clone(),
            });
            self.quarantine.push(q);
        }
        let mut kept = Vec::with_capacity(held.len());
        for mut h in held {
            if let Some(owner) = before.get(&(h.doc_id.clone(), h.hash.clone())) {
                h.owner.clone_from(owner);
                kept.push(h);
                continue;
            }
            h.owner = quota::owner(h.author.as_deref(), signed(&h.hash), &team, &me, sender);
            if admission.admit(&h.owner, &h.doc_id, &h.hash, h.bytes.len()) {
                kept.push(h);
            }
        }
        report.quarantined.extend(admission.notes());
        self.held = kept;
        self.quarantined = quarantined;
        for (doc_id, _, heads) in entries {
            self.note_peer_heads(&sender_member, doc_id, heads);
        }
        self.generation += 1;
        report.held = self.held.len();
        Ok((sender_member, not_permitted))
    }

    /// Records what a member holds of a document, for the bundles written
    /// for it: only of documents this device holds (it exports no other),
    /// and only a handful of heads (Automerge documents have one or a few;
    /// with more, nothing is recorded and the next bundle carries all).
    pub(crate) fn note_peer_heads(&mut self, member: &str, doc_id: &str, heads: &[ChangeHash]) {
        let key = (member.to_string(), doc_id.to_string());
        let held_here = doc_id == TEAM_DOC_ID || self.cases.contains_key(doc_id);
        if held_here && heads.len() <= MAX_PEER_HEADS {
            self.peer_heads.insert(key, heads.to_vec());
        } else {
            self.peer_heads.remove(&key);
        }
    }

    /// Opens every epoch key in the team document sealed to this device.
    fn adopt_sealed_keys(&mut self, team: &TeamDoc) {
        let me = self.device().to_hex();
        for (epoch, e) in &team.key_epochs {
            let Ok(epoch) = epoch.parse::<u32>() else {
                continue;
            };
            if self.team_keys.contains_key(&epoch) {
                continue;
            }
            if let Some(k) = e
                .wraps
                .get(&me)
                .and_then(|w| hex::decode(w).ok())
                .and_then(|w| TeamKey::open(epoch, &w, &self.keys))
            {
                self.team_keys.insert(epoch, k);
            }
        }
    }
}

impl Replica {
    /// Decodes a bundle body's documents. A change this device already
    /// holds (or has quarantined) is recognised by its hash, counted and
    /// not parsed. Every other change is read within bounds first
    /// (`chunk::read_change`): one that is compressed, or holds more
    /// operations than allowed, is refused on its own and noted in
    /// `report`; the rest of the bundle goes on.
    fn decode_entries(
        &mut self,
        body: &Body,
        limits: &Limits,
        report: &mut ImportReport,
    ) -> Result<Vec<Entry>, SyncError> {
        let mut budget = Budget::new(limits.max_change_ops, limits.max_ops);
        let mut out = Vec::with_capacity(body.docs.len());
        for d in &body.docs {
            if d.doc_id.is_empty() || d.doc_id.len() > 200 {
                return Err(SyncError::Malformed {
                    what: WHAT,
                    detail: "a document id is empty or too long".into(),
                });
            }
            let mut changes = Vec::with_capacity(d.changes.len());
            for c in &d.changes {
                if c.bytes.len() > limits.max_change {
                    return Err(SyncError::TooLarge {
                        what: WHAT,
                        detail: format!("a change of {} bytes", c.bytes.len()),
                    });
                }
                let sig: [u8; 64] =
                    c.signature
                        .as_slice()
                        .try_into()
                        .map_err(|_| SyncError::Malformed {
                            what: WHAT,
                            detail: "a signature is not 64 bytes".into(),
                        })?;
                if let Some(hash) = chunk::change_hash(&c.bytes)
                    && self.holds(&d.doc_id, &hash)
                {
                    report.already_had += 1;
                    continue;
                }
                match chunk::read_change(&c.bytes, &mut budget) {
                    Ok(change) => changes.push((change, sig)),
                    Err(refused) => match refused.rejection() {
                        Some(reason) => report.quarantined.push(QuarantineNote {
                            doc_id: d.doc_id.clone(),
                            hash: chunk::hash_as_received(&c.bytes),
                            code: reason.code,
                            message: reason.message,
                        }),
                        None => {
                            return Err(SyncError::Malformed {
                                what: WHAT,
                                detail: format!("a change: {}", refused.detail()),
                            });
                        }
                    },
                }
            }
            out.push((
                d.doc_id.clone(),
                changes,
                d.heads.iter().map(|h| ChangeHash(*h)).collect(),
            ));
        }
        Ok(out)
    }

    /// Whether this device holds, or has quarantined, a change of a document.
    pub(crate) fn holds(&mut self, doc_id: &str, hash: &ChangeHash) -> bool {
        self.quarantined.contains(hash)
            || self
                .doc_mut(doc_id)
                .is_some_and(|d| d.get_change_meta_by_hash(hash).is_some())
    }
}

/// One case document to judge.
struct CaseJob<'e> {
    doc_id: &'e String,
    doc: AutoCommit,
    changes: &'e [(Change, [u8; 64])],
    creator: Option<String>,
}

/// What one worker judged.
struct LaneOutcome {
    staged: Vec<(String, AutoCommit)>,
    held: Vec<Held>,
    quarantine: Vec<Quarantined>,
    quarantined: HashSet<ChangeHash>,
    sigs: Vec<(ChangeHash, [u8; 64])>,
    unsigned: HashSet<ChangeHash>,
    applied: usize,
    already_had: usize,
}

pub(crate) struct Work<'r> {
    pub(crate) held: Vec<Held>,
    pub(crate) quarantine: Vec<Quarantined>,
    pub(crate) quarantined: HashSet<ChangeHash>,
    pub(crate) sigs: Vec<(ChangeHash, [u8; 64])>,
    /// Changes whose signature does not check out.
    pub(crate) unsigned: HashSet<ChangeHash>,
    pub(crate) report: &'r mut ImportReport,
}

/// Whose standing and roles judge a document's changes.
pub(crate) enum Authority<'a> {
    /// A case: judged by the team as it stands after the bundle's team changes.
    Fixed {
        team: &'a TeamDoc,
        creator: Option<&'a str>,
    },
    /// The team document itself: judged by its own state before each change.
    Live,
}

/// Checks and applies changes to one document in dependency order. Returns
/// whether the document changed.
#[allow(clippy::too_many_arguments)]
pub(crate) fn integrate(
    doc: &mut AutoCommit,
    doc_id: &str,
    incoming: &[(Change, [u8; 64])],
    work: &mut Work<'_>,
    authority: Authority<'_>,
    team_id: &TeamId,
    kind: DocKind,
    me: &DeviceId,
) -> Result<bool, SyncError> {
    let mut pending: Vec<(Change, [u8; 64])> = Vec::new();
    let mut seen = HashSet::new();
    // Changes held from earlier imports get another chance.
    let (retry, keep): (Vec<Held>, Vec<Held>) = std::mem::take(&mut work.held)
        .into_iter()
        .partition(|h| h.doc_id == doc_id);
    work.held = keep;
    for h in retry {
        if let (Ok(c), Ok(sig)) = (
            Change::from_bytes(h.bytes.clone()),
            <[u8; 64]>::try_from(h.signature.as_slice()),
        ) && seen.insert(c.hash())
        {
            pending.push((c, sig));
        }
    }
    for (c, sig) in incoming {
        let hash = c.hash();
        if doc.get_change_meta_by_hash(&hash).is_some() || work.quarantined.contains(&hash) {
            work.report.already_had += 1;
        } else if seen.insert(hash) {
            pending.push((c.clone(), *sig));
        }
    }
    if pending.is_empty() {
        return Ok(false);
    }
    let bad_signatures = trust::unsigned_changes(team_id, doc_id, &pending);
    work.unsigned.extend(bad_signatures.iter().copied());
    let mut live_team: Option<TeamDoc> = None;
    // Each change is judged in its author's view (see `analyze`). Case
    // changes accepted are applied together, as late as possible: before a
    // change that touches what they wrote, and at the end. Team changes
    // change the judge, so they are applied one by one.
    let batch = matches!(authority, Authority::Fixed { .. });
    let mut analyzer = crate::analyze::Analyzer::default();
    let mut accepted: HashSet<ChangeHash> = HashSet::new();
    let mut to_apply: Vec<Change> = Vec::new();
    let mut changed = false;
    loop {
        let mut progress = false;
        let mut still = Vec::new();
        for (c, sig) in pending {
            if !c
                .deps()
                .iter()
                .all(|d| accepted.contains(d) || doc.get_change_meta_by_hash(d).is_some())
            {
                if c.deps().iter().any(|d| work.quarantined.contains(d)) {
                    quarantine(
                        work,
                        doc_id,
                        &c,
                        Rejection::new(
                            "sync.depends_on_quarantined",
                            "the change builds on a quarantined change",
                        ),
                    );
                    progress = true;
                } else {
                    still.push((c, sig));
                }
                continue;
            }
            progress = true;
            if analyzer.needs_applied(&c) {
                analyzer.all_applied();
                changed |= flush(doc, doc_id, &mut to_apply, &mut accepted, work)?;
                if c.deps().iter().any(|d| work.quarantined.contains(d)) {
                    quarantine(
                        work,
                        doc_id,
                        &c,
                        Rejection::new(
                            "sync.depends_on_quarantined",
                            "the change builds on a quarantined change",
                        ),
                    );
                    continue;
                }
            }
            let verdict = if DeviceId::from_actor(c.actor_id()).as_ref() == Some(me) {
                // Only this device writes under its actor: a change under it
                // that this device does not hold was forged elsewhere.
                Err(Rejection::new(
                    "sync.own_actor_forged",
                    "the change claims to come from this device, which never made it",
                ))
            } else if bad_signatures.contains(&c.hash()) {
                Err(trust::bad_signature())
            } else {
                match &authority {
                    Authority::Fixed { team, creator } => {
                        let ctx = Context {
                            team_id,
                            team,
                            kind,
                            doc_id,
                            case_creator: *creator,
                        };
                        trust::check_authority(&ctx, doc, &c, &mut analyzer)
                    }
                    Authority::Live => {
                        if live_team.is_none() {
                            live_team =
                                Some(autosurgeon::hydrate(&*doc).unwrap_or_else(|_| empty_team()));
                        }
                        let team = live_team.as_ref().map_or_else(empty_team, Clone::clone);
                        let ctx = Context {
                            team_id,
                            team: &team,
                            kind,
                            doc_id,
                            case_creator: None,
                        };
                        trust::check_authority(&ctx, doc, &c, &mut analyzer)
                    }
                }
            };
            match verdict {
                Ok(_) => {
                    let hash = c.hash();
                    if batch {
                        accepted.insert(hash);
                        analyzer.accepted_unapplied(&c);
                        to_apply.push(c);
                    } else {
                        if let Err(reason) = apply_one(doc, &c)? {
                            quarantine(work, doc_id, &c, reason);
                            continue;
                        }
                        live_team = None;
                        changed = true;
                    }
                    work.sigs.push((hash, sig));
                    work.report.applied += 1;
                }
                Err(reason) => quarantine(work, doc_id, &c, reason),
            }
        }
        pending = still;
        if !progress || pending.is_empty() {
            break;
        }
    }
    changed |= flush(doc, doc_id, &mut to_apply, &mut accepted, work)?;
    for (c, sig) in pending {
        work.held.push(Held {
            doc_id: doc_id.to_string(),
            hash: c.hash().to_string(),
            author: DeviceId::from_actor(c.actor_id()).map(|d| d.to_hex()),
            owner: String::new(),
            bytes: c.raw_bytes().to_vec(),
            signature: sig.to_vec(),
        });
    }
    Ok(changed)
}

/// Applies the accepted changes not applied yet; those Automerge refuses
/// leave `accepted`. Returns whether any change was applied.
fn flush(
    doc: &mut AutoCommit,
    doc_id: &str,
    to_apply: &mut Vec<Change>,
    accepted: &mut HashSet<ChangeHash>,
    work: &mut Work<'_>,
) -> Result<bool, SyncError> {
    if to_apply.is_empty() {
        return Ok(false);
    }
    let changes = std::mem::take(to_apply);
    let applied = apply_accepted(doc, doc_id, &changes, work)?;
    accepted.retain(|h| !work.quarantined.contains(h));
    Ok(applied)
}

/// Applies a document's accepted changes in one call. If Automerge refuses
/// the batch because an author equivocated — two different changes under
/// one actor and sequence number, from a malicious member or a device
/// restored from a copy — they are applied one by one instead: each change
/// that would reuse a sequence number is quarantined (`sync.equivocation`),
/// with what builds on it, and the rest of the import still lands. Automerge
/// checks a whole batch before it applies any of it, so a refused batch has
/// changed nothing. Returns whether any change was applied.
fn apply_accepted(
    doc: &mut AutoCommit,
    doc_id: &str,
    changes: &[Change],
    work: &mut Work<'_>,
) -> Result<bool, SyncError> {
    match doc.apply_changes(changes.iter().cloned()) {
        Ok(()) => return Ok(true),
        Err(automerge::AutomergeError::DuplicateSeqNumber(..)) => {}
        Err(e) => return Err(doc_err(e)),
    }
    let mut applied_any = false;
    for c in changes {
        let outcome = if c.deps().iter().any(|d| work.quarantined.contains(d)) {
            Err(Rejection::new(
                "sync.depends_on_quarantined",
                "the change builds on a quarantined change",
            ))
        } else {
            apply_one(doc, c)?
        };
        match outcome {
            Ok(()) => applied_any = true,
            Err(reason) => {
                // It was counted as accepted when it was judged.
                let hash = c.hash();
                work.report.applied -= 1;
                work.sigs.retain(|(h, _)| *h != hash);
                quarantine(work, doc_id, c, reason);
            }
        }
    }
    Ok(applied_any)
}

/// Applies one judged change; `Ok(Err(..))` when it reuses a sequence
/// number its author already used for another change here.
fn apply_one(doc: &mut AutoCommit, c: &Change) -> Result<Result<(), Rejection>, SyncError> {
    match doc.apply_changes([c.clone()]) {
        Ok(()) => Ok(Ok(())),
        Err(automerge::AutomergeError::DuplicateSeqNumber(seq, _)) => Ok(Err(Rejection::new(
            "sync.equivocation",
            format!(
                "its author already made another change with sequence number {seq}: a modified client, or a device restored from a copy"
            ),
        ))),
        Err(e) => Err(doc_err(e)),
    }
}

fn empty_team() -> TeamDoc {
    TeamDoc {
        schema: crate::team::TEAM_SCHEMA,
        info: crate::team::TeamInfo {
            name: String::new(),
            founded_at: 0,
        },
        members: Default::default(),
        devices: Default::default(),
        revocations: Default::default(),
        case_access: Default::default(),
        key_epochs: Default::default(),
    }
}

fn quarantine(work: &mut Work<'_>, doc_id: &str, c: &Change, reason: Rejection) {
    let hash = c.hash();
    tracing::warn!(doc = doc_id, change = %hash, code = %reason.code, "change quarantined");
    work.quarantined.insert(hash);
    work.quarantine.push(Quarantined {
        doc_id: doc_id.to_string(),
        hash: hash.to_string(),
        author: DeviceId::from_actor(c.actor_id()).map(|d| d.to_hex()),
        owner: String::new(),
        reason,
        bytes: c.raw_bytes().to_vec(),
    });
}
