//! The `concord` binary as a user runs it: JSON on stdout, errors on stderr with exit code 2.

use std::path::{Path, PathBuf};
use std::process::Command;

fn concord(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_concord")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// A file of the published vectors, kept in the repository (`tests/data/published/`). Always there: the `Option`
/// keeps the call sites' shape.
fn published(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/published").join(name);
    assert!(p.is_file(), "{} is missing from the repository", p.display());
    Some(p)
}

/// The JSON a successful run prints.
fn json(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = concord(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

fn temp(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("concord-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

#[test]
fn agreement_prints_the_contract_with_nulls_for_measures_that_do_not_apply() {
    let Some(f) = published("kripp2011_c_4coders_missing.csv") else { return };
    let (code, out, _) = concord(&["agreement", f.to_str().unwrap()]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in [
        "items",
        "annotators",
        "annotations",
        "percent_agreement",
        "cohen_kappa",
        "weighted_kappa",
        "scott_pi",
        "fleiss_kappa",
        "krippendorff_alpha",
        "pairwise",
        "per_label",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["items"], 12);
    assert!(v["cohen_kappa"].is_null() && v["fleiss_kappa"].is_null() && v["weighted_kappa"]["linear"].is_null());
    assert!((v["krippendorff_alpha"]["ordinal"].as_f64().unwrap() - 0.8153875037548814).abs() < 1e-9);
    assert_eq!(v["pairwise"].as_array().unwrap().len(), 6);
}

#[test]
fn agreement_with_an_order_for_letter_labels() {
    let f = temp("letters.csv", "item,annotator,label\n1,a,low\n1,b,mid\n2,a,high\n2,b,high\n3,a,low\n3,b,low\n");
    let (code, out, _) = concord(&["agreement", f.to_str().unwrap()]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["krippendorff_alpha"]["ordinal"].is_null(), "no order, no ordinal alpha");
    let (code, out, _) = concord(&["agreement", f.to_str().unwrap(), "--order", "low,mid,high"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["krippendorff_alpha"]["ordinal"].is_number());
    assert!(v["weighted_kappa"]["quadratic"].is_number());
    let (code, _, err) = concord(&["agreement", f.to_str().unwrap(), "--order", "low,high"]);
    assert_eq!(code, 2);
    assert!(err.contains("label `mid` is not in the given order"), "{err}");
}

#[test]
fn several_csv_files_merge_and_cross_file_duplicates_are_named() {
    let a = temp("part1.csv", "item,annotator,label\nx,ann,1\ny,ann,2\n");
    let b = temp("part2.csv", "item,annotator,label\nx,bob,1\nx,ann,2\n");
    let (code, _, err) = concord(&["agreement", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("part2.csv: line 3: annotator `ann` labelled item `x` twice (first on")
            && err.contains("part1.csv:2"),
        "{err}"
    );
    let c = temp("part3.csv", "item,annotator,label\nx,bob,1\ny,bob,2\n");
    let (code, out, _) = concord(&["agreement", a.to_str().unwrap(), c.to_str().unwrap()]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["annotators"].as_u64(), v["percent_agreement"].as_f64()), (Some(2), Some(1.0)));
}

#[test]
fn bad_input_exits_2_with_file_and_place() {
    let f = temp("bad.csv", "item,annotator,label\na,x\n");
    let (code, out, err) = concord(&["agreement", f.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("bad.csv: line 2: this row has 2 fields but the header has 3"), "{err}");
    let (code, _, err) = concord(&["agreement", "/no/such/file.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("/no/such/file.csv: cannot open"), "{err}");
    let (code, _, err) = concord(&["agreement", f.to_str().unwrap(), "--bogus"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown option --bogus"), "{err}");
    let (code, _, _) = concord(&["frobnicate"]);
    assert_eq!(code, 2);
    let t = temp("x.txt", "hello");
    let (code, _, err) = concord(&["agreement", t.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot tell the format from the extension `.txt`"), "{err}");
}

#[test]
fn gold_for_categorical_data() {
    let (Some(d), Some(g)) = (published("ds_toy_ysda.csv"), published("ds_toy_ysda_truth.csv")) else { return };
    let (code, out, err) = concord(&["gold", d.to_str().unwrap(), "--gold", g.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let w2 = &v["annotators"]["w2"];
    assert!(w2["accuracy"].is_number() && w2["accuracy_ci95"].as_array().unwrap().len() == 2);
    assert_eq!(v["confusion"]["labels"], serde_json::json!(["no", "yes"]));
    assert_eq!(v["overall"]["items"], 24);
}

#[test]
fn span_agreement_and_gold_from_span_jsonl() {
    let line = |spans: &str| format!("{{\"id\":\"d1\",\"text\":\"Ana met Bo in Oslo\",\"spans\":{spans}}}\n");
    let a = temp("alice.jsonl", &line(r#"[{"start":0,"end":3,"label":"PER"},{"start":14,"end":18,"label":"LOC"}]"#));
    let b = temp("bob.jsonl", &line(r#"[{"start":0,"end":3,"label":"PER"},{"start":8,"end":10,"label":"PER"}]"#));
    let (code, out, err) = concord(&["agreement", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let p = &v["pairwise"][0];
    assert_eq!((p["a"].as_str(), p["b"].as_str(), p["f1"].as_f64()), (Some("alice"), Some("bob"), Some(0.5)));
    let g = temp(
        "gold.jsonl",
        &line(
            r#"[{"start":0,"end":3,"label":"PER"},{"start":8,"end":10,"label":"PER"},{"start":14,"end":18,"label":"LOC"}]"#,
        ),
    );
    let (code, out, err) = concord(&["gold", a.to_str().unwrap(), b.to_str().unwrap(), "--gold", g.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["annotators"]["alice"]["precision"], 1.0);
    assert!((v["annotators"]["alice"]["recall"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(v["annotators"]["bob"]["per_type"]["PER"]["support"], 2);
}

#[test]
fn validate_bundle_on_every_demo() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo");
    for (name, tasks) in [("retail", 200), ("news", 300), ("shelf", 120)] {
        let (code, out, err) = concord(&["validate-bundle", demo.join(name).to_str().unwrap()]);
        assert_eq!(code, 0, "{name}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["tasks"], tasks, "{name}");
    }
    let (code, _, err) = concord(&["validate-bundle", "/no/such/bundle"]);
    assert_eq!(code, 2);
    assert!(err.contains("project.json: cannot read"), "{err}");
}

#[test]
fn coco_gold_prints_the_twelve_cocoeval_numbers() {
    let cases: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/reference/cocoeval_cases.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let c = &cases["ties_and_crowds"];
    let gt = temp("gt.json", &c["gt"].to_string());
    let dt = temp("detections.json", &c["dt"].to_string());
    let (code, out, err) = concord(&["gold", dt.to_str().unwrap(), "--gold", gt.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let names = [
        "AP",
        "AP50",
        "AP75",
        "AP_small",
        "AP_medium",
        "AP_large",
        "AR1",
        "AR10",
        "AR100",
        "AR_small",
        "AR_medium",
        "AR_large",
    ];
    for (name, want) in names.iter().zip(c["stats"].as_array().unwrap()) {
        assert!((v[name].as_f64().unwrap() - want.as_f64().unwrap()).abs() < 1e-9, "{name}");
    }
    assert!(v["per_category"]["cat1"]["AP"].is_number());
}

#[test]
fn label_studio_export_agreement_and_gold() {
    let task = |anns: serde_json::Value| {
        serde_json::json!([{"id": 1, "data": {"text": "x"}, "annotations": anns},
                                                           {"id": 2, "data": {"text": "y"}, "annotations": []}])
    };
    let choice = |who: u32, c: &str, gt: bool| {
        serde_json::json!({"completed_by": who, "ground_truth": gt,
        "result": [{"type": "choices", "from_name": "sentiment", "to_name": "text", "value": {"choices": [c]}}]})
    };
    let export = temp(
        "ls.json",
        &task(serde_json::json!([choice(1, "pos", false), choice(2, "neg", false), choice(3, "pos", true)]))
            .to_string(),
    );
    let (code, out, err) = concord(&["agreement", export.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The ground-truth annotation is not an annotator.
    assert_eq!((v["annotators"].as_u64(), v["percent_agreement"].as_f64()), (Some(2), Some(0.0)));
    let (code, out, err) = concord(&["gold", export.to_str().unwrap(), "--gold", export.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["annotators"]["user-1"]["accuracy"], 1.0);
    assert_eq!(v["annotators"]["user-2"]["accuracy"], 0.0);
}

#[test]
fn coco_files_as_annotators_for_box_agreement() {
    let file = |boxes: &str| {
        format!(
            r#"{{"images":[{{"id":1,"file_name":"a.jpg"}}],"categories":[{{"id":1,"name":"car"}}],"annotations":[{boxes}]}}"#
        )
    };
    let a = temp("ann_a.json", &file(r#"{"id":1,"image_id":1,"category_id":1,"bbox":[0,0,10,10]}"#));
    let b = temp("ann_b.json", &file(r#"{"id":1,"image_id":1,"category_id":1,"bbox":[1,0,10,10]}"#));
    let (code, out, err) = concord(&["agreement", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["f1_50"].as_f64(), v["f1_75"].as_f64()), (Some(1.0), Some(1.0)));
    assert!((v["pairwise"][0]["mean_iou_50"].as_f64().unwrap() - 90.0 / 110.0).abs() < 1e-12);
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = concord(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn sample_is_reproducible_and_sized() {
    let mut csv = String::from("item,annotator,label\n");
    for i in 0..200 {
        for a in ["x", "y"] {
            csv.push_str(&format!("i{i},{a},{}\n", i % 3));
        }
    }
    let f = temp("qc.csv", &csv);
    let a = json_of(&["sample", f.to_str().unwrap(), "--rate", "0.1", "--seed", "4"]);
    assert_eq!((a["population"].as_u64(), a["sample_size"].as_u64()), (Some(200), Some(20)));
    assert_eq!(a, json_of(&["sample", f.to_str().unwrap(), "--rate", "0.1", "--seed", "4"]));
    let m = json_of(&["sample", f.to_str().unwrap(), "--margin", "0.1"]);
    assert_eq!(m["sample_size"], 66, "Cochran n0 = 96.04, with N = 200: 65.9 → 66");
    let by = json_of(&["sample", f.to_str().unwrap(), "--by", "annotator", "--rate", "0.05"]);
    let items = by["items"].as_array().unwrap();
    assert_eq!(items.iter().filter(|i| i["annotator"] == "x").count(), 10);
}

#[test]
fn order_by_model_uncertainty_and_by_disagreement() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/retail");
    let v = json_of(&["order", "--bundle", demo.to_str().unwrap(), "--strategy", "least-confidence"]);
    let scores: Vec<f64> = v["order"].as_array().unwrap().iter().map(|o| o["score"].as_f64().unwrap()).collect();
    assert_eq!(scores.len(), 200);
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "most uncertain first");
    let f = temp("votes.csv", "item,annotator,label\na,1,x\na,2,x\nb,1,x\nb,2,y\n");
    let v = json_of(&["order", f.to_str().unwrap(), "--strategy", "vote-entropy"]);
    assert_eq!(v["order"][0]["item"], "b");
}

#[test]
fn drift_flags_the_annotator_who_slips() {
    // Two annotators, 30 gold checks a day for 12 weeks; "slips" goes from all right to 70 % in the last 3 weeks.
    let mut csv = String::from("item,annotator,label,time,guideline_version\n");
    let mut gold = String::from("item,label\n");
    for day in 0..84 {
        for k in 0..30 {
            let item = format!("d{day}k{k}");
            gold.push_str(&format!("{item},yes\n"));
            let time = 1_767_571_200 + day * 86_400 + k * 60; // from Monday 2026-01-05
            let slip = day >= 63 && k % 10 < 3;
            csv.push_str(&format!("{item},steady,yes,{time},v1\n"));
            csv.push_str(&format!(
                "{item},slips,{},{time},v{}\n",
                if slip { "no" } else { "yes" },
                if day >= 63 { 2 } else { 1 }
            ));
        }
    }
    let (f, g) = (temp("timed.csv", &csv), temp("timed_gold.csv", &gold));
    let v = json_of(&["drift", f.to_str().unwrap(), "--gold", g.to_str().unwrap(), "--window", "week"]);
    assert_eq!(v["gold_checks"], 5040);
    assert_eq!(v["annotators"]["steady"]["flagged"], 0);
    assert_eq!(v["annotators"]["slips"]["flagged"], 3);
    assert!((v["annotators"]["slips"]["by_version"]["v2"]["accuracy"].as_f64().unwrap() - 0.7).abs() < 1e-12);
    // Review mode's table per guideline version: under v1 both annotators until week 10, then "steady" alone; under
    // v2 the slips' 630 labels, 189 of them wrong. No bundle: every label is filed under no section ("").
    let versions = v["versions"].as_array().unwrap();
    let counted = |k: usize| {
        let f = &versions[k];
        (
            f["version"].as_str().unwrap(),
            f["labels"].as_u64().unwrap(),
            f["items"].as_u64().unwrap(),
            f["wrong"].as_u64().unwrap(),
        )
    };
    assert_eq!((counted(0), counted(1)), (("v1", 4410, 2520, 0), ("v2", 630, 630, 189)));
    assert_eq!(versions[1]["sections"][""]["checked"], 630);
    assert!(versions[1]["alpha"].is_null(), "one label per item under v2: nothing to pair");
    assert!(v["versions_left_out"].is_null());
    // An item labelled again by the same annotator later still has its drift; the version table, which takes one
    // label per annotator and item as review mode does, is left out with the reason.
    let again = temp("again.csv", &format!("{csv}d0k0,steady,no,1767571300,v1\n"));
    let v = json_of(&["drift", again.to_str().unwrap(), "--gold", g.to_str().unwrap(), "--window", "week"]);
    assert_eq!(v["gold_checks"], 5041);
    assert!(v["versions"].is_null());
    let why = v["versions_left_out"].as_str().unwrap();
    assert!(why.starts_with("no table per guideline version: ") && why.contains("again.csv"), "{why}");
    let bad = temp("untimed.csv", "item,annotator,label,time\na,x,yes,yesterday\n");
    let (code, _, err) = concord(&["drift", bad.to_str().unwrap(), "--gold", g.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("untimed.csv: line 2: `yesterday` is not an ISO-8601 date/time"), "{err}");
}

#[test]
fn errors_against_the_demo_gold() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/shelf");
    let gold = std::fs::read_to_string(demo.join("gold.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(gold.lines().next().unwrap()).unwrap();
    let mut objects = first["result"]["objects"].as_array().unwrap().clone();
    let missed = objects.pop().unwrap(); // drop one box: missed
    objects[0]["x"] = serde_json::json!(objects[0]["x"].as_f64().unwrap() + 200.0); // move one far: missed + extra
    let line = serde_json::json!({"task": first["task"], "annotator": "ann", "result": {"objects": objects}});
    let f = temp("errors.jsonl", &(line.to_string() + "\n"));
    let v = json_of(&["errors", "--bundle", demo.to_str().unwrap(), f.to_str().unwrap()]);
    let e = &v["annotators"]["ann"]["errors"];
    assert_eq!((e["missed_region"].as_u64(), e["extra_region"].as_u64()), (Some(2), Some(1)), "{v}");
    assert!(v["labels"][missed["label"].as_str().unwrap()]["missed_region"].as_u64().unwrap() >= 1);
}

#[test]
fn plan_finds_the_cheapest_tier_and_overlap() {
    let tiers = temp(
        "tiers.json",
        r#"[{"name":"crowd","cost_per_item":0.02,"seconds_per_item":5,"accuracy":0.8},
                                     {"name":"expert","cost_per_item":0.3,"seconds_per_item":20,"accuracy":0.97}]"#,
    );
    let v = json_of(&["plan", "--tiers", tiers.to_str().unwrap(), "--classes", "20", "--target", "0.999"]);
    assert_eq!((v["cheapest"]["tier"].as_str(), v["cheapest"]["overlap"].as_u64()), (Some("crowd"), Some(8)));
    let bad = temp("bad_tiers.json", r#"[{"name":"x","cost_per_item":1,"seconds_per_item":1,"accuracy":1.5}]"#);
    let (code, _, err) = concord(&["plan", "--tiers", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("accuracy must be in [0, 1]"), "{err}");
}

#[test]
fn agreement_on_concord_annotation_exports_with_their_bundle() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/news");
    let span = |s: u32, e: u32, l: &str| serde_json::json!({"start": s, "end": e, "label": l});
    // s0001: "🤝 Søren Kierkegaard left Quokka Foods and moved to Reykjavík."
    let lines = [
        serde_json::json!({"task": "s0001", "annotator": "ann", "result": {"entities": [span(2, 19, "PER")]}}),
        // ann's later record replaces her first (the export is an append-only log).
        serde_json::json!({"task": "s0001", "annotator": "ann", "result": {"entities": [span(2, 19, "PER"), span(25, 37, "ORG")]}}),
        serde_json::json!({"task": "s0001", "annotator": "bob", "result": {"entities": [span(2, 19, "PER"), span(25, 37, "LOC")]}}),
    ];
    let f = temp("export.jsonl", &lines.iter().map(|l| l.to_string() + "\n").collect::<String>());
    let v = json_of(&["agreement", f.to_str().unwrap(), "--bundle", demo.to_str().unwrap()]);
    let p = &v["pairwise"][0];
    assert_eq!((p["a"].as_str(), p["b"].as_str(), p["f1"].as_f64()), (Some("ann"), Some("bob"), Some(0.5)));
    let (code, _, err) = concord(&["agreement", f.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("need --bundle DIR"), "{err}");
}

#[test]
fn pilot_batch_and_honeypot_placement() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/retail");
    let v = json_of(&["sample", "--bundle", demo.to_str().unwrap(), "--pilot"]);
    assert_eq!(v["pilot_size"], 20, "workflow.pilot.size of the retail demo");
    assert_eq!(v["stratified_by_prediction"], true);
    assert_eq!(v, json_of(&["sample", "--bundle", demo.to_str().unwrap(), "--pilot"]), "seeded by the project");
    let h = json_of(&["sample", "--honeypots", "ann=40,bob=20", "--gold-items", "10", "--rate", "0.1", "--seed", "3"]);
    let slots = h["slots"].as_array().unwrap();
    assert_eq!(slots.iter().filter(|s| s["annotator"] == "ann").count(), 4);
    assert_eq!(slots.iter().filter(|s| s["annotator"] == "bob").count(), 2);
    let (code, _, err) = concord(&["sample", "--honeypots", "ann=40"]);
    assert_eq!(code, 2);
    assert!(err.contains("--gold-items"), "{err}");
}

/// `aggregate --out` writes `item,label,confidence`; read back as a gold file (the reader Concord uses for CSV
/// labels), every item keeps its label — names with commas, quotes, newlines and emoji included — and the confidence
/// column equals the JSON's. (Fields are trimmed when read, so " padded " is the item "padded" throughout.)
#[test]
fn aggregate_out_csv_round_trips() {
    let items = ["plain", "with, comma", "with \"quotes\"", "multi\nline", "🚀 rocket", " padded "];
    let labels = ["cat", "dog, big", "\"q\""];
    let mut csv = String::from("item,annotator,label\n");
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for (i, item) in items.iter().enumerate() {
        for a in 0..3 {
            let label = labels[(i + usize::from(a == 2)) % labels.len()];
            csv.push_str(&format!("{},a{a},{}\n", quote(item), quote(label)));
        }
    }
    let input = temp("round-trip.csv", &csv);
    let out = input.with_file_name("round-trip.labels.csv");
    let json = json_of(&["aggregate", input.to_str().unwrap(), "--method", "ds", "--out", out.to_str().unwrap()]);
    let mut table = concord_engine::model::TableBuilder::with_capacity(0).finish().unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let gold = concord_engine::formats::csv_long::read_gold_csv("labels.csv", text.as_bytes(), &mut table).unwrap();
    let written = json["labels"].as_object().unwrap();
    assert_eq!(written.len(), items.len());
    assert_eq!(table.items.len(), items.len());
    for item in items.map(str::trim) {
        let id = table.items.get(item).unwrap_or_else(|| panic!("{item:?} missing from {text}"));
        let label = table.labels.name(gold[id as usize].unwrap());
        assert_eq!(written[item], label, "{item:?}");
    }
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for row in reader.records() {
        let row = row.unwrap();
        let want = json["confidence"][&row[0]].as_f64().unwrap();
        assert_eq!(row[2].parse::<f64>().unwrap(), want, "{:?}", &row[0]);
    }
}

#[test]
fn every_command_has_help_naming_each_option_its_parser_takes_with_an_example() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
    let mut options_checked = 0;
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().replace('_', "-");
        if stem == "mod" {
            continue;
        }
        let (code, help, _) = concord(&["help", &stem]);
        assert_eq!(code, 0, "`concord help {stem}`");
        let (code, same, _) = concord(&[&stem, "--help"]);
        assert_eq!((code, &same), (0, &help), "`concord {stem} --help` is `concord help {stem}`");
        assert!(help.contains("\nexample:\n  concord "), "{stem} has an example");
        // Every `"option" =>` arm of the command's option parser (`super::parse(args, |name, p| match name {…})`,
        // arms at its indentation) is documented as `--option`.
        let code = std::fs::read_to_string(&path).unwrap();
        let Some(start) = code.find("super::parse(args, |") else { continue };
        let end = start + code[start..].find("Ok(false)").unwrap();
        for line in code[start..end].lines() {
            let arm = line.strip_prefix("            \"").filter(|_| !line.starts_with("             "));
            let test = line.split_once("if name == \"").map(|(_, t)| t);
            if let Some((name, _)) =
                arm.and_then(|a| a.split_once("\" =>")).or_else(|| test.and_then(|t| t.split_once('"')))
            {
                let options = &help[help.find("\noptions:\n").unwrap()..];
                assert!(
                    [" ", ","].iter().any(|end| options.contains(&format!("--{name}{end}"))),
                    "`concord help {stem}` does not explain --{name}"
                );
                options_checked += 1;
            }
        }
    }
    assert!(options_checked >= 20, "the parsers' options were found ({options_checked})");
    let (code, _, err) = concord(&["help", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no command `nope`"));
}

#[test]
fn the_cli_reference_page_is_the_help_text() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/cli.md");
    let (_, markdown, _) = concord(&["help", "--markdown"]);
    assert_eq!(
        std::fs::read_to_string(&page).unwrap(),
        markdown,
        "docs/cli.md is out of date: `cargo run -p concord-cli -- help --markdown > docs/cli.md`"
    );
}

#[test]
fn bundle_new_makes_a_folder_that_opens_and_never_writes_over_one() {
    let items =
        temp("items.csv", "id,text,source\nt1,Ada went to Paris.,wire\nt2,Acme hired Bob.,blog\nt3,Rain in Oslo.,\n");
    let out = std::env::temp_dir().join(format!("concord-cli-{}/new-ner", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let (code, stdout, err) = concord(&[
        "bundle",
        "new",
        items.to_str().unwrap(),
        out.to_str().unwrap(),
        "--labels",
        "PER,ORG,LOC",
        "--type",
        "spans",
        "--chunk",
        "2",
        "--name",
        "News NER",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((v["tasks"].as_u64(), v["id"].as_str()), (Some(3), Some("news-ner")));
    let (code, stdout, err) = concord(&["validate-bundle", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((v["tasks"].as_u64(), v["chunks"].as_u64()), (Some(3), Some(2)));
    assert_eq!(v["controls"], serde_json::json!(["label"]));

    // Again into the same folder: refused, and what is there is untouched.
    let before = std::fs::read_to_string(out.join("project.json")).unwrap();
    let (code, _, err) = concord(&["bundle", "new", items.to_str().unwrap(), out.to_str().unwrap(), "--labels", "A,B"]);
    assert_eq!(code, 2);
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(std::fs::read_to_string(out.join("project.json")).unwrap(), before);

    // A bad row names the file and line; nothing is written.
    let bad = temp("bad.csv", "image\nimages/a.png\nfile:///etc/passwd\n");
    let fresh = out.with_file_name("never-made");
    let (code, _, err) = concord(&[
        "bundle",
        "new",
        bad.to_str().unwrap(),
        fresh.to_str().unwrap(),
        "--labels",
        "car",
        "--type",
        "boxes",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.csv") && err.contains("line 3"), "{err}");
    assert!(!fresh.exists(), "nothing is written for bad input");
}

#[test]
fn review_prints_what_review_mode_opens_with_equal_to_the_other_commands() {
    let labels = temp(
        "review.csv",
        "item,annotator,label\nt1,a,cat\nt1,b,cat\nt1,c,cat\nt2,a,cat\nt2,b,cat\nt2,c,dog\nt3,a,dog\nt3,b,cat\nt3,c,dog\n\
         t4,a,dog\nt4,b,dog\nt4,c,dog\n",
    );
    let gold = temp("review-gold.csv", "item,label\nt1,cat\nt2,dog\n");
    let (f, g) = (labels.to_str().unwrap(), gold.to_str().unwrap());
    let review = json(&["review", f, "--gold", g]);
    assert_eq!(review["agreement"], json(&["agreement", f]));
    assert_eq!(review["gold"], json(&["gold", f, "--gold", g]));
    let ds = json(&["aggregate", f, "--method", "ds"]);
    assert_eq!(review["consensus"]["annotators"], ds["annotators"]);
    assert!(review["consensus"].get("labels").is_none(), "per-item labels are `aggregate --out`'s");
    // t2 and t3 have 2 of 3 (67 % < 75 %); --pool-agreement 0.6 keeps them out.
    let pooled: Vec<&str> = review["pool"].as_array().unwrap().iter().map(|p| p["item"].as_str().unwrap()).collect();
    assert_eq!(pooled.len(), 2);
    assert!(pooled.contains(&"t2") && pooled.contains(&"t3"));
    assert_eq!(json(&["review", f, "--pool-agreement", "0.6"])["pool_size"], 0);
    let (code, _, err) = concord(&["review", f, "--pool-agreement", "2"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a share in [0, 1]"), "{err}");
}

#[test]
fn route_prints_the_routing_plan_of_the_bundle_s_policy() {
    let labels =
        temp("route.csv", "item,annotator,label\np0001,ana,apple\np0001,ben,apple\np0002,ana,milk\np0002,ben,juice\n");
    let f = labels.to_str().unwrap();
    let bundle = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/retail");
    let (code, _, err) = concord(&["route", f]);
    assert_eq!(code, 2);
    assert!(err.contains("--bundle DIR is required"), "{err}");
    let (code, out, err) = concord(&["route", f, "--bundle", bundle.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let project: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(bundle.join("project.json")).unwrap()).unwrap();
    let high = project["workflow"]["routing"]["overlap"]["high"].as_u64().unwrap();
    // Two annotators with no gold checks yet: both new, every task gets the high overlap; both tasks need more.
    for a in v["plan"]["annotators"].as_array().unwrap() {
        assert_eq!((a["standing"]["standing"].as_str(), a["overlap"].as_u64()), (Some("new"), Some(high)));
    }
    assert_eq!(v["plan"]["open"], 2);
    let p2 = v["plan"]["items"].as_array().unwrap().iter().find(|i| i["item"] == "p0002").unwrap();
    assert_eq!(p2["more"].as_u64(), Some(high - 2), "two labels given of {high}");
    assert_eq!(v["context"]["from_project"], true);
    assert_eq!(v["context"]["current_version"], project["guidelines"]["version"]);
}

#[test]
fn qc_draws_review_mode_s_sample_and_judges_it_from_the_checks() {
    let mut rows = String::from("item,annotator,label\n");
    for i in 0..40 {
        rows.push_str(&format!("t{i:02},ana,cat\nt{i:02},ben,cat\n"));
    }
    let labels = temp("qc.csv", &rows);
    let f = labels.to_str().unwrap();
    let v = json(&["qc", f, "--rate", "25", "--seed", "3"]);
    let sample: Vec<String> = v["sample"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect();
    assert_eq!(sample.len(), 10, "25 % of 40 items");
    assert_eq!(
        json(&["qc", f, "--rate", "25", "--seed", "3"])["sample"],
        v["sample"],
        "the same seed, the same sample"
    );
    assert_eq!(v["report"]["verdict"], "open");
    // Checks on every sampled item, one failed, and one of an item outside the sample (which does not count).
    let mut checks: Vec<serde_json::Value> = sample
        .iter()
        .enumerate()
        .map(|(k, item)| serde_json::json!({"item": item, "passed": k != 0, "category": if k == 0 { Some("wrong_label") } else { None }, "checker": "q"}))
        .collect();
    checks.push(serde_json::json!({"item": "not-sampled", "passed": false, "category": "wrong_label", "checker": "q"}));
    let report =
        temp("qa-report.json", &serde_json::json!({"format": "concord-qa-report", "qc_checks": checks}).to_string());
    let r = json(&["qc", f, "--rate", "25", "--seed", "3", "--checks", report.to_str().unwrap(), "--threshold", "85"]);
    assert_eq!((r["report"]["checked"].as_u64(), r["report"]["passed"].as_u64()), (Some(10), Some(9)));
    assert_eq!(r["report"]["verdict"], "pass", "9 of 10 ≥ 85 %");
    let strict = json(&["qc", f, "--rate", "25", "--seed", "3", "--checks", report.to_str().unwrap()]);
    assert_eq!(strict["report"]["verdict"], "fail", "9 of 10 < 95 %");
    let (code, _, err) = concord(&["qc", f, "--checks", labels.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("qc.csv"), "{err}");
}

#[test]
fn label_studio_ratings_json_min_and_csv_give_the_figures_of_the_full_export() {
    // Three annotators rate and classify four texts; the same annotations as the three exports Label Studio offers
    // a text project (full JSON, JSON_MIN, CSV), shaped as a 1.23.2 server writes them.
    let config = temp(
        "ls-config.xml",
        r#"<View><Text name="text" value="$text"/>
<Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices>
<Rating name="quality" toName="text" maxRating="5"/></View>"#,
    );
    let rows: Vec<(u32, u32, &str, u32)> = vec![
        (1, 3, "Positive", 5),
        (1, 4, "Positive", 4),
        (1, 5, "Positive", 5),
        (2, 3, "Negative", 2),
        (2, 4, "Positive", 2),
        (2, 5, "Negative", 1),
        (3, 3, "Negative", 3),
        (3, 4, "Negative", 3),
        (3, 5, "Negative", 4),
        (4, 3, "Positive", 1),
        (4, 4, "Negative", 2),
    ];
    let text = |id: u32| format!("Text {id}, with \"quotes\", a comma and 😀.");
    let full: Vec<serde_json::Value> = (1..=4)
        .map(|id| {
            let anns: Vec<serde_json::Value> = rows.iter().filter(|r| r.0 == id).map(|&(_, who, s, q)| serde_json::json!({
                "id": id * 10 + who, "completed_by": who, "was_cancelled": false, "ground_truth": false,
                "created_at": "2026-11-30T10:00:00Z", "result_count": 2, "unique_id": "u", "lead_time": 2.0,
                "result": [
                    {"id": "a", "type": "choices", "from_name": "sentiment", "to_name": "text", "origin": "manual", "value": {"choices": [s]}},
                    {"id": "b", "type": "rating", "from_name": "quality", "to_name": "text", "origin": "manual", "value": {"rating": q}}
                ]})).collect();
            serde_json::json!({"id": id, "data": {"text": text(id)}, "annotations": anns, "inner_id": id, "drafts": []})
        })
        .collect();
    let min: Vec<serde_json::Value> = rows.iter().map(|&(id, who, s, q)| serde_json::json!({
        "text": text(id), "id": id, "sentiment": s, "quality": [{"rating": q}], "annotator": who,
        "annotation_id": id * 10 + who, "created_at": "2026-11-30T10:00:00Z", "updated_at": "2026-11-30T10:00:00Z", "lead_time": 2.0
    })).collect();
    let mut csv = String::from("annotation_id,annotator,created_at,id,lead_time,quality,sentiment,text,updated_at\r\n");
    for &(id, who, s, q) in &rows {
        let t = text(id).replace('"', "\"\"");
        csv.push_str(&format!(
            "{},\"{who}\",2026-11-30T10:00:00Z,{id},2.0,\"[{{\"\"rating\"\": {q}}}]\",{s},\"{t}\",2026-11-30T10:00:00Z\r\n",
            id * 10 + who
        ));
    }
    let full = temp("ls-full.json", &serde_json::to_string(&full).unwrap());
    let min = temp("ls-min.json", &serde_json::to_string_pretty(&min).unwrap());
    let csv = temp("ls-export.csv", &csv);
    let c = config.to_str().unwrap();
    for control in ["sentiment", "quality"] {
        let reference = json(&["agreement", full.to_str().unwrap(), "--control", control]);
        assert_eq!(reference["annotations"], 11, "{control}");
        for flat in [&min, &csv] {
            let got = json(&["agreement", flat.to_str().unwrap(), "--label-config", c, "--control", control]);
            assert_eq!(got["krippendorff_alpha"], reference["krippendorff_alpha"], "{control} from {}", flat.display());
            assert_eq!(got["annotations"], reference["annotations"]);
        }
    }
    // Ratings are numbers: the ordinal and interval metrics apply, and credit the near misses the nominal one does not.
    let q = json(&["agreement", full.to_str().unwrap(), "--control", "quality"]);
    assert!(
        q["krippendorff_alpha"]["ordinal"].as_f64().unwrap() > q["krippendorff_alpha"]["nominal"].as_f64().unwrap()
    );
    // Without the config, a flat export says what it needs.
    let (code, _, err) = concord(&["agreement", min.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("--label-config"), "{err}");
}

#[test]
fn conll2003_files_compare_as_token_spans_document_by_document() {
    let a = temp(
        "ann.conll",
        "-DOCSTART- -X- O\n\nAnn -X- _ B-PER\nmet -X- _ O\nBea -X- _ B-PER\n\nTokyo -X- _ B-LOC\nrain -X- _ O\n",
    );
    let b = temp(
        "bo.conll",
        "-DOCSTART- -X- O\n\nAnn -X- _ B-PER\nmet -X- _ O\nBea -X- _ O\n\nTokyo -X- _ B-LOC\nrain -X- _ O\n",
    );
    let v = json(&["agreement", a.to_str().unwrap(), b.to_str().unwrap()]);
    // Ann: 3 entities; Bo: 2, both shared. Pairwise F1 = 2·2 / (3 + 2) = 0.8.
    assert_eq!(v["unit"], "tokens");
    assert_eq!(v["documents"], 2);
    assert!((v["f1"].as_f64().unwrap() - 0.8).abs() < 1e-12, "{v}");
    let bad = temp("bad.conll", "Ann -X- _ B-PER\nBea -X- _ Q-PER\n");
    let (code, _, err) = concord(&["agreement", a.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.conll") && err.contains("line 2"), "{err}");
}

#[test]
fn bundle_new_names_the_line_of_a_bad_row_in_a_crlf_csv_as_in_an_lf_one() {
    // Spreadsheets write CRLF; the csv crate's own line count is one short after a CRLF line.
    for (name, eol) in [("items-crlf.csv", "\r\n"), ("items-lf.csv", "\n")] {
        let items = temp(name, &["id,text", "a,hello", "b,"].join(eol));
        let out = items.with_extension("bundle");
        let (code, _, err) =
            concord(&["bundle", "new", items.to_str().unwrap(), out.to_str().unwrap(), "--labels", "x,y"]);
        assert_eq!(code, 2, "{name}");
        assert!(err.contains(&format!("{name}: line 3")) && err.contains("empty"), "{name}: {err}");
    }
}

#[test]
fn a_label_studio_project_becomes_a_bundle_with_its_gold_and_predictions() {
    let config = temp(
        "from-ls-config.xml",
        r#"<View><Text name="text" value="$text"/>
<Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
<Choices name="sentiment" toName="text"><Choice value="Positive"/><Choice value="Negative"/></Choices>
<Rating name="quality" toName="text" maxRating="3"/>
<TextArea name="note" toName="text"/></View>"#,
    );
    let text = "😀 Ann flew to 東京.";
    let export = serde_json::json!([
        {"id": 1, "data": {"text": text, "source": "feed-7"},
         "annotations": [{"id": 1, "completed_by": 1, "ground_truth": true, "result": [
            {"id": "a", "type": "choices", "from_name": "sentiment", "to_name": "text", "value": {"choices": ["Positive"]}},
            {"id": "b", "type": "labels", "from_name": "ner", "to_name": "text", "value": {"start": 2, "end": 5, "text": "Ann", "labels": ["PER"]}},
            {"id": "c", "type": "labels", "from_name": "ner", "to_name": "text", "value": {"start": 14, "end": 16, "text": "東京", "labels": ["LOC"]}},
            {"id": "d", "type": "rating", "from_name": "quality", "to_name": "text", "value": {"rating": 3}},
            {"id": "e", "type": "textarea", "from_name": "note", "to_name": "text", "value": {"text": ["ok"]}}]}],
         "predictions": [{"model_version": "ner-v2", "score": 0.91, "result": [
            {"id": "p", "type": "choices", "from_name": "sentiment", "to_name": "text", "value": {"choices": ["Negative"]}}]}]},
        {"id": 2, "data": {"text": "Nothing here."}, "annotations": [],
         "predictions": [{"model_version": "ner-v2", "score": 0.55, "result": [
            {"id": "q", "type": "choices", "from_name": "sentiment", "to_name": "text", "value": {"choices": ["Positive"]}}]}]},
        {"id": 3, "data": {"text": "Zoe\u{301} stayed."}, "annotations": [], "predictions": []}
    ]);
    let export = temp("from-ls-export.json", &export.to_string());
    let out = std::env::temp_dir().join(format!("concord-from-ls-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    // `concord bundle from-label-studio --config CONFIG EXPORT OUT`, as a user runs it.
    let from_ls = |export: &Path, out: &Path| {
        concord(&[
            "bundle",
            "from-label-studio",
            "--config",
            config.to_str().unwrap(),
            export.to_str().unwrap(),
            out.to_str().unwrap(),
        ])
    };
    let (code, made, err) = from_ls(&export, &out);
    assert_eq!(code, 0, "{err}");
    let made: serde_json::Value = serde_json::from_str(&made).unwrap();
    assert_eq!(
        (made["tasks"].as_u64(), made["gold"].as_u64(), made["predictions"].as_u64()),
        (Some(3), Some(1), Some(2))
    );
    assert!(made["dropped"].to_string().contains("`note` (TextArea)"), "{made}");
    // The bundle opens as the app opens it.
    let checked = json(&["validate-bundle", out.to_str().unwrap()]);
    assert_eq!(checked["tasks"], 3, "{checked}");
    // The schema: one control per Label Studio control Concord has, a rating's labels 1..max.
    let project: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("project.json")).unwrap()).unwrap();
    let kinds: Vec<(String, String)> = project["schema"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), c["type"].as_str().unwrap_or_default().to_string()))
        .collect();
    assert_eq!(kinds.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["ner", "sentiment", "quality"]);
    let quality = &project["schema"]["controls"][2]["labels"];
    assert_eq!(
        quality.as_array().unwrap().iter().map(|l| l["value"].as_str().unwrap()).collect::<Vec<_>>(),
        ["1", "2", "3"]
    );
    // The ground truth became gold, with code-point offsets as given; the task's other data became its meta.
    let gold: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(out.join("gold.jsonl")).unwrap().trim()).unwrap();
    assert_eq!(gold["task"], "1");
    assert_eq!(gold["result"]["sentiment"], serde_json::json!(["Positive"]));
    assert_eq!(gold["result"]["quality"], serde_json::json!(["3"]));
    let spans: Vec<(u64, u64, &str)> = gold["result"]["ner"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap(), s["label"].as_str().unwrap()))
        .collect();
    assert_eq!(spans, [(2, 5, "PER"), (14, 16, "LOC")]);
    let task: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(out.join("tasks/000.jsonl")).unwrap().lines().next().unwrap())
            .unwrap();
    assert_eq!((task["data"]["text"].as_str(), task["meta"]["source"].as_str()), (Some(text), Some("feed-7")));
    // Predictions kept, with the model and its score on the label it chose.
    let predictions: Vec<serde_json::Value> = std::fs::read_to_string(out.join("predictions.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(predictions[0]["model"], "ner-v2");
    assert_eq!(predictions[0]["scores"]["sentiment"]["Negative"], 0.91);
    assert_eq!(predictions[1]["task"], "2");
    // Nothing is written over: the folder is not empty now.
    let (code, _, err) = from_ls(&export, &out);
    assert_eq!(code, 2);
    assert!(err.contains("not empty"), "{err}");
    // A label the config does not list is refused with its place.
    let bad =
        temp("from-ls-bad.json", &std::fs::read_to_string(&export).unwrap().replace("\"Negative\"", "\"Neutral\""));
    let out2 = out.with_extension("bad");
    let _ = std::fs::remove_dir_all(&out2);
    let (code, _, err) = from_ls(&bad, &out2);
    assert_eq!(code, 2);
    assert!(err.contains("predictions.jsonl") && err.contains("Neutral"), "{err}");
}

/// The other tools' files, told apart by content: agreement and gold on doccano and Prodigy spans, on CVAT boxes (one
/// file per annotator), on VOC boxes (one folder per annotator) and on YOLO labels (a folder per annotator with its
/// classes.txt), against figures counted here.
#[test]
fn doccano_prodigy_cvat_voc_and_yolo_files_are_read_by_agreement_and_gold() {
    let dir = std::env::temp_dir().join(format!("concord-tools-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/tool-formats");
    let doccano = std::fs::read_to_string(fixtures.join("doccano-sequence-labeling.jsonl")).unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    // bo labels "British" ORG where ann says MISC: 3 of 4 spans agree.
    let ann = write("ann.jsonl", &doccano);
    let bo = write("bo.jsonl", &doccano.replace("[11, 17, \"MISC\"]", "[11, 17, \"ORG\"]"));
    let a = json(&["agreement", &ann, &bo, "--replicates", "0"]);
    assert_eq!(a["pairwise"][0]["f1"], 0.75, "{a}");
    let g = json(&["gold", &bo, "--gold", &ann]);
    assert_eq!(g["annotators"]["bo"]["f1"], 0.75, "{g}");

    // Prodigy: the accepted spans of two annotators, by input hash.
    let line = |who: &str, label: &str| {
        format!("{{\"text\":\"Apple and Acme\",\"spans\":[{{\"start\":0,\"end\":5,\"label\":\"ORG\"}},{{\"start\":10,\"end\":14,\"label\":\"{label}\"}}],\"_input_hash\":11,\"answer\":\"accept\",\"_annotator_id\":\"{who}\"}}\n")
    };
    let p = write("prodigy.jsonl", &(line("ann", "ORG") + &line("bo", "PER")));
    let a = json(&["agreement", &p, "--replicates", "0"]);
    assert_eq!((a["pairwise"][0]["a"].as_str(), a["pairwise"][0]["b"].as_str()), (Some("ann"), Some("bo")));
    assert_eq!(a["pairwise"][0]["f1"], 0.5, "{a}");

    // CVAT: the box moved by 10 px of 1024.5 keeps IoU ≥ 0.75.
    let cvat = std::fs::read_to_string(fixtures.join("cvat-for-images-1.1.xml")).unwrap();
    let ann = write("cvat/ann.xml", &cvat);
    let bo = write("cvat/bo.xml", &cvat.replace("xtl=\"100.00\"", "xtl=\"110.00\""));
    let a = json(&["agreement", &ann, &bo, "--control", "box", "--replicates", "0"]);
    let iou = (1124.5 - 110.0) / 1024.5;
    assert!(iou > 0.75);
    assert_eq!((a["pairwise"][0]["f1_75"].as_f64(), a["boxes"].as_u64()), (Some(1.0), Some(4)), "{a}");

    // VOC: one file per image, one folder per annotator.
    let voc = |x: u32| {
        format!("<annotation><filename>a.jpg</filename><size><width>100</width><height>100</height></size><object><name>car</name><bndbox><xmin>{x}</xmin><ymin>10</ymin><xmax>60</xmax><ymax>60</ymax></bndbox></object></annotation>")
    };
    let ann = write("voc/ann/a.xml", &voc(10));
    let bo = write("voc/bo/a.xml", &voc(30));
    let a = json(&["agreement", &ann, &bo, "--replicates", "0"]);
    // IoU of 50×50 and 30×50 boxes sharing 30×50: 0.6, so they match at 0.5 and not at 0.75.
    assert_eq!((a["pairwise"][0]["f1_50"].as_f64(), a["pairwise"][0]["f1_75"].as_f64()), (Some(1.0), Some(0.0)), "{a}");

    // YOLO: a folder per annotator with classes.txt and labels/; the same two boxes as fractions of the image.
    let yolo = |who: &str, x: f64| {
        write(&format!("yolo/{who}/classes.txt"), "truck\ncar\n");
        write(&format!("yolo/{who}/labels/a.txt"), &format!("1 {} 0.35 {} 0.5\n", x + (0.6 - x) / 2.0, 0.6 - x))
    };
    let (ann, bo) = (yolo("ann", 0.1), yolo("bo", 0.3));
    let a = json(&["agreement", &ann, &bo, "--replicates", "0"]);
    assert_eq!((a["pairwise"][0]["a"].as_str(), a["pairwise"][0]["b"].as_str()), (Some("ann"), Some("bo")), "{a}");
    assert_eq!((a["pairwise"][0]["f1_50"].as_f64(), a["pairwise"][0]["f1_75"].as_f64()), (Some(1.0), Some(0.0)), "{a}");
    let (code, _, err) = concord(&["agreement", &write("lone/labels/b.txt", "0 0.5 0.5 0.1 0.1\n")]);
    assert_eq!(code, 2);
    assert!(err.contains("no classes.txt"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `concord export` writes a bundle's labels in each tool's format, and each comes back through that format's
/// reader as the same boxes (to 1e-6 px; VOC and YOLO per image) and spans.
#[test]
fn export_writes_each_tools_format_and_it_reads_back_the_same() {
    use concord_engine::formats::{cvat, doccano, label_studio, prodigy, voc, yolo};
    let demos = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo");
    let out = std::env::temp_dir().join(format!("concord-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let shelf = demos.join("shelf");
    let bundle =
        concord_engine::bundle::load_bundle(|p| std::fs::read_to_string(shelf.join(p)).map_err(|e| e.to_string()))
            .unwrap();
    // The lead's answers as annotations (the bundle's gold, as annotator `lead`).
    let as_annotations = |b: &concord_engine::bundle::LoadedBundle, name: &str| {
        let lines: String = b
            .gold
            .iter()
            .map(|g| serde_json::json!({"task": g.task, "annotator": "lead", "result": g.result}).to_string() + "\n")
            .collect();
        temp(name, &lines)
    };
    let gold = as_annotations(&bundle, "shelf-lead.jsonl");
    let boxes_of = |task: &str| -> Vec<(String, [f64; 4])> {
        let g = bundle.gold.iter().find(|g| g.task == task).unwrap();
        let concord_engine::model::ControlValue::Boxes(b) = &g.result.0["objects"] else { panic!() };
        b.iter().map(|b| (b.label.clone(), [b.x, b.y, b.w, b.h])).collect()
    };
    let same = |got: &[(String, [f64; 4])], want: &[(String, [f64; 4])]| {
        got.len() == want.len()
            && got.iter().zip(want).all(|(a, b)| a.0 == b.0 && a.1.iter().zip(&b.1).all(|(p, q)| (p - q).abs() <= 1e-6))
    };
    let rects = |e: &label_studio::LsExport, task: &str| -> Vec<(String, [f64; 4])> {
        e.annotations
            .iter()
            .filter(|a| a.task == task)
            .flat_map(|a| a.regions.iter())
            .filter_map(|r| match r {
                label_studio::Region::Rect { x, y, w, h, labels, .. } => Some((labels[0].clone(), [*x, *y, *w, *h])),
                _ => None,
            })
            .collect()
    };
    let run = |to: &str| {
        let dir = out.join(to);
        json(&[
            "export",
            "--bundle",
            shelf.to_str().unwrap(),
            gold.to_str().unwrap(),
            "--to",
            to,
            dir.to_str().unwrap(),
        ]);
        dir
    };
    let first = &bundle.gold[0].task;
    let image = |task: &str| bundle.tasks.iter().find(|t| t.id == task).unwrap().data.image.clone().unwrap();

    let dir = run("cvat");
    let c = cvat::read_cvat("a.xml", &std::fs::read_to_string(dir.join("lead.xml")).unwrap(), "a").unwrap();
    for g in &bundle.gold {
        assert!(same(&rects(&c, &image(&g.task)), &boxes_of(&g.task)), "CVAT {}", g.task);
    }
    let dir = run("voc");
    let stem = image(first).rsplit('/').next().unwrap().rsplit_once('.').unwrap().0.to_string();
    let v =
        voc::read_voc("v.xml", &std::fs::read_to_string(dir.join(format!("lead/{stem}.xml"))).unwrap(), "a").unwrap();
    // VOC's <filename> is the image's file name.
    let file_name = image(first).rsplit('/').next().unwrap().to_string();
    assert!(same(&rects(&v, &file_name), &boxes_of(first)), "VOC");
    let dir = run("yolo");
    let classes =
        yolo::read_yolo_classes("classes.txt", &std::fs::read_to_string(dir.join("lead/classes.txt")).unwrap())
            .unwrap();
    let y = yolo::read_yolo_labels(
        "l.txt",
        &std::fs::read_to_string(dir.join(format!("lead/labels/{stem}.txt"))).unwrap(),
        &classes,
        640.0,
        400.0,
    )
    .unwrap();
    let got: Vec<(String, [f64; 4])> = y.boxes.iter().map(|b| (b.label.clone(), [b.x, b.y, b.w, b.h])).collect();
    assert!(same(&got, &boxes_of(first)), "YOLO");
    let dir = run("label-studio");
    let ls =
        label_studio::read_label_studio("ls.json", &std::fs::read_to_string(dir.join("label-studio.json")).unwrap())
            .unwrap();
    assert!(same(&rects(&ls, first), &boxes_of(first)), "Label Studio");

    // Texts: the news demo's gold spans through doccano and Prodigy.
    let news = demos.join("news");
    let nb = concord_engine::bundle::load_bundle(|p| std::fs::read_to_string(news.join(p)).map_err(|e| e.to_string()))
        .unwrap();
    let news_gold = as_annotations(&nb, "news-lead.jsonl");
    let want: Vec<(String, u32, u32, String)> = nb
        .gold
        .iter()
        .flat_map(|g| match &g.result.0["entities"] {
            concord_engine::model::ControlValue::Spans(s) => {
                s.iter().map(|s| (g.task.clone(), s.start as u32, s.end as u32, s.label.clone())).collect::<Vec<_>>()
            }
            _ => panic!(),
        })
        .collect();
    let spans = |e: &label_studio::LsExport| -> Vec<(String, u32, u32, String)> {
        e.annotations
            .iter()
            .flat_map(|a| {
                a.regions.iter().filter_map(move |r| match r {
                    label_studio::Region::Span { start, end, labels, .. } => {
                        Some((a.task.clone(), *start, *end, labels[0].clone()))
                    }
                    _ => None,
                })
            })
            .collect()
    };
    for to in ["doccano", "prodigy"] {
        let dir = out.join(to);
        json(&[
            "export",
            "--bundle",
            news.to_str().unwrap(),
            news_gold.to_str().unwrap(),
            "--to",
            to,
            dir.to_str().unwrap(),
        ]);
        let file = if to == "doccano" { "lead.jsonl" } else { "prodigy.jsonl" };
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let back = if to == "doccano" {
            doccano::read_doccano("d", &text, "a").unwrap()
        } else {
            prodigy::read_prodigy("p", &text, "a").unwrap()
        };
        let mut got = spans(&back);
        let mut want = want.clone();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{to}");
    }
    // A format that cannot hold the project says so.
    let (code, _, err) = concord(&[
        "export",
        "--bundle",
        shelf.to_str().unwrap(),
        gold.to_str().unwrap(),
        "--to",
        "doccano",
        out.join("x").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("no control doccano can hold"), "{err}");
    let _ = std::fs::remove_dir_all(&out);
}

/// `concord export` of a point-cloud project: its boxes on the front camera go as an image project in `front/`,
/// each frame as the camera's image under its id, and come back through the Label Studio reader and as COCO as the
/// street demo's gold camera boxes; a project whose only control is cuboids has nothing these formats hold.
#[test]
fn export_writes_a_point_cloud_projects_camera_boxes_as_an_image_project() {
    use concord_engine::formats::label_studio;
    use concord_engine::model::ControlValue;
    let street = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/street");
    let bundle =
        concord_engine::bundle::load_bundle(|p| std::fs::read_to_string(street.join(p)).map_err(|e| e.to_string()))
            .unwrap();
    let lines: String = bundle
        .gold
        .iter()
        .map(|g| serde_json::json!({"task": g.task, "annotator": "lead", "result": g.result}).to_string() + "\n")
        .collect();
    let gold = temp("street-lead.jsonl", &lines);
    let out = std::env::temp_dir().join(format!("concord-street-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = |to: &str| {
        let dir = out.join(to);
        let r = json(&[
            "export",
            "--bundle",
            street.to_str().unwrap(),
            gold.to_str().unwrap(),
            "--to",
            to,
            dir.to_str().unwrap(),
        ]);
        (dir, r)
    };
    let want = |task: &str| -> Vec<(String, [f64; 4])> {
        let g = bundle.gold.iter().find(|g| g.task == task).unwrap();
        let ControlValue::Boxes(b) = &g.result.0["camera_objects"] else { panic!("gold camera boxes") };
        b.iter().map(|b| (b.label.clone(), [b.x, b.y, b.w, b.h])).collect()
    };
    let (dir, r) = run("label-studio");
    assert_eq!(r["files"], serde_json::json!(["front/label-studio.json"]), "{r}");
    let text = std::fs::read_to_string(dir.join("front/label-studio.json")).unwrap();
    let ls = label_studio::read_label_studio("ls.json", &text).unwrap();
    for g in &bundle.gold {
        let got: Vec<(String, [f64; 4])> = ls
            .annotations
            .iter()
            .filter(|a| a.task == g.task)
            .flat_map(|a| a.regions.iter())
            .filter_map(|r| match r {
                label_studio::Region::Rect { x, y, w, h, labels, .. } => Some((labels[0].clone(), [*x, *y, *w, *h])),
                _ => None,
            })
            .collect();
        let want = want(&g.task);
        assert!(!want.is_empty());
        assert_eq!(got.len(), want.len(), "{}", g.task);
        for (a, b) in got.iter().zip(&want) {
            assert!(a.0 == b.0 && a.1.iter().zip(&b.1).all(|(p, q)| (p - q).abs() <= 1e-6), "{}: {a:?} {b:?}", g.task);
        }
    }
    let (dir, _) = run("coco");
    let coco: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("front/lead.json")).unwrap()).unwrap();
    let frame0 = &bundle.gold[0].task;
    let image = coco["images"].as_array().unwrap().iter().find(|i| i["concord_id"] == frame0.as_str()).unwrap();
    let camera = &bundle.tasks.iter().find(|t| &t.id == frame0).unwrap().data.cameras[0];
    assert_eq!(
        (image["file_name"].as_str(), image["width"].as_f64()),
        (Some(camera.image.as_str()), Some(camera.width))
    );
    let bboxes: Vec<serde_json::Value> = coco["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["image_id"] == image["id"])
        .map(|a| a["bbox"].clone())
        .collect();
    let want0: Vec<serde_json::Value> = want(frame0).iter().map(|(_, b)| serde_json::json!(b)).collect();
    assert_eq!(bboxes, want0);

    // Cuboids alone: nothing for an image format.
    let cuboids_only = out.join("cuboids-only");
    std::fs::create_dir_all(&cuboids_only).unwrap();
    for entry in std::fs::read_dir(&street).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), cuboids_only.join(entry.file_name())).unwrap();
        }
    }
    let tasks_dir = cuboids_only.join("tasks");
    std::fs::create_dir_all(&tasks_dir).unwrap();
    for entry in std::fs::read_dir(street.join("tasks")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), tasks_dir.join(entry.file_name())).unwrap();
    }
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(street.join("project.json")).unwrap()).unwrap();
    manifest["schema"]["controls"].as_array_mut().unwrap().retain(|c| c["type"] == "cuboids");
    manifest.as_object_mut().unwrap().remove("rules");
    manifest.as_object_mut().unwrap().remove("gold");
    std::fs::write(cuboids_only.join("project.json"), manifest.to_string()).unwrap();
    let cuboid_lines: String = bundle
        .gold
        .iter()
        .map(|g| {
            serde_json::json!({"task": g.task, "annotator": "lead", "result": {"objects": g.result.0["objects"]}})
                .to_string()
                + "\n"
        })
        .collect();
    let cuboid_gold = temp("street-cuboids.jsonl", &cuboid_lines);
    let (code, _, err) = concord(&[
        "export",
        "--bundle",
        cuboids_only.to_str().unwrap(),
        cuboid_gold.to_str().unwrap(),
        "--to",
        "coco",
        out.join("x").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("without boxes or polygons on a camera") && err.contains("KITTI"), "{err}");
    let _ = std::fs::remove_dir_all(&out);
}

/// `concord learn`: the same labels give the same model file; the predictions are in the bundle's format; the gold
/// accuracy it reports is the share of gold tasks whose predicted label is the gold one, counted here.
#[test]
fn learn_writes_a_deterministic_model_and_predictions_and_scores_them_on_gold() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/tickets");
    let bundle =
        concord_engine::bundle::load_bundle(|p| std::fs::read_to_string(demo.join(p)).map_err(|e| e.to_string()))
            .unwrap();
    let half: String = bundle.gold[..bundle.gold.len() / 2]
        .iter()
        .map(|g| serde_json::json!({"task": g.task, "annotator": "lead", "result": g.result}).to_string() + "\n")
        .collect();
    let labels = temp("tickets-lead.jsonl", &half);
    let out = |n: &str| std::env::temp_dir().join(format!("concord-learn-{n}-{}", std::process::id()));
    let run = |n: &str| {
        let _ = std::fs::remove_dir_all(out(n));
        json(&[
            "learn",
            "--bundle",
            demo.to_str().unwrap(),
            labels.to_str().unwrap(),
            "--out",
            out(n).to_str().unwrap(),
        ])
    };
    let report = run("a");
    run("b");
    let model = std::fs::read_to_string(out("a").join("model.json")).unwrap();
    assert_eq!(model, std::fs::read_to_string(out("b").join("model.json")).unwrap(), "same labels, same model");
    assert_eq!(report["learned"], bundle.gold.len() / 2);
    let predictions = std::fs::read_to_string(out("a").join("predictions.jsonl")).unwrap();
    let parsed =
        concord_engine::bundle::parse_predictions("predictions.jsonl", &predictions, &bundle.project.schema, None)
            .unwrap();
    assert_eq!(parsed.len(), bundle.tasks.len());
    let right = bundle
        .gold
        .iter()
        .filter(|g| parsed.iter().find(|p| p.task == g.task).unwrap().result.0["urgency"] == g.result.0["urgency"])
        .count();
    assert_eq!(report["gold"]["items"], bundle.gold.len());
    assert_eq!(report["gold"]["accuracy"].as_f64().unwrap(), right as f64 / bundle.gold.len() as f64);
    // Each prediction's probabilities sum to 1 and its label is the most probable.
    for p in &parsed {
        let scores = p.scores["urgency"].as_object().unwrap();
        let total: f64 = scores.values().map(|v| v.as_f64().unwrap()).sum();
        assert!((total - 1.0).abs() < 1e-9);
        let best = scores.iter().max_by(|a, b| a.1.as_f64().partial_cmp(&b.1.as_f64()).unwrap()).unwrap().0;
        let concord_engine::model::ControlValue::Choices(c) = &p.result.0["urgency"] else { panic!() };
        assert_eq!(&c[0], best);
    }
    // An image project learns from the embeddings its bundle ships: the digits' features are their pixels / 16 at
    // unit norm, read here from the data file the demo was made from; the curve's last point is the final figure.
    let digits = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/digits");
    let data =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../xtask/data/load_digits.txt")).unwrap();
    let scans: Vec<(Vec<f64>, String)> = data
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (px, d) = l.split_once(' ').unwrap();
            (px.chars().map(|c| f64::from(c.to_digit(17).unwrap()) / 16.0).collect(), d.to_string())
        })
        .collect();
    let digit_labels: String = (0..60)
        .map(|k| {
            serde_json::json!({"task": format!("d{:04}", k + 1), "result": {"digit": [scans[k].1]}}).to_string() + "\n"
        })
        .collect();
    let digit_labels = temp("digits-lead.jsonl", &digit_labels);
    let features = std::env::temp_dir().join(format!("concord-learn-features-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_dir_all(out("c"));
    let report = json(&[
        "learn",
        "--bundle",
        digits.to_str().unwrap(),
        digit_labels.to_str().unwrap(),
        "--out",
        out("c").to_str().unwrap(),
        "--curve",
        "20,60",
        "--features",
        features.to_str().unwrap(),
    ]);
    assert_eq!(report["learned"], 60);
    assert_eq!(report["curve"][1]["labels"], 60);
    assert_eq!(report["curve"][1]["gold"], report["gold"]);
    assert_eq!(report["gold"]["items"], 299);
    let lines: Vec<serde_json::Value> =
        std::fs::read_to_string(&features).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), scans.len());
    for (line, (px, _)) in lines.iter().zip(&scans) {
        let norm = px.iter().map(|v| v * v).sum::<f64>().sqrt();
        let mut want = px.iter().enumerate().filter(|(_, v)| **v != 0.0).map(|(i, v)| (i as u64, v / norm));
        for x in line["x"].as_array().unwrap() {
            let (i, v) = want.next().unwrap();
            assert_eq!(x[0].as_u64().unwrap(), i, "{}", line["task"]);
            assert!((x[1].as_f64().unwrap() - v).abs() < 1e-6, "{}", line["task"]);
        }
        assert!(want.next().is_none());
    }
    // The same labels as a long CSV (a format other tools write) give the same model.
    let csv: String = std::iter::once("item,annotator,label\n".to_string())
        .chain((0..60).map(|k| format!("d{:04},lead,{}\n", k + 1, scans[k].1)))
        .collect();
    let csv = temp("digits-lead.csv", &csv);
    let _ = std::fs::remove_dir_all(out("e"));
    let from_csv = json(&[
        "learn",
        "--bundle",
        digits.to_str().unwrap(),
        csv.to_str().unwrap(),
        "--out",
        out("e").to_str().unwrap(),
    ]);
    assert_eq!(from_csv["gold"], report["gold"]);
    assert_eq!(
        std::fs::read_to_string(out("e").join("model.json")).unwrap(),
        std::fs::read_to_string(out("c").join("model.json")).unwrap()
    );
    // A tagger's features are per token: --features says so.
    let news = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/news");
    let news_gold = std::fs::read_to_string(news.join("gold.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(news_gold.lines().next().unwrap()).unwrap();
    let news_labels =
        temp("news-lead.jsonl", &serde_json::json!({"task": first["task"], "result": first["result"]}).to_string());
    let _ = std::fs::remove_dir_all(out("d"));
    let (code, _, err) = concord(&[
        "learn",
        "--bundle",
        news.to_str().unwrap(),
        news_labels.to_str().unwrap(),
        "--out",
        out("d").to_str().unwrap(),
        "--features",
        features.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("tagger"), "{err}");
    let _ = std::fs::remove_file(&features);
    for n in ["c", "d", "e"] {
        let _ = std::fs::remove_dir_all(out(n));
    }
    for n in ["a", "b"] {
        let _ = std::fs::remove_dir_all(out(n));
    }
}

/// A scene written as KITTI tracking labels and as nuScenes-style annotations: `validate --cuboids` finds the same
/// violations in both, counts points in the frames' clouds, measures motion in the world with the ego poses; and
/// `tracking` counts the identity switch a relabelled track makes.
#[test]
fn cuboid_scenes_in_kitti_and_nuscenes_checked_in_the_world_and_tracked() {
    use concord_engine::scene::{write_kitti_labels, write_nuscenes, Cuboid};
    let car = |frame: i64, track: &str, x: f64| Cuboid {
        frame,
        track_id: Some(track.into()),
        ..Cuboid::new("Car", [x, 3.0, 0.75], [4.2, 1.8, 1.5], 0.0)
    };
    // A parked car, 1 m closer each frame from an ego driving at 10 m/s; a second car sunk into the ground.
    let mut scene: Vec<Cuboid> = (0..3).map(|f| car(f, "1", 20.0 - f as f64)).collect();
    scene.push(Cuboid { center: [8.0, -4.0, 0.2], ..car(0, "2", 8.0) });
    let dir = std::env::temp_dir().join(format!("concord-scene-{}", std::process::id()));
    let points = dir.join("points");
    std::fs::create_dir_all(&points).unwrap();
    let kitti = dir.join("labels.txt");
    std::fs::write(&kitti, write_kitti_labels(&scene)).unwrap();
    let nuscenes = dir.join("annotations.json");
    std::fs::write(&nuscenes, write_nuscenes(&scene)).unwrap();
    let rules = temp(
        "scene-rules.json",
        &serde_json::json!({"format": "concord-rules", "version": 1, "rules": [
            {"id": "speed", "kind": "max_speed", "label": "Car", "max_mps": 5.0, "fps": 10.0, "severity": "error",
             "message": "too fast", "section": "#speed"},
            {"id": "ground", "kind": "above_ground", "ground_z": 0.0, "tolerance": 0.1, "severity": "error",
             "message": "below ground", "section": "#ground"},
            {"id": "points", "kind": "min_points", "points": 10.0, "at_m": 10.0, "severity": "warning",
             "message": "too few points", "section": "#points"}
        ]})
        .to_string(),
    );
    let rules = rules.to_str().unwrap();
    let found = |args: &[&str]| -> Vec<(String, i64)> {
        let v = json(args);
        v["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["rule"].as_str().unwrap().to_string(), x["frame"].as_i64().unwrap()))
            .collect()
    };
    let k = found(&["validate", "--rules", rules, "--cuboids", kitti.to_str().unwrap()]);
    let n = found(&["validate", "--rules", rules, "--cuboids", nuscenes.to_str().unwrap()]);
    // Without poses the parked car seems to move at 10 m/s; without clouds no points are counted.
    let mut want = vec![("speed".to_string(), 1), ("speed".to_string(), 2), ("ground".to_string(), 0)];
    want.sort();
    let sorted = |mut v: Vec<(String, i64)>| {
        v.sort();
        v
    };
    assert_eq!(sorted(k.clone()), want);
    assert_eq!(sorted(n), want);
    // With the poses the car stands still; with a cloud for frame 0 (12 points inside the sunk car, 8.9 m away,
    // where 10 are needed; none in the parked one, 20.2 m away, where 10 · (10/20.2)² ≈ 2.4 are), the parked car has
    // too few points.
    let poses = temp(
        "poses.json",
        &serde_json::json!([
            {"frame": 0, "timestamp": 0.0, "translation": [0, 0, 0]},
            {"frame": 1, "timestamp": 0.1, "translation": [1, 0, 0]},
            {"frame": 2, "timestamp": 0.2, "translation": [2, 0, 0]}
        ])
        .to_string(),
    );
    let cloud: Vec<u8> =
        (0..12).flat_map(|k| [8.0f32 + 0.1 * k as f32, -4.0, 0.0, 1.0]).flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(points.join("000000.bin"), cloud).unwrap();
    let with = found(&[
        "validate",
        "--rules",
        rules,
        "--cuboids",
        kitti.to_str().unwrap(),
        "--poses",
        poses.to_str().unwrap(),
        "--points",
        points.to_str().unwrap(),
    ]);
    assert_eq!(sorted(with), vec![("ground".to_string(), 0), ("points".to_string(), 0)]);
    // A bad point cloud names its file.
    std::fs::write(points.join("000000.bin"), [0u8; 10]).unwrap();
    let (code, _, err) = concord(&[
        "validate",
        "--rules",
        rules,
        "--cuboids",
        kitti.to_str().unwrap(),
        "--points",
        points.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("000000.bin: 10 bytes is not a whole number of points"), "{err}");
    // Tracking: the same scene with the parked car's track renamed from frame 2 on is one identity switch.
    let mut tracked = scene.clone();
    tracked[2].track_id = Some("9".into());
    let t = dir.join("tracked.txt");
    std::fs::write(&t, write_kitti_labels(&tracked)).unwrap();
    let r = json(&["tracking", kitti.to_str().unwrap(), t.to_str().unwrap()]);
    assert_eq!((r["id_switches"].as_u64(), r["gold"].as_u64(), r["matches"].as_u64()), (Some(1), Some(4), Some(4)));
    assert!((r["mota"].as_f64().unwrap() - 0.75).abs() < 1e-12);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cuboids_checked_against_a_point_cloud_project_use_its_rules_poses_and_clouds() {
    use concord_engine::scene::{write_kitti_labels, Cuboid};
    let street = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/street");
    // The demo's training gold (frames 0–4), one pedestrian of frame 2 moved 3 m: a jump no walker makes in 0.1 s.
    let mut scene: Vec<Cuboid> = Vec::new();
    for line in std::fs::read_to_string(street.join("gold.jsonl")).unwrap().lines() {
        let g: serde_json::Value = serde_json::from_str(line).unwrap();
        let frame: i64 = g["task"].as_str().unwrap()[1..].parse().unwrap();
        let list: Vec<Cuboid> = serde_json::from_value(g["result"]["objects"].clone()).unwrap();
        scene.extend(list.into_iter().map(|c| Cuboid { frame, ..c }));
    }
    let moved = scene.iter().position(|c| c.frame == 2 && c.track_id.as_deref() == Some("ped-1")).unwrap();
    scene[moved].center[0] += 3.0;
    let kitti = temp("street-kitti.txt", &write_kitti_labels(&scene));
    let (code, out, err) =
        concord(&["validate", "--bundle", street.to_str().unwrap(), "--cuboids", kitti.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cuboids"], scene.len());
    let fired: Vec<(String, i64)> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["severity"] == "error")
        .map(|x| (x["rule"].as_str().unwrap().to_string(), x["frame"].as_i64().unwrap()))
        .collect();
    // The jump there and back, each in the world (the project's ego poses): frames 2 and 3.
    assert_eq!(fired, vec![("pedestrian-speed".to_string(), 2), ("pedestrian-speed".to_string(), 3)]);
    // With the frames' clouds, the returns inside each box are counted: the far ones have fewer than the rule asks
    // for their distance (warnings), each as the engine counts it in the frame's cloud read here.
    let warned = |v: &serde_json::Value| -> Vec<usize> {
        let list = v["violations"].as_array().unwrap();
        list.iter().filter(|x| x["rule"] == "points").map(|x| x["cuboid"].as_u64().unwrap() as usize).collect()
    };
    assert!(!warned(&v).is_empty());
    // Indices are the file's order (KITTI's rows go by frame and track).
    let read = concord_engine::scene::read_kitti_labels("k", &std::fs::read_to_string(&kitti).unwrap()).unwrap();
    for (i, c) in read.iter().enumerate() {
        let bin = street.join(format!("frames/{:06}.bin", c.frame));
        let cloud = concord_engine::scene::read_kitti_bin("f", &std::fs::read(bin).unwrap()).unwrap();
        let d = c.center[0].hypot(c.center[1]);
        let needed = (12.0 * (10.0 / d).powi(2).min(1.0)).floor().max(1.0);
        let short = (concord_engine::scene::points_inside(&cloud, c).len() as f64) < needed;
        assert_eq!(short, warned(&v).contains(&i), "cuboid {i}");
    }
    // The same rules from the file alone, without the project: no clouds, so no points counted; and in the moving
    // sensor's frame the parked cars "move" at the car's 6 m/s, under their 30 m/s limit.
    let (code, out, err) = concord(&[
        "validate",
        "--rules",
        street.join("rules.json").to_str().unwrap(),
        "--cuboids",
        kitti.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let alone: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(warned(&alone).is_empty());
    // A sequence the project does not have is named with the ones it has.
    let (code, _, err) = concord(&[
        "validate",
        "--bundle",
        street.to_str().unwrap(),
        "--cuboids",
        kitti.to_str().unwrap(),
        "--sequence",
        "street-9",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no sequence `street-9`") && err.contains("street-1"), "{err}");
}

#[test]
fn tracks_lists_the_track_another_annotator_split_first_and_refuses_labels_that_are_not_cuboids() {
    let street = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/street");
    // Two annotators' logs over the gold frames 0–4: the second renames the walker ped-1 from frame 3 on.
    let log = |who: &str, split: bool| {
        let mut lines = String::new();
        for (n, line) in std::fs::read_to_string(street.join("gold.jsonl")).unwrap().lines().enumerate() {
            let g: serde_json::Value = serde_json::from_str(line).unwrap();
            let mut objects = g["result"]["objects"].clone();
            for o in objects.as_array_mut().unwrap() {
                if split && o["track_id"] == "ped-1" && o["frame"].as_i64().unwrap() >= 3 {
                    o["track_id"] = "ped-1-again".into();
                }
            }
            for (k, op) in [
                serde_json::json!({"type": "set_result", "result": {"objects": objects}}),
                serde_json::json!({"type": "submit"}),
            ]
            .into_iter()
            .enumerate()
            {
                let event = serde_json::json!({"id": format!("{who}:{n}:{k}"), "at": 1_765_000_000_000u64 + n as u64,
                    "annotator": who, "task": g["task"], "guidelines": "1.0", "op": op});
                lines.push_str(&format!("{event}\n"));
            }
        }
        temp(&format!("{who}-log.jsonl"), &lines)
    };
    let (a, b) = (log("ann-1", false), log("ann-2", true));
    let (code, out, err) =
        concord(&["tracks", "--bundle", street.to_str().unwrap(), a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &v["tracks"][0];
    assert_eq!((first["annotator"].as_str(), first["track"].as_str()), (Some("ann-1"), Some("ped-1")));
    assert_eq!(first["id_switches"], 1);
    assert_eq!(first["switch_frames"], serde_json::json!([3]));
    // Every other track agrees box for box, with no switch.
    for t in v["tracks"].as_array().unwrap().iter().skip(1) {
        assert_eq!((t["id_switches"].as_u64(), t["matched"].clone()), (Some(0), t["compared"].clone()), "{t}");
    }
    // A project of choices has no tracks.
    let retail = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/retail");
    let csv = temp("tracks-labels.csv", "item,annotator,label\na,x,Dairy\n");
    let (code, _, err) = concord(&["tracks", "--bundle", retail.to_str().unwrap(), csv.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("tracks reads cuboids"), "{err}");
}

#[test]
fn learn_labels_regions_the_model_was_not_shown_and_scores_every_gold_region() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/shelf");
    let bundle =
        concord_engine::bundle::load_bundle(|p| std::fs::read_to_string(demo.join(p)).map_err(|e| e.to_string()))
            .unwrap();
    let record = |g: &concord_engine::bundle::GoldItem| {
        serde_json::json!({"task": g.task, "annotator": "lead", "result": g.result}).to_string() + "\n"
    };
    let labels = temp("shelf-lead.jsonl", &bundle.gold[..6].iter().map(record).collect::<String>());
    let out = |n: &str| std::env::temp_dir().join(format!("concord-learn-regions-{n}-{}", std::process::id()));
    let features = std::env::temp_dir().join(format!("concord-learn-regions-{}.jsonl", std::process::id()));
    let gold_file = demo.join("gold.jsonl");
    let run = |n: &str, regions: &Path| {
        let dir = out(n);
        let _ = std::fs::remove_dir_all(&dir);
        let mut args = vec!["learn", "--bundle", demo.to_str().unwrap(), labels.to_str().unwrap()];
        args.extend(["--out", dir.to_str().unwrap(), "--regions", regions.to_str().unwrap()]);
        args.extend(["--features", features.to_str().unwrap()]);
        concord(&args)
    };
    // The gold's own regions, relabelled: exactly what the gold score counts, region by region.
    let (code, report, err) = run("a", &gold_file);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["control"], "objects");
    assert_eq!(report["learned"], 6);
    let predictions = std::fs::read_to_string(out("a").join("predictions.jsonl")).unwrap();
    let parsed =
        concord_engine::bundle::parse_predictions("predictions.jsonl", &predictions, &bundle.project.schema, None)
            .unwrap();
    assert_eq!(parsed.len(), bundle.gold.len());
    let (mut right, mut regions) = (0, 0);
    for (p, g) in parsed.iter().zip(&bundle.gold) {
        use concord_engine::model::ControlValue::Boxes;
        let (Boxes(got), Boxes(want)) = (&p.result.0["objects"], &g.result.0["objects"]) else { panic!("boxes") };
        assert_eq!(got.len(), want.len());
        for (a, b) in got.iter().zip(want) {
            assert_eq!((a.x, a.y, a.w, a.h, &a.attributes), (b.x, b.y, b.w, b.h, &b.attributes), "as drawn");
            let score = a.score.expect("each region's probability");
            assert!(score > 1.0 / 7.0 && score <= 1.0, "{score}");
            right += usize::from(a.label == b.label);
            regions += 1;
        }
    }
    assert_eq!(report["gold"]["items"], regions);
    assert_eq!(report["gold"]["accuracy"].as_f64().unwrap(), right as f64 / regions as f64);
    // The held-out half is mostly right after six shelves and streets.
    assert!(right * 10 >= regions * 7, "{right} of {regions}");
    // --features: a row per region of the labels, then per gold region.
    let rows: Vec<serde_json::Value> =
        std::fs::read_to_string(&features).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let label_regions: usize = bundle.gold[..6]
        .iter()
        .map(|g| match &g.result.0["objects"] {
            concord_engine::model::ControlValue::Boxes(b) => b.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(rows.iter().filter(|r| r["set"] == "labels").count(), label_regions);
    assert_eq!(rows.iter().filter(|r| r["set"] == "gold").count(), regions);
    // A region file naming a task the bundle lacks is refused, naming the file and the task.
    let stray = temp("shelf-stray.jsonl", r#"{"task": "nope", "result": {"objects": []}}"#);
    let (code, _, err) = run("b", &stray);
    assert_eq!(code, 2);
    assert!(err.contains("shelf-stray.jsonl") && err.contains("`nope`"), "{err}");
    // A classifier's project has no regions to label.
    let tickets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo/tickets");
    let _ = std::fs::remove_dir_all(out("c"));
    let (code, _, err) = concord(&[
        "learn",
        "--bundle",
        tickets.to_str().unwrap(),
        "--gold-first",
        "--out",
        out("c").to_str().unwrap(),
        "--regions",
        gold_file.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--regions") && err.contains("urgency"), "{err}");
    let _ = std::fs::remove_file(&features);
    for n in ["a", "b", "c"] {
        let _ = std::fs::remove_dir_all(out(n));
    }
}
