//! What the review queues of labels and of regions share: the state of a row's form, its keys (A accept, F fix, R
//! reject), the error-category picker, and the pager.

use concord_engine::model::ErrorCategory;
use concord_engine::review::Verdict;
use yew::prelude::*;

/// Which form of a queue row is open.
#[derive(Clone, Copy, PartialEq)]
pub enum Open {
    Closed,
    Fix,
    Reject,
}

/// Previous / next buttons over `pages` pages of a queue, at page `at` (nothing when one page holds it all).
pub fn page_turner(page: &UseStateHandle<usize>, at: usize, pages: usize) -> Html {
    if pages <= 1 {
        return html! {};
    }
    let turn = |to: usize| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(to))
    };
    html! { <>
        <button type="button" disabled={at == 0} onclick={turn(at.saturating_sub(1))}>{ "‹ Previous" }</button>
        { format!(" page {} of {pages} ", at + 1) }
        <button type="button" disabled={at + 1 >= pages} onclick={turn(at + 1)}>{ "Next ›" }</button>
    </> }
}

/// A queue row's keys (outside its fields): `A` accepts, `F` opens the fix, `R` the rejection.
pub fn verdict_keys(open: &UseStateHandle<Open>, save: &Callback<Verdict>) -> Callback<KeyboardEvent> {
    let (open, save) = (open.clone(), save.clone());
    Callback::from(move |k: KeyboardEvent| {
        let tag = k.target_unchecked_into::<web_sys::Element>().tag_name();
        if matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA") || k.ctrl_key() || k.meta_key() || k.alt_key() {
            return;
        }
        match k.key().as_str() {
            "a" | "A" => save.emit(Verdict::Accept),
            "f" | "F" => open.set(Open::Fix),
            "r" | "R" => open.set(Open::Reject),
            _ => return,
        }
        k.prevent_default();
    })
}

/// Sets `category` from an error-category `<select>` (a review row's, a QC check's).
pub fn on_category_change(category: &UseStateHandle<ErrorCategory>) -> Callback<Event> {
    let category = category.clone();
    Callback::from(move |ev: Event| {
        let v = ev.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
        if let Some(c) = ErrorCategory::JUDGED.into_iter().find(|c| c.name() == v) {
            category.set(c);
        }
    })
}

/// The error-category picker of a fix or a rejection.
pub fn category_select(category: &UseStateHandle<ErrorCategory>) -> Html {
    let onchange = on_category_change(category);
    html! {
        <label>{ "Error " }
            <select {onchange} data-testid="review-category">
                { for ErrorCategory::JUDGED.iter().map(|c| html! {
                    <option value={c.name()} selected={**category == *c}>{ c.name().replace('_', " ") }</option>
                }) }
            </select>
        </label>
    }
}
