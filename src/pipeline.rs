//! Per-document work, run in parallel across documents with output in input order.
//!
//! [`Pipeline::process`] takes one decoded [`Document`] through the stages;
//! [`Pipeline::run`] streams documents from a reader through a rayon pool in small
//! batches and hands the results to a [`Sink`] in input order, so the tables are
//! byte-identical at any thread count and memory is bounded by the batches in flight,
//! not the corpus.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::dates::{find_published, find_published_in, Published};
use crate::document::{Document, Entity, Mention, Quote};
use crate::gazetteer::{CompiledGazetteer, Gazetteer};
use crate::lang::Lang;
use crate::matcher::{Matcher, WalkStarts};
use crate::normalize::{Key, Normalizer};
use crate::outlets::{find_outlet_with_cues, Outlet, Outlets};
use crate::quotes::marks::{max_depth, regions_within};
use crate::quotes::QuoteExtractor;
use crate::read::{InputItem, ReadError, ReadFailure};
use crate::seen::IdsSeen;
use crate::segment::{Segmentation, Segmenter};
use crate::zones::{zone_at, ParagraphZone, Zone, ZoneRules};

/// Documents handed to a worker together at most: enough that handing them over costs
/// nothing next to processing them, few enough that the workers start soon after the
/// run does and finish together at its end.
const BATCH_DOCS: usize = 64;
/// Text bytes in a batch at most (a single larger document is its own batch).
const BATCH_BYTES: usize = 1024 * 1024;
/// Batches sent to the workers and not yet written, at most, per worker.
const IN_FLIGHT_BATCHES: usize = 8;
/// Text bytes sent to the workers and not yet written, at most (one larger document
/// still goes alone).
const IN_FLIGHT_BYTES: usize = 64 * 1024 * 1024;

/// The outcomes of a batch of documents, in input order, with their rows when a
/// worker encoded them.
type Batch = Vec<Processed>;

/// One document as a worker hands it to the writing thread.
struct Processed {
    /// The outcome, shed after rendering when the renderer allows (see
    /// [`Render::sheds`]).
    outcome: Outcome,
    /// What the sink's renderer made of it, if the sink has one.
    rendered: Option<Rendered>,
    /// Mentions, quotes and text bytes of the whole outcome, for the run's summary.
    counts: [usize; 3],
}

/// What the pipeline found in one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    /// Language used for the document (given, forced or detected).
    pub lang: Lang,
    /// SHA-256 of the text's UTF-8 bytes, lowercase hex.
    pub text_sha256: String,
    /// Length of the text in code points.
    pub text_length: usize,
    /// Publication date found in the byline (ISO 8601) when the input gave none.
    pub detected_published_at: Option<String>,
    /// The detected date as written (with its time of day), when the input gave none.
    pub published_at_text: Option<String>,
    /// Calendar of the detected date: `gregorian`, `solar_hijri` or `hijri`.
    pub published_calendar: Option<&'static str>,
    /// The news outlet the first article names (see [`crate::outlets`]).
    pub outlet: Option<Outlet>,
    /// Zone and article of every paragraph, in text order.
    pub zones: Vec<ParagraphZone>,
    /// Entity mentions, sorted by offset (only those in the selected zones).
    pub mentions: Vec<Mention>,
    /// Statements, sorted by offset (only those in the selected zones).
    pub quotes: Vec<Quote>,
    /// Bidi embedding, override and isolate controls in the text (see
    /// [`count_bidi_controls`]).
    pub n_bidi_controls: usize,
}

/// Default `--max-quote-depth`.
pub const DEFAULT_MAX_QUOTE_DEPTH: usize = 64;
/// Default `--max-mentions`.
pub const DEFAULT_MAX_MENTIONS: usize = 1_000_000;

/// Per-document limits; a document over one becomes a failure naming the limit (see
/// [`Pipeline::try_process`]). They bound the time and memory one hostile document can
/// take, whatever it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of quotation marks in a paragraph (`--max-quote-depth`).
    pub max_quote_depth: usize,
    /// Most entity mentions in one document (`--max-mentions`).
    pub max_mentions: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_quote_depth: DEFAULT_MAX_QUOTE_DEPTH,
            max_mentions: DEFAULT_MAX_MENTIONS,
        }
    }
}

/// Counts the bidi controls that reorder the text around them: embeddings and
/// overrides U+202A–U+202E and isolates U+2066–U+2069. An unterminated U+202E (RIGHT-TO-LEFT
/// OVERRIDE) makes a spreadsheet or terminal show the rest of a cell reversed. The marks
/// LRM, RLM and ALM (U+200E, U+200F, U+061C), common in Persian text, only affect their
/// neighbours and are not counted.
///
/// ```
/// assert_eq!(naql::pipeline::count_bidi_controls("abc\u{202E}fed\u{202C} \u{200F}"), 2);
/// ```
pub fn count_bidi_controls(text: &str) -> usize {
    // All nine are three bytes, E2 80 AA..AE or E2 81 A6..A9.
    memchr::memchr_iter(0xE2, text.as_bytes())
        .filter(|&i| {
            matches!(
                text.as_bytes().get(i + 1..i + 3),
                Some([0x80, 0xAA..=0xAE] | [0x81, 0xA6..=0xA9])
            )
        })
        .count()
}

/// The result for one input document, as the sinks receive it.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Read and processed.
    Done {
        /// The document.
        document: Document,
        /// What was found in it.
        extraction: Extraction,
    },
    /// Could not be read (or was rejected, as a duplicate id is).
    Failed(ReadFailure),
}

impl Outcome {
    /// The document id.
    pub fn id(&self) -> &str {
        match self {
            Outcome::Done { document, .. } => &document.id,
            Outcome::Failed(failure) => &failure.id,
        }
    }

    /// Frees what the tables' rows are made of, once they are encoded: the text, the
    /// zones, the mentions and the quotes. The document's id, language and metadata
    /// and the extraction's other fields stay. Gives each mention's entity, match
    /// kind and zone, for the entity counts.
    pub fn shed(&mut self) -> Vec<MentionTally> {
        let Outcome::Done {
            document,
            extraction,
        } = self
        else {
            return Vec::new();
        };
        document.text = String::new();
        extraction.zones = Vec::new();
        extraction.quotes = Vec::new();
        std::mem::take(&mut extraction.mentions)
            .into_iter()
            .map(|mention| MentionTally {
                entity: mention.entity,
                match_kind: mention.match_kind,
                zone: mention.zone,
            })
            .collect()
    }

    /// Mentions, quotes and text bytes.
    fn counts(&self) -> [usize; 3] {
        match self {
            Outcome::Done {
                document,
                extraction,
            } => [
                extraction.mentions.len(),
                extraction.quotes.len(),
                document.text.len(),
            ],
            Outcome::Failed(_) => [0; 3],
        }
    }
}

/// Where processed documents go, in input order.
pub trait Sink {
    /// Takes one document's outcome.
    fn write(&mut self, outcome: &Outcome) -> io::Result<()>;

    /// The per-document part of this sink's writing that needs nothing of its state
    /// (encoding a document's rows), for [`Pipeline::run`] to do on the worker
    /// threads; `None` when the sink has none.
    fn renderer(&self) -> Option<Arc<dyn Render>> {
        None
    }

    /// Takes one document's outcome with what [`Sink::renderer`] made of it; the same
    /// output as [`Sink::write`].
    fn write_rendered(&mut self, outcome: &Outcome, rendered: Rendered) -> io::Result<()> {
        let _ = rendered;
        self.write(outcome)
    }

    /// Writes whatever is kept until the end (the entity table) and flushes.
    fn finish(&mut self) -> io::Result<()>;
}

/// Turns one outcome into the bytes its sink appends, on any thread (see
/// [`Sink::renderer`]).
pub trait Render: Send + Sync {
    /// The bytes for `outcome`.
    fn render(&self, outcome: &Outcome) -> Rendered;

    /// Whether the sink's [`Sink::write_rendered`] reads of a rendered outcome only
    /// what [`Outcome::shed`] leaves of it, with [`Rendered::mentions`] for its
    /// mentions. [`Pipeline::run`] then sheds each outcome on the worker that
    /// rendered it, where the memory freed is reused by the next document while it is
    /// still in the cache, instead of by the writing thread.
    fn sheds(&self) -> bool {
        false
    }
}

/// What a [`Render`] made of one outcome.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Byte strings in an order its sink knows (one per table for the CSV tables).
    pub bytes: Vec<Vec<u8>>,
    /// The outcome's mentions as the entity counts read them, when the outcome was
    /// shed after rendering (see [`Render::sheds`]).
    pub mentions: Option<Vec<MentionTally>>,
}

impl Rendered {
    /// Byte strings with no mentions taken from the outcome.
    pub fn new(bytes: Vec<Vec<u8>>) -> Self {
        Rendered {
            bytes,
            mentions: None,
        }
    }
}

/// What the entity counts read of one mention: its entity, how it matched and the
/// zone it is in.
#[derive(Debug, Clone)]
pub struct MentionTally {
    /// The entity.
    pub entity: Arc<Entity>,
    /// As [`Mention::match_kind`].
    pub match_kind: &'static str,
    /// As [`Mention::zone`].
    pub zone: Zone,
}

/// Counts for a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Input documents seen.
    pub documents: u64,
    /// Documents with status `ok`.
    pub ok: u64,
    /// Documents with status `error`.
    pub failed: u64,
    /// Mentions written.
    pub mentions: u64,
    /// Quotes written.
    pub quotes: u64,
    /// Text bytes of the documents read.
    pub text_bytes: u64,
    /// True when the ids seen could not be written to a temporary file (past 28,672
    /// documents) and were kept in memory instead, which then grew with the corpus.
    pub ids_kept_in_memory: bool,
}

/// The configured per-document stages. Cheap to share across threads.
///
/// ```
/// use naql::{Document, Lang, Pipeline};
/// let pipeline = Pipeline::builder().build();
/// let extraction = pipeline.process(&Document::new("d1", "زاخارووا گفت"));
/// assert_eq!(extraction.lang, Lang::Fa);
/// assert_eq!(extraction.text_length, 12);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Pipeline {
    matcher: Option<Arc<Matcher>>,
    quotes: Option<Arc<QuoteExtractor>>,
    limits: Limits,
    outlets: Arc<Outlets>,
    zones: Option<Vec<Zone>>,
}

/// Builds a [`Pipeline`].
#[derive(Debug, Clone, Default)]
pub struct PipelineBuilder {
    matcher: Option<Arc<Matcher>>,
    quotes: Option<Arc<QuoteExtractor>>,
    limits: Limits,
    outlets: Arc<Outlets>,
    zones: Option<Vec<Zone>>,
}

impl PipelineBuilder {
    /// Compiles `gazetteer` into the matcher, the quote extractor (its roles) and the
    /// table of news outlets.
    pub fn gazetteer(self, gazetteer: &Gazetteer) -> Self {
        self.stages(gazetteer, Arc::new(Matcher::new(gazetteer)))
    }

    /// Uses a compiled gazetteer: its matcher, and the quote extractor and table of
    /// news outlets built from its rows.
    pub fn compiled(self, compiled: &CompiledGazetteer) -> Self {
        self.stages(&compiled.gazetteer, Arc::clone(&compiled.matcher))
    }

    /// The matcher, and the quote extractor and outlets from `gazetteer`'s rows.
    fn stages(self, gazetteer: &Gazetteer, matcher: Arc<Matcher>) -> Self {
        let quotes = Arc::new(QuoteExtractor::new(gazetteer, &matcher));
        let mut builder = self.matcher(Arc::clone(&matcher)).quotes(quotes);
        builder.outlets = Arc::new(Outlets::new(gazetteer, |id| matcher.entity(id)));
        builder
    }

    /// Keeps only the mentions and quotes in these zones (default: all). Matching,
    /// name propagation and speaker resolution still read the whole text, so a
    /// surname in the body links to the full name in the title either way.
    ///
    /// ```
    /// use naql::zones::Zone;
    /// let _ = naql::Pipeline::builder().zones(&[Zone::Body, Zone::Title]).build();
    /// ```
    pub fn zones(mut self, zones: &[Zone]) -> Self {
        self.zones = Some(zones.to_vec());
        self
    }

    /// Leaves quote extraction out.
    pub fn without_quotes(mut self) -> Self {
        self.quotes = None;
        self
    }

    /// Finds entity mentions with this compiled gazetteer.
    pub fn matcher(mut self, matcher: Arc<Matcher>) -> Self {
        self.matcher = Some(matcher);
        self
    }

    /// Finds statements and speakers with this extractor (it needs the matcher).
    pub fn quotes(mut self, quotes: Arc<QuoteExtractor>) -> Self {
        self.quotes = Some(quotes);
        self
    }

    /// Per-document limits applied by [`Pipeline::try_process`] and [`Pipeline::run`].
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The pipeline.
    pub fn build(self) -> Pipeline {
        Pipeline {
            matcher: self.matcher,
            quotes: self.quotes,
            limits: self.limits,
            outlets: self.outlets,
            zones: self.zones,
        }
    }
}

/// What a worker makes of each document and keeps from one to the next: the vectors
/// keep their room, so that the stages allocate nothing for them per document.
struct Buffers {
    normalizer: Normalizer,
    key: Key,
    segmentation: Segmentation,
    starts: WalkStarts,
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers {
        normalizer: Normalizer::new(),
        key: Key::new(),
        segmentation: Segmentation::default(),
        starts: WalkStarts::default(),
    });
}

impl Pipeline {
    /// A builder with the default configuration.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// Runs the stages on one document, without limits.
    pub fn process(&self, document: &Document) -> Extraction {
        let unlimited = Limits {
            max_quote_depth: usize::MAX,
            max_mentions: usize::MAX,
        };
        match self.extract(document, &unlimited, None) {
            Ok(extraction) => extraction,
            Err(error) => unreachable!("no limit to exceed: {error}"),
        }
    }

    /// Runs the stages on one document within the pipeline's [`Limits`]; a document
    /// over one gives the error naming it.
    ///
    /// ```
    /// use naql::pipeline::{Limits, Pipeline};
    /// use naql::Document;
    /// let limits = Limits { max_quote_depth: 2, ..Limits::default() };
    /// let pipeline = Pipeline::builder().limits(limits).build();
    /// let error = pipeline.try_process(&Document::new("d", "«a «b «c»»»")).unwrap_err();
    /// assert_eq!(error.to_string(), "quotation marks nested more than 2 deep (--max-quote-depth)");
    /// ```
    pub fn try_process(&self, document: &Document) -> Result<Extraction, ReadError> {
        self.extract(document, &self.limits, None)
    }

    /// The stages on one document; `digest` is its text's SHA-256 when the caller has
    /// made it already.
    fn extract(
        &self,
        document: &Document,
        limits: &Limits,
        digest: Option<TextDigest>,
    ) -> Result<Extraction, ReadError> {
        let digest = digest.unwrap_or_else(|| text_digest(&document.text));
        let text = &document.text;
        let rules = ZoneRules::builtin();
        let no_starts = WalkStarts::default();
        let (lang, zones, published, outlet, mut mentions, mut quotes) =
            BUFFERS.with(|buffers| {
                let Buffers {
                    normalizer,
                    key,
                    segmentation,
                    starts,
                } = &mut *buffers.borrow_mut();
                Segmenter::new().segment_into(text, segmentation);
                let segmentation = &*segmentation;
                // The quoted regions, found as the marks' depth is checked (the check
                // alone when no statements are wanted).
                let paragraphs = segmentation.paragraphs();
                let depth = limits.max_quote_depth;
                let regions = match (&self.matcher, &self.quotes) {
                    (Some(_), Some(_)) => regions_within(text, paragraphs, depth),
                    _ => (depth == usize::MAX || max_depth(text, paragraphs, depth + 1) <= depth)
                        .then(Vec::new),
                };
                let Some(regions) = regions else {
                    return Err(ReadError::QuoteDepth { limit: depth });
                };
                // The language, when not given, from letters counted while the key is made.
                let lang = match document.lang {
                    Lang::Und => normalizer.key_and_lang_into(text, key),
                    given => {
                        normalizer.key_into(text, key);
                        given
                    }
                };
                let starts = match &self.matcher {
                    Some(matcher) => {
                        let cues = self.quotes.as_ref().map(|quotes| quotes.cue_trie(lang));
                        starts.fill_for(&key.text, lang, [Some(matcher.trie()), cues]);
                        &*starts
                    }
                    None => &no_starts,
                };
                let mentions = match &self.matcher {
                    Some(matcher) => matcher.find_from(text, key, Some(segmentation), lang, starts),
                    None => Vec::new(),
                };
                if mentions.len() > limits.max_mentions {
                    return Err(ReadError::TooManyMentions {
                        found: mentions.len(),
                        limit: limits.max_mentions,
                    });
                }
                let outlets = Some(&*self.outlets);
                let (zones, cues) =
                    rules.zones_with_cues(text, key, lang, segmentation, outlets, &mentions);
                let published = match document.meta.published_at {
                    Some(_) => None,
                    None => published_in(text, &zones),
                };
                let outlet =
                    find_outlet_with_cues(text, key, lang, (&zones, &cues), rules, &self.outlets);
                let quotes = match (&self.matcher, &self.quotes) {
                    (Some(_), Some(extractor)) => {
                        // Role holders are picked for the day of publication.
                        let date = document
                            .meta
                            .published_at
                            .as_deref()
                            .or(published.as_ref().map(|p| p.iso.as_str()));
                        let document = (text.as_str(), lang, &*key, segmentation);
                        extractor.extract_from(document, starts, regions, &mentions, date)
                    }
                    _ => Vec::new(),
                };
                Ok((lang, zones, published, outlet, mentions, quotes))
            })?;
        for mention in &mut mentions {
            (mention.zone, mention.article_index) = zone_at(&zones, mention.span.byte_start);
        }
        for quote in &mut quotes {
            (quote.zone, quote.article_index) = zone_at(&zones, quote.span.byte_start);
        }
        if let Some(keep) = &self.zones {
            keep_zones(keep, &mut mentions, &mut quotes);
        }
        Ok(Extraction {
            lang,
            text_sha256: hex(&digest),
            text_length: text.chars().count(),
            detected_published_at: published.as_ref().map(|p| p.iso.clone()),
            published_at_text: published
                .as_ref()
                .map(|p| text[p.range.clone()].to_string()),
            published_calendar: published.as_ref().map(|p| p.calendar),
            outlet,
            zones,
            mentions,
            quotes,
            n_bidi_controls: count_bidi_controls(text),
        })
    }

    /// Processes every input document on `pool` and writes the outcomes to `sink` in
    /// input order. `progress` is called after each batch written with the counts so
    /// far.
    ///
    /// Documents go to the pool in batches of up to 64 (or 1 MB of text), up to eight
    /// batches per worker and 64 MB of text in flight; this thread reads the next
    /// batches and writes the finished ones in input order meanwhile. No batch waits for another to be processed, so the workers start on
    /// the first batch as soon as it is read and stop after the last one is done, and
    /// memory is bounded by the batches in flight, not by the corpus.
    ///
    /// A document whose id was already used in this run becomes a failure naming the
    /// first one. Errors are the sink's I/O errors only; bad documents are outcomes.
    pub fn run(
        &self,
        inputs: impl Iterator<Item = InputItem> + Send,
        sink: &mut dyn Sink,
        pool: &rayon::ThreadPool,
        mut progress: impl FnMut(&RunSummary),
    ) -> io::Result<RunSummary> {
        let mut inputs = inputs;
        let mut summary = RunSummary::default();
        let mut first_use = IdsSeen::default();
        // With one worker, this thread hashes the texts it has just read and encodes the
        // rows while the worker processes the next batches; with more, the workers do
        // both, so that this thread's share (reading, appending bytes) does not cap the
        // speed-up.
        let workers = pool.current_num_threads();
        let renderer = if workers > 1 { sink.renderer() } else { None };
        let renderer = renderer.as_deref();
        let most_batches = IN_FLIGHT_BATCHES * workers.max(1);
        let (finished, results) =
            std::sync::mpsc::channel::<(u64, std::thread::Result<Batch>, usize)>();
        let mut written: io::Result<()> = Ok(());
        pool.in_place_scope(|scope| {
            // Batches sent and not yet written: their text bytes, and those finished
            // out of order, by number.
            let mut sent = 0u64;
            let mut next_to_write = 0u64;
            let mut bytes_in_flight = 0usize;
            let mut waiting: BTreeMap<u64, (Batch, usize)> = BTreeMap::new();
            let mut inputs_left = true;
            loop {
                while inputs_left
                    && written.is_ok()
                    && sent - next_to_write < most_batches as u64
                    && bytes_in_flight < IN_FLIGHT_BYTES
                {
                    let (batch, bytes) = next_batch(&mut inputs);
                    if batch.is_empty() {
                        // The inputs are read to their end once, not asked again after it.
                        inputs_left = false;
                        break;
                    }
                    let digests: Vec<Option<TextDigest>> = if workers > 1 {
                        Vec::new()
                    } else {
                        let digest = |item: &InputItem| {
                            item.as_ref()
                                .ok()
                                .map(|document| text_digest(&document.text))
                        };
                        batch.iter().map(digest).collect()
                    };
                    let number = sent;
                    let finished = finished.clone();
                    scope.spawn(move |_| {
                        // A panic comes back as the batch's result (this thread waits
                        // for every batch, so each must come back) and is resumed there.
                        let outcomes = std::panic::catch_unwind(AssertUnwindSafe(|| {
                            let mut digests = digests.into_iter();
                            batch
                                .into_iter()
                                .map(|item| {
                                    let mut outcome = self.outcome(item, digests.next().flatten());
                                    let counts = outcome.counts();
                                    let rendered = renderer.map(|r| {
                                        let mut rendered = r.render(&outcome);
                                        if r.sheds() {
                                            rendered.mentions = Some(outcome.shed());
                                        }
                                        rendered
                                    });
                                    Processed {
                                        outcome,
                                        rendered,
                                        counts,
                                    }
                                })
                                .collect()
                        }));
                        // The receiver lives until every batch is back.
                        let _ = finished.send((number, outcomes, bytes));
                    });
                    sent += 1;
                    bytes_in_flight += bytes;
                }
                if next_to_write == sent {
                    break;
                }
                // The next batch back (this thread has nothing else to do until then),
                // then every batch that can now be written in order. (This thread holds
                // a sender, so the channel never closes while batches are out.)
                let Ok((number, outcomes, bytes)) = results.recv() else {
                    break;
                };
                let outcomes = outcomes.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                waiting.insert(number, (outcomes, bytes));
                while let Some((outcomes, bytes)) = waiting.remove(&next_to_write) {
                    next_to_write += 1;
                    bytes_in_flight -= bytes;
                    if written.is_ok() {
                        written = write_outcomes(outcomes, sink, &mut summary, &mut first_use);
                        if written.is_ok() {
                            progress(&summary);
                        }
                    }
                }
            }
        });
        written?;
        sink.finish()?;
        summary.ids_kept_in_memory = first_use.kept_in_memory();
        Ok(summary)
    }

    /// The outcome of one input document: a failure for a document over a limit, and
    /// also for one whose processing panicked (a bug), so that the run goes on and the
    /// document still gets its row. `digest` is the text's SHA-256 if already made.
    fn outcome(&self, item: InputItem, digest: Option<TextDigest>) -> Outcome {
        let document = match item {
            Ok(document) => document,
            Err(failure) => return Outcome::Failed(*failure),
        };
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            self.extract(&document, &self.limits, digest)
        }))
        .unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(ReadError::Internal { message })
        });
        match result {
            Ok(extraction) => Outcome::Done {
                document,
                extraction,
            },
            Err(error) => Outcome::Failed(ReadFailure {
                id: document.id,
                lang: document.lang,
                meta: document.meta,
                error,
            }),
        }
    }
}

/// The publication date in the first article's byline paragraphs (each read to the end
/// of its line, which a paragraph range leaves out when it ends in a tatweel, as the
/// Hijri `هـ` does), else in the head of the text.
fn published_in(text: &str, zones: &[ParagraphZone]) -> Option<Published> {
    zones
        .iter()
        .filter(|z| z.article_index == 0 && z.zone == Zone::Byline)
        .find_map(|z| {
            let line_end = text[z.range.end..]
                .find(['\n', '\r'])
                .map_or(text.len(), |i| z.range.end + i);
            find_published_in(text, z.range.start..line_end)
        })
        .or_else(|| find_published(text))
}

/// Drops the mentions and quotes outside `keep`; a quote whose speaker mention is
/// dropped keeps its speaker text and entity but no longer points at a mention row.
fn keep_zones(keep: &[Zone], mentions: &mut Vec<Mention>, quotes: &mut Vec<Quote>) {
    let mut new_index = Vec::with_capacity(mentions.len());
    let mut kept = 0;
    for mention in mentions.iter() {
        if keep.contains(&mention.zone) {
            new_index.push(Some(kept));
            kept += 1;
        } else {
            new_index.push(None);
        }
    }
    mentions.retain(|m| keep.contains(&m.zone));
    quotes.retain(|q| keep.contains(&q.zone));
    for quote in quotes.iter_mut() {
        quote.speaker_mention = quote
            .speaker_mention
            .and_then(|m| new_index.get(m).copied().flatten());
    }
}

/// Turns the outcome of a document with an already used id into a failure.
fn duplicate(outcome: Outcome, first: u64) -> Outcome {
    let error = ReadError::DuplicateId { first };
    match outcome {
        Outcome::Done {
            document,
            extraction,
        } => Outcome::Failed(ReadFailure {
            id: document.id,
            lang: extraction.lang,
            meta: document.meta,
            error,
        }),
        Outcome::Failed(failure) => Outcome::Failed(ReadFailure { error, ..failure }),
    }
}

/// Writes a batch's outcomes in order, counting them in `summary`; a document whose id
/// was used before becomes a failure naming the first.
fn write_outcomes(
    outcomes: Batch,
    sink: &mut dyn Sink,
    summary: &mut RunSummary,
    first_use: &mut IdsSeen,
) -> io::Result<()> {
    for Processed {
        mut outcome,
        mut rendered,
        counts: [mentions, quotes, text_bytes],
    } in outcomes
    {
        summary.documents += 1;
        if let Some(first) = first_use.first_use(outcome.id(), summary.documents)? {
            outcome = duplicate(outcome, first);
            rendered = None;
        }
        match &outcome {
            Outcome::Done { .. } => {
                summary.ok += 1;
                summary.mentions += mentions as u64;
                summary.quotes += quotes as u64;
                summary.text_bytes += text_bytes as u64;
            }
            Outcome::Failed(_) => summary.failed += 1,
        }
        match rendered {
            Some(rendered) => sink.write_rendered(&outcome, rendered)?,
            None => sink.write(&outcome)?,
        }
    }
    Ok(())
}

/// The next batch of inputs (empty at their end) and its text bytes.
fn next_batch(inputs: &mut impl Iterator<Item = InputItem>) -> (Vec<InputItem>, usize) {
    let mut batch = Vec::with_capacity(BATCH_DOCS);
    let mut bytes = 0usize;
    while batch.len() < BATCH_DOCS && bytes < BATCH_BYTES {
        let Some(item) = inputs.next() else { break };
        if let Ok(document) = &item {
            bytes += document.text.len();
        }
        batch.push(item);
    }
    (batch, bytes)
}

/// The SHA-256 of a document's text.
type TextDigest = [u8; 32];

fn text_digest(text: &str) -> TextDigest {
    Sha256::digest(text.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}
