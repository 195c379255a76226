//! A panel drawn in a task of its own, after its parent: review mode's panels over a million labels each take tens
//! of milliseconds to draw, and drawn together they would hold the page's thread for hundreds (no input, no paint).
//! Wrapped panels wait in one line and are shown one per task, in the order they were mounted, so the page stays
//! responsive between them however many are waiting (timers due at once could otherwise run back to back).

use std::cell::RefCell;
use std::collections::VecDeque;

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// What is drawn once its turn has come.
    pub children: Html,
}

#[function_component(Deferred)]
pub fn deferred(props: &Props) -> Html {
    let shown = use_state(|| false);
    {
        let shown = shown.clone();
        use_effect_with((), move |_| in_turn(move || shown.set(true)));
    }
    if *shown {
        props.children.clone()
    } else {
        html! {}
    }
}

/// `rows` drawn `per_task` at a time, each group [`Deferred`]: a long list's DOM (a page of the arbitration pool
/// is thousands of nodes) built over several tasks instead of one.
pub fn in_groups(rows: impl IntoIterator<Item = Html>, per_task: usize) -> Html {
    let mut groups: Vec<Html> = Vec::new();
    let mut group: Vec<Html> = Vec::with_capacity(per_task);
    for row in rows {
        group.push(row);
        if group.len() == per_task {
            groups.push(html! { <Deferred>{ for group.drain(..) }</Deferred> });
        }
    }
    if !group.is_empty() {
        groups.push(html! { <Deferred>{ for group }</Deferred> });
    }
    groups.into_iter().collect()
}

thread_local! {
    /// What waits to be shown, first mounted first.
    static WAITING: RefCell<VecDeque<Box<dyn FnOnce()>>> = RefCell::default();
}

/// Calls `show` in a later task than this one, and in a task of its own among the waiting: one is taken per turn
/// of the event loop, and its render runs in that turn (yew renders in the task's microtasks).
fn in_turn(show: impl FnOnce() + 'static) {
    let first = WAITING.with(|w| {
        let mut w = w.borrow_mut();
        w.push_back(Box::new(show));
        w.len() == 1
    });
    if first {
        wasm_bindgen_futures::spawn_local(async {
            loop {
                crate::loader::sleep_ms(0).await;
                let Some(show) = WAITING.with(|w| w.borrow_mut().pop_front()) else { break };
                show();
                if WAITING.with(|w| w.borrow().is_empty()) {
                    break;
                }
            }
        });
    }
}
