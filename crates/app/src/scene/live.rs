//! What the 3D view keeps between renders without re-rendering for it (`Live`: the renderer, the frame's cloud,
//! the camera, a drag under way), and drawing it: the whole frame when still, a subsample while the view moves
//! (`MOVING_POINTS`), the cuboids' lines rebuilt only when they change.

use std::cell::RefCell;
use std::rc::Rc;

use concord_engine::model::{Cuboid, Label, Task};
use yew::prelude::*;

use super::frames::{load_cloud, Cloud};
use super::gl::{Frame, Renderer};
use super::matrix::{look_at, mul, ortho, perspective, world_to_box, Mat4};
use crate::views::label_color;

/// Points drawn while the view moves (a uniform subsample); the whole frame once it stops.
const MOVING_POINTS: i32 = 30_000;
/// Points drawn right after an edit. An edit's whole budget is one orbit frame, its script (the log, the checks,
/// the lines: about 8 ms) included, so its draw takes fewer points than a moving view's; the whole frame follows
/// once nothing has happened for a moment.
const EDIT_POINTS: i32 = 20_000;

/// How much of the frame a draw shows.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Detail {
    /// Every point: the view is still.
    Full,
    /// [`MOVING_POINTS`]: the view moves, or a new frame shows.
    Moving,
    /// [`EDIT_POINTS`]: an edit's first draw.
    Edit,
}
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

    /// Turns the orbit view by a drag of (`dx`, `dy`) CSS pixels.
    pub(super) fn orbit_by(&mut self, dx: f64, dy: f64) {
        self.yaw -= dx * 0.01;
        self.pitch = (self.pitch + dy * 0.01).clamp(0.05, 1.5);
    }

    /// Moves what the view looks at with a drag of (`dx`, `dy`) CSS pixels: the ground follows the pointer.
    pub(super) fn pan_by(&mut self, dx: f64, dy: f64) {
        let birdseye = self.mode == Mode::Birdseye;
        let s = if birdseye { self.scale } else { self.distance / 600.0 };
        let (sy, cy) = if birdseye { (0.0, 1.0) } else { self.yaw.sin_cos() };
        // Screen right and up, on the ground.
        let (right, up) = if birdseye { ([0.0, -1.0], [1.0, 0.0]) } else { ([sy, -cy], [-cy, -sy]) };
        self.target[0] -= (dx * right[0] - dy * up[0]) * s;
        self.target[1] -= (dx * right[1] - dy * up[1]) * s;
    }

    /// Zooms both views by `factor` (> 1: out), within their limits.
    pub(super) fn zoom(&mut self, factor: f64) {
        self.scale = (self.scale * factor).clamp(0.005, 0.5);
        self.distance = (self.distance * factor).clamp(2.0, 200.0);
    }

    /// The ground point under a CSS pixel of the bird's-eye view.
    pub(super) fn ground_at(&self, px: f64, py: f64, w: f64, h: f64) -> [f64; 2] {
        [self.target[0] + (h / 2.0 - py) * self.scale, self.target[1] - (px - w / 2.0) * self.scale]
    }
}

pub(super) enum Drag {
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
    pub(super) renderer: Option<Renderer>,
    pub(super) cloud: Option<Rc<Cloud>>,
    pub(super) camera: Camera,
    pub(super) drag: Option<Drag>,
    /// The cuboid being drawn or moved, shown in place of (or beside) the stored ones.
    pub(super) preview: Option<Preview>,
    pub(super) settle: Option<gloo::timers::callback::Timeout>,
    /// What the lines were built from, to rebuild them only when it changes.
    pub(super) lines_of: Option<LinesOf>,
    /// When the last edit key was pressed, and when the open frame was asked for: the benchmark's clocks
    /// (`perf::record`, inert outside it).
    pub(super) edit_at: Option<f64>,
    pub(super) frame_at: Option<f64>,
}

pub(super) type LiveRef = Rc<RefCell<Live>>;

/// The cuboid drawn or moved: which stored one it stands for (none while drawing), and where it is now.
pub(super) type Preview = (Option<usize>, Cuboid);

/// The cuboids, the selected one, the violating ones and the preview the lines show.
pub(super) type LinesOf = (Vec<Cuboid>, Option<usize>, Vec<usize>, Option<Preview>);

fn rgb(hex: &str) -> [f32; 3] {
    let h = hex.trim_start_matches('#');
    let c =
        |i: usize| h.get(i..i + 2).and_then(|s| u8::from_str_radix(s, 16).ok()).map_or(0.8, |v| f32::from(v) / 255.0);
    [c(0), c(2), c(4)]
}

/// Corner pairs of a cuboid's twelve edges (`Cuboid::corners` order: bottom 0–3, top 4–7).
pub(super) const EDGES: [(usize, usize); 12] =
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

/// Draws the frame: every point, or a subsample (`detail`). Returns the milliseconds it took: the GPU's work
/// included when the benchmark measures, only the calls otherwise.
pub(super) fn draw(
    live: &mut Live,
    canvas: &web_sys::HtmlCanvasElement,
    selected: Option<&Cuboid>,
    detail: Detail,
) -> f64 {
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
    let points = match (&live.cloud, detail) {
        (None, _) => 0,
        (Some(_), Detail::Full) => r.point_count(),
        (Some(_), Detail::Moving) => MOVING_POINTS.min(r.point_count()),
        (Some(_), Detail::Edit) => EDIT_POINTS.min(r.point_count()),
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
    let _ = data.set("full", if detail == Detail::Full { "1" } else { "0" });
    ms
}

/// A timer that draws the whole frame once the view has been still for [`SETTLE_MS`]; kept in `Live::settle`, so
/// that the next one replaces (cancels) it.
pub(super) fn settle_timer(
    live: &LiveRef,
    canvas: &web_sys::HtmlCanvasElement,
    shown: Option<Cuboid>,
) -> gloo::timers::callback::Timeout {
    let (live, canvas) = (live.clone(), canvas.clone());
    gloo::timers::callback::Timeout::new(SETTLE_MS, move || {
        let ms = draw(&mut live.borrow_mut(), &canvas, shown.as_ref(), Detail::Full);
        crate::perf::record("full_frame", ms);
    })
}

/// Makes the WebGL2 renderer once the canvas is there; says why when the browser has none.
#[hook]
pub(super) fn use_renderer(live: &LiveRef, canvas_ref: &NodeRef, problem: &UseStateHandle<Option<String>>) {
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

/// Draws after every render: the lines rebuilt when the cuboids, the selection, the flagged ones or the preview
/// changed; after an edit or on a new frame the subsample first and the whole frame once still. The benchmark's
/// clocks (`perf::record`) stop here.
#[hook]
pub(super) fn use_scene_draw(
    live: &LiveRef,
    canvas_ref: &NodeRef,
    labels: &[Label],
    cuboids: &[Cuboid],
    selected: Option<usize>,
    violating: &[usize],
) {
    let (live, canvas_ref) = (live.clone(), canvas_ref.clone());
    let labels = labels.to_vec();
    let (cuboids, violating) = (cuboids.to_vec(), violating.to_vec());
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
        let shown = preview.as_ref().map(|p| p.1.clone()).or_else(|| selected.and_then(|i| cuboids.get(i).cloned()));
        // After an edit or on a new frame, the subsample first (the checks and the cuboid show within an orbit
        // frame's time), the whole frame once nothing has happened for a moment.
        let quick = l.edit_at.is_some() || (l.frame_at.is_some() && l.cloud.is_some());
        let detail = match (l.edit_at.is_some(), quick) {
            (true, _) => Detail::Edit,
            (false, true) => Detail::Moving,
            (false, false) => Detail::Full,
        };
        let ms = draw(&mut l, &canvas, shown.as_ref(), detail);
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

/// Draws the subsample now (the view is moving) and the whole frame once it has been still for a moment.
pub(super) fn redraw_moving(live: &LiveRef, canvas: &web_sys::HtmlCanvasElement, shown: Option<Cuboid>) {
    let ms = draw(&mut live.borrow_mut(), canvas, shown.as_ref(), Detail::Moving);
    crate::perf::record("orbit_frame", ms);
    let settle = settle_timer(live, canvas, shown);
    live.borrow_mut().settle = Some(settle);
}

/// The open frame's points, read by the engine and uploaded once (the next frame's fetched ahead of time); the
/// frame's problem (no file, a bad file) shown in its place.
#[hook]
pub(super) fn use_frame_cloud(
    live: &LiveRef,
    problem: &UseStateHandle<Option<String>>,
    tick: &UseStateHandle<u32>,
    base: &str,
    task: &Task,
    next: Option<&Task>,
) {
    let (live, problem, tick) = (live.clone(), problem.clone(), tick.clone());
    let (points, next) = (task.data.points.clone(), next.and_then(|t| t.data.points.clone()));
    let base = base.to_string();
    use_effect_with(task.id.clone(), move |_| {
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
