//! The queue's toolbar: previous / next, the position, a jump to a task number, the model's order, the task's
//! status and whether the annotator's work is saved.

use concord_engine::log::TaskStatus;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// 0-based position in the queue, and the queue's length.
    pub position: usize,
    pub count: usize,
    /// The bundle ships scored predictions: the queue can follow the model's uncertainty.
    pub has_scores: bool,
    /// The live model is starting: its order will come (the button is there, disabled, so that nothing moves when
    /// it arrives).
    #[prop_or_default]
    pub model_starting: bool,
    pub model_order: bool,
    pub status: TaskStatus,
    pub unsure: bool,
    /// Actions recorded, of which not yet stored; and why storing failed, if it did.
    pub recorded: usize,
    pub unsaved: usize,
    pub store_error: Option<String>,
    /// Go to a 0-based position.
    pub on_go: Callback<usize>,
    pub on_reorder: Callback<()>,
}

#[function_component(QueueNav)]
pub fn queue_nav(p: &Props) -> Html {
    let go = |to: usize| p.on_go.reform(move |_: MouseEvent| to);
    let on_jump = {
        let on_go = p.on_go.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                if let Ok(n) = input.value().trim().parse::<usize>() {
                    on_go.emit(n.saturating_sub(1));
                }
                e.prevent_default();
            }
        })
    };
    let (position, count, status) = (p.position, p.count, p.status);
    html! {
        <div class="queue-nav" role="toolbar" aria-label="Queue">
            <button onclick={go(position.saturating_sub(1))} disabled={position == 0} title="Previous (PageUp)">{ "← Prev" }</button>
            <span class="position" data-testid="position">{ format!("{} / {}", position + 1, count) }</span>
            <button onclick={go(position + 1)} disabled={position + 1 >= count} title="Next (PageDown)">{ "Next →" }</button>
            <input class="jump" type="number" min="1" max={count.to_string()} placeholder="Go to #" aria-label="Go to task number" onkeydown={on_jump} />
            if p.has_scores || p.model_starting {
                <button onclick={p.on_reorder.reform(|_: MouseEvent| ())} aria-pressed={p.model_order.to_string()} data-testid="order-toggle"
                        disabled={!p.has_scores}
                        title={if p.has_scores { "Active learning: the tasks the model is least sure of first" } else { "The model is starting: its order comes once it is ready" }}>
                    { if p.model_order { "Project order" } else { "Most uncertain first" } }
                </button>
            }
            <span class={classes!("status", format!("status-{status:?}").to_ascii_lowercase())} data-testid="task-status">{ format!("{status:?}") }</span>
            if p.unsure { <span class="unsure-flag" data-testid="unsure-flag">{ "Unsure" }</span> }
            <span class="save-state" data-testid="save-state" data-recorded={p.recorded.to_string()} data-saved={(p.recorded - p.unsaved).to_string()}>
                { if p.store_error.is_some() { "Not saved!" } else if p.unsaved > 0 { "Saving…" } else { "All changes saved" } }
            </span>
        </div>
    }
}
