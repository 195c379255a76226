//! Checks on 2D boxes and polygons (pixels; the image size comes from the task's `width` and `height`, or from the
//! camera a point-cloud frame's 2D control is drawn on).

use super::labels::{same, Hit};
use super::{LabelId, Subject, View, UNNAMED};
use crate::model::box_geometry::iou;
use crate::model::polygon_geometry::{area, bounds, self_intersection};
use crate::sorting::LeanSort;

pub(crate) fn inside_image(s: &Subject, v: &View, control: &str, camera: Option<&str>, tol: f64, hit: &mut Hit) {
    let Some((w, h)) = s.task.image_size(camera) else { return };
    for (i, b) in v.boxes().iter().enumerate() {
        if b.x < -tol || b.y < -tol || b.x + b.w > w + tol || b.y + b.h > h + tol {
            hit(Some(control), Some(i), Some(format!("box leaves the {w}×{h} image")));
        }
    }
    for (i, p) in v.polygons().iter().enumerate() {
        let out = p.points.iter().position(|q| q[0] < -tol || q[1] < -tol || q[0] > w + tol || q[1] > h + tol);
        if let Some(k) = out {
            hit(Some(control), Some(i), Some(format!("vertex {} leaves the {w}×{h} image", k + 1)));
        }
    }
}

pub(crate) fn simple_polygon(v: &View, control: &str, hit: &mut Hit) {
    for (i, p) in v.polygons().iter().enumerate() {
        if let Some(why) = self_intersection(&p.points) {
            hit(Some(control), Some(i), Some(why));
        }
    }
}

pub(crate) fn min_size(
    v: &View,
    control: &str,
    label: Option<LabelId>,
    min_w: f64,
    min_h: f64,
    min_area: f64,
    hit: &mut Hit,
) {
    let (boxes, polygons) = (v.boxes(), v.polygons());
    for i in v.selected(label) {
        let (w, h, area) = match (boxes.get(i), polygons.get(i)) {
            (Some(b), _) => (b.w, b.h, b.w * b.h),
            (None, Some(p)) => {
                let rings = p.rings();
                let b = bounds(&rings);
                (b[2] - b[0], b[3] - b[1], area(&rings))
            }
            (None, None) => continue,
        };
        if w < min_w || h < min_h || area < min_area {
            let what = if polygons.is_empty() { String::new() } else { format!(", area {area:.1} px²") };
            hit(Some(control), Some(i), Some(format!("{w:.1}×{h:.1} px{what}")));
        }
    }
}

pub(crate) fn aspect_ratio(v: &View, control: &str, label: Option<LabelId>, min: f64, max: f64, hit: &mut Hit) {
    let boxes = v.boxes();
    for i in v.selected(label) {
        let b = &boxes[i];
        let r = if b.h > 0.0 { b.w / b.h } else { f64::INFINITY };
        if !(min..=max).contains(&r) {
            hit(Some(control), Some(i), Some(format!("width/height {r:.2}, expected {min}–{max}")));
        }
    }
}

/// Above this many boxes, `max_overlap` sweeps instead of trying every pair.
const SWEEP_FROM: usize = 32;

/// The IoU of boxes `i` and `j` when they are duplicates: same label, IoU above `max_iou`.
#[inline(always)]
fn duplicate(view: &View, i: usize, j: usize, max_iou: f64) -> Option<f64> {
    let v = view.boxes();
    let (a, b) = (&v[i], &v[j]);
    // Disjoint boxes need no IoU; only boxes of one label are duplicates.
    if b.x >= a.x + a.w || a.x >= b.x + b.w || b.y >= a.y + a.h || a.y >= b.y + b.h {
        return None;
    }
    let (la, lb) = (view.ids[i], view.ids[j]);
    if la != lb || (la == UNNAMED && !same(&a.label, &b.label)) {
        return None;
    }
    let o = iou(&[a.x, a.y, a.w, a.h], &[b.x, b.y, b.w, b.h]);
    (o > max_iou).then_some(o)
}

pub(crate) fn max_overlap(view: &View, control: &str, label: Option<LabelId>, max_iou: f64, hit: &mut Hit) {
    let v = view.boxes();
    if v.len() <= SWEEP_FROM {
        // Few boxes: every pair, no allocation (the common case, and the fastest for it).
        for i in view.selected(label) {
            for j in i + 1..v.len() {
                if let Some(o) = duplicate(view, i, j, max_iou) {
                    hit(Some(control), Some(j), Some(format!("IoU {o:.2} with box {i}: a duplicate?")));
                }
            }
        }
        return;
    }
    // Sweep and prune: with the boxes in order of left edge, box i only needs the boxes that start before its
    // right edge. An image with thousands of boxes is then checked in about n log n, not n² (the app runs
    // this on every edit).
    let mut order: Vec<usize> = view.selected(label).collect();
    order.lean_sort_by(|&a, &b| v[a].x.total_cmp(&v[b].x).then(a.cmp(&b)));
    let mut found: Vec<(usize, usize, f64)> = Vec::new();
    for (p, &i) in order.iter().enumerate() {
        for &j in &order[p + 1..] {
            if v[j].x >= v[i].x + v[i].w {
                break;
            }
            if let Some(o) = duplicate(view, i, j, max_iou) {
                found.push((i.min(j), i.max(j), o));
            }
        }
    }
    // Report in index order, the later box of each pair being the duplicate.
    found.lean_sort_by_key(|x| (x.0, x.1));
    for (i, j, o) in found {
        hit(Some(control), Some(j), Some(format!("IoU {o:.2} with box {i}: a duplicate?")));
    }
}

pub(crate) fn nested(view: &View, control: &str, inner: &str, outer: &str, tol: f64, hit: &mut Hit) {
    let v = view.boxes();
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
