//! Reading `rules.json` and checking every rule against the schema.
//!
//! ```json
//! {"format": "concord-rules", "version": 1, "guidelines_version": "1.3", "rules": [
//!   {"id": "R1", "kind": "min_size", "severity": "error", "message": "Box too small", "section": "#tight-boxes",
//!    "control": "objects", "min_w": 4, "min_h": 4}
//! ]}
//! ```

use crate::sorting::LeanSort;
use std::collections::HashSet;

use serde_json::Value;

use super::against_schema::check_against_schema;
use super::check::{Check, SceneCheck};
use super::{LabelId, Rule, RuleSet, Severity, NO_CONTROL, UNNAMED};
use crate::error::InputError;
use crate::model::Schema;

pub const FORMAT_ID: &str = "concord-rules";

/// The fields of one rule object, taken one by one; what is left at the end is an unknown field.
struct Fields {
    map: serde_json::Map<String, Value>,
}

/// A field's problem: its path below the rule (`.min_w`) and why.
type FieldError = (String, String);

impl Fields {
    fn bad(key: &str, why: &str) -> FieldError {
        (format!(".{key}"), why.to_string())
    }
    fn string(&mut self, key: &str) -> Result<String, FieldError> {
        self.opt_string(key)?.ok_or_else(|| (String::new(), format!("missing field `{key}`")))
    }
    fn opt_string(&mut self, key: &str) -> Result<Option<String>, FieldError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(Self::bad(key, "expected a string")),
        }
    }
    fn opt_number(&mut self, key: &str) -> Result<Option<f64>, FieldError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_f64().map(Some).ok_or_else(|| Self::bad(key, "expected a number")),
        }
    }
    fn number(&mut self, key: &str) -> Result<f64, FieldError> {
        self.opt_number(key)?.ok_or_else(|| (String::new(), format!("missing field `{key}`")))
    }
    fn number_or(&mut self, key: &str, default: f64) -> Result<f64, FieldError> {
        Ok(self.opt_number(key)?.unwrap_or(default))
    }
    fn opt_count(&mut self, key: &str) -> Result<Option<usize>, FieldError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => {
                v.as_u64().map(|n| Some(n as usize)).ok_or_else(|| Self::bad(key, "expected a whole number ≥ 0"))
            }
        }
    }
    fn strings(&mut self, key: &str, required: bool) -> Result<Vec<String>, FieldError> {
        match self.map.remove(key) {
            None if required => Err((String::new(), format!("missing field `{key}`"))),
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(list)) => list
                .into_iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) => Ok(s),
                    _ => Err((format!(".{key}[{i}]"), "expected a string".to_string())),
                })
                .collect(),
            Some(_) => Err(Self::bad(key, "expected a list of strings")),
        }
    }
    fn range(&mut self, key: &str) -> Result<Option<[f64; 2]>, FieldError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(v)) if v.len() == 2 && v.iter().all(Value::is_number) => {
                Ok(Some([v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0)]))
            }
            Some(_) => Err(Self::bad(key, "expected [min, max]")),
        }
    }
    fn flag_or(&mut self, key: &str, default: bool) -> Result<bool, FieldError> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Bool(b)) => Ok(b),
            Some(_) => Err(Self::bad(key, "expected true or false")),
        }
    }
}

const KINDS: &str = "count, allowed_labels, required_attributes, if_label_then_attribute, if_choice_then_forbid, \
token_boundaries, no_edge_whitespace, max_length, no_overlap, regex, inside_image, min_size, aspect_ratio, \
max_overlap, nested, simple_polygon, model_conflict, cuboid_size, above_ground, no_intersection, max_speed, max_acceleration, min_points, track_size";

/// Reads a rule's check from its fields (all but `id`, `severity`, `message`, `section`).
fn read_check(map: serde_json::Map<String, Value>) -> Result<Check, FieldError> {
    let mut f = Fields { map };
    let kind = match f.map.remove("kind") {
        Some(Value::String(k)) => k,
        Some(_) => return Err(Fields::bad("kind", "expected a string")),
        None => return Err((String::new(), "missing field `kind`".into())),
    };
    let check = match kind.as_str() {
        "count" => Check::Count {
            control: f.string("control")?,
            label: f.opt_string("label")?,
            min: f.opt_count("min")?,
            max: f.opt_count("max")?,
        },
        "allowed_labels" => Check::AllowedLabels { control: f.string("control")?, labels: f.strings("labels", true)? },
        "required_attributes" => Check::RequiredAttributes {
            control: f.string("control")?,
            label: f.string("label")?,
            attributes: f.strings("attributes", true)?,
        },
        "if_label_then_attribute" => Check::IfLabelThenAttribute {
            control: f.string("control")?,
            label: f.string("label")?,
            attribute: f.string("attribute")?,
            equals: f.map.remove("equals").ok_or_else(|| (String::new(), "missing field `equals`".to_string()))?,
        },
        "if_choice_then_forbid" => Check::IfChoiceThenForbid {
            if_control: f.string("if_control")?,
            if_label: f.string("if_label")?,
            control: f.string("control")?,
            label: f.opt_string("label")?,
        },
        "token_boundaries" => Check::TokenBoundaries { control: f.string("control")? },
        "no_edge_whitespace" => Check::NoEdgeWhitespace { control: f.string("control")? },
        "max_length" => Check::MaxLength {
            control: f.string("control")?,
            label: f.opt_string("label")?,
            max: match f.opt_count("max")? {
                Some(n) if n <= u32::MAX as usize => n as u32,
                Some(_) => return Err(Fields::bad("max", "too large")),
                None => return Err((String::new(), "missing field `max`".into())),
            },
        },
        "no_overlap" => Check::NoOverlap { control: f.string("control")?, labels: f.strings("labels", false)? },
        "regex" => {
            let control = f.string("control")?;
            let label = f.string("label")?;
            let pattern = f.string("pattern")?;
            let regex =
                regex_lite::Regex::new(&pattern).map_err(|e| Fields::bad("pattern", &format!("invalid regex: {e}")))?;
            Check::Regex { control, label, regex, must_match: f.flag_or("must_match", true)? }
        }
        "inside_image" => Check::InsideImage {
            control: f.string("control")?,
            tolerance: f.number_or("tolerance", 0.0)?,
            camera: None,
        },
        "simple_polygon" => Check::SimplePolygon { control: f.string("control")? },
        "min_size" => Check::MinSize {
            control: f.string("control")?,
            label: f.opt_string("label")?,
            min_w: f.number_or("min_w", 0.0)?,
            min_h: f.number_or("min_h", 0.0)?,
            min_area: f.number_or("min_area", 0.0)?,
        },
        "aspect_ratio" => Check::AspectRatio {
            control: f.string("control")?,
            label: f.opt_string("label")?,
            min: f.number("min")?,
            max: f.number("max")?,
        },
        "max_overlap" => Check::MaxOverlap {
            control: f.string("control")?,
            label: f.opt_string("label")?,
            max_iou: f.number("max_iou")?,
        },
        "nested" => Check::Nested {
            control: f.string("control")?,
            inner: f.string("inner")?,
            outer: f.string("outer")?,
            tolerance: f.number_or("tolerance", 0.0)?,
        },
        "model_conflict" => Check::ModelConflict { control: f.string("control")?, min_score: f.number("min_score")? },
        scene => Check::Scene(match scene {
            "cuboid_size" => SceneCheck::CuboidSize {
                label: f.string("label")?,
                length: f.range("length")?,
                width: f.range("width")?,
                height: f.range("height")?,
            },
            "above_ground" => SceneCheck::AboveGround {
                ground_z: f.number_or("ground_z", 0.0)?,
                tolerance: f.number_or("tolerance", 0.1)?,
            },
            "no_intersection" => SceneCheck::NoIntersection { labels: f.strings("labels", false)? },
            "max_speed" => {
                SceneCheck::MaxSpeed { label: f.string("label")?, max_mps: f.number("max_mps")?, fps: f.number("fps")? }
            }
            "max_acceleration" => SceneCheck::MaxAcceleration {
                label: f.string("label")?,
                max_mps2: f.number("max_mps2")?,
                fps: f.number("fps")?,
            },
            "min_points" => SceneCheck::MinPoints {
                label: f.opt_string("label")?,
                points: f.number("points")?,
                at_m: f.number("at_m")?,
            },
            "track_size" => SceneCheck::TrackSize { tolerance: f.number("tolerance")? },
            other => return Err(Fields::bad("kind", &format!("unknown kind `{other}` (one of: {KINDS})"))),
        }),
    };
    if let Some(k) = f.map.keys().next() {
        return Err((format!(".{k}"), format!("unknown field `{k}` for a `{kind}` rule")));
    }
    Ok(check)
}

/// Parses and checks a rule file. With a schema, every control, label and attribute a rule names must exist and
/// the control must be of a type the rule applies to.
pub fn parse_rules(file: &str, text: &str, schema: Option<&Schema>) -> Result<RuleSet, InputError> {
    let root: Value = serde_json::from_str(text).map_err(|e| InputError::from_json(file, &e))?;
    let err = |path: String, why: String| InputError::at_path(file, path, why);
    let obj = root.as_object().ok_or_else(|| err("$".into(), "expected a JSON object".into()))?;
    match obj.get("format").and_then(Value::as_str) {
        Some(FORMAT_ID) => {}
        _ => return Err(err("$.format".into(), format!("expected \"{FORMAT_ID}\""))),
    }
    match obj.get("version").and_then(Value::as_u64) {
        Some(1) => {}
        other => {
            return Err(err("$.version".into(), format!("unsupported rules version {other:?}: this Concord reads 1")))
        }
    }
    let guidelines_version = obj.get("guidelines_version").and_then(Value::as_str).unwrap_or("").to_string();
    let list = obj
        .get("rules")
        .and_then(Value::as_array)
        .ok_or_else(|| err("$.rules".into(), "expected a list of rules".into()))?;
    let mut ids = HashSet::new();
    let mut rules = Vec::with_capacity(list.len());
    for (i, raw) in list.iter().enumerate() {
        let at = format!("$.rules[{i}]");
        let mut o = raw.as_object().cloned().ok_or_else(|| err(at.clone(), "expected a rule object".into()))?;
        let mut take_str = |key: &str, required: bool| -> Result<String, InputError> {
            match o.remove(key) {
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
                None if !required => Ok(String::new()),
                Some(_) => Err(err(format!("{at}.{key}"), "expected a non-empty string".into())),
                None => Err(err(at.clone(), format!("missing field `{key}`"))),
            }
        };
        let id = take_str("id", true)?;
        let message = take_str("message", true)?;
        let section = take_str("section", false)?;
        let severity = match take_str("severity", true)?.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            other => return Err(err(format!("{at}.severity"), format!("`{other}`: expected error or warning"))),
        };
        if !ids.insert(id.clone()) {
            return Err(err(format!("{at}.id"), format!("duplicate rule id `{id}`")));
        }
        let mut check = read_check(o).map_err(|(field, why)| err(format!("{at}{field}"), why))?;
        check_against_schema(&check, schema).map_err(|(field, why)| err(format!("{at}{field}"), why))?;
        if let Check::InsideImage { control, camera, .. } = &mut check {
            *camera = schema.and_then(|s| s.control(control)).and_then(|c| c.camera.clone());
        }
        rules.push(Rule { id, severity, message, section, check, control: NO_CONTROL, label: None });
    }
    Ok(index(guidelines_version, rules))
}

/// Gives every rule the index of its control and the id of its label filter.
pub(crate) fn index(guidelines_version: String, mut rules: Vec<Rule>) -> RuleSet {
    let mut controls: Vec<String> = Vec::new();
    let mut labels: Vec<String> = rules.iter().filter_map(|r| r.check.target().1).map(str::to_string).collect();
    labels.lean_sort();
    labels.dedup();
    for r in &mut rules {
        let (control, label) = r.check.target();
        if let Some(c) = control {
            r.control = controls.iter().position(|x| x == c).unwrap_or_else(|| {
                controls.push(c.to_string());
                controls.len() - 1
            });
        }
        r.label = label.map(|l| labels.binary_search_by(|x| x.as_str().cmp(l)).expect("interned") as LabelId);
    }
    assert!(labels.len() < UNNAMED as usize, "more labels than label ids");
    RuleSet { guidelines_version, rules, controls, labels }
}
