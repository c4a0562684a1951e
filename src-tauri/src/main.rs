// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(e) = caravan_desktop::run() {
        eprintln!("Caravan could not start: {e}");
        std::process::exit(1);
    }
}
