//! Drift on synthetic streams: the "F1 dropped 8 points after 3 months" scenario must be detected, a stable
//! annotator must not be flagged.

use concord_engine::drift::{drift, normal_cdf, DriftOptions, Observation, Window};
use concord_engine::model::parse_timestamp;
use concord_engine::rng::SplitMix64;

const DAY: i64 = 86_400;

/// Annotator 0 is right 92 % of the time for 90 days, then 84 %; annotator 1 stays at 90 %. 40 gold checks a day each.
fn stream(seed: u64) -> Vec<Observation> {
    let mut rng = SplitMix64::new(seed);
    let start = parse_timestamp("2026-01-05").unwrap(); // a Monday
    let mut out = Vec::new();
    for day in 0..120 {
        for k in 0..40 {
            let time = start + day * DAY + k * 600;
            let p0 = if day < 90 { 0.92 } else { 0.84 };
            out.push(Observation { annotator: 0, time, correct: rng.unit() < p0, version: (day >= 60) as u32 });
            out.push(Observation { annotator: 1, time, correct: rng.unit() < 0.90, version: (day >= 60) as u32 });
        }
    }
    out
}

#[test]
fn a_drop_after_three_months_is_flagged_and_nothing_before_it() {
    for seed in 0..5 {
        let d = drift(&stream(seed), 2, DriftOptions::default());
        let weeks = &d.annotators[0].windows;
        assert_eq!(weeks.len(), 18, "120 days from a Monday: 17 full weeks and a part");
        let drop_week =
            weeks.iter().position(|w| w.start >= parse_timestamp("2026-01-05").unwrap() + 90 * DAY).unwrap();
        for w in &weeks[..drop_week - 1] {
            assert!(!w.flagged, "seed {seed}: flagged before the drop: {w:?}");
        }
        let flagged_after = weeks[drop_week..].iter().filter(|w| w.flagged).count();
        assert!(
            flagged_after >= 2,
            "seed {seed}: only {flagged_after} of {} weeks after the drop flagged",
            weeks.len() - drop_week
        );
        // The stable annotator is never flagged.
        assert!(d.annotators[1].windows.iter().all(|w| !w.flagged), "seed {seed}");
        // Intervals contain the window accuracy.
        for w in weeks {
            assert!(w.ci95[0] <= w.accuracy && w.accuracy <= w.ci95[1]);
        }
    }
}

#[test]
fn count_windows_and_versions() {
    let d = drift(&stream(1), 2, DriftOptions { window: Window::Count(500), ..DriftOptions::default() });
    let w = &d.annotators[0].windows;
    assert_eq!(w.len(), 10);
    assert!(w.iter().all(|w| w.n == 500 || w.n == 4800 % 500));
    let v = &d.annotators[0].by_version;
    assert_eq!((v[&0].n, v[&1].n), (2400, 2400));
    assert!(v[&0].accuracy > v[&1].accuracy, "version 1 includes the drop");
    assert_eq!(d.overall.windows.iter().map(|w| w.n).sum::<u64>(), 9600);
}

#[test]
fn normal_cdf_values() {
    assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
    assert!((normal_cdf(-1.959963984540054) - 0.025).abs() < 1e-7);
    assert!((normal_cdf(-2.326347874) - 0.01).abs() < 1e-7);
    assert!((normal_cdf(3.0) - 0.9986501019683699).abs() < 1e-7);
}

#[test]
fn timestamps() {
    assert_eq!(parse_timestamp("1970-01-01"), Some(0));
    assert_eq!(parse_timestamp("2026-11-28T15:43:24Z"), Some(1_795_880_604));
    assert_eq!(parse_timestamp("2026-11-28 16:43:24+01:00"), Some(1_795_880_604));
    assert_eq!(parse_timestamp("2026-11-28T15:43:24.123Z"), Some(1_795_880_604));
    assert_eq!(parse_timestamp("2000-02-29"), Some(951_782_400));
    assert_eq!(parse_timestamp("1795880604"), Some(1_795_880_604));
    for bad in ["2026-13-01", "28/11/2026", "2026-11-28T15:43", "2026-11-28T15:43:24 PST"] {
        assert_eq!(parse_timestamp(bad), None, "{bad}");
    }
}

#[test]
fn civil_dates_round_trip_through_parse_timestamp() {
    use concord_engine::model::{civil_date, civil_time, parse_timestamp};
    for s in ["1970-01-01", "2000-02-29", "2026-11-28", "1969-12-31", "2100-03-01"] {
        assert_eq!(civil_date(parse_timestamp(s).unwrap()), s);
    }
    assert_eq!(civil_time(parse_timestamp("2026-11-16T09:05:59Z").unwrap()), "2026-11-16 09:05 UTC");
}
