//! What this browser remembers of an open project: that it was opened (the start screen's recent list) and where
//! the annotator is in its queue (`resume`).

use yew::prelude::*;

use crate::state::AppState;

#[hook]
pub fn use_remembered_place(state: &UseReducerHandle<AppState>, spec: &AttrValue) {
    // Remember the project for the start screen's recent list.
    let project = state.project.clone();
    let spec = spec.to_string();
    use_effect_with(project.as_ref().map(|p| p.id.clone()), move |_| {
        if let Some(p) = project {
            crate::recent::remember(crate::recent::RecentProject {
                spec,
                id: p.id.clone(),
                name: p.name.clone(),
                tasks: p.task_count(),
                opened_at: js_sys::Date::now() as u64,
            });
        }
    });
    // Remember where the annotator is.
    let project = state.project.as_ref().map(|p| p.id.clone());
    use_effect_with((project, state.position), |(project, position)| {
        if let Some(p) = project {
            crate::resume::SavedPosition { position: *position, at: js_sys::Date::now() as u64 }.save(p);
        }
    });
}
