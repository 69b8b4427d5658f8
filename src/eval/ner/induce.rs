//! Gazetteers induced from annotated corpora.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::score::predicted_spans;
use super::{strip_bidi, ConllDocument, Corpus, RebuiltDocument, TagMap};
use crate::document::Document;
use crate::gazetteer::{name_key, EntityRow, EntityType, Gazetteer, NameKind, NameRow};
use crate::lang::Lang;
use crate::matcher::{surname_of, Matcher};
use crate::pipeline::Pipeline;

/// Default `--max-ambiguity`: a string is dropped when naql finds it untagged in the
/// training text more than this many times its tagged count (chosen on the dev sets;
/// see EVALUATION.md).
pub const DEFAULT_MAX_AMBIGUITY: f64 = 1.0;

/// How to induce.
#[derive(Debug, Clone)]
pub struct InduceOptions {
    /// From the corpus's tags to naql types; strings of other types are not used.
    pub tag_map: TagMap,
    /// Strings tagged fewer times are left out.
    pub min_count: usize,
    /// Strings found untagged more than this many times their tagged count are left out.
    pub max_ambiguity: f64,
    /// Language of Arabic-script names [default: detected per document].
    pub lang: Option<Lang>,
}

impl Default for InduceOptions {
    fn default() -> Self {
        InduceOptions {
            tag_map: TagMap::default(),
            min_count: 1,
            max_ambiguity: DEFAULT_MAX_AMBIGUITY,
            lang: None,
        }
    }
}

/// What became of an induced string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Written to the gazetteer.
    Kept,
    /// Tagged fewer than `min_count` times.
    Rare,
    /// Found untagged too often.
    Ambiguous,
}

impl Decision {
    /// `kept`, `rare` or `ambiguous`.
    pub fn code(self) -> &'static str {
        match self {
            Decision::Kept => "kept",
            Decision::Rare => "rare",
            Decision::Ambiguous => "ambiguous",
        }
    }
}

/// One string tagged in the corpus, all its spellings with one matching key together.
#[derive(Debug, Clone, PartialEq)]
pub struct InducedName {
    /// Entity id in the induced gazetteer (`induced:N`).
    pub id: String,
    /// The matching key ([`name_key`]).
    pub key: String,
    /// Spellings as tagged (bidi controls removed) and their counts, most frequent
    /// first.
    pub spellings: Vec<(String, usize)>,
    /// The majority type.
    pub entity_type: EntityType,
    /// Tagged count per type: PER, ORG, LOC.
    pub type_counts: [usize; 3],
    /// Times tagged, all types.
    pub tagged: usize,
    /// Times naql found it in the corpus on tokens not tagged as one mention of a mapped
    /// type (untagged, or part of a longer name).
    pub untagged: usize,
    /// `fa`, `ar`, `en`, `ru` or `und`.
    pub lang: &'static str,
    /// Kept or why not.
    pub decision: Decision,
    /// For a person of several words, the surname naql would make of the name
    /// ([`surname_of`]) when no string of that key is tagged by itself.
    pub surname: Option<InducedSurname>,
}

/// A surname listed for an induced person, so that it stands for the person without the
/// full name earlier in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InducedSurname {
    /// As written in the name.
    pub name: String,
    /// Its matching key.
    pub key: String,
    /// Also tagged by itself: counted and decided as a string of its own.
    pub tagged_alone: bool,
    /// Times naql found it in the corpus on tokens not tagged as one mention.
    pub untagged: usize,
    /// Kept (listed) or found untagged too often.
    pub decision: Decision,
}

/// The result of [`induce`]: every string considered, kept or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Induction {
    /// By type (PER, ORG, LOC), then most tagged first, then key.
    pub names: Vec<InducedName>,
    /// The options used.
    pub min_count: usize,
    /// The options used.
    pub max_ambiguity: f64,
}

/// Induces a gazetteer from the tagged strings of `corpus`.
///
/// Each string's spellings are grouped by matching key; the group gets its majority
/// type (ties: PER, ORG, LOC). Groups tagged fewer than `min_count` times are left
/// out. The others are compiled and run over the corpus's own text with naql's
/// matcher, which counts where each is found on tokens not tagged as one mention of a
/// mapped type (untagged, or inside a longer name); a group found so more than
/// `max_ambiguity` times its tagged count is a common word or a part of other names
/// more often than not, and is left out.
///
/// ```
/// use naql::eval::ner::{induce, Corpus, Decision, InduceOptions};
/// let mut corpus = Corpus::default();
/// corpus.parse("a", "Paris B-LOC\nsaid O\n\nParis B-PER\nHilton I-PER\n\nParis B-LOC\n\n\
///                    May O\nSmith B-PER\n\nMay O\n\nMay B-PER\n")?;
/// let induction = induce(&corpus, &InduceOptions::default());
/// let got: Vec<(&str, &str, usize, usize, Decision)> = induction.names.iter()
///     .map(|n| (n.spellings[0].0.as_str(), n.entity_type.code(), n.tagged, n.untagged, n.decision))
///     .collect();
/// assert_eq!(got, [
///     ("May", "PER", 1, 2, Decision::Ambiguous),
///     ("Paris Hilton", "PER", 1, 0, Decision::Kept),
///     ("Smith", "PER", 1, 0, Decision::Kept),
///     ("Paris", "LOC", 2, 0, Decision::Kept),
/// ]);
/// # Ok::<(), naql::eval::ner::ConllError>(())
/// ```
pub fn induce(corpus: &Corpus, options: &InduceOptions) -> Induction {
    // Spellings, counts per type and the Arabic-script documents' languages (Persian,
    // Arabic) of the tagged strings, by key.
    let mut groups: HashMap<String, TaggedGroup> = HashMap::new();
    for document in &corpus.documents {
        let persian = match options.lang {
            Some(lang) => lang == Lang::Fa,
            None => document_lang(document) == Lang::Fa,
        };
        for sentence in &document.sentences {
            for mention in sentence.gold_mentions(&options.tag_map) {
                let spelling = strip_bidi(
                    &sentence.tokens[mention.start..mention.end]
                        .iter()
                        .map(|t| t.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
                let key = name_key(&spelling);
                if key.is_empty() {
                    continue;
                }
                let group = groups.entry(key).or_default();
                *group.spellings.entry(spelling).or_default() += 1;
                group.type_counts[type_index(mention.entity_type)] += 1;
                group.langs[usize::from(persian)] += 1;
            }
        }
    }
    let mut names: Vec<InducedName> = groups
        .into_iter()
        .map(|(key, group)| {
            let TaggedGroup {
                spellings,
                type_counts,
                langs,
            } = group;
            let mut spellings: Vec<(String, usize)> = spellings.into_iter().collect();
            spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let best = (0..3).max_by_key(|&i| (type_counts[i], 3 - i)).unwrap_or(0);
            let tagged = type_counts.iter().sum();
            InducedName {
                id: String::new(),
                lang: name_lang(&spellings[0].0, langs[1] > langs[0]),
                key,
                spellings,
                entity_type: TYPES[best],
                type_counts,
                tagged,
                untagged: 0,
                surname: None,
                decision: if tagged >= options.min_count {
                    Decision::Kept
                } else {
                    Decision::Rare
                },
            }
        })
        .collect();
    names.sort_by(|a, b| {
        (a.entity_type, std::cmp::Reverse(a.tagged), &a.key).cmp(&(
            b.entity_type,
            std::cmp::Reverse(b.tagged),
            &b.key,
        ))
    });
    for (i, name) in names.iter_mut().enumerate() {
        name.id = format!("induced:{}", i + 1);
    }
    let keys: std::collections::HashSet<String> = names.iter().map(|n| n.key.clone()).collect();
    for name in &mut names {
        if name.entity_type != EntityType::Per || name.decision != Decision::Kept {
            continue;
        }
        name.surname = surname_of(&name.spellings[0].0).map(|surname| {
            let key = name_key(surname);
            InducedSurname {
                name: surname.to_string(),
                tagged_alone: keys.contains(&key),
                key,
                untagged: 0,
                decision: Decision::Kept,
            }
        });
    }

    count_untagged(corpus, &options.tag_map, &mut names);
    let too_often =
        |untagged: usize, tagged: usize| untagged as f64 > options.max_ambiguity * tagged as f64;
    for name in &mut names {
        if name.decision == Decision::Kept && too_often(name.untagged, name.tagged) {
            name.decision = Decision::Ambiguous;
        }
    }
    // A surname stands in for its full names: found untagged more than R times their
    // tagged count, it is an ordinary word (غير, نجم) or too common to stand alone.
    let mut owners_tagged: HashMap<String, usize> = HashMap::new();
    for name in &names {
        if let Some(surname) = &name.surname {
            *owners_tagged.entry(surname.key.clone()).or_default() += name.tagged;
        }
    }
    let alone: HashMap<String, (usize, Decision)> = names
        .iter()
        .map(|n| (n.key.clone(), (n.untagged, n.decision)))
        .collect();
    for name in &mut names {
        let kept = name.decision == Decision::Kept;
        if let Some(surname) = &mut name.surname {
            if surname.tagged_alone {
                (surname.untagged, surname.decision) = alone[&surname.key];
            }
            let common =
                !surname.tagged_alone && too_often(surname.untagged, owners_tagged[&surname.key]);
            if !kept || common || surname.decision != Decision::Kept {
                surname.decision = Decision::Ambiguous;
            }
        }
    }
    Induction {
        names,
        min_count: options.min_count,
        max_ambiguity: options.max_ambiguity,
    }
}

/// The tagged spellings of one key.
#[derive(Default)]
struct TaggedGroup {
    /// Spellings and their counts.
    spellings: BTreeMap<String, usize>,
    /// Tagged count per type: PER, ORG, LOC.
    type_counts: [usize; 3],
    /// Tagged count in Arabic-script documents: Arabic, Persian.
    langs: [usize; 2],
}

const TYPES: [EntityType; 3] = [EntityType::Per, EntityType::Org, EntityType::Loc];

fn type_index(entity_type: EntityType) -> usize {
    match entity_type {
        EntityType::Per => 0,
        EntityType::Org => 1,
        EntityType::Loc => 2,
    }
}

/// The language of a document's Arabic-script tokens.
fn document_lang(document: &ConllDocument) -> Lang {
    let mut sample = String::new();
    for token in document.sentences.iter().flat_map(|s| &s.tokens) {
        if token
            .text
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
        {
            sample.push_str(&token.text);
            sample.push(' ');
        }
        if sample.len() > 1 << 16 {
            break;
        }
    }
    Lang::detect(&sample)
}

/// The `lang` of a name: by its letters and ZWNJ, else, for Arabic script, by the
/// language of the documents it is tagged in.
fn name_lang(name: &str, in_persian: bool) -> &'static str {
    let has = |range: std::ops::RangeInclusive<char>| name.chars().any(|c| range.contains(&c));
    if has('\u{0600}'..='\u{06FF}') {
        let persian = |c: char| matches!(c, 'پ' | 'چ' | 'ژ' | 'گ' | 'ی' | 'ک' | '\u{200C}');
        return if in_persian || name.chars().any(persian) {
            "fa"
        } else {
            "ar"
        };
    }
    if has('\u{0400}'..='\u{04FF}') {
        return "ru";
    }
    if name.chars().any(|c| c.is_ascii_alphabetic()) {
        return "en";
    }
    "und"
}

/// Compiles the names kept so far, runs naql over the corpus's text and counts, per
/// name and per surname, where it is found on tokens that are not tagged as one mention
/// of a mapped type.
fn count_untagged(corpus: &Corpus, tag_map: &TagMap, names: &mut [InducedName]) {
    let candidates: Vec<usize> = (0..names.len())
        .filter(|&i| names[i].decision == Decision::Kept)
        .collect();
    if candidates.is_empty() {
        return;
    }
    let mut gazetteer = gazetteer_of(candidates.iter().map(|&i| &names[i]));
    // Each surname an entity of its own, so that every occurrence is found, however many
    // people share it.
    let mut surnames: Vec<(String, String)> = candidates
        .iter()
        .filter_map(|&i| names[i].surname.as_ref())
        .filter(|s| !s.tagged_alone)
        .map(|s| (s.key.clone(), s.name.clone()))
        .collect();
    surnames.sort();
    surnames.dedup_by(|a, b| a.0 == b.0);
    for (n, (key, name)) in surnames.iter().enumerate() {
        let id = format!("surname:{n}");
        gazetteer.entities.push(entity_row(&id, EntityType::Per));
        gazetteer
            .names
            .push(name_row(&id, name, "und", NameKind::Canonical, key));
    }
    let pipeline = Pipeline::builder()
        .matcher(Arc::new(Matcher::new(&gazetteer)))
        .build();
    // Entity id to the name, or (as `names.len() + n`) the surname, it counts for.
    let mut index: HashMap<String, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.clone(), i))
        .collect();
    index.extend((0..surnames.len()).map(|n| (format!("surname:{n}"), names.len() + n)));
    let names_ref: &[InducedName] = names;
    let found: Vec<Vec<usize>> = corpus
        .documents
        .par_iter()
        .map(|document| {
            let rebuilt = RebuiltDocument::new(document);
            let extraction =
                pipeline.process(&Document::new(rebuilt.id.clone(), rebuilt.text.clone()));
            let gold: Vec<Vec<(usize, usize)>> = document
                .sentences
                .iter()
                .map(|s| {
                    s.gold_mentions(tag_map)
                        .iter()
                        .map(|g| (g.start, g.end))
                        .collect()
                })
                .collect();
            predicted_spans(&rebuilt, &extraction.mentions)
                .into_iter()
                // Only the names themselves, not surnames the matcher made of them; and
                // inside or across a longer tagged name counts too: there the string is
                // part of another name, not a name by itself.
                .filter(|span| span.match_kind != "propagated")
                // Inside a longer tagged name: counted from the tags below.
                .filter(|span| {
                    !gold[span.sentence]
                        .iter()
                        .any(|&(start, end)| start <= span.start && span.end <= end)
                })
                .filter_map(|span| {
                    let &i = index.get(span.entity.split(' ').next()?)?;
                    (i >= names_ref.len() || name_key(&span.matched_name) == names_ref[i].key)
                        .then_some(i)
                })
                .collect()
        })
        .collect();
    let mut surname_untagged = vec![0; surnames.len()];
    let inside = inside_longer_names(corpus, tag_map, names, &surnames);
    for i in found.into_iter().chain(std::iter::once(inside)).flatten() {
        match i.checked_sub(names.len()) {
            Some(n) => surname_untagged[n] += 1,
            None => names[i].untagged += 1,
        }
    }
    let surname_untagged: HashMap<String, usize> = surnames
        .into_iter()
        .zip(surname_untagged)
        .map(|((key, _), n)| (key, n))
        .collect();
    for name in names.iter_mut() {
        if let Some(surname) = &mut name.surname {
            surname.untagged = surname_untagged.get(&surname.key).copied().unwrap_or(0);
        }
    }
}

/// Where a kept name or a surname is part of a longer tagged name (سعيد in سعيد صيام,
/// يوسف in يوسف رزقة), as indexes the way [`count_untagged`] numbers them: one per
/// occurrence, counted from the tags, since naql finds the longer name in the training
/// text itself (it is in the gazetteer) but not in new text, where most longer names
/// are new. A person's own full names do not count against the surname made of them.
fn inside_longer_names(
    corpus: &Corpus,
    tag_map: &TagMap,
    names: &[InducedName],
    surnames: &[(String, String)],
) -> Vec<usize> {
    let mut index: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.decision == Decision::Kept && n.entity_type == EntityType::Per)
        .map(|(i, n)| (n.key.as_str(), i))
        .collect();
    for (n, (key, _)) in surnames.iter().enumerate() {
        index.entry(key.as_str()).or_insert(names.len() + n);
    }
    // Full names with their surname's key.
    let owners: std::collections::HashSet<(&str, &str)> = names
        .iter()
        .filter_map(|n| Some((n.key.as_str(), n.surname.as_ref()?.key.as_str())))
        .collect();
    let mut found = Vec::new();
    for sentence in corpus.documents.iter().flat_map(|d| &d.sentences) {
        let texts: Vec<String> = sentence
            .tokens
            .iter()
            .map(|t| strip_bidi(&t.text))
            .collect();
        let key = |start: usize, end: usize| name_key(&texts[start..end].join(" "));
        for mention in sentence.gold_mentions(tag_map) {
            if mention.end - mention.start < 2 {
                continue;
            }
            let whole = key(mention.start, mention.end);
            for start in mention.start..mention.end {
                for end in start + 1..=mention.end {
                    if end - start == mention.end - mention.start {
                        continue;
                    }
                    let part = key(start, end);
                    if let Some(&i) = index.get(part.as_str()) {
                        if !owners.contains(&(whole.as_str(), part.as_str())) {
                            found.push(i);
                        }
                    }
                }
            }
        }
    }
    found
}

/// A gazetteer of `names`: one entity each, its spellings as names.
fn gazetteer_of<'n>(names: impl Iterator<Item = &'n InducedName>) -> Gazetteer {
    let mut gazetteer = Gazetteer::default();
    for name in names {
        gazetteer
            .entities
            .push(entity_row(&name.id, name.entity_type));
        for (i, (spelling, _)) in name.spellings.iter().enumerate() {
            let kind = if i == 0 {
                NameKind::Canonical
            } else {
                NameKind::Alias
            };
            gazetteer
                .names
                .push(name_row(&name.id, spelling, name.lang, kind, &name.key));
        }
    }
    gazetteer
}

fn entity_row(id: &str, entity_type: EntityType) -> EntityRow {
    EntityRow {
        id: id.to_string(),
        entity_type,
        subtype: String::new(),
        label_en: String::new(),
        wikidata: String::new(),
        country: String::new(),
        origin: String::new(),
    }
}

fn name_row(id: &str, name: &str, lang: &str, kind: NameKind, key: &str) -> NameRow {
    NameRow {
        id: id.to_string(),
        name: name.to_string(),
        lang: lang.to_string(),
        kind,
        priority: 50,
        exact_case: false,
        ambiguous: false,
        source: "induced".into(),
        origin: String::new(),
        key: key.to_string(),
    }
}

impl Induction {
    /// The names kept.
    pub fn kept(&self) -> impl Iterator<Item = &InducedName> {
        self.names.iter().filter(|n| n.decision == Decision::Kept)
    }

    /// `entities.tsv` of the induced gazetteer.
    pub fn entities_tsv(&self) -> String {
        let mut out = format!(
            "# Induced by naql gazetteer induce (--min-count {}, --max-ambiguity {}).\n\
             id\ttype\tsubtype\tlabel_en\twikidata\tcountry\tnote\n",
            self.min_count, self.max_ambiguity
        );
        for name in self.kept() {
            let _ = writeln!(
                out,
                "{}\t{}\t\t\t\t\t{}",
                name.id,
                name.entity_type.code(),
                note(name)
            );
        }
        out
    }

    /// `names.tsv` of the induced gazetteer: every spelling, the most frequent one
    /// canonical.
    pub fn names_tsv(&self) -> String {
        let mut out = String::from("id\tname\tlang\tkind\tpriority\tcase\tambiguous\tsource\n");
        for name in self.kept() {
            for (i, (spelling, _)) in name.spellings.iter().enumerate() {
                let kind = if i == 0 { "canonical" } else { "alias" };
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{kind}\t\t\t\tinduced",
                    name.id,
                    clean(spelling),
                    name.lang
                );
            }
            // A surname found untagged too often is listed as ambiguous, so that naql
            // does not make it a surname of the name either (امام of عادل امام).
            let ambiguous = match &name.surname {
                Some(s) if s.decision == Decision::Ambiguous => "1",
                Some(s) if !s.tagged_alone => "",
                _ => continue,
            };
            if let Some(surname) = &name.surname {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\tsurname\t\t\t{ambiguous}\tinduced",
                    name.id,
                    clean(&surname.name),
                    name.lang
                );
            }
        }
        out
    }

    /// `candidates.tsv`: every string considered, with its counts and decision, and the
    /// surname listed for it.
    pub fn candidates_tsv(&self) -> String {
        let mut out = String::from(
            "id\tname\ttype\ttagged\tPER\tORG\tLOC\tuntagged\tdecision\tspellings\t\
             surname\tsurname_untagged\tsurname_decision\n",
        );
        for name in &self.names {
            let surname = name.surname.as_ref();
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                name.id,
                clean(&name.spellings[0].0),
                name.entity_type.code(),
                name.tagged,
                name.type_counts[0],
                name.type_counts[1],
                name.type_counts[2],
                name.untagged,
                name.decision.code(),
                name.spellings.len(),
                surname.map_or(String::new(), |s| clean(&s.name)),
                surname.map_or(String::new(), |s| s.untagged.to_string()),
                surname.map_or("", |s| s.decision.code()),
            );
        }
        out
    }

    /// Writes `entities.tsv`, `names.tsv` and `candidates.tsv` into `dir`, creating it.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("entities.tsv"), self.entities_tsv())?;
        std::fs::write(dir.join("names.tsv"), self.names_tsv())?;
        std::fs::write(dir.join("candidates.tsv"), self.candidates_tsv())
    }
}

/// The counts behind an entity, for its `note`.
fn note(name: &InducedName) -> String {
    let mut note = format!("tagged {}", name.tagged);
    if name.type_counts.iter().filter(|&&n| n > 0).count() > 1 {
        let parts: Vec<String> = TYPES
            .iter()
            .zip(name.type_counts)
            .filter(|(_, n)| *n > 0)
            .map(|(t, n)| format!("{} {n}", t.code()))
            .collect();
        let _ = write!(note, " ({})", parts.join(", "));
    }
    let _ = write!(note, ", untagged {}", name.untagged);
    note
}

/// A TSV-safe field: tabs and line breaks become spaces.
fn clean(field: &str) -> String {
    field.replace(['\t', '\n', '\r'], " ")
}
