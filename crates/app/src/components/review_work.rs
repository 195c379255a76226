//! What the reviewers do with an import: verdicts on individual labels (the review queue), the QC sample's checks
//! and the arbiter's decisions. All three are kept in the browser's IndexedDB (`storage::WorkStore`, under the
//! imported files' names and sizes) and shown as done only once the write has committed — a reload or a crash
//! loses none; a write that fails is reported and the change is not shown. They leave the browser as files
//! (`review_outcome.rs`: final labels, reviewed labels, Label Studio; the QC report).

use std::collections::BTreeSet;
use std::rc::Rc;

use concord_engine::arbitration::Decision;
use concord_engine::guidelines::VersionBump;
use concord_engine::qc::QcCheck;
use concord_engine::review::{pool_reasons, review_pool, Review};
use serde::{de::DeserializeOwned, Serialize};
use yew::prelude::*;

use super::arbitration::ArbitrationPool;
use super::over_time::OverTime;
use super::pilot_gate::PilotGatePanel;
use super::qc_panel::QcPanel;
use super::review_outcome::ReviewOutcome;
use super::review_queue::ReviewQueue;
use crate::import::Imported;
use crate::review::ProjectContext;
use crate::storage::WorkStore;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub summary: Imported,
}

#[derive(Clone)]
struct Keys {
    reviews: String,
    checks: String,
    decisions: String,
    bumps: String,
}

/// Saved work as it was found: from IndexedDB, or (work saved by an earlier version of this page) localStorage.
pub(crate) async fn load<T: DeserializeOwned>(store: &WorkStore, key: &str) -> Result<Vec<T>, String> {
    let text = match store.get(key).await? {
        Some(t) => t,
        None => match gloo::utils::window().local_storage().ok().flatten().and_then(|s| s.get_item(key).ok().flatten())
        {
            Some(t) => t,
            None => return Ok(Vec::new()),
        },
    };
    serde_json::from_str(&text).map_err(|e| format!("saved review work under `{key}` cannot be read: {e}"))
}

#[derive(Clone, PartialEq)]
enum Saved {
    Loading,
    Ready {
        reviews: Rc<Vec<Review>>,
        checks: Rc<Vec<QcCheck>>,
        decisions: Rc<Vec<Decision>>,
        bumps: Rc<Vec<VersionBump>>,
        /// Every batch's QC checks kept in this browser (key, checks), for the pass rate per batch.
        history: Rc<Vec<(String, Vec<QcCheck>)>>,
    },
    Failed(String),
}

/// The work as the latest action left it, before its write has committed: the base of the next action, so two
/// quick actions both count (each write carries everything before it; IndexedDB commits them in order). `None`
/// means "as shown".
pub(crate) type Pending<S> = Rc<std::cell::RefCell<Option<S>>>;

/// A callback that puts `x` in place of the list's entry with the same key, writes the list to IndexedDB, and only
/// then shows it; a failed write is reported in `problem`, and what it carried is not shown.
#[allow(clippy::too_many_arguments)]
pub(crate) fn keeping<S: Clone + 'static, T: Clone + Serialize + 'static>(
    store: &Rc<WorkStore>,
    saved: &UseStateHandle<S>,
    pending: &Pending<S>,
    problem: &UseStateHandle<Option<String>>,
    key: String,
    list: fn(&S) -> Option<Rc<Vec<T>>>,
    put: fn(&mut S, Rc<Vec<T>>),
    same: fn(&T, &T) -> bool,
) -> Callback<T> {
    let (store, saved, pending, problem) = (store.clone(), saved.clone(), pending.clone(), problem.clone());
    Callback::from(move |x: T| {
        let mut snapshot = pending.borrow().clone().unwrap_or_else(|| (*saved).clone());
        let Some(current) = list(&snapshot) else { return };
        let mut next: Vec<T> = current.iter().filter(|y| !same(y, &x)).cloned().collect();
        next.push(x);
        let text = serde_json::to_string(&next).expect("review work serialises");
        put(&mut snapshot, Rc::new(next));
        *pending.borrow_mut() = Some(snapshot.clone());
        let (store, saved, pending, problem, key) =
            (store.clone(), saved.clone(), pending.clone(), problem.clone(), key.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match store.put(&key, text).await {
                Ok(()) => {
                    saved.set(snapshot);
                    problem.set(None);
                }
                Err(why) => {
                    // Later actions rebuild from what is shown (committed), not from what failed.
                    *pending.borrow_mut() = None;
                    problem.set(Some(format!("Not saved — {why}. The last change is not applied; try again.")));
                }
            }
        });
    })
}

#[function_component(ReviewWork)]
pub fn review_work(props: &Props) -> Html {
    let project = use_context::<ProjectContext>().unwrap_or_default();
    let signature = props.summary.files.iter().map(|f| format!("{}:{}", f.name, f.bytes)).collect::<Vec<_>>().join("|");
    let keys = Keys {
        reviews: format!("concord-review:{signature}"),
        checks: format!("concord-qc:{signature}"),
        decisions: format!("concord-arbitration:{signature}"),
        // Guideline versions belong to the project (to these files when there is none).
        bumps: format!("concord-guidelines:{}", project.0.as_ref().map_or(signature.clone(), |p| p.id.clone())),
    };
    let saved = use_state(|| Saved::Loading);
    let pending: Pending<Saved> = use_mut_ref(|| None);
    let problem = use_state(|| None::<String>);
    let store = use_state(|| None::<Rc<WorkStore>>);
    {
        let (saved, store, keys, pending) = (saved.clone(), store.clone(), keys.clone(), pending.clone());
        use_effect_with(signature.clone(), move |_| {
            saved.set(Saved::Loading);
            *pending.borrow_mut() = None;
            wasm_bindgen_futures::spawn_local(async move {
                let opened = async {
                    let s = WorkStore::open().await?;
                    let reviews = load::<Review>(&s, &keys.reviews).await?;
                    let checks = load::<QcCheck>(&s, &keys.checks).await?;
                    let decisions = load::<Decision>(&s, &keys.decisions).await?;
                    let bumps = load::<VersionBump>(&s, &keys.bumps).await?;
                    let mut history = Vec::new();
                    for (key, text) in s.all("concord-qc:").await? {
                        let checks: Vec<QcCheck> = serde_json::from_str(&text)
                            .map_err(|e| format!("saved QC checks under `{key}` cannot be read: {e}"))?;
                        history.push((key, checks));
                    }
                    Ok::<_, String>((s, reviews, checks, decisions, bumps, history))
                };
                match opened.await {
                    Ok((s, reviews, checks, decisions, bumps, history)) => {
                        store.set(Some(Rc::new(s)));
                        saved.set(Saved::Ready {
                            reviews: Rc::new(reviews),
                            checks: Rc::new(checks),
                            decisions: Rc::new(decisions),
                            bumps: Rc::new(bumps),
                            history: Rc::new(history),
                        });
                    }
                    Err(why) => saved.set(Saved::Failed(format!("Review work cannot be kept in this browser: {why}"))),
                }
            });
        });
    }
    // Recomputed when a list is replaced (identity, not contents: lists are replaced, never changed in place).
    let extra = {
        let s = props.summary.clone();
        let lists = match &*saved {
            Saved::Ready { reviews, checks, .. } => Some((reviews.clone(), checks.clone())),
            _ => None,
        };
        let identity = lists.as_ref().map(|(r, c)| (Rc::as_ptr(r) as usize, Rc::as_ptr(c) as usize));
        use_memo((props.summary.clone(), identity), move |_| match lists {
            Some((reviews, checks)) => {
                let skip: BTreeSet<&str> = s.pool.iter().map(|p| p.item.as_str()).collect();
                let reasons = pool_reasons(&reviews, &checks);
                let extra = review_pool(&s.table, &s.final_from, &reasons, &skip);
                (Rc::new(extra), Rc::new(reasons))
            }
            None => (Rc::new(Vec::new()), Rc::new(Default::default())),
        })
    };
    let (Saved::Ready { reviews, checks, decisions, bumps, history }, Some(store)) =
        ((*saved).clone(), (*store).clone())
    else {
        return match &*saved {
            Saved::Failed(why) => html! { <p class="import-error" role="alert" data-testid="work-error">{ why }</p> },
            _ => html! { <p class="hint">{ "Opening the saved review work…" }</p> },
        };
    };
    let on_review = keeping(
        &store,
        &saved,
        &pending,
        &problem,
        keys.reviews,
        |s| match s {
            Saved::Ready { reviews, .. } => Some(reviews.clone()),
            _ => None,
        },
        |s, v| {
            if let Saved::Ready { reviews, .. } = s {
                *reviews = v
            }
        },
        |a: &Review, b: &Review| a.item == b.item && a.annotator == b.annotator,
    );
    let current_batch = keys.checks.clone();
    let on_check = keeping(
        &store,
        &saved,
        &pending,
        &problem,
        keys.checks,
        |s| match s {
            Saved::Ready { checks, .. } => Some(checks.clone()),
            _ => None,
        },
        |s, v| {
            if let Saved::Ready { checks, .. } = s {
                *checks = v
            }
        },
        |a: &QcCheck, b: &QcCheck| a.item == b.item,
    );
    let decide = keeping(
        &store,
        &saved,
        &pending,
        &problem,
        keys.decisions,
        |s| match s {
            Saved::Ready { decisions, .. } => Some(decisions.clone()),
            _ => None,
        },
        |s, v| {
            if let Saved::Ready { decisions, .. } = s {
                *decisions = v
            }
        },
        |a: &Decision, b: &Decision| a.item == b.item,
    );
    let on_bump = keeping(
        &store,
        &saved,
        &pending,
        &problem,
        keys.bumps,
        |s| match s {
            Saved::Ready { bumps, .. } => Some(bumps.clone()),
            _ => None,
        },
        |s, v| {
            if let Saved::Ready { bumps, .. } = s {
                *bumps = v
            }
        },
        |a: &VersionBump, b: &VersionBump| a.version == b.version,
    );
    let s = props.summary.clone();
    let project = use_context::<ProjectContext>().unwrap_or_default();
    let routing = {
        let key = (s.clone(), bumps.clone(), project.clone());
        use_memo(key, |(s, bumps, project)| super::routing_panel::routing_of(s, bumps, project.0.clone()))
    };
    html! {
        <>
            if let Some(why) = &*problem { <p class="import-error" role="alert" data-testid="work-error">{ why }</p> }
            if s.agreement.is_some() {
                <PilotGatePanel summary={s.clone()} bumps={bumps.clone()} {on_bump} />
            }
            <OverTime summary={s.clone()} bumps={bumps.clone()} />
            if project.0.is_some() { <super::routing_panel::RoutingPanel summary={s.clone()} routing={routing.clone()} /> }
            <super::requeue_panel::RequeuePanel summary={s.clone()} routing={routing} />
            <ReviewQueue summary={s.clone()} reviews={reviews.clone()} {on_review} />
            <QcPanel summary={s.clone()} decisions={decisions.clone()} checks={checks.clone()} {on_check} reviews={reviews.clone()} bumps={bumps} />
            { super::qc_panel::pass_rate_per_batch(&history, &current_batch, &checks) }
            <ArbitrationPool summary={s.clone()} decisions={decisions.clone()} {decide} extra={extra.0.clone()} reasons={extra.1.clone()} />
            <ReviewOutcome summary={s} {reviews} {checks} {decisions} />
        </>
    }
}
