//! Readers and writers, one file per format. Each reads bytes and either returns everything or an
//! [`crate::InputError`] — never half a dataset.

pub mod bio;
#[cfg(feature = "scene")]
pub mod camera_side;
pub mod coco;
pub mod concord;
pub mod csv_long;
pub mod cvat;
pub mod doccano;
pub mod label_studio;
pub mod label_studio_bundle;
pub mod label_studio_config;
pub mod label_studio_flat;
pub mod label_studio_project;
pub mod label_studio_write;
pub mod merge;
pub mod prodigy;
pub mod span_jsonl;
pub mod voc;
pub mod yolo;
pub mod zip;

use crate::error::InputError;

/// Why annotations could not be written in a format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// A task with regions but no image width and height, which the format needs (Label Studio's percentages,
    /// COCO's image entry).
    NoImageSize {
        /// The task's id.
        task: String,
        /// What needs the size (`boxes`, `polygons`, `COCO`).
        needed_by: &'static str,
    },
    /// A task whose answer the format cannot hold (regions on an image in a text format, …).
    NotInFormat {
        /// The task's id.
        task: String,
        /// What it has.
        what: &'static str,
        /// The format.
        format: &'static str,
    },
    /// A project with no control the format holds.
    NoControl {
        /// The format.
        format: &'static str,
    },
    /// A region's label that is not one of the categories written.
    NotACategory {
        /// The image's id.
        image: String,
        /// The label.
        label: String,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NoImageSize { task, needed_by: "COCO" } => {
                write!(f, "task `{task}` has no image width/height, which COCO needs")
            }
            WriteError::NoImageSize { task, needed_by } => {
                write!(f, "task `{task}` has {needed_by} but no image width/height to express them in percent")
            }
            WriteError::NotInFormat { task, what, format } => {
                write!(f, "task `{task}` has {what}, which {format} cannot hold")
            }
            WriteError::NoControl { format } => write!(f, "the project has no control {format} can hold"),
            WriteError::NotACategory { image, label } => {
                write!(f, "image `{image}`: label `{label}` is not a category")
            }
        }
    }
}

impl std::error::Error for WriteError {}

/// The formats Concord reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Long-format CSV `item,annotator,label`.
    Csv,
    /// Span JSONL `{"id","text","spans"}`, one file per annotator.
    Spans,
    /// IOB2 token JSONL `{"id","tokens","tags"}`, one file per annotator.
    Bio,
    /// CoNLL-2003 text (`token -X- _ B-PER`, blank lines between documents), one file per annotator; documents
    /// numbered in file order (the format names no task).
    Conll2003,
    /// Label Studio JSON export.
    LabelStudio,
    /// Label Studio's JSON_MIN export (a row per annotation), read with the project's label config.
    LabelStudioMin,
    /// Label Studio's CSV or TSV export (a row per annotation), read with the project's label config.
    LabelStudioCsv,
    /// COCO instances JSON (ground truth) or COCO results (detections).
    Coco,
    /// Concord's annotation export (JSONL of `{"task", "annotator", "result"}`), read with the bundle's schema.
    Concord,
    /// doccano JSONL (`text` with `label` names or `[start, end, label]` spans), one file per annotator.
    Doccano,
    /// Prodigy JSONL (`prodigy db-out`: `text`, `spans` or `accept`, `answer`).
    Prodigy,
    /// Pascal VOC XML, one file per image.
    Voc,
    /// CVAT for images 1.1 XML (`annotations.xml`), one file per annotator or job.
    Cvat,
    /// A YOLO label file (`.txt`, one per image), read with the `classes.txt` beside it or above it.
    Yolo,
    /// Concord's annotation log (JSONL of events `{"id", "at", "annotator", "task", "guidelines", "op"}`, what
    /// annotator mode exports), replayed with the bundle's schema.
    ConcordLog,
}

impl Format {
    /// The format named `name` as `--format` takes it.
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name {
            "csv" => Format::Csv,
            "spans" | "jsonl" => Format::Spans,
            "bio" | "iob" | "iob2" => Format::Bio,
            "conll" | "conll2003" => Format::Conll2003,
            "labelstudio" | "label-studio" | "ls" => Format::LabelStudio,
            "labelstudio-min" | "json-min" | "json_min" => Format::LabelStudioMin,
            "labelstudio-csv" | "ls-csv" => Format::LabelStudioCsv,
            "coco" => Format::Coco,
            "concord" => Format::Concord,
            "log" | "concord-log" => Format::ConcordLog,
            "doccano" => Format::Doccano,
            "prodigy" => Format::Prodigy,
            "voc" | "pascal-voc" => Format::Voc,
            "cvat" => Format::Cvat,
            "yolo" => Format::Yolo,
            _ => return None,
        })
    }
}

/// Whether a text format (doccano, Prodigy) holds a control of this kind: spans, or a choice or rating.
pub fn text_format_holds(kind: crate::model::ControlKind) -> bool {
    use crate::model::ControlKind;
    matches!(kind, ControlKind::Spans | ControlKind::SingleChoice | ControlKind::MultiChoice | ControlKind::Rating)
}

/// The first control a text format holds ([`text_format_holds`]).
pub fn text_format_control(schema: &crate::model::Schema) -> Option<&crate::model::Control> {
    schema.controls.iter().find(|c| text_format_holds(c.kind))
}

/// Reads a file of another tool's format — doccano, Prodigy, Pascal VOC, CVAT — into the annotation set the Label
/// Studio readers make, so every consumer of one takes them all; `annotator` names the annotator of a file that names
/// none. `None` for the other formats.
pub fn read_tool_file(
    format: Format,
    file: &str,
    text: &str,
    annotator: &str,
) -> Option<Result<label_studio::LsExport, InputError>> {
    Some(match format {
        Format::Doccano => doccano::read_doccano(file, text, annotator),
        Format::Prodigy => prodigy::read_prodigy(file, text, annotator),
        Format::Voc => voc::read_voc(file, text, annotator),
        Format::Cvat => cvat::read_cvat(file, text, annotator),
        _ => return None,
    })
}

/// Detects a file's format from its extension and its first bytes (`head`).
pub fn detect_format(file: &str, extension: &str, head: &[u8]) -> Result<Format, InputError> {
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    match extension.to_ascii_lowercase().as_str() {
        "conll" | "txt" if text.starts_with("-DOCSTART-") => Ok(Format::Conll2003),
        "conll" => Ok(Format::Conll2003),
        "txt" if yolo::looks_like_yolo(text) => Ok(Format::Yolo),
        // Label Studio's CSV and TSV exports (both named `.csv`) have an `annotation_id` column.
        "csv" | "tsv" if is_label_studio_csv(text) => Ok(Format::LabelStudioCsv),
        "csv" => Ok(Format::Csv),
        "jsonl" | "ndjson" => {
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let has = |key: &str| first.contains(&format!("\"{key}\""));
            // Concord's own files first: their events and results may hold `label` and `text` keys.
            if first.contains("\"op\"") && first.contains("\"at\"") && first.contains("\"task\"") {
                Ok(Format::ConcordLog)
            } else if first.contains("\"task\"") && first.contains("\"result\"") {
                Ok(Format::Concord)
            } else if has("answer") && (has("_input_hash") || has("_task_hash") || has("_annotator_id")) {
                Ok(Format::Prodigy)
            } else if has("text") && (has("label") || has("labels") || has("entities")) && !has("spans") && !has("tags")
            {
                Ok(Format::Doccano)
            } else if first.contains("\"tags\"") && first.contains("\"tokens\"") {
                Ok(Format::Bio)
            } else if first.contains("\"spans\"") {
                Ok(Format::Spans)
            } else {
                Err(InputError::at_line(file, 1, "cannot tell the format: expected span JSONL (`spans`), IOB2 JSONL (`tokens`, `tags`), doccano (`text`, `label`), Prodigy (`answer`, `_input_hash`), Concord annotations (`task`, `result`) or a Concord log (`at`, `op`); use --format"))
            }
        }
        "json" => {
            if text.starts_with('{') && (text.contains("\"images\"") || text.contains("\"categories\"")) {
                Ok(Format::Coco)
            } else if text.starts_with('[') && text.contains("\"image_id\"") && text.contains("\"category_id\"") {
                Ok(Format::Coco)
            } else if text.starts_with('[')
                && !text.contains("\"annotations\"")
                && !text.contains("\"completions\"")
                && text.contains("\"annotator\"")
                && text.contains("\"annotation_id\"")
            {
                Ok(Format::LabelStudioMin)
            } else if text.starts_with('[') || text.starts_with('{') {
                Ok(Format::LabelStudio)
            } else {
                Err(InputError::whole(file, "cannot tell the format: not a JSON array or object; use --format"))
            }
        }
        "xml" if text.contains("<annotations") => Ok(Format::Cvat),
        "xml" if text.contains("<annotation") => Ok(Format::Voc),
        "xml" => Err(InputError::whole(
            file,
            "cannot tell the format: expected CVAT's <annotations> or a Pascal VOC <annotation>; use --format",
        )),
        other => Err(InputError::whole(
            file,
            format!(
                "cannot tell the format from the extension `.{other}`; use --format csv|spans|bio|labelstudio|coco"
            ),
        )),
    }
}

/// Whether a CSV's header is a Label Studio export's (`id`, `annotator`, `annotation_id` among its columns).
fn is_label_studio_csv(text: &str) -> bool {
    let header = text.lines().next().unwrap_or("");
    let columns: Vec<&str> = header.split([',', '\t']).map(|c| c.trim().trim_matches('"')).collect();
    ["id", "annotator", "annotation_id"].iter().all(|c| columns.contains(c))
}

/// The delimiter of a Label Studio flat export: a tab when its header has one (the TSV export is named `.csv`).
pub fn label_studio_csv_delimiter(head: &[u8]) -> u8 {
    let header = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    if header.contains(&b'\t') {
        b'\t'
    } else {
        b','
    }
}
