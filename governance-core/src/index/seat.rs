//! Seats: for each member and each unit where that member was ever assigned a mandate, a compact
//! copy of everything the check reads (the membership, the unit's life and latest domains, each
//! mandate's period, commitment, revocation and scope), held inline in one hash-map entry, so
//! that an allowed check costs one probe (ADR 0004). These are the values; only the index
//! (`index/mod.rs`) builds and stores them.

use crate::id::MandateId;
use crate::index::vocabulary::{DomainId, DomainSet, Vocabulary};
use crate::mandate::{self, Mandate, MandateStatus, Revocation, Role, Scope};
use crate::member::Member;
use crate::time::{Instant, Period};
use crate::unit::Unit;
use smallvec::SmallVec;

/// `[from, until)`, open while `until` is unknown: a membership, or a unit's life until it is
/// archived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) from: Instant,
    pub(crate) until: Option<Instant>,
}

impl Span {
    pub(crate) fn contains(self, at: Instant) -> bool {
        self.from <= at && self.until.is_none_or(|until| at < until)
    }

    /// A member's membership: `[joined_at, left_at)`.
    pub(crate) fn of_member(m: &Member) -> Self {
        Self {
            from: m.joined_at,
            until: m.left.map(|(at, _)| at),
        }
    }

    /// A unit's life: `[created_at, archived_at)`.
    pub(crate) fn of_unit(u: &Unit) -> Self {
        Self {
            from: u.created_at,
            until: u.archived.map(|(at, _)| at),
        }
    }
}

/// A unit's latest domains, and since when they apply; earlier dates read the unit's history
/// (see `AuthorityIndex::domain_of_unit_at`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LatestDomains {
    pub(crate) since: Instant,
    pub(crate) set: DomainSet,
}

impl LatestDomains {
    /// The unit's latest domains, numbering new names; `None` for a unit without domains, which
    /// the engine never creates.
    pub(crate) fn of_unit(u: &Unit, vocabulary: &mut Vocabulary) -> Option<Self> {
        let (since, latest) = u.domain_history.last()?;
        Some(Self {
            since: *since,
            set: vocabulary.set_of(latest),
        })
    }
}

/// What the check needs about a member beyond a seat: whether they are a member (for a member
/// it finds no seat for), and when they held any mandate at all (to tell "no mandate" from "out
/// of scope" on a refusal), so that neither reads the mandates' records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Membership {
    pub(crate) span: Span,
    /// One span per mandate of the member: from its assignment until its end or revocation,
    /// whichever comes first; held (pending, not started or in force) inside, over outside. A
    /// member holds two on average, kept inline.
    pub(crate) held: SmallVec<[Span; 2]>,
}

impl Membership {
    /// Whether the member holds a mandate at `at`, anywhere: assigned by then and not yet ended
    /// (the same as a mandate known at `at` and neither expired nor revoked then).
    pub(crate) fn holds_a_mandate_at(&self, at: Instant) -> bool {
        self.held.iter().any(|s| s.contains(at))
    }
}

impl Span {
    /// When a mandate is held: `[assigned_at, end or revocation)`.
    pub(crate) fn of_mandate(m: &Mandate) -> Self {
        Self {
            from: m.assigned_at,
            until: Some(m.effective_end()),
        }
    }
}

/// One member's place in one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seat {
    pub(crate) membership: Span,
    pub(crate) unit_life: Span,
    pub(crate) domains: LatestDomains,
    /// The member's mandates in the unit, in assignment order. One is the common case, kept
    /// inline.
    pub(crate) slots: SmallVec<[Slot; 1]>,
}

/// One mandate, as the check reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    /// Where the full record is, in the movement's mandates.
    pub(crate) index: usize,
    pub(crate) mandate: MandateId,
    pub(crate) role: Role,
    pub(crate) assigned_at: Instant,
    pub(crate) period: Period,
    pub(crate) committed_at: Option<Instant>,
    pub(crate) revocation: Option<Revocation>,
    /// The domains a restricted mandate covers; `None` for all of the unit's domains.
    pub(crate) scope: Option<DomainSet>,
}

impl Slot {
    pub(crate) fn of(index: usize, m: &Mandate, vocabulary: &mut Vocabulary) -> Self {
        Self {
            index,
            mandate: m.id,
            role: m.role,
            assigned_at: m.assigned_at,
            period: m.period,
            committed_at: m.committed_at,
            revocation: m.revocation,
            scope: match &m.scope {
                Scope::AllDomains => None,
                Scope::Domains(set) => Some(vocabulary.set_of(set)),
            },
        }
    }

    /// Same as [`Mandate::is_known_at`].
    pub(crate) fn is_known_at(&self, at: Instant) -> bool {
        self.assigned_at <= at
    }

    /// Same as [`Mandate::status_at`]: both call [`mandate::status_at`].
    pub(crate) fn status_at(&self, at: Instant) -> MandateStatus {
        mandate::status_at(self.period, self.committed_at, self.revocation, at)
    }

    /// Whether the scope includes `domain`, which the caller checked is a domain of the unit.
    pub(crate) fn scope_includes(&self, domain: DomainId) -> bool {
        self.scope.as_ref().is_none_or(|set| set.contains(domain))
    }
}
