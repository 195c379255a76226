//! The pilot gate: does the pilot batch's agreement let production start? With what to discuss at calibration when
//! it does not: the labels and the annotator pairs below the minimum (`engine::qc::pilot_gate`).

use concord_engine::qc::pilot_gate;
use yew::prelude::*;

use crate::import::Imported;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The import whose agreement report (the engine's JSON) the gate reads.
    pub summary: Imported,
}

#[function_component(PilotGatePanel)]
pub fn pilot_gate_panel(props: &Props) -> Html {
    // Krippendorff's own floor for tentative conclusions; projects set theirs.
    let min = use_state(|| 0.667_f64);
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
    let onchange = super::qc_panel::number_input(&min);
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
        </section>
    }
}
