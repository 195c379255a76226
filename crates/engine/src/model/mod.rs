//! What a project is made of: its schema (what is shown and what is produced), tasks, and annotation results.

pub mod boxes;
pub mod polygons;
pub mod result;
pub mod schema;
pub mod spans;
pub mod stamps;
pub mod table;
pub mod task;
pub mod text;

pub use boxes::{BoxRec, BoxTable};
pub use polygons::{PolygonRec, PolygonTable};
pub use result::{BoxRegion, ControlValue, ImageRegion, PolygonRegion, SpanRegion, TaskResult};
pub use schema::{Attribute, AttributeKind, Control, ControlKind, DataKind, Label, OverlapPolicy, Schema};
pub use spans::{Span, SpanDoc, SpanTable, SpanUnit};
pub use stamps::{Stamp, Stamps};
pub use table::{CategoricalTable, DuplicateAnnotation, Interner, TableBuilder, TableRows};
pub use task::{Task, TaskData};
