//! What an Automerge change writes, as (document path, kind of write, value
//! written) triples, so the role policy and the document schema can judge
//! it before it is applied.
//!
//! Automerge operations address objects by id, not by path. An object that
//! already exists is located in the document; one created earlier in the
//! batch is tracked as the ops are walked. An object never moves once
//! created, so its path is fixed at creation (only list positions shift, and
//! those are reported as index 0: policy patterns never name positions, only
//! `*`).
//!
//! The kind of a write is read from the author's view: the document as it
//! stood at the change's dependencies, which every device judges alike
//! whatever else it holds. An operation that sets a key without naming the
//! values it replaces (an empty `pred`) is a creation only if the key had
//! no value in that view; otherwise it is an overwrite in disguise, which
//! Automerge would let win a conflict without anyone having the right to
//! update there. Honest Automerge always names what it replaces, so such an
//! operation is refused, never reinterpreted.

use std::collections::{HashMap, HashSet};

use automerge::legacy::{Key, ObjectId, OpId, OpType};
use automerge::{AutoCommit, Change, ChangeHash, ObjId, Prop, ReadDoc};
use caravan_model::schema::Written;
use caravan_model::{DocPath, Seg, WriteKind};

use crate::refusal::Refusal;

/// One write of a change.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub path: DocPath,
    pub kind: WriteKind,
    /// What the operation writes: an object, a scalar value, a removal.
    pub value: Written,
    /// The write of this same change that made the object this one writes
    /// into (a new record or entry being filled in); `None` when the object
    /// already existed.
    pub into: Option<usize>,
}

impl Write {
    /// Creates an empty container or writes null: shape, not content.
    pub fn structural(&self) -> bool {
        matches!(
            self.value,
            Written::Make(_) | Written::Put(automerge::ScalarValue::Null)
        )
    }

    /// Writes inside an object this same change created, rather than into
    /// one that already existed.
    pub fn fresh(&self) -> bool {
        self.into.is_some()
    }

    /// The scalar it writes; `None` when it makes an object or removes.
    pub fn scalar(&self) -> Option<&automerge::ScalarValue> {
        match &self.value {
            Written::Put(v) => Some(v),
            _ => None,
        }
    }
}

/// A change's operations, or `None` when it cannot be decoded. Decoding a
/// change that passed `Change::from_bytes` can still panic inside
/// Automerge on crafted bytes (an actor index past the change's actors):
/// bad input must never take the application down with it. Every decode
/// of a change from another device goes through here.
pub(crate) fn decode_change(change: &Change) -> Option<automerge::ExpandedChange> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| change.decode())).ok()
}

/// Why a change's writes could not be listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// The change cannot be decoded, or addresses what this device lacks.
    Malformed(String),
    /// An operation replaces a value without naming it.
    HiddenOverwrite(DocPath),
}

impl Unreadable {
    /// The refusal it is reported as.
    pub fn refusal(&self) -> Refusal {
        match self {
            Unreadable::Malformed(_) => Refusal::UnreadableChange,
            Unreadable::HiddenOverwrite(_) => Refusal::HiddenOverwrite,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Unreadable::Malformed(m) => m.clone(),
            Unreadable::HiddenOverwrite(p) => format!(
                "it replaces the value at '{p}' without naming the value it replaces, which no honest device does"
            ),
        }
    }
}

/// Lists every write a change makes. `doc` must hold every change `change`
/// depends on.
pub fn writes(doc: &mut AutoCommit, change: &Change) -> Result<Vec<Write>, Unreadable> {
    Analyzer::default().writes(doc, change)
}

/// Reads the writes of changes to one document, caching every object's
/// path and id: each object is located once.
///
/// Accepted changes may be applied to the document in batches (one
/// `apply_changes` call is much cheaper than one per change). The analyzer
/// remembers what the accepted changes not applied yet wrote; a change that
/// touches any of it must wait until they are applied
/// ([`Analyzer::needs_applied`]), and every other change is read against
/// the document without them, which is exact for what it touches.
#[derive(Debug, Default)]
pub struct Analyzer {
    paths: HashMap<OpId, (DocPath, Option<ObjId>)>,
    unapplied: Unapplied,
    decoded: Option<(ChangeHash, automerge::ExpandedChange)>,
    /// The objects the change read last made, and the keys it set.
    last: Option<(ChangeHash, Touched)>,
}

type Touched = (HashSet<OpId>, HashSet<(Option<OpId>, String)>);

/// What accepted changes not yet applied to the document wrote.
#[derive(Debug, Default)]
struct Unapplied {
    /// Each change's largest operation number and dependencies.
    changes: HashMap<ChangeHash, (u64, Vec<ChangeHash>)>,
    made: HashSet<OpId>,
    keys: HashSet<(Option<OpId>, String)>,
}

/// The author's view of a document: what the change's dependencies hold,
/// as the document's own changes (`frontier`).
struct View {
    deps: Vec<ChangeHash>,
    /// Changes the document holds beyond the view, found when first needed;
    /// empty when the view is the whole document.
    beyond: Option<HashSet<ChangeHash>>,
}

impl View {
    fn holds(&mut self, doc: &mut AutoCommit, change: Option<ChangeHash>) -> bool {
        let Some(change) = change else { return true };
        let deps = &self.deps;
        let beyond = self.beyond.get_or_insert_with(|| {
            let mut heads = doc.get_heads();
            let mut mine = deps.clone();
            heads.sort_unstable();
            mine.sort_unstable();
            if heads == mine {
                HashSet::new()
            } else {
                doc.get_changes_meta(deps).iter().map(|m| m.hash).collect()
            }
        });
        !beyond.contains(&change)
    }
}

impl Analyzer {
    fn decode(change: &Change) -> Result<automerge::ExpandedChange, Unreadable> {
        decode_change(change)
            .ok_or_else(|| Unreadable::Malformed("the change cannot be decoded".into()))
    }

    /// Whether `change` touches what accepted changes not yet applied
    /// wrote, so they must be applied before it is read.
    pub fn needs_applied(&mut self, change: &Change) -> bool {
        if self.unapplied.changes.is_empty() {
            return false;
        }
        let Ok(expanded) = Self::decode(change) else {
            return false;
        };
        let unapplied = &self.unapplied;
        // A withdrawal of a sign-off is judged by reading the sign-off it
        // names (see `crate::withdrawals`), and a position on the
        // qualification by reading the case's jurisdiction (see
        // `crate::qualification_role`), which an accepted change of the
        // same batch may have written, or stand on.
        let touches =
            expanded.operations.iter().any(
                |op| matches!(&op.key, Key::Map(k) if k == "withdraws" || k == "qualification"),
            ) || expanded.operations.iter().any(|op| {
                let obj = match &op.obj {
                    ObjectId::Root => None,
                    ObjectId::Id(id) => Some(id),
                };
                obj.is_some_and(|o| unapplied.made.contains(o))
                    || matches!(&op.key, Key::Map(k)
                    if unapplied.keys.contains(&(obj.cloned(), k.to_string())))
            });
        self.decoded = Some((change.hash(), expanded));
        touches
    }

    /// Notes that `change`, just read by [`Analyzer::writes`], was accepted
    /// and is not applied yet.
    pub fn accepted_unapplied(&mut self, change: &Change) {
        let hash = change.hash();
        if let Some((h, (made, keys))) = self.last.take()
            && h == hash
        {
            self.unapplied.made.extend(made);
            self.unapplied.keys.extend(keys);
        }
        self.unapplied
            .changes
            .insert(hash, (change.max_op(), change.deps().to_vec()));
    }

    /// Notes that every accepted change has been applied to the document.
    pub fn all_applied(&mut self) {
        self.unapplied = Unapplied::default();
    }

    /// The largest operation number of change `hash`, accepted or held.
    pub fn max_op_of(&self, doc: &mut AutoCommit, hash: &ChangeHash) -> Option<u64> {
        match self.unapplied.changes.get(hash) {
            Some((max, _)) => Some(*max),
            None => doc.get_change_meta_by_hash(hash).map(|m| m.max_op),
        }
    }

    /// `deps` as changes the document holds: each accepted change not yet
    /// applied is replaced by what it builds on.
    fn frontier(&self, deps: &[ChangeHash]) -> Vec<ChangeHash> {
        let mut out = Vec::with_capacity(deps.len());
        let mut stack: Vec<ChangeHash> = deps.to_vec();
        let mut seen = HashSet::new();
        while let Some(h) = stack.pop() {
            if !seen.insert(h) {
                continue;
            }
            match self.unapplied.changes.get(&h) {
                Some((_, below)) => stack.extend(below.iter().copied()),
                None => out.push(h),
            }
        }
        out
    }

    /// The writes of `change`. `doc` must hold every change it depends on,
    /// but for accepted ones not applied yet, of which it touches nothing
    /// (see [`Analyzer::needs_applied`]).
    pub fn writes(
        &mut self,
        doc: &mut AutoCommit,
        change: &Change,
    ) -> Result<Vec<Write>, Unreadable> {
        let hash = change.hash();
        let expanded = match self.decoded.take() {
            Some((h, e)) if h == hash => e,
            _ => Self::decode(change)?,
        };
        let actor = expanded.actor_id.clone();
        let start = expanded.start_op.get();
        let mut view = View {
            deps: self.frontier(change.deps()),
            beyond: None,
        };
        // Objects this change makes (with the write that made each);
        // objects of the document it was shown to have seen; the map keys
        // it has set so far.
        let mut made: HashMap<OpId, usize> = HashMap::new();
        let mut seen: HashSet<OpId> = HashSet::new();
        let mut set_here: HashSet<(Option<OpId>, String)> = HashSet::new();
        let mut out = Vec::with_capacity(expanded.operations.len());
        for (i, op) in expanded.operations.into_iter().enumerate() {
            let own_id = OpId::new(start + i as u64, &actor);
            let (parent, parent_id, into) = match &op.obj {
                ObjectId::Root => (DocPath::root(), None, None),
                ObjectId::Id(id) if made.contains_key(id) => (
                    self.paths[id].0.clone(),
                    Some(id.clone()),
                    made.get(id).copied(),
                ),
                ObjectId::Id(id) => {
                    let (path, obj) = self.locate(doc, id)?;
                    if seen.insert(id.clone()) {
                        let created_by = doc.hash_for_opid(&obj);
                        if !view.holds(doc, created_by) {
                            return Err(Unreadable::Malformed(
                                "it writes into an object its author had not seen".into(),
                            ));
                        }
                    }
                    (path, Some(id.clone()), None)
                }
            };
            if op.insert && matches!(op.key, Key::Map(_)) {
                // Only list and text elements are inserted; Automerge
                // cannot apply a map key flagged as one (it would panic).
                return Err(Unreadable::Malformed(
                    "an operation on a map key is flagged as a list insertion".into(),
                ));
            }
            let fresh = into.is_some();
            let path = parent.child(match &op.key {
                Key::Map(k) => Seg::Key(k.to_string()),
                Key::Seq(_) => Seg::Index(0),
            });
            let sets_value = !matches!(op.action, OpType::Delete | OpType::Increment(_));
            if let Key::Map(k) = &op.key {
                let first_here = set_here.insert((parent_id.clone(), k.to_string()));
                if sets_value && op.pred.is_empty() {
                    let replaced = !first_here
                        || (!fresh && self.had_value(doc, parent_id.as_ref(), k, &view.deps)?);
                    if replaced {
                        return Err(Unreadable::HiddenOverwrite(path));
                    }
                }
            } else if sets_value && !op.insert && op.pred.is_empty() {
                // A list element exists before it is set: setting it without
                // naming its value replaces that value unseen.
                return Err(Unreadable::HiddenOverwrite(path));
            }
            let kind = match op.action {
                OpType::Delete => WriteKind::Delete,
                _ if op.insert => WriteKind::Create,
                _ if op.pred.is_empty() => WriteKind::Create,
                _ => WriteKind::Update,
            };
            if let OpType::Make(_) = op.action {
                made.insert(own_id.clone(), i);
                self.paths.insert(own_id, (path.clone(), None));
            }
            let value = match op.action {
                OpType::Make(t) => Written::Make(t),
                OpType::Put(v) => Written::Put(v),
                OpType::Delete => Written::Delete,
                OpType::Increment(_) => Written::Increment,
                OpType::MarkBegin(_) | OpType::MarkEnd(_) => Written::Mark,
            };
            out.push(Write {
                path,
                kind,
                value,
                into,
            });
        }
        self.last = Some((hash, (made.into_keys().collect(), set_here)));
        Ok(out)
    }

    /// The path of object `id`, and its id in `doc` (which must hold it).
    fn locate(&mut self, doc: &AutoCommit, id: &OpId) -> Result<(DocPath, ObjId), Unreadable> {
        if let Some((path, Some(obj))) = self.paths.get(id) {
            return Ok((path.clone(), obj.clone()));
        }
        let missing = || {
            Unreadable::Malformed(format!(
                "it writes into an object this device does not have ({}@…)",
                id.counter()
            ))
        };
        let obj = doc
            .import_obj(&format!("{}@{}", id.counter(), id.actor().to_hex_string()))
            .map_err(|_| missing())?;
        let path = path_of(doc, &obj).ok_or_else(missing)?;
        self.paths
            .insert(id.clone(), (path.clone(), Some(obj.clone())));
        Ok((path, obj))
    }

    /// Whether key `key` of object `parent` (the root if `None`) held a
    /// value at `heads`.
    fn had_value(
        &mut self,
        doc: &AutoCommit,
        parent: Option<&OpId>,
        key: &str,
        heads: &[ChangeHash],
    ) -> Result<bool, Unreadable> {
        let obj = match parent {
            None => automerge::ROOT,
            Some(id) => self.locate(doc, id)?.1,
        };
        doc.get_all_at(&obj, key, heads)
            .map(|values| !values.is_empty())
            .map_err(|e| {
                Unreadable::Malformed(format!("it cannot be read against its dependencies: {e}"))
            })
    }
}

fn path_of(doc: &AutoCommit, obj: &ObjId) -> Option<DocPath> {
    let parents = doc.parents(obj).ok()?;
    Some(DocPath(
        parents
            .path()
            .into_iter()
            .map(|(_, prop)| match prop {
                Prop::Map(k) => Seg::Key(k),
                Prop::Seq(_) => Seg::Index(0),
            })
            .collect(),
    ))
}
