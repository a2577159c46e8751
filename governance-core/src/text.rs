//! Validated text values: decision domains, names, titles and e-mail addresses.
//! Parse, don't validate: once built, a value is known to be well-formed. New text is
//! normalised to NFC and refused if it carries control characters, bidirectional overrides or
//! nothing visible, so that what is stored is safe to show in a terminal, a page or minutes;
//! text read back from storage is taken as it was recorded (`from_stored`), so that a log
//! written before these checks still replays.

use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// Why a piece of text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("{field} is too long ({len} characters, at most {max})")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{value:?} is not a valid e-mail address")]
    InvalidEmail { value: String },
    #[error("{field} contains a control character")]
    ControlCharacter { field: &'static str },
    #[error("{field} contains a bidirectional override")]
    BidiControl { field: &'static str },
    #[error("{field} has no visible character")]
    NotVisible { field: &'static str },
}

/// Characters that change the direction of the text around them (embeddings, overrides,
/// isolates): they make a title read otherwise than it is stored.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room: a title made of them looks empty.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}'
        )
        || is_bidi_control(c)
}

/// New text as it is stored: NFC, without control characters (newlines and tabs allowed in
/// long texts only, carriage returns folded into newlines), without bidirectional overrides.
fn cleaned(field: &'static str, raw: &str, multiline: bool) -> Result<String, TextError> {
    let folded = raw.replace("\r\n", "\n");
    let normal: String = folded.nfc().collect();
    for c in normal.chars() {
        let allowed = multiline && (c == '\n' || c == '\t');
        if c.is_control() && !allowed {
            return Err(TextError::ControlCharacter { field });
        }
        if is_bidi_control(c) {
            return Err(TextError::BidiControl { field });
        }
    }
    Ok(normal)
}

fn checked(field: &'static str, raw: &str, max: usize) -> Result<String, TextError> {
    let normal = cleaned(field, raw, false)?;
    let trimmed = normal.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty { field });
    }
    if trimmed.chars().all(is_invisible) {
        return Err(TextError::NotVisible { field });
    }
    let len = trimmed.chars().count();
    if len > max {
        return Err(TextError::TooLong { field, len, max });
    }
    Ok(trimmed.to_owned())
}

/// A decision domain of a unit, such as `budget` or `réseaux sociaux`.
///
/// Domains are compared after trimming and lower-casing, so `Budget` and `budget` are one domain;
/// accents are kept because they are part of the French word.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Domain(String);

impl Domain {
    pub const MAX_LEN: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, TextError> {
        Ok(Self(checked("domain", raw, Self::MAX_LEN)?.to_lowercase()))
    }

    /// A domain as it was recorded, possibly before the current checks.
    pub fn from_stored(raw: &str) -> Self {
        Self(raw.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A short human text: a unit or member name, a decision or tension title.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Label(String);

impl Label {
    pub const MAX_LEN: usize = 200;

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, TextError> {
        Ok(Self(checked(field, raw, Self::MAX_LEN)?))
    }

    /// A label as it was recorded, possibly before the current checks.
    pub fn from_stored(raw: &str) -> Self {
        Self(raw.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A long human text: a statement, a rationale, what a consulted person said.
/// It may be empty; it is bounded so that a record stays readable.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Text(String);

impl Text {
    pub const MAX_LEN: usize = 20_000;

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, TextError> {
        let normal = cleaned(field, raw, true)?;
        let trimmed = normal.trim();
        let len = trimmed.chars().count();
        if len > Self::MAX_LEN {
            return Err(TextError::TooLong {
                field,
                len,
                max: Self::MAX_LEN,
            });
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// A text as it was recorded, possibly before the current checks.
    pub fn from_stored(raw: &str) -> Self {
        Self(raw.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

/// An e-mail address, stored lower-cased so that look-ups ignore case.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let value = checked("email", raw, 254)?.to_lowercase();
        let valid = match value.split_once('@') {
            Some((local, host)) => {
                !local.is_empty()
                    && host.contains('.')
                    && !host.starts_with('.')
                    && !host.ends_with('.')
                    && !host.contains('@')
                    && !value.chars().any(char::is_whitespace)
            }
            None => false,
        };
        if !valid {
            return Err(TextError::InvalidEmail { value });
        }
        Ok(Self(value))
    }

    /// An address as it was recorded, possibly before the current checks.
    pub fn from_stored(raw: &str) -> Self {
        Self(raw.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
