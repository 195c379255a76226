//! YOLO (Darknet / Ultralytics) txt labels: a classes file (`classes.txt`, one name per line, the line's index is
//! the class id) and one label file per image, named after the image's stem, with a line per region:
//! - a box: `class cx cy w h`, the centre and size as fractions of the image's width and height;
//! - a polygon (Ultralytics segmentation): `class x1 y1 x2 y2 … xn yn`, n ≥ 3, fractions.
//!
//! Fractions become pixels with the image's natural size; the format carries none, so the caller gives it (a
//! bundle's task, a COCO file's image entry). A trailing confidence (`class cx cy w h conf`, Ultralytics'
//! `save_conf`) is read as the region's score. Reading is strict: a line that is neither shape, a class with no
//! name, a fraction outside [0, 1] by more than rounding, or a box with no area is an error naming the line.
//! YOLO has no annotator and no attributes: one label folder is one annotator's work.

use crate::error::InputError;
use crate::model::{BoxRegion, PolygonRegion};

/// What one label file holds, in pixels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YoloLabels {
    /// Box lines, in file order.
    pub boxes: Vec<BoxRegion>,
    /// Polygon lines, in file order.
    pub polygons: Vec<PolygonRegion>,
}

/// Fractions may overshoot [0, 1] by this much (converters round corners computed in pixels).
const SLACK: f64 = 1e-6;

/// The classes file: one name per line; blank lines at the end are ignored, blank lines between names are not
/// (they would shift every later class id).
pub fn read_yolo_classes(file: &str, text: &str) -> Result<Vec<String>, InputError> {
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().map(str::trim).collect();
    let used = lines.iter().rposition(|l| !l.is_empty()).map_or(0, |i| i + 1);
    let mut names: Vec<String> = Vec::with_capacity(used);
    for (i, name) in lines[..used].iter().enumerate() {
        if name.is_empty() {
            return Err(InputError::at_line(
                file,
                i + 1,
                "a blank line between class names would shift every later class id",
            ));
        }
        if let Some(first) = names.iter().position(|n| n == name) {
            return Err(InputError::at_line(file, i + 1, format!("class `{name}` is also class {first}")));
        }
        names.push(name.to_string());
    }
    if names.is_empty() {
        return Err(InputError::whole(file, "no class names"));
    }
    Ok(names)
}

/// One image's label file, in pixels of a `width` × `height` image.
pub fn read_yolo_labels(
    file: &str,
    text: &str,
    classes: &[String],
    width: f64,
    height: f64,
) -> Result<YoloLabels, InputError> {
    let mut out = YoloLabels::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let err = |why: String| InputError::at_line(file, i + 1, why);
        let mut fields = line.split_ascii_whitespace();
        let class = fields.next().unwrap_or("");
        let label = class
            .parse::<usize>()
            .ok()
            .and_then(|c| classes.get(c))
            .ok_or_else(|| {
                err(format!("class `{class}` is not a line of the classes file ({} classes)", classes.len()))
            })?
            .clone();
        let numbers = fields
            .map(|f| {
                f.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| err(format!("`{f}` is not a number")))
            })
            .collect::<Result<Vec<f64>, _>>()?;
        let fraction = |v: f64, what: &str| {
            if (-SLACK..=1.0 + SLACK).contains(&v) {
                Ok(v.clamp(0.0, 1.0))
            } else {
                Err(err(format!("{what} {v} is not a fraction of the image (0–1)")))
            }
        };
        match numbers.len() {
            4 | 5 => {
                let (cx, cy) = (fraction(numbers[0], "x centre")?, fraction(numbers[1], "y centre")?);
                let (w, h) = (fraction(numbers[2], "width")?, fraction(numbers[3], "height")?);
                if w <= 0.0 || h <= 0.0 {
                    return Err(err("a box with no area".into()));
                }
                out.boxes.push(BoxRegion {
                    x: (cx - w / 2.0) * width,
                    y: (cy - h / 2.0) * height,
                    w: w * width,
                    h: h * height,
                    label,
                    attributes: Default::default(),
                    score: numbers.get(4).copied(),
                });
            }
            n if n >= 6 && n % 2 == 0 => {
                let points = numbers
                    .chunks(2)
                    .map(|p| Ok([fraction(p[0], "x")? * width, fraction(p[1], "y")? * height]))
                    .collect::<Result<Vec<[f64; 2]>, InputError>>()?;
                out.polygons.push(PolygonRegion { points, label, attributes: Default::default(), score: None });
            }
            n => {
                return Err(err(format!(
                    "{n} numbers after the class: a box has 4 (cx cy w h, and maybe a confidence), a polygon an even \
                     number from 6"
                )))
            }
        }
    }
    Ok(out)
}

/// The classes file for `labels`, in order.
pub fn write_yolo_classes(labels: &[String]) -> String {
    labels.iter().map(|l| format!("{l}\n")).collect()
}

/// One image's label file from its regions in pixels of a `width` × `height` image; a label not in `classes` is an
/// error naming it. Numbers are written in full (Rust's shortest round-trip form), so reading them back gives the
/// pixels to within rounding of the division.
pub fn write_yolo_labels(
    image: &str,
    boxes: &[BoxRegion],
    polygons: &[PolygonRegion],
    classes: &[String],
    width: f64,
    height: f64,
) -> Result<String, super::WriteError> {
    let class = |label: &str| {
        classes
            .iter()
            .position(|c| c == label)
            .ok_or_else(|| super::WriteError::NotACategory { image: image.to_string(), label: label.to_string() })
    };
    let mut text = String::new();
    for b in boxes {
        let c = class(&b.label)?;
        let (cx, cy) = ((b.x + b.w / 2.0) / width, (b.y + b.h / 2.0) / height);
        text += &format!("{c} {cx} {cy} {} {}\n", b.w / width, b.h / height);
    }
    for p in polygons {
        let c = class(&p.label)?;
        text += &c.to_string();
        for q in &p.points {
            text += &format!(" {} {}", q[0] / width, q[1] / height);
        }
        text.push('\n');
    }
    Ok(text)
}

/// One image's label file as an annotation of task `task` (the image's stem) by `annotator`, in fractions of the
/// image (a 1 × 1 image: YOLO carries no size). Agreement and consensus compare regions by IoU, which a scaling of
/// each axis leaves unchanged, so the figures are those of the pixels.
pub fn read_yolo_annotation(
    file: &str,
    text: &str,
    classes: &[String],
    task: &str,
    annotator: &str,
) -> Result<super::label_studio::LsExport, InputError> {
    use super::label_studio::{LsAnnotation, LsExport, Region};
    let read = read_yolo_labels(file, text, classes, 1.0, 1.0)?;
    let mut regions: Vec<Region> = read
        .boxes
        .into_iter()
        .map(|b| Region::Rect {
            control: "objects".into(),
            x: b.x,
            y: b.y,
            w: b.w,
            h: b.h,
            labels: vec![b.label],
            attributes: Default::default(),
            image: (1.0, 1.0),
        })
        .collect();
    regions.extend(read.polygons.into_iter().map(|p| Region::Polygon {
        control: "objects".into(),
        points: p.points,
        labels: vec![p.label],
        attributes: Default::default(),
        image: (1.0, 1.0),
    }));
    let mut data = serde_json::Map::new();
    data.insert("image".into(), serde_json::Value::String(task.to_string()));
    Ok(LsExport {
        tasks: vec![(task.to_string(), data)],
        annotations: vec![LsAnnotation::made_by(task.to_string(), annotator, regions)],
        ..LsExport::default()
    })
}

/// Where a YOLO label file belongs, from its path (`ann/labels/a.txt`, folders separated by `/`): its annotator's
/// folder — the one holding `labels/`, else its own (`ann`) — and its task, the file's stem (`a`). Ultralytics and
/// Label Studio lay a dataset out as `classes.txt` beside `labels/`.
pub fn label_file_place(path: &str) -> (&str, &str) {
    let (folder, file) = path.rsplit_once('/').unwrap_or(("", path));
    let owner = if folder == "labels" { "" } else { folder.strip_suffix("/labels").unwrap_or(folder) };
    (owner, file.rsplit_once('.').map_or(file, |(stem, _)| stem))
}

/// The annotator an annotator's folder names: its last part (`annotator` for none).
pub fn folder_annotator(folder: &str) -> &str {
    folder.rsplit('/').next().filter(|name| !name.is_empty()).unwrap_or("annotator")
}

/// Whether `head` reads as a YOLO label file: its first line a class number and four or more numbers.
pub fn looks_like_yolo(head: &str) -> bool {
    let Some(first) = head.lines().find(|l| !l.trim().is_empty()) else { return false };
    let mut fields = first.split_ascii_whitespace();
    fields.next().is_some_and(|c| c.parse::<usize>().is_ok())
        && fields.clone().count() >= 4
        && fields.all(|f| f.parse::<f64>().is_ok())
}

/// An image path's file name without its extension: the name of its YOLO label file (and VOC file).
pub fn image_stem(image: &str) -> String {
    let name = image.rsplit('/').next().unwrap_or(image);
    name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
}

/// Records on image tasks as a YOLO folder: `classes.txt` (the labels of every box and polygon control, in schema
/// order) and `labels/<image stem>.txt` per record. A task without its natural size is an error naming it.
pub fn write_yolo_records(
    tasks: &[&crate::model::Task],
    records: &[crate::bundle::AnnotationRecord],
    schema: &crate::model::Schema,
) -> Result<Vec<(String, String)>, super::WriteError> {
    use crate::model::{ControlKind, ControlValue};
    let classes: Vec<String> = schema
        .controls
        .iter()
        .filter(|c| matches!(c.kind, ControlKind::Boxes | ControlKind::Polygons))
        .flat_map(|c| c.labels.iter().map(|l| l.value.clone()))
        .collect();
    let mut files = vec![("classes.txt".to_string(), write_yolo_classes(&classes))];
    for r in records {
        let Some(task) = tasks.iter().find(|t| t.id == r.task) else { continue };
        let (Some(w), Some(h)) = (task.data.width, task.data.height) else {
            return Err(super::WriteError::NoImageSize { task: task.id.clone(), needed_by: "YOLO" });
        };
        let (mut boxes, mut polygons) = (Vec::new(), Vec::new());
        for value in r.result.0.values() {
            match value {
                ControlValue::Boxes(v) => boxes.extend(v.iter().cloned()),
                ControlValue::Polygons(v) => polygons.extend(v.iter().cloned()),
                _ => {}
            }
        }
        let image = task.data.image.clone().unwrap_or_else(|| task.id.clone());
        let text = write_yolo_labels(&image, &boxes, &polygons, &classes, w, h)?;
        files.push((format!("labels/{}.txt", image_stem(&image)), text));
    }
    Ok(files)
}
