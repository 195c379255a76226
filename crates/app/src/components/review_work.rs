//! What the reviewers do with an import: the QC sample's checks and the arbiter's decisions. Both are kept in the
//! browser (localStorage, under the imported files' names and sizes) before they are shown as done, so a reload or
//! a crash loses none; both leave it as files (the final labels CSV, the QC report).

use std::rc::Rc;

use concord_engine::arbitration::Decision;
use concord_engine::qc::QcCheck;
use serde::{de::DeserializeOwned, Serialize};
use yew::prelude::*;

use super::arbitration::ArbitrationPool;
use super::qc_panel::QcPanel;
use crate::import::Imported;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub summary: Imported,
}

fn storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

fn load<T: DeserializeOwned>(key: &str) -> Vec<T> {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn keep<T: Serialize>(key: &str, list: &[T]) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, &serde_json::to_string(list).unwrap_or_default());
    }
}

/// A callback that puts `x` in place of the list's entry for the same item, keeps the list in the browser, and only
/// then shows it.
fn keeping<T: Clone + Serialize + 'static>(
    state: &UseStateHandle<Rc<Vec<T>>>,
    key: String,
    item: fn(&T) -> &str,
) -> Callback<T> {
    let state = state.clone();
    Callback::from(move |x: T| {
        let mut next: Vec<T> = state.iter().filter(|y| item(y) != item(&x)).cloned().collect();
        next.push(x);
        keep(&key, &next);
        state.set(Rc::new(next));
    })
}

#[function_component(ReviewWork)]
pub fn review_work(props: &Props) -> Html {
    let files: Vec<String> = props.summary.files.iter().map(|f| format!("{}:{}", f.name, f.bytes)).collect();
    let signature = files.join("|");
    let decisions_key = format!("concord-arbitration:{signature}");
    let checks_key = format!("concord-qc:{signature}");
    let decisions = use_state({
        let k = decisions_key.clone();
        move || Rc::new(load::<Decision>(&k))
    });
    let checks = use_state({
        let k = checks_key.clone();
        move || Rc::new(load::<QcCheck>(&k))
    });
    let decide = keeping(&decisions, decisions_key, |d: &Decision| &d.item);
    let on_check = keeping(&checks, checks_key, |c: &QcCheck| &c.item);
    html! {
        <>
            <QcPanel summary={props.summary.clone()} decisions={(*decisions).clone()} checks={(*checks).clone()} {on_check} />
            <ArbitrationPool summary={props.summary.clone()} decisions={(*decisions).clone()} {decide} />
        </>
    }
}
