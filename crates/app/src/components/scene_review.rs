//! Review of a point-cloud batch: annotators' Concord logs of a `cuboids` project, read in the import worker. The
//! 3D agreement (F1 at 3D IoU over frames, per class: `concord agreement`) and the tracks queue (`concord tracks`):
//! each annotator's tracks held against the others' cuboids, most identity switches first, each with the frames
//! where its object changed hands. Every figure here is in the JSON the buttons save, as the CLI prints it.

use yew::prelude::*;

use crate::import::figures::RegionFigures;
use crate::import::Imported;

/// Rows of the tracks queue shown (the file has them all).
const SHOWN: usize = 200;

#[derive(Properties, PartialEq)]
pub struct SceneReviewProps {
    pub summary: Imported,
}

#[function_component(SceneReview)]
pub fn scene_review(props: &SceneReviewProps) -> Html {
    let s = &props.summary;
    let Some(queue) = s.tracks.as_ref() else { return html! {} };
    let per_label = match s.region_agreement.as_ref().map(|r| &r.figures) {
        Some(RegionFigures::Cuboids(f)) => f.per_label.clone(),
        _ => Default::default(),
    };
    let save = |name: &'static str, json: String| {
        Callback::from(move |_: MouseEvent| crate::download::offer(name, &json, "application/json"))
    };
    let agreement_json = s.region_agreement.as_ref().map(|r| r.json.get().to_string()).unwrap_or_default();
    let tracks = &queue.figures.tracks;
    let f = |x: Option<f64>| x.map_or("–".to_string(), |v| format!("{v:.3}"));
    html! {
        <section class="scene-review" aria-label="3D review" data-testid="scene-review">
            <h2>{ "3D agreement" }</h2>
            { super::region_review::figures(s) }
            <table class="per-class" data-testid="per-class">
                <thead><tr><th>{ "Class" }</th><th>{ "F1 at 3D IoU 0.5" }</th><th>{ "F1 at 3D IoU 0.75" }</th></tr></thead>
                <tbody>
                    { for per_label.iter().map(|(label, l)| html! {
                        <tr data-label={label.clone()}><td>{ label }</td><td data-figure="f1_50">{ f(l.f1_50) }</td><td data-figure="f1_75">{ f(l.f1_75) }</td></tr>
                    }) }
                </tbody>
            </table>
            <h2>{ format!("Tracks queue: {} tracks", tracks.len()) }</h2>
            <p class="hint">{ format!(
                "Each annotator's tracks against the other annotators' boxes in the same frames (bird's-eye-view IoU ≥ {}): \
                 an identity switch is a frame where the object passes to another of their tracks. Most switches first, then the least matched.",
                queue.figures.iou) }</p>
            <table class="tracks-queue" data-testid="tracks-queue">
                <thead><tr><th>{ "Annotator" }</th><th>{ "Track" }</th><th>{ "Class" }</th><th>{ "Frames" }</th>
                    <th>{ "Matched" }</th><th>{ "Mean IoU" }</th><th>{ "Switches" }</th></tr></thead>
                <tbody>
                    { for tracks.iter().take(SHOWN).map(|t| html! {
                        <tr data-annotator={t.annotator.clone()} data-track={t.track.clone()} data-switches={t.id_switches.to_string()}
                            data-matched={t.matched.to_string()} data-compared={t.compared.to_string()}>
                            <td>{ &t.annotator }</td><td>{ &t.track }</td><td>{ &t.label }</td>
                            <td>{ format!("{}–{}", t.frames[0], t.frames[1]) }</td>
                            <td>{ format!("{} of {}", t.matched, t.compared) }</td>
                            <td>{ f(t.mean_iou) }</td>
                            <td>{ if t.switch_frames.is_empty() { "0".to_string() } else {
                                format!("{} (frames {})", t.id_switches, t.switch_frames.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")) } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if tracks.len() > SHOWN { <p class="more">{ format!("and {} more in the file", tracks.len() - SHOWN) }</p> }
            <div class="scene-files">
                <button onclick={save("agreement-3d.json", agreement_json)} data-testid="save-agreement">{ "3D agreement (JSON)" }</button>
                <button onclick={save("tracks.json", queue.json.get().to_string())} data-testid="save-tracks">{ "Tracks queue (JSON)" }</button>
            </div>
        </section>
    }
}
