//! IOB2 token JSONL: `{"id": ..., "tokens": [...], "tags": ["B-PER", "I-PER", "O", ...]}`, one file per
//! annotator (annotator = file stem). Tags become spans over token indices by [`chunks`], with the semantics of
//! conlleval / seqeval's default mode, or seqeval's strict IOB2 mode.

use serde::Deserialize;

use super::span_jsonl::{json_lines, DocIds, IdValue};
use crate::error::{InputError, Place};
use crate::model::{Interner, Span};

/// How invalid IOB2 (an `I-` that does not continue a chunk of its type) is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChunkMode {
    /// conlleval / seqeval default: an `I-X` that cannot continue a chunk starts a new chunk of type X.
    #[default]
    Lenient,
    /// seqeval `mode="strict"` with IOB2: only `B-X I-X*` is a chunk; a stray `I-X` belongs to no chunk.
    Strict,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: IdValue,
    tokens: Vec<String>,
    tags: Vec<String>,
}

/// Splits a tag into (prefix, type): `B-PER` → (`B`, `PER`), `O` → (`O`, ``).
fn split(tag: &str) -> Result<(char, &str), String> {
    if tag == "O" {
        return Ok(('O', ""));
    }
    let mut cs = tag.chars();
    match (cs.next(), cs.next()) {
        (Some(p @ ('B' | 'I' | 'E' | 'S')), Some('-' | '_')) if tag.len() > 2 => Ok((p, &tag[2..])),
        _ => Err(format!("`{tag}` is not an IOB2 tag (O, B-TYPE, I-TYPE)")),
    }
}

/// The chunks of one tag sequence as (type, start, end-exclusive) over token indices.
pub fn chunks<'a>(tags: &[&'a str], mode: ChunkMode) -> Result<Vec<(&'a str, u32, u32)>, String> {
    let mut out = Vec::new();
    // (type, start) of the open chunk.
    let mut open: Option<(&str, usize)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let (prefix, ty) = split(tag)?;
        match prefix {
            'O' => {
                if let Some((t, s)) = open.take() {
                    out.push((t, s as u32, i as u32));
                }
            }
            'B' | 'S' => {
                if let Some((t, s)) = open.take() {
                    out.push((t, s as u32, i as u32));
                }
                open = Some((ty, i));
            }
            _ => {
                // I- (or E-): continues a chunk of the same type, else…
                match open {
                    Some((t, _)) if t == ty => {}
                    _ => {
                        if let Some((t, s)) = open.take() {
                            out.push((t, s as u32, i as u32));
                        }
                        if mode == ChunkMode::Lenient {
                            open = Some((ty, i));
                        }
                    }
                }
            }
        }
        if prefix == 'S' || prefix == 'E' {
            if let Some((t, s)) = open.take() {
                out.push((t, s as u32, i as u32 + 1));
            }
        }
    }
    if let Some((t, s)) = open {
        out.push((t, s as u32, tags.len() as u32));
    }
    Ok(out)
}

/// Reads one file: (item id, spans over token indices) per document, interning ids and chunk types.
pub fn read_bio_jsonl(
    file: &str,
    text: &str,
    mode: ChunkMode,
    items: &mut Interner,
    labels: &mut Interner,
) -> Result<Vec<(u32, Vec<Span>)>, InputError> {
    read_bio_jsonl_from(file, text.as_bytes(), mode, items, labels)
}

/// As [`read_bio_jsonl`], line by line from a reader (large files are never held whole).
pub fn read_bio_jsonl_from(
    file: &str,
    reader: impl std::io::BufRead,
    mode: ChunkMode,
    items: &mut Interner,
    labels: &mut Interner,
) -> Result<Vec<(u32, Vec<Span>)>, InputError> {
    let mut docs = Vec::new();
    let mut seen = DocIds::default();
    json_lines(file, reader, |line_no, line: Line| {
        let at =
            |path: &str, why: String| InputError::new(file, Place::LinePath { line: line_no, path: path.into() }, why);
        let id = line.id.into_string();
        if line.tokens.len() != line.tags.len() {
            return Err(at("$.tags", format!("{} tags for {} tokens", line.tags.len(), line.tokens.len())));
        }
        seen.first_time(&id, line_no).map_err(|why| at("$.id", why))?;
        let tags: Vec<&str> = line.tags.iter().map(String::as_str).collect();
        let found = chunks(&tags, mode).map_err(|why| {
            let k = tags.iter().position(|t| split(t).is_err()).unwrap_or(0);
            at(&format!("$.tags[{k}]"), why)
        })?;
        let spans = found.into_iter().map(|(ty, s, e)| Span { start: s, end: e, label: labels.intern(ty) }).collect();
        docs.push((items.intern(&id), spans));
        Ok(())
    })?;
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(tags: &[&str], mode: ChunkMode) -> Vec<(String, u32, u32)> {
        chunks(tags, mode).unwrap().into_iter().map(|(t, s, e)| (t.to_string(), s, e)).collect()
    }

    #[test]
    fn lenient_starts_a_chunk_at_a_stray_i() {
        assert_eq!(
            c(&["I-PER", "I-PER", "O", "B-LOC"], ChunkMode::Lenient),
            [("PER".into(), 0, 2), ("LOC".into(), 3, 4)]
        );
        assert_eq!(c(&["O", "B-ORG", "I-LOC", "O"], ChunkMode::Lenient), [("ORG".into(), 1, 2), ("LOC".into(), 2, 3)]);
    }

    #[test]
    fn strict_drops_stray_i() {
        assert_eq!(c(&["I-PER", "I-PER", "O", "B-LOC"], ChunkMode::Strict), [("LOC".into(), 3, 4)]);
        assert_eq!(c(&["O", "B-ORG", "I-LOC", "O"], ChunkMode::Strict), [("ORG".into(), 1, 2)]);
        assert_eq!(c(&["B-PER", "I-PER", "B-PER"], ChunkMode::Strict), [("PER".into(), 0, 2), ("PER".into(), 2, 3)]);
    }

    #[test]
    fn bad_tag_is_an_error() {
        assert!(chunks(&["B-PER", "X-PER"], ChunkMode::Lenient).unwrap_err().contains("`X-PER`"));
        assert!(chunks(&["B-"], ChunkMode::Lenient).is_err());
    }
}
