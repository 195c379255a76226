//! The 3D view's keys (`view.rs` draws): labels, moving, turning and resizing the selected cuboid, the view's
//! mode, and tracks across frames — C starts the next frame from this one, Ctrl+C / Ctrl+V carry a cuboid on its
//! track, I interpolates the selected cuboid's track between its keyframes.

use std::cell::RefCell;
use std::rc::Rc;

use concord_engine::log::{Op, Region};
use concord_engine::model::{ControlValue, Cuboid, Label};
use concord_engine::scene::{copy_to_frame, fit_to_points, interpolate_tracks};
use yew::prelude::*;

use super::frames::{sequence_cuboids, FrameRef};
use super::live::{LiveRef, Mode};
use crate::views::{label_for_key, tab_to};

thread_local! {
    /// The cuboid Ctrl+C copied, for Ctrl+V in another frame (its track continues there).
    static CLIPBOARD: RefCell<Option<Cuboid>> = const { RefCell::new(None) };
}

/// What the keys act on: the view's state, the open frame's cuboids and sequence, and the log.
#[derive(Clone)]
pub(super) struct KeyTools {
    pub on_op: Callback<Op>,
    pub on_task_op: Callback<(String, Op)>,
    pub selected: UseStateHandle<Option<usize>>,
    pub label_index: UseStateHandle<usize>,
    pub live: LiveRef,
    pub tick: UseStateHandle<u32>,
    pub labels: Vec<Label>,
    pub control_name: String,
    pub cuboids: Vec<Cuboid>,
    pub session: crate::session::SessionRef,
    pub frames: Rc<Vec<FrameRef>>,
    pub frame: i64,
}

/// The operations that put `wanted` (each stamped with its frame) into the frames' tasks: a cuboid whose track has
/// an interpolated cuboid in that frame replaces it; one whose track has a keyframe there is left out; others are
/// appended. (Track copies and interpolation both go through here.)
fn place_in_frames(
    session: &crate::session::Session,
    control: &str,
    frames: &[FrameRef],
    wanted: &[Cuboid],
) -> Vec<(String, Op)> {
    let mut ops = Vec::new();
    for f in frames {
        let here: Vec<Cuboid> = match session.result_of(&f.task).and_then(|r| r.0.get(control)) {
            Some(ControlValue::Cuboids(v)) => v.clone(),
            _ => Vec::new(),
        };
        let mut appended = 0;
        for c in wanted.iter().filter(|c| c.frame == f.frame) {
            let same = here.iter().position(|h| h.track_id.is_some() && h.track_id == c.track_id);
            let region = Region::Cuboid(c.clone());
            match same {
                Some(i) if here[i].interpolated && here[i] != *c => {
                    ops.push((f.task.clone(), Op::Replace { control: control.to_string(), index: i, region }))
                }
                Some(_) => {}
                None => {
                    ops.push((
                        f.task.clone(),
                        Op::Insert { control: control.to_string(), index: here.len() + appended, region },
                    ));
                    appended += 1;
                }
            }
        }
    }
    ops
}

pub(super) fn on_key(t: &KeyTools, e: &KeyboardEvent) {
    let KeyTools { on_op, on_task_op, labels, control_name, cuboids, session, frames, frame, .. } = t;
    let (selected, label_index, live, tick, frame) =
        (t.selected.clone(), t.label_index.clone(), t.live.clone(), t.tick.clone(), *frame);
    if crate::views::from_text_field(e) || e.alt_key() {
        return;
    }
    let ctrl = e.ctrl_key() || e.meta_key();
    let chosen = (*selected).and_then(|i| cuboids.get(i));
    let sequence = || sequence_cuboids(&session.borrow(), control_name, frames);
    let emit_all = |ops: Vec<(String, Op)>| ops.into_iter().for_each(|op| on_task_op.emit(op));
    match e.key().as_str() {
        // Copy the selected cuboid; paste it in this frame, its track continued as a keyframe.
        "c" if ctrl => {
            if let Some(c) = chosen {
                e.prevent_default();
                CLIPBOARD.with(|b| *b.borrow_mut() = Some(c.clone()));
            }
            return;
        }
        "v" if ctrl => {
            let Some(mut c) = CLIPBOARD.with(|b| b.borrow().clone()) else { return };
            e.prevent_default();
            c.frame = frame;
            c.interpolated = false;
            let same = cuboids.iter().position(|h| h.track_id.is_some() && h.track_id == c.track_id);
            let region = Region::Cuboid(c);
            match same {
                Some(index) => on_op.emit(Op::Replace { control: control_name.clone(), index, region }),
                None => {
                    on_op.emit(Op::Insert { control: control_name.clone(), index: cuboids.len(), region });
                    selected.set(Some(cuboids.len()));
                }
            }
            return;
        }
        _ if ctrl => return,
        // This frame's cuboids into the next frame, where their tracks are not yet.
        "c" => {
            e.prevent_default();
            let Some(next) = frames.iter().find(|f| f.frame > frame) else { return };
            let copies = copy_to_frame(&sequence(), frame, next.frame);
            // The session is read, then let go, before the operations are recorded into it.
            let ops = place_in_frames(&session.borrow(), control_name, frames, &copies);
            emit_all(ops);
            return;
        }
        // The selected cuboid's track filled between its keyframes.
        "i" => {
            let Some(track) = chosen.and_then(|c| c.track_id.clone()) else { return };
            e.prevent_default();
            let own: Vec<Cuboid> =
                sequence().into_iter().filter(|c| c.track_id.as_deref() == Some(track.as_str())).collect();
            let filled: Vec<Cuboid> = interpolate_tracks(&own).into_iter().filter(|c| c.interpolated).collect();
            let ops = place_in_frames(&session.borrow(), control_name, frames, &filled);
            emit_all(ops);
            return;
        }
        _ => {}
    }
    let replace = |index: usize, c: Cuboid| {
        on_op.emit(Op::Replace { control: control_name.clone(), index, region: Region::Cuboid(c) })
    };
    let key = e.key();
    if key == "v" || key == "V" {
        e.prevent_default();
        let mut l = live.borrow_mut();
        l.camera.mode = if l.camera.mode == Mode::Birdseye { Mode::Orbit } else { Mode::Birdseye };
        drop(l);
        tick.set(*tick + 1);
        return;
    }
    if let Some(label) = label_for_key(labels, e) {
        e.prevent_default();
        match (*selected).and_then(|i| cuboids.get(i).map(|c| (i, c))) {
            Some((i, c)) if c.label != label.value => replace(i, Cuboid { label: label.value.clone(), ..c.clone() }),
            Some(_) => {}
            None => label_index.set(labels.iter().position(|l| l.value == label.value).unwrap_or(0)),
        }
        return;
    }
    if key == "Tab" && !crate::views::from_control(e) {
        if let Some(next) = tab_to(*selected, cuboids.len(), e.shift_key()) {
            e.prevent_default();
            selected.set(Some(next));
        }
        return;
    }
    let Some(i) = *selected else { return };
    let Some(c) = cuboids.get(i) else { return };
    let step = if e.shift_key() { 0.5 } else { 0.1 };
    let turn = if e.shift_key() { 10f64 } else { 2.0 }.to_radians();
    let mut n = c.clone();
    match key.as_str() {
        "ArrowUp" => n.center[0] += step,
        "ArrowDown" => n.center[0] -= step,
        "ArrowLeft" => n.center[1] += step,
        "ArrowRight" => n.center[1] -= step,
        "q" | "Q" => n.yaw = concord_engine::scene::wrap_angle(n.yaw + turn),
        "e" | "E" => n.yaw = concord_engine::scene::wrap_angle(n.yaw - turn),
        "w" | "W" => n.size[0] += step,
        "s" | "S" if !e.shift_key() => n.size[0] = (n.size[0] - step).max(0.1),
        "d" | "D" => n.size[1] += step,
        "a" | "A" if !e.shift_key() => n.size[1] = (n.size[1] - step).max(0.1),
        "r" | "R" => {
            n.size[2] += step;
            n.center[2] += step / 2.0;
        }
        "f" | "F" => {
            let h = (n.size[2] - step).max(0.1);
            n.center[2] -= (n.size[2] - h) / 2.0;
            n.size[2] = h;
        }
        "h" | "H" => {
            let l = live.borrow();
            match l.cloud.as_ref().and_then(|cl| fit_to_points(&cl.cloud, c)) {
                Some(fitted) => n = Cuboid { center: fitted.center, size: fitted.size, ..n },
                None => return,
            }
        }
        "Delete" | "Backspace" => {
            e.prevent_default();
            on_op.emit(Op::Remove { control: control_name.clone(), index: i });
            selected.set(None);
            return;
        }
        "Escape" => {
            selected.set(None);
            return;
        }
        _ => return,
    }
    e.prevent_default();
    live.borrow_mut().edit_at = Some(crate::perf::now());
    replace(i, n);
}

/// Registers the view's keys on the bus, again whenever what they act on (`deps`) changes.
#[hook]
pub(super) fn use_scene_keys<D: PartialEq + 'static>(keys: &crate::views::KeyBus, deps: D, tools: KeyTools) {
    let keys = keys.clone();
    use_effect_with(deps, move |_| keys.register(Callback::from(move |e: KeyboardEvent| on_key(&tools, &e))));
}
