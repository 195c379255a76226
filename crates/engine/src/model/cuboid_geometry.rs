//! Overlap of yaw-rotated 3D boxes, exact (no rasterising): the bird's-eye-view IoU is the area of the intersection
//! of the two footprints over the area of their union; the 3D IoU multiplies the footprints' intersection by the
//! overlap of the height intervals, over the union of the volumes (the KITTI 3D benchmark's measure, Geiger, Lenz &
//! Urtasun 2012, "Are we ready for autonomous driving?", CVPR). Two convex footprints intersect in a convex polygon,
//! found by clipping one by each edge of the other (Sutherland & Hodgman 1974, "Reentrant polygon clipping", CACM
//! 17(1)), its area by the shoelace formula.

use super::Cuboid;

/// Bird's-eye-view IoU: |F_a ∩ F_b| / |F_a ∪ F_b| of the footprints.
pub fn bev_iou(a: &Cuboid, b: &Cuboid) -> f64 {
    let inter = footprint_intersection(a, b);
    let union = a.size[0] * a.size[1] + b.size[0] * b.size[1] - inter;
    if union > 0.0 {
        (inter / union).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// 3D IoU: |F_a ∩ F_b| · overlap of [z_bottom, z_top] over V_a + V_b − that.
pub fn iou_3d(a: &Cuboid, b: &Cuboid) -> f64 {
    let ((a0, a1), (b0, b1)) = (a.z_range(), b.z_range());
    let height = (a1.min(b1) - a0.max(b0)).max(0.0);
    if height == 0.0 {
        return 0.0;
    }
    let inter = footprint_intersection(a, b) * height;
    let union = a.volume() + b.volume() - inter;
    if union > 0.0 {
        (inter / union).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The area where two footprints overlap.
pub fn footprint_intersection(a: &Cuboid, b: &Cuboid) -> f64 {
    // Far apart: no clipping needed (the circumscribed circles do not meet).
    let reach = |c: &Cuboid| (c.size[0] * c.size[0] + c.size[1] * c.size[1]).sqrt() / 2.0;
    let (dx, dy) = (a.center[0] - b.center[0], a.center[1] - b.center[1]);
    if (dx * dx + dy * dy).sqrt() > reach(a) + reach(b) {
        return 0.0;
    }
    polygon_area(&clip_convex(&a.footprint(), &b.footprint()))
}

/// `subject` clipped by the convex, counter-clockwise `clip` (Sutherland–Hodgman).
fn clip_convex(subject: &[[f64; 2]], clip: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = subject.to_vec();
    let mut input: Vec<[f64; 2]> = Vec::with_capacity(8);
    for k in 0..clip.len() {
        if out.is_empty() {
            break;
        }
        let (p, q) = (clip[k], clip[(k + 1) % clip.len()]);
        // Left of the directed edge p → q (or on it): inside.
        let side = |x: [f64; 2]| (q[0] - p[0]) * (x[1] - p[1]) - (q[1] - p[1]) * (x[0] - p[0]);
        std::mem::swap(&mut input, &mut out);
        out.clear();
        for i in 0..input.len() {
            let (s, e) = (input[(i + input.len() - 1) % input.len()], input[i]);
            let (ss, se) = (side(s), side(e));
            if se >= 0.0 {
                if ss < 0.0 {
                    out.push(crossing(s, e, ss, se));
                }
                out.push(e);
            } else if ss >= 0.0 {
                out.push(crossing(s, e, ss, se));
            }
        }
    }
    out
}

/// Where segment s → e crosses the clip line, from the two endpoints' signed distances (of opposite signs).
fn crossing(s: [f64; 2], e: [f64; 2], ss: f64, se: f64) -> [f64; 2] {
    let t = ss / (ss - se);
    [s[0] + t * (e[0] - s[0]), s[1] + t * (e[1] - s[1])]
}

/// The area of a simple polygon (shoelace), positive whichever way it turns.
fn polygon_area(points: &[[f64; 2]]) -> f64 {
    if points.len() < 3 {
        return 0.0;
    }
    let twice: f64 = (0..points.len())
        .map(|i| {
            let (p, q) = (points[i], points[(i + 1) % points.len()]);
            p[0] * q[1] - q[0] * p[1]
        })
        .sum();
    twice.abs() / 2.0
}
