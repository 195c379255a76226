//! Box agreement between every pair of annotators over the images both annotated. Per image and label, boxes are
//! matched one to one by an optimal assignment maximising total IoU among pairs with IoU ≥ t (see
//! `assignment.rs`); agreement F1 at t is `2 · matches / (|a| + |b|)` (symmetric), reported at t = 0.5 and 0.75,
//! with the mean IoU of the pairs matched at 0.5. With a bootstrap ([`box_agreement_with_intervals`]), each F1 gains
//! an interval over images: a replicate resamples the images, every pair's matches and boxes on an image travelling
//! with it (`resample::ratio_bootstrap`).

use crate::sorting::{find_pair, LeanSort};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::assignment::max_weight_pairs;
use crate::agreement::BootstrapEcho;
use crate::model::box_geometry::iou;
use crate::model::{BoxRec, BoxTable, Interner};
use crate::resample::{ratio_interval, BootstrapSettings, Interval};

/// The IoU thresholds a box or polygon match is counted at: 0.5 and 0.75.
pub const THRESHOLDS: [f64; 2] = [0.5, 0.75];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// Agreement between two annotators' boxes (or polygons) over the images they share.
pub struct BoxPair {
    /// One annotator (the name that sorts first).
    pub a: String,
    /// The other annotator.
    pub b: String,
    /// Images both annotated.
    pub images: u64,
    /// Regions of `a` on those images.
    pub boxes_a: u64,
    /// Regions of `b` on those images.
    pub boxes_b: u64,
    /// F1 of the one-to-one matching at IoU ≥ 0.5 (same label).
    pub f1_50: Option<f64>,
    /// F1 at IoU ≥ 0.75.
    pub f1_75: Option<f64>,
    /// Mean IoU of the pairs matched at 0.5.
    pub mean_iou_50: Option<f64>,
    /// F1 at 0.5's interval, over the images the pair shares.
    pub f1_50_interval: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// Agreement on one label, over every pair of annotators.
pub struct LabelBoxAgreement {
    /// F1 at IoU ≥ 0.5.
    pub f1_50: Option<f64>,
    /// F1 at IoU ≥ 0.75.
    pub f1_75: Option<f64>,
    /// Over images.
    pub f1_50_interval: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// Region agreement between annotators: pairwise and pooled F1 at IoU 0.5 and 0.75 (boxes, and polygons by their exact IoU).
pub struct BoxAgreementReport {
    /// Images with at least one annotator.
    pub images: usize,
    /// Annotators.
    pub annotators: usize,
    /// Regions drawn.
    pub boxes: usize,
    /// Every pair of annotators who share an image, by name.
    pub pairwise: Vec<BoxPair>,
    /// F1 at IoU ≥ 0.5, pooled over pairs.
    pub f1_50: Option<f64>,
    /// F1 at IoU ≥ 0.75, pooled over pairs.
    pub f1_75: Option<f64>,
    /// Per label, by name.
    pub per_label: BTreeMap<String, LabelBoxAgreement>,
    /// The bootstrap's settings; `None`, and every interval with it, without one.
    pub bootstrap: Option<BootstrapEcho>,
    /// Bootstrap over images.
    pub f1_50_interval: Option<Interval>,
    /// Bootstrap over images.
    pub f1_75_interval: Option<Interval>,
}

/// What each image adds to the F1s, for the bootstrap over images: (2 · matches, regions) at 0.5 and 0.75, per
/// ordered annotator pair (at 0.5), per label (at 0.5).
#[derive(Default)]
struct ImageUnits {
    at_50: Vec<(f64, f64)>,
    at_75: Vec<(f64, f64)>,
    pairs: BTreeMap<(u32, u32), Vec<(f64, f64)>>,
    labels: Vec<Vec<(f64, f64)>>,
}

/// What region agreement and consensus need of a region (a box, a polygon): who drew it, its label, and how much it
/// overlaps another region.
pub trait Shape {
    /// Who drew it.
    fn annotator(&self) -> u32;
    /// Its label's id.
    fn label(&self) -> u32;
    /// Its intersection over union with `other`.
    fn iou(&self, other: &Self) -> f64;
}

impl Shape for BoxRec {
    fn annotator(&self) -> u32 {
        self.annotator
    }
    fn label(&self) -> u32 {
        self.label
    }
    fn iou(&self, o: &Self) -> f64 {
        iou(&[self.x, self.y, self.w, self.h], &[o.x, o.y, o.w, o.h])
    }
}

/// Matches of `a` and `b` (same label) at each threshold, and the IoU sum of the 0.5 matches, per label.
fn match_counts<R: Shape>(a: &[R], b: &[R], per_label: &mut [[u64; 3]]) -> ([u64; 2], f64) {
    let mut matches = [0u64; 2];
    let mut iou_sum = 0.0;
    let mut labels: Vec<u32> = a.iter().chain(b).map(|x| x.label()).collect();
    labels.lean_sort();
    labels.dedup();
    for l in labels {
        let la: Vec<&R> = a.iter().filter(|x| x.label() == l).collect();
        let lb: Vec<&R> = b.iter().filter(|x| x.label() == l).collect();
        per_label[l as usize][2] += (la.len() + lb.len()) as u64;
        if la.is_empty() || lb.is_empty() {
            continue;
        }
        let ious: Vec<f64> = la.iter().flat_map(|x| lb.iter().map(move |y| x.iou(y))).collect();
        for (k, &t) in THRESHOLDS.iter().enumerate() {
            let w: Vec<f64> = ious.iter().map(|&v| if v >= t { v } else { 0.0 }).collect();
            let pairs = max_weight_pairs(&w, la.len(), lb.len());
            matches[k] += pairs.len() as u64;
            per_label[l as usize][k] += pairs.len() as u64;
            if k == 0 {
                iou_sum += pairs.iter().map(|&(i, j)| w[i * lb.len() + j]).sum::<f64>();
            }
        }
    }
    (matches, iou_sum)
}

/// Pairwise and pooled agreement of the boxes in `t` (no intervals).
pub fn box_agreement(t: &BoxTable) -> BoxAgreementReport {
    box_agreement_bootstrapped(t, None)
}

/// [`box_agreement`] with intervals over images next to each F1.
pub fn box_agreement_with_intervals(t: &BoxTable, settings: BootstrapSettings) -> BoxAgreementReport {
    box_agreement_bootstrapped(t, Some(settings))
}

fn box_agreement_bootstrapped(t: &BoxTable, settings: Option<BootstrapSettings>) -> BoxAgreementReport {
    region_agreement(
        Regions { items: &t.items, annotators: &t.annotators, labels: &t.labels, coverage: &t.coverage },
        t.regions.len(),
        |i, a| t.of(i, a),
        settings,
    )
}

/// The names and coverage of a region table (boxes or polygons).
pub struct Regions<'a> {
    /// Item (image) names.
    pub items: &'a Interner,
    /// Annotator names.
    pub annotators: &'a Interner,
    /// Label names.
    pub labels: &'a Interner,
    /// (item, annotator) pairs annotated, sorted.
    pub coverage: &'a [(u32, u32)],
}

/// Agreement of any kind of region: `of(item, annotator)` gives an annotator's regions on an item; `count` is the
/// number of regions in all; with `bootstrap`, intervals over images.
pub fn region_agreement<'r, R: Shape + 'r>(
    t: Regions,
    count: usize,
    of: impl Fn(u32, u32) -> &'r [R],
    bootstrap: Option<BootstrapSettings>,
) -> BoxAgreementReport {
    let n_ann = t.annotators.len();
    let n_lab = t.labels.len();
    let mut per_label = vec![[0u64; 3]; n_lab];
    let mut image_labels = vec![[0u64; 3]; if bootstrap.is_some() { n_lab } else { 0 }];
    let mut units = bootstrap.map(|_| ImageUnits { labels: vec![Vec::new(); n_lab], ..Default::default() });
    // (images, |a|, |b|, matches@50, matches@75, iou sum@50) per ordered annotator pair.
    let mut acc: BTreeMap<(u32, u32), (u64, u64, u64, [u64; 2], f64)> = BTreeMap::new();
    let mut start = 0;
    while start < t.coverage.len() {
        let item = t.coverage[start].0;
        let end = start + t.coverage[start..].iter().take_while(|c| c.0 == item).count();
        let who: Vec<u32> = t.coverage[start..end].iter().map(|c| c.1).collect();
        let mut image = (0.0, 0.0, 0.0);
        for x in 0..who.len() {
            for y in x + 1..who.len() {
                let (a, b) = (of(item, who[x]), of(item, who[y]));
                let labels = if units.is_some() { &mut image_labels } else { &mut per_label };
                let (m, s) = match_counts(a, b, labels);
                let regions = (a.len() + b.len()) as f64;
                image = (image.0 + 2.0 * m[0] as f64, image.1 + 2.0 * m[1] as f64, image.2 + regions);
                if let Some(u) = units.as_mut() {
                    u.pairs.entry((who[x], who[y])).or_default().push((2.0 * m[0] as f64, regions));
                }
                let e = acc.entry((who[x], who[y])).or_insert((0, 0, 0, [0, 0], 0.0));
                e.0 += 1;
                e.1 += a.len() as u64;
                e.2 += b.len() as u64;
                e.3[0] += m[0];
                e.3[1] += m[1];
                e.4 += s;
            }
        }
        if let Some(u) = units.as_mut() {
            u.at_50.push((image.0, image.2));
            u.at_75.push((image.1, image.2));
            for (l, c) in image_labels.iter_mut().enumerate() {
                if c[2] > 0 {
                    u.labels[l].push((2.0 * c[0] as f64, c[2] as f64));
                    for k in 0..3 {
                        per_label[l][k] += c[k];
                    }
                    *c = [0; 3];
                }
            }
        }
        start = end;
    }
    let f1 = |m: u64, total: u64| (total > 0).then(|| 2.0 * m as f64 / total as f64);
    let (mut all_m, mut all_total) = ([0u64; 2], 0u64);
    let mut pairwise: Vec<BoxPair> = acc
        .into_iter()
        .map(|((a, b), (images, na, nb, m, s))| {
            all_m[0] += m[0];
            all_m[1] += m[1];
            all_total += na + nb;
            let (mut an, mut bn, mut na, mut nb) = (t.annotators.name(a), t.annotators.name(b), na, nb);
            if an > bn {
                std::mem::swap(&mut an, &mut bn);
                std::mem::swap(&mut na, &mut nb);
            }
            BoxPair {
                a: an.to_string(),
                b: bn.to_string(),
                images,
                boxes_a: na,
                boxes_b: nb,
                f1_50: f1(m[0], na + nb),
                f1_75: f1(m[1], na + nb),
                mean_iou_50: (m[0] > 0).then(|| s / m[0] as f64),
                f1_50_interval: None,
            }
        })
        .collect();
    pairwise.lean_sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    let per_label = per_label
        .iter()
        .enumerate()
        .filter(|(_, c)| c[2] > 0)
        .map(|(l, c)| {
            let label = LabelBoxAgreement { f1_50: f1(c[0], c[2]), f1_75: f1(c[1], c[2]), f1_50_interval: None };
            (t.labels.name(l as u32).to_string(), label)
        })
        .collect();
    let mut report = BoxAgreementReport {
        images: t.items.len(),
        annotators: n_ann,
        boxes: count,
        pairwise,
        f1_50: f1(all_m[0], all_total),
        f1_75: f1(all_m[1], all_total),
        per_label,
        bootstrap: None,
        f1_50_interval: None,
        f1_75_interval: None,
    };
    if let (Some(settings), Some(units)) = (bootstrap, units) {
        add_intervals(&mut report, &t, &units, settings);
    }
    report
}

/// Each F1's interval over images, from what each image adds.
fn add_intervals(report: &mut BoxAgreementReport, t: &Regions, units: &ImageUnits, settings: BootstrapSettings) {
    let interval = |u: &[(f64, f64)], zero: u64, stream: u64| ratio_interval(u, zero, settings, stream);
    report.bootstrap = Some(settings.into());
    report.f1_50_interval = interval(&units.at_50, 0, 0);
    report.f1_75_interval = interval(&units.at_75, 0, 1);
    let images = units.at_50.len() as u64;
    for (l, u) in units.labels.iter().enumerate() {
        if let Some(r) = report.per_label.get_mut(t.labels.name(l as u32)) {
            r.f1_50_interval = interval(u, images - u.len() as u64, 2 + l as u64);
        }
    }
    let first = 2 + t.labels.len() as u64;
    for (k, ((a, b), u)) in units.pairs.iter().enumerate() {
        let (na, nb) = (t.annotators.name(*a), t.annotators.name(*b));
        if let Some(at) = find_pair(&report.pairwise, |p| (p.a.as_str(), p.b.as_str()), na, nb) {
            report.pairwise[at].f1_50_interval = interval(u, 0, first + k as u64);
        }
    }
}
