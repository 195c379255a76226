//! The schema: the kind of data a task shows and the controls an annotator fills in.

use serde::{Deserialize, Serialize};

/// What every task shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    /// `data.image`: an image URL (relative to the bundle, `http(s):` or `data:image/`).
    Image,
    /// `data.text`: a string; offsets into it are Unicode code points.
    Text,
    /// `data.points`: one LiDAR frame (KITTI `.bin` or PCD), with its sequence, frame number, ego pose and
    /// cameras; cuboids are in the sensor's frame.
    PointCloud,
}

/// What a control produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlKind {
    /// Exactly one label per task.
    SingleChoice,
    /// Any number of labels per task.
    MultiChoice,
    /// Entity spans over the task's text.
    Spans,
    /// Axis-aligned 2D boxes over the task's image.
    Boxes,
    /// Polygons (2D segmentation) over the task's image.
    Polygons,
    /// 3D cuboids in the task's point cloud (`DataKind::PointCloud`).
    Cuboids,
    /// One value on an ordered numeric scale (e.g. intensity 0–10, Likert 1–5): its labels are the scale's
    /// values, ascending; ordinal and interval agreement apply.
    Rating,
}

impl ControlKind {
    /// Choice-like: the result is a list of labels.
    pub fn is_choice(self) -> bool {
        matches!(self, ControlKind::SingleChoice | ControlKind::MultiChoice | ControlKind::Rating)
    }
    /// At most one label per task.
    pub fn is_single(self) -> bool {
        matches!(self, ControlKind::SingleChoice | ControlKind::Rating)
    }
}

/// A rating scale's anchor: an example with its agreed rating and why — the rubric shown beside the scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    /// The scale value (one of the control's labels).
    pub value: String,
    /// What the example is (a short description, or a task id).
    pub example: String,
    /// Why it is not.
    pub reason: String,
}

/// Whether spans of a control may overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverlapPolicy {
    /// No two spans may share a code point (flat NER, CoNLL-compatible).
    #[default]
    Forbid,
    /// A span may lie entirely inside another (nested NER), but may not cross it.
    Nested,
    /// Any overlap.
    Allow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// What values an attribute takes.
pub enum AttributeKind {
    /// One of its options.
    Enum,
    /// True or false.
    Bool,
    /// A number, within `min` and `max`.
    Number,
}

/// A per-label attribute (e.g. `occluded: bool` on a box label).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    /// Its name (the key in a region's attributes).
    pub name: String,
    #[serde(rename = "type")]
    /// What values it takes.
    pub kind: AttributeKind,
    #[serde(default)]
    /// Whether every region must give it.
    pub required: bool,
    /// Allowed values of an `enum` attribute, in display order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The least number allowed.
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The greatest number allowed.
    pub max: Option<f64>,
}

/// One label of a control. The order of labels in the schema is meaningful: it is the display order, the
/// hotkey order, the rank used by ordinal measures, and the tie-break order of consensus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// The value written into results.
    pub value: String,
    /// One key; when absent, the parser assigns 1–9, 0, then a–z in label order, skipping taken keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotkey: Option<String>,
    /// A CSS colour for regions of this label (`#rrggbb`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    /// What it means, shown beside the label.
    pub description: String,
    /// The guideline section that defines the label (`#dairy`): where reviewers send errors and calibration
    /// meetings look when annotators disagree on it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub section: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Attributes its regions take.
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// One control: what the annotator produces (choices, spans, boxes, polygons, a rating).
pub struct Control {
    /// The key under which results of this control are stored (e.g. `category`, `entities`).
    pub name: String,
    #[serde(rename = "type")]
    /// What it produces.
    pub kind: ControlKind,
    /// Question shown to the annotator.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prompt: String,
    /// Its labels.
    pub labels: Vec<Label>,
    /// Spans only.
    #[serde(default)]
    pub overlap: OverlapPolicy,
    /// Rating only: the rubric's anchors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<Anchor>,
    /// Boxes and polygons of a point-cloud project only: the camera (by name, one of every frame's `cameras`) whose
    /// image they are drawn on, in its pixels. The 2D side of a multi-modal project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera: Option<String>,
}

impl Control {
    /// The index of the label with this value.
    pub fn label_index(&self, value: &str) -> Option<usize> {
        self.labels.iter().position(|l| l.value == value)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// What the tasks show and what the annotator produces.
pub struct Schema {
    /// What the tasks show.
    pub data: DataKind,
    /// What the annotator produces, in screen order.
    pub controls: Vec<Control>,
}

impl Schema {
    /// The control named `name`.
    pub fn control(&self, name: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.name == name)
    }

    /// Label → the guideline section (`#anchor`) it links to, over every control; labels that link none are left
    /// out. Review files errors and agreement under these sections.
    pub fn label_sections(&self) -> std::collections::BTreeMap<String, String> {
        self.controls
            .iter()
            .flat_map(|c| c.labels.iter())
            .filter(|l| !l.section.is_empty())
            .map(|l| (l.value.clone(), l.section.clone()))
            .collect()
    }
}
