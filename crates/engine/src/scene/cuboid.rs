//! Reading cuboid lists in any of the formats Concord knows.

use crate::error::InputError;
use crate::model::Cuboid;

/// Reads cuboids from JSON (a list of [`Cuboid`]), naming the path of a bad value.
pub fn parse_cuboids(file: &str, text: &str) -> Result<Vec<Cuboid>, InputError> {
    let v: Vec<Cuboid> = crate::json_path::from_str(text).map_err(|e| InputError::from_json_document(file, e))?;
    for (i, c) in v.iter().enumerate() {
        if !c.is_valid() {
            return Err(InputError::at_path(file, format!("$[{i}]"), "centre, size and yaw must be finite, sizes > 0"));
        }
    }
    Ok(v)
}

/// Reads cuboids in whichever format `text` is: a JSON list of sample annotations (nuScenes-style, its items have
/// a `sample_token`), a JSON list of [`Cuboid`]s, or KITTI tracking labels (any text not starting with `[`).
pub fn read_cuboids(file: &str, text: &str) -> Result<Vec<Cuboid>, InputError> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('[') {
        return super::read_kitti_labels(file, text);
    }
    let first_is_nuscenes = trimmed[1..].trim_start().starts_with('{')
        && serde_json::from_str::<Vec<serde_json::Value>>(text)
            .ok()
            .and_then(|v| v.first().map(|f| f.get("sample_token").is_some()))
            .unwrap_or(false);
    if first_is_nuscenes {
        super::read_nuscenes(file, text)
    } else {
        parse_cuboids(file, text)
    }
}

/// Cuboids read from a file (`read_cuboids`) for a sequence: each cuboid's frame must be one of `frames` and its label
/// one of `labels`; they come back grouped by frame, in file order, as keyframes. An error names the file, the
/// cuboid (its place among the file's cuboids, its frame and label) and why; nothing is taken from a file with one.
pub fn cuboids_by_frame(
    file: &str,
    cuboids: Vec<Cuboid>,
    frames: &[i64],
    labels: &[&str],
) -> Result<std::collections::BTreeMap<i64, Vec<Cuboid>>, InputError> {
    if cuboids.is_empty() {
        return Err(InputError::whole(file, "no cuboids in the file"));
    }
    let mut out: std::collections::BTreeMap<i64, Vec<Cuboid>> = std::collections::BTreeMap::new();
    for (i, c) in cuboids.into_iter().enumerate() {
        let which = format!("cuboid {} (frame {}, {})", i + 1, c.frame, c.label);
        if !frames.contains(&c.frame) {
            let (lo, hi) = (frames.iter().min(), frames.iter().max());
            let span = lo.zip(hi).map(|(lo, hi)| format!("frames {lo}–{hi}")).unwrap_or_else(|| "no frames".into());
            return Err(InputError::whole(
                file,
                format!("{which}: frame {} is not in this sequence ({span})", c.frame),
            ));
        }
        if !labels.contains(&c.label.as_str()) {
            return Err(InputError::whole(
                file,
                format!("{which}: `{}` is not a label of the project ({})", c.label, labels.join(", ")),
            ));
        }
        out.entry(c.frame).or_default().push(Cuboid { interpolated: false, ..c });
    }
    Ok(out)
}

/// An angle in (−π, π].
pub fn wrap_angle(a: f64) -> f64 {
    let tau = std::f64::consts::TAU;
    let r = a.rem_euclid(tau);
    if r > std::f64::consts::PI {
        r - tau
    } else {
        r
    }
}
