//! Label Studio JSON exports, and every table read from one.
#![no_main]
use concord_engine::formats::label_studio::read_label_studio_from;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(export) = read_label_studio_from("export.json", data) {
        let _ = export.categorical(None, false);
        let _ = export.spans(false);
        let _ = export.boxes(false);
    }
});
