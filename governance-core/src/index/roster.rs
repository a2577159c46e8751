//! Rosters: for each unit, its life, its latest domains, its place in the tree and a compact entry
//! per mandate ever assigned in it (holder, membership, and the mandate as the check reads it),
//! side by side in one vector. "Who may decide here?" and the escalation route read a unit's
//! roster instead of following a pointer per mandate (ADR 0004).
//!
//! They read only the entries in force at the date asked, and touch no other: beside the entries,
//! each one's *live span* (exactly when it is in force with its holder a member, to the
//! nanosecond, and whether it is a referent's or restricted to some domains) sits in a small
//! vector read first, and the answer each gives (its [`Competent`]) in another, so that an entry's
//! full record is read only to check a restricted scope. A long roster, whose length grows with
//! the unit's history, is searched instead of read through (the entries assigned by then by a
//! binary search, those not over by the tree of ends, `ends.rs`), so that its past costs a
//! logarithm. Like seats, these are values; only the index (`index/mod.rs`) builds and stores
//! them.

use crate::denial::Competent;
use crate::id::{MemberId, UnitId};
use crate::index::ends::Ends;
use crate::index::seat::{LatestDomains, Slot, Span};
use crate::index::vocabulary::DomainId;
use crate::mandate::{MandateStatus, Role};
use crate::time::Instant;
use crate::unit::UnitKind;
use smallvec::SmallVec;

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
    /// `live`, `answers` and `ends` beside it.
    entries: Vec<RosterEntry>,
    /// Each entry's live span, by position.
    live: Vec<Live>,
    /// What each entry answers when it is in force, by position.
    answers: Vec<Competent>,
    /// When each entry is over for good (the end of its live span), by position.
    ends: Ends,
}

/// When an entry is in force with its holder a member, `[from, until)` in nanoseconds since the
/// epoch, and two facts about its mandate. The span is the intersection of every condition of the exact
/// check (assigned, started, committed to, not ended, not revoked, holder a member), so for an
/// instant that has a nanosecond key it *is* the check; an instant outside the keys' range
/// (September 1677 to April 2262) is checked on the entry itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Live {
    from: i64,
    until: i64,
    referent: bool,
    /// Whether the mandate covers only some of the unit's domains (the entry says which).
    restricted: bool,
}

/// An instant as a bound: its nanosecond key, or past the end of the keys on its side.
fn bound_key(at: Instant) -> i64 {
    at.timestamp_nanos_opt().unwrap_or(if at.timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// An instant asked about as a key, if it has one that every bound compares to exactly.
fn asked_key(at: Instant) -> Option<i64> {
    at.timestamp_nanos_opt()
        .filter(|&k| k != i64::MIN && k != i64::MAX)
}

impl Live {
    fn of(entry: &RosterEntry) -> Self {
        let s = &entry.slot;
        // In force once assigned, started and committed to, with its holder a member; never
        // while not committed to.
        let from = s.committed_at.map_or(i64::MAX, |c| {
            bound_key(
                c.max(s.assigned_at)
                    .max(s.period.starts_at())
                    .max(entry.membership.from),
            )
        });
        Self {
            from,
            until: bound_key(entry.over_from()),
            referent: s.role == Role::Referent,
            restricted: s.scope.is_some(),
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
            answers: Vec::new(),
            ends: Ends::default(),
        }
    }

    /// The same unit with a new header (kind, parent, life, domains) and the same entries.
    pub(crate) fn with_entries_of(mut self, old: Roster) -> Self {
        self.entries = old.entries;
        self.live = old.live;
        self.answers = old.answers;
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
        self.answers.push(entry.answer());
        self.entries.push(entry);
    }

    /// Replaces the entry at `position` (a commitment, a revocation, a membership change).
    pub(crate) fn replace(&mut self, position: usize, entry: RosterEntry) {
        if let Some(existing) = self.entries.get_mut(position) {
            self.ends.set(position, Some(entry.over_from()));
            self.live[position] = Live::of(&entry);
            self.answers[position] = entry.answer();
            *existing = entry;
        }
    }

    /// Keeps the first `len` entries (mandates taken back).
    pub(crate) fn truncate(&mut self, len: usize) {
        self.entries.truncate(len);
        self.live.truncate(len);
        self.answers.truncate(len);
        self.ends.truncate(len);
    }

    /// The mandates (all, or the referents') in force at `at` with a holder who is a member then,
    /// in roster order, and, given a domain of the unit, only those whose scope covers it. Reads
    /// the live spans of the candidates and the answers of those in force; an entry itself only
    /// for a restricted scope, or for an instant the spans' keys cannot hold.
    pub(crate) fn in_force_at(
        &self,
        at: Instant,
        wanted: Wanted,
        covering: Option<DomainId>,
    ) -> Vec<Competent> {
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
        let key = asked_key(at);
        // The positions first, then the answers into a vector of the right size: one
        // allocation per answer instead of a vector grown, and copied, as it fills.
        let positions: SmallVec<[usize; 32]> = read_through
            .into_iter()
            .flatten()
            .chain(searched.into_iter().flatten())
            .filter(|&i| {
                let live = &self.live[i];
                (wanted == Wanted::Any || live.referent)
                    && key.map_or_else(|| self.entries[i].in_force_at(at), |k| live.contains(k))
                    && covering
                        .is_none_or(|d| !live.restricted || self.entries[i].slot.scope_includes(d))
            })
            .collect();
        let mut answers = Vec::with_capacity(positions.len());
        answers.extend(positions.iter().map(|&i| self.answers[i]));
        answers
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
    /// The exact check the live span stands for: assigned, in force, and held by a member.
    fn in_force_at(&self, at: Instant) -> bool {
        self.slot.is_known_at(at)
            && self.slot.status_at(at) == MandateStatus::InForce
            && self.membership.contains(at)
    }

    /// Who may decide through this mandate, and from when to when, as answers give it.
    fn answer(&self) -> Competent {
        let s = &self.slot;
        Competent::new(self.holder, s.mandate, s.role, s.period, s.committed_at)
    }

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
