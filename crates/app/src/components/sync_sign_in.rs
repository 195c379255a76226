//! Credentials for the sync server, as the server asks for them: a user and password (HTTP Basic) or, with no user,
//! a token (Bearer). The password field is emptied once sent; the value goes to the caller only.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Gets the `Authorization` value and whether to remember it on this device.
    pub on_sign_in: Callback<(String, bool)>,
    /// Offers "Remember on this device" (otherwise the session keeps it).
    #[prop_or_default]
    pub offer_remember: bool,
}

#[function_component(SyncSignIn)]
pub fn sync_sign_in(props: &Props) -> Html {
    let (user, secret, remember) = (use_state(String::new), use_state(String::new), use_state(|| false));
    let input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let onsubmit = {
        let (user, secret, remember, on) = (user.clone(), secret.clone(), remember.clone(), props.on_sign_in.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let authorization = if user.trim().is_empty() {
                format!("Bearer {}", secret.trim())
            } else {
                concord_engine::sync::basic_authorization(user.trim(), &secret)
            };
            secret.set(String::new());
            on.emit((authorization, *remember));
        })
    };
    let toggle = {
        let remember = remember.clone();
        Callback::from(move |_: Event| remember.set(!*remember))
    };
    html! {
        <form {onsubmit} aria-label="Sync server sign-in">
            <label>{ "User (empty for a token) " }<input value={(*user).clone()} oninput={input(&user)} autocomplete="username" /></label>
            <label>{ "Password or token " }<input type="password" value={(*secret).clone()} oninput={input(&secret)} autocomplete="current-password" /></label>
            if props.offer_remember {
                <label><input type="checkbox" checked={*remember} onchange={toggle} />{ " Remember on this device" }</label>
            }
            <button type="submit">{ "Sign in" }</button>
        </form>
    }
}
