//! The tracks queue of a 3D review: every annotator's track held against each other annotator's cuboids in the
//! same frames with the CLEAR MOT counts (Bernardin & Stiefelhagen 2008, "Evaluating multiple object tracking
//! performance: the CLEAR MOT metrics", EURASIP JIVP, §2.1; [`tracking_report`] with the track as the reference).
//! For track T of annotator A and another annotator B:
//!
//! - matched: T's boxes that B boxed too (one label, bird's-eye-view IoU ≥ the threshold);
//! - identity switches: frames where B's box on T's object belongs to another of B's tracks than at T's previous
//!   match (B split the object, or T joined two of B's objects);
//! - mean IoU: over the matches.
//!
//! Summed over every B, the tracks with the most switches come first, then the least matched: where annotators
//! disagree about who is who. Cuboids without a track id are not tracks (the agreement counts them).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::tracking::tracking_report;
use crate::model::{Cuboid, CuboidTable};
use crate::sorting::LeanSort;

/// The bird's-eye-view IoU at which the queue matches boxes unless told otherwise (`concord tracks`, review mode).
pub const TRACK_QUEUE_IOU: f64 = 0.5;

/// One annotator's track in the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackRow {
    /// Who drew it.
    pub annotator: String,
    /// Its track id.
    pub track: String,
    /// Its most frequent label (the first in name order on a tie).
    pub label: String,
    /// The first and last frames it is in.
    pub frames: [i64; 2],
    /// Its boxes (one per frame it is in).
    pub boxes: usize,
    /// Its boxes times the other annotators who covered those frames: what could have been matched.
    pub compared: usize,
    /// Of those, the ones matched.
    pub matched: usize,
    /// The mean bird's-eye-view IoU of the matches (`None` without one).
    pub mean_iou: Option<f64>,
    /// Identity switches against the other annotators, summed.
    pub id_switches: usize,
    /// The frames of those switches, ascending (a frame once).
    pub switch_frames: Vec<i64>,
}

/// Every annotator's track of `table` (cuboids stamped with their frames) compared with the other annotators at
/// bird's-eye-view IoU ≥ `threshold`, most identity switches first, then the lowest share matched, then by
/// annotator and track.
pub fn track_queue(table: &CuboidTable, threshold: f64) -> Vec<TrackRow> {
    // Each annotator's cuboids by frame, and which frames each annotator covered.
    let mut by_frame: HashMap<(u32, i64), Vec<&Cuboid>> = HashMap::new();
    let mut tracks: BTreeMap<(u32, &str), Vec<&Cuboid>> = BTreeMap::new();
    for r in &table.regions {
        by_frame.entry((r.annotator, r.cuboid.frame)).or_default().push(&r.cuboid);
        if let Some(t) = &r.cuboid.track_id {
            tracks.entry((r.annotator, t.as_str())).or_default().push(&r.cuboid);
        }
    }
    let frame_of_item: HashMap<u32, i64> = table.regions.iter().map(|r| (r.item, r.cuboid.frame)).collect();
    let covered: std::collections::HashSet<(u32, i64)> = table
        .coverage
        .iter()
        .filter_map(|&(item, a)| frame_of_item.get(&item).map(|&f| (a, f)))
        .chain(by_frame.keys().copied())
        .collect();
    let annotators = table.annotators.len() as u32;
    let mut rows = Vec::with_capacity(tracks.len());
    for ((a, track), boxes) in tracks {
        let mut own: Vec<Cuboid> = boxes.iter().map(|&c| c.clone()).collect();
        own.lean_sort_by_key(|c| c.frame);
        let (mut compared, mut matched, mut switches, mut iou_sum) = (0, 0, 0, 0.0);
        let mut switch_frames = Vec::new();
        for b in (0..annotators).filter(|&b| b != a) {
            let reference: Vec<Cuboid> = own.iter().filter(|c| covered.contains(&(b, c.frame))).cloned().collect();
            if reference.is_empty() {
                continue;
            }
            let theirs: Vec<Cuboid> = reference
                .iter()
                .flat_map(|c| by_frame.get(&(b, c.frame)).into_iter().flatten().map(|&x| x.clone()))
                .collect();
            let report = tracking_report(&reference, &theirs, threshold);
            compared += reference.len();
            matched += report.matches;
            switches += report.id_switches;
            iou_sum += report.motp.unwrap_or(0.0) * report.matches as f64;
            switch_frames.extend(report.switches.iter().map(|s| s.0));
        }
        switch_frames.lean_sort();
        switch_frames.dedup();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &own {
            *counts.entry(c.label.as_str()).or_default() += 1;
        }
        let label = counts.iter().fold(("", 0), |best, (l, n)| if *n > best.1 { (l, *n) } else { best }).0;
        rows.push(TrackRow {
            annotator: table.annotators.name(a).to_string(),
            track: track.to_string(),
            label: label.to_string(),
            frames: [own[0].frame, own[own.len() - 1].frame],
            boxes: own.len(),
            compared,
            matched,
            mean_iou: (matched > 0).then(|| iou_sum / matched as f64),
            id_switches: switches,
            switch_frames,
        });
    }
    let share = |r: &TrackRow| if r.compared == 0 { 1.0 } else { r.matched as f64 / r.compared as f64 };
    rows.lean_sort_by(|x, y| {
        y.id_switches
            .cmp(&x.id_switches)
            .then(share(x).total_cmp(&share(y)))
            .then_with(|| x.annotator.cmp(&y.annotator))
            .then_with(|| x.track.cmp(&y.track))
    });
    rows
}

/// The tracks queue with the threshold it was made at: what `concord tracks` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackQueue {
    /// The bird's-eye-view IoU at which boxes match.
    pub iou: f64,
    /// The tracks, most identity switches first.
    pub tracks: Vec<TrackRow>,
}

impl TrackQueue {
    /// [`track_queue`] of `table` at `iou`.
    pub fn of(table: &CuboidTable, iou: f64) -> TrackQueue {
        TrackQueue { iou, tracks: track_queue(table, iou) }
    }
}
