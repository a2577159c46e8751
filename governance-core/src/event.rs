//! The ordered log of governance events. The state of a movement is what replaying its log
//! gives; every event carries its instant and the log only grows forward in time, so a past
//! date is always answered as it was at that date.

use crate::account::AccountReport;
use crate::decision::DecisionDraft;
use crate::escalation::EscalationRequest;
use crate::id::{DecisionId, MandateId, MeetingId, MemberId, TensionId};
use crate::meeting::{AgendaItem, MeetingKind};
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

/// A convocation (R10): who convenes which body, when, where, and on what agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Convocation {
    pub meeting: MeetingId,
    pub kind: MeetingKind,
    pub starts_at: Instant,
    pub ends_at: Instant,
    /// The place, or the link of an online meeting.
    pub place: Label,
    pub agenda: Vec<AgendaItem>,
    pub by: MemberId,
    pub at: Instant,
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
    /// Rules v1 only: a meeting scheduled by any member.
    MeetingScheduled {
        meeting: MeetingId,
        kind: MeetingKind,
        held_at: Instant,
        by: MemberId,
        at: Instant,
    },
    /// Rules v1 only: a meeting took place; `by`, one of the attendees, records who attended.
    MeetingHeld {
        meeting: MeetingId,
        attendees: Vec<MemberId>,
        by: MemberId,
        at: Instant,
    },
    AccountReported(AccountReport),
    /// A meeting is convened, or, for an Agora by someone not entitled, a petition is opened.
    MeetingConvened(Box<Convocation>),
    /// `member` signs the petition for an Agora (`by` is who asks; it must be `member`).
    PetitionSigned {
        meeting: MeetingId,
        member: MemberId,
        by: MemberId,
        at: Instant,
    },
    /// An item is put on a meeting's agenda.
    AgendaItemAdded {
        meeting: MeetingId,
        item: AgendaItem,
        by: MemberId,
        at: Instant,
    },
    /// `member` signs the attendance sheet (`by` must be `member`).
    AttendanceSigned {
        meeting: MeetingId,
        member: MemberId,
        by: MemberId,
        at: Instant,
    },
    /// `from` gives a proxy to `to` before the meeting starts (`by` must be `from`).
    ProxyGiven {
        meeting: MeetingId,
        from: MemberId,
        to: MemberId,
        by: MemberId,
        at: Instant,
    },
    /// `from` withdraws their proxy before the meeting starts (`by` must be `from`).
    ProxyWithdrawn {
        meeting: MeetingId,
        from: MemberId,
        by: MemberId,
        at: Instant,
    },
    /// The chair or a secretary closes the relevé: nothing is added to the meeting after.
    MinutesClosed {
        meeting: MeetingId,
        by: MemberId,
        at: Instant,
    },
    /// A holder escalates a refused proposal to the body at the end of its route (R9).
    Escalated(Box<EscalationRequest>),
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
            | Event::MeetingHeld { at, .. }
            | Event::PetitionSigned { at, .. }
            | Event::AgendaItemAdded { at, .. }
            | Event::AttendanceSigned { at, .. }
            | Event::ProxyGiven { at, .. }
            | Event::ProxyWithdrawn { at, .. }
            | Event::MinutesClosed { at, .. } => *at,
            Event::TensionRaised(t) => t.raised_at,
            Event::AccountReported(r) => r.submitted_at,
            Event::MeetingConvened(c) => c.at,
            Event::Escalated(e) => e.proposal.decided_at,
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
            Event::MeetingConvened(_) => "meeting_convened",
            Event::PetitionSigned { .. } => "petition_signed",
            Event::AgendaItemAdded { .. } => "agenda_item_added",
            Event::AttendanceSigned { .. } => "attendance_signed",
            Event::ProxyGiven { .. } => "proxy_given",
            Event::ProxyWithdrawn { .. } => "proxy_withdrawn",
            Event::MinutesClosed { .. } => "minutes_closed",
            Event::Escalated(_) => "escalated",
        }
    }
}
