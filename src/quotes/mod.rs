//! Quotes and speakers: who said what.
//!
//! [`QuoteExtractor::extract`] finds, sentence by sentence:
//!
//! - **direct** statements: a quotation after a speech cue and a colon
//!   (`گفت: «...»`, `وقالت ...: “...”`), before a postposed cue
//!   (`"...," Zakharova said`), a paragraph that opens with « and continues the previous
//!   quote, or a long quotation of its own (attributed to the nearest speaker, with low
//!   confidence);
//! - **indirect** statements: a speech cue and its complement (`گفت که`, `أكد أن`,
//!   `said that`), or an "according to" form (`به گفته`, `وفقا ل`, `according to`); the
//!   span is the reported clause;
//! - **mixed**: an indirect statement holding a partial quotation;
//! - **headline** statements: `Speaker: statement` in headline lines and run-on headline
//!   lists (a paragraph without final punctuation). In a run-on list a statement ends at
//!   the first clause-final verb form (`final` in the cue lexicon), a `/`, or the end of
//!   the paragraph; its speaker is at most five words back to the previous such end.
//!
//! Quoted names and terms (three words or fewer, no sentence punctuation: «ریانووستی»,
//! «كاراباخ») are not statements, nor are page labels before a colon (`المصدر:`,
//! `کد خبر:`) or datelines naming a news outlet.
//!
//! The speaker of a cue is, in order: a person or organisation mention, a role phrase of
//! the gazetteers' `roles.tsv` (resolved to its holder on the document's date, or to the
//! current holder), a pronoun or role noun (`وی`, `المتحدثة`, `she`), resolved to the
//! most recent compatible speaker (Arabic verb gender must agree), in the subject place
//! for the language: after an Arabic verb-first cue, before a Persian (SOV) or English
//! cue, after an English postposed cue. With no subject, the statement goes to the most
//! recent compatible speaker (`dropped-subject`). A subject that is not in the
//! gazetteer still gives `speaker_text` (the noun phrase, or a capitalised name in
//! English); it is linked to an earlier speaker when its words match that speaker's
//! name closely (`الوزراة الأذربيجانية` after `وزارة الدفاع الأذربيجانية`).
//!
//! Sentences here are the segmenter's coarse sentences, which never end inside a
//! quotation, so a quote of several sentences is one statement.

pub mod lexicon;
pub mod marks;

use std::cell::RefCell;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::document::{CharCounter, Entity, Mention, Quote};
use crate::gazetteer::Gazetteer;
use crate::lang::Lang;
use crate::matcher::{Matcher, WalkStarts};
use crate::normalize::Key;
use crate::segment::{self, words, Segmentation};

use lexicon::{CueKind, Gender, HitKind, Lexicon, Refers};
use marks::{find_regions, QuoteRegion};

/// Finds statements and their speakers. Built once per run, shared across threads.
///
/// ```
/// use naql::gazetteer::{Gazetteer, GazetteerSource};
/// use naql::matcher::Matcher;
/// use naql::quotes::QuoteExtractor;
/// use naql::segment::Segmentation;
/// use naql::Lang;
/// let files: &'static [(&str, &str)] = &[
///     ("entities.tsv", "id\ttype\tlabel_en\nt:z\tPER\tMaria Zakharova\n"),
///     ("names.tsv", "id\tname\tlang\nt:z\tMaria Zakharova\ten\n"),
/// ];
/// let (gazetteer, _) = Gazetteer::load(&[GazetteerSource::Builtin { name: "t", files }]);
/// let matcher = Matcher::new(&gazetteer);
/// let extractor = QuoteExtractor::new(&gazetteer, &matcher);
/// let text = "Maria Zakharova said that Moscow was in contact with Baku.";
/// let key = naql::normalize::key(text);
/// let mentions = matcher.find(text, &key, None);
/// let quotes = extractor.extract(text, Lang::En, &key, &Segmentation::new(text), &mentions, None);
/// assert_eq!(quotes.len(), 1);
/// assert_eq!(quotes[0].quote_type, "indirect");
/// assert_eq!(quotes[0].span.slice(text), "Moscow was in contact with Baku");
/// assert_eq!(quotes[0].speaker_entity.as_ref().unwrap().label, "Maria Zakharova");
/// ```
#[derive(Debug, Clone)]
pub struct QuoteExtractor {
    lexicon: Lexicon,
}

/// A speaker as found for one statement.
#[derive(Debug, Clone, Default)]
struct Speaker {
    range: Option<Range<usize>>,
    mention: Option<usize>,
    entity: Option<Arc<Entity>>,
    method: &'static str,
    confidence: f32,
    gender: Option<Gender>,
    /// PER or ORG when known.
    kind: Option<Refers>,
}

/// A statement before it becomes a [`Quote`].
#[derive(Debug, Clone)]
struct Statement {
    kind: &'static str,
    content: Range<usize>,
    marks: Option<(char, char)>,
    cue: Option<Range<usize>>,
    speaker: Speaker,
}

/// Persian words that cannot open or continue a subject noun phrase: prepositions,
/// postpositions, time and sentence adverbs.
const FA_NOT_SUBJECT: &[&str] = &[
    "در",
    "از",
    "با",
    "به",
    "برای",
    "تا",
    "بر",
    "روز",
    "امروز",
    "دیروز",
    "صبح",
    "عصر",
    "شب",
    "ظهر",
    "بامداد",
    "همچنین",
    "نیز",
    "سپس",
    "هم",
    "پس",
    "پیش",
    "بعد",
    "قبل",
    "اخیرا",
    "طی",
    "ضمن",
    "درباره",
    "که",
    "را",
    "ساعاتی",
    "اوایل",
    "اواخر",
    "دوشنبه",
    "سه‌شنبه",
    "سهشنبه",
    "چهارشنبه",
    "پنجشنبه",
    "پنج‌شنبه",
    "جمعه",
    "شنبه",
    "یکشنبه",
    "روزهای",
    "هفته",
    "ماه",
    "سال",
    "گذشته",
    "آینده",
    "اما",
    "ولی",
    "البته",
    "همین",
    "حال",
    "خصوص",
    "باره",
    "مورد",
    "درمورد",
    "دراین",
    "بنابراین",
];

/// Phrases that open a Persian clause before its subject.
const FA_LEADING: &[&str] = &[
    "پس از آن",
    "پیش از این",
    "در همین حال",
    "از سوی دیگر",
    "در ادامه",
    "همچنین",
    "در این خصوص",
    "در این باره",
    "در همین رابطه",
    "از طرف دیگر",
    "به گفته وی",
];

/// The words of a list, for a lookup per word of every candidate phrase.
fn word_set(list: &'static [&'static str]) -> FxHashSet<&'static str> {
    list.iter().copied().collect()
}

static FA_NOT_SUBJECT_SET: LazyLock<FxHashSet<&str>> = LazyLock::new(|| word_set(FA_NOT_SUBJECT));
static AR_NOT_SUBJECT_SET: LazyLock<FxHashSet<&str>> = LazyLock::new(|| word_set(AR_NOT_SUBJECT));

/// Arabic words that do not start a subject noun phrase after a verb.
const AR_NOT_SUBJECT: &[&str] = &[
    "في",
    "من",
    "على",
    "إلى",
    "الى",
    "عن",
    "مع",
    "اليوم",
    "أمس",
    "امس",
    "منذ",
    "خلال",
    "قد",
    "لقد",
    "بعد",
    "قبل",
    "حيث",
    "ان",
    "أن",
    "إن",
    "لها",
    "له",
    "لهم",
    "أيضا",
    "أيضاً",
    "كذلك",
    "الثلاثاء",
    "الاثنين",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "الأحد",
    "صباح",
    "مساء",
];

/// Arabic titles that open the description of a person (وزير الخارجية ... فلان).
const AR_TITLES: &[&str] = &[
    "وزير",
    "وزيرة",
    "رئيس",
    "رئيسة",
    "المتحدث",
    "المتحدثة",
    "الناطق",
    "الناطقة",
    "مدير",
    "مديرة",
    "المفوض",
    "الأمين",
    "سفير",
    "سفيرة",
    "ممثل",
    "الممثل",
    "الممثلة",
    "قائد",
    "زعيم",
    "المرشح",
    "المرشحة",
    "النائب",
    "عضو",
    "مستشار",
    "مستشارة",
    "محافظ",
    "نائب",
    "الرئيس",
    "الوزير",
    "المدير",
    "السفير",
    "المستشار",
    "رئيسة",
    "مسؤول",
    "المسؤول",
    "مدرب",
    "المدرب",
    "الأمين العام",
];

/// English words that do not open a subject noun phrase.
const EN_NOT_SUBJECT: &[&str] = &["and", "but", "while", "as", "so", "then", "also", "when"];

/// English words that cannot open a reported clause after a verb without "that"
/// (`told reporters outside the courthouse`, `asked not to be named`).
const EN_NOT_CLAUSE: &[&str] = &[
    "outside",
    "in",
    "at",
    "on",
    "to",
    "after",
    "before",
    "during",
    "from",
    "with",
    "for",
    "by",
    "not",
    "reporters",
    "journalists",
    "as",
    "of",
    "about",
    "into",
    "over",
    "under",
    "when",
    "while",
    "via",
    "through",
    "inside",
];

/// First words of a noun phrase that refers back (این پزشک, هذا المسؤول, this official).
const ANAPHORIC: &[&str] = &[
    "این", "همین", "آن", "هذا", "هذه", "this", "that", "the same",
];

/// Whether `word` lowercased is in `list`, whose entries are lowercase and hold no `k`
/// (a test holds the lists to both): without lowercasing it into a new string (which
/// searches Unicode's tables for every Arabic letter). Besides the ASCII capitals only
/// the Kelvin sign lowercases to an ASCII letter alone (`k`; `İ` gives `i` and a dot
/// above), and letters without case stay as they are, so such a list holds the word
/// lowercased exactly when an entry equals it ignoring ASCII case.
fn in_lowercase_list(list: &[&str], word: &str) -> bool {
    list.iter().any(|entry| word.eq_ignore_ascii_case(entry))
}

/// Time adverbials that may stand between an English cue and its content.
const LEADING_ADVERBIALS: &[&str] = &[
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "on Saturday",
    "on Sunday",
    "today",
    "yesterday",
    "late on Monday",
    "late on Tuesday",
    "late on Wednesday",
    "late on Thursday",
    "late on Friday",
    "earlier",
    "later",
];

/// `text` after `prefix` when the prefix is a whole word (or words).
fn strip_prefix_word<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let rest = text.strip_prefix(prefix)?;
    rest.chars()
        .next()
        .is_none_or(|c| !segment::is_alphanumeric(c))
        .then_some(rest)
}

/// Confidence per attribution rule.
fn confidence(method: &str) -> f32 {
    match method {
        "colon-after-cue" | "verb-first" | "preverbal" | "postposed" => 0.9,
        "role" | "according-to" | "headline" => 0.8,
        "continuation" | "pronoun" | "role-noun" => 0.75,
        "dropped-subject" | "context" => 0.7,
        "unlinked" => 0.5,
        "place" => 0.6,
        _ => 0.4,
    }
}

impl QuoteExtractor {
    /// Compiles the cue lexicons and the role phrases of `gazetteer`; holders are the
    /// entities of `matcher`.
    pub fn new(gazetteer: &Gazetteer, matcher: &Matcher) -> QuoteExtractor {
        QuoteExtractor {
            lexicon: Lexicon::new(gazetteer, |id| matcher.entity(id)),
        }
    }

    /// The trie of the cue phrases of a document in `lang`, for
    /// [`WalkStarts::fill_for`].
    pub(crate) fn cue_trie(&self, lang: Lang) -> &crate::trie::Trie {
        self.lexicon.trie(lang)
    }

    /// Statements in a document, sorted by offset. `mentions` are the document's
    /// entity mentions (sorted); `published_at` (an ISO date prefix) picks role holders.
    pub fn extract(
        &self,
        text: &str,
        lang: Lang,
        key: &Key,
        segmentation: &Segmentation,
        mentions: &[Mention],
        published_at: Option<&str>,
    ) -> Vec<Quote> {
        let starts = WalkStarts::new(&key.text, lang);
        let regions = find_regions(text, segmentation.paragraphs());
        let document = (text, lang, key, segmentation);
        self.extract_from(document, &starts, regions, mentions, published_at)
    }

    /// [`QuoteExtractor::extract`] with the key's walk starts, which the matcher shares,
    /// and the quoted regions (see [`find_regions`]), which the pipeline's check of the
    /// marks' depth has found. (Out of line: one call a document, and
    /// `tools/instructions.sh` counts the quote rules by it.)
    #[inline(never)]
    pub(crate) fn extract_from(
        &self,
        (text, lang, key, segmentation): (&str, Lang, &Key, &Segmentation),
        starts: &WalkStarts,
        regions: Vec<QuoteRegion>,
        mentions: &[Mention],
        published_at: Option<&str>,
    ) -> Vec<Quote> {
        let hits = self.lexicon.find_from(text, key, lang, starts);
        let buffers = BUFFERS.take();
        let mut doc = Doc {
            text,
            lang,
            lexicon: &self.lexicon,
            segmentation,
            mentions,
            hits,
            claimed: vec![false; regions.len()],
            terms: regions.iter().map(|r| is_term(text, r)).collect(),
            quoted: Vec::new(),
            regions,
            date: published_at
                .and_then(|d| d.get(..10))
                .filter(|d| d.len() == 10),
            statements: buffers.statements,
            folded: Default::default(),
            folding: RefCell::new(buffers.folding),
            sentence_hits: buffers.sentence_hits,
            sentence_verbs: buffers.sentence_verbs,
            sentence_found: buffers.sentence_found,
            sentence_cues: buffers.sentence_cues,
        };
        doc.quoted = merged_quotations(&doc.regions, &doc.terms);
        doc.run();
        let mut statements = std::mem::take(&mut doc.statements);
        statements.sort_by_key(|s| (s.content.start, s.content.end));
        let mut chars = CharCounter::new(text);
        let mut quotes = Vec::with_capacity(statements.len());
        for s in statements.drain(..) {
            // Spans are taken in increasing order where possible; CharCounter restarts
            // when an earlier offset comes up (cue before content is the usual case).
            let cue = s.cue.map(|r| chars.span(r.start, r.end));
            let speaker = s.speaker.range.clone().map(|r| chars.span(r.start, r.end));
            let span = chars.span(s.content.start, s.content.end);
            // A NUL closing mark stands for an opening mark that was never closed: its
            // text is empty.
            let (open, close) = s.marks.map_or(("", ""), |(o, c)| {
                (marks::mark_text(o), marks::mark_text(c))
            });
            quotes.push(Quote {
                quote_type: s.kind,
                span,
                open_mark: open,
                close_mark: close,
                cue,
                speaker,
                speaker_mention: s.speaker.mention,
                speaker_entity: s.speaker.entity.clone(),
                attribution_method: s.speaker.method,
                confidence: s.speaker.confidence,
                sentence_index: segmentation.sentence_index_at(s.content.start),
                zone: crate::zones::Zone::Body,
                article_index: 0,
            });
        }
        let mut kept = Buffers {
            statements,
            sentence_hits: doc.sentence_hits,
            sentence_verbs: doc.sentence_verbs,
            sentence_found: doc.sentence_found,
            sentence_cues: doc.sentence_cues,
            folding: doc.folding.into_inner(),
        };
        kept.clear();
        BUFFERS.set(kept);
        quotes
    }
}

/// The buffers of a document's quote rules (see [`Doc`]), kept empty by each thread
/// from one document to the next: allocated for each and grown from empty, they took
/// some fifteen allocations a document.
#[derive(Debug, Default)]
struct Buffers {
    statements: Vec<Statement>,
    sentence_hits: Vec<lexicon::Hit>,
    sentence_verbs: Vec<usize>,
    sentence_found: Vec<Statement>,
    sentence_cues: Vec<usize>,
    folding: Folding,
}

impl Buffers {
    /// Empties every buffer, keeping its room (and no entity alive).
    fn clear(&mut self) {
        self.statements.clear();
        self.sentence_hits.clear();
        self.sentence_verbs.clear();
        self.sentence_found.clear();
        self.sentence_cues.clear();
    }
}

thread_local! {
    static BUFFERS: std::cell::Cell<Buffers> = std::cell::Cell::new(Buffers::default());
}

/// The contents of the regions that are not terms, as sorted disjoint ranges.
fn merged_quotations(regions: &[QuoteRegion], terms: &[bool]) -> Vec<Range<usize>> {
    let mut quoted: Vec<Range<usize>> = regions
        .iter()
        .zip(terms)
        .filter(|(r, &term)| !term && r.content.start < r.content.end)
        .map(|(r, _)| r.content.clone())
        .collect();
    quoted.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(quoted.len());
    for r in quoted {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// How many earlier statements a dropped subject or an unknown speaker looks back
/// over: far more than any article needs, and a bound on the work a document of
/// nothing but speech cues can cause.
const LOOKBACK_STATEMENTS: usize = 512;

/// Folded phrases by the byte range they were taken from.
type FoldedWords = FxHashMap<(usize, usize), FoldedPhrase>;

/// One document being read.
struct Doc<'a> {
    text: &'a str,
    lang: Lang,
    lexicon: &'a Lexicon,
    segmentation: &'a Segmentation,
    mentions: &'a [Mention],
    hits: Vec<lexicon::Hit>,
    regions: Vec<QuoteRegion>,
    /// Per region: a quoted name or term rather than a statement.
    terms: Vec<bool>,
    /// Content of the regions that are not terms, merged into sorted disjoint ranges.
    quoted: Vec<Range<usize>>,
    claimed: Vec<bool>,
    date: Option<&'a str>,
    statements: Vec<Statement>,
    /// The folded words of earlier speakers' phrases, by their range: each new
    /// unlinked phrase is compared with every earlier one.
    folded: RefCell<FoldedWords>,
    /// Where words are folded for those comparisons.
    folding: RefCell<Folding>,
    /// The hits of the sentence being read, the places of its verbs among them, its
    /// statements while their contents are cut, and the cues that cut them: buffers
    /// kept from one sentence to the next (most sentences have some).
    sentence_hits: Vec<lexicon::Hit>,
    sentence_verbs: Vec<usize>,
    sentence_found: Vec<Statement>,
    sentence_cues: Vec<usize>,
}

/// A subject candidate in a zone of text.
#[derive(Debug, Clone)]
enum Candidate {
    Mention(usize),
    Role(usize, Range<usize>),
    Pronoun(usize, Range<usize>),
}

impl<'a> Doc<'a> {
    fn run(&mut self) {
        // The segmentation outlives `self`'s borrow: read in place.
        let segmentation = self.segmentation;
        let sentences = segmentation.sentences();
        // In document order, so that pronouns and dropped subjects look back only.
        let mut next = 0;
        for (p, paragraph) in segmentation.paragraphs().iter().enumerate() {
            let headline = self.is_headline_paragraph(paragraph.clone());
            if headline {
                self.headlines(paragraph.clone());
            }
            while next < sentences.len() && sentences[next].paragraph <= p {
                if !headline || sentences[next].paragraph != p {
                    self.sentence(sentences[next].range.clone());
                }
                next += 1;
            }
        }
        while next < sentences.len() {
            self.sentence(sentences[next].range.clone());
            next += 1;
        }
    }

    // ----- helpers over the text -----

    fn cue(&self, hit: &lexicon::Hit) -> Option<&'a lexicon::Cue> {
        match hit.what {
            HitKind::Cue(i) => Some(&self.lexicon.cues[i]),
            HitKind::Role(_) => None,
        }
    }

    /// Hits inside `range` (hits are sorted by start).
    fn hits_in(&self, range: Range<usize>) -> impl Iterator<Item = &lexicon::Hit> + '_ {
        let first = self.hits.partition_point(|h| h.range.start < range.start);
        self.hits[first..]
            .iter()
            .take_while(move |h| h.range.start < range.end)
            .filter(move |h| h.range.end <= range.end)
    }

    /// Mentions (index, mention) inside `range` (mentions are sorted by start).
    fn mentions_in(
        &self,
        range: Range<usize>,
    ) -> impl DoubleEndedIterator<Item = (usize, &'a Mention)> + '_ {
        let first = self
            .mentions
            .partition_point(|m| m.span.byte_start < range.start);
        let last = self
            .mentions
            .partition_point(|m| m.span.byte_start < range.end);
        self.mentions[first..last.max(first)]
            .iter()
            .enumerate()
            .map(move |(i, m)| (first + i, m))
            .filter(move |(_, m)| m.span.byte_end <= range.end)
    }

    fn is_cue(&self, hit: &lexicon::Hit, kind: CueKind) -> bool {
        self.cue(hit).is_some_and(|c| c.kind == kind)
    }

    /// A quoted name or term rather than a statement.
    fn is_term(&self, region: &QuoteRegion) -> bool {
        let index = self.region_index(region);
        index.map_or_else(|| is_term(self.text, region), |i| self.terms[i])
    }

    /// True when the text in `range` is one entity mention (marks and spaces aside).
    fn names_something(&self, range: Range<usize>) -> bool {
        self.mention_covering(self.trim(range)).is_some()
    }

    /// The mention whose span holds all of `range`, if one does. Mentions are sorted
    /// and do not overlap, so only the last one starting at or before `range` can: a
    /// binary search, where a document with many quotations or headlines read every
    /// mention for each.
    fn mention_covering(&self, range: Range<usize>) -> Option<&'a Mention> {
        mention_covering(self.mentions, range)
    }

    /// True when byte `at` is inside a real quotation (not a quoted term).
    fn in_quotation(&self, at: usize) -> bool {
        // `quoted` is sorted and disjoint: a binary search, so documents with many
        // quotations stay linear.
        let i = self.quoted.partition_point(|r| r.end <= at);
        self.quoted.get(i).is_some_and(|r| r.start <= at)
    }

    /// The words in `range`, counted up to `limit` (see [`token_count`]).
    fn word_count(&self, range: Range<usize>, limit: usize) -> usize {
        token_count(&self.text[range], limit)
    }

    /// Skips spaces (and tatweel, controls) forward from `at`.
    fn skip_space(&self, mut at: usize, end: usize) -> usize {
        while at < end {
            let c = self.text[at..].chars().next().unwrap_or(' ');
            if c.is_whitespace() || matches!(c, '\u{200c}' | '\u{200f}' | '\u{200e}' | 'ـ') {
                at += c.len_utf8();
            } else {
                break;
            }
        }
        at
    }

    /// `range` without leading and trailing spaces and punctuation that does not
    /// belong to the statement.
    fn trim(&self, range: Range<usize>) -> Range<usize> {
        let range = range.start.min(range.end)..range.end;
        let s = &self.text[range.clone()];
        let mut inner = s.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '،' | ',' | ':' | ';' | '؛' | '-' | '–' | '—')
        });
        // A time adverbial between an English cue and its content (said on Tuesday).
        // Each begins with a small ASCII letter (a test holds them to it): content that
        // does not (all Persian and Arabic content) skips the list.
        if inner.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
            for lead in LEADING_ADVERBIALS {
                if let Some(rest) = strip_prefix_word(inner, lead) {
                    inner = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
                }
            }
        }
        let lead = s.len() - inner.len();
        let mut kept = inner;
        loop {
            let before = kept.len();
            kept = kept.trim_end_matches(|c: char| {
                c.is_whitespace()
                    || matches!(
                        c,
                        '.' | '،' | ',' | ':' | ';' | '؛' | '!' | '?' | '؟' | '-' | '–' | '—'
                    )
            });
            // A conjunction left dangling when the next clause is cut off.
            for conjunction in [" and", " but", " و"] {
                if let Some(rest) = kept.strip_suffix(conjunction) {
                    kept = rest;
                }
            }
            if kept.len() == before {
                break;
            }
        }
        range.start + lead..range.start + lead + kept.len()
    }

    // ----- headlines -----

    /// A paragraph of headlines or a title: no sentence-final punctuation at its end,
    /// and a colon somewhere in it.
    fn is_headline_paragraph(&self, paragraph: Range<usize>) -> bool {
        let body = self.text[paragraph].trim_end();
        let last = body.chars().next_back();
        !body.is_empty()
            && !matches!(last, Some('.' | '!' | '?' | '؟' | '»' | '”' | '"' | '…'))
            && body.contains(':')
    }

    fn headlines(&mut self, paragraph: Range<usize>) {
        let text = self.text;
        let finals: Vec<Range<usize>> = self
            .hits_in(paragraph.clone())
            .filter(|h| self.is_cue(h, CueKind::Final))
            .map(|h| h.range.clone())
            .collect();
        // Sorted, for binary searches per colon (a paragraph may hold thousands).
        let mut final_ends: Vec<usize> = finals.iter().map(|f| f.end).collect();
        final_ends.sort_unstable();
        let mut boundary = paragraph.start;
        // The separators and colons, found as bytes sixteen at a time (a headline
        // paragraph may run to thousands of characters): `؛` is D8 9B, where D8 only
        // ever leads a character.
        let bytes = text.as_bytes();
        let mut from = paragraph.start;
        while let Some(skip) = crate::scan::find_any(
            &bytes[from..paragraph.end],
            [b'/', b'|', b'+', b';', b':', 0xD8],
        ) {
            let at = from + skip;
            from = at + 1;
            let c = match bytes[at] {
                0xD8 if bytes.get(at + 1) == Some(&0x9B) => '؛',
                0xD8 => continue,
                b => char::from(b),
            };
            if c != ':' {
                boundary = at + c.len_utf8();
                continue;
            }
            // A colon inside the previous statement is part of it.
            if at < boundary {
                continue;
            }
            // A time (۱۵:۲۷, 7:57) is not a colon of speech.
            let before = text[..at].chars().next_back();
            let after = text[at + 1..].chars().next();
            if before.is_some_and(segment::is_numeric) && after.is_some_and(segment::is_numeric) {
                continue;
            }
            let zone_start = final_ends[..final_ends.partition_point(|&end| end <= at)]
                .last()
                .copied()
                .unwrap_or(paragraph.start)
                .max(boundary);
            let Some(speaker_zone) = self.headline_speaker_zone(zone_start..at) else {
                boundary = at + 1;
                continue;
            };
            let end = finals
                .get(finals.partition_point(|f| f.start <= at))
                .map_or(paragraph.end, |f| f.end);
            let end = text[at + 1..end]
                .find('/')
                .map_or(end, |slash| at + 1 + slash);
            let content = self.trim(at + 1..end);
            if content.is_empty() || self.word_count(content.clone(), 2) < 2 {
                continue;
            }
            let speaker = self.headline_speaker(speaker_zone);
            self.statements.push(Statement {
                kind: "headline",
                content,
                marks: None,
                cue: None,
                speaker,
            });
            boundary = end;
        }
    }

    /// The speaker words before a headline colon: at most five words back to `zone`'s
    /// start, without leading labels; `None` for a page label or a news outlet's
    /// dateline.
    fn headline_speaker_zone(&self, zone: Range<usize>) -> Option<Range<usize>> {
        let all: Vec<(usize, &str)> = words(&self.text[zone.clone()]).collect();
        if all.is_empty() {
            return None;
        }
        let first = all.len().saturating_sub(5);
        let mut start = zone.start + all[first].0;
        let end = zone.start + all[all.len() - 1].0 + all[all.len() - 1].1.len();
        // Page labels: the whole zone is a label (کد خبر:, المصدر:) -> no statement;
        // a label at the start (+ عکس) is dropped.
        for hit in self.hits_in(start..end) {
            if self.is_cue(hit, CueKind::Label) {
                if hit.range.end >= end && hit.range.start <= start {
                    return None;
                }
                if hit.range.start <= start {
                    start = self.skip_space(hit.range.end, end);
                }
            }
        }
        if start >= end {
            return None;
        }
        // A news outlet before the colon is a dateline.
        if self
            .mention_covering(start..end)
            .is_some_and(|m| matches!(m.entity.subtype.as_str(), "media" | "agency"))
        {
            return None;
        }
        Some(start..end)
    }

    fn headline_speaker(&self, zone: Range<usize>) -> Speaker {
        // The zone is a person or organisation (allowing quote marks around it).
        let covering = self.mentions_in(zone.clone()).find(|(_, m)| {
            is_speaker_type(&m.entity) && {
                let before = &self.text[zone.start..m.span.byte_start];
                let after = &self.text[m.span.byte_end..zone.end];
                before
                    .trim_matches(|c: char| c.is_whitespace() || matches!(c, '«' | '"' | '“'))
                    .is_empty()
                    && after
                        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '»' | '"' | '”'))
                        .is_empty()
            }
        });
        if let Some((m, _)) = covering {
            return self.mention_speaker(m, "headline");
        }
        if let Some(speaker) = self.role_in(zone.clone(), "headline") {
            return speaker;
        }
        Speaker {
            range: Some(zone),
            method: "headline",
            confidence: confidence("unlinked"),
            ..Speaker::default()
        }
    }

    // ----- sentences -----

    fn sentence(&mut self, sentence: Range<usize>) {
        let (mut hits, mut verbs, mut found, mut cues) = (
            std::mem::take(&mut self.sentence_hits),
            std::mem::take(&mut self.sentence_verbs),
            std::mem::take(&mut self.sentence_found),
            std::mem::take(&mut self.sentence_cues),
        );
        hits.clear();
        hits.extend(self.hits_in(sentence.clone()).cloned());
        verbs.clear();
        verbs.extend((0..hits.len()).filter(|&i| {
            self.is_cue(&hits[i], CueKind::Verb) && !self.in_quotation(hits[i].range.start)
        }));
        // One phrase may be listed twice (أكد, أكّد): one cue per place.
        verbs.dedup_by_key(|&mut i| hits[i].range.start);
        // Statements join the document's list as they are found, so a dropped subject
        // later in the sentence can refer to the subject of an earlier clause.
        let first = self.statements.len();
        let mut clause_start = sentence.start;
        for (n, &v) in verbs.iter().enumerate() {
            let cue = &hits[v];
            let next_verb = verbs.get(n + 1).map(|&w| hits[w].range.start);
            let statement = self.statement_of_verb(&hits, cue, clause_start, next_verb, &sentence);
            let Some(statement) = statement else {
                // A cue with no statement of its own (شبکه ... گزارش کرد، ...) still
                // ends its clause: the next cue's subject comes after it.
                clause_start = clause_start.max(cue.range.end);
                continue;
            };
            // The next clause starts after this statement, or at least after its cue
            // when the statement runs over the next cue (cut below).
            clause_start = statement
                .content
                .end
                .min(next_verb.unwrap_or(usize::MAX))
                .max(cue.range.end);
            self.statements.push(statement);
        }
        let mut trailing_sources = Vec::new();
        for hit in &hits {
            if !self.is_cue(hit, CueKind::According) || self.in_quotation(hit.range.start) {
                continue;
            }
            if self.statements[first..]
                .iter()
                .any(|s| overlaps(&s.content, &hit.range))
            {
                // "..., according to a statement": the source of that statement.
                trailing_sources.push(hit.range.start);
                continue;
            }
            if let Some(statement) = self.statement_of_according(hit, &sentence) {
                self.statements.push(statement);
            }
        }
        // Indirect content runs to the next statement's cue, or to a trailing
        // "according to", not over it.
        found.clear();
        found.extend(self.statements.drain(first..));
        found.sort_by_key(|s| s.cue.as_ref().map_or(s.content.start, |c| c.start));
        // Also a speech verb opening a new clause after a comma (، وأعرب عن ...), even
        // when it has no statement of its own, and a source credit after a full stop
        // (./ فارس).
        let clause_cues = verbs.iter().map(|&v| hits[v].range.start).filter(|&at| {
            let before = self.text[sentence.start..at].trim_end();
            before.ends_with(['،', ',']) || before.ends_with(" و") || before.ends_with(" and")
        });
        let credits = memchr::memchr_iter(b'/', &self.text.as_bytes()[sentence.clone()])
            .filter(|&i| i > 0 && self.text.as_bytes()[sentence.start + i - 1] == b'.')
            .map(|i| sentence.start + i - 1);
        cues.clear();
        cues.extend(
            found
                .iter()
                .filter_map(|s| s.cue.as_ref().map(|c| c.start))
                .chain(trailing_sources)
                .chain(clause_cues)
                .chain(credits),
        );
        // Sorted: the first cue inside each statement by binary search.
        cues.sort_unstable();
        for statement in &mut found {
            if statement.kind != "indirect" {
                continue;
            }
            let content = statement.content.clone();
            if let Some(&cut) = cues
                .get(cues.partition_point(|&c| c <= content.start))
                .filter(|&&c| c < content.end)
            {
                statement.content = self.trim(content.start..cut);
            }
            self.mark_mixed(statement);
        }
        self.statements
            .extend(found.drain(..).filter(|s| !s.content.is_empty()));
        (
            self.sentence_hits,
            self.sentence_verbs,
            self.sentence_found,
            self.sentence_cues,
        ) = (hits, verbs, found, cues);
        self.unattached(sentence);
    }

    /// An indirect statement holding a quotation is mixed; its quotations are used up.
    fn mark_mixed(&mut self, statement: &mut Statement) {
        let content = statement.content.clone();
        let mut inner = false;
        // Regions are sorted by start: only those starting inside the content count.
        let first = self
            .regions
            .partition_point(|r| r.content.start < content.start);
        for i in first..self.regions.len() {
            let region = &self.regions[i];
            if region.content.start >= content.end {
                break;
            }
            if region.content.end <= content.end {
                // A quoted name («كاراباخ») is not a partial quote; a quoted phrase of
                // two words or more that names nothing is.
                let partial = !self.names_something(region.content.clone())
                    && self.word_count(region.content.clone(), 2) >= 2;
                inner |= partial;
                self.claimed[i] = true;
            }
        }
        if inner {
            statement.kind = "mixed";
        }
    }

    /// The statement a speech verb introduces, if any.
    fn statement_of_verb(
        &mut self,
        hits: &[lexicon::Hit],
        cue: &lexicon::Hit,
        clause_start: usize,
        next_verb: Option<usize>,
        sentence: &Range<usize>,
    ) -> Option<Statement> {
        let cue_info = self.cue(cue)?;
        let after = cue.range.end;
        let limit = next_verb
            .unwrap_or(sentence.end)
            .min(sentence.end)
            .max(after);
        // 1. What follows the cue: a zone (subject, adverbials) then a colon or a
        //    complementizer.
        // Hits are sorted by start: look only from `after` on (linear over a sentence).
        let from = hits.partition_point(|h| h.range.start < after);
        let complementizer = hits[from..]
            .iter()
            .take_while(|h| h.range.start < limit)
            .find(|h| self.is_cue(h, CueKind::Complementizer) && !self.in_quotation(h.range.start));
        // A colon is one byte that is no part of another character: found by byte.
        let colon = memchr::memchr_iter(b':', &self.text.as_bytes()[after..limit])
            .map(|i| after + i)
            .find(|&at| !self.in_quotation(at));
        // How far the complement may be from the cue: an Arabic verb-first subject with
        // its apposition is long; English "told X that" has an addressee, "said on
        // Tuesday that" an adverbial; Persian که follows the verb.
        let max_zone = match self.lang {
            Lang::Ar => 25,
            Lang::En
                if matches!(
                    cue_info.phrase.as_str(),
                    "told" | "assured" | "reminded" | "informed"
                ) =>
            {
                10
            }
            Lang::En => 4,
            _ => 2,
        };
        let opener = match (colon, complementizer) {
            (Some(c), Some(h)) if c < h.range.start => Some((c..c + 1, true)),
            (_, Some(h)) => Some((h.range.clone(), false)),
            (Some(c), None) => Some((c..c + 1, true)),
            (None, None) => None,
        }
        .filter(|(r, _)| {
            let words = self.word_count(after..r.start, max_zone + 1);
            words <= max_zone && (!cue.glued || words == 0)
        });
        if cue.glued && opener.is_none() {
            return None;
        }

        // The zone after the cue, where a verb-first or postposed subject stands.
        let (content, marks, kind, zone_after) = if let Some((opener, is_colon)) = opener {
            let start = self.skip_space(opener.end, limit);
            // Regions are sorted by start, and a region's content starts after its
            // opening mark, a character (at most four bytes) after its outer start.
            let from = self.regions.partition_point(|r| r.content.start <= start);
            let region = self.regions[from..]
                .iter()
                .take_while(|r| r.content.start <= start + 4)
                .position(|r| r.depth == 0 && r.outer().start == start && !self.claimed_index(r))
                .map(|i| from + i);
            match (is_colon, region) {
                (true, Some(r)) => {
                    self.claimed[r] = true;
                    let region = &self.regions[r];
                    let marks = Some((region.open, region.close));
                    (self.direct_content(r), marks, "direct", after..opener.start)
                }
                _ => {
                    let content = self.trim(opener.end..sentence.end);
                    let open = self.text[content.clone()].chars().next();
                    match open
                        .filter(|c| is_colon && marks::MARK_PAIRS.iter().any(|m| m.open == *c))
                    {
                        // An opening mark never closed: still a direct quote, to the
                        // end of its sentence.
                        Some(open) => {
                            let content = self.trim(content.start + open.len_utf8()..content.end);
                            (content, Some((open, '\0')), "direct", after..opener.start)
                        }
                        None => (content, None, "indirect", after..opener.start),
                    }
                }
            }
        } else if let Some(r) = self.postposed_region(cue, clause_start) {
            self.claimed[r] = true;
            let region = &self.regions[r];
            let end = self.text[after..limit]
                .find(['.', '،', ',', '!', '?', '؟', '\n'])
                .map_or(limit, |i| after + i);
            let marks = Some((region.open, region.close));
            (self.direct_content(r), marks, "direct", after..end)
        } else if self.lang == Lang::En
            && self.word_count(after..limit, 4) >= 4
            && self.text[after..].starts_with(' ')
            && words(&self.text[self.trim(after..limit)])
                .next()
                .is_some_and(|(_, w)| !in_lowercase_list(EN_NOT_CLAUSE, w))
        {
            // English drops "that": "She added Moscow would ...".
            (
                self.trim(after..sentence.end),
                None,
                "indirect",
                after..after,
            )
        } else {
            return None;
        };
        if content.is_empty() {
            return None;
        }
        let postposed = marks.is_some() && content.end <= cue.range.start;
        let speaker = self.verb_speaker(cue_info, cue, clause_start, zone_after, kind, postposed);
        Some(Statement {
            kind,
            content,
            marks,
            cue: Some(cue.range.clone()),
            speaker,
        })
    }

    /// The content of a quotation used as a direct statement: all the text inside the
    /// marks (the comma English puts before the closing mark included).
    fn direct_content(&self, region: usize) -> Range<usize> {
        self.regions[region].content.clone()
    }

    fn claimed_index(&self, region: &QuoteRegion) -> bool {
        self.region_index(region).is_some_and(|i| self.claimed[i])
    }

    /// Index of `region` in the sorted regions (binary search).
    fn region_index(&self, region: &QuoteRegion) -> Option<usize> {
        let key = |r: &QuoteRegion| (r.content.start, std::cmp::Reverse(r.content.end));
        let first = self.regions.partition_point(|r| key(r) < key(region));
        self.regions[first..]
            .iter()
            .take_while(|r| key(r) == key(region))
            .position(|r| r == region)
            .map(|i| first + i)
    }

    /// A quotation right before a postposed cue: `"...," Zakharova said`, `"...," said
    /// Zakharova`, `«...» را گفت`.
    fn postposed_region(&self, cue: &lexicon::Hit, clause_start: usize) -> Option<usize> {
        // Regions are sorted by start: only those starting before the cue and not
        // before the clause can qualify.
        let before_cue = self
            .regions
            .partition_point(|r| r.content.start < cue.range.start);
        let candidates = self.regions[..before_cue].iter().enumerate().rev();
        let mut candidates = candidates.take_while(|(_, r)| r.content.start >= clause_start);
        candidates.find_map(|(i, r)| {
            let ok = r.depth == 0
                && !self.claimed[i]
                && r.outer().end <= cue.range.start
                && r.outer().start >= clause_start
                && !self.is_term(r)
                && self.word_count(r.outer().end..cue.range.start, 9) <= 8
                && !self.text[r.outer().end..cue.range.start].contains(['.', '!', '?', '؟']);
            ok.then_some(i)
        })
    }

    /// Who said it: the subject around the cue, per language, else the most recent
    /// compatible speaker.
    fn verb_speaker(
        &self,
        cue: &lexicon::Cue,
        hit: &lexicon::Hit,
        clause_start: usize,
        zone_after: Range<usize>,
        kind: &str,
        postposed: bool,
    ) -> Speaker {
        // Before a postposed cue, the subject sits between the quotation and the cue.
        let before = if postposed {
            // Regions are sorted by start; one starting at the cue or later ends after it.
            let starting_before = self
                .regions
                .partition_point(|r| r.content.start < hit.range.start);
            self.regions[..starting_before]
                .iter()
                .filter(|r| r.outer().end <= hit.range.start)
                .map(|r| r.outer().end)
                .max()
                .unwrap_or(clause_start)
                .max(clause_start)..hit.range.start
        } else {
            clause_start..hit.range.start
        };
        let base = if postposed {
            "postposed"
        } else if kind == "direct" {
            "colon-after-cue"
        } else {
            "preverbal"
        };
        let found = match self.lang {
            Lang::Ar => self
                .arabic_subject(zone_after.clone(), cue.gender)
                .or_else(|| self.subject_in(self.last_words(before.clone(), 6), base))
                .or_else(|| self.place_at_start(before.clone(), base)),
            Lang::En => self
                .adjacent_subject(before.clone(), base)
                .or_else(|| self.subject_in(zone_after.clone(), "postposed"))
                .or_else(|| self.english_noun_phrase(before.clone(), cue.gender)),
            _ => self.persian_subject(before.clone(), base, cue.gender),
        };
        let mut speaker = match found {
            Some(speaker) => speaker,
            None => self.previous_speaker(cue.gender, Refers::Any, "dropped-subject", None),
        };
        if speaker.gender.is_none() {
            speaker.gender = cue.gender;
        }
        speaker
    }

    /// Persian (SOV): the subject opens the clause. After skipping a source
    /// attribution (به گزارش X،) and a leading adverbial, the first noun phrase is the
    /// subject: a mention, role phrase or pronoun in it, else the phrase itself (an
    /// anaphoric one, این پزشک, goes to the previous speaker). With no phrase, a
    /// person or organisation elsewhere in the clause; news outlets come last, as
    /// they are usually the source, not the speaker.
    fn persian_subject(
        &self,
        zone: Range<usize>,
        method: &'static str,
        gender: Option<Gender>,
    ) -> Option<Speaker> {
        let zone = zone.start.min(zone.end)..zone.end;
        let start = self.clause_subject_start(zone.clone());
        let np = self.first_noun_phrase(start..zone.end, &FA_NOT_SUBJECT_SET, 6);
        if let Some(np) = np.clone() {
            if let Some(speaker) = self.candidate_starting_in(np.clone(), zone.end, method, false) {
                return Some(speaker);
            }
        }
        if let Some(speaker) = self.candidate_starting_in(zone.clone(), zone.end, method, false) {
            return Some(speaker);
        }
        if let Some(np) = np {
            if let Some(place) = self.place_at_start(np.clone(), method) {
                return Some(place);
            }
            return Some(self.noun_phrase_speaker(np, gender));
        }
        self.candidate_starting_in(zone.clone(), zone.end, method, true)
    }

    /// Where a Persian clause's subject may start: after source attributions and a
    /// leading adverbial (پس از آن، در همین حال، روز سه‌شنبه ...).
    fn clause_subject_start(&self, zone: Range<usize>) -> usize {
        let mut start = zone.start;
        for source in self.source_spans(zone.clone()) {
            if self.text[start..source.start].trim().is_empty() {
                start = (source.end + '،'.len_utf8()).min(zone.end);
            }
        }
        loop {
            let rest = self.text[start..zone.end].trim_start();
            let at = zone.end - rest.len();
            if let Some(phrase) = FA_LEADING.iter().find_map(|p| strip_prefix_word(rest, p)) {
                start = zone.end - phrase.len();
                continue;
            }
            // A leading comma segment that opens with a preposition or time word.
            let first = words(rest).next().map(|(_, w)| w);
            if first.is_some_and(|w| FA_NOT_SUBJECT_SET.contains(w)) {
                if let Some(comma) = rest.find('،') {
                    if words(&rest[..comma]).count() <= 8 {
                        start = at + comma + '،'.len_utf8();
                        continue;
                    }
                }
            }
            return at;
        }
    }

    /// The first run of words of `zone` that are not in `stop`, up to a comma,
    /// bracket or colon, at most `max` words, after skipping leading stop words.
    fn first_noun_phrase(
        &self,
        zone: Range<usize>,
        stop: &FxHashSet<&str>,
        max: usize,
    ) -> Option<Range<usize>> {
        if zone.start >= zone.end {
            return None;
        }
        let text = &self.text[zone.clone()];
        let end = phrase_end(text);
        let mut phrase: Option<Range<usize>> = None;
        // The phrase's words are the run of words taken so far: a word left out ends it.
        let mut taken = 0;
        for (offset, word) in words(&text[..end]) {
            if stop.contains(word) || word.chars().all(segment::is_numeric) {
                if phrase.is_some() {
                    break;
                }
                continue;
            }
            let range = zone.start + offset..zone.start + offset + word.len();
            phrase = Some(match phrase {
                Some(p) => p.start..range.end,
                None => range,
            });
            taken += 1;
            if taken >= max {
                break;
            }
        }
        phrase
    }

    /// The earliest mention, role phrase or pronoun starting inside `range` (it may run
    /// on to `limit`); news outlets only when `media` is set.
    fn candidate_starting_in(
        &self,
        range: Range<usize>,
        limit: usize,
        method: &'static str,
        media: bool,
    ) -> Option<Speaker> {
        let first_mention = self
            .mentions_in(range.start..limit)
            .find(|(_, m)| {
                m.span.byte_start < range.end
                    && is_speaker_type(&m.entity)
                    && is_media(&m.entity) == media
                    && !self.in_quotation(m.span.byte_start)
            })
            .map(|(_, m)| m.span.byte_start);
        let first_hit = self
            .hits_in(range.start..limit)
            .filter(|h| h.range.start < range.end && !media)
            .find(|h| match h.what {
                HitKind::Role(_) => true,
                HitKind::Cue(i) => {
                    matches!(self.lexicon.cues[i].kind, CueKind::Pronoun | CueKind::Role)
                }
            })
            .map(|h| h.range.start);
        let start = match (first_mention, first_hit) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b)?,
        };
        self.subject_in(start..limit, method)
            .filter(|s| media || !s.entity.as_deref().is_some_and(is_media))
    }

    /// Arabic verb-first: the noun phrase between the cue and its complement. A person
    /// in it, or a role phrase, is the speaker; a phrase opening with a title (وزير،
    /// المتحدث باسم ...) names a person not in the gazetteer, so the phrase itself is
    /// the speaker even when it holds an organisation; else an organisation, a pronoun
    /// or role noun, or the phrase.
    fn arabic_subject(&self, zone: Range<usize>, gender: Option<Gender>) -> Option<Speaker> {
        let np = self.first_noun_phrase(zone.clone(), &AR_NOT_SUBJECT_SET, 12)?;
        let (_, first_word) = words(&self.text[np.clone()]).next()?;
        let person = self
            .mentions_in(np.clone())
            .find(|(_, m)| m.entity.entity_type == "PER");
        if let Some((m, _)) = person {
            return Some(self.mention_speaker(m, "verb-first"));
        }
        if let Some(role) = self.role_in(np.clone(), "role") {
            return Some(role);
        }
        static TITLES: std::sync::OnceLock<FxHashSet<String>> = std::sync::OnceLock::new();
        let titles = TITLES.get_or_init(|| {
            let mut key = Key::new();
            AR_TITLES
                .iter()
                .map(|t| fold_word_in(t, &mut key).to_string())
                .collect()
        });
        // Counting two words is cheaper than folding the first.
        let titled = self.word_count(np.clone(), 2) >= 2
            && titles.contains(fold_word_in(first_word, &mut self.folding.borrow_mut().key));
        if titled {
            return Some(self.noun_phrase_speaker(np, gender));
        }
        if let Some(speaker) = self.subject_in(np.clone(), "verb-first") {
            return Some(speaker);
        }
        Some(self.noun_phrase_speaker(np, gender))
    }

    /// English: the noun phrase right before the cue when it names nobody in the
    /// gazetteer (`A Hamas official said`, `the judge said`), skipping an appositive
    /// between commas (`Gary Pell, a spokesman for X, said`).
    fn english_noun_phrase(&self, zone: Range<usize>, gender: Option<Gender>) -> Option<Speaker> {
        let zone = zone.start.min(zone.end)..zone.end;
        let mut text = self.text[zone.clone()].trim_end();
        if let Some(inner) = text.strip_suffix(',') {
            // An appositive: the subject is before its opening comma.
            text = match inner.rfind(',') {
                Some(comma) => &inner[..comma],
                None => inner,
            };
        }
        let start = text
            .rfind(['.', ',', ';', ':', '"', '“', '”', '(', ')', '—', '–'])
            .map_or(0, |i| {
                i + text[i..].chars().next().map_or(1, char::len_utf8)
            });
        let tail = &text[start..];
        let all: Vec<(usize, &str)> = words(tail).collect();
        let from = all.len().saturating_sub(6);
        let mut kept = &all[from..];
        while let Some(((_, w), rest)) = kept.split_first() {
            if in_lowercase_list(EN_NOT_SUBJECT, w) {
                kept = rest;
            } else {
                break;
            }
        }
        let (first, last) = (kept.first()?, kept.last()?);
        let range = zone.start + start + first.0..zone.start + start + last.0 + last.1.len();
        Some(self.noun_phrase_speaker(range, gender))
    }

    /// A speaker given by a noun phrase outside the gazetteer: an anaphoric one (این
    /// پزشک, this official) goes to the previous compatible speaker; else it is linked
    /// to an earlier speaker whose name it matches, or left unlinked with its text.
    fn noun_phrase_speaker(&self, np: Range<usize>, gender: Option<Gender>) -> Speaker {
        let first = words(&self.text[np.clone()]).next();
        if first.is_some_and(|(_, w)| in_lowercase_list(ANAPHORIC, w)) {
            let mut speaker =
                self.previous_speaker(gender, Refers::Any, "role-noun", Some(np.start));
            speaker.range = Some(np);
            return speaker;
        }
        self.unknown_speaker(np, gender)
    }

    /// English: the subject right before the cue (`Maria Zakharova told`, `Russia
    /// said`, `She added`, `the ministry has also warned`): the candidate ending
    /// nearest the cue with only auxiliaries or adverbs between.
    fn adjacent_subject(&self, zone: Range<usize>, method: &'static str) -> Option<Speaker> {
        const BETWEEN: &[&str] = &[
            "also",
            "has",
            "have",
            "had",
            "later",
            "then",
            "again",
            "separately",
            "previously",
            "earlier",
            "further",
            "however",
            "reportedly",
        ];
        let adjacent = |end: usize| {
            end <= zone.end
                && words(&self.text[end..zone.end]).all(|(_, w)| BETWEEN.contains(&w))
                && !self.text[end..zone.end].contains(['.', '"', '“', '”'])
        };
        let mention = self
            .mentions_in(zone.clone())
            .rev()
            .find(|(_, m)| m.match_kind != "demonym" && adjacent(m.span.byte_end));
        let hit = self
            .hits_in(zone.clone())
            .filter(|h| match h.what {
                HitKind::Role(_) => true,
                HitKind::Cue(i) => {
                    matches!(self.lexicon.cues[i].kind, CueKind::Pronoun | CueKind::Role)
                }
            })
            .filter(|h| adjacent(h.range.end))
            .last();
        match (mention, hit) {
            (Some((_, mention)), Some(hit)) if hit.range.end > mention.span.byte_end => {
                self.subject_in(hit.range.clone(), method)
            }
            (Some((m, mention)), _) => {
                let mut speaker = self.mention_speaker(m, method);
                if mention.entity.entity_type == "LOC" {
                    speaker.confidence = confidence("place");
                }
                Some(speaker)
            }
            (None, Some(hit)) => self.subject_in(hit.range.clone(), method),
            (None, None) => None,
        }
    }

    /// A country or city opening the clause speaks for its government (باکو مدعی شده
    /// بود که ...).
    fn place_at_start(&self, zone: Range<usize>, method: &'static str) -> Option<Speaker> {
        let start = self.skip_space(zone.start, zone.end);
        // Mentions are sorted by start: only those starting at `start` can qualify.
        let from = self.mentions.partition_point(|m| m.span.byte_start < start);
        let m = from
            + self.mentions[from..]
                .iter()
                .take_while(|m| m.span.byte_start == start)
                .position(|m| {
                    m.span.byte_end <= zone.end
                        && m.entity.entity_type == "LOC"
                        && m.match_kind != "demonym"
                })?;
        let mut speaker = self.mention_speaker(m, method);
        speaker.confidence = confidence("place");
        Some(speaker)
    }

    /// The last `n` words of `range`.
    fn last_words(&self, range: Range<usize>, n: usize) -> Range<usize> {
        let range = range.start.min(range.end)..range.end;
        let all: Vec<(usize, &str)> = words(&self.text[range.clone()]).collect();
        if all.len() <= n {
            return range;
        }
        range.start + all[all.len() - n].0..range.end
    }

    /// The earliest subject candidate in `zone`, outside source attributions and
    /// quotations: subjects open their clause in Persian (SOV), after an Arabic
    /// verb-first cue, and in English alike.
    fn subject_in(&self, zone: Range<usize>, method: &'static str) -> Option<Speaker> {
        if zone.start >= zone.end {
            return None;
        }
        let excluded = self.source_spans(zone.clone());
        let free = |r: &Range<usize>| {
            !self.in_quotation(r.start) && !excluded.iter().any(|e| overlaps(e, r))
        };
        // The first candidate by start; at the same start a role phrase containing a
        // mention (سخنگوی وزارت امور خارجه روسیه) wins over it, and otherwise the one
        // offered first.
        let mut first: Option<((usize, bool), Candidate)> = None;
        let mut offer = |at: usize, candidate: Candidate| {
            let order = (at, matches!(candidate, Candidate::Mention(_)));
            if first.as_ref().is_none_or(|(best, _)| order < *best) {
                first = Some((order, candidate));
            }
        };
        for (i, m) in self.mentions_in(zone.clone()) {
            let r = m.span.byte_start..m.span.byte_end;
            if free(&r) && is_speaker_type(&m.entity) {
                offer(r.start, Candidate::Mention(i));
            }
        }
        for hit in self.hits_in(zone.clone()) {
            if !free(&hit.range) {
                continue;
            }
            match hit.what {
                HitKind::Role(group) => {
                    offer(hit.range.start, Candidate::Role(group, hit.range.clone()))
                }
                HitKind::Cue(i) => {
                    let cue = &self.lexicon.cues[i];
                    if matches!(cue.kind, CueKind::Pronoun | CueKind::Role) {
                        offer(hit.range.start, Candidate::Pronoun(i, hit.range.clone()));
                    }
                }
            }
        }
        let (_, first) = first?;
        Some(match first {
            Candidate::Mention(m) => self.mention_speaker(m, method),
            Candidate::Role(group, range) => {
                // Appositive: a person named right after the role is the speaker.
                if let Some(m) = self.person_right_after(range.end, zone.end) {
                    return Some(self.mention_speaker(m, method));
                }
                self.role_speaker(group, range)
            }
            Candidate::Pronoun(i, range) => {
                let cue = &self.lexicon.cues[i];
                if let Some(m) = self
                    .person_right_after(range.end, zone.end)
                    .filter(|_| cue.kind == CueKind::Role)
                {
                    return Some(self.mention_speaker(m, method));
                }
                let method = if cue.kind == CueKind::Pronoun {
                    "pronoun"
                } else {
                    "role-noun"
                };
                let mut speaker =
                    self.previous_speaker(cue.gender, cue.refers, method, Some(range.start));
                speaker.range = Some(range);
                speaker
            }
        })
    }

    /// A PER mention starting within a couple of characters (a comma, a space) after
    /// `at`.
    fn person_right_after(&self, at: usize, limit: usize) -> Option<usize> {
        // Mentions are sorted by start: only those from `at` and before `limit` (a
        // mention starting at `limit` or later cannot end by it) can qualify.
        let from = self.mentions.partition_point(|m| m.span.byte_start < at);
        let found = self.mentions[from..]
            .iter()
            .take_while(|m| m.span.byte_start < limit)
            .position(|m| {
                m.entity.entity_type == "PER"
                    && m.span.byte_end <= limit
                    && self.text[at..m.span.byte_start]
                        .trim_matches(|c: char| {
                            c.is_whitespace() || matches!(c, '،' | ',' | '«' | '»' | '"')
                        })
                        .is_empty()
            });
        found.map(|i| from + i)
    }

    /// Spans opened by a source attribution (به گزارش X،) up to the next comma.
    fn source_spans(&self, zone: Range<usize>) -> Vec<Range<usize>> {
        self.hits_in(zone.clone())
            .filter(|h| self.is_cue(h, CueKind::Source))
            .map(|h| {
                let end = self.text[h.range.end..zone.end]
                    .find(['،', ','])
                    .map_or(zone.end, |i| h.range.end + i);
                h.range.start..end
            })
            .collect()
    }

    fn mention_speaker(&self, m: usize, method: &'static str) -> Speaker {
        let mention = &self.mentions[m];
        Speaker {
            range: Some(mention.span.byte_start..mention.span.byte_end),
            mention: Some(m),
            entity: Some(Arc::clone(&mention.entity)),
            method,
            confidence: confidence(method),
            gender: None,
            kind: Some(refers_of(&mention.entity)),
        }
    }

    fn role_in(&self, zone: Range<usize>, method: &'static str) -> Option<Speaker> {
        self.hits_in(zone).find_map(|h| match h.what {
            HitKind::Role(group) => {
                let mut speaker = self.role_speaker(group, h.range.clone());
                speaker.method = method;
                Some(speaker)
            }
            HitKind::Cue(_) => None,
        })
    }

    /// A role phrase's holder on the document's date (or the current holder).
    fn role_speaker(&self, group: usize, range: Range<usize>) -> Speaker {
        let holders: Vec<&lexicon::Role> = self.lexicon.roles[group]
            .iter()
            .filter(|r| match self.date {
                Some(date) => {
                    (r.valid_from.is_empty() || r.valid_from.as_str() <= date)
                        && (r.valid_to.is_empty() || date <= r.valid_to.as_str())
                }
                None => r.valid_to.is_empty(),
            })
            .collect();
        let entity = match holders.as_slice() {
            [one] => Some(Arc::clone(&one.holder)),
            _ => None,
        };
        Speaker {
            range: Some(range),
            mention: None,
            kind: entity.as_ref().map(|e| refers_of(e)),
            entity,
            method: "role",
            confidence: confidence("role"),
            gender: None,
        }
    }

    /// The most recent earlier speaker compatible with a gender and kind; for a person
    /// pronoun with no speaker yet, the most recent person mention before `at`.
    fn previous_speaker(
        &self,
        gender: Option<Gender>,
        refers: Refers,
        method: &'static str,
        at: Option<usize>,
    ) -> Speaker {
        let compatible = |s: &Speaker, agree: bool| {
            let kind_ok = match (refers, s.kind) {
                (Refers::Any, _) | (_, None) => true,
                (want, Some(have)) => want == have || have == Refers::Any,
            };
            let gender_ok = match (gender, s.gender) {
                (Some(a), Some(b)) => a == b || !agree,
                _ => true,
            };
            kind_ok && gender_ok && (s.entity.is_some() || s.range.is_some())
        };
        // Agreement first; news copy is not always grammatical (مؤكدًا after a
        // feminine ministry), so then any kind-compatible speaker, with less confidence.
        let strict = self
            .statements
            .iter()
            .rev()
            .take(LOOKBACK_STATEMENTS)
            .map(|s| &s.speaker)
            .find(|s| compatible(s, true));
        let relaxed = || {
            self.statements
                .iter()
                .rev()
                .take(LOOKBACK_STATEMENTS)
                .map(|s| &s.speaker)
                .find(|s| compatible(s, false))
        };
        if let Some((previous, penalty)) = strict
            .map(|s| (s, 0.0))
            .or_else(|| relaxed().map(|s| (s, 0.2)))
        {
            // The speaker span points at where the antecedent was named.
            return Speaker {
                method,
                confidence: confidence(method) - penalty,
                ..previous.clone()
            };
        }
        if refers != Refers::Organisation {
            if let Some(at) = at {
                if let Some(m) = self
                    .mentions
                    .iter()
                    .rposition(|m| m.entity.entity_type == "PER" && m.span.byte_end <= at)
                {
                    let mut speaker = self.mention_speaker(m, method);
                    speaker.mention = Some(m);
                    return speaker;
                }
            }
        }
        Speaker {
            method,
            confidence: confidence("unlinked"),
            ..Speaker::default()
        }
    }

    /// A subject not in the gazetteer: linked to an earlier speaker whose name its
    /// words match, else unlinked with its text.
    fn unknown_speaker(&self, np: Range<usize>, gender: Option<Gender>) -> Speaker {
        let mut folding = self.folding.borrow_mut();
        let Folding { key, phrase } = &mut *folding;
        // The earlier speakers' words, folded once per phrase.
        let mut folded = self.folded.borrow_mut();
        // Folded at the first earlier speaker to compare with: often there is none.
        let mut np_folded = false;
        let earlier = self.statements.iter().rev().take(LOOKBACK_STATEMENTS);
        let earlier = earlier.map(|s| &s.speaker).find(|s| {
            let Some(range) = s.range.as_ref().filter(|_| s.entity.is_some()) else {
                return false;
            };
            if !np_folded {
                phrase.fold(&self.text[np.clone()], key);
                np_folded = true;
            }
            let theirs = folded
                .entry((range.start, range.end))
                .or_insert_with(|| FoldedPhrase::of(&self.text[range.clone()], key));
            phrase.half_close_to(theirs)
        });
        match earlier {
            Some(previous) => Speaker {
                range: Some(np),
                mention: None,
                entity: previous.entity.clone(),
                method: "context",
                confidence: confidence("context"),
                gender: previous.gender.or(gender),
                kind: previous.kind,
            },
            None => Speaker {
                range: Some(np),
                method: "unlinked",
                confidence: confidence("unlinked"),
                gender,
                ..Speaker::default()
            },
        }
    }

    /// "According to" forms: `به گفته X، ...` (the clause after the source) or
    /// `..., according to X.` (the clause before it).
    fn statement_of_according(
        &self,
        hit: &lexicon::Hit,
        sentence: &Range<usize>,
    ) -> Option<Statement> {
        let text = self.text;
        let lead = &text[sentence.start..hit.range.start];
        let at_clause_start =
            lead.trim().is_empty() || lead.trim_end().ends_with(['،', ',', ':', '؛', ';', '(']);
        let comma_after = text[hit.range.end..sentence.end]
            .find(['،', ','])
            .map(|i| hit.range.end + i);
        let (source, content) = if at_clause_start {
            let comma = comma_after?;
            (hit.range.end..comma, self.trim(comma..sentence.end))
        } else {
            let comma_before = lead.rfind(['،', ','])?;
            let end = comma_after.unwrap_or(sentence.end);
            (
                hit.range.end..end,
                self.trim(sentence.start..sentence.start + comma_before),
            )
        };
        if content.is_empty() || self.word_count(content.clone(), 3) < 3 {
            return None;
        }
        let source = self.trim(source);
        let speaker = self
            .subject_in(source.clone(), "according-to")
            .map(|mut s| {
                s.method = "according-to";
                s.confidence = confidence("according-to");
                s
            })
            .unwrap_or_else(|| Speaker {
                range: (!source.is_empty()).then_some(source),
                method: "according-to",
                confidence: confidence("unlinked"),
                ..Speaker::default()
            });
        let mut statement = Statement {
            kind: "indirect",
            content,
            marks: None,
            cue: Some(hit.range.clone()),
            speaker,
        };
        statement.speaker.method = "according-to";
        Some(statement)
    }

    /// Quotations no cue claimed: a paragraph opening with a quotation mark continues
    /// the previous direct quote; a long quotation of its own goes to the nearest
    /// speaker.
    fn unattached(&mut self, sentence: Range<usize>) {
        // Regions are sorted by start: those starting in the sentence are a run, found
        // by a binary search (each sentence read every region of its document before).
        let first = self
            .regions
            .partition_point(|r| r.content.start < sentence.start);
        for i in first..self.regions.len() {
            if self.regions[i].content.start >= sentence.end {
                break;
            }
            let region = self.regions[i].clone();
            if self.claimed[i] || region.depth != 0 || self.is_term(&region) {
                continue;
            }
            let paragraph = self.segmentation.paragraph_index_at(region.content.start);
            let paragraph_start = self.segmentation.paragraphs()[paragraph].start;
            let opens_paragraph = self.text[paragraph_start..region.outer().start]
                .trim()
                .is_empty();
            let last = self.statements.last();
            // The previous statement was a direct quote in this paragraph or the one
            // before: this quotation goes on with the same speaker.
            let follows_quote = last.is_some_and(|s| {
                s.kind == "direct"
                    && s.marks.is_some()
                    && s.content.end <= region.content.start
                    && (opens_paragraph
                        || self.segmentation.paragraph_index_at(s.content.start) == paragraph)
            });
            let (method, speaker) = if follows_quote {
                let previous = last.map(|s| s.speaker.clone()).unwrap_or_default();
                ("continuation", previous)
            } else if self.word_count(region.content.clone(), 8) >= 8 {
                let speaker =
                    self.previous_speaker(None, Refers::Any, "nearest", Some(region.outer().start));
                ("nearest", speaker)
            } else {
                continue;
            };
            self.claimed[i] = true;
            self.statements.push(Statement {
                kind: "direct",
                content: region.content.clone(),
                marks: Some((region.open, region.close)),
                cue: None,
                speaker: Speaker {
                    method,
                    confidence: confidence(method),
                    ..speaker
                },
            });
        }
    }
}

/// A quoted name or term (three words or fewer, no sentence punctuation) rather than a
/// statement.
fn is_term(text: &str, region: &QuoteRegion) -> bool {
    let content = &text[region.content.clone()];
    !content.contains(['.', '!', '?', '؟', '،', ',']) && token_count(content, 4) <= 3
}

/// Words for the statement rules' length checks: runs between spaces that hold
/// something other than punctuation. Cheaper than Unicode word segmentation, which
/// these counts do not need. Counted up to `limit`, where every check has its answer
/// (a long quotation's words are not all counted to find it longer than three).
fn token_count(text: &str, limit: usize) -> usize {
    // One pass over the characters: a run is counted at its end if it held a word
    // character. ASCII and the Arabic block's characters are told apart by their bytes
    // (of the block, only `،` `؛` `؟` are not word characters, and none is a space);
    // the others are decoded.
    let bytes = text.as_bytes();
    let (mut count, mut word, mut at) = (0, false, 0);
    while let Some(&b) = bytes.get(at) {
        let (space, word_char, len) = match b {
            0..=0x7F => (
                matches!(b, b'\t'..=b'\r' | b' '),
                !b.is_ascii_punctuation(),
                1,
            ),
            0xD8..=0xDB => (
                false,
                !(b == 0xD8 && matches!(bytes.get(at + 1), Some(0x8C | 0x9B | 0x9F))),
                2,
            ),
            _ => {
                let c = text[at..].chars().next().unwrap_or(' ');
                let word_char = !matches!(c, '«' | '»' | '“' | '”' | '…' | '–' | '—');
                (
                    c.is_whitespace() || c == '\u{200c}',
                    word_char,
                    c.len_utf8(),
                )
            }
        };
        if space {
            count += usize::from(word);
            word = false;
            if count >= limit {
                return limit;
            }
        } else if !word {
            word = word_char;
        }
        at += len;
    }
    (count + usize::from(word)).min(limit)
}

/// See [`Doc::mention_covering`]: `mentions` sorted by start, not overlapping.
fn mention_covering(mentions: &[Mention], range: Range<usize>) -> Option<&Mention> {
    let after = mentions.partition_point(|m| m.span.byte_start <= range.start);
    let m = mentions.get(after.checked_sub(1)?)?;
    (m.span.byte_end >= range.end).then_some(m)
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn is_media(entity: &Entity) -> bool {
    matches!(entity.subtype.as_str(), "media" | "agency")
}

fn is_speaker_type(entity: &Entity) -> bool {
    matches!(entity.entity_type, "PER" | "ORG")
}

fn refers_of(entity: &Entity) -> Refers {
    match entity.entity_type {
        "PER" => Refers::Person,
        "ORG" => Refers::Organisation,
        _ => Refers::Any,
    }
}

/// Where a noun phrase read from the start of `text` ends at the latest: the first
/// `،` `,` `(` `:` or `؛`, else the end. Searched as bytes, sixteen at a time: the
/// ASCII signs are their own bytes, and `،` and `؛` are D8 8C and D8 9B. Their second
/// bytes are searched for, not the D8: half the Arabic letters (ا among them) begin
/// with D8, where 8C and 9B end few other characters of Arabic script (Persian ی,
/// DB 8C, the commonest).
fn phrase_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = crate::scan::find_any(&bytes[from..], [b',', b'(', b':', 0x8C, 0x9B]) {
        let at = from + at;
        if bytes[at] < 0x80 {
            return at;
        }
        // A continuation byte: `text` starts with a character, so one comes before it.
        if bytes[at - 1] == 0xD8 {
            return at - 1;
        }
        from = at + 1;
    }
    text.len()
}

/// A word folded for loose comparison: key (made in `key`), without a leading ال.
fn fold_word_in<'k>(word: &str, key: &'k mut Key) -> &'k str {
    let folded = crate::gazetteer::name_key_in(word, key);
    match folded.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 3 => rest,
        _ => folded,
    }
}

/// `s` without its first character.
fn skip_first(s: &str) -> &str {
    let mut chars = s.chars();
    chars.next();
    chars.as_str()
}

/// The buffers where the quote rules fold words: one word's key, and the words of
/// the unlinked phrase being compared with the earlier speakers'.
#[derive(Debug, Default)]
struct Folding {
    key: Key,
    phrase: FoldedPhrase,
}

/// The words of a phrase folded for loose comparison (see [`fold_word_in`]), one
/// after another in one string, each with its length in characters, counted once: an
/// unlinked phrase's words are compared with every word of the earlier speakers', and
/// most pairs differ in length by more than one.
#[derive(Debug, Default)]
struct FoldedPhrase {
    text: String,
    /// Each word's end in `text`, and its length in characters.
    words: Vec<(usize, usize)>,
}

impl FoldedPhrase {
    /// The words of `phrase` folded, each word's key made in `key`.
    fn of(phrase: &str, key: &mut Key) -> FoldedPhrase {
        let mut folded = FoldedPhrase::default();
        folded.fold(phrase, key);
        folded
    }

    /// Replaces the words with those of `phrase`, folded.
    fn fold(&mut self, phrase: &str, key: &mut Key) {
        self.text.clear();
        self.words.clear();
        for (_, word) in words(phrase) {
            let word = fold_word_in(word, key);
            self.text.push_str(word);
            self.words.push((self.text.len(), word.chars().count()));
        }
    }

    /// Each folded word and its length in characters.
    fn iter(&self) -> impl Iterator<Item = (&str, usize)> {
        let mut start = 0;
        self.words.iter().map(move |&(end, chars)| {
            let word = &self.text[start..end];
            start = end;
            (word, chars)
        })
    }

    /// Whether half of these words or more, and one at least, are each close to a
    /// word of `other` (see [`close_words`]). Decided as soon as the words left can no
    /// longer change it.
    fn half_close_to(&self, other: &FoldedPhrase) -> bool {
        let n = self.words.len();
        let mut matched = 0;
        for (i, word) in self.iter().enumerate() {
            if other.iter().any(|theirs| close_words(word, theirs)) {
                matched += 1;
                if matched * 2 >= n {
                    return true;
                }
            } else if (matched + (n - 1 - i)) * 2 < n {
                return false;
            }
        }
        false
    }
}

/// Two folded words, each with its length in characters: equal, or (for words of four
/// letters or more) one edit or one swap apart: one letter changed, added or dropped,
/// or two neighbours swapped (Damerau-Levenshtein distance 1).
fn close_words((a, n): (&str, usize), (b, m): (&str, usize)) -> bool {
    if a == b {
        return true;
    }
    if n.min(m) < 4 || n.abs_diff(m) > 1 {
        return false;
    }
    // The common prefix, found by bytes: the first byte that differs is in the first
    // character that does, which starts at the character boundary at or before it (in
    // both, since the bytes before it are the same).
    let mut at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(at) {
        at -= 1;
    }
    let (a, b) = (&a[at..], &b[at..]);
    match n.cmp(&m) {
        std::cmp::Ordering::Less => skip_first(b) == a,
        std::cmp::Ordering::Greater => skip_first(a) == b,
        std::cmp::Ordering::Equal => {
            let mut x = a.chars();
            let mut y = b.chars();
            let (x0, x1, y0, y1) = (x.next(), x.next(), y.next(), y.next());
            skip_first(a) == skip_first(b) || (x0 == y1 && x1 == y0 && x.as_str() == y.as_str())
        }
    }
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// The words counted in one pass are the runs between spaces that hold
        /// something other than punctuation, up to the limit.
        #[test]
        fn token_count_counts_the_runs_with_a_word_character(
            text in "[a b.,«»…—\u{200c}\u{627}\u{60c}\u{60d}\u{61b}\u{61f}\u{66a}\u{6cc}\u{a0}\u{85}\u{2003}\u{3000}\t\x0b\x1c\n-]{0,30}",
            limit in 0usize..8,
        ) {
            let runs = text
                .split(|c: char| c.is_whitespace() || c == '\u{200c}')
                .filter(|t| {
                    t.chars().any(|c| {
                        !c.is_ascii_punctuation()
                            && !matches!(c, '«' | '»' | '“' | '”' | '،' | '؛' | '؟' | '…' | '–' | '—')
                    })
                })
                .count();
            proptest::prop_assert_eq!(token_count(&text, limit), runs.min(limit));
        }
    }

    use super::{
        close_words, in_lowercase_list, mention_covering, phrase_end, token_count, Arc, Entity,
        FoldedPhrase, Mention, ANAPHORIC, EN_NOT_CLAUSE, EN_NOT_SUBJECT,
    };

    /// The lists asked with [`in_lowercase_list`].
    const LOWERCASE_LISTS: [&[&str]; 3] = [ANAPHORIC, EN_NOT_CLAUSE, EN_NOT_SUBJECT];

    proptest::proptest! {
        /// Words are found in the lists as lowercasing them would find them: entries
        /// with their letters' case changed at random, an `i` made a dotted capital I,
        /// a Kelvin sign put in, or a letter more.
        #[test]
        fn words_are_found_in_lowercase_lists_as_lowercased(
            list in 0..3usize,
            entry in 0..64usize,
            upper in proptest::collection::vec(proptest::bool::ANY, 12),
            odd in proptest::sample::select(vec!["", "\u{212A}", "\u{130}", "x"]),
        ) {
            let list = LOWERCASE_LISTS[list];
            let mut word: String = list[entry % list.len()]
                .chars()
                .zip(upper.iter().cycle())
                .map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c })
                .collect();
            match odd {
                "x" | "\u{212A}" => word.push_str(odd),
                "\u{130}" => {
                    if let Some(at) = word.find(['i', 'I']) {
                        word.replace_range(at..at + 1, odd);
                    }
                }
                _ => {}
            }
            proptest::prop_assert_eq!(
                in_lowercase_list(list, &word),
                list.contains(&word.to_lowercase().as_str()),
                "{}", word
            );
        }
    }

    #[test]
    fn lowercase_lists_are_lowercase_and_found_in_any_case() {
        for list in LOWERCASE_LISTS {
            for entry in list {
                assert_eq!(entry.to_lowercase(), *entry);
                assert!(!entry.contains('k'), "{entry}");
            }
        }
        for word in ["this", "This", "THAT", "این", "هذه"] {
            assert!(in_lowercase_list(ANAPHORIC, word), "{word}");
        }
        for word in ["thİs", "thi", "ایران", "the"] {
            assert!(!in_lowercase_list(ANAPHORIC, word), "{word}");
        }
    }

    /// Every character counts as the definition has it: a space between words, a
    /// word character, or punctuation that makes no word of its own.
    /// The covering mention is found by search as it was by reading every mention:
    /// each range of a text with three mentions, one of them at its start and one at
    /// its end.
    #[test]
    fn the_mention_covering_a_range_is_the_one_a_scan_finds() {
        let text = "Lavrov met Zakharova in Baku";
        let entity = Arc::new(Entity::default());
        let mentions: Vec<Mention> = [(0, 6), (11, 20), (24, 28)]
            .into_iter()
            .map(|(a, b)| Mention {
                span: crate::document::Span::from_bytes(text, a, b),
                entity: Arc::clone(&entity),
                matched_name: text[a..b].into(),
                name_lang: "en",
                match_kind: "exact",
                clitic: Default::default(),
                sentence_index: 0,
                zone: crate::zones::Zone::Body,
                article_index: 0,
            })
            .collect();
        let mut found = 0;
        for a in 0..=text.len() {
            for b in a..=text.len() {
                let scanned = mentions
                    .iter()
                    .find(|m| m.span.byte_start <= a && m.span.byte_end >= b);
                let searched = mention_covering(&mentions, a..b);
                assert_eq!(
                    searched.map(|m| m.span),
                    scanned.map(|m| m.span),
                    "{a}..{b}"
                );
                found += usize::from(searched.is_some());
            }
        }
        // Every range inside a mention of n bytes, empty ones included, and no other:
        // (n + 1)(n + 2) / 2 for n = 6, 9 and 4.
        assert_eq!(found, 28 + 55 + 15);
    }

    #[test]
    fn token_count_classes_every_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let space = c.is_whitespace() || c == '\u{200c}';
            let word = !space
                && !c.is_ascii_punctuation()
                && !matches!(c, '«' | '»' | '“' | '”' | '،' | '؛' | '؟' | '…' | '–' | '—');
            let alone = token_count(&c.to_string(), 4);
            let between = token_count(&format!("a{c}a"), 4);
            let expected = match (space, word) {
                (true, _) => (0, 2),
                (false, true) => (1, 1),
                (false, false) => (0, 1),
            };
            assert_eq!((alone, between), expected, "{c:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn phrases_end_at_the_first_sign_as_a_character_search_finds_it(
            text in "[a ,(:;.\u{0600}-\u{061f}\u{0621}-\u{0623}\u{064c}\u{065b}\u{06cc}\u{06db}\u{0e8c}]{0,30}"
        ) {
            let by_chars = text.find(['،', ',', '(', ':', '؛']).unwrap_or(text.len());
            proptest::prop_assert_eq!(phrase_end(&text), by_chars);
        }
    }

    #[test]
    fn leading_adverbials_begin_with_a_small_ascii_letter() {
        // `Doc::trim` tries them only after such a letter.
        for lead in super::LEADING_ADVERBIALS {
            assert!(lead.as_bytes()[0].is_ascii_lowercase(), "{lead}");
        }
    }

    #[test]
    fn folded_words_are_close_one_edit_or_swap_apart() {
        let close = [
            ("زاخارووا", "زاخاروا"),
            ("زاخاروا", "زاخارووا"),
            ("الوزارة", "الوزراة"),
            ("lavrov", "lavrof"),
            ("lavrov", "alvrov"),
            ("lavrov", "lavrvo"),
            ("peskov", "peskov"),
            ("abc", "abc"),
            ("abcd", "abdc"),
        ];
        let close_words =
            |a: &str, b: &str| close_words((a, a.chars().count()), (b, b.chars().count()));
        for (a, b) in close {
            assert!(close_words(a, b), "{a} {b}");
        }
        let far = [
            ("lavrov", "lvarvo"),
            ("lavrov", "lavr"),
            ("abc", "abd"),
            ("abc", "acb"),
            ("lavrov", "xavrox"),
            ("الوزارة", "الوزير"),
            ("lavrov", "lavrovaa"),
        ];
        for (a, b) in far {
            assert!(!close_words(a, b), "{a} {b}");
        }
    }

    proptest::proptest! {
        /// A phrase's folded words are its words' keys, each trimmed and without a
        /// leading ال when three letters or more are left, as a key of its own gives.
        #[test]
        fn folded_phrases_hold_each_words_own_key(
            phrase in "[ال ابوزیيكک\u{64b}\u{651}\u{200c}\u{640}\u{622}\u{623}Aa.,،«»0٣]{0,40}",
        ) {
            let mut key = crate::normalize::Key::new();
            let folded = FoldedPhrase::of(&phrase, &mut key);
            let expected: Vec<(String, usize)> = super::words(&phrase)
                .map(|(_, word)| {
                    let key = crate::gazetteer::name_key(word);
                    let word = match key.strip_prefix("ال") {
                        Some(rest) if rest.chars().count() >= 3 => rest.to_string(),
                        _ => key,
                    };
                    let chars = word.chars().count();
                    (word, chars)
                })
                .collect();
            let got: Vec<(String, usize)> =
                folded.iter().map(|(word, chars)| (word.to_string(), chars)).collect();
            proptest::prop_assert_eq!(got, expected);
        }

        /// Words are close as by the definition, read character by character: equal,
        /// or of four characters or more and one edit or one swap of neighbours apart.
        /// Each pair is a word and the word after one or two edits, drawn from
        /// characters that share their first bytes (ا ب ة ت, ی ۰, ZWNJ ZWJ), so that the
        /// first byte that differs is often inside a character.
        #[test]
        fn close_words_are_one_edit_or_swap_apart_by_characters(
            a in "[ابةتی۰\u{200c}\u{200d}ab]{0,7}",
            edits in proptest::collection::vec((0usize..4, 0usize..8, "[ابةتی۰\u{200c}\u{200d}ab]"), 1..3),
        ) {
            let mut chars: Vec<char> = a.chars().collect();
            for (edit, at, c) in edits {
                let c = c.chars().next().unwrap();
                let at = at.min(chars.len());
                match edit {
                    0 => chars.insert(at, c),
                    1 if at < chars.len() => chars[at] = c,
                    2 if at < chars.len() => {
                        chars.remove(at);
                    }
                    3 if at + 1 < chars.len() => chars.swap(at, at + 1),
                    _ => {}
                }
            }
            let b: String = chars.iter().collect();
            let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), chars);
            // One edit or swap apart, read on characters.
            let one_apart = || {
                let p = x.iter().zip(&y).take_while(|(c, d)| c == d).count();
                let (x, y) = (&x[p..], &y[p..]);
                match x.len().cmp(&y.len()) {
                    std::cmp::Ordering::Less => y[1..] == *x,
                    std::cmp::Ordering::Greater => x[1..] == *y,
                    std::cmp::Ordering::Equal => {
                        x[1..] == y[1..] || (x.len() >= 2 && x[0] == y[1] && x[1] == y[0] && x[2..] == y[2..])
                    }
                }
            };
            let expected = x == y || (x.len().min(y.len()) >= 4 && x.len().abs_diff(y.len()) <= 1 && one_apart());
            proptest::prop_assert_eq!(close_words((&a, x.len()), (&b, y.len())), expected);
        }

        /// Stopping early decides as counting every word would: half of the words or
        /// more, and one at least, close to a word of the other phrase.
        #[test]
        fn half_close_decides_as_the_full_count(
            ours in proptest::collection::vec("(ab|abcd|abdc|abcde|xyzw|xy)", 0..7),
            theirs in proptest::collection::vec("(ab|abcd|abcde|abce|xyzw)", 0..4),
        ) {
            let mut key = crate::normalize::Key::new();
            let (a, b) = (
                FoldedPhrase::of(&ours.join(" "), &mut key),
                FoldedPhrase::of(&theirs.join(" "), &mut key),
            );
            let matched = a.iter().filter(|&w| b.iter().any(|t| close_words(w, t))).count();
            let full = matched * 2 >= a.words.len().max(1) && matched > 0;
            proptest::prop_assert_eq!(a.half_close_to(&b), full);
        }
    }
}
