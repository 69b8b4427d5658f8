//! Embeds every gazetteer directory under `gazetteers/` (one holding an
//! `entities.tsv`) into the binary, so `naql extract` works with no flags.

use std::fmt::Write as _;
use std::path::Path;

const FILES: &[&str] = &[
    "entities.tsv",
    "names.tsv",
    "triggers.tsv",
    "roles.tsv",
    "cues.tsv",
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.join("entities.tsv").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    let mut code = String::from("vec![\n");
    for dir in &dirs {
        println!("cargo:rerun-if-changed={}", dir.display());
        let name = dir.file_name().unwrap().to_string_lossy();
        let _ = writeln!(
            code,
            "    GazetteerSource::Builtin {{ name: {name:?}, files: &["
        );
        for file in FILES {
            let path = dir.join(file);
            if path.is_file() {
                println!("cargo:rerun-if-changed={}", path.display());
                let _ = writeln!(
                    code,
                    "        ({file:?}, include_str!({:?})),",
                    path.display().to_string()
                );
            }
        }
        code.push_str("    ] },\n");
    }
    code.push(']');
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("builtin_gazetteers.rs");
    std::fs::write(out, code).unwrap();
}
