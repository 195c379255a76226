//! Annotators' files merged into one table: rows kept, duplicates across files named with both files.

use concord_engine::formats::csv_long::read_long_csv;
use concord_engine::formats::label_studio::read_label_studio;
use concord_engine::formats::merge::merge_categorical;

fn ls(annotator: &str, labels: &[(u32, &str)]) -> String {
    let tasks: Vec<_> = labels
        .iter()
        .map(|(id, l)| {
            serde_json::json!({"id": id, "data": {"text": "x"}, "annotations": [{"completed_by": {"email": annotator},
                "result": [{"from_name": "c", "to_name": "text", "type": "choices", "value": {"choices": [l]}}]}]})
        })
        .collect();
    serde_json::to_string(&tasks).unwrap()
}

#[test]
fn files_of_different_formats_merge_and_a_second_label_names_both_files() {
    let a =
        read_label_studio("ana.json", &ls("ana", &[(1, "cat"), (2, "dog")])).unwrap().categorical(None, false).unwrap();
    let b = read_long_csv("bob.csv", "item,annotator,label\n1,bob,cat\n2,bob,cat\n3,bob,dog\n".as_bytes()).unwrap();
    let merged = merge_categorical(&[("ana.json".into(), a.clone()), ("bob.csv".into(), b.clone())]).unwrap();
    assert_eq!((merged.n_items(), merged.annotators.len(), merged.n_annotations()), (3, 2, 5));
    let mut rows: Vec<_> = merged
        .rows()
        .map(|(i, a, l)| {
            (merged.items.name(i).to_string(), merged.annotators.name(a).to_string(), merged.labels.name(l).to_string())
        })
        .collect();
    rows.sort();
    assert_eq!(rows[0], ("1".into(), "ana".into(), "cat".into()));
    assert_eq!(rows[4], ("3".into(), "bob".into(), "dog".into()));

    // Ana's file imported twice (a re-export): refused, naming both files.
    let again =
        read_label_studio("ana-again.json", &ls("ana", &[(2, "cat")])).unwrap().categorical(None, false).unwrap();
    let e = merge_categorical(&[("ana.json".into(), a), ("bob.csv".into(), b), ("ana-again.json".into(), again)])
        .unwrap_err()
        .to_string();
    assert_eq!(e, "ana-again.json: annotator `ana` labelled item `2` again (also in ana.json): keep one of the two");
}

#[test]
fn gold_from_several_sources_agrees_or_is_refused_naming_both() {
    use concord_engine::formats::csv_long::read_gold_csv;
    use concord_engine::formats::label_studio::read_label_studio_categorical_from;
    use concord_engine::formats::merge::{gold_from_table, merge_gold};
    let people = read_long_csv("p.csv", "item,annotator,label\n1,a,cat\n2,a,dog\n1,b,cat\n".as_bytes()).unwrap();
    let mut table = merge_categorical(&[("p.csv".into(), people)]).unwrap();
    let ls = r#"[{"id": 2, "data": {}, "annotations": [{"completed_by": 9, "ground_truth": true,
        "result": [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["dog"]}}]}]},
        {"id": 7, "data": {}, "annotations": [{"completed_by": 9, "ground_truth": true,
        "result": [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["bird"]}}]}]}]"#;
    let (_, gold_table) = read_label_studio_categorical_from("lead.json", ls.as_bytes(), None).unwrap();
    let from_ls = gold_from_table("lead.json", &mut table, &gold_table).unwrap();
    let from_csv = read_gold_csv("gold.csv", "item,label\n1,cat\n2,dog\n".as_bytes(), &mut table).unwrap();
    let gold = merge_gold(&table, &[("lead.json".into(), from_ls.clone()), ("gold.csv".into(), from_csv)]).unwrap();
    let name = |i: &str| gold[table.items.get(i).unwrap() as usize].map(|l| table.labels.name(l).to_string());
    assert_eq!(
        (name("1").as_deref(), name("2").as_deref(), name("7").as_deref()),
        (Some("cat"), Some("dog"), Some("bird"))
    );
    let contra = read_gold_csv("gold2.csv", "item,label\n2,cat\n".as_bytes(), &mut table).unwrap();
    let e = merge_gold(&table, &[("lead.json".into(), from_ls), ("gold2.csv".into(), contra)]).unwrap_err();
    assert_eq!(e.to_string(), "gold2.csv: gold label `cat` for item `2` contradicts `dog` in lead.json");
}

/// The one alignment of gold names to a table: new items and labels are added to its names, a repeat that agrees is
/// fine, and two labels for one item are refused naming both.
#[test]
fn gold_pairs_align_to_the_table_and_a_contradiction_names_both_labels() {
    use concord_engine::formats::merge::gold_from_pairs;
    let mut table = read_long_csv("p.csv", "item,annotator,label\n1,a,cat\n2,a,dog\n".as_bytes()).unwrap();
    let gold = gold_from_pairs("gold", &mut table, [("2", "dog"), ("9", "bird"), ("2", "dog")]).unwrap();
    let named: Vec<(&str, Option<&str>)> =
        gold.iter().enumerate().map(|(i, l)| (table.items.name(i as u32), l.map(|l| table.labels.name(l)))).collect();
    assert_eq!(named, [("1", None), ("2", Some("dog")), ("9", Some("bird"))]);
    let e = gold_from_pairs("gold", &mut table, [("1", "cat"), ("1", "dog")]).unwrap_err();
    assert_eq!(e.to_string(), "gold: item `1` has two gold labels, `cat` and `dog`");
}
