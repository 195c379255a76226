//! Physics checks on 3D cuboids (LiDAR annotations for driving), in metres, seconds and radians, z up. A scene is a
//! JSON list of [`Cuboid`]s; motion is measured in the world when the frames' ego poses are known
//! ([`SceneContext`]), and between frames `fps` apart otherwise.
//!
//! - `cuboid_size`: length, width and height within a per-class range (a pedestrian is 0.8–2.3 m tall);
//! - `above_ground`: the bottom face (`z − h/2`) is not below the ground plane `ground_z` (minus a tolerance);
//! - `no_intersection`: two solid objects in one frame do not overlap — their footprints (oriented rectangles,
//!   separating-axis test) and their height intervals both intersect;
//! - `max_speed`: between consecutive frames of one track, the centre moves at most `max_mps`;
//! - `max_acceleration`: over three consecutive frames of a track, the velocity changes at most `max_mps2`;
//! - `min_points`: a cuboid holds at least `points · min(1, (at_m / d)²)` of its frame's points (at least 1), d its
//!   horizontal distance from the sensor — a LiDAR's returns per object fall with the square of the distance, so an
//!   empty box far away is as suspect as a thin one near by;
//! - `track_size`: a rigid object's length, width and height do not change between consecutive frames of its track
//!   by more than `tolerance` metres.

use std::collections::BTreeMap;

use serde::Serialize;

use super::check::{Check, SceneCheck};
use super::{RuleSet, Severity, Violation};
use crate::scene::{points_inside, Cuboid, EgoPose, PointCloud};
use crate::sorting::LeanSort;

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
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
    /// Index of the cuboid in the input list (the later one, for pairs and motion).
    pub cuboid: usize,
    /// The frame.
    pub frame: i64,
}

/// What a scene's checks know besides its cuboids: each frame's ego pose and point cloud, where there is one.
#[derive(Clone, Copy, Default)]
pub struct SceneContext<'a> {
    /// Ego poses by frame.
    pub poses: Option<&'a BTreeMap<i64, EgoPose>>,
    /// Point clouds by frame.
    pub clouds: Option<&'a BTreeMap<i64, PointCloud>>,
    /// The points inside a cuboid of a frame whose cloud is not in `clouds`, counted elsewhere (`None`: not known, so
    /// `min_points` passes over it). What a caller that cannot hold every frame's cloud at once gives instead.
    pub counted: Option<&'a dyn Fn(&Cuboid) -> Option<usize>>,
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

/// Checks a scene (all frames) against the rule set's cuboid rules, with no ego pose or point cloud.
pub fn validate_scene(rules: &RuleSet, cuboids: &[Cuboid]) -> Vec<CuboidViolation> {
    validate_scene_in(rules, cuboids, SceneContext::default())
}

/// Checks a scene against the rule set's cuboid rules: motion in the world where `context` has the frames' poses,
/// points inside each cuboid where it has the frame's cloud.
pub fn validate_scene_in(rules: &RuleSet, cuboids: &[Cuboid], context: SceneContext) -> Vec<CuboidViolation> {
    let mut out = Vec::new();
    let mut frames: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, c) in cuboids.iter().enumerate() {
        frames.entry(c.frame).or_default().push(i);
    }
    // Each track's cuboids in frame order.
    let tracks = |label: Option<&str>| {
        let mut t: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, c) in cuboids.iter().enumerate().filter(|(_, c)| label.is_none_or(|l| c.label == l)) {
            if let Some(id) = &c.track_id {
                t.entry(id).or_default().push(i);
            }
        }
        for idx in t.values_mut() {
            idx.lean_sort_by_key(|&i| cuboids[i].frame);
        }
        t
    };
    // Where each cuboid's centre is in the world (the sensor's frame without a pose), and when (with a pose), worked
    // out once: the motion rules read each several times.
    let motion = rules
        .rules
        .iter()
        .any(|r| matches!(r.check, Check::Scene(SceneCheck::MaxSpeed { .. } | SceneCheck::MaxAcceleration { .. })));
    let (world, when): (Vec<[f64; 3]>, Vec<Option<f64>>) = if motion {
        cuboids
            .iter()
            .map(|c| match context.poses.and_then(|p| p.get(&c.frame)) {
                Some(pose) => (pose.to_world(c.center), Some(pose.timestamp)),
                None => (c.center, None),
            })
            .unzip()
    } else {
        (Vec::new(), Vec::new())
    };
    let seconds = |a: usize, b: usize, fps: f64| -> f64 {
        match (when[a], when[b]) {
            (Some(ta), Some(tb)) => tb - ta,
            _ => (cuboids[b].frame - cuboids[a].frame) as f64 / fps,
        }
    };
    let velocity = |a: usize, b: usize, fps: f64| -> Option<[f64; 3]> {
        let dt = seconds(a, b, fps);
        let (pa, pb) = (world[a], world[b]);
        (dt > 0.0).then(|| [0, 1, 2].map(|k| (pb[k] - pa[k]) / dt))
    };
    let norm = |v: [f64; 3]| (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    for rule in &rules.rules {
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
        // 2D checks run on annotations (`validate`), not on scenes.
        let Check::Scene(check) = &rule.check else { continue };
        match check {
            SceneCheck::CuboidSize { label, length, width, height } => {
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
            SceneCheck::AboveGround { ground_z, tolerance } => {
                for (i, c) in cuboids.iter().enumerate() {
                    let bottom = c.center[2] - c.size[2] / 2.0;
                    if bottom < ground_z - tolerance {
                        hit(i, format!("bottom at {bottom:.2} m, {:.2} m below the ground", ground_z - bottom));
                    }
                }
            }
            SceneCheck::NoIntersection { labels } => {
                let solid = |c: &Cuboid| labels.is_empty() || labels.contains(&c.label);
                for idx in frames.values() {
                    let idx: Vec<usize> = idx.iter().copied().filter(|&i| solid(&cuboids[i])).collect();
                    let fps: Vec<[[f64; 2]; 4]> = idx.iter().map(|&i| cuboids[i].footprint()).collect();
                    // Sweep and prune along x: a footprint lies within its circumscribed circle, so two whose
                    // x-extents of those circles do not meet cannot overlap.
                    let reach: Vec<f64> =
                        idx.iter().map(|&i| cuboids[i].size[0].hypot(cuboids[i].size[1]) / 2.0).collect();
                    let mut by_left: Vec<usize> = (0..idx.len()).collect();
                    by_left.lean_sort_by(|&p, &q| {
                        let left = |k: usize| cuboids[idx[k]].center[0] - reach[k];
                        left(p).total_cmp(&left(q))
                    });
                    let mut pairs: Vec<(usize, usize)> = Vec::new();
                    for (n, &p) in by_left.iter().enumerate() {
                        let right = cuboids[idx[p]].center[0] + reach[p];
                        for &q in &by_left[n + 1..] {
                            if cuboids[idx[q]].center[0] - reach[q] >= right {
                                break;
                            }
                            let (a, b) = (p.min(q), p.max(q));
                            let (ca, cb) = (&cuboids[idx[a]], &cuboids[idx[b]]);
                            let ((a0, a1), (b0, b1)) = (ca.z_range(), cb.z_range());
                            if a0 < b1 && b0 < a1 && footprints_overlap(&fps[a], &fps[b]) {
                                pairs.push((b, a));
                            }
                        }
                    }
                    // In input order: the later cuboid of each pair, then the earlier.
                    pairs.lean_sort();
                    for (b, a) in pairs {
                        hit(idx[b], format!("intersects {} #{}", cuboids[idx[a]].label, idx[a]));
                    }
                }
            }
            SceneCheck::MaxSpeed { label, max_mps, fps } => {
                for idx in tracks(Some(label)).values() {
                    for w in idx.windows(2) {
                        let Some(v) = velocity(w[0], w[1], *fps) else { continue };
                        let speed = norm(v);
                        if speed > *max_mps {
                            let (a, b) = (cuboids[w[0]].frame, cuboids[w[1]].frame);
                            hit(w[1], format!("{speed:.1} m/s between frames {a} and {b}, at most {max_mps}"));
                        }
                    }
                }
            }
            SceneCheck::MaxAcceleration { label, max_mps2, fps } => {
                for idx in tracks(Some(label)).values() {
                    for w in idx.windows(3) {
                        let (Some(v0), Some(v1)) = (velocity(w[0], w[1], *fps), velocity(w[1], w[2], *fps)) else {
                            continue;
                        };
                        // The velocities hold at the middles of their intervals.
                        let dt = (seconds(w[0], w[1], *fps) + seconds(w[1], w[2], *fps)) / 2.0;
                        let accel = norm([0, 1, 2].map(|k| v1[k] - v0[k])) / dt;
                        if accel > *max_mps2 {
                            hit(
                                w[2],
                                format!(
                                    "{accel:.1} m/s² over frames {}–{}, at most {max_mps2}",
                                    cuboids[w[0]].frame, cuboids[w[2]].frame
                                ),
                            );
                        }
                    }
                }
            }
            SceneCheck::MinPoints { label, points, at_m } => {
                let clouds = context.clouds;
                if clouds.is_none() && context.counted.is_none() {
                    continue;
                }
                for (i, c) in cuboids.iter().enumerate() {
                    if label.as_ref().is_some_and(|l| *l != c.label) {
                        continue;
                    }
                    let inside = match (clouds.and_then(|cl| cl.get(&c.frame)), context.counted) {
                        (Some(cloud), _) => points_inside(cloud, c).len(),
                        (None, Some(count)) => match count(c) {
                            Some(n) => n,
                            None => continue,
                        },
                        (None, None) => continue,
                    };
                    let d = c.center[0].hypot(c.center[1]);
                    let need = (points * (at_m / d.max(*at_m)).powi(2)).floor().max(1.0);
                    if (inside as f64) < need {
                        hit(i, format!("{inside} points inside at {d:.1} m, at least {need:.0} expected"));
                    }
                }
            }
            SceneCheck::TrackSize { tolerance } => {
                for idx in tracks(None).values() {
                    for w in idx.windows(2) {
                        let (a, b) = (&cuboids[w[0]], &cuboids[w[1]]);
                        let change = (0..3).map(|k| (b.size[k] - a.size[k]).abs()).fold(0.0, f64::max);
                        if change > *tolerance {
                            hit(
                                w[1],
                                format!(
                                    "its size changes by {change:.2} m between frames {} and {}, at most {tolerance}",
                                    a.frame, b.frame
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
    out
}

/// The instant check of one frame of a sequence: the scene rules over the whole `sequence` (every frame's cuboids,
/// each with its `frame`, in each frame's control order), kept for `frame` and turned into the violations of its
/// `control`, each naming the region (the cuboid's index in that frame). Motion and track rules see the
/// neighbouring frames; points are counted where `context` has the frame's cloud.
pub fn validate_frame(
    rules: &RuleSet,
    control: &str,
    frame: i64,
    sequence: &[Cuboid],
    context: SceneContext,
) -> Vec<Violation> {
    let mut region_of = vec![0usize; sequence.len()];
    let mut next = 0;
    for (i, c) in sequence.iter().enumerate() {
        if c.frame == frame {
            region_of[i] = next;
            next += 1;
        }
    }
    validate_scene_in(rules, sequence, context)
        .into_iter()
        .filter(|v| v.frame == frame)
        .map(|v| Violation {
            rule: v.rule,
            severity: v.severity,
            message: v.message,
            section: v.section,
            control: Some(control.to_string()),
            region: Some(region_of[v.cuboid]),
        })
        .collect()
}
