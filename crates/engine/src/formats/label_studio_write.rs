//! Writing Label Studio's JSON export from Concord annotations, so work done here opens in Label Studio and in
//! every tool that reads its format (and in Concord's own reader, `super::label_studio`).
//!
//! Mapping: a choice control → one `choices` result; a span → a `labels` result with `start`/`end` in code
//! points and the covered `text`; a box → a `rectanglelabels` result in percent of the image's natural size,
//! with `original_width`/`original_height`; a polygon → a `polygonlabels` result (`points` in percent, `closed`);
//! a region's attributes → `choices` results sharing the region's `id`
//! (`from_name` = the attribute, values as strings). `to_name` is the task's data field (`text` or `image`). The
//! task's Concord id rides in its data as [`TASK_ID_FIELD`], with the image's natural size as `width`/`height`.

use serde_json::{json, Map, Value};

use super::WriteError;
use crate::bundle::AnnotationRecord;
use crate::model::{ControlValue, Task, TaskResult};

/// One Label Studio task per task with at least one record, in the order of `tasks`. A box or polygon control on a task
/// without a natural image size cannot be expressed in percent: that is an error naming the task.
pub fn write_label_studio(tasks: &[&Task], records: &[AnnotationRecord]) -> Result<String, WriteError> {
    let mut out = Vec::new();
    for task in tasks {
        let mine: Vec<&AnnotationRecord> = records.iter().filter(|r| r.task == task.id).collect();
        if mine.is_empty() {
            continue;
        }
        let data = task_data(task);
        let to_name = object_name(task);
        let mut annotations = Vec::new();
        for (k, r) in mine.iter().enumerate() {
            annotations.push(json!({
                "id": k + 1,
                "completed_by": {"email": r.annotator},
                "result": results(task, to_name, &r.result)?,
                "was_cancelled": false,
                "ground_truth": false,
                "guideline_version": r.guideline_version,
            }));
        }
        out.push(json!({"id": task.id, "data": data, "annotations": annotations}));
    }
    Ok(serde_json::to_string_pretty(&out).expect("JSON values serialize"))
}

/// The data field, and the object's name in the label config, that a task's regions point at (`to_name`).
pub(crate) fn object_name(task: &Task) -> &'static str {
    if task.data.text.is_some() {
        "text"
    } else {
        "image"
    }
}

/// A task's `data` as Label Studio keeps it: the text or image, the image's natural size, and the Concord task id
/// under [`TASK_ID_FIELD`] — Label Studio numbers the tasks it imports, so the id rides in the data to come back.
pub(crate) fn task_data(task: &Task) -> Map<String, Value> {
    let mut data = Map::new();
    if let Some(t) = &task.data.text {
        data.insert("text".into(), Value::String(t.clone()));
    }
    if let Some(i) = &task.data.image {
        data.insert("image".into(), Value::String(i.clone()));
    }
    if let (Some(w), Some(h)) = (task.data.width, task.data.height) {
        data.insert("width".into(), json!(w));
        data.insert("height".into(), json!(h));
    }
    data.insert(TASK_ID_FIELD.into(), Value::String(task.id.clone()));
    data
}

/// The data field that carries a task's Concord id through Label Studio, which gives imported tasks ids of its own.
/// Concord's Label Studio readers take a task's id from it when it is there.
pub const TASK_ID_FIELD: &str = "concord_id";

/// One result's regions as Label Studio result items; a region's `score` is kept on its item.
pub(crate) fn results(task: &Task, to_name: &str, result: &TaskResult) -> Result<Vec<Value>, WriteError> {
    let mut out = Vec::new();
    let chars: Vec<char> = task.data.text.as_deref().unwrap_or("").chars().collect();
    for (control, value) in &result.0 {
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
                    out.push(scored(
                        json!({"id": format!("{control}-{i}"), "from_name": control, "to_name": to_name,
                                    "type": "labels",
                                    "value": {"start": s.start, "end": s.end, "text": text, "labels": [s.label]}}),
                        s.score,
                    ));
                }
            }
            #[cfg(feature = "scene")]
            ControlValue::Cuboids(c) => {
                if !c.is_empty() {
                    return Err(WriteError::NotInFormat {
                        task: task.id.clone(),
                        what: "cuboids",
                        format: "Label Studio",
                    });
                }
            }
            ControlValue::Boxes(boxes) => {
                let (w, h) = natural_size(task, "boxes")?;
                for (i, b) in boxes.iter().enumerate() {
                    let id = format!("{control}-{i}");
                    out.push(scored(
                        json!({"id": id, "from_name": control, "to_name": to_name, "type": "rectanglelabels",
                                    "original_width": w, "original_height": h, "image_rotation": 0,
                                    "value": {"x": b.x * 100.0 / w, "y": b.y * 100.0 / h,
                                              "width": b.w * 100.0 / w, "height": b.h * 100.0 / h,
                                              "rotation": 0, "rectanglelabels": [b.label]}}),
                        b.score,
                    ));
                    attributes(&mut out, &id, to_name, &b.attributes);
                }
            }
            ControlValue::Polygons(polygons) => {
                let (w, h) = natural_size(task, "polygons")?;
                for (i, p) in polygons.iter().enumerate() {
                    let id = format!("{control}-{i}");
                    let points: Vec<[f64; 2]> = p.points.iter().map(|q| [q[0] * 100.0 / w, q[1] * 100.0 / h]).collect();
                    out.push(scored(
                        json!({"id": id, "from_name": control, "to_name": to_name, "type": "polygonlabels",
                                    "original_width": w, "original_height": h, "image_rotation": 0,
                                    "value": {"points": points, "closed": true, "polygonlabels": [p.label]}}),
                        p.score,
                    ));
                    attributes(&mut out, &id, to_name, &p.attributes);
                }
            }
        }
    }
    Ok(out)
}

/// A result item with the region's model score, when it has one.
fn scored(mut item: Value, score: Option<f64>) -> Value {
    if let (Some(s), Some(o)) = (score, item.as_object_mut()) {
        o.insert("score".into(), json!(s));
    }
    item
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
