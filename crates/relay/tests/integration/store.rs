//! The storage trait's conformance suite: the same assertions against
//! SQLite and (when configured) PostgreSQL.

use std::sync::Arc;

use caravan_relay::store::{NewEnvelope, NewRoster, Reader, Store, StoreError};

use super::common::backends;

const TEAM: [u8; 16] = [1; 16];
const A: [u8; 32] = [0xa; 32];
const B: [u8; 32] = [0xb; 32];
const C: [u8; 32] = [0xc; 32];

fn roster(version: u64, replaces: Option<u64>) -> NewRoster {
    NewRoster {
        team: TEAM,
        signed: vec![version as u8; 4],
        version,
        replaces,
        devices: vec![(A, "ma".into()), (B, "mb".into()), (C, "mb".into())],
    }
}

fn env(from: [u8; 32], to: &[&str], body: &[u8], at_ms: i64) -> NewEnvelope {
    NewEnvelope {
        team: TEAM,
        from,
        at_ms,
        to: to.iter().map(|s| s.to_string()).collect(),
        body: body.to_vec(),
    }
}

fn reader(device: [u8; 32], member: &str) -> Reader {
    Reader {
        team: TEAM,
        device,
        member: member.into(),
    }
}

async fn each(test: impl AsyncFn(Arc<dyn Store>)) {
    for b in backends().await {
        eprintln!("store conformance on {b:?}");
        test(b.open().await).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_secret_is_made_once() {
    each(async |s| {
        let first = s.relay_secret([1; 32]).await.unwrap();
        let again = s.relay_secret([2; 32]).await.unwrap();
        assert_eq!(*first, [1; 32]);
        assert_eq!(*again, [1; 32]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rosters_replace_only_the_version_they_name() {
    each(async |s| {
        assert!(s.roster(TEAM).await.unwrap().is_none());
        s.put_roster(roster(5, None)).await.unwrap();
        // A second first roster (a race of two registrations) loses.
        assert!(matches!(
            s.put_roster(roster(6, None)).await,
            Err(StoreError::StaleRoster { held: 5 })
        ));
        assert!(matches!(
            s.put_roster(roster(7, Some(4))).await,
            Err(StoreError::StaleRoster { .. })
        ));
        s.put_roster(roster(7, Some(5))).await.unwrap();
        let held = s.roster(TEAM).await.unwrap().unwrap();
        assert_eq!(held.version, 7);
        assert_eq!(held.signed, vec![7u8; 4]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appends_number_in_order_and_fetch_filters_by_member() {
    each(async |s| {
        assert!(matches!(
            s.append(env(A, &["mb"], b"x", 1), 1 << 20).await,
            Err(StoreError::UnknownTeam)
        ));
        s.put_roster(roster(1, None)).await.unwrap();
        assert_eq!(
            s.append(env(A, &["mb"], b"one", 1), 1 << 20).await.unwrap(),
            1
        );
        assert_eq!(
            s.append(env(A, &["ma"], b"two", 2), 1 << 20).await.unwrap(),
            2
        );
        assert_eq!(
            s.append(env(B, &["mb", "mb", "ma"], b"three", 3), 1 << 20)
                .await
                .unwrap(),
            3
        );
        // B's devices get 1 (and not their own 3); A gets 3 (not its own 2).
        let page = s.fetch(&reader(C, "mb"), 0, 10, 1 << 20).await.unwrap();
        assert_eq!(page.items.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(page.items[0].body, b"one");
        assert_eq!(page.items[0].from, A);
        let page = s.fetch(&reader(B, "mb"), 0, 10, 1 << 20).await.unwrap();
        assert_eq!(page.items.iter().map(|e| e.seq).collect::<Vec<_>>(), [1]);
        let page = s.fetch(&reader(A, "ma"), 0, 10, 1 << 20).await.unwrap();
        assert_eq!(page.items.iter().map(|e| e.seq).collect::<Vec<_>>(), [3]);
        // Limits: by count, then by bytes (at least one is always given).
        let page = s.fetch(&reader(C, "mb"), 0, 1, 1 << 20).await.unwrap();
        assert_eq!((page.items.len(), page.more), (1, true));
        let page = s.fetch(&reader(C, "mb"), 0, 10, 1).await.unwrap();
        assert_eq!((page.items.len(), page.more), (1, true));
        let page = s.fetch(&reader(C, "mb"), 1, 10, 1).await.unwrap();
        assert_eq!((page.items[0].seq, page.more), (3, false));
        // One envelope as a process reads it on its announcement: whom it
        // is for, and the body only up to the size asked for.
        let got = s.envelope(TEAM, 3, 5).await.unwrap().unwrap();
        assert_eq!((got.seq, got.from, got.at_ms, got.size), (3, B, 3, 5));
        assert_eq!(got.body.as_deref(), Some(&b"three"[..]));
        let mut to = got.to;
        to.sort();
        assert_eq!(to, ["ma", "mb"]);
        let got = s.envelope(TEAM, 3, 4).await.unwrap().unwrap();
        assert_eq!((got.size, got.body), (5, None));
        assert!(s.envelope(TEAM, 4, 5).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_appends_get_distinct_gapless_numbers() {
    each(async |s| {
        s.put_roster(roster(1, None)).await.unwrap();
        let mut tasks = Vec::new();
        for i in 0..24u8 {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                s.append(env(A, &["mb"], &[i], 1), 1 << 20).await.unwrap()
            }));
        }
        let mut seqs = Vec::new();
        for t in tasks {
            seqs.push(t.await.unwrap());
        }
        seqs.sort();
        assert_eq!(seqs, (1..=24).collect::<Vec<u64>>());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cursors_only_grow() {
    each(async |s| {
        assert_eq!(s.cursor(TEAM, A).await.unwrap(), 0);
        s.put_roster(roster(1, None)).await.unwrap();
        for _ in 0..6 {
            s.append(env(B, &["ma"], b"x", 1), 1 << 20).await.unwrap();
        }
        s.ack(TEAM, A, 5).await.unwrap();
        s.ack(TEAM, A, 3).await.unwrap();
        s.ack(TEAM, A, 5).await.unwrap();
        assert_eq!(s.cursor(TEAM, A).await.unwrap(), 5);
        assert_eq!(s.cursor(TEAM, B).await.unwrap(), 0);
        // Never past the last number appended.
        s.ack(TEAM, A, u64::MAX).await.unwrap();
        assert_eq!(s.cursor(TEAM, A).await.unwrap(), 6);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quota_refuses_appends_and_the_sweep_frees_it() {
    each(async |s| {
        s.put_roster(roster(1, None)).await.unwrap();
        assert_eq!(s.append(env(A, &["mb"], &[0; 8], 1), 10).await.unwrap(), 1);
        let err = s.append(env(A, &["mb"], &[0; 5], 1), 10).await.unwrap_err();
        assert!(matches!(err, StoreError::Quota { used: 8, quota: 10 }));
        assert_eq!(err.code(), "relay.quota");
        // Both of mb's devices acknowledge: the envelope goes, and with it
        // the bytes it held.
        s.ack(TEAM, B, 1).await.unwrap();
        assert_eq!(s.sweep(2, 1 << 40).await.unwrap(), 0);
        s.ack(TEAM, C, 1).await.unwrap();
        assert_eq!(s.sweep(2, 1 << 40).await.unwrap(), 1);
        assert!(
            s.fetch(&reader(C, "mb"), 0, 10, 1 << 20)
                .await
                .unwrap()
                .items
                .is_empty()
        );
        assert_eq!(s.append(env(A, &["mb"], &[0; 5], 1), 10).await.unwrap(), 2);
        let stats = s.stats().await.unwrap();
        assert_eq!((stats[0].envelopes, stats[0].bytes), (1, 5));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_deletes_what_is_older_than_retention() {
    each(async |s| {
        s.put_roster(roster(1, None)).await.unwrap();
        s.append(env(A, &["mb"], b"old", 1_000), 1 << 20)
            .await
            .unwrap();
        s.append(env(A, &["mb"], b"new", 9_000), 1 << 20)
            .await
            .unwrap();
        assert_eq!(s.sweep(10_000, 5_000).await.unwrap(), 1);
        let page = s.fetch(&reader(B, "mb"), 0, 10, 1 << 20).await.unwrap();
        assert_eq!(page.items.iter().map(|e| e.seq).collect::<Vec<_>>(), [2]);
        s.ping().await.unwrap();
    })
    .await;
}

/// Regression: an envelope for a member whose devices the roster does not
/// list yet (enrolled, before an admin's device sends the relay the new
/// roster) had no device behind on it, and the sweep deleted it at once,
/// while its sender counted it as delivered. It now waits for retention.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_keeps_an_envelope_for_a_member_with_no_device_listed_yet() {
    each(async |s| {
        s.put_roster(roster(1, None)).await.unwrap();
        s.append(env(A, &["newcomer"], b"for later", 1), 1 << 20)
            .await
            .unwrap();
        assert_eq!(
            s.sweep(2, 1 << 40).await.unwrap(),
            0,
            "kept for its devices"
        );
        // Past retention it goes, as everything does.
        assert_eq!(s.sweep(10_000, 5_000).await.unwrap(), 1);
    })
    .await;
}
