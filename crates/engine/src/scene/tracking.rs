//! Tracking consistency against gold: the CLEAR MOT counts (Bernardin & Stiefelhagen 2008, "Evaluating multiple
//! object tracking performance: the CLEAR MOT metrics", EURASIP JIVP, §2.1). Frame by frame, a gold object keeps
//! its tracked object of the frame before when they still match; the rest are matched one to one by the largest
//! total bird's-eye-view IoU, a pair counting when of one label with IoU ≥ the threshold. A gold object matched to
//! another track than at its last match is an identity switch (IDSW). With misses (FN), false positives (FP) and
//! g gold objects over all frames:
//!
//! MOTA = 1 − (FN + FP + IDSW) / g;  MOTP = the mean IoU of the matches.

use crate::sorting::LeanSort;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::boxes::max_weight_pairs;
use crate::model::cuboid_geometry::bev_iou;
use crate::model::Cuboid;

/// The CLEAR MOT counts of tracked cuboids against gold ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackingReport {
    /// Gold objects over all frames.
    pub gold: usize,
    /// Matches over all frames.
    pub matches: usize,
    /// Gold objects unmatched (misses).
    pub false_negatives: usize,
    /// Tracked objects unmatched.
    pub false_positives: usize,
    /// Identity switches.
    pub id_switches: usize,
    /// 1 − (FN + FP + IDSW) / gold (`None` without gold).
    pub mota: Option<f64>,
    /// The mean bird's-eye-view IoU of the matches (`None` without a match).
    pub motp: Option<f64>,
    /// Where each switch happened: (frame, gold track, its track before, its track now).
    pub switches: Vec<(i64, String, String, String)>,
}

/// Compares `tracked` with `gold` frame by frame, matching at bird's-eye-view IoU ≥ `threshold`. A cuboid without a
/// track id is its own track.
pub fn tracking_report(gold: &[Cuboid], tracked: &[Cuboid], threshold: f64) -> TrackingReport {
    let by_frame = |cs: &[Cuboid]| {
        let mut m: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
        for (i, c) in cs.iter().enumerate() {
            m.entry(c.frame).or_default().push(i);
        }
        m
    };
    let (gold_frames, tracked_frames) = (by_frame(gold), by_frame(tracked));
    let track = |cs: &[Cuboid], i: usize| cs[i].track_id.clone().unwrap_or_else(|| format!("#{i}"));
    let score = |g: &Cuboid, t: &Cuboid| if g.label == t.label { bev_iou(g, t) } else { 0.0 };
    let mut last: HashMap<String, String> = HashMap::new();
    let mut r = TrackingReport {
        gold: gold.len(),
        matches: 0,
        false_negatives: 0,
        false_positives: 0,
        id_switches: 0,
        mota: None,
        motp: None,
        switches: Vec::new(),
    };
    let mut iou_sum = 0.0;
    let mut frames: Vec<i64> = gold_frames.keys().chain(tracked_frames.keys()).copied().collect();
    frames.lean_sort();
    frames.dedup();
    let empty = Vec::new();
    for f in frames {
        let (gs, ts) = (gold_frames.get(&f).unwrap_or(&empty), tracked_frames.get(&f).unwrap_or(&empty));
        let mut gold_free = vec![true; gs.len()];
        let mut tracked_free = vec![true; ts.len()];
        let mut matched: Vec<(usize, usize, f64)> = Vec::new();
        // Correspondences of the frame before that still hold.
        for (a, &gi) in gs.iter().enumerate() {
            let Some(before) = last.get(&track(gold, gi)) else { continue };
            if let Some(b) = (0..ts.len()).find(|&b| tracked_free[b] && track(tracked, ts[b]) == *before) {
                let iou = score(&gold[gi], &tracked[ts[b]]);
                if iou >= threshold {
                    (gold_free[a], tracked_free[b]) = (false, false);
                    matched.push((a, b, iou));
                }
            }
        }
        // The rest, one to one by the largest total IoU.
        let (rows, cols): (Vec<usize>, Vec<usize>) =
            ((0..gs.len()).filter(|&a| gold_free[a]).collect(), (0..ts.len()).filter(|&b| tracked_free[b]).collect());
        let weight: Vec<f64> = rows
            .iter()
            .flat_map(|&a| cols.iter().map(move |&b| (a, b)))
            .map(|(a, b)| {
                let iou = score(&gold[gs[a]], &tracked[ts[b]]);
                if iou >= threshold {
                    iou
                } else {
                    0.0
                }
            })
            .collect();
        for (i, j) in max_weight_pairs(&weight, rows.len(), cols.len()) {
            let (a, b) = (rows[i], cols[j]);
            (gold_free[a], tracked_free[b]) = (false, false);
            matched.push((a, b, weight[i * cols.len() + j]));
        }
        for &(a, b, iou) in &matched {
            let (g, t) = (track(gold, gs[a]), track(tracked, ts[b]));
            if let Some(before) = last.get(&g) {
                if *before != t {
                    r.id_switches += 1;
                    r.switches.push((f, g.clone(), before.clone(), t.clone()));
                }
            }
            last.insert(g, t);
            iou_sum += iou;
        }
        r.matches += matched.len();
        r.false_negatives += gold_free.iter().filter(|x| **x).count();
        r.false_positives += tracked_free.iter().filter(|x| **x).count();
    }
    if r.gold > 0 {
        r.mota = Some(1.0 - (r.false_negatives + r.false_positives + r.id_switches) as f64 / r.gold as f64);
    }
    if r.matches > 0 {
        r.motp = Some(iou_sum / r.matches as f64);
    }
    r
}
