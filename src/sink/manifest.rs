//! `manifest.json`: what was run, on what, with what result.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::pipeline::RunSummary;

/// The run manifest.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// naql version.
    pub naql_version: &'static str,
    /// Subcommand run (`extract`).
    pub command: String,
    /// The options in effect, as the command line named them.
    pub options: serde_json::Value,
    /// Gazetteers used, in load order (`builtin:NAME` or the directory).
    pub gazetteers: Vec<String>,
    /// SHA-256 over the gazetteer files used.
    pub gazetteer_sha256: Option<String>,
    /// Input paths as given.
    pub inputs: Vec<String>,
    /// Files written next to the manifest.
    pub outputs: Vec<String>,
    /// Document and row counts.
    pub counts: Counts,
    /// Wall time of the run.
    pub elapsed_seconds: f64,
}

/// Counts recorded in the manifest.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Counts {
    /// Input documents.
    pub documents: u64,
    /// Documents with status `ok`.
    pub ok: u64,
    /// Documents with status `error`.
    pub error: u64,
    /// Rows of `mentions.csv`.
    pub mentions: u64,
    /// Rows of `quotes.csv`.
    pub quotes: u64,
    /// Bytes of text read.
    pub text_bytes: u64,
}

impl From<&RunSummary> for Counts {
    fn from(summary: &RunSummary) -> Counts {
        Counts {
            documents: summary.documents,
            ok: summary.ok,
            error: summary.failed,
            mentions: summary.mentions,
            quotes: summary.quotes,
            text_bytes: summary.text_bytes,
        }
    }
}

impl Manifest {
    /// Writes the manifest as pretty-printed JSON to `path` (under a temporary name,
    /// renamed when complete).
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let mut json = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        json.push('\n');
        let (staged, mut file) = super::Staged::create(path)?;
        file.write_all(json.as_bytes())?;
        file.sync_data()?;
        staged.commit()
    }
}
