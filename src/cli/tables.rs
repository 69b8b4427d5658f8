//! `naql tables`: rebuild the CSV tables from JSONL records, such as the shards of a
//! run under Spark, Hadoop Streaming or GNU parallel.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use naql::sink::manifest::{Counts, Manifest};
use naql::sink::records::{rebuild_tables, record_files};
use naql::sink::{CsvOptions, CsvTables, TABLE_FILES};

/// Arguments of `naql tables`.
#[derive(Debug, Args)]
pub struct TablesArgs {
    /// JSONL record files written by `naql extract --format jsonl`, in any order and
    /// split in any way; a directory stands for its files (names starting with `.` or
    /// `_` skipped, as Spark and Hadoop write them).
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    from: Vec<PathBuf>,

    /// Output directory for documents.csv, mentions.csv, entities.csv, quotes.csv and
    /// manifest.json. Created if missing.
    #[arg(long, short = 'o', value_name = "DIR")]
    out: PathBuf,

    /// Excel-safe CSV: UTF-8 BOM, CRLF, and a leading ' on text cells starting with
    /// = + - @ TAB or CR.
    #[arg(long)]
    excel: bool,
}

/// Runs `naql tables`.
pub fn run(args: TablesArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let files = record_files(&args.from)?;
    let out = &args.out;
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create output directory {}", out.display()))?;
    let mut tables = CsvTables::create(out, CsvOptions { excel: args.excel })
        .with_context(|| format!("cannot write tables in {}", out.display()))?;
    let rebuilt = rebuild_tables(&files, &mut tables)?;
    let summary = rebuilt.summary;
    if rebuilt.run.naql_version != env!("CARGO_PKG_VERSION") {
        eprintln!(
            "naql: the records were written by naql {}; this is naql {}",
            rebuilt.run.naql_version,
            env!("CARGO_PKG_VERSION")
        );
    }
    let manifest = Manifest {
        naql_version: env!("CARGO_PKG_VERSION"),
        command: "tables".to_string(),
        options: serde_json::json!({
            "excel": args.excel,
            "records_naql_version": rebuilt.run.naql_version,
            "streams": rebuilt.streams,
        }),
        gazetteers: rebuilt.run.gazetteers,
        gazetteer_sha256: rebuilt.run.gazetteer_sha256,
        inputs: files
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect(),
        outputs: TABLE_FILES.iter().map(|s| s.to_string()).collect(),
        counts: Counts::from(&summary),
        elapsed_seconds: started.elapsed().as_secs_f64(),
    };
    super::finish_run(Some(out), &manifest, &summary)
}
