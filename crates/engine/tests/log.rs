//! The annotation log: replay, undo/redo, JSONL round trip, bad input, and what is derived from it.

use std::collections::BTreeMap;

use concord_engine::bundle::GoldItem;
use concord_engine::formats::label_studio::{read_label_studio, Region as LsRegion};
use concord_engine::formats::label_studio_write::write_label_studio;
use concord_engine::gold::feedback;
use concord_engine::log::{
    parse_jsonl, personal_stats, submitted_records, write_jsonl, Event, Op, Region, Rejection, Replay, TaskStatus,
};
use concord_engine::model::{BoxRegion, ControlValue, Schema, SpanRegion, Task, TaskData, TaskResult};
use proptest::prelude::*;

/// A schema with one control of each kind (read directly: a bundle would not mix text spans and boxes).
fn schema() -> Schema {
    serde_json::from_str(
        r#"{"data":"text","controls":[
        {"name":"topic","type":"single_choice","labels":[{"value":"sport"},{"value":"news"}]},
        {"name":"ents","type":"spans","labels":[{"value":"PER"},{"value":"ORG"}]},
        {"name":"objs","type":"boxes","labels":[{"value":"car","attributes":[{"name":"parked","type":"bool"}]},{"value":"bike"}]}]}"#,
    )
    .unwrap()
}

fn ev(seq: usize, task: &str, op: Op) -> Event {
    Event {
        id: format!("log1:{seq}"),
        at: 1_000 + seq as u64,
        annotator: "ann".into(),
        task: task.into(),
        guidelines: "1.0".into(),
        op,
    }
}

fn span(start: usize, end: usize, label: &str) -> Region {
    Region::Span(SpanRegion { start, end, label: label.into(), score: None })
}

fn bx(x: f64, label: &str) -> Region {
    Region::Box(BoxRegion { x, y: 1.0, w: 10.0, h: 5.0, label: label.into(), attributes: BTreeMap::new(), score: None })
}

#[test]
fn edits_undo_and_redo_replay_to_the_expected_result() {
    let s = schema();
    let events = vec![
        ev(1, "t1", Op::Choose { control: "topic".into(), labels: vec!["sport".into()] }),
        ev(2, "t1", Op::Insert { control: "ents".into(), index: 0, region: span(0, 4, "PER") }),
        ev(3, "t1", Op::Insert { control: "ents".into(), index: 1, region: span(6, 9, "ORG") }),
        ev(4, "t1", Op::Replace { control: "ents".into(), index: 0, region: span(0, 5, "ORG") }),
        ev(5, "t1", Op::Undo),
        ev(6, "t1", Op::Remove { control: "ents".into(), index: 1 }),
        ev(7, "t1", Op::Undo),
        ev(8, "t1", Op::Redo),
        ev(9, "t1", Op::Submit { warnings: vec!["w1".into()] }),
    ];
    let r = Replay::from_events(&s, &events).unwrap();
    let t = r.task("t1").unwrap();
    assert_eq!(t.status, TaskStatus::Submitted);
    let ents = match &t.result.0["ents"] {
        ControlValue::Spans(v) => v.clone(),
        other => panic!("{other:?}"),
    };
    // Event 4 was undone; event 6 (remove the ORG span) was undone then redone.
    assert_eq!(ents.len(), 1);
    assert_eq!((ents[0].start, ents[0].end, ents[0].label.as_str()), (0, 4, "PER"));
    assert_eq!(t.result.0["topic"], ControlValue::Choices(vec!["sport".into()]));
    let sub = t.submitted.as_ref().unwrap();
    assert_eq!((sub.at, sub.warnings.clone(), sub.result.clone()), (1_009, vec!["w1".to_string()], t.result.clone()));
    assert!(t.can_undo() && !t.can_redo());
}

#[test]
fn a_new_edit_clears_redo_and_undo_past_the_start_is_refused() {
    let s = schema();
    let mut r = Replay::default();
    r.apply(&s, &ev(1, "t", Op::Insert { control: "objs".into(), index: 0, region: bx(1.0, "car") })).unwrap();
    r.apply(&s, &ev(2, "t", Op::Undo)).unwrap();
    assert!(r.task("t").unwrap().can_redo());
    r.apply(&s, &ev(3, "t", Op::Insert { control: "objs".into(), index: 0, region: bx(2.0, "bike") })).unwrap();
    assert!(!r.task("t").unwrap().can_redo());
    assert_eq!(r.apply(&s, &ev(4, "t", Op::Redo)), Err(Rejection::NothingToRedo));
    r.apply(&s, &ev(5, "t", Op::Undo)).unwrap();
    assert_eq!(r.task("t").unwrap().result, TaskResult::default(), "undoing every edit restores the empty result");
    assert_eq!(r.apply(&s, &ev(6, "t", Op::Undo)), Err(Rejection::NothingToUndo));
    assert_eq!(r.events, 4, "rejected events are not counted");
}

#[test]
fn events_that_do_not_fit_the_schema_are_refused_with_the_reason() {
    let s = schema();
    let r = Replay::default();
    let cases = [
        (Op::Choose { control: "nope".into(), labels: vec![] }, "unknown control `nope`"),
        (Op::Choose { control: "topic".into(), labels: vec!["sport".into(), "news".into()] }, "takes one label"),
        (Op::Choose { control: "topic".into(), labels: vec!["weather".into()] }, "unknown label `weather`"),
        (Op::Choose { control: "ents".into(), labels: vec![] }, "is not a choice"),
        (Op::Insert { control: "ents".into(), index: 0, region: bx(1.0, "car") }, "does not take this kind"),
        (Op::Insert { control: "ents".into(), index: 1, region: span(0, 2, "PER") }, "past the end"),
        (Op::Insert { control: "ents".into(), index: 0, region: span(3, 3, "PER") }, "empty span"),
        (Op::Replace { control: "objs".into(), index: 0, region: bx(1.0, "car") }, "no region 0"),
        (Op::Remove { control: "objs".into(), index: 0 }, "no region 0"),
    ];
    for (op, why) in cases {
        let e = ev(1, "t", op.clone());
        let err = r.check(&s, &e).expect_err(&format!("{op:?} should be refused"));
        assert!(err.to_string().contains(why), "{op:?}: {err}");
    }
    let bad =
        [ev(1, "t", Op::Submit { warnings: vec![] }), ev(2, "t", Op::Remove { control: "ents".into(), index: 3 })];
    let (pos, why) = Replay::from_events(&s, &bad).unwrap_err();
    assert_eq!(pos, 2);
    assert!(why.contains("log1:2") && why.contains("task `t`") && why.contains("no region 3"), "{why}");
}

#[test]
fn importing_the_same_events_twice_changes_nothing() {
    let s = schema();
    let events = vec![
        ev(1, "t1", Op::Insert { control: "objs".into(), index: 0, region: bx(1.0, "car") }),
        ev(2, "t1", Op::Submit { warnings: vec![] }),
        ev(3, "t2", Op::Skip),
    ];
    let mut r = Replay::from_events(&s, &events).unwrap();
    let before = r.tasks.clone();
    for e in &events {
        r.apply(&s, e).unwrap();
    }
    assert_eq!(r.tasks, before);
    assert_eq!(r.events, 3);
    assert_eq!(r.task("t2").unwrap().status, TaskStatus::Skipped);
}

#[test]
fn the_jsonl_log_round_trips_exactly() {
    let s = schema();
    let mut attributes = BTreeMap::new();
    attributes.insert("parked".to_string(), serde_json::json!(true));
    let events = vec![
        ev(1, "t1", Op::Choose { control: "topic".into(), labels: vec!["news".into()] }),
        ev(2, "t1", Op::Insert { control: "ents".into(), index: 0, region: span(2, 7, "PER") }),
        ev(
            3,
            "t1",
            Op::Insert {
                control: "objs".into(),
                index: 0,
                region: Region::Box(BoxRegion {
                    x: 0.5,
                    y: 1.25,
                    w: 3.0,
                    h: 4.0,
                    label: "car".into(),
                    attributes,
                    score: Some(0.9),
                }),
            },
        ),
        ev(4, "t1", Op::Flag { unsure: true, comment: "blurry — 模糊 🚗".into() }),
        ev(5, "t1", Op::Undo),
        ev(6, "t1", Op::Redo),
        ev(7, "t1", Op::SetResult { result: TaskResult::default() }),
        ev(8, "t1", Op::Submit { warnings: vec!["min-size".into()] }),
        ev(9, "t2", Op::Skip),
    ];
    let text = write_jsonl(&events);
    assert_eq!(text.lines().count(), events.len());
    let back = parse_jsonl("log.jsonl", &text).unwrap();
    assert_eq!(back, events);
    let a = Replay::from_events(&s, &events).unwrap();
    let b = Replay::from_events(&s, &back).unwrap();
    assert_eq!(a.tasks, b.tasks);
}

#[test]
fn a_broken_log_line_names_the_line_and_the_field() {
    let good = write_jsonl(&[ev(1, "t", Op::Skip)]);
    let text = format!(
        "{good}{}\n",
        r#"{"id":"x:2","at":5,"annotator":"a","task":"t","guidelines":"1","op":{"type":"teleport"}}"#
    );
    let e = parse_jsonl("mine.jsonl", &text).unwrap_err().to_string();
    assert!(e.contains("mine.jsonl") && e.contains("line 2") && e.contains("op") && e.contains("teleport"), "{e}");
    let text = r#"{"id":"x:1","at":5,"annotator":"a","task":"t","guidelines":"1","op":{"type":"skip"},"extra":1}"#;
    let e = parse_jsonl("mine.jsonl", text).unwrap_err().to_string();
    assert!(e.contains("line 1") && e.contains("extra"), "{e}");
    let text = r#"{"id":"x:1","at":-5,"annotator":"a","task":"t","guidelines":"1","op":{"type":"skip"}}"#;
    let e = parse_jsonl("mine.jsonl", text).unwrap_err().to_string();
    assert!(e.contains("$.at"), "{e}");
    let text = r#"{"id":"","at":5,"annotator":"a","task":"t","guidelines":"1","op":{"type":"skip"}}"#;
    assert!(parse_jsonl("mine.jsonl", text).unwrap_err().to_string().contains("must not be empty"));
}

#[derive(Debug, Clone)]
enum Step {
    Add(usize, usize),
    Move(usize, usize),
    Del(usize),
    Choose(bool),
    Undo,
    Redo,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0usize..50, 1usize..5).prop_map(|(a, b)| Step::Add(a, b)),
        (0usize..8, 0usize..50).prop_map(|(i, a)| Step::Move(i, a)),
        (0usize..8).prop_map(Step::Del),
        any::<bool>().prop_map(Step::Choose),
        Just(Step::Undo),
        Just(Step::Redo),
    ]
}

proptest! {
    /// Against an independent model (a stack of whole-result snapshots): after every step the replayed result
    /// equals the snapshot, and undo/redo walk the snapshots exactly.
    #[test]
    fn undo_and_redo_walk_the_history_of_results(steps in proptest::collection::vec(step(), 1..60)) {
        let s = schema();
        let mut r = Replay::default();
        let mut past: Vec<TaskResult> = vec![TaskResult::default()];
        let mut future: Vec<TaskResult> = Vec::new();
        for (seq, st) in steps.into_iter().enumerate() {
            let n = match r.task("t").and_then(|t| t.result.0.get("ents")) {
                Some(ControlValue::Spans(v)) => v.len(),
                _ => 0,
            };
            let op = match st {
                Step::Add(a, len) => Op::Insert { control: "ents".into(), index: n, region: span(a, a + len, "PER") },
                Step::Move(i, a) if i < n => Op::Replace { control: "ents".into(), index: i, region: span(a, a + 2, "ORG") },
                Step::Del(i) if i < n => Op::Remove { control: "ents".into(), index: i },
                Step::Choose(b) => Op::Choose { control: "topic".into(), labels: if b { vec!["news".into()] } else { vec![] } },
                Step::Undo => Op::Undo,
                Step::Redo => Op::Redo,
                _ => continue,
            };
            let result = r.apply(&s, &ev(seq, "t", op.clone()));
            match op {
                Op::Undo => {
                    if past.len() > 1 { future.push(past.pop().unwrap()); prop_assert!(result.is_ok()); } else { prop_assert!(result.is_err()); }
                }
                Op::Redo => {
                    if let Some(next) = future.pop() { past.push(next); prop_assert!(result.is_ok()); } else { prop_assert!(result.is_err()); }
                }
                _ => {
                    prop_assert!(result.is_ok());
                    future.clear();
                    past.push(r.task("t").unwrap().result.clone());
                    continue;
                }
            }
            let now = r.task("t").map(|t| t.result.clone()).unwrap_or_default();
            prop_assert_eq!(&now, past.last().unwrap());
        }
    }
}

#[test]
fn gold_feedback_names_what_differs() {
    let gold_of =
        |result: TaskResult| GoldItem { task: "g".into(), result, explanation: "why".into(), section: "#s".into() };
    let mut g = TaskResult::default();
    g.0.insert("topic".into(), ControlValue::Choices(vec!["sport".into()]));
    let mut given = g.clone();
    assert!(feedback(&given, &gold_of(g.clone())).matches);
    given.0.insert("topic".into(), ControlValue::Choices(vec!["news".into()]));
    let f = feedback(&given, &gold_of(g.clone()));
    assert!(!f.matches);
    assert_eq!((f.controls[0].expected.as_str(), f.controls[0].given.as_str()), ("sport", "news"));
    assert_eq!((f.explanation.as_str(), f.section.as_str()), ("why", "#s"));

    let sp = |a, b, l: &str| SpanRegion { start: a, end: b, label: l.into(), score: None };
    let mut g = TaskResult::default();
    g.0.insert("ents".into(), ControlValue::Spans(vec![sp(0, 4, "PER"), sp(6, 9, "ORG"), sp(12, 15, "PER")]));
    let mut given = TaskResult::default();
    given.0.insert("ents".into(), ControlValue::Spans(vec![sp(0, 4, "PER"), sp(6, 9, "PER"), sp(20, 22, "ORG")]));
    let c = &feedback(&given, &gold_of(g)).controls[0];
    assert_eq!((c.matched, c.mislabeled, c.missed, c.extra, c.matches), (1, 1, 1, 1, false));

    let b = |x: f64, l: &str| BoxRegion {
        x,
        y: 0.0,
        w: 10.0,
        h: 10.0,
        label: l.into(),
        attributes: BTreeMap::new(),
        score: None,
    };
    let mut g = TaskResult::default();
    g.0.insert("objs".into(), ControlValue::Boxes(vec![b(0.0, "car"), b(100.0, "bike"), b(200.0, "car")]));
    let mut given = TaskResult::default();
    // 1 px off (IoU 0.82): same object; 6 px off (IoU 0.25): a different one.
    given.0.insert("objs".into(), ControlValue::Boxes(vec![b(1.0, "car"), b(101.0, "car"), b(206.0, "car")]));
    let c = &feedback(&given, &gold_of(g)).controls[0];
    assert_eq!((c.matched, c.mislabeled, c.missed, c.extra), (1, 1, 1, 1));
}

#[test]
fn personal_stats_count_today_gold_and_violations() {
    let s = schema();
    let choose = |l: &str| Op::Choose { control: "topic".into(), labels: vec![l.into()] };
    let events = vec![
        ev(1, "a", choose("sport")),
        ev(2, "a", Op::Submit { warnings: vec![] }),
        ev(100, "b", choose("news")),
        ev(101, "b", Op::Submit { warnings: vec!["r1".into()] }),
        ev(102, "c", choose("news")),
        ev(103, "d", Op::Skip),
    ];
    let r = Replay::from_events(&s, &events).unwrap();
    let st = personal_stats(&r, 1_050, |task, result| match task {
        "a" => Some(result.0["topic"] == ControlValue::Choices(vec!["news".into()])),
        "b" => Some(true),
        _ => None,
    });
    assert_eq!(
        (st.submitted, st.submitted_today, st.gold_checked, st.gold_correct, st.with_violations),
        (2, 1, 2, 1, 1)
    );
    assert_eq!((st.gold_accuracy(), st.violation_rate()), (Some(0.5), Some(0.5)));
}

#[test]
fn label_studio_export_reads_back_with_the_same_regions() {
    let s = schema();
    let text_task = Task {
        id: "t1".into(),
        data: TaskData {
            text: Some("Zoë 🚀 met 北京 ACME".into()),
            image: None,
            width: None,
            height: None,
            ..Default::default()
        },
        meta: Default::default(),
    };
    let image_task = Task {
        id: "t2".into(),
        data: TaskData {
            text: None,
            image: Some("img/2.png".into()),
            width: Some(640.0),
            height: Some(480.0),
            ..Default::default()
        },
        meta: Default::default(),
    };
    let mut attributes = BTreeMap::new();
    attributes.insert("parked".to_string(), serde_json::json!(true));
    let events = vec![
        ev(1, "t1", Op::Insert { control: "ents".into(), index: 0, region: span(0, 3, "PER") }),
        ev(2, "t1", Op::Insert { control: "ents".into(), index: 1, region: span(10, 12, "ORG") }),
        ev(3, "t1", Op::Choose { control: "topic".into(), labels: vec!["news".into()] }),
        ev(4, "t1", Op::Submit { warnings: vec![] }),
        ev(
            5,
            "t2",
            Op::Insert {
                control: "objs".into(),
                index: 0,
                region: Region::Box(BoxRegion {
                    x: 64.0,
                    y: 48.0,
                    w: 32.0,
                    h: 24.0,
                    label: "car".into(),
                    attributes,
                    score: None,
                }),
            },
        ),
        ev(6, "t2", Op::Submit { warnings: vec![] }),
    ];
    let r = Replay::from_events(&s, &events).unwrap();
    let records = submitted_records(&r);
    let json = write_label_studio(&[&text_task, &image_task], &records).unwrap();
    let back = read_label_studio("export.json", &json).unwrap();
    assert_eq!(back.annotations.len(), 2);
    assert_eq!(back.annotations[0].annotator, "ann");
    let regions = &back.annotations[0].regions;
    assert!(regions.contains(&LsRegion::Choices { control: "topic".into(), choices: vec!["news".into()] }));
    // The reader checks each span's `text` against the document in code points: "Zoë", "北京".
    assert!(regions
        .iter()
        .any(|r| matches!(r, LsRegion::Span { start: 10, end: 12, labels, .. } if labels == &["ORG"])));
    match &back.annotations[1].regions[0] {
        LsRegion::Rect { x, y, w, h, labels, attributes, .. } => {
            for (a, b) in [(*x, 64.0), (*y, 48.0), (*w, 32.0), (*h, 24.0)] {
                assert!((a - b).abs() < 1e-9, "{a} vs {b}");
            }
            assert_eq!(labels, &["car"]);
            assert_eq!(attributes.get("parked"), Some(&vec!["true".to_string()]));
        }
        other => panic!("{other:?}"),
    }
    let no_size = Task { data: TaskData { width: None, ..image_task.data.clone() }, ..image_task.clone() };
    assert!(write_label_studio(&[&no_size], &records).unwrap_err().to_string().contains("`t2`"));
}

#[test]
fn a_log_of_several_annotators_gives_their_last_submissions_with_times_and_versions() {
    use concord_engine::formats::concord::{annotation_tables, stamps_of, Tables};
    use concord_engine::formats::{detect_format, Format};
    let choose = |label: &str| Op::Choose { control: "topic".into(), labels: vec![label.into()] };
    let submit = || Op::Submit { warnings: vec![] };
    let mut events = Vec::new();
    let mut push = |who: &str, seq: usize, task: &str, version: &str, op: Op| {
        events.push(Event {
            id: format!("{who}:{seq}"),
            at: 1_793_610_000_000 + 60_000 * seq as u64,
            annotator: who.into(),
            task: task.into(),
            guidelines: version.into(),
            op,
        })
    };
    // Interleaved: ann labels t1 then changes her mind and resubmits under 1.1; bob labels t1 once; ann leaves t2
    // unsubmitted.
    push("ann", 1, "t1", "1.0", choose("sport"));
    push("bob", 1, "t1", "1.0", choose("news"));
    push("ann", 2, "t1", "1.0", submit());
    push("bob", 2, "t1", "1.0", submit());
    push("ann", 3, "t1", "1.1", choose("news"));
    push("ann", 4, "t1", "1.1", submit());
    push("ann", 5, "t2", "1.1", choose("sport"));
    let text = write_jsonl(&events);
    assert_eq!(detect_format("day.jsonl", "jsonl", text.as_bytes()).unwrap(), Format::ConcordLog);
    let parsed = parse_jsonl("day.jsonl", &text).unwrap();
    let timed = concord_engine::log::timed_records("day.jsonl", &schema(), &parsed).unwrap();
    let got: Vec<(&str, &str, u64, &str)> = timed
        .iter()
        .map(|(r, at)| (r.annotator.as_str(), r.task.as_str(), *at, r.guideline_version.as_str()))
        .collect();
    assert_eq!(got, vec![("ann", "t1", 1_793_610_240_000, "1.1"), ("bob", "t1", 1_793_610_120_000, "1.0")]);
    let records: Vec<_> = timed.iter().map(|(r, _)| r.clone()).collect();
    let Ok(Tables::Categorical(table)) = annotation_tables(&schema(), &records, None) else { panic!("a choice table") };
    let rows: Vec<(u32, u32, &str)> = table.rows().map(|(i, a, l)| (i, a, table.labels.name(l))).collect();
    assert_eq!(rows, vec![(0, 0, "news"), (0, 1, "news")]);
    let stamps = stamps_of(&table, &timed);
    let s: Vec<(&str, i64, &str)> = stamps
        .rows
        .iter()
        .map(|s| (table.annotators.name(s.annotator), s.time, stamps.versions.name(s.version)))
        .collect();
    assert_eq!(s, vec![("ann", 1_793_610_240, "1.1"), ("bob", 1_793_610_120, "1.0")]);

    // An event that does not fit the schema names the file and the event.
    let mut bad = parsed.clone();
    bad[4].op = Op::Choose { control: "topic".into(), labels: vec!["weather".into()] };
    let e = concord_engine::log::timed_records("day.jsonl", &schema(), &bad).unwrap_err().to_string();
    assert!(
        e.starts_with("day.jsonl: event 5 of the file: event `ann:3` on task `t1`: unknown label `weather`"),
        "{e}"
    );
}
