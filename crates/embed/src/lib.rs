//! The engine for JavaScript. Every function takes plain JS objects and returns the same JSON shapes as the
//! `concord` CLI prints; bad input throws an `Error` carrying the engine's message (file, place, reason).
//!
//! This crate depends on the engine only — no UI code — so the package stays small. The hand-written
//! `js/index.js` wraps these raw exports (initialisation in browsers and Node, rule-set caching) and
//! `js/index.d.ts` types them.

use std::collections::BTreeMap;

use concord_engine::agreement::{self, Metric};
use concord_engine::agreement::{categorical_report, categorical_report_with_intervals, label_values};
use concord_engine::boxes::{box_agreement, coco_eval, CocoData};
use concord_engine::bundle::GateRule;
use concord_engine::bundle::Prediction;
use concord_engine::consensus::{
    dawid_skene, gold_weights, majority_vote, weighted_majority_vote, Aggregation, DawidSkeneOptions,
};
use concord_engine::formats::coco::{read_coco_ground_truth, read_coco_results};
use concord_engine::formats::csv_long::read_long_csv;
use concord_engine::formats::label_studio::read_label_studio;
use concord_engine::formats::merge::gold_from_pairs;
use concord_engine::gold::classification_gold;
use concord_engine::model::{CategoricalTable, Span, SpanDoc, SpanTable, SpanUnit, TableBuilder, Task, TaskResult};
use concord_engine::pilot::with_gate;
use concord_engine::polygons::polygon_agreement;
use concord_engine::resample::BootstrapSettings;
use concord_engine::rules::{parse_rules, validate as validate_one, validate_all as validate_many, RuleSet, Subject};
use concord_engine::spans::span_agreement;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// Both ways, data crosses as JSON text: `index.js` calls `JSON.stringify` on the arguments and `JSON.parse` on the
/// results. The engine's serde_json code then does all the (de)serialising — a second, JS-value (de)serialiser
/// instantiated for every input and report type would cost tens of KB of the 250 KB budget — and for datasets
/// `JSON.stringify`/`JSON.parse` are faster than crossing the boundary value by value.
fn to_js<T: Serialize>(v: &T) -> Result<String, JsError> {
    serde_json::to_string(v).map_err(|e| JsError::new(&e.to_string()))
}

/// Reads an argument; an error names the argument.
fn from_js<T: DeserializeOwned>(json: &str, what: &str) -> Result<T, JsError> {
    serde_json::from_str(json).map_err(|e| JsError::new(&format!("{what}: {}", reason(&e))))
}

/// serde_json's message without its "at line 1 column 80": the text is `index.js`'s `JSON.stringify`, not the
/// caller's, so the place that helps is the index, which `locate` finds.
fn reason(e: &serde_json::Error) -> String {
    let m = e.to_string();
    m.rfind(" at line ").map_or(m.clone(), |k| m[..k].to_string())
}

/// Reads a list argument; an error names the argument and the index of the first bad element.
fn list_from_js<T: DeserializeOwned>(json: &str, what: &str) -> Result<Vec<T>, JsError> {
    serde_json::from_str(json).map_err(|e| locate::<T>(json, what, &e))
}

/// Finds the first element of a list that does not read as `T` — reading the list again, element by element, only
/// once it has failed, so that the good path does not build a `Value` per element.
fn locate<T: DeserializeOwned>(json: &str, what: &str, e: &serde_json::Error) -> JsError {
    if let Ok(serde_json::Value::Array(items)) = serde_json::from_str(json) {
        for (i, v) in items.into_iter().enumerate() {
            // Each element as text again: the same reader as the list's, not a second one from `Value`.
            if let Err(e) = serde_json::from_str::<T>(&v.to_string()) {
                return JsError::new(&format!("{what}[{i}]: {}", reason(&e)));
            }
        }
    }
    JsError::new(&format!("{what}: {}", reason(e)))
}

#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[derive(Deserialize)]
struct Record {
    item: serde_json::Value,
    annotator: serde_json::Value,
    label: serde_json::Value,
}

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn table(records: &str) -> Result<CategoricalTable, JsError> {
    let records: Vec<Record> = list_from_js(records, "records")?;
    if records.is_empty() {
        return Err(JsError::new("records: no annotations"));
    }
    let mut b = TableBuilder::with_capacity(records.len());
    for r in &records {
        b.push(&text(&r.item), &text(&r.annotator), &text(&r.label));
    }
    b.finish().map_err(|d| {
        JsError::new(&format!(
            "records[{}]: annotator `{}` labelled item `{}` twice (first at records[{}])",
            d.second, d.annotator, d.item, d.first
        ))
    })
}

/// An annotation table held in wasm memory: built once from records, columns or CSV, then given to `agreement`,
/// `aggregate` and `compareToGold` without crossing the boundary again. Large data take the columnar or CSV form:
/// no JSON round trip per record.
#[wasm_bindgen]
pub struct Table {
    inner: CategoricalTable,
}

#[wasm_bindgen]
impl Table {
    /// From `[{item, annotator, label}]` as JSON text.
    #[wasm_bindgen(js_name = fromRecords)]
    pub fn from_records(records: &str) -> Result<Table, JsError> {
        Ok(Table { inner: table(records)? })
    }

    /// From columns: `items[k]`, `annotators[k]`, `labels[k]` index the name tables (JSON arrays of strings).
    #[wasm_bindgen(js_name = fromColumns)]
    pub fn from_columns(
        items: &[u32],
        annotators: &[u32],
        labels: &[u32],
        item_names: &str,
        annotator_names: &str,
        label_names: &str,
    ) -> Result<Table, JsError> {
        if annotators.len() != items.len() || labels.len() != items.len() {
            return Err(JsError::new(&format!(
                "columns: items, annotators and labels must have one entry per annotation (got {}, {} and {})",
                items.len(),
                annotators.len(),
                labels.len()
            )));
        }
        if items.is_empty() {
            return Err(JsError::new("columns: no annotations"));
        }
        let mut b = TableBuilder::with_capacity(items.len());
        let tables = [
            (&mut b.items, item_names, "itemNames"),
            (&mut b.annotators, annotator_names, "annotatorNames"),
            (&mut b.labels, label_names, "labelNames"),
        ];
        let mut lens = [0usize; 3];
        for (k, (interner, json, what)) in tables.into_iter().enumerate() {
            let names: Vec<String> = list_from_js(json, what)?;
            for (i, n) in names.iter().enumerate() {
                if interner.intern(n) as usize != i {
                    let first = interner.get(n).unwrap_or_default();
                    return Err(JsError::new(&format!(
                        "{what}[{i}]: `{n}` is listed twice (first at {what}[{first}])"
                    )));
                }
            }
            lens[k] = names.len();
        }
        for (column, ids, n) in
            [("items", items, lens[0]), ("annotators", annotators, lens[1]), ("labels", labels, lens[2])]
        {
            if let Some(k) = ids.iter().position(|&id| id as usize >= n) {
                return Err(JsError::new(&format!("{column}[{k}]: id {} is not in the {n} names listed", ids[k])));
            }
        }
        for k in 0..items.len() {
            b.push_ids(items[k], annotators[k], labels[k]);
        }
        let inner = b.finish().map_err(|d| {
            JsError::new(&format!(
                "annotation {}: annotator `{}` labelled item `{}` twice (first at annotation {})",
                d.second, d.annotator, d.item, d.first
            ))
        })?;
        Ok(Table { inner })
    }

    /// From a long-format CSV (`item,annotator,label`, the CLI's reader), as UTF-8 bytes; `file` names it in errors.
    #[wasm_bindgen(js_name = fromCsv)]
    pub fn from_csv(bytes: &[u8], file: &str) -> Result<Table, JsError> {
        let inner = read_long_csv(file, bytes).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Table { inner })
    }

    /// The item names, by id (JSON text): `aggregateColumns`' per-item arrays follow this order.
    #[wasm_bindgen(js_name = itemNames)]
    pub fn item_names(&self) -> Result<String, JsError> {
        to_js(&self.inner.items.names().collect::<Vec<_>>())
    }

    /// The label names, by id (JSON text).
    #[wasm_bindgen(js_name = labelNames)]
    pub fn label_names(&self) -> Result<String, JsError> {
        to_js(&self.inner.labels.names().collect::<Vec<_>>())
    }

    /// Annotations in the table.
    #[wasm_bindgen(getter)]
    pub fn annotations(&self) -> usize {
        self.inner.n_annotations()
    }

    /// Items in the table.
    #[wasm_bindgen(getter)]
    pub fn items(&self) -> usize {
        self.inner.n_items()
    }
}

/// A CSV arriving in pieces (a `Blob`'s stream): the bytes are appended in wasm memory, never held as a JS string,
/// and read by the CLI's reader at `finish`.
#[wasm_bindgen]
pub struct CsvTableReader {
    file: String,
    bytes: Vec<u8>,
}

#[wasm_bindgen]
impl CsvTableReader {
    #[wasm_bindgen(constructor)]
    pub fn new(file: &str, size_hint: usize) -> CsvTableReader {
        CsvTableReader { file: file.to_string(), bytes: Vec::with_capacity(size_hint) }
    }
    pub fn push(&mut self, piece: &[u8]) {
        self.bytes.extend_from_slice(piece);
    }
    pub fn finish(self) -> Result<Table, JsError> {
        Table::from_csv(&self.bytes, &self.file)
    }
}

/// `alpha(table, {metric?, order?})` — Krippendorff's α alone (nominal by default; ordinal, interval and ratio take
/// the label values as `agreement` does), without the other figures of the agreement report.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AlphaOptions {
    metric: Option<String>,
    order: Option<Vec<String>>,
    /// `alphaInterval` only: the bootstrap, and the minimum whose P(α < min) is wanted.
    replicates: Option<usize>,
    #[serde(default)]
    seed: u64,
    level: Option<f64>,
    minimum: Option<f64>,
}

/// The metric and label values `options` ask for, checked.
fn alpha_metric(t: &Table, o: &AlphaOptions) -> Result<(Metric, Option<Vec<f64>>), JsError> {
    let metric = match o.metric.as_deref().unwrap_or("nominal") {
        "nominal" => Metric::Nominal,
        "ordinal" => Metric::Ordinal,
        "interval" => Metric::Interval,
        "ratio" => Metric::Ratio,
        other => {
            return Err(JsError::new(&format!(
                "options.metric: unknown metric `{other}` (nominal, ordinal, interval, ratio)"
            )))
        }
    };
    let values =
        label_values(&t.inner.labels, o.order.as_deref()).map_err(|e| JsError::new(&format!("options.order: {e}")))?;
    if metric != Metric::Nominal && values.is_none() {
        return Err(JsError::new("options.metric: the labels are not numbers, so give their order (options.order)"));
    }
    Ok((metric, values))
}

#[wasm_bindgen(js_name = alphaTable)]
pub fn alpha_table(t: &Table, options: &str) -> Result<Option<f64>, JsError> {
    let o: Option<AlphaOptions> = from_js(options, "options")?;
    let (metric, values) = alpha_metric(t, &o.unwrap_or_default())?;
    Ok(agreement::alpha(&t.inner, metric, values.as_deref()))
}

/// α with its item-bootstrap interval and, with `minimum`, the share of replicates below it (the pilot gate's
/// evidence; `concord agreement` reports the same).
#[wasm_bindgen(js_name = alphaIntervalTable)]
pub fn alpha_interval_table(t: &Table, options: &str) -> Result<String, JsError> {
    #[derive(Serialize)]
    struct AlphaInterval {
        alpha: Option<f64>,
        interval: Option<concord_engine::resample::Interval>,
        probability_below: Option<f64>,
    }
    let o: Option<AlphaOptions> = from_js(options, "options")?;
    let o = o.unwrap_or_default();
    let (metric, values) = alpha_metric(t, &o)?;
    let level = o.level.unwrap_or(0.95);
    if !(level > 0.0 && level < 1.0) {
        return Err(JsError::new(&format!("options.level: {level} is not a level in (0, 1), e.g. 0.95")));
    }
    let settings = BootstrapSettings { replicates: o.replicates.unwrap_or(1000), seed: o.seed, level };
    let slot = [Metric::Nominal, Metric::Ordinal, Metric::Interval, Metric::Ratio].iter().position(|m| *m == metric);
    let boot = concord_engine::agreement::categorical_bootstrap(&t.inner, values.as_deref(), settings, |_| {});
    let dist = boot.and_then(|b| b.alpha.into_iter().nth(slot.unwrap_or(0)).flatten());
    to_js(&AlphaInterval {
        alpha: agreement::alpha(&t.inner, metric, values.as_deref()),
        interval: dist.as_ref().and_then(|d| d.interval(level)),
        probability_below: o.minimum.and_then(|m| dist.as_ref()?.share_below(m)),
    })
}

/// The consensus of [`aggregate_columns`]: per item id (the table's item order) the label id (-1: the item has no
/// annotation) and its confidence, as typed arrays; the rest of the report as JSON.
#[wasm_bindgen]
pub struct AggregateColumns {
    labels: Vec<i32>,
    confidence: Vec<f64>,
    summary: String,
}

#[wasm_bindgen]
impl AggregateColumns {
    #[wasm_bindgen(getter)]
    pub fn labels(&self) -> Vec<i32> {
        self.labels.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn confidence(&self) -> Vec<f64> {
        self.confidence.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn summary(&self) -> String {
        self.summary.clone()
    }
}

/// `aggregate` on a [`Table`], its per-item result as typed arrays (`aggregateColumns` in `index.js`): for a million
/// items, the JSON of one entry per item costs more than the inference.
#[wasm_bindgen(js_name = aggregateColumns)]
pub fn aggregate_columns(t: &Table, options: &str) -> Result<AggregateColumns, JsError> {
    let (aggregation, table) = aggregate_on(&t.inner, from_js(options, "options")?)?;
    let labels = aggregation.labels.iter().map(|l| l.map_or(-1, |l| l as i32)).collect();
    let summary = to_js(&aggregation.report_without_items(&table))?;
    Ok(AggregateColumns { labels, confidence: aggregation.confidence, summary })
}
/// `agreement` on a [`Table`].
#[wasm_bindgen(js_name = agreementTable)]
pub fn agreement_table(t: &Table, options: &str) -> Result<String, JsError> {
    let o: Option<AgreementOptions> = from_js(options, "options")?;
    agreement_report(&t.inner, o.unwrap_or_default())
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AgreementOptions {
    order: Option<Vec<String>>,
    /// Bootstrap replicates for the intervals (default 0: none, the figures alone, as fast as they come).
    #[serde(default)]
    replicates: usize,
    #[serde(default)]
    seed: u64,
    level: Option<f64>,
    /// The pilot gate's minimum α, and its rule (`"lower_bound"`, `"point_estimate"`, `{"risk": R}`).
    minimum: Option<f64>,
    #[serde(default)]
    decide_by: GateRule,
}

/// The report `options` ask for: with intervals when `replicates > 0`, with the pilot gate when `minimum` is given
/// (`concord agreement --replicates N --seed S --minimum M --decide-by RULE`).
fn agreement_report(t: &CategoricalTable, o: AgreementOptions) -> Result<String, JsError> {
    let level = o.level.unwrap_or(0.95);
    if !(level > 0.0 && level < 1.0) {
        return Err(JsError::new(&format!("options.level: {level} is not a level in (0, 1), e.g. 0.95")));
    }
    if let GateRule::Risk(r) = o.decide_by {
        if !(r > 0.0 && r < 0.5) {
            return Err(JsError::new(&format!("options.decideBy.risk: {r} is not a risk in (0, 0.5)")));
        }
    }
    let order = o.order.as_deref();
    let report = match o.replicates {
        0 => categorical_report(t, order),
        replicates => {
            let settings = BootstrapSettings { replicates, seed: o.seed, level };
            categorical_report_with_intervals(t, order, settings, |_, _| {})
        }
    }
    .map_err(|e| JsError::new(&format!("options.order: {e}")))?;
    to_js(&with_gate(&report, o.minimum, o.decide_by))
}

/// `agreement(records, {order?, replicates?, seed?, level?, minimum?, decideBy?})` — every categorical agreement measure,
/// with intervals and the pilot gate when asked (the `concord agreement` output).
#[wasm_bindgen]
pub fn agreement(records: &str, options: &str) -> Result<String, JsError> {
    let t = table(records)?;
    let o: Option<AgreementOptions> = from_js(options, "options")?;
    agreement_report(&t, o.unwrap_or_default())
}

#[derive(Deserialize)]
struct SpanDocIn {
    id: serde_json::Value,
    #[serde(default)]
    text: Option<String>,
    spans: Vec<SpanIn>,
}

#[derive(Deserialize)]
struct SpanIn {
    start: u32,
    end: u32,
    label: String,
}

/// `spanAgreement({annotator: [{id, text?, spans: [{start, end, label}]}]})` — offsets in code points.
#[wasm_bindgen(js_name = spanAgreement)]
pub fn span_agreement_js(docs_by_annotator: &str) -> Result<String, JsError> {
    let by: BTreeMap<String, Vec<SpanDocIn>> = serde_json::from_str(docs_by_annotator).map_err(|e| {
        // Which annotator's list, and which document in it.
        if let Ok(serde_json::Value::Object(m)) = serde_json::from_str(docs_by_annotator) {
            for (who, list) in m {
                let text = list.to_string();
                if let Err(e) = serde_json::from_str::<Vec<SpanDocIn>>(&text) {
                    return locate::<SpanDocIn>(&text, &format!("docsByAnnotator.{who}"), &e);
                }
            }
        }
        JsError::new(&format!("docsByAnnotator: {} (expected {{annotator: [{{id, spans}}]}})", reason(&e)))
    })?;
    let mut t = SpanTable::new(SpanUnit::CodePoints);
    for (who, docs) in &by {
        let annotator = t.annotators.intern(who);
        for (k, d) in docs.iter().enumerate() {
            let len = d.text.as_ref().map(|s| s.chars().count() as u32);
            let mut spans = Vec::with_capacity(d.spans.len());
            for (j, s) in d.spans.iter().enumerate() {
                if s.start >= s.end || len.is_some_and(|n| s.end > n) {
                    return Err(JsError::new(&format!("{who}[{k}].spans[{j}]: bad span {}..{}", s.start, s.end)));
                }
                spans.push(Span { start: s.start, end: s.end, label: t.labels.intern(&s.label) });
            }
            let item = t.items.intern(&text(&d.id));
            t.docs.push(SpanDoc { item, annotator, spans });
        }
    }
    t.sort();
    to_js(&span_agreement(&t))
}

/// `compareToGold(records, gold)` — `gold` is `{item: label}` or `[{item, label}]`.
#[wasm_bindgen(js_name = compareToGold)]
pub fn compare_to_gold(records: &str, gold: &str) -> Result<String, JsError> {
    gold_report(table(records)?, gold)
}

/// `compareToGold` on a [`Table`] (the table is not changed: gold items and labels are interned into a copy).
#[wasm_bindgen(js_name = compareToGoldTable)]
pub fn compare_to_gold_table(t: &Table, gold: &str) -> Result<String, JsError> {
    gold_report(t.inner.clone(), gold)
}

fn gold_report(mut t: CategoricalTable, gold: &str) -> Result<String, JsError> {
    let gold = gold_ids(&mut t, from_js(gold, "gold")?)?;
    to_js(&classification_gold(&t, &gold))
}

fn gold_ids(t: &mut CategoricalTable, gold: serde_json::Value) -> Result<Vec<Option<u32>>, JsError> {
    let bad = || JsError::new("gold: expected [{item, label}] or {item: label}");
    let pairs: Vec<(String, String)> = match gold {
        serde_json::Value::Array(list) => list
            .iter()
            .map(|g| match (g.get("item"), g.get("label")) {
                (Some(i), Some(l)) => Ok((text(i), text(l))),
                _ => Err(bad()),
            })
            .collect::<Result<_, _>>()?,
        serde_json::Value::Object(m) => m.into_iter().map(|(k, v)| (k, text(&v))).collect(),
        _ => return Err(bad()),
    };
    gold_from_pairs("gold", t, pairs.iter().map(|(i, l)| (i.as_str(), l.as_str())))
        .map_err(|e| JsError::new(&e.to_string()))
}

/// `cocoEval(groundTruth, detections)` — COCO instances object and COCO results array; the twelve COCOeval numbers.
#[wasm_bindgen(js_name = cocoEval)]
pub fn coco_eval_js(ground_truth: &str, detections: &str) -> Result<String, JsError> {
    let gt = read_coco_ground_truth("groundTruth", ground_truth).map_err(|e| JsError::new(&e.to_string()))?;
    let dt = read_coco_results("detections", detections, &gt).map_err(|e| JsError::new(&e.to_string()))?;
    let cats = gt.category_names();
    to_js(&coco_eval(&CocoData { images: gt.images.len(), categories: &cats, gt: &gt.boxes, dt: &dt }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AggregateOptions {
    method: String,
    max_iter: Option<u32>,
    tol: Option<f64>,
    order: Option<Vec<String>>,
    gold: Option<serde_json::Value>,
}

/// `aggregate(records, {method: "mv" | "wmv" | "ds", maxIter?, tol?, order?, gold?})`.
#[wasm_bindgen]
pub fn aggregate(records: &str, options: &str) -> Result<String, JsError> {
    let t = table(records)?;
    let (a, t) = aggregate_on(&t, from_js(options, "options")?)?;
    to_js(&a.report(&t))
}
/// `aggregate` on a [`Table`] (copied only for `wmv`, whose gold may name new items).
#[wasm_bindgen(js_name = aggregateTable)]
pub fn aggregate_table(t: &Table, options: &str) -> Result<String, JsError> {
    let (a, table) = aggregate_on(&t.inner, from_js(options, "options")?)?;
    to_js(&a.report(&table))
}

/// The consensus by `o.method`, with the table its ids refer to: `t` itself, or for `wmv` a copy into which the
/// gold's items and labels were interned (gold may name items and labels the annotations lack).
fn aggregate_on(
    t: &CategoricalTable,
    o: AggregateOptions,
) -> Result<(Aggregation, std::borrow::Cow<'_, CategoricalTable>), JsError> {
    let order = o.order.as_deref();
    let result = match o.method.as_str() {
        "mv" => majority_vote(t, order),
        "ds" => {
            let d = DawidSkeneOptions::default();
            dawid_skene(
                t,
                DawidSkeneOptions { max_iter: o.max_iter.unwrap_or(d.max_iter), tol: o.tol.unwrap_or(d.tol) },
                order,
            )
        }
        "wmv" => {
            let g = o.gold.ok_or_else(|| JsError::new("options.gold is required for method \"wmv\""))?;
            let mut t = t.clone();
            let gold = gold_ids(&mut t, g)?;
            let a = weighted_majority_vote(&t, &gold_weights(&t, &gold), o.order.as_deref());
            return Ok((a, std::borrow::Cow::Owned(t)));
        }
        other => return Err(JsError::new(&format!("options.method: unknown method `{other}` (mv, wmv, ds)"))),
    };
    Ok((result, std::borrow::Cow::Borrowed(t)))
}

/// A compiled rule set (regexes compiled once), for validating on every edit.
#[wasm_bindgen]
pub struct Rules {
    inner: RuleSet,
}

#[wasm_bindgen]
impl Rules {
    /// `new Rules(ruleFile)` — the `rules.json` object of a bundle (checked against no schema: give labels exactly).
    #[wasm_bindgen(constructor)]
    pub fn new(rule_file: &str) -> Result<Rules, JsError> {
        let inner = parse_rules("ruleset", rule_file, None).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Rules { inner })
    }

    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.len()
    }
}

#[derive(Deserialize)]
struct AnnotationIn {
    #[serde(default)]
    task: Option<Task>,
    result: TaskResult,
    #[serde(default)]
    prediction: Option<Prediction>,
}

fn empty_task() -> Task {
    Task { id: String::new(), data: Default::default(), meta: Default::default() }
}

/// `validate(annotation, rules)` — `annotation` is `{task?: {id, data}, result, prediction?}`.
#[wasm_bindgen]
pub fn validate(annotation: &str, rules: &Rules) -> Result<String, JsError> {
    let a: AnnotationIn = from_js(annotation, "annotation")?;
    let task = a.task.unwrap_or_else(empty_task);
    to_js(&validate_one(&rules.inner, &Subject { task: &task, result: &a.result, prediction: a.prediction.as_ref() }))
}

/// `validateAll(annotations, rules)` — violations grouped by rule and guideline section.
#[wasm_bindgen(js_name = validateAll)]
pub fn validate_all(annotations: &str, rules: &Rules) -> Result<String, JsError> {
    let list: Vec<AnnotationIn> = list_from_js(annotations, "annotations")?;
    let empty = empty_task();
    let subjects = list.iter().map(|a| Subject {
        task: a.task.as_ref().unwrap_or(&empty),
        result: &a.result,
        prediction: a.prediction.as_ref(),
    });
    to_js(&validate_many(&rules.inner, subjects))
}

#[derive(Serialize)]
struct LsRecord {
    item: String,
    annotator: String,
    label: String,
}

#[derive(Serialize)]
struct LsImport {
    kind: Option<&'static str>,
    records: Vec<LsRecord>,
    gold: Vec<LsRecord>,
    spans: BTreeMap<String, Vec<serde_json::Value>>,
    boxes: Vec<serde_json::Value>,
    polygons: Vec<serde_json::Value>,
    cancelled: usize,
    skipped_types: BTreeMap<String, usize>,
}

/// `fromLabelStudio(exportJson)` — a Label Studio export (object or string) as Concord records: item-level choices
/// as `{item, annotator, label}`, spans per annotator (code points), boxes and polygons in pixels, ground truth apart.
#[wasm_bindgen(js_name = fromLabelStudio)]
pub fn from_label_studio(export: &str) -> Result<String, JsError> {
    let ls = read_label_studio("export", export).map_err(|e| JsError::new(&e.to_string()))?;
    let records = |gold: bool| -> Vec<LsRecord> {
        match ls.categorical(None, gold) {
            Ok(t) => t
                .rows()
                .map(|(i, a, l)| LsRecord {
                    item: t.items.name(i).into(),
                    annotator: t.annotators.name(a).into(),
                    label: t.labels.name(l).into(),
                })
                .collect(),
            Err(_) => Vec::new(),
        }
    };
    let st = ls.spans(false);
    let mut spans: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for d in &st.docs {
        let s: Vec<_> = d
            .spans
            .iter()
            .map(|s| serde_json::json!({"start": s.start, "end": s.end, "label": st.labels.name(s.label)}))
            .collect();
        if !s.is_empty() {
            spans
                .entry(st.annotators.name(d.annotator).to_string())
                .or_default()
                .push(serde_json::json!({"id": st.items.name(d.item), "spans": s}));
        }
    }
    let bt = ls.boxes(false);
    let boxes = bt
        .regions
        .iter()
        .map(|b| {
            serde_json::json!({"item": bt.items.name(b.item), "annotator": bt.annotators.name(b.annotator),
                                     "label": bt.labels.name(b.label), "x": b.x, "y": b.y, "w": b.w, "h": b.h})
        })
        .collect();
    let pt = ls.polygons(false);
    let polygons = pt
        .regions
        .iter()
        .map(|p| {
            serde_json::json!({"item": pt.items.name(p.item), "annotator": pt.annotators.name(p.annotator),
                               "label": pt.labels.name(p.label), "points": p.rings[0]})
        })
        .collect();
    to_js(&LsImport {
        kind: ls.kind(),
        records: records(false),
        gold: records(true),
        spans,
        boxes,
        polygons,
        cancelled: ls.cancelled,
        skipped_types: ls.skipped_types.clone(),
    })
}

/// `labelStudioSchema(configXml)` — the Concord schema of a Label Studio label config: its controls, the task field
/// the labelled object shows, the regions' attributes (per-region choices), and what the schema cannot hold.
#[wasm_bindgen(js_name = labelStudioSchema)]
pub fn label_studio_schema(config: &str) -> Result<String, JsError> {
    let s = config_schema(config)?;
    to_js(&serde_json::json!({"schema": s.schema, "field": s.field, "attributes": s.attributes, "dropped": s.dropped}))
}

fn config_schema(config: &str) -> Result<concord_engine::formats::label_studio_bundle::ConfigSchema, JsError> {
    use concord_engine::formats::{label_studio_bundle, label_studio_config};
    let parsed =
        label_studio_config::parse_label_config("label config", config).map_err(|e| JsError::new(&e.to_string()))?;
    label_studio_bundle::schema_from_label_config("label config", &parsed).map_err(|e| JsError::new(&e.to_string()))
}

/// `labelStudioResult(configXml, result, data)` — one annotation's `result` list, as the Label Studio frontend
/// serialises it, as a Concord result of the config's schema (boxes and polygons in pixels, spans in code points),
/// ready for `validate`.
#[wasm_bindgen(js_name = labelStudioResult)]
pub fn label_studio_result(config: &str, result: &str, data: &str) -> Result<String, JsError> {
    use concord_engine::formats::{label_studio, label_studio_bundle};
    let schema = config_schema(config)?;
    let list: Vec<serde_json::Value> = from_js(result, "result")?;
    let data: serde_json::Map<String, serde_json::Value> = from_js(data, "data")?;
    let regions = label_studio::read_result_list("result", &list, &data).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&label_studio_bundle::result_from_regions(&schema, &regions).0)
}

/// `labelStudioConfig(project)` — the Label Studio label config of a Concord project (its `project.json`), with what
/// Label Studio cannot hold.
#[wasm_bindgen(js_name = labelStudioConfig)]
pub fn label_studio_config(project: &str) -> Result<String, JsError> {
    let project =
        concord_engine::bundle::parse_manifest("project.json", project).map_err(|e| JsError::new(&e.to_string()))?;
    let (config, dropped) = concord_engine::formats::label_studio_project::label_config(&project.schema);
    to_js(&serde_json::json!({"config": config, "dropped": dropped}))
}

/// `goldFeedback(result, gold)` — one submitted annotation against its task's gold answer (`{task, result}`), per
/// control: matches or not, what differs, region counts (choices as sets, spans exactly, boxes and polygons matched
/// one-to-one at IoU ≥ 0.5).
#[wasm_bindgen(js_name = goldFeedback)]
pub fn gold_feedback(result: &str, gold: &str) -> Result<String, JsError> {
    let result: concord_engine::model::TaskResult = from_js(result, "result")?;
    let gold: concord_engine::bundle::GoldItem = from_js(gold, "gold")?;
    to_js(&concord_engine::gold::feedback(&result, &gold))
}

/// `labelStudioRegionAgreement(exportJson, control)` — the region agreement between a Label Studio export's
/// annotators on `control` (spans, boxes or polygons): `{kind, report}`, the report `concord agreement EXPORT
/// --control C --replicates 0` prints. `null` when the control has no regions.
#[wasm_bindgen(js_name = labelStudioRegionAgreement)]
pub fn label_studio_region_agreement(export: &str, control: &str) -> Result<String, JsError> {
    let mut ls = read_label_studio("export", export).map_err(|e| JsError::new(&e.to_string()))?;
    ls.keep_control(control);
    let report = match ls.kind_of(Some(control)) {
        Some("spans") => serde_json::json!({"kind": "spans", "report": span_agreement(&ls.spans(false))}),
        Some("boxes") => serde_json::json!({"kind": "boxes", "report": box_agreement(&ls.boxes(false))}),
        Some("polygons") => {
            serde_json::json!({"kind": "polygons", "report": polygon_agreement(&ls.polygons(false))})
        }
        _ => serde_json::Value::Null,
    };
    to_js(&report)
}
