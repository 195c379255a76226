//! Features of a region — a box, or a polygon by its bounding box and its shape — for the model that suggests a
//! region's label. What a region's label depends on without looking at pixels: its size and aspect (a bottle is
//! tall and thin, a box squat, a price tag small), where it sits in the image, and what else the image holds (a
//! shelf's products come with price tags, a street's cars with people).
//!
//! Each continuous measure is binned on a log scale at two resolutions, half and quarter octaves, and each bin is a
//! one-hot feature: overlapping grids of bins let a linear model fit a non-linear function of its input (tile
//! coding: Sutton & Barto 2018, "Reinforcement Learning: An Introduction", 2nd ed., §9.5.4). Two crosses (aspect ×
//! height, height × vertical position) let it tell a tall small thing near the bottom from a tall large one. The
//! other regions' labels are one feature each. Every feature is hashed into 2^bits buckets with 64-bit FNV-1a, as
//! text features are (Weinberger et al. 2009), and the vector is scaled to unit L2 norm.
//!
//! Sizes are relative to the image when the task gives its size (`width`, `height`), in pixels otherwise (the two
//! kinds of feature never share a bucket).

use serde::{Deserialize, Serialize};

use super::features::{counted, fnv1a_step, SparseVector, FNV_OFFSET};
use crate::model::{BoxRegion, PolygonRegion};

/// How a region becomes features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionFeatures {
    /// log2 of the number of buckets (14: 16,384).
    pub bits: u8,
}

impl Default for RegionFeatures {
    fn default() -> Self {
        RegionFeatures { bits: 14 }
    }
}

/// What the features read of a region: its bounding box, and a polygon's vertex count and the share of its bounding
/// box it fills.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionShape {
    /// The bounding box's left edge, in pixels.
    pub x: f64,
    /// Its top edge.
    pub y: f64,
    /// Its width.
    pub w: f64,
    /// Its height.
    pub h: f64,
    /// A polygon's vertices (`None` for a box).
    pub vertices: Option<usize>,
    /// A polygon's area over its bounding box's (`None` for a box).
    pub fill: Option<f64>,
}

impl RegionShape {
    /// A box's shape.
    pub fn of_box(b: &BoxRegion) -> RegionShape {
        RegionShape { x: b.x, y: b.y, w: b.w, h: b.h, vertices: None, fill: None }
    }

    /// A polygon's shape: its bounding box, vertex count and fill (area by the shoelace formula).
    pub fn of_polygon(p: &PolygonRegion) -> RegionShape {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
        for &[x, y] in &p.points {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        let n = p.points.len();
        let twice: f64 = (0..n)
            .map(|i| {
                let ([ax, ay], [bx, by]) = (p.points[i], p.points[(i + 1) % n]);
                ax * by - bx * ay
            })
            .sum();
        let (w, h) = if n == 0 { (0.0, 0.0) } else { (x1 - x0, y1 - y0) };
        let fill = if w > 0.0 && h > 0.0 { (twice.abs() / 2.0) / (w * h) } else { 0.0 };
        RegionShape {
            x: if n == 0 { 0.0 } else { x0 },
            y: if n == 0 { 0.0 } else { y0 },
            w,
            h,
            vertices: Some(n),
            fill: Some(fill),
        }
    }
}

impl RegionFeatures {
    /// The number of buckets.
    pub fn dimension(&self) -> usize {
        1usize << self.bits
    }

    /// The features of a region of `shape` in an image of size `image` (when known), among regions labelled
    /// `others` (the image's other regions' labels; repeats count once).
    pub fn features(&self, shape: &RegionShape, image: Option<(f64, f64)>, others: &[&str]) -> SparseVector {
        let mask = (self.dimension() - 1) as u64;
        let mut buckets: Vec<u32> = Vec::with_capacity(24 + others.len());
        let mut put = |kind: &[u8], values: &[i32]| {
            let h = kind.iter().copied().fold(fnv1a_step(FNV_OFFSET, b'r'), fnv1a_step);
            let h = values.iter().flat_map(|v| v.to_le_bytes()).fold(h, fnv1a_step);
            buckets.push((h & mask) as u32);
        };
        let relative = image.filter(|(w, h)| *w > 0.0 && *h > 0.0);
        let (sw, sh, scale) = match relative {
            Some((iw, ih)) => (shape.w / iw, shape.h / ih, b'%'),
            None => (shape.w, shape.h, b'p'),
        };
        if shape.w > 0.0 && shape.h > 0.0 && shape.w.is_finite() && shape.h.is_finite() {
            let (lw, lh, la) = (sw.log2(), sh.log2(), (shape.w / shape.h).log2());
            for (per_octave, tag) in [(2.0, b'2'), (4.0, b'4')] {
                let bin = |v: f64| (v * per_octave).floor().clamp(-200.0, 200.0) as i32;
                put(&[scale, tag, b'w'], &[bin(lw)]);
                put(&[scale, tag, b'h'], &[bin(lh)]);
                put(&[scale, tag, b's'], &[bin(lw + lh)]);
                put(&[tag, b'a'], &[bin(la)]);
            }
            let half = |v: f64| (v * 2.0).floor().clamp(-200.0, 200.0) as i32;
            put(&[scale, b'a', b'h'], &[half(la), half(lh)]);
            if let Some((iw, ih)) = relative {
                let at = |v: f64, n: f64| (v * n).floor().clamp(0.0, n - 1.0) as i32;
                let (cx, cy) = ((shape.x + shape.w / 2.0) / iw, (shape.y + shape.h / 2.0) / ih);
                for n in [4.0, 8.0] {
                    put(&[b'x', n as u8], &[at(cx, n)]);
                    put(&[b'y', n as u8], &[at(cy, n)]);
                }
                put(b"yh", &[at(cy, 4.0), half(lh)]);
            }
        }
        if let Some(n) = shape.vertices {
            put(b"v", &[n.min(16) as i32]);
        }
        if let Some(f) = shape.fill {
            put(b"f", &[(f * 8.0).floor().clamp(0.0, 8.0) as i32]);
        }
        let mut seen: Vec<&str> = others.to_vec();
        seen.sort_unstable();
        seen.dedup();
        for label in seen {
            let h = label.bytes().fold(fnv1a_step(FNV_OFFSET, b'l'), fnv1a_step);
            buckets.push((h & mask) as u32);
        }
        counted(buckets)
    }
}
