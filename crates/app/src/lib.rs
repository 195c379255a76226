//! Concord's web app: a Yew SPA over the quality engine. It holds no QA logic — every number it shows comes
//! from `concord-engine`, the same functions the CLI exposes.

pub mod app;
pub mod components;
pub mod import;
pub mod loader;
pub mod markdown;
pub mod perf;
pub mod review;
pub mod session;
pub mod state;
pub mod storage;
pub mod views;
pub mod worker;

/// Mounts the app on `<body>` and registers the service worker that keeps it working offline.
pub fn start() {
    let search = gloo::utils::window().location().search().unwrap_or_default();
    let review =
        web_sys::UrlSearchParams::new_with_str(&search).ok().and_then(|p| p.get("mode")).as_deref() == Some("review");
    if review {
        yew::Renderer::<review::ReviewApp>::new().render();
    } else {
        yew::Renderer::<app::App>::new().render();
    }
    // `sw.js` sits beside `index.html`; registering it from here keeps the page free of inline script.
    let _ = gloo::utils::window().navigator().service_worker().register("sw.js");
}
