//! The JSONL record stream: one object per line, `record` and `doc_id` first.

use std::io::{self, Write};

use super::{
    document_row, mention_row, quote_row, Cell, DOCUMENT_COLUMNS, MENTION_COLUMNS, QUOTE_COLUMNS,
};
use crate::pipeline::{Outcome, Sink};

/// Writes a `document` record per input document followed by its `mention` and `quote`
/// records, with the same fields as the CSV tables (numbers as numbers, empty as null).
///
/// Records are gathered in memory and handed to the writer a document at a time, in
/// pieces of whole lines, so a reader of a stream that stops (an interrupted run, a
/// killed pipe) only ever sees whole records, and whole documents. Give it an
/// unbuffered writer (a file, or stdout, which passes whole lines through).
pub struct JsonlRecords<W: Write> {
    out: W,
    pending: Vec<u8>,
}

/// Records are passed on once this many bytes are gathered, at a document boundary.
const FLUSH_BYTES: usize = 1 << 16;

impl<W: Write> JsonlRecords<W> {
    /// Records written to `out`.
    pub fn new(out: W) -> Self {
        JsonlRecords {
            out,
            pending: Vec::with_capacity(FLUSH_BYTES),
        }
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
}

impl<W: Write> Sink for JsonlRecords<W> {
    fn write(&mut self, outcome: &Outcome) -> io::Result<()> {
        let mut row = Vec::with_capacity(QUOTE_COLUMNS.len());
        let out = &mut self.pending;
        document_row(outcome, &mut row);
        write_record(out, "document", DOCUMENT_COLUMNS, &row)?;
        if let Outcome::Done {
            document,
            extraction,
        } = outcome
        {
            for (index, mention) in extraction.mentions.iter().enumerate() {
                mention_row(document, mention, index, &mut row);
                write_record(out, "mention", MENTION_COLUMNS, &row)?;
            }
            for index in 0..extraction.quotes.len() {
                quote_row(document, extraction, index, &mut row);
                write_record(out, "quote", QUOTE_COLUMNS, &row)?;
            }
        }
        if self.pending.len() >= FLUSH_BYTES {
            self.pass_on()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.pass_on()
    }
}

fn write_record(
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
            Cell::Float(x) if x.is_finite() => write!(out, "{x:.2}")?,
            Cell::Float(_) | Cell::Null => out.write_all(b"null")?,
        }
    }
    out.write_all(b"}\n")
}
