//! The figures review mode draws, read by field from the engine's reports as the import worker sends them.
//!
//! Each report crosses as its JSON, verbatim (what the QA report download writes), and the page reads from it only
//! the fields it draws, into the types below — like the widgets' `shapes.rs`. Reading the engine's whole report types
//! instead cost review mode 41 KB gzip of deserialisation code (measured; BENCHMARKS.md). Fields keep the engine's
//! names, so a test reads these from the engine's own reports and compares.

use std::collections::BTreeMap;

use concord_engine::gold::{Accuracy, Confusion};
use concord_engine::resample::Interval;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// An engine report as it crossed from the worker: its JSON, and the figures the page draws from it.
#[derive(Debug, Clone)]
pub struct Report<F> {
    /// The report's JSON, as the engine printed it (`concord agreement`, `concord gold`, … print the same).
    pub json: Box<RawValue>,
    pub figures: F,
}

impl<F: DeserializeOwned> Report<F> {
    /// The report's JSON, and its figures read from it.
    pub fn of(report: &impl Serialize) -> Result<Report<F>, serde_json::Error> {
        let json = serde_json::value::to_raw_value(report)?;
        let figures = serde_json::from_str(json.get())?;
        Ok(Report { json, figures })
    }
}

// Two reports are the same when their JSON is.
impl<F> PartialEq for Report<F> {
    fn eq(&self, other: &Self) -> bool {
        self.json.get() == other.json.get()
    }
}

impl<F> Serialize for Report<F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(s)
    }
}

impl<'de, F: DeserializeOwned> Deserialize<'de> for Report<F> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let json = Box::<RawValue>::deserialize(d)?;
        let figures = serde_json::from_str(json.get()).map_err(serde::de::Error::custom)?;
        Ok(Report { json, figures })
    }
}

/// From the categorical agreement report (`engine::agreement::CategoricalReport`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AgreementFigures {
    pub percent_agreement: Option<f64>,
    pub percent_agreement_interval: Option<Interval>,
    pub fleiss_kappa: Option<f64>,
    pub fleiss_kappa_interval: Option<Interval>,
    pub krippendorff_alpha: Alpha,
    pub krippendorff_alpha_interval: AlphaInterval,
    pub weighted_kappa: WeightedKappa,
    pub pairwise: Vec<PairFigures>,
    pub per_label: BTreeMap<String, LabelFigures>,
    /// Present when the report was made with intervals.
    pub bootstrap: Option<BootstrapSettings>,
}

/// α by metric (interval and ratio: as the engine's `ByMetric<f64>`; ratio is not drawn).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Alpha {
    pub nominal: Option<f64>,
    pub ordinal: Option<f64>,
    pub interval: Option<f64>,
}

/// Nominal α's interval, the one the gate reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AlphaInterval {
    pub nominal: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WeightedKappa {
    pub quadratic: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BootstrapSettings {
    pub replicates: usize,
}

/// One pair of annotators.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PairFigures {
    pub a: String,
    pub b: String,
    pub cohen_kappa: Option<f64>,
    pub cohen_kappa_interval: Option<Interval>,
}

/// One label.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LabelFigures {
    pub count: u64,
    pub specific_agreement: Option<f64>,
    pub specific_agreement_interval: Option<Interval>,
}

/// From the gold report (`engine::gold::ClassificationGoldReport`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GoldFigures {
    pub annotators: BTreeMap<String, Accuracy>,
    pub overall: Accuracy,
    pub confusion: Confusion,
}

/// From the consensus report (`engine::consensus::AggregationReport`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ConsensusFigures {
    pub iterations: u32,
    pub ties: Vec<String>,
    pub annotators: BTreeMap<String, AnnotatorAccuracy>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AnnotatorAccuracy {
    pub accuracy: Option<f64>,
}

/// From a region review set's agreement report (`engine::review::RegionAgreement`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionFigures {
    Spans(SpanFigures),
    Boxes(BoxFigures),
    Polygons(BoxFigures),
    Cuboids(BoxFigures),
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SpanFigures {
    pub f1: Option<f64>,
    pub f1_interval: Option<Interval>,
    pub overlap_f1: Option<f64>,
    pub overlap_f1_interval: Option<Interval>,
    pub pairwise: Vec<SpanPair>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SpanPair {
    pub a: String,
    pub b: String,
    pub f1: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BoxFigures {
    pub f1_50: Option<f64>,
    pub f1_50_interval: Option<Interval>,
    pub f1_75: Option<f64>,
    pub f1_75_interval: Option<Interval>,
    pub pairwise: Vec<BoxPair>,
    /// Per label, by name.
    #[serde(default)]
    pub per_label: std::collections::BTreeMap<String, LabelBoxFigures>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LabelBoxFigures {
    pub f1_50: Option<f64>,
    pub f1_75: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BoxPair {
    pub a: String,
    pub b: String,
    pub f1_50: Option<f64>,
}

impl RegionFigures {
    /// The two headline figures, each `(key, value, interval)`: exact and overlap F1 for spans, F1 at IoU 0.5 and
    /// 0.75 for boxes and polygons; the keys are the report's field names.
    pub fn headline(&self) -> [(&'static str, Option<f64>, Option<Interval>); 2] {
        match self {
            RegionFigures::Spans(r) => {
                [("f1", r.f1, r.f1_interval), ("overlap_f1", r.overlap_f1, r.overlap_f1_interval)]
            }
            RegionFigures::Boxes(r) | RegionFigures::Polygons(r) | RegionFigures::Cuboids(r) => {
                [("f1_50", r.f1_50, r.f1_50_interval), ("f1_75", r.f1_75, r.f1_75_interval)]
            }
        }
    }

    /// Each pair of annotators with the first headline figure.
    pub fn pairwise(&self) -> Vec<(&str, &str, Option<f64>)> {
        match self {
            RegionFigures::Spans(r) => r.pairwise.iter().map(|p| (p.a.as_str(), p.b.as_str(), Some(p.f1))).collect(),
            RegionFigures::Boxes(r) | RegionFigures::Polygons(r) | RegionFigures::Cuboids(r) => {
                r.pairwise.iter().map(|p| (p.a.as_str(), p.b.as_str(), p.f1_50)).collect()
            }
        }
    }
}
