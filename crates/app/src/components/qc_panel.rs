//! The QC sample of a batch: a seeded share of the accepted items (the final labels: the arbiter's where decided,
//! the consensus elsewhere) re-checked one by one — pass, or fail with a category, the guideline section and a
//! comment — and the batch's pass rate with its Wilson interval and verdict (`engine::qc`).

use std::rc::Rc;

use concord_engine::arbitration::Decision;
use concord_engine::model::ErrorCategory;
use concord_engine::qc::{qc_report, qc_sample_of, QcCheck};
use yew::prelude::*;

use super::charts::percent;
use super::deferred::in_groups;
use crate::import::Imported;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub summary: Imported,
    pub decisions: Rc<Vec<Decision>>,
    pub checks: Rc<Vec<QcCheck>>,
    pub on_check: Callback<QcCheck>,
    /// The review queue's verdicts, for the QA report.
    pub reviews: Rc<Vec<concord_engine::review::Review>>,
    /// Guideline versions recorded, for the QA report.
    pub bumps: Rc<Vec<concord_engine::guidelines::VersionBump>>,
}

const PAGE: usize = 100;
/// Rows built per task: a row is about 15 nodes.
const ROWS_PER_TASK: usize = 25;

fn pager(page: &UseStateHandle<usize>, n: usize) -> Html {
    let pages = n.div_ceil(PAGE);
    let go = |to: usize| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(to))
    };
    html! {
        <p class="qc-pager">
            <button type="button" disabled={**page == 0} onclick={go(page.saturating_sub(1))}>{ "Previous" }</button>
            { format!(" items {}–{} of {n} ", **page * PAGE + 1, ((**page + 1) * PAGE).min(n)) }
            <button type="button" disabled={**page + 1 >= pages} onclick={go((**page + 1).min(pages - 1))}>{ "Next" }</button>
        </p>
    }
}

#[function_component(QcPanel)]
pub fn qc_panel(props: &Props) -> Html {
    // The project's QC rate and seed when review mode has one.
    let project = use_context::<crate::review::ProjectContext>().unwrap_or_default();
    let rate = use_state(|| project.0.as_ref().map_or(10.0_f64, |p| 100.0 * p.qc_rate));
    let seed = use_state(|| project.0.as_ref().map_or(1.0_f64, |p| p.seed as f64));
    let threshold = use_state(|| 95.0_f64);
    // The sample is shown a page at a time: a big batch's sample runs to thousands of items.
    let page = use_state(|| 0usize);
    let s = &props.summary;
    // Drawn again only when the rate or the seed changes (a batch may hold 200,000 items).
    let sample = use_memo(((*rate).to_bits(), (*seed).to_bits(), s.clone()), |(rate, seed, s)| {
        let sample =
            qc_sample_of(s.final_from.labels.keys(), f64::from_bits(*rate) / 100.0, f64::from_bits(*seed) as u64);
        sample.into_iter().cloned().collect::<Vec<String>>()
    });
    let report = qc_report(&sample, &props.checks, *threshold / 100.0);
    let verdict_text = match report.verdict {
        "pass" => "batch passes QC",
        "fail" => "batch fails QC",
        _ => "QC open",
    };
    let download_report = {
        let (summary, decisions, report) = (props.summary.clone(), props.decisions.clone(), report.clone());
        let (reviews, checks, bumps) = (props.reviews.clone(), props.checks.clone(), props.bumps.clone());
        Callback::from(move |_: MouseEvent| {
            let qa = serde_json::json!({
                "format": "concord-qa-report", "version": 1,
                "files": summary.files, "items": summary.items, "annotators": summary.annotators,
                "annotations": summary.annotations, "labels": summary.labels,
                "agreement": summary.agreement, "gold": summary.gold, "consensus": summary.consensus,
                "qc": report, "qc_checks": *checks, "arbitration": {"pool": summary.pool_size, "decisions": *decisions},
                "review": {"verdicts": *reviews, "errors": concord_engine::review::error_tally(&reviews, &checks)},
                "guideline_versions": *bumps,
            });
            let text = serde_json::to_string_pretty(&qa).unwrap_or_default();
            crate::download::offer("qa-report.json", &text, "application/json")
        })
    };
    // One lookup per row, not a scan of every check (a big batch's sample has thousands).
    let decisions: std::collections::HashMap<&str, &Decision> =
        props.decisions.iter().map(|d| (d.item.as_str(), d)).collect();
    let checks: std::collections::HashMap<&str, &QcCheck> = props.checks.iter().map(|c| (c.item.as_str(), c)).collect();
    let ci = report
        .pass_rate_ci95
        .map_or(String::new(), |[a, b]| format!(" (95 % CI {}–{})", percent(Some(a)), percent(Some(b))));
    html! {
        <section class="qc" aria-label="QC sample" data-testid="qc">
            <h2>{ "QC sample" }</h2>
            <p class="qc-controls">
                <label>{ "Sample " }<input type="number" min="1" max="100" value={rate.to_string()} onchange={super::inputs::number_input(&rate)} aria-label="Sample rate, percent" />{ " % " }</label>
                <label>{ "seed " }<input type="number" min="0" value={seed.to_string()} onchange={super::inputs::number_input(&seed)} aria-label="Sample seed" /></label>
                <label>{ " pass at " }<input type="number" min="0" max="100" value={threshold.to_string()} onchange={super::inputs::number_input(&threshold)} aria-label="QC threshold, percent" />{ " %" }</label>
            </p>
            <p class="hint">
                <button type="button" onclick={download_report} data-testid="download-qa-report">{ "Download QA report (JSON)" }</button>
                { " — or print this page for the printable report." }
            </p>
            <p class={classes!("qc-verdict", report.verdict)} role="status" data-verdict={report.verdict}
               data-checked={report.checked.to_string()} data-passed={report.passed.to_string()}>
                { format!("{} of {} checked · pass rate {}{ci} · {verdict_text}", report.checked, report.sampled,
                          percent(report.pass_rate)) }
            </p>
            if sample.len() > PAGE { { pager(&page, sample.len()) } }
            <ol class="qc-sample" start={(*page * PAGE + 1).to_string()}>
                { in_groups(sample.iter().skip(*page * PAGE).take(PAGE).map(|item| {
                    let decided = decisions.get(item.as_str());
                    let (label, source) = match decided {
                        Some(d) => (d.label.clone(), "arbiter"),
                        None => (s.final_from.labels.get(item).cloned().unwrap_or_default(), s.final_from.method.as_str()),
                    };
                    let check = checks.get(item.as_str()).map(|c| (*c).clone());
                    html! { <QcRow key={item.clone()} item={item.clone()} label={label} source={source.to_string()} check={check} on_check={props.on_check.clone()} /> }
                }), ROWS_PER_TASK) }
            </ol>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    item: String,
    label: String,
    source: String,
    check: Option<QcCheck>,
    on_check: Callback<QcCheck>,
}

#[function_component(QcRow)]
fn qc_row(p: &RowProps) -> Html {
    let category = use_state(|| p.check.as_ref().and_then(|c| c.category).unwrap_or(ErrorCategory::WrongLabel));
    let section = use_state(|| p.check.as_ref().map(|c| c.section.clone()).unwrap_or_default());
    let comment = use_state(|| p.check.as_ref().map(|c| c.comment.clone()).unwrap_or_default());
    let send = |passed: bool| {
        let (on_check, item) = (p.on_check.clone(), p.item.clone());
        let (category, section, comment) = (category.clone(), section.clone(), comment.clone());
        Callback::from(move |_: MouseEvent| {
            on_check.emit(QcCheck {
                item: item.clone(),
                passed,
                category: (!passed).then_some(*category),
                section: if passed { String::new() } else { section.trim().to_string() },
                comment: if passed { String::new() } else { comment.trim().to_string() },
                checker: "reviewer".into(),
            })
        })
    };
    let text = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let on_category = super::verdict_form::on_category_change(&category);
    let status = match &p.check {
        Some(c) if c.passed => "passed".to_string(),
        Some(c) => format!("failed: {}", c.category.map_or("uncategorised", ErrorCategory::name)),
        None => "to check".into(),
    };
    html! {
        <li class={classes!("qc-item", p.check.as_ref().map(|c| if c.passed { "passed" } else { "failed" }))} data-item={p.item.clone()}>
            <strong>{ &p.item }</strong>{ format!(" — {} ({})", p.label, p.source) }
            <span class="qc-status" data-testid="qc-status">{ format!(" · {status}") }</span>
            <div class="qc-actions">
                <button type="button" onclick={send(true)}>{ "Pass" }</button>
                <select aria-label={format!("Error category for {}", p.item)} onchange={on_category}>
                    { for ErrorCategory::JUDGED.iter().map(|c| html! { <option value={c.name()} selected={*category == *c}>{ c.name().replace('_', " ") }</option> }) }
                </select>
                <input type="text" placeholder="guideline section" list={crate::review::SECTIONS_LIST} value={(*section).clone()} oninput={text(&section)} aria-label={format!("Guideline section for {}", p.item)} />
                <input type="text" placeholder="comment" value={(*comment).clone()} oninput={text(&comment)} aria-label={format!("Comment for {}", p.item)} />
                <button type="button" onclick={send(false)}>{ "Fail" }</button>
            </div>
        </li>
    }
}

/// The QC pass rate of every batch checked in this browser (each import is a batch, named by its files), with
/// Wilson intervals: is quality holding from batch to batch? The current batch's checks as they are now.
pub fn pass_rate_per_batch(history: &[(String, Vec<QcCheck>)], current: &str, checks: &[QcCheck]) -> Html {
    let mut batches: Vec<(&str, &[QcCheck])> =
        history.iter().filter(|(k, _)| k != current).map(|(k, c)| (k.as_str(), c.as_slice())).collect();
    batches.push((current, checks));
    let bars: Vec<super::charts::Bar> = batches
        .into_iter()
        .filter_map(|(key, checks)| {
            let (passed, checked, ci) = concord_engine::qc::pass_rate(checks);
            (checked > 0).then(|| {
                // `concord-qc:a.csv:123|b.csv:456` → `a.csv + b.csv`.
                let files: Vec<&str> = key
                    .trim_start_matches("concord-qc:")
                    .split('|')
                    .map(|f| f.rsplit_once(':').map_or(f, |(name, _)| name))
                    .collect();
                let rate = passed as f64 / checked as f64;
                super::charts::Bar {
                    label: files.join(" + "),
                    value: Some(rate),
                    interval: ci,
                    note: format!("{} · {passed}/{checked}", percent(Some(rate))),
                }
            })
        })
        .collect();
    if bars.is_empty() {
        return html! {};
    }
    html! {
        <div class="dashboard">
            <super::charts::Bars title="QC pass rate per batch (each import checked in this browser), with Wilson 95 % intervals" {bars} testid="chart-qc-batches" />
        </div>
    }
}
