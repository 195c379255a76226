use yew::prelude::*;

use crate::markdown::{sections, to_safe_html};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub markdown: AttrValue,
    pub version: AttrValue,
}

/// The guideline, rendered from markdown with raw HTML disabled (see `markdown.rs`), with its version, and a
/// search that keeps the sections whose text contains the query.
#[function_component(GuidelinePanel)]
pub fn guideline_panel(props: &Props) -> Html {
    let query = use_state(String::new);
    let parts = use_memo(props.markdown.clone(), |md| {
        sections(md)
            .into_iter()
            .map(|(title, body)| (body.to_lowercase(), AttrValue::from(to_safe_html(&body)), title))
            .collect::<Vec<_>>()
    });
    let needle = query.trim().to_lowercase();
    let shown: Vec<&(String, AttrValue, String)> =
        parts.iter().filter(|(text, _, _)| needle.is_empty() || text.contains(&needle)).collect();
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    html! {
        <section class="guideline" aria-label="Guideline">
            <header><h2>{ "Guideline" }</h2><span class="version">{ format!("v{}", props.version) }</span></header>
            <input class="guideline-search" type="search" placeholder="Search the guideline" aria-label="Search the guideline"
                   value={(*query).clone()} {oninput} />
            if !needle.is_empty() {
                <p class="search-count" data-testid="guideline-matches">
                    { format!("{} of {} sections match", shown.len(), parts.len()) }
                </p>
            }
            <article class="markdown">
                { for shown.iter().map(|(_, html, _)| Html::from_html_unchecked(html.clone())) }
            </article>
        </section>
    }
}
