//! Annotator mode's wasm (`concord-annotate`): the labeling app. `www/boot.js` loads it unless `?mode=review`.

fn main() {
    concord_app::start_annotator();
}
