//! Inter-annotator agreement on categorical labels: one file per measure, each citing its source and formula, and
//! [`categorical_report`], which computes every measure that applies (the `concord agreement` output).

mod item_counts;

pub mod cohen;
pub mod cohen_interval;
pub mod fleiss;
pub mod fleiss_null;
pub mod krippendorff;
pub mod label_order;
pub mod pair_table;
pub mod pairwise;
pub mod per_label;
pub mod percent;
pub mod scott;

use crate::sorting::LeanSort;
use std::collections::BTreeMap;

use serde::Serialize;

pub use cohen::{cohen_kappa, weighted_kappa, Weights};
pub use cohen_interval::{cohen_kappa_interval, weighted_kappa_interval, KappaInterval};
pub use fleiss::{fleiss, fleiss_kappa, Fleiss};
pub use fleiss_null::{fleiss_null_test, FleissNullTest};
pub use krippendorff::{alpha, coincidences, Metric};
pub use label_order::label_values;
pub use pair_table::{pair_table, PairTable};
pub use pairwise::{pairwise, PairAgreement};
pub use percent::percent_agreement;
pub use scott::scott_pi;

use crate::model::CategoricalTable;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedKappa {
    pub linear: Option<f64>,
    pub quadratic: Option<f64>,
}

/// Weighted κ's standard errors and intervals, as [`WeightedKappa`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedKappaInterval {
    pub linear: Option<KappaInterval>,
    pub quadratic: Option<KappaInterval>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlphaByMetric {
    pub nominal: Option<f64>,
    pub ordinal: Option<f64>,
    pub interval: Option<f64>,
    pub ratio: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairReport {
    pub a: String,
    pub b: String,
    pub items: u64,
    pub percent_agreement: f64,
    pub cohen_kappa: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelReport {
    pub count: u64,
    pub specific_agreement: Option<f64>,
    pub fleiss_kappa: Option<f64>,
}

/// Every categorical agreement measure; a measure that does not apply is `None` (JSON `null`):
/// Cohen, Scott and weighted kappa need exactly two annotators; Fleiss needs the same number (≥ 2) of labels on
/// every item; ordinal, interval and ratio alpha and weighted kappa need ordered labels (all numeric, or an
/// explicit order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoricalReport {
    pub items: usize,
    pub annotators: usize,
    pub annotations: usize,
    pub labels: Vec<String>,
    pub percent_agreement: Option<f64>,
    pub cohen_kappa: Option<f64>,
    /// Cohen's κ's asymptotic standard error and 95 % interval (Fleiss, Cohen & Everitt 1969; statsmodels').
    pub cohen_kappa_interval: Option<KappaInterval>,
    pub weighted_kappa: WeightedKappa,
    pub weighted_kappa_interval: WeightedKappaInterval,
    pub scott_pi: Option<f64>,
    pub fleiss_kappa: Option<f64>,
    /// Fleiss' κ against chance: its standard error under κ = 0 and z (Fleiss, Nee & Landis 1979).
    pub fleiss_kappa_test: Option<FleissNullTest>,
    pub krippendorff_alpha: AlphaByMetric,
    pub pairwise: Vec<PairReport>,
    pub per_label: BTreeMap<String, LabelReport>,
}

/// Computes the report. `order` is an explicit label order for the ordered measures; an order that misses a
/// label present in the data is an error.
pub fn categorical_report(table: &CategoricalTable, order: Option<&[String]>) -> Result<CategoricalReport, String> {
    let values = label_values(&table.labels, order)?;
    let values = values.as_deref();
    let two = (table.n_annotators() == 2).then(|| pair_table(table, 0, 1));
    let co = coincidences(table);
    let fl = fleiss(table);
    let name = |a: u32| table.annotators.name(a).to_string();
    let mut pairs: Vec<PairReport> = pairwise(table)
        .into_iter()
        .map(|p| {
            let (a, b) = if name(p.a) <= name(p.b) { (name(p.a), name(p.b)) } else { (name(p.b), name(p.a)) };
            PairReport { a, b, items: p.items, percent_agreement: p.percent_agreement, cohen_kappa: p.cohen_kappa }
        })
        .collect();
    pairs.lean_sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    let per_label = per_label::per_label(table, fl.as_ref())
        .into_iter()
        .map(|l| {
            let r =
                LabelReport { count: l.count, specific_agreement: l.specific_agreement, fleiss_kappa: l.fleiss_kappa };
            (table.labels.name(l.label).to_string(), r)
        })
        .collect();
    let mut labels: Vec<String> = table.labels.names().map(str::to_string).collect();
    if let Some(v) = values {
        let mut ids: Vec<usize> = (0..labels.len()).collect();
        ids.lean_sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        labels = ids.into_iter().map(|i| labels[i].clone()).collect();
    } else {
        labels.lean_sort();
    }
    Ok(CategoricalReport {
        items: table.n_items(),
        annotators: table.n_annotators(),
        annotations: table.n_annotations(),
        labels,
        percent_agreement: percent_agreement(table),
        cohen_kappa: two.as_ref().and_then(cohen_kappa),
        cohen_kappa_interval: two.as_ref().and_then(cohen_kappa_interval).map(|(_, ci)| ci),
        weighted_kappa_interval: WeightedKappaInterval {
            linear: two
                .as_ref()
                .zip(values)
                .and_then(|(t, v)| weighted_kappa_interval(t, v, Weights::Linear))
                .map(|(_, ci)| ci),
            quadratic: two
                .as_ref()
                .zip(values)
                .and_then(|(t, v)| weighted_kappa_interval(t, v, Weights::Quadratic))
                .map(|(_, ci)| ci),
        },
        weighted_kappa: WeightedKappa {
            linear: two.as_ref().zip(values).and_then(|(t, v)| weighted_kappa(t, v, Weights::Linear)),
            quadratic: two.as_ref().zip(values).and_then(|(t, v)| weighted_kappa(t, v, Weights::Quadratic)),
        },
        scott_pi: two.as_ref().and_then(scott_pi),
        fleiss_kappa_test: fl.as_ref().and_then(|f| fleiss_null_test(f, table.n_items())),
        fleiss_kappa: fl.map(|f| f.kappa),
        krippendorff_alpha: AlphaByMetric {
            nominal: krippendorff::alpha_from(&co, Metric::Nominal, None),
            ordinal: values.and_then(|v| krippendorff::alpha_from(&co, Metric::Ordinal, Some(v))),
            interval: values.and_then(|v| krippendorff::alpha_from(&co, Metric::Interval, Some(v))),
            ratio: values.and_then(|v| krippendorff::alpha_from(&co, Metric::Ratio, Some(v))),
        },
        pairwise: pairs,
        per_label,
    })
}
