//! Feeds arbitrary bytes to the bundle reader of a replica: it must refuse
//! them with an error, never panic, and never change the replica.
#![no_main]

use std::sync::{LazyLock, Mutex};

use caravan_sync::bundle::Limits;
use caravan_sync::{DeviceKeys, Replica};
use libfuzzer_sys::fuzz_target;

static REPLICA: LazyLock<Mutex<Replica>> = LazyLock::new(|| {
    Mutex::new(Replica::found(DeviceKeys::from_secret_bytes(&[1; 32], &[2; 32]), "Fuzz", "Admin", "pc", 0).unwrap())
});

fuzz_target!(|data: &[u8]| {
    let mut replica = REPLICA.lock().unwrap();
    let _ = caravan_sync::bundle::parse(data, &Limits::default());
    let _ = replica.import(data, &Limits::default());
});
