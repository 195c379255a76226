//! CVAT for images 1.1 XML (`annotations.xml` of a task or job export; one file per annotator or job): an
//! `<image id name width height>` per image holding
//! - `<box label xtl ytl xbr ybr occluded>` — a box in pixels;
//! - `<polygon label points="x1,y1;x2,y2;…">` — a polygon in pixels;
//! - `<tag label>` — an image-level label;
//! - each with `<attribute name="…">value</attribute>` children.
//!
//! Format: <https://docs.cvat.ai/docs/other/xml_format/> (version 1.1, annotation mode). The image (by `name`) is the
//! task; the annotator is the caller's (the file's). Other shapes (`polyline`, `points`, `ellipse`, `cuboid`, `mask`,
//! `skeleton`) and video tracks are counted in `skipped_types`, never read as something else. `occluded="1"` becomes
//! the attribute `occluded` (CVAT writes `0` on every shape, so an unset flag is left out). Reading is strict: a box with no area, a polygon with fewer than three points, a
//! coordinate that is not a number, or an image without a positive size is an error naming the line.

use std::collections::BTreeMap;

use super::label_studio::{LsAnnotation, LsExport, Region};
use super::voc::escape;
use super::WriteError;
use crate::error::InputError;
use crate::model::{BoxRegion, PolygonRegion};

/// The controls CVAT's shapes are read under.
pub const BOXES: &str = "box";
/// Polygons.
pub const POLYGONS: &str = "polygon";
/// Tags.
pub const TAGS: &str = "tag";
const OTHER_SHAPES: [&str; 7] = ["polyline", "points", "ellipse", "cuboid", "mask", "skeleton", "track"];

/// Reads one annotator's (or job's) file.
pub fn read_cvat(file: &str, xml: &str, annotator: &str) -> Result<LsExport, InputError> {
    let doc =
        roxmltree::Document::parse(xml).map_err(|e| InputError::at_line(file, e.pos().row as usize, e.to_string()))?;
    let line = |n: roxmltree::Node| doc.text_pos_at(n.range().start).row as usize;
    let root = doc.root_element();
    if root.tag_name().name() != "annotations" {
        return Err(InputError::at_line(
            file,
            line(root),
            format!("<{}> is not CVAT's <annotations>", root.tag_name().name()),
        ));
    }
    if let Some(v) = root.children().find(|c| c.has_tag_name("version")).and_then(|v| v.text()) {
        if !v.trim().starts_with("1.") {
            return Err(InputError::at_line(file, 1, format!("CVAT XML version {} (1.x is read)", v.trim())));
        }
    }
    let num = |n: roxmltree::Node, attr: &str| -> Result<f64, InputError> {
        let v = n
            .attribute(attr)
            .ok_or_else(|| InputError::at_line(file, line(n), format!("<{}> has no `{attr}`", n.tag_name().name())))?;
        v.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| InputError::at_line(file, line(n), format!("`{attr}=\"{v}\"` is not a number")))
    };
    let mut out = LsExport::default();
    let tracks = root.children().filter(|c| c.has_tag_name("track")).count();
    if tracks > 0 {
        out.skipped_types.insert("cvat track".into(), tracks);
    }
    for image in root.children().filter(|c| c.has_tag_name("image")) {
        let name = image
            .attribute("name")
            .filter(|n| !n.is_empty())
            .ok_or_else(|| InputError::at_line(file, line(image), "an <image> with no `name`"))?
            .to_string();
        let (width, height) = (num(image, "width")?, num(image, "height")?);
        if width <= 0.0 || height <= 0.0 {
            return Err(InputError::at_line(file, line(image), format!("image `{name}`: its size must be positive")));
        }
        let mut regions = Vec::new();
        let mut tags = Vec::new();
        for shape in image.children().filter(roxmltree::Node::is_element) {
            let kind = shape.tag_name().name();
            if OTHER_SHAPES.contains(&kind) {
                *out.skipped_types.entry(format!("cvat {kind}")).or_insert(0) += 1;
                continue;
            }
            let label = shape
                .attribute("label")
                .filter(|l| !l.is_empty())
                .ok_or_else(|| InputError::at_line(file, line(shape), format!("a <{kind}> with no `label`")))?
                .to_string();
            let mut attributes: BTreeMap<String, Vec<String>> = shape
                .children()
                .filter(|c| c.has_tag_name("attribute"))
                .filter_map(|a| Some((a.attribute("name")?.to_string(), vec![a.text().unwrap_or("").to_string()])))
                .collect();
            // CVAT writes `occluded="0"` on every shape, so only a set flag says something.
            if shape.attribute("occluded") == Some("1") {
                attributes.insert("occluded".into(), vec!["1".to_string()]);
            }
            match kind {
                "box" => {
                    let (x0, y0, x1, y1) =
                        (num(shape, "xtl")?, num(shape, "ytl")?, num(shape, "xbr")?, num(shape, "ybr")?);
                    if x1 <= x0 || y1 <= y0 {
                        return Err(InputError::at_line(
                            file,
                            line(shape),
                            format!("box ({x0}, {y0})–({x1}, {y1}) has no area"),
                        ));
                    }
                    regions.push(Region::Rect {
                        control: BOXES.into(),
                        x: x0,
                        y: y0,
                        w: x1 - x0,
                        h: y1 - y0,
                        labels: vec![label],
                        attributes,
                        image: (width, height),
                    });
                }
                "polygon" => {
                    let raw = shape.attribute("points").unwrap_or("");
                    let points = raw
                        .split(';')
                        .map(|p| {
                            let (x, y) = p.split_once(',')?;
                            Some([x.trim().parse::<f64>().ok()?, y.trim().parse::<f64>().ok()?])
                        })
                        .collect::<Option<Vec<[f64; 2]>>>()
                        .filter(|p| p.len() >= 3 && p.iter().all(|q| q[0].is_finite() && q[1].is_finite()))
                        .ok_or_else(|| {
                            InputError::at_line(
                                file,
                                line(shape),
                                "a <polygon> needs `points=\"x,y;x,y;x,y…\"`, three or more",
                            )
                        })?;
                    regions.push(Region::Polygon {
                        control: POLYGONS.into(),
                        points,
                        labels: vec![label],
                        attributes,
                        image: (width, height),
                    });
                }
                "tag" => tags.push(label),
                other => {
                    *out.skipped_types.entry(format!("cvat {other}")).or_insert(0) += 1;
                }
            }
        }
        if !tags.is_empty() {
            regions.push(Region::Choices { control: TAGS.into(), choices: tags });
        }
        let mut data = serde_json::Map::new();
        data.insert("image".into(), serde_json::Value::String(name.clone()));
        out.tasks.push((name.clone(), data));
        out.annotations.push(LsAnnotation::made_by(name, annotator, regions));
    }
    Ok(out)
}

/// One image of a CVAT file: its name, size, boxes, polygons and tags.
pub struct CvatImage<'a> {
    /// The image's name.
    pub name: &'a str,
    /// Its natural width.
    pub width: f64,
    /// Its natural height.
    pub height: f64,
    /// Boxes, in pixels.
    pub boxes: &'a [BoxRegion],
    /// Polygons, in pixels.
    pub polygons: &'a [PolygonRegion],
    /// Image-level labels.
    pub tags: &'a [String],
}

/// A CVAT for images 1.1 file with `labels` declared in its meta; region attributes become `<attribute>`s
/// (`occluded` the shape's own flag).
pub fn write_cvat(images: &[CvatImage], labels: &[String]) -> Result<String, WriteError> {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotations>\n  <version>1.1</version>\n");
    xml += "  <meta>\n    <task>\n      <mode>annotation</mode>\n      <labels>\n";
    for l in labels {
        xml += &format!("        <label><name>{}</name></label>\n", escape(l));
    }
    xml += "      </labels>\n    </task>\n  </meta>\n";
    let value = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    };
    for (k, im) in images.iter().enumerate() {
        xml += &format!(
            "  <image id=\"{k}\" name=\"{}\" width=\"{}\" height=\"{}\">\n",
            escape(im.name),
            im.width,
            im.height
        );
        let attributes = |attrs: &BTreeMap<String, serde_json::Value>| {
            attrs
                .iter()
                .filter(|(n, _)| n.as_str() != "occluded")
                .map(|(n, v)| format!("      <attribute name=\"{}\">{}</attribute>\n", escape(n), escape(&value(v))))
                .collect::<String>()
        };
        let occluded = |attrs: &BTreeMap<String, serde_json::Value>| match attrs.get("occluded") {
            Some(serde_json::Value::Bool(true)) => "1".to_string(),
            Some(serde_json::Value::Bool(false)) | None => "0".to_string(),
            Some(v) => value(v),
        };
        for b in im.boxes {
            xml += &format!(
                "    <box label=\"{}\" occluded=\"{}\" xtl=\"{}\" ytl=\"{}\" xbr=\"{}\" ybr=\"{}\">\n{}    </box>\n",
                escape(&b.label),
                escape(&occluded(&b.attributes)),
                b.x,
                b.y,
                b.x + b.w,
                b.y + b.h,
                attributes(&b.attributes)
            );
        }
        for p in im.polygons {
            let points: Vec<String> = p.points.iter().map(|q| format!("{},{}", q[0], q[1])).collect();
            xml += &format!(
                "    <polygon label=\"{}\" occluded=\"{}\" points=\"{}\">\n{}    </polygon>\n",
                escape(&p.label),
                escape(&occluded(&p.attributes)),
                points.join(";"),
                attributes(&p.attributes)
            );
        }
        for t in im.tags {
            xml += &format!("    <tag label=\"{}\" source=\"manual\"></tag>\n", escape(t));
        }
        xml += "  </image>\n";
    }
    xml += "</annotations>\n";
    Ok(xml)
}

/// Records on a project's image tasks as one CVAT file: every box and polygon control's regions, every choice
/// control's labels as tags, the schema's labels declared. A task without its natural size is an error naming it.
pub fn write_cvat_records(
    tasks: &[&crate::model::Task],
    records: &[crate::bundle::AnnotationRecord],
    schema: &crate::model::Schema,
) -> Result<String, WriteError> {
    use crate::model::ControlValue;
    let mut owned = Vec::new();
    for r in records {
        let Some(task) = tasks.iter().find(|t| t.id == r.task) else { continue };
        let (Some(w), Some(h)) = (task.data.width, task.data.height) else {
            return Err(WriteError::NoImageSize { task: task.id.clone(), needed_by: "CVAT" });
        };
        let (mut boxes, mut polygons, mut tags) = (Vec::new(), Vec::new(), Vec::new());
        for value in r.result.0.values() {
            match value {
                ControlValue::Boxes(v) => boxes.extend(v.iter().cloned()),
                ControlValue::Polygons(v) => polygons.extend(v.iter().cloned()),
                ControlValue::Choices(v) => tags.extend(v.iter().cloned()),
                // CVAT's image XML has no 3D boxes; cuboids export as KITTI or nuScenes JSON.
                ControlValue::Spans(_) => {}
                #[cfg(feature = "scene")]
                ControlValue::Cuboids(_) => {}
            }
        }
        owned.push((task.data.image.clone().unwrap_or_else(|| task.id.clone()), w, h, boxes, polygons, tags));
    }
    let images: Vec<CvatImage> = owned
        .iter()
        .map(|(name, w, h, b, p, t)| CvatImage { name, width: *w, height: *h, boxes: b, polygons: p, tags: t })
        .collect();
    let labels: Vec<String> = schema.controls.iter().flat_map(|c| c.labels.iter().map(|l| l.value.clone())).collect();
    write_cvat(&images, &labels)
}
