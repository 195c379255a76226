use yew::prelude::*;

/// The bundled demo projects, as links that reopen the app on `?project=`.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub current: AttrValue,
}

const DEMOS: [(&str, &str); 3] =
    [("demo/retail/", "Retail products"), ("demo/news/", "News entities"), ("demo/shelf/", "Shelves and streets")];

#[function_component(ProjectPicker)]
pub fn project_picker(props: &Props) -> Html {
    html! {
        <nav class="project-picker" aria-label="Demo projects">
            { for DEMOS.iter().map(|(path, name)| {
                let current = props.current.trim_end_matches('/') == path.trim_end_matches('/');
                html! {
                    <a href={format!("?project={path}")} aria-current={current.then_some("page")}>{ *name }</a>
                }
            }) }
        </nav>
    }
}
