//! What a project is made of: its schema (what is shown and what is produced), tasks, and annotation results.

pub(crate) mod boxes;
pub(crate) mod camera;
pub(crate) mod cuboid;
pub(crate) mod error_category;
// Geometry primitives (box IoU, polygon area and IoU, exact cuboid IoU): the measures build on them, and results match by them.
pub(crate) mod box_geometry;
pub(crate) mod cuboid_geometry;
pub(crate) mod polygon_geometry;
pub(crate) mod polygons;
pub(crate) mod region_table;
pub(crate) mod result;
pub(crate) mod schema;
pub(crate) mod spans;
pub(crate) mod stamps;
pub(crate) mod table;
pub(crate) mod task;
pub(crate) mod text;
pub(crate) mod time;

pub use schema::{Anchor, Attribute, AttributeKind, Control, ControlKind, DataKind, Label, OverlapPolicy, Schema};
pub use text::{code_point_of_utf16, is_word, snap_to_tokens, token_at, tokens, utf16_of_code_point};
pub use time::{civil_date, civil_time, parse_timestamp};

pub use boxes::{BoxRec, BoxTable, Detection, GtBox};
pub use camera::Camera;
pub use cuboid::{Cuboid, CuboidRec, CuboidTable, EgoPose};
pub use error_category::ErrorCategory;
pub use polygons::{PolygonRec, PolygonTable};
pub use region_table::{AnnotatorRegion, RegionTable};
pub use result::{BoxRegion, ControlValue, ImageRegion, PolygonRegion, SpanRegion, TaskResult};
pub use spans::{Span, SpanDoc, SpanTable, SpanUnit};
pub use stamps::{Stamp, Stamps};
pub use table::{CategoricalTable, DuplicateAnnotation, Interner, NameOrder, TableBuilder, TableError, TableRows};
pub use task::{Task, TaskData};
