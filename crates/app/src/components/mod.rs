//! Widgets, each in its own file. They render what they are given; none computes a quality figure.

pub mod error_panel;
pub mod guideline_panel;
pub mod load_progress;
pub mod project_picker;
pub mod schema_summary;
pub mod task_view;

pub use error_panel::ErrorPanel;
pub use guideline_panel::GuidelinePanel;
pub use load_progress::LoadProgress;
pub use project_picker::ProjectPicker;
pub use schema_summary::SchemaSummary;
pub use task_view::TaskView;
