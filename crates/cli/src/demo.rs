//! `caravan demo`: the story itself lives in `caravan_core::demo`, where the
//! desktop app reaches it too.

/// Runs the four-vault demo story in `dir`, telling it on `out`.
pub fn run(dir: &std::path::Path, seed: u64, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    caravan_core::demo::run(dir, seed, out)?;
    Ok(())
}
