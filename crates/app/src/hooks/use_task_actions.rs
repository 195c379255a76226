//! What the annotator does to the open task: record an action (then save it), submit (refused while an error rule
//! is broken, with the reasons; gold feedback after), and skip (the Skip button and Shift+S).

use std::rc::Rc;

use concord_engine::log::Op;
use concord_engine::model::Task;
use concord_engine::rules::{blocks_submission, Severity};
use yew::prelude::*;

use super::save;
use crate::state::{Action, AppState, Notice};

/// The open task's actions.
#[derive(Clone, PartialEq)]
pub struct TaskCallbacks {
    pub record: Callback<Op>,
    /// Records an action on another task than the open one (the 3D view: a cuboid copied or interpolated into
    /// other frames of the sequence).
    #[cfg(feature = "scene")]
    pub record_on: Callback<(String, Op)>,
    pub submit: Callback<()>,
    pub skip: Callback<()>,
}

#[hook]
pub fn use_task_actions(state: &UseReducerHandle<AppState>, task: &Option<Rc<Task>>) -> TaskCallbacks {
    let record = {
        let state = state.clone();
        let task_id = task.as_ref().map(|t| t.id.clone());
        Callback::from(move |op: Op| {
            let (Some(session), Some(task)) = (state.session.clone(), task_id.clone()) else { return };
            let outcome = session.borrow_mut().record(&task, op);
            match outcome {
                Ok(()) => {
                    state.dispatch(Action::Changed(None));
                    save(&session, &state);
                }
                Err(why) => state.dispatch(Action::Changed(Some(Notice::Problem(why)))),
            }
        })
    };
    #[cfg(feature = "scene")]
    let record_on = {
        let state = state.clone();
        Callback::from(move |(task, op): (String, Op)| {
            let Some(session) = state.session.clone() else { return };
            let outcome = session.borrow_mut().record(&task, op);
            match outcome {
                Ok(()) => {
                    state.dispatch(Action::Changed(None));
                    save(&session, &state);
                }
                Err(why) => state.dispatch(Action::Changed(Some(Notice::Problem(format!("task {task}: {why}"))))),
            }
        })
    };
    let submit = {
        let (state, task, record) = (state.clone(), task.clone(), record.clone());
        Callback::from(move |_: ()| {
            let (Some(session), Some(task)) = (state.session.clone(), task.clone()) else { return };
            let violations = session.borrow().violations(&task);
            if blocks_submission(&violations) {
                let reasons = violations
                    .iter()
                    .filter(|v| v.severity == Severity::Error)
                    .map(|v| format!("{} — {}", v.rule, v.message))
                    .collect();
                state.dispatch(Action::Changed(Some(Notice::Blocked(reasons))));
                return;
            }
            let warnings = violations.iter().map(|v| v.rule.clone()).collect::<Vec<_>>();
            let outcome = session.borrow_mut().record(&task.id, Op::Submit { warnings });
            match outcome {
                Ok(()) => {
                    let feedback = session.borrow().gold_feedback(&task.id).map(Notice::Gold);
                    state.dispatch(Action::Advance { to: state.position + 1, notice: feedback });
                    save(&session, &state);
                }
                Err(why) => record.emit(Op::Flag { unsure: false, comment: why }),
            }
        })
    };
    let skip = {
        let (record, state) = (record.clone(), state.clone());
        Callback::from(move |_: ()| {
            record.emit(Op::Skip);
            state.dispatch(Action::GoTo(state.position + 1));
        })
    };
    TaskCallbacks {
        record,
        #[cfg(feature = "scene")]
        record_on,
        submit,
        skip,
    }
}
