//! Sync between two laptops on one network, with no internet: discovery
//! (`discovery`), one connection's session (`node`), and the session run
//! over the channel (`drive`), and all of it for an open workspace
//! (`service`).

pub mod discovery;
pub mod drive;
pub mod node;
pub mod profile;
pub mod service;

pub use discovery::{Discovery, DiscoveryKey, Found};
pub use drive::{Outcome, SessionHost};
pub use node::{End, LanConfig, LanError, LanHost, Sessions, connection};
