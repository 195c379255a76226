//! Profile-guided splitting of a page's wasm: the functions a mode runs until its first task is interactive stay
//! in the mode's wasm (the primary part); every other function moves to a deferred part, fetched once the task is
//! shown.
//!
//! The primary part keeps every function's index, so table entries (Rust's function pointers and vtables) and
//! exports are unchanged. A moved function's body becomes a trampoline: if its slot in the function table is still
//! empty, it calls the import `concord-split.load` (the page fetches and instantiates the deferred part, whose
//! active element segment fills the slots), then calls the slot with its arguments. The deferred part imports the
//! primary's memory, tables, globals and the functions its code calls, all of them exported by the primary under
//! short names, and owns no data: memory is the primary's.
//!
//! The profile is a list of function names, without the `::h…` hash rustc appends, so that it survives rebuilds:
//! every instance of a kept name stays (generics share one name). `cargo xtask split-profile` records it by running
//! each demo project in headless Chromium on an instrumented build (`instrument`).
use std::collections::{HashMap, HashSet};
use walrus::ir::{dfs_in_order, BinaryOp, Instr, InstrLocId, Value, Visitor};
use walrus::{
    ConstExpr, ElementItems, ElementKind, ExportItem, FunctionBuilder, FunctionId, FunctionKind, ImportKind,
    ImportedFunction, Module, ModuleConfig, TableId,
};

/// The import namespace of the page-side hooks (`load`, and `mark` in an instrumented build).
pub const HOOKS: &str = "concord-split";
/// The namespace under which the deferred part imports what it uses of the primary part.
pub const PRIMARY: &str = "p";
/// A function of at most this many instructions stays in the primary part: its trampoline would be as large.
const TRAMPOLINE_SIZE: u64 = 12;

/// A split module and what it moved.
pub struct Split {
    pub primary: Vec<u8>,
    pub deferred: Vec<u8>,
    /// Local functions kept, and moved.
    pub kept: usize,
    /// The moved functions' names, by slot (what `load(slot)` names).
    pub moved: Vec<String>,
}

/// A function's name without rustc's `::h` + 16 hex digits hash, and without the `.N` or `[N]` the linker appends
/// to tell apart functions of the same name.
pub fn base_name(name: &str) -> &str {
    let name = match name.rsplit_once(['.', '[']) {
        Some((head, tail)) if !tail.is_empty() && tail.trim_end_matches(']').bytes().all(|b| b.is_ascii_digit()) => {
            head
        }
        _ => name,
    };
    match name.rfind("::h") {
        Some(i) if name.len() - i == 19 && name[i + 3..].bytes().all(|b| b.is_ascii_hexdigit()) => &name[..i],
        _ => name,
    }
}

fn parse(wasm: &[u8]) -> Result<Module, String> {
    let mut config = ModuleConfig::new();
    // CONCORD_SPLIT_NAMES=1 keeps the names in both parts, to read a stack trace.
    let names = std::env::var_os("CONCORD_SPLIT_NAMES").is_some();
    config.generate_name_section(names).generate_producers_section(false);
    Module::from_buffer_with_config(wasm, &config).map_err(|e| format!("not a wasm module walrus can read: {e:#}"))
}

/// Local functions in module order, with their names.
fn locals(module: &Module) -> Vec<(FunctionId, Option<String>)> {
    module.funcs.iter_local().map(|(id, _)| (id, module.funcs.get(id).name.clone())).collect()
}

/// Functions whose bodies use segments of their module by index: they stay where the segments are.
struct UsesSegments(bool);
impl<'i> Visitor<'i> for UsesSegments {
    fn visit_instr(&mut self, instr: &'i Instr, _: &'i InstrLocId) {
        if matches!(instr, Instr::MemoryInit(_) | Instr::DataDrop(_) | Instr::TableInit(_) | Instr::ElemDrop(_)) {
            self.0 = true;
        }
    }
}

/// What a profile keeps: functions by their full names, and by base name those whose full names this build does
/// not have (rustc's hash of an instance changed: another compiler, a dependency's version, or a closure added).
struct Keep {
    full: HashSet<String>,
    base: HashSet<String>,
}

impl Keep {
    fn new(profile: &HashSet<String>, names: &HashSet<&str>) -> Keep {
        let full = profile.iter().filter(|n| names.contains(n.as_str())).cloned().collect();
        let base = profile.iter().filter(|n| !names.contains(n.as_str())).map(|n| base_name(n).to_string()).collect();
        Keep { full, base }
    }

    fn contains(&self, name: &str) -> bool {
        self.full.contains(name) || self.base.contains(base_name(name))
    }
}

/// Whether a local function stays in the primary part.
fn stays(module: &Module, id: FunctionId, name: Option<&str>, keep: &Keep) -> bool {
    let f = module.funcs.get(id).kind.unwrap_local();
    // An unnamed function (wasm-bindgen's adapters) cannot be profiled by name: it stays.
    if name.is_none_or(|n| n.is_empty() || keep.contains(n)) || f.size() <= TRAMPOLINE_SIZE {
        return true;
    }
    let mut v = UsesSegments(false);
    dfs_in_order(&mut v, f, f.entry_block());
    v.0
}

/// Splits `wasm` (with its name section), keeping the functions `profile` names.
pub fn split(wasm: &[u8], profile: &HashSet<String>) -> Result<Split, String> {
    let mut primary = parse(wasm)?;
    let mut deferred = parse(wasm)?;
    let p_locals = locals(&primary);
    let d_locals = locals(&deferred);
    let names: HashSet<&str> = p_locals.iter().filter_map(|(_, n)| n.as_deref()).collect();
    if names.is_empty() {
        return Err("no function names: build with wasm-opt's -g (data-wasm-opt-params in www/index.html)".into());
    }
    let keep = Keep::new(profile, &names);
    // The start function runs at instantiation, before the page can load anything: it stays.
    let start = primary.start;
    let moved: Vec<usize> = (0..p_locals.len())
        .filter(|&i| Some(p_locals[i].0) != start && !stays(&primary, p_locals[i].0, p_locals[i].1.as_deref(), &keep))
        .collect();
    if moved.is_empty() {
        return Err("nothing to move: every function is in the profile".into());
    }
    let table =
        primary.tables.main_function_table().map_err(|e| format!("{e}"))?.ok_or("the module has no function table")?;
    let slot_base = {
        let t = primary.tables.get_mut(table);
        let base = t.initial;
        t.initial += moved.len() as u64;
        if let Some(max) = t.maximum.as_mut() {
            *max += moved.len() as u64;
        }
        base
    };
    let slots = Slots { base: slot_base as i32, count: moved.len() as u64 };
    let moved_d: Vec<FunctionId> = moved.iter().map(|&i| d_locals[i].0).collect();
    deferred_part(&mut deferred, &moved_d, &slots)?;
    let moved_p: Vec<FunctionId> = moved.iter().map(|&i| p_locals[i].0).collect();
    primary_part(&mut primary, &mut deferred, &moved_p, table, &slots)?;
    let moved_names = moved.iter().map(|&i| p_locals[i].1.clone().unwrap_or_default()).collect();
    Ok(Split {
        primary: primary.emit_wasm(),
        deferred: deferred.emit_wasm(),
        kept: p_locals.len() - moved.len(),
        moved: moved_names,
    })
}

/// The moved functions' slots in the function table: `base + k` for the `k`-th.
struct Slots {
    base: i32,
    count: u64,
}

impl Slots {
    fn of(&self, k: usize) -> i32 {
        self.base + k as i32
    }
}

/// Makes `deferred` (a copy of the whole module) the deferred part: the `moved` functions' bodies, filling their
/// slots; every other function, the memories, globals and tables imported from the primary, named by kind and
/// position (`f1a`: the function at position 0x1a), no data, no exports.
fn deferred_part(deferred: &mut Module, moved: &[FunctionId], slots: &Slots) -> Result<(), String> {
    let is_moved: HashSet<FunctionId> = moved.iter().copied().collect();
    let d_funcs: Vec<FunctionId> = deferred.funcs.iter().map(|f| f.id()).collect();
    for (pos, &id) in d_funcs.iter().enumerate() {
        let name = format!("f{pos:x}");
        match &deferred.funcs.get(id).kind {
            FunctionKind::Import(imp) => {
                let import = deferred.imports.get_mut(imp.import);
                import.module = PRIMARY.into();
                import.name = name;
            }
            FunctionKind::Local(_) if is_moved.contains(&id) => {}
            FunctionKind::Local(f) => {
                let ty = f.ty();
                let import = deferred.imports.add(PRIMARY, &name, ImportKind::Function(id));
                deferred.funcs.get_mut(id).kind = FunctionKind::Import(ImportedFunction { import, ty });
            }
            FunctionKind::Uninitialized(_) => return Err("uninitialized function".into()),
        }
    }
    let exports: Vec<_> = deferred.exports.iter().map(|e| e.id()).collect();
    for e in exports {
        deferred.exports.delete(e);
    }
    deferred.start = None;
    let memories: Vec<_> = deferred.memories.iter().map(|m| m.id()).collect();
    for (pos, m) in memories.into_iter().enumerate() {
        let existing = deferred.memories.get(m).import;
        let import = from_primary(deferred, existing, format!("m{pos:x}"), ImportKind::Memory(m));
        let memory = deferred.memories.get_mut(m);
        memory.import = Some(import);
        memory.data_segments.clear();
    }
    let data: Vec<_> = deferred.data.iter().map(|d| d.id()).collect();
    for d in data {
        deferred.data.delete(d);
    }
    let globals: Vec<_> = deferred.globals.iter().map(|g| g.id()).collect();
    for (pos, g) in globals.into_iter().enumerate() {
        let existing = match deferred.globals.get(g).kind {
            walrus::GlobalKind::Import(i) => Some(i),
            walrus::GlobalKind::Local(_) => None,
        };
        let import = from_primary(deferred, existing, format!("g{pos:x}"), ImportKind::Global(g));
        deferred.globals.get_mut(g).kind = walrus::GlobalKind::Import(import);
    }
    let elements: Vec<_> = deferred.elements.iter().map(|e| e.id()).collect();
    for e in elements {
        deferred.elements.delete(e);
    }
    let tables: Vec<TableId> = deferred.tables.iter().map(|t| t.id()).collect();
    let mut d_table = None;
    for (pos, t) in tables.into_iter().enumerate() {
        let existing = deferred.tables.get(t).import;
        let import = from_primary(deferred, existing, format!("t{pos:x}"), ImportKind::Table(t));
        let tab = deferred.tables.get_mut(t);
        tab.import = Some(import);
        tab.elem_segments.clear();
        if tab.element_ty == walrus::RefType::FUNCREF {
            // The primary's function table, with the moved functions' slots.
            tab.initial += slots.count;
            if let Some(max) = tab.maximum.as_mut() {
                *max += slots.count;
            }
            d_table = Some(t);
        }
    }
    let d_table = d_table.ok_or("the deferred part has no function table")?;
    let items = ElementItems::Functions(moved.to_vec());
    let offset = ConstExpr::Value(Value::I32(slots.of(0)));
    let segment = deferred.elements.add(ElementKind::Active { table: d_table, offset }, items);
    deferred.tables.get_mut(d_table).elem_segments.insert(segment);
    let customs: Vec<_> = deferred.customs.iter().map(|(id, _)| id).collect();
    for c in customs {
        deferred.customs.delete(c);
    }
    walrus::passes::gc::run(deferred);
    Ok(())
}

/// The import `existing`, or a new one of `kind`, named `name` in the primary's namespace.
fn from_primary(
    deferred: &mut Module,
    existing: Option<walrus::ImportId>,
    name: String,
    kind: ImportKind,
) -> walrus::ImportId {
    let id = existing.unwrap_or_else(|| deferred.imports.add(PRIMARY, &name, kind));
    let import = deferred.imports.get_mut(id);
    (import.module, import.name) = (PRIMARY.into(), name);
    id
}

/// Makes `primary` (a copy of the whole module) the primary part: each moved function a trampoline to its slot,
/// an import `load(slot - base)` for an empty slot, and an export for each import of the `deferred` part, which
/// get short names here (`$` and base 62) on both sides.
fn primary_part(
    primary: &mut Module,
    deferred: &mut Module,
    moved: &[FunctionId],
    table: TableId,
    slots: &Slots,
) -> Result<(), String> {
    let (load, _) = {
        let ty = primary.types.add(&[walrus::ValType::I32], &[]);
        primary.add_import_func(HOOKS, "load", ty)
    };
    // One call helper per function type, `(params…, slot) -> results`: if the slot is empty, `load(slot - base)`;
    // then the call through the slot. Each trampoline only passes its arguments and its slot on.
    let mut helpers: HashMap<walrus::TypeId, FunctionId> = HashMap::new();
    for (k, &id) in moved.iter().enumerate() {
        let ty = primary.funcs.get(id).ty();
        let (params, results) = {
            let t = primary.types.get(ty);
            (t.params().to_vec(), t.results().to_vec())
        };
        let helper = match helpers.get(&ty) {
            Some(h) => *h,
            None => {
                let with_slot: Vec<_> = params.iter().copied().chain([walrus::ValType::I32]).collect();
                let mut b = FunctionBuilder::new(&mut primary.types, &with_slot, &results);
                let args: Vec<_> = with_slot.iter().map(|t| primary.locals.add(*t)).collect();
                let slot = *args.last().expect("the slot");
                let mut body = b.func_body();
                body.local_get(slot).table_get(table).ref_is_null().if_else(
                    None,
                    |then| {
                        then.local_get(slot).i32_const(slots.of(0)).binop(BinaryOp::I32Sub).call(load);
                    },
                    |_| {},
                );
                for a in &args {
                    body.local_get(*a);
                }
                body.call_indirect(ty, table);
                let h = b.finish(args, &mut primary.funcs);
                helpers.insert(ty, h);
                h
            }
        };
        let mut b = FunctionBuilder::new(&mut primary.types, &params, &results);
        let args: Vec<_> = params.iter().map(|t| primary.locals.add(*t)).collect();
        let mut body = b.func_body();
        for a in &args {
            body.local_get(*a);
        }
        body.i32_const(slots.of(k)).call(helper);
        primary.funcs.get_mut(id).kind = FunctionKind::Local(b.local_func(args));
    }
    // The deferred part's imports get short names (`$` and base 62), the primary's exports the same.
    let p_funcs: Vec<FunctionId> = primary.funcs.iter().map(|f| f.id()).collect();
    let p_memories: Vec<_> = primary.memories.iter().map(|m| m.id()).collect();
    let p_globals: Vec<_> = primary.globals.iter().map(|g| g.id()).collect();
    let p_tables: Vec<_> = primary.tables.iter().map(|t| t.id()).collect();
    let imports: Vec<_> = deferred.imports.iter().map(|i| i.id()).collect();
    for (n, import) in imports.into_iter().enumerate() {
        let import = deferred.imports.get_mut(import);
        let pos = usize::from_str_radix(&import.name[1..], 16).map_err(|e| format!("{}: {e}", import.name))?;
        let item: ExportItem = match import.name.as_bytes()[0] {
            b'f' => p_funcs[pos].into(),
            b'm' => p_memories[pos].into(),
            b'g' => p_globals[pos].into(),
            b't' => p_tables[pos].into(),
            _ => return Err(format!("{}: not an import the split made", import.name)),
        };
        import.name = short_name(n);
        if primary.exports.iter().any(|e| e.name == import.name) {
            return Err(format!("the module already exports `{}`", import.name));
        }
        primary.exports.add(&import.name, item);
    }
    let customs: Vec<_> = primary.customs.iter().map(|(id, _)| id).collect();
    for c in customs {
        primary.customs.delete(c);
    }
    walrus::passes::gc::run(primary);
    Ok(())
}

/// `$` and `n` in base 62: an export name no wasm-bindgen export has.
fn short_name(mut n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = String::from("$");
    loop {
        name.push(DIGITS[n % 62] as char);
        n /= 62;
        if n == 0 {
            return name;
        }
    }
}

/// `wasm` with a call to the import `concord-split.mark(i)` at the start of the `i`-th local function, and the
/// local functions' names in that order (the profile run maps the marks back to names with them).
pub fn instrument(wasm: &[u8]) -> Result<(Vec<u8>, Vec<String>), String> {
    let mut module = parse(wasm)?;
    let ty = module.types.add(&[walrus::ValType::I32], &[]);
    let (mark, _) = module.add_import_func(HOOKS, "mark", ty);
    let mut names = Vec::new();
    let ids: Vec<_> = locals(&module);
    for (i, (id, name)) in ids.into_iter().enumerate() {
        names.push(name.unwrap_or_default());
        let FunctionKind::Local(f) = &mut module.funcs.get_mut(id).kind else { unreachable!() };
        let entry = f.entry_block();
        let mut body = f.builder_mut().instr_seq(entry);
        body.instr_at(0, walrus::ir::Call { func: mark });
        body.instr_at(0, walrus::ir::Const { value: Value::I32(i as i32) });
    }
    Ok((module.emit_wasm(), names))
}

/// The page modes whose wasm is split, each with its profile in `www/split/<mode>.txt`.
pub const MODES: [&str; 3] = ["annotate", "review", "scene"];

/// The post-build step (`cargo xtask split-dist DIR`): splits each mode's wasm in `dir` by its profile, writes the
/// deferred part beside it (`concord-<mode>_deferred.wasm`) and gives the mode's glue the `load` hook. Trunk's
/// build keeps the name section for this; both parts ship without it. The unsplit wasm, with names, and its glue
/// are kept in `target/split/` for `split-profile`.
pub fn dist(dir: &std::path::Path) -> Result<(), String> {
    let root = crate::process::root();
    let kept_dir = root.join("target/split");
    std::fs::create_dir_all(&kept_dir).map_err(|e| format!("{}: {e}", kept_dir.display()))?;
    for mode in MODES {
        let wasm_path = dir.join(format!("concord-{mode}_bg.wasm"));
        let glue_path = dir.join(format!("concord-{mode}.js"));
        let profile_path = root.join(format!("www/split/{mode}.txt"));
        let read = |p: &std::path::Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
        let wasm = read(&wasm_path)?;
        let glue = String::from_utf8(read(&glue_path)?).map_err(|e| format!("{}: {e}", glue_path.display()))?;
        if glue.contains(HOOKS) {
            return Err(format!("{}: already split (a build's output is split once)", glue_path.display()));
        }
        for (name, bytes) in
            [(format!("concord-{mode}_bg.wasm"), wasm.as_slice()), (format!("concord-{mode}.js"), glue.as_bytes())]
        {
            let kept = kept_dir.join(name);
            std::fs::write(&kept, bytes).map_err(|e| format!("{}: {e}", kept.display()))?;
        }
        let profile =
            String::from_utf8(read(&profile_path)?).map_err(|e| format!("{}: {e}", profile_path.display()))?;
        let keep: HashSet<String> =
            profile.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect();
        let s = split(&wasm, &keep).map_err(|e| format!("{}: {e}", wasm_path.display()))?;
        let deferred_name = format!("concord-{mode}_deferred.wasm");
        let hook = format!(
            "\"./concord-{mode}_bg.js\": import0,\n        \"{HOOKS}\": {{ load: (slot) => globalThis.concordDeferred.load(wasm, slot) }},"
        );
        let glue = patch_imports(&glue, mode, &hook).map_err(|e| format!("{}: {e}", glue_path.display()))?
            + &format!("\n// The code this mode's first task does not run (see www/boot.js).\nexport const deferredCode = './{deferred_name}';\n");
        for (path, bytes) in [(&wasm_path, &s.primary), (&dir.join(&deferred_name), &s.deferred)] {
            std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        std::fs::write(&glue_path, glue).map_err(|e| format!("{}: {e}", glue_path.display()))?;
        eprintln!("split {mode}: {} functions kept, {} deferred", s.kept, s.moved.len());
        // What a slot is, for reading `concord-deferred-sync` marks (www/boot.js).
        let slots = kept_dir.join(format!("concord-{mode}_deferred.names.txt"));
        std::fs::write(&slots, s.moved.join("\n") + "\n").map_err(|e| format!("{}: {e}", slots.display()))?;
    }
    Ok(())
}

/// The glue's import object with `hook` in place of the line that names the mode's own imports.
pub fn patch_imports(glue: &str, mode: &str, hook: &str) -> Result<String, String> {
    let line = format!("\"./concord-{mode}_bg.js\": import0,");
    if glue.matches(&line).count() != 1 {
        return Err(format!("no single `{line}` in the glue: has wasm-bindgen's output changed?"));
    }
    Ok(glue.replace(&line, hook))
}

/// `cargo xtask split-instrument IN OUT NAMES`: `instrument` on a file; NAMES gets one name per line.
pub fn instrument_file(args: &[String]) -> Result<(), String> {
    let [input, output, names] = args else {
        return Err("usage: cargo xtask split-instrument IN.wasm OUT.wasm NAMES.txt".into());
    };
    let wasm = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
    let (out, list) = instrument(&wasm).map_err(|e| format!("{input}: {e}"))?;
    std::fs::write(output, out).map_err(|e| format!("{output}: {e}"))?;
    std::fs::write(names, list.join("\n") + "\n").map_err(|e| format!("{names}: {e}"))
}

/// `cargo xtask split-file IN.wasm PROFILE.txt PRIMARY.wasm DEFERRED.wasm`: `split` on one file.
pub fn split_file(args: &[String]) -> Result<(), String> {
    let [input, profile, primary, deferred] = args else {
        return Err("usage: cargo xtask split-file IN.wasm PROFILE.txt PRIMARY.wasm DEFERRED.wasm".into());
    };
    let wasm = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
    let keep = std::fs::read_to_string(profile).map_err(|e| format!("{profile}: {e}"))?;
    let keep = keep.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect();
    let s = split(&wasm, &keep).map_err(|e| format!("{input}: {e}"))?;
    std::fs::write(primary, s.primary).map_err(|e| format!("{primary}: {e}"))?;
    std::fs::write(deferred, s.deferred).map_err(|e| format!("{deferred}: {e}"))?;
    eprintln!("{input}: {} functions kept, {} deferred", s.kept, s.moved.len());
    std::fs::write(format!("{deferred}.names.txt"), s.moved.join("\n") + "\n")
        .map_err(|e| format!("{deferred}: {e}"))?;
    Ok(())
}

/// `cargo xtask split-profile`: records the profiles (tests/split-profile.mjs) from the release build in `dist/`,
/// then splits `dist/` again by them, from the unsplit wasm the build kept, so that no rebuild is needed.
pub fn profile() -> Result<(), String> {
    use crate::process::{cmd, exec, root};
    let root = root();
    let (kept, dist_dir) = (root.join("target/split"), root.join("dist"));
    for mode in MODES {
        for name in [format!("concord-{mode}_bg.wasm"), format!("concord-{mode}.js")] {
            if !kept.join(&name).exists() {
                return Err(format!(
                    "{}: missing; build first (trunk build --release), which keeps each mode's unsplit wasm there",
                    kept.join(&name).display()
                ));
            }
        }
    }
    exec(cmd("node").arg("tests/split-profile.mjs"))?;
    for mode in MODES {
        for name in [format!("concord-{mode}_bg.wasm"), format!("concord-{mode}.js")] {
            std::fs::copy(kept.join(&name), dist_dir.join(&name)).map_err(|e| format!("{name}: {e}"))?;
        }
    }
    dist(&dist_dir)?;
    exec(cmd("node").arg("www/precache.mjs").env("TRUNK_STAGING_DIR", &dist_dir))
}

#[cfg(test)]
#[path = "wasm_split_tests.rs"]
mod tests;
