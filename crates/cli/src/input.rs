//! Reading input files: format detection and a progress bar on stderr for large files when it is a terminal.

use std::fs::File;
use std::io::{IsTerminal, Read};
use std::path::Path;

use concord_engine::formats::{detect_format, Format};
use concord_engine::InputError;

/// Files larger than this get a progress bar (when stderr is a terminal).
const PROGRESS_FROM_BYTES: u64 = 8 << 20;

/// Opens `path`, wrapped in a progress bar when it is large and stderr is interactive.
pub fn open(path: &Path) -> Result<Box<dyn Read>, InputError> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| InputError::whole(&name, format!("cannot open: {e}")))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len >= PROGRESS_FROM_BYTES && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(len);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {eta}")
                .expect("static template")
                .progress_chars("=> "),
        );
        bar.set_message(name);
        return Ok(Box::new(bar.wrap_read(file)));
    }
    Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, file)))
}

pub fn read_to_string(path: &Path) -> Result<String, InputError> {
    let name = path.display().to_string();
    let mut s = String::new();
    open(path)?.read_to_string(&mut s).map_err(|e| InputError::whole(&name, format!("cannot read: {e}")))?;
    Ok(s)
}

/// The format of `path`: `--format` if given, else detected from the extension and the first bytes.
pub fn format_of(path: &Path, forced: Option<&str>) -> Result<Format, InputError> {
    let name = path.display().to_string();
    if let Some(f) = forced {
        return Format::from_name(f).ok_or_else(|| {
            InputError::whole(&name, format!("unknown --format `{f}` (csv, spans, bio, labelstudio, coco)"))
        });
    }
    let mut head = vec![0u8; 64 << 10];
    let n = File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| InputError::whole(&name, format!("cannot open: {e}")))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    detect_format(&name, ext, &head[..n])
}

use std::path::PathBuf;

use concord_engine::formats::bio::{read_bio_jsonl_from, ChunkMode};
use concord_engine::formats::coco::read_coco_ground_truth;
use concord_engine::formats::csv_long::read_long_csv_files;
use concord_engine::formats::label_studio::{read_label_studio_from, LsExport};
use concord_engine::formats::span_jsonl::read_span_jsonl_from;
use concord_engine::model::{BoxRec, BoxTable, CategoricalTable, PolygonRec, PolygonTable, SpanTable, SpanUnit};

use crate::Failure;

/// Annotations read from the command line's files, by kind.
pub enum Dataset {
    Categorical(CategoricalTable),
    Spans(SpanTable),
    Boxes(BoxTable),
    Polygons(PolygonTable),
    Cuboids(concord_engine::model::CuboidTable),
}

/// Reads every file; all must be of one format. Span files carry one annotator each, named by the file stem.
pub fn load(paths: &[PathBuf], forced: Option<&str>, mode: ChunkMode) -> Result<(Format, Dataset), Failure> {
    load_with(paths, forced, mode, &Sources::default())
}

/// What some formats need beside their files.
#[derive(Default)]
pub struct Sources<'a> {
    /// The project bundle: Concord annotation exports and logs need its schema.
    pub bundle: Option<&'a Path>,
    /// The control to read (a schema's, or a Label Studio config's).
    pub control: Option<&'a str>,
    /// A Label Studio label config: its flat exports (JSON_MIN, CSV) name their columns after its controls.
    pub label_config: Option<&'a Path>,
}

/// As [`load`], with what Concord exports (a bundle) and Label Studio's flat exports (a label config) need.
pub fn load_with(
    paths: &[PathBuf],
    forced: Option<&str>,
    mode: ChunkMode,
    sources: &Sources,
) -> Result<(Format, Dataset), Failure> {
    let (bundle, control) = (sources.bundle, sources.control);
    if paths.is_empty() {
        return Err(Failure::Input("no input files".into()));
    }
    let format = format_of(&paths[0], forced)?;
    for p in &paths[1..] {
        let f = format_of(p, forced)?;
        if f != format {
            return Err(Failure::Input(format!(
                "{}: is {f:?} but {} is {format:?}; give files of one format",
                p.display(),
                paths[0].display()
            )));
        }
    }
    let dataset = match format {
        Format::Csv => {
            let files = paths
                .iter()
                .map(|p| Ok((p.display().to_string(), open(p)?)))
                .collect::<Result<Vec<_>, InputError>>()?;
            Dataset::Categorical(read_long_csv_files(files)?)
        }
        Format::Spans | Format::Bio | Format::Conll2003 => {
            let unit = if format == Format::Spans { SpanUnit::CodePoints } else { SpanUnit::Tokens };
            let mut table = SpanTable::new(unit);
            for p in paths {
                let name = p.display().to_string();
                let annotator = annotator_of(p);
                if table.annotators.get(&annotator).is_some() {
                    return Err(Failure::Input(format!(
                        "{name}: a second file for annotator `{annotator}` (annotators are named by file stem)"
                    )));
                }
                let docs = read_spans(p, format, mode, &mut table)?;
                table.add_annotator(&annotator, docs);
            }
            Dataset::Spans(table)
        }
        Format::Concord | Format::ConcordLog => {
            let dir = bundle.ok_or_else(|| {
                Failure::Input(format!(
                    "{}: Concord annotations and logs need --bundle DIR for their schema",
                    paths[0].display()
                ))
            })?;
            let b = crate::input::bundle(dir)?.0;
            let records = if format == Format::Concord {
                annotation_records(paths, &b.project.schema)?
            } else {
                log_records(paths, &b.project.schema)?
            };
            match concord_engine::formats::concord::annotation_tables(&b.project.schema, &records, control)
                .map_err(|e| Failure::Input(format!("{}: {e}", paths[0].display())))?
            {
                concord_engine::formats::concord::Tables::Categorical(t) => Dataset::Categorical(t),
                concord_engine::formats::concord::Tables::Spans(t) => Dataset::Spans(t),
                concord_engine::formats::concord::Tables::Boxes(t) => Dataset::Boxes(t),
                concord_engine::formats::concord::Tables::Polygons(t) => Dataset::Polygons(t),
                concord_engine::formats::concord::Tables::Cuboids(t) => Dataset::Cuboids(t),
            }
        }
        Format::LabelStudio => {
            // Most exports are item-level choices: one streaming pass keeps only their table. An export that also
            // holds spans or boxes is one of those, and is read whole in a second pass.
            if let Some(table) = stream_choices(paths, control)? {
                return Ok((format, Dataset::Categorical(table)));
            }
            let ls = read_label_studio_files(paths)?;
            ls_dataset(&ls, paths, control)?
        }
        Format::LabelStudioMin | Format::LabelStudioCsv => {
            let ls = read_flat_label_studio(paths, format, sources.label_config)?;
            ls_dataset(&ls, paths, control)?
        }
        Format::Doccano | Format::Prodigy | Format::Voc | Format::Cvat | Format::Yolo => {
            ls_dataset(&annotation_set(paths, forced)?, paths, control)?
        }
        Format::Coco => {
            // Each file is one annotator's instances as COCO JSON; images are matched by file name (or id). Files
            // whose every instance has a polygon `segmentation` are compared as polygons, others as boxes.
            if let Some(t) = coco_polygons(paths)? {
                return Ok((format, Dataset::Polygons(t)));
            }
            let mut table = BoxTable::default();
            for p in paths {
                let name = p.display().to_string();
                let gt = read_coco_ground_truth(&name, &read_to_string(p)?)?;
                let annotator = table.annotators.intern(&annotator_of(p));
                let items: Vec<u32> = gt
                    .images
                    .iter()
                    .map(|im| {
                        let key = if im.file_name.is_empty() { im.id.to_string() } else { im.file_name.clone() };
                        table.items.intern(&key)
                    })
                    .collect();
                let labels: Vec<u32> = gt.categories.iter().map(|(_, n)| table.labels.intern(n)).collect();
                for &item in &items {
                    table.cover(item, annotator);
                }
                for b in &gt.boxes {
                    let [x, y, w, h] = b.bbox;
                    let (item, label) = (items[b.image as usize], labels[b.category as usize]);
                    table.regions.push(BoxRec { item, annotator, label, x, y, w, h, score: None });
                }
            }
            table.finish();
            Dataset::Boxes(table)
        }
    };
    Ok((format, dataset))
}

/// COCO files as one polygon table (annotators named by file stem), when every instance of every file is a polygon.
fn coco_polygons(paths: &[PathBuf]) -> Result<Option<PolygonTable>, Failure> {
    let mut all = PolygonTable::default();
    for p in paths {
        let name = p.display().to_string();
        let Ok(t) = concord_engine::formats::coco::read_coco_polygons(&name, &read_to_string(p)?, &annotator_of(p))
        else {
            return Ok(None);
        };
        if t.regions.is_empty() {
            return Ok(None);
        }
        let who = all.annotators.intern(&annotator_of(p));
        for &(i, _) in &t.coverage {
            let item = all.items.intern(t.items.name(i));
            all.cover(item, who);
        }
        for q in t.regions {
            let (item, label) = (all.items.intern(t.items.name(q.item)), all.labels.intern(t.labels.name(q.label)));
            all.regions.push(PolygonRec { item, annotator: who, label, ..q });
        }
    }
    all.finish();
    Ok(Some(all))
}

/// Reads a span or IOB2 file into `table`'s vocabularies, line by line (large files are not held whole).
pub fn read_spans(
    path: &Path,
    format: Format,
    mode: ChunkMode,
    table: &mut SpanTable,
) -> Result<Vec<(u32, Vec<concord_engine::model::Span>)>, InputError> {
    let name = path.display().to_string();
    let reader = std::io::BufReader::with_capacity(1 << 16, open(path)?);
    match format {
        Format::Bio => read_bio_jsonl_from(&name, reader, mode, &mut table.items, &mut table.labels),
        Format::Conll2003 => concord_engine::formats::bio::read_conll2003(
            &name,
            &read_to_string(path)?,
            mode,
            &mut table.items,
            &mut table.labels,
        ),
        _ => read_span_jsonl_from(&name, reader, &mut table.items, &mut table.labels),
    }
}

pub fn annotator_of(p: &Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| p.display().to_string())
}

/// The choices of Label Studio exports, streamed; `None` when they also hold spans or boxes (or no choices).
fn stream_choices(
    paths: &[PathBuf],
    control: Option<&str>,
) -> Result<Option<concord_engine::model::CategoricalTable>, Failure> {
    let mut r = concord_engine::formats::label_studio::ChoiceReader::new(control);
    for p in paths {
        r.read(&p.display().to_string(), open(p)?)?;
    }
    if r.has_spans || r.has_boxes || r.has_polygons {
        return Ok(None);
    }
    match r.finish(&paths[0].display().to_string()) {
        Ok((people, _)) => Ok(Some(people)),
        Err(_) => Ok(None),
    }
}

/// Reads one or more Label Studio exports as one (annotations of the same task id are compared).
pub fn read_label_studio_files(paths: &[PathBuf]) -> Result<LsExport, Failure> {
    let mut all = LsExport::default();
    for p in paths {
        all.absorb(read_label_studio_from(&p.display().to_string(), open(p)?)?);
    }
    Ok(all)
}

/// Files of Label Studio's JSON or of another tool's format (doccano, Prodigy, Pascal VOC, CVAT), each told apart
/// by its content, read into one annotation set. A file that names no annotator is the annotator named by its stem
/// (doccano, Prodigy, CVAT), or, for VOC's one file per image, by its folder.
pub fn annotation_set(paths: &[PathBuf], forced: Option<&str>) -> Result<LsExport, Failure> {
    let mut all = LsExport::default();
    for p in paths {
        let name = p.display().to_string();
        let format = format_of(p, forced)?;
        // VOC is a file per image: its folder names the annotator; the others are named by their stem.
        let who = match format {
            Format::Voc => folder_name(p.parent()),
            _ => None,
        }
        .unwrap_or_else(|| annotator_of(p));
        let one = match format {
            Format::LabelStudio => read_label_studio_from(&name, open(p)?)?,
            Format::Yolo => read_yolo(p)?,
            other => concord_engine::formats::read_tool_file(other, &name, &read_to_string(p)?, &who).ok_or_else(
                || {
                    Failure::Input(format!(
                        "{name}: a {other:?} file among Label Studio, doccano, Prodigy, VOC or CVAT files"
                    ))
                },
            )??,
        };
        // One task seen by several files (every annotator's copy of an image) is one task.
        all.absorb(one);
    }
    Ok(all)
}

fn folder_name(dir: Option<&Path>) -> Option<String> {
    dir.and_then(|d| d.file_name()).map(|d| d.to_string_lossy().into_owned())
}

/// A YOLO label file: its classes from the `classes.txt` in its folder or the one above (Ultralytics' and Label
/// Studio's `labels/` layout), its task the file's stem, its annotator the folder holding `labels/` (or its own).
fn read_yolo(p: &Path) -> Result<LsExport, Failure> {
    use concord_engine::formats::yolo::{folder_annotator, label_file_place, read_yolo_annotation, read_yolo_classes};
    let path = p.to_string_lossy();
    let (owner, task) = label_file_place(&path);
    let beside = p.parent().unwrap_or(Path::new(".")).join("classes.txt");
    let classes_path =
        [beside, Path::new(owner).join("classes.txt")].into_iter().find(|c| c.is_file()).ok_or_else(|| {
            Failure::Input(format!(
                "{}: no classes.txt beside it or beside its labels/: YOLO names classes by number",
                p.display()
            ))
        })?;
    let classes = read_yolo_classes(&classes_path.display().to_string(), &read_to_string(&classes_path)?)?;
    Ok(read_yolo_annotation(&path, &read_to_string(p)?, &classes, task, folder_annotator(owner))?)
}

/// Label Studio's flat exports (JSON_MIN, CSV, TSV), read with the label config that names their columns.
fn read_flat_label_studio(paths: &[PathBuf], format: Format, config: Option<&Path>) -> Result<LsExport, Failure> {
    let kind = if format == Format::LabelStudioMin { "JSON_MIN" } else { "CSV" };
    let config_path = config.ok_or_else(|| {
        Failure::Input(format!(
            "{}: a Label Studio {kind} export names its columns after the label config's controls: give \
             --label-config CONFIG.xml (the project's Labeling Interface, Code view)",
            paths[0].display()
        ))
    })?;
    let config = concord_engine::formats::label_studio_config::parse_label_config(
        &config_path.display().to_string(),
        &read_to_string(config_path)?,
    )?;
    let mut all = LsExport::default();
    for p in paths {
        let name = p.display().to_string();
        let ls = if format == Format::LabelStudioMin {
            concord_engine::formats::label_studio_flat::read_label_studio_min(&name, &read_to_string(p)?, &config)?
        } else {
            let text = read_to_string(p)?;
            let delimiter = concord_engine::formats::label_studio_csv_delimiter(text.as_bytes());
            concord_engine::formats::label_studio_flat::read_label_studio_csv(
                &name,
                text.as_bytes(),
                &config,
                delimiter,
            )?
        };
        all.absorb(ls);
    }
    Ok(all)
}

/// A Label Studio export's annotations as the table of the kind they hold (polygons, boxes, spans, or item-level
/// choices and ratings of `control`, else of the first such control).
fn ls_dataset(ls: &LsExport, paths: &[PathBuf], control: Option<&str>) -> Result<Dataset, Failure> {
    let first = paths[0].display();
    // A named control's regions only (choices are picked by `categorical` itself).
    let kept;
    let ls = match control {
        Some(c) if ls.kind_of(Some(c)) != Some("choices") => {
            let mut only = ls.clone();
            only.keep_control(c);
            kept = only;
            &kept
        }
        _ => ls,
    };
    Ok(match ls.kind_of(control) {
        Some("polygons") => Dataset::Polygons(ls.polygons(false)),
        Some("boxes") => Dataset::Boxes(ls.boxes(false)),
        Some("spans") => Dataset::Spans(ls.spans(false)),
        Some("choices") => {
            Dataset::Categorical(ls.categorical(control, false).map_err(|e| Failure::Input(format!("{first}: {e}")))?)
        }
        _ => {
            let of = control.map(|c| format!(" of control `{c}`")).unwrap_or_default();
            return Err(Failure::Input(format!(
                "{first}: no choices, rating, labels, rectanglelabels or polygonlabels results{of} to compare"
            )));
        }
    })
}

/// A bundle folder read from disk, with its rules (when the project names a rules file) checked against its schema.
pub fn bundle(
    dir: &Path,
) -> Result<(concord_engine::bundle::LoadedBundle, Option<concord_engine::rules::RuleSet>), Failure> {
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).map_err(|e| format!("cannot read: {e}"));
    let b = concord_engine::bundle::load_bundle(read)?;
    let rules = match &b.project.rules {
        Some(r) => {
            let text = read(&r.path).map_err(|why| InputError::whole(&r.path, why))?;
            Some(concord_engine::rules::parse_rules(&r.path, &text, Some(&b.project.schema))?)
        }
        None => None,
    };
    Ok((b, rules))
}

/// Every annotation record (Concord's export format) in `files`, read against `schema`.
/// The submitted annotations of Concord logs (annotator mode's export, or the segments `concord pull` mirrors),
/// replayed against the schema: the files merged first (an event in several files counts once), then each
/// annotator's events replayed in the order they were made (`log::timed_records`).
pub fn log_records(
    files: &[PathBuf],
    schema: &concord_engine::model::Schema,
) -> Result<Vec<concord_engine::bundle::AnnotationRecord>, Failure> {
    let texts = files
        .iter()
        .map(|f| Ok((f.display().to_string(), read_to_string(f)?)))
        .collect::<Result<Vec<_>, InputError>>()?;
    let events = concord_engine::sync::merge_segments(&texts)?;
    let name = if files.len() == 1 { files[0].display().to_string() } else { format!("the {} logs", files.len()) };
    let records = concord_engine::log::timed_records(&name, schema, &events)?.into_iter().map(|(r, _)| r).collect();
    Ok(records)
}

/// Concord annotations from logs or annotation exports (each file told apart by its content), read against
/// `schema`; a file of another format is refused, named.
pub fn records_of(
    files: &[PathBuf],
    schema: &concord_engine::model::Schema,
) -> Result<Vec<concord_engine::bundle::AnnotationRecord>, Failure> {
    let (mut logs, mut exports) = (Vec::new(), Vec::new());
    for f in files {
        match format_of(f, None)? {
            Format::ConcordLog => logs.push(f.clone()),
            Format::Concord => exports.push(f.clone()),
            other => {
                return Err(Failure::Input(format!(
                    "{}: a {other:?} file; expected a Concord log or annotation export (JSONL)",
                    f.display()
                )))
            }
        }
    }
    let mut records = if logs.is_empty() { Vec::new() } else { log_records(&logs, schema)? };
    records.extend(annotation_records(&exports, schema)?);
    Ok(records)
}

pub fn annotation_records(
    files: &[PathBuf],
    schema: &concord_engine::model::Schema,
) -> Result<Vec<concord_engine::bundle::AnnotationRecord>, Failure> {
    let mut records = Vec::new();
    for f in files {
        records.extend(concord_engine::bundle::parse_annotations(
            &f.display().to_string(),
            &read_to_string(f)?,
            schema,
            None,
        )?);
    }
    Ok(records)
}

/// The command line's files as one table of choice labels (CSV, Label Studio choices, or Concord logs with
/// `--bundle`); other kinds are refused with `why`.
pub fn categorical(common: &crate::commands::Common, why: &str) -> Result<CategoricalTable, Failure> {
    let (_, dataset) = load_with(&common.files, common.format.as_deref(), ChunkMode::Lenient, &common.sources())?;
    match dataset {
        Dataset::Categorical(table) => Ok(table),
        _ => Err(Failure::Input(why.into())),
    }
}
