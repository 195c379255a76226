//! The root component (annotator mode): the project `?project=` names (or the start screen), opened and kept by
//! hooks (`hooks/`: the bundle and log, chunk prefetch, other tabs, tasks sent back, the remembered place, the global
//! keys), and the screen: the queue, the labeling view for the schema, the instant QA panels and the guideline.

use std::rc::Rc;

use concord_engine::log::{Op, TaskStatus};
use concord_engine::model::{ControlKind, Task};
use concord_engine::rules::{blocks_submission, Severity};
use yew::prelude::*;

use crate::components::{
    AnnotatorPrompt, ErrorPanel, ExportBar, GuidelinePanel, LoadProgress, PersonalPanel, QaPanel, QueueNav,
    SchemaSummary, StartScreen, TaskActions, UpdateBanner,
};
use crate::hooks::{
    all_chunks, apply_sent_back, save, sent_back_key, use_chunk_prefetch, use_global_keys, use_open_project,
    use_remembered_place, use_sent_back, use_tab_sync, ANNOTATOR_KEY,
};
use crate::loader::BundleLocation;
use crate::perf;
use crate::session::SessionRef;
use crate::state::{Action, AppState, Notice, Phase};
use crate::storage::local_storage;
use crate::views::{BoxesView, ClassificationView, KeyBus, PolygonsView, Shared, SpansView};
use concord_engine::routing::triggers::RequeueLine;

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

    // Record one action on the open task, then save it.
    let record = {
        let state = state.clone();
        let task_id = task.as_ref().map(|t| t.id.clone());
        Callback::from(move |op: Op| {
            let (Some(session), Some(task)) = (state.session.clone(), task_id.clone()) else { return };
            let outcome = session.borrow_mut().record(&task, op);
            match outcome {
                Ok(()) => {
                    state.dispatch(Action::Changed(None));
                    save(&session, &state);
                }
                Err(why) => state.dispatch(Action::Changed(Some(Notice::Problem(why)))),
            }
        })
    };

    let submit = {
        let state = state.clone();
        let task = task.clone();
        let record = record.clone();
        Callback::from(move |_: ()| {
            let (Some(session), Some(task)) = (state.session.clone(), task.clone()) else { return };
            let violations = session.borrow().violations(&task);
            if blocks_submission(&violations) {
                let reasons = violations
                    .iter()
                    .filter(|v| v.severity == Severity::Error)
                    .map(|v| format!("{} — {}", v.rule, v.message))
                    .collect();
                state.dispatch(Action::Changed(Some(Notice::Blocked(reasons))));
                return;
            }
            let warnings = violations.iter().map(|v| v.rule.clone()).collect::<Vec<_>>();
            let outcome = session.borrow_mut().record(&task.id, Op::Submit { warnings });
            match outcome {
                Ok(()) => {
                    let feedback = session.borrow().gold_feedback(&task.id).map(Notice::Gold);
                    state.dispatch(Action::Advance { to: state.position + 1, notice: feedback });
                    save(&session, &state);
                }
                Err(why) => record.emit(Op::Flag { unsure: false, comment: why }),
            }
        })
    };

    // Skip: record it, then the next task (the Skip button and Shift+S).
    let skip = {
        let (record, state) = (record.clone(), state.clone());
        Callback::from(move |_: ()| {
            record.emit(Op::Skip);
            state.dispatch(Action::GoTo(state.position + 1));
        })
    };
    use_global_keys(&state, &keys, &record, &submit, &skip, task.as_ref().map(|t| t.id.clone()));

    let body = match &state.phase {
        Phase::Loading { step, steps, file } => {
            html! { <LoadProgress step={*step} steps={*steps} file={file.clone()} /> }
        }
        Phase::Failed(e) => html! { <ErrorPanel error={e.clone()} /> },
        Phase::Ready => {
            let project = state.project.clone().expect("ready means opened");
            let session: SessionRef = state.session.clone().expect("ready means opened");
            let base = location.as_ref().as_ref().map(|l| l.base.clone()).unwrap_or_default();
            let count = state.task_count();
            let s = session.borrow();
            let violations = Rc::new(task.as_ref().map(|t| s.violations(t)).unwrap_or_default());
            let task_log = task.as_ref().and_then(|t| s.replay.task(&t.id)).cloned();
            let status = task_log.as_ref().map_or(TaskStatus::Untouched, |t| t.status);
            let unsure = task_log.as_ref().is_some_and(|t| t.unsure);
            let (recorded, unsaved, store_error, annotator) =
                (s.events.len(), s.unsaved(), s.store_error.clone(), s.annotator.clone());
            drop(s);
            let kind = project.schema.controls.iter().map(|c| c.kind).find(|k| !k.is_choice());
            let view_props = task.clone().map(|t| crate::views::ViewProps {
                session: Shared(session.clone()),
                generation: state.generation,
                task: t,
                base: AttrValue::from(base.clone()),
                violations: violations.clone(),
                on_op: record.clone(),
                keys: (*keys).clone(),
                next: next_task.clone(),
            });
            let on_name = {
                let (state, session) = (state.clone(), session.clone());
                Callback::from(move |name: String| {
                    if let Some(s) = local_storage() {
                        let _ = s.set_item(ANNOTATOR_KEY, &name);
                    }
                    session.borrow_mut().annotator = name;
                    state.dispatch(Action::Changed(Some(Notice::Info(
                        "Name saved: it is stamped on each annotation.".into(),
                    ))));
                })
            };
            let has_scores = !session.borrow().predictions.values().all(|p| p.scores.is_empty());
            let reorder = {
                let (state, location) = (state.clone(), location.clone());
                Callback::from(move |_: ()| {
                    if state.order.is_some() {
                        return state.dispatch(Action::SetOrder(None));
                    }
                    let (state, location) = (state.clone(), location.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let (Some(project), Some(session), Ok(loc)) =
                            (state.project.clone(), state.session.clone(), (*location).clone())
                        else {
                            return;
                        };
                        let Some(chunks) = all_chunks(&state, &loc, &project, "the model's order").await else {
                            return;
                        };
                        let ids: Vec<&str> = chunks.iter().flat_map(|c| c.iter().map(|t| t.id.as_str())).collect();
                        let Some(control) = project.schema.controls.iter().find(|c| c.kind.is_choice()) else { return };
                        let predictions: Vec<_> = session.borrow().predictions.values().cloned().collect();
                        let order = concord_engine::sampling::uncertainty_queue(
                            &ids,
                            &predictions,
                            control,
                            concord_engine::sampling::Uncertainty::LeastConfidence,
                        );
                        state.dispatch(Action::SetOrder(Some(Rc::new(order))));
                        state.dispatch(Action::Changed(Some(Notice::Info(
                            "Queue ordered by the model's uncertainty (least confident first).".into(),
                        ))));
                    });
                })
            };
            // Tasks the lead sent back: first in the queue, each with its reason. The list is kept (with when it was
            // loaded) so that a reload puts the queue back, at the first task not redone since.
            let on_sent_back = {
                let (state, location, session) = (state.clone(), location.clone(), session.clone());
                Callback::from(move |lines: Vec<RequeueLine>| {
                    let loaded_at = js_sys::Date::now();
                    if let (Some(p), Some(store)) = (state.project.as_ref(), local_storage()) {
                        let kept = serde_json::json!({"loaded_at": loaded_at, "lines": lines});
                        let _ = store.set_item(&sent_back_key(&p.id), &kept.to_string());
                    }
                    apply_sent_back(&state, &location, &session, lines, loaded_at);
                })
            };
            let retry = {
                let (session, state) = (session.clone(), state.clone());
                Callback::from(move |_| save(&session, &state))
            };
            html! {
                <>
                <header class="project-header">
                    <h1 data-testid="project-name">{ &project.name }</h1>
                    <p class="description">{ &project.description }</p>
                    <p class="task-count" data-testid="task-count">{ format!("{count} tasks") }</p>
                </header>
                if annotator.is_empty() {
                    <AnnotatorPrompt on_name={on_name} />
                }
                <div class="workspace">
                    <main class="task-pane">
                        <QueueNav position={state.position} {count} {has_scores} model_order={state.order.is_some()}
                                  {status} {unsure} {recorded} {unsaved} store_error={store_error.clone()}
                                  on_go={{ let state = state.clone(); Callback::from(move |to: usize| state.dispatch(Action::GoTo(to))) }}
                                  on_reorder={reorder} />
                        if let Some(reason) = state.current_task().and_then(|t| state.sent_back.get(&t.id)) {
                            <p class="sent-back" role="note" data-testid="sent-back">{ format!("Sent back for re-annotation: {reason}") }</p>
                        }
                        if let Some(why) = &store_error {
                            <div class="store-error" role="alert" data-testid="store-error">
                                { format!("Your last {unsaved} actions could not be saved: {why}. They are kept in this tab; export your log now. ") }
                                <button onclick={retry}>{ "Retry saving" }</button>
                            </div>
                        }
                        if let (Some(p), Some(t)) = (view_props, task.as_ref()) {
                            <div class="task" data-task-id={t.id.clone()}>
                                <h2>{ format!("Task {}", t.id) }</h2>
                                { match kind {
                                    Some(ControlKind::Spans) => html! { <SpansView ..p.clone() /> },
                                    Some(ControlKind::Boxes) => html! { <BoxesView ..p.clone() /> },
                                    Some(ControlKind::Polygons) => html! { <PolygonsView ..p.clone() /> },
                                    _ => html! {},
                                } }
                                if project.schema.controls.iter().any(|c| c.kind.is_choice()) {
                                    <ClassificationView ..p />
                                }
                            </div>
                            <TaskActions can_undo={task_log.as_ref().is_some_and(|t| t.can_undo())}
                                         can_redo={task_log.as_ref().is_some_and(|t| t.can_redo())} {unsure}
                                         comment={AttrValue::from(task_log.as_ref().map(|t| t.comment.clone()).unwrap_or_default())}
                                         on_submit={submit.clone()} on_skip={skip.clone()} on_op={record.clone()} />
                        } else {
                            <p class="loading-chunk" aria-busy="true"><progress aria-label="Loading tasks"></progress>{ " Loading tasks…" }</p>
                        }
                        <details class="schema-details"><summary>{ "Schema and hotkeys" }</summary>
                            <SchemaSummary schema={project.schema.clone()} />
                        </details>
                    </main>
                    <aside class="side-pane">
                        <QaPanel violations={violations.clone()} notice={state.notice.clone()}
                                 acted={status != TaskStatus::Untouched || matches!(state.notice, Some(Notice::Blocked(_)))} />
                        <PersonalPanel stats={(*stats).clone()} />
                        <ExportBar session={Shared(session.clone())} generation={state.generation}
                                   on_change={{ let state = state.clone(); let session = session.clone(); Callback::from(move |n: Option<Notice>| { state.dispatch(Action::Changed(n)); save(&session, &state); }) }}
                                   tasks={state.loaded_tasks()} {on_sent_back} />
                        <GuidelinePanel markdown={AttrValue::from(state.guidelines.to_string())}
                                        version={AttrValue::from(project.guidelines.version.clone())}
                                        history={project.guidelines.history.clone()}
                                        location={(*location).clone().ok()} />
                    </aside>
                </div>
                </>
            }
        }
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
                // A project from disk has no address to pass on: review it without one.
                <a href={if spec.starts_with("local:") { "?mode=review".to_string() } else { format!("?mode=review&project={spec}") }}>{ "Review" }</a>
            </div>
            { body }
        </div>
    }
}
