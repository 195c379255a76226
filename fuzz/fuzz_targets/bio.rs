//! IOB2 JSONL in both chunking modes.
#![no_main]
use concord_engine::formats::bio::{read_bio_jsonl_from, ChunkMode};
use concord_engine::model::Interner;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for mode in [ChunkMode::Lenient, ChunkMode::Strict] {
        let (mut items, mut labels) = (Interner::default(), Interner::default());
        let _ = read_bio_jsonl_from("tags.jsonl", data, mode, &mut items, &mut labels);
    }
});
