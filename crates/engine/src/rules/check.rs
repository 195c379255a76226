//! A rule's check: what `rules.json` says each rule looks at, read by `parse.rs` and run by the checks grouped by
//! what they look at (`labels.rs`, `span_rules.rs`, `box_rules.rs`, `model.rs`, `cuboids.rs`).

use serde_json::Value;

/// A rule's check: what the file says, ready to run (a `regex` rule's pattern is compiled while it is read).
///
/// Read by `read_check`, by hand: serde's derive for a tagged enum of twenty kinds was the largest function of the
/// embeddable package (36 KB), where a field reader shared by all kinds is a few.
#[derive(Debug, Clone)]
pub(crate) enum Check {
    /// Number of regions (of `label`, or of any label) or of chosen labels: `min` ≤ n ≤ `max`. `min: 1` = required.
    Count {
        control: String,
        label: Option<String>,
        min: Option<usize>,
        max: Option<usize>,
    },
    AllowedLabels {
        control: String,
        labels: Vec<String>,
    },
    RequiredAttributes {
        control: String,
        label: String,
        attributes: Vec<String>,
    },
    /// Every region labelled `label` must have `attribute` equal to `equals`.
    IfLabelThenAttribute {
        control: String,
        label: String,
        attribute: String,
        equals: Value,
    },
    /// If choice control `if_control` has `if_label`, then `control` has no region (of `label`, when given).
    IfChoiceThenForbid {
        if_control: String,
        if_label: String,
        control: String,
        label: Option<String>,
    },
    TokenBoundaries {
        control: String,
    },
    NoEdgeWhitespace {
        control: String,
    },
    MaxLength {
        control: String,
        label: Option<String>,
        max: u32,
    },
    /// No two spans overlap when both have labels in `labels` (all labels when empty).
    NoOverlap {
        control: String,
        labels: Vec<String>,
    },
    /// The text of every span labelled `label` must match (or, with `must_match: false`, must not match) `pattern`.
    Regex {
        control: String,
        label: String,
        regex: regex_lite::Regex,
        /// `false`: the text must not match.
        must_match: bool,
    },
    /// Every box, every polygon vertex, within the image (± `tolerance` px).
    InsideImage {
        control: String,
        tolerance: f64,
        /// The camera whose image the control is drawn on (a point-cloud project's 2D control), from the schema
        /// the rules are read against; `None`: the task's own image.
        camera: Option<String>,
    },
    /// No polygon crosses itself or repeats a vertex.
    SimplePolygon {
        control: String,
    },
    /// A box's (a polygon's bounding box's) width and height, and its area (a polygon's own area).
    MinSize {
        control: String,
        label: Option<String>,
        min_w: f64,
        min_h: f64,
        min_area: f64,
    },
    /// w / h within [min, max].
    AspectRatio {
        control: String,
        label: Option<String>,
        min: f64,
        max: f64,
    },
    /// Two boxes of the same label (or of `label`) overlapping with IoU above `max_iou` are likely duplicates.
    MaxOverlap {
        control: String,
        label: Option<String>,
        max_iou: f64,
    },
    /// Every `inner` box lies inside some `outer` box (e.g. a price tag on a shelf).
    Nested {
        control: String,
        inner: String,
        outer: String,
        tolerance: f64,
    },
    /// The annotation disagrees with a prediction whose score is at least `min_score`: flag for review.
    ModelConflict {
        control: String,
        min_score: f64,
    },
    /// A 3D check (see `cuboids.rs`): it runs on cuboid scenes, not on 2D annotations.
    Scene(SceneCheck),
}

/// A physics check on a cuboid scene.
#[derive(Debug, Clone)]
pub(crate) enum SceneCheck {
    CuboidSize { label: String, length: Option<[f64; 2]>, width: Option<[f64; 2]>, height: Option<[f64; 2]> },
    AboveGround { ground_z: f64, tolerance: f64 },
    NoIntersection { labels: Vec<String> },
    MaxSpeed { label: String, max_mps: f64, fps: f64 },
    MaxAcceleration { label: String, max_mps2: f64, fps: f64 },
    MinPoints { label: Option<String>, points: f64, at_m: f64 },
    TrackSize { tolerance: f64 },
}

impl Check {
    /// The control the check looks at and the label it filters regions by, if any.
    pub(super) fn target(&self) -> (Option<&str>, Option<&str>) {
        use Check::*;
        match self {
            Count { control, label, .. }
            | MaxLength { control, label, .. }
            | MinSize { control, label, .. }
            | AspectRatio { control, label, .. }
            | MaxOverlap { control, label, .. } => (Some(control), label.as_deref()),
            AllowedLabels { control, .. }
            | RequiredAttributes { control, .. }
            | IfLabelThenAttribute { control, .. }
            | IfChoiceThenForbid { control, .. }
            | TokenBoundaries { control }
            | NoEdgeWhitespace { control }
            | NoOverlap { control, .. }
            | Regex { control, .. }
            | InsideImage { control, .. }
            | SimplePolygon { control }
            | Nested { control, .. }
            | ModelConflict { control, .. } => (Some(control), None),
            Scene(_) => (None, None),
        }
    }
}
