//! How the transports reach the workspace a front end holds open.

use std::sync::{Arc, Mutex};

use caravan_core::Workspace;

/// A workspace shared between a front end and the transports.
pub type SharedWorkspace = Arc<Mutex<Workspace>>;

/// How a transport reaches the workspace the front end holds. Each call
/// takes it briefly; `None`: it is not open now (locked), and what the
/// transport was doing ends.
pub trait WorkspaceAccess: Clone + Send + Sync + 'static {
    fn with<R>(&self, f: impl FnOnce(&mut Workspace) -> R) -> Option<R>;
}

impl WorkspaceAccess for SharedWorkspace {
    fn with<R>(&self, f: impl FnOnce(&mut Workspace) -> R) -> Option<R> {
        Some(f(&mut self.lock().unwrap_or_else(|e| e.into_inner())))
    }
}
