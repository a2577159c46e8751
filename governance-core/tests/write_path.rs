//! The write path's one call into the core (`Movement::record`): the core judges once, picks the
//! mandate a holder did not name, hands back the event as the log keeps it and the record it
//! produced, and words a refusal from the state that refused it.

use governance_core::builder::date;
use governance_core::demo::tilleuls;
use governance_core::messages::Lang;
use governance_core::{
    Decider, DecisionError, DenialReason, ErrorCode, Event, GovernanceError, Outcome, RulesVersion,
};

#[test]
fn r4_a_holder_who_names_no_mandate_decides_under_the_one_that_grants_it() {
    let mut b = tilleuls();
    let awa = b.member("Awa");
    let draft = b
        .decision_draft(
            "affiches",
            "Coordination",
            "communication externe",
            "Affiches pour la fête",
            "2026-06-16",
        )
        .by("Awa")
        .into_draft();
    assert_eq!(
        draft.decider,
        Decider::Holder {
            member: awa,
            mandate: None
        }
    );
    let granting = b
        .movement()
        .may_decide(
            awa,
            b.unit("Coordination"),
            &draft.domain,
            date("2026-06-16"),
        )
        .expect("Awa may decide this")
        .mandate;
    let id = draft.id;
    let mut m = b.movement().clone();
    let recorded = m
        .record(Event::Decision(Box::new(draft)), RulesVersion::CURRENT)
        .unwrap();
    // The log keeps the mandate the check found, as if Awa had named it.
    let Event::Decision(kept) = &recorded.event else {
        panic!("a decision, not {:?}", recorded.event)
    };
    assert_eq!(
        kept.decider,
        Decider::Holder {
            member: awa,
            mandate: Some(granting)
        }
    );
    // The answer is the record, as stored, without reading the state again.
    let Some(Outcome::Decision(record)) = recorded.outcome else {
        panic!("the decision's record")
    };
    assert_eq!(record.id(), id);
    assert_eq!(record.authorized_by(), Some(granting));
    assert_eq!(m.decision(id), Some(&*record));
}

#[test]
fn r5_an_unnamed_mandate_is_refused_about_the_holders_mandate_in_that_unit() {
    let mut b = tilleuls();
    // Chloé revokes Djamel's renewed mandate; naming none, he is told about the one he held
    // there first, as when he names it.
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
    let draft = b
        .decision_draft(
            "x",
            "Comité Porte-à-porte",
            "tournées",
            "Tournée du dimanche",
            "2026-06-16",
        )
        .by("Djamel")
        .into_draft();
    let before = b.movement().decisions().len();
    let mut m = b.movement().clone();
    match m.record(Event::Decision(Box::new(draft)), RulesVersion::CURRENT) {
        Err(GovernanceError::Decision(DecisionError::Denied(d))) => match d.reason {
            DenialReason::Expired { mandate, .. } => assert_eq!(mandate, b.mandate("djamel")),
            other => panic!("his mandate there expired, not {other:?}"),
        },
        other => panic!("a denial, not {other:?}"),
    }
    assert_eq!(m.decisions().len(), before, "nothing recorded");
}

#[test]
fn r5_naming_another_members_mandate_is_refused() {
    let mut b = tilleuls();
    let mut draft = b
        .decision_draft(
            "y",
            "Coordination",
            "communication externe",
            "Affiches",
            "2026-06-16",
        )
        .by("Léo")
        .into_draft();
    // Léo borrows a mandate that grants this decision, but it is Awa's.
    let awas = b
        .movement()
        .may_decide(
            b.member("Awa"),
            b.unit("Coordination"),
            &draft.domain,
            date("2026-06-16"),
        )
        .unwrap()
        .mandate;
    draft.decider = Decider::Holder {
        member: b.member("Léo"),
        mandate: Some(awas),
    };
    let refused = b.apply(Event::Decision(Box::new(draft))).unwrap_err();
    assert!(
        matches!(
            refused,
            GovernanceError::Decision(DecisionError::NotYourMandate)
        ),
        "{refused:?}"
    );
    assert_eq!(refused.code(), ErrorCode::Validation);
}

#[test]
fn r9_a_refusal_carries_its_words_and_its_route_with_names() {
    let mut b = tilleuls();
    let draft = b
        .decision_draft(
            "z",
            "Comité Porte-à-porte",
            "budget",
            "Un budget à part",
            "2026-06-16",
        )
        .by("Djamel")
        .into_draft();
    let m = b.movement().clone();
    let error = b.apply(Event::Decision(Box::new(draft))).unwrap_err();
    let refusal = m.refusal(error.clone());
    assert_eq!(refusal.error, error);
    assert_eq!(
        refusal.message(Lang::Fr),
        governance_core::messages::governance_error(&m, &error, Lang::Fr)
    );
    assert_ne!(refusal.message(Lang::Fr), refusal.message(Lang::En));
    let route = refusal.route.expect("a denial names where to go");
    assert!(!route.is_empty());
    for step in &route {
        assert_eq!(step.unit_name, m.unit_name(step.unit));
        for (member, name) in &step.holders {
            assert_eq!(*name, m.member_name(*member));
        }
    }
}
