//! Checks on 2D boxes (pixels; the image size comes from the task's `width` and `height`).

use super::labels::{same, Hit};
use super::Subject;
use crate::boxes::iou;
use crate::model::{BoxRegion, ControlValue};

fn boxes<'a>(s: &'a Subject, control: &str) -> &'a [BoxRegion] {
    match super::labels::value(s, control) {
        Some(ControlValue::Boxes(v)) => v,
        _ => &[],
    }
}

fn matches(b: &BoxRegion, label: Option<&str>) -> bool {
    label.is_none_or(|l| same(&b.label, l))
}

pub(crate) fn inside_image(s: &Subject, control: &str, tol: f64, hit: &mut Hit) {
    let (Some(w), Some(h)) = (s.task.data.width, s.task.data.height) else { return };
    for (i, b) in boxes(s, control).iter().enumerate() {
        if b.x < -tol || b.y < -tol || b.x + b.w > w + tol || b.y + b.h > h + tol {
            hit(Some(control), Some(i), Some(format!("box leaves the {w}×{h} image")));
        }
    }
}

pub(crate) fn min_size(
    s: &Subject,
    control: &str,
    label: Option<&str>,
    min_w: f64,
    min_h: f64,
    min_area: f64,
    hit: &mut Hit,
) {
    for (i, b) in boxes(s, control).iter().enumerate().filter(|(_, b)| matches(b, label)) {
        if b.w < min_w || b.h < min_h || b.w * b.h < min_area {
            hit(Some(control), Some(i), Some(format!("{:.1}×{:.1} px", b.w, b.h)));
        }
    }
}

pub(crate) fn aspect_ratio(s: &Subject, control: &str, label: Option<&str>, min: f64, max: f64, hit: &mut Hit) {
    for (i, b) in boxes(s, control).iter().enumerate().filter(|(_, b)| matches(b, label)) {
        let r = if b.h > 0.0 { b.w / b.h } else { f64::INFINITY };
        if !(min..=max).contains(&r) {
            hit(Some(control), Some(i), Some(format!("width/height {r:.2}, expected {min}–{max}")));
        }
    }
}

/// Above this many boxes, `max_overlap` sweeps instead of trying every pair.
const SWEEP_FROM: usize = 32;

/// The IoU of box `a` (labelled `label`) with `b` when they are duplicates: same label, IoU above `max_iou`.
#[inline(always)]
fn duplicate(a: &[f64; 4], label: &str, b: &crate::model::BoxRegion, max_iou: f64) -> Option<f64> {
    // Disjoint boxes need no IoU; only boxes of one label are duplicates.
    if b.x >= a[0] + a[2] || a[0] >= b.x + b.w || b.y >= a[1] + a[3] || a[1] >= b.y + b.h || !same(&b.label, label) {
        return None;
    }
    let o = iou(a, &[b.x, b.y, b.w, b.h]);
    (o > max_iou).then_some(o)
}

pub(crate) fn max_overlap(s: &Subject, control: &str, label: Option<&str>, max_iou: f64, hit: &mut Hit) {
    let v = boxes(s, control);
    if v.len() <= SWEEP_FROM {
        // Few boxes: every pair, no allocation (the common case, and the fastest for it).
        for i in 0..v.len() {
            if !matches(&v[i], label) {
                continue;
            }
            let a = [v[i].x, v[i].y, v[i].w, v[i].h];
            for (j, b) in v.iter().enumerate().skip(i + 1) {
                if let Some(o) = duplicate(&a, &v[i].label, b, max_iou) {
                    hit(Some(control), Some(j), Some(format!("IoU {o:.2} with box {i}: a duplicate?")));
                }
            }
        }
        return;
    }
    // Sweep and prune: with the boxes in order of left edge, box i only needs the boxes that start before its
    // right edge. An image with thousands of boxes is then checked in about n log n, not n² (the app runs
    // this on every edit).
    let mut order: Vec<usize> = (0..v.len()).filter(|&i| matches(&v[i], label)).collect();
    order.sort_unstable_by(|&a, &b| v[a].x.total_cmp(&v[b].x).then(a.cmp(&b)));
    let mut found: Vec<(usize, usize, f64)> = Vec::new();
    for (p, &i) in order.iter().enumerate() {
        let a = [v[i].x, v[i].y, v[i].w, v[i].h];
        for &j in &order[p + 1..] {
            let b = &v[j];
            if b.x >= a[0] + a[2] {
                break;
            }
            if let Some(o) = duplicate(&a, &v[i].label, b, max_iou) {
                found.push((i.min(j), i.max(j), o));
            }
        }
    }
    // Report in index order, the later box of each pair being the duplicate.
    found.sort_unstable_by_key(|x| (x.0, x.1));
    for (i, j, o) in found {
        hit(Some(control), Some(j), Some(format!("IoU {o:.2} with box {i}: a duplicate?")));
    }
}

pub(crate) fn nested(s: &Subject, control: &str, inner: &str, outer: &str, tol: f64, hit: &mut Hit) {
    let v = boxes(s, control);
    for (i, b) in v.iter().enumerate().filter(|(_, b)| b.label == inner) {
        let inside = v.iter().any(|o| {
            o.label == outer
                && b.x >= o.x - tol
                && b.y >= o.y - tol
                && b.x + b.w <= o.x + o.w + tol
                && b.y + b.h <= o.y + o.h + tol
        });
        if !inside {
            hit(Some(control), Some(i), Some(format!("not inside any `{outer}`")));
        }
    }
}
