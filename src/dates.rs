//! Publication dates written in news pages: Gregorian and Solar Hijri (Persian) dates
//! in bylines, converted exactly to ISO 8601.
//!
//! The Solar Hijri calendar here is the arithmetic one with a 33-year cycle: years
//! whose remainder modulo 33 is 1, 5, 9, 13, 17, 22, 26 or 30 are leap years (Esfand
//! has 30 days). It agrees with the official (astronomical) Iranian calendar for every
//! year from 1244 to 1403 and beyond, which covers digital news; 1 Farvardin 1403 is
//! 2024-03-20.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

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

/// A publication date found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// ISO 8601 date, with `THH:MM` when the time of day is written next to it.
    pub iso: String,
    /// Byte range of the date (and time) as written.
    pub range: Range<usize>,
    /// `gregorian` or `solar_hijri`.
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

fn month_index(name: &str) -> Option<u32> {
    let folded = crate::gazetteer::name_key(name);
    let lower = name.to_lowercase();
    PERSIAN_MONTHS
        .iter()
        .position(|m| crate::gazetteer::name_key(m) == folded)
        .or_else(|| {
            ENGLISH_MONTHS
                .iter()
                .position(|m| *m == lower || (lower.len() >= 3 && m.starts_with(&lower)))
        })
        .or_else(|| {
            ARABIC_MONTHS.iter().position(|names| {
                names
                    .iter()
                    .any(|m| crate::gazetteer::name_key(m) == folded)
            })
        })
        .map(|i| i as u32 + 1)
}

/// The first publication date in `text` (its first 2,000 bytes: the byline zone),
/// Solar Hijri dates preferred to Gregorian ones on the same line (Persian pages give
/// both).
///
/// ```
/// use naql::dates::find_published;
/// let text = "تاریخ انتشار: ۱۵:۲۷ - ۲۸ شهريور ۱۴۰۲ - 2023 September 19";
/// let found = find_published(text).unwrap();
/// assert_eq!(found.iso, "2023-09-19T15:27");
/// assert_eq!(found.calendar, "solar_hijri");
/// let found = find_published("تاريخ النشر: 19th, September 2023 GMT").unwrap();
/// assert_eq!((found.iso.as_str(), found.calendar), ("2023-09-19", "gregorian"));
/// ```
pub fn find_published(text: &str) -> Option<Published> {
    static PATTERNS: OnceLock<[Regex; 4]> = OnceLock::new();
    let [solar, day_month_year, month_day_year, numeric] = PATTERNS.get_or_init(|| {
        let digits = r"[0-9۰-۹٠-٩]";
        [
            // ۲۸ شهریور ۱۴۰۲
            Regex::new(&format!(r"({digits}{{1,2}})\s+(\p{{Arabic}}+)\s+({digits}{{4}})"))
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
    let mut head_end = text.len().min(2000);
    while !text.is_char_boundary(head_end) {
        head_end -= 1;
    }
    let head = &text[..head_end];
    let number = |s: &str| ascii_digits(s).parse::<i64>().ok();
    let mut found: Vec<(usize, Published)> = Vec::new();
    for c in solar.captures_iter(head) {
        let (Some(day), Some(year)) = (number(&c[1]), number(&c[3])) else {
            continue;
        };
        let Some(month) = PERSIAN_MONTHS
            .iter()
            .position(|m| crate::gazetteer::name_key(m) == crate::gazetteer::name_key(&c[2]))
        else {
            continue;
        };
        if let Some(date) = solar_hijri_to_gregorian(year as i32, month as u32 + 1, day as u32) {
            let m = c.get(0).expect("whole match");
            found.push((
                0,
                Published {
                    iso: date.iso(),
                    range: m.range(),
                    calendar: "solar_hijri",
                },
            ));
        }
    }
    for c in day_month_year.captures_iter(head) {
        let (Some(day), Some(year), Some(month)) =
            (number(&c[1]), number(&c[3]), month_index(&c[2]))
        else {
            continue;
        };
        if (1900..2200).contains(&year) && is_valid_gregorian(year as i32, month, day as u32) {
            let iso = CivilDate {
                year: year as i32,
                month,
                day: day as u32,
            }
            .iso();
            let m = c.get(0).expect("whole match");
            found.push((
                1,
                Published {
                    iso,
                    range: m.range(),
                    calendar: "gregorian",
                },
            ));
        }
    }
    for c in month_day_year.captures_iter(head) {
        let (Some(month), Some(day), Some(year)) =
            (month_index(&c[1]), number(&c[2]), number(&c[3]))
        else {
            continue;
        };
        if (1900..2200).contains(&year) && is_valid_gregorian(year as i32, month, day as u32) {
            let iso = CivilDate {
                year: year as i32,
                month,
                day: day as u32,
            }
            .iso();
            let m = c.get(0).expect("whole match");
            found.push((
                1,
                Published {
                    iso,
                    range: m.range(),
                    calendar: "gregorian",
                },
            ));
        }
    }
    for c in numeric.captures_iter(head) {
        let (Some(year), Some(month), Some(day)) = (number(&c[1]), number(&c[2]), number(&c[3]))
        else {
            continue;
        };
        let m = c.get(0).expect("whole match");
        if (1300..1500).contains(&year) {
            if let Some(date) = solar_hijri_to_gregorian(year as i32, month as u32, day as u32) {
                found.push((
                    0,
                    Published {
                        iso: date.iso(),
                        range: m.range(),
                        calendar: "solar_hijri",
                    },
                ));
            }
        } else if (1900..2200).contains(&year)
            && is_valid_gregorian(year as i32, month as u32, day as u32)
        {
            let iso = CivilDate {
                year: year as i32,
                month: month as u32,
                day: day as u32,
            }
            .iso();
            found.push((
                1,
                Published {
                    iso,
                    range: m.range(),
                    calendar: "gregorian",
                },
            ));
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
    if let Some(c) = time.captures(&head[line_start..line_end]) {
        if let (Some(h), Some(m)) = (number(&c[1]), number(&c[2])) {
            if h < 24 && m < 60 {
                published.iso = format!("{}T{h:02}:{m:02}", published.iso);
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
        ];
        for (text, iso, calendar) in cases {
            let found = find_published(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(
                (found.iso.as_str(), found.calendar),
                (iso, calendar),
                "{text}"
            );
        }
        assert_eq!(find_published("no date here, only 12 words"), None);
    }
}
