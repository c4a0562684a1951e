//! Sync between two laptops on one network, with no internet: discovery
//! (`discovery`), one connection's session (`node`), and the session run
//! over the channel (`drive`), and all of it for an open workspace
//! (`service`).

pub mod discovery;
pub mod drive;
pub mod node;
pub mod service;

pub use discovery::{Discovery, DiscoveryKey};
pub use drive::{Outcome, SessionHost};
pub use node::{LanConfig, LanError, LanHost, Sessions, connection};
