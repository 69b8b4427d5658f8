//! Paragraphs, sentences and words of the original text.
//!
//! Segmentation runs on the **original** text (not the matching key) and gives byte
//! ranges into it; [`Key::key_offset`](crate::normalize::Key::key_offset)
//! turns them into key positions when needed.
//!
//! ```
//! use naql::segment::Segmentation;
//!
//! let text = "عنوان خبر\n\nقالت د. زاخاروفا: «نحن على اتصال. سنصدر بيانا». وأضافت أمرا آخر.";
//! let seg = Segmentation::new(text);
//! assert_eq!(seg.paragraphs().len(), 2);
//! let sentences: Vec<&str> = seg.sentences().iter().map(|s| &text[s.range.clone()]).collect();
//! assert_eq!(sentences, [
//!     "عنوان خبر",
//!     "قالت د. زاخاروفا: «نحن على اتصال. سنصدر بيانا».",
//!     "وأضافت أمرا آخر.",
//! ]);
//! assert_eq!(seg.fine_sentences().len(), 4);
//! ```
//!
//! # Paragraphs
//! A line break (LF, CR, CRLF, U+0085, U+2028, U+2029) ends a paragraph: scraped news
//! writes one paragraph per line, and headline lists and bylines have one item per line
//! with no final punctuation. Blank lines, and lines holding only spaces, NBSP, ZWNJ or
//! invisible controls (the "NBSP-only" separator lines of Persian sites), are not
//! paragraphs. For hard-wrapped text, [`LineBreaks::Wrap`] makes only blank lines (and
//! U+2029) end a paragraph. Paragraph ranges exclude leading and trailing blanks.
//!
//! # Sentences
//! Sentences never cross a paragraph end; a paragraph without final punctuation (a
//! headline run, a byline) is one sentence. Inside a paragraph a sentence ends after a
//! run of `.` `!` `?` `؟` `۔` `…` (so `؟!` and `...` are one end) and any closing
//! quotes or brackets right after it (`.»`, `?"`, `.)`), when all of these hold:
//! - the run is not exactly `..`, the pause of Arabic headlines
//!   (`بعد إصابة جنديين.. أذربيجان تعلن`, `زاخاروفا.. موسكو على اتصال`), which keeps a
//!   headline and its speaker in one sentence;
//! - it is followed by the paragraph end, a space, an opening quote or bracket, or an
//!   Arabic-script letter (glued `است.پس`); so never inside `3.5`, `۳.۵`, `10.450` or
//!   `example.com` (and `۳٫۵` uses U+066B, which is no terminator at all);
//! - the next visible character is not a lowercase letter (`approx. five`,
//!   `"Really?" she asked`);
//! - for a single `.`: the word before it is not a single letter (initials `J. D.`,
//!   `د.`, `م.`, and dotted abbreviations `U.S.`, `e.g.`, `ه.ش.`), not an abbreviation
//!   from `abbreviations.txt` beside this module (`Dr.`, `Mr.`, `Sept.`, ...), and not a
//!   number opening its paragraph (a list item `1.`).
//!
//! # Two levels: quotes that span sentences
//! The segmenter gives both levels, from one pass:
//! - [`Segmentation::sentences`]: a sentence never ends inside a quotation (« » “ ” „
//!   ‹ › and paired `"`), so a quote of several sentences stays in the unit that holds
//!   its cue and speaker. This is the level for quote attribution.
//! - [`Segmentation::fine_sentences`]: every sentence end, inside quotes too, for
//!   finer work (pronoun distance, sentence counts).
//!
//! Every fine sentence lies inside exactly one sentence. Only a quotation whose closing
//! mark is in the same paragraph holds sentences together: an opening mark never closed
//! (a quote running over several paragraphs, a stray `«`) does not swallow the rest of
//! the paragraph.
//!
//! # Words
//! [`words`] gives Unicode words (UAX #29, `unicode-segmentation`): a ZWNJ stays inside
//! its word (`قره‌باغ` is one word), and the Arabic comma, semicolon and question mark
//! `،` `؛` `؟` always separate words. [`is_word_boundary`] is the cheap test the matcher
//! applies at the ends of a match in the key.

use std::ops::Range;
use std::sync::LazyLock;

use unicode_segmentation::{UnicodeSegmentation, UnicodeWordIndices};

use crate::normalize::{fold_char, Fold};

/// Words that, followed by `.`, do not end a sentence (one per line, `#` comments).
const ABBREVIATIONS: &str = include_str!("abbreviations.txt");

/// A sentence: its byte range in the original text (without surrounding blanks) and the
/// index of its paragraph.
///
/// ```
/// let text = "Lavrov spoke. He left.";
/// let seg = naql::segment::Segmentation::new(text);
/// let s = &seg.sentences()[1];
/// assert_eq!((&text[s.range.clone()], s.paragraph), ("He left.", 0));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range in the original text.
    pub range: Range<usize>,
    /// Index into [`Segmentation::paragraphs`].
    pub paragraph: usize,
}

/// What a single line break means.
///
/// ```
/// use naql::segment::{LineBreaks, Segmenter};
///
/// let text = "The minister said\nthat talks go on.\n\nNext.";
/// assert_eq!(Segmenter::new().segment(text).paragraphs().len(), 3);
/// let wrapped = Segmenter::new().line_breaks(LineBreaks::Wrap).segment(text);
/// assert_eq!(wrapped.paragraphs().len(), 2);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LineBreaks {
    /// Every line break ends a paragraph (scraped news, headline lists). The default.
    #[default]
    Paragraph,
    /// Only blank lines and U+2029 end a paragraph; other line breaks are line wrapping.
    Wrap,
}

/// Splits text into paragraphs and sentences; immutable, cheap to copy, `Send + Sync`.
///
/// ```
/// use naql::segment::{Segmentation, Segmenter};
///
/// let segmenter = Segmenter::new();
/// let mut seg = Segmentation::default();
/// for doc in ["Один. Два.", "واحد. اثنان. ثلاثة."] {
///     segmenter.segment_into(doc, &mut seg); // reuses seg's buffers
/// }
/// assert_eq!(seg.sentences().len(), 3);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Segmenter {
    line_breaks: LineBreaks,
}

impl Segmenter {
    /// A segmenter with the default options.
    ///
    /// ```
    /// let _ = naql::segment::Segmenter::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets what a single line break means (default [`LineBreaks::Paragraph`]).
    ///
    /// ```
    /// use naql::segment::{LineBreaks, Segmenter};
    /// let _ = Segmenter::new().line_breaks(LineBreaks::Wrap);
    /// ```
    pub fn line_breaks(mut self, line_breaks: LineBreaks) -> Self {
        self.line_breaks = line_breaks;
        self
    }

    /// Segments `text` into a new [`Segmentation`].
    ///
    /// ```
    /// let seg = naql::segment::Segmenter::new().segment("Hi. Bye.");
    /// assert_eq!(seg.sentences().len(), 2);
    /// ```
    pub fn segment(&self, text: &str) -> Segmentation {
        let mut out = Segmentation::default();
        self.segment_into(text, &mut out);
        out
    }

    /// Segments `text` into `out`, replacing its content and reusing its buffers.
    ///
    /// ```
    /// let mut seg = naql::segment::Segmentation::default();
    /// naql::segment::Segmenter::new().segment_into("سلام. خداحافظ.", &mut seg);
    /// assert_eq!(seg.sentences().len(), 2);
    /// ```
    pub fn segment_into(&self, text: &str, out: &mut Segmentation) {
        out.paragraphs.clear();
        out.sentences.clear();
        out.fine.clear();
        split_paragraphs(text, self.line_breaks, &mut out.paragraphs);
        for (index, paragraph) in out.paragraphs.iter().enumerate() {
            split_sentences(
                text,
                paragraph.clone(),
                index,
                &mut out.scratch,
                &mut out.sentences,
                &mut out.fine,
            );
        }
    }
}

/// Paragraphs and sentences of one text, as byte ranges into it.
///
/// ```
/// let text = "تيتر\nجملة أولى. جملة ثانية.";
/// let seg = naql::segment::Segmentation::new(text);
/// assert_eq!(seg.paragraphs(), &[0..8, 9..text.len()]);
/// assert_eq!(seg.sentences().len(), 3);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Segmentation {
    paragraphs: Vec<Range<usize>>,
    sentences: Vec<Sentence>,
    fine: Vec<Sentence>,
    scratch: Scratch,
}

impl Segmentation {
    /// Segments `text` with the default [`Segmenter`].
    ///
    /// ```
    /// let seg = naql::segment::Segmentation::new("One.\n\nTwo.");
    /// assert_eq!(seg.paragraphs().len(), 2);
    /// ```
    pub fn new(text: &str) -> Self {
        Segmenter::new().segment(text)
    }

    /// Paragraph byte ranges, in text order.
    ///
    /// ```
    /// let seg = naql::segment::Segmentation::new("a\n\u{a0}\nb");
    /// assert_eq!(seg.paragraphs(), &[0..1, 5..6]);
    /// ```
    pub fn paragraphs(&self) -> &[Range<usize>] {
        &self.paragraphs
    }

    /// Sentences that keep a quotation whole: the level for quote attribution (see the
    /// [module docs](self)).
    ///
    /// ```
    /// let text = "She said: \"We talk. We wait.\" Then she left.";
    /// let seg = naql::segment::Segmentation::new(text);
    /// let first = &seg.sentences()[0];
    /// assert_eq!(&text[first.range.clone()], "She said: \"We talk. We wait.\"");
    /// ```
    pub fn sentences(&self) -> &[Sentence] {
        &self.sentences
    }

    /// Sentences split at every sentence end, inside quotations too.
    ///
    /// ```
    /// let text = "She said: \"We talk. We wait.\" Then she left.";
    /// let seg = naql::segment::Segmentation::new(text);
    /// assert_eq!(seg.fine_sentences().len(), 3);
    /// ```
    pub fn fine_sentences(&self) -> &[Sentence] {
        &self.fine
    }

    /// Index of the sentence holding `byte_offset`, or of the last sentence starting
    /// before it when the offset is between sentences; 0 before the first sentence and
    /// when there is none (check [`sentences`](Self::sentences) for that).
    ///
    /// ```
    /// let text = "One. Two.";
    /// let seg = naql::segment::Segmentation::new(text);
    /// assert_eq!(seg.sentence_index_at(text.find("Two").unwrap()), 1);
    /// assert_eq!(seg.sentence_index_at(4), 0); // the space between them
    /// ```
    pub fn sentence_index_at(&self, byte_offset: usize) -> usize {
        self.sentences
            .partition_point(|s| s.range.start <= byte_offset)
            .saturating_sub(1)
    }

    /// Like [`sentence_index_at`](Self::sentence_index_at), over
    /// [`fine_sentences`](Self::fine_sentences).
    ///
    /// ```
    /// let text = "«Un. Deux.» Trois.";
    /// let seg = naql::segment::Segmentation::new(text);
    /// assert_eq!(seg.fine_sentence_index_at(text.find("Deux").unwrap()), 1);
    /// assert_eq!(seg.sentence_index_at(text.find("Deux").unwrap()), 0);
    /// ```
    pub fn fine_sentence_index_at(&self, byte_offset: usize) -> usize {
        self.fine
            .partition_point(|s| s.range.start <= byte_offset)
            .saturating_sub(1)
    }

    /// Index of the paragraph holding `byte_offset`, with the same convention as
    /// [`sentence_index_at`](Self::sentence_index_at).
    ///
    /// ```
    /// let seg = naql::segment::Segmentation::new("a\n\nb");
    /// assert_eq!(seg.paragraph_index_at(3), 1);
    /// ```
    pub fn paragraph_index_at(&self, byte_offset: usize) -> usize {
        self.paragraphs
            .partition_point(|p| p.start <= byte_offset)
            .saturating_sub(1)
    }
}

/// Buffers reused from one paragraph and one document to the next.
#[derive(Debug, Clone, Default)]
struct Scratch {
    /// Candidate sentence ends (byte offsets), ascending.
    breaks: Vec<usize>,
    /// Quotations closed in this paragraph: (offset of opening mark, end of closing mark).
    quotations: Vec<(usize, usize)>,
    /// Open quotation marks: (kind, offset).
    open: Vec<(Quote, usize)>,
}

/// Kinds of quotation marks; a closing mark closes an opening mark of its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    /// « »
    Guillemet,
    /// ‹ ›
    SingleGuillemet,
    /// “ ” and „ ”
    Curly,
    /// " "
    Ascii,
}

/// How far below the top of the stack a closing mark looks for its opening mark; keeps
/// unbalanced input linear.
const QUOTE_SEARCH_DEPTH: usize = 4;

/// True for characters whose key is a space or nothing: spaces, NBSP, ZWNJ, controls.
fn is_blank(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_whitespace() || c == '\u{0B}';
    }
    matches!(fold_char(c), Fold::Space | Fold::Delete)
}

fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(s) = text.get(range.clone()) else {
        return range.start..range.start;
    };
    let t = s.trim_start_matches(is_blank);
    let start = range.end - t.len();
    start..start + t.trim_end_matches(is_blank).len()
}

fn split_paragraphs(text: &str, mode: LineBreaks, out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let mut pending: Option<Range<usize>> = None;
    let mut line = |range: Range<usize>, hard: bool, out: &mut Vec<Range<usize>>| {
        let r = trim(text, range);
        match mode {
            LineBreaks::Paragraph => {
                if !r.is_empty() {
                    out.push(r);
                }
            }
            LineBreaks::Wrap => {
                if r.is_empty() {
                    out.extend(pending.take());
                } else {
                    pending = Some(match pending.take() {
                        Some(p) => p.start..r.end,
                        None => r,
                    });
                }
                if hard {
                    out.extend(pending.take());
                }
            }
        }
    };
    let mut line_start = 0;
    let mut i = 0;
    while let Some(skip) = crate::scan::find_any(&bytes[i..], LINE_BREAK_START) {
        i += skip;
        let (len, hard) = match bytes[i] {
            b'\n' => (1, false),
            b'\r' => (
                if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                },
                false,
            ),
            0xC2 if bytes.get(i + 1) == Some(&0x85) => (2, false),
            0xE2 if bytes.get(i + 1) == Some(&0x80) => match bytes.get(i + 2) {
                Some(0xA8) => (3, false),
                Some(0xA9) => (3, true),
                _ => {
                    i += 1;
                    continue;
                }
            },
            _ => {
                i += 1;
                continue;
            }
        };
        line(line_start..i, hard, out);
        i += len;
        line_start = i;
    }
    line(line_start..bytes.len(), true, out);
}

/// Bytes that may belong to a terminator or a quotation mark. For `؟` (D8 9F) and `۔`
/// (DB 94) the second byte is listed: their first bytes lead half of all Arabic letters.
const INTERESTING: [u8; 8] = [
    b'.', b'!', b'?', b'"', 0xC2, // « »
    0x9F, // ؟
    0x94, // ۔
    0xE2, // “ ” „ ‹ › …
];

/// Bytes that may start a line break: LF, CR, U+0085 (C2 85), U+2028, U+2029 (E2 80 A8/A9).
const LINE_BREAK_START: [u8; 4] = [b'\n', b'\r', 0xC2, 0xE2];

/// What an interesting byte starts.
enum Event {
    Terminator,
    Open(Quote, usize),
    Close(Quote, usize),
    AsciiQuote,
    Nothing,
}

fn event_at(bytes: &[u8], i: usize) -> Event {
    let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match bytes[i] {
        b'.' | b'!' | b'?' => Event::Terminator,
        b'"' => Event::AsciiQuote,
        0xC2 => match next(1) {
            0xAB => Event::Open(Quote::Guillemet, 2),
            0xBB => Event::Close(Quote::Guillemet, 2),
            _ => Event::Nothing,
        },
        0xD8 if next(1) == 0x9F => Event::Terminator,
        0xDB if next(1) == 0x94 => Event::Terminator,
        0xE2 if next(1) == 0x80 => match next(2) {
            0x9C | 0x9E => Event::Open(Quote::Curly, 3),
            0x9D => Event::Close(Quote::Curly, 3),
            0xB9 => Event::Open(Quote::SingleGuillemet, 3),
            0xBA => Event::Close(Quote::SingleGuillemet, 3),
            0xA6 => Event::Terminator,
            _ => Event::Nothing,
        },
        _ => Event::Nothing,
    }
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '۔' | '…')
}

fn is_opening(c: char) -> bool {
    matches!(c, '«' | '“' | '„' | '‹' | '"' | '(' | '[')
}

/// Character classes for word and initial tests: from a table for the first 2,048
/// characters, else from the Unicode properties (whose lookups are slow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    /// Combining marks, and tatweel (a letter by category, but no letter of its own).
    Mark,
    Digit,
    Other,
}

/// Characters below this (one or two UTF-8 bytes: Latin, Greek, Cyrillic, Hebrew,
/// Arabic script) have their class read from a table.
const TABLE_CHARS: usize = 0x800;

#[inline]
fn class(c: char) -> Class {
    match class_table().get(c as usize) {
        Some(&class) => class,
        None => class_of(c),
    }
}

/// The classes of the first [`TABLE_CHARS`] characters.
#[inline]
fn class_table() -> &'static [Class; TABLE_CHARS] {
    static TABLE: LazyLock<[Class; TABLE_CHARS]> = LazyLock::new(|| {
        std::array::from_fn(|cp| char::from_u32(cp as u32).map_or(Class::Other, class_of))
    });
    &TABLE
}

/// [`is_word_internal`] for the characters of a whole text in turn: the table is
/// fetched once, and characters are given as scalar values decoded by the caller.
#[derive(Clone, Copy)]
pub(crate) struct WordInternal(&'static [Class; TABLE_CHARS]);

impl WordInternal {
    pub(crate) fn new() -> WordInternal {
        WordInternal(class_table())
    }

    /// Whether the character with scalar value `cp` is inside a word.
    #[inline]
    pub(crate) fn test(self, cp: u32) -> bool {
        match self.0.get(cp as usize) {
            // No joiner is below the table's end.
            Some(&class) => class != Class::Other,
            None => char::from_u32(cp).is_some_and(is_word_internal),
        }
    }
}

/// The class of a character, from the Unicode tables (what [`class`] keeps in a table
/// for the first characters).
fn class_of(c: char) -> Class {
    let cp = c as u32;
    if cp < 0x80 {
        return match c {
            'a'..='z' | 'A'..='Z' => Class::Letter,
            '0'..='9' => Class::Digit,
            _ => Class::Other,
        };
    }
    if (0x0600..=0x06FF).contains(&cp) {
        return match cp {
            0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x0640 => Class::Mark,
            0x06DD | 0x06DE | 0x06E9 => Class::Other,
            0x06D6..=0x06ED => Class::Mark,
            0x0660..=0x0669 | 0x06F0..=0x06F9 => Class::Digit,
            0x0620..=0x064A | 0x066E | 0x066F | 0x0671..=0x06D3 | 0x06D5 | 0x06EE | 0x06EF => {
                Class::Letter
            }
            0x06FA..=0x06FC | 0x06FF => Class::Letter,
            _ => Class::Other,
        };
    }
    if unicode_normalization::char::is_combining_mark(c) {
        Class::Mark
    } else if c.is_alphabetic() {
        Class::Letter
    } else if c.is_numeric() {
        Class::Digit
    } else {
        Class::Other
    }
}

/// Which characters of the Arabic block (U+0600 to U+06FF) are Alphabetic and which are
/// numeric for the standard library, a bit per code point (a unit test checks every
/// one). The library answers outside ASCII by searching its Unicode tables, some 300
/// instructions a character; these are the characters of the texts naql reads.
const ARABIC_ALPHABETIC: [u64; 4] = [
    0xFFFF_FFFF_07FF_0000,
    0xFFFF_C000_FEFF_FFFF,
    0xFFFF_FFFF_FFFF_FFFF,
    0x9C00_E1FE_1FEF_FFFF,
];
const ARABIC_NUMERIC: [u64; 4] = [0, 0x0000_03FF_0000_0000, 0, 0x03FF_0000_0000_0000];

/// The bit of `c` in `table` when `c` is in the Arabic block.
#[inline]
fn arabic_block_bit(table: &[u64; 4], c: char) -> Option<bool> {
    let i = (c as u32).wrapping_sub(0x600);
    (i < 0x100).then(|| table[(i / 64) as usize] >> (i % 64) & 1 == 1)
}

/// [`char::is_alphabetic`], without the table search for ASCII and the Arabic block.
#[inline]
pub(crate) fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    arabic_block_bit(&ARABIC_ALPHABETIC, c).unwrap_or_else(|| c.is_alphabetic())
}

/// [`char::is_numeric`], without the table search for ASCII and the Arabic block.
#[inline]
pub(crate) fn is_numeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    arabic_block_bit(&ARABIC_NUMERIC, c).unwrap_or_else(|| c.is_numeric())
}

/// [`char::is_alphanumeric`], without the table search for ASCII and the Arabic block.
#[inline]
pub(crate) fn is_alphanumeric(c: char) -> bool {
    is_alphabetic(c) || is_numeric(c)
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFE)
        && class(c) == Class::Letter
}

/// [`char::is_lowercase`], without its search of Unicode's tables for the letters of
/// the Arabic block (none of which is cased), which most sentences after a full stop
/// in Persian and Arabic text begin with.
fn is_lowercase(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_lowercase(),
        0x0600..=0x06FF => false,
        _ => c.is_lowercase(),
    }
}

fn is_word_char(c: char) -> bool {
    class(c) != Class::Other
}

/// Length of the longest entry of `abbreviations.txt` (checked by a unit test).
const LONGEST_ABBREVIATION: usize = 6;

fn is_abbreviation(word: &str) -> bool {
    // The entries lowercased, read from the file once: going through its lines for every
    // full stop after a short English word cost some 1,500 instructions each.
    static ENTRIES: LazyLock<rustc_hash::FxHashSet<String>> = LazyLock::new(|| {
        ABBREVIATIONS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(str::to_ascii_lowercase)
            .collect()
    });
    if word.len() > LONGEST_ABBREVIATION || !word.is_ascii() {
        return false;
    }
    let mut lower = [0u8; LONGEST_ABBREVIATION];
    let lower = &mut lower[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).is_ok_and(|w| ENTRIES.contains(w))
}

impl Scratch {
    fn has_open_ascii(&self) -> bool {
        self.open
            .iter()
            .rev()
            .take(QUOTE_SEARCH_DEPTH)
            .any(|&(q, _)| q == Quote::Ascii)
    }

    /// A closing mark of `kind` ending at `end`: records the quotation if its opening
    /// mark is near the top of the stack, otherwise ignores the mark.
    fn close(&mut self, kind: Quote, end: usize) {
        let depth = self.open.len();
        let found = self
            .open
            .iter()
            .rev()
            .take(QUOTE_SEARCH_DEPTH)
            .position(|&(q, _)| q == kind);
        if let Some(from_top) = found {
            let index = depth - 1 - from_top;
            let start = self.open[index].1;
            self.open.truncate(index);
            self.quotations.push((start, end));
        }
    }
}

/// Finds sentence ends in one paragraph and appends both levels of sentences.
fn split_sentences(
    text: &str,
    paragraph: Range<usize>,
    index: usize,
    scratch: &mut Scratch,
    units: &mut Vec<Sentence>,
    fine: &mut Vec<Sentence>,
) {
    scratch.breaks.clear();
    scratch.quotations.clear();
    scratch.open.clear();
    let bytes = text.as_bytes();
    let (ps, pe) = (paragraph.start, paragraph.end);
    let mut i = ps;
    while let Some(skip) = crate::scan::find_any(&bytes[i..pe], INTERESTING) {
        i += skip;
        let event = match bytes[i] {
            0x9F | 0x94 => {
                if i > ps && matches!((bytes[i - 1], bytes[i]), (0xD8, 0x9F) | (0xDB, 0x94)) {
                    i -= 1;
                    Event::Terminator
                } else {
                    Event::Nothing
                }
            }
            _ => event_at(bytes, i),
        };
        match event {
            Event::Nothing => i += 1,
            Event::Open(kind, len) => {
                scratch.open.push((kind, i));
                i += len;
            }
            Event::Close(kind, len) => {
                scratch.close(kind, i + len);
                i += len;
            }
            Event::AsciiQuote => {
                if scratch.has_open_ascii() {
                    scratch.close(Quote::Ascii, i + 1);
                } else {
                    scratch.open.push((Quote::Ascii, i));
                }
                i += 1;
            }
            Event::Terminator => {
                let (run_end, run) = terminator_run(text, i, pe);
                let after = absorb_closers(text, run_end, pe, scratch);
                if ends_sentence(text, ps, pe, i, after, run) {
                    scratch.breaks.push(after);
                }
                i = after;
            }
        }
    }
    emit_sentences(text, ps, pe, index, scratch, units, fine);
}

/// The end of the run of terminators starting at `start`, and the run.
fn terminator_run(text: &str, start: usize, end: usize) -> (usize, &str) {
    let run = text.get(start..end).unwrap_or("");
    let len: usize = run
        .chars()
        .take_while(|&c| is_terminator(c))
        .map(char::len_utf8)
        .sum();
    (start + len, &run[..len])
}

/// Skips the closing quotes and brackets right after a terminator run, closing
/// quotations on the way; returns the sentence end.
fn absorb_closers(text: &str, mut at: usize, end: usize, scratch: &mut Scratch) -> usize {
    while let Some(c) = text.get(at..end).and_then(|s| s.chars().next()) {
        let len = c.len_utf8();
        match c {
            '»' => scratch.close(Quote::Guillemet, at + len),
            '›' => scratch.close(Quote::SingleGuillemet, at + len),
            '”' => scratch.close(Quote::Curly, at + len),
            '"' if scratch.has_open_ascii() => scratch.close(Quote::Ascii, at + len),
            ')' | ']' | '’' | '\'' => {}
            _ => break,
        }
        at += len;
    }
    at
}

/// Whether the terminator run at `run_start`, with its closers ending at `after`, ends
/// a sentence of the paragraph `ps..pe` (rules in the module docs).
fn ends_sentence(
    text: &str,
    ps: usize,
    pe: usize,
    run_start: usize,
    after: usize,
    run: &str,
) -> bool {
    // The Arabic headline pause: "بعد إصابة جنديين.. أذربيجان تعلن ...".
    if run == ".." {
        return false;
    }
    let rest = text.get(after..pe).unwrap_or("");
    if let Some(next) = rest.chars().next() {
        if !(is_blank(next) || is_opening(next) || is_arabic_letter(next)) {
            return false;
        }
    }
    if let Some(visible) = rest.chars().find(|&c| !is_blank(c) && !is_opening(c)) {
        if is_lowercase(visible) {
            return false;
        }
    }
    if run != "." {
        return true;
    }
    let before = text.get(ps..run_start).unwrap_or("");
    // The word before the full stop, its letters and digits, in one pass back.
    let (mut word_len, mut letters, mut digits) = (0, 0, 0);
    for c in before.chars().rev() {
        match class(c) {
            Class::Other => break,
            Class::Letter => letters += 1,
            Class::Digit => digits += 1,
            Class::Mark => {}
        }
        word_len += c.len_utf8();
    }
    let word = &before[before.len() - word_len..];
    if word.is_empty() {
        return true;
    }
    if letters == 1 && digits == 0 {
        return false;
    }
    if letters == 0 && word_len == before.len() {
        return false;
    }
    !is_abbreviation(word)
}

fn push_trimmed(text: &str, range: Range<usize>, paragraph: usize, out: &mut Vec<Sentence>) {
    let range = trim(text, range);
    if !range.is_empty() {
        out.push(Sentence { range, paragraph });
    }
}

/// Turns the breaks of a paragraph into sentences of both levels.
fn emit_sentences(
    text: &str,
    ps: usize,
    pe: usize,
    paragraph: usize,
    scratch: &mut Scratch,
    units: &mut Vec<Sentence>,
    fine: &mut Vec<Sentence>,
) {
    // Closed quotations as disjoint ranges, sorted.
    let quotations = &mut scratch.quotations;
    quotations.sort_unstable();
    let mut merged = 0;
    for k in 0..quotations.len() {
        let q = quotations[k];
        if merged > 0 && q.0 < quotations[merged - 1].1 {
            let last = &mut quotations[merged - 1];
            last.1 = last.1.max(q.1);
        } else {
            quotations[merged] = q;
            merged += 1;
        }
    }
    quotations.truncate(merged);

    let (mut fine_start, mut unit_start, mut q) = (ps, ps, 0);
    for &b in &scratch.breaks {
        push_trimmed(text, fine_start..b, paragraph, fine);
        fine_start = b;
        while q < quotations.len() && quotations[q].1 <= b {
            q += 1;
        }
        let inside_quote = q < quotations.len() && quotations[q].0 < b;
        if !inside_quote {
            push_trimmed(text, unit_start..b, paragraph, units);
            unit_start = b;
        }
    }
    push_trimmed(text, fine_start..pe, paragraph, fine);
    push_trimmed(text, unit_start..pe, paragraph, units);
}

/// The words of `text` with their byte offsets: Unicode words (UAX #29) that contain a
/// letter or digit, split again at `،` `؛` `؟`. A ZWNJ stays inside its word.
///
/// ```
/// let words: Vec<(usize, &str)> = naql::segment::words("قره‌باغ، مسکو").collect();
/// assert_eq!(words, [(0, "قره‌باغ"), (18, "مسکو")]);
/// ```
pub fn words(text: &str) -> Words<'_> {
    // Read as plain text until a character that is not (see [`Words::next`]): the
    // callers mostly want the first words of a long text.
    Words {
        inner: None,
        rest: None,
        plain: Some((text, 0)),
        base: 0,
    }
}

/// How a character of text split without the Unicode tables counts (see
/// [`plain_class`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plain {
    /// A letter or digit.
    Word,
    /// ZWNJ or a harakat mark (Word_Break Extend): part of the word it follows, and
    /// of no word after a separator.
    Joiner,
    /// Space, line feed and punctuation of Word_Break Other: never inside a word.
    Separator,
}

/// The characters for which UAX #29 words are simply the runs of letters and digits
/// (with the joiners after them) between separators, and how each counts; `None` for
/// the others. Letters: ASCII, the Arabic and Persian letters (Word_Break ALetter);
/// digits: ASCII, Arabic-Indic and Persian (Numeric). Letters and digits never break
/// between each other, a separator always breaks, and an Extend character sticks to
/// the character before it. Left out are the characters the rules join letters or
/// digits across (`.` `,` `'` and the like), but for `:` (which joins letters) and `،`
/// (digits, and [`words`] splits again at it): each is a separator before a space, a
/// line feed or the text's end, where nothing follows for the rules to join it to;
/// before anything else [`plain_at`] leaves the text to the Unicode rules.
///
/// [`Words`] tells these apart by their first bytes ([`plain_at`], which the tests
/// hold to this list).
#[cfg(test)]
fn plain_class(c: char) -> Option<Plain> {
    match c {
        'a'..='z'
        | 'A'..='Z'
        | '0'..='9'
        | '\u{0621}'..='\u{063A}'
        | '\u{0641}'..='\u{064A}'
        | '\u{0660}'..='\u{0669}'
        | '\u{06F0}'..='\u{06F9}'
        | '\u{067E}'
        | '\u{0686}'
        | '\u{0698}'
        | '\u{06A9}'
        | '\u{06AF}'
        | '\u{06CC}' => Some(Plain::Word),
        '\u{200C}' | '\u{064B}'..='\u{0652}' => Some(Plain::Joiner),
        ' ' | '\n' | '(' | ')' | '!' | '"' | '-' | '/' | '«' | '»' | '“' | '”' | '؟' | '؛'
        | ':' | '،' => Some(Plain::Separator),
        _ => None,
    }
}

/// The [`plain_class`] and UTF-8 length of the character at byte `i` of `bytes` (a
/// character start of valid UTF-8), told apart by its first bytes; `None` for a
/// character that is not plain.
#[inline]
fn plain_at(bytes: &[u8], i: usize) -> Option<(Plain, usize)> {
    let second = || bytes.get(i + 1).copied().unwrap_or(0);
    // `:` and `،` before a space, a line feed or the end (see [`plain_class`]).
    let before_space = |len: usize| matches!(bytes.get(i + len), None | Some(b' ' | b'\n'));
    Some(match bytes[i] {
        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (Plain::Word, 1),
        b' ' | b'\n' | b'(' | b')' | b'!' | b'"' | b'-' | b'/' => (Plain::Separator, 1),
        b':' if before_space(1) => (Plain::Separator, 1),
        // « »
        0xC2 if matches!(second(), 0xAB | 0xBB) => (Plain::Separator, 2),
        // ZWNJ, “ ”
        0xE2 => match bytes.get(i + 1..i + 3) {
            Some([0x80, 0x8C]) => (Plain::Joiner, 3),
            Some([0x80, 0x9C | 0x9D]) => (Plain::Separator, 3),
            _ => return None,
        },
        // ، ؛ ؟, then U+0621 to U+063A
        0xD8 => match second() {
            0x8C if before_space(2) => (Plain::Separator, 2),
            0x9B | 0x9F => (Plain::Separator, 2),
            0xA1..=0xBA => (Plain::Word, 2),
            _ => return None,
        },
        0xD9 => match second() {
            // U+0641 to U+064A, U+0660 to U+0669, پ
            0x81..=0x8A | 0xA0..=0xA9 | 0xBE => (Plain::Word, 2),
            // U+064B to U+0652
            0x8B..=0x92 => (Plain::Joiner, 2),
            _ => return None,
        },
        // چ ژ ک گ
        0xDA if matches!(second(), 0x86 | 0x98 | 0xA9 | 0xAF) => (Plain::Word, 2),
        // ی, U+06F0 to U+06F9
        0xDB if matches!(second(), 0x8C | 0xB0..=0xB9) => (Plain::Word, 2),
        _ => return None,
    })
}

/// Iterator returned by [`words`].
///
/// ```
/// let mut w = naql::segment::words("One two");
/// assert_eq!(w.next(), Some((0, "One")));
/// ```
#[derive(Debug)]
pub struct Words<'a> {
    inner: Option<UnicodeWordIndices<'a>>,
    rest: Option<(usize, &'a str)>,
    /// The text while it has been plain characters only (see [`plain_at`]), and where
    /// the next word may start.
    plain: Option<(&'a str, usize)>,
    /// Where in the text `inner` starts: the Unicode rules take over from where the
    /// plain reading was when it met another character.
    base: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some((text, at)) = &mut self.plain {
            let bytes = text.as_bytes();
            let mut start = None;
            let mut i = *at;
            while i < bytes.len() {
                let Some((class, len)) = plain_at(bytes, i) else {
                    // From the separator that ended the last word (or the start), where
                    // the Unicode rules break too and look no further back.
                    self.base = *at;
                    self.inner = Some(text[*at..].unicode_word_indices());
                    self.plain = None;
                    return self.next();
                };
                match class {
                    Plain::Word if start.is_none() => start = Some(i),
                    Plain::Separator => {
                        if let Some(start) = start {
                            *at = i;
                            return Some((start, &text[start..i]));
                        }
                    }
                    _ => {}
                }
                i += len;
            }
            *at = text.len();
            return start.map(|start| (start, &text[start..]));
        }
        loop {
            let Some((offset, word)) = self.rest.take() else {
                let (offset, word) = self.inner.as_mut()?.next()?;
                self.rest = Some((self.base + offset, word));
                continue;
            };
            // A piece left after splitting at a separator may hold no letter or digit
            // (۳،٫): it is not a word.
            if !word
                .chars()
                .any(|c| matches!(class(c), Class::Letter | Class::Digit))
            {
                continue;
            }
            let Some(sep) = word.find(['،', '؛', '؟']) else {
                return Some((offset, word));
            };
            let tail_start = sep + 2; // all three separators are two bytes long
            if tail_start < word.len() {
                self.rest = Some((offset + tail_start, &word[tail_start..]));
            }
            let head = &word[..sep];
            if head
                .chars()
                .any(|c| matches!(class(c), Class::Letter | Class::Digit))
            {
                return Some((offset, head));
            }
        }
    }
}

/// True for characters inside a word for [`is_word_boundary`]: letters, marks, digits,
/// ZWNJ and ZWJ.
pub(crate) fn is_word_internal(c: char) -> bool {
    c == '\u{200C}' || c == '\u{200D}' || is_word_char(c)
}

/// Whether a word may start or end at byte `offset` of `text`: true at the text's ends
/// and between two characters unless both are word-internal (letters, marks, digits,
/// ZWNJ, ZWJ). False when `offset` is not a character boundary. Reads only the two
/// characters around `offset`.
///
/// Works on the key as on the original. In the key a ZWNJ is already a space, so the
/// parts of `قره‌باغ` are separate words there (`قره باغ`, like the spaced spelling),
/// while a glued `قرهباغ` is one word: the gazetteer's glued variants cover it. An
/// apostrophe is a boundary, so `Putin` is a whole word in `Putin's`.
///
/// ```
/// use naql::segment::is_word_boundary;
///
/// let key = "قره باغ قرهباغ";
/// assert!(is_word_boundary(key, 0));
/// assert!(is_word_boundary(key, "قره".len()));
/// assert!(!is_word_boundary(key, "قره باغ قره".len()));
/// assert!(is_word_boundary(key, key.len()));
/// assert!(!is_word_boundary("قره\u{200C}باغ", "قره".len()));
/// assert!(is_word_boundary("putin's", 5));
/// ```
pub fn is_word_boundary(text: &str, offset: usize) -> bool {
    if !text.is_char_boundary(offset) {
        return false;
    }
    let before = text[..offset].chars().next_back();
    let after = text[offset..].chars().next();
    match (before, after) {
        (Some(a), Some(b)) => !(is_word_internal(a) && is_word_internal(b)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words by the Unicode tables alone, as for text with other characters.
    fn uax29_words(text: &str) -> Vec<(usize, &str)> {
        Words {
            inner: Some(text.unicode_word_indices()),
            rest: None,
            plain: None,
            base: 0,
        }
        .collect()
    }

    proptest::proptest! {
        #[test]
        fn plain_text_words_are_the_unicode_words(
            text in "[a-zA-Z0-9 \\n()!\"/«»“”:،؟؛\\-\\x{200C}\\x{064B}-\\x{0652}\\x{0621}-\\x{063A}\\x{0641}-\\x{064A}\\x{0660}-\\x{0669}\\x{06F0}-\\x{06F9}\\x{067E}\\x{0686}\\x{0698}\\x{06A9}\\x{06AF}\\x{06CC}]{0,40}"
        ) {
            proptest::prop_assert!(text.chars().all(|c| plain_class(c).is_some()));
            proptest::prop_assert_eq!(words(&text).collect::<Vec<_>>(), uax29_words(&text));
        }

        /// Joiners and separators where they matter most: at the text's start, after
        /// separators, between and after letters and digits.
        #[test]
        fn joiners_and_separators_split_as_the_unicode_rules_do(
            text in "[a ب۳\\x{200C}\\x{064E}«؛\\n]{0,16}"
        ) {
            proptest::prop_assert_eq!(words(&text).collect::<Vec<_>>(), uax29_words(&text));
        }

        /// The first bytes tell the plain characters apart as [`plain_class`] does.
        #[test]
        fn plain_classes_read_from_bytes(c in proptest::char::any()) {
            if let Some(class) = plain_class(c) {
                let mut buf = [0; 4];
                let bytes = c.encode_utf8(&mut buf).as_bytes();
                proptest::prop_assert_eq!(plain_at(bytes, 0), Some((class, bytes.len())));
            } else {
                let mut buf = [0; 4];
                proptest::prop_assert_eq!(plain_at(c.encode_utf8(&mut buf).as_bytes(), 0), None);
            }
        }

        /// Text with characters the plain reading leaves to the Unicode rules, among
        /// plain ones: the words are the Unicode rules' from the start.
        #[test]
        fn mixed_text_splits_as_the_unicode_rules_do(
            text in "[a ب۳.,:'،؛“”\"\\x{05D0}\\x{200C}\\x{200F}\\x{064E}\\x{0640}«\n]{0,24}"
        ) {
            proptest::prop_assert_eq!(words(&text).collect::<Vec<_>>(), uax29_words(&text));
        }
    }

    #[test]
    fn letter_and_digit_tests_agree_with_the_standard_library() {
        let mut differ = Vec::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let ours = (is_alphabetic(c), is_numeric(c), is_alphanumeric(c));
            let std = (c.is_alphabetic(), c.is_numeric(), c.is_alphanumeric());
            if ours != std {
                differ.push(c);
            }
        }
        assert_eq!(differ, []);
        // Spot checks of the Arabic block: a letter, a harakat mark (Alphabetic in
        // Unicode), a Persian digit, punctuation.
        assert!(is_alphabetic('پ') && is_alphabetic('\u{064E}') && !is_numeric('پ'));
        assert!(is_numeric('۴') && !is_alphabetic('۴'));
        assert!(!is_alphanumeric('،') && !is_alphanumeric('؟'));
    }

    #[test]
    fn lowercase_is_unicode_lowercase_for_every_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_lowercase(c), c.is_lowercase(), "{c:?}");
        }
    }

    #[test]
    fn every_plain_character_reads_its_class_from_bytes() {
        for c in (0..=0x2FFF).filter_map(char::from_u32) {
            if let Some(class) = plain_class(c) {
                let mut buf = [0; 4];
                let bytes = c.encode_utf8(&mut buf).as_bytes();
                assert_eq!(plain_at(bytes, 0), Some((class, bytes.len())), "{c:?}");
            } else {
                let mut buf = [0; 4];
                assert_eq!(
                    plain_at(c.encode_utf8(&mut buf).as_bytes(), 0),
                    None,
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn plain_and_other_text_split_alike() {
        for text in [
            "  روسيا  و ایران 12 ab3 ۱۲۳ ",
            "وزیر امور خارجه",
            "",
            "   ",
            "«قره‌باغ» (مسکو)",
            "\u{200C}می‌گوید\u{200C} مُحمّد",
        ] {
            assert!(text.chars().all(|c| plain_class(c).is_some()));
            assert_eq!(words(text).collect::<Vec<_>>(), uax29_words(text));
        }
        assert_eq!(
            words("«قره‌باغ» (مسکو)").collect::<Vec<_>>(),
            [(2, "قره‌باغ"), (21, "مسکو")]
        );
        // Not plain: `.` joins letters, `,` digits; they go through the Unicode rules,
        // as `:` and `،` do before a letter or digit.
        assert!(plain_class('.').is_none() && plain_class(',').is_none());
        for text in [
            "ab:cd",
            "۱۲،۳۴",
            "۱۲،\u{200C}۳۴",
            "ab: cd",
            "۱۲، ۳۴",
            "a،",
            "“a” b",
        ] {
            assert_eq!(words(text).collect::<Vec<_>>(), uax29_words(text), "{text}");
        }
        assert_eq!(words("ab:cd").collect::<Vec<_>>(), [(0, "ab:cd")]);
        assert_eq!(
            words("U.S. said").collect::<Vec<_>>(),
            [(0, "U.S"), (5, "said")]
        );
    }

    fn sentences(text: &str) -> Vec<&str> {
        Segmentation::new(text)
            .sentences()
            .iter()
            .map(|s| &text[s.range.clone()])
            .collect()
    }

    fn fine(text: &str) -> Vec<&str> {
        Segmentation::new(text)
            .fine_sentences()
            .iter()
            .map(|s| &text[s.range.clone()])
            .collect()
    }

    #[test]
    fn abbreviations_file_is_clean() {
        for line in ABBREVIATIONS.lines().filter(|l| !l.starts_with('#')) {
            assert!(
                !line.is_empty() && line == line.trim() && !line.contains('.'),
                "{line:?}"
            );
            assert!(
                line.is_ascii() && line.len() <= LONGEST_ABBREVIATION,
                "{line:?}"
            );
        }
        assert!(is_abbreviation("Dr"));
        assert!(!is_abbreviation("etc"));
    }

    #[test]
    fn every_abbreviation_is_known_in_any_case() {
        for line in ABBREVIATIONS.lines().filter(|l| !l.starts_with('#')) {
            assert!(is_abbreviation(line), "{line:?}");
            assert!(is_abbreviation(&line.to_ascii_uppercase()), "{line:?}");
            // A letter more is another word.
            assert!(!is_abbreviation(&format!("{line}x")), "{line:?}x");
        }
        assert!(!is_abbreviation(""));
        assert!(!is_abbreviation("دکتر"));
    }

    #[test]
    fn terminators_and_runs() {
        assert_eq!(sentences("چرا؟! نمی‌دانم."), ["چرا؟!", "نمی‌دانم."]);
        assert_eq!(sentences("Wait... What?"), ["Wait...", "What?"]);
        assert_eq!(
            sentences("بعد إصابة جنديين.. أذربيجان تعلن"),
            ["بعد إصابة جنديين.. أذربيجان تعلن"]
        );
        assert_eq!(sentences("کیا ہوا۔ ٹھیک ہے۔"), ["کیا ہوا۔", "ٹھیک ہے۔"]);
        assert_eq!(
            sentences("رخ داده است.پس از آن"),
            ["رخ داده است.", "پس از آن"]
        );
        assert_eq!(sentences("کشته شدند./ فارس"), ["کشته شدند./ فارس"]);
    }

    #[test]
    fn no_end_inside_numbers_abbreviations_initials() {
        assert_eq!(sentences("زلزله ۳.۵ ریشتر بود."), ["زلزله ۳.۵ ریشتر بود."]);
        assert_eq!(sentences("It was 3.5 points."), ["It was 3.5 points."]);
        assert_eq!(
            sentences("قال د. محمد إن الوضع هادئ."),
            ["قال د. محمد إن الوضع هادئ."]
        );
        assert_eq!(
            sentences("ولد عام ١٩٥٠ م. في القاهرة."),
            ["ولد عام ١٩٥٠ م. في القاهرة."]
        );
        assert_eq!(
            sentences("J. D. Vance met Dr. Smith."),
            ["J. D. Vance met Dr. Smith."]
        );
        assert_eq!(
            sentences("The U.S. Army left. Then?"),
            ["The U.S. Army left.", "Then?"]
        );
        assert_eq!(
            sentences("About 5 approx. five."),
            ["About 5 approx. five."]
        );
        assert_eq!(sentences("1. First item"), ["1. First item"]);
        assert_eq!(
            sentences("It rose in 2023. Then it fell."),
            ["It rose in 2023.", "Then it fell."]
        );
    }

    #[test]
    fn quotes_two_levels() {
        let text = "گفت: «ما در تماس هستیم. بیانیه صادر خواهد شد». سپس رفت.";
        assert_eq!(
            sentences(text),
            ["گفت: «ما در تماس هستیم. بیانیه صادر خواهد شد».", "سپس رفت."]
        );
        assert_eq!(
            fine(text),
            [
                "گفت: «ما در تماس هستیم.",
                "بیانیه صادر خواهد شد».",
                "سپس رفت."
            ]
        );
        assert_eq!(
            sentences("“We talk. We wait.” She left."),
            ["“We talk. We wait.”", "She left."]
        );
        assert_eq!(
            sentences("\"Really?\" she asked. Yes."),
            ["\"Really?\" she asked.", "Yes."]
        );
    }

    #[test]
    fn unclosed_quote_does_not_swallow_paragraph() {
        assert_eq!(sentences("«One. Two. Three."), ["«One.", "Two.", "Three."]);
        assert_eq!(sentences("One.» Two."), ["One.»", "Two."]);
        assert_eq!(
            sentences("«aa «bb. Cc» dd. Ee."),
            ["«aa «bb. Cc» dd.", "Ee."]
        );
    }

    #[test]
    fn paragraphs_skip_blank_lines() {
        let text = "a\r\n\u{A0}\r\nb\u{2029}c\u{200C}\n\u{200F}\n";
        let seg = Segmentation::new(text);
        let paras: Vec<&str> = seg.paragraphs().iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(paras, ["a", "b", "c"]);
    }

    #[test]
    fn words_split_arabic_punctuation() {
        let w: Vec<&str> = words("1،2 الف؛ب چرا؟نه").map(|(_, w)| w).collect();
        assert_eq!(w, ["1", "2", "الف", "ب", "چرا", "نه"]);
    }

    #[test]
    fn word_boundary_off_char_boundary() {
        assert!(!is_word_boundary("با", 1));
        assert!(!is_word_boundary("ab", 9));
    }
}
