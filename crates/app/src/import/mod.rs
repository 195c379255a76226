//! Annotators' files imported for review: Label Studio exports and long-format CSVs, any size, read in a Web
//! Worker (`bin/concord_import.rs`, `worker_side.rs`) in 4 MB slices with progress, merged by the engine (a second
//! label for one item by one annotator is refused, naming both files), and summarised with the engine's agreement
//! report. The UI side (`components/import_panel.rs`) only sends files and shows what comes back.
//!
//! Messages from the worker are JSON text (`Message`), so both sides share one definition.

pub mod worker_side;

use serde::{Deserialize, Serialize};

/// Bytes read from a file between two progress messages (and held at once).
pub const SLICE: usize = 4 << 20;

/// An item goes to arbitration when fewer than this share of its labels agree (2 of 3 does, 3 of 4 does not).
pub const POOL_AGREEMENT: f64 = 0.75;
/// The pool sent to the page; the rest are counted.
pub const POOL_MAX: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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
    Done(Summary),
    Failed {
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    pub name: String,
    pub format: String,
    pub bytes: u64,
    pub annotations: usize,
    pub annotators: usize,
}

/// An import's summary as components share it: compared by identity, never field by field (a summary carries
/// every item's consensus; props and memo keys are compared on every render).
#[derive(Debug, Clone)]
pub struct Imported(pub std::rc::Rc<Summary>);

impl PartialEq for Imported {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Imported {
    type Target = Summary;
    fn deref(&self) -> &Summary {
        &self.0
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
    pub agreement: Option<serde_json::Value>,
    /// Accuracy against the gold answers among the files (a gold CSV `item,label`, or a Label Studio export's
    /// ground-truth annotations — the hidden honeypots): the `concord gold` JSON.
    pub gold: Option<serde_json::Value>,
    /// Dawid–Skene consensus (the `concord aggregate --method ds` JSON without the per-item maps, which are in
    /// `final_from`).
    pub consensus: Option<serde_json::Value>,
    /// The per-item consensus the arbitration pool starts from and the final labels fall back to.
    pub final_from: concord_engine::arbitration::Consensus,
    /// Items below `POOL_AGREEMENT` (majority share) or tied, least agreement first (at most `POOL_MAX`).
    pub pool: Vec<concord_engine::arbitration::PoolItem>,
    /// Items in the pool before the cap.
    pub pool_size: usize,
    /// The worker's WebAssembly memory at the end: linear memory only grows, so this is its peak.
    pub peak_wasm_bytes: u64,
    pub millis: f64,
}
