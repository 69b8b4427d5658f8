//! What the fuzz targets check, one function per target. Each takes the raw fuzz input,
//! runs one stage of naql on it and asserts the stage's invariants; a panic is a bug.
//!
//! The test suite includes this file and runs every function on the crashing inputs
//! kept under `tests/data/fuzz-regressions/<target>/`, so a fixed crash stays fixed.

use std::io::Write as _;
use std::sync::{Arc, OnceLock};

use naql::gazetteer::{Gazetteer, GazetteerSource};
use naql::matcher::Matcher;
use naql::normalize::{key, Key};
use naql::pipeline::{Limits, Outcome, Pipeline, RunSummary, Sink};
use naql::quotes::QuoteExtractor;
use naql::read::{read_stream, InputFormat, InputItem, ReadOptions};
use naql::segment::Segmentation;
use naql::sink::JsonlRecords;
use naql::{Lang, Mention, Quote, Span};

/// Text of the fuzz input: UTF-8, with broken sequences replaced.
fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// The options a selector byte picks: format, forced encoding, small size and line
/// limits.
fn read_setup(selector: u8) -> (InputFormat, ReadOptions) {
    let format = match selector & 3 {
        0 => InputFormat::Txt,
        1 => InputFormat::Jsonl,
        2 => InputFormat::Csv,
        _ => InputFormat::Tsv,
    };
    let encoding = match (selector >> 2) & 3 {
        1 => encoding_rs_label("utf-8"),
        2 => encoding_rs_label("windows-1256"),
        _ => None,
    };
    let max_doc_bytes = if selector & 16 != 0 { 64 } else { 1 << 20 };
    let max_line_bytes = (selector & 32 != 0).then_some(96);
    let options = ReadOptions {
        encoding,
        max_doc_bytes,
        max_line_bytes,
        text_column: "text".to_string(),
        id_column: "doc_id".to_string(),
        ..ReadOptions::default()
    };
    (format, options)
}

fn encoding_rs_label(label: &str) -> Option<&'static encoding_rs::Encoding> {
    encoding_rs::Encoding::for_label(label.as_bytes())
}

fn read_all(data: &[u8]) -> Vec<InputItem> {
    let Some((&selector, rest)) = data.split_first() else {
        return Vec::new();
    };
    let (format, options) = read_setup(selector);
    let reader = std::io::Cursor::new(rest.to_vec());
    read_stream(reader, format, "fuzz", options).collect()
}

/// Decoder and readers: bytes in any format give documents or failures, never a panic;
/// every failure has an id and a message, every document an id.
pub fn read(data: &[u8]) {
    // CSV also ends a record at a lone CR.
    let lines = data.iter().filter(|&&b| b == b'\n' || b == b'\r').count();
    let items = read_all(data);
    // One document per line at most (plus the last line), however broken the input.
    assert!(
        items.len() <= lines + 2,
        "{} items from {lines} lines",
        items.len()
    );
    for item in &items {
        match item {
            Ok(document) => assert!(!document.id.is_empty()),
            Err(failure) => {
                assert!(!failure.id.is_empty());
                assert!(!failure.error.to_string().is_empty());
            }
        }
    }
}

/// Checks that `span` is a true span of `text`: on character boundaries, code point
/// offsets agreeing with byte offsets.
pub fn assert_span(text: &str, span: &Span, what: &str) {
    assert!(
        span.byte_start <= span.byte_end && span.byte_end <= text.len(),
        "{what}: bytes {}..{} out of 0..{}",
        span.byte_start,
        span.byte_end,
        text.len()
    );
    assert!(
        text.is_char_boundary(span.byte_start) && text.is_char_boundary(span.byte_end),
        "{what}: bytes {}..{} not on character boundaries",
        span.byte_start,
        span.byte_end
    );
    let start = text[..span.byte_start].chars().count();
    let len = text[span.byte_start..span.byte_end].chars().count();
    assert_eq!(
        (span.start, span.end),
        (start, start + len),
        "{what}: code points"
    );
}

/// The normaliser: the offset map gives a group for every key byte, every group is a
/// non-empty range on character boundaries, starts and ends never decrease, the key is
/// a fixed point, and a key range between group starts maps back to original text
/// whose own key is that range.
pub fn normalize(data: &[u8]) {
    let text = text_of(data);
    let k = key(&text);
    assert_map(&text, &k);
    assert_eq!(key(&k.text).text, k.text, "keying a key must give it back");
    let starts: Vec<usize> = (0..=k.text.len())
        .filter(|&i| k.text.is_char_boundary(i) && k.is_group_start(i))
        .collect();
    for pair in starts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let range = k.original_range(a..b);
        assert_eq!(k.key_offset(range.start), a, "key_offset of group {a}");
        let again = key(&text[range.clone()]);
        // A group is one character and its marks, an expansion, or a space run: keyed
        // alone it gives the same key characters.
        assert_eq!(again.text, k.text[a..b], "group {a}..{b} = {range:?}");
    }
    if let (Some(&first), Some(&last)) = (starts.first(), starts.last()) {
        let range = k.original_range(first..last);
        assert!(range.end <= text.len());
    }
    // Out-of-range and reversed queries are clamped, never a panic.
    let _ = k.original_range(k.text.len() + 5..k.text.len() + 9);
    #[allow(clippy::reversed_empty_ranges)]
    let _ = k.original_range(3..1);
    let _ = k.key_offset(text.len() + 1);
}

fn assert_map(text: &str, k: &Key) {
    assert_eq!(k.map.len(), k.text.len(), "the map covers every key byte");
    let mut previous = 0..0;
    for i in 0..k.text.len() {
        let group = k.group(i).expect("a group inside the key");
        assert!(group.start < group.end, "empty group at key byte {i}");
        assert!(
            group.end <= text.len(),
            "group past the text at key byte {i}"
        );
        assert!(
            text.is_char_boundary(group.start) && text.is_char_boundary(group.end),
            "group {group:?} of key byte {i} cuts a character"
        );
        assert!(
            group.start >= previous.start && group.end >= previous.end,
            "groups go backwards at key byte {i}: {previous:?} then {group:?}"
        );
        previous = group;
    }
    assert_eq!(k.group(k.text.len()), None);
}

/// The matcher, with a gazetteer made from the input: the lines before the first NUL
/// byte are names (of a person, an organisation, a place in turn), the rest is the
/// document. Mentions are sorted, do not overlap, and slice the text exactly.
pub fn matcher(data: &[u8]) {
    let (names, text) = match data.iter().position(|&b| b == 0) {
        Some(nul) => (&data[..nul], &data[nul + 1..]),
        None => (&b""[..], data),
    };
    let text = text_of(text);
    let matcher = if names.is_empty() {
        Arc::clone(small_matcher())
    } else {
        Arc::new(Matcher::new(&gazetteer_from_names(&text_of(names))))
    };
    let k = key(&text);
    let segmentation = Segmentation::new(&text);
    let mentions = matcher.find(&text, &k, Some(&segmentation));
    assert_mentions(&text, &mentions, &segmentation);
}

fn assert_mentions(text: &str, mentions: &[Mention], segmentation: &Segmentation) {
    let mut last_end = 0;
    for (i, mention) in mentions.iter().enumerate() {
        assert_span(text, &mention.span, &format!("mention {i}"));
        assert!(
            mention.span.byte_start >= last_end,
            "mention {i} overlaps the one before"
        );
        assert!(
            mention.span.byte_start < mention.span.byte_end,
            "empty mention {i}"
        );
        last_end = mention.span.byte_end;
        assert!(
            mention.sentence_index < segmentation.sentences().len().max(1),
            "mention {i}: sentence {} of {}",
            mention.sentence_index,
            segmentation.sentences().len()
        );
    }
}

const SMALL_ENTITIES: &str = include_str!("../../tests/data/gazetteer/entities.tsv");
const SMALL_NAMES: &str = include_str!("../../tests/data/gazetteer/names.tsv");
const SMALL_TRIGGERS: &str = include_str!("../../tests/data/gazetteer/triggers.tsv");

/// The test gazetteer of `tests/data/gazetteer` (the entities of the two samples).
fn small_matcher() -> &'static Arc<Matcher> {
    static MATCHER: OnceLock<Arc<Matcher>> = OnceLock::new();
    MATCHER.get_or_init(|| {
        let files: &'static [(&str, &str)] = &[
            ("entities.tsv", SMALL_ENTITIES),
            ("names.tsv", SMALL_NAMES),
            ("triggers.tsv", SMALL_TRIGGERS),
        ];
        let (gazetteer, _) = Gazetteer::load(&[GazetteerSource::Builtin {
            name: "small",
            files,
        }]);
        Arc::new(Matcher::new(&gazetteer))
    })
}

/// A gazetteer written to a scratch directory and loaded like a user's: one entity per
/// line of `names`, the line its name (tabs in it make the row ragged, on purpose).
fn gazetteer_from_names(names: &str) -> Gazetteer {
    let dir = std::env::temp_dir().join(format!("naql-fuzz-gazetteer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let mut entities = String::from("id\ttype\tlabel_en\n");
    let mut rows = String::from("id\tname\tlang\tkind\n");
    for (i, name) in names.split('\n').enumerate().take(64) {
        let kind = ["PER", "ORG", "LOC"][i % 3];
        entities.push_str(&format!("f:{i}\t{kind}\t\n"));
        let lang = ["fa", "ar", "en", "und"][i % 4];
        rows.push_str(&format!("f:{}\t{name}\t{lang}\tcanonical\n", i / 2 * 2));
    }
    let write = |file: &str, body: &str| {
        let mut out = std::fs::File::create(dir.join(file)).expect("scratch file");
        out.write_all(body.as_bytes()).expect("scratch write");
    };
    write("entities.tsv", &entities);
    write("names.tsv", &rows);
    let (gazetteer, _) = Gazetteer::load(&[GazetteerSource::Dir(dir)]);
    gazetteer
}

/// The built-in gazetteers, compiled once.
fn builtin() -> &'static (Arc<Matcher>, Arc<QuoteExtractor>) {
    static BUILTIN: OnceLock<(Arc<Matcher>, Arc<QuoteExtractor>)> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        let (gazetteer, _) = Gazetteer::load(&naql::gazetteer::builtin());
        let matcher = Arc::new(Matcher::new(&gazetteer));
        let quotes = Arc::new(QuoteExtractor::new(&gazetteer, &matcher));
        (matcher, quotes)
    })
}

/// The quote extractor with the built-in gazetteers: the first byte picks the language
/// (and whether the document has a date), the rest is the text. Quotes are sorted, and
/// their content, cue and speaker spans slice the text exactly.
pub fn quotes(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let lang = [Lang::Fa, Lang::Ar, Lang::En, Lang::Und][usize::from(selector & 3)];
    let date = (selector & 4 != 0).then_some("2020-10-05T10:00:00Z");
    let text = text_of(rest);
    let (matcher, extractor) = builtin();
    let k = key(&text);
    let segmentation = Segmentation::new(&text);
    let mentions = matcher.find(&text, &k, Some(&segmentation));
    assert_mentions(&text, &mentions, &segmentation);
    let quotes = extractor.extract(&text, lang, &k, &segmentation, &mentions, date);
    assert_quotes(&text, &quotes, mentions.len());
}

fn assert_quotes(text: &str, quotes: &[Quote], n_mentions: usize) {
    let mut previous = (0, 0);
    for (i, quote) in quotes.iter().enumerate() {
        assert_span(text, &quote.span, &format!("quote {i}"));
        if let Some(cue) = &quote.cue {
            assert_span(text, cue, &format!("quote {i} cue"));
        }
        if let Some(speaker) = &quote.speaker {
            assert_span(text, speaker, &format!("quote {i} speaker"));
        }
        if let Some(m) = quote.speaker_mention {
            assert!(
                m < n_mentions,
                "quote {i}: speaker mention {m} of {n_mentions}"
            );
        }
        assert!(
            (0.0..=1.0).contains(&quote.confidence),
            "quote {i}: confidence {}",
            quote.confidence
        );
        let at = (quote.span.byte_start, quote.span.byte_end);
        assert!(at >= previous, "quote {i} out of order");
        previous = at;
    }
}

/// A sink that keeps the JSONL records and checks each document's rows on the way.
struct Checked {
    records: JsonlRecords<Vec<u8>>,
    documents: usize,
}

impl Sink for Checked {
    fn write(&mut self, outcome: &Outcome) -> std::io::Result<()> {
        self.documents += 1;
        if let Outcome::Done {
            document,
            extraction,
        } = outcome
        {
            let text = &document.text;
            let segmentation = Segmentation::new(text);
            assert_mentions(text, &extraction.mentions, &segmentation);
            assert_quotes(text, &extraction.quotes, extraction.mentions.len());
            assert_eq!(extraction.text_length, text.chars().count());
        }
        self.records.write(outcome)
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.records.finish()
    }
}

/// The whole pipeline on bytes, as `naql extract` runs it: read (the first byte picks
/// format and options), process on two threads, write JSONL. Every input document gives
/// exactly one `document` record, and every record is one line of valid JSON.
pub fn pipeline(data: &[u8]) {
    let items = read_all(data);
    let n_items = items.len();
    let (matcher, extractor) = builtin();
    // The last selector bit: small limits, so documents over them fail on the way.
    let limits = match data.first() {
        Some(selector) if selector & 128 != 0 => Limits {
            max_quote_depth: 2,
            max_mentions: 3,
        },
        _ => Limits::default(),
    };
    let pipeline = Pipeline::builder()
        .matcher(Arc::clone(matcher))
        .quotes(Arc::clone(extractor))
        .limits(limits)
        .build();
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("thread pool")
    });
    let mut sink = Checked {
        records: JsonlRecords::new(Vec::new()),
        documents: 0,
    };
    let summary: RunSummary = pipeline
        .run(items.into_iter(), &mut sink, pool, |_| {})
        .expect("writing to memory cannot fail");
    assert_eq!(sink.documents, n_items);
    assert_eq!(summary.documents as usize, n_items);
    assert_eq!(summary.ok + summary.failed, summary.documents);
    let out = sink.records.into_inner().expect("memory");
    let out = std::str::from_utf8(&out).expect("JSONL output is UTF-8");
    let mut documents = 0;
    for line in out.lines() {
        let record: serde_json::Value = serde_json::from_str(line).expect("a JSON record");
        if record["record"] == "document" {
            documents += 1;
        }
    }
    assert_eq!(documents, n_items, "one document record per input document");
}
