//! Span agreement and span gold against seqeval's published behaviour and hand-computed cases.

mod common;

use common::{close, expected, published_file};
use concord_engine::formats::bio::{read_bio_jsonl, ChunkMode};
use concord_engine::formats::span_jsonl::read_span_jsonl;
use concord_engine::model::{Span, SpanTable, SpanUnit};
use concord_engine::spans::{span_agreement, span_gold};
use serde_json::json;

/// The seqeval case as two BIO JSONL files (gold and one annotator) in one table.
fn seqeval_case(mode: ChunkMode) -> (SpanTable, Vec<Option<Vec<Span>>>) {
    let path = published_file("ner_invalid_bio_edge.json");
    let case: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let to_jsonl = |key: &str| {
        case[key]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, tags)| {
                let tokens: Vec<String> = (0..tags.as_array().unwrap().len()).map(|k| format!("w{k}")).collect();
                json!({"id": format!("s{i}"), "tokens": tokens, "tags": tags}).to_string() + "\n"
            })
            .collect::<String>()
    };
    let mut t = SpanTable::new(SpanUnit::Tokens);
    let pred = read_bio_jsonl("pred.jsonl", &to_jsonl("y_pred"), mode, &mut t.items, &mut t.labels).unwrap();
    t.add_annotator("pred", pred);
    let truth = read_bio_jsonl("true.jsonl", &to_jsonl("y_true"), mode, &mut t.items, &mut t.labels).unwrap();
    let mut gold = vec![None; t.items.len()];
    for (item, mut spans) in truth {
        spans.sort_unstable();
        gold[item as usize] = Some(spans);
    }
    (t, gold)
}

#[test]
fn seqeval_default_mode_on_invalid_iob2() {
    let (e, (t, gold)) = (expected(), seqeval_case(ChunkMode::Lenient));
    let want = &e["ner_invalid_bio_edge"]["seqeval"]["default"];
    let r = span_gold(&t, &gold);
    let s = &r.annotators["pred"];
    close(Some(s.precision), want["precision"].as_f64().unwrap(), 1e-9, "precision");
    close(Some(s.recall), want["recall"].as_f64().unwrap(), 1e-9, "recall");
    close(Some(s.f1), want["f1"].as_f64().unwrap(), 1e-9, "f1");
}

#[test]
fn seqeval_strict_mode_on_invalid_iob2() {
    let (e, (t, gold)) = (expected(), seqeval_case(ChunkMode::Strict));
    let want = &e["ner_invalid_bio_edge"]["seqeval"]["strict"];
    let s = &span_gold(&t, &gold).annotators["pred"];
    close(Some(s.precision), want["precision"].as_f64().unwrap(), 1e-9, "precision");
    close(Some(s.recall), want["recall"].as_f64().unwrap(), 1e-9, "recall");
    close(Some(s.f1), want["f1"].as_f64().unwrap(), 1e-9, "f1");
}

fn table(files: &[(&str, &str)]) -> SpanTable {
    let mut t = SpanTable::new(SpanUnit::CodePoints);
    for (who, text) in files {
        let docs = read_span_jsonl(&format!("{who}.jsonl"), text, &mut t.items, &mut t.labels).unwrap();
        t.add_annotator(who, docs);
    }
    t
}

#[test]
fn pairwise_exact_and_overlap_with_emoji_and_cjk_offsets() {
    // "🚀 李娜 visited São Paulo": 🚀=0, space=1, 李娜=2..4, " visited "=4..13, São Paulo=13..22 (code points).
    let text = "🚀 李娜 visited São Paulo";
    assert_eq!(text.chars().count(), 22);
    let doc = |spans: serde_json::Value| json!({"id": "d1", "text": text, "spans": spans}).to_string() + "\n";
    let alice = doc(json!([{"start": 2, "end": 4, "label": "PER"}, {"start": 13, "end": 22, "label": "LOC"}]));
    let bob = doc(json!([{"start": 2, "end": 4, "label": "PER"}, {"start": 13, "end": 16, "label": "LOC"}]));
    let r = span_agreement(&table(&[("alice", &alice), ("bob", &bob)]));
    assert_eq!(r.pairwise.len(), 1);
    let p = &r.pairwise[0];
    assert_eq!((p.a.as_str(), p.b.as_str(), p.documents), ("alice", "bob", 1));
    // Exact: 1 of 2 each way. Overlap: São ⊂ São Paulo, same label → 2 of 2.
    assert_eq!((p.precision, p.recall, p.f1), (0.5, 0.5, 0.5));
    assert_eq!((p.overlap.precision, p.overlap.recall, p.overlap.f1), (1.0, 1.0, 1.0));
    assert_eq!(r.per_label["PER"].f1, 1.0);
    assert_eq!(r.per_label["LOC"].f1, 0.0);
}

#[test]
fn overlap_matching_is_one_to_one_and_label_aware() {
    let a = doc_spans(&[(0, 10, "ORG"), (20, 25, "PER")]);
    let b = doc_spans(&[(0, 3, "ORG"), (5, 10, "ORG"), (20, 25, "LOC")]);
    let r = span_agreement(&table(&[("a", &a), ("b", &b)]));
    let p = &r.pairwise[0];
    // One ORG of b matches a's ORG (one to one); the PER/LOC pair differs in label.
    close(Some(p.overlap.precision), 1.0 / 3.0, 1e-12, "overlap precision");
    close(Some(p.overlap.recall), 0.5, 1e-12, "overlap recall");
    assert_eq!(p.f1, 0.0);
}

fn doc_spans(spans: &[(u32, u32, &str)]) -> String {
    let spans: Vec<_> = spans.iter().map(|(s, e, l)| json!({"start": s, "end": e, "label": l})).collect();
    json!({"id": "d", "spans": spans}).to_string() + "\n"
}

#[test]
fn span_past_the_text_and_reversed_span_are_rejected_with_path() {
    let mut t = SpanTable::new(SpanUnit::CodePoints);
    let text = "{\"id\":\"d\",\"text\":\"héllo\",\"spans\":[{\"start\":0,\"end\":6,\"label\":\"X\"}]}\n";
    let e = read_span_jsonl("a.jsonl", text, &mut t.items, &mut t.labels).unwrap_err();
    assert_eq!(e.to_string(), "a.jsonl: line 1, $.spans[0].end: 6 is past the end of the text (5 code points)");
    let text = "\n{\"id\":\"d\",\"spans\":[{\"start\":4,\"end\":4,\"label\":\"X\"}]}\n";
    let e = read_span_jsonl("a.jsonl", text, &mut t.items, &mut t.labels).unwrap_err();
    assert_eq!(e.to_string(), "a.jsonl: line 2, $.spans[0]: empty or reversed span 4..4");
    let text = "{\"id\":\"d\",\"spans\":[{\"begin\":0,\"end\":4,\"label\":\"X\"}]}\n";
    let e = read_span_jsonl("a.jsonl", text, &mut t.items, &mut t.labels).unwrap_err();
    assert!(e.to_string().starts_with("a.jsonl: line 1, $.spans[0].begin: unknown field `begin`"), "{e}");
}

#[test]
fn bio_tags_and_tokens_must_line_up() {
    let mut t = SpanTable::new(SpanUnit::Tokens);
    let text = "{\"id\":1,\"tokens\":[\"a\",\"b\"],\"tags\":[\"B-X\"]}\n";
    let e = read_bio_jsonl("b.jsonl", text, ChunkMode::Lenient, &mut t.items, &mut t.labels).unwrap_err();
    assert_eq!(e.to_string(), "b.jsonl: line 1, $.tags: 1 tags for 2 tokens");
    let text = "{\"id\":1,\"tokens\":[\"a\",\"b\"],\"tags\":[\"B-X\",\"Q-X\"]}\n";
    let e = read_bio_jsonl("b.jsonl", text, ChunkMode::Lenient, &mut t.items, &mut t.labels).unwrap_err();
    assert_eq!(e.to_string(), "b.jsonl: line 1, $.tags[1]: `Q-X` is not an IOB2 tag (O, B-TYPE, I-TYPE)");
}

#[test]
fn gold_per_type_support_counts_gold_chunks() {
    let gold_text = doc_spans(&[(0, 4, "PER"), (10, 14, "PER"), (20, 24, "ORG")]);
    let ann = doc_spans(&[(0, 4, "PER"), (20, 24, "LOC")]);
    let mut t = table(&[("ann", &ann)]);
    let g = read_span_jsonl("gold.jsonl", &gold_text, &mut t.items, &mut t.labels).unwrap();
    let mut gold = vec![None; t.items.len()];
    for (i, mut s) in g {
        s.sort_unstable();
        gold[i as usize] = Some(s);
    }
    let r = &span_gold(&t, &gold).annotators["ann"];
    assert_eq!((r.precision, r.recall), (0.5, 1.0 / 3.0));
    assert_eq!((r.per_type["PER"].support, r.per_type["PER"].recall, r.per_type["PER"].precision), (2, 0.5, 1.0));
    assert_eq!((r.per_type["ORG"].support, r.per_type["ORG"].f1), (1, 0.0));
    assert_eq!((r.per_type["LOC"].support, r.per_type["LOC"].precision), (0, 0.0));
}

mod text_offsets {
    use concord_engine::model::{code_point_of_utf16, snap_to_tokens, token_at, utf16_of_code_point};

    #[test]
    fn utf16_and_code_points_convert_both_ways_with_emoji_and_cjk() {
        let text = "a🚀b北京é👩‍🔬!";
        // Independent computation: walk the string by chars, counting UTF-16 units by hand.
        let mut units = 0;
        for (cp, c) in text.chars().enumerate() {
            assert_eq!(utf16_of_code_point(text, cp), units);
            assert_eq!(code_point_of_utf16(text, units), cp);
            if c.len_utf16() == 2 {
                // The middle of a surrogate pair belongs to the character.
                assert_eq!(code_point_of_utf16(text, units + 1), cp);
            }
            units += c.len_utf16();
        }
        assert_eq!(code_point_of_utf16(text, units), text.chars().count());
        assert_eq!(code_point_of_utf16(text, units + 10), text.chars().count());
        assert_eq!(units, text.encode_utf16().count());
    }

    #[test]
    fn selections_snap_to_whole_tokens() {
        let t: Vec<char> = "  Zoë Müller-Lüdenscheidt visited 北京 🚀 today.".chars().collect();
        let s = |a, b| snap_to_tokens(&t, a, b).map(|(x, y)| t[x..y].iter().collect::<String>());
        assert_eq!(s(3, 4).as_deref(), Some("Zoë"));
        assert_eq!(s(0, 9).as_deref(), Some("Zoë Müller"));
        assert_eq!(s(9, 3).as_deref(), Some("Zoë Müller"), "a backwards drag is the same selection");
        assert_eq!(s(0, 2), None, "whitespace only");
        assert_eq!(s(34, 36).as_deref(), Some("北京"));
        assert_eq!(s(37, 38).as_deref(), Some("🚀"));
        assert_eq!(s(42, 45).as_deref(), Some("today."), "a drag ending on the full stop keeps it");
        assert_eq!(s(44, 45).as_deref(), Some("."), "punctuation is a token of its own");
        assert_eq!(token_at(&t, 0).map(|(a, b)| t[a..b].iter().collect::<String>()).as_deref(), Some("Zoë"));
    }
}

mod overlap_policy {
    use concord_engine::model::{OverlapPolicy, SpanRegion};
    use concord_engine::spans::overlap_conflict;

    #[test]
    fn forbid_nested_and_allow() {
        let sp = |a, b| SpanRegion { start: a, end: b, label: "X".into(), score: None };
        let spans = [sp(0, 5), sp(10, 20)];
        use OverlapPolicy::*;
        assert_eq!(overlap_conflict(Forbid, &spans, 5, 10, None), None, "touching is not overlapping");
        assert_eq!(overlap_conflict(Forbid, &spans, 4, 6, None), Some(0));
        assert_eq!(overlap_conflict(Forbid, &spans, 12, 14, Some(1)), None, "the span being moved is ignored");
        assert_eq!(overlap_conflict(Nested, &spans, 12, 14, None), None, "inside");
        assert_eq!(overlap_conflict(Nested, &spans, 8, 25, None), None, "around");
        assert_eq!(overlap_conflict(Nested, &spans, 15, 25, None), Some(1), "crossing");
        assert_eq!(overlap_conflict(Nested, &spans, 10, 20, None), Some(1), "identical range");
        assert_eq!(overlap_conflict(Allow, &spans, 15, 25, None), None);
    }
}
