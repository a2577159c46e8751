//! What a reader typed, read as a search: every word must be in the record, and each quoted
//! phrase must stand in one of its fields word after word. Bounded before anything is looked up.

use super::tokenize::{self, Token};

/// The most bytes a query may have.
pub const MAX_QUERY_BYTES: usize = 256;
/// The most words a query may have, those of its phrases included.
pub const MAX_QUERY_WORDS: usize = 8;

/// Why a query is refused before it is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the search is longer than {max} bytes")]
    TooLong { max: usize },
    #[error("the search has more than {max} words")]
    TooManyWords { max: usize },
}

/// A parsed query: the terms a record must hold, and the phrases it must hold in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// Every term a match must contain, without repeats (stop words left out unless the query
    /// has nothing else).
    pub required: Vec<String>,
    /// Each quoted phrase's terms, stop words included, in order.
    pub phrases: Vec<Vec<String>>,
}

impl Query {
    /// Reads `text`: words, and phrases between straight (`"…"`), curly (`“…”`) or French
    /// (`«…»`) quotes; a quote left open runs to the end.
    pub fn parse(text: &str) -> Result<Self, QueryError> {
        if text.len() > MAX_QUERY_BYTES {
            return Err(QueryError::TooLong {
                max: MAX_QUERY_BYTES,
            });
        }
        let mut words: Vec<Token> = Vec::new();
        let mut phrases: Vec<Vec<Token>> = Vec::new();
        let mut rest = text;
        let mut quoted = false;
        loop {
            let cut = rest.find(['"', '“', '”', '«', '»']);
            let (part, next) = match cut {
                Some(i) => {
                    let quote = rest[i..].chars().next().map_or(1, char::len_utf8);
                    (&rest[..i], Some(&rest[i + quote..]))
                }
                None => (rest, None),
            };
            let found = tokenize::tokens(part);
            if quoted {
                if found.len() > 1 {
                    phrases.push(found);
                } else {
                    // A phrase of one word is that word.
                    words.extend(found);
                }
            } else {
                words.extend(found);
            }
            match next {
                Some(n) => {
                    rest = n;
                    quoted = !quoted;
                }
                None => break,
            }
        }
        let count = words.len() + phrases.iter().map(Vec::len).sum::<usize>();
        if count > MAX_QUERY_WORDS {
            return Err(QueryError::TooManyWords {
                max: MAX_QUERY_WORDS,
            });
        }
        let all = words.iter().chain(phrases.iter().flatten());
        // Stop words narrow nothing and only slow the intersection down; a query made of
        // nothing else still looks for them ("de la" finds the records that have both).
        let meaningful: Vec<&Token> = all.clone().filter(|t| !t.stop).collect();
        let chosen: Vec<&Token> = if meaningful.is_empty() {
            all.collect()
        } else {
            meaningful
        };
        let mut required: Vec<String> = Vec::new();
        for t in chosen {
            if !required.contains(&t.term) {
                required.push(t.term.clone());
            }
        }
        Ok(Self {
            required,
            phrases: phrases
                .into_iter()
                .map(|p| p.into_iter().map(|t| t.term).collect())
                .collect(),
        })
    }

    /// Whether the query asks for nothing (only punctuation): it matches no record.
    pub fn is_empty(&self) -> bool {
        self.required.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(w: &str) -> String {
        tokenize::tokens(w)[0].term.clone()
    }

    #[test]
    fn words_are_all_required_without_stop_words() {
        let q = Query::parse("la fête du quartier").unwrap();
        assert_eq!(q.required, [t("fête"), t("quartier")]);
        assert!(q.phrases.is_empty());
    }

    #[test]
    fn a_query_of_stop_words_only_keeps_them() {
        let q = Query::parse("de la").unwrap();
        assert_eq!(q.required, [t("de"), t("la")]);
    }

    #[test]
    fn quoted_phrases_keep_their_order_and_stop_words() {
        let q = Query::parse("budget « fête de quartier »").unwrap();
        assert_eq!(q.phrases, [vec![t("fête"), t("de"), t("quartier")]]);
        assert_eq!(q.required, [t("budget"), t("fête"), t("quartier")]);
        let q = Query::parse("\"fête de quartier").unwrap();
        assert_eq!(q.phrases.len(), 1, "an open quote runs to the end");
        let q = Query::parse("\"fête\"").unwrap();
        assert!(q.phrases.is_empty(), "one word in quotes is that word");
        assert_eq!(q.required, [t("fête")]);
    }

    #[test]
    fn bounds_are_checked_before_the_work() {
        assert_eq!(
            Query::parse(&"a".repeat(MAX_QUERY_BYTES + 1)),
            Err(QueryError::TooLong {
                max: MAX_QUERY_BYTES
            })
        );
        assert_eq!(
            Query::parse("un deux trois quatre cinq six sept huit neuf"),
            Err(QueryError::TooManyWords {
                max: MAX_QUERY_WORDS
            })
        );
        assert!(Query::parse("un deux trois quatre cinq six sept huit").is_ok());
    }

    #[test]
    fn punctuation_only_is_an_empty_query() {
        assert!(Query::parse("%  ?!").unwrap().is_empty());
        assert!(Query::parse("").unwrap().is_empty());
    }
}
