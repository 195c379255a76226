//! The arbitration pool and the final labels, on a small table worked out by hand.

use concord_engine::arbitration::{arbitration_pool, Consensus, Decision};
use concord_engine::consensus::majority_vote;
use concord_engine::formats::csv_long::read_long_csv;
use concord_engine::review::final_labels;
use concord_engine::review::final_labels_csv;

#[test]
fn the_pool_holds_the_unsettled_items_and_the_arbiter_has_the_last_word() {
    // t1: 3 of 3 agree; t2: 2 of 3 (0.67); t3: 1-1 tie; t4: a single label; t5: 3 of 4 (0.75).
    let csv = "item,annotator,label\nt1,a,cat\nt1,b,cat\nt1,c,cat\nt2,a,cat\nt2,b,dog\nt2,c,cat\nt3,a,cat\nt3,b,dog\n\
               t4,a,dog\nt5,a,dog\nt5,b,dog\nt5,c,dog\nt5,d,cat\n";
    let table = read_long_csv("l.csv", csv.as_bytes()).unwrap();
    let mv = majority_vote(&table, None).report(&table);
    let pool = arbitration_pool(&table, &mv, 0.75);
    let got: Vec<(&str, f64, bool)> =
        pool.iter().map(|p| (p.item.as_str(), (p.agreement * 100.0).round(), p.tie)).collect();
    assert_eq!(got, vec![("t3", 50.0, true), ("t2", 67.0, false)]);
    assert_eq!(
        pool[1].labels,
        vec![("a".into(), "cat".into()), ("b".into(), "dog".into()), ("c".into(), "cat".into())]
    );
    assert_eq!(pool[1].consensus.as_deref(), Some("cat"));

    let decisions = vec![
        Decision {
            item: "t3".into(),
            label: "cat".into(),
            reason: "whiskers, see §2.1".into(),
            arbiter: "lead".into(),
        },
        Decision { item: "t2".into(), label: "dog".into(), reason: "first try".into(), arbiter: "lead".into() },
        Decision {
            item: "t2".into(),
            label: "cat".into(),
            reason: "on second look, \"cat\"".into(),
            arbiter: "lead".into(),
        },
    ];
    // The arbiter's decisions over the consensus, no reviewers' fixes.
    let csv = final_labels_csv(&final_labels(&Consensus::from(&mv), &[], &decisions));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "item,label,source,confidence,reason");
    assert_eq!(lines[2], "t2,cat,arbiter,1,\"on second look, \"\"cat\"\"\"");
    assert_eq!(lines[3], "t3,cat,arbiter,1,\"whiskers, see §2.1\"");
    assert!(lines[1].starts_with("t1,cat,mv,1,"), "{}", lines[1]);
    assert_eq!(lines.len(), 6);
}
