//! Annotators' files imported for review: Label Studio exports and long-format CSVs, any size, read in a Web
//! Worker (`bin/concord_import.rs`, `worker_side.rs`) in 4 MB slices with progress, merged by the engine (a second
//! label for one item by one annotator is refused, naming both files), and summarised with the engine's agreement
//! report. The UI side (`components/import_panel.rs`) only sends files and shows what comes back.
//!
//! Messages from the worker are JSON text (`Message`), so both sides share one definition.

pub mod figures;
pub mod worker_side;

use std::rc::Rc;

use concord_engine::arbitration::{Consensus, ConsensusColumns};
use concord_engine::model::{CategoricalTable, Interner, NameOrder, Stamp, Stamps, TableError, TableRows};
use concord_engine::review::QueueIndex;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use figures::{AgreementFigures, ConsensusFigures, GoldFigures, RegionFigures, Report};

/// Bytes read from a file between two progress messages (and held at once).
pub const SLICE: usize = 4 << 20;

/// Externally tagged (`{"done": {…}}`), not internally (`{"type": "done", …}`): serde reads an internally tagged
/// enum by first buffering the whole value — for a summary of a million labels, a second parse of everything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Message {
    /// The worker's wasm is running: send the files.
    Ready,
    Progress {
        file: String,
        index: usize,
        files: usize,
        done: u64,
        total: u64,
    },
    /// The agreement figures' bootstrap intervals under way: replicates drawn of `total`.
    Intervals {
        done: usize,
        total: usize,
    },
    Done(Summary),
    Failed {
        message: String,
    },
    /// A pilot plan under way: sizes simulated so far.
    Planning {
        sizes: usize,
    },
    Planned(concord_engine::pilot::PilotPlan),
}

/// Review mode's question to the worker (instead of files): how many items the pilot needs (`engine::pilot`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRequest {
    pub labels: u32,
    pub annotators: u32,
    pub expected_alpha: f64,
    pub min_agreement: f64,
    pub rule: concord_engine::bundle::GateRule,
    pub risk: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    pub name: String,
    pub format: String,
    pub bytes: u64,
    pub annotations: usize,
    pub annotators: usize,
}

/// An import's summary as components share it, with its table rebuilt once: compared by identity, never field by
/// field (a summary carries every label; props and memo keys are compared on every render).
#[derive(Debug, Clone)]
pub struct Imported {
    summary: Rc<Summary>,
    /// Every annotator's label per item (the engine's table), for the review queue and the final files.
    pub table: Rc<CategoricalTable>,
    /// The table's items and annotators by name (the review queue's order), as the worker worked it out.
    pub order: Rc<NameOrder>,
    /// The review queue as it opens (labels against the consensus, every annotator), as the worker worked it out.
    pub first_queue: Option<Rc<QueueIndex>>,
}

impl Imported {
    /// The summary with its table, name order and consensus rebuilt from the columns sent beside it, a step per
    /// task (`between` yields to the page between them: each step over a million labels takes tens of
    /// milliseconds, and the page stays responsive through them). Each step copies out of `sent` only the columns
    /// it reads. A summary without columns (regions, cuboids) has its table in its JSON.
    pub async fn build<F: std::future::Future<Output = ()>>(
        mut summary: Summary,
        sent: SentColumns,
        between: impl Fn() -> F,
    ) -> Result<Imported, String> {
        let why = |e: TableError| format!("the import worker's answer: {e}");
        between().await;
        let t0 = crate::perf::now();
        let rows = std::mem::take(&mut summary.table);
        let table = match sent.table() {
            Some([offsets, annotator, label]) => {
                let (text, ends) = sent.item_names().unwrap_or_default();
                let items = Interner::from_joined(&text, &ends).map_err(why)?;
                drop((text, ends));
                let annotators = Interner::from_names(&rows.annotators).map_err(why)?;
                let labels = Interner::from_names(&rows.labels).map_err(why)?;
                crate::perf::record("import_names", crate::perf::now() - t0);
                between().await;
                CategoricalTable::from_columns([items, annotators, labels], offsets, annotator, label).map_err(why)?
            }
            None => rows.table().map_err(why)?,
        };
        drop(rows);
        let order = match sent.order() {
            Some((items, annotators)) => NameOrder::checked(&table, items, annotators).map_err(why)?,
            None => NameOrder::of(&table),
        };
        crate::perf::record("import_table_rebuild", crate::perf::now() - t0);
        between().await;
        let t1 = crate::perf::now();
        if let Some(c) = sent.consensus(&summary.final_from.method) {
            summary.final_from = Consensus::from_columns(c, &table, &order).map_err(why)?;
        }
        if let Some((ids, times)) = sent.stamps() {
            let fits = ids.len() == 3 * times.len()
                && ids.chunks_exact(3).all(|s| {
                    (s[0] as usize) < table.n_items()
                        && (s[1] as usize) < table.n_annotators()
                        && (s[2] as usize) < summary.stamps.versions.len()
                });
            if !fits {
                return Err(
                    "the import worker's answer: a stamp names an item, annotator or version it does not list".into()
                );
            }
            summary.stamps.rows = ids
                .chunks_exact(3)
                .zip(times)
                .map(|(s, time)| Stamp { item: s[0], annotator: s[1], version: s[2], time: time as i64 })
                .collect();
        }
        crate::perf::record("import_consensus_rebuild", crate::perf::now() - t1);
        between().await;
        let first_queue = match sent.queue() {
            Some(rows) => Some(Rc::new(QueueIndex::from_ids(&table, rows).map_err(why)?)),
            None => None,
        };
        between().await;
        Ok(Imported { summary: Rc::new(summary), table: Rc::new(table), order: Rc::new(order), first_queue })
    }
}

/// What a categorical summary's JSON leaves out, sent beside it as typed arrays whose buffers are transferred: a
/// million labels cross as memory instead of megabytes of JSON to parse on the page's thread.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Columns {
    /// The item names, joined ([`Interner::joined`]; then the summary's table crosses without them).
    pub item_names: Option<(Vec<u8>, Vec<u32>)>,
    /// The table's rows as columns ([`CategoricalTable::columns`]: offsets, annotator and label ids; then the
    /// summary's table crosses without rows).
    pub table: Option<[Vec<u32>; 3]>,
    /// Item ids by name and annotator ids by name ([`NameOrder`]).
    pub order: Option<(Vec<u32>, Vec<u32>)>,
    /// The consensus the review starts from, over the table's item ids (then `Summary::final_from` crosses with
    /// its method only).
    pub consensus: Option<ConsensusColumns>,
    /// The review queue as it opens ([`QueueIndex::ids`], flat).
    pub queue: Option<Vec<u32>>,
    /// The stamps' rows (then `Summary::stamps` crosses with its versions only): item, annotator and version ids,
    /// flat, and the times (seconds, exact in an f64).
    pub stamps: Option<(Vec<u32>, Vec<f64>)>,
}

/// The worker's answer to an import: `[summary JSON, item names, their ends, offsets, annotator ids, label ids,
/// item order, annotator order, consensus labels, consensus confidence, first queue, stamp ids, stamp times]`,
/// each column a typed array or `undefined`. One layout for both sides: [`Columns::answer`] writes it,
/// [`SentColumns`] reads it.
impl Columns {
    const ITEM_NAMES: u32 = 1;
    const TABLE: u32 = 3;
    const ORDER: u32 = 6;
    const CONSENSUS: u32 = 8;
    const QUEUE: u32 = 10;
    const STAMPS: u32 = 11;

    /// Stamps as columns, when every time is exact in an f64 (else `None`: send them in the JSON).
    pub fn stamps_of(stamps: &Stamps) -> Option<(Vec<u32>, Vec<f64>)> {
        let exact = stamps.rows.iter().all(|s| (s.time as f64) as i64 == s.time);
        exact.then(|| {
            let ids = stamps.rows.iter().flat_map(|s| [s.item, s.annotator, s.version]).collect();
            (ids, stamps.rows.iter().map(|s| s.time as f64).collect())
        })
    }

    /// The answer and the buffers to transfer with it.
    pub fn answer(self, summary_json: &str) -> (js_sys::Array, js_sys::Array) {
        let u32s = |v: &[u32]| JsValue::from(js_sys::Uint32Array::from(v));
        let mut parts = vec![JsValue::from_str(summary_json)];
        let none = |n: usize| std::iter::repeat_n(JsValue::UNDEFINED, n);
        match &self.item_names {
            Some((text, ends)) => parts.extend([js_sys::Uint8Array::from(&text[..]).into(), u32s(ends)]),
            None => parts.extend(none(2)),
        }
        match &self.table {
            Some(columns) => parts.extend(columns.iter().map(|c| u32s(c))),
            None => parts.extend(none(3)),
        }
        match &self.order {
            Some((items, annotators)) => parts.extend([u32s(items), u32s(annotators)]),
            None => parts.extend(none(2)),
        }
        match &self.consensus {
            Some(c) => parts.extend([u32s(&c.labels), js_sys::Float64Array::from(&c.confidence[..]).into()]),
            None => parts.extend(none(2)),
        }
        parts.push(self.queue.as_deref().map_or(JsValue::UNDEFINED, u32s));
        match &self.stamps {
            Some((ids, times)) => parts.extend([u32s(ids), js_sys::Float64Array::from(&times[..]).into()]),
            None => parts.extend(none(2)),
        }
        let transfer = parts[1..]
            .iter()
            .filter(|p| !p.is_undefined())
            .map(|p| js_sys::Reflect::get(p, &"buffer".into()).unwrap_or(JsValue::UNDEFINED))
            .filter(|b| b.is_instance_of::<js_sys::ArrayBuffer>())
            .collect();
        (parts.iter().collect(), transfer)
    }
}

/// The columns of an answer as the page received them, copied into memory one step at a time.
pub struct SentColumns(js_sys::Array);

impl SentColumns {
    /// The columns of `answer` (a `[JSON, …]` array; anything else has none).
    pub fn of(answer: &wasm_bindgen::JsValue) -> SentColumns {
        SentColumns(if js_sys::Array::is_array(answer) { answer.clone().into() } else { js_sys::Array::new() })
    }
    /// The summary's JSON.
    pub fn json(&self) -> Option<String> {
        self.0.get(0).as_string()
    }
    fn u32s(&self, k: u32) -> Option<Vec<u32>> {
        self.0.get(k).dyn_into::<js_sys::Uint32Array>().ok().map(|a| a.to_vec())
    }
    fn item_names(&self) -> Option<(Vec<u8>, Vec<u32>)> {
        let text = self.0.get(Columns::ITEM_NAMES).dyn_into::<js_sys::Uint8Array>().ok()?.to_vec();
        Some((text, self.u32s(Columns::ITEM_NAMES + 1)?))
    }
    fn table(&self) -> Option<[Vec<u32>; 3]> {
        Some([self.u32s(Columns::TABLE)?, self.u32s(Columns::TABLE + 1)?, self.u32s(Columns::TABLE + 2)?])
    }
    fn order(&self) -> Option<(Vec<u32>, Vec<u32>)> {
        Some((self.u32s(Columns::ORDER)?, self.u32s(Columns::ORDER + 1)?))
    }
    fn queue(&self) -> Option<Vec<(u32, u32, u32)>> {
        Some(self.u32s(Columns::QUEUE)?.chunks_exact(3).map(|r| (r[0], r[1], r[2])).collect())
    }
    fn stamps(&self) -> Option<(Vec<u32>, Vec<f64>)> {
        let times = self.0.get(Columns::STAMPS + 1).dyn_into::<js_sys::Float64Array>().ok()?.to_vec();
        Some((self.u32s(Columns::STAMPS)?, times))
    }
    fn consensus(&self, method: &str) -> Option<ConsensusColumns> {
        let confidence = self.0.get(Columns::CONSENSUS + 1).dyn_into::<js_sys::Float64Array>().ok()?.to_vec();
        Some(ConsensusColumns { method: method.to_string(), labels: self.u32s(Columns::CONSENSUS)?, confidence })
    }
}

impl PartialEq for Imported {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.summary, &other.summary)
    }
}

impl std::ops::Deref for Imported {
    type Target = Summary;
    fn deref(&self) -> &Summary {
        &self.summary
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub files: Vec<FileSummary>,
    pub items: usize,
    pub annotators: usize,
    pub annotations: usize,
    pub labels: Vec<String>,
    /// The engine's categorical agreement report (the `concord agreement` JSON), when at least two annotators.
    pub agreement: Option<Report<AgreementFigures>>,
    /// The item bootstrap's replicates of nominal α, ascending: the pilot gate's risk rule reads them.
    pub alpha_replicates: Vec<f64>,
    /// Accuracy against the gold answers among the files (a gold CSV `item,label`, or a Label Studio export's
    /// ground-truth annotations — the hidden honeypots): the `concord gold` JSON.
    pub gold: Option<Report<GoldFigures>>,
    /// Dawid–Skene consensus (the `concord aggregate --method ds` JSON without the per-item maps, which are in
    /// `final_from`).
    pub consensus: Option<Report<ConsensusFigures>>,
    /// The per-item consensus the arbitration pool starts from and the final labels fall back to.
    pub final_from: concord_engine::arbitration::Consensus,
    /// Items below the pool's agreement (majority share) or tied, least agreement first (at most the pool's cap:
    /// `engine::review::ReviewOptions`).
    pub pool: Vec<concord_engine::arbitration::PoolItem>,
    /// Items in the pool before the cap.
    pub pool_size: usize,
    /// The merged annotations (and gold items, with no rows). A categorical import's rows cross as [`Columns`]; on
    /// the page this is taken into [`Imported::table`].
    pub table: TableRows,
    /// When labels were made and under which guideline version, for those whose files say so.
    pub stamps: Stamps,
    /// The gold label id of each item of `table` (empty without gold).
    pub gold_labels: Vec<Option<u32>>,
    /// Agreement and errors per guideline version and section (`review::figures_by_version`), over the stamps.
    pub versions: Vec<concord_engine::review::VersionFigures>,
    /// The Label Studio choice control read (`label` for CSV), used for the final Label Studio file.
    pub control: String,
    /// Spans or boxes to review (then the categorical fields above are empty), and their agreement report (the
    /// `concord agreement` JSON).
    pub regions: Option<concord_engine::review::RegionSet>,
    pub region_agreement: Option<Report<RegionFigures>>,
    /// A point-cloud batch's tracks queue (the `concord tracks` JSON); its agreement is `region_agreement`.
    pub tracks: Option<Report<concord_engine::scene::TrackQueue>>,
    /// The worker's WebAssembly memory at the end: linear memory only grows, so this is its peak.
    pub peak_wasm_bytes: u64,
    /// How long the agreement report with its bootstrap intervals took in the worker (0 without intervals).
    pub intervals_millis: f64,
    pub millis: f64,
}
