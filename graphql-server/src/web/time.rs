//! Dates as people read them: in the movement's time zone, worded by the catalogue
//! (`messages::ui`), and read back from the plain date fields of forms.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use governance_core::messages::{Lang, ui};

/// "12 mars 2026".
pub(super) fn day(at: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let local = at.with_timezone(&tz);
    ui::day(lang, local.year(), local.month(), local.day())
}

/// "12 mars 2026 à 14 h 05".
pub(super) fn day_time(at: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let local = at.with_timezone(&tz);
    ui::day_time(
        lang,
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
    )
}

/// The value of a date field (`2026-03-12`) for an instant.
pub(super) fn field(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%d").to_string()
}

/// The instant a date field means: the start of that day (or of the next day, for an "until"
/// bound) in the movement's time zone. `None` for anything that is not a plausible date.
pub(super) fn parse_field(raw: &str, tz: Tz, end_of_day: bool) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 10 {
        return None;
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    // Inside the API's own bounds (1900–2200) in every time zone, so that a date the page
    // accepts is never refused by the API as out of range.
    if !(1901..=2199).contains(&date.year()) {
        return None;
    }
    let date = if end_of_day { date.succ_opt()? } else { date };
    // The earliest instant of the day: a day that starts inside a DST gap starts after it.
    let midnight = date.and_hms_opt(0, 0, 0)?;
    tz.from_local_datetime(&midnight)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(midnight + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_show_in_the_movements_time_zone() {
        // 23:30 UTC on 31 December is already 1 January in Paris.
        let at = Utc.with_ymd_and_hms(2025, 12, 31, 23, 30, 0).unwrap();
        assert_eq!(
            day(at, chrono_tz::Europe::Paris, Lang::Fr),
            "1er janvier 2026"
        );
        assert_eq!(day(at, chrono_tz::UTC, Lang::Fr), "31 décembre 2025");
        assert_eq!(
            day_time(at, chrono_tz::Europe::Paris, Lang::Fr),
            "1er janvier 2026 à 0 h 30"
        );
    }

    #[test]
    fn a_date_field_means_a_day_in_the_movements_time_zone() {
        let tz = chrono_tz::Europe::Paris;
        let start = parse_field("2026-07-14", tz, false).unwrap();
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 7, 13, 22, 0, 0).unwrap());
        let end = parse_field("2026-07-14", tz, true).unwrap();
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 7, 14, 22, 0, 0).unwrap());
        assert_eq!(field(start, tz), "2026-07-14");
        for bad in ["", "14/07/2026", "2026-13-01", "99999-01-01", "0001-01-01"] {
            assert!(parse_field(bad, tz, false).is_none(), "{bad}");
        }
    }
}
