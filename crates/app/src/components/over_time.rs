//! Quality and speed over time, for imports whose files say when each label was made (a Label Studio
//! `created_at`, a CSV `time` column): accuracy on gold per annotator in windows with drift flags and the
//! guideline versions marked; throughput (items per hour of work); and the cost–quality–time calculator fed with
//! the measured accuracy and speed. Every figure is the engine's (`review::timeline`, `review::throughput`,
//! `cost::plan`).

use concord_engine::consensus::Method;
use concord_engine::cost::{plan, Tier};
use concord_engine::drift::{DriftOptions, Window};
use concord_engine::review::{
    accuracy_over_time, seconds_per_label, throughput, AccuracyTimeline, Throughput, IDLE_GAP,
};
use concord_engine::sorting::LeanSort;
use yew::prelude::*;

use super::charts::{percent, Bar, Bars, Series, TimeLines, TimePoint};
use super::inputs::number_input;
use crate::import::Imported;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub summary: Imported,
    /// Guideline versions the lead recorded: marked beside the versions the files name.
    pub bumps: std::rc::Rc<Vec<concord_engine::guidelines::VersionBump>>,
}

fn window_of(name: &str) -> Window {
    match name {
        "week" => Window::Seconds(7 * 86_400),
        "day" => Window::Seconds(86_400),
        n => Window::Count(n.parse().unwrap_or(20)),
    }
}

#[function_component(OverTime)]
pub fn over_time(props: &Props) -> Html {
    let window = use_state(|| "day".to_string());
    let rate = use_state(|| 20.0f64);
    let target = use_state(|| 0.95f64);
    let s = &props.summary;
    let timeline = {
        let s = s.clone();
        use_memo((s.clone(), (*window).clone()), move |(_, w)| {
            let opts = DriftOptions { window: window_of(w), ..DriftOptions::default() };
            accuracy_over_time(&s.table, &s.stamps, &s.gold_labels, opts)
        })
    };
    let speed = {
        let s = s.clone();
        use_memo(s.clone(), move |_| throughput(&s.table, &s.stamps, IDLE_GAP))
    };
    if s.stamps.is_empty() {
        return html! {
            <section class="over-time" aria-label="Over time" data-testid="over-time">
                <h2>{ "Over time" }</h2>
                <p class="hint">{ "These files do not say when labels were made (no Label Studio created_at, no CSV time column): no throughput or drift." }</p>
            </section>
        };
    }
    let on_window = {
        let window = window.clone();
        Callback::from(move |e: Event| window.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))
    };
    let series = accuracy_series(&timeline);
    let flagged: Vec<String> = timeline
        .annotators
        .iter()
        .filter(|(_, d)| d.windows.iter().any(|w| w.flagged))
        .map(|(n, _)| n.clone())
        .collect();
    // The files' versions at their first use; a recorded version the files do not name yet, at its recording.
    let mut markers = timeline.versions.clone();
    for b in props.bumps.iter() {
        if !markers.iter().any(|(v, _)| *v == b.version) {
            markers.push((b.version.clone(), b.at));
        }
    }
    let by_version = version_bars(&timeline);
    let bars = throughput_bars(&speed);
    let calculator = calculator(s, &speed, &rate, &target);
    html! {
        <section class="over-time" aria-label="Over time" data-testid="over-time">
            <h2>{ "Over time" }</h2>
            <p class="hint">
                <label>{ "Windows: " }
                    <select onchange={on_window} data-testid="drift-window">
                        <option value="day" selected={*window == "day"}>{ "days" }</option>
                        <option value="week" selected={*window == "week"}>{ "weeks" }</option>
                        <option value="20" selected={*window == "20"}>{ "every 20 gold labels" }</option>
                    </select>
                </label>
                { format!(" · {} gold-checked labels with a time. ", timeline.observations) }
                if !flagged.is_empty() {
                    <strong class="drift-alert" data-testid="drift-flagged">{ format!("Drift: {}", flagged.join(", ")) }</strong>
                }
            </p>
            if timeline.observations > 0 {
                <TimeLines title="Accuracy on gold over time, per annotator (Wilson 95 %; red ring: significant drop; dashed: guideline versions)"
                           {series} {markers} testid="chart-accuracy-time" />
            }
            if !by_version.is_empty() {
                <Bars title="Accuracy on gold per guideline version (Wilson 95 %)" bars={by_version} testid="chart-by-version" />
            }
            <VersionTable summary={s.clone()} />
            <Bars title="Throughput: items per hour of work (gaps over 30 min are breaks)" {bars} testid="chart-throughput" />
            { calculator }
        </section>
    }
}

/// Accuracy on gold per window, one line per annotator, with drift flags.
fn accuracy_series(timeline: &AccuracyTimeline) -> Vec<Series> {
    timeline
        .annotators
        .iter()
        .map(|(name, d)| Series {
            name: name.clone(),
            points: d
                .windows
                .iter()
                .map(|w| TimePoint {
                    t: w.end,
                    value: w.accuracy,
                    interval: w.ci95,
                    flagged: w.flagged,
                    note: format!(
                        "{} ({}/{}){}",
                        percent(Some(w.accuracy)),
                        w.correct,
                        w.n,
                        if w.flagged {
                            format!(" — drift: below {} before", percent(w.baseline))
                        } else {
                            String::new()
                        }
                    ),
                })
                .collect(),
        })
        .collect()
}

/// Did a guideline change help? Accuracy on gold under each version, all annotators pooled.
fn version_bars(timeline: &AccuracyTimeline) -> Vec<Bar> {
    timeline
        .overall
        .by_version
        .iter()
        .filter_map(|(v, stat)| {
            let name = timeline.version_names.get(*v as usize)?;
            Some(Bar {
                label: if name.is_empty() { "(no version)".into() } else { format!("v{name}") },
                value: Some(stat.accuracy),
                interval: Some(stat.ci95),
                note: format!("{} · {} gold checks", percent(Some(stat.accuracy)), stat.n),
            })
        })
        .collect()
}

/// Items per hour of work per annotator, as bars scaled to the fastest.
fn throughput_bars(speed: &[Throughput]) -> Vec<Bar> {
    let top = speed.iter().filter_map(|t| t.per_hour).fold(0.0f64, f64::max);
    speed
        .iter()
        .map(|t| Bar {
            label: t.annotator.clone(),
            value: t.per_hour.map(|v| if top > 0.0 { v / top } else { 0.0 }),
            interval: None,
            note: format!(
                "{} items/h · {} labels · {:.1} h in {} sessions",
                t.per_hour.map_or("–".into(), |v| format!("{v:.1}")),
                t.items,
                t.active_seconds as f64 / 3600.0,
                t.sessions
            ),
        })
        .collect()
}

/// The calculator: one tier, the team as measured — pooled accuracy on gold (or the Dawid–Skene estimate), the
// mean time per item, and the hourly rate entered.
fn calculator(s: &Imported, speed: &[Throughput], rate: &UseStateHandle<f64>, target: &UseStateHandle<f64>) -> Html {
    let accuracy = s.gold.as_ref().and_then(|g| g.figures.overall.accuracy);
    let seconds = seconds_per_label(speed);
    match (accuracy, seconds) {
        (Some(p), Some(sec)) => {
            let tier = Tier {
                name: "team".into(),
                cost_per_item: **rate * sec / 3600.0,
                seconds_per_item: sec,
                accuracy: p,
                annotators: Vec::new(),
            };
            let report = plan(&[tier], s.labels.len().max(2), **target, Method::MajorityVote, 5, 1);
            html! {
                <figure class="chart calculator" data-testid="calculator">
                    <figcaption>{ "Cost, quality and time per item (majority vote, symmetric-noise model)" }</figcaption>
                    <p class="hint">
                        { format!("Measured: accuracy {} on gold, {sec:.0} s per label. ", percent(Some(p))) }
                        <label>{ "Hourly rate " }<input type="number" step="0.5" min="0" value={rate.to_string()} onchange={number_input(&rate)} data-testid="calc-rate" /></label>
                        { " " }
                        <label>{ "Target accuracy " }<input type="number" step="0.01" min="0" max="1" value={target.to_string()} onchange={number_input(&target)} data-testid="calc-target" /></label>
                    </p>
                    <table>
                        <thead><tr><th>{ "Labels per item" }</th><th>{ "Expected accuracy" }</th><th>{ "Cost per item" }</th><th>{ "Time per item" }</th></tr></thead>
                        <tbody>
                            { for report.plans.iter().map(|pl| {
                                let best = report.cheapest.as_ref().is_some_and(|c| c.overlap == pl.overlap);
                                html! { <tr class={classes!(best.then_some("cheapest"))} data-overlap={pl.overlap.to_string()} data-accuracy={format!("{:.4}", pl.accuracy)}>
                                    <td>{ pl.overlap }{ if best { " ← cheapest to reach the target" } else { "" } }</td>
                                    <td>{ percent(Some(pl.accuracy)) }</td>
                                    <td>{ format!("{:.2}", pl.cost_per_item) }</td>
                                    <td>{ format!("{:.0} s", pl.seconds_per_item) }</td>
                                </tr> }
                            }) }
                        </tbody>
                    </table>
                </figure>
            }
        }
        _ => html! { <p class="hint">{ "The calculator needs gold answers and timed labels." }</p> },
    }
}

/// Per guideline version (columns, in order of first use): labels, agreement, and the error rate on gold per
/// guideline section (rows) — sections the last guideline change touched are marked, so before/after reads across.
#[function_component(VersionTable)]
fn version_table(p: &VersionTableProps) -> Html {
    let project = use_context::<crate::review::ProjectContext>().unwrap_or_default();
    let changed: Vec<String> = project.0.as_ref().map(|p| p.changed_sections.clone()).unwrap_or_default();
    // Worked out by the import worker, over every stamp.
    let figures = &p.summary.versions;
    if figures.len() < 2 {
        return html! {};
    }
    let mut sections: Vec<String> = figures.iter().flat_map(|f| f.sections.keys().cloned()).collect();
    sections.lean_sort();
    sections.dedup();
    html! {
        <table class="by-version" data-testid="by-version">
            <caption>{ "Per guideline version: agreement, and by guideline section errors on gold and pairwise agreement — did the edit help?" }</caption>
            <thead><tr><th></th>{ for figures.iter().map(|f| html! { <th data-version={f.version.clone()}>{ format!("v{}", if f.version.is_empty() { "?" } else { &f.version }) }</th> }) }</tr></thead>
            <tbody>
                <tr data-row="labels"><th>{ "labels (items)" }</th>{ for figures.iter().map(|f| html! { <td>{ format!("{} ({})", f.labels, f.items) }</td> }) }</tr>
                <tr data-row="alpha"><th>{ "agreement α" }</th>{ for figures.iter().map(|f| html! {
                    <td data-version={f.version.clone()} data-value={f.alpha.map(|a| format!("{a:.4}")).unwrap_or_default()}>{ f.alpha.map_or("–".into(), |a| format!("{a:.3}")) }</td>
                }) }</tr>
                { for sections.iter().map(|sec| html! {
                    <tr data-row="section" data-section={sec.clone()} class={classes!(changed.contains(sec).then_some("changed"))}>
                        <th>{ if sec.is_empty() { "(no section)".to_string() } else { sec.clone() } }
                            if changed.contains(sec) { <span class="hint">{ " changed" }</span> }</th>
                        { for figures.iter().map(|f| match f.sections.get(sec) {
                            Some(e) => html! { <td data-version={f.version.clone()} data-wrong={e.wrong.to_string()} data-checked={e.checked.to_string()}
                                                   data-pairs={e.pairs.to_string()} data-agreeing={e.agreeing.to_string()}>
                                { match e.rate() { Some(r) => format!("{} of {} wrong ({:.0} %)", e.wrong, e.checked, 100.0 * r), None => "no gold".into() } }
                                { match e.agreement() { Some(a) => format!(" · agree {:.0} %", 100.0 * a), None => String::new() } }</td> },
                            None => html! { <td data-version={f.version.clone()}>{ "–" }</td> },
                        }) }
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
struct VersionTableProps {
    summary: Imported,
}
