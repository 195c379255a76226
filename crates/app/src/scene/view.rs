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

use std::cell::RefCell;
use std::rc::Rc;

use concord_engine::log::{Op, Region};
use concord_engine::model::{ControlKind, ControlValue, Cuboid, Label};
use concord_engine::scene::{fit_to_points, timeline, write_kitti_labels, write_nuscenes, TrackMark};
use yew::prelude::*;

use super::frames::{load_cloud, register, sequence_cuboids, sequence_of, Cloud};
use super::gl::{Frame, Renderer};
use super::keys::{on_key, KeyTools};
use super::matrix::{look_at, mul, ortho, perspective, world_to_box, Mat4};
use super::sequence::{sequence_panel, use_sequence_checks};
use crate::views::{label_color, ViewProps};

/// Points drawn while the view moves (a uniform subsample); the whole frame once it stops.
const MOVING_POINTS: i32 = 30_000;
/// How long after the last move the full frame is drawn.
const SETTLE_MS: u32 = 120;

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Mode {
    /// From above, x up the screen, y to the left.
    Birdseye,
    /// Perspective, orbiting `target`.
    Orbit,
}

/// Where the view looks from.
#[derive(Clone, Copy)]
pub(super) struct Camera {
    pub(super) mode: Mode,
    pub(super) target: [f64; 3],
    /// Bird's-eye view: metres per CSS pixel.
    pub(super) scale: f64,
    pub(super) yaw: f64,
    pub(super) pitch: f64,
    pub(super) distance: f64,
}

impl Default for Camera {
    fn default() -> Self {
        Camera { mode: Mode::Birdseye, target: [12.0, 0.0, 0.0], scale: 0.06, yaw: -2.6, pitch: 0.5, distance: 30.0 }
    }
}

impl Camera {
    fn matrix(&self, w: f64, h: f64) -> Mat4 {
        let t = self.target.map(|v| v as f32);
        match self.mode {
            Mode::Birdseye => {
                let (hw, hh) = ((w / 2.0 * self.scale) as f32, (h / 2.0 * self.scale) as f32);
                let view = look_at([t[0], t[1], 100.0], [t[0], t[1], 0.0], [1.0, 0.0, 0.0]);
                mul(&ortho(-hw, hw, -hh, hh, 1.0, 300.0), &view)
            }
            Mode::Orbit => {
                let (cp, sp) = (self.pitch.cos(), self.pitch.sin());
                let eye = [
                    t[0] + (self.distance * cp * self.yaw.cos()) as f32,
                    t[1] + (self.distance * cp * self.yaw.sin()) as f32,
                    t[2] + (self.distance * sp) as f32,
                ];
                mul(&perspective(1.0, (w / h) as f32, 0.5, 500.0), &look_at(eye, t, [0.0, 0.0, 1.0]))
            }
        }
    }

    /// The ground point under a CSS pixel of the bird's-eye view.
    fn ground_at(&self, px: f64, py: f64, w: f64, h: f64) -> [f64; 2] {
        [self.target[0] + (h / 2.0 - py) * self.scale, self.target[1] - (px - w / 2.0) * self.scale]
    }
}

enum Drag {
    /// Drawing a footprint from this ground point.
    Draw([f64; 2]),
    /// Moving cuboid `index` as first grabbed at this ground point.
    Move {
        index: usize,
        from: [f64; 2],
        original: Cuboid,
    },
    Orbit([f64; 2]),
    Pan([f64; 2]),
}

/// What the view keeps between renders without re-rendering for it.
#[derive(Default)]
pub(super) struct Live {
    renderer: Option<Renderer>,
    pub(super) cloud: Option<Rc<Cloud>>,
    pub(super) camera: Camera,
    drag: Option<Drag>,
    /// The cuboid being drawn or moved, shown in place of (or beside) the stored ones.
    preview: Option<Preview>,
    settle: Option<gloo::timers::callback::Timeout>,
    /// What the lines were built from, to rebuild them only when it changes.
    lines_of: Option<LinesOf>,
    /// When the last edit key was pressed, and when the open frame was asked for: the benchmark's clocks
    /// (`perf::record`, inert outside it).
    pub(super) edit_at: Option<f64>,
    pub(super) frame_at: Option<f64>,
}

pub(super) type LiveRef = Rc<RefCell<Live>>;

/// The cuboid drawn or moved: which stored one it stands for (none while drawing), and where it is now.
type Preview = (Option<usize>, Cuboid);

/// The cuboids, the selected one, the violating ones and the preview the lines show.
type LinesOf = (Vec<Cuboid>, Option<usize>, Vec<usize>, Option<Preview>);

fn rgb(hex: &str) -> [f32; 3] {
    let h = hex.trim_start_matches('#');
    let c =
        |i: usize| h.get(i..i + 2).and_then(|s| u8::from_str_radix(s, 16).ok()).map_or(0.8, |v| f32::from(v) / 255.0);
    [c(0), c(2), c(4)]
}

/// Corner pairs of a cuboid's twelve edges (`Cuboid::corners` order: bottom 0–3, top 4–7).
const EDGES: [(usize, usize); 12] =
    [(0, 1), (1, 2), (2, 3), (3, 0), (4, 5), (5, 6), (6, 7), (7, 4), (0, 4), (1, 5), (2, 6), (3, 7)];

fn push_cuboid(out: &mut Vec<f32>, c: &Cuboid, color: [f32; 3]) {
    let k = c.corners();
    let mut line = |a: [f64; 3], b: [f64; 3]| {
        for p in [a, b] {
            out.extend([p[0] as f32, p[1] as f32, p[2] as f32]);
            out.extend(color);
        }
    };
    for (a, b) in EDGES {
        line(k[a], k[b]);
    }
    // The heading: from the centre of the top to the middle of its front edge.
    let top = [c.center[0], c.center[1], c.center[2] + c.size[2] / 2.0];
    let front = [(k[4][0] + k[5][0]) / 2.0, (k[4][1] + k[5][1]) / 2.0, top[2]];
    line(top, front);
}

fn color_of(labels: &[Label], label: &str) -> [f32; 3] {
    labels.iter().find(|l| l.value == label).map_or([0.9, 0.9, 0.9], |l| rgb(&label_color(l)))
}

/// Draws the frame: every point when `full`, else a subsample. Returns the milliseconds it took: the GPU's work
/// included when the benchmark measures, only the calls otherwise.
fn draw(live: &mut Live, canvas: &web_sys::HtmlCanvasElement, selected: Option<&Cuboid>, full: bool) -> f64 {
    let t0 = crate::perf::now();
    let (w, h) = (f64::from(canvas.client_width().max(1)), f64::from(canvas.client_height().max(1)));
    let ratio = gloo::utils::window().device_pixel_ratio().max(1.0);
    let (pw, ph) = ((w * ratio) as u32, (h * ratio) as u32);
    if canvas.width() != pw || canvas.height() != ph {
        canvas.set_width(pw);
        canvas.set_height(ph);
    }
    let mvp = live.camera.matrix(w, h);
    let boxed = selected.map(|c| world_to_box(c.center, c.size, c.yaw));
    let Some(r) = &live.renderer else { return 0.0 };
    // No points while the frame's cloud is on its way (the buffer still holds the last frame's).
    let points = match (&live.cloud, full) {
        (None, _) => 0,
        (Some(_), true) => r.point_count(),
        (Some(_), false) => MOVING_POINTS.min(r.point_count()),
    };
    let size = if live.camera.mode == Mode::Birdseye { 2.0 } else { 1.5 } * ratio as f32;
    r.draw(pw as i32, ph as i32, &Frame { mvp: &mvp, points, point_size: size, selected: boxed.as_ref() });
    if crate::perf::measuring() {
        r.finish();
    }
    let ms = crate::perf::now() - t0;
    let data = canvas.dataset();
    let _ = data.set("drawMs", &format!("{ms:.2}"));
    let _ = data.set("drawn", &points.to_string());
    let _ = data.set("full", if full { "1" } else { "0" });
    ms
}

/// A timer that draws the whole frame once the view has been still for [`SETTLE_MS`]; kept in `Live::settle`, so
/// that the next one replaces (cancels) it.
fn settle_timer(
    live: &LiveRef,
    canvas: &web_sys::HtmlCanvasElement,
    shown: Option<Cuboid>,
) -> gloo::timers::callback::Timeout {
    let (live, canvas) = (live.clone(), canvas.clone());
    gloo::timers::callback::Timeout::new(SETTLE_MS, move || {
        let ms = draw(&mut live.borrow_mut(), &canvas, shown.as_ref(), true);
        crate::perf::record("full_frame", ms);
    })
}

/// How far around the selected cuboid its side and front views reach.
const CLOSE_UP_MARGIN: f64 = 0.5;

/// The side and front views of `c`: the points within [`CLOSE_UP_MARGIN`] of it, in its own axes (along its
/// heading, across it, up), drawn from its side and from its front with its outline, so that a face can be set to
/// the last return.
fn close_ups(c: &Cuboid, cloud: &concord_engine::scene::PointCloud) -> Html {
    let (s, co) = c.yaw.sin_cos();
    let half =
        [c.size[0] / 2.0 + CLOSE_UP_MARGIN, c.size[1] / 2.0 + CLOSE_UP_MARGIN, c.size[2] / 2.0 + CLOSE_UP_MARGIN];
    let near: Vec<[f64; 3]> = cloud
        .points
        .iter()
        .map(|p| {
            let (dx, dy) = (f64::from(p[0]) - c.center[0], f64::from(p[1]) - c.center[1]);
            [dx * co + dy * s, -dx * s + dy * co, f64::from(p[2]) - c.center[2]]
        })
        .filter(|l| l[0].abs() <= half[0] && l[1].abs() <= half[1] && l[2].abs() <= half[2])
        .collect();
    // One view: horizontal axis `a` of the box (0 along, 1 across; its screen direction by `flip`), height up.
    let view = |name: &'static str, a: usize, flip: f64| {
        let (w, h) = (2.0 * half[a], 2.0 * half[2]);
        let inside = |l: &[f64; 3]| (0..3).all(|k| l[k].abs() <= c.size[k] / 2.0);
        html! {
            <figure class="close-up" data-testid={format!("{name}-view")}>
                <svg viewBox={format!("{:.3} {:.3} {w:.3} {h:.3}", -half[a], -half[2])} preserveAspectRatio="xMidYMid meet">
                    <rect class="box" x={format!("{:.3}", -c.size[a] / 2.0)} y={format!("{:.3}", -c.size[2] / 2.0)}
                          width={format!("{:.3}", c.size[a])} height={format!("{:.3}", c.size[2])} />
                    { for near.iter().map(|l| html! {
                        <circle class={classes!(inside(l).then_some("inside"))} cx={format!("{:.3}", flip * l[a])}
                                cy={format!("{:.3}", -l[2])} r="0.03" />
                    }) }
                </svg>
                <figcaption>{ format!("{name} view") }</figcaption>
            </figure>
        }
    };
    html! { <div class="close-ups" data-near={near.len().to_string()}>{ view("side", 0, 1.0) }{ view("front", 1, -1.0) }</div> }
}

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

    // The renderer, once.
    {
        let (live, canvas_ref, problem) = (live.clone(), canvas_ref.clone(), problem.clone());
        use_effect_with((), move |_| {
            if let Some(canvas) = canvas_ref.cast::<web_sys::HtmlCanvasElement>() {
                match Renderer::new(&canvas) {
                    Ok(r) => live.borrow_mut().renderer = Some(r),
                    Err(why) => problem.set(Some(format!("The 3D view needs WebGL2: {why}"))),
                }
            }
        });
    }
    // The frame's points (and the next frame's, ahead of time).
    {
        let (live, problem, tick) = (live.clone(), problem.clone(), tick.clone());
        let base = props.base.to_string();
        let points = props.task.data.points.clone();
        let next = props.next.as_ref().and_then(|t| t.data.points.clone());
        use_effect_with(props.task.id.clone(), move |_| {
            {
                let mut l = live.borrow_mut();
                l.cloud = None;
                l.frame_at = Some(crate::perf::now());
            }
            if let Some(path) = points {
                wasm_bindgen_futures::spawn_local(async move {
                    let t0 = crate::perf::now();
                    match load_cloud(&base, &path).await {
                        Ok(cloud) => {
                            {
                                let mut l = live.borrow_mut();
                                if let Some(r) = l.renderer.as_mut() {
                                    r.set_points(&cloud.shuffled);
                                }
                                l.cloud = Some(cloud);
                                l.lines_of = None;
                            }
                            crate::perf::record("frame-shown", crate::perf::now() - t0);
                            problem.set(None);
                        }
                        Err(why) => problem.set(Some(why)),
                    }
                    tick.set(*tick + 1);
                    if let Some(next) = next {
                        let _ = load_cloud(&base, &next).await;
                    }
                });
            }
        });
    }
    // Draw after every render, in full.
    {
        let (live, canvas_ref) = (live.clone(), canvas_ref.clone());
        let labels = control.labels.clone();
        let (cuboids, selected, violating) = (cuboids.clone(), *selected, violating.clone());
        use_effect(move || {
            let Some(canvas) = canvas_ref.cast::<web_sys::HtmlCanvasElement>() else { return };
            let mut l = live.borrow_mut();
            let preview = l.preview.clone();
            let key = (cuboids.clone(), selected, violating.clone(), preview.clone());
            if l.lines_of.as_ref() != Some(&key) {
                let mut lines = Vec::new();
                for (i, c) in cuboids.iter().enumerate() {
                    if preview.as_ref().is_some_and(|p| p.0 == Some(i)) {
                        continue;
                    }
                    let color = if violating.contains(&i) {
                        [1.0, 0.2, 0.2]
                    } else if selected == Some(i) {
                        [1.0, 1.0, 1.0]
                    } else {
                        color_of(&labels, &c.label)
                    };
                    push_cuboid(&mut lines, c, color);
                }
                if let Some((_, p)) = &preview {
                    push_cuboid(&mut lines, p, [1.0, 0.85, 0.1]);
                }
                if let Some(r) = l.renderer.as_mut() {
                    r.set_lines(&lines);
                }
                l.lines_of = Some(key);
            }
            let shown =
                preview.as_ref().map(|p| p.1.clone()).or_else(|| selected.and_then(|i| cuboids.get(i).cloned()));
            // After an edit or on a new frame, the subsample first (the checks and the cuboid show within an orbit
            // frame's time), the whole frame once nothing has happened for a moment.
            let quick = l.edit_at.is_some() || (l.frame_at.is_some() && l.cloud.is_some());
            let ms = draw(&mut l, &canvas, shown.as_ref(), !quick);
            if quick {
                l.settle = Some(settle_timer(&live, &canvas, shown.clone()));
            }
            if l.cloud.is_some() {
                if !quick {
                    crate::perf::record("full_frame", ms);
                }
                // An edit: from its key to its checks and cuboids drawn; of which the draw.
                if let Some(t0) = l.edit_at.take() {
                    crate::perf::record("cuboid_edit", crate::perf::now() - t0);
                    crate::perf::record("cuboid_edit_draw", ms);
                }
                if let Some(t0) = l.frame_at.take() {
                    crate::perf::record("next_frame", crate::perf::now() - t0);
                }
            }
        });
    }

    let new_cuboid = {
        let (live, label_index, labels) = (live.clone(), label_index.clone(), control.labels.clone());
        let cuboids = cuboids.clone();
        let task_frame = frame;
        move |a: [f64; 2], b: [f64; 2]| -> Option<Cuboid> {
            let (l, w) = ((a[0] - b[0]).abs(), (a[1] - b[1]).abs());
            if l < 0.2 || w < 0.2 {
                return None;
            }
            let label = labels.get(*label_index).map_or("object".to_string(), |l| l.value.clone());
            let mut c = Cuboid::new(&label, [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0, 0.0], [l, w, 1.0], 0.0);
            c.frame = task_frame;
            let n = cuboids.iter().filter(|c| c.label == label).count() + 1;
            c.track_id = Some(format!("{}-{task_frame}-{n}", label.to_lowercase()));
            let live = live.borrow();
            match live.cloud.as_ref().and_then(|cl| fit_to_points(&cl.cloud, &c)) {
                Some(fitted) => Some(fitted),
                None => {
                    // No points under it: a box on the sensor's ground, 1.5 m high.
                    c.center[2] = -1.73 + 0.75;
                    c.size[2] = 1.5;
                    Some(c)
                }
            }
        }
    };

    let redraw_moving = {
        let (live, canvas_ref) = (live.clone(), canvas_ref.clone());
        let (cuboids, selected) = (cuboids.clone(), *selected);
        Rc::new(move || {
            let Some(canvas) = canvas_ref.cast::<web_sys::HtmlCanvasElement>() else { return };
            let shown = selected.and_then(|i| cuboids.get(i).cloned());
            let ms = draw(&mut live.borrow_mut(), &canvas, shown.as_ref(), false);
            crate::perf::record("orbit_frame", ms);
            let settle = settle_timer(&live, &canvas, shown);
            live.borrow_mut().settle = Some(settle);
        })
    };

    let size_of = |canvas: &web_sys::HtmlCanvasElement| {
        (f64::from(canvas.client_width().max(1)), f64::from(canvas.client_height().max(1)))
    };
    let onmousedown = {
        let (live, canvas_ref, selected, cuboids) =
            (live.clone(), canvas_ref.clone(), selected.clone(), cuboids.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(canvas) = canvas_ref.cast::<web_sys::HtmlCanvasElement>() else { return };
            e.prevent_default();
            // Keys go to the view from here on; without scrolling the page under the pointer.
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = canvas.focus_with_options(&options);
            let (w, h) = size_of(&canvas);
            let (px, py) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            let mut l = live.borrow_mut();
            let ground = l.camera.ground_at(px, py, w, h);
            l.drag = Some(if e.shift_key() || e.button() != 0 {
                Drag::Pan([px, py])
            } else if l.camera.mode == Mode::Orbit {
                Drag::Orbit([px, py])
            } else {
                // The selected cuboid first, then the others: a click on a cuboid grabs it.
                let under = |i: &usize| cuboids[*i].contains([ground[0], ground[1], cuboids[*i].center[2]]);
                let hit = (*selected).filter(under).or_else(|| (0..cuboids.len()).find(under));
                match hit {
                    Some(index) => {
                        selected.set(Some(index));
                        Drag::Move { index, from: ground, original: cuboids[index].clone() }
                    }
                    None => Drag::Draw(ground),
                }
            });
        })
    };
    let onmousemove = {
        let (live, canvas_ref, redraw, new_cuboid) =
            (live.clone(), canvas_ref.clone(), redraw_moving.clone(), new_cuboid.clone());
        let tick = tick.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(canvas) = canvas_ref.cast::<web_sys::HtmlCanvasElement>() else { return };
            let (w, h) = size_of(&canvas);
            let (px, py) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            let mut l = live.borrow_mut();
            let ground = l.camera.ground_at(px, py, w, h);
            let mut camera = l.camera;
            let mut shape_changed = false;
            match &mut l.drag {
                None => return,
                Some(Drag::Draw(from)) => {
                    let from = *from;
                    drop(l);
                    let preview = new_cuboid(from, ground);
                    live.borrow_mut().preview = preview.map(|c| (None, c));
                    tick.set(*tick + 1);
                    return;
                }
                Some(Drag::Move { index, from, original }) => {
                    let mut moved = original.clone();
                    moved.center[0] += ground[0] - from[0];
                    moved.center[1] += ground[1] - from[1];
                    let index = *index;
                    l.preview = Some((Some(index), moved));
                    shape_changed = true;
                }
                Some(Drag::Orbit(last)) => {
                    camera.yaw -= (px - last[0]) * 0.01;
                    camera.pitch = (camera.pitch + (py - last[1]) * 0.01).clamp(0.05, 1.5);
                    *last = [px, py];
                }
                Some(Drag::Pan(last)) => {
                    let (dx, dy) = (px - last[0], py - last[1]);
                    let s = if camera.mode == Mode::Birdseye { camera.scale } else { camera.distance / 600.0 };
                    let (sy, cy) = if camera.mode == Mode::Birdseye { (0.0, 1.0) } else { camera.yaw.sin_cos() };
                    // Screen right and up, on the ground.
                    let (right, up) =
                        if camera.mode == Mode::Birdseye { ([0.0, -1.0], [1.0, 0.0]) } else { ([sy, -cy], [-cy, -sy]) };
                    camera.target[0] -= (dx * right[0] - dy * up[0]) * s;
                    camera.target[1] -= (dx * right[1] - dy * up[1]) * s;
                    *last = [px, py];
                }
            }
            l.camera = camera;
            drop(l);
            if shape_changed {
                tick.set(*tick + 1);
            } else {
                redraw();
            }
        })
    };
    let onmouseup = {
        let (live, on_op, selected, new_cuboid) =
            (live.clone(), props.on_op.clone(), selected.clone(), new_cuboid.clone());
        let (control_name, count, canvas_ref, cuboids) =
            (control.name.clone(), cuboids.len(), canvas_ref.clone(), cuboids.clone());
        let tick = tick.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(canvas) = canvas_ref.cast::<web_sys::HtmlCanvasElement>() else { return };
            let (w, h) = size_of(&canvas);
            let (px, py) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            let drag = {
                let mut l = live.borrow_mut();
                l.preview = None;
                l.drag.take()
            };
            let ground = live.borrow().camera.ground_at(px, py, w, h);
            match drag {
                Some(Drag::Draw(from)) => match new_cuboid(from, ground) {
                    Some(c) => {
                        on_op.emit(Op::Insert {
                            control: control_name.clone(),
                            index: count,
                            region: Region::Cuboid(c),
                        });
                        selected.set(Some(count));
                    }
                    None => selected.set(None),
                },
                Some(Drag::Move { index, from, original }) => {
                    let (dx, dy) = (ground[0] - from[0], ground[1] - from[1]);
                    if dx.hypot(dy) >= 0.01 {
                        let mut moved = original;
                        moved.center[0] += dx;
                        moved.center[1] += dy;
                        on_op.emit(Op::Replace { control: control_name.clone(), index, region: Region::Cuboid(moved) });
                    } else if cuboids.len() > index {
                        selected.set(Some(index));
                    }
                }
                _ => {}
            }
            tick.set(*tick + 1);
        })
    };
    // The wheel zooms; a non-passive listener, so that the page does not scroll.
    {
        let (live, canvas_ref, redraw) = (live.clone(), canvas_ref.clone(), redraw_moving.clone());
        use_effect_with((), move |_| {
            let canvas = canvas_ref.cast::<web_sys::HtmlCanvasElement>();
            let listener = canvas.map(|canvas| {
                let options = gloo::events::EventListenerOptions::enable_prevent_default();
                gloo::events::EventListener::new_with_options(&canvas, "wheel", options, move |e| {
                    let e: &web_sys::WheelEvent = wasm_bindgen::JsCast::unchecked_ref(e);
                    e.prevent_default();
                    let factor = if e.delta_y() > 0.0 { 1.15 } else { 1.0 / 1.15 };
                    {
                        let mut l = live.borrow_mut();
                        l.camera.scale = (l.camera.scale * factor).clamp(0.005, 0.5);
                        l.camera.distance = (l.camera.distance * factor).clamp(2.0, 200.0);
                    }
                    redraw();
                })
            });
            move || drop(listener)
        });
    }

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
            let all: Vec<super::frames::FrameRef> = tasks
                .iter()
                .flat_map(|c| c.iter())
                .filter(|t| t.data.points.is_some())
                .map(|t| super::frames::FrameRef { task: t.id.clone(), frame: t.data.frame.unwrap_or(0), pose: None })
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

/// The camera's image with the cuboids (`(index, cuboid)`, the selected one marked) projected into it.
fn camera_view(
    cam: &concord_engine::model::Camera,
    src: &str,
    shown: &[(usize, Cuboid)],
    labels: &[Label],
    selected: Option<usize>,
) -> Html {
    html! {
        <figure class="camera-view" data-testid="camera-view">
            <img src={src.to_string()} alt={format!("{} camera", cam.name)} width={cam.width.to_string()} height={cam.height.to_string()} />
            <svg viewBox={format!("0 0 {} {}", cam.width, cam.height)} aria-hidden="true">
                { for shown.iter().filter_map(|(i, c)| cam.project_cuboid(c).map(|px| (i, c, px))).map(|(i, c, px)| {
                    let d: String = EDGES.iter().map(|(a, b)| format!("M{:.1} {:.1}L{:.1} {:.1}", px[*a][0], px[*a][1], px[*b][0], px[*b][1])).collect();
                    let colour = labels.iter().find(|l| l.value == c.label).map(label_color).unwrap_or_else(|| "#fff".into());
                    html! { <path d={d} stroke={colour} class={classes!((selected == Some(*i)).then_some("selected"))} data-index={i.to_string()} /> }
                }) }
            </svg>
            <figcaption>{ format!("{} camera, cuboids projected", cam.name) }</figcaption>
        </figure>
    }
}

/// A track over the sequence's frames: keyframed, interpolated or absent in each (`scene::timeline`).
fn track_timeline(all: &[Cuboid], track: &str, frames: &[super::frames::FrameRef], here: i64) -> Html {
    let marks = timeline(all, track);
    html! {
        <ol class="track-timeline" data-testid="track-timeline" aria-label={format!("Track {track}, frame by frame")}>
            { for frames.iter().map(|f| {
                let mark = marks.iter().find(|m| m.0 == f.frame).map(|m| m.1);
                let (class, what) = match mark {
                    Some(TrackMark::Keyframe) => ("key", "keyframe"),
                    Some(TrackMark::Interpolated) => ("interpolated", "interpolated"),
                    None => ("absent", "not in this frame"),
                };
                html! { <li class={classes!(class, (f.frame == here).then_some("here"))} data-frame={f.frame.to_string()}
                            title={format!("frame {}: {what}", f.frame)}></li> }
            }) }
        </ol>
    }
}
