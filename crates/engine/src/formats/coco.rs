//! COCO instances JSON (ground truth: `images`, `annotations` with `bbox` `[x, y, w, h]`, `area`, `iscrowd`,
//! polygon `segmentation`s, `categories`) and COCO results (a list of `{image_id, category_id, bbox, score}`).
//!
//! Images and categories get dense ids in ascending COCO id order (pycocotools sorts them). A detection on an image
//! or category the ground truth does not have is an error (pycocotools asserts the former and silently drops the
//! latter; both are almost always a mix-up of files).

use crate::sorting::LeanSort;
use std::collections::HashMap;

use serde_json::Value;

use super::WriteError;
use crate::error::InputError;
use crate::model::polygon_geometry as geometry;
use crate::model::{Detection, GtBox};
use crate::model::{PolygonRec, PolygonTable};

#[derive(Debug, Clone, PartialEq)]
/// An image of a COCO file.
pub struct CocoImage {
    /// Its COCO id.
    pub id: i64,
    /// Its file name.
    pub file_name: String,
    /// Width in pixels, when given.
    pub width: Option<f64>,
    /// Height in pixels, when given.
    pub height: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
/// A COCO ground-truth file: images, categories and boxes, ids made dense.
pub struct CocoGroundTruth {
    /// Sorted by COCO id; the index is the dense image id.
    pub images: Vec<CocoImage>,
    /// (COCO id, name), sorted by id; the index is the dense category id.
    pub categories: Vec<(i64, String)>,
    /// The boxes, by dense image and category ids.
    pub boxes: Vec<GtBox>,
    image_index: HashMap<i64, u32>,
    category_index: HashMap<i64, u32>,
}

impl CocoGroundTruth {
    /// The dense id of the image with COCO id `coco_id`.
    pub fn image(&self, coco_id: i64) -> Option<u32> {
        self.image_index.get(&coco_id).copied()
    }
    /// The dense id of the category with COCO id `coco_id`.
    pub fn category(&self, coco_id: i64) -> Option<u32> {
        self.category_index.get(&coco_id).copied()
    }
    /// Category names by dense id.
    pub fn category_names(&self) -> Vec<String> {
        self.categories.iter().map(|(_, n)| n.clone()).collect()
    }
}

fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        _ => None,
    }
}

fn bbox(v: Option<&Value>) -> Option<[f64; 4]> {
    let a = v?.as_array()?;
    if a.len() != 4 {
        return None;
    }
    let mut out = [0.0; 4];
    for (o, x) in out.iter_mut().zip(a) {
        *o = x.as_f64().filter(|f| f.is_finite())?;
    }
    (out[2] >= 0.0 && out[3] >= 0.0).then_some(out)
}

/// Reads a COCO instances file (ground truth: `images`, `categories`, `annotations` with `bbox`).
pub fn read_coco_ground_truth(file: &str, text: &str) -> Result<CocoGroundTruth, InputError> {
    let root: Value = serde_json::from_str(text).map_err(|e| InputError::from_json(file, &e))?;
    ground_truth(file, &root)
}

fn ground_truth(file: &str, root: &Value) -> Result<CocoGroundTruth, InputError> {
    let at = |p: String, why: &str| InputError::at_path(file, p, why);
    let list = |key: &str| -> Result<&Vec<Value>, InputError> {
        root.get(key)
            .and_then(Value::as_array)
            .ok_or_else(|| at(format!("$.{key}"), "missing list (is this COCO instances JSON?)"))
    };
    let mut gt = CocoGroundTruth::default();
    for (i, im) in list("images")?.iter().enumerate() {
        let id = int(im.get("id")).ok_or_else(|| at(format!("$.images[{i}].id"), "expected an integer id"))?;
        gt.images.push(CocoImage {
            id,
            file_name: im.get("file_name").and_then(Value::as_str).unwrap_or("").to_string(),
            width: im.get("width").and_then(Value::as_f64),
            height: im.get("height").and_then(Value::as_f64),
        });
    }
    gt.images.lean_sort_by_key(|im| im.id);
    for (i, w) in gt.images.windows(2).enumerate() {
        if w[0].id == w[1].id {
            return Err(at(
                "$.images".into(),
                &format!("image id {} appears twice (sorted position {})", w[0].id, i + 1),
            ));
        }
    }
    gt.image_index = gt.images.iter().enumerate().map(|(i, im)| (im.id, i as u32)).collect();
    for (i, c) in list("categories")?.iter().enumerate() {
        let id = int(c.get("id")).ok_or_else(|| at(format!("$.categories[{i}].id"), "expected an integer id"))?;
        let name = c
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| at(format!("$.categories[{i}].name"), "expected a name"))?;
        if gt.categories.iter().any(|(cid, _)| *cid == id) {
            return Err(at(format!("$.categories[{i}].id"), &format!("category id {id} appears twice")));
        }
        gt.categories.push((id, name.to_string()));
    }
    gt.categories.lean_sort_by_key(|c| c.0);
    gt.category_index = gt.categories.iter().enumerate().map(|(i, (id, _))| (*id, i as u32)).collect();
    for (i, a) in list("annotations")?.iter().enumerate() {
        let p = format!("$.annotations[{i}]");
        let image_id = int(a.get("image_id")).ok_or_else(|| at(format!("{p}.image_id"), "expected an integer"))?;
        let image = gt
            .image(image_id)
            .ok_or_else(|| at(format!("{p}.image_id"), &format!("image {image_id} is not in `images`")))?;
        let cat_id = int(a.get("category_id")).ok_or_else(|| at(format!("{p}.category_id"), "expected an integer"))?;
        let category = gt
            .category(cat_id)
            .ok_or_else(|| at(format!("{p}.category_id"), &format!("category {cat_id} is not in `categories`")))?;
        let b = bbox(a.get("bbox"))
            .ok_or_else(|| at(format!("{p}.bbox"), "expected [x, y, width, height] with width, height ≥ 0"))?;
        let id = int(a.get("id")).unwrap_or(i as i64 + 1) as u64;
        // pycocotools uses the `area` field (for instances, the segmentation's area) to pick the area range.
        let area = a.get("area").and_then(Value::as_f64).unwrap_or(b[2] * b[3]);
        let iscrowd = int(a.get("iscrowd")).unwrap_or(0) != 0;
        gt.boxes.push(GtBox { id, image, category, bbox: b, area, iscrowd });
    }
    Ok(gt)
}

/// The polygon `segmentation`s of a COCO instances file as a polygon table, one annotator (`annotator`, e.g.
/// `gold`), items named by the image's `concord_id` when Concord wrote the file, else its `file_name`, else its id.
/// An instance in several parts keeps them all (its area and IoU are over the parts). RLE masks are not polygons:
/// an annotation with one is an error naming it.
pub fn read_coco_polygons(file: &str, text: &str, annotator: &str) -> Result<PolygonTable, InputError> {
    let root: Value = serde_json::from_str(text).map_err(|e| InputError::from_json(file, &e))?;
    let gt = ground_truth(file, &root)?;
    let images = root.get("images").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let name_of = |coco_id: i64| -> String {
        let im = images.iter().find(|im| int(im.get("id")) == Some(coco_id));
        let field = |k: &str| im.and_then(|im| im.get(k)).and_then(Value::as_str).filter(|s| !s.is_empty());
        field("concord_id").or_else(|| field("file_name")).map_or_else(|| coco_id.to_string(), str::to_string)
    };
    let mut t = PolygonTable::default();
    let who = t.annotators.intern(annotator);
    for im in &gt.images {
        let item = t.items.intern(&name_of(im.id));
        t.cover(item, who);
    }
    let anns = root.get("annotations").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    for (i, a) in anns.iter().enumerate() {
        let p = format!("$.annotations[{i}].segmentation");
        let at = |why: String| InputError::at_path(file, p.clone(), why);
        let parts = match a.get("segmentation") {
            Some(Value::Array(parts)) => parts,
            Some(Value::Object(_)) => {
                return Err(at("an RLE mask, not polygons: Concord reads polygon segmentations".into()))
            }
            _ => return Err(at("missing: expected a list of polygons [[x1, y1, x2, y2, …]]".into())),
        };
        let mut rings = Vec::with_capacity(parts.len());
        for (k, part) in parts.iter().enumerate() {
            let flat: Option<Vec<f64>> =
                part.as_array().and_then(|v| v.iter().map(|x| x.as_f64().filter(|f| f.is_finite())).collect());
            match flat {
                Some(f) if f.len() >= 6 && f.len() % 2 == 0 => rings.push(f.chunks(2).map(|c| [c[0], c[1]]).collect()),
                _ => {
                    return Err(InputError::at_path(
                        file,
                        format!("{p}[{k}]"),
                        "expected x, y pairs of at least 3 vertices",
                    ))
                }
            }
        }
        let image_id = int(a.get("image_id")).unwrap_or_default();
        let item = t.items.intern(&name_of(image_id));
        let cat = int(a.get("category_id")).and_then(|c| gt.category(c)).unwrap_or_default();
        let label = t.labels.intern(&gt.categories[cat as usize].1);
        t.regions.push(PolygonRec { item, annotator: who, label, rings });
    }
    t.finish();
    Ok(t)
}

/// Reads COCO results (detections: a list of `image_id`, `category_id`, `bbox`, `score`) against their ground truth.
pub fn read_coco_results(file: &str, text: &str, gt: &CocoGroundTruth) -> Result<Vec<Detection>, InputError> {
    let root: Value = serde_json::from_str(text).map_err(|e| InputError::from_json(file, &e))?;
    let list = root.as_array().ok_or_else(|| InputError::at_path(file, "$", "expected a list of detections"))?;
    let mut out = Vec::with_capacity(list.len());
    for (i, d) in list.iter().enumerate() {
        let at = |k: &str, why: String| InputError::at_path(file, format!("$[{i}].{k}"), why);
        let image_id = int(d.get("image_id")).ok_or_else(|| at("image_id", "expected an integer".into()))?;
        let image =
            gt.image(image_id).ok_or_else(|| at("image_id", format!("image {image_id} is not in the ground truth")))?;
        let cat_id = int(d.get("category_id")).ok_or_else(|| at("category_id", "expected an integer".into()))?;
        let category = gt
            .category(cat_id)
            .ok_or_else(|| at("category_id", format!("category {cat_id} is not in the ground truth")))?;
        let bbox = bbox(d.get("bbox"))
            .ok_or_else(|| at("bbox", "expected [x, y, width, height] with width, height ≥ 0".into()))?;
        let score = d
            .get("score")
            .and_then(Value::as_f64)
            .filter(|s| s.is_finite())
            .ok_or_else(|| at("score", "expected a number".into()))?;
        out.push(Detection { image, category, bbox, score });
    }
    Ok(out)
}

/// One image as the COCO writer takes it: its id, file name, natural size, boxes and polygons (pixels).
pub struct CocoImageOut<'a> {
    /// The task's id (kept as `concord_id`).
    pub id: &'a str,
    /// The image's file name.
    pub file_name: &'a str,
    /// Width in pixels.
    pub width: f64,
    /// Height in pixels.
    pub height: f64,
    /// Its boxes.
    pub boxes: &'a [crate::model::BoxRegion],
    /// Its polygons.
    pub polygons: &'a [crate::model::PolygonRegion],
}

/// COCO instances JSON (ground truth) — what [`read_coco_ground_truth`] and [`read_coco_polygons`] read: images
/// numbered 1… in the given order (their ids kept as `concord_id`), categories 1… in `categories` order, one
/// annotation per box (`area` w·h) and per polygon (`segmentation` `[[x1, y1, …]]`, `bbox` its bounds, `area` the
/// polygon's), `iscrowd` 0. A label missing from `categories` is an error naming it.
pub fn write_coco(images: &[CocoImageOut], categories: &[String]) -> Result<String, WriteError> {
    let category = |l: &str| categories.iter().position(|c| c == l).map(|k| k + 1);
    let mut anns = Vec::new();
    let mut imgs = Vec::new();
    for (k, im) in images.iter().enumerate() {
        imgs.push(serde_json::json!({"id": k + 1, "file_name": im.file_name, "width": im.width,
                                     "height": im.height, "concord_id": im.id}));
        for b in im.boxes {
            let c = category(&b.label)
                .ok_or_else(|| WriteError::NotACategory { image: im.id.to_string(), label: b.label.clone() })?;
            anns.push(serde_json::json!({"id": anns.len() + 1, "image_id": k + 1, "category_id": c,
                                         "bbox": [b.x, b.y, b.w, b.h], "area": b.w * b.h, "iscrowd": 0}));
        }
        for p in im.polygons {
            let c = category(&p.label)
                .ok_or_else(|| WriteError::NotACategory { image: im.id.to_string(), label: p.label.clone() })?;
            let rings = p.rings();
            let b = geometry::bounds(&rings);
            let flat: Vec<f64> = p.points.iter().flatten().copied().collect();
            anns.push(serde_json::json!({"id": anns.len() + 1, "image_id": k + 1, "category_id": c,
                                         "segmentation": [flat], "bbox": [b[0], b[1], b[2] - b[0], b[3] - b[1]],
                                         "area": geometry::area(&rings), "iscrowd": 0}));
        }
    }
    let cats: Vec<serde_json::Value> =
        categories.iter().enumerate().map(|(k, c)| serde_json::json!({"id": k + 1, "name": c})).collect();
    Ok(serde_json::to_string_pretty(&serde_json::json!({"images": imgs, "annotations": anns, "categories": cats}))
        .expect("JSON values serialize"))
}

/// The submitted annotations of one annotator (annotator mode's export) as COCO instances JSON: one image per task
/// with a record, the boxes and polygons of every box or polygon control, categories in the schema's label order.
/// A task without its image's width and height is an error naming it (COCO needs them).
pub fn write_coco_records(
    tasks: &[&crate::model::Task],
    records: &[crate::bundle::AnnotationRecord],
    schema: &crate::model::Schema,
) -> Result<String, WriteError> {
    use crate::model::{ControlKind, ControlValue};
    let controls: Vec<&crate::model::Control> =
        schema.controls.iter().filter(|c| matches!(c.kind, ControlKind::Boxes | ControlKind::Polygons)).collect();
    let mut categories: Vec<String> = Vec::new();
    for l in controls.iter().flat_map(|c| &c.labels) {
        if !categories.contains(&l.value) {
            categories.push(l.value.clone());
        }
    }
    let mut kept = Vec::new();
    for t in tasks {
        let Some(r) = records.iter().rev().find(|r| r.task == t.id) else { continue };
        let (Some(width), Some(height)) = (t.data.width, t.data.height) else {
            return Err(WriteError::NoImageSize { task: t.id.clone(), needed_by: "COCO" });
        };
        let (mut boxes, mut polygons) = (Vec::new(), Vec::new());
        for c in &controls {
            match r.result.0.get(&c.name) {
                Some(ControlValue::Boxes(b)) => boxes.extend(b.iter().cloned()),
                Some(ControlValue::Polygons(p)) => polygons.extend(p.iter().cloned()),
                _ => {}
            }
        }
        kept.push((t, width, height, boxes, polygons));
    }
    let images: Vec<CocoImageOut> = kept
        .iter()
        .map(|(t, width, height, boxes, polygons)| CocoImageOut {
            id: &t.id,
            file_name: t.data.image.as_deref().unwrap_or(&t.id),
            width: *width,
            height: *height,
            boxes,
            polygons,
        })
        .collect();
    write_coco(&images, &categories)
}
