//! `concord gold FILE... --gold GOLD [--format F] [--strict]`

use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::formats::bio::ChunkMode;
use concord_engine::formats::csv_long::read_gold_csv;
use concord_engine::gold::classification_gold;
use concord_engine::spans::span_gold;

use crate::input::{self, load, Dataset};
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut gold_path: Option<PathBuf> = None;
    let common = super::parse(args, |name, p| {
        if name == "gold" {
            gold_path = Some(PathBuf::from(p.value()?));
            Ok(true)
        } else {
            Ok(false)
        }
    })?;
    let gold_path = gold_path.ok_or_else(|| Failure::Input("--gold GOLD is required".into()))?;
    let mode = if common.strict { ChunkMode::Strict } else { ChunkMode::Lenient };
    let (format, dataset) = load(&common.files, common.format.as_deref(), mode)?;
    let gold_name = gold_path.display().to_string();
    let json = match dataset {
        Dataset::Categorical(mut table) => {
            let gold = read_gold_csv(&gold_name, input::open(&gold_path)?, &mut table)?;
            crate::to_json(&classification_gold(&table, &gold))
        }
        Dataset::Spans(mut table) => {
            let text = input::read_to_string(&gold_path)?;
            let docs = input::read_spans(&gold_name, &text, format, mode, &mut table)?;
            let mut gold = vec![None; table.items.len()];
            for (item, mut spans) in docs {
                spans.sort_unstable();
                gold[item as usize] = Some(spans);
            }
            crate::to_json(&span_gold(&table, &gold))
        }
    };
    Ok(json)
}
