//! Writing Label Studio's JSON export from Concord annotations, so work done here opens in Label Studio and in
//! every tool that reads its format (and in Concord's own reader, `super::label_studio`).
//!
//! Mapping: a choice control → one `choices` result; a span → a `labels` result with `start`/`end` in code
//! points and the covered `text`; a box → a `rectanglelabels` result in percent of the image's natural size,
//! with `original_width`/`original_height`; a polygon → a `polygonlabels` result (`points` in percent, `closed`);
//! a region's attributes → `choices` results sharing the region's `id`
//! (`from_name` = the attribute, values as strings). `to_name` is the task's data field (`text` or `image`).

use serde_json::{json, Map, Value};

use super::WriteError;
use crate::bundle::AnnotationRecord;
use crate::model::{ControlValue, Task};

/// One Label Studio task per task with at least one record, in the order of `tasks`. A box or polygon control on a task
/// without a natural image size cannot be expressed in percent: that is an error naming the task.
pub fn write_label_studio(tasks: &[&Task], records: &[AnnotationRecord]) -> Result<String, WriteError> {
    let mut out = Vec::new();
    for task in tasks {
        let mine: Vec<&AnnotationRecord> = records.iter().filter(|r| r.task == task.id).collect();
        if mine.is_empty() {
            continue;
        }
        let mut data = Map::new();
        if let Some(t) = &task.data.text {
            data.insert("text".into(), Value::String(t.clone()));
        }
        if let Some(i) = &task.data.image {
            data.insert("image".into(), Value::String(i.clone()));
        }
        let to_name = if task.data.text.is_some() { "text" } else { "image" };
        let mut annotations = Vec::new();
        for (k, r) in mine.iter().enumerate() {
            annotations.push(json!({
                "id": k + 1,
                "completed_by": {"email": r.annotator},
                "result": results(task, to_name, r)?,
                "was_cancelled": false,
                "ground_truth": false,
                "guideline_version": r.guideline_version,
            }));
        }
        out.push(json!({"id": task.id, "data": data, "annotations": annotations}));
    }
    Ok(serde_json::to_string_pretty(&out).expect("JSON values serialize"))
}

fn results(task: &Task, to_name: &str, r: &AnnotationRecord) -> Result<Vec<Value>, WriteError> {
    let mut out = Vec::new();
    let chars: Vec<char> = task.data.text.as_deref().unwrap_or("").chars().collect();
    for (control, value) in &r.result.0 {
        match value {
            ControlValue::Choices(c) => {
                if !c.is_empty() {
                    out.push(json!({"from_name": control, "to_name": to_name, "type": "choices",
                                    "value": {"choices": c}}));
                }
            }
            ControlValue::Spans(spans) => {
                for (i, s) in spans.iter().enumerate() {
                    let text: String = chars.get(s.start..s.end.min(chars.len())).unwrap_or(&[]).iter().collect();
                    out.push(json!({"id": format!("{control}-{i}"), "from_name": control, "to_name": to_name,
                                    "type": "labels",
                                    "value": {"start": s.start, "end": s.end, "text": text, "labels": [s.label]}}));
                }
            }
            ControlValue::Boxes(boxes) => {
                let (w, h) = natural_size(task, "boxes")?;
                for (i, b) in boxes.iter().enumerate() {
                    let id = format!("{control}-{i}");
                    out.push(json!({"id": id, "from_name": control, "to_name": to_name, "type": "rectanglelabels",
                                    "original_width": w, "original_height": h, "image_rotation": 0,
                                    "value": {"x": b.x * 100.0 / w, "y": b.y * 100.0 / h,
                                              "width": b.w * 100.0 / w, "height": b.h * 100.0 / h,
                                              "rotation": 0, "rectanglelabels": [b.label]}}));
                    attributes(&mut out, &id, to_name, &b.attributes);
                }
            }
            ControlValue::Polygons(polygons) => {
                let (w, h) = natural_size(task, "polygons")?;
                for (i, p) in polygons.iter().enumerate() {
                    let id = format!("{control}-{i}");
                    let points: Vec<[f64; 2]> = p.points.iter().map(|q| [q[0] * 100.0 / w, q[1] * 100.0 / h]).collect();
                    out.push(json!({"id": id, "from_name": control, "to_name": to_name, "type": "polygonlabels",
                                    "original_width": w, "original_height": h, "image_rotation": 0,
                                    "value": {"points": points, "closed": true, "polygonlabels": [p.label]}}));
                    attributes(&mut out, &id, to_name, &p.attributes);
                }
            }
        }
    }
    Ok(out)
}

fn natural_size(task: &Task, what: &'static str) -> Result<(f64, f64), WriteError> {
    match (task.data.width, task.data.height) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(WriteError::NoImageSize { task: task.id.clone(), needed_by: what }),
    }
}

/// A region's attributes as `choices` results sharing its `id`.
fn attributes(out: &mut Vec<Value>, id: &str, to_name: &str, attrs: &std::collections::BTreeMap<String, Value>) {
    for (name, v) in attrs {
        let shown = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.push(json!({"id": id, "from_name": name, "to_name": to_name, "type": "choices",
                        "value": {"choices": [shown]}}));
    }
}
