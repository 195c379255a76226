//! Long-format CSV annotations, and gold CSV against them.
#![no_main]
use concord_engine::formats::csv_long::{read_gold_csv, read_long_csv, read_timed_rows};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut table) = read_long_csv("labels.csv", data) {
        let _ = concord_engine::agreement::categorical_report(&table, None);
        let _ = read_gold_csv("gold.csv", data, &mut table);
    }
    let _ = read_timed_rows("timed.csv", data);
});
