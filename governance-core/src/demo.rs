//! Collectif des Tilleuls, the fictional movement of `shared/brief/demo-movement.md`: the test
//! fixture and the data behind `gouvernail serve --demo`, so that tests, docs and the demo tell
//! one story. Its "today" is 2026-06-15; every event happens on or before it.
//!
//! Long because: it is fixture data, one story told in order (founding, first months, a
//! revocation, spring, June); cutting it into files would cut the story, not its logic.

use crate::builder::{MovementBuilder, domain};
use crate::decision::{Impact, LinkKind, Stance};
use crate::effect::Effect;
use crate::error::GovernanceError;
use crate::id::OrganizationId;
use crate::mandate::Role;
use crate::meeting::{AgendaItem, MeetingKind};
use crate::settings::{EscalationBody, MandateAssigner, MeetingRules, Settings};
use crate::tension::{Space, TensionSubject};
use crate::unit::UnitKind;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// The story's "today".
pub const TODAY: &str = "2026-06-15";

/// How many months to move the story so that its "today" (the 15th) is the 15th of the
/// current month, or of the previous one before the 15th: never in the future.
pub fn months_to(now: crate::time::Instant) -> u32 {
    use chrono::Datelike;
    let story = crate::builder::date(TODAY);
    let months = (now.year() - story.year()) * 12 + now.month() as i32
        - story.month() as i32
        - i32::from(now.day() < story.day());
    months.max(0) as u32
}

/// The twelve members: name and e-mail.
pub const MEMBERS: [(&str, &str); 12] = [
    ("Awa Diallo", "awa@tilleuls.example"),
    ("Bruno Lefèvre", "bruno@tilleuls.example"),
    ("Chloé Martin", "chloe@tilleuls.example"),
    ("Djamel Benali", "djamel@tilleuls.example"),
    ("Élise Rousseau", "elise@tilleuls.example"),
    ("Fatou Ndiaye", "fatou@tilleuls.example"),
    ("Gaspard Morel", "gaspard@tilleuls.example"),
    ("Hélène Dubois", "helene@tilleuls.example"),
    ("Inès Haddad", "ines@tilleuls.example"),
    ("Julien Petit", "julien@tilleuls.example"),
    ("Karima Saïdi", "karima@tilleuls.example"),
    ("Léo Garnier", "leo@tilleuls.example"),
];

/// The movement's settings (R19), as its founders adopted them.
pub fn settings() -> Settings {
    Settings {
        max_mandate_months: 12,
        required_consultations: BTreeMap::from([
            (domain("dépenses"), 2),
            (domain("règles"), 2),
            (domain("charte"), 2),
        ]),
        movement_wide_goes_to: EscalationBody::Coordination,
        agora_domains: BTreeSet::from([domain("charte")]),
        account_report_every_months: 3,
        fonctionnement_every_months: 2,
        mandate_assigner: MandateAssigner::Ancestor,
        mandates_domain: domain("mandats"),
        structure_domain: domain("structure"),
        rules_domain: domain("règles"),
        meetings: MeetingRules::default(),
        time_zone: chrono_tz::Europe::Paris,
    }
}

/// The fixture at its fixed dates, with deterministic ids.
pub fn tilleuls() -> MovementBuilder {
    let mut b = MovementBuilder::new("Collectif des Tilleuls");
    write_story(&mut b).expect("the demo story follows the charter");
    b
}

/// The demo for a live server: ids from `next_id`, every date moved `shift_months` months.
pub fn tilleuls_with(
    organization: OrganizationId,
    shift_months: u32,
    next_id: Box<dyn FnMut() -> Uuid + Send>,
) -> MovementBuilder {
    let mut b = MovementBuilder::with_ids(
        organization,
        "Collectif des Tilleuls",
        shift_months,
        next_id,
    );
    write_story(&mut b).expect("the demo story follows the charter");
    b
}

fn write_story(b: &mut MovementBuilder) -> Result<(), GovernanceError> {
    found(b)?;
    first_months(b)?;
    fatou_revocation(b)?;
    spring(b)?;
    june(b)?;
    Ok(())
}

/// 2026-01-10: the Agora founds the movement, its units and its first mandates.
fn found(b: &mut MovementBuilder) -> Result<(), GovernanceError> {
    let mut effects = vec![b.new_unit(
        "Agora",
        UnitKind::Agora,
        None,
        &["charte", "règles", "budget annuel"],
    )];
    for (name, email) in MEMBERS.iter().filter(|(n, _)| !n.starts_with("Julien")) {
        effects.push(b.new_member(name, email));
    }
    effects.push(Effect::ChangeSettings(Box::new(settings())));
    let units: [(&str, UnitKind, &str, &[&str]); 8] = [
        (
            "Coordination",
            UnitKind::Coordination,
            "Agora",
            &[
                "structure",
                "mandats",
                "règles",
                "budget",
                "communication externe",
            ],
        ),
        (
            "Pôle Mobilisation",
            UnitKind::Pole,
            "Coordination",
            &["actions", "porte-à-porte", "événements", "mandats"],
        ),
        (
            "Pôle Communication",
            UnitKind::Pole,
            "Coordination",
            &["réseaux sociaux", "presse", "visuels", "mandats"],
        ),
        (
            "Pôle Finances et Logistique",
            UnitKind::Pole,
            "Coordination",
            &["dépenses", "matériel", "salles", "mandats"],
        ),
        (
            "Comité Porte-à-porte",
            UnitKind::Comite,
            "Pôle Mobilisation",
            &["tournées", "argumentaires"],
        ),
        (
            "Comité Événements",
            UnitKind::Comite,
            "Pôle Mobilisation",
            &["programmation", "lieux"],
        ),
        (
            "Comité Réseaux sociaux",
            UnitKind::Comite,
            "Pôle Communication",
            &["publications", "modération"],
        ),
        (
            "Comité Accueil",
            UnitKind::Comite,
            "Coordination",
            &["accueil des nouveaux", "parrainage"],
        ),
    ];
    for (name, kind, parent, domains) in units {
        effects.push(b.new_unit(name, kind, Some(parent), domains));
    }
    effects.extend([
        b.new_mandate(
            "awa",
            "Awa",
            "Coordination",
            None,
            Role::Referent,
            "2026-01-10",
            "2027-01-10",
        ),
        b.new_mandate(
            "bruno",
            "Bruno",
            "Coordination",
            Some(&["budget", "structure", "mandats"]),
            Role::Holder,
            "2026-01-10",
            "2026-07-10",
        ),
        b.new_mandate(
            "chloe",
            "Chloé",
            "Pôle Mobilisation",
            None,
            Role::Referent,
            "2026-01-15",
            "2026-12-15",
        ),
        b.new_mandate(
            "fatou",
            "Fatou",
            "Pôle Finances et Logistique",
            Some(&["dépenses", "matériel"]),
            Role::Holder,
            "2026-01-10",
            "2026-12-31",
        ),
        b.new_mandate(
            "karima",
            "Karima",
            "Comité Accueil",
            None,
            Role::Referent,
            "2026-01-10",
            "2026-10-10",
        ),
    ]);
    let founders: Vec<&str> = MEMBERS
        .iter()
        .map(|(n, _)| n.split_whitespace().next().unwrap_or(n))
        .filter(|n| *n != "Julien")
        .collect();
    b.decision_draft("fondation", "Agora", "charte", "Fondation du Collectif des Tilleuls", "2026-01-10")
        .statement("L'Agora adopte la charte, crée la Coordination, les Pôles et les Comités, et attribue les premiers mandats.")
        .founding("assemblee-fondatrice", &founders)
        .impact(Impact::MovementWide)
        .effects(effects)
        .record()?;
    b.commit("awa", "2026-01-10T18:00")?;
    b.commit("bruno", "2026-01-10T18:00")?;
    b.commit("fatou", "2026-01-10T19:00")?;
    b.commit("karima", "2026-01-10T20:00")?;
    b.commit("chloe", "2026-01-14")?;
    Ok(())
}

/// January to March: the Pôles assign their Comités' mandates; first decisions.
fn first_months(b: &mut MovementBuilder) -> Result<(), GovernanceError> {
    let helene = b.new_mandate(
        "helene",
        "Hélène",
        "Comité Événements",
        None,
        Role::Referent,
        "2026-02-01",
        "2027-02-01",
    );
    let djamel = b.new_mandate(
        "djamel",
        "Djamel",
        "Comité Porte-à-porte",
        Some(&["tournées"]),
        Role::Holder,
        "2026-02-01",
        "2026-05-31",
    );
    b.decision_draft(
        "mandats-mobilisation",
        "Pôle Mobilisation",
        "mandats",
        "Mandats des Comités Événements et Porte-à-porte",
        "2026-01-20",
    )
    .by("Chloé")
    .effects([helene, djamel])
    .record()?;
    b.commit("helene", "2026-01-25")?;
    b.commit("djamel", "2026-01-28")?;
    let elise = b.new_mandate(
        "elise",
        "Élise",
        "Pôle Communication",
        Some(&["réseaux sociaux", "presse"]),
        Role::Holder,
        "2026-03-01",
        "2027-03-01",
    );
    b.decision_draft(
        "mandat-elise",
        "Coordination",
        "mandats",
        "Mandat réseaux sociaux et presse du Pôle Communication",
        "2026-02-15",
    )
    .by("Bruno")
    .effect(elise)
    .record()?;
    b.decision_draft(
        "tournee-nord",
        "Comité Porte-à-porte",
        "tournées",
        "Tournée du quartier Nord le samedi matin",
        "2026-03-05",
    )
    .by("Djamel")
    .statement("Le porte-à-porte du quartier Nord a lieu chaque samedi de 10 h à 12 h.")
    .consulted(
        "Chloé",
        "2026-03-02",
        Stance::Support,
        "Bonne idée, le samedi matin les gens sont chez eux.",
    )
    .consulted(
        "Hélène",
        "2026-03-03",
        Stance::Concern,
        "Attention au chevauchement avec la préparation de la fête.",
    )
    .record()?;
    // Djamel proposes joint rounds with the Pôle Communication: that reaches beyond his Comité,
    // so it goes up to the Coordination (R9), which answers it in April.
    let communication = b.unit("Pôle Communication");
    b.decision_draft(
        "tournees-communes",
        "Comité Porte-à-porte",
        "tournées",
        "Tournées communes avec le Pôle Communication",
        "2026-03-10",
    )
    .by("Djamel")
    .statement(
        "Chaque tournée du samedi emmène une personne du Pôle Communication pour les photos.",
    )
    .impact(Impact::Units(vec![communication]))
    .escalate("tournees-communes")?;
    b.raise_tension(
        "factures",
        "Gaspard",
        "2026-03-20",
        TensionSubject::Unit(b.unit("Pôle Finances et Logistique")),
        Some(Space::Coordination),
        "Factures en retard",
        "Plusieurs factures de salle restent impayées depuis février.",
    )?;
    Ok(())
}

/// April: quarterly accounts, then the Coordination meeting that revokes Fatou's mandate.
fn fatou_revocation(b: &mut MovementBuilder) -> Result<(), GovernanceError> {
    let coordination = b.unit("Coordination");
    b.report(
        "awa",
        "2026-01-10",
        "2026-04-10",
        "2026-04-12",
        "Animation de la Coordination, accueil de deux nouveaux Comités.",
    )?;
    b.report(
        "bruno",
        "2026-01-10",
        "2026-04-10",
        "2026-04-12",
        "Budget du premier trimestre tenu.",
    )?;
    b.report(
        "fatou",
        "2026-01-10",
        "2026-04-10",
        "2026-04-13",
        "Dépenses du trimestre, factures en cours.",
    )?;
    b.report(
        "chloe",
        "2026-01-15",
        "2026-04-15",
        "2026-04-16",
        "Deux Comités lancés, tournées en place.",
    )?;
    // Convened four days ahead (two are required), with the invoices and Djamel's proposal on
    // its agenda. Awa and Bruno sign; Gaspard comes as a guest: he holds no mandate yet.
    let agenda = vec![
        AgendaItem::Tension(b.tension("factures")),
        AgendaItem::Escalation(b.escalation("tournees-communes")),
        AgendaItem::Domain(domain("mandats")),
    ];
    b.convene(
        "coordination-avril",
        MeetingKind::Unit(coordination),
        "2026-04-20T14:00",
        "2026-04-20T17:00",
        "Local du collectif, 12 rue des Tilleuls",
        agenda,
        "Awa",
        "2026-04-16T09:00",
    )?;
    b.sign("coordination-avril", "Awa", "2026-04-20T14:00")?;
    b.sign("coordination-avril", "Bruno", "2026-04-20T14:05")?;
    b.sign("coordination-avril", "Gaspard", "2026-04-20T14:10")?;
    let revoke = b.revoke("fatou");
    let gaspard = b.new_mandate(
        "gaspard",
        "Gaspard",
        "Pôle Finances et Logistique",
        Some(&["dépenses", "matériel"]),
        Role::Holder,
        "2026-04-21",
        "2026-12-31",
    );
    b.decision_draft(
        "revocation-fatou",
        "Coordination",
        "mandats",
        "Révocation du mandat dépenses et matériel, attribution à Gaspard",
        "2026-04-20T15:00",
    )
    .in_meeting("coordination-avril", "Awa")
    .rationale(
        "Les factures en retard bloquent la location des salles ; Fatou souhaite passer la main.",
    )
    .answers("factures")
    .effects([revoke, gaspard])
    .record()?;
    b.process_tension(
        "factures",
        "Awa",
        "2026-04-20T15:30",
        "Mandat confié à Gaspard ; suivi des factures chaque mois.",
        &["revocation-fatou"],
    )?;
    let reached = vec![b.unit("Comité Porte-à-porte"), b.unit("Pôle Communication")];
    b.decision_draft(
        "reponse-tournees-communes",
        "Coordination",
        "structure",
        "Tournées communes : une fois par mois, à l'essai",
        "2026-04-20T16:00",
    )
    .in_meeting("coordination-avril", "Awa")
    .statement("Une tournée par mois accueille une personne du Pôle Communication, à l'essai jusqu'à l'été.")
    .impact(Impact::Units(reached))
    .answers_escalation("tournees-communes")
    .record()?;
    b.close_minutes("coordination-avril", "Awa", "2026-04-20T18:00")?;
    b.commit("gaspard", "2026-04-21T08:00")?;
    b.report(
        "fatou",
        "2026-04-10",
        "2026-04-20T15:00",
        "2026-04-25",
        "Passation à Gaspard, liste des factures ouvertes.",
    )?;
    Ok(())
}

/// May: Julien joins, a Fonctionnement meeting, Gaspard's first expenses, renewals.
fn spring(b: &mut MovementBuilder) -> Result<(), GovernanceError> {
    b.convene(
        "fonctionnement-mai",
        MeetingKind::Fonctionnement,
        "2026-05-05T18:30",
        "2026-05-05T21:30",
        "Local du collectif, 12 rue des Tilleuls",
        vec![],
        "Awa",
        "2026-04-28",
    )?;
    b.raise_tension(
        "publications",
        "Léo",
        "2026-04-29",
        TensionSubject::Unit(b.unit("Comité Réseaux sociaux")),
        Some(Space::Fonctionnement),
        "Trop de publications le week-end",
        "Les fils du week-end noient les annonces importantes.",
    )?;
    b.schedule_tension("publications", "fonctionnement-mai", "Léo", "2026-04-30")?;
    let julien = b.new_member("Julien Petit", "julien@tilleuls.example");
    b.decision_draft(
        "adhesion-julien",
        "Coordination",
        "structure",
        "Adhésion de Julien Petit",
        "2026-05-01T09:00",
    )
    .by("Bruno")
    .effect(julien)
    .record()?;
    b.report(
        "djamel",
        "2026-02-01",
        "2026-05-01",
        "2026-05-02",
        "Douze tournées, quarante portes par samedi.",
    )?;
    b.report(
        "helene",
        "2026-02-01",
        "2026-05-01",
        "2026-05-03",
        "Programmation du printemps bouclée.",
    )?;
    b.withdraw_tension("publications", "Léo", "2026-05-04")?;
    for (who, at) in [
        ("Awa", "2026-05-05T18:30"),
        ("Karima", "2026-05-05T18:35"),
        ("Hélène", "2026-05-05T18:40"),
        ("Léo", "2026-05-05T18:45"),
        ("Djamel", "2026-05-05T18:50"),
        ("Gaspard", "2026-05-05T18:55"),
    ] {
        b.sign("fonctionnement-mai", who, at)?;
    }
    // The Coordination convenes the Agora three weeks ahead (fifteen days are required).
    b.convene(
        "agora-juin",
        MeetingKind::Agora,
        "2026-06-01T14:00",
        "2026-06-01T18:00",
        "Salle des fêtes des Tilleuls",
        vec![AgendaItem::Domain(domain("budget annuel"))],
        "Awa",
        "2026-05-10",
    )?;
    b.decision_draft(
        "sono",
        "Pôle Finances et Logistique",
        "matériel",
        "Achat d'une sono, 350 €",
        "2026-05-12",
    )
    .by("Gaspard")
    .record()?;
    b.decision_draft(
        "salle",
        "Pôle Finances et Logistique",
        "dépenses",
        "Location de salle, 800 €",
        "2026-05-20",
    )
    .by("Gaspard")
    .consulted(
        "Bruno",
        "2026-05-15",
        Stance::Support,
        "Le budget le permet.",
    )
    .consulted(
        "Awa",
        "2026-05-16",
        Stance::Support,
        "D'accord si la salle est accessible.",
    )
    .record()?;
    let ines = b.new_mandate(
        "ines",
        "Inès",
        "Comité Réseaux sociaux",
        Some(&["publications"]),
        Role::Holder,
        "2026-07-01",
        "2026-12-31",
    );
    b.decision_draft(
        "mandat-ines",
        "Coordination",
        "mandats",
        "Mandat publications du Comité Réseaux sociaux",
        "2026-05-25",
    )
    .by("Bruno")
    .effect(ines)
    .record()?;
    b.proxy("agora-juin", "Fatou", "Awa", "2026-05-25T12:00")?;
    let renewal = b.renew("djamel-2", "djamel", "2026-06-01", "2026-11-30");
    b.decision_draft(
        "renouvellement-djamel",
        "Pôle Mobilisation",
        "mandats",
        "Renouvellement du mandat tournées de Djamel",
        "2026-05-28",
    )
    .by("Chloé")
    .effect(renewal)
    .record()?;
    b.commit("djamel-2", "2026-05-29")?;
    b.report(
        "djamel",
        "2026-05-01",
        "2026-05-31",
        "2026-06-01",
        "Fin du premier mandat, passation à moi-même.",
    )?;
    for (who, at) in [
        ("Awa", "2026-06-01T14:00"),
        ("Bruno", "2026-06-01T14:02"),
        ("Chloé", "2026-06-01T14:05"),
        ("Hélène", "2026-06-01T14:08"),
        ("Julien", "2026-06-01T14:10"),
    ] {
        b.sign("agora-juin", who, at)?;
    }
    b.decision_draft(
        "budget-annuel",
        "Agora",
        "budget annuel",
        "Budget annuel 2026 adopté",
        "2026-06-01T16:00",
    )
    .in_meeting("agora-juin", "Bruno")
    .statement("L'Agora adopte le budget 2026 : 4 800 € de dépenses, dont 2 000 € pour les événements de l'été.")
    .impact(Impact::MovementWide)
    .record()?;
    b.close_minutes("agora-juin", "Bruno", "2026-06-01T19:00")?;
    Ok(())
}

/// June: the fête, a tension about welcoming newcomers, a published position.
fn june(b: &mut MovementBuilder) -> Result<(), GovernanceError> {
    b.decision_draft(
        "fete-4-juillet",
        "Comité Événements",
        "programmation",
        "Fête de quartier le 4 juillet",
        "2026-06-02",
    )
    .by("Hélène")
    .record()?;
    // Chloé convenes the Pôle Mobilisation; on the day she alone signs, so the meeting never
    // reaches its quorum and what she tries to record there as the Pôle is refused.
    b.convene(
        "mobilisation-juin",
        MeetingKind::Unit(b.unit("Pôle Mobilisation")),
        "2026-06-11T18:00",
        "2026-06-11T20:00",
        "Local du collectif, 12 rue des Tilleuls",
        vec![],
        "Chloé",
        "2026-06-03",
    )?;
    b.raise_tension(
        "accueil",
        "Karima",
        "2026-06-05",
        TensionSubject::Unit(b.unit("Comité Accueil")),
        Some(Space::Fonctionnement),
        "Les nouveaux ne savent pas à qui s'adresser",
        "Trois nouvelles personnes sont reparties sans contact après la réunion publique.",
    )?;
    b.decision_draft(
        "petition-parc",
        "Coordination",
        "communication externe",
        "Le collectif soutient la pétition pour le parc des Tilleuls",
        "2026-06-08",
    )
    .by("Awa")
    .statement("Le Collectif des Tilleuls signe et relaie la pétition pour préserver le parc.")
    .published()
    .record()?;
    b.decision_draft(
        "fete-11-juillet",
        "Comité Événements",
        "programmation",
        "Fête de quartier le 11 juillet",
        "2026-06-10",
    )
    .by("Hélène")
    .rationale("Le 4 juillet tombe le même jour que la brocante de la mairie.")
    .link(LinkKind::Supersedes, "fete-4-juillet")
    .record()?;
    b.sign("mobilisation-juin", "Chloé", "2026-06-11T18:00")?;
    // Hélène wants the fête open to every collective of the neighbourhood: that engages the
    // whole movement, so she escalates it; it waits in the Coordination's inbox on the 15th.
    b.decision_draft(
        "fete-ouverte",
        "Comité Événements",
        "programmation",
        "Fête de quartier ouverte à tous les collectifs du quartier",
        "2026-06-12T10:00",
    )
    .by("Hélène")
    .statement("Les collectifs voisins sont invités à tenir un stand à la fête du 11 juillet.")
    .impact(Impact::MovementWide)
    .escalate("fete-ouverte")?;
    b.convene(
        "fonctionnement-juillet",
        MeetingKind::Fonctionnement,
        "2026-07-20T18:30",
        "2026-07-20T21:30",
        "Local du collectif, 12 rue des Tilleuls",
        vec![],
        "Awa",
        "2026-06-12T12:00",
    )?;
    b.schedule_tension("accueil", "fonctionnement-juillet", "Karima", "2026-06-13")?;
    Ok(())
}
