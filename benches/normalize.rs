//! Normalisation and segmentation throughput on Persian and Arabic news.
//!
//! Input: the two sample articles, alternated as separate documents up to 4 MiB (the
//! pipeline's unit of work, with one `Key` and one `Segmentation` reused across documents),
//! and the same text as one 4 MiB document. Each timed loop checks the sentence count.
//!
//! Run with `cargo bench --bench normalize`; criterion prints MiB/s.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use naql::normalize::{Key, Normalizer};
use naql::segment::{Segmentation, Segmenter};

/// The allocator the `naql` binary uses, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: naql::Allocator = naql::Allocator;

const FA: &str = include_str!("../samples/fa_zakharova_karabakh.txt");
const AR: &str = include_str!("../samples/ar_zakharova_karabakh.txt");
/// Sentences in each sample (asserted in tests/integration/segment.rs).
const FA_SENTENCES: usize = 19;
const AR_SENTENCES: usize = 18;
const CORPUS_BYTES: usize = 4 << 20;

/// The samples alternated as documents, and the expected sentence count.
fn corpus() -> (Vec<&'static str>, usize) {
    let mut docs = Vec::new();
    let (mut bytes, mut sentences) = (0, 0);
    while bytes < CORPUS_BYTES {
        for (doc, n) in [(FA, FA_SENTENCES), (AR, AR_SENTENCES)] {
            docs.push(doc);
            bytes += doc.len();
            sentences += n;
        }
    }
    (docs, sentences)
}

fn bench(c: &mut Criterion) {
    let (docs, expected_sentences) = corpus();
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    // Blank lines keep the documents' paragraphs and sentences apart.
    let one_doc = docs.join("\n\n");

    let mut group = c.benchmark_group("normalize");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Bytes(bytes as u64));

    let mut normalizer = Normalizer::new();
    let segmenter = Segmenter::new();
    let mut key = Key::new();
    let mut seg = Segmentation::default();

    group.bench_function("key+segment, news documents", |b| {
        b.iter(|| {
            let mut sentences = 0;
            for doc in &docs {
                normalizer.key_into(black_box(doc), &mut key);
                segmenter.segment_into(doc, &mut seg);
                sentences += seg.sentences().len();
            }
            assert_eq!(sentences, expected_sentences);
            black_box(&key);
        })
    });

    group.bench_function("key, news documents", |b| {
        b.iter(|| {
            let mut key_bytes = 0;
            for doc in &docs {
                normalizer.key_into(black_box(doc), &mut key);
                key_bytes += key.map.len();
            }
            assert!(key_bytes > bytes * 9 / 10 && key_bytes <= bytes);
        })
    });

    group.bench_function("segment, news documents", |b| {
        b.iter(|| {
            let mut sentences = 0;
            for doc in &docs {
                segmenter.segment_into(black_box(doc), &mut seg);
                sentences += seg.sentences().len();
            }
            assert_eq!(sentences, expected_sentences);
        })
    });

    group.bench_function("key+segment, one 4 MiB document", |b| {
        b.iter(|| {
            normalizer.key_into(black_box(&one_doc), &mut key);
            segmenter.segment_into(&one_doc, &mut seg);
            assert_eq!(seg.sentences().len(), expected_sentences);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
