//! `concord agreement FILE... [--order a,b,c] [--format F] [--strict]`

use std::ffi::OsString;

use lexopt::ValueExt;

use concord_engine::agreement::categorical_report;
use concord_engine::boxes::box_agreement;
use concord_engine::formats::bio::ChunkMode;
use concord_engine::spans::span_agreement;

use crate::input::{load_with, Dataset};
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut order: Option<Vec<String>> = None;
    let common = super::parse(args, |name, p| {
        if name == "order" {
            let v = p.value()?.string()?;
            order = Some(v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect());
            Ok(true)
        } else {
            Ok(false)
        }
    })?;
    let mode = if common.strict { ChunkMode::Strict } else { ChunkMode::Lenient };
    let bundle = common.bundle.as_deref();
    let (_, dataset) = load_with(&common.files, common.format.as_deref(), mode, bundle, common.control.as_deref())?;
    let json = match dataset {
        Dataset::Categorical(table) => {
            let report =
                categorical_report(&table, order.as_deref()).map_err(|e| Failure::Input(format!("--order: {e}")))?;
            crate::to_json(&report)
        }
        Dataset::Spans(table) => crate::to_json(&span_agreement(&table)),
        Dataset::Boxes(table) => crate::to_json(&box_agreement(&table)),
        Dataset::Polygons(table) => crate::to_json(&concord_engine::polygons::polygon_agreement(&table)),
    };
    Ok(json)
}
