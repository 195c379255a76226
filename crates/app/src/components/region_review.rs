//! Review of spans and boxes (an import of Label Studio exports with regions): the agreement figures, the queue of
//! annotations that differ from the consensus — each drawn beside the consensus, accepted, fixed (the reviewer's
//! version, edited from the annotator's, kept beside it) or rejected with a category — the arbitration of items
//! whose versions disagree (the arbiter picks the final version), and the final files: span JSONL, IOB2 and CoNLL
//! for spans, COCO for boxes, Label Studio for both (`engine::review::regions`). Work is kept like
//! `review_work.rs` keeps it: in IndexedDB before it shows as done.

use concord_engine::sorting::LeanSort;
use std::collections::HashMap;
use std::rc::Rc;

use concord_engine::model::ErrorCategory;
use concord_engine::model::{BoxRegion, ControlValue, PolygonRegion, SpanRegion};
use concord_engine::review::{
    final_files, final_regions, region_pool, region_queue, RegionItem, RegionKind, VersionChoice,
};
use concord_engine::review::{Review, Verdict};
use yew::prelude::*;

use super::charts::{percent, Heatmap};
use super::verdict_form::{category_select, page_turner, verdict_keys, Open};
use crate::hooks::{use_kept_list, use_work_store};
use crate::import::figures::RegionFigures;
use crate::import::Imported;
use concord_engine::review::ReviewOptions;

const PAGE: usize = 20;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub summary: Imported,
}

#[function_component(RegionReview)]
pub fn region_review(props: &Props) -> Html {
    let signature = props.summary.files.iter().map(|f| format!("{}:{}", f.name, f.bytes)).collect::<Vec<_>>().join("|");
    let (reviews_key, choices_key) = (format!("concord-review:{signature}"), format!("concord-versions:{signature}"));
    let problem = use_state(|| None::<String>);
    let store = use_work_store();
    let reviews =
        use_kept_list(&store, reviews_key, |a: &Review, b| a.item == b.item && a.annotator == b.annotator, &problem);
    let choices = use_kept_list(&store, choices_key, |a: &VersionChoice, b| a.item == b.item, &problem);
    let page = use_state(|| 0usize);
    // Hooks first; the set is borrowed from the import, never copied per render.
    let queue = use_memo(props.summary.clone(), |s| s.regions.as_ref().map(region_queue).unwrap_or_default());
    // The final regions and files, rebuilt only when a list is replaced (a page turn or a keystroke in a form must
    // not write four files again).
    let outputs = {
        let summary = props.summary.clone();
        let lists = reviews.list.ready().zip(choices.list.ready());
        let identity = lists.as_ref().map(|(r, c)| (Rc::as_ptr(r) as usize, Rc::as_ptr(c) as usize));
        use_memo((props.summary.clone(), identity), move |_| {
            let set = summary.regions.as_ref()?;
            let (reviews, choices) = lists.unwrap_or_default();
            let finals = final_regions(set, &reviews, &choices);
            Some((finals.len(), final_files(set, &finals)))
        })
    };
    let Some(set) = props.summary.regions.as_ref() else { return html! {} };
    let figures = figures(&props.summary);
    let failed = [store.failed(), reviews.list.failed(), choices.list.failed()].into_iter().flatten().next();
    let (Some(reviews_now), Some(choices_now)) = (reviews.list.ready(), choices.list.ready()) else {
        return html! { <>
            { figures }
            if let Some(why) = failed {
                <p class="import-error" role="alert" data-testid="work-error">{ format!("Review work cannot be kept in this browser: {why}") }</p>
            }
        </> };
    };
    let (on_review, on_choice) = (reviews.put, choices.put);
    let (reviews, choices) = (reviews_now, choices_now);
    let by_key: HashMap<(&str, &str), &Review> =
        reviews.iter().map(|r| ((r.item.as_str(), r.annotator.as_str()), r)).collect();
    let reviewed =
        queue.iter().filter(|(k, who)| by_key.contains_key(&(set.items[*k].item.as_str(), who.as_str()))).count();
    let pages = queue.len().div_ceil(PAGE).max(1);
    let at = (*page).min(pages - 1);
    let labels = Rc::new(set.labels.clone());
    // Arbitration: items below the agreement threshold, or with a rejected version.
    let chosen: HashMap<&str, &VersionChoice> = choices.iter().map(|c| (c.item.as_str(), c)).collect();
    let pool: Vec<&RegionItem> = region_pool(set, &reviews, ReviewOptions::default().pool_agreement)
        .into_iter()
        .map(|k| &set.items[k])
        .collect();
    let Some((finals, files)) = outputs.as_ref() else { return html! {} };
    html! {
        <>
            { figures }
            if let Some(why) = &*problem { <p class="import-error" role="alert" data-testid="work-error">{ why }</p> }
            <section class="review-queue" aria-label="Review queue" data-testid="review-queue">
                <h2>{ "Review queue" }</h2>
                <p class="hint" data-testid="queue-count" data-total={queue.len().to_string()} data-reviewed={reviewed.to_string()}>
                    { format!("{} annotations differ from the consensus; {reviewed} reviewed. ", queue.len()) }
                    { page_turner(&page, at, pages) }
                </p>
                <ol class="queue">
                    { for queue.iter().skip(at * PAGE).take(PAGE).map(|(k, who)| {
                        let item = set.items[*k].clone();
                        let review = by_key.get(&(item.item.as_str(), who.as_str())).map(|r| (*r).clone());
                        let key = format!("{}\u{1f}{who}", item.item);
                        html! { <RegionRow {key} {item} annotator={who.clone()} {review}
                                           labels={labels.clone()} kind={set.kind} on_review={on_review.clone()} /> }
                    }) }
                </ol>
            </section>
            <section class="arbitration" aria-label="Arbitration" data-testid="arbitration">
                <h2>{ format!("Arbitration: {} items below {:.0} % agreement or with a rejected version", pool.len(), 100.0 * ReviewOptions::default().pool_agreement) }</h2>
                <ol class="pool">
                    { for pool.iter().map(|it| {
                        let current = chosen.get(it.item.as_str()).map(|c| (*c).clone());
                        let fixed = reviews.iter().any(|r| r.item == it.item && r.fixed_regions.is_some());
                        html! { <VersionPick key={it.item.clone()} item={(*it).clone()} choice={current} {fixed} kind={set.kind} on_choice={on_choice.clone()} /> }
                    }) }
                </ol>
            </section>
            <section class="review-outcome" aria-label="Final dataset" data-testid="review-outcome">
                <h2>{ "Final dataset" }</h2>
                { match files {
                    Ok((files, dropped)) => html! { <>
                        <p>
                            { for files.iter().map(|(name, mime, text)| {
                                let testid = format!("download-{}", name.replace('.', "-"));
                                let label = name.clone();
                                let (name, mime, text) = (name.clone(), *mime, text.clone());
                                let onclick = Callback::from(move |_: MouseEvent| crate::download::offer(&name, &text, mime));
                                html! { <><button type="button" {onclick} data-testid={testid}>{ label }</button>{ " " }</> }
                            }) }
                        </p>
                        <p class="hint">{ format!("Final regions: the arbiter's chosen version, else the reviewer's fix, else the consensus ({finals} items).") }
                            if *dropped > 0 { { format!(" {dropped} overlapping spans cannot be written as IOB2 and are left out of the IOB2 and CoNLL files.") } }
                        </p>
                    </> },
                    Err(why) => html! { <p class="import-error" role="alert">{ why.to_string() }</p> },
                } }
            </section>
        </>
    }
}

/// The agreement figures: the headline F1s and the pairwise heatmap.
pub(super) fn figures(s: &Imported) -> Html {
    let Some(r) = s.region_agreement.as_ref().map(|r| &r.figures) else { return html! {} };
    let (names, title) = match r {
        RegionFigures::Boxes(_) => (["F1 at IoU 0.5", "F1 at IoU 0.75"], "Box F1 at IoU 0.5"),
        RegionFigures::Polygons(_) => (["F1 at IoU 0.5", "F1 at IoU 0.75"], "Polygon F1 at IoU 0.5"),
        RegionFigures::Cuboids(_) => (["F1 at 3D IoU 0.5", "F1 at 3D IoU 0.75"], "Cuboid F1 at 3D IoU 0.5"),
        RegionFigures::Spans(_) => (["Exact-match F1", "Overlap F1"], "Span F1 (exact)"),
    };
    let pairs = r.pairwise();
    let mut who: Vec<&str> = pairs.iter().flat_map(|p| [p.0, p.1]).collect();
    who.lean_sort();
    who.dedup();
    let value =
        |x: &str, y: &str| pairs.iter().find(|p| (p.0 == x && p.1 == y) || (p.0 == y && p.1 == x)).and_then(|p| p.2);
    let values: Vec<Vec<Option<f64>>> =
        who.iter().map(|a| who.iter().map(|b| if a == b { Some(1.0) } else { value(a, b) }).collect()).collect();
    let who: Vec<String> = who.into_iter().map(str::to_string).collect();
    html! { <>
        <dl class="import-agreement">
            { for names.iter().zip(r.headline()).map(|(name, (key, value, interval))| html! {
                <div><dt>{ *name }</dt><dd data-figure={key}>{ value.map_or("–".into(), |x| format!("{x:.3}")) }</dd>
                    { super::charts::interval_cell(interval.as_ref(), key) }</div>
            }) }
        </dl>
        if who.len() >= 2 {
            <div class="dashboard"><Heatmap {title} rows={who.clone()} cols={who} {values} testid="chart-pairwise" /></div>
        }
    </> }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    item: RegionItem,
    annotator: String,
    review: Option<Review>,
    labels: Rc<Vec<String>>,
    kind: RegionKind,
    on_review: Callback<Review>,
}

fn spans_of(v: &ControlValue) -> Vec<SpanRegion> {
    match v {
        ControlValue::Spans(s) => s.clone(),
        _ => Vec::new(),
    }
}

fn boxes_of(v: &ControlValue) -> Vec<BoxRegion> {
    match v {
        ControlValue::Boxes(b) => b.clone(),
        _ => Vec::new(),
    }
}

/// One region as a line of text: `PER 0–7 “Ann Lee”` or `car 20,10 40×20`.
fn describe(kind: RegionKind, text: Option<&str>, k: usize, v: &ControlValue) -> String {
    match kind {
        RegionKind::Spans => {
            let s = &spans_of(v)[k];
            let covered: String =
                text.unwrap_or("").chars().skip(s.start).take(s.end.saturating_sub(s.start)).collect();
            format!("{} {}–{} “{covered}”", s.label, s.start, s.end)
        }
        RegionKind::Boxes => {
            let b = &boxes_of(v)[k];
            format!("{} {:.0},{:.0} {:.0}×{:.0}", b.label, b.x, b.y, b.w, b.h)
        }
        RegionKind::Polygons => {
            let p = &polygons_of(v)[k];
            let first = p.points.first().copied().unwrap_or_default();
            format!("{} {} vertices from {:.0},{:.0}", p.label, p.points.len(), first[0], first[1])
        }
    }
}

fn polygons_of(v: &ControlValue) -> Vec<PolygonRegion> {
    match v {
        ControlValue::Polygons(p) => p.clone(),
        _ => Vec::new(),
    }
}

/// Polygons over the image's frame: `solid` drawn filled, the rest dashed (the consensus).
fn polygons_svg(size: Option<(f64, f64)>, solid: &[PolygonRegion], dashed: &[PolygonRegion]) -> Html {
    let (w, h) = size.unwrap_or_else(|| {
        let all = solid.iter().chain(dashed).flat_map(|p| &p.points);
        all.fold((1.0f64, 1.0f64), |m, q| (m.0.max(q[0]), m.1.max(q[1])))
    });
    let shape = |p: &PolygonRegion, class: &'static str| {
        let points: Vec<String> = p.points.iter().map(|q| format!("{:.1},{:.1}", q[0], q[1])).collect();
        let first = p.points.first().copied().unwrap_or_default();
        html! {
            <g class={class}>
                <title>{ format!("{} ({} vertices)", p.label, p.points.len()) }</title>
                <polygon points={points.join(" ")} />
                <text x={format!("{:.1}", first[0] + 2.0)} y={format!("{:.1}", first[1] + 12.0)}>{ &p.label }</text>
            </g>
        }
    };
    html! {
        <svg class="box-view" viewBox={format!("0 0 {w:.0} {h:.0}")} width="320" role="img"
             aria-label={format!("{} polygons (solid) against {} consensus polygons (dashed)", solid.len(), dashed.len())}>
            <rect class="frame" x="0" y="0" width={format!("{w:.0}")} height={format!("{h:.0}")} />
            { for dashed.iter().map(|p| shape(p, "consensus-box")) }
            { for solid.iter().map(|p| shape(p, "given-box")) }
        </svg>
    }
}

/// The text with the spans marked (the first span over a character wins), as one line.
fn marked_text(text: &str, spans: &[SpanRegion]) -> Html {
    let chars: Vec<char> = text.chars().collect();
    let label_at = |i: usize| spans.iter().find(|s| s.start <= i && i < s.end).map(|s| s.label.clone());
    let mut runs: Vec<(Option<String>, String)> = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        let l = label_at(i);
        match runs.last_mut() {
            Some((last, s)) if *last == l => s.push(*c),
            _ => runs.push((l, c.to_string())),
        }
    }
    html! { <span class="marked">{ for runs.into_iter().map(|(l, s)| match l {
        Some(l) => html! { <mark title={l.clone()} data-label={l}>{ s }</mark> },
        None => html! { { s } },
    }) }</span> }
}

/// Boxes over the image's frame: `solid` are drawn filled, the rest dashed (the consensus).
fn boxes_svg(size: Option<(f64, f64)>, solid: &[BoxRegion], dashed: &[BoxRegion]) -> Html {
    let (w, h) = size.unwrap_or_else(|| {
        let right = solid.iter().chain(dashed).map(|b| b.x + b.w).fold(1.0, f64::max);
        let bottom = solid.iter().chain(dashed).map(|b| b.y + b.h).fold(1.0, f64::max);
        (right, bottom)
    });
    let rect = |b: &BoxRegion, class: &'static str| {
        html! {
            <g class={class}>
                <title>{ format!("{} {:.0},{:.0} {:.0}×{:.0}", b.label, b.x, b.y, b.w, b.h) }</title>
                <rect x={format!("{:.1}", b.x)} y={format!("{:.1}", b.y)} width={format!("{:.1}", b.w)} height={format!("{:.1}", b.h)} />
                <text x={format!("{:.1}", b.x + 2.0)} y={format!("{:.1}", b.y + 12.0)}>{ &b.label }</text>
            </g>
        }
    };
    html! {
        <svg class="box-view" viewBox={format!("0 0 {w:.0} {h:.0}")} width="320" role="img"
             aria-label={format!("{} boxes (solid) against {} consensus boxes (dashed)", solid.len(), dashed.len())}>
            <rect class="frame" x="0" y="0" width={format!("{w:.0}")} height={format!("{h:.0}")} />
            { for dashed.iter().map(|b| rect(b, "consensus-box")) }
            { for solid.iter().map(|b| rect(b, "given-box")) }
        </svg>
    }
}

#[function_component(RegionRow)]
fn region_row(p: &RowProps) -> Html {
    let it = &p.item;
    let given = it
        .versions
        .iter()
        .find(|(w, _)| *w == p.annotator)
        .map(|(_, v)| v.clone())
        .unwrap_or(ControlValue::Spans(Vec::new()));
    let open = use_state(|| Open::Closed);
    // The reviewer's version, edited from the annotator's.
    let draft = use_state(|| given.clone());
    let category = use_state(|| ErrorCategory::Boundary);
    let comment = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let save = {
        let (on_review, problem, open) = (p.on_review.clone(), problem.clone(), open.clone());
        let (draft, category, comment) = (draft.clone(), category.clone(), comment.clone());
        let (item, annotator) = (it.item.clone(), p.annotator.clone());
        Callback::from(move |verdict: Verdict| {
            let r = Review {
                item: item.clone(),
                annotator: annotator.clone(),
                verdict,
                fixed: None,
                fixed_regions: (verdict == Verdict::Fix).then(|| (*draft).clone()),
                category: (verdict != Verdict::Accept).then_some(*category),
                section: String::new(),
                comment: if verdict == Verdict::Accept { String::new() } else { comment.trim().to_string() },
                reviewer: "reviewer".into(),
            };
            match r.check("") {
                Ok(()) => {
                    problem.set(None);
                    open.set(Open::Closed);
                    on_review.emit(r);
                }
                Err(why) => problem.set(Some(why.to_string())),
            }
        })
    };
    let click = |v: Verdict| {
        let save = save.clone();
        Callback::from(move |_: MouseEvent| save.emit(v))
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
    let on_comment = {
        let comment = comment.clone();
        Callback::from(move |ev: InputEvent| {
            comment.set(ev.target_unchecked_into::<web_sys::HtmlInputElement>().value())
        })
    };
    let status = p.review.as_ref().map(|r| match r.verdict {
        Verdict::Accept => "accepted",
        Verdict::Fix => "fixed",
        Verdict::Reject => "rejected",
    });
    let view = |v: &ControlValue| match p.kind {
        RegionKind::Spans => marked_text(it.text.as_deref().unwrap_or(""), &spans_of(v)),
        RegionKind::Boxes => boxes_svg(it.size, &boxes_of(v), &boxes_of(&it.consensus)),
        RegionKind::Polygons => polygons_svg(it.size, &polygons_of(v), &polygons_of(&it.consensus)),
    };
    html! {
        <li class={classes!("queue-row", status)} tabindex="0" {onkeydown} data-item={it.item.clone()} data-annotator={p.annotator.clone()}
            data-verdict={status.unwrap_or("")}>
            <div class="queue-versions">
                <strong>{ &it.item }</strong>
                <span class="hint">{ format!("{} of the item's annotators agree with the consensus", percent(Some(it.agreement))) }</span>
                if let Some(s) = status { <span class="queue-reviewed" data-testid="reviewer-version">{ format!("Review: {s}") }</span> }
            </div>
            <div class="region-versions">
                <div data-version="given"><span class="hint">{ format!("{}: ", p.annotator) }</span>{ view(&given) }</div>
                if p.kind == RegionKind::Spans {
                    <div data-version="consensus"><span class="hint">{ "consensus: " }</span>{ view(&it.consensus) }</div>
                }
                if let Some(fixed) = p.review.as_ref().and_then(|r| r.fixed_regions.as_ref()) {
                    <div data-version="review"><span class="hint">{ "reviewer: " }</span>{ view(fixed) }</div>
                }
            </div>
            <div class="queue-actions">
                <button type="button" onclick={click(Verdict::Accept)} title="A">{ "Accept" }</button>
                <button type="button" onclick={opener(Open::Fix)} title="F">{ "Fix…" }</button>
                <button type="button" onclick={opener(Open::Reject)} title="R">{ "Reject…" }</button>
            </div>
            if *open != Open::Closed {
                <form class="queue-form region-form" {onsubmit} aria-label={format!("Review {}'s regions on {}", p.annotator, it.item)}>
                    if *open == Open::Fix {
                        <RegionDraft kind={p.kind} text={it.text.clone()} consensus={it.consensus.clone()}
                                     labels={p.labels.clone()} draft={draft.clone()} />
                    }
                    { category_select(&category) }
                    <input type="text" placeholder="Comment" value={(*comment).clone()} oninput={on_comment} data-testid="review-comment" />
                    <button type="submit" data-testid="review-save">{ if *open == Open::Fix { "Fix & accept" } else { "Reject" } }</button>
                    <button type="button" onclick={opener(Open::Closed)}>{ "Cancel" }</button>
                </form>
            }
            if let Some(why) = &*problem { <p class="import-error" role="alert">{ why }</p> }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct DraftProps {
    kind: RegionKind,
    text: Option<String>,
    consensus: ControlValue,
    labels: Rc<Vec<String>>,
    /// The reviewer's version, edited here.
    draft: UseStateHandle<ControlValue>,
}

/// The reviewer's version being fixed: relabel or remove a region, add one of the consensus's, or take the
/// consensus whole.
#[function_component(RegionDraft)]
fn region_draft(p: &DraftProps) -> Html {
    let draft = &p.draft;
    let edit = |f: Rc<dyn Fn(&mut ControlValue)>| {
        let draft = draft.clone();
        move || {
            let mut v = (*draft).clone();
            f(&mut v);
            draft.set(v);
        }
    };
    let remove = |k: usize| {
        let go = edit(Rc::new(move |v: &mut ControlValue| v.remove(k)));
        Callback::from(move |_: MouseEvent| go())
    };
    let relabel = |k: usize| {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let l = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            let mut v = (*draft).clone();
            v.set_label(k, l);
            draft.set(v);
        })
    };
    let add = |k: usize| {
        let consensus = p.consensus.clone();
        let go = edit(Rc::new(move |v: &mut ControlValue| v.push_from(&consensus, k)));
        Callback::from(move |_: MouseEvent| go())
    };
    let take_consensus = {
        let (draft, c) = (draft.clone(), p.consensus.clone());
        Callback::from(move |_: MouseEvent| draft.set(c.clone()))
    };
    // Consensus regions the draft lacks.
    let missing: Vec<usize> = (0..p.consensus.len()).filter(|&k| !draft.contains_from(&p.consensus, k)).collect();
    let text = p.text.as_deref();
    html! { <>
        <ul class="draft" data-testid="draft">
            { for (0..draft.len()).map(|k| html! {
                <li data-region={k.to_string()}>
                    { describe(p.kind, text, k, draft) }{ " " }
                    <select onchange={relabel(k)} aria-label={format!("Label of region {}", k + 1)}>
                        { for p.labels.iter().map(|l| {
                            let current = draft.label(k).unwrap_or_default();
                            html! { <option value={l.clone()} selected={current == l.as_str()}>{ l }</option> }
                        }) }
                    </select>
                    <button type="button" onclick={remove(k)} aria-label={format!("Remove region {}", k + 1)}>{ "✕" }</button>
                </li>
            }) }
            { for missing.iter().map(|&k| html! {
                <li class="missing">{ format!("consensus has {} ", describe(p.kind, text, k, &p.consensus)) }
                    <button type="button" onclick={add(k)} data-testid="add-consensus-region">{ "Add" }</button></li>
            }) }
        </ul>
        <button type="button" onclick={take_consensus} data-testid="take-consensus">{ "Use the consensus" }</button>
    </> }
}

#[derive(Properties, PartialEq)]
struct PickProps {
    item: RegionItem,
    choice: Option<VersionChoice>,
    /// A reviewer fixed a version of this item: "review" is offered.
    fixed: bool,
    kind: RegionKind,
    on_choice: Callback<VersionChoice>,
}

/// One pool item: every version (the consensus, each annotator's, the reviewer's) with its regions listed; the
/// arbiter picks one and gives a reason.
#[function_component(VersionPick)]
fn version_pick(p: &PickProps) -> Html {
    let it = &p.item;
    let chosen = use_state(|| p.choice.as_ref().map_or("consensus".to_string(), |c| c.version.clone()));
    let reason = use_state(|| p.choice.as_ref().map(|c| c.reason.clone()).unwrap_or_default());
    let mut options: Vec<(String, Option<ControlValue>)> = vec![("consensus".into(), Some(it.consensus.clone()))];
    options.extend(it.versions.iter().map(|(w, v)| (w.clone(), Some(v.clone()))));
    if p.fixed {
        options.push(("review".into(), None));
    }
    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |e: InputEvent| reason.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let onsubmit = {
        let (chosen, reason, on_choice, item) = (chosen.clone(), reason.clone(), p.on_choice.clone(), it.item.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_choice.emit(VersionChoice {
                item: item.clone(),
                version: (*chosen).clone(),
                reason: reason.trim().to_string(),
                arbiter: "lead".into(),
            });
        })
    };
    let group = format!("version-{}", it.item);
    html! {
        <li class={classes!("pool-item", p.choice.is_some().then_some("decided"))} data-item={it.item.clone()}>
            <form {onsubmit} aria-label={format!("Decide item {}", it.item)}>
                <div class="pool-head">
                    <strong>{ &it.item }</strong>
                    <span class="hint">{ format!(" {} agree with the consensus", percent(Some(it.agreement))) }</span>
                    if let Some(c) = &p.choice {
                        <span class="pool-decided" data-testid="decided">{ format!(" Decided: {} ({}) — {}", c.version, c.arbiter, c.reason) }</span>
                    }
                </div>
                <fieldset>
                    <legend class="sr">{ "Final version" }</legend>
                    { for options.iter().map(|(name, v)| {
                        let onchange = {
                            let (chosen, name) = (chosen.clone(), name.clone());
                            Callback::from(move |_: Event| chosen.set(name.clone()))
                        };
                        let regions = v.as_ref().map_or("the reviewer's fix".to_string(), |v| {
                            (0..v.len()).map(|k| describe(p.kind, it.text.as_deref(), k, v)).collect::<Vec<_>>().join("; ")
                        });
                        html! {
                            <label class="pool-choice version-choice">
                                <input type="radio" name={group.clone()} value={name.clone()} checked={*chosen == *name} {onchange} />
                                <b>{ name }</b>{ format!(": {}", if regions.is_empty() { "no regions".to_string() } else { regions }) }
                            </label>
                        }
                    }) }
                </fieldset>
                <input type="text" placeholder="Reason" value={(*reason).clone()} oninput={on_reason} required={true}
                       aria-label={format!("Reason for item {}", it.item)} />
                <button type="submit">{ if p.choice.is_some() { "Change" } else { "Decide" } }</button>
            </form>
        </li>
    }
}
