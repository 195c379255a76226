//! Intersection over union of axis-aligned boxes, COCO conventions (pycocotools `maskUtils.iou` on boxes):
//! continuous coordinates, area = w·h, no "+1". For a crowd ground truth, the denominator is the detection's area
//! alone (`iscrowd` semantics), so a detection inside a crowd region scores 1.

/// Boxes as `[x, y, w, h]`.
pub type Xywh = [f64; 4];

fn intersection(a: &Xywh, b: &Xywh) -> f64 {
    let w = (a[0] + a[2]).min(b[0] + b[2]) - a[0].max(b[0]);
    let h = (a[1] + a[3]).min(b[1] + b[3]) - a[1].max(b[1]);
    if w <= 0.0 || h <= 0.0 {
        0.0
    } else {
        w * h
    }
}

/// Intersection over union of two boxes (0 when both are empty).
pub fn iou(a: &Xywh, b: &Xywh) -> f64 {
    let i = intersection(a, b);
    let u = a[2] * a[3] + b[2] * b[3] - i;
    if u <= 0.0 {
        0.0
    } else {
        i / u
    }
}

/// IoU of detection `d` against crowd ground truth `g`: intersection / area(d).
pub fn iou_crowd(d: &Xywh, g: &Xywh) -> f64 {
    let i = intersection(d, g);
    let a = d[2] * d[3];
    if a <= 0.0 {
        0.0
    } else {
        i / a
    }
}
