//! The online learners against independent computations: the logistic gradient against central finite differences
//! of the loss, AdaGrad's step against the formula, a perceptron that reaches zero errors on a separable set, the
//! uncertainty measures against hand values, and determinism (the same labels in the same order, the same weights).

use concord_engine::learn::{
    embedding_features, entropy, least_confidence, margin, AveragedPerceptron, LogisticSettings, OnlineLogistic,
    TextFeatures, TextIndex,
};
use concord_engine::rng::SplitMix64;

fn random_sparse(rng: &mut SplitMix64, dimension: u32, k: usize) -> Vec<(u32, f32)> {
    let mut v: Vec<(u32, f32)> =
        (0..k).map(|_| (rng.below(dimension as usize) as u32, (rng.unit() * 2.0 - 1.0) as f32)).collect();
    v.sort_by_key(|(j, _)| *j);
    v.dedup_by_key(|(j, _)| *j);
    v
}

#[test]
fn the_logistic_gradient_equals_central_finite_differences_of_the_loss() {
    let mut rng = SplitMix64::new(7);
    let settings = LogisticSettings { learning_rate: 0.3, l2: 0.05 };
    let mut model = OnlineLogistic::new(4, 32, settings);
    // Some training first, so the weights are not all zero.
    for _ in 0..30 {
        let x = random_sparse(&mut rng, 32, 6);
        model.update(&x, rng.below(4));
    }
    for _ in 0..5 {
        let x = random_sparse(&mut rng, 32, 6);
        let y = rng.below(4);
        let (analytic, _) = model.gradient(&x, y);
        for (c, j, g) in analytic {
            let w = model.weight(c, j);
            let h = 1e-2;
            let mut probe = model.clone();
            probe.set_weight(c, j, w + h);
            let (up, w_up) = (probe.loss(&x, y), probe.weight(c, j));
            probe.set_weight(c, j, w - h);
            let (down, w_down) = (probe.loss(&x, y), probe.weight(c, j));
            // The step actually taken (weights are f32).
            let numeric = (up - down) / (w_up - w_down);
            assert!((numeric - g).abs() <= 2e-4 * (1.0 + g.abs()), "class {c} feature {j}: {g} vs {numeric}");
        }
    }
}

#[test]
fn an_adagrad_step_is_the_formula_and_the_loss_falls() {
    let settings = LogisticSettings { learning_rate: 0.5, l2: 0.0 };
    let mut model = OnlineLogistic::new(3, 8, settings);
    let x = vec![(1u32, 0.6f32), (5, 0.8)];
    // From zero weights p is uniform: the gradient of the true class's weight j is (1/3 − 1) x_j, so AdaGrad's first
    // step is −η · g / |g| = +η for it, and −η for the others.
    let before = model.loss(&x, 2);
    assert!((before - 3f64.ln()).abs() < 1e-12);
    model.update(&x, 2);
    for (j, _) in &x {
        assert!((model.weight(2, *j) - 0.5).abs() < 1e-6);
        assert!((model.weight(0, *j) + 0.5).abs() < 1e-6);
    }
    let after = model.loss(&x, 2);
    assert!(after < before, "{after} < {before}");
    assert_eq!(model.predict(&x).0, 2);
}

#[test]
fn text_features_are_hashed_counts_of_unit_norm_and_a_text_learns_its_class() {
    let f = TextFeatures { bits: 12, word_ngrams: 2, char_ngrams: (3, 4) };
    let a = f.features("The printer is on fire!");
    let norm: f64 = a.iter().map(|(_, v)| f64::from(*v).powi(2)).sum();
    assert!((norm - 1.0).abs() < 1e-6);
    assert!(a.windows(2).all(|w| w[0].0 < w[1].0), "sorted, no index twice");
    // Case and punctuation do not change the features; the same text always hashes the same.
    assert_eq!(a, f.features("the PRINTER is on fire"));
    assert!(f.features("?!").is_empty());
    let e = embedding_features(&[3.0, 0.0, 4.0]);
    assert_eq!(e, vec![(0, 0.6), (2, 0.8)]);

    // Two classes of tickets, told apart after a few examples.
    let urgent = ["the server is down", "outage in production", "payments are failing now", "site down for everyone"];
    let calm =
        ["please update my address", "question about my invoice", "thanks for the help", "how do I change my name"];
    let mut model = OnlineLogistic::new(2, f.dimension(), LogisticSettings::default());
    for _ in 0..3 {
        for (u, c) in urgent.iter().zip(&calm) {
            model.update(&f.features(u), 1);
            model.update(&f.features(c), 0);
        }
    }
    assert_eq!(model.predict(&f.features("production server down")).0, 1);
    assert_eq!(model.predict(&f.features("question about my address")).0, 0);
}

#[test]
fn the_same_labels_in_the_same_order_give_the_same_model() {
    let f = TextFeatures::default();
    let run = || {
        let mut m = OnlineLogistic::new(3, f.dimension(), LogisticSettings::default());
        for (i, t) in ["alpha beta", "gamma delta", "beta gamma", "alpha"].iter().enumerate() {
            m.update(&f.features(t), i % 3);
        }
        m
    };
    assert_eq!(run(), run());
}

#[test]
fn the_perceptron_reaches_zero_errors_on_a_separable_set_and_tags_new_sentences() {
    let tags: Vec<String> = ["O", "B-PER", "I-PER", "B-LOC"].iter().map(|s| s.to_string()).collect();
    let sentences: Vec<(Vec<&str>, Vec<usize>)> = vec![
        (vec!["Ann", "Lee", "visited", "Paris"], vec![1, 2, 0, 3]),
        (vec!["Bo", "Chen", "left", "Rome"], vec![1, 2, 0, 3]),
        (vec!["we", "met", "Cyd", "Park", "in", "Oslo"], vec![0, 0, 1, 2, 0, 3]),
        (vec!["rain", "in", "Lima"], vec![0, 0, 3]),
    ];
    let mut tagger = AveragedPerceptron::new(tags);
    let mut errors = Vec::new();
    for _ in 0..20 {
        errors.push(sentences.iter().map(|(w, t)| tagger.train(w, t)).sum::<usize>());
    }
    assert!(errors[0] > 0, "it starts wrong");
    assert_eq!(*errors.last().unwrap(), 0, "a separable set is learned: {errors:?}");
    for (w, t) in &sentences {
        assert_eq!(&tagger.tag(w), t, "{w:?}");
    }
    // A new sentence of the same shapes.
    assert_eq!(tagger.tag(&["Dee", "Moss", "visited", "Oslo"]), vec![1, 2, 0, 3]);
}

#[test]
fn uncertainty_measures_match_their_definitions() {
    let sure = [0.98, 0.01, 0.01];
    let unsure = [0.4, 0.35, 0.25];
    assert!((least_confidence(&sure) - 0.02).abs() < 1e-12);
    assert!((margin(&unsure) - 0.95).abs() < 1e-12);
    let h: f64 = -(0.4f64 * 0.4f64.ln() + 0.35 * 0.35f64.ln() + 0.25 * 0.25f64.ln());
    assert!((entropy(&unsure) - h).abs() < 1e-12);
    for measure in [least_confidence, margin, entropy] {
        assert!(measure(&unsure) > measure(&sure));
    }
    assert!((entropy(&[0.25; 4]) - 4f64.ln()).abs() < 1e-12, "uniform is the most uncertain");
}

/// A small image project with `embeddings` of `dimension` in one chunk of `count` tasks.
fn image_project(count: usize, dimension: usize, kind: &str) -> String {
    serde_json::json!({
        "format": "concord-project", "version": 1, "id": "emb", "name": "Embeddings",
        "schema": {"data": "image", "controls": [{"name": "digit", "type": "single_choice",
            "labels": [{"value": "a"}, {"value": "b"}, {"value": "c"}]}]},
        "guidelines": {"path": "g.md", "version": "1", "date": "2026-01-01"},
        "tasks": [{"path": "tasks/0.jsonl", "count": count}],
        "embeddings": {"dimension": dimension, "type": kind, "chunks": ["emb/0.bin"], "source": "test"}
    })
    .to_string()
}

fn image_tasks(count: usize) -> String {
    (0..count).map(|i| format!("{{\"id\":\"t{i}\",\"data\":{{\"image\":\"i/{i}.png\"}}}}\n")).collect()
}

/// Three separable clusters in 8 dimensions: class k has its mass on dimensions 2k and 2k+1.
fn cluster_vector(rng: &mut SplitMix64, class: usize) -> Vec<f32> {
    (0..8).map(|d| if d / 2 == class { 1.0 + rng.unit() as f32 } else { (rng.unit() * 0.3) as f32 }).collect()
}

fn load(
    manifest: &str,
    tasks: &str,
    bytes: Vec<u8>,
) -> Result<
    (concord_engine::bundle::LoadedBundle, Option<concord_engine::bundle::Embeddings>),
    concord_engine::InputError,
> {
    let files = std::collections::HashMap::from([
        ("project.json", manifest.to_string()),
        ("g.md", "# G\n".to_string()),
        ("tasks/0.jsonl", tasks.to_string()),
    ]);
    let b = concord_engine::bundle::load_bundle(|p| files.get(p).cloned().ok_or_else(|| format!("no {p}")))?;
    let e = concord_engine::bundle::load_embeddings(&b.project, &b.tasks, |p| {
        if p == "emb/0.bin" {
            Ok(bytes.clone())
        } else {
            Err("missing".into())
        }
    })?;
    Ok((b, e))
}

#[test]
fn an_image_project_learns_its_head_from_the_bundles_embeddings_in_f32_and_f16() {
    use concord_engine::learn::{ProjectLearner, Sample};
    use concord_engine::model::{ControlValue, TaskResult};
    let n = 90;
    let mut rng = SplitMix64::new(3);
    let vectors: Vec<Vec<f32>> = (0..n).map(|i| cluster_vector(&mut rng, i % 3)).collect();
    let f32_bytes: Vec<u8> = vectors.iter().flatten().flat_map(|v| v.to_le_bytes()).collect();
    // f16 by an independent route: the value's nearest half, found by searching every finite half.
    let halves: Vec<(u16, f32)> = (0u16..0x7c00).map(|h| (h, concord_engine::bundle::f16_to_f32(h))).collect();
    let nearest = |v: f32| halves.iter().min_by(|a, b| (a.1 - v).abs().total_cmp(&(b.1 - v).abs())).unwrap().0;
    let f16_bytes: Vec<u8> = vectors.iter().flatten().flat_map(|v| nearest(*v).to_le_bytes()).collect();
    for (kind, bytes, tolerance) in [("f32", f32_bytes, 0.0), ("f16", f16_bytes, 1e-3)] {
        let (b, e) = load(&image_project(n, 8, kind), &image_tasks(n), bytes).unwrap();
        let e = e.expect("the bundle ships embeddings");
        assert_eq!((e.len(), e.dimension()), (n, 8));
        for (i, v) in vectors.iter().enumerate() {
            let got = e.get(&format!("t{i}")).unwrap();
            assert!(got.iter().zip(v).all(|(g, w)| (g - w).abs() <= tolerance * w.abs().max(1.0)), "{kind} t{i}");
        }
        let mut learner = ProjectLearner::for_project(&b.project, None).unwrap();
        let label = |i: usize| {
            TaskResult([("digit".to_string(), ControlValue::Choices(vec![["a", "b", "c"][i % 3].into()]))].into())
        };
        // Two passes over the first 60, then the last 30 are predicted without having been seen.
        for _ in 0..2 {
            for i in 0..60 {
                assert!(learner.learn(Sample::of(&b.tasks[i], Some(&e)), &label(i)));
            }
        }
        for i in 60..n {
            let p = learner.predict(Sample::of(&b.tasks[i], Some(&e))).unwrap();
            assert_eq!(p.result, label(i), "{kind}: task {i}");
        }
        // Without its vector a task teaches nothing and gets no prediction.
        assert!(!learner.learn(Sample { task: &b.tasks[0], vector: None }, &label(0)));
        assert!(learner.predict(Sample { task: &b.tasks[0], vector: None }).is_none());
    }
}

#[test]
fn embedding_files_are_read_strictly() {
    let n = 4;
    let tasks = image_tasks(n);
    let good: Vec<u8> = (0..n * 8).flat_map(|k| (k as f32).to_le_bytes()).collect();
    // A file one value short names the file and the expected size.
    let e = load(&image_project(n, 8, "f32"), &tasks, good[..good.len() - 4].to_vec()).unwrap_err();
    assert_eq!(e.file, "emb/0.bin");
    assert!(e.reason.contains("124 bytes, expected 4 tasks × 8 values × 4 bytes = 128"), "{}", e.reason);
    // The same bytes read as f16 are twice as many values as declared.
    let e = load(&image_project(n, 8, "f16"), &tasks, good.clone()).unwrap_err();
    assert!(e.reason.contains("expected 4 tasks × 8 values × 2 bytes = 64"), "{}", e.reason);
    // A NaN names its task and value.
    let mut nan = good.clone();
    nan[(2 * 8 + 5) * 4..(2 * 8 + 6) * 4].copy_from_slice(&f32::NAN.to_le_bytes());
    let e = load(&image_project(n, 8, "f32"), &tasks, nan).unwrap_err();
    assert!(e.reason.starts_with("task 3 (`t2`), value 5"), "{}", e.reason);
    // The manifest: one file per chunk, a sane dimension, a known type.
    for (edit, path, why) in [
        (r#""chunks": ["emb/0.bin", "emb/1.bin"]"#, "$.embeddings.chunks", "2 files for 1 task chunks"),
        (r#""dimension": 0"#, "$.embeddings.dimension", "0 is not in 1..=65536"),
        (r#""chunks": ["tasks/0.jsonl"]"#, "$.embeddings.chunks[0]", "listed twice"),
    ] {
        let mut m: serde_json::Value = serde_json::from_str(&image_project(n, 8, "f32")).unwrap();
        let patch: serde_json::Value = serde_json::from_str(&format!("{{{edit}}}")).unwrap();
        for (k, v) in patch.as_object().unwrap() {
            m["embeddings"][k] = v.clone();
        }
        let e = concord_engine::bundle::parse_manifest("project.json", &m.to_string()).unwrap_err();
        assert_eq!(e.place, concord_engine::Place::JsonPath(path.into()), "{edit}: {e}");
        assert!(e.reason.contains(why), "{edit}: {e}");
    }
    let bad_type = image_project(n, 8, "f64");
    let e = concord_engine::bundle::parse_manifest("project.json", &bad_type).unwrap_err();
    assert!(e.to_string().contains("embeddings") && e.to_string().contains("f64"), "{e}");
    // An image project without embeddings says what it lacks.
    let mut m: serde_json::Value = serde_json::from_str(&image_project(n, 8, "f32")).unwrap();
    m.as_object_mut().unwrap().remove("embeddings");
    let p = concord_engine::bundle::parse_manifest("project.json", &m.to_string()).unwrap();
    let why = concord_engine::learn::ProjectLearner::for_project(&p, None).unwrap_err();
    assert_eq!(why, concord_engine::learn::LearnPlanError::NoEmbeddings);
    assert!(why.to_string().contains("embeddings"), "{why}");
}

#[test]
fn the_rehearsal_reservoir_keeps_a_uniform_sample_of_every_example_seen() {
    use concord_engine::learn::{Rehearsal, REHEARSAL_CAPACITY, REPLAYS};
    let mut r = Rehearsal::default();
    assert!(r.draw().is_empty(), "nothing to rehearse before the first example");
    // Three times the capacity, the class saying which third an example came from.
    let n = 3 * REHEARSAL_CAPACITY;
    for k in 0..n {
        r.keep(vec![(k as u32, 1.0)], k * 3 / n);
        if k == 0 {
            assert_eq!(r.draw(), vec![0; REPLAYS]);
        }
    }
    assert_eq!(r.len(), REHEARSAL_CAPACITY);
    let mut thirds = [0usize; 3];
    for i in 0..r.len() {
        thirds[r.example(i).1] += 1;
    }
    // Each third holds a third of the reservoir: a binomial count of sd ≈ √(4096·2/9) ≈ 30; 5 sd of slack.
    for (t, c) in thirds.iter().enumerate() {
        assert!((*c as f64 - REHEARSAL_CAPACITY as f64 / 3.0).abs() < 150.0, "third {t}: {c} of {}", r.len());
    }
    // Draws are indices of kept examples, and the same state draws the same.
    let d = r.draw();
    assert_eq!(d.len(), REPLAYS);
    assert!(d.iter().all(|&i| i < r.len()));
    assert_eq!(d, r.clone().draw());
}

#[test]
fn the_live_models_disagreement_is_a_warning_with_the_projects_threshold_and_section() {
    use concord_engine::bundle::Prediction;
    use concord_engine::model::{ControlValue, Task, TaskResult};
    use concord_engine::rules::{blocks_submission, live_model_rules, parse_rules, validate, Severity, Subject};
    let task = Task { id: "d1".into(), data: Default::default(), meta: Default::default() };
    let result = TaskResult([("digit".to_string(), ControlValue::Choices(vec!["8".into()]))].into());
    let live = |top: f64| Prediction {
        task: "d1".into(),
        model: "concord-online".into(),
        result: TaskResult([("digit".to_string(), ControlValue::Choices(vec!["3".into()]))].into()),
        scores: serde_json::from_value(serde_json::json!({"digit": {"3": top, "8": 1.0 - top}})).unwrap(),
    };
    // A project rule, even an error, becomes a warning of the live model, with its threshold and section.
    let rules = parse_rules(
        "rules.json",
        r##"{"format": "concord-rules", "version": 1, "guidelines_version": "1.0", "rules": [
            {"id": "model-disagrees", "kind": "model_conflict", "control": "digit", "min_score": 0.8,
             "severity": "error", "section": "#the-model", "message": "Look again"}]}"##,
        None,
    )
    .unwrap();
    let live_rules = live_model_rules(Some(&rules), "digit");
    let v = validate(&live_rules, &Subject { task: &task, result: &result, prediction: Some(&live(0.85)) });
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (v[0].rule.as_str(), v[0].severity, v[0].section.as_str()),
        ("live-model:model-disagrees", Severity::Warning, "#the-model")
    );
    assert!(v[0].message.contains("3") && v[0].message.contains("85 %"), "{}", v[0].message);
    assert!(!blocks_submission(&v));
    assert!(validate(&live_rules, &Subject { task: &task, result: &result, prediction: Some(&live(0.75)) }).is_empty());
    // Without such a rule: the default threshold.
    let defaults = live_model_rules(None, "digit");
    assert_eq!(validate(&defaults, &Subject { task: &task, result: &result, prediction: Some(&live(0.85)) }).len(), 0);
    let v = validate(&defaults, &Subject { task: &task, result: &result, prediction: Some(&live(0.95)) });
    assert_eq!((v.len(), v[0].severity), (1, Severity::Warning));
    // Agreeing with the model is no finding.
    let agree = TaskResult([("digit".to_string(), ControlValue::Choices(vec!["3".into()]))].into());
    assert!(validate(&defaults, &Subject { task: &task, result: &agree, prediction: Some(&live(0.99)) }).is_empty());
}

#[test]
fn labels_come_in_the_order_they_were_made_and_curves_end_at_the_last_label() {
    use concord_engine::learn::{curve_counts, labels_in_order};
    use concord_engine::model::{ControlValue, Stamps, TableRows};
    let rows = TableRows {
        items: vec!["a".into(), "b".into(), "c".into()],
        annotators: vec!["x".into(), "y".into()],
        labels: vec!["yes".into(), "no".into()],
        rows: vec![[0, 0, 0], [0, 1, 1], [1, 0, 1], [2, 1, 0]],
    };
    let mut stamps = Stamps::default();
    stamps.push(1, 0, 100, "");
    stamps.push(0, 1, 50, "");
    stamps.push(0, 0, 100, "");
    // Stamped by time (equal times in table order), then the unstamped one.
    let got: Vec<(String, String)> = labels_in_order(&rows.table().unwrap(), &stamps, "answer")
        .into_iter()
        .map(|(t, r)| match &r.0["answer"] {
            ControlValue::Choices(c) => (t, c[0].clone()),
            other => panic!("{other:?}"),
        })
        .collect();
    let want = [("a", "no"), ("a", "yes"), ("b", "no"), ("c", "yes")];
    assert_eq!(got, want.map(|(t, l)| (t.to_string(), l.to_string())));
    assert_eq!(curve_counts(100, 4), vec![25, 50, 75, 100]);
    assert_eq!(curve_counts(10, 3), vec![4, 8, 10]);
    assert_eq!(curve_counts(2, 20), vec![1, 2]);
    assert!(curve_counts(0, 5).is_empty());
}

#[test]
fn the_uncertainty_ranking_keeps_the_past_puts_the_least_confident_next_and_the_labeled_last() {
    use concord_engine::learn::{ProjectLearner, Sample};
    use concord_engine::model::{ControlValue, TaskResult};
    let n = 30;
    let mut rng = SplitMix64::new(9);
    let vectors: Vec<Vec<f32>> = (0..n).map(|i| cluster_vector(&mut rng, i % 3)).collect();
    // Tasks 27..30 sit between two clusters: the model cannot be sure of them.
    let mut vectors = vectors;
    for v in vectors.iter_mut().skip(27) {
        *v = (0..8).map(|d| if d < 4 { 1.0 } else { 0.0 }).collect();
    }
    let bytes: Vec<u8> = vectors.iter().flatten().flat_map(|v| v.to_le_bytes()).collect();
    let (b, e) = load(&image_project(n, 8, "f32"), &image_tasks(n), bytes).unwrap();
    let e = e.unwrap();
    let mut learner = ProjectLearner::for_project(&b.project, None).unwrap();
    let mut labeled = vec![false; n];
    for i in 0..12 {
        let label = ["a", "b", "c"][i % 3];
        learner.learn(
            Sample::of(&b.tasks[i], Some(&e)),
            &TaskResult([("digit".to_string(), ControlValue::Choices(vec![label.into()]))].into()),
        );
        labeled[i] = true;
    }
    let order = learner.rank_by_uncertainty(&b.tasks, Some(&e), None, &[20, 3], &labeled);
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(sorted, (0..n).collect::<Vec<_>>(), "a permutation");
    assert_eq!(&order[..2], &[20, 3], "the kept positions first, as they are");
    // The ambiguous tasks are the most uncertain of those not labeled.
    let mut next: Vec<usize> = order[2..5].to_vec();
    next.sort();
    assert_eq!(next, vec![27, 28, 29]);
    // Least confidence never rises along the unlabeled part.
    let lc = |i: usize| {
        concord_engine::learn::least_confidence(&learner.probabilities(Sample::of(&b.tasks[i], Some(&e))).unwrap())
    };
    let unlabeled: Vec<usize> = order[2..].iter().copied().filter(|&i| !labeled[i]).collect();
    assert!(unlabeled.windows(2).all(|w| lc(w[0]) >= lc(w[1])));
    // The labeled ones (but the kept 3) come last, in project order.
    let tail: Vec<usize> = order[order.len() - 11..].to_vec();
    assert_eq!(tail, (0..12).filter(|&i| i != 3).collect::<Vec<_>>());
}

/// The text features the plain way — every n-gram built as a string, then hashed, counted in a map — against the
/// engine's allocation-free hashing: the same buckets and values, Unicode included.
#[test]
fn hashed_text_features_equal_a_plain_string_by_string_computation() {
    fn fnv(kind: u8, bytes: &[u8]) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in std::iter::once(&kind).chain(bytes) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    }
    fn plain(f: &TextFeatures, text: &str) -> Vec<(u32, f32)> {
        let lower = text.to_lowercase();
        let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        let mask = (f.dimension() - 1) as u64;
        let mut counts = std::collections::BTreeMap::<u32, f32>::new();
        let mut add =
            |kind: u8, gram: &str| *counts.entry((fnv(kind, gram.as_bytes()) & mask) as u32).or_insert(0.0) += 1.0;
        for n in 1..=f.word_ngrams as usize {
            for w in words.windows(n) {
                add(b'w', &w.join(" "));
            }
        }
        for w in &words {
            let padded: Vec<char> = std::iter::once(' ').chain(w.chars()).chain(std::iter::once(' ')).collect();
            for n in f.char_ngrams.0 as usize..=f.char_ngrams.1 as usize {
                for window in padded.windows(n) {
                    add(b'c', &window.iter().collect::<String>());
                }
            }
        }
        let norm = counts.values().map(|c| f64::from(*c) * f64::from(*c)).sum::<f64>().sqrt();
        counts.into_iter().map(|(j, c)| (j, (f64::from(c) / norm) as f32)).collect()
    }
    for f in [TextFeatures::default(), TextFeatures { bits: 10, word_ngrams: 3, char_ngrams: (2, 4) }] {
        for text in [
            "The server is DOWN since 9:00, nobody can log in!",
            "José Núñez joined Acme Corp in São Paulo 🚀 — 東京電力 and 李娜 too.",
            "a a a a b",
            "Crème brûlée, naïve café; Ångström.",
        ] {
            assert_eq!(f.features(text), plain(&f, text), "{text}");
        }
        assert!(f.features(" ,;! ").is_empty());
    }
}

/// The ranking index's class scores against the model's own probabilities of each text's feature vector: the same
/// to rounding, with bucket collisions (10 and 6 bits), repeated words, Unicode, an empty text and a task without
/// one.
#[test]
fn the_text_index_scores_each_text_as_its_feature_vector_does() {
    let vocabulary = ["ship", "late", "Refund", "crème", "東京", "order", "order", "a", "naïve", "z9"];
    let mut rng = SplitMix64::new(31);
    let mut texts: Vec<Option<String>> = (0..200)
        .map(|_| {
            let n = 1 + rng.below(14);
            Some((0..n).map(|_| vocabulary[rng.below(vocabulary.len())]).collect::<Vec<_>>().join(" , "))
        })
        .collect();
    texts.push(Some(" ;; ".into()));
    texts.push(None);
    for f in [
        TextFeatures { bits: 10, word_ngrams: 3, char_ngrams: (2, 4) },
        TextFeatures { bits: 6, ..TextFeatures::default() },
    ] {
        let mut model = OnlineLogistic::new(3, f.dimension(), LogisticSettings::default());
        for (k, t) in texts.iter().take(120).enumerate() {
            model.update(&f.features(t.as_deref().unwrap()), k % 3);
        }
        let index = TextIndex::build(f, texts.iter().map(|t| t.as_deref()));
        assert_eq!(index.len(), texts.len());
        let mut seen = Vec::new();
        index.scores(
            &model,
            |t| t == 5,
            |t, s| {
                let max = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let total: f64 = s.iter().map(|x| (x - max).exp()).sum();
                let p: Vec<f64> = s.iter().map(|x| (x - max).exp() / total).collect();
                let direct = model.probabilities(&f.features(texts[t].as_deref().unwrap()));
                for (a, b) in p.iter().zip(&direct) {
                    assert!((a - b).abs() < 1e-6, "text {t}: {p:?} against {direct:?}");
                }
                seen.push(t);
            },
        );
        let expected: Vec<usize> = (0..texts.len()).filter(|&t| t != 5 && texts[t].is_some()).collect();
        assert_eq!(seen, expected, "every text but the skipped one, in order; the task without a text is not scored");
    }
}

/// A text project's queue ranked through the index is ordered by the model's own least confidence.
#[test]
fn ranking_a_text_queue_through_the_index_follows_the_models_uncertainty() {
    use concord_engine::bundle::parse_manifest;
    use concord_engine::learn::{ProjectLearner, Sample};
    use concord_engine::model::{ControlValue, Task, TaskData, TaskResult};
    let m = serde_json::json!({"format": "concord-project", "version": 1, "id": "t", "name": "t",
        "schema": {"data": "text", "controls": [{"name": "topic", "type": "single_choice",
            "labels": [{"value": "a"}, {"value": "b"}, {"value": "c"}]}]},
        "guidelines": {"path": "g.md", "version": "1"}, "tasks": [{"path": "t.jsonl", "count": 1}]});
    let project = parse_manifest("project.json", &m.to_string()).unwrap();
    let mut rng = SplitMix64::new(5);
    let tasks: Vec<Task> = (0..400)
        .map(|i| {
            let class = i % 3;
            let words: Vec<String> = (0..8)
                .map(|_| {
                    if rng.unit() < 0.4 {
                        format!("t{class}w{}", rng.below(5))
                    } else {
                        format!("s{}", rng.below(40))
                    }
                })
                .collect();
            let text = (i != 17).then(|| words.join(" "));
            Task {
                id: format!("x{i}"),
                data: TaskData { text, image: None, width: None, height: None, ..Default::default() },
                meta: Default::default(),
            }
        })
        .collect();
    let mut learner = ProjectLearner::for_project(&project, None).unwrap();
    let mut labeled = vec![false; tasks.len()];
    for i in 0..60 {
        let label = ["a", "b", "c"][i % 3];
        let r = TaskResult([("topic".to_string(), ControlValue::Choices(vec![label.into()]))].into());
        labeled[i] = learner.learn(Sample::of(&tasks[i], None), &r);
    }
    let index = learner.text_index(&tasks).expect("a text classifier has an index");
    let order = learner.rank_by_uncertainty(&tasks, None, Some(&index), &[300, 4], &labeled);
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(sorted, (0..tasks.len()).collect::<Vec<_>>(), "a permutation");
    assert_eq!(&order[..2], &[300, 4]);
    let lc = |i: usize| learner.probabilities(Sample::of(&tasks[i], None)).map(|p| least_confidence(&p));
    let unlabeled: Vec<usize> = order[2..].iter().copied().filter(|&i| !labeled[i] && i != 17).collect();
    assert!(!labeled[17], "a task without a text teaches nothing");
    assert_eq!(unlabeled.len(), tasks.len() - 59 - 2);
    assert!(unlabeled.windows(2).all(|w| lc(w[0]).unwrap() >= lc(w[1]).unwrap() - 1e-9));
    // The task without a text comes after every scored one, before the labeled ones.
    let at = |i: usize| order.iter().position(|&x| x == i).unwrap();
    assert!(unlabeled.iter().all(|&i| at(i) < at(17)) && (5..60).filter(|&i| i != 17).all(|i| at(i) > at(17)));
    // The same order as without the index, but where rounding may swap near ties.
    let plain = learner.rank_by_uncertainty(&tasks, None, None, &[300, 4], &labeled);
    let differ = order.iter().zip(&plain).filter(|(a, b)| a != b).count();
    assert!(differ <= 4, "{differ} positions differ");
}

#[test]
fn a_taggers_least_margin_is_its_least_sure_token_and_orders_a_span_queue() {
    use concord_engine::learn::{ProjectLearner, Sample};
    use concord_engine::model::{ControlValue, SpanRegion, TaskResult};
    // Untrained, every score is 0: no margin anywhere.
    let blank = AveragedPerceptron::new(["O", "B-PER"].iter().map(|s| s.to_string()).collect());
    assert_eq!(blank.least_margin(&["any", "words"]), Some(0.0));
    assert_eq!(blank.least_margin(&[]), None);

    // A span project: people's names in sentences of one shape, three learned; the queue puts the others by the
    // tagger's least token margin, least sure first.
    let texts = [
        "Ann Lee visited Paris today",
        "Bo Chen visited Rome today",
        "Cyd Park visited Oslo today",
        "Dee Moss visited Lima today",
        "Eve Hart visited Kyiv today",
        "zork blup quux frob",
        "Fay Dunn visited Baku today",
    ];
    let manifest = serde_json::json!({
        "format": "concord-project", "version": 1, "id": "ner", "name": "NER",
        "schema": {"data": "text", "controls": [{"name": "entities", "type": "spans", "labels": [{"value": "PER"}]}]},
        "guidelines": {"path": "g.md", "version": "1", "date": "2026-01-01"},
        "tasks": [{"path": "tasks/0.jsonl", "count": texts.len()}]
    })
    .to_string();
    let tasks: String = texts
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{}\n", serde_json::json!({"id": format!("t{i}"), "data": {"text": t}})))
        .collect();
    let (b, _) = load(&manifest, &tasks, Vec::new()).unwrap();
    let mut learner = ProjectLearner::for_project(&b.project, None).unwrap();
    let mut labeled = vec![false; texts.len()];
    for _ in 0..5 {
        for i in 0..3 {
            let name_end = texts[i].find(" visited").unwrap();
            let span = SpanRegion { start: 0, end: name_end, label: "PER".into(), score: None };
            let result = TaskResult([("entities".to_string(), ControlValue::Spans(vec![span]))].into());
            learner.learn(Sample::of(&b.tasks[i], None), &result);
            labeled[i] = true;
        }
    }
    let ProjectLearner::Tagger { tagger, .. } = &learner else { panic!("a span project learns a tagger") };
    let margin = |i: usize| {
        let words: Vec<&str> = texts[i].split(' ').collect();
        tagger.least_margin(&words).unwrap()
    };
    let order = learner.rank_by_uncertainty(&b.tasks, None, None, &[], &labeled);
    let unlabeled: Vec<usize> = order.iter().copied().filter(|&i| !labeled[i]).collect();
    // New names in the learned frame are what it is unsure of (B-PER, I-PER or O?): surer of a sentence it learned,
    // and of lower-case words (O, by their shape), than of the least sure of them.
    let least = unlabeled[0];
    assert!((3..7).contains(&least) && least != 5, "{order:?}");
    assert!(margin(0) > margin(least) && margin(5) > margin(least), "{} {} {}", margin(0), margin(5), margin(least));
    // The margin never falls along the unlabeled part (least sure first), and the labeled come last.
    assert!(unlabeled.windows(2).all(|w| margin(w[0]) <= margin(w[1])), "{order:?}");
    assert_eq!(&order[order.len() - 3..], &[0, 1, 2]);
}

/// An image project with a boxes control (bottle, box, tag) and, when asked, a polygons control and a choice.
fn region_project(extra: &[serde_json::Value]) -> concord_engine::bundle::Project {
    let labels = serde_json::json!([{"value": "bottle"}, {"value": "box"}, {"value": "tag"}]);
    let mut controls = vec![serde_json::json!({"name": "objects", "type": "boxes", "labels": labels})];
    controls.extend(extra.iter().cloned());
    let m = serde_json::json!({
        "format": "concord-project", "version": 1, "id": "regions", "name": "Regions",
        "schema": {"data": "image", "controls": controls},
        "guidelines": {"path": "g.md", "version": "1", "date": "2026-01-01"},
        "tasks": [{"path": "tasks/0.jsonl", "count": 1}]
    });
    concord_engine::bundle::parse_manifest("project.json", &m.to_string()).unwrap()
}

/// A shelf of `n` regions at random places in a 640 × 400 image: bottles tall and thin, boxes squat and wide,
/// tags small and low; each size jittered.
fn shelf(rng: &mut SplitMix64, n: usize) -> Vec<concord_engine::model::BoxRegion> {
    (0..n)
        .map(|k| {
            let (label, w, h, y) = match k % 3 {
                0 => ("bottle", 28.0, 92.0, 40.0),
                1 => ("box", 70.0, 60.0, 60.0),
                _ => ("tag", 28.0, 14.0, 330.0),
            };
            let mut j = |s: f64| s * (0.8 + 0.4 * rng.unit());
            let (w, h, y) = (j(w), j(h), j(y));
            concord_engine::model::BoxRegion {
                x: rng.unit() * 500.0,
                y,
                w,
                h,
                label: label.into(),
                attributes: Default::default(),
                score: None,
            }
        })
        .collect()
}

#[test]
fn region_features_read_size_aspect_place_and_the_other_labels_at_unit_norm() {
    use concord_engine::learn::{RegionFeatures, RegionShape};
    use concord_engine::model::PolygonRegion;
    let f = RegionFeatures::default();
    let tall = RegionShape { x: 10.0, y: 20.0, w: 30.0, h: 90.0, vertices: None, fill: None };
    let x = f.features(&tall, Some((640.0, 400.0)), &["tag", "box", "tag"]);
    let norm: f64 = x.iter().map(|(_, v)| f64::from(*v).powi(2)).sum();
    assert!((norm - 1.0).abs() < 1e-6, "{norm}");
    assert!(x.windows(2).all(|w| w[0].0 < w[1].0), "ascending, each index once");
    assert!(x.iter().all(|(j, _)| (*j as usize) < f.dimension()));
    // Repeated labels count once: the same as naming each once, in any order.
    assert_eq!(x, f.features(&tall, Some((640.0, 400.0)), &["box", "tag"]));
    // Another label among the others changes the vector; so does the size, past a bin's edge.
    assert_ne!(x, f.features(&tall, Some((640.0, 400.0)), &["box"]));
    assert_ne!(x, f.features(&RegionShape { h: 200.0, ..tall }, Some((640.0, 400.0)), &["box", "tag"]));
    // Without the image's size, sizes are in pixels: no feature of the relative vector but those of the others'
    // labels and the aspect.
    let pixels = f.features(&tall, None, &[]);
    let relative = f.features(&tall, Some((640.0, 400.0)), &[]);
    assert!(pixels.len() < relative.len(), "no place without the image's size");
    // A polygon: its bounding box, and its fill by the shoelace formula (a right triangle fills half its box).
    let triangle = PolygonRegion {
        points: vec![[0.0, 0.0], [40.0, 0.0], [0.0, 20.0]],
        label: "tag".into(),
        attributes: Default::default(),
        score: None,
    };
    let s = RegionShape::of_polygon(&triangle);
    assert_eq!((s.x, s.y, s.w, s.h, s.vertices), (0.0, 0.0, 40.0, 20.0, Some(3)));
    assert!((s.fill.unwrap() - 0.5).abs() < 1e-12);
    // A degenerate box reads nothing of its size, and does not fail.
    let flat = RegionShape { w: 0.0, ..tall };
    assert!(f.features(&flat, Some((640.0, 400.0)), &[]).is_empty());
}

#[test]
fn a_region_labeller_learns_labels_from_shapes_and_suggests_them_for_the_regions_drawn() {
    use concord_engine::bundle::{GoldItem, Prediction};
    use concord_engine::learn::{learn_plan, relabels, LearnerKind, ProjectLearner, Sample};
    use concord_engine::model::{ControlValue, Task, TaskResult};
    let project = region_project(&[]);
    assert!(matches!(learn_plan(&project, None).unwrap().kind, LearnerKind::Regions(_)));
    let task: Task = serde_json::from_value(
        serde_json::json!({"id": "t", "data": {"image": "a.png", "width": 640.0, "height": 400.0}}),
    )
    .unwrap();
    let result = |boxes: Vec<_>| TaskResult([("objects".to_string(), ControlValue::Boxes(boxes))].into());
    let mut rng = SplitMix64::new(11);
    let mut learner = ProjectLearner::for_project(&project, None).unwrap();
    let blank = learner.relabel(Sample { task: &task, vector: None }, &result(shelf(&mut rng, 3))).unwrap();
    let ControlValue::Boxes(b) = &blank.result.0["objects"] else { panic!() };
    assert!(b.iter().all(|b| (b.score.unwrap() - 1.0 / 3.0).abs() < 1e-9), "an untrained model is uniform");
    for _ in 0..40 {
        assert!(learner.learn(Sample { task: &task, vector: None }, &result(shelf(&mut rng, 6))));
    }
    // New shelves, labelled wrong everywhere: the model's labels are the truth, with most of the mass.
    let truth = shelf(&mut rng, 30);
    let mut wrong = truth.clone();
    for b in &mut wrong {
        b.label = if b.label == "tag" { "bottle".into() } else { "tag".into() };
    }
    let p: Prediction = learner.relabel(Sample { task: &task, vector: None }, &result(wrong.clone())).unwrap();
    let ControlValue::Boxes(suggested) = &p.result.0["objects"] else { panic!("boxes") };
    assert_eq!(suggested.len(), truth.len());
    for (s, t) in suggested.iter().zip(&truth) {
        assert_eq!((s.x, s.y, s.w, s.h), (t.x, t.y, t.w, t.h), "the regions as drawn");
        assert_eq!(s.label, t.label);
        assert!(s.score.unwrap() > 0.5, "{s:?}");
    }
    // Every region is one to relabel; a region moved since the suggestion has none; a right label has none.
    let mut now = wrong.clone();
    now[0].x += 1.0;
    now[1].label = truth[1].label.clone();
    let r = relabels("objects", Some(&result(now)), &p);
    assert_eq!(r.len(), truth.len() - 2);
    assert!(r.iter().all(|c| c.index >= 2 && c.label == truth[c.index].label && c.from == wrong[c.index].label));
    // Scored on gold, region by region; the predictions of the labels given are their regions relabelled.
    let gold = vec![GoldItem {
        task: "t".into(),
        result: result(truth.clone()),
        explanation: String::new(),
        section: String::new(),
    }];
    let e = learner.evaluate(std::slice::from_ref(&task), None, &gold);
    assert_eq!((e.items, e.accuracy), (truth.len(), Some(1.0)));
    let lines = learner.predictions_of(std::slice::from_ref(&task), None, &[("t".into(), result(wrong))]);
    let back: Prediction = serde_json::from_str(lines.trim()).unwrap();
    assert_eq!(back, p);
    // A region labeller has no whole-task prediction, and the model.json says what it is.
    assert!(learner.predict(Sample { task: &task, vector: None }).is_none());
    assert_eq!(learner.export()["kind"], "logistic_regression_of_regions");
}

#[test]
fn a_learn_plan_prefers_whole_task_controls_and_learns_regions_only_on_images() {
    use concord_engine::learn::{learn_plan, LearnPlanError, LearnerKind};
    // A choice beside the boxes: the choice, when it can be learned (embeddings); the boxes otherwise.
    let choice =
        serde_json::json!({"name": "scene", "type": "single_choice", "labels": [{"value": "a"}, {"value": "b"}]});
    let p = region_project(&[choice]);
    let plan = learn_plan(&p, None).unwrap();
    assert_eq!((plan.control.as_str(), matches!(plan.kind, LearnerKind::Regions(_))), ("objects", true));
    assert_eq!(learn_plan(&p, Some("scene")).unwrap_err(), LearnPlanError::NoEmbeddings);
    // Polygons too.
    let poly = serde_json::json!({"name": "outlines", "type": "polygons", "labels": [{"value": "roof"}]});
    assert!(matches!(learn_plan(&region_project(&[poly]), Some("outlines")).unwrap().kind, LearnerKind::Regions(_)));
}

#[test]
fn the_live_models_other_label_for_a_region_is_a_warning_on_that_region() {
    use concord_engine::bundle::Prediction;
    use concord_engine::model::{ControlValue, Task, TaskResult};
    use concord_engine::rules::{live_model_rules, validate, Subject};
    let task: Task = serde_json::from_value(serde_json::json!({"id": "t", "data": {"image": "a.png"}})).unwrap();
    let mut rng = SplitMix64::new(5);
    let boxes = shelf(&mut rng, 3);
    let result = TaskResult([("objects".to_string(), ControlValue::Boxes(boxes.clone()))].into());
    let mut said = boxes.clone();
    said[1].label = "tag".into();
    said[1].score = Some(0.95);
    said[2].label = "bottle".into();
    said[2].score = Some(0.6);
    let live = Prediction {
        task: "t".into(),
        model: "concord-online".into(),
        result: TaskResult([("objects".to_string(), ControlValue::Boxes(said))].into()),
        scores: Default::default(),
    };
    let rules = live_model_rules(None, "objects");
    let v = validate(&rules, &Subject { task: &task, result: &result, prediction: Some(&live) });
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].region, Some(1));
    assert!(v[0].message.contains("`tag` (95 %) for the `box`"), "{}", v[0].message);
    assert_eq!(v[0].severity, concord_engine::rules::Severity::Warning);
}
