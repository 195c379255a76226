//! The root component (annotator mode): the project `?project=` names (or the start screen), opened and kept by
//! hooks (`hooks/`: the bundle and log, chunk prefetch, other tabs, tasks sent back, the remembered place, the global
//! keys), and the screen: the queue, the labeling view for the schema, the instant QA panels and the guideline.

use std::rc::Rc;

use concord_engine::model::Task;
use yew::prelude::*;

use crate::components::workspace::{workspace, Workspace};
use crate::components::{ErrorPanel, LoadProgress, StartScreen, SyncStatusBar, UpdateBanner};
use crate::hooks::{
    use_chunk_prefetch, use_global_keys, use_live_model, use_model_order, use_open_project, use_remembered_place,
    use_sent_back, use_sync, use_tab_sync, use_task_actions,
};
use crate::loader::BundleLocation;
use crate::perf;
use crate::state::{AppState, Phase};
use crate::views::KeyBus;

/// The `?project=` value of the page, if any.
fn project_spec() -> Option<String> {
    let search = gloo::utils::window().location().search().unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search).ok().and_then(|p| p.get("project")).filter(|s| !s.is_empty())
}

/// Annotator mode: the project `?project=` names, or the start screen. A folder or zip chosen there (or in the
/// top bar's menu) opens in place — its files are in memory, so the page is not reloaded — as a fresh
/// [`Annotator`] (keyed by where the project came from: nothing of the last one carries over).
#[function_component(App)]
pub fn app() -> Html {
    let spec = use_state(project_spec);
    let on_folder = {
        let spec = spec.clone();
        Callback::from(move |chosen: Result<String, String>| {
            let next = match chosen {
                Ok(name) => format!("local:{name}"),
                // Shown as the project's error, with the reason, like any bundle that cannot be opened.
                Err(why) => format!("error:{why}"),
            };
            // The address says where the project came from; a reload asks for the folder again.
            if let (Ok(h), false) = (gloo::utils::window().history(), next.starts_with("error:")) {
                let _ = h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("?project={next}")));
            }
            spec.set(Some(next));
        })
    };
    match &*spec {
        Some(s) => html! { <Annotator key={s.clone()} spec={AttrValue::from(s.clone())} {on_folder} /> },
        None => html! { <StartPage {on_folder} /> },
    }
}

#[derive(Properties, PartialEq)]
struct StartPageProps {
    on_folder: Callback<Result<String, String>>,
}

#[function_component(StartPage)]
fn start_page(p: &StartPageProps) -> Html {
    use_effect_with((), |_| crate::announce_ready());
    html! {
        <div class="app">
            <div class="topbar"><h1 class="brand">{ "Concord" }</h1></div>
            <main class="start-page">
                <p class="lead">{ "Label data in your browser, offline if need be, with its quality checked as you go." }</p>
                <StartScreen on_folder={p.on_folder.clone()} />
            </main>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AnnotatorProps {
    spec: AttrValue,
    on_folder: Callback<Result<String, String>>,
}

/// Midnight today, local time, in milliseconds since the epoch.
fn start_of_today() -> u64 {
    let d = js_sys::Date::new_0();
    d.set_hours(0);
    d.set_minutes(0);
    d.set_seconds(0);
    d.set_milliseconds(0);
    d.get_time() as u64
}

#[function_component(Annotator)]
fn annotator(props: &AnnotatorProps) -> Html {
    let spec = props.spec.clone();
    let state = use_reducer(AppState::default);
    let menu_open = use_state(|| false);
    let keys = use_memo((), |_| KeyBus::default());
    let location = use_memo(spec.clone(), |spec| match spec.strip_prefix("error:") {
        Some(why) => Err(why.to_string()),
        None => BundleLocation::from_spec(spec, &gloo::utils::window().location().href().unwrap_or_default()),
    });

    use_open_project(&state, &location);
    use_chunk_prefetch(&state, &location);
    use_tab_sync(&state);
    use_sent_back(&state, &location);
    use_remembered_place(&state, &spec);
    let sync = use_sync(&state, &location);

    // A project that cannot be opened is interactive too (its error is the page).
    use_effect_with(matches!(state.phase, Phase::Failed(_)), |failed| {
        if *failed {
            crate::announce_ready();
        }
    });

    // Input-to-paint timing of queue moves (benchmark only; see `perf`).
    use_effect_with((state.position, state.current_task().is_some()), |(_, shown)| {
        if *shown {
            perf::painted("task");
            crate::announce_ready();
        }
    });

    // The personal panel walks the whole log: once per change of the log, not on every render.
    let stats = {
        let session = state.session.clone();
        use_memo((state.generation, state.session.is_some()), move |_| {
            session.map(|s| s.borrow().personal(start_of_today())).unwrap_or_default()
        })
    };

    // The open task and the next, copied out of their chunk once per task shown, not on every render.
    let task: Option<Rc<Task>> = {
        let state = state.clone();
        (*use_memo(state.current_task().map(|t| t.id.clone()), move |_| state.current_task().cloned().map(Rc::new)))
            .clone()
    };
    let next_task: Option<Rc<Task>> = {
        let state = state.clone();
        let id = state.task_at(state.position + 1).map(|t| t.id.clone());
        (*use_memo(id, move |_| state.task_at(state.position + 1).cloned().map(Rc::new))).clone()
    };

    let actions = use_task_actions(&state, &task);
    let live = use_live_model(&state, &location, &task, &actions.record);
    let reorder = use_model_order(&state, &location, &live);
    use_global_keys(&state, &keys, &actions, &live.accept, task.as_ref().map(|t| t.id.clone()));

    let body = match &state.phase {
        Phase::Loading { step, steps, file } => {
            html! { <LoadProgress step={*step} steps={*steps} file={file.clone()} /> }
        }
        Phase::Failed(e) => html! { <ErrorPanel error={e.clone()} /> },
        Phase::Ready => workspace(&Workspace {
            state: &state,
            location: &location,
            keys: &keys,
            task: &task,
            next_task: &next_task,
            actions: &actions,
            stats: &stats,
            reorder,
            live: &live,
        }),
    };

    let on_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |e: Event| {
            menu_open.set(e.target_unchecked_into::<web_sys::HtmlDetailsElement>().open());
        })
    };
    let (all_saved, save_failed) = state.session.as_ref().map_or((true, false), |s| {
        let s = s.borrow();
        (s.unsaved() == 0, s.store_error.is_some())
    });
    html! {
        <div class="app">
            <div class="topbar">
                <span class="brand">{ "Concord" }</span>
                <details class="project-menu" ontoggle={on_menu}>
                    <summary>{ "Projects" }</summary>
                    // Rendered when opened: a closed menu reads no demo list and no recent projects.
                    if *menu_open {
                        <StartScreen current={Some(spec.clone())} on_folder={props.on_folder.clone()} />
                    }
                </details>
                <UpdateBanner saved={all_saved} failed={save_failed} />
                if state.project.is_some() { <SyncStatusBar {sync} /> }
                // A project from disk has no address to pass on: review it without one.
                <a href={if spec.starts_with("local:") { "?mode=review".to_string() } else { format!("?mode=review&project={spec}") }}>{ "Review" }</a>
            </div>
            { body }
        </div>
    }
}
