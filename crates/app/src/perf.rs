//! Input-to-paint timing for the benchmark page. A view calls [`input`] when it receives a gesture and
//! [`painted`] from its effect after the DOM (or canvas) is updated; the delay is pushed to
//! `window.concordBench` when that array exists (the benchmark page creates it), and costs nothing otherwise.

use std::cell::Cell;

use wasm_bindgen::JsValue;

thread_local! {
    static INPUT_AT: Cell<Option<f64>> = const { Cell::new(None) };
}

pub fn now() -> f64 {
    gloo::utils::window().performance().map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

pub fn input() {
    INPUT_AT.with(|c| c.set(Some(now())));
}

/// Records a duration measured elsewhere (e.g. how long parsing a chunk held the UI thread).
pub fn record(kind: &str, ms: f64) {
    if let Some(sink) = sink() {
        push_to(&sink, kind, ms, ms);
    }
}

pub fn painted(kind: &str) {
    let Some(t0) = INPUT_AT.with(Cell::take) else { return };
    // Outside the benchmark this is all: no sink, no forced layout on the gesture's path.
    let Some(sink) = sink() else { return };
    let script = now() - t0;
    // Force style and layout now, so the figure includes them (the browser would otherwise do it later).
    if let Some(body) = gloo::utils::document().body() {
        let _ = body.offset_height();
    }
    push_to(&sink, kind, now() - t0, script);
}

/// Whether the benchmark page is measuring (what only it needs, such as waiting for the GPU, is skipped otherwise).
#[cfg(feature = "scene")]
pub fn measuring() -> bool {
    sink().is_some()
}

/// `window.concordBench`, when the benchmark page created it.
fn sink() -> Option<js_sys::Array> {
    js_sys::Reflect::get(&gloo::utils::window(), &JsValue::from_str("concordBench")).ok()?.dyn_into().ok()
}

/// `script_ms`: input to DOM updated, before style and layout.
fn push_to(sink: &js_sys::Array, kind: &str, ms: f64, script_ms: f64) {
    let entry = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&entry, &"kind".into(), &kind.into());
    let _ = js_sys::Reflect::set(&entry, &"ms".into(), &ms.into());
    let _ = js_sys::Reflect::set(&entry, &"script_ms".into(), &script_ms.into());
    sink.push(&entry);
}

use wasm_bindgen::JsCast;
