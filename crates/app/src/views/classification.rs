//! Image (or text) classification: one button per label with its hotkey, a type-to-filter picker for long label
//! sets, single choice (a key picks) or multi choice (a key toggles), and the next image preloaded.

use concord_engine::log::Op;
use concord_engine::model::{Control, ControlKind, ControlValue};
use yew::prelude::*;

use super::{label_for_key, resolve, ViewProps};

#[function_component(ClassificationView)]
pub fn classification_view(props: &ViewProps) -> Html {
    let filter = use_state(String::new);
    let session = props.session.0.borrow();
    let controls: Vec<Control> =
        session.project.schema.controls.iter().filter(|c| c.kind.is_choice()).cloned().collect();
    let chosen = |c: &Control| -> Vec<String> {
        match session.result_of(&props.task.id).and_then(|r| r.0.get(&c.name)) {
            Some(ControlValue::Choices(v)) => v.clone(),
            _ => Vec::new(),
        }
    };
    let suggestion = session.predictions.get(&props.task.id).cloned();

    // Hotkeys go to the first choice control.
    {
        let keys = props.keys.clone();
        let on_op = props.on_op.clone();
        let first = controls.first().cloned();
        let current = first.as_ref().map(&chosen).unwrap_or_default();
        use_effect(move || {
            keys.register(Callback::from(move |e: KeyboardEvent| {
                if super::from_text_field(&e) {
                    return;
                }
                let Some(c) = &first else { return };
                if let Some(l) = label_for_key(&c.labels, &e) {
                    e.prevent_default();
                    on_op.emit(choose(c, &current, &l.value));
                }
            }));
        });
    }

    let t = &props.task;
    html! {
        <section class="view classification" data-task-id={t.id.clone()} aria-label="Classification">
            if let Some(src) = &t.data.image {
                // A scan a few pixels wide (8×8 digits) is shown enlarged, its pixels kept square.
                <img class={classes!("task-image", t.data.width.is_some_and(|w| w <= 64.0).then_some("small"))}
                     alt={format!("task {}", t.id)} src={resolve(&props.base, src)}
                     width={t.data.width.map(|w| w.to_string())} height={t.data.height.map(|h| h.to_string())} />
            }
            if let Some(text) = &t.data.text {
                <p class="task-text">{ text }</p>
            }
            if let Some(next) = props.next.as_ref().and_then(|n| n.data.image.clone()) {
                // Preloaded so that the next task shows at once.
                <img class="preload" src={resolve(&props.base, &next)} alt="" aria-hidden="true" loading="eager" />
            }
            { for controls.iter().enumerate().map(|(ci, c)| {
                let current = chosen(c);
                let needle = super::lowercase(&filter);
                let long = c.labels.len() > 10;
                let on_filter = {
                    let filter = filter.clone();
                    Callback::from(move |e: InputEvent| {
                        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                        filter.set(input.value());
                    })
                };
                let visible: Vec<_> = c.labels.iter()
                    .filter(|l| needle.is_empty() || super::lowercase(&l.value).contains(&needle)
                        || super::lowercase(&l.description).contains(&needle))
                    .cloned().collect();
                let on_filter_key = {
                    let on_op = props.on_op.clone();
                    let c = c.clone();
                    let current = current.clone();
                    let first = visible.first().map(|l| l.value.clone());
                    let filter = filter.clone();
                    Callback::from(move |e: KeyboardEvent| {
                        if e.key() == "Enter" {
                            e.prevent_default();
                            e.stop_propagation();
                            if let Some(v) = &first {
                                on_op.emit(choose(&c, &current, v));
                                filter.set(String::new());
                            }
                        } else if e.key() == "Escape" {
                            filter.set(String::new());
                        }
                    })
                };
                let suggested = suggestion.as_ref().and_then(|p| p.scores.get(&c.name)).and_then(|s| s.as_object()).and_then(|m| {
                    m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_f64()?))).max_by(|a, b| a.1.total_cmp(&b.1))
                });
                html! {
                    <fieldset class="choice-control" data-control={c.name.clone()}>
                        <legend>{ if c.prompt.is_empty() { c.name.clone() } else { c.prompt.clone() } }
                            <span class="kind">{ match c.kind { ControlKind::MultiChoice => " (any number)", ControlKind::Rating => " (a rating)", _ => " (one)" } }</span>
                        </legend>
                        if let Some((label, p)) = suggested {
                            <p class="model-suggestion" data-testid="model-suggestion">
                                { format!("Model suggests {label} ({:.0} %)", p * 100.0) }
                            </p>
                        }
                        if long && ci == 0 {
                            <input class="label-filter" type="search" placeholder="Type to filter labels, Enter picks"
                                   aria-label="Filter labels" value={(*filter).clone()} oninput={on_filter} onkeydown={on_filter_key} />
                        }
                        <div class="label-buttons" role="group">
                        { for visible.iter().map(|l| {
                            let on = current.contains(&l.value);
                            let onclick = {
                                let on_op = props.on_op.clone();
                                let c = c.clone();
                                let current = current.clone();
                                let v = l.value.clone();
                                Callback::from(move |_| on_op.emit(choose(&c, &current, &v)))
                            };
                            html! {
                                <button class={classes!("label-button", on.then_some("chosen"))} aria-pressed={on.to_string()}
                                        title={l.description.clone()} onclick={onclick} data-label={l.value.clone()}
                                        style={l.color.as_ref().map(|c| format!("--label: {c}"))}>
                                    if ci == 0 { if let Some(k) = &l.hotkey { <kbd>{ k }</kbd> } }
                                    { &l.value }
                                </button>
                            }
                        }) }
                        </div>
                        if !c.anchors.is_empty() {
                            <ol class="rubric" data-testid="rubric" aria-label="Rubric: examples with their agreed rating">
                                { for c.anchors.iter().map(|a| html! {
                                    <li data-value={a.value.clone()}><b>{ &a.value }</b>{ format!(" — {}: {}", a.example, a.reason) }</li>
                                }) }
                            </ol>
                        }
                    </fieldset>
                }
            }) }
        </section>
    }
}

/// Single choice: the label. Multi choice: the set with the label toggled, in schema order.
fn choose(c: &Control, current: &[String], label: &str) -> Op {
    let labels = if c.kind.is_single() {
        vec![label.to_string()]
    } else {
        let mut set: Vec<String> = current.to_vec();
        match set.iter().position(|l| l == label) {
            Some(i) => {
                set.remove(i);
            }
            None => set.push(label.to_string()),
        }
        c.labels.iter().filter(|l| set.contains(&l.value)).map(|l| l.value.clone()).collect()
    };
    Op::Choose { control: c.name.clone(), labels }
}
