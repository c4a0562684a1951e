//! TLS for a relay at a `wss://` address: the system's trusted roots, and
//! an office's own certificate authority named by `CARAVAN_RELAY_CA` (a PEM
//! file). TLS hides the connection from the network around it; who the
//! relay is, and what passes, is still settled by the Noise channel inside
//! it, against the relay's pinned key.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use rustls::RootCertStore;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::error::NetError;

/// The variable naming a PEM file of further certificate authorities.
pub const RELAY_CA_ENV: &str = "CARAVAN_RELAY_CA";

/// The certificate authorities a relay's TLS certificate is checked against.
#[derive(Clone)]
pub struct RelayTls {
    config: Arc<rustls::ClientConfig>,
}

impl std::fmt::Debug for RelayTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayTls").finish_non_exhaustive()
    }
}

impl RelayTls {
    /// The system's roots, and those of the file `CARAVAN_RELAY_CA` names;
    /// read once per process (a background sync connects every minute).
    pub fn from_env() -> Result<RelayTls, NetError> {
        static READ: OnceLock<RelayTls> = OnceLock::new();
        if let Some(tls) = READ.get() {
            return Ok(tls.clone());
        }
        let file = std::env::var_os(RELAY_CA_ENV);
        let tls = Self::system_and(file.as_deref().map(Path::new))?;
        Ok(READ.get_or_init(|| tls).clone())
    }

    /// The system's roots, and those of the PEM file `ca_file`.
    pub fn system_and(ca_file: Option<&Path>) -> Result<RelayTls, NetError> {
        let mut roots = RootCertStore::empty();
        // A root the system store holds but cannot parse is skipped: the
        // others still verify, and a relay whose chain needed it is refused.
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        if let Some(path) = ca_file {
            add_pem_file(&mut roots, path)?;
        }
        Self::with_roots(roots)
    }

    /// Only the certificate authorities of `pem`.
    pub fn from_pem(pem: &[u8]) -> Result<RelayTls, NetError> {
        let mut roots = RootCertStore::empty();
        add_pem(&mut roots, pem, "the certificates given")?;
        Self::with_roots(roots)
    }

    // ring, not rustls' default aws-lc-rs: no CMake or assembler toolchain
    // for a Windows build, and a third of the compile time. rustls marks
    // ring's provider deprecated for want of post-quantum key exchange;
    // what passes through this TLS is already encrypted end to end by the
    // Noise channel inside it (docs/decisions.md).
    #[allow(deprecated)]
    fn with_roots(roots: RootCertStore) -> Result<RelayTls, NetError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| NetError::TlsConfig(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(RelayTls {
            config: Arc::new(config),
        })
    }

    pub(crate) fn connector(&self) -> tokio_tungstenite::Connector {
        tokio_tungstenite::Connector::Rustls(self.config.clone())
    }
}

fn add_pem_file(roots: &mut RootCertStore, path: &Path) -> Result<(), NetError> {
    let pem = std::fs::read(path).map_err(|e| {
        NetError::TlsConfig(format!("{RELAY_CA_ENV} names {}: {e}", path.display()))
    })?;
    add_pem(roots, &pem, &format!("{RELAY_CA_ENV} ({})", path.display()))
}

fn add_pem(roots: &mut RootCertStore, pem: &[u8], what: &str) -> Result<(), NetError> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| NetError::TlsConfig(format!("{what}: {e}")))?;
    if certs.is_empty() {
        return Err(NetError::TlsConfig(format!("{what} holds no certificate")));
    }
    for cert in certs {
        roots
            .add(cert)
            .map_err(|e| NetError::TlsConfig(format!("{what}: {e}")))?;
    }
    Ok(())
}

/// A TLS failure inside an I/O error, as tokio-rustls reports one.
pub(crate) fn rustls_error(e: &std::io::Error) -> Option<&rustls::Error> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
}

/// Why TLS with a relay could not be set up: the other side does not speak
/// TLS at all (a plain `ws://` relay at a `wss://` address), or its
/// certificate could not be verified.
pub(crate) fn refusal(e: &rustls::Error) -> NetError {
    match e {
        rustls::Error::InvalidMessage(_) => NetError::NotTls,
        other => NetError::Tls(other.to_string()),
    }
}
