//! Replaying the log into the state of each task. Replay is deterministic: the same events give the same state,
//! in the browser after a reload, in another browser after an import, and in the CLI.

use std::collections::HashMap;

use super::event::{Event, Op, Region};
use super::rejection::Rejection;
use crate::model::{ControlKind, ControlValue, Schema, TaskResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
/// Where a task stands after its events.
pub enum TaskStatus {
    #[default]
    /// No event yet.
    Untouched,
    /// Edited and not submitted (or edited again after a submission).
    Draft,
    /// Submitted (a later edit makes it a draft again until resubmitted).
    Submitted,
    /// Skipped and never submitted.
    Skipped,
}

/// A submitted result, when and under which guideline version it was submitted, and the rules (warnings) it broke.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// The result submitted.
    pub result: TaskResult,
    /// When (milliseconds since the epoch).
    pub at: u64,
    /// Who submitted it.
    pub annotator: String,
    /// The guideline version it was made under.
    pub guidelines: String,
    /// The warning rules it broke.
    pub warnings: Vec<String>,
}

/// One task as the log leaves it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskLog {
    /// The result now.
    pub result: TaskResult,
    /// Where the task stands.
    pub status: TaskStatus,
    /// The last submission.
    pub submitted: Option<Submission>,
    /// Marked unsure.
    pub unsure: bool,
    /// The unsure mark's comment.
    pub comment: String,
    /// Inverses of the edits that can be undone, most recent last.
    undo: Vec<Op>,
    /// Edits that can be redone, most recent last.
    redo: Vec<Op>,
}

impl TaskLog {
    /// Whether an edit can be undone.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    /// Whether an undone edit can be redone.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

/// Every task's state, built event by event.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    /// Per task id.
    pub tasks: HashMap<String, TaskLog>,
    /// Task ids in the order of their first event.
    pub order: Vec<String>,
    /// Ids of the events applied, so that importing a log twice changes nothing.
    seen: std::collections::HashSet<String>,
    /// Events applied.
    pub events: usize,
}

impl Replay {
    /// The task's state, if any event touched it.
    pub fn task(&self, id: &str) -> Option<&TaskLog> {
        self.tasks.get(id)
    }

    /// Whether the event was applied already.
    pub fn has(&self, event_id: &str) -> bool {
        self.seen.contains(event_id)
    }

    /// Checks an event against the schema and the task's current state, without applying it. The app calls
    /// this before writing an event, so the log only ever holds events that replay.
    pub fn check(&self, schema: &Schema, e: &Event) -> Result<(), Rejection> {
        let empty = TaskLog::default();
        let t = self.tasks.get(&e.task).unwrap_or(&empty);
        match &e.op {
            Op::Undo if t.undo.is_empty() => Err(Rejection::NothingToUndo),
            Op::Redo if t.redo.is_empty() => Err(Rejection::NothingToRedo),
            op if op.is_edit() => check_edit(schema, &t.result, op),
            _ => Ok(()),
        }
    }

    /// Applies one event; an event already applied (same id) is ignored. A rejected event changes nothing.
    pub fn apply(&mut self, schema: &Schema, e: &Event) -> Result<(), Rejection> {
        if self.seen.contains(&e.id) {
            return Ok(());
        }
        self.check(schema, e)?;
        if !self.tasks.contains_key(&e.task) {
            self.order.push(e.task.clone());
        }
        let t = self.tasks.entry(e.task.clone()).or_default();
        match &e.op {
            Op::Undo => {
                let inverse = t.undo.pop().expect("checked");
                let redo = edit(&mut t.result, inverse);
                t.redo.push(redo);
                t.status = TaskStatus::Draft;
            }
            Op::Redo => {
                let again = t.redo.pop().expect("checked");
                let inverse = edit(&mut t.result, again);
                t.undo.push(inverse);
                t.status = TaskStatus::Draft;
            }
            Op::Submit { warnings } => {
                t.status = TaskStatus::Submitted;
                t.submitted = Some(Submission {
                    result: t.result.clone(),
                    at: e.at,
                    annotator: e.annotator.clone(),
                    guidelines: e.guidelines.clone(),
                    warnings: warnings.clone(),
                });
            }
            Op::Skip => {
                if t.status != TaskStatus::Submitted {
                    t.status = TaskStatus::Skipped;
                }
            }
            Op::Flag { unsure, comment } => {
                t.unsure = *unsure;
                t.comment = comment.clone();
            }
            op => {
                let inverse = edit(&mut t.result, op.clone());
                t.undo.push(inverse);
                t.redo.clear();
                t.status = TaskStatus::Draft;
            }
        }
        self.seen.insert(e.id.clone());
        self.events += 1;
        Ok(())
    }

    /// Replays a whole log; the first event that does not fit names its position (1-based) and the reason.
    pub fn from_events<'a>(
        schema: &Schema,
        events: impl IntoIterator<Item = &'a Event>,
    ) -> Result<Replay, (usize, String)> {
        let mut r = Replay::default();
        for (i, e) in events.into_iter().enumerate() {
            r.apply(schema, e).map_err(|why| (i + 1, format!("event `{}` on task `{}`: {why}", e.id, e.task)))?;
        }
        Ok(r)
    }
}

fn check_edit(schema: &Schema, result: &TaskResult, op: &Op) -> Result<(), Rejection> {
    let control_of =
        |name: &str| schema.control(name).ok_or_else(|| Rejection::UnknownControl { control: name.to_string() });
    let check_label = |c: &crate::model::Control, label: &str| {
        c.label_index(label)
            .map(|_| ())
            .ok_or_else(|| Rejection::UnknownLabel { control: c.name.clone(), label: label.to_string() })
    };
    let len = |name: &str| match result.0.get(name) {
        Some(ControlValue::Spans(v)) => v.len(),
        Some(ControlValue::Boxes(v)) => v.len(),
        Some(ControlValue::Polygons(v)) => v.len(),
        #[cfg(feature = "scene")]
        Some(ControlValue::Cuboids(v)) => v.len(),
        _ => 0,
    };
    let check_region = |name: &str, region: &Region| -> Result<(), Rejection> {
        let c = control_of(name)?;
        match (c.kind, region) {
            (ControlKind::Spans, Region::Span(s)) => {
                if s.start >= s.end {
                    return Err(Rejection::EmptySpan { start: s.start, end: s.end });
                }
            }
            (ControlKind::Boxes, Region::Box(b)) => {
                if ![b.x, b.y, b.w, b.h].iter().all(|v| v.is_finite()) || b.w < 0.0 || b.h < 0.0 {
                    return Err(Rejection::BadBox);
                }
            }
            (ControlKind::Polygons, Region::Polygon(p)) => {
                if p.points.len() < 3 || !p.points.iter().flatten().all(|v| v.is_finite()) {
                    return Err(Rejection::BadPolygon);
                }
            }
            #[cfg(feature = "scene")]
            (ControlKind::Cuboids, Region::Cuboid(c)) => {
                if !c.is_valid() {
                    return Err(Rejection::BadCuboid);
                }
            }
            _ => return Err(Rejection::WrongRegionKind { control: name.to_string() }),
        }
        check_label(c, region.label())
    };
    match op {
        Op::Choose { control, labels } => {
            let c = control_of(control)?;
            if !c.kind.is_choice() {
                return Err(Rejection::NotAChoice { control: control.clone() });
            }
            if c.kind.is_single() && labels.len() > 1 {
                return Err(Rejection::OneLabelOnly { control: control.clone() });
            }
            labels.iter().try_for_each(|l| check_label(c, l))
        }
        Op::Insert { control, index, region } => {
            check_region(control, region)?;
            if *index > len(control) {
                return Err(Rejection::InsertPastEnd { index: *index, regions: len(control) });
            }
            Ok(())
        }
        Op::Replace { control, index, region } => {
            check_region(control, region)?;
            if *index >= len(control) {
                return Err(Rejection::NoSuchRegion { control: control.clone(), index: *index, regions: len(control) });
            }
            Ok(())
        }
        Op::Remove { control, index } => {
            control_of(control)?;
            if *index >= len(control) {
                return Err(Rejection::NoSuchRegion { control: control.clone(), index: *index, regions: len(control) });
            }
            Ok(())
        }
        Op::SetResult { result } => {
            for (name, value) in &result.0 {
                let c = control_of(name)?;
                match (c.kind, value) {
                    (k, ControlValue::Choices(v)) if k.is_choice() => {
                        v.iter().try_for_each(|l| check_label(c, l))?;
                    }
                    (ControlKind::Spans, ControlValue::Spans(v)) => {
                        v.iter().try_for_each(|s| check_region(name, &Region::Span(s.clone())))?
                    }
                    (ControlKind::Boxes, ControlValue::Boxes(v)) => {
                        v.iter().try_for_each(|b| check_region(name, &Region::Box(b.clone())))?
                    }
                    (ControlKind::Polygons, ControlValue::Polygons(v)) => {
                        v.iter().try_for_each(|p| check_region(name, &Region::Polygon(p.clone())))?
                    }
                    #[cfg(feature = "scene")]
                    (ControlKind::Cuboids, ControlValue::Cuboids(v)) => {
                        v.iter().try_for_each(|c| check_region(name, &Region::Cuboid(c.clone())))?
                    }
                    // An empty list parses as choices whatever the control.
                    (_, ControlValue::Choices(v)) if v.is_empty() => {}
                    _ => return Err(Rejection::WrongValueKind { control: name.clone() }),
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Applies a checked edit and returns its inverse.
fn edit(result: &mut TaskResult, op: Op) -> Op {
    match op {
        Op::Choose { control, labels } => {
            // An empty choice is no entry at all, so undoing the first choice restores the result exactly.
            let old = if labels.is_empty() {
                result.0.remove(&control)
            } else {
                result.0.insert(control.clone(), ControlValue::Choices(labels))
            };
            let old = match old {
                Some(ControlValue::Choices(v)) => v,
                _ => Vec::new(),
            };
            Op::Choose { control, labels: old }
        }
        Op::Insert { control, index, region } => {
            with_regions(result, &control, |list| list.insert(index, region));
            Op::Remove { control, index }
        }
        Op::Replace { control, index, region } => {
            let old = with_regions(result, &control, |list| std::mem::replace(&mut list[index], region));
            Op::Replace { control, index, region: old }
        }
        Op::Remove { control, index } => {
            let old = with_regions(result, &control, |list| list.remove(index));
            Op::Insert { control, index, region: old }
        }
        Op::SetResult { result: new } => Op::SetResult { result: std::mem::replace(result, new) },
        other => other,
    }
}

/// Runs `f` on the control's region list (creating it as needed) and drops the entry when it becomes empty,
/// so an undone insert leaves the result exactly as before.
fn with_regions<T>(result: &mut TaskResult, control: &str, f: impl FnOnce(&mut Vec<Region>) -> T) -> T {
    let mut list = Region::list_of(result.0.remove(control));
    let out = f(&mut list);
    if let Some(value) = Region::value_of(list) {
        result.0.insert(control.to_string(), value);
    }
    out
}
