//! Fetching a bundle from its static host: `project.json`, the guideline, and task chunks on demand.
//! Parsing is the engine's; this module only moves bytes and reports progress.

use std::rc::Rc;

use concord_engine::bundle::{parse_manifest, parse_task_chunk, Project, TaskIds};
use concord_engine::model::Task;
use concord_engine::InputError;

/// Where a bundle lives: the folder URL its relative paths resolve against.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleLocation {
    pub base: String,
}

impl BundleLocation {
    /// `spec` is what `?project=` says: a folder (`demo/news/`) or its `project.json`, relative to the page.
    pub fn from_spec(spec: &str, page: &str) -> Result<Self, String> {
        let folder = match spec.strip_suffix("project.json") {
            Some(f) => f.to_string(),
            None if spec.ends_with('/') => spec.to_string(),
            None => format!("{spec}/"),
        };
        let url = web_sys::Url::new_with_base(&folder, page).map_err(|_| format!("`{spec}` is not a valid URL"))?;
        Ok(BundleLocation { base: url.href() })
    }

    pub fn url_of(&self, path: &str) -> String {
        web_sys::Url::new_with_base(path, &self.base)
            .map(|u| u.href())
            .unwrap_or_else(|_| format!("{}{}", self.base, path))
    }
}

/// Fetches one file of the bundle as text; a failure names the file.
pub async fn fetch_text(loc: &BundleLocation, path: &str) -> Result<String, InputError> {
    let url = loc.url_of(path);
    let resp = gloo::net::http::Request::get(&url)
        .send()
        .await
        .map_err(|e| InputError::whole(path, format!("could not fetch {url}: {e}")))?;
    if !resp.ok() {
        return Err(InputError::whole(path, format!("HTTP {} {} for {url}", resp.status(), resp.status_text())));
    }
    resp.text().await.map_err(|e| InputError::whole(path, format!("could not read {url}: {e}")))
}

/// What is known right after opening: the validated project, its guideline, and the first chunk.
pub struct Opened {
    pub project: Rc<Project>,
    pub guidelines: Rc<str>,
    pub first_chunk: Rc<Vec<Task>>,
}

/// Opens a bundle, calling `progress(step, steps, what)` before each file.
pub async fn open(loc: &BundleLocation, mut progress: impl FnMut(u32, u32, &str)) -> Result<Opened, InputError> {
    progress(0, 3, "project.json");
    let project = parse_manifest("project.json", &fetch_text(loc, "project.json").await?)?;
    progress(1, 3, &project.guidelines.path);
    let guidelines = fetch_text(loc, &project.guidelines.path).await?;
    let first = &project.tasks[0];
    progress(2, 3, &first.path);
    let first_chunk = load_chunk(loc, &project, 0).await?;
    progress(3, 3, "done");
    Ok(Opened { project: Rc::new(project), guidelines: guidelines.into(), first_chunk })
}

/// Loads chunk `index`. Task ids are checked for duplicates within the chunk; across chunks the check runs
/// when the whole bundle is validated (the CLI, or a Worker in a later mode), not on the UI thread.
pub async fn load_chunk(loc: &BundleLocation, project: &Project, index: usize) -> Result<Rc<Vec<Task>>, InputError> {
    let chunk = &project.tasks[index];
    let text = fetch_text(loc, &chunk.path).await?;
    let mut ids = TaskIds::default();
    Ok(Rc::new(parse_task_chunk(&chunk.path, &text, project, chunk.count, &mut ids)?))
}
