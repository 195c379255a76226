//! `concord validate-bundle DIR`: loads a project bundle the way the app does and reports what it holds.

use std::ffi::OsString;

use concord_engine::bundle::load_bundle;
use serde_json::json;

use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let common = super::parse(args, |_, _| Ok(false))?;
    let [dir] = common.files.as_slice() else {
        return Err(Failure::Input("give exactly one bundle folder".into()));
    };
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).map_err(|e| format!("cannot read: {e}"));
    let b = load_bundle(read)?;
    let rules = match &b.project.rules {
        Some(r) => {
            let text = read(&r.path).map_err(|why| concord_engine::InputError::whole(&r.path, why))?;
            Some(concord_engine::rules::parse_rules(&r.path, &text, Some(&b.project.schema))?)
        }
        None => None,
    };
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
