//! The schema's overlap policy for spans, applied when an annotator adds or changes a span.

use crate::model::{OverlapPolicy, SpanRegion};

/// The index of an existing span that `[start, end)` may not coexist with under `policy` (ignoring span
/// `except`, the one being changed), or `None` when the new span is allowed.
pub fn overlap_conflict(
    policy: OverlapPolicy,
    spans: &[SpanRegion],
    start: usize,
    end: usize,
    except: Option<usize>,
) -> Option<usize> {
    spans.iter().enumerate().filter(|(i, _)| Some(*i) != except).find_map(|(i, s)| {
        let overlaps = s.start < end && start < s.end;
        let nested = (s.start <= start && end <= s.end) || (start <= s.start && s.end <= end);
        let same = s.start == start && s.end == end;
        let bad = match policy {
            OverlapPolicy::Forbid => overlaps,
            // Nested spans may share a boundary but not be identical ranges, and may not cross.
            OverlapPolicy::Nested => overlaps && (!nested || same),
            OverlapPolicy::Allow => false,
        };
        bad.then_some(i)
    })
}
