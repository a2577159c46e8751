//! What the authority engine answers: the mandate that allows ([`Competent`]), or a refusal
//! ([`Denial`]) with its reason and the route a decision must take instead. Plain values, so that
//! errors, escalations and messages can hold them without depending on the engine itself.

use crate::code::ErrorCode;
use crate::id::{DecisionId, MandateId, MemberId, UnitId};
use crate::mandate::Role;
use crate::text::Domain;
use crate::time::{Instant, Period};
use crate::unit::UnitKind;

/// A mandate that lets someone decide, with how long it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Competent {
    pub member: MemberId,
    pub mandate: MandateId,
    pub role: Role,
    /// Since when the mandate grants power (start or commitment, whichever is later).
    pub since: Instant,
    /// Until when it grants power, excluded.
    pub until: Instant,
}

impl Competent {
    /// Describes a mandate in force. A mandate in force has no known revocation, so it lasts
    /// until the end of its period; using a revocation recorded later would let a past answer
    /// change afterwards.
    pub(crate) fn new(
        member: MemberId,
        mandate: MandateId,
        role: Role,
        period: Period,
        committed_at: Option<Instant>,
    ) -> Self {
        Self {
            member,
            mandate,
            role,
            // Same as `Mandate::in_force_since`, from the seat's copy of the facts.
            since: committed_at.map_or(period.starts_at(), |c| c.max(period.starts_at())),
            until: period.ends_at(),
        }
    }
}

/// One place a decision can go to: a unit and who may decide there now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationStep {
    pub unit: UnitId,
    pub kind: UnitKind,
    /// For the unit that owns the domain, its competent holders; for the units above it, their
    /// referents, through whom a matter is raised (R9). Empty for the Agora, which decides as
    /// the assembly of all members.
    pub holders: Vec<Competent>,
}

/// Why someone may not decide.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DenialReason {
    #[error("not a member of the movement at that date")]
    NotAMember,
    #[error("unit {unit} does not exist at that date")]
    UnknownUnit { unit: UnitId },
    #[error("holds no mandate")]
    NoMandate,
    #[error("mandate {mandate} is not committed to yet")]
    NotCommitted { mandate: MandateId },
    #[error("mandate {mandate} starts on {starts_at}")]
    NotStarted {
        mandate: MandateId,
        starts_at: Instant,
    },
    #[error("mandate {mandate} expired on {ended_at}")]
    Expired {
        mandate: MandateId,
        ended_at: Instant,
    },
    #[error("mandate {mandate} was revoked on {at} by decision {by}")]
    Revoked {
        mandate: MandateId,
        at: Instant,
        by: DecisionId,
    },
    #[error("{domain} in unit {unit} is outside every mandate held")]
    OutOfScope { unit: UnitId, domain: Domain },
}

impl DenialReason {
    /// The mandate the refusal is about, when there is one (to commit to, or to renew).
    pub fn mandate(&self) -> Option<MandateId> {
        match self {
            DenialReason::NotCommitted { mandate }
            | DenialReason::NotStarted { mandate, .. }
            | DenialReason::Expired { mandate, .. }
            | DenialReason::Revoked { mandate, .. } => Some(*mandate),
            _ => None,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            DenialReason::NotAMember => ErrorCode::NotAMember,
            DenialReason::UnknownUnit { .. } => ErrorCode::NotFound,
            DenialReason::NoMandate => ErrorCode::NoMandate,
            DenialReason::NotCommitted { .. } => ErrorCode::NotCommitted,
            DenialReason::NotStarted { .. } => ErrorCode::MandateNotStarted,
            DenialReason::Expired { .. } => ErrorCode::MandateExpired,
            DenialReason::Revoked { .. } => ErrorCode::MandateRevoked,
            DenialReason::OutOfScope { .. } => ErrorCode::OutOfScope,
        }
    }
}

/// A refusal, with where the decision must go instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct Denial {
    pub reason: DenialReason,
    pub escalate_to: Vec<EscalationStep>,
}

/// The answer to "may this member decide this, here, now?".
pub type Verdict = Result<Competent, Box<Denial>>;
