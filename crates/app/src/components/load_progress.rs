use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub step: u32,
    pub steps: u32,
    pub file: AttrValue,
}

#[function_component(LoadProgress)]
pub fn load_progress(props: &Props) -> Html {
    html! {
        <section class="loading" aria-busy="true">
            <label for="load-progress">{ format!("Loading {}…", props.file) }</label>
            <progress id="load-progress" max={props.steps.to_string()} value={props.step.to_string()}></progress>
        </section>
    }
}
