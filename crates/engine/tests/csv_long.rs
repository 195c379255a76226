//! The long-format CSV reader on good and malformed input.

use concord_engine::formats::csv_long::read_long_csv;
use concord_engine::Place;

fn read(text: &str) -> Result<concord_engine::model::CategoricalTable, concord_engine::InputError> {
    read_long_csv("labels.csv", text.as_bytes())
}

#[test]
fn reads_bom_crlf_quotes_and_any_column_order() {
    let text = "\u{feff}label,item,annotator,comment\r\n\"cat, tabby\",i1,ann,\r\ndog,i1,\"bob \"\"b\"\"\",x\r\ncat,i2,ann,\"multi\nline\"\r\n";
    let t = read(text).unwrap();
    assert_eq!(t.n_items(), 2);
    assert_eq!(t.n_annotators(), 2);
    assert_eq!(t.n_annotations(), 3);
    assert!(t.labels.get("cat, tabby").is_some());
    assert!(t.annotators.get("bob \"b\"").is_some());
}

#[test]
fn accepts_crowd_kit_column_names() {
    let t = read("task,worker,label\nt1,w1,yes\nt1,w2,no\n").unwrap();
    assert_eq!(t.n_annotations(), 2);
}

#[test]
fn groups_rows_by_item_keeping_input_order() {
    let t = read("item,annotator,label\na,x,1\nb,x,2\na,y,3\n").unwrap();
    let a = t.items.get("a").unwrap() as usize;
    let labels: Vec<&str> = t.labels_of(a).iter().map(|&l| t.labels.name(l)).collect();
    assert_eq!(labels, ["1", "3"]);
}

#[test]
fn missing_header_column() {
    let e = read("item,rater,label\na,x,1\n").unwrap_err();
    assert_eq!((e.file.as_str(), &e.place), ("labels.csv", &Place::Line { line: 1, column: None }));
    assert!(e.reason.contains("item, annotator and label") && e.reason.contains("rater"), "{e}");
}

#[test]
fn row_with_wrong_number_of_fields() {
    let e = read("item,annotator,label\na,x,1\nb,y\n").unwrap_err();
    assert_eq!(e.place, Place::Line { line: 3, column: None });
    assert!(e.reason.contains("2 fields but the header has 3"), "{e}");
}

#[test]
fn empty_label() {
    let e = read("item,annotator,label\na,x,1\nb,y,  \n").unwrap_err();
    assert_eq!(e.place, Place::Line { line: 3, column: None });
    assert_eq!(e.reason, "empty label");
}

#[test]
fn duplicate_annotation_names_both_lines() {
    let e = read("item,annotator,label\na,x,1\nb,x,2\na,x,3\n").unwrap_err();
    assert_eq!(e.place, Place::Line { line: 4, column: None });
    assert!(e.reason.contains("annotator `x` labelled item `a` twice (first on line 2)"), "{e}");
}

#[test]
fn invalid_utf8() {
    let mut bytes = b"item,annotator,label\na,x,".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, b'\n']);
    let e = read_long_csv("labels.csv", &bytes[..]).unwrap_err();
    assert_eq!(e.place, Place::Line { line: 2, column: None });
    assert!(e.reason.contains("UTF-8"), "{e}");
}

#[test]
fn header_only_or_empty_file() {
    assert_eq!(read("item,annotator,label\n").unwrap_err().reason, "no annotations after the header");
    assert!(read("").is_err());
}

#[test]
fn line_numbers_count_crlf_and_bom_lines() {
    let e = read("\u{feff}item,annotator,label\r\na,x,1\r\nb,y\r\n").unwrap_err();
    assert_eq!(e.place, Place::Line { line: 3, column: None }, "{e}");
}

#[test]
fn a_gold_csv_is_told_from_annotations_by_its_header() {
    use concord_engine::formats::csv_long::is_gold_csv;
    assert!(is_gold_csv(b"item,label\nt1,cat\n"));
    assert!(is_gold_csv(b"\xef\xbb\xbfTask, True_Label\nt1,cat\n"));
    assert!(!is_gold_csv(b"item,annotator,label\nt1,a,cat\n"));
    assert!(!is_gold_csv(b"item,worker,gold\n"));
    assert!(!is_gold_csv(b"id,value\n"));
    assert!(!is_gold_csv(b""));
}
