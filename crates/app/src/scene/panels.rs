//! The parts of the 3D view drawn as markup: the selected cuboid's side and front views, the camera image with
//! the cuboids projected into it, and a track's timeline over the sequence.

use concord_engine::model::{Cuboid, Label};
use concord_engine::scene::{timeline, TrackMark};
use yew::prelude::*;

use super::frames::FrameRef;
use super::live::EDGES;
use crate::views::label_color;

/// How far around the selected cuboid its side and front views reach.
const CLOSE_UP_MARGIN: f64 = 0.5;

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
