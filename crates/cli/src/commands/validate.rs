//! `concord validate --bundle DIR ANNOTATIONS.jsonl` — every annotation against the bundle's guideline rules:
//! violations grouped by rule and by guideline section (the guideline-specific error rates).
//! `concord validate --rules RULES.json --cuboids SCENE.json` — 3D physics checks on a cuboid scene.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::rules::{parse_cuboids, validate_scene};
use concord_engine::rules::{parse_rules, validate_all, Subject};

use crate::input;
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let (mut rules_path, mut cuboids) = (None::<PathBuf>, None::<PathBuf>);
    let common = super::parse(args, |name, p| {
        match name {
            "rules" => rules_path = Some(PathBuf::from(p.value()?)),
            "cuboids" => cuboids = Some(PathBuf::from(p.value()?)),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    if let Some(scene) = cuboids {
        let rules_path = rules_path.ok_or_else(|| Failure::Input("--cuboids needs --rules RULES.json".into()))?;
        let rules = parse_rules(&rules_path.display().to_string(), &input::read_to_string(&rules_path)?, None)?;
        let scene_name = scene.display().to_string();
        let cuboids = parse_cuboids(&scene_name, &input::read_to_string(&scene)?)?;
        return Ok(crate::to_json(
            &serde_json::json!({"cuboids": cuboids.len(), "violations": validate_scene(&rules, &cuboids)}),
        ));
    }
    let dir =
        common.bundle.clone().ok_or_else(|| Failure::Input("give --bundle DIR (or --rules R --cuboids S)".into()))?;
    let (b, bundle_rules) = input::bundle(&dir)?;
    let rules = match (&rules_path, bundle_rules) {
        (Some(p), _) => parse_rules(&p.display().to_string(), &input::read_to_string(p)?, Some(&b.project.schema))?,
        (None, Some(r)) => r,
        (None, None) => {
            return Err(Failure::Input(format!("{}: the project has no rules file; give --rules", dir.display())))
        }
    };
    let tasks: HashMap<&str, &concord_engine::model::Task> = b.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let predictions: HashMap<&str, &concord_engine::bundle::Prediction> =
        b.predictions.iter().map(|p| (p.task.as_str(), p)).collect();
    let records = input::annotation_records(&common.files, &b.project.schema)?;
    if let Some(r) = records.iter().find(|r| !tasks.contains_key(r.task.as_str())) {
        return Err(Failure::Input(format!("annotation of task `{}`, which the bundle does not have", r.task)));
    }
    let subjects = records.iter().map(|r| Subject {
        task: tasks[r.task.as_str()],
        result: &r.result,
        prediction: predictions.get(r.task.as_str()).copied(),
    });
    Ok(crate::to_json(&validate_all(&rules, subjects)))
}
