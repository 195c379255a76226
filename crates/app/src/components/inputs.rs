//! Form inputs the panels share.

use yew::prelude::*;

/// Sets `state` from a number input when it holds a number (a half-typed value is ignored).
pub fn number_input(state: &UseStateHandle<f64>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        if let Ok(v) = e.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse::<f64>() {
            state.set(v);
        }
    })
}
