//! Every rule checked against the schema when the file is read: the controls, labels and attributes it names exist,
//! the control is of a type the check applies to, and its numbers are in range.

use super::check::{Check, SceneCheck};
use crate::model::{ControlKind, Schema};

type Checked = Result<(), (String, String)>;

/// Every control, label and attribute the check names exists, and the control is of a type the check applies to.
pub(super) fn check_against_schema(check: &Check, schema: Option<&Schema>) -> Checked {
    use ControlKind::*;
    const ANY: &[ControlKind] = &[SingleChoice, MultiChoice, Rating, Spans, Boxes, Polygons, Cuboids];
    let control = |name: &str, kinds: &[ControlKind]| -> Checked {
        let Some(schema) = schema else { return Ok(()) };
        let c = schema.control(name).ok_or_else(|| (".control".to_string(), format!("unknown control `{name}`")))?;
        if !kinds.contains(&c.kind) {
            return Err((
                ".control".into(),
                format!("control `{name}` is {:?}; this rule applies to {kinds:?}", c.kind),
            ));
        }
        Ok(())
    };
    let label = |ctl: &str, label: &str, field: &str| -> Checked {
        match schema.and_then(|s| s.control(ctl)) {
            Some(c) if c.label_index(label).is_none() => {
                Err((format!(".{field}"), format!("unknown label `{label}` in control `{ctl}`")))
            }
            _ => Ok(()),
        }
    };
    let opt_label = |ctl: &str, l: &Option<String>| l.as_deref().map_or(Ok(()), |l| label(ctl, l, "label"));
    let range = |field: &str, lo: f64, hi: f64| -> Checked {
        if lo.is_finite() && hi.is_finite() && lo <= hi {
            Ok(())
        } else {
            Err((format!(".{field}"), format!("need min ≤ max (got {lo}, {hi})")))
        }
    };
    match check {
        Check::Count { control: c, label: l, min, max } => {
            control(c, ANY)?;
            opt_label(c, l)?;
            match (min, max) {
                (Some(a), Some(b)) if a > b => Err((".min".into(), format!("min {a} is above max {b}"))),
                _ => Ok(()),
            }
        }
        Check::AllowedLabels { control: c, labels } => {
            control(c, ANY)?;
            labels.iter().enumerate().try_for_each(|(i, l)| label(c, l, &format!("labels[{i}]")))
        }
        Check::RequiredAttributes { control: c, label: l, attributes } => {
            control(c, &[Spans, Boxes, Polygons])?;
            label(c, l, "label")?;
            let known = schema.and_then(|s| s.control(c)).and_then(|ctl| ctl.labels.iter().find(|x| x.value == *l));
            if let Some(lab) = known {
                for (i, a) in attributes.iter().enumerate() {
                    if !lab.attributes.iter().any(|x| &x.name == a) {
                        return Err((format!(".attributes[{i}]"), format!("label `{l}` has no attribute `{a}`")));
                    }
                }
            }
            Ok(())
        }
        Check::IfLabelThenAttribute { control: c, label: l, .. } => {
            control(c, &[Spans, Boxes, Polygons])?;
            label(c, l, "label")
        }
        Check::IfChoiceThenForbid { if_control, if_label, control: c, label: l } => {
            control(if_control, &[SingleChoice, MultiChoice, Rating])
                .map_err(|(_, w)| (".if_control".to_string(), w))?;
            label(if_control, if_label, "if_label")?;
            control(c, ANY)?;
            opt_label(c, l)
        }
        Check::TokenBoundaries { control: c } | Check::NoEdgeWhitespace { control: c } => control(c, &[Spans]),
        Check::MaxLength { control: c, label: l, .. } => {
            control(c, &[Spans])?;
            opt_label(c, l)
        }
        Check::NoOverlap { control: c, labels } => {
            control(c, &[Spans])?;
            labels.iter().enumerate().try_for_each(|(i, l)| label(c, l, &format!("labels[{i}]")))
        }
        Check::Regex { control: c, label: l, .. } => {
            control(c, &[Spans])?;
            label(c, l, "label")
        }
        Check::InsideImage { control: c, .. } => control(c, &[Boxes, Polygons]),
        Check::SimplePolygon { control: c } => control(c, &[Polygons]),
        Check::MinSize { control: c, label: l, .. } => {
            control(c, &[Boxes, Polygons])?;
            opt_label(c, l)
        }
        Check::MaxOverlap { control: c, label: l, .. } => {
            control(c, &[Boxes])?;
            opt_label(c, l)
        }
        Check::AspectRatio { control: c, label: l, min, max } => {
            control(c, &[Boxes])?;
            opt_label(c, l)?;
            range("min", *min, *max)
        }
        Check::Nested { control: c, inner, outer, .. } => {
            control(c, &[Boxes])?;
            label(c, inner, "inner")?;
            label(c, outer, "outer")
        }
        Check::ModelConflict { control: c, min_score } => {
            control(c, &[SingleChoice, MultiChoice, Rating, Boxes, Polygons, Spans])?;
            if (0.0..=1.0).contains(min_score) {
                Ok(())
            } else {
                Err((".min_score".into(), format!("{min_score} is not a probability")))
            }
        }
        Check::Scene(scene) => {
            scene_labels_known(scene, schema)?;
            scene_in_range(scene, range)
        }
    }
}

/// The labels a scene check names are cuboid labels of the schema (when it has a cuboid control: a rule file read
/// without a point-cloud schema, as `concord validate --cuboids` reads one, names any).
fn scene_labels_known(check: &SceneCheck, schema: Option<&Schema>) -> Checked {
    let Some(schema) = schema else { return Ok(()) };
    let known: Vec<&str> = schema
        .controls
        .iter()
        .filter(|c| c.kind == ControlKind::Cuboids)
        .flat_map(|c| c.labels.iter().map(|l| l.value.as_str()))
        .collect();
    if known.is_empty() {
        return Ok(());
    }
    let named: Vec<(String, &str)> = match check {
        SceneCheck::CuboidSize { label, .. }
        | SceneCheck::MaxSpeed { label, .. }
        | SceneCheck::MaxAcceleration { label, .. }
        | SceneCheck::MinPoints { label: Some(label), .. } => vec![(".label".into(), label.as_str())],
        SceneCheck::NoIntersection { labels } => {
            labels.iter().enumerate().map(|(i, l)| (format!(".labels[{i}]"), l.as_str())).collect()
        }
        SceneCheck::MinPoints { label: None, .. } | SceneCheck::AboveGround { .. } | SceneCheck::TrackSize { .. } => {
            Vec::new()
        }
    };
    match named.into_iter().find(|(_, l)| !known.contains(l)) {
        Some((path, l)) => Err((path, format!("unknown label `{l}`: the cuboid labels are {}", known.join(", ")))),
        None => Ok(()),
    }
}

/// A scene check's numbers are in range.
fn scene_in_range(check: &SceneCheck, range: impl Fn(&str, f64, f64) -> Checked) -> Checked {
    match check {
        SceneCheck::CuboidSize { length, width, height, .. } => {
            for (name, r) in [("length", length), ("width", width), ("height", height)] {
                if let Some([lo, hi]) = r {
                    range(name, *lo, *hi)?;
                }
            }
            Ok(())
        }
        SceneCheck::AboveGround { .. } | SceneCheck::NoIntersection { .. } => Ok(()),
        SceneCheck::MaxSpeed { fps, max_mps: limit, .. } => motion(*fps, ".max_mps", *limit),
        SceneCheck::MaxAcceleration { fps, max_mps2: limit, .. } => motion(*fps, ".max_mps2", *limit),
        SceneCheck::MinPoints { points, at_m, .. } => {
            if !(*points >= 1.0 && *at_m > 0.0) {
                Err((".points".into(), format!("{points} points at {at_m} m: at least 1 point at a positive distance")))
            } else {
                Ok(())
            }
        }
        SceneCheck::TrackSize { tolerance } => {
            if *tolerance >= 0.0 {
                Ok(())
            } else {
                Err((".tolerance".into(), format!("{tolerance} is below zero")))
            }
        }
    }
}

/// A motion rule's frame rate and limit, both above zero.
fn motion(fps: f64, limit_path: &str, limit: f64) -> Checked {
    if fps.is_nan() || fps <= 0.0 {
        Err((".fps".into(), "must be positive".into()))
    } else if limit.is_nan() || limit <= 0.0 {
        Err((limit_path.into(), format!("{limit} must be positive")))
    } else {
        Ok(())
    }
}
