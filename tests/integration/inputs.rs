//! Reading inputs: formats, encodings, ids, order, and every kind of bad input giving
//! its own error row.

use std::path::PathBuf;

use naql::read::{InputFormat, Inputs, ReadError, ReadOptions};
use naql::Lang;

use crate::util::{naql, read_table, repo_path};

fn read_one(path: &str, options: ReadOptions) -> naql::Document {
    let mut items: Vec<_> = Inputs::new(vec![repo_path(path)], options).collect();
    assert_eq!(items.len(), 1, "{path}");
    items
        .remove(0)
        .unwrap_or_else(|f| panic!("{path}: {}", f.error))
}

#[test]
fn encodings_decode_to_the_expected_letters() {
    let cases = [
        (
            "fa_windows1256.txt",
            "fa_windows1256.expected",
            "windows-1256",
        ),
        (
            "ar_windows1256.txt",
            "ar_windows1256.expected",
            "windows-1256",
        ),
        ("fa_utf16le_bom.txt", "fa.expected", "UTF-16LE"),
        ("fa_utf16be_bom.txt", "fa.expected", "UTF-16BE"),
        ("fa_utf8_bom.txt", "fa.expected", "UTF-8"),
        ("en_utf16le_nobom.txt", "en.expected", "UTF-16LE"),
    ];
    for (input, expected, encoding) in cases {
        let doc = read_one(
            &format!("tests/data/encodings/{input}"),
            ReadOptions::default(),
        );
        let want =
            std::fs::read_to_string(repo_path("tests/data/encodings").join(expected)).unwrap();
        assert_eq!(doc.text, want, "{input}");
        assert_eq!(doc.meta.input_encoding, encoding, "{input}");
    }
    // The Windows-1256 Persian fixture holds Persian-only letters that must survive.
    let doc = read_one(
        "tests/data/encodings/fa_windows1256.txt",
        ReadOptions::default(),
    );
    assert!(doc.text.contains("گزارش") && doc.text.contains("کوهستان"));
}

#[test]
fn forced_encoding_overrides_detection() {
    let options = ReadOptions {
        encoding: encoding_rs::Encoding::for_label(b"utf-8"),
        ..ReadOptions::default()
    };
    let items: Vec<_> = Inputs::new(
        vec![repo_path("tests/data/encodings/ar_windows1256.txt")],
        options,
    )
    .collect();
    let failure = items[0].as_ref().unwrap_err();
    assert_eq!(failure.error, ReadError::InvalidUtf8 { offset: 0 });
}

/// Every malformed fixture with the exact row it must produce.
#[test]
fn bad_inputs_each_get_an_error_row_naming_what_and_where() {
    let out = tempfile::tempdir().unwrap();
    naql()
        .args(["extract", "tests/data/bad", "--out"])
        .arg(out.path())
        .assert()
        .code(1);
    let documents = read_table(&out.path().join("documents.csv"));
    let expected = [
        (
            "binary.txt",
            "tests/data/bad/binary.txt",
            "error",
            "binary content: NUL byte at byte offset 8",
        ),
        (
            "broken_utf8.txt",
            "tests/data/bad/broken_utf8.txt",
            "error",
            "undecodable bytes: invalid UTF-8 at byte offset 57",
        ),
        ("empty.txt", "tests/data/bad/empty.txt", "ok", ""),
        (
            "missing_column.csv",
            "tests/data/bad/missing_column.csv",
            "error",
            "missing text column \"text\" (header has: doc_id, body)",
        ),
        ("t1", "tests/data/bad/ragged.tsv:2", "ok", ""),
        (
            "t2",
            "tests/data/bad/ragged.tsv:3",
            "error",
            "line 3: row has 2 fields, the header has 3; no text column value",
        ),
        ("ragged.tsv:4", "tests/data/bad/ragged.tsv:4", "ok", ""),
        ("good-1", "tests/data/bad/records.jsonl:1", "ok", ""),
        (
            "broken-json",
            "tests/data/bad/records.jsonl:2",
            "error",
            "malformed JSON on line 2: EOF while parsing a string at column 47",
        ),
        (
            "no-text",
            "tests/data/bad/records.jsonl:3",
            "error",
            "line 3: no \"text\" field",
        ),
        (
            "null-text",
            "tests/data/bad/records.jsonl:4",
            "error",
            "line 4: \"text\" is null, not a string",
        ),
        ("42", "tests/data/bad/records.jsonl:5", "ok", ""),
        (
            "records.jsonl:7",
            "tests/data/bad/records.jsonl:7",
            "error",
            "malformed JSON on line 7: expected an object, found an array",
        ),
        (
            "number-text",
            "tests/data/bad/records.jsonl:8",
            "error",
            "line 8: \"text\" is a number, not a string",
        ),
        (
            "good-1",
            "tests/data/bad/records.jsonl:9",
            "error",
            "duplicate doc_id: document 8 of this run (row 8 of documents.csv) has the same id",
        ),
        (
            "records.jsonl:10",
            "tests/data/bad/records.jsonl:10",
            "ok",
            "",
        ),
        (
            "records.jsonl:11",
            "tests/data/bad/records.jsonl:11",
            "error",
            "line 11: doc_id must be a non-empty string or a number, found an object",
        ),
    ];
    let got: Vec<(&str, &str, &str, &str)> = documents
        .rows
        .iter()
        .map(|r| {
            (
                r["doc_id"].as_str(),
                r["source"].as_str(),
                r["status"].as_str(),
                r["error"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    let good = &documents.rows[7];
    assert_eq!(
        (good["lang"].as_str(), good["title"].as_str()),
        ("fa", "واکنش روسیه")
    );
    let t1 = &documents.rows[4];
    assert_eq!(
        (t1["title"].as_str(), t1["text_length"].as_str()),
        ("Title one", "31")
    );
}

#[test]
fn jsonl_text_or_line_over_the_limit_keeps_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.jsonl");
    let text = "ا".repeat(3000);
    // The line limit is twice --max-doc-bytes plus 1 MiB: this line is over it.
    let huge = "ب".repeat(600_000);
    std::fs::write(
        &input,
        format!(
            "{{\"doc_id\": \"big\", \"text\": \"{text}\"}}\n{{\"doc_id\": \"huge\", \"text\": \"{huge}\"}}\n{{\"doc_id\": \"small\", \"text\": \"ok\"}}\n"
        ),
    )
    .unwrap();
    let options = ReadOptions {
        max_doc_bytes: 100,
        ..ReadOptions::default()
    };
    let items: Vec<_> = Inputs::new(vec![input], options).collect();
    assert_eq!(items.len(), 3);
    let failure = items[0].as_ref().unwrap_err();
    assert_eq!(failure.id, "big");
    assert_eq!(
        failure.error,
        ReadError::TooLarge {
            bytes: 6000,
            limit: 100
        }
    );
    let failure = items[1].as_ref().unwrap_err();
    assert_eq!(failure.id, "huge");
    assert_eq!(
        failure.error,
        ReadError::LineTooLong {
            line: 2,
            bytes: 1_200_000 + 30,
            limit: 200 + (1 << 20)
        }
    );
    assert!(failure.meta.source.ends_with("big.jsonl:2"));
    assert_eq!(items[2].as_ref().unwrap().text, "ok");
}

#[test]
fn missing_and_unreadable_paths_are_rows_not_aborts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Moscow").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        dir.path().join("gone.txt"),
        dir.path().join("b-dangling.txt"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path(), dir.path().join("c-loop")).unwrap();
    std::fs::write(dir.path().join(".hidden.txt"), "skipped").unwrap();
    let items: Vec<_> = Inputs::new(
        vec![dir.path().to_path_buf(), PathBuf::from("no/such/file.txt")],
        ReadOptions::default(),
    )
    .collect();
    let ids: Vec<String> = items
        .iter()
        .map(|i| match i {
            Ok(d) => d.id.clone(),
            Err(f) => f.id.clone(),
        })
        .collect();
    #[cfg(unix)]
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(ids[0], "a.txt");
    let last = items.last().unwrap().as_ref().unwrap_err();
    assert_eq!(last.id, "no/such/file.txt");
    assert!(
        last.error
            .to_string()
            .starts_with("cannot read no/such/file.txt: "),
        "{}",
        last.error
    );
    #[cfg(unix)]
    {
        let dangling = items[1].as_ref().unwrap_err();
        assert!(
            dangling.error.to_string().contains("b-dangling.txt"),
            "{}",
            dangling.error
        );
    }
}

#[test]
fn directories_are_read_recursively_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    for path in [
        "b/z.txt",
        "b/a.txt",
        "a.txt",
        "c.jsonl",
        "B.txt",
        "b/c/d.txt",
    ] {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        let body = if path.ends_with(".jsonl") {
            "{\"text\": \"x\"}\n{\"id\": \"j2\", \"text\": \"y\"}\n"
        } else {
            "text"
        };
        std::fs::write(full, body).unwrap();
    }
    let ids: Vec<String> = Inputs::new(vec![dir.path().to_path_buf()], ReadOptions::default())
        .map(|item| item.unwrap().id)
        .collect();
    assert_eq!(
        ids,
        [
            "B.txt",
            "a.txt",
            "b/a.txt",
            "b/c/d.txt",
            "b/z.txt",
            "c.jsonl:1",
            "j2"
        ]
    );
}

#[test]
fn csv_with_custom_columns_and_forced_format() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export.dat");
    std::fs::write(&input, "\u{feff}key,body,lang,url\nk1,\"قالت زاخاروفا، \"\"نعم\"\"\nسطر\",ar,http://e/1\nk2,Moscow,,\n").unwrap();
    let options = ReadOptions {
        format: Some(InputFormat::Csv),
        text_column: "body".into(),
        id_column: "key".into(),
        ..ReadOptions::default()
    };
    let docs: Vec<_> = Inputs::new(vec![input], options)
        .map(|i| i.unwrap())
        .collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].id, "k1");
    assert_eq!(docs[0].text, "قالت زاخاروفا، \"نعم\"\nسطر");
    assert_eq!(docs[0].lang, Lang::Ar);
    assert_eq!(docs[0].meta.url.as_deref(), Some("http://e/1"));
    assert!(docs[0].meta.source.ends_with("export.dat:2"));
    assert_eq!((docs[1].id.as_str(), docs[1].lang), ("k2", Lang::Und));
    assert!(docs[1].meta.source.ends_with("export.dat:4"));
}

#[test]
fn stdin_as_plain_text_is_one_document() {
    let out = tempfile::tempdir().unwrap();
    naql()
        .args(["extract", "-", "--input-format", "txt", "--out"])
        .arg(out.path())
        .write_stdin("زاخارووا گفت")
        .assert()
        .code(0);
    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(documents.column("doc_id"), ["stdin"]);
    assert_eq!(documents.column("text_length"), ["12"]);
    assert_eq!(documents.column("lang"), ["fa"]);
}

#[test]
fn windows_1256_through_the_command_records_the_encoding() {
    let out = tempfile::tempdir().unwrap();
    naql()
        .args([
            "extract",
            "tests/data/encodings/fa_windows1256.txt",
            "tests/data/encodings/en_utf16le_nobom.txt",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .code(0);
    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(
        documents.column("input_encoding"),
        ["windows-1256", "UTF-16LE"]
    );
    assert_eq!(documents.column("lang"), ["fa", "en"]);
    assert_eq!(documents.column("text_length"), ["253", "90"]);
}

/// More documents than the duplicate-id table keeps in memory (28,672): ids first used
/// early are found on disk, a recent one in memory, and every document has its row.
#[test]
fn duplicate_ids_are_found_after_the_id_set_moves_to_disk() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    let mut lines = String::new();
    for n in 1..=40_000 {
        lines.push_str(&format!("{{\"id\":\"d{n}\",\"text\":\"Hello.\"}}\n"));
    }
    for n in [1, 20_000, 39_999] {
        lines.push_str(&format!("{{\"id\":\"d{n}\",\"text\":\"Again.\"}}\n"));
    }
    std::fs::write(&input, lines).unwrap();
    // Without a usable temporary directory the ids stay in memory, with the same rows.
    let nowhere = dir.path().join("no such directory");
    for tmpdir in [None, Some(&nowhere)] {
        let out = dir.path().join("out");
        let mut command = naql();
        if let Some(tmpdir) = tmpdir {
            command
                .env("TMPDIR", tmpdir)
                .env("TMP", tmpdir)
                .env("TEMP", tmpdir);
        }
        let run = command
            .arg("extract")
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(1);
        // A warning says so when the ids had to stay in memory, and only then.
        let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
        let warned = stderr.contains("naql: warning: no temporary file could be written in ")
            && stderr.contains("set TMPDIR to a writable directory");
        assert_eq!(warned, tmpdir.is_some(), "{stderr}");
        check_duplicate_rows(&out);
    }
}

fn check_duplicate_rows(out: &std::path::Path) {
    let documents = read_table(&out.join("documents.csv"));
    assert_eq!(documents.rows.len(), 40_003);
    let errors: Vec<(&str, &str)> = documents
        .rows
        .iter()
        .filter(|row| row["status"] == "error")
        .map(|row| (row["doc_id"].as_str(), row["error"].as_str()))
        .collect();
    let expected = |n: usize| {
        format!(
            "duplicate doc_id: document {n} of this run (row {n} of documents.csv) has the same id"
        )
    };
    assert_eq!(
        errors,
        [
            ("d1", expected(1).as_str()),
            ("d20000", expected(20_000).as_str()),
            ("d39999", expected(39_999).as_str()),
        ]
    );
}
