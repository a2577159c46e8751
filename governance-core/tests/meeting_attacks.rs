//! The meeting model under review (R5, R8, R9, R10, R13, R19): attacks a hostile member, holder,
//! referent or Coordination member found against the first version of the meeting model, each
//! refused since. Every test failed on that version, because the attack got through.

mod common;
use common::{agora_session, code, coordination_session};
use governance_core::builder::{date, domain};
use governance_core::demo::tilleuls;
use governance_core::meeting::{AgendaItem, MeetingKind};
use governance_core::tension::{Space, TensionSubject};
use governance_core::{
    Convocation, Effect, ErrorCode, EscalationBody, Event, Fraction, Label, Role,
};

// ----- 1. R10/R19: the Agora decides off its agenda -------------------------------------------------

/// The Agora is convened with only the annual budget on its agenda. Three allies (a quarter of
/// the members) then change the meeting rules themselves, filing the change under the budget
/// domain: the agenda check only looks at the decision's domain, and the Agora's effects are not
/// tied to that domain.
#[test]
fn r19_an_agora_convened_for_the_budget_does_not_rewrite_the_meeting_rules() {
    let mut b = tilleuls();
    agora_session(
        &mut b,
        "agora",
        vec![AgendaItem::Domain(domain("budget annuel"))],
    );
    let mut captured = governance_core::demo::settings();
    captured.meetings.agora_quorum = Fraction::new(1, 1000);
    captured.meetings.agora_notice_days = 1;
    captured.meetings.petition = Fraction::new(1000, 1000);
    let r = b
        .decision_draft(
            "x",
            "Agora",
            "budget annuel",
            "Budget (et quelques règles)",
            "2026-07-02T15:00",
        )
        .in_meeting("agora", "Bruno")
        .effect(Effect::ChangeSettings(Box::new(captured)))
        .record();
    assert_eq!(
        code(r),
        ErrorCode::NotOnAgenda,
        "the rules were not on the Agora's agenda: members were convened for the budget"
    );
}

/// Any member (Léo holds no mandate and may not convene the Agora) raises a harmless tension
/// routed to the Agora and puts it on the Agora's agenda himself (raisers may). Any decision that
/// cites that tension then passes the agenda check, whatever its domain: here the rules.
#[test]
fn r10_a_tension_on_the_agora_agenda_licenses_no_rules_change() {
    let mut b = tilleuls();
    b.raise_tension(
        "pretexte",
        "Léo",
        "2026-06-15",
        TensionSubject::Rule(Label::parse("rule", "affichage").unwrap()),
        Some(Space::Agora),
        "Le panneau d'affichage est mal placé",
        "On ne le voit pas depuis l'entrée.",
    )
    .unwrap();
    b.convene(
        "agora",
        MeetingKind::Agora,
        "2026-07-02T14:00",
        "2026-07-02T18:00",
        "Salle des fêtes",
        vec![AgendaItem::Domain(domain("budget annuel"))],
        "Awa",
        "2026-06-16",
    )
    .unwrap();
    b.schedule_tension("pretexte", "agora", "Léo", "2026-06-16T12:00")
        .expect("a raiser puts their own tension on any hosting meeting");
    for (who, at) in [
        ("Awa", "2026-07-02T14:00"),
        ("Bruno", "2026-07-02T14:01"),
        ("Chloé", "2026-07-02T14:02"),
    ] {
        b.sign("agora", who, at).unwrap();
    }
    let mut captured = governance_core::demo::settings();
    captured.meetings.agora_quorum = Fraction::new(1, 1000);
    let r = b
        .decision_draft(
            "x",
            "Agora",
            "règles",
            "Quorum de l'Agora",
            "2026-07-02T15:00",
        )
        .in_meeting("agora", "Bruno")
        .answers("pretexte")
        .effect(Effect::ChangeSettings(Box::new(captured)))
        .record();
    assert_eq!(
        code(r),
        ErrorCode::NotOnAgenda,
        "a tension about a notice board does not put the rules on the agenda"
    );
}

// ----- 2. R10: a decision added to a closed relevé ---------------------------------------------------

/// Awa closes the relevé at 19:00; Bruno, who signed, records one more decision stamped 19:00
/// (the log accepts equal instants). The deadline test is `at > closed`, so it is accepted and
/// appended to a closed relevé.
#[test]
fn r10_a_decision_at_the_instant_the_releve_closes_is_refused() {
    let mut b = tilleuls();
    coordination_session(&mut b, "coordination", "2026-06-15", "2026-06-18", vec![]);
    b.close_minutes("coordination", "Awa", "2026-06-18T19:00")
        .unwrap();
    let r = b
        .decision_draft(
            "ajout",
            "Coordination",
            "budget",
            "Ajout après clôture",
            "2026-06-18T19:00",
        )
        .in_meeting("coordination", "Bruno")
        .record();
    assert_eq!(
        code(r),
        ErrorCode::MinutesClosed,
        "nothing is added to a relevé after it is closed"
    );
}

// ----- 3. R9: escalations ------------------------------------------------------------------------------

/// Hélène's movement-wide proposal waits in the Coordination's inbox. Awa, alone, as a holder,
/// "answers" it (declaring a narrower impact): the escalation leaves the inbox without the
/// Coordination ever meeting on it.
#[test]
fn r9_one_holder_alone_does_not_answer_an_escalation_to_the_coordination() {
    let mut b = tilleuls();
    let r = b
        .decision_draft(
            "enterre",
            "Coordination",
            "communication externe",
            "Réponse : non",
            "2026-06-15",
        )
        .by("Awa")
        .answers_escalation("fete-ouverte")
        .record();
    let coordination = b.unit("Coordination");
    let waiting = b.movement().inbox(coordination, date("2026-06-16")).len();
    assert!(
        r.is_err(),
        "an escalation to the Coordination is answered by the Coordination meeting, not one holder"
    );
    assert_eq!(waiting, 1, "the proposal still waits in the inbox");
}

/// Léo holds no mandate at all. He "proposes" a decision of the Comité Accueil on the charter and
/// escalates it: the reserved-domain check runs before the decider check, so the refusal is
/// ESCALATION_REQUIRED and the escalation is stored in the Agora's inbox.
#[test]
fn r9_a_member_without_mandate_cannot_fill_the_agora_inbox() {
    let mut b = tilleuls();
    let r = b
        .decision_draft(
            "spam",
            "Comité Accueil",
            "charte",
            "Réécrire la charte",
            "2026-06-15",
        )
        .by("Léo")
        .escalate("spam");
    assert!(
        r.is_err(),
        "only a holder whose own decision reaches too wide escalates (R9); Léo decides nothing"
    );
}

// ----- 4. R9/R19: the Coordination takes back what the Agora reserved --------------------------------

/// The Agora decides that movement-wide matters come to it. The Coordination (two people) then
/// changes that setting back in its own meeting: only `meetings` and `agora_domains` are treated
/// as reserved, not `movement_wide_goes_to`; and it then decides movement-wide matters itself.
#[test]
fn r19_the_coordination_cannot_revert_what_the_agora_reserved() {
    let mut b = tilleuls();
    agora_session(&mut b, "agora", vec![AgendaItem::Domain(domain("règles"))]);
    let mut to_agora = governance_core::demo::settings();
    to_agora.movement_wide_goes_to = EscalationBody::Agora;
    b.decision_draft(
        "agora-decide",
        "Agora",
        "règles",
        "Les décisions de portée générale reviennent à l'Agora",
        "2026-07-02T15:00",
    )
    .in_meeting("agora", "Awa")
    .effect(Effect::ChangeSettings(Box::new(to_agora)))
    .record()
    .expect("the Agora reserves movement-wide decisions to itself");
    coordination_session(
        &mut b,
        "coordination",
        "2026-07-03",
        "2026-07-06",
        vec![AgendaItem::Domain(domain("règles"))],
    );
    let back = governance_core::demo::settings(); // movement_wide_goes_to: Coordination
    let r = b
        .decision_draft(
            "reprise",
            "Coordination",
            "règles",
            "Les décisions de portée générale reviennent à la Coordination",
            "2026-07-06T19:00",
        )
        .in_meeting("coordination", "Awa")
        .effect(Effect::ChangeSettings(Box::new(back)))
        .record();
    assert_eq!(
        code(r),
        ErrorCode::EscalationRequired,
        "what the Agora reserved to itself is given back only by the Agora"
    );
}

// ----- 5. R5/R10: a holder of an Agora mandate is the sovereign Agora -----------------------------------

/// The Agora would give Bruno a narrow mandate in the Agora unit (the annual budget); alone, as
/// a holder, he would then revoke Awa's Coordination mandate and remove Karima as "the Agora".
/// Under rules v2 nobody holds the Agora by mandate, and its sovereignty belongs to the
/// assembly in a meeting, not to one person recording in its name.
#[test]
fn r5_r10_nobody_holds_the_agora_by_mandate_nor_acts_alone_as_the_sovereign_agora() {
    let mut b = tilleuls();
    agora_session(
        &mut b,
        "agora",
        vec![
            AgendaItem::Domain(domain("budget annuel")),
            AgendaItem::Domain(domain("mandats")),
        ],
    );
    let tresorier = b.new_mandate(
        "bruno-agora",
        "Bruno",
        "Agora",
        Some(&["budget annuel"]),
        Role::Holder,
        "2026-07-03",
        "2027-01-01",
    );
    let given = b
        .decision_draft(
            "tresorier",
            "Agora",
            "budget annuel",
            "Bruno suit le budget annuel",
            "2026-07-02T15:00",
        )
        .in_meeting("agora", "Awa")
        .effect(tresorier)
        .record();
    assert_eq!(
        code(given),
        ErrorCode::Validation,
        "a mandate in the Agora is refused"
    );
    let revoke = b.revoke("awa");
    let karima = b.member("Karima");
    let r = b
        .decision_draft(
            "coup",
            "Agora",
            "budget annuel",
            "Ajustement budgétaire",
            "2026-07-04",
        )
        .by("Bruno")
        .effects([revoke, Effect::RemoveMember { member: karima }])
        .record();
    assert_eq!(
        code(r),
        ErrorCode::MeetingRequired,
        "one person does not revoke mandates or expel members as the Agora"
    );
}

// ----- 6. R10: the college counts holders of an archived Comité -----------------------------------------

/// Bruno (Coordination, structure) archives the Comité Accueil. Karima's mandate there still
/// counts as "in force" for the Coordination's college: she signs with Awa and the two of them
/// reach the Coordination's quorum without Bruno, though Karima holds no power any more.
#[test]
fn r10_holders_of_an_archived_comite_leave_the_college() {
    let mut b = tilleuls();
    let accueil = b.unit("Comité Accueil");
    b.decision_draft(
        "archive",
        "Coordination",
        "structure",
        "Le Comité Accueil est archivé",
        "2026-06-15",
    )
    .by("Bruno")
    .effect(Effect::ArchiveUnit { unit: accueil })
    .record()
    .unwrap();
    let coordination = b.unit("Coordination");
    b.convene(
        "coordination",
        MeetingKind::Unit(coordination),
        "2026-06-18T18:00",
        "2026-06-18T21:00",
        "Local",
        vec![],
        "Awa",
        "2026-06-15T12:00",
    )
    .unwrap();
    b.sign("coordination", "Awa", "2026-06-18T18:00").unwrap();
    b.sign("coordination", "Karima", "2026-06-18T18:05")
        .unwrap();
    let id = b.meeting("coordination");
    let college = b
        .movement()
        .attendance(id, date("2026-06-18T19:00"))
        .unwrap()
        .college;
    let r = b
        .decision_draft("x", "Coordination", "budget", "Budget", "2026-06-18T19:00")
        .in_meeting("coordination", "Awa")
        .record();
    assert_eq!(
        code(r),
        ErrorCode::QuorumNotReached,
        "Awa alone is not a quorum of the Coordination"
    );
    assert!(
        !college.contains(&b.member("Karima")),
        "a Comité that no longer exists gives its former holder no seat in the Coordination"
    );
}

// ----- 7. R13/R10: a tension "processed" by a meeting that never sat --------------------------------------

/// Karima alone signs the July Fonctionnement meeting (quorum is two): the meeting never decides.
/// Two months later, long after its relevé closed, she records the outcome of her own tension as
/// that meeting's.
#[test]
fn r13_a_tension_is_not_processed_by_an_inquorate_or_closed_meeting() {
    let mut b = tilleuls();
    b.sign("fonctionnement-juillet", "Karima", "2026-07-20T18:30")
        .unwrap();
    let id = b.meeting("fonctionnement-juillet");
    assert!(
        !b.movement()
            .attendance(id, date("2026-07-20T21:00"))
            .unwrap()
            .has_quorum()
    );
    let r = b.process_tension(
        "accueil",
        "Karima",
        "2026-09-01",
        "La réunion Fonctionnement a décidé que je gère seule l'accueil.",
        &[],
    );
    assert!(
        r.is_err(),
        "an inquorate meeting whose relevé is closed processes nothing"
    );
}

// ----- 8. robustness -------------------------------------------------------------------------------------

/// MAX_AGENDA_ITEMS (100) is checked by `convene` and `add_agenda_item`, not by
/// `schedule_tension`: a raiser grows any hosting meeting's agenda without bound.
#[test]
fn agenda_stays_within_its_cap_whatever_adds_to_it() {
    let mut b = tilleuls();
    for i in 0..101 {
        let key = format!("t{i}");
        b.raise_tension(
            &key,
            "Léo",
            "2026-06-15",
            TensionSubject::Rule(Label::parse("rule", "ordre du jour").unwrap()),
            Some(Space::Fonctionnement),
            &format!("Point numéro {i}"),
            "Encore un point.",
        )
        .unwrap();
        let id = b.meeting("fonctionnement-juillet");
        let full = b.movement().meeting(id).unwrap().items.len() >= 100;
        let r = b.schedule_tension(&key, "fonctionnement-juillet", "Léo", "2026-06-15");
        if full {
            assert_eq!(code(r), ErrorCode::Validation, "the 101st item is refused");
        } else {
            r.unwrap();
        }
    }
    let id = b.meeting("fonctionnement-juillet");
    assert!(b.movement().meeting(id).unwrap().items.len() <= 100);
}

/// A convocation ending at the last representable instant is accepted; closing its relevé then
/// adds `minutes_close_days` to `ends_at` with chrono's panicking `+`, and the engine panics
/// instead of refusing.
#[test]
fn a_convocation_at_the_end_of_the_calendar_is_refused_not_a_panic() {
    let mut b = tilleuls();
    let max = chrono::DateTime::<chrono::Utc>::MAX_UTC;
    let start = max - chrono::Duration::hours(3);
    let meeting = b.new_meeting("fin-des-temps");
    let coordination = b.unit("Coordination");
    let awa = b.member("Awa");
    let convened = b.apply(Event::MeetingConvened(Box::new(Convocation {
        meeting,
        kind: MeetingKind::Unit(coordination),
        starts_at: start,
        ends_at: max,
        place: Label::parse("place", "Ailleurs").unwrap(),
        agenda: vec![],
        by: awa,
        at: date("2026-06-15T12:00"),
    })));
    if convened.is_err() {
        return; // refusing such a convocation is a fine answer
    }
    b.apply(Event::AttendanceSigned {
        meeting,
        member: awa,
        by: awa,
        at: start,
    })
    .unwrap();
    let close = Event::MinutesClosed {
        meeting,
        by: awa,
        at: start + chrono::Duration::hours(1),
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| b.apply(close)));
    assert!(
        outcome.is_ok(),
        "the engine refuses or accepts an event, it never panics"
    );
}

// ----- 9. R10: a petition counts signatures of people who are no longer members ---------------------

/// Léo opens a petition for an Agora (12 members: three signatures needed). Julien signs, then
/// leaves the movement; with Inès the petition has three signatures, only two of them by
/// members, against a threshold of three out of eleven: the Agora is convened anyway.
#[test]
fn r10_a_petition_counts_only_signatures_of_current_members() {
    let mut b = tilleuls();
    b.convene(
        "petition",
        MeetingKind::Agora,
        "2026-07-20T14:00",
        "2026-07-20T16:00",
        "Parc des Tilleuls",
        vec![],
        "Léo",
        "2026-06-15",
    )
    .unwrap();
    b.sign_petition("petition", "Julien", "2026-06-15T01:00")
        .unwrap();
    let julien = b.member("Julien");
    b.decision_draft(
        "depart",
        "Coordination",
        "structure",
        "Départ de Julien",
        "2026-06-15T02:00",
    )
    .by("Bruno")
    .effect(Effect::RemoveMember { member: julien })
    .record()
    .unwrap();
    b.sign_petition("petition", "Inès", "2026-06-15T03:00")
        .unwrap();
    let id = b.meeting("petition");
    assert_eq!(
        b.movement().meeting(id).unwrap().convened_at,
        None,
        "two members out of eleven do not convene the Agora"
    );
}

#[test]
fn r10_a_meeting_in_session_keeps_its_agenda_and_a_signed_petition_keeps_its_own() {
    let mut b = tilleuls();
    // Léo's petition, signed by Julien too: nobody adds to what they signed for.
    b.convene(
        "p",
        MeetingKind::Agora,
        "2026-07-10T14:00",
        "2026-07-10T18:00",
        "Parc",
        vec![],
        "Léo",
        "2026-06-15",
    )
    .unwrap();
    b.sign_petition("p", "Julien", "2026-06-15T01:00").unwrap();
    b.raise_tension(
        "t",
        "Léo",
        "2026-06-15T02:00",
        TensionSubject::Rule(Label::parse("rule", "ordre du jour").unwrap()),
        Some(Space::Agora),
        "Le rôle de l'Agora",
        "",
    )
    .unwrap();
    assert_eq!(
        code(b.schedule_tension("t", "p", "Léo", "2026-06-15T03:00")),
        ErrorCode::NotEntitled
    );
    // Karima's tension is on the July Fonctionnement's agenda: once it is in session, it stays.
    let coordination = b.unit("Coordination");
    b.convene(
        "c",
        MeetingKind::Unit(coordination),
        "2026-07-28T18:00",
        "2026-07-28T20:00",
        "Local",
        vec![],
        "Awa",
        "2026-06-16",
    )
    .unwrap();
    let moved = b.schedule_tension("accueil", "c", "Karima", "2026-07-20T19:00");
    assert!(moved.is_err(), "a tension leaves no meeting in session");
}
