//! Concord's web app: a Yew SPA over the quality engine. It holds no QA logic — every number it shows comes
//! from `concord-engine`, the same functions the CLI exposes.

pub mod app;
pub mod components;
pub mod disk_folder;
pub mod download;
pub mod hooks;
pub mod import;
pub mod live_model;
pub mod loader;
pub mod markdown;
pub mod perf;
pub mod recent;
pub mod resume;
pub mod review;
#[cfg(feature = "scene")]
pub mod scene;
pub mod session;
pub mod state;
pub mod storage;
pub mod sync;
pub mod views;
pub mod worker;

/// Mounts annotator mode on `<body>`.
pub fn start_annotator() {
    yew::Renderer::<app::App>::new().render();
}

/// Mounts review mode on `<body>`.
pub fn start_review() {
    yew::Renderer::<review::ReviewApp>::new().render();
}

/// Tells the page that the mode is interactive (annotator mode: the first task is shown; review mode: the page is
/// mounted), once. `www/boot.js` registers the service worker then, so its precaching of the other modes never
/// competes with the first load; the benchmark reads the time of this event.
pub fn announce_ready() {
    thread_local! {
        static ANNOUNCED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if ANNOUNCED.with(|a| a.replace(true)) {
        return;
    }
    if let Ok(event) = web_sys::Event::new("concord-ready") {
        let _ = gloo::utils::window().dispatch_event(&event);
    }
}
