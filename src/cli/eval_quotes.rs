//! `naql eval quotes` (work in progress).

use std::process::ExitCode;

use clap::Args;

/// Arguments of `naql eval quotes`.
#[derive(Debug, Args)]
pub struct EvalQuotesArgs {}

/// Runs `naql eval quotes`.
pub fn run(_args: EvalQuotesArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("naql eval quotes is not available yet")
}
