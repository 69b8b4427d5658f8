//! CSV and TSV input: a header row, one document per record.

use std::io::{self, BufRead, Read};
use std::sync::Arc;

use csv::ByteRecord;

use super::{decode, InputItem, ReadError, ReadFailure, ReadOptions};
use crate::document::{Document, DocumentMeta};
use crate::lang::Lang;

/// Column positions found in the header.
struct Columns {
    text: usize,
    id: Option<usize>,
    title: Option<usize>,
    url: Option<usize>,
    published_at: Option<usize>,
    lang: Option<usize>,
    count: usize,
}

/// Where a CSV parser stands between two bytes, for the same dialect as the `csv`
/// reader (RFC 4180 with doubled quotes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: the close, or the first of a doubled pair.
    QuoteInQuoted,
}

/// The input under the CSV parser: counts bytes and lines, follows the quoting so an
/// unclosed quote is seen at the end of the file, and stops a record that grows past
/// the line limit (the parser would otherwise hold all of it in memory).
struct Watched {
    inner: Box<dyn BufRead + Send>,
    delimiter: u8,
    state: QuoteState,
    bytes: u64,
    /// Newlines seen (a CRLF counts once).
    lines: u64,
    /// The last byte read.
    last: u8,
    /// Reading beyond this byte fails.
    cap: u64,
    eof: bool,
}

impl Watched {
    fn track(&mut self, data: &[u8]) {
        for &b in data {
            if b == b'\n' && self.last != b'\r' || b == b'\r' {
                self.lines += 1;
            }
            self.last = b;
            self.state = match (self.state, b) {
                (QuoteState::Quoted, b'"') => QuoteState::QuoteInQuoted,
                (QuoteState::Quoted, _) => QuoteState::Quoted,
                (QuoteState::QuoteInQuoted, b'"') => QuoteState::Quoted,
                (QuoteState::FieldStart, b'"') => QuoteState::Quoted,
                (_, b'\n' | b'\r') => QuoteState::FieldStart,
                (_, d) if d == self.delimiter => QuoteState::FieldStart,
                _ => QuoteState::Unquoted,
            };
        }
        self.bytes += data.len() as u64;
    }
}

impl Read for Watched {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.bytes >= self.cap {
            return Err(io::Error::other(LINE_LIMIT_HIT));
        }
        let room = usize::try_from(self.cap - self.bytes).unwrap_or(usize::MAX);
        let want = buf.len().min(room);
        let n = self.inner.read(&mut buf[..want])?;
        self.eof |= n == 0 && want > 0;
        self.track(&buf[..n]);
        Ok(n)
    }
}

/// The I/O error message [`Watched`] stops an over-long record with.
const LINE_LIMIT_HIT: &str = "record over the line limit";

/// How far the parser may read ahead of the record it is in (its buffer is smaller).
const READ_AHEAD: u64 = 1 << 16;

pub(super) struct TableRecords {
    reader: csv::Reader<Watched>,
    source: String,
    id_base: String,
    options: Arc<ReadOptions>,
    columns: Option<Columns>,
    record: ByteRecord,
    started: bool,
    done: bool,
}

impl TableRecords {
    pub(super) fn new(
        reader: Box<dyn BufRead + Send>,
        delimiter: u8,
        source: String,
        id_base: String,
        options: Arc<ReadOptions>,
    ) -> Self {
        let watched = Watched {
            inner: reader,
            delimiter,
            state: QuoteState::FieldStart,
            bytes: 0,
            lines: 0,
            last: 0,
            cap: options.line_limit().saturating_add(READ_AHEAD),
            eof: false,
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(watched);
        TableRecords {
            reader,
            source,
            id_base,
            options,
            columns: None,
            record: ByteRecord::new(),
            started: false,
            done: false,
        }
    }

    fn failure(&self, id: String, source: String, error: ReadError) -> InputItem {
        Err(Box::new(ReadFailure {
            id,
            lang: Lang::Und,
            meta: DocumentMeta {
                source,
                ..DocumentMeta::default()
            },
            error,
        }))
    }

    fn header_failure(&self, error: ReadError) -> Box<ReadFailure> {
        Box::new(ReadFailure {
            id: self.id_base.clone(),
            lang: Lang::Und,
            meta: DocumentMeta {
                source: self.source.clone(),
                ..DocumentMeta::default()
            },
            error,
        })
    }

    /// Reads the header; a missing text column fails the whole file as one row.
    fn read_header(&mut self) -> Result<(), Box<ReadFailure>> {
        let header = match self.reader.byte_headers() {
            Ok(header) => header.clone(),
            Err(err) => {
                let error = ReadError::Io {
                    path: self.source.clone(),
                    message: format!("header: {err}"),
                };
                return Err(self.header_failure(error));
            }
        };
        let names: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let name = if i == 0 {
                    name.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(name)
                } else {
                    name
                };
                String::from_utf8_lossy(name).trim().to_string()
            })
            .collect();
        let find = |wanted: &str| names.iter().position(|name| name == wanted);
        let Some(text) = find(&self.options.text_column) else {
            let error = ReadError::MissingColumn {
                column: self.options.text_column.clone(),
                header: names.join(", "),
            };
            return Err(self.header_failure(error));
        };
        self.columns = Some(Columns {
            text,
            id: find(&self.options.id_column),
            title: find("title"),
            url: find("url"),
            published_at: find("published_at"),
            lang: find("lang"),
            count: names.len(),
        });
        Ok(())
    }

    /// The id of the record just read: its id column, else `FILE:LINE`.
    fn record_id(&self, columns: &Columns, line: u64) -> String {
        columns
            .id
            .and_then(|i| self.record.get(i))
            .filter(|bytes| !bytes.is_empty())
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_else(|| format!("{}:{}", self.id_base, line))
    }

    fn document(&self, columns: &Columns, line: u64) -> InputItem {
        let source = format!("{}:{}", self.source, line);
        let field = |index: Option<usize>| {
            index
                .and_then(|i| self.record.get(i))
                .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
                .filter(|value| !value.is_empty())
        };
        let id = self.record_id(columns, line);
        let Some(text_bytes) = self.record.get(columns.text) else {
            let error = ReadError::BadRecord {
                line,
                message: format!(
                    "row has {} fields, the header has {}; no text column value",
                    self.record.len(),
                    columns.count
                ),
            };
            return self.failure(id, source, error);
        };
        if text_bytes.len() as u64 > self.options.max_doc_bytes {
            let error = ReadError::TooLarge {
                bytes: text_bytes.len() as u64,
                limit: self.options.max_doc_bytes,
            };
            return self.failure(id, source, error);
        }
        let decoded = match decode::decode(text_bytes.to_vec(), self.options.encoding) {
            Ok(decoded) => decoded,
            Err(error) => return self.failure(id, source, error),
        };
        let given_lang = field(columns.lang).and_then(|tag| Lang::parse(&tag));
        Ok(Document {
            id,
            text: decoded.text,
            lang: self.options.lang.or(given_lang).unwrap_or_default(),
            meta: DocumentMeta {
                source,
                title: field(columns.title),
                url: field(columns.url),
                published_at: field(columns.published_at),
                input_encoding: decoded.encoding.to_string(),
            },
        })
    }
}

impl Iterator for TableRecords {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        if self.done {
            return None;
        }
        if !self.started {
            self.started = true;
            if let Err(failure) = self.read_header() {
                self.done = true;
                return Some(Err(failure));
            }
        }
        let columns = self.columns.take()?;
        // The record may run up to the line limit past where it starts.
        let start = self.reader.position().byte();
        let limit = self.options.line_limit();
        self.reader.get_mut().cap = start.saturating_add(limit).saturating_add(READ_AHEAD);
        let item = match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                let watched = self.reader.get_ref();
                let end = self.reader.position().byte();
                if watched.eof && watched.state == QuoteState::Quoted {
                    // The parser ends an open quoted field at the end of the file:
                    // everything after the opening quote became one field.
                    self.done = true;
                    let ended = matches!(watched.last, b'\n' | b'\r');
                    let last_line = watched.lines + u64::from(!ended);
                    let error = ReadError::UnclosedQuote { line, last_line };
                    let id = self.record_id(&columns, line);
                    Some(self.failure(id, format!("{}:{}", self.source, line), error))
                } else if end - start > limit {
                    let error = ReadError::LineTooLong {
                        line,
                        bytes: end - start,
                        limit,
                    };
                    let id = self.record_id(&columns, line);
                    Some(self.failure(id, format!("{}:{}", self.source, line), error))
                } else {
                    Some(self.document(&columns, line))
                }
            }
            Ok(false) => {
                self.done = true;
                None
            }
            Err(err) => {
                self.done = true;
                let line = err.position().map_or(0, |p| p.line());
                let over_limit = matches!(err.kind(), csv::ErrorKind::Io(io)
                    if io.to_string() == LINE_LIMIT_HIT);
                let error = if over_limit {
                    // Where the record starts: the line after the last one read whole.
                    let line = self.reader.position().line();
                    let bytes = self.reader.get_ref().bytes - start;
                    let id = format!("{}:{}", self.id_base, line);
                    let error = ReadError::LineTooLong { line, bytes, limit };
                    let source = format!("{}:{}", self.source, line);
                    self.columns = Some(columns);
                    return Some(self.failure(id, source, error));
                } else {
                    ReadError::Io {
                        path: self.source.clone(),
                        message: format!("line {line}: {err}"),
                    }
                };
                let id = format!("{}:{}", self.id_base, line);
                Some(self.failure(id, format!("{}:{}", self.source, line), error))
            }
        };
        self.columns = Some(columns);
        item
    }
}
