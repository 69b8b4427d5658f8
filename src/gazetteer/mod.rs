//! Gazetteers: TSV sources, checked and merged into one [`Gazetteer`], compiled into a
//! [`crate::matcher::Matcher`].
//!
//! A gazetteer is a directory (format in `gazetteers/README.md`):
//!
//! - `entities.tsv`: `id`, `type` (`PER`, `ORG`, `LOC`) and optional `subtype`,
//!   `label_en`, `wikidata`, `country`, `note`;
//! - `names.tsv`: `id`, `name` and optional `lang` (fa, ar, en, ru, und), `kind`
//!   (canonical, alias, short, surname, abbrev, demonym), `priority` (0–100), `case`
//!   (fold, exact), `ambiguous` (0/1), `source`;
//! - `triggers.tsv` (optional): `lang`, `word`, `type` — words that license an
//!   ambiguous name (of that type, when given) right after them;
//! - `roles.tsv` (optional): `lang`, `title`, `holder_id`, `valid_from`, `valid_to`;
//! - `cues.tsv` (optional): `lang`, `kind`, `phrase`, `gender`, `refers` — speech cues
//!   added to the built-in lexicons of `gazetteers/cues/`.
//!
//! Unknown columns are ignored, lines starting with `#` are comments, and every problem
//! names its file and line. The built-in gazetteers (the directories under
//! `gazetteers/` in the source tree) are embedded in the binary at build time.

pub(crate) mod binary;
mod compiled;
mod load;

use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use compiled::{CompiledError, CompiledGazetteer, FORMAT_VERSION, MAGIC};
pub(crate) use load::name_key_in;
pub use load::{name_key, CueRow, EntityRow, NameRow, RoleRow, TriggerRow, CUE_KINDS};

/// Entity type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    /// A person.
    Per,
    /// An organisation.
    Org,
    /// A place.
    Loc,
}

impl EntityType {
    /// `PER`, `ORG` or `LOC`.
    pub fn code(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
        }
    }

    /// Every type, in a fixed order (their numbers in a compiled gazetteer file).
    pub(crate) const ALL: [EntityType; 3] = [EntityType::Per, EntityType::Org, EntityType::Loc];

    pub(crate) fn parse(value: &str) -> Option<EntityType> {
        EntityType::ALL.into_iter().find(|t| t.code() == value)
    }
}

/// What a name is to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameKind {
    /// The full, usual name.
    Canonical,
    /// Another full name.
    Alias,
    /// A short form that needs the full name earlier in the document when shared.
    Short,
    /// A person's surname, linked to a full name seen earlier in the document.
    Surname,
    /// An abbreviation.
    Abbrev,
    /// An adjective or people name of a place (روسی, الروسية, Russian).
    Demonym,
}

impl NameKind {
    /// The name as written in `names.tsv`.
    pub fn code(self) -> &'static str {
        match self {
            NameKind::Canonical => "canonical",
            NameKind::Alias => "alias",
            NameKind::Short => "short",
            NameKind::Surname => "surname",
            NameKind::Abbrev => "abbrev",
            NameKind::Demonym => "demonym",
        }
    }

    /// Every kind, in a fixed order (their numbers in a compiled gazetteer file).
    pub(crate) const ALL: [NameKind; 6] = [
        NameKind::Canonical,
        NameKind::Alias,
        NameKind::Short,
        NameKind::Surname,
        NameKind::Abbrev,
        NameKind::Demonym,
    ];

    pub(crate) fn parse(value: &str) -> Option<NameKind> {
        NameKind::ALL.into_iter().find(|kind| kind.code() == value)
    }

    /// Surnames and short forms stand for an entity only in context.
    pub fn is_partial(self) -> bool {
        matches!(self, NameKind::Surname | NameKind::Short)
    }
}

/// How serious a gazetteer problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The row is wrong and is not used.
    Error,
    /// The row is used, but is probably not what was meant.
    Warning,
}

/// One problem found while loading a gazetteer, with its place.
///
/// ```
/// use naql::gazetteer::{Problem, Severity};
/// let p = Problem { severity: Severity::Error, file: "g/names.tsv".into(), line: 7, message: "empty name".into() };
/// assert_eq!(p.to_string(), "g/names.tsv:7: error: empty name");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as `gazetteer/file.tsv`.
    pub file: String,
    /// 1-based line number (0 when the problem is the file itself).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line == 0 {
            write!(f, "{}: {severity}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}: {severity}: {}",
                self.file, self.line, self.message
            )
        }
    }
}

/// Where a gazetteer's files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GazetteerSource {
    /// A directory on disk.
    Dir(PathBuf),
    /// Built into the binary: a name and `(file name, contents)` pairs.
    Builtin {
        /// Directory name under `gazetteers/` in the source tree.
        name: &'static str,
        /// File name and contents.
        files: &'static [(&'static str, &'static str)],
    },
}

impl GazetteerSource {
    /// How problems name this gazetteer.
    pub fn label(&self) -> String {
        match self {
            GazetteerSource::Dir(path) => path.display().to_string(),
            GazetteerSource::Builtin { name, .. } => format!("builtin:{name}"),
        }
    }

    /// Contents of one of its files, `None` when it has no such file.
    fn read(&self, file: &str) -> Result<Option<String>, String> {
        match self {
            GazetteerSource::Dir(dir) => read_optional(&dir.join(file)),
            GazetteerSource::Builtin { files, .. } => Ok(files
                .iter()
                .find(|(name, _)| *name == file)
                .map(|(_, text)| text.to_string())),
        }
    }
}

fn read_optional(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|err| format!("not UTF-8 (byte offset {})", err.utf8_error().valid_up_to())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err.to_string()),
    }
}

/// The built-in gazetteers, embedded at build time.
pub fn builtin() -> Vec<GazetteerSource> {
    include!(concat!(env!("OUT_DIR"), "/builtin_gazetteers.rs"))
}

/// SHA-256 of the built-in gazetteers' files (names and contents), which a compiled
/// gazetteer that includes them records.
pub fn builtin_sha256() -> String {
    let mut files = Vec::new();
    for source in builtin() {
        if let GazetteerSource::Builtin { name, files: list } = source {
            for (file, text) in list {
                files.push((format!("builtin:{name}/{file}"), text.to_string()));
            }
        }
    }
    digest(&files)
}

/// Gazetteers merged, checked and ready to compile.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// Entities, in load order; an id defined again later replaces the earlier row.
    pub entities: Vec<EntityRow>,
    /// Names, in load order.
    pub names: Vec<NameRow>,
    /// Trigger words.
    pub triggers: Vec<TriggerRow>,
    /// Role phrases and their holders.
    pub roles: Vec<RoleRow>,
    /// Speech cues added by the gazetteers (`cues.tsv`), on top of the built-in ones.
    pub cues: Vec<CueRow>,
    /// Labels of the gazetteers loaded, in order.
    pub sources: Vec<String>,
    /// SHA-256 over the files loaded (names and contents, in load order).
    pub sha256: String,
}

impl Gazetteer {
    /// Loads and checks `sources` in order. Rows with errors are left out; the problems
    /// (errors and warnings) come back with the gazetteer, so callers decide whether
    /// errors are fatal (`naql extract` stops, `naql gazetteer check` lists them).
    ///
    /// ```
    /// use naql::gazetteer::{Gazetteer, GazetteerSource};
    /// let files: &'static [(&str, &str)] = &[
    ///     ("entities.tsv", "id\ttype\tlabel_en\nwd:Q159\tLOC\tRussia\n"),
    ///     ("names.tsv", "id\tname\tlang\nwd:Q159\tروسیه\tfa\nwd:Q7\tX\ten\n"),
    /// ];
    /// let (gazetteer, problems) = Gazetteer::load(&[GazetteerSource::Builtin { name: "t", files }]);
    /// assert_eq!(gazetteer.names.len(), 1);
    /// assert_eq!(problems[0].to_string(), "builtin:t/names.tsv:3: error: unknown id \"wd:Q7\" (not in any entities.tsv)");
    /// ```
    pub fn load(sources: &[GazetteerSource]) -> (Gazetteer, Vec<Problem>) {
        load::load(sources)
    }

    /// Counts by type, subtype, language and kind, for `naql gazetteer stats`.
    pub fn stats(&self) -> Vec<(String, String, usize)> {
        use std::collections::BTreeMap;
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut add = |group: &str, key: &str| {
            *counts
                .entry((group.to_string(), key.to_string()))
                .or_default() += 1;
        };
        for entity in &self.entities {
            add("entities by type", entity.entity_type.code());
            add(
                "entities by subtype",
                &format!("{} {}", entity.entity_type.code(), entity.subtype),
            );
        }
        for name in &self.names {
            add("names by lang", &name.lang);
            add("names by kind", name.kind.code());
            if name.ambiguous {
                add("names flagged", "ambiguous");
            }
            if name.exact_case {
                add("names flagged", "case exact");
            }
        }
        for trigger in &self.triggers {
            add("triggers by lang", &trigger.lang);
        }
        for role in &self.roles {
            add("roles by lang", &role.lang);
        }
        counts
            .into_iter()
            .map(|((group, key), n)| (group, key, n))
            .collect()
    }
}

/// Lowercase hex SHA-256 of what the loader read.
fn digest(parts: &[(String, String)]) -> String {
    let mut hasher = Sha256::new();
    for (name, text) in parts {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(text.len().to_le_bytes());
        hasher.update(text.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
