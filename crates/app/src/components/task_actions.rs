//! What can be done to the open task besides labeling it: submit, skip, undo, redo, and mark it unsure with a
//! comment.

use concord_engine::log::Op;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub can_undo: bool,
    pub can_redo: bool,
    pub unsure: bool,
    /// The unsure comment recorded for the task.
    pub comment: AttrValue,
    pub on_submit: Callback<()>,
    pub on_skip: Callback<()>,
    /// Undo, redo and the unsure flag are actions on the log.
    pub on_op: Callback<Op>,
}

#[function_component(TaskActions)]
pub fn task_actions(p: &Props) -> Html {
    let comment = use_node_ref();
    let on_unsure = {
        let (comment, on_op, unsure) = (comment.clone(), p.on_op.clone(), p.unsure);
        Callback::from(move |_: MouseEvent| {
            let text = comment.cast::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            on_op.emit(Op::Flag { unsure: !unsure, comment: text });
        })
    };
    html! {
        <div class="task-actions">
            <button class="submit" onclick={p.on_submit.reform(|_: MouseEvent| ())} title="Submit (Enter)">{ "Submit ⏎" }</button>
            <button onclick={p.on_skip.reform(|_: MouseEvent| ())} title="Skip (Shift+S)">{ "Skip" }</button>
            <button onclick={p.on_op.reform(|_: MouseEvent| Op::Undo)} disabled={!p.can_undo} title="Undo (Ctrl+Z)">{ "Undo" }</button>
            <button onclick={p.on_op.reform(|_: MouseEvent| Op::Redo)} disabled={!p.can_redo} title="Redo (Ctrl+Shift+Z)">{ "Redo" }</button>
            <input ref={comment} id="unsure-comment" type="text" placeholder="Why unsure? (optional)" aria-label="Unsure comment"
                   value={p.comment.clone()} />
            <button onclick={on_unsure} aria-pressed={p.unsure.to_string()}>{ if p.unsure { "Clear unsure" } else { "Mark unsure" } }</button>
        </div>
    }
}
