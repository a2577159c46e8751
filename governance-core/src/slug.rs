//! A movement's slug: the short name in its address (`/m/{slug}/graphql`), typed by hand
//! (`Slug::parse`) or derived from the movement's name (`Slug::from_name`), French first.
//!
//! `migrations/src/m20261202_000031_add_organizations_slug.rs` holds a frozen copy of
//! `from_name` and `numbered` for the backfill of existing rows; this module is the reference,
//! and a test in `graphql-server` (`store::movements`) checks that the two agree.

use std::fmt;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The longest slug, in characters (all ASCII, so bytes too).
pub const MAX_LEN: usize = 48;

/// Words a slug may not be: the server's own paths (`/graphql`, `/health`, `/graphiql/…`,
/// `/m/…`, the web pages' `/public`, `/connexion`, `/deconnexion`, `/style.css`) and names
/// kept for what an address may need later, so that no movement ever shadows a route.
pub const RESERVED: [&str; 12] = [
    "graphql",
    "graphiql",
    "health",
    "m",
    "api",
    "admin",
    "public",
    "connexion",
    "deconnexion",
    "style",
    "static",
    "assets",
];

/// The slug a name falls back to when it gives nothing usable (no Latin letter or digit, or a
/// reserved word).
pub const FALLBACK: &str = "mouvement";

/// Why a text is not a slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("a slug cannot be empty")]
    Empty,
    #[error("a slug has at most {MAX_LEN} characters, not {0}")]
    TooLong(usize),
    #[error("a slug holds only a-z, 0-9 and -, not {0:?}")]
    Forbidden(char),
    #[error("a slug cannot start or end with -")]
    EdgeDash,
    #[error("a slug cannot hold --")]
    DoubleDash,
    #[error("{0:?} is reserved")]
    Reserved(&'static str),
    /// A slug shaped like a UUID would read as a movement's id wherever either is accepted
    /// (`gouvernail --movement`).
    #[error("a slug cannot have the shape of a movement id")]
    LooksLikeId,
}

/// A movement's slug: 1 to 48 characters of `a-z`, `0-9` and `-`, without a `-` at either end
/// or two in a row, not a reserved word, not shaped like a UUID.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

impl Slug {
    /// Checks a slug typed by a person, as it is: nothing is lower-cased or trimmed, so what
    /// is accepted is exactly what the address will show.
    pub fn parse(raw: &str) -> Result<Slug, SlugError> {
        if raw.is_empty() {
            return Err(SlugError::Empty);
        }
        if let Some(c) = raw
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(SlugError::Forbidden(c));
        }
        // All ASCII from here: bytes are characters.
        if raw.len() > MAX_LEN {
            return Err(SlugError::TooLong(raw.len()));
        }
        if raw.starts_with('-') || raw.ends_with('-') {
            return Err(SlugError::EdgeDash);
        }
        if raw.contains("--") {
            return Err(SlugError::DoubleDash);
        }
        if let Some(word) = RESERVED.iter().find(|w| **w == raw) {
            return Err(SlugError::Reserved(word));
        }
        if uuid::Uuid::try_parse(raw).is_ok() {
            return Err(SlugError::LooksLikeId);
        }
        Ok(Slug(raw.to_owned()))
    }

    /// A slug read back from storage, taken as it was written: a word reserved after a
    /// movement took it must not make that movement unreachable.
    pub fn from_stored(raw: &str) -> Slug {
        Slug(raw.to_owned())
    }

    /// The slug of a movement's name: accents dropped (é → e, ç → c), ligatures spelled out
    /// (œ → oe, æ → ae, ß → ss), lower case, every run of anything else one `-`, at most 48
    /// characters; `mouvement` when nothing usable is left. Always a valid slug.
    pub fn from_name(name: &str) -> Slug {
        let mut out = String::with_capacity(name.len().min(MAX_LEN + 4));
        // A separator is written only once a letter follows it: no `-` at the start, at the
        // end, or twice in a row.
        let mut pending_dash = false;
        // NFKD splits a letter from its accents (é → e + ◌́) and spells out compatibility forms
        // (ﬁ → fi, ² → 2, full-width letters); the accents are then dropped.
        for c in name.nfkd().filter(|c| !is_combining_mark(*c)) {
            let spelled: &str = match c {
                'œ' | 'Œ' => "oe",
                'æ' | 'Æ' => "ae",
                'ß' | 'ẞ' => "ss",
                'ø' | 'Ø' => "o",
                'đ' | 'Đ' | 'ð' | 'Ð' => "d",
                'ł' | 'Ł' => "l",
                'þ' | 'Þ' => "th",
                'ı' => "i",
                c if c.is_ascii_alphanumeric() => {
                    if pending_dash && !out.is_empty() {
                        out.push('-');
                    }
                    pending_dash = false;
                    out.push(c.to_ascii_lowercase());
                    continue;
                }
                _ => {
                    pending_dash = true;
                    continue;
                }
            };
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push_str(spelled);
        }
        Slug::shortened(&out, MAX_LEN).unwrap_or_else(|| Slug(FALLBACK.to_owned()))
    }

    /// This slug numbered `n` (`collectif-2`), shortened so that it stays within 48 characters:
    /// what tells apart two movements whose names give the same slug.
    pub fn numbered(&self, n: u32) -> Slug {
        let suffix = format!("-{n}");
        let base = Slug::shortened(&self.0, MAX_LEN - suffix.len())
            .map_or_else(|| FALLBACK.to_owned(), |s| s.0);
        Slug(base + &suffix)
    }

    /// This slug if `taken` says it is free, or else the first free one of `-2`, `-3`, …
    pub fn first_free(&self, mut taken: impl FnMut(&Slug) -> bool) -> Slug {
        if !taken(self) {
            return self.clone();
        }
        (2..)
            .map(|n| self.numbered(n))
            .find(|s| !taken(s))
            .expect("a movement count never exhausts u32")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `folded` (lower-case ASCII letters, digits and single inner dashes) cut to `max`
    /// characters without a trailing `-`, if what is left is a valid slug.
    fn shortened(folded: &str, max: usize) -> Option<Slug> {
        let cut = &folded[..folded.len().min(max)];
        Slug::parse(cut.trim_end_matches('-')).ok()
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Slug {
    type Err = SlugError;

    fn from_str(raw: &str) -> Result<Slug, SlugError> {
        Slug::parse(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[track_caller]
    fn check_name(name: &str, expected: &str) {
        assert_eq!(
            Slug::from_name(name).as_str(),
            expected,
            "from_name({name:?})"
        );
    }

    #[track_caller]
    fn check_refused(raw: &str, expected: SlugError) {
        assert_eq!(Slug::parse(raw), Err(expected), "parse({raw:?})");
    }

    #[test]
    fn from_name_spells_french_names_in_ascii() {
        check_name("Collectif des Tilleuls", "collectif-des-tilleuls");
        check_name("Œuvre & Cœur — Lyon", "oeuvre-coeur-lyon");
        check_name(
            "Éducation populaire à Besançon",
            "education-populaire-a-besancon",
        );
        check_name("L'Atelier du Faubourg", "l-atelier-du-faubourg");
        check_name("Ça bouge !", "ca-bouge");
        check_name("Straße der Æsir", "strasse-der-aesir");
        check_name("Ørsted ﬁlms n°2", "orsted-films-n-2");
        check_name("  --Déjà--vu--  ", "deja-vu");
        check_name("AMAP Île-de-France 2026", "amap-ile-de-france-2026");
    }

    #[test]
    fn from_name_falls_back_to_mouvement_when_nothing_usable_is_left() {
        check_name("", "mouvement");
        check_name("— ! —", "mouvement");
        check_name("Дружба", "mouvement");
        check_name("GraphQL", "mouvement");
        check_name("M", "mouvement");
        check_name("0192f3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d", "mouvement");
    }

    #[test]
    fn from_name_cuts_at_48_characters_without_a_trailing_dash() {
        check_name(
            "Association des habitantes et habitants du quartier",
            "association-des-habitantes-et-habitants-du-quart",
        );
        check_name(&format!("{} b", "a".repeat(47)), &"a".repeat(47));
        check_name(&"é".repeat(60), &"e".repeat(48));
    }

    #[test]
    fn parse_accepts_what_an_address_may_hold() {
        for ok in [
            "a",
            "collectif-des-tilleuls",
            "2026",
            "m2",
            "mouvement",
            &"a".repeat(48),
        ] {
            assert_eq!(Slug::parse(ok).map(|s| s.to_string()), Ok(ok.to_owned()));
        }
    }

    #[test]
    fn parse_refuses_each_malformed_slug_with_its_reason() {
        check_refused("", SlugError::Empty);
        check_refused(&"a".repeat(49), SlugError::TooLong(49));
        check_refused("Tilleuls", SlugError::Forbidden('T'));
        check_refused("tilleuls lyon", SlugError::Forbidden(' '));
        check_refused("café", SlugError::Forbidden('é'));
        check_refused("tilleuls_lyon", SlugError::Forbidden('_'));
        check_refused("-tilleuls", SlugError::EdgeDash);
        check_refused("tilleuls-", SlugError::EdgeDash);
        check_refused("-", SlugError::EdgeDash);
        check_refused("des--tilleuls", SlugError::DoubleDash);
        check_refused(
            "0192f3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
            SlugError::LooksLikeId,
        );
        check_refused("0192f3c45e6f7a8b9c0d1e2f3a4b5c6d", SlugError::LooksLikeId);
    }

    #[test]
    fn parse_refuses_every_reserved_word() {
        for word in RESERVED {
            check_refused(word, SlugError::Reserved(word));
        }
    }

    #[test]
    fn numbered_slugs_stay_within_48_characters() {
        let tilleuls = Slug::parse("tilleuls").unwrap();
        assert_eq!(tilleuls.numbered(2).as_str(), "tilleuls-2");
        assert_eq!(tilleuls.numbered(13).as_str(), "tilleuls-13");
        // Cut to 46, the base would end with `-`: the dash goes too.
        let long = Slug::parse(&format!("{}-bc", "a".repeat(45))).unwrap();
        assert_eq!(long.numbered(2).as_str(), format!("{}-2", "a".repeat(45)));
        let longer = long.numbered(1_000);
        assert_eq!(longer.as_str(), format!("{}-1000", "a".repeat(43)));
    }

    #[test]
    fn first_free_numbers_from_2_past_the_taken_slugs() {
        let base = Slug::parse("tilleuls").unwrap();
        let taken = ["tilleuls", "tilleuls-2", "tilleuls-4"];
        let free = base.first_free(|s| taken.contains(&s.as_str()));
        assert_eq!(free.as_str(), "tilleuls-3");
        assert_eq!(base.first_free(|_| false), base);
    }

    proptest! {
        #[test]
        fn from_name_always_gives_a_slug_parse_accepts(name in "\\PC{0,80}") {
            let slug = Slug::from_name(&name);
            prop_assert_eq!(Slug::parse(slug.as_str()), Ok(slug.clone()));
        }

        #[test]
        fn from_name_of_latin_text_gives_a_slug_parse_accepts(
            name in "[a-zA-Z0-9 éèêëàâäîïôöùûüçœæßÉÈÀÇŒÆ'’&—-]{0,120}"
        ) {
            let slug = Slug::from_name(&name);
            prop_assert_eq!(Slug::parse(slug.as_str()), Ok(slug.clone()));
        }

        #[test]
        fn numbered_slugs_are_valid(name in "\\PC{0,80}", n in 2u32..) {
            let slug = Slug::from_name(&name).numbered(n);
            prop_assert_eq!(Slug::parse(slug.as_str()), Ok(slug.clone()));
        }
    }
}
