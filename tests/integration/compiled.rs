//! Compiled gazetteer files: `naql gazetteer compile`, then `naql extract --gazetteer
//! FILE` gives the same tables as the directories; damaged, foreign and mixed uses are
//! refused with a message naming the file.

use std::path::{Path, PathBuf};

use naql::gazetteer::{
    CompiledError, CompiledGazetteer, Gazetteer, GazetteerSource, FORMAT_VERSION, MAGIC,
};

use crate::util::{naql, repo_path};

const TABLES: [&str; 4] = [
    "documents.csv",
    "mentions.csv",
    "entities.csv",
    "quotes.csv",
];

fn compile(args: &[&str], file: &Path) {
    naql()
        .args(["gazetteer", "compile"])
        .args(args)
        .arg("-o")
        .arg(file)
        .assert()
        .code(0);
}

fn extract(gazetteer_args: &[&str], gazetteer: Option<&Path>, out: &Path) {
    let mut command = naql();
    command.args(["extract", "samples", "tests/data/quotes", "--threads", "1"]);
    command.args(gazetteer_args);
    if let Some(file) = gazetteer {
        command.arg("--gazetteer").arg(file);
    }
    command.arg("--out").arg(out).assert().code(0);
}

fn manifest_gazetteer(out: &Path) -> (serde_json::Value, serde_json::Value) {
    let text = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    (
        manifest["gazetteers"].clone(),
        manifest["gazetteer_sha256"].clone(),
    )
}

fn assert_same_tables(a: &Path, b: &Path) {
    for table in TABLES {
        let (x, y) = (
            std::fs::read(a.join(table)).unwrap(),
            std::fs::read(b.join(table)).unwrap(),
        );
        assert!(x == y, "{table} differs");
    }
    assert_eq!(manifest_gazetteer(a), manifest_gazetteer(b));
}

#[test]
fn compiled_file_gives_the_same_tables_as_the_directories() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("test.naqlgaz");
    compile(&["--no-default-gazetteer", "tests/data/gazetteer"], &file);
    let (from_tsv, from_file) = (dir.path().join("tsv"), dir.path().join("file"));
    extract(
        &[
            "--no-default-gazetteer",
            "--gazetteer",
            "tests/data/gazetteer",
        ],
        None,
        &from_tsv,
    );
    extract(&[], Some(&file), &from_file);
    assert_same_tables(&from_tsv, &from_file);
    let mentions = std::fs::read_to_string(from_file.join("mentions.csv")).unwrap();
    assert!(
        mentions.lines().count() > 150,
        "{}",
        mentions.lines().count()
    );
}

#[test]
fn compiled_builtin_gazetteers_give_the_same_tables() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("builtin.naqlgaz");
    compile(&[], &file);
    let (from_tsv, from_file) = (dir.path().join("tsv"), dir.path().join("file"));
    extract(&[], None, &from_tsv);
    extract(&[], Some(&file), &from_file);
    assert_same_tables(&from_tsv, &from_file);
    let (sources, _) = manifest_gazetteer(&from_file);
    assert!(
        sources.to_string().contains("builtin:countries"),
        "{sources}"
    );
}

fn error_of(gazetteers: &[&Path]) -> String {
    let out = tempfile::tempdir().unwrap();
    let mut command = naql();
    command.args(["extract", "samples"]);
    for g in gazetteers {
        command.arg("--gazetteer").arg(g);
    }
    let output = command
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    String::from_utf8(output).unwrap()
}

#[test]
fn damaged_foreign_and_mixed_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("test.naqlgaz");
    compile(&["--no-default-gazetteer", "tests/data/gazetteer"], &file);
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..8], MAGIC);
    assert_eq!(bytes[8..12], FORMAT_VERSION.to_le_bytes());

    let write = |name: &str, bytes: &[u8]| -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let mut damaged = bytes.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x55;
    let damaged = write("damaged.naqlgaz", &damaged);
    let error = error_of(&[&damaged]);
    assert!(
        error.contains("damaged.naqlgaz: compiled gazetteer is damaged"),
        "{error}"
    );

    let mut newer = bytes.clone();
    newer[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let newer = write("newer.naqlgaz", &newer);
    let error = error_of(&[&newer]);
    assert!(
        error.contains(&format!(
            "newer.naqlgaz: compiled gazetteer format {}, this naql reads format {FORMAT_VERSION}",
            FORMAT_VERSION + 1
        )),
        "{error}"
    );

    let truncated = write("truncated.naqlgaz", &bytes[..30]);
    assert!(error_of(&[&truncated]).contains("is damaged"));

    let text = write("names.tsv", b"id\tname\n");
    let error = error_of(&[&text]);
    assert!(
        error.contains("names.tsv: not a compiled naql gazetteer"),
        "{error}"
    );

    let error = error_of(&[&file, &repo_path("tests/data/gazetteer")]);
    assert!(error.contains("must be the only --gazetteer"), "{error}");
}

#[test]
fn other_builtin_gazetteers_are_refused() {
    let files: &'static [(&str, &str)] = &[
        ("entities.tsv", "id\ttype\nt:ru\tLOC\n"),
        ("names.tsv", "id\tname\tlang\nt:ru\tروسيا\tar\n"),
    ];
    let (gazetteer, _) = Gazetteer::load(&[GazetteerSource::Builtin { name: "t", files }]);
    let mut compiled = CompiledGazetteer::new(gazetteer, true);
    let bytes = compiled.to_bytes();
    let back = CompiledGazetteer::from_bytes(&bytes, "ok.naqlgaz").unwrap();
    assert_eq!(back.gazetteer.sha256, compiled.gazetteer.sha256);
    assert_eq!(
        back.matcher.pattern_count(),
        compiled.matcher.pattern_count()
    );

    compiled.builtin_sha256 = Some("0".repeat(64));
    let error = CompiledGazetteer::from_bytes(&compiled.to_bytes(), "old.naqlgaz").unwrap_err();
    assert!(matches!(error, CompiledError::Builtin { .. }), "{error}");
    assert!(error
        .to_string()
        .starts_with("old.naqlgaz: compiled with other built-in gazetteers"));
}

#[test]
fn compiled_matcher_finds_what_the_built_one_finds() {
    let gazetteer = crate::util::clean_gazetteer("tests/data/gazetteer");
    let compiled = CompiledGazetteer::new(gazetteer, false);
    let back = CompiledGazetteer::from_bytes(&compiled.to_bytes(), "t").unwrap();
    for text in crate::util::sample_texts().values() {
        let key = naql::normalize::key(text);
        let built = compiled.matcher.find(text, &key, None);
        let read = back.matcher.find(text, &key, None);
        assert!(!built.is_empty());
        assert_eq!(built, read);
    }
}
