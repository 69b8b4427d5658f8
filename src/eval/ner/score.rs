//! Rebuilding documents from tokens, mapping mentions back to tokens, and scoring.

use std::collections::HashSet;
use std::ops::Range;

use rayon::prelude::*;

use super::{strip_bidi, ConllDocument, Corpus, GoldMention, TagMap};
use crate::document::{Document, Mention};
use crate::gazetteer::EntityType;
use crate::pipeline::Pipeline;

/// Where a token is in a rebuilt document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenPlace {
    /// Index of its sentence in the document.
    pub sentence: usize,
    /// Index of the token in its sentence.
    pub index: usize,
    /// Byte range in the rebuilt text.
    pub start: usize,
    /// End of the byte range (exclusive).
    pub end: usize,
}

/// A document's text rebuilt from its tokens: tokens joined by one space, sentences by
/// a newline, with every token's place.
///
/// ```
/// use naql::eval::ner::{Corpus, RebuiltDocument};
/// let mut corpus = Corpus::default();
/// corpus.parse("a", "Maria B-PER\nZakharova I-PER\nsaid O\n\nIt O\n")?;
/// let rebuilt = RebuiltDocument::new(&corpus.documents[0]);
/// assert_eq!(rebuilt.text, "Maria Zakharova said\nIt");
/// assert_eq!(rebuilt.tokens_touched(6..15), Some(1..2));
/// assert_eq!(rebuilt.tokens_touched(0..15), Some(0..2));
/// assert_eq!(rebuilt.tokens_touched(21..23), Some(3..4));
/// # Ok::<(), naql::eval::ner::ConllError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebuiltDocument {
    /// The document id.
    pub id: String,
    /// The text.
    pub text: String,
    /// Every token's place, in order.
    pub tokens: Vec<TokenPlace>,
}

impl RebuiltDocument {
    /// Rebuilds `document`'s text.
    pub fn new(document: &ConllDocument) -> RebuiltDocument {
        let mut text = String::new();
        let mut tokens = Vec::new();
        for (s, sentence) in document.sentences.iter().enumerate() {
            if s > 0 {
                text.push('\n');
            }
            for (i, token) in sentence.tokens.iter().enumerate() {
                if i > 0 {
                    text.push(' ');
                }
                let start = text.len();
                text.push_str(&token.text);
                tokens.push(TokenPlace {
                    sentence: s,
                    index: i,
                    start,
                    end: text.len(),
                });
            }
        }
        RebuiltDocument {
            id: document.id.clone(),
            text,
            tokens,
        }
    }

    /// The tokens (indexes into [`RebuiltDocument::tokens`]) that the byte range
    /// `bytes` touches, `None` when it touches none.
    pub fn tokens_touched(&self, bytes: Range<usize>) -> Option<Range<usize>> {
        let first = self.tokens.partition_point(|t| t.end <= bytes.start);
        let end = self.tokens.partition_point(|t| t.start < bytes.end);
        (first < end).then_some(first..end)
    }
}

/// A mention found by naql, as a token range of one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PredictedSpan {
    /// Sentence index in the document.
    pub sentence: usize,
    /// First token in the sentence.
    pub start: usize,
    /// One past the last token (clipped to the sentence).
    pub end: usize,
    pub entity_type: EntityType,
    /// The entity id and how it matched, for the errors file.
    pub entity: String,
    /// The gazetteer name matched.
    pub matched_name: String,
    /// How it matched (`exact`, `clitic`, `propagated` ...).
    pub match_kind: String,
}

/// The token ranges of `mentions` (demonyms left out), deduplicated, in order.
pub(crate) fn predicted_spans(
    rebuilt: &RebuiltDocument,
    mentions: &[Mention],
) -> Vec<PredictedSpan> {
    let mut spans: Vec<PredictedSpan> = Vec::new();
    // Two mentions in one token (د ب ا) are one mention of that token.
    let mut seen = HashSet::new();
    for mention in mentions {
        if mention.match_kind == "demonym" {
            continue;
        }
        let Some(touched) = rebuilt.tokens_touched(mention.span.byte_start..mention.span.byte_end)
        else {
            continue;
        };
        let first = rebuilt.tokens[touched.start];
        let last = rebuilt.tokens[touched.end - 1];
        let end = if last.sentence == first.sentence {
            last.index + 1
        } else {
            // A name across a sentence break: keep the part in the first sentence.
            rebuilt.tokens[touched.start..]
                .iter()
                .take_while(|t| t.sentence == first.sentence)
                .count()
                + first.index
        };
        let Some(entity_type) = super::parse_entity_type(mention.entity.entity_type).ok() else {
            continue;
        };
        let span = PredictedSpan {
            sentence: first.sentence,
            start: first.index,
            end,
            entity_type,
            entity: format!("{} {}", mention.entity.id, mention.match_kind),
            matched_name: mention.matched_name.to_string(),
            match_kind: mention.match_kind.to_string(),
        };
        if seen.insert((span.sentence, span.start, span.end, span.entity_type)) {
            spans.push(span);
        }
    }
    spans
}

/// What to score.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// From the corpus's tags to naql types.
    pub tag_map: TagMap,
    /// The types scored; gold and found mentions of other types are left out.
    pub types: Vec<EntityType>,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            tag_map: TagMap::default(),
            types: vec![EntityType::Per, EntityType::Org, EntityType::Loc],
        }
    }
}

/// Gold, found and correct mention counts.
///
/// ```
/// use naql::eval::ner::Counts;
/// let c = Counts { gold: 4, predicted: 2, correct: 1 };
/// assert_eq!((c.precision(), c.recall()), (0.5, 0.25));
/// assert!((c.f1() - 1.0 / 3.0).abs() < 1e-12);
/// assert_eq!(Counts::default().f1(), 0.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Gold mentions.
    pub gold: usize,
    /// Mentions found.
    pub predicted: usize,
    /// Mentions found with the gold token range and type.
    pub correct: usize,
}

impl Counts {
    /// Correct / found (0 when nothing was found).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    /// Correct / gold (0 when there is no gold mention).
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }

    /// Harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        ratio(2 * self.correct, self.gold + self.predicted)
    }

    fn add(&mut self, other: Counts) {
        self.gold += other.gold;
        self.predicted += other.predicted;
        self.correct += other.correct;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// False positive or false negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorKind {
    /// A gold mention naql missed.
    FalseNegative,
    /// A mention naql found that is not gold.
    FalsePositive,
}

impl ErrorKind {
    /// `fn` or `fp`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::FalseNegative => "fn",
            ErrorKind::FalsePositive => "fp",
        }
    }
}

/// Why a mention is wrong, judged by what the other side has at that place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The same tokens, another type.
    WrongType,
    /// Overlapping tokens, not the same ones.
    Boundary,
    /// Found where nothing of a scored type is tagged.
    Spurious,
    /// Tagged where nothing was found.
    Missed,
}

impl ErrorClass {
    /// `wrong_type`, `boundary`, `spurious` or `missed`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorClass::WrongType => "wrong_type",
            ErrorClass::Boundary => "boundary",
            ErrorClass::Spurious => "spurious",
            ErrorClass::Missed => "missed",
        }
    }
}

/// Header of the `--errors` TSV.
pub const ERRORS_HEADER: &str =
    "doc_id\tsentence\tlocation\terror\tclass\ttype\ttext\tother\tentity\tcontext";

/// One false positive or false negative, with context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRow {
    /// The document.
    pub doc_id: String,
    /// Sentence number in the corpus (what `--sentences` selects by).
    pub sentence: usize,
    /// `FILE:LINE` of the mention's first token.
    pub location: String,
    /// False positive or negative.
    pub kind: ErrorKind,
    /// Why it is wrong.
    pub class: ErrorClass,
    /// The mention's type.
    pub entity_type: EntityType,
    /// The mention's tokens joined by spaces.
    pub text: String,
    /// What the other side has there: `TYPE tokens` of an overlapping mention; for a
    /// false positive with no scored gold mention there, a tag left out (`(Group) ...`).
    pub other: String,
    /// For a false positive, its entity id and match kind; for a false negative, those
    /// of an overlapping mention found.
    pub entity: String,
    /// The sentence around the mention, the mention in `[[ ]]`.
    pub context: String,
    /// Token range in the sentence, for ordering.
    tokens: (usize, usize),
}

impl ErrorRow {
    /// The row as a TSV line (no line end). Fields never hold tabs or line breaks.
    pub fn tsv(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            self.doc_id,
            self.sentence,
            self.location,
            self.kind.code(),
            self.class.code(),
            self.entity_type.code(),
            self.text,
            self.other,
            self.entity,
            self.context
        )
    }
}

/// Scores of a corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Documents scored.
    pub documents: usize,
    /// Sentences scored.
    pub sentences: usize,
    /// Tokens scored.
    pub tokens: usize,
    /// Counts per scored type, in the order asked.
    pub by_type: Vec<(EntityType, Counts)>,
    /// Counts over all scored types (micro-averaged scores).
    pub overall: Counts,
    /// Every false positive and false negative, in document order.
    pub errors: Vec<ErrorRow>,
}

/// Runs `pipeline` on every document of `corpus` (in parallel) and scores the mentions
/// against the gold ones.
///
/// ```
/// use naql::eval::ner::{evaluate, Corpus, EvalOptions};
/// let mut corpus = Corpus::default();
/// corpus.parse("a", "Putin B-PER\nspoke O\n")?;
/// let result = evaluate(&corpus, &naql::Pipeline::builder().build(), &EvalOptions::default());
/// assert_eq!((result.overall.gold, result.overall.predicted), (1, 0));
/// assert_eq!(result.errors[0].tsv(), "a:1\t1\ta:1\tfn\tmissed\tPER\tPutin\t\t\t[[Putin]] spoke");
/// # Ok::<(), naql::eval::ner::ConllError>(())
/// ```
pub fn evaluate(corpus: &Corpus, pipeline: &Pipeline, options: &EvalOptions) -> Evaluation {
    let results: Vec<(Vec<Counts>, Vec<ErrorRow>)> = corpus
        .documents
        .par_iter()
        .map(|document| score_document(document, pipeline, options))
        .collect();
    let mut by_type: Vec<(EntityType, Counts)> = options
        .types
        .iter()
        .map(|&t| (t, Counts::default()))
        .collect();
    let mut overall = Counts::default();
    let mut errors = Vec::new();
    for (counts, document_errors) in results {
        for ((_, total), counts) in by_type.iter_mut().zip(counts) {
            total.add(counts);
            overall.add(counts);
        }
        errors.extend(document_errors);
    }
    Evaluation {
        documents: corpus.documents.len(),
        sentences: corpus.sentence_count(),
        tokens: corpus.token_count(),
        by_type,
        overall,
        errors,
    }
}

/// Counts per type of `options.types` and the errors of one document.
fn score_document(
    document: &ConllDocument,
    pipeline: &Pipeline,
    options: &EvalOptions,
) -> (Vec<Counts>, Vec<ErrorRow>) {
    let rebuilt = RebuiltDocument::new(document);
    let extraction = pipeline.process(&Document::new(rebuilt.id.clone(), rebuilt.text.clone()));
    let scored = |t: EntityType| options.types.contains(&t);
    let predicted: Vec<PredictedSpan> = predicted_spans(&rebuilt, &extraction.mentions)
        .into_iter()
        .filter(|p| scored(p.entity_type))
        .collect();
    let mut counts = vec![Counts::default(); options.types.len()];
    let slot = |t: EntityType| options.types.iter().position(|&x| x == t);
    let mut errors = Vec::new();
    for (s, sentence) in document.sentences.iter().enumerate() {
        let gold: Vec<GoldMention> = sentence
            .gold_mentions(&options.tag_map)
            .into_iter()
            .filter(|g| scored(g.entity_type))
            .collect();
        let found: Vec<&PredictedSpan> = predicted.iter().filter(|p| p.sentence == s).collect();
        let gold_set: HashSet<(usize, usize, EntityType)> = gold
            .iter()
            .map(|g| (g.start, g.end, g.entity_type))
            .collect();
        let found_set: HashSet<(usize, usize, EntityType)> = found
            .iter()
            .map(|p| (p.start, p.end, p.entity_type))
            .collect();
        let words = |start: usize, end: usize| {
            strip_bidi(
                &sentence.tokens[start..end]
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        };
        let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        let mut row = |kind, class, entity_type, (start, end), other, entity| {
            errors.push(ErrorRow {
                doc_id: document.id.clone(),
                sentence: sentence.number,
                location: format!("{}:{}", sentence.file, sentence.lines[start]),
                kind,
                class,
                entity_type,
                text: words(start, end),
                other,
                entity,
                context: context(sentence, start, end),
                tokens: (start, end),
            });
        };
        for g in &gold {
            let i = slot(g.entity_type).unwrap_or(0);
            counts[i].gold += 1;
            if found_set.contains(&(g.start, g.end, g.entity_type)) {
                counts[i].correct += 1;
                continue;
            }
            let same_range = found.iter().find(|p| (p.start, p.end) == (g.start, g.end));
            let overlapping = same_range.or_else(|| {
                found
                    .iter()
                    .find(|p| overlaps((p.start, p.end), (g.start, g.end)))
            });
            let class = match (same_range, overlapping) {
                (Some(_), _) => ErrorClass::WrongType,
                (None, Some(_)) => ErrorClass::Boundary,
                (None, None) => ErrorClass::Missed,
            };
            let (other, entity) = overlapping.map_or((String::new(), String::new()), |p| {
                (
                    format!("{} {}", p.entity_type.code(), words(p.start, p.end)),
                    p.entity.clone(),
                )
            });
            row(
                ErrorKind::FalseNegative,
                class,
                g.entity_type,
                (g.start, g.end),
                other,
                entity,
            );
        }
        let mut unscored_tags = None;
        for p in &found {
            counts[slot(p.entity_type).unwrap_or(0)].predicted += 1;
            if gold_set.contains(&(p.start, p.end, p.entity_type)) {
                continue;
            }
            let same_range = gold.iter().find(|g| (g.start, g.end) == (p.start, p.end));
            let overlapping = same_range.or_else(|| {
                gold.iter()
                    .find(|g| overlaps((p.start, p.end), (g.start, g.end)))
            });
            let class = match (same_range, overlapping) {
                (Some(_), _) => ErrorClass::WrongType,
                (None, Some(_)) => ErrorClass::Boundary,
                (None, None) => ErrorClass::Spurious,
            };
            let other = match overlapping {
                Some(g) => format!("{} {}", g.entity_type.code(), words(g.start, g.end)),
                None => unscored_tags
                    .get_or_insert_with(|| sentence.tagged_spans())
                    .iter()
                    .find(|t| overlaps((t.start, t.end), (p.start, p.end)))
                    .map_or(String::new(), |t| {
                        format!("({}) {}", t.tag_type, words(t.start, t.end))
                    }),
            };
            row(
                ErrorKind::FalsePositive,
                class,
                p.entity_type,
                (p.start, p.end),
                other,
                p.entity.clone(),
            );
        }
    }
    errors.sort_by(|a, b| {
        (a.sentence, a.tokens.0, a.tokens.1, a.kind)
            .cmp(&(b.sentence, b.tokens.0, b.tokens.1, b.kind))
    });
    (counts, errors)
}

/// Up to eight tokens either side of a mention, the mention in `[[ ]]`.
fn context(sentence: &super::Sentence, start: usize, end: usize) -> String {
    const WINDOW: usize = 8;
    let from = start.saturating_sub(WINDOW);
    let to = (end + WINDOW).min(sentence.tokens.len());
    let mut out = String::new();
    if from > 0 {
        out.push_str("… ");
    }
    for (i, token) in sentence.tokens[from..to].iter().enumerate() {
        let i = i + from;
        if i > from {
            out.push(' ');
        }
        if i == start {
            out.push_str("[[");
        }
        out.push_str(&strip_bidi(&token.text));
        if i + 1 == end {
            out.push_str("]]");
        }
    }
    if to < sentence.tokens.len() {
        out.push_str(" …");
    }
    out
}
