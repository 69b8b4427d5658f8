//! Command-line arguments and subcommands. The library never sees clap: each
//! subcommand turns its arguments into library configuration in one place.

mod eval;
mod eval_ner;
mod eval_quotes;
mod extract;
mod gazetteer;
mod induce;
mod tables;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Find people, places and organisations and who said what in Persian, Arabic and
/// English news; write exact, traceable CSV tables.
#[derive(Debug, Parser)]
#[command(name = "naql", version, about, long_about = None)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Extract documents, mentions, entities and quotes from news text.
    Extract(extract::ExtractArgs),
    /// Check gazetteers or count what they hold.
    Gazetteer(gazetteer::GazetteerArgs),
    /// Measure naql against annotated data.
    Eval(eval::EvalArgs),
    /// Rebuild the CSV tables from JSONL records (shards of a run, in any order).
    Tables(tables::TablesArgs),
}

/// Runs the parsed command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Extract(args) => extract::run(args),
        Command::Gazetteer(args) => gazetteer::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Tables(args) => tables::run(args),
    }
}

/// The end of a run that wrote tables: `manifest.json` in `out` (when there is one),
/// then exit code 1 with a message when some documents failed, else 0.
fn finish_run(
    out: Option<&std::path::Path>,
    manifest: &naql::sink::manifest::Manifest,
    summary: &naql::RunSummary,
) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    if let Some(out) = out {
        let path = out.join("manifest.json");
        manifest
            .write(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if summary.failed > 0 {
        eprintln!(
            "naql: {} of {} documents failed; see the status and error columns of documents.csv",
            summary.failed, summary.documents
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
