//! A window against a model of the store's fetch: whenever it answers, it
//! answers exactly what the store would over the envelopes reported so
//! far; it declines across a gap, a reset, or a body it does not hold.

use std::sync::Arc;
use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::*;
use crate::store::Reader;

const TEAM: [u8; 16] = [7; 16];
const DEVICES: [[u8; 32]; 3] = [[0xa; 32], [0xb; 32], [0xc; 32]];
const MEMBERS: [&str; 3] = ["ma", "mb", "mc"];

fn held(seq: u64, from: usize, to: &[&str], size: usize) -> Held {
    let to: Vec<String> = to.iter().map(|m| m.to_string()).collect();
    Held {
        seq,
        from: DEVICES[from],
        at_ms: seq as i64 * 10,
        to: recipients(&to),
        size,
        body: Some(vec![seq as u8; size]),
    }
}

fn reader(device: usize, member: &str) -> Reader {
    Reader {
        team: TEAM,
        device: DEVICES[device],
        member: member.into(),
    }
}

/// The store's fetch (store/sqlite.rs, store/postgres.rs) over `all`.
fn model(all: &[Held], rd: &Reader, after: u64, limit: u32, max_bytes: usize) -> (Vec<u64>, bool) {
    let rows: Vec<&Held> = all
        .iter()
        .filter(|h| h.seq > after && h.is_for(rd))
        .take(limit as usize + 1)
        .collect();
    let sizes: Vec<i64> = rows
        .iter()
        .take(limit as usize)
        .map(|h| h.size as i64)
        .collect();
    let n = page_len(&sizes, max_bytes);
    if n == 0 {
        return (Vec::new(), false);
    }
    (rows[..n].iter().map(|h| h.seq).collect(), rows.len() > n)
}

fn seqs(picked: &Picked) -> (Vec<u64>, bool) {
    (picked.0.iter().map(|h| h.seq).collect(), picked.1)
}

fn roomy() -> Bounds {
    Bounds::for_connections(100)
}

#[test]
fn a_complete_window_answers_as_the_store_does() {
    let now = Instant::now();
    let all = [
        held(1, 0, &["mb"], 10),
        held(2, 0, &["ma"], 10),
        held(3, 1, &["ma", "mb"], 10),
        held(4, 2, &["mb"], 10),
    ];
    let mut w = Window::new(roomy());
    // Reported in any order, and twice: the first record stands.
    for h in all.iter().rev() {
        let first = w.record(held_like(h), now);
        assert!(Arc::ptr_eq(&first, &w.record(held(h.seq, 0, &[], 0), now)));
    }
    for (rd, after, limit, max) in [
        (reader(2, "mb"), 0, 10, 1 << 20),
        (reader(1, "mb"), 0, 10, 1 << 20),
        (reader(0, "ma"), 0, 10, 1 << 20),
        (reader(2, "mb"), 0, 1, 1 << 20),
        (reader(2, "mb"), 0, 10, 1),
        (reader(2, "mb"), 1, 10, 1),
        (reader(2, "mb"), 4, 10, 1),
        (reader(2, "mb"), 99, 10, 1),
        (reader(2, "mc"), 0, 10, 1 << 20),
    ] {
        let got = w.pick(&rd, after, limit, max, now).expect("answered");
        assert_eq!(seqs(&got), model(&all, &rd, after, limit, max));
        let bodies = envelopes(&got.0).unwrap();
        assert!(bodies.iter().all(|e| e.body.len() == 10));
    }
}

fn held_like(h: &Held) -> Held {
    Held {
        seq: h.seq,
        from: h.from,
        at_ms: h.at_ms,
        to: h.to.clone(),
        size: h.size,
        body: h.body.clone(),
    }
}

#[test]
fn a_gap_a_reset_or_a_number_below_the_start_goes_to_the_store() {
    let now = Instant::now();
    let rd = reader(1, "mb");
    let mut w = Window::new(roomy());
    assert!(w.pick(&rd, 0, 10, 1 << 20, now).is_none(), "nothing known");
    for seq in [5, 6, 8] {
        w.record(held(seq, 0, &["mb"], 1), now);
    }
    let pick = |w: &mut Window, after, limit| w.pick(&rd, after, limit, 1 << 20, now);
    assert!(pick(&mut w, 3, 10).is_none(), "below the start");
    assert!(pick(&mut w, 4, 10).is_none(), "7 not reported");
    assert_eq!(seqs(&pick(&mut w, 7, 10).unwrap()), (vec![8], false));
    // Complete up to the row past the page's end: that is enough.
    assert_eq!(seqs(&pick(&mut w, 4, 1).unwrap()), (vec![5], true));
    // The reader's own envelope fills the gap.
    w.record(held(7, 1, &["mb"], 1), now);
    assert_eq!(seqs(&pick(&mut w, 4, 10).unwrap()), (vec![5, 6, 8], false));
    // Reported late but within the epoch: the window is complete from it.
    w.record(held(4, 2, &["mc"], 1), now);
    assert_eq!(seqs(&pick(&mut w, 3, 10).unwrap()), (vec![5, 6, 8], false));
    let epoch = w.epoch();
    w.reset();
    assert_ne!(w.epoch(), epoch);
    assert!(pick(&mut w, 6, 10).is_none(), "forgotten");
}

#[test]
fn a_body_not_held_is_the_stores_to_send_and_a_gone_one_is_nobodys() {
    let now = Instant::now();
    let bounds = Bounds::for_connections(1);
    let mut w = Window::new(bounds);
    w.record(held(1, 0, &["mb"], 10), now);
    let big = w.record(held(2, 0, &["mc"], bounds.max_body() + 1), now);
    assert!(big.body.is_none());
    w.record(Held::gone(3), now);
    w.record(held(4, 0, &["mb"], 10), now);
    // Not for this reader: skipped without its body.
    let got = w.pick(&reader(1, "mb"), 0, 10, 1 << 20, now).unwrap();
    assert_eq!(seqs(&got), (vec![1, 4], false));
    // For this reader: the store sends it.
    assert!(w.pick(&reader(1, "mc"), 0, 10, 1 << 20, now).is_none());
    // Past the page's end, it counts only for `more`.
    let mut w = Window::new(bounds);
    w.record(held(1, 0, &["mc"], 10), now);
    w.record(held(2, 0, &["mc"], bounds.max_body() + 1), now);
    let got = w.pick(&reader(1, "mc"), 0, 1, 1 << 20, now).unwrap();
    assert_eq!(seqs(&got), (vec![1], true));
    assert_eq!(
        seqs(&w.pick(&reader(1, ""), 0, 10, 1 << 20, now).unwrap()),
        (vec![], false)
    );
}

#[test]
fn the_bounds_let_the_oldest_go_and_follow_the_connections() {
    let now = Instant::now();
    let rd = reader(1, "mb");
    let mut w = Window::new(Bounds::for_connections(1));
    for seq in 1..=20 {
        w.record(held(seq, 0, &["mb"], 8 * 1024), now);
    }
    assert!(w.cost <= PER_CONNECTION_BYTES);
    assert!(w.pick(&rd, 0, 100, 1 << 30, now).is_none(), "let go");
    let got = w.pick(&rd, w.floor - 1, 100, 1 << 30, now).unwrap();
    assert_eq!(got.0.last().unwrap().seq, 20);
    // A late report below what was let go is not held again.
    w.record(held(1, 0, &["mb"], 1), now);
    assert!(w.get(1).is_none());
    let floor = w.floor;
    w.set_bounds(Bounds::for_connections(0), now);
    assert!(w.held.is_empty() && w.floor > floor);
    // Nothing newer than the newest known: an empty answer.
    assert_eq!(seqs(&w.pick(&rd, 20, 10, 1, now).unwrap()), (vec![], false));
    // Entries older than the age bound go too.
    let mut w = Window::new(roomy());
    w.record(held(1, 0, &["mb"], 1), now);
    w.record(held(2, 0, &["mb"], 1), now + MAX_AGE);
    let later = now + MAX_AGE + Duration::from_secs(1);
    assert!(w.pick(&rd, 0, 10, 1 << 20, later).is_none());
    assert_eq!(
        seqs(&w.pick(&rd, 1, 10, 1 << 20, later).unwrap()),
        (vec![2], false)
    );
    assert!(
        w.pick(&rd, u64::MAX, 10, 1 << 20, later).is_none(),
        "the store's to refuse"
    );
}

/// One envelope of the model: who sent it, to whom, how large.
fn arb_envelope() -> impl Strategy<Value = (usize, Vec<usize>, usize)> {
    (
        0..3usize,
        prop::collection::vec(0..3usize, 0..4),
        0..3000usize,
    )
}

/// A fetch: which device of which member, after, limit, byte bound.
fn arb_fetch() -> impl Strategy<Value = (usize, usize, u64, u32, usize)> {
    (
        0..3usize,
        0..3usize,
        0..50u64,
        1..6u32,
        prop::sample::select(vec![1usize, 1000, 4000, 1 << 20]),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn whatever_the_window_answers_the_store_would(
        envs in prop::collection::vec(arb_envelope(), 1..45),
        start in 0..45usize,
        order in prop::collection::vec(any::<prop::sample::Index>(), 45),
        fetches in prop::collection::vec(arb_fetch(), 45),
        connections in 0..4usize,
    ) {
        let now = Instant::now();
        let all: Vec<Held> = envs
            .iter()
            .enumerate()
            .map(|(i, (from, to, size))| {
                let to: Vec<&str> = to.iter().map(|m| MEMBERS[*m]).collect();
                held(i as u64 + 1, *from, &to, *size)
            })
            .collect();
        let bounds = Bounds {
            bytes: (connections * 8 * 1024).max(1),
            entries: 12,
        };
        let mut w = Window::new(bounds);
        // Every number from the first reported on is reported, in any order.
        let mut pending: Vec<u64> = (start.min(all.len() - 1) as u64 + 1..=all.len() as u64).collect();
        let mut newest = 0;
        for (ix, (device, member, after, limit, max)) in order.iter().zip(&fetches) {
            if !pending.is_empty() {
                let seq = pending.remove(ix.index(pending.len()));
                w.record(held_like(&all[seq as usize - 1]), now);
                newest = newest.max(seq);
            }
            let rd = reader(*device, MEMBERS[*member]);
            if let Some(got) = w.pick(&rd, *after, *limit, *max, now) {
                let known = &all[..newest as usize];
                prop_assert_eq!(seqs(&got), model(known, &rd, *after, *limit, *max));
                let bodies = envelopes(&got.0).unwrap();
                for (e, h) in bodies.iter().zip(&got.0) {
                    prop_assert_eq!(&e.body, all[h.seq as usize - 1].body.as_ref().unwrap());
                    prop_assert!(h.is_for(&rd));
                }
            }
        }
        // A window with room answers a reader that is up to date.
        if connections > 0 && pending.is_empty() {
            prop_assert!(w.pick(&reader(0, "ma"), newest, 5, 1 << 20, now).is_some());
        }
    }
}
