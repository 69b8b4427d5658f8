//! Output: the CSV tables, the JSONL record stream and the run manifest.
//!
//! Each table's columns are declared once here, with one function per table that
//! turns a result into cells; the CSV and JSONL writers share them, so the two formats
//! always carry the same fields under the same names.

mod csv_tables;
mod jsonl;
pub mod manifest;
mod paragraphs;
pub mod records;
mod staged;
mod writeback;
mod xlsx;

use std::cmp::Reverse;
use std::sync::Arc;

pub use csv_tables::{CsvOptions, CsvTables, Table, TABLE_FILES};
pub use jsonl::{JsonlRecords, RunRecord, RECORDS_FORMAT, RECORDS_FORMAT_VERSION};
pub use paragraphs::{Both, ParagraphTable, PARAGRAPHS_FILE};
pub use staged::Staged;
pub use xlsx::{XlsxTables, XLSX_FILE};

use crate::document::{CharCounter, CompactString, Document, Entity, Mention, Quote, Span};
use crate::pipeline::{Extraction, MentionTally, Outcome};
use crate::zones::Zone;

/// Code points of context kept on each side of a mention.
pub const CONTEXT_CHARS: usize = 40;

/// `documents.csv` columns.
pub const DOCUMENT_COLUMNS: &[&str] = &[
    "doc_id",
    "source",
    "lang",
    "title",
    "url",
    "published_at",
    "text_length",
    "text_bytes",
    "text_sha256",
    "input_encoding",
    "n_mentions",
    "n_quotes",
    "status",
    "error",
    "n_bidi_controls",
    "published_at_text",
    "published_calendar",
    "outlet",
    "outlet_entity_id",
];

/// `mentions.csv` columns.
pub const MENTION_COLUMNS: &[&str] = &[
    "doc_id",
    "mention_id",
    "start",
    "end",
    "byte_start",
    "byte_end",
    "text",
    "entity_id",
    "entity_type",
    "label",
    "matched_name",
    "name_lang",
    "match_kind",
    "clitic",
    "sentence_index",
    "context_left",
    "context_right",
    "zone",
    "article_index",
];

/// `entities.csv` columns.
pub const ENTITY_COLUMNS: &[&str] = &[
    "entity_id",
    "label",
    "entity_type",
    "subtype",
    "wikidata",
    "n_mentions",
    "n_docs",
    "n_demonyms",
    "n_mentions_other",
];

/// `quotes.csv` columns.
pub const QUOTE_COLUMNS: &[&str] = &[
    "doc_id",
    "quote_id",
    "quote_type",
    "start",
    "end",
    "byte_start",
    "byte_end",
    "text",
    "open_mark",
    "close_mark",
    "cue",
    "cue_start",
    "cue_end",
    "speaker_text",
    "speaker_start",
    "speaker_end",
    "speaker_mention_id",
    "speaker_entity_id",
    "speaker_label",
    "attribution_method",
    "confidence",
    "sentence_index",
    "lang",
    "zone",
    "article_index",
];

/// `paragraphs.csv` columns (written with `--paragraphs`).
pub const PARAGRAPH_COLUMNS: &[&str] = &[
    "doc_id",
    "paragraph_index",
    "start",
    "end",
    "byte_start",
    "byte_end",
    "zone",
    "article_index",
];

/// One table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Text borrowed from the result.
    Str(&'a str),
    /// Text made for the row (an error message).
    Owned(String),
    /// A document's item id, `<document>:<marker><number>` (`d1:m3`, `d1:q2`): written
    /// by each sink without making a string first, as every mention row has one.
    Id {
        /// The document's id.
        document: &'a str,
        /// The kind of item: `m` a mention, `q` a quote.
        marker: char,
        /// The item's number in the document, from 1.
        number: u64,
    },
    /// A count or offset.
    Int(u64),
    /// A score.
    Float(f32),
    /// No value: an empty CSV cell, JSON `null`.
    Null,
}

impl<'a> Cell<'a> {
    fn opt(value: Option<&'a str>) -> Cell<'a> {
        value.map_or(Cell::Null, Cell::Str)
    }

    fn int(value: usize) -> Cell<'a> {
        Cell::Int(value as u64)
    }

    /// The id of a document's mention number `index` (0-based): `<doc_id>:m<index + 1>`.
    fn mention_id(document: &'a str, index: usize) -> Cell<'a> {
        Cell::Id {
            document,
            marker: 'm',
            number: index as u64 + 1,
        }
    }
}

/// The `documents.csv` row of one outcome.
pub fn document_row<'a>(outcome: &'a Outcome, row: &mut Vec<Cell<'a>>) {
    row.clear();
    match outcome {
        Outcome::Done {
            document,
            extraction,
        } => {
            let meta = &document.meta;
            row.extend([
                Cell::Str(&document.id),
                Cell::Str(&meta.source),
                Cell::Str(extraction.lang.code()),
                Cell::opt(meta.title.as_deref()),
                Cell::opt(meta.url.as_deref()),
                Cell::opt(
                    meta.published_at
                        .as_deref()
                        .or(extraction.detected_published_at.as_deref()),
                ),
                Cell::int(extraction.text_length),
                Cell::int(document.text.len()),
                Cell::Str(&extraction.text_sha256),
                Cell::Str(&meta.input_encoding),
                Cell::int(extraction.mentions.len()),
                Cell::int(extraction.quotes.len()),
                Cell::Str("ok"),
                Cell::Null,
                Cell::int(extraction.n_bidi_controls),
                Cell::opt(extraction.published_at_text.as_deref()),
                Cell::opt(extraction.published_calendar),
                extraction
                    .outlet
                    .as_ref()
                    .map_or(Cell::Null, |o| Cell::Str(&document.text[o.range.clone()])),
                Cell::opt(
                    extraction
                        .outlet
                        .as_ref()
                        .and_then(|o| o.entity.as_deref())
                        .map(|e| e.id.as_str()),
                ),
            ]);
        }
        Outcome::Failed(failure) => {
            let meta = &failure.meta;
            row.extend([
                Cell::Str(&failure.id),
                Cell::Str(&meta.source),
                Cell::Str(failure.lang.code()),
                Cell::opt(meta.title.as_deref()),
                Cell::opt(meta.url.as_deref()),
                Cell::opt(meta.published_at.as_deref()),
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::opt(Some(meta.input_encoding.as_str()).filter(|e| !e.is_empty())),
                Cell::Int(0),
                Cell::Int(0),
                Cell::Str("error"),
                Cell::Owned(failure.error.to_string()),
                // n_bidi_controls, published_at_text, published_calendar, outlet,
                // outlet_entity_id
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
            ]);
        }
    }
}

/// The `mentions.csv` row of a document's mention number `index` (0-based).
pub fn mention_row<'a>(
    document: &'a Document,
    mention: &'a Mention,
    index: usize,
    row: &mut Vec<Cell<'a>>,
) {
    let (left, right) = context(&document.text, &mention.span);
    row.clear();
    row.extend([
        Cell::Str(&document.id),
        Cell::mention_id(&document.id, index),
        Cell::int(mention.span.start),
        Cell::int(mention.span.end),
        Cell::int(mention.span.byte_start),
        Cell::int(mention.span.byte_end),
        Cell::Str(mention.span.slice(&document.text)),
        Cell::Str(&mention.entity.id),
        Cell::Str(mention.entity.entity_type),
        Cell::Str(&mention.entity.label),
        Cell::Str(&mention.matched_name),
        Cell::Str(mention.name_lang),
        Cell::Str(mention.match_kind),
        Cell::Str(&mention.clitic),
        Cell::int(mention.sentence_index),
        Cell::Str(left),
        Cell::Str(right),
        Cell::Str(mention.zone.code()),
        Cell::int(mention.article_index),
    ]);
}

/// A document's mention rows, then its quote rows, each passed to `write` with the
/// table it belongs to ([`csv_tables::Table::Mentions`] or
/// [`csv_tables::Table::Quotes`]); `row` is reused.
pub(crate) fn result_rows<'a>(
    document: &'a Document,
    extraction: &'a Extraction,
    row: &mut Vec<Cell<'a>>,
    mut write: impl FnMut(csv_tables::Table, &[Cell<'a>]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mentions = &extraction.mentions;
    for (index, mention) in mentions.iter().enumerate() {
        warm_entities(mentions, index, |m| &m.entity, |e| [&e.id, &e.label]);
        mention_row(document, mention, index, row);
        write(csv_tables::Table::Mentions, row)?;
    }
    for index in 0..extraction.quotes.len() {
        quote_row(document, extraction, index, row);
        write(csv_tables::Table::Quotes, row)?;
    }
    Ok(())
}

/// Asks for the entity data of the rows a few ahead of `index` (`entity` gives a row's
/// entity, `strings` the strings its row reads): an entity's record and its strings sit
/// wherever the gazetteer put them, so with a large gazetteer each is a cache miss that
/// encoding the row would otherwise wait for. First the record's lines that hold the
/// strings (a record in an `Arc` takes two lines), then, once they have arrived, the
/// strings' first bytes: in the record for a string held in place, else where it
/// points. Only hints.
#[inline]
pub(super) fn warm_entities<'r, T, const N: usize>(
    rows: &'r [T],
    index: usize,
    entity: impl Fn(&'r T) -> &'r Entity,
    strings: impl Fn(&'r Entity) -> [&'r CompactString; N],
) {
    const AHEAD: usize = 4;
    if let Some(row) = rows.get(index + 2 * AHEAD) {
        for field in strings(entity(row)) {
            crate::scan::prefetch(field);
        }
    }
    if let Some(row) = rows.get(index + AHEAD) {
        for text in strings(entity(row)) {
            if let Some(byte) = text.as_bytes().first() {
                crate::scan::prefetch(byte);
            }
        }
    }
}

/// The `quotes.csv` row of a document's quote number `index` (0-based).
pub fn quote_row<'a>(
    document: &'a Document,
    extraction: &'a Extraction,
    index: usize,
    row: &mut Vec<Cell<'a>>,
) {
    let quote: &Quote = &extraction.quotes[index];
    let text = &document.text;
    let span_text = |span: Option<Span>| span.map_or(Cell::Null, |s| Cell::Str(s.slice(text)));
    let start = |span: Option<Span>| span.map_or(Cell::Null, |s| Cell::int(s.start));
    let end = |span: Option<Span>| span.map_or(Cell::Null, |s| Cell::int(s.end));
    let entity = quote.speaker_entity.as_deref();
    row.clear();
    row.extend([
        Cell::Str(&document.id),
        Cell::Id {
            document: &document.id,
            marker: 'q',
            number: index as u64 + 1,
        },
        Cell::Str(quote.quote_type),
        Cell::int(quote.span.start),
        Cell::int(quote.span.end),
        Cell::int(quote.span.byte_start),
        Cell::int(quote.span.byte_end),
        Cell::Str(quote.span.slice(text)),
        Cell::Str(quote.open_mark),
        Cell::Str(quote.close_mark),
        span_text(quote.cue),
        start(quote.cue),
        end(quote.cue),
        span_text(quote.speaker),
        start(quote.speaker),
        end(quote.speaker),
        quote
            .speaker_mention
            .map_or(Cell::Null, |m| Cell::mention_id(&document.id, m)),
        Cell::opt(entity.map(|e| e.id.as_str())),
        Cell::opt(entity.map(|e| e.label.as_str())),
        Cell::Str(quote.attribution_method),
        Cell::Float(quote.confidence),
        Cell::int(quote.sentence_index),
        Cell::Str(extraction.lang.code()),
        Cell::Str(quote.zone.code()),
        Cell::int(quote.article_index),
    ]);
}

/// The `paragraphs.csv` row of a document's zone entry number `index` (a paragraph, or
/// the part of one in a zone).
pub fn paragraph_row<'a>(
    document: &'a Document,
    extraction: &'a Extraction,
    index: usize,
    counter: &mut CharCounter<'_>,
    row: &mut Vec<Cell<'a>>,
) {
    let zone = &extraction.zones[index];
    let span = counter.span(zone.range.start, zone.range.end);
    row.clear();
    row.extend([
        Cell::Str(&document.id),
        Cell::int(zone.paragraph),
        Cell::int(span.start),
        Cell::int(span.end),
        Cell::int(span.byte_start),
        Cell::int(span.byte_end),
        Cell::Str(zone.zone.code()),
        Cell::int(zone.article_index),
    ]);
}

/// The `entities.csv` row of one entity and its counts.
pub fn entity_row<'a>(tally: &'a EntityTally, row: &mut Vec<Cell<'a>>) {
    let entity = &tally.entity;
    row.clear();
    row.extend([
        Cell::Str(&entity.id),
        Cell::Str(&entity.label),
        Cell::Str(entity.entity_type),
        Cell::Str(&entity.subtype),
        Cell::Str(&entity.wikidata),
        Cell::Int(tally.n_mentions),
        Cell::Int(tally.n_docs),
        Cell::Int(tally.n_demonyms),
        Cell::Int(tally.n_mentions_other),
    ]);
}

/// Counts of one entity over a run.
#[derive(Debug, Clone)]
pub struct EntityTally {
    /// The entity.
    pub entity: Arc<Entity>,
    /// Mentions in titles and bodies over all documents, demonyms excluded.
    pub n_mentions: u64,
    /// Documents with at least one such mention.
    pub n_docs: u64,
    /// Demonym mentions (روسی, الروسية, Russian), in any zone, counted apart.
    pub n_demonyms: u64,
    /// Mentions in the other zones (bylines, headlines, related links, tags,
    /// boilerplate), demonyms excluded.
    pub n_mentions_other: u64,
    last_doc: u64,
    /// The first 16 bytes of the entity's id as a number that orders as they do (see
    /// [`EntityTallies::sorted`]).
    id_prefix: u128,
    /// The place of the tally before it whose id has the same hash (see
    /// [`EntityTallies::by_id`]), or `u32::MAX`.
    same_hash: u32,
}

/// Entity counts gathered document by document.
#[derive(Debug, Default)]
pub struct EntityTallies {
    tallies: Vec<EntityTally>,
    /// The place of the last tally made for an id, by the id's hash ([`id_key`]); the
    /// others with that key follow from it (see [`EntityTally::same_hash`]). The ids
    /// themselves are the tallies' entities', not copies. A table whose slot can be
    /// asked for ahead, as `by_record`'s: with a large gazetteer most entities are new
    /// when first mentioned, and each one's slot is a cache miss.
    by_id: PlacesByAddress,
    /// Each tally's place by the address of the entity record it holds: the matcher
    /// gives every mention of an entity the same record, so most mentions are counted
    /// without reading the record's id, a cache miss with a large gazetteer. The tally
    /// keeps that record alive, so the address stays its own.
    by_record: PlacesByAddress,
    doc_number: u64,
}

impl EntityTallies {
    /// Tallies with room for `entities` entities (a run's gazetteer's count, the most
    /// it can mention), made at once: grown as entities turn up, the tallies and their
    /// tables were copied and rehashed at each doubling, and the memory of every smaller
    /// size was touched for the first time (over 100 MB with the 631,000 entities a
    /// million-name run mentions).
    /// Room not used is never touched.
    pub fn with_capacity(entities: usize) -> EntityTallies {
        EntityTallies {
            tallies: Vec::with_capacity(entities),
            by_id: PlacesByAddress::with_capacity(entities),
            by_record: PlacesByAddress::with_capacity(entities),
            doc_number: 0,
        }
    }

    /// Counts the mentions of one document.
    pub fn add(&mut self, mentions: &[Mention]) {
        self.add_each(mentions, |m| (&m.entity, m.match_kind, m.zone));
    }

    /// Counts the mentions of one document shed after rendering (see
    /// [`Outcome::shed`](crate::pipeline::Outcome::shed)).
    pub fn add_shed(&mut self, mentions: &[MentionTally]) {
        self.add_each(mentions, |m| (&m.entity, m.match_kind, m.zone));
    }

    /// Counts the mentions of one document, each given by its entity, match kind and
    /// zone.
    #[inline]
    fn add_each<T>(&mut self, mentions: &[T], parts: impl Fn(&T) -> (&Arc<Entity>, &str, Zone)) {
        self.doc_number += 1;
        // With a large gazetteer a mention's place in the table and its tally are each
        // a cache miss: the table's slot is asked for 2 * AHEAD mentions ahead, and the
        // tally AHEAD mentions ahead, when its slot has arrived and gives its place. A
        // record not counted yet is looked up by its id: the record is asked for AHEAD
        // mentions ahead, and the slot of its id AHEAD / 2 ahead, once the id is there
        // to hash.
        const AHEAD: usize = 4;
        let address = |m: &T| Arc::as_ptr(parts(m).0) as usize;
        // Whether mention `j`'s record was not counted yet when it was AHEAD ahead, at
        // `new[j % AHEAD]` (the first ones' unknown: no hint).
        let mut new = [false; AHEAD];
        for (i, mention) in mentions.iter().enumerate() {
            if let Some(ahead) = mentions.get(i + 2 * AHEAD) {
                self.by_record.prefetch(address(ahead));
            }
            if let Some(ahead) = mentions.get(i + AHEAD) {
                let place = self.by_record.get(address(ahead));
                match place {
                    Some(place) => crate::scan::prefetch(&self.tallies[place]),
                    None => crate::scan::prefetch(&**parts(ahead).0),
                }
                new[(i + AHEAD) % AHEAD] = place.is_none();
            }
            if let Some(ahead) = mentions.get(i + AHEAD / 2) {
                if new[(i + AHEAD / 2) % AHEAD] {
                    self.by_id.prefetch(id_key(&parts(ahead).0.id));
                }
            }
            let (entity, match_kind, zone) = parts(mention);
            let place = self.place(entity);
            self.count(place, match_kind, zone.is_article());
        }
    }

    /// Counts the mentions of one document, given as entity, `match_kind` and zone.
    pub fn add_document<'m>(
        &mut self,
        mentions: impl IntoIterator<Item = (&'m Arc<Entity>, &'m str, &'m str)>,
    ) {
        self.doc_number += 1;
        for (entity, match_kind, zone) in mentions {
            let place = self.place(entity);
            let in_article = Zone::parse(zone).is_none_or(Zone::is_article);
            self.count(place, match_kind, in_article);
        }
    }

    /// The place of `entity`'s tally, made if it is new.
    #[inline]
    fn place(&mut self, entity: &Arc<Entity>) -> usize {
        match self.by_record.get(Arc::as_ptr(entity) as usize) {
            Some(place) => place,
            None => self.place_of(entity),
        }
    }

    /// Counts one mention of the tally at `place` in the current document.
    #[inline]
    fn count(&mut self, place: usize, match_kind: &str, in_article: bool) {
        let tally = &mut self.tallies[place];
        if match_kind == "demonym" {
            tally.n_demonyms += 1;
        } else if !in_article {
            tally.n_mentions_other += 1;
        } else {
            tally.n_mentions += 1;
            if tally.last_doc != self.doc_number {
                tally.last_doc = self.doc_number;
                tally.n_docs += 1;
            }
        }
    }

    /// The place of `entity`'s tally found by id (an entity already counted under
    /// another record), or of a new tally holding this record.
    fn place_of(&mut self, entity: &Arc<Entity>) -> usize {
        let key = id_key(&entity.id);
        let mut same = self.by_id.get(key).map_or(u32::MAX, |place| place as u32);
        while same != u32::MAX {
            let tally = &self.tallies[same as usize];
            if tally.entity.id == entity.id {
                return same as usize;
            }
            same = tally.same_hash;
        }
        let place = self.tallies.len();
        let slot = u32::try_from(place)
            .ok()
            .filter(|&slot| slot != u32::MAX)
            .expect("fewer than 2^32 - 1 entities");
        let same_hash = self.by_id.replace(key, slot).unwrap_or(u32::MAX);
        self.tallies.push(EntityTally {
            entity: Arc::clone(entity),
            n_mentions: 0,
            n_docs: 0,
            n_demonyms: 0,
            n_mentions_other: 0,
            last_doc: 0,
            id_prefix: id_prefix(&entity.id),
            same_hash,
        });
        self.by_record.insert(Arc::as_ptr(entity) as usize, slot);
        place
    }

    /// The tallies, most mentioned first, then most demonyms, then most mentions
    /// outside the article, ties by entity id.
    pub fn sorted(&self) -> Vec<&EntityTally> {
        let mut sorted: Vec<&EntityTally> = self.tallies.iter().collect();
        sorted.sort_unstable_by(|a, b| entities_order(a, b));
        sorted
    }

    /// The tallies in the order of [`EntityTallies::sorted`], sorted where they lie:
    /// no memory besides theirs (a vector of keys and references to sort took 48 bytes
    /// a tally, 30 MB with a million names, fresh memory at the end of a run), and the
    /// rows then read the tallies one after another instead of following a reference
    /// to each, a cache miss with a large gazetteer.
    pub fn into_sorted(self) -> Vec<EntityTally> {
        let mut tallies = self.tallies;
        tallies.sort_unstable_by(entities_order);
        tallies
    }
}

/// The order of `entities.csv` (see [`EntityTallies::sorted`]). The counts and the first
/// bytes of the id are kept in each tally, so that comparing reads an id itself only
/// when those tie too: with a large gazetteer most tallies tie on their counts (one
/// mention), and following each to its id, wherever the entity lies in memory, took
/// most of the sort (631,000 tallies: 0.22 s). Each id has one tally (`by_id`), so the
/// order is total and an unstable sort gives it.
fn entities_order(a: &EntityTally, b: &EntityTally) -> std::cmp::Ordering {
    let key = |t: &EntityTally| {
        let counts = [t.n_mentions, t.n_demonyms, t.n_mentions_other];
        (Reverse(counts), t.id_prefix)
    };
    key(a)
        .cmp(&key(b))
        .then_with(|| a.entity.id.cmp(&b.entity.id))
}

/// Places (below `u32::MAX`) by nonzero addresses (or other keys: [`id_key`]), in a
/// table of open addressing with linear probing: unlike a hash map's, the slot an
/// address is looked up in can be asked of the cache ahead of the lookup
/// ([`PlacesByAddress::prefetch`]).
#[derive(Debug, Default)]
struct PlacesByAddress {
    /// (address, place), address 0 for an empty slot; a power of two many, at most
    /// half of them full.
    slots: Vec<(usize, u32)>,
    len: usize,
}

impl PlacesByAddress {
    /// A table that holds `places` places without growing.
    fn with_capacity(places: usize) -> PlacesByAddress {
        let size = places.saturating_mul(2).max(64).next_power_of_two();
        PlacesByAddress {
            slots: vec![(0, 0); size],
            len: 0,
        }
    }

    /// The slot where the search for `address` starts: the top bits of a
    /// multiplicative hash (Fibonacci hashing). The table has at least 64 slots.
    #[inline]
    fn home(&self, address: usize) -> usize {
        let bits = self.slots.len().trailing_zeros();
        let hash = (address as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (hash >> (64 - bits)) as usize
    }

    #[inline]
    fn get(&self, address: usize) -> Option<usize> {
        let (a, place) = self.slots[self.probe(address)?];
        (a == address).then_some(place as usize)
    }

    /// The slot holding `address`, or the empty slot where the search for it ends;
    /// `None` when the table has no slots.
    #[inline]
    fn probe(&self, address: usize) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = self.home(address);
        while self.slots[at].0 != 0 && self.slots[at].0 != address {
            at = (at + 1) & mask;
        }
        Some(at)
    }

    /// Asks the cache for the slot where the search for `address` starts.
    #[inline]
    fn prefetch(&self, address: usize) {
        if !self.slots.is_empty() {
            crate::scan::prefetch(&self.slots[self.home(address)]);
        }
    }

    /// Sets the place of `address` (in the table or not), returning the one it had.
    fn replace(&mut self, address: usize, place: u32) -> Option<u32> {
        match self.probe(address) {
            Some(at) if self.slots[at].0 == address => {
                Some(std::mem::replace(&mut self.slots[at].1, place))
            }
            _ => {
                self.insert(address, place);
                None
            }
        }
    }

    /// Adds `address`, which must not be in the table yet.
    fn insert(&mut self, address: usize, place: u32) {
        debug_assert!(address != 0 && self.get(address).is_none());
        if 2 * (self.len + 1) > self.slots.len() {
            let size = (2 * self.slots.len()).max(64);
            let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
            self.len = 0;
            for (a, p) in old.into_iter().filter(|&(a, _)| a != 0) {
                self.insert(a, p);
            }
        }
        // Not in the table: the search ends at an empty slot.
        let at = self.probe(address).expect("a table with room has slots");
        self.slots[at] = (address, place);
        self.len += 1;
    }
}

/// The hash of an entity's id in [`EntityTallies::by_id`]. The unit tests fold it to
/// one of three, so that the tallies of every test share hashes.
fn id_hash(id: &str) -> u64 {
    let hash = std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, id);
    if cfg!(test) {
        hash % 3
    } else {
        hash
    }
}

/// The key of `id` in [`EntityTallies::by_id`], a table of nonzero keys: its hash,
/// with a hash of 0 given the key of 1 (the ids of a key are told apart along the
/// chain of its tallies, as those of one hash are).
fn id_key(id: &str) -> usize {
    (id_hash(id) as usize).max(1)
}

/// The first 16 bytes of `id` (zeros after a shorter one) as a big-endian number:
/// two ids whose numbers differ are in the order of their numbers.
fn id_prefix(id: &str) -> u128 {
    let mut bytes = [0u8; 16];
    let n = id.len().min(16);
    bytes[..n].copy_from_slice(&id.as_bytes()[..n]);
    u128::from_be_bytes(bytes)
}

/// The text of a [`Cell::Id`]: `<document>:<marker><number>`.
pub(crate) fn item_id(document: &str, marker: char, number: u64) -> String {
    let mut digits = [0u8; 20];
    let number = decimal(number, &mut digits);
    let mut id = String::with_capacity(document.len() + 2 + number.len());
    id.push_str(document);
    id.push(':');
    id.push(marker);
    id.push_str(number);
    id
}

/// `x` with two decimals, exactly as `format!("{x:.2}")` writes it: the exact value
/// rounded half to even. Scores are a column of every quote row, and the formatting
/// machinery took some 900 instructions for each.
///
/// An f32 has 24 significant bits and 100 needs 7, so `x` times 100 is exact in an
/// f64, and rounding that product rounds the exact value. Digits are written into `buf`;
/// values of 10^15 and more, infinities and NaN go to the formatter.
pub(crate) fn fixed2(x: f32, buf: &mut [u8; 24]) -> std::borrow::Cow<'_, str> {
    let hundredths = (f64::from(x) * 100.0).abs().round_ties_even();
    if hundredths.is_nan() || hundredths >= 1e17 {
        return format!("{x:.2}").into();
    }
    let mut n = hundredths as u64;
    let mut at = buf.len();
    for place in 0.. {
        if place == 2 {
            at -= 1;
            buf[at] = b'.';
        }
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 && place >= 2 {
            break;
        }
    }
    if x.is_sign_negative() {
        at -= 1;
        buf[at] = b'-';
    }
    std::str::from_utf8(&buf[at..]).expect("ASCII").into()
}

/// `n` in decimal, written into `buf` (no formatting machinery: offsets are most of
/// the cells).
pub(crate) fn decimal(n: u64, buf: &mut [u8; 20]) -> &str {
    std::str::from_utf8(decimal_digits(n, buf)).expect("ASCII digits")
}

/// The ASCII digits of `n`, written into `buf`: [`decimal`] for a caller that wants
/// bytes, without checking that digits are UTF-8 (a cell encoder writes one for
/// every offset).
///
/// Two digits at a time, from a table of the hundred pairs: half the divisions.
pub(crate) fn decimal_digits(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    const PAIRS: [[u8; 2]; 100] = {
        let mut pairs = [[0; 2]; 100];
        let mut i = 0;
        while i < 100 {
            pairs[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
            i += 1;
        }
        pairs
    };
    let mut at = buf.len();
    while n >= 100 {
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[(n % 100) as usize]);
        n /= 100;
    }
    if n >= 10 {
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[n as usize]);
    } else {
        at -= 1;
        buf[at] = b'0' + n as u8;
    }
    &buf[at..]
}

/// Up to [`CONTEXT_CHARS`] code points of text on each side of `span`.
pub(super) fn context<'t>(text: &'t str, span: &Span) -> (&'t str, &'t str) {
    // Each block's first bytes are counted in one instruction where the processor has
    // POPCNT (x86-64 itself does not).
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("popcnt") {
        // SAFETY: the processor has POPCNT (asked above).
        return unsafe { context_popcnt(text, span) };
    }
    context_of(text, span)
}

/// [`context`] compiled with POPCNT.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn context_popcnt<'t>(text: &'t str, span: &Span) -> (&'t str, &'t str) {
    context_of(text, span)
}

/// The body of [`context`], inlined into each of its versions.
#[inline(always)]
fn context_of<'t>(text: &'t str, span: &Span) -> (&'t str, &'t str) {
    // Code points are counted by their first bytes (every byte that is not 10xxxxxx),
    // without decoding them: blocks of sixteen bytes are skipped while they hold fewer
    // first bytes than are still wanted, and in the block that holds the last one
    // wanted it is found among the block's bits; near the text's ends, byte by byte.
    let bytes = text.as_bytes();
    let starts_char = |b: u8| b & 0xC0 != 0x80;
    let block = |at: usize| {
        crate::scan::char_start_bits(bytes[at..at + 16].try_into().expect("sixteen bytes"))
    };
    let mut left_start = span.byte_start;
    let mut wanted = CONTEXT_CHARS;
    while wanted > 0 && left_start >= 16 {
        let mut starts = block(left_start - 16);
        let n = starts.count_ones() as usize;
        if n < wanted {
            wanted -= n;
            left_start -= 16;
            continue;
        }
        // The wanted-th first byte from the block's end.
        for _ in 1..wanted {
            starts &= !(1 << (31 - starts.leading_zeros()));
        }
        left_start = left_start - 16 + (31 - starts.leading_zeros()) as usize;
        wanted = 0;
    }
    while wanted > 0 && left_start > 0 {
        left_start -= 1;
        wanted -= usize::from(starts_char(bytes[left_start]));
    }
    // On the right, the first byte after the last one wanted ends the context.
    let mut right_end = span.byte_end;
    let mut wanted = CONTEXT_CHARS + 1;
    while wanted > 0 && right_end + 16 <= bytes.len() {
        let mut starts = block(right_end);
        let n = starts.count_ones() as usize;
        if n < wanted {
            wanted -= n;
            right_end += 16;
            continue;
        }
        for _ in 1..wanted {
            starts &= starts - 1;
        }
        right_end += starts.trailing_zeros() as usize;
        wanted = 0;
    }
    while wanted > 0 {
        match bytes.get(right_end) {
            Some(&b) if starts_char(b) && wanted == 1 => break,
            Some(&b) => {
                wanted -= usize::from(starts_char(b));
                right_end += 1;
            }
            None => break,
        }
    }
    (
        &text[left_start..span.byte_start],
        &text[span.byte_end..right_end],
    )
}

/// The two sample articles processed with the built-in gazetteers and quotes, as the
/// outcomes the sinks render; each has more than 20 mentions and 5 quotes.
#[cfg(test)]
pub(crate) fn sample_outcomes() -> Vec<Outcome> {
    use crate::gazetteer::CompiledGazetteer;
    use crate::pipeline::Pipeline;
    use crate::quotes::QuoteExtractor;

    let compiled = CompiledGazetteer::builtin().expect("the embedded gazetteers read");
    let quotes = QuoteExtractor::new(&compiled.gazetteer, &compiled.matcher);
    let pipeline = Pipeline::builder()
        .matcher(Arc::clone(&compiled.matcher))
        .quotes(Arc::new(quotes))
        .build();
    let samples = [
        include_str!("../../samples/fa_zakharova_karabakh.txt"),
        include_str!("../../samples/ar_zakharova_karabakh.txt"),
    ];
    samples
        .into_iter()
        .enumerate()
        .map(|(n, text)| {
            let document = Document::new(format!("d{n}"), text);
            let extraction = pipeline.process(&document);
            let (n_mentions, n_quotes) = (extraction.mentions.len(), extraction.quotes.len());
            assert!(n_mentions > 20 && n_quotes > 5, "{n_mentions} {n_quotes}");
            Outcome::Done {
                document,
                extraction,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_is_forty_code_points_each_side() {
        let text = format!("{}ماریا{}", "ا".repeat(50), "ب".repeat(45));
        let start = 50 * 2;
        let span = Span::from_bytes(&text, start, start + "ماریا".len());
        let (left, right) = context(&text, &span);
        assert_eq!(left.chars().count(), 40);
        assert_eq!(right.chars().count(), 40);
        let short = "x ماریا y";
        let span = Span::from_bytes(short, 2, 12);
        assert_eq!(context(short, &span), ("x ", " y"));
        let edges = "ماریا";
        let span = Span::from_bytes(edges, 0, edges.len());
        assert_eq!(context(edges, &span), ("", ""));
    }

    #[test]
    fn tallies_count_an_entity_once_whichever_record_its_mentions_hold() {
        let entity = |id: &str| {
            Arc::new(Entity {
                id: id.into(),
                entity_type: "PER",
                label: id.into(),
                ..Entity::default()
            })
        };
        // Two records of q1, as records read back from JSONL give.
        let (first, second, other) = (entity("q1"), entity("q1"), entity("q2"));
        let mut tallies = EntityTallies::default();
        tallies.add_document([(&first, "exact", "body"), (&other, "exact", "title")]);
        tallies.add_document([
            (&second, "exact", "body"),
            (&second, "demonym", "body"),
            (&first, "exact", "byline"),
        ]);
        drop(second);
        tallies.add_document([(&entity("q1"), "clitic", "body")]);
        let counts: Vec<(&str, [u64; 4])> = tallies
            .sorted()
            .iter()
            .map(|t| {
                let counts = [t.n_mentions, t.n_docs, t.n_demonyms, t.n_mentions_other];
                (t.entity.id.as_str(), counts)
            })
            .collect();
        assert_eq!(counts, [("q1", [3, 3, 1, 1]), ("q2", [1, 1, 0, 0])]);
        assert!(Arc::ptr_eq(&tallies.sorted()[0].entity, &first));
    }

    /// A new entity record with only an id and a type.
    fn record(id: String, entity_type: &'static str) -> Arc<Entity> {
        Arc::new(Entity {
            id: id.into(),
            entity_type,
            ..Entity::default()
        })
    }

    #[test]
    fn tallies_made_with_room_count_as_grown_ones_and_never_grow() {
        let records: Vec<Arc<Entity>> = (0..300)
            .map(|i| record(format!("e{i:03}"), "ORG"))
            .collect();
        let mut grown = EntityTallies::default();
        let mut made = EntityTallies::with_capacity(records.len());
        let (room, slots) = (made.tallies.capacity(), made.by_record.slots.len());
        assert!(room >= 300 && slots >= 600, "{room} {slots}");
        for chunk in records.chunks(7) {
            let mentions = || chunk.iter().map(|e| (e, "exact", "body"));
            grown.add_document(mentions());
            made.add_document(mentions());
        }
        let counts = |tallies: &EntityTallies| -> Vec<(String, u64, u64)> {
            let sorted = tallies.sorted();
            sorted
                .iter()
                .map(|t| (t.entity.id.to_string(), t.n_mentions, t.n_docs))
                .collect()
        };
        assert_eq!(counts(&made).len(), 300);
        assert_eq!(counts(&made), counts(&grown));
        // Neither the tallies nor the table of records moved.
        assert_eq!(made.tallies.capacity(), room);
        assert_eq!(made.by_record.slots.len(), slots);
        assert_eq!(made.by_record.len, 300);
    }

    #[test]
    fn tallies_tell_apart_ids_whose_hashes_are_the_same() {
        // The unit tests fold the ids' hashes to three (see `id_hash`): fifty ids, each
        // of two records, share them.
        let records: Vec<[Arc<Entity>; 2]> = (0..50)
            .map(|i| [(); 2].map(|_| record(format!("e{i:02}"), "LOC")))
            .collect();
        let mut tallies = EntityTallies::default();
        for (i, [a, b]) in records.iter().enumerate() {
            let mentions = (0..=i % 4).map(|k| (if k % 2 == 0 { a } else { b }, "exact", "body"));
            tallies.add_document(mentions);
        }
        for [_, b] in &records {
            tallies.add_document([(b, "demonym", "body")]);
        }
        let mut counts: Vec<(String, u64, u64)> = tallies
            .sorted()
            .iter()
            .map(|t| (t.entity.id.to_string(), t.n_mentions, t.n_demonyms))
            .collect();
        counts.sort();
        let expected: Vec<(String, u64, u64)> = (0..50)
            .map(|i| (format!("e{i:02}"), i as u64 % 4 + 1, 1))
            .collect();
        assert_eq!(counts, expected);
    }

    #[test]
    fn scores_have_two_decimals_as_the_formatter_writes_them() {
        let mut buf = [0u8; 24];
        // Every multiple of 1/200 up to 100 (the halves of a hundredth are the ties),
        // and the floats either side of each.
        for k in 0..20_000 {
            let x = k as f32 / 200.0;
            for x in [x, x.next_up(), x.next_down(), -x, -x.next_up()] {
                assert_eq!(fixed2(x, &mut buf), format!("{x:.2}"), "{x:e}");
            }
        }
        for x in [
            0.125,
            0.375,
            0.995,
            1e14,
            1e15,
            1e16,
            f32::MAX,
            f32::MIN_POSITIVE,
        ] {
            assert_eq!(fixed2(x, &mut buf), format!("{x:.2}"), "{x:e}");
        }
        for x in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            assert_eq!(fixed2(x, &mut buf), format!("{x:.2}"));
        }
        assert_eq!(fixed2(0.125, &mut buf), "0.12");
        assert_eq!(fixed2(-0.001, &mut buf), "-0.00");
    }

    proptest::proptest! {
        #[test]
        fn any_score_has_two_decimals_as_the_formatter_writes_them(x in proptest::num::f32::ANY) {
            let mut buf = [0u8; 24];
            proptest::prop_assert_eq!(fixed2(x, &mut buf), format!("{x:.2}"));
        }

        #[test]
        fn tallies_are_sorted_by_counts_then_id(
            // Ids sharing long beginnings, with letters of one to three bytes, so that
            // many tie on their first 16 bytes and some are a beginning of another.
            ids in proptest::collection::btree_set("(wikidata:Q|geonames:)[1ب€]{0,12}", 1..40),
            mentions in proptest::collection::vec((0usize..40, proptest::bool::ANY), 0..80),
        ) {
            let entities: Vec<Arc<Entity>> = ids
                .iter()
                .map(|id| Arc::new(Entity { id: id.as_str().into(), ..Entity::default() }))
                .collect();
            let mut tallies = EntityTallies::default();
            for (i, demonym) in mentions {
                let kind = if demonym { "demonym" } else { "exact" };
                tallies.add_document([(&entities[i % entities.len()], kind, "body")]);
            }
            let got: Vec<&str> = tallies.sorted().iter().map(|t| t.entity.id.as_str()).collect();
            let mut want: Vec<(Reverse<[u64; 3]>, &str)> = tallies
                .tallies
                .iter()
                .map(|t| {
                    let counts = [t.n_mentions, t.n_demonyms, t.n_mentions_other];
                    (Reverse(counts), t.entity.id.as_str())
                })
                .collect();
            want.sort();
            let want: Vec<&str> = want.into_iter().map(|(_, id)| id).collect();
            proptest::prop_assert_eq!(&got, &want);
            let want: Vec<String> = want.into_iter().map(String::from).collect();
            let in_place: Vec<String> = std::mem::take(&mut tallies)
                .into_sorted()
                .iter()
                .map(|t| t.entity.id.to_string())
                .collect();
            proptest::prop_assert_eq!(in_place, want);
        }

        #[test]
        fn places_are_found_by_the_address_they_were_added_with(
            addresses in proptest::collection::btree_set(1usize.., 0..300),
            others in proptest::collection::vec(1usize.., 0..20),
            stride in 0u32..16,
        ) {
            // Addresses as records lie, some a power of two apart (the same low bits).
            let addresses: Vec<usize> = addresses
                .into_iter()
                .map(|a| a.wrapping_shl(stride).max(1))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let mut table = PlacesByAddress::default();
            proptest::prop_assert_eq!(table.get(1), None);
            for (place, &address) in addresses.iter().enumerate() {
                table.insert(address, place as u32);
            }
            proptest::prop_assert!(table.slots.len() >= 2 * addresses.len());
            for (place, &address) in addresses.iter().enumerate() {
                proptest::prop_assert_eq!(table.get(address), Some(place));
            }
            for other in &others {
                let expected = addresses.iter().position(|a| a == other);
                proptest::prop_assert_eq!(table.get(*other), expected);
            }
            // Replaced, or added when new: each address ends with its last place.
            let mut last: std::collections::BTreeMap<usize, u32> = addresses
                .iter()
                .enumerate()
                .map(|(place, &address)| (address, place as u32))
                .collect();
            for (k, &key) in others.iter().chain(addresses.iter().step_by(3)).enumerate() {
                let place = 1000 + k as u32;
                proptest::prop_assert_eq!(table.replace(key, place), last.insert(key, place));
            }
            for (&key, &place) in &last {
                proptest::prop_assert_eq!(table.get(key), Some(place as usize));
            }
        }

        #[test]
        fn context_is_what_counting_characters_gives(
            text in "\\PC{0,100}|[a-z \u{627}-\u{64a}\u{20ac}]{0,300}",
            a in 0usize..300,
            b in 0usize..300,
        ) {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let n = chars.len();
            let (a, b) = (a.min(n), b.min(n));
            let (a, b) = (a.min(b), a.max(b));
            let offset = |i: usize| chars.get(i).map_or(text.len(), |&(o, _)| o);
            let span = Span::from_bytes(&text, offset(a), offset(b));
            let left = &text[offset(a.saturating_sub(CONTEXT_CHARS))..offset(a)];
            let right = &text[offset(b)..offset((b + CONTEXT_CHARS).min(n))];
            proptest::prop_assert_eq!(context(&text, &span), (left, right));
            proptest::prop_assert_eq!(context_of(&text, &span), (left, right));
        }
    }
}
