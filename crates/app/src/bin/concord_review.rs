//! Review mode's wasm (`concord-review`): the lead's side. `www/boot.js` loads it for `?mode=review`.

fn main() {
    concord_app::start_review();
}
