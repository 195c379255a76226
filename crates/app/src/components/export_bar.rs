use concord_engine::formats::label_studio_write::write_label_studio;
use concord_engine::log::{parse_jsonl, submitted_records, write_jsonl};
use concord_engine::model::Task;
use yew::prelude::*;

use crate::state::Notice;
use crate::views::Shared;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub session: Shared,
    pub generation: u64,
    pub tasks: crate::state::LoadedTasks,
    pub on_change: Callback<Option<Notice>>,
    /// A `requeue.jsonl` from the lead was read: the tasks sent back.
    pub on_sent_back: Callback<Vec<concord_engine::routing::RequeueLine>>,
}

/// Work leaves the browser as files: the append-only log (JSONL, importable elsewhere to continue) and the submitted
/// results as a Label Studio export, and in the other tools' formats that fit the project (COCO and CVAT for regions
/// on images; doccano and Prodigy for texts). A log from another device is imported here.
#[function_component(ExportBar)]
pub fn export_bar(props: &Props) -> Html {
    let project_id = props.session.0.borrow().project.id.clone();
    let export_log = {
        let session = props.session.0.clone();
        let id = project_id.clone();
        Callback::from(move |_| {
            let text = write_jsonl(&session.borrow().events);
            crate::download::offer(&format!("{id}-log.jsonl"), &text, "application/x-ndjson");
        })
    };
    const JSON: &str = "application/json";
    let export_ls = exporter(props, "label-studio.json", JSON, |known, records, _| {
        write_label_studio(known, records).map(String::into_bytes)
    });
    // COCO for image projects with boxes or polygons: what detection and segmentation training reads.
    let has_regions = props.session.0.borrow().project.schema.controls.iter().any(|c| {
        matches!(c.kind, concord_engine::model::ControlKind::Boxes | concord_engine::model::ControlKind::Polygons)
    });
    let export_coco = exporter(props, "coco.json", JSON, |known, records, schema| {
        concord_engine::formats::coco::write_coco_records(known, records, schema).map(String::into_bytes)
    });
    let export_cvat = exporter(props, "cvat.xml", "application/xml", |known, records, schema| {
        concord_engine::formats::cvat::write_cvat_records(known, records, schema).map(String::into_bytes)
    });
    // YOLO and Pascal VOC are folders: one ZIP each.
    let export_yolo = exporter(props, "yolo.zip", "application/zip", |known, records, schema| {
        concord_engine::formats::yolo::write_yolo_records(known, records, schema).map(zipped)
    });
    let export_voc = exporter(props, "voc.zip", "application/zip", |known, records, schema| {
        concord_engine::formats::voc::write_voc_records(known, records, schema).map(zipped)
    });
    let has_boxes = props
        .session
        .0
        .borrow()
        .project
        .schema
        .controls
        .iter()
        .any(|c| c.kind == concord_engine::model::ControlKind::Boxes);
    // doccano and Prodigy for text projects with spans, choices or a rating.
    let is_text = {
        let s = props.session.0.borrow();
        s.project.schema.data == concord_engine::model::DataKind::Text
            && concord_engine::formats::text_format_control(&s.project.schema).is_some()
    };
    const JSONL: &str = "application/x-ndjson";
    let export_doccano = exporter(props, "doccano.jsonl", JSONL, |known, records, schema| {
        concord_engine::formats::doccano::write_doccano_records(known, records, schema).map(String::into_bytes)
    });
    let export_prodigy = exporter(props, "prodigy.jsonl", JSONL, |known, records, schema| {
        concord_engine::formats::prodigy::write_prodigy_records(known, records, schema).map(String::into_bytes)
    });
    let import = {
        let (session, on_change) = (props.session.0.clone(), props.on_change.clone());
        text_file(props.on_change.clone(), move |name, text| {
            let notice = match parse_jsonl(&name, &text) {
                Err(e) => Notice::Problem(e.to_string()),
                Ok(events) => {
                    let total = events.len();
                    match session.borrow_mut().import(events) {
                        Ok(added) => Notice::Info(format!("Imported {added} new events of {total} from {name}.")),
                        Err(why) => Notice::Problem(format!("{name}: {why}; nothing was imported")),
                    }
                }
            };
            on_change.emit(Some(notice));
        })
    };
    let import_requeue = {
        let (on_change, on_sent_back) = (props.on_change.clone(), props.on_sent_back.clone());
        text_file(props.on_change.clone(), move |name, text| {
            match concord_engine::routing::parse_requeue(&name, &text) {
                Ok(lines) => on_sent_back.emit(lines),
                Err(e) => on_change.emit(Some(Notice::Problem(e.to_string()))),
            }
        })
    };
    html! {
        <section class="export-bar" aria-label="Files">
            <h2>{ "Files" }</h2>
            <button onclick={export_log} data-testid="export-log">{ "Export my log (JSONL)" }</button>
            <button onclick={export_ls} data-testid="export-ls">{ "Export Label Studio JSON" }</button>
            if has_regions {
                <button onclick={export_coco} data-testid="export-coco">{ "Export COCO JSON" }</button>
                <button onclick={export_cvat} data-testid="export-cvat">{ "Export CVAT XML" }</button>
                <button onclick={export_yolo} data-testid="export-yolo">{ "Export YOLO (zip)" }</button>
            }
            if has_boxes {
                <button onclick={export_voc} data-testid="export-voc">{ "Export Pascal VOC (zip)" }</button>
            }
            if is_text {
                <button onclick={export_doccano} data-testid="export-doccano">{ "Export doccano JSONL" }</button>
                <button onclick={export_prodigy} data-testid="export-prodigy">{ "Export Prodigy JSONL" }</button>
            }
            <label class="import">{ "Import a log: " }
                <input type="file" accept=".jsonl,.json,application/x-ndjson" onchange={import} data-testid="import-log" />
            </label>
            <label class="import">{ "Tasks sent back by the lead (requeue.jsonl): " }
                <input type="file" accept=".jsonl,application/x-ndjson" onchange={import_requeue} data-testid="import-requeue" />
            </label>
        </section>
    }
}

/// A download of the submitted results as `<project>-<suffix>`, written by `write` from the tasks with a submission
/// among the chunks opened in this session; submissions in chunks not opened are counted in a notice (the JSONL log
/// has everything).
fn exporter(
    props: &Props,
    suffix: &'static str,
    mime: &'static str,
    write: fn(
        &[&Task],
        &[concord_engine::bundle::AnnotationRecord],
        &concord_engine::model::Schema,
    ) -> Result<Vec<u8>, concord_engine::formats::WriteError>,
) -> Callback<MouseEvent> {
    let (session, tasks, on_change) = (props.session.0.clone(), props.tasks.clone(), props.on_change.clone());
    Callback::from(move |_| {
        let s = session.borrow();
        let records = submitted_records(&s.replay);
        let all: Vec<&Task> = tasks.iter().flat_map(|c| c.iter()).collect();
        let known: Vec<&Task> = all.iter().copied().filter(|t| records.iter().any(|r| r.task == t.id)).collect();
        let missing = records.iter().filter(|r| !known.iter().any(|t| t.id == r.task)).count();
        // A point-cloud project's boxes and polygons: an image project per camera, a file each (only the 3D mode's
        // build opens one).
        let files: Result<Vec<(String, Vec<u8>)>, _> = match s.project.schema.data {
            #[cfg(feature = "scene")]
            concord_engine::model::DataKind::PointCloud => {
                concord_engine::formats::camera_side::camera_sides(&s.project.schema, &known, &records)
                    .iter()
                    .map(|side| {
                        let side_tasks: Vec<&Task> = side.tasks.iter().collect();
                        let name = format!("{}-{}-{suffix}", s.project.id, side.camera);
                        write(&side_tasks, &side.records, &side.schema).map(|bytes| (name, bytes))
                    })
                    .collect()
            }
            _ => write(&known, &records, &s.project.schema)
                .map(|bytes| vec![(format!("{}-{suffix}", s.project.id), bytes)]),
        };
        match files {
            Ok(files) if files.is_empty() => on_change.emit(Some(Notice::Problem(
                "no boxes or polygons on a camera in this project: its cuboids are exported as KITTI or nuScenes \
                 from the 3D view"
                    .into(),
            ))),
            Ok(files) => {
                for (name, bytes) in files {
                    crate::download::offer_bytes(&name, &bytes, mime);
                }
                if missing > 0 {
                    on_change.emit(Some(Notice::Problem(format!(
                        "{missing} submitted tasks are in chunks not opened in this session and were left out; \
                         the JSONL log has everything"
                    ))));
                }
            }
            Err(why) => on_change.emit(Some(Notice::Problem(why.to_string()))),
        }
    })
}

/// A folder's files as one ZIP archive (stored entries).
fn zipped(files: Vec<(String, String)>) -> Vec<u8> {
    let files: Vec<(String, Vec<u8>)> = files.into_iter().map(|(p, t)| (p, t.into_bytes())).collect();
    concord_engine::formats::zip::write_stored_zip(&files)
}

/// A file input's change handler: reads the chosen file as text and gives `use_text(name, text)` it; a file that
/// cannot be read is reported through `on_change`. The input is cleared, so the same file can be chosen again.
pub(crate) fn text_file(
    on_change: Callback<Option<Notice>>,
    use_text: impl Fn(String, String) + 'static,
) -> Callback<Event> {
    let use_text = std::rc::Rc::new(use_text);
    Callback::from(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        let name = file.name();
        let (on_change, use_text) = (on_change.clone(), use_text.clone());
        input.set_value("");
        wasm_bindgen_futures::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(t) => use_text(name, t.as_string().unwrap_or_default()),
                Err(_) => on_change.emit(Some(Notice::Problem(format!("could not read {name}")))),
            }
        });
    })
}
