//! Consensus boxes, as CVAT's consensus merge does it: per image, boxes of all annotators are clustered greedily —
//! each box joins the cluster whose first box it overlaps most with IoU ≥ `iou_threshold`, and no cluster takes two
//! boxes of one annotator; a cluster with at least `quorum` annotators becomes one box with the majority label
//! (ties by label id, i.e. first seen) and the mean coordinates of its members.

use crate::boxes::agreement::Shape;
use crate::model::{BoxRec, BoxTable};
use crate::sorting::LeanSort;

/// The clusters of one image's regions (any [`Shape`]), as described above.
pub fn clusters<R: Shape>(regions: &[R], iou_threshold: f64) -> Vec<Vec<&R>> {
    let mut clusters: Vec<Vec<&R>> = Vec::new();
    for r in regions {
        let best = clusters
            .iter()
            .enumerate()
            .filter(|(_, c)| c.iter().all(|m| m.annotator() != r.annotator()))
            .map(|(ci, c)| (ci, c[0].iou(r)))
            .filter(|&(_, v)| v >= iou_threshold)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((ci, _)) => clusters[ci].push(r),
            None => clusters.push(vec![r]),
        }
    }
    clusters
}

/// The label most members of a cluster give (ties to the smaller label id).
pub fn majority_label<R: Shape>(members: &[&R]) -> u32 {
    let mut votes: Vec<(u32, usize)> = Vec::new();
    for m in members {
        match votes.iter_mut().find(|v| v.0 == m.label()) {
            Some(v) => v.1 += 1,
            None => votes.push((m.label(), 1)),
        }
    }
    votes.lean_sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    votes[0].0
}

/// Consensus boxes (annotator field set to `u32::MAX`), per image in item order. The score is the share of the
/// image's annotators in the cluster.
pub fn box_consensus(t: &BoxTable, iou_threshold: f64, quorum: usize) -> Vec<BoxRec> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < t.regions.len() {
        let item = t.regions[start].item;
        let end = start + t.regions[start..].iter().take_while(|b| b.item == item).count();
        let annotators = t.coverage.iter().filter(|cv| cv.0 == item).count().max(1) as f64;
        for c in clusters(&t.regions[start..end], iou_threshold).iter().filter(|c| c.len() >= quorum) {
            let n = c.len() as f64;
            let mean = |f: fn(&BoxRec) -> f64| c.iter().map(|m| f(m)).sum::<f64>() / n;
            out.push(BoxRec {
                item,
                annotator: u32::MAX,
                label: majority_label(c),
                x: mean(|b| b.x),
                y: mean(|b| b.y),
                w: mean(|b| b.w),
                h: mean(|b| b.h),
                score: Some(n / annotators),
            });
        }
        start = end;
    }
    out
}
