//! Tiered routing: rules send a task to a tier by its difficulty signals — the model's confidence, earlier
//! disagreement on it, a schema-defined complexity such as its number of objects — the first rule that matches
//! wins; a disagreement within a tier escalates to the next tier up.

use crate::bundle::{TierCondition, TierRule};

/// What is known of a task when it is routed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signals {
    /// The model's top score, when it scored the task.
    pub model_confidence: Option<f64>,
    /// How much the task's earlier labels agree (majority share).
    pub prior_agreement: Option<f64>,
    /// Objects in the task (e.g. pre-annotated boxes).
    pub objects: Option<usize>,
}

/// The tier of the first rule whose condition holds (a signal that is unknown does not hold), with the reason; the
/// last tier of `order` (the most junior) when none does.
pub fn route(rules: &[TierRule], s: &Signals, order: &[String]) -> (String, String) {
    for r in rules {
        let why = match r.when {
            TierCondition::ModelConfidenceBelow(t) => {
                s.model_confidence.filter(|c| *c < t).map(|c| format!("model confidence {c:.2} < {t}"))
            }
            TierCondition::PriorAgreementBelow(t) => {
                s.prior_agreement.filter(|a| *a < t).map(|a| format!("earlier agreement {a:.2} < {t}"))
            }
            TierCondition::ObjectsAbove(n) => s.objects.filter(|o| *o > n).map(|o| format!("{o} objects > {n}")),
            TierCondition::Always => Some("default rule".to_string()),
        };
        if let Some(why) = why {
            return (r.tier.clone(), why);
        }
    }
    (order.last().cloned().unwrap_or_default(), "no rule matched".into())
}

/// The tier above `current` in `order` (most senior first), for a disagreement `current` could not settle; `None`
/// at the top.
pub fn escalate(order: &[String], current: &str) -> Option<String> {
    let at = order.iter().position(|t| t == current)?;
    at.checked_sub(1).map(|up| order[up].clone())
}
