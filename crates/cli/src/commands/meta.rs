//! `completions`, `man`, `demo`: no vault needed.

use std::path::Path;

use anyhow::Result;
use caravan_core::CoreError;
use clap::CommandFactory;

use crate::cli::Cli;

pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "caravan", &mut std::io::stdout());
    Ok(())
}

/// The main page on stdout, or a page per command in `out`.
pub fn man(out: Option<&Path>) -> Result<()> {
    let cmd = Cli::command();
    match out {
        None => {
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| CoreError::file(dir, &e))?;
            clap_mangen::generate_to(cmd, dir).map_err(|e| CoreError::file(dir, &e))?;
        }
    }
    Ok(())
}

pub fn demo(dir: &Path, seed: u64) -> Result<()> {
    let mut stdout = std::io::stdout();
    crate::demo::run(dir, seed, &mut stdout)
}
