//! `concord aggregate FILE... --method mv|wmv|ds [--gold G] [--max-iter N] [--tol T] [--order a,b] [--out F]`
//!
//! Categorical data: one label per item by majority vote, gold-weighted majority vote (`--gold` CSV `item,label`)
//! or Dawid–Skene. `--out labels.csv` also writes `item,label,confidence`.
//! Spans and boxes: consensus regions kept by `--quorum K` annotators (`--overlap` clusters overlapping spans;
//! boxes cluster at `--iou T`, default 0.5).

use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::consensus::box_consensus;
use concord_engine::consensus::polygon_consensus;
use concord_engine::consensus::{dawid_skene, gold_weights, majority_vote, weighted_majority_vote, DawidSkeneOptions};
use concord_engine::consensus::{span_consensus, SpanMerge};
use concord_engine::formats::bio::ChunkMode;
use concord_engine::formats::csv_long::read_gold_csv;
use lexopt::ValueExt;
use serde_json::json;

use crate::input::{self, load_with, Dataset};
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let (mut method, mut gold, mut out, mut order) =
        (String::from("mv"), None::<PathBuf>, None::<PathBuf>, None::<Vec<String>>);
    let mut opts = DawidSkeneOptions::default();
    let (mut quorum, mut overlap, mut iou) = (2usize, false, 0.5f64);
    let common = super::parse(args, |name, p| {
        let bad = |what: &str| Failure::Input(format!("--{name}: expected {what}"));
        match name {
            "method" => method = p.value()?.string()?,
            "gold" => gold = Some(PathBuf::from(p.value()?)),
            "out" => out = Some(PathBuf::from(p.value()?)),
            "order" => order = Some(p.value()?.string()?.split(',').map(|s| s.trim().to_string()).collect()),
            "max-iter" => opts.max_iter = p.value()?.string()?.parse().map_err(|_| bad("a whole number"))?,
            "tol" => opts.tol = p.value()?.string()?.parse().map_err(|_| bad("a number"))?,
            "quorum" => quorum = p.value()?.string()?.parse().map_err(|_| bad("a whole number ≥ 1"))?,
            "iou" => iou = p.value()?.string()?.parse().map_err(|_| bad("a number in (0, 1]"))?,
            "overlap" => overlap = true,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let mode = if common.strict { ChunkMode::Strict } else { ChunkMode::Lenient };
    // The control, a bundle (for Concord exports) and a label config (for Label Studio's flat exports) apply here as
    // in `agreement`.
    match load_with(&common.files, common.format.as_deref(), mode, &common.sources())?.1 {
        Dataset::Categorical(mut table) => {
            let result = match method.as_str() {
                "mv" => majority_vote(&table, order.as_deref()),
                "ds" => dawid_skene(&table, opts, order.as_deref()),
                "wmv" => {
                    let g = gold.ok_or_else(|| Failure::Input("--method wmv needs --gold GOLD.csv".into()))?;
                    let gold = read_gold_csv(&g.display().to_string(), input::open(&g)?, &mut table)?;
                    let weights = gold_weights(&table, &gold);
                    weighted_majority_vote(&table, &weights, order.as_deref())
                }
                other => return Err(Failure::Input(format!("unknown --method `{other}` (mv, wmv, ds)"))),
            };
            let result = result.report(&table);
            if let Some(path) = out {
                std::fs::write(&path, result.to_csv())
                    .map_err(|e| Failure::Other(format!("{}: cannot write: {e}", path.display())))?;
            }
            Ok(crate::to_json(&result))
        }
        Dataset::Spans(table) => {
            let merge = if overlap { SpanMerge::Overlap } else { SpanMerge::Exact };
            let consensus = span_consensus(&table, quorum, merge);
            let documents: serde_json::Map<String, serde_json::Value> = consensus
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.as_ref().map(|s| (i, s)))
                .map(|(i, spans)| {
                    let spans: Vec<_> = spans
                        .iter()
                        .map(|s| json!({"start": s.start, "end": s.end, "label": table.labels.name(s.label)}))
                        .collect();
                    (table.items.name(i as u32).to_string(), json!(spans))
                })
                .collect();
            Ok(crate::to_json(&json!({"method": if overlap { "span-overlap-quorum" } else { "span-exact-quorum" },
                                       "quorum": quorum, "documents": documents})))
        }
        Dataset::Boxes(table) => {
            let boxes: Vec<_> = box_consensus(&table, iou, quorum)
                .iter()
                .map(|b| {
                    json!({"image": table.items.name(b.item), "label": table.labels.name(b.label),
                                "x": b.x, "y": b.y, "w": b.w, "h": b.h, "support": b.score})
                })
                .collect();
            Ok(crate::to_json(&json!({"method": "box-iou-quorum", "iou": iou, "quorum": quorum, "boxes": boxes})))
        }
        Dataset::Polygons(table) => {
            let polygons: Vec<_> = polygon_consensus(&table, iou, quorum)
                .iter()
                .map(|c| {
                    json!({"image": table.items.name(c.polygon.item), "label": table.labels.name(c.polygon.label),
                           "points": c.polygon.rings[0], "support": c.support, "mean_iou": c.mean_iou})
                })
                .collect();
            Ok(crate::to_json(
                &json!({"method": "polygon-iou-quorum-medoid", "iou": iou, "quorum": quorum, "polygons": polygons}),
            ))
        }
        Dataset::Cuboids(table) => {
            let cuboids: Vec<_> = concord_engine::consensus::cuboid_consensus(&table, iou, quorum)
                .iter()
                .map(|c| {
                    json!({"frame": table.items.name(c.cuboid.item), "cuboid": c.cuboid.cuboid,
                           "support": c.support, "mean_iou": c.mean_iou})
                })
                .collect();
            Ok(crate::to_json(
                &json!({"method": "cuboid-iou3d-quorum-medoid", "iou": iou, "quorum": quorum, "cuboids": cuboids}),
            ))
        }
    }
}
