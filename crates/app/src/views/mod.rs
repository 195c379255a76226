//! One labeling view per modality. A view draws the open task and its current result (borrowed from the
//! session) and turns the annotator's gestures into log operations (`on_op`); it never changes state itself.

mod box_gestures;
pub mod boxes;
pub mod classification;
pub mod image_stage;
mod polygon_gestures;
pub mod polygons;
mod span_keys;
pub mod spans;

use std::cell::RefCell;
use std::rc::Rc;

use concord_engine::log::Op;
use concord_engine::model::{BoxRegion, ControlValue, Label, PolygonRegion, SpanRegion, Task, TaskResult};
use concord_engine::rules::Violation;
use yew::prelude::*;

use crate::session::SessionRef;

pub use boxes::BoxesView;
pub use classification::ClassificationView;
pub use polygons::PolygonsView;
pub use spans::spans_beside;
pub use spans::SpansView;

/// The session, compared by identity (what changed is told by `generation`).
#[derive(Clone)]
pub struct Shared(pub SessionRef);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Where the open view registers its keyboard handler: the app listens on the window and offers every key to
/// the view first; a view that uses a key calls `prevent_default()`.
#[derive(Clone, Default)]
pub struct KeyBus(pub Rc<RefCell<Option<Callback<KeyboardEvent>>>>);

impl PartialEq for KeyBus {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl KeyBus {
    /// Registers `handler` while the calling component is mounted.
    pub fn register(&self, handler: Callback<KeyboardEvent>) {
        *self.0.borrow_mut() = Some(handler);
    }
    pub fn offer(&self, e: &KeyboardEvent) {
        let handler = self.0.borrow().clone();
        if let Some(h) = handler {
            h.emit(e.clone());
        }
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct ViewProps {
    pub session: Shared,
    pub generation: u64,
    pub task: Rc<Task>,
    /// Folder URL of the bundle, to resolve relative image paths.
    pub base: AttrValue,
    pub violations: Rc<Vec<Violation>>,
    pub on_op: Callback<concord_engine::log::Op>,
    pub keys: KeyBus,
    /// The next task, to preload its image.
    #[prop_or_default]
    pub next: Option<Rc<Task>>,
    /// The control an image view edits, by name (a point-cloud frame's camera control); else the schema's first of
    /// the view's kind.
    #[prop_or_default]
    pub control: Option<AttrValue>,
    /// The tasks loaded so far (the 3D view finds the open frame's sequence among them).
    #[cfg(feature = "scene")]
    pub tasks: crate::state::LoadedTasks,
    /// Records an action on another task (another frame of the sequence).
    #[cfg(feature = "scene")]
    pub on_task_op: Callback<(String, concord_engine::log::Op)>,
    /// Opens another task (a frame of the sequence) by id.
    #[cfg(feature = "scene")]
    pub on_open_task: Callback<String>,
}

/// The regions of `control` that a rule flags (their indices), for a view to mark.
pub fn violating_regions(violations: &[Violation], control: &str) -> Vec<usize> {
    violations.iter().filter(|v| v.control.as_deref() == Some(control)).filter_map(|v| v.region).collect()
}

pub fn resolve(base: &str, src: &str) -> String {
    if base == crate::loader::LOCAL_BASE {
        return crate::loader::local_media_url(src).unwrap_or_default();
    }
    web_sys::Url::new_with_base(src, base).map(|u| u.href()).unwrap_or_else(|_| src.to_string())
}

/// The label whose hotkey is the pressed key (no modifier but Shift-less letters and digits).
pub fn label_for_key<'a>(labels: &'a [Label], e: &KeyboardEvent) -> Option<&'a Label> {
    if e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    let key = e.key();
    labels.iter().find(|l| l.hotkey.as_deref() == Some(key.as_str()))
}

pub fn label_color(l: &Label) -> String {
    l.color.clone().unwrap_or_else(|| "#1f6feb".into())
}

/// The text colour that reads on a label's colour (`#rrggbb`): near-black or white, whichever contrasts more by
/// WCAG 2's relative luminance — a project's own colours must not make its labels unreadable.
pub fn label_ink(color: &str) -> &'static str {
    let hex = color.trim_start_matches('#');
    let linear = |i: usize| {
        let c = f64::from(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) })
    };
    match (linear(0), linear(2), linear(4)) {
        (Some(r), Some(g), Some(b)) => {
            let l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
            if (l + 0.05) / 0.05 > 1.05 / (l + 0.05) {
                "#111"
            } else {
                "#fff"
            }
        }
        _ => "#fff",
    }
}

/// `s` in lower case, by the browser's own `String.prototype.toLowerCase` (the full Unicode mapping, as Rust's
/// `to_lowercase`, without shipping Rust's case tables in the page's wasm).
pub fn lowercase(s: &str) -> String {
    String::from(js_sys::JsString::from(s).to_lower_case())
}

/// Whether the key event comes from a text field (where keys are typing, not commands).
pub fn from_text_field(e: &KeyboardEvent) -> bool {
    e.target_dyn_into::<web_sys::HtmlElement>()
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// Whether the key event comes from a control the key operates itself — a field, a button, a link: there Tab moves
/// the focus on, as everywhere on the web, instead of selecting the next region.
pub fn from_control(e: &KeyboardEvent) -> bool {
    from_text_field(e)
        || e.target_dyn_into::<web_sys::HtmlElement>()
            .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY"))
}

/// Whether Enter belongs to the focused control — a field, a link, a button other than a label's: there Enter
/// presses the control; elsewhere (the task, a label button just clicked) Enter submits.
pub fn from_page_control(e: &KeyboardEvent) -> bool {
    from_text_field(e)
        || e.target_dyn_into::<web_sys::HtmlElement>().is_some_and(|el| {
            let labels = el.class_list().contains("label-button") || el.class_list().contains("label-chip");
            matches!(el.tag_name().as_str(), "BUTTON" | "A" | "SUMMARY") && !labels
        })
}

/// The region Tab (or Shift+Tab) selects after `chosen` among `count`; `None` past either end, where the key is
/// left to the browser so that the focus moves on (a keyboard user is never trapped in the view).
pub fn tab_to(chosen: Option<usize>, count: usize, back: bool) -> Option<usize> {
    match (chosen, back) {
        (None, false) => (count > 0).then_some(0),
        (None, true) => count.checked_sub(1),
        (Some(i), false) => (i + 1 < count).then_some(i + 1),
        (Some(i), true) => i.checked_sub(1),
    }
}

/// "Accept pre-annotation": the task's result becomes the model's value for `control`, scores dropped (the
/// annotator vouches for it now); one `set_result` event, undoable like any edit.
pub fn accept_prediction(on_op: &Callback<Op>, control: &str, value: ControlValue) -> Callback<MouseEvent> {
    let (on_op, control) = (on_op.clone(), control.to_string());
    Callback::from(move |_| {
        let value = match value.clone() {
            ControlValue::Spans(v) => {
                ControlValue::Spans(v.into_iter().map(|s| SpanRegion { score: None, ..s }).collect())
            }
            ControlValue::Boxes(v) => {
                ControlValue::Boxes(v.into_iter().map(|b| BoxRegion { score: None, ..b }).collect())
            }
            ControlValue::Polygons(v) => {
                ControlValue::Polygons(v.into_iter().map(|p| PolygonRegion { score: None, ..p }).collect())
            }
            choices => choices,
        };
        let mut result = TaskResult::default();
        result.0.insert(control.clone(), value);
        on_op.emit(Op::SetResult { result });
    })
}

/// A point-cloud project opened in annotator mode, whose build has no 3D view: it moves to the 3D mode (the address
/// is replaced, so Back does not return here). Review mode reads point-cloud batches itself (`scene_review`).
pub fn to_scene_mode() -> concord_engine::error::InputError {
    let location = gloo::utils::window().location();
    let search = location.search().unwrap_or_default();
    let _ = location.replace(&format!("?mode=scene&{}", search.trim_start_matches('?')));
    concord_engine::error::InputError::whole("project.json", "a point-cloud project: opening it in the 3D mode")
}
