//! The authority index. For each member and each unit where that member was ever assigned a
//! mandate there is a seat: a compact copy of everything the check reads (the membership, the
//! unit's life and latest domains, each mandate's period, commitment, revocation and scope),
//! held inline in one hash-map entry, so that an allowed check costs one probe (ADR 0004).
//! Seats, like the compact membership and unit maps beside them, are derived: each is rebuilt
//! from the movement's records whenever one of those records changes, never edited on its own.

use crate::id::{MandateId, MemberId, UnitId};
use crate::mandate::{self, Mandate, MandateStatus, Revocation, Role, Scope};
use crate::member::Member;
use crate::movement::Movement;
use crate::time::{Instant, Period};
use crate::unit::Unit;
use crate::vocabulary::{DomainId, DomainSet, Vocabulary};
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
/// (see `Movement::domain_of_unit_at`).
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

/// What the check needs about a member it finds no seat for: whether they are a member, and
/// since when they hold any mandate at all (to tell "no mandate" from "out of scope").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Membership {
    pub(crate) span: Span,
    pub(crate) first_assigned: Option<Instant>,
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
    /// Where the full record is, in `Movement::mandates`.
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

type Indices = SmallVec<[usize; 4]>;

impl Movement {
    /// The mandates of `member` in `unit`, in assignment order, from the records (the seat is
    /// never its own source).
    fn seat_indices(&self, member: MemberId, unit: UnitId) -> Indices {
        self.by_member
            .get(&member)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| self.mandates[i].unit == unit)
            .collect()
    }

    /// Rebuilds the seat of `member` in `unit` over the mandates at `indices`, or removes it
    /// when there are none.
    fn rebuild_seat(&mut self, member: MemberId, unit: UnitId, indices: &[usize]) {
        let key = (member, unit);
        let (Some(m), Some(u)) = (self.members.get(&member), self.units.get(&unit)) else {
            self.seats.remove(&key);
            return;
        };
        let domains = LatestDomains::of_unit(u, &mut self.vocabulary);
        let Some(domains) = domains.filter(|_| !indices.is_empty()) else {
            self.seats.remove(&key);
            return;
        };
        let seat = Seat {
            membership: Span::of_member(m),
            unit_life: Span::of_unit(u),
            domains,
            slots: indices
                .iter()
                .map(|&i| Slot::of(i, &self.mandates[i], &mut self.vocabulary))
                .collect(),
        };
        self.seats.insert(key, seat);
    }

    /// After a mandate was assigned at `index` (and listed in `by_member` and `by_unit`).
    pub(crate) fn index_assigned(&mut self, index: usize) {
        let (holder, unit) = (self.mandates[index].holder, self.mandates[index].unit);
        let indices = self.seat_indices(holder, unit);
        self.rebuild_seat(holder, unit, &indices);
        self.refresh_membership(holder);
        self.roster_mandate_changed(index);
    }

    /// After the last mandate, `holder`'s in `unit`, was taken back (and removed from the
    /// records and from `by_member` and `by_unit`).
    pub(crate) fn index_unassigned(&mut self, holder: MemberId, unit: UnitId) {
        let indices = self.seat_indices(holder, unit);
        self.rebuild_seat(holder, unit, &indices);
        self.refresh_membership(holder);
        self.roster_unassigned(unit);
    }

    /// After the mandate at `index` was committed to, revoked, or its revocation taken back.
    pub(crate) fn index_mandate_changed(&mut self, index: usize) {
        let (holder, unit) = (self.mandates[index].holder, self.mandates[index].unit);
        let indices = self.seat_indices(holder, unit);
        self.rebuild_seat(holder, unit, &indices);
        self.roster_mandate_changed(index);
    }

    /// After a member was admitted, left, or either was taken back.
    pub(crate) fn index_member_changed(&mut self, member: MemberId) {
        self.refresh_membership(member);
        let held: Indices = self
            .by_member
            .get(&member)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        for &index in &held {
            self.roster_mandate_changed(index);
        }
        let mut units: SmallVec<[UnitId; 4]> =
            held.iter().map(|&i| self.mandates[i].unit).collect();
        units.sort_unstable();
        units.dedup();
        for unit in units {
            let indices = self.seat_indices(member, unit);
            self.rebuild_seat(member, unit, &indices);
        }
    }

    /// After a unit was created, archived, given new domains, or any of these was taken back.
    pub(crate) fn index_unit_changed(&mut self, unit: UnitId) {
        if let Some(u) = self.units.get(&unit) {
            for d in u.all_domains() {
                self.vocabulary.intern(d);
            }
        }
        self.roster_unit_changed(unit);
        let mut holders: SmallVec<[MemberId; 16]> = self
            .by_unit
            .get(&unit)
            .into_iter()
            .flatten()
            .map(|&i| self.mandates[i].holder)
            .collect();
        holders.sort_unstable();
        holders.dedup();
        for holder in holders {
            let indices = self.seat_indices(holder, unit);
            self.rebuild_seat(holder, unit, &indices);
        }
    }

    fn refresh_membership(&mut self, member: MemberId) {
        let Some(m) = self.members.get(&member) else {
            self.memberships.remove(&member);
            return;
        };
        let first_assigned = self
            .by_member
            .get(&member)
            .into_iter()
            .flatten()
            .map(|&i| self.mandates[i].assigned_at)
            .min();
        self.memberships.insert(
            member,
            Membership {
                span: Span::of_member(m),
                first_assigned,
            },
        );
    }
}
