//! The matcher's entities, each made into an [`Entity`] the first time it is needed
//! when the gazetteer is large.
//!
//! A large gazetteer (a million people from Wikidata, say) has far more entities than a
//! corpus mentions. Read from a compiled file, its entities stay in the file's encoding,
//! a few dozen bytes each, until a mention or a lookup asks for one; making all of them
//! at start-up took a quarter of a second and about 150 MB more at the peak at a million
//! names (an `Arc<Entity>` and its four or five strings each). Up to
//! [`MADE_AT_START`] entities are all made at start-up instead, as most of them are
//! then mentioned anyway: made on first mention, a 100,000-entity gazetteer ran 2-8%
//! slower on the bench corpus. Every mention of an entity shares the one record made
//! for it.

use std::sync::{Arc, OnceLock};

use crate::document::Entity;
use crate::gazetteer::binary::{Damaged, Reader};
use crate::gazetteer::EntityType;

/// Gazetteers with up to this many entities have them all made at start-up.
pub(super) const MADE_AT_START: usize = 250_000;

/// Entities by number.
#[derive(Debug, Clone, Default)]
pub(super) struct Entities {
    made: Vec<OnceLock<Arc<Entity>>>,
    /// The compiled records of the entities not made at start-up, one after another
    /// (id, type, subtype, label, Wikidata id; checked when read), and where each
    /// starts. Empty when every entity was made up front.
    records: Records,
    starts: Vec<u32>,
    /// The entity types by their number in the records.
    types: &'static [EntityType],
}

impl Entities {
    /// Entities already made (compiling from a gazetteer).
    pub(super) fn made(entities: Vec<Arc<Entity>>) -> Entities {
        Entities {
            made: entities.into_iter().map(OnceLock::from).collect(),
            ..Entities::default()
        }
    }

    /// Reads `count` entity records (id, type number in `types`, subtype, label,
    /// Wikidata id), checking each, and returns them with their types; all are made
    /// now when there are at most `made_at_start`.
    pub(super) fn read(
        r: &mut Reader,
        count: usize,
        types: &'static [EntityType],
        made_at_start: usize,
    ) -> Result<(Entities, Vec<EntityType>), Damaged> {
        // First where each record starts and ends, then their strings checked: where
        // the records are valid UTF-8 as a whole (as records of strings under 128 bytes
        // are), each string needs only two boundary checks, not a validation of its
        // own; at a million entities that took 0.06 s of start-up.
        let section_start = r.position();
        let mut starts = Vec::with_capacity(count.min(1 << 24));
        let mut entity_types = Vec::with_capacity(count.min(1 << 24));
        for _ in 0..count {
            starts.push(u32::try_from(r.position() - section_start).map_err(|_| Damaged)?);
            entity_types.push(Record::skip(r, types)?);
        }
        let section = r.since(section_start);
        let text = simdutf8::basic::from_utf8(section).ok();
        let eager = count <= made_at_start;
        let mut made = Vec::with_capacity(if eager { count.min(1 << 24) } else { 0 });
        for &start in &starts {
            let record = Record::read(&mut reader_at(text, section, start).ok_or(Damaged)?, types)?;
            if eager {
                made.push(OnceLock::from(Arc::new(record.entity())));
            }
        }
        let entities = if eager {
            Entities {
                made,
                types,
                ..Entities::default()
            }
        } else {
            Entities {
                made: std::iter::repeat_with(OnceLock::new).take(count).collect(),
                records: match text {
                    Some(text) => Records::Text(text.to_string()),
                    None => Records::Bytes(section.to_vec()),
                },
                starts,
                types,
            }
        };
        Ok((entities, entity_types))
    }

    pub(super) fn len(&self) -> usize {
        self.made.len()
    }

    /// Entity `i`, made now if no one asked for it before.
    #[inline]
    pub(super) fn get(&self, i: usize) -> &Arc<Entity> {
        self.made[i].get_or_init(|| {
            let record = Record::read(&mut self.reader(i), self.types);
            Arc::new(record.expect(CHECKED).entity())
        })
    }

    /// Entity `i` if it has been made.
    #[inline]
    pub(super) fn made_already(&self, i: usize) -> Option<&Arc<Entity>> {
        self.made.get(i).and_then(OnceLock::get)
    }

    /// The slot of entity `i`, for prefetching.
    #[inline]
    pub(super) fn slot(&self, i: usize) -> &OnceLock<Arc<Entity>> {
        &self.made[i]
    }

    /// Asks the cache for where entity `i`'s record starts, when the entity is made on
    /// first use: the first of the two loads making it waits for (see
    /// [`Entities::prefetch_record`]). Only a hint.
    #[inline]
    pub(super) fn prefetch_start(&self, i: usize) {
        if let Some(start) = self.starts.get(i) {
            crate::scan::prefetch(start);
        }
    }

    /// Asks the cache for entity `i`'s record, when the entity is not made yet (its
    /// start, asked for earlier by [`Entities::prefetch_start`], is read): making it
    /// reads the record, a cache miss with a large gazetteer. Only a hint.
    #[inline]
    pub(super) fn prefetch_record(&self, i: usize) {
        let Some(&start) = self.starts.get(i) else {
            return;
        };
        let bytes = match &self.records {
            Records::Text(text) => text.as_bytes(),
            Records::Bytes(bytes) => bytes,
        };
        if let Some(byte) = bytes.get(start as usize) {
            crate::scan::prefetch(byte);
        }
    }

    /// The id of entity `i`, without making it.
    pub(super) fn id(&self, i: usize) -> &str {
        match self.made[i].get() {
            Some(entity) => &entity.id,
            None => self.reader(i).str().expect(CHECKED),
        }
    }

    /// A reader at the compiled record of an entity not made at start-up.
    fn reader(&self, i: usize) -> Reader<'_> {
        self.records.reader(self.starts[i]).expect(CHECKED)
    }
}

/// Compiled entity records, as text when they are valid UTF-8 as a whole.
#[derive(Debug, Clone)]
enum Records {
    Text(String),
    Bytes(Vec<u8>),
}

impl Default for Records {
    fn default() -> Self {
        Records::Bytes(Vec::new())
    }
}

impl Records {
    fn reader(&self, start: u32) -> Option<Reader<'_>> {
        match self {
            Records::Text(text) => reader_at(Some(text), text.as_bytes(), start),
            Records::Bytes(bytes) => reader_at(None, bytes, start),
        }
    }
}

/// A reader at byte `start` of compiled records (`text`, when they are valid UTF-8
/// as a whole), if it begins a character.
fn reader_at<'b>(text: Option<&'b str>, bytes: &'b [u8], start: u32) -> Option<Reader<'b>> {
    let start = start as usize;
    match text {
        Some(text) => text.get(start..).map(Reader::of_text),
        None => bytes.get(start..).map(Reader::new),
    }
}

const CHECKED: &str = "checked when read";

/// The fields of one compiled entity record.
struct Record<'b> {
    id: &'b str,
    entity_type: EntityType,
    subtype: &'b str,
    label: &'b str,
    wikidata: &'b str,
}

impl<'b> Record<'b> {
    /// Moves `r` past the record it is at, checking its lengths and type only, and
    /// returns the type.
    fn skip(r: &mut Reader<'b>, types: &[EntityType]) -> Result<EntityType, Damaged> {
        r.bytes_of()?;
        let entity_type = super::nth(types, r.u8()?)?;
        for _ in 0..3 {
            r.bytes_of()?;
        }
        Ok(entity_type)
    }

    /// Reads and checks the record `r` is at; its type is a number in `types`.
    fn read(r: &mut Reader<'b>, types: &[EntityType]) -> Result<Record<'b>, Damaged> {
        Ok(Record {
            id: r.str()?,
            entity_type: super::nth(types, r.u8()?)?,
            subtype: r.str()?,
            label: r.str()?,
            wikidata: r.str()?,
        })
    }

    fn entity(&self) -> Entity {
        Entity {
            id: self.id.into(),
            entity_type: self.entity_type.code(),
            subtype: self.subtype.into(),
            label: self.label.into(),
            wikidata: self.wikidata.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::binary::Writer;

    const TYPES: [EntityType; 3] = EntityType::ALL;

    fn records() -> Vec<u8> {
        let mut w = Writer::default();
        for (id, t, subtype, label, wikidata) in [
            ("t:ru", 2u8, "country", "Russia", "Q159"),
            ("t:mz", 0, "", "ماریا زاخارووا", ""),
        ] {
            w.str(id);
            w.u8(t);
            w.str(subtype);
            w.str(label);
            w.str(wikidata);
        }
        w.bytes
    }

    #[test]
    fn made_on_first_use_or_at_start_alike() {
        let bytes = records();
        let lazy = Entities::read(&mut Reader::new(&bytes), 2, &TYPES, 0)
            .unwrap()
            .0;
        let eager = Entities::read(&mut Reader::new(&bytes), 2, &TYPES, 2)
            .unwrap()
            .0;
        assert!(lazy.made_already(1).is_none());
        assert!(eager.made_already(1).is_some());
        // The id is read from the record without making the entity.
        assert_eq!(lazy.id(1), "t:mz");
        assert!(lazy.made_already(1).is_none());
        for i in 0..2 {
            assert_eq!(lazy.get(i), eager.get(i));
            assert_eq!(lazy.id(i), eager.id(i));
        }
        let ru = lazy.get(0);
        assert_eq!(
            (ru.id.as_str(), ru.entity_type, ru.subtype.as_str()),
            ("t:ru", TYPES[2].code(), "country")
        );
        assert_eq!(
            (ru.label.as_str(), ru.wikidata.as_str()),
            ("Russia", "Q159")
        );
        // One record per entity, shared by every use.
        assert!(Arc::ptr_eq(lazy.get(0), lazy.get(0)));
        assert!(Arc::ptr_eq(lazy.made_already(0).unwrap(), lazy.get(0)));
    }

    #[test]
    fn damaged_records_are_refused_when_read() {
        let mut bytes = records();
        // A type number out of range.
        let at = 4 + "t:ru".len();
        bytes[at] = 7;
        assert!(Entities::read(&mut Reader::new(&bytes), 2, &TYPES, 0).is_err());
        // A label that is not UTF-8.
        let mut bytes = records();
        let label = bytes.windows(6).position(|w| w == b"Russia").unwrap();
        bytes[label] = 0xFF;
        assert!(Entities::read(&mut Reader::new(&bytes), 2, &TYPES, 0).is_err());
        // Fewer records than counted.
        let bytes = records();
        assert!(Entities::read(&mut Reader::new(&bytes), 3, &TYPES, 0).is_err());
    }
}
