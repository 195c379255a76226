//! The boxes view's gestures: drawing, moving and resizing a box, and what each mouse press, move, release and key
//! does (`boxes.rs` draws).

use std::cell::RefCell;
use std::rc::Rc;

use concord_engine::log::{Op, Region};
use concord_engine::model::{BoxRegion, Control};
use yew::prelude::*;

use super::image_stage::{default_attributes, shared_keys, KeyTargets};
use crate::perf;

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Corner {
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,
}

#[derive(Clone, PartialEq)]
pub(super) enum Drag {
    Draw { x0: f64, y0: f64 },
    Move { index: usize, dx: f64, dy: f64 },
    Resize { index: usize, corner: Corner },
}

#[derive(Default)]
pub(super) struct Gesture {
    pub drag: Option<Drag>,
    /// The box as the gesture would leave it (image pixels).
    pub preview: Option<(Option<usize>, BoxRegion)>,
}

/// What the handlers act on: the view's state and the log.
#[derive(Clone)]
pub(super) struct Tools {
    pub gesture: Rc<RefCell<Gesture>>,
    pub boxes: Rc<Vec<BoxRegion>>,
    /// The boxes as the log has them now (keys act on these).
    pub current: Rc<dyn Fn() -> Vec<BoxRegion>>,
    pub selected: UseStateHandle<Option<usize>>,
    pub active_label: UseStateHandle<Option<String>>,
    pub zoom: UseStateHandle<f64>,
    pub show_labels: UseStateHandle<bool>,
    /// The label a new box gets.
    pub label: String,
    pub paint: Rc<dyn Fn()>,
    pub on_op: Callback<Op>,
    pub control: Control,
}

impl Tools {
    fn to_image(&self, e: &MouseEvent) -> (f64, f64) {
        let z = *self.zoom;
        (e.offset_x() as f64 / z, e.offset_y() as f64 / z)
    }
}

/// Shift+L shows or hides the labels; the rest are the image views' shared keys.
pub(super) fn on_key(t: &Tools, e: &KeyboardEvent) {
    if super::from_text_field(e) {
        return;
    }
    if e.key() == "L" && e.shift_key() {
        return t.show_labels.set(!*t.show_labels);
    }
    let boxes = (t.current)();
    let targets = KeyTargets {
        control: &t.control,
        regions: &boxes,
        selected: &t.selected,
        active_label: &t.active_label,
        zoom: &t.zoom,
        on_op: &t.on_op,
    };
    shared_keys(e, targets);
}

/// A press: a corner of the selected box resizes it; inside a box moves it (topmost first); else a new box.
pub(super) fn on_down(t: &Tools, e: &MouseEvent) {
    if e.button() != 0 {
        return;
    }
    e.prevent_default();
    perf::input();
    let (x, y) = t.to_image(e);
    let tol = 6.0 / *t.zoom;
    let boxes = &t.boxes;
    let mut g = t.gesture.borrow_mut();
    if let Some(i) = (*t.selected).filter(|&i| i < boxes.len()) {
        if let Some(corner) = corner_at(&boxes[i], x, y, tol) {
            g.drag = Some(Drag::Resize { index: i, corner });
            return;
        }
    }
    match boxes.iter().rposition(|b| x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h) {
        Some(i) => {
            g.drag = Some(Drag::Move { index: i, dx: x - boxes[i].x, dy: y - boxes[i].y });
            drop(g);
            if *t.selected != Some(i) {
                t.selected.set(Some(i));
            } else {
                perf::painted("boxes");
            }
        }
        None => {
            g.drag = Some(Drag::Draw { x0: x, y0: y });
            drop(g);
            t.selected.set(None);
            (t.paint)();
        }
    }
}

/// A move: the box as the release would leave it.
pub(super) fn on_move(t: &Tools, e: &MouseEvent) {
    let (x, y) = t.to_image(e);
    let mut g = t.gesture.borrow_mut();
    let preview = match g.drag.clone() {
        None => return,
        Some(Drag::Draw { x0, y0 }) => (
            None,
            BoxRegion {
                x: x0.min(x),
                y: y0.min(y),
                w: (x - x0).abs(),
                h: (y - y0).abs(),
                label: t.label.clone(),
                attributes: default_attributes(&t.control, &t.label),
                score: None,
            },
        ),
        Some(Drag::Move { index, dx, dy }) => {
            let mut b = t.boxes[index].clone();
            b.x = x - dx;
            b.y = y - dy;
            (Some(index), b)
        }
        Some(Drag::Resize { index, corner }) => (Some(index), resized(&t.boxes[index], corner, x, y)),
    };
    g.preview = Some(preview);
    drop(g);
    (t.paint)();
}

/// A release: one insert (a drawn box of at least 2×2 pixels, selected) or replace event.
pub(super) fn on_up(t: &Tools) {
    let g = std::mem::take(&mut *t.gesture.borrow_mut());
    let Some((index, b)) = g.preview else { return };
    perf::input();
    let control = t.control.name.clone();
    match index {
        None if b.w >= 2.0 && b.h >= 2.0 => {
            t.selected.set(Some(t.boxes.len()));
            t.on_op.emit(Op::Insert { control, index: t.boxes.len(), region: Region::Box(b) });
        }
        Some(i) if t.boxes.get(i).is_some_and(|old| *old != b) => {
            t.on_op.emit(Op::Replace { control, index: i, region: Region::Box(b) })
        }
        _ => {}
    }
}

fn corner_at(b: &BoxRegion, x: f64, y: f64, tol: f64) -> Option<Corner> {
    let near = |a: f64, c: f64| (a - c).abs() <= tol;
    let (l, r, t, bt) = (b.x, b.x + b.w, b.y, b.y + b.h);
    match (near(x, l), near(x, r), near(y, t), near(y, bt)) {
        (true, _, true, _) => Some(Corner::TopLeft),
        (_, true, true, _) => Some(Corner::TopRight),
        (true, _, _, true) => Some(Corner::BottomLeft),
        (_, true, _, true) => Some(Corner::BottomRight),
        _ => None,
    }
}

fn resized(b: &BoxRegion, corner: Corner, x: f64, y: f64) -> BoxRegion {
    let (mut l, mut t, mut r, mut bt) = (b.x, b.y, b.x + b.w, b.y + b.h);
    match corner {
        Corner::TopLeft => (l, t) = (x, y),
        Corner::TopRight => (r, t) = (x, y),
        Corner::BottomLeft => (l, bt) = (x, y),
        Corner::BottomRight => (r, bt) = (x, y),
    }
    BoxRegion { x: l.min(r), y: t.min(bt), w: (r - l).abs(), h: (bt - t).abs(), ..b.clone() }
}
