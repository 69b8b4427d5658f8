//! Inputs: files, directories, stdin; plain text, JSONL, CSV and TSV; decoding.
//!
//! [`Inputs`] turns the command line's paths into a stream of documents in a fixed
//! order (arguments in order, directories recursively in sorted path order, records in
//! file order). It reads lazily, so memory stays bounded by the largest document, and it
//! never drops anything: every input document comes out either as a [`Document`] or as
//! a [`ReadFailure`] saying what went wrong and where.

pub mod decode;
mod jsonl;
mod paths;
mod table;

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use encoding_rs::Encoding;

use crate::document::{Document, DocumentMeta};
use crate::lang::Lang;

/// Default `--max-doc-bytes`: 64 MiB.
pub const DEFAULT_MAX_DOC_BYTES: u64 = 64 * 1024 * 1024;

/// Longest JSONL line or CSV/TSV record accepted when `--max-line-bytes` is not given,
/// for a `--max-doc-bytes` of `max_doc_bytes`: the text may double when escaped, plus
/// 1 MiB for the other fields.
///
/// ```
/// assert_eq!(naql::read::default_max_line_bytes(100), 200 + (1 << 20));
/// ```
pub fn default_max_line_bytes(max_doc_bytes: u64) -> u64 {
    max_doc_bytes.saturating_mul(2).saturating_add(1 << 20)
}

/// How an input file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// One document per file.
    Txt,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
}

impl InputFormat {
    /// The format a file name's extension implies: `.jsonl`/`.ndjson` JSONL, `.csv` CSV,
    /// `.tsv`/`.tab` TSV, anything else plain text.
    ///
    /// ```
    /// use naql::read::InputFormat;
    /// use std::path::Path;
    /// assert_eq!(InputFormat::from_path(Path::new("news.jsonl")), InputFormat::Jsonl);
    /// assert_eq!(InputFormat::from_path(Path::new("a/b.TXT")), InputFormat::Txt);
    /// ```
    pub fn from_path(path: &Path) -> InputFormat {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" => InputFormat::Jsonl,
            "csv" => InputFormat::Csv,
            "tsv" | "tab" => InputFormat::Tsv,
            _ => InputFormat::Txt,
        }
    }

    /// Name as used by `--input-format`.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Txt => "txt",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Csv => "csv",
            InputFormat::Tsv => "tsv",
        }
    }
}

/// What the reader needs to know beyond the paths.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force one input format for every file (stdin defaults to JSONL).
    pub format: Option<InputFormat>,
    /// CSV/TSV column holding the text.
    pub text_column: String,
    /// CSV/TSV column holding the document id.
    pub id_column: String,
    /// Force one encoding instead of detecting it.
    pub encoding: Option<&'static Encoding>,
    /// Largest document text accepted, in bytes.
    pub max_doc_bytes: u64,
    /// Longest JSONL line or CSV/TSV record accepted, in bytes; `None` for
    /// [`default_max_line_bytes`] of `max_doc_bytes`.
    pub max_line_bytes: Option<u64>,
    /// Force one language for every document.
    pub lang: Option<Lang>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            text_column: "text".to_string(),
            id_column: "doc_id".to_string(),
            encoding: None,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
            max_line_bytes: None,
            lang: None,
        }
    }
}

impl ReadOptions {
    /// The line and record length limit in effect.
    pub fn line_limit(&self) -> u64 {
        self.max_line_bytes
            .unwrap_or_else(|| default_max_line_bytes(self.max_doc_bytes))
    }
}

/// Why a document could not be read, or was not processed (a limit, an internal
/// error). Each message says what and where, and names the flag of a limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file or stream could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// Path as given.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// UTF-8 input with a broken byte sequence.
    #[error("undecodable bytes: invalid UTF-8 at byte offset {offset}")]
    InvalidUtf8 {
        /// Byte offset of the first bad byte.
        offset: usize,
    },
    /// Bytes that are not valid in the encoding used.
    #[error("undecodable bytes: invalid {encoding} at byte offset {offset}")]
    Malformed {
        /// Encoding name.
        encoding: &'static str,
        /// Byte offset of the first bad byte.
        offset: usize,
    },
    /// NUL bytes outside UTF-16: not text.
    #[error("binary content: NUL byte at byte offset {offset}")]
    Binary {
        /// Byte offset of the first NUL.
        offset: usize,
    },
    /// Text larger than `--max-doc-bytes`.
    #[error("document is {bytes} bytes, over the limit of {limit} bytes (--max-doc-bytes)")]
    TooLarge {
        /// Size of the document or line, in bytes.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// A JSONL line or CSV/TSV record longer than `--max-line-bytes`.
    #[error("line {line} is {bytes} bytes, over the limit of {limit} bytes (--max-line-bytes)")]
    LineTooLong {
        /// 1-based line number where it starts.
        line: u64,
        /// Its length in bytes (for CSV: as far as it was read).
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// A CSV/TSV quoted field still open at the end of the file: the rest of the file
    /// would have been one field, so the record fails instead of swallowing the rows
    /// after it.
    #[error("line {line}: quoted field never closed; lines {line}-{last_line} would be one field")]
    UnclosedQuote {
        /// 1-based line of the record holding the field.
        line: u64,
        /// Last line of the file.
        last_line: u64,
    },
    /// Quotation marks nested deeper than `--max-quote-depth`.
    #[error("quotation marks nested more than {limit} deep (--max-quote-depth)")]
    QuoteDepth {
        /// The limit.
        limit: usize,
    },
    /// More entity mentions than `--max-mentions`.
    #[error("{found} entity mentions, over the limit of {limit} per document (--max-mentions)")]
    TooManyMentions {
        /// Mentions found.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// A bug: processing the document panicked. The run goes on without it.
    #[error("internal error while processing the document (please report): {message}")]
    Internal {
        /// The panic message.
        message: String,
    },
    /// A JSONL line that is not a JSON object.
    #[error("malformed JSON on line {line}: {message}")]
    Json {
        /// 1-based line number.
        line: u64,
        /// What the JSON parser said.
        message: String,
    },
    /// A record without usable text.
    #[error("line {line}: {message}")]
    BadRecord {
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A CSV/TSV file whose header lacks the text column.
    #[error("missing text column \"{column}\" (header has: {header})")]
    MissingColumn {
        /// The column asked for.
        column: String,
        /// The columns present.
        header: String,
    },
    /// A second document with an id already used in this run.
    #[error("duplicate doc_id: document {first} of this run (row {first} of documents.csv) has the same id")]
    DuplicateId {
        /// 1-based number of the first document with this id.
        first: u64,
    },
}

/// A document that could not be read, with what is known about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadFailure {
    /// The document id, or the best stand-in (`file:line`) when the input had none.
    pub id: String,
    /// Language given by the input, if any.
    pub lang: Lang,
    /// What the input said about the document.
    pub meta: DocumentMeta,
    /// What went wrong.
    pub error: ReadError,
}

/// One input document, read or not (failures are boxed: they are rare and large).
pub type InputItem = Result<Document, Box<ReadFailure>>;

/// The stream of input documents for a list of paths (`-` is stdin).
///
/// ```
/// use naql::read::{Inputs, ReadOptions};
/// let dir = std::env::temp_dir().join(format!("naql-doc-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("b")).unwrap();
/// std::fs::write(dir.join("b/2.txt"), "دوم").unwrap();
/// std::fs::write(dir.join("a.txt"), "first").unwrap();
/// let ids: Vec<String> = Inputs::new(vec![dir.clone()], ReadOptions::default())
///     .map(|item| item.unwrap().id)
///     .collect();
/// assert_eq!(ids, ["a.txt", "b/2.txt"]);
/// std::fs::remove_dir_all(dir).unwrap();
/// ```
pub struct Inputs {
    args: VecDeque<PathBuf>,
    walk: paths::Walk,
    records: Option<Box<dyn Iterator<Item = InputItem> + Send>>,
    options: Arc<ReadOptions>,
}

impl Inputs {
    /// Inputs for these paths, read with these options.
    pub fn new(paths: Vec<PathBuf>, options: ReadOptions) -> Inputs {
        Inputs {
            args: paths.into(),
            walk: paths::Walk::default(),
            records: None,
            options: Arc::new(options),
        }
    }

    /// Starts reading one file; plain text gives its document at once, record formats
    /// become the current record stream.
    fn open(&mut self, path: &Path, id: String) -> Option<InputItem> {
        let format = self
            .options
            .format
            .unwrap_or_else(|| InputFormat::from_path(path));
        let source = paths::display(path);
        if format == InputFormat::Txt {
            return Some(read_text_file(path, id, source, &self.options));
        }
        match File::open(path) {
            Ok(file) => {
                let reader: Box<dyn BufRead + Send> =
                    Box::new(BufReader::with_capacity(1 << 16, file));
                self.records = Some(self.record_stream(format, reader, source, id));
                None
            }
            Err(err) => Some(Err(io_failure(id, source, &err))),
        }
    }

    fn open_stdin(&mut self) -> Option<InputItem> {
        let format = self.options.format.unwrap_or(InputFormat::Jsonl);
        let source = "stdin".to_string();
        let reader: Box<dyn BufRead + Send> =
            Box::new(BufReader::with_capacity(1 << 16, io::stdin()));
        if format == InputFormat::Txt {
            let limit = self.options.max_doc_bytes;
            let bytes = read_limited(reader, limit)
                .map_err(|err| io_failure("stdin".into(), source.clone(), &err));
            return Some(bytes.and_then(|bytes| {
                document_from_bytes(bytes, "stdin".into(), source, &self.options)
            }));
        }
        self.records = Some(self.record_stream(format, reader, source, "stdin".into()));
        None
    }

    fn record_stream(
        &self,
        format: InputFormat,
        reader: Box<dyn BufRead + Send>,
        source: String,
        id_base: String,
    ) -> Box<dyn Iterator<Item = InputItem> + Send> {
        let options = Arc::clone(&self.options);
        match format {
            InputFormat::Jsonl | InputFormat::Txt => {
                Box::new(jsonl::JsonlRecords::new(reader, source, id_base, options))
            }
            InputFormat::Csv => Box::new(table::TableRecords::new(
                reader, b',', source, id_base, options,
            )),
            InputFormat::Tsv => Box::new(table::TableRecords::new(
                reader, b'\t', source, id_base, options,
            )),
        }
    }
}

/// The documents of one already open stream (an in-memory buffer, a pipe) in `format`,
/// read exactly as [`Inputs`] reads a file of that format; `source` names the stream in
/// ids and messages.
///
/// ```
/// use naql::read::{read_stream, InputFormat, ReadOptions};
/// let bytes: &[u8] = b"{\"id\": 7, \"text\": \"Moscow\"}\n{\"id\": 8}\n";
/// let items: Vec<_> = read_stream(bytes, InputFormat::Jsonl, "mem", ReadOptions::default()).collect();
/// assert_eq!(items[0].as_ref().unwrap().id, "7");
/// assert_eq!(items[1].as_ref().unwrap_err().error.to_string(), "line 2: no \"text\" field");
/// ```
pub fn read_stream<R: BufRead + Send + 'static>(
    reader: R,
    format: InputFormat,
    source: &str,
    options: ReadOptions,
) -> Box<dyn Iterator<Item = InputItem> + Send> {
    let options = Arc::new(options);
    let reader: Box<dyn BufRead + Send> = Box::new(reader);
    let source = source.to_string();
    match format {
        InputFormat::Txt => {
            let limit = options.max_doc_bytes;
            let item = read_limited(reader, limit)
                .map_err(|err| io_failure(source.clone(), source.clone(), &err))
                .and_then(|bytes| {
                    document_from_bytes(bytes, source.clone(), source.clone(), &options)
                });
            Box::new(std::iter::once(item))
        }
        InputFormat::Jsonl => Box::new(jsonl::JsonlRecords::new(
            reader,
            source.clone(),
            source,
            options,
        )),
        InputFormat::Csv => Box::new(table::TableRecords::new(
            reader,
            b',',
            source.clone(),
            source,
            options,
        )),
        InputFormat::Tsv => Box::new(table::TableRecords::new(
            reader,
            b'\t',
            source.clone(),
            source,
            options,
        )),
    }
}

impl Iterator for Inputs {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        loop {
            if let Some(records) = &mut self.records {
                match records.next() {
                    Some(item) => return Some(item),
                    None => self.records = None,
                }
            }
            if let Some(entry) = self.walk.next_file() {
                match entry {
                    Ok((path, id)) => {
                        if let Some(item) = self.open(&path, id) {
                            return Some(item);
                        }
                    }
                    Err((path, err)) => {
                        let source = paths::display(&path);
                        return Some(Err(io_failure(source.clone(), source, &err)));
                    }
                }
                continue;
            }
            let arg = self.args.pop_front()?;
            if arg.as_os_str() == "-" {
                if let Some(item) = self.open_stdin() {
                    return Some(item);
                }
                continue;
            }
            match std::fs::metadata(&arg) {
                Ok(meta) if meta.is_dir() => self.walk.start(arg),
                Ok(_) => {
                    let id = paths::display(&arg);
                    if let Some(item) = self.open(&arg, id) {
                        return Some(item);
                    }
                }
                Err(err) => {
                    let shown = paths::display(&arg);
                    return Some(Err(io_failure(shown.clone(), shown, &err)));
                }
            }
        }
    }
}

fn io_failure(id: String, source: String, err: &io::Error) -> Box<ReadFailure> {
    Box::new(ReadFailure {
        id,
        lang: Lang::Und,
        error: ReadError::Io {
            path: source.clone(),
            message: err.to_string(),
        },
        meta: DocumentMeta {
            source,
            ..DocumentMeta::default()
        },
    })
}

fn read_text_file(path: &Path, id: String, source: String, options: &ReadOptions) -> InputItem {
    let file = File::open(path).map_err(|err| io_failure(id.clone(), source.clone(), &err))?;
    if let Ok(meta) = file.metadata() {
        if meta.len() > options.max_doc_bytes {
            return Err(Box::new(ReadFailure {
                id,
                lang: Lang::Und,
                error: ReadError::TooLarge {
                    bytes: meta.len(),
                    limit: options.max_doc_bytes,
                },
                meta: DocumentMeta {
                    source,
                    ..DocumentMeta::default()
                },
            }));
        }
    }
    let bytes = read_limited(file, options.max_doc_bytes)
        .map_err(|err| io_failure(id.clone(), source.clone(), &err))?;
    document_from_bytes(bytes, id, source, options)
}

/// Reads at most `limit + 1` bytes, so an oversized stream is detected without being
/// held in memory.
fn read_limited(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn document_from_bytes(
    bytes: Vec<u8>,
    id: String,
    source: String,
    options: &ReadOptions,
) -> InputItem {
    let mut meta = DocumentMeta {
        source,
        ..DocumentMeta::default()
    };
    let fail = |error, meta| {
        Err(Box::new(ReadFailure {
            id: id.clone(),
            lang: Lang::Und,
            meta,
            error,
        }))
    };
    if bytes.len() as u64 > options.max_doc_bytes {
        let error = ReadError::TooLarge {
            bytes: bytes.len() as u64,
            limit: options.max_doc_bytes,
        };
        return fail(error, meta);
    }
    match decode::decode(bytes, options.encoding) {
        Ok(decoded) => {
            meta.input_encoding = decoded.encoding.to_string();
            Ok(Document {
                id,
                text: decoded.text,
                lang: options.lang.unwrap_or_default(),
                meta,
            })
        }
        Err(error) => fail(error, meta),
    }
}
