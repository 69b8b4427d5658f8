//! A trie over the matcher's keys, walked from a given start offset.
//!
//! A gazetteer name can only start where a word starts (or right after an Arabic
//! proclitic), so the matcher does not need an Aho-Corasick automaton that follows every
//! byte of the text through failure links: it walks this trie from each possible start
//! and stops at the first character no key continues with. Most walks end after one or
//! two characters.
//!
//! The trie is over characters, not bytes: an edge is one character below U+10000 (a
//! 16-bit unit, its code point), so where the keys branch on a letter of Arabic script a
//! walk takes one node, and a byte trie could take two, one per byte (each a likely
//! cache miss in a large trie).
//! The rare characters above are one unit per byte (`0xD800` plus the byte: surrogate
//! code points are no characters, so these units never equal a character's), which
//! keeps every unit a whole number of bytes.
//!
//! The bytes that every key below a node goes on with (whole units) are the node's
//! tail, compared after the edge into it and before its output and children, instead
//! of a chain of one-child nodes: a walk touches one node per branching point rather
//! than one per character, and a million-name trie stays near the size of its keys.
//!
//! The trie is built in breadth-first order over the sorted keys, and written to or
//! read from a compiled gazetteer file as three flat arrays of little-endian integers
//! (nodes, the labels on the edges into them, tails; see [`Trie::parts`]). In memory
//! each node is one record in one byte array instead (see [`Record`]): its output, its
//! tail, its children's labels and where their records begin, side by side. A step of
//! a walk then reads one or two cache lines where the three arrays took three, each a
//! likely miss in a large trie.

use std::collections::VecDeque;

use crate::scan::prefetch;

/// No pattern ends at the node.
const NONE: u32 = u32::MAX;

/// An output is a pattern number in its low bits and a caller's tag (see
/// [`Trie::tag_outputs`]) in its top [`TAG_BITS`] bits.
const TAG_BITS: u32 = 3;
const TAG_SHIFT: u32 = 32 - TAG_BITS;
/// Pattern numbers must stay below this, so that no tagged output equals [`NONE`].
pub(crate) const MAX_PATTERNS: usize = (1 << TAG_SHIFT) - 1;

/// Characters below this (one or two UTF-8 bytes: ASCII, Latin, Greek, Cyrillic,
/// Hebrew, Arabic script) start a walk with one table lookup.
const TABLE_CHARS: usize = 0x800;

/// The unit a walk reads at byte `at` of `bytes` and its length in bytes: a character
/// below U+10000 is one unit, its code point; any other byte (of a longer character)
/// is one unit of its own, `0xD800` plus the byte. `None` at the end of `bytes`.
#[inline(always)]
fn unit_at(bytes: &[u8], at: usize) -> Option<(u16, usize)> {
    let &b0 = bytes.get(at)?;
    let byte_unit = (0xD800 | u16::from(b0), 1);
    Some(if b0 < 0x80 {
        (u16::from(b0), 1)
    } else if b0 & 0xE0 == 0xC0 {
        match bytes.get(at + 1) {
            Some(&b1) => ((u16::from(b0 & 0x1F) << 6) | u16::from(b1 & 0x3F), 2),
            None => byte_unit,
        }
    } else if b0 & 0xF0 == 0xE0 {
        match bytes.get(at + 1..at + 3) {
            Some(&[b1, b2]) => (
                (u16::from(b0 & 0x0F) << 12) | (u16::from(b1 & 0x3F) << 6) | u16::from(b2 & 0x3F),
                3,
            ),
            _ => byte_unit,
        }
    } else {
        byte_unit
    })
}

/// A node of the flat arrays a trie is built in and written as: its children are
/// `first..` the next node's `first` (sorted by the unit on the edge into them), its
/// tail is `tail..` the next node's `tail` in the tails.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Node {
    first: u32,
    tail: u32,
    output: u32,
}

/// The bytes of a record before its tail: its output (a little-endian u32), then the
/// length of its tail and its number of children (a little-endian u16 each)...
const HEADER: usize = 8;
/// ...unless either is [`LONG`] or more: then the tail's length is [`LONG`], and
/// both follow as little-endian u32s, in a header of [`LONG_HEADER`] bytes.
const LONG: usize = u16::MAX as usize;
const LONG_HEADER: usize = HEADER + 8;

/// Zero bytes after the last record, so that eight tail bytes or sixteen label bytes
/// read as one word never run past the end.
const PADDING: usize = 16;

/// A node's record in [`Trie::packed`], read: at `at`, the header (see [`HEADER`]),
/// then from `body` the tail, the labels of the children (a little-endian u16 each, in
/// order) and the offsets of their records (a little-endian u32 each). Records are in
/// breadth-first order, the root's at 0, so a child's record is after its parent's.
#[derive(Debug, Clone, Copy)]
struct Record {
    at: usize,
    body: usize,
    output: u32,
    tail: usize,
    children: usize,
}

impl Record {
    /// The bytes of the header of a node with a tail of `tail` bytes and `children`
    /// children.
    fn header_len(tail: usize, children: usize) -> usize {
        if tail < LONG && children < LONG {
            HEADER
        } else {
            LONG_HEADER
        }
    }

    fn tail_start(&self) -> usize {
        self.body
    }

    fn labels(&self) -> usize {
        self.body + self.tail
    }

    fn offsets(&self) -> usize {
        self.labels() + 2 * self.children
    }

    fn len(&self) -> usize {
        self.body - self.at + self.tail + 6 * self.children
    }
}

/// The little-endian u32 at `at` of `bytes`.
#[inline(always)]
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes"))
}

/// The little-endian u16 at `at` of `bytes`.
#[inline(always)]
fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

/// A compiled set of byte strings (patterns), identified by their index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Trie {
    /// The nodes' records (see [`Record`]), then [`PADDING`]. A node is named by the
    /// offset of its record.
    packed: Vec<u8>,
    /// The number of nodes.
    count: usize,
    /// The node reached by a first character below [`TABLE_CHARS`], or [`NONE`]: the
    /// root's children without a search.
    first_char: Vec<u32>,
    /// Two bits per pair of first units (see [`pair_bit`]), side by side so that one
    /// load reads both: the low one clear when no key begins with any pair of that
    /// bit, so a walk can end before it reads a node; the high one set when a key of
    /// one or two units may begin with such a pair, so the third unit does not matter.
    pairs: Vec<u64>,
    /// A bit per hash of three first units (see [`triple_bit`]): clear when no key
    /// begins with any three of that bit. Most walks that get past the pairs would
    /// end in the first nodes: `ال` begins many Arabic words and many phrases.
    triples: Vec<u64>,
}

/// The bits of [`Trie::triples`].
const TRIPLE_BITS: u32 = 17;

/// The bit of [`Trie::triples`] for a key or text beginning with the pair of bit
/// `pair` (see [`pair_bit`]) and then unit `third` (its low byte): a multiplicative
/// hash of the three low bytes.
#[inline(always)]
fn triple_bit(pair: usize, third: u16) -> usize {
    let bytes = ((pair as u32) << 8) | u32::from(third & 0xFF);
    (bytes.wrapping_mul(0x9E37_79B1) >> (32 - TRIPLE_BITS)) as usize
}

/// Whether bit `bit` of `bits` is set.
#[inline(always)]
fn has_bit(bits: &[u64], bit: usize) -> bool {
    bits[bit / 64] >> (bit % 64) & 1 != 0
}

/// The bit of [`Trie::pairs`] for a key or text beginning with units `first`, `second`:
/// their low bytes, which tell the letters of one script apart (Arabic letters are
/// U+0621 to U+064A). Pairs of different scripts may share a bit: a bit set for one
/// lets the other walk, as without the filter.
#[inline(always)]
fn pair_bit(first: u16, second: u16) -> usize {
    (usize::from(first & 0xFF) << 8) | usize::from(second & 0xFF)
}

impl Default for Trie {
    fn default() -> Trie {
        Trie::new::<&str>(&[])
    }
}

/// The eight bytes of `bytes` from `at` as a little-endian word, if there are eight.
#[inline]
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let word = bytes.get(at..at + 8)?;
    Some(u64::from_le_bytes(word.try_into().expect("eight bytes")))
}

/// How many leading bytes `a` and `b` share, in whole units.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut at = 0;
    while let Some((_, len)) = unit_at(a, at) {
        if b.get(at..at + len) != Some(&a[at..at + len]) {
            break;
        }
        at += len;
    }
    at
}

impl Trie {
    /// The trie of `keys`; key `i` is reported as pattern `i`. Keys must be distinct;
    /// empty keys are never reported.
    pub(crate) fn new<K: AsRef<str>>(keys: &[K]) -> Trie {
        assert!(keys.len() <= MAX_PATTERNS, "too many keys for a trie");
        let bytes = |i: u32| keys[i as usize].as_ref().as_bytes();
        let mut order: Vec<u32> = (0..keys.len() as u32)
            .filter(|&i| !bytes(i).is_empty())
            .collect();
        order.sort_unstable_by(|&a, &b| bytes(a).cmp(bytes(b)));
        let key = |i: usize| bytes(order[i]);

        let mut nodes = Vec::new();
        let mut labels = vec![0];
        let mut tails = Vec::new();
        // Nodes waiting to be laid out, in id order: the range of sorted keys below the
        // node and its depth.
        let mut queue = VecDeque::from([(0usize, order.len(), 0usize)]);
        let mut next_id: u32 = 1;
        while let Some((mut lo, hi, mut depth)) = queue.pop_front() {
            let id = nodes.len();
            let tail = tails.len() as u32;
            if id != 0 {
                // The bytes every key below the node goes on with (the keys are sorted:
                // the first and the last share what all share) become its tail.
                let common = common_prefix(&key(lo)[depth..], &key(hi - 1)[depth..]);
                tails.extend_from_slice(&key(lo)[depth..depth + common]);
                depth += common;
            }
            let mut node = Node {
                first: next_id,
                tail,
                output: NONE,
            };
            if lo < hi && key(lo).len() == depth {
                node.output = order[lo];
                lo += 1;
            }
            nodes.push(node);
            // The keys below go on with one unit each; those with the same one are
            // next to each other, but the units' order is not the bytes' (a byte unit
            // sorts before U+E000..U+FFFF), so the children are sorted by unit.
            let mut children = Vec::new();
            while lo < hi {
                let (unit, len) = unit_at(key(lo), depth).expect("a key goes on");
                let first = &key(lo)[depth..depth + len];
                let mut end = lo + 1;
                while end < hi && key(end)[depth..].starts_with(first) {
                    end += 1;
                }
                children.push((unit, lo, end, depth + len));
                lo = end;
            }
            children.sort_unstable_by_key(|&(unit, ..)| unit);
            for (unit, lo, end, depth) in children {
                labels.push(unit);
                queue.push_back((lo, end, depth));
                next_id += 1;
            }
        }
        nodes.push(Node {
            first: next_id,
            tail: tails.len() as u32,
            output: NONE,
        });
        Trie::with_table(&nodes, &labels, &tails).expect("a trie's records fit offsets of 32 bits")
    }

    /// Stores `tag(pattern)` (below `1 << TAG_BITS`) beside each output, for
    /// [`Trie::walk_all`] to report with it: what the caller checks first of every
    /// occurrence then comes with the node the walk has already read, not from another
    /// array.
    pub(crate) fn tag_outputs(&mut self, tag: impl Fn(u32) -> u8) {
        let mut at = 0;
        for _ in 0..self.count {
            let record = self.record(at as u32);
            if record.output != NONE {
                let pattern = record.output & MAX_PATTERNS as u32;
                let tag = tag(pattern);
                assert!(
                    u32::from(tag) < 1 << TAG_BITS,
                    "a trie tag has {TAG_BITS} bits"
                );
                let output = pattern | (u32::from(tag) << TAG_SHIFT);
                self.packed[at..at + 4].copy_from_slice(&output.to_le_bytes());
            }
            at += record.len();
        }
    }

    /// The trie of the flat arrays `nodes` (with a sentinel after the last), `labels`
    /// and `tails`, which must be sound (see [`Trie::from_parts`]); `None` when its
    /// records would not fit offsets of 32 bits.
    fn with_table(nodes: &[Node], labels: &[u16], tails: &[u8]) -> Option<Trie> {
        let packed = Trie::pack(nodes, labels, tails)?;
        let mut trie = Trie {
            packed,
            count: nodes.len() - 1,
            first_char: Vec::new(),
            pairs: Vec::new(),
            triples: Vec::new(),
        };
        let root = trie.record(0);
        trie.first_char = (0..TABLE_CHARS as u16)
            .map(|unit| trie.child(root, unit).unwrap_or(NONE))
            .collect();
        // The first pairs and triples of the keys, from the units that follow each child
        // of the root and then each of those. A key of one unit opens every pair of its
        // first, as any second unit may follow it; a key of two units opens its pair.
        let mut pairs = vec![0u64; (1 << 16) * 2 / 64];
        let mut triples = vec![0u64; (1 << TRIPLE_BITS) / 64];
        let set = |bits: &mut [u64], bit: usize| bits[bit / 64] |= 1 << (bit % 64);
        for k in 0..root.children {
            let (first, child) = (trie.label(root, k), trie.child_at(root, k));
            trie.following((child, 0), |second| match second {
                None => {
                    for second in 0..=0xFF {
                        set(&mut pairs, 2 * pair_bit(first, second));
                        set(&mut pairs, 2 * pair_bit(first, second) + 1);
                    }
                }
                Some((second, place)) => {
                    let pair = pair_bit(first, second);
                    set(&mut pairs, 2 * pair);
                    trie.following(place, |third| match third {
                        None => set(&mut pairs, 2 * pair + 1),
                        Some((third, _)) => set(&mut triples, triple_bit(pair, third)),
                    });
                }
            });
        }
        trie.pairs = pairs;
        trie.triples = triples;
        Some(trie)
    }

    /// The records of the flat arrays (see [`Trie::with_table`]), or `None` when they
    /// would not fit offsets of 32 bits.
    fn pack(nodes: &[Node], labels: &[u16], tails: &[u8]) -> Option<Vec<u8>> {
        let count = nodes.len() - 1;
        let size = |n: usize| {
            let (here, next) = (nodes[n], nodes[n + 1]);
            let (tail, children) = (
                (next.tail - here.tail) as usize,
                (next.first - here.first) as usize,
            );
            Record::header_len(tail, children) + tail + 6 * children
        };
        let mut offsets = Vec::with_capacity(count);
        let mut end = 0usize;
        for n in 0..count {
            offsets.push(u32::try_from(end).ok()?);
            end += size(n);
        }
        u32::try_from(end + PADDING).ok()?;
        let mut packed = vec![0u8; end + PADDING];
        for n in 0..count {
            let (here, next) = (nodes[n], nodes[n + 1]);
            let children = here.first as usize..next.first as usize;
            let tail = &tails[here.tail as usize..next.tail as usize];
            let record = &mut packed[offsets[n] as usize..][..size(n)];
            let header_len = Record::header_len(tail.len(), children.len());
            let (header, rest) = record.split_at_mut(header_len);
            let (tail_bytes, rest) = rest.split_at_mut(tail.len());
            let (label_bytes, offset_bytes) = rest.split_at_mut(2 * children.len());
            header[..4].copy_from_slice(&here.output.to_le_bytes());
            if header_len == HEADER {
                header[4..6].copy_from_slice(&(tail.len() as u16).to_le_bytes());
                header[6..8].copy_from_slice(&(children.len() as u16).to_le_bytes());
            } else {
                header[4..6].copy_from_slice(&(LONG as u16).to_le_bytes());
                header[8..12].copy_from_slice(&(tail.len() as u32).to_le_bytes());
                header[12..16].copy_from_slice(&(children.len() as u32).to_le_bytes());
            }
            tail_bytes.copy_from_slice(tail);
            for (to, label) in label_bytes
                .chunks_exact_mut(2)
                .zip(&labels[children.clone()])
            {
                to.copy_from_slice(&label.to_le_bytes());
            }
            for (to, offset) in offset_bytes.chunks_exact_mut(4).zip(&offsets[children]) {
                to.copy_from_slice(&offset.to_le_bytes());
            }
        }
        Some(packed)
    }

    /// The record of the node at offset `at`.
    #[inline(always)]
    fn record(&self, at: u32) -> Record {
        let at = at as usize;
        let header = &self.packed[at..at + HEADER];
        let output = u32_at(header, 0);
        let (tail, children) = (
            usize::from(u16_at(header, 4)),
            usize::from(u16_at(header, 6)),
        );
        if tail < LONG {
            return Record {
                at,
                body: at + HEADER,
                output,
                tail,
                children,
            };
        }
        Record {
            at,
            body: at + LONG_HEADER,
            output,
            tail: u32_at(&self.packed, at + HEADER) as usize,
            children: u32_at(&self.packed, at + HEADER + 4) as usize,
        }
    }

    /// The tail of `record`.
    fn tail(&self, record: Record) -> &[u8] {
        &self.packed[record.tail_start()..record.labels()]
    }

    /// The label of child `k` of `record`.
    #[inline(always)]
    fn label(&self, record: Record, k: usize) -> u16 {
        u16_at(&self.packed, record.labels() + 2 * k)
    }

    /// The node of child `k` of `record`.
    #[inline(always)]
    fn child_at(&self, record: Record, k: usize) -> u32 {
        u32_at(&self.packed, record.offsets() + 4 * k)
    }

    /// What follows a place in the trie, node `node` with `read` bytes of its tail
    /// read: `next(None)` when a key ends there, and `next(Some((unit, place)))` for
    /// each unit a key goes on with and the place after it.
    fn following(
        &self,
        (node, read): (u32, usize),
        mut next: impl FnMut(Option<(u16, (u32, usize))>),
    ) {
        let record = self.record(node);
        let tail = self.tail(record);
        if read < tail.len() {
            let (unit, len) = unit_at(tail, read).expect("a tail is whole units");
            next(Some((unit, (node, read + len))));
            return;
        }
        if record.output != NONE {
            next(None);
        }
        for k in 0..record.children {
            next(Some((self.label(record, k), (self.child_at(record, k), 0))));
        }
    }

    /// Whether some key may begin with unit `first` followed by the units at `next` of
    /// `text`: false only when none does (see [`Trie::pairs`] and [`Trie::triples`]);
    /// true at the text's end.
    #[inline(always)]
    fn may_begin(&self, text: &[u8], first: u16, next: usize) -> bool {
        let second = Trie::second_unit(text, next);
        second.is_none_or(|second| self.may_begin_with(text, first, second))
    }

    /// [`Trie::may_begin`] with the second unit and the offset after it known.
    #[inline(always)]
    fn may_begin_with(&self, text: &[u8], first: u16, (second, after): (u16, usize)) -> bool {
        let pair = pair_bit(first, second);
        let bits = self.pairs[pair / 32] >> (2 * (pair % 32)) & 0b11;
        if bits & 0b01 == 0 {
            return false;
        }
        if bits & 0b10 != 0 {
            return true;
        }
        unit_at(text, after)
            .is_none_or(|(third, _)| has_bit(&self.triples, triple_bit(pair, third)))
    }

    /// The node the edge labelled `unit` leads to from `record`, if any.
    #[inline(always)]
    fn child(&self, record: Record, unit: u16) -> Option<u32> {
        let n = record.children;
        // Most nodes have a few children: their labels are compared eight at once,
        // which takes a branch per eight where a binary search takes one per halving,
        // each as hard to predict as the text. Sixteen bytes from any label are in the
        // array: the offsets and at least the padding follow the labels.
        if n <= 32 {
            let mut k = 0;
            while k < n {
                let at = record.labels() + 2 * k;
                let block = self.packed[at..at + 16].try_into().expect("sixteen bytes");
                let in_node = (n - k).min(8);
                let mask = crate::scan::equal_units_8(block, unit) & ((1u32 << in_node) - 1);
                if mask != 0 {
                    return Some(self.child_at(record, k + mask.trailing_zeros() as usize));
                }
                k += 8;
            }
            return None;
        }
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.label(record, mid).cmp(&unit) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(self.child_at(record, mid)),
            }
        }
        None
    }

    /// Calls `found(pattern, end)` for every pattern that `text[start..]` begins with,
    /// shortest first. `start` must be a character boundary. For a small trie, which
    /// stays in cache; [`Trie::walk_all`] overlaps the cache misses of a large one.
    #[cfg(test)]
    pub(crate) fn walk(&self, text: &[u8], start: usize, found: impl FnMut(u32, usize)) {
        if let Some(entered) = self.enter_at(text, start) {
            self.walk_from(text, entered, found);
        }
    }

    /// The node a walk from `start` enters and the offset after the first unit, or
    /// `None` when no key begins with that unit.
    #[inline]
    pub(crate) fn enter_at(&self, text: &[u8], start: usize) -> Option<(u32, usize)> {
        let (node, at, _) = self.enter(text, start)?;
        Some((node, at))
    }

    /// [`Trie::walk`] on from the walk `entered` (see [`Trie::enter_at`] and
    /// [`Trie::entry`]).
    #[inline]
    pub(crate) fn walk_from(
        &self,
        text: &[u8],
        entered: (u32, usize),
        mut found: impl FnMut(u32, usize),
    ) {
        let mut walk = entered;
        let mut found = |output: u32, end| found(output & MAX_PATTERNS as u32, end);
        while let Some(next) = self.step(text, walk, &mut found) {
            walk = next;
        }
    }

    /// Calls `found(i, pattern, tag, end)` for every pattern that `text[starts[i]..]`
    /// begins with, for every `i`; for one `i` shortest first, but the starts
    /// interleaved. `tag` is the pattern's tag (see [`Trie::tag_outputs`]), else 0.
    ///
    /// The same as [`Trie::walk`] from each start in turn; see [`Trie::walk_entered`].
    pub(crate) fn walk_all(
        &self,
        text: &[u8],
        starts: &[usize],
        found: impl FnMut(usize, u32, u8, usize),
    ) {
        let mut walks = starts
            .iter()
            .enumerate()
            .filter_map(|(i, &start)| {
                let (node, at) = self.entry(text, start)?;
                Some((i as u32, node, at))
            })
            .collect();
        self.walk_entered(text, &mut walks, found);
    }

    /// The walk from `start` entered, when some key may begin there: the node its
    /// first unit leads to and the offset after that unit. `None` when no key begins
    /// with the first unit, or with the first two or three (see [`Trie::pairs`] and
    /// [`Trie::triples`]): a large trie's first node is likely a cache miss, and most
    /// walks would end in the first nodes, while the tables stay in cache.
    #[inline]
    pub(crate) fn entry(&self, text: &[u8], start: usize) -> Option<(u32, usize)> {
        let (node, at, first) = self.enter(text, start)?;
        self.may_begin(text, first, at).then_some((node, at))
    }

    /// [`Trie::entry`] for a start whose first character, code point `c`, the caller
    /// has decoded: `next` is the offset after it, and `second` the unit there with
    /// the offset after it (see [`Trie::second_unit`]), which the caller may ask of
    /// several tries.
    #[inline(always)]
    pub(crate) fn entry_of(
        &self,
        text: &[u8],
        start: usize,
        (c, next): (u32, usize),
        second: Option<(u16, usize)>,
    ) -> Option<(u32, usize)> {
        // A character below the table's end is one unit, its code point.
        match self.first_char.get(c as usize) {
            Some(&NONE) => None,
            Some(&node) => {
                let may = second.is_none_or(|second| self.may_begin_with(text, c as u16, second));
                may.then_some((node, next))
            }
            None => self.entry(text, start),
        }
    }

    /// The unit a walk reads at `at` of `text` and the offset after it, if any: the
    /// second of a walk whose first character ends there.
    #[inline(always)]
    pub(crate) fn second_unit(text: &[u8], at: usize) -> Option<(u16, usize)> {
        unit_at(text, at).map(|(unit, len)| (unit, at + len))
    }

    /// Calls `found(i, pattern, tag, end)` for every pattern a walk `(i, node, at)` of
    /// `walks` finds (its start entered, see [`Trie::entry`]); for one `i` shortest
    /// first, but the walks interleaved. `walks` is left empty, its room kept.
    ///
    /// The walks advance together, one node each per round: the nodes one round reads
    /// do not depend on each other, so their cache misses overlap instead of queueing
    /// one behind another (a walk through a large trie is a chain of dependent misses).
    pub(crate) fn walk_entered(
        &self,
        text: &[u8],
        walks: &mut Vec<(u32, u32, usize)>,
        mut found: impl FnMut(usize, u32, u8, usize),
    ) {
        // Each node's record is asked of the cache as soon as the walk's previous step
        // has found it, and read only after the other walks' steps: a step's branches
        // depend on its bytes, and a mispredicted branch waiting on a miss would stall
        // the other walks' loads behind it.
        for &(_, node, _) in walks.iter() {
            self.prefetch_record(node);
        }
        while !walks.is_empty() {
            let mut kept = 0;
            for w in 0..walks.len() {
                let (i, node, at) = walks[w];
                let found = |output: u32, end| {
                    let (pattern, tag) = (output & MAX_PATTERNS as u32, output >> TAG_SHIFT);
                    found(i as usize, pattern, tag as u8, end)
                };
                if let Some((node, at)) = self.step(text, (node, at), found) {
                    self.prefetch_record(node);
                    walks[kept] = (i, node, at);
                    kept += 1;
                }
            }
            walks.truncate(kept);
        }
    }

    /// Asks the cache for the line holding the start of the record of `node` and the
    /// next one: the header, and for most nodes the tail, the labels and the offsets.
    #[inline(always)]
    fn prefetch_record(&self, node: u32) {
        let at = node as usize;
        prefetch(&self.packed[at]);
        if let Some(next) = self.packed.get(at + 64) {
            prefetch(next);
        }
    }

    /// The node a walk from `start` begins at, the offset after the bytes that led
    /// there and the unit they are, or `None` when no key starts with the first
    /// character.
    #[inline]
    fn enter(&self, text: &[u8], start: usize) -> Option<(u32, usize, u16)> {
        let (unit, len) = unit_at(text, start)?;
        let node = match self.first_char.get(usize::from(unit)) {
            Some(&node) => node,
            None => self.child(self.record(0), unit).unwrap_or(NONE),
        };
        (node != NONE).then_some((node, start + len, unit))
    }

    /// One node of a walk: its tail compared, its output reported, and the child the
    /// next byte leads to with the offset after it, if the walk goes on.
    #[inline]
    fn step(
        &self,
        text: &[u8],
        (node, mut at): (u32, usize),
        mut found: impl FnMut(u32, usize),
    ) -> Option<(u32, usize)> {
        let record = self.record(node);
        let len = record.tail;
        if len > 0 {
            let from = record.tail_start();
            // Tails are mostly a few bytes: up to eight are compared as one word, with
            // one branch (the padding keeps eight bytes after any tail); longer ones
            // (and those at the very end of the text) a byte at a time, which still
            // beats a call to memcmp.
            let words = (len <= 8)
                .then(|| Some((word_at(&self.packed, from)?, word_at(text, at)?)))
                .flatten();
            let equal = match words {
                Some((tail, text)) => (tail ^ text) & (u64::MAX >> (64 - 8 * len)) == 0,
                None => {
                    let tail = &self.packed[from..from + len];
                    text.len() - at >= len && tail.iter().zip(&text[at..]).all(|(a, b)| a == b)
                }
            };
            if !equal {
                return None;
            }
            at += len;
        }
        if record.output != NONE {
            found(record.output, at);
        }
        let (unit, len) = unit_at(text, at)?;
        let child = self.child(record, unit)?;
        Some((child, at + len))
    }

    /// Number of nodes.
    #[cfg(test)]
    pub(crate) fn node_count(&self) -> usize {
        self.count
    }

    /// The flat arrays of the records (see [`Node`]): the nodes with a sentinel, the
    /// labels (the root's is 0) and the tails.
    fn unpack(&self) -> (Vec<Node>, Vec<u16>, Vec<u8>) {
        let mut nodes = Vec::with_capacity(self.count + 1);
        let mut labels = Vec::with_capacity(self.count);
        labels.push(0);
        let mut tails = Vec::new();
        let (mut at, mut first) = (0, 1);
        for _ in 0..self.count {
            let record = self.record(at as u32);
            nodes.push(Node {
                first,
                tail: tails.len() as u32,
                output: record.output,
            });
            tails.extend_from_slice(self.tail(record));
            labels.extend((0..record.children).map(|k| self.label(record, k)));
            first += record.children as u32;
            at += record.len();
        }
        nodes.push(Node {
            first,
            tail: tails.len() as u32,
            output: NONE,
        });
        (nodes, labels, tails)
    }

    /// The arrays, for writing a compiled gazetteer: the nodes (three little-endian
    /// u32 each, with the sentinel), the labels (a little-endian u16 each) and the
    /// tails.
    pub(crate) fn parts(&self) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let (nodes, labels, tails) = self.unpack();
        let nodes = nodes
            .iter()
            .flat_map(|n| {
                let output = if n.output == NONE {
                    NONE
                } else {
                    n.output & MAX_PATTERNS as u32
                };
                [n.first, n.tail, output]
            })
            .flat_map(u32::to_le_bytes)
            .collect();
        let labels = labels.iter().flat_map(|l| l.to_le_bytes()).collect();
        (nodes, labels, tails)
    }

    /// A trie from arrays written by [`Trie::parts`], checked so that no walk can index
    /// out of bounds or loop.
    pub(crate) fn from_parts(
        nodes: &[u8],
        [labels, tails]: [Vec<u8>; 2],
        patterns: usize,
    ) -> Result<Trie, &'static str> {
        if nodes.len() % 12 != 0 || labels.len() % 2 != 0 {
            return Err("the compiled trie is inconsistent");
        }
        let labels: Vec<u16> = labels
            .chunks_exact(2)
            .map(|l| u16::from_le_bytes([l[0], l[1]]))
            .collect();
        let int = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let nodes: Vec<Node> = nodes
            .chunks_exact(12)
            .map(|n| Node {
                first: int(&n[0..4]),
                tail: int(&n[4..8]),
                output: int(&n[8..12]),
            })
            .collect();
        let count = nodes.len().saturating_sub(1);
        let sound = count >= 1
            && patterns <= MAX_PATTERNS
            && labels.len() == count
            && nodes
                .windows(2)
                .all(|w| w[0].first <= w[1].first && w[0].tail <= w[1].tail)
            && nodes[0].first == 1
            && nodes[count].first as usize == count
            && nodes[..count]
                .iter()
                .enumerate()
                .all(|(n, node)| node.first as usize > n)
            && nodes[count].tail as usize == tails.len()
            && nodes
                .iter()
                .all(|n| n.output == NONE || (n.output as usize) < patterns);
        if !sound {
            return Err("the compiled trie is inconsistent");
        }
        Trie::with_table(&nodes, &labels, &tails).ok_or("the compiled trie is too large")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(trie: &Trie, text: &str, start: usize) -> Vec<(u32, usize)> {
        let mut out = Vec::new();
        trie.walk(text.as_bytes(), start, |p, end| out.push((p, end)));
        out
    }

    /// The keys `text[start..]` begins with, as (key number, end), shortest first: what
    /// a walk from `start` must find.
    fn starting_at(keys: &[&str], text: &str, start: usize) -> Vec<(u32, usize)> {
        let mut expected: Vec<(u32, usize)> = keys
            .iter()
            .enumerate()
            .filter(|(_, k)| !k.is_empty() && text[start..].starts_with(*k))
            .map(|(i, k)| (i as u32, start + k.len()))
            .collect();
        expected.sort_by_key(|&(_, end)| end);
        expected
    }

    #[test]
    fn finds_every_key_that_starts_at_the_offset() {
        let keys = ["روس", "روسيا", "روسيه", "a", "ab", "abc", "b", ""];
        let trie = Trie::new(&keys);
        assert_eq!(
            all(&trie, "روسيا ", 0),
            [(0, "روس".len()), (1, "روسيا".len())]
        );
        assert_eq!(
            all(&trie, "xروسيه", 1),
            [(0, 1 + "روس".len()), (2, 1 + "روسيه".len())]
        );
        assert_eq!(all(&trie, "abd", 0), [(3, 1), (4, 2)]);
        assert_eq!(all(&trie, "abc", 0), [(3, 1), (4, 2), (5, 3)]);
        assert_eq!(all(&trie, "abc", 1), [(6, 2)]);
        assert_eq!(all(&trie, "abc", 3), []);
        assert_eq!(all(&trie, "c", 0), []);
    }

    #[test]
    fn walking_together_finds_what_walking_in_turn_finds() {
        let keys = [
            "روس",
            "روسيا",
            "روسيه",
            "a",
            "ab",
            "abc",
            "b",
            "bc",
            "قره باغ",
            "€",
        ];
        let mut trie = Trie::new(&keys);
        trie.tag_outputs(|p| (p % 8) as u8);
        let text = "abc روسيا قره باغ bc €";
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let mut together = Vec::new();
        trie.walk_all(text.as_bytes(), &starts, |i, p, tag, end| {
            assert_eq!(u32::from(tag), p % 8);
            together.push((starts[i], p, end))
        });
        together.sort();
        let mut in_turn = Vec::new();
        for &start in &starts {
            trie.walk(text.as_bytes(), start, |p, end| {
                in_turn.push((start, p, end))
            });
        }
        in_turn.sort();
        assert_eq!(together, in_turn);
        assert_eq!(together.len(), 11);
    }

    proptest::proptest! {
        /// Keys over a few letters, many of them, so that nodes have up to 100
        /// children (searched eight labels at a time, or by halving) and tails of
        /// every length: every walk finds exactly the keys the text starts with.
        #[test]
        fn walks_find_exactly_the_keys_the_text_starts_with(
            keys in proptest::collection::btree_set("[a-c]{0,11}|[\\x21-\\x7e][a-c]{0,3}", 0..300),
            text in "[a-c\\x21-\\x7e]{0,24}",
        ) {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let trie = Trie::new(&keys);
            for start in 0..=text.len() {
                proptest::prop_assert_eq!(all(&trie, &text, start), starting_at(&keys, &text, start));
            }
        }

        /// Walking together, which asks the table of first pairs before each walk,
        /// finds exactly the keys the text starts with at every start, in a trie built
        /// from the keys and in one read from its compiled parts: with keys of one
        /// letter (any second letter may follow) and letters of two scripts whose pairs
        /// share a bit (`A` U+0041 and `ف` U+0641; `B` and `ق` U+0642).
        #[test]
        fn walks_together_find_exactly_the_keys_the_text_starts_with(
            keys in proptest::collection::btree_set("[ABفق ]{1,4}", 0..40),
            text in "[ABفقx ]{0,16}",
        ) {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let built = Trie::new(&keys);
            let (nodes, labels, tails) = built.parts();
            let read = Trie::from_parts(&nodes, [labels, tails.to_vec()], keys.len()).unwrap();
            let starts: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let mut expected: Vec<(usize, u32, usize)> = starts
                .iter()
                .flat_map(|&start| starting_at(&keys, &text, start).into_iter().map(move |(p, end)| (start, p, end)))
                .collect();
            expected.sort();
            for trie in [&built, &read] {
                let mut together = Vec::new();
                trie.walk_all(text.as_bytes(), &starts, |i, p, _, end| together.push((starts[i], p, end)));
                together.sort();
                proptest::prop_assert_eq!(&together, &expected);
            }
        }
    }

    #[test]
    fn first_pairs_are_those_the_keys_begin_with() {
        let trie = Trie::new(&["ab", "فق", "c", "de", "dfg"]);
        let begins = |text: &str| {
            let (unit, len) = unit_at(text.as_bytes(), 0).unwrap();
            trie.may_begin(text.as_bytes(), unit, len)
        };
        assert!(begins("ab") && begins("فق") && begins("de") && begins("df"));
        // A key of one unit: any second unit.
        assert!(begins("cx") && begins("c"));
        assert!(!begins("ax") && !begins("dx") && !begins("فف") && !begins("ex"));
        // `A` `B` share the bit of `ف` `ق`: let through, as without the table.
        assert!(begins("AB"));
    }

    #[test]
    fn first_triples_are_those_the_keys_begin_with() {
        // `ا` has a tail of one unit (`ل`), then children `ر` and `و`; `a` has no tail,
        // its children `b` (a key, with children `c` and `d`) and `y` (a key); `m` has
        // a tail of three units (`nop`); `xy` is a key with a longer one after it, `q`
        // a key of one unit.
        let keys = [
            "الرئيس",
            "الوزير",
            "ab",
            "abc",
            "abd",
            "ay",
            "mnop",
            "xy",
            "xyz",
            "q",
        ];
        let trie = Trie::new(&keys);
        let begins = |text: &str| {
            let (unit, len) = unit_at(text.as_bytes(), 0).unwrap();
            trie.may_begin(text.as_bytes(), unit, len)
        };
        assert!(begins("الر") && begins("الو") && begins("abc") && begins("abd"));
        assert!(begins("mno") && begins("xyz"));
        assert!(!begins("الم") && !begins("ااو") && !begins("mnx"));
        // The text ends after two units, or a key of two units is there: any third.
        assert!(begins("ال") && begins("abx") && begins("ayz") && begins("xyw") && begins("qrs"));
        // The first pair alone already rules out.
        assert!(!begins("xzy") && !begins("bab") && !begins("mx"));
        // With the third unit, the pair `ال` stops for every third letter from `ء` to
        // `ي` (42) but the keys' two: none of the others shares their bits.
        let stopped = ('\u{0621}'..='\u{064A}')
            .filter(|&c| !begins(&format!("ال{c}")))
            .count();
        assert_eq!(stopped, 42 - 2);
    }

    #[test]
    fn tails_are_compared_whole() {
        let trie = Trie::new(&["zakharova", "zelensky"]);
        assert_eq!(all(&trie, "zakharov", 0), []);
        assert_eq!(all(&trie, "zakharovas", 0), [(0, 9)]);
        assert_eq!(all(&trie, "zelensky", 0), [(1, 8)]);
    }

    #[test]
    fn tails_of_a_long_key_have_a_long_header() {
        // The node after `xy` has a tail of 69,999 bytes, too long for a short header;
        // the records after it (`z`'s) must still be found, and tagged.
        let long = format!("x{}", "y".repeat(70_000));
        let keys = [long.as_str(), "xz", "q"];
        let mut trie = Trie::new(&keys);
        trie.tag_outputs(|pattern| pattern as u8 + 1);
        assert_eq!(all(&trie, &long, 0), [(0, long.len())]);
        assert_eq!(all(&trie, &long[..long.len() - 1], 0), []);
        let text = format!("{long} xz q");
        let starts = [0, long.len() + 1, long.len() + 4];
        let mut found = Vec::new();
        trie.walk_all(text.as_bytes(), &starts, |i, p, tag, end| {
            found.push((i, p, tag, end))
        });
        found.sort();
        let expected = [
            (0, 0, 1, long.len()),
            (1, 1, 2, long.len() + 3),
            (2, 2, 3, text.len()),
        ];
        assert_eq!(found, expected);
        let (nodes, labels, tails) = trie.parts();
        let back = Trie::from_parts(&nodes, [labels, tails], keys.len()).unwrap();
        assert_eq!(all(&back, &long, 0), [(0, long.len())]);
        assert_eq!(all(&back, "xz", 0), [(1, 2)]);
    }

    #[test]
    fn shared_runs_are_one_node() {
        // Root, the node of "kavikvik " (tail "avikvik "), and one leaf per surname.
        let trie = Trie::new(&["kavikvik ashlen", "kavikvik bro"]);
        assert_eq!(trie.node_count(), 4);
        assert_eq!(all(&trie, "kavikvik ashlen", 0), [(0, 15)]);
        assert_eq!(all(&trie, "kavikvik bro.", 0), [(1, 12)]);
        assert_eq!(all(&trie, "kavikvik a", 0), []);
        assert_eq!(all(&trie, "kavikvi", 0), []);
        // A key that ends where the shared run ends is reported before the longer ones.
        let trie = Trie::new(&["abc", "abcdef", "abcdxy"]);
        assert_eq!(all(&trie, "abcdef", 0), [(0, 3), (1, 6)]);
        assert_eq!(all(&trie, "abcdxy", 0), [(0, 3), (2, 6)]);
        assert_eq!(all(&trie, "abcd", 0), [(0, 3)]);
        assert_eq!(all(&trie, "ab", 0), []);
    }

    #[test]
    fn parts_round_trip() {
        let trie = Trie::new(&["a", "ab", "b", "قره باغ"]);
        let (nodes, l, tails) = trie.parts();
        let back = Trie::from_parts(&nodes, [l.clone(), tails.to_vec()], 4).unwrap();
        assert_eq!(back, trie);
        assert!(Trie::from_parts(&nodes, [l.to_vec(), tails.to_vec()], 2).is_err());
        assert!(Trie::from_parts(&nodes[12..], [l.to_vec(), tails.to_vec()], 4).is_err());
        assert!(Trie::from_parts(&nodes[1..], [l.to_vec(), tails.to_vec()], 4).is_err());
        assert!(Trie::from_parts(&nodes, [l[1..].to_vec(), tails.to_vec()], 4).is_err());
        assert_eq!(Trie::new::<&str>(&[]).node_count(), 1);
    }

    #[test]
    fn first_character_table_agrees_with_the_unit_walk() {
        // One key per first character leads into a tail at once (ر, x); several share
        // first characters (ع, عب); € is three bytes, 𝔸 four (four units).
        let keys = ["رضا", "عباس", "عبد", "علي", "xy", "ß", "ßa", "€uro", "𝔸b"];
        let trie = Trie::new(&keys);
        for text in ["رضا", "عباس عبد", "علي", "xy", "ßa", "€uro", "ر", "x", "𝔸b"]
        {
            let mut slow = Vec::new();
            let mut node = 0;
            let bytes = text.as_bytes();
            // Reference: the walk from the root, without the table.
            let mut at = 0;
            loop {
                let record = trie.record(node);
                let tail = trie.tail(record);
                if !bytes[at..].starts_with(tail) {
                    break;
                }
                at += tail.len();
                if record.output != NONE {
                    slow.push((record.output, at));
                }
                match unit_at(bytes, at).and_then(|(u, len)| Some((trie.child(record, u)?, len))) {
                    Some((child, len)) => {
                        node = child;
                        at += len;
                    }
                    None => break,
                }
            }
            assert_eq!(all(&trie, text, 0), slow, "{text}");
        }
        assert_eq!(all(&trie, "ßa", 0), [(5, 2), (6, 3)]);
        assert_eq!(all(&trie, "𝔸b", 0), [(8, 5)]);
    }

    #[test]
    fn a_letter_of_arabic_script_is_one_node() {
        // Root, ا (tail لم) and one node for each of ب ت ن. A byte trie has a node
        // more: ب and ت share their first byte, which ن does not.
        let keys = ["المب", "المت", "المن"];
        let trie = Trie::new(&keys);
        assert_eq!(trie.node_count(), 5);
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(all(&trie, key, 0), [(i as u32, key.len())]);
        }
    }

    #[test]
    fn units_are_whole_characters_below_u10000_and_bytes_above() {
        assert_eq!(unit_at(b"a", 0), Some((0x61, 1)));
        assert_eq!(unit_at("ا".as_bytes(), 0), Some((0x627, 2)));
        assert_eq!(unit_at("€".as_bytes(), 0), Some((0x20AC, 3)));
        assert_eq!(unit_at("\u{FFFD}".as_bytes(), 0), Some((0xFFFD, 3)));
        let four = "𝔸".as_bytes();
        assert_eq!(unit_at(four, 0), Some((0xD800 | 0xF0, 1)));
        assert_eq!(unit_at(four, 3), Some((0xD800 | u16::from(four[3]), 1)));
        assert_eq!(unit_at(four, 4), None);
    }

    proptest::proptest! {
        /// Keys of characters one to four bytes long, with units on both sides of the
        /// byte units (U+0041, U+0627, U+20AC, U+FDF2, U+FFFD, U+1D538, U+1F600): every
        /// walk from every character finds exactly the keys the text starts with, and
        /// walking together finds the same.
        #[test]
        fn walks_over_characters_of_every_length(
            keys in proptest::collection::btree_set("[aبا€ﷲ\u{FFFD}𝔸😀😁]{0,6}", 0..60),
            text in "[aبا€ﷲ\u{FFFD}𝔸😀😁 ]{0,16}",
        ) {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let trie = Trie::new(&keys);
            let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            let mut in_turn = Vec::new();
            for &start in &starts {
                let found = all(&trie, &text, start);
                proptest::prop_assert_eq!(&found, &starting_at(&keys, &text, start));
                in_turn.extend(found.into_iter().map(|(p, end)| (start, p, end)));
            }
            let mut together = Vec::new();
            trie.walk_all(text.as_bytes(), &starts, |i, p, _, end| together.push((starts[i], p, end)));
            together.sort();
            in_turn.sort();
            proptest::prop_assert_eq!(together, in_turn);
        }
    }
}
