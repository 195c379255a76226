//! The pilot gate: does the pilot batch's agreement let production start? With what to discuss at calibration when
//! it does not: the labels and the annotator pairs below the minimum (`engine::qc::pilot_gate`).

use std::rc::Rc;

use concord_engine::guidelines::VersionBump;
use concord_engine::qc::{disagreements_by_section, pilot_gate};
use yew::prelude::*;

use crate::import::Imported;
use crate::review::ProjectContext;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The import whose agreement report (the engine's JSON) the gate reads.
    pub summary: Imported,
    /// Guideline versions recorded so far, and where a new one goes (kept by `review_work.rs`).
    pub bumps: Rc<Vec<VersionBump>>,
    pub on_bump: Callback<VersionBump>,
}

#[function_component(PilotGatePanel)]
pub fn pilot_gate_panel(props: &Props) -> Html {
    let project = use_context::<ProjectContext>().unwrap_or_default();
    // The project's minimum, else Krippendorff's own floor for tentative conclusions.
    let min = use_state(|| project.0.as_ref().and_then(|p| p.pilot_min).unwrap_or(0.667_f64));
    let by_section = {
        let (s, project) = (props.summary.clone(), project.clone());
        use_memo((props.summary.clone(), project.clone()), move |_| match &project.0 {
            Some(p) if !p.label_sections.is_empty() => disagreements_by_section(&s.table, &p.label_sections),
            _ => Vec::new(),
        })
    };
    let version = use_state(String::new);
    let note = use_state(String::new);
    let text = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let record = {
        let (version, note, on_bump) = (version.clone(), note.clone(), props.on_bump.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if version.trim().is_empty() {
                return;
            }
            on_bump.emit(VersionBump {
                version: version.trim().to_string(),
                at: (js_sys::Date::now() / 1000.0) as i64,
                note: note.trim().to_string(),
                by: "lead".into(),
            });
            version.set(String::new());
            note.set(String::new());
        })
    };
    let current = props
        .bumps
        .last()
        .map(|b| b.version.clone())
        .or_else(|| project.0.as_ref().map(|p| p.guideline_version.clone()))
        .unwrap_or_else(|| "–".into());
    let Some(a) = props.summary.agreement.as_ref() else { return html! {} };
    let labels: Vec<(String, Option<f64>)> = a["per_label"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(l, v)| (l.clone(), v["specific_agreement"].as_f64()))
        .collect();
    let pairs: Vec<(String, String, Option<f64>)> = a["pairwise"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["a"].as_str().unwrap_or("").to_string(),
                p["b"].as_str().unwrap_or("").to_string(),
                p["cohen_kappa"].as_f64(),
            )
        })
        .collect();
    let gate = pilot_gate(a["krippendorff_alpha"]["nominal"].as_f64(), &labels, &pairs, *min);
    let onchange = super::inputs::number_input(&min);
    let alpha = gate.alpha.map_or("–".into(), |x| format!("{x:.3}"));
    html! {
        <section class="pilot" aria-label="Pilot gate" data-testid="pilot-gate">
            <h2>{ "Pilot gate" }</h2>
            <p>
                <label>{ "Production needs Krippendorff's α ≥ " }
                    <input type="number" step="0.01" min="-1" max="1" value={min.to_string()} {onchange} aria-label="Minimum agreement" /></label>
            </p>
            <p class={classes!("gate", if gate.open { "open" } else { "closed" })} role="status" data-open={gate.open.to_string()}>
                { if gate.open { format!("α = {alpha}: production may start.") } else { format!("α = {alpha}: production is gated — calibrate first.") } }
            </p>
            if !gate.labels_below.is_empty() {
                <p>{ "Labels to discuss: " }{ gate.labels_below.iter().map(|(l, v)| format!("{l} ({v:.2})")).collect::<Vec<_>>().join(", ") }</p>
            }
            if !gate.pairs_below.is_empty() {
                <p>{ "Pairs who read the guideline differently: " }{ gate.pairs_below.iter().map(|(a, b, v)| format!("{a} × {b} (κ {v:.2})")).collect::<Vec<_>>().join(", ") }</p>
            }
            if !by_section.is_empty() {
                <div class="calibration" data-testid="calibration">
                    <h3>{ "Disagreements by guideline section" }</h3>
                    <ul>
                        { for by_section.iter().map(|g| html! {
                            <li data-section={g.section.clone()} data-items={g.items.to_string()}>
                                <strong>{ &g.section }</strong>
                                { format!(" — {} items: ", g.items) }
                                { g.confusions.iter().take(4).map(|(x, y, n)| format!("{x} vs {y} ×{n}")).collect::<Vec<_>>().join(", ") }
                                <span class="hint">{ format!(" (e.g. {})", g.examples.join(", ")) }</span>
                            </li>
                        }) }
                    </ul>
                </div>
            }
            <form class="version-bump" onsubmit={record} aria-label="Record a guideline version">
                <span>{ format!("Guideline version now: {current}. ") }</span>
                <input type="text" placeholder="New version" value={(*version).clone()} oninput={text(&version)} required={true} aria-label="New guideline version" />
                <input type="text" placeholder="What changed" value={(*note).clone()} oninput={text(&note)} aria-label="What changed in the guideline" />
                <button type="submit">{ "Record version" }</button>
            </form>
            if !props.bumps.is_empty() {
                <ol class="bumps" data-testid="version-bumps">
                    { for props.bumps.iter().map(|b| html! {
                        <li data-version={b.version.clone()}>{ format!("{} — {} ({}, {})", b.version, b.note, b.by, crate::components::charts::civil_date(b.at)) }</li>
                    }) }
                </ol>
            }
        </section>
    }
}
