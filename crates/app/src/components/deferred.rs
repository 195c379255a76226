//! A panel drawn one task after its parent: review mode's panels over a million labels each take tens of
//! milliseconds to draw, and drawn together they would hold the page's thread for hundreds (no input, no paint).
//! Wrapped one by one, each first draw is a task of its own and the page stays responsive between them.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// What is drawn once the first task has passed.
    pub children: Html,
}

#[function_component(Deferred)]
pub fn deferred(props: &Props) -> Html {
    let shown = use_state(|| false);
    {
        let shown = shown.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                crate::loader::sleep_ms(0).await;
                shown.set(true);
            });
        });
    }
    if *shown {
        props.children.clone()
    } else {
        html! {}
    }
}
