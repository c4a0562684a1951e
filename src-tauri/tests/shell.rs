//! The shell on Tauri's mock runtime, with the app's real configuration and
//! capabilities: commands are called as the window calls them, by name with
//! JSON arguments, and answer with JSON or an error JSON.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use caravan_core::model::Role;
use caravan_core::vault::Passphrase;
use caravan_core::{OpenOptions, SystemClock, Workspace};
use caravan_desktop::state::AppState;
use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;

pub const PASS: &str = "a long enough passphrase for tests";

/// The key derivation every vault of these tests uses (fast, insecure).
pub fn opts() -> OpenOptions {
    OpenOptions::insecure_fast_kdf(Arc::new(SystemClock))
}

pub fn pass() -> Passphrase {
    Passphrase::new(PASS.into())
}

/// A new vault at `dir` whose member, Saule, founded the team "Unit" and
/// is its admin (unlocked, through the core).
pub fn founder(dir: &Path) -> Workspace {
    let mut admin = Workspace::create(dir, &pass(), &opts()).unwrap().0;
    admin.found_team("Unit", "Saule", "office").unwrap();
    admin
}

/// A new vault at `dir`, joined to `admin`'s team as `name` in `role`,
/// and locked again.
pub fn enrol(admin: &mut Workspace, dir: &Path, name: &str, role: Role) {
    let mut ws = Workspace::create(dir, &pass(), &opts()).unwrap().0;
    let request = ws.join_request(name, "laptop").unwrap();
    let package = admin.approve_join(&request, role).unwrap();
    ws.accept_join(&package, &admin.team_view().unwrap().fingerprint)
        .unwrap();
    ws.lock();
}

pub struct Shell {
    /// Holds the folder the vault lives in, when the shell made it.
    _dir: Option<tempfile::TempDir>,
    base: PathBuf,
    window: tauri::WebviewWindow<MockRuntime>,
}

/// A shell on a new vault folder of its own (no vault yet).
pub fn shell() -> Shell {
    shell_in(tempfile::tempdir().unwrap())
}

/// A shell on the vault in `dir`'s folder `vault` (made beforehand, or not
/// yet), which lives as long as the shell.
pub fn shell_in(dir: tempfile::TempDir) -> Shell {
    let mut s = Shell::on(&dir.path().join("vault"));
    s.base = dir.path().to_path_buf();
    s._dir = Some(dir);
    s
}

impl Shell {
    /// A shell on the vault at `vault_dir` (made beforehand, or not yet).
    pub fn on(vault_dir: &Path) -> Shell {
        let state = AppState::new(vault_dir.to_path_buf(), opts());
        let app = caravan_desktop::with_commands(mock_builder())
            .manage(state)
            .build(caravan_desktop::context())
            .unwrap();
        let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        let base = vault_dir.parent().unwrap_or(vault_dir).to_path_buf();
        Shell {
            _dir: None,
            base,
            window,
        }
    }

    /// Starts what the app runs beside the window (background relay
    /// sync), as the app does at start.
    pub fn start_background(&self) {
        use tauri::Manager;
        caravan_desktop::start_background(self.window.app_handle());
    }

    /// The relays synced in the background now (their keys).
    pub fn watched_relays(&self) -> Vec<String> {
        use tauri::Manager;
        self.window.state::<AppState>().relay_watch.watched()
    }

    /// A folder beside the vault, for the files a test writes and reads.
    pub fn dir(&self) -> &Path {
        &self.base
    }

    pub fn window(&self) -> &tauri::WebviewWindow<MockRuntime> {
        &self.window
    }

    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: tauri::ipc::CallbackFn(0),
                error: tauri::ipc::CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: tauri::ipc::InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    pub fn code(&self, cmd: &str, args: Value) -> String {
        let e = self.call(cmd, args).expect_err(cmd);
        e["code"].as_str().unwrap_or_default().to_string()
    }
}

/// Makes a case on the shell's open vault; its id.
pub fn new_case(s: &Shell, reference: &str) -> String {
    let id = s.ok(
        "create_case",
        json!({ "case": { "reference": reference, "title": "Brick kiln", "jurisdiction": "KZ" } }),
    );
    id.as_str().unwrap().to_string()
}

/// Whether the shell's open vault lists the case.
pub fn holds(s: &Shell, case: &str) -> bool {
    let filter = json!({ "filter": {
        "query": null, "stage": null, "status": null, "assignee": null,
        "jurisdiction": null, "overdue_only": false } });
    s.ok("list_cases", filter)["cases"]
        .as_array()
        .is_some_and(|cases| cases.iter().any(|c| c["id"] == case))
}
