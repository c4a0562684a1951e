//! Arbitrary bytes as session frames, at the start of a session and as the
//! stream's length prefix: refused with an error, never a panic.
#![no_main]

use caravan_sync::session::{Session, frame_len};
use caravan_sync::{DeviceKeys, Replica};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = frame_len(data);
    let mut replica = Replica::found(DeviceKeys::from_secret_bytes(&[1; 32], &[2; 32]), "Fuzz", "Admin", "pc", 0).unwrap();
    if let Ok(mut session) = Session::new(&replica, None, 0) {
        let _ = session.poll(&mut replica);
        let _ = session.receive(&mut replica, data);
    }
});
