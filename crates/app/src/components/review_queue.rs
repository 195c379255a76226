//! The review queue: one annotation at a time — the annotator's label, the item's consensus and, once reviewed,
//! the reviewer's version beside it — accepted, fixed (the reviewer's label kept beside the annotator's) or
//! rejected with an error category, the guideline section and a comment. The queue and the checks come from
//! `engine::review`; verdicts are kept by `review_work.rs` before they show as done.
//!
//! Keys on a focused row: `A` accepts, `F` opens the fix, `R` the rejection; Enter in the form saves.

use std::collections::HashMap;
use std::rc::Rc;

use concord_engine::model::ErrorCategory;
use concord_engine::review::{QueueEntry, QueueIndex, QueueScope, Review, Verdict};
use yew::prelude::*;

use super::verdict_form::{category_select, page_turner, verdict_keys, Open};
use crate::import::Imported;

/// Rows shown at once.
const PAGE: usize = 50;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub summary: Imported,
    pub reviews: Rc<Vec<Review>>,
    pub on_review: Callback<Review>,
}

#[function_component(ReviewQueue)]
pub fn review_queue_panel(props: &Props) -> Html {
    let scope = use_state(|| QueueScope::Disagreements);
    let annotator = use_state(String::new);
    let page = use_state(|| 0usize);
    let reviewer = use_state(|| "reviewer".to_string());
    let queue = {
        let s = props.summary.clone();
        use_memo((props.summary.clone(), *scope, (*annotator).clone()), move |(_, scope, who)| {
            match (&s.first_queue, scope, who.is_empty()) {
                (Some(first), QueueScope::Disagreements, true) => first.clone(),
                _ => {
                    let who = (!who.is_empty()).then_some(who.as_str());
                    Rc::new(QueueIndex::in_order(&s.table, &s.order, &s.final_from, *scope, who))
                }
            }
        })
    };
    let by_key: HashMap<(&str, &str), &Review> =
        props.reviews.iter().map(|r| ((r.item.as_str(), r.annotator.as_str()), r)).collect();
    // Reviewed rows, by ids: one pass over the queue (a big import's queue has hundreds of thousands).
    let table = &props.summary.table;
    let reviewed_ids: std::collections::HashSet<(u32, u32)> = props
        .reviews
        .iter()
        .filter_map(|r| Some((table.items.get(&r.item)?, table.annotators.get(&r.annotator)?)))
        .collect();
    let reviewed = if reviewed_ids.is_empty() {
        0
    } else {
        queue.ids().iter().filter(|r| reviewed_ids.contains(&(r.0, r.1))).count()
    };
    let pages = queue.len().div_ceil(PAGE).max(1);
    let at = (*page).min(pages - 1);
    let on_scope = {
        let (scope, page) = (scope.clone(), page.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            scope.set(if v == "all" { QueueScope::All } else { QueueScope::Disagreements });
            page.set(0);
        })
    };
    let on_annotator = {
        let (annotator, page) = (annotator.clone(), page.clone());
        Callback::from(move |e: Event| {
            annotator.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value());
            page.set(0);
        })
    };
    let on_reviewer = {
        let reviewer = reviewer.clone();
        Callback::from(move |e: InputEvent| {
            reviewer.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value())
        })
    };
    let labels: Rc<Vec<String>> = Rc::new(props.summary.table.labels.names().map(str::to_string).collect());
    html! {
        <section class="review-queue" aria-label="Review queue" data-testid="review-queue">
            <h2>{ "Review queue" }</h2>
            <p class="hint">
                <label>{ "Show " }
                    <select onchange={on_scope} data-testid="queue-scope">
                        <option value="disagreements" selected={*scope == QueueScope::Disagreements}>{ "labels against the consensus" }</option>
                        <option value="all" selected={*scope == QueueScope::All}>{ "every label" }</option>
                    </select>
                </label>
                { " of " }
                <select onchange={on_annotator} data-testid="queue-annotator" aria-label="Annotator">
                    <option value="" selected={annotator.is_empty()}>{ "every annotator" }</option>
                    { for props.summary.table.annotators.names().map(|a| html! {
                        <option value={a.to_string()} selected={*annotator == a}>{ a }</option>
                    }) }
                </select>
                { " · " }
                <label>{ "Reviewer " }<input type="text" value={(*reviewer).clone()} oninput={on_reviewer} data-testid="reviewer-name" /></label>
            </p>
            <p class="hint" data-testid="queue-count" data-total={queue.len().to_string()} data-reviewed={reviewed.to_string()}>
                { format!("{reviewed} of {} reviewed. ", queue.len()) }
                { page_turner(&page, at, pages) }
            </p>
            <ol class="queue">
                { for queue.entries(table, &props.summary.final_from, at * PAGE..(at + 1) * PAGE).iter().map(|e| {
                    let current = by_key.get(&(e.item.as_str(), e.annotator.as_str())).map(|r| (*r).clone());
                    html! { <QueueRow key={format!("{}\u{1f}{}", e.item, e.annotator)} entry={e.clone()} review={current}
                                      labels={labels.clone()} reviewer={(*reviewer).clone()} on_review={props.on_review.clone()} /> }
                }) }
            </ol>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    entry: QueueEntry,
    review: Option<Review>,
    labels: Rc<Vec<String>>,
    reviewer: String,
    on_review: Callback<Review>,
}

#[function_component(QueueRow)]
fn queue_row(p: &RowProps) -> Html {
    let e = &p.entry;
    let open = use_state(|| Open::Closed);
    let fixed = use_state(|| e.consensus.clone().filter(|c| *c != e.label).unwrap_or_default());
    let category = use_state(|| ErrorCategory::WrongLabel);
    // The section that defines the consensus label (the right answer, most likely) when the project says.
    let project = use_context::<crate::review::ProjectContext>().unwrap_or_default();
    let section = use_state(|| {
        let p = project.0.as_ref();
        e.consensus.as_ref().and_then(|c| p.and_then(|p| p.label_sections.get(c).cloned())).unwrap_or_default()
    });
    let comment = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let save = {
        let (entry, on_review, reviewer, problem) =
            (e.clone(), p.on_review.clone(), p.reviewer.clone(), problem.clone());
        let (fixed, category, section, comment) = (fixed.clone(), category.clone(), section.clone(), comment.clone());
        let open = open.clone();
        Callback::from(move |verdict: Verdict| {
            let r = Review {
                item: entry.item.clone(),
                annotator: entry.annotator.clone(),
                verdict,
                fixed: (verdict == Verdict::Fix).then(|| (*fixed).clone()),
                fixed_regions: None,
                category: (verdict != Verdict::Accept).then_some(*category),
                section: if verdict == Verdict::Accept { String::new() } else { section.trim().to_string() },
                comment: if verdict == Verdict::Accept { String::new() } else { comment.trim().to_string() },
                reviewer: reviewer.trim().to_string(),
            };
            match r.check(&entry.label) {
                Ok(()) => {
                    problem.set(None);
                    open.set(Open::Closed);
                    on_review.emit(r);
                }
                Err(why) => problem.set(Some(why.to_string())),
            }
        })
    };
    let accept = {
        let save = save.clone();
        Callback::from(move |_: MouseEvent| save.emit(Verdict::Accept))
    };
    let opener = |to: Open| {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(to))
    };
    let onkeydown = verdict_keys(&open, &save);
    let onsubmit = {
        let (open, save) = (open.clone(), save.clone());
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            save.emit(if *open == Open::Fix { Verdict::Fix } else { Verdict::Reject });
        })
    };
    let text = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |ev: InputEvent| state.set(ev.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let on_fixed = {
        let fixed = fixed.clone();
        Callback::from(move |ev: Event| fixed.set(ev.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))
    };
    let status = p.review.as_ref().map(|r| match r.verdict {
        Verdict::Accept => ("accepted".to_string(), "accepted"),
        Verdict::Fix => (format!("fixed → {}", r.fixed.as_deref().unwrap_or("")), "fixed"),
        Verdict::Reject => ("rejected".to_string(), "rejected"),
    });
    let detail = p.review.as_ref().filter(|r| r.verdict != Verdict::Accept).map(|r| {
        let category = r.category.map_or("", ErrorCategory::name);
        let section = if r.section.is_empty() { String::new() } else { format!(" · {}", r.section) };
        let comment = if r.comment.is_empty() { String::new() } else { format!(" · {}", r.comment) };
        format!("{category}{section}{comment} ({})", r.reviewer)
    });
    html! {
        <li class={classes!("queue-row", status.as_ref().map(|s| s.1))} tabindex="0" {onkeydown}
            data-item={e.item.clone()} data-annotator={e.annotator.clone()} data-verdict={status.as_ref().map(|s| s.1).unwrap_or("")}>
            <div class="queue-versions">
                <strong>{ &e.item }</strong>
                <span class="queue-given">{ format!("{}: ", e.annotator) }<b>{ &e.label }</b></span>
                <span class="hint">{ format!("consensus {}{}", e.consensus.as_deref().unwrap_or("–"),
                    e.confidence.map_or(String::new(), |c| format!(" ({:.0} %)", 100.0 * c))) }</span>
                if let Some((text, _)) = &status {
                    <span class="queue-reviewed" data-testid="reviewer-version">{ format!("Review: {text}") }</span>
                }
                if let Some(d) = detail { <span class="hint">{ d }</span> }
            </div>
            <div class="queue-actions">
                <button type="button" onclick={accept} title="A">{ "Accept" }</button>
                <button type="button" onclick={opener(Open::Fix)} title="F">{ "Fix…" }</button>
                <button type="button" onclick={opener(Open::Reject)} title="R">{ "Reject…" }</button>
            </div>
            if *open != Open::Closed {
                <form class="queue-form" {onsubmit} aria-label={format!("Review {}'s label on {}", e.annotator, e.item)}>
                    if *open == Open::Fix {
                        <label>{ "Reviewer's label " }
                            <select onchange={on_fixed} data-testid="fix-label">
                                <option value="" selected={fixed.is_empty()}>{ "choose…" }</option>
                                { for p.labels.iter().filter(|l| **l != e.label).map(|l| html! {
                                    <option value={l.clone()} selected={*fixed == *l}>{ l }</option>
                                }) }
                            </select>
                        </label>
                    }
                    { category_select(&category) }
                    <input type="text" placeholder="Guideline section" list={crate::review::SECTIONS_LIST} value={(*section).clone()} oninput={text(&section)} data-testid="review-section" />
                    <input type="text" placeholder="Comment" value={(*comment).clone()} oninput={text(&comment)} data-testid="review-comment" />
                    <button type="submit" data-testid="review-save">{ if *open == Open::Fix { "Fix & accept" } else { "Reject" } }</button>
                    <button type="button" onclick={opener(Open::Closed)}>{ "Cancel" }</button>
                </form>
            }
            if let Some(why) = &*problem { <p class="import-error" role="alert">{ why }</p> }
        </li>
    }
}
