//! Documents and the spans, mentions and quotes found in them.
//!
//! Every span is kept in two units at once: Unicode code points (what Python, pandas,
//! R and Spark index strings by) and UTF-8 bytes. Both are 0-based and end-exclusive
//! and always slice the original decoded text, never a normalised copy.

use std::sync::Arc;

/// The string type of a mention's short texts (matched name, clitic): a string of up to
/// 24 bytes without an allocation of its own, read as a `&str`.
pub use compact_str::CompactString;

use crate::lang::Lang;
use crate::zones::Zone;

/// One input document: its identity, decoded original text and metadata.
///
/// ```
/// use naql::{Document, Lang};
/// let doc = Document::new("a.txt", "سلام دنیا");
/// assert_eq!(doc.text.chars().count(), 9);
/// assert_eq!(doc.lang, Lang::Und);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Stable identifier, unique within a run.
    pub id: String,
    /// The decoded original text; all offsets refer to it.
    pub text: String,
    /// Language, given by the input or detected from the letters.
    pub lang: Lang,
    /// Where the document came from and what came with it.
    pub meta: DocumentMeta,
}

impl Document {
    /// A document with the given id and text, no metadata and undetermined language.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            lang: Lang::Und,
            meta: DocumentMeta::default(),
        }
    }
}

/// Metadata carried along with a document into `documents.csv`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentMeta {
    /// Input location: the file path, with `:LINE` for JSONL and CSV records.
    pub source: String,
    /// Title, when the input carries one.
    pub title: Option<String>,
    /// URL, when the input carries one.
    pub url: Option<String>,
    /// Publication time as given by the input.
    pub published_at: Option<String>,
    /// Name of the encoding the text was decoded from (`UTF-8`, `windows-1256`, ...).
    pub input_encoding: String,
}

/// A span of the original text in code points and in bytes.
///
/// ```
/// use naql::Span;
/// let text = "به گزارش «ماریا زاخارووا»";
/// let span = Span::from_bytes(text, 18, 28);
/// assert_eq!(span.slice(text), "ماریا");
/// assert_eq!((span.start, span.end), (10, 15));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First code point, 0-based.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// First byte, 0-based.
    pub byte_start: usize,
    /// One past the last byte.
    pub byte_end: usize,
}

impl Span {
    /// The span covering bytes `byte_start..byte_end` of `text`, which must lie on
    /// character boundaries.
    pub fn from_bytes(text: &str, byte_start: usize, byte_end: usize) -> Span {
        let start = text[..byte_start].chars().count();
        let end = start + text[byte_start..byte_end].chars().count();
        Span {
            start,
            end,
            byte_start,
            byte_end,
        }
    }

    /// The text this span covers.
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.byte_start..self.byte_end]
    }
}

/// Converts byte offsets into code point offsets for one text: stepping from the last
/// offset asked for, so offsets visited in about increasing order (the order matches
/// and quotes are produced in) cost what lies between them, and jumping through
/// checkpoints every 4 KiB, so any offset costs at most a few KiB of counting (a quote
/// whose speaker was named far back).
///
/// ```
/// use naql::document::CharCounter;
/// let text = "آ b";
/// let mut counter = CharCounter::new(text);
/// assert_eq!(counter.char_offset(2), 1);
/// assert_eq!(counter.span(3, 4).start, 2);
/// assert_eq!(counter.char_offset(2), 1);
/// let long = "ب".repeat(10_000);
/// let mut counter = CharCounter::new(&long);
/// assert_eq!(counter.char_offset(19_000), 9_500);
/// assert_eq!(counter.char_offset(2), 1);
/// ```
#[derive(Debug, Clone)]
pub struct CharCounter<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
    /// Code points before byte `i * CHECKPOINT`, as far as computed.
    checkpoints: Vec<usize>,
}

/// Bytes between two checkpoints of a [`CharCounter`].
const CHECKPOINT: usize = 4096;

impl<'t> CharCounter<'t> {
    /// A counter positioned at the start of `text`.
    pub fn new(text: &'t str) -> Self {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
            checkpoints: vec![0],
        }
    }

    /// Code point offset of byte offset `byte` (a character boundary).
    pub fn char_offset(&mut self, byte: usize) -> usize {
        let bytes = self.text.as_bytes();
        if byte.abs_diff(self.byte) > CHECKPOINT {
            let k = byte / CHECKPOINT;
            while self.checkpoints.len() <= k {
                let i = self.checkpoints.len();
                let before = self.checkpoints[i - 1];
                let block = &bytes[(i - 1) * CHECKPOINT..i * CHECKPOINT];
                self.checkpoints.push(before + count_chars(block));
            }
            self.byte = k * CHECKPOINT;
            self.chars = self.checkpoints[k];
        }
        if byte < self.byte {
            self.chars -= count_chars(&bytes[byte..self.byte]);
        } else {
            self.chars += count_chars(&bytes[self.byte..byte]);
        }
        self.byte = byte;
        self.chars
    }

    /// The [`Span`] of bytes `byte_start..byte_end`.
    pub fn span(&mut self, byte_start: usize, byte_end: usize) -> Span {
        let start = self.char_offset(byte_start);
        let end = self.char_offset(byte_end);
        Span {
            start,
            end,
            byte_start,
            byte_end,
        }
    }
}

/// Number of code points in UTF-8 bytes: every byte that is not a continuation byte.
fn count_chars(bytes: &[u8]) -> usize {
    crate::scan::char_starts(bytes)
}

/// A gazetteer entity as the tables show it; shared by all its mentions.
///
/// Laid out in the order of its fields, so that in an `Arc` (two counts, then the
/// entity: 128 bytes) the counts, the id and the type take the first 56 bytes, one
/// cache line when the record starts one: the quote rules read the type of every
/// mention near a speech verb, and with a large gazetteer each entity's record is a
/// cache miss. Left to the compiler, the type went to the record's second line, and
/// the load of its length was an eighth of the samples of the rules' sentence
/// function.
///
/// The strings are held in the record itself up to 24 bytes (most ids, subtypes and
/// Wikidata ids, and short labels), so a row reads them with the record instead of
/// following a pointer for each: a cache miss each with a large gazetteer, and an
/// allocation each when the entity is made.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[repr(C)]
pub struct Entity {
    /// Gazetteer id (`iso3166:RU`, `geonames:524901`, ...).
    pub id: CompactString,
    /// `PER`, `ORG` or `LOC`.
    pub entity_type: &'static str,
    /// Finer type: country, city, ministry, agency, person ...
    pub subtype: CompactString,
    /// Display label.
    pub label: CompactString,
    /// Wikidata id, when known.
    pub wikidata: CompactString,
}

/// One occurrence of a gazetteer entity in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Where the name itself is (clitics and endings excluded).
    pub span: Span,
    /// The entity the name belongs to.
    pub entity: Arc<Entity>,
    /// The gazetteer name that matched, as written in the gazetteer. (A name of up to
    /// 24 bytes is held in place, without an allocation of its own.)
    pub matched_name: CompactString,
    /// Language of the matched name.
    pub name_lang: &'static str,
    /// How it matched: exact, normalized, clitic, suffix, propagated or demonym.
    pub match_kind: &'static str,
    /// Arabic proclitic or Persian ending found next to the name, if any.
    pub clitic: CompactString,
    /// Index of the sentence holding the mention.
    pub sentence_index: usize,
    /// Zone of the paragraph holding the mention; set by the pipeline (the matcher
    /// alone leaves [`Zone::Body`]).
    pub zone: Zone,
    /// Article of the page holding the mention, from 0; set by the pipeline.
    pub article_index: usize,
}

/// One reported statement and its speaker.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// `direct`, `mixed` or `indirect` (`headline` for a headline's statement).
    pub quote_type: &'static str,
    /// The statement's content.
    pub span: Span,
    /// Opening quotation mark, if any (else empty).
    pub open_mark: &'static str,
    /// Closing quotation mark, if any (else empty).
    pub close_mark: &'static str,
    /// The speech cue (verb or "according to" form), if any.
    pub cue: Option<Span>,
    /// The speaker as written, if found.
    pub speaker: Option<Span>,
    /// Index into the document's mentions of the speaker's mention.
    pub speaker_mention: Option<usize>,
    /// Gazetteer entity of the speaker.
    pub speaker_entity: Option<Arc<Entity>>,
    /// Rule that attributed the speaker.
    pub attribution_method: &'static str,
    /// Confidence in the attribution, 0 to 1.
    pub confidence: f32,
    /// Index of the sentence where the statement starts.
    pub sentence_index: usize,
    /// Zone of the paragraph where the statement starts; set by the pipeline (the
    /// extractor alone leaves [`Zone::Body`]).
    pub zone: Zone,
    /// Article of the page where the statement starts, from 0; set by the pipeline.
    pub article_index: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn chars_are_counted_as_str_counts_them(text in "\\PC{0,40}", from in 0..40usize) {
            let from = (0..=from.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            prop_assert_eq!(count_chars(&text.as_bytes()[from..]), text[from..].chars().count());
            let mut counter = CharCounter::new(&text);
            prop_assert_eq!(counter.char_offset(text.len()), text.chars().count());
            prop_assert_eq!(counter.char_offset(from), text[..from].chars().count());
        }
    }

    #[test]
    fn an_entitys_id_and_type_lie_in_the_first_line_of_its_arc() {
        // An `Arc` puts two counts (16 bytes) before the entity.
        use std::mem::{offset_of, size_of};
        let end = |offset: usize, size: usize| 2 * size_of::<usize>() + offset + size;
        assert!(end(offset_of!(Entity, id), size_of::<CompactString>()) <= 64);
        assert!(end(offset_of!(Entity, entity_type), size_of::<&str>()) <= 64);
        assert_eq!(size_of::<Entity>(), 112);
    }

    #[test]
    fn an_entitys_strings_of_up_to_24_bytes_are_held_in_its_record() {
        let entity = Entity {
            id: "geonames:524901".into(),
            entity_type: "LOC",
            subtype: "city".into(),
            label: "مسکو".into(),
            wikidata: "Q649".into(),
        };
        let fields = [&entity.id, &entity.subtype, &entity.label, &entity.wikidata];
        assert!(fields.iter().all(|s| !s.is_heap_allocated()));
        // A longer label has its own allocation, as a `String` would.
        let long = CompactString::from("وزارة الخارجية الروسية");
        assert!(long.len() > 24 && long.is_heap_allocated());
    }
}
