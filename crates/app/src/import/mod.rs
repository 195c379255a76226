//! Annotators' files imported for review: Label Studio exports and long-format CSVs, any size, read in a Web
//! Worker (`bin/concord_import.rs`, `worker_side.rs`) in 4 MB slices with progress, merged by the engine (a second
//! label for one item by one annotator is refused, naming both files), and summarised with the engine's agreement
//! report. The UI side (`components/import_panel.rs`) only sends files and shows what comes back.
//!
//! Messages from the worker are JSON text (`Message`), so both sides share one definition.

pub mod figures;
pub mod worker_side;

use std::rc::Rc;

use concord_engine::model::{CategoricalTable, Stamps, TableRows};
use serde::{Deserialize, Serialize};

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
}

impl Imported {
    pub fn new(summary: Summary) -> Result<Imported, String> {
        let table = summary.table.table().map_err(|e| format!("the import worker's table: {e}"))?;
        Ok(Imported { summary: Rc::new(summary), table: Rc::new(table) })
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
    /// The merged annotations (and gold items, with no rows).
    pub table: TableRows,
    /// When labels were made and under which guideline version, for those whose files say so.
    pub stamps: Stamps,
    /// The gold label id of each item of `table` (empty without gold).
    pub gold_labels: Vec<Option<u32>>,
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
