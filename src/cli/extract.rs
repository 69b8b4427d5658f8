//! `naql extract`: read documents, run the pipeline, write the tables.

use std::io::{self, BufWriter, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use encoding_rs::Encoding;
use indicatif::{ProgressBar, ProgressStyle};

use naql::read::{InputFormat, Inputs, ReadOptions, DEFAULT_MAX_DOC_BYTES};
use naql::sink::manifest::{Counts, Manifest};
use naql::sink::{
    Both, CsvOptions, CsvTables, JsonlRecords, ParagraphTable, PARAGRAPHS_FILE, TABLE_FILES,
};
use naql::zones::Zone;
use naql::{Lang, Pipeline, RunSummary, Sink};

/// Arguments of `naql extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Input files or directories (read recursively in sorted order); `-` reads stdin.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Output directory for documents.csv, mentions.csv, entities.csv, quotes.csv and
    /// manifest.json (with --format jsonl: records.jsonl and manifest.json). Created if
    /// missing. Without it, --format jsonl streams records to stdout.
    #[arg(long, short = 'o', value_name = "DIR")]
    out: Option<PathBuf>,

    /// Output format: CSV tables, or one JSON record per line.
    #[arg(long, value_enum, default_value_t = OutputFormat::Csv)]
    format: OutputFormat,

    /// Input format for every file [default: from the extension: .jsonl/.ndjson,
    /// .csv, .tsv, anything else plain text; stdin: jsonl].
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormatArg>,

    /// CSV/TSV column holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    text_column: String,

    /// CSV/TSV column holding the document id [rows without one: FILE:LINE].
    #[arg(long, default_value = "doc_id", value_name = "NAME")]
    id_column: String,

    /// Decode input with this encoding (WHATWG label: utf-8, windows-1256, utf-16le,
    /// ...) instead of detecting it.
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,

    /// Treat every document as this language instead of using the input's `lang` or
    /// detecting it.
    #[arg(long, value_enum)]
    lang: Option<LangArg>,

    /// Largest document accepted, in bytes; larger ones get an error row.
    #[arg(long, default_value_t = DEFAULT_MAX_DOC_BYTES, value_name = "N")]
    max_doc_bytes: u64,

    /// Worker threads [default: number of CPUs]. Output is identical for any value.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,

    /// Excel-safe CSV: UTF-8 BOM, CRLF, and a leading ' on text cells starting with
    /// = + - @ TAB or CR.
    #[arg(long)]
    excel: bool,

    /// Gazetteer directory to use in addition to the built-in ones (repeatable).
    #[arg(long = "gazetteer", value_name = "DIR")]
    gazetteers: Vec<PathBuf>,

    /// Use only the gazetteers given with --gazetteer.
    #[arg(long)]
    no_default_gazetteer: bool,

    /// With --format jsonl: mark the records as shard N of a larger input, so that
    /// `naql tables` puts the documents of shard N after those of lower shards.
    #[arg(long, value_name = "N")]
    shard: Option<u64>,

    /// Skip quote and speaker extraction (quotes.csv stays empty); faster when only
    /// entities are needed.
    #[arg(long)]
    no_quotes: bool,

    /// Keep only the mentions and quotes in these zones, comma-separated: title,
    /// byline, body, headlines, related, tags, boilerplate [default: all]. Names and
    /// speakers are still resolved over the whole text.
    #[arg(long, value_delimiter = ',', value_name = "ZONES")]
    zones: Option<Vec<ZoneArg>>,

    /// Also write paragraphs.csv: the zone and article of every paragraph (CSV tables
    /// only).
    #[arg(long)]
    paragraphs: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ZoneArg {
    Title,
    Byline,
    Body,
    Headlines,
    Related,
    Tags,
    Boilerplate,
}

impl ZoneArg {
    fn zone(self) -> Zone {
        match self {
            ZoneArg::Title => Zone::Title,
            ZoneArg::Byline => Zone::Byline,
            ZoneArg::Body => Zone::Body,
            ZoneArg::Headlines => Zone::Headlines,
            ZoneArg::Related => Zone::Related,
            ZoneArg::Tags => Zone::Tags,
            ZoneArg::Boilerplate => Zone::Boilerplate,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Csv,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputFormatArg {
    Txt,
    Jsonl,
    Csv,
    Tsv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LangArg {
    Fa,
    Ar,
    En,
}

/// Runs `naql extract`.
pub fn run(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let read_options = read_options(&args)?;
    if args.format == OutputFormat::Csv && args.out.is_none() {
        bail!("--out DIR is required for CSV tables (or use --format jsonl to stream to stdout)");
    }
    if args.paragraphs && args.format != OutputFormat::Csv {
        bail!("--paragraphs writes paragraphs.csv, which goes with CSV tables only (not --format jsonl)");
    }
    if args.threads == Some(0) {
        bail!("--threads must be at least 1");
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    if let Some(out) = &args.out {
        std::fs::create_dir_all(out)
            .with_context(|| format!("cannot create output directory {}", out.display()))?;
    }

    let gazetteer = super::gazetteer::load_for_run(&args.gazetteers, !args.no_default_gazetteer)?;
    let mut pipeline = Pipeline::builder().gazetteer(&gazetteer);
    if args.no_quotes {
        pipeline = pipeline.without_quotes();
    }
    if let Some(zones) = &args.zones {
        let zones: Vec<Zone> = zones.iter().map(|z| z.zone()).collect();
        pipeline = pipeline.zones(&zones);
    }
    let pipeline = pipeline.build();
    let inputs = Inputs::new(args.paths.clone(), read_options);
    let progress = progress_bar();
    let report = |summary: &RunSummary| {
        if let Some(bar) = &progress {
            bar.set_position(summary.documents);
            bar.set_message(format!(
                "{} failed, {:.1} MB",
                summary.failed,
                summary.text_bytes as f64 / 1e6
            ));
        }
    };

    let (summary, outputs) = match (&args.out, args.format) {
        (Some(out), OutputFormat::Csv) => {
            let options = CsvOptions { excel: args.excel };
            let mut sink = CsvTables::create(out, options)
                .with_context(|| format!("cannot write tables in {}", out.display()))?;
            let mut files: Vec<String> = TABLE_FILES.iter().map(|s| s.to_string()).collect();
            let summary = if args.paragraphs {
                let mut paragraphs = ParagraphTable::create(out, options)
                    .with_context(|| format!("cannot write tables in {}", out.display()))?;
                files.push(PARAGRAPHS_FILE.to_string());
                let mut both = Both(&mut sink, &mut paragraphs);
                run_into(&pipeline, inputs, &mut both, &pool, report, out)?
            } else {
                run_into(&pipeline, inputs, &mut sink, &pool, report, out)?
            };
            (summary, files)
        }
        (Some(out), OutputFormat::Jsonl) => {
            let path = out.join("records.jsonl");
            let file = std::fs::File::create(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let mut sink = JsonlRecords::new(BufWriter::with_capacity(1 << 16, file))
                .gazetteer(&gazetteer)
                .shard(args.shard);
            let summary = run_into(&pipeline, inputs, &mut sink, &pool, report, out)?;
            (summary, vec!["records.jsonl".to_string()])
        }
        (None, _) => {
            let stdout = io::stdout().lock();
            let mut sink = JsonlRecords::new(BufWriter::with_capacity(1 << 16, stdout))
                .gazetteer(&gazetteer)
                .shard(args.shard);
            let summary = pipeline
                .run(inputs, &mut sink, &pool, report)
                .context("cannot write to stdout")?;
            (summary, Vec::new())
        }
    };
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }

    if let Some(out) = &args.out {
        let manifest = Manifest {
            naql_version: env!("CARGO_PKG_VERSION"),
            command: "extract".to_string(),
            options: options_json(&args, threads),
            gazetteers: gazetteer.sources.clone(),
            gazetteer_sha256: Some(gazetteer.sha256.clone()),
            inputs: args
                .paths
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect(),
            outputs,
            counts: Counts::from(&summary),
            elapsed_seconds: started.elapsed().as_secs_f64(),
        };
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

fn run_into(
    pipeline: &Pipeline,
    inputs: Inputs,
    sink: &mut dyn Sink,
    pool: &rayon::ThreadPool,
    report: impl FnMut(&RunSummary),
    out: &Path,
) -> anyhow::Result<RunSummary> {
    pipeline
        .run(inputs, sink, pool, report)
        .with_context(|| format!("cannot write output in {}", out.display()))
}

fn read_options(args: &ExtractArgs) -> anyhow::Result<ReadOptions> {
    let encoding = match &args.encoding {
        Some(label) => match Encoding::for_label(label.trim().as_bytes()) {
            Some(encoding) => Some(encoding),
            None => bail!("unknown encoding {label:?} (use a WHATWG label such as utf-8, windows-1256, utf-16le)"),
        },
        None => None,
    };
    Ok(ReadOptions {
        format: args.input_format.map(|f| match f {
            InputFormatArg::Txt => InputFormat::Txt,
            InputFormatArg::Jsonl => InputFormat::Jsonl,
            InputFormatArg::Csv => InputFormat::Csv,
            InputFormatArg::Tsv => InputFormat::Tsv,
        }),
        text_column: args.text_column.clone(),
        id_column: args.id_column.clone(),
        encoding,
        max_doc_bytes: args.max_doc_bytes,
        lang: args.lang.map(|l| match l {
            LangArg::Fa => Lang::Fa,
            LangArg::Ar => Lang::Ar,
            LangArg::En => Lang::En,
        }),
    })
}

fn options_json(args: &ExtractArgs, threads: usize) -> serde_json::Value {
    serde_json::json!({
        "format": format!("{:?}", args.format).to_lowercase(),
        "input_format": args.input_format.map(|f| format!("{f:?}").to_lowercase()),
        "text_column": args.text_column,
        "id_column": args.id_column,
        "encoding": args.encoding,
        "lang": args.lang.map(|l| format!("{l:?}").to_lowercase()),
        "max_doc_bytes": args.max_doc_bytes,
        "threads": threads,
        "excel": args.excel,
        "gazetteers": args.gazetteers.iter().map(|p| p.to_string_lossy().into_owned()).collect::<Vec<_>>(),
        "no_default_gazetteer": args.no_default_gazetteer,
        "no_quotes": args.no_quotes,
        "shard": args.shard,
        "zones": args.zones.as_ref().map(|z| z.iter().map(|z| z.zone().code()).collect::<Vec<_>>()),
        "paragraphs": args.paragraphs,
    })
}

/// A spinner on stderr when it is a terminal; nothing otherwise.
fn progress_bar() -> Option<ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    let style = ProgressStyle::with_template("{spinner} {pos} documents, {msg} [{elapsed}]")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(bar)
}
