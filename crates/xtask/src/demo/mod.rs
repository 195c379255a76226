//! The bundled demo projects, generated deterministically (same bytes on every run, on every machine) from a
//! seeded generator: no downloads, no clock. `cargo xtask demo` rewrites `www/demo/`; a test checks that the
//! committed files are exactly what this code generates and that the engine accepts every bundle.

mod aerial;
mod digits;
mod news;
mod retail;
mod shelf;
pub mod street;
mod tickets;

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde_json::{json, Value};

/// A bundle being generated.
#[derive(Default)]
pub struct Files {
    /// Relative path → text content.
    pub text: BTreeMap<String, String>,
    /// Relative path → binary content (embeddings).
    pub binary: BTreeMap<String, Vec<u8>>,
    /// Task id → its true result, for every task the generator knows the answer of (not written: what
    /// `cargo xtask crowd` simulates annotators from).
    pub truth: BTreeMap<String, Value>,
}

impl Files {
    pub fn bytes(&mut self, path: impl Into<String>, content: Vec<u8>) {
        self.binary.insert(path.into(), content);
    }
    pub fn truth(&mut self, task: &str, result: Value) {
        self.truth.insert(task.to_string(), result);
    }
    pub fn add(&mut self, path: impl Into<String>, content: impl Into<String>) {
        self.text.insert(path.into(), content.into());
    }
    pub fn json(&mut self, path: &str, v: &Value) {
        self.add(path, serde_json::to_string_pretty(v).unwrap() + "\n");
    }
    /// One JSON value per line.
    pub fn jsonl(&mut self, path: &str, lines: &[Value]) {
        let mut s = String::new();
        for l in lines {
            s.push_str(&serde_json::to_string(l).unwrap());
            s.push('\n');
        }
        self.add(path, s);
    }
    /// Splits tasks into chunks of `size`, writes them, and returns the manifest's `tasks` list.
    pub fn chunks(&mut self, tasks: &[Value], size: usize) -> Value {
        let refs: Vec<Value> = tasks
            .chunks(size)
            .enumerate()
            .map(|(i, c)| {
                let path = format!("tasks/{i:03}.jsonl");
                self.jsonl(&path, c);
                json!({"path": path, "count": c.len()})
            })
            .collect();
        Value::Array(refs)
    }
}

/// Every demo: (folder, files).
pub fn generate() -> Vec<(&'static str, Files)> {
    vec![
        ("retail", retail::generate()),
        ("news", news::generate()),
        ("shelf", shelf::generate()),
        ("tickets", tickets::generate()),
        ("aerial", aerial::generate()),
        ("digits", digits::generate()),
        ("street", street::generate()),
    ]
}

/// Writes every demo under `dir`, replacing what was there, plus `index.json` listing them.
pub fn write_all(dir: &Path) -> io::Result<()> {
    let mut index = Vec::new();
    for (name, files) in generate() {
        let folder = dir.join(name);
        if folder.exists() {
            std::fs::remove_dir_all(&folder)?;
        }
        let text = files.text.iter().map(|(p, c)| (p, c.as_bytes()));
        for (path, content) in text.chain(files.binary.iter().map(|(p, c)| (p, c.as_slice()))) {
            let p = folder.join(path);
            std::fs::create_dir_all(p.parent().unwrap())?;
            std::fs::write(p, content)?;
        }
        let manifest: Value = serde_json::from_str(&files.text["project.json"]).unwrap();
        index.push(
            json!({"path": format!("{name}/"), "name": manifest["name"], "description": manifest["description"]}),
        );
    }
    std::fs::write(dir.join("index.json"), serde_json::to_string_pretty(&json!({"projects": index})).unwrap() + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_is_a_valid_bundle() {
        for (name, files) in generate() {
            let b = concord_engine::bundle::load_bundle(|p| files.text.get(p).cloned().ok_or_else(|| "missing".into()))
                .unwrap_or_else(|e| panic!("demo {name}: {e}"));
            concord_engine::bundle::load_embeddings(&b.project, &b.tasks, |p| {
                files.binary.get(p).cloned().ok_or_else(|| "missing".into())
            })
            .unwrap_or_else(|e| panic!("demo {name}: {e}"));
            let frames = b.project.schema.data == concord_engine::model::DataKind::PointCloud;
            // A sequence of frames is a demo at 40 tasks; other demos have 100 or more.
            assert!(b.tasks.len() >= if frames { 40 } else { 100 }, "demo {name} has {} tasks", b.tasks.len());
            assert!(!b.gold.is_empty(), "demo {name} has no training gold");
            let rules =
                concord_engine::rules::parse_rules("rules.json", &files.text["rules.json"], Some(&b.project.schema))
                    .unwrap_or_else(|e| panic!("demo {name}: {e}"));
            assert!(!rules.is_empty(), "demo {name} has no rules");
            if frames {
                // The gold of the whole sequence, checked as a scene in the world: no error-level physics rule fires.
                let poses: std::collections::BTreeMap<i64, _> =
                    b.tasks.iter().filter_map(|t| t.data.pose).map(|p| (p.frame, p)).collect();
                let cuboids: Vec<concord_engine::model::Cuboid> = files
                    .truth
                    .values()
                    .flat_map(|r| {
                        serde_json::from_value::<Vec<concord_engine::model::Cuboid>>(r["objects"].clone()).unwrap()
                    })
                    .collect();
                assert!(cuboids.len() > 200, "demo {name}: {} gold cuboids", cuboids.len());
                let context = concord_engine::rules::SceneContext { poses: Some(&poses), ..Default::default() };
                let v = concord_engine::rules::validate_scene_in(&rules, &cuboids, context);
                let errors: Vec<_> =
                    v.iter().filter(|v| v.severity == concord_engine::rules::Severity::Error).collect();
                assert!(errors.is_empty(), "demo {name}'s gold: {errors:?}");
            }
            // The training gold itself breaks no error-level rule.
            for g in &b.gold {
                let task = b.tasks.iter().find(|t| t.id == g.task).unwrap();
                let subject = concord_engine::rules::Subject { task, result: &g.result, prediction: None };
                let v = concord_engine::rules::validate(&rules, &subject);
                assert!(!concord_engine::rules::blocks_submission(&v), "demo {name}, gold {}: {v:?}", g.task);
            }
        }
    }

    /// The 3D view's benchmark bundle (the street scanned densely) is a valid bundle too: its frames keep the camera
    /// the demo's 2D control is drawn on.
    #[test]
    fn the_dense_street_bundle_is_valid() {
        let files = street::dense(5);
        let b = concord_engine::bundle::load_bundle(|p| files.text.get(p).cloned().ok_or_else(|| "missing".into()))
            .unwrap_or_else(|e| panic!("dense street: {e}"));
        assert_eq!(b.tasks.len(), 5);
        assert!(b.tasks.iter().all(|t| t.camera("front").is_some_and(|c| files.text.contains_key(&c.image))));
    }

    #[test]
    fn generation_is_deterministic_and_committed_files_are_current() {
        let a = generate();
        let b = generate();
        for ((n, fa), (_, fb)) in a.iter().zip(&b) {
            assert_eq!(fa.text, fb.text, "demo {n} differs between two runs");
            assert_eq!(fa.binary, fb.binary, "demo {n}'s binary files differ between two runs");
        }
        let dir = crate::process::root().join("www/demo");
        let mut total = 0;
        for (name, files) in a {
            for (path, content) in &files.text {
                let on_disk = std::fs::read_to_string(dir.join(name).join(path))
                    .unwrap_or_else(|e| panic!("www/demo/{name}/{path}: {e} (run `cargo xtask demo`)"));
                assert!(on_disk == *content, "www/demo/{name}/{path} is stale: run `cargo xtask demo`");
                total += content.len();
            }
            for (path, content) in &files.binary {
                let on_disk = std::fs::read(dir.join(name).join(path))
                    .unwrap_or_else(|e| panic!("www/demo/{name}/{path}: {e} (run `cargo xtask demo`)"));
                assert!(on_disk == *content, "www/demo/{name}/{path} is stale: run `cargo xtask demo`");
                total += content.len();
            }
        }
        assert!(total < 5_000_000, "demos are {total} bytes; the budget is 5 MB");
    }
}
