//! The JSONL record stream: one object per line.
//!
//! A stream is a `run` record, then per document a `document` record followed by its
//! `mention` and `quote` records, then one `entity` record per entity found. Document,
//! mention and quote records start with `record` and `doc_id`; their other fields are
//! the columns of the matching table, so the stream holds all four tables and
//! [`records`](super::records) can turn any set of streams back into them.

use std::io::{self, Write};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::csv_tables::{row_room, Table};
use super::{
    document_row, entity_row, result_rows, Cell, EntityTallies, DOCUMENT_COLUMNS, ENTITY_COLUMNS,
    MENTION_COLUMNS, QUOTE_COLUMNS,
};
use crate::gazetteer::Gazetteer;
use crate::pipeline::{Outcome, Render, Rendered, Sink};

/// The `format` of a `run` record.
pub const RECORDS_FORMAT: &str = "naql-records";

/// Version of the record layout, raised when a change would make an older reader
/// misread the records.
pub const RECORDS_FORMAT_VERSION: u64 = 2;

/// Writes the records of a run (numbers as numbers, empty values as null).
///
/// Records are gathered in memory and handed to the writer a document at a time, in
/// pieces of whole lines, so a reader of a stream that stops (an interrupted run, a
/// killed pipe) only ever sees whole records, and whole documents. Give it an
/// unbuffered writer (a file, or stdout, which passes whole lines through).
///
/// ```
/// use naql::sink::JsonlRecords;
/// use naql::{Document, Outcome, Pipeline, Sink};
/// let document = Document::new("d1", "text");
/// let extraction = Pipeline::builder().build().process(&document);
/// let mut out = Vec::new();
/// let mut sink = JsonlRecords::new(&mut out).shard(Some(3));
/// sink.write(&Outcome::Done { document, extraction }).unwrap();
/// sink.finish().unwrap();
/// let text = String::from_utf8(out).unwrap();
/// let lines: Vec<&str> = text.lines().collect();
/// assert!(lines[0].starts_with(r#"{"record":"run","format":"naql-records""#));
/// assert!(lines[1].starts_with(r#"{"record":"document","doc_id":"d1","#));
/// assert!(lines[1].ends_with(r#","doc_index":1}"#));
/// ```
pub struct JsonlRecords<W: Write> {
    out: W,
    pending: Vec<u8>,
    run: RunRecord,
    run_written: bool,
    documents: u64,
    tallies: EntityTallies,
}

/// Records are passed on once this many bytes are gathered, at a document boundary.
const FLUSH_BYTES: usize = 1 << 16;

/// The first record of a stream: what wrote the records and which part of the input
/// they cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Always `run`.
    pub record: String,
    /// Always [`RECORDS_FORMAT`].
    pub format: String,
    /// [`RECORDS_FORMAT_VERSION`] of the writer.
    pub format_version: u64,
    /// naql version of the writer.
    pub naql_version: String,
    /// Gazetteers used, in load order.
    pub gazetteers: Vec<String>,
    /// SHA-256 over the gazetteer files used.
    pub gazetteer_sha256: Option<String>,
    /// Position of this stream among the shards of one input (`naql extract --shard`).
    pub shard: Option<u64>,
    /// Lines of the whole input before this stream's first line, when a wrapper that
    /// split the input knows it (the Spark example sets it): `stdin:LINE` sources are
    /// renumbered by it when the tables are rebuilt.
    pub line_offset: Option<u64>,
}

impl Default for RunRecord {
    fn default() -> Self {
        RunRecord {
            record: "run".to_string(),
            format: RECORDS_FORMAT.to_string(),
            format_version: RECORDS_FORMAT_VERSION,
            naql_version: env!("CARGO_PKG_VERSION").to_string(),
            gazetteers: Vec::new(),
            gazetteer_sha256: None,
            shard: None,
            line_offset: None,
        }
    }
}

impl<W: Write> JsonlRecords<W> {
    /// Records written to `out`, with no gazetteer named in the `run` record.
    pub fn new(out: W) -> Self {
        JsonlRecords {
            out,
            pending: Vec::with_capacity(FLUSH_BYTES),
            run: RunRecord::default(),
            run_written: false,
            documents: 0,
            tallies: EntityTallies::default(),
        }
    }

    /// Names the gazetteer used (its sources and SHA-256) in the `run` record.
    pub fn gazetteer(mut self, gazetteer: &Gazetteer) -> Self {
        self.run.gazetteers = gazetteer.sources.clone();
        self.run.gazetteer_sha256 = Some(gazetteer.sha256.clone());
        self
    }

    /// Says how many entities the run's gazetteer has (see
    /// [`EntityTallies::with_capacity`]), before any document is written.
    pub fn entities(mut self, entities: usize) -> Self {
        self.tallies = EntityTallies::with_capacity(entities);
        self
    }

    /// Marks the records as one shard of a larger input: when the tables are rebuilt,
    /// documents of shard `n` come after those of lower shards.
    pub fn shard(mut self, shard: Option<u64>) -> Self {
        self.run.shard = shard;
        self
    }

    /// The writer, with every record written so far passed on.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.pass_on()?;
        Ok(self.out)
    }

    fn pass_on(&mut self) -> io::Result<()> {
        self.out.write_all(&self.pending)?;
        self.pending.clear();
        self.out.flush()
    }

    fn write_run(&mut self) -> io::Result<()> {
        if !self.run_written {
            self.run_written = true;
            serde_json::to_writer(&mut self.pending, &self.run)?;
            self.pending.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl<W: Write> JsonlRecords<W> {
    /// The document record (its `doc_index` is known only here, in input order), then
    /// `results`, the document's mention and quote records.
    fn append(&mut self, outcome: &Outcome, results: Option<&[u8]>) -> io::Result<()> {
        self.write_run()?;
        self.documents += 1;
        let mut row = Vec::with_capacity(QUOTE_COLUMNS.len());
        document_row(outcome, &mut row);
        let out = &mut self.pending;
        write_fields(out, "document", DOCUMENT_COLUMNS, &row)?;
        writeln!(out, ",\"doc_index\":{}}}", self.documents)?;
        if let Outcome::Done { extraction, .. } = outcome {
            match results {
                Some(results) => out.extend_from_slice(results),
                None => result_records(outcome, out)?,
            }
            self.tallies.add(&extraction.mentions);
        }
        if self.pending.len() >= FLUSH_BYTES {
            self.pass_on()?;
        }
        Ok(())
    }
}

/// Encodes a document's mention and quote records, which need nothing of the stream's
/// state, so that the pipeline's workers can do it.
#[derive(Debug)]
struct ResultRecords;

impl Render for ResultRecords {
    fn render(&self, outcome: &Outcome) -> Rendered {
        let mut out = Vec::with_capacity(records_room(outcome));
        result_records(outcome, &mut out).expect("encoding into memory cannot fail");
        Rendered::new(vec![out])
    }
}

/// Bytes to reserve for the mention and quote records of `outcome`: the room of the
/// same rows in the CSV tables ([`row_room`]), and in each record its kind and the
/// names of its fields, so that the buffer is seldom copied as it grows.
fn records_room(outcome: &Outcome) -> usize {
    let Outcome::Done {
        document,
        extraction,
    } = outcome
    else {
        return 0;
    };
    // `{"record":"mention"` and `}\n`, and `,"name":` for each field.
    let names = |record: &str, columns: &[&str]| {
        r#"{"record":""}"#.len()
            + record.len()
            + 1
            + columns.iter().map(|c| c.len() + 4).sum::<usize>()
    };
    let (mentions, quotes) = row_room(document, extraction);
    mentions
        + quotes
        + extraction.mentions.len() * names("mention", MENTION_COLUMNS)
        + extraction.quotes.len() * names("quote", QUOTE_COLUMNS)
}

/// Appends the mention and quote records of `outcome` (none for a failure).
fn result_records(outcome: &Outcome, out: &mut Vec<u8>) -> io::Result<()> {
    if let Outcome::Done {
        document,
        extraction,
    } = outcome
    {
        let mut row = Vec::with_capacity(QUOTE_COLUMNS.len());
        result_rows(document, extraction, &mut row, |table, row| match table {
            Table::Quotes => write_record(out, "quote", QUOTE_COLUMNS, row),
            _ => write_record(out, "mention", MENTION_COLUMNS, row),
        })?;
    }
    Ok(())
}

impl<W: Write> Sink for JsonlRecords<W> {
    fn write(&mut self, outcome: &Outcome) -> io::Result<()> {
        self.append(outcome, None)
    }

    fn renderer(&self) -> Option<Arc<dyn Render>> {
        Some(Arc::new(ResultRecords))
    }

    fn write_rendered(&mut self, outcome: &Outcome, rendered: Rendered) -> io::Result<()> {
        match &rendered.bytes[..] {
            [results] => self.append(outcome, Some(results)),
            _ => Err(io::Error::other("records rendered by another sink")),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.write_run()?;
        let mut row = Vec::with_capacity(ENTITY_COLUMNS.len());
        for tally in &std::mem::take(&mut self.tallies).into_sorted() {
            entity_row(tally, &mut row);
            write_record(&mut self.pending, "entity", ENTITY_COLUMNS, &row)?;
        }
        self.pass_on()
    }
}

fn write_record(
    out: &mut impl Write,
    record: &str,
    columns: &[&str],
    row: &[Cell<'_>],
) -> io::Result<()> {
    write_fields(out, record, columns, row)?;
    out.write_all(b"}\n")
}

/// A record without its closing brace.
fn write_fields(
    out: &mut impl Write,
    record: &str,
    columns: &[&str],
    row: &[Cell<'_>],
) -> io::Result<()> {
    write!(out, "{{\"record\":\"{record}\"")?;
    for (name, cell) in columns.iter().zip(row) {
        write!(out, ",\"{name}\":")?;
        match cell {
            Cell::Str(s) => serde_json::to_writer(&mut *out, s)?,
            Cell::Owned(s) => serde_json::to_writer(&mut *out, s)?,
            Cell::Int(n) => write!(out, "{n}")?,
            Cell::Id {
                document,
                marker,
                number,
            } => serde_json::to_writer(&mut *out, &super::item_id(document, *marker, *number))?,
            Cell::Float(x) if x.is_finite() => {
                out.write_all(super::fixed2(*x, &mut [0; 24]).as_bytes())?
            }
            Cell::Float(_) | Cell::Null => out.write_all(b"null")?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The room `render` reserves holds each sample article's records, so the buffer
    /// does not grow, and is not much more than they take.
    #[test]
    fn the_sample_articles_records_fit_the_room_reserved_for_them() {
        for outcome in super::super::sample_outcomes() {
            let Outcome::Done { extraction, .. } = &outcome else {
                unreachable!("the samples are processed");
            };
            let (n_mentions, n_quotes) = (extraction.mentions.len(), extraction.quotes.len());
            let room = records_room(&outcome);
            let rendered = ResultRecords.render(&outcome);
            let [records] = &rendered.bytes[..] else {
                panic!("one buffer of records");
            };
            let lines = records
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .count();
            assert_eq!(lines, n_mentions + n_quotes);
            assert!(
                records.len() <= room,
                "{} bytes, {room} reserved",
                records.len()
            );
            assert!(
                room <= records.len() * 3 / 2,
                "{} bytes, {room} reserved",
                records.len()
            );
            assert_eq!(records.capacity(), room, "the buffer grew");
        }
    }
}
