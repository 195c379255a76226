//! `cargo xtask bench`: the engine's criterion benchmarks (native), the same computations compiled to wasm and
//! timed in headless Chromium, and the app's own figures in Chromium. Figures are printed; nothing here asserts a
//! time.

use crate::process::{cmd, exec, root};

pub fn run(args: &[String]) -> Result<(), String> {
    crate::setup::run()?;
    if args.iter().any(|a| a == "--ui") {
        return ui();
    }
    // Only the benchmark bundles (target/bench-bundles), for a partial `BENCH_ONLY=… node tests/bench/ui.mjs`.
    if args.iter().any(|a| a == "--bundles") {
        return crate::bench_bundles::write_all(&root().join("target/bench-bundles"));
    }
    if args.iter().any(|a| a == "--report") {
        return report();
    }
    if args.iter().any(|a| a == "--learner") {
        return crate::learner_bench::run();
    }
    if args.iter().any(|a| a == "--rewrite-report") {
        return rewrite_report();
    }
    exec(cmd("cargo").args(["bench", "-p", "concord-engine"]))?;
    exec(cmd("cargo").args([
        "test",
        "-p",
        "concord-app",
        "--target",
        "wasm32-unknown-unknown",
        "--release",
        "--test",
        "engine_speed",
        "--",
        "--include-ignored",
        "--nocapture",
    ]))?;
    ui()
}

/// The app in headless Chromium: the release build, the generated benchmark bundles, and a script that drives
/// the real UI and reads the input-to-paint times the app records (`crates/app/src/perf.rs`).
fn ui() -> Result<(), String> {
    let bundles = root().join("target/bench-bundles");
    crate::bench_bundles::write_all(&bundles)?;
    exec(cmd("trunk").args(["build", "--release"]))?;
    exec(cmd("node").args(["tests/bench/ui.mjs"]))?;
    // What a first visit to each mode fetches and how soon it is interactive, as shipped.
    exec(cmd("node").args(["tests/bench/delivery.mjs"]))?;
    // The outbox against real nginx WebDAV: latency, and a day's backlog going up.
    exec(cmd("node").args(["tests/bench/sync.mjs"]))?;
    // Where each wasm's bytes go, by crate and module (cargo's output, which keeps the names).
    let wasm =
        |name: &str, profile: &str| format!("{name}=target/wasm32-unknown-unknown/{profile}/concord-{name}.wasm");
    exec(cmd("node").arg("tests/bench/size-profile.mjs").args([
        wasm("annotate", "web"),
        wasm("review", "web"),
        wasm("scene", "web"),
        wasm("worker", "compute"),
        wasm("import", "compute"),
    ]))
}

/// `bench --report`: the criterion benchmarks, the app's figures and — when installed — the Python reference
/// libraries on the same data, in one run, written to `BENCHMARKS.md`.
fn report() -> Result<(), String> {
    exec(cmd("cargo").args([
        "bench",
        "-p",
        "concord-engine",
        "--bench",
        "agreement",
        "--bench",
        "consensus",
        "--bench",
        "rules",
        "--bench",
        "polygons",
    ]))?;
    ui()?;
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    for n in SIZES {
        let crowd = dir.join(format!("crowd-{n}.csv"));
        let pairs = dir.join(format!("pairs-{n}.csv"));
        std::fs::write(&crowd, crate::synthetic_csv(n, false)).map_err(|e| e.to_string())?;
        std::fs::write(&pairs, crate::synthetic_csv(2 * n, true)).map_err(|e| e.to_string())?;
        let out = cmd("python3")
            .arg(root().join("crates/xtask/reference/bench_reference.py"))
            .args([&crowd, &pairs])
            .output()
            .map_err(|e| format!("python3: {e}"))?;
        if !out.status.success() {
            eprintln!("reference libraries not run: {}", String::from_utf8_lossy(&out.stderr));
        }
        std::fs::write(dir.join(format!("reference-{n}.json")), &out.stdout).map_err(|e| e.to_string())?;
    }
    // The concord-qa package as shipped, in Node, on the same CSVs.
    crate::package::build()?;
    let crowd: Vec<String> = SIZES.iter().map(|n| dir.join(format!("crowd-{n}.csv")).display().to_string()).collect();
    exec(cmd("node").arg("tests/bench/package.mjs").args(&crowd))?;
    rewrite_report()
}

const SIZES: [usize; 2] = [100_000, 1_000_000];

/// BENCHMARKS.md from the results the last `bench --report` left in `target/` (criterion's estimates,
/// `target/bench/ui.json`, `target/bench/reference-N.json`) and the built `dist/`.
fn rewrite_report() -> Result<(), String> {
    let dir = root().join("target/bench");
    let reference: Vec<(usize, serde_json::Value)> = SIZES
        .iter()
        .map(|&n| {
            let text = std::fs::read_to_string(dir.join(format!("reference-{n}.json"))).unwrap_or_default();
            (n, serde_json::from_str(text.trim()).unwrap_or_else(|_| serde_json::json!({})))
        })
        .collect();
    let md = write_report(&reference)?;
    std::fs::write(root().join("BENCHMARKS.md"), md).map_err(|e| e.to_string())?;
    println!("wrote BENCHMARKS.md");
    Ok(())
}

/// Criterion's median estimate for a benchmark, in seconds.
pub fn criterion_s(path: &str) -> Option<f64> {
    let text = std::fs::read_to_string(root().join("target/criterion").join(path).join("new/estimates.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(v["median"]["point_estimate"].as_f64()? / 1e9)
}

fn fmt_fine(s: Option<f64>) -> String {
    match s {
        Some(s) if s >= 1.0 => format!("{s:.2} s"),
        Some(s) if s >= 1e-3 => format!("{:.2} ms", s * 1e3),
        Some(s) => format!("{:.2} µs", s * 1e6),
        None => "—".into(),
    }
}

fn write_report(reference: &[(usize, serde_json::Value)]) -> Result<String, String> {
    use std::fmt::Write as _;
    let fmt = |s: Option<f64>| match s {
        Some(s) if s >= 1.0 => format!("{s:.2} s"),
        Some(s) => format!("{:.2} ms", s * 1e3),
        None => "—".into(),
    };
    let mut md = String::from(
        "# Benchmarks\n\nWritten by `cargo xtask bench --report` (criterion for the engine, `tests/bench/ui.mjs` in headless \
         Chromium for the app, and the Python reference libraries on the same data when installed: \
         `pip install krippendorff statsmodels scikit-learn crowd-kit`). Data: `synthetic::CrowdSpec::standard(n)` — n \
         annotations, 20 labels, 5 of 50 annotators per item; Cohen's kappa on n pairs of two annotators. Times are \
         for the computation on already parsed records (both sides), medians. Machine: 2 cores.\n\n\
         | measure | n | Concord | reference | reference time | ratio |\n|---|---:|---:|---|---:|---:|\n",
    );
    let rows: [(&str, &str, &str, &str); 5] = [
        (
            "Krippendorff's alpha (nominal)",
            "agreement/krippendorff_nominal/{n}",
            "krippendorff_nominal",
            "krippendorff",
        ),
        ("Fleiss' kappa", "agreement/fleiss/{n}", "fleiss", "statsmodels"),
        // Criterion files a function id's `/` as `_`.
        ("Cohen's kappa", "agreement/cohen_{n}_pairs", "cohen", "scikit-learn"),
        ("Majority vote", "consensus/majority_vote/{n}", "majority_vote", "crowd-kit"),
        ("Dawid–Skene, 50 iterations", "consensus/dawid_skene_50_iterations/{n}", "dawid_skene_50", "crowd-kit"),
    ];
    for (name, path, key, lib) in rows {
        for (n, refs) in reference {
            let ours = criterion_s(&path.replace("{n}", &n.to_string()));
            let theirs = refs.get(key).and_then(|v| v.as_f64());
            let ratio = match (ours, theirs) {
                (Some(a), Some(b)) if a > 0.0 => format!("{:.0}×", b / a),
                _ => "—".into(),
            };
            let _ = writeln!(md, "| {name} | {n} | {} | {lib} | {} | {ratio} |", fmt(ours), fmt(theirs));
        }
    }
    as_shipped(&mut md, reference);
    sync_figures(&mut md);
    md.push_str("\n## Guideline rules (no reference library)\n\n| workload | Concord |\n|---|---:|\n");
    for (name, path) in [
        ("one annotation, 12 boxes, 50 rules", "rules/one_annotation_12_boxes_50_rules"),
        ("1,000,000 annotations, 50 rules", "rules/dataset_1000000_annotations"),
    ] {
        let _ = writeln!(md, "| {name} | {} |", fmt_fine(criterion_s(path)));
    }
    md.push_str("\n## Polygons (exact IoU, no reference library)\n\n| workload | Concord |\n|---|---:|\n");
    for (name, path) in [
        ("IoU of two 16-vertex polygons", "polygons/iou/16"),
        ("IoU of two 64-vertex polygons", "polygons/iou/64"),
        ("consensus, 1,000 images × 3 annotators × 8 polygons", "polygons/consensus_1000_images"),
    ] {
        let _ = writeln!(md, "| {name} | {} |", fmt_fine(criterion_s(path)));
    }
    md.push_str(
        "\n## LiDAR scenes (no reference library)\n\n`cargo bench -p concord-engine --bench scene`, natively. The overlap \
         is held to Shapely (`crates/engine/tests/scene.rs`).\n\n| workload | target (in the worker) | Concord |\n|---|---:|---:|\n",
    );
    for (name, target, path) in [
        (
            "physics rules, 1,000 frames × 50 tracked cuboids, ego poses",
            "≤ 100 ms",
            "scene/physics_1000_frames_50_cuboids",
        ),
        ("points inside 50 cuboids of a 120,000-point frame", "—", "scene/points_inside_50_cuboids_120000_points"),
        ("interpolating a 1,000-frame track (keyframes every 10)", "≤ 5 ms", "scene/interpolate_1000_frame_track"),
        ("BEV and 3D IoU of two rotated boxes", "—", "scene/bev_and_3d_iou_one_pair"),
    ] {
        let _ = writeln!(md, "| {name} | {target} | {} |", fmt_fine(criterion_s(path)));
    }
    md.push_str(&scene_view_section());
    md.push_str(
        "\n## Intervals (1,000 bootstrap replicates, no reference library)\n\nCoverage by simulation, and the \
         command that makes it, are in `docs/intervals.md`.\n\n| workload | Concord |\n|---|---:|\n",
    );
    for (name, path) in [
        ("item bootstrap of every item-level figure, 1e5 annotations", "bootstrap/item_bootstrap_1000_100000"),
        ("Hayes & Krippendorff's bootstrap of α, 1e5 annotations", "bootstrap/hayes_krippendorff_1000_100000"),
        ("the agreement report with every interval, 1e5 annotations", "bootstrap/report_with_intervals_1000_100000"),
    ] {
        let _ = writeln!(md, "| {name} | {} |", fmt_fine(criterion_s(path)));
    }
    // The files' sizes are in "As shipped" (with when each is loaded).
    md.push_str("\n## The app (release build, headless Chromium)\n");
    let ui: serde_json::Value = std::fs::read_to_string(root().join("target/bench/ui.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or("target/bench/ui.json is missing")?;
    md.push_str(
        "\nInput to updated and laid-out page, in ms (median / 95th percentile / max, over n actions):\n\n\
                 | figure | n | median | p95 | max |\n|---|---:|---:|---:|---:|\n",
    );
    if let Some(groups) = ui.as_object() {
        for (group, figures) in groups {
            for (name, s) in figures.as_object().into_iter().flatten() {
                let _ =
                    writeln!(md, "| {group} · {name} | {} | {} | {} | {} |", s["n"], s["median"], s["p95"], s["max"]);
            }
        }
    }
    let import: Option<serde_json::Value> = std::fs::read_to_string(root().join("target/bench/import.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    if let Some(files) = import.as_ref().and_then(|v| v.as_object()).filter(|m| !m.is_empty()) {
        md.push_str(
            "\nReview mode's import of annotators' files: read in 4 MB slices (only the table is kept), merged, and analysed \
             (agreement, Dawid–Skene consensus, arbitration pool) in the import worker; time from the file dropped on \
             the page to the worker's answer, and until the page shows it with the review queue (timed in the page; from the \
             drop: the worker's wasm running, the answer arriving); of that, how long the page's \
             thread was held parsing the answer and rebuilding from its columns the table, the names' order, the \
             consensus and the opening queue (a step per task, so the page answers input between them); the longest \
             task on the page's thread during the import (a `longtask` PerformanceObserver; none of 50 ms or more \
             shows as 0); peak = the worker's WebAssembly \
             memory at the end, which only grows; intervals = of the worker's time, the agreement report with 1,000 \
             bootstrap replicates for every interval (batches up to 100,000 labels get them); the median of three \
             imports, the range of the time on the page in brackets:\n\n\
             | file | size | labels | worker | intervals | worker started | answer on the page | on the page | page thread held | longest task | worker memory peak |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        for (name, f) in files {
            let mb = |k: &str| f[k].as_f64().unwrap_or(0.0) / 1e6;
            let _ = writeln!(
                md,
                "| {name} | {:.1} MB | {} | {:.2} s | {} | {} | {} | {} | {} | {} | {:.1} MB |",
                mb("bytes"),
                f["annotations"],
                f["millis"].as_f64().unwrap_or(0.0) / 1000.0,
                f["intervals_ms"]
                    .as_f64()
                    .filter(|m| *m > 0.0)
                    .map_or("–".to_string(), |m| format!("{:.2} s", m / 1000.0)),
                f["worker_started_ms"].as_f64().map_or("–".to_string(), |m| format!("{m:.0} ms")),
                f["answer_arrived_ms"].as_f64().map_or("–".to_string(), |m| format!("{:.2} s", m / 1000.0)),
                match (
                    f["page_millis"].as_f64(),
                    f["page_millis_range"][0].as_f64(),
                    f["page_millis_range"][1].as_f64()
                ) {
                    (Some(m), Some(lo), Some(hi)) =>
                        format!("{:.2} s ({:.2}–{:.2})", m / 1000.0, lo / 1000.0, hi / 1000.0),
                    (Some(m), _, _) => format!("{:.2} s", m / 1000.0),
                    _ => "–".to_string(),
                },
                match (f["answer_parse_ms"].as_f64(), f["table_rebuild_ms"].as_f64()) {
                    (Some(a), Some(b)) => {
                        format!("{:.2} s", (a + b + f["consensus_rebuild_ms"].as_f64().unwrap_or(0.0)) / 1000.0)
                    }
                    _ => "–".to_string(),
                },
                f["longest_task_ms"].as_f64().map_or("–".to_string(), |m| format!("{m:.0} ms")),
                mb("peak_wasm_bytes")
            );
        }
    }
    if let Some(text) = std::fs::read_to_string(root().join("target/bench/learner.json")).ok() {
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("learner.json: {e}"))?;
        let ui: Option<serde_json::Value> = std::fs::read_to_string(root().join("target/bench/ui.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok());
        md.push_str(&crate::learner_bench::report(&v, ui.as_ref(), criterion_s));
    }
    Ok(md)
}

/// The "as shipped" section: each mode's and worker's size and what a first visit fetches (`tests/bench/delivery.mjs`),
/// and the concord-qa package in Node (`tests/bench/package.mjs`) beside native and the Python references.
/// The "Sync" section: annotator mode's outbox and review mode's reading against real nginx WebDAV on loopback
/// (`tests/bench/sync.mjs`).
fn sync_figures(md: &mut String) {
    use std::fmt::Write as _;
    let Some(s) = std::fs::read_to_string(root().join("target/bench/sync.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    else {
        return;
    };
    md.push_str(
        "\n## Sync (WebDAV)\n\nAnnotator mode's outbox and review mode's reading, as shipped, against nginx's DAV modules on \
         loopback behind the test server's proxy (`tests/bench/sync.mjs`, headless Chromium):\n\n| measure | figure |\n|---|---:|\n",
    );
    let ms = |v: &serde_json::Value| v.as_f64().map_or("—".into(), |x| format!("{x:.0} ms"));
    let _ = writeln!(
        md,
        "| an action submitted → its segment on the server (median of 5) | {} |",
        ms(&s["action_to_server_ms"]["median"])
    );
    let _ = writeln!(md, "| the same, slowest of 5 | {} |", ms(&s["action_to_server_ms"]["max"]));
    let _ = writeln!(
        md,
        "| review mode opened → the folder read and the figures shown | {} |",
        ms(&s["review_opened_to_figures_ms"])
    );
    let _ = writeln!(
        md,
        "| an action made just after the lead's open review page read the folder → counted there (the longest wait: one 15 s read interval plus the upload; median of 3) | {} |",
        ms(&s["action_to_review_ms"]["median"])
    );
    let _ = writeln!(md, "| the same, slowest of 3 | {} |", ms(&s["action_to_review_ms"]["max"]));
    let b = &s["backlog"];
    let _ = writeln!(
        md,
        "| a backlog of {} actions made offline → all on the server (page reopened, log restored, sent) | {:.1} s ({} actions/s) |",
        b["actions"], b["seconds"].as_f64().unwrap_or(f64::NAN), b["actions_per_second"]
    );
}

fn as_shipped(md: &mut String, reference: &[(usize, serde_json::Value)]) {
    use std::fmt::Write as _;
    let read = |f: &str| -> Option<serde_json::Value> {
        serde_json::from_str(&std::fs::read_to_string(root().join("target/bench").join(f)).ok()?).ok()
    };
    md.push_str("\n## As shipped\n\n");
    if let Some(d) = read("delivery.json") {
        md.push_str(
            "What users run: the release `dist/` (`tests/bench/delivery.mjs`, headless Chromium, a fresh profile per \
             visit, the median of three). A first visit counts every request the page and its workers make until the \
             mode is interactive (annotator and 3D mode: the first task shown; review mode: mounted), each code file at \
             its gzip -9 size. Each mode's wasm holds the code its first task runs; the rest of it \
             (`*_deferred.wasm`, `cargo xtask split-dist`) comes after.\n\n\
             | first visit | code fetched (gzip) | files | interactive after |\n|---|---:|---|---:|\n",
        );
        for (mode, url) in [
            ("annotator", "`?project=demo/retail/`"),
            ("review", "`?mode=review&project=demo/retail/`"),
            ("scene", "`?mode=scene&project=demo/street/`"),
        ] {
            let v = &d[mode];
            let files: Vec<&str> = v["code"].as_array().into_iter().flatten().filter_map(|f| f.as_str()).collect();
            let _ = writeln!(
                md,
                "| {} mode, {url} | {:.1} KB | {} | {} ms |",
                if mode == "scene" { "3D" } else { mode },
                v["code_gzip"].as_f64().unwrap_or(0.0) / 1000.0,
                files.join(", "),
                v["ready_ms"]
            );
        }
        md.push_str("\n| file | raw | gzip | loaded |\n|---|---:|---:|---|\n");
        let when = |f: &str| match f {
            f if f.starts_with("concord-annotate_deferred") => {
                "annotator mode, after the first task (the rest of its code)"
            }
            f if f.starts_with("concord-annotate") => "annotator mode",
            f if f.starts_with("concord-review_deferred") => "review mode, once mounted (the rest of its code)",
            f if f.starts_with("concord-review") => "review mode",
            f if f.starts_with("concord-scene-worker") => "3D mode, after the first frame (chunks, sequence checks)",
            f if f.starts_with("concord-scene_deferred") => "3D mode, after the first frame (the rest of its code)",
            f if f.starts_with("concord-scene") => "3D mode (point-cloud projects)",
            f if f.starts_with("concord-worker") => "annotator mode, after the first task (chunks, guideline)",
            f if f.starts_with("concord-import") => "review mode, on the first import",
            _ => "every mode",
        };
        for (f, v) in d["files"].as_object().into_iter().flatten() {
            if f == "sw.js" {
                continue;
            }
            let _ = writeln!(md, "| `{f}` | {} B | {} B | {} |", v["raw"], v["gzip"], when(f));
        }
    }
    if let Some(z) = read("size.json") {
        md.push_str(
            "\nWhere each mode's code goes (`tests/bench/size-profile.mjs`: the code of every function of cargo's output, \
             by crate and module, before wasm-opt; raw bytes, so read the shares):\n\n| wasm | code | largest modules |\n|---|---:|---|\n",
        );
        for (name, v) in z.as_object().into_iter().flatten() {
            let code = v["code"].as_f64().unwrap_or(1.0);
            let top: Vec<String> = v["top"]
                .as_array()
                .into_iter()
                .flatten()
                .take(12)
                .filter_map(|e| Some(format!("{} {:.1} %", e[0].as_str()?, 100.0 * e[1].as_f64()? / code)))
                .collect();
            let _ = writeln!(md, "| {name} | {:.0} KB | {} |", code / 1000.0, top.join(", "));
        }
    }
    if let Some(p) = read("package.json") {
        md.push_str(
            "\nThe `concord-qa` package (`target/concord-qa`, `compute` profile) in Node.js 20 on the same crowd CSVs, \
             medians; a `Table` built from columns (typed arrays of ids plus name tables) or from the CSV's bytes, then \
             the computation; native = the criterion figure above; reference = the Python library on the same rows:\n\n\
             | measure | n | package | native | × native | reference |\n|---|---:|---:|---:|---:|---:|\n",
        );
        let ms = |v: &serde_json::Value| v.as_f64().map(|m| fmt_fine(Some(m / 1e3))).unwrap_or_else(|| "—".into());
        for (n, refs) in reference {
            let r = &p[n.to_string()];
            if r.is_null() {
                continue;
            }
            let native = |path: &str| criterion_s(&path.replace("{n}", &n.to_string()));
            // `native` only where the package's figure is the same computation (on a built table); the rows that
            // start from columns or bytes include building the table.
            let alpha = native("agreement/krippendorff_nominal/{n}");
            let mv = native("consensus/majority_vote/{n}");
            let ds = native("consensus/dawid_skene_50_iterations/{n}");
            let boot = native("bootstrap/item_bootstrap_1000_{n}");
            let report = native("bootstrap/report_with_intervals_1000_{n}");
            let rows: [(&str, &str, Option<f64>, Option<&str>); 13] = [
                ("Table from columns", "table_from_columns_ms", None, None),
                ("Table from CSV bytes", "table_from_csv_bytes_ms", None, None),
                ("α (nominal) on a built Table", "alpha_on_table_ms", alpha, Some("krippendorff_nominal")),
                ("α from columns (Table built, then α)", "alpha_from_columns_ms", None, Some("krippendorff_nominal")),
                (
                    "α from CSV bytes (Table built, then α)",
                    "alpha_from_csv_bytes_ms",
                    None,
                    Some("krippendorff_nominal"),
                ),
                ("every agreement figure on a built Table", "agreement_on_table_ms", None, None),
                ("majority vote on a built Table (`aggregateColumns`)", "mv_on_table_ms", mv, Some("majority_vote")),
                ("majority vote from columns", "mv_from_columns_ms", None, Some("majority_vote")),
                ("majority vote, JSON report per item (`aggregate`)", "mv_report_json_ms", None, Some("majority_vote")),
                ("Dawid–Skene, 50 iterations, on a built Table", "ds_50_on_table_ms", ds, Some("dawid_skene_50")),
                ("agreement from records (object API)", "agreement_from_records_ms", None, None),
                ("α's interval, 1,000 replicates (`alphaInterval`)", "alpha_interval_1000_on_table_ms", boot, None),
                (
                    "every figure with its interval, 1,000 replicates",
                    "agreement_with_intervals_1000_on_table_ms",
                    report,
                    None,
                ),
            ];
            for (name, key, native, reference_key) in rows {
                let Some(ours) = r[key].as_f64() else { continue };
                let ours = Some(ours);
                let ratio = match (ours, native) {
                    (Some(a), Some(b)) if b > 0.0 => format!("{:.1}×", a / 1e3 / b),
                    _ => "—".into(),
                };
                let theirs = reference_key.and_then(|k| refs.get(k)).and_then(|v| v.as_f64());
                let _ = writeln!(
                    md,
                    "| {name} | {n} | {} | {} | {ratio} | {} |",
                    ms(&r[key]),
                    fmt_fine(native),
                    fmt_fine(theirs)
                );
            }
        }
    }
}

/// The 3D view's figures (`BENCH_ONLY=scene node tests/bench/ui.mjs`, in `target/bench/ui.json`), as a section.
fn scene_view_section() -> String {
    let ui: serde_json::Value = std::fs::read_to_string(root().join("target/bench/ui.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let s = &ui["scene"];
    if s.is_null() {
        return String::new();
    }
    let ms = |v: &serde_json::Value| format!("{} ms (p95 {})", v["median"], v["p95"]);
    let script = s["edit"]["median"].as_f64().unwrap_or(0.0) - s["edit_draw_last"].as_f64().unwrap_or(0.0);
    format!(
        "\n### The 3D view, as shipped\n\n`cargo xtask bench --bundles`, then `BENCH_ONLY=scene node tests/bench/ui.mjs`: \
         the release `concord-scene` in headless Chromium, which draws WebGL2 with SwiftShader here (no GPU), on the \
         street demo scanned at {} points a frame (`target/bench-bundles/street`). Draws are timed to a pixel read \
         back (WebGL's calls return before the drawing is done); medians.\n\n\
         | measure | target | Concord |\n|---|---:|---:|\n\
         | a frame while orbiting ({} points drawn) | ≤ 33 ms | {} |\n\
         | the full frame, still | ≤ 150 ms | {} |\n\
         | an edit to its checks and cuboids drawn (20,000 points; the full frame follows when still) | ≤ one orbit frame | {} |\n\
         | of which the script (wasm and JS: the log, the checks over the sequence, the lines) | ≤ 8 ms | {script:.1} ms |\n\
         | the next frame shown (its cloud prefetched) | ≤ 100 ms | {} |\n\
         | drawing, per point (full frame) | — | {} µs |\n\
         | `min_points` over the sequence: the moved cuboid's points counted in the worker, after each pause | — | {} |\n",
        s["points"],
        s["orbit_points"],
        ms(&s["orbit_frame"]),
        ms(&s["full_frame"]),
        ms(&s["edit"]),
        ms(&s["next_frame"]),
        s["us_per_point_full"],
        ms(&s["sequence_count"]),
    ) + &sequence_section(&ui["sequence"])
}

/// The physics rules over a long sequence in the 3D mode's worker (`BENCH_ONLY=sequence`).
fn sequence_section(q: &serde_json::Value) -> String {
    if q.is_null() {
        return String::new();
    }
    let ms = |v: &serde_json::Value| format!("{} ms (p95 {})", v["median"], v["p95"]);
    format!(
        "\nThe physics rules over the whole sequence, in the 3D mode's worker as shipped (`BENCH_ONLY=sequence node \
         tests/bench/ui.mjs`, `target/bench-bundles/sequence`): {} frames, {} tracked cuboids (the scene of the \
         criterion benchmark above, its log imported), checked after each of 15 edits; medians.\n\n\
         | measure | target | Concord |\n|---|---:|---:|\n\
         | the rules in the worker (the engine's time there) | ≤ 100 ms | {} |\n\
         | the page's share (the sequence's cuboids gathered, compared with what the worker holds, the frames changed \
         written) | — | {} |\n\
         | from the pause in the edits to the list shown | — | {} |\n",
        q["frames"],
        q["cuboids"],
        ms(&q["engine"]),
        ms(&q["send"]),
        ms(&q["round_trip"]),
    )
}
