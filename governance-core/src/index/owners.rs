//! Domain owners: for each domain number, the units that ever had the domain, in the order they
//! first had it (the order an escalation route lists them in), each with the instant it began to
//! own it and the instant it stopped for good. A route asks for the first few units owning a
//! domain at a date; this finds them without visiting the units that began after that date (they
//! are at the end, since events are applied in time order) nor those that had stopped, so its
//! cost does not grow with the number of units that ever shared the domain's name.
//!
//! It mirrors the movement's `domain_owners` (same units, same order), rebuilt like every part of
//! the index from the unit records by `AuthorityIndex::index_unit_changed`.

use crate::id::UnitId;
use crate::index::ends::Ends;
use crate::text::Domain;
use crate::time::Instant;
use crate::unit::Unit;

/// The units that ever owned one domain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Owners {
    /// In the order they first owned the domain, hence by `since`.
    entries: Vec<Owner>,
    /// When each entry stopped owning the domain for good, by position.
    ends: Ends,
}

/// One unit that owned the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Owner {
    unit: UnitId,
    /// The first instant it owned the domain.
    since: Instant,
}

/// When `unit` owned `domain`, at the widest: from the first version of its domains that has
/// it, until the version after the last that has it or its archiving, whichever comes first
/// (`None`: still owns it). It owns it at no instant outside; inside, a version without the
/// domain may leave a gap, which the route's exact check sees. `None` if it never had it.
fn tenure(unit: &Unit, domain: &Domain) -> Option<(Instant, Option<Instant>)> {
    let history = &unit.domain_history;
    let first = history.iter().position(|(_, ds)| ds.contains(domain))?;
    let last = history.iter().rposition(|(_, ds)| ds.contains(domain))?;
    let dropped = history.get(last + 1).map(|(when, _)| *when);
    let archived = unit.archived.map(|(when, _)| when);
    let until = match (dropped, archived) {
        (Some(d), Some(a)) => Some(d.min(a)),
        (d, a) => d.or(a),
    };
    Some((history[first].0, until))
}

impl Owners {
    /// Lists `unit` last if it was not `listed`, or updates its end if it was; `false` if it
    /// never had `domain`. (Whether it is listed comes from the index, so that listing a new
    /// unit does not search the list.)
    pub(crate) fn upsert(&mut self, unit: &Unit, domain: &Domain, listed: bool) -> bool {
        let Some((since, until)) = tenure(unit, domain) else {
            return false;
        };
        let position = if listed {
            self.entries.iter().rposition(|o| o.unit == unit.id)
        } else {
            None
        };
        match position {
            Some(i) => self.ends.set(i, until),
            None => {
                debug_assert!(
                    self.entries.iter().all(|o| o.unit != unit.id),
                    "a unit is listed once"
                );
                debug_assert!(
                    self.entries.last().is_none_or(|o| o.since <= since),
                    "owners are listed in time order"
                );
                self.entries.push(Owner {
                    unit: unit.id,
                    since,
                });
                self.ends.push(until);
            }
        }
        true
    }

    /// Takes `unit` off the list (its creation, or the domain's grant, was taken back).
    pub(crate) fn remove(&mut self, unit: UnitId) {
        if let Some(i) = self.entries.iter().position(|o| o.unit == unit) {
            self.entries.remove(i);
            self.ends.remove(i);
        }
    }

    /// The units that may own the domain at `at`, in list order: every owner at `at` is among
    /// them, and the others are units with a gap at `at`. The units that began later are left
    /// out by a binary search, those that had stopped by the tree of ends.
    pub(crate) fn candidates_at(&self, at: Instant) -> impl Iterator<Item = UnitId> + '_ {
        // Asked about the present, every owner had begun: no search.
        let begun = if self.entries.last().is_some_and(|o| o.since <= at) {
            self.entries.len()
        } else {
            self.entries.partition_point(|o| o.since <= at)
        };
        self.ends
            .not_over(begun, at)
            .map(move |i| self.entries[i].unit)
    }

    /// Every unit listed, in order (for tests against the movement's own list).
    #[cfg(test)]
    pub(crate) fn units(&self) -> impl Iterator<Item = UnitId> + '_ {
        self.entries.iter().map(|o| o.unit)
    }
}
