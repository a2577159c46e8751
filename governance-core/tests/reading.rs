//! R11 and R17 as the core states them once: what a member has to catch up on, what marking it
//! read covers, and which records a reader may see. The API and the store call these functions.

use governance_core::builder::date;
use governance_core::demo::tilleuls;
use governance_core::queries::Reader;
use governance_core::reading::{MarkRead, ReadScope, UnknownDecision};
use governance_core::{DecisionId, MemberId, Visibility};

#[test]
fn r11_catch_up_starts_when_the_member_joined() {
    let b = tilleuls();
    let m = b.movement();
    let at = date("2026-06-15");
    let julien: Vec<&str> = m
        .catch_up_on(b.member("Julien"), at)
        .map(|d| d.title.as_str())
        .collect();
    assert_eq!(julien.first(), Some(&"Adhésion de Julien Petit"));
    let founding = m.decisions()[0].title.as_str();
    assert!(!julien.contains(&founding), "{julien:?}");
    let recorded_since_joining = m
        .decisions()
        .iter()
        .filter(|d| d.decided_at() >= date("2026-05-01T09:00") && d.decided_at() <= at)
        .count();
    assert_eq!(julien.len(), recorded_since_joining);
    // Nothing recorded after the instant asked about is shown.
    assert!(
        m.catch_up_on(b.member("Léo"), date("2026-05-01"))
            .all(|d| d.decided_at() <= date("2026-05-01"))
    );
    // Someone who never joined has nothing to catch up on.
    assert_eq!(m.catch_up_on(MemberId::from_u128(0xDEAD), at).count(), 0);
}

#[test]
fn r11_mark_read_never_reaches_outside_the_catch_up() {
    let b = tilleuls();
    let m = b.movement();
    let at = date("2026-06-15");
    let julien = b.member("Julien");
    let before_joining = m.decisions()[0].id();
    let after_joining = b.decision("adhesion-julien");
    let marked = m
        .marked_read(
            julien,
            at,
            MarkRead::These(&[before_joining, after_joining]),
        )
        .unwrap();
    assert_eq!(marked, [after_joining]);
    assert_eq!(
        m.marked_read(julien, at, MarkRead::UpTo(before_joining))
            .unwrap(),
        Vec::<DecisionId>::new()
    );
    let everything = m.marked_read(julien, at, MarkRead::Everything).unwrap();
    let shown: Vec<DecisionId> = m.catch_up_on(julien, at).map(|d| d.id()).collect();
    assert_eq!(everything, shown);
    let unknown = DecisionId::from_u128(0xAA);
    assert_eq!(
        m.marked_read(julien, at, MarkRead::These(&[after_joining, unknown])),
        Err(UnknownDecision(unknown))
    );
    assert_eq!(
        m.marked_read(julien, at, MarkRead::UpTo(unknown)),
        Err(UnknownDecision(unknown))
    );
}

#[test]
fn r11_mark_read_up_to_the_last_shown_leaves_later_ones_unread() {
    let b = tilleuls();
    let m = b.movement();
    let at = date("2026-06-15");
    let leo = b.member("Léo");
    let shown: Vec<DecisionId> = m.catch_up_on(leo, at).take(3).map(|d| d.id()).collect();
    let marked = m.marked_read(leo, at, MarkRead::UpTo(shown[2])).unwrap();
    assert_eq!(marked, shown);
}

#[test]
fn r17_only_a_member_while_a_member_reads_everything() {
    let b = tilleuls();
    let m = b.movement();
    let julien = Reader::Member(b.member("Julien"));
    assert_eq!(
        m.read_scope(julien, date("2026-04-30")),
        ReadScope::PublishedOnly
    );
    assert_eq!(
        m.read_scope(julien, date("2026-06-15")),
        ReadScope::Everything
    );
    assert_eq!(
        m.read_scope(Reader::Outsider, date("2026-06-15")),
        ReadScope::PublishedOnly
    );
    assert!(ReadScope::PublishedOnly.admits(Visibility::Published));
    assert!(!ReadScope::PublishedOnly.admits(Visibility::Members));
    assert!(ReadScope::Everything.admits(Visibility::Members));
    // A member's catch-up never holds what their scope would hide.
    let stranger = MemberId::from_u128(0xBEEF);
    assert_eq!(
        m.read_scope(Reader::Member(stranger), date("2026-06-15")),
        ReadScope::PublishedOnly
    );
}
