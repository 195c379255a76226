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
use yew::prelude::*;

use super::arbitration::ArbitrationPool;
use super::deferred::Deferred;
use super::over_time::OverTime;
use super::pilot_gate::PilotGatePanel;
use super::qc_panel::QcPanel;
use super::review_outcome::ReviewOutcome;
use super::review_queue::ReviewQueue;
use crate::hooks::{use_kept_list, use_work_store, Kept};
use crate::import::Imported;
use crate::review::ProjectContext;

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
    let problem = use_state(|| None::<String>);
    let store = use_work_store();
    let reviews =
        use_kept_list(&store, keys.reviews, |a: &Review, b| a.item == b.item && a.annotator == b.annotator, &problem);
    let current_batch = keys.checks.clone();
    let checks = use_kept_list(&store, keys.checks, |a: &QcCheck, b| a.item == b.item, &problem);
    let decisions = use_kept_list(&store, keys.decisions, |a: &Decision, b| a.item == b.item, &problem);
    let bumps = use_kept_list(&store, keys.bumps, |a: &VersionBump, b| a.version == b.version, &problem);
    // Every batch's QC checks kept in this browser, for the pass rate per batch.
    let history = use_state(|| Kept::<Rc<Vec<(String, Vec<QcCheck>)>>>::Loading);
    {
        let (history, ready) = (history.clone(), store.ready());
        use_effect_with(ready.is_some(), move |_| {
            let Some(store) = ready else { return };
            wasm_bindgen_futures::spawn_local(async move {
                let read = async {
                    let mut all = Vec::new();
                    for (key, text) in store.all("concord-qc:").await? {
                        let checks: Vec<QcCheck> = serde_json::from_str(&text)
                            .map_err(|e| format!("saved QC checks under `{key}` cannot be read: {e}"))?;
                        all.push((key, checks));
                    }
                    Ok::<_, String>(all)
                };
                history.set(match read.await {
                    Ok(all) => Kept::Ready(Rc::new(all)),
                    Err(why) => Kept::Failed(why),
                });
            });
        });
    }
    // Recomputed when a list is replaced (identity, not contents: lists are replaced, never changed in place).
    let extra = {
        let s = props.summary.clone();
        let lists = reviews.list.ready().zip(checks.list.ready());
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
    let failed = [
        store.failed(),
        reviews.list.failed(),
        checks.list.failed(),
        decisions.list.failed(),
        bumps.list.failed(),
        history.failed(),
    ]
    .into_iter()
    .flatten()
    .next()
    .map(str::to_string);
    if let Some(why) = failed {
        return html! { <p class="import-error" role="alert" data-testid="work-error">{ format!("Review work cannot be kept in this browser: {why}") }</p> };
    }
    let (Some(reviews_now), Some(checks_now), Some(decisions_now), Some(bumps_now), Some(history)) =
        (reviews.list.ready(), checks.list.ready(), decisions.list.ready(), bumps.list.ready(), history.ready())
    else {
        return html! { <p class="hint">{ "Opening the saved review work…" }</p> };
    };
    let (reviews, on_review) = (reviews_now, reviews.put);
    let (checks, on_check) = (checks_now, checks.put);
    let (decisions, decide) = (decisions_now, decisions.put);
    let (bumps, on_bump) = (bumps_now, bumps.put);
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
                <Deferred><PilotGatePanel summary={s.clone()} bumps={bumps.clone()} {on_bump} /></Deferred>
            }
            <Deferred><OverTime summary={s.clone()} bumps={bumps.clone()} /></Deferred>
            if project.0.is_some() { <Deferred><super::routing_panel::RoutingPanel summary={s.clone()} routing={routing.clone()} /></Deferred> }
            <Deferred><super::requeue_panel::RequeuePanel summary={s.clone()} routing={routing} /></Deferred>
            <Deferred><ReviewQueue summary={s.clone()} reviews={reviews.clone()} {on_review} /></Deferred>
            <Deferred>
                <QcPanel summary={s.clone()} decisions={decisions.clone()} checks={checks.clone()} {on_check} reviews={reviews.clone()} bumps={bumps} />
                { super::qc_panel::pass_rate_per_batch(&history, &current_batch, &checks) }
            </Deferred>
            <Deferred><ArbitrationPool summary={s.clone()} decisions={decisions.clone()} {decide} extra={extra.0.clone()} reasons={extra.1.clone()} /></Deferred>
            <Deferred><ReviewOutcome summary={s} {reviews} {checks} {decisions} /></Deferred>
        </>
    }
}
