//! A new bundle from a CSV of items (`concord bundle new`): one task per row, a schema of one control, a guideline
//! with a section per label to fill in. What it makes is loaded back with [`load_bundle`](super::load_bundle) before
//! it is returned, so a bundle made here always opens.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;

use serde_json::{Map, Value};

use super::manifest::{ChunkRef, GuidelinesRef, Project, Workflow, FORMAT_ID, FORMAT_VERSION};
use super::urls::check_media_url;
use crate::error::InputError;
use crate::guidelines::slug;
use crate::model::{Control, ControlKind, DataKind, Label, OverlapPolicy, Schema, Task, TaskData};

/// What the new project is: everything but its tasks, which come from the CSV.
#[derive(Debug, Clone)]
pub struct NewProject {
    /// The project's id.
    pub id: String,
    /// The project's name.
    pub name: String,
    /// What the annotator produces.
    pub kind: ControlKind,
    /// The control's name: the key of its value in results.
    pub control: String,
    /// The labels of its one control.
    pub labels: Vec<String>,
    /// The question shown beside the task.
    pub prompt: String,
    /// Annotators per task.
    pub overlap: u32,
    /// Tasks per chunk file.
    pub chunk_size: usize,
}

/// The files of a new bundle, as `(path relative to the bundle, contents)`, `project.json` first.
#[derive(Debug, Clone)]
pub struct NewBundle {
    /// Every file of the bundle: (path, text).
    pub files: Vec<(String, String)>,
    /// Tasks written.
    pub tasks: usize,
    /// What the tasks show.
    pub data: DataKind,
}

/// Makes a bundle from `items`, a CSV with a header: a `text` or an `image` column (exactly one: the data of each
/// task), optionally `id` (row numbers otherwise), `width` and `height` (an image's natural size in pixels); any
/// other column is kept as the task's `meta`. `file` names the CSV in errors.
pub fn new_bundle(file: &str, items: impl Read, spec: &NewProject) -> Result<NewBundle, InputError> {
    let whole = |why: String| InputError::whole(file, why);
    check_spec(spec).map_err(|why| InputError::whole("the new project", why))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(crate::csv_lines::LineIndex::new(items));
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| whole(format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let column = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (data, data_column) = match (column("text"), column("image")) {
        (Some(t), None) => (DataKind::Text, t),
        (None, Some(i)) => (DataKind::Image, i),
        (Some(_), Some(_)) => {
            return Err(whole("has both a `text` and an `image` column: keep the one to label".into()))
        }
        (None, None) => {
            return Err(whole(format!(
                "needs a `text` column (texts to label) or an `image` column (image URLs or paths); the header has {}",
                header.join(", ")
            )))
        }
    };
    let fits = match spec.kind {
        ControlKind::Spans => data == DataKind::Text,
        ControlKind::Boxes | ControlKind::Polygons => data == DataKind::Image,
        _ => true,
    };
    if !fits {
        return Err(whole(format!(
            "{} need {} data, and this file has a `{}` column",
            kind_name(spec.kind),
            if data == DataKind::Text { "image" } else { "text" },
            header[data_column]
        )));
    }
    let (id_column, width_column, height_column) = (column("id"), column("width"), column("height"));
    let meta_columns: Vec<usize> = (0..header.len())
        .filter(|c| ![Some(data_column), id_column, width_column, height_column].contains(&Some(*c)))
        .collect();

    let mut tasks = Vec::new();
    let mut seen = HashSet::new();
    let mut rows = 0;
    while let Some((record, line)) = crate::csv_lines::next_record(&mut reader, file)? {
        let row = rows;
        rows += 1;
        let at = |why: String| InputError::at_line(file, line, why);
        let cell = |c: usize| record.get(c).unwrap_or("").trim();
        let content = cell(data_column);
        if content.is_empty() {
            return Err(at(format!("the `{}` cell is empty", header[data_column])));
        }
        let id = match id_column {
            Some(c) if !cell(c).is_empty() => cell(c).to_string(),
            Some(_) => return Err(at("the `id` cell is empty".into())),
            None => format!("t{:06}", row + 1),
        };
        if !seen.insert(id.clone()) {
            return Err(at(format!("task id `{id}` is used twice")));
        }
        let size = |c: Option<usize>, name: &str| -> Result<Option<f64>, InputError> {
            match c.map(cell).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => match s.parse::<f64>() {
                    Ok(v) if v > 0.0 && v.is_finite() => Ok(Some(v)),
                    _ => Err(at(format!("`{name}` must be a positive number of pixels, not `{s}`"))),
                },
            }
        };
        let mut task_data = TaskData::default();
        match data {
            DataKind::Text => task_data.text = Some(content.to_string()),
            DataKind::Image => {
                check_media_url(content).map_err(|why| at(format!("`{content}`: {why}")))?;
                task_data.image = Some(content.to_string());
                task_data.width = size(width_column, "width")?;
                task_data.height = size(height_column, "height")?;
            }
            #[cfg(feature = "scene")]
            DataKind::PointCloud => {
                check_media_url(content).map_err(|why| at(format!("`{content}`: {why}")))?;
                task_data.points = Some(content.to_string());
            }
            #[cfg(not(feature = "scene"))]
            DataKind::PointCloud => return Err(at("this build makes no point-cloud projects".into())),
        }
        let meta: Map<String, Value> = meta_columns
            .iter()
            .filter(|&&c| !cell(c).is_empty())
            .map(|&c| (header[c].clone(), Value::String(cell(c).to_string())))
            .collect();
        tasks.push(Task { id, data: task_data, meta });
    }
    if tasks.is_empty() {
        return Err(whole("has a header but no items".into()));
    }

    let chunk_size = spec.chunk_size.max(1);
    let mut files = Vec::new();
    let mut chunks = Vec::new();
    for (n, part) in tasks.chunks(chunk_size).enumerate() {
        let path = format!("tasks/{n:03}.jsonl");
        let mut text = String::new();
        for t in part {
            text.push_str(&serde_json::to_string(t).expect("tasks hold strings and finite numbers"));
            text.push('\n');
        }
        chunks.push(ChunkRef { path: path.clone(), count: part.len() });
        files.push((path, text));
    }
    let project = new_project(spec, data, chunks);
    let manifest = serde_json::to_string_pretty(&project).expect("a project holds strings and numbers") + "\n";
    files.insert(0, ("guidelines.md".into(), guideline_template(spec)));
    files.insert(0, ("project.json".into(), manifest));

    // What was made must open as any bundle does.
    let by_path: BTreeMap<&str, &str> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    super::load_bundle(|p| by_path.get(p).map(|t| t.to_string()).ok_or_else(|| "not made".to_string()))?;
    Ok(NewBundle { files, tasks: tasks.len(), data })
}

/// The manifest of a new project: its one control with the labels given (each its own guideline section), the
/// guideline stub, the overlap, the chunks written.
fn new_project(spec: &NewProject, data: DataKind, chunks: Vec<ChunkRef>) -> Project {
    Project {
        format: FORMAT_ID.to_string(),
        version: FORMAT_VERSION,
        id: spec.id.clone(),
        name: spec.name.clone(),
        description: String::new(),
        schema: Schema {
            data,
            controls: vec![Control {
                name: spec.control.clone(),
                kind: spec.kind,
                prompt: spec.prompt.clone(),
                labels: spec.labels.iter().map(|value| draft_label(value)).collect(),
                overlap: OverlapPolicy::default(),
                anchors: Vec::new(),
                camera: None,
            }],
        },
        guidelines: draft_guidelines(),
        rules: None,
        workflow: Workflow { overlap: spec.overlap, ..Workflow::default() },
        tasks: chunks,
        gold: None,
        predictions: None,
        sync: None,
        embeddings: None,
    }
}

/// A new project's label: no hotkey or colour yet (the parser assigns keys), and its own guideline section — the
/// heading the guideline draft gives it (`## apple` → `#apple`).
pub fn draft_label(value: &str) -> Label {
    Label {
        value: value.to_string(),
        hotkey: None,
        color: None,
        description: String::new(),
        section: Some(slug(value)).filter(|s| !s.is_empty()).map(|s| format!("#{s}")).unwrap_or_default(),
        attributes: Vec::new(),
    }
}

/// A new project's guideline: `guidelines.md`, version 0.1, no history.
pub fn draft_guidelines() -> GuidelinesRef {
    GuidelinesRef { path: "guidelines.md".into(), version: "0.1".into(), date: String::new(), history: Vec::new() }
}

fn check_spec(spec: &NewProject) -> Result<(), String> {
    if spec.id.trim().is_empty() || spec.name.trim().is_empty() {
        return Err("the project needs an id and a name".into());
    }
    if spec.control.trim().is_empty() {
        return Err("the control needs a name".into());
    }
    if spec.labels.is_empty() {
        return Err("give the labels, e.g. --labels cat,dog".into());
    }
    let mut seen = HashSet::new();
    for l in &spec.labels {
        if l.trim().is_empty() {
            return Err("a label is empty".into());
        }
        if !seen.insert(l) {
            return Err(format!("label `{l}` is given twice"));
        }
    }
    if spec.kind == ControlKind::Rating {
        let values: Vec<f64> = spec
            .labels
            .iter()
            .map(|l| l.parse::<f64>().map_err(|_| format!("a rating's labels are numbers, and `{l}` is not")))
            .collect::<Result<_, _>>()?;
        if values.windows(2).any(|w| w[0] >= w[1]) {
            return Err("a rating's labels go in ascending order (1,2,3,4,5)".into());
        }
    }
    if spec.overlap == 0 {
        return Err("the overlap (annotators per task) is at least 1".into());
    }
    Ok(())
}

fn kind_name(kind: ControlKind) -> &'static str {
    match kind {
        ControlKind::SingleChoice => "single-choice labels",
        ControlKind::MultiChoice => "multi-choice labels",
        ControlKind::Spans => "spans",
        ControlKind::Boxes => "boxes",
        ControlKind::Polygons => "polygons",
        ControlKind::Cuboids => "cuboids",
        ControlKind::Rating => "ratings",
    }
}

/// A guideline to fill in: the question, then one section per label (each label's `section` points at it).
fn guideline_template(spec: &NewProject) -> String {
    let mut md = format!("# {} — labeling guideline\n\n", spec.name);
    if !spec.prompt.is_empty() {
        md.push_str(&format!("{}\n\n", spec.prompt));
    }
    md.push_str("Write here what the task is for, and how to decide when unsure.\n");
    for l in &spec.labels {
        md.push_str(&format!("\n## {l}\n\nWhen to use **{l}**, with an example, and what it is not.\n"));
    }
    md
}
