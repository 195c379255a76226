//! The parts of the 3D view drawn as markup: the selected cuboid's side and front views, the camera image with
//! the cuboids projected into it, and a track's timeline over the sequence.

use concord_engine::model::{Cuboid, Label};
use concord_engine::scene::{timeline, TrackMark};
use yew::prelude::*;

use super::frames::FrameRef;
use super::live::{Mode, Preview, EDGES};
use crate::views::label_color;

/// How far around the selected cuboid its side and front views reach.
const CLOSE_UP_MARGIN: f64 = 0.5;

/// The most points a close-up draws; beyond it, every k-th of them, evenly over the frame. A
/// cuboid in a dense part of a 120,000-point frame has thousands of returns around it, and as SVG elements rebuilt
/// at every edit they were most of an edit's script time (19 of 26 ms). The counts in `data-near` and `data-inside`
/// stay exact.
const CLOSE_UP_POINTS: usize = 600;

/// The side and front views of `c`: the points within [`CLOSE_UP_MARGIN`] of it, in its own axes (along its
/// heading, across it, up), drawn from its side and from its front with its outline, so that a face can be set to
/// the last return.
pub(super) fn close_ups(c: &Cuboid, cloud: &concord_engine::scene::PointCloud) -> Html {
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
    let inside = |l: &[f64; 3]| (0..3).all(|k| l[k].abs() <= c.size[k] / 2.0);
    let inside_count = near.iter().filter(|l| inside(l)).count();
    let drawn: Vec<&[f64; 3]> = near.iter().step_by(near.len().div_ceil(CLOSE_UP_POINTS).max(1)).collect();
    // One view: horizontal axis `a` of the box (0 along, 1 across; its screen direction by `flip`), height up.
    let view = |name: &'static str, a: usize, flip: f64| {
        let (w, h) = (2.0 * half[a], 2.0 * half[2]);
        html! {
            <figure class="close-up" data-testid={format!("{name}-view")}>
                <svg viewBox={format!("{:.3} {:.3} {w:.3} {h:.3}", -half[a], -half[2])} preserveAspectRatio="xMidYMid meet">
                    <rect class="box" x={format!("{:.3}", -c.size[a] / 2.0)} y={format!("{:.3}", -c.size[2] / 2.0)}
                          width={format!("{:.3}", c.size[a])} height={format!("{:.3}", c.size[2])} />
                    { for drawn.iter().map(|l| html! {
                        <circle class={classes!(inside(l).then_some("inside"))} cx={format!("{:.3}", flip * l[a])}
                                cy={format!("{:.3}", -l[2])} r="0.03" />
                    }) }
                </svg>
                <figcaption>{ format!("{name} view") }</figcaption>
            </figure>
        }
    };
    html! {
        <div class="close-ups" data-near={near.len().to_string()} data-inside={inside_count.to_string()}>
            { view("side", 0, 1.0) }{ view("front", 1, -1.0) }
        </div>
    }
}

/// The camera's image with the cuboids (`(index, cuboid)`, the selected one marked) projected into it.
pub(super) fn camera_view(
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
pub(super) fn track_timeline(all: &[Cuboid], track: &str, frames: &[FrameRef], here: i64) -> Html {
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

/// The cuboids the camera image shows: the stored ones, the one being moved where it is now, and the one being drawn
/// (`usize::MAX`: not in the list yet).
pub(super) fn shown_in_camera(cuboids: &[Cuboid], preview: Option<&Preview>) -> Vec<(usize, Cuboid)> {
    cuboids
        .iter()
        .enumerate()
        .map(|(i, c)| match preview {
            Some((Some(p), moved)) if *p == i => (i, moved.clone()),
            _ => (i, c.clone()),
        })
        .chain(preview.filter(|p| p.0.is_none()).map(|p| (usize::MAX, p.1.clone())))
        .collect()
}

/// The bar over the canvas: the view, the frame, its points, the label the next cuboid gets.
pub(super) fn scene_bar(mode: Mode, frame: i64, points: usize, labels: &[Label], label_index: usize) -> Html {
    html! {
        <div class="scene-bar">
            <span class="mode" data-testid="scene-mode">{ if mode == Mode::Birdseye { "Bird's-eye view" } else { "Orbit view" } }</span>
            <span class="frame" data-testid="scene-frame">{ format!("Frame {frame}") }</span>
            <span class="points" data-testid="scene-points">{ format!("{points} points") }</span>
            <span class="label-chips" role="group" aria-label="Label of the next cuboid">
                { for labels.iter().enumerate().map(|(k, l)| html! {
                    <span class={classes!("label-chip", (k == label_index).then_some("chosen"))} style={format!("--label: {}", label_color(l))}>
                        if let Some(h) = &l.hotkey { <kbd>{ h }</kbd> } { &l.value }
                    </span>
                }) }
            </span>
        </div>
    }
}

/// The frame's cuboids, the selected one with the points inside it (`inside`), the flagged ones marked; a click
/// selects.
pub(super) fn cuboid_list(
    cuboids: &[Cuboid],
    selected: Option<usize>,
    violating: &[usize],
    inside: Option<usize>,
    select: &UseStateSetter<Option<usize>>,
) -> Html {
    let on_select = |i: usize| {
        let select = select.clone();
        Callback::from(move |_: MouseEvent| select.set(Some(i)))
    };
    html! {
        <ol class="region-list" aria-label="Cuboids" data-testid="region-list">
            { for cuboids.iter().enumerate().map(|(i, c)| html! {
                <li class={classes!((selected == Some(i)).then_some("selected"), violating.contains(&i).then_some("violating"))}
                    onclick={on_select(i)} data-index={i.to_string()} data-track={c.track_id.clone()}
                    data-center={format!("{:.2} {:.2} {:.2}", c.center[0], c.center[1], c.center[2])}
                    data-size={format!("{:.2} {:.2} {:.2}", c.size[0], c.size[1], c.size[2])}
                    data-yaw={format!("{:.4}", c.yaw)} data-exact={serde_json::to_string(c).unwrap_or_default()}>
                    <span class="region-label">{ &c.label }</span>
                    { format!(" {:.1} × {:.1} × {:.1} m at ({:.1}, {:.1}), {:.0}°", c.size[0], c.size[1], c.size[2], c.center[0], c.center[1], c.yaw.to_degrees()) }
                    if selected == Some(i) {
                        if let Some(n) = inside { <span class="inside" data-testid="points-inside">{ format!(" · {n} points inside") }</span> }
                    }
                </li>
            }) }
        </ol>
    }
}
