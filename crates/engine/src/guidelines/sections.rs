//! A guideline's sections.

use serde::Serialize;

/// Lowercase letters and digits, words joined by `-` (GitHub's anchor style, without its de-duplication).
pub fn slug(text: &str) -> String {
    let mut s = String::new();
    for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !s.is_empty() {
            s.push('-');
        }
        s.extend(w.chars().flat_map(char::to_lowercase));
    }
    s
}

/// One section: its heading text (empty for what precedes the first heading), anchor (`#` + slug), heading level
/// and Markdown — the heading line included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// The heading's text.
    pub title: String,
    /// The heading's anchor (slug).
    pub anchor: String,
    /// The heading's level (1 for `#`).
    pub level: usize,
    /// The section's Markdown, heading included.
    pub markdown: String,
}

/// Splits a guideline at its ATX headings outside code fences.
pub fn sections(markdown: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut fenced = false;
    for line in markdown.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
        }
        let hashes = t.len() - t.trim_start_matches('#').len();
        let heading = !fenced && (1..=6).contains(&hashes) && t[hashes..].starts_with(' ');
        if heading || out.is_empty() {
            let title =
                if heading { t[hashes..].trim().trim_end_matches('#').trim().to_string() } else { String::new() };
            let anchor = if title.is_empty() { String::new() } else { format!("#{}", slug(&title)) };
            out.push(Section { title, anchor, level: if heading { hashes } else { 0 }, markdown: String::new() });
        }
        let body = &mut out.last_mut().expect("pushed").markdown;
        body.push_str(line);
        body.push('\n');
    }
    out
}
