//! The engine's layers, as ARCHITECTURE.md states them ("the engine's modules form layers"): every `crate::` path in
//! the engine's source goes to a module of the same layer or an earlier one, and no two modules of a layer use each
//! other in a cycle. The list is read from ARCHITECTURE.md, so the document and the code cannot drift apart.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `module → layer index`, from the numbered list under the invariant in ARCHITECTURE.md.
fn layers() -> BTreeMap<String, usize> {
    let doc = std::fs::read_to_string(root().join("../../ARCHITECTURE.md")).unwrap();
    let start =
        doc.find("**Architecture invariant: the engine's modules form layers.**").expect("the invariant is stated");
    let mut out = BTreeMap::new();
    for line in doc[start..].lines().skip(1).skip_while(|l| !l.starts_with("1. ")).take_while(|l| !l.is_empty()) {
        let (number, rest) = line.split_once(". ").unwrap();
        let (_, modules) = rest.split_once(": ").unwrap_or_else(|| panic!("`{line}`: NAME: modules"));
        for m in modules.split(',') {
            assert!(out.insert(m.trim().to_string(), number.parse::<usize>().unwrap()).is_none(), "{m} listed twice");
        }
    }
    assert!(out.len() > 10, "the layer list was read ({} modules)", out.len());
    out
}

/// Every Rust file of the engine's source but `lib.rs`: (path relative to `src/`, text).
fn sources() -> Vec<(String, String)> {
    let src = root().join("src");
    let mut out = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            if rel != "lib.rs" && rel.ends_with(".rs") {
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out
}

/// The top-level modules each module's source uses (`crate::x` paths, and `crate::{x, y}` groups), outside comments.
fn uses() -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in sources() {
        let module = rel.split('/').next().unwrap().trim_end_matches(".rs").to_string();
        let used = out.entry(module.clone()).or_default();
        for line in text.lines() {
            let code = line.split("//").next().unwrap();
            for (i, _) in code.match_indices("crate::") {
                let after = &code[i + "crate::".len()..];
                let names: Vec<&str> = match after.strip_prefix('{') {
                    Some(group) => group.split(['}', ',']).map(|n| n.trim().split("::").next().unwrap()).collect(),
                    None => vec![after.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap()],
                };
                for n in names
                    .into_iter()
                    .filter(|n| !n.is_empty() && *n != module && n.chars().next().unwrap().is_lowercase())
                {
                    used.insert(n.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn every_module_uses_only_its_own_layer_or_earlier_ones() {
    let layers = layers();
    let uses = uses();
    let declared: BTreeSet<&String> = layers.keys().collect();
    let found: BTreeSet<&String> = uses.keys().collect();
    assert_eq!(declared, found, "ARCHITECTURE.md's layer list and the engine's modules differ");
    let mut broken = Vec::new();
    for (module, used) in &uses {
        for u in used {
            let (from, to) = (layers[module], *layers.get(u).unwrap_or_else(|| panic!("{module} uses unknown `{u}`")));
            if to > from {
                broken.push(format!("{module} (layer {from}) uses {u} (layer {to})"));
            }
        }
    }
    assert!(broken.is_empty(), "uses against the layers:\n{}", broken.join("\n"));
}

#[test]
fn no_modules_use_each_other_in_a_cycle() {
    let uses = uses();
    // Depth-first search for a back edge; the path to it is the cycle.
    fn visit<'a>(
        m: &'a str,
        uses: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<String> {
        if let Some(i) = path.iter().position(|p| *p == m) {
            return Some(format!("{} → {m}", path[i..].join(" → ")));
        }
        if !done.insert(m) {
            return None;
        }
        path.push(m);
        for u in uses.get(m).into_iter().flatten() {
            if let Some(cycle) = visit(u, uses, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for m in uses.keys() {
        let mut path = Vec::new();
        assert_eq!(visit(m, &uses, &mut path, &mut done), None, "a cycle");
    }
}

/// One path to each public item (ARCHITECTURE.md, "the engine's public API"): below the top level every module is
/// private to the crate and its items are re-exported by its parent, except the readers and writers in `formats`,
/// where each format is its own namespace (`formats::csv_long::read_table`) and nothing is re-exported.
#[test]
fn submodules_are_private_and_reached_through_their_parent() {
    let mut public = Vec::new();
    for (rel, text) in sources() {
        for line in text.lines().filter(|l| l.trim_start().starts_with("pub mod ")) {
            if rel == "formats/mod.rs" {
                assert!(!text.contains("pub use "), "formats/mod.rs re-exports: a second path to a format's items");
            } else {
                public.push(format!("{rel}: {line}"));
            }
        }
    }
    public.sort();
    // `polygons::geometry` is a namespace of re-exports (the primitives live in `model`), not a second path.
    assert_eq!(public, ["polygons/mod.rs: pub mod geometry {"], "public submodules: a second path to their items");
}
