//! A byte trie over the matcher's keys, walked from a given start offset.
//!
//! A gazetteer name can only start where a word starts (or right after an Arabic
//! proclitic), so the matcher does not need an Aho-Corasick automaton that follows every
//! byte of the text through failure links: it walks this trie from each possible start
//! and stops at the first byte no key continues with. Most walks end after one or two
//! bytes.
//!
//! The trie is four flat arrays in breadth-first order, so it is built in one pass over
//! the sorted keys and written to or read from a compiled gazetteer file as plain
//! little-endian integers. The children of node `n` are the nodes
//! `first[n]..first[n + 1]`, sorted by the byte on the edge into them (`labels`). A
//! node whose subtree holds a single key keeps the rest of that key as a tail
//! (`tails[tail_start[n]..tail_start[n + 1]]`) instead of a chain of one-child nodes,
//! which keeps a million-name trie near the size of its keys.

use std::collections::VecDeque;

/// No pattern ends at the node.
const NONE: u32 = u32::MAX;

/// A compiled set of byte strings (patterns), identified by their index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Trie {
    first: Vec<u32>,
    labels: Vec<u8>,
    output: Vec<u32>,
    tail_start: Vec<u32>,
    tails: Vec<u8>,
}

impl Trie {
    /// The trie of `keys`; key `i` is reported as pattern `i`. Keys must be distinct;
    /// empty keys are never reported.
    pub(crate) fn new<K: AsRef<[u8]>>(keys: &[K]) -> Trie {
        let mut order: Vec<u32> = (0..keys.len() as u32)
            .filter(|&i| !keys[i as usize].as_ref().is_empty())
            .collect();
        order.sort_unstable_by(|&a, &b| keys[a as usize].as_ref().cmp(keys[b as usize].as_ref()));
        let key = |i: usize| keys[order[i] as usize].as_ref();

        let mut trie = Trie::default();
        // Nodes waiting to be laid out, in id order: the range of sorted keys below the
        // node and its depth.
        let mut queue = VecDeque::from([(0usize, order.len(), 0usize)]);
        trie.labels.push(0);
        let mut next_id: u32 = 1;
        while let Some((mut lo, hi, depth)) = queue.pop_front() {
            let id = trie.output.len();
            trie.first.push(next_id);
            trie.tail_start.push(trie.tails.len() as u32);
            let mut output = NONE;
            if lo < hi && key(lo).len() == depth {
                output = order[lo];
                lo += 1;
            }
            if output == NONE && hi - lo == 1 && id != 0 {
                trie.tails.extend_from_slice(&key(lo)[depth..]);
                trie.output.push(order[lo]);
                continue;
            }
            trie.output.push(output);
            while lo < hi {
                let byte = key(lo)[depth];
                let mut end = lo + 1;
                while end < hi && key(end)[depth] == byte {
                    end += 1;
                }
                trie.labels.push(byte);
                queue.push_back((lo, end, depth + 1));
                next_id += 1;
                lo = end;
            }
        }
        trie.first.push(next_id);
        trie.tail_start.push(trie.tails.len() as u32);
        trie
    }

    /// Calls `found(pattern, end)` for every pattern that `text[start..]` begins with,
    /// shortest first.
    #[inline]
    pub(crate) fn walk(&self, text: &[u8], start: usize, mut found: impl FnMut(u32, usize)) {
        let mut node = 0usize;
        let mut at = start;
        loop {
            let (tail_lo, tail_hi) = (
                self.tail_start[node] as usize,
                self.tail_start[node + 1] as usize,
            );
            if tail_lo < tail_hi {
                let tail = &self.tails[tail_lo..tail_hi];
                if text[at..].starts_with(tail) {
                    found(self.output[node], at + tail.len());
                }
                return;
            }
            if self.output[node] != NONE {
                found(self.output[node], at);
            }
            let (lo, hi) = (self.first[node] as usize, self.first[node + 1] as usize);
            let Some(&byte) = text.get(at) else { return };
            match self.labels[lo..hi].binary_search(&byte) {
                Ok(i) => node = lo + i,
                Err(_) => return,
            }
            at += 1;
        }
    }

    /// Number of nodes.
    #[cfg(test)]
    pub(crate) fn node_count(&self) -> usize {
        self.output.len()
    }

    /// The arrays, for writing a compiled gazetteer.
    pub(crate) fn parts(&self) -> ([&[u32]; 3], [&[u8]; 2]) {
        (
            [&self.first, &self.output, &self.tail_start],
            [&self.labels, &self.tails],
        )
    }

    /// A trie from arrays written by [`Trie::parts`], checked so that no walk can index
    /// out of bounds or loop.
    pub(crate) fn from_parts(
        [first, output, tail_start]: [Vec<u32>; 3],
        [labels, tails]: [Vec<u8>; 2],
        patterns: usize,
    ) -> Result<Trie, &'static str> {
        let nodes = output.len();
        let sound = nodes >= 1
            && labels.len() == nodes
            && first.len() == nodes + 1
            && tail_start.len() == nodes + 1
            && first.windows(2).all(|w| w[0] <= w[1])
            && first[0] == 1
            && first[nodes] as usize == nodes
            && first[..nodes]
                .iter()
                .enumerate()
                .all(|(n, &f)| f as usize > n)
            && tail_start.windows(2).all(|w| w[0] <= w[1])
            && tail_start[nodes] as usize == tails.len()
            && output.iter().all(|&o| o == NONE || (o as usize) < patterns);
        if !sound {
            return Err("the compiled trie is inconsistent");
        }
        Ok(Trie {
            first,
            labels,
            output,
            tail_start,
            tails,
        })
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
    fn tails_are_compared_whole() {
        let trie = Trie::new(&["zakharova", "zelensky"]);
        assert_eq!(all(&trie, "zakharov", 0), []);
        assert_eq!(all(&trie, "zakharovas", 0), [(0, 9)]);
        assert_eq!(all(&trie, "zelensky", 0), [(1, 8)]);
    }

    #[test]
    fn parts_round_trip() {
        let trie = Trie::new(&["a", "ab", "b", "قره باغ"]);
        let ([f, o, t], [l, tails]) = trie.parts();
        let back = Trie::from_parts(
            [f.to_vec(), o.to_vec(), t.to_vec()],
            [l.to_vec(), tails.to_vec()],
            4,
        )
        .unwrap();
        assert_eq!(back, trie);
        assert!(Trie::from_parts(
            [f.to_vec(), o.to_vec(), t.to_vec()],
            [l.to_vec(), tails.to_vec()],
            2
        )
        .is_err());
        assert_eq!(Trie::new::<&str>(&[]).node_count(), 1);
    }
}
