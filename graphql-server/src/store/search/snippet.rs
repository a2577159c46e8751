//! The passage of a record shown under a search hit: a few dozen words of the field that holds
//! the most words searched, cut into plain and highlighted segments. No markup: the client
//! decides how to show a highlighted word (the web pages use `<mark>`).

use super::index::{FIELDS, fields};
use super::tokenize;
use governance_core::DecisionRecord;

/// Words shown before the first word found, and in all.
const BEFORE: usize = 8;
const WORDS: usize = 30;
/// The order fields are tried in when several hold as many words searched: the statement says
/// most, and the title is shown beside the snippet anyway.
const PREFERENCE: [usize; FIELDS] = [1, 2, 0, 3];

/// A piece of a snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    /// Whether it is a word searched for.
    pub highlighted: bool,
}

/// The snippet of `record` for the `terms` searched.
pub fn snippet(record: &DecisionRecord, terms: &[String]) -> Vec<Segment> {
    let texts = fields(record);
    let tokenized: Vec<_> = texts.iter().map(|t| tokenize::tokens(t)).collect();
    let found_in = |f: usize| {
        let mut distinct: Vec<&str> = tokenized[f]
            .iter()
            .filter(|t| terms.contains(&t.term))
            .map(|t| t.term.as_str())
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        distinct.len()
    };
    let best = PREFERENCE
        .into_iter()
        .max_by_key(|&f| (found_in(f), std::cmp::Reverse(rank_of(f))))
        .unwrap_or(1);
    cut(texts[best], &tokenized[best], terms)
}

fn rank_of(field: usize) -> usize {
    PREFERENCE
        .iter()
        .position(|&f| f == field)
        .unwrap_or(FIELDS)
}

/// The window of `text` around its first word searched, as segments.
fn cut(text: &str, tokens: &[tokenize::Token], terms: &[String]) -> Vec<Segment> {
    let first = tokens
        .iter()
        .position(|t| terms.contains(&t.term))
        .unwrap_or(0);
    let start = first.saturating_sub(BEFORE);
    let end = (start + WORDS).min(tokens.len());
    let from = if start == 0 { 0 } else { tokens[start].start };
    let to = if end == tokens.len() {
        text.len()
    } else {
        tokens[end - 1].end
    };
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |s: &str, highlighted: bool| {
        if s.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.highlighted == highlighted && !highlighted => last.text.push_str(s),
            _ => out.push(Segment {
                text: s.to_owned(),
                highlighted,
            }),
        }
    };
    if from > 0 {
        push("… ", false);
    }
    let mut pos = from;
    for t in &tokens[start..end] {
        if terms.contains(&t.term) {
            push(&text[pos..t.start], false);
            push(&text[t.start..t.end], true);
            pos = t.end;
        }
    }
    push(&text[pos..to], false);
    if to < text.len() {
        push(" …", false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(q: &str) -> Vec<String> {
        tokenize::tokens(q).into_iter().map(|t| t.term).collect()
    }

    fn shown(segments: &[Segment]) -> String {
        segments
            .iter()
            .map(|s| {
                if s.highlighted {
                    format!("[{}]", s.text)
                } else {
                    s.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn highlights_the_words_found_as_written() {
        let text = "Le pôle achète deux barnums pour les fêtes de quartier.";
        let s = cut(text, &tokenize::tokens(text), &terms("fete barnum"));
        assert_eq!(
            shown(&s),
            "Le pôle achète deux [barnums] pour les [fêtes] de quartier."
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_first_word_found() {
        let text = format!("{} budget {}", "mot ".repeat(40), "fin ".repeat(40));
        let s = cut(&text, &tokenize::tokens(&text), &terms("budgets"));
        let out = shown(&s);
        assert!(out.starts_with('…') && out.ends_with('…'), "{out}");
        assert!(out.contains("[budget]"));
        assert_eq!(out.split_whitespace().count(), WORDS + 2, "{out}");
    }
}
