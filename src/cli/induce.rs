//! `naql gazetteer induce`: a gazetteer from the tagged strings of CoNLL-style files.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};

use naql::eval::ner::{induce, Corpus, Decision, InduceOptions, SentenceRange};
use naql::gazetteer::{EntityType, Gazetteer, GazetteerSource, Severity};
use naql::Lang;

/// Arguments of `naql gazetteer induce`.
#[derive(Debug, Args)]
#[command(after_long_help = "\
Every tagged string becomes a name, its spellings grouped by matching key, with its \
majority type. Strings tagged fewer than --min-count times are left out, and so are \
those naql finds in the training text, on tokens not tagged as one mention, more than \
--max-ambiguity times their tagged count. A person's surname is listed when the text \
rarely has it untagged by the same measure, and listed as ambiguous when it often does.

Writes entities.tsv and names.tsv (a gazetteer for --gazetteer) and candidates.tsv \
(every string with its counts and what became of it).

Example: naql gazetteer induce --conll train.conll --out induced/ --map MISC=O")]
pub struct InduceArgs {
    /// Annotated training files: one token per line, tag in the last column, blank line
    /// between sentences, -DOCSTART- between documents; BIO, IOB1 or BIOES tags.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    conll: Vec<PathBuf>,

    /// Output directory, created if missing.
    #[arg(long, short = 'o', value_name = "DIR")]
    out: PathBuf,

    /// Use only these sentences, numbered from 1 across the files in order: N, N-M, N-
    /// or -M.
    #[arg(long, value_name = "RANGE")]
    sentences: Option<SentenceRange>,

    /// Map the corpus's tag types to PER, ORG, LOC or O (left out): TAG=TYPE pairs,
    /// comma-separated, or the preset `newsfane` (repeatable; later items win). The
    /// default maps PER/PERS/per/pers, ORG/org and LOC/GPE/loc/gpe.
    #[arg(long = "map", value_name = "TAG=TYPE,...")]
    maps: Vec<String>,

    /// Leave out strings tagged fewer times than this.
    #[arg(long, default_value_t = 1, value_name = "N")]
    min_count: usize,

    /// Leave out strings found untagged more than R times their tagged count.
    #[arg(long, default_value_t = naql::eval::ner::DEFAULT_MAX_AMBIGUITY, value_name = "R")]
    max_ambiguity: f64,

    /// Language of Arabic-script names [default: detected per document].
    #[arg(long, value_enum)]
    lang: Option<LangArg>,

    /// Worker threads [default: number of CPUs]. Output is identical for any value.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LangArg {
    Fa,
    Ar,
}

/// Runs `naql gazetteer induce`.
pub fn run(args: InduceArgs) -> anyhow::Result<ExitCode> {
    if args.max_ambiguity.is_nan() || args.max_ambiguity < 0.0 {
        bail!("--max-ambiguity must be 0 or more");
    }
    let tag_map = super::eval_ner::tag_map(&args.maps)?;
    let mut corpus = Corpus::read(&args.conll)?;
    if let Some(range) = &args.sentences {
        corpus = corpus.select(range);
    }
    let options = InduceOptions {
        tag_map,
        min_count: args.min_count,
        max_ambiguity: args.max_ambiguity,
        lang: args.lang.map(|l| match l {
            LangArg::Fa => Lang::Fa,
            LangArg::Ar => Lang::Ar,
        }),
    };
    let pool = thread_pool(args.threads)?;
    let induction = pool.install(|| induce(&corpus, &options));
    induction
        .write(&args.out)
        .with_context(|| format!("cannot write the gazetteer in {}", args.out.display()))?;

    // What was written must load cleanly.
    let (_, problems) = Gazetteer::load(&[GazetteerSource::Dir(args.out.clone())]);
    if let Some(problem) = problems.iter().find(|p| p.severity == Severity::Error) {
        bail!("the induced gazetteer does not load: {problem}");
    }
    let count = |decision: Decision, t: Option<EntityType>| {
        induction
            .names
            .iter()
            .filter(|n| n.decision == decision && t.is_none_or(|t| n.entity_type == t))
            .count()
    };
    println!(
        "{} sentences, {} tokens: {} strings kept (PER {}, ORG {}, LOC {}), {} left out as ambiguous, {} tagged fewer than {} times",
        corpus.sentence_count(),
        corpus.token_count(),
        count(Decision::Kept, None),
        count(Decision::Kept, Some(EntityType::Per)),
        count(Decision::Kept, Some(EntityType::Org)),
        count(Decision::Kept, Some(EntityType::Loc)),
        count(Decision::Ambiguous, None),
        count(Decision::Rare, None),
        args.min_count
    );
    Ok(ExitCode::SUCCESS)
}

/// A rayon pool with `threads` workers [default: number of CPUs].
pub fn thread_pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    if threads == Some(0) {
        bail!("--threads must be at least 1");
    }
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")
}
