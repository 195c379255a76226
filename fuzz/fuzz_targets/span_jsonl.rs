//! Span JSONL.
#![no_main]
use concord_engine::formats::span_jsonl::read_span_jsonl_from;
use concord_engine::model::Interner;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (mut items, mut labels) = (Interner::default(), Interner::default());
    let _ = read_span_jsonl_from("spans.jsonl", data, &mut items, &mut labels);
});
