//! Review work kept in the browser: the work store (IndexedDB, `storage::WorkStore`) opened once per component,
//! and each list of work — verdicts, QC checks, decisions, guideline versions, chosen versions — kept under its own
//! key. An entry is put in place of the one it replaces, the list written, and only then shown; a failed write is
//! reported and what it carried is not shown. Two quick actions both count: each write carries everything before it,
//! and IndexedDB commits them in order.

use std::cell::RefCell;
use std::rc::Rc;

use serde::{de::DeserializeOwned, Serialize};
use yew::prelude::*;

use crate::storage::WorkStore;

/// Something read from storage: still reading, there, or not readable (with why).
#[derive(Debug, Clone, PartialEq)]
pub enum Kept<T> {
    Loading,
    Ready(T),
    Failed(String),
}

impl<T: Clone> Kept<T> {
    pub fn ready(&self) -> Option<T> {
        match self {
            Kept::Ready(t) => Some(t.clone()),
            _ => None,
        }
    }
    pub fn failed(&self) -> Option<&str> {
        match self {
            Kept::Failed(why) => Some(why),
            _ => None,
        }
    }
}

/// The work store, opened once.
#[hook]
pub fn use_work_store() -> Kept<Rc<WorkStore>> {
    let store = use_state(|| Kept::Loading);
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                store.set(match WorkStore::open().await {
                    Ok(s) => Kept::Ready(Rc::new(s)),
                    Err(why) => Kept::Failed(why),
                })
            });
        });
    }
    (*store).clone()
}

/// Saved work as it was found: from IndexedDB, or (work saved by an earlier version of this page) localStorage.
async fn load_list<T: DeserializeOwned>(store: &WorkStore, key: &str) -> Result<Vec<T>, String> {
    let text = match store.get(key).await? {
        Some(t) => t,
        None => match crate::storage::local_storage().and_then(|s| s.get_item(key).ok().flatten()) {
            Some(t) => t,
            None => return Ok(Vec::new()),
        },
    };
    serde_json::from_str(&text).map_err(|e| format!("saved review work under `{key}` cannot be read: {e}"))
}

/// One kept list and how to add to it.
pub struct KeptList<T> {
    pub list: Kept<Rc<Vec<T>>>,
    /// Puts an entry in place of the one `same` matches (or adds it), writes, then shows.
    pub put: Callback<T>,
}

/// The list kept under `key` (read again when the key changes). `same` says which entry a new one replaces; a failed
/// write is told through `problem` (cleared by the next write that succeeds).
#[hook]
pub fn use_kept_list<T>(
    store: &Kept<Rc<WorkStore>>,
    key: String,
    same: fn(&T, &T) -> bool,
    problem: &UseStateHandle<Option<String>>,
) -> KeptList<T>
where
    T: Clone + PartialEq + Serialize + DeserializeOwned + 'static,
{
    let list = use_state(|| Kept::<Rc<Vec<T>>>::Loading);
    // The list as the latest put left it, before its write has committed: the base of the next put.
    let pending: Rc<RefCell<Option<Rc<Vec<T>>>>> = use_mut_ref(|| None);
    let ready = store.ready();
    {
        let (list, pending, key, ready) = (list.clone(), pending.clone(), key.clone(), ready.clone());
        use_effect_with((key.clone(), ready.is_some()), move |_| {
            *pending.borrow_mut() = None;
            match ready {
                Some(store) => {
                    list.set(Kept::Loading);
                    wasm_bindgen_futures::spawn_local(async move {
                        list.set(match load_list::<T>(&store, &key).await {
                            Ok(items) => Kept::Ready(Rc::new(items)),
                            Err(why) => Kept::Failed(why),
                        })
                    });
                }
                None => list.set(Kept::Loading),
            }
        });
    }
    let put = {
        let (list, pending, problem) = (list.clone(), pending.clone(), problem.clone());
        Callback::from(move |x: T| {
            let (Some(store), Some(shown)) = (ready.clone(), list.ready()) else { return };
            let base = pending.borrow().clone().unwrap_or(shown);
            let mut next: Vec<T> = base.iter().filter(|y| !same(y, &x)).cloned().collect();
            next.push(x);
            let text = serde_json::to_string(&next).expect("review work serialises");
            let next = Rc::new(next);
            *pending.borrow_mut() = Some(next.clone());
            let (list, pending, problem, key) = (list.clone(), pending.clone(), problem.clone(), key.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match store.put(&key, text).await {
                    Ok(()) => {
                        list.set(Kept::Ready(next));
                        problem.set(None);
                    }
                    Err(why) => {
                        // Later puts build on what is shown (committed), not on what failed.
                        *pending.borrow_mut() = None;
                        problem.set(Some(format!("Not saved — {why}. The last change is not applied; try again.")));
                    }
                }
            });
        })
    };
    KeptList { list: (*list).clone(), put }
}
