//! What every test here needs: a vault made with the fast key derivation,
//! on a stepping clock, and reopened with the same passphrase.

use std::path::Path;
use std::sync::Arc;

use caravan_core::vault::Passphrase;
use caravan_core::*;

pub const PASS: &str = "correct horse battery staple 42";
/// The clock's first reading.
pub const T0: i64 = 1_795_824_000_000;

pub fn opts() -> OpenOptions {
    OpenOptions::insecure_fast_kdf(Arc::new(SteppingClock::starting_at(T0)))
}

pub fn pass() -> Passphrase {
    Passphrase::new(PASS.into())
}

pub fn create(dir: &Path) -> Workspace {
    Workspace::create(dir, &pass(), &opts()).unwrap().0
}

/// Locks the workspace and unlocks its vault again.
pub fn reopen(ws: Workspace) -> Workspace {
    let dir = ws.vault_dir().to_path_buf();
    ws.lock();
    Workspace::unlock(&dir, &pass(), &opts()).unwrap()
}
