//! Wall-clock time as Unix seconds, and how `oat` shows instants and durations to people.
//! Expiry decisions take `now` as an argument so they stay pure; only [`now`] reads the clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now (0 if the clock is before 1970).
pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// An instant as RFC 3339 in UTC, e.g. `2026-11-26T17:24:00Z`.
pub fn instant(unix: u64) -> String {
    humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(unix)).to_string()
}

/// An instant in the local time zone, e.g. `2026-11-26 18:24:00 CET`.
pub fn local(unix: u64) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(unix.min(i64::MAX as u64) as i64) else {
        return instant(unix);
    };
    ts.to_zoned(jiff::tz::TimeZone::system()).strftime("%Y-%m-%d %H:%M:%S %Z").to_string()
}

/// A span of seconds the way people read it: `4m12s`, `1h`, `2d3h`.
pub fn span(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    let parts = [(d, "d"), (h, "h"), (m, "m"), (s, "s")];
    let text: String = parts
        .iter()
        .skip_while(|(n, _)| *n == 0)
        .take(2)
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if text.is_empty() { "0s".into() } else { text }
}

/// `expires_at` relative to `now`: "in 4m12s" or "4m12s ago".
pub fn relative(expires_at: u64, now: u64) -> String {
    if expires_at == now {
        "now".into()
    } else if expires_at > now {
        format!("in {}", span(expires_at - now))
    } else {
        format!("{} ago", span(now - expires_at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(0), "0s");
        assert_eq!(span(59), "59s");
        assert_eq!(span(252), "4m12s");
        assert_eq!(span(3600), "1h");
        assert_eq!(span(3661), "1h1m");
        assert_eq!(span(86_400 + 3 * 3600 + 5), "1d3h");
    }

    #[test]
    fn relative_says_which_side_of_now() {
        assert_eq!(relative(1060, 1000), "in 1m");
        assert_eq!(relative(1000, 1060), "1m ago");
        assert_eq!(relative(1000, 1000), "now");
    }

    #[test]
    fn instants_are_utc_rfc3339() {
        assert_eq!(instant(0), "1970-01-01T00:00:00Z");
    }
}
