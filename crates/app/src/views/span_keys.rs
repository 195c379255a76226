//! The spans view's keys and mouse: the caret and selection by token (Shift+arrows), Tab through spans, a label
//! key that makes or relabels a span (refused, with the reason, when the overlap policy forbids it), Delete, Escape;
//! a mouse selection snapped to tokens, a click that selects the span under it (`spans.rs` renders).

use std::cell::RefCell;
use std::rc::Rc;

use concord_engine::log::{Op, Region};
use concord_engine::model::{snap_to_tokens, token_at};
use concord_engine::model::{Control, SpanRegion};
use yew::prelude::*;

use super::label_for_key;
use super::spans::{add_span, dom_offset, next_token_end, prev_token_start};
use crate::perf;

/// What the handlers act on: the view's state, the text and spans it shows, and the log.
#[derive(Clone)]
pub(super) struct SpanTools {
    pub pending: UseStateHandle<Option<(usize, usize)>>,
    pub selected: UseStateHandle<Option<usize>>,
    pub message: UseStateHandle<String>,
    /// (caret, selection anchor), in code points.
    pub caret: Rc<RefCell<(usize, Option<usize>)>>,
    pub control: Control,
    pub text: Rc<Vec<char>>,
    pub spans: Rc<Vec<SpanRegion>>,
    pub on_op: Callback<Op>,
}

pub(super) fn on_key(t: &SpanTools, e: &KeyboardEvent) {
    if super::from_text_field(e) {
        return;
    }
    let (text, spans, control) = (&t.text, &t.spans, &t.control);
    match e.key().as_str() {
        "ArrowRight" | "ArrowLeft" if !e.alt_key() && !e.ctrl_key() => {
            e.prevent_default();
            let mut c = t.caret.borrow_mut();
            let forward = e.key() == "ArrowRight";
            let next = if forward { next_token_end(text, c.0) } else { prev_token_start(text, c.0) };
            if e.shift_key() {
                let here = c.0;
                let start = if forward { token_at(text, here).map_or(here, |t| t.0) } else { here };
                let anchor = *c.1.get_or_insert(start);
                c.0 = next;
                t.pending.set(snap_to_tokens(text, anchor.min(next), anchor.max(next)));
            } else {
                c.0 = next.min(text.len());
                c.1 = None;
                t.pending.set(None);
            }
            t.selected.set(None);
        }
        "Tab" if !super::from_control(e) => {
            let next = super::tab_to(*t.selected, spans.len(), e.shift_key());
            if next.is_some() {
                e.prevent_default();
                perf::input();
                t.pending.set(None);
            }
            t.selected.set(next);
        }
        "Delete" | "Backspace" => {
            if let Some(i) = *t.selected {
                e.prevent_default();
                t.on_op.emit(Op::Remove { control: control.name.clone(), index: i });
                t.selected.set(None);
            }
        }
        "Escape" => {
            t.pending.set(None);
            t.selected.set(None);
            t.caret.borrow_mut().1 = None;
        }
        _ => {
            let Some(label) = label_for_key(&control.labels, e) else { return };
            e.prevent_default();
            perf::input();
            if let Some(i) = *t.selected {
                let mut s = spans[i].clone();
                s.label = label.value.clone();
                t.on_op.emit(Op::Replace { control: control.name.clone(), index: i, region: Region::Span(s) });
            } else if let Some((a, b)) = *t.pending {
                match add_span(control, spans, a, b, &label.value) {
                    Ok(op) => {
                        t.on_op.emit(op);
                        t.message.set(String::new());
                    }
                    Err(why) => t.message.set(why),
                }
                t.pending.set(None);
                t.caret.borrow_mut().1 = None;
            }
        }
    }
}

/// The mouse released over the text: a click selects the span under it; a selection becomes the pending span,
/// snapped to tokens.
pub(super) fn on_mouseup(t: &SpanTools, text_ref: &NodeRef) {
    let Some(root) = text_ref.cast::<web_sys::Element>() else { return };
    let Some(sel) = gloo::utils::window().get_selection().ok().flatten() else { return };
    let (Some(an), Some(fnode)) = (sel.anchor_node(), sel.focus_node()) else { return };
    let (Some(a), Some(b)) =
        (dom_offset(&root, &an, sel.anchor_offset()), dom_offset(&root, &fnode, sel.focus_offset()))
    else {
        return;
    };
    if a == b {
        let hit = t.spans.iter().position(|s| s.start <= a && a < s.end);
        t.selected.set(hit);
        t.pending.set(None);
        t.caret.borrow_mut().0 = a;
        return;
    }
    let _ = sel.remove_all_ranges();
    t.pending.set(snap_to_tokens(&t.text, a.min(b), a.max(b)));
    t.selected.set(None);
}
