//! French text cut into the terms the search index knows: words split on anything that is not a
//! letter or a digit, French elisions dropped (`l'`, `qu'`, …), lower-cased, accents folded
//! (NFD, combining marks removed; `œ` → `oe`) and stemmed by the Snowball French stemmer, so that
//! "fête", "fete" and "fêtes", or "décidé", "decide" and "décidera", become one term.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// One word of a text: where it stands in the original (byte offsets, for snippets) and its term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub term: String,
    /// A word too common to mean anything alone (`de`, `la`, …): indexed, so that a quoted
    /// phrase can name it, but not required of a match when other words are given.
    pub stop: bool,
}

/// The words elided before an apostrophe (`l'assemblée`, `qu'il`, `jusqu'au`): the word after
/// the apostrophe is what the reader searches for.
const ELIDED: [&str; 13] = [
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// French words too common to rank by, in their folded form. Kept short on purpose: a word a
/// person might search for on its own ("pour", "contre", "sans") is not in it.
const STOP: [&str; 34] = [
    "a", "au", "aux", "ce", "ces", "cet", "cette", "d", "dans", "de", "des", "du", "elle", "en",
    "est", "et", "il", "l", "la", "le", "les", "leur", "ne", "on", "ou", "par", "qu", "que", "qui",
    "se", "sur", "un", "une", "y",
];

/// The stemmer is a table of functions with no state: one for the whole process.
static FRENCH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::French));

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Lower-cases and folds accents and ligatures: "Fêtes" → "fetes", "Œuvre" → "oeuvre".
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            _ => out.extend(c.nfd().filter(|m| !is_combining_mark(*m))),
        }
    }
    out
}

/// The term of one folded word: its Snowball French stem. Folding comes first, so that a word
/// typed without its accents stems exactly as the accented one: the same letters go in. But the
/// stemmer was written for accented French, and on a folded "décidée" ("decidee") it removes
/// one `e` where the accent would have let it remove `ée`; so a stem that the first pass
/// changed and that still ends in `e` is stemmed once more ("decidee" → "decide" → "decid",
/// as "décidé", "décidera" and "decide" give).
pub fn term_of(folded: &str) -> String {
    let once = FRENCH.stem(folded);
    if once.ends_with('e') && once != folded {
        FRENCH.stem(&once).into_owned()
    } else {
        once.into_owned()
    }
}

/// Where the words of `text` stand (byte ranges), in order, elided articles left out. Cheap: no
/// folding but of the few short words before an apostrophe.
pub fn spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        // An elided word is followed by an apostrophe and the word it leans on.
        let mut rest = text[end..].chars();
        let elided = end - start <= 6
            && rest.next().is_some_and(is_apostrophe)
            && rest.next().is_some_and(char::is_alphanumeric)
            && ELIDED.contains(&fold(&text[start..end]).as_str());
        if !elided {
            out.push((start, end));
        }
    }
    out
}

/// One word's term, and whether it is a stop word.
pub fn analyze(word: &str) -> (String, bool) {
    let folded = fold(word);
    let stop = STOP.contains(&folded.as_str());
    (term_of(&folded), stop)
}

/// The words of `text`, in order, with their terms.
pub fn tokens(text: &str) -> Vec<Token> {
    spans(text)
        .into_iter()
        .map(|(start, end)| {
            let (term, stop) = analyze(&text[start..end]);
            Token {
                start,
                end,
                term,
                stop,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.term).collect()
    }

    fn same(a: &str, b: &str) {
        assert_eq!(terms(a), terms(b), "{a:?} and {b:?} should meet");
    }

    #[test]
    fn accents_and_case_fold_fete_fete_fetes() {
        same("fête", "fete");
        same("FÊTE", "fete");
        same("fêtes", "fete");
        same("Fêtes", "FETES");
    }

    #[test]
    fn verb_forms_meet_decidera_decide_decide() {
        same("décidera", "décidé");
        same("décidé", "decide");
        same("décidée", "decide");
        same("décider", "décidé");
        same("décidées", "decide");
        same("prêtée", "pretee");
        same("adoptée", "adopter");
        same("montgolfière", "montgolfiere");
    }

    #[test]
    fn plurals_meet_budgets_budget() {
        same("budgets", "budget");
        same("assemblées", "assemblée");
        same("réseaux", "réseau");
    }

    #[test]
    fn elisions_are_dropped_with_either_apostrophe() {
        assert_eq!(terms("l'assemblée"), terms("assemblée"));
        assert_eq!(terms("l’assemblée"), terms("assemblée"));
        assert_eq!(terms("qu'il"), terms("il"));
        assert_eq!(terms("jusqu’au"), terms("au"));
        assert_eq!(terms("d'accord"), terms("accord"));
        // A letter alone that is not followed by a word is kept: "l'" ends the text here.
        assert_eq!(tokens("l'").len(), 1);
    }

    #[test]
    fn offsets_point_at_the_original_words() {
        let text = "L’Agora a décidé : fêtes 2026!";
        let words: Vec<&str> = tokens(text).iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["Agora", "a", "décidé", "fêtes", "2026"]);
    }

    #[test]
    fn digits_are_kept_and_punctuation_splits() {
        assert_eq!(
            terms("11 juillet"),
            vec!["11".to_owned(), terms("juillet")[0].clone()]
        );
        assert_eq!(terms("peut-être").len(), 2);
        assert!(terms("%_!").is_empty());
    }

    #[test]
    fn ligatures_fold() {
        same("Œuvre", "oeuvre");
    }

    #[test]
    fn stop_words_are_marked_not_dropped() {
        let t = tokens("la fête de quartier");
        assert_eq!(t.len(), 4);
        assert_eq!(
            t.iter().map(|t| t.stop).collect::<Vec<_>>(),
            [true, false, true, false]
        );
    }
}
