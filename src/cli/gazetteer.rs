//! `naql gazetteer check|stats|induce`, and the gazetteer loading shared with `extract`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, Subcommand};

use naql::gazetteer::{self, CompiledGazetteer, Gazetteer, GazetteerSource, Problem, Severity};

/// Arguments of `naql gazetteer`.
#[derive(Debug, Args)]
pub struct GazetteerArgs {
    #[command(subcommand)]
    command: GazetteerCommand,
}

#[derive(Debug, Subcommand)]
enum GazetteerCommand {
    /// Print every problem in the gazetteers (errors and warnings, with file and
    /// line); exit 1 when there are errors.
    Check(Selection),
    /// Print counts of entities and names by type, subtype, language and kind.
    Stats(Selection),
    /// Build a gazetteer from the tagged strings of CoNLL-style annotated files.
    Induce(super::induce::InduceArgs),
    /// Compile gazetteers into one file that `naql extract --gazetteer FILE` loads
    /// without keying and compiling the names again (a million names load in about a
    /// second).
    Compile(CompileArgs),
}

/// Arguments of `naql gazetteer compile`.
#[derive(Debug, Args)]
#[command(after_help = "The file holds the built-in gazetteers too unless \
--no-default-gazetteer is given, exactly as `naql extract` would use them; give it to \
`naql extract --gazetteer FILE` alone. It is refused, with a message to recompile, by a \
naql with another compiled format or other built-in gazetteers.

Example: naql gazetteer compile people/ places/ -o news.naqlgaz")]
struct CompileArgs {
    /// Gazetteer directories to compile, in addition to the built-in ones.
    #[arg(value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Compile only the directories given, not the built-in gazetteers.
    #[arg(long)]
    no_default_gazetteer: bool,
    /// The compiled file to write.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
}

/// Which gazetteers to look at.
#[derive(Debug, Args)]
struct Selection {
    /// Gazetteer directories [default: the built-in gazetteers].
    #[arg(value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Also load the built-in gazetteers when directories are given.
    #[arg(long)]
    with_builtin: bool,
}

impl Selection {
    fn sources(&self) -> anyhow::Result<Vec<GazetteerSource>> {
        sources(&self.dirs, self.dirs.is_empty() || self.with_builtin)
    }
}

/// Runs `naql gazetteer ...`.
pub fn run(args: GazetteerArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        GazetteerCommand::Check(selection) => {
            let (gazetteer, problems) = Gazetteer::load(&selection.sources()?);
            for problem in &problems {
                println!("{problem}");
            }
            let errors = problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .count();
            println!(
                "{} entities, {} names, {} triggers, {} roles; {} errors, {} warnings",
                gazetteer.entities.len(),
                gazetteer.names.len(),
                gazetteer.triggers.len(),
                gazetteer.roles.len(),
                errors,
                problems.len() - errors
            );
            Ok(if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        GazetteerCommand::Stats(selection) => {
            let (gazetteer, problems) = Gazetteer::load(&selection.sources()?);
            let mut group = String::new();
            for (name, key, count) in gazetteer.stats() {
                if name != group {
                    println!("{name}:");
                    group = name;
                }
                println!("  {key}\t{count}");
            }
            if !problems.is_empty() {
                eprintln!(
                    "naql: {} problems; see naql gazetteer check",
                    problems.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        GazetteerCommand::Induce(args) => super::induce::run(args),
        GazetteerCommand::Compile(args) => {
            let started = std::time::Instant::now();
            let builtin = !args.no_default_gazetteer;
            let gazetteer = load_for_run(&args.dirs, builtin)?;
            let names = gazetteer.names.len();
            let compiled = CompiledGazetteer::new(gazetteer, builtin);
            compiled.write(&args.output)?;
            let bytes = std::fs::metadata(&args.output).map_or(0, |m| m.len());
            eprintln!(
                "naql: compiled {} names of {} sources into {} ({:.1} MB, sha256 {}) in {:.2} s",
                names,
                compiled.gazetteer.sources.len(),
                args.output.display(),
                bytes as f64 / 1e6,
                compiled.gazetteer.sha256,
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The gazetteer sources: the built-in ones when `builtin`, then the directories.
pub fn sources(dirs: &[PathBuf], builtin: bool) -> anyhow::Result<Vec<GazetteerSource>> {
    let mut sources = if builtin {
        gazetteer::builtin()
    } else {
        Vec::new()
    };
    for dir in dirs {
        if !dir.is_dir() {
            if dir.is_file() {
                bail!(
                    "gazetteer {} is a file: a compiled gazetteer is given alone to `naql extract --gazetteer`",
                    dir.display()
                );
            }
            bail!("gazetteer {} is not a directory", dir.display());
        }
        sources.push(GazetteerSource::Dir(dir.clone()));
    }
    Ok(sources)
}

/// The compiled gazetteer for a run: read from a compiled file when `paths` is one
/// (given alone), else loaded from the directories and compiled.
pub fn load_compiled_for_run(
    paths: &[PathBuf],
    builtin: bool,
) -> anyhow::Result<CompiledGazetteer> {
    let files: Vec<&PathBuf> = paths.iter().filter(|p| p.is_file()).collect();
    match files[..] {
        // The built-in gazetteers alone come from their compiled copy, when it is this
        // build's; anything else is compiled from its TSV files.
        [] => match (paths.is_empty() && builtin)
            .then(CompiledGazetteer::builtin)
            .flatten()
        {
            Some(compiled) => Ok(compiled),
            None => Ok(CompiledGazetteer::new(
                load_for_run(paths, builtin)?,
                builtin,
            )),
        },
        [file] if paths.len() == 1 => Ok(CompiledGazetteer::read(file)?),
        _ => bail!(
            "the compiled gazetteer {} must be the only --gazetteer; compile the directories \
             into it with `naql gazetteer compile`",
            files[0].display()
        ),
    }
}

/// Loads gazetteers for a run: errors are fatal (listed, then the run stops), warnings
/// are counted on stderr.
pub fn load_for_run(dirs: &[PathBuf], builtin: bool) -> anyhow::Result<Gazetteer> {
    let (gazetteer, problems) = Gazetteer::load(&sources(dirs, builtin)?);
    let errors: Vec<&Problem> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        for problem in &errors {
            eprintln!("{problem}");
        }
        bail!(
            "{} gazetteer errors (see above; `naql gazetteer check DIR` lists every problem)",
            errors.len()
        );
    }
    if !problems.is_empty() {
        eprintln!(
            "naql: {} gazetteer warnings; `naql gazetteer check DIR` lists them",
            problems.len()
        );
    }
    Ok(gazetteer)
}
