//! [`OffsetMap`]: from byte positions in a matching key back to the original text.

use std::ops::Range;

/// Maps byte positions of a matching key back to byte ranges of the original text.
///
/// # Representation
/// One entry per **key byte**: the original byte range `[start, end)` of the *group*
/// that produced the key character this byte belongs to. Lookups from the key are
/// therefore O(1) array reads, whatever byte offset the matcher holds.
///
/// A group is the original text behind one or more key characters:
/// - one original character and the deleted marks after it (`بَ` → `ب`);
/// - one original character and the several key characters it expands to (`ﻷ` → `لا`);
///   all of them carry the same range;
/// - a run of spaces, ZWNJs and the characters deleted inside it (one key space).
///
/// Deleted characters that are not marks (tatweel, format and bidi controls) belong to
/// no group: they sit in the gaps between groups, so a span never starts or ends on one.
///
/// Both `start` and `end` are non-decreasing along the key, and `start < end` for every
/// entry. Offsets are stored as `u32` (8 bytes per key byte) and as `u64` only for
/// texts longer than `u32::MAX` bytes.
///
/// ```
/// use naql::normalize::key;
///
/// let original = "قره‌باغ كوهستانی";
/// let k = key(original);
/// assert_eq!(k.text, "قره باغ كوهستاني");
/// let at = k.text.find("باغ").unwrap();
/// let r = k.map.original_range(at..at + "باغ".len());
/// assert_eq!(&original[r], "باغ");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    pub(crate) spans: Spans,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Spans {
    Narrow(Vec<[u32; 2]>),
    Wide(Vec<[u64; 2]>),
}

impl Default for Spans {
    fn default() -> Self {
        Spans::Narrow(Vec::new())
    }
}

/// The integer type of one stored offset.
pub(crate) trait Offset: Copy + PartialEq + PartialOrd {
    fn from_usize(n: usize) -> Self;
    fn to_usize(self) -> usize;
}

impl Offset for u32 {
    #[inline(always)]
    fn from_usize(n: usize) -> Self {
        // Only used for texts no longer than u32::MAX bytes (checked by the caller).
        n as u32
    }
    #[inline(always)]
    fn to_usize(self) -> usize {
        self as usize
    }
}

impl Offset for u64 {
    #[inline(always)]
    fn from_usize(n: usize) -> Self {
        n as u64
    }
    #[inline(always)]
    fn to_usize(self) -> usize {
        self as usize
    }
}

fn entry<O: Offset>(spans: &[[O; 2]], i: usize) -> Range<usize> {
    let [s, e] = spans[i];
    s.to_usize()..e.to_usize()
}

fn partition<O: Offset>(spans: &[[O; 2]], original_offset: usize) -> usize {
    spans.partition_point(|sp| sp[1].to_usize() <= original_offset)
}

impl OffsetMap {
    /// An empty map (for an empty key).
    ///
    /// ```
    /// let map = naql::normalize::OffsetMap::new();
    /// assert!(map.is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of key bytes mapped: always the byte length of the key text.
    ///
    /// ```
    /// let k = naql::normalize::key("Ёлка");
    /// assert_eq!(k.map.len(), k.text.len());
    /// ```
    pub fn len(&self) -> usize {
        match &self.spans {
            Spans::Narrow(v) => v.len(),
            Spans::Wide(v) => v.len(),
        }
    }

    /// True when the key is empty.
    ///
    /// ```
    /// assert!(naql::normalize::key("\u{200F}").map.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The original byte range of the group that produced the key byte at `key_offset`
    /// (see the type docs); `None` past the end of the key.
    ///
    /// ```
    /// let original = "مُحَمَّد";
    /// let k = naql::normalize::key(original);
    /// assert_eq!(k.text, "محمد");
    /// // The first key letter stands for م and the damma after it.
    /// let r = k.map.group(0).unwrap();
    /// assert_eq!(&original[r], "مُ");
    /// ```
    pub fn group(&self, key_offset: usize) -> Option<Range<usize>> {
        if key_offset >= self.len() {
            return None;
        }
        Some(match &self.spans {
            Spans::Narrow(v) => entry(v, key_offset),
            Spans::Wide(v) => entry(v, key_offset),
        })
    }

    /// The original byte range behind the key bytes `key_range`.
    ///
    /// For a range whose ends are key character boundaries this is the exact original
    /// text that produced those key characters: from the start of the first one's group
    /// to the end of the last one's group. Keying that original text again gives back
    /// `key[key_range]` whenever both ends are also [group starts](Self::is_group_start)
    /// (cutting through an expansion such as `ﷺ` can only give the whole group).
    ///
    /// An empty range maps to an empty range at [`original_offset`](Self::original_offset).
    /// Out-of-bounds ends are clamped to the key length; this never panics.
    ///
    /// ```
    /// let original = "بـــوتين";
    /// let k = naql::normalize::key(original);
    /// assert_eq!(k.text, "بوتين");
    /// assert_eq!(&original[k.map.original_range(0..k.text.len())], original);
    /// // "وتين" starts after the tatweels: they are not part of its span.
    /// assert_eq!(&original[k.map.original_range(2..k.text.len())], "وتين");
    /// ```
    pub fn original_range(&self, key_range: Range<usize>) -> Range<usize> {
        let len = self.len();
        let end = key_range.end.min(len);
        let start = key_range.start.min(end);
        if start == end {
            let p = self.original_offset(start);
            return p..p;
        }
        let (Some(first), Some(last)) = (self.group(start), self.group(end - 1)) else {
            return 0..0;
        };
        first.start..last.end
    }

    /// The original byte offset of a key position: the start of the group of the key byte
    /// at `key_offset`, or the end of the last group for the end of the key (clamped).
    ///
    /// ```
    /// let k = naql::normalize::key("\u{200F}Lavrov");
    /// assert_eq!(k.map.original_offset(0), 3);
    /// assert_eq!(k.map.original_offset(k.text.len()), 9);
    /// ```
    pub fn original_offset(&self, key_offset: usize) -> usize {
        if let Some(r) = self.group(key_offset) {
            return r.start;
        }
        match self.len() {
            0 => 0,
            n => self.group(n - 1).map_or(0, |r| r.end),
        }
    }

    /// True when a new group starts at key byte `key_offset` (and at `0` and the end of
    /// the key): a key span between two such positions round-trips exactly through
    /// [`original_range`](Self::original_range) and [`key`](super::key).
    ///
    /// ```
    /// let k = naql::normalize::key("ﻻ ب");
    /// assert_eq!(k.text, "لا ب");
    /// assert!(k.map.is_group_start(0));
    /// assert!(!k.map.is_group_start(2)); // inside the lam-alef ligature
    /// assert!(k.map.is_group_start(4));
    /// ```
    pub fn is_group_start(&self, key_offset: usize) -> bool {
        if key_offset == 0 || key_offset == self.len() {
            return true;
        }
        match (self.group(key_offset - 1), self.group(key_offset)) {
            (Some(a), Some(b)) => a.start != b.start,
            _ => false,
        }
    }

    /// The first key byte whose group ends after `original_offset`: the key position of
    /// an original position (binary search, O(log n)). An offset inside a group gives the
    /// group's first key byte; one in a gap gives the next key character; one past every
    /// group gives the key length.
    ///
    /// ```
    /// let original = "Сергей Лавров";
    /// let k = naql::normalize::key(original);
    /// let at = original.find("Лавров").unwrap();
    /// assert_eq!(&k.text[k.map.key_offset(at)..], "лавров");
    /// ```
    pub fn key_offset(&self, original_offset: usize) -> usize {
        match &self.spans {
            Spans::Narrow(v) => partition(v, original_offset),
            Spans::Wide(v) => partition(v, original_offset),
        }
    }

    /// Removes every entry, keeping the allocation.
    pub(crate) fn clear(&mut self) {
        match &mut self.spans {
            Spans::Narrow(v) => v.clear(),
            Spans::Wide(v) => v.clear(),
        }
    }
}
