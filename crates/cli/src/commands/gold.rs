//! `concord gold FILE... --gold GOLD [--format F] [--strict]`
//!
//! - CSV annotations, gold CSV `item,label` → accuracy, confusion, per-label scores.
//! - Span or IOB2 JSONL files, gold in the same format → seqeval-style scores per annotator and type.
//! - COCO results (detections), gold COCO instances → the twelve COCOeval numbers (one report per file; several
//!   files give an object keyed by file stem).
//! - Label Studio exports, gold a Label Studio export: its `ground_truth` annotations (or all of them when none is
//!   flagged) → by result kind, as above for choices or spans.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::boxes::{coco_eval, CocoData, CocoEvalReport};
use concord_engine::formats::bio::ChunkMode;
use concord_engine::formats::coco::{read_coco_ground_truth, read_coco_results};
use concord_engine::formats::csv_long::read_gold_csv;
use concord_engine::formats::Format;
use concord_engine::gold::classification_gold;
use concord_engine::model::{CategoricalTable, Span, SpanTable};
use concord_engine::spans::span_gold;

use crate::input::{self, format_of, load, Dataset};
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut gold_path: Option<PathBuf> = None;
    let common = super::parse(args, |name, p| {
        if name == "gold" {
            gold_path = Some(PathBuf::from(p.value()?));
            Ok(true)
        } else {
            Ok(false)
        }
    })?;
    let gold_path = gold_path.ok_or_else(|| Failure::Input("--gold GOLD is required".into()))?;
    if common.files.is_empty() {
        return Err(Failure::Input("no input files".into()));
    }
    let mode = if common.strict { ChunkMode::Strict } else { ChunkMode::Lenient };
    let gold_name = gold_path.display().to_string();
    match format_of(&common.files[0], common.format.as_deref())? {
        Format::Coco => coco(&common.files, &gold_path),
        Format::LabelStudio | Format::Doccano | Format::Prodigy | Format::Voc | Format::Cvat | Format::Yolo => {
            label_studio(&common.files, &gold_path, common.control.as_deref())
        }
        format => match load(&common.files, common.format.as_deref(), mode)?.1 {
            Dataset::Categorical(mut table) => {
                let gold = read_gold_csv(&gold_name, input::open(&gold_path)?, &mut table)?;
                Ok(crate::to_json(&classification_gold(&table, &gold)))
            }
            Dataset::Spans(mut table) => {
                let docs = input::read_spans(&gold_path, format, mode, &mut table)?;
                Ok(crate::to_json(&span_gold(&table, &by_item(&table, docs))))
            }
            Dataset::Boxes(_) => {
                Err(Failure::Input(format!("{gold_name}: box gold needs COCO detections and COCO ground truth")))
            }
            Dataset::Cuboids(_) => Err(Failure::Input(format!(
                "{gold_name}: cuboid gold is compared per frame by `concord agreement` (the gold as one annotator) \
                 and across frames by `concord tracking GOLD TRACKED`"
            ))),
            Dataset::Polygons(_) => Err(Failure::Input(format!(
                "{gold_name}: polygon gold is scored in the app and the JS package (per task); from the command \
                 line, compare the gold file with the annotators' by `concord agreement` (the gold as one annotator)"
            ))),
        },
    }
}

fn by_item(table: &SpanTable, docs: Vec<(u32, Vec<Span>)>) -> Vec<Option<Vec<Span>>> {
    let mut gold = vec![None; table.items.len()];
    for (item, mut spans) in docs {
        spans.sort_unstable();
        gold[item as usize] = Some(spans);
    }
    gold
}

fn coco(files: &[PathBuf], gold_path: &PathBuf) -> Result<String, Failure> {
    let gt = read_coco_ground_truth(&gold_path.display().to_string(), &input::read_to_string(gold_path)?)?;
    let cats = gt.category_names();
    let mut reports: BTreeMap<String, CocoEvalReport> = BTreeMap::new();
    for f in files {
        let dt = read_coco_results(&f.display().to_string(), &input::read_to_string(f)?, &gt)?;
        reports.insert(
            input::annotator_of(f),
            coco_eval(&CocoData { images: gt.images.len(), categories: &cats, gt: &gt.boxes, dt: &dt }),
        );
    }
    Ok(if reports.len() == 1 { crate::to_json(reports.values().next().unwrap()) } else { crate::to_json(&reports) })
}

/// `control` picks what is scored (its kind and, for choices, its labels); by default the dominant kind's.
fn label_studio(files: &[PathBuf], gold_path: &PathBuf, control: Option<&str>) -> Result<String, Failure> {
    let work = input::annotation_set(files, None)?;
    let gold_ls = input::annotation_set(std::slice::from_ref(gold_path), None)?;
    let flagged = gold_ls.annotations.iter().any(|a| a.ground_truth);
    let gold_name = gold_path.display().to_string();
    match work.kind_of(control) {
        Some("choices") => {
            let work_names = files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ");
            let mut table =
                work.categorical(control, false).map_err(|e| Failure::Input(format!("{work_names}: {e}")))?;
            let gold_table =
                gold_ls.categorical(control, flagged).map_err(|e| Failure::Input(format!("{gold_name}: {e}")))?;
            let gold = gold_labels(&mut table, &gold_table, &gold_name)?;
            Ok(crate::to_json(&classification_gold(&table, &gold)))
        }
        Some("spans") => {
            let mut table = work.spans(false);
            let g = gold_ls.spans(flagged);
            let mut gold = vec![None; table.items.len()];
            for d in &g.docs {
                let item = table.items.intern(g.items.name(d.item));
                let mut spans: Vec<Span> =
                    d.spans.iter().map(|s| Span { label: table.labels.intern(g.labels.name(s.label)), ..*s }).collect();
                spans.sort_unstable();
                if gold.len() <= item as usize {
                    gold.resize(item as usize + 1, None);
                }
                gold[item as usize] = Some(spans);
            }
            Ok(crate::to_json(&span_gold(&table, &gold)))
        }
        Some(kind) => Err(Failure::Input(format!(
            "{gold_name}: gold for Label Studio {kind} is not supported; export boxes as COCO"
        ))),
        None => Err(Failure::Input(format!("{}: no choices or labels results", files[0].display()))),
    }
}

/// Gold labels indexed by `table`'s item ids; an item with two different gold labels is an error.
fn gold_labels(table: &mut CategoricalTable, gold: &CategoricalTable, file: &str) -> Result<Vec<Option<u32>>, Failure> {
    let mut out: Vec<Option<u32>> = vec![None; table.items.len()];
    for (i, _, l) in gold.rows() {
        let item = table.items.intern(gold.items.name(i));
        let label = table.labels.intern(gold.labels.name(l));
        if out.len() <= item as usize {
            out.resize(item as usize + 1, None);
        }
        match out[item as usize] {
            Some(prev) if prev != label => {
                return Err(Failure::Input(format!(
                    "{file}: task `{}` has two different gold answers",
                    gold.items.name(i)
                )))
            }
            _ => out[item as usize] = Some(label),
        }
    }
    Ok(out)
}
