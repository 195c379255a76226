//! What a project is made of: its schema (what is shown and what is produced), tasks, and annotation results.

pub mod boxes;
pub mod error_category;
// Geometry primitives (box IoU, polygon area and IoU): the measures build on them, and results match by them.
pub(crate) mod box_geometry;
pub(crate) mod polygon_geometry;
pub mod polygons;
pub mod region_table;
pub mod result;
pub mod schema;
pub mod spans;
pub mod stamps;
pub mod table;
pub mod task;
pub mod text;
pub mod time;

pub use boxes::{BoxRec, BoxTable, Detection, GtBox};
pub use error_category::ErrorCategory;
pub use polygons::{PolygonRec, PolygonTable};
pub use region_table::{AnnotatorRegion, RegionTable};
pub use result::{BoxRegion, ControlValue, ImageRegion, PolygonRegion, SpanRegion, TaskResult};
pub use schema::{Attribute, AttributeKind, Control, ControlKind, DataKind, Label, OverlapPolicy, Schema};
pub use spans::{Span, SpanDoc, SpanTable, SpanUnit};
pub use stamps::{Stamp, Stamps};
pub use table::{CategoricalTable, DuplicateAnnotation, Interner, TableBuilder, TableRows};
pub use task::{Task, TaskData};
