//! Review of spans, boxes and polygons: per item, every annotator's regions beside the consensus regions (spans
//! kept by a majority of the item's annotators with exact boundaries; boxes merged CVAT-style at IoU ≥ 0.5 by a
//! majority; polygons clustered the same way, each cluster's medoid kept — `consensus::polygon_consensus`),
//! the annotations that differ from the consensus as the review queue, the arbiter's choice of a version, and the
//! final regions: the arbiter's chosen version > the reviewer's fix > the consensus.

use crate::sorting::LeanSort;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::queue::{latest_reviews, Review, Verdict};
use crate::consensus::box_consensus::box_consensus;
use crate::consensus::polygon_consensus::{polygon_consensus, ConsensusPolygon};
use crate::consensus::span_consensus::{span_consensus, SpanMerge};
use crate::formats::label_studio::{LsExport, Region};
use crate::model::{BoxRegion, ControlValue, ImageRegion, PolygonRegion, SpanRegion};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// What kind of regions a review set holds.
pub enum RegionKind {
    /// Text spans.
    Spans,
    /// Boxes.
    Boxes,
    /// Polygons.
    Polygons,
}

/// The agreement report of a region review set, as `concord agreement` prints it for that kind (with intervals
/// over documents or images).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionAgreement {
    /// Span F1, exact and overlapping.
    Spans(crate::spans::SpanAgreementReport),
    /// Box F1 at IoU 0.5 and 0.75.
    Boxes(crate::boxes::BoxAgreementReport),
    /// Polygon F1 at IoU 0.5 and 0.75 (the box report's shape).
    Polygons(crate::boxes::BoxAgreementReport),
    /// Cuboid F1 at 3D IoU 0.5 and 0.75 over frames (`scene::cuboid_agreement`; the box report's shape).
    Cuboids(crate::boxes::BoxAgreementReport),
}

impl RegionAgreement {
    /// The report of `export`'s regions of `kind`, with intervals drawn by `settings`.
    pub fn of(export: &LsExport, kind: RegionKind, settings: crate::resample::BootstrapSettings) -> RegionAgreement {
        match kind {
            RegionKind::Spans => {
                RegionAgreement::Spans(crate::spans::span_agreement_with_intervals(&export.spans(false), settings))
            }
            RegionKind::Boxes => {
                RegionAgreement::Boxes(crate::boxes::box_agreement_with_intervals(&export.boxes(false), settings))
            }
            RegionKind::Polygons => RegionAgreement::Polygons(crate::polygons::polygon_agreement_with_intervals(
                &export.polygons(false),
                settings,
            )),
        }
    }
}

/// One item under review: what it shows, each annotator's regions and the consensus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionItem {
    /// The item's id.
    pub item: String,
    /// The document (spans).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The image as the export names it, and its natural size (boxes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The image's natural size (width, height), in pixels.
    pub size: Option<(f64, f64)>,
    /// (annotator, regions), by annotator name.
    pub versions: Vec<(String, ControlValue)>,
    /// The consensus regions.
    pub consensus: ControlValue,
    /// Share of the annotators whose regions are the consensus (1 when all are).
    pub agreement: f64,
}

/// An import of span or box annotations, ready for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionSet {
    /// The kind of regions.
    pub kind: RegionKind,
    /// The control the regions came from (`from_name`), for the Label Studio file.
    pub control: String,
    /// The labels, in the schema's order.
    pub labels: Vec<String>,
    /// Every item, in the export's order.
    pub items: Vec<RegionItem>,
}

/// IoU at which a box matches another (the consensus's, a version's).
pub const MATCH_IOU: f64 = 0.5;

/// The regions of an export (spans, boxes or polygons, whichever it holds; polygons, then boxes first) as a review
/// set. `None` when it holds none.
pub fn region_set(export: &LsExport) -> Option<RegionSet> {
    let kind = match export.kind()? {
        "polygons" => RegionKind::Polygons,
        "boxes" => RegionKind::Boxes,
        "spans" => RegionKind::Spans,
        _ => return None,
    };
    let control = export
        .annotations
        .iter()
        .flat_map(|a| &a.regions)
        .find_map(|r| match (r, kind) {
            (Region::Span { control, .. }, RegionKind::Spans)
            | (Region::Rect { control, .. }, RegionKind::Boxes)
            | (Region::Polygon { control, .. }, RegionKind::Polygons) => Some(control.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let data: BTreeMap<&str, &serde_json::Map<String, serde_json::Value>> =
        export.tasks.iter().map(|(id, d)| (id.as_str(), d)).collect();
    let mut sizes: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for a in &export.annotations {
        for r in &a.regions {
            if let Region::Rect { image, .. } | Region::Polygon { image, .. } = r {
                sizes.entry(a.task.as_str()).or_insert(*image);
            }
        }
    }
    let mut items = Vec::new();
    let labels;
    match kind {
        RegionKind::Spans => {
            let t = export.spans(false);
            labels = t.labels.names().map(str::to_string).collect();
            // A majority of each item's annotators: run the consensus once per quorum needed.
            let per_item: Vec<usize> =
                (0..t.items.len() as u32).map(|i| t.docs.iter().filter(|d| d.item == i).count()).collect();
            let mut by_quorum: BTreeMap<usize, Vec<Option<Vec<crate::model::Span>>>> = BTreeMap::new();
            for &k in &per_item {
                by_quorum.entry(k / 2 + 1).or_insert_with(|| span_consensus(&t, k / 2 + 1, SpanMerge::Exact));
            }
            let span = |s: &crate::model::Span| SpanRegion {
                start: s.start as usize,
                end: s.end as usize,
                label: t.labels.name(s.label).to_string(),
                score: None,
            };
            for i in 0..t.items.len() as u32 {
                let name = t.items.name(i);
                let consensus: Vec<SpanRegion> = by_quorum[&(per_item[i as usize] / 2 + 1)][i as usize]
                    .as_deref()
                    .unwrap_or(&[])
                    .iter()
                    .map(span)
                    .collect();
                let mut versions: Vec<(String, ControlValue)> = t
                    .docs
                    .iter()
                    .filter(|d| d.item == i)
                    .map(|d| {
                        (
                            t.annotators.name(d.annotator).to_string(),
                            ControlValue::Spans(d.spans.iter().map(span).collect()),
                        )
                    })
                    .collect();
                versions.lean_sort_by(|a, b| a.0.cmp(&b.0));
                let consensus = ControlValue::Spans(consensus);
                let text = data.get(name).and_then(|d| {
                    let mut strings = d.values().filter_map(|v| v.as_str());
                    d.get("text").and_then(|v| v.as_str()).or_else(|| strings.next())
                });
                items.push(item_of(name, text.map(str::to_string), None, None, versions, consensus));
            }
        }
        RegionKind::Boxes => {
            let t = export.boxes(false);
            labels = t.labels.names().map(str::to_string).collect();
            let per_item: Vec<usize> =
                (0..t.items.len() as u32).map(|i| t.coverage.iter().filter(|c| c.0 == i).count()).collect();
            let mut by_quorum: BTreeMap<usize, Vec<crate::model::BoxRec>> = BTreeMap::new();
            for &k in &per_item {
                by_quorum.entry(k / 2 + 1).or_insert_with(|| box_consensus(&t, MATCH_IOU, k / 2 + 1));
            }
            let boxed = |b: &crate::model::BoxRec| BoxRegion {
                x: b.x,
                y: b.y,
                w: b.w,
                h: b.h,
                label: t.labels.name(b.label).to_string(),
                attributes: BTreeMap::new(),
                score: None,
            };
            for i in 0..t.items.len() as u32 {
                let name = t.items.name(i);
                let consensus: Vec<BoxRegion> =
                    by_quorum[&(per_item[i as usize] / 2 + 1)].iter().filter(|b| b.item == i).map(boxed).collect();
                let mut versions: Vec<(String, ControlValue)> = t
                    .coverage
                    .iter()
                    .filter(|c| c.0 == i)
                    .map(|&(_, a)| {
                        (t.annotators.name(a).to_string(), ControlValue::Boxes(t.of(i, a).iter().map(boxed).collect()))
                    })
                    .collect();
                versions.lean_sort_by(|a, b| a.0.cmp(&b.0));
                let image = data.get(name).and_then(|d| d.get("image")).and_then(|v| v.as_str()).map(str::to_string);
                let size = sizes.get(name).copied();
                items.push(item_of(name, None, image, size, versions, ControlValue::Boxes(consensus)));
            }
        }
        RegionKind::Polygons => {
            let t = export.polygons(false);
            labels = t.labels.names().map(str::to_string).collect();
            let per_item: Vec<usize> =
                (0..t.items.len() as u32).map(|i| t.coverage.iter().filter(|c| c.0 == i).count()).collect();
            let mut by_quorum: BTreeMap<usize, Vec<ConsensusPolygon>> = BTreeMap::new();
            for &k in &per_item {
                by_quorum.entry(k / 2 + 1).or_insert_with(|| polygon_consensus(&t, MATCH_IOU, k / 2 + 1));
            }
            let region = |p: &crate::model::PolygonRec| PolygonRegion {
                points: p.rings.first().cloned().unwrap_or_default(),
                label: t.labels.name(p.label).to_string(),
                attributes: BTreeMap::new(),
                score: None,
            };
            for i in 0..t.items.len() as u32 {
                let name = t.items.name(i);
                let consensus: Vec<PolygonRegion> = by_quorum[&(per_item[i as usize] / 2 + 1)]
                    .iter()
                    .filter(|c| c.polygon.item == i)
                    .map(|c| region(&c.polygon))
                    .collect();
                let mut versions: Vec<(String, ControlValue)> = t
                    .coverage
                    .iter()
                    .filter(|c| c.0 == i)
                    .map(|&(_, a)| {
                        let v = ControlValue::Polygons(t.of(i, a).iter().map(region).collect());
                        (t.annotators.name(a).to_string(), v)
                    })
                    .collect();
                versions.lean_sort_by(|a, b| a.0.cmp(&b.0));
                let image = data.get(name).and_then(|d| d.get("image")).and_then(|v| v.as_str()).map(str::to_string);
                let size = sizes.get(name).copied();
                items.push(item_of(name, None, image, size, versions, ControlValue::Polygons(consensus)));
            }
        }
    }
    Some(RegionSet { kind, control, labels, items })
}

fn item_of(
    item: &str,
    text: Option<String>,
    image: Option<String>,
    size: Option<(f64, f64)>,
    versions: Vec<(String, ControlValue)>,
    consensus: ControlValue,
) -> RegionItem {
    let same = versions.iter().filter(|(_, v)| same_regions(v, &consensus)).count();
    let agreement = if versions.is_empty() { 1.0 } else { same as f64 / versions.len() as f64 };
    RegionItem { item: item.to_string(), text, image, size, versions, consensus, agreement }
}

/// Whether two sets of regions say the same: spans with the same boundaries and labels; boxes paired one to one
/// with the same label at IoU ≥ [`MATCH_IOU`] (greedy, best first).
pub fn same_regions(a: &ControlValue, b: &ControlValue) -> bool {
    match (a, b) {
        (ControlValue::Spans(x), ControlValue::Spans(y)) => {
            let key = |s: &SpanRegion| (s.start, s.end, s.label.clone());
            let mut x: Vec<_> = x.iter().map(key).collect();
            let mut y: Vec<_> = y.iter().map(key).collect();
            x.lean_sort();
            y.lean_sort();
            x == y
        }
        (ControlValue::Boxes(x), ControlValue::Boxes(y)) => same_image_regions(x, y),
        (ControlValue::Polygons(x), ControlValue::Polygons(y)) => same_image_regions(x, y),
        #[cfg(feature = "scene")]
        (ControlValue::Cuboids(x), ControlValue::Cuboids(y)) => same_image_regions(x, y),
        _ => a == b,
    }
}

/// Boxes or polygons paired one to one, best IoU first, with the same label at IoU ≥ [`MATCH_IOU`]: all paired.
fn same_image_regions<R: ImageRegion>(x: &[R], y: &[R]) -> bool {
    if x.len() != y.len() {
        return false;
    }
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, p) in x.iter().enumerate() {
        for (j, q) in y.iter().enumerate() {
            if p.label() == q.label() {
                let v = p.iou(q);
                if v >= MATCH_IOU {
                    pairs.push((v, i, j));
                }
            }
        }
    }
    pairs.lean_sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut used_x, mut used_y) = (vec![false; x.len()], vec![false; y.len()]);
    let mut matched = 0;
    for (_, i, j) in pairs {
        if !used_x[i] && !used_y[j] {
            used_x[i] = true;
            used_y[j] = true;
            matched += 1;
        }
    }
    matched == x.len()
}

/// The (item, annotator) pairs whose regions differ from the consensus, least agreed items first, then by item
/// and annotator.
pub fn region_queue(set: &RegionSet) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (k, it) in set.items.iter().enumerate() {
        for (who, v) in &it.versions {
            if !same_regions(v, &it.consensus) {
                out.push((k, who.clone()));
            }
        }
    }
    out.lean_sort_by(|a, b| {
        let (x, y) = (&set.items[a.0], &set.items[b.0]);
        x.agreement.total_cmp(&y.agreement).then_with(|| x.item.cmp(&y.item)).then_with(|| a.1.cmp(&b.1))
    });
    out
}

/// The items to arbitrate: those whose annotators agree with the consensus less than `min_agreement`, or with a
/// version rejected in review (latest verdicts); in set order, as indices into `set.items`.
pub fn region_pool(set: &RegionSet, reviews: &[Review], min_agreement: f64) -> Vec<usize> {
    let rejected: std::collections::BTreeSet<&str> = latest_reviews(reviews)
        .into_iter()
        .filter(|(_, r)| r.verdict == Verdict::Reject)
        .map(|((item, _), _)| item)
        .collect();
    (0..set.items.len())
        .filter(|&k| set.items[k].agreement < min_agreement || rejected.contains(set.items[k].item.as_str()))
        .collect()
}

/// The arbiter's choice for an item: which version is final (`consensus`, `review`, or an annotator's name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionChoice {
    /// The item.
    pub item: String,
    /// The version chosen.
    pub version: String,
    /// Why.
    pub reason: String,
    /// Who chose.
    pub arbiter: String,
}

/// One item's final regions and where they come from (`arbiter:<version>`, `review`, `consensus`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FinalRegions {
    /// The item.
    pub item: String,
    /// Its final regions.
    pub regions: ControlValue,
    /// Where they come from.
    pub source: String,
}

/// Per item, in set order: the arbiter's chosen version (the latest choice); else the reviewer's fix when the
/// item's fixes agree; else the consensus.
pub fn final_regions(set: &RegionSet, reviews: &[Review], choices: &[VersionChoice]) -> Vec<FinalRegions> {
    let chosen: BTreeMap<&str, &VersionChoice> = choices.iter().map(|c| (c.item.as_str(), c)).collect();
    let mut fixes: BTreeMap<&str, Vec<&ControlValue>> = BTreeMap::new();
    for ((item, _), r) in latest_reviews(reviews) {
        if let (Verdict::Fix, Some(v)) = (r.verdict, r.fixed_regions.as_ref()) {
            fixes.entry(item).or_default().push(v);
        }
    }
    let agreed_fix = |item: &str| -> Option<&ControlValue> {
        let f = fixes.get(item)?;
        f.iter().all(|v| same_regions(v, f[0])).then_some(f[0])
    };
    set.items
        .iter()
        .map(|it| {
            let (regions, source) = match chosen.get(it.item.as_str()) {
                Some(c) if c.version == "consensus" => (it.consensus.clone(), "arbiter:consensus".to_string()),
                Some(c) if c.version == "review" && agreed_fix(&it.item).is_some() => {
                    (agreed_fix(&it.item).expect("checked").clone(), "arbiter:review".to_string())
                }
                Some(c) => match it.versions.iter().find(|(who, _)| *who == c.version) {
                    Some((who, v)) => (v.clone(), format!("arbiter:{who}")),
                    None => (it.consensus.clone(), "consensus".to_string()),
                },
                None => match agreed_fix(&it.item) {
                    Some(v) => (v.clone(), "review".to_string()),
                    None => (it.consensus.clone(), "consensus".to_string()),
                },
            };
            FinalRegions { item: it.item.clone(), regions, source }
        })
        .collect()
}

/// The final files of a region set: span JSONL and IOB2 (JSONL and CoNLL columns) for spans, COCO for boxes and
/// polygons (`segmentation`), and
/// Label Studio for all (one `final` annotation per task). Returns (file name, MIME type, content) triples and
/// the number of spans IOB2 could not hold (overlapping spans).
pub fn final_files(
    set: &RegionSet,
    finals: &[FinalRegions],
) -> Result<(Vec<(String, &'static str, String)>, usize), crate::formats::WriteError> {
    use crate::formats::{bio, coco, label_studio_write, span_jsonl};
    let mut files = Vec::new();
    let mut dropped = 0;
    let by_item: BTreeMap<&str, &RegionItem> = set.items.iter().map(|i| (i.item.as_str(), i)).collect();
    match set.kind {
        RegionKind::Spans => {
            let docs: Vec<(&str, &str, &[SpanRegion])> = finals
                .iter()
                .map(|f| {
                    let text = by_item.get(f.item.as_str()).and_then(|i| i.text.as_deref()).unwrap_or("");
                    let spans: &[SpanRegion] = match &f.regions {
                        ControlValue::Spans(s) => s,
                        _ => &[],
                    };
                    (f.item.as_str(), text, spans)
                })
                .collect();
            let jsonl = span_jsonl::write_span_jsonl(
                &docs
                    .iter()
                    .map(|(id, text, spans)| span_jsonl::SpanDocOut { id, text: Some(text), spans })
                    .collect::<Vec<_>>(),
            );
            let (iob, conll, d) = bio::write_iob(&docs);
            dropped = d;
            files.push(("final-spans.jsonl".to_string(), "application/x-ndjson", jsonl));
            files.push(("final-iob2.jsonl".to_string(), "application/x-ndjson", iob));
            files.push(("final.conll".to_string(), "text/plain", conll));
        }
        RegionKind::Boxes | RegionKind::Polygons => {
            let images: Vec<coco::CocoImageOut> = finals
                .iter()
                .map(|f| {
                    let it = by_item.get(f.item.as_str());
                    let (width, height) = it.and_then(|i| i.size).unwrap_or((0.0, 0.0));
                    let file_name = it.and_then(|i| i.image.as_deref()).unwrap_or(f.item.as_str());
                    let (boxes, polygons): (&[BoxRegion], &[PolygonRegion]) = match &f.regions {
                        ControlValue::Boxes(b) => (b, &[]),
                        ControlValue::Polygons(p) => (&[], p),
                        _ => (&[], &[]),
                    };
                    coco::CocoImageOut { id: &f.item, file_name, width, height, boxes, polygons }
                })
                .collect();
            files.push(("final-coco.json".to_string(), "application/json", coco::write_coco(&images, &set.labels)?));
        }
    }
    let tasks: Vec<crate::model::Task> = set
        .items
        .iter()
        .map(|i| crate::model::Task {
            id: i.item.clone(),
            data: crate::model::TaskData {
                text: i.text.clone(),
                image: i.image.clone(),
                width: i.size.map(|s| s.0),
                height: i.size.map(|s| s.1),
                ..Default::default()
            },
            meta: Default::default(),
        })
        .collect();
    let records: Vec<crate::bundle::AnnotationRecord> = finals
        .iter()
        .map(|f| crate::bundle::AnnotationRecord {
            task: f.item.clone(),
            annotator: "final".into(),
            result: crate::model::TaskResult([(set.control.clone(), f.regions.clone())].into_iter().collect()),
            guideline_version: String::new(),
        })
        .collect();
    let refs: Vec<&crate::model::Task> = tasks.iter().collect();
    files.push((
        "final-label-studio.json".to_string(),
        "application/json",
        label_studio_write::write_label_studio(&refs, &records)?,
    ));
    Ok((files, dropped))
}
