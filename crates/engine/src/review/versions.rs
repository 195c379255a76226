//! Did the guideline edit help? Per guideline version, the agreement of the labels made under it (Krippendorff's α,
//! nominal, over the items with at least two such labels) and, per guideline section:
//! - the error rate on gold of the labels made under the version (a label is filed under the section of the gold
//!   label it should have been: the section that tells how to get that item right);
//! - the pairwise agreement of those labels on the items the section governs (an item is filed under the section of
//!   its most given label, ties to the label first in alphabetical order): agreeing pairs of labels over all pairs.
//!
//! Versions in the order they were first used, so before/after reads left to right.

use crate::sorting::{radix_sort_by_key, LeanSort};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::agreement::item_counts::UnitCounts;
use crate::agreement::krippendorff::{alpha_from, Coincidences, Metric};
use crate::model::{CategoricalTable, Stamps};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
/// section (from the schema). One pass over the stamps by ids, grouped by (version, item) with a radix sort.
pub fn figures_by_version(
    table: &CategoricalTable,
    stamps: &Stamps,
    gold: &[Option<u32>],
    label_sections: &BTreeMap<String, String>,
) -> Vec<VersionFigures> {
    let n_labels = table.n_labels();
    // Sections by number, so that counting a label costs no name: `section_of[label]` indexes `sections`.
    let mut sections: Vec<&str> = Vec::new();
    let section_of: Vec<usize> = (0..n_labels as u32)
        .map(|l| {
            let name = label_sections.get(table.labels.name(l)).map_or("", String::as_str);
            sections.iter().position(|&s| s == name).unwrap_or_else(|| {
                sections.push(name);
                sections.len() - 1
            })
        })
        .collect();
    // (version, item, label) of each stamped label the table holds.
    let found: Vec<(u32, u32, u32)> = stamps
        .rows
        .iter()
        .filter_map(|s| {
            let i = s.item as usize;
            let k = table.annotators_of(i).iter().position(|&a| a == s.annotator)?;
            Some((s.version, s.item, table.labels_of(i)[k]))
        })
        .collect();
    let mut order: Vec<u32> = (0..found.len() as u32).collect();
    radix_sort_by_key(&mut order, |k| {
        let (version, item, _) = found[k as usize];
        (u64::from(version) << 32) | u64::from(item)
    });
    let mut built: Vec<Building> = Vec::new();
    let mut unit = UnitCounts::over(n_labels);
    let key = |k: u32| (found[k as usize].0, found[k as usize].1);
    for group in order.chunk_by(|&a, &b| key(a) == key(b)) {
        let (version, item) = key(group[0]);
        if built.last().is_none_or(|b| b.version != version) {
            built.push(Building::new(version, stamps.versions.name(version), n_labels, sections.len()));
        }
        let f = built.last_mut().expect("pushed above");
        for &k in group {
            let label = found[k as usize].2;
            f.figures.labels += 1;
            if let Some(Some(truth)) = gold.get(item as usize) {
                let wrong = u64::from(label != *truth);
                let e = f.section(section_of[*truth as usize]);
                e.checked += 1;
                e.wrong += wrong;
                f.figures.checked += 1;
                f.figures.wrong += wrong;
            }
        }
        f.figures.items += 1;
        let m = group.len() as u32;
        let (distinct, counts) = unit.count(group.iter().map(|&k| found[k as usize].2));
        f.co.add_unit(m, distinct.iter().map(|&c| (c, counts[c as usize])), 1.0);
        if m >= 2 {
            // The item is filed under the section of its most given label, ties to the first by name.
            let top = distinct.iter().map(|&c| counts[c as usize]).max().unwrap_or(0);
            let lead = distinct
                .iter()
                .filter(|&&c| counts[c as usize] == top)
                .min_by_key(|&&c| table.labels.name(c))
                .expect("a unit of two labels has a most given one");
            let e = f.section(section_of[*lead as usize]);
            let n = u64::from(m);
            e.pairs += n * (n - 1) / 2;
            e.agreeing += distinct.iter().map(|&c| u64::from(counts[c as usize])).map(|c| c * (c - 1) / 2).sum::<u64>();
        }
    }
    let first_use: BTreeMap<String, i64> = stamps.versions_in_time().into_iter().collect();
    let mut out: Vec<VersionFigures> = built
        .into_iter()
        .map(|b| {
            let named = sections.iter().zip(b.sections).filter_map(|(name, e)| Some((name.to_string(), e?)));
            VersionFigures {
                alpha: alpha_from(&b.co.totalled(), Metric::Nominal, None),
                sections: named.collect(),
                ..b.figures
            }
        })
        .collect();
    out.lean_sort_by_key(|f| (first_use.get(&f.version).copied().unwrap_or(i64::MAX), f.version.clone()));
    out
}

/// One version's figures while its labels are counted: its sections by number (those met so far), and the
/// coincidences its α comes from.
struct Building {
    version: u32,
    figures: VersionFigures,
    sections: Vec<Option<SectionFigures>>,
    co: Coincidences,
}

impl Building {
    fn section(&mut self, k: usize) -> &mut SectionFigures {
        self.sections[k].get_or_insert_with(SectionFigures::default)
    }

    fn new(version: u32, name: &str, n_labels: usize, n_sections: usize) -> Building {
        let figures = VersionFigures {
            version: name.to_string(),
            labels: 0,
            items: 0,
            alpha: None,
            sections: BTreeMap::new(),
            checked: 0,
            wrong: 0,
        };
        Building { version, figures, sections: vec![None; n_sections], co: Coincidences::over(n_labels) }
    }
}
