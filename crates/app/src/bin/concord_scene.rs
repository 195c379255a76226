//! The 3D mode's wasm (`concord-scene`): annotator mode for point-cloud projects, with the WebGL2 view of frames
//! and cuboids. `www/boot.js` loads it for `?mode=scene`.

fn main() {
    concord_app::start_annotator();
}
