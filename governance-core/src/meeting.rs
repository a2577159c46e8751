//! Meetings (R2, R10): Gouvernance and Fonctionnement meetings, unit meetings and the Agora.
//! A meeting has attendees, an agenda of tensions and the decisions taken (the relevé).

use crate::id::{DecisionId, MeetingId, MemberId, TensionId, UnitId};
use crate::tension::Space;
use crate::time::Instant;

/// The kinds of meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingKind {
    Gouvernance,
    /// Every two months by default, where tensions about functioning are handled (R2).
    Fonctionnement,
    /// A meeting of one unit (the Coordination's included).
    Unit(UnitId),
    Agora,
}

impl MeetingKind {
    /// Whether a tension routed to `space` may be put on this meeting's agenda.
    pub fn hosts(&self, space: Space, coordination: Option<UnitId>, agora: Option<UnitId>) -> bool {
        match (self, space) {
            (MeetingKind::Gouvernance, Space::Gouvernance) => true,
            (MeetingKind::Fonctionnement, Space::Fonctionnement) => true,
            (MeetingKind::Agora, Space::Agora) => true,
            (MeetingKind::Unit(u), Space::Coordination) => Some(*u) == coordination,
            (MeetingKind::Unit(u), Space::Agora) => Some(*u) == agora,
            (MeetingKind::Unit(u), Space::Referent(r)) => *u == r,
            _ => false,
        }
    }
}

/// Why a meeting change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeetingError {
    #[error("meeting {0} does not exist")]
    Unknown(MeetingId),
    #[error("meeting {0} already exists")]
    Duplicate(MeetingId),
    #[error("member {member} did not attend meeting {meeting}")]
    NotAnAttendee {
        meeting: MeetingId,
        member: MemberId,
    },
    #[error("meeting {0} has not taken place yet")]
    NotYetHeld(MeetingId),
    #[error("meeting {0} has already taken place")]
    AlreadyHeld(MeetingId),
    #[error("meeting {0} would take place before it is scheduled")]
    InThePast(MeetingId),
}

/// A meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: MeetingId,
    pub kind: MeetingKind,
    pub held_at: Instant,
    pub scheduled_at: Instant,
    pub attendees: Vec<MemberId>,
    pub agenda: Vec<TensionId>,
    /// The relevé de décisions: every decision recorded for this meeting.
    pub decisions: Vec<DecisionId>,
}
