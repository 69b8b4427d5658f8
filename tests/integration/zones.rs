//! Document structure (issue 11): the zone and article of every paragraph of the
//! samples, as a reader marks them; one fixture per zone cue, layout rule, date form
//! and outlet form; --zones and --paragraphs on the command line.

use std::sync::OnceLock;

use naql::gazetteer::{builtin, Gazetteer};
use naql::zones::Zone;
use naql::{Document, Extraction, Lang, Pipeline};

use crate::util::{naql, read_table, repo_path, slice_chars};

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| {
        let (gazetteer, _) = Gazetteer::load(&builtin());
        Pipeline::builder().gazetteer(&gazetteer).build()
    })
}

fn process(text: &str, lang: Lang) -> Extraction {
    let document = Document {
        lang,
        ..Document::new("d", text)
    };
    pipeline().process(&document)
}

/// (zone, article, start of the text) of every zone entry.
fn zones_of(text: &str, extraction: &Extraction) -> Vec<(Zone, usize, String)> {
    extraction
        .zones
        .iter()
        .map(|z| {
            let part: String = text[z.range.clone()].chars().take(24).collect();
            (z.zone, z.article_index, part)
        })
        .collect()
}

fn assert_zones(text: &str, lang: Lang, want: &[(Zone, usize, &str)]) {
    let extraction = process(text, lang);
    let got = zones_of(text, &extraction);
    let got_short: Vec<(Zone, usize, &str)> =
        got.iter().map(|(z, a, s)| (*z, *a, s.as_str())).collect();
    assert_eq!(got.len(), want.len(), "{got_short:#?}");
    for ((zone, article, part), (want_zone, want_article, want_start)) in got.iter().zip(want) {
        assert!(
            part.starts_with(want_start) || want_start.starts_with(part.as_str()),
            "{part:?} vs {want_start:?} in {got_short:#?}"
        );
        assert_eq!((zone, article), (want_zone, want_article), "{part:?}");
    }
}

#[test]
fn persian_sample_zones_by_paragraph() {
    use Zone::*;
    let text = std::fs::read_to_string(repo_path("samples/fa_zakharova_karabakh.txt")).unwrap();
    assert_zones(
        &text,
        Lang::Fa,
        &[
            (Headlines, 0, "آتشنشانی واشنگتن"),
            (Title, 0, "واکنش روسیه به عملیات"),
            (Body, 0, "سخنگوی وزارت خارجه روسیه"),
            (Byline, 0, "تاریخ انتشار"),
            (Byline, 0, "کد خبر"),
            (Body, 0, "به گزارش راهبرد معاصر"),
            (Body, 0, "بنا بر گزارش"),
            (Body, 0, "وی سپس ادامه داد"),
            (Body, 0, "سخنگوی وزارت امور"),
            (Body, 0, "زاخارووا در این خصوص"),
            (Body, 0, "این دیپلمات روس"),
            (Body, 0, "ساعاتی پیش"),
            (Body, 0, "شبکه روسی راشاتودی"),
            (Body, 0, "اوایل امروز"),
            (Body, 0, "پس از آن وزارت"),
            (Boilerplate, 0, "ارسال نظر"),
            (Boilerplate, 0, "پرطرفدارترین اخبار"),
            (Boilerplate, 0, "آخرین اخبار"),
        ],
    );
}

#[test]
fn arabic_sample_zones_by_paragraph_with_a_second_article() {
    use Zone::*;
    let text = std::fs::read_to_string(repo_path("samples/ar_zakharova_karabakh.txt")).unwrap();
    assert_zones(
        &text,
        Lang::Ar,
        &[
            (Title, 0, "الخارجية الروسية تعرب"),
            (Byline, 0, "تاريخ النشر"),
            (Body, 0, "صرحت ماريا زاخاروفا"),
            (Body, 0, "وقالت زاخاروفا"),
            (Body, 0, "يذكر أن"),
            (Body, 0, "وقالت الوزراة"),
            (Body, 0, "وأضافت وزارة الدفاع"),
            (Related, 0, "اقرأ أيضاًبعد"),
            (Related, 0, "الولايات المتحدة ترحب"),
            (Related, 0, "تصفيات يورو 2024"),
            (Byline, 0, "المصدر: الأسبوع"),
            (Tags, 0, "كلمات دلالية"),
            (Related, 0, "إقرأ أيضاً:"),
            // The read-also link is the title of a second, unrelated article.
            (Title, 1, "الخارجية الفلسطينية:"),
            (Byline, 1, "المناطق_واس"),
            (Body, 1, "أكدت وزارة الخارجية"),
            (Body, 1, "وقالت وزارة الخارجية"),
            // A related list with its time stamps, and a body sentence glued after it.
            (Related, 1, "أخبار قد تهمك"),
            (Body, 1, "وشددت على أن الشعب"),
        ],
    );
}

#[test]
fn samples_dates_and_outlets() {
    for (file, lang, iso, shown, calendar, outlet, entity) in [
        (
            "samples/fa_zakharova_karabakh.txt",
            Lang::Fa,
            "2023-09-19T15:27",
            "۱۵:۲۷ - ۲۸ شهريور ۱۴۰۲",
            "solar_hijri",
            "راهبرد معاصر",
            "naql:media:rahbord-moaser",
        ),
        (
            "samples/ar_zakharova_karabakh.txt",
            Lang::Ar,
            "2023-09-19",
            "19th, September 2023",
            "gregorian",
            "الأسبوع",
            "naql:media:al-osboa",
        ),
    ] {
        let text = std::fs::read_to_string(repo_path(file)).unwrap();
        let e = process(&text, lang);
        assert_eq!(e.detected_published_at.as_deref(), Some(iso), "{file}");
        assert_eq!(e.published_at_text.as_deref(), Some(shown), "{file}");
        assert_eq!(e.published_calendar, Some(calendar), "{file}");
        let o = e.outlet.unwrap();
        assert_eq!(&text[o.range], outlet, "{file}");
        assert_eq!(o.entity.unwrap().id, entity, "{file}");
    }
}

#[test]
fn each_zone_cue_and_layout_rule() {
    use Zone::*;
    // (language, text, zones of its paragraphs)
    let cases: &[(Lang, &str, &[Zone])] = &[
        // Persian cues.
        (
            Lang::Fa,
            "عنوان خبر مهم\nکد خبر: ۱۲۳۴\nوزیر گفت که مذاکرات ادامه دارد.\nبیشتر بخوانید:\nخبر دیگری درباره اقتصاد\nبرچسب‌ها: روسیه، ایران\nپربازدیدترین\nاشتراک گذاری",
            &[Title, Byline, Body, Related, Related, Tags, Boilerplate, Boilerplate],
        ),
        // Arabic cues, the tanween of أيضاً and a glued link.
        (
            Lang::Ar,
            "عنوان الخبر\nبقلم: أحمد علي\nقال الوزير إن المحادثات مستمرة.\nاقرأ أيضاًوزير الخارجية يزور موسكو\nالوسوم: روسيا، مصر\nالأكثر قراءة\nجميع الحقوق محفوظة 2024",
            &[Title, Byline, Body, Related, Tags, Boilerplate, Boilerplate],
        ),
        // English cues.
        (
            Lang::En,
            "Talks resume in Geneva\nBy Jane Smith\nThe minister said talks would resume on Monday.\nRead more: Talks stall again\nTags: Russia, Geneva\nShare\nMost read\nTop stories",
            &[Title, Byline, Body, Related, Tags, Boilerplate, Boilerplate, Headlines],
        ),
        // Layout: a date line is a byline; a title is found before it.
        (
            Lang::En,
            "Talks resume in Geneva\nSeptember 19, 2023 10:05\nThe minister said talks would resume.",
            &[Title, Byline, Body],
        ),
        // Layout: three title-like lines in a row are headlines; a comma list is tags.
        (
            Lang::En,
            "Talks resume in Geneva\nThe minister said talks would resume on Monday.\nStorm hits the coast tonight\nMarkets fall for a third day\nElection date set for May\nGeneva, Moscow, Tehran, Baku, Yerevan",
            &[Title, Body, Headlines, Headlines, Headlines, Tags],
        ),
        // Layout: a run-on paragraph of headlines without sentence punctuation.
        (
            Lang::Fa,
            "عراقچی امروز به قطر میرود سقوط هواپیمای مسافربری در واشنگتن / جستجوی رودخانه برای یافتن سرنشینان ترامپ: مجرمان دیگر کشورها وارد آمریکا شدهاند سفیر اسرائیل: سازش با عربستان هدیه ترامپ خواهد بود\nعنوان خبر\nوزیر گفت که مذاکرات ادامه دارد.",
            &[Headlines, Title, Body],
        ),
        // Layout: a dateline line is a byline, so the headline before it is the title.
        (
            Lang::Ar,
            "عبد العاطي: مصر ترفض التهجير\nالقاهرة (أ ش أ)\nقال الوزير إن مصر ترفض التهجير.",
            &[Title, Byline, Body],
        ),
        // A sentence starting with a cue word is not a byline ("By the end ...").
        (
            Lang::En,
            "By the end of the day, the talks in Geneva had collapsed and the delegations went home.",
            &[Body],
        ),
    ];
    for (lang, text, want) in cases {
        let e = process(text, *lang);
        let got: Vec<Zone> = e.zones.iter().map(|z| z.zone).collect();
        assert_eq!(&got, want, "{text}");
    }
}

#[test]
fn a_new_title_and_byline_after_body_start_a_new_article() {
    let text = "Talks resume in Geneva\nSeptember 19, 2023\nThe minister said talks would resume.\nRead also:\nStorm hits the coast\nSeptember 20, 2023\nThe storm reached the coast at dawn.";
    let e = process(text, Lang::En);
    let got: Vec<(Zone, usize)> = e.zones.iter().map(|z| (z.zone, z.article_index)).collect();
    use Zone::*;
    assert_eq!(
        got,
        [
            (Title, 0),
            (Byline, 0),
            (Body, 0),
            (Related, 0),
            (Title, 1),
            (Byline, 1),
            (Body, 1)
        ]
    );
    // The date and outlet are those of the first article.
    assert_eq!(e.detected_published_at.as_deref(), Some("2023-09-19"));
}

#[test]
fn each_byline_date_form() {
    // (byline, ISO date, calendar, text shown)
    let cases = [
        (
            "تاریخ انتشار: ۱۵:۲۷ - ۲۸ شهريور ۱۴۰۲",
            "2023-09-19T15:27",
            "solar_hijri",
            "۱۵:۲۷ - ۲۸ شهريور ۱۴۰۲",
        ),
        (
            "کد خبر ۱۲ - ۱۴۰۲/۰۶/۲۸",
            "2023-09-19",
            "solar_hijri",
            "۱۴۰۲/۰۶/۲۸",
        ),
        (
            "تاريخ النشر: 19th, September 2023 GMT",
            "2023-09-19",
            "gregorian",
            "19th, September 2023",
        ),
        (
            "Published 2023-09-19",
            "2023-09-19",
            "gregorian",
            "2023-09-19",
        ),
        (
            "تاريخ النشر: ۲۰۲۳/۰۹/۱۹",
            "2023-09-19",
            "gregorian",
            "۲۰۲۳/۰۹/۱۹",
        ),
        (
            "Updated September 19, 2023",
            "2023-09-19",
            "gregorian",
            "September 19, 2023",
        ),
        (
            "نشر في ١٩ سبتمبر ٢٠٢٣ - ١٠:٠٥",
            "2023-09-19T10:05",
            "gregorian",
            "١٩ سبتمبر ٢٠٢٣ - ١٠:٠٥",
        ),
        (
            "الثلاثاء ٤ ربيع الأول ١٤٤٥ هـ",
            "2023-09-19",
            "hijri",
            "٤ ربيع الأول ١٤٤٥ هـ",
        ),
    ];
    for (byline, iso, calendar, shown) in cases {
        let text = format!("عنوان\n{byline}\nوزیر گفت که مذاکرات ادامه دارد.");
        let e = process(&text, Lang::Und);
        assert_eq!(e.detected_published_at.as_deref(), Some(iso), "{byline}");
        assert_eq!(e.published_calendar, Some(calendar), "{byline}");
        assert_eq!(e.published_at_text.as_deref(), Some(shown), "{byline}");
    }
    // A date given by the input wins, and nothing is detected.
    let mut document = Document::new("d", "عنوان\nتاريخ النشر: 19 سبتمبر 2023\nنص.");
    document.meta.published_at = Some("2024-01-01".into());
    let e = pipeline().process(&document);
    assert_eq!(
        (
            e.detected_published_at,
            e.published_at_text,
            e.published_calendar
        ),
        (None, None, None)
    );
}

#[test]
fn each_outlet_form() {
    // (text, outlet as written, entity)
    let cases = [
        (
            "عنوان\nالمصدر: الأسبوع\n",
            "الأسبوع",
            Some("naql:media:al-osboa"),
        ),
        (
            "عنوان\nتاریخ انتشار: ۲۸ شهریور ۱۴۰۲\nبه گزارش خبرگزاری فارس، وزیر گفت که مذاکرات ادامه دارد.",
            "خبرگزاری فارس",
            Some("naql:media:fars"),
        ),
        (
            "عنوان\nوزیر گفت که مذاکرات ادامه دارد و دو طرف در تماس هستند./ فارس",
            "فارس",
            Some("naql:media:fars"),
        ),
        (
            "عنوان الخبر\nالمناطق_واس\nأكدت الوزارة أن المحادثات مستمرة.",
            "المناطق",
            Some("naql:media:al-manatiq"),
        ),
        (
            "Talks resume\nMOSCOW (Reuters) - The minister said talks would resume.",
            "Reuters",
            Some("naql:media:reuters"),
        ),
        (
            "عنوان\nبه گزارش پایگاه خبری نمونه، وزیر گفت که مذاکرات ادامه دارد.",
            "پایگاه خبری نمونه",
            None,
        ),
        (
            "عبد العاطي: مصر ترفض التهجير\nالقاهرة (أ ش أ)\nقال الوزير إن مصر ترفض التهجير.",
            "أ ش أ",
            Some("naql:media:mena"),
        ),
        (
            "عنوان\nتهران- ایرنا- وزیران امور خارجه ایران و روسیه گفت‌وگو کردند.",
            "ایرنا",
            Some("naql:media:irna"),
        ),
        (
            "عنوان\nبه گزارش خبرگزاری ایرنا، وزیر گفت که مذاکرات ادامه دارد.",
            "خبرگزاری ایرنا",
            Some("naql:media:irna"),
        ),
    ];
    for (text, name, entity) in cases {
        let e = process(text, Lang::Und);
        let o = e.outlet.unwrap_or_else(|| panic!("no outlet in {text}"));
        assert_eq!(&text[o.range.clone()], name, "{text}");
        assert_eq!(o.entity.as_ref().map(|e| e.id.as_str()), entity, "{text}");
    }
    // A reporter is not an outlet.
    let e = process(
        "عنوان\nبه گزارش خبرنگار اقتصادی ما، وزیر گفت که مذاکرات ادامه دارد.",
        Lang::Fa,
    );
    assert!(e.outlet.is_none());
    // A date's slash is not a credit.
    let e = process("عنوان\nوزیر گفت که جلسه در ۱۴۰۲/۰۶/۲۸", Lang::Fa);
    assert!(e.outlet.is_none());
}

#[test]
fn zones_flag_keeps_chosen_zones_and_paragraphs_table_covers_every_paragraph() {
    let out = tempfile::tempdir().unwrap();
    naql()
        .args([
            "extract",
            "samples/ar_zakharova_karabakh.txt",
            "samples/fa_zakharova_karabakh.txt",
            "--zones",
            "body,title",
            "--paragraphs",
            // The workers encode the rows and shed what the tables needed; the
            // paragraphs need the outcomes whole.
            "--threads",
            "2",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .code(0);
    let mentions = read_table(&out.path().join("mentions.csv"));
    assert!(!mentions.rows.is_empty());
    assert!(mentions
        .column("zone")
        .iter()
        .all(|z| *z == "body" || *z == "title"));
    let quotes = read_table(&out.path().join("quotes.csv"));
    assert!(quotes
        .column("zone")
        .iter()
        .all(|z| *z == "body" || *z == "title"));
    // Every speaker_mention_id names a row that is still there.
    let ids: std::collections::HashSet<&str> = mentions.column("mention_id").into_iter().collect();
    for id in quotes.column("speaker_mention_id") {
        assert!(id.is_empty() || ids.contains(id), "{id}");
    }
    let entities = read_table(&out.path().join("entities.csv"));
    assert!(entities
        .column("n_mentions_other")
        .iter()
        .all(|n| *n == "0"));

    let paragraphs = read_table(&out.path().join("paragraphs.csv"));
    assert_eq!(
        paragraphs.header.join(","),
        "doc_id,paragraph_index,start,end,byte_start,byte_end,zone,article_index"
    );
    let ar = std::fs::read_to_string(repo_path("samples/ar_zakharova_karabakh.txt")).unwrap();
    let rows: Vec<_> = paragraphs
        .rows
        .iter()
        .filter(|r| r["doc_id"].ends_with("ar_zakharova_karabakh.txt"))
        .collect();
    assert_eq!(rows.len(), 19);
    // Paragraph 17 holds two zones; its parts slice the text in code points and bytes.
    let parts: Vec<_> = rows
        .iter()
        .filter(|r| r["paragraph_index"] == "17")
        .collect();
    assert_eq!(parts.len(), 2);
    for row in &rows {
        let (s, e): (usize, usize) = (row["start"].parse().unwrap(), row["end"].parse().unwrap());
        let (bs, be): (usize, usize) = (
            row["byte_start"].parse().unwrap(),
            row["byte_end"].parse().unwrap(),
        );
        assert_eq!(slice_chars(&ar, s, e), &ar[bs..be]);
    }
    assert_eq!(parts[1]["zone"], "body");
    assert!(ar[parts[1]["byte_start"].parse::<usize>().unwrap()..].starts_with("وشددت"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    assert!(manifest["outputs"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("paragraphs.csv")));
    assert_eq!(
        manifest["options"]["zones"],
        serde_json::json!(["body", "title"])
    );

    // paragraphs.csv goes with the CSV tables only; an unknown zone is a usage error.
    naql()
        .args(["extract", "samples", "--format", "jsonl", "--paragraphs"])
        .assert()
        .code(2);
    naql()
        .args(["extract", "samples", "--zones", "footer", "--out"])
        .arg(out.path())
        .assert()
        .code(2);
}
