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
        let [arabic_script, latin, fa, ar] = letter_counts(text);
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
fn letter_counts(text: &str) -> [usize; 4] {
    let (mut arabic_script, mut latin, mut fa, mut ar) = (0usize, 0usize, 0usize, 0usize);
    // Only ASCII letters and characters whose UTF-8 starts with D8-DD (U+0600 to
    // U+077F) or EF (the presentation forms) count: every other character is
    // skipped by its first byte, and the Arabic blocks are read from a table. The
    // three Arabic-script counts are added as one packed word, emptied after each
    // stretch of CHUNK bytes, which holds too few characters to carry a field over.
    const CHUNK: usize = 1 << 18;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let stop = (i + CHUNK).min(bytes.len());
        let mut packed = 0u64;
        while i < stop {
            let b = bytes[i];
            if b < 0x80 {
                latin += usize::from((b | 0x20).wrapping_sub(b'a') < 26);
                i += 1;
            } else if b < 0xE0 {
                if (0xD8..=0xDD).contains(&b) {
                    let cp = (usize::from(b & 0x1F) << 6) | usize::from(bytes[i + 1] & 0x3F);
                    packed += ARABIC_BLOCKS[cp - 0x600];
                }
                i += 2;
            } else if b < 0xF0 {
                if b == 0xEF {
                    packed += pack(weight(text[i..].chars().next().unwrap_or_default()));
                }
                i += 3;
            } else {
                i += 4;
            }
        }
        arabic_script += (packed & FIELD) as usize;
        fa += ((packed >> 21) & FIELD) as usize;
        ar += ((packed >> 42) & FIELD) as usize;
    }
    [arabic_script, latin, fa, ar]
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

/// One of the three counts in a packed word of [`Lang::detect`]: 21 bits.
const FIELD: u64 = (1 << 21) - 1;

/// A [`weight`] packed for adding: the letter count in bits 0-20, the Persian weight
/// in bits 21-41, the Arabic weight in bits 42-62. A stretch of 2^18 bytes adds at most
/// 4 × 2^18 = 2^20 to a field.
const fn pack((script, fa, ar): (u8, u8, u8)) -> u64 {
    script as u64 | (fa as u64) << 21 | (ar as u64) << 42
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
