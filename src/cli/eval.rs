//! `naql eval ner|quotes`.

use std::process::ExitCode;

use clap::{Args, Subcommand};

/// Arguments of `naql eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(subcommand)]
    command: EvalCommand,
}

#[derive(Debug, Subcommand)]
enum EvalCommand {
    /// Score entity mentions against CoNLL-style annotated files.
    Ner(super::eval_ner::EvalNerArgs),
    /// Score quotes and speakers against gold annotations.
    Quotes(super::eval_quotes::EvalQuotesArgs),
}

/// Runs `naql eval ...`.
pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        EvalCommand::Ner(args) => super::eval_ner::run(args),
        EvalCommand::Quotes(args) => super::eval_quotes::run(args),
    }
}
