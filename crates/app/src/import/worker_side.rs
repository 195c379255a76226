//! The import worker: reads each `File` it is sent through `FileReaderSync` in `SLICE`-sized pieces (a worker may
//! read synchronously), so the engine's streaming readers see a plain `std::io::Read` and no file is ever whole in
//! memory; posts progress after each piece.

use concord_engine::sorting::LeanSort;
use std::io::Read;

use concord_engine::arbitration::Consensus;
use concord_engine::formats::csv_long::{is_gold_csv, read_gold_csv, read_long_csv_stamped};
use concord_engine::formats::label_studio::{read_label_studio_from, ChoiceReader, LsExport};
use concord_engine::formats::merge::{gold_from_table, merge_categorical, merge_gold};
use concord_engine::formats::{detect_format, Format};
use concord_engine::model::{CategoricalTable, NameOrder, Stamps, TableRows};
use concord_engine::InputError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, File, FileReaderSync, MessageEvent};

use super::figures::Report;
use super::{Columns, FileSummary, Message, PlanRequest, Summary, SLICE};
use concord_engine::bundle::Project;
use concord_engine::review::{figures_by_version, BatchReport, QueueIndex, QueueScope, ReviewOptions};

/// A report as it crosses to the page: its JSON and the figures the page draws.
fn crossing<F: serde::de::DeserializeOwned>(report: &impl serde::Serialize) -> Result<Report<F>, InputError> {
    Report::of(report).map_err(|e| InputError::whole("(import)", format!("a report did not cross to the page: {e}")))
}

/// The pilot plan (`concord plan --pilot` with the same defaults), with a message per size simulated.
fn plan(request: &str) {
    use concord_engine::pilot::{plan_pilot, PilotQuestion};
    match serde_json::from_str::<PlanRequest>(request) {
        Ok(r) => {
            let q = PilotQuestion::new(r.labels, r.annotators, r.expected_alpha, r.min_agreement, r.rule, r.risk);
            let plan = plan_pilot(q, |sizes| post(&Message::Planning { sizes }));
            post(&Message::Planned(plan));
        }
        Err(e) => post(&Message::Failed { message: format!("the pilot question could not be read: {e}") }),
    }
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(m: &Message) {
    let text = serde_json::to_string(m).expect("messages serialize");
    let _ = scope().post_message(&JsValue::from_str(&text));
}

/// The summary as JSON text beside its [`Columns`] as typed arrays whose buffers are transferred, not copied
/// (summaries of regions and cuboids have no columns: their JSON says it all).
fn post_done(s: Summary, columns: Columns) {
    let json = serde_json::to_string(&Message::Done(s)).expect("messages serialize");
    let (message, transfer) = columns.answer(&json);
    drop(json);
    let _ = scope().post_message_with_transfer(&message, &transfer);
}

/// Installs the message handler and says it is ready. The page then posts an array of `File`s, or a
/// [`PlanRequest`] as JSON text.
pub fn run() {
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        if let Some(text) = e.data().as_string() {
            return plan(&text);
        }
        let data = js_sys::Array::from(&e.data());
        let files: Vec<File> = data.iter().filter_map(|f| f.dyn_into().ok()).collect();
        let manifest = data.iter().find_map(|v| v.as_string());
        match import(&files, manifest.as_deref()) {
            Ok((s, columns)) => post_done(s, columns),
            Err(e) => post(&Message::Failed { message: e.to_string() }),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&Message::Ready);
}

/// A `File` as `std::io::Read`, one slice at a time.
struct SliceReader<'a> {
    file: &'a File,
    sync: FileReaderSync,
    at: f64,
    size: f64,
    buf: Vec<u8>,
    used: usize,
    on_slice: &'a dyn Fn(u64, u64),
}

impl<'a> SliceReader<'a> {
    fn new(file: &'a File, sync: &FileReaderSync, on_slice: &'a dyn Fn(u64, u64)) -> Self {
        SliceReader { file, sync: sync.clone(), at: 0.0, size: file.size(), buf: Vec::new(), used: 0, on_slice }
    }
}

impl Read for SliceReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.used == self.buf.len() {
            if self.at >= self.size {
                return Ok(0);
            }
            let end = (self.at + SLICE as f64).min(self.size);
            let piece = self
                .file
                .slice_with_f64_and_f64(self.at, end)
                .and_then(|b| self.sync.read_as_array_buffer(&b))
                .map_err(|e| std::io::Error::other(format!("{e:?}")))?;
            self.buf = js_sys::Uint8Array::new(&piece).to_vec();
            self.used = 0;
            self.at = end;
            (self.on_slice)(end as u64, self.size as u64);
        }
        let n = out.len().min(self.buf.len() - self.used);
        out[..n].copy_from_slice(&self.buf[self.used..self.used + n]);
        self.used += n;
        Ok(n)
    }
}

/// What the files hold, read one by one (each through `SliceReader`, with progress): the annotators' tables with
/// their stamps, exports of regions, gold, and a summary per file.
#[derive(Default)]
struct FilesRead<'a> {
    tables: Vec<(String, CategoricalTable)>,
    /// When each file's labels were made, in that file's ids (remapped once the tables are merged).
    file_stamps: Vec<Stamps>,
    /// The Label Studio choice control read.
    control: String,
    /// Exports of spans or boxes (read whole: a second pass over the file), reviewed as regions.
    region_exports: Vec<(String, LsExport)>,
    /// Gold answers: ground-truth tables from Label Studio, and gold CSV files (read once the table is merged).
    gold_tables: Vec<(String, CategoricalTable)>,
    gold_files: Vec<&'a File>,
    summaries: Vec<FileSummary>,
    /// A point-cloud project's logs: its cuboids and their control, reviewed as a 3D batch.
    cuboids: Option<(concord_engine::model::CuboidTable, String)>,
}

/// The rest of a file through its slice reader (progress posted as it goes).
fn whole_text(mut reader: impl Read, name: &str) -> Result<String, InputError> {
    let mut text = String::new();
    reader.read_to_string(&mut text).map_err(|e| InputError::whole(name, format!("cannot be read: {e}")))?;
    Ok(text)
}

/// A file's whole text, read at once (a small file met before its reader is made: a YOLO classes file).
fn read_text(file: &File, sync: &FileReaderSync, name: &str) -> Result<String, InputError> {
    sync.read_as_text(file).map_err(|_| InputError::whole(name, "cannot be read"))
}

/// YOLO label files chosen as a folder of annotators' folders (`ann/labels/a.txt`, named by their paths): each
/// read with the `classes.txt` of its annotator's folder, its annotator that folder's name, its task the file's stem.
fn read_yolo_folders(classes: &[(String, String)], labels: &[(String, String)]) -> Result<LsExport, InputError> {
    use concord_engine::formats::yolo::{folder_annotator, label_file_place, read_yolo_annotation, read_yolo_classes};
    let mut all = LsExport::default();
    for (name, text) in labels {
        let (owner, task) = label_file_place(name);
        let wanted = if owner.is_empty() { "classes.txt".to_string() } else { format!("{owner}/classes.txt") };
        let (classes_name, classes_text) = classes.iter().find(|(n, _)| *n == wanted).ok_or_else(|| {
            InputError::whole(
                name,
                format!("no {wanted} beside it: YOLO names classes by number; choose the folder that holds it"),
            )
        })?;
        let names = read_yolo_classes(classes_name, classes_text)?;
        all.absorb(read_yolo_annotation(name, text, &names, task, folder_annotator(owner))?);
    }
    Ok(all)
}

/// The import summary's row for a file of regions: its annotations (ground truth apart) and annotators.
fn region_summary(name: &str, tool: &str, bytes: u64, export: &LsExport) -> FileSummary {
    let mut who: Vec<&str> = export.annotations.iter().map(|a| a.annotator.as_str()).collect();
    who.lean_sort();
    who.dedup();
    FileSummary {
        name: name.to_string(),
        format: format!("{tool} ({})", export.kind().unwrap_or("regions")),
        bytes,
        annotations: export.annotations.iter().filter(|a| !a.ground_truth).count(),
        annotators: who.len(),
    }
}

/// A tool format's name as the import summary shows it.
fn tool_name(format: Format) -> &'static str {
    match format {
        Format::Doccano => "doccano",
        Format::Prodigy => "Prodigy",
        Format::Voc => "Pascal VOC",
        _ => "CVAT",
    }
}

fn read_files<'a>(
    files: &'a [File],
    sync: &FileReaderSync,
    project: Option<&Project>,
) -> Result<FilesRead<'a>, InputError> {
    let mut read = FilesRead::default();
    let FilesRead { tables, file_stamps, control, region_exports, gold_tables, gold_files, summaries, cuboids } =
        &mut read;
    let mut logs: Vec<(String, String)> = Vec::new();
    let (mut yolo_classes, mut yolo_labels): (Vec<(String, String)>, Vec<(String, String)>) = (Vec::new(), Vec::new());
    for (index, file) in files.iter().enumerate() {
        let name = file.name();
        let head_len = file.size().min(4096.0);
        let head = file
            .slice_with_f64_and_f64(0.0, head_len)
            .and_then(|b| sync.read_as_array_buffer(&b))
            .map(|b| js_sys::Uint8Array::new(&b).to_vec())
            .map_err(|_| InputError::whole(&name, "cannot be read"))?;
        // YOLO's classes files are read with the label files they name (after the loop).
        if name == "classes.txt" || name.ends_with("/classes.txt") {
            yolo_classes.push((name.clone(), read_text(file, sync, &name)?));
            continue;
        }
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        let format = detect_format(&name, ext, &head)?;
        let progress = |done: u64, total: u64| {
            post(&Message::Progress { file: name.clone(), index, files: files.len(), done, total })
        };
        let reader = SliceReader::new(file, sync, &progress);
        let (format_name, table, stamps) = match format {
            // Only the tables are kept of each task: the annotators' and the ground truth's.
            Format::LabelStudio => {
                let mut r = ChoiceReader::new(None);
                r.read(&name, reader)?;
                if r.control().is_none() && (r.has_spans || r.has_boxes || r.has_polygons) {
                    let again = SliceReader::new(file, sync, &progress);
                    let export = read_label_studio_from(&name, again)?;
                    summaries.push(region_summary(&name, "Label Studio", file.size() as u64, &export));
                    region_exports.push((name.clone(), export));
                    continue;
                }
                if control.is_empty() {
                    *control = r.control().unwrap_or_default().to_string();
                }
                let (people, gold, stamps) = r.finish_stamped(&name)?;
                if gold.n_annotations() > 0 {
                    gold_tables.push((name.clone(), gold));
                }
                ("Label Studio", people, stamps)
            }
            Format::Csv if is_gold_csv(&head) => {
                gold_files.push(file);
                continue;
            }
            Format::Csv => {
                let (table, stamps) = read_long_csv_stamped(&name, reader)?;
                ("CSV", table, stamps)
            }
            // Read together after the loop: one annotator's log may come as many segments (a sync folder's).
            Format::ConcordLog => {
                let text = whole_text(reader, &name)?;
                logs.push((name, text));
                continue;
            }
            Format::LabelStudioMin | Format::LabelStudioCsv => {
                return Err(InputError::whole(
                    &name,
                    "a Label Studio JSON_MIN or CSV export names its columns after the project's label config, \
                     which review mode does not have: export JSON (the full export) for review mode, or read this \
                     file with `concord agreement --label-config CONFIG.xml`",
                ))
            }
            Format::Yolo => {
                yolo_labels.push((name.clone(), read_text(file, sync, &name)?));
                continue;
            }
            Format::Doccano | Format::Prodigy | Format::Voc | Format::Cvat => {
                let text = whole_text(reader, &name)?;
                // A file that names no annotator is the annotator its name says (`ann.jsonl` is `ann`).
                let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
                let export =
                    concord_engine::formats::read_tool_file(format, &name, &text, stem).expect("a tool format")?;
                if export.kind() == Some("choices") {
                    let table = export.categorical(None, false).map_err(|e| InputError::whole(&name, e.to_string()))?;
                    (tool_name(format), table, Stamps::default())
                } else {
                    summaries.push(region_summary(&name, tool_name(format), file.size() as u64, &export));
                    region_exports.push((name.clone(), export));
                    continue;
                }
            }
            other => {
                return Err(InputError::whole(
                    &name,
                    format!(
                        "{other:?} files are not imported here: review takes Label Studio exports, CSV, Concord logs, \
                     doccano, Prodigy, CVAT and Pascal VOC files"
                    ),
                ))
            }
        };
        summaries.push(FileSummary {
            name: name.clone(),
            format: format_name.into(),
            bytes: file.size() as u64,
            annotations: table.n_annotations(),
            annotators: table.annotators.len(),
        });
        tables.push((name, table));
        file_stamps.push(stamps);
    }
    if !yolo_labels.is_empty() {
        let export = read_yolo_folders(&yolo_classes, &yolo_labels)?;
        let bytes = yolo_labels.iter().map(|(_, t)| t.len() as u64).sum();
        summaries.push(region_summary(&format!("{} YOLO label files", yolo_labels.len()), "YOLO", bytes, &export));
        region_exports.push(("YOLO".into(), export));
    }
    if !logs.is_empty() {
        // One table of all the logs (an annotator's segments belong together); a row per file, its submissions counted.
        let read_logs = read_logs(&logs, project)?;
        for (name, text) in &logs {
            let events = concord_engine::log::parse_jsonl(name, text)?;
            let mut who: Vec<&str> = events.iter().map(|e| e.annotator.as_str()).collect();
            who.lean_sort();
            who.dedup();
            summaries.push(FileSummary {
                name: name.clone(),
                format: "Concord log".into(),
                bytes: text.len() as u64,
                annotations: events.iter().filter(|e| matches!(e.op, concord_engine::log::Op::Submit { .. })).count(),
                annotators: who.len(),
            });
        }
        match read_logs {
            LogTables::Categorical(table, stamps) => {
                tables.push((logs[0].0.clone(), table));
                file_stamps.push(stamps);
            }
            LogTables::Cuboids(table, control) => *cuboids = Some((table, control)),
        }
    }
    Ok(read)
}

fn import(files: &[File], manifest: Option<&str>) -> Result<(Summary, Columns), InputError> {
    let start = js_sys::Date::now();
    if files.is_empty() {
        return Err(InputError::whole("(import)", "no files"));
    }
    let sync =
        FileReaderSync::new().map_err(|_| InputError::whole("(import)", "this browser cannot read files here"))?;
    // The project review mode has open, if any: its logs are read against it, its sections file the figures.
    let project = manifest.map(|m| concord_engine::bundle::parse_manifest("project.json", m)).transpose()?;
    let FilesRead { tables, file_stamps, control, region_exports, gold_tables, gold_files, mut summaries, cuboids } =
        read_files(files, &sync, project.as_ref())?;
    if let Some((table, control)) = cuboids {
        if !tables.is_empty() || !region_exports.is_empty() || !gold_files.is_empty() || !gold_tables.is_empty() {
            return Err(InputError::whole(
                "(import)",
                "a point-cloud project's logs are reviewed on their own: import the other files apart",
            ));
        }
        return Ok((cuboids_summary(table, control, summaries, start)?, Columns::default()));
    }
    if !region_exports.is_empty() {
        if !tables.is_empty() || !gold_files.is_empty() {
            return Err(InputError::whole(
                &region_exports[0].0,
                "spans or boxes cannot be reviewed together with choice labels or gold CSV: import them apart",
            ));
        }
        return Ok((regions_summary(region_exports, summaries, start)?, Columns::default()));
    }
    if tables.iter().all(|(_, t)| t.n_annotations() == 0) {
        return Err(InputError::whole("(import)", "no annotators' labels among the files (only gold?)"));
    }
    let mut merged = merge_categorical(&tables)?;
    let mut stamps = Stamps::default();
    for ((_, table), s) in tables.iter().zip(&file_stamps) {
        s.remap_into(table, &merged, &mut stamps);
    }
    drop(tables);
    drop(file_stamps);
    // The engine's review of the batch, before any gold is read into the table (`concord review` does the same).
    let (before, mut intervals_millis) = (js_sys::Date::now(), 0.0);
    let report = BatchReport::build_with_progress(&merged, &ReviewOptions::default(), |done, total| {
        post(&Message::Intervals { done, total });
        if done == total {
            intervals_millis = js_sys::Date::now() - before;
        }
    })?;
    let mut sources = Vec::new();
    for (name, g) in &gold_tables {
        sources.push((name.clone(), gold_from_table(name, &mut merged, g)?));
    }
    for file in gold_files {
        let name = file.name();
        let reader = SliceReader::new(file, &sync, &|_, _| {});
        sources.push((name.clone(), read_gold_csv(&name, reader, &mut merged)?));
        summaries.push(FileSummary {
            name,
            format: "gold CSV".into(),
            bytes: file.size() as u64,
            annotations: 0,
            annotators: 0,
        });
    }
    let gold_labels = if sources.is_empty() { Vec::new() } else { merge_gold(&merged, &sources)? };
    let report = if gold_labels.is_empty() { report } else { report.with_gold(&merged, &gold_labels)? };
    // Per guideline version (`concord drift --bundle` prints the same): over every stamp, so here at full speed.
    let label_sections = project.map(|p| p.schema.label_sections()).unwrap_or_default();
    let versions = figures_by_version(&merged, &stamps, &gold_labels, &label_sections);
    // The page's share of the work done here: the names' order, the consensus as columns over the table, and the
    // review queue as it opens.
    let order = NameOrder::of(&merged);
    let consensus = report.final_from.columns(&merged);
    let queue = QueueIndex::in_order(&merged, &order, &report.final_from, QueueScope::Disagreements, None);
    let queue: Vec<u32> = queue.ids().iter().flat_map(|&(i, a, l)| [i, a, l]).collect();
    let final_from = match consensus {
        Some(_) => Consensus { method: report.final_from.method.clone(), ..Default::default() },
        None => report.final_from,
    };
    let columns = Columns {
        item_names: Some(merged.items.joined()),
        table: Some(merged.columns().map(<[u32]>::to_vec)),
        order: Some((order.items().to_vec(), order.annotators().to_vec())),
        consensus,
        queue: Some(queue),
        stamps: Columns::stamps_of(&stamps),
    };
    if columns.stamps.is_some() {
        stamps.rows = Vec::new();
    }
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let peak = memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64;
    let summary = Summary {
        files: summaries,
        items: merged.n_items(),
        annotators: merged.annotators.len(),
        annotations: merged.n_annotations(),
        labels: merged.labels.names().map(str::to_string).collect(),
        agreement: report.agreement.as_ref().map(crossing).transpose()?,
        alpha_replicates: report
            .agreement
            .as_ref()
            .and_then(|a| a.alpha_replicates.as_ref())
            .map(|d| d.replicates().to_vec())
            .unwrap_or_default(),
        gold: report.gold.as_ref().map(crossing).transpose()?,
        consensus: Some(crossing(&report.consensus)?),
        final_from,
        pool: report.pool,
        pool_size: report.pool_size,
        table: TableRows {
            items: Vec::new(),
            annotators: merged.annotators.names().map(str::to_string).collect(),
            labels: merged.labels.names().map(str::to_string).collect(),
            rows: Vec::new(),
        },
        stamps,
        gold_labels,
        versions,
        control: if control.is_empty() { "label".into() } else { control },
        region_agreement: None,
        regions: None,
        tracks: None,
        peak_wasm_bytes: peak,
        intervals_millis,
        millis: js_sys::Date::now() - start,
    };
    Ok((summary, columns))
}

/// Concord logs (annotator mode's exports, or a sync folder's segments): merged by event id, replayed per annotator
/// against the project's schema; their submitted choices as a table, stamped with submission times and versions.
/// What a batch of Concord logs holds: a choice control's labels (with when they were made), or a point-cloud
/// project's cuboids.
enum LogTables {
    Categorical(CategoricalTable, Stamps),
    /// The cuboids, and the control they are of.
    Cuboids(concord_engine::model::CuboidTable, String),
}

fn read_logs(logs: &[(String, String)], project: Option<&Project>) -> Result<LogTables, InputError> {
    let name = if logs.len() == 1 { logs[0].0.clone() } else { format!("the {} Concord logs", logs.len()) };
    let name = name.as_str();
    let project = project.ok_or_else(|| {
        InputError::whole(
            &logs[0].0,
            "a Concord log is read against its project: open review mode with ?project=<bundle>",
        )
    })?;
    // The files merged first: an event sent in several segments (or exported twice) counts once.
    let events = concord_engine::sync::merge_segments(logs)?;
    let timed = concord_engine::log::timed_records(name, &project.schema, &events)?;
    let records: Vec<_> = timed.iter().map(|(r, _)| r.clone()).collect();
    match concord_engine::formats::concord::annotation_tables(&project.schema, &records, None) {
        Ok(concord_engine::formats::concord::Tables::Categorical(t)) => {
            let stamps = concord_engine::formats::concord::stamps_of(&t, &timed);
            Ok(LogTables::Categorical(t, stamps))
        }
        Ok(concord_engine::formats::concord::Tables::Cuboids(t)) => {
            // The first control, as `annotation_tables` read it.
            let control = project.schema.controls.first().map(|c| c.name.clone()).unwrap_or_default();
            Ok(LogTables::Cuboids(t, control))
        }
        Ok(_) => Err(InputError::whole(
            name,
            "review mode reads Concord logs of choice labels and of cuboids; this project's first control is spans, \
             boxes or polygons (import their Label Studio, CVAT, VOC or YOLO exports)",
        )),
        Err(why) => Err(InputError::whole(name, why.to_string())),
    }
}

/// An import of spans or boxes: the exports joined (one annotator twice on a task, across files, is refused naming
/// both files), the engine's region review set and its agreement report.
fn regions_summary(
    exports: Vec<(String, LsExport)>,
    files: Vec<FileSummary>,
    start: f64,
) -> Result<Summary, InputError> {
    use concord_engine::review::region_set;
    let mut merged = LsExport::default();
    let mut seen: std::collections::HashMap<(String, String), String> = std::collections::HashMap::new();
    let mut kinds = std::collections::BTreeSet::new();
    for (name, export) in exports {
        kinds.insert(export.kind());
        for a in export.annotations {
            if let Some(first) = seen.insert((a.task.clone(), a.annotator.clone()), name.clone()) {
                return Err(InputError::whole(
                    &name,
                    format!(
                        "annotator `{}` annotated task `{}` again (also in {first}): keep one of the two",
                        a.annotator, a.task
                    ),
                ));
            }
            merged.annotations.push(a);
        }
        merged.tasks.extend(export.tasks);
    }
    if kinds.len() > 1 {
        return Err(InputError::whole(
            "(import)",
            "the files hold different kinds of regions (spans, boxes, polygons): import each kind apart",
        ));
    }
    let set =
        region_set(&merged).ok_or_else(|| InputError::whole("(import)", "no spans, boxes or polygons in the files"))?;
    let boot = concord_engine::resample::BootstrapSettings::default();
    let report = Some(crossing(&concord_engine::review::RegionAgreement::of(&merged, set.kind, boot))?);
    let mut annotators: Vec<&str> = set.items.iter().flat_map(|i| i.versions.iter().map(|v| v.0.as_str())).collect();
    annotators.lean_sort();
    annotators.dedup();
    let counts = (set.items.len(), annotators.len(), set.items.iter().map(|i| i.versions.len()).sum());
    let mut summary = regions_only(files, counts, set.labels.clone(), set.control.clone(), start);
    summary.region_agreement = report;
    summary.regions = Some(set);
    Ok(summary)
}

/// The summary of an import of regions (no choice labels): what every kind fills the same way, with the worker's
/// memory peak and the time taken; `counts` = (items, annotators, annotations).
fn regions_only(
    files: Vec<FileSummary>,
    counts: (usize, usize, usize),
    labels: Vec<String>,
    control: String,
    start: f64,
) -> Summary {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let peak = memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64;
    Summary {
        files,
        items: counts.0,
        annotators: counts.1,
        annotations: counts.2,
        labels,
        agreement: None,
        alpha_replicates: Vec::new(),
        gold: None,
        consensus: None,
        final_from: Default::default(),
        pool: Vec::new(),
        pool_size: 0,
        table: Default::default(),
        stamps: Default::default(),
        gold_labels: Vec::new(),
        versions: Vec::new(),
        control,
        region_agreement: None,
        regions: None,
        tracks: None,
        peak_wasm_bytes: peak,
        intervals_millis: 0.0,
        millis: js_sys::Date::now() - start,
    }
}

/// An import of a point-cloud project's logs: the 3D agreement (`concord agreement`, with intervals over frames)
/// and the tracks queue (`concord tracks`).
fn cuboids_summary(
    table: concord_engine::model::CuboidTable,
    control: String,
    files: Vec<FileSummary>,
    start: f64,
) -> Result<Summary, InputError> {
    let boot = concord_engine::resample::BootstrapSettings::default();
    let agreement = concord_engine::review::RegionAgreement::Cuboids(
        concord_engine::scene::cuboid_agreement_with_intervals(&table, boot),
    );
    let tracks = concord_engine::scene::TrackQueue::of(&table, concord_engine::scene::TRACK_QUEUE_IOU);
    let counts = (table.items.len(), table.annotators.len(), table.coverage.len());
    let labels = table.labels.names().map(str::to_string).collect();
    let mut summary = regions_only(files, counts, labels, control, start);
    summary.region_agreement = Some(crossing(&agreement)?);
    summary.tracks = Some(crossing(&tracks)?);
    Ok(summary)
}
