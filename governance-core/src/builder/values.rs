//! The values a fixture writes as plain text (dates, domains, labels, texts), parsed; a fixture
//! with an invalid one is a bug in the fixture, so these panic.

use crate::text::{Domain, Label, Text};
use crate::time::Instant;
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Parses `2026-06-15` (midnight UTC) or `2026-05-31T12:00` (UTC); for fixtures and tests.
pub fn date(s: &str) -> Instant {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight exists"));
    }
    for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, format) {
            return Utc.from_utc_datetime(&dt);
        }
    }
    panic!("fixture date {s:?} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM");
}

/// Parses a domain written in a fixture.
pub fn domain(s: &str) -> Domain {
    Domain::parse(s).expect("fixture domains are valid")
}

pub(super) fn label(s: &str) -> Label {
    Label::parse("label", s).expect("fixture labels are valid")
}

pub(super) fn text(s: &str) -> Text {
    Text::parse("text", s).expect("fixture texts are valid")
}
