//! What the image views (boxes, polygons) share: the open task's regions of their control and the model's, the
//! regions a rule flags, the label chips and zoom of the toolbar, and the zoom keys.

use std::rc::Rc;

use concord_engine::log::{Op, Region};
use concord_engine::model::{BoxRegion, Control, ControlKind, ControlValue, PolygonRegion};
use yew::prelude::*;

use super::{label_color, label_for_key, label_ink, resolve, ViewProps};
use crate::perf;

/// The control of `kind`, its regions on the open task and the model's proposal (only while the annotator has
/// none): what an image view draws.
pub struct ImageRegions<R> {
    pub control: Control,
    /// Shared with the view's handlers; rebuilt only when the task or the log changes.
    pub regions: Rc<Vec<R>>,
    pub predicted: Vec<R>,
    /// Indices of regions a rule flags.
    pub violating: Rc<Vec<usize>>,
    /// The regions as the log has them now: what a key acts on, since keys can come faster than renders (a held
    /// arrow repeats every 30 ms) and `regions` is as of the last render.
    pub current: Rc<dyn Fn() -> Vec<R>>,
    /// The live model's label for each region it labels otherwise (by index), with its probability.
    pub suggested: Rc<Vec<Option<(String, f64)>>>,
}

/// Reads the regions of the view's control (`props.control`, else the schema's first of `kind`); `None` when the
/// schema has none. `of` picks the control value's list.
#[hook]
pub fn use_image_regions<R: Clone + 'static>(
    props: &ViewProps,
    kind: ControlKind,
    of: fn(&ControlValue) -> Option<&Vec<R>>,
) -> Option<ImageRegions<R>> {
    let cache = use_mut_ref(|| (String::new(), u64::MAX, Rc::new(Vec::<R>::new())));
    let session = props.session.0.borrow();
    let control = match &props.control {
        Some(name) => session.project.schema.control(name).filter(|c| c.kind == kind),
        None => session.project.schema.controls.iter().find(|c| c.kind == kind),
    }
    .cloned()?;
    let regions = {
        let mut c = cache.borrow_mut();
        if c.0 != props.task.id || c.1 != props.generation {
            let now = session.result_of(&props.task.id).and_then(|r| r.0.get(&control.name)).and_then(of);
            *c = (props.task.id.clone(), props.generation, Rc::new(now.cloned().unwrap_or_default()));
        }
        c.2.clone()
    };
    let predicted = match session.predictions.get(&props.task.id).and_then(|p| p.result.0.get(&control.name)) {
        Some(v) if regions.is_empty() => of(v).cloned().unwrap_or_default(),
        _ => Vec::new(),
    };
    let violating = Rc::new(super::violating_regions(&props.violations, &control.name));
    let suggested = {
        let mut by_index = vec![None; regions.len()];
        if let Some(p) = session.live.get(&props.task.id) {
            for r in concord_engine::learn::relabels(&control.name, session.result_of(&props.task.id), p) {
                if let Some(slot) = by_index.get_mut(r.index) {
                    *slot = Some((r.label, r.probability));
                }
            }
        }
        Rc::new(by_index)
    };
    let current: Rc<dyn Fn() -> Vec<R>> = {
        let (session, task, name) = (props.session.0.clone(), props.task.id.clone(), control.name.clone());
        Rc::new(move || {
            let s = session.borrow();
            s.result_of(&task).and_then(|r| r.0.get(&name)).and_then(of).cloned().unwrap_or_default()
        })
    };
    Some(ImageRegions { control, regions, predicted, violating, current, suggested })
}

/// The label chips (a click picks the label new regions get) and the zoom buttons of an image view's toolbar.
pub fn toolbar_controls(
    control: &Control,
    active: &UseStateHandle<Option<String>>,
    label_now: &str,
    zoom: &UseStateHandle<f64>,
) -> Html {
    html! { <>
        { for control.labels.iter().map(|l| {
            let onclick = { let a = active.clone(); let v = l.value.clone(); Callback::from(move |_| a.set(Some(v.clone()))) };
            html! {
                <button class={classes!("label-chip", (l.value == label_now).then_some("active"))}
                        style={{ let c = label_color(l); format!("--label: {c}; --label-ink: {}", label_ink(&c)) }} onclick={onclick} aria-pressed={(l.value == label_now).to_string()}>
                    if let Some(k) = &l.hotkey { <kbd>{ k }</kbd> } { &l.value }
                </button>
            }
        }) }
        <span class="zoom" data-testid="zoom">{ format!("{:.0} %", **zoom * 100.0) }</span>
        <button onclick={{ let zoom = zoom.clone(); Callback::from(move |_| zoom.set(zoomed(*zoom, "-"))) }} aria-label="Zoom out">{ "−" }</button>
        <button onclick={{ let zoom = zoom.clone(); Callback::from(move |_| zoom.set(zoomed(*zoom, "+"))) }} aria-label="Zoom in">{ "+" }</button>
    </> }
}

/// The zoom after key `key` (`+`/`=` in, `-` out, by 1.25 within 1/8–8); `None` for any other key.
pub fn zoom_key(zoom: f64, key: &str) -> Option<f64> {
    matches!(key, "+" | "=" | "-").then(|| zoomed(zoom, key))
}

fn zoomed(zoom: f64, key: &str) -> f64 {
    if key == "-" {
        (zoom / 1.25).max(0.125)
    } else {
        (zoom * 1.25).min(8.0)
    }
}

/// The task's image size in pixels (800 × 600 when the task does not say).
pub fn image_size(t: &concord_engine::model::Task) -> (f64, f64) {
    (t.data.width.unwrap_or(800.0), t.data.height.unwrap_or(600.0))
}

/// The scrollable stage: the task's image at zoom `z` with the view's canvas over it.
pub fn stage(props: &ViewProps, z: f64, canvas: Html) -> Html {
    let t = &props.task;
    let (w, h) = image_size(t);
    html! {
        <div class="stage" data-testid="stage">
            <div class="stage-inner" style={format!("width:{}px;height:{}px", w * z, h * z)}>
                if let Some(src) = &t.data.image {
                    <img class="stage-image" src={resolve(&props.base, src)} alt={format!("task {}", t.id)}
                         width={(w * z).to_string()} height={(h * z).to_string()} draggable="false" />
                }
                { canvas }
            </div>
        </div>
    }
}

/// A region an image view edits by key.
pub trait KeyedRegion: Clone {
    fn nudged(&self, dx: f64, dy: f64) -> Self;
    /// The region with `label` (and what the label implies, e.g. its default attributes).
    fn relabeled(&self, control: &Control, label: &str) -> Self;
    fn into_log(self) -> Region;
}

impl KeyedRegion for BoxRegion {
    fn nudged(&self, dx: f64, dy: f64) -> Self {
        BoxRegion { x: self.x + dx, y: self.y + dy, ..self.clone() }
    }
    fn relabeled(&self, control: &Control, label: &str) -> Self {
        BoxRegion { label: label.to_string(), attributes: default_attributes(control, label), ..self.clone() }
    }
    fn into_log(self) -> Region {
        Region::Box(self)
    }
}

impl KeyedRegion for PolygonRegion {
    fn nudged(&self, dx: f64, dy: f64) -> Self {
        PolygonRegion { points: self.points.iter().map(|q| [q[0] + dx, q[1] + dy]).collect(), ..self.clone() }
    }
    fn relabeled(&self, _: &Control, label: &str) -> Self {
        PolygonRegion { label: label.to_string(), ..self.clone() }
    }
    fn into_log(self) -> Region {
        Region::Polygon(self)
    }
}

/// A label's attributes a new region starts with: required booleans, false.
pub fn default_attributes(control: &Control, label: &str) -> std::collections::BTreeMap<String, serde_json::Value> {
    let mut out = std::collections::BTreeMap::new();
    if let Some(l) = control.labels.iter().find(|l| l.value == label) {
        for a in &l.attributes {
            if a.kind == concord_engine::model::AttributeKind::Bool && a.required {
                out.insert(a.name.clone(), serde_json::Value::Bool(false));
            }
        }
    }
    out
}

/// What the image views' shared keys act on.
pub struct KeyTargets<'a, R> {
    pub control: &'a Control,
    pub regions: &'a [R],
    pub selected: &'a UseStateHandle<Option<usize>>,
    pub active_label: &'a UseStateHandle<Option<String>>,
    pub zoom: &'a UseStateHandle<f64>,
    pub on_op: &'a Callback<Op>,
}

/// The keys both image views share: arrows nudge the selected region (Shift ×10; not with Alt), Delete or
/// Backspace removes it, Tab / Shift+Tab select the next / previous (past the last, the focus moves on), Escape deselects, +/− zoom, and a label key
/// picks the label new regions get and relabels the selected region.
pub fn shared_keys<R: KeyedRegion>(e: &KeyboardEvent, t: KeyTargets<R>) {
    let key = e.key();
    let name = || t.control.name.clone();
    let step = if e.shift_key() { 10.0 } else { 1.0 };
    let nudge = match key.as_str() {
        "ArrowLeft" => Some((-step, 0.0)),
        "ArrowRight" => Some((step, 0.0)),
        "ArrowUp" => Some((0.0, -step)),
        "ArrowDown" => Some((0.0, step)),
        _ => None,
    };
    // The selection may point past the list after an undo: then nothing is selected.
    let chosen = (**t.selected).filter(|&i| i < t.regions.len());
    if let (Some((dx, dy)), Some(i), false) = (nudge, chosen, e.alt_key()) {
        e.prevent_default();
        perf::input();
        t.on_op.emit(Op::Replace { control: name(), index: i, region: t.regions[i].nudged(dx, dy).into_log() });
        return;
    }
    match key.as_str() {
        "Delete" | "Backspace" => {
            if let Some(i) = chosen {
                e.prevent_default();
                perf::input();
                t.on_op.emit(Op::Remove { control: name(), index: i });
                t.selected.set(None);
            }
        }
        "Tab" if !super::from_control(e) => {
            let next = super::tab_to(chosen, t.regions.len(), e.shift_key());
            if next.is_some() {
                e.prevent_default();
                perf::input();
            }
            t.selected.set(next);
        }
        "Escape" => t.selected.set(None),
        k if zoom_key(**t.zoom, k).is_some() => {
            e.prevent_default();
            t.zoom.set(zoom_key(**t.zoom, k).unwrap_or(**t.zoom));
        }
        _ => {
            let Some(l) = label_for_key(&t.control.labels, e) else { return };
            e.prevent_default();
            t.active_label.set(Some(l.value.clone()));
            if let Some(i) = chosen {
                perf::input();
                let region = t.regions[i].relabeled(t.control, &l.value).into_log();
                t.on_op.emit(Op::Replace { control: name(), index: i, region });
            }
        }
    }
}

/// The most regions listed; past it the list says how many more (a list of thousands would cost every redraw).
const LISTED_REGIONS: usize = 200;

/// One region as the list shows it: its label and what else tells it apart.
pub struct ListedRegion {
    pub label: String,
    pub detail: String,
    /// `data-vertices` (polygons), for tests and styles.
    pub vertices: Option<usize>,
    /// The live model's label for it, when it differs, with its probability.
    pub suggested: Option<(String, f64)>,
}

/// The regions as a list, the canvas's text equivalent for assistive technology: each a button that selects it
/// (the selected one `aria-current`), rule violations marked. `regions` is lazy: only the listed ones are made (a
/// region's text formats its numbers, which for 5,000 boxes took most of every redraw).
pub fn region_list(
    name: &'static str,
    one: &'static str,
    regions: impl ExactSizeIterator<Item = ListedRegion>,
    selected: &UseStateHandle<Option<usize>>,
    violating: &[usize],
) -> Html {
    let more = regions.len().saturating_sub(LISTED_REGIONS);
    html! {
        <ol class="region-list" aria-label={name} data-testid="region-list">
            { for regions.into_iter().take(LISTED_REGIONS).enumerate().map(|(i, r)| {
                let onclick = { let s = selected.clone(); Callback::from(move |_| s.set(Some(i))) };
                let current = **selected == Some(i);
                let flagged = violating.contains(&i);
                html! {
                    <li class={classes!(current.then_some("selected"), flagged.then_some("violating"))}
                        data-label={r.label.clone()} data-vertices={r.vertices.map(|n| n.to_string())}>
                        <button class="region-select" onclick={onclick} aria-current={current.then_some("true")}
                            aria-label={format!("{one} {}: {}{}{}", i + 1, r.label, r.detail, if flagged { " (breaks a rule)" } else { "" })}>
                            <span class="region-label">{ r.label }</span>
                            <span class="offsets">{ r.detail }</span>
                            if let Some((label, p)) = &r.suggested {
                                <span class="region-suggestion" data-testid="region-suggestion" data-label={label.clone()} data-probability={p.to_string()}
                                      title="The model's label (Shift+A accepts)">
                                    { format!(" → {label} · {:.0} %", p * 100.0) }
                                </span>
                            }
                        </button>
                    </li>
                }
            }) }
            if more > 0 {
                <li class="more">{ format!("and {more} more (Tab selects them on the image)") }</li>
            }
        </ol>
    }
}

/// A gesture function bound to the view's tools, as an event handler (the boxes and polygons views).
pub fn bind<T: Clone + 'static, E: 'static>(tools: &T, f: fn(&T, &E)) -> Callback<E> {
    let tools = tools.clone();
    Callback::from(move |e: E| f(&tools, &e))
}

/// Registers the view's key handler, bound to its tools, after each render.
#[hook]
pub fn use_view_keys<T: Clone + 'static>(keys: &super::KeyBus, tools: &T, f: fn(&T, &KeyboardEvent)) {
    let (keys, on_key) = (keys.clone(), bind(tools, f));
    use_effect(move || keys.register(on_key));
}

/// What an image view draws over the annotator's regions: the model's proposal (dashed grey), the regions a rule
/// flags (dashed red), and the live model's label for the regions it labels otherwise (after their label).
pub struct Marks<'a, R> {
    pub predicted: &'a [R],
    pub violating: &'a [usize],
    pub suggested: &'a [Option<(String, f64)>],
}

/// A region's label on the canvas at `at` (the fill style set to its colour), then the live model's label for it
/// when it differs ("→ bottle? 91 %", muted).
pub fn fill_label(
    ctx: &web_sys::CanvasRenderingContext2d,
    label: &str,
    suggested: Option<&Option<(String, f64)>>,
    at: (f64, f64),
) {
    let _ = ctx.fill_text(label, at.0, at.1);
    if let Some((other, p)) = suggested.and_then(Option::as_ref) {
        let after = ctx.measure_text(label).map_or(0.0, |m| m.width());
        ctx.set_fill_style_str("#52606d");
        let _ = ctx.fill_text(&format!(" → {other}? {:.0} %", p * 100.0), at.0 + after, at.1);
    }
}
