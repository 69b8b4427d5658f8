//! The reference point of the performance targets: a raw `aho-corasick` scan of a
//! JSONL corpus for the names of a gazetteer (contiguous NFA, leftmost-longest, a
//! whole-word filter, one thread, no normalisation, no output). The targets were set
//! against this scan's throughput on the same kind of machine (about 30 MB/s for the
//! whole process and 46 MB/s for the scan alone, with 100,000 names), and a shared
//! machine's speed drifts: run it in the same minutes as `naql extract` to read
//! naql's figures against it.
//!
//! ```sh
//! cargo run --release --example reference_scan -- DIR/gazetteer/names.tsv DIR/corpus.jsonl
//! ```
//!
//! Prints one line: names, corpus bytes, seconds to build the automaton, to scan, and
//! for the whole process, the scan's and the whole process's MB/s, and the matches.

use std::io::BufRead;
use std::time::Instant;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [names_path, corpus_path] = &args[..] else {
        return Err("usage: reference_scan NAMES_TSV CORPUS_JSONL".into());
    };
    // The `name` column of a gazetteer's names.tsv, each name once.
    let table = std::fs::read_to_string(names_path)?;
    let mut lines = table.lines();
    let header = lines.next().ok_or("empty names file")?;
    let column = header
        .split('\t')
        .position(|c| c == "name")
        .ok_or("no `name` column")?;
    let mut names: Vec<&str> = lines
        .filter_map(|line| line.split('\t').nth(column))
        .filter(|name| !name.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();

    let built = Instant::now();
    let automaton = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .match_kind(MatchKind::LeftmostLongest)
        .build(&names)?;
    let build_seconds = built.elapsed().as_secs_f64();

    #[derive(serde::Deserialize)]
    struct Record {
        text: String,
    }
    let corpus = std::io::BufReader::new(std::fs::File::open(corpus_path)?);
    let (mut bytes, mut matches, mut scan_seconds) = (0usize, 0usize, 0f64);
    for line in corpus.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let text = serde_json::from_str::<Record>(&line)?.text;
        let scanned = Instant::now();
        for found in automaton.find_iter(&text) {
            // Whole words only: no letter or digit either side.
            let before = text[..found.start()].chars().next_back();
            let after = text[found.end()..].chars().next();
            if !before.is_some_and(char::is_alphanumeric)
                && !after.is_some_and(char::is_alphanumeric)
            {
                matches += 1;
            }
        }
        scan_seconds += scanned.elapsed().as_secs_f64();
        bytes += text.len();
    }
    let whole_seconds = started.elapsed().as_secs_f64();
    let mb = bytes as f64 / 1e6;
    println!(
        "names {} bytes {bytes} build_s {build_seconds:.2} scan_s {scan_seconds:.2} \
         whole_s {whole_seconds:.2} scan_MB/s {:.1} whole_MB/s {:.1} matches {matches}",
        names.len(),
        mb / scan_seconds,
        mb / whole_seconds,
    );
    Ok(())
}
