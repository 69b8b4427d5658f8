//! Reading and checking gazetteer TSV files.

use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;

use super::{digest, EntityType, Gazetteer, GazetteerSource, NameKind, Problem, Severity};
use crate::normalize::{Key, Normalizer};

/// Languages a name or trigger may be tagged with.
pub const NAME_LANGS: &[&str] = &["fa", "ar", "en", "ru", "und"];

/// One row of `entities.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRow {
    /// Unique id (`iso3166:RU`, `geonames:524901`, `wd:Q...`).
    pub id: String,
    /// PER, ORG or LOC.
    pub entity_type: EntityType,
    /// Finer type (country, city, ministry, agency, person ...), may be empty.
    pub subtype: String,
    /// English label, may be empty.
    pub label_en: String,
    /// Wikidata id, may be empty.
    pub wikidata: String,
    /// ISO 3166-1 alpha-2 country, may be empty.
    pub country: String,
    /// Where the row is: `gazetteer/entities.tsv:LINE`.
    pub origin: String,
}

/// One row of `names.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRow {
    /// Entity id.
    pub id: String,
    /// The name as written.
    pub name: String,
    /// fa, ar, en, ru or und.
    pub lang: String,
    /// What the name is to the entity.
    pub kind: NameKind,
    /// 0–100; higher wins between names of one key.
    pub priority: u8,
    /// Match only with the same letter case (`case=exact`).
    pub exact_case: bool,
    /// Also a common word: match only right after a trigger.
    pub ambiguous: bool,
    /// Where the name comes from (cldr, geonames, curated ...).
    pub source: String,
    /// Where the row is: `gazetteer/names.tsv:LINE`.
    pub origin: String,
    /// The matching key of the name ([`name_key`]).
    pub key: String,
}

/// The matching key of a gazetteer name or trigger: the document key, trimmed.
///
/// ```
/// assert_eq!(naql::gazetteer::name_key(" قره‌باغ "), naql::gazetteer::name_key("قره باغ"));
/// ```
pub fn name_key(name: &str) -> String {
    thread_local! {
        static BUFFER: RefCell<Key> = RefCell::new(Key::new());
    }
    BUFFER.with(|buffer| name_key_in(name, &mut buffer.borrow_mut()).to_string())
}

/// [`name_key`] made in `key`, whose allocations serve one call after another: the
/// key's text, trimmed.
pub(crate) fn name_key_in<'k>(name: &str, key: &'k mut Key) -> &'k str {
    Normalizer::new().key_into(trimmed(name), key);
    trimmed(&key.text)
}

/// `text` without its leading and trailing white space, as `str::trim` gives; the
/// common case, a text that begins and ends with neither, is told from the lead bytes
/// of its first and last characters without decoding them (trimming an Arabic word
/// twice took a fifth of its key's instructions).
fn trimmed(text: &str) -> &str {
    // White space is ASCII 9-13 and 32, or a character led by C2 (U+0085, U+00A0),
    // E1 (U+1680), E2 (U+2000-U+200A, U+2028, U+2029, U+202F, U+205F) or E3 (U+3000).
    let no_space = |lead: u8| !matches!(lead, 9..=13 | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3);
    let bytes = text.as_bytes();
    let last_lead = bytes.iter().rposition(|&b| b & 0xC0 != 0x80);
    match (bytes.first(), last_lead) {
        (Some(&first), Some(last)) if no_space(first) && no_space(bytes[last]) => text,
        _ => text.trim(),
    }
}

/// One row of `triggers.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerRow {
    /// Language of the word.
    pub lang: String,
    /// The word (خبرگزاری, وكالة, agency ...).
    pub word: String,
    /// The type of entity it licenses (a news agency is an ORG, a province a LOC);
    /// `None` licenses any.
    pub entity_type: Option<EntityType>,
}

/// One row of `cues.tsv`: a speech cue a user adds without touching code (same
/// columns as `gazetteers/cues/*.tsv`, plus the language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueRow {
    /// fa, ar or en.
    pub lang: String,
    /// verb, according, complementizer, pronoun, role, source, label or final.
    pub kind: String,
    /// The phrase.
    pub phrase: String,
    /// m, f or empty.
    pub gender: String,
    /// PER, ORG or empty.
    pub refers: String,
}

/// Kinds of cue a `cues.tsv` row may have.
pub const CUE_KINDS: &[&str] = &[
    "verb",
    "according",
    "complementizer",
    "pronoun",
    "role",
    "source",
    "label",
    "final",
];

/// One row of `roles.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRow {
    /// Language of the title.
    pub lang: String,
    /// The role phrase.
    pub title: String,
    /// Entity holding the role.
    pub holder_id: String,
    /// First day in the role (ISO date), may be empty.
    pub valid_from: String,
    /// Last day in the role (ISO date), empty while in office.
    pub valid_to: String,
}

/// A parsed TSV file: the header and data rows with their line numbers.
struct Tsv<'t> {
    file: String,
    columns: HashMap<&'t str, usize>,
    width: usize,
    rows: Vec<(usize, Vec<&'t str>)>,
}

impl<'t> Tsv<'t> {
    fn parse(
        file: String,
        text: &'t str,
        required: &[&str],
        problems: &mut Vec<Problem>,
    ) -> Option<Tsv<'t>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text
            .split('\n')
            .enumerate()
            .map(|(i, line)| (i + 1, line.strip_suffix('\r').unwrap_or(line)))
            .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'));
        let Some((header_line, header)) = lines.next() else {
            problems.push(problem(Severity::Error, &file, 0, "no header row".into()));
            return None;
        };
        let names: Vec<&str> = header.split('\t').map(str::trim).collect();
        let columns: HashMap<&str, usize> =
            names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !columns.contains_key(c))
            .collect();
        if !missing.is_empty() {
            let message = format!(
                "missing column{} {} (header has: {})",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", "),
                names.join(", ")
            );
            problems.push(problem(Severity::Error, &file, header_line, message));
            return None;
        }
        let mut rows = Vec::new();
        for (line, text) in lines {
            let fields: Vec<&str> = text.split('\t').map(str::trim).collect();
            if fields.len() > names.len() && fields[names.len()..].iter().any(|f| !f.is_empty()) {
                let message = format!(
                    "{} fields, the header has {}; the extra ones are ignored",
                    fields.len(),
                    names.len()
                );
                problems.push(problem(Severity::Warning, &file, line, message));
            }
            rows.push((line, fields));
        }
        Some(Tsv {
            file,
            width: names.len(),
            columns,
            rows,
        })
    }

    /// The value of `column` in `row`, empty when the column or the field is absent.
    fn get<'r>(&self, row: &'r [&'t str], column: &str) -> &'t str {
        self.columns
            .get(column)
            .and_then(|&i| row.get(i))
            .copied()
            .unwrap_or("")
    }
}

fn problem(severity: Severity, file: &str, line: usize, message: String) -> Problem {
    Problem {
        severity,
        file: file.to_string(),
        line,
        message,
    }
}

pub(super) fn load(sources: &[GazetteerSource]) -> (Gazetteer, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut files: Vec<(String, String)> = Vec::new();
    let mut gazetteer = Gazetteer::default();
    // Entities first, from every source, so names may refer to entities of another
    // gazetteer (a user's directory adding names to built-in entities).
    let mut texts: Vec<(String, [Option<String>; 5])> = Vec::new();
    for source in sources {
        let label = source.label();
        let mut found: [Option<String>; 5] = Default::default();
        for (slot, file) in [
            "entities.tsv",
            "names.tsv",
            "triggers.tsv",
            "roles.tsv",
            "cues.tsv",
        ]
        .iter()
        .enumerate()
        {
            match source.read(file) {
                Ok(Some(text)) => {
                    files.push((format!("{label}/{file}"), text.clone()));
                    found[slot] = Some(text);
                }
                Ok(None) if slot < 2 => {
                    let message = format!("missing {file}");
                    problems.push(problem(Severity::Error, &label, 0, message));
                }
                Ok(None) => {}
                Err(err) => {
                    let path = format!("{label}/{file}");
                    problems.push(problem(
                        Severity::Error,
                        &path,
                        0,
                        format!("cannot read: {err}"),
                    ));
                }
            }
        }
        gazetteer.sources.push(label.clone());
        texts.push((label, found));
    }

    let mut entity_index: HashMap<String, usize> = HashMap::default();
    for (label, [entities, ..]) in &texts {
        if let Some(text) = entities {
            load_entities(
                label,
                text,
                &mut gazetteer,
                &mut entity_index,
                &mut problems,
            );
        }
    }
    let mut seen_names: NameRows = HashMap::default();
    for (label, [_, names, triggers, roles, cues]) in &texts {
        if let Some(text) = cues {
            load_cues(label, text, &mut gazetteer, &mut problems);
        }
        if let Some(text) = names {
            load_names(
                label,
                text,
                &mut gazetteer,
                &entity_index,
                &mut seen_names,
                &mut problems,
            );
        }
        if let Some(text) = triggers {
            load_triggers(label, text, &mut gazetteer, &mut problems);
        }
        if let Some(text) = roles {
            load_roles(label, text, &mut gazetteer, &entity_index, &mut problems);
        }
    }
    check_type_conflicts(&gazetteer, &entity_index, &mut problems);
    gazetteer.sha256 = digest(&files);
    (gazetteer, problems)
}

fn load_entities(
    label: &str,
    text: &str,
    gazetteer: &mut Gazetteer,
    index: &mut HashMap<String, usize>,
    problems: &mut Vec<Problem>,
) {
    let file = format!("{label}/entities.tsv");
    let Some(tsv) = Tsv::parse(file, text, &["id", "type"], problems) else {
        return;
    };
    for (line, row) in &tsv.rows {
        let mut error = |message: String| {
            problems.push(problem(Severity::Error, &tsv.file, *line, message));
        };
        let id = tsv.get(row, "id");
        if id.is_empty() {
            error("empty id".into());
            continue;
        }
        let raw_type = tsv.get(row, "type");
        let Some(entity_type) = EntityType::parse(raw_type) else {
            error(format!("bad type {raw_type:?} (PER, ORG or LOC)"));
            continue;
        };
        let entity = EntityRow {
            id: id.to_string(),
            entity_type,
            subtype: tsv.get(row, "subtype").to_string(),
            label_en: tsv.get(row, "label_en").to_string(),
            wikidata: tsv.get(row, "wikidata").to_string(),
            country: tsv.get(row, "country").to_string(),
            origin: format!("{}:{line}", tsv.file),
        };
        if !entity.wikidata.is_empty() && !is_wikidata_id(&entity.wikidata) {
            error(format!(
                "bad wikidata id {:?} (Q followed by digits)",
                entity.wikidata
            ));
            continue;
        }
        match index.get(id) {
            Some(&earlier) => {
                let first = &gazetteer.entities[earlier];
                let same = first.entity_type == entity.entity_type
                    && first.subtype == entity.subtype
                    && first.label_en == entity.label_en
                    && first.wikidata == entity.wikidata
                    && first.country == entity.country;
                let message = if same {
                    format!(
                        "duplicate row: id {id:?} already defined at {}",
                        first.origin
                    )
                } else {
                    format!(
                        "id {id:?} defined again (first at {}); this row replaces it",
                        first.origin
                    )
                };
                problems.push(problem(Severity::Warning, &tsv.file, *line, message));
                gazetteer.entities[earlier] = entity;
            }
            None => {
                index.insert(id.to_string(), gazetteer.entities.len());
                gazetteer.entities.push(entity);
            }
        }
    }
    let _ = tsv.width;
}

fn is_wikidata_id(value: &str) -> bool {
    value.len() > 1 && value.starts_with('Q') && value[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Names already loaded, by (id, name, lang, kind), to their index in the gazetteer.
type NameRows<'t> = HashMap<(&'t str, &'t str, &'t str, NameKind), usize>;

fn load_names<'t>(
    label: &str,
    text: &'t str,
    gazetteer: &mut Gazetteer,
    entities: &HashMap<String, usize>,
    seen: &mut NameRows<'t>,
    problems: &mut Vec<Problem>,
) {
    let file = format!("{label}/names.tsv");
    let Some(tsv) = Tsv::parse(file, text, &["id", "name"], problems) else {
        return;
    };
    for (line, row) in &tsv.rows {
        let origin = format!("{}:{line}", tsv.file);
        let mut error = |message: String| {
            problems.push(problem(Severity::Error, &tsv.file, *line, message));
        };
        let id = tsv.get(row, "id");
        if !entities.contains_key(id) {
            error(format!("unknown id {id:?} (not in any entities.tsv)"));
            continue;
        }
        let name = tsv.get(row, "name");
        if name.is_empty() {
            error("empty name".into());
            continue;
        }
        let key = name_key(name);
        if key.is_empty() {
            error(format!(
                "name {name:?} has no letters or digits once normalised"
            ));
            continue;
        }
        let lang = match tsv.get(row, "lang") {
            "" => "und",
            value if NAME_LANGS.contains(&value) => value,
            value => {
                error(format!(
                    "bad lang {value:?} (one of {})",
                    NAME_LANGS.join(", ")
                ));
                continue;
            }
        };
        let kind = match tsv.get(row, "kind") {
            "" => NameKind::Alias,
            value => match NameKind::parse(value) {
                Some(kind) => kind,
                None => {
                    error(format!(
                        "bad kind {value:?} (canonical, alias, short, surname, abbrev or demonym)"
                    ));
                    continue;
                }
            },
        };
        let priority = match tsv.get(row, "priority") {
            "" => 50,
            value => match value.parse::<u8>() {
                Ok(p) if p <= 100 => p,
                _ => {
                    error(format!("bad priority {value:?} (0 to 100)"));
                    continue;
                }
            },
        };
        let exact_case = match tsv.get(row, "case") {
            "" | "fold" => false,
            "exact" => true,
            value => {
                error(format!("bad case {value:?} (fold or exact)"));
                continue;
            }
        };
        let ambiguous = match tsv.get(row, "ambiguous") {
            "" | "0" => false,
            "1" => true,
            value => {
                error(format!("bad ambiguous {value:?} (0 or 1)"));
                continue;
            }
        };
        if let Some(&first) = seen.get(&(id, name, lang, kind)) {
            let message = format!(
                "duplicate row: same id, name, lang and kind as {}",
                gazetteer.names[first].origin
            );
            problems.push(problem(Severity::Warning, &tsv.file, *line, message));
            continue;
        }
        seen.insert((id, name, lang, kind), gazetteer.names.len());
        gazetteer.names.push(NameRow {
            id: id.to_string(),
            name: name.to_string(),
            lang: lang.to_string(),
            kind,
            priority,
            exact_case,
            ambiguous,
            source: tsv.get(row, "source").to_string(),
            origin,
            key,
        });
    }
}

fn load_triggers(label: &str, text: &str, gazetteer: &mut Gazetteer, problems: &mut Vec<Problem>) {
    let file = format!("{label}/triggers.tsv");
    let Some(tsv) = Tsv::parse(file, text, &["lang", "word"], problems) else {
        return;
    };
    for (line, row) in &tsv.rows {
        let (lang, word) = (tsv.get(row, "lang"), tsv.get(row, "word"));
        if name_key(word).is_empty() {
            problems.push(problem(
                Severity::Error,
                &tsv.file,
                *line,
                "empty trigger word".into(),
            ));
            continue;
        }
        let lang = if lang.is_empty() { "und" } else { lang };
        if !NAME_LANGS.contains(&lang) {
            let message = format!("bad lang {lang:?} (one of {})", NAME_LANGS.join(", "));
            problems.push(problem(Severity::Error, &tsv.file, *line, message));
            continue;
        }
        let entity_type = match tsv.get(row, "type") {
            "" => None,
            value => match EntityType::parse(value) {
                Some(t) => Some(t),
                None => {
                    let message = format!("bad type {value:?} (PER, ORG, LOC or empty)");
                    problems.push(problem(Severity::Error, &tsv.file, *line, message));
                    continue;
                }
            },
        };
        gazetteer.triggers.push(TriggerRow {
            lang: lang.to_string(),
            word: word.to_string(),
            entity_type,
        });
    }
}

fn load_roles(
    label: &str,
    text: &str,
    gazetteer: &mut Gazetteer,
    entities: &HashMap<String, usize>,
    problems: &mut Vec<Problem>,
) {
    let file = format!("{label}/roles.tsv");
    let Some(tsv) = Tsv::parse(file, text, &["lang", "title", "holder_id"], problems) else {
        return;
    };
    for (line, row) in &tsv.rows {
        let mut error = |message: String| {
            problems.push(problem(Severity::Error, &tsv.file, *line, message));
        };
        let holder = tsv.get(row, "holder_id");
        if !entities.contains_key(holder) {
            error(format!(
                "unknown holder_id {holder:?} (not in any entities.tsv)"
            ));
            continue;
        }
        let title = tsv.get(row, "title");
        if title.is_empty() {
            error("empty title".into());
            continue;
        }
        let (from, to) = (tsv.get(row, "valid_from"), tsv.get(row, "valid_to"));
        if let Some(bad) = [from, to]
            .into_iter()
            .find(|d| !d.is_empty() && !is_iso_date(d))
        {
            error(format!("bad date {bad:?} (YYYY-MM-DD)"));
            continue;
        }
        gazetteer.roles.push(RoleRow {
            lang: tsv.get(row, "lang").to_string(),
            title: title.to_string(),
            holder_id: holder.to_string(),
            valid_from: from.to_string(),
            valid_to: to.to_string(),
        });
    }
}

fn load_cues(label: &str, text: &str, gazetteer: &mut Gazetteer, problems: &mut Vec<Problem>) {
    let file = format!("{label}/cues.tsv");
    let Some(tsv) = Tsv::parse(file, text, &["lang", "kind", "phrase"], problems) else {
        return;
    };
    for (line, row) in &tsv.rows {
        let mut error = |message: String| {
            problems.push(problem(Severity::Error, &tsv.file, *line, message));
        };
        let (lang, kind, phrase) = (
            tsv.get(row, "lang"),
            tsv.get(row, "kind"),
            tsv.get(row, "phrase"),
        );
        let (gender, refers) = (tsv.get(row, "gender"), tsv.get(row, "refers"));
        if !matches!(lang, "fa" | "ar" | "en") {
            error(format!("bad lang {lang:?} (fa, ar or en)"));
        } else if !CUE_KINDS.contains(&kind) {
            error(format!(
                "bad kind {kind:?} (one of {})",
                CUE_KINDS.join(", ")
            ));
        } else if name_key(phrase).is_empty() {
            error("empty phrase".into());
        } else if !matches!(gender, "" | "m" | "f") {
            error(format!("bad gender {gender:?} (m, f or empty)"));
        } else if !matches!(refers, "" | "PER" | "ORG") {
            error(format!("bad refers {refers:?} (PER, ORG or empty)"));
        } else {
            gazetteer.cues.push(CueRow {
                lang: lang.to_string(),
                kind: kind.to_string(),
                phrase: phrase.to_string(),
                gender: gender.to_string(),
                refers: refers.to_string(),
            });
        }
    }
}

fn is_iso_date(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Warns when one key names entities of different types and no row says it is
/// ambiguous: the matcher will pick by type order, which may not be what was meant.
fn check_type_conflicts(
    gazetteer: &Gazetteer,
    entities: &HashMap<String, usize>,
    problems: &mut Vec<Problem>,
) {
    let mut by_key: HashMap<&str, Vec<&NameRow>> = HashMap::default();
    for name in &gazetteer.names {
        by_key.entry(name.key.as_str()).or_default().push(name);
    }
    let mut conflicts: Vec<(&NameRow, &NameRow)> = Vec::new();
    for rows in by_key.values() {
        if rows.iter().any(|r| r.ambiguous) {
            continue;
        }
        let type_of = |row: &NameRow| gazetteer.entities[entities[&row.id]].entity_type;
        let first = rows[0];
        if let Some(other) = rows.iter().find(|r| type_of(r) != type_of(first)) {
            conflicts.push((first, other));
        }
    }
    conflicts.sort_by(|a, b| a.0.origin.cmp(&b.0.origin));
    for (first, other) in conflicts {
        let (file, line) = split_origin(&other.origin);
        let message = format!(
            "name {:?} names {} ({}) and {} ({}, {}) without ambiguous=1",
            other.name,
            other.id,
            gazetteer.entities[entities[&other.id]].entity_type.code(),
            first.id,
            gazetteer.entities[entities[&first.id]].entity_type.code(),
            first.origin
        );
        problems.push(problem(Severity::Warning, file, line, message));
    }
}

fn split_origin(origin: &str) -> (&str, usize) {
    match origin.rsplit_once(':') {
        Some((file, line)) => (file, line.parse().unwrap_or(0)),
        None => (origin, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::trimmed;

    /// Every character alone, between letters, and after or before one.
    #[test]
    fn trimmed_is_str_trim() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for text in [
                format!("{c}"),
                format!("a{c}"),
                format!("{c}ب"),
                format!("ک{c}z"),
            ] {
                assert_eq!(trimmed(&text), text.trim(), "U+{:04X}", c as u32);
            }
        }
        for text in ["", " ", "\u{a0}x\u{3000}", " لافروف ", "\u{200c}x"] {
            assert_eq!(trimmed(text), text.trim());
        }
    }
}
