use concord_engine::log::PersonalStats;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub stats: PersonalStats,
}

/// The annotator's own figures, from their log.
#[function_component(PersonalPanel)]
pub fn personal_panel(props: &Props) -> Html {
    let s = &props.stats;
    let pct = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{:.0} %", v * 100.0));
    html! {
        <section class="personal" aria-label="My work" data-testid="personal-panel">
            <h2>{ "My work" }</h2>
            <dl>
                <dt>{ "Today" }</dt><dd data-testid="items-today">{ s.submitted_today }</dd>
                <dt>{ "Submitted" }</dt><dd data-testid="items-total">{ s.submitted }</dd>
                <dt>{ "Gold accuracy" }</dt>
                <dd data-testid="gold-accuracy">{ format!("{} ({}/{})", pct(s.gold_accuracy()), s.gold_correct, s.gold_checked) }</dd>
                <dt>{ "Rule violations" }</dt>
                <dd data-testid="violation-rate">{ format!("{} of submissions", pct(s.violation_rate())) }</dd>
            </dl>
        </section>
    }
}
