//! Finding gazetteer names in documents.
//!
//! [`Matcher::new`] compiles a [`Gazetteer`]: every name goes through the same
//! [`crate::normalize::key`] as documents, Persian-script names of several parts also get their
//! glued spellings (قره باغ → قرهباغ), and persons get surnames from their multi-part
//! names unless the gazetteer lists them. One Aho-Corasick automaton over the keys is
//! built per run and shared by all threads.
//!
//! [`Matcher::find`] runs over a document's key:
//!
//! 1. every occurrence of every key (overlapping search), kept only when it is a whole
//!    word, or when the rest of its word is an Arabic proclitic before it (و ف ب ك ل and
//!    their combinations; ل + the name's own article is written لل) or a Persian plural
//!    ending after it (ها های هایی); a glued ی (ایرانی) is the adjective and never
//!    stripped; the article ال is never stripped (الخميس is not خميس);
//! 2. names with `case=exact` kept only when the original has the same case,
//!    `ambiguous=1` names only right after a trigger word, names after a proclitic only
//!    when Arabic (`ar`, `und`), names before a glued ending only when Persian (`fa`,
//!    `und`), and in a document whose letters are Arabic no name that only Persian rows
//!    give with Persian letters (ترکیه);
//! 3. non-overlapping choice, leftmost first, then the longest name;
//! 4. the entity: for a full name, the highest priority, then an entity already seen in
//!    the document, then PER > ORG > LOC, then id; a surname or short form links to the
//!    latest entity seen in full earlier in the document, or, when the gazetteer lists
//!    it, to its only owner; it is dropped when several entities share it and none was
//!    seen, and a generated surname is dropped unless its full name was seen; it is
//!    never taken after a preposition (لصالح) nor, in Arabic text, from a Persian
//!    spelling of the name (اسد of بشار اسد).
//!
//! The reported span is the name itself, mapped back to the original text; the clitic
//! or ending goes to its own column.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, MatchKind};

use crate::document::{CharCounter, Entity, Mention};
use crate::gazetteer::{name_key, EntityType, Gazetteer, NameKind, NameRow};
use crate::lang::Lang;
use crate::normalize::Key;
use crate::segment::{is_word_boundary, Segmentation};

/// Arabic proclitic sequences stripped before a name: conjunction (و ف), then
/// preposition (ب ك ل). The article is not among them: a name that takes it is listed
/// with it (العراق, القاهرة), and one that does not is another word with it (الخميس is
/// Thursday, not خميس; الروسي is an adjective, not روسي). ل before the article is
/// written لل, which the fused patterns cover.
const PROCLITICS: &[&str] = &["و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل"];

/// Persian plural endings stripped after a name when glued to it (keyed spelling).
const PERSIAN_ENDINGS: &[&str] = &["ها", "هاي", "هايي"];

/// Persian endings after a ZWNJ, recorded in the `clitic` column (the ZWNJ already
/// separates them from the name in the key).
const PERSIAN_ENDINGS_AFTER_ZWNJ: &[&str] = &["ها", "هاي", "هايي", "اي", "ي"];

/// Particles after which a name's last part is not a surname (bin Hamad Al Thani).
const NAME_PARTICLES: &[&str] = &[
    "بن", "ابن", "بنت", "ال", "آل", "ابو", "أبو", "bin", "ibn", "bint", "al", "el", "abu", "de",
    "van", "von", "der", "la", "le", "da", "di", "du",
];

/// Titles, generic designators and articles that a gazetteer name may start with
/// (الملك عبد الله الثاني, دولة الكويت, قناة الجزيرة, the Kremlin). When the rest is
/// itself a full name of the same entity, the mention reports the rest: the title,
/// designator or article is not part of the name (CoNLL and ACE annotate الكويت in
/// دولة الكويت, Abdullah in King Abdullah, Kremlin in the Kremlin). Words that are part
/// of a name (قطاع غزة, the Gaza Strip; جمهوری آذربایجان; نهر النيل, the Nile River;
/// حركة حماس, جنبش حماس, the movement's own name) are not here.
const LEADING_WORDS: &[&[&str]] = &[
    TITLES,
    PLACE_DESIGNATORS,
    ORGANISATION_DESIGNATORS,
    &["the"],
];

const TITLES: &[&str] = &[
    "الملك",
    "الملكة",
    "الأمير",
    "الأميرة",
    "السلطان",
    "الشيخ",
    "السيد",
    "السيدة",
    "الرئيس",
    "شاه",
    "ملک",
    "آقای",
    "خانم",
    "king",
    "queen",
    "prince",
    "princess",
    "sultan",
    "sheikh",
    "president",
    "mr",
    "mrs",
    "ms",
];

const PLACE_DESIGNATORS: &[&str] = &[
    "دولة",
    "مدينة",
    "منطقة",
    "محافظة",
    "ولاية",
    "إقليم",
    "بلدة",
    "قرية",
    "شهر",
    "استان",
    "کشور",
];

const ORGANISATION_DESIGNATORS: &[&str] = &["قناة", "صحيفة", "تنظيم", "جماعة", "روزنامه", "شبکه"];

/// Words around a person's name that make it part of a longer name the gazetteer does
/// not have (ابو فارس, خالد بن يحيى, دا سيلفا): before it ...
const LONGER_NAME_BEFORE: &[&str] = &[
    "ابو", "أبو", "ابي", "أبي", "ابن", "بن", "بنت", "دا", "abu", "bin", "ibn", "bint", "da", "de",
    "del", "dos", "van", "von",
];

/// ... and after it.
const LONGER_NAME_AFTER: &[&str] = &["بن", "ابن", "بنت", "bin", "ibn", "bint"];

/// Regnal numbers and generational suffixes: never a surname (عبدالله الثاني,
/// Charles III).
const REGNAL: &[&str] = &[
    "الأول",
    "الثاني",
    "الثالث",
    "الرابع",
    "الخامس",
    "السادس",
    "السابع",
    "الثامن",
    "التاسع",
    "العاشر",
    "اول",
    "دوم",
    "سوم",
    "i",
    "ii",
    "iii",
    "iv",
    "v",
    "vi",
    "jr",
    "sr",
];

/// First parts of Arabic compound given names (عبد الناصر): the part after one is not a
/// surname, the two together are.
const COMPOUND_FIRST: &[&str] = &["عبد"];

/// Second parts of Arabic compound names (نصر الله, صلاح الدين, سيف الإسلام): the part
/// before belongs with them.
const COMPOUND_SECOND: &[&str] = &["الله", "الدين", "الإسلام", "الرحمن"];

#[derive(Debug, Clone)]
struct CompiledName {
    entity: u32,
    name: Arc<str>,
    lang: Arc<str>,
    kind: NameKind,
    priority: u8,
    exact_case: bool,
    ambiguous: bool,
    /// A surname made from a multi-part name, not listed in the gazetteer: it links
    /// only to a full name seen earlier in the document.
    generated: bool,
    /// Written with letters only Persian uses (پ چ ژ گ and Persian ی ک): never found
    /// in Arabic text when only Persian rows give it.
    persian_letters: bool,
    /// A title or designator + another full name of the entity (دولة الكويت): where
    /// that name starts in the key, and that name as written.
    core: Option<(usize, Arc<str>)>,
}

#[derive(Debug, Clone, Default)]
struct Pattern {
    names: Vec<u32>,
    arabic_script: bool,
    /// The key is `لل` + a name written with the article `ال`: the preposition ل fused
    /// with the article (للخارجية = ل + الخارجية), so the first letter is the clitic.
    fused_lam: bool,
}

/// A compiled gazetteer, ready to find mentions. Cheap to share across threads.
///
/// ```
/// use naql::gazetteer::{Gazetteer, GazetteerSource};
/// use naql::matcher::Matcher;
/// let files: &'static [(&str, &str)] = &[
///     ("entities.tsv", "id\ttype\tlabel_en\nt:ru\tLOC\tRussia\n"),
///     ("names.tsv", "id\tname\tlang\nt:ru\tروسيا\tar\nt:ru\tروسیه\tfa\n"),
/// ];
/// let (gazetteer, _) = Gazetteer::load(&[GazetteerSource::Builtin { name: "t", files }]);
/// let matcher = Matcher::new(&gazetteer);
/// let text = "وقالت روسيا";
/// let mentions = matcher.find(text, &naql::normalize::key(text), None);
/// assert_eq!(mentions.len(), 1);
/// assert_eq!(mentions[0].span.slice(text), "روسيا");
/// ```
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
    names: Vec<CompiledName>,
    entities: Vec<Arc<Entity>>,
    entity_ids: HashMap<String, u32>,
    types: Vec<EntityType>,
    /// Trigger keys and the entity type each licenses (`None`: any).
    triggers: Vec<(String, Option<EntityType>)>,
}

/// One accepted occurrence before the entity is chosen.
#[derive(Debug, Clone)]
struct Candidate {
    /// Key range of the whole word(s): clitic + name + ending.
    extent: (usize, usize),
    /// Key range of the name.
    name: (usize, usize),
    names: Vec<u32>,
    /// Entity types licensed by a trigger right before the candidate (bit per type).
    triggered: u8,
}

impl Matcher {
    /// Compiles a gazetteer.
    pub fn new(gazetteer: &Gazetteer) -> Matcher {
        // Label fallback: the first canonical name, else the first name.
        let mut first_name: HashMap<&str, &NameRow> = HashMap::default();
        for name in &gazetteer.names {
            let slot = first_name.entry(&name.id).or_insert(name);
            if slot.kind != NameKind::Canonical && name.kind == NameKind::Canonical {
                *slot = name;
            }
        }
        let mut entity_index: HashMap<&str, u32> = HashMap::default();
        let mut entities = Vec::new();
        let mut types = Vec::new();
        for row in &gazetteer.entities {
            let label = if !row.label_en.is_empty() {
                row.label_en.clone()
            } else {
                first_name
                    .get(row.id.as_str())
                    .map_or_else(|| row.id.clone(), |n| n.name.clone())
            };
            entity_index.insert(&row.id, entities.len() as u32);
            entities.push(Arc::new(Entity {
                id: row.id.clone(),
                entity_type: row.entity_type.code().to_string(),
                subtype: row.subtype.clone(),
                label,
                wikidata: row.wikidata.clone(),
            }));
            types.push(row.entity_type);
        }

        let mut builder = PatternBuilder::default();
        let listed_surnames: HashSet<&str> = gazetteer
            .names
            .iter()
            .filter(|n| n.kind == NameKind::Surname)
            .map(|n| n.id.as_str())
            .collect();
        // Full names by entity and key without spaces, for names that are a designator +
        // another one (an ambiguous one too: the designator settles it, مدينة مشهد).
        let full_names: HashMap<(&str, String), &NameRow> = gazetteer
            .names
            .iter()
            .filter(|n| {
                matches!(
                    n.kind,
                    NameKind::Canonical | NameKind::Alias | NameKind::Abbrev
                )
            })
            .map(|n| ((n.id.as_str(), n.key.replace(' ', "")), n))
            .collect();
        let designators: Vec<String> = LEADING_WORDS
            .iter()
            .flat_map(|list| list.iter())
            .map(|d| name_key(d))
            .collect();
        for row in &gazetteer.names {
            let Some(&entity) = entity_index.get(row.id.as_str()) else {
                continue;
            };
            let core = row.key.split_once(' ').and_then(|(first, rest)| {
                if row.kind == NameKind::Demonym || !designators.iter().any(|d| d == first) {
                    return None;
                }
                let core = full_names.get(&(row.id.as_str(), rest.replace(' ', "")))?;
                Some((first.len() + 1, Arc::from(core.name.as_str())))
            });
            let name = CompiledName {
                entity,
                name: Arc::from(row.name.as_str()),
                lang: Arc::from(row.lang.as_str()),
                kind: row.kind,
                priority: row.priority,
                exact_case: row.exact_case,
                ambiguous: row.ambiguous,
                generated: false,
                persian_letters: row
                    .name
                    .contains(['پ', 'چ', 'ژ', 'گ', '\u{06CC}', '\u{06A9}']),
                core,
            };
            let key = &row.key;
            builder.add(key, name.clone(), false);
            // Glued or re-hyphenated parts move the core name: report the whole.
            let whole = CompiledName {
                core: None,
                ..name.clone()
            };
            for variant in spelling_variants(key, &row.lang) {
                builder.add(&variant, whole.clone(), false);
            }
            if let Some(rest) = key.strip_prefix("ال") {
                builder.add(&format!("لل{rest}"), name.clone(), true);
            }
            let is_person = types[entity as usize] == EntityType::Per;
            if is_person
                && matches!(row.kind, NameKind::Canonical | NameKind::Alias)
                && !listed_surnames.contains(row.id.as_str())
            {
                if let Some(surname) = surname_of(&row.name) {
                    let generated = CompiledName {
                        kind: NameKind::Surname,
                        priority: row.priority.saturating_sub(10),
                        exact_case: false,
                        generated: true,
                        name: Arc::from(surname),
                        core: None,
                        ..name
                    };
                    let key = name_key(surname);
                    for variant in spelling_variants(&key, &row.lang) {
                        builder.add(&variant, generated.clone(), false);
                    }
                    builder.add(&key, generated, false);
                }
            }
        }
        let triggers = gazetteer
            .triggers
            .iter()
            .map(|t| (name_key(&t.word), t.entity_type))
            .filter(|(k, _)| !k.is_empty())
            .collect();
        let automaton = if builder.keys.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&builder.keys)
                .ok()
        };
        let entity_ids = entity_index
            .into_iter()
            .map(|(id, index)| (id.to_string(), index))
            .collect();
        Matcher {
            automaton,
            entity_ids,
            patterns: builder.patterns,
            names: builder.names,
            entities,
            types,
            triggers,
        }
    }

    /// The entity with this gazetteer id.
    pub fn entity(&self, id: &str) -> Option<Arc<Entity>> {
        let index = *self.entity_ids.get(id)?;
        Some(Arc::clone(&self.entities[index as usize]))
    }

    /// Number of distinct keys compiled.
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// Mentions in `text`, whose key is `key`, sorted by offset. `segmentation` gives
    /// sentence indexes (all 0 without it).
    pub fn find(&self, text: &str, key: &Key, segmentation: Option<&Segmentation>) -> Vec<Mention> {
        self.find_in(text, key, segmentation, Lang::detect(text))
    }

    /// [`Matcher::find`] for a document whose language is already known.
    pub fn find_in(
        &self,
        text: &str,
        key: &Key,
        segmentation: Option<&Segmentation>,
        lang: Lang,
    ) -> Vec<Mention> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let k = key.text.as_str();
        // Arabic does not write Persian spellings: a name only Persian gazetteer rows give,
        // spelled with Persian letters, is another word in Arabic text (ترکیه keys like
        // تركية, Turkish). Nor Persian plural endings: a glued ها is the Arabic pronoun
        // (قطرها, its diameter).
        let arabic_document = lang == Lang::Ar;
        let mut candidates = Vec::new();
        for m in automaton.find_overlapping_iter(k) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            let (word_start, end) = (m.start(), m.end());
            // In a fused form the name proper starts after the clitic ل.
            let start = if pattern.fused_lam {
                word_start + 'ل'.len_utf8()
            } else {
                word_start
            };
            let extent_start = if pattern.fused_lam {
                if is_word_boundary(k, word_start) {
                    word_start
                } else {
                    match proclitic_start(k, word_start) {
                        Some(at) if matches!(&k[at..word_start], "و" | "ف") => at,
                        _ => continue,
                    }
                }
            } else if is_word_boundary(k, start) {
                start
            } else if pattern.arabic_script {
                match proclitic_start(k, start) {
                    // ل before a name that starts with ل is the article fused with the
                    // preposition (للحج is ل + الحج, not ل + لحج).
                    Some(at) if k[at..start].ends_with('ل') && k[start..].starts_with('ل') => {
                        continue
                    }
                    Some(word_start) => word_start,
                    None => continue,
                }
            } else {
                continue;
            };
            let extent_end = if is_word_boundary(k, end) {
                end
            } else if arabic_document {
                continue;
            } else {
                match persian_ending_end(k, end) {
                    Some(word_end) => word_end,
                    None => continue,
                }
            };
            // Only ambiguous names need a trigger; most patterns have none.
            let needs_trigger = pattern
                .names
                .iter()
                .any(|&n| self.names[n as usize].ambiguous);
            let triggered = if needs_trigger {
                self.follows_trigger(k, extent_start)
            } else {
                0
            };
            let (clitic, ending) = (extent_start < start, extent_end > end);
            let names: Vec<u32> = pattern
                .names
                .iter()
                .copied()
                .filter(|&n| {
                    let name = &self.names[n as usize];
                    let lang = &*name.lang;
                    (!clitic || matches!(lang, "ar" | "und"))
                        && (!ending || matches!(lang, "fa" | "und"))
                        && !(arabic_document && lang == "fa" && name.persian_letters)
                        && (!name.ambiguous
                            || triggered & type_bit(self.types[name.entity as usize]) != 0)
                        && (!name.exact_case || text[key.original_range(start..end)] == *name.name)
                })
                .collect();
            if names.is_empty() {
                continue;
            }
            candidates.push(Candidate {
                extent: (extent_start, extent_end),
                name: (start, end),
                names,
                triggered,
            });
        }
        candidates.sort_by(|a, b| {
            a.extent
                .0
                .cmp(&b.extent.0)
                .then((b.name.1 - b.name.0).cmp(&(a.name.1 - a.name.0)))
                .then(b.extent.1.cmp(&a.extent.1))
        });

        let mut mentions = Vec::new();
        let mut seen_full: Vec<u32> = Vec::new();
        let mut last_end = 0;
        let mut chars = CharCounter::new(text);
        for mut candidate in candidates {
            if candidate.extent.0 < last_end {
                continue;
            }
            self.drop_unlikely_surnames(&mut candidate, k, arabic_document);
            let Some((name, propagated)) = self.choose(&candidate, &seen_full) else {
                continue;
            };
            let (start, end) = candidate.name;
            let name = self.spelling(&candidate, name, &text[key.original_range(start..end)]);
            let compiled = &self.names[name as usize];
            if self.types[compiled.entity as usize] == EntityType::Per
                && part_of_longer_name(k, candidate.extent)
            {
                continue;
            }
            last_end = candidate.extent.1;
            if !compiled.kind.is_partial() {
                seen_full.retain(|&e| e != compiled.entity);
                seen_full.push(compiled.entity);
            }
            let (reported_start, matched_name) = match &compiled.core {
                Some((offset, core)) => (start + offset, core),
                None => (start, &compiled.name),
            };
            let range = key.original_range(reported_start..end);
            let span = chars.span(range.start, range.end);
            let clitic_range = key.original_range(candidate.extent.0..start);
            let mut clitic = text[clitic_range].to_string();
            let ending = if candidate.extent.1 > end {
                text[key.original_range(end..candidate.extent.1)].to_string()
            } else {
                ending_after_zwnj(text, key, end)
            };
            if !ending.is_empty() {
                if !clitic.is_empty() {
                    clitic.push('+');
                }
                clitic.push_str(&ending);
            }
            let match_kind = if compiled.kind == NameKind::Demonym {
                "demonym"
            } else if propagated {
                "propagated"
            } else if candidate.extent.0 < start {
                "clitic"
            } else if !ending.is_empty() {
                "suffix"
            } else if span.slice(text) == &**matched_name {
                "exact"
            } else {
                "normalized"
            };
            mentions.push(Mention {
                span,
                entity: Arc::clone(&self.entities[compiled.entity as usize]),
                matched_name: matched_name.to_string(),
                name_lang: compiled.lang.to_string(),
                match_kind: match_kind.to_string(),
                clitic,
                sentence_index: segmentation.map_or(0, |s| s.sentence_index_at(range.start)),
                zone: crate::zones::Zone::Body,
                article_index: 0,
            });
        }
        mentions
    }

    /// Leaves out of a candidate the generated surnames that are more likely another
    /// word there: in Arabic text, those made from a Persian spelling of the name (اسد of
    /// بشار اسد, where Arabic writes الأسد: اسد is the lion), and any after a preposition
    /// (لصالح is "in favour of", not "to Salih"; ب ل ك, alone or after و ف).
    fn drop_unlikely_surnames(&self, candidate: &mut Candidate, k: &str, arabic_document: bool) {
        let after_preposition = candidate.extent.0 < candidate.name.0
            && k[candidate.extent.0..candidate.name.0].ends_with(['ب', 'ل', 'ك']);
        candidate.names.retain(|&n| {
            let name = &self.names[n as usize];
            !name.generated || !(after_preposition || arabic_document && &*name.lang == "fa")
        });
    }

    /// The name (and so the entity) a candidate stands for, and whether it was linked
    /// by propagation from an earlier full mention.
    fn choose(&self, candidate: &Candidate, seen_full: &[u32]) -> Option<(u32, bool)> {
        let seen_rank = |entity: u32| {
            seen_full
                .iter()
                .rposition(|&e| e == entity)
                .map_or(0, |i| i + 1)
        };
        let full = candidate
            .names
            .iter()
            .copied()
            .filter(|&n| !self.names[n as usize].kind.is_partial())
            .max_by(|&a, &b| {
                let (na, nb) = (&self.names[a as usize], &self.names[b as usize]);
                (candidate.triggered != 0 && na.ambiguous)
                    .cmp(&(candidate.triggered != 0 && nb.ambiguous))
                    .then(na.priority.cmp(&nb.priority))
                    .then((seen_rank(na.entity) > 0).cmp(&(seen_rank(nb.entity) > 0)))
                    .then(self.types[nb.entity as usize].cmp(&self.types[na.entity as usize]))
                    .then(nb.entity.cmp(&na.entity))
                    .then(b.cmp(&a))
            });
        if let Some(name) = full {
            return Some((name, false));
        }
        // Only surnames and short forms: the latest entity seen in full, else the only
        // owner.
        let partial = candidate.names.iter().copied().max_by_key(|&n| {
            (
                seen_rank(self.names[n as usize].entity),
                std::cmp::Reverse(n),
            )
        })?;
        if seen_rank(self.names[partial as usize].entity) > 0 {
            return Some((partial, true));
        }
        // Not seen: a listed surname or short form with a single owner stands for it;
        // generated surnames (often ordinary words: سلام, بين) never do.
        let listed: Vec<u32> = candidate
            .names
            .iter()
            .copied()
            .filter(|&n| !self.names[n as usize].generated)
            .collect();
        let first = self.names[*listed.first()? as usize].entity;
        listed
            .iter()
            .all(|&n| self.names[n as usize].entity == first)
            .then_some((listed[0], false))
    }

    /// Among the chosen entity's names of the candidate's key, the one written exactly
    /// as the original (so `matched_name` shows the spelling found), else `chosen`.
    fn spelling(&self, candidate: &Candidate, chosen: u32, original: &str) -> u32 {
        let target = &self.names[chosen as usize];
        candidate
            .names
            .iter()
            .copied()
            .find(|&n| {
                let name = &self.names[n as usize];
                name.entity == target.entity
                    && name.kind.is_partial() == target.kind.is_partial()
                    && (name.kind == NameKind::Demonym) == (target.kind == NameKind::Demonym)
                    && &*name.name == original
            })
            .unwrap_or(chosen)
    }

    /// The entity types licensed by trigger words (خبرگزاری, وكالة, agency ... for
    /// organisations; استان, محافظة for places) right before key offset `at`, with
    /// only spaces and opening quotation marks between: a bit per type, 0 for none.
    fn follows_trigger(&self, k: &str, at: usize) -> u8 {
        if self.triggers.is_empty() {
            return 0;
        }
        let before = k[..at].trim_end_matches([' ', '«', '"', '“', '\'', '(']);
        let mut licensed = 0;
        for (trigger, entity_type) in &self.triggers {
            let found = before.ends_with(trigger.as_str()) && {
                let start = before.len() - trigger.len();
                is_word_boundary(k, start) || proclitic_start(k, start).is_some()
            };
            if found {
                licensed |= entity_type.map_or(0b111, type_bit);
            }
        }
        licensed
    }
}

fn type_bit(entity_type: EntityType) -> u8 {
    match entity_type {
        EntityType::Per => 0b001,
        EntityType::Org => 0b010,
        EntityType::Loc => 0b100,
    }
}

#[derive(Default)]
struct PatternBuilder {
    keys: Vec<String>,
    index: HashMap<String, u32>,
    patterns: Vec<Pattern>,
    names: Vec<CompiledName>,
}

impl PatternBuilder {
    fn add(&mut self, key: &str, name: CompiledName, fused_lam: bool) {
        if key.is_empty() {
            return;
        }
        let pattern = match self.index.get(key) {
            Some(&pattern) => pattern,
            None => {
                let pattern = self.keys.len() as u32;
                self.index.insert(key.to_string(), pattern);
                self.keys.push(key.to_string());
                self.patterns.push(Pattern {
                    names: Vec::new(),
                    arabic_script: key.chars().next().is_some_and(is_arabic_letter),
                    fused_lam,
                });
                pattern
            }
        };
        if self.patterns[pattern as usize].fused_lam != fused_lam {
            // A real name spelled like a fused form (or the reverse): keep the name.
            self.patterns[pattern as usize].fused_lam = false;
            if fused_lam {
                return;
            }
        }
        let pattern = &mut self.patterns[pattern as usize];
        let duplicate = pattern.names.iter().any(|&n| {
            let other = &self.names[n as usize];
            // The language counts: a name written alike in Persian and Arabic rows (دمشق)
            // is an Arabic name after a proclitic.
            other.entity == name.entity
                && other.kind == name.kind
                && other.name == name.name
                && other.lang == name.lang
        });
        if !duplicate {
            pattern.names.push(self.names.len() as u32);
            self.names.push(name);
        }
    }
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}')
}

/// Letters that do not join the next letter: no ZWNJ is ever needed after them, so a
/// space after them is never a dropped ZWNJ.
fn is_non_joining(c: char) -> bool {
    matches!(
        c,
        'ا' | 'أ' | 'إ' | 'آ' | 'د' | 'ذ' | 'ر' | 'ز' | 'ژ' | 'و' | 'ؤ' | 'ة'
    )
}

/// Other spellings of a key the text may use: parts glued where a ZWNJ could have been
/// dropped (not for Arabic names), and for a hyphenated key its parts joined by spaces
/// (Nagorno-Karabakh, Nagorno Karabakh).
fn spelling_variants(key: &str, lang: &str) -> Vec<String> {
    let mut variants = if lang == "ar" {
        Vec::new()
    } else {
        glued_variants(key)
    };
    variants.extend(hyphen_variants(key));
    variants
}

/// A hyphenated key with each hyphen or space between letters or digits swapped for the
/// other: every combination for up to three places (only hyphenated keys, so that the
/// automaton does not grow for the many names without one).
fn hyphen_variants(key: &str) -> Vec<String> {
    let places: Vec<usize> = key
        .char_indices()
        .filter(|&(i, c)| {
            (c == ' ' || c == '-')
                && key[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
                && key[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        })
        .map(|(i, _)| i)
        .collect();
    if places.is_empty() || places.len() > 3 || !key.contains('-') {
        return Vec::new();
    }
    (1..(1u32 << places.len()))
        .map(|mask| {
            let mut out = key.to_string();
            for (bit, &at) in places.iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    let swapped = if &key[at..at + 1] == " " { "-" } else { " " };
                    out.replace_range(at..at + 1, swapped);
                }
            }
            out
        })
        .collect()
}

/// Spellings of a multi-part Arabic-script key with parts glued where a ZWNJ could have
/// been dropped (after a joining letter): every combination for up to three such
/// places, else only all glued.
fn glued_variants(key: &str) -> Vec<String> {
    let places: Vec<usize> = key
        .char_indices()
        .filter(|&(i, c)| {
            c == ' '
                && key[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| is_arabic_letter(p) && !is_non_joining(p))
                && key[i + 1..].chars().next().is_some_and(is_arabic_letter)
        })
        .map(|(i, _)| i)
        .collect();
    if places.is_empty() {
        return Vec::new();
    }
    let glue = |mask: u32| {
        let mut out = String::with_capacity(key.len());
        for (i, c) in key.char_indices() {
            let skip = places
                .iter()
                .position(|&p| p == i)
                .is_some_and(|bit| mask & (1 << bit) != 0);
            if !skip {
                out.push(c);
            }
        }
        out
    };
    if places.len() <= 3 {
        (1..(1u32 << places.len())).map(glue).collect()
    } else {
        vec![glue(u32::MAX)]
    }
}

/// The surname of a person's multi-part name (as written), when one can stand for the
/// person: the last part, or the last two when they form an Arabic compound (عبد
/// الناصر, نصر الله) and something comes before them; none after a particle (bin, al,
/// آل ...), for a regnal number (الثاني, III), or under three letters. The matcher
/// links it to the person after the full name unless the gazetteer lists surnames.
///
/// ```
/// use naql::matcher::surname_of;
/// assert_eq!(surname_of("ماریا زاخارووا"), Some("زاخارووا"));
/// assert_eq!(surname_of("حسن نصر الله"), Some("نصر الله"));
/// assert_eq!(surname_of("عبدالله الثاني"), None);
/// ```
pub fn surname_of(name: &str) -> Option<&str> {
    // A ZWNJ joins the parts of one word (گل‌محمدی): split at spaces only.
    let parts: Vec<(usize, &str)> = name
        .split(char::is_whitespace)
        .filter(|p| !p.is_empty())
        .map(|p| (p.as_ptr() as usize - name.as_ptr() as usize, p))
        .collect();
    if parts.len() < 2 {
        return None;
    }
    static KEYS: OnceLock<[Vec<String>; 4]> = OnceLock::new();
    let [particles, regnal, first, second] = KEYS.get_or_init(|| {
        [NAME_PARTICLES, REGNAL, COMPOUND_FIRST, COMPOUND_SECOND]
            .map(|list| list.iter().map(|p| name_key(p)).collect())
    });
    let is = |list: &[String], part: &str| list.contains(&name_key(part));
    let (mut at, last) = parts[parts.len() - 1];
    let (before_at, before) = parts[parts.len() - 2];
    if is(regnal, last) {
        return None;
    }
    if is(second, last) || is(first, before) {
        if parts.len() < 3 || is(particles, parts[parts.len() - 3].1) {
            return None;
        }
        at = before_at;
    } else if is(particles, before) || is(particles, last) || last.chars().count() < 3 {
        return None;
    }
    let surname = &name[at..];
    surname
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '\u{200C}')
        .then_some(surname)
}

/// Whether the key range `extent` (a person's name) is next to a word that makes it part
/// of a longer name: a particle before it (ابو, بن, da, van ...) or بن/bin after it.
fn part_of_longer_name(k: &str, extent: (usize, usize)) -> bool {
    static KEYS: OnceLock<[Vec<String>; 2]> = OnceLock::new();
    let [before, after] = KEYS.get_or_init(|| {
        [LONGER_NAME_BEFORE, LONGER_NAME_AFTER]
            .map(|list| list.iter().map(|p| name_key(p)).collect())
    });
    let separator = |c: char| c == ' ' || c == '-';
    let head = k[..extent.0].trim_end_matches(separator);
    let previous = head
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if head.len() < extent.0 && before.iter().any(|p| p == previous) {
        return true;
    }
    let tail = k[extent.1..].trim_start_matches(separator);
    let next = tail
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    tail.len() < k.len() - extent.1 && after.iter().any(|p| p == next)
}

/// Where the word holding key offset `at` starts, when what lies between is an Arabic
/// proclitic sequence.
fn proclitic_start(k: &str, at: usize) -> Option<usize> {
    let mut start = at;
    for (i, _) in k[..at].char_indices().rev() {
        if at - i > 8 {
            return None;
        }
        start = i;
        if is_word_boundary(k, i) {
            break;
        }
    }
    (start < at && is_word_boundary(k, start) && PROCLITICS.contains(&&k[start..at]))
        .then_some(start)
}

/// Where the word holding key offset `at` ends, when what follows is a glued Persian
/// plural ending.
fn persian_ending_end(k: &str, at: usize) -> Option<usize> {
    PERSIAN_ENDINGS
        .iter()
        .rev()
        .map(|ending| at + ending.len())
        .find(|&end| {
            end <= k.len() && k.is_char_boundary(end) && is_word_boundary(k, end) && {
                PERSIAN_ENDINGS.contains(&&k[at..end])
            }
        })
}

/// A Persian ending written after a ZWNJ right after the name (روسیه‌ای), as written.
fn ending_after_zwnj(text: &str, key: &Key, end: usize) -> String {
    let k = key.text.as_str();
    if !k[end..].starts_with(' ') {
        return String::new();
    }
    let space = key.original_range(end..end + 1);
    if &text[space.clone()] != "\u{200C}" {
        return String::new();
    }
    let rest = &k[end + 1..];
    let word_len = rest
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .chain(std::iter::once(rest.len()))
        .find(|&i| is_word_boundary(rest, i))
        .unwrap_or(rest.len());
    let word = &rest[..word_len];
    if PERSIAN_ENDINGS_AFTER_ZWNJ.contains(&word) {
        text[key.original_range(end + 1..end + 1 + word_len)].to_string()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_variants_only_after_joining_letters() {
        assert_eq!(glued_variants("قره باغ"), ["قرهباغ"]);
        assert_eq!(
            glued_variants("قره باغ كوهستاني"),
            ["قرهباغ كوهستاني", "قره باغكوهستاني", "قرهباغكوهستاني"]
        );
        // ر does not join: no ZWNJ after it, so no glued spelling.
        assert!(glued_variants("بندر عباس").is_empty());
        assert!(glued_variants("new york").is_empty());
    }

    #[test]
    fn hyphen_variants_only_for_hyphenated_keys() {
        assert_eq!(hyphen_variants("nagorno-karabakh"), ["nagorno karabakh"]);
        assert_eq!(
            hyphen_variants("bashar al-assad"),
            ["bashar-al-assad", "bashar al assad", "bashar-al assad"]
        );
        assert!(hyphen_variants("new york").is_empty());
        assert!(hyphen_variants("a - b").is_empty());
    }

    #[test]
    fn surnames_skip_particles_and_short_parts() {
        assert_eq!(surname_of("ماریا زاخارووا"), Some("زاخارووا"));
        assert_eq!(surname_of("Maria Zakharova"), Some("Zakharova"));
        assert_eq!(surname_of("تميم بن حمد آل ثاني"), None);
        assert_eq!(surname_of("putin"), None);
        assert_eq!(surname_of("xi li"), None);
        assert_eq!(surname_of("عبدالله الثاني"), None);
        assert_eq!(surname_of("Charles III"), None);
        assert_eq!(surname_of("عبد الله"), None);
        assert_eq!(surname_of("صلاح الدين"), None);
        assert_eq!(surname_of("حسن نصر الله"), Some("نصر الله"));
        assert_eq!(surname_of("جمال عبد الناصر"), Some("عبد الناصر"));
        assert_eq!(surname_of("سيف الإسلام القذافي"), Some("القذافي"));
        assert_eq!(surname_of("محمد بن عبد الله"), None);
        assert_eq!(surname_of("یحیی گل‌محمدی"), Some("گل‌محمدی"));
    }

    #[test]
    fn proclitics_and_endings() {
        let k = "والخارجيه بروسيا روسيا";
        assert_eq!(proclitic_start(k, "و".len()), Some(0));
        // The article is the name's own, never a stripped clitic (الخميس is not خميس).
        assert_eq!(proclitic_start(k, "وال".len()), None);
        let at = k.find("روسيا").unwrap();
        assert_eq!(proclitic_start(k, at), Some(at - "ب".len()));
        assert_eq!(proclitic_start("لبنان", "ل".len()), Some(0));
        assert_eq!(proclitic_start("سلبنان", "سل".len()), None);
        let k = "ايرانهاي ايراني";
        assert_eq!(persian_ending_end(k, "ايران".len()), Some("ايرانهاي".len()));
        let at = k.rfind("ايران").unwrap() + "ايران".len();
        assert_eq!(persian_ending_end(k, at), None);
    }
}
