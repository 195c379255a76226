//! Did the guideline edit help? Per guideline version, the agreement of the labels made under it (Krippendorff's α,
//! nominal, over the items with at least two such labels) and, per guideline section:
//! - the error rate on gold of the labels made under the version (a label is filed under the section of the gold
//!   label it should have been: the section that tells how to get that item right);
//! - the pairwise agreement of those labels on the items the section governs (an item is filed under the section of
//!   its most given label, ties to the label first in alphabetical order): agreeing pairs of labels over all pairs.
//!
//! Versions in the order they were first used, so before/after reads left to right.

use crate::sorting::LeanSort;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::agreement::krippendorff::{alpha, Metric};
use crate::model::{CategoricalTable, Stamps, TableBuilder};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
/// Errors on gold and agreement for one guideline section under one version.
pub struct SectionFigures {
    /// Gold-checked labels filed under the section, and the wrong ones.
    pub checked: u64,
    /// Of those, wrong.
    pub wrong: u64,
    /// Pairs of labels on the section's items (two labels of one item, made under the version), and the agreeing ones.
    pub pairs: u64,
    /// Of those, agreeing.
    pub agreeing: u64,
}

impl SectionFigures {
    /// Error rate on gold.
    pub fn rate(&self) -> Option<f64> {
        (self.checked > 0).then(|| self.wrong as f64 / self.checked as f64)
    }
    /// Pairwise agreement.
    pub fn agreement(&self) -> Option<f64> {
        (self.pairs > 0).then(|| self.agreeing as f64 / self.pairs as f64)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// Figures of the labels made under one guideline version.
pub struct VersionFigures {
    /// The version.
    pub version: String,
    /// Stamped labels made under the version, and the items they cover.
    pub labels: u64,
    /// Items covered.
    pub items: u64,
    /// α (nominal) of those labels; `None` with fewer than two labels on any item.
    pub alpha: Option<f64>,
    /// Section → errors on gold and agreement ("" for labels that name no section).
    pub sections: BTreeMap<String, SectionFigures>,
    /// Gold-checked labels.
    pub checked: u64,
    /// Of those, wrong.
    pub wrong: u64,
}

/// `gold[item]` is the gold label id of each item of `table`; `label_sections` maps a label to its guideline
/// section (from the schema).
pub fn figures_by_version(
    table: &CategoricalTable,
    stamps: &Stamps,
    gold: &[Option<u32>],
    label_sections: &BTreeMap<String, String>,
) -> Vec<VersionFigures> {
    let mut per: BTreeMap<u32, (TableBuilder, VersionFigures)> = BTreeMap::new();
    for s in &stamps.rows {
        let i = s.item as usize;
        let Some(k) = table.annotators_of(i).iter().position(|&a| a == s.annotator) else { continue };
        let label = table.labels_of(i)[k];
        let (b, f) = per.entry(s.version).or_insert_with(|| {
            let f = VersionFigures {
                version: stamps.versions.name(s.version).to_string(),
                labels: 0,
                items: 0,
                alpha: None,
                sections: BTreeMap::new(),
                checked: 0,
                wrong: 0,
            };
            (TableBuilder::new(), f)
        });
        b.push(table.items.name(s.item), table.annotators.name(s.annotator), table.labels.name(label));
        f.labels += 1;
        if let Some(Some(truth)) = gold.get(i) {
            let section = label_sections.get(table.labels.name(*truth)).cloned().unwrap_or_default();
            let e = f.sections.entry(section).or_default();
            e.checked += 1;
            f.checked += 1;
            if label != *truth {
                e.wrong += 1;
                f.wrong += 1;
            }
        }
    }
    // Agreement per section: each version's labels grouped by item.
    let mut by_item: BTreeMap<(u32, u32), Vec<u32>> = BTreeMap::new();
    for s in &stamps.rows {
        let i = s.item as usize;
        if let Some(k) = table.annotators_of(i).iter().position(|&a| a == s.annotator) {
            by_item.entry((s.version, s.item)).or_default().push(table.labels_of(i)[k]);
        }
    }
    for ((version, _), labels) in &by_item {
        if labels.len() < 2 {
            continue;
        }
        let mut counts: Vec<(u32, u64)> = Vec::new();
        for &l in labels {
            match counts.iter_mut().find(|c| c.0 == l) {
                Some(c) => c.1 += 1,
                None => counts.push((l, 1)),
            }
        }
        let top = counts.iter().map(|c| c.1).max().unwrap_or(0);
        let lead = counts.iter().filter(|c| c.1 == top).map(|c| table.labels.name(c.0)).min().unwrap_or_default();
        let section = label_sections.get(lead).cloned().unwrap_or_default();
        let n = labels.len() as u64;
        if let Some((_, f)) = per.get_mut(version) {
            let e = f.sections.entry(section).or_default();
            e.pairs += n * (n - 1) / 2;
            e.agreeing += counts.iter().map(|c| c.1 * (c.1.saturating_sub(1)) / 2).sum::<u64>();
        }
    }
    let first_use: BTreeMap<String, i64> = stamps.versions_in_time().into_iter().collect();
    let mut out: Vec<VersionFigures> = per
        .into_values()
        .map(|(b, mut f)| {
            // Each (item, annotator) is stamped once, so the builder cannot meet a duplicate.
            if let Ok(t) = b.finish() {
                f.items = t.n_items() as u64;
                f.alpha = alpha(&t, Metric::Nominal, None);
            }
            f
        })
        .collect();
    out.lean_sort_by_key(|f| (first_use.get(&f.version).copied().unwrap_or(i64::MAX), f.version.clone()));
    out
}
