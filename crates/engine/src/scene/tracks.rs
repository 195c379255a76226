//! A track across frames: keyframes placed by hand, the frames between them interpolated — the centre and the size
//! linearly, the heading along the shorter arc of the circle (yaw_a + t · wrap(yaw_b − yaw_a)) — and a frame's
//! cuboids copied to the next as the start of its keyframes.

use crate::sorting::LeanSort;
use std::collections::BTreeMap;

use super::cuboid::wrap_angle;
use crate::model::Cuboid;

/// The cuboid between keyframes `a` and `b` (a.frame < frame < b.frame) of one track, marked interpolated.
pub fn interpolate(a: &Cuboid, b: &Cuboid, frame: i64) -> Cuboid {
    let t = (frame - a.frame) as f64 / (b.frame - a.frame) as f64;
    let lerp = |x: f64, y: f64| x + t * (y - x);
    let mut c = a.clone();
    c.center = [0, 1, 2].map(|k| lerp(a.center[k], b.center[k]));
    c.size = [0, 1, 2].map(|k| lerp(a.size[k], b.size[k]));
    c.yaw = wrap_angle(a.yaw + t * wrap_angle(b.yaw - a.yaw));
    c.frame = frame;
    c.interpolated = true;
    c
}

/// The cuboids with every track filled between its keyframes: each frame strictly between two keyframes of a track
/// (cuboids not marked interpolated) gets an interpolated cuboid, replacing any interpolated one it had. Cuboids
/// without a track, and keyframes, are kept as they are. Ordered by frame, then as given.
pub fn interpolate_tracks(cuboids: &[Cuboid]) -> Vec<Cuboid> {
    let mut keyframes: BTreeMap<&str, Vec<&Cuboid>> = BTreeMap::new();
    let mut out: Vec<Cuboid> = Vec::with_capacity(cuboids.len());
    for c in cuboids {
        match (&c.track_id, c.interpolated) {
            (Some(t), false) => keyframes.entry(t).or_default().push(c),
            (Some(_), true) => {}
            (None, _) => out.push(c.clone()),
        }
    }
    for keys in keyframes.values_mut() {
        keys.lean_sort_by_key(|c| c.frame);
        for w in keys.windows(2) {
            out.push(w[0].clone());
            out.extend((w[0].frame + 1..w[1].frame).map(|f| interpolate(w[0], w[1], f)));
        }
        out.push((*keys.last().expect("a track has a keyframe")).clone());
    }
    out.lean_sort_by_key(|c| c.frame);
    out
}

/// Frame `from`'s cuboids as keyframes of frame `to` (the next frame's starting point: the annotator adjusts them).
/// A cuboid whose track already has a cuboid in `to` is not copied.
pub fn copy_to_frame(cuboids: &[Cuboid], from: i64, to: i64) -> Vec<Cuboid> {
    let present: Vec<&str> = cuboids.iter().filter(|c| c.frame == to).filter_map(|c| c.track_id.as_deref()).collect();
    cuboids
        .iter()
        .filter(|c| c.frame == from && !c.track_id.as_deref().is_some_and(|t| present.contains(&t)))
        .map(|c| Cuboid { frame: to, interpolated: false, ..c.clone() })
        .collect()
}

/// How a track is present in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackMark {
    /// Placed by hand.
    Keyframe,
    /// Interpolated between keyframes.
    Interpolated,
}

/// A track's timeline: each frame it is in, and how, in frame order.
pub fn timeline(cuboids: &[Cuboid], track: &str) -> Vec<(i64, TrackMark)> {
    let mut out: Vec<(i64, TrackMark)> = cuboids
        .iter()
        .filter(|c| c.track_id.as_deref() == Some(track))
        .map(|c| (c.frame, if c.interpolated { TrackMark::Interpolated } else { TrackMark::Keyframe }))
        .collect();
    out.lean_sort_by_key(|m| m.0);
    out
}
