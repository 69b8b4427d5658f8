//! Gazetteers induced from annotated corpora.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::score::predicted_spans;
use super::{strip_bidi, Corpus, RebuiltDocument, TagMap};
use crate::document::Document;
use crate::gazetteer::{name_key, EntityRow, EntityType, Gazetteer, NameKind, NameRow};
use crate::lang::Lang;
use crate::matcher::Matcher;
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
    /// Language of Arabic-script names [default: detected from the corpus].
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
    /// Times naql found it in the corpus where no mention of a mapped type is tagged.
    pub untagged: usize,
    /// `fa`, `ar`, `en`, `ru` or `und`.
    pub lang: &'static str,
    /// Kept or why not.
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
/// matcher, which counts where each is found with no mention of a mapped type tagged
/// on those tokens; a group found so more than `max_ambiguity` times its tagged count
/// is a common word or a name of something else more often than not, and is left out.
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
    let corpus_lang = options.lang.unwrap_or_else(|| detect_lang(corpus));
    // Tagged strings by key.
    // Spellings and counts per type, by key.
    let mut groups: HashMap<String, (BTreeMap<String, usize>, [usize; 3])> = HashMap::new();
    for sentence in corpus.documents.iter().flat_map(|d| &d.sentences) {
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
            *group.0.entry(spelling).or_default() += 1;
            group.1[type_index(mention.entity_type)] += 1;
        }
    }
    let mut names: Vec<InducedName> = groups
        .into_iter()
        .map(|(key, (spellings, type_counts))| {
            let mut spellings: Vec<(String, usize)> = spellings.into_iter().collect();
            spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let best = (0..3).max_by_key(|&i| (type_counts[i], 3 - i)).unwrap_or(0);
            let tagged = type_counts.iter().sum();
            InducedName {
                id: String::new(),
                lang: name_lang(&spellings[0].0, corpus_lang),
                key,
                spellings,
                entity_type: TYPES[best],
                type_counts,
                tagged,
                untagged: 0,
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

    count_untagged(corpus, &options.tag_map, &mut names);
    for name in &mut names {
        if name.decision == Decision::Kept
            && name.untagged as f64 > options.max_ambiguity * name.tagged as f64
        {
            name.decision = Decision::Ambiguous;
        }
    }
    Induction {
        names,
        min_count: options.min_count,
        max_ambiguity: options.max_ambiguity,
    }
}

const TYPES: [EntityType; 3] = [EntityType::Per, EntityType::Org, EntityType::Loc];

fn type_index(entity_type: EntityType) -> usize {
    match entity_type {
        EntityType::Per => 0,
        EntityType::Org => 1,
        EntityType::Loc => 2,
    }
}

/// The language of Arabic-script text in the corpus, from a sample of its tokens.
fn detect_lang(corpus: &Corpus) -> Lang {
    let mut sample = String::new();
    for token in corpus
        .documents
        .iter()
        .flat_map(|d| &d.sentences)
        .flat_map(|s| &s.tokens)
    {
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

/// The `lang` of a name: by its letters, Arabic script by the corpus's language.
fn name_lang(name: &str, corpus_lang: Lang) -> &'static str {
    let has = |range: std::ops::RangeInclusive<char>| name.chars().any(|c| range.contains(&c));
    if has('\u{0600}'..='\u{06FF}') {
        if name
            .chars()
            .any(|c| matches!(c, 'پ' | 'چ' | 'ژ' | 'گ' | 'ی' | 'ک'))
        {
            return "fa";
        }
        return match corpus_lang {
            Lang::Fa => "fa",
            _ => "ar",
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
/// name, where it is found with no mapped mention tagged on any of its tokens.
fn count_untagged(corpus: &Corpus, tag_map: &TagMap, names: &mut [InducedName]) {
    let candidates: Vec<usize> = (0..names.len())
        .filter(|&i| names[i].decision == Decision::Kept)
        .collect();
    if candidates.is_empty() {
        return;
    }
    let gazetteer = gazetteer_of(candidates.iter().map(|&i| &names[i]));
    let pipeline = Pipeline::builder()
        .matcher(Arc::new(Matcher::new(&gazetteer)))
        .build();
    let index: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
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
            let mut untagged = Vec::new();
            for span in predicted_spans(&rebuilt, &extraction.mentions) {
                let Some(&i) = span.entity.split(' ').next().and_then(|id| index.get(id)) else {
                    continue;
                };
                // Only the name itself: not a surname the matcher made from it.
                if span.match_kind == "propagated" || name_key(&span.matched_name) != names[i].key {
                    continue;
                }
                let tagged_here = gold[span.sentence]
                    .iter()
                    .any(|&(a, b)| a < span.end && span.start < b);
                if !tagged_here {
                    untagged.push(i);
                }
            }
            untagged
        })
        .collect();
    for i in found.into_iter().flatten() {
        names[i].untagged += 1;
    }
}

/// A gazetteer of `names`: one entity each, its spellings as names.
fn gazetteer_of<'n>(names: impl Iterator<Item = &'n InducedName>) -> Gazetteer {
    let mut gazetteer = Gazetteer::default();
    for name in names {
        gazetteer.entities.push(EntityRow {
            id: name.id.clone(),
            entity_type: name.entity_type,
            subtype: String::new(),
            label_en: String::new(),
            wikidata: String::new(),
            country: String::new(),
            origin: String::new(),
        });
        for (i, (spelling, _)) in name.spellings.iter().enumerate() {
            gazetteer.names.push(NameRow {
                id: name.id.clone(),
                name: spelling.clone(),
                lang: name.lang.to_string(),
                kind: if i == 0 {
                    NameKind::Canonical
                } else {
                    NameKind::Alias
                },
                priority: 50,
                exact_case: false,
                ambiguous: false,
                source: "induced".into(),
                origin: String::new(),
                key: name.key.clone(),
            });
        }
    }
    gazetteer
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
        }
        out
    }

    /// `candidates.tsv`: every string considered, with its counts and decision.
    pub fn candidates_tsv(&self) -> String {
        let mut out =
            String::from("id\tname\ttype\ttagged\tPER\tORG\tLOC\tuntagged\tdecision\tspellings\n");
        for name in &self.names {
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                name.id,
                clean(&name.spellings[0].0),
                name.entity_type.code(),
                name.tagged,
                name.type_counts[0],
                name.type_counts[1],
                name.type_counts[2],
                name.untagged,
                name.decision.code(),
                name.spellings.len()
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
