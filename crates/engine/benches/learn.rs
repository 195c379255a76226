//! The online learners: one update after a submission (a text classifier over 2^18 hashed features and 20 classes,
//! with its rehearsal), scoring one task, ranking a queue of 100,000 texts by uncertainty, and a tagger update on a
//! sentence of 30 tokens; the region labeller's update on an image of 30 boxes and its suggestion for one.
//! `cargo bench -p concord-engine --bench learn`. The texts are those of the browser
//! benchmark's `learner` bundle (`cargo xtask bench --ui`): 25 words, 30 % of them from the topic's own 30.

use std::hint::black_box;

use concord_engine::bundle::parse_manifest;
use concord_engine::learn::{ProjectLearner, Sample};
use concord_engine::model::{ControlValue, SpanRegion, Task, TaskData, TaskResult};
use concord_engine::rng::SplitMix64;
use criterion::{criterion_group, criterion_main, Criterion};

fn project(control: &str, kind: &str, labels: &[String]) -> concord_engine::bundle::Project {
    let labels: Vec<_> = labels.iter().map(|l| serde_json::json!({"value": l})).collect();
    let m = serde_json::json!({"format": "concord-project", "version": 1, "id": "b", "name": "b",
        "schema": {"data": "text", "controls": [{"name": control, "type": kind, "labels": labels}]},
        "guidelines": {"path": "g.md", "version": "1"}, "tasks": [{"path": "t.jsonl", "count": 1}]});
    parse_manifest("project.json", &m.to_string()).unwrap()
}

fn task(id: usize, text: String) -> Task {
    Task {
        id: format!("l{id:06}"),
        data: TaskData { text: Some(text), image: None, width: None, height: None, ..Default::default() },
        meta: Default::default(),
    }
}

fn learn(c: &mut Criterion) {
    let topics: Vec<String> = (0..20).map(|k| format!("class{k:02}")).collect();
    let p = project("topic", "single_choice", &topics);
    let mut rng = SplitMix64::new(2100);
    let (mut tasks, mut classes) = (Vec::new(), Vec::new());
    for i in 0..100_000 {
        let class = rng.below(20);
        let words: Vec<String> = (0..25)
            .map(|_| {
                format!("w{:03}", if rng.unit() < 0.3 { 200 + class * 30 + rng.below(30) } else { rng.below(200) })
            })
            .collect();
        tasks.push(task(i, words.join(" ")));
        classes.push(class);
    }
    let label =
        |i: usize| TaskResult([("topic".to_string(), ControlValue::Choices(vec![topics[classes[i]].clone()]))].into());
    let mut learner = ProjectLearner::for_project(&p, None).unwrap();
    for (i, t) in tasks.iter().enumerate().take(300) {
        learner.learn(Sample::of(t, None), &label(i));
    }
    let mut g = c.benchmark_group("learn");
    let mut k = 300;
    g.bench_function("text_update_2e18_features_20_classes", |b| {
        b.iter(|| {
            k += 1;
            learner.learn(Sample::of(&tasks[k % tasks.len()], None), &label(k % tasks.len()))
        })
    });
    g.bench_function("text_score_one_task", |b| b.iter(|| learner.predict(Sample::of(black_box(&tasks[7]), None))));
    let labeled = vec![false; tasks.len()];
    g.sample_size(10);
    g.bench_function("text_index_100000_tasks", |b| b.iter(|| learner.text_index(&tasks)));
    let index = learner.text_index(&tasks);
    g.bench_function("rank_100000_tasks", |b| {
        b.iter(|| learner.rank_by_uncertainty(&tasks, None, index.as_ref(), &[], &labeled))
    });
    g.bench_function("rank_100000_tasks_without_index", |b| {
        b.iter(|| learner.rank_by_uncertainty(&tasks, None, None, &[], &labeled))
    });
    // A tagger on sentences of 30 tokens with a few names.
    let tags = ["PER".to_string(), "ORG".to_string(), "LOC".to_string()];
    let pt = project("entities", "spans", &tags);
    let mut tagger = ProjectLearner::for_project(&pt, None).unwrap();
    let sentence = "the report said Ada Lovelace met staff from Acme Corp in Zürich on Monday and later a meeting was \
                    held with teams from several places in the week with plans and more staff";
    let t = task(0, sentence.to_string());
    let spans = vec![
        SpanRegion { start: 16, end: 28, label: "PER".into(), score: None },
        SpanRegion { start: 49, end: 58, label: "ORG".into(), score: None },
        SpanRegion { start: 62, end: 68, label: "LOC".into(), score: None },
    ];
    let r = TaskResult([("entities".to_string(), ControlValue::Spans(spans))].into());
    g.sample_size(100);
    g.bench_function("tagger_update_30_tokens", |b| b.iter(|| tagger.learn(Sample::of(&t, None), black_box(&r))));
    // Most uncertain first for a tagger: 1,000 sentences of 30 tokens (the benchmark bundle's size), each read
    // and scored at its least sure token.
    let words: Vec<&str> = sentence.split(' ').collect();
    let mut rng = SplitMix64::new(5);
    let sentences: Vec<Task> = (0..1000)
        .map(|i| {
            let mut w = words.clone();
            for k in 0..w.len() {
                let j = rng.below(w.len());
                w.swap(k, j);
            }
            task(i, w.join(" "))
        })
        .collect();
    let unlabeled = vec![false; sentences.len()];
    g.sample_size(20);
    g.bench_function("tagger_rank_1000_sentences", |b| {
        b.iter(|| tagger.rank_by_uncertainty(black_box(&sentences), None, None, &[], &unlabeled))
    });
    // The region labeller: a submitted image of 30 boxes learned (each box an example, with its rehearsals), and
    // the suggestion for an image of 30 boxes (what annotator mode asks after each edit).
    let m = serde_json::json!({"format": "concord-project", "version": 1, "id": "r", "name": "r",
        "schema": {"data": "image", "controls": [{"name": "objects", "type": "boxes",
            "labels": (0..7).map(|k| serde_json::json!({"value": format!("kind{k}")})).collect::<Vec<_>>()}]},
        "guidelines": {"path": "g.md", "version": "1"}, "tasks": [{"path": "t.jsonl", "count": 1}]});
    let boxes_project = parse_manifest("project.json", &m.to_string()).unwrap();
    let mut labeller = ProjectLearner::for_project(&boxes_project, None).unwrap();
    let image = Task {
        id: "i".into(),
        data: TaskData { image: Some("i.png".into()), width: Some(640.0), height: Some(400.0), ..Default::default() },
        meta: Default::default(),
    };
    let mut rng = SplitMix64::new(9);
    let mut shelf = || {
        let boxes = (0..30)
            .map(|_| {
                let k = rng.below(7);
                concord_engine::model::BoxRegion {
                    x: rng.unit() * 500.0,
                    y: rng.unit() * 300.0,
                    w: 10.0 + 15.0 * k as f64 * (0.8 + 0.4 * rng.unit()),
                    h: 90.0 - 10.0 * k as f64 * (0.8 + 0.4 * rng.unit()),
                    label: format!("kind{k}"),
                    attributes: Default::default(),
                    score: None,
                }
            })
            .collect();
        TaskResult([("objects".to_string(), ControlValue::Boxes(boxes))].into())
    };
    let images: Vec<TaskResult> = (0..200).map(|_| shelf()).collect();
    for r in &images[..100] {
        labeller.learn(Sample::of(&image, None), r);
    }
    let mut k = 0;
    g.bench_function("region_update_30_boxes", |b| {
        b.iter(|| {
            k += 1;
            labeller.learn(Sample::of(&image, None), &images[100 + k % 100])
        })
    });
    g.bench_function("region_suggest_30_boxes", |b| {
        b.iter(|| labeller.relabel(Sample::of(&image, None), black_box(&images[150])))
    });
    g.finish();
}

criterion_group!(benches, learn);
criterion_main!(benches);
