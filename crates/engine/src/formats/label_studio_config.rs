//! A Label Studio label config (the `<View>` XML of a project): its controls — what is labelled, under which
//! `name`, on which object (`toName`), with which labels — and its objects (`<Text name="text" value="$text"/>`:
//! which task field each shows). Label Studio's flat exports (JSON_MIN, CSV) name their columns after the
//! controls, and only the config says which columns those are and what they hold.
//!
//! Controls read: `Choices` (`choice="multiple"` for several), `Labels`, `RectangleLabels`, `PolygonLabels` and
//! `Rating` (`maxRating`, 5 by default). Other control tags are kept as [`ConfigKind::Other`]: their results are
//! counted and skipped, as in the JSON reader.

use crate::error::InputError;

/// The controls and objects of a label config.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelConfig {
    /// Every control, in document order.
    pub controls: Vec<ConfigControl>,
    /// Every object (`Text`, `HyperText`, `Image`, …) with the task field it shows.
    pub objects: Vec<ConfigObject>,
}

/// One control tag.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigControl {
    /// Its `name` (a result's `from_name`, a flat export's column).
    pub name: String,
    /// What it labels with.
    pub kind: ConfigKind,
    /// Its `toName`: the object it labels.
    pub to_name: String,
    /// Its labels (`<Choice value>`, `<Label value>`), in order; empty for a rating.
    pub labels: Vec<String>,
    /// `perRegion="true"`: given per region (a box's or span's attribute), not per task.
    pub per_region: bool,
}

/// What a control gives.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigKind {
    /// `Choices`: one choice, or several with `choice="multiple"`.
    Choices {
        /// Whether several may be chosen.
        multiple: bool,
    },
    /// `Labels`: text spans.
    Labels,
    /// `RectangleLabels`: boxes.
    RectangleLabels,
    /// `PolygonLabels`: polygons.
    PolygonLabels,
    /// `Rating`: 1 to `max` stars.
    Rating {
        /// `maxRating`.
        max: u32,
    },
    /// Another control tag (`TextArea`, `Taxonomy`, `KeyPointLabels`, …), named as written.
    Other(String),
}

/// One object tag.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigObject {
    /// Its `name` (a control's `toName`).
    pub name: String,
    /// The tag (`Text`, `Image`, …).
    pub tag: String,
    /// The task field it shows: `value="$text"` is `text`.
    pub field: String,
}

const OBJECTS: &[&str] =
    &["Text", "HyperText", "Image", "Audio", "AudioPlus", "Video", "Paragraphs", "Table", "TimeSeries", "Pdf"];
const CONTROLS: &[&str] = &[
    "Choices",
    "Labels",
    "RectangleLabels",
    "PolygonLabels",
    "Rating",
    "TextArea",
    "Taxonomy",
    "KeyPointLabels",
    "BrushLabels",
    "EllipseLabels",
    "Number",
    "DateTime",
    "Ranker",
    "Pairwise",
    "Relations",
    "Rectangle",
    "Polygon",
    "KeyPoint",
    "Ellipse",
    "Brush",
    "HyperTextLabels",
    "ParagraphLabels",
    "TimeSeriesLabels",
    "VideoRectangle",
];

impl LabelConfig {
    /// The control named `name`.
    pub fn control(&self, name: &str) -> Option<&ConfigControl> {
        self.controls.iter().find(|c| c.name == name)
    }

    /// The task field the object `name` shows (what a control's `toName` points at).
    pub fn field_of(&self, object: &str) -> Option<&str> {
        self.objects.iter().find(|o| o.name == object).map(|o| o.field.as_str())
    }
}

/// Reads a label config. An error names the line and why: XML that does not parse, a control or object without a
/// `name`, a control without `toName`, two tags with one name, a `toName` that names no object, a rating whose
/// `maxRating` is not a whole number from 1.
pub fn parse_label_config(file: &str, xml: &str) -> Result<LabelConfig, InputError> {
    let doc =
        roxmltree::Document::parse(xml).map_err(|e| InputError::at_line(file, e.pos().row as usize, e.to_string()))?;
    let line = |n: roxmltree::Node| doc.text_pos_at(n.range().start).row as usize;
    let mut config = LabelConfig { controls: Vec::new(), objects: Vec::new() };
    let mut names: Vec<(String, usize)> = Vec::new();
    let mut named = |n: roxmltree::Node, tag: &str| -> Result<String, InputError> {
        let name = n
            .attribute("name")
            .filter(|s| !s.is_empty())
            .ok_or_else(|| InputError::at_line(file, line(n), format!("<{tag}> has no `name`")))?;
        if let Some((_, first)) = names.iter().find(|(m, _)| m == name) {
            return Err(InputError::at_line(
                file,
                line(n),
                format!("two tags are named `{name}` (the first on line {first})"),
            ));
        }
        names.push((name.to_string(), line(n)));
        Ok(name.to_string())
    };
    for n in doc.descendants().filter(roxmltree::Node::is_element) {
        let tag = n.tag_name().name();
        if OBJECTS.contains(&tag) {
            let name = named(n, tag)?;
            let value = n.attribute("value").unwrap_or("");
            let field = value.strip_prefix('$').unwrap_or(value).to_string();
            config.objects.push(ConfigObject { name, tag: tag.to_string(), field });
        } else if CONTROLS.contains(&tag) {
            let name = named(n, tag)?;
            let to_name = n
                .attribute("toName")
                .filter(|s| !s.is_empty())
                .ok_or_else(|| InputError::at_line(file, line(n), format!("<{tag} name=\"{name}\"> has no `toName`")))?
                .to_string();
            let labels: Vec<String> = n
                .descendants()
                .filter(|c| c.is_element() && matches!(c.tag_name().name(), "Choice" | "Label"))
                .filter_map(|c| c.attribute("value").or_else(|| c.attribute("alias")).map(str::to_string))
                .collect();
            let kind = match tag {
                "Choices" => ConfigKind::Choices { multiple: n.attribute("choice") == Some("multiple") },
                "Labels" => ConfigKind::Labels,
                "RectangleLabels" => ConfigKind::RectangleLabels,
                "PolygonLabels" => ConfigKind::PolygonLabels,
                "Rating" => {
                    let max = match n.attribute("maxRating") {
                        None => 5,
                        Some(m) => m.parse::<u32>().ok().filter(|m| *m >= 1).ok_or_else(|| {
                            InputError::at_line(file, line(n), format!("maxRating `{m}` is not a whole number from 1"))
                        })?,
                    };
                    ConfigKind::Rating { max }
                }
                other => ConfigKind::Other(other.to_string()),
            };
            let per_region = n.attribute("perRegion") == Some("true");
            config.controls.push(ConfigControl { name, kind, to_name, labels, per_region });
        }
    }
    for c in &config.controls {
        // Each part of a comma-separated toName must be an object.
        for target in c.to_name.split(',') {
            if config.objects.iter().all(|o| o.name != target) {
                let at = names.iter().find(|(m, _)| *m == c.name).map_or(1, |(_, l)| *l);
                return Err(InputError::at_line(
                    file,
                    at,
                    format!("control `{}` labels `{target}`, which is no object of the config", c.name),
                ));
            }
        }
    }
    if config.controls.is_empty() {
        return Err(InputError::whole(file, "the label config has no control (Choices, Labels, RectangleLabels, …)"));
    }
    Ok(config)
}
