//! The four CSV tables in an output directory.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use super::Staged;
use super::{
    document_row, entity_row, result_rows, Cell, EntityTallies, DOCUMENT_COLUMNS, ENTITY_COLUMNS,
    MENTION_COLUMNS, QUOTE_COLUMNS,
};
use crate::document::Entity;
use crate::pipeline::{Outcome, Sink};

/// CSV dialect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Excel-safe output: UTF-8 BOM, CRLF line ends, and a leading `'` on text cells
    /// that start with `=`, `+`, `-`, `@`, TAB or CR, so a spreadsheet shows them as text
    /// instead of running them as formulas (OWASP CSV injection).
    pub excel: bool,
}

pub(super) type TableWriter = csv::Writer<BufWriter<File>>;

/// Writes `documents.csv`, `mentions.csv`, `quotes.csv` as documents arrive and
/// `entities.csv` at the end, each under a temporary name (see [`Staged`]) until
/// [`Sink::finish`] renames them into place: tables dropped before that (a run
/// interrupted or failed) leave no half-written table, only nothing.
pub struct CsvTables {
    documents: TableWriter,
    mentions: TableWriter,
    quotes: TableWriter,
    entities: TableWriter,
    /// In the order of [`TABLE_FILES`].
    staged: Vec<Staged>,
    tallies: EntityTallies,
    options: CsvOptions,
    scratch: String,
}

/// The tables written row by row; `entities.csv` is written from the counts at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// `documents.csv`.
    Documents,
    /// `mentions.csv`.
    Mentions,
    /// `quotes.csv`.
    Quotes,
}

/// File names of the tables, in the order they are listed in the manifest.
pub const TABLE_FILES: &[&str] = &[
    "documents.csv",
    "mentions.csv",
    "entities.csv",
    "quotes.csv",
];

impl CsvTables {
    /// Creates the tables' partial files in `dir` (which must exist) and writes their
    /// headers.
    pub fn create(dir: &Path, options: CsvOptions) -> io::Result<CsvTables> {
        let mut staged = Vec::with_capacity(TABLE_FILES.len());
        let mut writers = Vec::with_capacity(TABLE_FILES.len());
        for name in TABLE_FILES {
            let (file, out) = Staged::create(&dir.join(name))?;
            staged.push(file);
            writers.push(open_table(out, options)?);
        }
        let mut writers = writers.into_iter();
        let mut next = || {
            writers
                .next()
                .ok_or_else(|| io::Error::other("table writer"))
        };
        let mut tables = CsvTables {
            documents: next()?,
            mentions: next()?,
            entities: next()?,
            quotes: next()?,
            staged,
            tallies: EntityTallies::default(),
            options,
            scratch: String::new(),
        };
        tables.documents.write_record(DOCUMENT_COLUMNS)?;
        tables.mentions.write_record(MENTION_COLUMNS)?;
        tables.entities.write_record(ENTITY_COLUMNS)?;
        tables.quotes.write_record(QUOTE_COLUMNS)?;
        Ok(tables)
    }

    /// Writes one row, made by [`document_row`], [`mention_row`] or [`quote_row`] or
    /// read back from a JSONL record, to `table`.
    ///
    /// [`document_row`]: super::document_row
    /// [`mention_row`]: super::mention_row
    /// [`quote_row`]: super::quote_row
    pub fn write_row(&mut self, table: Table, row: &[Cell<'_>]) -> io::Result<()> {
        let writer = match table {
            Table::Documents => &mut self.documents,
            Table::Mentions => &mut self.mentions,
            Table::Quotes => &mut self.quotes,
        };
        write_row(writer, row, self.options, &mut self.scratch)
    }

    /// Counts one document's mentions, given as entity, `match_kind` and zone, for
    /// `entities.csv`.
    pub fn count_mentions<'m>(
        &mut self,
        mentions: impl IntoIterator<Item = (&'m Arc<Entity>, &'m str, &'m str)>,
    ) {
        self.tallies.add_document(mentions);
    }
}

impl Sink for CsvTables {
    fn write(&mut self, outcome: &Outcome) -> io::Result<()> {
        let mut row = Vec::with_capacity(QUOTE_COLUMNS.len());
        document_row(outcome, &mut row);
        self.write_row(Table::Documents, &row)?;
        if let Outcome::Done {
            document,
            extraction,
        } = outcome
        {
            result_rows(document, extraction, &mut row, |table, row| {
                self.write_row(table, row)
            })?;
            self.tallies.add(&extraction.mentions);
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let mut row = Vec::with_capacity(ENTITY_COLUMNS.len());
        for tally in self.tallies.sorted() {
            entity_row(tally, &mut row);
            write_row(&mut self.entities, &row, self.options, &mut self.scratch)?;
        }
        for writer in [
            &mut self.documents,
            &mut self.mentions,
            &mut self.entities,
            &mut self.quotes,
        ] {
            writer.flush()?;
            writer.get_ref().get_ref().sync_data()?;
        }
        for staged in self.staged.drain(..) {
            staged.commit()?;
        }
        Ok(())
    }
}

pub(super) fn open_table(file: File, options: CsvOptions) -> io::Result<TableWriter> {
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let terminator = if options.excel {
        out.write_all(b"\xEF\xBB\xBF")?;
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    Ok(csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(out))
}

pub(super) fn write_row(
    writer: &mut TableWriter,
    row: &[Cell<'_>],
    options: CsvOptions,
    scratch: &mut String,
) -> io::Result<()> {
    let mut digits = [0u8; 20];
    for cell in row {
        scratch.clear();
        let text: &str = match cell {
            Cell::Str(s) => s,
            Cell::Owned(s) => s,
            Cell::Int(n) => super::decimal(*n, &mut digits),
            Cell::Float(x) => {
                let _ = write!(scratch, "{x:.2}");
                scratch
            }
            Cell::Null => "",
        };
        if options.excel && needs_guard(text) {
            writer.write_field(format!("'{text}"))?;
        } else {
            writer.write_field(text)?;
        }
    }
    writer.write_record(None::<&[u8]>)?;
    Ok(())
}

/// Cells a spreadsheet would read as a formula.
fn needs_guard(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

#[cfg(test)]
mod tests {
    use crate::sink::decimal;

    #[test]
    fn decimal_writes_every_digit() {
        let mut buf = [0u8; 20];
        for n in [0, 7, 10, 99, 100, 12345, u64::MAX] {
            assert_eq!(decimal(n, &mut buf), n.to_string());
        }
    }
}
