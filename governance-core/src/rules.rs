//! Versions of the rules the engine judges events by. Every stored event carries the version it
//! was recorded under, so a database written by an earlier release replays exactly as it was
//! accepted, while new events are judged by the current rules (ADR 0005).

/// A version of the engine's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RulesVersion {
    /// Before meetings were modelled (releases up to November 2026): a body decision listed its
    /// participants, a meeting was optional, any member scheduled a meeting and one attendee
    /// declared who came.
    V1,
    /// Group decisions only in a convened, signed, quorate meeting of the deciding body (R10).
    V2,
}

impl RulesVersion {
    /// The rules new events are judged by.
    pub const CURRENT: RulesVersion = RulesVersion::V2;

    /// The number stored with each event.
    pub fn number(self) -> u32 {
        match self {
            RulesVersion::V1 => 1,
            RulesVersion::V2 => 2,
        }
    }

    pub fn from_number(n: u32) -> Option<Self> {
        match n {
            1 => Some(RulesVersion::V1),
            2 => Some(RulesVersion::V2),
            _ => None,
        }
    }
}
