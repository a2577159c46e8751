//! Insta snapshots of "who may decide what" in the Collectif des Tilleuls at several dates, and of
//! the refusals of representative requests: a change to the rules shows up as a table diff.

use governance_core::builder::{date, domain};
use governance_core::demo::tilleuls;
use governance_core::render;

fn map_at(when: &str) -> String {
    let b = tilleuls();
    let m = b.movement();
    render::authority_map(m, &m.authority_map(date(when)))
}

#[test]
fn r15_authority_map_before_any_commitment() {
    insta::assert_snapshot!(map_at("2026-01-10T12:00"));
}

#[test]
fn r15_authority_map_with_all_in_force() {
    insta::assert_snapshot!(map_at("2026-03-15"));
}

#[test]
fn r15_authority_map_after_a_revocation() {
    insta::assert_snapshot!(map_at("2026-04-25"));
}

#[test]
fn r15_authority_map_after_an_expiry() {
    insta::assert_snapshot!(map_at("2026-05-31T12:00"));
}

#[test]
fn r15_authority_map_today() {
    insta::assert_snapshot!(map_at("2026-06-15"));
}

/// The refused attempts of the demo story, and a few allowed ones, one line each.
#[test]
fn denial_reasons_of_representative_requests() {
    let b = tilleuls();
    let m = b.movement();
    let cases = [
        ("Awa", "Coordination", "budget", "2026-06-15"),
        (
            "Élise",
            "Pôle Communication",
            "réseaux sociaux",
            "2026-06-15",
        ),
        (
            "Djamel",
            "Comité Porte-à-porte",
            "tournées",
            "2026-05-31T12:00",
        ),
        ("Djamel", "Comité Porte-à-porte", "tournées", "2026-06-15"),
        (
            "Fatou",
            "Pôle Finances et Logistique",
            "dépenses",
            "2026-05-01",
        ),
        (
            "Gaspard",
            "Pôle Communication",
            "réseaux sociaux",
            "2026-06-15",
        ),
        (
            "Gaspard",
            "Pôle Finances et Logistique",
            "réseaux sociaux",
            "2026-06-15",
        ),
        (
            "Gaspard",
            "Pôle Finances et Logistique",
            "dépenses",
            "2026-06-15",
        ),
        ("Léo", "Comité Accueil", "parrainage", "2026-06-15"),
        (
            "Inès",
            "Comité Réseaux sociaux",
            "publications",
            "2026-06-15",
        ),
        ("Julien", "Comité Accueil", "parrainage", "2026-04-01"),
        (
            "Bruno",
            "Coordination",
            "communication externe",
            "2026-06-15",
        ),
        ("Bruno", "Coordination", "budget", "2026-07-10"),
    ];
    let mut out = String::new();
    for (who, unit, dom, when) in cases {
        let verdict = m.may_decide(b.member(who), b.unit(unit), &domain(dom), date(when));
        out.push_str(&format!(
            "{who} · {unit} · {dom} · {when}\n    {}\n",
            render::verdict(m, &verdict)
        ));
    }
    insta::assert_snapshot!(out);
}
