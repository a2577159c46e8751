//! The ordered log of governance events. The state of a movement is what replaying its log
//! gives; every event carries its instant and the log only grows forward in time, so a past
//! date is always answered as it was at that date.

use crate::account::AccountReport;
use crate::decision::DecisionDraft;
use crate::id::{DecisionId, MandateId, MeetingId, MemberId, TensionId};
use crate::meeting::MeetingKind;
use crate::tension::{Space, TensionSubject};
use crate::text::{Label, Text};
use crate::time::Instant;

/// A tension as raised, before the engine routes and checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTension {
    pub id: TensionId,
    pub raised_by: MemberId,
    pub raised_at: Instant,
    pub subject: TensionSubject,
    /// The space chosen by the raiser; `None` routes it by default.
    pub space: Option<Space>,
    pub title: Label,
    pub description: Text,
}

/// One event of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A decision is recorded, with its effects.
    Decision(Box<DecisionDraft>),
    /// A holder formally commits to their mandate (R4).
    Commitment {
        mandate: MandateId,
        member: MemberId,
        at: Instant,
    },
    TensionRaised(NewTension),
    TensionScheduled {
        tension: TensionId,
        meeting: MeetingId,
        by: MemberId,
        at: Instant,
    },
    TensionProcessed {
        tension: TensionId,
        by: MemberId,
        at: Instant,
        outcome: Text,
        decisions: Vec<DecisionId>,
    },
    TensionWithdrawn {
        tension: TensionId,
        by: MemberId,
        at: Instant,
    },
    MeetingScheduled {
        meeting: MeetingId,
        kind: MeetingKind,
        held_at: Instant,
        by: MemberId,
        at: Instant,
    },
    /// A meeting took place; `by`, one of the attendees, records who attended.
    MeetingHeld {
        meeting: MeetingId,
        attendees: Vec<MemberId>,
        by: MemberId,
        at: Instant,
    },
    AccountReported(AccountReport),
}

impl Event {
    /// The instant the event happened, which orders the log.
    pub fn at(&self) -> Instant {
        match self {
            Event::Decision(d) => d.decided_at,
            Event::Commitment { at, .. }
            | Event::TensionScheduled { at, .. }
            | Event::TensionProcessed { at, .. }
            | Event::TensionWithdrawn { at, .. }
            | Event::MeetingScheduled { at, .. }
            | Event::MeetingHeld { at, .. } => *at,
            Event::TensionRaised(t) => t.raised_at,
            Event::AccountReported(r) => r.submitted_at,
        }
    }

    /// A short stable name, for logs and the audit trail.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Event::Decision(_) => "decision",
            Event::Commitment { .. } => "commitment",
            Event::TensionRaised(_) => "tension_raised",
            Event::TensionScheduled { .. } => "tension_scheduled",
            Event::TensionProcessed { .. } => "tension_processed",
            Event::TensionWithdrawn { .. } => "tension_withdrawn",
            Event::MeetingScheduled { .. } => "meeting_scheduled",
            Event::MeetingHeld { .. } => "meeting_held",
            Event::AccountReported(_) => "account_reported",
        }
    }
}
