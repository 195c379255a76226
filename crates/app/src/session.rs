//! The open work session: the project's rules, training gold and predictions, and the annotator's log replayed
//! in memory. It lives in one `Rc<RefCell<_>>` beside the reducer state (which only holds a generation number),
//! so an edit on an image with thousands of boxes touches one region, never a copy of the task.
//!
//! Recording an action: the event is checked against the schema and the task's state, applied to the replay,
//! and queued for IndexedDB. `saved` counts the events the browser has committed; the UI shows "Saving…" until
//! every recorded event is saved, and if a write fails it says so and offers the export — the in-memory log
//! still holds every action, so nothing is lost while the tab is open.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use concord_engine::bundle::{GoldItem, Prediction, Project};
use concord_engine::gold::{feedback, GoldFeedback};
use concord_engine::log::{personal_stats, Event, Op, PersonalStats, Replay};
use concord_engine::model::{Task, TaskResult};
use concord_engine::rules::{validate, RuleSet, Subject, Violation};

use crate::storage::LogStore;

pub struct Session {
    pub project: Rc<Project>,
    pub rules: Option<RuleSet>,
    /// The rule file as read, for the checks the worker runs (the 3D mode's sequence check).
    pub rules_text: Option<Rc<str>>,
    /// Training gold only: hidden honeypot answers are never part of what annotator mode loads.
    pub gold: HashMap<String, GoldItem>,
    /// The gold's task ids in the file's order (the order the live model learns them in, as `concord learn
    /// --gold-first` does).
    pub gold_order: Vec<String>,
    pub predictions: HashMap<String, Prediction>,
    /// The model learning from this annotator (`live_model`, in the worker): its latest prediction per task asked
    /// about, and its soft checks (`rules::live_model_rules`); empty while it is off or not ready.
    pub live: HashMap<String, Prediction>,
    pub live_rules: Option<RuleSet>,
    pub annotator: String,
    pub replay: Replay,
    /// Every event of this project's log, in order (for export).
    pub events: Vec<Event>,
    /// Events committed to IndexedDB.
    pub saved: usize,
    pub store: Option<Rc<LogStore>>,
    pub store_error: Option<String>,
    /// Another tab saved events while this one had unsaved ones: replay the store once they are saved.
    pub remote_changed: bool,
    pending: Vec<Event>,
    writing: bool,
    log_id: String,
    seq: u64,
}

pub type SessionRef = Rc<RefCell<Session>>;

impl Session {
    pub fn new(
        project: Rc<Project>,
        rules: Option<RuleSet>,
        gold: Vec<GoldItem>,
        predictions: Vec<Prediction>,
        log_id: String,
    ) -> Session {
        Session {
            project,
            rules,
            rules_text: None,
            gold_order: gold.iter().map(|g| g.task.clone()).collect(),
            gold: gold.into_iter().map(|g| (g.task.clone(), g)).collect(),
            predictions: predictions.into_iter().map(|p| (p.task.clone(), p)).collect(),
            live: HashMap::new(),
            live_rules: None,
            annotator: String::new(),
            replay: Replay::default(),
            events: Vec::new(),
            saved: 0,
            store: None,
            store_error: None,
            remote_changed: false,
            pending: Vec::new(),
            writing: false,
            log_id,
            seq: 0,
        }
    }

    /// Replays events read back from storage (already saved).
    pub fn restore(&mut self, events: Vec<Event>) -> Result<(), String> {
        for (i, e) in events.iter().enumerate() {
            self.replay
                .apply(&self.project.schema, e)
                .map_err(|why| format!("stored event {} (`{}`) does not replay: {why}", i + 1, e.id))?;
        }
        self.saved += events.len();
        self.events.extend(events);
        Ok(())
    }

    /// Imports events from another device's export: new ones are recorded (and saved) like fresh actions;
    /// events already in the log are skipped. Returns how many were new.
    pub fn import(&mut self, events: Vec<Event>) -> Result<usize, String> {
        let mut scratch = self.replay.clone();
        for (i, e) in events.iter().enumerate() {
            scratch
                .apply(&self.project.schema, e)
                .map_err(|why| format!("event {} (`{}`, task `{}`): {why}", i + 1, e.id, e.task))?;
        }
        let mut added = 0;
        for e in events {
            if !self.replay.has(&e.id) {
                self.replay.apply(&self.project.schema, &e).expect("checked on the scratch replay");
                self.pending.push(e.clone());
                self.events.push(e);
                added += 1;
            }
        }
        Ok(added)
    }

    /// Records one action on `task`. `Err` says why it was refused (nothing is recorded then).
    pub fn record(&mut self, task: &str, op: Op) -> Result<(), String> {
        if self.annotator.is_empty() {
            return Err("enter your name first: it is stamped on every annotation".into());
        }
        self.seq += 1;
        let e = Event {
            id: format!("{}:{}", self.log_id, self.seq),
            at: js_sys::Date::now() as u64,
            annotator: self.annotator.clone(),
            task: task.to_string(),
            guidelines: self.project.guidelines.version.clone(),
            op,
        };
        self.replay.apply(&self.project.schema, &e).map_err(|why| why.to_string())?;
        self.pending.push(e.clone());
        self.events.push(e);
        Ok(())
    }

    /// Whether every recorded event is saved (nothing queued, no write in flight).
    pub fn settled(&self) -> bool {
        self.pending.is_empty() && !self.writing
    }

    /// Replaces the replay with the whole stored log (after another tab appended to it). The stored order is
    /// the authority: both tabs replay the same events in the same order. Returns the tasks that events new to
    /// this tab touched. Only called when this tab has nothing unsaved.
    pub fn rebuild(&mut self, events: Vec<Event>) -> Result<Vec<String>, String> {
        let mut changed: Vec<String> = Vec::new();
        for e in &events {
            if !self.replay.has(&e.id) && !changed.contains(&e.task) {
                changed.push(e.task.clone());
            }
        }
        let replay = Replay::from_events(&self.project.schema, &events)
            .map_err(|(i, why)| format!("stored event {i} does not replay: {why}"))?;
        self.replay = replay;
        self.saved = events.len();
        self.events = events;
        Ok(changed)
    }

    pub fn result_of(&self, task: &str) -> Option<&TaskResult> {
        self.replay.task(task).map(|t| &t.result)
    }

    /// The guideline rules this result breaks (the instant check run on every edit), then the live model's soft
    /// checks (warnings only).
    pub fn violations(&self, task: &Task) -> Vec<Violation> {
        let empty = TaskResult::default();
        let result = self.result_of(&task.id).unwrap_or(&empty);
        let mut out = match &self.rules {
            Some(rules) => validate(rules, &Subject { task, result, prediction: self.predictions.get(&task.id) }),
            None => Vec::new(),
        };
        if let (Some(rules), Some(live)) = (&self.live_rules, self.live.get(&task.id)) {
            out.extend(validate(rules, &Subject { task, result, prediction: Some(live) }));
        }
        #[cfg(feature = "scene")]
        if task.data.points.is_some() {
            out.extend(crate::scene::frame_checks(self, task));
        }
        out
    }

    pub fn gold_feedback(&self, task: &str) -> Option<GoldFeedback> {
        let gold = self.gold.get(task)?;
        let sub = self.replay.task(task)?.submitted.as_ref()?;
        Some(feedback(&sub.result, gold))
    }

    pub fn personal(&self, since: u64) -> PersonalStats {
        personal_stats(&self.replay, since, |task, result| self.gold.get(task).map(|g| feedback(result, g).matches))
    }

    pub fn unsaved(&self) -> usize {
        self.events.len() - self.saved
    }
}

/// Writes queued events to IndexedDB, one transaction per batch, until the queue is empty; `done` runs after
/// each batch (to re-render the saved state). One writer at a time keeps the stored order the recorded order.
pub fn flush(session: SessionRef, done: impl Fn() + 'static) {
    {
        let mut s = session.borrow_mut();
        if s.writing || s.pending.is_empty() || s.store.is_none() {
            return;
        }
        s.writing = true;
    }
    wasm_bindgen_futures::spawn_local(async move {
        loop {
            let (batch, store) = {
                let mut s = session.borrow_mut();
                if s.pending.is_empty() {
                    s.writing = false;
                    break;
                }
                (std::mem::take(&mut s.pending), s.store.clone().expect("checked"))
            };
            let outcome = store.append(&batch).await;
            let mut s = session.borrow_mut();
            match outcome {
                Ok(()) => {
                    s.saved += batch.len();
                    s.store_error = None;
                }
                Err(why) => {
                    // Keep the batch first in line; the next action (or "Retry") tries again.
                    let later = std::mem::take(&mut s.pending);
                    s.pending = batch;
                    s.pending.extend(later);
                    s.store_error = Some(why);
                    s.writing = false;
                    drop(s);
                    done();
                    return;
                }
            }
            drop(s);
            done();
        }
        done();
    });
}
