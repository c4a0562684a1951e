//! Fetches answered from the recent envelopes a relay process holds in
//! memory: exactly the store's answers (same envelopes, same order, none
//! for another member), the store's when memory cannot prove itself
//! complete (an envelope committed unannounced, a listener that
//! reconnected), and delivery across two processes on one PostgreSQL.

use std::collections::HashMap;
use std::sync::Arc;

use caravan_net::relay_client::RelayClient;
use caravan_net::relay_proto::{Envelope, MAX_FETCH_BYTES};
use caravan_relay::Running;
use caravan_relay::store::{Reader, Store};
use caravan_sync::Replica;

use super::common::*;

/// Fetches answered from memory so far, from the relay's metrics.
async fn from_memory(relay: &Running) -> u64 {
    let (_, body) = http_get(relay.addr, "/metrics").await;
    body.lines()
        .find_map(|l| l.strip_prefix("caravan_relay_fetches_from_memory_total "))
        .and_then(|v| v.parse().ok())
        .expect("the counter of fetches answered from memory")
}

fn reader(r: &Replica) -> Reader {
    Reader {
        team: team_id(r),
        device: r.device().0,
        member: member(r),
    }
}

/// The relay's answer and the store's, to the same fetch, are the same.
async fn same_as_store(
    c: &mut RelayClient,
    store: &Arc<dyn Store>,
    who: &Replica,
    after: u64,
    limit: u32,
) -> Vec<Envelope> {
    let (items, more) = c.fetch(after, limit).await.unwrap();
    let page = store
        .fetch(&reader(who), after, limit, MAX_FETCH_BYTES)
        .await
        .unwrap();
    assert_eq!(
        (&items, more),
        (&page.items, page.more),
        "after {after}, limit {limit}"
    );
    items
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetches_from_memory_give_exactly_what_the_store_gives() {
    for backend in backends().await {
        let t = team();
        let relay = relay(&backend, test_config()).await;
        let (url, key) = (url(&relay), relay.public_key);
        register(&url, key, &t.admin, T0).await;
        let store = backend.open().await;
        let mut a = connect(&url, key, &t.inv_a).await;
        let mut b = connect(&url, key, &t.inv_b).await;
        let mut admin = connect(&url, key, &t.admin).await;
        b.subscribe().await.unwrap();
        // Heard (on PostgreSQL, once the listener listens): from here on
        // every envelope is held.
        let first = a
            .upload(vec![member(&t.inv_b)], b"first".to_vec())
            .await
            .unwrap();
        assert_eq!(notified(&mut b).await, first);
        let (ma, mb, mx) = (member(&t.inv_a), member(&t.inv_b), member(&t.admin));
        // Several senders and members, repeats, a body too large to hold
        // with three connections (the store sends that one), an empty one.
        let mut sent: HashMap<u64, (Vec<String>, [u8; 32])> = HashMap::new();
        sent.insert(first, (vec![mb.clone()], t.inv_a.device().0));
        let uploads: [(u8, Vec<String>, usize); 9] = [
            (0, vec![mb.clone()], 10),
            (1, vec![ma.clone()], 300),
            (2, vec![ma.clone(), mb.clone()], 1),
            (1, vec![mb.clone(), mb.clone()], 2000),
            (0, vec![mx.clone()], 5),
            (2, vec![mb.clone()], 100 * 1024),
            (1, vec![mb.clone()], 7),
            (0, vec![], 3),
            (2, vec![mb.clone(), ma.clone(), mx.clone()], 0),
        ];
        let mut last = first;
        for (i, (who, to, size)) in uploads.iter().enumerate() {
            let (c, device) = match who {
                0 => (&mut a, t.inv_a.device().0),
                1 => (&mut b, t.inv_b.device().0),
                _ => (&mut admin, t.admin.device().0),
            };
            let body = vec![i as u8; *size];
            last = c.upload(to.clone(), body).await.unwrap();
            sent.insert(last, (to.clone(), device));
        }
        // b is told of the last envelope for it: everything is recorded.
        while notified(&mut b).await < last {}
        let before = from_memory(&relay).await;
        for (c, who) in [
            (&mut a, &t.inv_a),
            (&mut b, &t.inv_b),
            (&mut admin, &t.admin),
        ] {
            for after in 0..=last + 1 {
                for limit in [1, 2, 1000] {
                    let items = same_as_store(c, &store, who, after, limit).await;
                    for e in items {
                        let (to, from) = &sent[&e.seq];
                        assert!(to.contains(&member(who)), "{} is not for it", e.seq);
                        assert_ne!(from, &who.device().0);
                    }
                }
            }
        }
        let answered = from_memory(&relay).await - before;
        assert!(
            answered > 0,
            "{backend:?}: no fetch was answered from memory"
        );
        // With every connection gone the team's envelopes go too; a
        // device back later gets the store's answers, the same.
        a.close().await;
        b.close().await;
        admin.close().await;
        let mut b = connect(&url, key, &t.inv_b).await;
        same_as_store(&mut b, &store, &t.inv_b, first, 1000).await;
        relay.shutdown(PATIENCE).await;
    }
}

/// What an append through another process commits, without the
/// announcement reaching the relay under test (a NOTIFY not yet seen, or
/// missed while its listener was away).
async fn append_unannounced(db: &str, t: &Team, body: &[u8]) -> u64 {
    let (mut client, conn) = tokio_postgres::connect(db, tokio_postgres::NoTls)
        .await
        .unwrap();
    let driver = tokio::spawn(conn);
    let (team, from) = (team_id(&t.admin), t.inv_a.device().0);
    let size = body.len() as i64;
    let tx = client.transaction().await.unwrap();
    let seq: i64 = tx
        .query_one(
            "UPDATE teams SET next_seq = next_seq + 1, used_bytes = used_bytes + $2
             WHERE team_id = $1 RETURNING next_seq - 1",
            &[&&team[..], &size],
        )
        .await
        .unwrap()
        .get(0);
    tx.execute(
        "INSERT INTO envelopes (team_id, seq, from_device, at_ms, body, size)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[&&team[..], &seq, &&from[..], &T0, &body, &size],
    )
    .await
    .unwrap();
    tx.execute(
        "INSERT INTO recipients (team_id, seq, member) VALUES ($1, $2, $3)",
        &[&&team[..], &seq, &member(&t.inv_b)],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    drop(client);
    let _ = driver.await;
    seq as u64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_envelope_memory_has_not_heard_of_is_fetched_from_the_store() {
    let Some(db) = postgres().await else { return };
    let backend = Backend::Postgres(db.clone());
    let t = team();
    let relay = relay(&backend, test_config()).await;
    let (url, key) = (url(&relay), relay.public_key);
    register(&url, key, &t.admin, T0).await;
    let store = backend.open().await;
    let mut b = connect(&url, key, &t.inv_b).await;
    b.subscribe().await.unwrap();
    let mut a = connect(&url, key, &t.inv_a).await;
    let to = vec![member(&t.inv_b)];
    let one = a.upload(to.clone(), b"one".to_vec()).await.unwrap();
    assert_eq!(notified(&mut b).await, one);
    let two = a.upload(to.clone(), b"two".to_vec()).await.unwrap();
    // Committed elsewhere, its announcement not heard here: a gap.
    let three = append_unannounced(&db, &t, b"three").await;
    let four = a.upload(to.clone(), b"four".to_vec()).await.unwrap();
    assert_eq!((two, three, four), (one + 1, one + 2, one + 3));
    assert_eq!(notified(&mut b).await, two);
    assert_eq!(notified(&mut b).await, four);
    // Across the gap the store answers, and nothing is lost.
    let before = from_memory(&relay).await;
    let items = same_as_store(&mut b, &store, &t.inv_b, one, 1000).await;
    let bodies: Vec<&[u8]> = items.iter().map(|e| e.body.as_slice()).collect();
    assert_eq!(bodies, [&b"two"[..], b"three", b"four"]);
    assert_eq!(from_memory(&relay).await, before, "answered across a gap");
    // Past it, memory answers.
    same_as_store(&mut b, &store, &t.inv_b, three, 1000).await;
    assert_eq!(from_memory(&relay).await, before + 1);
    // Missed while the listener was away: once it listens again,
    // subscribers are told to fetch, and memory has forgotten what it
    // held, so that fetch sees the envelope.
    let five = append_unannounced(&db, &t, b"five").await;
    assert_eq!(end_listeners(&db).await, 1);
    notified(&mut b).await;
    let items = same_as_store(&mut b, &store, &t.inv_b, four, 1000).await;
    assert_eq!(items.iter().map(|e| e.seq).collect::<Vec<_>>(), [five]);
    relay.shutdown(PATIENCE).await;
}

/// A device as it syncs: on each `Notify`, everything after its cursor,
/// until it holds `until`.
async fn drain(c: &mut RelayClient, held: &mut HashMap<u64, Vec<u8>>, until: u64) {
    let mut cursor = held.keys().copied().max().unwrap_or(0);
    while cursor < until {
        notified(c).await;
        loop {
            let (items, more) = c.fetch(cursor, 1000).await.unwrap();
            for e in items {
                cursor = cursor.max(e.seq);
                held.insert(e.seq, e.body);
            }
            if !more {
                break;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_relays_on_one_database_deliver_each_others_envelopes() {
    let Some(db) = postgres().await else { return };
    let backend = Backend::Postgres(db);
    let t = team();
    let one = relay(&backend, test_config()).await;
    let two = relay(&backend, test_config()).await;
    let key = one.public_key;
    register(&url(&one), key, &t.admin, T0).await;
    let store = backend.open().await;
    // a and the admin on one, b on two; each sends to the others.
    let mut a = connect(&url(&one), key, &t.inv_a).await;
    let mut admin = connect(&url(&one), key, &t.admin).await;
    let mut b = connect(&url(&two), key, &t.inv_b).await;
    admin.subscribe().await.unwrap();
    b.subscribe().await.unwrap();
    let (ma, mb, mx) = (member(&t.inv_a), member(&t.inv_b), member(&t.admin));
    // Each process hears the other's announcements from here on, and
    // each subscriber holds what was sent so far.
    let (mut held_b, mut held_admin) = (HashMap::new(), HashMap::new());
    let hello = a.upload(vec![mb.clone()], b"to b".to_vec()).await.unwrap();
    drain(&mut b, &mut held_b, hello).await;
    let mut for_b = HashMap::from([(hello, b"to b".to_vec())]);
    let hello = b
        .upload(vec![mx.clone()], b"to admin".to_vec())
        .await
        .unwrap();
    drain(&mut admin, &mut held_admin, hello).await;
    let mut for_admin = HashMap::from([(hello, b"to admin".to_vec())]);
    let memory = (from_memory(&one).await, from_memory(&two).await);
    for i in 0..40u32 {
        let body = i.to_be_bytes().repeat(1 + i as usize * 7);
        let to = match i % 4 {
            0 => vec![mb.clone()],
            1 => vec![mx.clone()],
            2 => vec![ma.clone(), mb.clone(), mx.clone()],
            _ => vec![ma.clone()],
        };
        let (c, sender) = if i % 2 == 0 {
            (&mut a, &ma)
        } else {
            (&mut b, &mb)
        };
        let seq = c.upload(to.clone(), body.clone()).await.unwrap();
        // Each subscriber fetches as it is told, before the next upload:
        // its process has heard of every envelope up to this one.
        if to.contains(&mb) && sender != &mb {
            for_b.insert(seq, body.clone());
            drain(&mut b, &mut held_b, seq).await;
        }
        if to.contains(&mx) {
            for_admin.insert(seq, body);
            drain(&mut admin, &mut held_admin, seq).await;
        }
    }
    assert_eq!((held_b, held_admin), (for_b, for_admin));
    // Each answered those from what it heard of the other.
    assert!(from_memory(&one).await > memory.0);
    assert!(from_memory(&two).await > memory.1);
    // And what the store gives, from the start.
    same_as_store(&mut b, &store, &t.inv_b, 0, 1000).await;
    same_as_store(&mut admin, &store, &t.admin, 0, 1000).await;
    same_as_store(&mut a, &store, &t.inv_a, 0, 1000).await;
    one.shutdown(PATIENCE).await;
    two.shutdown(PATIENCE).await;
}
