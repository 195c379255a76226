//! Physics checks on 3D cuboids (e.g. lidar annotations for driving): a JSON list of
//! `{"label", "center": [x, y, z], "size": [l, w, h], "yaw", "frame", "track_id"}` in metres and radians, z up.
//!
//! - `cuboid_size`: length, width and height within a per-class range (a pedestrian is 0.8–2.3 m tall);
//! - `above_ground`: the bottom face (`z − h/2`) is not below the ground plane `ground_z` (minus a tolerance);
//! - `no_intersection`: two solid objects in one frame do not overlap — their footprints (oriented rectangles,
//!   separating-axis test) and their height intervals both intersect;
//! - `max_speed`: between consecutive frames of one track, the centre moves at most `max_mps` (frames at `fps`).

use crate::sorting::LeanSort;
use serde::{Deserialize, Serialize};

use super::check::Check;
use super::{RuleSet, Severity};
use crate::error::InputError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// A 3D box of a LiDAR frame.
pub struct Cuboid {
    /// The object's class.
    pub label: String,
    /// Centre (x, y, z), in metres.
    pub center: [f64; 3],
    /// Length (along yaw), width, height.
    pub size: [f64; 3],
    #[serde(default)]
    /// Heading about the vertical axis, in radians.
    pub yaw: f64,
    #[serde(default)]
    /// The frame it is in.
    pub frame: i64,
    #[serde(default)]
    /// Which object across frames it is.
    pub track_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// A physics rule a cuboid breaks.
pub struct CuboidViolation {
    /// The rule's id.
    pub rule: String,
    /// How bad.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// The guideline section.
    pub section: String,
    /// Index of the cuboid in the input list (the later one, for pairs).
    pub cuboid: usize,
    /// The frame.
    pub frame: i64,
}

/// Reads cuboids from JSON (a list of [`Cuboid`]), naming the path of a bad value.
pub fn parse_cuboids(file: &str, text: &str) -> Result<Vec<Cuboid>, InputError> {
    let v: Vec<Cuboid> = crate::json_path::from_str(text).map_err(|e| {
        if e.inner().is_syntax() || e.inner().is_eof() {
            InputError::from_json(file, e.inner())
        } else {
            InputError::from_path_error(file, None, e)
        }
    })?;
    for (i, c) in v.iter().enumerate() {
        if c.size.iter().any(|s| !(s.is_finite() && *s > 0.0))
            || c.center.iter().any(|x| !x.is_finite())
            || !c.yaw.is_finite()
        {
            return Err(InputError::at_path(file, format!("$[{i}]"), "centre, size and yaw must be finite, sizes > 0"));
        }
    }
    Ok(v)
}

/// Corners of the footprint (x, y).
fn footprint(c: &Cuboid) -> [[f64; 2]; 4] {
    let (s, co) = c.yaw.sin_cos();
    let (hl, hw) = (c.size[0] / 2.0, c.size[1] / 2.0);
    let mut out = [[0.0; 2]; 4];
    for (k, (dx, dy)) in [(hl, hw), (hl, -hw), (-hl, -hw), (-hl, hw)].iter().enumerate() {
        out[k] = [c.center[0] + dx * co - dy * s, c.center[1] + dx * s + dy * co];
    }
    out
}

/// Separating-axis test for two convex quadrilaterals; touching counts as not overlapping.
fn footprints_overlap(a: &[[f64; 2]; 4], b: &[[f64; 2]; 4]) -> bool {
    for poly in [a, b] {
        for k in 0..4 {
            let (p, q) = (poly[k], poly[(k + 1) % 4]);
            let axis = [q[1] - p[1], p[0] - q[0]];
            let project = |pts: &[[f64; 2]; 4]| {
                let vals = pts.iter().map(|v| v[0] * axis[0] + v[1] * axis[1]);
                vals.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)))
            };
            let ((a0, a1), (b0, b1)) = (project(a), project(b));
            if a1 <= b0 + 1e-9 || b1 <= a0 + 1e-9 {
                return false;
            }
        }
    }
    true
}

/// Checks a scene (all frames) against the rule set's cuboid rules.
pub fn validate_scene(rules: &RuleSet, cuboids: &[Cuboid]) -> Vec<CuboidViolation> {
    let mut out = Vec::new();
    for rule in &rules.rules {
        let check = &rule.check;
        let mut hit = |i: usize, detail: String| {
            out.push(CuboidViolation {
                rule: rule.id.clone(),
                severity: rule.severity,
                message: format!("{} ({detail})", rule.message),
                section: rule.section.clone(),
                cuboid: i,
                frame: cuboids[i].frame,
            })
        };
        match check {
            Check::CuboidSize { label, length, width, height } => {
                for (i, c) in cuboids.iter().enumerate().filter(|(_, c)| c.label == *label) {
                    for (name, range, v) in
                        [("length", length, c.size[0]), ("width", width, c.size[1]), ("height", height, c.size[2])]
                    {
                        if let Some([lo, hi]) = range {
                            if v < *lo || v > *hi {
                                hit(i, format!("{name} {v:.2} m, expected {lo}–{hi} m"));
                            }
                        }
                    }
                }
            }
            Check::AboveGround { ground_z, tolerance } => {
                for (i, c) in cuboids.iter().enumerate() {
                    let bottom = c.center[2] - c.size[2] / 2.0;
                    if bottom < ground_z - tolerance {
                        hit(i, format!("bottom at {bottom:.2} m, {:.2} m below the ground", ground_z - bottom));
                    }
                }
            }
            Check::NoIntersection { labels } => {
                let solid = |c: &Cuboid| labels.is_empty() || labels.contains(&c.label);
                let fps: Vec<[[f64; 2]; 4]> = cuboids.iter().map(footprint).collect();
                for j in 0..cuboids.len() {
                    for i in 0..j {
                        let (a, b) = (&cuboids[i], &cuboids[j]);
                        if a.frame != b.frame || !solid(a) || !solid(b) {
                            continue;
                        }
                        let z_overlap = (a.center[2] - a.size[2] / 2.0) < (b.center[2] + b.size[2] / 2.0)
                            && (b.center[2] - b.size[2] / 2.0) < (a.center[2] + a.size[2] / 2.0);
                        if z_overlap && footprints_overlap(&fps[i], &fps[j]) {
                            hit(j, format!("intersects {} #{i}", a.label));
                        }
                    }
                }
            }
            Check::MaxSpeed { label, max_mps, fps } => {
                let mut tracks: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
                for (i, c) in cuboids.iter().enumerate().filter(|(_, c)| c.label == *label) {
                    if let Some(t) = &c.track_id {
                        tracks.entry(t).or_default().push(i);
                    }
                }
                for idx in tracks.values_mut() {
                    idx.lean_sort_by_key(|&i| cuboids[i].frame);
                    for w in idx.windows(2) {
                        let (a, b) = (&cuboids[w[0]], &cuboids[w[1]]);
                        let frames = (b.frame - a.frame) as f64;
                        if frames <= 0.0 {
                            continue;
                        }
                        let d = ((b.center[0] - a.center[0]).powi(2)
                            + (b.center[1] - a.center[1]).powi(2)
                            + (b.center[2] - a.center[2]).powi(2))
                        .sqrt();
                        let speed = d / (frames / fps);
                        if speed > *max_mps {
                            hit(
                                w[1],
                                format!("{speed:.1} m/s between frames {} and {}, at most {max_mps}", a.frame, b.frame),
                            );
                        }
                    }
                }
            }
            // 2D checks run on annotations (`validate`), not on scenes.
            _ => {}
        }
    }
    out
}
