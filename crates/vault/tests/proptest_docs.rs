//! Property: any interleaving of edits, saves, compactions and reopenings
//! loads to the same document as the last saved state.

use crate::common::*;

use caravan_vault::automerge::Automerge;
use caravan_vault::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Edit(u8, i64),
    Save,
    Compact,
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u8..12, any::<i64>()).prop_map(|(k, v)| Op::Edit(k, v)),
        3 => Just(Op::Save),
        1 => Just(Op::Compact),
        1 => Just(Op::Reopen),
    ]
}

fn values(d: &Automerge) -> Vec<(String, Option<i64>)> {
    (0..12)
        .map(|k| format!("k{k}"))
        .map(|k| (k.clone(), get_i64(d, &k)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn saves_and_compactions_load_to_same_doc(ops in proptest::collection::vec(op(), 1..40), compact_after in 2u32..10) {
        let dir = tempfile::tempdir().unwrap();
        let id = DocId([7; 16]);
        let (mut v, _) = create(dir.path());
        v.set_config(VaultConfig { compact_after_chunks: compact_after, ..VaultConfig::default() });
        let mut live = Automerge::new();
        let mut heads = vec![];
        let mut saved = Automerge::new();
        for op in ops {
            match op {
                Op::Edit(k, val) => put(&mut live, &format!("k{k}"), val),
                Op::Save => {
                    heads = v.save_doc(&id, &live, &heads).unwrap();
                    saved = live.clone();
                }
                Op::Compact => v.compact_doc(&id).unwrap(),
                Op::Reopen => {
                    v.lock();
                    v = unlock(dir.path()).unwrap();
                    v.set_config(VaultConfig { compact_after_chunks: compact_after, ..VaultConfig::default() });
                }
            }
            let loaded = v.load_doc(&id).unwrap().unwrap_or_default();
            prop_assert_eq!(loaded.get_heads(), saved.get_heads());
            prop_assert_eq!(values(&loaded), values(&saved));
            let st = v.doc_stats(&id).unwrap();
            prop_assert!(st.snapshots <= 1);
            prop_assert!(st.incrementals < compact_after);
        }
    }
}
