//! Rosters: for each unit, its life, its latest domains, its place in the tree and a compact entry
//! per mandate ever assigned in it (holder, membership, and the mandate as the check reads it),
//! side by side in one vector. "Who may decide here?" and the escalation route read a unit's
//! roster front to back instead of following a pointer per mandate (ADR 0004). Like seats,
//! rosters are derived and updated from the records whenever one of those changes.

use crate::id::{MemberId, UnitId};
use crate::movement::Movement;
use crate::seat::{LatestDomains, Slot, Span};
use crate::text::Domain;
use crate::time::Instant;
use crate::unit::UnitKind;
use crate::vocabulary::DomainId;

/// One unit, as the authority queries read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Roster {
    pub(crate) kind: UnitKind,
    pub(crate) parent: Option<UnitId>,
    pub(crate) life: Span,
    pub(crate) domains: LatestDomains,
    /// One entry per mandate of the unit, in the order of `Movement::by_unit`.
    pub(crate) entries: Vec<RosterEntry>,
}

/// One mandate of the unit, with its holder's membership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RosterEntry {
    pub(crate) holder: MemberId,
    pub(crate) membership: Span,
    pub(crate) slot: Slot,
}

impl Movement {
    /// `domain`'s number if it is one of `unit`'s domains at `at`. `latest` is the unit's
    /// latest domains, copied into seats and rosters; an earlier date reads the unit's history.
    pub(crate) fn domain_of_unit_at(
        &self,
        unit: UnitId,
        latest: &LatestDomains,
        domain: &Domain,
        at: Instant,
    ) -> Option<DomainId> {
        self.vocabulary.get(domain).filter(|&id| {
            if at >= latest.since {
                latest.set.contains(id)
            } else {
                self.units
                    .get(&unit)
                    .is_some_and(|u| u.domains_at(at).contains(domain))
            }
        })
    }

    /// The entry describing the mandate at `index`, from the records.
    fn roster_entry(&mut self, index: usize) -> Option<RosterEntry> {
        let m = &self.mandates[index];
        let member = self.members.get(&m.holder)?;
        Some(RosterEntry {
            holder: m.holder,
            membership: Span::of_member(member),
            slot: Slot::of(index, m, &mut self.vocabulary),
        })
    }

    /// After a unit was created, archived, given new domains, or any of these was taken back:
    /// its roster's header, keeping its entries.
    pub(crate) fn roster_unit_changed(&mut self, unit: UnitId) {
        let Some(u) = self.units.get(&unit) else {
            self.rosters.remove(&unit);
            return;
        };
        let Some(domains) = LatestDomains::of_unit(u, &mut self.vocabulary) else {
            self.rosters.remove(&unit);
            return;
        };
        let (kind, parent, life) = (u.kind, u.parent, Span::of_unit(u));
        let entries = self
            .rosters
            .remove(&unit)
            .map(|r| r.entries)
            .unwrap_or_default();
        self.rosters.insert(
            unit,
            Roster {
                kind,
                parent,
                life,
                domains,
                entries,
            },
        );
    }

    /// After the mandate at `index` was assigned (appended), committed to, revoked, or its
    /// revocation taken back, or its holder's membership changed: its entry, in place.
    pub(crate) fn roster_mandate_changed(&mut self, index: usize) {
        let unit = self.mandates[index].unit;
        let Some(position) = self
            .by_unit
            .get(&unit)
            .and_then(|list| list.binary_search(&index).ok())
        else {
            return;
        };
        let Some(entry) = self.roster_entry(index) else {
            return;
        };
        let Some(roster) = self.rosters.get_mut(&unit) else {
            return;
        };
        // Mandates are appended in order, so a new one is the unit's last entry, at the position
        // just past the others.
        if position == roster.entries.len() {
            roster.entries.push(entry);
        } else {
            debug_assert!(position < roster.entries.len(), "a roster has no gaps");
            if let Some(existing) = roster.entries.get_mut(position) {
                *existing = entry;
            }
        }
    }

    /// After the last mandate of `unit` was taken back.
    pub(crate) fn roster_unassigned(&mut self, unit: UnitId) {
        let len = self.by_unit.get(&unit).map_or(0, Vec::len);
        if let Some(roster) = self.rosters.get_mut(&unit) {
            roster.entries.truncate(len);
        }
    }
}
