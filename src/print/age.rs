//! kubectl's "human duration": the short ages shown in `get` tables and describe events.

use chrono::Duration;

/// Formats `d` the way kubectl prints ages: two or three significant figures, coarser as
/// the duration grows (`59s`, `2m5s`, `15m`, `3h20m`, `3d1h`, `45d`, `2y30d`, `9y`).
/// Slightly negative durations (clock skew up to a second) read as `0s`; anything earlier
/// is `<invalid>`.
pub fn human_duration(d: Duration) -> String {
    // Whole seconds, truncated toward zero as a float-to-int conversion would.
    let secs = d.num_seconds();
    if secs < -1 {
        return "<invalid>".to_string();
    }
    if secs < 0 {
        return "0s".to_string();
    }
    if secs < 120 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        return two_units(minutes, 'm', secs % 60, 's');
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        return two_units(hours, 'h', minutes % 60, 'm');
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if hours < 24 * 8 {
        return two_units(days, 'd', hours % 24, 'h');
    }
    if hours < 24 * 365 * 2 {
        return format!("{days}d");
    }
    let years = days / 365;
    if hours < 24 * 365 * 8 {
        return two_units(years, 'y', days % 365, 'd');
    }
    format!("{years}y")
}

/// `3h20m`: a whole number of one unit and what is left in the next smaller one, the
/// remainder left out when it is zero (`3h`).
fn two_units(whole: i64, unit: char, rest: i64, rest_unit: char) -> String {
    if rest == 0 {
        format!("{whole}{unit}")
    } else {
        format!("{whole}{unit}{rest}{rest_unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::human_duration;
    use chrono::Duration;

    fn s(secs: i64) -> String {
        human_duration(Duration::seconds(secs))
    }

    #[test]
    fn seconds_up_to_two_minutes() {
        assert_eq!(s(0), "0s");
        assert_eq!(s(1), "1s");
        assert_eq!(s(59), "59s");
        assert_eq!(s(60), "60s");
        assert_eq!(s(119), "119s");
    }

    #[test]
    fn small_negative_is_zero_larger_is_invalid() {
        assert_eq!(human_duration(Duration::milliseconds(-500)), "0s");
        assert_eq!(human_duration(Duration::milliseconds(-1999)), "0s");
        assert_eq!(s(-2), "<invalid>");
        assert_eq!(s(-3600), "<invalid>");
    }

    #[test]
    fn sub_second_parts_are_dropped() {
        assert_eq!(human_duration(Duration::milliseconds(1999)), "1s");
        assert_eq!(human_duration(Duration::milliseconds(119_999)), "119s");
    }

    #[test]
    fn minutes_with_seconds_below_ten_minutes() {
        assert_eq!(s(120), "2m");
        assert_eq!(s(121), "2m1s");
        assert_eq!(s(150), "2m30s");
        assert_eq!(s(599), "9m59s");
        assert_eq!(s(540), "9m");
    }

    #[test]
    fn whole_minutes_below_three_hours() {
        assert_eq!(s(600), "10m");
        assert_eq!(s(659), "10m");
        assert_eq!(s(42 * 60 + 9), "42m");
        assert_eq!(s(179 * 60 + 59), "179m");
    }

    #[test]
    fn hours_with_minutes_below_eight_hours() {
        assert_eq!(s(180 * 60), "3h");
        assert_eq!(s(3 * 3600 + 20 * 60 + 5), "3h20m");
        assert_eq!(s(8 * 3600 - 1), "7h59m");
    }

    #[test]
    fn whole_hours_below_two_days() {
        assert_eq!(s(8 * 3600), "8h");
        assert_eq!(s(47 * 3600 + 3599), "47h");
    }

    #[test]
    fn days_with_hours_below_eight_days() {
        assert_eq!(s(48 * 3600), "2d");
        assert_eq!(s(73 * 3600 + 59 * 60), "3d1h");
        assert_eq!(s(8 * 86400 - 1), "7d23h");
    }

    #[test]
    fn whole_days_below_two_years() {
        assert_eq!(s(8 * 86400), "8d");
        assert_eq!(s(729 * 86400 + 86399), "729d");
    }

    #[test]
    fn years_with_days_below_eight_years() {
        assert_eq!(s(730 * 86400), "2y");
        assert_eq!(s(731 * 86400), "2y1d");
        assert_eq!(s(8 * 365 * 86400 - 1), "7y364d");
    }

    #[test]
    fn whole_years_from_eight_years() {
        assert_eq!(s(8 * 365 * 86400), "8y");
        assert_eq!(s(20 * 365 * 86400 + 100 * 86400), "20y");
    }
}
