//! Review mode's first step: annotators' files (Label Studio exports, CSV) dropped or chosen, imported by the
//! import worker with a progress bar, and what came in — files, totals, agreement — or why nothing did.

use concord_engine::sorting::LeanSort;
use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker};
use yew::prelude::*;

use super::charts::{percent, Bar, Bars, Heatmap};
use super::deferred::Deferred;
use crate::import::figures::{AgreementFigures, GoldFigures};
use crate::import::{Imported, Message, SentColumns};
use crate::review::SyncFolder;

#[derive(Clone, PartialEq)]
enum Stage {
    Idle,
    Running {
        file: String,
        index: usize,
        files: usize,
        done: u64,
        total: u64,
    },
    /// The files are read; the bootstrap draws its replicates.
    Intervals {
        done: usize,
        total: usize,
    },
    Done(Imported),
    Failed(String),
}

/// The running worker and its handler (dropped, and the worker stopped, when the import ends or restarts).
#[derive(Default)]
struct Running {
    worker: Option<Worker>,
    _on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(w) = &self.worker {
            w.terminate();
        }
    }
}

/// A worker from its loader file, `www/concord-import_loader.js` (the no-modules glue, then the wasm): fetched on
/// the first import, never before; a file, not a blob: URL, so the CSP needs only `worker-src 'self'`.
pub(crate) fn spawn_worker() -> Result<Worker, String> {
    Worker::new("./concord-import_loader.js").map_err(|e| format!("the import worker did not start: {e:?}"))
}

fn megabytes(n: u64) -> String {
    if n < 1_000_000 {
        format!("{:.1} KB", n as f64 / 1e3)
    } else {
        format!("{:.1} MB", n as f64 / 1e6)
    }
}

#[function_component(ImportPanel)]
pub fn import_panel() -> Html {
    let project = use_context::<crate::review::ProjectContext>().unwrap_or_default();
    // The minimum the pairwise heatmap marks intervals against: the pilot's, else Krippendorff's floor (as the gate).
    let minimum = project.0.as_ref().and_then(|p| p.pilot_min).unwrap_or(0.667);
    // The project's definition goes with the files (after them), for Concord logs.
    let (stage, start) = use_import(project.0.as_ref().map(|p| p.manifest.clone()));
    let disk = use_disk_folder();
    // The sync folder read here and written to by the lead: one chosen on this computer, else the project's.
    let sync_url = disk.url.clone().or_else(|| project.0.as_ref().and_then(|p| p.sync_url.clone()));

    let onchange = {
        let start = start.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            start.emit(files_of(input.files()));
            input.set_value("");
        })
    };
    // A folder of annotators' folders (YOLO: `ann/classes.txt`, `ann/labels/*.txt`): each file goes to the worker
    // named by its path in the folder, which says whose it is.
    let onfolder = {
        let start = start.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            start.emit(files_of(input.files()).into_iter().map(|f| named_by_path(&f)).collect());
            input.set_value("");
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let start = start.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            start.emit(files_of(e.data_transfer().and_then(|d| d.files())));
        })
    };
    html! {
        <section class="import" aria-label="Import annotators' files">
            <div class="import-drop" data-testid="import-drop" {ondragover} {ondrop}>
                <p>{ "Drop annotators' files here — Label Studio exports (.json), CSV (item, annotator, label), Concord logs (.jsonl, with a project), doccano and Prodigy JSONL, CVAT and Pascal VOC XML — or " }
                    <label class="open-folder">{ "choose files…" }
                        <input type="file" multiple={true} accept=".json,.csv,.jsonl,.xml,application/json,text/csv,application/xml"
                               data-testid="import-files" onchange={onchange} />
                    </label>
                </p>
                <p class="hint">
                    <label class="open-folder">{ "Or choose a folder of annotators' folders (YOLO: each with classes.txt and labels/)…" }
                        <input type="file" multiple={true} webkitdirectory={true} data-testid="import-folders" onchange={onfolder} />
                    </label>
                </p>
                <p class="hint">{ "Read on this machine in a background worker, in 4 MB slices: nothing is uploaded." }</p>
            </div>
            if let Some(url) = sync_url.clone() {
                <super::sync_reader::SyncReader url={url} on_files={start.clone()} />
            }
            if crate::disk_folder::available() {
                <p class="hint">
                    <button type="button" onclick={disk.choose.clone()} data-testid="read-disk-folder">{ "Read a sync folder on this computer…" }</button>
                    { " (a shared or synced drive the annotators' outboxes write to)" }
                    if let Some(why) = &disk.problem { <span class="import-error" role="alert">{ format!(" {why}") }</span> }
                </p>
            }
            <ContextProvider<SyncFolder> context={SyncFolder(sync_url.map(AttrValue::from))}>
                { stage_view(&stage, minimum) }
            </ContextProvider<SyncFolder>>
        </section>
    }
}

/// An import in the worker: its stage, and the callback that starts one with the files given (`manifest` goes
/// after them, for Concord logs).
#[hook]
fn use_import(manifest: Option<String>) -> (UseStateHandle<Stage>, Callback<Vec<File>>) {
    let stage = use_state(|| Stage::Idle);
    let running = use_mut_ref(Running::default);
    let imports = use_mut_ref(|| 0u32);
    let start = {
        let stage = stage.clone();
        Callback::from(move |files: Vec<File>| {
            if files.is_empty() {
                return;
            }
            *running.borrow_mut() = Running::default();
            // This import's number: a summary still being rebuilt when another import starts is dropped.
            let this = {
                let mut n = imports.borrow_mut();
                *n += 1;
                *n
            };
            // When the import started, for the benchmark's breakdown (worker started, answer arrived).
            let started = crate::perf::now();
            let worker = match spawn_worker() {
                Ok(w) => w,
                Err(why) => return stage.set(Stage::Failed(why)),
            };
            stage.set(Stage::Running { file: files[0].name(), index: 0, files: files.len(), done: 0, total: 1 });
            let list: js_sys::Array = files.iter().collect();
            if let Some(m) = &manifest {
                list.push(&JsValue::from_str(m));
            }
            let sender = worker.clone();
            let (stage, finished, latest) = (stage.clone(), running.clone(), imports.clone());
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let (message, columns) = read_answer(&e, started);
                match message {
                    Message::Ready => {
                        crate::perf::record("import_worker_started", crate::perf::now() - started);
                        let _ = sender.post_message(&list);
                    }
                    Message::Progress { file, index, files, done, total } => {
                        stage.set(Stage::Running { file, index, files, done, total })
                    }
                    Message::Intervals { done, total } => stage.set(Stage::Intervals { done, total }),
                    Message::Done(s) => {
                        let (stage, finished, latest) = (stage.clone(), finished.clone(), latest.clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            let next_task = || crate::loader::sleep_ms(0);
                            let built = Imported::build(s, columns, next_task).await;
                            if *latest.borrow() != this {
                                return;
                            }
                            stage.set(match built {
                                Ok(imported) => Stage::Done(imported),
                                Err(why) => Stage::Failed(why),
                            });
                            finish(&finished);
                        });
                    }
                    Message::Failed { message } => {
                        stage.set(Stage::Failed(message));
                        finish(&finished);
                    }
                    // Answers to the pilot planner, which runs its own worker.
                    Message::Planning { .. } | Message::Planned(_) => {}
                }
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            *running.borrow_mut() = Running { worker: Some(worker), _on_message: Some(on_message) };
        })
    };
    (stage, start)
}

/// One message of the import worker: JSON text, or for a summary `[JSON text, columns…]` ([`SentColumns`], read
/// later, a step at a time). A summary's arrival and parse are timed for the benchmark (from `started`).
fn read_answer(e: &MessageEvent, started: f64) -> (Message, SentColumns) {
    let t0 = crate::perf::now();
    let data = e.data();
    let columns = SentColumns::of(&data);
    let text = data.as_string().or_else(|| columns.json()).unwrap_or_default();
    let m = match serde_json::from_str::<Message>(&text) {
        Ok(m) => m,
        Err(e) => Message::Failed { message: format!("the import worker's answer could not be read: {e}") },
    };
    if matches!(m, Message::Done(_)) {
        // When the answer arrived, and how long it held this thread (the benchmark reads them).
        crate::perf::record("import_answer_arrived", t0 - started);
        crate::perf::record("import_answer_parse", crate::perf::now() - t0);
    }
    (m, columns)
}

/// A sync folder chosen on this computer for review mode: its `folder:` URL once chosen, why the choice failed,
/// and the button's callback.
struct DiskFolder {
    url: Option<String>,
    problem: Option<String>,
    choose: Callback<MouseEvent>,
}

#[hook]
fn use_disk_folder() -> DiskFolder {
    let url = use_state(|| None::<String>);
    let problem = use_state(|| None::<String>);
    let choose = {
        let (url, problem) = (url.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let (url, problem) = (url.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match crate::disk_folder::choose(crate::sync::REVIEW_SCOPE).await {
                    Ok(handle) => {
                        problem.set(None);
                        url.set(Some(format!("{}{}", crate::disk_folder::DISK_PREFIX, handle.name())));
                    }
                    Err(why) => problem.set(Some(why)),
                }
            });
        })
    };
    DiskFolder { url: (*url).clone(), problem: (*problem).clone(), choose }
}

/// What the import shows at each stage: progress, the error, or the summary with the review work.
fn stage_view(stage: &Stage, minimum: f64) -> Html {
    match stage {
        Stage::Idle => html! {},
        Stage::Running { file, index, files, done, total } => html! {
            <div class="import-progress" aria-live="polite">
                <label for="import-progress">
                    { format!("File {} of {files}: {file} — {} of {}", index + 1, megabytes(*done), megabytes(*total)) }
                </label>
                <progress id="import-progress" data-testid="import-progress" max={total.to_string()} value={done.to_string()}></progress>
            </div>
        },
        Stage::Intervals { done, total } => html! {
            <div class="import-progress" aria-live="polite">
                <label for="import-progress">{ format!("95 % intervals: {done} of {total} bootstrap replicates") }</label>
                <progress id="import-progress" data-testid="import-progress" max={total.to_string()} value={done.to_string()}></progress>
            </div>
        },
        Stage::Failed(message) => {
            html! { <p class="import-error" role="alert" data-testid="import-error">{ message }</p> }
        }
        Stage::Done(s) if s.tracks.is_some() => html! { <>
            { summary(s, minimum) }
            <super::scene_review::SceneReview summary={s.clone()} />
        </> },
        Stage::Done(s) if s.regions.is_some() => html! { <>
            { summary(s, minimum) }
            <super::region_review::RegionReview summary={s.clone()} />
        </> },
        Stage::Done(s) => html! { <>
            { summary(s, minimum) }
            <Deferred><super::review_work::ReviewWork summary={s.clone()} /></Deferred>
            <Deferred><super::model_panel::ModelPanel summary={s.clone()} /></Deferred>
        </> },
    }
}

/// Ends an import: the worker is stopped (its memory freed) once the message that ended it has been handled.
fn finish(running: &Rc<RefCell<Running>>) {
    let running = running.clone();
    wasm_bindgen_futures::spawn_local(async move {
        *running.borrow_mut() = Running::default();
    });
}

/// The file renamed to its path inside the chosen folder (`webkitRelativePath`); the same bytes, not copied.
fn named_by_path(file: &File) -> File {
    let path =
        js_sys::Reflect::get(file, &"webkitRelativePath".into()).ok().and_then(|p| p.as_string()).unwrap_or_default();
    if path.is_empty() {
        return file.clone();
    }
    let options = web_sys::FilePropertyBag::new();
    options.set_type(&file.type_());
    web_sys::File::new_with_blob_sequence_and_options(&js_sys::Array::of1(file), &path, &options)
        .unwrap_or_else(|_| file.clone())
}

fn files_of(list: Option<web_sys::FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

fn figure(value: Option<f64>) -> String {
    value.map_or("–".into(), |x| format!("{x:.3}"))
}

fn summary(s: &Imported, minimum: f64) -> Html {
    let agreement = s.agreement.as_ref().map(|a| {
        let a = &a.figures;
        let interval = super::charts::interval_cell;
        html! {
            <>
            if a.bootstrap.is_none() {
                <p class="hint" data-testid="no-intervals">{ "No intervals: batches above 100,000 labels get none here, to open fast; `concord agreement` computes them (1,000 replicates by default)." }</p>
            }
            <dl class="import-agreement">
                <div><dt>{ "Krippendorff's α (nominal)" }</dt><dd data-figure="alpha">{ figure(a.krippendorff_alpha.nominal) }</dd>
                    { interval(a.krippendorff_alpha_interval.nominal.as_ref(), "alpha") }</div>
                <div><dt>{ "Fleiss' κ" }</dt><dd data-figure="fleiss">{ figure(a.fleiss_kappa) }</dd>
                    { interval(a.fleiss_kappa_interval.as_ref(), "fleiss") }</div>
                <div><dt>{ "Percent agreement" }</dt><dd data-figure="percent">{ figure(a.percent_agreement) }</dd>
                    { interval(a.percent_agreement_interval.as_ref(), "percent") }</div>
                // Numeric labels (a rating scale): how far apart the ratings are, not only whether they match.
                if a.krippendorff_alpha.ordinal.is_some() {
                    <div><dt>{ "α (ordinal)" }</dt><dd data-figure="alpha-ordinal">{ figure(a.krippendorff_alpha.ordinal) }</dd></div>
                    <div><dt>{ "α (interval)" }</dt><dd data-figure="alpha-interval">{ figure(a.krippendorff_alpha.interval) }</dd></div>
                }
                if a.weighted_kappa.quadratic.is_some() {
                    <div><dt>{ "Weighted κ (quadratic)" }</dt><dd data-figure="weighted-kappa">{ figure(a.weighted_kappa.quadratic) }</dd></div>
                }
            </dl>
            </>
        }
    });
    html! {
        <div class="import-summary" data-testid="import-summary">
            <table class="import-files">
                <thead><tr><th>{ "File" }</th><th>{ "Format" }</th><th>{ "Size" }</th><th>{ "Annotators" }</th><th>{ "Labels" }</th></tr></thead>
                <tbody>
                    { for s.files.iter().map(|f| html! {
                        <tr data-file={f.name.clone()}>
                            <td>{ &f.name }</td><td>{ &f.format }</td><td>{ megabytes(f.bytes) }</td>
                            <td>{ f.annotators }</td><td data-figure="annotations">{ f.annotations }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <dl class="import-totals">
                <div><dt>{ "Items" }</dt><dd data-figure="items">{ s.items }</dd></div>
                <div><dt>{ "Annotators" }</dt><dd data-figure="annotators">{ s.annotators }</dd></div>
                <div><dt>{ "Labels given" }</dt><dd data-figure="annotations">{ s.annotations }</dd></div>
                <div><dt>{ if s.regions.is_some() || s.tracks.is_some() { "Region labels" } else { "Classes" } }</dt><dd>{ s.labels.join(", ") }</dd></div>
            </dl>
            { for agreement }
            { dashboard(s, minimum) }
            <p class="hint" data-figure="peak" data-bytes={s.peak_wasm_bytes.to_string()} data-millis={format!("{:.0}", s.millis)}
                data-intervals-millis={format!("{:.0}", s.intervals_millis)}>
                { format!("Imported in {:.1} s; the worker's memory peaked at {}.", s.millis / 1000.0, megabytes(s.peak_wasm_bytes)) }
            </p>
        </div>
    }
}

/// The charts of what came in: agreement between annotators and per label, accuracy on the gold answers with
/// intervals, the confusion against gold, and the consensus (Dawid–Skene) with its download.
fn dashboard(s: &Imported, minimum: f64) -> Html {
    let mut charts = Vec::new();
    if let Some(a) = &s.agreement {
        charts.extend(agreement_charts(&a.figures, minimum));
    }
    if let Some(g) = &s.gold {
        charts.extend(gold_charts(&g.figures));
    }
    if let Some(c) = s.consensus.as_ref().map(|c| &c.figures) {
        let bars: Vec<Bar> = c
            .annotators
            .iter()
            .map(|(name, v)| Bar { label: name.clone(), value: v.accuracy, interval: None, note: percent(v.accuracy) })
            .collect();
        let all = s.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            crate::download::offer("consensus.csv", &all.final_from.to_csv(), "text/csv")
        });
        charts.push(html! {
            <div class="consensus">
                <Bars title="Annotator accuracy estimated by Dawid–Skene (no gold needed)" {bars} testid="chart-ds" />
                <p>{ format!("Consensus for {} items ({} iterations; {} ties). ", s.final_from.labels.len(), c.iterations, c.ties.len()) }
                    <button type="button" data-testid="download-consensus" {onclick}>{ "Download consensus CSV" }</button></p>
            </div>
        });
    }
    // Each chart drawn in a task of its own (a 50-annotator heatmap is 2,500 cells).
    html! { <div class="dashboard" data-testid="dashboard">{ for charts.into_iter().map(|c| html! { <Deferred>{ c }</Deferred> }) }</div> }
}

/// Cohen's κ between every two annotators (hatched where its interval reaches across `minimum`), and specific
/// agreement per label.
fn agreement_charts(a: &AgreementFigures, minimum: f64) -> Vec<Html> {
    let mut charts = Vec::new();
    let mut names: Vec<&str> = a.pairwise.iter().flat_map(|p| [p.a.as_str(), p.b.as_str()]).collect();
    names.lean_sort();
    names.dedup();
    // One lookup per cell (50 annotators: 2,500 cells over 1,225 pairs).
    let by_pair: std::collections::HashMap<(&str, &str), _> = a
        .pairwise
        .iter()
        .flat_map(|p| [((p.a.as_str(), p.b.as_str()), p), ((p.b.as_str(), p.a.as_str()), p)])
        .collect();
    let pair = |x: &str, y: &str| by_pair.get(&(x, y)).copied();
    let values: Vec<Vec<Option<f64>>> = names
        .iter()
        .map(|r| {
            names.iter().map(|c| if r == c { Some(1.0) } else { pair(r, c).and_then(|p| p.cohen_kappa) }).collect()
        })
        .collect();
    // Cells whose κ interval reaches across the minimum: the pair may or may not be below it.
    let uncertain: Vec<Vec<bool>> = names
        .iter()
        .map(|r| {
            names
                .iter()
                .map(|c| {
                    let i = pair(r, c).and_then(|p| p.cohen_kappa_interval);
                    i.is_some_and(|i| i.low < minimum && minimum <= i.high)
                })
                .collect()
        })
        .collect();
    if names.len() >= 2 {
        let title = format!("Pairwise agreement (Cohen's κ); hatched: the 95 % interval reaches across {minimum}");
        let names: Vec<String> = names.into_iter().map(str::to_string).collect();
        charts.push(html! { <Heatmap {title} rows={names.clone()} cols={names} {values} uncertain={Some(uncertain)} testid="chart-pairwise" /> });
    }
    if !a.per_label.is_empty() {
        let bars: Vec<Bar> = a
            .per_label
            .iter()
            .map(|(label, v)| Bar {
                label: label.clone(),
                value: v.specific_agreement,
                interval: None,
                note: format!(
                    "{} · {} labels",
                    v.specific_agreement.map_or("–".into(), |x| format!("{x:.2}")),
                    v.count
                ),
            })
            .collect();
        charts
            .push(html! { <Bars title="Agreement per label (specific agreement)" {bars} testid="chart-per-label" /> });
    }
    charts
}

/// Accuracy on gold per annotator (with Wilson intervals) and the confusion against gold.
fn gold_charts(g: &GoldFigures) -> [Html; 2] {
    let bars: Vec<Bar> = g
        .annotators
        .iter()
        .map(|(name, acc)| Bar {
            label: name.clone(),
            value: acc.accuracy,
            interval: acc.accuracy_ci95,
            note: format!("{} · {}/{}", percent(acc.accuracy), acc.correct, acc.items),
        })
        .collect();
    let accuracy = html! { <Bars title="Accuracy on gold (hidden honeypots), with Wilson 95 % intervals" {bars} testid="chart-gold" /> };
    let labels = g.confusion.labels.clone();
    let matrix = &g.confusion.matrix;
    // The diagonal coloured by the share of its gold row that is right (green when all); off it, an empty cell
    // is grey and a confusion reddens with its share — a red cell is worth a guideline example.
    let values: Vec<Vec<Option<f64>>> = matrix
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let total: u64 = row.iter().sum();
            row.iter()
                .enumerate()
                .map(|(c, n)| {
                    let share = (total > 0).then(|| *n as f64 / total as f64);
                    match share {
                        Some(x) if r == c => Some(x),
                        Some(x) if *n > 0 => Some((0.5 - x).max(0.0)),
                        _ => None,
                    }
                })
                .collect()
        })
        .collect();
    let text: Vec<Vec<String>> = matrix.iter().map(|row| row.iter().map(u64::to_string).collect()).collect();
    let confusion = html! { <Heatmap title="Confusion: gold label (rows) × given label (columns)" rows={labels.clone()} cols={labels} {values} text={Some(text)} testid="chart-confusion" /> };
    [accuracy, confusion]
}
