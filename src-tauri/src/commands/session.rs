//! Vault and session: status, create, unlock, lock, settings, demo.

use caravan_core::vault::{Passphrase, PassphrasePolicy, estimate_strength};
use caravan_core::{Settings, Workspace};
use tauri::State;

use crate::dto::*;
use crate::state::{AppState, CmdResult, invalid};

fn settings_dto(s: &Settings) -> SettingsDto {
    SettingsDto {
        auto_lock_minutes: s.auto_lock_minutes,
        language: s.language.clone(),
    }
}

fn status_of(state: &AppState) -> CmdResult<StatusDto> {
    let dir = state.dir();
    let guard = state.workspace.lock().map_err(|_| crate::state::locked())?;
    let vault_exists = dir.join(caravan_core::vault::DB_FILE).is_file();
    let mut s = StatusDto {
        vault_dir: dir.display().to_string(),
        vault_exists,
        unlocked: guard.is_some(),
        has_team: false,
        pending_join: None,
        me: None,
        team_name: None,
        settings: settings_dto(&Settings::default()),
        demo: state.demo.load(std::sync::atomic::Ordering::SeqCst),
    };
    if let Some(ws) = guard.as_ref() {
        s.settings = settings_dto(&ws.settings()?);
        s.pending_join = ws.pending_join_request()?;
        if let Ok(team) = ws.team_view() {
            s.has_team = true;
            s.team_name = Some(team.name.clone());
            s.me = Some(team.me.into());
        }
    }
    Ok(s)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn app_status(state: State<'_, AppState>) -> CmdResult<StatusDto> {
    status_of(&state)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn passphrase_strength(passphrase: String) -> CmdResult<StrengthDto> {
    let p = Passphrase::new(passphrase);
    let score = estimate_strength(&p).score;
    Ok(match PassphrasePolicy::default().check(&p) {
        Ok(_) => StrengthDto {
            acceptable: true,
            score,
            message: None,
        },
        Err(e) => StrengthDto {
            acceptable: false,
            score,
            message: Some(e.code().to_string()),
        },
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_vault(
    state: State<'_, AppState>,
    passphrase: String,
) -> CmdResult<CreatedVaultDto> {
    state.touch();
    let dir = state.dir();
    let (ws, code) = Workspace::create(&dir, &Passphrase::new(passphrase), &state.opts)?;
    let shown = code.to_string();
    *state.workspace.lock().map_err(|_| crate::state::locked())? = Some(ws);
    Ok(CreatedVaultDto {
        recovery_code: shown,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn unlock(state: State<'_, AppState>, passphrase: String) -> CmdResult<StatusDto> {
    state.touch();
    let dir = state.dir();
    let ws = Workspace::unlock(&dir, &Passphrase::new(passphrase), &state.opts)?;
    let minutes = ws.settings().map(|s| s.auto_lock_minutes).unwrap_or(5);
    state
        .auto_lock_minutes
        .store(i64::from(minutes), std::sync::atomic::Ordering::Relaxed);
    *state.workspace.lock().map_err(|_| crate::state::locked())? = Some(ws);
    status_of(&state)
}

/// Opens the vault with the recovery code and sets a new passphrase.
#[tauri::command(rename_all = "snake_case")]
pub async fn recover(
    state: State<'_, AppState>,
    recovery_code: String,
    new_passphrase: String,
) -> CmdResult<StatusDto> {
    state.touch();
    let dir = state.dir();
    let mut ws = Workspace::unlock_with_recovery(&dir, &recovery_code, &state.opts)?;
    ws.change_passphrase(&Passphrase::new(new_passphrase))?;
    *state.workspace.lock().map_err(|_| crate::state::locked())? = Some(ws);
    status_of(&state)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn lock(state: State<'_, AppState>) -> CmdResult<()> {
    state.lock();
    Ok(())
}

/// Called by the UI on user input, so auto-lock counts real inactivity.
#[tauri::command(rename_all = "snake_case")]
pub async fn touch(state: State<'_, AppState>) -> CmdResult<()> {
    state.touch();
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_settings(state: State<'_, AppState>, settings: SettingsDto) -> CmdResult<()> {
    if !["en", "ru", "uz"].contains(&settings.language.as_str()) {
        return Err(invalid("language", "must be en, ru or uz"));
    }
    state.with(|ws| {
        ws.set_settings(&Settings {
            auto_lock_minutes: settings.auto_lock_minutes,
            language: settings.language.clone(),
        })
    })?;
    state.auto_lock_minutes.store(
        i64::from(settings.auto_lock_minutes),
        std::sync::atomic::Ordering::Relaxed,
    );
    Ok(())
}

/// Builds the demo team (four vaults) beside the user's vault and opens
/// the supervisor's vault, whose passphrase the first screen shows. The app
/// is then in demo mode (`StatusDto::demo`, shown in every screen) until
/// the demo is left or locked, which returns to the user's vault.
#[tauri::command(rename_all = "snake_case")]
pub async fn open_demo(state: State<'_, AppState>) -> CmdResult<StatusDto> {
    let _span = tracing::info_span!("open_demo").entered();
    state.lock();
    let base = state
        .user_vault_dir
        .parent()
        .map(|p| p.join("demo"))
        .ok_or_else(|| invalid("vault folder", "has no parent folder"))?;
    if !base.join("supervisor").exists() {
        let mut story = Vec::new();
        caravan_core::demo::run(&base, 1, &mut story)?;
    }
    let dir = base.join("supervisor");
    *state.vault_dir.lock().map_err(|_| crate::state::locked())? = dir.clone();
    state.demo.store(true, std::sync::atomic::Ordering::SeqCst);
    match Workspace::unlock(
        &dir,
        &Passphrase::new(caravan_core::demo::DEMO_PASSPHRASE.into()),
        &state.opts,
    ) {
        Ok(ws) => *state.workspace.lock().map_err(|_| crate::state::locked())? = Some(ws),
        Err(e) => {
            state.lock();
            return Err(e.into());
        }
    }
    status_of(&state)
}

/// Leaves the demo: locks it and returns to the user's own vault.
#[tauri::command(rename_all = "snake_case")]
pub async fn leave_demo(state: State<'_, AppState>) -> CmdResult<StatusDto> {
    let _span = tracing::info_span!("leave_demo").entered();
    state.lock();
    status_of(&state)
}

/// The demo vaults' passphrase (they hold made-up people only).
#[tauri::command(rename_all = "snake_case")]
pub async fn demo_passphrase() -> CmdResult<String> {
    Ok(caravan_core::demo::DEMO_PASSPHRASE.into())
}
