//! Rosters: for each unit, its life, its latest domains, its place in the tree and a compact entry
//! per mandate ever assigned in it (holder, membership, and the mandate as the check reads it),
//! side by side in one vector. "Who may decide here?" and the escalation route read a unit's
//! roster front to back instead of following a pointer per mandate (ADR 0004). Like seats, these
//! are values; only the index (`index/mod.rs`) builds and stores them.

use crate::id::{MemberId, UnitId};
use crate::index::seat::{LatestDomains, Slot, Span};
use crate::unit::UnitKind;

/// One unit, as the authority queries read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Roster {
    pub(crate) kind: UnitKind,
    pub(crate) parent: Option<UnitId>,
    pub(crate) life: Span,
    pub(crate) domains: LatestDomains,
    /// One entry per mandate of the unit, in the order of the movement's mandates by unit.
    pub(crate) entries: Vec<RosterEntry>,
}

/// One mandate of the unit, with its holder's membership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RosterEntry {
    pub(crate) holder: MemberId,
    pub(crate) membership: Span,
    pub(crate) slot: Slot,
}
