//! Pascal VOC XML: one file per image (`<annotation>` with `<filename>`, `<size><width><height>`, and an `<object>`
//! per box: `<name>`, `<bndbox><xmin><ymin><xmax><ymax>`, and `<truncated>`, `<difficult>`, `<occluded>` flags).
//!
//! Coordinates are taken as written, in pixels: x = xmin, width = xmax − xmin (the original VOC devkit counts pixels
//! from 1; exporters such as Label Studio's write 0-based, rounded values; neither is shifted). The image is the
//! task, named by `<filename>`; the annotator is `<source><annotator>` when given (Label Studio writes it), else the
//! caller's. The flags become attributes (`truncated`, `difficult`, `occluded`: `"0"` or `"1"`). Reading is strict:
//! a box with no area, outside a positive image size, or with a coordinate that is not a number is an error naming
//! the line.

use super::label_studio::{LsAnnotation, LsExport, Region};
use super::WriteError;
use crate::error::InputError;
use crate::model::BoxRegion;

/// The control VOC boxes are read under.
pub const CONTROL: &str = "objects";
const FLAGS: [&str; 3] = ["truncated", "difficult", "occluded"];

/// Reads one image's file.
pub fn read_voc(file: &str, xml: &str, annotator: &str) -> Result<LsExport, InputError> {
    let doc =
        roxmltree::Document::parse(xml).map_err(|e| InputError::at_line(file, e.pos().row as usize, e.to_string()))?;
    let line = |n: roxmltree::Node| doc.text_pos_at(n.range().start).row as usize;
    let root = doc.root_element();
    if root.tag_name().name() != "annotation" {
        return Err(InputError::at_line(
            file,
            line(root),
            format!("<{}> is not a VOC <annotation>", root.tag_name().name()),
        ));
    }
    let number = |n: roxmltree::Node, tag: &str| -> Result<f64, InputError> {
        let t = text_of(n, tag).ok_or_else(|| InputError::at_line(file, line(n), format!("missing <{tag}>")))?;
        t.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
            InputError::at_line(file, line(child(n, tag).unwrap_or(n)), format!("<{tag}> `{t}` is not a number"))
        })
    };
    let image = text_of(root, "filename")
        .filter(|f| !f.is_empty())
        .ok_or_else(|| InputError::at_line(file, line(root), "missing <filename>: the image the boxes are on"))?
        .to_string();
    let size = child(root, "size").ok_or_else(|| InputError::at_line(file, line(root), "missing <size>"))?;
    let (width, height) = (number(size, "width")?, number(size, "height")?);
    if width <= 0.0 || height <= 0.0 {
        return Err(InputError::at_line(file, line(size), "the image size must be positive"));
    }
    let who =
        child(root, "source").and_then(|s| text_of(s, "annotator")).filter(|a| !a.is_empty()).unwrap_or(annotator);
    let mut regions = Vec::new();
    for object in root.children().filter(|c| c.has_tag_name("object")) {
        let name = text_of(object, "name")
            .filter(|n| !n.is_empty())
            .ok_or_else(|| InputError::at_line(file, line(object), "an <object> with no <name>"))?;
        let b = child(object, "bndbox")
            .ok_or_else(|| InputError::at_line(file, line(object), "an <object> with no <bndbox>"))?;
        let (x0, y0, x1, y1) = (number(b, "xmin")?, number(b, "ymin")?, number(b, "xmax")?, number(b, "ymax")?);
        if x1 <= x0 || y1 <= y0 {
            return Err(InputError::at_line(file, line(b), format!("box ({x0}, {y0})–({x1}, {y1}) has no area")));
        }
        let mut attributes = std::collections::BTreeMap::new();
        for flag in FLAGS {
            if let Some(v) = text_of(object, flag) {
                attributes.insert(flag.to_string(), vec![v.to_string()]);
            }
        }
        regions.push(Region::Rect {
            control: CONTROL.into(),
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
            labels: vec![name.to_string()],
            attributes,
            image: (width, height),
        });
    }
    let mut data = serde_json::Map::new();
    data.insert("image".into(), serde_json::Value::String(image.clone()));
    Ok(LsExport {
        tasks: vec![(image.clone(), data)],
        annotations: vec![LsAnnotation::made_by(image, who, regions)],
        ..LsExport::default()
    })
}

/// One image's boxes as a VOC file; `filename` names the image. Coordinates are written as they are (not rounded).
pub fn write_voc(
    filename: &str,
    width: f64,
    height: f64,
    boxes: &[BoxRegion],
    annotator: &str,
) -> Result<String, WriteError> {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotation>\n");
    xml += &format!("  <filename>{}</filename>\n", escape(filename));
    if !annotator.is_empty() {
        xml += &format!("  <source><annotator>{}</annotator></source>\n", escape(annotator));
    }
    xml += &format!("  <size><width>{width}</width><height>{height}</height><depth>3</depth></size>\n");
    for b in boxes {
        xml += &format!("  <object>\n    <name>{}</name>\n", escape(&b.label));
        for flag in FLAGS {
            if let Some(v) = b.attributes.get(flag) {
                let v = match v {
                    serde_json::Value::Bool(true) => "1".to_string(),
                    serde_json::Value::Bool(false) => "0".to_string(),
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                xml += &format!("    <{flag}>{}</{flag}>\n", escape(&v));
            }
        }
        xml += &format!(
            "    <bndbox><xmin>{}</xmin><ymin>{}</ymin><xmax>{}</xmax><ymax>{}</ymax></bndbox>\n  </object>\n",
            b.x,
            b.y,
            b.x + b.w,
            b.y + b.h
        );
    }
    xml += "</annotation>\n";
    Ok(xml)
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, tag: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name(tag))
}

fn text_of<'a>(n: roxmltree::Node<'a, '_>, tag: &str) -> Option<&'a str> {
    child(n, tag).and_then(|c| c.text()).map(str::trim)
}

/// Text for XML content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Records on image tasks as Pascal VOC files, `<image stem>.xml` per record: the boxes of every box control, the
/// record's annotator in `<source><annotator>`. A task without its natural size is an error naming it.
pub fn write_voc_records(
    tasks: &[&crate::model::Task],
    records: &[crate::bundle::AnnotationRecord],
    _schema: &crate::model::Schema,
) -> Result<Vec<(String, String)>, WriteError> {
    use crate::model::ControlValue;
    let mut files = Vec::new();
    for r in records {
        let Some(task) = tasks.iter().find(|t| t.id == r.task) else { continue };
        let (Some(w), Some(h)) = (task.data.width, task.data.height) else {
            return Err(WriteError::NoImageSize { task: task.id.clone(), needed_by: "Pascal VOC" });
        };
        let boxes: Vec<BoxRegion> = r
            .result
            .0
            .values()
            .filter_map(|v| match v {
                ControlValue::Boxes(b) => Some(b.iter().cloned()),
                _ => None,
            })
            .flatten()
            .collect();
        let image = task.data.image.clone().unwrap_or_else(|| task.id.clone());
        let name = image.rsplit('/').next().unwrap_or(&image).to_string();
        files.push((format!("{}.xml", super::yolo::image_stem(&image)), write_voc(&name, w, h, &boxes, &r.annotator)?));
    }
    Ok(files)
}
