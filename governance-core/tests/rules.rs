//! One test (at least) per charter rule R1–R19, on the Collectif des Tilleuls. Each test is named
//! after the rule it defends and fails if the engine stops enforcing it. The rules, and the
//! choices the code made for each, are in `docs/charter.md`.

mod common;
use common::{agora_session, code, coordination_session};
use governance_core::builder::{MovementBuilder, date, domain};
use governance_core::demo::tilleuls;
use governance_core::meeting::{AgendaItem, MeetingKind};
use governance_core::queries::Reader;
use governance_core::tension::{Space, TensionSubject};
use governance_core::{
    DecisionError, Effect, ErrorCode, EscalationBody, GovernanceError, Impact, LinkKind, NewUnit,
    Role, Stance, UnitId, UnitKind,
};

/// The code `may_decide` answers for a request, or "ALLOWED".
fn check(b: &MovementBuilder, who: &str, unit: &str, dom: &str, when: &str) -> String {
    match b
        .movement()
        .may_decide(b.member(who), b.unit(unit), &domain(dom), date(when))
    {
        Ok(_) => "ALLOWED".into(),
        Err(d) => d.reason.code().as_str().into(),
    }
}

fn new_unit(b: &MovementBuilder, kind: UnitKind, parent: &str) -> Effect {
    Effect::CreateUnit(NewUnit {
        id: UnitId::from_u128(0xBEEF),
        name: governance_core::Label::parse("name", "Nouvelle unité").unwrap(),
        kind,
        parent: Some(b.unit(parent)),
        domains: [domain("affiches")].into(),
    })
}

// ----- structure ---------------------------------------------------------------------------------

#[test]
fn r1_the_movement_has_exactly_one_coordination_and_one_agora() {
    let mut b = tilleuls();
    let second = new_unit(&b, UnitKind::Coordination, "Agora");
    agora_session(
        &mut b,
        "agora",
        vec![
            AgendaItem::Domain(domain("règles")),
            AgendaItem::Domain(domain("structure")),
        ],
    );
    let refused = b
        .decision_draft(
            "x",
            "Agora",
            "règles",
            "Une seconde Coordination",
            "2026-07-02T15:00",
        )
        .in_meeting("agora", "Awa")
        .effect(second)
        .record();
    assert_eq!(code(refused), ErrorCode::Conflict);
    let kinds: Vec<UnitKind> = b.movement().units().map(|u| u.kind).collect();
    assert_eq!(kinds.iter().filter(|k| **k == UnitKind::Agora).count(), 1);
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == UnitKind::Coordination)
            .count(),
        1
    );
}

#[test]
fn r1_a_comite_belongs_to_a_pole_or_to_the_coordination() {
    let mut b = tilleuls();
    let under_comite = new_unit(&b, UnitKind::Comite, "Comité Accueil");
    let refused = b
        .decision_draft(
            "x",
            "Coordination",
            "structure",
            "Comité sous un Comité",
            "2026-06-15",
        )
        .by("Awa")
        .effect(under_comite)
        .record();
    assert_eq!(code(refused), ErrorCode::Validation);
    let under_pole = new_unit(&b, UnitKind::Comite, "Pôle Communication");
    b.decision_draft(
        "y",
        "Coordination",
        "structure",
        "Comité Visuels",
        "2026-06-15",
    )
    .by("Awa")
    .effect(under_pole)
    .record()
    .expect("a Comité under a Pôle is allowed");
    let m = b.movement();
    let created = m.unit(UnitId::from_u128(0xBEEF)).unwrap();
    assert!(m.is_strict_ancestor(b.unit("Coordination"), created.id));
}

#[test]
fn r2_fonctionnement_meetings_are_held_every_two_months_and_host_functioning_tensions() {
    let mut b = tilleuls();
    let m = b.movement();
    assert_eq!(
        m.settings_at(date("2026-06-15"))
            .fonctionnement_every_months,
        2
    );
    assert_eq!(
        m.fonctionnement_due(date("2026-06-15")),
        Some(date("2026-07-05T18:30"))
    );
    // The open tension about welcoming newcomers goes to the Fonctionnement meeting, not to a
    // Gouvernance one.
    b.convene(
        "gouvernance",
        MeetingKind::Gouvernance,
        "2026-06-30T18:00",
        "2026-06-30T20:00",
        "Local du collectif",
        vec![],
        "Awa",
        "2026-06-15",
    )
    .unwrap();
    let wrong = b.schedule_tension("accueil", "gouvernance", "Awa", "2026-06-15");
    assert!(matches!(
        wrong,
        Err(GovernanceError::Tension(
            governance_core::tension::TensionError::WrongSpace { .. }
        ))
    ));
    b.schedule_tension("accueil", "fonctionnement-juillet", "Karima", "2026-06-15")
        .expect("the Fonctionnement meeting takes it");
}

// ----- mandates ------------------------------------------------------------------------------------

#[test]
fn r3_a_mandate_longer_than_the_settings_allow_is_refused() {
    let mut b = tilleuls();
    let too_long = b.new_mandate(
        "long",
        "Léo",
        "Comité Accueil",
        None,
        Role::Holder,
        "2026-06-15",
        "2027-06-16",
    );
    let refused = b
        .decision_draft(
            "x",
            "Coordination",
            "mandats",
            "Mandat de Léo",
            "2026-06-15",
        )
        .by("Bruno")
        .effect(too_long)
        .record();
    assert!(matches!(
        refused,
        Err(GovernanceError::Mandate(
            governance_core::mandate::MandateError::TooLong { max_months: 12 }
        ))
    ));
    let year = b.new_mandate(
        "year",
        "Léo",
        "Comité Accueil",
        None,
        Role::Holder,
        "2026-06-15",
        "2027-06-15",
    );
    b.decision_draft(
        "y",
        "Coordination",
        "mandats",
        "Mandat de Léo",
        "2026-06-15",
    )
    .by("Bruno")
    .effect(year)
    .record()
    .expect("twelve months is the limit, allowed");
}

#[test]
fn r3_every_mandate_has_a_start_and_an_end() {
    let start = date("2026-06-15");
    assert!(governance_core::Period::new(start, start).is_err());
    assert!(governance_core::Period::new(start, date("2026-06-14")).is_err());
    let b = tilleuls();
    for m in b.movement().mandates() {
        assert!(m.period.starts_at() < m.period.ends_at());
    }
}

#[test]
fn r4_pending_mandate_grants_nothing() {
    let mut b = tilleuls();
    assert_eq!(
        check(&b, "Élise", "Pôle Communication", "presse", "2026-06-15"),
        "NOT_COMMITTED"
    );
    b.commit("elise", "2026-06-15T10:00").unwrap();
    assert_eq!(
        check(
            &b,
            "Élise",
            "Pôle Communication",
            "presse",
            "2026-06-15T10:00"
        ),
        "ALLOWED"
    );
    // The commitment is not retroactive: the morning before it, still nothing.
    assert_eq!(
        check(
            &b,
            "Élise",
            "Pôle Communication",
            "presse",
            "2026-06-15T09:59"
        ),
        "NOT_COMMITTED"
    );
}

#[test]
fn r4_only_the_holder_commits_to_a_mandate() {
    let mut b = tilleuls();
    let event = governance_core::Event::Commitment {
        mandate: b.mandate("elise"),
        member: b.member("Awa"),
        at: date("2026-06-15"),
    };
    assert_eq!(code(b.apply(event)), ErrorCode::OutOfScope);
    assert_eq!(
        check(&b, "Élise", "Pôle Communication", "presse", "2026-06-16"),
        "NOT_COMMITTED"
    );
}

#[test]
fn r5_expired_mandate_denies() {
    let b = tilleuls();
    assert_eq!(
        check(
            &b,
            "Djamel",
            "Comité Porte-à-porte",
            "tournées",
            "2026-05-30T23:59"
        ),
        "ALLOWED"
    );
    assert_eq!(
        check(
            &b,
            "Djamel",
            "Comité Porte-à-porte",
            "tournées",
            "2026-05-31T12:00"
        ),
        "MANDATE_EXPIRED"
    );
    assert_eq!(
        check(&b, "Bruno", "Coordination", "budget", "2026-07-10"),
        "MANDATE_EXPIRED"
    );
}

#[test]
fn r5_revoked_mandate_denies_from_its_revocation() {
    let b = tilleuls();
    assert_eq!(
        check(
            &b,
            "Fatou",
            "Pôle Finances et Logistique",
            "dépenses",
            "2026-04-20T14:59"
        ),
        "ALLOWED"
    );
    assert_eq!(
        check(
            &b,
            "Fatou",
            "Pôle Finances et Logistique",
            "dépenses",
            "2026-04-20T15:00"
        ),
        "MANDATE_REVOKED"
    );
    assert_eq!(
        check(
            &b,
            "Fatou",
            "Pôle Finances et Logistique",
            "dépenses",
            "2026-05-01"
        ),
        "MANDATE_REVOKED"
    );
}

#[test]
fn r5_another_unit_or_domain_is_out_of_scope() {
    let b = tilleuls();
    assert_eq!(
        check(
            &b,
            "Gaspard",
            "Pôle Communication",
            "réseaux sociaux",
            "2026-06-15"
        ),
        "OUT_OF_SCOPE"
    );
    assert_eq!(
        check(
            &b,
            "Gaspard",
            "Pôle Finances et Logistique",
            "salles",
            "2026-06-15"
        ),
        "OUT_OF_SCOPE"
    );
    let denial = b
        .movement()
        .may_decide(
            b.member("Gaspard"),
            b.unit("Pôle Finances et Logistique"),
            &domain("réseaux sociaux"),
            date("2026-06-15"),
        )
        .unwrap_err();
    assert_eq!(
        denial.escalate_to[0].unit,
        b.unit("Pôle Communication"),
        "it goes to the Pôle that owns the domain"
    );
}

#[test]
fn r5_a_date_before_the_start_denies() {
    let b = tilleuls();
    assert_eq!(
        check(
            &b,
            "Inès",
            "Comité Réseaux sociaux",
            "publications",
            "2026-06-15"
        ),
        "MANDATE_NOT_STARTED"
    );
    assert_eq!(
        check(
            &b,
            "Chloé",
            "Pôle Mobilisation",
            "actions",
            "2026-01-14T23:59"
        ),
        "MANDATE_NOT_STARTED"
    );
}

#[test]
fn r6_every_mandate_traces_back_to_the_decision_that_assigned_it() {
    let b = tilleuls();
    let m = b.movement();
    for mandate in m.mandates() {
        let decision = m
            .decision(mandate.assigned_by)
            .expect("the assigning decision is recorded");
        let assigns = decision.effects.iter().any(|e| match e {
            Effect::AssignMandate(nm) => nm.id == mandate.id,
            Effect::RenewMandate { id, .. } => *id == mandate.id,
            _ => false,
        });
        assert!(
            assigns,
            "{} does not assign {:?}",
            decision.title, mandate.id
        );
        if let Some(r) = mandate.revocation {
            let revoking = m.decision(r.by).expect("the revoking decision is recorded");
            assert!(revoking.effects.contains(&Effect::RevokeMandate {
                mandate: mandate.id
            }));
        }
    }
    let renewal = m.mandate(b.mandate("djamel-2")).unwrap();
    assert_eq!(renewal.renews, Some(b.mandate("djamel")));
}

#[test]
fn r6_mandates_are_assigned_only_by_the_process_in_force() {
    let mut b = tilleuls();
    // Hélène holds her Comité's every domain but cannot hand out a mandate in a sibling Comité,
    // nor in her own: mandates come from above.
    let sibling = b.new_mandate(
        "x",
        "Léo",
        "Comité Porte-à-porte",
        None,
        Role::Holder,
        "2026-06-15",
        "2026-12-15",
    );
    let refused = b
        .decision_draft(
            "x",
            "Comité Événements",
            "programmation",
            "Mandat de Léo",
            "2026-06-15",
        )
        .by("Hélène")
        .effect(sibling)
        .record();
    assert_eq!(code(refused), ErrorCode::OutOfScope);
    let own = b.new_mandate(
        "y",
        "Léo",
        "Comité Événements",
        None,
        Role::Holder,
        "2026-06-15",
        "2026-12-15",
    );
    let refused = b
        .decision_draft(
            "y",
            "Comité Événements",
            "programmation",
            "Mandat de Léo",
            "2026-06-15",
        )
        .by("Hélène")
        .effect(own)
        .record();
    assert!(matches!(
        refused,
        Err(GovernanceError::Decision(
            DecisionError::EffectOutOfAuthority { .. }
        ))
    ));
    // The parent Pôle's `mandats` holder can.
    let by_pole = b.new_mandate(
        "z",
        "Léo",
        "Comité Événements",
        None,
        Role::Holder,
        "2026-06-15",
        "2026-12-15",
    );
    b.decision_draft(
        "z",
        "Pôle Mobilisation",
        "mandats",
        "Mandat de Léo",
        "2026-06-15",
    )
    .by("Chloé")
    .effect(by_pole)
    .record()
    .expect("the Pôle assigns its Comités' mandates");
    assert!(
        b.movement()
            .mandate(b.mandate("z"))
            .unwrap()
            .committed_at
            .is_none()
    );
}

#[test]
fn r7_a_referent_decides_only_within_their_mandate() {
    let b = tilleuls();
    assert_eq!(
        check(&b, "Karima", "Comité Accueil", "parrainage", "2026-06-15"),
        "ALLOWED"
    );
    assert_eq!(
        check(&b, "Karima", "Coordination", "budget", "2026-06-15"),
        "OUT_OF_SCOPE"
    );
    assert_eq!(
        check(
            &b,
            "Chloé",
            "Comité Porte-à-porte",
            "tournées",
            "2026-06-15"
        ),
        "OUT_OF_SCOPE"
    );
    let refs = b
        .movement()
        .referents(b.unit("Comité Accueil"), date("2026-06-15"));
    assert_eq!(
        refs.iter().map(|c| c.member).collect::<Vec<_>>(),
        vec![b.member("Karima")]
    );
}

// ----- deciding ------------------------------------------------------------------------------------

#[test]
fn r8_consultation_required_before_deciding() {
    let mut b = tilleuls();
    let once = b
        .decision_draft(
            "a",
            "Pôle Finances et Logistique",
            "dépenses",
            "Achat de banderoles",
            "2026-06-15",
        )
        .by("Gaspard")
        .consulted("Bruno", "2026-06-14", Stance::Support, "D'accord.")
        .record();
    assert_eq!(code(once), ErrorCode::ConsultationRequired);
    // Consulting oneself, or the same person twice, does not count.
    let self_and_twice = b
        .decision_draft(
            "b",
            "Pôle Finances et Logistique",
            "dépenses",
            "Achat de banderoles",
            "2026-06-15",
        )
        .by("Gaspard")
        .consulted("Gaspard", "2026-06-14", Stance::Support, "Moi-même.")
        .consulted("Bruno", "2026-06-14", Stance::Support, "D'accord.")
        .consulted(
            "Bruno",
            "2026-06-14T12:00",
            Stance::Support,
            "Toujours d'accord.",
        )
        .record();
    assert_eq!(code(self_and_twice), ErrorCode::ConsultationRequired);
    let after = b
        .decision_draft(
            "c",
            "Pôle Finances et Logistique",
            "dépenses",
            "Achat de banderoles",
            "2026-06-15",
        )
        .by("Gaspard")
        .consulted("Bruno", "2026-06-14", Stance::Support, "D'accord.")
        .consulted("Awa", "2026-06-16", Stance::Support, "Trop tard.")
        .record();
    assert_eq!(code(after), ErrorCode::Validation);
    b.decision_draft(
        "d",
        "Pôle Finances et Logistique",
        "dépenses",
        "Achat de banderoles",
        "2026-06-15",
    )
    .by("Gaspard")
    .consulted("Bruno", "2026-06-14", Stance::Support, "D'accord.")
    .consulted("Awa", "2026-06-14", Stance::Objection, "Pas avant la fête.")
    .record()
    .expect("two people consulted, even with an objection, is enough");
    // The record keeps who was consulted and what they said.
    let d = b.movement().decision(b.decision("d")).unwrap();
    assert_eq!(d.consultations.len(), 2);
    assert_eq!(d.consultations[1].stance, Stance::Objection);
}

#[test]
fn r9_movement_wide_decision_goes_to_coordination() {
    let mut b = tilleuls();
    let refused = b
        .decision_draft(
            "x",
            "Comité Événements",
            "programmation",
            "Fête dans tous les quartiers",
            "2026-06-15",
        )
        .by("Hélène")
        .impact(Impact::MovementWide)
        .record();
    match refused {
        Err(GovernanceError::Decision(DecisionError::EscalationRequired { to, route })) => {
            assert_eq!(to, EscalationBody::Coordination);
            assert_eq!(route[0].unit, b.unit("Coordination"));
        }
        other => panic!("expected ESCALATION_REQUIRED, got {other:?}"),
    }
    // Even a Coordination holder alone cannot: it goes to the Coordination as a body.
    let alone = b
        .decision_draft("y", "Coordination", "budget", "Budget commun", "2026-06-15")
        .by("Awa")
        .impact(Impact::MovementWide)
        .record();
    assert_eq!(code(alone), ErrorCode::EscalationRequired);
    coordination_session(&mut b, "coordination", "2026-06-15", "2026-06-18", vec![]);
    b.decision_draft(
        "z",
        "Coordination",
        "budget",
        "Budget commun",
        "2026-06-18T19:00",
    )
    .in_meeting("coordination", "Awa")
    .impact(Impact::MovementWide)
    .record()
    .expect("the Coordination as a body takes movement-wide decisions");
}

#[test]
fn r9_impact_on_other_units_escalates_and_the_charter_goes_to_the_agora() {
    let mut b = tilleuls();
    let other = b.unit("Comité Porte-à-porte");
    let refused = b
        .decision_draft(
            "x",
            "Comité Événements",
            "lieux",
            "Salle partagée",
            "2026-06-15",
        )
        .by("Hélène")
        .impact(Impact::Units(vec![other]))
        .record();
    assert_eq!(code(refused), ErrorCode::EscalationRequired);
    let own_subtree = b.unit("Comité Porte-à-porte");
    b.decision_draft(
        "y",
        "Pôle Mobilisation",
        "actions",
        "Actions des Comités",
        "2026-06-15",
    )
    .by("Chloé")
    .impact(Impact::Units(vec![own_subtree]))
    .record()
    .expect("a Pôle's decision may reach its own Comités");
    let charter = b
        .decision_draft(
            "z",
            "Coordination",
            "charte",
            "Nouvelle charte",
            "2026-06-15",
        )
        .by_body(None, &["Awa", "Bruno"])
        .record();
    match charter {
        Err(GovernanceError::Decision(DecisionError::EscalationRequired { to, .. })) => {
            assert_eq!(to, EscalationBody::Agora)
        }
        other => panic!("expected the Agora, got {other:?}"),
    }
}

#[test]
fn r10_a_meeting_decision_lists_its_participants_who_share_it() {
    let mut b = tilleuls();
    let none = b
        .decision_draft(
            "x",
            "Coordination",
            "budget",
            "Sans participants",
            "2026-06-15",
        )
        .by_body(None, &[])
        .record();
    assert_eq!(code(none), ErrorCode::MeetingRequired);
    coordination_session(&mut b, "coordination", "2026-06-15", "2026-06-18", vec![]);
    let absent = b
        .decision_draft(
            "y",
            "Coordination",
            "mandats",
            "Avec une absente",
            "2026-06-18T19:00",
        )
        .by_body(Some("coordination"), &["Awa", "Karima"])
        .record();
    assert_eq!(code(absent), ErrorCode::NotAnAttendee);
    // Léo and Julien come as guests: they sign, but the Coordination's college is its holders.
    b.sign("coordination", "Léo", "2026-06-18T18:10").unwrap();
    b.sign("coordination", "Julien", "2026-06-18T18:11")
        .unwrap();
    let guests = b
        .decision_draft(
            "z",
            "Coordination",
            "budget",
            "Sans mandat",
            "2026-06-18T19:00",
        )
        .by_body(Some("coordination"), &["Léo", "Julien"])
        .record();
    assert_eq!(code(guests), ErrorCode::NotAnAttendee);
    let m = b.movement();
    let revocation = m.decision(b.decision("revocation-fatou")).unwrap();
    assert_eq!(
        revocation.responsible(),
        vec![b.member("Awa"), b.member("Bruno")]
    );
    let meeting = m.meeting(b.meeting("coordination-avril")).unwrap();
    assert_eq!(
        meeting.decisions,
        vec![
            b.decision("revocation-fatou"),
            b.decision("reponse-tournees-communes")
        ]
    );
}

#[test]
fn r11_a_member_catches_up_on_what_was_decided_since_they_last_looked() {
    let b = tilleuls();
    let m = b.movement();
    // Léo last looked after the Fonctionnement meeting of 5 May.
    let missed: Vec<&str> = m
        .decisions_between(date("2026-05-05T21:00"), date("2026-06-15"))
        .map(|d| d.title.as_str())
        .collect();
    assert_eq!(
        missed,
        [
            "Achat d'une sono, 350 €",
            "Location de salle, 800 €",
            "Mandat publications du Comité Réseaux sociaux",
            "Renouvellement du mandat tournées de Djamel",
            "Budget annuel 2026 adopté",
            "Fête de quartier le 4 juillet",
            "Le collectif soutient la pétition pour le parc des Tilleuls",
            "Fête de quartier le 11 juillet",
        ]
    );
    let leo = Reader::Member(b.member("Léo"));
    assert_eq!(
        m.readable_decisions(leo, date("2026-06-15")).count(),
        m.decisions().len()
    );
}

#[test]
fn r12_a_superseded_decision_is_no_longer_in_force_and_history_stays_readable() {
    let mut b = tilleuls();
    let m = b.movement();
    let (unit, dom) = (b.unit("Comité Événements"), domain("programmation"));
    let titles = |at: &str| -> Vec<String> {
        m.decisions_in_force(unit, &dom, date(at))
            .iter()
            .map(|d| d.title.to_string())
            .collect()
    };
    assert_eq!(titles("2026-06-05"), ["Fête de quartier le 4 juillet"]);
    assert_eq!(titles("2026-06-12"), ["Fête de quartier le 11 juillet"]);
    assert_eq!(
        m.supersession_chain(b.decision("fete-4-juillet")),
        vec![b.decision("fete-4-juillet"), b.decision("fete-11-juillet")]
    );
    // The superseded record is still there, unchanged.
    assert_eq!(
        m.decision(b.decision("fete-4-juillet"))
            .unwrap()
            .title
            .as_str(),
        "Fête de quartier le 4 juillet"
    );
    // A record cannot be superseded twice, nor recorded twice.
    let again = b
        .decision_draft(
            "x",
            "Comité Événements",
            "programmation",
            "Fête le 18 juillet",
            "2026-06-15",
        )
        .by("Hélène")
        .link(LinkKind::Supersedes, "fete-4-juillet")
        .record();
    assert_eq!(code(again), ErrorCode::Conflict);
    let existing = b
        .movement()
        .decision(b.decision("sono"))
        .unwrap()
        .draft()
        .clone();
    let mut duplicate = existing;
    duplicate.decided_at = date("2026-06-15");
    assert_eq!(
        code(b.apply(governance_core::Event::Decision(Box::new(duplicate)))),
        ErrorCode::Conflict
    );
}

// ----- tensions --------------------------------------------------------------------------------------

#[test]
fn r13_a_tension_is_routed_processed_and_its_outcome_recorded() {
    let mut b = tilleuls();
    let m = b.movement();
    let factures = m.tension(b.tension("factures")).unwrap();
    assert_eq!(factures.space, Space::Coordination);
    let statuses: Vec<&str> = factures.history.iter().map(|(_, s)| s.name()).collect();
    assert_eq!(statuses, ["open", "scheduled", "processed"]);
    match &factures.status {
        governance_core::tension::TensionStatus::Processed { decisions, .. } => {
            assert_eq!(decisions, &vec![b.decision("revocation-fatou")])
        }
        other => panic!("expected processed, got {other:?}"),
    }
    // A tension raised without a space goes to the unit's referent.
    b.raise_tension(
        "r",
        "Julien",
        "2026-06-15",
        TensionSubject::Unit(b.unit("Comité Accueil")),
        None,
        "Pas de binôme d'accueil",
        "",
    )
    .unwrap();
    assert_eq!(
        b.movement().tension(b.tension("r")).unwrap().space,
        Space::Referent(b.unit("Comité Accueil"))
    );
    // A withdrawn tension cannot be processed afterwards.
    let late = b.process_tension("publications", "Karima", "2026-06-15", "Trop tard", &[]);
    assert_eq!(code(late), ErrorCode::Conflict);
}

#[test]
fn r14_a_tension_naming_a_person_is_refused() {
    let mut b = tilleuls();
    let about_fatou = b.raise_tension(
        "x",
        "Gaspard",
        "2026-06-15",
        TensionSubject::Unit(b.unit("Pôle Finances et Logistique")),
        None,
        "Fatou Ndiaye ne paie pas",
        "",
    );
    assert!(matches!(
        about_fatou,
        Err(GovernanceError::Tension(
            governance_core::tension::TensionError::NamesAPerson { .. }
        ))
    ));
    let about_a_role = b.raise_tension(
        "y",
        "Gaspard",
        "2026-06-15",
        TensionSubject::Role {
            unit: b.unit("Pôle Finances et Logistique"),
            role: Role::Holder,
        },
        None,
        "Le suivi des factures n'a pas de responsable clair",
        "",
    );
    assert!(about_a_role.is_ok());
}

// ----- transparency, accountability, discretion ----------------------------------------------------

#[test]
fn r15_every_member_sees_who_decides_what_since_when_and_until_when() {
    let b = tilleuls();
    let m = b.movement();
    let map = m.authority_map(date("2026-06-15"));
    let row = map
        .rows
        .iter()
        .find(|r| r.unit == b.unit("Pôle Finances et Logistique") && r.domain == domain("dépenses"))
        .unwrap();
    assert_eq!(row.holders.len(), 1);
    assert_eq!(row.holders[0].member, b.member("Gaspard"));
    assert_eq!(row.holders[0].since, date("2026-04-21T08:00"));
    assert_eq!(row.holders[0].until, date("2026-12-31"));
    // Every domain of every active unit appears, held or routed.
    let domains: usize = m
        .units()
        .map(|u| u.domains_at(date("2026-06-15")).len())
        .sum();
    assert_eq!(map.rows.len(), domains);
    assert!(map.rows.iter().all(|r| !r.holders.is_empty()
        || !r.route_if_unheld.is_empty()
        || Some(r.unit) == m.agora()));
}

#[test]
fn r16_missing_account_reports_are_visible() {
    let b = tilleuls();
    let m = b.movement();
    let missing = m.missing_reports(date("2026-06-15"));
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0].holder, b.member("Karima"));
    assert_eq!(missing[0].covers.starts_at(), date("2026-01-10"));
    assert_eq!(missing[0].covers.ends_at(), date("2026-04-10"));
    // Before it was due, nothing was missing.
    assert!(m.missing_reports(date("2026-04-09")).is_empty());
}

#[test]
fn r17_outsiders_read_only_published_records_and_decide_nothing() {
    let b = tilleuls();
    let m = b.movement();
    let public: Vec<&str> = m
        .readable_decisions(Reader::Outsider, date("2026-06-15"))
        .map(|d| d.title.as_str())
        .collect();
    assert_eq!(
        public,
        ["Le collectif soutient la pétition pour le parc des Tilleuls"]
    );
    let outsider = governance_core::MemberId::from_u128(0xDEAD);
    let verdict = m.may_decide(
        outsider,
        b.unit("Coordination"),
        &domain("budget"),
        date("2026-06-15"),
    );
    assert_eq!(verdict.unwrap_err().reason.code(), ErrorCode::NotAMember);
    // Julien was an outsider before he joined: he read what outsiders read, and nothing more.
    let julien = Reader::Member(b.member("Julien"));
    assert!(!m.may_read(
        julien,
        m.decision(b.decision("sono")).unwrap(),
        date("2026-04-30")
    ));
    let petition = m
        .decisions()
        .iter()
        .find(|d| {
            d.title
                .as_str()
                .starts_with("Le collectif soutient la pétition")
        })
        .unwrap();
    assert!(!m.is_member_at(b.member("Julien"), date("2026-04-30")));
    assert!(m.may_read(julien, petition, date("2026-04-30")));
}

#[test]
fn r18_the_movement_sees_how_concentrated_power_is() {
    let b = tilleuls();
    let m = b.movement();
    let power = m.power_distribution(date("2026-06-15"));
    let none: Vec<String> = power
        .without_mandate
        .iter()
        .map(|id| m.member_name(*id))
        .collect();
    assert_eq!(
        none,
        [
            "Élise Rousseau",
            "Fatou Ndiaye",
            "Inès Haddad",
            "Léo Garnier",
            "Julien Petit"
        ]
    );
    assert_eq!(power.holders.len(), 7);
    assert!(power.holders.iter().all(|(_, n)| *n == 1));
    assert_eq!(power.top_share_percent, 14);
}

#[test]
fn r19_settings_change_only_through_a_recorded_decision_and_keep_their_history() {
    let mut b = tilleuls();
    let mut shorter = governance_core::demo::settings();
    shorter.max_mandate_months = 6;
    let by_bruno = b
        .decision_draft(
            "x",
            "Coordination",
            "règles",
            "Mandats de six mois",
            "2026-06-15",
        )
        .by("Bruno")
        .effect(Effect::ChangeSettings(Box::new(shorter.clone())))
        .record();
    assert_eq!(
        code(by_bruno),
        ErrorCode::OutOfScope,
        "Bruno holds no mandate over the rules"
    );
    let without_consulting = b
        .decision_draft(
            "y",
            "Coordination",
            "règles",
            "Mandats de six mois",
            "2026-06-15",
        )
        .by("Awa")
        .effect(Effect::ChangeSettings(Box::new(shorter.clone())))
        .record();
    assert_eq!(code(without_consulting), ErrorCode::ConsultationRequired);
    let alone = b
        .decision_draft(
            "z",
            "Coordination",
            "règles",
            "Mandats de six mois",
            "2026-06-15",
        )
        .by("Awa")
        .consulted("Bruno", "2026-06-14", Stance::Support, "Oui.")
        .consulted(
            "Karima",
            "2026-06-14",
            Stance::Concern,
            "Prévoir la passation.",
        )
        .effect(Effect::ChangeSettings(Box::new(shorter.clone())))
        .record();
    assert_eq!(
        code(alone),
        ErrorCode::MeetingRequired,
        "one person never changes the rules, even after consulting"
    );
    coordination_session(
        &mut b,
        "coordination",
        "2026-06-15",
        "2026-06-18",
        vec![AgendaItem::Domain(domain("règles"))],
    );
    b.decision_draft(
        "v",
        "Coordination",
        "règles",
        "Mandats de six mois",
        "2026-06-18T19:00",
    )
    .in_meeting("coordination", "Awa")
    .effect(Effect::ChangeSettings(Box::new(shorter)))
    .record()
    .expect("the Coordination changes the rules in a meeting with the rules on its agenda");
    let m = b.movement();
    assert_eq!(
        m.settings_at(date("2026-06-18T18:59")).max_mandate_months,
        12
    );
    assert_eq!(
        m.settings_at(date("2026-06-18T19:00")).max_mandate_months,
        6
    );
    assert_eq!(m.settings_history().versions().len(), 2);
    let seven_months = b.new_mandate(
        "long",
        "Léo",
        "Comité Accueil",
        None,
        Role::Holder,
        "2026-06-19",
        "2027-01-20",
    );
    let refused = b
        .decision_draft(
            "w",
            "Coordination",
            "mandats",
            "Mandat de Léo",
            "2026-06-18T19:30",
        )
        .by("Bruno")
        .effect(seven_months)
        .record();
    assert_eq!(code(refused), ErrorCode::Validation);
}

// ----- the log ---------------------------------------------------------------------------------------

#[test]
fn a_refused_decision_changes_nothing() {
    let mut b = tilleuls();
    let before = b.movement().mandates().len();
    let ok = b.new_mandate(
        "ok",
        "Léo",
        "Comité Accueil",
        None,
        Role::Holder,
        "2026-06-15",
        "2026-12-15",
    );
    let bad = b.new_mandate(
        "bad",
        "Léo",
        "Comité Accueil",
        None,
        Role::Holder,
        "2026-06-15",
        "2028-01-01",
    );
    let refused = b
        .decision_draft("x", "Coordination", "mandats", "Deux mandats", "2026-06-15")
        .by("Bruno")
        .effects([ok, bad])
        .record();
    assert!(refused.is_err());
    assert_eq!(b.movement().mandates().len(), before);
    assert!(b.movement().mandate(b.mandate("ok")).is_none());
}

#[test]
fn events_are_recorded_in_time_order_and_a_replay_gives_the_same_answers() {
    let b = tilleuls();
    let (movement, events) = b.into_parts();
    let replayed =
        governance_core::Movement::replay(movement.organization().clone(), &events).unwrap();
    for at in ["2026-01-10T12:00", "2026-04-25", "2026-06-15"] {
        assert_eq!(
            movement.authority_map(date(at)),
            replayed.authority_map(date(at))
        );
    }
    let mut late = replayed;
    let early = governance_core::Event::Commitment {
        mandate: movement.mandates()[0].id,
        member: movement.mandates()[0].holder,
        at: date("2026-01-01"),
    };
    assert!(matches!(
        late.apply(early),
        Err(GovernanceError::OutOfOrder { .. })
    ));
}

#[test]
fn r13_a_tension_is_processed_where_it_was_routed() {
    let mut b = tilleuls();
    // Karima's tension is on the July Fonctionnement meeting's agenda: nobody processes it
    // before that meeting takes place.
    let early = b.process_tension("accueil", "Karima", "2026-06-15", "Réglé entre nous", &[]);
    assert!(matches!(
        early,
        Err(GovernanceError::Tension(
            governance_core::tension::TensionError::MeetingNotHeld { .. }
        ))
    ));
    // A meeting cannot be invented after the fact, nor a tension put on a past meeting.
    let invented = b.convene(
        "ancienne",
        MeetingKind::Fonctionnement,
        "2026-06-01T18:00",
        "2026-06-01T20:00",
        "Local",
        vec![],
        "Awa",
        "2026-06-15",
    );
    assert!(matches!(
        invented,
        Err(GovernanceError::Meeting(
            governance_core::meeting::MeetingError::InThePast(_)
        ))
    ));
    let past = b.schedule_tension("accueil", "fonctionnement-mai", "Léo", "2026-06-15");
    assert_eq!(code(past), ErrorCode::Conflict);
    b.schedule_tension("accueil", "fonctionnement-juillet", "Karima", "2026-06-15")
        .unwrap();
    let before_meeting = b.process_tension("accueil", "Karima", "2026-06-16", "Trop tôt", &[]);
    assert_eq!(code(before_meeting), ErrorCode::Validation);
    b.sign("fonctionnement-juillet", "Karima", "2026-07-20T18:30")
        .unwrap();
    b.sign("fonctionnement-juillet", "Julien", "2026-07-20T18:31")
        .unwrap();
    b.sign("fonctionnement-juillet", "Awa", "2026-07-20T18:32")
        .unwrap();
    let absent = b.process_tension("accueil", "Léo", "2026-07-20T21:10", "Sans y être", &[]);
    assert_eq!(code(absent), ErrorCode::OutOfScope);
    // Julien signed as a guest: he holds no mandate in the Coordination, whose meeting it is.
    let guest = b.process_tension("accueil", "Julien", "2026-07-20T21:10", "Invité", &[]);
    assert_eq!(code(guest), ErrorCode::OutOfScope);
    b.process_tension(
        "accueil",
        "Karima",
        "2026-07-20T21:10",
        "Un binôme d'accueil à chaque réunion publique",
        &[],
    )
    .expect("an attendee records the outcome");
    // A tension routed to a referent is processed by that referent, not by anyone.
    b.raise_tension(
        "r",
        "Léo",
        "2026-07-21",
        TensionSubject::Unit(b.unit("Comité Événements")),
        None,
        "Les horaires changent trop",
        "",
    )
    .unwrap();
    assert_eq!(
        code(b.process_tension("r", "Léo", "2026-07-21T10:00", "Moi-même", &[])),
        ErrorCode::OutOfScope
    );
    b.process_tension(
        "r",
        "Hélène",
        "2026-07-21T11:00",
        "Horaires fixés au trimestre",
        &[],
    )
    .expect("the referent processes it");
}

#[test]
fn r14_a_first_name_as_a_word_is_a_person_too() {
    let mut b = tilleuls();
    let unit = b.unit("Comité Réseaux sociaux");
    let named = b.raise_tension(
        "x",
        "Léo",
        "2026-06-15",
        TensionSubject::Unit(unit),
        None,
        "Inès publie trop le week-end",
        "",
    );
    assert!(matches!(
        named,
        Err(GovernanceError::Tension(governance_core::tension::TensionError::NamesAPerson { name })) if name == "Inès Haddad"
    ));
    b.raise_tension(
        "y",
        "Léo",
        "2026-06-15",
        TensionSubject::Role {
            unit,
            role: Role::Holder,
        },
        None,
        "Le rythme des publications du week-end",
        "",
    )
    .expect("about the role, not the person");
}

#[test]
fn r14_a_first_name_in_capitals_is_a_person_too() {
    let mut b = tilleuls();
    let unit = b.unit("Comité Réseaux sociaux");
    let shouted = b.raise_tension(
        "x",
        "Léo",
        "2026-06-15",
        TensionSubject::Unit(unit),
        None,
        "Les publications du week-end",
        "INÈS publie trop le week-end",
    );
    assert!(matches!(
        shouted,
        Err(GovernanceError::Tension(governance_core::tension::TensionError::NamesAPerson { name })) if name == "Inès Haddad"
    ));
    // Capitals alone name nobody.
    b.raise_tension(
        "y",
        "Léo",
        "2026-06-15",
        TensionSubject::Unit(unit),
        None,
        "URGENT : LES PUBLICATIONS DU WEEK-END",
        "TROP LE SAMEDI, PAS ASSEZ LE LUNDI",
    )
    .expect("no member is named");
}

#[test]
fn r5_a_member_whose_mandates_are_all_over_holds_none() {
    let b = tilleuls();
    // Fatou's only mandate was revoked in April: in June she holds no mandate at all.
    assert_eq!(
        check(&b, "Fatou", "Comité Événements", "lieux", "2026-06-15"),
        "NO_MANDATE"
    );
    // Bruno still holds his: another unit is out of his scope.
    assert_eq!(
        check(&b, "Bruno", "Comité Événements", "lieux", "2026-06-15"),
        "OUT_OF_SCOPE"
    );
}

#[test]
fn r5_a_refusal_is_about_the_mandate_the_holder_named() {
    let mut b = tilleuls();
    // Chloé revokes Djamel's renewed mandate; he then names his first one, expired in May.
    let revoke = b.revoke("djamel-2");
    b.decision_draft(
        "fin",
        "Pôle Mobilisation",
        "mandats",
        "Fin du mandat tournées",
        "2026-06-15",
    )
    .by("Chloé")
    .effect(revoke)
    .record()
    .unwrap();
    let mut draft = b
        .decision_draft(
            "x",
            "Comité Porte-à-porte",
            "tournées",
            "Tournée du dimanche",
            "2026-06-16",
        )
        .by("Djamel")
        .into_draft();
    draft.decider = governance_core::Decider::Holder {
        member: b.member("Djamel"),
        mandate: Some(b.mandate("djamel")),
    };
    match b.apply(governance_core::Event::Decision(Box::new(draft))) {
        Err(GovernanceError::Decision(DecisionError::Denied(d))) => match d.reason {
            governance_core::DenialReason::Expired { mandate, .. } => {
                assert_eq!(mandate, b.mandate("djamel"))
            }
            other => panic!("the named mandate expired, not {other:?}"),
        },
        other => panic!("a denial, not {other:?}"),
    }
}
