//! Gazetteer matching, table-driven: (text, every expected mention as
//! (entity, text, match_kind, clitic)). Each rule has a positive and a negative case.
//! The gazetteer is `tests/data/gazetteer/`, the seed entities of the samples.

use std::sync::OnceLock;

use naql::gazetteer::{Gazetteer, GazetteerSource, Severity};
use naql::matcher::Matcher;
use naql::normalize::key;
use naql::segment::Segmentation;

use crate::util::{repo_path, slice_chars};

fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| Matcher::new(&crate::util::clean_gazetteer("tests/data/gazetteer")))
}

use crate::util::Expected;

fn check(theme: &str, cases: &[(&str, Expected)]) {
    crate::util::check_mentions(matcher(), theme, cases);
}

#[test]
fn zwnj_space_and_glued_spellings_meet() {
    check(
        "zwnj",
        &[
            (
                "در قره‌باغ کوهستانی",
                &[("t:karabakh", "قره‌باغ کوهستانی", "exact", "")],
            ),
            (
                "در قره باغ کوهستانی",
                &[("t:karabakh", "قره باغ کوهستانی", "normalized", "")],
            ),
            (
                "در قرهباغ کوهستانی",
                &[("t:karabakh", "قرهباغ کوهستانی", "normalized", "")],
            ),
            (
                "اوضاع قرهباغ را",
                &[("t:karabakh", "قرهباغ", "normalized", "")],
            ),
            ("اوضاع قره‌باغ را", &[("t:karabakh", "قره‌باغ", "exact", "")]),
            (
                "ریا نووستی و ریانووستی",
                &[
                    ("t:ria", "ریا نووستی", "exact", ""),
                    ("t:ria", "ریانووستی", "exact", ""),
                ],
            ),
            // Negative: the parts alone are not the name.
            ("باغ قره", &[]),
        ],
    );
}

#[test]
fn whole_words_only() {
    check(
        "words",
        &[
            (
                "ایران و ایرانی",
                &[
                    ("t:ir", "ایران", "exact", ""),
                    ("t:ir", "ایرانی", "demonym", ""),
                ],
            ),
            ("ایرانیان", &[]),
            ("Iran and Iranian", &[("t:ir", "Iran", "exact", "")]),
            ("Moscow's view", &[("t:moscow", "Moscow", "exact", "")]),
            ("Moscowite", &[]),
            ("ارمنستانی", &[]),
        ],
    );
}

#[test]
fn arabic_proclitics_are_stripped_only_before_names() {
    check(
        "clitics",
        &[
            ("وروسيا", &[("t:ru", "روسيا", "clitic", "و")]),
            (
                "بالخارجية الروسية",
                &[("t:ru-mfa", "الخارجية الروسية", "clitic", "ب")],
            ),
            (
                "للخارجية الروسية",
                &[("t:ru-mfa", "لخارجية الروسية", "clitic", "ل")],
            ),
            (
                "وللخارجية الروسية",
                &[("t:ru-mfa", "لخارجية الروسية", "clitic", "ول")],
            ),
            (
                "وأرمينيا وأذربيجان",
                &[
                    ("t:am", "أرمينيا", "clitic", "و"),
                    ("t:az", "أذربيجان", "clitic", "و"),
                ],
            ),
            ("فبروسيا", &[("t:ru", "روسيا", "clitic", "فب")]),
            // Not a clitic sequence: no match.
            ("سروسيا", &[]),
            ("ورروسيا", &[]),
            // Names that begin with clitic letters match whole.
            ("لبنان", &[("t:lb", "لبنان", "exact", "")]),
            ("ولبنان", &[("t:lb", "لبنان", "clitic", "و")]),
            ("قال لافروف", &[("t:lavrov", "لافروف", "exact", "")]),
            (
                "بغداد وفرنسا",
                &[
                    ("t:baghdad", "بغداد", "exact", ""),
                    ("t:fr", "فرنسا", "clitic", "و"),
                ],
            ),
            (
                "بفرنسا وكندا",
                &[
                    ("t:fr", "فرنسا", "clitic", "ب"),
                    ("t:ca", "كندا", "clitic", "و"),
                ],
            ),
            ("كندا", &[("t:ca", "كندا", "exact", "")]),
            // ال + a Persian name spelled like the rest: the whole Arabic name wins.
            (
                "البحرين والقاهرة",
                &[
                    ("t:bh", "البحرين", "exact", ""),
                    ("t:cairo", "القاهرة", "clitic", "و"),
                ],
            ),
            ("بالقاهرة", &[("t:cairo", "القاهرة", "clitic", "ب")]),
            (
                "قال وليد جنبلاط",
                &[("t:jumblatt", "وليد جنبلاط", "exact", "")],
            ),
            (
                "باكو وموسكو",
                &[
                    ("t:baku", "باكو", "exact", ""),
                    ("t:moscow", "موسكو", "clitic", "و"),
                ],
            ),
        ],
    );
}

#[test]
fn persian_endings() {
    check(
        "endings",
        &[
            ("روسیه‌ای", &[("t:ru", "روسیه", "suffix", "ای")]),
            ("روسیه‌ی بزرگ", &[("t:ru", "روسیه", "suffix", "ی")]),
            ("ارمنستانها", &[("t:am", "ارمنستان", "suffix", "ها")]),
            ("ارمنستان‌های", &[("t:am", "ارمنستان", "suffix", "های")]),
            // A glued ی is the adjective ending: never stripped.
            ("روسیهی", &[]),
            ("ارمنستانیها", &[]),
        ],
    );
}

/// Issue 4 (found by the built-in gazetteer's precision check): Arabic text has no
/// Persian plural endings (قطرها is "its diameter"), and ل before a name starting
/// with ل is the article fused with the preposition (للحج is ل + الحج).
#[test]
fn arabic_look_alikes_of_persian_endings_and_fused_article() {
    check(
        "look-alikes",
        &[
            ("منطقة قطرها ستة كيلومترات", &[]),
            ("موسم الحج: للحج هذا العام", &[]),
            (
                "محافظة لحج ولحج",
                &[
                    ("t:lahij", "لحج", "exact", ""),
                    ("t:lahij", "لحج", "clitic", "و"),
                ],
            ),
        ],
    );
    let text = "کشورهایی مانند قطرها";
    let mentions = matcher().find_in(text, &key(text), None, naql::Lang::Fa);
    assert_eq!(mentions.len(), 1);
    assert_eq!(
        (mentions[0].span.slice(text), mentions[0].clitic.as_str()),
        ("قطر", "ها")
    );
}

#[test]
fn exact_case_names() {
    check(
        "case",
        &[
            ("the US said", &[("t:us", "US", "exact", "")]),
            ("told us that", &[]),
            ("AP reported", &[("t:ap", "AP", "exact", "")]),
            ("an ap reported", &[]),
            (
                "MOSCOW, Sept 19",
                &[("t:moscow", "MOSCOW", "normalized", "")],
            ),
        ],
    );
}

#[test]
fn ambiguous_names_need_a_trigger() {
    check(
        "triggers",
        &[
            ("به گزارش فارس", &[]),
            ("نقلا عن وكالة فارس", &[("t:fars", "فارس", "exact", "")]),
            ("خبرگزاری «فارس»", &[("t:fars", "فارس", "exact", "")]),
            ("خبرگزاری فارس", &[("t:fars", "خبرگزاری فارس", "exact", "")]),
            (
                "استان فارس",
                &[("t:fars-province", "استان فارس", "exact", "")],
            ),
            // A trigger licenses only its type: a province word does not make فارس
            // the news agency.
            ("شهرهای استان «فارس»", &[]),
            // The bare short form of Azerbaijan is ambiguous (Iranian provinces).
            ("آذربایجان غربی", &[]),
            (
                "جمهوری آذربایجان",
                &[("t:az", "جمهوری آذربایجان", "exact", "")],
            ),
        ],
    );
}

#[test]
fn surnames_link_to_the_full_name_seen_earlier() {
    check(
        "propagation",
        &[
            (
                "Maria Zakharova said. Zakharova added.",
                &[
                    ("t:zakharova", "Maria Zakharova", "exact", ""),
                    ("t:zakharova", "Zakharova", "propagated", ""),
                ],
            ),
            // A listed surname with one owner links without the full name ...
            ("قال لافروف", &[("t:lavrov", "لافروف", "exact", "")]),
            // ... a generated one does not (surnames are often ordinary words).
            ("Zakharova said.", &[]),
            // A shared surname with no full name earlier stays unlinked ...
            ("Smith said.", &[]),
            // ... and links to the one seen in full.
            (
                "Jane Smith spoke; Smith said.",
                &[
                    ("t:smith-jane", "Jane Smith", "exact", ""),
                    ("t:smith-jane", "Smith", "propagated", ""),
                ],
            ),
            (
                "John Smith and Jane Smith met. Smith said.",
                &[
                    ("t:smith-john", "John Smith", "exact", ""),
                    ("t:smith-jane", "Jane Smith", "exact", ""),
                    ("t:smith-jane", "Smith", "propagated", ""),
                ],
            ),
            (
                "ماریا زاخارووا گفت ... زاخارووا افزود",
                &[
                    ("t:zakharova", "ماریا زاخارووا", "exact", ""),
                    ("t:zakharova", "زاخارووا", "propagated", ""),
                ],
            ),
        ],
    );
}

#[test]
fn demonyms_link_to_their_country() {
    check(
        "demonyms",
        &[
            ("خبرگزاری روسی", &[("t:ru", "روسی", "demonym", "")]),
            ("الاتصالات الروسية", &[("t:ru", "الروسية", "demonym", "")]),
            ("the Russian side", &[("t:ru", "Russian", "demonym", "")]),
            ("Russians", &[]),
        ],
    );
}

#[test]
fn longest_name_wins_overlaps() {
    check(
        "overlaps",
        &[
            (
                "وزارت امور خارجه روسیه",
                &[("t:ru-mfa", "وزارت امور خارجه روسیه", "exact", "")],
            ),
            (
                "وزارت دفاع جمهوری آذربایجان",
                &[("t:az-mod", "وزارت دفاع جمهوری آذربایجان", "exact", "")],
            ),
            (
                "وزارة الدفاع الأذربيجانية",
                &[("t:az-mod", "وزارة الدفاع الأذربيجانية", "exact", "")],
            ),
            (
                "وزارة الخارجية الروسية",
                &[("t:ru-mfa", "وزارة الخارجية الروسية", "exact", "")],
            ),
            (
                "في إقليم «ناجورنو كاراباخ»",
                &[("t:karabakh", "ناجورنو كاراباخ", "exact", "")],
            ),
        ],
    );
}

/// An entity id and the code point spans of its mentions.
type EntitySpans<'a> = (&'a str, &'a [(usize, usize)]);

/// Every occurrence of the seed entities in the two samples, with offsets checked by
/// hand against the text: (entity, [(start, end)] in code points).
#[test]
fn samples_seed_entities_at_exact_offsets() {
    let cases: &[(&str, &[EntitySpans])] = &[
        (
            "samples/fa_zakharova_karabakh.txt",
            &[
                ("t:zakharova", &[(1219, 1233), (1493, 1501), (1949, 1957)]),
                (
                    "t:baku",
                    &[
                        (1043, 1047),
                        (1362, 1366),
                        (2718, 2722),
                        (2776, 2780),
                        (2808, 2812),
                    ],
                ),
                ("t:moscow", &[(1027, 1031), (1354, 1358)]),
                ("t:ria", &[(1481, 1490)]),
                ("t:ru-mfa", &[(996, 1013), (1242, 1264), (1841, 1863)]),
                ("t:az-mod", &[(2235, 2262), (2439, 2466)]),
                (
                    "t:karabakh",
                    &[
                        (1092, 1108),
                        (1330, 1346),
                        (1549, 1565),
                        (1890, 1906),
                        (2191, 2197),
                        (2292, 2308),
                        (2579, 2594),
                        (2919, 2935),
                        (3047, 3053),
                    ],
                ),
                (
                    "t:am",
                    &[
                        (2004, 2012),
                        (2371, 2379),
                        (2647, 2655),
                        (2857, 2865),
                        (3029, 3037),
                    ],
                ),
            ],
        ),
        (
            "samples/ar_zakharova_karabakh.txt",
            &[
                ("t:zakharova", &[(115, 129), (284, 292)]),
                ("t:moscow", &[(190, 195)]),
                (
                    "t:ru-mfa",
                    &[(0, 16), (153, 169), (1514, 1530), (1558, 1580)],
                ),
                ("t:az-mod", &[(419, 444), (1581, 1606)]),
                (
                    "t:karabakh",
                    &[
                        (63, 70),
                        (260, 275),
                        (510, 517),
                        (824, 831),
                        (1280, 1287),
                        (1506, 1513),
                    ],
                ),
            ],
        ),
    ];
    for (path, entities) in cases {
        let text = std::fs::read_to_string(repo_path(path)).unwrap();
        let mentions = matcher().find(&text, &key(&text), Some(&Segmentation::new(&text)));
        for (entity, spans) in *entities {
            let got: Vec<(usize, usize)> = mentions
                .iter()
                .filter(|m| m.entity.id == *entity && m.match_kind != "demonym")
                .map(|m| (m.span.start, m.span.end))
                .collect();
            assert_eq!(&got, spans, "{path} {entity}");
        }
        for m in &mentions {
            assert_eq!(
                slice_chars(&text, m.span.start, m.span.end),
                m.span.slice(&text)
            );
        }
    }
    // Spot checks of the spellings behind those offsets.
    let fa = std::fs::read_to_string(repo_path("samples/fa_zakharova_karabakh.txt")).unwrap();
    assert_eq!(slice_chars(&fa, 1219, 1233), "ماریا زاخارووا");
    assert_eq!(
        slice_chars(&fa, 2579, 2594),
        "قره\u{200c}باغ کوهستانی".replace('\u{200c}', "")
    );
    let ar = std::fs::read_to_string(repo_path("samples/ar_zakharova_karabakh.txt")).unwrap();
    assert_eq!(slice_chars(&ar, 63, 70), "كاراباخ");
    assert_eq!(slice_chars(&ar, 219, 227), "أذريبجان");
    assert_eq!(slice_chars(&ar, 260, 275), "ناجورنو كاراباخ");
}

#[test]
fn azerbaijan_in_the_samples_including_the_misspelling() {
    let ar = std::fs::read_to_string(repo_path("samples/ar_zakharova_karabakh.txt")).unwrap();
    let mentions = matcher().find(&ar, &key(&ar), None);
    let az: Vec<(&str, &str)> = mentions
        .iter()
        .filter(|m| m.entity.id == "t:az" && m.match_kind != "demonym")
        .map(|m| (m.span.slice(&ar), m.matched_name.as_str()))
        .collect();
    assert_eq!(az[0], ("أذريبجان", "أذريبجان"));
    assert_eq!(az.len(), 9);
    let fa = std::fs::read_to_string(repo_path("samples/fa_zakharova_karabakh.txt")).unwrap();
    let n = matcher()
        .find(&fa, &key(&fa), None)
        .iter()
        .filter(|m| m.entity.id == "t:az" && m.span.slice(&fa) == "جمهوری آذربایجان")
        .count();
    assert_eq!(n, 6);
}

#[test]
fn gazetteer_errors_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("entities.tsv"),
        "id\ttype\n# comment\nx:1\tLOC\nx:2\tPLACE\nx:1\tLOC\nx:3\tPER\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("names.tsv"),
        "id\tname\tlang\tkind\tpriority\tcase\tambiguous\n\
         x:1\tParis\ten\n\
         x:9\tNowhere\ten\n\
         x:1\t\ten\n\
         x:1\tParis\ten\n\
         x:1\tParigi\tit\n\
         x:1\tPari\ten\tnickname\n\
         x:1\tPar\ten\talias\t200\n\
         x:1\tP\ten\talias\t\tupper\n\
         x:1\tPP\ten\talias\t\t\tyes\n\
         x:1\t\u{064B}\u{0651}\ten\n\
         x:3\tParis\ten\n",
    )
    .unwrap();
    let (_, problems) = Gazetteer::load(&[GazetteerSource::Dir(dir.path().to_path_buf())]);
    let shown: Vec<String> = problems
        .iter()
        .map(|p| {
            p.to_string()
                .replace(&dir.path().display().to_string(), "G")
        })
        .collect();
    assert_eq!(
        shown,
        [
            "G/entities.tsv:4: error: bad type \"PLACE\" (PER, ORG or LOC)",
            "G/entities.tsv:5: warning: duplicate row: id \"x:1\" already defined at G/entities.tsv:3",
            "G/names.tsv:3: error: unknown id \"x:9\" (not in any entities.tsv)",
            "G/names.tsv:4: error: empty name",
            "G/names.tsv:5: warning: duplicate row: same id, name, lang and kind as G/names.tsv:2",
            "G/names.tsv:6: error: bad lang \"it\" (one of fa, ar, en, ru, und)",
            "G/names.tsv:7: error: bad kind \"nickname\" (canonical, alias, short, surname, abbrev or demonym)",
            "G/names.tsv:8: error: bad priority \"200\" (0 to 100)",
            "G/names.tsv:9: error: bad case \"upper\" (fold or exact)",
            "G/names.tsv:10: error: bad ambiguous \"yes\" (0 or 1)",
            "G/names.tsv:11: error: name \"\\u{64b}\\u{651}\" has no letters or digits once normalised",
            "G/names.tsv:12: warning: name \"Paris\" names x:3 (PER) and x:1 (LOC, G/names.tsv:2) without ambiguous=1",
        ]
    );
    assert_eq!(
        problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count(),
        9
    );

    std::fs::write(dir.path().join("names.tsv"), "id\tlabel\nx:1\tParis\n").unwrap();
    let (_, problems) = Gazetteer::load(&[GazetteerSource::Dir(dir.path().to_path_buf())]);
    assert!(
        problems[2]
            .to_string()
            .ends_with("names.tsv:1: error: missing column name (header has: id, label)"),
        "{problems:?}"
    );
}
