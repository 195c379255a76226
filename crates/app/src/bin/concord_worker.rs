//! The Web Worker: registers the chunk parser (see `concord_app::worker`).

use concord_app::worker::ParseChunk;
use gloo_worker::Registrable;

fn main() {
    ParseChunk::registrar().register();
}
