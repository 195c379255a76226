//! "A new version is ready — Reload": shown, never forced. Reloading waits until the page's work is saved; while a
//! save has failed, it is refused with what to do instead.

use yew::prelude::*;

use crate::hooks::{apply_update, use_update_offer};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Every change the page has made is stored (nothing pending).
    pub saved: bool,
    /// A save failed: reloading would lose what this tab alone holds.
    #[prop_or_default]
    pub failed: bool,
}

#[function_component(UpdateBanner)]
pub fn update_banner(props: &Props) -> Html {
    let offered = use_update_offer();
    let asked = use_state(|| false);
    // Asked while a save was pending: reload once it lands.
    use_effect_with((*asked, props.saved, props.failed), |(asked, saved, failed)| {
        if *asked && *saved && !*failed {
            apply_update();
        }
    });
    if !offered {
        return html! {};
    }
    let onclick = {
        let asked = asked.clone();
        Callback::from(move |_: MouseEvent| asked.set(true))
    };
    let note = match (*asked, props.saved, props.failed) {
        (true, _, true) => "Your last changes could not be saved: export your log before reloading.",
        (true, false, false) => "Saving your work first…",
        _ => "A new version of Concord is ready.",
    };
    html! {
        <div class="update-banner" role="status" data-testid="update-banner">
            <span>{ note }</span>
            <button type="button" {onclick} disabled={*asked && !props.failed}>{ "Reload" }</button>
        </div>
    }
}
