//! The LAN status the window shows, kept from the service's events.
//!
//! A device found on the network is named by its advert (`Found` with
//! its id); one dialled at an address the person typed, or one that dialled
//! this laptop, is named once its session has begun (`Connected`). Before
//! that a typed address is a row of its own, which the device that answers
//! there takes over. A device that dialled in gets the address found when
//! exactly one unnamed row was waiting: with several, a row shows no
//! address rather than a wrong one.

use caravan_net::lan::service::LanEvent;

use crate::dto::{LanPeerDto, LanPeerState, LanStatusDto};
use crate::state::now_ms;

/// Which of the app's service runs an event came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The run that listens (and discovers).
    Main,
    /// A run that dials the one address the person typed.
    Dial(String),
}

/// The status, and which start it belongs to: a run of an earlier start
/// that ends late must not change a later one's status.
#[derive(Debug, Default)]
pub struct Book {
    pub status: LanStatusDto,
    pub generation: u64,
}

impl Book {
    pub fn apply(&mut self, origin: &Origin, event: LanEvent) {
        match event {
            LanEvent::Listening { address } => {
                if *origin == Origin::Main {
                    self.status.addresses = shareable(&address);
                    self.status.listening = Some(address);
                }
            }
            LanEvent::Found {
                address,
                peer: Some(device),
            } => {
                // Its advert named the device: its row. An advert can be
                // replayed from anywhere, so it gives a row its first
                // address and never replaces one.
                let row = self.device_row(origin, &device);
                row.address.get_or_insert(address);
            }
            LanEvent::Found {
                address,
                peer: None,
            } => {
                if *origin == Origin::Main && self.by_address(&address).is_none() {
                    self.status.peers.push(row(None, Some(address)));
                }
            }
            LanEvent::Connected { peer, name } => {
                let row = self.device_row(origin, &peer);
                row.name = Some(name);
                row.state = LanPeerState::Connected;
                row.last_error_code = None;
            }
            LanEvent::Synced {
                peer,
                name,
                applied,
                quarantined,
                complete,
            } => {
                let row = self.device_row(origin, &peer);
                row.name = Some(name).filter(|n| !n.is_empty()).or(row.name.take());
                row.applied = applied as u64;
                row.quarantined = quarantined as u64;
                row.last_sync_ms = Some(now_ms());
                if complete {
                    row.state = LanPeerState::Synced;
                    row.last_error_code = None;
                } else {
                    // The other side closed first: what arrived is kept,
                    // the rest comes next time.
                    row.state = LanPeerState::Failed;
                    row.last_error_code = Some("net.closed".into());
                }
            }
            LanEvent::Failed { peer, code, .. } => self.failed(origin, peer, code),
            LanEvent::PublicNetwork => self.status.public_network = true,
        }
    }

    /// A run that dials `address` failed before any session (the address
    /// did not answer, or is not a team device's).
    pub fn dial_failed(&mut self, address: &str, code: &str) {
        self.failed(&Origin::Dial(address.to_string()), None, code.to_string());
    }

    /// The row for an address the person typed, in the found state.
    pub fn dialling(&mut self, address: &str) {
        match self.by_address(address) {
            Some(i) => {
                let row = &mut self.status.peers[i];
                row.state = LanPeerState::Found;
                row.last_error_code = None;
            }
            None => self.status.peers.push(row(None, Some(address.to_string()))),
        }
    }

    fn failed(&mut self, origin: &Origin, peer: Option<String>, code: String) {
        let at = match (peer, origin) {
            (Some(device), _) => Some(self.device_index(origin, &device)),
            (None, Origin::Dial(address)) => self.by_address(address),
            (None, Origin::Main) => self.single_waiting(),
        };
        match at {
            Some(i) => {
                let row = &mut self.status.peers[i];
                row.state = LanPeerState::Failed;
                row.last_error_code = Some(code);
            }
            // A connection the service cannot name (an incoming one that
            // failed before its session).
            None => self.status.last_error_code = Some(code),
        }
    }

    fn by_address(&self, address: &str) -> Option<usize> {
        self.status
            .peers
            .iter()
            .position(|p| p.address.as_deref() == Some(address))
    }

    /// The one row found on the network and not yet a device's, if only
    /// one is waiting.
    fn single_waiting(&self) -> Option<usize> {
        let mut waiting = self
            .status
            .peers
            .iter()
            .enumerate()
            .filter(|(_, p)| p.device.is_none() && p.state == LanPeerState::Found);
        match (waiting.next(), waiting.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    fn device_row(&mut self, origin: &Origin, device: &str) -> &mut LanPeerDto {
        let i = self.device_index(origin, device);
        &mut self.status.peers[i]
    }

    /// The device's row: its own, else the address row it came from (taken
    /// over), else a new one.
    fn device_index(&mut self, origin: &Origin, device: &str) -> usize {
        if let Some(i) = self
            .status
            .peers
            .iter()
            .position(|p| p.device.as_deref() == Some(device))
        {
            // Reached again at an address of its own row: drop the
            // duplicate address row.
            if let Origin::Dial(address) = origin
                && let Some(j) = self.by_address(address).filter(|j| *j != i)
                && self.status.peers[j].device.is_none()
            {
                let address = self.status.peers.remove(j).address;
                let i = if j < i { i - 1 } else { i };
                self.status.peers[i].address = address;
                return i;
            }
            return i;
        }
        let from = match origin {
            Origin::Dial(address) => self
                .by_address(address)
                .filter(|i| self.status.peers[*i].device.is_none()),
            Origin::Main => self.single_waiting(),
        };
        match from {
            Some(i) => {
                self.status.peers[i].device = Some(device.to_string());
                i
            }
            None => {
                let address = match origin {
                    Origin::Dial(a) => Some(a.clone()),
                    Origin::Main => None,
                };
                self.status
                    .peers
                    .push(row(Some(device.to_string()), address));
                self.status.peers.len() - 1
            }
        }
    }
}

fn row(device: Option<String>, address: Option<String>) -> LanPeerDto {
    LanPeerDto {
        device,
        name: None,
        address,
        state: LanPeerState::Found,
        last_sync_ms: None,
        applied: 0,
        quarantined: 0,
        last_error_code: None,
    }
}

/// The addresses another laptop can type to reach `listening`: itself if
/// it names one interface, else this device's non-loopback IPv4
/// addresses on its networks with the port.
pub fn shareable(listening: &str) -> Vec<String> {
    let Ok(addr) = listening.parse::<std::net::SocketAddr>() else {
        return Vec::new();
    };
    if !addr.ip().is_unspecified() {
        return vec![addr.to_string()];
    }
    let mut out: Vec<String> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| !i.is_loopback() && i.ip().is_ipv4())
        .map(|i| std::net::SocketAddr::new(i.ip(), addr.port()).to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}
