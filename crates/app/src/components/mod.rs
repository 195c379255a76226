//! Widgets, each in its own file. They render what they are given; none computes a quality figure.

pub mod annotator_prompt;
pub mod arbitration;
pub mod charts;
pub mod error_panel;
pub mod export_bar;
pub mod guideline_panel;
pub mod import_panel;
pub mod inputs;
pub mod load_progress;
pub mod over_time;
pub mod personal_panel;
pub mod pilot_gate;
pub mod qa_panel;
pub mod qc_panel;
pub mod region_review;
pub mod requeue_panel;
pub mod review_outcome;
pub mod review_queue;
pub mod review_work;
pub mod routing_panel;
pub mod schema_summary;
pub mod start_screen;
pub mod update_banner;
pub mod verdict_form;

pub use annotator_prompt::AnnotatorPrompt;
pub use error_panel::ErrorPanel;
pub use export_bar::ExportBar;
pub use guideline_panel::GuidelinePanel;
pub use import_panel::ImportPanel;
pub use load_progress::LoadProgress;
pub use personal_panel::PersonalPanel;
pub use qa_panel::QaPanel;
pub use schema_summary::SchemaSummary;
pub use start_screen::StartScreen;
pub use update_banner::UpdateBanner;
