//! The root component: opens the bundle named by `?project=` (the retail demo by default) and shows it.

use yew::prelude::*;

use crate::components::{ErrorPanel, GuidelinePanel, LoadProgress, ProjectPicker, SchemaSummary, TaskView};
use crate::loader::{self, BundleLocation};
use crate::state::{Action, AppState, Phase};

pub const DEFAULT_PROJECT: &str = "demo/retail/";

/// The `?project=` value of the page, or the default demo.
fn project_spec() -> String {
    let search = gloo::utils::window().location().search().unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("project"))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_PROJECT.to_string())
}

#[function_component(App)]
pub fn app() -> Html {
    let spec = use_memo((), |_| project_spec());
    let state = use_reducer(AppState::default);
    let location = use_memo(spec.clone(), |spec| {
        BundleLocation::from_spec(spec, &gloo::utils::window().location().href().unwrap_or_default())
    });

    {
        let state = state.clone();
        let location = location.clone();
        use_effect_with(location, move |location| {
            let location = (**location).clone();
            wasm_bindgen_futures::spawn_local(async move {
                let loc = match location {
                    Ok(l) => l,
                    Err(why) => {
                        state.dispatch(Action::Failed(concord_engine::InputError::whole("?project=", why)));
                        return;
                    }
                };
                let progress = {
                    let state = state.clone();
                    move |step, steps, file: &str| state.dispatch(Action::Progress { step, steps, file: file.into() })
                };
                match loader::open(&loc, progress).await {
                    Ok(o) => state.dispatch(Action::Opened {
                        project: o.project,
                        guidelines: o.guidelines,
                        first_chunk: o.first_chunk,
                    }),
                    Err(e) => state.dispatch(Action::Failed(e)),
                }
            });
        });
    }

    // Fetch the open task's chunk when it is not loaded yet.
    {
        let state_handle = state.clone();
        let location = location.clone();
        let need = state.locate(state.position).filter(|(c, _)| state.chunks.get(*c).is_some_and(Option::is_none));
        use_effect_with(need.map(|(c, _)| c), move |need| {
            if let (Some(index), Some(project), Ok(loc)) = (*need, state_handle.project.clone(), (*location).clone()) {
                wasm_bindgen_futures::spawn_local(async move {
                    match loader::load_chunk(&loc, &project, index).await {
                        Ok(tasks) => state_handle.dispatch(Action::ChunkLoaded { index, tasks }),
                        Err(e) => state_handle.dispatch(Action::Failed(e)),
                    }
                });
            }
        });
    }

    let go = {
        let state = state.clone();
        move |delta: isize| {
            let state = state.clone();
            Callback::from(move |_| {
                let next = state.position as isize + delta;
                if next >= 0 {
                    state.dispatch(Action::GoTo(next as usize));
                }
            })
        }
    };
    let on_key = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            let target_is_input =
                e.target_dyn_into::<web_sys::HtmlElement>().is_some_and(|el| el.tag_name() == "INPUT");
            if target_is_input {
                return;
            }
            match e.key().as_str() {
                "ArrowRight" | "j" => state.dispatch(Action::GoTo(state.position + 1)),
                "ArrowLeft" | "k" => state.dispatch(Action::GoTo(state.position.saturating_sub(1))),
                _ => {}
            }
        })
    };

    let body = match &state.phase {
        Phase::Loading { step, steps, file } => {
            html! { <LoadProgress step={*step} steps={*steps} file={file.clone()} /> }
        }
        Phase::Failed(e) => html! { <ErrorPanel error={e.clone()} /> },
        Phase::Ready => {
            let project = state.project.clone().expect("ready means opened");
            let base = location.as_ref().as_ref().map(|l| l.base.clone()).unwrap_or_default();
            let count = state.task_count();
            html! {
                <>
                <header class="project-header">
                    <h1 data-testid="project-name">{ &project.name }</h1>
                    <p class="description">{ &project.description }</p>
                    <p class="task-count" data-testid="task-count">{ format!("{count} tasks") }</p>
                </header>
                <div class="workspace">
                    <main class="task-pane">
                        <div class="queue-nav">
                            <button onclick={go(-1)} disabled={state.position == 0} title="Previous (←)">{ "← Prev" }</button>
                            <span class="position" data-testid="position">{ format!("{} / {}", state.position + 1, count) }</span>
                            <button onclick={go(1)} disabled={state.position + 1 >= count} title="Next (→)">{ "Next →" }</button>
                        </div>
                        if let Some(task) = state.current_task() {
                            <TaskView task={task.clone()} base={AttrValue::from(base)} />
                        } else {
                            <p class="loading-chunk" aria-busy="true">{ "Loading tasks…" }</p>
                        }
                        <SchemaSummary schema={project.schema.clone()} />
                    </main>
                    <aside class="side-pane">
                        <GuidelinePanel markdown={AttrValue::from(state.guidelines.to_string())}
                                        version={AttrValue::from(project.guidelines.version.clone())} />
                    </aside>
                </div>
                </>
            }
        }
    };

    html! {
        <div class="app" tabindex="0" onkeydown={on_key}>
            <div class="topbar">
                <span class="brand">{ "Concord" }</span>
                <ProjectPicker current={AttrValue::from((*spec).clone())} />
            </div>
            { body }
        </div>
    }
}
