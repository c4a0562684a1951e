//! The app's one piece of state: which vault, and the unlocked workspace.
//! Key material lives only inside the workspace; locking drops it, which
//! zeroizes it.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use caravan_core::{CoreError, OpenOptions, Workspace};

use crate::dto::ErrorDto;

pub struct AppState {
    pub vault_dir: Mutex<PathBuf>,
    pub workspace: Mutex<Option<Workspace>>,
    /// Milliseconds since the epoch of the last command from the UI.
    pub last_activity: AtomicI64,
    pub auto_lock_minutes: AtomicI64,
    pub opts: OpenOptions,
}

pub type CmdResult<T> = Result<T, ErrorDto>;

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

impl From<CoreError> for ErrorDto {
    fn from(e: CoreError) -> Self {
        let kind = serde_json::to_value(e.kind())
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "failure".into());
        ErrorDto {
            code: e.code().into(),
            message: e.to_string(),
            kind,
        }
    }
}

pub fn locked() -> ErrorDto {
    ErrorDto {
        code: "app.locked".into(),
        message: "The vault is locked; unlock it first.".into(),
        kind: "locked".into(),
    }
}

pub fn invalid(field: &str, message: &str) -> ErrorDto {
    CoreError::invalid(field, message).into()
}

impl AppState {
    pub fn new(vault_dir: PathBuf, opts: OpenOptions) -> Self {
        Self {
            vault_dir: Mutex::new(vault_dir),
            workspace: Mutex::new(None),
            last_activity: AtomicI64::new(now_ms()),
            auto_lock_minutes: AtomicI64::new(5),
            opts,
        }
    }

    pub fn touch(&self) {
        self.last_activity.store(now_ms(), Ordering::Relaxed);
    }

    pub fn dir(&self) -> PathBuf {
        self.vault_dir
            .lock()
            .map(|d| d.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Runs `f` on the unlocked workspace.
    pub fn with<T>(&self, f: impl FnOnce(&mut Workspace) -> Result<T, CoreError>) -> CmdResult<T> {
        self.touch();
        let mut guard = self.workspace.lock().map_err(|_| locked())?;
        let ws = guard.as_mut().ok_or_else(locked)?;
        f(ws).map_err(Into::into)
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

    /// Locks: drops the workspace (zeroizing its keys). True if it was open.
    pub fn lock(&self) -> bool {
        let Ok(mut guard) = self.workspace.lock() else {
            return false;
        };
        match guard.take() {
            Some(ws) => {
                ws.lock();
                true
            }
            None => false,
        }
    }
}
