//! The 3D view's mouse: in the bird's-eye view a drag on empty ground draws a cuboid (its height fitted to the
//! points over it) and a drag on a cuboid moves it; in the orbit view a drag orbits; Shift+drag or the right button
//! pans; the wheel zooms. A drawing or a move shows as a preview and is one log event when the button is let go.

use std::rc::Rc;

use concord_engine::log::{Op, Region};
use concord_engine::model::{Cuboid, Label};
use concord_engine::scene::fit_to_points;
use yew::prelude::*;

use super::live::{redraw_moving, Drag, LiveRef, Mode};

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
    let PointerScene { live, canvas_ref, selected, label_index, tick, labels, control_name, cuboids, frame, on_op } =
        scene;
    let new_cuboid = {
        let (live, label_index, labels) = (live.clone(), label_index.clone(), labels.clone());
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

    let redraw = {
        let (live, canvas_ref) = (live.clone(), canvas_ref.clone());
        let (cuboids, selected) = (cuboids.clone(), *selected);
        Rc::new(move || {
            let Some(canvas) = canvas_ref.cast::<web_sys::HtmlCanvasElement>() else { return };
            let shown = selected.and_then(|i| cuboids.get(i).cloned());
            redraw_moving(&live, &canvas, shown);
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
            (live.clone(), canvas_ref.clone(), redraw.clone(), new_cuboid.clone());
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
        let (live, on_op, selected, new_cuboid) = (live.clone(), on_op.clone(), selected.clone(), new_cuboid.clone());
        let (control_name, count, canvas_ref, cuboids) =
            (control_name.clone(), cuboids.len(), canvas_ref.clone(), cuboids.clone());
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
        let (live, canvas_ref, redraw) = (live.clone(), canvas_ref.clone(), redraw.clone());
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
    Pointer { onmousedown, onmousemove, onmouseup }
}
