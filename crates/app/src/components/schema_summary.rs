use concord_engine::model::{ControlKind, DataKind, Schema};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub schema: Schema,
}

fn kind_name(k: ControlKind) -> &'static str {
    match k {
        ControlKind::SingleChoice => "single choice",
        ControlKind::MultiChoice => "multiple choice",
        ControlKind::Rating => "rating scale",
        ControlKind::Spans => "entity spans",
        ControlKind::Boxes => "2D boxes",
        ControlKind::Polygons => "polygons (segmentation)",
        ControlKind::Cuboids => "3D cuboids",
    }
}

/// What the project shows and asks for, with each label's hotkey.
#[function_component(SchemaSummary)]
pub fn schema_summary(props: &Props) -> Html {
    let data = match props.schema.data {
        DataKind::Image => "images",
        DataKind::Text => "text",
        DataKind::PointCloud => "LiDAR point clouds",
    };
    html! {
        <section class="schema" aria-label="Schema">
            <h2>{ "Schema" }</h2>
            <p>{ format!("Tasks show {data}.") }</p>
            { for props.schema.controls.iter().map(|c| html! {
                <div class="control" data-control={c.name.clone()}>
                    <h3>{ &c.name }<span class="kind">{ kind_name(c.kind) }</span></h3>
                    <ul class="labels">
                        { for c.labels.iter().map(|l| html! {
                            <li style={l.color.as_ref().map(|col| format!("border-color:{col}"))}>
                                if let Some(k) = &l.hotkey { <kbd>{ k }</kbd> }
                                { &l.value }
                            </li>
                        }) }
                    </ul>
                </div>
            }) }
        </section>
    }
}
