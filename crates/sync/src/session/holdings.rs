//! What each side recorded the other to hold, as one digest, so that a
//! session opens only the cases that changed since the two last synced.
//!
//! At the end of a session both sides hold the same heads of every case
//! they exchanged, and each recorded the other's (`Replica::peer_heads`).
//! Each side sends, with its Proof, a digest of its record of the other.
//! When the two digests match, both records are that same last common
//! state, and each side leaves out the cases whose heads still equal its
//! record: a case both left out has, on both sides, the heads of the last
//! common state, so it needs nothing; a case either side changed since
//! differs from that side's record, and that side opens it. When they do
//! not match — a bundle one side imported since, a vault restored from a
//! backup, another device of the same member, a session cut short, a
//! change one side refused — both sides open every case, as before. The
//! digest reveals nothing to anyone who cannot already read the frame,
//! and a peer that lies about it only makes this device open fewer of the
//! cases it has not changed, which the peer then lacks.

use std::collections::BTreeMap;

use automerge::ChangeHash;

use crate::replica::Replica;
use crate::team::TEAM_DOC_ID;

/// The digest of what this device recorded `member` to hold of the cases.
pub(super) fn recorded(replica: &Replica, member: &str) -> [u8; 32] {
    let held: BTreeMap<&str, &Vec<ChangeHash>> = replica
        .peer_heads
        .range((member.to_string(), String::new())..)
        .take_while(|((m, _), _)| m == member)
        .filter(|((_, doc_id), heads)| doc_id != TEAM_DOC_ID && !heads.is_empty())
        .map(|((_, doc_id), heads)| (doc_id.as_str(), heads))
        .collect();
    let mut bytes = b"caravan/session-holdings/v1\0".to_vec();
    for (id, heads) in held {
        bytes.extend_from_slice(&(id.len() as u32).to_be_bytes());
        bytes.extend_from_slice(id.as_bytes());
        let heads = sorted(heads.clone());
        bytes.extend_from_slice(&(heads.len() as u32).to_be_bytes());
        for h in heads {
            bytes.extend_from_slice(&h.0);
        }
    }
    crate::crypto::sha256(&[&bytes])
}

/// Whether this device recorded `member` to hold exactly its heads of
/// `doc_id`.
pub(super) fn in_step(replica: &mut Replica, member: &str, doc_id: &str) -> bool {
    let Some(recorded) = replica
        .peer_heads
        .get(&(member.to_string(), doc_id.to_string()))
        .cloned()
    else {
        return false;
    };
    let Some(doc) = replica.cases.get_mut_unmarked(doc_id) else {
        return false;
    };
    sorted(doc.get_heads()) == sorted(recorded)
}

fn sorted(mut heads: Vec<ChangeHash>) -> Vec<ChangeHash> {
    heads.sort();
    heads
}
