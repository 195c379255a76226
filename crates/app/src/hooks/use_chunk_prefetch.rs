//! Task chunks: the open task's and the next task's fetched when not loaded yet (preloading), and every chunk at
//! once for what needs the whole queue (the model's order, tasks sent back).

use std::rc::Rc;

use yew::prelude::*;

use crate::loader::{self, BundleLocation};
use concord_engine::model::Task;

use crate::state::{Action, AppState, Notice};

#[hook]
pub fn use_chunk_prefetch(state: &UseReducerHandle<AppState>, location: &Rc<Result<BundleLocation, String>>) {
    let state_handle = state.clone();
    let location = location.clone();
    let need: Option<usize> = [state.position, state.position + 1]
        .into_iter()
        .filter_map(|p| state.locate(state.global(p)))
        .find(|(c, _)| state.chunks.get(*c).is_some_and(Option::is_none))
        .map(|(c, _)| c);
    use_effect_with(need, move |need| {
        if let (Some(index), Some(project), Ok(loc)) = (*need, state_handle.project.clone(), (*location).clone()) {
            wasm_bindgen_futures::spawn_local(async move {
                match loader::load_chunk(&loc, &project, &state_handle.manifest, index).await {
                    Ok(tasks) => state_handle.dispatch(Action::ChunkLoaded { index, tasks }),
                    Err(e) => state_handle.dispatch(Action::Failed(e)),
                }
            });
        }
    });
}

/// Every chunk of the project, fetching the ones not loaded yet (with a notice naming `why`); `None` after a
/// failure, which is reported.
pub async fn all_chunks(
    state: &UseReducerHandle<AppState>,
    loc: &BundleLocation,
    project: &Rc<concord_engine::bundle::Project>,
    why: &str,
) -> Option<Vec<Rc<Vec<Task>>>> {
    let mut chunks: Vec<Rc<Vec<Task>>> = Vec::new();
    for (i, slot) in state.chunks.iter().enumerate() {
        let chunk = match slot {
            Some(c) => c.clone(),
            None => {
                state.dispatch(Action::Changed(Some(Notice::Info(format!(
                    "Loading tasks for {why}: chunk {} of {}…",
                    i + 1,
                    state.chunks.len()
                )))));
                match loader::load_chunk(loc, project, &state.manifest, i).await {
                    Ok(c) => {
                        state.dispatch(Action::ChunkLoaded { index: i, tasks: c.clone() });
                        c
                    }
                    Err(e) => {
                        state.dispatch(Action::Failed(e));
                        return None;
                    }
                }
            }
        };
        chunks.push(chunk);
    }
    Some(chunks)
}
