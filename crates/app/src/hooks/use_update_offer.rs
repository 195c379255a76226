//! Whether a new deployment is ready. `www/boot.js` owns the service worker: when a new one has installed beside the
//! running one, it sets `window.concordUpdate` and dispatches `concord-update`; the page applies it by dispatching
//! `concord-apply-update` (the worker takes over, the page reloads) — only when the user asks, and only once the
//! page's work is saved.

use yew::prelude::*;

fn offered() -> bool {
    js_sys::Reflect::get(&gloo::utils::window(), &"concordUpdate".into()).is_ok_and(|v| v.is_truthy())
}

/// `true` once a new version waits (also when it was found before this component mounted).
#[hook]
pub fn use_update_offer() -> bool {
    let ready = use_state(offered);
    {
        let ready = ready.clone();
        use_effect_with((), move |_| {
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "concord-update", move |_| ready.set(true));
            move || drop(listener)
        });
    }
    *ready
}

/// Asks `boot.js` to let the new version take over and reload the page.
pub fn apply_update() {
    if let Ok(event) = web_sys::Event::new("concord-apply-update") {
        let _ = gloo::utils::window().dispatch_event(&event);
    }
}
