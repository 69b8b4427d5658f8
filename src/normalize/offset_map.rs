//! [`OffsetMap`]: from byte positions in a matching key back to the original text.

use std::ops::Range;

/// Maps byte positions of a matching key back to byte ranges of the original text; the
/// lookups are methods of [`Key`](super::Key), which holds the key text they also read.
///
/// # Groups
/// Every key byte belongs to a *group*: the original text behind one or more key
/// characters.
/// - one original character and the deleted marks after it (`بَ` → `ب`);
/// - one original character and the several key characters it expands to (`ﻷ` → `لا`);
///   all of them carry the same range;
/// - a run of spaces, ZWNJs and the characters deleted inside it (one key space).
///
/// Deleted characters that are not marks (tatweel, format and bidi controls) belong to
/// no group: they sit in the gaps between groups, so a span never starts or ends on one.
/// Both the start and the end of the groups are non-decreasing along the key.
///
/// # Representation
/// The key is cut into *runs*, each stored as one record:
/// - a verbatim run: key characters that each have the byte length of the original
///   character they stand for and follow it directly (kept characters, and folds such
///   as `ی` → `ي` or `A` → `a`), so key byte `k + d` is original byte `start + d` and
///   every character is a group of its own;
/// - one group whose original length differs from its key's (a folded digit, a ZWNJ
///   or a run of spaces, a letter and its marks, an expansion).
///
/// Most news text is verbatim runs broken by a few such groups, so the map holds a
/// record per break rather than an entry per key byte. A lookup from the key starts at
/// the run that holds the first byte of its 64-byte block (an index of one entry a
/// block) and steps over the runs that start before it in the block.
///
/// ```
/// use naql::normalize::key;
///
/// let original = "قره‌باغ كوهستانی";
/// let k = key(original);
/// assert_eq!(k.text, "قره باغ كوهستاني");
/// let at = k.text.find("باغ").unwrap();
/// let r = k.original_range(at..at + "باغ".len());
/// assert_eq!(&original[r], "باغ");
/// // The ZWNJ read as a space is the one break: before it, at it and after it.
/// assert_eq!(k.map.runs(), 3);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// Key bytes mapped: the key text's length.
    len: usize,
    /// In key order, each starting where the one before ends; the first at key byte 0.
    runs: Vec<Run>,
    /// For every [`BLOCK`] key bytes, the run holding the block's first byte: where a
    /// lookup starts walking, instead of searching all the runs.
    blocks: Vec<usize>,
}

/// Key bytes per entry of [`OffsetMap::blocks`].
const BLOCK: usize = 64;

/// One record of an [`OffsetMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    /// First key byte.
    key: usize,
    /// Original range: of the whole run when `verbatim`, else of its one group.
    start: usize,
    end: usize,
    /// Key bytes `key + d` are original bytes `start + d`, a group per character.
    verbatim: bool,
}

impl Run {
    /// The key byte after the run, for a verbatim run (its lengths agree).
    fn verbatim_end(&self) -> usize {
        self.key + (self.end - self.start)
    }
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
        self.len
    }

    /// True when the key is empty.
    ///
    /// ```
    /// assert!(naql::normalize::key("\u{200F}").map.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of records the map holds (see [Representation](Self#representation)).
    ///
    /// ```
    /// // Kept letters and a same-length fold (ی to ي) are one verbatim run.
    /// assert_eq!(naql::normalize::key("Tehran تهران ری").map.runs(), 1);
    /// ```
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    /// Removes every record, keeping the allocation.
    pub(crate) fn clear(&mut self) {
        self.len = 0;
        self.runs.clear();
        self.blocks.clear();
    }

    /// The index of the run holding key byte `at` (`at < len`): from the run of its
    /// block, a step for each run that starts in the block before `at`.
    fn run_index(&self, at: usize) -> usize {
        let Some(&from) = self.blocks.get(at / BLOCK) else {
            return self.runs.partition_point(|r| r.key <= at).saturating_sub(1);
        };
        let mut i = from;
        while self.runs.get(i + 1).is_some_and(|r| r.key <= at) {
            i += 1;
        }
        i
    }

    /// Fills [`blocks`](Self::blocks) once the runs are written.
    fn index_blocks(&mut self) {
        let mut i = 0;
        for block_start in (0..self.len).step_by(BLOCK) {
            while self.runs.get(i + 1).is_some_and(|r| r.key <= block_start) {
                i += 1;
            }
            self.blocks.push(i);
        }
    }

    /// The group of key byte `at` in run `index` (which holds it).
    fn group_in_run(&self, key: &str, index: usize, at: usize) -> Option<Range<usize>> {
        let run = self.runs.get(index)?;
        if !run.verbatim {
            return Some(run.start..run.end);
        }
        // A character of the key and its original have the same length here.
        let (first, last) = (run.key, run.verbatim_end());
        let mut a = at;
        while a > first && !key.is_char_boundary(a) {
            a -= 1;
        }
        let mut b = at + 1;
        while b < last && !key.is_char_boundary(b) {
            b += 1;
        }
        Some(run.start + (a - first)..run.start + (b - first))
    }

    /// See [`Key::group`](super::Key::group); `key` is the key text.
    pub(crate) fn group(&self, key: &str, at: usize) -> Option<Range<usize>> {
        if at >= self.len {
            return None;
        }
        self.group_in_run(key, self.run_index(at), at)
    }

    /// See [`Key::original_range`](super::Key::original_range).
    pub(crate) fn original_range(&self, key: &str, key_range: Range<usize>) -> Range<usize> {
        let end = key_range.end.min(self.len);
        let start = key_range.start.min(end);
        if start == end {
            let p = self.original_offset(key, start);
            return p..p;
        }
        let first_run = self.run_index(start);
        // Most ranges lie in one verbatim run, ends on character boundaries.
        if let Some(run) = self.runs.get(first_run) {
            if run.verbatim
                && end <= run.verbatim_end()
                && key.is_char_boundary(start)
                && key.is_char_boundary(end)
            {
                return run.start + (start - run.key)..run.start + (end - run.key);
            }
        }
        let last_run = self.run_index(end - 1);
        let (Some(first), Some(last)) = (
            self.group_in_run(key, first_run, start),
            self.group_in_run(key, last_run, end - 1),
        ) else {
            return 0..0;
        };
        first.start..last.end
    }

    /// See [`Key::original_offset`](super::Key::original_offset).
    pub(crate) fn original_offset(&self, key: &str, key_offset: usize) -> usize {
        if let Some(r) = self.group(key, key_offset) {
            return r.start;
        }
        self.runs.last().map_or(0, |r| r.end)
    }

    /// See [`Key::is_group_start`](super::Key::is_group_start).
    pub(crate) fn is_group_start(&self, key: &str, key_offset: usize) -> bool {
        if key_offset == 0 || key_offset == self.len {
            return true;
        }
        match (self.group(key, key_offset - 1), self.group(key, key_offset)) {
            (Some(a), Some(b)) => a.start != b.start,
            _ => false,
        }
    }

    /// See [`Key::key_offset`](super::Key::key_offset).
    pub(crate) fn key_offset(&self, key: &str, original_offset: usize) -> usize {
        // Group ends do not decrease along the key, so neither do the runs' ends.
        let i = self.runs.partition_point(|r| r.end <= original_offset);
        let Some(run) = self.runs.get(i) else {
            return self.len;
        };
        if !run.verbatim || original_offset < run.start {
            return run.key;
        }
        let mut at = run.key + (original_offset - run.start);
        while at > run.key && !key.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

/// Writes an [`OffsetMap`] while a key is made: the caller appends the key text and
/// says, at each character that is not copied as it is, what it became.
///
/// Characters the caller copies unchanged, or replaces with a character of the same
/// length, need no call: they extend the open verbatim run, which is written when
/// something else happens.
pub(crate) struct MapBuilder<'m> {
    map: &'m mut OffsetMap,
    /// Where the open verbatim run starts: in the key and in the original.
    open_key: usize,
    open_start: usize,
}

impl<'m> MapBuilder<'m> {
    /// Starts `map` afresh.
    pub(crate) fn new(map: &'m mut OffsetMap) -> Self {
        map.clear();
        MapBuilder {
            map,
            open_key: 0,
            open_start: 0,
        }
    }

    /// Writes the open verbatim run, which ends at key byte `key_len`.
    #[inline]
    fn close(&mut self, key_len: usize) {
        if key_len > self.open_key {
            self.map.runs.push(Run {
                key: self.open_key,
                start: self.open_start,
                end: self.open_start + (key_len - self.open_key),
                verbatim: true,
            });
        }
    }

    /// The next verbatim run starts at key byte `key_len`, original byte `original`.
    #[inline]
    fn reopen(&mut self, key_len: usize, original: usize) {
        self.open_key = key_len;
        self.open_start = original;
    }

    /// The key characters the caller appends next, from key byte `key_len`, stand for
    /// the original bytes `start..end` as one group.
    #[inline]
    pub(crate) fn group(&mut self, key_len: usize, start: usize, end: usize) {
        self.close(key_len);
        self.map.runs.push(Run {
            key: key_len,
            start,
            end,
            verbatim: false,
        });
    }

    /// After the group's key characters are appended (the key is `key_len` bytes).
    #[inline]
    pub(crate) fn group_done(&mut self, key_len: usize, end: usize) {
        self.reopen(key_len, end);
    }

    /// A deleted character that is not a mark, ending at original byte `end`: a gap.
    #[inline]
    pub(crate) fn gap(&mut self, key: &str, end: usize) {
        self.close(key.len());
        self.reopen(key.len(), end);
    }

    /// A deleted mark ending at original byte `end`: the group of the last key
    /// character (all of it, for an expansion) now ends there.
    pub(crate) fn mark(&mut self, key: &str, end: usize) {
        self.close(key.len());
        let Some(last) = self.map.runs.last() else {
            // Nothing before the mark: it lies in a gap.
            self.reopen(0, end);
            return;
        };
        if last.verbatim {
            let char_len = key.chars().next_back().map_or(1, char::len_utf8);
            self.split_last_bytes(key.len(), char_len, end);
        } else {
            let start = last.start;
            for run in self.map.runs.iter_mut().rev() {
                if run.verbatim || run.start != start {
                    break;
                }
                run.end = end;
            }
        }
        self.reopen(key.len(), end);
    }

    /// A space in the original, `start..end`, when the key already ends with a space:
    /// the last key byte's group now ends at `end`.
    pub(crate) fn extend_space(&mut self, key: &str, end: usize) {
        self.close(key.len());
        match self.map.runs.last_mut() {
            Some(run) if !run.verbatim && key.len() - run.key == 1 => run.end = end,
            Some(_) => self.split_last_bytes(key.len(), 1, end),
            // No key yet, so no space to extend (the caller's key ends with one).
            None => {}
        }
        self.reopen(key.len(), end);
    }

    /// Makes the last `n` key bytes (of `key_len`) a group of their own, from their
    /// original start to `end`.
    fn split_last_bytes(&mut self, key_len: usize, n: usize, end: usize) {
        let Some(last) = self.map.runs.last_mut() else {
            return;
        };
        let at = key_len - n;
        let start = if last.verbatim {
            last.start + (at - last.key)
        } else {
            last.start
        };
        if at == last.key {
            self.map.runs.pop();
        } else if last.verbatim {
            last.end = start;
        }
        self.map.runs.push(Run {
            key: at,
            start,
            end,
            verbatim: false,
        });
    }

    /// Writes the last verbatim run; the key is complete at `key_len` bytes.
    pub(crate) fn finish(mut self, key_len: usize) {
        self.close(key_len);
        self.map.len = key_len;
        self.map.index_blocks();
    }
}
