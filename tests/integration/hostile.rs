//! Hostile inputs (issue 9): every fixture of `tests/data/hostile/` and the large ones
//! generated here, each with the outcome it must have (listed in
//! `tests/data/hostile/README.md`). None may abort a run or lose a document.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use naql::read::{Inputs, ReadError, ReadOptions};

use crate::util::{assert_spans_slice, naql, read_table, repo_path, Table};

/// Runs `naql extract` on `inputs` into a new directory; returns the directory, the
/// exit code and stderr.
fn extract(inputs: &[PathBuf], extra: &[&str]) -> (tempfile::TempDir, i32, String) {
    let out = tempfile::tempdir().unwrap();
    let output = naql()
        .arg("extract")
        .args(inputs)
        .args(extra)
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (out, output.status.code().unwrap_or(-1), stderr)
}

/// documents.csv rows by doc_id; asserts each id appears once.
fn by_id(table: &Table) -> HashMap<String, HashMap<String, String>> {
    let mut rows = HashMap::new();
    for row in &table.rows {
        let previous = rows.insert(row["doc_id"].clone(), row.clone());
        assert!(previous.is_none(), "doc_id {:?} twice", row["doc_id"]);
    }
    rows
}

fn hostile(name: &str) -> PathBuf {
    repo_path("tests/data/hostile").join(name)
}

/// (file, doc_id, status, error or its start, n_mentions) for each committed fixture.
#[test]
fn committed_fixtures_each_give_their_rows() {
    let files: Vec<PathBuf> = [
        "empty.txt",
        "whitespace_only.txt",
        "marks_only.txt",
        "bidi_override.txt",
        "nul_bytes.txt",
        "fa_invalid_utf8.txt",
        "fa_utf16le_nobom.txt",
        "records.jsonl",
        "ragged.csv",
        "unclosed_quote.csv",
    ]
    .iter()
    .map(|f| hostile(f))
    .collect();
    let (out, code, stderr) = extract(&files, &["--threads", "3"]);
    assert_eq!(code, 1, "some documents fail, the run does not: {stderr}");
    let documents = read_table(&out.path().join("documents.csv"));
    let rows = by_id(&documents);
    let h = |f: &str| hostile(f).to_string_lossy().into_owned();
    let expected: &[(String, &str, &str, &str)] = &[
        (h("empty.txt"), "ok", "", "0"),
        (h("whitespace_only.txt"), "ok", "", "0"),
        (h("marks_only.txt"), "ok", "", "0"),
        (h("bidi_override.txt"), "ok", "", "4"),
        (
            h("nul_bytes.txt"),
            "error",
            "binary content: NUL byte at byte offset 16",
            "0",
        ),
        (
            h("fa_invalid_utf8.txt"),
            "error",
            "undecodable bytes: invalid UTF-8 at byte offset 230",
            "0",
        ),
        (h("fa_utf16le_nobom.txt"), "ok", "", "3"),
        ("12345678901234567890".into(), "ok", "", "0"),
        ("-0.0075".into(), "ok", "", "0"),
        (format!("{}:3", h("records.jsonl")), "ok", "", "0"),
        (
            "null-text".into(),
            "error",
            "line 4: \"text\" is null, not a string",
            "0",
        ),
        (
            "object-text".into(),
            "error",
            "line 5: \"text\" is an object, not a string",
            "0",
        ),
        ("nested-meta".into(), "ok", "", "1"),
        (
            format!("{}:7", h("records.jsonl")),
            "error",
            "line 7: doc_id must be a non-empty string or a number, found an array",
            "0",
        ),
        (
            "deep".into(),
            "error",
            "malformed JSON on line 8: recursion limit exceeded",
            "0",
        ),
        ("nul-in-text".into(), "ok", "", "2"),
        ("after".into(), "ok", "", "0"),
        ("r1".into(), "ok", "", "2"),
        (
            "r2".into(),
            "error",
            "line 3: row has 2 fields, the header has 3; no text column value",
            "0",
        ),
        (
            "r3".into(),
            "error",
            "line 4: row has 1 fields, the header has 3; no text column value",
            "0",
        ),
        ("r4".into(), "ok", "", "0"),
        (format!("{}:6", h("ragged.csv")), "ok", "", "0"),
        ("r6".into(), "ok", "", "0"),
        ("u1".into(), "ok", "", "0"),
        (
            "u2".into(),
            "error",
            "line 3: quoted field never closed; lines 3-5 would be one field",
            "0",
        ),
    ];
    for (id, status, error, mentions) in expected {
        let row = rows
            .get(id.as_str())
            .unwrap_or_else(|| panic!("no row for {id:?} in {:?}", rows.keys()));
        assert_eq!(row["status"], *status, "{id}: {row:?}");
        assert!(row["error"].starts_with(error), "{id}: {:?}", row["error"]);
        assert_eq!(row["n_mentions"], *mentions, "{id}");
    }
    assert_eq!(documents.rows.len(), expected.len(), "one row per document");
    // Empty, blank and marks-only texts are documents like any other.
    assert_eq!(rows[&h("empty.txt")]["text_length"], "0");
    assert_eq!(rows[&h("marks_only.txt")]["text_length"], "220");
    assert_eq!(
        rows[&h("fa_utf16le_nobom.txt")]["input_encoding"],
        "UTF-16LE"
    );
    assert_eq!(rows["r6"]["text_length"], "22");
    // JSON values that are not strings are kept as JSON in the metadata.
    assert_eq!(rows["nested-meta"]["title"], r#"{"a":[1,{"b":null}]}"#);

    // Bidi controls stay in the text (offsets are true) and are counted and reported.
    let bidi = &rows[&h("bidi_override.txt")];
    assert_eq!(bidi["n_bidi_controls"], "5");
    assert!(
        stderr.contains("warning: 1 documents hold 5 bidi") && stderr.contains("bidi_override.txt"),
        "{stderr}"
    );
    let mut texts = HashMap::new();
    for name in ["bidi_override.txt", "fa_utf16le_nobom.txt"] {
        let text = naql::read::read_stream(
            std::io::Cursor::new(std::fs::read(hostile(name)).unwrap()),
            naql::read::InputFormat::Txt,
            "x",
            ReadOptions::default(),
        )
        .next()
        .unwrap()
        .unwrap()
        .text;
        texts.insert(h(name), text);
    }
    texts.insert("r1".into(), "Moscow is in contact with Baku.".into());
    texts.insert("nested-meta".into(), "Moscow".into());
    texts.insert("nul-in-text".into(), "Moscow\0Baku".into());
    let mentions = read_table(&out.path().join("mentions.csv"));
    let names: Vec<&str> = mentions
        .rows
        .iter()
        .filter(|r| r["doc_id"] == h("bidi_override.txt"))
        .map(|r| r["text"].as_str())
        .collect();
    // The override and isolate controls are never part of a name's span.
    assert_eq!(names, ["ماریا زاخارووا", "مسکو", "باکو", "Maria Zakharova"]);
    let quotes = read_table(&out.path().join("quotes.csv"));
    let quote_ids: Vec<&str> = quotes.column("doc_id");
    let known: Vec<&str> = quote_ids
        .into_iter()
        .filter(|id| texts.contains_key(*id))
        .collect();
    assert!(!known.is_empty() || quotes.rows.is_empty());
    // Only documents whose text we hold are checked: filter the tables to them.
    let filtered = tempfile::tempdir().unwrap();
    for file in ["mentions.csv", "quotes.csv"] {
        let table = read_table(&out.path().join(file));
        let mut writer = csv::Writer::from_path(filtered.path().join(file)).unwrap();
        writer.write_record(&table.header).unwrap();
        for row in table
            .rows
            .iter()
            .filter(|r| texts.contains_key(&r["doc_id"]))
        {
            writer
                .write_record(table.header.iter().map(|c| &row[c]))
                .unwrap();
        }
        writer.flush().unwrap();
    }
    assert!(assert_spans_slice(filtered.path(), &texts) >= 9);
}

/// 100,000 unmatched opening marks and quotes nested 10,000 deep hit
/// `--max-quote-depth` at once (no quadratic pairing); a document nested just under
/// the limit is processed.
#[test]
fn unmatched_and_deeply_nested_quotes_hit_the_depth_limit() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let files = [
        write("guillemets.txt", format!("گفت: {}", "«".repeat(100_000))),
        write("straight.txt", format!("He said {}", "\"".repeat(100_000))),
        write(
            "nested.txt",
            format!("گفت: {}سلام{}", "«".repeat(10_000), "»".repeat(10_000)),
        ),
        write(
            "shallow.txt",
            format!("گفت: {}سلام{}", "«".repeat(8), "»".repeat(8)),
        ),
    ];
    let started = std::time::Instant::now();
    let (out, code, stderr) = extract(&files, &["--max-quote-depth", "8"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    let documents = read_table(&out.path().join("documents.csv"));
    let depth = "quotation marks nested more than 8 deep (--max-quote-depth)";
    let rows: Vec<(&str, &str)> = documents
        .rows
        .iter()
        .map(|r| (r["status"].as_str(), r["error"].as_str()))
        .collect();
    // Straight quotes never open before a non-space: 100,000 of them in a row are
    // stray marks, paired with nothing.
    assert_eq!(
        rows,
        [("error", depth), ("ok", ""), ("error", depth), ("ok", "")]
    );
}

/// Documents of nothing but speech cues, colons, complementizers and quotes: each
/// step of quote attribution looks at what is near, so the time stays linear (these
/// took minutes each at a few MB before).
#[test]
fn documents_of_nothing_but_cues_stay_linear() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, unit) in [
        "ماریا زاخارووا گفت که ",
        "وی گفت ",
        "گفت: ",
        "said that ",
        "زاخارووا گفت: «ما در تماس هستیم». ",
        "«ماریا» ",
    ]
    .iter()
    .enumerate()
    {
        let path = dir.path().join(format!("cues{i}.txt"));
        std::fs::write(&path, unit.repeat(300_000 / unit.len())).unwrap();
        files.push(path);
    }
    let started = std::time::Instant::now();
    let (out, code, stderr) = extract(&files, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        started.elapsed().as_secs() < 90,
        "took {:?}",
        started.elapsed()
    );
    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(documents.rows.len(), 6);
    assert!(documents
        .column("n_quotes")
        .iter()
        .any(|n| n.parse::<u32>().unwrap() > 1000));
}

/// A 50 MB single line is one document, processed within the default limits.
#[test]
fn fifty_megabyte_single_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("line.txt");
    let filler = "lorem ipsum dolor sit amet ".repeat(50_000_000 / 27);
    std::fs::write(&path, format!("{filler}ماریا زاخارووا")).unwrap();
    let (out, code, stderr) = extract(&[path], &["--no-quotes"]);
    assert_eq!(code, 0, "{stderr}");
    let documents = read_table(&out.path().join("documents.csv"));
    let row = &documents.rows[0];
    assert_eq!(row["status"], "ok");
    assert!(row["text_bytes"].parse::<u64>().unwrap() > 50_000_000);
    assert_eq!(row["n_mentions"], "1");
}

/// A JSONL line with a 100 MB string: over --max-doc-bytes (parsed, then refused), or
/// over --max-line-bytes (never held whole). Either way the lines after it are read.
#[test]
fn jsonl_line_with_a_hundred_megabyte_string() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.jsonl");
    let huge = "ب".repeat(50_000_000);
    std::fs::write(
        &path,
        format!(
            "{{\"doc_id\": \"huge\", \"text\": \"{huge}\"}}\n{{\"doc_id\": \"next\", \"text\": \"Moscow\"}}\n"
        ),
    )
    .unwrap();
    drop(huge);
    let (out, code, stderr) = extract(std::slice::from_ref(&path), &[]);
    assert_eq!(code, 1, "{stderr}");
    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(documents.column("doc_id"), ["huge", "next"]);
    assert_eq!(documents.column("status"), ["error", "ok"]);
    assert_eq!(
        documents.rows[0]["error"],
        "document is 100000000 bytes, over the limit of 67108864 bytes (--max-doc-bytes)"
    );

    let (out, code, stderr) = extract(&[path], &["--max-line-bytes", "1000000"]);
    assert_eq!(code, 1, "{stderr}");
    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(documents.column("doc_id"), ["huge", "next"]);
    assert_eq!(
        documents.rows[0]["error"],
        "line 1 is 100000030 bytes, over the limit of 1000000 bytes (--max-line-bytes)"
    );
}

/// A CSV record longer than --max-line-bytes (here: an open quote running on) fails
/// alone, with the records before it kept.
#[test]
fn csv_record_over_the_line_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.csv");
    let body = "x".repeat(300_000);
    std::fs::write(
        &path,
        format!("doc_id,text\na,short\nb,\"{body}\nc,more {body}\n"),
    )
    .unwrap();
    let (out, code, stderr) = extract(&[path], &["--max-line-bytes", "1000"]);
    assert_eq!(code, 1, "{stderr}");
    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(documents.column("status"), ["ok", "error"]);
    let error = &documents.rows[1]["error"];
    assert!(
        error.starts_with("line 3 is ")
            && error.ends_with("over the limit of 1000 bytes (--max-line-bytes)"),
        "{error}"
    );
}

/// More mentions than --max-mentions: an error row naming the limit.
#[test]
fn too_many_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.txt");
    std::fs::write(&path, "Moscow ".repeat(1000)).unwrap();
    let (out, code, _) = extract(&[path], &["--max-mentions", "999"]);
    assert_eq!(code, 1);
    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(
        documents.rows[0]["error"],
        "1000 entity mentions, over the limit of 999 per document (--max-mentions)"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_read_once_and_dangling_links_are_rows() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("sub/a.txt"), "Moscow").unwrap();
    std::os::unix::fs::symlink(&root, root.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("self", root.join("self")).unwrap();
    let (out, code, stderr) = extract(&[root], &[]);
    assert_eq!(code, 1, "{stderr}");
    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(documents.column("status"), ["error", "ok"]);
    assert!(documents.rows[0]["doc_id"].ends_with("corpus/self"));
    assert!(
        documents.rows[0]["error"].contains("symbolic links"),
        "{:?}",
        documents.rows[0]
    );
    assert_eq!(documents.rows[1]["doc_id"], "sub/a.txt");
}

/// A FIFO in a directory would block the run forever: it is an error row instead.
#[cfg(unix)]
#[test]
fn fifo_in_a_directory_is_a_row_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Moscow").unwrap();
    let fifo = dir.path().join("b.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED fifo_in_a_directory_is_a_row_not_a_hang: no mkfifo");
        return;
    }
    let (out, code, stderr) = extract(&[dir.path().to_path_buf()], &[]);
    assert_eq!(code, 1, "{stderr}");
    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(documents.column("status"), ["ok", "error"]);
    assert!(
        documents.rows[1]["error"].contains("not a regular file"),
        "{:?}",
        documents.rows[1]
    );
}

/// A file listed and then removed before it is read gives an error row in its place.
#[test]
fn file_removed_while_the_run_lists_it() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.txt", "b.txt", "c.txt"] {
        std::fs::write(dir.path().join(name), name).unwrap();
    }
    let mut inputs = Inputs::new(vec![dir.path().to_path_buf()], ReadOptions::default());
    assert_eq!(inputs.next().unwrap().unwrap().id, "a.txt");
    // The directory is listed now; b.txt goes before it is read.
    std::fs::remove_file(dir.path().join("b.txt")).unwrap();
    let rest: Vec<_> = inputs.collect();
    assert_eq!(rest.len(), 2);
    let failure = rest[0].as_ref().unwrap_err();
    assert!(failure.id.ends_with("b.txt"), "{}", failure.id);
    assert!(
        matches!(&failure.error, ReadError::Io { message, .. } if message.contains("No such file")),
        "{}",
        failure.error
    );
    assert_eq!(rest[1].as_ref().unwrap().id, "c.txt");
}

/// Gazetteer rows with empty names and names of only marks are errors naming file and
/// line (`extract` refuses to run on them); duplicate ids and rows are warnings; a
/// 10,000-character name is a name like any other.
#[test]
fn hostile_gazetteer_rows() {
    let gazetteer = hostile("gazetteer");
    let output = naql()
        .args(["gazetteer", "check"])
        .arg(&gazetteer)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report = format!("{stdout}{stderr}");
    for expected in [
        "entities.tsv:3: warning: duplicate row: id \"h:moscow\"",
        "entities.tsv:5: warning: id \"h:baku\" defined again",
        "names.tsv:3: error: empty name",
        r#"names.tsv:4: error: name "\u{64e}\u{64f}\u{651}" has no letters or digits once normalised"#,
        "names.tsv:6: warning: duplicate row",
    ] {
        assert!(report.contains(expected), "{expected:?} not in:\n{report}");
    }
    let text = repo_path("tests/data/hostile/empty.txt");
    let (_, code, stderr) = extract(
        &[text],
        &[
            "--no-default-gazetteer",
            "--gazetteer",
            gazetteer.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("2 gazetteer errors"), "{stderr}");

    // Without the bad rows, plus a 10,000-character name: loads and matches.
    let dir = tempfile::tempdir().unwrap();
    let long_name: String = "زاخارووا ".repeat(1111).trim_end().to_string();
    assert!(long_name.chars().count() >= 9_998);
    std::fs::copy(
        gazetteer.join("entities.tsv"),
        dir.path().join("entities.tsv"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("names.tsv"),
        format!("id\tname\tlang\nh:moscow\tMoscow\ten\nh:baku\t{long_name}\tfa\n"),
    )
    .unwrap();
    let doc = dir.path().join("doc.txt");
    std::fs::write(&doc, format!("Moscow, {long_name}.")).unwrap();
    let (out, code, stderr) = extract(
        &[doc],
        &[
            "--no-default-gazetteer",
            "--gazetteer",
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let mentions = read_table(&out.path().join("mentions.csv"));
    assert_eq!(mentions.column("entity_id"), ["h:moscow", "h:baku"]);
    assert_eq!(mentions.rows[1]["text"], long_name);
}

/// Whatever the doc ids hold (`../`, absolute paths, NUL, separators), nothing is
/// written outside --out, and inside it only the tables and the manifest.
#[test]
fn doc_ids_never_name_output_files() {
    let parent = tempfile::tempdir().unwrap();
    let input = parent.path().join("ids.jsonl");
    let ids = [
        "../escape",
        "../../../../../../tmp/naql-escape",
        "/tmp/naql-absolute",
        "a\u{0}b",
        "..",
        ".",
        "dir/../../x",
        "C:\\\\windows\\\\x",
        "documents.csv",
    ];
    let lines: Vec<String> = ids
        .iter()
        .map(|id| serde_json::json!({"doc_id": id, "text": "Moscow"}).to_string())
        .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    for format in ["csv", "jsonl", "xlsx"] {
        let out = parent.path().join(format!("out-{format}"));
        naql()
            .args(["extract", "--format", format, "--out"])
            .arg(&out)
            .arg(&input)
            .assert()
            .code(0);
        let mut written: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        written.sort();
        let expected: &[&str] = if format == "csv" {
            &[
                "documents.csv",
                "entities.csv",
                "manifest.json",
                "mentions.csv",
                "quotes.csv",
            ]
        } else if format == "jsonl" {
            &["manifest.json", "records.jsonl"]
        } else {
            &["manifest.json", "tables.xlsx"]
        };
        assert_eq!(written, expected);
    }
    let mut siblings: Vec<String> = std::fs::read_dir(parent.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    siblings.sort();
    assert_eq!(siblings, ["ids.jsonl", "out-csv", "out-jsonl", "out-xlsx"]);
    for outside in ["/tmp/naql-escape", "/tmp/naql-absolute"] {
        assert!(!Path::new(outside).exists(), "{outside}");
    }
    let documents = read_table(&parent.path().join("out-csv/documents.csv"));
    assert_eq!(documents.column("doc_id"), ids);
}
