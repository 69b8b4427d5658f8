//! The four CSV tables in an output directory.

use std::fs::File;
use std::io::{self, BufWriter, IoSlice, Write};
use std::path::Path;
use std::sync::Arc;

use super::writeback::{Writeback, WRITEBACK_BYTES};
use super::Staged;
use super::{
    context, document_row, entity_row, warm_entities, Cell, EntityTallies, EntityTally,
    DOCUMENT_COLUMNS, ENTITY_COLUMNS, MENTION_COLUMNS, QUOTE_COLUMNS,
};
use crate::document::{Document, Entity, Mention, Span};
use crate::pipeline::{Extraction, Outcome, Render, Rendered, Sink};

/// CSV dialect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Excel-safe output: UTF-8 BOM, CRLF line ends, and a leading `'` on text cells
    /// that start with `=`, `+`, `-`, `@`, TAB or CR, so a spreadsheet shows them as text
    /// instead of running them as formulas (OWASP CSV injection).
    pub excel: bool,
}

/// One CSV file being written: rows are encoded with [`encode_row`] and appended.
pub(super) struct TableWriter {
    out: BufWriter<File>,
    options: CsvOptions,
    /// The row being encoded, reused.
    line: Vec<u8>,
    /// Bytes appended since the last background sync was asked for.
    unsynced: usize,
    /// Rows encoded elsewhere and handed over whole, written after the bytes in `out`
    /// with one system call for many, instead of being copied into its buffer first
    /// (at two threads that copy of every byte of the tables took 4% of the run).
    handed: Vec<Vec<u8>>,
    handed_bytes: usize,
}

/// Rows handed over to a table are written once they are this many bytes...
const HANDED_BYTES: usize = 256 * 1024;
/// ...or this many buffers (under the system's limit on buffers per write).
const HANDED_BUFFERS: usize = 256;

impl TableWriter {
    /// Starts a table in `file`: the BOM for Excel, then the header.
    pub(super) fn create(file: File, options: CsvOptions, columns: &[&str]) -> io::Result<Self> {
        let mut out = BufWriter::with_capacity(1 << 16, file);
        if options.excel {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut table = TableWriter {
            out,
            options,
            line: Vec::new(),
            unsynced: 0,
            handed: Vec::new(),
            handed_bytes: 0,
        };
        let header: Vec<Cell> = columns.iter().map(|&c| Cell::Str(c)).collect();
        table.row(&header)?;
        Ok(table)
    }

    /// Encodes and appends one row.
    pub(super) fn row(&mut self, row: &[Cell<'_>]) -> io::Result<()> {
        self.line.clear();
        encode_row(row, self.options, &mut self.line);
        self.write_handed()?;
        self.unsynced += self.line.len();
        self.out.write_all(&self.line)
    }

    /// Appends rows already encoded with this table's options.
    fn encoded(&mut self, rows: &[u8]) -> io::Result<()> {
        self.write_handed()?;
        self.unsynced += rows.len();
        self.out.write_all(rows)
    }

    /// Appends rows already encoded with this table's options, taking their buffer.
    fn handed_over(&mut self, rows: Vec<u8>) -> io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        self.unsynced += rows.len();
        self.handed_bytes += rows.len();
        self.handed.push(rows);
        if self.handed_bytes >= HANDED_BYTES || self.handed.len() >= HANDED_BUFFERS {
            self.write_handed()?;
        }
        Ok(())
    }

    /// Writes the bytes in `out`, then the rows handed over.
    fn write_handed(&mut self) -> io::Result<()> {
        if self.handed.is_empty() {
            return Ok(());
        }
        self.out.flush()?;
        let mut slices: Vec<IoSlice> = self.handed.iter().map(|r| IoSlice::new(r)).collect();
        let mut slices = &mut slices[..];
        let file = self.out.get_mut();
        while !slices.is_empty() {
            match file.write_vectored(slices) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => IoSlice::advance_slices(&mut slices, n),
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
        self.handed.clear();
        self.handed_bytes = 0;
        Ok(())
    }

    /// All rows appended so far, written to the file.
    fn flush(&mut self) -> io::Result<()> {
        self.write_handed()?;
        self.out.flush()
    }

    /// Once [`WRITEBACK_BYTES`] have been appended since the last time, hands what the
    /// file holds to `writeback` to sync in the background.
    fn write_back(&mut self, writeback: &Writeback) -> io::Result<()> {
        if self.unsynced >= WRITEBACK_BYTES {
            self.flush()?;
            writeback.request(self.out.get_ref());
            self.unsynced = 0;
        }
        Ok(())
    }

    /// Flushes the rows to the file and the file to the disk.
    pub(super) fn sync(&mut self) -> io::Result<()> {
        self.flush()?;
        self.out.get_ref().sync_data()
    }
}

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
    writeback: Writeback,
    tallies: EntityTallies,
    renderer: Arc<CsvRows>,
    /// Row buffers for [`Sink::write`].
    rows: [Vec<u8>; 3],
    /// Whether the run has more than one worker thread, so that a helper may encode
    /// `entities.csv` with the writing thread once the workers are done.
    helper: bool,
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
        let columns = [
            DOCUMENT_COLUMNS,
            MENTION_COLUMNS,
            ENTITY_COLUMNS,
            QUOTE_COLUMNS,
        ];
        let mut staged = Vec::with_capacity(TABLE_FILES.len());
        let mut writers = Vec::with_capacity(TABLE_FILES.len());
        for (name, columns) in TABLE_FILES.iter().zip(columns) {
            let (file, out) = Staged::create(&dir.join(name))?;
            staged.push(file);
            writers.push(TableWriter::create(out, options, columns)?);
        }
        let mut writers = writers.into_iter();
        let mut next = || {
            writers
                .next()
                .ok_or_else(|| io::Error::other("table writer"))
        };
        Ok(CsvTables {
            documents: next()?,
            mentions: next()?,
            entities: next()?,
            quotes: next()?,
            staged,
            writeback: Writeback::start(),
            tallies: EntityTallies::default(),
            renderer: Arc::new(CsvRows { options }),
            rows: Default::default(),
            helper: false,
        })
    }

    /// Says how many entities the run's gazetteer has (see
    /// [`EntityTallies::with_capacity`]), before any document is written.
    pub fn entities(mut self, entities: usize) -> CsvTables {
        self.tallies = EntityTallies::with_capacity(entities);
        self
    }

    /// Says how many worker threads the run has: with more than one, a helper thread
    /// encodes half of the `entities.csv` rows at the end, once the workers are done.
    pub fn workers(mut self, workers: usize) -> CsvTables {
        self.helper = workers > 1;
        self
    }

    /// Writes one row, made by [`document_row`], [`mention_row`] or [`quote_row`] or
    /// read back from a JSONL record, to `table`.
    ///
    /// [`document_row`]: super::document_row
    /// [`mention_row`]: super::mention_row
    /// [`quote_row`]: super::quote_row
    pub fn write_row(&mut self, table: Table, row: &[Cell<'_>]) -> io::Result<()> {
        let table = match table {
            Table::Documents => &mut self.documents,
            Table::Mentions => &mut self.mentions,
            Table::Quotes => &mut self.quotes,
        };
        table.row(row)?;
        table.write_back(&self.writeback)
    }

    /// Appends a document's encoded rows (documents, mentions, quotes) with `put`
    /// (copied, or their buffers taken) and counts its mentions.
    fn append<R>(
        &mut self,
        outcome: &Outcome,
        rows: [R; 3],
        put: impl Fn(&mut TableWriter, R) -> io::Result<()>,
    ) -> io::Result<()> {
        self.put(rows, put)?;
        self.count(outcome);
        Ok(())
    }

    /// Appends a document's rows to the tables.
    fn put<R>(
        &mut self,
        rows: [R; 3],
        put: impl Fn(&mut TableWriter, R) -> io::Result<()>,
    ) -> io::Result<()> {
        let [documents, mentions, quotes] = rows;
        for (table, rows) in [
            (&mut self.documents, documents),
            (&mut self.mentions, mentions),
            (&mut self.quotes, quotes),
        ] {
            put(table, rows)?;
            table.write_back(&self.writeback)?;
        }
        Ok(())
    }

    fn count(&mut self, outcome: &Outcome) {
        if let Outcome::Done { extraction, .. } = outcome {
            self.tallies.add(&extraction.mentions);
        }
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

/// Encodes a document's `documents.csv`, `mentions.csv` and `quotes.csv` rows: the
/// per-document part of writing the tables, which needs nothing of the files, so the
/// pipeline's workers can do it while the writing thread only appends bytes in order.
#[derive(Debug)]
struct CsvRows {
    options: CsvOptions,
}

impl CsvRows {
    /// Appends the rows of `outcome` to `rows`: documents, mentions, quotes.
    fn render_into(&self, outcome: &Outcome, rows: &mut [Vec<u8>; 3]) {
        let [documents, mentions, quotes] = rows;
        let mut row = Vec::with_capacity(DOCUMENT_COLUMNS.len());
        document_row(outcome, &mut row);
        encode_row(&row, self.options, documents);
        if let Outcome::Done {
            document,
            extraction,
        } = outcome
        {
            let id = IdCell::new(&document.id, self.options);
            encode_mention_rows(document, &id, &extraction.mentions, self.options, mentions);
            encode_quote_rows(document, &id, extraction, self.options, quotes);
        }
    }
}

/// Appends the `mentions.csv` rows of `document`'s `mentions`: the bytes that
/// [`encode_row`] writes for each [`mention_row`](super::mention_row) (a test holds the
/// two together), written cell by cell without making the row's cells first, the
/// commonest row of the tables.
fn encode_mention_rows(
    document: &Document,
    id: &IdCell,
    mentions: &[Mention],
    options: CsvOptions,
    out: &mut Vec<u8>,
) {
    let text = document.text.as_str();
    let mut digits = [0u8; 20];
    let text_cell = |cell: &str, out: &mut Vec<u8>| text_cell(cell, options, out);
    for (index, mention) in mentions.iter().enumerate() {
        warm_entities(mentions, index, |m| &m.entity, |e| [&e.id, &e.label]);
        let (span, entity) = (&mention.span, &*mention.entity);
        out.extend_from_slice(&id.cell);
        id.item(index as u64 + 1, 'm', options, out);
        out.push(b',');
        for n in [span.start, span.end, span.byte_start, span.byte_end] {
            out.extend_from_slice(super::decimal_digits(n as u64, &mut digits));
            out.push(b',');
        }
        for cell in [
            span.slice(text),
            &entity.id,
            entity.entity_type,
            &entity.label,
            &mention.matched_name,
            mention.name_lang,
            mention.match_kind,
            &mention.clitic,
        ] {
            text_cell(cell, out);
        }
        out.extend_from_slice(super::decimal_digits(
            mention.sentence_index as u64,
            &mut digits,
        ));
        out.push(b',');
        let (left, right) = context(text, span);
        for cell in [left, right, mention.zone.code()] {
            text_cell(cell, out);
        }
        out.extend_from_slice(super::decimal_digits(
            mention.article_index as u64,
            &mut digits,
        ));
        out.extend_from_slice(line_end(options));
    }
}

/// A document's id as the rows of its mentions and quotes begin with it, twice: as
/// its own cell and in the item's id. The cell is encoded once per document, and the
/// item id needs quotes or a guard exactly when that cell differs from the id (see
/// `encode_id`).
struct IdCell<'a> {
    id: &'a str,
    /// The encoded cell and its comma.
    cell: Vec<u8>,
    /// Whether the cell is the id as it is.
    plain: bool,
}

impl<'a> IdCell<'a> {
    fn new(id: &'a str, options: CsvOptions) -> IdCell<'a> {
        let mut cell = Vec::with_capacity(id.len() + 1);
        encode_field(options.excel && needs_guard(id), id.as_bytes(), &mut cell);
        let plain = cell == id.as_bytes();
        cell.push(b',');
        IdCell { id, cell, plain }
    }

    /// Appends the cell of the document's item `<id>:<marker><number>` (see
    /// [`Cell::Id`](super::Cell::Id)).
    #[inline]
    fn item(&self, number: u64, marker: char, options: CsvOptions, out: &mut Vec<u8>) {
        if self.plain {
            out.extend_from_slice(self.id.as_bytes());
            out.push(b':');
            out.extend_from_slice(marker.encode_utf8(&mut [0; 4]).as_bytes());
            out.extend_from_slice(super::decimal_digits(number, &mut [0; 20]));
        } else {
            encode_id(self.id, marker, number, options, out);
        }
    }
}

/// Appends the `quotes.csv` rows of `extraction`'s quotes: the bytes that
/// [`encode_row`] writes for each [`quote_row`] (a test holds the two together),
/// written cell by cell as the mentions' are.
fn encode_quote_rows(
    document: &Document,
    id: &IdCell,
    extraction: &Extraction,
    options: CsvOptions,
    out: &mut Vec<u8>,
) {
    let text = document.text.as_str();
    let mut digits = [0u8; 20];
    let text_cell = |cell: &str, out: &mut Vec<u8>| text_cell(cell, options, out);
    let number = |n: usize, out: &mut Vec<u8>, digits: &mut [u8; 20]| {
        out.extend_from_slice(super::decimal_digits(n as u64, digits));
        out.push(b',');
    };
    for (index, quote) in extraction.quotes.iter().enumerate() {
        out.extend_from_slice(&id.cell);
        id.item(index as u64 + 1, 'q', options, out);
        out.push(b',');
        text_cell(quote.quote_type, out);
        let span = &quote.span;
        for n in [span.start, span.end, span.byte_start, span.byte_end] {
            number(n, out, &mut digits);
        }
        for cell in [span.slice(text), quote.open_mark, quote.close_mark] {
            text_cell(cell, out);
        }
        for span in [quote.cue, quote.speaker] {
            match span {
                Some(span) => {
                    text_cell(span.slice(text), out);
                    number(span.start, out, &mut digits);
                    number(span.end, out, &mut digits);
                }
                None => out.extend_from_slice(b",,,"),
            }
        }
        if let Some(mention) = quote.speaker_mention {
            id.item(mention as u64 + 1, 'm', options, out);
        }
        out.push(b',');
        match quote.speaker_entity.as_deref() {
            Some(entity) => {
                text_cell(&entity.id, out);
                text_cell(&entity.label, out);
            }
            None => out.extend_from_slice(b",,"),
        }
        text_cell(quote.attribution_method, out);
        text_cell(&super::fixed2(quote.confidence, &mut [0; 24]), out);
        number(quote.sentence_index, out, &mut digits);
        text_cell(extraction.lang.code(), out);
        text_cell(quote.zone.code(), out);
        out.extend_from_slice(super::decimal_digits(
            quote.article_index as u64,
            &mut digits,
        ));
        out.extend_from_slice(line_end(options));
    }
}

/// Appends a text cell that is not the row's last, and its comma.
#[inline(always)]
fn text_cell(cell: &str, options: CsvOptions, out: &mut Vec<u8>) {
    encode_field(options.excel && needs_guard(cell), cell.as_bytes(), out);
    out.push(b',');
}

/// The bytes that end a row.
fn line_end(options: CsvOptions) -> &'static [u8] {
    if options.excel {
        b"\r\n"
    } else {
        b"\n"
    }
}

/// Bytes to reserve for a document's mention rows and its quote rows: the cells of a
/// row's spans at their length in the text (a mention's text is also its matched name
/// and often its label), its two contexts at the text's bytes per code point, and some
/// 100 bytes of ids, numbers and codes (200 in a quote row, which also names the
/// speaker's entity). On the bench corpus this reserves 12% more than the mention rows
/// take and 32% more than the quote rows, and no buffer grows; the 256 bytes a row
/// reserved before were too few for more than half the documents' mention rows (all
/// but a few of the sample articles', whose letters take two bytes), and their buffers
/// were copied as they doubled.
pub(super) fn row_room(document: &Document, extraction: &Extraction) -> (usize, usize) {
    let bytes = |span: &Span| span.byte_end - span.byte_start;
    let text = document.text.len();
    let context = 2 * super::CONTEXT_CHARS * text / extraction.text_length.max(1);
    let mentions = extraction
        .mentions
        .iter()
        .map(|m| 3 * bytes(&m.span) + context + 100)
        .sum();
    let quotes = extraction
        .quotes
        .iter()
        .map(|q| {
            let spans = [Some(&q.span), q.cue.as_ref(), q.speaker.as_ref()];
            spans.into_iter().flatten().map(bytes).sum::<usize>() + 200
        })
        .sum();
    (mentions, quotes)
}

impl Render for CsvRows {
    fn render(&self, outcome: &Outcome) -> Rendered {
        // Room for the rows as long as they will be, near enough that the buffers
        // are seldom copied as they grow.
        let (mentions, quotes) = match outcome {
            Outcome::Done {
                document,
                extraction,
            } => row_room(document, extraction),
            Outcome::Failed(_) => (0, 0),
        };
        let mut rows = [
            Vec::with_capacity(256),
            Vec::with_capacity(mentions),
            Vec::with_capacity(quotes),
        ];
        self.render_into(outcome, &mut rows);
        Rendered::new(rows.into())
    }

    /// The writing thread reads of a rendered outcome only its id, for a duplicate,
    /// and its count of bidi controls, and the mentions' entities for the counts.
    fn sheds(&self) -> bool {
        true
    }
}

impl Sink for CsvTables {
    fn write(&mut self, outcome: &Outcome) -> io::Result<()> {
        // The same bytes as rendering elsewhere, into buffers kept from row to row.
        let mut rows = std::mem::take(&mut self.rows);
        rows.iter_mut().for_each(Vec::clear);
        self.renderer.render_into(outcome, &mut rows);
        let written = self.append(outcome, rows.each_ref(), |table, rows| table.encoded(rows));
        self.rows = rows;
        written
    }

    fn renderer(&self) -> Option<Arc<dyn Render>> {
        Some(Arc::clone(&self.renderer) as Arc<dyn Render>)
    }

    fn write_rendered(&mut self, outcome: &Outcome, rendered: Rendered) -> io::Result<()> {
        // Rows encoded by a worker: their buffers are taken.
        let rows = <[Vec<u8>; 3]>::try_from(rendered.bytes)
            .map_err(|_| io::Error::other("rows rendered by another sink"))?;
        match rendered.mentions {
            Some(mentions) => {
                self.put(rows, TableWriter::handed_over)?;
                self.tallies.add_shed(&mentions);
                Ok(())
            }
            None => self.append(outcome, rows, TableWriter::handed_over),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.writeback.finish()?;
        // The tables written document by document are complete: each is synced on a
        // thread of its own while this one writes entities.csv, so the disk waits
        // overlap each other and the counting (42 ms one after the other for 20 MB of
        // input, most of it waiting on the disk). Every table is synced before any is
        // renamed into place.
        let CsvTables {
            documents,
            mentions,
            quotes,
            entities,
            tallies,
            helper,
            ..
        } = self;
        std::thread::scope(|scope| {
            let syncs: Vec<_> = [documents, mentions, quotes]
                .map(|table| scope.spawn(move || table.sync()))
                .into();
            let written = write_entities(entities, &std::mem::take(tallies).into_sorted(), *helper);
            let synced = syncs.into_iter().try_for_each(|sync| {
                sync.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            });
            written.and_then(|()| entities.sync()).and(synced)
        })?;
        for staged in self.staged.drain(..) {
            staged.commit()?;
        }
        Ok(())
    }
}

/// Rows of `entities.csv` encoded in a chunk, alternately by the thread that writes
/// the table and a helper.
const ENTITY_CHUNK: usize = 4096;

/// Room for a chunk's rows, made at once rather than grown from empty: the bench
/// gazetteers' rows average 47 bytes; a chunk of longer rows grows its buffer once or
/// twice, and keeps the room when it comes back.
const ENTITY_ROW_BYTES: usize = 64;

/// Writes the rows of `entities.csv`. With `helper` they are encoded in chunks, every
/// other one by a helper thread, as the workers are done by then: with a large
/// gazetteer each row waits on its entity's data in memory (631,000 rows: 0.18 s on
/// one thread).
fn write_entities(
    entities: &mut TableWriter,
    sorted: &[EntityTally],
    helper: bool,
) -> io::Result<()> {
    let options = entities.options;
    let (helped, from_helper) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
    // The helper's buffers come back to it once written: a new thread's allocations
    // are memory the process has not touched yet, which the kernel zeroes first (a
    // fresh buffer for each chunk, grown from empty, took the helper about 12 MB and
    // 20 ms of zeroing pages at the end of a run with 100,000 entities).
    let (spare, spares) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    std::thread::scope(|scope| {
        if helper {
            scope.spawn(move || {
                for chunk in sorted.chunks(ENTITY_CHUNK).skip(1).step_by(2) {
                    let mut encoded = spares
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(ENTITY_CHUNK * ENTITY_ROW_BYTES));
                    encoded.clear();
                    entity_rows(chunk, options, &mut encoded);
                    if helped.send(encoded).is_err() {
                        break;
                    }
                }
            });
        }
        let mut encoded = Vec::with_capacity(ENTITY_CHUNK * ENTITY_ROW_BYTES);
        let written = sorted
            .chunks(ENTITY_CHUNK)
            .enumerate()
            .try_for_each(|(k, chunk)| {
                if helper && k % 2 == 1 {
                    let helped = from_helper
                        .recv()
                        .expect("the helper encodes every other chunk");
                    let written = entities.encoded(&helped);
                    // Dropped if the helper has spares enough, or has finished.
                    let _ = spare.try_send(helped);
                    written
                } else {
                    encoded.clear();
                    entity_rows(chunk, options, &mut encoded);
                    entities.encoded(&encoded)
                }
            });
        // A failed write stops the helper at its next chunk.
        drop(from_helper);
        written
    })
}

/// Appends the `entities.csv` rows of `tallies` to `out`.
fn entity_rows(tallies: &[EntityTally], options: CsvOptions, out: &mut Vec<u8>) {
    let mut row = Vec::with_capacity(ENTITY_COLUMNS.len());
    for i in 0..tallies.len() {
        warm_entities(
            tallies,
            i,
            |t| &t.entity,
            |e| [&e.id, &e.label, &e.subtype, &e.wikidata],
        );
        entity_row(&tallies[i], &mut row);
        encode_row(&row, options, out);
    }
}

/// Appends one CSV record to `out`: the cells separated by commas, ended by LF (CRLF for
/// Excel). A cell holding a comma, a double quote, CR or LF is enclosed in double quotes
/// with its quotes doubled (RFC 4180); no other cell is quoted. This is byte for byte what
/// the `csv` crate writes with its default settings (a test holds the two together).
pub(super) fn encode_row(row: &[Cell<'_>], options: CsvOptions, out: &mut Vec<u8>) {
    let mut digits = [0u8; 20];
    let mut float = [0u8; 24];
    for (i, cell) in row.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let text: &str = match cell {
            Cell::Str(s) => s,
            Cell::Owned(s) => s,
            // Digits need neither quotes nor a formula guard.
            Cell::Int(n) => {
                out.extend_from_slice(super::decimal_digits(*n, &mut digits));
                continue;
            }
            Cell::Float(x) => {
                let text = super::fixed2(*x, &mut float);
                encode_field(options.excel && needs_guard(&text), text.as_bytes(), out);
                continue;
            }
            Cell::Id {
                document,
                marker,
                number,
            } => {
                encode_id(document, *marker, *number, options, out);
                continue;
            }
            Cell::Null => "",
        };
        let guard = options.excel && needs_guard(text);
        encode_field(guard, text.as_bytes(), out);
    }
    out.extend_from_slice(line_end(options));
}

/// Appends the cell of the item id `<document>:<marker><number>` (see [`Cell::Id`]).
#[inline]
fn encode_id(document: &str, marker: char, number: u64, options: CsvOptions, out: &mut Vec<u8>) {
    // What follows the document's id is `:`, an ASCII letter and digits: the cell
    // needs quotes or a guard exactly when the document's id does.
    let plain = !(options.excel && needs_guard(document))
        && crate::scan::append_unless_any(document.as_bytes(), QUOTED_FOR, out);
    if plain {
        out.push(b':');
        out.extend_from_slice(marker.encode_utf8(&mut [0; 4]).as_bytes());
        out.extend_from_slice(super::decimal_digits(number, &mut [0; 20]));
    } else {
        let id = super::item_id(document, marker, number);
        encode_field(options.excel && needs_guard(&id), id.as_bytes(), out);
    }
}

/// Appends one field, with a leading `'` when `guard` is set. The common case, a cell
/// that needs no quotes, is inlined into the row's loop.
#[inline(always)]
fn encode_field(guard: bool, text: &[u8], out: &mut Vec<u8>) {
    if guard {
        out.push(b'\'');
    }
    if !crate::scan::append_unless_any(text, QUOTED_FOR, out) {
        encode_quoted(guard, text, out);
    }
}

/// Appends a field that needs quotes: `out` holds the `'` of the guard if `guard` is
/// set, which goes inside them.
#[cold]
#[inline(never)]
fn encode_quoted(guard: bool, text: &[u8], out: &mut Vec<u8>) {
    if guard {
        out.pop();
    }
    out.push(b'"');
    if guard {
        out.push(b'\'');
    }
    for part in text.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(part);
        if part.last() == Some(&b'"') {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

/// The bytes for which a cell is enclosed in double quotes.
const QUOTED_FOR: [u8; 4] = [b',', b'"', b'\r', b'\n'];

/// Cells a spreadsheet would read as a formula.
fn needs_guard(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

#[cfg(test)]
mod tests {
    use super::{
        encode_mention_rows, encode_quote_rows, encode_row, row_room, write_entities, CsvOptions,
        CsvRows, IdCell, TableWriter, ENTITY_CHUNK,
    };
    use crate::document::{Document, Entity, Mention, Quote, Span};
    use crate::lang::Lang;
    use crate::pipeline::Extraction;
    use crate::sink::{decimal, mention_row, quote_row, Cell, EntityTallies, ENTITY_COLUMNS};
    use crate::zones::Zone;
    use proptest::prelude::*;
    use std::sync::Arc;

    #[test]
    fn entity_rows_are_the_same_with_a_helper_thread() {
        // Enough entities for several chunks each side, the last one partial.
        let n = ENTITY_CHUNK * 3 + 17;
        let entities: Vec<Arc<Entity>> = (0..n)
            .map(|i| {
                Arc::new(Entity {
                    id: format!("t:{i:06}").into(),
                    entity_type: "PER",
                    label: format!("نام {i}, \"{i}\"").into(),
                    ..Entity::default()
                })
            })
            .collect();
        let mut tallies = EntityTallies::default();
        for (i, entity) in entities.iter().enumerate() {
            tallies.add_document((0..=i % 3).map(|_| (entity, "exact", "body")));
        }
        let sorted = tallies.into_sorted();
        let written = [false, true].map(|helper| {
            let file = tempfile::tempfile().unwrap();
            let mut table = TableWriter::create(
                file.try_clone().unwrap(),
                CsvOptions::default(),
                ENTITY_COLUMNS,
            )
            .unwrap();
            write_entities(&mut table, &sorted, helper).unwrap();
            table.sync().unwrap();
            let mut bytes = Vec::new();
            std::io::Seek::rewind(&mut &file).unwrap();
            std::io::Read::read_to_end(&mut &file, &mut bytes).unwrap();
            bytes
        });
        assert_eq!(written[0].iter().filter(|&&b| b == b'\n').count(), n + 1);
        assert!(written[0] == written[1], "rows differ with a helper thread");
    }

    /// What the `csv` crate writes for the same cells, with the options `CsvTables`
    /// used to give it.
    fn csv_crate(fields: &[String], excel: bool) -> Vec<u8> {
        let terminator = if excel {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        };
        let mut writer = csv::WriterBuilder::new()
            .terminator(terminator)
            .from_writer(Vec::new());
        for field in fields {
            let guarded = excel && super::needs_guard(field);
            let field = if guarded {
                format!("'{field}")
            } else {
                field.clone()
            };
            writer.write_field(field).unwrap();
        }
        writer.write_record(None::<&[u8]>).unwrap();
        writer.into_inner().unwrap()
    }

    proptest! {
        #[test]
        fn rows_are_what_the_csv_crate_writes(
            fields in prop::collection::vec("[a-z,\"\r\n'=+@\t -]{0,6}|\\PC{0,8}|", 2..6),
            excel in any::<bool>(),
        ) {
            let cells: Vec<Cell> = fields.iter().map(|f| Cell::Str(f)).collect();
            let mut ours = Vec::new();
            encode_row(&cells, CsvOptions { excel }, &mut ours);
            let theirs = csv_crate(&fields, excel);
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
        }
    }

    proptest! {
        #[test]
        fn cells_are_quoted_for_commas_quotes_and_line_ends(text in "[a-z,\"\r\n\u{600}-\u{6ff} ]{0,40}") {
            let needs = text.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
            let mut out = b"x,".to_vec();
            encode_row(&[Cell::Str(&text)], CsvOptions { excel: false }, &mut out);
            let cell = &out[2..out.len() - 1];
            if needs {
                let inner = text.replace('"', "\"\"");
                let quoted = format!("\"{inner}\"");
                prop_assert_eq!(cell, quoted.as_bytes());
            } else {
                prop_assert_eq!(cell, text.as_bytes());
            }
        }
    }

    #[test]
    fn special_cells_are_quoted() {
        let cells = [
            Cell::Str("a,b"),
            Cell::Str("say \"hi\""),
            Cell::Str("-1"),
            Cell::Int(42),
            Cell::Float(-0.5),
            Cell::Null,
            Cell::Str("x\ny"),
        ];
        let mut plain = Vec::new();
        encode_row(&cells, CsvOptions { excel: false }, &mut plain);
        assert_eq!(plain, b"\"a,b\",\"say \"\"hi\"\"\",-1,42,-0.50,,\"x\ny\"\n");
        let mut excel = Vec::new();
        encode_row(&cells, CsvOptions { excel: true }, &mut excel);
        assert_eq!(
            excel,
            b"\"a,b\",\"say \"\"hi\"\"\",'-1,42,'-0.50,,\"x\ny\"\r\n"
        );
    }

    proptest! {
        #[test]
        fn id_cells_are_written_as_their_text_would_be(
            document in "[a-z,\"\r\n'=+@\t -]{0,6}|\\PC{0,8}|",
            marker in prop::sample::select(vec!['m', 'q']),
            number in any::<u64>(),
            excel in any::<bool>(),
        ) {
            let options = CsvOptions { excel };
            let text = format!("{document}:{marker}{number}");
            let mut ours = b"a,".to_vec();
            encode_row(&[Cell::Id { document: &document, marker, number }], options, &mut ours);
            let mut theirs = b"a,".to_vec();
            encode_row(&[Cell::Str(&text)], options, &mut theirs);
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
        }
    }

    #[test]
    fn id_cells_quote_and_guard_the_document_id() {
        let ids = |document| {
            [('m', 3), ('q', 12)].map(|(marker, number)| Cell::Id {
                document,
                marker,
                number,
            })
        };
        let mut out = Vec::new();
        encode_row(&ids("d1"), CsvOptions { excel: false }, &mut out);
        encode_row(&ids("a,\"b"), CsvOptions { excel: false }, &mut out);
        encode_row(&ids("=d"), CsvOptions { excel: true }, &mut out);
        encode_row(&ids("=d"), CsvOptions { excel: false }, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "d1:m3,d1:q12\n\"a,\"\"b:m3\",\"a,\"\"b:q12\"\n'=d:m3,'=d:q12\r\n=d:m3,=d:q12\n"
        );
    }

    /// The span of `text` between two drawn character boundaries, in either order.
    fn drawn_span(text: &str, (a, b): &(prop::sample::Index, prop::sample::Index)) -> Span {
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let (a, b) = (*a.get(&boundaries), *b.get(&boundaries));
        Span::from_bytes(text, a.min(b), a.max(b))
    }

    /// A person with drawn id and label (`strings[0]` and `[1]`).
    fn drawn_entity(strings: &[String]) -> Arc<Entity> {
        Arc::new(Entity {
            id: strings[0].as_str().into(),
            entity_type: "PER",
            subtype: Default::default(),
            label: strings[1].as_str().into(),
            wikidata: Default::default(),
        })
    }

    proptest! {
        /// Mentions of any text, with ids, names and clitics that need quotes or a
        /// guard, encoded cell by cell as `mention_row` gives the cells.
        #[test]
        fn mention_rows_are_encoded_as_their_cells_would_be(
            id in "[a-z,\"=+-]{1,6}",
            text in "[a-z,\"\n =\u{600}-\u{606}\u{627}-\u{62a}]{1,120}",
            cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..6),
            strings in prop::collection::vec("[a-z,\"\r=@ \u{627}]{0,8}", 5),
            excel in any::<bool>(),
        ) {
            let entity = drawn_entity(&strings);
            let mentions: Vec<Mention> = cuts
                .iter()
                .enumerate()
                .map(|(n, cut)| {
                    Mention {
                        span: drawn_span(&text, cut),
                        entity: Arc::clone(&entity),
                        matched_name: strings[2].as_str().into(),
                        name_lang: ["fa", "ar", "en"][n % 3],
                        match_kind: ["exact", "clitic", "=odd"][n % 3],
                        clitic: strings[3 + n % 2].as_str().into(),
                        sentence_index: n * 7,
                        zone: [Zone::Body, Zone::Byline][n % 2],
                        article_index: n / 2,
                    }
                })
                .collect();
            let document = Document::new(id, text.clone());
            let options = CsvOptions { excel };
            let mut expected = Vec::new();
            let mut row = Vec::new();
            for (index, mention) in mentions.iter().enumerate() {
                mention_row(&document, mention, index, &mut row);
                encode_row(&row, options, &mut expected);
            }
            let mut ours = Vec::new();
            let id = IdCell::new(&document.id, options);
            encode_mention_rows(&document, &id, &mentions, options, &mut ours);
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&expected));
        }
    }

    proptest! {
        /// Quotes of any text, with or without cue, speaker, speaker mention and
        /// entity, ids and labels that need quotes or a guard, and any score, encoded
        /// cell by cell as `quote_row` gives the cells.
        #[test]
        fn quote_rows_are_encoded_as_their_cells_would_be(
            id in "[a-z,\"=+-]{1,6}",
            text in "[a-z,\"\n =\u{600}-\u{606}\u{627}-\u{62a}]{1,120}",
            quotes in prop::collection::vec(
                (
                    prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 3),
                    any::<[bool; 4]>(),
                    any::<f32>(),
                    0usize..40,
                ),
                0..5,
            ),
            strings in prop::collection::vec("[a-z,\"\r=@ \u{627}]{0,8}", 2),
            excel in any::<bool>(),
        ) {
            let span = |cut: &(prop::sample::Index, prop::sample::Index)| drawn_span(&text, cut);
            let entity = drawn_entity(&strings);
            let quotes: Vec<Quote> = quotes
                .iter()
                .enumerate()
                .map(|(n, (spans, [cue, speaker, mention, linked], confidence, index))| Quote {
                    quote_type: ["direct", "indirect", "=mixed"][n % 3],
                    span: span(&spans[0]),
                    open_mark: ["«", "", "\""][n % 3],
                    close_mark: ["»", "", ","][n % 3],
                    cue: cue.then(|| span(&spans[1])),
                    speaker: speaker.then(|| span(&spans[2])),
                    speaker_mention: mention.then_some(*index),
                    speaker_entity: linked.then(|| Arc::clone(&entity)),
                    attribution_method: ["verb", "+according"][n % 2],
                    confidence: *confidence,
                    sentence_index: n * 3,
                    zone: [Zone::Body, Zone::Title][n % 2],
                    article_index: *index,
                })
                .collect();
            let document = Document::new(id, text.clone());
            let extraction = Extraction {
                lang: [Lang::Ar, Lang::Fa][quotes.len() % 2],
                text_sha256: String::new(),
                text_length: 0,
                detected_published_at: None,
                published_at_text: None,
                published_calendar: None,
                outlet: None,
                zones: Vec::new(),
                mentions: Vec::new(),
                quotes,
                n_bidi_controls: 0,
            };
            let options = CsvOptions { excel };
            let mut expected = Vec::new();
            let mut row = Vec::new();
            for index in 0..extraction.quotes.len() {
                quote_row(&document, &extraction, index, &mut row);
                encode_row(&row, options, &mut expected);
            }
            let mut ours = Vec::new();
            let id = IdCell::new(&document.id, options);
            encode_quote_rows(&document, &id, &extraction, options, &mut ours);
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&expected));
        }
    }

    /// The room `render` reserves holds each sample article's rows, so no buffer
    /// grows, and is not much more than they take.
    #[test]
    fn the_sample_articles_rows_fit_the_room_reserved_for_them() {
        use crate::pipeline::{Outcome, Render};

        for outcome in super::super::sample_outcomes() {
            let Outcome::Done {
                document,
                extraction,
            } = &outcome
            else {
                unreachable!("the samples are processed");
            };
            let room = row_room(document, extraction);
            let options = CsvOptions::default();
            let rendered = CsvRows { options }.render(&outcome);
            for (rows, room) in rendered.bytes[1..].iter().zip([room.0, room.1]) {
                assert!(rows.len() <= room, "{} rows, {room} reserved", rows.len());
                assert!(
                    room <= rows.len() * 3 / 2,
                    "{} rows, {room} reserved",
                    rows.len()
                );
                assert_eq!(rows.capacity(), room, "the buffer grew");
            }
        }
    }

    #[test]
    fn decimal_writes_every_digit() {
        let mut buf = [0u8; 20];
        for n in [0, 7, 10, 99, 100, 12345, u64::MAX] {
            assert_eq!(decimal(n, &mut buf), n.to_string());
        }
        for n in (0..100_000).chain((1..20).map(|k| 10u64.pow(k) - 1)) {
            for n in [n, n + 1] {
                assert_eq!(decimal(n, &mut buf), n.to_string());
            }
        }
    }
}
