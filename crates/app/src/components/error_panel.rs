use concord_engine::{InputError, Place};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub error: InputError,
}

/// A rejected bundle: which file, where in it, and why — the parser's own words.
#[function_component(ErrorPanel)]
pub fn error_panel(props: &Props) -> Html {
    let e = &props.error;
    let place = match &e.place {
        Place::File => None,
        p => Some(p.to_string()),
    };
    html! {
        <section class="error-panel" role="alert" data-testid="bundle-error">
            <h2>{ "This project could not be opened" }</h2>
            <dl>
                <dt>{ "File" }</dt><dd class="error-file">{ &e.file }</dd>
                if let Some(place) = place { <dt>{ "Where" }</dt><dd class="error-place">{ place }</dd> }
                <dt>{ "Why" }</dt><dd class="error-reason">{ &e.reason }</dd>
            </dl>
            <p class="hint">{ "Work you already saved in this browser is untouched. Fix the file and reload." }</p>
        </section>
    }
}
