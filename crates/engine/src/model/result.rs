//! What an annotator (or a model, or the gold set) says about a task: one value per control.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(feature = "scene")]
use super::Cuboid;

/// A text span. Offsets are Unicode code points, end-exclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpanRegion {
    /// Start, in code points.
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// The label.
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The model's confidence (predictions only).
    pub score: Option<f64>,
}

/// An axis-aligned box in image pixels: `x, y` is the top-left corner (COCO convention, continuous).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoxRegion {
    /// Left edge, in pixels.
    pub x: f64,
    /// Top edge, in pixels.
    pub y: f64,
    /// Width, in pixels.
    pub w: f64,
    /// Height, in pixels.
    pub h: f64,
    /// The label.
    pub label: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    /// Attribute values by name.
    pub attributes: BTreeMap<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The model's confidence (predictions only).
    pub score: Option<f64>,
}

/// A polygon in image pixels: its vertices in drawing order, closed implicitly (the last joins the first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolygonRegion {
    /// Vertices `[x, y]`, in pixels.
    pub points: Vec<[f64; 2]>,
    /// The label.
    pub label: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    /// Attribute values by name.
    pub attributes: BTreeMap<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The model's confidence (predictions only).
    pub score: Option<f64>,
}

impl PolygonRegion {
    /// The polygon as a one-ring shape for `polygons::geometry`.
    pub fn rings(&self) -> Vec<Vec<[f64; 2]>> {
        vec![self.points.clone()]
    }
}

/// A region drawn on an image or in a point cloud (a box, a polygon, a cuboid): what matching against gold, error
/// classification and model checks need of it.
pub trait ImageRegion {
    /// The region's label.
    fn label(&self) -> &str;
    /// Its attribute values by name.
    fn attributes(&self) -> &BTreeMap<String, serde_json::Value>;
    /// Intersection over union with another region of the same kind.
    fn iou(&self, other: &Self) -> f64;
}

impl ImageRegion for BoxRegion {
    fn label(&self) -> &str {
        &self.label
    }
    fn attributes(&self) -> &BTreeMap<String, serde_json::Value> {
        &self.attributes
    }
    fn iou(&self, o: &Self) -> f64 {
        crate::model::box_geometry::iou(&[self.x, self.y, self.w, self.h], &[o.x, o.y, o.w, o.h])
    }
}

impl ImageRegion for PolygonRegion {
    fn label(&self) -> &str {
        &self.label
    }
    fn attributes(&self) -> &BTreeMap<String, serde_json::Value> {
        &self.attributes
    }
    fn iou(&self, o: &Self) -> f64 {
        crate::model::polygon_geometry::iou(&self.rings(), &o.rings())
    }
}

#[cfg(feature = "scene")]
impl ImageRegion for Cuboid {
    fn label(&self) -> &str {
        &self.label
    }
    fn attributes(&self) -> &BTreeMap<String, serde_json::Value> {
        &self.attributes
    }
    /// 3D IoU, as KITTI's 3D detection benchmark matches.
    fn iou(&self, o: &Self) -> f64 {
        crate::model::cuboid_geometry::iou_3d(self, o)
    }
}

/// The value of one control. The variant is determined by the control's type, so the JSON is untagged:
/// a list of strings (choices), of `{start, end, label}` (spans), of `{x, y, w, h, label}` (boxes), of
/// `{points, label}` (polygons) or of `{center, size, yaw, label}` (cuboids).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ControlValue {
    /// The labels chosen.
    Choices(Vec<String>),
    /// Text spans.
    Spans(Vec<SpanRegion>),
    /// Boxes.
    Boxes(Vec<BoxRegion>),
    /// Polygons.
    Polygons(Vec<PolygonRegion>),
    /// 3D cuboids.
    #[cfg(feature = "scene")]
    Cuboids(Vec<Cuboid>),
}

impl ControlValue {
    /// The number of choices or regions.
    pub fn len(&self) -> usize {
        match self {
            ControlValue::Choices(v) => v.len(),
            ControlValue::Spans(v) => v.len(),
            ControlValue::Boxes(v) => v.len(),
            ControlValue::Polygons(v) => v.len(),
            #[cfg(feature = "scene")]
            ControlValue::Cuboids(v) => v.len(),
        }
    }
    /// Whether no label and no region is given.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The label of choice or region `k`.
    pub fn label(&self, k: usize) -> Option<&str> {
        match self {
            ControlValue::Choices(v) => v.get(k).map(String::as_str),
            ControlValue::Spans(v) => v.get(k).map(|r| r.label.as_str()),
            ControlValue::Boxes(v) => v.get(k).map(|r| r.label.as_str()),
            ControlValue::Polygons(v) => v.get(k).map(|r| r.label.as_str()),
            #[cfg(feature = "scene")]
            ControlValue::Cuboids(v) => v.get(k).map(|r| r.label.as_str()),
        }
    }
    /// Relabels choice or region `k` (nothing when there is none).
    pub fn set_label(&mut self, k: usize, label: String) {
        match self {
            ControlValue::Choices(v) => v.get_mut(k).map(|l| *l = label),
            ControlValue::Spans(v) => v.get_mut(k).map(|r| r.label = label),
            ControlValue::Boxes(v) => v.get_mut(k).map(|r| r.label = label),
            ControlValue::Polygons(v) => v.get_mut(k).map(|r| r.label = label),
            #[cfg(feature = "scene")]
            ControlValue::Cuboids(v) => v.get_mut(k).map(|r| r.label = label),
        };
    }
    /// Removes choice or region `k` (nothing when there is none).
    pub fn remove(&mut self, k: usize) {
        fn take<T>(v: &mut Vec<T>, k: usize) {
            if k < v.len() {
                v.remove(k);
            }
        }
        match self {
            ControlValue::Choices(v) => take(v, k),
            ControlValue::Spans(v) => take(v, k),
            ControlValue::Boxes(v) => take(v, k),
            ControlValue::Polygons(v) => take(v, k),
            #[cfg(feature = "scene")]
            ControlValue::Cuboids(v) => take(v, k),
        }
    }
    /// Appends a copy of `other`'s item `k` when both are of one kind.
    pub fn push_from(&mut self, other: &ControlValue, k: usize) {
        match (self, other) {
            (ControlValue::Choices(v), ControlValue::Choices(o)) => v.extend(o.get(k).cloned()),
            (ControlValue::Spans(v), ControlValue::Spans(o)) => v.extend(o.get(k).cloned()),
            (ControlValue::Boxes(v), ControlValue::Boxes(o)) => v.extend(o.get(k).cloned()),
            (ControlValue::Polygons(v), ControlValue::Polygons(o)) => v.extend(o.get(k).cloned()),
            #[cfg(feature = "scene")]
            (ControlValue::Cuboids(v), ControlValue::Cuboids(o)) => v.extend(o.get(k).cloned()),
            _ => {}
        }
    }
    /// Whether item `k` of `other` is in `self` as it is.
    pub fn contains_from(&self, other: &ControlValue, k: usize) -> bool {
        match (self, other) {
            (ControlValue::Choices(v), ControlValue::Choices(o)) => o.get(k).is_some_and(|x| v.contains(x)),
            (ControlValue::Spans(v), ControlValue::Spans(o)) => o.get(k).is_some_and(|x| v.contains(x)),
            (ControlValue::Boxes(v), ControlValue::Boxes(o)) => o.get(k).is_some_and(|x| v.contains(x)),
            (ControlValue::Polygons(v), ControlValue::Polygons(o)) => o.get(k).is_some_and(|x| v.contains(x)),
            #[cfg(feature = "scene")]
            (ControlValue::Cuboids(v), ControlValue::Cuboids(o)) => o.get(k).is_some_and(|x| v.contains(x)),
            _ => false,
        }
    }
}

/// A result for one task: control name → value.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskResult(pub BTreeMap<String, ControlValue>);
