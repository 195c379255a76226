//! Instant feedback on one submitted training-gold task: does the annotation match the gold, and if not, what
//! differs — per control, in words an annotator can act on, with the guideline section that explains it.
//!
//! Matching: choices as sets; spans exactly (start, end, label); boxes and polygons one-to-one by maximum total IoU among
//! pairs with IoU ≥ `min_iou` (0.5, as COCO's AP50), then compared by label.

use serde::Serialize;

use crate::boxes::assignment::max_weight_pairs;
use crate::bundle::GoldItem;
use crate::model::{BoxRegion, ControlValue, ImageRegion, PolygonRegion, SpanRegion, TaskResult};

/// Box pairs below this IoU are not the same object.
pub const MIN_IOU: f64 = 0.5;

#[derive(Debug, Clone, PartialEq, Serialize)]
/// How one control's answer compares with gold.
pub struct ControlFeedback {
    /// The control.
    pub control: String,
    /// Whether it matches.
    pub matches: bool,
    /// What the gold says and what was given, as short text.
    pub expected: String,
    /// What was given, as a short text.
    pub given: String,
    /// Region counts (spans and boxes): found in both, missed (in gold only), extra (given only), mislabeled.
    pub matched: usize,
    /// Gold regions without a matching region.
    pub missed: usize,
    /// Regions without a matching gold region.
    pub extra: usize,
    /// Regions matched with a different label.
    pub mislabeled: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// What the annotator sees after submitting a gold task.
pub struct GoldFeedback {
    /// The task.
    pub task: String,
    /// Whether every control matches.
    pub matches: bool,
    /// Per control.
    pub controls: Vec<ControlFeedback>,
    /// Why the gold answer is right.
    pub explanation: String,
    /// The guideline section to read.
    pub section: String,
}

/// Compares `result` with the gold answer (choices exactly; spans, boxes and polygons matched as in `errors`).
pub fn feedback(result: &TaskResult, gold: &GoldItem) -> GoldFeedback {
    let mut controls = Vec::new();
    let names: std::collections::BTreeSet<&String> = gold.result.0.keys().chain(result.0.keys()).collect();
    for name in names {
        let g = gold.result.0.get(name);
        let r = result.0.get(name);
        controls.push(compare(name, g, r));
    }
    GoldFeedback {
        task: gold.task.clone(),
        matches: controls.iter().all(|c| c.matches),
        controls,
        explanation: gold.explanation.clone(),
        section: gold.section.clone(),
    }
}

fn compare(name: &str, gold: Option<&ControlValue>, given: Option<&ControlValue>) -> ControlFeedback {
    let mut f = ControlFeedback {
        control: name.to_string(),
        matches: true,
        expected: String::new(),
        given: String::new(),
        matched: 0,
        missed: 0,
        extra: 0,
        mislabeled: 0,
    };
    let is = |v: Option<&ControlValue>, k: fn(&ControlValue) -> bool| v.is_some_and(k);
    if is(gold, |v| matches!(v, ControlValue::Spans(_))) || is(given, |v| matches!(v, ControlValue::Spans(_))) {
        let (g, r) = (spans(gold), spans(given));
        for s in g {
            if r.iter().any(|x| x.start == s.start && x.end == s.end && x.label == s.label) {
                f.matched += 1;
            } else if r.iter().any(|x| x.start == s.start && x.end == s.end) {
                f.mislabeled += 1;
            } else {
                f.missed += 1;
            }
        }
        f.extra = r.iter().filter(|x| !g.iter().any(|s| s.start == x.start && s.end == x.end)).count();
        f.expected = format!("{} spans", g.len());
        f.given = format!("{} spans", r.len());
    } else if is(gold, |v| matches!(v, ControlValue::Boxes(_))) || is(given, |v| matches!(v, ControlValue::Boxes(_))) {
        let (g, r) = (boxes(gold), boxes(given));
        compare_regions(&mut f, g, r, "boxes");
    } else if is(gold, |v| matches!(v, ControlValue::Polygons(_)))
        || is(given, |v| matches!(v, ControlValue::Polygons(_)))
    {
        let (g, r) = (polygons(gold), polygons(given));
        compare_regions(&mut f, g, r, "polygons");
    } else if is_cuboids(gold) || is_cuboids(given) {
        #[cfg(feature = "scene")]
        compare_regions(&mut f, cuboids(gold), cuboids(given), "cuboids");
    } else {
        let (g, r) = (choices(gold), choices(given));
        f.matches = g.len() == r.len() && g.iter().all(|x| r.contains(x));
        f.expected = g.join(", ");
        f.given = r.join(", ");
        return f;
    }
    f.matches = f.missed == 0 && f.extra == 0 && f.mislabeled == 0;
    f
}

/// Regions drawn on an image (or cuboids in a frame), paired one to one by IoU ≥ [`MIN_IOU`], then compared by label.
fn compare_regions<R: ImageRegion>(f: &mut ControlFeedback, g: &[R], r: &[R], what: &str) {
    let weight: Vec<f64> =
        g.iter().flat_map(|a| r.iter().map(move |b| a.iou(b))).map(|v| if v >= MIN_IOU { v } else { 0.0 }).collect();
    let pairs = max_weight_pairs(&weight, g.len(), r.len());
    for &(i, j) in &pairs {
        if g[i].label() == r[j].label() {
            f.matched += 1;
        } else {
            f.mislabeled += 1;
        }
    }
    f.missed = g.len() - pairs.len();
    f.extra = r.len() - pairs.len();
    f.expected = format!("{} {what}", g.len());
    f.given = format!("{} {what}", r.len());
}

fn polygons(v: Option<&ControlValue>) -> &[PolygonRegion] {
    match v {
        Some(ControlValue::Polygons(p)) => p,
        _ => &[],
    }
}

#[cfg(feature = "scene")]
fn cuboids(v: Option<&ControlValue>) -> &[crate::model::Cuboid] {
    match v {
        #[cfg(feature = "scene")]
        Some(ControlValue::Cuboids(c)) => c,
        _ => &[],
    }
}

/// Whether the value is a cuboid control's (never, in a build without cuboids).
fn is_cuboids(v: Option<&ControlValue>) -> bool {
    match v {
        #[cfg(feature = "scene")]
        Some(ControlValue::Cuboids(_)) => true,
        _ => false,
    }
}

fn choices(v: Option<&ControlValue>) -> &[String] {
    match v {
        Some(ControlValue::Choices(c)) => c,
        _ => &[],
    }
}

fn spans(v: Option<&ControlValue>) -> &[SpanRegion] {
    match v {
        Some(ControlValue::Spans(s)) => s,
        _ => &[],
    }
}

fn boxes(v: Option<&ControlValue>) -> &[BoxRegion] {
    match v {
        Some(ControlValue::Boxes(b)) => b,
        _ => &[],
    }
}
