//! Concord's quality engine.
//!
//! Pure Rust and deterministic: no DOM, no file system, no clock, no thread. The app (in the browser), the JS
//! package and the `concord` CLI call these same functions, so what the dashboard shows and what CI computes
//! agree by construction. Inputs arrive as strings or parsed records; every rejected input is an
//! [`InputError`] naming the file, the place and the reason.

#![deny(missing_docs)]

pub mod agreement;
pub mod arbitration;
pub mod boxes;
pub mod bundle;
pub mod consensus;
pub mod cost;
pub(crate) mod csv_lines;
pub mod drift;
pub mod error;
pub mod errors;
pub mod formats;
pub mod gold;
pub mod guidelines;
pub mod json_path;
pub mod learn;
pub mod log;
pub mod model;
pub mod pilot;
pub mod polygons;
pub mod qc;
pub mod resample;
pub mod review;
pub mod rng;
pub mod routing;
pub mod rules;
pub mod sampling;
pub mod scene;
pub mod sorting;
pub mod spans;
pub mod sync;
pub mod synthetic;

pub use error::{InputError, Place};
