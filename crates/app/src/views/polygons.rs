//! Polygons on an image (2D segmentation): click to place vertices, close by clicking the first vertex or with
//! Enter (Backspace drops the last vertex, Escape abandons the drawing); select (click inside, Tab), move (drag
//! inside), move a vertex (drag it), insert a vertex (double-click an edge of the selected polygon), delete a vertex
//! (Alt+click it) or the polygon (Delete), relabel (label key), nudge (arrows, Shift ×10), zoom (+/−).
//!
//! Painted on one canvas over the image, like the boxes view: gestures change a transient polygon while the mouse
//! moves, and one log event is recorded when it is released. Geometry (containment, simplicity) is the engine's.

use std::fmt::Write as _;
use std::rc::Rc;

use concord_engine::log::{Op, Region};
use concord_engine::model::{Control, ControlKind, ControlValue, PolygonRegion};
use concord_engine::polygons::geometry::{ring_contains, Point};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::image_stage::{
    image_size, region_list, shared_keys, stage, toolbar_controls, use_image_regions, ImageRegions, KeyTargets,
    ListedRegion,
};
use super::{label_color, label_for_key, ViewProps};
use crate::perf;

#[derive(Clone, PartialEq)]
enum Drag {
    Move { index: usize, from: Point },
    Vertex { index: usize, vertex: usize },
}

#[derive(Default)]
struct Gesture {
    /// Vertices placed so far of the polygon being drawn.
    drawing: Vec<Point>,
    /// Where the mouse is (image pixels), for the drawing's rubber band.
    cursor: Option<Point>,
    drag: Option<Drag>,
    /// The polygon as the drag would leave it.
    preview: Option<(usize, PolygonRegion)>,
    /// The polygons as one canvas path per label, for the list, zoom and moving polygon they were built for:
    /// selecting or drawing repaints without rebuilding them.
    /// (The list is held, so that its address cannot be reused by another list while the paths stand for it.)
    paths: Option<LabelPaths>,
}

/// The polygon list, zoom bits and moving polygon the paths were built for, and (colour, path) per label.
type LabelPaths = (Rc<Vec<PolygonRegion>>, u64, Option<usize>, Vec<(String, web_sys::Path2d)>);

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

#[function_component(PolygonsView)]
pub fn polygons_view(props: &ViewProps) -> Html {
    let selected = use_state(|| None::<usize>);
    let active_label = use_state(|| None::<String>);
    let zoom = use_state(|| 1.0f64);
    let gesture = use_mut_ref(Gesture::default);
    let canvas_ref = use_node_ref();
    // Re-render when the drawing changes (vertex count shown, hint).
    let drawn = use_state(|| 0usize);

    let Some(ImageRegions { control, regions: polygons, predicted, violating }) =
        use_image_regions(props, ControlKind::Polygons, |v| match v {
            ControlValue::Polygons(p) => Some(p),
            _ => None,
        })
    else {
        return html! {};
    };
    let (w, h) = image_size(&props.task);
    let z = *zoom;
    let label_now = (*active_label).clone().unwrap_or_else(|| control.labels[0].value.clone());

    let paint = {
        let (canvas_ref, polygons, control, violating, gesture) =
            (canvas_ref.clone(), polygons.clone(), control.clone(), violating.clone(), gesture.clone());
        let (selected, predicted, label) = (*selected, predicted.clone(), label_now.clone());
        Rc::new(move || {
            if let Some(c) = canvas_ref.cast::<web_sys::HtmlCanvasElement>() {
                draw(&c, z, &control, &polygons, &predicted, selected, &violating, &mut gesture.borrow_mut(), &label);
            }
        })
    };
    {
        let paint = paint.clone();
        use_effect(move || {
            paint();
            perf::painted("polygons");
        });
    }
    {
        let (selected, gesture) = (selected.clone(), gesture.clone());
        use_effect_with(props.task.id.clone(), move |_| {
            selected.set(None);
            *gesture.borrow_mut() = Gesture::default();
        });
    }

    // Closing the drawing: one insert event, the new polygon selected.
    let close = {
        let (gesture, polygons, on_op, selected, drawn) =
            (gesture.clone(), polygons.clone(), props.on_op.clone(), selected.clone(), drawn.clone());
        let (control, label) = (control.name.clone(), label_now.clone());
        Rc::new(move || {
            let points = std::mem::take(&mut gesture.borrow_mut().drawing);
            drawn.set(0);
            if points.len() < 3 {
                return false;
            }
            perf::input();
            selected.set(Some(polygons.len()));
            let region = PolygonRegion { points, label: label.clone(), attributes: Default::default(), score: None };
            on_op.emit(Op::Insert { control: control.clone(), index: polygons.len(), region: Region::Polygon(region) });
            true
        })
    };

    // Keyboard.
    {
        let keys = props.keys.clone();
        let on_op = props.on_op.clone();
        let (selected, active_label, zoom, gesture, drawn, paint, close) = (
            selected.clone(),
            active_label.clone(),
            zoom.clone(),
            gesture.clone(),
            drawn.clone(),
            paint.clone(),
            close.clone(),
        );
        let (control, polygons) = (control.clone(), polygons.clone());
        use_effect(move || {
            keys.register(Callback::from(move |e: KeyboardEvent| {
                if super::from_text_field(&e) {
                    return;
                }
                let key = e.key();
                let drawing = !gesture.borrow().drawing.is_empty();
                if drawing {
                    match key.as_str() {
                        "Enter" => {
                            e.prevent_default();
                            close();
                        }
                        "Backspace" => {
                            e.prevent_default();
                            gesture.borrow_mut().drawing.pop();
                            drawn.set(gesture.borrow().drawing.len());
                            paint();
                        }
                        "Escape" => {
                            e.prevent_default();
                            gesture.borrow_mut().drawing.clear();
                            drawn.set(0);
                            paint();
                        }
                        // A label key while drawing picks the label the polygon will get.
                        _ => {
                            if let Some(l) = label_for_key(&control.labels, &e) {
                                e.prevent_default();
                                active_label.set(Some(l.value.clone()));
                            }
                        }
                    }
                    return;
                }
                let targets = KeyTargets {
                    control: &control,
                    regions: &polygons,
                    selected: &selected,
                    active_label: &active_label,
                    zoom: &zoom,
                    on_op: &on_op,
                };
                shared_keys(&e, targets);
            }));
        });
    }

    let to_image = move |e: &MouseEvent| [e.offset_x() as f64 / z, e.offset_y() as f64 / z];
    let on_down = {
        let (gesture, polygons, selected, paint, drawn, close) =
            (gesture.clone(), polygons.clone(), selected.clone(), paint.clone(), drawn.clone(), close.clone());
        let (on_op, control) = (props.on_op.clone(), control.name.clone());
        Callback::from(move |e: MouseEvent| {
            let mut g = gesture.borrow_mut();
            // The second press of a double-click belongs to the double-click (a vertex insert), unless drawing.
            if e.button() != 0 || (e.detail() > 1 && g.drawing.is_empty()) {
                return;
            }
            e.prevent_default();
            perf::input();
            let p = to_image(&e);
            let tol = HIT_PX / z;
            if !g.drawing.is_empty() {
                // Clicking the first vertex closes; anywhere else adds a vertex.
                if g.drawing.len() >= 3 && near(g.drawing[0], p, tol) {
                    drop(g);
                    close();
                } else {
                    g.drawing.push(p);
                    drawn.set(g.drawing.len());
                    drop(g);
                    paint();
                }
                return;
            }
            // A vertex of the selected polygon: drag it (Alt+click removes it).
            if let Some(i) = (*selected).filter(|&i| i < polygons.len()) {
                if let Some(v) = polygons[i].points.iter().position(|q| near(*q, p, tol)) {
                    if e.alt_key() {
                        if polygons[i].points.len() > 3 {
                            let mut poly = polygons[i].clone();
                            poly.points.remove(v);
                            on_op.emit(Op::Replace {
                                control: control.clone(),
                                index: i,
                                region: Region::Polygon(poly),
                            });
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
                    if *selected != Some(i) {
                        selected.set(Some(i));
                    }
                }
                None => {
                    // Empty space: the first vertex of a new polygon.
                    g.drawing.push(p);
                    drawn.set(1);
                    drop(g);
                    selected.set(None);
                    paint();
                }
            }
        })
    };
    let on_move = {
        let (gesture, polygons, paint) = (gesture.clone(), polygons.clone(), paint.clone());
        Callback::from(move |e: MouseEvent| {
            let p = to_image(&e);
            let mut g = gesture.borrow_mut();
            if !g.drawing.is_empty() {
                g.cursor = Some(p);
                drop(g);
                paint();
                return;
            }
            let preview = match g.drag.clone() {
                None => return,
                Some(Drag::Move { index, from }) => {
                    let mut q = polygons[index].clone();
                    q.points.iter_mut().for_each(|v| *v = [v[0] + p[0] - from[0], v[1] + p[1] - from[1]]);
                    (index, q)
                }
                Some(Drag::Vertex { index, vertex }) => {
                    let mut q = polygons[index].clone();
                    q.points[vertex] = p;
                    (index, q)
                }
            };
            g.preview = Some(preview);
            drop(g);
            paint();
        })
    };
    let on_up = {
        let (gesture, polygons, on_op) = (gesture.clone(), polygons.clone(), props.on_op.clone());
        let control = control.name.clone();
        Callback::from(move |_: MouseEvent| {
            let mut g = gesture.borrow_mut();
            g.drag = None;
            let Some((i, q)) = g.preview.take() else { return };
            drop(g);
            if polygons.get(i) != Some(&q) {
                perf::input();
                on_op.emit(Op::Replace { control: control.clone(), index: i, region: Region::Polygon(q) });
            }
        })
    };
    // Double-click on an edge of the selected polygon inserts a vertex there.
    let on_double = {
        let (polygons, selected, on_op) = (polygons.clone(), selected.clone(), props.on_op.clone());
        let control = control.name.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(i) = (*selected).filter(|&i| i < polygons.len()) else { return };
            let p = to_image(&e);
            if let Some(k) = edge_at(&polygons[i].points, p, HIT_PX / z) {
                e.prevent_default();
                let mut q = polygons[i].clone();
                q.points.insert(k + 1, p);
                on_op.emit(Op::Replace { control: control.clone(), index: i, region: Region::Polygon(q) });
            }
        })
    };

    let accept = super::accept_prediction(&props.on_op, &control.name, ControlValue::Polygons(predicted.clone()));
    let drawing = *drawn;
    html! {
        <section class="view boxes polygons" aria-label="Polygons">
            <div class="box-toolbar" role="toolbar" aria-label="Polygon tools">
                { toolbar_controls(&control, &active_label, &label_now, &zoom) }
                <span class="count" data-testid="polygon-count">{ format!("{} polygon{}", polygons.len(), if polygons.len() == 1 { "" } else { "s" }) }</span>
            </div>
            { stage(props, z, html! { <canvas ref={canvas_ref} class="stage-canvas" width={(w * z).round().to_string()} height={(h * z).round().to_string()}
                data-testid="polygon-canvas" role="img" aria-label={format!("{} polygons on the image", polygons.len())}
                onmousedown={on_down} onmousemove={on_move} onmouseup={on_up.clone()} onmouseleave={on_up} ondblclick={on_double} /> }) }
            // Below the stage, so that the canvas does not move under the pointer while vertices are placed.
            <p class="drawing-status" aria-live="polite">
                if drawing > 0 {
                    <span data-testid="drawing">{ format!("Drawing: {drawing} vertices (Enter or the first vertex closes, Escape abandons)") }</span>
                }
            </p>
            if !predicted.is_empty() {
                <div class="pre-annotation" data-testid="pre-annotation">
                    { format!("The model proposed {} polygons (dashed). ", predicted.len()) }
                    <button onclick={accept}>{ "Accept pre-annotation" }</button>
                </div>
            }
            <p class="hint">{ "Click to place vertices; Enter or a click on the first vertex closes, Backspace drops the last, Escape abandons. Drag inside a polygon to move it, drag a vertex of the selected one to move it, double-click its edge to add a vertex, Alt+click a vertex to remove it. Arrows nudge (Shift ×10), Tab selects, a label key relabels, Delete removes, +/− zoom." }</p>
            { region_list("Polygons", "polygon", polygons.iter().map(|p| ListedRegion {
                label: p.label.clone(),
                detail: format!(" {} vertices, {:.0} px²", p.points.len(), concord_engine::polygons::geometry::area(&p.rings())),
                vertices: Some(p.points.len()),
            }).collect(), &selected, &violating) }
        </section>
    }
}

#[allow(clippy::too_many_arguments)]
fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    z: f64,
    control: &Control,
    polygons: &Rc<Vec<PolygonRegion>>,
    predicted: &[PolygonRegion],
    selected: Option<usize>,
    violating: &[usize],
    g: &mut Gesture,
    active_label: &str,
) {
    let Ok(Some(ctx)) = canvas.get_context("2d") else { return };
    let Ok(ctx) = ctx.dyn_into::<web_sys::CanvasRenderingContext2d>() else { return };
    ctx.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    ctx.set_font("12px system-ui, sans-serif");
    let color_of = |label: &str| {
        control.labels.iter().find(|l| l.value == label).map_or_else(|| "#1f6feb".to_string(), label_color)
    };
    let empty = js_sys::Array::new();
    let dashed: js_sys::Array = [6.0, 4.0].iter().map(|v| wasm_bindgen::JsValue::from_f64(*v)).collect();
    // Sub-paths are added to the current path; `path` starts a new one.
    let trace = |points: &[Point], closed: bool| {
        for (k, q) in points.iter().enumerate() {
            if k == 0 {
                ctx.move_to(q[0] * z, q[1] * z);
            } else {
                ctx.line_to(q[0] * z, q[1] * z);
            }
        }
        if closed {
            ctx.close_path();
        }
    };
    let path = |points: &[Point], closed: bool| {
        ctx.begin_path();
        trace(points, closed);
    };
    ctx.set_line_width(1.5);
    let _ = ctx.set_line_dash(&dashed);
    ctx.set_stroke_style_str("#7b8794");
    ctx.begin_path();
    for p in predicted {
        trace(&p.points, true);
    }
    ctx.stroke();
    let _ = ctx.set_line_dash(&empty);
    // One path per label, filled faintly, then outlined. The paths are written as SVG path data (in tenths of a
    // pixel, whole numbers: quick to write and to parse) and kept until the polygons, the zoom or the moving one
    // change — a thousand polygons of sixteen vertices are then a few canvas calls, not seventeen thousand.
    let moving = g.preview.as_ref().map(|p| p.0);
    let fresh = |p: &LabelPaths| Rc::ptr_eq(&p.0, polygons) && p.1 == z.to_bits() && p.2 == moving;
    if !g.paths.as_ref().is_some_and(fresh) {
        let mut built = Vec::new();
        for l in &control.labels {
            let mut d = String::new();
            for (i, p) in polygons.iter().enumerate() {
                if p.label == l.value && Some(i) != moving {
                    for (k, q) in p.points.iter().enumerate() {
                        let (x, y) = ((q[0] * z * 10.0).round() as i64, (q[1] * z * 10.0).round() as i64);
                        let _ = write!(d, "{}{x} {y}", if k == 0 { 'M' } else { 'L' });
                    }
                    d.push('Z');
                }
            }
            if let (false, Ok(shape)) = (d.is_empty(), web_sys::Path2d::new_with_path_string(&d)) {
                built.push((label_color(l), shape));
            }
        }
        g.paths = Some((polygons.clone(), z.to_bits(), moving, built));
    }
    if let Some((_, _, _, paths)) = &g.paths {
        ctx.save();
        let _ = ctx.scale(0.1, 0.1);
        ctx.set_line_width(15.0);
        for (c, shape) in paths {
            ctx.set_global_alpha(0.18);
            ctx.set_fill_style_str(c);
            ctx.fill_with_path_2d(shape);
            ctx.set_global_alpha(1.0);
            ctx.set_stroke_style_str(c);
            ctx.stroke_with_path(shape);
        }
        ctx.restore();
    }
    // Labels in text only while they can be read apart.
    if polygons.len() <= 500 {
        for p in polygons.iter() {
            if let Some(first) = p.points.first() {
                ctx.set_fill_style_str(&color_of(&p.label));
                let _ = ctx.fill_text(&p.label, first[0] * z + 3.0, (first[1] * z - 4.0).max(10.0));
            }
        }
    }
    ctx.set_line_width(2.5);
    ctx.set_stroke_style_str("#d92d20");
    let _ = ctx.set_line_dash(&dashed);
    for &i in violating {
        if let Some(p) = polygons.get(i) {
            path(&p.points, true);
            ctx.stroke();
        }
    }
    let _ = ctx.set_line_dash(&empty);
    let sel = match (&g.preview, selected) {
        (Some((_, p)), _) => Some(p.clone()),
        (None, Some(i)) => polygons.get(i).cloned(),
        _ => None,
    };
    if let Some(p) = sel {
        ctx.set_line_width(2.5);
        ctx.set_stroke_style_str(&color_of(&p.label));
        path(&p.points, true);
        ctx.stroke();
        handles(&ctx, &p.points, z);
    }
    if !g.drawing.is_empty() {
        ctx.set_line_width(2.0);
        ctx.set_stroke_style_str(&color_of(active_label));
        let mut pts = g.drawing.clone();
        pts.extend(g.cursor);
        path(&pts, false);
        ctx.stroke();
        handles(&ctx, &g.drawing, z);
    }
}

/// White squares on the vertices.
fn handles(ctx: &web_sys::CanvasRenderingContext2d, points: &[Point], z: f64) {
    ctx.set_fill_style_str("#ffffff");
    for q in points {
        ctx.fill_rect(q[0] * z - 4.0, q[1] * z - 4.0, 8.0, 8.0);
        ctx.stroke_rect(q[0] * z - 4.0, q[1] * z - 4.0, 8.0, 8.0);
    }
}
