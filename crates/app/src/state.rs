//! The app's state and the one reducer that changes it. Big data (the project, task chunks) sits behind `Rc`,
//! so an action clones pointers, never tasks.

use std::rc::Rc;

use concord_engine::bundle::Project;
use concord_engine::gold::GoldFeedback;
use concord_engine::model::Task;
use concord_engine::InputError;
use yew::Reducible;

use crate::session::SessionRef;

/// A message about the last action, shown in the QA panel until the next one.
#[derive(Clone, PartialEq)]
pub enum Notice {
    /// Submission refused: the error rules it breaks.
    Blocked(Vec<String>),
    /// Feedback on a submitted training-gold task.
    Gold(GoldFeedback),
    Info(String),
    Problem(String),
}

#[derive(Clone, PartialEq)]
pub enum Phase {
    Loading { step: u32, steps: u32, file: String },
    Failed(InputError),
    Ready,
}

#[derive(Clone)]
pub struct AppState {
    pub phase: Phase,
    pub project: Option<Rc<Project>>,
    /// `project.json` as read (`loader::Opened::manifest`).
    pub manifest: Rc<str>,
    pub guidelines: Rc<str>,
    /// One slot per chunk of the manifest; `None` until fetched.
    pub chunks: Rc<Vec<Option<Rc<Vec<Task>>>>>,
    /// `starts[i]` is the global index of the first task of chunk `i` (prefix sums of the declared counts).
    pub starts: Rc<Vec<usize>>,
    /// Global index of the open task.
    pub position: usize,
    pub session: Option<SessionRef>,
    /// The queue's order when it is not the project's: queue position → global task index.
    pub order: Option<Rc<Vec<usize>>>,
    /// Tasks the lead sent back to this annotator (from an imported `requeue.jsonl`): task id → reason.
    pub sent_back: Rc<std::collections::HashMap<String, String>>,
    /// Bumped whenever the session changes (an action recorded, an event saved).
    pub generation: u64,
    pub notice: Option<Notice>,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            phase: Phase::Loading { step: 0, steps: 1, file: "project.json".into() },
            project: None,
            manifest: "".into(),
            guidelines: "".into(),
            chunks: Rc::new(Vec::new()),
            starts: Rc::new(Vec::new()),
            position: 0,
            session: None,
            order: None,
            sent_back: Rc::new(Default::default()),
            generation: 0,
            notice: None,
        }
    }
}

pub enum Action {
    Progress {
        step: u32,
        steps: u32,
        file: String,
    },
    Failed(InputError),
    Opened {
        project: Rc<Project>,
        manifest: Rc<str>,
        guidelines: Rc<str>,
        first_chunk: Rc<Vec<Task>>,
        session: SessionRef,
        position: usize,
    },
    ChunkLoaded {
        index: usize,
        tasks: Rc<Vec<Task>>,
    },
    GoTo(usize),
    /// A new queue order (`None`: the project's), starting at its first task.
    SetOrder(Option<Rc<Vec<usize>>>),
    /// The queue re-ordered behind the open task (the model's order as it learns): the position stays.
    Rerank(Rc<Vec<usize>>),
    /// Tasks sent back for re-annotation (task id → reason), the queue that puts them first, and where to stand in
    /// it (the first not yet redone).
    SentBack {
        reasons: Rc<std::collections::HashMap<String, String>>,
        order: Rc<Vec<usize>>,
        position: usize,
    },
    /// Another project is being opened: back to the loading state.
    Reset,
    /// The session changed; optionally with a notice (which replaces the current one).
    Changed(Option<Notice>),
    /// Move to a task and show a notice (after a submission).
    Advance {
        to: usize,
        notice: Option<Notice>,
    },
}

impl AppState {
    pub fn task_count(&self) -> usize {
        self.project.as_ref().map_or(0, |p| p.task_count())
    }

    /// (chunk, offset in chunk) of a global task index.
    pub fn locate(&self, index: usize) -> Option<(usize, usize)> {
        if index >= self.task_count() {
            return None;
        }
        let chunk = self.starts.partition_point(|&s| s <= index) - 1;
        Some((chunk, index - self.starts[chunk]))
    }

    /// The open task, if its chunk is loaded.
    pub fn current_task(&self) -> Option<&Task> {
        self.task_at(self.position)
    }

    /// The global task index at queue position `position`.
    pub fn global(&self, position: usize) -> usize {
        self.order.as_ref().and_then(|o| o.get(position).copied()).unwrap_or(position)
    }

    pub fn task_at(&self, position: usize) -> Option<&Task> {
        let (c, o) = self.locate(self.global(position))?;
        self.chunks.get(c)?.as_ref()?.get(o)
    }

    /// The queue position of the loaded task `id`.
    pub fn position_of(&self, id: &str) -> Option<usize> {
        let (chunk, offset) = self
            .chunks
            .iter()
            .enumerate()
            .find_map(|(c, slot)| Some((c, slot.as_ref()?.iter().position(|t| t.id == id)?)))?;
        let global = self.starts[chunk] + offset;
        match &self.order {
            Some(order) => order.iter().position(|&g| g == global),
            None => Some(global),
        }
    }

    /// Every task of the chunks loaded so far (for exports that need task data).
    pub fn loaded_tasks(&self) -> LoadedTasks {
        LoadedTasks(Rc::new(self.chunks.iter().flatten().cloned().collect()))
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Progress { step, steps, file } => s.phase = Phase::Loading { step, steps, file },
            Action::Failed(e) => s.phase = Phase::Failed(e),
            Action::Opened { project, manifest, guidelines, first_chunk, session, position } => {
                let mut starts = Vec::with_capacity(project.tasks.len());
                let mut acc = 0;
                for c in &project.tasks {
                    starts.push(acc);
                    acc += c.count;
                }
                let mut chunks = vec![None; project.tasks.len()];
                chunks[0] = Some(first_chunk);
                s.chunks = Rc::new(chunks);
                s.starts = Rc::new(starts);
                s.project = Some(project);
                s.manifest = manifest;
                s.guidelines = guidelines;
                s.position = if position < s.task_count() { position } else { 0 };
                s.session = Some(session);
                s.phase = Phase::Ready;
            }
            Action::ChunkLoaded { index, tasks } => {
                let mut chunks = (*s.chunks).clone(); // clones one Option<Rc> per chunk, not tasks
                if index < chunks.len() {
                    chunks[index] = Some(tasks);
                }
                s.chunks = Rc::new(chunks);
            }
            Action::GoTo(i) => {
                if i < s.task_count() {
                    s.position = i;
                }
            }
            Action::Reset => return Rc::new(AppState::default()),
            Action::SentBack { reasons, order, position } => {
                s.sent_back = reasons;
                s.order = Some(order);
                s.position = position;
            }
            Action::SetOrder(order) => {
                s.order = order;
                s.position = 0;
                s.generation += 1;
            }
            Action::Rerank(order) => {
                s.order = Some(order);
                s.generation += 1;
            }
            Action::Changed(notice) => {
                s.generation += 1;
                if notice.is_some() {
                    s.notice = notice;
                }
            }
            Action::Advance { to, notice } => {
                s.generation += 1;
                s.notice = notice;
                if to < s.task_count() {
                    s.position = to;
                }
            }
        }
        Rc::new(s)
    }
}

/// The task chunks loaded so far, as a prop: equal when they are the same chunks (pointers), so a render never
/// compares tasks field by field.
#[derive(Debug, Clone)]
pub struct LoadedTasks(pub Rc<Vec<Rc<Vec<Task>>>>);

impl PartialEq for LoadedTasks {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(other.0.iter()).all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

impl std::ops::Deref for LoadedTasks {
    type Target = Vec<Rc<Vec<Task>>>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
