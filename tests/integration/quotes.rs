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
                q.attribution_method.as_str(),
                "pronoun" | "role-noun" | "continuation" | "nearest"
            ) {
                assert_eq!(Some(mentions[m].span), q.speaker);
            }
        }
        assert!((0.0..=1.0).contains(&q.confidence));
    }
    quotes
}

/// (type, text, cue, speaker text, speaker entity, rule)
type Row<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, &'a str);

fn rows(text: &str, quotes: &[Quote]) -> Vec<(String, String, String, String, String, String)> {
    quotes
        .iter()
        .map(|q| {
            (
                q.quote_type.clone(),
                q.span.slice(text).to_string(),
                q.cue.map_or(String::new(), |c| c.slice(text).to_string()),
                q.speaker
                    .map_or(String::new(), |s| s.slice(text).to_string()),
                q.speaker_entity
                    .as_ref()
                    .map_or(String::new(), |e| e.id.clone()),
                q.attribution_method.clone(),
            )
        })
        .collect()
}

fn check(path: &str, lang: Lang, expected: &[Row]) {
    let text = std::fs::read_to_string(repo_path(path)).unwrap();
    let got = rows(&text, &quotes(&text, lang));
    let want: Vec<_> = expected
        .iter()
        .map(|r| {
            (
                r.0.to_string(),
                r.1.to_string(),
                r.2.to_string(),
                r.3.to_string(),
                r.4.to_string(),
                r.5.to_string(),
            )
        })
        .collect();
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "{path} statement {i}");
    }
    assert_eq!(got.len(), want.len(), "{path}: {got:#?}");
}

/// The Persian sample: headline statements of the run-on headline list; Zakharova's
/// indirect statements (by name, by role, by «این دیپلمات روس») and three direct quotes
/// (the second through وی); the defence ministry's mixed statement with its two partial
/// quotes; Baku's claim; the foreign ministry. No rows for «ریانووستی» or «ماریا
/// زاخارووا».
#[test]
fn persian_sample() {
    check("samples/fa_zakharova_karabakh.txt", Lang::Fa, &[
        ("headline", "تمامی ۶۷ سرنشین هواپیمای آمریکایی کشته شدند", "", "آتشنشانی واشنگتن", "", "headline"),
        ("headline", "عامل هتکحرمت به قرآن کریم کشته شد", "", "رسانههای سوئدی", "", "headline"),
        ("headline", "هواپیما و هلیکوپتر سقوط کرده هنوز در آب هستند", "", "شهردار واشنگتن دی سی", "naql:per:muriel-bowser", "headline"),
        ("headline", "سازش با عربستان هدیه ترامپ خواهد بود", "", "سفیر اسرائیل", "", "headline"),
        ("headline", "مجرمان دیگر کشورها وارد آمریکا شدهاند", "", "ترامپ", "naql:per:donald-trump", "headline"),
        ("indirect", "مسکو با مقامهای باکو در خصوص عملیات نظامی جدید این کشور در منطقه قره باغ کوهستانی در تماس است", "تصریح کرد", "سخنگوی وزارت خارجه روسیه", "naql:per:maria-zakharova", "role"),
        ("indirect", "مسکو با باکو در تماس است و جمهوری آذربایجان، روسیه را در جریان عملیات نظامی خود قرار داده است", "گفت", "ماریا زاخارووا", "naql:per:maria-zakharova", "preverbal"),
        ("direct", "ما در حال حاضر با طرف (جمهوری) آذربایجانی در تماس هستیم. در آیندهای نزدیک، بر اساس نتایج این تماسها، بیانیه ای مرتبط از طریق وزارت امور خارجه صادر خواهد شد", "گفت", "زاخارووا", "naql:per:maria-zakharova", "colon-after-cue"),
        ("direct", "در خصوص اطلاعرسانی، ما این اطلاعات را از طرف آذربایجانی خود دریافت کردهایم", "ادامه داد", "وی", "naql:per:maria-zakharova", "pronoun"),
        ("indirect", "خویشتنداری را در پیش بگیرند", "خواست", "سخنگوی وزارت امور خارجه روسیه", "naql:per:maria-zakharova", "role"),
        ("direct", "روسیه از جمهوری آذربایجان و ارمنستان درخواست میکند تا خونریزی را متوقف کرده است و از طریق دیپلماتیک به حل و فصل مسائل بپردازند", "گفت", "زاخارووا", "naql:per:maria-zakharova", "colon-after-cue"),
        ("indirect", "نیروهای حافظ صلح روسیه وظایف خود درباره اوضاع قرهباغ را انجام خواهند داد", "تصریح کرد", "این دیپلمات روس", "naql:per:maria-zakharova", "role-noun"),
        ("mixed", "ارتش این کشور «اقدامات ضدتروریستی با ماهیت محلی» را درمنطقه مورد مناقشه قرهباغ کوهستانی آغاز کرده است و آن را راهی برای «دفع تحرکات گسترده» ارمنستان توصیف کرده است", "اعلام کرد", "وزارت دفاع جمهوری آذربایجان", "naql:org:mod-az", "preverbal"),
        ("indirect", "این رخداددر مرز بین دو کشور ارمنستان و جمهوری آذربایجان درمنطقهای واقع در ۱۰۰ کیلومتری از قره باغ کوهستانی رخ داده است", "مدعی شده بود", "باکو", "geonames:587084", "preverbal"),
        ("indirect", "بر اثر انفجار مینهایی که ارمنستان در منطقه قرهباغ کاشته بود، 4 نظامی و دو غیرنظامی جمهوری آذربایجان کشته شدند./ فارس", "تصریح کرد", "وزارت خارجه جمهوری آذربایجان", "naql:org:mfa-az", "preverbal"),
    ]);
}

/// The Arabic sample: Zakharova's two indirect statements; the defence ministry's
/// (أعلنت ... أن; وقالت الوزراة ... إن, misspelled and resolved by context, with its
/// partial quote; مؤكدًا; وأضافت وزارة الدفاع، أن); the Palestinian foreign ministry's
/// headline, indirect statement, direct quote in “ ” and the two subject-less
/// follow-ups. No rows for «كاراباخ» or «ناجورنو كاراباخ».
#[test]
fn arabic_sample() {
    check("samples/ar_zakharova_karabakh.txt", Lang::Ar, &[
        ("indirect", "موسكو تجري اتصالات هاتفية مع أذريبجان بشأن الأوضاع السياسية في إقليم «ناجورنو كاراباخ»", "صرحت", "ماريا زاخاروفا", "naql:per:maria-zakharova", "verb-first"),
        ("indirect", "نتيجة تلك الاتصالات الروسية، يتظهر خلال الأيام المقبل في بيان من قبل وزارة الخارجية الأذربيجانية", "وقالت", "زاخاروفا", "naql:per:maria-zakharova", "verb-first"),
        ("indirect", "البلاد شنت عمليات عسكرية في إقليم «كاراباخ»، لمكافة الإرهاب في هذه المنطقة، وانسحاب القوات الأرمينية لاستعادة النظام الدستوري", "أعلنت", "وزارة الدفاع الأذربيجانية", "naql:org:mod-az", "preverbal"),
        ("mixed", "القوات الأرمينية أتبعت أساليب «استفزازية عسكرية» ضد قواتنا، مما أسفر ذلك عن إصابة جنديين", "وقالت", "الوزراة الأذربيجانية", "naql:org:mod-az", "context"),
        ("indirect", "السلطات أصدرت قرار بغلق المجال الجوي أمام أرمينيا خلال استمرار العمليات العسكرية في إقليم «كاراباخ»", "مؤكدًا", "", "naql:org:mod-az", "dropped-subject"),
        ("mixed", "العمليات العسكرية غرب البلاد، ستؤدي إلى تعطيل المواقع العسكرية التابعة إلى أرمينيا من خلال استخدام أسلحة عالية الدقة، ولم تتوقف نتائج تلك العمليات لهذا الحد فقط، حيث لقي حوالي 6 أشخاص مصرعهم جراء أساليب «الاستفزاز العسكري» نتيجة انفجار ألغام تم زرعها في الإقليم المذكور أعلاه من قبل مسلحون أرمينيون", "وأضافت", "وزارة الدفاع", "naql:org:mod-az", "context"),
        ("headline", "الاحتلال الإسرائيلي قتل أكثر من 17952 طفلًا خلال العدوان المستمر على قطاع غزة", "", "الخارجية الفلسطينية", "naql:org:mfa-ps", "headline"),
        ("indirect", "حرب الإبادة الإسرائيلية المستمرة على قطاع غزة، تسببت في قتل أكثر من 17952 طفلًا فلسطينيًا، وإصابة أكثر من 34 ألف طفل، بينهم من فقدوا أطرافهم أو بصرهم أو سمعهم", "أكدت", "وزارة الخارجية الفلسطينية", "naql:org:mfa-ps", "verb-first"),
        ("direct", "في اليوم الواحد يصاب 15 طفلًا في قطاع غزة بإعاقات دائمة، نتيجة استخدام قوات الاحتلال الإسرائيلي أسلحة متفجرة محظورة دوليًا", "وقالت", "وزارة الخارجية الفلسطينية", "naql:org:mfa-ps", "verb-first"),
        ("indirect", "هؤلاء الأطفال يواجهون كارثة مضاعفة بسبب الإعاقة الجسدية والنفسية، وانهيار النظام الصحي، نتيجة التدمير المتعمد للمستشفيات، واستهداف الكوادر الطبية، ومنع دخول الإمدادات الطبية والأطراف الصناعية", "مشيرة", "", "naql:org:mfa-ps", "dropped-subject"),
        ("indirect", "الشعب الفلسطيني يقف أمام معاناة لا يمكن تجاهلها، ويواجه أطفال فلسطين أخطر الانتهاكات والجرائم نتيجة الاحتلال الإسرائيلي غير القانوني المستمر وأدواته الإجرامية، الذي حرمهم أبسط حقوقهم في الحياة، والعيش بسلام وأمان", "وشددت", "", "naql:org:mfa-ps", "dropped-subject"),
    ]);
}

/// Wire copy: postposed attribution with a role before the name, a pronoun, "said X",
/// "according to", "told reporters that" with a partial quote, a dropped subject in the
/// same sentence, a role noun, and a quote continued in the next sentence.
#[test]
fn english_wire_copy() {
    check(
        "tests/data/quotes/en_wire.txt",
        Lang::En,
        &[
            (
                "indirect",
                "it was in contact with Azerbaijan over the fighting in Nagorno-Karabakh",
                "said",
                "Russia",
                "iso3166:RU",
                "preverbal",
            ),
            (
                "direct",
                "We are in contact with the Azerbaijani side",
                "told",
                "Maria Zakharova",
                "naql:per:maria-zakharova",
                "postposed",
            ),
            (
                "indirect",
                "Moscow expected a statement from Baku in the coming days",
                "added",
                "She",
                "naql:per:maria-zakharova",
                "pronoun",
            ),
            (
                "direct",
                "Russian peacekeepers will continue to carry out their duties",
                "said",
                "Zakharova",
                "naql:per:maria-zakharova",
                "postposed",
            ),
            (
                "indirect",
                "two soldiers were wounded overnight",
                "According to",
                "Armenian Defence Ministry",
                "naql:org:mod-am",
                "according-to",
            ),
            (
                "mixed",
                "the situation was \"extremely dangerous\"",
                "told",
                "Sergei Lavrov",
                "naql:per:sergey-lavrov",
                "preverbal",
            ),
            (
                "indirect",
                "both sides to stop the bloodshed",
                "urged",
                "",
                "naql:per:sergey-lavrov",
                "dropped-subject",
            ),
            (
                "indirect",
                "any attack on peacekeepers would be met with a response",
                "warned",
                "The ministry",
                "naql:org:mod-am",
                "role-noun",
            ),
            (
                "direct",
                "We will not allow a new war",
                "said",
                "Pashinyan",
                "naql:per:nikol-pashinyan",
                "postposed",
            ),
            (
                "direct",
                "Armenia is ready for talks.",
                "",
                "Pashinyan",
                "naql:per:nikol-pashinyan",
                "continuation",
            ),
        ],
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
    assert_eq!(
        (found[0].open_mark.as_str(), found[0].close_mark.as_str()),
        ("«", "")
    );
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
