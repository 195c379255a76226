use yew::prelude::*;

use crate::markdown::to_safe_html;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub markdown: AttrValue,
    pub version: AttrValue,
}

/// The guideline, rendered from markdown with raw HTML disabled (see `markdown.rs`).
#[function_component(GuidelinePanel)]
pub fn guideline_panel(props: &Props) -> Html {
    let html = use_memo(props.markdown.clone(), |md| AttrValue::from(to_safe_html(md)));
    html! {
        <section class="guideline" aria-label="Guideline">
            <header><h2>{ "Guideline" }</h2><span class="version">{ format!("v{}", props.version) }</span></header>
            <article class="markdown">{ Html::from_html_unchecked((*html).clone()) }</article>
        </section>
    }
}
