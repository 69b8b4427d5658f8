//! JSONL records back into the four tables: what `naql tables` runs.
//!
//! The records may be the output of one run or of many (the shards of one input run
//! under Spark, Hadoop Streaming or GNU parallel), split into files in any way and given
//! in any order. Documents are put back in input order by the `shard` of their stream's
//! `run` record and their `doc_index`; a document's mention and quote records are the
//! ones that follow it, or, for records cut off from their document, the ones naming
//! its `doc_id` in the same shard. What a single run decides across documents is decided
//! again over the whole input: a repeated `doc_id` fails the later document, and the
//! entity counts are made from the mention records. When a stream's `run` record has a
//! `line_offset`, its `stdin:LINE` sources, the ids made from them and the line numbers
//! in its error messages are renumbered to lines of the whole input.
//!
//! The result is byte for byte what one `naql extract --out DIR` over the whole input
//! writes. Memory holds an index entry per document and the entities, not the records:
//! a first pass indexes the files, a second reads each document's records in order.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{
    Cell, CsvTables, RunRecord, Table, DOCUMENT_COLUMNS, MENTION_COLUMNS, QUOTE_COLUMNS,
    RECORDS_FORMAT, RECORDS_FORMAT_VERSION,
};
use crate::document::Entity;
use crate::gazetteer::EntityType;
use crate::pipeline::{RunSummary, Sink};
use crate::read::ReadError;

/// Files kept open at once while the tables are written.
const OPEN_FILES: usize = 16;

/// Why records could not be turned into tables. Each message says what and where.
#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// Path as given.
        path: String,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// A line that is not a valid record.
    #[error("{path}:{line}: {message}")]
    Line {
        /// Path as given.
        path: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// Records that do not fit together: different gazetteers, two documents at one
    /// position, a document whose mention records are missing.
    #[error("{0}")]
    Mismatch(String),
    /// The tables could not be written.
    #[error("cannot write the tables: {0}")]
    Write(#[source] io::Error),
}

/// What [`rebuild_tables`] wrote, besides the rows.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// Document and row counts, as the run over the whole input counts them.
    pub summary: RunSummary,
    /// What wrote the records (the same for every stream), without shard or offset.
    pub run: RunRecord,
    /// Number of streams (`run` records) read.
    pub streams: usize,
}

/// The record files under `paths`: files as given, directories' files in sorted
/// order, skipping names starting with `.` or `_` (`.crc` checksums, `_SUCCESS`
/// markers written next to Spark and Hadoop output).
pub fn record_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, RecordsError> {
    let mut files = Vec::new();
    for path in paths {
        let read_err = |source| RecordsError::Read {
            path: path.display().to_string(),
            source,
        };
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(path).map_err(read_err)? {
            let entry = entry.map_err(read_err)?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name.starts_with('_') {
                continue;
            }
            if entry.file_type().map_err(read_err)?.is_file() {
                entries.push(entry.path());
            }
        }
        entries.sort();
        files.extend(entries);
    }
    Ok(files)
}

/// Reads the records in `files` and writes their rows to `tables`, then finishes them.
pub fn rebuild_tables(files: &[PathBuf], tables: &mut CsvTables) -> Result<Rebuilt, RecordsError> {
    let index = Index::build(files)?;
    let run = index.check_streams()?;
    let summary = write_tables(&index, files, tables)?;
    tables.finish().map_err(RecordsError::Write)?;
    Ok(Rebuilt {
        summary,
        run,
        streams: index.streams.len(),
    })
}

/// A line of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct At {
    file: usize,
    line: u64,
    offset: u64,
}

/// Where to put a document: shard, then `doc_index`.
type Position = (Option<u64>, u64);

struct Stream {
    run: RunRecord,
    at: At,
}

struct DocEntry {
    position: Position,
    at: At,
    stream: Option<usize>,
    /// Mention and quote records right after the document record.
    attached: u32,
}

/// Mention and quote records of one document away from its document record.
struct Piece {
    at: At,
    count: u32,
}

/// Everything found in a first pass over the files.
struct Index {
    paths: Vec<String>,
    streams: Vec<Stream>,
    docs: Vec<DocEntry>,
    /// Pieces by shard and doc_id.
    pieces: HashMap<(Option<u64>, String), Vec<Piece>>,
    entities: HashMap<String, (Arc<Entity>, At)>,
}

/// The fields read from every line in the first pass.
#[derive(Deserialize)]
struct Head {
    record: String,
    #[serde(default)]
    doc_id: Option<String>,
    #[serde(default)]
    doc_index: Option<u64>,
}

impl Index {
    fn build(files: &[PathBuf]) -> Result<Index, RecordsError> {
        let mut index = Index {
            paths: files.iter().map(|p| p.display().to_string()).collect(),
            streams: Vec::new(),
            docs: Vec::new(),
            pieces: HashMap::new(),
            entities: HashMap::new(),
        };
        for (file, path) in files.iter().enumerate() {
            index.scan(file, path)?;
        }
        Ok(index)
    }

    fn at(&self, at: At) -> Location<'_> {
        Location(&self.paths[at.file], at.line)
    }

    fn line_error(&self, at: At, message: impl Into<String>) -> RecordsError {
        RecordsError::Line {
            path: self.paths[at.file].clone(),
            line: at.line,
            message: message.into(),
        }
    }

    fn scan(&mut self, file: usize, path: &Path) -> Result<(), RecordsError> {
        let read_err = |source| RecordsError::Read {
            path: path.display().to_string(),
            source,
        };
        let mut reader = BufReader::with_capacity(1 << 16, File::open(path).map_err(read_err)?);
        let mut buf = Vec::new();
        let (mut line, mut offset) = (0u64, 0u64);
        let mut stream: Option<usize> = None;
        // The document whose records are being read, by doc_id.
        let mut current: Option<(usize, String)> = None;
        // The piece being extended, by its key.
        let mut piece: Option<(Option<u64>, String)> = None;
        loop {
            buf.clear();
            let n = reader.read_until(b'\n', &mut buf).map_err(read_err)?;
            if n == 0 {
                break;
            }
            line += 1;
            let at = At { file, line, offset };
            offset += n as u64;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let head: Head = serde_json::from_slice(&buf)
                .map_err(|err| self.line_error(at, format!("not a naql record: {err}")))?;
            let shard = stream.and_then(|s| self.streams[s].run.shard);
            match head.record.as_str() {
                "run" => {
                    let run: RunRecord = serde_json::from_slice(&buf)
                        .map_err(|err| self.line_error(at, format!("bad run record: {err}")))?;
                    if run.format != RECORDS_FORMAT || run.format_version != RECORDS_FORMAT_VERSION
                    {
                        return Err(self.line_error(
                            at,
                            format!(
                                "records format {} version {}; this naql reads {} version {}",
                                run.format,
                                run.format_version,
                                RECORDS_FORMAT,
                                RECORDS_FORMAT_VERSION
                            ),
                        ));
                    }
                    self.streams.push(Stream { run, at });
                    stream = Some(self.streams.len() - 1);
                    current = None;
                    piece = None;
                }
                "document" => {
                    let doc_id = head
                        .doc_id
                        .ok_or_else(|| self.line_error(at, "document record without doc_id"))?;
                    let doc_index = head.doc_index.ok_or_else(|| {
                        self.line_error(
                            at,
                            "document record without doc_index (written by an older naql: rerun naql extract --format jsonl)",
                        )
                    })?;
                    self.docs.push(DocEntry {
                        position: (shard, doc_index),
                        at,
                        stream,
                        attached: 0,
                    });
                    current = Some((self.docs.len() - 1, doc_id));
                    piece = None;
                }
                "mention" | "quote" => {
                    let doc_id = head.doc_id.ok_or_else(|| {
                        self.line_error(at, format!("{} record without doc_id", head.record))
                    })?;
                    match &current {
                        Some((doc, id)) if *id == doc_id => self.docs[*doc].attached += 1,
                        _ => {
                            current = None;
                            let key = (shard, doc_id);
                            let pieces = self.pieces.entry(key.clone()).or_default();
                            match pieces.last_mut() {
                                Some(last) if piece.as_ref() == Some(&key) => last.count += 1,
                                _ => pieces.push(Piece { at, count: 1 }),
                            }
                            piece = Some(key);
                        }
                    }
                }
                "entity" => {
                    self.add_entity(&buf, at)?;
                    current = None;
                    piece = None;
                }
                other => {
                    return Err(self.line_error(
                        at,
                        format!("unknown record kind {other:?} (expected run, document, mention, quote or entity)"),
                    ))
                }
            }
        }
        Ok(())
    }

    fn add_entity(&mut self, line: &[u8], at: At) -> Result<(), RecordsError> {
        let object = parse_object(line).map_err(|m| self.line_error(at, m))?;
        let field = |name: &str| -> Result<String, RecordsError> {
            match object.get(name) {
                Some(Value::String(s)) => Ok(s.clone()),
                Some(Value::Null) => Ok(String::new()),
                _ => Err(self.line_error(at, format!("entity record without a string {name}"))),
            }
        };
        let entity = Entity {
            id: field("entity_id")?.into(),
            label: field("label")?.into(),
            entity_type: EntityType::parse(&field("entity_type")?)
                .map(EntityType::code)
                .ok_or_else(|| {
                    self.line_error(
                        at,
                        "entity record with an entity_type other than PER, ORG or LOC",
                    )
                })?,
            subtype: field("subtype")?.into(),
            wikidata: field("wikidata")?.into(),
        };
        match self.entities.get(entity.id.as_str()) {
            Some((known, first)) if **known != entity => Err(RecordsError::Mismatch(format!(
                "entity {} differs between {} and {}: records made with different gazetteers?",
                entity.id,
                self.at(*first),
                self.at(at)
            ))),
            Some(_) => Ok(()),
            None => {
                self.entities
                    .insert(entity.id.to_string(), (Arc::new(entity), at));
                Ok(())
            }
        }
    }

    /// The run every stream agrees on; sharded streams leave no document unplaced.
    fn check_streams(&self) -> Result<RunRecord, RecordsError> {
        let Some(first) = self.streams.first() else {
            return Err(RecordsError::Mismatch(format!(
                "no run record in {}: records written by an older naql, or the start of the output is missing; rerun naql extract --format jsonl",
                self.paths.join(", ")
            )));
        };
        let same = |a: &RunRecord, b: &RunRecord| {
            a.naql_version == b.naql_version
                && a.gazetteers == b.gazetteers
                && a.gazetteer_sha256 == b.gazetteer_sha256
        };
        for stream in &self.streams[1..] {
            if !same(&first.run, &stream.run) {
                return Err(RecordsError::Mismatch(format!(
                    "{} and {} come from different runs (naql {} vs {}, gazetteer {} vs {}); merge only shards of one configuration",
                    self.at(first.at),
                    self.at(stream.at),
                    first.run.naql_version,
                    stream.run.naql_version,
                    first.run.gazetteer_sha256.as_deref().unwrap_or("none"),
                    stream.run.gazetteer_sha256.as_deref().unwrap_or("none"),
                )));
            }
        }
        let sharded = self
            .streams
            .iter()
            .find(|s| s.run.shard.is_some() || s.run.line_offset.is_some());
        if let (Some(sharded), Some(loose)) =
            (sharded, self.docs.iter().find(|d| d.stream.is_none()))
        {
            return Err(RecordsError::Mismatch(format!(
                "{}: document record before any run record, while {} starts a shard; split record files only before a run record",
                self.at(loose.at),
                self.at(sharded.at)
            )));
        }
        Ok(RunRecord {
            shard: None,
            line_offset: None,
            ..first.run.clone()
        })
    }
}

/// `path:line`, for messages.
struct Location<'a>(&'a str, u64);

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.0, self.1)
    }
}

fn parse_object(line: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(line) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err("not a JSON object".to_string()),
        Err(err) => Err(format!("not a naql record: {err}")),
    }
}

/// Open files, read line by line, seeking only when a line is not the next one.
struct Files<'p> {
    paths: &'p [PathBuf],
    open: Vec<(usize, BufReader<File>, u64)>,
}

impl Files<'_> {
    /// Reads the line at `at` into `buf`; `at.offset` of `None` reads the next line.
    fn read(&mut self, file: usize, offset: Option<u64>, buf: &mut Vec<u8>) -> io::Result<()> {
        let slot = match self.open.iter().position(|(f, _, _)| *f == file) {
            Some(slot) => slot,
            None => {
                if self.open.len() == OPEN_FILES {
                    self.open.remove(0);
                }
                let reader = BufReader::with_capacity(1 << 16, File::open(&self.paths[file])?);
                self.open.push((file, reader, 0));
                self.open.len() - 1
            }
        };
        // Most recently used last.
        let entry = self.open.remove(slot);
        self.open.push(entry);
        let (_, reader, position) = self.open.last_mut().expect("just pushed");
        if let Some(offset) = offset {
            if offset != *position {
                reader.seek(SeekFrom::Start(offset))?;
                *position = offset;
            }
        }
        loop {
            buf.clear();
            let n = reader.read_until(b'\n', buf)?;
            *position += n as u64;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "file changed while being read",
                ));
            }
            if !buf.iter().all(u8::is_ascii_whitespace) {
                return Ok(());
            }
        }
    }
}

/// A record's fields in a table's column order.
fn row_values(
    mut object: Map<String, Value>,
    columns: &[&str],
    at: Location<'_>,
) -> Result<Vec<Value>, RecordsError> {
    columns
        .iter()
        .map(|&column| match object.remove(column) {
            Some(value @ (Value::Null | Value::String(_) | Value::Number(_))) => Ok(value),
            Some(other) => Err(format!("{column} is {other}, not a string or number")),
            None => Err(format!("no \"{column}\" field")),
        })
        .collect::<Result<_, _>>()
        .map_err(|message| RecordsError::Line {
            path: at.0.to_string(),
            line: at.1,
            message,
        })
}

fn cells(values: &[Value]) -> Vec<Cell<'_>> {
    values
        .iter()
        .map(|value| match value {
            Value::String(s) => Cell::Str(s),
            Value::Number(n) => match n.as_u64() {
                Some(n) => Cell::Int(n),
                // Written as `{:.2}` of an f32; read back, it prints the same.
                None => Cell::Float(n.as_f64().unwrap_or(f64::NAN) as f32),
            },
            _ => Cell::Null,
        })
        .collect()
}

fn column(columns: &[&str], name: &str) -> usize {
    columns
        .iter()
        .position(|c| *c == name)
        .expect("a declared column")
}

/// Renumbers `stdin:LINE` by `offset` lines.
fn rebase_source(source: &str, offset: u64) -> Option<String> {
    let line: u64 = source.strip_prefix("stdin:")?.parse().ok()?;
    Some(format!("stdin:{}", line + offset))
}

/// Renumbers the line in the messages of [`ReadError::Json`] and
/// [`ReadError::BadRecord`].
fn rebase_error(message: &str, offset: u64) -> Option<String> {
    ["malformed JSON on line ", "line "]
        .iter()
        .find_map(|prefix| {
            let rest = message.strip_prefix(prefix)?;
            let (line, rest) = rest.split_once(':')?;
            let line: u64 = line.parse().ok()?;
            Some(format!("{prefix}{}:{rest}", line + offset))
        })
}

/// The number in an id ending in `:m<n>` or `:q<n>`.
fn id_number(id: &Value, marker: char) -> Option<u64> {
    let id = id.as_str()?;
    let (_, tail) = id.rsplit_once(':')?;
    tail.strip_prefix(marker)?.parse().ok()
}

fn write_tables(
    index: &Index,
    paths: &[PathBuf],
    tables: &mut CsvTables,
) -> Result<RunSummary, RecordsError> {
    let mut order: Vec<&DocEntry> = index.docs.iter().collect();
    order.sort_by_key(|d| d.position);
    let mut expected: Position = (None, 1);
    for entry in &order {
        let (shard, doc_index) = entry.position;
        if shard != expected.0 {
            expected = (shard, 1);
        }
        if doc_index > expected.1 {
            return Err(RecordsError::Mismatch(format!(
                "documents {} to {} of shard {} are missing (the next is at {}): is a file missing?",
                expected.1,
                doc_index - 1,
                shard.map_or("(none)".to_string(), |s| s.to_string()),
                index.at(entry.at),
            )));
        }
        expected.1 = doc_index + 1;
    }
    for pair in order.windows(2) {
        if pair[0].position == pair[1].position {
            let (shard, doc_index) = pair[0].position;
            return Err(RecordsError::Mismatch(format!(
                "{} and {} are both document {doc_index} of shard {}: records of several runs need distinct shards (naql extract --shard N)",
                index.at(pair[0].at),
                index.at(pair[1].at),
                shard.map_or("(none)".to_string(), |s| s.to_string()),
            )));
        }
    }

    let doc_id = column(DOCUMENT_COLUMNS, "doc_id");
    let source = column(DOCUMENT_COLUMNS, "source");
    let status = column(DOCUMENT_COLUMNS, "status");
    let error = column(DOCUMENT_COLUMNS, "error");
    let n_mentions = column(DOCUMENT_COLUMNS, "n_mentions");
    let n_quotes = column(DOCUMENT_COLUMNS, "n_quotes");
    let text_bytes = column(DOCUMENT_COLUMNS, "text_bytes");
    let encoding = column(DOCUMENT_COLUMNS, "input_encoding");
    let failed_nulls = [
        "text_length",
        "text_bytes",
        "text_sha256",
        "n_bidi_controls",
        "published_at_text",
        "published_calendar",
        "outlet",
        "outlet_entity_id",
    ]
    .map(|c| column(DOCUMENT_COLUMNS, c));
    let published_at = column(DOCUMENT_COLUMNS, "published_at");
    let published_at_text = column(DOCUMENT_COLUMNS, "published_at_text");
    let mention_ids = ["doc_id", "mention_id"].map(|c| column(MENTION_COLUMNS, c));
    let quote_ids = ["doc_id", "quote_id", "speaker_mention_id"].map(|c| column(QUOTE_COLUMNS, c));
    let entity_id = column(MENTION_COLUMNS, "entity_id");
    let match_kind = column(MENTION_COLUMNS, "match_kind");
    let zone = column(MENTION_COLUMNS, "zone");

    let mut files = Files {
        paths,
        open: Vec::new(),
    };
    let read_err = |file: usize| {
        let path = index.paths[file].clone();
        move |source| RecordsError::Read { path, source }
    };
    let mut summary = RunSummary::default();
    let mut first_use: HashMap<String, u64> = HashMap::new();
    let mut buf = Vec::new();
    let mut mentions: Vec<(Vec<Value>, At)> = Vec::new();
    let mut quotes: Vec<(Vec<Value>, At)> = Vec::new();
    for entry in order {
        let at = entry.at;
        files
            .read(at.file, Some(at.offset), &mut buf)
            .map_err(read_err(at.file))?;
        let object = parse_object(&buf).map_err(|m| index.line_error(at, m))?;
        let mut values = row_values(object, DOCUMENT_COLUMNS, index.at(at))?;
        let raw_id = values[doc_id]
            .as_str()
            .ok_or_else(|| index.line_error(at, "doc_id is not a string"))?
            .to_string();

        // Ids made from a stdin line (records without an id) are renumbered with it.
        let mut renamed: Option<(String, String)> = None;
        let offset = entry.stream.and_then(|s| index.streams[s].run.line_offset);
        if let Some(offset) = offset {
            if let Some(new_source) = values[source]
                .as_str()
                .and_then(|s| rebase_source(s, offset))
            {
                if values[source] == values[doc_id] {
                    renamed = Some((raw_id.clone(), new_source.clone()));
                    values[doc_id] = Value::String(new_source.clone());
                }
                values[source] = Value::String(new_source);
            }
            if let Some(message) = values[error].as_str().and_then(|e| rebase_error(e, offset)) {
                values[error] = Value::String(message);
            }
        }

        summary.documents += 1;
        let id = values[doc_id].as_str().unwrap_or_default().to_string();
        let duplicate = match first_use.get(&id) {
            Some(&first) => {
                // As a single run does: the later document fails, naming the first,
                // and keeps only what the input gave (a date read from the text has
                // its text in published_at_text).
                if !values[published_at_text].is_null() {
                    values[published_at] = Value::Null;
                }
                for i in failed_nulls {
                    values[i] = Value::Null;
                }
                if values[encoding] == "" {
                    values[encoding] = Value::Null;
                }
                values[n_mentions] = Value::from(0u64);
                values[n_quotes] = Value::from(0u64);
                values[status] = Value::from("error");
                values[error] = Value::from(ReadError::DuplicateId { first }.to_string());
                true
            }
            None => {
                first_use.insert(id, summary.documents);
                false
            }
        };
        let ok = values[status] == "ok";
        if ok {
            summary.ok += 1;
            summary.text_bytes += values[text_bytes].as_u64().unwrap_or(0);
        } else {
            summary.failed += 1;
        }
        tables
            .write_row(Table::Documents, &cells(&values))
            .map_err(RecordsError::Write)?;
        if !ok || duplicate {
            continue;
        }

        // The document's mention and quote records: right after it, then elsewhere.
        mentions.clear();
        quotes.clear();
        let mut lines: Vec<(At, bool)> = (1..=u64::from(entry.attached))
            .map(|_| (at, false))
            .collect();
        let shard = entry.position.0;
        if let Some(pieces) = index.pieces.get(&(shard, raw_id.clone())) {
            for piece in pieces {
                lines.push((piece.at, true));
                lines.extend((1..piece.count).map(|_| (piece.at, false)));
            }
        }
        let mut line_at = at;
        for (piece_at, seek) in lines {
            let offset = if seek {
                line_at = piece_at;
                Some(piece_at.offset)
            } else {
                line_at.line += 1;
                None
            };
            files
                .read(line_at.file, offset, &mut buf)
                .map_err(read_err(line_at.file))?;
            let object = parse_object(&buf).map_err(|m| index.line_error(line_at, m))?;
            let is_mention = object.get("record").and_then(Value::as_str) == Some("mention");
            let (columns, list) = if is_mention {
                (MENTION_COLUMNS, &mut mentions)
            } else {
                (QUOTE_COLUMNS, &mut quotes)
            };
            let mut values = row_values(object, columns, index.at(line_at))?;
            if let Some((old, new)) = &renamed {
                let ids: &[usize] = if is_mention { &mention_ids } else { &quote_ids };
                for &i in ids {
                    if let Some(rest) = values[i]
                        .as_str()
                        .and_then(|v| v.strip_prefix(old.as_str()))
                    {
                        values[i] = Value::String(format!("{new}{rest}"));
                    }
                }
            }
            list.push((values, line_at));
        }
        let key = |marker: char, id: usize| {
            move |(values, _): &(Vec<Value>, At)| id_number(&values[id], marker).unwrap_or(u64::MAX)
        };
        mentions.sort_by_key(key('m', mention_ids[1]));
        quotes.sort_by_key(key('q', quote_ids[1]));
        for (found, expected, what) in [
            (mentions.len(), &values[n_mentions], "mention"),
            (quotes.len(), &values[n_quotes], "quote"),
        ] {
            if expected.as_u64() != Some(found as u64) {
                return Err(RecordsError::Mismatch(format!(
                    "{}: document {raw_id} has n_{what}s {expected} but {found} {what} records were found: is a shard or part of one missing?",
                    index.at(at)
                )));
            }
        }
        let mut found = Vec::with_capacity(mentions.len());
        for (values, line_at) in &mentions {
            let id = values[entity_id].as_str().unwrap_or_default();
            let Some((entity, _)) = index.entities.get(id) else {
                return Err(index.line_error(
                    *line_at,
                    format!("no entity record for {id}: is the end of a stream missing?"),
                ));
            };
            found.push((
                entity,
                values[match_kind].as_str().unwrap_or_default(),
                values[zone].as_str().unwrap_or_default(),
            ));
            tables
                .write_row(Table::Mentions, &cells(values))
                .map_err(RecordsError::Write)?;
        }
        tables.count_mentions(found);
        for (values, _) in &quotes {
            tables
                .write_row(Table::Quotes, &cells(values))
                .map_err(RecordsError::Write)?;
        }
        summary.mentions += mentions.len() as u64;
        summary.quotes += quotes.len() as u64;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_in_read_errors_are_renumbered() {
        let json = ReadError::Json {
            line: 7,
            message: "EOF while parsing an object at column 12".into(),
        };
        assert_eq!(
            rebase_error(&json.to_string(), 100).as_deref(),
            Some("malformed JSON on line 107: EOF while parsing an object at column 12")
        );
        let bad = ReadError::BadRecord {
            line: 3,
            message: "no \"text\" field".into(),
        };
        assert_eq!(
            rebase_error(&bad.to_string(), 10).as_deref(),
            Some("line 13: no \"text\" field")
        );
        let other = ReadError::DuplicateId { first: 2 };
        assert_eq!(rebase_error(&other.to_string(), 10), None);
        assert_eq!(rebase_source("stdin:4", 10).as_deref(), Some("stdin:14"));
        assert_eq!(rebase_source("corpus.jsonl:4", 10), None);
    }

    #[test]
    fn ids_are_ordered_by_their_number() {
        assert_eq!(id_number(&Value::from("a:b:m12"), 'm'), Some(12));
        assert_eq!(id_number(&Value::from("d:q3"), 'q'), Some(3));
        assert_eq!(id_number(&Value::from("d:q3"), 'm'), None);
    }
}
