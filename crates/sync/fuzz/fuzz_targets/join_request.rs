//! Arbitrary text as a join request: refused or accepted, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = caravan_sync::join::JoinRequest::from_text(text);
    }
});
