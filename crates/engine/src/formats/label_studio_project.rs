//! A Label Studio project from a Concord bundle (`concord bundle to-label-studio`): a label config for its schema
//! and its tasks as Label Studio imports them, with the bundle's predictions as `predictions` and its gold as
//! ground-truth `annotations`. The way back is [`super::label_studio_bundle`] (and every Label Studio reader):
//! each task carries its Concord id in its data ([`TASK_ID_FIELD`]), so exports come back under the bundle's ids.
//!
//! Mapping of controls: single choice → `<Choices choice="single">`, multi choice → `choice="multiple"`,
//! spans → `<Labels>`, boxes → `<RectangleLabels>`, polygons → `<PolygonLabels>`, rating → `<Rating>` when its
//! scale is 1..n (Label Studio's stars), else `<Choices>` of the scale's values. A label's enum and bool attributes
//! become per-region `<Choices>` (the shape [`super::label_studio_write`] writes). What Label Studio cannot hold
//! is listed in [`ToLabelStudio::dropped`].

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::label_studio_write::{object_name, results, task_data, TASK_ID_FIELD};
use super::WriteError;
use crate::bundle::{GoldItem, Prediction, Project};
use crate::model::{AttributeKind, ControlKind, ControlValue, DataKind, Schema, Task};

/// A Label Studio project's two files.
#[derive(Debug, Clone)]
pub struct ToLabelStudio {
    /// The label config (`<View>` XML).
    pub config: String,
    /// The tasks, as a JSON list Label Studio imports.
    pub tasks: String,
    /// Predictions written.
    pub predictions: usize,
    /// Ground-truth annotations written (the bundle's gold).
    pub gold: usize,
    /// What Label Studio cannot hold, one line each.
    pub dropped: Vec<String>,
}

/// Makes the project. `image_root`, when given, is put before relative image paths (Label Studio loads images by
/// URL, and a bundle's are relative to the bundle).
pub fn label_studio_project(
    project: &Project,
    tasks: &[Task],
    gold: &[GoldItem],
    predictions: &[Prediction],
    image_root: Option<&str>,
) -> Result<ToLabelStudio, WriteError> {
    let (config, mut dropped) = label_config(&project.schema);
    let mut preds: BTreeMap<&str, Vec<&Prediction>> = BTreeMap::new();
    for p in predictions {
        preds.entry(&p.task).or_default().push(p);
    }
    let golds: BTreeMap<&str, &GoldItem> = gold.iter().map(|g| (g.task.as_str(), g)).collect();
    let mut out = Vec::with_capacity(tasks.len());
    let mut clashes = 0;
    let (mut written_predictions, mut written_gold) = (0, 0);
    for task in tasks {
        let mut data = task_data(task);
        if let (Some(root), Some(Value::String(image))) = (image_root, data.get_mut("image")) {
            if !image.contains(':') && !image.starts_with('/') {
                *image = format!("{}/{}", root.trim_end_matches('/'), image);
            }
        }
        for (k, v) in &task.meta {
            if data.contains_key(k) {
                clashes += 1;
            } else {
                data.insert(k.clone(), v.clone());
            }
        }
        let to_name = object_name(task);
        let mut entry = Map::new();
        entry.insert("data".into(), Value::Object(data));
        if let Some(list) = preds.get(task.id.as_str()) {
            let mut items = Vec::new();
            for p in list {
                let mut item = json!({"model_version": p.model, "result": results(task, to_name, &p.result)?});
                if let Some(s) = prediction_score(p) {
                    item["score"] = json!(s);
                }
                items.push(item);
            }
            written_predictions += items.len();
            entry.insert("predictions".into(), Value::Array(items));
        }
        if let Some(g) = golds.get(task.id.as_str()) {
            // Annotations imported inside a task are ground truth in Label Studio.
            let result = results(task, to_name, &g.result)?;
            entry.insert("annotations".into(), json!([{"result": result, "ground_truth": true}]));
            written_gold += 1;
        }
        out.push(Value::Object(entry));
    }
    if clashes > 0 {
        dropped.push(format!(
            "{clashes} task metadata fields named like a data field Label Studio needs (text, image, width, height, \
             {TASK_ID_FIELD})"
        ));
    }
    if tasks.iter().any(|t| t.data.image.as_deref().is_some_and(|i| !i.contains(':') && !i.starts_with('/')))
        && image_root.is_none()
    {
        dropped
            .push("image paths relative to the bundle: Label Studio loads images by URL; give --image-root URL".into());
    }
    let tasks = serde_json::to_string_pretty(&out).expect("JSON values serialize") + "\n";
    Ok(ToLabelStudio { config, tasks, predictions: written_predictions, gold: written_gold, dropped })
}

/// One score per prediction, as Label Studio keeps it: the chosen labels' probabilities (the least, so the
/// prediction is as sure as its least sure choice), else the regions' mean score.
fn prediction_score(p: &Prediction) -> Option<f64> {
    let mut chosen = Vec::new();
    let mut regions = Vec::new();
    for (control, value) in &p.result.0 {
        match value {
            ControlValue::Choices(labels) => {
                for l in labels {
                    if let Some(s) = p.scores.get(control).and_then(|m| m.get(l)).and_then(Value::as_f64) {
                        chosen.push(s);
                    }
                }
            }
            ControlValue::Spans(v) => regions.extend(v.iter().filter_map(|r| r.score)),
            ControlValue::Boxes(v) => regions.extend(v.iter().filter_map(|r| r.score)),
            ControlValue::Polygons(v) => regions.extend(v.iter().filter_map(|r| r.score)),
            // Label Studio has no cuboids; a point-cloud project never comes from it.
            #[cfg(feature = "scene")]
            ControlValue::Cuboids(_) => {}
        }
    }
    if !chosen.is_empty() {
        return chosen.into_iter().reduce(f64::min);
    }
    (!regions.is_empty()).then(|| regions.iter().sum::<f64>() / regions.len() as f64)
}

/// The label config of a schema, with what it could not express.
pub fn label_config(schema: &Schema) -> (String, Vec<String>) {
    let mut dropped = Vec::new();
    let (tag, name) = match schema.data {
        DataKind::Text => ("Text", "text"),
        DataKind::Image => ("Image", "image"),
        // Label Studio's nearest: the frame's points file as a plain URL; its cuboids are dropped below.
        DataKind::PointCloud => ("Text", "points"),
    };
    let mut xml = format!("<View>\n  <{tag} name=\"{name}\" value=\"${name}\"/>\n");
    // Per-region choices are declared once per name, with every value any label allows.
    let mut per_region: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &schema.controls {
        let n = escape(&c.name);
        let labels = |inner: &str| {
            c.labels
                .iter()
                .map(|l| {
                    let colour =
                        l.color.as_deref().map(|c| format!(" background=\"{}\"", escape(c))).unwrap_or_default();
                    format!("    <{inner} value=\"{}\"{colour}/>\n", escape(&l.value))
                })
                .collect::<String>()
        };
        match c.kind {
            ControlKind::SingleChoice | ControlKind::MultiChoice => {
                let choice = if c.kind == ControlKind::SingleChoice { "single" } else { "multiple" };
                xml += &format!("  <Choices name=\"{n}\" toName=\"{name}\" choice=\"{choice}\">\n");
                xml += &labels("Choice");
                xml += "  </Choices>\n";
            }
            ControlKind::Rating => {
                let stars = c.labels.iter().enumerate().all(|(i, l)| l.value == (i + 1).to_string());
                if stars && !c.labels.is_empty() {
                    xml += &format!("  <Rating name=\"{n}\" toName=\"{name}\" maxRating=\"{}\"/>\n", c.labels.len());
                } else {
                    xml += &format!("  <Choices name=\"{n}\" toName=\"{name}\" choice=\"single\">\n");
                    xml += &labels("Choice");
                    xml += "  </Choices>\n";
                    dropped.push(format!(
                        "rating `{}`: its scale is not 1..n, so it is a single choice (ordinal order is lost)",
                        c.name
                    ));
                }
            }
            ControlKind::Cuboids => {
                dropped.push(format!(
                    "cuboids `{}`: Label Studio has no 3D boxes (export KITTI or nuScenes JSON)",
                    c.name
                ));
            }
            ControlKind::Spans | ControlKind::Boxes | ControlKind::Polygons => {
                let tag = match c.kind {
                    ControlKind::Spans => "Labels",
                    ControlKind::Boxes => "RectangleLabels",
                    _ => "PolygonLabels",
                };
                xml += &format!("  <{tag} name=\"{n}\" toName=\"{name}\">\n");
                xml += &labels("Label");
                xml += &format!("  </{tag}>\n");
                if c.kind == ControlKind::Spans && c.overlap != Default::default() {
                    dropped.push(format!("spans `{}`: Label Studio does not enforce the overlap policy", c.name));
                }
                for l in &c.labels {
                    for a in &l.attributes {
                        let values: Vec<String> = match a.kind {
                            AttributeKind::Enum => a.values.clone(),
                            AttributeKind::Bool => vec!["true".into(), "false".into()],
                            AttributeKind::Number => {
                                dropped.push(format!(
                                    "attribute `{}` of `{}` (a number): no per-region choice holds it",
                                    a.name, l.value
                                ));
                                continue;
                            }
                        };
                        let list = per_region.entry(a.name.clone()).or_default();
                        for v in values {
                            if !list.contains(&v) {
                                list.push(v);
                            }
                        }
                    }
                }
            }
        }
        if !c.anchors.is_empty() {
            dropped.push(format!("rating `{}`: its anchors (Label Studio has no rubric)", c.name));
        }
    }
    for (attribute, values) in &per_region {
        xml += &format!("  <Choices name=\"{}\" toName=\"{name}\" perRegion=\"true\">\n", escape(attribute));
        for v in values {
            xml += &format!("    <Choice value=\"{}\"/>\n", escape(v));
        }
        xml += "  </Choices>\n";
    }
    xml += "</View>\n";
    (xml, dropped)
}

/// Text for an XML attribute value.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
