//! Cue lexicons (`gazetteers/cues/*.tsv`, embedded at build time) and the role table
//! of the gazetteers, compiled for matching on the document key.

use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::document::Entity;
use crate::gazetteer::{name_key, Gazetteer};
use crate::lang::Lang;
use crate::normalize::Key;
use crate::segment::is_word_boundary;

const CUE_FILES: &[(Lang, &str)] = &[
    (Lang::Fa, include_str!("../../gazetteers/cues/fa.tsv")),
    (Lang::Ar, include_str!("../../gazetteers/cues/ar.tsv")),
    (Lang::En, include_str!("../../gazetteers/cues/en.tsv")),
];

/// What a cue phrase is (see `gazetteers/cues/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CueKind {
    /// A speech verb.
    Verb,
    /// An "according to" form.
    According,
    /// Opens reported content (که, أن, that).
    Complementizer,
    /// A pronoun that can be a speaker.
    Pronoun,
    /// A role noun or description referring to an earlier speaker.
    Role,
    /// Opens a source attribution whose names are not speakers.
    Source,
    /// A page label before a colon.
    Label,
    /// A clause-final verb form (ends a statement in a headline run).
    Final,
}

impl CueKind {
    fn parse(value: &str) -> Option<CueKind> {
        Some(match value {
            "verb" => CueKind::Verb,
            "according" => CueKind::According,
            "complementizer" => CueKind::Complementizer,
            "pronoun" => CueKind::Pronoun,
            "role" => CueKind::Role,
            "source" => CueKind::Source,
            "label" => CueKind::Label,
            "final" => CueKind::Final,
            _ => return None,
        })
    }
}

/// Grammatical gender a form marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    /// Masculine.
    M,
    /// Feminine.
    F,
}

/// What a pronoun or role noun may stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refers {
    /// A person.
    Person,
    /// An organisation.
    Organisation,
    /// Either.
    Any,
}

/// One lexicon row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// Language of the phrase.
    pub lang: Lang,
    /// What it is.
    pub kind: CueKind,
    /// The phrase as listed.
    pub phrase: String,
    /// Gender it marks, if any.
    pub gender: Option<Gender>,
    /// What it refers to (pronouns and role nouns).
    pub refers: Refers,
    /// The phrase carries a glued conjunction (و, ف) that is not part of the listed form.
    pub conjunction: bool,
}

/// A role phrase from the gazetteers' `roles.tsv` with its holder.
#[derive(Debug, Clone)]
pub struct Role {
    /// Holder entity.
    pub holder: Arc<Entity>,
    /// First day (ISO date), may be empty.
    pub valid_from: String,
    /// Last day (ISO date), empty while in office.
    pub valid_to: String,
}

/// A cue or role phrase found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte range in the original text.
    pub range: std::ops::Range<usize>,
    /// What was found.
    pub what: HitKind,
    /// Glued to the word before it (an Arabic verb with و or ف in scraped text that
    /// lost a space); such a cue counts only right before its complement.
    pub glued: bool,
}

/// What a [`Hit`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    /// A lexicon cue (index into [`Lexicon::cues`]).
    Cue(usize),
    /// A role phrase (index into the role groups).
    Role(usize),
}

/// The compiled cue lexicons and role phrases.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// Every cue, with Arabic conjunction variants.
    pub cues: Vec<Cue>,
    /// Holders of each role phrase key.
    pub roles: Vec<Vec<Role>>,
    /// Per pattern: the cues and role groups with that key.
    patterns: Vec<Vec<HitKind>>,
    /// Per pattern: its key.
    keys: Vec<String>,
    /// By document language (Persian, Arabic, English, undetermined): an automaton of
    /// the patterns usable in such a document, and the number in `patterns` of each of
    /// its patterns. Each is built for the first document of its language (about 15 ms
    /// each), so a run over one language, or one short document, builds one.
    automata: [OnceLock<Option<LangAutomaton>>; 4],
}

/// An automaton of the patterns one document language can use, and the number in
/// [`Lexicon`]'s patterns of each of its patterns.
type LangAutomaton = (AhoCorasick, Vec<usize>);

/// The place of a document language among [`Lexicon`]'s automata.
fn lang_slot(lang: Lang) -> usize {
    match lang {
        Lang::Fa => 0,
        Lang::Ar => 1,
        Lang::En => 2,
        Lang::Und => 3,
    }
}

impl Lexicon {
    /// The built-in cue lexicons plus the role phrases of `gazetteer`, whose holders
    /// are looked up with `entity`.
    pub fn new(gazetteer: &Gazetteer, entity: impl Fn(&str) -> Option<Arc<Entity>>) -> Lexicon {
        let mut cues = Vec::new();
        // The gazetteers' own cues.tsv rows, as lines of the built-in format.
        let added: Vec<(Lang, String)> = gazetteer
            .cues
            .iter()
            .filter_map(|c| {
                let line = format!("{}\t{}\t{}\t{}", c.kind, c.phrase, c.gender, c.refers);
                Lang::parse(&c.lang).map(|lang| (lang, line))
            })
            .collect();
        let builtin = CUE_FILES
            .iter()
            .flat_map(|(lang, text)| text.lines().skip(1).map(move |line| (*lang, line)));
        let lines = builtin.chain(added.iter().map(|(lang, line)| (*lang, line.as_str())));
        {
            for (lang, line) in lines {
                let lang = &lang;
                if line.starts_with('#') || line.trim().is_empty() {
                    continue;
                }
                let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
                let Some(kind) = fields.first().and_then(|k| CueKind::parse(k)) else {
                    continue;
                };
                let Some(phrase) = fields.get(1).filter(|p| !p.is_empty()) else {
                    continue;
                };
                let gender = match fields.get(2).copied() {
                    Some("m") => Some(Gender::M),
                    Some("f") => Some(Gender::F),
                    _ => None,
                };
                let refers = match fields.get(3).copied() {
                    Some("PER") => Refers::Person,
                    Some("ORG") => Refers::Organisation,
                    _ => Refers::Any,
                };
                let cue = Cue {
                    lang: *lang,
                    kind,
                    phrase: phrase.to_string(),
                    gender,
                    refers,
                    conjunction: false,
                };
                if *lang == Lang::Ar && kind == CueKind::Verb {
                    for conjunction in ["و", "ف"] {
                        cues.push(Cue {
                            phrase: format!("{conjunction}{phrase}"),
                            conjunction: true,
                            ..cue.clone()
                        });
                    }
                }
                cues.push(cue);
            }
        }

        let mut keys: Vec<String> = Vec::new();
        let mut patterns: Vec<Vec<HitKind>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut add = |key: String, what: HitKind| {
            if key.is_empty() {
                return;
            }
            let at = *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                patterns.push(Vec::new());
                patterns.len() - 1
            });
            if !patterns[at].contains(&what) {
                patterns[at].push(what);
            }
        };
        for (i, cue) in cues.iter().enumerate() {
            let key = name_key(&cue.phrase);
            // Persian writes compound verbs with ZWNJ, space or glued (می‌گوید, میگوید).
            if cue.lang == Lang::Fa && key.contains(' ') {
                add(key.replace(' ', ""), HitKind::Cue(i));
            }
            add(key, HitKind::Cue(i));
        }
        let mut role_index = std::collections::HashMap::new();
        let mut roles: Vec<Vec<Role>> = Vec::new();
        for row in &gazetteer.roles {
            let Some(holder) = entity(&row.holder_id) else {
                continue;
            };
            let key = name_key(&row.title);
            let group = *role_index.entry(key.clone()).or_insert_with(|| {
                roles.push(Vec::new());
                roles.len() - 1
            });
            if !roles[group].iter().any(|r| r.holder.id == holder.id) {
                roles[group].push(Role {
                    holder,
                    valid_from: row.valid_from.clone(),
                    valid_to: row.valid_to.clone(),
                });
            }
            add(key, HitKind::Role(group));
        }
        Lexicon {
            cues,
            roles,
            patterns,
            keys,
            automata: Default::default(),
        }
    }

    /// The automaton of the patterns usable in a document of `lang`, built on first
    /// use. A DFA is the fastest to scan with, but all the phrases of three languages
    /// make one of megabytes, which misses the cache at most bytes; a document needs
    /// only its language's cues and the role phrases ([`Lexicon::find`] drops the
    /// rest), a third of the size.
    fn automaton(&self, lang: Lang) -> Option<&LangAutomaton> {
        let build = || {
            let usable = |what: &HitKind| match *what {
                HitKind::Cue(i) => lang == Lang::Und || self.cues[i].lang == lang,
                HitKind::Role(_) => true,
            };
            let numbers: Vec<usize> = (0..self.keys.len())
                .filter(|&p| self.patterns[p].iter().any(usable))
                .collect();
            let automaton = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(numbers.iter().map(|&p| &self.keys[p]))
                .ok()?;
            Some((automaton, numbers))
        };
        self.automata[lang_slot(lang)].get_or_init(build).as_ref()
    }

    /// Cues and role phrases in a document, whole words, sorted by start. Arabic verbs
    /// with a glued conjunction need no word boundary before them (scraped text glues
    /// `مساءًوشددت`).
    pub fn find(&self, text: &str, key: &Key, lang: Lang) -> Vec<Hit> {
        let Some((automaton, numbers)) = self.automaton(lang) else {
            return Vec::new();
        };
        let k = key.text.as_str();
        let mut hits = Vec::new();
        for m in automaton.find_iter(k) {
            let (start, end) = (m.start(), m.end());
            // The preposition ل of وفقا ل is written glued to the next word.
            let glued_lam = k[..end].ends_with(" ل");
            if !is_word_boundary(k, end) && !glued_lam {
                continue;
            }
            let starts_word = is_word_boundary(k, start);
            for &what in &self.patterns[numbers[m.pattern().as_usize()]] {
                let usable = match what {
                    HitKind::Cue(i) => {
                        let cue = &self.cues[i];
                        (lang == Lang::Und || cue.lang == lang)
                            && (starts_word || (cue.conjunction && end - start >= 8))
                    }
                    HitKind::Role(_) => starts_word,
                };
                if usable {
                    let range = key.original_range(start..end);
                    debug_assert!(text.is_char_boundary(range.start));
                    hits.push(Hit {
                        range,
                        what,
                        glued: !starts_word,
                    });
                }
            }
        }
        hits
    }
}
