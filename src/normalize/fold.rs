//! The per-character rules of the matching key, and the lookup table the hot loop uses.

use std::sync::OnceLock;

/// What the matching key does with one character of the original text.
///
/// [`fold_char`] is the single place where the rules of the [module docs](super) live;
/// [`key`](super::key) applies it to every character and adds what needs context:
/// runs of spaces collapse to one space, and deleted marks join the span of the
/// character before them.
///
/// ```
/// use naql::normalize::{fold_char, Fold};
///
/// assert_eq!(fold_char('ک'), Fold::To('ك'));
/// assert_eq!(fold_char('ك'), Fold::Keep);
/// assert_eq!(fold_char('\u{200C}'), Fold::Space);
/// assert_eq!(fold_char('\u{064E}'), Fold::DeleteMark);
/// assert_eq!(fold_char('\u{0640}'), Fold::Delete);
/// assert_eq!(fold_char('ﻷ'), Fold::Expand);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// The character is its own key.
    Keep,
    /// The character is replaced by exactly one other character.
    To(char),
    /// The character is, or joins, a single U+0020 space.
    Space,
    /// The character is deleted (tatweel, format and bidi controls).
    Delete,
    /// The character is a combining mark that is deleted; in the offset map it
    /// belongs to the character before it, so spans never split a letter from its marks.
    DeleteMark,
    /// The character becomes several characters (presentation-form ligatures, a few
    /// lowercase mappings such as U+0130 İ); [`key`](super::key) of the character gives them.
    Expand,
}

/// The key of one character, without context (see [`Fold`]).
///
/// ```
/// use naql::normalize::{fold_char, Fold};
///
/// assert_eq!(fold_char('ی'), Fold::To('ي'));
/// assert_eq!(fold_char('ة'), Fold::To('ه'));
/// assert_eq!(fold_char('۷'), Fold::To('7'));
/// assert_eq!(fold_char('Ё'), Fold::To('е'));
/// assert_eq!(fold_char('a'), Fold::Keep);
/// ```
pub fn fold_char(c: char) -> Fold {
    let cp = c as u32;
    if cp < 0x80 {
        return match c {
            'A'..='Z' => Fold::To(c.to_ascii_lowercase()),
            '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' => Fold::Space,
            _ => Fold::Keep,
        };
    }
    if (0x0600..=0x06FF).contains(&cp) {
        return fold_arabic(c);
    }
    match cp {
        // Format and bidi controls.
        0x00AD | 0x200D | 0x200E | 0x200F | 0x202A..=0x202E | 0x2060 | 0x2066..=0x2069 | 0xFEFF => {
            return Fold::Delete
        }
        // Zero-width space and zero-width non-joiner count as spaces.
        0x200B | 0x200C => return Fold::Space,
        0xFB50..=0xFDFF | 0xFE70..=0xFEFE => return fold_presentation(c),
        _ => {}
    }
    if c.is_whitespace() {
        return Fold::Space;
    }
    fold_case(c)
}

/// U+0600–U+06FF.
fn fold_arabic(c: char) -> Fold {
    match c {
        // Yeh forms, including yeh with hamza (ئ = ي + U+0654, ۓ = ے + U+0654).
        '\u{0649}' | '\u{06CC}' | '\u{06D0}' | '\u{06CD}' | '\u{06CE}' | '\u{06D2}'
        | '\u{0626}' | '\u{06D3}' => Fold::To('\u{064A}'),
        // Kaf forms.
        '\u{06A9}' | '\u{06AA}' => Fold::To('\u{0643}'),
        // Alef forms.
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' | '\u{0672}' | '\u{0673}' => {
            Fold::To('\u{0627}')
        }
        // Teh marbuta and heh forms (ۀ = ه + U+0654, ۂ = ہ + U+0654).
        '\u{0629}' | '\u{06C0}' | '\u{06C1}' | '\u{06C2}' | '\u{06C3}' | '\u{06D5}'
        | '\u{06BE}' => Fold::To('\u{0647}'),
        // Waw with hamza (ؤ = و + U+0654).
        '\u{0624}' => Fold::To('\u{0648}'),
        // Digits.
        '\u{0660}'..='\u{0669}' => Fold::To(ascii_digit(c as u32 - 0x0660)),
        '\u{06F0}'..='\u{06F9}' => Fold::To(ascii_digit(c as u32 - 0x06F0)),
        // Tashkeel (with madda U+0653 and hamza above/below U+0654, U+0655), superscript
        // alef, Quranic marks.
        c if is_deleted_mark(c) => Fold::DeleteMark,
        // Tatweel and the Arabic letter mark.
        '\u{0640}' | '\u{061C}' => Fold::Delete,
        _ => Fold::Keep,
    }
}

fn ascii_digit(d: u32) -> char {
    char::from_digit(d, 10).unwrap_or('0')
}

/// True for the characters a presentation form may decompose to that carry no letter:
/// a space, tatweel and the deleted marks (U+FE70 " ً", U+FE71 "ـً", U+FC5E " ٌّ", ...).
fn is_spacing_mark_part(c: char) -> bool {
    c == ' ' || c == '\u{0640}' || is_deleted_mark(c)
}

/// The marks [`fold_char`] deletes (all in U+0600–U+06FF).
fn is_deleted_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0610}'..='\u{061A}' | '\u{06D6}'..='\u{06ED}')
}

/// U+FB50–U+FDFF and U+FE70–U+FEFE: compatibility decomposition, then the other rules.
fn fold_presentation(c: char) -> Fold {
    let mut parts = 0usize;
    let mut first = c;
    let mut spacing_mark = true;
    unicode_normalization::char::decompose_compatible(c, |d| {
        if parts == 0 {
            first = d;
        }
        parts += 1;
        spacing_mark &= is_spacing_mark_part(d);
    });
    if parts == 1 {
        if first == c {
            return Fold::Keep;
        }
        return match fold_char(first) {
            Fold::Keep => Fold::To(first),
            Fold::Expand => Fold::Expand,
            other => other,
        };
    }
    if spacing_mark {
        Fold::DeleteMark
    } else {
        Fold::Expand
    }
}

fn fold_case(c: char) -> Fold {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some('ё'), None) => Fold::To('е'),
        (Some(l), None) if l == c => Fold::Keep,
        (Some(l), None) => Fold::To(l),
        _ => Fold::Expand,
    }
}

/// Calls `emit` with the key characters of a character whose fold is [`Fold::Expand`]
/// (each already folded; spaces are emitted as `' '`, deleted characters not at all).
pub(crate) fn expand(c: char, mut emit: impl FnMut(char)) {
    let fold_one = |d: char| match fold_char(d) {
        Fold::Keep | Fold::Expand => emit(d),
        Fold::To(t) => emit(t),
        Fold::Space => emit(' '),
        Fold::Delete | Fold::DeleteMark => {}
    };
    if matches!(c as u32, 0xFB50..=0xFDFF | 0xFE70..=0xFEFE) {
        unicode_normalization::char::decompose_compatible(c, fold_one);
    } else {
        c.to_lowercase().for_each(fold_one);
    }
}

/// [`fold_char`] packed into a `u32` for the table: kind in the top byte, character below.
pub(crate) mod packed {
    pub const KEEP: u32 = 0;
    pub const TO: u32 = 1 << 24;
    pub const SPACE: u32 = 2 << 24;
    pub const DELETE: u32 = 3 << 24;
    pub const DELETE_MARK: u32 = 4 << 24;
    pub const EXPAND: u32 = 5 << 24;
    pub const KIND: u32 = 0xFF << 24;
}

pub(crate) fn pack(fold: Fold) -> u32 {
    match fold {
        Fold::Keep => packed::KEEP,
        Fold::To(c) => packed::TO | c as u32,
        Fold::Space => packed::SPACE,
        Fold::Delete => packed::DELETE,
        Fold::DeleteMark => packed::DELETE_MARK,
        Fold::Expand => packed::EXPAND,
    }
}

/// Code points below this have their fold in [`table`]: ASCII and every two-byte UTF-8
/// character (Latin-1, Greek, Cyrillic, Arabic, ...).
pub(crate) const TABLE_LEN: usize = 0x800;

/// The packed fold of every code point below [`TABLE_LEN`], built once from [`fold_char`].
pub(crate) fn table() -> &'static [u32; TABLE_LEN] {
    static TABLE: OnceLock<Box<[u32; TABLE_LEN]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Box::new([0u32; TABLE_LEN]);
        for (cp, slot) in t.iter_mut().enumerate() {
            // Every code point below U+0800 is a scalar value (no surrogates there).
            if let Some(c) = char::from_u32(cp as u32) {
                *slot = pack(fold_char(c));
            }
        }
        t
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_agrees_with_fold_char() {
        let t = table();
        for cp in 0..TABLE_LEN as u32 {
            let c = char::from_u32(cp).unwrap();
            assert_eq!(t[cp as usize], pack(fold_char(c)), "U+{cp:04X}");
        }
    }

    #[test]
    fn presentation_forms() {
        assert_eq!(fold_char('\u{FE8F}'), Fold::To('ب'));
        assert_eq!(fold_char('\u{FB8E}'), Fold::To('ك'));
        assert_eq!(fold_char('\u{FE70}'), Fold::DeleteMark);
        assert_eq!(fold_char('\u{FE71}'), Fold::DeleteMark);
        assert_eq!(fold_char('\u{FC5E}'), Fold::DeleteMark);
        assert_eq!(fold_char('\u{FDFD}'), Fold::Keep);
        assert_eq!(fold_char('\u{FD3E}'), Fold::Keep);
        assert_eq!(fold_char('\u{FEF7}'), Fold::Expand);
        let mut out = String::new();
        expand('\u{FEF7}', |c| out.push(c));
        assert_eq!(out, "لا");
    }
}
