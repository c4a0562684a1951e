//! Importing a bundle: verify the file, then check every change before it
//! is applied. See `bundle.rs` for the format.

use std::collections::{BTreeMap, HashMap, HashSet};

use automerge::{AutoCommit, Change, ChangeHash};
use caravan_model::DocKind;
use serde::Serialize;

use crate::bundle::{Header, Limits, Meta, WHAT, open_meta, open_offer, parse};
use crate::crypto;
use crate::error::{SyncError, doc_err};
use crate::identity::DeviceId;
use crate::keys::TeamKey;
use crate::quarantine::{Ledger, depends_on_quarantined};
use crate::quota::{self, Admission};
use crate::refusal::Refusal;
use crate::refusal::Rejection;
use crate::replica::{Held, Quarantined, Replica};
use crate::team::{Standing, TEAM_DOC_ID, Team, TeamDoc, TeamId};
use crate::trust::{self, Context};
use crate::vouch::Voucher;

mod cases;

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

/// Key offers in a bundle header tried, at most (each costs an X25519
/// agreement); a team has far fewer devices.
const MAX_OFFERS: usize = 1024;

/// Heads of one document recorded for a member, at most.
pub(crate) const MAX_PEER_HEADS: usize = 64;

/// One document's incoming changes (each with what vouches for it) and the
/// sender's heads of that document.
pub(crate) type Entry = (String, Vec<(Change, Voucher)>, Vec<ChangeHash>);

impl Replica {
    /// Verifies and applies a bundle. Bundle-level failures (format, team,
    /// signature, sender) change nothing. Within a valid bundle, each change
    /// is checked on its own: trusted ones are applied, failing ones (and
    /// those that build on them) are quarantined, and those whose
    /// dependencies are missing are held until they arrive.
    pub fn import(&mut self, bytes: &[u8], limits: &Limits) -> Result<ImportReport, SyncError> {
        self.require_resident("import")?;
        let parsed = parse(bytes, limits)?;
        let h = &parsed.header;
        if h.team_id != self.team_id {
            return Err(SyncError::WrongTeam { what: WHAT });
        }
        let (meta, key, input_key) = self.read_meta(h)?;
        // A sender this device knows to be revoked is refused before its
        // bytes are hashed, decrypted or decoded (only the small sealed
        // meta is read, to learn who sent it). A sender it does not know
        // may have been enrolled after its copy of the team document: the
        // bundle is read (it needs the team key, every size is bounded) and
        // refused after its team changes unless they make the sender an
        // active member (`judge`).
        if matches!(
            self.team.view()?.standing(&meta.sender),
            Standing::Revoked { .. }
        ) {
            return Err(SyncError::SenderRevoked);
        }
        if !meta.sender.verify(parsed.signed, &parsed.signature) {
            return Err(SyncError::BadSignature { what: WHAT });
        }
        let aad_len = parsed.signed.len() - parsed.body.len();
        let plain = crypto::open(&key.key, &parsed.signed[..aad_len], parsed.body)
            .ok_or(SyncError::BadSignature { what: WHAT })?;
        let mut report = ImportReport {
            sender: meta.sender.to_hex(),
            ..Default::default()
        };
        let entries = self.read_body(parsed.version, &plain, limits, &mut report)?;
        // Documents with nothing new carry only the sender's heads: they are
        // not judged (there is nothing to apply), but the heads tell this
        // device what the sender holds.
        let (entries, heads_only): (Vec<Entry>, Vec<Entry>) =
            entries.into_iter().partition(|(_, c, _)| !c.is_empty());
        let (sender_member, _) = self.commit_entries(
            &meta.sender,
            entries,
            input_key.as_ref().map(|k| (k, WHAT)),
            &mut report,
        )?;
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
    /// written. `input_key` is the key the input (named by the `&str`) was
    /// read with when it came with the input rather than from this device's
    /// own keys: it is judged
    /// against the team document once the input's team changes are settled
    /// (`sync.forged_key` refuses the whole input) and never kept; held
    /// keys follow the team document alone. Returns the sender's member id
    /// and the case documents this device may not see (left out, counted
    /// in `report.not_permitted`).
    pub(crate) fn commit_entries(
        &mut self,
        sender: &DeviceId,
        entries: Vec<Entry>,
        input_key: Option<(&TeamKey, &'static str)>,
        report: &mut ImportReport,
    ) -> Result<(String, Vec<String>), SyncError> {
        let (member, not_permitted) = self.judge(Some(sender), entries, input_key, report, None)?;
        Ok((member.unwrap_or_default(), not_permitted))
    }

    /// `commit_entries` for any input: `sender` is `None` when the changes
    /// come from this device's own quarantine (a supervisor's release, whose
    /// change `release` names: its entries are set aside so it is judged
    /// afresh). Returns the sender's member id, if there is a sender.
    pub(crate) fn judge(
        &mut self,
        sender: Option<&DeviceId>,
        mut entries: Vec<Entry>,
        input_key: Option<(&TeamKey, &'static str)>,
        report: &mut ImportReport,
        release: Option<(&str, ChangeHash)>,
    ) -> Result<(Option<String>, Vec<String>), SyncError> {
        let me = self.device();
        let mut not_permitted = Vec::new();
        let mut ledger = Ledger::new(
            &self.quarantine,
            &self.discarded,
            sender.map(DeviceId::to_hex),
        );
        if let Some((doc_id, hash)) = release {
            ledger.release(doc_id, &hash);
        }
        let mut work = Work {
            copied: false,
            held: self.held.clone(),
            ledger,
            signatures: &self.signatures,
            sigs: Vec::new(),
            proofs: Vec::new(),
            unproven: Vec::new(),
            no_later: HashSet::new(),
            report,
        };

        // The team document first: the sender must be an active member in
        // the team as it stands after these changes.
        let mut team_doc = self.team.automerge().clone();
        if let Some((_, changes, _)) = entries.iter().find(|(id, _, _)| id == TEAM_DOC_ID) {
            integrate(
                &mut team_doc,
                changes,
                &mut work,
                Judging {
                    doc_id: TEAM_DOC_ID,
                    kind: DocKind::Team,
                    authority: Authority::Live,
                    team_id: &self.team_id,
                    me: &me,
                },
            )?;
        }
        if let Some((key, what)) = input_key {
            self.judge_input_key(&team_doc, key, what)?;
        }
        let team: TeamDoc = autosurgeon::hydrate(&team_doc).map_err(doc_err)?;
        let sender_member = match sender.map(|s| team.standing(s)) {
            None => None,
            Some(Standing::Active { member, .. }) => Some(member),
            Some(Standing::Revoked { .. }) => return Err(SyncError::SenderRevoked),
            Some(Standing::Unknown) => return Err(SyncError::UnknownSender),
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
        let mut jobs: Vec<CaseJob> = Vec::new();
        // Each case's job owns its changes, and drops them once judged: the
        // input's changes are not all held while the staged cases grow.
        for (doc_id, changes, _) in entries.iter_mut().filter(|(id, _, _)| id != TEAM_DOC_ID) {
            let changes = std::mem::take(changes);
            if !crate::team::is_case_id(doc_id) {
                // Never stored, never judged: a document id with a second
                // spelling could land on another document's storage.
                for (c, _) in changes {
                    work.report.quarantined.push(QuarantineNote {
                        doc_id: doc_id.clone(),
                        hash: c.hash().to_string(),
                        code: Refusal::BadCaseId.code().into(),
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
                doc_id: doc_id.clone(),
                doc,
                changes,
                creator,
            });
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        let mut lanes: Vec<Vec<CaseJob>> = (0..threads.min(jobs.len().max(1)))
            .map(|_| Vec::new())
            .collect();
        for (i, job) in jobs.into_iter().enumerate() {
            let lane = i % lanes.len();
            lanes[lane].push(job);
        }
        let team_id = self.team_id;
        let held_before = std::mem::take(&mut work.held);
        let signatures = work.signatures;
        let shared = &work.ledger;
        let shared_cases = &self.cases;
        let proof_bytes = &self.proof_bytes;
        let proof_allowance = self.quota.proof_bytes;
        let run_lane = |lane: Vec<CaseJob>| -> Result<LaneOutcome<'_>, SyncError> {
            let mut out = LaneOutcome {
                copied: false,
                staged: Vec::new(),
                held: Vec::new(),
                ledger: shared.fork(),
                sigs: Vec::new(),
                proofs: Vec::new(),
                proof_bytes: HashMap::new(),
                applied: 0,
                already_had: 0,
                notes: Vec::new(),
            };
            for job in lane {
                let held: Vec<Held> = held_before
                    .iter()
                    .filter(|h| h.doc_id == job.doc_id)
                    .cloned()
                    .collect();
                let ctx = cases::CaseContext {
                    team: &team,
                    team_id: &team_id,
                    me: &me,
                    shared,
                    signatures,
                    stored: shared_cases,
                    proof_bytes,
                    proof_allowance,
                };
                cases::judge_case(&ctx, job, held, &mut out)?;
            }
            Ok(out)
        };
        let outcomes: Vec<Result<LaneOutcome<'_>, SyncError>> = if lanes.len() <= 1 {
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
        let mut lane_ledgers = Vec::new();
        for outcome in outcomes {
            let o = outcome?;
            staged_cases.extend(o.staged);
            work.copied |= o.copied;
            work.held.extend(o.held);
            lane_ledgers.push(o.ledger);
            work.sigs.extend(o.sigs);
            work.proofs.extend(o.proofs);
            work.report.applied += o.applied;
            work.report.already_had += o.already_had;
            work.report.quarantined.extend(o.notes);
        }
        for l in lane_ledgers {
            work.ledger.absorb(l);
        }

        // Commit.
        let Work {
            copied,
            held,
            ledger,
            sigs,
            proofs,
            report,
            ..
        } = work;
        let Ledger {
            released,
            added,
            renewed,
            ..
        } = ledger;
        let team_changed = self.team.automerge_mut().get_heads() != team_doc.get_heads();
        if team_changed {
            report.docs_changed.push(TEAM_DOC_ID.into());
        }
        self.team = Team::from_automerge(team_doc.with_actor(me.actor()));
        if team_changed {
            self.settle_keys(&team);
        }
        for (id, doc) in staged_cases {
            report.docs_changed.push(id.clone());
            self.cases.insert(id, doc);
        }
        self.signatures.extend(sigs);
        self.keep_proofs(proofs);
        self.prune_proofs(&report.docs_changed);
        // What is kept of the held and quarantined changes: those stored
        // before stay (a change released and refused again for the same
        // reason keeps its entry); new ones are charged to their
        // accountable device and kept within its quota (`quota`).
        let held_before: HashMap<(String, String), String> = self
            .held
            .iter()
            .map(|h| ((h.doc_id.clone(), h.hash.clone()), h.owner.clone()))
            .collect();
        let mut owners_before: HashMap<crate::quarantine::Key, String> = HashMap::new();
        for k in &released {
            if let Some(q) = self.quarantine.remove(k) {
                owners_before.insert(k.clone(), q.owner);
            }
        }
        let mut admission = Admission::new(
            self.quota,
            self.quarantine
                .values()
                .map(|q| (q.owner.as_str(), q.bytes.len()))
                .chain(added.iter().filter_map(|q| {
                    let k = crate::quarantine::key_of(q)?;
                    renewed
                        .contains(&k)
                        .then(|| owners_before.get(&k))
                        .flatten()
                        .map(|o| (o.as_str(), q.bytes.len()))
                }))
                .chain(held.iter().filter_map(|h| {
                    held_before
                        .get(&(h.doc_id.clone(), h.hash.clone()))
                        .map(|o| (o.as_str(), h.bytes.len()))
                })),
        );
        // Charged to whom: a verdict other than these was reached on a
        // change whose author's signature checks out.
        let unsigned = |code: &str| {
            code == crate::quarantine::BAD_SIGNATURE || code == Refusal::OwnActorForged.code()
        };
        // A supervisor's release (no sender) judges what is stored here
        // already: what it keeps stays charged as before, whatever the quota.
        let charged_before = |doc_id: &str, hash: &str| {
            owners_before
                .iter()
                .find(|((d, h, _), _)| d == doc_id && h.to_string() == hash)
                .map(|(_, o)| o.clone())
        };
        let sender_hex = sender.copied();
        for mut q in added {
            let Some(k) = crate::quarantine::key_of(&q) else {
                continue;
            };
            let renewal = renewed.contains(&k);
            if let Some(owner) = owners_before.get(&k).filter(|_| renewal) {
                q.owner.clone_from(owner);
            } else if let Some(s) = sender_hex {
                q.owner = quota::owner(
                    q.author.as_deref(),
                    !unsigned(&q.reason.code),
                    &team,
                    &me,
                    &s,
                );
                if !admission.admit(&q.owner, &q.doc_id, &q.hash, q.bytes.len()) {
                    continue;
                }
            } else {
                q.owner = charged_before(&q.doc_id, &q.hash)
                    .or_else(|| q.author.clone())
                    .unwrap_or_default();
            }
            if !renewal {
                report.quarantined.push(QuarantineNote {
                    doc_id: q.doc_id.clone(),
                    hash: q.hash.clone(),
                    code: q.reason.code.clone(),
                    message: q.reason.message.clone(),
                });
            }
            if q.arrived_at.is_none() {
                self.undated.push(k.clone());
            }
            self.quarantine.insert(k, q);
        }
        let mut kept = Vec::with_capacity(held.len());
        for mut h in held {
            if let Some(owner) = held_before.get(&(h.doc_id.clone(), h.hash.clone())) {
                h.owner.clone_from(owner);
                kept.push(h);
                continue;
            }
            match sender_hex {
                Some(s) => {
                    h.owner =
                        quota::owner(h.author.as_deref(), h.signature_verified, &team, &me, &s);
                    if admission.admit(&h.owner, &h.doc_id, &h.hash, h.bytes.len()) {
                        kept.push(h);
                    }
                }
                None => {
                    h.owner = charged_before(&h.doc_id, &h.hash)
                        .or_else(|| h.author.clone())
                        .unwrap_or_default();
                    kept.push(h);
                }
            }
        }
        report.quarantined.extend(admission.notes());
        self.held = kept;
        if let Some(member) = &sender_member {
            for (doc_id, _, heads) in &entries {
                self.note_peer_heads(member, doc_id, heads);
            }
        }
        self.generation += 1;
        if copied && !self.copied {
            self.copied = true;
            self.audit(
                "sync.device_copied",
                "another copy of this device's key made changes this copy lacks; this copy makes no more changes".into(),
            );
        }
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

    /// Reads a bundle's sealed [`Meta`] with the held team keys (newest
    /// first), else with the key the header offers this device, which
    /// reads this bundle only and is judged once the bundle's team changes
    /// are settled (see `keys.rs`). Returns the meta, the key that read it
    /// and, when that was the offered one, the offered key.
    pub(crate) fn read_meta(
        &self,
        h: &Header,
    ) -> Result<(Meta, TeamKey, Option<TeamKey>), SyncError> {
        for key in self.team_keys.values().rev() {
            if let Some(meta) = open_meta(&self.team_id, &h.meta, key) {
                return Ok((meta, key.clone(), None));
            }
        }
        if h.offers.len() > MAX_OFFERS {
            return Err(SyncError::TooLarge {
                what: WHAT,
                detail: format!("{} key offers, at most {MAX_OFFERS}", h.offers.len()),
            });
        }
        let offered = open_offer(&self.team_id, &h.offers, &self.keys)
            .filter(|k| {
                !self
                    .team_keys
                    .get(&k.epoch)
                    .is_some_and(|held| held.same_key(k))
            })
            .ok_or(SyncError::Unreadable { what: WHAT })?;
        let meta = open_meta(&self.team_id, &h.meta, &offered)
            .ok_or(SyncError::BadSignature { what: WHAT })?;
        Ok((meta, offered.clone(), Some(offered)))
    }

    /// Whether this device holds, or has quarantined, a change of a document.
    pub(crate) fn holds(&mut self, doc_id: &str, hash: &ChangeHash) -> bool {
        self.is_quarantined(doc_id, hash)
            || self
                .doc_mut(doc_id)
                .is_some_and(|d| d.get_change_meta_by_hash(hash).is_some())
    }
}

/// One case document to judge.
pub(crate) struct CaseJob {
    doc_id: String,
    doc: AutoCommit,
    changes: Vec<(Change, Voucher)>,
    creator: Option<String>,
}

/// What one worker judged.
pub(crate) struct LaneOutcome<'a> {
    copied: bool,
    staged: Vec<(String, AutoCommit)>,
    held: Vec<Held>,
    ledger: Ledger<'a>,
    sigs: Vec<(ChangeHash, [u8; 64])>,
    proofs: Vec<crate::replica::Proof>,
    /// Bytes of proofs this lane keeps, by author, on top of those kept.
    proof_bytes: HashMap<String, usize>,
    applied: usize,
    already_had: usize,
    notes: Vec<QuarantineNote>,
}

pub(crate) struct Work<'a, 'r> {
    /// A change signed with this device's key, which this copy never made,
    /// arrived (see `Replica::copied`).
    pub(crate) copied: bool,
    pub(crate) held: Vec<Held>,
    pub(crate) ledger: Ledger<'a>,
    /// Signatures this device holds, each verified when its change was applied.
    pub(crate) signatures: &'a HashMap<ChangeHash, [u8; 64]>,
    /// Verified signatures of the changes this input applies.
    pub(crate) sigs: Vec<(ChangeHash, [u8; 64])>,
    /// Proofs kept for what this input applied on a signature of a change
    /// it did not apply (`witness`).
    pub(crate) proofs: Vec<crate::replica::Proof>,
    /// Authors whose proof could not be made (`witness::Proofs`).
    pub(crate) unproven: Vec<automerge::ActorId>,
    /// Authors whose changes are not taken on later changes' signatures.
    pub(crate) no_later: HashSet<automerge::ActorId>,
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

/// Which document a batch of changes is for, and who judges them there.
pub(crate) struct Judging<'a> {
    pub doc_id: &'a str,
    pub kind: DocKind,
    pub authority: Authority<'a>,
    pub team_id: &'a TeamId,
    /// This device: a change under its own actor it never made means
    /// another copy of it exists.
    pub me: &'a DeviceId,
}

/// A change waiting to be judged, with what vouches for it and whether
/// that shows it is its author's (verified once, on arrival).
struct Pending {
    change: Change,
    voucher: Voucher,
    valid: bool,
}

/// Checks and applies changes to one document in dependency order. Returns
/// whether the document changed.
///
/// What vouches for each change (its own signature, or its author's of a
/// later change reaching it, `vouch`) is verified, strictly and on its own
/// (`DeviceId::verify`), before anything else is judged; a signature of a
/// later change is verified once for all it vouches for. Only a change's
/// own verified signature is stored, so only verified signatures are
/// passed on.
///
/// A copy whose signature fails is refused without touching a valid copy:
/// a change applied here, or held or quarantined with its author's
/// signature, stays as it is. A change quarantined only for a bad
/// signature is judged afresh when it arrives with a valid one; what was
/// quarantined only for building on it is judged again once it is applied.
pub(crate) fn integrate(
    doc: &mut AutoCommit,
    incoming: &[(Change, Voucher)],
    work: &mut Work<'_, '_>,
    judging: Judging<'_>,
) -> Result<bool, SyncError> {
    let Judging {
        doc_id,
        kind,
        authority,
        team_id,
        me,
    } = judging;
    let verifier = trust::Verifier::new(team_id, doc_id);
    // Authors whose changes are not taken on later changes' signatures in
    // this attempt (their proofs could not be kept, `import::cases`).
    let no_later = work.no_later.clone();
    let set_aside = |c: &Change, voucher: &Voucher| {
        matches!(voucher, Voucher::Later { .. }) && no_later.contains(c.actor_id())
    };
    let verify = |c: &Change, voucher: &Voucher| {
        !set_aside(c, voucher) && crate::vouch::vouches(&verifier, c, voucher)
    };
    let mut pending: Vec<Pending> = Vec::new();
    let mut index: HashMap<ChangeHash, usize> = HashMap::new();
    // Changes held from earlier imports get another chance.
    let (retry, keep): (Vec<Held>, Vec<Held>) = std::mem::take(&mut work.held)
        .into_iter()
        .partition(|h| h.doc_id == doc_id);
    work.held = keep;
    // What this input and the retried held changes bring, for the proofs
    // kept of what they vouched for (`witness`).
    let mut considered: Vec<(Change, Voucher)> = Vec::new();
    for h in retry {
        if let (Ok(c), Some(voucher)) = (
            Change::from_bytes(h.bytes.clone()),
            Voucher::from_bytes(&h.signature),
        ) && !index.contains_key(&c.hash())
        {
            considered.push((c.clone(), voucher));
            let valid = !set_aside(&c, &voucher) && (h.signature_verified || verify(&c, &voucher));
            index.insert(c.hash(), pending.len());
            pending.push(Pending {
                change: c,
                voucher,
                valid,
            });
        }
    }
    for (c, voucher) in incoming {
        let hash = c.hash();
        if doc.get_change_meta_by_hash(&hash).is_some() {
            // A copy is refused only for a signature of its own that came
            // with it; one of a later change is judged with that change.
            let junk = *voucher != crate::vouch::UNSIGNED
                && matches!(voucher, Voucher::Own(s) if work.signatures.get(&hash) != Some(s))
                && !verify(c, voucher);
            if junk {
                refused_copy(work, doc_id, &hash);
            } else {
                work.report.already_had += 1;
            }
            continue;
        }
        if let Some(&i) = index.get(&hash) {
            // Held here, or twice in this input: a valid voucher wins.
            let p = &mut pending[i];
            if p.voucher != *voucher {
                if verify(c, voucher) {
                    if !p.valid {
                        p.voucher = *voucher;
                        p.valid = true;
                    }
                } else if p.valid && matches!(voucher, Voucher::Own(_)) {
                    refused_copy(work, doc_id, &hash);
                }
            }
            continue;
        }
        let live = work.ledger.live(doc_id, &hash);
        if !live.is_empty() {
            if !releases(&live, c, voucher, &verify) {
                work.report.already_had += 1;
                continue;
            }
            // Its author's signature: judged afresh.
            work.ledger.release(doc_id, &hash);
        }
        index.insert(hash, pending.len());
        pending.push(Pending {
            change: c.clone(),
            voucher: *voucher,
            valid: verify(c, voucher),
        });
    }
    if pending.is_empty() {
        return Ok(false);
    }
    let mut queued: HashSet<ChangeHash> = index.into_keys().collect();
    // Changes quarantined only for building on a quarantined change, by the
    // change they wait for (read when a change is first accepted).
    let mut waiting: Option<crate::quarantine::Waiting> = None;
    let mut live_team: Option<TeamDoc> = None;
    // Each change is judged in its author's view (see `analyze`). Case
    // changes accepted are applied together, as late as possible: before a
    // change that touches what they wrote, and at the end. Team changes
    // change the judge, so they are applied one by one.
    let batch = matches!(authority, Authority::Fixed { .. });
    let mut analyzer = crate::analyze::Analyzer::default();
    let mut accepted: HashSet<ChangeHash> = HashSet::new();
    let mut to_apply: Vec<(Change, Voucher)> = Vec::new();
    let mut changed = false;
    // Each author's next sequence number: after the last in the document,
    // then after the last accepted here.
    let mut next_seq: HashMap<automerge::ActorId, u64> = HashMap::new();
    loop {
        let mut progress = false;
        let mut still = Vec::new();
        for p in pending {
            let c = &p.change;
            if !p.valid {
                quarantine(work, doc_id, &p, trust::bad_signature());
                progress = true;
                continue;
            }
            if DeviceId::from_actor(c.actor_id()).as_ref() == Some(me) {
                // Only this device writes under its actor, and this copy
                // never made this change, though its key signed it: another
                // copy of the device (a restored backup, a copied vault, a
                // stolen key) did. This copy stops writing, or its next
                // change would reuse a sequence number the other used.
                work.copied = true;
                quarantine(
                    work,
                    doc_id,
                    &p,
                    Rejection::new(
                        Refusal::OwnActorForged,
                        "another copy of this device's key made this change, which this copy never made: this device makes no more changes until it is enrolled again",
                    ),
                );
                progress = true;
                continue;
            }
            if !c
                .deps()
                .iter()
                .all(|d| accepted.contains(d) || doc.get_change_meta_by_hash(d).is_some())
            {
                still.push(p);
                continue;
            }
            progress = true;
            if analyzer.needs_applied(c) {
                analyzer.all_applied();
                changed |= flush(doc, doc_id, &mut to_apply, &mut accepted, work)?;
                if c.deps().iter().any(|d| work.ledger.is_refused(doc_id, d)) {
                    quarantine(work, doc_id, &p, depends_on_quarantined());
                    continue;
                }
            }
            // Automerge applies an author's changes only in an unbroken
            // run of sequence numbers, and panics on a gap: a change that
            // skips some is refused before it is applied. (One that repeats
            // a number is an equivocation, found when it is applied.)
            let next = next_seq
                .entry(c.actor_id().clone())
                .or_insert_with(|| last_seq(doc, c.actor_id()) + 1);
            if c.seq() > *next {
                let reason = Rejection::new(
                    Refusal::BadSequence,
                    format!(
                        "its sequence number {} skips its author's changes after {} (a modified client)",
                        c.seq(),
                        *next - 1
                    ),
                );
                quarantine(work, doc_id, &p, reason);
                continue;
            }
            let verdict = match &authority {
                Authority::Fixed { team, creator } => {
                    let ctx = Context {
                        team_id,
                        team,
                        kind,
                        doc_id,
                        case_creator: *creator,
                    };
                    trust::check_authority(&ctx, doc, c, &mut analyzer)
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
                    trust::check_authority(&ctx, doc, c, &mut analyzer)
                }
            };
            match verdict {
                Ok(_) => {
                    if c.seq() == *next {
                        *next += 1;
                    }
                    let hash = c.hash();
                    if batch {
                        accepted.insert(hash);
                        analyzer.accepted_unapplied(c);
                        to_apply.push((c.clone(), p.voucher));
                    } else {
                        if let Err(reason) = apply_one(doc, c)? {
                            quarantine(work, doc_id, &p, reason);
                            continue;
                        }
                        live_team = None;
                        changed = true;
                    }
                    // Only a change's own signature is kept: one of a
                    // later change is kept with that change.
                    if let Voucher::Own(signature) = p.voucher {
                        work.sigs.push((hash, signature));
                    }
                    work.report.applied += 1;
                    // What waited in quarantine for this change is judged again.
                    let waiting = waiting.get_or_insert_with(|| work.ledger.waiting_in(doc_id));
                    for (d, kept) in waiting.remove(&hash).unwrap_or_default() {
                        let dh = d.hash();
                        if queued.contains(&dh) || !work.ledger.only_waiting(doc_id, &dh) {
                            continue;
                        }
                        queued.insert(dh);
                        work.ledger.release(doc_id, &dh);
                        let (voucher, valid) = match Voucher::from_bytes(&kept) {
                            Some(v) => (v, verify(&d, &v)),
                            None => (crate::vouch::UNSIGNED, false),
                        };
                        considered.push((d.clone(), voucher));
                        still.push(Pending {
                            change: d,
                            voucher,
                            valid,
                        });
                    }
                }
                Err(reason) => quarantine(work, doc_id, &p, reason),
            }
        }
        pending = still;
        if pending.is_empty() {
            break;
        }
        if !progress {
            // Nothing more can be judged now: what builds on a refused
            // change is refused with it; the rest waits for what it lacks.
            let (refused, rest): (Vec<Pending>, Vec<Pending>) =
                pending.into_iter().partition(|p| {
                    p.change
                        .deps()
                        .iter()
                        .any(|d| work.ledger.is_refused(doc_id, d))
                });
            pending = rest;
            if refused.is_empty() {
                break;
            }
            for p in refused {
                quarantine(work, doc_id, &p, depends_on_quarantined());
            }
        }
    }
    changed |= flush(doc, doc_id, &mut to_apply, &mut accepted, work)?;
    for p in pending {
        work.held.push(Held {
            doc_id: doc_id.to_string(),
            hash: p.change.hash().to_string(),
            author: DeviceId::from_actor(p.change.actor_id()).map(|d| d.to_hex()),
            owner: String::new(),
            bytes: p.change.raw_bytes().to_vec(),
            signature: p.voucher.to_bytes(),
            signature_verified: true,
        });
    }
    if changed {
        // Proofs of what was taken on a signature of a change not applied:
        // that change is in this input, or held, or quarantined here.
        let index: HashMap<ChangeHash, (&Change, &Voucher)> = incoming
            .iter()
            .chain(&considered)
            .map(|(c, v)| (c.hash(), (c, v)))
            .collect();
        let held: HashMap<String, &Held> = work
            .held
            .iter()
            .filter(|x| x.doc_id == doc_id)
            .map(|x| (x.hash.clone(), x))
            .collect();
        let ledger = &work.ledger;
        let own = |v: &Voucher| match v {
            Voucher::Own(s) => Some(*s),
            Voucher::Later { .. } => None,
        };
        let find = |h: &ChangeHash| -> Option<(Change, Option<[u8; 64]>)> {
            if let Some((c, v)) = index.get(h) {
                return Some(((*c).clone(), own(v)));
            }
            let hex = h.to_string();
            let (bytes, signature) = held
                .get(&hex)
                .map(|x| (x.bytes.as_slice(), x.signature.as_slice()))
                .or_else(|| ledger.refused(doc_id, h))?;
            let c = Change::from_bytes(bytes.to_vec()).ok()?;
            Some((c, Voucher::from_bytes(signature).as_ref().and_then(own)))
        };
        let proofs =
            crate::witness::proofs_for(doc, doc_id, &[incoming, &considered], find, &verifier);
        work.proofs.extend(proofs.proofs);
        work.unproven.extend(proofs.unproven);
    }
    Ok(changed)
}

/// The sequence number of `actor`'s last change in `doc` (0 if none),
/// read through Automerge's own count for the document's actor.
fn last_seq(doc: &mut AutoCommit, actor: &automerge::ActorId) -> u64 {
    let mine = doc.get_actor().clone();
    doc.set_actor(actor.clone());
    let last = doc.get_last_local_change().map_or(0, |c| c.seq());
    doc.set_actor(mine);
    last
}

/// Applies judged changes to the document being staged. Automerge 0.12
/// asserts what it assumes of a change's history (an author's sequence
/// numbers applied in order, the actors it names) and panics otherwise;
/// the checks before this refuse what they can, and a change that still
/// makes it panic refuses the whole input, which then changes nothing (the
/// staged document is dropped). It also records patch events in the
/// document's own log while it applies changes, though no patches were
/// asked for, and keeps them until the log is reset (2.5 GB for 100,000
/// changes); nothing here reads patches.
pub(crate) fn guarded_apply(
    doc: &mut AutoCommit,
    changes: Vec<Change>,
) -> Result<Result<(), automerge::AutomergeError>, SyncError> {
    let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        doc.apply_changes(changes)
    }))
    .map_err(|_| SyncError::Malformed {
        what: "change",
        detail: "a change whose history Automerge cannot apply (a modified client); nothing of this input was taken".into(),
    })?;
    doc.reset_diff_cursor();
    Ok(applied)
}

/// Applies the accepted changes not applied yet; those Automerge refuses
/// leave `accepted`. Returns whether any change was applied.
fn flush(
    doc: &mut AutoCommit,
    doc_id: &str,
    to_apply: &mut Vec<(Change, Voucher)>,
    accepted: &mut HashSet<ChangeHash>,
    work: &mut Work<'_, '_>,
) -> Result<bool, SyncError> {
    if to_apply.is_empty() {
        return Ok(false);
    }
    let changes = std::mem::take(to_apply);
    let applied = apply_accepted(doc, doc_id, &changes, work)?;
    accepted.retain(|h| !work.ledger.is_refused(doc_id, h));
    Ok(applied)
}

/// Whether a copy of a quarantined change sets its entries aside to be
/// judged afresh: only when every entry is about a signature (or, for an
/// entry written before signatures were kept with it, about a change it
/// builds on) and this copy carries its author's valid signature, which the
/// entry lacks. A verdict on the change's merits stands.
fn releases(
    live: &[&Quarantined],
    c: &Change,
    sig: &Voucher,
    verify: &impl Fn(&Change, &Voucher) -> bool,
) -> bool {
    use crate::quarantine::{BAD_SIGNATURE, DEPENDS, signature_of};
    if live
        .iter()
        .any(|q| q.reason.code != BAD_SIGNATURE && q.reason.code != DEPENDS)
    {
        return false;
    }
    let kept_is_valid = live.iter().any(|q| {
        q.reason.code != BAD_SIGNATURE
            && signature_of(q).is_some_and(|s| s == *sig || verify(c, &s))
    });
    let same = live.iter().any(|q| signature_of(q) == Some(*sig));
    !kept_is_valid && !same && verify(c, sig)
}

/// A copy of a change this device holds with its author's signature came
/// with another signature that does not verify: the copy is dropped and
/// counted; nothing here changes.
fn refused_copy(work: &mut Work<'_, '_>, doc_id: &str, hash: &ChangeHash) {
    tracing::warn!(doc = doc_id, change = %hash, "a copy of a held change came with a bad signature");
    work.report.quarantined.push(QuarantineNote {
        doc_id: doc_id.to_string(),
        hash: hash.to_string(),
        code: crate::quarantine::BAD_SIGNATURE.into(),
        message: "a copy of a change this device holds with its author's signature came with a signature that does not verify; the copy was dropped".into(),
    });
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
    changes: &[(Change, Voucher)],
    work: &mut Work<'_, '_>,
) -> Result<bool, SyncError> {
    let applied = guarded_apply(doc, changes.iter().map(|(c, _)| c.clone()).collect())?;
    match applied {
        Ok(()) => return Ok(true),
        Err(automerge::AutomergeError::DuplicateSeqNumber(..)) => {}
        Err(e) => return Err(doc_err(e)),
    }
    let mut applied_any = false;
    for (c, voucher) in changes {
        let outcome = if c.deps().iter().any(|d| work.ledger.is_refused(doc_id, d)) {
            Err(depends_on_quarantined())
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
                let p = Pending {
                    change: c.clone(),
                    voucher: *voucher,
                    valid: true,
                };
                quarantine(work, doc_id, &p, reason);
            }
        }
    }
    Ok(applied_any)
}

/// Applies one judged change; `Ok(Err(..))` when it reuses a sequence
/// number its author already used for another change here.
fn apply_one(doc: &mut AutoCommit, c: &Change) -> Result<Result<(), Rejection>, SyncError> {
    let applied = guarded_apply(doc, vec![c.clone()])?;
    match applied {
        Ok(()) => Ok(Ok(())),
        Err(automerge::AutomergeError::DuplicateSeqNumber(seq, _)) => Ok(Err(Rejection::new(
            Refusal::Equivocation,
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
        relays: Default::default(),
    }
}

fn quarantine(work: &mut Work<'_, '_>, doc_id: &str, p: &Pending, reason: Rejection) {
    let hash = p.change.hash();
    tracing::warn!(doc = doc_id, change = %hash, code = %reason.code, "change quarantined");
    work.ledger.add(doc_id, &p.change, &p.voucher, reason);
}
