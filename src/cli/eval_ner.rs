//! `naql eval ner` (work in progress).

use std::process::ExitCode;

use clap::Args;

/// Arguments of `naql eval ner`.
#[derive(Debug, Args)]
pub struct EvalNerArgs {}

/// Runs `naql eval ner`.
pub fn run(_args: EvalNerArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("naql eval ner is not available yet")
}
