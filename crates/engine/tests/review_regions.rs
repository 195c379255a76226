//! Review of spans and boxes: the consensus and the queue on small exports worked out by hand, the final regions'
//! precedence, and the final files read back by Concord's own readers.

use concord_engine::formats::bio::{read_bio_jsonl, ChunkMode};
use concord_engine::formats::coco::read_coco_ground_truth;
use concord_engine::formats::label_studio::read_label_studio;
use concord_engine::formats::span_jsonl::read_span_jsonl;
use concord_engine::model::ErrorCategory;
use concord_engine::model::{ControlValue, Interner, SpanRegion};
use concord_engine::review::{
    final_files, final_regions, region_pool, region_queue, region_set, RegionKind, VersionChoice,
};
use concord_engine::review::{Review, Verdict};

const TEXT: &str = "Ann Lee works at Acme Corp in Paris .";

fn span(start: usize, end: usize, label: &str) -> serde_json::Value {
    let text: String = TEXT.chars().skip(start).take(end - start).collect();
    serde_json::json!({"from_name": "ents", "to_name": "text", "type": "labels",
                       "value": {"start": start, "end": end, "text": text, "labels": [label]}})
}

fn spans_export() -> String {
    let ann = |who: &str, result: Vec<serde_json::Value>| serde_json::json!({"completed_by": {"email": who}, "result": result});
    serde_json::json!([{"id": "d1", "data": {"text": TEXT}, "annotations": [
        ann("a", vec![span(0, 7, "PER"), span(17, 26, "ORG"), span(30, 35, "LOC")]),
        ann("b", vec![span(0, 7, "PER"), span(17, 26, "ORG"), span(30, 35, "LOC")]),
        ann("c", vec![span(0, 3, "PER"), span(17, 26, "ORG")]),
    ]}])
    .to_string()
}

fn fix(item: &str, annotator: &str, regions: ControlValue) -> Review {
    Review {
        item: item.into(),
        annotator: annotator.into(),
        verdict: Verdict::Fix,
        fixed: None,
        fixed_regions: Some(regions),
        category: Some(ErrorCategory::Boundary),
        section: "#people".into(),
        comment: String::new(),
        reviewer: "rita".into(),
    }
}

#[test]
fn spans_consensus_queue_and_final_files() {
    let set = region_set(&read_label_studio("ner.json", &spans_export()).unwrap()).unwrap();
    assert_eq!((set.kind, set.control.as_str()), (RegionKind::Spans, "ents"));
    let item = &set.items[0];
    assert_eq!(item.text.as_deref(), Some(TEXT));
    let want = vec![
        SpanRegion { start: 0, end: 7, label: "PER".into(), score: None },
        SpanRegion { start: 17, end: 26, label: "ORG".into(), score: None },
        SpanRegion { start: 30, end: 35, label: "LOC".into(), score: None },
    ];
    let ControlValue::Spans(mut got) = item.consensus.clone() else { panic!("spans") };
    got.sort_by_key(|s| s.start);
    assert_eq!(got, want, "kept by two of three");
    assert!((item.agreement - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(region_queue(&set), vec![(0, "c".to_string())]);
    // Two of three agree: below 0.75, arbitrated; at 0.6 not, until c's version is rejected.
    assert_eq!(region_pool(&set, &[], 0.75), vec![0]);
    assert!(region_pool(&set, &[], 0.6).is_empty());
    let mut reject = fix("d1", "c", ControlValue::Spans(Vec::new()));
    reject.verdict = Verdict::Reject;
    assert_eq!(region_pool(&set, &[reject], 0.6), vec![0]);

    // The reviewer fixes c's boundary (the fix is final); one overlapping span can't be IOB2.
    let mut fixed = want.clone();
    fixed.push(SpanRegion { start: 4, end: 13, label: "MISC".into(), score: None });
    let finals = final_regions(&set, &[fix("d1", "c", ControlValue::Spans(fixed.clone()))], &[]);
    assert_eq!(finals[0].source, "review");
    let (files, dropped) = final_files(&set, &finals).unwrap();
    assert_eq!(dropped, 1, "MISC overlaps PER");
    let file = |name: &str| files.iter().find(|f| f.0 == name).unwrap().2.clone();

    let (mut items, mut labels) = (Interner::default(), Interner::default());
    let back = read_span_jsonl("final-spans.jsonl", &file("final-spans.jsonl"), &mut items, &mut labels).unwrap();
    let read: Vec<(u32, u32, &str)> = back[0].1.iter().map(|s| (s.start, s.end, labels.name(s.label))).collect();
    assert_eq!(read, vec![(0, 7, "PER"), (4, 13, "MISC"), (17, 26, "ORG"), (30, 35, "LOC")]);

    let (mut items, mut labels) = (Interner::default(), Interner::default());
    let iob = read_bio_jsonl("final-iob2.jsonl", &file("final-iob2.jsonl"), ChunkMode::Strict, &mut items, &mut labels)
        .unwrap();
    let chunks: Vec<(u32, u32, &str)> = iob[0].1.iter().map(|s| (s.start, s.end, labels.name(s.label))).collect();
    // Tokens: Ann Lee works at Acme Corp in Paris .
    assert_eq!(chunks, vec![(0, 2, "PER"), (4, 6, "ORG"), (7, 8, "LOC")]);
    assert_eq!(
        file("final.conll"),
        "# id = d1\nAnn\tB-PER\nLee\tI-PER\nworks\tO\nat\tO\nAcme\tB-ORG\nCorp\tI-ORG\nin\tO\nParis\tB-LOC\n.\tO\n\n"
    );
    // Label Studio: the final annotation reads back as the same spans.
    let ls = read_label_studio("final-label-studio.json", &file("final-label-studio.json")).unwrap();
    let t = ls.spans(false);
    let doc = t.doc(t.items.get("d1").unwrap(), t.annotators.get("final").unwrap()).unwrap();
    assert_eq!(doc.spans.len(), 4);
}

fn rect(x: f64, y: f64, w: f64, h: f64, label: &str) -> serde_json::Value {
    // Percent of a 200 × 100 image.
    serde_json::json!({"from_name": "objs", "to_name": "image", "type": "rectanglelabels",
                       "original_width": 200, "original_height": 100,
                       "value": {"x": x / 2.0, "y": y, "width": w / 2.0, "height": h, "rectanglelabels": [label]}})
}

#[test]
fn boxes_consensus_queue_arbiter_and_coco() {
    let ann = |who: &str, result: Vec<serde_json::Value>| serde_json::json!({"completed_by": {"email": who}, "result": result});
    let export = serde_json::json!([{"id": "img1", "data": {"image": "shelf/1.jpg"}, "annotations": [
        ann("a", vec![rect(20.0, 10.0, 40.0, 20.0, "car")]),
        ann("b", vec![rect(22.0, 10.0, 40.0, 20.0, "car")]),
        ann("c", vec![rect(20.0, 12.0, 40.0, 20.0, "car"), rect(100.0, 50.0, 10.0, 10.0, "person")]),
    ]}])
    .to_string();
    let set = region_set(&read_label_studio("boxes.json", &export).unwrap()).unwrap();
    assert_eq!(set.kind, RegionKind::Boxes);
    let item = &set.items[0];
    assert_eq!((item.image.as_deref(), item.size), (Some("shelf/1.jpg"), Some((200.0, 100.0))));
    let ControlValue::Boxes(cons) = &item.consensus else { panic!("boxes") };
    assert_eq!(cons.len(), 1, "the person is c's alone");
    // The mean of the three cars.
    assert!((cons[0].x - 62.0 / 3.0).abs() < 1e-9 && (cons[0].y - 32.0 / 3.0).abs() < 1e-9, "{cons:?}");
    assert_eq!(region_queue(&set), vec![(0, "c".to_string())]);

    // The arbiter takes c's version: two boxes.
    let choice = VersionChoice {
        item: "img1".into(),
        version: "c".into(),
        reason: "the person is there".into(),
        arbiter: "lead".into(),
    };
    let finals = final_regions(&set, &[], &[choice]);
    assert_eq!(finals[0].source, "arbiter:c");
    let (files, _) = final_files(&set, &finals).unwrap();
    let coco = &files.iter().find(|f| f.0 == "final-coco.json").unwrap().2;
    let gt = read_coco_ground_truth("final-coco.json", coco).unwrap();
    assert_eq!(gt.images.len(), 1);
    assert_eq!(
        (gt.images[0].file_name.as_str(), gt.images[0].width, gt.images[0].height),
        ("shelf/1.jpg", Some(200.0), Some(100.0))
    );
    let mut boxes: Vec<(String, [f64; 4])> =
        gt.boxes.iter().map(|b| (gt.category_names()[b.category as usize].clone(), b.bbox)).collect();
    boxes.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(boxes, vec![("car".into(), [20.0, 12.0, 40.0, 20.0]), ("person".into(), [100.0, 50.0, 10.0, 10.0])]);
    // Without the choice: the consensus.
    assert_eq!(final_regions(&set, &[], &[])[0].regions, item.consensus);
}
