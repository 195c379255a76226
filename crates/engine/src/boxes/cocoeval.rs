//! COCO detection evaluation, equal to pycocotools' `COCOeval(iouType="bbox")` (Lin et al. 2014, "Microsoft COCO:
//! Common Objects in Context"; the evaluation code of `cocoapi/PythonAPI/pycocotools/cocoeval.py`).
//!
//! Per image and category: ground truths sorted with ignored ones last, detections by score (stable), at most
//! `max_det`; at each IoU threshold each detection greedily takes the best still-free ground truth with
//! IoU ≥ t (crowd ground truths may match many; a match to an ignored ground truth makes the detection ignored;
//! an unmatched detection outside the area range is ignored). Accumulation over images: detections sorted by score
//! (stable), cumulative TP/FP, precision made monotone, sampled at 101 recall points with `searchsorted(left)`.
//! AP and AR average the cells that are not −1. Ground-truth area is the annotation's `area` field (as pycocotools
//! uses it), detection area is w·h.

use crate::sorting::LeanSort;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::box_geometry::{iou, iou_crowd};
use crate::model::{Detection, GtBox};

/// Ground truth and detections over `images` image ids and `categories` category ids (dense, 0-based).
pub struct CocoData<'a> {
    /// Images in the set.
    pub images: usize,
    /// Category names, by id.
    pub categories: &'a [String],
    /// Ground-truth boxes.
    pub gt: &'a [GtBox],
    /// Detections, with scores.
    pub dt: &'a [Detection],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// One category's average precision.
pub struct CategoryAp {
    #[serde(rename = "AP")]
    /// AP at IoU 0.50:0.95.
    pub ap: f64,
}

/// The twelve summary numbers of `COCOeval.summarize()`, in its order, plus AP per category. −1 where undefined.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[allow(non_snake_case)]
pub struct CocoEvalReport {
    /// AP at IoU 0.50:0.95, area all, 100 detections (pycocotools' `stats[0]`).
    pub AP: f64,
    /// AP at IoU 0.50.
    pub AP50: f64,
    /// AP at IoU 0.75.
    pub AP75: f64,
    /// AP for small objects (area < 32²).
    pub AP_small: f64,
    /// AP for medium objects (32² ≤ area < 96²).
    pub AP_medium: f64,
    /// AP for large objects (area ≥ 96²).
    pub AP_large: f64,
    /// AR with 1 detection per image.
    pub AR1: f64,
    /// AR with 10 detections per image.
    pub AR10: f64,
    /// AR with 100 detections per image.
    pub AR100: f64,
    /// AR for small objects.
    pub AR_small: f64,
    /// AR for medium objects.
    pub AR_medium: f64,
    /// AR for large objects.
    pub AR_large: f64,
    /// Per category, by name.
    pub per_category: BTreeMap<String, CategoryAp>,
}

impl CocoEvalReport {
    /// The twelve figures in pycocotools' `stats` order.
    pub fn stats(&self) -> [f64; 12] {
        [
            self.AP,
            self.AP50,
            self.AP75,
            self.AP_small,
            self.AP_medium,
            self.AP_large,
            self.AR1,
            self.AR10,
            self.AR100,
            self.AR_small,
            self.AR_medium,
            self.AR_large,
        ]
    }
}

const MAX_DETS: [usize; 3] = [1, 10, 100];
const AREA_RANGES: [(f64, f64); 4] = [(0.0, 1e10), (0.0, 1024.0), (1024.0, 9216.0), (9216.0, 1e10)];

/// `np.linspace(.5, .95, 10)` and `np.linspace(0, 1, 101)`, computed the way numpy does (start + i·step, with the
/// endpoint set exactly), so that boundary IoUs compare exactly as in pycocotools.
fn linspace(start: f64, stop: f64, n: usize) -> Vec<f64> {
    let step = (stop - start) / (n - 1) as f64;
    (0..n).map(|i| if i == n - 1 { stop } else { start + i as f64 * step }).collect()
}

/// One image × category × area range evaluation at every IoU threshold.
struct ImageEval {
    /// Detection scores, sorted descending (≤ max_det of the largest setting).
    scores: Vec<f64>,
    /// `matched[t][d]`, `ignored[t][d]`.
    matched: Vec<Vec<bool>>,
    ignored: Vec<Vec<bool>>,
    /// Ground truths not ignored.
    gt_counted: usize,
}

fn evaluate_image(
    gts: &[&GtBox],
    dts: &[&Detection],
    range: (f64, f64),
    thresholds: &[f64],
    max_det: usize,
) -> Option<ImageEval> {
    if gts.is_empty() && dts.is_empty() {
        return None;
    }
    // Ground truths: ignored ones last (stable).
    let gt_ignore: Vec<bool> = gts.iter().map(|g| g.iscrowd || g.area < range.0 || g.area > range.1).collect();
    let mut gorder: Vec<usize> = (0..gts.len()).collect();
    gorder.lean_sort_by_key(|&i| gt_ignore[i]);
    // Detections: by score descending, stable, at most max_det.
    let mut dorder: Vec<usize> = (0..dts.len()).collect();
    dorder.lean_sort_by(|&a, &b| dts[b].score.total_cmp(&dts[a].score));
    dorder.truncate(max_det);
    let t_n = thresholds.len();
    let (mut matched, mut ignored) = (vec![vec![false; dorder.len()]; t_n], vec![vec![false; dorder.len()]; t_n]);
    let ious: Vec<Vec<f64>> = dorder
        .iter()
        .map(|&d| {
            gorder
                .iter()
                .map(|&g| {
                    if gts[g].iscrowd {
                        iou_crowd(&dts[d].bbox, &gts[g].bbox)
                    } else {
                        iou(&dts[d].bbox, &gts[g].bbox)
                    }
                })
                .collect()
        })
        .collect();
    for (ti, &t) in thresholds.iter().enumerate() {
        let mut gt_taken = vec![false; gorder.len()];
        for (di, _) in dorder.iter().enumerate() {
            let mut best = t.min(1.0 - 1e-10);
            let mut m: Option<usize> = None;
            for (gi, &g) in gorder.iter().enumerate() {
                if gt_taken[gi] && !gts[g].iscrowd {
                    continue;
                }
                // Ignored ground truths come last: once a real one matched, stop.
                if let Some(mi) = m {
                    if !gt_ignore[gorder[mi]] && gt_ignore[g] {
                        break;
                    }
                }
                if ious[di][gi] < best {
                    continue;
                }
                best = ious[di][gi];
                m = Some(gi);
            }
            if let Some(mi) = m {
                ignored[ti][di] = gt_ignore[gorder[mi]];
                matched[ti][di] = true;
                gt_taken[mi] = true;
            }
        }
    }
    // Unmatched detections outside the area range are ignored.
    for ti in 0..t_n {
        for (di, &d) in dorder.iter().enumerate() {
            let b = &dts[d].bbox;
            let area = b[2] * b[3];
            if !matched[ti][di] && (area < range.0 || area > range.1) {
                ignored[ti][di] = true;
            }
        }
    }
    Some(ImageEval {
        scores: dorder.iter().map(|&d| dts[d].score).collect(),
        matched,
        ignored,
        gt_counted: gt_ignore.iter().filter(|&&i| !i).count(),
    })
}

/// COCOeval for bounding boxes, as pycocotools computes it (101-point interpolated precision, areas and maxDets as its defaults).
pub fn coco_eval(data: &CocoData) -> CocoEvalReport {
    let thresholds = linspace(0.5, 0.95, 10);
    let rec_thresholds = linspace(0.0, 1.0, 101);
    let (t_n, r_n, k_n, a_n, m_n) = (thresholds.len(), rec_thresholds.len(), data.categories.len(), 4, 3);
    // precision[t][r][k][a][m], recall[t][k][a][m], −1 where undefined.
    let mut precision = vec![-1.0; t_n * r_n * k_n * a_n * m_n];
    let mut recall = vec![-1.0; t_n * k_n * a_n * m_n];
    let p_at = |t: usize, r: usize, k: usize, a: usize, m: usize| (((t * r_n + r) * k_n + k) * a_n + a) * m_n + m;
    let r_at = |t: usize, k: usize, a: usize, m: usize| ((t * k_n + k) * a_n + a) * m_n + m;
    // Group by (category, image).
    let mut gt_by: BTreeMap<(u32, u32), Vec<&GtBox>> = BTreeMap::new();
    for g in data.gt {
        gt_by.entry((g.category, g.image)).or_default().push(g);
    }
    let mut dt_by: BTreeMap<(u32, u32), Vec<&Detection>> = BTreeMap::new();
    for d in data.dt {
        dt_by.entry((d.category, d.image)).or_default().push(d);
    }
    for k in 0..k_n as u32 {
        for (a, &range) in AREA_RANGES.iter().enumerate() {
            // pycocotools evaluates each image at the largest max_det, then slices per max_det.
            let evals: Vec<ImageEval> = (0..data.images as u32)
                .filter_map(|img| {
                    let g = gt_by.get(&(k, img)).map_or(&[][..], |v| v.as_slice());
                    let d = dt_by.get(&(k, img)).map_or(&[][..], |v| v.as_slice());
                    evaluate_image(g, d, range, &thresholds, MAX_DETS[m_n - 1])
                })
                .collect();
            let npig: usize = evals.iter().map(|e| e.gt_counted).sum();
            if npig == 0 {
                continue;
            }
            for (m, &max_det) in MAX_DETS.iter().enumerate() {
                // Concatenate per image (first max_det of each), then sort by score, stable.
                let mut rows: Vec<(f64, usize, usize)> = Vec::new();
                for (ei, e) in evals.iter().enumerate() {
                    for di in 0..e.scores.len().min(max_det) {
                        rows.push((e.scores[di], ei, di));
                    }
                }
                rows.lean_sort_by(|x, y| y.0.total_cmp(&x.0));
                for t in 0..t_n {
                    let (mut tp, mut fp) = (0.0f64, 0.0f64);
                    let mut rc = Vec::with_capacity(rows.len());
                    let mut pr = Vec::with_capacity(rows.len());
                    for &(_, ei, di) in &rows {
                        let e = &evals[ei];
                        if e.ignored[t][di] {
                            // Ignored detections still occupy a position in pycocotools' cumulative arrays, with no
                            // change to tp or fp.
                        } else if e.matched[t][di] {
                            tp += 1.0;
                        } else {
                            fp += 1.0;
                        }
                        rc.push(tp / npig as f64);
                        pr.push(tp / (fp + tp + f64::EPSILON));
                    }
                    recall[r_at(t, k as usize, a, m)] = rc.last().copied().unwrap_or(0.0);
                    for i in (1..pr.len()).rev() {
                        if pr[i] > pr[i - 1] {
                            pr[i - 1] = pr[i];
                        }
                    }
                    for (ri, &rt) in rec_thresholds.iter().enumerate() {
                        let idx = rc.partition_point(|&v| v < rt);
                        precision[p_at(t, ri, k as usize, a, m)] = if idx < pr.len() { pr[idx] } else { 0.0 };
                    }
                }
            }
        }
    }
    let mean = |vals: &mut dyn Iterator<Item = f64>| {
        let (mut s, mut n) = (0.0, 0usize);
        for v in vals.filter(|&v| v > -1.0) {
            s += v;
            n += 1;
        }
        if n == 0 {
            -1.0
        } else {
            s / n as f64
        }
    };
    let ap = |t: Option<usize>, a: usize, m: usize| {
        let ts: Vec<usize> = t.map_or((0..t_n).collect(), |t| vec![t]);
        mean(
            &mut ts
                .into_iter()
                .flat_map(|t| (0..r_n).flat_map(move |r| (0..k_n).map(move |k| (t, r, k))))
                .map(|(t, r, k)| precision[p_at(t, r, k, a, m)]),
        )
    };
    let ar = |a: usize, m: usize| {
        mean(&mut (0..t_n).flat_map(|t| (0..k_n).map(move |k| (t, k))).map(|(t, k)| recall[r_at(t, k, a, m)]))
    };
    let per_category = (0..k_n)
        .map(|k| {
            let v = mean(
                &mut (0..t_n).flat_map(|t| (0..r_n).map(move |r| (t, r))).map(|(t, r)| precision[p_at(t, r, k, 0, 2)]),
            );
            (data.categories[k].clone(), CategoryAp { ap: v })
        })
        .collect();
    CocoEvalReport {
        AP: ap(None, 0, 2),
        AP50: ap(Some(0), 0, 2),
        AP75: ap(Some(5), 0, 2),
        AP_small: ap(None, 1, 2),
        AP_medium: ap(None, 2, 2),
        AP_large: ap(None, 3, 2),
        AR1: ar(0, 0),
        AR10: ar(0, 1),
        AR100: ar(0, 2),
        AR_small: ar(1, 2),
        AR_medium: ar(2, 2),
        AR_large: ar(3, 2),
        per_category,
    }
}
