//! A batch of annotators' labels as review mode first shows it, in one call: agreement, the Dawid–Skene consensus
//! (Dawid & Skene 1979, [`crate::consensus::dawid_skene`]), the arbitration pool, and accuracy on the hidden gold.
//! Review mode's import worker and `concord review` both call [`BatchReport::build`], so every figure the dashboard
//! opens with is one the command line prints; every default is in [`ReviewOptions`].

use serde::Serialize;

use crate::agreement::{categorical_report, categorical_report_with_intervals, CategoricalReport};
use crate::arbitration::{arbitration_pool, Consensus, PoolItem};
use crate::consensus::{dawid_skene, AggregationReport, DawidSkeneOptions};
use crate::error::InputError;
use crate::gold::{classification_gold, ClassificationGoldReport};
use crate::model::CategoricalTable;
use crate::resample::BootstrapSettings;

/// How a batch is reviewed. `ReviewOptions::default()` is what review mode and `concord review` use.
#[derive(Debug, Clone, Copy)]
pub struct ReviewOptions {
    /// An item goes to arbitration when fewer than this share of its labels agree (2 of 3 does, 3 of 4 does not), or
    /// when its labels tie. Default 0.75.
    pub pool_agreement: f64,
    /// The most pool items listed (least agreement first); the rest are counted. Default 500.
    pub pool_max: usize,
    /// The consensus's iterations and tolerance (Dawid–Skene's defaults).
    pub dawid_skene: DawidSkeneOptions,
    /// The agreement figures' bootstrap intervals; default 1,000 replicates, seed 0, 95 %. `None`: no intervals.
    pub bootstrap: Option<BootstrapSettings>,
    /// Batches with more annotations than this get no intervals (default 100,000): the bootstrap's cost grows with
    /// the annotations and the annotator pairs (2.2 s natively, 2.6 s in the package's wasm, at 1e5 annotations over
    /// 1,225 pairs: BENCHMARKS.md), and review opens with them.
    pub bootstrap_max_annotations: usize,
}

impl Default for ReviewOptions {
    fn default() -> Self {
        ReviewOptions {
            pool_agreement: 0.75,
            pool_max: 500,
            dawid_skene: DawidSkeneOptions::default(),
            bootstrap: Some(BootstrapSettings::default()),
            bootstrap_max_annotations: 100_000,
        }
    }
}

/// What review mode opens with, for one merged batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchReport {
    /// Items with labels.
    pub items: usize,
    /// Annotators.
    pub annotators: usize,
    /// Labels given.
    pub annotations: usize,
    /// Every categorical agreement measure (the `concord agreement` report); `None` with fewer than two annotators.
    pub agreement: Option<CategoricalReport>,
    /// The Dawid–Skene consensus: per-annotator accuracy and confusion, priors, ties (its per-item labels are in
    /// `final_from`).
    pub consensus: AggregationReport,
    /// Items whose consensus is settled by the model: the per-item labels and confidences the arbitration pool
    /// starts from and the final labels fall back to. Not printed (`concord aggregate --out` writes them).
    #[serde(skip)]
    pub final_from: Consensus,
    /// Items below `pool_agreement` or tied, least agreement first, at most `pool_max`.
    pub pool: Vec<PoolItem>,
    /// Items in the pool before the cap.
    pub pool_size: usize,
    /// Accuracy against the hidden gold (`concord gold`), when any item has a gold label.
    pub gold: Option<ClassificationGoldReport>,
}

impl BatchReport {
    /// Reviews `table`: the annotators' labels, merged — before any gold is read into it (gold files intern items
    /// and labels nobody gave, which would change the label set the measures run over). Gold comes after, with
    /// [`BatchReport::with_gold`].
    pub fn build(table: &CategoricalTable, options: &ReviewOptions) -> Result<BatchReport, InputError> {
        Self::build_with_progress(table, options, |_, _| {})
    }

    /// [`BatchReport::build`], saying `progress(done, total)` as the bootstrap's replicates are drawn.
    pub fn build_with_progress(
        table: &CategoricalTable,
        options: &ReviewOptions,
        progress: impl FnMut(usize, usize),
    ) -> Result<BatchReport, InputError> {
        if table.n_annotations() == 0 {
            return Err(InputError::whole("(review)", "no annotators' labels to review"));
        }
        let agreement = if table.n_annotators() >= 2 {
            let report = match options.bootstrap {
                Some(settings) if table.n_annotations() <= options.bootstrap_max_annotations => {
                    categorical_report_with_intervals(table, None, settings, progress)
                }
                _ => categorical_report(table, None),
            };
            Some(report.map_err(|why| InputError::whole("(agreement)", why.to_string()))?)
        } else {
            None
        };
        let mut consensus = dawid_skene(table, options.dawid_skene, None).report(table);
        let mut pool = arbitration_pool(table, &consensus, options.pool_agreement);
        let pool_size = pool.len();
        pool.truncate(options.pool_max);
        let final_from = Consensus {
            method: consensus.method.name().to_string(),
            labels: std::mem::take(&mut consensus.labels),
            confidence: std::mem::take(&mut consensus.confidence),
        };
        Ok(BatchReport {
            items: table.n_items(),
            annotators: table.n_annotators(),
            annotations: table.n_annotations(),
            agreement,
            consensus,
            final_from,
            pool,
            pool_size,
            gold: None,
        })
    }

    /// Adds accuracy on the hidden gold. `table` is the batch's table once the gold is read into it, and `gold` each
    /// of its items' gold label id (`formats::merge::merge_gold` aligns the gold files and refuses contradictions).
    /// Without any gold label, nothing is added.
    pub fn with_gold(mut self, table: &CategoricalTable, gold: &[Option<u32>]) -> Result<BatchReport, InputError> {
        if gold.len() != table.n_items() {
            return Err(InputError::whole(
                "(gold)",
                format!("gold for {} items, and the table has {}", gold.len(), table.n_items()),
            ));
        }
        self.gold = gold.iter().any(Option::is_some).then(|| classification_gold(table, gold));
        Ok(self)
    }
}
