//! Quotation marks: which characters open and close a quote, and the regions they
//! delimit in a document.
//!
//! Pairs are read paragraph by paragraph with a stack, so nesting works and one stray
//! mark never swallows the rest of the document: a mark left open at the end of its
//! paragraph is dropped, unless the next paragraph opens with the same mark (the
//! convention for a quote running over several paragraphs), in which case the quote
//! continues. Straight quotes (`"` and `'`) have no direction; they open after a space
//! or bracket and close before one, and `'` counts only when clearly paired (never an
//! apostrophe inside a word, as in `Putin's`).

use std::ops::Range;

use crate::segment;

/// One kind of quotation: its opening and closing marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkPair {
    /// Opening mark.
    pub open: char,
    /// Closing mark.
    pub close: char,
}

/// The quotation marks naql reads, in the order they are tried: guillemets (Persian,
/// Arabic, French), English curly quotes, German low-high quotes, single guillemets,
/// straight double and single quotes.
pub const MARK_PAIRS: &[MarkPair] = &[
    MarkPair {
        open: '«',
        close: '»',
    },
    MarkPair {
        open: '“',
        close: '”',
    },
    MarkPair {
        open: '„',
        close: '“',
    },
    MarkPair {
        open: '‹',
        close: '›',
    },
    MarkPair {
        open: '"',
        close: '"',
    },
    MarkPair {
        open: '\'',
        close: '\'',
    },
];

/// The text of `mark`, one of the marks of [`MARK_PAIRS`] (a test holds every one of
/// them here), so that a quote's mark columns need no string of their own; empty for
/// any other character.
pub(crate) fn mark_text(mark: char) -> &'static str {
    match mark {
        '«' => "«",
        '»' => "»",
        '“' => "“",
        '”' => "”",
        '„' => "„",
        '‹' => "‹",
        '›' => "›",
        '"' => "\"",
        '\'' => "'",
        _ => "",
    }
}

/// A quoted region of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRegion {
    /// Byte range of the content, marks excluded.
    pub content: Range<usize>,
    /// The opening mark.
    pub open: char,
    /// The closing mark.
    pub close: char,
    /// Nesting depth: 0 for an outermost quote.
    pub depth: usize,
}

impl QuoteRegion {
    /// Byte range including the marks.
    pub fn outer(&self) -> Range<usize> {
        self.content.start - self.open.len_utf8()..self.content.end + self.close.len_utf8()
    }
}

/// Quote regions of `text`, sorted by start; `paragraphs` are the byte ranges of the
/// paragraphs (from [`crate::segment::Segmentation::paragraphs`]).
///
/// ```
/// use naql::quotes::marks::find_regions;
/// let text = "گفت: «ما در تماس هستیم». سپس «نه";
/// let regions = find_regions(text, &[0..text.len()]);
/// assert_eq!(regions.len(), 1);
/// assert_eq!(&text[regions[0].content.clone()], "ما در تماس هستیم");
/// ```
pub fn find_regions(text: &str, paragraphs: &[Range<usize>]) -> Vec<QuoteRegion> {
    regions_within(text, paragraphs, usize::MAX).unwrap_or_default()
}

/// [`find_regions`], or `None` when the marks nest deeper than `limit` somewhere
/// ([`max_depth`] over `limit`): one pairing for the check and the regions, which
/// stops as soon as the depth is over the limit.
pub(crate) fn regions_within(
    text: &str,
    paragraphs: &[Range<usize>],
    limit: usize,
) -> Option<Vec<QuoteRegion>> {
    let mut regions = Vec::new();
    let depth = pair_marks(text, paragraphs, limit.saturating_add(1), |region| {
        regions.push(region)
    });
    if depth > limit {
        return None;
    }
    regions.sort_by_key(|r| (r.content.start, std::cmp::Reverse(r.content.end)));
    Some(regions)
}

/// The deepest nesting of open quotation marks in `text` as [`find_regions`] pairs
/// them (1 for a quote with no quote inside), counting no further than `stop_at`: a
/// cheap check before the quadratic work a hostile document (10,000 nested or stray
/// marks) would cause.
///
/// ```
/// use naql::quotes::marks::max_depth;
/// let text = "«a «b» c» and «d»";
/// assert_eq!(max_depth(text, &[0..text.len()], 10), 2);
/// let hostile = "«".repeat(10_000);
/// assert_eq!(max_depth(&hostile, &[0..hostile.len()], 64), 64);
/// ```
pub fn max_depth(text: &str, paragraphs: &[Range<usize>], stop_at: usize) -> usize {
    pair_marks(text, paragraphs, stop_at, |_| {})
}

/// Pairs the marks paragraph by paragraph, giving each region to `on_region`; returns
/// the deepest stack seen, stopping as soon as it reaches `stop_at`.
fn pair_marks(
    text: &str,
    paragraphs: &[Range<usize>],
    stop_at: usize,
    mut on_region: impl FnMut(QuoteRegion),
) -> usize {
    let mut deepest = 0;
    // Open marks carried into the next paragraph: (mark pair index, content start).
    let mut carried: Vec<(usize, usize)> = Vec::new();
    for (p, paragraph) in paragraphs.iter().enumerate() {
        let mut stack: Vec<(usize, usize)> = Vec::new();
        let body = &text[paragraph.clone()];
        let first = body.trim_start().chars().next();
        // A paragraph opening with the mark of a quote left open continues it.
        let mut skip_opening = None;
        if let Some((pair, start)) = carried.pop() {
            if first == Some(MARK_PAIRS[pair].open) {
                stack.push((pair, start));
                let lead = body.len() - body.trim_start().len();
                skip_opening = Some(paragraph.start + lead);
            }
        }
        carried.clear();
        for (offset, c) in mark_candidates(body) {
            let at = paragraph.start + offset;
            if Some(at) == skip_opening {
                continue;
            }
            if !MARK_PAIRS.iter().any(|m| m.open == c || m.close == c) {
                continue;
            }
            let before = text[..at].chars().next_back();
            let after = text[at + c.len_utf8()..].chars().next();
            // Closing first: the innermost open quote whose closing mark this is.
            if let Some(depth) = stack
                .iter()
                .rposition(|&(open, _)| MARK_PAIRS[open].close == c)
            {
                let (open, start) = stack[depth];
                let straight = MARK_PAIRS[open].open == MARK_PAIRS[open].close;
                if !straight || can_close(before, after, c) {
                    stack.truncate(depth);
                    on_region(QuoteRegion {
                        content: start..at,
                        open: MARK_PAIRS[open].open,
                        close: c,
                        depth,
                    });
                    continue;
                }
            }
            let Some(open) = MARK_PAIRS.iter().position(|m| m.open == c) else {
                continue;
            };
            let straight = MARK_PAIRS[open].open == MARK_PAIRS[open].close;
            if straight && !can_open(before, after, c) {
                continue;
            }
            stack.push((open, at + c.len_utf8()));
            deepest = deepest.max(stack.len());
            if deepest >= stop_at {
                return deepest;
            }
        }
        // A quote still open may continue into the next paragraph if that paragraph
        // opens with the same mark; anything else left open was a stray mark.
        if let Some(&(pair, start)) = stack.first() {
            let next_opens = paragraphs.get(p + 1).is_some_and(|next| {
                text[next.clone()]
                    .trim_start()
                    .starts_with(MARK_PAIRS[pair].open)
            });
            if next_opens && MARK_PAIRS[pair].open != MARK_PAIRS[pair].close {
                carried.push((pair, start));
            }
        }
    }
    deepest
}

/// The characters of `text` that start with the first byte of some quotation mark
/// (`"`, `'`, and the lead bytes of « » and of “ ” „ ‹ ›), with their offsets: found by
/// that byte instead of decoding every character, since most text holds few marks.
fn mark_candidates(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let found = at + next_mark_byte(&bytes[at..])?;
        let c = text[found..].chars().next()?;
        at = found + c.len_utf8();
        Some((found, c))
    })
}

/// The offset of the first byte of `bytes` that starts a quotation mark's UTF-8 (see
/// [`mark_candidates`]).
fn next_mark_byte(bytes: &[u8]) -> Option<usize> {
    crate::scan::find_any(bytes, [b'"', b'\'', 0xC2, 0xE2])
}

/// What may stand before an opening mark besides spaces. Characters in an array (a
/// comparison each) rather than a string (a search of it for each character).
const OPENING_CONTEXT: [char; 15] = [
    '(', '[', '{', '«', '“', '„', '‹', '—', '–', '-', ':', '،', ',', ';', '؛',
];

/// What may follow a closing mark besides spaces.
const CLOSING_CONTEXT: [char; 19] = [
    ')', ']', '}', '»', '”', '›', '.', ',', ';', ':', '!', '?', '،', '؛', '؟', '…', '—', '–', '-',
];

fn is_opening_context(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || OPENING_CONTEXT.contains(&c))
}

fn is_closing_context(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || CLOSING_CONTEXT.contains(&c))
}

fn can_open(before: Option<char>, after: Option<char>, mark: char) -> bool {
    let after_ok = after.is_some_and(|c| !c.is_whitespace());
    let before_ok = is_opening_context(before);
    if mark == '\'' {
        // Only a clear opening: after a space and before a letter.
        return before_ok && after.is_some_and(segment::is_alphanumeric);
    }
    before_ok && after_ok
}

fn can_close(before: Option<char>, after: Option<char>, mark: char) -> bool {
    let before_ok = before.is_some_and(|c| !c.is_whitespace());
    if mark == '\'' {
        // Not an apostrophe inside a word (Putin's, l'ONU).
        return before_ok
            && is_closing_context(after)
            && !after.is_some_and(segment::is_alphanumeric);
    }
    before_ok && is_closing_context(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn candidates_are_the_characters_with_a_mark_lead_byte(text in "([«»“”„‹›\"' ،ب\u{200c}a-z…]|\\PC){0,40}") {
            let expected: Vec<(usize, char)> = text
                .char_indices()
                .filter(|&(_, c)| matches!(c.to_string().as_bytes()[0], b'"' | b'\'' | 0xC2 | 0xE2))
                .collect();
            proptest::prop_assert_eq!(mark_candidates(&text).collect::<Vec<_>>(), expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn regions_within_a_limit_are_the_regions_unless_the_depth_is_over(
            text in "([«»“”\"' a\n]){0,40}",
            limit in 0..4usize,
        ) {
            let paragraphs = crate::segment::Segmentation::new(&text).paragraphs().to_vec();
            let over = max_depth(&text, &paragraphs, limit + 1) > limit;
            let within = regions_within(&text, &paragraphs, limit);
            proptest::prop_assert_eq!(within.is_none(), over);
            if let Some(regions) = within {
                proptest::prop_assert_eq!(regions, find_regions(&text, &paragraphs));
            }
        }
    }

    #[test]
    fn every_mark_has_its_text() {
        for pair in MARK_PAIRS {
            for mark in [pair.open, pair.close] {
                assert_eq!(mark_text(mark), mark.to_string(), "{mark:?}");
            }
        }
        assert_eq!(mark_text('\0'), "");
        assert_eq!(mark_text('a'), "");
    }

    #[test]
    fn every_mark_is_a_candidate() {
        for pair in MARK_PAIRS {
            for mark in [pair.open, pair.close] {
                let text = format!("ab{mark}c");
                assert_eq!(mark_candidates(&text).collect::<Vec<_>>(), [(2, mark)]);
            }
        }
        let long = format!("{}«{}»", "ب".repeat(9), "x".repeat(13));
        let found: Vec<(usize, char)> = mark_candidates(&long).collect();
        assert_eq!(found, [(18, '«'), (33, '»')]);
        // Other characters with the same lead bytes are offered, and only those.
        let found: Vec<char> = mark_candidates("a\u{a0}b…c،").map(|(_, c)| c).collect();
        assert_eq!(found, ['\u{a0}', '…']);
    }

    fn contents(text: &str) -> Vec<&str> {
        let paragraphs: Vec<Range<usize>> = {
            let mut out = Vec::new();
            let mut start = 0;
            for (i, _) in text.match_indices('\n') {
                out.push(start..i);
                start = i + 1;
            }
            out.push(start..text.len());
            out
        };
        find_regions(text, &paragraphs)
            .into_iter()
            .map(|r| &text[r.content])
            .collect()
    }

    #[test]
    fn pairs_and_nesting() {
        assert_eq!(contents("a «b «c» d» e"), ["b «c» d", "c"]);
        assert_eq!(contents("“one” and „zwei“"), ["one", "zwei"]);
        assert_eq!(contents("He said \"yes\" and 'no'."), ["yes", "no"]);
        assert_eq!(contents("Putin's and Lavrov's view"), Vec::<&str>::new());
    }

    #[test]
    fn stray_marks_stay_local() {
        assert_eq!(contents("«stray\nnext «real» one"), ["real"]);
        assert_eq!(contents("a » b «c»"), ["c"]);
        assert_eq!(contents("\"open \"closed\" x"), ["closed"]);
    }

    #[test]
    fn quotes_continue_over_paragraphs() {
        let text = "گفت: «اول\n«دوم»\nبعد";
        assert_eq!(contents(text), ["اول\n«دوم"]);
    }
}
