//! Tensions (R13, R14): a member's signal that something in how the movement functions could
//! work better. A tension is about a unit, a role or a rule, never about a person, and it is
//! routed to a space where it is processed.

use crate::id::{DecisionId, MeetingId, MemberId, TensionId, UnitId};
use crate::mandate::Role;
use crate::text::{Label, Text};
use crate::time::Instant;

/// What a tension is about. There is deliberately no variant for a person (R14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TensionSubject {
    Unit(UnitId),
    /// A role in a unit, such as the referent of the Comité Accueil.
    Role {
        unit: UnitId,
        role: Role,
    },
    /// A rule of functioning, named in words.
    Rule(Label),
}

/// Where a tension is processed (R2, R13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Space {
    /// The referent of a unit.
    Referent(UnitId),
    Gouvernance,
    Fonctionnement,
    Coordination,
    Agora,
}

/// Where a tension stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TensionStatus {
    Open,
    Scheduled {
        meeting: MeetingId,
    },
    Processed {
        at: Instant,
        outcome: Text,
        decisions: Vec<DecisionId>,
    },
    Withdrawn {
        at: Instant,
    },
}

impl TensionStatus {
    pub fn name(&self) -> &'static str {
        match self {
            TensionStatus::Open => "open",
            TensionStatus::Scheduled { .. } => "scheduled",
            TensionStatus::Processed { .. } => "processed",
            TensionStatus::Withdrawn { .. } => "withdrawn",
        }
    }
}

/// Why a tension change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TensionError {
    #[error("tension {0} does not exist")]
    Unknown(TensionId),
    #[error("tension {0} already exists")]
    Duplicate(TensionId),
    #[error("a tension is about how the movement works, not about a person: it names {name}")]
    NamesAPerson { name: String },
    #[error("a tension in state {from} cannot become {to}")]
    InvalidTransition {
        from: &'static str,
        to: &'static str,
    },
    #[error("only the member who raised tension {0} can withdraw it")]
    NotTheRaiser(TensionId),
    #[error("only the attendees of its meeting, or the referent of its unit, process tension {0}")]
    NotResponsible(TensionId),
    #[error(
        "tension {tension} is on the agenda of meeting {meeting}, which has not taken place yet"
    )]
    MeetingNotHeld {
        tension: TensionId,
        meeting: MeetingId,
    },
    #[error("tension {0} is processed in a meeting: schedule it first")]
    NeedsMeeting(TensionId),
    #[error("meeting {meeting} cannot take tension {tension}: it is not a meeting of that space")]
    WrongSpace {
        tension: TensionId,
        meeting: MeetingId,
    },
}

/// A tension raised by a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tension {
    pub id: TensionId,
    pub raised_by: MemberId,
    pub raised_at: Instant,
    pub subject: TensionSubject,
    pub space: Space,
    pub title: Label,
    pub description: Text,
    pub status: TensionStatus,
    /// Every status with the instant it was reached, oldest first.
    pub history: Vec<(Instant, TensionStatus)>,
}

/// The space a tension goes to when the raiser does not choose: a unit's own referent, and for
/// a rule, the Fonctionnement meeting.
pub fn default_space(subject: &TensionSubject) -> Space {
    match subject {
        TensionSubject::Unit(unit) | TensionSubject::Role { unit, .. } => Space::Referent(*unit),
        TensionSubject::Rule(_) => Space::Fonctionnement,
    }
}
