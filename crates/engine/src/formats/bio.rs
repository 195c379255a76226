//! IOB2 token JSONL: `{"id": ..., "tokens": [...], "tags": ["B-PER", "I-PER", "O", ...]}`, one file per
//! annotator (annotator = file stem). Tags become spans over token indices by `chunks`, with the semantics of
//! conlleval / seqeval's default mode, or seqeval's strict IOB2 mode.

use crate::sorting::LeanSort;
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
pub(crate) fn chunks<'a>(tags: &[&'a str], mode: ChunkMode) -> Result<Vec<(&'a str, u32, u32)>, String> {
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

/// One document's tags as spans over token indices, chunk types interned in `labels`; a bad tag is its index and why.
fn tag_spans(tags: &[&str], mode: ChunkMode, labels: &mut Interner) -> Result<Vec<Span>, (usize, String)> {
    let found = chunks(tags, mode).map_err(|why| (tags.iter().position(|t| split(t).is_err()).unwrap_or(0), why))?;
    Ok(found.into_iter().map(|(ty, s, e)| Span { start: s, end: e, label: labels.intern(ty) }).collect())
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
        let spans = tag_spans(&tags, mode, labels).map_err(|(k, why)| at(&format!("$.tags[{k}]"), why))?;
        docs.push((items.intern(&id), spans));
        Ok(())
    })?;
    Ok(docs)
}

/// Reads a CoNLL-2003 file (what Label Studio's CONLL2003 export writes): an optional `-DOCSTART- -X- O` line,
/// then one token per line with its tag in the last column (`Ann -X- _ B-PER`), documents separated by blank lines.
/// The format names neither the task nor the annotator: documents are numbered `1`, `2`, … in file order, and a
/// file is one annotator's (named by the caller, e.g. by file stem). Tokens are Treebank tokens, so their spans do
/// not map back to character offsets: compare such files with each other, in the same document order.
pub fn read_conll2003(
    file: &str,
    text: &str,
    mode: ChunkMode,
    items: &mut Interner,
    labels: &mut Interner,
) -> Result<Vec<(u32, Vec<Span>)>, InputError> {
    let mut docs = Vec::new();
    // (line of each tag, the tag) of the open document.
    let mut tags: Vec<(usize, &str)> = Vec::new();
    let mut flush = |tags: &mut Vec<(usize, &str)>, docs: &mut Vec<(u32, Vec<Span>)>| -> Result<(), InputError> {
        if tags.is_empty() {
            return Ok(());
        }
        let only: Vec<&str> = tags.iter().map(|(_, t)| *t).collect();
        let spans = tag_spans(&only, mode, labels).map_err(|(k, why)| InputError::at_line(file, tags[k].0, why))?;
        let id = (docs.len() + 1).to_string();
        docs.push((items.intern(&id), spans));
        tags.clear();
        Ok(())
    };
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush(&mut tags, &mut docs)?;
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            flush(&mut tags, &mut docs)?;
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < 2 {
            return Err(InputError::at_line(file, line_no, "expected a token and its tag (`Ann -X- _ B-PER`)"));
        }
        tags.push((line_no, fields[fields.len() - 1]));
    }
    flush(&mut tags, &mut docs)?;
    if docs.is_empty() {
        return Err(InputError::whole(file, "no tokens: not a CoNLL-2003 file"));
    }
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
    fn conll2003_documents_are_numbered_in_order_and_a_bad_line_is_named() {
        let text =
            "-DOCSTART- -X- O\n😀 -X- _ O\nAnn -X- _ B-PER\nLee -X- _ I-PER\nmet -X- _ O\n\nTokyo -X- _ B-LOC\r\n\r\n";
        let (mut items, mut labels) = (Interner::default(), Interner::default());
        let docs = read_conll2003("x.conll", text, ChunkMode::Lenient, &mut items, &mut labels).unwrap();
        let shown: Vec<(String, Vec<(String, u32, u32)>)> = docs
            .iter()
            .map(|(i, spans)| {
                (
                    items.name(*i).to_string(),
                    spans.iter().map(|s| (labels.name(s.label).to_string(), s.start, s.end)).collect(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [("1".to_string(), vec![("PER".to_string(), 1, 3)]), ("2".to_string(), vec![("LOC".to_string(), 0, 1)])]
        );
        let bad = read_conll2003(
            "x.conll",
            "Ann -X- _ B-PER\nLee -X- _ X-PER\n",
            ChunkMode::Lenient,
            &mut items,
            &mut labels,
        );
        assert!(bad.unwrap_err().to_string().contains("line 2"));
        let bad = read_conll2003("x.conll", "Ann\n", ChunkMode::Lenient, &mut items, &mut labels);
        assert!(bad.unwrap_err().to_string().contains("line 1"));
        assert!(read_conll2003("x.conll", "-DOCSTART- -X- O\n\n", ChunkMode::Lenient, &mut items, &mut labels).is_err());
    }

    #[test]
    fn bad_tag_is_an_error() {
        assert!(chunks(&["B-PER", "X-PER"], ChunkMode::Lenient).unwrap_err().contains("`X-PER`"));
        assert!(chunks(&["B-"], ChunkMode::Lenient).is_err());
    }
}

/// Whitespace tokens of `text` as (token, start, end) in code points.
pub fn whitespace_tokens(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(String, usize)> = None;
    for (i, c) in text.chars().enumerate() {
        if c.is_whitespace() {
            if let Some((t, s)) = current.take() {
                out.push((t, s, i));
            }
        } else {
            current.get_or_insert_with(|| (String::new(), i)).0.push(c);
        }
    }
    let n = text.chars().count();
    if let Some((t, s)) = current {
        out.push((t, s, n));
    }
    out
}

/// IOB2 tags for whitespace tokens from code-point spans: a token overlapping a span is tagged with its label
/// (`B-` on the span's first token). IOB2 holds one chunk per token, so a span overlapping an earlier one (nested
/// or crossing) cannot be written: it is left out and counted in the second value.
pub fn iob_tags(tokens: &[(String, usize, usize)], spans: &[crate::model::SpanRegion]) -> (Vec<String>, usize) {
    let mut tags = vec!["O".to_string(); tokens.len()];
    let mut sorted: Vec<&crate::model::SpanRegion> = spans.iter().collect();
    sorted.lean_sort_by(|a, b| (a.start, a.end, &a.label).cmp(&(b.start, b.end, &b.label)));
    let mut dropped = 0;
    for s in sorted {
        let covered: Vec<usize> =
            tokens.iter().enumerate().filter(|(_, t)| t.1 < s.end && s.start < t.2).map(|(k, _)| k).collect();
        if covered.is_empty() || covered.iter().any(|&k| tags[k] != "O") {
            dropped += 1;
            continue;
        }
        for (n, &k) in covered.iter().enumerate() {
            tags[k] = format!("{}-{}", if n == 0 { "B" } else { "I" }, s.label);
        }
    }
    (tags, dropped)
}

/// IOB2 token JSONL (`{"id", "tokens", "tags"}` per line, what [`read_bio_jsonl`] reads) and the same in CoNLL
/// columns (`token<TAB>tag`, a `# id = …` line before each document, a blank line after), from documents of
/// (id, text, spans); and the number of spans IOB2 could not hold.
pub fn write_iob(docs: &[(&str, &str, &[crate::model::SpanRegion])]) -> (String, String, usize) {
    let (mut jsonl, mut conll, mut dropped) = (String::new(), String::new(), 0);
    for (id, text, spans) in docs {
        let tokens = whitespace_tokens(text);
        let (tags, d) = iob_tags(&tokens, spans);
        dropped += d;
        let words: Vec<&str> = tokens.iter().map(|t| t.0.as_str()).collect();
        jsonl.push_str(&serde_json::json!({"id": id, "tokens": words, "tags": tags}).to_string());
        jsonl.push('\n');
        conll.push_str(&format!("# id = {id}\n"));
        for (w, t) in words.iter().zip(&tags) {
            conll.push_str(&format!("{w}\t{t}\n"));
        }
        conll.push('\n');
    }
    (jsonl, conll, dropped)
}
