//! The widgets behind `concord-qa/widgets`: `<concord-qa-panel>`, `<concord-agreement-matrix>` and
//! `<concord-gold-report>`. `js/widgets.js` defines the custom elements (shadow root, properties, attributes,
//! events); each element mounts one Yew component here into its shadow root and hands it data with `set`.
//!
//! Architecture invariant: no QA logic here. The reports come from the engine (`concord-qa`'s `validate`,
//! `agreement`, `compareToGold`); a widget only lays them out, and says what the user picked.

mod components;
mod inbox;
pub mod shapes;

use wasm_bindgen::prelude::*;

use components::{AgreementMatrix, GoldReport, QaPanel};
use inbox::Inbox;

/// Tells the element that something happened: `emit(type, detail)`; the element dispatches a `CustomEvent`.
#[derive(Clone, PartialEq)]
pub struct Emitter(js_sys::Function);

impl Emitter {
    pub fn emit(&self, kind: &str, detail: &impl serde::Serialize) {
        let detail = detail.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL);
        // The element's handler cannot fail in a way the widget could act on.
        let _ = self.0.call2(&JsValue::NULL, &JsValue::from_str(kind), &detail);
    }
}

enum Mounted {
    Panel(yew::AppHandle<QaPanel>, Inbox<shapes::PanelData>),
    Matrix(yew::AppHandle<AgreementMatrix>, Inbox<shapes::MatrixData>),
    Gold(yew::AppHandle<GoldReport>, Inbox<shapes::GoldData>),
}

/// One mounted widget.
#[wasm_bindgen]
pub struct Widget {
    mounted: Option<Mounted>,
}

/// `mount(kind, root, emit)` — renders widget `kind` ("qa-panel", "agreement-matrix", "gold-report") into `root`.
#[wasm_bindgen]
pub fn mount(kind: &str, root: web_sys::Element, emit: js_sys::Function) -> Result<Widget, JsError> {
    let emit = Emitter(emit);
    let mounted = match kind {
        "qa-panel" => {
            let inbox = Inbox::default();
            let props = components::qa_panel::Props { inbox: inbox.clone(), emit };
            Mounted::Panel(yew::Renderer::<QaPanel>::with_root_and_props(root, props).render(), inbox)
        }
        "agreement-matrix" => {
            let inbox = Inbox::default();
            let props = components::agreement_matrix::Props { inbox: inbox.clone(), emit };
            Mounted::Matrix(yew::Renderer::<AgreementMatrix>::with_root_and_props(root, props).render(), inbox)
        }
        "gold-report" => {
            let inbox = Inbox::default();
            let props = components::gold_report::Props { inbox: inbox.clone(), emit };
            Mounted::Gold(yew::Renderer::<GoldReport>::with_root_and_props(root, props).render(), inbox)
        }
        other => return Err(JsError::new(&format!("unknown widget `{other}`"))),
    };
    Ok(Widget { mounted: Some(mounted) })
}

fn read<T: for<'de> serde::Deserialize<'de>>(data: JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(data).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

#[wasm_bindgen]
impl Widget {
    /// Shows new data: `{violations, heading?}`, `{report, measure?}` or `{report}`, by widget.
    pub fn set(&self, data: JsValue) -> Result<(), JsError> {
        match &self.mounted {
            Some(Mounted::Panel(_, inbox)) => inbox.send(read(data, "qa-panel")?),
            Some(Mounted::Matrix(_, inbox)) => inbox.send(read(data, "agreement-matrix")?),
            Some(Mounted::Gold(_, inbox)) => inbox.send(read(data, "gold-report")?),
            None => return Err(JsError::new("the widget was removed")),
        }
        Ok(())
    }

    /// Unmounts the component (the element left the page).
    pub fn destroy(&mut self) {
        match self.mounted.take() {
            Some(Mounted::Panel(h, _)) => h.destroy(),
            Some(Mounted::Matrix(h, _)) => h.destroy(),
            Some(Mounted::Gold(h, _)) => h.destroy(),
            None => {}
        }
    }
}
