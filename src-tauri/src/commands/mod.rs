//! The app's commands, by area.

pub mod cases;
pub mod files;
pub mod session;
pub mod sync;
pub mod team;
