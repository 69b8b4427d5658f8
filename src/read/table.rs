//! CSV and TSV input: a header row, one document per record.

use std::io::BufRead;
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

pub(super) struct TableRecords {
    reader: csv::Reader<Box<dyn BufRead + Send>>,
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
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(reader);
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

    fn document(&self, columns: &Columns, line: u64) -> InputItem {
        let source = format!("{}:{}", self.source, line);
        let field = |index: Option<usize>| {
            index
                .and_then(|i| self.record.get(i))
                .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
                .filter(|value| !value.is_empty())
        };
        let id = field(columns.id).unwrap_or_else(|| format!("{}:{}", self.id_base, line));
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
        let item = match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                Some(self.document(&columns, line))
            }
            Ok(false) => {
                self.done = true;
                None
            }
            Err(err) => {
                self.done = true;
                let line = err.position().map_or(0, |p| p.line());
                let error = ReadError::Io {
                    path: self.source.clone(),
                    message: format!("line {line}: {err}"),
                };
                let id = format!("{}:{}", self.id_base, line);
                Some(self.failure(id, format!("{}:{}", self.source, line), error))
            }
        };
        self.columns = Some(columns);
        item
    }
}
