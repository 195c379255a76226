//! `concord route LABELS.csv --bundle DIR [--gold GOLD.csv] [--version V...] [--limit N]` — the routing plan review
//! mode shows: every annotator's standing with its evidence and the overlap their tasks get, the tasks that need more
//! labels (how many, which tier, whether a disagreement escalates, each with the reason), and the model's check on
//! the gold. The engine settles the context (`routing::context`) and routes (`routing::plan`).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::formats::csv_long::{read_gold_csv, read_long_csv_stamped};
use concord_engine::formats::merge::merge_gold;
use concord_engine::routing::plan;
use concord_engine::routing::{choice_gold, predicted_objects, top_predictions};
use concord_engine::routing::{RoutingContext, RoutingSources};
use lexopt::ValueExt;
use serde_json::json;

use crate::input;
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let (mut gold_path, mut versions, mut limit) = (None::<PathBuf>, Vec::<String>::new(), 100usize);
    let common = super::parse(args, |name, p| {
        match name {
            "gold" => gold_path = Some(PathBuf::from(p.value()?)),
            "version" => versions.push(p.value()?.string()?),
            "limit" => {
                let n = p.value()?.string()?;
                limit = n.parse().map_err(|_| Failure::Input(format!("--limit: `{n}` is not a whole number")))?
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let [labels] = common.files.as_slice() else {
        return Err(Failure::Input(
            "give one labels CSV (item,annotator,label, optionally time and guideline_version)".into(),
        ));
    };
    let dir = common.bundle.as_deref().ok_or_else(|| {
        Failure::Input("--bundle DIR is required: routing follows the project's workflow.routing".into())
    })?;
    let b = input::bundle(dir)?.0;
    let name = labels.display().to_string();
    let (mut table, stamps) = read_long_csv_stamped(&name, input::open(labels)?)?;
    // The model and the training gold of the first choice control, as review mode reads them.
    let control = b.project.schema.controls.iter().find(|c| c.kind.is_choice()).map(|c| c.name.clone());
    let predictions = control.as_deref().map(|c| top_predictions(&b.predictions, c)).unwrap_or_default();
    let objects: BTreeMap<String, usize> = predicted_objects(&b.predictions);
    let training_gold = control.as_deref().map(|c| choice_gold(&b.gold, c)).unwrap_or_default();
    let gold_labels = match gold_path {
        Some(path) => {
            let gold_name = path.display().to_string();
            let gold = read_gold_csv(&gold_name, input::open(&path)?, &mut table)?;
            merge_gold(&table, &[(gold_name, gold)])?
        }
        None => vec![None; table.n_items()],
    };
    let context = RoutingContext::build(&RoutingSources {
        table: &table,
        stamps: &stamps,
        gold_labels: &gold_labels,
        training_gold: &training_gold,
        settings: b.project.workflow.routing.as_ref(),
        recorded_versions: &versions,
        bundle_version: Some(&b.project.guidelines.version),
        predictions: &predictions,
    });
    let routed = plan(&context.input(&table, &stamps, &predictions, &objects), limit);
    Ok(crate::to_json(&json!({ "context": context, "plan": routed })))
}
