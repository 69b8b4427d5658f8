//! Quotes and speakers on the samples and on wire-style English, as a reader marks
//! them: every statement with its type, exact text, cue, speaker and rule. The
//! gazetteers are the built-in ones.

use std::sync::OnceLock;

use naql::gazetteer::{builtin, Gazetteer};
use naql::matcher::Matcher;
use naql::normalize::key;
use naql::quotes::QuoteExtractor;
use naql::segment::Segmentation;
use naql::{Lang, Quote};

use crate::util::{repo_path, slice_chars};

fn stages() -> &'static (Matcher, QuoteExtractor) {
    static STAGES: OnceLock<(Matcher, QuoteExtractor)> = OnceLock::new();
    STAGES.get_or_init(|| {
        let (gazetteer, _) = Gazetteer::load(&builtin());
        let matcher = Matcher::new(&gazetteer);
        let quotes = QuoteExtractor::new(&gazetteer, &matcher);
        (matcher, quotes)
    })
}

fn quotes(text: &str, lang: Lang) -> Vec<Quote> {
    let (matcher, extractor) = stages();
    let k = key(text);
    let segmentation = Segmentation::new(text);
    let mentions = matcher.find(text, &k, Some(&segmentation));
    let quotes = extractor.extract(text, lang, &k, &segmentation, &mentions, None);
    for q in &quotes {
        // Every span slices the original, in code points and bytes.
        assert_eq!(
            slice_chars(text, q.span.start, q.span.end),
            q.span.slice(text)
        );
        for span in [q.cue, q.speaker].into_iter().flatten() {
            assert_eq!(slice_chars(text, span.start, span.end), span.slice(text));
        }
        if let Some(m) = q.speaker_mention {
            // The speaker's mention, or for a pronoun or role noun its antecedent's.
            assert_eq!(Some(&mentions[m].entity), q.speaker_entity.as_ref());
            if !matches!(
                q.attribution_method,
                "pronoun" | "role-noun" | "continuation" | "nearest"
            ) {
                assert_eq!(Some(mentions[m].span), q.speaker);
            }
        }
        assert!((0.0..=1.0).contains(&q.confidence));
    }
    quotes
}

/// One statement as the golden files hold it: type, text, cue, speaker text,
/// speaker entity, rule (tab-separated; newlines in text written as \n).
fn rows(text: &str, quotes: &[Quote]) -> Vec<[String; 6]> {
    quotes
        .iter()
        .map(|q| {
            [
                q.quote_type.to_string(),
                q.span.slice(text).to_string(),
                q.cue.map_or(String::new(), |c| c.slice(text).to_string()),
                q.speaker
                    .map_or(String::new(), |s| s.slice(text).to_string()),
                q.speaker_entity
                    .as_ref()
                    .map_or(String::new(), |e| e.id.to_string()),
                q.attribution_method.to_string(),
            ]
        })
        .collect()
}

/// Compares the statements of a document with `tests/golden/quotes/NAME.tsv`.
/// Refresh after an intended change with `NAQL_BLESS=1 cargo test`, then review the
/// diff: each line is a statement a reader would mark, with its speaker.
fn check(path: &str, lang: Lang, golden: &str) -> Vec<[String; 6]> {
    let text = std::fs::read_to_string(repo_path(path)).unwrap();
    let got = rows(&text, &quotes(&text, lang));
    let file = repo_path("tests/golden/quotes").join(format!("{golden}.tsv"));
    let line = |row: &[String; 6]| {
        row.iter()
            .map(|f| f.replace('\n', "\\n"))
            .collect::<Vec<_>>()
            .join("\t")
    };
    if std::env::var_os("NAQL_BLESS").is_some() {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let body: String = got.iter().map(|r| line(r) + "\n").collect();
        std::fs::write(
            &file,
            format!("# type\ttext\tcue\tspeaker\tentity\trule\n{body}"),
        )
        .unwrap();
        return got;
    }
    let want: Vec<String> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(String::from)
        .collect();
    let got_lines: Vec<String> = got.iter().map(line).collect();
    for (i, (g, w)) in got_lines.iter().zip(&want).enumerate() {
        assert_eq!(
            g, w,
            "{path} statement {i} (refresh with NAQL_BLESS=1 cargo test)"
        );
    }
    assert_eq!(got_lines.len(), want.len(), "{path}: {got_lines:#?}");
    got
}

fn with_speaker<'r>(rows: &'r [[String; 6]], entity: &str) -> Vec<&'r [String; 6]> {
    rows.iter().filter(|r| r[4] == entity).collect()
}

/// The Persian sample: headline statements of the run-on headline list; Zakharova's
/// indirect statements (by name, by role, by «این دیپلمات روس») and three direct quotes
/// (the second through وی); the defence ministry's mixed statement with its two partial
/// quotes; Baku's claim; the foreign ministry. No rows for «ریانووستی» or «ماریا
/// زاخارووا».
#[test]
fn persian_sample() {
    let rows = check(
        "samples/fa_zakharova_karabakh.txt",
        Lang::Fa,
        "fa_zakharova_karabakh",
    );
    let zakharova = with_speaker(&rows, "naql:per:maria-zakharova");
    let direct: Vec<&str> = zakharova
        .iter()
        .filter(|r| r[0] == "direct")
        .map(|r| r[5].as_str())
        .collect();
    assert_eq!(direct, ["colon-after-cue", "pronoun", "colon-after-cue"]);
    let methods: Vec<&str> = zakharova
        .iter()
        .filter(|r| r[0] == "indirect")
        .map(|r| r[5].as_str())
        .collect();
    assert_eq!(methods, ["role", "preverbal", "role", "role-noun"]);
    let mixed: Vec<&[String; 6]> = rows.iter().filter(|r| r[0] == "mixed").collect();
    assert_eq!(mixed.len(), 1);
    assert_eq!(mixed[0][4], "naql:org:mod-az");
    assert!(
        mixed[0][1].contains("«اقدامات ضدتروریستی با ماهیت محلی»")
            && mixed[0][1].contains("«دفع تحرکات گسترده»")
    );
    let headline_speakers: Vec<&str> = rows
        .iter()
        .filter(|r| r[0] == "headline")
        .map(|r| r[3].as_str())
        .collect();
    assert!(
        headline_speakers.contains(&"ترامپ")
            && headline_speakers.contains(&"سفیر اسرائیل")
            && headline_speakers.contains(&"شهردار واشنگتن دی سی")
    );
    assert!(rows
        .iter()
        .all(|r| r[1] != "ریانووستی" && r[1] != "ماریا زاخارووا"));
    assert_eq!(with_speaker(&rows, "naql:org:mfa-az").len(), 1);
}

/// The Arabic sample: Zakharova's two indirect statements; the defence ministry's
/// (أعلنت ... أن; وقالت الوزراة ... إن, misspelled and resolved by context, with its
/// partial quote; مؤكدًا; وأضافت وزارة الدفاع، أن); the Palestinian foreign ministry's
/// headline, indirect statement, direct quote in “ ” and the two subject-less
/// follow-ups. No rows for «كاراباخ» or «ناجورنو كاراباخ».
#[test]
fn arabic_sample() {
    let rows = check(
        "samples/ar_zakharova_karabakh.txt",
        Lang::Ar,
        "ar_zakharova_karabakh",
    );
    let zakharova = with_speaker(&rows, "naql:per:maria-zakharova");
    assert_eq!(
        zakharova.iter().map(|r| r[2].as_str()).collect::<Vec<_>>(),
        ["صرحت", "وقالت"]
    );
    let ministry = with_speaker(&rows, "naql:org:mod-az");
    let methods: Vec<&str> = ministry.iter().map(|r| r[5].as_str()).collect();
    assert_eq!(
        methods,
        ["preverbal", "context", "dropped-subject", "context"]
    );
    assert_eq!(ministry[1][3], "الوزراة الأذربيجانية");
    assert_eq!(ministry[1][0], "mixed");
    let palestine = with_speaker(&rows, "naql:org:mfa-ps");
    let kinds: Vec<(&str, &str)> = palestine
        .iter()
        .map(|r| (r[0].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("headline", "headline"),
            ("indirect", "verb-first"),
            ("direct", "verb-first"),
            ("indirect", "dropped-subject"),
            ("indirect", "dropped-subject")
        ]
    );
    assert!(rows
        .iter()
        .all(|r| r[1] != "كاراباخ" && r[1] != "ناجورنو كاراباخ"));
}

/// Wire copy: postposed attribution with a role before the name, a pronoun, "said X",
/// "according to", "told reporters that" with a partial quote, a dropped subject in the
/// same sentence, a role noun, and a quote continued in the next sentence.
#[test]
fn english_wire_copy() {
    let rows = check("tests/data/quotes/en_wire.txt", Lang::En, "en_wire");
    let methods: Vec<&str> = rows.iter().map(|r| r[5].as_str()).collect();
    assert_eq!(
        methods,
        [
            "preverbal",
            "postposed",
            "pronoun",
            "postposed",
            "according-to",
            "preverbal",
            "dropped-subject",
            "role-noun",
            "postposed",
            "continuation"
        ]
    );
}

#[test]
fn quoted_names_and_labels_are_not_statements() {
    for (text, lang) in [
        (
            "بنا بر گزارش خبرگزاری روسی «ریانووستی»، جلسه برگزار شد.",
            Lang::Fa,
        ),
        ("في إقليم «كاراباخ» و«ناجورنو كاراباخ» اليوم.", Lang::Ar),
        ("المصدر: الأسبوع", Lang::Ar),
        ("کد خبر: ۲۰۴۶۸۴", Lang::Fa),
        ("The so-called \"special operation\" went on.", Lang::En),
        ("Published: 19 September 2023", Lang::En),
    ] {
        assert!(quotes(text, lang).is_empty(), "{text}");
    }
}

#[test]
fn stray_marks_do_not_swallow_the_document() {
    let text = "زاخارووا گفت: «ما در تماس هستیم.\n\nاین پاراگراف نقل قول نیست.\n\nلاوروف گفت: «ما آماده مذاکره هستیم.»";
    let found = quotes(text, Lang::Fa);
    let texts: Vec<&str> = found.iter().map(|q| q.span.slice(text)).collect();
    // The stray « opens a quote that ends with its sentence; the next paragraph is
    // not part of it, and the later quote is whole.
    assert_eq!(texts, ["ما در تماس هستیم", "ما آماده مذاکره هستیم."]);
    assert_eq!((found[0].open_mark, found[0].close_mark), ("«", ""));
    assert_eq!(found[0].quote_type, "direct");
    assert_eq!(
        found[1].speaker_entity.as_ref().unwrap().id,
        "naql:per:sergey-lavrov"
    );
}

#[test]
fn a_quote_over_several_paragraphs_is_one_statement() {
    let text = "زاخارووا گفت: «ما در تماس هستیم.\n«در آینده بیانیه‌ای صادر خواهد شد.»\nپایان.";
    let found = quotes(text, Lang::Fa);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].span.slice(text),
        "ما در تماس هستیم.\n«در آینده بیانیه‌ای صادر خواهد شد."
    );
    assert_eq!(found[0].open_mark, "«");
    assert_eq!(found[0].close_mark, "»");
}

#[test]
fn nested_quotes_stay_inside_their_statement() {
    let text = "Zakharova said: \"They call it a 'peace plan', but it is not.\"";
    let found = quotes(text, Lang::En);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].span.slice(text),
        "They call it a 'peace plan', but it is not."
    );
    assert_eq!(found[0].attribution_method, "colon-after-cue");
}

/// A user adds a cue with a `cues.tsv` in their gazetteer directory, no code.
#[test]
fn cues_from_a_gazetteer_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("entities.tsv"), "id\ttype\nx:1\tPER\n").unwrap();
    std::fs::write(
        dir.path().join("names.tsv"),
        "id\tname\tlang\nx:1\tJane Roe\ten\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("cues.tsv"),
        "lang\tkind\tphrase\tgender\trefers\nen\tverb\tproclaimed\t\t\nen\tverb\t\t\t\nxx\tverb\tsang\t\t\n",
    )
    .unwrap();
    let problems = naql::gazetteer::Gazetteer::load(&[naql::gazetteer::GazetteerSource::Dir(
        dir.path().to_path_buf(),
    )])
    .1;
    let shown: Vec<String> = problems
        .iter()
        .map(|p| p.to_string().rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(
        shown,
        [
            "cues.tsv:3: error: empty phrase",
            "cues.tsv:4: error: bad lang \"xx\" (fa, ar or en)"
        ]
    );
    let input = dir.path().join("doc.txt");
    std::fs::write(
        &input,
        "Jane Roe proclaimed that the talks would resume in May.",
    )
    .unwrap();
    let out = dir.path().join("out");
    // The gazetteer has errors, so extract refuses it; fix them and run again.
    crate::util::naql()
        .arg("extract")
        .arg(&input)
        .arg("--gazetteer")
        .arg(dir.path())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    std::fs::write(
        dir.path().join("cues.tsv"),
        "lang\tkind\tphrase\nen\tverb\tproclaimed\n",
    )
    .unwrap();
    crate::util::naql()
        .arg("extract")
        .arg(&input)
        .arg("--gazetteer")
        .arg(dir.path())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let quotes = crate::util::read_table(&out.join("quotes.csv"));
    assert_eq!(quotes.column("text"), ["the talks would resume in May"]);
    assert_eq!(quotes.column("cue"), ["proclaimed"]);
    assert_eq!(quotes.column("speaker_entity_id"), ["x:1"]);
}
