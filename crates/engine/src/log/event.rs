//! One event of the log, and the log's JSONL form.

use serde::{Deserialize, Serialize};

use crate::error::{InputError, Place};
#[cfg(feature = "scene")]
use crate::model::Cuboid;
use crate::model::{BoxRegion, ControlValue, PolygonRegion, SpanRegion, TaskResult};

/// One region of a span, box, polygon or cuboid control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Region {
    /// A text span.
    Span(SpanRegion),
    /// A box.
    Box(BoxRegion),
    /// A polygon.
    Polygon(PolygonRegion),
    /// A cuboid.
    #[cfg(feature = "scene")]
    Cuboid(Cuboid),
}

impl Region {
    /// The region's label.
    pub fn label(&self) -> &str {
        match self {
            Region::Span(s) => &s.label,
            Region::Box(b) => &b.label,
            Region::Polygon(p) => &p.label,
            #[cfg(feature = "scene")]
            Region::Cuboid(c) => &c.label,
        }
    }

    /// The regions of a control's value (none for choices).
    pub fn list_of(value: Option<ControlValue>) -> Vec<Region> {
        match value {
            Some(ControlValue::Spans(v)) => v.into_iter().map(Region::Span).collect(),
            Some(ControlValue::Boxes(v)) => v.into_iter().map(Region::Box).collect(),
            Some(ControlValue::Polygons(v)) => v.into_iter().map(Region::Polygon).collect(),
            #[cfg(feature = "scene")]
            Some(ControlValue::Cuboids(v)) => v.into_iter().map(Region::Cuboid).collect(),
            _ => Vec::new(),
        }
    }

    /// A control's value from its regions, all of one kind (the replay checks each against the control); `None`
    /// when there are none.
    pub fn value_of(list: Vec<Region>) -> Option<ControlValue> {
        fn all<T>(list: Vec<Region>, f: fn(Region) -> Option<T>) -> Vec<T> {
            list.into_iter().filter_map(f).collect()
        }
        Some(match list.first()? {
            Region::Span(_) => ControlValue::Spans(all(list, |r| if let Region::Span(x) = r { Some(x) } else { None })),
            Region::Box(_) => ControlValue::Boxes(all(list, |r| if let Region::Box(x) = r { Some(x) } else { None })),
            Region::Polygon(_) => {
                ControlValue::Polygons(all(list, |r| if let Region::Polygon(x) = r { Some(x) } else { None }))
            }
            #[cfg(feature = "scene")]
            Region::Cuboid(_) => {
                ControlValue::Cuboids(all(list, |r| if let Region::Cuboid(x) = r { Some(x) } else { None }))
            }
        })
    }
}

/// What an event does. Edits (`choose`, `insert`, `replace`, `remove`, `set_result`) are undoable per task;
/// `undo`/`redo` replay the inverse of the last edit / of the last undo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Op {
    /// Sets the labels of a choice control (one for single choice; empty clears it).
    Choose {
        /// The choice control.
        control: String,
        /// The labels chosen.
        labels: Vec<String>,
    },
    /// Inserts a region at `index` of its control's list (`index` = length appends).
    Insert {
        /// The region control.
        control: String,
        /// Where in its list.
        index: usize,
        /// The region.
        region: Region,
    },
    /// Replaces the region at `index` (move, resize, relabel, attribute change).
    Replace {
        /// The region control.
        control: String,
        /// Which region.
        index: usize,
        /// The new region.
        region: Region,
    },
    /// Removes the region at `index`.
    Remove {
        /// The region control.
        control: String,
        /// Which region.
        index: usize,
    },
    /// Replaces the whole result (accepting a pre-annotation, resetting).
    SetResult {
        /// The new result.
        result: TaskResult,
    },
    /// Undoes the task's last edit.
    Undo,
    /// Redoes the task's last undone edit.
    Redo,
    /// The annotator submits the current result. `warnings` are the ids of the rules it breaks (warnings only:
    /// errors block submission).
    Submit {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        /// The ids of the warning rules the result breaks.
        warnings: Vec<String>,
    },
    /// The annotator skips the task.
    Skip,
    /// Marks the task as unsure (with a comment), or clears the mark.
    Flag {
        /// Unsure or not.
        unsure: bool,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        /// Why (free text).
        comment: String,
    },
}

impl Op {
    /// Whether the op changes the result (and so can be undone).
    pub fn is_edit(&self) -> bool {
        matches!(
            self,
            Op::Choose { .. } | Op::Insert { .. } | Op::Replace { .. } | Op::Remove { .. } | Op::SetResult { .. }
        )
    }
}

/// One thing one annotator did to one task, stamped with the guideline version and the time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Unique across devices: `<log id>:<sequence>`; importing the same event twice is a no-op.
    pub id: String,
    /// Milliseconds since the Unix epoch.
    pub at: u64,
    /// Who made it.
    pub annotator: String,
    /// The task's id.
    pub task: String,
    /// The guideline version the annotator was working under.
    pub guidelines: String,
    /// What it does.
    pub op: Op,
}

/// The log as JSONL: one event per line, in order.
pub fn write_jsonl(events: &[Event]) -> String {
    let mut out = String::new();
    for e in events {
        out.push_str(&serde_json::to_string(e).expect("events serialize"));
        out.push('\n');
    }
    out
}

/// Reads a JSONL log. Each line must be an event (`id`, `at`, `annotator`, `task`, `guidelines`, and `op`: an
/// object with its `type` and fields); an error names the line and the field. Whether the events fit a project is checked by
/// [`super::Replay::apply`], which knows the schema.
pub fn parse_jsonl(file: &str, text: &str) -> Result<Vec<Event>, InputError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let event: Event =
            crate::json_path::from_str(line).map_err(|e| InputError::from_path_error(file, Some(i + 1), e))?;
        if event.id.is_empty() || event.task.is_empty() || event.annotator.is_empty() {
            return Err(InputError::new(
                file,
                Place::Line { line: i + 1, column: None },
                "`id`, `task` and `annotator` must not be empty",
            ));
        }
        out.push(event);
    }
    Ok(out)
}
