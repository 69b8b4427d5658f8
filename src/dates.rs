//! Publication dates written in news pages: Gregorian, Solar Hijri (Persian) and Hijri
//! (lunar) dates in bylines, converted to ISO 8601.
//!
//! The Solar Hijri calendar here is the arithmetic one with a 33-year cycle: years
//! whose remainder modulo 33 is 1, 5, 9, 13, 17, 22, 26 or 30 are leap years (Esfand
//! has 30 days). It agrees with the official (astronomical) Iranian calendar for every
//! year from 1244 to 1403 and beyond, which covers digital news; 1 Farvardin 1403 is
//! 2024-03-20.
//!
//! The Hijri (lunar) calendar here is the tabular Islamic calendar in its civil form
//! (the "islamic-civil" calendar of CLDR and ICU, Reingold and Dershowitz's arithmetic
//! Islamic calendar): 1 Muharram 1 AH is Friday 16 July 622 (Julian), months alternate
//! 30 and 29 days, and in each 30-year cycle years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26
//! and 29 are leap years (Dhu al-Hijjah has 30 days). The conversion of this calendar is
//! exact; the calendars countries publish by sighting or by astronomical rules (Saudi
//! Umm al-Qura, for one) can differ from it by a day or two, so a page that writes both
//! a Gregorian and a Hijri date is dated by the Gregorian one. ٤ ربيع الأول ١٤٤٥ is
//! 2023-09-19 in both.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::segment;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CivilDate {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day, 1 to 31.
    pub day: u32,
}

impl CivilDate {
    /// `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Days since 1970-01-01 of a Gregorian date.
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    // Years counted from March, so the leap day is the last day of the year.
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = i64::from(month);
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> CivilDate {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
    CivilDate { year, month, day }
}

/// Whether a Gregorian date exists.
fn is_valid_gregorian(year: i32, month: u32, day: u32) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1..=12).contains(&month) && day >= 1 && day <= days[month as usize - 1]
}

/// Whether a Solar Hijri year has 366 days.
///
/// ```
/// use naql::dates::is_solar_hijri_leap;
/// assert!(is_solar_hijri_leap(1399) && is_solar_hijri_leap(1403));
/// assert!(!is_solar_hijri_leap(1400) && !is_solar_hijri_leap(1402));
/// ```
pub fn is_solar_hijri_leap(year: i32) -> bool {
    matches!(year.rem_euclid(33), 1 | 5 | 9 | 13 | 17 | 22 | 26 | 30)
}

fn solar_hijri_year_days(year: i32) -> i64 {
    if is_solar_hijri_leap(year) {
        366
    } else {
        365
    }
}

/// Day count (since 1970-01-01) of 1 Farvardin 1400, 2021-03-21: the anchor.
const FARVARDIN_1400: i64 = 18_707;

/// The Gregorian date of a Solar Hijri date; `None` for a date that does not exist.
///
/// ```
/// use naql::dates::solar_hijri_to_gregorian;
/// assert_eq!(solar_hijri_to_gregorian(1402, 6, 28).unwrap().iso(), "2023-09-19");
/// assert_eq!(solar_hijri_to_gregorian(1403, 12, 30).unwrap().iso(), "2025-03-20");
/// assert!(solar_hijri_to_gregorian(1402, 12, 30).is_none());
/// ```
pub fn solar_hijri_to_gregorian(year: i32, month: u32, day: u32) -> Option<CivilDate> {
    let month_days = match month {
        1..=6 => 31,
        7..=11 => 30,
        12 if is_solar_hijri_leap(year) => 30,
        12 => 29,
        _ => return None,
    };
    if day == 0 || day > month_days || !(1..=3000).contains(&year) {
        return None;
    }
    let mut days = FARVARDIN_1400;
    if year >= 1400 {
        days += (1400..year).map(solar_hijri_year_days).sum::<i64>();
    } else {
        days -= (year..1400).map(solar_hijri_year_days).sum::<i64>();
    }
    let before_month = if month <= 7 {
        31 * i64::from(month - 1)
    } else {
        186 + 30 * i64::from(month - 7)
    };
    Some(civil_from_days(days + before_month + i64::from(day) - 1))
}

/// The Solar Hijri date (year, month, day) of a Gregorian date.
///
/// ```
/// use naql::dates::gregorian_to_solar_hijri;
/// assert_eq!(gregorian_to_solar_hijri(2023, 9, 19), Some((1402, 6, 28)));
/// ```
pub fn gregorian_to_solar_hijri(year: i32, month: u32, day: u32) -> Option<(i32, u32, u32)> {
    if !is_valid_gregorian(year, month, day) {
        return None;
    }
    let target = days_from_civil(year, month, day);
    let mut sh_year = year - 621;
    let mut start =
        solar_hijri_to_gregorian(sh_year, 1, 1).map(|d| days_from_civil(d.year, d.month, d.day))?;
    if target < start {
        sh_year -= 1;
        start -= solar_hijri_year_days(sh_year);
    }
    let day_of_year = target - start;
    let (month, day) = if day_of_year < 186 {
        (day_of_year / 31 + 1, day_of_year % 31 + 1)
    } else {
        ((day_of_year - 186) / 30 + 7, (day_of_year - 186) % 30 + 1)
    };
    Some((sh_year, month as u32, day as u32))
}

/// Day count (since 1970-01-01) of the day before 1 Muharram 1 AH of the civil tabular
/// calendar, Thursday 15 July 622 (Julian), Julian day number 1948439.
const HIJRI_EPOCH_MINUS_ONE: i64 = 1_948_439 - 2_440_588;

/// Whether a year of the tabular Hijri calendar has 355 days.
///
/// ```
/// use naql::dates::is_hijri_leap;
/// assert!(is_hijri_leap(1442) && is_hijri_leap(1445) && !is_hijri_leap(1444));
/// ```
pub fn is_hijri_leap(year: i32) -> bool {
    (14 + 11 * i64::from(year)).rem_euclid(30) < 11
}

/// Days of the tabular Hijri calendar before 1 Muharram of `year`, counted from the
/// epoch: 354 a year plus the leap days of the years before.
fn hijri_days_before_year(year: i32) -> i64 {
    let y = i64::from(year);
    (y - 1) * 354 + (3 + 11 * y).div_euclid(30)
}

/// Days of the tabular Hijri calendar in the months of a year before `month`: odd
/// months have 30 days, even ones 29.
fn hijri_days_before_month(month: u32) -> i64 {
    let m = i64::from(month);
    29 * (m - 1) + m / 2
}

/// The Gregorian date of a date of the tabular (civil) Hijri calendar; `None` for a
/// date that does not exist (day 30 of an even month, 30 Dhu al-Hijjah of a common
/// year).
///
/// ```
/// use naql::dates::hijri_to_gregorian;
/// assert_eq!(hijri_to_gregorian(1445, 3, 4).unwrap().iso(), "2023-09-19");
/// assert_eq!(hijri_to_gregorian(1, 1, 1).unwrap().iso(), "0622-07-19");
/// assert!(hijri_to_gregorian(1445, 2, 30).is_none());
/// ```
pub fn hijri_to_gregorian(year: i32, month: u32, day: u32) -> Option<CivilDate> {
    let month_days = match month {
        12 if is_hijri_leap(year) => 30,
        1..=12 if month % 2 == 1 => 30,
        1..=12 => 29,
        _ => return None,
    };
    if day == 0 || day > month_days || !(1..=9999).contains(&year) {
        return None;
    }
    let days = HIJRI_EPOCH_MINUS_ONE
        + hijri_days_before_year(year)
        + hijri_days_before_month(month)
        + i64::from(day);
    Some(civil_from_days(days))
}

/// The tabular (civil) Hijri date (year, month, day) of a Gregorian date, for dates
/// from 1 Muharram 1 AH on.
///
/// ```
/// use naql::dates::gregorian_to_hijri;
/// assert_eq!(gregorian_to_hijri(2023, 9, 19), Some((1445, 3, 4)));
/// ```
pub fn gregorian_to_hijri(year: i32, month: u32, day: u32) -> Option<(i32, u32, u32)> {
    if !is_valid_gregorian(year, month, day) {
        return None;
    }
    let day_number = days_from_civil(year, month, day) - HIJRI_EPOCH_MINUS_ONE;
    if day_number < 1 {
        return None;
    }
    // An estimate from the mean year of 10631/30 days, then corrected.
    let mut h_year = ((30 * (day_number - 1) + 10_646) / 10_631) as i32;
    while hijri_days_before_year(h_year) >= day_number {
        h_year -= 1;
    }
    while hijri_days_before_year(h_year + 1) < day_number {
        h_year += 1;
    }
    let day_of_year = day_number - hijri_days_before_year(h_year);
    let mut h_month = 12;
    while hijri_days_before_month(h_month) >= day_of_year {
        h_month -= 1;
    }
    let h_day = day_of_year - hijri_days_before_month(h_month);
    Some((h_year, h_month, h_day as u32))
}

/// A publication date found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// ISO 8601 date, with `THH:MM` when the time of day is written next to it.
    pub iso: String,
    /// Byte range of the date as written, with the time of day when there is one
    /// (`۱۵:۲۷ - ۲۸ شهريور ۱۴۰۲`): what `published_at_text` shows.
    pub range: Range<usize>,
    /// `gregorian`, `solar_hijri` or `hijri` (the tabular Hijri calendar).
    pub calendar: &'static str,
}

const PERSIAN_MONTHS: &[&str] = &[
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];

const ENGLISH_MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const ARABIC_MONTHS: &[&[&str]] = &[
    &["يناير", "كانون الثاني"],
    &["فبراير", "شباط"],
    &["مارس", "آذار"],
    &["أبريل", "ابريل", "نيسان"],
    &["مايو", "أيار"],
    &["يونيو", "حزيران"],
    &["يوليو", "تموز"],
    &["أغسطس", "اغسطس", "آب"],
    &["سبتمبر", "أيلول"],
    &["أكتوبر", "اكتوبر", "تشرين الأول"],
    &["نوفمبر", "تشرين الثاني"],
    &["ديسمبر", "كانون الأول"],
];

/// ASCII digits for Persian and Arabic-Indic ones.
fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            other => other,
        })
        .collect()
}

/// The month names' keys ([`crate::gazetteer::name_key`]), folded once for the run
/// instead of once per date-like phrase: each Persian month, the Arabic names with
/// their month, and the Hijri names without spaces with theirs.
struct MonthKeys {
    persian: Vec<String>,
    arabic: Vec<(String, u32)>,
    hijri: Vec<(String, u32)>,
}

fn month_keys() -> &'static MonthKeys {
    static KEYS: OnceLock<MonthKeys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let numbered = |months: &[&[&str]], fold: &dyn Fn(&str) -> String| {
            (1..)
                .zip(months)
                .flat_map(|(n, names)| names.iter().map(move |m| (n, m)))
                .map(|(n, m)| (fold(m), n))
                .collect()
        };
        MonthKeys {
            persian: PERSIAN_MONTHS
                .iter()
                .map(|m| crate::gazetteer::name_key(m))
                .collect(),
            arabic: numbered(ARABIC_MONTHS, &crate::gazetteer::name_key),
            hijri: numbered(HIJRI_MONTHS, &squeezed_key),
        }
    })
}

/// The number (from 1) of the Persian month whose key is `folded`.
fn persian_month_index(folded: &str) -> Option<u32> {
    let at = month_keys().persian.iter().position(|m| m == folded)?;
    Some(at as u32 + 1)
}

fn month_index(name: &str) -> Option<u32> {
    let folded = crate::gazetteer::name_key(name);
    persian_month_index(&folded)
        .or_else(|| {
            let lower = name.to_lowercase();
            ENGLISH_MONTHS
                .iter()
                .position(|m| *m == lower || (lower.len() >= 3 && m.starts_with(&lower)))
                .map(|i| i as u32 + 1)
        })
        .or_else(|| {
            let keys = &month_keys().arabic;
            keys.iter().find(|(m, _)| *m == folded).map(|&(_, n)| n)
        })
}

/// A month name's key without spaces.
fn squeezed_key(name: &str) -> String {
    crate::gazetteer::name_key(name).replace(' ', "")
}

/// Hijri month names, Arabic and Persian spellings; compared on their key without
/// spaces, so ربيع الأول, ربيع الاول, ربیع‌الاول and ربيع أول are one name.
const HIJRI_MONTHS: &[&[&str]] = &[
    &["محرم", "المحرم"],
    &["صفر"],
    &["ربيع الأول", "ربيع أول", "ربیع الاول"],
    &["ربيع الثاني", "ربيع الآخر", "ربيع ثاني", "ربیع الثانی"],
    &["جمادى الأولى", "جمادى الأول", "جمادی الاول", "جمادی الاولی"],
    &[
        "جمادى الآخرة",
        "جمادى الثانية",
        "جمادى الثاني",
        "جمادی الثانی",
        "جمادی الآخر",
    ],
    &["رجب"],
    &["شعبان"],
    &["رمضان"],
    &["شوال"],
    &["ذو القعدة", "ذي القعدة", "ذی القعده", "ذیقعده"],
    &["ذو الحجة", "ذي الحجة", "ذی الحجه", "ذیحجه"],
];

fn hijri_month_index(name: &str) -> Option<u32> {
    let folded = squeezed_key(name);
    let keys = &month_keys().hijri;
    keys.iter().find(|(m, _)| *m == folded).map(|&(_, n)| n)
}

/// How far into a text [`find_published`] looks: the byline zone of a page.
pub const HEAD_BYTES: usize = 2000;

/// The first publication date in `text` (its first [`HEAD_BYTES`] bytes: the byline
/// zone), with the time of day written on the same line. On the earliest line with a
/// date, Solar Hijri dates come first (Persian pages give both), then Gregorian ones,
/// then Hijri (lunar) ones, whose tabular conversion can be a day off the calendar the
/// page uses.
///
/// ```
/// use naql::dates::find_published;
/// let text = "تاریخ انتشار: ۱۵:۲۷ - ۲۸ شهريور ۱۴۰۲ - 2023 September 19";
/// let found = find_published(text).unwrap();
/// assert_eq!(found.iso, "2023-09-19T15:27");
/// assert_eq!(found.calendar, "solar_hijri");
/// assert_eq!(&text[found.range], "۱۵:۲۷ - ۲۸ شهريور ۱۴۰۲");
/// let found = find_published("تاريخ النشر: 19th, September 2023 GMT").unwrap();
/// assert_eq!((found.iso.as_str(), found.calendar), ("2023-09-19", "gregorian"));
/// let found = find_published("الثلاثاء ٤ ربيع الأول ١٤٤٥ هـ").unwrap();
/// assert_eq!((found.iso.as_str(), found.calendar), ("2023-09-19", "hijri"));
/// ```
pub fn find_published(text: &str) -> Option<Published> {
    let mut head_end = text.len().min(HEAD_BYTES);
    while !text.is_char_boundary(head_end) {
        head_end -= 1;
    }
    find_published_in(text, 0..head_end)
}

/// The first publication date in `text[region]` (a byline paragraph), as
/// [`find_published`] finds it; the range is into `text`. `region` must lie on
/// character boundaries.
///
/// ```
/// use naql::dates::find_published_in;
/// let text = "Title\nPublished 19 September 2023, 10:05\nBody of 2023-01-01.";
/// let found = find_published_in(text, 6..40).unwrap();
/// assert_eq!(found.iso, "2023-09-19T10:05");
/// assert_eq!(&text[found.range], "19 September 2023, 10:05");
/// ```
pub fn find_published_in(text: &str, region: Range<usize>) -> Option<Published> {
    let head = text.get(region.clone())?;
    let mut found = find_in(head)?;
    found.range = found.range.start + region.start..found.range.end + region.start;
    Some(found)
}

/// Where a text may hold a date: every form [`find_in`] reads has a year of four
/// digits (ASCII, Persian ۰-۹ or Arabic-Indic ٠-٩) right after white space (the
/// written-out forms) or right before `-`, `/` or `.` (the numeric form). Each
/// pattern's search runs only where its shape is in the text, which most heads lack.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct YearShapes {
    /// A run of four digits or more right after a character that is white space.
    after_space: bool,
    /// A run of four digits or more right before `-`, `/` or `.`.
    before_separator: bool,
}

/// The [`YearShapes`] of `text`. Digits are found eight bytes at a time without
/// decoding: most heads hold few, and decoding them character by character was about
/// a fifth of what finding the dates cost. A Persian digit is the bytes DB B0..B9 and
/// an Arabic-Indic one D9 A0..A9, so a digit is an ASCII digit, or a DB or D9 whose
/// next byte is in range; none of these is a continuation byte, so every byte found
/// starts a character.
fn year_shapes(text: &str) -> YearShapes {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let bytes = text.as_bytes();
    // The top bit of each byte of `x` that is in `lo..=hi` (both below 0x80): adding
    // to the low seven bits carries into the top bit from `lo` on, and from `hi + 1`
    // on for the second sum; a byte with its own top bit set is out.
    let in_range = |x: u64, lo: u8, hi: u8| {
        let low = x & LOWS;
        let from_lo = low + ONES * u64::from(0x80 - lo);
        let past_hi = low + ONES * u64::from(0x7F - hi);
        from_lo & !past_hi & !x & HIGHS
    };
    // The top bit of each byte of `x` equal to `b`, exactly (no borrow between bytes).
    let equal = |x: u64, b: u8| {
        let v = x ^ (ONES * u64::from(b));
        !(((v & LOWS) + LOWS) | v) & HIGHS
    };
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
    // The length in bytes of the digit at `i`, 0 if there is none.
    let digit_at = |i: usize| match bytes.get(i) {
        Some(b'0'..=b'9') => 1,
        Some(0xDB) if bytes.get(i + 1).is_some_and(|b| (0xB0..=0xB9).contains(b)) => 2,
        Some(0xD9) if bytes.get(i + 1).is_some_and(|b| (0xA0..=0xA9).contains(b)) => 2,
        _ => 0,
    };
    let mut shapes = YearShapes::default();
    let mut at = 0;
    while at < bytes.len() {
        // Each word with the word one byte on, whose bytes follow the first's; a trail
        // byte with its top bit flipped is in ASCII's range.
        if at + 9 <= bytes.len() {
            let (x, next) = (word(at), word(at + 1) ^ HIGHS);
            let digits = in_range(x, b'0', b'9')
                | equal(x, 0xDB) & in_range(next, 0x30, 0x39)
                | equal(x, 0xD9) & in_range(next, 0x20, 0x29);
            if digits == 0 {
                at += 8;
                continue;
            }
            at += digits.trailing_zeros() as usize / 8;
        } else if digit_at(at) == 0 {
            at += 1;
            continue;
        }
        // A run of digits starts at `at`: the character before is none.
        let start = at;
        let mut run = 0;
        loop {
            let n = digit_at(at);
            if n == 0 {
                break;
            }
            at += n;
            run += 1;
        }
        if run >= 4 {
            shapes.after_space |= text[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace);
            shapes.before_separator |= matches!(bytes.get(at), Some(b'-' | b'/' | b'.'));
            if shapes.after_space && shapes.before_separator {
                break;
            }
        }
    }
    shapes
}

fn find_in(head: &str) -> Option<Published> {
    let shapes = year_shapes(head);
    if shapes == YearShapes::default() {
        return None;
    }
    static PATTERNS: OnceLock<[Regex; 5]> = OnceLock::new();
    let [solar, hijri, day_month_year, month_day_year, numeric] = PATTERNS.get_or_init(|| {
        let digits = r"[0-9۰-۹٠-٩]";
        [
            // ۲۸ شهریور ۱۴۰۲
            Regex::new(&format!(r"({digits}{{1,2}})\s+(\p{{Arabic}}+)\s+({digits}{{4}})"))
                .expect("valid pattern"),
            // ٤ ربيع الأول ١٤٤٥ هـ, ۳ ربیع‌الاول ۱۴۴۵. The era letter ه or ق alone must
            // end its word; that is checked below, since a Unicode word boundary in the
            // pattern keeps the regex engine off its fast path (its lazy DFA gives up
            // on non-ASCII text) for the whole search.
            Regex::new(&format!(
                r"({digits}{{1,2}})\s+(\p{{Arabic}}+(?:[\s\u{{200C}}]+\p{{Arabic}}+)?)\s+({digits}{{4}})(?:\s*(?:هـ|ه\.?ق|(ه|ق)))?"
            ))
            .expect("valid pattern"),
            // 19th, September 2023 / 19 سبتمبر 2023
            Regex::new(&format!(
                r"({digits}{{1,2}})(?:st|nd|rd|th)?,?\s+([\p{{L}}]+(?:\s[\p{{Arabic}}]+)?),?\s+({digits}{{4}})"
            ))
            .expect("valid pattern"),
            // September 19, 2023
            Regex::new(&format!(r"([A-Za-z]+)\.?\s+({digits}{{1,2}})(?:st|nd|rd|th)?,?\s+({digits}{{4}})"))
                .expect("valid pattern"),
            // 2023-09-19, ۲۰۲۳/۰۹/۱۹, 1402/06/28
            Regex::new(&format!(r"({digits}{{4}})[-/.]({digits}{{1,2}})[-/.]({digits}{{1,2}})"))
                .expect("valid pattern"),
        ]
    });
    let number = |s: &str| ascii_digits(s).parse::<i64>().ok();
    // (preference, date): Solar Hijri 0, Gregorian 1, Hijri 2.
    let mut found: Vec<(u8, Published)> = Vec::new();
    let mut push = |preference: u8, iso: String, range: Range<usize>, calendar| {
        found.push((
            preference,
            Published {
                iso,
                range,
                calendar,
            },
        ));
    };
    let gregorian = |year: i64, month: u32, day: i64| {
        let (year, day) = (i32::try_from(year).ok()?, u32::try_from(day).ok()?);
        ((1900..2200).contains(&year) && is_valid_gregorian(year, month, day))
            .then(|| CivilDate { year, month, day }.iso())
    };
    // The searches of the patterns whose year's shape is in the head.
    let search = |pattern: &'static Regex, shape: bool| {
        shape
            .then(|| pattern.captures_iter(head))
            .into_iter()
            .flatten()
    };
    for c in search(solar, shapes.after_space) {
        let (Some(day), Some(year)) = (number(&c[1]), number(&c[3])) else {
            continue;
        };
        let Some(month) = persian_month_index(&crate::gazetteer::name_key(&c[2])) else {
            continue;
        };
        if let Some(date) = solar_hijri_to_gregorian(year as i32, month, day as u32) {
            push(
                0,
                date.iso(),
                c.get(0).expect("whole match").range(),
                "solar_hijri",
            );
        }
    }
    static WORD_CHAR: OnceLock<Regex> = OnceLock::new();
    let word_char = WORD_CHAR.get_or_init(|| Regex::new(r"^\w").expect("valid pattern"));
    for c in search(hijri, shapes.after_space) {
        let (Some(day), Some(year)) = (number(&c[1]), number(&c[3])) else {
            continue;
        };
        let Some(month) = hijri_month_index(&c[2]) else {
            continue;
        };
        if !(1300..1600).contains(&year) {
            continue;
        }
        let mut range = c.get(0).expect("whole match").range();
        if c.get(4).is_some() && word_char.is_match(&head[range.end..]) {
            // Not the era letter but the start of a word: the date ends with its year.
            range.end = c.get(3).expect("year").end();
        }
        if let Some(date) = hijri_to_gregorian(year as i32, month, day as u32) {
            push(2, date.iso(), range, "hijri");
        }
    }
    for c in search(day_month_year, shapes.after_space) {
        let (Some(day), Some(year), Some(month)) =
            (number(&c[1]), number(&c[3]), month_index(&c[2]))
        else {
            continue;
        };
        if let Some(iso) = gregorian(year, month, day) {
            push(1, iso, c.get(0).expect("whole match").range(), "gregorian");
        }
    }
    for c in search(month_day_year, shapes.after_space) {
        let (Some(month), Some(day), Some(year)) =
            (month_index(&c[1]), number(&c[2]), number(&c[3]))
        else {
            continue;
        };
        if let Some(iso) = gregorian(year, month, day) {
            push(1, iso, c.get(0).expect("whole match").range(), "gregorian");
        }
    }
    for c in search(numeric, shapes.before_separator) {
        let (Some(year), Some(month), Some(day)) = (number(&c[1]), number(&c[2]), number(&c[3]))
        else {
            continue;
        };
        let range = c.get(0).expect("whole match").range();
        let Ok(month) = u32::try_from(month) else {
            continue;
        };
        if (1300..1500).contains(&year) {
            if let Some(date) = solar_hijri_to_gregorian(year as i32, month, day as u32) {
                push(0, date.iso(), range, "solar_hijri");
            }
        } else if let Some(iso) = gregorian(year, month, day) {
            push(1, iso, range, "gregorian");
        }
    }
    // The earliest line with a date; on it, Solar Hijri first.
    let line_of = |at: usize| head[..at].matches('\n').count();
    found.sort_by_key(|(preference, p)| (line_of(p.range.start), *preference, p.range.start));
    let (_, mut published) = found.into_iter().next()?;
    // A time of day on the same line (۱۵:۲۷).
    let line_start = head[..published.range.start]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_end = head[published.range.end..]
        .find('\n')
        .map_or(head.len(), |i| published.range.end + i);
    static TIME: OnceLock<Regex> = OnceLock::new();
    let time = TIME
        .get_or_init(|| Regex::new(r"([0-9۰-۹٠-٩]{1,2}):([0-9۰-۹٠-٩]{2})").expect("valid pattern"));
    for c in time.captures_iter(&head[line_start..line_end]) {
        let whole = c.get(0).expect("whole match");
        let at = line_start + whole.start()..line_start + whole.end();
        // Not a time inside the date itself, nor glued to more digits (12:345).
        let glued = |s: Option<char>| s.is_some_and(|c| segment::is_numeric(c) || c == ':');
        if (at.start < published.range.end && at.end > published.range.start)
            || glued(head[..at.start].chars().next_back())
            || glued(head[at.end..].chars().next())
        {
            continue;
        }
        if let (Some(h), Some(m)) = (number(&c[1]), number(&c[2])) {
            if h < 24 && m < 60 {
                published.iso = format!("{}T{h:02}:{m:02}", published.iso);
                published.range =
                    published.range.start.min(at.start)..published.range.end.max(at.end);
                break;
            }
        }
    }
    Some(published)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known pairs (Solar Hijri, Gregorian), including the ends of leap years 1399 and
    /// 1403 and Nowruz days around them.
    const PAIRS: &[((i32, u32, u32), &str)] = &[
        ((1402, 6, 28), "2023-09-19"),
        ((1402, 1, 1), "2023-03-21"),
        ((1403, 1, 1), "2024-03-20"),
        ((1403, 12, 30), "2025-03-20"),
        ((1404, 1, 1), "2025-03-21"),
        ((1399, 1, 1), "2020-03-20"),
        ((1399, 12, 30), "2021-03-20"),
        ((1400, 1, 1), "2021-03-21"),
        ((1398, 12, 29), "2020-03-19"),
        ((1395, 1, 1), "2016-03-20"),
        ((1396, 1, 1), "2017-03-21"),
        ((1357, 11, 22), "1979-02-11"),
        ((1358, 1, 1), "1979-03-21"),
        ((1367, 4, 27), "1988-07-18"),
        ((1376, 3, 2), "1997-05-23"),
        ((1384, 5, 12), "2005-08-03"),
        ((1392, 3, 24), "2013-06-14"),
        ((1397, 2, 18), "2018-05-08"),
        ((1398, 8, 24), "2019-11-15"),
        ((1401, 6, 25), "2022-09-16"),
        ((1403, 4, 15), "2024-07-05"),
        ((1402, 10, 11), "2024-01-01"),
    ];

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        #[test]
        fn year_shapes_are_found_as_by_their_characters(
            // Digits (often in runs), the characters next to them in ASCII and in
            // UTF-8, white space within and beyond ASCII, and the numeric form's
            // separators.
            text in proptest::collection::vec(
                proptest::sample::select(vec![
                    "0", "9", "5", "/", ":", "-", ".", "a", " ", "\t", "\u{a0}", "\u{2003}",
                    "\u{200c}", "۰", "۹", "۴", "٠", "٩", "٤", "۰۹۹۱", "٩٠٠٤", "1990",
                    "\u{065f}", "\u{066a}", "\u{06af}", "\u{06ba}", "\u{0620}", "\u{06f0}\u{200c}",
                ]),
                0..24,
            ).prop_map(|parts: Vec<&str>| parts.concat()),
        ) {
            // Every suffix, so that each character is read by the words and at the end.
            for (at, _) in text.char_indices() {
                let chars: Vec<char> = text[at..].chars().collect();
                let digit = |c: char| c.is_ascii_digit() || matches!(c, '۰'..='۹' | '٠'..='٩');
                let mut expected = YearShapes::default();
                let mut i = 0;
                while i < chars.len() {
                    let start = i;
                    while i < chars.len() && digit(chars[i]) {
                        i += 1;
                    }
                    if i - start >= 4 {
                        expected.after_space |= start > 0 && chars[start - 1].is_whitespace();
                        expected.before_separator |= matches!(chars.get(i), Some('-' | '/' | '.'));
                    }
                    i = i.max(start + 1);
                }
                proptest::prop_assert_eq!(year_shapes(&text[at..]), expected, "{:?}", &text[at..]);
            }
        }
    }

    #[test]
    fn year_shapes_of_heads() {
        let shapes = |after_space, before_separator| YearShapes {
            after_space,
            before_separator,
        };
        for (head, expected) in [
            ("۲۸ شهریور ۱۴۰۲", shapes(true, false)),
            ("19 September\u{a0}2023", shapes(true, false)),
            ("2023-09-19", shapes(false, true)),
            ("٢٠٢٣/٠٩/١٩ 12345", shapes(true, true)),
            ("id12345 of 123 and 15:27", shapes(false, false)),
            ("۱۲۳ ۴۵۶.۷۸۹", shapes(false, false)),
            ("\u{200c}1402", shapes(false, false)),
            ("abcdefghij 12345678.", shapes(true, true)),
        ] {
            assert_eq!(year_shapes(head), expected, "{head}");
        }
    }

    #[test]
    fn solar_hijri_known_pairs_both_ways() {
        for &((y, m, d), iso) in PAIRS {
            assert_eq!(
                solar_hijri_to_gregorian(y, m, d).unwrap().iso(),
                iso,
                "{y}-{m}-{d}"
            );
            let g: Vec<i64> = iso.split('-').map(|p| p.parse().unwrap()).collect();
            assert_eq!(
                gregorian_to_solar_hijri(g[0] as i32, g[1] as u32, g[2] as u32),
                Some((y, m, d)),
                "{iso}"
            );
        }
    }

    #[test]
    fn round_trip_every_day_of_a_century() {
        let start = days_from_civil(1950, 1, 1);
        for days in start..start + 36_525 {
            let g = civil_from_days(days);
            assert_eq!(days_from_civil(g.year, g.month, g.day), days);
            let (y, m, d) = gregorian_to_solar_hijri(g.year, g.month, g.day).unwrap();
            assert_eq!(solar_hijri_to_gregorian(y, m, d), Some(g));
        }
    }

    /// Known pairs of the tabular (civil) Hijri calendar: the sample dates of
    /// Reingold and Dershowitz's Calendrical Calculations (also ICU's islamic-civil
    /// test cases), and the Arabic sample's date.
    const HIJRI_PAIRS: &[((i32, u32, u32), &str)] = &[
        ((1, 1, 1), "0622-07-19"),
        ((75, 7, 13), "0694-11-10"),
        ((403, 10, 5), "1013-04-25"),
        ((489, 5, 22), "1096-05-24"),
        ((586, 2, 7), "1190-03-23"),
        ((637, 8, 7), "1240-03-10"),
        ((687, 2, 20), "1288-04-02"),
        ((697, 7, 7), "1298-04-27"),
        ((793, 7, 1), "1391-06-12"),
        ((839, 7, 6), "1436-02-03"),
        ((897, 6, 1), "1492-04-09"),
        ((960, 9, 30), "1553-09-19"),
        ((967, 5, 27), "1560-03-05"),
        ((1058, 5, 18), "1648-06-10"),
        ((1091, 6, 2), "1680-06-30"),
        ((1128, 8, 4), "1716-07-24"),
        ((1182, 2, 3), "1768-06-19"),
        ((1234, 10, 10), "1819-08-02"),
        ((1255, 1, 11), "1839-03-27"),
        ((1321, 1, 21), "1903-04-19"),
        ((1348, 3, 19), "1929-08-25"),
        ((1360, 9, 8), "1941-09-29"),
        ((1362, 4, 13), "1943-04-19"),
        ((1362, 10, 7), "1943-10-07"),
        ((1412, 9, 13), "1992-03-17"),
        ((1416, 10, 5), "1996-02-25"),
        ((1460, 10, 12), "2038-11-10"),
        ((1518, 3, 5), "2094-07-18"),
        ((1445, 3, 4), "2023-09-19"),
        ((1445, 1, 1), "2023-07-19"),
    ];

    #[test]
    fn hijri_known_pairs_both_ways() {
        for &((y, m, d), iso) in HIJRI_PAIRS {
            assert_eq!(
                hijri_to_gregorian(y, m, d).unwrap().iso(),
                iso,
                "{y}-{m}-{d}"
            );
            let g: Vec<i64> = iso.split('-').map(|p| p.parse().unwrap()).collect();
            assert_eq!(
                gregorian_to_hijri(g[0] as i32, g[1] as u32, g[2] as u32),
                Some((y, m, d)),
                "{iso}"
            );
        }
    }

    #[test]
    fn hijri_round_trip_and_month_lengths() {
        let start = days_from_civil(1900, 1, 1);
        let mut previous: Option<(i32, u32, u32)> = None;
        for days in start..start + 73_050 {
            let g = civil_from_days(days);
            let h = gregorian_to_hijri(g.year, g.month, g.day).unwrap();
            assert_eq!(hijri_to_gregorian(h.0, h.1, h.2), Some(g), "{h:?}");
            // Consecutive days are consecutive Hijri dates.
            if let Some((y, m, d)) = previous {
                let next_month = if m == 12 {
                    (y + 1, 1, 1)
                } else {
                    (y, m + 1, 1)
                };
                assert!(
                    h == (y, m, d + 1) || h == next_month,
                    "{previous:?} -> {h:?}"
                );
            }
            previous = Some(h);
        }
        // 30-year cycle: 11 leap years, 10631 days.
        assert_eq!((1..=30).filter(|&y| is_hijri_leap(y)).count(), 11);
        assert_eq!(
            hijri_days_before_year(31) - hijri_days_before_year(1),
            10_631
        );
        assert!(hijri_to_gregorian(1442, 12, 30).is_some());
        assert!(hijri_to_gregorian(1444, 12, 30).is_none());
    }

    #[test]
    fn bylines_of_the_samples_and_other_forms() {
        let cases = [
            (
                "تاریخ انتشار: ۱۵:۲۷ - ۲۸ شهريور ۱۴۰۲ - 2023 September 19",
                "2023-09-19T15:27",
                "solar_hijri",
            ),
            (
                "تاريخ النشر: 19th, September 2023 GMT",
                "2023-09-19",
                "gregorian",
            ),
            ("Published September 19, 2023", "2023-09-19", "gregorian"),
            ("نشر في ٤ أبريل ٢٠٢٥", "2025-04-04", "gregorian"),
            (
                "updated 2023-09-19 10:05 GMT",
                "2023-09-19T10:05",
                "gregorian",
            ),
            ("کد خبر ۱۲ - ۱۴۰۲/۰۶/۲۸", "2023-09-19", "solar_hijri"),
            ("الثلاثاء ٤ ربيع الأول ١٤٤٥ هـ", "2023-09-19", "hijri"),
            ("٤ ربيع الاول ١٤٤٥", "2023-09-19", "hijri"),
            ("سه‌شنبه ۳ ربیع‌الاول ۱۴۴۵", "2023-09-18", "hijri"),
            ("1 رمضان 1444 هـ - 10:30", "2023-03-23T10:30", "hijri"),
            (
                "الثلاثاء 19 سبتمبر 2023 م الموافق 4 ربيع الأول 1445 هـ",
                "2023-09-19",
                "gregorian",
            ),
            (
                "سه‌شنبه ۲۸ شهریور ۱۴۰۲ - ۳ ربیع‌الاول ۱۴۴۵",
                "2023-09-19",
                "solar_hijri",
            ),
            ("Published ۲۰۲۳/۰۹/۱۹", "2023-09-19", "gregorian"),
        ];
        for (text, iso, calendar) in cases {
            let found = find_published(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(
                (found.iso.as_str(), found.calendar),
                (iso, calendar),
                "{text}"
            );
        }
        // The text shown in published_at_text: the date, and the time when written.
        for (text, shown) in [
            (
                "تاریخ انتشار: ۱۵:۲۷ - ۲۸ شهريور ۱۴۰۲ - 2023 September 19",
                "۱۵:۲۷ - ۲۸ شهريور ۱۴۰۲",
            ),
            (
                "تاريخ النشر: 19th, September 2023 GMT",
                "19th, September 2023",
            ),
            ("الثلاثاء ٤ ربيع الأول ١٤٤٥ هـ", "٤ ربيع الأول ١٤٤٥ هـ"),
            ("updated 2023-09-19 10:05 GMT", "2023-09-19 10:05"),
            // The era letter alone ends a word, else it starts the next one.
            ("٤ ربيع الأول ١٤٤٥ ه", "٤ ربيع الأول ١٤٤٥ ه"),
            ("٤ ربيع الأول ١٤٤٥ ق. الموافق", "٤ ربيع الأول ١٤٤٥ ق"),
            ("٤ ربيع الأول ١٤٤٥ ه.ق", "٤ ربيع الأول ١٤٤٥ ه.ق"),
            ("٤ ربيع الأول ١٤٤٥ هجرية", "٤ ربيع الأول ١٤٤٥"),
            ("٤ ربيع الأول ١٤٤٥ قمری", "٤ ربيع الأول ١٤٤٥"),
            ("٤ ربيع الأول ١٤٤٥ ه\u{200c}ق", "٤ ربيع الأول ١٤٤٥"),
        ] {
            let found = find_published(text).unwrap();
            assert_eq!(&text[found.range], shown);
        }
        assert_eq!(find_published("no date here, only 12 words"), None);
    }
}
