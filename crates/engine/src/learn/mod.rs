//! Online learners: models trained as the labels arrive, in the browser's worker or the CLI, with no ML server. Each
//! is deterministic: the same labels in the same order give the same weights, bit for bit, on every platform.
//!
//! - [`TextFeatures`] — hashed word and character n-grams of a text (the hashing trick, Weinberger et al. 2009), or
//!   an embedding vector shipped in the bundle, as one sparse vector;
//! - [`OnlineLogistic`] — multinomial logistic regression trained by AdaGrad (Duchi, Hazan & Singer 2011) with L2;
//! - [`RegionFeatures`] — a box's or polygon's size, aspect and place, binned, and the image's other labels, for
//!   the label model of regions;
//! - [`AveragedPerceptron`] — a greedy averaged-perceptron sequence tagger (Collins 2002) over word, shape, affix
//!   and neighbour features, for BIO span suggestions;
//! - [`Rehearsal`] — a reservoir of the examples seen, a few learned from again after each new one (experience
//!   replay), so that one label at a time gets close to the batch optimum;
//! - [`TextIndex`] — a queue's texts read once (distinct words, word n-grams, norms), so that re-ranking a large
//!   queue after each label sums a few rows per text instead of hashing every n-gram again;
//! - [`ProjectLearner`] — the one a project's schema calls for, fed results and asked for predictions in the
//!   bundle's format (the app's worker and `concord learn` share it);
//! - [`least_confidence`], [`margin`], [`entropy`] — uncertainty of a prediction, for uncertain-first order (Settles
//!   2009, "Active Learning Literature Survey", §3.1).

mod features;
mod logistic;
mod project;
mod region_features;
mod rehearsal;
mod tagger;
mod text_index;
mod training;
mod uncertainty;

pub use features::{embedding_features, SparseVector, TextFeatures};
pub use logistic::{LogisticSettings, OnlineLogistic};
pub use project::{
    bio_tags, learn_plan, relabels, spans_of_tags, Evaluation, Features, LearnPlan, LearnPlanError, LearnerKind,
    ProjectLearner, Relabel, Sample, MODEL_NAME, REGION_REPLAYS,
};
pub use region_features::{RegionFeatures, RegionShape};
pub use rehearsal::{Rehearsal, CAPACITY as REHEARSAL_CAPACITY, REPLAYS};
pub use tagger::{token_features, AveragedPerceptron};
pub use text_index::TextIndex;
pub use training::{curve_counts, labels_in_order, train, CurvePoint, Training};
pub use uncertainty::{entropy, least_confidence, margin};
