//! Helpers shared by the core's rule tests: the code of a refusal, and the Agora and
//! Coordination sessions the Collectif des Tilleuls holds after its story's "today".
#![allow(dead_code)] // each test binary uses the helpers it needs

use governance_core::builder::MovementBuilder;
use governance_core::meeting::{AgendaItem, MeetingKind};
use governance_core::{ErrorCode, GovernanceError};

/// The code of a refusal, for one-line assertions.
pub fn code<T: std::fmt::Debug>(r: Result<T, GovernanceError>) -> ErrorCode {
    r.expect_err("this must be refused").code()
}

/// Agora convened 2026-06-16 for 2026-07-02 14:00–18:00 with `agenda`; Awa, Bruno and Chloé sign
/// (a quarter of twelve members: quorum). Decisions from 15:00.
pub fn agora_session(b: &mut MovementBuilder, key: &str, agenda: Vec<AgendaItem>) {
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
    for (who, at) in [
        ("Awa", "2026-07-02T14:00"),
        ("Bruno", "2026-07-02T14:01"),
        ("Chloé", "2026-07-02T14:02"),
    ] {
        b.sign(key, who, at).unwrap();
    }
}

/// The Coordination convened by Awa at `at` for `day` 18:00–21:00 with `agenda`; Awa and Bruno
/// sign at 18:00 and 18:05 (two of a college of three). Decisions from 19:00.
pub fn coordination_session(
    b: &mut MovementBuilder,
    key: &str,
    at: &str,
    day: &str,
    agenda: Vec<AgendaItem>,
) {
    let coordination = b.unit("Coordination");
    b.convene(
        key,
        MeetingKind::Unit(coordination),
        &format!("{day}T18:00"),
        &format!("{day}T21:00"),
        "Local du collectif",
        agenda,
        "Awa",
        at,
    )
    .unwrap();
    b.sign(key, "Awa", &format!("{day}T18:00")).unwrap();
    b.sign(key, "Bruno", &format!("{day}T18:05")).unwrap();
}
