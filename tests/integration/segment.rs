//! Segmentation of the two sample articles, and sentence rules on small texts.
//!
//! The counts and spans below were checked by reading the samples line by line.

use naql::segment::{is_word_boundary, words, LineBreaks, Segmentation, Segmenter};

const FA: &str = include_str!("../../samples/fa_zakharova_karabakh.txt");
const AR: &str = include_str!("../../samples/ar_zakharova_karabakh.txt");

/// (index, paragraph, byte range, text) of a sentence.
type Expected = (usize, usize, std::ops::Range<usize>, &'static str);

fn check_sentences(text: &str, sentences: &[naql::segment::Sentence], expected: &[Expected]) {
    for (index, paragraph, range, want) in expected {
        let s = &sentences[*index];
        assert_eq!(&text[s.range.clone()], *want, "sentence {index}");
        assert_eq!(
            (s.paragraph, s.range.clone()),
            (*paragraph, range.clone()),
            "sentence {index}"
        );
    }
}

/// Invariants that hold for any text: ordered, inside their paragraph, no blanks at the
/// ends, every fine sentence inside exactly one sentence.
fn check_structure(text: &str, seg: &Segmentation) {
    for pair in seg.paragraphs().windows(2) {
        assert!(pair[0].end < pair[1].start);
    }
    for level in [seg.sentences(), seg.fine_sentences()] {
        for pair in level.windows(2) {
            assert!(pair[0].range.end <= pair[1].range.start);
        }
        for s in level {
            let p = &seg.paragraphs()[s.paragraph];
            assert!(p.start <= s.range.start && s.range.end <= p.end);
            let t = &text[s.range.clone()];
            assert_eq!(t, t.trim());
        }
    }
    for f in seg.fine_sentences() {
        let i = seg.sentence_index_at(f.range.start);
        let unit = &seg.sentences()[i].range;
        assert!(
            unit.start <= f.range.start && f.range.end <= unit.end,
            "{f:?} not in {unit:?}"
        );
    }
}

#[test]
fn persian_sample_counts() {
    let seg = Segmentation::new(FA);
    // 49 lines: 18 with text; the rest are empty or hold a single NBSP.
    assert_eq!(seg.paragraphs().len(), 18);
    // One sentence per paragraph, but paragraph 13 (line 41) has two.
    assert_eq!(seg.sentences().len(), 19);
    // Paragraph 6 (line 13) quotes two sentences inside «...».
    assert_eq!(seg.fine_sentences().len(), 20);
    check_structure(FA, &seg);
}

#[test]
fn persian_sample_spans() {
    let seg = Segmentation::new(FA);
    assert_eq!(
        seg.paragraphs(),
        &[
            0..1707,
            1709..1791,
            1793..2031,
            2032..2115,
            2116..2141,
            2143..2601,
            2607..3105,
            3111..3283,
            3289..3489,
            3495..3775,
            3781..3979,
            3985..4284,
            4290..4795,
            4801..5292,
            5298..5599,
            5601..5618,
            5619..5654,
            5655..5676
        ]
    );
    check_sentences(
        FA,
        seg.sentences(),
        &[
            (1, 1, 1709..1791, "واکنش روسیه به عملیات نظامی جمهوری آذربایجان"),
            (2, 2, 1793..2031, "سخنگوی وزارت خارجه روسیه تصریح کرد که مسکو با مقامهای باکو در خصوص عملیات نظامی جدید این کشور در منطقه قره باغ کوهستانی در تماس است."),
            (3, 3, 2032..2115, "تاریخ انتشار: ۱۵:۲۷ - ۲۸ شهريور ۱۴۰۲ - 2023 September 19"),
            (4, 4, 2116..2141, "کد خبر: ۲۰۴۶۸۴"),
            (6, 6, 2607..3105, "بنا بر گزارش خبرگزاری روسی «ریانووستی»، زاخارووا در یک کنفرانس خبری در واکنش به جدیدترین تحولات قره باغ کوهستانی گفت: «ما در حال حاضر با طرف (جمهوری) آذربایجانی در تماس هستیم. در آیندهای نزدیک، بر اساس نتایج این تماسها، بیانیه ای مرتبط از طریق وزارت امور خارجه صادر خواهد شد»."),
            (13, 13, 4801..5038, "اوایل امروز، وزارت دفاع ارمنستان، ادعاهای باکو مبنی بر آنکه نیروهای این کشور نیمه شب گذشته به مواضع باکو حمله کرده بودند را رد کرد."),
            (14, 13, 5039..5292, "باکو مدعی شده بود که این رخداددر مرز بین دو کشور ارمنستان و جمهوری آذربایجان درمنطقهای واقع در ۱۰۰ کیلومتری از قره باغ کوهستانی رخ داده است."),
            (15, 14, 5298..5599, "پس از آن وزارت خارجه جمهوری آذربایجان تصریح کرد که بر اثر انفجار مینهایی که ارمنستان در منطقه قرهباغ کاشته بود، 4 نظامی و دو غیرنظامی جمهوری آذربایجان کشته شدند./ فارس"),
            (18, 17, 5655..5676, "آخرین اخبار"),
        ],
    );
    // The headline run of line 1 has no final punctuation: one sentence.
    let headlines = &seg.sentences()[0];
    assert_eq!(headlines.range, 0..1707);
    assert!(FA[headlines.range.clone()].ends_with("علیه ایران"));
    // The quote of paragraph 6 at the fine level.
    check_sentences(
        FA,
        seg.fine_sentences(),
        &[
            (6, 6, 2607..2923, "بنا بر گزارش خبرگزاری روسی «ریانووستی»، زاخارووا در یک کنفرانس خبری در واکنش به جدیدترین تحولات قره باغ کوهستانی گفت: «ما در حال حاضر با طرف (جمهوری) آذربایجانی در تماس هستیم."),
            (7, 6, 2924..3105, "در آیندهای نزدیک، بر اساس نتایج این تماسها، بیانیه ای مرتبط از طریق وزارت امور خارجه صادر خواهد شد»."),
        ],
    );
    let inside_quote = FA.find("در آیندهای نزدیک").unwrap();
    assert_eq!(seg.sentence_index_at(inside_quote), 6);
    assert_eq!(seg.fine_sentence_index_at(inside_quote), 7);
    assert_eq!(seg.paragraph_index_at(inside_quote), 6);
}

#[test]
fn arabic_sample_counts() {
    let seg = Segmentation::new(AR);
    // 18 lines, no blank line: one paragraph each.
    assert_eq!(seg.paragraphs().len(), 18);
    // One sentence per paragraph: the ".." of lines 8 and 10 is a headline pause, and the
    // quote of line 17 holds no sentence end.
    assert_eq!(seg.sentences().len(), 18);
    assert_eq!(seg.fine_sentences().len(), 18);
    check_structure(AR, &seg);
}

#[test]
fn arabic_sample_spans() {
    let seg = Segmentation::new(AR);
    assert_eq!(
        seg.paragraphs(),
        &[
            0..132,
            133..180,
            181..491,
            492..733,
            734..1087,
            1088..1515,
            1516..2108,
            2109..2251,
            2252..2417,
            2418..2550,
            2551..2579,
            2580..2952,
            2953..2973,
            2974..3150,
            3151..3172,
            3173..3518,
            3519..4300,
            4301..5170
        ]
    );
    check_sentences(
        AR,
        seg.sentences(),
        &[
            (0, 0, 0..132, "الخارجية الروسية تعرب عن قلقها بشأن الأوضاع السياسية في إقليم «كاراباخ»"),
            (1, 1, 133..180, "تاريخ النشر: 19th, September 2023 GMT"),
            (2, 2, 181..491, "صرحت ماريا زاخاروفا، المتحدثة الرسمية باسم الخارجية الروسية، اليوم الثلاثاء، أن موسكو تجري اتصالات هاتفية مع أذريبجان بشأن الأوضاع السياسية في إقليم «ناجورنو كاراباخ»."),
            (7, 7, 2109..2251, "اقرأ أيضا\u{64b}بعد إصابة جنديين.. أذربيجان تعلن إطلاق عملية عسكرية لمكافحة الإرهاب"),
            (9, 9, 2418..2550, "تصفيات يورو 2024.. بلجيكا تعبر أذربيجان بهدف كاراسكو وتقتنص صدارة المجموعة"),
            (14, 14, 3151..3172, "المناطق_واس"),
            (16, 16, 3519..4300, "وقالت وزارة الخارجية الفلسطينية في بيان لها بمناسبة يوم الطفل الفلسطيني، الذي يصادف اليوم: “في اليوم الواحد يصاب 15 طفل\u{64b}ا في قطاع غزة بإعاقات دائمة، نتيجة استخدام قوات الاحتلال الإسرائيلي أسلحة متفجرة محظورة دولي\u{64b}ا”، مشيرة إلى أن هؤلاء الأطفال يواجهون كارثة مضاعفة بسبب الإعاقة الجسدية والنفسية، وانهيار النظام الصحي، نتيجة التدمير المتعمد للمستشفيات، واستهداف الكوادر الطبية، ومنع دخول الإمدادات الطبية والأطراف الصناعية."),
        ],
    );
    let last = &seg.sentences()[17];
    assert_eq!(last.range, 4301..5170);
    assert!(AR[last.range.clone()].ends_with("والعيش بسلام وأمان."));
}

#[test]
fn samples_reuse_one_segmentation() {
    let segmenter = Segmenter::new();
    let mut seg = Segmentation::default();
    segmenter.segment_into(FA, &mut seg);
    segmenter.segment_into(AR, &mut seg);
    assert_eq!(seg.sentences(), Segmentation::new(AR).sentences());
}

#[test]
fn wrapped_lines_join_until_a_blank_line() {
    let seg = Segmenter::new().line_breaks(LineBreaks::Wrap).segment(FA);
    // Lines 5–7 (lead, date, code) form one paragraph, so do lines 47–49.
    assert_eq!(seg.paragraphs().len(), 14);
    assert_eq!(seg.paragraphs()[2], 1793..2141);
}

/// Sentence-tokenizer case from hazm's tests (tests/test_sentence_tokenizer.py), see
/// the shared norm_cases.tsv.
#[test]
fn hazm_sentence_case() {
    let text = "جدا کردن ساده است. تقریبا البته!";
    let seg = Segmentation::new(text);
    let got: Vec<&str> = seg
        .sentences()
        .iter()
        .map(|s| &text[s.range.clone()])
        .collect();
    assert_eq!(got, ["جدا کردن ساده است.", "تقریبا البته!"]);
}

#[test]
fn words_of_the_samples() {
    let line = "قره‌باغ، «ریانووستی»؛ نخست‌وزیر";
    let got: Vec<(usize, &str)> = words(line).collect();
    assert_eq!(got, [(0, "قره‌باغ"), (20, "ریانووستی"), (43, "نخست‌وزیر")]);
    // Both equal the count of maximal runs of letters, digits, `_`, marks and ZWNJ.
    assert_eq!(words(FA).count(), 562);
    assert_eq!(words(AR).count(), 430);
}

#[test]
fn word_boundaries_in_a_key() {
    let key = naql::normalize::key("در قره‌باغ و قرهباغ").text;
    assert_eq!(key, "در قره باغ و قرهباغ");
    let at = |s: &str| key.find(s).unwrap();
    assert!(is_word_boundary(&key, at("قره باغ")));
    assert!(is_word_boundary(&key, at("قره باغ") + "قره".len()));
    assert!(is_word_boundary(&key, at("باغ و") + "باغ".len()));
    assert!(!is_word_boundary(&key, at("قرهباغ") + "قره".len()));
    assert!(is_word_boundary(&key, key.len()));
    assert!(!is_word_boundary(&key, 1)); // inside the two bytes of د
}

mod properties {
    use super::check_structure;
    use naql::segment::{is_word_boundary, words, LineBreaks, Segmenter};
    use proptest::prelude::*;

    #[rustfmt::skip]
    const POOL: &[&str] = &[
        "ما", "در", "Dr", "J", "U.S", "زاخارووا", "۳", "3", "د", "word", "Word", " ", " ", " ",
        "\n", "\n\n", "\r\n", "\u{A0}", "\u{200C}", "\u{200F}", "\u{2029}", "\u{2028}",
        "\u{85}", ".", ".", "..", "...", "…", "!", "?", "؟", "؟!", "۔", "«", "»", "“", "”",
        "„", "‹", "›", "\"", "(", ")", "،", "٫", "\u{064B}", "😀",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(POOL), 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn segmentation_structure_holds(text in text(), wrap in any::<bool>()) {
            let mode = if wrap { LineBreaks::Wrap } else { LineBreaks::Paragraph };
            let seg = Segmenter::new().line_breaks(mode).segment(&text);
            check_structure(&text, &seg);
            // Every character that is not blank lies in some paragraph.
            for (at, c) in text.char_indices() {
                if !(c.is_whitespace() || matches!(c, '\u{200C}' | '\u{200F}')) {
                    prop_assert!(seg.paragraphs().iter().any(|p| p.contains(&at)), "{:?} at {}", c, at);
                }
            }
        }

        #[test]
        fn words_are_slices_and_boundaries_never_panic(text in text()) {
            for (at, word) in words(&text) {
                prop_assert_eq!(&text[at..at + word.len()], word);
                prop_assert!(word.chars().any(char::is_alphanumeric), "{:?}", word);
                prop_assert!(!word.contains(['،', '؛', '؟']));
            }
            for offset in 0..=text.len() + 1 {
                let _ = is_word_boundary(&text, offset);
            }
        }
    }
}
