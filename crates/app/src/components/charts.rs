//! The dashboard's charts, drawn as SVG so they read the same in a screenshot, a print and a screen reader:
//! every chart is `role="img"` with a text label, every mark has a `<title>`. Colours are `fill` attributes.

use yew::prelude::*;

/// Red (≤ 0) through amber to green (1), for agreement and accuracy.
pub fn heat(v: Option<f64>) -> String {
    let Some(v) = v else { return "#d0d4da".into() };
    let t = v.clamp(0.0, 1.0);
    format!("hsl({:.0}, 70%, {:.0}%)", 120.0 * t, 78.0 - 12.0 * t)
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
    #[prop_or_default]
    pub testid: AttrValue,
}

#[function_component(Heatmap)]
pub fn heatmap(p: &HeatmapProps) -> Html {
    const CELL: f64 = 46.0;
    let left = 8.0 + 7.0 * p.rows.iter().map(|r| r.chars().count()).max().unwrap_or(4).min(22) as f64;
    let top = 22.0;
    let (w, h) = (left + CELL * p.cols.len() as f64 + 4.0, top + CELL * p.rows.len() as f64 + 4.0);
    let short = |s: &str| {
        if s.chars().count() > 22 {
            format!("{}…", s.chars().take(21).collect::<String>())
        } else {
            s.to_string()
        }
    };
    html! {
        <figure class="chart" data-testid={p.testid.clone()}>
            <figcaption>{ &p.title }</figcaption>
            <svg viewBox={format!("0 0 {w:.0} {h:.0}")} width={format!("{w:.0}")} height={format!("{h:.0}")} role="img"
                 aria-label={format!("{}: {} rows by {} columns", p.title, p.rows.len(), p.cols.len())}>
                { for p.cols.iter().enumerate().map(|(c, name)| html! {
                    <text x={format!("{:.1}", left + CELL * (c as f64 + 0.5))} y="14" text-anchor="middle" class="axis">{ short(name) }</text>
                }) }
                { for p.rows.iter().enumerate().map(|(r, row)| {
                    let y = top + CELL * r as f64;
                    html! { <g>
                        <text x={format!("{:.1}", left - 6.0)} y={format!("{:.1}", y + CELL / 2.0 + 4.0)} text-anchor="end" class="axis">{ short(row) }</text>
                        { for p.cols.iter().enumerate().map(|(c, col)| {
                            let v = p.values.get(r).and_then(|x| x.get(c)).copied().flatten();
                            let shown = p.text.as_ref().and_then(|t| t.get(r).and_then(|x| x.get(c)).cloned()).unwrap_or_else(|| fmt(v));
                            let x = left + CELL * c as f64;
                            html! { <g class="cell" data-row={row.clone()} data-col={col.clone()} data-value={fmt(v)}>
                                <title>{ format!("{row} × {col}: {shown}") }</title>
                                <rect x={format!("{x:.1}")} y={format!("{y:.1}")} width={format!("{:.1}", CELL - 2.0)} height={format!("{:.1}", CELL - 2.0)} rx="3" fill={heat(v)} />
                                <text x={format!("{:.1}", x + CELL / 2.0 - 1.0)} y={format!("{:.1}", y + CELL / 2.0 + 4.0)} text-anchor="middle" class="value">{ shown }</text>
                            </g> }
                        }) }
                    </g> }
                }) }
            </svg>
        </figure>
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
    let (w, h) = (left + SPAN + 150.0, ROW * p.bars.len() as f64 + 8.0);
    html! {
        <figure class="chart" data-testid={p.testid.clone()}>
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
