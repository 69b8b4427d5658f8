//! Safe to open and nothing lost (issue 9): the `--excel` guard in every free-text
//! column (checked by LibreOffice when it is installed), the xlsx workbook, interrupted
//! runs, and the crashing inputs found by fuzzing.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::fuzz_checks;
use crate::util::{naql, read_table, repo_path};

/// Inputs whose every free-text column can start with a formula character: ids,
/// titles, urls, dates, texts (so mention contexts and quotes), and a gazetteer whose
/// labels and subtypes do too.
fn formula_inputs(dir: &Path) -> (PathBuf, PathBuf) {
    let input = dir.join("evil.jsonl");
    let docs = [
        serde_json::json!({"doc_id": "=1+1", "title": "=HYPERLINK(\"http://x\")",
            "url": "@cmd", "published_at": "+1", "lang": "en",
            "text": "=2+3 Moscow. Maria Zakharova said: \"=4+5 is what Moscow wants.\""}),
        serde_json::json!({"doc_id": "-2", "title": "+plus", "published_at": "\tTAB",
            "text": "-Moscow\r\n\tMoscow said that =6+7 was the answer."}),
        serde_json::json!({"doc_id": "@3", "text": 7}),
    ];
    let lines: Vec<String> = docs.iter().map(|d| d.to_string()).collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let gazetteer = dir.join("gazetteer");
    std::fs::create_dir_all(&gazetteer).unwrap();
    std::fs::write(
        gazetteer.join("entities.tsv"),
        "id\ttype\tsubtype\tlabel_en\n=city:1\tLOC\t-city\t=SUM(A1)\n+p:1\tPER\t@person\t-Maria Zakharova\n",
    )
    .unwrap();
    std::fs::write(
        gazetteer.join("names.tsv"),
        "id\tname\tlang\tkind\n=city:1\tMoscow\ten\tcanonical\n+p:1\tMaria Zakharova\ten\tcanonical\n",
    )
    .unwrap();
    (input, gazetteer)
}

fn extract_evil(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let (input, gazetteer) = formula_inputs(dir);
    let out = dir.join(name);
    naql()
        .arg("extract")
        .arg(&input)
        .args(["--no-default-gazetteer", "--gazetteer"])
        .arg(&gazetteer)
        .args(extra)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    out
}

const TABLES: &[&str] = &[
    "documents.csv",
    "mentions.csv",
    "entities.csv",
    "quotes.csv",
];

#[test]
fn excel_guard_covers_every_free_text_column() {
    let dir = tempfile::tempdir().unwrap();
    let plain = extract_evil(dir.path(), "plain", &[]);
    let excel = extract_evil(dir.path(), "excel", &["--excel"]);
    let dangerous = |cell: &str| cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let mut guarded_columns = std::collections::BTreeSet::new();
    for file in TABLES {
        let unguarded = read_table(&plain.join(file));
        let guarded = read_table(&excel.join(file));
        assert_eq!(unguarded.rows.len(), guarded.rows.len(), "{file}");
        for (u, g) in unguarded.rows.iter().zip(&guarded.rows) {
            for column in &unguarded.header {
                let (u, g) = (&u[column], &g[column]);
                assert!(!dangerous(g), "{file} {column}: {g:?} unguarded");
                if dangerous(u) {
                    assert_eq!(*g, format!("'{u}"), "{file} {column}");
                    guarded_columns.insert(format!("{file}:{column}"));
                } else {
                    assert_eq!(u, g, "{file} {column}: changed without need");
                }
            }
        }
    }
    // The inputs reach every kind of free-text column.
    for column in [
        "documents.csv:doc_id",
        "documents.csv:title",
        "documents.csv:url",
        "documents.csv:published_at",
        "mentions.csv:doc_id",
        "mentions.csv:mention_id",
        "mentions.csv:entity_id",
        "mentions.csv:label",
        "mentions.csv:context_left",
        "entities.csv:entity_id",
        "entities.csv:label",
        "entities.csv:subtype",
        "quotes.csv:doc_id",
        "quotes.csv:text",
        "quotes.csv:speaker_entity_id",
        "quotes.csv:speaker_label",
    ] {
        assert!(
            guarded_columns.contains(column),
            "{column} not exercised: {guarded_columns:?}"
        );
    }
}

/// LibreOffice's `soffice`, when installed.
fn soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("soffice"))
        .find(|candidate| candidate.is_file())
}

/// Converts `file` with LibreOffice headless into CSV files in `dir`/conv (one per
/// sheet for a workbook); `infilter` is the import filter for CSV input.
fn libreoffice_to_csv(soffice: &Path, file: &Path, infilter: Option<&str>) -> PathBuf {
    let dir = file.parent().unwrap().join("conv");
    let profile = file.parent().unwrap().join("lo-profile");
    let mut command = Command::new(soffice);
    command
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .arg("--headless");
    if let Some(filter) = infilter {
        command.arg(format!("--infilter={filter}"));
    }
    // UTF-8 out, every sheet of a workbook to its own file.
    let status = command
        .args([
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
        ])
        .arg(&dir)
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "soffice failed on {}", file.display());
    dir
}

/// Opens the `--excel` tables in LibreOffice: every guarded cell is text; the same
/// tables without the guard show that LibreOffice would have run the formulas.
#[test]
fn libreoffice_reads_guarded_cells_as_text() {
    let Some(soffice) = soffice() else {
        eprintln!("SKIPPED libreoffice_reads_guarded_cells_as_text: soffice not installed (Debian: libreoffice-calc)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let plain = extract_evil(dir.path(), "plain", &[]);
    let excel = extract_evil(dir.path(), "excel", &["--excel"]);
    // UTF-8 (76), comma, double quote, from line 1.
    let filter = Some("CSV:44,34,76,1");
    let seen_plain = libreoffice_to_csv(&soffice, &plain.join("documents.csv"), filter);
    let seen_excel = libreoffice_to_csv(&soffice, &excel.join("documents.csv"), filter);
    // One file per sheet: a CSV file is one sheet named after it.
    let plain_cells = read_table(&seen_plain.join("documents-documents.csv"));
    let excel_cells = read_table(&seen_excel.join("documents-documents.csv"));
    // Unguarded, LibreOffice computes =1+1 and follows =HYPERLINK.
    assert_eq!(plain_cells.rows[0]["doc_id"], "2");
    assert_eq!(plain_cells.rows[0]["title"], "http://x");
    // Guarded, it shows what naql wrote.
    let written = read_table(&excel.join("documents.csv"));
    for (seen, wrote) in excel_cells.rows.iter().zip(&written.rows) {
        for column in ["doc_id", "title", "url", "published_at", "error"] {
            assert_eq!(seen[column], wrote[column], "{column}");
        }
    }
    assert_eq!(excel_cells.rows[0]["doc_id"], "'=1+1");
    // Every cell of the other tables too (quotes' confidence aside: 0.90 shows as 0.9).
    for table in ["mentions", "entities", "quotes"] {
        let seen = libreoffice_to_csv(&soffice, &excel.join(format!("{table}.csv")), filter);
        let seen = read_table(&seen.join(format!("{table}-{table}.csv")));
        let wrote = read_table(&excel.join(format!("{table}.csv")));
        assert_eq!(seen.rows.len(), wrote.rows.len(), "{table}");
        assert!(!wrote.rows.is_empty(), "{table}");
        for (s, w) in seen.rows.iter().zip(&wrote.rows) {
            for column in wrote.header.iter().filter(|c| *c != "confidence") {
                // A cell's line breaks come back as LF.
                assert_eq!(
                    s[column],
                    w[column].replace("\r\n", "\n"),
                    "{table} {column}"
                );
            }
        }
    }
}

/// Sheet XML of a workbook: (sheet file name, xml), in order.
fn sheets(xlsx: &Path) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut names: Vec<String> = archive
        .file_names()
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .map(String::from)
        .collect();
    names.sort_by_key(|n| n.len());
    names
        .into_iter()
        .map(|name| {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut archive.by_name(&name).unwrap(), &mut xml).unwrap();
            (name, xml)
        })
        .collect()
}

#[test]
fn xlsx_keeps_strings_as_strings_and_reads_right_to_left() {
    let dir = tempfile::tempdir().unwrap();
    let evil = extract_evil(dir.path(), "evil", &["--format", "xlsx"]);
    let written: Vec<String> = std::fs::read_dir(&evil)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written.len(), 2, "{written:?}");
    let sheets_xml = sheets(&evil.join("tables.xlsx"));
    assert_eq!(sheets_xml.len(), 4);
    for (name, xml) in &sheets_xml {
        assert!(!xml.contains("<f>"), "{name}: a formula cell");
    }
    let documents = &sheets_xml[0].1;
    // Formula-like text is an inline string, kept as written; counts are numbers.
    assert!(documents.contains(r#"t="inlineStr"><is><t>=1+1</t></is>"#));
    assert!(documents.contains(r#"t="inlineStr"><is><t>=HYPERLINK("http://x")</t></is>"#));
    assert!(!documents.contains("rightToLeft"), "English documents");

    // The sample articles: Persian and Arabic sheets read right to left.
    let out = dir.path().join("samples");
    naql()
        .args(["extract", "samples", "--format", "xlsx", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    // Byte-identical at any thread count, like the CSV tables.
    let again = dir.path().join("samples-again");
    naql()
        .args([
            "extract",
            "samples",
            "--format",
            "xlsx",
            "--threads",
            "1",
            "--out",
        ])
        .arg(&again)
        .assert()
        .code(0);
    assert!(
        std::fs::read(out.join("tables.xlsx")).unwrap()
            == std::fs::read(again.join("tables.xlsx")).unwrap(),
        "tables.xlsx differs between runs"
    );
    let sheets_xml = sheets(&out.join("tables.xlsx"));
    for (i, (name, xml)) in sheets_xml.iter().enumerate() {
        // documents, mentions, (entities), quotes.
        assert_eq!(xml.contains(r#"rightToLeft="1""#), i != 2, "{name}");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["outputs"], serde_json::json!(["tables.xlsx"]));

    // LibreOffice, when installed, reads back exactly the CSV tables' cells.
    let Some(soffice) = soffice() else {
        eprintln!("SKIPPED xlsx read back by LibreOffice: soffice not installed");
        return;
    };
    let csv = dir.path().join("samples-csv");
    naql()
        .args(["extract", "samples", "--out"])
        .arg(&csv)
        .assert()
        .code(0);
    let seen = libreoffice_to_csv(&soffice, &out.join("tables.xlsx"), None);
    for table in ["documents", "mentions"] {
        let from_xlsx = read_table(&seen.join(format!("tables-{table}.csv")));
        let from_csv = read_table(&csv.join(format!("{table}.csv")));
        assert_eq!(from_xlsx.header, from_csv.header, "{table}");
        assert_eq!(from_xlsx.rows.len(), from_csv.rows.len(), "{table}");
        for (x, c) in from_xlsx.rows.iter().zip(&from_csv.rows) {
            assert_eq!(x, c, "{table}");
        }
    }
}

/// Waits until `done` holds, at most a minute.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "waited for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn partial_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect()
}

fn interrupt(pid: u32) {
    let status = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // The handler runs on its own thread; give it a moment before input ends.
    std::thread::sleep(Duration::from_millis(500));
}

/// SIGINT: no table is written under its final name (an earlier run's tables stay as
/// they were), no partial file is left, and naql says so and exits 130.
#[cfg(unix)]
#[test]
fn sigint_leaves_no_half_written_table_and_says_so() {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("documents.csv"), "from an earlier run\n").unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("naql"))
        .args(["extract", "-", "--out"])
        .arg(out.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, r#"{{"doc_id": "a", "text": "Moscow"}}"#).unwrap();
    // The tables are being written once their partial files exist.
    wait_for("partial tables", || partial_files(out.path()).len() == 4);
    interrupt(child.id());
    writeln!(stdin, r#"{{"doc_id": "b", "text": "Baku"}}"#).unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(stderr.contains("no table written"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.path().join("documents.csv")).unwrap(),
        "from an earlier run\n"
    );
    assert!(partial_files(out.path()).is_empty());
    let mut left: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["documents.csv"]);
}

/// SIGINT while streaming JSONL to stdout: what was written is whole records, of whole
/// documents.
#[cfg(unix)]
#[test]
fn sigint_while_streaming_jsonl_gives_whole_records() {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("naql"))
        .args(["extract", "-", "--format", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let text = "Maria Zakharova said Moscow was in contact with Baku. ".repeat(200);
    for i in 0..300 {
        let line = serde_json::json!({"doc_id": format!("d{i}"), "text": text});
        writeln!(stdin, "{line}").unwrap();
    }
    stdin.flush().unwrap();
    // Let it load the gazetteers and start reading.
    std::thread::sleep(Duration::from_secs(2));
    interrupt(child.id());
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("whole records"), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.is_empty() || stdout.ends_with('\n'));
    let mut documents = Vec::new();
    let mut mentions = std::collections::HashMap::<String, usize>::new();
    for line in stdout.lines() {
        let record: serde_json::Value = serde_json::from_str(line).expect(line);
        // The run record (first) and entity records (last) name no document.
        let Some(id) = record["doc_id"].as_str().map(String::from) else {
            continue;
        };
        match record["record"].as_str().unwrap() {
            "document" => documents.push(record),
            "mention" => *mentions.entry(id).or_default() += 1,
            _ => {}
        }
    }
    for document in &documents {
        let id = document["doc_id"].as_str().unwrap();
        assert_eq!(
            document["n_mentions"].as_u64().unwrap() as usize,
            mentions.get(id).copied().unwrap_or(0),
            "{id}: all its mentions"
        );
    }
    assert!(documents.len() <= 300);
}

/// Every input a fuzz target crashed on (`tests/data/fuzz-regressions/TARGET/`), run
/// through that target's checks again.
#[test]
fn fuzz_regressions() {
    type Check = fn(&[u8]);
    let targets: &[(&str, Check)] = &[
        ("read", fuzz_checks::read),
        ("normalize", fuzz_checks::normalize),
        ("matcher", fuzz_checks::matcher),
        ("quotes", fuzz_checks::quotes),
        ("pipeline", fuzz_checks::pipeline),
    ];
    let root = repo_path("tests/data/fuzz-regressions");
    let mut ran = 0;
    for (target, check) in targets {
        let dir = root.join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(result.is_ok(), "{target}: {} fails again", file.display());
            ran += 1;
        }
    }
    assert!(
        ran > 0,
        "no regression input found under {}",
        root.display()
    );
    // The checks also hold on the samples, through every target.
    for sample in ["samples/fa_zakharova_karabakh.txt", "samples/news.jsonl"] {
        let bytes = std::fs::read(repo_path(sample)).unwrap();
        let mut selected = vec![1u8];
        selected.extend(&bytes);
        for (_, check) in targets {
            check(&selected);
        }
    }
}
