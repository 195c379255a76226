//! Errors found in review and QC, counted by category (a Pareto chart: the few categories that make most errors
//! first) and by guideline section (which parts of the guidelines are misread).

use crate::sorting::LeanSort;
use std::collections::BTreeMap;

use serde::Serialize;

use super::queue::{latest_reviews, Review, Verdict};
use crate::model::ErrorCategory;
use crate::qc::QcCheck;

#[derive(Debug, Clone, PartialEq, Serialize)]
/// One bar of the Pareto chart of error categories.
pub struct ParetoBar {
    /// The category.
    pub category: &'static str,
    /// Errors of that category.
    pub count: usize,
    /// This category's share of all errors, and the running total of shares down to it.
    pub share: f64,
    /// Running total of shares, down to this bar.
    pub cumulative: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// Errors filed under one guideline section.
pub struct SectionErrors {
    /// The guideline section (`(none)` when the reviewer named none).
    pub section: String,
    /// Errors in all.
    pub errors: usize,
    /// Errors against this section per checked annotation or item.
    pub rate: f64,
    /// Errors per category.
    pub categories: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// Reviewers' and QC checkers' errors: by category (Pareto) and by guideline section.
pub struct ErrorTally {
    /// Reviewed annotations plus QC-checked items (latest verdict of each).
    pub checked: usize,
    /// Errors in all.
    pub errors: usize,
    /// Most frequent category first (ties by name).
    pub pareto: Vec<ParetoBar>,
    /// Most errors first (ties by name).
    pub sections: Vec<SectionErrors>,
}

/// The section of errors filed under none.
pub const NO_SECTION: &str = "(none)";

/// Errors are fixes and rejections in review and failed QC checks; the latest verdict per annotation (review) and
/// per item (QC) counts.
pub fn error_tally(reviews: &[Review], checks: &[QcCheck]) -> ErrorTally {
    let latest = latest_reviews(reviews);
    let mut last_check: BTreeMap<&str, &QcCheck> = BTreeMap::new();
    for c in checks {
        last_check.insert(&c.item, c);
    }
    let mut found: Vec<(Option<ErrorCategory>, &str)> = Vec::new();
    for r in latest.values().filter(|r| r.verdict != Verdict::Accept) {
        found.push((r.category, &r.section));
    }
    for c in last_check.values().filter(|c| !c.passed) {
        found.push((c.category, &c.section));
    }
    let checked = latest.len() + last_check.len();
    let errors = found.len();
    let name = |c: Option<ErrorCategory>| c.map_or("uncategorised", ErrorCategory::name);
    let mut by_category: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut by_section: BTreeMap<&str, BTreeMap<&'static str, usize>> = BTreeMap::new();
    for &(c, section) in &found {
        *by_category.entry(name(c)).or_default() += 1;
        let section = if section.trim().is_empty() { NO_SECTION } else { section.trim() };
        *by_section.entry(section).or_default().entry(name(c)).or_default() += 1;
    }
    let mut bars: Vec<(&'static str, usize)> = by_category.into_iter().collect();
    bars.lean_sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut running = 0;
    let pareto = bars
        .into_iter()
        .map(|(category, count)| {
            running += count;
            ParetoBar {
                category,
                count,
                share: count as f64 / errors as f64,
                cumulative: running as f64 / errors as f64,
            }
        })
        .collect();
    let mut sections: Vec<SectionErrors> = by_section
        .into_iter()
        .map(|(section, categories)| {
            let n: usize = categories.values().sum();
            SectionErrors { section: section.to_string(), errors: n, rate: n as f64 / checked as f64, categories }
        })
        .collect();
    sections.lean_sort_by(|a, b| b.errors.cmp(&a.errors).then_with(|| a.section.cmp(&b.section)));
    ErrorTally { checked, errors, pareto, sections }
}
