//! A small iCalendar (RFC 5545) writer for the feeds: CRLF line ends, content lines folded at
//! 75 octets without splitting a UTF-8 character, TEXT values escaped (`\\`, `;`, `,`,
//! newlines) and control characters dropped, every instant in UTC. It writes exactly what the
//! feeds need and nothing is taken from the clock, so an unchanged feed is byte-identical from
//! one fetch to the next (ADR 0009 says why it is not a crate).

use chrono::{DateTime, Utc};
use std::fmt::Write;

/// The longest content line, in octets, before it is folded (RFC 5545 §3.1).
const FOLD_AT: usize = 75;

/// Where an event stands (RFC 5545 §3.8.1.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Confirmed,
    Tentative,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "CONFIRMED",
            Status::Tentative => "TENTATIVE",
        }
    }
}

/// One event of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalEvent {
    /// Stable across fetches and edits: derived from the object's kind and id.
    pub uid: String,
    /// Grows when the event's date or status changes, so clients update it in place.
    pub sequence: u32,
    /// When the information was last revised (the instant of the event that changed it).
    pub stamp: DateTime<Utc>,
    pub start: DateTime<Utc>,
    /// `None`: the event ends when it starts (a deadline).
    pub end: Option<DateTime<Utc>>,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub status: Status,
}

/// A calendar being written.
#[derive(Debug)]
pub struct Ics {
    out: String,
}

/// `20260312T140500Z`.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value escaped (RFC 5545 §3.3.11): a backslash, a semicolon, a comma and a newline are
/// escaped; other control characters (which TEXT does not allow) are dropped, so no value can
/// end its line and start a property or a component of its own.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                // CRLF is one line break, a lone CR another.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

impl Ics {
    /// A calendar named `name` (shown by clients as the subscription's name).
    pub fn new(name: &str) -> Self {
        let mut ics = Self { out: String::new() };
        ics.line("BEGIN:VCALENDAR");
        ics.line("VERSION:2.0");
        ics.line("PRODID:-//Gouvernail//Calendrier//FR");
        ics.line("CALSCALE:GREGORIAN");
        ics.line(&format!("X-WR-CALNAME:{}", text(name)));
        // Clients that read it refresh hourly; the server's own cache hint is five minutes.
        ics.line("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
        ics.line("X-PUBLISHED-TTL:PT1H");
        ics
    }

    /// Writes one event.
    pub fn event(&mut self, e: &CalEvent) {
        self.line("BEGIN:VEVENT");
        self.line(&format!("UID:{}", text(&e.uid)));
        self.line(&format!("SEQUENCE:{}", e.sequence));
        self.line(&format!("DTSTAMP:{}", utc(e.stamp)));
        self.line(&format!("DTSTART:{}", utc(e.start)));
        if let Some(end) = e.end {
            self.line(&format!("DTEND:{}", utc(end)));
        }
        self.line(&format!("SUMMARY:{}", text(&e.summary)));
        if !e.description.is_empty() {
            self.line(&format!("DESCRIPTION:{}", text(&e.description)));
        }
        if let Some(place) = &e.location {
            self.line(&format!("LOCATION:{}", text(place)));
        }
        self.line(&format!("STATUS:{}", e.status.as_str()));
        self.line("TRANSP:TRANSPARENT");
        self.line("END:VEVENT");
    }

    /// The calendar, closed.
    pub fn finish(mut self) -> String {
        self.line("END:VCALENDAR");
        self.out
    }

    /// One content line, folded: at most 75 octets a line, continuation lines starting with a
    /// space (which counts in their 75), never inside a character.
    fn line(&mut self, content: &str) {
        let mut room = FOLD_AT;
        let mut used = 0;
        for c in content.chars() {
            let n = c.len_utf8();
            if used + n > room {
                self.out.push_str("\r\n ");
                // The space that starts the continuation is one of its 75 octets.
                room = FOLD_AT - 1;
                used = 0;
            }
            self.out.push(c);
            used += n;
        }
        let _ = write!(self.out, "\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_separators_and_line_breaks_and_drops_controls() {
        assert_eq!(text("a;b,c\\d"), "a\\;b\\,c\\\\d");
        assert_eq!(
            text("un\r\ndeux\ntrois\rquatre"),
            "un\\ndeux\\ntrois\\nquatre"
        );
        assert_eq!(text("x\u{0}\u{1b}[31my"), "x[31my");
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let mut ics = Ics { out: String::new() };
        let long = format!("SUMMARY:{}", "é".repeat(100));
        ics.line(&long);
        for l in ics.out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = ics.out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }
}
