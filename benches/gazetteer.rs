//! Gazetteer load + compile time, compiled-file read time, and matching, quote and
//! whole-pipeline throughput per document at 100k names.
//!
//! Run: `cargo bench --bench gazetteer`. Names are synthetic Persian, Arabic and
//! English person, place and organisation names built from syllables (deterministic),
//! so the automaton has the size and shape of a large real gazetteer; the text is the
//! two sample articles repeated to about 1 MB. Each timed loop asserts a result count.
//! Set `NAQL_BENCH_NAMES` to change the number of names (e.g. 1000000).

use std::fmt::Write as _;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use naql::gazetteer::{CompiledGazetteer, Gazetteer, GazetteerSource};
use naql::matcher::Matcher;
use naql::normalize::{Key, Normalizer};
use naql::segment::Segmentation;

/// The allocator the `naql` binary uses, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: naql::Allocator = naql::Allocator;

const FA: &[&str] = &[
    "زا", "خا", "رو", "وا", "مح", "مد", "رضا", "کا", "ظم", "پور", "نی", "گل", "شی", "دا", "بر",
    "سی", "یان", "فر",
];
const AR: &[&str] = &[
    "عب", "دال", "له", "حس", "ين", "مح", "مود", "سا", "لم", "فا", "طمة", "نا", "صر", "كر", "يم",
    "جا", "سم", "وي",
];
const EN: &[&str] = &[
    "ka", "ro", "mi", "len", "dor", "sa", "vik", "tor", "ma", "ria", "zel", "ben", "ford", "ton",
    "ash", "ley", "gar", "nes",
];

/// Entities and names TSV for `n` names (a third per language), plus the seed
/// entities so the count assertion below has something real to find.
fn synthetic(n: usize) -> (String, String) {
    let mut entities = String::from("id\ttype\tsubtype\n");
    let mut names = String::from("id\tname\tlang\tkind\n");
    let word = |parts: &[&str], mut x: usize, len: usize| {
        let mut w = String::new();
        for _ in 0..len {
            w.push_str(parts[x % parts.len()]);
            x /= parts.len();
        }
        w
    };
    for i in 0..n {
        let (parts, lang) = match i % 3 {
            0 => (FA, "fa"),
            1 => (AR, "ar"),
            _ => (EN, "en"),
        };
        let kind = ["PER", "LOC", "ORG"][i / 3 % 3];
        let seed = i.wrapping_mul(2_654_435_761) % 1_000_000_007;
        let name = format!("{} {}", word(parts, seed, 2), word(parts, seed / 7 + i, 3));
        let _ = writeln!(entities, "s:{i}\t{kind}\t");
        let _ = writeln!(names, "s:{i}\t{name}\t{lang}\tcanonical");
    }
    let seeds = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/gazetteer/entities.tsv"
    ))
    .unwrap();
    let seed_names = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/gazetteer/names.tsv"
    ))
    .unwrap();
    for line in seeds.lines().skip(1).filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let _ = writeln!(entities, "{}\t{}\t{}", fields[0], fields[1], fields[2]);
    }
    for line in seed_names.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let _ = writeln!(
            names,
            "{}\t{}\t{}\t{}",
            fields[0], fields[1], fields[2], fields[3]
        );
    }
    (entities, names)
}

fn source(n: usize) -> GazetteerSource {
    let (entities, names) = synthetic(n);
    let files: &'static [(&'static str, &'static str)] = Box::leak(Box::new([
        ("entities.tsv", &*Box::leak(entities.into_boxed_str())),
        ("names.tsv", &*Box::leak(names.into_boxed_str())),
    ]));
    GazetteerSource::Builtin {
        name: "bench",
        files,
    }
}

fn corpus() -> String {
    let fa = include_str!("../samples/fa_zakharova_karabakh.txt");
    let ar = include_str!("../samples/ar_zakharova_karabakh.txt");
    let mut text = String::new();
    while text.len() < 1 << 20 {
        text.push_str(fa);
        text.push_str("\n\n");
        text.push_str(ar);
        text.push_str("\n\n");
    }
    text
}

fn bench(c: &mut Criterion) {
    let n: usize = std::env::var("NAQL_BENCH_NAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let source = source(n);
    let mut group = c.benchmark_group(format!("gazetteer_{n}_names"));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("load", |b| {
        b.iter(|| {
            let (gazetteer, _) = Gazetteer::load(std::slice::from_ref(&source));
            assert!(gazetteer.names.len() >= n);
            gazetteer
        })
    });
    let (loaded, _) = Gazetteer::load(std::slice::from_ref(&source));
    group.bench_function("compile", |b| {
        b.iter(|| {
            let matcher = Matcher::new(&loaded);
            assert!(matcher.pattern_count() >= n);
            matcher
        })
    });
    group.bench_function("load_and_compile", |b| {
        b.iter(|| {
            let (gazetteer, problems) = Gazetteer::load(std::slice::from_ref(&source));
            assert!(problems
                .iter()
                .all(|p| p.severity != naql::gazetteer::Severity::Error));
            let matcher = Matcher::new(&gazetteer);
            assert!(matcher.pattern_count() >= n);
            matcher
        })
    });

    // The compiled gazetteer file: written once, read at every start.
    let (for_file, _) = Gazetteer::load(std::slice::from_ref(&source));
    let file_bytes = CompiledGazetteer::new(for_file, false).to_bytes();
    group.bench_function("read_compiled_file", |b| {
        b.iter(|| {
            let compiled = CompiledGazetteer::from_bytes(&file_bytes, "bench").unwrap();
            assert!(compiled.matcher.pattern_count() >= n);
            compiled
        })
    });

    let (gazetteer, _) = Gazetteer::load(std::slice::from_ref(&source));
    let matcher = Matcher::new(&gazetteer);
    let text = corpus();
    let copies = text.matches("ماریا زاخارووا").count();
    group.throughput(Throughput::Bytes(text.len() as u64));
    let mut normalizer = Normalizer::new();
    let mut key = Key::new();
    group.bench_function("key_segment_match_1MB_samples", |b| {
        b.iter(|| {
            normalizer.key_into(&text, &mut key);
            let segmentation = Segmentation::new(&text);
            // Mixed Persian and Arabic: read as Persian, so that the Persian spelling's
            // surname links in both halves.
            let mentions = matcher.find_in(&text, &key, Some(&segmentation), naql::Lang::Fa);
            let zakharova = mentions
                .iter()
                .filter(|m| m.entity.id == "t:zakharova")
                .count();
            assert_eq!(zakharova, copies * 5);
            mentions.len()
        })
    });
    // The same with quote extraction, to see what it adds to the per-document work.
    let extractor = naql::quotes::QuoteExtractor::new(&gazetteer, &matcher);
    let fa = include_str!("../samples/fa_zakharova_karabakh.txt");
    let ar = include_str!("../samples/ar_zakharova_karabakh.txt");
    let documents: Vec<(&str, naql::Lang)> = (0..copies)
        .flat_map(|_| [(fa, naql::Lang::Fa), (ar, naql::Lang::Ar)])
        .collect();
    let bytes: usize = documents.iter().map(|(t, _)| t.len()).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    for with_quotes in [false, true] {
        let name = if with_quotes {
            "documents_with_quotes"
        } else {
            "documents_without_quotes"
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0;
                for (text, lang) in &documents {
                    normalizer.key_into(text, &mut key);
                    let segmentation = Segmentation::new(text);
                    let mentions = matcher.find(text, &key, Some(&segmentation));
                    n += mentions.len();
                    if with_quotes {
                        let quotes =
                            extractor.extract(text, *lang, &key, &segmentation, &mentions, None);
                        n += quotes.len();
                    }
                }
                assert!(n >= copies * 2);
                n
            })
        });
    }
    // The whole per-document pipeline (language, key, segmentation, zones, dates,
    // matching, quotes), as `naql extract` runs it on each document.
    let compiled = CompiledGazetteer::from_bytes(&file_bytes, "bench").unwrap();
    let pipeline = naql::Pipeline::builder().compiled(&compiled).build();
    let docs: Vec<naql::Document> = documents
        .iter()
        .enumerate()
        .map(|(i, (text, _))| naql::Document::new(format!("d{i}"), *text))
        .collect();
    group.bench_function("pipeline_process_documents", |b| {
        b.iter(|| {
            let mut mentions = 0;
            let mut quotes = 0;
            for document in &docs {
                let extraction = pipeline.process(document);
                mentions += extraction.mentions.len();
                quotes += extraction.quotes.len();
            }
            assert!(mentions >= copies * 2 && quotes >= copies * 2);
            (mentions, quotes)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
