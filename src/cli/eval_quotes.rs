//! `naql eval quotes`: run the extraction pipeline on annotated documents and score its
//! quotes and speakers against the gold records.

use std::collections::HashSet;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;

use naql::eval::quotes::{Gold, QuoteEval};
use naql::read::{InputFormat, Inputs, ReadOptions};
use naql::Pipeline;

/// Arguments of `naql eval quotes`.
#[derive(Debug, Args)]
pub struct EvalQuotesArgs {
    /// Gold statements, JSON lines: doc_id, type, quote_start, quote_end,
    /// speaker_start, speaker_end, speaker_resolved, cue_start, cue_end (code points;
    /// type is direct, mixed, indirect, headline or not_a_quote).
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,

    /// The annotated documents, JSON lines with doc_id, text and optionally lang and
    /// published_at.
    #[arg(long, value_name = "FILE")]
    docs: PathBuf,

    /// Gazetteer directory to use in addition to the built-in ones (repeatable).
    #[arg(long = "gazetteer", value_name = "DIR")]
    gazetteers: Vec<PathBuf>,

    /// Use only the gazetteers given with --gazetteer.
    #[arg(long)]
    no_default_gazetteer: bool,

    /// Print the scores as one JSON object instead of tables.
    #[arg(long)]
    json: bool,

    /// Write every missed, spurious and not-a-quote prediction, wrong speaker, wrong
    /// type and inexact boundary to this TSV file, with the text around it.
    #[arg(long, value_name = "FILE")]
    errors: Option<PathBuf>,
}

/// Runs `naql eval quotes`.
pub fn run(args: EvalQuotesArgs) -> anyhow::Result<ExitCode> {
    let gold = Gold::read(&args.gold)?;
    let gazetteer = super::gazetteer::load_for_run(&args.gazetteers, !args.no_default_gazetteer)?;
    let pipeline = Pipeline::builder().gazetteer(&gazetteer).build();
    let options = ReadOptions {
        format: Some(InputFormat::Jsonl),
        ..ReadOptions::default()
    };

    let mut eval = QuoteEval::new();
    let mut seen = HashSet::new();
    for item in Inputs::new(vec![args.docs.clone()], options) {
        let document = match item {
            Ok(document) => document,
            Err(failure) => bail!(
                "{}: document {}: {}",
                failure.meta.source,
                failure.id,
                failure.error
            ),
        };
        if !seen.insert(document.id.clone()) {
            bail!(
                "{}: doc_id {} is used twice",
                document.meta.source,
                document.id
            );
        }
        gold.check_text(&document.id, &document.text)?;
        let mut extraction = pipeline.process(&document);
        let document = naql::Document {
            lang: extraction.lang,
            ..document
        };
        eval.add_document(
            &document,
            &std::mem::take(&mut extraction.quotes),
            gold.statements(&document.id),
        );
    }
    let missing: Vec<&str> = gold.doc_ids().filter(|id| !seen.contains(*id)).collect();
    if !missing.is_empty() {
        bail!(
            "{} has records for {} documents not in {}: {}",
            args.gold.display(),
            missing.len(),
            args.docs.display(),
            missing.join(", ")
        );
    }

    if let Some(path) = &args.errors {
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        eval.write_errors_tsv(BufWriter::new(file))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let report = eval.report();
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &report.to_json())?;
        writeln!(stdout)?;
    } else {
        write!(stdout, "{report}")?;
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}
