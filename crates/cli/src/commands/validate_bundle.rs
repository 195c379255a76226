//! `concord validate-bundle DIR`: loads a project bundle the way the app does and reports what it holds.

use std::ffi::OsString;

use serde_json::json;

use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let common = super::parse(args, |_, _| Ok(false))?;
    let [dir] = common.files.as_slice() else {
        return Err(Failure::Input("give exactly one bundle folder".into()));
    };
    let (b, rules) = crate::input::bundle(dir)?;
    Ok(crate::to_json(&json!({
        "ok": true,
        "id": b.project.id,
        "name": b.project.name,
        "tasks": b.tasks.len(),
        "chunks": b.project.tasks.len(),
        "controls": b.project.schema.controls.iter().map(|c| &c.name).collect::<Vec<_>>(),
        "guidelines_version": b.project.guidelines.version,
        "gold": b.gold.len(),
        "predictions": b.predictions.len(),
        "rules": rules.map_or(0, |r| r.len()),
    })))
}
