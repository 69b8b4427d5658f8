//! Quote evaluation (issue 6): the scorer on hand-made predictions with exact counts,
//! gold file checks, the dev set under `dev/quotes/`, and `naql eval quotes` end to end.

use std::collections::HashMap;
use std::sync::Arc;

use naql::eval::quotes::{
    CharSpan, ErrorKind, Gold, GoldType, QuoteEval, QuoteReport, ERROR_COLUMNS,
};
use naql::read::{InputFormat, Inputs, ReadOptions};
use naql::{Document, Entity, Lang, Quote, Span};

use crate::util::{naql, repo_path};

/// Code-point span of the `nth` occurrence (0-based) of `needle` in `text`.
fn find(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let byte = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"))
        .0;
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// The [`Span`] of code points `start..end` of `text`.
fn span(text: &str, (start, end): (usize, usize)) -> Span {
    let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
    Span::from_bytes(text, byte(start), byte(end))
}

fn entity(label: &str) -> Arc<Entity> {
    Arc::new(Entity {
        id: format!("t:{label}").into(),
        entity_type: "PER",
        subtype: "person".into(),
        label: label.into(),
        wikidata: Default::default(),
    })
}

/// A predicted quote of `quote_type` over `content`, with an optional speaker span and
/// speaker entity label.
fn predicted(
    text: &str,
    quote_type: &'static str,
    content: (usize, usize),
    speaker: Option<(usize, usize)>,
    label: Option<&str>,
) -> Quote {
    Quote {
        quote_type,
        span: span(text, content),
        open_mark: "",
        close_mark: "",
        cue: None,
        speaker: speaker.map(|s| span(text, s)),
        speaker_mention: None,
        speaker_entity: label.map(entity),
        attribution_method: "test",
        confidence: 1.0,
        sentence_index: 0,
        zone: naql::zones::Zone::Body,
        article_index: 0,
    }
}

/// One gold JSON line.
fn gold_line(
    doc_id: &str,
    quote_type: &str,
    quote: (usize, usize),
    speaker: Option<(usize, usize)>,
    resolved: Option<&str>,
) -> String {
    serde_json::json!({
        "doc_id": doc_id,
        "type": quote_type,
        "quote_start": quote.0,
        "quote_end": quote.1,
        "speaker_start": speaker.map(|s| s.0),
        "speaker_end": speaker.map(|s| s.1),
        "speaker_resolved": resolved,
        "cue_start": null,
        "cue_end": null,
    })
    .to_string()
}

fn gold(lines: &[String]) -> Gold {
    Gold::from_reader(lines.join("\n").as_bytes(), "gold.jsonl").unwrap()
}

fn document(id: &str, lang: Lang, text: &str) -> Document {
    Document {
        lang,
        ..Document::new(id, text)
    }
}

const FA: &str = "زاخارووا گفت: «ما در تماس هستیم». وی افزود که مسکو آماده است. به گزارش «ریانووستی»، لاوروف گفت که گفتگو ادامه دارد.";

/// The Persian document scored against four gold rows with four predictions: one exact
/// match, one overlap match through an antecedent speaker, one hit on a not-a-quote,
/// one spurious; one statement missed.
fn persian_eval() -> QuoteEval {
    let zakharova = find(FA, "زاخارووا", 0);
    let gold = gold(&[
        gold_line(
            "fa",
            "direct",
            find(FA, "ما در تماس هستیم", 0),
            Some(zakharova),
            Some("Maria Zakharova"),
        ),
        gold_line(
            "fa",
            "indirect",
            find(FA, "مسکو آماده است", 0),
            Some(find(FA, "وی", 0)),
            Some("Maria Zakharova"),
        ),
        gold_line("fa", "not_a_quote", find(FA, "ریانووستی", 0), None, None),
        gold_line(
            "fa",
            "indirect",
            find(FA, "گفتگو ادامه دارد", 0),
            Some(find(FA, "لاوروف", 0)),
            Some("Sergey Lavrov"),
        ),
    ]);
    let predictions = [
        predicted(
            FA,
            "direct",
            find(FA, "ما در تماس هستیم", 0),
            Some(zakharova),
            None,
        ),
        predicted(
            FA,
            "indirect",
            find(FA, "که مسکو آماده است", 0),
            Some(zakharova),
            None,
        ),
        predicted(FA, "direct", find(FA, "ریانووستی", 0), None, None),
        predicted(FA, "indirect", find(FA, "به گزارش", 0), None, None),
    ];
    let doc = document("fa", Lang::Fa, FA);
    gold.check_text("fa", FA).unwrap();
    let mut eval = QuoteEval::new();
    eval.add_document(&doc, &predictions, gold.statements("fa"));
    eval
}

#[test]
fn scorer_counts_matches_misses_and_false_positives_exactly() {
    let report = persian_eval().report();
    let all = report.overall();
    assert_eq!(
        (
            all.overlap.gold,
            all.overlap.found,
            all.overlap.predicted,
            all.overlap.correct
        ),
        (3, 2, 4, 2)
    );
    assert_eq!((all.exact.found, all.exact.correct), (1, 1));
    assert!((all.overlap.precision() - 0.5).abs() < 1e-9);
    assert!((all.overlap.recall() - 2.0 / 3.0).abs() < 1e-9);
    assert!((all.overlap.f1() - 4.0 / 7.0).abs() < 1e-9);
    assert_eq!(all.not_a_quote, (1, 1));
    assert_eq!(
        (
            all.speaker.matched,
            all.speaker.correct,
            all.speaker.by_span,
            all.speaker.by_antecedent
        ),
        (2, 2, 1, 1)
    );
    // Per type: the two indirect statements, one found; two indirect predictions, one right.
    let indirect = report.scope(None, Some("indirect")).unwrap();
    assert_eq!(
        (
            indirect.overlap.gold,
            indirect.overlap.found,
            indirect.overlap.predicted,
            indirect.overlap.correct
        ),
        (2, 1, 2, 1)
    );
    let fa = report.scope(Some(Lang::Fa), None).unwrap();
    assert_eq!(fa.overlap, all.overlap);
    assert!(report.scope(Some(Lang::En), None).is_none());
}

#[test]
fn errors_name_each_miss_false_positive_and_inexact_boundary() {
    let eval = persian_eval();
    let kinds: Vec<(ErrorKind, String)> = eval
        .errors()
        .iter()
        .map(|e| {
            let text = if e.gold_text.is_empty() {
                e.predicted_text.clone()
            } else {
                e.gold_text.clone()
            };
            (e.kind, text)
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (ErrorKind::Boundary, "مسکو آماده است".to_string()),
            (ErrorKind::Spurious, "به گزارش".to_string()),
            (ErrorKind::NotAQuote, "ریانووستی".to_string()),
            (ErrorKind::Missed, "گفتگو ادامه دارد".to_string()),
        ]
    );
    let boundary = &eval.errors()[0];
    assert_eq!(boundary.note, "start 3 earlier, end same (overlap 0.82)");
    assert_eq!(boundary.predicted_speaker, "زاخارووا");
    let missed = &eval.errors()[3];
    assert_eq!(missed.gold_speaker, "لاوروف");
    assert!(
        missed.context.contains("⟦گفتگو ادامه دارد⟧"),
        "{}",
        missed.context
    );
}

#[test]
fn errors_tsv_has_the_documented_columns_and_one_line_per_error() {
    let eval = persian_eval();
    let mut tsv = Vec::new();
    eval.write_errors_tsv(&mut tsv).unwrap();
    let tsv = String::from_utf8(tsv).unwrap();
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines[0], ERROR_COLUMNS.join("\t"));
    assert_eq!(lines.len(), 1 + eval.errors().len());
    for line in &lines[1..] {
        assert_eq!(line.split('\t').count(), ERROR_COLUMNS.len(), "{line}");
    }
    let missed: HashMap<&str, &str> = ERROR_COLUMNS
        .iter()
        .copied()
        .zip(lines[4].split('\t'))
        .collect();
    assert_eq!(missed["kind"], "missed");
    assert_eq!(missed["doc_id"], "fa");
    assert_eq!(missed["lang"], "fa");
    assert_eq!(missed["gold_type"], "indirect");
    assert_eq!(missed["gold_speaker_resolved"], "Sergey Lavrov");
    assert_eq!(missed["gold_line"], "4");
    assert_eq!(missed["pred_start"], "");
}

const EN: &str =
    "\"We are ready,\" Zakharova said. She added that Moscow would respond.\nLine two.";

#[test]
fn speakers_by_label_and_wrong_speakers_and_type_confusion_per_language() {
    let gold_en = gold(&[
        gold_line(
            "en",
            "direct",
            find(EN, "We are ready,", 0),
            Some(find(EN, "Zakharova", 0)),
            Some("Maria Zakharova"),
        ),
        gold_line(
            "en",
            "indirect",
            find(EN, "Moscow would respond", 0),
            Some(find(EN, "She", 0)),
            Some("Maria Zakharova"),
        ),
    ]);
    let predictions = [
        // No speaker span, but the entity's label is the resolved speaker (any case).
        predicted(
            EN,
            "direct",
            find(EN, "We are ready,", 0),
            None,
            Some("maria ZAKHAROVA"),
        ),
        // Typed mixed, speaker "We" inside the quote: wrong.
        predicted(
            EN,
            "mixed",
            find(EN, "Moscow would respond", 0),
            Some(find(EN, "We", 0)),
            Some("Sergey Lavrov"),
        ),
    ];
    let mut eval = persian_eval();
    eval.add_document(
        &document("en", Lang::En, EN),
        &predictions,
        gold_en.statements("en"),
    );
    let report = eval.report();

    let en = report.scope(Some(Lang::En), None).unwrap();
    assert_eq!(
        (en.overlap.gold, en.overlap.found, en.exact.found),
        (2, 2, 2)
    );
    assert_eq!(
        (
            en.speaker.matched,
            en.speaker.correct,
            en.speaker.by_label,
            en.speaker.by_span
        ),
        (2, 1, 1, 0)
    );
    let en_indirect = report.scope(Some(Lang::En), Some("indirect")).unwrap();
    assert_eq!(
        (
            en_indirect.overlap.gold,
            en_indirect.overlap.found,
            en_indirect.overlap.predicted
        ),
        (1, 1, 0)
    );
    let en_mixed = report.scope(Some(Lang::En), Some("mixed")).unwrap();
    assert_eq!(
        (
            en_mixed.overlap.gold,
            en_mixed.overlap.predicted,
            en_mixed.overlap.correct
        ),
        (0, 1, 1)
    );
    let all = report.overall();
    assert_eq!(
        (
            all.overlap.gold,
            all.overlap.found,
            all.overlap.predicted,
            all.overlap.correct
        ),
        (5, 4, 6, 4)
    );
    assert_eq!((all.speaker.matched, all.speaker.correct), (4, 3));
    assert!(report
        .type_confusion
        .contains(&(GoldType::Indirect, "mixed".to_string(), 1)));
    assert!(report
        .type_confusion
        .contains(&(GoldType::Direct, "direct".to_string(), 2)));

    let en_errors: Vec<ErrorKind> = eval
        .errors()
        .iter()
        .filter(|e| e.doc_id == "en")
        .map(|e| e.kind)
        .collect();
    assert_eq!(en_errors, [ErrorKind::Speaker, ErrorKind::Type]);
    let speaker = eval
        .errors()
        .iter()
        .find(|e| e.kind == ErrorKind::Speaker)
        .unwrap();
    assert_eq!(
        speaker.note,
        "want Maria Zakharova (written \"She\"); predicted entity \"Sergey Lavrov\""
    );
    assert_eq!(speaker.predicted_speaker_label, "Sergey Lavrov");
}

#[test]
fn matching_needs_half_the_longer_span_and_is_one_to_one() {
    assert!(CharSpan::new(0, 10).matches(CharSpan::new(0, 5)));
    assert!(!CharSpan::new(0, 10).matches(CharSpan::new(0, 4)));
    assert!(!CharSpan::new(0, 10).matches(CharSpan::new(10, 20)));
    assert!(CharSpan::new(2, 8).matches(CharSpan::new(0, 10)));

    let text = "abcdefghijklmnopqrstuvwxyz";
    let gold = gold(&[gold_line("d", "direct", (0, 10), None, Some("X"))]);
    // Both overlap the statement by more than half; the closer one takes it, the other
    // is a false positive.
    let predictions = [
        predicted(text, "direct", (0, 9), None, Some("X")),
        predicted(text, "direct", (0, 10), None, Some("X")),
    ];
    let mut eval = QuoteEval::new();
    eval.add_document(
        &Document::new("d", text),
        &predictions,
        gold.statements("d"),
    );
    let report = eval.report();
    let all = report.overall();
    assert_eq!(
        (
            all.overlap.found,
            all.overlap.correct,
            all.overlap.predicted,
            all.exact.found
        ),
        (1, 1, 2, 1)
    );
    assert_eq!(all.speaker.by_label, 1);
    let spurious: Vec<Option<CharSpan>> = eval
        .errors()
        .iter()
        .filter(|e| e.kind == ErrorKind::Spurious)
        .map(|e| e.predicted)
        .collect();
    assert_eq!(spurious, [Some(CharSpan::new(0, 9))]);
    assert_eq!(
        eval.errors()[0].note,
        "overlaps statement 0-10 by 0.90 of the longer span (needs 0.5)"
    );
    // The language of an `und` document is detected.
    assert_eq!(report.scopes[5].lang, Some(Lang::En));
}

#[test]
fn a_statement_without_any_speaker_is_right_when_none_is_predicted() {
    let text = "«متن بدون گوینده»";
    let gold = gold(&[gold_line("d", "direct", (1, 16), None, None)]);
    let mut eval = QuoteEval::new();
    eval.add_document(
        &Document::new("d", text),
        &[predicted(text, "direct", (1, 16), None, None)],
        gold.statements("d"),
    );
    let speaker = eval.report().overall().speaker;
    assert_eq!((speaker.matched, speaker.correct), (1, 1));
}

#[test]
fn an_empty_evaluation_reports_zeros_and_prints() {
    let report = QuoteEval::new().report();
    assert_eq!(report.overall().overlap.f1(), 0.0);
    assert_eq!(report.overall().speaker.accuracy(), 0.0);
    let printed = report.to_string();
    assert!(
        printed.starts_with("0 documents; 0 gold statements"),
        "{printed}"
    );
}

#[test]
fn bad_gold_records_are_reported_with_file_and_line() {
    let cases = [
        (
            r#"{"doc_id":"d","type":"quote","quote_start":0,"quote_end":3}"#,
            "gold.jsonl:2: unknown type \"quote\" (expected direct, mixed, indirect, headline or not_a_quote)",
        ),
        (
            r#"{"doc_id":"d","type":"direct","quote_start":3,"quote_end":3}"#,
            "gold.jsonl:2: quote_start 3 must be less than quote_end 3",
        ),
        (
            r#"{"doc_id":"d","type":"direct","quote_start":0,"quote_end":3,"speaker_start":1,"speaker_end":null}"#,
            "gold.jsonl:2: speaker_start and speaker_end must be both given or both null",
        ),
        (
            r#"{"doc_id":"","type":"direct","quote_start":0,"quote_end":3}"#,
            "gold.jsonl:2: doc_id must be a non-empty string, found \"\"",
        ),
        (
            r#"{"doc_id":"d","type":"direct","quote_start":0}"#,
            "gold.jsonl:2: bad gold record: missing field `quote_end` at line 1 column 46",
        ),
    ];
    for (line, message) in cases {
        let input = format!(
            "{}\n{line}\n",
            r#"{"doc_id":"d","type":"direct","quote_start":0,"quote_end":1}"#
        );
        let err = Gold::from_reader(input.as_bytes(), "gold.jsonl").unwrap_err();
        assert_eq!(err.to_string(), message);
    }

    let gold = gold(&[
        r#"{"doc_id":"d","type":"direct","quote_start":0,"quote_end":3,"quote_text":"abc"}"#
            .to_string(),
        r#"{"doc_id":"d","type":"direct","quote_start":4,"quote_end":9}"#.to_string(),
    ]);
    assert_eq!(
        gold.check_text("d", "abc def").unwrap_err().to_string(),
        "gold.jsonl:2: quote_end 9 is past the end of document d (7 code points)"
    );
    assert_eq!(
        gold.check_text("d", "xyz defghi").unwrap_err().to_string(),
        "gold.jsonl:1: quote_text \"abc\" is not what quote_start..quote_end slices from document d: \"xyz\""
    );
    assert!(gold.check_text("d", "abc defghi").is_ok());
    assert_eq!(gold.len(), 2);
    assert_eq!(gold.doc_ids().collect::<Vec<_>>(), ["d"]);
}

/// The dev set's documents, read as `naql eval quotes` reads them.
fn dev_documents() -> Vec<Document> {
    let options = ReadOptions {
        format: Some(InputFormat::Jsonl),
        ..ReadOptions::default()
    };
    Inputs::new(vec![repo_path("dev/quotes/docs.jsonl")], options)
        .map(|item| item.unwrap_or_else(|failure| panic!("{failure:?}")))
        .collect()
}

#[test]
fn dev_set_has_twenty_articles_per_language_and_its_spans_slice_the_texts() {
    let gold = Gold::read(&repo_path("dev/quotes/gold.jsonl")).unwrap();
    let documents = dev_documents();
    let mut per_lang: HashMap<Lang, usize> = HashMap::new();
    for document in &documents {
        gold.check_text(&document.id, &document.text).unwrap();
        *per_lang.entry(document.lang).or_default() += 1;
    }
    for lang in [Lang::Fa, Lang::Ar, Lang::En] {
        assert!(per_lang[&lang] >= 20, "{lang:?}: {per_lang:?}");
    }
    let ids: Vec<&str> = documents.iter().map(|d| d.id.as_str()).collect();
    for id in gold.doc_ids() {
        assert!(ids.contains(&id), "gold document {id} is not in docs.jsonl");
    }
    for (id, sample) in [
        (
            "fa00_zakharova_karabakh_seed",
            "samples/fa_zakharova_karabakh.txt",
        ),
        (
            "ar00_zakharova_karabakh_seed",
            "samples/ar_zakharova_karabakh.txt",
        ),
    ] {
        let document = documents.iter().find(|d| d.id == id).unwrap();
        assert_eq!(
            document.text,
            std::fs::read_to_string(repo_path(sample)).unwrap()
        );
    }
    // Every statement has a resolved speaker; not-a-quote rows have none.
    for document in &documents {
        for statement in gold.statements(&document.id) {
            assert_eq!(
                statement.speaker_resolved.is_some(),
                statement.quote_type.is_statement(),
                "{}:{}",
                document.id,
                statement.line
            );
        }
    }
}

/// Predictions that copy the gold statements: speaker spans where written, the resolved
/// label on the entity otherwise.
fn gold_as_predictions(gold: &Gold, document: &Document) -> Vec<Quote> {
    gold.statements(&document.id)
        .iter()
        .filter(|s| s.quote_type.is_statement())
        .map(|s| {
            let speaker = s.speaker.map(|sp| (sp.start, sp.end));
            let label = if speaker.is_none() {
                s.speaker_resolved.as_deref()
            } else {
                None
            };
            predicted(
                &document.text,
                s.quote_type.name(),
                (s.quote.start, s.quote.end),
                speaker,
                label,
            )
        })
        .collect()
}

#[test]
fn dev_set_scores_perfectly_against_itself() {
    let gold = Gold::read(&repo_path("dev/quotes/gold.jsonl")).unwrap();
    let mut eval = QuoteEval::new();
    for document in dev_documents() {
        let predictions = gold_as_predictions(&gold, &document);
        eval.add_document(&document, &predictions, gold.statements(&document.id));
    }
    let report: QuoteReport = eval.report();
    for scope in &report.scopes {
        assert_eq!(scope.overlap.found, scope.overlap.gold);
        assert_eq!(scope.exact.correct, scope.exact.predicted);
        assert_eq!(scope.speaker.correct, scope.speaker.matched);
        assert_eq!(scope.not_a_quote.1, 0);
    }
    let all = report.overall();
    assert!(all.overlap.gold >= 300, "{}", all.overlap.gold);
    assert_eq!(all.exact.f1(), 1.0);
    assert!(eval.errors().is_empty(), "{:?}", eval.errors().first());
}

/// A tiny gold/docs pair in a temporary directory.
fn tiny_pair() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fa_doc = serde_json::json!({"doc_id": "fa", "lang": "fa", "text": FA});
    let en_doc = serde_json::json!({"doc_id": "en", "lang": "en", "text": EN});
    std::fs::write(
        dir.path().join("docs.jsonl"),
        format!("{fa_doc}\n{en_doc}\n"),
    )
    .unwrap();
    let lines = [
        gold_line(
            "fa",
            "direct",
            find(FA, "ما در تماس هستیم", 0),
            Some(find(FA, "زاخارووا", 0)),
            Some("Maria Zakharova"),
        ),
        gold_line("fa", "not_a_quote", find(FA, "ریانووستی", 0), None, None),
        gold_line(
            "fa",
            "indirect",
            find(FA, "گفتگو ادامه دارد", 0),
            Some(find(FA, "لاوروف", 0)),
            Some("Sergey Lavrov"),
        ),
        gold_line(
            "en",
            "direct",
            find(EN, "We are ready,", 0),
            Some(find(EN, "Zakharova", 0)),
            Some("Maria Zakharova"),
        ),
    ];
    std::fs::write(dir.path().join("gold.jsonl"), lines.join("\n") + "\n").unwrap();
    dir
}

#[test]
fn cli_prints_tables_json_and_an_error_file() {
    let dir = tiny_pair();
    let errors = dir.path().join("errors.tsv");
    let output = naql()
        .args(["eval", "quotes", "--no-default-gazetteer", "--gold"])
        .arg(dir.path().join("gold.jsonl"))
        .arg("--docs")
        .arg(dir.path().join("docs.jsonl"))
        .arg("--errors")
        .arg(&errors)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with(
            "2 documents; 3 gold statements (direct 2, indirect 1); 1 not_a_quote rows; "
        ),
        "{stdout}"
    );
    for heading in [
        "Quote spans, matched by overlap >= 0.5 of the longer span",
        "Quote spans, matched exactly",
        "Speakers of matched statements",
        "not_a_quote rows matched by a prediction",
    ] {
        assert!(
            stdout.contains(heading),
            "{heading} missing from:\n{stdout}"
        );
    }
    let header = [
        "scope",
        "gold",
        "found",
        "recall",
        "pred",
        "correct",
        "precision",
        "f1",
    ];
    assert!(
        stdout
            .lines()
            .any(|l| l.split_whitespace().eq(header.iter().copied())),
        "{stdout}"
    );
    // Rows: scope, gold, found, recall, pred, correct, precision, f1.
    let row = |name: &str| -> Vec<String> {
        stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no {name} row in:\n{stdout}"))
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    let all = row("all");
    assert_eq!(all.len(), 8);
    assert_eq!(all[1], "3");
    assert_eq!(row("fa")[1], "2");
    assert_eq!(row("en")[1], "1");
    let found: usize = all[2].parse().unwrap();

    // Whatever the extractor finds, every gold statement it misses is a `missed` row.
    let tsv = std::fs::read_to_string(&errors).unwrap();
    let mut lines = tsv.lines();
    assert_eq!(lines.next().unwrap(), ERROR_COLUMNS.join("\t"));
    let missed = lines.filter(|l| l.starts_with("missed\t")).count();
    assert_eq!(missed, 3 - found);

    let output = naql()
        .args([
            "eval",
            "quotes",
            "--no-default-gazetteer",
            "--json",
            "--gold",
        ])
        .arg(dir.path().join("gold.jsonl"))
        .arg("--docs")
        .arg(dir.path().join("docs.jsonl"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["documents"], 2);
    assert_eq!(json["min_overlap"], 0.5);
    let overall = &json["scopes"][0];
    assert_eq!(
        (overall["lang"].as_str(), overall["type"].as_str()),
        (Some("all"), Some("all"))
    );
    assert_eq!(overall["overlap"]["gold"], 3);
    assert_eq!(overall["exact"]["gold"], 3);
    assert_eq!(overall["overlap"]["found"], found);
    assert_eq!(overall["not_a_quote"]["gold"], 1);
    for key in ["precision", "recall", "f1"] {
        assert!(overall["overlap"][key].is_number(), "{key}");
    }
    assert!(overall["speaker"]["accuracy"].is_number());
}

#[test]
fn cli_rejects_gold_that_does_not_fit_the_documents() {
    let dir = tiny_pair();
    let gold = dir.path().join("gold.jsonl");
    let run = || {
        naql()
            .args(["eval", "quotes", "--no-default-gazetteer", "--gold"])
            .arg(&gold)
            .arg("--docs")
            .arg(dir.path().join("docs.jsonl"))
            .output()
            .unwrap()
    };

    let mut lines = std::fs::read_to_string(&gold).unwrap();
    lines.push_str(&gold_line("missing", "direct", (0, 2), None, Some("X")));
    std::fs::write(&gold, &lines).unwrap();
    let output = run();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("has records for 1 documents not in"),
        "{stderr}"
    );
    assert!(stderr.contains("missing"), "{stderr}");

    std::fs::write(&gold, gold_line("en", "direct", (0, 500), None, Some("X"))).unwrap();
    let output = run();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("gold.jsonl:1: quote_end 500 is past the end of document en"),
        "{stderr}"
    );
}
