//! The model that learns from the annotator (`crate::live_model`, in the chunk worker): started once the first task
//! is shown, warmed up from the training gold and the annotator's log, taught each submission; its suggestion for
//! the open task and the next kept in the session (where its soft checks read it); the queue re-ranked by its
//! uncertainty after each submission while "most uncertain first" is on. The annotator turns it off and on
//! (remembered per project in this browser); a project with `workflow.live_model: false` has none.

use concord_engine::sorting::LeanSort;
use std::cell::RefCell;
use std::rc::Rc;

use concord_engine::bundle::Prediction;
use concord_engine::log::{submitted_records, Op};
use concord_engine::model::{ControlValue, Task, TaskResult};
use yew::prelude::*;

use crate::live_model::{ModelAnswer, ModelJob, ModelState};
use crate::loader::{self, BundleLocation};
use crate::session::SessionRef;
use crate::state::{Action, AppState, Phase};
use crate::storage::local_storage;

/// Where the model stands.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelStatus {
    /// The project turns it off, or no learner can learn it (boxes, polygons, images without embeddings).
    NotForThisProject,
    /// The annotator turned it off.
    Off,
    /// Reading the tasks and learning the warm-up labels.
    Starting,
    Ready(ModelState),
    /// No model: why (an image project without embeddings, a control no learner learns, a file not read).
    Unavailable(String),
}

/// The model as the screen uses it.
#[derive(Clone, PartialEq)]
pub struct LiveModel {
    pub status: ModelStatus,
    /// Turns it off, or on again.
    pub toggle: Callback<()>,
    /// Accepts the suggestion for the open task (Shift+A).
    pub accept: Callback<()>,
    /// Orders the queue by the model's uncertainty (when it is ready); `false` when it is not.
    pub rank: Callback<()>,
    /// Whether the queue's order is the model's (re-ranked as it learns).
    pub ranked: bool,
    /// Whether the model orders the queue when it is ready (known before it starts: the order button keeps its
    /// place while it does).
    pub orders: bool,
}

fn preference_key(project: &str) -> String {
    format!("concord:live-model:{project}")
}

#[hook]
pub fn use_live_model(
    state: &UseReducerHandle<AppState>,
    location: &Rc<Result<BundleLocation, String>>,
    task: &Option<Rc<Task>>,
    record: &Callback<Op>,
) -> LiveModel {
    let status = use_state(|| ModelStatus::Off);
    let ranked = use_state(|| false);
    // Events of the log already taught (or part of the warm-up).
    let taught = use_mut_ref(|| 0usize);
    // Bumped by each switch, off or on (the choice itself is kept in local storage, where the start reads it).
    let switches = use_state(|| 0u32);
    let plan = use_model_plan(state, *switches);
    // What the screen shows, from its first render (the bar's place never appears under the annotator's pointer).
    let shown_status = match &*status {
        _ if !plan.in_project => ModelStatus::NotForThisProject,
        _ if plan.off_here => ModelStatus::Off,
        ModelStatus::Off | ModelStatus::NotForThisProject => ModelStatus::Starting,
        other => other.clone(),
    };
    use_model_start(state, location, &status, &taught, plan);
    use_model_teaching(state, &status, &taught, *ranked);
    LiveModel {
        toggle: toggle_callback(state, &switches, &ranked, &shown_status),
        accept: accept_callback(state, task, record),
        rank: rank_callback(state, &status, &ranked),
        status: shown_status,
        ranked: *ranked,
        orders: plan.orders,
    }
}

/// What the project's model is to this annotator, read from the manifest and local storage.
#[derive(Clone, Copy, PartialEq)]
struct ModelPlan {
    /// The project has a model (it does not turn it off, and a learner can learn it).
    in_project: bool,
    /// The annotator turned it off.
    off_here: bool,
    /// The model will order the queue (a region labeller does not).
    orders: bool,
}

/// The project's [`ModelPlan`], read once per project and per switch, not on every render (a keystroke renders).
#[hook]
fn use_model_plan(state: &UseReducerHandle<AppState>, switches: u32) -> ModelPlan {
    let project = state.project.clone();
    *use_memo((project.as_ref().map(|p| p.id.clone()), switches), move |_| {
        let Some(p) = project else { return ModelPlan { in_project: false, off_here: false, orders: false } };
        let plan = concord_engine::learn::learn_plan(&p, None).ok().filter(|_| p.workflow.live_model);
        let orders = plan.as_ref().is_some_and(|p| !matches!(p.kind, concord_engine::learn::LearnerKind::Regions(_)));
        let stored = local_storage().and_then(|s| s.get_item(&preference_key(&p.id)).ok().flatten());
        ModelPlan { in_project: plan.is_some(), off_here: stored.as_deref() == Some("off"), orders }
    })
}

/// Starts the model once the first task is on screen (never before it), again when turned on.
#[hook]
fn use_model_start(
    state: &UseReducerHandle<AppState>,
    location: &Rc<Result<BundleLocation, String>>,
    status: &UseStateHandle<ModelStatus>,
    taught: &Rc<RefCell<usize>>,
    plan: ModelPlan,
) {
    // Whether the model was started since it was last turned on (a chunk loading hides the task for a moment:
    // that must not start it again).
    let started = use_mut_ref(|| false);
    let (state, status, location, taught) = (state.clone(), status.clone(), location.clone(), taught.clone());
    let key = state.project.as_ref().map(|p| p.id.clone());
    let shown = state.current_task().is_some();
    use_effect_with((key, shown, plan), move |(_, shown, plan)| {
        if !plan.in_project {
            status.set(ModelStatus::NotForThisProject);
        } else if plan.off_here {
            *started.borrow_mut() = false;
            status.set(ModelStatus::Off);
        } else if *shown && matches!(state.phase, Phase::Ready) && !std::mem::replace(&mut *started.borrow_mut(), true)
        {
            status.set(ModelStatus::Starting);
            wasm_bindgen_futures::spawn_local(start(state, location, status, taught));
        }
    });
}

/// Teaches each submission, then brings the suggestions and the model's order up to date (a region labeller's
/// suggestion for the open task after every edit too: it labels the regions as they are).
#[hook]
fn use_model_teaching(
    state: &UseReducerHandle<AppState>,
    status: &UseStateHandle<ModelStatus>,
    taught: &Rc<RefCell<usize>>,
    ranked: bool,
) {
    let (state, status, taught) = (state.clone(), status.clone(), taught.clone());
    use_effect_with((state.generation, state.position, (*status).clone()), move |_| {
        if let (ModelStatus::Ready(model), Some(session)) = (&*status, state.session.clone()) {
            let regions = model.regions;
            let lessons = new_submissions(&session, &taught);
            wasm_bindgen_futures::spawn_local(async move {
                let mut now = None;
                for (task, result) in lessons {
                    if let Some(ModelAnswer::Ready(s)) = loader::model_in_worker(ModelJob::Learn { task, result }).await
                    {
                        now = Some(s);
                    }
                }
                // Re-ranked before the count moves, so that "learned from N labels" means the queue behind the open
                // task is the model's order after N labels.
                if now.is_some() && ranked {
                    rank(&state, true).await;
                }
                if let Some(s) = now {
                    status.set(ModelStatus::Ready(s));
                    // Every suggestion kept is the model's before it learned: asked again when shown.
                    session.borrow_mut().live.clear();
                }
                suggest(&state, &session, regions).await;
            });
        }
    });
}

/// Turns the model off (remembered per project; its suggestions, soft checks and order dropped), or on again.
fn toggle_callback(
    state: &UseReducerHandle<AppState>,
    switches: &UseStateHandle<u32>,
    ranked: &UseStateHandle<bool>,
    shown: &ModelStatus,
) -> Callback<()> {
    let (state, switches, ranked, off) = (state.clone(), switches.clone(), ranked.clone(), *shown != ModelStatus::Off);
    Callback::from(move |_: ()| {
        let Some(p) = state.project.clone() else { return };
        if let Some(s) = local_storage() {
            let _ = if off { s.set_item(&preference_key(&p.id), "off") } else { s.remove_item(&preference_key(&p.id)) };
        }
        if off {
            if let Some(session) = &state.session {
                let mut s = session.borrow_mut();
                s.live.clear();
                s.live_rules = None;
            }
            if *ranked {
                ranked.set(false);
                state.dispatch(Action::SetOrder(None));
            }
        }
        switches.set(*switches + 1);
        state.dispatch(Action::Changed(None));
    })
}

/// Accepts the suggestion for the open task (Shift+A): one edit, recorded.
fn accept_callback(state: &UseReducerHandle<AppState>, task: &Option<Rc<Task>>, record: &Callback<Op>) -> Callback<()> {
    let (state, record, task) = (state.clone(), record.clone(), task.clone());
    Callback::from(move |_: ()| {
        let (Some(session), Some(task)) = (state.session.clone(), task.clone()) else { return };
        let op = {
            let s = session.borrow();
            let Some(p) = s.live.get(&task.id) else { return };
            accepting(p, s.result_of(&task.id))
        };
        if let Some(op) = op {
            record.emit(op);
        }
    })
}

/// Orders the queue by the model's uncertainty when it is ready, or back to the project's order.
fn rank_callback(
    state: &UseReducerHandle<AppState>,
    status: &UseStateHandle<ModelStatus>,
    ranked: &UseStateHandle<bool>,
) -> Callback<()> {
    let (state, status, ranked) = (state.clone(), status.clone(), ranked.clone());
    Callback::from(move |_: ()| {
        if !matches!(*status, ModelStatus::Ready(_)) {
            return;
        }
        let (state, ranked) = (state.clone(), ranked.clone());
        if *ranked {
            ranked.set(false);
            state.dispatch(Action::SetOrder(None));
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            if rank(&state, false).await {
                ranked.set(true);
            }
        });
    })
}

/// Opens the model in the worker with the project's files and its warm-up labels.
async fn start(
    state: UseReducerHandle<AppState>,
    location: Rc<Result<BundleLocation, String>>,
    status: UseStateHandle<ModelStatus>,
    taught: Rc<RefCell<usize>>,
) {
    crate::loader::deferred_code().await;
    let (Some(_), Some(session), Ok(loc)) = (state.project.clone(), state.session.clone(), (*location).clone()) else {
        return;
    };
    let files = match crate::live_model::model_files(state.manifest.to_string(), &loc.base).await {
        Ok(f) => f,
        Err(why) => return status.set(ModelStatus::Unavailable(why)),
    };
    let warm_up = {
        let s = session.borrow();
        *taught.borrow_mut() = s.events.len();
        let gold = s.gold_order.iter().filter_map(|id| s.gold.get(id)).map(|g| (g.task.clone(), &g.result));
        let own = submitted_records(&s.replay);
        gold.map(|(t, r)| (t, serde_json::to_string(r).unwrap_or_default()))
            .chain(own.into_iter().map(|r| (r.task, serde_json::to_string(&r.result).unwrap_or_default())))
            .collect()
    };
    match loader::model_in_worker(ModelJob::Open { files, warm_up }).await {
        Some(ModelAnswer::Ready(s)) => {
            let rules = concord_engine::rules::live_model_rules(session.borrow().rules.as_ref(), &s.control);
            session.borrow_mut().live_rules = Some(rules);
            status.set(ModelStatus::Ready(s));
        }
        Some(ModelAnswer::Unavailable(why)) => status.set(ModelStatus::Unavailable(why)),
        _ => status.set(ModelStatus::Unavailable("the worker did not start".into())),
    }
}

/// The log's submissions since the last call, as (task id, submitted result JSON), in order.
fn new_submissions(session: &SessionRef, taught: &Rc<RefCell<usize>>) -> Vec<(String, String)> {
    let s = session.borrow();
    let from = std::mem::replace(&mut *taught.borrow_mut(), s.events.len()).min(s.events.len());
    s.events[from..]
        .iter()
        .filter(|e| matches!(e.op, Op::Submit { .. }))
        .filter_map(|e| {
            let result = &s.replay.task(&e.task)?.submitted.as_ref()?.result;
            Some((e.task.clone(), serde_json::to_string(result).ok()?))
        })
        .collect()
}

/// The most regions on a task the region labeller is asked about after each edit.
pub const MAX_REGIONS_SUGGESTED: usize = 300;

/// Asks the model for the open and the next task when their suggestions are not kept, and re-renders with the
/// answer. A region labeller (`regions`) is asked about the open task's regions as they are, every time.
async fn suggest(state: &UseReducerHandle<AppState>, session: &SessionRef, regions: bool) {
    let (ids, current): (Vec<String>, Vec<(String, String)>) = if regions {
        let s = session.borrow();
        let open = state.task_at(state.position).map(|t| t.id.clone());
        let shown = open.and_then(|id| {
            let result = s.result_of(&id)?;
            // Thousands of regions would cross to the worker and back at every edit: past this many, none.
            let many = result.0.values().any(|v| match v {
                ControlValue::Boxes(b) => b.len() > MAX_REGIONS_SUGGESTED,
                ControlValue::Polygons(q) => q.len() > MAX_REGIONS_SUGGESTED,
                _ => false,
            });
            Some((id.clone(), serde_json::to_string(result).ok()?, many))
        });
        drop(s);
        match shown {
            Some((id, json, false)) => (vec![id.clone()], vec![(id, json)]),
            // Past the cap the suggestion kept is for regions as they were: dropped, not shown stale.
            Some((id, _, true)) => {
                if session.borrow_mut().live.remove(&id).is_some() {
                    state.dispatch(Action::Changed(None));
                }
                Default::default()
            }
            None => Default::default(),
        }
    } else {
        let ids = [state.position, state.position + 1]
            .into_iter()
            .filter_map(|p| state.task_at(p).map(|t| t.id.clone()))
            .filter(|id| !session.borrow().live.contains_key(id))
            .collect();
        (ids, Vec::new())
    };
    if ids.is_empty() {
        return;
    }
    if let Some(ModelAnswer::Suggestions(found)) =
        loader::model_in_worker(ModelJob::Suggest { tasks: ids, current }).await
    {
        let mut s = session.borrow_mut();
        for (id, json) in found {
            if let Ok(p) = serde_json::from_str::<Prediction>(&json) {
                s.live.insert(id, p);
            }
        }
        drop(s);
        state.dispatch(Action::Changed(None));
    }
}

/// Orders the queue by the model's uncertainty: from the start, or (`keep_place`) keeping every position up to the
/// open one. Returns whether it did.
async fn rank(state: &UseReducerHandle<AppState>, keep_place: bool) -> bool {
    let keep: Vec<u32> =
        if keep_place { (0..=state.position).map(|p| state.global(p) as u32).collect() } else { Vec::new() };
    match loader::model_in_worker(ModelJob::Rank { keep }).await {
        Some(ModelAnswer::Ranked(order)) => {
            let order = Rc::new(order.into_iter().map(|i| i as usize).collect());
            state.dispatch(if keep_place { Action::Rerank(order) } else { Action::SetOrder(Some(order)) });
            true
        }
        _ => false,
    }
}

/// The edit that accepts prediction `p`: its label for a choice; its spans for a span control, beside the
/// annotator's own (a suggested span overlapping one of theirs is left out); its labels for the regions it labels
/// otherwise (`learn::relabels`). `None` when it changes nothing.
fn accepting(p: &Prediction, current: Option<&TaskResult>) -> Option<Op> {
    let (control, value) = p.result.0.iter().next()?;
    match value {
        ControlValue::Boxes(_) | ControlValue::Polygons(_) => {
            let changes = concord_engine::learn::relabels(control, current, p);
            let mut result = current?.clone();
            match result.0.get_mut(control)? {
                ControlValue::Boxes(b) => changes.iter().for_each(|c| b[c.index].label = c.label.clone()),
                ControlValue::Polygons(q) => changes.iter().for_each(|c| q[c.index].label = c.label.clone()),
                _ => return None,
            }
            (!changes.is_empty()).then_some(Op::SetResult { result })
        }
        ControlValue::Choices(labels) => {
            let now = current.and_then(|r| r.0.get(control));
            (now != Some(value)).then(|| Op::Choose { control: control.clone(), labels: labels.clone() })
        }
        ControlValue::Spans(suggested) => {
            let mut result = current.cloned().unwrap_or_default();
            let mine = match result.0.get(control) {
                Some(ControlValue::Spans(s)) => s.clone(),
                _ => Vec::new(),
            };
            let new = crate::views::spans_beside(suggested, &mine);
            if new.is_empty() {
                return None;
            }
            let mut all = mine;
            all.extend(new);
            all.lean_sort_by_key(|s| (s.start, s.end));
            result.0.insert(control.clone(), ControlValue::Spans(all));
            Some(Op::SetResult { result })
        }
        // Cuboids, in the 3D mode's build.
        #[allow(unreachable_patterns)]
        _ => None,
    }
}
