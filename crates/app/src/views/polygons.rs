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
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::image_stage::{
    bind, fill_label, image_size, region_list, stage, toolbar_controls, use_image_regions, use_view_keys, ImageRegions,
    ListedRegion, Marks,
};
use super::polygon_gestures::{on_double, on_down, on_key, on_move, on_up, Gesture, LabelPaths, Tools};
use super::{label_color, ViewProps};
use crate::perf;
use concord_engine::polygons::geometry::Point;

#[function_component(PolygonsView)]
pub fn polygons_view(props: &ViewProps) -> Html {
    let selected = use_state(|| None::<usize>);
    let active_label = use_state(|| None::<String>);
    let zoom = use_state(|| 1.0f64);
    let gesture = use_mut_ref(Gesture::default);
    let canvas_ref = use_node_ref();
    // Re-render when the drawing changes (vertex count shown, hint).
    let drawn = use_state(|| 0usize);

    let Some(ImageRegions { control, regions: polygons, predicted, violating, current, suggested }) =
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
        let (selected, predicted, label, suggested) =
            (*selected, predicted.clone(), label_now.clone(), suggested.clone());
        Rc::new(move || {
            if let Some(c) = canvas_ref.cast::<web_sys::HtmlCanvasElement>() {
                let marks = Marks { predicted: &predicted, violating: &violating, suggested: &suggested };
                draw(&c, z, &control, &polygons, marks, selected, &mut gesture.borrow_mut(), &label);
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

    let tools = Tools {
        gesture: gesture.clone(),
        polygons: polygons.clone(),
        current,
        selected: selected.clone(),
        active_label: active_label.clone(),
        zoom: zoom.clone(),
        drawn: drawn.clone(),
        paint: paint.clone(),
        close: close.clone(),
        on_op: props.on_op.clone(),
        control: control.clone(),
    };
    use_view_keys(&props.keys, &tools, on_key);
    let (on_down, on_move, on_double) = (bind(&tools, on_down), bind(&tools, on_move), bind(&tools, on_double));
    let on_up = bind(&tools, |t, _: &MouseEvent| on_up(t));

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
            { region_list("Polygons", "polygon", polygons.iter().enumerate().map(|(i, p)| ListedRegion {
                label: p.label.clone(),
                detail: format!(" {} vertices, {:.0} px²", p.points.len(), concord_engine::polygons::geometry::area(&p.rings())),
                vertices: Some(p.points.len()),
                suggested: suggested.get(i).cloned().flatten(),
            }), &selected, &violating) }
        </section>
    }
}

fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    z: f64,
    control: &Control,
    polygons: &Rc<Vec<PolygonRegion>>,
    Marks { predicted, violating, suggested }: Marks<PolygonRegion>,
    selected: Option<usize>,
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
        for (i, p) in polygons.iter().enumerate() {
            if let Some(first) = p.points.first() {
                ctx.set_fill_style_str(&color_of(&p.label));
                fill_label(&ctx, &p.label, suggested.get(i), (first[0] * z + 3.0, (first[1] * z - 4.0).max(10.0)));
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
