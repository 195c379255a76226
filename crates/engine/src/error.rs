//! The one error type for everything Concord reads.
//!
//! Architecture invariant: every rejected input names the file, the place in it (a line, or a JSON path) and
//! the reason, so a person can fix it without reading Concord's source.

use std::fmt;

/// Where in a file an error was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The file as a whole (e.g. it is empty, or it is missing).
    File,
    /// A line, with a column where known.
    Line {
        /// 1-based.
        line: usize,
        /// 1-based, in characters.
        column: Option<usize>,
    },
    /// A JSON path such as `$.schema.controls[0].labels[2].hotkey`.
    JsonPath(String),
    /// A JSON path inside one line of a JSON Lines file.
    LinePath {
        /// 1-based.
        line: usize,
        /// The JSON path within the line's value.
        path: String,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File => Ok(()),
            Place::Line { line, column: None } => write!(f, "line {line}"),
            Place::Line { line, column: Some(c) } => write!(f, "line {line}, column {c}"),
            Place::JsonPath(p) => f.write_str(p),
            Place::LinePath { line, path } => write!(f, "line {line}, {path}"),
        }
    }
}

/// An input that Concord refuses, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file (its name or path as the caller knows it).
    pub file: String,
    /// Where in it.
    pub place: Place,
    /// Why it is refused: one sentence.
    pub reason: String,
}

impl InputError {
    /// An error at `place` in `file`.
    pub fn new(file: impl Into<String>, place: Place, reason: impl Into<String>) -> Self {
        InputError { file: file.into(), place, reason: reason.into() }
    }
    /// An error at a JSON path.
    pub fn at_path(file: impl Into<String>, path: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::new(file, Place::JsonPath(path.into()), reason)
    }
    /// An error on a line.
    pub fn at_line(file: impl Into<String>, line: usize, reason: impl Into<String>) -> Self {
        Self::new(file, Place::Line { line, column: None }, reason)
    }
    /// An error about the whole file.
    pub fn whole(file: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::new(file, Place::File, reason)
    }

    /// Turns a JSON syntax or type error from serde_json into an error with a line and column.
    pub fn from_json(file: impl Into<String>, err: &serde_json::Error) -> Self {
        // serde_json's message ends with " at line L column C"; keep only the reason part.
        let msg = err.to_string();
        let reason = match msg.rfind(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        if err.line() == 0 {
            Self::whole(file, reason)
        } else {
            Self::new(file, Place::Line { line: err.line(), column: Some(err.column()) }, reason)
        }
    }

    /// A whole JSON document's error: a syntax error at its line and column, a bad value at its JSON path.
    pub fn from_json_document(file: impl Into<String>, err: crate::json_path::PathError) -> Self {
        if err.inner().is_syntax() || err.inner().is_eof() {
            Self::from_json(file, err.inner())
        } else {
            Self::from_path_error(file, None, err)
        }
    }

    /// Turns a typed-deserialisation error into one that names the JSON path of the bad value.
    /// `prefix` is prepended to the path (e.g. `$` for a whole file).
    pub fn from_path_error(file: impl Into<String>, line: Option<usize>, err: crate::json_path::PathError) -> Self {
        let path = json_path(&err.path().to_string());
        let inner = err.into_inner().to_string();
        let reason = match inner.rfind(" at line ") {
            Some(i) => inner[..i].to_string(),
            None => inner,
        };
        match line {
            Some(line) => Self::new(file, Place::LinePath { line, path }, reason),
            None => Self::new(file, Place::JsonPath(path), reason),
        }
    }
}

/// `json_path` gives `a.b[0].c` (or `.` for the root); we print `$.a.b[0].c`.
fn json_path(p: &str) -> String {
    if p == "." || p.is_empty() {
        "$".to_string()
    } else if p.starts_with('[') {
        format!("${p}")
    } else {
        format!("$.{p}")
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place {
            Place::File => write!(f, "{}: {}", self.file, self.reason),
            _ => write!(f, "{}: {}: {}", self.file, self.place, self.reason),
        }
    }
}

impl std::error::Error for InputError {}
