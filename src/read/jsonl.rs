//! JSONL input: one JSON object per line with `doc_id` (or `id`) and `text`.

use std::io::{self, BufRead};
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value};

use super::{decode, InputItem, ReadError, ReadFailure, ReadOptions};
use crate::document::{Document, DocumentMeta};
use crate::lang::Lang;

/// Bytes of an oversized line kept to recover its `doc_id` for the error row.
const ID_SNIFF_BYTES: usize = 64 * 1024;

pub(super) struct JsonlRecords {
    reader: Box<dyn BufRead + Send>,
    source: String,
    id_base: String,
    options: Arc<ReadOptions>,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlRecords {
    pub(super) fn new(
        reader: Box<dyn BufRead + Send>,
        source: String,
        id_base: String,
        options: Arc<ReadOptions>,
    ) -> Self {
        JsonlRecords {
            reader,
            source,
            id_base,
            options,
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// Longest line accepted (`--max-line-bytes`).
    fn line_limit(&self) -> u64 {
        self.options.line_limit()
    }

    fn failure(&self, id: Option<String>, meta: DocumentMeta, error: ReadError) -> InputItem {
        Err(Box::new(ReadFailure {
            id: id.unwrap_or_else(|| format!("{}:{}", self.id_base, self.line)),
            lang: Lang::Und,
            meta,
            error,
        }))
    }

    fn meta(&self) -> DocumentMeta {
        DocumentMeta {
            source: format!("{}:{}", self.source, self.line),
            input_encoding: "UTF-8".to_string(),
            ..DocumentMeta::default()
        }
    }

    fn parse_line(&self, bytes: &[u8]) -> InputItem {
        let mut meta = self.meta();
        let decoded;
        // Validated with SIMD: the lines are most of the input, and the standard
        // library's check is several times slower on Arabic script.
        let line = match simdutf8::basic::from_utf8(bytes) {
            Ok(line) if self.options.encoding.is_none() => line,
            _ => match decode::decode(bytes.to_vec(), self.options.encoding) {
                Ok(d) => {
                    meta.input_encoding = d.encoding.to_string();
                    decoded = d.text;
                    &decoded
                }
                Err(error) => return self.failure(sniff_id(bytes), meta, error),
            },
        };
        let object: Map<String, Value> = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(object)) => object,
            Ok(other) => {
                let error = ReadError::Json {
                    line: self.line,
                    message: format!("expected an object, found {}", json_kind(&other)),
                };
                return self.failure(None, meta, error);
            }
            Err(err) => {
                let message = err.to_string();
                let message = match message.rsplit_once(" at line ") {
                    Some((what, _)) => format!("{what} at column {}", err.column()),
                    None => message,
                };
                let error = ReadError::Json {
                    line: self.line,
                    message,
                };
                return self.failure(sniff_id(bytes), meta, error);
            }
        };
        self.record(object, meta)
    }

    fn record(&self, mut object: Map<String, Value>, mut meta: DocumentMeta) -> InputItem {
        let bad = |message: String| ReadError::BadRecord {
            line: self.line,
            message,
        };
        let id_value = object.remove("doc_id").or_else(|| object.remove("id"));
        let id = match id_value {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if !s.is_empty() => Some(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(other) => {
                let error = bad(format!(
                    "doc_id must be a non-empty string or a number, found {}",
                    json_kind(&other)
                ));
                return self.failure(None, meta, error);
            }
        };
        meta.title = object.remove("title").and_then(meta_string);
        meta.url = object.remove("url").and_then(meta_string);
        meta.published_at = object.remove("published_at").and_then(meta_string);
        let given_lang = object
            .remove("lang")
            .and_then(meta_string)
            .and_then(|tag| Lang::parse(&tag));
        let lang = self.options.lang.or(given_lang).unwrap_or_default();
        let text = match object.remove("text") {
            Some(Value::String(text)) => text,
            None => return self.failure(id, meta, bad("no \"text\" field".to_string())),
            Some(other) => {
                let error = bad(format!("\"text\" is {}, not a string", json_kind(&other)));
                return self.failure(id, meta, error);
            }
        };
        if text.len() as u64 > self.options.max_doc_bytes {
            let error = ReadError::TooLarge {
                bytes: text.len() as u64,
                limit: self.options.max_doc_bytes,
            };
            return self.failure(id, meta, error);
        }
        Ok(Document {
            id: id.unwrap_or_else(|| format!("{}:{}", self.id_base, self.line)),
            text,
            lang,
            meta,
        })
    }
}

impl Iterator for JsonlRecords {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        while !self.done {
            self.buf.clear();
            let limit = self.line_limit();
            let line_len = match read_line_limited(&mut self.reader, &mut self.buf, limit) {
                Ok(Some(len)) => len,
                Ok(None) => break,
                Err(err) => {
                    self.done = true;
                    self.line += 1;
                    let error = ReadError::Io {
                        path: self.source.clone(),
                        message: format!("line {}: {err}", self.line),
                    };
                    return Some(self.failure(None, self.meta(), error));
                }
            };
            self.line += 1;
            if line_len > limit {
                let error = ReadError::LineTooLong {
                    line: self.line,
                    bytes: line_len,
                    limit,
                };
                return Some(self.failure(sniff_id(&self.buf), self.meta(), error));
            }
            let mut bytes = self.buf.as_slice();
            if self.line == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(self.parse_line(bytes));
        }
        self.done = true;
        None
    }
}

/// Reads one line (without its end) into `buf`, keeping at most `limit` bytes of it.
/// Returns the line's full length, or `None` at end of input.
fn read_line_limited(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
) -> io::Result<Option<u64>> {
    let mut total: u64 = 0;
    let mut seen_any = false;
    let mut last_byte = None;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(seen_any.then_some(total));
        }
        seen_any = true;
        let (content, used, ended) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..i], i + 1, true),
            None => (available, available.len(), false),
        };
        let room = limit.saturating_add(1).saturating_sub(buf.len() as u64);
        let keep = content
            .len()
            .min(usize::try_from(room).unwrap_or(usize::MAX));
        buf.extend_from_slice(&content[..keep]);
        total += content.len() as u64;
        if let Some(&last) = content.last() {
            last_byte = Some(last);
        }
        reader.consume(used);
        if ended {
            if last_byte == Some(b'\r') {
                if buf.len() as u64 == total {
                    buf.pop();
                }
                total -= 1;
            }
            return Ok(Some(total));
        }
    }
}

/// Metadata values: strings as they are, numbers and booleans as written, objects and
/// arrays as compact JSON, null as absent.
fn meta_string(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Recovers `doc_id` (or `id`) from the start of a line that cannot be parsed whole,
/// so its error row names the document.
fn sniff_id(bytes: &[u8]) -> Option<String> {
    static ID: OnceLock<regex::Regex> = OnceLock::new();
    let pattern = ID.get_or_init(|| {
        regex::Regex::new(
            r#""(?:doc_id|id)"\s*:\s*(?:("(?:[^"\\]|\\.)*")|(-?[0-9]+(?:\.[0-9]+)?))"#,
        )
        .expect("valid id pattern")
    });
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(ID_SNIFF_BYTES)]);
    let found = pattern.captures(&head)?;
    if let Some(quoted) = found.get(1) {
        serde_json::from_str::<String>(quoted.as_str())
            .ok()
            .filter(|s| !s.is_empty())
    } else {
        found.get(2).map(|n| n.as_str().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_ids_from_broken_lines() {
        assert_eq!(
            sniff_id(br#"{"doc_id": "a\"b", "text": "x"#).as_deref(),
            Some("a\"b")
        );
        assert_eq!(sniff_id(br#"{"id":17,"text":"#).as_deref(), Some("17"));
        assert_eq!(sniff_id(br#"{"text": "no id"#), None);
    }

    #[test]
    fn long_lines_are_cut_but_counted() {
        let mut reader: &[u8] = b"abcdef\r\nxy";
        let mut buf = Vec::new();
        assert_eq!(
            read_line_limited(&mut reader, &mut buf, 3).unwrap(),
            Some(6)
        );
        assert_eq!(buf, b"abcd");
        buf.clear();
        assert_eq!(
            read_line_limited(&mut reader, &mut buf, 3).unwrap(),
            Some(2)
        );
        assert_eq!(buf, b"xy");
        buf.clear();
        assert_eq!(read_line_limited(&mut reader, &mut buf, 3).unwrap(), None);
    }
}
