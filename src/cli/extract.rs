//! `naql extract`: read documents, run the pipeline, write the tables.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use encoding_rs::Encoding;
use indicatif::{ProgressBar, ProgressStyle};

use naql::pipeline::{
    Limits, Outcome, Render, Rendered, DEFAULT_MAX_MENTIONS, DEFAULT_MAX_QUOTE_DEPTH,
};
use naql::read::{InputFormat, Inputs, ReadOptions, DEFAULT_MAX_DOC_BYTES};
use naql::sink::manifest::{Counts, Manifest};
use naql::sink::{
    Both, CsvOptions, CsvTables, JsonlRecords, ParagraphTable, Staged, XlsxTables, PARAGRAPHS_FILE,
    TABLE_FILES, XLSX_FILE,
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

    /// Output format: CSV tables, one JSON record per line, or the tables as sheets of
    /// one Excel workbook (tables.xlsx: text cells stay text, right-to-left for
    /// Persian and Arabic).
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

    /// Longest JSONL line or CSV/TSV record accepted, in bytes; a longer one gets an
    /// error row [default: 2 × --max-doc-bytes + 1 MiB].
    #[arg(long, value_name = "N")]
    max_line_bytes: Option<u64>,

    /// Deepest nesting of quotation marks in a paragraph; a document with deeper
    /// nesting (or that many stray opening marks) gets an error row.
    #[arg(long, default_value_t = DEFAULT_MAX_QUOTE_DEPTH, value_name = "N")]
    max_quote_depth: usize,

    /// Most entity mentions in one document; a document with more gets an error row.
    #[arg(long, default_value_t = DEFAULT_MAX_MENTIONS, value_name = "N")]
    max_mentions: usize,

    /// Worker threads [default: number of CPUs]. Output is identical for any value.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,

    /// Excel-safe CSV: UTF-8 BOM, CRLF, and a leading ' on text cells starting with
    /// = + - @ TAB or CR.
    #[arg(long)]
    excel: bool,

    /// Gazetteer directory to use in addition to the built-in ones (repeatable), or one
    /// compiled gazetteer file (`naql gazetteer compile`), which holds everything it
    /// was compiled from and is given alone.
    #[arg(long = "gazetteer", value_name = "DIR|FILE")]
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
    Xlsx,
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
    if args.format != OutputFormat::Jsonl && args.out.is_none() {
        bail!("--out DIR is required for CSV and xlsx tables (or use --format jsonl to stream to stdout)");
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

    let interrupted = on_interrupt()?;
    let compiled =
        super::gazetteer::load_compiled_for_run(&args.gazetteers, !args.no_default_gazetteer)?;
    let gazetteer = &compiled.gazetteer;
    let limits = Limits {
        max_quote_depth: args.max_quote_depth,
        max_mentions: args.max_mentions,
    };
    let mut pipeline = Pipeline::builder().compiled(&compiled).limits(limits);
    if args.no_quotes {
        pipeline = pipeline.without_quotes();
    }
    if let Some(zones) = &args.zones {
        let zones: Vec<Zone> = zones.iter().map(|z| z.zone()).collect();
        pipeline = pipeline.zones(&zones);
    }
    let pipeline = pipeline.build();
    let stop = Arc::clone(&interrupted);
    // After an interrupt no further document is read; the run ends once the documents
    // already read are processed.
    let inputs = Inputs::new(args.paths.clone(), read_options)
        .take_while(move |_| !stop.load(Ordering::SeqCst));
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

    let mut bidi = BidiWarnings::default();
    let (summary, outputs) = match (&args.out, args.format) {
        (Some(out), OutputFormat::Csv) => {
            let options = CsvOptions { excel: args.excel };
            let tables = CsvTables::create(out, options)
                .with_context(|| format!("cannot write tables in {}", out.display()))?
                .workers(threads)
                .entities(compiled.matcher.entity_count());
            let mut sink = bidi.watch(tables, &interrupted);
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
            if interrupted.load(Ordering::SeqCst) {
                drop(sink);
                clear(&progress);
                return Ok(stopped(&summary, Some(out)));
            }
            (summary, files)
        }
        (Some(out), OutputFormat::Xlsx) => {
            let tables = XlsxTables::create(out)
                .with_context(|| format!("cannot write tables in {}", out.display()))?;
            let mut sink = bidi.watch(tables, &interrupted);
            let summary = run_into(&pipeline, inputs, &mut sink, &pool, report, out)?;
            if interrupted.load(Ordering::SeqCst) {
                drop(sink);
                clear(&progress);
                return Ok(stopped(&summary, Some(out)));
            }
            (summary, vec![XLSX_FILE.to_string()])
        }
        (Some(out), OutputFormat::Jsonl) => {
            let path = out.join("records.jsonl");
            let (staged, file) = Staged::create(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let records = JsonlRecords::new(file)
                .gazetteer(gazetteer)
                .entities(compiled.matcher.entity_count())
                .shard(args.shard);
            let mut sink = bidi.watch(records, &interrupted);
            let summary = run_into(&pipeline, inputs, &mut sink, &pool, report, out)?;
            if interrupted.load(Ordering::SeqCst) {
                drop(staged);
                clear(&progress);
                return Ok(stopped(&summary, Some(out)));
            }
            let file = sink.inner.into_inner()?;
            file.sync_data()?;
            staged
                .commit()
                .with_context(|| format!("cannot write {}", path.display()))?;
            (summary, vec!["records.jsonl".to_string()])
        }
        (None, _) => {
            let stdout = io::stdout().lock();
            let records = JsonlRecords::new(stdout)
                .gazetteer(gazetteer)
                .entities(compiled.matcher.entity_count())
                .shard(args.shard);
            let mut sink = bidi.watch(records, &interrupted);
            let summary = pipeline
                .run(inputs, &mut sink, &pool, report)
                .context("cannot write to stdout")?;
            if interrupted.load(Ordering::SeqCst) {
                // Pass on the whole records gathered so far.
                sink.inner.finish().context("cannot write to stdout")?;
                clear(&progress);
                return Ok(stopped(&summary, None));
            }
            (summary, Vec::new())
        }
    };
    clear(&progress);
    bidi.report();
    if summary.ids_kept_in_memory {
        eprintln!(
            "naql: warning: no temporary file could be written in {} for the document ids \
             seen, so they were kept in memory (about 58 bytes per document); set TMPDIR to \
             a writable directory with room for 24 bytes per document",
            std::env::temp_dir().display()
        );
    }

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
    // The process ends with this run, so the gazetteer is left to the exit instead of
    // freed entity by entity: with a million names the entities made during the run
    // (up to five strings each, made on the worker threads) took 0.3 s to free.
    std::mem::forget(pipeline);
    std::mem::forget(compiled);
    super::finish_run(args.out.as_deref(), &manifest, &summary)
}

/// Exit code of a run stopped by SIGINT or SIGTERM: 128 + SIGINT, as shells report it.
const EXIT_INTERRUPTED: u8 = 130;

/// Sets the returned flag on the first SIGINT (or SIGTERM); a second one exits at once,
/// leaving only partial files (`.NAME.PID.partial`), never a table under its final name.
fn on_interrupt() -> anyhow::Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    let handler_flag = Arc::clone(&flag);
    ctrlc::set_handler(move || {
        if handler_flag.swap(true, Ordering::SeqCst) {
            eprintln!("naql: interrupted again: exiting now; no table was written");
            std::process::exit(i32::from(EXIT_INTERRUPTED));
        }
        eprintln!("naql: interrupted: stopping after the documents in progress");
    })
    .context("cannot install the interrupt handler")?;
    Ok(flag)
}

/// Says what an interrupted run left behind.
fn stopped(summary: &RunSummary, out: Option<&Path>) -> ExitCode {
    match out {
        Some(out) => eprintln!(
            "naql: interrupted after {} documents: no table written; {} is as it was before the run",
            summary.documents,
            out.display()
        ),
        None => eprintln!(
            "naql: interrupted after {} documents: the output holds the whole records of those documents only",
            summary.documents
        ),
    }
    ExitCode::from(EXIT_INTERRUPTED)
}

/// Documents holding bidi embedding, override or isolate controls, for a warning at
/// the end of the run.
#[derive(Debug, Default)]
struct BidiWarnings {
    documents: u64,
    controls: u64,
    first: Vec<String>,
}

/// Shown by name in the warning.
const BIDI_IDS_SHOWN: usize = 5;

impl BidiWarnings {
    fn watch<'w, S: Sink>(&'w mut self, inner: S, interrupted: &'w AtomicBool) -> Watched<'w, S> {
        Watched {
            inner,
            warnings: self,
            interrupted,
        }
    }

    fn report(&self) {
        if self.documents == 0 {
            return;
        }
        let more = if self.documents as usize > self.first.len() {
            ", ..."
        } else {
            ""
        };
        eprintln!(
            "naql: warning: {} documents hold {} bidi embedding/override/isolate controls \
             (U+202A-U+202E, U+2066-U+2069), which can reorder what a reader sees; they are \
             kept in the text columns and counted in n_bidi_controls: {}{more}",
            self.documents,
            self.controls,
            self.first.join(", ")
        );
    }
}

/// A sink that notes documents with bidi controls on the way through, and does not
/// finish (commit) its output when the run was interrupted.
struct Watched<'w, S> {
    inner: S,
    warnings: &'w mut BidiWarnings,
    interrupted: &'w AtomicBool,
}

impl<S: Sink> Watched<'_, S> {
    fn note(&mut self, outcome: &Outcome) {
        if let Outcome::Done {
            document,
            extraction,
        } = outcome
        {
            if extraction.n_bidi_controls > 0 {
                let warnings = &mut *self.warnings;
                warnings.documents += 1;
                warnings.controls += extraction.n_bidi_controls as u64;
                if warnings.first.len() < BIDI_IDS_SHOWN {
                    warnings.first.push(format!("{:?}", document.id));
                }
            }
        }
    }
}

impl<S: Sink> Sink for Watched<'_, S> {
    fn write(&mut self, outcome: &Outcome) -> io::Result<()> {
        self.note(outcome);
        self.inner.write(outcome)
    }

    fn renderer(&self) -> Option<Arc<dyn Render>> {
        self.inner.renderer()
    }

    fn write_rendered(&mut self, outcome: &Outcome, rendered: Rendered) -> io::Result<()> {
        self.note(outcome);
        self.inner.write_rendered(outcome, rendered)
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.interrupted.load(Ordering::SeqCst) {
            return Ok(());
        }
        self.inner.finish()
    }
}

fn run_into(
    pipeline: &Pipeline,
    inputs: impl Iterator<Item = naql::read::InputItem> + Send,
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
        max_line_bytes: args.max_line_bytes,
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
        "max_line_bytes": args.max_line_bytes,
        "max_quote_depth": args.max_quote_depth,
        "max_mentions": args.max_mentions,
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

fn clear(progress: &Option<ProgressBar>) {
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
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
