//! Two devices of one team sync over loopback TCP: the Noise channel, the
//! peer found in the team document, the session run until both are
//! current, a live edit pushed while connected, one session when both
//! dial, and a device of another team turned away.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use caravan_model::{Catalog, NewCase, Role};
use caravan_net::lan::{self, End, LanConfig, LanError, LanHost, SessionHost, Sessions};
use caravan_net::noise::StaticKey;
use caravan_sync::identity::DeviceKeys;
use caravan_sync::join::JoinRequest;
use caravan_sync::replica::Replica;
use caravan_sync::session::Session;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

const T0: i64 = 1_767_000_000_000;

struct Device {
    replica: Arc<Mutex<Replica>>,
    config: LanConfig,
}

struct Host {
    replica: Arc<Mutex<Replica>>,
    /// How many times a live session of this host found both sides current.
    current: Arc<AtomicUsize>,
}

fn host(d: &Device) -> Host {
    Host {
        replica: d.replica.clone(),
        current: Arc::default(),
    }
}

struct HostSession {
    replica: Arc<Mutex<Replica>>,
    session: Session,
    current: Arc<AtomicUsize>,
}

impl std::fmt::Debug for HostSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HostSession")
    }
}

impl SessionHost for HostSession {
    type Error = String;
    fn poll(&mut self) -> Result<Option<Vec<u8>>, String> {
        let mut r = self.replica.lock().unwrap();
        self.session.poll(&mut r).map_err(|e| e.code().to_string())
    }
    fn receive(&mut self, frame: &[u8]) -> Result<(), String> {
        let mut r = self.replica.lock().unwrap();
        self.session
            .receive(&mut r, frame)
            .map(drop)
            .map_err(|e| e.code().to_string())
    }
    fn is_done(&mut self) -> bool {
        self.session.is_done()
    }
    fn current(&mut self) {
        self.current.fetch_add(1, Ordering::SeqCst);
    }
}

impl LanHost for Host {
    type Session = HostSession;
    type Error = String;
    fn identify(&self, agreement: &[u8; 32]) -> Option<String> {
        let r = self.replica.lock().unwrap();
        r.device_by_agreement(agreement).ok()?.map(|d| d.to_hex())
    }
    fn peers(&self) -> Vec<[u8; 32]> {
        let r = self.replica.lock().unwrap();
        r.lan_peers().unwrap().into_iter().map(|(_, k)| k).collect()
    }
    fn open_session(&self, _peer: &str) -> Result<HostSession, String> {
        let r = self.replica.lock().unwrap();
        let session = Session::new(&r, None, T0).map_err(|e| e.code().to_string())?;
        Ok(HostSession {
            replica: self.replica.clone(),
            session,
            current: self.current.clone(),
        })
    }
}

impl Device {
    /// The agreement key the team document lists for this device.
    fn agreement(&self) -> [u8; 32] {
        self.config.key.public()
    }
}

fn device(replica: Replica) -> Device {
    Device {
        config: LanConfig {
            team_id: replica.team_id().0,
            key: Arc::new(StaticKey::from_bytes(*replica.lan_static_secret())),
            me: replica.device().to_hex(),
            max_message: 64 << 20,
        },
        replica: Arc::new(Mutex::new(replica)),
    }
}

/// A supervisor who founded the team and an investigator enrolled by them.
fn pair() -> (Device, Device) {
    let mut admin = Replica::found(
        DeviceKeys::generate().unwrap(),
        "Almaty TIP unit",
        "Supervisor Amir",
        "office",
        T0,
    )
    .unwrap();
    let inv_keys = DeviceKeys::generate().unwrap();
    let request =
        JoinRequest::from_text(&JoinRequest::new(&inv_keys, "Aigerim", "laptop").to_text())
            .unwrap();
    let package = admin.approve(&request, Role::Investigator, T0).unwrap();
    let inv = Replica::accept(inv_keys, &package, &admin.team_id().into()).unwrap();
    (device(admin), device(inv))
}

fn open_case(d: &Device, name: &str) -> String {
    open_case_titled(d, name, "Garment workshop")
}

fn open_case_titled(d: &Device, name: &str, title: &str) -> String {
    let mut nonce = [0u8; 16];
    nonce[..name.len()].copy_from_slice(name.as_bytes());
    d.replica
        .lock()
        .unwrap()
        .create_case(
            NewCase {
                nonce,
                reference: format!("REF-{name}"),
                title: title.into(),
                jurisdiction: "KZ".into(),
            },
            T0,
            Catalog::builtin(),
        )
        .unwrap()
}

fn holds(d: &Device, case: &str) -> bool {
    d.replica.lock().unwrap().case(case).is_some()
}

/// One connection of device `d` that ends once both sides are current.
async fn once(
    stream: TcpStream,
    end: End,
    d: &Device,
    host: &Host,
    sessions: &Sessions,
) -> Result<(String, lan::Outcome, HostSession), LanError<String>> {
    lan::connection(stream, end, &d.config, host, sessions, None).await
}

async fn connect(listener: &TcpListener) -> (TcpStream, TcpStream) {
    let addr = listener.local_addr().unwrap();
    let (a, b) = tokio::join!(TcpStream::connect(addr), listener.accept());
    (a.unwrap(), b.unwrap().0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_sync_then_a_live_edit_arrives_while_connected() {
    let (admin, inv) = pair();
    let first = open_case(&inv, "first");
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (dial, accept) = connect(&listener).await;
    let (edits_tx, edits_rx) = watch::channel(0u64);
    // The supervisor's side is live too (nothing is edited there): neither
    // side ends the session once both are current.
    let (_quiet_tx, quiet_rx) = watch::channel(0u64);
    let sessions_a = Sessions::default();
    let sessions_b = Sessions::default();
    let host_a = host(&admin);
    let host_b = host(&inv);
    let a = lan::connection(
        accept,
        End::Accepted,
        &admin.config,
        &host_a,
        &sessions_a,
        Some(quiet_rx),
    );
    let b = lan::connection(
        dial,
        End::Dialled(Some(admin.agreement())),
        &inv.config,
        &host_b,
        &sessions_b,
        Some(edits_rx),
    );
    let watcher = async {
        assert!(
            eventually(|| holds(&admin, &first)).await,
            "the first case did not arrive"
        );
        assert!(sessions_a.is_running(&inv.config.me));
        // Each side is told once both are current, though the session stays.
        let told = || host_b.current.load(Ordering::SeqCst);
        assert!(
            eventually(|| told() >= 1).await,
            "never told it was current"
        );
        let before = told();
        // A live edit on the investigator's side, while connected.
        let second = open_case(&inv, "second");
        edits_tx.send_modify(|n| *n += 1);
        let arrived = eventually(|| holds(&admin, &second)).await;
        assert!(
            eventually(|| told() > before).await,
            "not told after the edit"
        );
        arrived
    };
    let live = tokio::time::timeout(Duration::from_secs(60), async {
        tokio::select! {
            r = async { tokio::join!(a, b) } => panic!("a live session ended: {r:?}"),
            live = watcher => live,
        }
    })
    .await
    .expect("the sessions did not sync");
    assert!(live, "the live edit did not arrive while connected");
}

/// Waits, bounded, for `f` to hold.
async fn eventually(f: impl Fn() -> bool) -> bool {
    for _ in 0..400 {
        if f() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    f()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_both_dial_one_session_runs() {
    let (admin, inv) = pair();
    let case = open_case(&inv, "both");
    let la = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let lb = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (a_dials, b_accepts) = connect(&lb).await;
    let (b_dials, a_accepts) = connect(&la).await;
    let sessions_a = Sessions::default();
    let sessions_b = Sessions::default();
    let host_a = host(&admin);
    let host_b = host(&inv);
    let (r1, r2, r3, r4) = tokio::time::timeout(Duration::from_secs(60), async {
        tokio::join!(
            once(a_dials, End::Dialled(None), &admin, &host_a, &sessions_a),
            once(a_accepts, End::Accepted, &admin, &host_a, &sessions_a),
            once(b_dials, End::Dialled(None), &inv, &host_b, &sessions_b),
            once(b_accepts, End::Accepted, &inv, &host_b, &sessions_b),
        )
    })
    .await
    .expect("the sessions did not end");
    let completed = [&r1, &r2, &r3, &r4]
        .iter()
        .filter(|r| matches!(r, Ok((_, o, _)) if o.complete))
        .count();
    // One connection per side completes its session; the other ends.
    assert_eq!(completed, 2, "{r1:?} {r2:?} {r3:?} {r4:?}");
    assert!(holds(&admin, &case));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_of_another_team_is_turned_away() {
    let (admin, _) = pair();
    let (stranger, _) = pair();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (dial, accept) = connect(&listener).await;
    let sessions_a = Sessions::default();
    let sessions_s = Sessions::default();
    let host_a = host(&admin);
    let host_s = host(&stranger);
    let (ra, rs) = tokio::time::timeout(Duration::from_secs(30), async {
        tokio::join!(
            once(accept, End::Accepted, &admin, &host_a, &sessions_a),
            once(dial, End::Dialled(None), &stranger, &host_s, &sessions_s),
        )
    })
    .await
    .unwrap();
    // Another team's id is in the handshake's prologue: the handshake
    // itself fails on one side, the other sees the channel close.
    assert!(matches!(ra, Err(LanError::Net(_))), "{ra:?}");
    assert!(matches!(rs, Err(LanError::Net(_))), "{rs:?}");
}

#[test]
fn adverts_change_every_window_and_only_the_team_tells_whose_they_are() {
    use caravan_net::lan::DiscoveryKey;
    use zeroize::Zeroizing;
    let key = DiscoveryKey::from_bytes(Zeroizing::new([7; 32]));
    let other = DiscoveryKey::from_bytes(Zeroizing::new([8; 32]));
    let w = lan::discovery::WINDOW_MS;
    let now = T0;
    let (me, peer, third) = ("aa".repeat(16), "bb".repeat(16), "cc".repeat(16));
    let team = [me.clone(), third.clone(), peer.clone()];
    let name = key.advert_name(now, &peer, "a1b2c3d4");
    assert_eq!(key.recognise(&name, now, &team), Some(peer.as_str()));
    assert_eq!(
        key.recognise(&name, now + w, &team),
        Some(peer.as_str()),
        "a clock one window ahead"
    );
    assert_eq!(
        key.recognise(&name, now + 3 * w, &team),
        None,
        "an old advert"
    );
    assert_eq!(
        key.recognise(&name, now, &[me.clone(), third]),
        None,
        "a device no longer in the team"
    );
    assert_eq!(
        other.recognise(&name, now, &team),
        None,
        "another team's key"
    );
    assert_ne!(key.advert_name(now + w, &peer, "a1b2c3d4"), name);
    assert_ne!(
        key.advert_name(now, &me, "a1b2c3d4"),
        name,
        "two devices, two tags"
    );
    assert_eq!(key.recognise("not-a-caravan-advert", now, &team), None);
    assert!(!name.contains("Almaty") && !name.contains("laptop") && !name.contains(&peer[..8]));
}

/// Copies one direction and keeps a copy of every byte.
async fn copy_seen(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    seen: Arc<Mutex<Vec<u8>>>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = vec![0u8; 16 << 10];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        seen.lock().unwrap().extend_from_slice(&buf[..n]);
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

/// Forwards bytes between two sockets and keeps a copy of everything.
async fn tap(a: TcpStream, b: TcpStream, seen: Arc<Mutex<Vec<u8>>>) {
    let (ar, aw) = a.into_split();
    let (br, bw) = b.into_split();
    tokio::join!(copy_seen(ar, bw, seen.clone()), copy_seen(br, aw, seen));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wire_carries_no_case_byte_in_the_clear_after_first_contact() {
    wire_canary(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wire_carries_no_case_byte_nor_static_key_between_known_peers() {
    wire_canary(true).await;
}

/// Syncs a case whose title is a canary through a tap, the dialler
/// knowing the answering device (`KK`) or not (`XX`), and looks for the
/// canary and for anything naming the team or the devices in the bytes.
async fn wire_canary(known: bool) {
    const CANARY: &str = "Canary-Zhanar-Tulegenova-7731";
    let (admin, inv) = pair();
    let case = open_case_titled(&inv, "canary", CANARY);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (to_proxy, from_inv) = connect(&proxy).await;
    let (to_admin, admin_side) = connect(&listener).await;
    let tapping = tokio::spawn(tap(from_inv, to_admin, seen.clone()));
    let dial = End::Dialled(known.then(|| admin.agreement()));
    let sessions_a = Sessions::default();
    let sessions_b = Sessions::default();
    let host_a = host(&admin);
    let host_b = host(&inv);
    let (ra, rb) = tokio::time::timeout(Duration::from_secs(60), async {
        tokio::join!(
            once(admin_side, End::Accepted, &admin, &host_a, &sessions_a),
            once(to_proxy, dial, &inv, &host_b, &sessions_b),
        )
    })
    .await
    .unwrap();
    ra.unwrap();
    rb.unwrap();
    drop(tapping);
    // The case went through, title and all...
    let got = admin.replica.lock().unwrap().case(&case).unwrap();
    assert_eq!(got.case().unwrap().header.title, CANARY);
    // ...and not one copy of it in the clear, nor the team's name, nor
    // what a session frame's header carries (the team id, the devices'
    // public keys): the Noise channel hides who talks to whom.
    let seen = seen.lock().unwrap();
    assert!(seen.len() > 1000, "only {} bytes seen", seen.len());
    let team_id = admin.replica.lock().unwrap().team_id().0;
    let admin_id = admin.replica.lock().unwrap().device().0;
    let inv_id = inv.replica.lock().unwrap().device().0;
    let (admin_key, inv_key) = (admin.agreement(), inv.agreement());
    let mut needles: Vec<&[u8]> = vec![
        CANARY.as_bytes(),
        b"Almaty TIP unit",
        b"Aigerim",
        &team_id,
        &admin_id,
        &inv_id,
    ];
    if known {
        // Known peers send no static key at all (`KK`); neither is in
        // the clear either way.
        needles.extend([&admin_key[..], &inv_key[..]]);
    }
    for needle in needles {
        assert!(
            !seen.windows(needle.len()).any(|w| w == needle),
            "{} in the clear on the wire",
            String::from_utf8_lossy(needle)
        );
    }
}

#[test]
fn the_network_category_is_read_from_what_windows_prints() {
    use caravan_net::lan::profile::{NetworkCategory, from_categories};
    let check = |text: &str, expect: NetworkCategory| {
        assert_eq!(from_categories(text), expect, "{text:?}");
    };
    check("Private\r\n", NetworkCategory::Private);
    check(
        "DomainAuthenticated\r\nPrivate\r\n",
        NetworkCategory::Private,
    );
    // One public network among others: its interface is blocked.
    check("Private\r\nPublic\r\n", NetworkCategory::Public);
    check("public", NetworkCategory::Public);
    check("", NetworkCategory::Unknown);
    check("\r\n", NetworkCategory::Unknown);
    check(
        "Get-NetConnectionProfile : not recognised",
        NetworkCategory::Unknown,
    );
}
