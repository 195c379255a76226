//! `concord bundle new ITEMS.csv OUT/ --labels a,b,c [--type T] …` — a project bundle from a CSV of texts or image
//! URLs (the engine makes and checks the files; this writes them into a new folder and never over anything).

use std::ffi::OsString;
use std::path::Path;

use concord_engine::bundle::{new_bundle, NewProject};
use concord_engine::model::ControlKind;
use lexopt::ValueExt;
use serde_json::json;

use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut args = args.into_iter();
    match args.next().as_ref().and_then(|a| a.to_str()) {
        Some("new") => new(args.collect()),
        Some("from-label-studio") => from_label_studio(args.collect()),
        Some("to-label-studio") => to_label_studio(args.collect()),
        Some(other) => Err(Failure::Input(format!("unknown `bundle` command `{other}`: try `concord help bundle`"))),
        None => {
            Err(Failure::Input("`concord bundle new ITEMS.csv OUT/ --labels a,b`: see `concord help bundle`".into()))
        }
    }
}

fn new(args: Vec<OsString>) -> Result<String, Failure> {
    let (mut labels, mut kind, mut name, mut id, mut prompt) =
        (None::<String>, ControlKind::SingleChoice, None, None, String::new());
    let (mut overlap, mut chunk) = (1u32, 1000usize);
    let common = super::parse(args, |option, p| {
        let v = p.value()?.string()?;
        let whole = |what: &str| Failure::Input(format!("--{option}: `{v}` is not {what}"));
        match option {
            "labels" => labels = Some(v),
            "type" => {
                kind = serde_json::from_value(json!(v.replace('-', "_"))).map_err(|_| {
                    whole("a control type (single_choice, multi_choice, rating, spans, boxes, polygons)")
                })?
            }
            "name" => name = Some(v),
            "id" => id = Some(v),
            "prompt" => prompt = v,
            "overlap" => overlap = v.parse().map_err(|_| whole("a whole number ≥ 1"))?,
            "chunk" => chunk = v.parse().ok().filter(|&n| n > 0).ok_or_else(|| whole("a whole number ≥ 1"))?,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let [items, out] = common.files.as_slice() else {
        return Err(Failure::Input(
            "give the items CSV and the new bundle's folder: `concord bundle new ITEMS.csv OUT/`".into(),
        ));
    };
    let labels: Vec<String> = labels
        .ok_or_else(|| Failure::Input("--labels a,b,c is required: the labels annotators choose from".into()))?
        .split(',')
        .map(|l| l.trim().to_string())
        .collect();
    let control = common.control.clone().unwrap_or_else(|| "label".into());
    check_empty(out)?;
    let name = name
        .unwrap_or_else(|| out.file_name().map_or_else(|| "New project".into(), |n| n.to_string_lossy().into_owned()));
    let id = id.unwrap_or_else(|| concord_engine::guidelines::slug(&name));
    let spec = NewProject { id, name, kind, control, labels, prompt, overlap, chunk_size: chunk };
    let file =
        std::fs::File::open(items).map_err(|e| Failure::Input(format!("{}: cannot read: {e}", items.display())))?;
    let made = new_bundle(&items.display().to_string(), std::io::BufReader::new(file), &spec)?;
    write_files(out, &made.files)?;
    Ok(crate::to_json(&json!({
        "ok": true,
        "folder": out,
        "id": spec.id,
        "name": spec.name,
        "tasks": made.tasks,
        "data": made.data,
        "files": made.files.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        "next": format!("edit {} (one section per label), then serve the folder and open ?project=<its URL>",
            out.join("guidelines.md").display()),
    })))
}

/// `concord bundle from-label-studio --config CONFIG.xml EXPORT.json OUT/`: the schema from the label config, the
/// tasks from the export, its ground truth as gold, its predictions kept.
fn from_label_studio(args: Vec<OsString>) -> Result<String, Failure> {
    let (mut config, mut name, mut id) = (None::<std::path::PathBuf>, None::<String>, None::<String>);
    let common = super::parse(args, |option, p| {
        match option {
            "config" => config = Some(std::path::PathBuf::from(p.value()?)),
            "name" => name = Some(p.value()?.string()?),
            "id" => id = Some(p.value()?.string()?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let config = config.or(common.label_config.clone()).ok_or_else(|| {
        Failure::Input("--config CONFIG.xml is required: the project's label config (Labeling Interface → Code)".into())
    })?;
    let [export, out] = common.files.as_slice() else {
        return Err(Failure::Input(
            "give the export and the new bundle's folder: `concord bundle from-label-studio --config CONFIG.xml EXPORT.json OUT/`"
                .into(),
        ));
    };
    check_empty(out)?;
    let parsed = concord_engine::formats::label_studio_config::parse_label_config(
        &config.display().to_string(),
        &crate::input::read_to_string(&config)?,
    )?;
    let ls = crate::input::read_label_studio_files(std::slice::from_ref(export))?;
    let name = name.unwrap_or_else(|| {
        out.file_name().map_or_else(|| "From Label Studio".into(), |n| n.to_string_lossy().into_owned())
    });
    let id = id.unwrap_or_else(|| concord_engine::guidelines::slug(&name));
    let made = concord_engine::formats::label_studio_bundle::bundle_from_label_studio(
        &export.display().to_string(),
        &parsed,
        &ls,
        &id,
        &name,
    )?;
    write_files(out, &made.files)?;
    Ok(crate::to_json(&json!({
        "ok": true,
        "folder": out,
        "id": id,
        "name": name,
        "tasks": made.tasks,
        "gold": made.gold,
        "predictions": made.predictions,
        "dropped": made.dropped,
        "files": made.files.iter().map(|(p, _)| p).collect::<Vec<_>>(),
    })))
}

/// `concord bundle to-label-studio BUNDLE/ OUT/ [LABELS...] [--image-root URL]`: a label config and the tasks
/// (with the bundle's predictions, and its gold as ground truth) that Label Studio imports; with labels (Concord
/// logs or annotation exports), also their Label Studio export, to bring work done here back.
fn to_label_studio(args: Vec<OsString>) -> Result<String, Failure> {
    let mut image_root = None::<String>;
    let common = super::parse(args, |option, p| {
        match option {
            "image-root" => image_root = Some(p.value()?.string()?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let [dir, out, labels @ ..] = common.files.as_slice() else {
        return Err(Failure::Input(
            "give the bundle and a new folder: `concord bundle to-label-studio BUNDLE/ OUT/ [LABELS...]`".into(),
        ));
    };
    check_empty(out)?;
    let (b, _) = crate::input::bundle(dir)?;
    let records = if labels.is_empty() { Vec::new() } else { crate::input::records_of(labels, &b.project.schema)? };
    let annotations = records.len();
    let all: Vec<&concord_engine::model::Task> = b.tasks.iter().collect();
    // A point-cloud project's camera controls: a Label Studio project per camera, in a folder each (Label Studio
    // has no cuboids); any other project as it is.
    let sides = concord_engine::formats::camera_side::camera_sides(&b.project.schema, &all, &records);
    let mut parts = Vec::new();
    if sides.is_empty() {
        parts.push((String::new(), b.project.clone(), b.tasks.clone(), b.gold.clone(), b.predictions.clone(), records));
    }
    for side in sides {
        let project = concord_engine::bundle::Project { schema: side.schema.clone(), ..b.project.clone() };
        let gold = b
            .gold
            .iter()
            .map(|g| concord_engine::bundle::GoldItem { result: side.keep(&g.result), ..g.clone() })
            .collect();
        let predictions = b
            .predictions
            .iter()
            .map(|p| concord_engine::bundle::Prediction { result: side.keep(&p.result), ..p.clone() })
            .collect();
        parts.push((format!("{}/", side.camera), project, side.tasks, gold, predictions, side.records));
    }
    let (mut files, mut summary) = (Vec::new(), Vec::new());
    for (folder, project, tasks, gold, predictions, records) in &parts {
        let made = concord_engine::formats::label_studio_project::label_studio_project(
            project,
            tasks,
            gold,
            predictions,
            image_root.as_deref(),
        )
        .map_err(|e| Failure::Input(format!("{}: {e}", dir.display())))?;
        files.push((format!("{folder}label_config.xml"), made.config));
        files.push((format!("{folder}tasks.json"), made.tasks));
        if !labels.is_empty() {
            let tasks: Vec<&concord_engine::model::Task> = tasks.iter().collect();
            let export = concord_engine::formats::label_studio_write::write_label_studio(&tasks, records)
                .map_err(|e| Failure::Input(format!("{}: {e}", dir.display())))?;
            files.push((format!("{folder}annotations.json"), export));
        }
        summary.push((made.predictions, made.gold, made.dropped));
    }
    write_files(out, &files)?;
    let (predictions, gold, dropped) = summary.into_iter().fold((0, 0, Vec::new()), |(p, g, mut d), (mp, mg, md)| {
        d.extend(md);
        (p + mp, g + mg, d)
    });
    Ok(crate::to_json(&json!({
        "ok": true,
        "folder": out,
        "tasks": b.tasks.len(),
        "predictions": predictions,
        "gold": gold,
        "annotations": annotations,
        "dropped": dropped,
        "files": files.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        "next": "create a project with label_config.xml (Settings → Labeling Interface → Code), then import tasks.json",
    })))
}

/// Writes a new bundle's files under `out` (checked empty before anything was made).
pub(super) fn write_files(out: &Path, files: &[(String, String)]) -> Result<(), Failure> {
    for (path, text) in files {
        let target = out.join(path);
        let written =
            target.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|_| std::fs::write(&target, text));
        written.map_err(|e| Failure::Other(format!("{}: cannot write: {e}", target.display())))?;
    }
    Ok(())
}

/// A new bundle goes into a new or empty folder: nothing already there is overwritten.
pub(super) fn check_empty(out: &Path) -> Result<(), Failure> {
    match std::fs::read_dir(out).map(|mut entries| entries.next().is_some()) {
        Ok(true) => Err(Failure::Input(format!(
            "{}: the folder is not empty; give a new folder, so that nothing in it is overwritten",
            out.display()
        ))),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            Err(Failure::Input(format!("{}: is a file, not a folder", out.display())))
        }
        Err(e) => Err(Failure::Input(format!("{}: {e}", out.display()))),
    }
}
