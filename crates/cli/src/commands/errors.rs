//! `concord errors --bundle DIR ANNOTATIONS.jsonl [--reference REFERENCE.jsonl]` — error categories of every
//! annotation against its reference (the bundle's gold by default, or e.g. reviewers' fixes), with rule violations
//! from the bundle's rules.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::bundle::{load_bundle, parse_annotations};
use concord_engine::errors::{classify, error_report};
use concord_engine::model::TaskResult;
use concord_engine::rules::{parse_rules, validate, Subject};
use concord_engine::InputError;

use crate::input;
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let mut reference = None::<PathBuf>;
    let common = super::parse(args, |name, p| {
        match name {
            "reference" => reference = Some(PathBuf::from(p.value()?)),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let dir = common.bundle.clone().ok_or_else(|| Failure::Input("--bundle DIR is required".into()))?;
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).map_err(|e| format!("cannot read: {e}"));
    let b = load_bundle(read)?;
    let rules = match &b.project.rules {
        Some(r) => Some(parse_rules(
            &r.path,
            &read(&r.path).map_err(|w| InputError::whole(&r.path, w))?,
            Some(&b.project.schema),
        )?),
        None => None,
    };
    let refs: HashMap<String, TaskResult> = match &reference {
        Some(p) => parse_annotations(&p.display().to_string(), &input::read_to_string(p)?, &b.project.schema, None)?
            .into_iter()
            .map(|a| (a.task, a.result))
            .collect(),
        None => b.gold.iter().map(|g| (g.task.clone(), g.result.clone())).collect(),
    };
    let tasks: HashMap<&str, &concord_engine::model::Task> = b.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut records = Vec::new();
    for f in &common.files {
        records.extend(parse_annotations(
            &f.display().to_string(),
            &input::read_to_string(f)?,
            &b.project.schema,
            None,
        )?);
    }
    let compared = records.iter().filter_map(|r| {
        let reference = refs.get(&r.task)?;
        let task = tasks.get(r.task.as_str())?;
        let violations = rules
            .as_ref()
            .map_or_else(Vec::new, |rs| validate(rs, &Subject { task, result: &r.result, prediction: None }));
        Some((r.annotator.as_str(), classify(&r.result, reference, &violations)))
    });
    Ok(crate::to_json(&error_report(compared)))
}
