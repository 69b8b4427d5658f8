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
        let mut arabic_script = 0usize;
        let mut latin = 0usize;
        let mut fa = 0usize;
        let mut ar = 0usize;
        for c in text.chars() {
            match c {
                'پ' | 'چ' | 'ژ' | 'گ' => {
                    arabic_script += 1;
                    fa += 4;
                }
                '\u{06CC}' | '\u{06A9}' => {
                    arabic_script += 1;
                    fa += 1;
                }
                'ة' => {
                    arabic_script += 1;
                    ar += 3;
                }
                '\u{064A}' | '\u{0643}' | '\u{0649}' | 'ؤ' | 'ئ' => {
                    arabic_script += 1;
                    ar += 1;
                }
                // Letters of the Arabic blocks (marks, digits and punctuation excluded),
                // by range: a Unicode property lookup per character is slow.
                '\u{0620}'..='\u{064A}'
                | '\u{066E}'..='\u{066F}'
                | '\u{0671}'..='\u{06D3}'
                | '\u{06D5}'
                | '\u{06FA}'..='\u{06FF}'
                | '\u{0750}'..='\u{077F}'
                | '\u{FB50}'..='\u{FDFF}'
                | '\u{FE70}'..='\u{FEFC}' => arabic_script += 1,
                'a'..='z' | 'A'..='Z' => latin += 1,
                _ => {}
            }
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

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
