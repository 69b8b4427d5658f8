//! The document ids a run has written, kept to report a reused id with the number of
//! the document that first used it, in memory that stops growing with the corpus.
//!
//! Each id is kept as a 128-bit fingerprint (the first half of its SHA-256) with that
//! number: 24 bytes whatever the id's length. Two distinct ids share a fingerprint with
//! odds below one in 10^20 even among a billion documents. The most recent entries sit
//! in a hash table of fixed size; when it is full they are sorted and moved to a run in
//! an unnamed temporary file, and runs of similar size are merged, so a corpus of `n`
//! documents keeps at most about log2(n / 28,672) runs on disk at 24 bytes a document.
//! One lookup reads one 3 KiB block of a run, and a bit filter of fixed size (4 MiB)
//! skips the disk for most new ids.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

type Fingerprint = [u64; 2];

/// Entries the hash table holds before they move to disk: 7/8 of 2^15, as many as a
/// table of 2^15 buckets (about 800 KB) holds without growing.
const RECENT: usize = 28_672;
/// Entries in a block of a run: one lookup reads one block.
const BLOCK: usize = 128;
/// Bytes of an entry on disk: the fingerprint's two halves, then the document number,
/// little-endian.
const ENTRY: usize = 24;
/// Bits of the filter over the fingerprints on disk (4 MiB): with a million ids on
/// disk, 3% of new ids read a block; with ten million, 26%.
const FILTER_BITS: u64 = 1 << 25;

/// The ids of the documents written so far (see the module's documentation).
pub(crate) struct IdsSeen {
    recent: FxHashMap<Fingerprint, u64>,
    capacity: usize,
    /// Sorted runs on disk, larger (older) first.
    runs: Vec<Run>,
    /// One bit per fingerprint on disk, set by its low bits; empty until the first run.
    filter: Vec<u64>,
    /// Set when a run could not be written and the entries stay in memory.
    kept_in_memory: bool,
}

impl Default for IdsSeen {
    fn default() -> Self {
        IdsSeen::with_capacity(RECENT)
    }
}

impl IdsSeen {
    /// Keeps at most `capacity` entries in memory.
    fn with_capacity(capacity: usize) -> Self {
        IdsSeen {
            recent: FxHashMap::default(),
            capacity: capacity.max(1),
            runs: Vec::new(),
            filter: Vec::new(),
            kept_in_memory: false,
        }
    }

    /// True once a temporary file could not be written: every id since stays in
    /// memory.
    pub(crate) fn kept_in_memory(&self) -> bool {
        self.kept_in_memory
    }

    /// The number of the document that first used `id`, or `None` after recording that
    /// document `number` is the first. Errors are those of reading a temporary file.
    pub(crate) fn first_use(&mut self, id: &str, number: u64) -> io::Result<Option<u64>> {
        let key = fingerprint(id);
        if let Some(&first) = self.recent.get(&key) {
            return Ok(Some(first));
        }
        if self.maybe_on_disk(key) {
            for run in &self.runs {
                if let Some(first) = run.find(key)? {
                    return Ok(Some(first));
                }
            }
        }
        self.recent.insert(key, number);
        if self.recent.len() >= self.capacity {
            self.spill();
        }
        Ok(None)
    }

    fn filter_bit(key: Fingerprint) -> (usize, u64) {
        let bit = key[1] % FILTER_BITS;
        ((bit / 64) as usize, 1 << (bit % 64))
    }

    fn maybe_on_disk(&self, key: Fingerprint) -> bool {
        let (word, mask) = Self::filter_bit(key);
        self.filter.get(word).is_some_and(|w| w & mask != 0)
    }

    /// Moves the table's entries to a new run on disk, then merges the newest runs
    /// while the one before is no larger than twice the newest. When the temporary
    /// file cannot be written (no temporary directory, a full disk), the entries stay
    /// in memory, and so do all later ones: the run goes on, its memory growing with
    /// the corpus again. A merge that fails leaves the two runs as they were.
    fn spill(&mut self) {
        let mut entries: Vec<(Fingerprint, u64)> = self
            .recent
            .iter()
            .map(|(&key, &first)| (key, first))
            .collect();
        entries.sort_unstable_by_key(|&(key, _)| key);
        let written = (|| {
            let mut writer = RunWriter::new()?;
            for &(key, first) in &entries {
                writer.push(key, first)?;
            }
            writer.finish()
        })();
        let Ok(mut newest) = written else {
            self.capacity = usize::MAX;
            self.kept_in_memory = true;
            return;
        };
        if self.filter.is_empty() {
            self.filter = vec![0; (FILTER_BITS / 64) as usize];
        }
        for &(key, _) in &entries {
            let (word, mask) = Self::filter_bit(key);
            self.filter[word] |= mask;
        }
        // `clear` keeps the table's allocation for the next entries.
        self.recent.clear();
        while let Some(before) = self.runs.pop() {
            if before.len > 2 * newest.len {
                self.runs.push(before);
                break;
            }
            match merge(&before, &newest) {
                Ok(merged) => newest = merged,
                Err(_) => {
                    self.runs.push(before);
                    break;
                }
            }
        }
        self.runs.push(newest);
    }
}

/// The first half of the SHA-256 of `id`.
fn fingerprint(id: &str) -> Fingerprint {
    let digest = Sha256::digest(id.as_bytes());
    let half = |i: usize| u64::from_le_bytes(digest[i..i + 8].try_into().expect("8 bytes"));
    [half(0), half(8)]
}

/// Entries sorted by fingerprint in a temporary file, with the first fingerprint of
/// each block in memory (16 bytes for 128 entries).
struct Run {
    file: File,
    len: usize,
    firsts: Vec<Fingerprint>,
}

impl Run {
    fn find(&self, key: Fingerprint) -> io::Result<Option<u64>> {
        let block = self.firsts.partition_point(|first| *first <= key);
        let Some(block) = block.checked_sub(1) else {
            return Ok(None);
        };
        let start = block * BLOCK;
        let count = BLOCK.min(self.len - start);
        let mut bytes = [0; BLOCK * ENTRY];
        let bytes = &mut bytes[..count * ENTRY];
        read_at(&self.file, bytes, (start * ENTRY) as u64)?;
        Ok(bytes
            .chunks_exact(ENTRY)
            .map(decode)
            .find(|&(k, _)| k == key)
            .map(|(_, first)| first))
    }

    /// The run's entries in order, read from the start of its file.
    fn reader(&self) -> io::Result<RunReader<'_>> {
        let mut file = &self.file;
        file.seek(SeekFrom::Start(0))?;
        Ok(RunReader {
            input: BufReader::with_capacity(64 * 1024, file),
            left: self.len,
        })
    }
}

struct RunReader<'a> {
    input: BufReader<&'a File>,
    left: usize,
}

impl RunReader<'_> {
    fn next(&mut self) -> io::Result<Option<(Fingerprint, u64)>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let mut entry = [0; ENTRY];
        self.input.read_exact(&mut entry)?;
        Ok(Some(decode(&entry)))
    }
}

struct RunWriter {
    output: BufWriter<File>,
    len: usize,
    firsts: Vec<Fingerprint>,
}

impl RunWriter {
    fn new() -> io::Result<RunWriter> {
        Ok(RunWriter {
            output: BufWriter::with_capacity(64 * 1024, tempfile::tempfile()?),
            len: 0,
            firsts: Vec::new(),
        })
    }

    /// Appends an entry; entries come in increasing order of fingerprint.
    fn push(&mut self, key: Fingerprint, first: u64) -> io::Result<()> {
        if self.len % BLOCK == 0 {
            self.firsts.push(key);
        }
        self.len += 1;
        let mut entry = [0; ENTRY];
        entry[..8].copy_from_slice(&key[0].to_le_bytes());
        entry[8..16].copy_from_slice(&key[1].to_le_bytes());
        entry[16..].copy_from_slice(&first.to_le_bytes());
        self.output.write_all(&entry)
    }

    fn finish(self) -> io::Result<Run> {
        let file = self
            .output
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        Ok(Run {
            file,
            len: self.len,
            firsts: self.firsts,
        })
    }
}

/// One run holding the entries of both (whose fingerprints are distinct).
fn merge(a: &Run, b: &Run) -> io::Result<Run> {
    let mut writer = RunWriter::new()?;
    let (mut a, mut b) = (a.reader()?, b.reader()?);
    let (mut x, mut y) = (a.next()?, b.next()?);
    loop {
        match (x, y) {
            (Some(p), Some(q)) if p.0 < q.0 => {
                writer.push(p.0, p.1)?;
                x = a.next()?;
            }
            (_, Some(q)) => {
                writer.push(q.0, q.1)?;
                y = b.next()?;
            }
            (Some(p), None) => {
                writer.push(p.0, p.1)?;
                x = a.next()?;
            }
            (None, None) => break,
        }
    }
    writer.finish()
}

fn decode(entry: &[u8]) -> (Fingerprint, u64) {
    let word = |i: usize| u64::from_le_bytes(entry[i..i + 8].try_into().expect("8 bytes"));
    ([word(0), word(8)], word(16))
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_at(mut file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(buf)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::IdsSeen;
    use proptest::prelude::*;

    #[test]
    fn ids_seen_reports_the_first_use() {
        let mut seen = IdsSeen::default();
        let mut first_use = |id: &str, n: u64| seen.first_use(id, n).expect("no disk");
        assert_eq!(first_use("d1", 1), None);
        assert_eq!(first_use("d10", 2), None);
        assert_eq!(first_use("D1", 3), None);
        assert_eq!(first_use("", 4), None);
        assert_eq!(first_use("d1", 5), Some(1));
        assert_eq!(first_use("d1", 6), Some(1));
        assert_eq!(first_use("", 7), Some(4));
        assert_eq!(seen.recent.len(), 4);
        assert!(seen.runs.is_empty());
    }

    #[test]
    fn ids_moved_to_disk_are_still_found() {
        let mut seen = IdsSeen::with_capacity(100);
        for n in 1..=10_000u64 {
            assert_eq!(seen.first_use(&format!("doc-{n}"), n).unwrap(), None);
        }
        // 100 runs of 100 merged by size: a handful of runs, every entry kept once.
        assert!(seen.runs.len() <= 8, "{} runs", seen.runs.len());
        let on_disk: usize = seen.runs.iter().map(|r| r.len).sum();
        assert_eq!(on_disk + seen.recent.len(), 10_000);
        for n in (1..=10_000u64).step_by(7) {
            assert_eq!(
                seen.first_use(&format!("doc-{n}"), 20_000 + n).unwrap(),
                Some(n)
            );
        }
        assert_eq!(seen.first_use("doc-0", 30_000).unwrap(), None);
    }

    proptest! {
        #[test]
        fn agrees_with_a_map_of_all_ids(ids in prop::collection::vec(0u16..300, 0..1500), capacity in 1usize..40) {
            let mut seen = IdsSeen::with_capacity(capacity);
            let mut model: HashMap<String, u64> = HashMap::new();
            for (n, id) in ids.iter().enumerate() {
                let id = format!("id{id}");
                let number = n as u64 + 1;
                let expected = model.get(&id).copied();
                model.entry(id.clone()).or_insert(number);
                prop_assert_eq!(seen.first_use(&id, number).unwrap(), expected);
            }
        }
    }
}
