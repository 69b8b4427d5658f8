//! Properties over generated news-like text (issue 9): no stage panics, every span
//! slices the original text, and the output does not depend on the thread count.

use std::sync::{Arc, OnceLock};

use naql::gazetteer::{builtin, Gazetteer};
use naql::matcher::Matcher;
use naql::pipeline::Limits;
use naql::quotes::QuoteExtractor;
use naql::read::InputItem;
use naql::sink::JsonlRecords;
use naql::{Document, Pipeline};
use proptest::prelude::*;

use crate::fuzz_checks;

/// Pieces of the sample articles' world: names of the built-in gazetteers, cues,
/// quote marks, clitics, digits, marks, invisible and bidi controls, line breaks.
#[rustfmt::skip]
const POOL: &[&str] = &[
    "ماریا زاخارووا", "زاخارووا", "ماريا زاخاروفا", "Maria Zakharova", "Zakharova", "روسیه",
    "روسيا", "باکو", "باكو", "وبباكو", "ایروان", "Moscow", "Baku", "قره‌باغ", "قره باغ",
    "قرهباغ", "سخنگوی وزارت امور خارجه روسیه", "وزارة الخارجية", "گفت", "گفت:", "قالت",
    "وقالت", "أكد أن", "said", "said that", "according to", "به گفته", "که", "وی", "هي",
    "she", " ", " ", " ", "\n", "\r\n", "\u{A0}", "\u{200C}", "\u{200F}", "\u{202E}",
    "\u{2067}", "\u{202C}", "ـ", "\u{064E}", "\u{0651}", "«", "»", "“", "”", "\"", "'",
    "„", ":", ".", "؟", "،", ",", "..", "۱۴۰۲", "3.5", "ﻻ", "ﷺ", "İ", "ß", "😀", "\0",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(POOL), 0..48).prop_map(|v| v.concat())
}

fn builtin_pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| {
        let (gazetteer, _) = Gazetteer::load(&builtin());
        let matcher = Arc::new(Matcher::new(&gazetteer));
        let quotes = Arc::new(QuoteExtractor::new(&gazetteer, &matcher));
        Pipeline::builder()
            .matcher(matcher)
            .quotes(quotes)
            .limits(Limits {
                max_quote_depth: 4,
                max_mentions: 12,
            })
            .build()
    })
}

/// The JSONL records of a run over `texts` on `threads` worker threads, document `i`
/// with the id `id(i)`, and the number of documents the run counted.
fn run_with_ids(texts: &[String], threads: usize, id: impl Fn(usize) -> String) -> (Vec<u8>, u64) {
    let items: Vec<InputItem> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| Ok(Document::new(id(i), text.clone())))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let mut sink = JsonlRecords::new(Vec::new());
    let summary = builtin_pipeline()
        .run(items.into_iter(), &mut sink, &pool, |_| {})
        .unwrap();
    (sink.into_inner().unwrap(), summary.documents)
}

/// [`run_with_ids`] with ids that repeat every seven documents.
fn run(texts: &[String], threads: usize) -> Vec<u8> {
    run_with_ids(texts, threads, |i| format!("d{}", i % 7)).0
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Every stage, through the fuzz targets' checks: no panic, every mention, quote,
    /// cue and speaker span slices the text in code points and bytes, the offset map
    /// holds its invariants.
    #[test]
    fn no_panic_and_every_span_slices(text in text(), selector in any::<u8>()) {
        let mut input = vec![selector];
        input.extend(text.as_bytes());
        fuzz_checks::normalize(text.as_bytes());
        fuzz_checks::matcher(text.as_bytes());
        fuzz_checks::quotes(&input);
        // As a JSONL record and as a plain text file.
        let record = serde_json::json!({"doc_id": "p", "text": text}).to_string();
        let mut jsonl = vec![1u8];
        jsonl.extend(record.as_bytes());
        fuzz_checks::pipeline(&jsonl);
        input[0] = 0;
        fuzz_checks::pipeline(&input);
    }

    /// Byte-identical output on 1 and 4 threads, with duplicate ids and limits hit.
    #[test]
    fn output_does_not_depend_on_thread_count(texts in prop::collection::vec(text(), 1..24)) {
        let one = run(&texts, 1);
        let four = run(&texts, 4);
        prop_assert_eq!(String::from_utf8(one).unwrap(), String::from_utf8(four).unwrap());
    }
}

/// Many documents of very different sizes on four threads: batches finish out of
/// order, and the records still come in input order, the same as on one thread.
#[test]
fn records_keep_input_order_across_many_batches() {
    let texts: Vec<String> = (0..1_000)
        .map(|i| {
            let n = if i % 97 == 0 { 400 } else { i % 5 };
            "ماریا زاخارووا گفت: «روسیه آماده است». ".repeat(n)
        })
        .collect();
    let run_on = |threads: usize| {
        let (records, documents) = run_with_ids(&texts, threads, |i| format!("d{i}"));
        assert_eq!(documents, 1_000);
        String::from_utf8(records).unwrap()
    };
    let four = run_on(4);
    let ids: Vec<String> = four
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|record| record["record"] == "document")
        .map(|record| record["doc_id"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = (0..1_000).map(|i| format!("d{i}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(four, run_on(1));
}
