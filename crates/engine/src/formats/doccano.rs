//! doccano's JSONL (its import and export format; one file per annotator): a line per document with its `text` and
//! - text classification: `"label"` (or `"labels"`) as a list of label names;
//! - sequence labeling: `"label"` as a list of `[start, end, "LABEL"]` triples, or `"entities"` as a list of
//!   `{"start_offset", "end_offset", "label"}` (doccano 1.7's export).
//!
//! Offsets count code points (Python `str` indices, as doccano's backend computes them). The document's id is its
//! `id` when given, else its line number. Reading is strict: a span outside the text, reversed, or with a label that
//! is not text is an error naming the line. Old exports that give label *ids* (`"annotations": [{"label": 2}]`) are
//! refused with the reason: they do not say which label an id is.
//!
//! Read into the same annotation set as Label Studio's exports ([`LsExport`]): classification under control
//! `label`, spans under control `label` too (a doccano project is one or the other).

use serde_json::{json, Map, Value};

use super::label_studio::{LsAnnotation, LsExport, Region};
use super::WriteError;
use crate::bundle::AnnotationRecord;
use crate::error::InputError;
use crate::model::{ControlValue, Task};

/// The control name doccano's labels are read under.
pub const CONTROL: &str = "label";

/// Reads one annotator's file.
pub fn read_doccano(file: &str, text: &str, annotator: &str) -> Result<LsExport, InputError> {
    let mut out = LsExport::default();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let err = |path: &str, why: String| {
            InputError::new(file, crate::error::Place::LinePath { line: line_no, path: path.into() }, why)
        };
        let doc: Map<String, Value> = match serde_json::from_str(line) {
            Ok(Value::Object(o)) => o,
            Ok(_) => return Err(InputError::at_line(file, line_no, "expected a JSON object per line")),
            Err(e) => return Err(InputError::at_line(file, line_no, e.to_string())),
        };
        let body =
            doc.get("text").and_then(Value::as_str).ok_or_else(|| err("$.text", "missing document `text`".into()))?;
        let id = match doc.get("id") {
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => line_no.to_string(),
        };
        let length = body.chars().count() as u64;
        let mut regions = Vec::new();
        if doc.get("annotations").is_some() && doc.get("label").is_none() && doc.get("entities").is_none() {
            return Err(err(
                "$.annotations",
                "an old doccano export with label ids; export with label names (`label`) instead".into(),
            ));
        }
        let span = |path: String,
                    start: Option<u64>,
                    end: Option<u64>,
                    label: Option<&str>|
         -> Result<Region, InputError> {
            let (Some(start), Some(end)) = (start, end) else {
                return Err(err(&path, "expected whole-number start and end offsets".into()));
            };
            let label = label.filter(|l| !l.is_empty()).ok_or_else(|| err(&path, "expected a label name".into()))?;
            if start >= end || end > length {
                return Err(err(&path, format!("span {start}–{end} is not inside the text ({length} code points)")));
            }
            Ok(Region::Span {
                control: CONTROL.into(),
                start: start as u32,
                end: end as u32,
                labels: vec![label.to_string()],
                attributes: Default::default(),
            })
        };
        let (key, labels) = match (doc.get("label"), doc.get("labels")) {
            (Some(l), _) => ("label", Some(l)),
            (None, Some(l)) => ("labels", Some(l)),
            (None, None) => ("label", None),
        };
        match labels {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                let mut choices = Vec::new();
                for (k, item) in items.iter().enumerate() {
                    let path = format!("$.{key}[{k}]");
                    match item {
                        Value::String(s) => choices.push(s.clone()),
                        Value::Array(t) if t.len() == 3 => {
                            regions.push(span(path, t[0].as_u64(), t[1].as_u64(), t[2].as_str())?);
                        }
                        _ => return Err(err(&path, "expected a label name or a [start, end, label] triple".into())),
                    }
                }
                if !choices.is_empty() {
                    regions.push(Region::Choices { control: CONTROL.into(), choices });
                }
            }
            Some(Value::String(s)) => {
                regions.push(Region::Choices { control: CONTROL.into(), choices: vec![s.clone()] })
            }
            Some(_) => return Err(err(&format!("$.{key}"), "expected a list of labels or of spans".into())),
        }
        if let Some(entities) = doc.get("entities") {
            let list = entities.as_array().ok_or_else(|| err("$.entities", "expected a list".into()))?;
            for (k, e) in list.iter().enumerate() {
                let path = format!("$.entities[{k}]");
                let o = e.as_object().ok_or_else(|| err(&path, "expected an entity object".into()))?;
                regions.push(span(
                    path,
                    o.get("start_offset").and_then(Value::as_u64),
                    o.get("end_offset").and_then(Value::as_u64),
                    o.get("label").and_then(Value::as_str),
                )?);
            }
        }
        let mut data = Map::new();
        data.insert("text".into(), Value::String(body.to_string()));
        out.tasks.push((id.clone(), data));
        out.annotations.push(LsAnnotation::made_by(id, annotator, regions));
    }
    Ok(out)
}

/// One annotator's records of `control` as doccano JSONL: choices as `"label": [names]`, spans as
/// `"label": [[start, end, name]]`; a line per task with a record, in the order of `tasks`.
pub fn write_doccano(tasks: &[&Task], records: &[AnnotationRecord], control: &str) -> Result<String, WriteError> {
    let mut out = String::new();
    for task in tasks {
        let Some(r) = records.iter().find(|r| r.task == task.id) else { continue };
        let label: Vec<Value> = match r.result.0.get(control) {
            Some(ControlValue::Choices(c)) => c.iter().map(|l| json!(l)).collect(),
            Some(ControlValue::Spans(s)) => s.iter().map(|s| json!([s.start, s.end, s.label])).collect(),
            Some(_) => {
                return Err(WriteError::NotInFormat {
                    task: task.id.clone(),
                    what: "regions on an image",
                    format: "doccano",
                })
            }
            None => Vec::new(),
        };
        let text = task.data.text.as_deref().unwrap_or("");
        out += &serde_json::to_string(&json!({"id": task.id, "text": text, "label": label})).expect("JSON values");
        out.push('\n');
    }
    Ok(out)
}

/// Records as doccano JSONL, of the schema's first control doccano holds ([`super::text_format_control`]).
pub fn write_doccano_records(
    tasks: &[&Task],
    records: &[AnnotationRecord],
    schema: &crate::model::Schema,
) -> Result<String, WriteError> {
    let control = super::text_format_control(schema).ok_or(WriteError::NoControl { format: "doccano" })?;
    write_doccano(tasks, records, &control.name)
}
