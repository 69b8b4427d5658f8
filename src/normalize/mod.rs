//! The matching key: one spelling for the many ways news text and gazetteers write a
//! name, with an exact [`OffsetMap`] back to the original text.
//!
//! [`key`] serves both sides of matching: a gazetteer name and a document are keyed by
//! the same function, so a name and its occurrence meet whatever letter forms, marks,
//! digits, invisible controls or case either uses. The key is for matching only; every
//! span naql reports is mapped back through the [`OffsetMap`] to the original text.
//!
//! ```
//! use naql::normalize::key;
//!
//! assert_eq!(key("كتاب").text, key("کتاب").text);
//! assert_eq!(key("إيران").text, key("ایران").text);
//! assert_eq!(key("مُحَمَّد").text, key("محمد").text);
//! assert_eq!(key("بـــوتين").text, key("بوتین").text);
//! assert_eq!(key("ﻣﺴﻜﻮ").text, key("مسکو").text);
//! assert_eq!(key("۱۴۰۲").text, "1402");
//! assert_eq!(key("Лавров").text, "лавров");
//! assert_eq!(key("قره‌باغ").text, key("قره باغ").text);
//! ```
//!
//! # Rules
//! Every character goes through [`fold_char`]; the table lists what it does.
//!
//! | Rule | Code points | Key |
//! |---|---|---|
//! | Yeh forms | U+064A ي, U+0649 ى, U+06CC ی, U+06D0 ې, U+06CD ۍ, U+06CE ێ, U+06D2 ے, and with hamza U+0626 ئ, U+06D3 ۓ | U+064A ي |
//! | Kaf forms | U+0643 ك, U+06A9 ک, U+06AA ڪ | U+0643 ك |
//! | Alef forms | U+0623 أ, U+0625 إ, U+0622 آ, U+0671 ٱ, U+0672 ٲ, U+0673 ٳ | U+0627 ا |
//! | Teh marbuta, heh forms | U+0629 ة, U+06C0 ۀ, U+06C1 ہ, U+06C2 ۂ, U+06C3 ۃ, U+06D5 ە, U+06BE ھ | U+0647 ه |
//! | Waw with hamza | U+0624 ؤ | U+0648 و |
//! | Marks | tashkeel U+064B–U+065F (with madda U+0653, hamza above U+0654 and below U+0655), superscript alef U+0670, Quranic marks U+0610–U+061A and U+06D6–U+06ED | deleted ([`Fold::DeleteMark`]) |
//! | Tatweel | U+0640 | deleted |
//! | Format and bidi controls | U+200D ZWJ, U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069, U+FEFF, and also U+00AD soft hyphen, U+2060 word joiner | deleted |
//! | Presentation forms | U+FB50–U+FDFF, U+FE70–U+FEFE | compatibility decomposition, then these rules (lam-alef ligatures give two letters, U+FDFA ﷺ its 18-character phrase); the spacing forms of marks (U+FE70–U+FE7F, U+FC5E–U+FC63, U+FCF2–U+FCF4) are deleted as marks; characters without a decomposition (U+FDFD ﷽, U+FD3E) are kept |
//! | Digits | U+0660–U+0669 ٠–٩, U+06F0–U+06F9 ۰–۹ | ASCII `0`–`9` |
//! | Spaces | Unicode White_Space (U+0009–U+000D, U+0020, U+0085, U+00A0 NBSP, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), U+200B, and U+200C ZWNJ | one U+0020; a run of them, including characters deleted inside the run, gives one space |
//! | Case | every character with a Unicode lowercase mapping (Latin, Cyrillic, Greek, ...) | its lowercase; Cyrillic ё and Ё give е |
//!
//! Everything else is kept as it is. Which letter a fold lands on (Arabic ي rather than
//! Persian ی, for instance) is an internal choice: compare keys only with keys.
//!
//! Why these are safe together:
//! - Decomposing presentation forms and then folding equals NFKC and then folding,
//!   because the folds treat a precomposed letter and its canonical decomposition alike
//!   (آ = ا + U+0653, أ = ا + U+0654, ئ = ي + U+0654, ۀ = ه + U+0654 ...: the letter folds
//!   to the base and the mark is deleted). That is also why yeh and waw with hamza fold
//!   to their carriers: Persian writes both اسرائیل and اسراییل, رئیس and رییس.
//! - The key is a fixed point: keying a key gives it back unchanged.
//!
//! # ZWNJ, space and glued parts
//! ZWNJ becomes a space, so `قره‌باغ` and `قره باغ` have the same key `قره باغ`, and a
//! ZWNJ-joined Persian suffix (`روسیه‌ای`) is a separate key word the matcher can skip.
//! A glued spelling (`قرهباغ`, `نخستوزیر`) keeps its glued key; the gazetteer compiler
//! adds glued variants of multi-part names so that all three spellings are found. In the
//! key a space from a ZWNJ looks like any other space; when the matcher needs to know,
//! the original text behind it is `&original[key.original_range(i..i + 1)]`.
//!
//! # Offsets
//! Deleting, one-to-one and expanding rules all keep the [`OffsetMap`] exact. A deleted
//! mark belongs to the character before it, so a span never separates a letter from its
//! marks; other deleted characters (tatweel, controls) belong to no key character and
//! never start or end a span. The key is not trimmed: callers keying a gazetteer name
//! trim it first.
//!
//! # Reuse and speed
//! [`key`] allocates a new [`Key`]; in a loop over documents, keep one [`Normalizer`]
//! and one [`Key`] and call [`Normalizer::key_into`], which reuses the key's buffers.
//! ASCII and all two-byte UTF-8 characters (Latin-1, Greek, Cyrillic, Arabic, Persian)
//! are folded by one lookup in a table built from [`fold_char`]; characters kept as they
//! are go to the key in runs; decomposition is computed only for presentation forms.
//! `benches/normalize.rs` measures the throughput on the sample articles.

mod fold;
mod offset_map;

use std::ops::Range;

pub use fold::{fold_char, Fold};
pub use offset_map::OffsetMap;

use crate::lang::{Lang, Letters};
use fold::{packed, TABLE_LEN};
use offset_map::MapBuilder;

/// A matching key: the keyed text and the map from its byte positions to the original.
///
/// ```
/// let original = "«ماریا زاخارووا»";
/// let k = naql::normalize::key(original);
/// assert_eq!(k.text, "«ماريا زاخارووا»");
/// let at = k.text.find("زاخارووا").unwrap();
/// let r = k.original_range(at..at + "زاخارووا".len());
/// assert_eq!(&original[r], "زاخارووا");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Key {
    /// The key text (UTF-8), what gazetteer automata run over.
    pub text: String,
    /// From byte positions of `text` to byte ranges of the original text.
    pub map: OffsetMap,
}

impl Key {
    /// An empty key, to fill with [`Normalizer::key_into`].
    ///
    /// ```
    /// let k = naql::normalize::Key::new();
    /// assert!(k.text.is_empty() && k.map.is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The original byte range of the group that produced the key byte at `key_offset`
    /// (see [`OffsetMap`]); `None` past the end of the key.
    ///
    /// ```
    /// let original = "مُحَمَّد";
    /// let k = naql::normalize::key(original);
    /// assert_eq!(k.text, "محمد");
    /// // The first key letter stands for م and the damma after it.
    /// let r = k.group(0).unwrap();
    /// assert_eq!(&original[r], "مُ");
    /// ```
    pub fn group(&self, key_offset: usize) -> Option<Range<usize>> {
        self.map.group(&self.text, key_offset)
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
    /// assert_eq!(&original[k.original_range(0..k.text.len())], original);
    /// // "وتين" starts after the tatweels: they are not part of its span.
    /// assert_eq!(&original[k.original_range(2..k.text.len())], "وتين");
    /// ```
    pub fn original_range(&self, key_range: Range<usize>) -> Range<usize> {
        self.map.original_range(&self.text, key_range)
    }

    /// The original byte offset of a key position: the start of the group of the key byte
    /// at `key_offset`, or the end of the last group for the end of the key (clamped).
    ///
    /// ```
    /// let k = naql::normalize::key("\u{200F}Lavrov");
    /// assert_eq!(k.original_offset(0), 3);
    /// assert_eq!(k.original_offset(k.text.len()), 9);
    /// ```
    pub fn original_offset(&self, key_offset: usize) -> usize {
        self.map.original_offset(&self.text, key_offset)
    }

    /// True when a new group starts at key byte `key_offset` (and at `0` and the end of
    /// the key): a key span between two such positions round-trips exactly through
    /// [`original_range`](Self::original_range) and [`key`].
    ///
    /// ```
    /// let k = naql::normalize::key("ﻻ ب");
    /// assert_eq!(k.text, "لا ب");
    /// assert!(k.is_group_start(0));
    /// assert!(!k.is_group_start(2)); // inside the lam-alef ligature
    /// assert!(k.is_group_start(4));
    /// ```
    pub fn is_group_start(&self, key_offset: usize) -> bool {
        self.map.is_group_start(&self.text, key_offset)
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
    /// assert_eq!(&k.text[k.key_offset(at)..], "лавров");
    /// ```
    pub fn key_offset(&self, original_offset: usize) -> usize {
        self.map.key_offset(&self.text, original_offset)
    }
}

/// The matching key of `text`, with its offset map. See the [module docs](self) for the
/// rules.
///
/// ```
/// let k = naql::normalize::key("ماريا  زاخاروفا");
/// assert_eq!(k.text, "ماريا زاخاروفا");
/// assert_eq!(k.map.len(), k.text.len());
/// ```
pub fn key(text: &str) -> Key {
    let mut out = Key::new();
    Normalizer::new().key_into(text, &mut out);
    out
}

/// Builds matching keys, reusing the output's buffers from one document to the next.
///
/// ```
/// use naql::normalize::{Key, Normalizer};
///
/// let mut normalizer = Normalizer::new();
/// let mut k = Key::new();
/// for doc in ["وزارة الخارجية", "وزارت خارجه"] {
///     normalizer.key_into(doc, &mut k);
///     assert_eq!(k.map.len(), k.text.len());
/// }
/// assert_eq!(k.text, "وزارت خارجه");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Normalizer {
    _private: (),
}

impl Normalizer {
    /// A normaliser with the rules of the [module docs](self).
    ///
    /// ```
    /// let _ = naql::normalize::Normalizer::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes the key of `text` into `out`, replacing its content but keeping its
    /// allocations (one [`Key`] per thread serves every document).
    ///
    /// ```
    /// use naql::normalize::{Key, Normalizer};
    ///
    /// let mut k = Key::new();
    /// Normalizer::new().key_into("ﷲ أكبر", &mut k);
    /// assert_eq!(k.text, "الله اكبر");
    /// ```
    pub fn key_into(&mut self, text: &str, out: &mut Key) {
        self.build_key::<false>(text, out, &mut Letters::default());
    }

    /// [`Normalizer::key_into`], and the language [`Lang::detect`] finds in `text`,
    /// from letters counted as the key is made (one pass over the text for both).
    pub(crate) fn key_and_lang_into(&mut self, text: &str, out: &mut Key) -> Lang {
        let mut letters = Letters::default();
        self.build_key::<true>(text, out, &mut letters);
        letters.lang()
    }

    // Kept out of the pipeline's code: inlined there, the loop ran 1% more of the
    // pipeline's instructions than counting saved.
    #[inline(never)]
    fn build_key<const COUNT: bool>(&mut self, text: &str, out: &mut Key, letters: &mut Letters) {
        out.text.clear();
        out.text.reserve(text.len());
        build::<COUNT>(text, &mut out.text, &mut out.map, letters);
    }

    /// The key of `text` in a new [`Key`].
    ///
    /// ```
    /// assert_eq!(naql::normalize::Normalizer::new().key("U.S.").text, "u.s.");
    /// ```
    pub fn key(&mut self, text: &str) -> Key {
        let mut out = Key::new();
        self.key_into(text, &mut out);
        out
    }
}

/// Decodes the scalar value at `i`, a character start of valid UTF-8 (`bytes` comes from
/// a `&str`), returning it and its length. Not for ASCII, which callers take first.
#[inline(always)]
pub(crate) fn decode(bytes: &[u8], i: usize) -> (u32, usize) {
    let b0 = bytes[i] as u32;
    if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | (bytes[i + 1] as u32 & 0x3F), 2)
    } else if b0 < 0xF0 {
        (
            ((b0 & 0x0F) << 12)
                | ((bytes[i + 1] as u32 & 0x3F) << 6)
                | (bytes[i + 2] as u32 & 0x3F),
            3,
        )
    } else {
        (
            ((b0 & 0x07) << 18)
                | ((bytes[i + 1] as u32 & 0x3F) << 12)
                | ((bytes[i + 2] as u32 & 0x3F) << 6)
                | (bytes[i + 3] as u32 & 0x3F),
            4,
        )
    }
}

/// The hot loop: ASCII and two-byte characters through the table, the rest through
/// [`fold_char`]. Characters kept as they are accumulate in a verbatim run that is
/// copied into the key in one piece when another rule applies; the map is written only
/// there, and only when the rule changes a length (a fold to a character of the same
/// length continues the map's verbatim run). With `COUNT`, each character is also
/// counted in `letters`.
fn build<const COUNT: bool>(
    text: &str,
    key: &mut String,
    map: &mut OffsetMap,
    letters: &mut Letters,
) {
    let table = fold::table();
    let bytes = text.as_bytes();
    let mut out = MapBuilder::new(map);
    // Counted in a copy, which can stay in registers, not through the reference.
    let mut counted = *letters;
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b0 = bytes[i];
        let (f, end, cp) = if b0 < 0x80 {
            if COUNT {
                counted.ascii(b0);
            }
            let f = table[b0 as usize];
            // A space right after a kept character other than a space is kept as it
            // is, in the run (most spaces).
            if f == packed::KEEP || (b0 == b' ' && run < i && bytes[i - 1] != b' ') {
                i += 1;
                continue;
            }
            (f, i + 1, b0 as u32)
        } else {
            let (cp, n) = decode(bytes, i);
            if COUNT {
                counted.wide(cp);
            }
            let end = i + n;
            let f = if (cp as usize) < TABLE_LEN {
                table[cp as usize]
            } else if cp == 0x200C {
                packed::SPACE
            } else {
                char::from_u32(cp).map_or(packed::KEEP, |c| fold::pack(fold_char(c)))
            };
            if f == packed::KEEP {
                i = end;
                continue;
            }
            (f, end, cp)
        };
        key.push_str(&text[run..i]);
        match f & packed::KIND {
            packed::TO => {
                if let Some(c) = char::from_u32(f & !packed::KIND) {
                    if c.len_utf8() != end - i {
                        out.group(key.len(), i, end);
                        key.push(c);
                        out.group_done(key.len(), end);
                    } else {
                        key.push(c);
                    }
                }
            }
            packed::SPACE => {
                if key.ends_with(' ') {
                    out.extend_space(key, end);
                } else if end - i == 1 {
                    key.push(' ');
                } else {
                    out.group(key.len(), i, end);
                    key.push(' ');
                    out.group_done(key.len(), end);
                }
            }
            packed::DELETE => out.gap(key, end),
            packed::DELETE_MARK => out.mark(key, end),
            _ => {
                if let Some(c) = char::from_u32(cp) {
                    expand(c, i, end, key, &mut out);
                }
            }
        }
        i = end;
        run = end;
    }
    key.push_str(&text[run..]);
    out.finish(key.len());
    *letters = counted;
}

/// The key characters of a presentation form at `start..end`, one group; a space in
/// them after a space the key already ends with extends that space instead.
#[cold]
fn expand(c: char, start: usize, end: usize, key: &mut String, out: &mut MapBuilder<'_>) {
    let mut open = false;
    fold::expand(c, |k| {
        if k == ' ' && key.ends_with(' ') {
            if open {
                out.group_done(key.len(), end);
                open = false;
            }
            out.extend_space(key, end);
        } else {
            if !open {
                out.group(key.len(), start, end);
                open = true;
            }
            key.push(k);
        }
    });
    if open {
        out.group_done(key.len(), end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key and map of `text` made character by character from [`fold_char`], as
    /// the module docs describe them: what [`build`] must give.
    fn reference_key(text: &str) -> (String, Vec<[u32; 2]>) {
        let mut key = String::new();
        let mut spans: Vec<[u32; 2]> = Vec::new();
        fn push(key: &mut String, spans: &mut Vec<[u32; 2]>, c: char, start: usize, end: usize) {
            key.push(c);
            spans.extend(std::iter::repeat_n(
                [start as u32, end as u32],
                c.len_utf8(),
            ));
        }
        fn space(key: &mut String, spans: &mut Vec<[u32; 2]>, start: usize, end: usize) {
            if key.ends_with(' ') {
                spans.last_mut().expect("a space's entry")[1] = end as u32;
            } else {
                push(key, spans, ' ', start, end);
            }
        }
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            match fold_char(c) {
                Fold::Keep => push(&mut key, &mut spans, c, i, end),
                Fold::To(t) => push(&mut key, &mut spans, t, i, end),
                Fold::Space => space(&mut key, &mut spans, i, end),
                Fold::Delete => {}
                Fold::DeleteMark => {
                    if let Some(&[group, _]) = spans.last() {
                        for span in spans.iter_mut().rev().take_while(|s| s[0] == group) {
                            span[1] = end as u32;
                        }
                    }
                }
                Fold::Expand => fold::expand(c, |k| {
                    if k == ' ' {
                        space(&mut key, &mut spans, i, end)
                    } else {
                        push(&mut key, &mut spans, k, i, end)
                    }
                }),
            }
        }
        (key, spans)
    }

    /// The key [`build`] gives for `text`, and the group of each of its bytes as the
    /// reference lists them; also checks that the map finds the key position of every
    /// original offset (and past the end) as a search of those entries would, and the
    /// original range of every key range from its ends' groups.
    fn built(text: &str) -> (String, Vec<[u32; 2]>) {
        let mut k = Key::new();
        build::<true>(text, &mut k.text, &mut k.map, &mut Letters::default());
        assert_eq!(k.map.len(), k.text.len(), "{text:?}");
        let spans: Vec<[u32; 2]> = (0..k.text.len())
            .map(|i| {
                let g = k.group(i).expect("a group for every key byte");
                [g.start as u32, g.end as u32]
            })
            .collect();
        for offset in 0..=text.len() + 1 {
            let expected = spans.partition_point(|g| g[1] as usize <= offset);
            assert_eq!(k.key_offset(offset), expected, "{text:?} at {offset}");
        }
        for a in 0..k.text.len() {
            for b in a + 1..=k.text.len() {
                let expected = spans[a][0] as usize..spans[b - 1][1] as usize;
                assert_eq!(k.original_range(a..b), expected, "{text:?} {a}..{b}");
            }
        }
        (k.text, spans)
    }

    #[test]
    fn build_agrees_with_the_reference_on_samples() {
        for text in [
            "ماریا\u{200C} زاخارووا ﻷ مُحَمَّد İstanbul ﷺ",
            "a  \u{200F}\u{200C} بَـو ﻻ",
            " ab cd\u{200C} أ e  f ",
            "Ёлка ۱۴۰۲ كتاب کتاب “quoted” 😀 x\u{00A0} y",
            "",
        ] {
            assert_eq!(built(text), reference_key(text), "{text:?}");
        }
    }

    /// Characters of one to four bytes, and a ZWNJ, at forty successive offsets (every
    /// place in a block of sixteen or thirty-two bytes, for a builder that reads the
    /// text in blocks) before and after long runs of kept and same-length folded
    /// characters.
    #[test]
    fn build_agrees_with_the_reference_at_every_alignment() {
        let run = "سلام دنیا hello world «نقل» ";
        for c in ["😀", "€", "ب", "a", "𝐀中", "😀😀", "ی", "\u{200C}"] {
            for shift in 0..40 {
                let text = format!("{}{c}{run}{run}{c}{}", "x".repeat(shift), "ب".repeat(shift));
                assert_eq!(built(&text), reference_key(&text), "{text:?}");
            }
        }
    }

    proptest::proptest! {
        /// Texts from every rule's characters, in runs: kept letters of one to four
        /// bytes, same-length and other folds, spaces of every kind, marks, deletions
        /// and expansions, each next to each.
        #[test]
        fn build_agrees_with_the_reference(
            text in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "B", " ", "  ", "\t", "\n", ".", "ب", "ی", "ک", "ة", "أ", "ي", "ه",
                    "\u{64E}", "\u{651}", "ـ", "\u{200C}", "\u{200F}", "\u{A0}", "\u{2003}",
                    "۱", "٢", "7", "Ё", "ж", "İ", "ﻷ", "ﷺ", "“", "€", "😀", "𝐀", "中",
                ]),
                0..60,
            )
        ) {
            let text: String = text.concat();
            proptest::prop_assert_eq!(built(&text), reference_key(&text));
        }
    }

    /// Kept characters and same-length folds make one record; a fold that changes the
    /// length, a space run, a mark and a deletion each break it.
    #[test]
    fn the_map_holds_a_record_per_break() {
        assert_eq!(key("").map.runs(), 0);
        assert_eq!(key("Tehran تهران ری").map.runs(), 1);
        // ZWNJ (three bytes to a one-byte space).
        assert_eq!(key("قره\u{200C}باغ").map.runs(), 3);
        // A Persian digit (two bytes to one), between verbatim runs.
        assert_eq!(key("سال ۱ ميلادي").map.runs(), 3);
        // Two spaces: the first is verbatim until the second joins it.
        assert_eq!(key("a  b").map.runs(), 3);
        // A mark joins the letter before it; the tatweel is a gap.
        assert_eq!(key("بَ").map.runs(), 1);
        assert_eq!(key("بـو").map.runs(), 2);
    }

    /// The original text of each key character group, in order.
    fn group_texts<'t>(text: &'t str, k: &Key) -> Vec<&'t str> {
        (0..k.text.len())
            .filter(|&i| k.is_group_start(i))
            .map(|i| &text[k.group(i).unwrap()])
            .collect()
    }

    #[test]
    fn groups() {
        let text = "a  \u{200F}\u{200C} بَـو ﻻ";
        let k = key(text);
        assert_eq!(k.text, "a بو لا");
        let groups = group_texts(text, &k);
        assert_eq!(groups, ["a", "  \u{200F}\u{200C} ", "بَ", "و", " ", "ﻻ"]);
    }

    /// Spaces after kept characters (joined to the verbatim run), after folded ones
    /// and after other spaces (merged) map to themselves.
    #[test]
    fn single_and_repeated_spaces() {
        let text = " ab cd\u{200C} أ e  f ";
        let k = key(text);
        assert_eq!(k.text, " ab cd ا e f ");
        let groups = group_texts(text, &k);
        assert_eq!(
            groups,
            [
                " ",
                "a",
                "b",
                " ",
                "c",
                "d",
                "\u{200C} ",
                "أ",
                " ",
                "e",
                "  ",
                "f",
                " "
            ]
        );
    }

    #[test]
    fn clamps_out_of_bounds() {
        let k = key("abc");
        assert_eq!(k.original_range(2..99), 2..3);
        let reversed = std::ops::Range { start: 5, end: 1 };
        assert_eq!(k.original_range(reversed), 1..1);
        assert_eq!(Key::new().original_range(0..4), 0..0);
    }
}
