//! NER: select text with the mouse or the keyboard (Shift+arrows by token), snapped to token boundaries, then a
//! label hotkey makes the span; click or Tab selects a span to relabel (hotkey) or delete (Delete). The schema's
//! overlap policy is enforced as spans are made. Offsets are code points: the DOM's UTF-16 selection offsets
//! are converted in `dom_offset` with the engine's `code_point_of_utf16`, nowhere else.

use concord_engine::sorting::LeanSort;
use std::rc::Rc;

use concord_engine::log::{Op, Region};
use concord_engine::model::{code_point_of_utf16, token_at};
use concord_engine::model::{Control, ControlKind, ControlValue, SpanRegion};
use concord_engine::spans::overlap_conflict;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::span_keys::{on_key, on_mouseup, SpanTools};
use super::{label_color, ViewProps};
use crate::perf;

#[function_component(SpansView)]
pub fn spans_view(props: &ViewProps) -> Html {
    let pending = use_state(|| None::<(usize, usize)>);
    let selected = use_state(|| None::<usize>);
    let message = use_state(String::new);
    let caret = use_mut_ref(|| (0usize, None::<usize>)); // (caret, selection anchor) in code points
    let text_ref = use_node_ref();
    // The suggestions last drawn, and whether the mouse is selecting: while a drag is under way the suggestions stay
    // as drawn, because redrawing the text's pieces under a live selection loses it.
    let drawn = use_mut_ref(Vec::<SpanRegion>::new);
    let dragging = use_mut_ref(|| false);

    // New task: clear the selection.
    {
        let (pending, selected, caret) = (pending.clone(), selected.clone(), caret.clone());
        use_effect_with(props.task.id.clone(), move |_| {
            pending.set(None);
            selected.set(None);
            *caret.borrow_mut() = (0, None);
        });
    }
    use_effect(|| perf::painted("spans"));

    let session = props.session.0.borrow();
    let Some(control) = session.project.schema.controls.iter().find(|c| c.kind == ControlKind::Spans).cloned() else {
        return html! {};
    };
    let text: Rc<Vec<char>> = Rc::new(props.task.data.text.as_deref().unwrap_or("").chars().collect());
    let spans: Vec<SpanRegion> = match session.result_of(&props.task.id).and_then(|r| r.0.get(&control.name)) {
        Some(ControlValue::Spans(v)) => v.clone(),
        _ => Vec::new(),
    };
    let predicted: Vec<SpanRegion> =
        match session.predictions.get(&props.task.id).and_then(|p| p.result.0.get(&control.name)) {
            Some(ControlValue::Spans(v)) => v.clone(),
            _ => Vec::new(),
        };
    // The live model's spans, drawn as suggestions where they overlap none of the annotator's (Shift+A adds them).
    let suggested: Vec<SpanRegion> = if *dragging.borrow() {
        drawn.borrow().clone()
    } else {
        match session.live.get(&props.task.id).and_then(|p| p.result.0.get(&control.name)) {
            Some(ControlValue::Spans(v)) => spans_beside(v, &spans),
            _ => Vec::new(),
        }
    };
    *drawn.borrow_mut() = suggested.clone();
    drop(session);
    let violating = super::violating_regions(&props.violations, &control.name);

    let tools = SpanTools {
        pending: pending.clone(),
        selected: selected.clone(),
        message: message.clone(),
        caret: caret.clone(),
        control: control.clone(),
        text: text.clone(),
        spans: Rc::new(spans.clone()),
        on_op: props.on_op.clone(),
    };
    {
        let keys = props.keys.clone();
        let deps = (props.task.id.clone(), props.generation, *pending, *selected);
        let tools = tools.clone();
        use_effect_with(deps, move |_| keys.register(Callback::from(move |e: KeyboardEvent| on_key(&tools, &e))));
    }
    let on_mousedown = {
        let dragging = dragging.clone();
        Callback::from(move |e: MouseEvent| *dragging.borrow_mut() = e.button() == 0)
    };
    // The tools of the last render, for the page-wide mouseup below (its listener outlives renders).
    let latest_tools = use_mut_ref(|| None::<SpanTools>);
    *latest_tools.borrow_mut() = Some(tools.clone());
    {
        // A drag ends wherever its mouseup lands. (Not on leaving the text: the page's layout can move the text from
        // under a pointer held still.) One that lands off the text still makes its selection pending: the text's
        // own mouseup, which runs first, has not ended it.
        let (dragging, text_ref) = (dragging.clone(), text_ref.clone());
        use_effect_with((), move |_| {
            let listener = gloo::events::EventListener::new(&gloo::utils::window(), "mouseup", move |_| {
                if std::mem::replace(&mut *dragging.borrow_mut(), false) {
                    if let Some(tools) = latest_tools.borrow().as_ref() {
                        on_mouseup(tools, &text_ref);
                    }
                }
            });
            move || drop(listener)
        });
    }
    let on_mouseup = {
        let (tools, text_ref, dragging) = (tools.clone(), text_ref.clone(), dragging.clone());
        Callback::from(move |_: MouseEvent| {
            *dragging.borrow_mut() = false;
            on_mouseup(&tools, &text_ref)
        })
    };

    let accept = super::accept_prediction(&props.on_op, &control.name, ControlValue::Spans(predicted.clone()));

    let segments = segments(&text, &spans, &suggested, *pending);
    html! {
        <section class="view spans" aria-label="Entity spans">
            <div class="span-labels" role="group" aria-label="Labels">
                { for control.labels.iter().map(|l| html! {
                    <span class="label-chip" style={format!("--label: {}", label_color(l))} title={l.description.clone()}>
                        if let Some(k) = &l.hotkey { <kbd>{ k }</kbd> } { &l.value }
                    </span>
                }) }
            </div>
            <p class="text-doc" ref={text_ref} onmousedown={on_mousedown} onmouseup={on_mouseup} data-testid="text-doc" lang="und">
                { for blocks(&text, &segments, (&spans, &suggested), &control, *selected, &violating).into_iter().map(|(start, segs)| html! {
                    <TextBlock key={start} segs={segs} />
                }) }
            </p>
            if !message.is_empty() { <p class="view-message" role="alert">{ (*message).clone() }</p> }
            <p class="hint">{ "Select text (mouse, or Shift+←/→ by word), then press a label key. Tab selects a span; a label key relabels it; Delete removes it." }</p>
            if spans.is_empty() && !predicted.is_empty() {
                <div class="pre-annotation" data-testid="pre-annotation">
                    { format!("The model marked {} spans. ", predicted.len()) }
                    <button onclick={accept}>{ "Accept pre-annotation" }</button>
                </div>
            }
            { span_list(&text, &spans, &selected, &violating) }
            if spans.len() > 300 { <p class="more">{ format!("and {} more spans", spans.len() - 300) }</p> }
        </section>
    }
}

/// The spans as a list (the first 300), each selectable: what a screen reader and the keyboard walk.
fn span_list(
    text: &[char],
    spans: &[SpanRegion],
    selected: &UseStateHandle<Option<usize>>,
    violating: &[usize],
) -> Html {
    html! {
        <ol class="region-list" aria-label="Spans" data-testid="region-list">
            { for spans.iter().enumerate().take(300).map(|(i, s)| {
                let body: String = text.get(s.start..s.end.min(text.len())).unwrap_or(&[]).iter().collect();
                // Keyed by range (identical ranges, possible under `allow`, counted apart), so adding a span
                // inserts one row instead of rewriting every row after it.
                let twin = spans[..i].iter().rev().take_while(|p| (p.start, p.end) == (s.start, s.end)).count();
                let key = format!("{}-{}-{twin}", s.start, s.end);
                let onclick = { let selected = selected.clone(); Callback::from(move |_| selected.set(Some(i))) };
                html! {
                    <li {key} class={classes!((**selected == Some(i)).then_some("selected"), violating.contains(&i).then_some("violating"))}
                        onclick={onclick} data-start={s.start.to_string()} data-end={s.end.to_string()}>
                        <span class="region-label">{ &s.label }</span>{ " " }<q>{ body }</q>
                        <span class="offsets">{ format!(" {}–{}", s.start, s.end) }</span>
                    </li>
                }
            }) }
        </ol>
    }
}

/// One rendered piece of text: where it starts (code points), its text, and how it is marked.
#[derive(Clone, PartialEq)]
struct SegData {
    start: usize,
    text: String,
    class: &'static str,
    extra: String,
    label: Option<String>,
    color: Option<String>,
    title: Option<String>,
}

#[derive(Properties, PartialEq)]
struct BlockProps {
    segs: Rc<Vec<SegData>>,
}

/// A few sentences of the text. Blocks re-render only when their own segments change, and each is laid out on
/// its own (`contain: layout`), so an edit in a text with thousands of spans costs one block, not the document:
/// measured on 2,000 spans, the browser's relayout of one long paragraph took 30–70 ms per edit.
#[function_component(TextBlock)]
fn text_block(p: &BlockProps) -> Html {
    html! {
        <span class="block">
            { for p.segs.iter().map(|s| html! {
                <span class={classes!("seg", s.class, s.extra.clone())} data-cp={s.start.to_string()}
                      data-label={s.label.clone()} style={s.color.as_ref().map(|c| format!("--label: {c}"))}
                      title={s.title.clone()}>{ &s.text }</span>
            }) }
        </span>
    }
}

/// A block ends at the first sentence end after this many code points (a text shorter than that is one block).
const BLOCK: usize = 240;

/// Where blocks start: 0, then after the whitespace that follows a sentence end (`.`, `!`, `?`, `。`, a line
/// break) once a block has `BLOCK` code points — or at any whitespace once it has four times that.
fn block_starts(text: &[char]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut i = 0;
    while i + 1 < text.len() {
        let len = i + 1 - starts.last().unwrap();
        let sentence_end = matches!(text[i], '.' | '!' | '?' | '。' | '\n') && text[i + 1].is_whitespace();
        if (len >= BLOCK && sentence_end) || (len >= 4 * BLOCK && text[i].is_whitespace()) {
            let mut j = i + 1;
            while j < text.len() && text[j].is_whitespace() {
                j += 1;
            }
            if j < text.len() {
                starts.push(j);
            }
            i = j;
            continue;
        }
        i += 1;
    }
    starts
}

/// Segments grouped into blocks (cut where `block_starts` says), keyed by their start.
fn blocks(
    text: &[char],
    segments: &[Segment],
    (spans, suggested): (&[SpanRegion], &[SpanRegion]),
    control: &Control,
    selected: Option<usize>,
    violating: &[usize],
) -> Vec<(usize, Rc<Vec<SegData>>)> {
    let starts = block_starts(text);
    let mut out: Vec<(usize, Vec<SegData>)> = Vec::new();
    for seg in segments {
        let mut a = seg.start;
        while a < seg.end {
            let k = starts.partition_point(|&s| s <= a) - 1;
            let block = starts[k];
            let b = seg.end.min(starts.get(k + 1).copied().unwrap_or(usize::MAX));
            if out.last().map(|l| l.0) != Some(block) {
                out.push((block, Vec::new()));
            }
            let mut extra = Vec::new();
            if seg.pending {
                extra.push("pending");
            }
            let mut title = None;
            let (class, label, color) = match (seg.span, seg.suggested) {
                (Some(i), _) => {
                    let s = &spans[i];
                    if b == s.end {
                        extra.push("span-end");
                    }
                    if selected == Some(i) {
                        extra.push("selected");
                    }
                    if violating.contains(&i) {
                        extra.push("violating");
                    }
                    let color = control.labels.iter().find(|l| l.value == s.label).map(label_color);
                    ("entity", Some(s.label.clone()), color)
                }
                (None, Some(k)) => {
                    let s = &suggested[k];
                    if b == s.end {
                        extra.push("span-end");
                    }
                    title = Some(format!("The model suggests {} (Shift+A accepts)", s.label));
                    let color = control.labels.iter().find(|l| l.value == s.label).map(label_color);
                    ("suggested", Some(s.label.clone()), color)
                }
                (None, None) => ("plain", None, None),
            };
            out.last_mut().expect("pushed").1.push(SegData {
                start: a,
                text: text[a..b].iter().collect(),
                class,
                extra: extra.join(" "),
                label,
                color,
                title,
            });
            a = b;
        }
    }
    out.into_iter().map(|(k, v)| (k, Rc::new(v))).collect()
}

pub(super) fn add_span(
    control: &Control,
    spans: &[SpanRegion],
    start: usize,
    end: usize,
    label: &str,
) -> Result<Op, String> {
    if let Some(i) = overlap_conflict(control.overlap, spans, start, end, None) {
        return Err(format!(
            "{start}–{end} overlaps span {} ({}); this schema's overlap policy is {:?}",
            i + 1,
            spans[i].label,
            control.overlap
        ));
    }
    let index = spans.partition_point(|s| (s.start, s.end) < (start, end));
    Ok(Op::Insert {
        control: control.name.clone(),
        index,
        region: Region::Span(SpanRegion { start, end, label: label.to_string(), score: None }),
    })
}

pub(super) fn next_token_end(text: &[char], at: usize) -> usize {
    token_at(text, at)
        .map_or(text.len(), |(_, e)| if e > at { e } else { token_at(text, e).map_or(text.len(), |t| t.1) })
}

pub(super) fn prev_token_start(text: &[char], at: usize) -> usize {
    let mut i = at.min(text.len());
    while i > 0 && text[i - 1].is_whitespace() {
        i -= 1;
    }
    if i == 0 {
        return 0;
    }
    token_at(text, i - 1).map_or(0, |t| t.0)
}

struct Segment {
    start: usize,
    end: usize,
    /// The innermost span covering the segment.
    span: Option<usize>,
    /// The suggested span covering it (suggestions are disjoint).
    suggested: Option<usize>,
    pending: bool,
}

/// The suggested spans that overlap none of `mine`, in order: what Shift+A adds, and what the text view draws as
/// suggestions.
pub fn spans_beside(suggested: &[SpanRegion], mine: &[SpanRegion]) -> Vec<SpanRegion> {
    let mut out: Vec<SpanRegion> =
        suggested.iter().filter(|s| !mine.iter().any(|m| m.start < s.end && s.start < m.end)).cloned().collect();
    out.lean_sort_by_key(|s| (s.start, s.end));
    out
}

/// Cuts the text at every span, suggestion and selection boundary; each piece knows its innermost span and its
/// suggestion. A sweep over the sorted boundaries: thousands of spans render in linear time.
fn segments(
    text: &[char],
    spans: &[SpanRegion],
    suggested: &[SpanRegion],
    pending: Option<(usize, usize)>,
) -> Vec<Segment> {
    let n = text.len();
    let mut cuts: Vec<usize> = vec![0, n];
    for s in spans.iter().chain(suggested) {
        cuts.push(s.start.min(n));
        cuts.push(s.end.min(n));
    }
    if let Some((a, b)) = pending {
        cuts.push(a.min(n));
        cuts.push(b.min(n));
    }
    cuts.lean_sort();
    cuts.dedup();
    let mut by_start: Vec<usize> = (0..spans.len()).collect();
    by_start.lean_sort_by_key(|&i| (spans[i].start, std::cmp::Reverse(spans[i].end)));
    let mut next = 0;
    let mut next_suggested = 0;
    let mut active: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(cuts.len());
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        while next < by_start.len() && spans[by_start[next]].start <= a {
            active.push(by_start[next]);
            next += 1;
        }
        active.retain(|&i| spans[i].end > a);
        while next_suggested < suggested.len() && suggested[next_suggested].end <= a {
            next_suggested += 1;
        }
        let in_suggestion = suggested.get(next_suggested).is_some_and(|s| s.start <= a);
        out.push(Segment {
            start: a,
            end: b,
            span: active.last().copied(),
            suggested: in_suggestion.then_some(next_suggested),
            pending: pending.is_some_and(|(x, y)| x <= a && b <= y),
        });
    }
    out
}

/// The code-point offset of a DOM selection point inside the text container: the segment's `data-cp` plus the
/// UTF-16 offset within the segment converted to code points — the one place where DOM offsets become Concord
/// offsets.
pub(super) fn dom_offset(root: &web_sys::Element, node: &web_sys::Node, offset: u32) -> Option<usize> {
    if !root.contains(Some(node)) {
        return None;
    }
    let cp_of = |el: &web_sys::Element| el.get_attribute("data-cp").and_then(|v| v.parse::<usize>().ok());
    if node.node_type() == web_sys::Node::TEXT_NODE {
        let seg = node.parent_element()?;
        let base = cp_of(&seg)?;
        let text = node.text_content().unwrap_or_default();
        return Some(base + code_point_of_utf16(&text, offset as usize));
    }
    let el: &web_sys::Element = node.dyn_ref()?;
    if let Some(base) = cp_of(el) {
        // Offset counts child nodes of the segment: 0 is its start, anything else its end.
        let len = el.text_content().unwrap_or_default().chars().count();
        return Some(if offset == 0 { base } else { base + len });
    }
    // A block or the container: `offset` counts child elements; find the segment there.
    let first_seg = |e: web_sys::Element| -> Option<web_sys::Element> {
        if e.has_attribute("data-cp") {
            Some(e)
        } else {
            e.query_selector("[data-cp]").ok().flatten()
        }
    };
    match el.children().item(offset).and_then(first_seg) {
        Some(seg) => cp_of(&seg),
        None => {
            let all = el.query_selector_all("[data-cp]").ok()?;
            let last: web_sys::Element = all.item(all.length().checked_sub(1)?)?.dyn_into().ok()?;
            Some(cp_of(&last)? + last.text_content().unwrap_or_default().chars().count())
        }
    }
}
