//! `naql tables` (issue 10): JSONL records, cut into shards and shuffled, give back
//! byte for byte the tables `naql extract --out` writes for the same input, whether the
//! shards are pieces of one run's output or the outputs of runs over pieces of the input
//! (what Spark, Hadoop Streaming and GNU parallel do).

use std::path::{Path, PathBuf};

use crate::util::{naql, repo_path};

const TABLES: [&str; 4] = [
    "documents.csv",
    "mentions.csv",
    "entities.csv",
    "quotes.csv",
];

/// Compares the tables in two directories byte for byte, naming the first line that
/// differs.
fn assert_same_tables(want: &Path, got: &Path) {
    for table in TABLES {
        let a = std::fs::read(want.join(table)).unwrap();
        let b = std::fs::read(got.join(table)).unwrap();
        if a == b {
            continue;
        }
        let (a, b) = (String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
        let line = a
            .lines()
            .zip(b.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(a.lines().count().min(b.lines().count()));
        panic!(
            "{table} differs at line {}:\nextract: {:?}\ntables:  {:?}",
            line + 1,
            a.lines().nth(line),
            b.lines().nth(line)
        );
    }
}

fn counts(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    manifest["counts"].clone()
}

/// A fixed permutation, so that a failure reproduces.
fn shuffle<T>(items: &mut [T]) {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(i, (state % (i as u64 + 1)) as usize);
    }
}

/// Writes `lines` as files of `size` lines each, returned in shuffled order.
fn write_shards(dir: &Path, lines: &[String], size: usize) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = lines
        .chunks(size)
        .enumerate()
        .map(|(i, chunk)| {
            let path = dir.join(format!("shard-{i:03}.jsonl"));
            std::fs::write(&path, chunk.join("\n") + "\n").unwrap();
            path
        })
        .collect();
    shuffle(&mut files);
    files
}

fn tables_from(files: &[PathBuf], out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    naql()
        .arg("tables")
        .arg("--from")
        .args(files)
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

#[test]
fn shuffled_pieces_of_one_run_give_the_extract_tables() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = ["samples", "tests/data"];
    for (flags, name) in [(&[][..], "plain"), (&["--excel"][..], "excel")] {
        let csv = dir.path().join(format!("{name}-csv"));
        let jsonl = dir.path().join(format!("{name}-jsonl"));
        // The malformed fixtures make both runs exit 1.
        naql()
            .arg("extract")
            .args(inputs)
            .arg("--out")
            .arg(&csv)
            .args(flags)
            .assert()
            .code(1);
        naql()
            .arg("extract")
            .args(inputs)
            .args(["--format", "jsonl", "--out"])
            .arg(&jsonl)
            .assert()
            .code(1);
        let records = std::fs::read_to_string(jsonl.join("records.jsonl")).unwrap();
        let lines: Vec<String> = records.lines().map(String::from).collect();
        assert!(lines.len() > 300, "{} records", lines.len());
        // 37 lines a piece: most cuts fall between a document and its last mentions.
        let shards = dir.path().join(format!("{name}-shards"));
        std::fs::create_dir(&shards).unwrap();
        let files = write_shards(&shards, &lines, 37);
        let merged = dir.path().join(format!("{name}-merged"));
        tables_from(&files, &merged, flags)
            .code(1)
            .stderr(predicates::str::contains("documents failed"));
        assert_same_tables(&csv, &merged);
        assert_eq!(counts(&csv), counts(&merged));
        // A directory stands for its files.
        let again = dir.path().join(format!("{name}-dir"));
        tables_from(&[shards], &again, flags).code(1);
        assert_same_tables(&csv, &again);
    }
}

/// A corpus with what a sharded run must get right: records without an id (named
/// after their line), malformed lines, a blank line, and ids repeated within a piece
/// and across pieces.
fn tricky_corpus() -> Vec<String> {
    let samples = std::fs::read_to_string(repo_path("samples/news.jsonl")).unwrap();
    let samples: Vec<serde_json::Value> = samples
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut lines = Vec::new();
    for i in 0..30 {
        let mut doc = samples[i % 2].clone();
        let id = match i {
            5 | 17 => serde_json::Value::Null,
            12 => "d3".into(),
            14 => "d13".into(),
            _ => format!("d{i}").into(),
        };
        doc["doc_id"] = id;
        lines.push(doc.to_string());
    }
    lines.insert(8, r#"{"doc_id": "broken", "text": "Moscow"#.to_string());
    lines.insert(11, String::new());
    lines.insert(20, r#"{"doc_id": "no-text"}"#.to_string());
    lines.insert(
        24,
        r#"{"text": "Lavrov met Zakharova in Moscow."}"#.to_string(),
    );
    lines
}

#[test]
fn runs_over_pieces_of_the_input_give_the_extract_tables() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = tricky_corpus();
    let whole = dir.path().join("corpus.jsonl");
    std::fs::write(&whole, corpus.join("\n") + "\n").unwrap();
    let single = dir.path().join("single");
    naql()
        .args(["extract", "-", "--out"])
        .arg(&single)
        .pipe_stdin(&whole)
        .unwrap()
        .assert()
        .code(1);

    // Each piece is a separate run on stdin, as under Spark or GNU parallel, marked
    // with its shard; the line offset is what the Spark example adds to the run record.
    let bounds = [0, 7, 12, 21, 26, corpus.len()];
    let mut files = Vec::new();
    for (shard, piece) in bounds.windows(2).enumerate() {
        let input = corpus[piece[0]..piece[1]].join("\n") + "\n";
        let output = naql()
            .args([
                "extract",
                "-",
                "--format",
                "jsonl",
                "--threads",
                "1",
                "--shard",
            ])
            .arg(shard.to_string())
            .write_stdin(input)
            .output()
            .unwrap();
        let mut records: Vec<String> = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        let mut run: serde_json::Value = serde_json::from_str(&records[0]).unwrap();
        assert_eq!(run["record"], "run");
        assert_eq!(run["shard"], shard);
        run["line_offset"] = piece[0].into();
        records[0] = run.to_string();
        let path = dir.path().join(format!("part-{shard:05}"));
        std::fs::write(&path, records.join("\n") + "\n").unwrap();
        files.push(path);
    }
    shuffle(&mut files);
    let merged = dir.path().join("merged");
    tables_from(&files, &merged, &[]).code(1);
    assert_same_tables(&single, &merged);
    assert_eq!(counts(&single), counts(&merged));

    let documents = std::fs::read_to_string(single.join("documents.csv")).unwrap();
    for needle in [
        "stdin:25,stdin:25,en",
        "malformed JSON on line 9",
        "line 21: no \"\"text\"\" field",
        "duplicate doc_id: document 4 of this run",
    ] {
        assert!(documents.contains(needle), "{needle} not in\n{documents}");
    }
    assert_eq!(documents.matches("duplicate doc_id").count(), 2);
}

#[test]
fn bad_or_mismatched_records_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let output = naql()
        .args(["extract", "samples/news.jsonl", "--format", "jsonl"])
        .output()
        .unwrap();
    let records = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = records.lines().collect();
    let write = |name: &str, lines: &[&str]| {
        let path = dir.path().join(name);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path
    };
    let out = dir.path().join("out");

    let mut broken = lines.clone();
    broken.insert(3, "{\"record\": \"mention\", ");
    let file = write("broken.jsonl", &broken);
    tables_from(&[file], &out, &[])
        .code(2)
        .stderr(predicates::str::contains(
            "broken.jsonl:4: not a naql record",
        ));

    // Two runs without --shard put two documents at one position.
    let file = write("twice.jsonl", &lines);
    tables_from(&[file.clone(), file], &out, &[])
        .code(2)
        .stderr(predicates::str::contains("naql extract --shard N"));

    // A piece holding mention records is missing.
    let second = lines
        .iter()
        .position(|l| l.contains("\"doc_index\":2"))
        .unwrap();
    let file = write("cut.jsonl", &lines[..second - 1]);
    tables_from(&[file], &out, &[])
        .code(2)
        .stderr(predicates::str::contains("records were found"));

    // A piece holding documents is missing.
    let file = write("gap.jsonl", &[lines[0], lines[second]]);
    tables_from(&[file], &out, &[])
        .code(2)
        .stderr(predicates::str::contains(
            "documents 1 to 1 of shard (none) are missing",
        ));

    // Records written before the run record existed.
    let file = write("old.jsonl", &lines[1..]);
    tables_from(&[file], &out, &[])
        .code(2)
        .stderr(predicates::str::contains("no run record"));

    // Records made with other gazetteers.
    let other = lines[0].replace("\"gazetteer_sha256\":\"", "\"gazetteer_sha256\":\"0");
    let mut shard = lines.clone();
    shard[0] = &other;
    let a = write("a.jsonl", &shard);
    let b = write("b.jsonl", &lines);
    tables_from(&[a, b], &out, &[])
        .code(2)
        .stderr(predicates::str::contains("come from different runs"));
}
