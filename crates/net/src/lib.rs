//! Network transports for Caravan's sync: the Noise channel every
//! connection runs in (`noise`), message pipes over TCP (`pipe`), LAN
//! discovery and sessions (`lan`), and the relay's protocol and client.
//! The trust decisions stay in caravan-sync: nothing here applies a change.

pub mod access;
pub mod error;
pub mod lan;
pub mod noise;
pub mod pipe;
pub mod relay_client;
pub mod relay_proto;
pub mod relay_round;
pub mod tls;

pub use error::NetError;
