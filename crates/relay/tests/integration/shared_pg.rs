//! Two relay instances on one PostgreSQL database: one key, one team
//! state, and announcements that cross from one to the other.

use super::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_envelope_appended_through_one_relay_is_notified_and_fetched_through_the_other() {
    let Some(db) = postgres().await else { return };
    let backend = Backend::Postgres(db);
    let mut t = team();
    let one = relay(&backend, test_config()).await;
    let two = relay(&backend, test_config()).await;
    assert_eq!(
        one.public_key, two.public_key,
        "processes sharing a database share the key"
    );
    let key = one.public_key;
    register(&url(&one), key, &t.admin, T0).await;
    let mut b = connect(&url(&two), key, &t.inv_b).await;
    b.subscribe().await.unwrap();
    let mut a = connect(&url(&one), key, &t.inv_a).await;
    let seq = a
        .upload(vec![member(&t.inv_b)], b"across".to_vec())
        .await
        .unwrap();
    assert_eq!(notified(&mut b).await, seq);
    let (items, _) = b.fetch(0, 10).await.unwrap();
    assert_eq!(items[0].body, b"across");
    // A device enrolled and registered through one is admitted by the
    // other at once, whether or not the announcement has arrived there.
    let inv_c = enrol(
        &mut t.admin,
        "Investigator C",
        caravan_model::Role::Investigator,
    );
    register(&url(&one), key, &t.admin, T0 + 1).await;
    connect(&url(&two), key, &inv_c).await.ping().await.unwrap();
    // A roster change through one ends the revoked device's connection
    // on the other.
    t.admin.revoke(&t.inv_b.device(), None, T0 + 1).unwrap();
    register(&url(&one), key, &t.admin, T0 + 2).await;
    let ended = tokio::time::timeout(PATIENCE, b.next_notify())
        .await
        .unwrap();
    assert_eq!(code(ended), "relay.not_on_roster");
    one.shutdown(PATIENCE).await;
    two.shutdown(PATIENCE).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_whose_listening_connection_drops_listens_again_and_resynchronises() {
    let Some(db) = postgres().await else { return };
    let backend = Backend::Postgres(db.clone());
    let t = team();
    let one = relay(&backend, test_config()).await;
    let two = relay(&backend, test_config()).await;
    let key = one.public_key;
    register(&url(&one), key, &t.admin, T0).await;
    let mut b = connect(&url(&two), key, &t.inv_b).await;
    b.subscribe().await.unwrap();
    let mut a = connect(&url(&one), key, &t.inv_a).await;
    let first = a
        .upload(vec![member(&t.inv_b)], b"before".to_vec())
        .await
        .unwrap();
    assert_eq!(notified(&mut b).await, first);
    // The database ends every listening connection (both relays').
    assert_eq!(end_listeners(&db).await, 2);
    // Once listening again, relay two tells its subscribers to fetch (it
    // may have missed appends), and announcements flow again.
    assert_eq!(notified(&mut b).await, first);
    let second = a
        .upload(vec![member(&t.inv_b)], b"after".to_vec())
        .await
        .unwrap();
    assert_eq!(notified(&mut b).await, second);
    one.shutdown(PATIENCE).await;
    two.shutdown(PATIENCE).await;
}
