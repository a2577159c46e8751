//! `gouvernail export`: the decision records, as JSON for machines and as Markdown minutes in
//! French (the relevé de décisions) for people; decisions, mandates and tensions as CSV for
//! spreadsheets (`csv`).

pub mod csv;

use crate::store::codec;
use governance_core::{Decider, DecisionRecord, Movement, Stance};
use serde_json::{Value, json};
use std::fmt::Write;

/// Text made safe for Markdown minutes read in a terminal or rendered as HTML: control
/// characters and bidirectional overrides (which records written before they were refused may
/// still hold) become visible `\u{…}` marks, and Markdown's and HTML's special characters are
/// escaped so a title cannot become a link, a heading or a tag. Newlines are kept only where
/// `multiline` says so; elsewhere they become spaces.
pub fn md(text: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' if multiline => out.push('\n'),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') =>
            {
                let _ = write!(out, "\\u{{{:04X}}}", c as u32);
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '<' | '>' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

fn stance_fr(s: Stance) -> &'static str {
    match s {
        Stance::Support => "soutien",
        Stance::Concern => "réserve",
        Stance::Objection => "objection",
    }
}

/// Every decision as one JSON document, with names resolved and the canonical record kept.
pub fn json(movement: &Movement, decisions: &[&DecisionRecord]) -> Value {
    json!({
        "movement": movement.organization().name.as_str(),
        "decisions": decisions.iter().map(|d| json!({
            "id": d.id().to_string(),
            "decidedAt": codec::instant(d.decided_at()),
            "unit": movement.unit_name(d.unit()),
            "domain": d.domain().as_str(),
            "title": d.title.as_str(),
            "statement": d.statement.as_str(),
            "rationale": d.rationale.as_str(),
            "decidedBy": d.responsible().iter().map(|m| movement.member_name(*m)).collect::<Vec<_>>(),
            "visibility": codec::visibility_name(d.visibility),
            "consultations": d.consultations.iter().map(|c| json!({
                "member": movement.member_name(c.member),
                "consultedAt": codec::instant(c.consulted_at),
                "stance": codec::stance_name(c.stance),
                "said": c.said.as_str(),
            })).collect::<Vec<_>>(),
            "record": codec::draft_value(d.draft()),
        })).collect::<Vec<_>>(),
    })
}

/// The relevé de décisions, in French Markdown, oldest first.
pub fn markdown(movement: &Movement, decisions: &[&DecisionRecord]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Relevé de décisions — {}\n",
        md(movement.organization().name.as_str(), false)
    );
    if decisions.is_empty() {
        let _ = writeln!(out, "Aucune décision enregistrée.");
    }
    for d in decisions {
        let _ = writeln!(
            out,
            "## {} — {}\n",
            d.decided_at().format("%d/%m/%Y"),
            md(d.title.as_str(), false)
        );
        let _ = writeln!(
            out,
            "- Unité : {} · domaine : {}",
            md(&movement.unit_name(d.unit()), false),
            md(d.domain().as_str(), false)
        );
        let who: Vec<String> = d
            .responsible()
            .iter()
            .map(|m| md(&movement.member_name(*m), false))
            .collect();
        match &d.decider {
            Decider::Holder { .. } => {
                let _ = writeln!(
                    out,
                    "- Décidé par : {}, au titre de son mandat",
                    who.join(", ")
                );
            }
            Decider::Body { .. } => {
                let _ = writeln!(out, "- Décidé en réunion par : {}", who.join(", "));
            }
        }
        // Whether someone outside the movement may read it, as the core says (R17).
        if governance_core::reading::ReadScope::PublishedOnly.admits(d.visibility) {
            let _ = writeln!(out, "- Publiée hors du mouvement");
        }
        for l in &d.links {
            let verb = match l.kind {
                governance_core::LinkKind::Amends => "Modifie",
                governance_core::LinkKind::Supersedes => "Remplace",
                governance_core::LinkKind::Revokes => "Révoque",
            };
            let title = movement
                .decision(l.target)
                .map(|t| md(t.title.as_str(), false))
                .unwrap_or_else(|| l.target.to_string());
            let _ = writeln!(out, "- {verb} : « {title} »");
        }
        if !d.statement.as_str().is_empty() {
            let _ = writeln!(out, "\n{}", md(d.statement.as_str(), true));
        }
        if !d.rationale.as_str().is_empty() {
            let _ = writeln!(out, "\nPourquoi : {}", md(d.rationale.as_str(), true));
        }
        if !d.consultations.is_empty() {
            let _ = writeln!(out, "\nPersonnes consultées :\n");
            for c in &d.consultations {
                let _ = writeln!(
                    out,
                    "- {} ({}, le {}) : « {} »",
                    md(&movement.member_name(c.member), false),
                    stance_fr(c.stance),
                    c.consulted_at.format("%d/%m/%Y"),
                    md(c.said.as_str(), false)
                );
            }
        }
        let _ = writeln!(out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::md;

    #[test]
    fn minutes_escape_terminal_sequences_overrides_and_markdown() {
        assert_eq!(md("\u{1b}[31mrouge", false), "\\u{001B}\\[31mrouge");
        assert_eq!(md("abc\u{202E}fed", false), "abc\\u{202E}fed");
        assert_eq!(
            md("[lien](http://x) <b>", false),
            "\\[lien\\](http://x) \\<b\\>"
        );
        assert_eq!(md("# titre\nsuite", false), "\\# titre suite");
        assert_eq!(md("ligne 1\nligne 2", true), "ligne 1\nligne 2");
    }
}
