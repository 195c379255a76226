//! Inter-annotator agreement on categorical labels: one file per measure, each citing its source and formula, and
//! [`categorical_report`], which computes every measure that applies (the `concord agreement` output).

pub(crate) mod item_counts;
mod item_patterns;

pub(crate) mod cohen;
pub(crate) mod cohen_interval;
pub(crate) mod fleiss;
pub(crate) mod fleiss_null;
pub(crate) mod hayes_krippendorff;
pub(crate) mod item_bootstrap;
pub(crate) mod krippendorff;
pub(crate) mod label_order;
pub(crate) mod pair_table;
pub(crate) mod pairwise;
pub(crate) mod pairwise_bootstrap;
pub(crate) mod per_label;
pub(crate) mod percent;
pub(crate) mod scott;

pub use krippendorff::{alpha, alpha_from, coincidences, Coincidences, Metric};
pub use pairwise_bootstrap::{pairwise_bootstrap, PairwiseInterval};
pub use per_label::{per_label, LabelAgreement};

use crate::sorting::{find_pair, LeanSort};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use cohen::{cohen_kappa, weighted_kappa, Weights};
pub use cohen_interval::{cohen_kappa_interval, weighted_kappa_interval, KappaInterval};
pub use fleiss::{fleiss, fleiss_kappa, Fleiss};
pub use fleiss_null::{fleiss_null_test, FleissNullTest};
pub use hayes_krippendorff::{hayes_krippendorff, PairBootstrap, QMin, Q_MIN_TABLE};
pub use item_bootstrap::{categorical_bootstrap, CategoricalBootstrap};
pub use label_order::{label_values, LabelOrderError};
pub use pair_table::{pair_table, PairTable};
pub use pairwise::{pairwise, PairAgreement};
pub use percent::percent_agreement;
pub use scott::scott_pi;

use crate::model::CategoricalTable;
use crate::resample::{BootstrapSettings, Distribution, Interval};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// Weighted κ (two annotators, ordered labels), by weighting.
pub struct WeightedKappa {
    /// With linear weights.
    pub linear: Option<f64>,
    /// With quadratic weights.
    pub quadratic: Option<f64>,
}

/// Weighted κ's standard errors and intervals, as [`WeightedKappa`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightedKappaInterval {
    /// With linear weights.
    pub linear: Option<KappaInterval>,
    /// With quadratic weights.
    pub quadratic: Option<KappaInterval>,
}

/// One figure of Krippendorff's α per distance metric; None where the metric does not apply (ordered metrics
/// need numeric labels or an explicit order) or the data cannot give it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ByMetric<T> {
    /// Nominal: any two different labels are equally far apart.
    pub nominal: Option<T>,
    /// Ordinal: distance by the ranks between two labels.
    pub ordinal: Option<T>,
    /// Interval: squared difference of the labels' values.
    pub interval: Option<T>,
    /// Ratio: squared difference relative to the sum of the values.
    pub ratio: Option<T>,
}

// Not derived: a derive would ask `T: Default`.
impl<T> Default for ByMetric<T> {
    fn default() -> Self {
        ByMetric { nominal: None, ordinal: None, interval: None, ratio: None }
    }
}

/// Hayes & Krippendorff's bootstrap of α for one metric: its interval, the pairs each replicate drew, and q, the
/// probability of failing to reach each minimum of their table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairBootstrapReport {
    /// The percentile interval of α*.
    pub interval: Interval,
    /// Pairs of values drawn per replicate (M).
    pub pairs_drawn: u64,
    /// q for each minimum of Hayes & Krippendorff's table.
    pub q_min: Vec<QMin>,
}

/// How a report's bootstrap intervals were drawn (`--replicates`, `--seed`, `--level`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BootstrapEcho {
    /// Replicates drawn.
    pub replicates: usize,
    /// The seed they were drawn with.
    pub seed: u64,
    /// The intervals' nominal coverage, e.g. 0.95.
    pub level: f64,
}

impl From<BootstrapSettings> for BootstrapEcho {
    fn from(s: BootstrapSettings) -> Self {
        BootstrapEcho { replicates: s.replicates, seed: s.seed, level: s.level }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// Agreement between two annotators over the items they share.
pub struct PairReport {
    /// One annotator (the name that sorts first).
    pub a: String,
    /// The other annotator.
    pub b: String,
    /// Items both labelled.
    pub items: u64,
    /// Share of those items where they gave the same label.
    pub percent_agreement: f64,
    /// Cohen's κ on those items.
    pub cohen_kappa: Option<f64>,
    /// Item bootstrap over the items the pair shares.
    pub percent_agreement_interval: Option<Interval>,
    /// Item bootstrap of Cohen's κ over the items the pair shares.
    pub cohen_kappa_interval: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// Agreement on one label.
pub struct LabelReport {
    /// Annotations with this label.
    pub count: u64,
    /// Specific agreement: of the pairs of labels on an item that involve this label, the share where both are it.
    pub specific_agreement: Option<f64>,
    /// Fleiss' κ of this label against all others (when Fleiss' κ applies).
    pub fleiss_kappa: Option<f64>,
    /// Item bootstrap.
    pub specific_agreement_interval: Option<Interval>,
    /// Item bootstrap.
    pub fleiss_kappa_interval: Option<Interval>,
}

/// Every categorical agreement measure; a measure that does not apply is `None` (JSON `null`):
/// Cohen, Scott and weighted kappa need exactly two annotators; Fleiss needs the same number (≥ 2) of labels on
/// every item; ordinal, interval and ratio alpha and weighted kappa need ordered labels (all numeric, or an
/// explicit order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoricalReport {
    /// Items with at least one label.
    pub items: usize,
    /// Annotators with at least one label.
    pub annotators: usize,
    /// Labels given.
    pub annotations: usize,
    /// The labels, numerically ordered when all are numbers, else alphabetically.
    pub labels: Vec<String>,
    /// Share of pairs of labels on an item that agree, over items with at least two labels.
    pub percent_agreement: Option<f64>,
    /// Cohen's κ (exactly two annotators).
    pub cohen_kappa: Option<f64>,
    /// Cohen's κ's asymptotic standard error and 95 % interval (Fleiss, Cohen & Everitt 1969; statsmodels').
    pub cohen_kappa_interval: Option<KappaInterval>,
    /// Weighted κ (two annotators, ordered labels).
    pub weighted_kappa: WeightedKappa,
    /// Weighted κ's asymptotic standard errors and intervals.
    pub weighted_kappa_interval: WeightedKappaInterval,
    /// Scott's π (exactly two annotators).
    pub scott_pi: Option<f64>,
    /// Fleiss' κ (the same number of labels on every item).
    pub fleiss_kappa: Option<f64>,
    /// Fleiss' κ against chance: its standard error under κ = 0 and z (Fleiss, Nee & Landis 1979).
    pub fleiss_kappa_test: Option<FleissNullTest>,
    /// Krippendorff's α by metric.
    pub krippendorff_alpha: ByMetric<f64>,
    /// Every pair of annotators who share an item, by name.
    pub pairwise: Vec<PairReport>,
    /// Per label, by name.
    pub per_label: BTreeMap<String, LabelReport>,
    /// The settings of the intervals below; `None`, and every interval with it, when the report was made without.
    pub bootstrap: Option<BootstrapEcho>,
    /// Item bootstrap (`item_bootstrap.rs`).
    pub percent_agreement_interval: Option<Interval>,
    /// Item bootstrap (`item_bootstrap.rs`).
    pub fleiss_kappa_interval: Option<Interval>,
    /// Item bootstrap (`item_bootstrap.rs`): the interval the pilot gate reads.
    pub krippendorff_alpha_interval: ByMetric<Interval>,
    /// Hayes & Krippendorff's bootstrap over pairs of values (`hayes_krippendorff.rs`), with their q table.
    pub krippendorff_alpha_hayes_krippendorff: ByMetric<PairBootstrapReport>,
    /// The item bootstrap's replicates of nominal α, for the pilot gate's risk rule. Not printed.
    #[serde(skip)]
    pub alpha_replicates: Option<Distribution>,
}

/// Computes the report. `order` is an explicit label order for the ordered measures; an order that misses a
/// label present in the data is an error.
pub fn categorical_report(
    table: &CategoricalTable,
    order: Option<&[String]>,
) -> Result<CategoricalReport, LabelOrderError> {
    let values = label_values(&table.labels, order)?;
    Ok(report_with_values(table, values.as_deref()))
}

/// The report, given each label's value for the ordered measures (None: labels without an order).
fn report_with_values(table: &CategoricalTable, values: Option<&[f64]>) -> CategoricalReport {
    let two = (table.n_annotators() == 2).then(|| pair_table(table, 0, 1));
    let co = coincidences(table);
    let fl = fleiss(table);
    let name = |a: u32| table.annotators.name(a).to_string();
    let mut pairs: Vec<PairReport> = pairwise(table)
        .into_iter()
        .map(|p| {
            let (a, b) = if name(p.a) <= name(p.b) { (name(p.a), name(p.b)) } else { (name(p.b), name(p.a)) };
            PairReport {
                a,
                b,
                items: p.items,
                percent_agreement: p.percent_agreement,
                cohen_kappa: p.cohen_kappa,
                percent_agreement_interval: None,
                cohen_kappa_interval: None,
            }
        })
        .collect();
    pairs.lean_sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    let per_label = per_label::per_label(table, fl.as_ref())
        .into_iter()
        .map(|l| {
            let r = LabelReport {
                count: l.count,
                specific_agreement: l.specific_agreement,
                fleiss_kappa: l.fleiss_kappa,
                specific_agreement_interval: None,
                fleiss_kappa_interval: None,
            };
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
    CategoricalReport {
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
        krippendorff_alpha: ByMetric {
            nominal: krippendorff::alpha_from(&co, Metric::Nominal, None),
            ordinal: values.and_then(|v| krippendorff::alpha_from(&co, Metric::Ordinal, Some(v))),
            interval: values.and_then(|v| krippendorff::alpha_from(&co, Metric::Interval, Some(v))),
            ratio: values.and_then(|v| krippendorff::alpha_from(&co, Metric::Ratio, Some(v))),
        },
        pairwise: pairs,
        per_label,
        bootstrap: None,
        percent_agreement_interval: None,
        fleiss_kappa_interval: None,
        krippendorff_alpha_interval: ByMetric::default(),
        krippendorff_alpha_hayes_krippendorff: ByMetric::default(),
        alpha_replicates: None,
    }
}

/// [`categorical_report`] with a bootstrap interval next to each figure that has one: the item bootstrap for
/// percent agreement, α, Fleiss' κ, each label and each pair; Hayes & Krippendorff's for α as well. Cohen's and
/// weighted κ keep their asymptotic intervals. `progress(done, total)`: the item bootstrap's replicates, then the
/// pairs' share of as many again.
pub fn categorical_report_with_intervals(
    table: &CategoricalTable,
    order: Option<&[String]>,
    settings: BootstrapSettings,
    mut progress: impl FnMut(usize, usize),
) -> Result<CategoricalReport, LabelOrderError> {
    let values = label_values(&table.labels, order)?;
    let values = values.as_deref();
    let mut report = report_with_values(table, values);
    let level = settings.level;
    let interval = |d: &Distribution| d.interval(level);
    report.bootstrap = Some(settings.into());
    let total = 2 * settings.replicates;
    if let Some(b) = categorical_bootstrap(table, values, settings, |done| progress(done, total)) {
        report.percent_agreement_interval = interval(&b.percent_agreement);
        report.fleiss_kappa_interval = b.fleiss_kappa.as_ref().and_then(interval);
        let [nominal, ordinal, interval_metric, ratio] = b.alpha.each_ref().map(|d| d.as_ref().and_then(interval));
        report.krippendorff_alpha_interval = ByMetric { nominal, ordinal, interval: interval_metric, ratio };
        let [alpha_nominal, ..] = b.alpha;
        report.alpha_replicates = alpha_nominal;
        for (id, name) in table.labels.names().enumerate() {
            if let Some(l) = report.per_label.get_mut(name) {
                l.specific_agreement_interval = b.specific_agreement.get(id).and_then(interval);
                l.fleiss_kappa_interval = b.label_fleiss_kappa.get(id).and_then(interval);
            }
        }
    }
    let hk = |metric| {
        hayes_krippendorff(table, metric, values, settings, |_| {}).and_then(|b| {
            Some(PairBootstrapReport {
                interval: b.distribution.interval(level)?,
                pairs_drawn: b.pairs_drawn,
                q_min: b.q_table(&Q_MIN_TABLE),
            })
        })
    };
    report.krippendorff_alpha_hayes_krippendorff = ByMetric {
        nominal: hk(Metric::Nominal),
        ordinal: values.and_then(|_| hk(Metric::Ordinal)),
        interval: values.and_then(|_| hk(Metric::Interval)),
        ratio: values.and_then(|_| hk(Metric::Ratio)),
    };
    let reps = settings.replicates;
    let pairs = pairwise_bootstrap::pairwise_bootstrap(table, settings, |done, pairs| {
        // At most every 2 % of the pairs: a crowd of annotators has thousands of pairs.
        if done == pairs || done % (pairs / 50).max(1) == 0 {
            progress(reps + reps * done / pairs, total)
        }
    });
    for p in &pairs {
        let (a, b) = (table.annotators.name(p.a), table.annotators.name(p.b));
        if let Some(at) = find_pair(&report.pairwise, |r| (r.a.as_str(), r.b.as_str()), a, b) {
            let r = &mut report.pairwise[at];
            r.percent_agreement_interval = interval(&p.percent_agreement);
            r.cohen_kappa_interval = interval(&p.cohen_kappa);
        }
    }
    Ok(report)
}
