//! The difference between two versions of a guideline, section by section. Sections are matched by anchor (their
//! heading), so a section whose heading is renamed shows as removed and added.

use serde::Serialize;

use super::sections::{sections, Section};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
/// What happened to a section between two versions.
pub enum SectionChange {
    /// New in the later version.
    Added,
    /// Gone from the later version.
    Removed,
    /// Its text differs.
    Changed,
    /// Its text is the same.
    Unchanged,
}

/// One line of a changed section: kept, removed (only in the old version) or added (only in the new).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", content = "line", rename_all = "snake_case")]
pub enum LineChange {
    /// A line in both versions.
    Kept(String),
    /// A line only the earlier version has.
    Removed(String),
    /// A line only the later version has.
    Added(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// One section's change, with its lines.
pub struct SectionDiff {
    /// The section's title.
    pub title: String,
    /// Its anchor (slug).
    pub anchor: String,
    /// What happened to it.
    pub change: SectionChange,
    /// The section as it is in the new version (the old one for a removed section).
    pub markdown: String,
    /// Line by line, for a changed section.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<LineChange>,
}

/// The sections of `new` in order, each marked added, changed or unchanged against `old`, with the sections only
/// `old` has (removed) placed after the new section that preceded them in `old`.
pub fn diff_guidelines(old: &str, new: &str) -> Vec<SectionDiff> {
    let (old, new) = (sections(old), sections(new));
    let key = |s: &Section| s.anchor.clone();
    let mut out = Vec::new();
    let find = |list: &[Section], k: &str| list.iter().position(|s| key(s) == k);
    // Removed sections go after the last preceding old section that survives.
    let mut removed_after: Vec<(Option<String>, &Section)> = Vec::new();
    let mut last_kept: Option<String> = None;
    for s in &old {
        if find(&new, &key(s)).is_some() {
            last_kept = Some(key(s));
        } else {
            removed_after.push((last_kept.clone(), s));
        }
    }
    let push_removed = |out: &mut Vec<SectionDiff>, after: Option<&str>| {
        for (_, s) in removed_after.iter().filter(|(a, _)| a.as_deref() == after) {
            out.push(SectionDiff {
                title: s.title.clone(),
                anchor: s.anchor.clone(),
                change: SectionChange::Removed,
                markdown: s.markdown.clone(),
                lines: Vec::new(),
            });
        }
    };
    push_removed(&mut out, None);
    for s in &new {
        let diff = match find(&old, &key(s)) {
            None => SectionDiff {
                title: s.title.clone(),
                anchor: s.anchor.clone(),
                change: SectionChange::Added,
                markdown: s.markdown.clone(),
                lines: Vec::new(),
            },
            Some(i) if normalised(&old[i].markdown) == normalised(&s.markdown) => SectionDiff {
                title: s.title.clone(),
                anchor: s.anchor.clone(),
                change: SectionChange::Unchanged,
                markdown: s.markdown.clone(),
                lines: Vec::new(),
            },
            Some(i) => SectionDiff {
                title: s.title.clone(),
                anchor: s.anchor.clone(),
                change: SectionChange::Changed,
                markdown: s.markdown.clone(),
                lines: line_diff(&old[i].markdown, &s.markdown),
            },
        };
        out.push(diff);
        if find(&old, &key(s)).is_some() {
            push_removed(&mut out, Some(&key(s)));
        }
    }
    out
}

/// Trailing blank lines and trailing spaces do not make a change.
fn normalised(s: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = s.lines().map(str::trim_end).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// A line diff by longest common subsequence (O(n·m), fine for a section).
fn line_diff(old: &str, new: &str) -> Vec<LineChange> {
    let (a, b) = (normalised(old), normalised(new));
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(LineChange::Kept(a[i].to_string()));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(LineChange::Removed(a[i].to_string()));
            i += 1;
        } else {
            out.push(LineChange::Added(b[j].to_string()));
            j += 1;
        }
    }
    out
}
