//! Finding the team's other devices on the LAN with mDNS, without telling a
//! passer-by whose they are.
//!
//! A device advertises `_caravan._tcp` under an instance name made of a
//! tag and a random suffix. The tag is an HMAC of the current 15-minute
//! window and the device's id under the team's discovery key (derived
//! from the team key), so it changes four times an hour and only a device
//! holding the key can tell whose advert it is, or that it is a team's at
//! all. A team member finds the device by trying the tags of the team's
//! active devices, and can then dial it with a `KK` handshake: neither
//! side's static key crosses the network. The random suffix keeps two
//! runs on one device from claiming the same name. An advert whose tag is
//! no active team device's is ignored.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::Duration;

use hmac::{KeyInit, Mac};
use mdns_sd::{ServiceDaemon, ServiceEvent, ServiceInfo};
use sha2::Sha256;
use tokio::sync::mpsc;
use zeroize::Zeroizing;

use crate::error::NetError;

pub const SERVICE_TYPE: &str = "_caravan._tcp.local.";
/// Addresses reported per run at most (until adverts are withdrawn).
const MAX_SEEN: usize = 256;
/// How long one tag is advertised.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// The team's LAN discovery key. Wiped when dropped; never printed.
pub struct DiscoveryKey(Zeroizing<[u8; 32]>);

impl DiscoveryKey {
    pub fn from_bytes(bytes: Zeroizing<[u8; 32]>) -> DiscoveryKey {
        DiscoveryKey(bytes)
    }

    fn tag(&self, window: i64, device: &str) -> String {
        let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(&self.0[..])
            .expect("HMAC takes a key of any length");
        mac.update(b"caravan/lan/advert/v2\0");
        mac.update(&window.to_be_bytes());
        mac.update(device.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..8])
    }

    /// The instance name device `me` advertises at `now_ms`, with `suffix`
    /// (random, chosen once per run).
    pub fn advert_name(&self, now_ms: i64, me: &str, suffix: &str) -> String {
        format!("{}-{suffix}", self.tag(now_ms.div_euclid(WINDOW_MS), me))
    }

    /// Which of `devices` advertises as `name`: its tag is that device's
    /// for this window, the one before or the one after (clocks differ).
    pub fn recognise<'d>(&self, name: &str, now_ms: i64, devices: &'d [String]) -> Option<&'d str> {
        let (tag, suffix) = name.split_once('-')?;
        if tag.len() != 16 || suffix.is_empty() || suffix.len() > 32 {
            return None;
        }
        let w = now_ms.div_euclid(WINDOW_MS);
        devices
            .iter()
            .find(|d| (w - 1..=w + 1).any(|w| self.tag(w, d) == tag))
            .map(String::as_str)
    }
}

/// A team device whose advert was seen, and where it listens.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Found {
    pub address: SocketAddr,
    /// The device's id (hex), from its advert's tag.
    pub device: String,
}

impl std::fmt::Debug for DiscoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DiscoveryKey(..)")
    }
}

fn mdns_err(e: mdns_sd::Error) -> NetError {
    NetError::Io(format!("local network discovery: {e}"))
}

/// An advert and a browse of the team's devices, running until dropped.
pub struct Discovery {
    daemon: ServiceDaemon,
    stop: Option<std::sync::mpsc::Sender<()>>,
}

impl Discovery {
    /// Advertises device `me`'s listening `port` and reports where the
    /// team's other devices (`peers`, hex ids) listen as their adverts are
    /// resolved. `now` gives the wall clock in milliseconds (passed in so
    /// tests can choose it).
    pub fn start(
        key: DiscoveryKey,
        me: String,
        peers: Vec<String>,
        port: u16,
        now: fn() -> i64,
    ) -> Result<(Discovery, mpsc::UnboundedReceiver<Found>), NetError> {
        let daemon = ServiceDaemon::new().map_err(mdns_err)?;
        let mut suffix = [0u8; 4];
        getrandom::fill(&mut suffix).map_err(|e| NetError::Io(e.to_string()))?;
        let suffix = hex::encode(suffix);
        let browse = daemon.browse(SERVICE_TYPE).map_err(mdns_err)?;
        let (found_tx, found_rx) = mpsc::unbounded_channel();
        let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
        let advertiser = daemon.clone();
        std::thread::Builder::new()
            .name("caravan-lan-discovery".into())
            .spawn(move || {
                let mut advertised: Option<String> = None;
                let mut seen: HashSet<Found> = HashSet::new();
                loop {
                    let t = now();
                    let name = key.advert_name(t, &me, &suffix);
                    if advertised.as_deref() != Some(name.as_str()) {
                        if let Some(old) = advertised.take() {
                            let _ = advertiser.unregister(&format!("{old}.{SERVICE_TYPE}"));
                        }
                        match advert(&name, port) {
                            Ok(info) => {
                                if advertiser.register(info).is_ok() {
                                    advertised = Some(name.clone());
                                }
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "the LAN advert could not be made")
                            }
                        }
                    }
                    match browse.recv_timeout(Duration::from_millis(500)) {
                        Ok(ServiceEvent::ServiceResolved(info)) => {
                            let instance = info
                                .get_fullname()
                                .strip_suffix(&format!(".{SERVICE_TYPE}"))
                                .unwrap_or_default()
                                .to_string();
                            if instance == name {
                                continue;
                            }
                            let Some(device) = key.recognise(&instance, t, &peers) else {
                                continue;
                            };
                            for ip in info.get_addresses().iter().filter(|ip| dialable(ip)) {
                                let found = Found {
                                    address: SocketAddr::new(*ip, info.get_port()),
                                    device: device.to_string(),
                                };
                                // Bounded: adverts replayed with made-up
                                // suffixes cannot grow it without end.
                                if seen.len() < MAX_SEEN
                                    && seen.insert(found.clone())
                                    && found_tx.send(found).is_err()
                                {
                                    return;
                                }
                            }
                        }
                        Ok(ServiceEvent::ServiceRemoved(..)) => seen.clear(),
                        Ok(_) | Err(_) => {}
                    }
                    if !matches!(
                        stop_rx.try_recv(),
                        Err(std::sync::mpsc::TryRecvError::Empty)
                    ) {
                        return;
                    }
                }
            })
            .map_err(|e| NetError::Io(e.to_string()))?;
        Ok((
            Discovery {
                daemon,
                stop: Some(stop_tx),
            },
            found_rx,
        ))
    }
}

/// Whether an advertised address can be dialled as it is: an IPv6
/// link-local address needs the interface it was seen on, which the
/// advert does not carry, so dialling it would only fail.
fn dialable(ip: &std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(_) => true,
        std::net::IpAddr::V6(v6) => !v6.is_unicast_link_local(),
    }
}

fn advert(name: &str, port: u16) -> Result<ServiceInfo, mdns_sd::Error> {
    // The host name is the instance's own, not the machine's: a machine
    // name would identify the laptop to anyone listening.
    let host = format!("{name}.local.");
    Ok(ServiceInfo::new(
        SERVICE_TYPE,
        name,
        &host,
        "",
        port,
        None::<std::collections::HashMap<String, String>>,
    )?
    .enable_addr_auto())
}

impl Drop for Discovery {
    fn drop(&mut self) {
        drop(self.stop.take());
        let _ = self.daemon.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::dialable;

    /// Regression: an advert's IPv6 link-local address was dialled
    /// without its interface, failed, and was reported as a failure of the
    /// device (and, on a two-laptop link, could come before the address
    /// that works).
    #[test]
    fn link_local_ipv6_addresses_are_not_dialled() {
        let check = |ip: &str, expect: bool| {
            assert_eq!(dialable(&ip.parse().unwrap()), expect, "{ip}");
        };
        check("10.77.0.1", true);
        check("192.168.1.20", true);
        check("fe80::aca2:12ff:fe24:62ef", false);
        check("fd00::1", true);
        check("2001:db8::1", true);
    }
}
