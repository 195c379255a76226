//! What a point-cloud frame shows: the 3D view, or the image of a camera that the project's 2D controls (boxes,
//! polygons with a `camera`) are drawn on, drawn on with annotator mode's own image views. Tabs switch, and so does
//! P (the point cloud, then each camera control in schema order). The shown view gets the keys; the stage takes
//! only P.

use std::rc::Rc;

use concord_engine::model::{Control, ControlKind};
use yew::prelude::*;

use super::view::CuboidsView;
use crate::views::{BoxesView, KeyBus, PolygonsView, ViewProps};

/// The controls drawn on a camera's image, in schema order.
fn camera_controls(props: &ViewProps) -> Vec<Control> {
    let session = props.session.0.borrow();
    session.project.schema.controls.iter().filter(|c| c.camera.is_some()).cloned().collect()
}

/// Which view shows after P from `shown` (`None`: the point cloud), over `count` camera controls.
fn next_shown(shown: Option<usize>, count: usize) -> Option<usize> {
    match shown {
        None if count > 0 => Some(0),
        Some(k) if k + 1 < count => Some(k + 1),
        _ => None,
    }
}

#[function_component(SceneStage)]
pub fn scene_stage(props: &ViewProps) -> Html {
    // `None`: the point cloud; `Some(k)`: camera control k.
    let shown = use_state(|| None::<usize>);
    let inner = use_memo((), |_| KeyBus::default());
    let controls = camera_controls(props);
    {
        let (keys, inner, shown, count) = (props.keys.clone(), (*inner).clone(), shown.clone(), controls.len());
        use_effect(move || {
            keys.register(Callback::from(move |e: KeyboardEvent| {
                let plain = !(e.ctrl_key() || e.meta_key() || e.alt_key());
                if plain && (e.key() == "p" || e.key() == "P") && count > 0 && !crate::views::from_text_field(&e) {
                    e.prevent_default();
                    shown.set(next_shown(*shown, count));
                } else {
                    inner.offer(&e);
                }
            }))
        });
    }
    let chosen = (*shown).and_then(|k| controls.get(k));
    let view = match chosen {
        None => html! { <CuboidsView ..ViewProps { keys: (*inner).clone(), ..props.clone() } /> },
        Some(control) => camera_view(props, control, &inner),
    };
    let tab = |k: Option<usize>, title: String| {
        let onclick = {
            let shown = shown.clone();
            Callback::from(move |_: MouseEvent| shown.set(k))
        };
        html! {
            <button role="tab" aria-selected={(*shown == k).to_string()}
                    data-testid={format!("scene-tab-{}", k.map_or("cloud".to_string(), |k| k.to_string()))} {onclick}>
                { title }
            </button>
        }
    };
    html! {
        <>
            if !controls.is_empty() {
                <div class="scene-tabs" role="tablist" aria-label="What to label (P switches)">
                    { tab(None, "Point cloud".into()) }
                    { for controls.iter().enumerate().map(|(k, c)| tab(Some(k), tab_title(c))) }
                </div>
            }
            { view }
        </>
    }
}

/// A camera control's tab: its camera and what is drawn there (`front camera: boxes`).
fn tab_title(c: &Control) -> String {
    let what = if c.kind == ControlKind::Polygons { "polygons" } else { "boxes" };
    format!("{} camera: {what}", c.camera.as_deref().unwrap_or_default())
}

/// The image view of `control` on the frame's camera image (and the next frame's, preloaded).
fn camera_view(props: &ViewProps, control: &Control, keys: &KeyBus) -> Html {
    let Some(task) = props.task.as_image_for(control) else {
        return html! { <p class="view-message" role="alert">{ format!("This frame has no `{}` camera.", control.camera.as_deref().unwrap_or_default()) }</p> };
    };
    let next = props.next.as_ref().and_then(|n| n.as_image_for(control)).map(|n| Rc::new(n.into_owned()));
    let p = ViewProps {
        task: Rc::new(task.into_owned()),
        next,
        keys: keys.clone(),
        control: Some(AttrValue::from(control.name.clone())),
        ..props.clone()
    };
    match control.kind {
        ControlKind::Boxes => html! { <BoxesView ..p /> },
        ControlKind::Polygons => html! { <PolygonsView ..p /> },
        _ => html! {},
    }
}
