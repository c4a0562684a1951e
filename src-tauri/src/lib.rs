//! Caravan's desktop shell. Thin by design: each command takes the core's
//! typed input, calls `caravan-core` on a blocking thread, and maps the
//! error to a stable code. The window sees the core's views and inputs
//! (the contract) and the shell's own few types in `dto.rs`.

pub mod codes;
pub mod commands;
pub mod dto;
pub mod files;
pub mod lan;
pub mod relay_watch;
pub mod state;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use caravan_core::OpenOptions;
use tauri::{Emitter, Manager};

use crate::state::AppState;

/// Event the window receives when the vault locked itself after inactivity.
pub const LOCKED_EVENT: &str = "caravan://locked";

/// The vault folder: `CARAVAN_VAULT`, or the platform default (the same
/// as the `caravan` command's).
pub fn default_vault_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARAVAN_VAULT") {
        return PathBuf::from(dir);
    }
    caravan_core::default_vault_dir().unwrap_or_else(|| PathBuf::from("caravan-vault"))
}

/// Registers every command; shared by the app and the shell's tests.
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::session::app_status,
        commands::session::passphrase_strength,
        commands::session::create_vault,
        commands::session::confirm_recovery_code,
        commands::session::new_recovery_code,
        commands::session::unlock,
        commands::session::recover,
        commands::session::lock,
        commands::session::touch,
        commands::session::set_settings,
        commands::session::open_demo,
        commands::session::demo_passphrase,
        commands::session::leave_demo,
        commands::team::found_team,
        commands::team::team,
        commands::team::write_join_request,
        commands::team::accept_join,
        commands::team::inspect_join_request,
        commands::team::approve_join,
        commands::team::set_role,
        commands::team::revoke,
        commands::team::grant,
        commands::team::case_access,
        commands::cases::list_cases,
        commands::cases::create_case,
        commands::cases::show_case,
        commands::cases::set_field,
        commands::cases::set_text,
        commands::cases::set_list,
        commands::cases::set_fields,
        commands::cases::record_history,
        commands::cases::set_stage,
        commands::cases::assign,
        commands::cases::add_person,
        commands::cases::reveal_person,
        commands::cases::checklists,
        commands::cases::set_item,
        commands::cases::sign_off_item,
        commands::cases::start_checklist,
        commands::cases::start_checklist_for_every_victim,
        commands::cases::adopt_template,
        commands::cases::add_evidence,
        commands::cases::transfer_custody,
        commands::cases::attach,
        commands::cases::export_attachment,
        commands::cases::add_interview,
        commands::cases::add_task,
        commands::cases::set_task_done,
        commands::cases::add_event,
        commands::cases::add_referral,
        commands::cases::add_risk,
        commands::cases::add_note,
        commands::cases::add_case_link,
        commands::cases::add_international_request,
        commands::cases::add_identifier,
        commands::cases::reveal_identifier,
        commands::cases::add_group,
        commands::cases::set_group_member,
        commands::cases::remove_group_member,
        commands::court::set_registry_number,
        commands::court::add_procedural_decision,
        commands::court::add_measure,
        commands::court::add_charge,
        commands::court::add_indictment,
        commands::court::add_hearing,
        commands::court::add_verdict,
        commands::court::add_compensation,
        commands::cases::add_review,
        commands::cases::withdraw_signoff,
        commands::cases::add_approval,
        commands::cases::conflicts,
        commands::cases::resolve_conflict,
        commands::cases::articles,
        commands::cases::add_article,
        commands::cases::agree_with_qualification,
        commands::cases::propose_article,
        commands::cases::remove_article,
        commands::sync::export_bundle,
        commands::sync::import_bundle,
        commands::sync::peers,
        commands::sync::quarantine,
        commands::sync::release_quarantined,
        commands::sync::discard_quarantined,
        commands::sync::progress_report,
        commands::sync::audit_log,
        commands::sync::audit_verify,
        commands::lan::lan_start,
        commands::lan::lan_stop,
        commands::lan::lan_connect,
        commands::lan::lan_status,
        commands::relays::relays,
        commands::relays::relay_add,
        commands::relays::relay_remove,
        commands::relays::relay_sync_now,
        commands::files::pick_file,
        commands::support::add_support,
        commands::finance::add_financial_flow,
        commands::finance::reveal_account,
        commands::routes::routes,
        commands::routes::export_geojson,
        commands::links::link_graph,
        commands::links::reveal_link_entity,
        commands::links::export_i2,
        commands::export::export_htcds,
        commands::dossier::write_dossier
    ])
}

/// Runs the app. Key derivation is the full Argon2id cost, but for
/// `CARAVAN_INSECURE_FAST_KDF=1` in a test build (see
/// `OpenOptions::for_front_end`).
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() -> Result<(), tauri::Error> {
    let opts = OpenOptions::for_front_end(
        std::env::var_os("CARAVAN_INSECURE_FAST_KDF").is_some_and(|v| v == "1"),
    );
    with_commands(tauri::Builder::default())
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::new(default_vault_dir(), opts))
        .setup(|app| {
            start_background(app.handle());
            let handle = app.handle().clone();
            // Locks after inactivity even if the window is frozen or hidden.
            std::thread::spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_secs(10));
                    let state = handle.state::<AppState>();
                    if state.lock_if_idle() {
                        let _ = handle.emit(LOCKED_EVENT, ());
                    }
                }
            });
            Ok(())
        })
        .run(context())
}

/// Starts what runs beside the window for the app's lifetime: background
/// sync through the team's relays (shared with the shell's tests).
pub fn start_background<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    let state = app.state::<AppState>().inner().clone();
    let handle = app.clone();
    relay_watch::start(
        state,
        Arc::new(move |relays| {
            let _ = handle.emit(relay_watch::RELAYS_EVENT, relays);
        }),
    );
}

/// The app's configuration, capabilities and bundled front end.
pub fn context<R: tauri::Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}
