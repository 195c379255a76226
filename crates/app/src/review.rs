//! Review mode (`?mode=review`): the lead's side of the workflow. Data comes in as the annotators' files; this
//! page imports them (see `import`) and shows what came in.

use yew::prelude::*;

use crate::components::ImportPanel;

#[function_component(ReviewApp)]
pub fn review_app() -> Html {
    html! {
        <div class="app review">
            <div class="topbar">
                <span class="brand">{ "Concord" }</span>
                <nav class="project-picker" aria-label="Modes">
                    <a href="./">{ "Annotate" }</a>
                    <a href="?mode=review" aria-current="page">{ "Review" }</a>
                </nav>
            </div>
            <main class="review-main">
                <h1>{ "Review annotators' files" }</h1>
                <ImportPanel />
            </main>
        </div>
    }
}
