use concord_engine::model::Task;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub task: Task,
    /// Folder URL of the bundle, to resolve relative image paths.
    pub base: AttrValue,
}

/// Shows a task's data: its image or its text.
#[function_component(TaskView)]
pub fn task_view(props: &Props) -> Html {
    let t = &props.task;
    html! {
        <section class="task" data-task-id={t.id.clone()}>
            <h2>{ format!("Task {}", t.id) }</h2>
            if let Some(src) = &t.data.image {
                <img class="task-image" alt={format!("task {}", t.id)} src={resolve(&props.base, src)}
                     width={t.data.width.map(|w| w.to_string())} height={t.data.height.map(|h| h.to_string())} />
            }
            if let Some(text) = &t.data.text {
                <p class="task-text" lang="en">{ text }</p>
            }
        </section>
    }
}

fn resolve(base: &str, src: &str) -> String {
    web_sys::Url::new_with_base(src, base).map(|u| u.href()).unwrap_or_else(|_| src.to_string())
}
