//! The words of the web pages, in French and in English, beside the messages of refusals: one
//! place for every sentence a person reads. Each page has its own table (a struct of `&'static
//! str`, one constant per language), so that a template naming a missing sentence, or a language
//! missing one, does not compile. Numbers, plurals and dates are worded by the functions here.

pub mod common;
pub mod coordination;
pub mod decide;
pub mod decisions;
pub mod home;
pub mod mail;
pub mod map;
pub mod meetings;
pub mod signin;
pub mod tensions;

use crate::messages::Lang;

/// Picks the table of `lang` among a page's two.
pub const fn pick<T>(lang: Lang, fr: &'static T, en: &'static T) -> &'static T {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

/// "1 décision", "3 décisions", "0 décision" (French keeps the singular for 0 and 1).
pub fn count(lang: Lang, n: usize, one: &str, many: &str) -> String {
    let singular = match lang {
        Lang::Fr => n <= 1,
        Lang::En => n == 1,
    };
    format!(
        "{} {}",
        number(lang, n as i64),
        if singular { one } else { many }
    )
}

/// A whole number grouped by thousands: "12 345" (narrow no-break space) in French, "12,345"
/// in English.
pub fn number(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Fr => "\u{202f}",
        Lang::En => ",",
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar day as people write it: "1er mars 2026", "12 mars 2026"; "March 12, 2026".
/// `month` is 1-based; the caller has already moved the instant into the movement's time zone.
pub fn day(lang: Lang, year: i32, month: u32, day: u32) -> String {
    let m = month.clamp(1, 12) as usize - 1;
    match lang {
        Lang::Fr if day == 1 => format!("1er {} {year}", MONTHS_FR[m]),
        Lang::Fr => format!("{day} {} {year}", MONTHS_FR[m]),
        Lang::En => format!("{} {day}, {year}", MONTHS_EN[m]),
    }
}

/// A day and a time: "12 mars 2026 à 14 h 05"; "March 12, 2026 at 14:05".
pub fn day_time(lang: Lang, year: i32, month: u32, d: u32, hour: u32, minute: u32) -> String {
    let date = day(lang, year, month, d);
    match lang {
        Lang::Fr => format!("{date} à {hour} h {minute:02}"),
        Lang::En => format!("{date} at {hour:02}:{minute:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_plural_keeps_the_singular_for_zero_and_one() {
        assert_eq!(count(Lang::Fr, 0, "décision", "décisions"), "0 décision");
        assert_eq!(count(Lang::Fr, 1, "décision", "décisions"), "1 décision");
        assert_eq!(count(Lang::Fr, 2, "décision", "décisions"), "2 décisions");
        assert_eq!(count(Lang::En, 0, "decision", "decisions"), "0 decisions");
    }

    #[test]
    fn numbers_group_thousands_as_each_language_writes_them() {
        assert_eq!(number(Lang::Fr, 1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(number(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(number(Lang::Fr, 999), "999");
        assert_eq!(number(Lang::Fr, -1_000), "-1\u{202f}000");
    }

    #[test]
    fn dates_are_written_the_french_way() {
        assert_eq!(day(Lang::Fr, 2026, 3, 1), "1er mars 2026");
        assert_eq!(day(Lang::Fr, 2026, 8, 15), "15 août 2026");
        assert_eq!(
            day_time(Lang::Fr, 2026, 3, 12, 9, 5),
            "12 mars 2026 à 9 h 05"
        );
        assert_eq!(
            day_time(Lang::En, 2026, 3, 12, 9, 5),
            "March 12, 2026 at 09:05"
        );
    }
}
