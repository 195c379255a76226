//! Training gold and model predictions: JSONL files of results keyed by task id, checked against the schema.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::chunk::{strip_position, TaskIds};
use crate::error::{InputError, Place};
#[cfg(feature = "scene")]
use crate::model::Cuboid;
use crate::model::{BoxRegion, ControlKind, ControlValue, PolygonRegion, Schema, SpanRegion, TaskResult};

/// The agreed answer for one task, with the guideline section that explains it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldItem {
    /// The task's id.
    pub task: String,
    /// The right answer.
    pub result: TaskResult,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    /// Why it is right, shown to the annotator after submitting.
    pub explanation: String,
    /// Anchor of the guideline section (e.g. `#edge-cases`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub section: String,
}

/// A model's output for one task. Region scores sit on the regions; choice scores per label in `scores`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The task's id.
    pub task: String,
    /// The model's name.
    pub model: String,
    /// What the model predicted, with scores where it gives them.
    pub result: TaskResult,
    /// control → label → probability (choice controls).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub scores: Map<String, Value>,
}

/// The gold answers of `file` (JSONL of `{"task", "result", "explanation"?}`), checked against the schema.
pub fn parse_gold(
    file: &str,
    text: &str,
    schema: &Schema,
    tasks: Option<&TaskIds>,
) -> Result<Vec<GoldItem>, InputError> {
    parse_lines(file, text, |line_no, obj| {
        let at =
            |path: &str, why: String| InputError::new(file, Place::LinePath { line: line_no, path: path.into() }, why);
        let task = take_task(obj, tasks, &at)?;
        let result = parse_result(obj.get("result"), schema, &at)?;
        let explanation = opt_str(obj, "explanation", &at)?;
        let section = opt_str(obj, "section", &at)?;
        reject_unknown(obj, &["task", "result", "explanation", "section"], &at)?;
        Ok(GoldItem { task, result, explanation, section })
    })
}

/// One person's annotation of one task, as exported: the same `result` shape as gold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnotationRecord {
    /// The task's id.
    pub task: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    /// Who annotated it.
    pub annotator: String,
    /// What they submitted.
    pub result: TaskResult,
    /// The guideline version the annotation was made under.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub guideline_version: String,
}

/// Annotations JSONL: `{"task", "annotator"?, "result", "guideline_version"?}` per line.
pub fn parse_annotations(
    file: &str,
    text: &str,
    schema: &Schema,
    tasks: Option<&TaskIds>,
) -> Result<Vec<AnnotationRecord>, InputError> {
    parse_lines(file, text, |line_no, obj| {
        let at =
            |path: &str, why: String| InputError::new(file, Place::LinePath { line: line_no, path: path.into() }, why);
        let task = take_task(obj, tasks, &at)?;
        let annotator = opt_str(obj, "annotator", &at)?;
        let guideline_version = opt_str(obj, "guideline_version", &at)?;
        let result = parse_result(obj.get("result"), schema, &at)?;
        reject_unknown(obj, &["task", "annotator", "result", "guideline_version"], &at)?;
        Ok(AnnotationRecord { task, annotator, result, guideline_version })
    })
}

/// The predictions of `file` (JSONL of `{"task", "model", "result"}`), checked against the schema.
pub fn parse_predictions(
    file: &str,
    text: &str,
    schema: &Schema,
    tasks: Option<&TaskIds>,
) -> Result<Vec<Prediction>, InputError> {
    parse_lines(file, text, |line_no, obj| {
        let at =
            |path: &str, why: String| InputError::new(file, Place::LinePath { line: line_no, path: path.into() }, why);
        let task = take_task(obj, tasks, &at)?;
        let model = opt_str(obj, "model", &at)?;
        let result = parse_result(obj.get("result"), schema, &at)?;
        let scores = match obj.get("scores") {
            None => Map::new(),
            Some(Value::Object(m)) => {
                for (control, per_label) in m {
                    let c = schema
                        .control(control)
                        .ok_or_else(|| at(&format!("$.scores.{control}"), format!("unknown control `{control}`")))?;
                    let per_label = per_label.as_object().ok_or_else(|| {
                        at(&format!("$.scores.{control}"), "expected an object label → probability".into())
                    })?;
                    for (label, p) in per_label {
                        let path = format!("$.scores.{control}.{label}");
                        if c.label_index(label).is_none() {
                            return Err(at(&path, format!("unknown label `{label}` for control `{control}`")));
                        }
                        match p.as_f64() {
                            Some(p) if (0.0..=1.0).contains(&p) => {}
                            _ => return Err(at(&path, format!("{p} is not a probability in [0, 1]"))),
                        }
                    }
                }
                m.clone()
            }
            Some(_) => return Err(at("$.scores", "expected an object".into())),
        };
        reject_unknown(obj, &["task", "model", "result", "scores"], &at)?;
        Ok(Prediction { task, model, result, scores })
    })
}

fn parse_lines<T>(
    file: &str,
    text: &str,
    mut each: impl FnMut(usize, &Map<String, Value>) -> Result<T, InputError>,
) -> Result<Vec<T>, InputError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line).map_err(|e| {
            InputError::new(
                file,
                Place::Line { line: line_no, column: Some(e.column()) },
                format!("invalid JSON: {}", strip_position(&e.to_string())),
            )
        })?;
        let obj = value.as_object().ok_or_else(|| {
            InputError::new(file, Place::LinePath { line: line_no, path: "$".into() }, "expected a JSON object")
        })?;
        out.push(each(line_no, obj)?);
    }
    Ok(out)
}

fn take_task(
    obj: &Map<String, Value>,
    tasks: Option<&TaskIds>,
    at: &impl Fn(&str, String) -> InputError,
) -> Result<String, InputError> {
    let id = match obj.get("task") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(_) => return Err(at("$.task", "expected a non-empty task id string".into())),
        None => return Err(at("$", "missing field `task`".into())),
    };
    if let Some(ids) = tasks {
        if !ids.contains(&id) {
            return Err(at("$.task", format!("unknown task id `{id}`")));
        }
    }
    Ok(id)
}

fn opt_str(
    obj: &Map<String, Value>,
    key: &str,
    at: &impl Fn(&str, String) -> InputError,
) -> Result<String, InputError> {
    match obj.get(key) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(at(&format!("$.{key}"), "expected a string".into())),
    }
}

fn reject_unknown(
    obj: &Map<String, Value>,
    known: &[&str],
    at: &impl Fn(&str, String) -> InputError,
) -> Result<(), InputError> {
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(at(&format!("$.{k}"), format!("unknown field `{k}`, expected one of {}", known.join(", ")))),
        None => Ok(()),
    }
}

/// Reads a `result` object (control name → value), typing each value by its control and checking labels.
pub fn parse_result(
    value: Option<&Value>,
    schema: &Schema,
    at: &impl Fn(&str, String) -> InputError,
) -> Result<TaskResult, InputError> {
    let obj = match value {
        Some(Value::Object(m)) => m,
        Some(_) => return Err(at("$.result", "expected an object of control name → value".into())),
        None => return Err(at("$", "missing field `result`".into())),
    };
    let mut result = TaskResult::default();
    for (name, v) in obj {
        let path = format!("$.result.{name}");
        let control = schema.control(name).ok_or_else(|| {
            let known: Vec<&str> = schema.controls.iter().map(|c| c.name.as_str()).collect();
            at(&path, format!("unknown control `{name}` (the schema has {})", known.join(", ")))
        })?;
        let check_label = |label: &str, p: String| {
            if control.label_index(label).is_none() {
                Err(at(&p, format!("unknown label `{label}` for control `{name}`")))
            } else {
                Ok(())
            }
        };
        let typed = match control.kind {
            ControlKind::SingleChoice | ControlKind::MultiChoice | ControlKind::Rating => {
                let labels: Vec<String> = typed(v, &path, at)?;
                if control.kind.is_single() && labels.len() > 1 {
                    return Err(at(&path, format!("`{name}` is single-choice but has {} labels", labels.len())));
                }
                for (i, l) in labels.iter().enumerate() {
                    check_label(l, format!("{path}[{i}]"))?;
                }
                ControlValue::Choices(labels)
            }
            ControlKind::Spans => {
                let spans: Vec<SpanRegion> = typed(v, &path, at)?;
                for (i, s) in spans.iter().enumerate() {
                    check_label(&s.label, format!("{path}[{i}].label"))?;
                    if s.start >= s.end {
                        return Err(at(
                            &format!("{path}[{i}]"),
                            format!("empty or reversed span {}..{}", s.start, s.end),
                        ));
                    }
                }
                ControlValue::Spans(spans)
            }
            ControlKind::Boxes => {
                let boxes: Vec<BoxRegion> = typed(v, &path, at)?;
                for (i, b) in boxes.iter().enumerate() {
                    check_label(&b.label, format!("{path}[{i}].label"))?;
                    let finite = [b.x, b.y, b.w, b.h].iter().all(|v| v.is_finite());
                    if !finite || b.w < 0.0 || b.h < 0.0 {
                        return Err(at(
                            &format!("{path}[{i}]"),
                            "box coordinates must be finite, with w, h ≥ 0".into(),
                        ));
                    }
                }
                ControlValue::Boxes(boxes)
            }
            ControlKind::Polygons => {
                let polygons: Vec<PolygonRegion> = typed(v, &path, at)?;
                for (i, p) in polygons.iter().enumerate() {
                    check_label(&p.label, format!("{path}[{i}].label"))?;
                    if p.points.len() < 3 {
                        return Err(at(
                            &format!("{path}[{i}].points"),
                            format!("{} vertices; a polygon needs at least 3", p.points.len()),
                        ));
                    }
                    if let Some(k) = p.points.iter().position(|q| !q[0].is_finite() || !q[1].is_finite()) {
                        return Err(at(&format!("{path}[{i}].points[{k}]"), "coordinates must be finite".into()));
                    }
                }
                ControlValue::Polygons(polygons)
            }
            #[cfg(not(feature = "scene"))]
            ControlKind::Cuboids => {
                return Err(at(&path, "this build reads no cuboids: point-cloud projects open in the 3D mode".into()));
            }
            #[cfg(feature = "scene")]
            ControlKind::Cuboids => {
                let cuboids: Vec<Cuboid> = typed(v, &path, at)?;
                for (i, c) in cuboids.iter().enumerate() {
                    check_label(&c.label, format!("{path}[{i}].label"))?;
                    if !c.is_valid() {
                        return Err(at(
                            &format!("{path}[{i}]"),
                            "centre, size and yaw must be finite, sizes > 0".into(),
                        ));
                    }
                }
                ControlValue::Cuboids(cuboids)
            }
        };
        result.0.insert(name.clone(), typed);
    }
    Ok(result)
}

fn typed<T: serde::de::DeserializeOwned>(
    v: &Value,
    path: &str,
    at: &impl Fn(&str, String) -> InputError,
) -> Result<T, InputError> {
    // Read from the value's text, not the value: the same `Deserialize` code as every other reader of these types
    // (a second, `&Value`-reading copy of it for four types costs browsers more than the re-serialising costs here).
    crate::json_path::from_str(&v.to_string()).map_err(|e| {
        let sub = e.path().to_string();
        let full = if sub == "." {
            path.to_string()
        } else if sub.starts_with('[') {
            format!("{path}{sub}")
        } else {
            format!("{path}.{sub}")
        };
        at(&full, strip_position(&e.into_inner().to_string()))
    })
}
