//! Cue lexicons (`gazetteers/cues/*.tsv`, embedded at build time) and the role table
//! of the gazetteers, compiled for matching on the document key.

use std::sync::{Arc, OnceLock};

use crate::document::Entity;
use crate::gazetteer::{name_key, Gazetteer};
use crate::lang::Lang;
use crate::matcher::WalkStarts;
use crate::normalize::Key;
use crate::trie::Trie;

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
    /// By document language (Persian, Arabic, English, undetermined): a trie of the
    /// patterns usable in such a document, and the number in `patterns` of each of its
    /// patterns. Each is built for the first document of its language.
    tries: [OnceLock<LangTrie>; 4],
}

/// A trie of the patterns one document language can use, and the number in
/// [`Lexicon`]'s patterns of each of its patterns.
type LangTrie = (Trie, Vec<usize>);

/// The place of a document language among [`Lexicon`]'s tries.
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
            // Walks never start at a space (see `WalkStarts::new`).
            debug_assert!(
                !key.starts_with(' '),
                "a cue key starts with a space: {key:?}"
            );
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
            tries: Default::default(),
        }
    }

    /// The trie of the patterns usable in a document of `lang`, built on first use. A
    /// document needs only its language's cues and the role phrases, a third of all
    /// the patterns: a smaller trie stays in cache.
    pub(crate) fn trie(&self, lang: Lang) -> &Trie {
        &self.lang_trie(lang).0
    }

    /// [`Lexicon::trie`] with the pattern number of each of its keys.
    fn lang_trie(&self, lang: Lang) -> &LangTrie {
        let build = || {
            let usable = |what: &HitKind| match *what {
                HitKind::Cue(i) => lang == Lang::Und || self.cues[i].lang == lang,
                HitKind::Role(_) => true,
            };
            let numbers: Vec<usize> = (0..self.keys.len())
                .filter(|&p| self.patterns[p].iter().any(usable))
                .collect();
            let keys: Vec<&str> = numbers.iter().map(|&p| self.keys[p].as_str()).collect();
            (Trie::new(&keys), numbers)
        };
        self.tries[lang_slot(lang)].get_or_init(build)
    }

    /// Cues and role phrases in a document, whole words, sorted by start and not
    /// overlapping: from the leftmost start, the longest phrase. Arabic verbs with a
    /// glued conjunction need no word boundary before them (scraped text glues
    /// `مساءًوشددت`).
    pub fn find(&self, text: &str, key: &Key, lang: Lang) -> Vec<Hit> {
        self.find_from(text, key, lang, &WalkStarts::new(&key.text, lang))
    }

    /// [`Lexicon::find`] from the key's walk starts, which the matcher shares: the
    /// cue finder's filled for this lexicon's trie of `lang` ([`WalkStarts::fill_for`]
    /// with [`Lexicon::trie`]), or for none.
    pub(crate) fn find_from(
        &self,
        text: &str,
        key: &Key,
        lang: Lang,
        starts: &WalkStarts,
    ) -> Vec<Hit> {
        let (trie, numbers) = self.lang_trie(lang);
        let k = key.text.as_str();
        let usable = |what: HitKind, start: usize, end: usize, starts_word: bool| match what {
            HitKind::Cue(i) => {
                let cue = &self.cues[i];
                (lang == Lang::Und || cue.lang == lang)
                    && (starts_word || (cue.conjunction && end - start >= 8))
            }
            HitKind::Role(_) => starts_word,
        };
        // Room for a phrase every eight starts, more than most documents hold: growing
        // from empty took five reallocations a document.
        let mut hits = Vec::with_capacity(starts.cues().len() / 8);
        let mut taken = 0;
        let walks = starts.cue_walks();
        for (i, &start) in starts.cues().iter().enumerate() {
            if start < taken {
                continue;
            }
            // The longest phrase from `start` that ends a word and is usable there
            // (the walk reports the shorter ones first).
            let mut longest = None;
            let mut starts_word = None;
            let entered = match walks {
                Some(walks) => Some(walks[i]),
                None => trie.enter_at(k.as_bytes(), start),
            };
            let Some(entered) = entered else {
                continue;
            };
            trie.walk_from(k.as_bytes(), entered, |p, end| {
                // The preposition ل of وفقا ل is written glued to the next word.
                if !starts.is_boundary(end) && !k[..end].ends_with(" ل") {
                    return;
                }
                let starts_word = *starts_word.get_or_insert_with(|| starts.is_boundary(start));
                let number = numbers[p as usize];
                if self.patterns[number]
                    .iter()
                    .any(|&what| usable(what, start, end, starts_word))
                {
                    longest = Some((number, end, starts_word));
                }
            });
            let Some((number, end, starts_word)) = longest else {
                continue;
            };
            let range = key.original_range(start..end);
            debug_assert!(text.is_char_boundary(range.start));
            for &what in &self.patterns[number] {
                if usable(what, start, end, starts_word) {
                    hits.push(Hit {
                        range: range.clone(),
                        what,
                        glued: !starts_word,
                    });
                }
            }
            taken = end;
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::key;
    use crate::segment::is_word_boundary;
    use proptest::prelude::*;

    fn lexicon() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| Lexicon::new(&Gazetteer::default(), |_| None))
    }

    /// The phrases found in `text`, as written, with whether each is glued.
    fn found(text: &str, lang: Lang) -> Vec<(&str, bool)> {
        let hits = lexicon().find(text, &key(text), lang);
        let mut out: Vec<(&str, bool)> = hits
            .iter()
            .map(|h| (&text[h.range.clone()], h.glued))
            .collect();
        out.dedup();
        out
    }

    /// What [`Lexicon::find`] should give, by trying every phrase at every place a
    /// phrase may start: a word start, or a و or ف inside an Arabic word.
    fn reference(text: &str, lang: Lang) -> Vec<Hit> {
        let lexicon = lexicon();
        let key = key(text);
        let k = key.text.as_str();
        let mut hits = Vec::new();
        let mut taken = 0;
        for (start, c) in k.char_indices() {
            let starts_word = is_word_boundary(k, start);
            let glued = matches!(lang, Lang::Ar | Lang::Und) && matches!(c, 'و' | 'ف');
            if start < taken || !(starts_word || glued) {
                continue;
            }
            let usable = |what: &HitKind, end: usize| match *what {
                HitKind::Cue(i) => {
                    let cue = &lexicon.cues[i];
                    (lang == Lang::Und || cue.lang == lang)
                        && (starts_word || (cue.conjunction && end - start >= 8))
                }
                HitKind::Role(_) => starts_word,
            };
            let longest = (0..lexicon.keys.len())
                .filter(|&p| k[start..].starts_with(lexicon.keys[p].as_str()))
                .map(|p| (p, start + lexicon.keys[p].len()))
                .filter(|&(_, end)| is_word_boundary(k, end) || k[..end].ends_with(" ل"))
                .filter(|&(p, end)| lexicon.patterns[p].iter().any(|w| usable(w, end)))
                .max_by_key(|&(_, end)| end);
            if let Some((p, end)) = longest {
                for what in lexicon.patterns[p].iter().filter(|w| usable(w, end)) {
                    hits.push(Hit {
                        range: key.original_range(start..end),
                        what: *what,
                        glued: !starts_word,
                    });
                }
                taken = end;
            }
        }
        hits
    }

    #[test]
    fn a_verb_glued_to_the_word_before_by_its_conjunction() {
        assert_eq!(
            found("وصل مساءًوشددت على ضرورة", Lang::Ar),
            [("وشددت", true)]
        );
        // Only in Arabic text (and text of no known language).
        assert_eq!(found("مساءًوشددت", Lang::Fa), []);
        assert_eq!(found("مساءًوشددت", Lang::Und), [("وشددت", true)]);
        // Not a verb without its conjunction.
        assert_eq!(found("مساءًشددت", Lang::Ar), []);
    }

    #[test]
    fn the_longest_phrase_that_ends_a_word() {
        assert_eq!(
            found("according to a report by Reuters", Lang::En),
            [("according to a report by", false)]
        );
        // A longer phrase that ends inside a word does not hide the shorter one.
        assert_eq!(
            found("Sami called only once.", Lang::En),
            [("called", false)]
        );
        assert_eq!(
            found("Sami called on him", Lang::En),
            [("called on", false)]
        );
    }

    #[test]
    fn phrases_do_not_overlap_and_the_leftmost_wins() {
        assert_eq!(
            found("وذلك حسبما قال زيد", Lang::Ar),
            [("حسبما قال", false)]
        );
        assert_eq!(found("وذلك كما قال زيد", Lang::Ar), [("كما قال", false)]);
    }

    /// Texts of cue phrases, words and conjunctions, glued or spaced.
    fn mixed_text() -> impl Strategy<Value = String> {
        let phrases: Vec<String> = lexicon().cues.iter().map(|c| c.phrase.clone()).collect();
        let piece = prop_oneof![
            3 => proptest::sample::select(phrases),
            2 => proptest::sample::select(vec![
                "و", "ف", "ال", "الوزير", "مساءً", "می", "گفت", "the", "on", "ly", "ل", "a",
            ])
            .prop_map(str::to_string),
        ];
        let gap = proptest::sample::select(vec!["", " ", " ", "، ", ". ", "\u{200c}", ", "]);
        proptest::collection::vec((piece, gap), 0..12).prop_map(|parts| {
            parts
                .into_iter()
                .map(|(piece, gap)| format!("{piece}{gap}"))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn find_tries_every_phrase_at_every_start(
            text in mixed_text(),
            lang in proptest::sample::select(vec![Lang::Fa, Lang::Ar, Lang::En, Lang::Und]),
        ) {
            prop_assert_eq!(lexicon().find(&text, &key(&text), lang), reference(&text, lang));
        }
    }
}
