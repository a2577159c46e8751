//! Escalated proposals (R9): a holder's decision refused because it reaches wider than their
//! perimeter is stored, with its consultations and route, in the inbox of the body at the end of
//! the route (the Coordination or the Agora), until a decision of that body answers it.

use crate::decision::DecisionDraft;
use crate::denial::EscalationStep;
use crate::id::{DecisionId, EscalationId, MemberId, UnitId};
use crate::settings::EscalationBody;
use crate::time::Instant;

/// A holder asks to escalate a proposal the engine refused with `ESCALATION_REQUIRED`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationRequest {
    pub id: EscalationId,
    /// The decision as the holder proposed it; its `decided_at` is the escalation's instant.
    pub proposal: DecisionDraft,
    pub by: MemberId,
}

/// A proposal waiting in (or answered from) a body's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub id: EscalationId,
    pub proposal: DecisionDraft,
    pub by: MemberId,
    pub at: Instant,
    pub to: EscalationBody,
    /// The unit whose inbox holds it.
    pub body: UnitId,
    pub route: Vec<EscalationStep>,
    /// The decision that answered it, and when.
    pub answered: Option<(DecisionId, Instant)>,
}

impl Escalation {
    /// Whether it waits for an answer at `at`.
    pub fn is_open_at(&self, at: Instant) -> bool {
        self.at <= at && self.answered.is_none_or(|(_, when)| when > at)
    }
}

/// Why an escalation, or an answer to one, was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EscalationError {
    #[error("escalation {0} does not exist")]
    Unknown(EscalationId),
    #[error("escalation {0} already exists")]
    Duplicate(EscalationId),
    #[error("only the holder who proposed a decision escalates it")]
    NotTheProposer,
    #[error("this decision is within the proposer's authority: record it instead")]
    NothingToEscalate,
    #[error("escalation {0} was already answered")]
    AlreadyAnswered(EscalationId),
    #[error("escalation {0} is answered by a decision of the body it went to")]
    WrongBody(EscalationId),
}
