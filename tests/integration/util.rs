//! Shared helpers: running the binary, reading tables, golden files, span checks.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file or directory of the repository.
pub fn repo_path(relative: &str) -> PathBuf {
    repo().join(relative)
}

/// The `naql` binary, run from the repository root.
pub fn naql() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("naql").expect("naql binary");
    cmd.current_dir(repo());
    cmd
}

/// A parsed CSV table: header and rows as column-name maps.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<HashMap<String, String>>,
}

impl Table {
    pub fn column(&self, name: &str) -> Vec<&str> {
        self.rows.iter().map(|row| row[name].as_str()).collect()
    }
}

pub fn read_table(path: &Path) -> Table {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            header
                .iter()
                .cloned()
                .zip(record.iter().map(String::from))
                .collect()
        })
        .collect();
    Table { header, rows }
}

/// Compares `actual` with `tests/golden/NAME`, cell by cell, printing a readable diff.
///
/// To refresh after an intended change: `NAQL_BLESS=1 cargo test`, then review
/// `git diff tests/golden`.
pub fn assert_golden(name: &str, actual: &Path) {
    let golden = repo_path("tests/golden").join(name);
    if std::env::var_os("NAQL_BLESS").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::copy(actual, &golden).unwrap();
        return;
    }
    let want = read_table(&golden);
    let got = read_table(actual);
    let mut diffs = Vec::new();
    if want.header != got.header {
        diffs.push(format!(
            "header: want {:?}\n        got  {:?}",
            want.header, got.header
        ));
    }
    for i in 0..want.rows.len().max(got.rows.len()) {
        match (want.rows.get(i), got.rows.get(i)) {
            (Some(w), Some(g)) => {
                for column in &want.header {
                    let (wv, gv) = (
                        &w[column],
                        g.get(column).map_or("<missing>", String::as_str),
                    );
                    if wv != gv {
                        diffs.push(format!(
                            "row {} {column}: want {wv:?}\n{:>width$}got  {gv:?}",
                            i + 1,
                            "",
                            width = 0
                        ));
                    }
                }
            }
            (Some(w), None) => diffs.push(format!("row {} missing: {:?}", i + 1, w)),
            (None, Some(g)) => diffs.push(format!("row {} unexpected: {:?}", i + 1, g)),
            (None, None) => {}
        }
    }
    assert!(
        diffs.is_empty(),
        "{} differs from its golden file (refresh with NAQL_BLESS=1 cargo test):\n{}",
        name,
        diffs.join("\n")
    );
}

/// Slices `text` by code points, as Python, pandas, R and Spark do.
pub fn slice_chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Asserts that every row of `mentions.csv` and `quotes.csv` in `out` slices the text
/// of its document to its `text` column, in code points and in bytes. `texts` maps
/// doc_id to the original text. Returns the number of spans checked.
pub fn assert_spans_slice(out: &Path, texts: &HashMap<String, String>) -> usize {
    let mut checked = 0;
    for (file, spans) in [
        (
            "mentions.csv",
            &[("start", "end", "byte_start", "byte_end", "text")][..],
        ),
        (
            "quotes.csv",
            &[
                ("start", "end", "byte_start", "byte_end", "text"),
                ("cue_start", "cue_end", "", "", "cue"),
                ("speaker_start", "speaker_end", "", "", "speaker_text"),
            ][..],
        ),
    ] {
        let table = read_table(&out.join(file));
        for row in &table.rows {
            let text = &texts[&row["doc_id"]];
            for &(start, end, byte_start, byte_end, column) in spans {
                if row[start].is_empty() {
                    assert!(
                        row[column].is_empty(),
                        "{file}: {column} without offsets: {row:?}"
                    );
                    continue;
                }
                let (s, e): (usize, usize) =
                    (row[start].parse().unwrap(), row[end].parse().unwrap());
                assert_eq!(
                    slice_chars(text, s, e),
                    row[column],
                    "{file} {column} code points: {row:?}"
                );
                if !byte_start.is_empty() {
                    let (bs, be): (usize, usize) = (
                        row[byte_start].parse().unwrap(),
                        row[byte_end].parse().unwrap(),
                    );
                    assert_eq!(&text[bs..be], row[column], "{file} {column} bytes: {row:?}");
                }
                checked += 1;
            }
        }
    }
    checked
}

/// doc_id -> text for the documents `naql extract samples` reads.
pub fn sample_texts() -> HashMap<String, String> {
    let mut texts = HashMap::new();
    for (id, file) in [
        (
            "fa_zakharova_karabakh.txt",
            "samples/fa_zakharova_karabakh.txt",
        ),
        (
            "ar_zakharova_karabakh.txt",
            "samples/ar_zakharova_karabakh.txt",
        ),
        ("jsonl-fa", "samples/fa_zakharova_karabakh.txt"),
        ("jsonl-ar", "samples/ar_zakharova_karabakh.txt"),
    ] {
        texts.insert(
            id.to_string(),
            std::fs::read_to_string(repo_path(file)).unwrap(),
        );
    }
    texts
}

/// The gazetteer directory at `relative` (from the repository root), loaded with no
/// problem (errors or warnings) allowed.
pub fn clean_gazetteer(relative: &str) -> naql::gazetteer::Gazetteer {
    use naql::gazetteer::{Gazetteer, GazetteerSource};
    let (gazetteer, problems) = Gazetteer::load(&[GazetteerSource::Dir(repo_path(relative))]);
    assert!(problems.is_empty(), "{problems:?}");
    gazetteer
}

/// Expected mentions of one text: (entity id, text, match_kind, clitic) each.
pub type Expected<'a> = &'a [(&'a str, &'a str, &'a str, &'a str)];

/// For each (text, expected): exactly the expected mentions, in order, and every span
/// slicing the text alike in code points and in bytes.
pub fn check_mentions(matcher: &naql::matcher::Matcher, theme: &str, cases: &[(&str, Expected)]) {
    use naql::segment::Segmentation;
    for (text, expected) in cases {
        let key = naql::normalize::key(text);
        let mentions = matcher.find(text, &key, Some(&Segmentation::new(text)));
        let got: Vec<(&str, &str, &str, &str)> = mentions
            .iter()
            .map(|m| {
                (
                    m.entity.id.as_str(),
                    m.span.slice(text),
                    m.match_kind,
                    m.clitic.as_str(),
                )
            })
            .collect();
        assert_eq!(&got, expected, "{theme}: {text}");
        for m in &mentions {
            assert_eq!(
                slice_chars(text, m.span.start, m.span.end),
                m.span.slice(text),
                "{theme}: {text}"
            );
        }
    }
}
