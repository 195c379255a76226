//! The online learner held to its references (`cargo xtask bench --learner`):
//! - on the classifier demos (digits, retail, tickets), a seeded crowd's labels are fed to `concord learn` in order,
//!   and scikit-learn's `LogisticRegression` (`reference/learner_reference.py`) is trained offline on the same
//!   features and the same first N labels; both are scored on the bundle's gold. News, a span tagger, reports its
//!   own F1 curve.
//! - a seeded simulation on the digits: uncertainty order (least confidence, re-ranked as the model learns) against
//!   random order, gold accuracy by labels seen, drawn as `docs/learning-curve.svg`.
//!
//! Everything lands in `target/bench/learner.json`, which `bench --rewrite-report` puts in BENCHMARKS.md.

use std::collections::BTreeSet;

use concord_engine::bundle::{load_bundle, load_embeddings, Embeddings, LoadedBundle};
use concord_engine::learn::{least_confidence, ProjectLearner, Sample};
use concord_engine::model::TaskResult;
use concord_engine::rng::SplitMix64;
use serde_json::{json, Value};

use crate::demo::Files;
use crate::process::{cmd, root};

/// Label counts of the reference table.
pub const CURVE: [usize; 3] = [100, 500, 2000];
/// Label counts for the region demos, where one label is an image of 5 to 30 regions: the region labeller's curve
/// is in its first few images.
const REGION_CURVE: [usize; 5] = [1, 2, 5, 20, 100];
/// How often a simulated annotator gives the true label.
const ACCURACY: f64 = 0.95;

pub fn run() -> Result<(), String> {
    let python = crate::setup::reference_python()?;
    let dir = root().join("target/bench/learner");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut table = Vec::new();
    for (name, files) in crate::demo::generate() {
        if !["digits", "retail", "tickets", "news", "shelf", "aerial"].contains(&name) {
            continue;
        }
        let regions = ["shelf", "aerial"].contains(&name);
        let counts: &[usize] = if regions { &REGION_CURVE } else { &CURVE };
        let labels = dir.join(format!("{name}-labels.jsonl"));
        let lines: String =
            crowd(&files, *counts.last().unwrap(), 0x1AB3_1000).iter().map(|v| v.to_string() + "\n").collect();
        std::fs::write(&labels, lines).map_err(|e| e.to_string())?;
        let out = dir.join(format!("{name}-model"));
        let _ = std::fs::remove_dir_all(&out);
        let features = dir.join(format!("{name}-features.jsonl"));
        let bundle = root().join("www/demo").join(name);
        let curve: Vec<String> = counts.iter().map(ToString::to_string).collect();
        let mut learn = cmd("cargo");
        learn.args(["run", "-q", "--release", "-p", "concord-cli", "--", "learn", "--bundle"]).arg(&bundle);
        learn.arg(&labels).arg("--out").arg(&out).args(["--curve", &curve.join(",")]);
        let tagger = name == "news";
        if !tagger {
            learn.arg("--features").arg(&features);
        }
        let ours = output(&mut learn)?;
        let ours: Value = serde_json::from_str(&ours).map_err(|e| format!("concord learn: {e}"))?;
        let control = ours["control"].as_str().unwrap_or_default().to_string();
        let reference = if tagger {
            Value::Null
        } else {
            let mut py = cmd(python.to_str().ok_or("a non-UTF-8 path")?);
            py.arg(root().join("crates/xtask/reference/learner_reference.py"));
            if regions {
                py.arg("--region-features").arg(&features).args(["--curve", &curve.join(",")]);
            } else {
                py.arg("--features").arg(&features).arg("--labels").arg(&labels);
                py.arg("--gold").arg(bundle.join("gold.jsonl"));
                py.args(["--control", &control, "--curve", &curve.join(",")]);
            }
            let model: Value = serde_json::from_str(
                &std::fs::read_to_string(out.join("model.json")).map_err(|e| format!("model.json: {e}"))?,
            )
            .map_err(|e| format!("model.json: {e}"))?;
            py.args(["--l2", &model["settings"]["l2"].to_string()]);
            serde_json::from_str(&output(&mut py)?).map_err(|e| format!("learner_reference.py: {e}"))?
        };
        let gold_items = ours["gold"]["items"].clone();
        for point in ours["curve"].as_array().into_iter().flatten() {
            let n = point["labels"].as_u64().unwrap_or(0);
            let row = json!({
                "demo": name, "control": control, "labels": n, "gold_items": gold_items,
                "measure": if tagger { "span F1" } else if regions { "region label accuracy" } else { "accuracy" },
                "online": point["gold"]["accuracy"], "sklearn": reference[n.to_string()],
            });
            println!("{row}");
            table.push(row);
        }
    }
    let simulation = order_simulation()?;
    std::fs::write(root().join("docs/learning-curve.svg"), curve_svg(&simulation)).map_err(|e| e.to_string())?;
    let result = json!({"reference": table, "order": simulation});
    std::fs::write(root().join("target/bench/learner.json"), serde_json::to_string_pretty(&result).unwrap())
        .map_err(|e| e.to_string())?;
    println!("wrote target/bench/learner.json and docs/learning-curve.svg");
    splice_into_report(&result)
}

const SECTION: &str = "\n## The online learner against scikit-learn";

/// Puts this section into BENCHMARKS.md in place of the last one (the rest of the report is left as it is: it
/// comes from the other benchmarks' runs).
pub fn splice_into_report(result: &Value) -> Result<(), String> {
    let path = root().join("BENCHMARKS.md");
    let md = std::fs::read_to_string(&path).map_err(|e| format!("BENCHMARKS.md: {e}"))?;
    let ui: Option<Value> =
        std::fs::read_to_string(root().join("target/bench/ui.json")).ok().and_then(|t| serde_json::from_str(&t).ok());
    let section = report(result, ui.as_ref(), crate::bench::criterion_s);
    let (before, after) = match md.find(SECTION) {
        Some(start) => {
            let end = md[start + 1..].find("\n## ").map_or(md.len(), |e| start + 1 + e);
            (&md[..start], &md[end..])
        }
        None => (md.as_str(), ""),
    };
    std::fs::write(&path, format!("{}{section}{after}", before.trim_end_matches('\n').to_string() + "\n"))
        .map_err(|e| e.to_string())?;
    println!("wrote the learner's section of BENCHMARKS.md");
    Ok(())
}

fn output(c: &mut std::process::Command) -> Result<String, String> {
    let out = c.output().map_err(|e| format!("{c:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{c:?}: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `n` labels from a seeded crowd of five annotators, as Concord annotation records: the demo's non-gold tasks in a
/// shuffled order, round after round (a new order each round, annotators taking turns), each label the truth with
/// probability [`ACCURACY`] — otherwise another label of the control, or for spans one span left out.
pub fn crowd(files: &Files, n: usize, seed: u64) -> Vec<Value> {
    let gold: BTreeSet<String> = files.text.get("gold.jsonl").map_or_else(BTreeSet::new, |g| {
        g.lines().filter_map(|l| serde_json::from_str::<Value>(l).ok()?["task"].as_str().map(String::from)).collect()
    });
    let manifest: Value = serde_json::from_str(&files.text["project.json"]).expect("the demo's manifest");
    let pool: Vec<(&String, &Value)> = files.truth.iter().filter(|(t, _)| !gold.contains(*t)).collect();
    let mut rng = SplitMix64::new(seed);
    let mut out = Vec::with_capacity(n);
    let mut round = 0;
    while out.len() < n && !pool.is_empty() {
        let mut order: Vec<usize> = (0..pool.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for (k, &i) in order.iter().enumerate() {
            if out.len() == n {
                break;
            }
            let (task, truth) = pool[i];
            let mut result = truth.clone();
            if rng.unit() >= ACCURACY {
                for (control, value) in result.as_object_mut().expect("a result object") {
                    blur(&manifest, control, value, &mut rng);
                }
            }
            out.push(json!({"task": task, "annotator": format!("crowd-{}", (round + k) % 5 + 1), "result": result}));
        }
        round += 1;
    }
    out
}

/// One mistake: another label for a choice or for one region (a box, a polygon), one span left out of a list of
/// spans.
fn blur(manifest: &Value, control: &str, value: &mut Value, rng: &mut SplitMix64) {
    let Some(items) = value.as_array_mut() else { return };
    let others = |now: Option<&str>| -> Vec<String> {
        manifest["schema"]["controls"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["name"] == control)
            .flat_map(|c| c["labels"].as_array().into_iter().flatten().filter_map(|l| l["value"].as_str()))
            .filter(|l| Some(*l) != now)
            .map(String::from)
            .collect()
    };
    if items.first().is_some_and(Value::is_string) {
        let labels = others(items[0].as_str());
        if !labels.is_empty() {
            items[0] = Value::from(labels[rng.below(labels.len())].as_str());
        }
    } else if items.first().is_some_and(|r| r.get("label").is_some() && r.get("start").is_none()) {
        let k = rng.below(items.len());
        let labels = others(items[k]["label"].as_str());
        if !labels.is_empty() {
            items[k]["label"] = Value::from(labels[rng.below(labels.len())].as_str());
        }
    } else if !items.is_empty() {
        items.remove(rng.below(items.len()));
    }
}

fn digits() -> Result<(LoadedBundle, Embeddings, Files), String> {
    let files = crate::demo::generate().into_iter().find(|(n, _)| *n == "digits").ok_or("no digits demo")?.1;
    let b = load_bundle(|p| files.text.get(p).cloned().ok_or_else(|| "missing".into())).map_err(|e| e.to_string())?;
    let e = load_embeddings(&b.project, &b.tasks, |p| files.binary.get(p).cloned().ok_or_else(|| "missing".into()))
        .map_err(|e| e.to_string())?
        .ok_or("the digits demo has no embeddings")?;
    Ok((b, e, files))
}

/// Labels seen at which the simulation scores the model.
const STEP: usize = 10;
/// Labels per simulated run.
const BUDGET: usize = 400;
/// Runs per order (seeds).
const RUNS: u64 = 5;
/// The accuracy the summary counts labels to.
const TARGET: f64 = 0.9;

/// Uncertainty order against random order on the digits: each run starts from the same 10 random labels, then
/// takes the next task at random or the pool's least confident one (re-ranked after every label), until
/// [`BUDGET`] labels; the gold accuracy every [`STEP`] labels, averaged over [`RUNS`] seeds.
fn order_simulation() -> Result<Value, String> {
    let (b, e, files) = digits()?;
    let gold: BTreeSet<&str> = b.gold.iter().map(|g| g.task.as_str()).collect();
    let pool: Vec<usize> = (0..b.tasks.len()).filter(|&i| !gold.contains(b.tasks[i].id.as_str())).collect();
    let truth = |i: usize| -> TaskResult {
        serde_json::from_value(files.truth[&b.tasks[i].id].clone()).expect("a digit result")
    };
    let mut curves = serde_json::Map::new();
    for order in ["random", "uncertainty"] {
        let mut sums = vec![0.0; BUDGET / STEP];
        for run in 0..RUNS {
            let mut rng = SplitMix64::new(0x0D16_0000 + run);
            let mut left = pool.clone();
            let mut learner = ProjectLearner::for_project(&b.project, None).map_err(|e| e.to_string())?;
            for k in 0..BUDGET {
                let pick = if k < STEP || order == "random" {
                    rng.below(left.len())
                } else {
                    // The least confident task of the pool (the first of equals).
                    let lc = |i: usize| {
                        learner
                            .probabilities(Sample::of(&b.tasks[left[i]], Some(&e)))
                            .map_or(1.0, |p| least_confidence(&p))
                    };
                    (0..left.len())
                        .fold((0, f64::MIN), |(bi, bv), i| {
                            let v = lc(i);
                            if v > bv {
                                (i, v)
                            } else {
                                (bi, bv)
                            }
                        })
                        .0
                };
                let task = left.swap_remove(pick);
                learner.learn(Sample::of(&b.tasks[task], Some(&e)), &truth(task));
                if (k + 1) % STEP == 0 {
                    sums[k / STEP] += learner.evaluate(&b.tasks, Some(&e), &b.gold).accuracy.unwrap_or(0.0);
                }
            }
        }
        let curve: Vec<Value> =
            sums.iter().enumerate().map(|(k, s)| json!([(k + 1) * STEP, s / RUNS as f64])).collect();
        curves.insert(order.into(), Value::Array(curve));
    }
    let reach = |order: &str| {
        curves[order].as_array().and_then(|c| c.iter().find(|p| p[1].as_f64() >= Some(TARGET)).map(|p| p[0].clone()))
    };
    Ok(json!({
        "demo": "digits", "runs": RUNS, "budget": BUDGET, "target": TARGET, "annotator_accuracy": 1.0,
        "labels_to_target": {"random": reach("random"), "uncertainty": reach("uncertainty")},
        "curves": curves,
    }))
}

/// The two curves as an SVG line chart (deterministic text: the same figures give the same bytes).
pub fn curve_svg(sim: &Value) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 360.0, 56.0, 16.0, 40.0, 44.0);
    let budget = sim["budget"].as_f64().unwrap_or(400.0);
    let (y0, y1) = (0.5, 1.0);
    let x = |n: f64| left + (w - left - right) * n / budget;
    let y = |a: f64| top + (h - top - bottom) * (1.0 - (a.clamp(y0, y1) - y0) / (y1 - y0));
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         font-family=\"sans-serif\" font-size=\"12\">\n<title>Gold accuracy by labels seen: uncertainty order against \
         random order (digits, mean of {} runs)</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n",
        sim["runs"]
    );
    for k in 0..=5 {
        let a = y0 + (y1 - y0) * f64::from(k) / 5.0;
        s += &format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#e5e5e5\"/><text x=\"{}\" y=\"{:.1}\" \
             text-anchor=\"end\">{:.0} %</text>\n",
            w - right,
            y(a),
            y(a),
            left - 6.0,
            y(a) + 4.0,
            a * 100.0
        );
    }
    for k in 0..=4 {
        let n = budget * f64::from(k) / 4.0;
        s += &format!("<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{n:.0}</text>\n", x(n), h - bottom + 18.0);
    }
    s += &format!(
        "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">labels seen</text>\n<text x=\"{left}\" y=\"24\" \
         font-weight=\"bold\">Gold accuracy on 299 held-out digits</text>\n",
        x(budget / 2.0),
        h - 6.0
    );
    let target = sim["target"].as_f64().unwrap_or(0.9);
    s += &format!(
        "<line x1=\"{left}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>\n",
        w - right,
        y(target),
        y(target)
    );
    for (order, colour, ly) in [("uncertainty", "#c0392b", 240.0), ("random", "#2e86c1", 258.0)] {
        let points: Vec<String> = sim["curves"][order]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| format!("{:.1},{:.1}", x(p[0].as_f64().unwrap_or(0.0)), y(p[1].as_f64().unwrap_or(0.0))))
            .collect();
        s += &format!(
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>\n",
            points.join(" ")
        );
        let reach = sim["labels_to_target"][order].as_u64().map_or("not reached".into(), |n| format!("{n} labels"));
        s += &format!(
            "<line x1=\"{}\" x2=\"{}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2\"/><text x=\"{}\" \
             y=\"{}\">{order} order: {:.0} % gold accuracy in {reach}</text>\n",
            w - 330.0,
            w - 310.0,
            w - 304.0,
            ly + 4.0,
            target * 100.0
        );
    }
    s + "</svg>\n"
}

/// BENCHMARKS.md's section on the learner, from `target/bench/learner.json`, with its speed: criterion's figures
/// (natively) beside the app's worker in headless Chromium as shipped (`ui.json`'s `learner`, from
/// `BENCH_ONLY=learner node tests/bench/ui.mjs`).
pub fn report(v: &Value, ui: Option<&Value>, criterion: impl Fn(&str) -> Option<f64>) -> String {
    use std::fmt::Write as _;
    let mut md = String::from(
        "\n## The online learner against scikit-learn\n\n`cargo xtask bench --learner` (after `cargo bench -p concord-engine --bench learn` and `BENCH_ONLY=learner node tests/bench/ui.mjs` for its speed). A seeded crowd of five \
         annotators (each label right with probability 0.95) labels each demo's non-gold tasks, round after round; \
         `concord learn --curve` trains the online model on the labels in that order, and scikit-learn's \
         `LogisticRegression` (`crates/xtask/reference/learner_reference.py`, lbfgs, C = 1 / (N·λ): the online \
         model's own L2 penalty) is trained offline on the same features and the same first N labels. Both are \
         scored on the bundle's gold, which no label touches. News is learned by the span tagger (an averaged \
         perceptron); its figure is the exact-span F1, with no scikit-learn counterpart. Shelf (boxes) and aerial \
         (polygons) are learned by the region labeller (each labelled region an example, read by its size, aspect, \
         place and the image's other labels; a crowd's mistake there is one region's label): the figure is the share \
         of gold regions labelled right, scikit-learn trained on the same regions' features, at 1 to 100 images. The retail and tickets demos have 20 and 12 \
         gold tasks, so one task is 5 and 8.3 points there; the digits' 299 held-out scans (scikit-learn's \
         `load_digits`) are the figure that tests the 2-point bound.\n\n\
         | demo | gold items | N labels | online | scikit-learn | difference |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for r in v["reference"].as_array().into_iter().flatten() {
        let pct = |x: &Value| x.as_f64().map_or("—".to_string(), |a| format!("{:.1} %", a * 100.0));
        let diff = match (r["online"].as_f64(), r["sklearn"].as_f64()) {
            (Some(a), Some(b)) => format!("{:+.1} points", (a - b) * 100.0),
            _ => "—".into(),
        };
        let _ = writeln!(
            md,
            "| {} ({}) | {} | {} | {} | {} | {diff} |",
            r["demo"].as_str().unwrap_or(""),
            r["measure"].as_str().unwrap_or(""),
            r["gold_items"],
            r["labels"],
            pct(&r["online"]),
            pct(&r["sklearn"]),
        );
    }
    let o = &v["order"];
    let _ = write!(
        md,
        "\nUncertainty order against random order on the digits (mean of {} seeded runs, re-ranked by least \
         confidence after every label, from the same 10 random labels): {:.0} % gold accuracy after {} labels in \
         uncertainty order, {} in random order. The curves: [docs/learning-curve.svg](docs/learning-curve.svg).\n",
        o["runs"],
        o["target"].as_f64().unwrap_or(0.0) * 100.0,
        o["labels_to_target"]["uncertainty"],
        o["labels_to_target"]["random"],
    );
    md.push_str(
        "\nSpeed: natively (criterion, `cargo bench -p concord-engine --bench learn`, median) and in the app's chunk \
         worker as shipped (headless Chromium, the worker's own timing of each job, `BENCH_ONLY=learner node \
         tests/bench/ui.mjs`: median / p95 of 30 submissions; the texts of `target/bench-bundles/learner`).\n\n\
         | measure | target | native | worker (median / p95) |\n|---|---:|---:|---:|\n",
    );
    let ms = |s: Option<f64>| s.map_or("—".to_string(), |s| format!("{:.3} ms", s * 1e3));
    let worker = |path: &[&str]| {
        let mut x = ui.cloned().unwrap_or(Value::Null);
        for p in path {
            x = x[*p].clone();
        }
        match (x["median"].as_f64(), x["p95"].as_f64()) {
            (Some(m), Some(p)) => format!("{m:.2} / {p:.2} ms"),
            _ => "—".into(),
        }
    };
    for (name, target, bench, path) in [
        (
            "one update after a submission (text, 2^18 features, 20 classes, rehearsal included)",
            "5 ms",
            "learn/text_update_2e18_features_20_classes",
            ["learner", "text", "update_ms"],
        ),
        ("scoring the next task", "2 ms", "learn/text_score_one_task", ["learner", "text", "score_per_task_ms"]),
        (
            "re-ranking a queue of 100,000 tasks",
            "300 ms",
            "learn/rank_100000_tasks",
            ["learner", "text", "rerank_100k_ms"],
        ),
        (
            "a tagger update on a sentence of 30 tokens",
            "5 ms",
            "learn/tagger_update_30_tokens",
            ["learner", "tagger", "update_ms"],
        ),
        (
            "re-ranking 1,000 sentences of 30 tokens (tagger, least token margin)",
            "",
            "learn/tagger_rank_1000_sentences",
            ["learner", "tagger", "rerank_1000_ms"],
        ),
        (
            "a region labeller's update on an image of 30 boxes (64 rehearsals per box)",
            "",
            "learn/region_update_30_boxes",
            ["learner", "regions", "update_30_boxes_ms"],
        ),
        (
            "its suggestion for an image of 30 boxes (after every edit)",
            "",
            "learn/region_suggest_30_boxes",
            ["learner", "regions", "suggest_30_boxes_ms"],
        ),
    ] {
        let target = if target.is_empty() { "—".to_string() } else { format!("≤ {target}") };
        let _ = writeln!(md, "| {name} | {target} | {} | {} |", ms(criterion(bench)), worker(&path));
    }
    let open = ui.and_then(|u| u["learner"]["text"]["open_ms"].as_f64());
    let _ = writeln!(
        md,
        "\nRe-ranking reads the queue as distinct words and word n-grams with each text's norm (`learn::TextIndex`), \
         built once when the model opens: {} natively (`learn/text_index_100000_tasks`); without it, ranking hashes \
         every n-gram again ({} natively). Opening the model in the worker, every task read and the index built: {}.",
        ms(criterion("learn/text_index_100000_tasks")),
        ms(criterion("learn/rank_100000_tasks_without_index")),
        open.map_or("—".to_string(), |o| format!("{o:.0} ms")),
    );
    md
}
