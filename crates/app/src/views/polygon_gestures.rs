//! The polygons view's gestures: the drawing, drags of a polygon or a vertex, and what each mouse press, move,
//! release, double-click and key does with them (`polygons.rs` draws; the engine decides containment).

use std::cell::RefCell;
use std::rc::Rc;

use concord_engine::log::{Op, Region};
use concord_engine::model::{Control, PolygonRegion};
use concord_engine::polygons::geometry::{ring_contains, Point};
use yew::prelude::*;

use super::image_stage::{shared_keys, KeyTargets};
use super::label_for_key;
use crate::perf;

#[derive(Clone, PartialEq)]
pub(super) enum Drag {
    Move { index: usize, from: Point },
    Vertex { index: usize, vertex: usize },
}

#[derive(Default)]
pub(super) struct Gesture {
    /// Vertices placed so far of the polygon being drawn.
    pub drawing: Vec<Point>,
    /// Where the mouse is (image pixels), for the drawing's rubber band.
    pub cursor: Option<Point>,
    pub drag: Option<Drag>,
    /// The polygon as the drag would leave it.
    pub preview: Option<(usize, PolygonRegion)>,
    /// The polygons as one canvas path per label, for the list, zoom and moving polygon they were built for:
    /// selecting or drawing repaints without rebuilding them.
    /// (The list is held, so that its address cannot be reused by another list while the paths stand for it.)
    pub paths: Option<LabelPaths>,
}

/// The polygon list, zoom bits and moving polygon the paths were built for, and (colour, path) per label.
pub(super) type LabelPaths = (Rc<Vec<PolygonRegion>>, u64, Option<usize>, Vec<(String, web_sys::Path2d)>);

/// Screen pixels within which a click hits a vertex.
const HIT_PX: f64 = 7.0;

fn near(a: Point, b: Point, tol: f64) -> bool {
    (a[0] - b[0]).hypot(a[1] - b[1]) <= tol
}

/// The edge of `points` nearest to `p` within `tol`, as the index of its first vertex.
fn edge_at(points: &[Point], p: Point, tol: f64) -> Option<usize> {
    let n = points.len();
    (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            let ab = [b[0] - a[0], b[1] - a[1]];
            let len2 = (ab[0] * ab[0] + ab[1] * ab[1]).max(1e-12);
            let t = (((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1]) / len2).clamp(0.0, 1.0);
            (i, (p[0] - a[0] - t * ab[0]).hypot(p[1] - a[1] - t * ab[1]))
        })
        .filter(|&(_, d)| d <= tol)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// What the handlers act on: the view's state and the log.
#[derive(Clone)]
pub(super) struct Tools {
    pub gesture: Rc<RefCell<Gesture>>,
    pub polygons: Rc<Vec<PolygonRegion>>,
    /// The polygons as the log has them now (keys act on these).
    pub current: Rc<dyn Fn() -> Vec<PolygonRegion>>,
    pub selected: UseStateHandle<Option<usize>>,
    pub active_label: UseStateHandle<Option<String>>,
    pub zoom: UseStateHandle<f64>,
    /// The drawing's vertex count, shown (and a re-render when it changes).
    pub drawn: UseStateHandle<usize>,
    pub paint: Rc<dyn Fn()>,
    /// Closes the drawing into a new polygon (one insert event); false when it has fewer than 3 vertices.
    pub close: Rc<dyn Fn() -> bool>,
    pub on_op: Callback<Op>,
    pub control: Control,
}

impl Tools {
    fn to_image(&self, e: &MouseEvent) -> Point {
        let z = *self.zoom;
        [e.offset_x() as f64 / z, e.offset_y() as f64 / z]
    }

    fn replace(&self, index: usize, q: PolygonRegion) {
        self.on_op.emit(Op::Replace { control: self.control.name.clone(), index, region: Region::Polygon(q) });
    }
}

/// A key while drawing (Enter closes, Backspace drops a vertex, Escape abandons, a label key picks the label), else
/// the image views' shared keys.
pub(super) fn on_key(t: &Tools, e: &KeyboardEvent) {
    if super::from_text_field(e) {
        return;
    }
    let drawing = !t.gesture.borrow().drawing.is_empty();
    if !drawing {
        let polygons = (t.current)();
        let targets = KeyTargets {
            control: &t.control,
            regions: &polygons,
            selected: &t.selected,
            active_label: &t.active_label,
            zoom: &t.zoom,
            on_op: &t.on_op,
        };
        return shared_keys(e, targets);
    }
    match e.key().as_str() {
        "Enter" => {
            e.prevent_default();
            (t.close)();
        }
        "Backspace" => {
            e.prevent_default();
            t.gesture.borrow_mut().drawing.pop();
            t.drawn.set(t.gesture.borrow().drawing.len());
            (t.paint)();
        }
        "Escape" => {
            e.prevent_default();
            t.gesture.borrow_mut().drawing.clear();
            t.drawn.set(0);
            (t.paint)();
        }
        _ => {
            if let Some(l) = label_for_key(&t.control.labels, e) {
                e.prevent_default();
                t.active_label.set(Some(l.value.clone()));
            }
        }
    }
}

/// A press: a vertex while drawing (the first one closes), a vertex or edge of the selected polygon (drag; Alt+click
/// removes a vertex), inside a polygon (select and drag), or empty space (a new drawing).
pub(super) fn on_down(t: &Tools, e: &MouseEvent) {
    let mut g = t.gesture.borrow_mut();
    // The second press of a double-click belongs to the double-click (a vertex insert), unless drawing.
    if e.button() != 0 || (e.detail() > 1 && g.drawing.is_empty()) {
        return;
    }
    e.prevent_default();
    perf::input();
    let p = t.to_image(e);
    let tol = HIT_PX / *t.zoom;
    if !g.drawing.is_empty() {
        if g.drawing.len() >= 3 && near(g.drawing[0], p, tol) {
            drop(g);
            (t.close)();
        } else {
            g.drawing.push(p);
            t.drawn.set(g.drawing.len());
            drop(g);
            (t.paint)();
        }
        return;
    }
    let polygons = &t.polygons;
    if let Some(i) = (*t.selected).filter(|&i| i < polygons.len()) {
        if let Some(v) = polygons[i].points.iter().position(|q| near(*q, p, tol)) {
            if e.alt_key() {
                if polygons[i].points.len() > 3 {
                    let mut poly = polygons[i].clone();
                    poly.points.remove(v);
                    t.replace(i, poly);
                }
                return;
            }
            g.drag = Some(Drag::Vertex { index: i, vertex: v });
            return;
        }
        // On its edge: a drag moves it (and a double-click there adds a vertex), never a new drawing.
        if edge_at(&polygons[i].points, p, tol).is_some() {
            g.drag = Some(Drag::Move { index: i, from: p });
            return;
        }
    }
    match polygons.iter().rposition(|q| ring_contains(&q.points, p)) {
        Some(i) => {
            g.drag = Some(Drag::Move { index: i, from: p });
            drop(g);
            if *t.selected != Some(i) {
                t.selected.set(Some(i));
            }
        }
        None => {
            g.drawing.push(p);
            t.drawn.set(1);
            drop(g);
            t.selected.set(None);
            (t.paint)();
        }
    }
}

/// A move: the drawing's rubber band, or the dragged polygon as the release would leave it.
pub(super) fn on_move(t: &Tools, e: &MouseEvent) {
    let p = t.to_image(e);
    let mut g = t.gesture.borrow_mut();
    if !g.drawing.is_empty() {
        g.cursor = Some(p);
        drop(g);
        return (t.paint)();
    }
    let preview = match g.drag.clone() {
        None => return,
        Some(Drag::Move { index, from }) => {
            let mut q = t.polygons[index].clone();
            q.points.iter_mut().for_each(|v| *v = [v[0] + p[0] - from[0], v[1] + p[1] - from[1]]);
            (index, q)
        }
        Some(Drag::Vertex { index, vertex }) => {
            let mut q = t.polygons[index].clone();
            q.points[vertex] = p;
            (index, q)
        }
    };
    g.preview = Some(preview);
    drop(g);
    (t.paint)();
}

/// A release: one replace event if the drag changed the polygon.
pub(super) fn on_up(t: &Tools) {
    let mut g = t.gesture.borrow_mut();
    g.drag = None;
    let Some((i, q)) = g.preview.take() else { return };
    drop(g);
    if t.polygons.get(i) != Some(&q) {
        perf::input();
        t.replace(i, q);
    }
}

/// A double-click on an edge of the selected polygon inserts a vertex there.
pub(super) fn on_double(t: &Tools, e: &MouseEvent) {
    let Some(i) = (*t.selected).filter(|&i| i < t.polygons.len()) else { return };
    let p = t.to_image(e);
    if let Some(k) = edge_at(&t.polygons[i].points, p, HIT_PX / *t.zoom) {
        e.prevent_default();
        let mut q = t.polygons[i].clone();
        q.points.insert(k + 1, p);
        t.replace(i, q);
    }
}
