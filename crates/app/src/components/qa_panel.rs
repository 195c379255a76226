use std::rc::Rc;

use concord_engine::rules::{Severity, Violation};
use yew::prelude::*;

use crate::state::Notice;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub violations: Rc<Vec<Violation>>,
    pub notice: Option<Notice>,
    /// Whether the annotator has acted on the task or tried to submit it. Before that, a broken error rule is what
    /// is still required — a to-do, not an error.
    #[prop_or(true)]
    pub acted: bool,
}

/// The instant check of the open task (rules broken, each linking to its guideline section), and the outcome
/// of the last action: a refused submission, gold feedback, or a problem.
#[function_component(QaPanel)]
pub fn qa_panel(props: &Props) -> Html {
    let errors = props.violations.iter().filter(|v| v.severity == Severity::Error).count();
    let warnings = props.violations.len() - errors;
    html! {
        <section class="qa-panel" aria-label="Quality checks" data-testid="qa-panel">
            <h2>{ "Checks" }</h2>
            { notice(&props.notice) }
            if props.violations.is_empty() {
                <p class="all-clear" data-testid="no-violations">{ "No guideline rule is broken." }</p>
            } else {
                <p class="summary" data-testid="checks-summary">
                    { if props.acted { summary(errors, warnings) } else { to_do_summary(errors, warnings) } }
                </p>
                <ul class="violations" data-testid="violations">
                    { for props.violations.iter().take(50).map(|v| {
                        let (class, label) = match v.severity {
                            Severity::Error if props.acted => ("error", "Error"),
                            Severity::Error => ("todo", "To do"),
                            _ => ("warning", "Warning"),
                        };
                        html! {
                        <li class={classes!("violation", class)}
                            data-rule={v.rule.clone()} data-region={v.region.map(|r| r.to_string())}>
                            <strong>{ label }</strong>{ " " }
                            { &v.message }
                            if let Some(r) = v.region { <span class="region-ref">{ format!(" (region {})", r + 1) }</span> }
                            { " " }<a href={v.section.clone()} class="section-link">{ format!("guideline {}", v.section) }</a>
                        </li>
                    } }) }
                </ul>
                if props.violations.len() > 50 { <p class="more">{ format!("and {} more", props.violations.len() - 50) }</p> }
            }
        </section>
    }
}

fn notice(n: &Option<Notice>) -> Html {
    match n {
        None => html! {},
        Some(Notice::Blocked(reasons)) => html! {
            <div class="notice blocked" role="alert" data-testid="submit-blocked">
                <strong>{ "Not submitted: fix these errors first." }</strong>
                <ul>{ for reasons.iter().map(|r| html! { <li>{ r }</li> }) }</ul>
            </div>
        },
        Some(Notice::Gold(f)) => html! {
            <div class={classes!("notice", "gold", if f.matches { "match" } else { "mismatch" })} role="status" data-testid="gold-feedback">
                <strong>{ if f.matches { format!("Task {}: matches the gold answer.", f.task) } else { format!("Task {}: differs from the gold answer.", f.task) } }</strong>
                <ul>
                    { for f.controls.iter().filter(|c| !c.matches).map(|c| html! {
                        <li>{ format!("{}: gold says {}, you gave {}", c.control, if c.expected.is_empty() { "nothing" } else { &c.expected },
                                      if c.given.is_empty() { "nothing" } else { &c.given }) }
                            if c.missed + c.extra + c.mislabeled > 0 {
                                { format!(" ({} missed, {} extra, {} mislabeled)", c.missed, c.extra, c.mislabeled) }
                            }
                        </li>
                    }) }
                </ul>
                if !f.explanation.is_empty() { <p class="explanation">{ &f.explanation }</p> }
                if !f.section.is_empty() { <a href={f.section.clone()} class="section-link">{ format!("guideline {}", f.section) }</a> }
            </div>
        },
        Some(Notice::Info(t)) => html! { <p class="notice info" role="status">{ t }</p> },
        Some(Notice::Problem(t)) => html! { <p class="notice problem" role="alert" data-testid="problem">{ t }</p> },
    }
}

/// "1 error (blocks submit), 2 warnings": counts with their nouns in agreement, the parts that are zero left out.
pub fn summary(errors: usize, warnings: usize) -> String {
    let counted = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (errors, warnings) {
        (0, w) => counted(w, "warning", "warnings"),
        (1, 0) => "1 error (blocks submit)".to_string(),
        (e, 0) => format!("{} (block submit)", counted(e, "error", "errors")),
        (1, w) => format!("1 error (blocks submit), {}", counted(w, "warning", "warnings")),
        (e, w) => format!("{} (block submit), {}", counted(e, "error", "errors"), counted(w, "warning", "warnings")),
    }
}

/// The summary before the annotator has acted: "To do: 2 (required before submitting), 1 warning".
pub fn to_do_summary(errors: usize, warnings: usize) -> String {
    if errors == 0 {
        return summary(0, warnings);
    }
    let to_do = format!("To do: {errors} (required before submitting)");
    match warnings {
        0 => to_do,
        1 => format!("{to_do}, 1 warning"),
        w => format!("{to_do}, {w} warnings"),
    }
}
