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

use concord_engine::log::Op;
use concord_engine::model::{Control, ControlKind, ControlValue, Cuboid, Label};
use concord_engine::scene::{cuboids_by_frame, read_cuboids, write_kitti_labels, write_nuscenes};
use yew::prelude::*;

use super::frames::{register, sequence_cuboids, sequence_of, FrameRef};
use super::keys::{use_scene_keys, KeyTools};
use super::live::{use_frame_cloud, use_renderer, use_scene_draw, Camera, Live, LiveRef, Mode};
use super::panels::{camera_view, close_ups, cuboid_list, scene_bar, shown_in_camera, track_timeline};
use super::pointer::{use_scene_pointer, Pointer, PointerScene};
use super::sequence::{sequence_panel, use_sequence_checks};
use crate::state::Notice;
use crate::views::ViewProps;

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
    // What the last label import did, or why it was refused.
    let imported = use_state(|| None::<Notice>);
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
    let sequence_checks = use_sequence_checks(&props.session, &control.name, &frames, &props.base, props.generation);

    use_renderer(&live, &canvas_ref, &problem);
    use_frame_cloud(&live, &problem, &tick, &props.base, &props.task, props.next.as_deref());
    use_scene_draw(&live, &canvas_ref, &control.labels, &cuboids, *selected, &violating);
    let pointer = use_scene_pointer(PointerScene {
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

    use_scene_keys(
        &props.keys,
        (props.task.id.clone(), props.generation, *selected, *label_index, frames.clone()),
        KeyTools {
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
        },
    );

    let export = |format: LabelFile| export_labels(props, &control.name, format);
    let import = import_labels(props, &control, (*frames).clone(), imported.setter());

    let shown = shown_of(&live.borrow(), props, &control.labels, &cuboids, *selected);
    let track_line = (*selected).and_then(|i| cuboids.get(i)).and_then(|c| c.track_id.clone()).map(|track| {
        track_timeline(&sequence_cuboids(&props.session.0.borrow(), &control.name, &frames), &track, &frames, frame)
    });
    html! {
        <section class="view cuboids" aria-label="Point cloud and cuboids">
            { scene_bar(shown.mode, frame, shown.points, &control.labels, *label_index) }
            { scene_canvas(&canvas_ref, &live.borrow().camera, pointer) }
            if let Some(why) = &*problem { <p class="view-message" role="alert" data-testid="scene-problem">{ why }</p> }
            <p class="hint">{ "Drag on the ground to draw; drag a cuboid to move it. Arrows move, Q/E turn, W/S A/D R/F resize, H fits the height, V orbits, Shift+drag pans, the wheel zooms. C copies the frame's cuboids to the next frame; Ctrl+C / Ctrl+V carry one to another frame on its track; I interpolates its track between keyframes." }</p>
            { shown.close_up }
            { shown.camera }
            { cuboid_list(&cuboids, *selected, &violating, shown.inside, &selected.setter()) }
            { track_line.unwrap_or_default() }
            { sequence_panel(&sequence_checks, &frames, frame, &props.on_open_task) }
            <div class="scene-files">
                <button onclick={export(LabelFile::Kitti)} data-testid="export-kitti">{ "Export KITTI labels" }</button>
                <button onclick={export(LabelFile::NuScenes)} data-testid="export-nuscenes">{ "Export nuScenes JSON" }</button>
                <label class="import">{ "Import KITTI or nuScenes labels: " }
                    <input type="file" accept=".txt,.json,text/plain,application/json" onchange={import} data-testid="import-cuboids" />
                </label>
                { match &*imported {
                    Some(Notice::Problem(why)) => html! { <p class="view-message" role="alert" data-testid="import-cuboids-problem">{ why }</p> },
                    Some(Notice::Info(what)) => html! { <p role="status" data-testid="import-cuboids-done">{ what }</p> },
                    _ => html! {},
                } }
            </div>
        </section>
    }
}

/// The label files the view writes.
#[derive(Clone, Copy)]
enum LabelFile {
    Kitti,
    NuScenes,
}

/// Writes every loaded frame's cuboids of `control` as `format` and offers the file.
fn export_labels(props: &ViewProps, control: &str, format: LabelFile) -> Callback<MouseEvent> {
    let (session, tasks, control) = (props.session.0.clone(), props.tasks.clone(), control.to_string());
    Callback::from(move |_: MouseEvent| {
        let s = session.borrow();
        let all: Vec<FrameRef> = tasks
            .iter()
            .flat_map(|c| c.iter())
            .filter(|t| t.data.points.is_some())
            .map(|t| FrameRef { task: t.id.clone(), frame: t.data.frame.unwrap_or(0), pose: None, points: None })
            .collect();
        let cuboids = sequence_cuboids(&s, &control, &all);
        let id = &s.project.id;
        match format {
            LabelFile::Kitti => {
                crate::download::offer(&format!("{id}-kitti.txt"), &write_kitti_labels(&cuboids), "text/plain")
            }
            LabelFile::NuScenes => {
                crate::download::offer(&format!("{id}-nuscenes.json"), &write_nuscenes(&cuboids), "application/json")
            }
        }
    })
}

/// Reads a KITTI or nuScenes label file (or a JSON list of cuboids) into the loaded frames of the sequence: each frame
/// it names gets the file's cuboids in place of its own, as one edit of that frame (undone there by Ctrl+Z); frames
/// it does not name keep theirs. A file with a frame outside the sequence or a label outside the control is refused
/// whole (`scene::cuboids_by_frame`), and nothing changes.
fn import_labels(
    props: &ViewProps,
    control: &Control,
    frames: Rc<Vec<FrameRef>>,
    done: UseStateSetter<Option<Notice>>,
) -> Callback<Event> {
    let (session, on_task_op, control) = (props.session.0.clone(), props.on_task_op.clone(), control.clone());
    let on_read_error = {
        let done = done.clone();
        Callback::from(move |n: Option<Notice>| done.set(n))
    };
    crate::components::export_bar::text_file(on_read_error, move |name, text| {
        let numbers: Vec<i64> = frames.iter().map(|f| f.frame).collect();
        let labels: Vec<&str> = control.labels.iter().map(|l| l.value.as_str()).collect();
        let by_frame = read_cuboids(&name, &text).and_then(|c| cuboids_by_frame(&name, c, &numbers, &labels));
        let by_frame = match by_frame {
            Ok(b) => b,
            Err(e) => return done.set(Some(Notice::Problem(format!("{e}; nothing was imported")))),
        };
        // The session is read, then let go, before the edits are recorded into it.
        let ops: Vec<(String, Op)> = {
            let s = session.borrow();
            by_frame
                .iter()
                .filter_map(|(frame, cuboids)| {
                    let f = frames.iter().find(|f| f.frame == *frame)?;
                    let mut result = s.result_of(&f.task).cloned().unwrap_or_default();
                    result.0.insert(control.name.clone(), ControlValue::Cuboids(cuboids.clone()));
                    Some((f.task.clone(), Op::SetResult { result }))
                })
                .collect()
        };
        let count: usize = by_frame.values().map(Vec::len).sum();
        let frames_changed = ops.len();
        ops.into_iter().for_each(|op| on_task_op.emit(op));
        let (cuboids_word, frames_word) =
            (if count == 1 { "cuboid" } else { "cuboids" }, if frames_changed == 1 { "frame" } else { "frames" });
        done.set(Some(Notice::Info(format!(
            "Imported {count} {cuboids_word} from {name} into {frames_changed} {frames_word} (each frame's import is \
             one edit there: Ctrl+Z undoes it)."
        ))));
    })
}

/// What the view shows of its live state: the frame's points, the view, the selected cuboid's close-ups and points
/// inside (the count is the engine's), and the camera image with the cuboids (the one drawn or moved where it is).
struct Shown {
    points: usize,
    mode: Mode,
    close_up: Html,
    camera: Html,
    inside: Option<usize>,
}

fn shown_of(l: &Live, props: &ViewProps, labels: &[Label], cuboids: &[Cuboid], selected: Option<usize>) -> Shown {
    let chosen = selected.and_then(|i| cuboids.get(i)).zip(l.cloud.as_ref());
    let camera = props.task.data.cameras.first().map(|cam| {
        let shown = shown_in_camera(cuboids, l.preview.as_ref());
        camera_view(cam, &crate::views::resolve(&props.base, &cam.image), &shown, labels, selected)
    });
    Shown {
        points: l.cloud.as_ref().map_or(0, |c| c.cloud.len()),
        mode: l.camera.mode,
        close_up: chosen.map(|(c, cl)| close_ups(c, &cl.cloud)).unwrap_or_default(),
        camera: camera.unwrap_or_default(),
        inside: chosen.map(|(c, cl)| concord_engine::scene::points_inside(&cl.cloud, c).len()),
    }
}

/// The canvas the renderer draws on, with the mouse's handlers; its scale and target are in its data attributes
/// (for tests that draw at ground points).
fn scene_canvas(canvas_ref: &NodeRef, camera: &Camera, pointer: Pointer) -> Html {
    let Pointer { onmousedown, onmousemove, onmouseup } = pointer;
    html! {
        <canvas ref={canvas_ref.clone()} class="scene-canvas" data-testid="scene-canvas" tabindex="0"
                data-scale={camera.scale.to_string()} data-target={format!("{} {}", camera.target[0], camera.target[1])}
                {onmousedown} {onmousemove} {onmouseup}
                oncontextmenu={Callback::from(|e: MouseEvent| e.prevent_default())}
                aria-label="Point cloud: drag to draw a cuboid, V switches the view"></canvas>
    }
}
