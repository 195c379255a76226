//! The 3D mode's chunk worker: `concord-worker`'s job runner built with the `scene` feature — frames parsed, the
//! physics rules run over the whole sequence (see `concord_app::worker`).

use concord_app::worker::RunJob;
use gloo_worker::Registrable;

fn main() {
    RunJob::registrar().register();
}
