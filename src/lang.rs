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
        let (mut arabic_script, mut latin, mut fa, mut ar) = (0usize, 0usize, 0usize, 0usize);
        let mut add = |(script, persian, arabic): (u8, u8, u8)| {
            arabic_script += usize::from(script);
            fa += usize::from(persian);
            ar += usize::from(arabic);
        };
        // Only ASCII letters and characters whose UTF-8 starts with D8-DD (U+0600 to
        // U+077F) or EF (the presentation forms) count: every other character is
        // skipped by its first byte, and the Arabic blocks are read from a table.
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'a'..=b'z' | b'A'..=b'Z' => latin += 1,
                0xD8..=0xDD => {
                    let cp = (usize::from(b & 0x1F) << 6) | usize::from(bytes[i + 1] & 0x3F);
                    add(ARABIC_BLOCKS[cp - 0x600]);
                }
                0xEF => add(weight(text[i..].chars().next().unwrap_or_default())),
                _ => {}
            }
            i += match b {
                0..=0x7F => 1,
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
        }
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

/// [`weight`] of U+0600 to U+077F, the two-byte characters [`Lang::detect`] counts.
static ARABIC_BLOCKS: [(u8, u8, u8); 0x180] = {
    let mut table = [(0, 0, 0); 0x180];
    let mut i = 0;
    while i < table.len() {
        if let Some(c) = char::from_u32(0x600 + i as u32) {
            table[i] = weight(c);
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
