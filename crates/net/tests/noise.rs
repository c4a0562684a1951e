//! The Noise channel: what arrives is what was sent, whatever its size;
//! a relay with another key, a damaged or replayed message, a stated
//! length past the limit, a LAN dial to or from a device that does not
//! hold the key it is known by, or a first message of the wrong form is
//! refused.

use caravan_net::NetError;
use caravan_net::noise::{self, MessageSource, StaticKey};
use caravan_net::pipe::{self, MemorySink, MemorySource};

const MAX: usize = 8 << 20;

async fn relay_pair(
    pinned: [u8; 32],
    relay: StaticKey,
) -> (
    Result<noise::Channel<MemorySink, MemorySource>, NetError>,
    Result<noise::Channel<MemorySink, MemorySource>, NetError>,
) {
    let ((a_sink, a_source), (b_sink, b_source)) = pipe::memory();
    let client = noise::relay_initiator(a_sink, a_source, &pinned, MAX);
    let server = async move { noise::relay_responder(b_sink, b_source, &relay, MAX).await };
    tokio::join!(client, server)
}

#[tokio::test]
async fn messages_of_every_size_arrive_as_sent() {
    let relay = StaticKey::generate().unwrap();
    let (client, server) = relay_pair(relay.public(), relay).await;
    let (mut client, mut server) = (client.unwrap(), server.unwrap());
    assert_eq!(client.handshake_hash, server.handshake_hash);
    let sizes = [0usize, 1, 65_515, 65_516, 65_519, 200_000, 3 << 20];
    for &n in &sizes {
        let msg: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
        let send = client.sender.send(&msg);
        let recv = server.receiver.recv();
        let (sent, got) = tokio::join!(send, recv);
        sent.unwrap();
        assert_eq!(got.unwrap().as_deref(), Some(&msg[..]), "size {n}");
        // And the other way.
        let (sent, got) = tokio::join!(server.sender.send(&msg), client.receiver.recv());
        sent.unwrap();
        assert_eq!(got.unwrap().as_deref(), Some(&msg[..]), "size {n} back");
    }
}

#[tokio::test]
async fn a_relay_without_the_pinned_key_is_refused() {
    let pinned = StaticKey::generate().unwrap().public();
    let impostor = StaticKey::generate().unwrap();
    let (client, server) = relay_pair(pinned, impostor).await;
    // NK: the device's first message is sealed to the pinned key; the
    // impostor cannot read it and ends the handshake, and the device never
    // gets a channel.
    assert!(
        matches!(server, Err(NetError::Handshake(_))),
        "{:?}",
        server.err()
    );
    assert!(client.is_err());
}

/// A pipe that lets the test tamper with what passes.
struct Tap {
    inner: MemorySource,
    tamper: fn(usize, &mut Vec<Vec<u8>>),
    seen: usize,
    queue: Vec<Vec<u8>>,
}

impl MessageSource for Tap {
    async fn recv(&mut self) -> Result<Option<Vec<u8>>, NetError> {
        if self.queue.is_empty() {
            let Some(m) = self.inner.recv().await? else {
                return Ok(None);
            };
            self.queue.push(m);
            (self.tamper)(self.seen, &mut self.queue);
            self.seen += 1;
        }
        Ok(if self.queue.is_empty() {
            None
        } else {
            Some(self.queue.remove(0))
        })
    }
}

async fn through_tap(
    tamper: fn(usize, &mut Vec<Vec<u8>>),
    msgs: &[&[u8]],
) -> Vec<Result<Option<Vec<u8>>, String>> {
    let relay = StaticKey::generate().unwrap();
    let pinned = relay.public();
    let ((a_sink, a_source), (b_sink, b_source)) = pipe::memory();
    // Messages 0 and 1 are the handshake; the tap counts from there.
    let tap = Tap {
        inner: b_source,
        tamper,
        seen: 0,
        queue: Vec::new(),
    };
    let (client, server) = tokio::join!(
        noise::relay_initiator(a_sink, a_source, &pinned, MAX),
        noise::relay_responder(b_sink, tap, &relay, MAX)
    );
    let (mut client, mut server) = (client.unwrap(), server.unwrap());
    for m in msgs {
        client.sender.send(m).await.unwrap();
    }
    drop(client);
    let mut out = Vec::new();
    for _ in 0..msgs.len() {
        out.push(
            server
                .receiver
                .recv()
                .await
                .map_err(|e| e.code().to_string()),
        );
    }
    out
}

#[tokio::test]
async fn a_damaged_message_is_refused() {
    // Flip one bit of the first transport message (message 1 is the
    // handshake's first, from the device).
    let got = through_tap(
        |i, q| {
            if i == 1 {
                q[0][20] ^= 1;
            }
        },
        &[b"hello"],
    )
    .await;
    assert_eq!(got[0], Err("net.damaged".into()));
}

#[tokio::test]
async fn a_replayed_message_is_refused() {
    let got = through_tap(
        |i, q| {
            if i == 1 {
                let again = q[0].clone();
                q.push(again);
            }
        },
        &[b"transfer", b"second"],
    )
    .await;
    assert_eq!(got[0], Ok(Some(b"transfer".to_vec())));
    // The copy reuses a spent nonce: it does not decrypt as the next one.
    assert_eq!(got[1], Err("net.damaged".into()));
}

#[tokio::test]
async fn a_stated_length_past_the_limit_is_refused_before_it_is_read() {
    let relay = StaticKey::generate().unwrap();
    let pinned = relay.public();
    let ((a_sink, a_source), (b_sink, b_source)) = pipe::memory();
    let (client, server) = tokio::join!(
        noise::relay_initiator(a_sink, a_source, &pinned, 1 << 30),
        noise::relay_responder(b_sink, b_source, &relay, 1024)
    );
    let (mut client, mut server) = (client.unwrap(), server.unwrap());
    let big = vec![0u8; 2048];
    let (_, got) = tokio::join!(client.sender.send(&big), server.receiver.recv());
    assert!(matches!(
        got,
        Err(NetError::TooLarge {
            len: 2048,
            max: 1024
        })
    ));
}

/// A LAN dial of `dial` with `a`'s key, answered by `b` who accepts `KK`
/// from the keys in `b_peers`, both in team `team` unless `b_team` differs.
async fn lan_pair(
    a: &StaticKey,
    dial: noise::LanDial<'_>,
    b: &StaticKey,
    b_peers: &[[u8; 32]],
    b_team: [u8; 16],
) -> (
    Result<noise::Channel<MemorySink, MemorySource>, NetError>,
    Result<noise::Channel<MemorySink, MemorySource>, NetError>,
) {
    let ((a_sink, a_source), (b_sink, b_source)) = pipe::memory();
    tokio::join!(
        noise::lan_dial(a_sink, a_source, &[1; 16], a, dial, MAX),
        noise::lan_answer(b_sink, b_source, &b_team, b, b_peers, MAX)
    )
}

#[tokio::test]
async fn lan_first_contact_shows_each_side_the_others_key_and_other_teams_fail() {
    let a = StaticKey::generate().unwrap();
    let b = StaticKey::generate().unwrap();
    let (a_pub, b_pub) = (a.public(), b.public());
    let (ca, cb) = lan_pair(&a, noise::LanDial::FirstContact, &b, &[], [1; 16]).await;
    let (ca, cb) = (ca.unwrap(), cb.unwrap());
    assert_eq!(ca.remote_static, Some(b_pub));
    assert_eq!(cb.remote_static, Some(a_pub));
    assert_eq!(ca.handshake_hash, cb.handshake_hash);

    // A device of another team (another prologue) cannot finish.
    let (ca, cb) = lan_pair(&a, noise::LanDial::FirstContact, &b, &[], [2; 16]).await;
    assert!(ca.is_err() || cb.is_err());
}

#[tokio::test]
async fn lan_known_peers_meet_without_sending_a_static_key() {
    let a = StaticKey::generate().unwrap();
    let b = StaticKey::generate().unwrap();
    let other = StaticKey::generate().unwrap();
    let (a_pub, b_pub) = (a.public(), b.public());
    // The answering device tries every team key it knows; the dialler's
    // is among them, not first.
    let (ca, cb) = lan_pair(
        &a,
        noise::LanDial::KnownPeer(&b_pub),
        &b,
        &[other.public(), a_pub],
        [1; 16],
    )
    .await;
    let (mut ca, mut cb) = (ca.unwrap(), cb.unwrap());
    assert_eq!(ca.remote_static, Some(b_pub));
    assert_eq!(cb.remote_static, Some(a_pub));
    ca.sender.send(b"hello").await.unwrap();
    assert_eq!(cb.receiver.recv().await.unwrap().unwrap(), b"hello");
    cb.sender.send(b"back").await.unwrap();
    assert_eq!(ca.receiver.recv().await.unwrap().unwrap(), b"back");
}

#[tokio::test]
async fn a_known_peer_dial_fails_with_whoever_else_answers_or_dials() {
    let a = StaticKey::generate().unwrap();
    let b = StaticKey::generate().unwrap();
    let stranger = StaticKey::generate().unwrap();
    let (a_pub, b_pub) = (a.public(), b.public());
    // An advert replayed to point at the stranger: the dial meant for b
    // reaches it, and it cannot answer even if it lists a's key.
    let (ca, cs) = lan_pair(
        &a,
        noise::LanDial::KnownPeer(&b_pub),
        &stranger,
        &[a_pub],
        [1; 16],
    )
    .await;
    assert!(ca.is_err(), "the dialler went on with the wrong device");
    assert!(matches!(cs, Err(NetError::Handshake(_))), "{:?}", cs.err());

    // A device that knows b's public key (a removed member's laptop) but
    // is not among b's team devices is refused at the first message.
    let (cs, cb) = lan_pair(
        &stranger,
        noise::LanDial::KnownPeer(&b_pub),
        &b,
        &[a_pub],
        [1; 16],
    )
    .await;
    assert!(cs.is_err());
    match cb {
        Err(NetError::Handshake(m)) => assert!(m.contains("no key of this team"), "{m}"),
        other => panic!("the stranger was let in: {:?}", other.err()),
    }
}

/// A `KK` first message asked for with a replayed advert (the dialler
/// meant it for b and reached the attacker) and replayed to b: b answers,
/// but the attacker cannot send the confirmation, so no session begins.
#[tokio::test]
async fn a_replayed_known_peer_first_message_opens_nothing() {
    use noise::MessageSink;
    let a = StaticKey::generate().unwrap();
    let b = StaticKey::generate().unwrap();
    let (a_pub, b_pub) = (a.public(), b.public());
    let ((a_sink, a_source), (x_sink, mut x_source)) = pipe::memory();
    let dial = tokio::spawn(async move {
        let known = noise::LanDial::KnownPeer(&b_pub);
        noise::lan_dial(a_sink, a_source, &[1; 16], &a, known, MAX)
            .await
            .is_ok()
    });
    let recorded = x_source.recv().await.unwrap().unwrap();
    drop((x_sink, x_source));
    assert!(
        !dial.await.unwrap(),
        "the dial reached no one who holds b's key"
    );

    let ((mut r_sink, mut r_source), (b_sink, b_source)) = pipe::memory();
    r_sink.send(recorded).await.unwrap();
    let answer = tokio::spawn(async move {
        noise::lan_answer(b_sink, b_source, &[1; 16], &b, &[a_pub], MAX)
            .await
            .map(|_| ())
    });
    // b's own message comes back; it opens nothing for the attacker, who
    // sends what a transport message would look like.
    assert!(r_source.recv().await.unwrap().is_some());
    r_sink.send(vec![0x42; 32]).await.unwrap();
    match answer.await.unwrap() {
        Err(NetError::Handshake(m)) => assert!(m.contains("did not confirm"), "{m}"),
        other => panic!("a replayed first message was taken: {other:?}"),
    }
}

#[tokio::test]
async fn a_lan_first_message_of_the_wrong_form_is_refused() {
    let b = StaticKey::generate().unwrap();
    let peers = [StaticKey::generate().unwrap().public()];
    let cases: [(&str, Vec<u8>); 6] = [
        ("empty", vec![]),
        ("unknown pattern", vec![7; 49]),
        ("KK, too short", vec![1, 1, 2, 3]),
        ("KK, random bytes", (0..49u8).collect()),
        ("KK, a long message", vec![1; 60_000]),
        ("XX, a payload after the key", vec![0; 40]),
    ];
    for (what, first) in cases {
        let ((mut a_sink, _a_source), (b_sink, b_source)) = pipe::memory();
        use noise::MessageSink;
        a_sink.send(first).await.unwrap();
        let got = noise::lan_answer(b_sink, b_source, &[1; 16], &b, &peers, MAX).await;
        assert!(
            matches!(got, Err(NetError::Handshake(_))),
            "{what}: {:?}",
            got.err()
        );
    }
}

#[tokio::test]
async fn tcp_pipes_carry_the_channel() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let relay = StaticKey::generate().unwrap();
    let pinned = relay.public();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (sink, source) = pipe::tcp(stream);
        let mut ch = noise::relay_responder(sink, source, &relay, MAX)
            .await
            .unwrap();
        let got = ch.receiver.recv().await.unwrap().unwrap();
        ch.sender.send(&got).await.unwrap();
        ch.receiver.recv().await.unwrap()
    });
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (sink, source) = pipe::tcp(stream);
    let mut ch = noise::relay_initiator(sink, source, &pinned, MAX)
        .await
        .unwrap();
    let msg = vec![42u8; 300_000];
    ch.sender.send(&msg).await.unwrap();
    assert_eq!(ch.receiver.recv().await.unwrap(), Some(msg));
    drop(ch);
    // A close between messages is a clean end.
    assert_eq!(server.await.unwrap(), None);
}

#[test]
fn static_keys_print_only_their_public_half() {
    let k = StaticKey::from_bytes([9; 32]);
    let shown = format!("{k:?}");
    assert!(shown.contains(&hex::encode(k.public())));
    assert!(!shown.contains(&hex::encode([9u8; 32])));
}
