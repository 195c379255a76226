//! Checks on text spans. Offsets are code points; the task's text is indexed once per check.

use super::labels::Hit;
use super::{LabelId, Subject, View};
use crate::model::SpanRegion;
use crate::sorting::LeanSort;

fn chars(s: &Subject) -> Vec<char> {
    s.task.data.text.as_deref().unwrap_or("").chars().collect()
}

use crate::model::text::is_word;

pub(crate) fn token_boundaries(s: &Subject, v: &View, control: &str, hit: &mut Hit) {
    let text = chars(s);
    let n = text.len();
    // A boundary at i: a token starts or ends there.
    let boundary = |i: usize| -> bool {
        if i == 0 || i >= n {
            return true;
        }
        let (a, b) = (text[i - 1], text[i]);
        a.is_whitespace() || b.is_whitespace() || !(is_word(a) && is_word(b))
    };
    for (i, sp) in v.spans().iter().enumerate() {
        let (st, en) = (sp.start, sp.end);
        if en > n {
            hit(Some(control), Some(i), Some(format!("span {st}..{en} is past the end of the text")));
        } else if !boundary(st) || !boundary(en) {
            let shown: String = text[st..en].iter().collect();
            hit(Some(control), Some(i), Some(format!("“{shown}” cuts a word")));
        }
    }
}

pub(crate) fn no_edge_whitespace(s: &Subject, v: &View, control: &str, hit: &mut Hit) {
    let text = chars(s);
    for (i, sp) in v.spans().iter().enumerate() {
        let (st, en) = (sp.start, sp.end.min(text.len()));
        if st >= en {
            continue;
        }
        if text[st].is_whitespace() || text[en - 1].is_whitespace() {
            hit(Some(control), Some(i), Some("leading or trailing whitespace".into()));
        }
    }
}

pub(crate) fn max_length(v: &View, control: &str, label: Option<LabelId>, max: u32, hit: &mut Hit) {
    let spans = v.spans();
    for i in v.selected(label) {
        let sp = &spans[i];
        if sp.end - sp.start > max as usize {
            hit(Some(control), Some(i), Some(format!("{} characters, at most {max}", sp.end - sp.start)));
        }
    }
}

pub(crate) fn no_overlap(view: &View, control: &str, labels: &[String], hit: &mut Hit) {
    let v = view.spans();
    let counts = |sp: &SpanRegion| labels.is_empty() || labels.contains(&sp.label);
    let mut order: Vec<usize> = (0..v.len()).filter(|&i| counts(&v[i])).collect();
    order.lean_sort_by_key(|&i| (v[i].start, v[i].end));
    for w in 0..order.len() {
        for x in w + 1..order.len() {
            let (a, b) = (&v[order[w]], &v[order[x]]);
            if b.start >= a.end {
                break;
            }
            hit(Some(control), Some(order[x]), Some(format!("overlaps {}..{} ({})", a.start, a.end, a.label)));
        }
    }
}

pub(crate) fn regex(
    s: &Subject,
    view: &View,
    control: &str,
    label: &str,
    re: &regex_lite::Regex,
    must_match: bool,
    hit: &mut Hit,
) {
    let v = view.spans();
    if !v.iter().any(|sp| sp.label == label) {
        return;
    }
    let text = chars(s);
    for (i, sp) in v.iter().enumerate().filter(|(_, sp)| sp.label == label) {
        let (st, en) = (sp.start.min(text.len()), sp.end.min(text.len()));
        let piece: String = text[st..en].iter().collect();
        if re.is_match(&piece) != must_match {
            hit(Some(control), Some(i), Some(format!("“{piece}”")));
        }
    }
}
