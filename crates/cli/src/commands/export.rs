//! `concord export --bundle DIR LABELS... --to FORMAT OUT/` — work done in Concord (annotator mode's logs, or
//! annotation exports) in another tool's format, so it goes back to the tool a team already uses: Label Studio JSON,
//! doccano or Prodigy JSONL (texts), CVAT for images XML, Pascal VOC XML or YOLO txt (images). Files go into a new or
//! empty folder, one per annotator where the format has no annotator field.

use std::collections::BTreeMap;
use std::ffi::OsString;

use concord_engine::bundle::AnnotationRecord;
use concord_engine::formats::{cvat, doccano, label_studio_write, prodigy, voc, yolo, WriteError};
use concord_engine::model::{Control, Schema, Task};
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
    let schema = &b.project.schema;
    let records = crate::input::records_of(labels, schema)?;
    let tasks: Vec<&Task> = b.tasks.iter().collect();
    if let Some(r) = records.iter().find(|r| !tasks.iter().any(|t| t.id == r.task)) {
        return Err(Failure::Input(format!("an annotation of task `{}`, which the bundle does not have", r.task)));
    }
    let by_annotator = by_annotator(&records);
    let bad = |e: WriteError| Failure::Input(format!("{}: {e}", dir.display()));
    let mut control = None;
    let mut files: Vec<(String, String)> = Vec::new();
    match to.as_str() {
        "label-studio" | "labelstudio" | "ls" => {
            files.push((
                "label-studio.json".into(),
                label_studio_write::write_label_studio(&tasks, &records).map_err(bad)?,
            ));
        }
        "doccano" | "prodigy" => {
            let c = text_control(schema, common.control.as_deref(), &to)?;
            if to == "doccano" {
                for (who, mine) in &by_annotator {
                    files.push((
                        format!("{}.jsonl", file_name(who)),
                        doccano::write_doccano(&tasks, mine, &c.name).map_err(bad)?,
                    ));
                }
            } else {
                let options: Vec<String> = c.labels.iter().map(|l| l.value.clone()).collect();
                files.push((
                    "prodigy.jsonl".into(),
                    prodigy::write_prodigy(&tasks, &records, &c.name, &options).map_err(bad)?,
                ));
            }
            control = Some(c.name.clone());
        }
        "cvat" | "voc" | "yolo" => {
            // Every box and polygon control's regions (VOC: boxes), a file or folder per annotator.
            for (who, mine) in &by_annotator {
                let folder = file_name(who);
                let folder_files = match to.as_str() {
                    "cvat" => vec![(String::new(), cvat::write_cvat_records(&tasks, mine, schema).map_err(bad)?)],
                    "voc" => voc::write_voc_records(&tasks, mine, schema).map_err(bad)?,
                    _ => yolo::write_yolo_records(&tasks, mine, schema).map_err(bad)?,
                };
                for (path, text) in folder_files {
                    let name = if path.is_empty() { format!("{folder}.xml") } else { format!("{folder}/{path}") };
                    files.push((name, text));
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

/// The control doccano or Prodigy writes (they hold one): `--control`, else the first they can hold.
fn text_control<'s>(schema: &'s Schema, given: Option<&str>, to: &str) -> Result<&'s Control, Failure> {
    match given {
        Some(c) => {
            let control = schema
                .control(c)
                .ok_or_else(|| Failure::Input(format!("--control `{c}`: the project has no such control")))?;
            if !concord_engine::formats::text_format_holds(control.kind) {
                return Err(Failure::Input(format!("--control `{c}`: {to} cannot hold a {:?} control", control.kind)));
            }
            Ok(control)
        }
        None => concord_engine::formats::text_format_control(schema)
            .ok_or_else(|| Failure::Input(format!("the project has no control {to} can hold"))),
    }
}

fn by_annotator(records: &[AnnotationRecord]) -> BTreeMap<String, Vec<AnnotationRecord>> {
    let mut out: BTreeMap<String, Vec<AnnotationRecord>> = BTreeMap::new();
    for r in records {
        out.entry(r.annotator.clone()).or_default().push(r.clone());
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
