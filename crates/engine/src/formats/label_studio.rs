//! Label Studio JSON export (the full "JSON" export: a list of tasks, each with `annotations` and `result`s).
//!
//! - `completed_by` is an integer user id or an object (`{"id", "email", …}`); the annotator is the email when
//!   present, else `user-<id>`.
//! - Result types read: `choices` (item-level, or attached to a region sharing its `id`), `rating` (item-level, its
//!   number as the label), `labels` (text spans;
//!   `start`/`end` are code-point offsets, end-exclusive, checked against `value.text` when the document is known),
//!   `rectanglelabels` (`x, y, width, height` in percent of `original_width`/`original_height`, turned into pixels),
//!   `polygonlabels` (`points` in percent, turned into pixels; a polygon left open — `closed: false` — is counted
//!   as skipped under `polygonlabels (open)`). Other types are counted and skipped.
//! - `ground_truth: true` annotations are gold; `was_cancelled: true` annotations are skipped.
//! - A task's `predictions` (model outputs with `model_version` and `score`) are read like annotations; one that
//!   cannot be read is counted under [`UNREADABLE_PREDICTION`] and skipped.
//!
//! The whole file is checked before anything is returned: an error names the JSON path, e.g.
//! `$[3].annotations[0].result[1].value.start`.

use crate::sorting::LeanSort;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::InputError;
use crate::model::{
    BoxRec, BoxTable, CategoricalTable, PolygonRec, PolygonTable, Span, SpanDoc, SpanTable, SpanUnit, Stamps,
    TableBuilder, TableError,
};

/// One region (results sharing an `id` merged).
#[derive(Debug, Clone, PartialEq)]
pub enum Region {
    /// Item-level choices of a control (`from_name`).
    Choices {
        /// The control (`from_name`).
        control: String,
        /// The choices made.
        choices: Vec<String>,
    },
    /// A text span.
    Span {
        /// The control (`from_name`).
        control: String,
        /// Start, in code points.
        start: u32,
        /// End (exclusive), in code points.
        end: u32,
        /// Its labels.
        labels: Vec<String>,
        /// Attributes by control name (choices and text areas on the same region).
        attributes: BTreeMap<String, Vec<String>>,
    },
    /// A rectangle.
    Rect {
        /// The control (`from_name`).
        control: String,
        /// Left edge, in percent of the image's width.
        x: f64,
        /// Top edge, in percent of the image's height.
        y: f64,
        /// Width, in percent.
        w: f64,
        /// Height, in percent.
        h: f64,
        /// Its labels.
        labels: Vec<String>,
        /// Attributes by control name.
        attributes: BTreeMap<String, Vec<String>>,
        /// The image's natural size the result gives (`original_width`, `original_height`).
        image: (f64, f64),
    },
    /// A closed polygon, vertices in pixels.
    Polygon {
        /// The control (`from_name`).
        control: String,
        /// Vertices, in pixels.
        points: Vec<[f64; 2]>,
        /// Its labels.
        labels: Vec<String>,
        /// Attributes by control name.
        attributes: BTreeMap<String, Vec<String>>,
        /// The image's natural size (`original_width`, `original_height`).
        image: (f64, f64),
    },
}

#[derive(Debug, Clone, PartialEq)]
/// One annotation of one task.
pub struct LsAnnotation {
    /// The task's id.
    pub task: String,
    /// Who made it (`completed_by`: the email, else the id).
    pub annotator: String,
    /// Whether it is the task's ground truth.
    pub ground_truth: bool,
    /// Its regions.
    pub regions: Vec<Region>,
    /// `created_at` (seconds since the epoch), when given and readable.
    pub created_at: Option<i64>,
    /// `guideline_version` (Concord's exports write it), or empty.
    pub guideline_version: String,
}

impl LsAnnotation {
    /// One annotator's regions on a task, as the other tools' readers make them: no ground truth, no time, no
    /// guideline version.
    pub fn made_by(task: String, annotator: &str, regions: Vec<Region>) -> LsAnnotation {
        LsAnnotation {
            task,
            annotator: annotator.to_string(),
            ground_truth: false,
            regions,
            created_at: None,
            guideline_version: String::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
/// A Label Studio export: its tasks and annotations.
pub struct LsExport {
    /// Task id → its `data`.
    pub tasks: Vec<(String, Map<String, Value>)>,
    /// Every annotation not cancelled.
    pub annotations: Vec<LsAnnotation>,
    /// Cancelled annotations, skipped.
    pub cancelled: usize,
    /// Result types that were skipped, with counts.
    pub skipped_types: BTreeMap<String, usize>,
    /// The tasks' `predictions` (model outputs), in file order.
    pub predictions: Vec<LsPrediction>,
}

/// The annotator of a ground-truth annotation that names none (a task file made for import).
pub const GROUND_TRUTH_ANNOTATOR: &str = "ground-truth";

/// The `skipped_types` entry that counts predictions that could not be read.
pub const UNREADABLE_PREDICTION: &str = "prediction (unreadable)";

#[derive(Debug, Clone, PartialEq)]
/// One prediction of one task: a model's result, as Label Studio keeps it beside the annotations.
pub struct LsPrediction {
    /// The task's id.
    pub task: String,
    /// `model_version`, or empty.
    pub model: String,
    /// The prediction's overall `score`, when given.
    pub score: Option<f64>,
    /// Its regions (results sharing an `id` merged), as for an annotation.
    pub regions: Vec<Region>,
}

/// Reads a Label Studio JSON export whole.
pub fn read_label_studio(file: &str, text: &str) -> Result<LsExport, InputError> {
    read_label_studio_from(file, text.as_bytes())
}

/// Streams an export: tasks are read and converted one at a time, so neither the file's text nor its whole JSON
/// tree is held in memory — only what is kept of each task.
pub fn read_label_studio_from(file: &str, reader: impl std::io::Read) -> Result<LsExport, InputError> {
    let mut out = LsExport::default();
    stream(file, reader, &mut out, &mut |_| Ok(()))?;
    Ok(out)
}

/// The item-level choices of an export as categorical tables — the annotators' and the ground truth's — read as a
/// stream that keeps nothing of a task once its labels are in the table: for exports too big to hold as an
/// [`LsExport`] (a 100 MB export is a few MB of table). Same rules as [`LsExport::categorical`].
pub fn read_label_studio_categorical_from(
    file: &str,
    reader: impl std::io::Read,
    control: Option<&str>,
) -> Result<(CategoricalTable, CategoricalTable), InputError> {
    let mut r = ChoiceReader::new(control);
    r.read(file, reader)?;
    r.finish(file)
}

/// Reads the choices of one or more exports into tables as they stream by (see
/// [`read_label_studio_categorical_from`]), noting whether the exports also hold spans or boxes — whose presence
/// makes an export a span or box dataset ([`LsExport::kind`]), for which a caller reads it whole instead.
pub struct ChoiceReader {
    control: Option<String>,
    people: TableBuilder,
    gold: TableBuilder,
    /// When and under which guideline version the annotators' labels were made (ids of `people`).
    stamps: Stamps,
    /// Whether an export held text spans.
    pub has_spans: bool,
    /// Whether an export held rectangles.
    pub has_boxes: bool,
    /// Whether an export held polygons.
    pub has_polygons: bool,
}

impl ChoiceReader {
    /// A reader of `control`'s choices (None: the first choices control found).
    pub fn new(control: Option<&str>) -> Self {
        ChoiceReader {
            control: control.map(str::to_string),
            people: TableBuilder::new(),
            gold: TableBuilder::new(),
            stamps: Stamps::default(),
            has_spans: false,
            has_boxes: false,
            has_polygons: false,
        }
    }

    /// Reads one export file into the tables.
    pub fn read(&mut self, file: &str, reader: impl std::io::Read) -> Result<(), InputError> {
        let mut out = LsExport::default();
        stream(file, reader, &mut out, &mut |out| {
            for a in out.annotations.drain(..) {
                for r in a.regions {
                    match r {
                        Region::Choices { control: c, mut choices } => {
                            let wanted = self.control.get_or_insert_with(|| c.clone());
                            if c == *wanted && !choices.is_empty() {
                                choices.lean_sort();
                                let b = if a.ground_truth { &mut self.gold } else { &mut self.people };
                                b.push(&a.task, &a.annotator, &choices.join("|"));
                                if let (Some(t), false) = (a.created_at, a.ground_truth) {
                                    let item = b.items.get(&a.task).expect("just interned");
                                    let annotator = b.annotators.get(&a.annotator).expect("just interned");
                                    self.stamps.push(item, annotator, t, &a.guideline_version);
                                }
                            }
                        }
                        Region::Span { .. } => self.has_spans = true,
                        Region::Rect { .. } => self.has_boxes = true,
                        Region::Polygon { .. } => self.has_polygons = true,
                    }
                }
            }
            out.tasks.clear();
            out.predictions.clear();
            Ok(())
        })
    }

    /// The annotators' table and the ground truth's; `file` names the input in errors.
    pub fn finish(self, file: &str) -> Result<(CategoricalTable, CategoricalTable), InputError> {
        self.finish_stamped(file).map(|(people, gold, _)| (people, gold))
    }

    /// [`Self::finish`], and when each of the annotators' labels was made (for those with a `created_at`), in the
    /// ids of the annotators' table.
    pub fn finish_stamped(self, file: &str) -> Result<(CategoricalTable, CategoricalTable, Stamps), InputError> {
        if self.control.is_none() {
            return Err(InputError::whole(file, "the export has no item-level choices"));
        }
        let finish = |b: TableBuilder| b.finish().map_err(|d| InputError::whole(file, d.to_string()));
        Ok((finish(self.people)?, finish(self.gold)?, self.stamps))
    }

    /// The choice control read (the first met, unless one was asked for).
    pub fn control(&self) -> Option<&str> {
        self.control.as_deref()
    }
}

/// Reads the tasks one by one into `out`, calling `each` after every task (which may take what it needs from
/// `out` and clear it).
fn stream(
    file: &str,
    reader: impl std::io::Read,
    out: &mut LsExport,
    each: &mut dyn FnMut(&mut LsExport) -> Result<(), InputError>,
) -> Result<(), InputError> {
    use serde::de::{Deserializer as _, Error as _, SeqAccess, Visitor};

    struct Tasks<'a> {
        file: &'a str,
        out: &'a mut LsExport,
        each: &'a mut dyn FnMut(&mut LsExport) -> Result<(), InputError>,
        failure: &'a mut Option<InputError>,
    }
    impl Tasks<'_> {
        fn task(&mut self, i: usize, task: &Value) -> Result<(), InputError> {
            read_task(self.file, i, task, self.out)?;
            (self.each)(self.out)
        }
    }
    impl<'de> Visitor<'de> for Tasks<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of Label Studio tasks")
        }
        fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
            let mut i = 0;
            while let Some(task) = seq.next_element::<Value>()? {
                if let Err(e) = self.task(i, &task) {
                    *self.failure = Some(e);
                    return Err(A::Error::custom("stopped"));
                }
                i += 1;
            }
            Ok(())
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(mut self, map: A) -> Result<(), A::Error> {
            // A single task object.
            let task = Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
            self.task(0, &task).map_err(|e| {
                *self.failure = Some(e);
                A::Error::custom("stopped")
            })
        }
    }
    use serde::Deserialize;

    let mut failure = None;
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
    let result = de.deserialize_any(Tasks { file, out, each, failure: &mut failure }).and_then(|_| de.end());
    if let Some(e) = failure {
        return Err(e);
    }
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.is_data() && e.to_string().starts_with("invalid type") => {
            Err(InputError::at_path(file, "$", "expected a list of Label Studio tasks"))
        }
        Err(e) => Err(InputError::from_json(file, &e)),
    }
}

/// The Concord task id a task's data carries ([`super::label_studio_write::TASK_ID_FIELD`]), when it does.
pub(crate) fn concord_id(data: &Map<String, Value>) -> Option<String> {
    match data.get(super::label_studio_write::TASK_ID_FIELD) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn read_task(file: &str, ti: usize, task: &Value, out: &mut LsExport) -> Result<(), InputError> {
    let at = |p: String, why: String| InputError::at_path(file, p, why);
    let tp = format!("$[{ti}]");
    let t = task.as_object().ok_or_else(|| at(tp.clone(), "expected a task object".into()))?;
    let data = match t.get("data") {
        Some(Value::Object(d)) => d.clone(),
        None => Map::new(),
        Some(_) => return Err(at(format!("{tp}.data"), "expected an object".into())),
    };
    // A task that went out from Concord comes back under its own id (and a task file made for import has no other).
    let id = match (concord_id(&data), t.get("id")) {
        (Some(id), _) => id,
        (None, Some(Value::Number(n))) => n.to_string(),
        (None, Some(Value::String(s))) if !s.is_empty() => s.clone(),
        _ => return Err(at(format!("{tp}.id"), "missing task id (number or string)".into())),
    };
    let anns = match t.get("annotations").or_else(|| t.get("completions")) {
        Some(Value::Array(a)) => a.as_slice(),
        None => &[],
        Some(_) => return Err(at(format!("{tp}.annotations"), "expected a list".into())),
    };
    for (ai, ann) in anns.iter().enumerate() {
        let ap = format!("{tp}.annotations[{ai}]");
        let a = ann.as_object().ok_or_else(|| at(ap.clone(), "expected an annotation object".into()))?;
        if a.get("was_cancelled").and_then(Value::as_bool) == Some(true) {
            out.cancelled += 1;
            continue;
        }
        let ground_truth = a.get("ground_truth").and_then(Value::as_bool).unwrap_or(false);
        // A task file made for import gives its ground truth without a user: the server sets whoever imports it.
        let annotator = match a.get("completed_by") {
            None if ground_truth => GROUND_TRUTH_ANNOTATOR.to_string(),
            given => annotator_name(given).ok_or_else(|| {
                at(format!("{ap}.completed_by"), "expected a user id or a user object with `id` or `email`".into())
            })?,
        };
        let results = match a.get("result") {
            Some(Value::Array(r)) => r.as_slice(),
            None | Some(Value::Null) => &[],
            Some(_) => return Err(at(format!("{ap}.result"), "expected a list".into())),
        };
        let regions = read_results(file, &ap, results, &data, &mut out.skipped_types)?;
        let created_at = created_at(a.get("created_at")).map_err(|why| at(format!("{ap}.created_at"), why))?;
        let guideline_version = match a.get("guideline_version") {
            Some(Value::String(v)) => v.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        out.annotations.push(LsAnnotation {
            task: id.clone(),
            annotator,
            ground_truth,
            regions,
            created_at,
            guideline_version,
        });
    }
    let predictions = match t.get("predictions") {
        Some(Value::Array(p)) => p.as_slice(),
        _ => &[],
    };
    for (pi, p) in predictions.iter().enumerate() {
        let pp = format!("{tp}.predictions[{pi}]");
        // A prediction is an object with a result list (an id alone is a reference, with nothing to read).
        let Some(p) = p.as_object() else { continue };
        let results = match p.get("result") {
            Some(Value::Array(r)) => r.as_slice(),
            None | Some(Value::Null) => continue,
            Some(_) => return Err(at(format!("{pp}.result"), "expected a list".into())),
        };
        // A model's output is not the annotators' work: one that cannot be read (older exports give boxes without
        // the image's size) is counted and skipped, and never fails the export.
        let regions = match read_results(file, &pp, results, &data, &mut out.skipped_types) {
            Ok(regions) => regions,
            Err(_) => {
                *out.skipped_types.entry(UNREADABLE_PREDICTION.to_string()).or_insert(0) += 1;
                continue;
            }
        };
        let model = match p.get("model_version") {
            Some(Value::String(m)) => m.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        out.predictions.push(LsPrediction {
            task: id.clone(),
            model,
            score: p.get("score").and_then(Value::as_f64).filter(|s| s.is_finite()),
            regions,
        });
    }
    out.tasks.push((id, data));
    Ok(())
}

/// An annotation's `created_at`: ISO-8601 text or epoch seconds, in seconds; absent or null is `None`.
pub(super) fn created_at(v: Option<&Value>) -> Result<Option<i64>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(t)) => crate::model::time::parse_timestamp(t)
            .map(Some)
            .ok_or_else(|| format!("`{t}` is not an ISO-8601 date/time")),
        Some(Value::Number(n)) => Ok(n.as_i64()),
        Some(_) => Err("expected an ISO-8601 date/time".into()),
    }
}

pub(super) fn annotator_name(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Number(n) => Some(format!("user-{n}")),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Object(o) => match (o.get("email").and_then(Value::as_str), o.get("id")) {
            (Some(e), _) if !e.is_empty() => Some(e.to_string()),
            (_, Some(Value::Number(n))) => Some(format!("user-{n}")),
            _ => None,
        },
        _ => None,
    }
}

pub(super) fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    v?.as_array()?.iter().map(|s| s.as_str().map(str::to_string)).collect()
}

/// One annotation's `result` list (as the frontend's `serializeAnnotation()` gives it) as regions, with the task's
/// `data` for span texts. Errors name the result by its place in the list (`$[2].value`).
pub fn read_result_list(file: &str, results: &[Value], data: &Map<String, Value>) -> Result<Vec<Region>, InputError> {
    let mut skipped = BTreeMap::new();
    let regions = read_results(file, "$", results, data, &mut skipped)?;
    Ok(regions)
}

fn read_results(
    file: &str,
    ap: &str,
    results: &[Value],
    data: &Map<String, Value>,
    skipped: &mut BTreeMap<String, usize>,
) -> Result<Vec<Region>, InputError> {
    let at = |p: String, why: String| InputError::at_path(file, p, why);
    // Geometry first, keyed by region id; choices with a region's id become its attributes.
    let mut regions: Vec<(Option<String>, Region)> = Vec::new();
    let mut attached: Vec<(String, String, Vec<String>)> = Vec::new();
    for (ri, r) in results.iter().enumerate() {
        let rp = format!("{ap}.result[{ri}]");
        let o = r.as_object().ok_or_else(|| at(rp.clone(), "expected a result object".into()))?;
        let ty = o
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| at(format!("{rp}.type"), "missing result type".into()))?;
        let control = o.get("from_name").and_then(Value::as_str).unwrap_or("").to_string();
        let rid = o.get("id").and_then(Value::as_str).map(str::to_string);
        let value = o
            .get("value")
            .and_then(Value::as_object)
            .ok_or_else(|| at(format!("{rp}.value"), "missing value object".into()))?;
        let one = OneResult { file, path: &rp, result: o, value };
        match ty {
            "choices" => {
                let choices = strings(value.get("choices"))
                    .ok_or_else(|| at(format!("{rp}.value.choices"), "expected a list of strings".into()))?;
                match rid {
                    Some(id) if results.iter().any(|o| is_geometry_with_id(o, &id)) => {
                        attached.push((id, control, choices))
                    }
                    _ => regions.push((None, Region::Choices { control, choices })),
                }
            }
            // A rating is an item-level answer like a choice: its number is the label (`3`), which the ordinal
            // and interval metrics read as a number.
            "rating" => regions.push((None, Region::Choices { control, choices: vec![rating_label(&one)?] })),
            "labels" => regions.push((rid, read_span(&one, control, data)?)),
            "rectanglelabels" | "rectangle" => regions.push((rid, read_rect(&one, control)?)),
            "polygonlabels" | "polygon" => {
                if value.get("closed").and_then(Value::as_bool) == Some(false) {
                    *skipped.entry(format!("{ty} (open)")).or_insert(0) += 1;
                    continue;
                }
                regions.push((rid, read_polygon(&one, control)?));
            }
            other => *skipped.entry(other.to_string()).or_insert(0) += 1,
        }
    }
    for (id, control, choices) in attached {
        for (rid, region) in regions.iter_mut() {
            if rid.as_deref() == Some(id.as_str()) {
                if let Region::Span { attributes, .. }
                | Region::Rect { attributes, .. }
                | Region::Polygon { attributes, .. } = region
                {
                    attributes.insert(control.clone(), choices.clone());
                }
            }
        }
    }
    Ok(regions.into_iter().map(|(_, r)| r).collect())
}

/// One result of an annotation, with where it is: what the readers of its geometry need.
pub(super) struct OneResult<'a> {
    pub(super) file: &'a str,
    /// `$[task].annotations[k].result[r]`.
    pub(super) path: &'a str,
    pub(super) result: &'a Map<String, Value>,
    pub(super) value: &'a Map<String, Value>,
}

impl OneResult<'_> {
    fn error(&self, under: &str, why: String) -> InputError {
        InputError::at_path(self.file, format!("{}{under}", self.path), why)
    }

    fn num(&self, k: &str) -> Result<f64, InputError> {
        self.value
            .get(k)
            .and_then(Value::as_f64)
            .filter(|v| v.is_finite())
            .ok_or_else(|| self.error(&format!(".value.{k}"), "expected a number".into()))
    }
}

/// A rating's value (`{"rating": 3}`) as a label: a whole number from 1, written without a fraction.
pub(super) fn rating_label(r: &OneResult) -> Result<String, InputError> {
    let v = r.num("rating")?;
    if v < 1.0 || v.fract() != 0.0 || v > f64::from(u32::MAX) {
        return Err(r.error(".value.rating", format!("{v} is not a rating (a whole number from 1)")));
    }
    Ok((v as u32).to_string())
}

/// A text span (`labels`): whole code-point offsets, checked against the document's text where both are given.
pub(super) fn read_span(r: &OneResult, control: String, data: &Map<String, Value>) -> Result<Region, InputError> {
    let (start, end) = (r.num("start")?, r.num("end")?);
    if start < 0.0 || end <= start || start.fract() != 0.0 || end.fract() != 0.0 {
        return Err(r.error(".value", format!("bad span {start}..{end}: offsets are whole code points, start < end")));
    }
    let (start, end) = (start as u32, end as u32);
    if let (Some(doc), Some(expected)) = (document_text(data, r.result), r.value.get("text").and_then(Value::as_str)) {
        let got: String = doc.chars().skip(start as usize).take((end - start) as usize).collect();
        if got != expected {
            let utf16: Option<String> = String::from_utf16(
                &doc.encode_utf16().skip(start as usize).take((end - start) as usize).collect::<Vec<_>>(),
            )
            .ok();
            let hint = if utf16.as_deref() == Some(expected) {
                " (these look like UTF-16 offsets; Concord reads code points)"
            } else {
                ""
            };
            return Err(
                r.error(".value", format!("text[{start}..{end}] is {got:?}, but the region says {expected:?}{hint}"))
            );
        }
    }
    let labels =
        strings(r.value.get("labels")).ok_or_else(|| r.error(".value.labels", "expected a list of strings".into()))?;
    Ok(Region::Span { control, start, end, labels, attributes: BTreeMap::new() })
}

/// A box (`rectanglelabels`, `rectangle`): percent of the image, turned into pixels of its natural size.
pub(super) fn read_rect(r: &OneResult, control: String) -> Result<Region, InputError> {
    let (ow, oh) = natural_size(r.result).map_err(|(k, why)| r.error(&format!(".{k}"), why))?;
    let (x, y, w, h) = (r.num("x")?, r.num("y")?, r.num("width")?, r.num("height")?);
    if w < 0.0 || h < 0.0 {
        return Err(r.error(".value", "negative width or height".into()));
    }
    let labels = strings(r.value.get("rectanglelabels")).unwrap_or_default();
    let px = |p: f64, full: f64| p * full / 100.0;
    Ok(Region::Rect {
        control,
        x: px(x, ow),
        y: px(y, oh),
        w: px(w, ow),
        h: px(h, oh),
        labels,
        attributes: BTreeMap::new(),
        image: (ow, oh),
    })
}

/// A closed polygon (`polygonlabels`, `polygon`): at least 3 points in percent of the image, turned into pixels.
pub(super) fn read_polygon(r: &OneResult, control: String) -> Result<Region, InputError> {
    let (ow, oh) = natural_size(r.result).map_err(|(k, why)| r.error(&format!(".{k}"), why))?;
    let list = r
        .value
        .get("points")
        .and_then(Value::as_array)
        .ok_or_else(|| r.error(".value.points", "expected a list of [x, y] points".into()))?;
    let mut points = Vec::with_capacity(list.len());
    for (k, q) in list.iter().enumerate() {
        let xy = q
            .as_array()
            .filter(|a| a.len() == 2)
            .and_then(|a| Some([a[0].as_f64().filter(|v| v.is_finite())?, a[1].as_f64().filter(|v| v.is_finite())?]));
        let [x, y] = xy
            .ok_or_else(|| r.error(&format!(".value.points[{k}]"), "expected [x, y] in percent of the image".into()))?;
        points.push([x * ow / 100.0, y * oh / 100.0]);
    }
    if points.len() < 3 {
        return Err(r.error(".value.points", format!("{} points; a polygon needs at least 3", points.len())));
    }
    let labels = strings(r.value.get("polygonlabels")).unwrap_or_default();
    Ok(Region::Polygon { control, points, labels, attributes: BTreeMap::new(), image: (ow, oh) })
}

fn is_geometry_with_id(r: &Value, id: &str) -> bool {
    r.get("id").and_then(Value::as_str) == Some(id)
        && matches!(
            r.get("type").and_then(Value::as_str),
            Some("labels" | "rectanglelabels" | "rectangle" | "polygonlabels" | "polygon")
        )
}

/// The image's natural size a region result gives, needed to turn percent into pixels.
fn natural_size(o: &Map<String, Value>) -> Result<(f64, f64), (String, String)> {
    let get = |k: &str| {
        o.get(k)
            .and_then(Value::as_f64)
            .filter(|v| *v > 0.0)
            .ok_or_else(|| (k.to_string(), "needed to turn percent into pixels".to_string()))
    };
    Ok((get("original_width")?, get("original_height")?))
}

/// The text a span refers to: `data[to_name]`, or the task's only string field.
fn document_text<'a>(data: &'a Map<String, Value>, result: &Map<String, Value>) -> Option<&'a str> {
    if let Some(s) = result.get("to_name").and_then(Value::as_str).and_then(|k| data.get(k)).and_then(Value::as_str) {
        return Some(s);
    }
    let mut strings = data.values().filter_map(Value::as_str);
    match (strings.next(), strings.next()) {
        (Some(s), None) => Some(s),
        _ => None,
    }
}

impl LsExport {
    fn people(&self, gold: bool) -> impl Iterator<Item = &LsAnnotation> {
        self.annotations.iter().filter(move |a| a.ground_truth == gold)
    }

    /// Item-level choices of `control` (or of the first choices control found) as a categorical table.
    /// Several choices on one item (multi-choice) become one label: the choices sorted and joined by `|`.
    /// `gold`: read the ground-truth annotations instead of the others.
    pub fn categorical(&self, control: Option<&str>, gold: bool) -> Result<CategoricalTable, TableError> {
        let control = control.map(str::to_string).or_else(|| {
            self.annotations.iter().flat_map(|a| &a.regions).find_map(|r| match r {
                Region::Choices { control, .. } => Some(control.clone()),
                _ => None,
            })
        });
        let Some(control) = control else { return Err(TableError::NoChoices) };
        let mut b = TableBuilder::new();
        for a in self.people(gold) {
            for r in &a.regions {
                if let Region::Choices { control: c, choices } = r {
                    if *c == control && !choices.is_empty() {
                        let mut sorted = choices.clone();
                        sorted.lean_sort();
                        b.push(&a.task, &a.annotator, &sorted.join("|"));
                    }
                }
            }
        }
        b.finish().map_err(TableError::Twice)
    }

    /// Text spans as a span table (code points); a region with several labels counts once per label.
    pub fn spans(&self, gold: bool) -> SpanTable {
        let mut t = SpanTable::new(SpanUnit::CodePoints);
        for a in self.people(gold) {
            let item = t.items.intern(&a.task);
            let annotator = t.annotators.intern(&a.annotator);
            let mut spans = Vec::new();
            for r in &a.regions {
                if let Region::Span { start, end, labels, .. } = r {
                    for l in labels {
                        spans.push(Span { start: *start, end: *end, label: t.labels.intern(l) });
                    }
                }
            }
            t.docs.push(SpanDoc { item, annotator, spans });
        }
        t.sort();
        t
    }

    /// Rectangles in pixels as a box table.
    pub fn boxes(&self, gold: bool) -> BoxTable {
        let mut t = BoxTable::default();
        for a in self.people(gold) {
            let item = t.items.intern(&a.task);
            let annotator = t.annotators.intern(&a.annotator);
            t.cover(item, annotator);
            for r in &a.regions {
                if let Region::Rect { x, y, w, h, labels, .. } = r {
                    for l in labels {
                        let label = t.labels.intern(l);
                        t.regions.push(BoxRec { item, annotator, label, x: *x, y: *y, w: *w, h: *h, score: None });
                    }
                }
            }
        }
        t.finish();
        t
    }

    /// Polygons in pixels as a polygon table.
    pub fn polygons(&self, gold: bool) -> PolygonTable {
        let mut t = PolygonTable::default();
        for a in self.people(gold) {
            let item = t.items.intern(&a.task);
            let annotator = t.annotators.intern(&a.annotator);
            t.cover(item, annotator);
            for r in &a.regions {
                if let Region::Polygon { points, labels, .. } = r {
                    for l in labels {
                        let label = t.labels.intern(l);
                        t.regions.push(PolygonRec { item, annotator, label, rings: vec![points.clone()] });
                    }
                }
            }
        }
        t.finish();
        t
    }

    /// Which kind of region dominates: polygons, boxes, then spans, then choices.
    pub fn kind(&self) -> Option<&'static str> {
        self.kind_of(None)
    }

    /// Adds another file's annotation set: its tasks (one seen already is not added again), annotations,
    /// predictions and counts.
    pub fn absorb(&mut self, other: LsExport) {
        let mut seen: std::collections::HashSet<String> = self.tasks.iter().map(|(id, _)| id.clone()).collect();
        for t in other.tasks {
            if seen.insert(t.0.clone()) {
                self.tasks.push(t);
            }
        }
        self.annotations.extend(other.annotations);
        self.predictions.extend(other.predictions);
        for (k, n) in other.skipped_types {
            *self.skipped_types.entry(k).or_insert(0) += n;
        }
        self.cancelled += other.cancelled;
    }

    /// Keeps only `control`'s regions (and its choices) in every annotation: a command or widget about one control
    /// reads no other's.
    pub fn keep_control(&mut self, control: &str) {
        for a in &mut self.annotations {
            a.regions.retain(|r| match r {
                Region::Choices { control: c, .. }
                | Region::Span { control: c, .. }
                | Region::Rect { control: c, .. }
                | Region::Polygon { control: c, .. } => c == control,
            });
        }
    }

    /// The kind of `control`'s results (any control's when `None`), as [`LsExport::kind`] says it.
    pub fn kind_of(&self, control: Option<&str>) -> Option<&'static str> {
        let named = |r: &Region| {
            control.is_none_or(|c| match r {
                Region::Choices { control, .. }
                | Region::Span { control, .. }
                | Region::Rect { control, .. }
                | Region::Polygon { control, .. } => control == c,
            })
        };
        let has = |f: fn(&Region) -> bool| self.annotations.iter().flat_map(|a| &a.regions).any(|r| named(r) && f(r));
        if has(|r| matches!(r, Region::Polygon { .. })) {
            Some("polygons")
        } else if has(|r| matches!(r, Region::Rect { .. })) {
            Some("boxes")
        } else if has(|r| matches!(r, Region::Span { .. })) {
            Some("spans")
        } else if has(|r| matches!(r, Region::Choices { .. })) {
            Some("choices")
        } else {
            None
        }
    }
}
