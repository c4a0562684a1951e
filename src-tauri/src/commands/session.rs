//! Vault and session: status, create, unlock, lock, settings, demo. Key
//! derivation (Argon2) runs on a blocking thread, like every vault call.

use std::sync::atomic::Ordering;

use caravan_core::vault::{Passphrase, PassphrasePolicy, estimate_strength};
use caravan_core::{Permissions, Settings, Workspace};
use tauri::State;

use crate::dto::*;
use crate::state::{AppState, CmdResult, Shared, invalid, locked};

type S<'a> = State<'a, AppState>;

fn status_of(state: &Shared) -> CmdResult<StatusDto> {
    let dir = state.dir();
    let guard = state.workspace.lock().map_err(|_| locked())?;
    let mut s = StatusDto {
        vault_exists: dir.join(caravan_core::vault::DB_FILE).is_file(),
        vault_dir: dir.display().to_string(),
        unlocked: guard.is_some(),
        has_team: false,
        pending_join: None,
        me: None,
        permissions: Permissions::default(),
        team_name: None,
        settings: Settings::default(),
        recovery_unconfirmed: false,
        demo: state.demo.load(Ordering::SeqCst),
    };
    if let Some(ws) = guard.as_ref() {
        s.settings = ws.settings()?;
        s.recovery_unconfirmed = ws.recovery_unconfirmed()?;
        s.pending_join = ws.pending_join_request()?;
        if let Ok(team) = ws.team_view() {
            s.has_team = true;
            s.team_name = Some(team.name.clone());
            s.permissions = Permissions::of(team.me.role);
            s.me = Some(team.me);
        }
    }
    Ok(s)
}

/// Opens `ws` as the app's workspace, with its auto-lock setting.
fn open(state: &Shared, ws: Workspace) -> CmdResult<StatusDto> {
    let minutes = ws.settings().map(|s| s.auto_lock_minutes).unwrap_or(5);
    state
        .auto_lock_minutes
        .store(i64::from(minutes), Ordering::Relaxed);
    *state.workspace.lock().map_err(|_| locked())? = Some(ws);
    status_of(state)
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn app_status(state: S<'_>) -> CmdResult<StatusDto> {
    state.blocking("app_status", status_of).await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn passphrase_strength(passphrase: String) -> CmdResult<StrengthDto> {
    let p = Passphrase::new(passphrase);
    let score = estimate_strength(&p).score;
    let refusal = PassphrasePolicy::default().check(&p).err();
    Ok(StrengthDto {
        acceptable: refusal.is_none(),
        score,
        message: refusal.map(|e| e.code().to_string()),
    })
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn create_vault(state: S<'_>, passphrase: String) -> CmdResult<CreatedVaultDto> {
    state
        .blocking("create_vault", move |s| {
            let _switching = s.transition();
            s.touch();
            let (mut ws, code) =
                Workspace::create(&s.dir(), &Passphrase::new(passphrase), &s.opts)?;
            ws.set_recovery_unconfirmed(true)?;
            *s.workspace.lock().map_err(|_| locked())? = Some(ws);
            Ok(CreatedVaultDto {
                recovery_code: code.to_string(),
            })
        })
        .await
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn unlock(state: S<'_>, passphrase: String) -> CmdResult<StatusDto> {
    state
        .blocking("unlock", move |s| {
            let _switching = s.transition();
            s.touch();
            open(
                s,
                Workspace::unlock(&s.dir(), &Passphrase::new(passphrase), &s.opts)?,
            )
        })
        .await
}

/// Opens the vault with the recovery code and sets a new passphrase.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn recover(
    state: S<'_>,
    recovery_code: String,
    new_passphrase: String,
) -> CmdResult<StatusDto> {
    state
        .blocking("recover", move |s| {
            let _switching = s.transition();
            s.touch();
            let mut ws = Workspace::unlock_with_recovery(&s.dir(), &recovery_code, &s.opts)?;
            ws.change_passphrase(&Passphrase::new(new_passphrase))?;
            open(s, ws)
        })
        .await
}

workspace_commands! {
    /// The person wrote the recovery code down.
    fn confirm_recovery_code() -> () => |ws| ws.set_recovery_unconfirmed(false);
    /// A new recovery code, for a person who never confirmed the first: the
    /// old one stops working.
    fn new_recovery_code() -> String => |ws| ws.regenerate_recovery_code().map(|c| c.to_string());
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn lock(state: S<'_>) -> CmdResult<()> {
    state
        .blocking("lock", |s| {
            s.lock();
            Ok(())
        })
        .await
}

/// Called by the UI on user input, so auto-lock counts real inactivity.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn touch(state: S<'_>) -> CmdResult<()> {
    state.touch();
    Ok(())
}

#[tauri::command(async, rename_all = "snake_case")]
pub async fn set_settings(state: S<'_>, settings: Settings) -> CmdResult<()> {
    state
        .blocking("set_settings", move |s| {
            s.with(|ws| ws.set_settings(&settings))?;
            let minutes = i64::from(settings.auto_lock_minutes);
            s.auto_lock_minutes.store(minutes, Ordering::Relaxed);
            Ok(())
        })
        .await
}

/// Builds the demo team (four vaults) beside the user's vault and opens
/// the supervisor's vault, whose passphrase the first screen shows. The app
/// is then in demo mode (`StatusDto::demo`, shown in every screen) until
/// the demo is left or locked, which returns to the user's vault.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn open_demo(state: S<'_>) -> CmdResult<StatusDto> {
    state.blocking("open_demo", open_demo_vault).await
}

fn open_demo_vault(s: &Shared) -> CmdResult<StatusDto> {
    let _switching = s.transition();
    s.close();
    let base = s
        .user_vault_dir
        .parent()
        .map(|p| p.join("demo"))
        .ok_or_else(|| invalid("vault folder", "has no parent folder"))?;
    if !base.join("supervisor").exists() {
        caravan_core::demo::run(&base, 1, &mut Vec::new())?;
    }
    let dir = base.join("supervisor");
    *s.vault_dir.lock().map_err(|_| locked())? = dir.clone();
    s.demo.store(true, Ordering::SeqCst);
    let passphrase = Passphrase::new(caravan_core::demo::DEMO_PASSPHRASE.into());
    match Workspace::unlock(&dir, &passphrase, &s.opts) {
        Ok(ws) => open(s, ws),
        Err(e) => {
            s.close();
            Err(e.into())
        }
    }
}

/// Leaves the demo: locks it and returns to the user's own vault.
#[tauri::command(async, rename_all = "snake_case")]
pub async fn leave_demo(state: S<'_>) -> CmdResult<StatusDto> {
    state
        .blocking("leave_demo", |s| {
            let _switching = s.transition();
            s.close();
            status_of(s)
        })
        .await
}

/// The demo vaults' passphrase (they hold made-up people only).
#[tauri::command(async, rename_all = "snake_case")]
pub async fn demo_passphrase() -> CmdResult<String> {
    Ok(caravan_core::demo::DEMO_PASSPHRASE.into())
}
