//! The parts of the engine's reports the widgets show, as `concord-qa` returns them (the CLI's JSON). Fields a
//! widget does not show are ignored, so a newer report still renders.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Violation {
    pub rule: String,
    pub severity: String,
    pub message: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub control: Option<String>,
    #[serde(default)]
    pub region: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PanelData {
    pub violations: Vec<Violation>,
    #[serde(default)]
    pub heading: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    pub items: u64,
    pub percent_agreement: Option<f64>,
    pub cohen_kappa: Option<f64>,
    /// Bootstrap intervals, when the report was made with them.
    #[serde(default)]
    pub percent_agreement_interval: Option<Bounds>,
    #[serde(default)]
    pub cohen_kappa_interval: Option<Bounds>,
}

/// An interval's ends (the engine's `Interval`, of which the widgets show only these).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Bounds {
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Alpha {
    pub nominal: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct AlphaBounds {
    pub nominal: Option<Bounds>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Agreement {
    pub items: u64,
    pub annotators: u64,
    pub percent_agreement: Option<f64>,
    pub fleiss_kappa: Option<f64>,
    #[serde(default)]
    pub krippendorff_alpha: Alpha,
    pub pairwise: Vec<Pair>,
    #[serde(default)]
    pub krippendorff_alpha_interval: AlphaBounds,
    #[serde(default)]
    pub fleiss_kappa_interval: Option<Bounds>,
    #[serde(default)]
    pub percent_agreement_interval: Option<Bounds>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MatrixData {
    pub report: Agreement,
    /// `cohen_kappa` (default) or `percent_agreement`.
    #[serde(default)]
    pub measure: Option<String>,
    /// The agreement that matters (a pilot's minimum): cells whose interval reaches across it are hatched.
    #[serde(default)]
    pub minimum: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Accuracy {
    pub items: u64,
    pub correct: u64,
    pub accuracy: Option<f64>,
    pub accuracy_ci95: Option<[f64; 2]>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Confusion {
    pub labels: Vec<String>,
    pub matrix: Vec<Vec<u64>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Gold {
    pub annotators: BTreeMap<String, Accuracy>,
    pub overall: Accuracy,
    pub confusion: Confusion,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GoldData {
    pub report: Gold,
}
