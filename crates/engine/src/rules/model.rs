//! The model-conflict trigger: an annotation that disagrees with a confident prediction is flagged for review.
//! Choices: the model's top label has probability ≥ `min_score` and the annotator chose otherwise. Regions: a
//! predicted region with score ≥ `min_score` has no annotated region of the same label matching it (IoU ≥ 0.5 for
//! boxes and polygons, any overlap for spans).

use super::labels::{labels_of, Hit};
use super::{Subject, View};
use crate::model::{ControlValue, ImageRegion};

/// Confident predicted regions no annotated region of the same label matches (IoU ≥ 0.5).
fn unmatched_predictions<R: ImageRegion>(
    pred: &[R],
    given: &[R],
    score: fn(&R) -> Option<f64>,
    min_score: f64,
    control: &str,
    hit: &mut Hit,
) {
    for b in pred.iter().filter(|b| score(b).unwrap_or(0.0) >= min_score) {
        if given.iter().any(|g| g.label() == b.label() && g.iou(b) >= 0.5) {
            continue;
        }
        // A region annotated where the model sees one, with another label: the model would label it otherwise.
        match given.iter().position(|g| g.iou(b) >= 0.5) {
            Some(k) => hit(
                Some(control),
                Some(k),
                Some(format!(
                    "the model says `{}` ({:.0} %) for the `{}` here",
                    b.label(),
                    score(b).unwrap_or(0.0) * 100.0,
                    given[k].label()
                )),
            ),
            None => {
                hit(Some(control), None, Some(format!("the model sees a `{}` here that is not annotated", b.label())))
            }
        }
    }
}

pub(crate) fn model_conflict(s: &Subject, v: &View, control: &str, min_score: f64, hit: &mut Hit) {
    let Some(p) = s.prediction else { return };
    if let Some(scores) = p.scores.get(control).and_then(|v| v.as_object()) {
        let top = scores.iter().filter_map(|(l, v)| v.as_f64().map(|v| (l, v))).max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((label, score)) = top {
            let given = labels_of(v.value);
            if score >= min_score && !given.is_empty() && !given.contains(&label.as_str()) {
                hit(Some(control), None, Some(format!("the model says `{label}` with {:.0} %", score * 100.0)));
            }
        }
        return;
    }
    match (p.result.0.get(control), v.value) {
        (Some(ControlValue::Boxes(pred)), given) => {
            let given: &[_] = match given {
                Some(ControlValue::Boxes(g)) => g,
                _ => &[],
            };
            unmatched_predictions(pred, given, |b| b.score, min_score, control, hit);
        }
        (Some(ControlValue::Polygons(pred)), given) => {
            let given: &[_] = match given {
                Some(ControlValue::Polygons(g)) => g,
                _ => &[],
            };
            unmatched_predictions(pred, given, |p| p.score, min_score, control, hit);
        }
        #[cfg(feature = "scene")]
        (Some(ControlValue::Cuboids(pred)), given) => {
            let given: &[_] = match given {
                #[cfg(feature = "scene")]
                Some(ControlValue::Cuboids(g)) => g,
                _ => &[],
            };
            // A model's cuboid carries its confidence as KITTI does, in the `score` attribute.
            let score = |c: &crate::model::Cuboid| {
                c.attributes.get("score").and_then(|s| s.as_f64().or_else(|| s.as_str().and_then(|s| s.parse().ok())))
            };
            unmatched_predictions(pred, given, score, min_score, control, hit);
        }
        (Some(ControlValue::Spans(pred)), given) => {
            let given: &[_] = match given {
                Some(ControlValue::Spans(g)) => g,
                _ => &[],
            };
            for sp in pred.iter().filter(|x| x.score.unwrap_or(0.0) >= min_score) {
                if !given.iter().any(|g| g.label == sp.label && g.start < sp.end && sp.start < g.end) {
                    hit(
                        Some(control),
                        None,
                        Some(format!("the model marks {}..{} as `{}`", sp.start, sp.end, sp.label)),
                    );
                }
            }
        }
        _ => {}
    }
}

/// The least probability at which the live model's disagreement is shown, when the project's rules set none.
pub const LIVE_MODEL_MIN_SCORE: f64 = 0.9;

/// The soft checks of the model trained in the browser on the project's own labels (`learn::ProjectLearner`): each
/// `model_conflict` rule of `rules` on `control`, with its threshold and guideline section, but always a warning —
/// a model that learns from this annotator never blocks them — and its id prefixed `live-model:`; when the rules
/// have none, one at [`LIVE_MODEL_MIN_SCORE`]. Run them with [`super::validate`] on a subject whose prediction is
/// the live model's.
pub fn live_model_rules(rules: Option<&super::RuleSet>, control: &str) -> super::RuleSet {
    use super::check::Check;
    let mut live: Vec<super::Rule> = rules
        .into_iter()
        .flat_map(|r| r.rules.iter())
        .filter(|r| matches!(&r.check, Check::ModelConflict { control: c, .. } if c == control))
        .map(|r| super::Rule {
            id: format!("live-model:{}", r.id),
            severity: super::Severity::Warning,
            message: format!("{} (the model trained on this project's labels)", r.message),
            ..r.clone()
        })
        .collect();
    if live.is_empty() {
        live.push(super::Rule {
            id: "live-model".into(),
            severity: super::Severity::Warning,
            message: "The model trained on this project's labels is confident of another answer: look again".into(),
            section: String::new(),
            check: Check::ModelConflict { control: control.to_string(), min_score: LIVE_MODEL_MIN_SCORE },
            control: super::NO_CONTROL,
            label: None,
        });
    }
    let version = rules.map(|r| r.guidelines_version.clone()).unwrap_or_default();
    super::parse::index(version, live)
}
