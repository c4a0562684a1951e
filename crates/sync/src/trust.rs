//! Trust at merge: the checks every incoming change passes, on every device,
//! before it is applied.
//!
//! Every change is signed by its author's device, Ed25519 over (team id,
//! document id, change hash). The change hash covers the change's bytes —
//! author (actor), sequence number, operations and the hashes of the
//! changes it depends on — so a valid signature pins the change exactly,
//! and with it every change it reaches through `deps`. A change is taken
//! to be its author's by its own signature or by its author's signature of
//! a later change that reaches it (`vouch`); each is verified strictly and
//! on its own, and only verified signatures are stored and passed on. See
//! docs/security.md, "Trusted changes".

use automerge::{AutoCommit, Change, ChangeHash};
use caravan_model::attribution::{self, Signer};
use caravan_model::{DocKind, Role, Scalar, policy};

use crate::analyze;
use crate::identity::DeviceId;
use crate::refusal::Refusal;
pub use crate::refusal::Rejection;
use crate::team::{TeamDoc, TeamId};

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

/// Whether `signature` is the change author's signature of this change:
/// one strict verification (`DeviceId::verify`), never a batch one, which
/// accepts signatures a strict one refuses.
pub fn signature_valid(
    team_id: &TeamId,
    doc_id: &str,
    change: &Change,
    signature: &[u8; 64],
) -> bool {
    Verifier::new(team_id, doc_id).valid(change, signature)
}

/// An author's signature of one of their changes, by which it vouches
/// for an earlier one: (author, change signed, signature).
type LaterSignature = (automerge::ActorId, ChangeHash, [u8; 64]);

/// Verifies the signatures of one document's incoming changes, keeping each
/// author's decompressed key: decompressing it again for every change was
/// a fifth of the cost of verifying.
pub(crate) struct Verifier<'a> {
    team_id: &'a TeamId,
    doc_id: &'a str,
    keys: std::cell::RefCell<
        std::collections::HashMap<automerge::ActorId, Option<ed25519_dalek::VerifyingKey>>,
    >,
    /// Signatures of later changes already checked: one vouches for many
    /// changes of its author, and is verified once.
    later: std::cell::RefCell<std::collections::HashMap<LaterSignature, bool>>,
}

impl<'a> Verifier<'a> {
    /// The document whose changes this verifies.
    pub(crate) fn doc_id(&self) -> &str {
        self.doc_id
    }

    pub(crate) fn new(team_id: &'a TeamId, doc_id: &'a str) -> Verifier<'a> {
        Verifier {
            team_id,
            doc_id,
            keys: Default::default(),
            later: Default::default(),
        }
    }

    /// Whether `signature` is the change author's signature of this change.
    pub(crate) fn valid(&self, change: &Change, signature: &[u8; 64]) -> bool {
        self.signed_by(change.actor_id(), &change.hash(), signature)
    }

    /// Whether `signature` is the signature of the device `actor` of the
    /// change `hash` in this document.
    fn signed_by(
        &self,
        actor: &automerge::ActorId,
        hash: &ChangeHash,
        signature: &[u8; 64],
    ) -> bool {
        let mut keys = self.keys.borrow_mut();
        let key = keys
            .entry(actor.clone())
            .or_insert_with(|| DeviceId::from_actor(actor).and_then(|d| d.verifying_key()));
        key.as_ref().is_some_and(|k| {
            crate::identity::verify_with(
                k,
                &change_message(self.team_id, self.doc_id, hash),
                signature,
            )
        })
    }

    /// Whether `signature` is the signature of the device `actor` of its
    /// change `signed`: checked once, however many earlier changes of the
    /// author it vouches for (`vouch`).
    pub(crate) fn signed_later(
        &self,
        actor: &automerge::ActorId,
        signed: &ChangeHash,
        signature: &[u8; 64],
    ) -> bool {
        let key = (actor.clone(), *signed, *signature);
        if let Some(known) = self.later.borrow().get(&key) {
            return *known;
        }
        let valid = self.signed_by(actor, signed, signature);
        self.later.borrow_mut().insert(key, valid);
        valid
    }
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
        Refusal::BadChangeSignature,
        "the change's signature does not match its author",
    )
}

/// Every check but the signature (which the caller has verified, see
/// `import::integrate`): the author's standing, case access, the role
/// policy, that the change is what an honest device would have made on top
/// of the changes it names, and that what it writes fits the document's
/// schema. `doc` must hold every change `change` depends on; `analyzer`
/// caches object paths across the changes of one document.
pub fn check_authority(
    ctx: &Context<'_>,
    doc: &mut AutoCommit,
    change: &Change,
    analyzer: &mut analyze::Analyzer,
) -> Result<Accepted, Rejection> {
    let device = DeviceId::from_actor(change.actor_id()).ok_or_else(|| {
        Rejection::new(
            Refusal::ActorNotDevice,
            "the change's author is not a device key",
        )
    })?;
    check_counter(doc, change, analyzer)?;
    if ctx.kind == DocKind::Team && change.deps().is_empty() {
        // The founding change is authenticated by the team id itself; what
        // it writes must still be a team document.
        if TeamId::of_genesis(&change.hash()) != *ctx.team_id {
            return Err(Rejection::new(
                Refusal::ForeignTeamRoot,
                "this is the founding change of another team",
            ));
        }
        let writes = analyzer
            .writes(doc, change)
            .map_err(|u| Rejection::new(u.refusal(), u.message()))?;
        check_values(ctx.kind, &writes, true)?;
        return Ok(Accepted {
            member: String::new(),
            role: Role::Admin,
        });
    }
    let (member, role) = ctx
        .team
        .accepts(&device, ctx.doc_id, change.seq())
        .map_err(|refusal| {
            Rejection::new(
                refusal,
                match refusal {
                    Refusal::RevokedDevice => {
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
            Refusal::ForgedCaseRoot,
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
                Refusal::NoCaseAccess,
                "the author may not access this case",
            ));
        }
    }
    if genesis {
        policy::may_open_case(role)
            .map_err(|d| Rejection::new(Refusal::PolicyDenied, d.to_string()))?;
    }
    let writes = analyzer
        .writes(doc, change)
        .map_err(|u| Rejection::new(u.refusal(), u.message()))?;
    // A change that names someone else as who did something is refused as
    // such, whatever else it does.
    check_attribution(ctx, doc, change, &member, role, genesis, &writes)?;
    if ctx.kind == DocKind::Case {
        crate::withdrawals::check(doc, change, &member, &writes)?;
        crate::qualification_role::check(doc, change, &writes)?;
        for w in &writes {
            if let caravan_model::schema::Written::Put(v) = &w.value
                && let Some(value) = caravan_model::Scalar::from_automerge(v)
            {
                policy::may_write_value(role, &w.path, &value)
                    .map_err(|d| Rejection::new(Refusal::PolicyDenied, d.to_string()))?;
            }
        }
    }
    if ctx.kind == DocKind::Team {
        crate::audit_anchor::check_own_head(&device, &writes)?;
        crate::case_keys::check_wraps(ctx.team, &device, &writes)?;
    }
    for w in &writes {
        // A case's first change lays out its whole shape (its top-level
        // parts, empty collections, unset fields) in one go; its content is
        // still judged rule by rule.
        if genesis
            && w.kind == caravan_model::WriteKind::Create
            && (w.structural() || w.path.0.len() == 1)
        {
            continue;
        }
        // Inside an entry written whole (a custody hand-over, an item's
        // state, a sign-off, a review item, an approval), only the change
        // that adds the entry writes.
        if w.fresh() {
            policy::check(ctx.kind, role, &w.path, w.kind)
        } else {
            policy::check_in_place(ctx.kind, role, &w.path, w.kind)
        }
        .map_err(|d| Rejection::new(Refusal::PolicyDenied, d.to_string()))?;
    }
    check_values(ctx.kind, &writes, genesis)?;
    Ok(Accepted { member, role })
}

/// The stable code of a change refused for what it writes.
pub const BAD_VALUE: &str = Refusal::BadValue.code();

/// Every write of a change fits the document's schema (type, vocabulary,
/// form), and every record the change makes (the document's root, for its
/// first change) is given all its fields. Judged from the change alone —
/// each write's path and value — so every device reaches the same verdict
/// whatever else it holds: a value that would lose a conflict on one device
/// and win on another is refused on both.
pub(crate) fn check_values(
    kind: DocKind,
    writes: &[analyze::Write],
    first: bool,
) -> Result<(), Rejection> {
    let schema = match kind {
        DocKind::Case => caravan_model::schema::case(),
        DocKind::Team => crate::team::schema(),
    };
    let refuse = |bad: caravan_model::schema::BadValue| {
        Rejection::new(
            Refusal::BadValue,
            format!(
                "it writes what a {} document cannot hold (a modified or faulty client): {bad}",
                match kind {
                    DocKind::Case => "case",
                    DocKind::Team => "team",
                }
            ),
        )
    };
    let mut check = schema.change(first);
    for (i, w) in writes.iter().enumerate() {
        check.write(i, &w.path, &w.value, w.into).map_err(refuse)?;
    }
    check.finish().map_err(refuse)
}

/// The code of a change that misstates who did something, in which role
/// or when.
pub const FALSE_ATTRIBUTION: &str = Refusal::FalseAttribution.code();

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
        let value = w.scalar().and_then(Scalar::from_automerge);
        attribution::judge(
            ctx.kind,
            &w.path,
            w.kind,
            w.fresh(),
            value.as_ref(),
            &signer,
        )
        .map_err(|f| Rejection::new(Refusal::FalseAttribution, f.to_string()))?;
        // A hand-over made without its recording time (as by a release
        // before it) is dated when it was recorded: `at` holds as a time.
        if ctx.kind == DocKind::Case
            && w.fresh()
            && w.path.matches("evidence/*/custody/*/at")
            && !writes
                .iter()
                .any(|o| o.into == w.into && o.path.matches("evidence/*/custody/*/recorded_at"))
        {
            attribution::judge_unrecorded_hand_over(&w.path, value.as_ref(), &signer)
                .map_err(|f| Rejection::new(Refusal::FalseAttribution, f.to_string()))?;
        }
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
                Refusal::UnreadableChange,
                "it builds on a change this device does not hold",
            ));
        };
        max = max.max(of_dep);
    }
    let start = change.start_op().get();
    if start != max + 1 {
        return Err(Rejection::new(
            Refusal::BadOpCounter,
            format!(
                "its operations are numbered from {start}, but the changes it builds on end at {max}: a modified client numbering its writes to win conflicts"
            ),
        ));
    }
    Ok(())
}
