//! The closed error vocabulary: one `Code` type for every code the API returns, each with its
//! message in both languages, and `docs/errors.md` listing exactly these codes.

use governance_core::Code;
use governance_core::messages::{Lang, code_message};
use std::collections::BTreeSet;

/// The codes `docs/errors.md` documents: the first cell of each row of its tables.
fn documented() -> BTreeSet<String> {
    include_str!("../../docs/errors.md")
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`'))
        .map(|(code, _)| code.to_owned())
        .collect()
}

#[test]
fn every_code_is_documented_and_every_documented_code_exists() {
    let documented = documented();
    let defined: BTreeSet<String> = Code::ALL.iter().map(|c| c.as_str().to_owned()).collect();
    assert!(
        documented.len() >= 30,
        "the tables were not parsed: {documented:?}"
    );
    let missing_in_docs: Vec<_> = defined.difference(&documented).collect();
    let unknown_in_code: Vec<_> = documented.difference(&defined).collect();
    assert!(
        missing_in_docs.is_empty(),
        "codes the API can return but docs/errors.md does not list: {missing_in_docs:?}"
    );
    assert!(
        unknown_in_code.is_empty(),
        "codes docs/errors.md lists but the Code type lacks: {unknown_in_code:?}"
    );
}

#[test]
fn every_code_has_its_message_in_english_and_in_french() {
    for code in Code::ALL {
        let (en, fr) = (code_message(code, Lang::En), code_message(code, Lang::Fr));
        assert!(!en.is_empty() && !fr.is_empty(), "{code}");
        // The French is French, not a copy of the English (Agora is a proper name).
        assert_ne!(en, fr, "{code} has no French message");
    }
}

#[test]
fn codes_are_distinct_and_spelled_once() {
    let names: BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(names.len(), Code::ALL.len());
    for code in Code::ALL {
        assert_eq!(Code::parse(code.as_str()), Some(code));
        assert!(
            code.as_str()
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '_'),
            "{code}"
        );
    }
}
