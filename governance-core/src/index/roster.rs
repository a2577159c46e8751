//! Rosters: for each unit, its life, its latest domains, its place in the tree and a compact entry
//! per mandate ever assigned in it (holder, membership, and the mandate as the check reads it),
//! side by side in one vector. "Who may decide here?" and the escalation route read a unit's
//! roster instead of following a pointer per mandate (ADR 0004).
//!
//! They read only the entries that may be in force at the date asked, and touch no other: beside
//! the entries, each one's *live span* (from when to when it can be in force with its holder a
//! member, to the second, and whether it is a referent's) sits in a small vector read first; a
//! long roster, whose length grows with the unit's history, is searched instead of read through
//! (the entries assigned by then by a binary search, those not over by the tree of ends,
//! `ends.rs`), so that its past costs a logarithm. Like seats, these are values; only the index
//! (`index/mod.rs`) builds and stores them.

use crate::id::{MemberId, UnitId};
use crate::index::ends::{self, Ends};
use crate::index::seat::{LatestDomains, Slot, Span};
use crate::mandate::Role;
use crate::time::Instant;
use crate::unit::UnitKind;

/// Up to this many entries, a roster's live spans are read front to back: one sequential read,
/// cheaper than a binary search and a walk down the tree of ends, and most rosters are that
/// short. The longer ones are searched. Two in the crate's unit tests, so that their small
/// movements take both ways.
const READ_THROUGH: usize = if cfg!(test) { 2 } else { 32 };

/// One unit, as the authority queries read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Roster {
    pub(crate) kind: UnitKind,
    pub(crate) parent: Option<UnitId>,
    pub(crate) life: Span,
    pub(crate) domains: LatestDomains,
    /// One entry per mandate of the unit, in the order of the movement's mandates by unit.
    /// Written through [`Roster::push`], [`Roster::replace`] and [`Roster::truncate`], which keep
    /// `live` and `ends` beside it.
    entries: Vec<RosterEntry>,
    /// Each entry's live span, by position.
    live: Vec<Live>,
    /// When each entry is over for good (the end of its live span), by position.
    ends: Ends,
}

/// When an entry may be in force with its holder a member, in whole seconds rounded outwards
/// (`[from, until)` holds every such instant; the caller's exact check drops the few others), and
/// whether its mandate is a referent's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Live {
    from: i64,
    until: i64,
    referent: bool,
}

impl Live {
    fn of(entry: &RosterEntry) -> Self {
        let s = &entry.slot;
        // In force once assigned, started and committed to, with its holder a member; never
        // while not committed to.
        let from = s.committed_at.map_or(ends::OPEN, |c| {
            let from = c
                .max(s.assigned_at)
                .max(s.period.starts_at())
                .max(entry.membership.from);
            ends::at_key(from)
        });
        Self {
            from,
            until: ends::end_key(Some(entry.over_from())),
            referent: s.role == Role::Referent,
        }
    }

    fn contains(&self, at: i64) -> bool {
        self.from <= at && at < self.until
    }
}

/// Which entries a query wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wanted {
    Any,
    Referents,
}

impl Roster {
    pub(crate) fn new(
        kind: UnitKind,
        parent: Option<UnitId>,
        life: Span,
        domains: LatestDomains,
    ) -> Self {
        Self {
            kind,
            parent,
            life,
            domains,
            entries: Vec::new(),
            live: Vec::new(),
            ends: Ends::default(),
        }
    }

    /// The same unit with a new header (kind, parent, life, domains) and the same entries.
    pub(crate) fn with_entries_of(mut self, old: Roster) -> Self {
        self.entries = old.entries;
        self.live = old.live;
        self.ends = old.ends;
        self
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Appends the entry of the unit's newest mandate.
    pub(crate) fn push(&mut self, entry: RosterEntry) {
        debug_assert!(
            self.entries
                .last()
                .is_none_or(|e| e.slot.assigned_at <= entry.slot.assigned_at),
            "mandates are assigned in time order"
        );
        self.ends.push(Some(entry.over_from()));
        self.live.push(Live::of(&entry));
        self.entries.push(entry);
    }

    /// Replaces the entry at `position` (a commitment, a revocation, a membership change).
    pub(crate) fn replace(&mut self, position: usize, entry: RosterEntry) {
        if let Some(existing) = self.entries.get_mut(position) {
            self.ends.set(position, Some(entry.over_from()));
            self.live[position] = Live::of(&entry);
            *existing = entry;
        }
    }

    /// Keeps the first `len` entries (mandates taken back).
    pub(crate) fn truncate(&mut self, len: usize) {
        self.entries.truncate(len);
        self.live.truncate(len);
        self.ends.truncate(len);
    }

    /// The entries (all, or the referents') that may be in force at `at` with a holder who is a
    /// member then, in roster order: every such entry is among them; the others are a few whose
    /// span begins or ends within the second asked about, which the caller's exact check drops.
    /// No other entry is read.
    pub(crate) fn maybe_in_force_at(
        &self,
        at: Instant,
        wanted: Wanted,
    ) -> impl Iterator<Item = &RosterEntry> {
        let (read_through, searched) = if self.entries.len() <= READ_THROUGH {
            (Some(0..self.entries.len()), None)
        } else {
            // Asked about the present, every entry was assigned by then: no search.
            let assigned = if self.entries.last().is_some_and(|e| e.slot.is_known_at(at)) {
                self.entries.len()
            } else {
                self.entries.partition_point(|e| e.slot.is_known_at(at))
            };
            (None, Some(self.ends.not_over(assigned, at)))
        };
        let key = ends::at_key(at);
        read_through
            .into_iter()
            .flatten()
            .chain(searched.into_iter().flatten())
            .filter(move |&i| {
                let live = &self.live[i];
                live.contains(key) && (wanted == Wanted::Any || live.referent)
            })
            .map(|i| &self.entries[i])
    }

    /// Every entry, in order (for tests against a scan).
    #[cfg(test)]
    pub(crate) fn entries(&self) -> &[RosterEntry] {
        &self.entries
    }
}

/// One mandate of the unit, with its holder's membership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RosterEntry {
    pub(crate) holder: MemberId,
    pub(crate) membership: Span,
    pub(crate) slot: Slot,
}

impl RosterEntry {
    /// From when the mandate is in force with its holder a member at no instant any more: the
    /// earliest of its period's end, its revocation and its holder's leaving.
    fn over_from(&self) -> Instant {
        let mut over = self.slot.period.ends_at();
        if let Some(r) = self.slot.revocation {
            over = over.min(r.at);
        }
        if let Some(left) = self.membership.until {
            over = over.min(left);
        }
        over
    }
}
