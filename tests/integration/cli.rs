//! The `naql extract` command end to end: exit codes, output files, dialects,
//! streaming, determinism across thread counts.

use std::path::Path;

use crate::util::{assert_golden, assert_spans_slice, naql, read_table, repo_path, sample_texts};

const TABLES: [&str; 4] = [
    "documents.csv",
    "mentions.csv",
    "entities.csv",
    "quotes.csv",
];

#[test]
fn samples_write_all_five_files_with_every_document_ok() {
    let out = tempfile::tempdir().unwrap();
    naql()
        .args(["extract", "samples", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    for file in TABLES.iter().chain(&["manifest.json"]) {
        assert!(out.path().join(file).is_file(), "{file} missing");
    }
    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(
        documents.column("doc_id"),
        [
            "ar_zakharova_karabakh.txt",
            "fa_zakharova_karabakh.txt",
            "jsonl-fa",
            "jsonl-ar"
        ]
    );
    assert_eq!(documents.column("status"), ["ok"; 4]);
    assert_eq!(documents.column("lang"), ["ar", "fa", "fa", "ar"]);
    assert_golden("samples/documents.csv", &out.path().join("documents.csv"));
    assert_spans_slice(out.path(), &sample_texts());

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["command"], "extract");
    assert_eq!(manifest["naql_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest["counts"]["documents"], 4);
    assert_eq!(manifest["counts"]["ok"], 4);
    assert_eq!(manifest["counts"]["error"], 0);
    assert_eq!(manifest["inputs"], serde_json::json!(["samples"]));
}

#[test]
fn table_headers_are_the_documented_columns() {
    let out = tempfile::tempdir().unwrap();
    naql()
        .args(["extract", "samples", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    let header = |file: &str| read_table(&out.path().join(file)).header.join(",");
    assert_eq!(
        header("documents.csv"),
        "doc_id,source,lang,title,url,published_at,text_length,text_bytes,text_sha256,input_encoding,n_mentions,n_quotes,status,error,n_bidi_controls,published_at_text,published_calendar,outlet,outlet_entity_id"
    );
    assert_eq!(
        header("mentions.csv"),
        "doc_id,mention_id,start,end,byte_start,byte_end,text,entity_id,entity_type,label,matched_name,name_lang,match_kind,clitic,sentence_index,context_left,context_right,zone,article_index"
    );
    assert_eq!(
        header("entities.csv"),
        "entity_id,label,entity_type,subtype,wikidata,n_mentions,n_docs,n_demonyms,n_mentions_other"
    );
    assert_eq!(
        header("quotes.csv"),
        "doc_id,quote_id,quote_type,start,end,byte_start,byte_end,text,open_mark,close_mark,cue,cue_start,cue_end,speaker_text,speaker_start,speaker_end,speaker_mention_id,speaker_entity_id,speaker_label,attribution_method,confidence,sentence_index,lang,zone,article_index"
    );
}

#[test]
fn exit_code_1_when_some_documents_fail_and_tables_are_still_written() {
    let out = tempfile::tempdir().unwrap();
    naql()
        .args(["extract", "samples", "tests/data/bad", "--out"])
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("documents failed"));
    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(documents.rows.len(), 4 + 17);
}

#[test]
fn exit_code_2_for_usage_errors_and_unwritable_output() {
    // CSV tables need a directory.
    naql().args(["extract", "samples"]).assert().code(2);
    naql()
        .args([
            "extract",
            "samples",
            "--out",
            "x",
            "--encoding",
            "no-such-encoding",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown encoding"));
    naql()
        .args(["extract", "samples", "--threads", "0", "--out", "x"])
        .assert()
        .code(2);
    naql().args(["extract", "--out", "x"]).assert().code(2);
    // The output path is a file, so the directory cannot be created.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    naql()
        .args(["extract", "samples", "--out"])
        .arg(file.join("sub"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot create output directory"));
    naql()
        .args(["extract", "samples", "--gazetteer", "no/such/dir", "--out"])
        .arg(dir.path().join("o"))
        .assert()
        .code(2);
}

#[test]
fn stdin_jsonl_to_stdout_jsonl() {
    let output = naql()
        .args(["extract", "-", "--format", "jsonl"])
        .pipe_stdin(repo_path("samples/news.jsonl"))
        .unwrap()
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // A run record first, entity records last; each document record comes before
    // its mention and quote records.
    assert_eq!(records[0]["record"], "run");
    assert_eq!(records[0]["format"], "naql-records");
    let mut order = Vec::new();
    for (line, record) in text.lines().zip(&records) {
        let kind = record["record"].as_str().unwrap();
        if kind == "run" || kind == "entity" {
            continue;
        }
        assert!(
            line.starts_with(&format!("{{\"record\":\"{kind}\",\"doc_id\":")),
            "record and doc_id come first: {line}"
        );
        if kind == "document" {
            order.push(record["doc_id"].as_str().unwrap().to_string());
        } else {
            assert_eq!(record["doc_id"].as_str(), order.last().map(String::as_str));
        }
    }
    assert_eq!(order, ["jsonl-fa", "jsonl-ar"]);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("{\"record\":\"document\""))
        .collect();
    for (line, id) in lines.iter().zip(["jsonl-fa", "jsonl-ar"]) {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(record["doc_id"], id);
        assert_eq!(record["status"], "ok");
        assert_eq!(
            record["source"],
            format!("stdin:{}", if id == "jsonl-fa" { 1 } else { 2 })
        );
        assert!(record["error"].is_null());
        let n_mentions = record["n_mentions"].as_u64().unwrap() as usize;
        let written = records
            .iter()
            .filter(|r| r["record"] == "mention" && r["doc_id"] == id)
            .count();
        assert_eq!(n_mentions, written);
    }
    let fa: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(fa["text_length"], 3162);
    assert_eq!(fa["text_bytes"], 5676);
    assert_eq!(fa["lang"], "fa");
}

#[test]
fn jsonl_with_out_writes_records_and_manifest() {
    let out = tempfile::tempdir().unwrap();
    naql()
        .args([
            "extract",
            "samples/news.jsonl",
            "--format",
            "jsonl",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .code(0);
    let records = std::fs::read_to_string(out.path().join("records.jsonl")).unwrap();
    assert_eq!(
        records
            .lines()
            .filter(|l| l.starts_with("{\"record\":\"document\""))
            .count(),
        2
    );
    assert!(out.path().join("manifest.json").is_file());
    assert!(!out.path().join("documents.csv").exists());
}

#[test]
fn closed_stdout_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    let line = std::fs::read_to_string(repo_path("samples/news.jsonl")).unwrap();
    let mut body = String::new();
    for i in 0..3000 {
        body.push_str(
            &line
                .lines()
                .next()
                .unwrap()
                .replace("jsonl-fa", &format!("d{i}")),
        );
        body.push('\n');
    }
    std::fs::write(&input, body).unwrap();
    let naql_bin = assert_cmd::cargo::cargo_bin("naql");
    let status = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' extract - --format jsonl < '{}' | head -c 100 > /dev/null",
            naql_bin.display(),
            input.display()
        ))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

fn run_with_threads(threads: &str, inputs: &[&Path], out: &Path) {
    naql()
        .arg("extract")
        .args(inputs)
        .args(["--threads", threads, "--out"])
        .arg(out)
        .assert()
        .code(1);
}

#[test]
fn output_is_byte_identical_at_one_and_two_threads() {
    // Enough documents to fill several processing windows.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("corpus.jsonl");
    let samples = std::fs::read_to_string(repo_path("samples/news.jsonl")).unwrap();
    let mut body = String::new();
    for i in 0..700 {
        for (j, line) in samples.lines().enumerate() {
            body.push_str(&line.replacen(
                "\"doc_id\": \"jsonl-",
                &format!("\"doc_id\": \"{i}-{j}-"),
                1,
            ));
            body.push('\n');
        }
        if i % 100 == 0 {
            body.push_str("{broken\n");
            // The samples under their own ids again: duplicates, whose rows the
            // workers made and the writer must remake as errors.
            body.push_str(&samples);
        }
    }
    std::fs::write(&input, body).unwrap();
    let inputs = [repo_path("samples"), repo_path("tests/data/bad"), input];
    let inputs: Vec<&Path> = inputs.iter().map(|p| p.as_path()).collect();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    run_with_threads("1", &inputs, &one);
    run_with_threads("2", &inputs, &two);
    for file in TABLES {
        let a = std::fs::read(one.join(file)).unwrap();
        let b = std::fs::read(two.join(file)).unwrap();
        assert!(a == b, "{file} differs between --threads 1 and 2");
    }
    let documents = read_table(&one.join("documents.csv"));
    assert_eq!(documents.rows.len(), 4 + 17 + 1400 + 7 + 14);
    // samples/news.jsonl came first, from the samples directory; tests/data/bad has
    // one duplicate of its own.
    let duplicates = documents
        .column("error")
        .iter()
        .filter(|error| error.starts_with("duplicate doc_id"))
        .count();
    assert_eq!(duplicates, 14 + 1);
}

#[test]
fn excel_dialect_adds_bom_crlf_and_formula_guard() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("risky.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"doc_id": "=1+1", "title": "=HYPERLINK(\"http://x\")", "url": "@cmd", "text": "Moscow"}"#,
            "\n",
            r#"{"doc_id": "-2", "title": "+plus", "published_at": "\tTAB", "text": "Baku"}"#,
            "\n",
            r#"{"doc_id": "safe", "title": "a = b", "text": "Baku"}"#,
            "\n"
        ),
    )
    .unwrap();
    let excel = dir.path().join("excel");
    naql()
        .arg("extract")
        .arg(&input)
        .arg("--excel")
        .arg("--out")
        .arg(&excel)
        .assert()
        .code(0);
    let bytes = std::fs::read(excel.join("documents.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFdoc_id,"), "BOM first");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("\r\n"));
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "every line ends in CRLF"
    );
    let documents = read_table(&excel.join("documents.csv"));
    assert_eq!(documents.column("doc_id"), ["'=1+1", "'-2", "safe"]);
    assert_eq!(
        documents.column("title"),
        ["'=HYPERLINK(\"http://x\")", "'+plus", "a = b"]
    );
    assert_eq!(documents.column("url"), ["'@cmd", "", ""]);
    assert_eq!(documents.column("published_at"), ["", "'\tTAB", ""]);
    for file in TABLES {
        assert!(
            std::fs::read(excel.join(file))
                .unwrap()
                .starts_with(b"\xEF\xBB\xBF"),
            "{file} has a BOM"
        );
    }

    let plain = dir.path().join("plain");
    naql()
        .arg("extract")
        .arg(&input)
        .arg("--out")
        .arg(&plain)
        .assert()
        .code(0);
    let bytes = std::fs::read(plain.join("documents.csv")).unwrap();
    assert!(bytes.starts_with(b"doc_id,"), "no BOM by default");
    assert!(!bytes.contains(&b'\r'), "LF by default");
    let documents = read_table(&plain.join("documents.csv"));
    assert_eq!(documents.column("doc_id"), ["=1+1", "-2", "safe"]);
}

#[test]
fn max_doc_bytes_fails_each_large_document_alone() {
    let out = tempfile::tempdir().unwrap();
    naql()
        .args(["extract", "samples", "--max-doc-bytes", "5500", "--out"])
        .arg(out.path())
        .assert()
        .code(1);
    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(documents.column("status"), ["ok", "error", "error", "ok"]);
    assert_eq!(
        documents.rows[1]["error"],
        "document is 5676 bytes, over the limit of 5500 bytes (--max-doc-bytes)"
    );
    assert_eq!(documents.rows[2]["error"], documents.rows[1]["error"]);
    assert_eq!(documents.rows[2]["doc_id"], "jsonl-fa");
}

#[test]
fn forced_language_and_encoding() {
    let out = tempfile::tempdir().unwrap();
    naql()
        .args([
            "extract",
            "samples/ar_zakharova_karabakh.txt",
            "--lang",
            "fa",
            "--encoding",
            "utf-8",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .code(0);
    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(
        documents.column("doc_id"),
        ["samples/ar_zakharova_karabakh.txt"]
    );
    assert_eq!(documents.column("lang"), ["fa"]);
}

#[test]
fn help_lists_every_flag() {
    let output = naql()
        .args(["extract", "--help"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let help = String::from_utf8(output).unwrap();
    for flag in [
        "--out",
        "--format",
        "--input-format",
        "--text-column",
        "--id-column",
        "--encoding",
        "--lang",
        "--max-doc-bytes",
        "--max-line-bytes",
        "--max-quote-depth",
        "--max-mentions",
        "--threads",
        "--excel",
        "--gazetteer",
        "--no-default-gazetteer",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
        let readme = std::fs::read_to_string(crate::util::repo_path("README.md")).unwrap();
        assert!(
            readme.contains(&format!("`{flag}")),
            "{flag} missing from the README"
        );
    }
}

#[test]
fn extract_with_a_gazetteer_fills_mentions_and_entities() {
    let out = tempfile::tempdir().unwrap();
    naql()
        .args([
            "extract",
            "samples",
            "--no-default-gazetteer",
            "--gazetteer",
            "tests/data/gazetteer",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .code(0);
    let checked = assert_spans_slice(out.path(), &sample_texts());
    let mentions = read_table(&out.path().join("mentions.csv"));
    let quotes = read_table(&out.path().join("quotes.csv"));
    let quote_spans: usize = quotes
        .rows
        .iter()
        .map(|q| 1 + usize::from(!q["cue"].is_empty()) + usize::from(!q["speaker_text"].is_empty()))
        .sum();
    assert_eq!(checked, mentions.rows.len() + quote_spans);
    assert!(mentions.rows.len() > 150, "{}", mentions.rows.len());
    assert!(quotes.rows.len() > 40, "{}", quotes.rows.len());
    // The same text read from .txt and from .jsonl gives the same mentions.
    let of = |doc: &str| -> Vec<(String, String, String)> {
        mentions
            .rows
            .iter()
            .filter(|r| r["doc_id"] == doc)
            .map(|r| (r["start"].clone(), r["end"].clone(), r["entity_id"].clone()))
            .collect()
    };
    assert_eq!(of("fa_zakharova_karabakh.txt"), of("jsonl-fa"));
    assert_eq!(of("ar_zakharova_karabakh.txt"), of("jsonl-ar"));
    let first = &mentions.rows[0];
    assert_eq!(first["mention_id"], "ar_zakharova_karabakh.txt:m1");
    assert_eq!(first["text"], "الخارجية الروسية");
    assert_eq!(first["entity_id"], "t:ru-mfa");
    assert_eq!(first["label"], "Russian Foreign Ministry");
    assert_eq!(first["sentence_index"], "0");

    let entities = read_table(&out.path().join("entities.csv"));
    let zakharova = entities
        .rows
        .iter()
        .find(|r| r["entity_id"] == "t:zakharova")
        .unwrap();
    assert_eq!(
        (
            zakharova["n_mentions"].as_str(),
            zakharova["n_docs"].as_str()
        ),
        ("10", "4")
    );
    let russia = entities
        .rows
        .iter()
        .find(|r| r["entity_id"] == "t:ru")
        .unwrap();
    assert_eq!(russia["entity_type"], "LOC");
    assert_eq!(russia["subtype"], "country");
    // روس, روسی, روس, روسی in Persian and الروسية in Arabic, each sample read twice.
    assert_eq!(russia["n_demonyms"], "10");

    let documents = read_table(&out.path().join("documents.csv"));
    let total: usize = documents
        .column("n_mentions")
        .iter()
        .map(|n| n.parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, mentions.rows.len());

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["gazetteers"],
        serde_json::json!(["tests/data/gazetteer"])
    );
    assert_eq!(manifest["gazetteer_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn gazetteer_check_exits_1_on_errors() {
    naql()
        .args(["gazetteer", "check", "tests/data/gazetteer"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("0 errors, 0 warnings"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("entities.tsv"), "id\ttype\nx\tLOC\n").unwrap();
    std::fs::write(dir.path().join("names.tsv"), "id\tname\ny\tSomewhere\n").unwrap();
    naql()
        .args(["gazetteer", "check"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "names.tsv:2: error: unknown id \"y\"",
        ));
    // extract refuses a gazetteer with errors before doing anything.
    naql()
        .args(["extract", "samples", "--out"])
        .arg(dir.path().join("out"))
        .arg("--gazetteer")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("names.tsv:2: error"));
    let stats = naql()
        .args(["gazetteer", "stats", "tests/data/gazetteer"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let stats = String::from_utf8(stats).unwrap();
    assert!(
        stats.contains("entities by type:\n  LOC\t17\n  ORG\t7\n  PER\t6\n"),
        "{stats}"
    );
}

/// With only the built-in gazetteers, the samples' entities are found and linked.
#[test]
fn builtin_gazetteer_links_the_sample_entities() {
    let out = tempfile::tempdir().unwrap();
    naql()
        .args(["extract", "samples", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    let entities = read_table(&out.path().join("entities.csv"));
    let found: std::collections::HashMap<&str, (&str, &str)> = entities
        .rows
        .iter()
        .map(|r| {
            (
                r["entity_id"].as_str(),
                (r["n_mentions"].as_str(), r["n_demonyms"].as_str()),
            )
        })
        .collect();
    // Mentions outside the title and body (headlines, related links, tags) apart.
    let other: std::collections::HashMap<&str, u32> = entities
        .rows
        .iter()
        .map(|r| {
            (
                r["entity_id"].as_str(),
                r["n_mentions_other"].parse().unwrap(),
            )
        })
        .collect();
    for id in [
        "naql:per:maria-zakharova",
        "geonames:587084", // Baku
        "geonames:524901", // Moscow
        "iso3166:RU",
        "iso3166:AM",
        "iso3166:AZ",
        "naql:loc:nagorno-karabakh",
        "naql:media:ria-novosti",
        "naql:org:mfa-ru",
        "naql:org:mod-az",
        "geonames:4140963", // Washington
        "naql:loc:potomac-river",
        "iso3166:KG",
        "iso3166:IL",
        "geonames:281124", // Khan Younis
        "naql:org:icrc",   // Red Cross
        "naql:org:kremlin",
        "iso3166:QA",
        "iso3166:SA",
        "naql:org:eu",
        "iso3166:IR",
        "naql:loc:gaza-strip",
        "naql:org:muslim-world-league",
        "naql:per:abbas-araghchi",
        "naql:per:donald-trump",
        "naql:per:yahya-sinwar",
        "naql:per:ahmed-al-sharaa",
    ] {
        let (mentions, _) = found.get(id).unwrap_or_else(|| panic!("{id} not found"));
        assert!(mentions.parse::<u32>().unwrap() + other[id] > 0, "{id}");
    }
    // Washington, Kyrgyzstan and Trump are named only in the Persian headline run.
    for id in ["geonames:4140963", "iso3166:KG", "naql:per:donald-trump"] {
        assert_eq!((found[id].0, other[id] > 0), ("0", true), "{id}");
    }
    // Sweden appears only as the demonym سوئدی.
    assert_eq!(found["iso3166:SE"], ("0", "2"));
    // Zakharova: 3 times in Persian, 2 in Arabic, each sample read twice.
    assert_eq!(found["naql:per:maria-zakharova"].0, "10");
    assert_golden("samples/mentions.csv", &out.path().join("mentions.csv"));
    assert_golden("samples/quotes.csv", &out.path().join("quotes.csv"));
    assert_golden("samples/entities.csv", &out.path().join("entities.csv"));
}
