//! What the image views (boxes, polygons) share: the open task's regions of their control and the model's, the
//! regions a rule flags, the label chips and zoom of the toolbar, and the zoom keys.

use std::rc::Rc;

use concord_engine::model::{Control, ControlKind, ControlValue};
use yew::prelude::*;

use super::{label_color, resolve, ViewProps};

/// The control of `kind`, its regions on the open task and the model's proposal (only while the annotator has
/// none): what an image view draws.
pub struct ImageRegions<R> {
    pub control: Control,
    /// Shared with the view's handlers; rebuilt only when the task or the log changes.
    pub regions: Rc<Vec<R>>,
    pub predicted: Vec<R>,
    /// Indices of regions a rule flags.
    pub violating: Rc<Vec<usize>>,
}

/// Reads the regions of the schema's first control of `kind`; `None` when the schema has none. `of` picks the
/// control value's list.
#[hook]
pub fn use_image_regions<R: Clone + 'static>(
    props: &ViewProps,
    kind: ControlKind,
    of: fn(&ControlValue) -> Option<&Vec<R>>,
) -> Option<ImageRegions<R>> {
    let cache = use_mut_ref(|| (String::new(), u64::MAX, Rc::new(Vec::<R>::new())));
    let session = props.session.0.borrow();
    let control = session.project.schema.controls.iter().find(|c| c.kind == kind).cloned()?;
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
    let violating = Rc::new(
        props
            .violations
            .iter()
            .filter(|v| v.control.as_deref() == Some(control.name.as_str()))
            .filter_map(|v| v.region)
            .collect(),
    );
    Some(ImageRegions { control, regions, predicted, violating })
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
                        style={format!("--label: {}", label_color(l))} onclick={onclick} aria-pressed={(l.value == label_now).to_string()}>
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

/// The scrollable stage: the task's image at zoom `z` with the view's canvas over it.
pub fn stage(props: &ViewProps, z: f64, canvas: Html) -> Html {
    let t = &props.task;
    let (w, h) = (t.data.width.unwrap_or(800.0), t.data.height.unwrap_or(600.0));
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
