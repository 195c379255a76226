//! Annotator mode's screen once a project is open: the project header and name prompt, the task pane (queue,
//! notes, the labeling view for the schema, the task's actions) and the side pane (instant QA, personal figures,
//! export, guideline). Drawn from the annotator component's hooks (`app.rs`); it holds no state of its own.

use std::rc::Rc;

use concord_engine::log::{PersonalStats, TaskLog, TaskStatus};
use concord_engine::model::{ControlKind, Task};
use concord_engine::routing::RequeueLine;
use yew::prelude::*;

use super::{
    AnnotatorPrompt, ExportBar, GuidelinePanel, ModelSuggestion, PersonalPanel, QaPanel, QueueNav, SchemaSummary,
    TaskActions,
};
use crate::hooks::{receive_sent_back, save, LiveModel, ModelStatus, TaskCallbacks, ANNOTATOR_KEY};
use crate::loader::BundleLocation;
use crate::session::SessionRef;
use crate::state::{Action, AppState, Notice};
use crate::storage::local_storage;
use crate::views::{BoxesView, ClassificationView, KeyBus, PolygonsView, Shared, SpansView, ViewProps};

/// What the screen is drawn from.
pub struct Workspace<'a> {
    pub state: &'a UseReducerHandle<AppState>,
    pub location: &'a Rc<Result<BundleLocation, String>>,
    pub keys: &'a KeyBus,
    pub task: &'a Option<Rc<Task>>,
    pub next_task: &'a Option<Rc<Task>>,
    pub actions: &'a TaskCallbacks,
    pub stats: &'a PersonalStats,
    /// "Most uncertain first" and back (`hooks::use_model_order`).
    pub reorder: Callback<()>,
    /// The model learning from the annotator (`hooks::use_live_model`).
    pub live: &'a LiveModel,
}

/// The open task as the panes show it: its log, its rule results, the session's counts.
struct Shown {
    session: SessionRef,
    violations: Rc<Vec<concord_engine::rules::Violation>>,
    task_log: Option<TaskLog>,
    status: TaskStatus,
    unsure: bool,
    recorded: usize,
    unsaved: usize,
    store_error: Option<String>,
}

pub fn workspace(w: &Workspace) -> Html {
    let state = w.state;
    let project = state.project.clone().expect("ready means opened");
    let session: SessionRef = state.session.clone().expect("ready means opened");
    let s = session.borrow();
    let violations = Rc::new(w.task.as_ref().map(|t| s.violations(t)).unwrap_or_default());
    let task_log = w.task.as_ref().and_then(|t| s.replay.task(&t.id)).cloned();
    let annotator = s.annotator.clone();
    let shown = Shown {
        session: session.clone(),
        violations,
        status: task_log.as_ref().map_or(TaskStatus::Untouched, |t| t.status),
        unsure: task_log.as_ref().is_some_and(|t| t.unsure),
        task_log,
        recorded: s.events.len(),
        unsaved: s.unsaved(),
        store_error: s.store_error.clone(),
    };
    drop(s);
    let on_name = {
        let (state, session) = (state.clone(), session.clone());
        Callback::from(move |name: String| {
            if let Some(s) = local_storage() {
                let _ = s.set_item(ANNOTATOR_KEY, &name);
            }
            session.borrow_mut().annotator = name;
            state.dispatch(Action::Changed(Some(Notice::Info("Name saved: it is stamped on each annotation.".into()))));
        })
    };
    html! {
        <>
        <header class="project-header">
            <h1 data-testid="project-name">{ &project.name }</h1>
            <p class="description">{ &project.description }</p>
            <p class="task-count" data-testid="task-count">{ format!("{} tasks", state.task_count()) }</p>
        </header>
        if annotator.is_empty() {
            <AnnotatorPrompt on_name={on_name} />
        }
        <div class="workspace">
            { task_pane(w, &shown) }
            { side_pane(w, &shown) }
        </div>
        </>
    }
}

fn task_pane(w: &Workspace, shown: &Shown) -> Html {
    let state = w.state;
    let project = state.project.clone().expect("ready means opened");
    let session = &shown.session;
    let base = w.location.as_ref().as_ref().map(|l| l.base.clone()).unwrap_or_default();
    let kind = project.schema.controls.iter().map(|c| c.kind).find(|k| !k.is_choice());
    let view_props = w.task.clone().map(|t| ViewProps {
        session: Shared(session.clone()),
        generation: state.generation,
        task: t,
        base: AttrValue::from(base),
        violations: shown.violations.clone(),
        on_op: w.actions.record.clone(),
        keys: w.keys.clone(),
        next: w.next_task.clone(),
        control: None,
        #[cfg(feature = "scene")]
        tasks: state.loaded_tasks(),
        #[cfg(feature = "scene")]
        on_task_op: w.actions.record_on.clone(),
        #[cfg(feature = "scene")]
        on_open_task: {
            let state = state.clone();
            Callback::from(move |id: String| {
                if let Some(p) = state.position_of(&id) {
                    state.dispatch(Action::GoTo(p))
                }
            })
        },
    });
    // A region labeller labels regions drawn; it has no order of the tasks.
    let live_ranks = w.live.orders && matches!(&w.live.status, ModelStatus::Ready(_));
    let has_scores = live_ranks || !session.borrow().predictions.values().all(|p| p.scores.is_empty());
    let suggestion = w.task.as_ref().and_then(|t| session.borrow().live.get(&t.id).cloned());
    // A region labeller's suggestion is read against the regions as they are (cloned only then).
    let regions_suggested = matches!(&w.live.status, ModelStatus::Ready(m) if m.regions) && suggestion.is_some();
    let retry = {
        let (session, state) = (session.clone(), state.clone());
        Callback::from(move |_| save(&session, &state))
    };
    let on_go = {
        let state = state.clone();
        Callback::from(move |to: usize| state.dispatch(Action::GoTo(to)))
    };
    let (status, unsure, unsaved, log) = (shown.status, shown.unsure, shown.unsaved, shown.task_log.as_ref());
    html! {
        <main class="task-pane">
            <QueueNav position={state.position} count={state.task_count()} {has_scores} model_order={state.order.is_some()}
                      model_starting={w.live.orders && matches!(w.live.status, ModelStatus::Starting)}
                      {status} {unsure} recorded={shown.recorded} {unsaved} store_error={shown.store_error.clone()}
                      {on_go} on_reorder={w.reorder.clone()} />
            if let Some(reason) = state.current_task().and_then(|t| state.sent_back.get(&t.id)) {
                <p class="sent-back" role="note" data-testid="sent-back">{ format!("Sent back for re-annotation: {reason}") }</p>
            }
            if let Some(why) = &shown.store_error {
                <div class="store-error" role="alert" data-testid="store-error">
                    { format!("Your last {unsaved} actions could not be saved: {why}. They are kept in this tab; export your log now. ") }
                    <button onclick={retry}>{ "Retry saving" }</button>
                </div>
            }
            if let (Some(p), Some(t)) = (view_props, w.task.as_ref()) {
                <ModelSuggestion status={w.live.status.clone()} {suggestion} text={t.data.text.clone().map(AttrValue::from)}
                                 current={regions_suggested.then(|| session.borrow().result_of(&t.id).cloned()).flatten()}
                                 on_accept={w.live.accept.clone()} on_toggle={w.live.toggle.clone()} />
                <div class="task" data-task-id={t.id.clone()}>
                    <h2>{ format!("Task {}", t.id) }</h2>
                    { match kind {
                        // Only the 3D mode's build has the 3D view (`loader::open` sends these projects there).
                        #[cfg(feature = "scene")]
                        _ if project.schema.data == concord_engine::model::DataKind::PointCloud => {
                            html! { <crate::scene::SceneStage ..p.clone() /> }
                        }
                        Some(ControlKind::Spans) => html! { <SpansView ..p.clone() /> },
                        Some(ControlKind::Boxes) => html! { <BoxesView ..p.clone() /> },
                        Some(ControlKind::Polygons) => html! { <PolygonsView ..p.clone() /> },
                        _ => html! {},
                    } }
                    if project.schema.controls.iter().any(|c| c.kind.is_choice()) {
                        <ClassificationView ..p />
                    }
                </div>
                <TaskActions can_undo={log.is_some_and(|t| t.can_undo())} can_redo={log.is_some_and(|t| t.can_redo())} {unsure}
                             comment={AttrValue::from(log.map(|t| t.comment.clone()).unwrap_or_default())}
                             on_submit={w.actions.submit.clone()} on_skip={w.actions.skip.clone()} on_op={w.actions.record.clone()} />
            } else {
                <p class="loading-chunk" aria-busy="true"><progress aria-label="Loading tasks"></progress>{ " Loading tasks…" }</p>
            }
            <details class="schema-details"><summary>{ "Schema and hotkeys" }</summary>
                <SchemaSummary schema={project.schema.clone()} />
            </details>
        </main>
    }
}

fn side_pane(w: &Workspace, shown: &Shown) -> Html {
    let state = w.state;
    let project = state.project.clone().expect("ready means opened");
    let session = &shown.session;
    // Tasks the lead sent back: first in the queue, each with its reason.
    let on_sent_back = {
        let (state, location, session) = (state.clone(), w.location.clone(), session.clone());
        Callback::from(move |lines: Vec<RequeueLine>| receive_sent_back(&state, &location, &session, lines))
    };
    let on_change = {
        let (state, session) = (state.clone(), session.clone());
        Callback::from(move |n: Option<Notice>| {
            state.dispatch(Action::Changed(n));
            save(&session, &state);
        })
    };
    let acted = shown.status != TaskStatus::Untouched || matches!(state.notice, Some(Notice::Blocked(_)));
    html! {
        <aside class="side-pane">
            <QaPanel violations={shown.violations.clone()} notice={state.notice.clone()} {acted} />
            <PersonalPanel stats={w.stats.clone()} />
            <ExportBar session={Shared(session.clone())} generation={state.generation} {on_change}
                       tasks={state.loaded_tasks()} {on_sent_back} />
            <GuidelinePanel markdown={AttrValue::from(state.guidelines.to_string())}
                            version={AttrValue::from(project.guidelines.version.clone())}
                            history={project.guidelines.history.clone()}
                            location={w.location.as_ref().clone().ok()} />
        </aside>
    }
}
