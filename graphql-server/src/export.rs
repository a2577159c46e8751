//! `gouvernail export`: the decision records, as JSON for machines and as Markdown minutes in
//! French (the relevé de décisions) for people.

use crate::store::codec;
use governance_core::{Decider, DecisionRecord, Movement, Stance};
use serde_json::{Value, json};
use std::fmt::Write;

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
        movement.organization().name
    );
    if decisions.is_empty() {
        let _ = writeln!(out, "Aucune décision enregistrée.");
    }
    for d in decisions {
        let _ = writeln!(
            out,
            "## {} — {}\n",
            d.decided_at().format("%d/%m/%Y"),
            d.title
        );
        let _ = writeln!(
            out,
            "- Unité : {} · domaine : {}",
            movement.unit_name(d.unit()),
            d.domain()
        );
        let who: Vec<String> = d
            .responsible()
            .iter()
            .map(|m| movement.member_name(*m))
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
        if d.visibility == governance_core::Visibility::Published {
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
                .map(|t| t.title.to_string())
                .unwrap_or_else(|| l.target.to_string());
            let _ = writeln!(out, "- {verb} : « {title} »");
        }
        if !d.statement.as_str().is_empty() {
            let _ = writeln!(out, "\n{}", d.statement.as_str());
        }
        if !d.rationale.as_str().is_empty() {
            let _ = writeln!(out, "\nPourquoi : {}", d.rationale.as_str());
        }
        if !d.consultations.is_empty() {
            let _ = writeln!(out, "\nPersonnes consultées :\n");
            for c in &d.consultations {
                let _ = writeln!(
                    out,
                    "- {} ({}, le {}) : « {} »",
                    movement.member_name(c.member),
                    stance_fr(c.stance),
                    c.consulted_at.format("%d/%m/%Y"),
                    c.said.as_str()
                );
            }
        }
        let _ = writeln!(out);
    }
    out
}
