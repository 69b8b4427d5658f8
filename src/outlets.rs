//! The news outlet a page names as the publisher or reporter of its (first) article.
//!
//! [`find_outlet`] looks in the first article, in this order:
//!
//! 1. a source credit line: `المصدر: الأسبوع`, `منبع: ایسنا`, `Source: Reuters`;
//! 2. a report lead at the start of a paragraph: `به گزارش راهبرد معاصر، ...` (the
//!    words up to the first comma, at most four of them: a gazetteer outlet, a single
//!    word, or words after a trigger such as `خبرگزاری`; not a reporter, `خبرنگار ما`);
//! 3. a dateline opening a body paragraph: `MOSCOW (Reuters) - ...`,
//!    `تهران- ایرنا- ...`;
//! 4. a byline line made of outlet names: `المناطق_واس` (the first outlet named), or a
//!    dateline line: `القاهرة (أ ش أ)`, `الرياض - واس`;
//! 5. a credit at the end of the last body paragraph: `... کشته شدند./ فارس`,
//!    `... (رويترز)` (at most three words).
//!
//! The name is linked to a `media` or `agency` entity of the gazetteers when one of its
//! names matches it exactly on the matching key. Outlet names that are also common
//! words (فارس, الأسبوع, المناطق) are ambiguous for the matcher, which wants a trigger
//! word before them; in these places the position is the trigger.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::document::Entity;
use crate::gazetteer::{name_key, EntityType, Gazetteer};
use crate::lang::Lang;
use crate::normalize::Key;
use crate::segment::{self, words};
use crate::zones::{CueKind, CueMatch, ParagraphZone, Zone, ZoneRules};

/// Names of the news outlets of a gazetteer (entities of subtype `media` or `agency`).
///
/// ```
/// use naql::gazetteer::{Gazetteer, GazetteerSource};
/// use naql::outlets::Outlets;
/// let (gazetteer, _) = Gazetteer::load(&naql::gazetteer::builtin());
/// let matcher = naql::matcher::Matcher::new(&gazetteer);
/// let outlets = Outlets::new(&gazetteer, |id| matcher.entity(id));
/// assert_eq!(outlets.lookup("الأسبوع").unwrap().id, "naql:media:al-osboa");
/// assert!(outlets.lookup("روسيا").is_none());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Outlets {
    by_key: HashMap<String, Arc<Entity>>,
    /// Keys of the gazetteers' organisation trigger words (خبرگزاری, وكالة, agency),
    /// which may stand before an outlet's name.
    triggers: Vec<String>,
}

impl Outlets {
    /// The outlets of `gazetteer`; `entity` gives the shared entity of an id (the
    /// matcher's, so that tables show one entity).
    pub fn new(gazetteer: &Gazetteer, entity: impl Fn(&str) -> Option<Arc<Entity>>) -> Outlets {
        let media: HashMap<&str, ()> = gazetteer
            .entities
            .iter()
            .filter(|e| matches!(e.subtype.as_str(), "media" | "agency"))
            .map(|e| (e.id.as_str(), ()))
            .collect();
        let mut by_key = HashMap::new();
        for name in &gazetteer.names {
            if !media.contains_key(name.id.as_str()) || by_key.contains_key(&name.key) {
                continue;
            }
            if let Some(entity) = entity(&name.id) {
                by_key.insert(name.key.clone(), entity);
            }
        }
        let mut triggers: Vec<String> = gazetteer
            .triggers
            .iter()
            .filter(|t| t.entity_type.is_none_or(|t| t == EntityType::Org))
            .map(|t| name_key(&t.word))
            .filter(|k| !k.is_empty())
            .collect();
        triggers.sort_by_key(|k| std::cmp::Reverse(k.len()));
        triggers.dedup();
        Outlets { by_key, triggers }
    }

    /// The outlet entity named exactly `name`, or `name` after a trigger word
    /// (`خبرگزاری ایرنا`), compared on the matching key.
    pub fn lookup(&self, name: &str) -> Option<&Arc<Entity>> {
        if self.by_key.is_empty() {
            return None;
        }
        let key = name_key(name);
        self.by_key.get(&key).or_else(|| {
            self.triggers.iter().find_map(|t| {
                let rest = key.strip_prefix(t.as_str())?.strip_prefix(' ')?;
                self.by_key.get(rest)
            })
        })
    }

    /// Whether `name` starts with a trigger word of an organisation.
    fn has_trigger(&self, name: &str) -> bool {
        let key = name_key(name);
        self.triggers.iter().any(|t| {
            key.strip_prefix(t.as_str())
                .is_some_and(|rest| rest.starts_with(' '))
        })
    }
}

/// An outlet named in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Outlet {
    /// Byte range of the name in the original text.
    pub range: Range<usize>,
    /// The gazetteer entity, when the name is one of a media or agency entity.
    pub entity: Option<Arc<Entity>>,
}

/// Most words of an outlet named in a report lead.
const LEAD_NAME_WORDS: usize = 4;
/// Most words of an outlet named in a source line.
const SOURCE_NAME_WORDS: usize = 6;
/// Most words of a credit at the end of the text.
const CREDIT_WORDS: usize = 3;

/// The outlet of the first article of a document whose zones are `zones` (see the
/// [module docs](self) for where it is looked for).
///
/// ```
/// use naql::outlets::{find_outlet, Outlets};
/// use naql::segment::Segmentation;
/// use naql::zones::ZoneRules;
/// use naql::Lang;
/// let text = "عنوان\nتاریخ انتشار: ۲۸ شهریور ۱۴۰۲\nبه گزارش ایسنا، وزیر گفت که مذاکره ادامه دارد.";
/// let seg = Segmentation::new(text);
/// let key = naql::normalize::key(text);
/// let rules = ZoneRules::builtin();
/// let zones = rules.zones(text, &key, Lang::Fa, &seg, None, &[]);
/// let outlet = find_outlet(text, &key, Lang::Fa, &zones, rules, &Outlets::default()).unwrap();
/// assert_eq!(&text[outlet.range], "ایسنا");
/// ```
pub fn find_outlet(
    text: &str,
    key: &Key,
    lang: Lang,
    zones: &[ParagraphZone],
    rules: &ZoneRules,
    outlets: &Outlets,
) -> Option<Outlet> {
    // Only the first article's zones are read.
    let cues: Vec<Option<CueMatch>> = zones
        .iter()
        .map(|z| {
            (z.article_index == 0)
                .then(|| rules.cue_at(text, key, z.range.clone(), lang))
                .flatten()
        })
        .collect();
    find_outlet_with_cues(text, key, lang, (zones, &cues), rules, outlets)
}

/// [`find_outlet`] with the cue at the start of each zone (see
/// [`ZoneRules::zones_with_cues`]), in the order of `zones`.
pub(crate) fn find_outlet_with_cues(
    text: &str,
    key: &Key,
    lang: Lang,
    (zones, zone_cues): (&[ParagraphZone], &[Option<CueMatch>]),
    rules: &ZoneRules,
    outlets: &Outlets,
) -> Option<Outlet> {
    debug_assert_eq!(zones.len(), zone_cues.len());
    let found = |range: Range<usize>| -> Outlet {
        let entity = outlets.lookup(&text[range.clone()]).cloned();
        Outlet { range, entity }
    };
    let cues: Vec<(&ParagraphZone, Option<CueMatch>)> = zones
        .iter()
        .zip(zone_cues)
        .filter(|(z, _)| z.article_index == 0)
        .map(|(z, cue)| (z, *cue))
        .collect();
    let first: Vec<&ParagraphZone> = cues.iter().map(|&(z, _)| z).collect();

    // 1. A source credit line.
    for (zone, cue) in &cues {
        if let (Zone::Byline, Some(cue)) = (zone.zone, cue) {
            if cue.kind == CueKind::Source {
                let name = trim_name(text, cue.end..zone.range.end);
                if !name.is_empty() && words(&text[name.clone()]).count() <= SOURCE_NAME_WORDS {
                    return Some(found(name));
                }
            }
        }
    }
    // 2. A report lead.
    for (zone, cue) in &cues {
        let Some(cue) = cue else { continue };
        if cue.kind != CueKind::Report || !matches!(zone.zone, Zone::Byline | Zone::Body) {
            continue;
        }
        let rest = &text[cue.end..zone.range.end];
        let stop = rest
            .find(['،', ',', ':', '؛', '(', '«', '"', '\n'])
            .unwrap_or(rest.len());
        let name = trim_name(text, cue.end..cue.end + stop);
        let n = words(&text[name.clone()]).count();
        // "به گزارش خبرنگار ما" names a reporter, not an outlet.
        let reporter = rules
            .cue_at(text, key, name.clone(), lang)
            .is_some_and(|c| c.kind == CueKind::Reporter);
        if !(1..=LEAD_NAME_WORDS).contains(&n) || reporter {
            continue;
        }
        let outlet = found(name.clone());
        if outlet.entity.is_some() || n == 1 || outlets.has_trigger(&text[name]) {
            return Some(outlet);
        }
    }
    // 3. A dateline: MOSCOW (Reuters) -
    for zone in first.iter().filter(|z| z.zone == Zone::Body).take(3) {
        if let Some(name) = dateline(text, zone.range.clone()) {
            return Some(found(name));
        }
    }
    // 4. A byline line of outlet names.
    for zone in first.iter().filter(|z| z.zone == Zone::Byline) {
        let body = &text[zone.range.clone()];
        if words(body).count() > CREDIT_WORDS + 1 {
            continue;
        }
        for part in parts(body, zone.range.start) {
            if outlets.lookup(&text[part.clone()]).is_some() {
                return Some(found(part));
            }
        }
        if let Some(agency) = crate::zones::dateline_agency(body) {
            let name = trim_name(
                text,
                zone.range.start + agency.start..zone.range.start + agency.end,
            );
            return Some(found(name));
        }
        if outlets.lookup(body.trim()).is_some() {
            return Some(found(trim_name(text, zone.range.clone())));
        }
    }
    // 5. A credit at the end of the text.
    let last_body = first.iter().rev().find(|z| z.zone == Zone::Body)?;
    let name = end_credit(text, last_body.range.clone())?;
    let outlet = found(name);
    let n = words(&text[outlet.range.clone()]).count();
    (outlet.entity.is_some() || (1..=CREDIT_WORDS).contains(&n)).then_some(outlet)
}

/// The byte ranges (offset by `base`) of the parts of a byline line between spaces,
/// underscores, slashes, bars and dashes.
fn parts(body: &str, base: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in body.char_indices().chain([(body.len(), ' ')]) {
        let separator = c.is_whitespace() || matches!(c, '_' | '/' | '|' | '-');
        match (separator, start) {
            (true, Some(s)) => {
                out.push(base + s..base + i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

/// `range` without surrounding spaces, colons, dashes and punctuation.
fn trim_name(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let is_edge = |c: char| !segment::is_alphanumeric(c);
    let start = range.start + (s.len() - s.trim_start_matches(is_edge).len());
    let end = range.start + s.trim_end_matches(is_edge).len();
    start..end.max(start)
}

/// The agency of a dateline opening a paragraph (`MOSCOW (Reuters) - ...`,
/// `تهران- ایرنا- ...`), at most three words long.
fn dateline(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let agency = crate::zones::dateline_agency(&text[range.clone()])?;
    let name = trim_name(text, range.start + agency.start..range.start + agency.end);
    (!name.is_empty() && words(&text[name.clone()]).count() <= CREDIT_WORDS).then_some(name)
}

/// A credit after a final `/` or in final brackets: `./ فارس`, `(رويترز)`. The slash
/// follows a space or sentence punctuation (not a date's `1402/06/28`), and the credit
/// starts with a letter.
fn end_credit(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let body = &text[range.clone()];
    let trimmed = body.trim_end();
    let (start, end) = if let Some(inner) = trimmed.strip_suffix(')') {
        (inner.rfind('(')? + 1, inner.len())
    } else {
        let slash = trimmed.rfind('/')?;
        let before = trimmed[..slash].chars().next_back();
        if !before.is_some_and(|c| c.is_whitespace() || matches!(c, '.' | '。' | '!' | '؟' | '?'))
        {
            return None;
        }
        (slash + 1, trimmed.len())
    };
    let name = trim_name(text, range.start + start..range.start + end);
    let first = text[name.clone()].chars().next()?;
    let n = words(&text[name.clone()]).count();
    (segment::is_alphabetic(first) && (1..=CREDIT_WORDS).contains(&n)).then_some(name)
}
