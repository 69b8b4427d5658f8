//! Byte scans and memory hints the stages share.

/// The offset of the first byte of `bytes` that is one of `needles`. Sixteen bytes at a
/// time with SSE2 (every x86-64 has it; the last few copied into a zeroed block),
/// else eight at a time (`find_any_swar`):
/// for short and mostly needle-free text such as CSV cells and news paragraphs, where a
/// call into a general vectorised search costs more than it saves.
pub(crate) fn find_any<const N: usize>(bytes: &[u8], needles: [u8; N]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of x86-64; every such processor has it.
    return unsafe { find_any_sse2(bytes, needles) };
    #[cfg(not(target_arch = "x86_64"))]
    find_any_swar(bytes, needles)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn find_any_sse2<const N: usize>(bytes: &[u8], needles: [u8; N]) -> Option<usize> {
    use std::arch::x86_64::{__m128i, _mm_loadu_si128};
    let needles = sse2::splat(needles);
    let mut blocks = bytes.chunks_exact(16);
    let mut offset = 0;
    for block in &mut blocks {
        // SAFETY: `block` is sixteen readable bytes, and the load needs no alignment.
        let v = unsafe { _mm_loadu_si128(block.as_ptr().cast::<__m128i>()) };
        let mask = sse2::needle_bits(v, &needles);
        if mask != 0 {
            return Some(offset + mask.trailing_zeros() as usize);
        }
        offset += 16;
    }
    // The last bytes (most CSV cells have no more) go through one more compare, copied
    // into a zeroed block; bits past them are masked off.
    let rest = blocks.remainder();
    if rest.is_empty() {
        return None;
    }
    let mask = sse2::needle_bits(sse2::padded(rest), &needles) & ((1 << rest.len()) - 1);
    (mask != 0).then(|| offset + mask.trailing_zeros() as usize)
}

/// What the SSE2 searches and counts share.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_set_epi64x, _mm_setzero_si128,
    };

    /// A bit per byte of `v` (bit `i` for byte `i`) that starts a UTF-8 character: not
    /// a continuation byte (`10xxxxxx`, -128 to -65 as signed bytes).
    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn char_start_bits(v: __m128i) -> u32 {
        _mm_movemask_epi8(_mm_cmpgt_epi8(v, _mm_set1_epi8(-0x41))) as u32
    }

    /// Each needle in all sixteen lanes.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn splat<const N: usize>(needles: [u8; N]) -> [__m128i; N] {
        needles.map(|n| _mm_set1_epi8(n as i8))
    }

    /// A bit per byte of `v` (bit `i` for byte `i`) that is one of `needles`.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn needle_bits<const N: usize>(v: __m128i, needles: &[__m128i; N]) -> i32 {
        let any = needles.iter().fold(_mm_setzero_si128(), |any, &n| {
            _mm_or_si128(any, _mm_cmpeq_epi8(v, n))
        });
        _mm_movemask_epi8(any)
    }

    /// `rest` (under sixteen bytes) in a block padded with zeros.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn padded(rest: &[u8]) -> __m128i {
        let (low, high) = super::padded_words(rest);
        _mm_set_epi64x(high as i64, low as i64)
    }
}

/// `rest` (under sixteen bytes) as two little-endian words padded with zeros: bytes 0-7
/// and 8-15. Read as two overlapping loads from its ends (or four bytes, or one by one,
/// when it is shorter), shifted into place: copying it into a zeroed block instead costs
/// a call to `memcpy` and a load that waits for the copy's stores, for each of the
/// short cells that are most of a CSV table.
#[inline]
fn padded_words(rest: &[u8]) -> (u64, u64) {
    let n = rest.len();
    debug_assert!(n < 16);
    let word = |at: usize| u64::from_le_bytes(rest[at..at + 8].try_into().expect("eight"));
    let half = |at: usize| {
        u64::from(u32::from_le_bytes(
            rest[at..at + 4].try_into().expect("four"),
        ))
    };
    if n >= 8 {
        // The word at n-8 holds bytes n-8..n, of which the first 16-n are in the low
        // word already: shifted out, in two steps (a shift by 64, when n is 8, is not
        // defined).
        (word(0), (word(n - 8) >> (8 * (16 - n) - 1)) >> 1)
    } else if n >= 4 {
        (half(0) | ((half(n - 4) >> (8 * (8 - n))) << 32), 0)
    } else {
        let low = rest
            .iter()
            .rev()
            .fold(0, |word, &b| (word << 8) | u64::from(b));
        (low, 0)
    }
}

/// Appends `bytes` to `out` and returns true when they hold none of `needles`; returns
/// false, with `out` as it was, when they hold one.
///
/// One pass: each block of sixteen bytes is compared with the needles and stored, so a
/// short CSV cell costs no separate search and no `memcpy` call.
pub(crate) fn append_unless_any<const N: usize>(
    bytes: &[u8],
    needles: [u8; N],
    out: &mut Vec<u8>,
) -> bool {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of x86-64; every such processor has it.
    return unsafe { append_unless_any_sse2(bytes, needles, out) };
    #[cfg(not(target_arch = "x86_64"))]
    {
        if find_any_swar(bytes, needles).is_some() {
            return false;
        }
        out.extend_from_slice(bytes);
        true
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn append_unless_any_sse2<const N: usize>(
    bytes: &[u8],
    needles: [u8; N],
    out: &mut Vec<u8>,
) -> bool {
    use std::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_storeu_si128};
    let needles = sse2::splat(needles);
    // Room for the bytes and for the whole block the last few are stored with.
    out.reserve(bytes.len() + 16);
    let start = out.len();
    // SAFETY: `out` has room for `bytes.len() + 16` more bytes from `start`.
    let dst = unsafe { out.as_mut_ptr().add(start) };
    let mut blocks = bytes.chunks_exact(16);
    let mut offset = 0;
    for block in &mut blocks {
        // SAFETY: `block` is sixteen readable bytes, and the load needs no alignment.
        let v = unsafe { _mm_loadu_si128(block.as_ptr().cast::<__m128i>()) };
        if sse2::needle_bits(v, &needles) != 0 {
            return false;
        }
        // SAFETY: `offset + 16 <= bytes.len()`, within the room reserved past `start`;
        // the store needs no alignment.
        unsafe { _mm_storeu_si128(dst.add(offset).cast::<__m128i>(), v) };
        offset += 16;
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let v = sse2::padded(rest);
        if sse2::needle_bits(v, &needles) & ((1 << rest.len()) - 1) != 0 {
            return false;
        }
        // SAFETY: `offset + 16 <= bytes.len() + 16`, the room reserved past `start`.
        unsafe { _mm_storeu_si128(dst.add(offset).cast::<__m128i>(), v) };
    }
    // SAFETY: the `bytes.len()` bytes from `start` were all written above, and the
    // capacity covers them.
    unsafe { out.set_len(start + bytes.len()) };
    true
}

/// [`find_any`] eight bytes at a time: a word holds byte `b` exactly when
/// `w ^ b*0x01..01` has a zero byte, which `(x - 0x01..01) & !x & 0x80..80` detects
/// without false positives.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn find_any_swar<const N: usize>(bytes: &[u8], needles: [u8; N]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut words = bytes.chunks_exact(8);
    let mut offset = 0;
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        let any = needles
            .iter()
            .fold(0, |any, &b| any | zero_byte(w ^ (ONES * u64::from(b))));
        if any != 0 {
            return word
                .iter()
                .position(|b| needles.contains(b))
                .map(|i| offset + i);
        }
        offset += 8;
    }
    words
        .remainder()
        .iter()
        .position(|b| needles.contains(b))
        .map(|i| offset + i)
}

/// The number of bytes of `bytes` that start a UTF-8 character: all but the
/// continuation bytes (`10xxxxxx`, -128 to -65 as signed bytes). Sixteen bytes at a
/// time with SSE2 (one compare, one mask, one count), the last few in a padded block;
/// elsewhere eight at a time. The count is one instruction on processors with POPCNT
/// (asked at run time: x86-64 itself does not have it, and counting the bits of each
/// mask without it took over half of the instructions of the code point offsets).
pub(crate) fn char_starts(bytes: &[u8]) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("popcnt") {
            // SAFETY: the processor has POPCNT (asked above) and SSE2 (every x86-64).
            return unsafe { char_starts_popcnt(bytes) };
        }
        // SAFETY: SSE2 is part of x86-64; every such processor has it.
        unsafe { char_starts_sse2(bytes) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let mut words = bytes.chunks_exact(8);
        let continuations: usize = (&mut words)
            .map(|w| continuation_bytes(u64::from_le_bytes(w.try_into().expect("eight bytes"))))
            .sum();
        let rest = words.remainder();
        bytes.len() - continuations - rest.iter().filter(|&&b| (b as i8) < -0x40).count()
    }
}

/// [`char_starts`] where each mask's bits are counted with POPCNT.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2,popcnt")]
fn char_starts_popcnt(bytes: &[u8]) -> usize {
    // SAFETY: this function has SSE2.
    unsafe { char_start_blocks(bytes) }
}

/// [`char_starts`] with SSE2 alone.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn char_starts_sse2(bytes: &[u8]) -> usize {
    // SAFETY: this function has SSE2.
    unsafe { char_start_blocks(bytes) }
}

/// The body of [`char_starts`] on x86-64, inlined into each of its versions and
/// compiled there with that version's features.
///
/// # Safety
///
/// The caller must have SSE2 enabled.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn char_start_blocks(bytes: &[u8]) -> usize {
    use std::arch::x86_64::{__m128i, _mm_loadu_si128};
    // SAFETY (each call below): the caller has SSE2.
    let starts = |v| unsafe { sse2::char_start_bits(v) };
    let mut blocks = bytes.chunks_exact(16);
    let mut count = 0;
    for block in &mut blocks {
        // SAFETY: `block` is sixteen readable bytes, and the load needs no alignment.
        let v = unsafe { _mm_loadu_si128(block.as_ptr().cast::<__m128i>()) };
        count += starts(v).count_ones() as usize;
    }
    let rest = blocks.remainder();
    // SAFETY: the caller has SSE2.
    let last = unsafe { sse2::padded(rest) };
    // The padding's zeros would count: masked off.
    count + (starts(last) & ((1 << rest.len()) - 1)).count_ones() as usize
}

/// The number of UTF-8 continuation bytes (`10xxxxxx`) among the eight bytes of `word`
/// (little-endian): such a byte has its top bit set and the next one clear, so
/// `word & !(word << 1)` keeps the top bit of exactly those bytes.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline]
fn continuation_bytes(word: u64) -> usize {
    (word & !(word << 1) & 0x8080_8080_8080_8080).count_ones() as usize
}

/// A bit per byte of `block` (bit `i` for `block[i]`), set where a character starts:
/// every byte that is not a continuation byte (`10xxxxxx`).
#[inline]
pub(crate) fn char_start_bits(block: &[u8; 16]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of x86-64, and the load reads the sixteen bytes of `block`
    // without needing alignment.
    unsafe {
        use std::arch::x86_64::{__m128i, _mm_loadu_si128};
        sse2::char_start_bits(_mm_loadu_si128(block.as_ptr().cast::<__m128i>()))
    }
    #[cfg(not(target_arch = "x86_64"))]
    block
        .iter()
        .enumerate()
        .fold(0, |bits, (i, &b)| bits | (u32::from(b & 0xC0 != 0x80) << i))
}

/// A bit per byte of `block` (bit `i` for `block[i]`) that is one of `needles`.
#[inline]
pub(crate) fn needle_bits<const N: usize>(block: &[u8; 16], needles: [u8; N]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of x86-64, and the load reads the sixteen bytes of `block`
    // without needing alignment.
    unsafe {
        use std::arch::x86_64::{__m128i, _mm_loadu_si128};
        let v = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
        sse2::needle_bits(v, &sse2::splat(needles)) as u32
    }
    #[cfg(not(target_arch = "x86_64"))]
    block.iter().enumerate().fold(0, |bits, (i, b)| {
        bits | (u32::from(needles.contains(b)) << i)
    })
}

/// A bit per unit of the eight little-endian 16-bit units in `block` (bit `i` for the
/// unit of bytes `2i` and `2i + 1`): set where the unit equals `unit`.
#[inline]
pub(crate) fn equal_units_8(block: &[u8; 16], unit: u16) -> u32 {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of x86-64, and the load reads the sixteen bytes of `block`
    // without needing alignment; x86 is little-endian, so each lane is one unit.
    unsafe {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi16, _mm_loadu_si128, _mm_movemask_epi8, _mm_packs_epi16,
            _mm_set1_epi16, _mm_setzero_si128,
        };
        let v = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
        let equal = _mm_cmpeq_epi16(v, _mm_set1_epi16(unit as i16));
        // Each equal unit is -1, which packs to one byte of -1.
        _mm_movemask_epi8(_mm_packs_epi16(equal, _mm_setzero_si128())) as u32
    }
    #[cfg(not(target_arch = "x86_64"))]
    block.chunks_exact(2).enumerate().fold(0, |mask, (i, u)| {
        mask | (u32::from(u16::from_le_bytes([u[0], u[1]]) == unit) << i)
    })
}

/// What a pass over a key (see [`crate::normalize::Key`]) needs to know of each of 64
/// bytes to find its word boundaries without decoding every character: a bit per byte
/// (bit `i` for byte `i`) in each mask.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct KeyBits {
    /// ASCII bytes other than letters and digits: characters outside words.
    pub(crate) other: u64,
    /// Spaces (among `other`).
    pub(crate) space: u64,
    /// Characters whose class the decoded scalar value tells: the first bytes of all
    /// characters beyond ASCII but the letters of the Arabic block, which are known by
    /// their first two bytes (D8 A0-BF, D9 but for AA-AD, all of DA, DB 80-93:
    /// U+0620-U+063F, U+0640-U+067F but for the signs U+066A-U+066D, U+0680-U+06D3).
    pub(crate) check: u64,
    /// The first bytes of و (D9 88) and ف (D9 81).
    pub(crate) glued: u64,
}

/// [`KeyBits`] of `window[..64]`; `window` holds at least 65 bytes, the last one
/// read as the byte after the 64th. Sixteen bytes at a time with SSE2, elsewhere a
/// byte at a time.
#[inline]
pub(crate) fn key_bits(window: &[u8]) -> KeyBits {
    let window: &[u8; 65] = window[..65].try_into().expect("65 bytes");
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of x86-64; every such processor has it.
    return unsafe { key_bits_sse2(window) };
    #[cfg(not(target_arch = "x86_64"))]
    key_bits_bytes(window)
}

/// [`key_bits`] a byte at a time: the definition the SSE2 version is tested against.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn key_bits_bytes(window: &[u8; 65]) -> KeyBits {
    let mut bits = KeyBits::default();
    for i in 0..64 {
        let (b, next) = (window[i], window[i + 1]);
        let bit = 1u64 << i;
        if b < 0x80 && !b.is_ascii_alphanumeric() {
            bits.other |= bit;
        }
        if b == b' ' {
            bits.space |= bit;
        }
        let check = match b {
            0xD8 => next < 0xA0,
            0xD9 => (0xAA..=0xAD).contains(&next),
            0xDA => false,
            0xDB => next >= 0x94,
            b => b >= 0xC0,
        };
        if check {
            bits.check |= bit;
        }
        if b == 0xD9 && matches!(next, 0x88 | 0x81) {
            bits.glued |= bit;
        }
    }
    bits
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn key_bits_sse2(window: &[u8; 65]) -> KeyBits {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_loadu_si128,
        _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_xor_si128,
    };
    let splat = |b: u8| _mm_set1_epi8(b as i8);
    // Signed compares: ASCII bytes are 0 to 127, all others negative.
    let within = |v: __m128i, low: u8, high: u8| {
        _mm_and_si128(
            _mm_cmpgt_epi8(v, splat(low - 1)),
            _mm_cmplt_epi8(v, splat(high + 1)),
        )
    };
    let bits = |v: __m128i| _mm_movemask_epi8(v) as u32 as u64;
    let mut out = KeyBits::default();
    for block in 0..4 {
        let at = block * 16;
        // SAFETY: bytes `at..at + 17` are within the 65 of `window`; the loads need no
        // alignment.
        let (v, next) = unsafe {
            (
                _mm_loadu_si128(window[at..].as_ptr().cast::<__m128i>()),
                _mm_loadu_si128(window[at + 1..].as_ptr().cast::<__m128i>()),
            )
        };
        let non_ascii = bits(v);
        let alphanumeric = _mm_or_si128(
            within(_mm_or_si128(v, splat(0x20)), b'a', b'z'),
            within(v, b'0', b'9'),
        );
        let other = !non_ascii & !bits(alphanumeric) & 0xFFFF;
        // The first bytes of characters beyond ASCII (C0-FF).
        let first = u64::from(sse2::char_start_bits(v)) & non_ascii;
        let [d8, d9, da, db] = [0xD8, 0xD9, 0xDA, 0xDB].map(|b| _mm_cmpeq_epi8(v, splat(b)));
        // The byte after, as 0-63 when a continuation byte (all a D8-DB is followed by).
        let tail = _mm_xor_si128(next, splat(0x80));
        let signs = _mm_or_si128(
            _mm_or_si128(
                _mm_and_si128(d8, _mm_cmplt_epi8(tail, splat(0x20))),
                _mm_and_si128(d9, within(tail, 0x2A, 0x2D)),
            ),
            _mm_and_si128(db, _mm_cmpgt_epi8(tail, splat(0x13))),
        );
        let arabic = bits(_mm_or_si128(_mm_or_si128(d8, d9), _mm_or_si128(da, db)));
        let check = (first & !arabic) | bits(signs);
        let glued = bits(_mm_and_si128(
            d9,
            _mm_or_si128(
                _mm_cmpeq_epi8(next, splat(0x88)),
                _mm_cmpeq_epi8(next, splat(0x81)),
            ),
        ));
        out.other |= other << at;
        out.space |= bits(_mm_cmpeq_epi8(v, splat(b' '))) << at;
        out.check |= check << at;
        out.glued |= glued << at;
    }
    out
}

/// Asks the processor to bring the cache line holding `value` into its caches.
#[inline(always)]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint that neither reads nor writes memory as far as the
    // program can observe, and `value` is a live reference; SSE, which the instruction
    // needs, is part of every x86-64 processor.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

#[cfg(test)]
mod tests {
    use super::{equal_units_8, find_any, find_any_swar};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn finds_the_first_needle(bytes in prop::collection::vec(any::<u8>(), 0..80), needles in any::<[u8; 4]>()) {
            let expected = bytes.iter().position(|b| needles.contains(b));
            prop_assert_eq!(find_any(&bytes, needles), expected);
            prop_assert_eq!(find_any_swar(&bytes, needles), expected);
        }

        #[test]
        fn finds_the_first_of_nine_needles(bytes in prop::collection::vec(any::<u8>(), 0..80), needles in any::<[u8; 9]>()) {
            let expected = bytes.iter().position(|b| needles.contains(b));
            prop_assert_eq!(find_any(&bytes, needles), expected);
            prop_assert_eq!(find_any_swar(&bytes, needles), expected);
        }

        #[test]
        fn appends_only_bytes_without_needles(
            before in prop::collection::vec(any::<u8>(), 0..20),
            bytes in prop::collection::vec(any::<u8>(), 0..80),
            needles in any::<[u8; 4]>(),
        ) {
            let mut out = before.clone();
            let clean = !bytes.iter().any(|b| needles.contains(b));
            prop_assert_eq!(super::append_unless_any(&bytes, needles, &mut out), clean);
            let expected = if clean { [before, bytes].concat() } else { before };
            prop_assert_eq!(out, expected);
        }

        #[test]
        fn padded_words_are_the_bytes_then_zeros(rest in prop::collection::vec(any::<u8>(), 0..16)) {
            let mut block = [0u8; 16];
            block[..rest.len()].copy_from_slice(&rest);
            let words = (
                u64::from_le_bytes(block[..8].try_into().unwrap()),
                u64::from_le_bytes(block[8..].try_into().unwrap()),
            );
            prop_assert_eq!(super::padded_words(&rest), words);
        }

        #[test]
        fn char_starts_are_the_bytes_not_of_the_form_10xxxxxx(bytes in prop::collection::vec(any::<u8>(), 0..80)) {
            let expected = bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
            prop_assert_eq!(super::char_starts(&bytes), expected);
            #[cfg(target_arch = "x86_64")]
            // SAFETY: SSE2 is part of x86-64.
            prop_assert_eq!(unsafe { super::char_starts_sse2(&bytes) }, expected);
        }

        #[test]
        fn continuation_bytes_are_those_of_the_form_10xxxxxx(word in any::<[u8; 8]>()) {
            let expected = word.iter().filter(|&&b| b & 0xC0 == 0x80).count();
            prop_assert_eq!(super::continuation_bytes(u64::from_le_bytes(word)), expected);
        }

        #[test]
        fn character_starts_have_their_bits_set(block in any::<[u8; 16]>()) {
            let expected = (0..16).filter(|&i| block[i] & 0xC0 != 0x80).fold(0, |m, i| m | 1 << i);
            prop_assert_eq!(super::char_start_bits(&block), expected);
        }

        #[test]
        fn key_bits_are_those_read_a_byte_at_a_time(window in prop::collection::vec(
            prop_oneof![any::<u8>(), 0xD8u8..=0xDB, 0x80u8..=0xBF, Just(b' ')], 65..=65,
        )) {
            let window: &[u8; 65] = window.as_slice().try_into().unwrap();
            prop_assert_eq!(super::key_bits(window), super::key_bits_bytes(window));
        }

        #[test]
        fn needles_have_their_bits_set(block in any::<[u8; 16]>(), needles in any::<[u8; 5]>()) {
            let expected = (0..16).filter(|&i| needles.contains(&block[i])).fold(0, |m, i| m | 1 << i);
            prop_assert_eq!(super::needle_bits(&block, needles), expected);
        }

        #[test]
        fn equal_units_have_their_bits_set(block in any::<[u16; 8]>(), unit in any::<u16>(), at in 0..8usize) {
            // Units that are equal in one byte only, and negative ones, must not pass.
            let mut block = block;
            block[at] = unit;
            let expected = (0..8).filter(|&i| block[i] == unit).fold(0, |m, i| m | 1 << i);
            let bytes: Vec<u8> = block.iter().flat_map(|u| u.to_le_bytes()).collect();
            prop_assert_eq!(equal_units_8(bytes.as_slice().try_into().unwrap(), unit), expected);
        }
    }

    #[test]
    fn needles_in_every_lane_and_the_tail() {
        let needles = [b',', b'"', 0xC2, 0xE2];
        for at in 0..40 {
            let mut bytes = vec![b'a'; 40];
            bytes[at] = needles[at % 4];
            assert_eq!(find_any(&bytes, needles), Some(at));
            assert_eq!(find_any_swar(&bytes, needles), Some(at));
        }
        assert_eq!(find_any(&[0x80; 33], needles), None);
        assert_eq!(find_any_swar(&[0x80; 17], needles), None);
    }
}
