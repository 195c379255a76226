//! COCO instances, then detections against them, then COCOeval.
#![no_main]
use concord_engine::formats::coco::{read_coco_ground_truth, read_coco_results};
use libfuzzer_sys::fuzz_target;

const GT: &str = r#"{"images":[{"id":1,"width":100,"height":100}],"categories":[{"id":1,"name":"a"}],
 "annotations":[{"id":1,"image_id":1,"category_id":1,"bbox":[10,10,20,20],"area":400,"iscrowd":0}]}"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = read_coco_ground_truth("instances.json", text);
    let gt = read_coco_ground_truth("instances.json", GT).expect("static ground truth");
    let _ = read_coco_results("detections.json", text, &gt);
});
