//! `concord export --bundle DIR LABELS... --to FORMAT OUT/` — work done in Concord (annotator mode's logs, or
//! annotation exports) in another tool's format, so it goes back to the tool a team already uses: Label Studio JSON,
//! doccano or Prodigy JSONL (texts), CVAT for images XML, Pascal VOC XML or YOLO txt (images). Files go into a new or
//! empty folder, one per annotator where the format has no annotator field.

use std::collections::BTreeMap;
use std::ffi::OsString;

use concord_engine::bundle::AnnotationRecord;
use concord_engine::formats::{cvat, doccano, label_studio_write, prodigy, voc, yolo, WriteError};
use concord_engine::model::{ControlKind, Schema, Task};
use lexopt::ValueExt;
use serde_json::json;

use crate::Failure;

const FORMATS: &str = "label-studio, doccano, prodigy, cvat, voc or yolo";

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut to = None::<String>;
    let common = super::parse(args, |option, p| {
        match option {
            "to" => to = Some(p.value()?.string()?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let to = to.ok_or_else(|| Failure::Input(format!("--to FORMAT is required: {FORMATS}")))?;
    let dir = common.bundle.clone().ok_or_else(|| Failure::Input("--bundle DIR is required: the project".into()))?;
    let [labels @ .., out] = common.files.as_slice() else {
        return Err(Failure::Input(
            "give the labels and a new folder: `concord export --bundle DIR LABELS... --to F OUT/`".into(),
        ));
    };
    if labels.is_empty() {
        return Err(Failure::Input("no labels to export: give Concord logs or annotation exports".into()));
    }
    let (b, _) = crate::input::bundle(&dir)?;
    let records = crate::input::records_of(labels, &b.project.schema)?;
    let control = pick_control(&b.project.schema, common.control.as_deref(), &to)?;
    let tasks: Vec<&Task> = b.tasks.iter().collect();
    let by_annotator = by_annotator(&records);
    let bad = |e: WriteError| Failure::Input(format!("{}: {e}", dir.display()));
    let labels_of = |c: &str| -> Vec<String> {
        b.project.schema.control(c).map(|c| c.labels.iter().map(|l| l.value.clone()).collect()).unwrap_or_default()
    };
    let mut files: Vec<(String, String)> = Vec::new();
    match to.as_str() {
        "label-studio" | "labelstudio" | "ls" => {
            files.push((
                "label-studio.json".into(),
                label_studio_write::write_label_studio(&tasks, &records).map_err(bad)?,
            ));
        }
        "doccano" => {
            for (who, mine) in &by_annotator {
                files.push((
                    format!("{}.jsonl", file_name(who)),
                    doccano::write_doccano(&tasks, mine, &control).map_err(bad)?,
                ));
            }
        }
        "prodigy" => {
            let all: Vec<&AnnotationRecord> = records.iter().collect();
            files.push((
                "prodigy.jsonl".into(),
                prodigy::write_prodigy(&tasks, &all, &control, &labels_of(&control)).map_err(bad)?,
            ));
        }
        "cvat" | "voc" | "yolo" => {
            for (who, mine) in &by_annotator {
                let folder = file_name(who);
                let mine: Vec<AnnotationRecord> = mine.iter().map(|r| (*r).clone()).collect();
                if let Some(r) = mine.iter().find(|r| !tasks.iter().any(|t| t.id == r.task)) {
                    return Err(Failure::Input(format!(
                        "an annotation of task `{}`, which the bundle does not have",
                        r.task
                    )));
                }
                let schema = &b.project.schema;
                match to.as_str() {
                    "cvat" => files
                        .push((format!("{folder}.xml"), cvat::write_cvat_records(&tasks, &mine, schema).map_err(bad)?)),
                    "voc" => {
                        for (path, text) in voc::write_voc_records(&tasks, &mine, schema).map_err(bad)? {
                            files.push((format!("{folder}/{path}"), text));
                        }
                    }
                    _ => {
                        for (path, text) in yolo::write_yolo_records(&tasks, &mine, schema).map_err(bad)? {
                            files.push((format!("{folder}/{path}"), text));
                        }
                    }
                }
            }
        }
        other => return Err(Failure::Input(format!("--to `{other}`: not a format Concord writes ({FORMATS})"))),
    }
    super::bundle::check_empty(out)?;
    super::bundle::write_files(out, &files)?;
    Ok(crate::to_json(&json!({
        "ok": true,
        "format": to,
        "annotations": records.len(),
        "annotators": by_annotator.len(),
        "control": control,
        "files": files.iter().map(|(p, _)| p).collect::<Vec<_>>(),
    })))
}

/// The control a single-control format writes: `--control`, else the first the format can hold.
fn pick_control(schema: &Schema, given: Option<&str>, to: &str) -> Result<String, Failure> {
    let fits = |k: ControlKind| match to {
        "doccano" | "prodigy" => {
            matches!(k, ControlKind::Spans | ControlKind::SingleChoice | ControlKind::MultiChoice | ControlKind::Rating)
        }
        "voc" => k == ControlKind::Boxes,
        _ => true,
    };
    if let Some(c) = given {
        let control = schema
            .control(c)
            .ok_or_else(|| Failure::Input(format!("--control `{c}`: the project has no such control")))?;
        if !fits(control.kind) {
            return Err(Failure::Input(format!("--control `{c}`: {to} cannot hold a {:?} control", control.kind)));
        }
        return Ok(c.to_string());
    }
    schema
        .controls
        .iter()
        .find(|c| fits(c.kind))
        .map(|c| c.name.clone())
        .ok_or_else(|| Failure::Input(format!("the project has no control {to} can hold")))
}

fn by_annotator(records: &[AnnotationRecord]) -> BTreeMap<String, Vec<&AnnotationRecord>> {
    let mut out: BTreeMap<String, Vec<&AnnotationRecord>> = BTreeMap::new();
    for r in records {
        out.entry(r.annotator.clone()).or_default().push(r);
    }
    out
}

/// An annotator's name as a file name: path separators and control characters replaced.
fn file_name(who: &str) -> String {
    let name: String = who.chars().map(|c| if c == '/' || c == '\\' || c.is_control() { '_' } else { c }).collect();
    if name.is_empty() || name == "." || name == ".." {
        "annotator".into()
    } else {
        name
    }
}
