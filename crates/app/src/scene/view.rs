//! The 3D view of a LiDAR frame: its points and cuboids in WebGL2, seen from above (bird's-eye view, where cuboids
//! are drawn) or orbiting; the front camera's image with the cuboids projected into it; the cuboid list.
//!
//! Mouse: in the bird's-eye view, drag on empty ground to draw a cuboid (its height fitted to the points over it),
//! drag a cuboid to move it, click one to select it; in the orbit view, drag to orbit. Shift+drag (or the right
//! button) pans, the wheel zooms. Keys: a label key sets the next cuboid's label or relabels the selected one;
//! arrows move the selected cuboid 10 cm (Shift: 50 cm), Q / E turn it 2° (Shift: 10°), W / S, A / D and R / F
//! grow and shrink its length, width and height 10 cm, H fits its height to the points, Delete removes it, Tab
//! selects the next, Escape none, V switches the view. With nothing selected, ← / → step through the frames (the
//! app's queue keys). Every edit is one log event, undone by Ctrl+Z like any other.

use std::rc::Rc;

use concord_engine::model::{ControlKind, ControlValue, Cuboid};
use concord_engine::scene::{write_kitti_labels, write_nuscenes};
use yew::prelude::*;

use super::frames::{register, sequence_cuboids, sequence_of, FrameRef};
use super::keys::{on_key, KeyTools};
use super::live::{use_frame_cloud, use_renderer, use_scene_draw, Live, LiveRef, Mode};
use super::panels::{camera_view, close_ups, track_timeline};
use super::pointer::{use_scene_pointer, Pointer, PointerScene};
use super::sequence::{sequence_panel, use_sequence_checks};
use crate::views::{label_color, ViewProps};

/// The frame's cuboids as the log has them.
fn cuboids_of(props: &ViewProps, control: &str) -> Vec<Cuboid> {
    match props.session.0.borrow().result_of(&props.task.id).and_then(|r| r.0.get(control)) {
        Some(ControlValue::Cuboids(v)) => v.clone(),
        _ => Vec::new(),
    }
}

#[function_component(CuboidsView)]
pub fn cuboids_view(props: &ViewProps) -> Html {
    let canvas_ref = use_node_ref();
    let live: LiveRef = use_mut_ref(Live::default);
    let selected = use_state(|| None::<usize>);
    let label_index = use_state(|| 0usize);
    let problem = use_state(|| None::<String>);
    // Bumped when something the markup shows changes outside the log (a cloud loaded, the view switched).
    let tick = use_state(|| 0u32);

    let control = {
        let session = props.session.0.borrow();
        session.project.schema.controls.iter().find(|c| c.kind == ControlKind::Cuboids).cloned()
    };
    let Some(control) = control else { return html! {} };
    let cuboids = cuboids_of(props, &control.name);
    let frame = props.task.data.frame.unwrap_or(0);
    let violating = crate::views::violating_regions(&props.violations, &control.name);

    // The sequence and the loaded cloud, for the session's frame check.
    let frames = {
        let tasks = props.tasks.clone();
        let task = props.task.clone();
        use_memo((props.tasks.clone(), props.task.id.clone()), move |_| Rc::new(sequence_of(&tasks, &task)))
    };
    register(&control.name, (*frames).clone(), live.borrow().cloud.clone().map(|c| (props.task.id.clone(), c)));
    let sequence_checks = use_sequence_checks(&props.session, &control.name, &frames, props.generation);

    use_renderer(&live, &canvas_ref, &problem);
    use_frame_cloud(&live, &problem, &tick, &props.base, &props.task, props.next.as_deref());
    use_scene_draw(&live, &canvas_ref, &control.labels, &cuboids, *selected, &violating);
    let Pointer { onmousedown, onmousemove, onmouseup } = use_scene_pointer(PointerScene {
        live: live.clone(),
        canvas_ref: canvas_ref.clone(),
        selected: selected.clone(),
        label_index: label_index.clone(),
        tick: tick.clone(),
        labels: control.labels.clone(),
        control_name: control.name.clone(),
        cuboids: cuboids.clone(),
        frame,
        on_op: props.on_op.clone(),
    });

    // Keys.
    {
        let keys = props.keys.clone();
        let deps = (props.task.id.clone(), props.generation, *selected, *label_index, frames.clone());
        let tools = KeyTools {
            on_op: props.on_op.clone(),
            on_task_op: props.on_task_op.clone(),
            selected: selected.clone(),
            label_index: label_index.clone(),
            live: live.clone(),
            tick: tick.clone(),
            labels: control.labels.clone(),
            control_name: control.name.clone(),
            cuboids: cuboids.clone(),
            session: props.session.0.clone(),
            frames: (*frames).clone(),
            frame,
        };
        use_effect_with(deps, move |_| keys.register(Callback::from(move |e: KeyboardEvent| on_key(&tools, &e))));
    }

    let export = |kitti: bool| {
        let (session, tasks, control_name) = (props.session.0.clone(), props.tasks.clone(), control.name.clone());
        Callback::from(move |_: MouseEvent| {
            let s = session.borrow();
            let all: Vec<FrameRef> = tasks
                .iter()
                .flat_map(|c| c.iter())
                .filter(|t| t.data.points.is_some())
                .map(|t| FrameRef { task: t.id.clone(), frame: t.data.frame.unwrap_or(0), pose: None })
                .collect();
            let cuboids = sequence_cuboids(&s, &control_name, &all);
            let id = s.project.id.clone();
            if kitti {
                crate::download::offer(&format!("{id}-kitti.txt"), &write_kitti_labels(&cuboids), "text/plain");
            } else {
                crate::download::offer(&format!("{id}-nuscenes.json"), &write_nuscenes(&cuboids), "application/json");
            }
        })
    };

    let l = live.borrow();
    let points = l.cloud.as_ref().map_or(0, |c| c.cloud.len());
    let close_up =
        (*selected).and_then(|i| cuboids.get(i)).zip(l.cloud.as_ref()).map(|(c, cl)| close_ups(c, &cl.cloud));
    // The selected cuboid's points (the view highlights them; the count is the engine's).
    let inside = (*selected)
        .and_then(|i| cuboids.get(i))
        .zip(l.cloud.as_ref())
        .map(|(c, cloud)| concord_engine::scene::points_inside(&cloud.cloud, c).len());
    let mode = l.camera.mode;
    let preview = l.preview.clone();
    drop(l);
    let camera_view = props.task.data.cameras.first().map(|cam| {
        let shown: Vec<(usize, Cuboid)> = cuboids
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, c)| match &preview {
                Some((Some(p), moved)) if *p == i => (i, moved.clone()),
                _ => (i, c),
            })
            .chain(preview.iter().filter(|p| p.0.is_none()).map(|p| (usize::MAX, p.1.clone())))
            .collect();
        camera_view(cam, &crate::views::resolve(&props.base, &cam.image), &shown, &control.labels, *selected)
    });
    let track_line = (*selected).and_then(|i| cuboids.get(i)).and_then(|c| c.track_id.clone()).map(|track| {
        track_timeline(&sequence_cuboids(&props.session.0.borrow(), &control.name, &frames), &track, &frames, frame)
    });
    let on_select = |i: usize| {
        let selected = selected.clone();
        Callback::from(move |_: MouseEvent| selected.set(Some(i)))
    };
    html! {
        <section class="view cuboids" aria-label="Point cloud and cuboids">
            <div class="scene-bar">
                <span class="mode" data-testid="scene-mode">{ if mode == Mode::Birdseye { "Bird's-eye view" } else { "Orbit view" } }</span>
                <span class="frame" data-testid="scene-frame">{ format!("Frame {frame}") }</span>
                <span class="points" data-testid="scene-points">{ format!("{points} points") }</span>
                <span class="label-chips" role="group" aria-label="Label of the next cuboid">
                    { for control.labels.iter().enumerate().map(|(k, l)| html! {
                        <span class={classes!("label-chip", (k == *label_index).then_some("chosen"))} style={format!("--label: {}", label_color(l))}>
                            if let Some(h) = &l.hotkey { <kbd>{ h }</kbd> } { &l.value }
                        </span>
                    }) }
                </span>
            </div>
            <canvas ref={canvas_ref} class="scene-canvas" data-testid="scene-canvas" tabindex="0"
                    data-scale={live.borrow().camera.scale.to_string()}
                    data-target={format!("{} {}", live.borrow().camera.target[0], live.borrow().camera.target[1])}
                    {onmousedown} {onmousemove} {onmouseup}
                    oncontextmenu={Callback::from(|e: MouseEvent| e.prevent_default())}
                    aria-label="Point cloud: drag to draw a cuboid, V switches the view"></canvas>
            if let Some(why) = &*problem { <p class="view-message" role="alert" data-testid="scene-problem">{ why }</p> }
            <p class="hint">{ "Drag on the ground to draw; drag a cuboid to move it. Arrows move, Q/E turn, W/S A/D R/F resize, H fits the height, V orbits, Shift+drag pans, the wheel zooms. C copies the frame's cuboids to the next frame; Ctrl+C / Ctrl+V carry one to another frame on its track; I interpolates its track between keyframes." }</p>
            { close_up.unwrap_or_default() }
            { camera_view.unwrap_or_default() }
            <ol class="region-list" aria-label="Cuboids" data-testid="region-list">
                { for cuboids.iter().enumerate().map(|(i, c)| html! {
                    <li class={classes!((*selected == Some(i)).then_some("selected"), violating.contains(&i).then_some("violating"))}
                        onclick={on_select(i)} data-index={i.to_string()} data-track={c.track_id.clone()}
                        data-center={format!("{:.2} {:.2} {:.2}", c.center[0], c.center[1], c.center[2])}
                        data-size={format!("{:.2} {:.2} {:.2}", c.size[0], c.size[1], c.size[2])}
                        data-yaw={format!("{:.4}", c.yaw)} data-exact={serde_json::to_string(c).unwrap_or_default()}>
                        <span class="region-label">{ &c.label }</span>
                        { format!(" {:.1} × {:.1} × {:.1} m at ({:.1}, {:.1}), {:.0}°", c.size[0], c.size[1], c.size[2], c.center[0], c.center[1], c.yaw.to_degrees()) }
                        if *selected == Some(i) {
                            if let Some(n) = inside { <span class="inside" data-testid="points-inside">{ format!(" · {n} points inside") }</span> }
                        }
                    </li>
                }) }
            </ol>
            { track_line.unwrap_or_default() }
            { sequence_panel(&sequence_checks, &frames, frame, &props.on_open_task) }
            <div class="scene-files">
                <button onclick={export(true)} data-testid="export-kitti">{ "Export KITTI labels" }</button>
                <button onclick={export(false)} data-testid="export-nuscenes">{ "Export nuScenes JSON" }</button>
            </div>
        </section>
    }
}
