//! Quote and speaker evaluation against gold annotations.
//!
//! The gold file is JSON lines, one record per annotated statement:
//!
//! ```text
//! {"doc_id": "fa01", "type": "direct", "quote_start": 120, "quote_end": 188,
//!  "speaker_start": 80, "speaker_end": 88, "speaker_resolved": "Maria Zakharova",
//!  "cue_start": 101, "cue_end": 104}
//! ```
//!
//! Offsets are code points into the document text, end-exclusive. `type` is `direct`,
//! `mixed`, `indirect`, `headline` or `not_a_quote` (a quoted name or term, a title, a
//! dateline: something an extractor should not report). Speaker and cue fields are null
//! when absent. Optional `quote_text`, `speaker_text` and `cue_text` are checked against
//! the text, which catches offsets that drifted when a document was edited.
//!
//! Scoring, per document:
//! - A prediction matches a statement when their overlap is at least half of the longer
//!   span ([`MIN_OVERLAP`]); pairs are taken best overlap first, one to one. Exact
//!   matching pairs identical spans only. Types do not take part in matching: recall of
//!   a type is over gold statements of that type, precision of a type over predictions
//!   of that type, and a type confusion table shows how matched types agree.
//! - A prediction left unmatched is a false positive; when it matches a `not_a_quote`
//!   row it is counted as such too, so the report says how many false positives were
//!   quoted terms.
//! - The speaker of a matched statement is right when the predicted speaker span
//!   overlaps the gold speaker span, or the predicted speaker entity's label equals
//!   `speaker_resolved` (ignoring case), or the predicted speaker span overlaps the gold
//!   speaker span of another statement of the same document with the same
//!   `speaker_resolved` (an antecedent: "Zakharova" for a later "she"). A statement
//!   annotated with no speaker at all is right when none is predicted.
//!
//! ```
//! use naql::eval::quotes::{Gold, QuoteEval};
//! use naql::{Document, Quote, Span};
//!
//! let text = "Zakharova said: «We are in contact».";
//! let gold = Gold::from_reader(
//!     r#"{"doc_id":"d","type":"direct","quote_start":17,"quote_end":34,"speaker_start":0,"speaker_end":9,"speaker_resolved":"Maria Zakharova","cue_start":10,"cue_end":14}"#.as_bytes(),
//!     "gold.jsonl",
//! ).unwrap();
//! let document = Document::new("d", text);
//! gold.check_text("d", text).unwrap();
//!
//! let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
//! let span = |s: usize, e: usize| Span::from_bytes(text, byte(s), byte(e));
//! let predicted = Quote {
//!     quote_type: "direct",
//!     span: span(17, 33),
//!     open_mark: "«",
//!     close_mark: "",
//!     cue: Some(span(10, 14)),
//!     speaker: Some(span(0, 9)),
//!     speaker_mention: None,
//!     speaker_entity: None,
//!     attribution_method: "colon-after-cue",
//!     confidence: 0.9,
//!     sentence_index: 0,
//!     zone: naql::zones::Zone::Body,
//!     article_index: 0,
//! };
//! let mut eval = QuoteEval::new();
//! eval.add_document(&document, &[predicted], gold.statements("d"));
//! let report = eval.report();
//! let all = report.overall();
//! assert_eq!((all.overlap.found, all.overlap.correct), (1, 1));
//! assert_eq!(all.exact.found, 0);
//! assert_eq!(all.speaker.correct, 1);
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::io::{self, BufRead, Write};
use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::document::{Document, Quote};
use crate::lang::Lang;

/// Share of the longer of two spans that their overlap must cover for them to match.
pub const MIN_OVERLAP: f64 = 0.5;

/// Code points of context shown on each side of a span in the error table.
const CONTEXT_CHARS: usize = 60;
/// Longest text shown in one cell of the error table before it is shortened.
const CELL_CHARS: usize = 200;

/// What a gold record annotates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GoldType {
    /// Content inside quotation marks.
    Direct,
    /// Reported speech holding a partial direct quote.
    Mixed,
    /// Reported speech: the content clause of a speech cue or "according to" form.
    Indirect,
    /// `Speaker: statement` in a headline.
    Headline,
    /// A quoted name or term, a title, a dateline: not a statement.
    NotAQuote,
}

impl GoldType {
    /// The four kinds of statement, in report order.
    pub const STATEMENTS: [GoldType; 4] = [
        GoldType::Direct,
        GoldType::Mixed,
        GoldType::Indirect,
        GoldType::Headline,
    ];

    /// The name used in gold files and in `quotes.csv`.
    pub fn name(self) -> &'static str {
        match self {
            GoldType::Direct => "direct",
            GoldType::Mixed => "mixed",
            GoldType::Indirect => "indirect",
            GoldType::Headline => "headline",
            GoldType::NotAQuote => "not_a_quote",
        }
    }

    /// The type with this name.
    pub fn parse(name: &str) -> Option<GoldType> {
        GoldType::STATEMENTS
            .into_iter()
            .chain([GoldType::NotAQuote])
            .find(|t| t.name() == name)
    }

    /// Whether an extractor should report it.
    pub fn is_statement(self) -> bool {
        self != GoldType::NotAQuote
    }
}

/// A span in code points, end-exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct CharSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

impl CharSpan {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> CharSpan {
        CharSpan { start, end }
    }

    /// Length in code points.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers nothing.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Code points shared with `other`.
    pub fn overlap(self, other: CharSpan) -> usize {
        self.end
            .min(other.end)
            .saturating_sub(self.start.max(other.start))
    }

    /// Overlap as a share of the longer span (0 to 1).
    pub fn overlap_ratio(self, other: CharSpan) -> f64 {
        let longer = self.len().max(other.len());
        if longer == 0 {
            return 0.0;
        }
        self.overlap(other) as f64 / longer as f64
    }

    /// Whether the two spans match: they overlap by at least [`MIN_OVERLAP`] of the
    /// longer one.
    ///
    /// ```
    /// use naql::eval::quotes::CharSpan;
    /// assert!(CharSpan::new(0, 10).matches(CharSpan::new(5, 10)));
    /// assert!(!CharSpan::new(0, 10).matches(CharSpan::new(6, 10)));
    /// ```
    pub fn matches(self, other: CharSpan) -> bool {
        self.overlap(other) > 0 && self.overlap_ratio(other) >= MIN_OVERLAP
    }
}

impl From<crate::document::Span> for CharSpan {
    fn from(span: crate::document::Span) -> CharSpan {
        CharSpan::new(span.start, span.end)
    }
}

impl fmt::Display for CharSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

/// One gold record.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldStatement {
    /// The document it belongs to.
    pub doc_id: String,
    /// What it is.
    pub quote_type: GoldType,
    /// The statement's content (or the not-a-quote term).
    pub quote: CharSpan,
    /// The speaker as written, when the text names one near the cue.
    pub speaker: Option<CharSpan>,
    /// English label of the real speaker, also for pronouns, roles and dropped subjects.
    pub speaker_resolved: Option<String>,
    /// The speech cue.
    pub cue: Option<CharSpan>,
    /// The quote's text as the record gives it, checked against the document.
    pub quote_text: Option<String>,
    /// The speaker's text as the record gives it, checked against the document.
    pub speaker_text: Option<String>,
    /// The cue's text as the record gives it, checked against the document.
    pub cue_text: Option<String>,
    /// 1-based line of the record in the gold file.
    pub line: usize,
}

/// Why a gold file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GoldError {
    /// The file could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// Path as given.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// A record that is malformed or does not fit its document.
    #[error("{path}:{line}: {message}")]
    Record {
        /// Path as given.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// The record as written; turned into a [`GoldStatement`] after checks.
#[derive(Debug, Deserialize)]
struct GoldRecord {
    doc_id: Value,
    #[serde(rename = "type")]
    quote_type: String,
    quote_start: usize,
    quote_end: usize,
    #[serde(default)]
    speaker_start: Option<usize>,
    #[serde(default)]
    speaker_end: Option<usize>,
    #[serde(default)]
    speaker_resolved: Option<String>,
    #[serde(default)]
    cue_start: Option<usize>,
    #[serde(default)]
    cue_end: Option<usize>,
    #[serde(default)]
    quote_text: Option<String>,
    #[serde(default)]
    speaker_text: Option<String>,
    #[serde(default)]
    cue_text: Option<String>,
}

/// A gold file: statements grouped by document, in file order.
#[derive(Debug, Clone, Default)]
pub struct Gold {
    path: String,
    docs: HashMap<String, Vec<GoldStatement>>,
    doc_order: Vec<String>,
}

impl Gold {
    /// Reads and checks a gold JSONL file.
    pub fn read(path: &Path) -> Result<Gold, GoldError> {
        let display = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|err| GoldError::Io {
            path: display.clone(),
            message: err.to_string(),
        })?;
        Gold::from_reader(io::BufReader::new(file), &display)
    }

    /// Reads gold records from `reader`; `path` names it in error messages.
    pub fn from_reader(reader: impl BufRead, path: &str) -> Result<Gold, GoldError> {
        let mut gold = Gold {
            path: path.to_string(),
            ..Gold::default()
        };
        for (index, line) in reader.lines().enumerate() {
            let line_number = index + 1;
            let line = line.map_err(|err| GoldError::Io {
                path: path.to_string(),
                message: err.to_string(),
            })?;
            let line = line.trim_start_matches('\u{feff}');
            if line.trim().is_empty() {
                continue;
            }
            let statement =
                parse_record(line, line_number).map_err(|message| GoldError::Record {
                    path: path.to_string(),
                    line: line_number,
                    message,
                })?;
            match gold.docs.get_mut(&statement.doc_id) {
                Some(statements) => statements.push(statement),
                None => {
                    gold.doc_order.push(statement.doc_id.clone());
                    gold.docs.insert(statement.doc_id.clone(), vec![statement]);
                }
            }
        }
        Ok(gold)
    }

    /// The records of one document (empty for a document without any).
    pub fn statements(&self, doc_id: &str) -> &[GoldStatement] {
        self.docs.get(doc_id).map_or(&[], Vec::as_slice)
    }

    /// Documents with at least one record, in file order.
    pub fn doc_ids(&self) -> impl Iterator<Item = &str> {
        self.doc_order.iter().map(String::as_str)
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.docs.values().map(Vec::len).sum()
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Checks that every record of `doc_id` fits `text`: spans end inside it and the
    /// texts the records carry are what the spans slice.
    pub fn check_text(&self, doc_id: &str, text: &str) -> Result<(), GoldError> {
        let chars: Vec<char> = text.chars().collect();
        for statement in self.statements(doc_id) {
            let error = |message: String| GoldError::Record {
                path: self.path.clone(),
                line: statement.line,
                message,
            };
            for (what, span, given) in [
                ("quote", Some(statement.quote), &statement.quote_text),
                ("speaker", statement.speaker, &statement.speaker_text),
                ("cue", statement.cue, &statement.cue_text),
            ] {
                let Some(span) = span else { continue };
                if span.end > chars.len() {
                    return Err(error(format!(
                        "{what}_end {} is past the end of document {doc_id} ({} code points)",
                        span.end,
                        chars.len()
                    )));
                }
                let slice: String = chars[span.start..span.end].iter().collect();
                if let Some(given) = given {
                    if *given != slice {
                        return Err(error(format!(
                            "{what}_text {given:?} is not what {what}_start..{what}_end slices from document {doc_id}: {slice:?}"
                        )));
                    }
                }
            }
        }
        Ok(())
    }
}

fn parse_record(line: &str, line_number: usize) -> Result<GoldStatement, String> {
    let record: GoldRecord =
        serde_json::from_str(line).map_err(|err| format!("bad gold record: {err}"))?;
    let doc_id = match record.doc_id {
        Value::String(s) if !s.is_empty() => s,
        Value::Number(n) => n.to_string(),
        other => return Err(format!("doc_id must be a non-empty string, found {other}")),
    };
    let quote_type = GoldType::parse(&record.quote_type).ok_or_else(|| {
        format!(
            "unknown type {:?} (expected direct, mixed, indirect, headline or not_a_quote)",
            record.quote_type
        )
    })?;
    let span = |what: &str, start: Option<usize>, end: Option<usize>| match (start, end) {
        (None, None) => Ok(None),
        (Some(start), Some(end)) if start < end => Ok(Some(CharSpan::new(start, end))),
        (Some(start), Some(end)) => Err(format!(
            "{what}_start {start} must be less than {what}_end {end}"
        )),
        _ => Err(format!(
            "{what}_start and {what}_end must be both given or both null"
        )),
    };
    let quote =
        span("quote", Some(record.quote_start), Some(record.quote_end))?.unwrap_or_default();
    Ok(GoldStatement {
        doc_id,
        quote_type,
        quote,
        speaker: span("speaker", record.speaker_start, record.speaker_end)?,
        speaker_resolved: record
            .speaker_resolved
            .map(|label| label.trim().to_string())
            .filter(|label| !label.is_empty()),
        cue: span("cue", record.cue_start, record.cue_end)?,
        quote_text: record.quote_text,
        speaker_text: record.speaker_text,
        cue_text: record.cue_text,
        line: line_number,
    })
}

/// Span counts for one scope. Recall is over gold statements, precision over
/// predictions; the two sides differ within one type when matched types disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SpanScores {
    /// Gold statements.
    pub gold: u64,
    /// Gold statements matched by a prediction.
    pub found: u64,
    /// Predictions.
    pub predicted: u64,
    /// Predictions matched to a gold statement.
    pub correct: u64,
}

impl SpanScores {
    /// `correct / predicted` (0 without predictions).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    /// `found / gold` (0 without gold statements).
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold)
    }

    /// Harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn to_json(self) -> Value {
        json!({
            "gold": self.gold,
            "found": self.found,
            "predicted": self.predicted,
            "correct": self.correct,
            "precision": round(self.precision()),
            "recall": round(self.recall()),
            "f1": round(self.f1()),
        })
    }
}

/// Speaker counts over the statements matched (by overlap) in one scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SpeakerScores {
    /// Matched statements.
    pub matched: u64,
    /// Those whose speaker is right, by any of the three tests.
    pub correct: u64,
    /// Right because the speaker spans overlap.
    pub by_span: u64,
    /// Right because the entity label equals `speaker_resolved` (spans do not overlap).
    pub by_label: u64,
    /// Right because the predicted span is another gold mention of the same speaker.
    pub by_antecedent: u64,
}

impl SpeakerScores {
    /// `correct / matched` (0 without matched statements).
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct, self.matched)
    }

    fn add(&mut self, other: &SpeakerScores) {
        self.matched += other.matched;
        self.correct += other.correct;
        self.by_span += other.by_span;
        self.by_label += other.by_label;
        self.by_antecedent += other.by_antecedent;
    }

    fn to_json(self) -> Value {
        json!({
            "matched": self.matched,
            "correct": self.correct,
            "accuracy": round(self.accuracy()),
            "by_span": self.by_span,
            "by_label": self.by_label,
            "by_antecedent": self.by_antecedent,
        })
    }
}

/// The scores of one scope: all documents or one language, all types or one.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeScores {
    /// The language, or `None` for all.
    pub lang: Option<Lang>,
    /// The statement type, or `None` for all.
    pub quote_type: Option<String>,
    /// Spans matched by overlap.
    pub overlap: SpanScores,
    /// Spans matched exactly.
    pub exact: SpanScores,
    /// Speakers of statements matched by overlap.
    pub speaker: SpeakerScores,
    /// `not_a_quote` rows, and how many of them a prediction matched.
    pub not_a_quote: (u64, u64),
}

impl ScopeScores {
    fn name(&self) -> String {
        match (&self.lang, &self.quote_type) {
            (None, None) => "all".to_string(),
            (Some(lang), None) => lang.code().to_string(),
            (_, Some(quote_type)) => format!("  {quote_type}"),
        }
    }
}

/// Counts kept per (language, type); scopes are sums of them.
#[derive(Debug, Clone, Copy, Default)]
struct GoldTally {
    total: u64,
    found: u64,
    found_exact: u64,
    speaker: SpeakerScores,
}

#[derive(Debug, Clone, Copy, Default)]
struct PredictedTally {
    total: u64,
    correct: u64,
    correct_exact: u64,
}

/// What went wrong, one row of the error table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// A gold statement no prediction matches (false negative).
    Missed,
    /// A prediction that matches no gold record (false positive).
    Spurious,
    /// A prediction that matches a `not_a_quote` row (false positive).
    NotAQuote,
    /// A matched statement whose speaker is wrong.
    Speaker,
    /// A matched statement whose predicted type differs.
    Type,
    /// A statement matched by overlap but not exactly.
    Boundary,
}

impl ErrorKind {
    /// The name in the error table.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Missed => "missed",
            ErrorKind::Spurious => "spurious",
            ErrorKind::NotAQuote => "not_a_quote",
            ErrorKind::Speaker => "speaker",
            ErrorKind::Type => "type",
            ErrorKind::Boundary => "boundary",
        }
    }
}

/// One row of the error table, with the texts already cut from the document.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The document.
    pub doc_id: String,
    /// Its language.
    pub lang: Lang,
    /// The gold record involved, if any.
    pub gold: Option<GoldStatement>,
    /// The gold record's quote text.
    pub gold_text: String,
    /// The gold speaker as written.
    pub gold_speaker: String,
    /// The gold cue as written.
    pub gold_cue: String,
    /// The predicted quote's type.
    pub predicted_type: String,
    /// The predicted quote's span.
    pub predicted: Option<CharSpan>,
    /// The predicted quote's text.
    pub predicted_text: String,
    /// The predicted speaker as written.
    pub predicted_speaker: String,
    /// The predicted speaker entity's label.
    pub predicted_speaker_label: String,
    /// The rule that attributed the predicted speaker.
    pub predicted_method: String,
    /// A short explanation.
    pub note: String,
    /// The text around the span in question, the span marked with ⟦ ⟧.
    pub context: String,
}

impl QuoteError {
    fn position(&self) -> usize {
        match (&self.gold, self.predicted) {
            (Some(gold), _) => gold.quote.start,
            (None, Some(predicted)) => predicted.start,
            (None, None) => 0,
        }
    }
}

/// Columns of the error table.
pub const ERROR_COLUMNS: [&str; 20] = [
    "kind",
    "doc_id",
    "lang",
    "gold_type",
    "pred_type",
    "gold_start",
    "gold_end",
    "pred_start",
    "pred_end",
    "gold_quote",
    "pred_quote",
    "gold_speaker",
    "gold_speaker_resolved",
    "gold_cue",
    "pred_speaker",
    "pred_speaker_label",
    "pred_method",
    "gold_line",
    "note",
    "context",
];

/// Scores predicted quotes against gold records, one document at a time.
#[derive(Debug, Clone, Default)]
pub struct QuoteEval {
    documents: usize,
    langs: BTreeSet<Lang>,
    gold: BTreeMap<(Lang, GoldType), GoldTally>,
    predicted: BTreeMap<(Lang, String), PredictedTally>,
    not_a_quote: BTreeMap<Lang, (u64, u64)>,
    types: BTreeMap<(GoldType, String), u64>,
    errors: Vec<QuoteError>,
}

impl QuoteEval {
    /// An empty evaluation.
    pub fn new() -> QuoteEval {
        QuoteEval::default()
    }

    /// Scores the quotes predicted for `document` against its gold records. The
    /// document's language groups the counts (detected when `und`).
    pub fn add_document(
        &mut self,
        document: &Document,
        predicted: &[Quote],
        gold: &[GoldStatement],
    ) {
        let lang = match document.lang {
            Lang::Und => Lang::detect(&document.text),
            lang => lang,
        };
        self.documents += 1;
        self.langs.insert(lang);
        let chars: Vec<char> = document.text.chars().collect();
        let first_error = self.errors.len();
        let doc = DocumentScoring {
            doc_id: &document.id,
            lang,
            chars: &chars,
            predicted,
            gold,
        };
        doc.score(self);
        self.errors[first_error..].sort_by_key(|e| (e.position(), e.kind));
    }

    /// Every false positive, false negative, wrong speaker, type disagreement and
    /// inexact boundary, in document order.
    pub fn errors(&self) -> &[QuoteError] {
        &self.errors
    }

    /// The scores for all documents, each language, each type and each language and type.
    pub fn report(&self) -> QuoteReport {
        let mut types: Vec<String> = GoldType::STATEMENTS
            .iter()
            .map(|t| t.name().to_string())
            .collect();
        for (_, quote_type) in self.predicted.keys() {
            if !types.contains(quote_type) {
                types.push(quote_type.clone());
            }
        }
        let mut langs: Vec<Option<Lang>> = vec![None];
        langs.extend(self.langs.iter().copied().map(Some));
        let mut scopes = Vec::new();
        for lang in langs {
            scopes.push(self.scope(lang, None));
            for quote_type in &types {
                scopes.push(self.scope(lang, Some(quote_type)));
            }
        }
        QuoteReport {
            documents: self.documents,
            scopes,
            type_confusion: self
                .types
                .iter()
                .map(|((gold, predicted), n)| (*gold, predicted.clone(), *n))
                .collect(),
        }
    }

    fn scope(&self, lang: Option<Lang>, quote_type: Option<&str>) -> ScopeScores {
        let in_lang = |l: &Lang| lang.is_none_or(|want| want == *l);
        let mut scores = ScopeScores {
            lang,
            quote_type: quote_type.map(str::to_string),
            overlap: SpanScores::default(),
            exact: SpanScores::default(),
            speaker: SpeakerScores::default(),
            not_a_quote: (0, 0),
        };
        for ((l, t), tally) in &self.gold {
            if in_lang(l) && quote_type.is_none_or(|want| want == t.name()) {
                scores.overlap.gold += tally.total;
                scores.overlap.found += tally.found;
                scores.exact.gold += tally.total;
                scores.exact.found += tally.found_exact;
                scores.speaker.add(&tally.speaker);
            }
        }
        for ((l, t), tally) in &self.predicted {
            if in_lang(l) && quote_type.is_none_or(|want| want == t) {
                scores.overlap.predicted += tally.total;
                scores.overlap.correct += tally.correct;
                scores.exact.predicted += tally.total;
                scores.exact.correct += tally.correct_exact;
            }
        }
        if quote_type.is_none() {
            for (l, (total, hit)) in &self.not_a_quote {
                if in_lang(l) {
                    scores.not_a_quote.0 += total;
                    scores.not_a_quote.1 += hit;
                }
            }
        }
        scores
    }

    /// Writes the error table as TSV: a header, then one row per error. Tabs and line
    /// breaks inside cells become spaces and ⏎.
    pub fn write_errors_tsv(&self, mut out: impl Write) -> io::Result<()> {
        writeln!(out, "{}", ERROR_COLUMNS.join("\t"))?;
        for error in &self.errors {
            let number = |n: Option<usize>| n.map_or(String::new(), |n| n.to_string());
            let gold = error.gold.as_ref();
            let cells = [
                error.kind.name().to_string(),
                error.doc_id.clone(),
                error.lang.code().to_string(),
                gold.map_or(String::new(), |g| g.quote_type.name().to_string()),
                error.predicted_type.clone(),
                number(gold.map(|g| g.quote.start)),
                number(gold.map(|g| g.quote.end)),
                number(error.predicted.map(|p| p.start)),
                number(error.predicted.map(|p| p.end)),
                error.gold_text.clone(),
                error.predicted_text.clone(),
                error.gold_speaker.clone(),
                gold.and_then(|g| g.speaker_resolved.clone())
                    .unwrap_or_default(),
                error.gold_cue.clone(),
                error.predicted_speaker.clone(),
                error.predicted_speaker_label.clone(),
                error.predicted_method.clone(),
                number(gold.map(|g| g.line)),
                error.note.clone(),
                error.context.clone(),
            ];
            let cells: Vec<String> = cells.iter().map(|cell| tsv_cell(cell)).collect();
            writeln!(out, "{}", cells.join("\t"))?;
        }
        out.flush()
    }
}

/// One document being scored.
struct DocumentScoring<'a> {
    doc_id: &'a str,
    lang: Lang,
    chars: &'a [char],
    predicted: &'a [Quote],
    gold: &'a [GoldStatement],
}

/// How a speaker was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpeakerVerdict {
    Span,
    Label,
    Antecedent,
    NoneExpected,
    Wrong,
}

impl DocumentScoring<'_> {
    fn score(&self, eval: &mut QuoteEval) {
        let statements: Vec<&GoldStatement> = self
            .gold
            .iter()
            .filter(|g| g.quote_type.is_statement())
            .collect();
        let terms: Vec<&GoldStatement> = self
            .gold
            .iter()
            .filter(|g| !g.quote_type.is_statement())
            .collect();
        let predicted_spans: Vec<CharSpan> = self
            .predicted
            .iter()
            .map(|q| CharSpan::from(q.span))
            .collect();
        let gold_spans: Vec<CharSpan> = statements.iter().map(|g| g.quote).collect();

        let loose = assign(&gold_spans, &predicted_spans, |g, p| g.matches(p));
        let exact = assign(&gold_spans, &predicted_spans, |g, p| g == p);

        for (gi, statement) in statements.iter().enumerate() {
            let tally = eval
                .gold
                .entry((self.lang, statement.quote_type))
                .or_default();
            tally.total += 1;
            if exact.gold[gi].is_some() {
                tally.found_exact += 1;
            }
            let Some(pi) = loose.gold[gi] else {
                let note = self.nearest_note(statement.quote, &predicted_spans, "prediction");
                eval.errors
                    .push(self.error(ErrorKind::Missed, Some(statement), None, note));
                continue;
            };
            tally.found += 1;
            let quote = &self.predicted[pi];
            let verdict = self.speaker_verdict(statement, quote);
            let speaker = &mut tally.speaker;
            speaker.matched += 1;
            match verdict {
                SpeakerVerdict::Span => speaker.by_span += 1,
                SpeakerVerdict::Label => speaker.by_label += 1,
                SpeakerVerdict::Antecedent => speaker.by_antecedent += 1,
                SpeakerVerdict::NoneExpected | SpeakerVerdict::Wrong => {}
            }
            if verdict != SpeakerVerdict::Wrong {
                speaker.correct += 1;
            }
            *eval
                .types
                .entry((statement.quote_type, quote.quote_type.to_string()))
                .or_default() += 1;

            if verdict == SpeakerVerdict::Wrong {
                let note = self.speaker_note(statement, quote);
                eval.errors.push(self.error(
                    ErrorKind::Speaker,
                    Some(statement),
                    Some(quote),
                    note,
                ));
            }
            if quote.quote_type != statement.quote_type.name() {
                let note = format!(
                    "gold {}, predicted {}",
                    statement.quote_type.name(),
                    quote.quote_type
                );
                eval.errors
                    .push(self.error(ErrorKind::Type, Some(statement), Some(quote), note));
            }
            if exact.gold[gi].is_none() {
                let note = self.boundary_note(statement.quote, predicted_spans[pi]);
                eval.errors.push(self.error(
                    ErrorKind::Boundary,
                    Some(statement),
                    Some(quote),
                    note,
                ));
            }
        }

        let mut terms_hit = vec![false; terms.len()];
        for (pi, quote) in self.predicted.iter().enumerate() {
            let tally = eval
                .predicted
                .entry((self.lang, quote.quote_type.to_string()))
                .or_default();
            tally.total += 1;
            if exact.predicted[pi].is_some() {
                tally.correct_exact += 1;
            }
            if loose.predicted[pi].is_some() {
                tally.correct += 1;
                continue;
            }
            let span = predicted_spans[pi];
            let term = terms
                .iter()
                .enumerate()
                .filter(|(_, term)| term.quote.matches(span))
                .max_by(|(_, a), (_, b)| {
                    a.quote
                        .overlap_ratio(span)
                        .total_cmp(&b.quote.overlap_ratio(span))
                });
            match term {
                Some((ti, term)) => {
                    terms_hit[ti] = true;
                    let note = "a quoted name, term, title or dateline, not a statement".into();
                    eval.errors.push(self.error(
                        ErrorKind::NotAQuote,
                        Some(term),
                        Some(quote),
                        note,
                    ));
                }
                None => {
                    let note = self.nearest_note(span, &gold_spans, "statement");
                    eval.errors
                        .push(self.error(ErrorKind::Spurious, None, Some(quote), note));
                }
            }
        }
        let counts = eval.not_a_quote.entry(self.lang).or_default();
        counts.0 += terms.len() as u64;
        counts.1 += terms_hit.iter().filter(|&&hit| hit).count() as u64;
    }

    fn speaker_verdict(&self, gold: &GoldStatement, quote: &Quote) -> SpeakerVerdict {
        let predicted = quote.speaker.map(CharSpan::from);
        if let (Some(g), Some(p)) = (gold.speaker, predicted) {
            if g.overlap(p) > 0 {
                return SpeakerVerdict::Span;
            }
        }
        let Some(resolved) = &gold.speaker_resolved else {
            return if gold.speaker.is_none() && predicted.is_none() {
                SpeakerVerdict::NoneExpected
            } else {
                SpeakerVerdict::Wrong
            };
        };
        if let Some(entity) = &quote.speaker_entity {
            if same_label(&entity.label, resolved) {
                return SpeakerVerdict::Label;
            }
        }
        if let Some(p) = predicted {
            let antecedent = self.gold.iter().any(|other| {
                other.speaker.is_some_and(|s| s.overlap(p) > 0)
                    && other
                        .speaker_resolved
                        .as_deref()
                        .is_some_and(|label| same_label(label, resolved))
            });
            if antecedent {
                return SpeakerVerdict::Antecedent;
            }
        }
        SpeakerVerdict::Wrong
    }

    fn speaker_note(&self, gold: &GoldStatement, quote: &Quote) -> String {
        let want = gold.speaker_resolved.as_deref().unwrap_or("no speaker");
        let got = match (quote.speaker, &quote.speaker_entity) {
            (None, None) => "no speaker".to_string(),
            (_, Some(entity)) => format!("entity {:?}", entity.label),
            (Some(span), None) => format!("{:?} without an entity", self.slice(span.into())),
        };
        let written = match gold.speaker {
            Some(span) => format!("written {:?}", self.slice(span)),
            None => "not written (dropped subject)".to_string(),
        };
        format!("want {want} ({written}); predicted {got}")
    }

    fn boundary_note(&self, gold: CharSpan, predicted: CharSpan) -> String {
        let side = |g: usize, p: usize| match p.cmp(&g) {
            std::cmp::Ordering::Equal => "same".to_string(),
            std::cmp::Ordering::Less => format!("{} earlier", g - p),
            std::cmp::Ordering::Greater => format!("{} later", p - g),
        };
        format!(
            "start {}, end {} (overlap {:.2})",
            side(gold.start, predicted.start),
            side(gold.end, predicted.end),
            gold.overlap_ratio(predicted)
        )
    }

    /// Names the most overlapping span of `others`, if any, for a missed or spurious row.
    fn nearest_note(&self, span: CharSpan, others: &[CharSpan], what: &str) -> String {
        others
            .iter()
            .filter(|other| other.overlap(span) > 0)
            .max_by(|a, b| a.overlap_ratio(span).total_cmp(&b.overlap_ratio(span)))
            .map_or(String::new(), |other| {
                format!(
                    "overlaps {what} {other} by {:.2} of the longer span (needs {MIN_OVERLAP})",
                    other.overlap_ratio(span)
                )
            })
    }

    fn error(
        &self,
        kind: ErrorKind,
        gold: Option<&GoldStatement>,
        quote: Option<&Quote>,
        note: String,
    ) -> QuoteError {
        let focus = match (kind, gold, quote) {
            (ErrorKind::NotAQuote | ErrorKind::Spurious, _, Some(quote)) => quote.span.into(),
            (_, Some(gold), _) => gold.quote,
            (_, None, Some(quote)) => quote.span.into(),
            (_, None, None) => CharSpan::default(),
        };
        QuoteError {
            kind,
            doc_id: self.doc_id.to_string(),
            lang: self.lang,
            gold: gold.cloned(),
            gold_text: gold.map_or(String::new(), |g| shorten(&self.slice(g.quote))),
            gold_speaker: gold
                .and_then(|g| g.speaker)
                .map_or(String::new(), |s| self.slice(s)),
            gold_cue: gold
                .and_then(|g| g.cue)
                .map_or(String::new(), |c| self.slice(c)),
            predicted_type: quote.map_or(String::new(), |q| q.quote_type.to_string()),
            predicted: quote.map(|q| q.span.into()),
            predicted_text: quote.map_or(String::new(), |q| shorten(&self.slice(q.span.into()))),
            predicted_speaker: quote
                .and_then(|q| q.speaker)
                .map_or(String::new(), |s| self.slice(s.into())),
            predicted_speaker_label: quote
                .and_then(|q| q.speaker_entity.as_ref())
                .map_or(String::new(), |e| e.label.to_string()),
            predicted_method: quote.map_or(String::new(), |q| q.attribution_method.to_string()),
            note,
            context: self.context(focus),
        }
    }

    fn slice(&self, span: CharSpan) -> String {
        let end = span.end.min(self.chars.len());
        let start = span.start.min(end);
        self.chars[start..end].iter().collect()
    }

    /// The text around `span`, the span marked with ⟦ ⟧ and shortened when long.
    fn context(&self, span: CharSpan) -> String {
        let end = span.end.min(self.chars.len());
        let start = span.start.min(end);
        let before = start.saturating_sub(CONTEXT_CHARS);
        let after = (end + CONTEXT_CHARS).min(self.chars.len());
        let mut context = String::new();
        if before > 0 {
            context.push('…');
        }
        context.extend(&self.chars[before..start]);
        context.push('⟦');
        context.push_str(&shorten(&self.slice(CharSpan::new(start, end))));
        context.push('⟧');
        context.extend(&self.chars[end..after]);
        if after < self.chars.len() {
            context.push('…');
        }
        context
    }
}

/// Pairs gold and predicted spans one to one, best overlap first.
struct Assignment {
    gold: Vec<Option<usize>>,
    predicted: Vec<Option<usize>>,
}

fn assign(
    gold: &[CharSpan],
    predicted: &[CharSpan],
    accept: impl Fn(CharSpan, CharSpan) -> bool,
) -> Assignment {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (gi, &g) in gold.iter().enumerate() {
        for (pi, &p) in predicted.iter().enumerate() {
            if accept(g, p) {
                pairs.push((g.overlap_ratio(p), gi, pi));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let mut assignment = Assignment {
        gold: vec![None; gold.len()],
        predicted: vec![None; predicted.len()],
    };
    for (_, gi, pi) in pairs {
        if assignment.gold[gi].is_none() && assignment.predicted[pi].is_none() {
            assignment.gold[gi] = Some(pi);
            assignment.predicted[pi] = Some(gi);
        }
    }
    assignment
}

fn same_label(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn ratio(numerator: u64, denominator: u64) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// Long texts keep their beginning and end.
fn shorten(text: &str) -> String {
    let count = text.chars().count();
    if count <= CELL_CHARS {
        return text.to_string();
    }
    let keep = CELL_CHARS / 2 - 1;
    let head: String = text.chars().take(keep).collect();
    let tail: String = text.chars().skip(count - keep).collect();
    format!("{head} … {tail}")
}

fn tsv_cell(text: &str) -> String {
    text.replace("\r\n", "⏎")
        .replace(['\n', '\r'], "⏎")
        .replace('\t', " ")
}

/// The scores of an evaluation, for printing as a table or JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteReport {
    /// Documents scored.
    pub documents: usize,
    /// All documents, then each language; each followed by its types.
    pub scopes: Vec<ScopeScores>,
    /// Matched statements by gold type and predicted type.
    pub type_confusion: Vec<(GoldType, String, u64)>,
}

impl QuoteReport {
    /// The scores of one scope, if it exists.
    pub fn scope(&self, lang: Option<Lang>, quote_type: Option<&str>) -> Option<&ScopeScores> {
        self.scopes
            .iter()
            .find(|s| s.lang == lang && s.quote_type.as_deref() == quote_type)
    }

    /// The scores over all documents and types.
    pub fn overall(&self) -> &ScopeScores {
        &self.scopes[0]
    }

    /// The report as one JSON object.
    pub fn to_json(&self) -> Value {
        let scopes: Vec<Value> = self
            .scopes
            .iter()
            .map(|s| {
                let mut scope = json!({
                    "lang": s.lang.map_or("all", Lang::code),
                    "type": s.quote_type.as_deref().unwrap_or("all"),
                    "overlap": s.overlap.to_json(),
                    "exact": s.exact.to_json(),
                    "speaker": s.speaker.to_json(),
                });
                if s.quote_type.is_none() {
                    scope["not_a_quote"] = json!({
                        "gold": s.not_a_quote.0,
                        "predicted": s.not_a_quote.1,
                    });
                }
                scope
            })
            .collect();
        let confusion: Vec<Value> = self
            .type_confusion
            .iter()
            .map(|(gold, predicted, n)| {
                json!({"gold": gold.name(), "predicted": predicted, "count": n})
            })
            .collect();
        json!({
            "documents": self.documents,
            "min_overlap": MIN_OVERLAP,
            "scopes": scopes,
            "type_confusion": confusion,
        })
    }
}

impl fmt::Display for QuoteReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all = self.overall();
        let types: Vec<&ScopeScores> = self
            .scopes
            .iter()
            .filter(|s| s.lang.is_none() && s.quote_type.is_some())
            .collect();
        let by_type: Vec<String> = types
            .iter()
            .filter(|s| s.overlap.gold > 0)
            .map(|s| {
                format!(
                    "{} {}",
                    s.quote_type.as_deref().unwrap_or(""),
                    s.overlap.gold
                )
            })
            .collect();
        let by_type = if by_type.is_empty() {
            String::new()
        } else {
            format!(" ({})", by_type.join(", "))
        };
        writeln!(
            f,
            "{} documents; {} gold statements{by_type}; {} not_a_quote rows; {} predicted",
            self.documents, all.overlap.gold, all.not_a_quote.0, all.overlap.predicted
        )?;
        for (title, exact) in [
            (
                format!("Quote spans, matched by overlap >= {MIN_OVERLAP} of the longer span"),
                false,
            ),
            ("Quote spans, matched exactly".to_string(), true),
        ] {
            writeln!(f, "\n{title}")?;
            writeln!(
                f,
                "{:<14}{:>6}{:>7}{:>8}{:>7}{:>9}{:>11}{:>7}",
                "scope", "gold", "found", "recall", "pred", "correct", "precision", "f1"
            )?;
            for scope in &self.scopes {
                let s = if exact { scope.exact } else { scope.overlap };
                if scope.quote_type.is_some() && s.gold == 0 && s.predicted == 0 {
                    continue;
                }
                writeln!(
                    f,
                    "{:<14}{:>6}{:>7}{:>8.3}{:>7}{:>9}{:>11.3}{:>7.3}",
                    scope.name(),
                    s.gold,
                    s.found,
                    s.recall(),
                    s.predicted,
                    s.correct,
                    s.precision(),
                    s.f1()
                )?;
            }
        }
        writeln!(
            f,
            "\nSpeakers of matched statements (right: spans overlap, entity label = speaker_resolved, or an antecedent)"
        )?;
        writeln!(
            f,
            "{:<14}{:>8}{:>9}{:>10}{:>7}{:>7}{:>12}",
            "scope", "matched", "correct", "accuracy", "span", "label", "antecedent"
        )?;
        for scope in &self.scopes {
            let s = scope.speaker;
            if scope.quote_type.is_some() && scope.overlap.gold == 0 {
                continue;
            }
            writeln!(
                f,
                "{:<14}{:>8}{:>9}{:>10.3}{:>7}{:>7}{:>12}",
                scope.name(),
                s.matched,
                s.correct,
                s.accuracy(),
                s.by_span,
                s.by_label,
                s.by_antecedent
            )?;
        }
        writeln!(
            f,
            "\nnot_a_quote rows matched by a prediction (counted as false positives above)"
        )?;
        for scope in self.scopes.iter().filter(|s| s.quote_type.is_none()) {
            writeln!(
                f,
                "{:<14}{:>4} of {}",
                scope.name(),
                scope.not_a_quote.1,
                scope.not_a_quote.0
            )?;
        }
        if !self.type_confusion.is_empty() {
            writeln!(
                f,
                "\nTypes of matched statements (gold -> predicted: count)"
            )?;
            for (gold, predicted, n) in &self.type_confusion {
                writeln!(f, "  {} -> {predicted}: {n}", gold.name())?;
            }
        }
        Ok(())
    }
}
