//! How numbers look: a colour scale for agreement and accuracy, and their text.

/// A value in [-1, 1] (kappa) or [0, 1] (proportions) as a colour from red (≤ 0) through amber to green (1),
/// as an SVG `fill` — a presentation attribute, not an inline style, so a strict CSP allows it.
pub fn heat(v: Option<f64>) -> String {
    let Some(v) = v else { return "#d0d4da".into() };
    let t = v.clamp(0.0, 1.0);
    // Hue 0 (red) → 120 (green); lightness kept readable under dark text.
    format!("hsl({:.0}, 70%, {:.0}%)", 120.0 * t, 78.0 - 10.0 * t)
}

pub fn number(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{x:.2}"))
}

pub fn percent(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{:.1} %", 100.0 * x))
}
