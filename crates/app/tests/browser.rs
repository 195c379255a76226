//! Components and browser-only code, run in headless Chromium by wasm-bindgen-test.

use std::time::Duration;

use concord_app::components::{ErrorPanel, GuidelinePanel};
use concord_app::loader::BundleLocation;
use concord_app::markdown::to_safe_html;
use concord_engine::bundle::parse_manifest;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_point() -> web_sys::Element {
    let doc = gloo::utils::document();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

async fn settle() {
    yew::platform::time::sleep(Duration::ZERO).await;
}

#[derive(Properties, PartialEq)]
struct ErrorHostProps {
    text: AttrValue,
}

#[function_component(ErrorHost)]
fn error_host(p: &ErrorHostProps) -> Html {
    let error = parse_manifest("project.json", &p.text).unwrap_err();
    html! { <ErrorPanel {error} /> }
}

#[wasm_bindgen_test]
async fn error_panel_shows_file_place_and_reason_from_the_engine() {
    let root = mount_point();
    let text = AttrValue::from(r#"{"format":"concord-project","version":3}"#);
    yew::Renderer::<ErrorHost>::with_root_and_props(root.clone(), ErrorHostProps { text }).render();
    settle().await;
    let q = |sel: &str| root.query_selector(sel).unwrap().unwrap().text_content().unwrap();
    assert_eq!(q(".error-file"), "project.json");
    assert_eq!(q(".error-place"), "$.version");
    assert!(q(".error-reason").contains("unsupported format version 3"));
    assert_eq!(root.query_selector("[role=alert]").unwrap().is_some(), true);
}

#[wasm_bindgen_test]
async fn guideline_markdown_renders_without_running_anything() {
    let root = mount_point();
    let md = "## Edge cases\n<script>window.__pwned = 1</script>\n\n<img src=x onerror=\"window.__pwned=2\">\n\n\
              [click](javascript:window.__pwned=3) [ok](#edge-cases) [ext](https://example.org)\n";
    #[derive(Properties, PartialEq)]
    struct P {
        md: AttrValue,
    }
    #[function_component(Host)]
    fn host(p: &P) -> Html {
        html! { <GuidelinePanel markdown={p.md.clone()} version="1.0" /> }
    }
    // The panel shows each section as text until the chunk worker has rendered it (no worker runs here): raw HTML
    // is text, nothing runs.
    yew::Renderer::<Host>::with_root_and_props(root.clone(), P { md: md.into() }).render();
    settle().await;
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    let article = root.query_selector("article.markdown").unwrap().unwrap();
    assert!(article.query_selector("script").unwrap().is_none(), "a script element was created");
    assert!(article.query_selector("img").unwrap().is_none(), "raw <img> became an element");
    assert!(article.text_content().unwrap().contains("<script>"), "raw HTML is shown as text");
    // What the worker answers is `to_safe_html`'s output, inserted as the panel inserts it.
    let rendered = mount_point();
    rendered.set_inner_html(&to_safe_html(md));
    assert!(rendered.query_selector("script").unwrap().is_none(), "a script element was created");
    assert!(rendered.query_selector("img").unwrap().is_none(), "raw <img> became an element");
    assert!(rendered.text_content().unwrap().contains("<script>"), "raw HTML is shown as text");
    let links = rendered.query_selector_all("a").unwrap();
    let hrefs: Vec<String> = (0..links.length())
        .map(|i| links.item(i).unwrap().dyn_into::<web_sys::Element>().unwrap().get_attribute("href").unwrap())
        .collect();
    assert_eq!(hrefs, ["#unsafe-link-removed", "#edge-cases", "https://example.org"]);
    assert!(rendered.query_selector("h2#edge-cases").unwrap().is_some(), "headings get anchors");
    let pwned = js_sys::Reflect::get(&gloo::utils::window(), &"__pwned".into()).unwrap();
    assert!(pwned.is_undefined());
}

#[wasm_bindgen_test]
fn markdown_keeps_tables_and_escapes_entities() {
    let html = to_safe_html("| a | b |\n|---|---|\n| `<x>` | &amp; |\n");
    assert!(html.contains("<table>"));
    assert!(html.contains("&lt;x&gt;"));
}

#[wasm_bindgen_test]
fn bundle_location_resolves_relative_to_the_page() {
    let page = "http://127.0.0.1:8080/app/index.html?project=x";
    let loc = BundleLocation::from_spec("demo/news", page).unwrap();
    assert_eq!(loc.base, "http://127.0.0.1:8080/app/demo/news/");
    assert_eq!(loc.url_of("tasks/000.jsonl"), "http://127.0.0.1:8080/app/demo/news/tasks/000.jsonl");
    let loc = BundleLocation::from_spec("/bundles/p/project.json", page).unwrap();
    assert_eq!(loc.base, "http://127.0.0.1:8080/bundles/p/");
}

use wasm_bindgen::JsCast;

#[wasm_bindgen_test]
fn guideline_sections_split_at_headings_but_not_inside_code() {
    let md = "Intro\n# Title\ntext\n```\n# not a heading\n```\n## Edge cases\nmore\n";
    let s = concord_app::markdown::sections(md);
    let titles: Vec<&str> = s.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(titles, ["", "Title", "Edge cases"]);
    assert!(s[1].1.contains("# not a heading"));
    assert_eq!(s.iter().map(|(_, b)| b.as_str()).collect::<String>(), md);
}

#[wasm_bindgen_test]
fn the_checks_summary_counts_in_agreement() {
    use concord_app::components::qa_panel::summary;
    assert_eq!(summary(1, 0), "1 error (blocks submit)");
    assert_eq!(summary(2, 0), "2 errors (block submit)");
    assert_eq!(summary(0, 1), "1 warning");
    assert_eq!(summary(0, 3), "3 warnings");
    assert_eq!(summary(1, 1), "1 error (blocks submit), 1 warning");
    assert_eq!(summary(3, 2), "3 errors (block submit), 2 warnings");
    use concord_app::components::qa_panel::to_do_summary;
    assert_eq!(to_do_summary(1, 0), "To do: 1 (required before submitting)");
    assert_eq!(to_do_summary(2, 1), "To do: 2 (required before submitting), 1 warning");
    assert_eq!(to_do_summary(0, 2), "2 warnings");
}

#[wasm_bindgen_test]
fn annotator_mode_resumes_at_the_saved_position_while_it_is_current_else_at_the_first_task_not_submitted() {
    use concord_app::resume::{resume_position, SavedPosition};
    let done = [true, true, false, true, false];
    let saved = |position, at| Some(SavedPosition { position, at });
    // Saved after the last action: it stands, even behind the work (the annotator went back to look).
    assert_eq!(resume_position(saved(0, 2_000), Some(1_000), done), 0);
    // Saved before the last action (the browser was killed before local storage caught up): the log decides.
    assert_eq!(resume_position(saved(0, 500), Some(1_000), done), 2);
    // Nothing saved: the first task not submitted; all of the first chunk submitted: the task after it.
    assert_eq!(resume_position(None, Some(1_000), done), 2);
    assert_eq!(resume_position(None, Some(1_000), [true, true, true]), 3);
    // No log: the saved position, or the start.
    assert_eq!(resume_position(saved(4, 10), None, done), 4);
    assert_eq!(resume_position(None, None, done), 0);
    // Saved as a bare number (older versions): no time, so any log is newer.
    assert_eq!(SavedPosition::parse("7"), saved(7, 0));
    assert_eq!(SavedPosition::parse(&SavedPosition { position: 3, at: 99 }.to_text()), saved(3, 99));
    assert_eq!(SavedPosition::parse("not a position"), None);
}

#[wasm_bindgen_test]
fn tab_walks_the_regions_then_lets_the_focus_move_on() {
    use concord_app::views::tab_to;
    assert_eq!(tab_to(None, 3, false), Some(0));
    assert_eq!(tab_to(Some(0), 3, false), Some(1));
    assert_eq!(tab_to(Some(2), 3, false), None, "past the last region, Tab leaves the view");
    assert_eq!(tab_to(None, 3, true), Some(2));
    assert_eq!(tab_to(Some(0), 3, true), None, "before the first, Shift+Tab leaves the view");
    assert_eq!(tab_to(None, 0, false), None, "no regions: Tab is the browser's");
}

#[wasm_bindgen_test]
fn label_text_is_dark_on_light_colours_and_white_on_dark_ones() {
    use concord_app::views::label_ink;
    // The contrast each choice gives, by WCAG 2's formula, worked out apart from the app.
    fn contrast(a: &str, b: &str) -> f64 {
        let lum = |h: &str| {
            let c: Vec<f64> = (0..3)
                .map(|i| u8::from_str_radix(&h[1 + 2 * i..3 + 2 * i], 16).unwrap() as f64 / 255.0)
                .map(|c| if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) })
                .collect();
            0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }
    for bg in ["#2e86c1", "#ff69b4", "#f1c40f", "#1f6feb", "#27ae60", "#ffffff", "#000000", "#8e44ad"] {
        let ink = if label_ink(bg) == "#fff" { "#ffffff" } else { "#111111" };
        let other = if ink == "#ffffff" { "#111111" } else { "#ffffff" };
        assert!(contrast(ink, bg) >= contrast(other, bg), "{bg}: {ink} reads worse than {other}");
    }
    assert_eq!(label_ink("#ff69b4"), "#111", "hot pink takes dark text (white gives 2.6:1)");
}

#[wasm_bindgen_test]
fn recent_projects_keep_the_newest_first_once_each_and_read_back() {
    use concord_app::recent::{from_text, remembered, to_text, RecentProject, KEPT};
    let p = |spec: &str, at: u64| RecentProject {
        spec: spec.into(),
        id: format!("id-{spec}"),
        name: format!("Name \"{spec}\"\t"),
        tasks: 200,
        opened_at: at,
    };
    let mut list = Vec::new();
    for i in 0..(KEPT as u64 + 3) {
        list = remembered(list, p(&format!("demo/{i}/"), i));
    }
    assert_eq!(list.len(), KEPT, "at most KEPT");
    assert_eq!(list[0].spec, format!("demo/{}/", KEPT + 2), "newest first");
    let again = remembered(list.clone(), p("demo/5/", 99));
    assert_eq!(again.iter().filter(|r| r.spec == "demo/5/").count(), 1, "once each");
    assert_eq!(again[0].opened_at, 99);
    assert_eq!(from_text(&to_text(&again)), again, "reads back what it wrote, names with quotes and tabs too");
    assert_eq!(from_text("not json"), Vec::new());
    assert_eq!(from_text(r#"[{"spec": 3}]"#), Vec::new(), "an unreadable entry is left out");
}

/// What review mode draws, read from the engine's reports as the import worker sends them: every figure equals the
/// report's own field (the figures keep the engine's names; a renamed field would read as missing here).
#[wasm_bindgen_test]
fn review_figures_read_the_engines_reports() {
    use concord_app::import::figures::{AgreementFigures, ConsensusFigures, GoldFigures, RegionFigures, Report};
    use concord_engine::agreement::categorical_report_with_intervals;
    use concord_engine::consensus::{dawid_skene, DawidSkeneOptions};
    use concord_engine::gold::classification_gold;
    use concord_engine::model::TableBuilder;
    use concord_engine::resample::BootstrapSettings;
    let mut b = TableBuilder::new();
    for (i, labels) in ["1 1 2", "2 2 2", "3 3 1", "1 2 3", "2 2 1", "3 3 3", "1 1 1", "2 3 2"].iter().enumerate() {
        for (a, l) in labels.split(' ').enumerate() {
            b.push(&format!("t{i}"), ["ann", "bo", "cy"][a], l);
        }
    }
    let t = b.finish().unwrap();
    let settings = BootstrapSettings { replicates: 200, seed: 1, level: 0.95 };
    let report = categorical_report_with_intervals(&t, None, settings, |_, _| {}).unwrap();
    let a: Report<AgreementFigures> = Report::of(&report).unwrap();
    let f = &a.figures;
    assert_eq!(f.krippendorff_alpha.nominal, report.krippendorff_alpha.nominal);
    assert_eq!(f.krippendorff_alpha.ordinal, report.krippendorff_alpha.ordinal);
    assert!(f.krippendorff_alpha.ordinal.is_some(), "numeric labels: ordered α");
    assert_eq!(f.krippendorff_alpha_interval.nominal, report.krippendorff_alpha_interval.nominal);
    assert_eq!((f.fleiss_kappa, f.fleiss_kappa_interval), (report.fleiss_kappa, report.fleiss_kappa_interval));
    assert_eq!(f.percent_agreement_interval, report.percent_agreement_interval);
    assert_eq!(f.weighted_kappa.quadratic, report.weighted_kappa.quadratic);
    assert_eq!(f.bootstrap.as_ref().map(|b| b.replicates), Some(200));
    let pairs: Vec<_> = f.pairwise.iter().map(|p| (&p.a, &p.b, p.cohen_kappa, p.cohen_kappa_interval)).collect();
    let want: Vec<_> = report.pairwise.iter().map(|p| (&p.a, &p.b, p.cohen_kappa, p.cohen_kappa_interval)).collect();
    assert_eq!(pairs, want);
    for (label, l) in &report.per_label {
        let got = &f.per_label[label];
        assert_eq!(
            (got.count, got.specific_agreement, got.specific_agreement_interval),
            (l.count, l.specific_agreement, l.specific_agreement_interval)
        );
    }
    assert_eq!(a.json.get(), serde_json::to_string(&report).unwrap(), "the JSON crosses verbatim");
    let gold: Vec<Option<u32>> = (0..t.n_items()).map(|i| Some((i % 3) as u32)).collect();
    let g = classification_gold(&t, &gold);
    let gf: Report<GoldFigures> = Report::of(&g).unwrap();
    assert_eq!(
        (&gf.figures.annotators, &gf.figures.overall, &gf.figures.confusion),
        (&g.annotators, &g.overall, &g.confusion)
    );
    let ds = dawid_skene(&t, DawidSkeneOptions::default(), None).report(&t);
    let cf: Report<ConsensusFigures> = Report::of(&ds).unwrap();
    assert_eq!((cf.figures.iterations, &cf.figures.ties), (ds.iterations, &ds.ties));
    for (name, acc) in &ds.annotators {
        assert_eq!(cf.figures.annotators[name].accuracy, acc.accuracy);
    }
    let region =
        concord_engine::review::RegionAgreement::Boxes(concord_engine::boxes::box_agreement(&Default::default()));
    let rf: Report<RegionFigures> = Report::of(&region).unwrap();
    assert!(matches!(rf.figures, RegionFigures::Boxes(_)), "the kind crosses as the enum's tag");
}

/// The 3D mode's worker keeps the sequence and takes changes against the version it holds: a change against another
/// version changes nothing and says so (the page then sends the whole sequence).
#[cfg(feature = "scene")]
#[wasm_bindgen_test]
fn the_held_sequence_takes_changes_against_its_version_and_refuses_others() {
    use concord_app::scene::HeldSequence;
    use concord_engine::model::Cuboid;
    let car = |frame: i64, x: f64| Cuboid { frame, ..Cuboid::new("Car", [x, 0.0, 0.0], [4.0, 2.0, 1.5], 0.0) };
    let xs = |all: Option<Vec<Cuboid>>| all.map(|v| v.iter().map(|c| (c.frame, c.center[0])).collect::<Vec<_>>());
    let mut held = HeldSequence::default();
    // The whole sequence, then one frame changed against it.
    let whole = vec![(0, vec![car(0, 1.0)]), (1, vec![car(1, 2.0)]), (2, vec![car(2, 3.0)])];
    assert_eq!(xs(held.apply(0, 7, &[0, 1, 2], whole)), Some(vec![(0, 1.0), (1, 2.0), (2, 3.0)]));
    assert_eq!(
        xs(held.apply(7, 8, &[0, 1, 2], vec![(1, vec![car(1, 5.0), car(1, 9.0)])])),
        Some(vec![(0, 1.0), (1, 5.0), (1, 9.0), (2, 3.0)])
    );
    // A change against version 7, which it no longer is at: refused, nothing changed.
    assert_eq!(xs(held.apply(7, 9, &[0, 1, 2], vec![(0, Vec::new())])), None);
    // A frame no longer in the sequence is dropped; a fresh start (base 0) replaces everything.
    assert_eq!(xs(held.apply(8, 10, &[0, 1], Vec::new())), Some(vec![(0, 1.0), (1, 5.0), (1, 9.0)]));
    assert_eq!(xs(held.apply(0, 11, &[4], vec![(4, vec![car(4, 0.5)])])), Some(vec![(4, 0.5)]));
}

/// An import's answer crosses as JSON beside typed arrays (`Columns::answer`), and the page's step-by-step rebuild
/// (`Imported::build`) gives back the worker's table, name order, consensus and opening queue; a column that does
/// not fit the table is refused with what is wrong, not taken.
#[wasm_bindgen_test]
async fn an_import_answer_crosses_as_columns_and_is_rebuilt_the_same() {
    use concord_app::import::{Columns, Imported, SentColumns, Summary};
    use concord_engine::arbitration::Consensus;
    use concord_engine::consensus::majority_vote;
    use concord_engine::model::{NameOrder, Stamps, TableBuilder, TableRows};
    use concord_engine::review::{QueueIndex, QueueScope};
    let mut b = TableBuilder::new();
    for (i, labels) in ["a a b", "b b b", "c a c", "a b c", "b b a", "é é c"].iter().enumerate() {
        for (k, l) in labels.split(' ').enumerate() {
            b.push(&format!("item {}", 9 - i), ["zoe", "al", "bo"][k], l);
        }
    }
    let table = b.finish().unwrap();
    let consensus = Consensus::from(&majority_vote(&table, None).report(&table));
    let order = NameOrder::of(&table);
    let queue = QueueIndex::in_order(&table, &order, &consensus, QueueScope::Disagreements, None);
    let mut stamps = Stamps::default();
    stamps.push(0, 1, 1_700_000_000, "v1");
    stamps.push(2, 0, 1_700_000_100, "");
    let summary = |final_from: Consensus| Summary {
        files: Vec::new(),
        items: table.n_items(),
        annotators: table.n_annotators(),
        annotations: table.n_annotations(),
        labels: table.labels.names().map(String::from).collect(),
        agreement: None,
        alpha_replicates: Vec::new(),
        gold: None,
        consensus: None,
        final_from,
        pool: Vec::new(),
        pool_size: 0,
        table: TableRows {
            items: Vec::new(),
            annotators: table.annotators.names().map(String::from).collect(),
            labels: table.labels.names().map(String::from).collect(),
            rows: Vec::new(),
        },
        stamps: Stamps { rows: Vec::new(), versions: stamps.versions.clone() },
        gold_labels: Vec::new(),
        versions: Vec::new(),
        control: "label".into(),
        regions: None,
        region_agreement: None,
        tracks: None,
        peak_wasm_bytes: 0,
        intervals_millis: 0.0,
        millis: 0.0,
    };
    let columns = || Columns {
        item_names: Some(table.items.joined()),
        table: Some(table.columns().map(<[u32]>::to_vec)),
        order: Some((order.items().to_vec(), order.annotators().to_vec())),
        consensus: consensus.columns(&table),
        queue: Some(queue.ids().iter().flat_map(|&(i, a, l)| [i, a, l]).collect()),
        stamps: Columns::stamps_of(&stamps),
    };
    let method_only = Consensus { method: consensus.method.clone(), ..Default::default() };
    let (answer, transfer) = columns().answer("{}");
    assert_eq!(transfer.length(), 12, "every column's buffer is transferred");
    let built =
        Imported::build(summary(method_only.clone()), SentColumns::of(&answer.into()), || std::future::ready(()))
            .await
            .unwrap();
    assert_eq!(TableRows::from(&*built.table), TableRows::from(&table));
    assert_eq!(*built.order, order);
    assert_eq!(built.final_from, consensus);
    assert_eq!(built.first_queue.as_deref(), Some(&queue));
    assert_eq!(built.stamps, stamps);

    let mut swapped = columns();
    swapped.order.as_mut().unwrap().0.swap(0, 1);
    let (answer, _) = swapped.answer("{}");
    let e = Imported::build(summary(method_only), SentColumns::of(&answer.into()), || std::future::ready(()))
        .await
        .unwrap_err();
    assert_eq!(e, "the import worker's answer: the items' order given is not the table's items by name");
}

#[derive(Properties, PartialEq)]
struct GroupsProps {
    rows: usize,
}

#[function_component(GroupsHost)]
fn groups_host(p: &GroupsProps) -> Html {
    use concord_app::components::deferred::in_groups;
    html! { <ol>{ in_groups((0..p.rows).map(|i| html! { <li key={i}>{ i }</li> }), 4) }</ol> }
}

/// A long list drawn in groups: the rows arrive a group at a time (never more than a group in one DOM change), in
/// their order, and all of them.
#[wasm_bindgen_test]
async fn a_long_list_is_drawn_a_group_at_a_time_in_order() {
    let root = mount_point();
    let watch = js_sys::Function::new_with_args(
        "root",
        "const seen = []; new MutationObserver((records) => { let n = 0; \
         for (const r of records) for (const a of r.addedNodes) if (a.nodeName === 'LI') n++; \
         if (n) seen.push(n); }).observe(root, { childList: true, subtree: true }); return seen;",
    );
    let seen: js_sys::Array = watch.call1(&wasm_bindgen::JsValue::NULL, &root).unwrap().into();
    yew::Renderer::<GroupsHost>::with_root_and_props(root.clone(), GroupsProps { rows: 10 }).render();
    for _ in 0..20 {
        settle().await;
    }
    let batches: Vec<u32> = seen.iter().map(|v| v.as_f64().unwrap() as u32).collect();
    assert_eq!(batches.iter().sum::<u32>(), 10, "{batches:?}");
    assert!(batches.len() >= 3 && batches.iter().all(|&n| n <= 4), "{batches:?}");
    let shown: Vec<String> =
        (0..10).map(|k| root.query_selector_all("li").unwrap().get(k).unwrap().text_content().unwrap()).collect();
    assert_eq!(shown, (0..10).map(|i| i.to_string()).collect::<Vec<_>>());
}
