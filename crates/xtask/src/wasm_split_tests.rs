//! The split on a small module built here, run in Node: the same answers as the unsplit module, whether the
//! deferred part arrives before the first call into it or is loaded by that call.
use super::*;
use walrus::ir::{BinaryOp, MemArg, StoreKind};
use walrus::{ConstExpr, FunctionBuilder, Module, ValType};

const HASH_A: &str = "::h00000000000000a1";

/// A function `(i32) -> i32` named `name` whose body is more than a trampoline: x plus `add` ten times, then
/// (with `call`) that function of it, plus one.
fn long_fn(m: &mut Module, name: &str, add: i32, call: Option<walrus::FunctionId>) -> walrus::FunctionId {
    let mut b = FunctionBuilder::new(&mut m.types, &[ValType::I32], &[ValType::I32]);
    b.name(name.into());
    let x = m.locals.add(ValType::I32);
    let mut body = b.func_body();
    body.local_get(x);
    for _ in 0..10 {
        body.i32_const(add).binop(BinaryOp::I32Add);
    }
    if let Some(f) = call {
        body.call(f).i32_const(1).binop(BinaryOp::I32Add);
    }
    b.finish(vec![x], &mut m.funcs)
}

/// `run(x)`: `moved_a(x)` (which calls the kept `helper`) + the function in table slot 1 (`moved_b`, which stores
/// and loads memory and reads a global) + `twin` with the profile's hash, while `twin` with another hash moves.
fn module() -> Vec<u8> {
    let mut m = Module::default();
    let memory = m.memories.add_local(false, false, 1, None, None);
    m.exports.add("memory", memory);
    let global = m.globals.add_local(ValType::I32, true, false, ConstExpr::Value(Value::I32(1000)));
    let helper = long_fn(&mut m, &format!("helper{HASH_A}"), 3, None);
    let moved_a = long_fn(&mut m, &format!("moved_a{HASH_A}"), 7, Some(helper));
    let twin_kept = long_fn(&mut m, &format!("twin{HASH_A}"), 5, None);
    let twin_moved = long_fn(&mut m, "twin::h00000000000000b2", 6, None);
    let moved_b = {
        let mut b = FunctionBuilder::new(&mut m.types, &[ValType::I32], &[ValType::I32]);
        b.name(format!("moved_b{HASH_A}"));
        let x = m.locals.add(ValType::I32);
        let mem = MemArg { align: 4, offset: 16 };
        let mut body = b.func_body();
        body.i32_const(0).local_get(x).store(memory, StoreKind::I32 { atomic: false }, mem);
        for _ in 0..4 {
            body.i32_const(0).load(memory, walrus::ir::LoadKind::I32 { atomic: false }, mem).drop();
        }
        body.i32_const(0).load(memory, walrus::ir::LoadKind::I32 { atomic: false }, mem);
        body.global_get(global).binop(BinaryOp::I32Add);
        body.global_get(global).i32_const(1).binop(BinaryOp::I32Add).global_set(global);
        b.finish(vec![x], &mut m.funcs)
    };
    let ty = m.types.add(&[ValType::I32], &[ValType::I32]);
    let table = m.tables.add_local(false, 2, Some(2), walrus::RefType::FUNCREF);
    let seg = m.elements.add(
        walrus::ElementKind::Active { table, offset: ConstExpr::Value(Value::I32(0)) },
        walrus::ElementItems::Functions(vec![helper, moved_b]),
    );
    m.tables.get_mut(table).elem_segments.insert(seg);
    let run = {
        let mut b = FunctionBuilder::new(&mut m.types, &[ValType::I32], &[ValType::I32]);
        b.name("run".into());
        let x = m.locals.add(ValType::I32);
        let mut body = b.func_body();
        body.local_get(x).call(moved_a);
        body.local_get(x).i32_const(1).call_indirect(ty, table).binop(BinaryOp::I32Add);
        body.local_get(x).call(twin_kept).binop(BinaryOp::I32Add);
        body.local_get(x).call(twin_moved).binop(BinaryOp::I32Add);
        b.finish(vec![x], &mut m.funcs)
    };
    m.exports.add("run", run);
    m.emit_wasm()
}

fn profile(names: &[&str]) -> HashSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

#[test]
fn base_names_drop_only_rustcs_hash() {
    assert_eq!(base_name("a::b::h0123456789abcdef"), "a::b");
    assert_eq!(base_name("a::b::h0123"), "a::b::h0123");
    assert_eq!(base_name("a::hash::hzz23456789abcdef"), "a::hash::hzz23456789abcdef");
    assert_eq!(base_name("plain"), "plain");
    assert_eq!(base_name("<String as core::fmt::Write>::write_char.1741"), "<String as core::fmt::Write>::write_char");
    assert_eq!(base_name("<String as core::fmt::Write>::write_fmt[1]"), "<String as core::fmt::Write>::write_fmt");
    assert_eq!(base_name("core[c5930c85a12de822]::fmt::write"), "core[c5930c85a12de822]::fmt::write");
    assert_eq!(base_name("f::h0123456789abcdef.3"), "f");
}

#[test]
fn what_moves_and_what_stays() {
    // The exact name keeps one twin; helper's hash changed, so its base name keeps it.
    let s = split(&module(), &profile(&["run", &format!("twin{HASH_A}"), "helper::hffffffffffffffff"])).unwrap();
    let mut moved = s.moved.clone();
    moved.sort();
    assert_eq!(moved, ["moved_a::h00000000000000a1", "moved_b::h00000000000000a1", "twin::h00000000000000b2"]);
    assert_eq!(s.kept, 3);
    let primary = Module::from_buffer(&s.primary).unwrap();
    let deferred = Module::from_buffer(&s.deferred).unwrap();
    assert!(primary.imports.find(HOOKS, "load").is_some());
    assert_eq!(deferred.data.iter().count(), 0, "the primary's memory holds the data");
    assert_eq!(deferred.funcs.iter_local().count(), 3);
    assert!(deferred.imports.iter().all(|i| i.module == PRIMARY));
    // Everything the deferred part imports, the primary exports.
    for i in deferred.imports.iter() {
        assert!(primary.exports.iter().any(|e| e.name == i.name), "{} not exported", i.name);
    }
    assert!(split(&module(), &profile(&["run", "helper", "moved_a", "moved_b", "twin"])).is_err());
}

/// Runs `script` in Node with the unsplit, primary and deferred modules as `wasm`, `primary`, `deferred`.
fn node(s: &Split, script: &str) -> String {
    let dir = std::env::temp_dir().join(format!("concord-split-test-{}-{}", std::process::id(), script.len()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("whole.wasm"), module()).unwrap();
    std::fs::write(dir.join("primary.wasm"), &s.primary).unwrap();
    std::fs::write(dir.join("deferred.wasm"), &s.deferred).unwrap();
    let prelude = "const fs = require('fs'); const read = (f) => new WebAssembly.Module(fs.readFileSync(f));\
        const whole = new WebAssembly.Instance(read('whole.wasm')).exports;\
        let loads = []; let deferred = null; const load = (slot) => { loads.push(slot); link(); };\
        const primary = new WebAssembly.Instance(read('primary.wasm'), { 'concord-split': { load } }).exports;\
        const link = () => { deferred ??= new WebAssembly.Instance(read('deferred.wasm'), { p: primary }); };";
    let out = std::process::Command::new("node")
        .current_dir(&dir)
        .args(["-e", &format!("{prelude}{script}")])
        .output()
        .expect("node runs");
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_split_module_answers_as_the_whole_one() {
    let s = split(&module(), &profile(&["run", &format!("helper{HASH_A}"), &format!("twin{HASH_A}")])).unwrap();
    // Called before the deferred part is in: the first call loads it (once), and the answers are the whole
    // module's, the global's state included.
    let out = node(
        &s,
        "const a = [1, 2, 40].map((x) => [whole.run(x), primary.run(x)]);\
         console.log(JSON.stringify({ a, loads: loads.length }));",
    );
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    for pair in v["a"].as_array().unwrap() {
        assert_eq!(pair[0], pair[1], "{out}");
    }
    // moved_a(1) = helper(1 + 70) + 1; moved_b(1) = 1 + the global; the twins add 50 and 60.
    assert_eq!(v["a"][0][0], (1 + 70 + 30 + 1) + (1 + 1000) + (1 + 50) + (1 + 60), "{out}");
    assert_eq!(v["loads"], 1, "{out}");
    // Linked first (the page's fetch after the first task): no call loads it.
    let out = node(&s, "link(); console.log(primary.run(3) === whole.run(3), loads.length);");
    assert_eq!(out.trim(), "true 0");
}

#[test]
fn the_glue_is_patched_at_its_one_import_line_or_refused() {
    let glue = "return {\n        \"./concord-annotate_bg.js\": import0,\n    };";
    let patched = patch_imports(glue, "annotate", "HOOK").unwrap();
    assert_eq!(patched, "return {\n        HOOK\n    };");
    assert!(patch_imports(glue, "review", "HOOK").unwrap_err().contains("has wasm-bindgen's output changed?"));
    let twice = format!("{glue}{glue}");
    assert!(patch_imports(&twice, "annotate", "HOOK").is_err());
}

#[test]
fn a_module_without_names_is_refused_with_the_fix() {
    let mut m = Module::from_buffer(&module()).unwrap();
    for f in m.funcs.iter_mut() {
        f.name = None;
    }
    let err = split(&m.emit_wasm(), &profile(&["run"])).err().unwrap();
    assert!(err.contains("-g"), "{err}");
}
