//! Data for a mounted component from outside Yew. A root component's props cannot be replaced after
//! `Renderer::render`, so the element posts new data here and the component, once it has registered its setter,
//! receives it; data sent before that waits.

use std::cell::RefCell;
use std::rc::Rc;

use yew::Callback;

pub struct Inbox<T>(Rc<RefCell<Slot<T>>>);

struct Slot<T> {
    sink: Option<Callback<T>>,
    pending: Option<T>,
}

impl<T> Default for Inbox<T> {
    fn default() -> Self {
        Inbox(Rc::new(RefCell::new(Slot { sink: None, pending: None })))
    }
}

impl<T> Clone for Inbox<T> {
    fn clone(&self) -> Self {
        Inbox(self.0.clone())
    }
}

/// Props compare inboxes by identity.
impl<T> PartialEq for Inbox<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: 'static> Inbox<T> {
    pub fn send(&self, data: T) {
        let sink = self.0.borrow().sink.clone();
        match sink {
            Some(s) => s.emit(data),
            None => self.0.borrow_mut().pending = Some(data),
        }
    }

    /// Called by the component once mounted; delivers what was sent before.
    pub fn connect(&self, sink: Callback<T>) {
        let pending = {
            let mut slot = self.0.borrow_mut();
            slot.sink = Some(sink.clone());
            slot.pending.take()
        };
        if let Some(d) = pending {
            sink.emit(d);
        }
    }
}

/// State fed by an inbox: `None` until the first data arrives.
#[yew::hook]
pub fn use_inbox<T: 'static>(inbox: &Inbox<T>) -> Option<Rc<T>> {
    let state = yew::use_state(|| None::<Rc<T>>);
    {
        let state = state.setter();
        let inbox = inbox.clone();
        yew::use_effect_with((), move |_| {
            inbox.connect(Callback::from(move |d: T| state.set(Some(Rc::new(d)))));
        });
    }
    (*state).clone()
}
