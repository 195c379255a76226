//! Label Studio's flat exports — JSON_MIN, CSV and TSV: one row per annotation (skipped annotations are not there),
//! holding the task's data fields, its `id`, a field per control named by the control's `name`, and `annotator`,
//! `annotation_id`, `created_at`, `updated_at`, `lead_time`. Only the label config says which fields are controls,
//! so it is an argument ([`crate::formats::label_studio_config`]).
//!
//! A control's field holds, as Label Studio's converter writes it (its `_prettify`):
//! - one choice: the choice as a string; several: `[{"choices": [...]}]`;
//! - a rating: `[{"rating": 3}]`;
//! - spans, boxes and polygons: a list of their `value` objects (with `original_width`/`original_height` for
//!   images).
//!
//! In CSV and TSV that list is JSON text in the cell, and the annotator id is text (`"3"`). Rows read into the same
//! [`LsExport`] as the full JSON export, with the same annotator names (`user-3`), so every table and figure is the
//! same whichever export was taken.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::label_studio::{
    annotator_name, created_at, rating_label, read_polygon, read_rect, read_span, strings, LsAnnotation, LsExport,
    OneResult, Region,
};
use super::label_studio_config::{ConfigKind, LabelConfig};
use crate::error::InputError;

/// Fields of a row that are never a task's data.
const META: &[&str] = &["id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "agreement"];

/// Reads a JSON_MIN export (a list of rows). Errors name the JSON path (`$[4].sentiment`).
pub fn read_label_studio_min(file: &str, text: &str, config: &LabelConfig) -> Result<LsExport, InputError> {
    let rows: Value = serde_json::from_str(text).map_err(|e| InputError::from_json(file, &e))?;
    let rows = rows.as_array().ok_or_else(|| InputError::at_path(file, "$", "expected a list of rows (JSON_MIN)"))?;
    let mut out = Flat::new(config);
    for (i, row) in rows.iter().enumerate() {
        let place = format!("$[{i}]");
        let row = row.as_object().ok_or_else(|| InputError::at_path(file, &place, "expected a row object"))?;
        out.row(file, &|field: &str| format!("{place}.{field}"), row)?;
    }
    Ok(out.finish())
}

/// Reads a CSV or TSV export (`delimiter` `,` or tab). Errors name the line (`line 7, column sentiment`).
pub fn read_label_studio_csv(
    file: &str,
    input: impl std::io::Read,
    config: &LabelConfig,
    delimiter: u8,
) -> Result<LsExport, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(crate::csv_lines::LineIndex::new(input));
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| InputError::at_line(file, 1, e.to_string()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    for needed in ["id", "annotator"] {
        if !header.iter().any(|h| h == needed) {
            return Err(InputError::at_line(
                file,
                1,
                format!("no `{needed}` column: not a Label Studio CSV export (its header has id, annotator, annotation_id, …)"),
            ));
        }
    }
    let mut out = Flat::new(config);
    while let Some((record, line)) = crate::csv_lines::next_record(&mut reader, file)? {
        let mut row = Map::new();
        for (name, cell) in header.iter().zip(record.iter()) {
            let value = match config.control(name) {
                // A control's list is JSON text; one choice is the bare choice.
                Some(_) if cell.starts_with('[') || cell.starts_with('{') => serde_json::from_str(cell)
                    .map_err(|e| InputError::at_line(file, line, format!("column `{name}`: not JSON ({e})")))?,
                _ if cell.is_empty() => Value::Null,
                _ => Value::String(cell.to_string()),
            };
            row.insert(name.clone(), value);
        }
        out.row(file, &|field: &str| format!("line {line}, column {field}"), &row)?;
    }
    Ok(out.finish())
}

/// Rows becoming an export.
struct Flat<'a> {
    config: &'a LabelConfig,
    out: LsExport,
    /// Task id → its index in `out.tasks`.
    tasks: BTreeMap<String, usize>,
}

impl<'a> Flat<'a> {
    fn new(config: &'a LabelConfig) -> Self {
        Flat { config, out: LsExport::default(), tasks: BTreeMap::new() }
    }

    fn row(&mut self, file: &str, at: &dyn Fn(&str) -> String, row: &Map<String, Value>) -> Result<(), InputError> {
        let error = |field: &str, why: String| InputError::at_path(file, at(field), why);
        let task = match row.get("id") {
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => return Err(error("id", "missing task id (number or string)".into())),
        };
        // The annotator: an id (a number in JSON_MIN, text in CSV) is `user-<id>`, as in the full JSON export.
        let annotator = match row.get("annotator") {
            Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => format!("user-{s}"),
            other => annotator_name(other).ok_or_else(|| error("annotator", "expected a user id or email".into()))?,
        };
        let created_at = created_at(row.get("created_at")).map_err(|why| error("created_at", why))?;
        let data: Map<String, Value> = row
            .iter()
            .filter(|(k, _)| !META.contains(&k.as_str()) && self.config.control(k).is_none())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let task = super::label_studio::concord_id(&data).unwrap_or(task);
        let mut regions = Vec::new();
        for c in &self.config.controls {
            let Some(value) = row.get(&c.name).filter(|v| !v.is_null()) else { continue };
            let place = at(&c.name);
            let items: Vec<&Value> = match value {
                Value::Array(list) => list.iter().collect(),
                one => vec![one],
            };
            match &c.kind {
                ConfigKind::Choices { .. } => {
                    let mut choices = Vec::new();
                    for (k, item) in items.iter().enumerate() {
                        match item {
                            Value::String(s) => choices.push(s.clone()),
                            Value::Object(o) => choices.extend(strings(o.get("choices")).ok_or_else(|| {
                                InputError::at_path(file, format!("{place}[{k}].choices"), "expected a list of strings")
                            })?),
                            _ => {
                                return Err(InputError::at_path(
                                    file,
                                    format!("{place}[{k}]"),
                                    "expected a choice or {\"choices\": [...]}",
                                ))
                            }
                        }
                    }
                    regions.push(Region::Choices { control: c.name.clone(), choices });
                }
                ConfigKind::Other(tag) => {
                    *self.out.skipped_types.entry(tag.to_lowercase()).or_insert(0) += items.len();
                }
                kind => {
                    // The field the control labels, as the full export's result names it (`to_name`).
                    let to_name = self.config.field_of(&c.to_name).unwrap_or(&c.to_name).to_string();
                    for (k, item) in items.iter().enumerate() {
                        let path = format!("{place}[{k}]");
                        let value = item.as_object().ok_or_else(|| {
                            InputError::at_path(file, &path, format!("expected an object (a {} value)", c.name))
                        })?;
                        // What the full export keeps beside `value`: the image's size and the object's name.
                        let mut result = value.clone();
                        result.insert("to_name".into(), Value::String(to_name.clone()));
                        let one = OneResult { file, path: &path, result: &result, value };
                        let control = c.name.clone();
                        regions.push(match kind {
                            ConfigKind::Labels => read_span(&one, control, &data)?,
                            ConfigKind::RectangleLabels => read_rect(&one, control)?,
                            ConfigKind::PolygonLabels => read_polygon(&one, control)?,
                            _ => Region::Choices { control, choices: vec![rating_label(&one)?] },
                        });
                    }
                }
            }
        }
        if !self.tasks.contains_key(&task) {
            self.tasks.insert(task.clone(), self.out.tasks.len());
            self.out.tasks.push((task.clone(), data));
        }
        self.out.annotations.push(LsAnnotation {
            task,
            annotator,
            ground_truth: false,
            regions,
            created_at,
            guideline_version: String::new(),
        });
        Ok(())
    }

    fn finish(self) -> LsExport {
        self.out
    }
}
