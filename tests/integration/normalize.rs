//! The matching key: fold pairs, test vectors from other normalisers, and properties of
//! the offset map over random text.

use naql::normalize::{fold_char, key, Fold, Key, Normalizer};
use proptest::prelude::*;

/// Pairs from issue 3 that differ only by the folds.
#[test]
fn issue_fold_pairs() {
    for (a, b) in [
        ("كتاب", "کتاب"),
        ("ايران", "ایران"),
        ("إيران", "ایران"),
        ("مُحَمَّد", "محمد"),
        ("بـــوتين", "بوتین"),
        ("ﻣﺴﻜﻮ", "مسکو"),
        ("۱۴۰۲", "1402"),
        ("Лавров", "лавров"),
        ("قره‌باغ", "قره باغ"),
        ("Ёлка", "елка"),
        ("زاخارووا\u{200F}", "\u{202B}زاخارووا\u{202C}"),
        ("ماريا\u{A0}\u{A0}زاخاروفا", "ماریا زاخاروفا"),
    ] {
        assert_eq!(key(a).text, key(b).text, "{a:?} / {b:?}");
    }
}

/// Rows of the shared `norm_cases.tsv` that are pure letter normalisation, as
/// (source, input, expected): the key of the input must equal the key of the expected
/// output. Direction does not matter: Lucene folds Persian letters to Arabic ones and hazm
/// Arabic to Persian, and both sides of each pair meet in the key.
///
/// Used: Lucene `TestArabicNormalizationFilter` (all 14 rows), `TestPersianNormalizationFilter`
/// (all 6), the digit rows of `TestArabicAnalyzer` and `TestPersianAnalyzer`,
/// `TestPersianCharFilter` (ZWNJ as a space); hazm `correct_spacing` rows that only collapse
/// spaces or runs of ZWNJ (these equal the key's one-space rule), its tatweel row,
/// `remove_diacritics`, `persian_number`, the ezafe hamza row of its stemmer test
/// (`خانهٔ`), and the observed `hazm.normalize` rows; camel_tools `dediac_ar`,
/// `normalize_alef_ar`, `normalize_alef_maksura_ar`, `normalize_teh_marbuta_ar`,
/// `normalize_unicode`, and `arclean` (ZWNJ to space, Farsi yeh to alef maksura).
///
/// Not used, and why: stemmer rows (hazm `Stemmer`, Lucene `ArabicStemFilter`,
/// `PersianAnalyzer` suffixes, the `derived:` rows) remove affixes, which is the matcher's
/// clitic rule, not normalisation; hazm rows that insert spaces or ZWNJ from a lexicon
/// (`مسافت ۹کیلومتر`, `جمعهها`, `seperate_mi`, `token_spacing`) or rewrite punctuation
/// (`persian_style`, the full `normalize` pipeline); the rows that trim leading or
/// trailing spaces and ZWNJ (the key is not trimmed, so offsets stay exact; callers trim
/// names); hazm's deletion of U+FDFA and replacement of U+FDFD, where naql follows NFKC
/// (U+FDFA expands, U+FDFD stays); `آمدند` kept by hazm, where naql folds alef madda as
/// Lucene's `testAlifMadda` does; the hazm 0.12.1 `ﻷ` row, which records a hazm bug; the
/// tokenizer rows (segmentation, tested in `segment.rs`).
const NORM_CASES: &[(&str, &str, &str)] = &[
    ("lucene testAlifMadda", "آجن", "اجن"),
    ("lucene testAlifHamzaAbove", "أحمد", "احمد"),
    ("lucene testAlifHamzaBelow", "إعاذ", "اعاذ"),
    ("lucene testAlifMaksura", "بنى", "بني"),
    ("lucene testTehMarbuta", "فاطمة", "فاطمه"),
    ("lucene testTatweel", "روبرـــــت", "روبرت"),
    ("lucene testFatha", "مَبنا", "مبنا"),
    ("lucene testKasra", "علِي", "علي"),
    ("lucene testDamma", "بُوات", "بوات"),
    ("lucene testFathatan", "ولداً", "ولدا"),
    ("lucene testKasratan", "ولدٍ", "ولد"),
    ("lucene testDammatan", "ولدٌ", "ولد"),
    ("lucene testSukun", "نلْسون", "نلسون"),
    ("lucene testShaddah", "هتميّ", "هتمي"),
    ("lucene TestArabicAnalyzer.testDigits", "١٢٣٤", "1234"),
    ("lucene testFarsiYeh", "های", "هاي"),
    ("lucene testYehBarree", "هاے", "هاي"),
    ("lucene testKeheh", "کشاندن", "كشاندن"),
    ("lucene testHehYeh", "كتابۀ", "كتابه"),
    ("lucene testHehHamzaAbove", "كتابهٔ", "كتابه"),
    ("lucene testHehGoal", "زادہ", "زاده"),
    ("lucene TestPersianAnalyzer.testDigits", "۱۲۳۴", "1234"),
    (
        "lucene TestPersianCharFilter",
        "this is a\u{200C}test",
        "this is a test",
    ),
    ("hazm correct_spacing", "سلام    دنیا", "سلام دنیا"),
    (
        "hazm correct_spacing",
        "کاروان\u{200C}\u{200C}سرا",
        "کاروان\u{200C}سرا",
    ),
    (
        "hazm correct_spacing",
        "سلام \u{200C}\u{200C}دنیا",
        "سلام دنیا",
    ),
    (
        "hazm correct_spacing",
        "سلام\u{200C}\u{200C} دنیا",
        "سلام دنیا",
    ),
    ("hazm correct_spacing", "ســلام", "سلام"),
    (
        "hazm correct_spacing",
        "لحظه هایی سخت",
        "لحظه\u{200C}هایی سخت",
    ),
    ("hazm remove_diacritics", "حَذفِ اِعراب", "حذف اعراب"),
    ("hazm persian_number", "ساعت 18", "ساعت ۱۸"),
    ("hazm Stemmer (ezafe hamza)", "خانهٔ", "خانه"),
    ("hazm 0.12.1 normalize", "كتاب عربي", "کتاب عربی"),
    ("hazm 0.12.1 normalize", "نخست وزیر", "نخست\u{200C}وزیر"),
    ("hazm 0.12.1 normalize", "فاطمة إيران", "فاطمة إیران"),
    (
        "camel dediac_ar",
        "ثابِتُ الدّائِرَةِ هُوَ نِسبَةُ مُحِيطِها لِقُطرِها وَيُعرَفُ بِالثّابِتِ ط",
        "ثابت الدائرة هو نسبة محيطها لقطرها ويعرف بالثابت ط",
    ),
    ("camel normalize_alef_ar", "إأٱآ", "اااا"),
    ("camel normalize_alef_maksura_ar", "مصطفى", "مصطفي"),
    ("camel normalize_teh_marbuta_ar", "وزارة", "وزاره"),
    ("camel normalize_unicode", "ﻷ ﷲ", "لأ الله"),
    ("camel arclean", "نخست\u{200C}وزیر", "نخست وزىر"),
];

#[test]
fn norm_cases_rows() {
    for (source, input, expected) in NORM_CASES {
        assert_eq!(key(input).text, key(expected).text, "{source}: {input:?}");
    }
}

#[test]
fn exact_keys() {
    for (input, want) in [
        ("ﻷ", "لا"),
        ("ﷺ", "صلي الله عليه وسلم"),
        ("﷽", "﷽"),
        ("ولداً ﹰ", "ولدا "),
        ("  a \u{200F}\u{200C} b  ", " a b "),
        ("İstanbul", "i\u{307}stanbul"),
        ("ΣΟΦΙΑ", "σοφια"),
        ("رئیس مسؤول اسرائیل", "رييس مسوول اسراييل"),
        ("۳٫۵", "3٫5"),
    ] {
        assert_eq!(key(input).text, want, "{input:?}");
    }
}

#[test]
fn fold_char_matches_the_key() {
    assert_eq!(fold_char('ۀ'), Fold::To('ه'));
    assert_eq!(fold_char('\u{0654}'), Fold::DeleteMark);
    assert_eq!(fold_char('\u{202E}'), Fold::Delete);
    assert_eq!(fold_char('\u{3000}'), Fold::Space);
    assert_eq!(fold_char('İ'), Fold::Expand);
    for c in ['ی', 'ک', 'A', 'ё', '٣'] {
        let Fold::To(t) = fold_char(c) else {
            panic!("{c:?} is replaced");
        };
        assert_eq!(key(&c.to_string()).text, t.to_string());
    }
}

#[test]
fn spans_of_a_sample_name() {
    let original = include_str!("../../samples/fa_zakharova_karabakh.txt");
    let k = key(original);
    // The gazetteer form «ماریا زاخارووا» found in the key points at the original bytes.
    let name = key("ماریا زاخارووا").text;
    let hits: Vec<&str> = k
        .text
        .match_indices(&name)
        .map(|(at, m)| &original[k.original_range(at..at + m.len())])
        .collect();
    assert_eq!(hits, ["ماریا زاخارووا"]);
    // Every spelling of Karabakh in the sample: spaced and glued.
    let spaced = k.text.matches(&key("قره باغ").text).count();
    let glued = k.text.matches(&key("قرهباغ").text).count();
    assert_eq!((spaced, glued), (6, 3));
}

#[test]
fn reused_key_equals_fresh_key() {
    let mut normalizer = Normalizer::new();
    let mut k = Key::new();
    normalizer.key_into("ﷺ ﻷ مُحَمَّد long text that leaves capacity behind", &mut k);
    normalizer.key_into("Лавров", &mut k);
    assert_eq!(k, key("Лавров"));
}

// ---------------------------------------------------------------------------------------
// Properties over random mixes of Persian, Arabic, Latin, Cyrillic, marks, controls,
// spaces, presentation forms and emoji.

const POOL: &[char] = &[
    // Arabic and Persian letters, with the variant forms the key folds.
    'ا',
    'أ',
    'إ',
    'آ',
    'ٱ',
    'ب',
    'پ',
    'ت',
    'ة',
    'ه',
    'ۀ',
    'ہ',
    'ھ',
    'ی',
    'ي',
    'ى',
    'ئ',
    'ے',
    'ک',
    'ك',
    'گ',
    'ل',
    'م',
    'ن',
    'و',
    'ؤ',
    'ر',
    'ز',
    'ژ',
    'ع',
    'ء',
    // Latin, Cyrillic, Greek, with case and expansions.
    'a',
    'Z',
    'é',
    'É',
    'ß',
    'ẞ',
    'İ',
    'Л',
    'л',
    'Ё',
    'ё',
    'Σ',
    'ς',
    // Digits and punctuation.
    '0',
    '7',
    '٣',
    '۷',
    '.',
    '،',
    '؟',
    '«',
    '»',
    '٫',
    // Marks, tatweel.
    '\u{064B}',
    '\u{064E}',
    '\u{0651}',
    '\u{0653}',
    '\u{0654}',
    '\u{0655}',
    '\u{0670}',
    '\u{0615}',
    '\u{06E1}',
    '\u{0640}',
    '\u{0301}',
    // Controls.
    '\u{200D}',
    '\u{200E}',
    '\u{200F}',
    '\u{061C}',
    '\u{202B}',
    '\u{202C}',
    '\u{2067}',
    '\u{FEFF}',
    '\u{00AD}',
    // Spaces and ZWNJ.
    ' ',
    ' ',
    '\n',
    '\t',
    '\u{A0}',
    '\u{2003}',
    '\u{200B}',
    '\u{200C}',
    '\u{200C}',
    '\u{202F}',
    '\u{3000}',
    // Presentation forms, ligatures, spacing marks.
    'ﻷ',
    'ﻻ',
    'ﷲ',
    'ﷺ',
    '﷽',
    'ﻣ',
    'ﺴ',
    'ﻜ',
    'ﻮ',
    'ﹰ',
    'ﹱ',
    'ﱞ',
    // Emoji and other planes.
    '😀',
    '👍',
    '\u{1F3FD}',
    '中',
];

fn char_strategy() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => prop::sample::select(POOL),
        1 => prop::char::range('\u{FB50}', '\u{FDFF}'),
        1 => prop::char::range('\u{FE70}', '\u{FEFF}'),
        1 => prop::char::range('\u{0600}', '\u{06FF}'),
        1 => any::<char>(),
    ]
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(char_strategy(), 0..48).prop_map(|v| v.into_iter().collect())
}

/// Key positions where a group starts, including 0 and the key length.
fn group_starts(k: &Key) -> Vec<usize> {
    (0..=k.text.len())
        .filter(|&i| k.text.is_char_boundary(i) && k.is_group_start(i))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn map_is_monotonic_and_covers_the_key(text in text_strategy()) {
        let k = key(&text);
        prop_assert_eq!(k.map.len(), k.text.len());
        let mut previous = 0..0;
        for i in 0..k.text.len() {
            let g = k.group(i).unwrap();
            prop_assert!(g.start < g.end && g.end <= text.len());
            prop_assert!(text.is_char_boundary(g.start) && text.is_char_boundary(g.end));
            prop_assert!(previous.start <= g.start && previous.end <= g.end);
            // A span never separates a letter from the marks after it.
            if let Some(next) = text[g.end..].chars().next() {
                prop_assert_ne!(fold_char(next), Fold::DeleteMark, "mark left out of {:?}", g);
            }
            if !k.text.is_char_boundary(i) {
                // Every byte of a key character carries its character's group.
                prop_assert_eq!(&g, &previous);
            }
            previous = g;
        }
        prop_assert!(k.group(k.text.len()).is_none());
    }

    #[test]
    fn every_kept_character_is_in_a_group(text in text_strategy()) {
        let k = key(&text);
        let mut covered = vec![false; text.len()];
        for i in 0..k.text.len() {
            for b in k.group(i).unwrap() {
                covered[b] = true;
            }
        }
        for (at, c) in text.char_indices() {
            if !matches!(fold_char(c), Fold::Delete | Fold::DeleteMark) {
                prop_assert!(covered[at], "{:?} at {} has no key character", c, at);
            }
        }
    }

    #[test]
    fn key_spans_round_trip(text in text_strategy()) {
        let k = key(&text);
        let starts = group_starts(&k);
        for (n, &a) in starts.iter().enumerate() {
            for &b in starts[n + 1..].iter().take(6).chain(starts.last()) {
                if b <= a {
                    continue;
                }
                let r = k.original_range(a..b);
                let again = key(&text[r.clone()]).text;
                prop_assert_eq!(
                    again.as_str(),
                    &k.text[a..b],
                    "key span {:?} -> original {:?}", a..b, r
                );
            }
        }
    }

    #[test]
    fn key_offset_inverts_original_offset(text in text_strategy()) {
        let k = key(&text);
        for a in group_starts(&k) {
            prop_assert_eq!(k.key_offset(k.original_offset(a)), a);
        }
    }

    #[test]
    fn key_is_idempotent(text in text_strategy()) {
        let once = key(&text).text;
        prop_assert_eq!(key(&once).text, once);
    }

    #[test]
    fn reused_buffers_give_the_same_key(a in text_strategy(), b in text_strategy()) {
        let mut normalizer = Normalizer::new();
        let mut k = Key::new();
        normalizer.key_into(&a, &mut k);
        normalizer.key_into(&b, &mut k);
        prop_assert_eq!(k, key(&b));
    }

    #[test]
    fn spelling_variants_share_a_key((plain, variant) in variant_pair()) {
        prop_assert_eq!(key(&plain).text, key(&variant).text, "{:?} / {:?}", plain, variant);
    }
}

/// A base letter and the spellings the key must treat as that letter.
const VARIANTS: &[(&str, &[&str])] = &[
    (
        "ي",
        &[
            "ي",
            "ی",
            "ى",
            "ې",
            "ۍ",
            "ێ",
            "ے",
            "ئ",
            "ی\u{0654}",
            "ﻱ",
            "ﻲ",
            "ﻳ",
            "ﻴ",
            "ﯼ",
            "ﯽ",
            "ﯾ",
            "ﯿ",
            "ﻯ",
            "ﻰ",
            "ﺉ",
        ],
    ),
    (
        "ك",
        &["ك", "ک", "ڪ", "ﻙ", "ﻚ", "ﻛ", "ﻜ", "ﮎ", "ﮏ", "ﮐ", "ﮑ"],
    ),
    (
        "ا",
        &[
            "ا",
            "أ",
            "إ",
            "آ",
            "ٱ",
            "ٲ",
            "ٳ",
            "ا\u{0653}",
            "ا\u{0654}",
            "ا\u{0655}",
            "ﺍ",
            "ﺎ",
            "ﺃ",
            "ﺇ",
            "ﺁ",
            "ﭐ",
        ],
    ),
    (
        "ه",
        &[
            "ه",
            "ة",
            "ۀ",
            "ہ",
            "ۂ",
            "ە",
            "ھ",
            "ه\u{0654}",
            "ﻩ",
            "ﻪ",
            "ﻫ",
            "ﻬ",
            "ﺓ",
            "ﺔ",
        ],
    ),
    ("و", &["و", "ؤ", "و\u{0654}", "ﻭ", "ﻮ", "ﺅ"]),
    ("لا", &["لا", "ﻻ", "ﻼ", "لأ", "ﻷ", "لإ", "ﻹ", "لآ", "ﻵ"]),
    ("م", &["م", "ﻡ", "ﻢ", "ﻣ", "ﻤ"]),
    ("س", &["س", "ﺱ", "ﺲ", "ﺳ", "ﺴ"]),
    ("ر", &["ر", "ﺭ", "ﺮ"]),
    ("ب", &["ب", "ﺏ", "ﺐ", "ﺑ", "ﺒ"]),
    ("0", &["0", "٠", "۰"]),
    ("4", &["4", "٤", "۴"]),
    ("9", &["9", "٩", "۹"]),
    ("a", &["a", "A"]),
    ("q", &["q", "Q"]),
    ("л", &["л", "Л"]),
    ("е", &["е", "Е", "ё", "Ё"]),
    (
        " ",
        &[
            " ",
            "  ",
            "\u{A0}",
            "\u{200C}",
            "\u{200B}",
            "\u{2003}",
            "\u{202F}",
            "\u{3000}",
            "\t",
            "\n",
            " \u{200C}",
        ],
    ),
];

/// What may follow a letter without changing the key.
const INSERTS: &[&str] = &[
    "",
    "",
    "",
    "\u{064E}",
    "\u{064B}",
    "\u{0651}\u{064F}",
    "\u{0670}",
    "\u{0652}",
    "\u{0615}",
    "\u{06ED}",
    "\u{0640}",
    "\u{0640}\u{0640}",
    "\u{200E}",
    "\u{200F}",
    "\u{061C}",
    "\u{200D}",
    "\u{2066}",
    "\u{FEFF}",
    "ﹰ",
    "ﹱ",
];

fn variant_pair() -> impl Strategy<Value = (String, String)> {
    let piece = (
        0..VARIANTS.len(),
        any::<prop::sample::Index>(),
        0..INSERTS.len(),
    );
    prop::collection::vec(piece, 1..24).prop_map(|pieces| {
        let mut plain = String::new();
        let mut variant = String::new();
        for (letter, spelling, insert) in pieces {
            let (base, spellings) = VARIANTS[letter];
            plain.push_str(base);
            let spelling: &&str = spelling.get(spellings);
            variant.push_str(spelling);
            if base != " " && !variant.ends_with(' ') {
                variant.push_str(INSERTS[insert]);
            }
        }
        (plain, variant)
    })
}
