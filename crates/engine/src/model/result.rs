//! What an annotator (or a model, or the gold set) says about a task: one value per control.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A text span. Offsets are Unicode code points, end-exclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpanRegion {
    pub start: usize,
    pub end: usize,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// An axis-aligned box in image pixels: `x, y` is the top-left corner (COCO convention, continuous).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoxRegion {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub label: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// The value of one control. The variant is determined by the control's type, so the JSON is untagged:
/// a list of strings (choices), of `{start, end, label}` (spans) or of `{x, y, w, h, label}` (boxes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ControlValue {
    Choices(Vec<String>),
    Spans(Vec<SpanRegion>),
    Boxes(Vec<BoxRegion>),
}

/// A result for one task: control name → value.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskResult(pub BTreeMap<String, ControlValue>);
