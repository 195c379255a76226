//! Hooks: state and effects a component uses, apart from what it renders (each hook in its own file).

mod use_chunk_prefetch;
mod use_global_keys;
mod use_kept_list;
mod use_live_model;
mod use_model_order;
mod use_open_project;
mod use_remembered_place;
mod use_sent_back;
mod use_sync;
mod use_tab_sync;
mod use_task_actions;
mod use_update_offer;

pub use use_chunk_prefetch::{all_chunks, use_chunk_prefetch};
pub use use_global_keys::use_global_keys;
pub use use_kept_list::{use_kept_list, use_work_store, Kept, KeptList};
pub use use_live_model::{use_live_model, LiveModel, ModelStatus};
pub use use_model_order::use_model_order;
pub use use_open_project::{use_open_project, ANNOTATOR_KEY};
pub use use_remembered_place::use_remembered_place;
pub use use_sent_back::{receive_sent_back, use_sent_back};
pub use use_sync::{use_sync, SyncHandle, SyncStatus};
pub use use_tab_sync::{save, use_tab_sync};
pub use use_task_actions::{use_task_actions, TaskCallbacks};
pub use use_update_offer::{apply_update, use_update_offer};
