//! The dashboard's charts, drawn as SVG so they read the same in a screenshot, a print and a screen reader:
//! every chart is `role="img"` with a text label, every mark has a `<title>`. Colours are `fill` attributes.

use super::deferred::in_groups;
use yew::prelude::*;

/// Red (≤ 0) through amber to green (1), for agreement and accuracy.
pub fn heat(v: Option<f64>) -> String {
    let Some(v) = v else { return "#d0d4da".into() };
    let t = v.clamp(0.0, 1.0);
    format!("hsl({:.0}, 70%, {:.0}%)", 120.0 * t, 78.0 - 12.0 * t)
}

/// A figure's 95 % bootstrap interval (the engine's `{low, high}`) as `[lo, hi]`, a `<dd>` beside the figure's;
/// nothing without one.
pub fn interval_cell(interval: Option<&concord_engine::resample::Interval>, key: &str) -> Html {
    match interval {
        Some(i) => html! {
            <dd class="interval" data-interval={key.to_string()} title="95 % bootstrap interval">{ format!("[{:.3}, {:.3}]", i.low, i.high) }</dd>
        },
        None => html! {},
    }
}

/// A share as a percentage with one decimal, `–` when there is none.
pub fn percent(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{:.1} %", 100.0 * x))
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{x:.2}"))
}

/// A square matrix of values (e.g. Cohen's κ between annotators, or a confusion matrix's row shares).
/// `values[r][c]`; `text[r][c]` is what a cell shows (defaults to the value).
#[derive(Properties, PartialEq)]
pub struct HeatmapProps {
    pub title: AttrValue,
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    pub values: Vec<Vec<Option<f64>>>,
    #[prop_or_default]
    pub text: Option<Vec<Vec<String>>>,
    /// `uncertain[r][c]`: the cell's interval contains the threshold that matters (hatched, `data-uncertain`).
    #[prop_or_default]
    pub uncertain: Option<Vec<Vec<bool>>>,
    #[prop_or_default]
    pub testid: AttrValue,
}

/// Cells above which a heatmap is drawn compact.
const COMPACT_CELLS: usize = 400;
/// A compact heatmap's rows drawn per task.
const COMPACT_ROWS_PER_TASK: usize = 10;

#[function_component(Heatmap)]
pub fn heatmap(p: &HeatmapProps) -> Html {
    // A big matrix (50 annotators: 2,500 cells) is drawn compact: smaller cells with the value in the tooltip and
    // `data-value` only, so it fits a screen and its first draw stays short.
    let compact = p.rows.len() * p.cols.len() > COMPACT_CELLS;
    let cell = if compact { 20.0 } else { 46.0 };
    let left = 8.0 + 7.0 * p.rows.iter().map(|r| r.chars().count()).max().unwrap_or(4).min(22) as f64;
    // Compact columns are too narrow for their names across: they stand at an angle above.
    let longest_col = p.cols.iter().map(|c| c.chars().count()).max().unwrap_or(4).min(22) as f64;
    let top = if compact { 12.0 + 6.0 * longest_col } else { 22.0 };
    let (w, h) = (left + cell * p.cols.len() as f64 + 4.0, top + cell * p.rows.len() as f64 + 4.0);
    html! {
        // Wide charts scroll: focusable, so that the keyboard scrolls them too.
        <figure class="chart" data-testid={p.testid.clone()} tabindex="0">
            <figcaption>{ &p.title }
                if compact { <span class="hint">{ " (values in each cell's tooltip; blank: no value, e.g. no items in common)" }</span> }
            </figcaption>
            <svg viewBox={format!("0 0 {w:.0} {h:.0}")} width={format!("{w:.0}")} height={format!("{h:.0}")} role="img"
                 aria-label={format!("{}: {} rows by {} columns", p.title, p.rows.len(), p.cols.len())}>
                <defs>
                    <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <line x1="0" y1="0" x2="0" y2="6" stroke="rgba(0,0,0,0.45)" stroke-width="2" />
                    </pattern>
                </defs>
                { for p.cols.iter().enumerate().map(|(c, name)| {
                    let x = left + cell * (c as f64 + 0.5);
                    if compact {
                        html! { <text x={format!("{x:.1}")} y={format!("{:.1}", top - 4.0)} transform={format!("rotate(-60 {x:.1} {:.1})", top - 4.0)} class="axis">{ short(name) }</text> }
                    } else {
                        html! { <text x={format!("{x:.1}")} y="14" text-anchor="middle" class="axis">{ short(name) }</text> }
                    }
                }) }
                if compact {
                    // A compact matrix's rows drawn a few at a time, each group in a task of its own.
                    { in_groups((0..p.rows.len()).map(|r| heat_row(p, r, top, left, cell, compact)), COMPACT_ROWS_PER_TASK) }
                } else {
                    { for (0..p.rows.len()).map(|r| heat_row(p, r, top, left, cell, compact)) }
                }
            </svg>
        </figure>
    }
}

/// Row `r` of a heatmap: its name and its cells (a compact one draws no value text, and no cell without a value:
/// the blank shows it).
fn heat_row(p: &HeatmapProps, r: usize, top: f64, left: f64, cell: f64, compact: bool) -> Html {
    let row = &p.rows[r];
    let y = top + cell * r as f64;
    html! { <g>
        <text x={format!("{:.1}", left - 6.0)} y={format!("{:.1}", y + cell / 2.0 + 4.0)} text-anchor="end" class="axis">{ short(row) }</text>
        { for p.cols.iter().enumerate().map(|(c, col)| {
            let v = p.values.get(r).and_then(|x| x.get(c)).copied().flatten();
            if compact && v.is_none() {
                return html! {};
            }
            let shown = p.text.as_ref().and_then(|t| t.get(r).and_then(|x| x.get(c)).cloned()).unwrap_or_else(|| fmt(v));
            let x = left + cell * c as f64;
            let uncertain = p.uncertain.as_ref().and_then(|u| u.get(r).and_then(|x| x.get(c)).copied()).unwrap_or(false);
            let note = if uncertain { " (interval reaches across the threshold)" } else { "" };
            html! { <g class="cell" data-row={row.clone()} data-col={col.clone()} data-value={fmt(v)} data-uncertain={uncertain.to_string()}>
                <title>{ format!("{row} × {col}: {shown}{note}") }</title>
                <rect x={format!("{x:.1}")} y={format!("{y:.1}")} width={format!("{:.1}", cell - 2.0)} height={format!("{:.1}", cell - 2.0)} rx="3" fill={heat(v)} />
                if uncertain {
                    <rect x={format!("{x:.1}")} y={format!("{y:.1}")} width={format!("{:.1}", cell - 2.0)} height={format!("{:.1}", cell - 2.0)} rx="3" fill="url(#hatch)" class="hatch" />
                }
                if !compact {
                    <text x={format!("{:.1}", x + cell / 2.0 - 1.0)} y={format!("{:.1}", y + cell / 2.0 + 4.0)} text-anchor="middle" class="value">{ shown }</text>
                }
            </g> }
        }) }
    </g> }
}

/// A name shortened to fit an axis.
fn short(s: &str) -> String {
    if s.chars().count() > 22 {
        format!("{}…", s.chars().take(21).collect::<String>())
    } else {
        s.to_string()
    }
}

/// One bar per row on [0, 1], with an optional interval drawn over it (e.g. gold accuracy with its Wilson 95 %).
#[derive(Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub interval: Option<[f64; 2]>,
    /// Shown at the end of the bar (e.g. "83.3 % · 6 items").
    pub note: String,
}

#[derive(Properties, PartialEq)]
pub struct BarsProps {
    pub title: AttrValue,
    pub bars: Vec<Bar>,
    #[prop_or_default]
    pub testid: AttrValue,
}

#[function_component(Bars)]
pub fn bars(p: &BarsProps) -> Html {
    const ROW: f64 = 24.0;
    const SPAN: f64 = 260.0;
    let left = 8.0 + 7.0 * p.bars.iter().map(|b| b.label.chars().count()).max().unwrap_or(4).min(24) as f64;
    let note = 12.0 + 6.4 * p.bars.iter().map(|b| b.note.chars().count()).max().unwrap_or(0) as f64;
    let (w, h) = (left + SPAN + note.max(150.0), ROW * p.bars.len() as f64 + 8.0);
    html! {
        // Wide charts scroll: focusable, so that the keyboard scrolls them too.
        <figure class="chart" data-testid={p.testid.clone()} tabindex="0">
            <figcaption>{ &p.title }</figcaption>
            <svg viewBox={format!("0 0 {w:.0} {h:.0}")} width={format!("{w:.0}")} height={format!("{h:.0}")} role="img"
                 aria-label={format!("{}: {}", p.title, p.bars.iter().map(|b| format!("{} {}", b.label, b.note)).collect::<Vec<_>>().join("; "))}>
                { for p.bars.iter().enumerate().map(|(i, b)| {
                    let y = ROW * i as f64 + 4.0;
                    let v = b.value.unwrap_or(0.0).clamp(0.0, 1.0);
                    let interval = b.interval.map(|[lo, hi]| html! {
                        <line x1={format!("{:.1}", left + SPAN * lo.clamp(0.0, 1.0))} x2={format!("{:.1}", left + SPAN * hi.clamp(0.0, 1.0))}
                              y1={format!("{:.1}", y + 8.0)} y2={format!("{:.1}", y + 8.0)} stroke="#1d2430" stroke-width="2" />
                    });
                    html! { <g class="bar" data-label={b.label.clone()} data-value={fmt(b.value)}>
                        <title>{ format!("{}: {}", b.label, b.note) }</title>
                        <text x={format!("{:.1}", left - 6.0)} y={format!("{:.1}", y + 12.0)} text-anchor="end" class="axis">{ &b.label }</text>
                        <rect x={format!("{left:.1}")} y={format!("{y:.1}")} width={format!("{SPAN:.1}")} height="16" fill="#eef0f3" />
                        <rect x={format!("{left:.1}")} y={format!("{y:.1}")} width={format!("{:.1}", SPAN * v)} height="16" fill={heat(b.value)} />
                        { for interval }
                        <text x={format!("{:.1}", left + SPAN + 6.0)} y={format!("{:.1}", y + 12.0)} class="value">{ &b.note }</text>
                    </g> }
                }) }
            </svg>
        </figure>
    }
}

pub use concord_engine::model::civil_date;

/// One point of a time series: a window's value (on [0, 1]) at time `t` (seconds), with its interval.
#[derive(Clone, PartialEq)]
pub struct TimePoint {
    pub t: i64,
    pub value: f64,
    pub interval: [f64; 2],
    pub flagged: bool,
    pub note: String,
}

#[derive(Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<TimePoint>,
}

#[derive(Properties, PartialEq)]
pub struct TimeLinesProps {
    pub title: AttrValue,
    pub series: Vec<Series>,
    /// (name, time): vertical markers, e.g. when a guideline version came into use.
    #[prop_or_default]
    pub markers: Vec<(String, i64)>,
    #[prop_or_default]
    pub testid: AttrValue,
}

/// Distinct hues for a few series (annotators); they repeat after eight.
const SERIES_COLOURS: [&str; 8] =
    ["#2463eb", "#c2410c", "#15803d", "#7e22ce", "#0e7490", "#a16207", "#be185d", "#4b5563"];

/// Values on [0, 1] over time, a line per series; a flagged point (a drift alarm) is a red ring; markers are
/// dashed verticals with their names.
#[function_component(TimeLines)]
pub fn time_lines(p: &TimeLinesProps) -> Html {
    const W: f64 = 560.0;
    const H: f64 = 200.0;
    const LEFT: f64 = 36.0;
    const TOP: f64 = 22.0;
    let times = p.series.iter().flat_map(|s| s.points.iter().map(|q| q.t)).chain(p.markers.iter().map(|m| m.1));
    let (t0, t1) = times.fold((i64::MAX, i64::MIN), |(a, b), t| (a.min(t), b.max(t)));
    let span = (t1 - t0).max(1) as f64;
    let x = |t: i64| LEFT + W * (t - t0) as f64 / span;
    let y = |v: f64| TOP + H * (1.0 - v.clamp(0.0, 1.0));
    let day = civil_date;
    let (w, h) = (LEFT + W + 130.0, TOP + H + 30.0);
    let label = format!(
        "{}: {}",
        p.title,
        p.series
            .iter()
            .map(|s| format!(
                "{} {}",
                s.name,
                s.points.iter().map(|q| format!("{:.2}", q.value)).collect::<Vec<_>>().join(" → ")
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    html! {
        // Wide charts scroll: focusable, so that the keyboard scrolls them too.
        <figure class="chart" data-testid={p.testid.clone()} tabindex="0">
            <figcaption>{ &p.title }</figcaption>
            <svg viewBox={format!("0 0 {w:.0} {h:.0}")} width={format!("{w:.0}")} height={format!("{h:.0}")} role="img" aria-label={label}>
                { for [0.0, 0.5, 1.0].iter().map(|v| html! { <g>
                    <line x1={format!("{LEFT}")} x2={format!("{:.1}", LEFT + W)} y1={format!("{:.1}", y(*v))} y2={format!("{:.1}", y(*v))} stroke="#e3e6ea" />
                    <text x={format!("{:.1}", LEFT - 4.0)} y={format!("{:.1}", y(*v) + 4.0)} text-anchor="end" class="axis">{ format!("{:.0}%", v * 100.0) }</text>
                </g> }) }
                if t1 >= t0 {
                    <text x={format!("{LEFT}")} y={format!("{:.1}", TOP + H + 18.0)} class="axis">{ day(t0) }</text>
                    <text x={format!("{:.1}", LEFT + W)} y={format!("{:.1}", TOP + H + 18.0)} text-anchor="end" class="axis">{ day(t1) }</text>
                }
                { for p.markers.iter().map(|(name, t)| html! {
                    <g class="marker" data-version={name.clone()} data-time={t.to_string()}>
                        <title>{ format!("guideline version {name} from {}", day(*t)) }</title>
                        <line x1={format!("{:.1}", x(*t))} x2={format!("{:.1}", x(*t))} y1={format!("{:.1}", TOP - 4.0)} y2={format!("{:.1}", TOP + H)} stroke="#6b7280" stroke-dasharray="4 3" />
                        <text x={format!("{:.1}", x(*t) + 3.0)} y={format!("{:.1}", TOP - 8.0)} class="axis">{ format!("v {name}") }</text>
                    </g>
                }) }
                { for p.series.iter().enumerate().map(|(k, s)| {
                    let colour = SERIES_COLOURS[k % SERIES_COLOURS.len()];
                    let path: Vec<String> = s.points.iter().map(|q| format!("{:.1},{:.1}", x(q.t), y(q.value))).collect();
                    html! { <g class="series" data-series={s.name.clone()}>
                        <polyline points={path.join(" ")} fill="none" stroke={colour} stroke-width="2" />
                        { for s.points.iter().map(|q| html! {
                            <g class={classes!("point", q.flagged.then_some("flagged"))} data-value={format!("{:.4}", q.value)} data-flagged={q.flagged.to_string()} data-time={q.t.to_string()}>
                                <title>{ format!("{} {}: {}", s.name, day(q.t), q.note) }</title>
                                <line x1={format!("{:.1}", x(q.t))} x2={format!("{:.1}", x(q.t))} y1={format!("{:.1}", y(q.interval[0]))} y2={format!("{:.1}", y(q.interval[1]))} stroke={colour} stroke-opacity="0.35" stroke-width="4" />
                                <circle cx={format!("{:.1}", x(q.t))} cy={format!("{:.1}", y(q.value))} r={if q.flagged { "6" } else { "3.5" }}
                                        fill={if q.flagged { "#fff" } else { colour }} stroke={if q.flagged { "#dc2626" } else { colour }} stroke-width="2" />
                            </g>
                        }) }
                        <text x={format!("{:.1}", LEFT + W + 8.0)} y={format!("{:.1}", TOP + 14.0 * k as f64 + 4.0)} fill={colour} class="axis">{ &s.name }</text>
                    </g> }
                }) }
            </svg>
        </figure>
    }
}
