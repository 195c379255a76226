//! Prodigy's JSONL (what `prodigy db-out` writes): a line per annotated task with its `text` and `answer`
//! (`accept`, `reject` or `ignore`), and
//! - spans (`ner_manual`, `spans_manual`): `"spans": [{"start", "end", "label", "token_start"?, "token_end"?}]`,
//!   character offsets (Python `str` indices: code points);
//! - a choice (`choice`): `"accept": [option ids]`;
//! - a binary label (`classification`, `textcat.teach`): `"label": "NAME"`, which the answer accepts or rejects.
//!
//! Only accepted answers are annotations: a rejected or ignored one says the task was seen, not what it holds, and
//! is counted (`LsExport::cancelled` for ignored, `skipped_types["prodigy reject"]` for rejected). The annotator is
//! `_annotator_id` (multi-user sessions) or `_session_id`, else the file's. The task is `meta.id` or `id` when given,
//! else `_input_hash` (Prodigy's hash of the input: the same text is the same task across annotators), else the line.
//!
//! Read into the same annotation set as Label Studio's exports: spans under control `spans`, choices and binary
//! labels under control `label`.

use serde_json::{json, Map, Value};

use super::label_studio::{LsAnnotation, LsExport, Region};
use super::WriteError;
use crate::bundle::AnnotationRecord;
use crate::error::{InputError, Place};
use crate::model::{ControlValue, Task};

/// The control Prodigy's spans are read under.
pub const SPANS: &str = "spans";
/// The control Prodigy's choices and binary labels are read under.
pub const LABEL: &str = "label";
/// The `skipped_types` entry counting rejected answers.
pub const REJECTED: &str = "prodigy reject";

/// Reads a `db-out` file; `annotator` names the annotator of lines that name none.
pub fn read_prodigy(file: &str, text: &str, annotator: &str) -> Result<LsExport, InputError> {
    let mut out = LsExport::default();
    let mut seen = std::collections::BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let err =
            |path: &str, why: String| InputError::new(file, Place::LinePath { line: line_no, path: path.into() }, why);
        let task: Map<String, Value> = match serde_json::from_str(line) {
            Ok(Value::Object(o)) => o,
            Ok(_) => return Err(InputError::at_line(file, line_no, "expected a JSON object per line")),
            Err(e) => return Err(InputError::at_line(file, line_no, e.to_string())),
        };
        let body =
            task.get("text").and_then(Value::as_str).ok_or_else(|| err("$.text", "missing task `text`".into()))?;
        let id_of = |v: Option<&Value>| match v {
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        let id = id_of(task.get("meta").and_then(|m| m.get("id")))
            .or_else(|| id_of(task.get("id")))
            .or_else(|| id_of(task.get("_input_hash")))
            .unwrap_or_else(|| line_no.to_string());
        let who = ["_annotator_id", "_session_id"]
            .iter()
            .find_map(|k| task.get(*k).and_then(Value::as_str).filter(|s| !s.is_empty()))
            .unwrap_or(annotator)
            .to_string();
        if seen.insert(id.clone()) {
            let mut data = Map::new();
            data.insert("text".into(), Value::String(body.to_string()));
            out.tasks.push((id.clone(), data));
        }
        match task.get("answer").and_then(Value::as_str) {
            Some("accept") => {}
            Some("ignore") => {
                out.cancelled += 1;
                continue;
            }
            Some("reject") => {
                *out.skipped_types.entry(REJECTED.into()).or_insert(0) += 1;
                continue;
            }
            Some(other) => return Err(err("$.answer", format!("`{other}` is not accept, reject or ignore"))),
            None => {
                return Err(err(
                    "$.answer",
                    "missing `answer`: not an annotated task (prodigy db-out writes it)".into(),
                ))
            }
        }
        let length = body.chars().count() as u64;
        let mut regions = Vec::new();
        if let Some(spans) = task.get("spans") {
            let list = spans.as_array().ok_or_else(|| err("$.spans", "expected a list".into()))?;
            for (k, s) in list.iter().enumerate() {
                let path = format!("$.spans[{k}]");
                let o = s.as_object().ok_or_else(|| err(&path, "expected a span object".into()))?;
                let (start, end) = match (o.get("start").and_then(Value::as_u64), o.get("end").and_then(Value::as_u64))
                {
                    (Some(s), Some(e)) => (s, e),
                    _ => return Err(err(&path, "expected whole-number `start` and `end`".into())),
                };
                if start >= end || end > length {
                    return Err(err(
                        &path,
                        format!("span {start}–{end} is not inside the text ({length} code points)"),
                    ));
                }
                let label = o
                    .get("label")
                    .and_then(Value::as_str)
                    .filter(|l| !l.is_empty())
                    .ok_or_else(|| err(&format!("{path}.label"), "expected a label".into()))?;
                regions.push(Region::Span {
                    control: SPANS.into(),
                    start: start as u32,
                    end: end as u32,
                    labels: vec![label.to_string()],
                    attributes: Default::default(),
                });
            }
        }
        if let Some(accepted) = task.get("accept") {
            let choices = accepted
                .as_array()
                .and_then(|a| a.iter().map(|v| id_of(Some(v))).collect::<Option<Vec<String>>>())
                .ok_or_else(|| err("$.accept", "expected a list of option ids".into()))?;
            regions.push(Region::Choices { control: LABEL.into(), choices });
        } else if let Some(label) = task.get("label").and_then(Value::as_str) {
            regions.push(Region::Choices { control: LABEL.into(), choices: vec![label.to_string()] });
        }
        out.annotations.push(LsAnnotation {
            created_at: task.get("_timestamp").and_then(Value::as_i64),
            ..LsAnnotation::made_by(id, &who, regions)
        });
    }
    Ok(out)
}

/// Records as Prodigy tasks, a line per record, all accepted: spans of `control` as `spans`, choices as `accept`
/// with the options they choose from (`options`, given by the caller: the control's labels).
pub fn write_prodigy(
    tasks: &[&Task],
    records: &[AnnotationRecord],
    control: &str,
    options: &[String],
) -> Result<String, WriteError> {
    let mut out = String::new();
    for r in records {
        let Some(task) = tasks.iter().find(|t| t.id == r.task) else { continue };
        let text = task.data.text.as_deref().unwrap_or("");
        let mut line = json!({"text": text, "meta": {"id": task.id}, "answer": "accept", "_annotator_id": r.annotator});
        match r.result.0.get(control) {
            Some(ControlValue::Spans(spans)) => {
                line["spans"] =
                    spans.iter().map(|s| json!({"start": s.start, "end": s.end, "label": s.label})).collect();
            }
            Some(ControlValue::Choices(chosen)) => {
                line["options"] = options.iter().map(|o| json!({"id": o, "text": o})).collect();
                line["accept"] = json!(chosen);
            }
            Some(_) => {
                return Err(WriteError::NotInFormat {
                    task: task.id.clone(),
                    what: "regions on an image",
                    format: "Prodigy",
                })
            }
            None => {}
        }
        out += &serde_json::to_string(&line).expect("JSON values");
        out.push('\n');
    }
    Ok(out)
}

/// Records as Prodigy JSONL, of the schema's first control Prodigy holds (spans, or a choice with its labels as the
/// options).
pub fn write_prodigy_records(
    tasks: &[&Task],
    records: &[AnnotationRecord],
    schema: &crate::model::Schema,
) -> Result<String, WriteError> {
    let control = super::text_format_control(schema).ok_or(WriteError::NoControl { format: "Prodigy" })?;
    let options: Vec<String> = control.labels.iter().map(|l| l.value.clone()).collect();
    write_prodigy(tasks, records, &control.name, &options)
}
