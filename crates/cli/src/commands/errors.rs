//! `concord errors --bundle DIR ANNOTATIONS.jsonl [--reference REFERENCE.jsonl]` — error categories of every
//! annotation against its reference (the bundle's gold by default, or e.g. reviewers' fixes), with rule violations
//! from the bundle's rules.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::bundle::parse_annotations;
use concord_engine::errors::{classify, error_report};
use concord_engine::model::TaskResult;
use concord_engine::rules::{validate, Subject};

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
    let (b, rules) = input::bundle(&dir)?;
    let refs: HashMap<String, TaskResult> = match &reference {
        Some(p) => parse_annotations(&p.display().to_string(), &input::read_to_string(p)?, &b.project.schema, None)?
            .into_iter()
            .map(|a| (a.task, a.result))
            .collect(),
        None => b.gold.iter().map(|g| (g.task.clone(), g.result.clone())).collect(),
    };
    let tasks: HashMap<&str, &concord_engine::model::Task> = b.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let records = input::annotation_records(&common.files, &b.project.schema)?;
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
