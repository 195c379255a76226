//! One Yew component per widget.

pub mod agreement_matrix;
pub mod gold_report;
pub mod qa_panel;
mod scale;

pub use agreement_matrix::AgreementMatrix;
pub use gold_report::GoldReport;
pub use qa_panel::QaPanel;
