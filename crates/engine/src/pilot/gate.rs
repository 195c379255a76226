//! The pilot gate: does a pilot (calibration) batch's agreement let production start? It decides on the evidence,
//! not on a point: by default the lower bound of α's 95 % item-bootstrap interval must clear the project's minimum
//! (`workflow.pilot`, [`GateRule`]). With the decision come the rule that made it and what to talk about at
//! calibration: the labels and annotator pairs whose interval lies entirely below the minimum (real problems), apart
//! from those whose interval merely reaches below it (not enough evidence either way).

use serde::Serialize;

use crate::agreement::CategoricalReport;
use crate::bundle::GateRule;
use crate::resample::{Distribution, Interval};
use crate::sorting::LeanSort;

/// What the gate reads about α (nominal).
#[derive(Debug, Clone, Copy, Default)]
pub struct AlphaEvidence<'a> {
    /// α (nominal), the point estimate.
    pub alpha: Option<f64>,
    /// The item-bootstrap interval (`krippendorff_alpha_interval.nominal`).
    pub interval: Option<Interval>,
    /// Its replicates, for the risk rule.
    pub replicates: Option<&'a Distribution>,
}

/// A label's or a pair's figure next to the minimum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BelowMinimum {
    /// The label, or the pair as `a × b`.
    pub name: String,
    /// The figure.
    pub value: f64,
    /// Its interval, when the report has one.
    pub interval: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// The gate's decision, with what to discuss at calibration.
pub struct PilotGate {
    /// The minimum α production needs.
    pub min_agreement: f64,
    /// The rule that decides.
    pub rule: GateRule,
    /// α (nominal).
    pub alpha: Option<f64>,
    /// Its interval.
    pub interval: Option<Interval>,
    /// The share of bootstrap replicates of α below the minimum.
    pub probability_below: Option<f64>,
    /// Whether production may start.
    pub open: bool,
    /// The rule's reading of the evidence, in a sentence.
    pub reason: String,
    /// Labels (specific agreement) whose interval lies entirely below the minimum — or, without an interval, whose
    /// value does. Worst first.
    pub labels_below: Vec<BelowMinimum>,
    /// Labels whose interval contains the minimum: too little evidence to call. Lowest first.
    pub labels_uncertain: Vec<BelowMinimum>,
    /// Annotator pairs (Cohen's κ), as the labels.
    pub pairs_below: Vec<BelowMinimum>,
    /// Pairs whose κ interval contains the minimum.
    pub pairs_uncertain: Vec<BelowMinimum>,
}

/// `labels`: (label, specific agreement, its interval); `pairs`: (`a × b`, Cohen's κ, its interval).
pub fn pilot_gate(
    alpha: AlphaEvidence,
    labels: &[(String, Option<f64>, Option<Interval>)],
    pairs: &[(String, Option<f64>, Option<Interval>)],
    min_agreement: f64,
    rule: GateRule,
) -> PilotGate {
    let probability_below = alpha.replicates.and_then(|d| d.share_below(min_agreement));
    let (open, reason) = decide(alpha, probability_below, min_agreement, rule);
    let (labels_below, labels_uncertain) = split(labels, min_agreement);
    let (pairs_below, pairs_uncertain) = split(pairs, min_agreement);
    PilotGate {
        min_agreement,
        rule,
        alpha: alpha.alpha,
        interval: alpha.interval,
        probability_below,
        open,
        reason,
        labels_below,
        labels_uncertain,
        pairs_below,
        pairs_uncertain,
    }
}

/// The gate on a [`CategoricalReport`] made with intervals (`categorical_report_with_intervals`).
pub fn pilot_gate_for(report: &CategoricalReport, min_agreement: f64, rule: GateRule) -> PilotGate {
    let alpha = AlphaEvidence {
        alpha: report.krippendorff_alpha.nominal,
        interval: report.krippendorff_alpha_interval.nominal,
        replicates: report.alpha_replicates.as_ref(),
    };
    let labels: Vec<_> = report
        .per_label
        .iter()
        .map(|(l, r)| (l.clone(), r.specific_agreement, r.specific_agreement_interval))
        .collect();
    let pairs: Vec<_> =
        report.pairwise.iter().map(|p| (format!("{} × {}", p.a, p.b), p.cohen_kappa, p.cohen_kappa_interval)).collect();
    pilot_gate(alpha, &labels, &pairs, min_agreement, rule)
}

/// A report with the gate beside its figures, as `concord agreement --minimum M` and the package's
/// `agreement(…, {minimum})` print it: the report's fields, and `pilot_gate`.
#[derive(Debug, Clone, Serialize)]
pub struct ReportWithGate<'a> {
    #[serde(flatten)]
    /// The report.
    pub report: &'a CategoricalReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The gate, when a minimum was given.
    pub pilot_gate: Option<PilotGate>,
}

/// `report`, with the gate at `minimum` by `rule` when a minimum is given.
pub fn with_gate(report: &CategoricalReport, minimum: Option<f64>, rule: GateRule) -> ReportWithGate<'_> {
    ReportWithGate { report, pilot_gate: minimum.map(|m| pilot_gate_for(report, m, rule)) }
}

fn decide(alpha: AlphaEvidence, below: Option<f64>, min: f64, rule: GateRule) -> (bool, String) {
    let Some(a) = alpha.alpha else {
        return (false, "α is undefined (fewer than two labels on any item, or no variation): no evidence yet".into());
    };
    let shown = alpha
        .interval
        .map_or(String::new(), |i| format!(", {:.0} % interval [{:.3}, {:.3}]", 100.0 * i.level, i.low, i.high));
    match rule {
        GateRule::PointEstimate => {
            let open = a >= min;
            let verb = if open { "reaches" } else { "is below" };
            (open, format!("α = {a:.3}{shown} {verb} the minimum {min} (the point estimate decides)"))
        }
        GateRule::LowerBound => match alpha.interval {
            None => {
                (false, format!("α = {a:.3} has no interval (made without the bootstrap): the lower bound decides"))
            }
            Some(i) => {
                let open = i.low >= min;
                let verb = if open { "clears" } else { "does not clear" };
                (open, format!("α = {a:.3}{shown}: the lower bound {:.3} {verb} the minimum {min}", i.low))
            }
        },
        GateRule::Risk(risk) => match below {
            None => (false, format!("α = {a:.3} has no bootstrap replicates: P(α < {min}) cannot be read")),
            Some(p) => {
                let open = p <= risk;
                let verb = if open { "is within" } else { "exceeds" };
                (open, format!("α = {a:.3}{shown}: P(α < {min}) = {p:.3} {verb} the accepted risk {risk}"))
            }
        },
    }
}

/// (entirely below, interval containing the minimum), each lowest first.
fn split(figures: &[(String, Option<f64>, Option<Interval>)], min: f64) -> (Vec<BelowMinimum>, Vec<BelowMinimum>) {
    let (mut below, mut uncertain) = (Vec::new(), Vec::new());
    for (name, value, interval) in figures {
        let Some(value) = *value else { continue };
        let figure = BelowMinimum { name: name.clone(), value, interval: *interval };
        match interval {
            Some(i) if i.high < min => below.push(figure),
            Some(i) if i.low < min => uncertain.push(figure),
            None if value < min => below.push(figure),
            _ => {}
        }
    }
    for list in [&mut below, &mut uncertain] {
        list.lean_sort_by(|x, y| x.value.total_cmp(&y.value).then_with(|| x.name.cmp(&y.name)));
    }
    (below, uncertain)
}
