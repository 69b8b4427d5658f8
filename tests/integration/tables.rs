//! The sinks: offsets in code points and bytes, ids, context, entity counts, JSONL
//! fields. Mentions and quotes are made by hand here so the writers are checked
//! independently of the stages that find them.

use std::collections::HashMap;
use std::sync::Arc;

use naql::pipeline::{Outcome, Sink};
use naql::sink::{CsvOptions, CsvTables, JsonlRecords};
use naql::zones::Zone;
use naql::{Document, Entity, Extraction, Lang, Mention, Pipeline, Quote, Span};

use crate::util::{assert_spans_slice, read_table, repo_path, sample_texts};

fn entity(id: &str, label: &str, entity_type: &'static str) -> Arc<Entity> {
    Arc::new(Entity {
        id: id.into(),
        entity_type,
        subtype: "test".into(),
        label: label.into(),
        wikidata: Default::default(),
    })
}

/// Mentions of every occurrence of `needle`, found by plain substring search.
fn mentions_of(text: &str, needle: &str, entity: &Arc<Entity>) -> Vec<Mention> {
    text.match_indices(needle)
        .map(|(at, found)| Mention {
            span: Span::from_bytes(text, at, at + found.len()),
            entity: Arc::clone(entity),
            matched_name: needle.into(),
            name_lang: "und",
            match_kind: "exact",
            clitic: Default::default(),
            sentence_index: 0,
            zone: Zone::Body,
            article_index: 0,
        })
        .collect()
}

fn sample_outcomes() -> Vec<Outcome> {
    let zakharova = entity("test:zakharova", "Maria Zakharova", "PER");
    let baku = entity("test:baku", "Baku", "LOC");
    let pipeline = Pipeline::builder().build();
    let mut outcomes = Vec::new();
    for (id, path, names) in [
        (
            "fa",
            "samples/fa_zakharova_karabakh.txt",
            ["زاخارووا", "باکو"],
        ),
        (
            "ar",
            "samples/ar_zakharova_karabakh.txt",
            ["زاخاروفا", "باكو"],
        ),
    ] {
        let text = std::fs::read_to_string(repo_path(path)).unwrap();
        let document = Document {
            lang: Lang::Und,
            ..Document::new(id, text)
        };
        let mut extraction: Extraction = pipeline.process(&document);
        let mut mentions = mentions_of(&document.text, names[0], &zakharova);
        mentions.extend(mentions_of(&document.text, names[1], &baku));
        mentions.sort_by_key(|m| m.span);
        // A quote: the first «...» pair, with the first mention as speaker.
        let open = document.text.find('«').unwrap();
        let close = document.text[open..].find('»').unwrap() + open;
        let content = Span::from_bytes(&document.text, open + '«'.len_utf8(), close);
        let speaker_mention = mentions.iter().position(|m| m.entity == zakharova).unwrap();
        let speaker = mentions[speaker_mention].span;
        extraction.quotes.push(Quote {
            quote_type: "direct",
            span: content,
            open_mark: "«",
            close_mark: "»",
            cue: None,
            speaker: Some(speaker),
            speaker_mention: Some(speaker_mention),
            speaker_entity: Some(Arc::clone(&zakharova)),
            attribution_method: "test",
            confidence: 0.75,
            sentence_index: 3,
            zone: Zone::Body,
            article_index: 0,
        });
        extraction.mentions = mentions;
        outcomes.push(Outcome::Done {
            document,
            extraction,
        });
    }
    outcomes
}

#[test]
fn every_written_span_slices_the_original_in_code_points_and_bytes() {
    let out = tempfile::tempdir().unwrap();
    let mut tables = CsvTables::create(out.path(), CsvOptions::default()).unwrap();
    let outcomes = sample_outcomes();
    for outcome in &outcomes {
        tables.write(outcome).unwrap();
    }
    tables.finish().unwrap();
    let mut texts = HashMap::new();
    for outcome in &outcomes {
        if let Outcome::Done { document, .. } = outcome {
            texts.insert(document.id.clone(), document.text.clone());
        }
    }
    let mentions = read_table(&out.path().join("mentions.csv"));
    // زاخارووا 3x, باکو 5x in the Persian sample; زاخاروفا 2x, باكو 0x in the Arabic one.
    let counts: Vec<usize> = ["fa", "ar"]
        .iter()
        .map(|id| mentions.rows.iter().filter(|r| r["doc_id"] == *id).count())
        .collect();
    assert_eq!(counts, [3 + 5, 2]);
    let checked = assert_spans_slice(out.path(), &texts);
    assert_eq!(
        checked,
        8 + 2 + 2 * 2,
        "mention spans plus quote and speaker spans"
    );

    assert_eq!(mentions.rows[0]["text"], "باکو");
    let first = &mentions.rows[1];
    assert_eq!(first["mention_id"], "fa:m2");
    assert_eq!(first["text"], "زاخارووا");
    assert_eq!(first["context_left"].chars().count(), 40);
    assert!(
        first["context_left"].ends_with("به گزارش راهبرد معاصر، «ماریا "),
        "{}",
        first["context_left"]
    );
    assert!(
        first["context_right"].starts_with("» سخنگوی وزارت"),
        "{}",
        first["context_right"]
    );

    let quotes = read_table(&out.path().join("quotes.csv"));
    assert_eq!(quotes.column("quote_id"), ["fa:q1", "ar:q1"]);
    assert_eq!(quotes.column("speaker_mention_id"), ["fa:m2", "ar:m1"]);
    assert_eq!(quotes.column("confidence"), ["0.75", "0.75"]);
    assert_eq!(quotes.column("lang"), ["fa", "ar"]);
    assert_eq!(quotes.rows[0]["text"], "ماریا زاخارووا");

    let entities = read_table(&out.path().join("entities.csv"));
    let rows: Vec<(&str, &str, &str)> = entities
        .rows
        .iter()
        .map(|r| {
            (
                r["entity_id"].as_str(),
                r["n_mentions"].as_str(),
                r["n_docs"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [("test:baku", "5", "1"), ("test:zakharova", "5", "2")]
    );

    let documents = read_table(&out.path().join("documents.csv"));
    assert_eq!(documents.column("n_mentions"), ["8", "2"]);
    assert_eq!(documents.column("n_quotes"), ["1", "1"]);
}

/// The workers' way of writing (rows rendered, the outcome shed, the mentions' entities
/// handed over for the counts) writes the same tables as the writing thread's own.
#[test]
fn rendered_and_shed_outcomes_write_the_same_tables() {
    let (whole, shed) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut tables = CsvTables::create(whole.path(), CsvOptions::default()).unwrap();
    for outcome in &sample_outcomes() {
        tables.write(outcome).unwrap();
    }
    tables.finish().unwrap();

    let mut tables = CsvTables::create(shed.path(), CsvOptions::default()).unwrap();
    let renderer = tables.renderer().unwrap();
    assert!(renderer.sheds());
    for mut outcome in sample_outcomes() {
        let Outcome::Done { extraction, .. } = &outcome else {
            unreachable!()
        };
        let before: Vec<(String, &str, Zone)> = extraction
            .mentions
            .iter()
            .map(|m| (m.entity.id.to_string(), m.match_kind, m.zone))
            .collect();
        let (sha256, id) = (extraction.text_sha256.clone(), outcome.id().to_string());
        let mut rendered = renderer.render(&outcome);
        let tallies = outcome.shed();
        let after: Vec<(String, &str, Zone)> = tallies
            .iter()
            .map(|m| (m.entity.id.to_string(), m.match_kind, m.zone))
            .collect();
        assert_eq!(after, before);
        let Outcome::Done {
            document,
            extraction,
        } = &outcome
        else {
            unreachable!()
        };
        assert_eq!(document.id, id);
        assert_eq!(extraction.text_sha256, sha256);
        assert!(document.text.is_empty() && extraction.mentions.is_empty());
        assert!(extraction.quotes.is_empty() && extraction.zones.is_empty());
        rendered.mentions = Some(tallies);
        tables.write_rendered(&outcome, rendered).unwrap();
    }
    tables.finish().unwrap();
    for file in [
        "documents.csv",
        "mentions.csv",
        "quotes.csv",
        "entities.csv",
    ] {
        let (a, b) = (whole.path().join(file), shed.path().join(file));
        assert_eq!(
            std::fs::read(a).unwrap(),
            std::fs::read(b).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn jsonl_records_carry_the_same_fields_as_the_tables() {
    let mut buffer = Vec::new();
    {
        let mut sink = JsonlRecords::new(&mut buffer);
        for outcome in &sample_outcomes() {
            sink.write(outcome).unwrap();
        }
        sink.finish().unwrap();
    }
    let text = String::from_utf8(buffer).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = records
        .iter()
        .map(|r| r["record"].as_str().unwrap())
        .collect();
    let mut expected = vec!["run", "document"];
    expected.extend(["mention"; 8]);
    expected.push("quote");
    expected.push("document");
    expected.extend(["mention"; 2]);
    expected.push("quote");
    expected.extend(["entity"; 2]);
    assert_eq!(kinds, expected);
    assert_eq!(records[1]["doc_index"], 1);
    assert_eq!(records[11]["doc_index"], 2);
    let entity = &records[15];
    assert_eq!(entity["entity_id"], "test:baku");
    assert_eq!(entity["subtype"], "test");
    assert!(entity["n_docs"].is_u64());
    let mention = &records[3];
    assert_eq!(mention["doc_id"], "fa");
    assert_eq!(mention["mention_id"], "fa:m2");
    assert_eq!(mention["text"], "زاخارووا");
    assert!(mention["start"].is_u64());
    let quote = &records[10];
    assert_eq!(quote["speaker_entity_id"], "test:zakharova");
    assert!(quote["cue"].is_null() && quote["cue_start"].is_null());
    assert_eq!(quote["confidence"], 0.75);
}

#[test]
fn samples_run_has_only_slicing_spans() {
    // Holds for whatever the stages find in the samples; the sink test above makes
    // sure the check itself fails on a wrong offset.
    let out = tempfile::tempdir().unwrap();
    crate::util::naql()
        .args(["extract", "samples", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    assert_spans_slice(out.path(), &sample_texts());
}
