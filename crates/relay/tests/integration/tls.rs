//! A relay behind a TLS-terminating proxy, as an office serves one at a
//! `wss://` address: a device that trusts the certificate's authority
//! syncs through it; one that does not is refused before anything is
//! sent, with `net.tls`. The certificates are test fixtures
//! (tests/fixtures/tls/: an office CA, an unrelated CA, the relay's
//! certificate for localhost and 127.0.0.1 and one for another name, both
//! signed by the office CA, valid until 2126).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use caravan_net::relay_client::RelayClient;
use caravan_net::relay_proto::DEFAULT_MAX_ENVELOPE;
use caravan_net::tls::RelayTls;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};

use super::common::*;

const OFFICE_CA: &[u8] = include_bytes!("../fixtures/tls/office-ca.pem");
const OTHER_CA: &[u8] = include_bytes!("../fixtures/tls/other-ca.pem");
const RELAY_CERT: &[u8] = include_bytes!("../fixtures/tls/relay.pem");
const RELAY_KEY: &[u8] = include_bytes!("../fixtures/tls/relay-key.pem");
const ELSEWHERE_CERT: &[u8] = include_bytes!("../fixtures/tls/elsewhere.pem");
const ELSEWHERE_KEY: &[u8] = include_bytes!("../fixtures/tls/elsewhere-key.pem");

/// Ample for loopback; the tests that wait for it to pass wait this long.
const QUICK: Duration = Duration::from_secs(10);

async fn open(
    url: &str,
    key: [u8; 32],
    tls: &RelayTls,
) -> Result<RelayClient, caravan_net::NetError> {
    RelayClient::open_tls(url, key, DEFAULT_MAX_ENVELOPE, tls, QUICK).await
}

/// A proxy on loopback that ends TLS and passes the bytes to `relay`.
async fn tls_proxy(relay: SocketAddr) -> SocketAddr {
    tls_proxy_with(relay, RELAY_CERT, RELAY_KEY).await
}

async fn tls_proxy_with(relay: SocketAddr, cert: &[u8], key: &[u8]) -> SocketAddr {
    let certs = CertificateDer::pem_slice_iter(cert)
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(key).unwrap();
    #[allow(deprecated)] // as the client: ring (docs/decisions.md)
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return; // a client that refused the certificate
                };
                let Ok(mut upstream) = TcpStream::connect(relay).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
            });
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_at_a_wss_address_is_reached_through_tls_and_an_untrusted_certificate_is_refused() {
    let t = team();
    let (_store, relay, url, key) = sqlite_relay().await;
    register(&url, key, &t.admin, T0).await;
    let proxy = tls_proxy(relay.addr).await;
    let wss = format!("wss://localhost:{}", proxy.port());

    // Trusting the office's authority: a message goes up and comes down
    // through TLS.
    let office = RelayTls::from_pem(OFFICE_CA).unwrap();
    let mut a = open(&wss, key, &office).await.unwrap();
    a.authenticate(team_id(&t.inv_a), t.inv_a.keys())
        .await
        .unwrap();
    a.upload(vec![member(&t.inv_b)], b"through tls".to_vec())
        .await
        .unwrap();
    let by_ip = format!("wss://127.0.0.1:{}", proxy.port());
    let mut b = open(&by_ip, key, &office).await.unwrap();
    b.authenticate(team_id(&t.inv_b), t.inv_b.keys())
        .await
        .unwrap();
    let got = fetch_all(&mut b, 0).await;
    assert_eq!(got.values().collect::<Vec<_>>(), [&b"through tls".to_vec()]);

    // The system's roots and an office CA file: the same.
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("office-ca.pem");
    std::fs::write(&ca_file, OFFICE_CA).unwrap();
    let system_and_office = RelayTls::system_and(Some(&ca_file)).unwrap();
    assert_eq!(code(open(&wss, key, &system_and_office).await), "ok");

    // Not trusting it: refused by TLS, as a network in the middle would be.
    for untrusting in [
        RelayTls::from_pem(OTHER_CA).unwrap(),
        RelayTls::system_and(None).unwrap(),
    ] {
        assert_eq!(code(open(&wss, key, &untrusting).await), "net.tls");
    }
    // A certificate of the trusted office, for another name.
    let elsewhere = tls_proxy_with(relay.addr, ELSEWHERE_CERT, ELSEWHERE_KEY).await;
    let wrong_name = format!("wss://localhost:{}", elsewhere.port());
    assert_eq!(code(open(&wrong_name, key, &office).await), "net.tls");
    relay.shutdown(PATIENCE).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_relay_at_a_wss_address_and_a_silent_one_are_told_apart() {
    let (_store, relay, _url, key) = sqlite_relay().await;
    let office = RelayTls::from_pem(OFFICE_CA).unwrap();
    // The relay itself speaks plain WebSocket: typed as wss://, it is not
    // a certificate to install but an address to correct.
    let plain = format!("wss://127.0.0.1:{}", relay.addr.port());
    assert_eq!(code(open(&plain, key, &office).await), "net.not_tls");
    // A port that takes the connection and says nothing: given up in time.
    let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let held = tokio::spawn(async move {
        let mut kept = Vec::new();
        while let Ok((tcp, _)) = silent.accept().await {
            kept.push(tcp);
        }
    });
    let url = format!("wss://localhost:{port}");
    let r = RelayClient::open_tls(
        &url,
        key,
        DEFAULT_MAX_ENVELOPE,
        &office,
        Duration::from_millis(300),
    )
    .await;
    assert_eq!(code(r), "net.timeout");
    held.abort();
    relay.shutdown(PATIENCE).await;
}

#[test]
fn a_certificate_file_that_cannot_be_read_is_refused_with_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pem");
    let e = RelayTls::system_and(Some(&missing)).unwrap_err();
    assert_eq!(e.code(), "net.tls_config");
    assert!(e.to_string().contains("missing.pem"), "{e}");
    let not_pem = dir.path().join("not.pem");
    std::fs::write(&not_pem, "not a certificate").unwrap();
    let e = RelayTls::system_and(Some(&not_pem)).unwrap_err();
    assert_eq!(e.code(), "net.tls_config");
    assert!(e.to_string().contains("holds no certificate"), "{e}");
    assert_eq!(
        RelayTls::from_pem(b"").unwrap_err().code(),
        "net.tls_config",
        "an empty list of authorities would trust nothing"
    );
}
