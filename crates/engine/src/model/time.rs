//! Time stamps as files give them, and back: seconds since the epoch from ISO-8601 or epoch seconds, civil UTC
//! dates and times for display. Readers, drift windows and the app share them.

/// Seconds since the epoch from an ISO-8601 date or date-time (`2026-11-28`, `2026-11-28T15:43:24Z`,
/// `2026-11-28 15:43:24+01:00`) or a plain integer (already seconds).
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<i64>().ok());
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if b.len() > 10 {
        if !(b[10] == b'T' || b[10] == b' ') || b.len() < 19 {
            return None;
        }
        let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
        secs += hh * 3600 + mm * 60 + ss;
        let mut rest = &s[19..];
        if let Some(r) = rest.strip_prefix('.') {
            rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
        }
        match rest {
            "" | "Z" => {}
            tz if (tz.starts_with('+') || tz.starts_with('-')) && tz.len() == 6 => {
                let sign = if tz.starts_with('-') { -1 } else { 1 };
                let (th, tm) = (tz[1..3].parse::<i64>().ok()?, tz[4..6].parse::<i64>().ok()?);
                secs -= sign * (th * 3600 + tm * 60);
            }
            _ => return None,
        }
    }
    Some(secs)
}

/// `YYYY-MM-DD` (UTC) of seconds since the epoch (H. Hinnant's civil-from-days).
pub fn civil_date(t: i64) -> String {
    let z = t.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let dd = doy - (153 * mp + 2) / 5 + 1;
    let mm = if mp < 10 { mp + 3 } else { mp - 9 };
    let yy = yoe + era * 400 + i64::from(mm <= 2);
    format!("{yy}-{mm:02}-{dd:02}")
}

/// `YYYY-MM-DD HH:MM UTC` of seconds since the epoch.
pub fn civil_time(t: i64) -> String {
    let s = t.rem_euclid(86_400);
    format!("{} {:02}:{:02} UTC", civil_date(t), s / 3600, s % 3600 / 60)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
