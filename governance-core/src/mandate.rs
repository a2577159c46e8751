//! Mandates (R3–R7): personal, scoped, time-bound authority that grants power only once its
//! holder has formally committed, and that is traceable to the decisions that assigned, renewed
//! or revoked it.

use crate::id::{DecisionId, MandateId, MemberId, UnitId};
use crate::text::Domain;
use crate::time::{Instant, Period};
use std::collections::BTreeSet;

/// What a mandate covers inside its unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every domain the unit has at the instant considered.
    AllDomains,
    /// Only these domains (which must belong to the unit).
    Domains(BTreeSet<Domain>),
}

impl Scope {
    /// Whether the scope covers `domain`, given the unit's domains at that instant.
    pub fn covers(&self, domain: &Domain, unit_domains: &BTreeSet<Domain>) -> bool {
        unit_domains.contains(domain)
            && match self {
                Scope::AllDomains => true,
                Scope::Domains(set) => set.contains(domain),
            }
    }
}

/// The role a mandate gives (R7): referents are facilitators, and decide only within their
/// mandate like any holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Holder,
    Referent,
}

/// A revocation: when, and by which decision (R6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revocation {
    pub at: Instant,
    pub by: DecisionId,
}

/// Where a mandate stands at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MandateStatus {
    /// In its period, committed, not revoked: it grants power.
    InForce,
    /// Assigned but its period has not started.
    NotStarted,
    /// In its period, but the holder has not committed yet (R4).
    PendingCommitment,
    /// Its period is over.
    Expired,
    /// Revoked by a decision.
    Revoked,
}

/// Why a mandate change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MandateError {
    #[error("mandate {0} does not exist")]
    Unknown(MandateId),
    #[error("mandate {0} already exists")]
    Duplicate(MandateId),
    #[error("a mandate may last at most {max_months} months")]
    TooLong { max_months: u32 },
    #[error("a mandate cannot start before the decision that assigns it")]
    Retroactive,
    #[error("domain {domain} is not a domain of the mandate's unit")]
    DomainNotInUnit { domain: Domain },
    #[error("a mandate must cover at least one domain")]
    EmptyScope,
    #[error("the Agora is the assembly of all members: nobody holds it by mandate")]
    InTheAgora,
    #[error("mandate {0} is already revoked")]
    AlreadyRevoked(MandateId),
    #[error("mandate {0} is already over")]
    AlreadyOver(MandateId),
    #[error("mandate {0} is already committed to")]
    AlreadyCommitted(MandateId),
    #[error("only the holder of mandate {0} can commit to it")]
    NotTheHolder(MandateId),
}

/// A mandate: one person's authority over a perimeter for a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mandate {
    pub id: MandateId,
    pub holder: MemberId,
    pub unit: UnitId,
    pub scope: Scope,
    pub role: Role,
    pub period: Period,
    /// The decision that assigned (or renewed) it, and when that decision was recorded.
    pub assigned_by: DecisionId,
    pub assigned_at: Instant,
    /// The holder's formal commitment (R4); before it the mandate grants nothing.
    pub committed_at: Option<Instant>,
    pub revocation: Option<Revocation>,
    /// The mandate this one renews, if any.
    pub renews: Option<MandateId>,
}

impl Mandate {
    /// The mandate's status at `at`, as it was known at `at`: a commitment or a revocation
    /// recorded later does not count.
    pub fn status_at(&self, at: Instant) -> MandateStatus {
        status_at(self.period, self.committed_at, self.revocation, at)
    }

    /// Whether the mandate was known (assigned) at `at`.
    pub fn is_known_at(&self, at: Instant) -> bool {
        self.assigned_at <= at
    }

    /// The instant the mandate stops granting power: its end, or its revocation if earlier.
    pub fn effective_end(&self) -> Instant {
        match self.revocation {
            Some(r) if r.at < self.period.ends_at() => r.at,
            _ => self.period.ends_at(),
        }
    }

    /// Since when the mandate grants power: the later of its start and the commitment.
    pub fn in_force_since(&self) -> Option<Instant> {
        self.committed_at.map(|c| c.max(self.period.starts_at()))
    }
}

/// The status at `at` of a mandate with this period, commitment and revocation. One function,
/// so that [`Mandate::status_at`] and the seats of the authority index cannot disagree.
pub(crate) fn status_at(
    period: Period,
    committed_at: Option<Instant>,
    revocation: Option<Revocation>,
    at: Instant,
) -> MandateStatus {
    if revocation.is_some_and(|r| r.at <= at) {
        MandateStatus::Revoked
    } else if at >= period.ends_at() {
        MandateStatus::Expired
    } else if at < period.starts_at() {
        MandateStatus::NotStarted
    } else if committed_at.is_none_or(|c| c > at) {
        MandateStatus::PendingCommitment
    } else {
        MandateStatus::InForce
    }
}
