//! Why an event cannot be applied: the schema does not allow it, or the task's state does not (nothing to undo).

use std::fmt;

/// An event the log refuses; its `Display` is the sentence the app shows and the CLI prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// An undo with nothing done on the task.
    NothingToUndo,
    /// A redo with nothing undone on the task.
    NothingToRedo,
    /// The control is not in the schema.
    UnknownControl {
        /// The control's name.
        control: String,
    },
    /// The label is not one of the control's.
    UnknownLabel {
        /// The control's name.
        control: String,
        /// The label given.
        label: String,
    },
    /// A choice edit on a control that takes regions.
    NotAChoice {
        /// The control's name.
        control: String,
    },
    /// Several labels on a single-choice control.
    OneLabelOnly {
        /// The control's name.
        control: String,
    },
    /// A region of another shape than the control draws.
    WrongRegionKind {
        /// The control's name.
        control: String,
    },
    /// A whole result whose value for a control is of another kind than the control produces.
    WrongValueKind {
        /// The control's name.
        control: String,
    },
    /// A span whose end is not after its start.
    EmptySpan {
        /// Its start, in code points.
        start: usize,
        /// Its end, in code points.
        end: usize,
    },
    /// A box with a non-finite coordinate or a negative size.
    BadBox,
    /// A polygon with fewer than 3 vertices or a non-finite coordinate.
    BadPolygon,
    /// A cuboid with a non-finite centre or yaw, or a size not above zero.
    BadCuboid,
    /// An insert past the end of the control's regions.
    InsertPastEnd {
        /// Where the insert was asked.
        index: usize,
        /// How many regions the control has.
        regions: usize,
    },
    /// A replace or remove of a region that does not exist.
    NoSuchRegion {
        /// The control's name.
        control: String,
        /// The index asked.
        index: usize,
        /// How many regions the control has.
        regions: usize,
    },
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::NothingToUndo => f.write_str("nothing to undo"),
            Rejection::NothingToRedo => f.write_str("nothing to redo"),
            Rejection::UnknownControl { control } => write!(f, "unknown control `{control}`"),
            Rejection::UnknownLabel { control, label } => write!(f, "unknown label `{label}` for control `{control}`"),
            Rejection::NotAChoice { control } => write!(f, "control `{control}` is not a choice"),
            Rejection::OneLabelOnly { control } => write!(f, "control `{control}` takes one label"),
            Rejection::WrongRegionKind { control } => {
                write!(f, "control `{control}` does not take this kind of region")
            }
            Rejection::WrongValueKind { control } => write!(f, "control `{control}` does not take this kind of value"),
            Rejection::EmptySpan { start, end } => write!(f, "empty span {start}..{end}"),
            Rejection::BadBox => f.write_str("a box needs finite coordinates and a non-negative size"),
            Rejection::BadPolygon => f.write_str("a polygon needs at least 3 vertices with finite coordinates"),
            Rejection::BadCuboid => f.write_str("a cuboid needs a finite centre and yaw, and sizes above zero"),
            Rejection::InsertPastEnd { index, regions } => {
                write!(f, "insert at {index} past the end ({regions} regions)")
            }
            Rejection::NoSuchRegion { control, index, regions } => {
                write!(f, "no region {index} in `{control}` ({regions} regions)")
            }
        }
    }
}

impl std::error::Error for Rejection {}
