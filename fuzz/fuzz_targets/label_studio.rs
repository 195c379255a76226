//! Label Studio JSON exports, and every table read from one; the streaming choices reader must agree with the
//! whole-export reader on every input (the same tables, or an error for both).
#![no_main]
use concord_engine::formats::label_studio::{read_label_studio_categorical_from, read_label_studio_from};
use concord_engine::model::CategoricalTable;
use libfuzzer_sys::fuzz_target;

fn rows(t: &CategoricalTable) -> Vec<(String, String, String)> {
    let mut v: Vec<_> =
        t.rows().map(|(i, a, l)| (t.items.name(i).into(), t.annotators.name(a).into(), t.labels.name(l).into())).collect();
    v.sort();
    v
}

fuzz_target!(|data: &[u8]| {
    let streamed = read_label_studio_categorical_from("export.json", data, None);
    match read_label_studio_from("export.json", data) {
        Ok(export) => {
            let whole = (export.categorical(None, false), export.categorical(None, true));
            match (whole, &streamed) {
                ((Ok(p), Ok(g)), Ok((sp, sg))) => assert!(rows(&p) == rows(sp) && rows(&g) == rows(sg)),
                ((Err(_), _) | (_, Err(_)), Err(_)) => {}
                (_, s) => panic!("the streaming reader disagrees: {:?}", s.as_ref().map(|_| ())),
            }
            let _ = export.spans(false);
            let _ = export.boxes(false);
        }
        Err(_) => assert!(streamed.is_err(), "the streaming reader accepted what the whole reader refused"),
    }
});
