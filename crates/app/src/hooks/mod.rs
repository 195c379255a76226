//! Hooks: state and effects a component uses, apart from what it renders (each hook in its own file).

mod use_update_offer;

pub use use_update_offer::{apply_update, use_update_offer};
