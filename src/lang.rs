//! Document language: given by the input, forced on the command line, or detected
//! from the letters of the text.

use std::fmt;

/// The languages naql distinguishes.
///
/// ```
/// use naql::Lang;
/// assert_eq!(Lang::detect("سخنگوی وزارت امور خارجه روسیه گفت"), Lang::Fa);
/// assert_eq!(Lang::detect("وقالت المتحدثة الرسمية باسم الخارجية الروسية"), Lang::Ar);
/// assert_eq!(Lang::detect("The spokeswoman said"), Lang::En);
/// assert_eq!(Lang::parse("fa-IR"), Some(Lang::Fa));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Lang {
    /// Persian.
    Fa,
    /// Arabic.
    Ar,
    /// English.
    En,
    /// Undetermined.
    #[default]
    Und,
}

impl Lang {
    /// The code written to the tables: `fa`, `ar`, `en` or `und`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fa => "fa",
            Lang::Ar => "ar",
            Lang::En => "en",
            Lang::Und => "und",
        }
    }

    /// Reads a language tag such as `fa`, `fa-IR`, `per`, `Arabic`, `en_US`, `und`;
    /// `None` for anything else.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "fa" | "fas" | "per" | "persian" | "farsi" => Some(Lang::Fa),
            "ar" | "ara" | "arabic" => Some(Lang::Ar),
            "en" | "eng" | "english" => Some(Lang::En),
            "und" => Some(Lang::Und),
            _ => None,
        }
    }

    /// Detects the language from letters.
    ///
    /// Arabic script is split between Persian and Arabic by letters only one of them
    /// uses: پ چ ژ گ and Persian ی ک count for Persian; ة, Arabic ي ك ى and the
    /// hamza-carrying ؤ ئ (rare in Persian news) count for Arabic. Persian sites often
    /// write Arabic ي and ك, so پ چ ژ گ weigh most. Latin script is English. A text with
    /// too few letters to tell is `und`.
    pub fn detect(text: &str) -> Lang {
        let mut letters = Letters::default();
        letters.count(text);
        letters.lang()
    }
}

/// The letters [`Lang::detect`] decides by, counted character by character: by
/// [`Lang::detect`] itself, or by a pass that decodes the text anyway (the key's, see
/// `Normalizer::key_and_lang_into`), which saves the detection a pass of its own.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Letters {
    /// Arabic-script letters, Persian weight and Arabic weight, packed (see [`pack`]),
    /// added to `counts` before a field can carry over into the next.
    packed: u64,
    /// Arabic-script letters, ASCII letters, Persian weight, Arabic weight.
    counts: [usize; 4],
}

impl Letters {
    /// Counts an ASCII character.
    #[inline(always)]
    pub(crate) fn ascii(&mut self, b: u8) {
        self.counts[1] += usize::from((b | 0x20).wrapping_sub(b'a') < 26);
    }

    /// Counts a character beyond ASCII: only U+0600 to U+077F (read from a table) and
    /// U+F000 to U+FFFF (the presentation forms) can count.
    #[inline(always)]
    pub(crate) fn wide(&mut self, cp: u32) {
        if let Some(&packed) = cp
            .checked_sub(0x600)
            .and_then(|i| ARABIC_BLOCKS.get(i as usize))
        {
            self.add(packed);
        } else if (0xF000..0x1_0000).contains(&cp) {
            self.add(pack(weight(char::from_u32(cp).unwrap_or_default())));
        }
    }

    /// Adds a packed weight. A field that reaches 2^20 is emptied into `counts` before
    /// the next add (at most 4 to each field) could carry it over.
    #[inline(always)]
    fn add(&mut self, packed: u64) {
        self.packed += packed;
        if self.packed & FULL != 0 {
            self.empty();
        }
    }

    fn empty(&mut self) {
        let field = |shift: u32| ((self.packed >> shift) & FIELD) as usize;
        self.counts[0] += field(0);
        self.counts[2] += field(FIELD_BITS);
        self.counts[3] += field(2 * FIELD_BITS);
        self.packed = 0;
    }

    /// Counts every character of `text`. Every character that is not ASCII is skipped
    /// by its first byte unless that is D8-DD (U+0600 to U+077F) or EF.
    fn count(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                self.ascii(b);
                i += 1;
            } else if b < 0xE0 {
                if (0xD8..=0xDD).contains(&b) {
                    self.wide((u32::from(b & 0x1F) << 6) | u32::from(bytes[i + 1] & 0x3F));
                }
                i += 2;
            } else if b < 0xF0 {
                if b == 0xEF {
                    self.wide(text[i..].chars().next().map_or(0, u32::from));
                }
                i += 3;
            } else {
                i += 4;
            }
        }
    }

    /// Arabic-script letters, ASCII letters, Persian weight, Arabic weight.
    fn counts(mut self) -> [usize; 4] {
        self.empty();
        self.counts
    }

    /// The language the counts say (see [`Lang::detect`]).
    pub(crate) fn lang(self) -> Lang {
        let [arabic_script, latin, fa, ar] = self.counts();
        if arabic_script < 2 && latin < 2 {
            return Lang::Und;
        }
        if latin > arabic_script {
            return Lang::En;
        }
        match fa.cmp(&ar) {
            std::cmp::Ordering::Greater => Lang::Fa,
            std::cmp::Ordering::Less => Lang::Ar,
            std::cmp::Ordering::Equal => Lang::Und,
        }
    }
}

/// What [`Lang::detect`] decides by: Arabic-script letters, ASCII letters, and the
/// Persian and Arabic weights of the letters (see [`weight`]).
#[cfg(test)]
fn letter_counts(text: &str) -> [usize; 4] {
    let mut letters = Letters::default();
    letters.count(text);
    letters.counts()
}

/// How a character counts for [`Lang::detect`]: (an Arabic-script letter, Persian
/// weight, Arabic weight).
const fn weight(c: char) -> (u8, u8, u8) {
    match c {
        'پ' | 'چ' | 'ژ' | 'گ' => (1, 4, 0),
        '\u{06CC}' | '\u{06A9}' => (1, 1, 0),
        'ة' => (1, 0, 3),
        '\u{064A}' | '\u{0643}' | '\u{0649}' | 'ؤ' | 'ئ' => (1, 0, 1),
        // Letters of the Arabic blocks (marks, digits and punctuation excluded).
        '\u{0620}'..='\u{064A}'
        | '\u{066E}'..='\u{066F}'
        | '\u{0671}'..='\u{06D3}'
        | '\u{06D5}'
        | '\u{06FA}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFC}' => (1, 0, 0),
        _ => (0, 0, 0),
    }
}

/// Bits of each of the three counts in a packed word of [`Letters`].
const FIELD_BITS: u32 = 21;
const FIELD: u64 = (1 << FIELD_BITS) - 1;
/// The top bit of each field: set once a field reaches 2^20.
const FULL: u64 = 1 << 20 | 1 << 41 | 1 << 62;

/// A [`weight`] packed for adding: the letter count in bits 0-20, the Persian weight
/// in bits 21-41, the Arabic weight in bits 42-62.
const fn pack((script, fa, ar): (u8, u8, u8)) -> u64 {
    script as u64 | (fa as u64) << FIELD_BITS | (ar as u64) << (2 * FIELD_BITS)
}

/// [`weight`] of U+0600 to U+077F, the two-byte characters [`Lang::detect`] counts,
/// packed.
static ARABIC_BLOCKS: [u64; 0x180] = {
    let mut table = [0; 0x180];
    let mut i = 0;
    while i < table.len() {
        if let Some(c) = char::from_u32(0x600 + i as u32) {
            table[i] = pack(weight(c));
        }
        i += 1;
    }
    table
};

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The counts character by character, as [`Lang::detect`] must find them.
    fn counts(text: &str) -> [usize; 4] {
        let mut counts = [0; 4];
        for c in text.chars() {
            let (script, fa, ar) = weight(c);
            counts[0] += usize::from(script);
            counts[1] += usize::from(c.is_ascii_alphabetic());
            counts[2] += usize::from(fa);
            counts[3] += usize::from(ar);
        }
        counts
    }

    #[test]
    fn long_texts_count_exactly() {
        // Fields of 21 bits would carry over past 2^19 پ (weight 4) without emptying.
        let text = format!("{}{} abc", "پ".repeat(700_000), "ةﻻ".repeat(300_000));
        assert_eq!(letter_counts(&text), counts(&text));
        assert_eq!(letter_counts(&text), [1_300_000, 3, 2_800_000, 900_000]);
    }

    fn decide([script, latin, fa, ar]: [usize; 4]) -> Lang {
        if script < 2 && latin < 2 {
            Lang::Und
        } else if latin > script {
            Lang::En
        } else {
            match fa.cmp(&ar) {
                std::cmp::Ordering::Greater => Lang::Fa,
                std::cmp::Ordering::Less => Lang::Ar,
                std::cmp::Ordering::Equal => Lang::Und,
            }
        }
    }

    proptest! {
        #[test]
        fn detect_counts_every_character(text in "([\u{0600}-\u{077F}\u{FB50}-\u{FEFF}a-zA-Z0-9 ]|\\PC){0,40}") {
            prop_assert_eq!(letter_counts(&text), counts(&text));
            prop_assert_eq!(Lang::detect(&text), decide(counts(&text)));
        }

        #[test]
        fn the_key_pass_detects_the_same_language(text in "([\u{0600}-\u{077F}\u{FB50}-\u{FEFF}a-zA-Z ]|\\PC){0,60}") {
            let mut normalizer = crate::normalize::Normalizer::new();
            let mut counted = crate::normalize::Key::new();
            let lang = normalizer.key_and_lang_into(&text, &mut counted);
            prop_assert_eq!(lang, Lang::detect(&text));
            prop_assert_eq!(counted, normalizer.key(&text));
        }
    }

    #[test]
    fn detects_the_samples_languages() {
        assert_eq!(Lang::detect("زاخارووا گفت که روسیه"), Lang::Fa);
        assert_eq!(Lang::detect("وقالت المتحدثة باسم وزارة الخارجية"), Lang::Ar);
        assert_eq!(Lang::detect("The spokeswoman said"), Lang::En);
        assert_eq!(Lang::detect("ﻻ ﺍﻟﺴﻼﻡ"), Lang::Und);
        assert_eq!(Lang::detect("12 3"), Lang::Und);
    }
}
