//! `<concord-qa-panel>`: the violations of one annotation, errors first, each a button that tells the host tool
//! which rule, control and region it is about (`concord-select`), so the tool can focus the region.

use yew::prelude::*;

use crate::inbox::{use_inbox, Inbox};
use crate::shapes::{PanelData, Violation};
use crate::Emitter;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub inbox: Inbox<PanelData>,
    pub emit: Emitter,
}

#[function_component(QaPanel)]
pub fn qa_panel(props: &Props) -> Html {
    let data = use_inbox(&props.inbox);
    let heading = data.as_ref().and_then(|d| d.heading.clone()).unwrap_or_else(|| "Checks".into());
    let Some(data) = data else {
        return html! {
            <section class="concord panel" aria-label={heading.clone()}>
                <h2>{heading}</h2>
                <p class="muted">{"Waiting for an annotation…"}</p>
            </section>
        };
    };
    // Errors block submission, so they come first; otherwise the engine's order (rule order) is kept.
    let mut order: Vec<&Violation> = data.violations.iter().collect();
    order.sort_by_key(|v| v.severity != "error");
    let errors = data.violations.iter().filter(|v| v.severity == "error").count();
    let warnings = data.violations.len() - errors;
    let summary = match (errors, warnings) {
        (0, 0) => "No problems found".to_string(),
        _ => format!("{errors} error{} · {warnings} warning{}", plural(errors), plural(warnings)),
    };
    html! {
        <section class="concord panel" aria-label={heading.clone()} data-errors={errors.to_string()}
                 data-warnings={warnings.to_string()}>
            <h2>{heading}</h2>
            <p class={classes!("summary", (errors > 0).then_some("blocking"))} role="status" aria-live="polite">
                {summary}
                if errors > 0 { <span class="note">{" — submission blocked"}</span> }
            </p>
            <ul class="violations" role="list">
                { for order.into_iter().map(|v| row(v, &props.emit)) }
            </ul>
        </section>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn row(v: &Violation, emit: &Emitter) -> Html {
    let onclick = {
        let (v, emit) = (v.clone(), emit.clone());
        Callback::from(move |_: MouseEvent| emit.emit("concord-select", &v))
    };
    let place = match (&v.control, v.region) {
        (Some(c), Some(r)) => format!("{c} · region {r}"),
        (Some(c), None) => c.clone(),
        _ => String::new(),
    };
    let label = format!("{}: {}. {}", v.severity, v.message, place);
    html! {
        <li class={classes!("violation", v.severity.clone())} data-rule={v.rule.clone()}>
            <button type="button" {onclick} aria-label={label}>
                <span class="badge">{ if v.severity == "error" { "Error" } else { "Warning" } }</span>
                <span class="message">{ &v.message }</span>
                <span class="where">{ place }</span>
                if !v.section.is_empty() { <span class="section">{ format!("Guideline {}", v.section) }</span> }
            </button>
        </li>
    }
}
