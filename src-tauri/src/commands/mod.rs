//! The app's commands, by area. A command is one line: it takes the
//! core's typed input and makes one core call on the unlocked workspace,
//! on a blocking thread, in a span named after it (`AppState::run`).

/// Declares commands that make one core call on the unlocked workspace:
/// `fn name(args) -> Output => |ws| call;`, each a Tauri command of the
/// same name whose arguments the window sends by name (snake case).
macro_rules! workspace_commands {
    ($($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $out:ty => |$ws:ident| $call:expr;)+) => {$(
        $(#[$doc])*
        #[tauri::command(async, rename_all = "snake_case")]
        pub async fn $name(
            state: tauri::State<'_, crate::state::AppState>,
            $($arg: $ty),*
        ) -> crate::state::CmdResult<$out> {
            state.run(stringify!($name), move |$ws| $call).await
        }
    )+};
}

pub mod cases;
pub mod court;
pub mod dossier;
pub mod export;
pub mod files;
pub mod finance;
pub mod lan;
pub mod links;
pub mod relays;
pub mod routes;
pub mod session;
pub mod support;
pub mod sync;
pub mod team;
