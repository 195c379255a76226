//! `concord agreement FILE... [--order a,b,c] [--format F] [--strict] [--replicates N] [--seed S] [--level L]
//! [--minimum M [--decide-by RULE]]`

use std::ffi::OsString;

use lexopt::ValueExt;

use concord_engine::agreement::{categorical_report, categorical_report_with_intervals};
use concord_engine::boxes::{box_agreement, box_agreement_with_intervals};
use concord_engine::formats::bio::ChunkMode;
use concord_engine::pilot::with_gate;
use concord_engine::polygons::{polygon_agreement, polygon_agreement_with_intervals};
use concord_engine::spans::{span_agreement, span_agreement_with_intervals};

use crate::input::{load_with, Dataset};
use crate::interval_options::IntervalOptions;
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut order: Option<Vec<String>> = None;
    let mut intervals = IntervalOptions::default();
    let common = super::parse(args, |name, p| {
        if name != "order" && !IntervalOptions::knows(name) {
            return Ok(false);
        }
        let v = p.value()?.string()?;
        if name == "order" {
            order = Some(v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect());
            Ok(true)
        } else {
            intervals.take(name, &v)
        }
    })?;
    if intervals.decide_by.is_some() && intervals.minimum.is_none() {
        return Err(Failure::Input("--decide-by needs --minimum M: the agreement the pilot must reach".into()));
    }
    let mode = if common.strict { ChunkMode::Strict } else { ChunkMode::Lenient };
    let (_, dataset) = load_with(&common.files, common.format.as_deref(), mode, &common.sources())?;
    let json = match dataset {
        Dataset::Categorical(table) => {
            let order = order.as_deref();
            let report = match intervals.bootstrap.replicates {
                0 => categorical_report(&table, order),
                _ => categorical_report_with_intervals(&table, order, intervals.bootstrap, |_, _| {}),
            }
            .map_err(|e| Failure::Input(format!("--order: {e}")))?;
            crate::to_json(&with_gate(&report, intervals.minimum, intervals.decide_by.unwrap_or_default()))
        }
        // Region F1s: intervals over documents or images, unless --replicates 0.
        Dataset::Spans(table) => match intervals.bootstrap.replicates {
            0 => crate::to_json(&span_agreement(&table)),
            _ => crate::to_json(&span_agreement_with_intervals(&table, intervals.bootstrap)),
        },
        Dataset::Boxes(table) => match intervals.bootstrap.replicates {
            0 => crate::to_json(&box_agreement(&table)),
            _ => crate::to_json(&box_agreement_with_intervals(&table, intervals.bootstrap)),
        },
        Dataset::Polygons(table) => match intervals.bootstrap.replicates {
            0 => crate::to_json(&polygon_agreement(&table)),
            _ => crate::to_json(&polygon_agreement_with_intervals(&table, intervals.bootstrap)),
        },
        Dataset::Cuboids(table) => match intervals.bootstrap.replicates {
            0 => crate::to_json(&concord_engine::scene::cuboid_agreement(&table)),
            _ => crate::to_json(&concord_engine::scene::cuboid_agreement_with_intervals(&table, intervals.bootstrap)),
        },
    };
    Ok(json)
}
