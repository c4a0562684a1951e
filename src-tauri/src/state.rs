//! The app's one piece of state: which vault, and the unlocked workspace.
//! Key material lives only inside the workspace; locking drops it, which
//! zeroizes it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use caravan_core::{CoreError, OpenOptions, Workspace};

use crate::dto::ErrorDto;
use crate::files::{Access, FileGate, Kind};

/// The state Tauri manages: a handle on [`Shared`], cheap to clone into
/// the blocking thread a command runs on.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    /// The vault the app works on: the user's, or the demo's while `demo`.
    pub vault_dir: Mutex<PathBuf>,
    /// The user's own vault, which locking always returns to.
    pub user_vault_dir: PathBuf,
    pub demo: AtomicBool,
    pub workspace: Mutex<Option<Workspace>>,
    /// Milliseconds since the epoch of the last command from the UI.
    pub last_activity: AtomicI64,
    pub auto_lock_minutes: AtomicI64,
    pub opts: OpenOptions,
    /// Which files the window may have the shell read or write.
    pub files: FileGate,
    /// LAN sync, which runs only while the workspace is open.
    pub lan: crate::lan::Lan,
    /// Background sync through the team's relays, while it is open.
    pub relay_watch: crate::relay_watch::RelayWatch,
    /// Held across every change of which vault is open (create, unlock,
    /// recover, demo in and out, lock), so a slow unlock cannot install
    /// its workspace after a lock or a switch that began later.
    transition: Mutex<()>,
}

pub type CmdResult<T> = Result<T, ErrorDto>;

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// An error kind as the window reads it (`wrong_secret`, `failure`, …).
pub fn kind_name(kind: caravan_core::ErrorKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "failure".into())
}

impl From<CoreError> for ErrorDto {
    fn from(e: CoreError) -> Self {
        ErrorDto {
            code: e.code().into(),
            message: e.to_string(),
            kind: kind_name(e.kind()),
        }
    }
}

impl From<caravan_net::NetError> for ErrorDto {
    fn from(e: caravan_net::NetError) -> Self {
        ErrorDto {
            code: e.code().into(),
            message: e.to_string(),
            kind: kind_name(e.kind()),
        }
    }
}

pub fn locked() -> ErrorDto {
    ErrorDto {
        code: crate::codes::LOCKED.into(),
        message: "The vault is locked; unlock it first.".into(),
        kind: "locked".into(),
    }
}

pub fn invalid(field: &str, message: &str) -> ErrorDto {
    CoreError::invalid(field, message).into()
}

impl AppState {
    pub fn new(vault_dir: PathBuf, opts: OpenOptions) -> Self {
        Self(Arc::new(Shared {
            vault_dir: Mutex::new(vault_dir.clone()),
            user_vault_dir: vault_dir,
            demo: AtomicBool::new(false),
            workspace: Mutex::new(None),
            last_activity: AtomicI64::new(now_ms()),
            auto_lock_minutes: AtomicI64::new(5),
            opts,
            files: FileGate::default(),
            lan: crate::lan::Lan::default(),
            relay_watch: crate::relay_watch::RelayWatch::default(),
            transition: Mutex::new(()),
        }))
    }

    /// Runs `f` on the unlocked workspace on a blocking thread (Argon2,
    /// SQLite and Automerge never hold up the async runtime), inside a
    /// span named after the command.
    pub async fn run<T: Send + 'static>(
        &self,
        command: &'static str,
        f: impl FnOnce(&mut Workspace) -> Result<T, CoreError> + Send + 'static,
    ) -> CmdResult<T> {
        self.blocking(command, move |s| s.with(f)).await
    }

    /// Runs `f` with the app's state on a blocking thread, inside a span
    /// named after the command.
    pub async fn blocking<T: Send + 'static>(
        &self,
        command: &'static str,
        f: impl FnOnce(&Shared) -> CmdResult<T> + Send + 'static,
    ) -> CmdResult<T> {
        let shared = Arc::clone(&self.0);
        let span = tracing::info_span!("command", name = command);
        match tauri::async_runtime::spawn_blocking(move || span.in_scope(|| f(&shared))).await {
            Ok(answer) => answer,
            // A panic ends the session: whatever state the workspace was
            // left in, its keys are dropped now rather than kept open.
            Err(_) => {
                self.lock();
                Err(interrupted())
            }
        }
    }
}

/// A command whose thread ended before it answered (it panicked).
fn interrupted() -> ErrorDto {
    ErrorDto {
        code: crate::codes::UNEXPECTED.into(),
        message: "The command stopped before it finished.".into(),
        kind: "failure".into(),
    }
}

impl Shared {
    pub fn touch(&self) {
        self.last_activity.store(now_ms(), Ordering::Relaxed);
    }

    /// The path to use for `access` of a `kind` file the window named.
    pub fn file(&self, path: &str, access: Access, kind: Kind) -> CmdResult<PathBuf> {
        self.files.admit(path, access, kind, &self.dir())
    }

    pub fn dir(&self) -> PathBuf {
        self.vault_dir
            .lock()
            .map(|d| d.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Runs `f` on the unlocked workspace. A workspace a panicking command
    /// left behind is locked, never used again.
    pub fn with<T>(&self, f: impl FnOnce(&mut Workspace) -> Result<T, CoreError>) -> CmdResult<T> {
        self.touch();
        let mut guard = match self.workspace.lock() {
            Ok(guard) => guard,
            Err(poisoned) => {
                drop(poisoned);
                self.lock();
                return Err(locked());
            }
        };
        let ws = guard.as_mut().ok_or_else(locked)?;
        let answer = f(ws).map_err(Into::into);
        drop(guard);
        // Whatever the command committed reaches the devices connected on
        // the LAN at once; a command that changed nothing sends nothing.
        if answer.is_ok() {
            self.lan.edited();
        }
        answer
    }

    /// Holds off every other change of which vault is open until dropped.
    pub fn transition(&self) -> MutexGuard<'_, ()> {
        self.transition
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Locks if the workspace has been idle longer than the setting.
    /// Returns true when it locked.
    pub fn lock_if_idle(&self) -> bool {
        let minutes = self.auto_lock_minutes.load(Ordering::Relaxed).max(1);
        let idle = now_ms() - self.last_activity.load(Ordering::Relaxed);
        if idle < minutes * 60_000 {
            return false;
        }
        self.lock()
    }

    /// Locks: drops the workspace (zeroizing its keys) and, from the demo,
    /// returns to the user's own vault. True if it was open.
    pub fn lock(&self) -> bool {
        let _switching = self.transition();
        self.close()
    }

    /// [`Self::lock`] for a caller that holds [`Self::transition`]. Even a
    /// workspace a panicking command left behind is dropped.
    pub fn close(&self) -> bool {
        // LAN and relay sync need the open workspace: they stop with it.
        self.lan.stop();
        self.relay_watch.stop_all();
        let was_open = match self
            .workspace
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            Some(ws) => {
                ws.lock();
                true
            }
            None => false,
        };
        self.workspace.clear_poison();
        if self.demo.swap(false, Ordering::SeqCst) {
            let mut dir = self
                .vault_dir
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            dir.clone_from(&self.user_vault_dir);
        }
        was_open
    }
}
