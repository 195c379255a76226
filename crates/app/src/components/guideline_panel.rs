use std::rc::Rc;

use concord_engine::bundle::GuidelineVersion;
use concord_engine::guidelines::{diff_guidelines, LineChange, SectionChange, SectionDiff};
use yew::prelude::*;

use crate::loader::{fetch_text, render_markdown, BundleLocation};
use crate::markdown::sections;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub markdown: AttrValue,
    pub version: AttrValue,
    /// Earlier versions, oldest first (the project's `guidelines.history`).
    #[prop_or_default]
    pub history: Vec<GuidelineVersion>,
    /// Where the bundle is, to fetch earlier versions.
    #[prop_or_default]
    pub location: Option<BundleLocation>,
}

/// The guideline, rendered from markdown with raw HTML disabled (see `markdown.rs`), with its version, and a
/// search that keeps the sections whose text contains the query. The sections show as plain text at once and as
/// HTML when the worker has rendered them (the Markdown parser is not in annotator mode's wasm).
#[function_component(GuidelinePanel)]
pub fn guideline_panel(props: &Props) -> Html {
    let query = use_state(String::new);
    // (lower-cased text for the search, markdown, title) per section.
    let parts = use_memo(props.markdown.clone(), |md| {
        sections(md).into_iter().map(|(title, body)| (crate::views::lowercase(&body), body, title)).collect::<Vec<_>>()
    });
    // The sections' HTML, for the markdown it was rendered from.
    let rendered = use_state(|| None::<(AttrValue, Rc<Vec<AttrValue>>)>);
    {
        let (rendered, parts) = (rendered.clone(), parts.clone());
        use_effect_with(props.markdown.clone(), move |md| {
            let md = md.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let bodies = parts.iter().map(|(_, body, _)| body.clone()).collect();
                if let Some(html) = render_markdown(bodies).await {
                    rendered.set(Some((md, Rc::new(html.into_iter().map(AttrValue::from).collect()))));
                }
            });
        });
    }
    let html_of = |k: usize| match &*rendered {
        Some((md, html)) if *md == props.markdown => Html::from_html_unchecked(html[k].clone()),
        _ => html! { <pre class="markdown-source">{ &parts[k].1 }</pre> },
    };
    let needle = crate::views::lowercase(query.trim());
    let shown: Vec<usize> = (0..parts.len()).filter(|&k| needle.is_empty() || parts[k].0.contains(&needle)).collect();
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
            if !props.history.is_empty() {
                <VersionDiff markdown={props.markdown.clone()} version={props.version.clone()} history={props.history.clone()}
                             location={props.location.clone()} />
            }
            <article class="markdown">
                { for shown.iter().map(|&k| html_of(k)) }
            </article>
        </section>
    }
}

/// What changed between two versions of the guideline (`engine::guidelines::diff_guidelines`), rendered: each
/// section marked added, removed, changed or unchanged; a changed section line by line, removed lines struck.
#[function_component(VersionDiff)]
fn version_diff(props: &Props) -> Html {
    let versions: Vec<(String, String)> = props
        .history
        .iter()
        .map(|h| (h.version.clone(), if h.date.is_empty() { String::new() } else { format!(" ({})", h.date) }))
        .chain(std::iter::once((props.version.to_string(), " (current)".to_string())))
        .collect();
    let from = use_state(|| props.history.last().map(|h| h.version.clone()).unwrap_or_default());
    let to = use_state(|| props.version.to_string());
    // The sections that differ and, in the order `section_view` shows them, their fragments as HTML.
    let diff = use_state(|| None::<Result<(Vec<SectionDiff>, Vec<String>), String>>);
    {
        let (diff, history, current, markdown, location) = (
            diff.clone(),
            props.history.clone(),
            props.version.to_string(),
            props.markdown.to_string(),
            props.location.clone(),
        );
        use_effect_with(((*from).clone(), (*to).clone()), move |(from, to)| {
            let (from, to) = (from.clone(), to.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text = |v: String| {
                    let (history, current, markdown, location) =
                        (history.clone(), current.clone(), markdown.clone(), location.clone());
                    async move {
                        if v == current {
                            return Ok(markdown);
                        }
                        let h = history.iter().find(|h| h.version == v).ok_or_else(|| format!("no version {v}"))?;
                        let loc = location.ok_or_else(|| "the bundle's location is unknown".to_string())?;
                        fetch_text(&loc, &h.path).await.map_err(|e| e.to_string())
                    }
                };
                let result = match (text(from).await, text(to).await) {
                    (Ok(a), Ok(b)) => {
                        let sections = diff_guidelines(&a, &b);
                        let fragments: Vec<String> = sections.iter().filter(|s| shown(s)).flat_map(fragments).collect();
                        let html = match render_markdown(fragments.clone()).await {
                            Some(html) => html,
                            None => fragments.iter().map(|f| format!("<pre>{}</pre>", escape_html(f))).collect(),
                        };
                        Ok((sections, html))
                    }
                    (Err(e), _) | (_, Err(e)) => Err(e),
                };
                diff.set(Some(result));
            });
        });
    }
    let picker = |state: &UseStateHandle<String>, label: &'static str| {
        let onchange = {
            let state = state.clone();
            Callback::from(move |e: Event| state.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))
        };
        html! {
            <select {onchange} aria-label={label}>
                { for versions.iter().map(|(v, note)| html! { <option value={v.clone()} selected={**state == *v}>{ format!("{v}{note}") }</option> }) }
            </select>
        }
    };
    let body = match &*diff {
        None => html! { <p class="hint">{ "Comparing…" }</p> },
        Some(Err(why)) => html! { <p class="import-error" role="alert">{ why }</p> },
        Some(Ok((sections, html))) => {
            let count = |c: SectionChange| sections.iter().filter(|s| s.change == c).count();
            let mut html = html.iter().cloned();
            html! { <>
                <p class="hint" data-testid="diff-summary">{ format!("{} added, {} changed, {} removed, {} unchanged",
                    count(SectionChange::Added), count(SectionChange::Changed), count(SectionChange::Removed), count(SectionChange::Unchanged)) }</p>
                { for sections.iter().filter(|s| shown(s)).map(|s| section_view(s, &mut html)).collect::<Vec<_>>() }
            </> }
        }
    };
    html! {
        <details class="version-diff" data-testid="guideline-diff">
            <summary>{ "Compare versions" }</summary>
            <p>{ "From " }{ picker(&from, "Older version") }{ " to " }{ picker(&to, "Newer version") }</p>
            { body }
        </details>
    }
}

/// Whether a section of the diff is shown (the untitled introduction only when it changed).
fn shown(s: &SectionDiff) -> bool {
    !s.title.is_empty() || s.change != SectionChange::Unchanged
}

/// The lines of a changed section that are shown (not its kept heading).
fn shown_lines(s: &SectionDiff) -> impl Iterator<Item = &LineChange> {
    s.lines.iter().filter(|l| !matches!(l, LineChange::Kept(t) if t.starts_with('#')))
}

/// The markdown `section_view` shows for `s`, in order: each shown line of a changed section, or the body (without
/// its heading) of an added or removed one.
fn fragments(s: &SectionDiff) -> Vec<String> {
    match s.change {
        SectionChange::Unchanged => Vec::new(),
        SectionChange::Changed => shown_lines(s)
            .map(|l| match l {
                LineChange::Kept(t) | LineChange::Removed(t) | LineChange::Added(t) => t.clone(),
            })
            .collect(),
        _ => vec![s.markdown.lines().skip(usize::from(!s.title.is_empty())).collect::<Vec<_>>().join("\n")],
    }
}

/// Text as HTML text (the fallback when no worker renders markdown).
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// One section of the diff; `html` yields its [`fragments`] rendered, in order.
fn section_view(s: &SectionDiff, html: &mut impl Iterator<Item = String>) -> Html {
    let mut next = || Html::from_html_unchecked(AttrValue::from(html.next().unwrap_or_default()));
    let (class, badge) = match s.change {
        SectionChange::Added => ("added", "added"),
        SectionChange::Removed => ("removed", "removed"),
        SectionChange::Changed => ("changed", "changed"),
        SectionChange::Unchanged => ("unchanged", "unchanged"),
    };
    let title = if s.title.is_empty() { "(introduction)".to_string() } else { s.title.clone() };
    let content = match s.change {
        SectionChange::Unchanged => html! {},
        SectionChange::Changed => html! { <div class="markdown lines">
            { for shown_lines(s).map(|l| {
                let class = match l {
                    LineChange::Kept(_) => "kept",
                    LineChange::Removed(_) => "removed-line",
                    LineChange::Added(_) => "added-line",
                };
                html! { <div class={class}>{ next() }</div> }
            }).collect::<Vec<_>>() }
        </div> },
        // The whole section, without its heading (shown above).
        _ => html! { <div class="markdown">{ next() }</div> },
    };
    html! {
        <section class={classes!("diff-section", class)} data-anchor={s.anchor.clone()} data-change={badge}>
            <h3>{ title }<span class="badge">{ badge }</span></h3>
            { content }
        </section>
    }
}
