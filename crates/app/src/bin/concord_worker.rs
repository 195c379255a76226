//! The chunk worker: registers its job runner — task chunks parsed, guideline markdown rendered (see
//! `concord_app::worker`).

use concord_app::worker::RunJob;
use gloo_worker::Registrable;

fn main() {
    RunJob::registrar().register();
}
