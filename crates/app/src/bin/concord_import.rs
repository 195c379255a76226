//! The review import Web Worker (see `concord_app::import`).

fn main() {
    concord_app::import::worker_side::run();
}
