//! Text offsets. Inside Concord every offset is a Unicode code point; the DOM counts UTF-16 code units. The
//! conversion happens here, once, and the app calls it at the boundary.

/// Word characters form tokens; every other non-space character is a token of its own.
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '\''
}

/// The tokens of a text as `[start, end)` code-point ranges: runs of word characters, and each other non-space
/// character alone — the units spans snap to.
pub fn tokens(text: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i].is_whitespace() {
            i += 1;
        } else if is_word(text[i]) {
            let start = i;
            while i < text.len() && is_word(text[i]) {
                i += 1;
            }
            out.push((start, i));
        } else {
            out.push((i, i + 1));
            i += 1;
        }
    }
    out
}

/// The code-point offset of UTF-16 offset `u16_offset` in `text`. An offset inside a surrogate pair (which a
/// DOM selection can produce) maps to the start of that character; offsets past the end map to the end.
pub fn code_point_of_utf16(text: &str, u16_offset: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.chars().enumerate() {
        let next = units + c.len_utf16();
        if u16_offset < next {
            return i;
        }
        units = next;
    }
    text.chars().count()
}

/// The UTF-16 offset of code point `cp` in `text` (the end for offsets past it).
pub fn utf16_of_code_point(text: &str, cp: usize) -> usize {
    text.chars().take(cp).map(char::len_utf16).sum()
}

/// Widens `[start, end)` (code points) to whole tokens and trims whitespace at both ends: what an annotator
/// meant when a drag stopped mid-word. `None` when nothing but whitespace is selected.
pub fn snap_to_tokens(text: &[char], start: usize, end: usize) -> Option<(usize, usize)> {
    let n = text.len();
    let (mut s, mut e) = (start.min(end).min(n), start.max(end).min(n));
    while s < e && text[s].is_whitespace() {
        s += 1;
    }
    while e > s && text[e - 1].is_whitespace() {
        e -= 1;
    }
    if s == e {
        return None;
    }
    if is_word(text[s]) {
        while s > 0 && is_word(text[s - 1]) {
            s -= 1;
        }
    }
    if is_word(text[e - 1]) {
        while e < n && is_word(text[e]) {
            e += 1;
        }
    }
    Some((s, e))
}

/// The token around code point `at` (or the next one after whitespace): `[start, end)`.
pub fn token_at(text: &[char], at: usize) -> Option<(usize, usize)> {
    let mut i = at.min(text.len());
    while i < text.len() && text[i].is_whitespace() {
        i += 1;
    }
    if i >= text.len() {
        return None;
    }
    snap_to_tokens(text, i, i + 1)
}
