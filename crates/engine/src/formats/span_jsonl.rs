//! Span JSONL: one document per line, `{"id": ..., "text": ..., "spans": [{"start", "end", "label"}]}`, with
//! code-point offsets, end-exclusive. One file per annotator; the annotator is the file stem
//! (`alice.jsonl` → `alice`). `text` is optional but, when present, spans are checked against its length.

use crate::sorting::LeanSort;
use serde::Deserialize;

use crate::error::{InputError, Place};
use crate::model::{Interner, Span};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: IdValue,
    #[serde(default)]
    text: Option<String>,
    spans: Vec<SpanLine>,
    #[serde(default)]
    #[allow(dead_code)]
    meta: Option<serde_json::Value>,
}

/// Ids may be strings or integers.
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum IdValue {
    Str(String),
    Int(i64),
}

impl IdValue {
    pub(crate) fn into_string(self) -> String {
        match self {
            IdValue::Str(s) => s,
            IdValue::Int(i) => i.to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpanLine {
    start: u32,
    end: u32,
    label: String,
    #[serde(default)]
    #[allow(dead_code)]
    text: Option<String>,
}

/// Reads one file: (item id, spans) per document, interning ids and labels into the given vocabularies.
pub fn read_span_jsonl(
    file: &str,
    text: &str,
    items: &mut Interner,
    labels: &mut Interner,
) -> Result<Vec<(u32, Vec<Span>)>, InputError> {
    read_span_jsonl_from(file, text.as_bytes(), items, labels)
}

/// As [`read_span_jsonl`], line by line from a reader (large files are never held whole).
pub fn read_span_jsonl_from(
    file: &str,
    reader: impl std::io::BufRead,
    items: &mut Interner,
    labels: &mut Interner,
) -> Result<Vec<(u32, Vec<Span>)>, InputError> {
    let mut docs = Vec::new();
    let mut seen = DocIds::default();
    json_lines(file, reader, |line_no, line: Line| {
        let at = |path: String, why: String| InputError::new(file, Place::LinePath { line: line_no, path }, why);
        let id = line.id.into_string();
        seen.first_time(&id, line_no).map_err(|why| at("$.id".into(), why))?;
        let len = line.text.as_ref().map(|t| t.chars().count() as u32);
        let mut spans = Vec::with_capacity(line.spans.len());
        for (k, s) in line.spans.iter().enumerate() {
            if s.start >= s.end {
                return Err(at(format!("$.spans[{k}]"), format!("empty or reversed span {}..{}", s.start, s.end)));
            }
            if let Some(len) = len {
                if s.end > len {
                    return Err(at(
                        format!("$.spans[{k}].end"),
                        format!("{} is past the end of the text ({len} code points)", s.end),
                    ));
                }
            }
            if s.label.trim().is_empty() {
                return Err(at(format!("$.spans[{k}].label"), "empty label".into()));
            }
            spans.push(Span { start: s.start, end: s.end, label: labels.intern(&s.label) });
        }
        docs.push((items.intern(&id), spans));
        Ok(())
    })?;
    Ok(docs)
}

/// Calls `each(line number, value)` for every non-blank line of a JSON Lines reader, decoded as `T`; a line that
/// cannot be read or decoded is an error naming the line (and the JSON path inside it).
pub(crate) fn json_lines<T: serde::de::DeserializeOwned>(
    file: &str,
    reader: impl std::io::BufRead,
    mut each: impl FnMut(usize, T) -> Result<(), InputError>,
) -> Result<(), InputError> {
    for (i, raw) in reader.lines().enumerate() {
        let line_no = i + 1;
        let raw = raw.map_err(|e| InputError::at_line(file, line_no, format!("cannot read: {e}")))?;
        if raw.trim().is_empty() {
            continue;
        }
        let value: T = crate::json_path::from_str(&raw).map_err(|e| json_line_error(file, line_no, e))?;
        each(line_no, value)?;
    }
    Ok(())
}

/// Document ids seen so far in one file, with their lines.
#[derive(Default)]
pub(crate) struct DocIds(std::collections::HashMap<String, usize>);

impl DocIds {
    pub(crate) fn first_time(&mut self, id: &str, line: usize) -> Result<(), String> {
        match self.0.insert(id.to_string(), line) {
            Some(first) => Err(format!("document `{id}` appears twice (first on line {first})")),
            None => Ok(()),
        }
    }
}

pub(crate) fn json_line_error(file: &str, line: usize, e: crate::json_path::PathError) -> InputError {
    if e.inner().is_syntax() || e.inner().is_eof() {
        let col = e.inner().column();
        let msg = e.inner().to_string();
        let msg = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]).to_string();
        InputError::new(file, Place::Line { line, column: Some(col) }, format!("invalid JSON: {msg}"))
    } else {
        InputError::from_path_error(file, Some(line), e)
    }
}

/// One document as span JSONL writes it.
pub struct SpanDocOut<'a> {
    /// The document's id.
    pub id: &'a str,
    /// Its text, when known.
    pub text: Option<&'a str>,
    /// Its spans.
    pub spans: &'a [crate::model::SpanRegion],
}

/// Span JSONL, one line per document (spans sorted by start, end, label) — what [`read_span_jsonl`] reads.
pub fn write_span_jsonl(docs: &[SpanDocOut]) -> String {
    let mut out = String::new();
    for d in docs {
        let mut spans: Vec<&crate::model::SpanRegion> = d.spans.iter().collect();
        spans.lean_sort_by(|a, b| (a.start, a.end, &a.label).cmp(&(b.start, b.end, &b.label)));
        let spans: Vec<serde_json::Value> =
            spans.iter().map(|s| serde_json::json!({"start": s.start, "end": s.end, "label": s.label})).collect();
        let mut line = serde_json::json!({"id": d.id, "spans": spans});
        if let Some(t) = d.text {
            line["text"] = serde_json::Value::String(t.to_string());
        }
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}
