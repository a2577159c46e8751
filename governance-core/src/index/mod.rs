//! The authority index, derived from the movement's records (ADR 0004): a seat per member and
//! unit (`seat.rs`), a roster per unit (`roster.rs`), a compact membership per member, the
//! numbers of domain names (`vocabulary.rs`) and the units that owned each domain (`owners.rs`).
//! The authority engine reads it instead of scanning the records; rosters and owners keep the
//! end of each entry in a tree (`ends.rs`), so that a question about a date skips what was over.
//!
//! Its fields are private to this module, so that "only the `index_*` functions write the
//! authority index" is a fact the compiler checks: each one takes the records it rebuilds from
//! as an argument ([`Records`]), and the index never names the movement that holds it.

pub(crate) mod ends;
pub(crate) mod owners;
pub(crate) mod roster;
pub(crate) mod seat;
pub(crate) mod vocabulary;

use crate::hash::HashMap;
use crate::id::{MemberId, UnitId};
use crate::index::owners::Owners;
use crate::index::roster::{Roster, RosterEntry};
use crate::index::seat::{LatestDomains, Membership, Seat, Slot, Span};
use crate::index::vocabulary::{DomainId, Vocabulary};
use crate::mandate::Mandate;
use crate::member::Member;
use crate::text::Domain;
use crate::time::Instant;
use crate::unit::Unit;
use smallvec::SmallVec;

/// The records the index is derived from, borrowed for one rebuild. The movement lends them
/// beside a mutable borrow of its index; the index reads them and never keeps them.
#[derive(Clone, Copy)]
pub(crate) struct Records<'a> {
    pub(crate) units: &'a HashMap<UnitId, Unit>,
    pub(crate) members: &'a HashMap<MemberId, Member>,
    /// Every mandate, in assignment order; slots and roster entries point into it.
    pub(crate) mandates: &'a [Mandate],
    /// Positions in `mandates`, per holder and per unit, in assignment order.
    pub(crate) by_member: &'a HashMap<MemberId, Vec<usize>>,
    pub(crate) by_unit: &'a HashMap<UnitId, Vec<usize>>,
}

/// The authority index of one movement. Derived, never a source of truth: each part is rebuilt
/// from the records by the `index_*` functions below whenever a record it copies changes.
#[derive(Debug, Clone, Default)]
pub(crate) struct AuthorityIndex {
    /// One seat per member and unit with mandates.
    seats: HashMap<(MemberId, UnitId), Seat>,
    /// Compact copies of memberships, for checks that find no seat.
    memberships: HashMap<MemberId, Membership>,
    /// Each unit and its mandates, side by side.
    rosters: HashMap<UnitId, Roster>,
    vocabulary: Vocabulary,
    /// For each domain, the units that ever owned it, in the order they first did (the order of
    /// the movement's `domain_owners`), with when they did.
    owners: HashMap<DomainId, Owners>,
    /// For each unit, the domains whose owners list it.
    owned: HashMap<UnitId, DomainIds>,
}

type Indices = SmallVec<[usize; 4]>;
type DomainIds = SmallVec<[DomainId; 4]>;

impl AuthorityIndex {
    // ----- reading ---------------------------------------------------------------------------

    /// The seat of `member` in `unit`: the one probe of an allowed check.
    #[inline]
    pub(crate) fn seat(&self, member: MemberId, unit: UnitId) -> Option<&Seat> {
        self.seats.get(&(member, unit))
    }

    #[inline]
    pub(crate) fn membership(&self, member: MemberId) -> Option<&Membership> {
        self.memberships.get(&member)
    }

    #[inline]
    pub(crate) fn roster(&self, unit: UnitId) -> Option<&Roster> {
        self.rosters.get(&unit)
    }

    /// The units that may own `domain` at `at`, in the order they first owned it: every owner at
    /// `at` is among them, with at most a few units that had a gap then; the units that began to
    /// own it later, or had stopped for good, are skipped without being visited.
    pub(crate) fn owners_at(&self, domain: &Domain, at: Instant) -> impl Iterator<Item = UnitId> {
        self.vocabulary
            .get(domain)
            .and_then(|id| self.owners.get(&id))
            .into_iter()
            .flat_map(move |o| o.candidates_at(at))
    }

    /// `domain`'s number if it is one of `unit`'s domains at `at`. `latest` is the unit's
    /// latest domains, copied into seats and rosters; an earlier date reads the unit's history
    /// in `units`.
    #[inline]
    pub(crate) fn domain_of_unit_at(
        &self,
        units: &HashMap<UnitId, Unit>,
        unit: UnitId,
        latest: &LatestDomains,
        domain: &Domain,
        at: Instant,
    ) -> Option<DomainId> {
        self.vocabulary
            .get(domain)
            .filter(|&id| Self::has_domain_at(units, unit, latest, (id, domain), at))
    }

    /// `domain`'s number, if any unit ever had it: to look the name up once for several units.
    #[inline]
    pub(crate) fn domain_id(&self, domain: &Domain) -> Option<DomainId> {
        self.vocabulary.get(domain)
    }

    /// Whether `domain` (with its number) is one of `unit`'s domains at `at`; see
    /// [`AuthorityIndex::domain_of_unit_at`].
    #[inline]
    pub(crate) fn has_domain_at(
        units: &HashMap<UnitId, Unit>,
        unit: UnitId,
        latest: &LatestDomains,
        (id, domain): (DomainId, &Domain),
        at: Instant,
    ) -> bool {
        if at >= latest.since {
            latest.set.contains(id)
        } else {
            units
                .get(&unit)
                .is_some_and(|u| u.domains_at(at).contains(domain))
        }
    }

    // ----- writing: the index_* functions, called after every record change ----------------

    /// After a mandate was assigned at `index` (and listed in `by_member` and `by_unit`).
    pub(crate) fn index_assigned(&mut self, records: Records<'_>, index: usize) {
        let (holder, unit) = (records.mandates[index].holder, records.mandates[index].unit);
        let indices = seat_indices(records, holder, unit);
        self.rebuild_seat(records, holder, unit, &indices);
        self.refresh_membership(records, holder);
        self.roster_mandate_changed(records, index);
    }

    /// After the last mandate, `holder`'s in `unit`, was taken back (and removed from the
    /// records and from `by_member` and `by_unit`).
    pub(crate) fn index_unassigned(
        &mut self,
        records: Records<'_>,
        holder: MemberId,
        unit: UnitId,
    ) {
        let indices = seat_indices(records, holder, unit);
        self.rebuild_seat(records, holder, unit, &indices);
        self.refresh_membership(records, holder);
        self.roster_unassigned(records, unit);
    }

    /// After the mandate at `index` was committed to, revoked, or its revocation taken back.
    pub(crate) fn index_mandate_changed(&mut self, records: Records<'_>, index: usize) {
        let (holder, unit) = (records.mandates[index].holder, records.mandates[index].unit);
        let indices = seat_indices(records, holder, unit);
        self.rebuild_seat(records, holder, unit, &indices);
        // A revocation ends the span the mandate is held in.
        self.refresh_membership(records, holder);
        self.roster_mandate_changed(records, index);
    }

    /// After a member was admitted, left, or either was taken back.
    pub(crate) fn index_member_changed(&mut self, records: Records<'_>, member: MemberId) {
        self.refresh_membership(records, member);
        let held: Indices = records
            .by_member
            .get(&member)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        for &index in &held {
            self.roster_mandate_changed(records, index);
        }
        let mut units: SmallVec<[UnitId; 4]> =
            held.iter().map(|&i| records.mandates[i].unit).collect();
        units.sort_unstable();
        units.dedup();
        for unit in units {
            let indices = seat_indices(records, member, unit);
            self.rebuild_seat(records, member, unit, &indices);
        }
    }

    /// After a unit was created, archived, given new domains, or any of these was taken back.
    pub(crate) fn index_unit_changed(&mut self, records: Records<'_>, unit: UnitId) {
        if let Some(u) = records.units.get(&unit) {
            for d in u.all_domains() {
                self.vocabulary.intern(d);
            }
        }
        self.owners_unit_changed(records, unit);
        self.roster_unit_changed(records, unit);
        let mut holders: SmallVec<[MemberId; 16]> = records
            .by_unit
            .get(&unit)
            .into_iter()
            .flatten()
            .map(|&i| records.mandates[i].holder)
            .collect();
        holders.sort_unstable();
        holders.dedup();
        for holder in holders {
            let indices = seat_indices(records, holder, unit);
            self.rebuild_seat(records, holder, unit, &indices);
        }
    }

    // ----- seats and memberships -------------------------------------------------------------

    /// Rebuilds the seat of `member` in `unit` over the mandates at `indices`, or removes it
    /// when there are none.
    fn rebuild_seat(
        &mut self,
        records: Records<'_>,
        member: MemberId,
        unit: UnitId,
        indices: &[usize],
    ) {
        let key = (member, unit);
        let (Some(m), Some(u)) = (records.members.get(&member), records.units.get(&unit)) else {
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
                .map(|&i| Slot::of(i, &records.mandates[i], &mut self.vocabulary))
                .collect(),
        };
        self.seats.insert(key, seat);
    }

    fn refresh_membership(&mut self, records: Records<'_>, member: MemberId) {
        let Some(m) = records.members.get(&member) else {
            self.memberships.remove(&member);
            return;
        };
        let held = records
            .by_member
            .get(&member)
            .into_iter()
            .flatten()
            .map(|&i| Span::of_mandate(&records.mandates[i]))
            .collect();
        self.memberships.insert(
            member,
            Membership {
                span: Span::of_member(m),
                held,
            },
        );
    }

    // ----- rosters ---------------------------------------------------------------------------

    /// The entry describing the mandate at `index`, from the records.
    fn roster_entry(&mut self, records: Records<'_>, index: usize) -> Option<RosterEntry> {
        let m = &records.mandates[index];
        let member = records.members.get(&m.holder)?;
        Some(RosterEntry {
            holder: m.holder,
            membership: Span::of_member(member),
            slot: Slot::of(index, m, &mut self.vocabulary),
        })
    }

    /// After a unit was created, archived, given new domains, or any of these was taken back:
    /// its roster's header, keeping its entries.
    fn roster_unit_changed(&mut self, records: Records<'_>, unit: UnitId) {
        let Some(u) = records.units.get(&unit) else {
            self.rosters.remove(&unit);
            return;
        };
        let Some(domains) = LatestDomains::of_unit(u, &mut self.vocabulary) else {
            self.rosters.remove(&unit);
            return;
        };
        let roster = Roster::new(u.kind, u.parent, Span::of_unit(u), domains);
        let roster = match self.rosters.remove(&unit) {
            Some(old) => roster.with_entries_of(old),
            None => roster,
        };
        self.rosters.insert(unit, roster);
    }

    /// After the mandate at `index` was assigned (appended), committed to, revoked, or its
    /// revocation taken back, or its holder's membership changed: its entry, in place.
    fn roster_mandate_changed(&mut self, records: Records<'_>, index: usize) {
        let unit = records.mandates[index].unit;
        let Some(position) = records
            .by_unit
            .get(&unit)
            .and_then(|list| list.binary_search(&index).ok())
        else {
            return;
        };
        let Some(entry) = self.roster_entry(records, index) else {
            return;
        };
        let Some(roster) = self.rosters.get_mut(&unit) else {
            return;
        };
        // Mandates are appended in order, so a new one is the unit's last entry, at the position
        // just past the others.
        if position == roster.len() {
            roster.push(entry);
        } else {
            debug_assert!(position < roster.len(), "a roster has no gaps");
            roster.replace(position, entry);
        }
    }

    /// After the last mandate of `unit` was taken back.
    fn roster_unassigned(&mut self, records: Records<'_>, unit: UnitId) {
        let len = records.by_unit.get(&unit).map_or(0, Vec::len);
        if let Some(roster) = self.rosters.get_mut(&unit) {
            roster.truncate(len);
        }
    }

    // ----- domain owners ---------------------------------------------------------------------

    /// After a unit was created, archived, given new domains, or any of these was taken back:
    /// it is listed, last, among the owners of each domain it has for the first time, its end
    /// is updated in the lists it is on, and it leaves those of domains it no longer ever had
    /// (a creation or a change of domains taken back). Units change one at a time, in the order
    /// the movement applies the changes, so the lists keep the order of its `domain_owners`.
    fn owners_unit_changed(&mut self, records: Records<'_>, unit: UnitId) {
        let listed = self.owned.remove(&unit).unwrap_or_default();
        let mut now = DomainIds::new();
        if let Some(u) = records.units.get(&unit) {
            for d in u.all_domains() {
                let Some(id) = self.vocabulary.get(d) else {
                    continue;
                };
                if now.contains(&id) {
                    continue;
                }
                let owners = self.owners.entry(id).or_default();
                if owners.upsert(u, d, listed.contains(&id)) {
                    now.push(id);
                }
            }
        }
        for id in listed.into_iter().filter(|id| !now.contains(id)) {
            if let Some(owners) = self.owners.get_mut(&id) {
                owners.remove(unit);
            }
        }
        if !now.is_empty() {
            self.owned.insert(unit, now);
        }
    }

    /// Every unit listed among `domain`'s owners, in order (for tests against the movement's
    /// `domain_owners`).
    #[cfg(test)]
    pub(crate) fn owners_of(&self, domain: &Domain) -> Vec<UnitId> {
        self.vocabulary
            .get(domain)
            .and_then(|id| self.owners.get(&id))
            .map(|o| o.units().collect())
            .unwrap_or_default()
    }
}

/// The mandates of `member` in `unit`, in assignment order, from the records (the seat is never
/// its own source).
fn seat_indices(records: Records<'_>, member: MemberId, unit: UnitId) -> Indices {
    records
        .by_member
        .get(&member)
        .into_iter()
        .flatten()
        .copied()
        .filter(|&i| records.mandates[i].unit == unit)
        .collect()
}
