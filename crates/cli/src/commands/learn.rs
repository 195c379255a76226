//! `concord learn --bundle DIR LABELS... --out DIR/ [--control C] [--regions FILE]` — the online learner the app
//! trains, trained on the labels in the order they were made (logs replayed by time, exports in file order): the
//! model and its predictions for every task of the bundle (a region labeller's: its labels for the regions of
//! `--regions`, or else of the labels given), and its accuracy on the bundle's gold.

use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::bundle::load_embeddings;
use concord_engine::learn::{labels_in_order, train, ProjectLearner, Sample};
use concord_engine::model::{Schema, Stamps, TaskResult};
use lexopt::ValueExt;
use serde_json::json;

use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut out = None::<PathBuf>;
    let mut curve = Vec::<usize>::new();
    let mut features_out = None::<PathBuf>;
    let mut gold_first = false;
    let mut regions_file = None::<PathBuf>;
    let common = super::parse(args, |option, p| {
        match option {
            "out" => out = Some(PathBuf::from(p.value()?)),
            "features" => features_out = Some(PathBuf::from(p.value()?)),
            "gold-first" => gold_first = true,
            "regions" => regions_file = Some(PathBuf::from(p.value()?)),
            "curve" => {
                let v = p.value()?.string()?;
                curve = v
                    .split(',')
                    .map(|x| x.trim().parse::<usize>().ok().filter(|&n| n > 0))
                    .collect::<Option<_>>()
                    .ok_or_else(|| {
                        Failure::Input(format!("--curve: `{v}` is not a list of label counts, e.g. 100,500,2000"))
                    })?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let out = out.ok_or_else(|| Failure::Input("--out DIR is required: where the model and predictions go".into()))?;
    let dir = common.bundle.clone().ok_or_else(|| Failure::Input("--bundle DIR is required: the project".into()))?;
    if common.files.is_empty() && !gold_first {
        return Err(Failure::Input(
            "no labels to learn from: give Concord logs or annotation exports (or --gold-first)".into(),
        ));
    }
    let (b, _) = crate::input::bundle(&dir)?;
    let embeddings = load_embeddings(&b.project, &b.tasks, |path| {
        std::fs::read(dir.join(path)).map_err(|e| format!("cannot read: {e}"))
    })?;
    let mut learner = ProjectLearner::for_project(&b.project, common.control.as_deref())
        .map_err(|why| Failure::Input(format!("{}: {why}", dir.display())))?;
    let labels =
        if common.files.is_empty() { Vec::new() } else { labels_of(&common, &b.project.schema, learner.control())? };
    if let Some(n) = curve.iter().find(|n| **n > labels.len()) {
        return Err(Failure::Input(format!("--curve {n}: there are only {} labels", labels.len())));
    }
    // The app's warm-up: the bundle's training gold, in file order, before the labels.
    let gold: Vec<(String, TaskResult)> =
        if gold_first { b.gold.iter().map(|g| (g.task.clone(), g.result.clone())).collect() } else { Vec::new() };
    let warm = train(&mut learner, &b.tasks, embeddings.as_ref(), &gold, &[], &[]).map_err(Failure::Input)?;
    let training =
        train(&mut learner, &b.tasks, embeddings.as_ref(), &labels, &b.gold, &curve).map_err(Failure::Input)?;
    let (learned, points) = (warm.learned + training.learned, training.curve);
    // A region labeller labels regions already drawn: those of --regions (results in the gold's format, e.g. a
    // detector's boxes or a task as it is on screen), else those of the labels given.
    let regions: Vec<(String, TaskResult)> = match &regions_file {
        Some(path) => {
            if !matches!(learner, ProjectLearner::Regions { .. }) {
                return Err(Failure::Input(format!(
                    "--regions: control `{}` is not a boxes or polygons control; only a region labeller labels regions",
                    learner.control()
                )));
            }
            let text = std::fs::read_to_string(path).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
            let items =
                concord_engine::bundle::parse_gold(&path.display().to_string(), &text, &b.project.schema, None)?;
            let known: std::collections::HashSet<&str> = b.tasks.iter().map(|t| t.id.as_str()).collect();
            if let Some((k, g)) = items.iter().enumerate().find(|(_, g)| !known.contains(g.task.as_str())) {
                return Err(Failure::Input(format!(
                    "{}: result {} is for task `{}`, which the bundle does not have",
                    path.display(),
                    k + 1,
                    g.task
                )));
            }
            items.into_iter().map(|g| (g.task, g.result)).collect()
        }
        None => labels.clone(),
    };
    let predictions = learner.predictions_of(&b.tasks, embeddings.as_ref(), &regions);
    if let (Some(path), ProjectLearner::Regions { .. }) = (&features_out, &learner) {
        // A region labeller's examples: every region of the labels given, in order, then every gold region.
        let by_id: std::collections::HashMap<&str, &concord_engine::model::Task> =
            b.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
        let mut lines = String::new();
        let sets =
            labels.iter().map(|(t, r)| ("labels", t, r)).chain(b.gold.iter().map(|g| ("gold", &g.task, &g.result)));
        for (record, (set, task, result)) in sets.enumerate() {
            let Some(t) = by_id.get(task.as_str()) else { continue };
            let examples = learner.region_examples(Sample::of(t, embeddings.as_ref()), result).unwrap_or_default();
            for (region, (x, label)) in examples.into_iter().enumerate() {
                let row = json!({"set": set, "record": record, "task": task, "region": region, "label": label, "x": x});
                lines.push_str(&(serde_json::to_string(&row).expect("features serialise") + "\n"));
            }
        }
        std::fs::write(path, lines).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
    } else if let Some(path) = &features_out {
        let lines: Option<String> = b
            .tasks
            .iter()
            .map(|t| {
                let x = learner.features(Sample::of(t, embeddings.as_ref()))?;
                Some(serde_json::to_string(&json!({"task": t.id, "x": x})).expect("features serialise") + "\n")
            })
            .collect();
        let lines = lines.ok_or_else(|| {
            Failure::Input(format!(
                "--features: control `{}` is learned by a tagger, whose features are per token; a classifier's and a region labeller's are written",
                learner.control()
            ))
        })?;
        std::fs::write(path, lines).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
    }
    let evaluation = learner.evaluate(&b.tasks, embeddings.as_ref(), &b.gold);
    // The queue as annotator mode's "most uncertain first" orders it after the same labels: the tasks not labeled,
    // least sure first (`ProjectLearner::rank_by_uncertainty`), then the labeled.
    let labeled = {
        let at: std::collections::HashMap<&str, usize> =
            b.tasks.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        let mut labeled = vec![false; b.tasks.len()];
        for (task, _) in gold.iter().chain(&labels) {
            if let Some(&i) = at.get(task.as_str()) {
                labeled[i] = true;
            }
        }
        labeled
    };
    let index = learner.text_index(&b.tasks);
    let order = learner.rank_by_uncertainty(&b.tasks, embeddings.as_ref(), index.as_ref(), &[], &labeled);
    let queue = serde_json::to_string(&json!({
        "order": order.iter().map(|&i| b.tasks[i].id.as_str()).collect::<Vec<_>>(),
        "labeled": labeled.iter().filter(|l| **l).count(),
    }))
    .expect("a queue serialises");
    let model = learner.model_json();
    super::bundle::check_empty(&out)?;
    let files = vec![
        ("model.json".to_string(), model),
        ("predictions.jsonl".to_string(), predictions),
        ("queue.json".to_string(), queue),
    ];
    super::bundle::write_files(&out, &files)?;
    Ok(crate::to_json(&json!({
        "control": learner.control(),
        "labels": labels.len(),
        "learned": learned,
        "gold": evaluation,
        "curve": points,
        "files": files.iter().map(|(p, _)| out.join(p)).collect::<Vec<_>>(),
    })))
}

/// The labels of the command line's files, in the order they were made: Concord logs (replayed by time) and
/// annotation exports (in file order); or, when none of the files is Concord's, any table of choice labels the CLI
/// reads (CSV, Label Studio, …), in file order, as results of `control`.
fn labels_of(common: &super::Common, schema: &Schema, control: &str) -> Result<Vec<(String, TaskResult)>, Failure> {
    use crate::input::format_of;
    use concord_engine::formats::Format;
    let concord = common
        .files
        .iter()
        .map(|f| Ok(matches!(format_of(f, None)?, Format::ConcordLog | Format::Concord)))
        .collect::<Result<Vec<bool>, Failure>>()?;
    if concord.iter().any(|c| *c) {
        let records = crate::input::records_of(&common.files, schema)?;
        return Ok(records.into_iter().map(|r| (r.task, r.result)).collect());
    }
    let table = crate::input::categorical(
        common,
        "expected Concord logs or annotation exports, or choice labels (CSV, Label Studio); spans and regions are \
         learned from Concord's files",
    )?;
    Ok(labels_in_order(&table, &Stamps::default(), control))
}
