//! Concord's web app: a Yew SPA over the quality engine. It holds no QA logic — every number it shows comes
//! from `concord-engine`, the same functions the CLI exposes.

pub mod app;
pub mod components;
pub mod loader;
pub mod markdown;
pub mod state;

/// Mounts the app on `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
