//! Trust at merge: the checks every incoming change passes, on every device,
//! before it is applied.
//!
//! Every change carries an Ed25519 signature of its author's device over
//! (team id, document id, change hash). The change hash covers the change's
//! bytes — author (actor), sequence number, operations and the hashes of
//! the changes it depends on — so a valid signature pins the change exactly.
//! See docs/security.md, "Trusted changes", for why each change is signed
//! rather than only the newest one of a batch.

use std::collections::{HashMap, HashSet};

use automerge::{AutoCommit, Change, ChangeHash};
use caravan_model::attribution::{self, Signer};
use caravan_model::{DocKind, Role, Scalar, policy};

use crate::analyze;
use crate::identity::DeviceId;
use crate::team::{TeamDoc, TeamId};

/// Why a change was refused. `code` is stable; `message` is for people.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rejection {
    pub code: String,
    pub message: String,
}

impl Rejection {
    pub(crate) fn new(code: &str, message: impl Into<String>) -> Rejection {
        Rejection {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// The bytes a device signs for one of its changes.
pub fn change_message(team: &TeamId, doc_id: &str, hash: &ChangeHash) -> Vec<u8> {
    let mut m = b"caravan/change/v1\0".to_vec();
    m.extend_from_slice(&team.0);
    m.extend_from_slice(&(doc_id.len() as u32).to_be_bytes());
    m.extend_from_slice(doc_id.as_bytes());
    m.extend_from_slice(&hash.0);
    m
}

/// Everything a check needs to know about where the change would land.
pub struct Context<'a> {
    pub team_id: &'a TeamId,
    pub team: &'a TeamDoc,
    pub kind: DocKind,
    pub doc_id: &'a str,
    /// Member who opened the case (author of its first change), if known.
    pub case_creator: Option<&'a str>,
}

/// The author of an accepted change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub member: String,
    pub role: Role,
}

/// Whether `signature` is the change author's signature of this change.
pub fn signature_valid(
    team_id: &TeamId,
    doc_id: &str,
    change: &Change,
    signature: &[u8; 64],
) -> bool {
    DeviceId::from_actor(change.actor_id())
        .is_some_and(|d| d.verify(&change_message(team_id, doc_id, &change.hash()), signature))
}

/// Runs every check on one change against the document as it stands
/// before the change (`doc`), including its own signature.
pub fn check(
    ctx: &Context<'_>,
    doc: &mut AutoCommit,
    change: &Change,
    signature: &[u8; 64],
) -> Result<Accepted, Rejection> {
    if !signature_valid(ctx.team_id, ctx.doc_id, change, signature) {
        return Err(bad_signature());
    }
    check_authority(ctx, doc, change, &mut analyze::Analyzer::default())
}

pub(crate) fn bad_signature() -> Rejection {
    Rejection::new(
        "sync.bad_change_signature",
        "the change's signature does not match its author",
    )
}

/// Every check but the signature (which the caller has established, see
/// `import`): the author's standing, case access, the role policy, and
/// that the change is what an honest device would have made on top of the
/// changes it names. `doc` must hold every change `change` depends on;
/// `analyzer` caches object paths across the changes of one document.
pub fn check_authority(
    ctx: &Context<'_>,
    doc: &mut AutoCommit,
    change: &Change,
    analyzer: &mut analyze::Analyzer,
) -> Result<Accepted, Rejection> {
    let device = DeviceId::from_actor(change.actor_id()).ok_or_else(|| {
        Rejection::new(
            "sync.actor_not_device",
            "the change's author is not a device key",
        )
    })?;
    check_counter(doc, change, analyzer)?;
    if ctx.kind == DocKind::Team && change.deps().is_empty() {
        // The founding change is authenticated by the team id itself.
        return if TeamId::of_genesis(&change.hash()) == *ctx.team_id {
            Ok(Accepted {
                member: String::new(),
                role: Role::Admin,
            })
        } else {
            Err(Rejection::new(
                "sync.foreign_team_root",
                "this is the founding change of another team",
            ))
        };
    }
    let (member, role) = ctx
        .team
        .accepts(&device, ctx.doc_id, change.seq())
        .map_err(|code| {
            Rejection::new(
                code,
                match code {
                    "sync.revoked_device" => {
                        "the change was made by a revoked device after its revocation"
                    }
                    _ => "the change was made by a device that is not in the team",
                },
            )
        })?;
    // A case's first change is the one its id is derived from; any other
    // change without dependencies is a second "first change", which would
    // make its author the case's opener.
    let genesis = ctx.kind == DocKind::Case && change.deps().is_empty();
    if genesis && crate::team::case_id_of(&change.hash()) != ctx.doc_id {
        return Err(Rejection::new(
            "sync.forged_case_root",
            "the change claims to open this case, but the case was opened by another change",
        ));
    }
    if ctx.kind == DocKind::Case {
        let creator = if genesis {
            Some(member.as_str())
        } else {
            ctx.case_creator
        };
        if !ctx.team.may_access(&member, ctx.doc_id, creator) {
            return Err(Rejection::new(
                "sync.no_case_access",
                "the author may not access this case",
            ));
        }
    }
    if genesis {
        policy::may_open_case(role)
            .map_err(|d| Rejection::new(policy::Denial::CODE, d.to_string()))?;
    }
    let writes = analyzer
        .writes(doc, change)
        .map_err(|u| Rejection::new(u.code(), u.message()))?;
    // A change that names someone else as who did something is refused as
    // such, whatever else it does.
    check_attribution(ctx, doc, change, &member, role, genesis, &writes)?;
    for w in &writes {
        // A case's first change lays out its whole shape (its top-level
        // parts, empty collections, unset fields) in one go; its content is
        // still judged rule by rule.
        if genesis
            && w.kind == caravan_model::WriteKind::Create
            && (w.structural || w.path.0.len() == 1)
        {
            continue;
        }
        // Inside an entry written whole (a custody hand-over, an item's
        // state, a sign-off, a review item, an approval), only the change
        // that adds the entry writes.
        if w.fresh {
            policy::check(ctx.kind, role, &w.path, w.kind)
        } else {
            policy::check_in_place(ctx.kind, role, &w.path, w.kind)
        }
        .map_err(|d| Rejection::new(policy::Denial::CODE, d.to_string()))?;
    }
    Ok(Accepted { member, role })
}

/// The code of a change that misstates who did something, in which role
/// or when.
pub const FALSE_ATTRIBUTION: &str = "sync.false_attribution";

/// Judges every attribution field the change writes (see
/// `caravan_model::attribution`) against its signer — `member`, with
/// `role` in the team document the change is judged against — and its
/// own time; the floor of a case's times is the time of its first change.
/// Only the change's own content and its signer decide, so every device
/// reaches the same verdict whatever else it holds.
fn check_attribution(
    ctx: &Context<'_>,
    doc: &mut AutoCommit,
    change: &Change,
    member: &str,
    role: Role,
    genesis: bool,
    writes: &[analyze::Write],
) -> Result<(), Rejection> {
    let mut opened_at: Option<Option<i64>> = None;
    for w in writes {
        if attribution::field_at(ctx.kind, &w.path).is_none() {
            continue;
        }
        let opened_at = *opened_at.get_or_insert_with(|| match ctx.kind {
            DocKind::Team => None,
            DocKind::Case if genesis => Some(change.timestamp().saturating_mul(1000)),
            DocKind::Case => attribution::opened_at(doc),
        });
        let signer = Signer {
            member,
            role,
            at: change.timestamp().saturating_mul(1000),
            opened_at,
        };
        let value = w.value.as_ref().and_then(Scalar::from_automerge);
        attribution::judge(ctx.kind, &w.path, w.kind, w.fresh, value.as_ref(), &signer)
            .map_err(|f| Rejection::new(FALSE_ATTRIBUTION, f.to_string()))?;
    }
    Ok(())
}

/// A change numbers its operations on from the largest number among the
/// changes it builds on, as Automerge does. Automerge settles a conflict
/// by those numbers, so a change that claimed old dependencies with a high
/// number would win over values written after it, by anyone.
fn check_counter(
    doc: &mut AutoCommit,
    change: &Change,
    analyzer: &analyze::Analyzer,
) -> Result<(), Rejection> {
    let mut max = 0;
    for d in change.deps() {
        let Some(of_dep) = analyzer.max_op_of(doc, d) else {
            return Err(Rejection::new(
                "sync.unreadable_change",
                "it builds on a change this device does not hold",
            ));
        };
        max = max.max(of_dep);
    }
    let start = change.start_op().get();
    if start != max + 1 {
        return Err(Rejection::new(
            "sync.bad_op_counter",
            format!(
                "its operations are numbered from {start}, but the changes it builds on end at {max}: a modified client numbering its writes to win conflicts"
            ),
        ));
    }
    Ok(())
}

/// Finds the changes whose authorship is not proven by a valid signature.
///
/// Each author signs every change it makes, but checking only the newest
/// changes of each author in the batch suffices: a signed change hash
/// covers, through the dependency hashes, every change it builds on, and a
/// device never builds on a change under its own actor id that it did not
/// make (see `sync.own_actor_forged`). So per author only the "author
/// heads" (changes no other change of that author in the batch builds on)
/// are verified; when a head fails, the changes it would have covered are
/// verified one by one. Every verification is strict (`DeviceId::verify`):
/// a batch verification accepts signatures that a single strict one
/// refuses, and two devices taking different paths would then disagree on
/// the same change.
pub(crate) fn unsigned_changes(
    team_id: &TeamId,
    doc_id: &str,
    pending: &[(Change, [u8; 64])],
) -> HashSet<ChangeHash> {
    let index: HashMap<ChangeHash, usize> = pending
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (c.hash(), i))
        .collect();
    let mut by_actor: HashMap<&automerge::ActorId, Vec<usize>> = HashMap::new();
    for (i, (c, _)) in pending.iter().enumerate() {
        by_actor.entry(c.actor_id()).or_default().push(i);
    }
    // covered_by[i] = the head whose signature vouches for change i.
    let mut covered_by: Vec<Option<usize>> = vec![None; pending.len()];
    let mut heads = Vec::new();
    for (actor, mut mine) in by_actor {
        mine.sort_by_key(|&i| std::cmp::Reverse(pending[i].0.seq()));
        for &head in &mine {
            if covered_by[head].is_some() {
                continue;
            }
            heads.push(head);
            covered_by[head] = Some(head);
            let mut stack = vec![head];
            let mut visited = HashSet::new();
            while let Some(i) = stack.pop() {
                for d in pending[i].0.deps() {
                    if let Some(&j) = index.get(d)
                        && visited.insert(j)
                    {
                        if pending[j].0.actor_id() == actor && covered_by[j].is_none() {
                            covered_by[j] = Some(head);
                        }
                        stack.push(j);
                    }
                }
            }
        }
    }
    let failed_heads: HashSet<usize> = heads
        .iter()
        .copied()
        .filter(|&i| !signature_valid(team_id, doc_id, &pending[i].0, &pending[i].1))
        .collect();
    let mut bad = HashSet::new();
    if failed_heads.is_empty() {
        return bad;
    }
    for (i, (c, sig)) in pending.iter().enumerate() {
        let Some(head) = covered_by[i] else { continue };
        if failed_heads.contains(&head) && (i == head || !signature_valid(team_id, doc_id, c, sig))
        {
            bad.insert(c.hash());
        }
    }
    bad
}
