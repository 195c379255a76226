//! The pilot gate: does the pilot batch's agreement let production start? It decides on α's interval by the
//! project's rule (`workflow.pilot.decide_by`), and says which rule decided and how; with what to discuss at
//! calibration: the labels and annotator pairs entirely below the minimum, apart from those too uncertain to call
//! (`engine::pilot::pilot_gate`; `concord agreement --minimum M --decide-by RULE` prints the same).

use std::rc::Rc;

use concord_engine::bundle::GateRule;
use concord_engine::guidelines::VersionBump;
use concord_engine::pilot::{pilot_gate, AlphaEvidence, BelowMinimum};
use concord_engine::qc::disagreements_by_section;
use concord_engine::resample::Distribution;
use yew::prelude::*;

use super::pilot_planner::PilotPlanner;
use crate::import::Imported;
use crate::review::ProjectContext;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The import whose agreement report the gate reads.
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
    let bumps_to_sync = {
        let bumps = props.bumps.clone();
        Callback::from(move |()| {
            vec![crate::sync::LeadUpload {
                path: concord_engine::sync::GUIDELINE_VERSIONS_FILE.into(),
                text: serde_json::to_string_pretty(&*bumps).expect("versions serialise"),
                mime: "application/json",
            }]
        })
    };
    let Some(a) = props.summary.agreement.as_ref() else { return html! {} };
    let a = &a.figures;
    let labels: Vec<_> =
        a.per_label.iter().map(|(l, v)| (l.clone(), v.specific_agreement, v.specific_agreement_interval)).collect();
    let pairs: Vec<_> =
        a.pairwise.iter().map(|p| (format!("{} × {}", p.a, p.b), p.cohen_kappa, p.cohen_kappa_interval)).collect();
    // The replicates cross from the worker beside the report (they are not printed).
    let replicates = Distribution::new(props.summary.alpha_replicates.clone(), 0);
    let evidence = AlphaEvidence {
        alpha: a.krippendorff_alpha.nominal,
        interval: a.krippendorff_alpha_interval.nominal,
        replicates: (!props.summary.alpha_replicates.is_empty()).then_some(&replicates),
    };
    let rule = project.0.as_ref().map(|p| p.pilot_rule).unwrap_or_default();
    // Annotators per item, as this pilot had them.
    let s = &props.summary;
    let annotators = ((s.annotations as f64 / s.items.max(1) as f64).round() as u32).max(2);
    let gate = pilot_gate(evidence, &labels, &pairs, *min, rule);
    let onchange = super::inputs::number_input(&min);
    let alpha = gate.alpha.map_or("–".into(), |x| format!("{x:.3}"));
    let shown = gate.interval.map_or(String::new(), |i| format!(" [{:.3}, {:.3}]", i.low, i.high));
    let rule_name = match rule {
        GateRule::LowerBound => "the interval's lower bound".to_string(),
        GateRule::PointEstimate => "the point estimate".to_string(),
        GateRule::Risk(r) => format!("P(α < minimum) ≤ {r}"),
    };
    html! {
        <section class="pilot" aria-label="Pilot gate" data-testid="pilot-gate">
            <h2>{ "Pilot gate" }</h2>
            <p>
                <label>{ "Production needs Krippendorff's α ≥ " }
                    <input type="number" step="0.01" min="-1" max="1" value={min.to_string()} {onchange} aria-label="Minimum agreement" /></label>
            </p>
            <p class={classes!("gate", if gate.open { "open" } else { "closed" })} role="status" data-open={gate.open.to_string()}
                data-rule={rule_name.clone()}>
                { if gate.open { format!("α = {alpha}{shown}: production may start.") } else { format!("α = {alpha}{shown}: production is gated — calibrate first.") } }
            </p>
            <p class="hint" data-testid="gate-reason">{ format!("Decided by {rule_name}: {}.", gate.reason) }
                { gate.probability_below.map_or(String::new(), |p| format!(" P(α < {}) = {p:.3}.", *min)) }</p>
            { figure_list("Labels to discuss (interval entirely below the minimum): ", &gate.labels_below, "labels-below") }
            { figure_list("Labels too uncertain to call (interval reaches the minimum): ", &gate.labels_uncertain, "labels-uncertain") }
            { figure_list("Pairs who read the guideline differently (κ): ", &gate.pairs_below, "pairs-below") }
            { figure_list("Pairs too uncertain to call (κ): ", &gate.pairs_uncertain, "pairs-uncertain") }
            <PilotPlanner labels={props.summary.labels.len() as u32} annotators={annotators} min_agreement={*min} {rule} />
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
                <p><super::sync_publish::SyncPublish files={bumps_to_sync} name="versions" /></p>
                <ol class="bumps" data-testid="version-bumps">
                    { for props.bumps.iter().map(|b| html! {
                        <li data-version={b.version.clone()}>{ format!("{} — {} ({}, {})", b.version, b.note, b.by, crate::components::charts::civil_date(b.at)) }</li>
                    }) }
                </ol>
            }
        </section>
    }
}

/// An interval as the engine's report prints it (`resample::Interval`).

fn figure_list(title: &str, figures: &[BelowMinimum], testid: &str) -> Html {
    if figures.is_empty() {
        return html! {};
    }
    let shown = |f: &BelowMinimum| match f.interval {
        Some(i) => format!("{} ({:.2} [{:.2}, {:.2}])", f.name, f.value, i.low, i.high),
        None => format!("{} ({:.2})", f.name, f.value),
    };
    html! { <p data-testid={testid.to_string()}>{ title }{ figures.iter().map(shown).collect::<Vec<_>>().join(", ") }</p> }
}
