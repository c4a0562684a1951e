//! What an Automerge change writes, as (document path, kind of write) pairs,
//! so the role policy can judge it before it is applied.
//!
//! Automerge operations address objects by id, not by path. An object that
//! already exists is located in the document as it stands before the batch;
//! one created earlier in the batch is tracked as the ops are walked. An
//! object never moves once created, so its path is fixed at creation (only
//! list positions shift, and those are reported as index 0: policy patterns
//! never name positions, only `*`).

use std::collections::HashMap;

use automerge::legacy::{Key, ObjectId, OpId, OpType};
use automerge::{AutoCommit, Change, Prop, ReadDoc};
use caravan_model::{DocPath, Seg, WriteKind};

/// One write of a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    pub path: DocPath,
    pub kind: WriteKind,
    /// Creates an empty container or writes null: shape, not content.
    pub structural: bool,
}

/// Lists every write a change makes. `Err` names why the change cannot be
/// understood (e.g. it addresses an object this document does not have).
pub fn writes(doc: &AutoCommit, change: &Change) -> Result<Vec<Write>, String> {
    Analyzer::default().writes(doc, change)
}

/// Reads the writes of a batch of changes against one document, caching
/// every object's path: objects created by earlier changes of the batch,
/// and objects already in the document, are each located once.
#[derive(Debug, Default)]
pub struct Analyzer {
    paths: HashMap<OpId, DocPath>,
}

impl Analyzer {
    /// The writes of `change`, which must come after every change of the
    /// batch it builds on; `doc` is the document before the batch.
    pub fn writes(&mut self, doc: &AutoCommit, change: &Change) -> Result<Vec<Write>, String> {
        // Decoding a change that passed `Change::from_bytes` should not panic;
        // a panic here would come from a defect in the decoder, and bad input
        // must never take the application down with it.
        let expanded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| change.decode()))
            .map_err(|_| "the change cannot be decoded".to_string())?;
        let actor = expanded.actor_id.clone();
        let start = expanded.start_op.get();
        let created = &mut self.paths;
        let mut out = Vec::with_capacity(expanded.operations.len());
        for (i, op) in expanded.operations.iter().enumerate() {
            let parent = match &op.obj {
                ObjectId::Root => DocPath::root(),
                ObjectId::Id(id) => match created.get(id) {
                    Some(p) => p.clone(),
                    None => {
                        let p = path_of(doc, id).ok_or_else(|| {
                            format!(
                                "it writes into an object this device does not have ({}@…)",
                                id.counter()
                            )
                        })?;
                        created.insert(id.clone(), p.clone());
                        p
                    }
                },
            };
            let path = parent.child(match &op.key {
                Key::Map(k) => Seg::Key(k.to_string()),
                Key::Seq(_) => Seg::Index(0),
            });
            let kind = match op.action {
                OpType::Delete => WriteKind::Delete,
                _ if op.insert => WriteKind::Create,
                _ if op.pred.is_empty() => WriteKind::Create,
                _ => WriteKind::Update,
            };
            let structural = matches!(
                op.action,
                OpType::Make(_) | OpType::Put(automerge::ScalarValue::Null)
            );
            if let OpType::Make(_) = op.action {
                created.insert(OpId::new(start + i as u64, &actor), path.clone());
            }
            out.push(Write {
                path,
                kind,
                structural,
            });
        }
        Ok(out)
    }
}

fn path_of(doc: &AutoCommit, id: &OpId) -> Option<DocPath> {
    let obj = doc
        .import_obj(&format!("{}@{}", id.counter(), id.actor().to_hex_string()))
        .ok()?;
    let parents = doc.parents(&obj).ok()?;
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
