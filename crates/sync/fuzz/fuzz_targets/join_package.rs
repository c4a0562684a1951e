//! Arbitrary bytes as a join package: refused with an error, never a panic.
#![no_main]

use caravan_sync::{DeviceKeys, ExpectedTeam, Replica, TeamId};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let keys = DeviceKeys::from_secret_bytes(&[3; 32], &[4; 32]);
    let _ = Replica::accept(keys, data, &ExpectedTeam::Id(TeamId([5; 16])));
});
