//! The 3D view's mouse: in the bird's-eye view a drag on empty ground draws a cuboid (its height fitted to the
//! points over it) and a drag on a cuboid moves it; in the orbit view a drag orbits; Shift+drag or the right button
//! pans; the wheel zooms. A drawing or a move shows as a preview and is one log event when the button is let go.

use std::rc::Rc;

use concord_engine::log::{Op, Region};
use concord_engine::model::{Cuboid, Label};
use concord_engine::scene::{fit_to_points, PointCloud};
use yew::prelude::*;

use super::live::{redraw_moving, Camera, Drag, LiveRef, Mode};

/// What the mouse acts on.
pub(super) struct PointerScene {
    pub live: LiveRef,
    pub canvas_ref: NodeRef,
    pub selected: UseStateHandle<Option<usize>>,
    /// The label the next cuboid gets.
    pub label_index: UseStateHandle<usize>,
    /// Bumped to re-render (the preview changed).
    pub tick: UseStateHandle<u32>,
    pub labels: Vec<Label>,
    pub control_name: String,
    /// The open frame's cuboids, and the frame.
    pub cuboids: Vec<Cuboid>,
    pub frame: i64,
    pub on_op: Callback<Op>,
}

/// The canvas's mouse handlers.
pub(super) struct Pointer {
    pub onmousedown: Callback<MouseEvent>,
    pub onmousemove: Callback<MouseEvent>,
    pub onmouseup: Callback<MouseEvent>,
}

#[hook]
pub(super) fn use_scene_pointer(scene: PointerScene) -> Pointer {
    let scene = Rc::new(scene);
    use_wheel_zoom(&scene);
    Pointer { onmousedown: on_down(&scene), onmousemove: on_move(&scene), onmouseup: on_up(&scene) }
}

/// Where the pointer of `e` is on the canvas: (the ground under it in the bird's-eye view, the CSS pixel).
fn pointer_at(scene: &PointerScene, e: &MouseEvent) -> Option<([f64; 2], [f64; 2])> {
    let canvas = scene.canvas_ref.cast::<web_sys::HtmlCanvasElement>()?;
    let (w, h) = (f64::from(canvas.client_width().max(1)), f64::from(canvas.client_height().max(1)));
    let (px, py) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
    Some((scene.live.borrow().camera.ground_at(px, py, w, h), [px, py]))
}

/// Draws the subsample now (the view moves), the selected cuboid highlighted.
fn redraw(scene: &PointerScene) {
    if let Some(canvas) = scene.canvas_ref.cast::<web_sys::HtmlCanvasElement>() {
        redraw_moving(&scene.live, &canvas, (*scene.selected).and_then(|i| scene.cuboids.get(i).cloned()));
    }
}

/// The cuboid drawn from ground point `a` to `b` in `frame`, labelled `label`, the `nth` of that label in the frame
/// (its track id says so): its height fitted to the points of `cloud` over it, else 1.5 m on the sensor's ground.
/// `None` for a footprint under 20 cm a side (a click).
fn footprint_cuboid(
    a: [f64; 2],
    b: [f64; 2],
    label: &str,
    frame: i64,
    nth: usize,
    cloud: Option<&PointCloud>,
) -> Option<Cuboid> {
    let (l, w) = ((a[0] - b[0]).abs(), (a[1] - b[1]).abs());
    if l < 0.2 || w < 0.2 {
        return None;
    }
    let mut c = Cuboid::new(label, [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0, 0.0], [l, w, 1.0], 0.0);
    c.frame = frame;
    c.track_id = Some(format!("{}-{frame}-{nth}", label.to_lowercase()));
    Some(cloud.and_then(|cl| fit_to_points(cl, &c)).unwrap_or_else(|| {
        c.center[2] = -1.73 + 0.75;
        c.size[2] = 1.5;
        c
    }))
}

/// The cuboid the scene's drag from `a` to `b` draws, with the label chosen.
fn drawn(scene: &PointerScene, a: [f64; 2], b: [f64; 2]) -> Option<Cuboid> {
    let label = scene.labels.get(*scene.label_index).map_or("object", |l| l.value.as_str());
    let nth = scene.cuboids.iter().filter(|c| c.label == label).count() + 1;
    let live = scene.live.borrow();
    footprint_cuboid(a, b, label, scene.frame, nth, live.cloud.as_ref().map(|c| &c.cloud))
}

/// `original` moved on the ground by the drag from `from` to `to`.
fn moved_by(original: &Cuboid, from: [f64; 2], to: [f64; 2]) -> Cuboid {
    let mut moved = original.clone();
    moved.center[0] += to[0] - from[0];
    moved.center[1] += to[1] - from[1];
    moved
}

/// What a press starts: a pan (Shift or another button), an orbit (orbit view), else a move of the cuboid under
/// the pointer (the selected one first) or a drawing; and the cuboid it selects.
fn grab(
    camera: &Camera,
    ground: [f64; 2],
    at: [f64; 2],
    pan: bool,
    cuboids: &[Cuboid],
    selected: Option<usize>,
) -> (Drag, Option<usize>) {
    if pan {
        return (Drag::Pan(at), None);
    }
    if camera.mode == Mode::Orbit {
        return (Drag::Orbit(at), None);
    }
    let under = |i: &usize| cuboids[*i].contains([ground[0], ground[1], cuboids[*i].center[2]]);
    match selected.filter(under).or_else(|| (0..cuboids.len()).find(under)) {
        Some(index) => (Drag::Move { index, from: ground, original: cuboids[index].clone() }, Some(index)),
        None => (Drag::Draw(ground), None),
    }
}

fn on_down(scene: &Rc<PointerScene>) -> Callback<MouseEvent> {
    let scene = scene.clone();
    Callback::from(move |e: MouseEvent| {
        let Some(canvas) = scene.canvas_ref.cast::<web_sys::HtmlCanvasElement>() else { return };
        e.prevent_default();
        // Keys go to the view from here on; without scrolling the page under the pointer.
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = canvas.focus_with_options(&options);
        let Some((ground, at)) = pointer_at(&scene, &e) else { return };
        let pan = e.shift_key() || e.button() != 0;
        let (drag, hit) = grab(&scene.live.borrow().camera, ground, at, pan, &scene.cuboids, *scene.selected);
        if let Some(index) = hit {
            scene.selected.set(Some(index));
        }
        scene.live.borrow_mut().drag = Some(drag);
    })
}

fn on_move(scene: &Rc<PointerScene>) -> Callback<MouseEvent> {
    let scene = scene.clone();
    Callback::from(move |e: MouseEvent| {
        let Some((ground, [px, py])) = pointer_at(&scene, &e) else { return };
        let mut l = scene.live.borrow_mut();
        let mut camera = l.camera;
        match &mut l.drag {
            None => return,
            Some(Drag::Draw(from)) => {
                let from = *from;
                drop(l);
                let preview = drawn(&scene, from, ground);
                scene.live.borrow_mut().preview = preview.map(|c| (None, c));
                return scene.tick.set(*scene.tick + 1);
            }
            Some(Drag::Move { index, from, original }) => {
                l.preview = Some((Some(*index), moved_by(original, *from, ground)));
                drop(l);
                return scene.tick.set(*scene.tick + 1);
            }
            Some(Drag::Orbit(last)) => {
                camera.orbit_by(px - last[0], py - last[1]);
                *last = [px, py];
            }
            Some(Drag::Pan(last)) => {
                camera.pan_by(px - last[0], py - last[1]);
                *last = [px, py];
            }
        }
        l.camera = camera;
        drop(l);
        redraw(&scene);
    })
}

fn on_up(scene: &Rc<PointerScene>) -> Callback<MouseEvent> {
    let scene = scene.clone();
    Callback::from(move |e: MouseEvent| {
        let Some((ground, _)) = pointer_at(&scene, &e) else { return };
        let drag = {
            let mut l = scene.live.borrow_mut();
            l.preview = None;
            l.drag.take()
        };
        let control = scene.control_name.clone();
        match drag {
            Some(Drag::Draw(from)) => match drawn(&scene, from, ground) {
                Some(c) => {
                    let index = scene.cuboids.len();
                    scene.on_op.emit(Op::Insert { control, index, region: Region::Cuboid(c) });
                    scene.selected.set(Some(index));
                }
                None => scene.selected.set(None),
            },
            Some(Drag::Move { index, from, original }) => {
                if (ground[0] - from[0]).hypot(ground[1] - from[1]) >= 0.01 {
                    let region = Region::Cuboid(moved_by(&original, from, ground));
                    scene.on_op.emit(Op::Replace { control, index, region });
                } else if scene.cuboids.len() > index {
                    scene.selected.set(Some(index));
                }
            }
            _ => {}
        }
        scene.tick.set(*scene.tick + 1);
    })
}

/// The wheel zooms; a non-passive listener, so that the page does not scroll.
#[hook]
fn use_wheel_zoom(scene: &Rc<PointerScene>) {
    let scene = scene.clone();
    use_effect_with((), move |_| {
        let canvas = scene.canvas_ref.cast::<web_sys::HtmlCanvasElement>();
        let listener = canvas.map(|canvas| {
            let options = gloo::events::EventListenerOptions::enable_prevent_default();
            gloo::events::EventListener::new_with_options(&canvas, "wheel", options, move |e| {
                let e: &web_sys::WheelEvent = wasm_bindgen::JsCast::unchecked_ref(e);
                e.prevent_default();
                scene.live.borrow_mut().camera.zoom(if e.delta_y() > 0.0 { 1.15 } else { 1.0 / 1.15 });
                redraw(&scene);
            })
        });
        move || drop(listener)
    });
}
