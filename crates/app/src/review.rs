//! Review mode (`?mode=review`): the lead's side of the workflow. Data comes in as the annotators' files; this
//! page imports them (see `import`) and shows what came in. With `&project=<bundle>` it also reads the project's
//! definition and guideline: the pilot's minimum agreement, the QC rate and seed, the guideline's sections (offered
//! wherever an error is filed, and used to group the pilot's disagreements) and each label's section.

use std::collections::BTreeMap;
use std::rc::Rc;

use concord_engine::bundle::parse_manifest;
use yew::prelude::*;

use crate::components::ImportPanel;
use crate::loader::{fetch_text, BundleLocation};

/// What review mode takes from a project bundle.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewProject {
    pub id: String,
    pub name: String,
    pub guideline_version: String,
    /// (`#anchor`, heading) of each guideline section.
    pub sections: Vec<(String, String)>,
    /// Label → the `#anchor` of the section that defines it (from the schema).
    pub label_sections: BTreeMap<String, String>,
    pub pilot_min: Option<f64>,
    /// How the pilot gate reads α's interval (`workflow.pilot.decide_by`).
    pub pilot_rule: concord_engine::bundle::GateRule,
    pub qc_rate: f64,
    pub seed: u64,
    /// `project.json` as fetched: the import worker reads Concord logs against its schema.
    pub manifest: String,
    /// The guideline version before the current one (the last of the history), and the labels whose sections
    /// changed since it — what a guideline-change trigger sends back by default.
    pub previous_version: Option<String>,
    pub changed_labels: Vec<String>,
    /// The section anchors added, removed or changed since that version.
    pub changed_sections: Vec<String>,
    /// `workflow.routing` (overlap policy, tiers, the model's trust), when the project sets it.
    pub routing: Option<concord_engine::bundle::RoutingSettings>,
    /// The shipped model's top label per task, for the first choice control (empty without predictions).
    pub predictions: Vec<concord_engine::routing::TopPrediction>,
    /// The bundle's training gold for that control: item → label.
    pub training_gold: BTreeMap<String, String>,
    /// Item → regions the model proposes (the `objects` routing signal).
    pub objects: BTreeMap<String, usize>,
    /// The project's sync folder (`sync.url`), resolved against the bundle.
    pub sync_url: Option<String>,
    /// The bundle folder's URL (what the model review mode trains reads the tasks from).
    pub base: String,
    /// The shipped predictions, whole (the model panel puts the shipped model's conflicts beside its own).
    pub shipped: Vec<concord_engine::bundle::Prediction>,
}

/// The project as components see it (`None` without `?project=`); compared by identity.
#[derive(Clone, Default)]
pub struct ProjectContext(pub Option<Rc<ReviewProject>>);

impl PartialEq for ProjectContext {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

/// The sync folder review mode reads and the lead's files go to (a WebDAV URL, or `folder:…` on this computer).
#[derive(Clone, Default, PartialEq)]
pub struct SyncFolder(pub Option<AttrValue>);

/// The section anchors a datalist offers to every "guideline section" field (`list="guideline-sections"`).
pub const SECTIONS_LIST: &str = "guideline-sections";

async fn load(spec: &str) -> Result<ReviewProject, String> {
    let page = gloo::utils::window().location().href().map_err(|_| "no page address".to_string())?;
    let loc = BundleLocation::from_spec(spec, &page)?;
    let text = fetch_text(&loc, "project.json").await.map_err(|e| e.to_string())?;
    let project = parse_manifest("project.json", &text).map_err(|e| e.to_string())?;
    let guide = fetch_text(&loc, &project.guidelines.path).await.map_err(|e| e.to_string())?;
    let sections = crate::markdown::sections(&guide)
        .into_iter()
        .filter(|(title, _)| !title.is_empty())
        .map(|(title, _)| (format!("#{}", crate::markdown::slug(&title)), title))
        .collect();
    let label_sections = project.schema.label_sections();
    let (previous_version, changed_labels, changed_sections) = match project.guidelines.history.last() {
        Some(h) => {
            let old = fetch_text(&loc, &h.path).await.map_err(|e| e.to_string())?;
            let diff = concord_engine::guidelines::diff_guidelines(&old, &guide);
            let sections = diff
                .iter()
                .filter(|d| d.change != concord_engine::guidelines::SectionChange::Unchanged)
                .map(|d| d.anchor.clone())
                .collect();
            (Some(h.version.clone()), concord_engine::routing::labels_touched(&diff, &label_sections), sections)
        }
        None => (None, Vec::new(), Vec::new()),
    };
    // The model and the training gold, for the first choice control: the model's gold check and its conflicts.
    let choice = project.schema.controls.iter().find(|c| c.kind.is_choice()).map(|c| c.name.clone());
    let (mut predictions, mut training_gold, mut objects) = (Vec::new(), BTreeMap::new(), BTreeMap::new());
    let mut shipped = Vec::new();
    if let Some(f) = &project.predictions {
        let text = fetch_text(&loc, &f.path).await.map_err(|e| e.to_string())?;
        let all = concord_engine::bundle::parse_predictions(&f.path, &text, &project.schema, None)
            .map_err(|e| e.to_string())?;
        objects = concord_engine::routing::predicted_objects(&all);
        if let Some(control) = &choice {
            predictions = concord_engine::routing::top_predictions(&all, control);
        }
        shipped = all;
    }
    if let Some(control) = &choice {
        if let Some(f) = &project.gold {
            let text = fetch_text(&loc, &f.path).await.map_err(|e| e.to_string())?;
            let all =
                concord_engine::bundle::parse_gold(&f.path, &text, &project.schema, None).map_err(|e| e.to_string())?;
            training_gold = concord_engine::routing::choice_gold(&all, control);
        }
    }
    Ok(ReviewProject {
        base: loc.base.clone(),
        shipped,
        sync_url: project.sync.as_ref().map(|s| loc.url_of(&s.url)),
        routing: project.workflow.routing.clone(),
        predictions,
        training_gold,
        objects,
        id: project.id.clone(),
        name: project.name.clone(),
        guideline_version: project.guidelines.version.clone(),
        sections,
        label_sections,
        pilot_min: project.workflow.pilot.as_ref().map(|p| p.min_agreement),
        pilot_rule: project.workflow.pilot.as_ref().map(|p| p.decide_by).unwrap_or_default(),
        qc_rate: project.workflow.qc_sample_rate,
        seed: project.workflow.seed,
        manifest: text,
        previous_version,
        changed_labels,
        changed_sections,
    })
}

#[derive(Clone, PartialEq)]
enum Loading {
    Loading,
    Ready(ProjectContext),
    Failed(String),
}

fn project_param() -> Option<String> {
    let search = gloo::utils::window().location().search().unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search).ok().and_then(|p| p.get("project")).filter(|s| !s.is_empty())
}

#[function_component(ReviewApp)]
pub fn review_app() -> Html {
    let spec = use_memo((), |_| project_param());
    let loading = use_state(|| if spec.is_some() { Loading::Loading } else { Loading::Ready(ProjectContext(None)) });
    {
        let (loading, spec) = (loading.clone(), spec.clone());
        use_effect_with((), move |_| {
            if let Some(spec) = (*spec).clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    loading.set(match load(&spec).await {
                        Ok(p) => Loading::Ready(ProjectContext(Some(Rc::new(p)))),
                        Err(why) => Loading::Failed(why),
                    });
                });
            }
        });
    }
    use_effect_with((), |_| crate::announce_ready());
    let annotate = spec.as_ref().as_ref().map_or("./".to_string(), |s| format!("?project={s}"));
    let body = match &*loading {
        Loading::Loading => html! { <p class="hint">{ "Opening the project…" }</p> },
        Loading::Failed(why) => html! {
            <p class="import-error" role="alert" data-testid="project-error">{ format!("The project cannot be opened: {why}") }</p>
        },
        Loading::Ready(ctx) => html! {
            <ContextProvider<ProjectContext> context={ctx.clone()}>
                if let Some(p) = &ctx.0 {
                    <p class="hint" data-testid="review-project">
                        { format!("Project: {} — guideline version {}; pilot minimum α {}; QC {} % (seed {}).", p.name, p.guideline_version,
                            p.pilot_min.map_or("not set".into(), |m| format!("{m}")), 100.0 * p.qc_rate, p.seed) }
                    </p>
                    <datalist id={SECTIONS_LIST}>
                        { for p.sections.iter().map(|(anchor, title)| html! { <option value={anchor.clone()}>{ title }</option> }) }
                    </datalist>
                }
                <ImportPanel />
            </ContextProvider<ProjectContext>>
        },
    };
    html! {
        <div class="app review">
            <div class="topbar">
                <span class="brand">{ "Concord" }</span>
                <nav class="project-picker" aria-label="Modes">
                    <a href={annotate}>{ "Annotate" }</a>
                    <a href="?mode=review" aria-current="page">{ "Review" }</a>
                </nav>
                // Review work is stored as it is made (each write awaited): nothing waits to be saved.
                <crate::components::UpdateBanner saved=true />
            </div>
            <main class="review-main">
                <h1>{ "Review annotators' files" }</h1>
                { body }
            </main>
        </div>
    }
}
