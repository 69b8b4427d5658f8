//! `naql eval ner`: score entity mentions against CoNLL-style annotated files.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;

use naql::eval::ner::{
    evaluate, parse_entity_type, Corpus, Counts, EvalOptions, Evaluation, SentenceRange, TagMap,
    ERRORS_HEADER,
};
use naql::gazetteer::EntityType;
use naql::matcher::Matcher;
use naql::Pipeline;

/// Arguments of `naql eval ner`.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Each document's text is rebuilt from its tokens (joined by one space, sentences by a \
newline, documents at -DOCSTART-), run through the same pipeline as `naql extract`, and \
every mention is mapped to the tokens it touches. A mention is correct when its token \
range and type equal a gold mention's (entity-level, CoNLL convention). Demonym mentions \
are not scored.

The --errors file has one row per false positive (fp) or negative (fn): doc_id, \
sentence number, FILE:LINE of its first token, error, class (wrong_type: same tokens, \
other type; boundary: overlapping tokens; spurious: nothing tagged there; missed: \
nothing found there), type, text, what the other side has there, the entity and match \
kind, and the context with the mention in [[ ]].

Example: naql eval ner --conll test.conll --gazetteer induced/ --errors errors.tsv")]
pub struct EvalNerArgs {
    /// Annotated files: one token per line, tag in the last column, blank line between
    /// sentences, -DOCSTART- between documents; BIO, IOB1 or BIOES tags.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    conll: Vec<PathBuf>,

    /// Score only these sentences, numbered from 1 across the files in order: N, N-M,
    /// N- or -M.
    #[arg(long, value_name = "RANGE")]
    sentences: Option<SentenceRange>,

    /// Gazetteer directory to use in addition to the built-in ones (repeatable).
    #[arg(long = "gazetteer", value_name = "DIR")]
    gazetteers: Vec<PathBuf>,

    /// Use only the gazetteers given with --gazetteer.
    #[arg(long)]
    no_default_gazetteer: bool,

    /// Map the corpus's tag types to PER, ORG, LOC or O (left out): TAG=TYPE pairs,
    /// comma-separated, or the preset `newsfane` (repeatable; later items win). The
    /// default maps PER/PERS/per/pers, ORG/org and LOC/GPE/loc/gpe.
    #[arg(long = "map", value_name = "TAG=TYPE,...")]
    maps: Vec<String>,

    /// Types to score.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "PER,ORG,LOC",
        value_name = "TYPES"
    )]
    types: Vec<String>,

    /// Write every false positive and false negative, with context, to this TSV file.
    #[arg(long, value_name = "FILE")]
    errors: Option<PathBuf>,

    /// Print the scores as JSON.
    #[arg(long)]
    json: bool,

    /// Worker threads [default: number of CPUs]. Scores are identical for any value.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

/// Runs `naql eval ner`.
pub fn run(args: EvalNerArgs) -> anyhow::Result<ExitCode> {
    let tag_map = tag_map(&args.maps)?;
    let mut types: Vec<EntityType> = Vec::new();
    for value in &args.types {
        let entity_type = parse_entity_type(value.trim()).map_err(anyhow::Error::msg)?;
        if !types.contains(&entity_type) {
            types.push(entity_type);
        }
    }
    let mut corpus = Corpus::read(&args.conll)?;
    if let Some(range) = &args.sentences {
        corpus = corpus.select(range);
    }
    let gazetteer = super::gazetteer::load_for_run(&args.gazetteers, !args.no_default_gazetteer)?;
    let pipeline = Pipeline::builder()
        .matcher(Arc::new(Matcher::new(&gazetteer)))
        .build();
    let pool = super::induce::thread_pool(args.threads)?;
    let options = EvalOptions { tag_map, types };
    let evaluation = pool.install(|| evaluate(&corpus, &pipeline, &options));

    if let Some(path) = &args.errors {
        let mut out = String::with_capacity(64 * (evaluation.errors.len() + 1));
        out.push_str(ERRORS_HEADER);
        out.push('\n');
        for row in &evaluation.errors {
            out.push_str(&row.tsv());
            out.push('\n');
        }
        std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let report = if args.json {
        serde_json::to_string_pretty(&json(&evaluation))? + "\n"
    } else {
        table(&evaluation)
    };
    std::io::stdout().lock().write_all(report.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The tag map of the `--map` values, over the default.
pub fn tag_map(specs: &[String]) -> anyhow::Result<TagMap> {
    let mut map = TagMap::default();
    for spec in specs {
        map.apply(spec).map_err(anyhow::Error::msg)?;
    }
    Ok(map)
}

fn table(evaluation: &Evaluation) -> String {
    let mut out = format!(
        "{} documents, {} sentences, {} tokens\n{:<8} {:>6} {:>6} {:>6} {:>9} {:>7} {:>7}\n",
        evaluation.documents,
        evaluation.sentences,
        evaluation.tokens,
        "type",
        "gold",
        "found",
        "correct",
        "precision",
        "recall",
        "f1"
    );
    let rows = evaluation
        .by_type
        .iter()
        .map(|(t, c)| (t.code(), c))
        .chain(std::iter::once(("overall", &evaluation.overall)));
    for (name, c) in rows {
        out.push_str(&format!(
            "{:<8} {:>6} {:>6} {:>7} {:>9.2} {:>7.2} {:>7.2}\n",
            name,
            c.gold,
            c.predicted,
            c.correct,
            100.0 * c.precision(),
            100.0 * c.recall(),
            100.0 * c.f1()
        ));
    }
    out
}

fn json(evaluation: &Evaluation) -> serde_json::Value {
    let counts = |c: &Counts| {
        let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
        serde_json::json!({
            "gold": c.gold,
            "found": c.predicted,
            "correct": c.correct,
            "precision": round(c.precision()),
            "recall": round(c.recall()),
            "f1": round(c.f1()),
        })
    };
    let by_type: serde_json::Map<String, serde_json::Value> = evaluation
        .by_type
        .iter()
        .map(|(t, c)| (t.code().to_string(), counts(c)))
        .collect();
    serde_json::json!({
        "documents": evaluation.documents,
        "sentences": evaluation.sentences,
        "tokens": evaluation.tokens,
        "types": by_type,
        "overall": counts(&evaluation.overall),
        "errors": evaluation.errors.len(),
    })
}
