//! `concord export --bundle DIR LABELS... --to FORMAT OUT/` — work done in Concord (annotator mode's logs, or
//! annotation exports) in another tool's format, so it goes back to the tool a team already uses: Label Studio JSON,
//! doccano or Prodigy JSONL (texts), COCO JSON, CVAT for images XML, Pascal VOC XML or YOLO txt (images). Files go
//! into a new or empty folder, one per annotator where the format has no annotator field. A point-cloud project's
//! boxes and polygons on a camera go as an image project, a folder per camera (`formats::camera_side`).

use std::collections::BTreeMap;
use std::ffi::OsString;

use concord_engine::bundle::AnnotationRecord;
use concord_engine::formats::camera_side::camera_sides;
use concord_engine::formats::{coco, cvat, doccano, label_studio_write, prodigy, voc, yolo, WriteError};
use concord_engine::model::{Control, DataKind, Schema, Task};
use lexopt::ValueExt;
use serde_json::json;

use crate::Failure;

const FORMATS: &str = "label-studio, doccano, prodigy, coco, cvat, voc or yolo";

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
    let bad = |e: WriteError| Failure::Input(format!("{}: {e}", dir.display()));
    let (files, control) = if schema.data == DataKind::PointCloud {
        // The 2D side, a folder per camera; the cuboids leave the 3D mode as KITTI or nuScenes files.
        let sides = camera_sides(schema, &tasks, &records);
        if sides.is_empty() {
            return Err(Failure::Input(format!(
                "{}: a point-cloud project without boxes or polygons on a camera: nothing {to} holds (its cuboids \
                 are exported as KITTI or nuScenes from the 3D mode)",
                dir.display()
            )));
        }
        let mut files = Vec::new();
        for side in &sides {
            let side_tasks: Vec<&Task> = side.tasks.iter().collect();
            let (mine, _) = write_format(&to, &side.schema, &side_tasks, &side.records, None).map_err(|e| match e {
                Written::Bad(e) => bad(e),
                Written::Failed(f) => f,
            })?;
            files.extend(mine.into_iter().map(|(path, text)| (format!("{}/{path}", file_name(&side.camera)), text)));
        }
        (files, None)
    } else {
        write_format(&to, schema, &tasks, &records, common.control.as_deref()).map_err(|e| match e {
            Written::Bad(e) => bad(e),
            Written::Failed(f) => f,
        })?
    };
    super::bundle::check_empty(out)?;
    super::bundle::write_files(out, &files)?;
    Ok(crate::to_json(&json!({
        "ok": true,
        "format": to,
        "annotations": records.len(),
        "annotators": by_annotator(&records).len(),
        "control": control,
        "files": files.iter().map(|(p, _)| p).collect::<Vec<_>>(),
    })))
}

/// Why a format could not be written: the writer's error, or a wrong request.
enum Written {
    Bad(WriteError),
    Failed(Failure),
}

impl From<WriteError> for Written {
    fn from(e: WriteError) -> Self {
        Written::Bad(e)
    }
}

impl From<Failure> for Written {
    fn from(f: Failure) -> Self {
        Written::Failed(f)
    }
}

/// Files to write: paths in the output folder, and their texts.
type Files = Vec<(String, String)>;

/// The files of `records` in format `to`, and the control written when the format holds one.
fn write_format(
    to: &str,
    schema: &Schema,
    tasks: &[&Task],
    records: &[AnnotationRecord],
    control: Option<&str>,
) -> Result<(Files, Option<String>), Written> {
    let by_annotator = by_annotator(records);
    let mut files: Files = Vec::new();
    let mut written_control = None;
    match to {
        "label-studio" | "labelstudio" | "ls" => {
            files.push(("label-studio.json".into(), label_studio_write::write_label_studio(tasks, records)?));
        }
        "doccano" | "prodigy" => {
            let c = text_control(schema, control, to)?;
            if to == "doccano" {
                for (who, mine) in &by_annotator {
                    files.push((format!("{}.jsonl", file_name(who)), doccano::write_doccano(tasks, mine, &c.name)?));
                }
            } else {
                let options: Vec<String> = c.labels.iter().map(|l| l.value.clone()).collect();
                files.push(("prodigy.jsonl".into(), prodigy::write_prodigy(tasks, records, &c.name, &options)?));
            }
            written_control = Some(c.name.clone());
        }
        "coco" | "cvat" | "voc" | "yolo" => {
            // Every box and polygon control's regions (VOC: boxes), a file or folder per annotator.
            for (who, mine) in &by_annotator {
                let folder = file_name(who);
                let folder_files = match to {
                    "coco" => vec![(".json".to_string(), coco::write_coco_records(tasks, mine, schema)?)],
                    "cvat" => vec![(".xml".to_string(), cvat::write_cvat_records(tasks, mine, schema)?)],
                    "voc" => voc::write_voc_records(tasks, mine, schema)?,
                    _ => yolo::write_yolo_records(tasks, mine, schema)?,
                };
                for (path, text) in folder_files {
                    let name =
                        if path.starts_with('.') { format!("{folder}{path}") } else { format!("{folder}/{path}") };
                    files.push((name, text));
                }
            }
        }
        other => return Err(Failure::Input(format!("--to `{other}`: not a format Concord writes ({FORMATS})")).into()),
    }
    Ok((files, written_control))
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
