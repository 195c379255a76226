//! Quality control of accepted work: a seeded sample of the accepted items (default 10 %) is re-checked by a
//! reviewer, each failure with an error category; the batch's pass rate with its Wilson 95 % interval decides
//! whether the batch passes. The verdict is `fail` as soon as the interval's upper end is below the threshold
//! (more checks cannot save it), `pass` once every sampled item is checked and the pass rate reaches it.

use crate::sorting::LeanSort;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::gold::wilson::{wilson_interval, Z95};
use crate::model::ErrorCategory;
use crate::sampling::qc::simple_random;

/// One re-check of one sampled item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QcCheck {
    /// The item checked.
    pub item: String,
    /// Whether it passed.
    pub passed: bool,
    /// Required for a failure.
    pub category: Option<ErrorCategory>,
    /// The guideline section the failure goes against, if any.
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    /// The checker's comment.
    pub comment: String,
    /// Who checked it.
    pub checker: String,
}

/// The sampled items: `rate` of `items` (at least one when there are items), chosen by `seed`, in `items` order.
pub fn qc_sample(items: &[String], rate: f64, seed: u64) -> Vec<String> {
    qc_sample_of(items.iter(), rate, seed).into_iter().cloned().collect()
}

/// [`qc_sample`] of items walked once, borrowed: review mode samples the keys of its consensus map this way
/// instead of copying 200,000 names into a list first.
pub fn qc_sample_of<'a, T>(items: impl ExactSizeIterator<Item = &'a T>, rate: f64, seed: u64) -> Vec<&'a T> {
    let n = items.len();
    let mut picked = simple_random(n, rate, seed);
    if picked.is_empty() && n > 0 && rate > 0.0 {
        // A small batch still gets one check.
        picked = simple_random(n, 1.0 / n as f64, seed);
    }
    picked.lean_sort();
    let mut next = picked.into_iter().peekable();
    items.enumerate().filter(|&(k, _)| next.next_if_eq(&k).is_some()).map(|(_, item)| item).collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// A batch's QC: the sample, the checks so far, the pass rate with its interval, and the verdict.
pub struct QcReport {
    /// Items in the sample.
    pub sampled: usize,
    /// Of those, checked.
    pub checked: usize,
    /// Of those, passed.
    pub passed: usize,
    /// `passed / checked`.
    pub pass_rate: Option<f64>,
    /// Wilson 95 % interval of the pass rate.
    pub pass_rate_ci95: Option<[f64; 2]>,
    /// The pass rate the batch needs.
    pub threshold: f64,
    /// `pass`, `fail` or `open`.
    pub verdict: &'static str,
    /// Failures per category.
    pub categories: BTreeMap<&'static str, usize>,
}

/// The batch's QC from the checks of its sample (a later check of an item replaces an earlier one; checks of items
/// outside the sample do not count).
pub fn qc_report(sample: &[String], checks: &[QcCheck], threshold: f64) -> QcReport {
    let in_sample: std::collections::BTreeSet<&str> = sample.iter().map(String::as_str).collect();
    let mut last: BTreeMap<&str, &QcCheck> = BTreeMap::new();
    for c in checks.iter().filter(|c| in_sample.contains(c.item.as_str())) {
        last.insert(&c.item, c);
    }
    let checked = last.len();
    let passed = last.values().filter(|c| c.passed).count();
    let mut categories = BTreeMap::new();
    for c in last.values().filter(|c| !c.passed) {
        *categories.entry(c.category.map_or("uncategorised", ErrorCategory::name)).or_insert(0) += 1;
    }
    let ci = wilson_interval(passed as u64, checked as u64, Z95).map(|(a, b)| [a, b]);
    let pass_rate = (checked > 0).then(|| passed as f64 / checked as f64);
    let verdict = match (ci, pass_rate) {
        (Some([_, hi]), _) if hi < threshold => "fail",
        (_, Some(r)) if checked == sample.len() && r >= threshold => "pass",
        (_, Some(_)) if checked == sample.len() => "fail",
        _ => "open",
    };
    QcReport { sampled: sample.len(), checked, passed, pass_rate, pass_rate_ci95: ci, threshold, verdict, categories }
}

/// A batch's pass rate from its checks alone (latest check per item): (passed, checked, Wilson 95 % interval) —
/// for comparing batches, whatever their samples were.
pub fn pass_rate(checks: &[QcCheck]) -> (usize, usize, Option<[f64; 2]>) {
    let mut last: BTreeMap<&str, bool> = BTreeMap::new();
    for c in checks {
        last.insert(&c.item, c.passed);
    }
    let passed = last.values().filter(|p| **p).count();
    let ci = wilson_interval(passed as u64, last.len() as u64, Z95).map(|(a, b)| [a, b]);
    (passed, last.len(), ci)
}

/// The disagreements of a pilot under one guideline section, for the calibration meeting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionDisagreements {
    /// The section that defines one of the labels given (`(none)` for a label without one).
    pub section: String,
    /// Items where annotators gave different labels, one of which belongs to this section.
    pub items: usize,
    /// (label, label, annotator pairs who split this way), most frequent first.
    pub confusions: Vec<(String, String, usize)>,
    /// The first few such items, by name.
    pub examples: Vec<String>,
}

/// Groups the items with different labels by the guideline sections of the labels given (`label_sections`: label
/// → section, from the schema): an item split between `milk` (§ Dairy) and `juice` (§ Drinks) is a question for
/// both sections. Most items first, then by section.
pub fn disagreements_by_section(
    table: &crate::model::CategoricalTable,
    label_sections: &BTreeMap<String, String>,
) -> Vec<SectionDisagreements> {
    const EXAMPLES: usize = 5;
    let section_of = |l: u32| -> String {
        label_sections.get(table.labels.name(l)).filter(|s| !s.is_empty()).cloned().unwrap_or_else(|| "(none)".into())
    };
    let mut groups: BTreeMap<String, (usize, BTreeMap<(u32, u32), usize>, Vec<String>)> = BTreeMap::new();
    for i in 0..table.n_items() {
        let labels = table.labels_of(i);
        if labels.len() < 2 || labels.iter().all(|&l| l == labels[0]) {
            continue;
        }
        let mut pairs: BTreeMap<(u32, u32), usize> = BTreeMap::new();
        for (x, &a) in labels.iter().enumerate() {
            for &b in &labels[x + 1..] {
                if a != b {
                    *pairs.entry((a.min(b), a.max(b))).or_default() += 1;
                }
            }
        }
        let mut sections: Vec<String> = labels.iter().map(|&l| section_of(l)).collect();
        sections.lean_sort();
        sections.dedup();
        for s in sections {
            let g = groups.entry(s.clone()).or_default();
            g.0 += 1;
            if g.2.len() < EXAMPLES {
                g.2.push(table.items.name(i as u32).to_string());
            }
            for (&(a, b), &n) in &pairs {
                if section_of(a) == s || section_of(b) == s {
                    *g.1.entry((a, b)).or_default() += n;
                }
            }
        }
    }
    let mut out: Vec<SectionDisagreements> = groups
        .into_iter()
        .map(|(section, (items, pairs, examples))| {
            let mut confusions: Vec<(String, String, usize)> = pairs
                .into_iter()
                .map(|((a, b), n)| (table.labels.name(a).to_string(), table.labels.name(b).to_string(), n))
                .collect();
            confusions.lean_sort_by(|x, y| y.2.cmp(&x.2).then_with(|| (&x.0, &x.1).cmp(&(&y.0, &y.1))));
            SectionDisagreements { section, items, confusions, examples }
        })
        .collect();
    out.lean_sort_by(|a, b| b.items.cmp(&a.items).then_with(|| a.section.cmp(&b.section)));
    out
}
