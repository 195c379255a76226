//! Typed JSON reading whose errors name the JSON path of the bad value (`$.schema.controls[2].kind`).
//!
//! A path-tracking deserializer wrapped around serde_json (serde_path_to_error) instantiates every `Deserialize`
//! impl a second time, for the wrapper: about 90 KB of the browser builds' wasm. Here the typed read is plain
//! serde_json, and only when it fails is the path worked out — from the position serde_json reports, by one scan
//! of the text up to it ([`path_at`], one non-generic function). The result is the path serde_path_to_error
//! gives (a test checks the two on many documents).

use serde::de::DeserializeOwned;

/// A typed read that failed: where (`path`, serde_path_to_error's form: `a.b[0].c`, `.` for the root) and why.
#[derive(Debug)]
pub struct PathError {
    path: String,
    inner: serde_json::Error,
}

impl PathError {
    /// The path of the bad value: `a.b[0].c`, or `.` for the whole document.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// serde_json's error (its message ends with the line and column).
    pub fn inner(&self) -> &serde_json::Error {
        &self.inner
    }
    /// The error serde_json gave.
    pub fn into_inner(self) -> serde_json::Error {
        self.inner
    }
}

/// Reads `T` from JSON text; an error carries the path of the bad value.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, PathError> {
    serde_json::from_str(text).map_err(|inner| {
        let path = if inner.line() == 0 {
            ".".to_string()
        } else {
            path_at(text, inner.line(), inner.column(), inner.to_string().starts_with("missing field"))
        };
        PathError { path, inner }
    })
}

/// Reads `T` from a parsed value; on error the value is written out and read again as text to find the path (the
/// data are the same, so the failure is the same).
pub fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, PathError> {
    T::deserialize(value).map_err(|_| match from_str::<T>(&value.to_string()) {
        Err(e) => e,
        // Cannot happen (same data); stay total all the same.
        Ok(_) => PathError { path: ".".into(), inner: serde::de::Error::custom("the value does not read twice alike") },
    })
}

enum Frame {
    /// `key` is set from a key until the `,` or `}` after its value; `done` once that value ended.
    Object { key: Option<String>, done: bool },
    /// `index` of the element under way; `started` once its first character is read.
    Array { index: usize, started: bool },
}

/// The path of the value at serde_json's error position (`line`, `column`: 1-based line, bytes consumed on it).
/// `container_error`: the error is about the innermost object itself (a missing field), raised before its `}`.
pub fn path_at(text: &str, line: usize, column: usize, container_error: bool) -> String {
    let bytes = text.as_bytes();
    let mut start = 0;
    for _ in 1..line {
        match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(k) => start += k + 1,
            None => break,
        }
    }
    let end = (start + column).min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        let b = bytes[i];
        match b {
            b'"' => {
                let is_key = matches!(stack.last(), Some(Frame::Object { key: None, .. }));
                begin_value(&mut stack, is_key);
                let s = i + 1;
                i += 1;
                while i < end && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if is_key {
                    if i < end {
                        // A complete key is part of the path (an unknown field is named by its key).
                        if let Some(Frame::Object { key, done }) = stack.last_mut() {
                            *key = Some(text[s..i].to_string());
                            *done = false;
                        }
                    }
                } else {
                    end_value(&mut stack, i < end);
                }
                i += 1;
                continue;
            }
            b'{' => {
                begin_value(&mut stack, false);
                stack.push(Frame::Object { key: None, done: false });
            }
            b'[' => {
                begin_value(&mut stack, false);
                stack.push(Frame::Array { index: 0, started: false });
            }
            b'}' | b']' => {
                stack.pop();
                end_value(&mut stack, true);
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, done }) => {
                    *key = None;
                    *done = false;
                }
                Some(Frame::Array { index, started }) => {
                    *index += 1;
                    *started = false;
                }
                None => {}
            },
            b':' | b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => {
                // A number, `true`, `false` or `null`: read to its end.
                begin_value(&mut stack, false);
                while i < end && !matches!(bytes[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
                end_value(&mut stack, i < end);
                continue;
            }
        }
        i += 1;
    }
    let mut path = String::new();
    let last = stack.len().saturating_sub(1);
    for (depth, frame) in stack.iter().enumerate() {
        match frame {
            Frame::Object { key: Some(k), done } => {
                // A missing field is the object's own error: its last member, ended, is not the place.
                if !(container_error && *done && depth == last) {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                }
            }
            Frame::Array { index, started: true } => {
                path.push_str(&format!("[{index}]"));
            }
            _ => {}
        }
    }
    if path.is_empty() {
        ".".to_string()
    } else {
        path
    }
}

/// A value starts in the innermost container (`is_key`: it is an object's key, not a value).
fn begin_value(stack: &mut [Frame], is_key: bool) {
    if is_key {
        return;
    }
    if let Some(Frame::Array { started, .. }) = stack.last_mut() {
        *started = true;
    }
}

/// The value in the innermost container ended (`ended`: read to its last character).
fn end_value(stack: &mut [Frame], ended: bool) {
    if !ended {
        return;
    }
    if let Some(Frame::Object { done, .. }) = stack.last_mut() {
        *done = true;
    }
}
