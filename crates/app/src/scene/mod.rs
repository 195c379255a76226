//! Point-cloud projects' mode (`concord-scene`): annotator mode built with the `scene` feature, which adds the 3D
//! view of LiDAR frames and cuboids (`view.rs`, drawn with WebGL2 by `gl.rs`), beside the camera images the
//! project's 2D controls are drawn on (`stage.rs`) and the physics rules checked live on
//! every edit (`frames.rs`, through the engine). Only this mode's wasm holds it: `www/boot.js` loads it for
//! `?mode=scene`, and annotator mode sends a point-cloud project there (`loader::open`), so the other projects'
//! first load carries none of it.

mod frames;
mod gl;
mod keys;
mod live;
mod matrix;
mod panels;
mod pointer;
mod sequence;
mod stage;
mod view;

pub use frames::frame_checks;
pub use sequence::{run as run_sequence_job, HeldSequence, SequenceAnswer, SequenceJob};
pub use stage::SceneStage;
