//! R10 (`docs/charter.md`) made precise: a group decision exists only in a real meeting of that group. Each test is
//! an attack by a hostile member, holder or referent on the Collectif des Tilleuls, refused
//! with its exact code and leaving the movement unchanged; and the honest path beside it.

mod common;
use common::code;
use governance_core::builder::{MovementBuilder, date, domain};
use governance_core::demo::tilleuls;
use governance_core::meeting::{AgendaItem, MeetingKind};
use governance_core::{
    Effect, ErrorCode, Event, GovernanceError, Impact, NewMandate, Period, Role, Scope,
};

/// Asserts that `attempt` is refused with `expected` and leaves the log as it was.
fn refused(
    b: &mut MovementBuilder,
    expected: ErrorCode,
    attempt: impl FnOnce(&mut MovementBuilder) -> Result<(), GovernanceError>,
) {
    let before = b.movement().event_count();
    let meetings = b.movement().meetings().to_vec();
    let decisions = b.movement().decisions().len();
    let result = attempt(b);
    assert_eq!(code(result), expected);
    assert_eq!(
        b.movement().event_count(),
        before,
        "a refusal records nothing"
    );
    assert_eq!(b.movement().meetings(), meetings.as_slice());
    assert_eq!(b.movement().decisions().len(), decisions);
}

fn unit_meeting(b: &MovementBuilder, unit: &str) -> MeetingKind {
    MeetingKind::Unit(b.unit(unit))
}

/// The Coordination meets on 2026-06-18 18:00–21:00, convened by Awa on 2026-06-15.
fn convene_coordination(b: &mut MovementBuilder, key: &str, agenda: Vec<AgendaItem>) {
    let kind = unit_meeting(b, "Coordination");
    b.convene(
        key,
        kind,
        "2026-06-18T18:00",
        "2026-06-18T21:00",
        "Local du collectif",
        agenda,
        "Awa",
        "2026-06-15",
    )
    .unwrap();
}

/// An Agora on 2026-07-02 14:00–18:00, convened by Awa on 2026-06-16 (sixteen days ahead).
fn convene_agora(b: &mut MovementBuilder, key: &str, agenda: Vec<AgendaItem>) {
    b.convene(
        key,
        MeetingKind::Agora,
        "2026-07-02T14:00",
        "2026-07-02T18:00",
        "Salle des fêtes",
        agenda,
        "Awa",
        "2026-06-16",
    )
    .unwrap();
}

fn sign_all(b: &mut MovementBuilder, meeting: &str, who: &[&str], at: &str) {
    for w in who {
        b.sign(meeting, w, at).unwrap();
    }
}

/// The takeover of the issue, as one request: Léo, who holds nothing, records a decision "of
/// the Agora" alone, revoking Awa's mandate, removing consultations, lengthening mandates and
/// giving himself the Coordination until 2035.
#[test]
fn r10_a_member_alone_cannot_speak_as_the_agora() {
    let mut b = tilleuls();
    let mut loose = governance_core::demo::settings();
    loose.required_consultations.clear();
    loose.max_mandate_months = 120;
    let awa = b.revoke("awa");
    let leo = b.member("Léo");
    let coordination = b.unit("Coordination");
    let forever = Effect::AssignMandate(NewMandate {
        id: governance_core::MandateId::from_u128(0x1E0),
        holder: leo,
        unit: coordination,
        scope: Scope::AllDomains,
        role: Role::Referent,
        period: Period::new(date("2026-06-15"), date("2035-01-01")).unwrap(),
    });
    let effects = vec![awa, Effect::ChangeSettings(Box::new(loose)), forever];
    let before = b.movement().authority_map(date("2026-06-16"));
    for meeting in [None, Some("assemblee-fondatrice"), Some("agora-juin")] {
        let expected = if meeting.is_none() {
            ErrorCode::MeetingRequired
        } else {
            // The founding assembly and the June Agora have closed their relevé.
            ErrorCode::MinutesClosed
        };
        let effects = effects.clone();
        refused(&mut b, expected, |b| {
            b.decision_draft("coup", "Agora", "règles", "Nouvelles règles", "2026-06-15")
                .by_body(meeting, &["Léo"])
                .impact(Impact::MovementWide)
                .effects(effects)
                .record()
                .map(|_| ())
        });
    }
    assert_eq!(b.movement().authority_map(date("2026-06-16")), before);
}

#[test]
fn r10_listing_members_who_never_signed_is_refused() {
    let mut b = tilleuls();
    convene_coordination(&mut b, "c", vec![]);
    sign_all(&mut b, "c", &["Awa", "Bruno"], "2026-06-18T18:00");
    // Bruno lists Karima, who is in the college but never came, to look more numerous.
    refused(&mut b, ErrorCode::NotAnAttendee, |b| {
        b.decision_draft("x", "Coordination", "budget", "Budget", "2026-06-18T19:00")
            .by_body(Some("c"), &["Bruno", "Awa", "Karima"])
            .record()
            .map(|_| ())
    });
    // Or leaves Awa out, so that only he carries it.
    refused(&mut b, ErrorCode::NotAnAttendee, |b| {
        b.decision_draft("x", "Coordination", "budget", "Budget", "2026-06-18T19:00")
            .by_body(Some("c"), &["Bruno"])
            .record()
            .map(|_| ())
    });
    // A secretary who did not sign cannot record for the meeting.
    refused(&mut b, ErrorCode::NotAnAttendee, |b| {
        b.decision_draft("x", "Coordination", "budget", "Budget", "2026-06-18T19:00")
            .in_meeting("c", "Karima")
            .record()
            .map(|_| ())
    });
    let id = b
        .decision_draft("x", "Coordination", "budget", "Budget", "2026-06-18T19:00")
        .in_meeting("c", "Bruno")
        .record()
        .expect("exactly the signed participants, recorded by one of them");
    let d = b.movement().decision(id).unwrap();
    assert_eq!(d.responsible(), vec![b.member("Awa"), b.member("Bruno")]);
}

#[test]
fn r8_r10_a_holder_cannot_turn_a_personal_decision_into_a_one_person_group() {
    let mut b = tilleuls();
    // Gaspard must consult twice before spending; as a "group" of one he would not.
    let kind = unit_meeting(&b, "Pôle Finances et Logistique");
    b.convene(
        "finances",
        kind,
        "2026-06-18T18:00",
        "2026-06-18T19:00",
        "Local",
        vec![],
        "Gaspard",
        "2026-06-15",
    )
    .unwrap();
    b.sign("finances", "Gaspard", "2026-06-18T18:00").unwrap();
    let attendance = b
        .movement()
        .attendance(b.meeting("finances"), date("2026-06-18T18:30"))
        .unwrap();
    assert_eq!(attendance.college, vec![b.member("Gaspard")]);
    assert_eq!(attendance.quorum, 2, "a group is at least two people");
    refused(&mut b, ErrorCode::QuorumNotReached, |b| {
        b.decision_draft(
            "x",
            "Pôle Finances et Logistique",
            "dépenses",
            "Location de salle, 2 000 €",
            "2026-06-18T18:30",
        )
        .in_meeting("finances", "Gaspard")
        .record()
        .map(|_| ())
    });
    // Alone, he is a holder, and R8 applies.
    refused(&mut b, ErrorCode::ConsultationRequired, |b| {
        b.decision_draft(
            "x",
            "Pôle Finances et Logistique",
            "dépenses",
            "Location de salle, 2 000 €",
            "2026-06-18T18:30",
        )
        .by("Gaspard")
        .record()
        .map(|_| ())
    });
}

#[test]
fn r10_a_meeting_convened_by_someone_not_entitled_is_refused() {
    let mut b = tilleuls();
    for (who, unit) in [
        ("Léo", "Coordination"),
        ("Gaspard", "Pôle Mobilisation"),
        // Hélène is a referent, but of a Comité: not of the Pôle above it.
        ("Hélène", "Pôle Mobilisation"),
        // Élise has not committed to her mandate: it grants nothing yet (R4).
        ("Élise", "Pôle Communication"),
    ] {
        let kind = unit_meeting(&b, unit);
        refused(&mut b, ErrorCode::NotEntitled, |b| {
            b.convene(
                "x",
                kind,
                "2026-06-20T18:00",
                "2026-06-20T20:00",
                "Local",
                vec![],
                who,
                "2026-06-15",
            )
        });
    }
    // A Gouvernance meeting belongs to the Coordination: Karima cannot convene it either.
    refused(&mut b, ErrorCode::NotEntitled, |b| {
        b.convene(
            "x",
            MeetingKind::Gouvernance,
            "2026-06-20T18:00",
            "2026-06-20T20:00",
            "Local",
            vec![],
            "Karima",
            "2026-06-15",
        )
    });
}

#[test]
fn r10_a_meeting_convened_without_notice_is_refused() {
    let mut b = tilleuls();
    let kind = unit_meeting(&b, "Coordination");
    refused(&mut b, ErrorCode::NoticeTooShort, |b| {
        b.convene(
            "x",
            kind,
            "2026-06-16T18:00",
            "2026-06-16T20:00",
            "Local",
            vec![],
            "Awa",
            "2026-06-15",
        )
    });
    // Fifteen days for the Agora: ten are not enough.
    refused(&mut b, ErrorCode::NoticeTooShort, |b| {
        b.convene(
            "x",
            MeetingKind::Agora,
            "2026-06-25T14:00",
            "2026-06-25T18:00",
            "Salle",
            vec![],
            "Awa",
            "2026-06-15",
        )
    });
    // Nor in the past, nor for a week-long "meeting" that stays open to signatures.
    refused(&mut b, ErrorCode::Validation, |b| {
        b.convene(
            "x",
            kind,
            "2026-06-10T18:00",
            "2026-06-10T20:00",
            "Local",
            vec![],
            "Awa",
            "2026-06-15",
        )
    });
    refused(&mut b, ErrorCode::Validation, |b| {
        b.convene(
            "x",
            kind,
            "2026-06-20T18:00",
            "2026-06-27T18:00",
            "Local",
            vec![],
            "Awa",
            "2026-06-15",
        )
    });
}

#[test]
fn r10_attendance_is_signed_by_each_attendee_never_declared_by_another() {
    let mut b = tilleuls();
    convene_coordination(&mut b, "c", vec![]);
    b.sign("c", "Awa", "2026-06-18T18:00").unwrap();
    let (meeting, awa, bruno) = (b.meeting("c"), b.member("Awa"), b.member("Bruno"));
    refused(&mut b, ErrorCode::SignatureNotOwn, |b| {
        b.apply(Event::AttendanceSigned {
            meeting,
            member: bruno,
            by: awa,
            at: date("2026-06-18T18:01"),
        })
    });
    // The former way, one attendee declaring the list, is no longer accepted.
    refused(&mut b, ErrorCode::Validation, |b| {
        b.apply(Event::MeetingHeld {
            meeting,
            attendees: vec![awa, bruno],
            by: awa,
            at: date("2026-06-18T18:01"),
        })
    });
    // Signing happens during the meeting only, and once.
    refused(&mut b, ErrorCode::Conflict, |b| {
        b.sign("c", "Awa", "2026-06-18T18:02")
    });
    refused(&mut b, ErrorCode::MeetingNotHeld, |b| {
        b.sign("c", "Bruno", "2026-06-18T21:00")
    });
}

#[test]
fn r10_a_signature_before_the_meeting_starts_is_refused() {
    let mut b = tilleuls();
    convene_coordination(&mut b, "c", vec![]);
    refused(&mut b, ErrorCode::MeetingNotHeld, |b| {
        b.sign("c", "Awa", "2026-06-17T18:00")
    });
}

#[test]
fn r10_proxies_are_capped_never_chained_and_given_before_the_start() {
    let mut b = tilleuls();
    convene_coordination(&mut b, "c", vec![]);
    convene_agora(
        &mut b,
        "a",
        vec![AgendaItem::Domain(domain("budget annuel"))],
    );
    b.proxy("a", "Fatou", "Awa", "2026-06-20").unwrap();
    // One proxy per holder at the Agora by default.
    refused(&mut b, ErrorCode::ProxyRefused, |b| {
        b.proxy("a", "Léo", "Awa", "2026-06-20T01:00")
    });
    // No chain: Awa carries Fatou's, so she cannot give hers; and nobody gives theirs to
    // Fatou, who gave hers away.
    refused(&mut b, ErrorCode::ProxyRefused, |b| {
        b.proxy("a", "Awa", "Bruno", "2026-06-20T02:00")
    });
    refused(&mut b, ErrorCode::ProxyRefused, |b| {
        b.proxy("a", "Léo", "Fatou", "2026-06-20T03:00")
    });
    // Nobody gives a proxy twice, or to themselves, or in someone else's name.
    refused(&mut b, ErrorCode::ProxyRefused, |b| {
        b.proxy("a", "Fatou", "Bruno", "2026-06-20T04:00")
    });
    refused(&mut b, ErrorCode::ProxyRefused, |b| {
        b.proxy("a", "Léo", "Léo", "2026-06-20T05:00")
    });
    let (meeting, leo, julien) = (b.meeting("a"), b.member("Léo"), b.member("Julien"));
    refused(&mut b, ErrorCode::SignatureNotOwn, |b| {
        b.apply(Event::ProxyGiven {
            meeting,
            from: leo,
            to: julien,
            by: julien,
            at: date("2026-06-20T06:00"),
        })
    });
    // After the start, too late to give or withdraw.
    refused(&mut b, ErrorCode::ProxyRefused, |b| {
        b.proxy("a", "Léo", "Bruno", "2026-07-02T14:00")
    });
    refused(&mut b, ErrorCode::ProxyRefused, |b| {
        b.withdraw_proxy("a", "Fatou", "2026-07-02T14:30")
    });
    // Below the Agora, no proxies by default.
    refused(&mut b, ErrorCode::ProxyRefused, |b| {
        b.proxy("c", "Karima", "Awa", "2026-07-02T15:00")
    });
}

#[test]
fn r10_a_withdrawn_proxy_does_not_count_and_a_present_giver_counts_once() {
    let mut b = tilleuls();
    convene_agora(&mut b, "a", vec![]);
    b.proxy("a", "Fatou", "Awa", "2026-06-20").unwrap();
    b.proxy("a", "Léo", "Bruno", "2026-06-20").unwrap();
    b.withdraw_proxy("a", "Léo", "2026-06-21").unwrap();
    sign_all(&mut b, "a", &["Awa", "Bruno", "Fatou"], "2026-07-02T14:00");
    let a = b
        .movement()
        .attendance(b.meeting("a"), date("2026-07-02T15:00"))
        .unwrap();
    assert!(a.represented.is_empty(), "{a:?}");
    assert_eq!(a.count(), 3);
}

#[test]
fn r10_a_quorum_missed_by_one_person_is_refused() {
    let mut b = tilleuls();
    convene_agora(
        &mut b,
        "a",
        vec![AgendaItem::Domain(domain("budget annuel"))],
    );
    // Twelve members: the quarter is three. Two sign.
    sign_all(&mut b, "a", &["Awa", "Bruno"], "2026-07-02T14:00");
    refused(&mut b, ErrorCode::QuorumNotReached, |b| {
        b.decision_draft(
            "x",
            "Agora",
            "budget annuel",
            "Budget rectificatif",
            "2026-07-02T15:00",
        )
        .in_meeting("a", "Awa")
        .record()
        .map(|_| ())
    });
    // A guest of the college does not exist at the Agora (all members belong), but a
    // proxy whose holder did not come does not count either.
    b.sign("a", "Chloé", "2026-07-02T15:30").unwrap();
    b.decision_draft(
        "x",
        "Agora",
        "budget annuel",
        "Budget rectificatif",
        "2026-07-02T15:31",
    )
    .in_meeting("a", "Awa")
    .record()
    .expect("three of twelve reach a quarter");
}

#[test]
fn r10_the_demo_pole_meeting_missed_its_quorum_and_its_decision_is_refused() {
    let mut b = tilleuls();
    // Chloé alone of the three holders of the Pôle and its Comités.
    refused(&mut b, ErrorCode::QuorumNotReached, |b| {
        let at = "2026-06-15";
        b.decision_draft("y", "Pôle Mobilisation", "actions", "Actions d'été", at)
            .in_meeting("mobilisation-juin", "Chloé")
            .record()
            .map(|_| ())
    });
}

#[test]
fn r10_guests_sign_but_neither_count_nor_decide() {
    let mut b = tilleuls();
    convene_coordination(&mut b, "c", vec![]);
    // Awa and four members without a Coordination mandate.
    sign_all(
        &mut b,
        "c",
        &["Awa", "Léo", "Julien", "Gaspard", "Djamel"],
        "2026-06-18T18:00",
    );
    let a = b
        .movement()
        .attendance(b.meeting("c"), date("2026-06-18T19:00"))
        .unwrap();
    assert_eq!(a.present, vec![b.member("Awa")]);
    assert_eq!(a.guests.len(), 4);
    refused(&mut b, ErrorCode::QuorumNotReached, |b| {
        b.decision_draft("x", "Coordination", "budget", "Budget", "2026-06-18T19:00")
            .in_meeting("c", "Awa")
            .record()
            .map(|_| ())
    });
    refused(&mut b, ErrorCode::NotAnAttendee, |b| {
        b.decision_draft("x", "Coordination", "budget", "Budget", "2026-06-18T19:00")
            .by_body(Some("c"), &["Léo", "Julien"])
            .record()
            .map(|_| ())
    });
}

#[test]
fn r9_r10_the_agora_decides_only_on_its_published_agenda() {
    let mut b = tilleuls();
    convene_agora(
        &mut b,
        "a",
        vec![AgendaItem::Domain(domain("budget annuel"))],
    );
    // Nobody but those entitled fills the agenda.
    refused(&mut b, ErrorCode::NotEntitled, |b| {
        b.add_item(
            "a",
            AgendaItem::Domain(domain("règles")),
            "Léo",
            "2026-06-16T12:00",
        )
    });
    // Added after the notice deadline (2026-06-17), the charter is not on the published agenda.
    b.add_item(
        "a",
        AgendaItem::Domain(domain("charte")),
        "Awa",
        "2026-06-30",
    )
    .unwrap();
    sign_all(&mut b, "a", &["Awa", "Bruno", "Chloé"], "2026-07-02T14:00");
    refused(&mut b, ErrorCode::NotOnAgenda, |b| {
        b.decision_draft(
            "x",
            "Agora",
            "charte",
            "Nouvelle charte",
            "2026-07-02T15:00",
        )
        .in_meeting("a", "Awa")
        .record()
        .map(|_| ())
    });
    b.decision_draft(
        "y",
        "Agora",
        "budget annuel",
        "Budget 2027",
        "2026-07-02T15:00",
    )
    .in_meeting("a", "Awa")
    .record()
    .expect("on the agenda published with the convocation");
}

#[test]
fn r19_other_bodies_decide_on_the_rules_only_when_the_agenda_says_so() {
    let mut b = tilleuls();
    convene_coordination(&mut b, "c", vec![]);
    sign_all(&mut b, "c", &["Awa", "Bruno"], "2026-06-18T18:00");
    let mut shorter = governance_core::demo::settings();
    shorter.max_mandate_months = 6;
    refused(&mut b, ErrorCode::NotOnAgenda, |b| {
        b.decision_draft(
            "x",
            "Coordination",
            "règles",
            "Mandats courts",
            "2026-06-18T19:00",
        )
        .in_meeting("c", "Awa")
        .effect(Effect::ChangeSettings(Box::new(shorter.clone())))
        .record()
        .map(|_| ())
    });
    // Other matters may be added in session.
    b.decision_draft(
        "y",
        "Coordination",
        "budget",
        "Budget d'été",
        "2026-06-18T19:00",
    )
    .in_meeting("c", "Awa")
    .record()
    .expect("the Coordination adds items in session");
}

#[test]
fn r19_settings_that_protect_meetings_change_only_in_the_agora() {
    let mut b = tilleuls();
    convene_coordination(&mut b, "c", vec![AgendaItem::Domain(domain("règles"))]);
    convene_agora(&mut b, "a", vec![AgendaItem::Domain(domain("règles"))]);
    sign_all(&mut b, "c", &["Awa", "Bruno"], "2026-06-18T18:00");
    let mut easy = governance_core::demo::settings();
    easy.meetings.unit_quorum = governance_core::Fraction::new(1, 100);
    easy.meetings.unit_notice_days = 0;
    refused(&mut b, ErrorCode::EscalationRequired, |b| {
        b.decision_draft(
            "x",
            "Coordination",
            "règles",
            "Quorum réduit",
            "2026-06-18T19:00",
        )
        .in_meeting("c", "Awa")
        .effect(Effect::ChangeSettings(Box::new(easy.clone())))
        .record()
        .map(|_| ())
    });
    let mut unreserved = governance_core::demo::settings();
    unreserved.agora_domains.clear();
    refused(&mut b, ErrorCode::EscalationRequired, |b| {
        b.decision_draft(
            "x",
            "Coordination",
            "règles",
            "Charte libre",
            "2026-06-18T19:00",
        )
        .in_meeting("c", "Awa")
        .effect(Effect::ChangeSettings(Box::new(unreserved)))
        .record()
        .map(|_| ())
    });
    // Awa, referent over every Coordination domain, cannot do it alone either.
    refused(&mut b, ErrorCode::MeetingRequired, |b| {
        b.decision_draft(
            "x",
            "Coordination",
            "règles",
            "Quorum réduit",
            "2026-06-18T19:00",
        )
        .by("Awa")
        .consulted(
            "Bruno",
            "2026-06-18T18:30",
            governance_core::Stance::Support,
            "Oui.",
        )
        .consulted(
            "Karima",
            "2026-06-18T18:30",
            governance_core::Stance::Support,
            "Oui.",
        )
        .effect(Effect::ChangeSettings(Box::new(easy.clone())))
        .record()
        .map(|_| ())
    });
    // The Agora can.
    sign_all(&mut b, "a", &["Awa", "Bruno", "Chloé"], "2026-07-02T14:00");
    b.decision_draft("y", "Agora", "règles", "Quorum réduit", "2026-07-02T15:00")
        .in_meeting("a", "Awa")
        .effect(Effect::ChangeSettings(Box::new(easy)))
        .record()
        .expect("the Agora changes how meetings decide");
}

#[test]
fn r10_nothing_is_added_to_a_meeting_after_its_releve_is_closed() {
    let mut b = tilleuls();
    convene_coordination(&mut b, "c", vec![]);
    sign_all(&mut b, "c", &["Awa", "Bruno"], "2026-06-18T18:00");
    b.decision_draft("x", "Coordination", "budget", "Budget", "2026-06-18T19:00")
        .in_meeting("c", "Bruno")
        .record()
        .unwrap();
    // Only the chair (Awa convened it and signed) or a secretary closes it.
    refused(&mut b, ErrorCode::NotAnAttendee, |b| {
        b.close_minutes("c", "Karima", "2026-06-18T21:00")
    });
    b.close_minutes("c", "Bruno", "2026-06-18T21:00").unwrap();
    refused(&mut b, ErrorCode::MinutesClosed, |b| {
        b.decision_draft("y", "Coordination", "budget", "Ajout", "2026-06-18T21:30")
            .in_meeting("c", "Awa")
            .record()
            .map(|_| ())
    });
    refused(&mut b, ErrorCode::MinutesClosed, |b| {
        b.close_minutes("c", "Awa", "2026-06-18T22:00")
    });
    // Without closing, the relevé closes itself a week after the end.
    let (kind, later) = (unit_meeting(&b, "Coordination"), "2026-06-22T18:00");
    b.convene(
        "e",
        kind,
        later,
        "2026-06-22T20:00",
        "Local",
        vec![],
        "Awa",
        "2026-06-19",
    )
    .unwrap();
    sign_all(&mut b, "e", &["Awa", "Bruno"], later);
    refused(&mut b, ErrorCode::MinutesClosed, |b| {
        b.decision_draft("z", "Coordination", "budget", "Très tard", "2026-07-01")
            .in_meeting("e", "Awa")
            .record()
            .map(|_| ())
    });
}

#[test]
fn r10_a_decision_needs_a_started_meeting_of_its_own_unit() {
    let mut b = tilleuls();
    convene_coordination(&mut b, "c", vec![]);
    // Before it starts.
    refused(&mut b, ErrorCode::MeetingNotHeld, |b| {
        b.decision_draft("x", "Coordination", "budget", "Budget", "2026-06-17")
            .in_meeting("c", "Awa")
            .record()
            .map(|_| ())
    });
    sign_all(&mut b, "c", &["Awa", "Bruno"], "2026-06-18T18:00");
    // A Coordination meeting does not decide for a Pôle, nor for the Agora.
    refused(&mut b, ErrorCode::MeetingWrongUnit, |b| {
        b.decision_draft(
            "x",
            "Pôle Mobilisation",
            "actions",
            "Actions",
            "2026-06-18T19:00",
        )
        .in_meeting("c", "Awa")
        .record()
        .map(|_| ())
    });
    refused(&mut b, ErrorCode::MeetingWrongUnit, |b| {
        b.decision_draft("x", "Agora", "budget annuel", "Budget", "2026-06-18T19:00")
            .in_meeting("c", "Awa")
            .record()
            .map(|_| ())
    });
}

#[test]
fn r10_an_agora_petition_convenes_only_with_enough_signatures_each_signing_for_themselves() {
    let mut b = tilleuls();
    // Léo holds nothing: his convocation of the Agora opens a petition.
    b.convene(
        "p",
        MeetingKind::Agora,
        "2026-07-10T14:00",
        "2026-07-10T18:00",
        "Parc des Tilleuls",
        vec![AgendaItem::Domain(domain("charte"))],
        "Léo",
        "2026-06-15",
    )
    .unwrap();
    let meeting = b.meeting("p");
    assert!(b.movement().meeting(meeting).unwrap().convened_at.is_none());
    // Not convened: nobody signs in, nobody decides.
    refused(&mut b, ErrorCode::MeetingNotConvened, |b| {
        b.sign("p", "Léo", "2026-07-10T14:00")
    });
    let (leo, julien) = (b.member("Léo"), b.member("Julien"));
    refused(&mut b, ErrorCode::SignatureNotOwn, |b| {
        b.apply(Event::PetitionSigned {
            meeting,
            member: julien,
            by: leo,
            at: date("2026-06-16"),
        })
    });
    refused(&mut b, ErrorCode::Conflict, |b| {
        b.sign_petition("p", "Léo", "2026-06-16")
    });
    b.sign_petition("p", "Julien", "2026-06-16").unwrap();
    assert!(b.movement().meeting(meeting).unwrap().convened_at.is_none());
    // The third of twelve reaches a quarter: convened then, with 24 days' notice.
    b.sign_petition("p", "Djamel", "2026-06-16T12:00").unwrap();
    assert_eq!(
        b.movement().meeting(meeting).unwrap().convened_at,
        Some(date("2026-06-16T12:00"))
    );
}

#[test]
fn r10_a_petition_completed_too_late_for_the_notice_does_not_convene() {
    let mut b = tilleuls();
    b.convene(
        "p",
        MeetingKind::Agora,
        "2026-07-01T14:00",
        "2026-07-01T18:00",
        "Parc",
        vec![],
        "Léo",
        "2026-06-14",
    )
    .unwrap();
    b.sign_petition("p", "Julien", "2026-06-15").unwrap();
    refused(&mut b, ErrorCode::NoticeTooShort, |b| {
        b.sign_petition("p", "Djamel", "2026-06-20")
    });
}

#[test]
fn r9_an_escalated_proposal_waits_in_the_inbox_until_its_body_answers_it_once() {
    let mut b = tilleuls();
    let m = b.movement();
    let coordination = m.coordination().unwrap();
    let inbox: Vec<&str> = m
        .inbox(coordination, date("2026-06-15"))
        .iter()
        .map(|e| e.proposal.title.as_str())
        .collect();
    assert_eq!(
        inbox,
        ["Fête de quartier ouverte à tous les collectifs du quartier"]
    );
    let djamel = &m.escalations()[0];
    assert_eq!(
        djamel.answered.map(|a| a.0),
        Some(b.decision("reponse-tournees-communes"))
    );
    // A decision within one's own mandate is recorded, not escalated.
    refused(&mut b, ErrorCode::Validation, |b| {
        b.decision_draft("x", "Comité Événements", "lieux", "Salle", "2026-06-15")
            .by("Hélène")
            .escalate("x")
            .map(|_| ())
    });
    // Nor is what the holder may not decide for another reason (R5).
    refused(&mut b, ErrorCode::OutOfScope, |b| {
        b.decision_draft("x", "Pôle Communication", "presse", "Presse", "2026-06-15")
            .by("Gaspard")
            .impact(Impact::MovementWide)
            .escalate("x")
            .map(|_| ())
    });
    // Only the body it went to answers it, in a meeting: not a Pôle's holder, and not twice.
    refused(&mut b, ErrorCode::MeetingRequired, |b| {
        b.decision_draft(
            "x",
            "Pôle Mobilisation",
            "événements",
            "Réponse",
            "2026-06-15",
        )
        .by("Chloé")
        .answers_escalation("fete-ouverte")
        .record()
        .map(|_| ())
    });
    let item = AgendaItem::Escalation(b.escalation("fete-ouverte"));
    convene_coordination(&mut b, "c", vec![item]);
    sign_all(&mut b, "c", &["Awa", "Bruno"], "2026-06-18T18:00");
    b.decision_draft(
        "y",
        "Coordination",
        "communication externe",
        "Les collectifs voisins sont invités à la fête",
        "2026-06-18T19:00",
    )
    .in_meeting("c", "Awa")
    .impact(Impact::MovementWide)
    .answers_escalation("fete-ouverte")
    .record()
    .unwrap();
    assert!(
        b.movement()
            .inbox(coordination, date("2026-06-18T19:00"))
            .is_empty()
    );
    assert_eq!(
        b.movement()
            .inbox(coordination, date("2026-06-18T18:59"))
            .len(),
        1
    );
    refused(&mut b, ErrorCode::Conflict, |b| {
        b.decision_draft("z", "Coordination", "budget", "Encore", "2026-06-18T19:30")
            .in_meeting("c", "Awa")
            .answers_escalation("fete-ouverte")
            .record()
            .map(|_| ())
    });
}

#[test]
fn r2_the_cadence_says_when_meetings_are_due_and_which_are_overdue() {
    let b = tilleuls();
    let m = b.movement();
    let cadence = m.meeting_cadence(date("2026-06-15"));
    let fonctionnement = &cadence[0];
    assert_eq!(fonctionnement.kind, MeetingKind::Fonctionnement);
    assert_eq!(fonctionnement.last_held, Some(date("2026-05-05T18:30")));
    assert_eq!(fonctionnement.due_at, date("2026-07-05T18:30"));
    assert_eq!(
        fonctionnement.next_convened,
        Some(b.meeting("fonctionnement-juillet"))
    );
    assert!(!fonctionnement.overdue);
    // No Gouvernance meeting since the founding: due three months after, overdue now.
    let gouvernance = &cadence[1];
    assert_eq!(gouvernance.kind, MeetingKind::Gouvernance);
    assert_eq!(gouvernance.last_held, None);
    assert_eq!(gouvernance.due_at, date("2026-04-10"));
    assert!(gouvernance.overdue);
}

#[test]
fn r10_the_demo_shows_a_proxy_a_guest_and_a_missed_quorum() {
    let b = tilleuls();
    let m = b.movement();
    let agora = m
        .attendance(b.meeting("agora-juin"), date("2026-06-01T16:00"))
        .unwrap();
    assert_eq!(
        agora.represented,
        vec![(b.member("Fatou"), b.member("Awa"))]
    );
    assert_eq!((agora.count(), agora.quorum), (6, 3));
    let avril = m
        .attendance(b.meeting("coordination-avril"), date("2026-04-20T15:00"))
        .unwrap();
    assert_eq!(avril.guests, vec![b.member("Gaspard")]);
    let mobilisation = m
        .attendance(b.meeting("mobilisation-juin"), date("2026-06-11T19:00"))
        .unwrap();
    assert_eq!((mobilisation.count(), mobilisation.quorum), (1, 2));
    assert!(!mobilisation.has_quorum());
}
