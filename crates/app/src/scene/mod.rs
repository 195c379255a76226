//! Point-cloud projects' mode (`concord-scene`): annotator mode with the 3D view of LiDAR frames and cuboids
//! (`view.rs`, drawn with WebGL2 by `gl.rs`) and the physics rules checked live on every edit (`frames.rs`, through
//! the engine). Only this mode's wasm holds it: `www/boot.js` loads it for `?mode=scene`, and annotator mode sends
//! a point-cloud project there, so the other projects' first load carries none of it.

mod frames;
mod gl;
mod matrix;
mod view;

use yew::prelude::*;

use crate::views::{ExtraViews, ViewProps};

fn cuboids_view(props: ViewProps) -> Html {
    html! { <view::CuboidsView ..props /> }
}

#[function_component(SceneApp)]
fn scene_app() -> Html {
    html! {
        <ContextProvider<ExtraViews> context={ExtraViews { cuboids: cuboids_view }}>
            <crate::app::App />
        </ContextProvider<ExtraViews>>
    }
}

/// Mounts the 3D mode on `<body>`.
pub fn start() {
    crate::session::set_frame_checks(frames::frame_checks);
    yew::Renderer::<SceneApp>::new().render();
}
