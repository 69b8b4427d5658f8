//! Entity evaluation against CoNLL-style annotations, and gazetteers induced from them.
//!
//! - [`Corpus`] reads annotated files (one token per line, tag in the last column,
//!   blank line between sentences, `-DOCSTART-` between documents; BIO, IOB1 and
//!   BIOES tags) and selects sentences by number ([`SentenceRange`]).
//! - [`TagMap`] maps the corpus's types to naql's `PER`, `ORG` and `LOC`.
//! - [`evaluate`] rebuilds each document's text from its tokens ([`RebuiltDocument`]:
//!   tokens joined by one space, sentences by a newline), runs a [`crate::Pipeline`]
//!   on it, maps every mention to the tokens it touches, and scores entity by entity:
//!   a mention is correct when its token range and type equal a gold mention's (the
//!   CoNLL convention). Demonym mentions (روسی, Russian) are not names of their
//!   entity and are left out.
//! - [`induce`] builds a gazetteer from the tagged strings of a corpus, dropping those
//!   that the matcher finds untagged too often.

mod conll;
mod induce;
mod score;

use std::collections::HashMap;

use crate::gazetteer::EntityType;

pub use conll::{
    tagged_spans, ConllDocument, ConllError, Corpus, GoldMention, Sentence, SentenceRange,
    TaggedSpan, Token,
};
pub use induce::{
    induce, Decision, InduceOptions, InducedName, InducedSurname, Induction, DEFAULT_MAX_AMBIGUITY,
};
pub use score::{
    evaluate, Counts, ErrorClass, ErrorKind, ErrorRow, EvalOptions, Evaluation, RebuiltDocument,
    TokenPlace, ERRORS_HEADER,
};

/// The NewsFANE preset of [`TagMap::apply`]: `tag<TAB>type` rows.
const NEWSFANE: &str = include_str!("newsfane.tsv");

/// From the types of a corpus's tags to naql's entity types; types not mapped are
/// left out of scoring and induction.
///
/// The default maps `PER`, `PERS`, `per`, `pers` to PER, `ORG`, `org` to ORG and `LOC`,
/// `GPE`, `loc`, `gpe` to LOC.
///
/// ```
/// use naql::eval::ner::TagMap;
/// use naql::gazetteer::EntityType;
/// let mut map = TagMap::default();
/// assert_eq!(map.entity_type("GPE"), Some(EntityType::Loc));
/// assert_eq!(map.entity_type("MISC"), None);
/// map.apply("MISC=LOC,GPE=O").unwrap();
/// assert_eq!(map.entity_type("MISC"), Some(EntityType::Loc));
/// assert_eq!(map.entity_type("GPE"), None);
/// map.apply("newsfane").unwrap();
/// assert_eq!(map.entity_type("Politician"), Some(EntityType::Per));
/// assert_eq!(map.entity_type("Group"), None);
/// assert!(map.apply("X=THING").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagMap {
    types: HashMap<String, Option<EntityType>>,
}

impl Default for TagMap {
    fn default() -> Self {
        let mut map = TagMap {
            types: HashMap::new(),
        };
        for (tags, entity_type) in [
            (&["PER", "PERS", "per", "pers"][..], EntityType::Per),
            (&["ORG", "org"][..], EntityType::Org),
            (&["LOC", "GPE", "loc", "gpe"][..], EntityType::Loc),
        ] {
            for tag in tags {
                map.types.insert(tag.to_string(), Some(entity_type));
            }
        }
        map
    }
}

impl TagMap {
    /// Applies a `--map` value: comma-separated `TAG=TYPE` pairs (TYPE one of `PER`,
    /// `ORG`, `LOC`, or `O` to leave the tag out) and preset names (`newsfane`: the
    /// NewsFANE Gold fine-grained types), later items overriding earlier ones.
    pub fn apply(&mut self, spec: &str) -> Result<(), String> {
        for item in spec.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            match item.split_once('=') {
                Some((tag, value)) => {
                    let entity_type = parse_type(value.trim())?;
                    self.types.insert(tag.trim().to_string(), entity_type);
                }
                None if item.eq_ignore_ascii_case("newsfane") => {
                    for line in NEWSFANE.lines().skip_while(|l| l.starts_with('#')).skip(1) {
                        if let Some((tag, value)) = line.split_once('\t') {
                            self.types.insert(tag.to_string(), parse_type(value)?);
                        }
                    }
                }
                None => {
                    return Err(format!(
                        "bad --map item {item:?} (TAG=TYPE with TYPE one of PER, ORG, LOC, O; or the preset newsfane)"
                    ))
                }
            }
        }
        Ok(())
    }

    /// The naql type a tag type maps to, `None` when it is left out.
    pub fn entity_type(&self, tag_type: &str) -> Option<EntityType> {
        self.types.get(tag_type).copied().flatten()
    }
}

/// Parses `PER`, `ORG`, `LOC` (any case) or `O` (left out).
fn parse_type(value: &str) -> Result<Option<EntityType>, String> {
    match value.to_ascii_uppercase().as_str() {
        "PER" => Ok(Some(EntityType::Per)),
        "ORG" => Ok(Some(EntityType::Org)),
        "LOC" => Ok(Some(EntityType::Loc)),
        "O" | "-" | "NONE" => Ok(None),
        _ => Err(format!(
            "bad type {value:?} (PER, ORG, LOC, or O to leave the tag out)"
        )),
    }
}

/// Parses a `--types` item: `PER`, `ORG` or `LOC`, any case.
///
/// ```
/// use naql::gazetteer::EntityType;
/// assert_eq!(naql::eval::ner::parse_entity_type("loc"), Ok(EntityType::Loc));
/// assert!(naql::eval::ner::parse_entity_type("MISC").is_err());
/// ```
pub fn parse_entity_type(value: &str) -> Result<EntityType, String> {
    match parse_type(value) {
        Ok(Some(entity_type)) => Ok(entity_type),
        _ => Err(format!("bad type {value:?} (PER, ORG or LOC)")),
    }
}

/// Removes bidi and format controls (LRM, RLM, embeddings, isolates, BOM) that some
/// corpora put around tokens: they are invisible and only get in the way of reading.
fn strip_bidi(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .collect()
}
