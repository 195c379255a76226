//! `concord learn --bundle DIR LABELS... --out DIR/ [--control C]` — the online learner the app trains, trained on
//! the labels in the order they were made (logs replayed by time, exports in file order): the model and its
//! predictions for every task of the bundle, and its accuracy on the bundle's gold.

use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::bundle::load_embeddings;
use concord_engine::learn::{ProjectLearner, Sample};
use lexopt::ValueExt;
use serde_json::json;

use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut out = None::<PathBuf>;
    let mut curve = Vec::<usize>::new();
    let mut features_out = None::<PathBuf>;
    let mut gold_first = false;
    let common = super::parse(args, |option, p| {
        match option {
            "out" => out = Some(PathBuf::from(p.value()?)),
            "features" => features_out = Some(PathBuf::from(p.value()?)),
            "gold-first" => gold_first = true,
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
    if common.files.is_empty() {
        return Err(Failure::Input("no labels to learn from: give Concord logs or annotation exports".into()));
    }
    let (b, _) = crate::input::bundle(&dir)?;
    let records = crate::input::records_of(&common.files, &b.project.schema)?;
    let embeddings = load_embeddings(&b.project, &b.tasks, |path| {
        std::fs::read(dir.join(path)).map_err(|e| format!("cannot read: {e}"))
    })?;
    let mut learner = ProjectLearner::for_project(&b.project, common.control.as_deref())
        .map_err(|why| Failure::Input(format!("{}: {why}", dir.display())))?;
    let tasks: std::collections::HashMap<&str, &concord_engine::model::Task> =
        b.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut learned = 0;
    let mut points = Vec::new();
    // The app's warm-up: the bundle's training gold, in file order, before the labels.
    let gold: Vec<concord_engine::bundle::AnnotationRecord> = if gold_first {
        b.gold
            .iter()
            .map(|g| concord_engine::bundle::AnnotationRecord {
                task: g.task.clone(),
                annotator: String::new(),
                result: g.result.clone(),
                guideline_version: String::new(),
            })
            .collect()
    } else {
        Vec::new()
    };
    for g in &gold {
        let task = tasks.get(g.task.as_str()).ok_or_else(|| Failure::Input(format!("gold for unknown task `{}`", g.task)))?;
        learned += usize::from(learner.learn(Sample::of(task, embeddings.as_ref()), &g.result));
    }
    for (seen, r) in records.iter().enumerate() {
        let task = tasks.get(r.task.as_str()).ok_or_else(|| {
            Failure::Input(format!("an annotation of task `{}`, which the bundle does not have", r.task))
        })?;
        learned += usize::from(learner.learn(Sample::of(task, embeddings.as_ref()), &r.result));
        if curve.contains(&(seen + 1)) {
            points.push(json!({"labels": seen + 1, "gold": learner.evaluate(&b.tasks, embeddings.as_ref(), &b.gold)}));
        }
    }
    if let Some(n) = curve.iter().find(|n| **n > records.len()) {
        return Err(Failure::Input(format!("--curve {n}: there are only {} labels", records.len())));
    }
    let predictions: String = b
        .tasks
        .iter()
        .filter_map(|t| learner.predict(Sample::of(t, embeddings.as_ref())))
        .map(|p| serde_json::to_string(&p).expect("predictions serialise") + "\n")
        .collect();
    if let Some(path) = &features_out {
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
                "--features: control `{}` is learned by a tagger, whose features are per token; only a classifier's are written",
                learner.control()
            ))
        })?;
        std::fs::write(path, lines).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
    }
    let evaluation = learner.evaluate(&b.tasks, embeddings.as_ref(), &b.gold);
    let model = serde_json::to_string(&learner.export()).expect("the model serialises") + "\n";
    super::bundle::check_empty(&out)?;
    let files = vec![("model.json".to_string(), model), ("predictions.jsonl".to_string(), predictions)];
    super::bundle::write_files(&out, &files)?;
    Ok(crate::to_json(&json!({
        "control": learner.control(),
        "labels": records.len(),
        "learned": learned,
        "gold": evaluation,
        "curve": points,
        "files": files.iter().map(|(p, _)| out.join(p)).collect::<Vec<_>>(),
    })))
}
