//! The passage of a record shown under a search hit: a few dozen words of the field that holds
//! the most words searched, cut into plain and highlighted segments. No markup: the client
//! decides how to show a highlighted word (the web pages use `<mark>`).

use super::index::FIELDS;
use super::tokenize;

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

/// The snippet of a record whose fields are `texts` and whose terms, field after field, are
/// `fields_terms` (as the index holds them), for the terms `wanted`. The words are found again
/// by their positions, so nothing is stemmed twice.
pub fn snippet(
    texts: [&str; FIELDS],
    fields_terms: [&[u32]; FIELDS],
    wanted: &[u32],
) -> Vec<Segment> {
    let spans: Vec<Vec<(usize, usize)>> = texts.iter().map(|t| tokenize::spans(t)).collect();
    let found_in = |f: usize| {
        let mut distinct: Vec<u32> = fields_terms[f]
            .iter()
            .copied()
            .filter(|t| wanted.contains(t))
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        distinct.len()
    };
    let best = PREFERENCE
        .into_iter()
        .max_by_key(|&f| (found_in(f), std::cmp::Reverse(rank_of(f))))
        .unwrap_or(1);
    let marked: Vec<bool> = if spans[best].len() == fields_terms[best].len() {
        fields_terms[best]
            .iter()
            .map(|t| wanted.contains(t))
            .collect()
    } else {
        // Cannot happen (the index cut the same text the same way); show it unmarked.
        vec![false; spans[best].len()]
    };
    cut(texts[best], &spans[best], &marked)
}

fn rank_of(field: usize) -> usize {
    PREFERENCE
        .iter()
        .position(|&f| f == field)
        .unwrap_or(FIELDS)
}

/// The window of `text` around its first marked word, as segments.
fn cut(text: &str, spans: &[(usize, usize)], marked: &[bool]) -> Vec<Segment> {
    let first = marked.iter().position(|m| *m).unwrap_or(0);
    let start = first.saturating_sub(BEFORE);
    let end = (start + WORDS).min(spans.len());
    let from = if start == 0 { 0 } else { spans[start].0 };
    let to = if end == spans.len() {
        text.len()
    } else {
        spans[end - 1].1
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
    for (i, &(s, e)) in spans.iter().enumerate().take(end).skip(start) {
        if marked[i] {
            push(&text[pos..s], false);
            push(&text[s..e], true);
            pos = e;
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

    /// `cut` with the words of `text` whose terms are among those of `query` marked.
    fn marked(text: &str, query: &str) -> Vec<Segment> {
        let wanted: Vec<String> = tokenize::tokens(query)
            .into_iter()
            .map(|t| t.term)
            .collect();
        let words = tokenize::tokens(text);
        let spans: Vec<(usize, usize)> = words.iter().map(|t| (t.start, t.end)).collect();
        let marks: Vec<bool> = words.iter().map(|t| wanted.contains(&t.term)).collect();
        cut(text, &spans, &marks)
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
        let s = marked(text, "fete barnum");
        assert_eq!(
            shown(&s),
            "Le pôle achète deux [barnums] pour les [fêtes] de quartier."
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_first_word_found() {
        let text = format!("{} budget {}", "mot ".repeat(40), "fin ".repeat(40));
        let s = marked(&text, "budgets");
        let out = shown(&s);
        assert!(out.starts_with('…') && out.ends_with('…'), "{out}");
        assert!(out.contains("[budget]"));
        assert_eq!(out.split_whitespace().count(), WORDS + 2, "{out}");
    }
}
