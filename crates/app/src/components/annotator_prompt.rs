use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_name: Callback<String>,
}

/// Asked once per browser: the name stamped on every annotation.
#[function_component(AnnotatorPrompt)]
pub fn annotator_prompt(props: &Props) -> Html {
    let input = use_node_ref();
    let onsubmit = {
        let (input, on_name) = (input.clone(), props.on_name.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(i) = input.cast::<web_sys::HtmlInputElement>() {
                let name = i.value().trim().to_string();
                if !name.is_empty() {
                    on_name.emit(name);
                }
            }
        })
    };
    html! {
        <form class="annotator-prompt" data-testid="annotator-prompt" {onsubmit}>
            <label for="annotator-name">{ "Your name (stamped on every annotation): " }</label>
            <input id="annotator-name" ref={input} type="text" autocomplete="name" required=true />
            <button type="submit">{ "Start labeling" }</button>
        </form>
    }
}
