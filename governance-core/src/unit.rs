//! Units (R1): the Agora, the Coordination, Pôles, Comités and other working groups, forming a
//! tree. A unit's decision domains and its archiving are dated, so a past date sees the unit as
//! it was then.

use crate::id::{DecisionId, UnitId};
use crate::text::{Domain, Label};
use crate::time::Instant;
use std::collections::BTreeSet;

/// The kinds of unit the charter names (R1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitKind {
    /// The assembly of all members; the root of the tree.
    Agora,
    /// The one Coordination, directly under the Agora.
    Coordination,
    /// A Pôle (department), under the Coordination.
    Pole,
    /// A Comité (committee), under a Pôle or the Coordination.
    Comite,
    /// Any other working group the movement adds, under any unit but the Agora.
    WorkingGroup,
}

impl UnitKind {
    /// Whether a unit of this kind may sit under a unit of kind `parent` (R1).
    pub fn may_sit_under(self, parent: Option<UnitKind>) -> bool {
        match (self, parent) {
            (UnitKind::Agora, None) => true,
            (UnitKind::Coordination, Some(UnitKind::Agora)) => true,
            (UnitKind::Pole, Some(UnitKind::Coordination)) => true,
            (UnitKind::Comite, Some(UnitKind::Pole | UnitKind::Coordination)) => true,
            (UnitKind::WorkingGroup, Some(p)) => p != UnitKind::Agora,
            _ => false,
        }
    }
}

/// Why a unit change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitError {
    #[error("unit {0} does not exist")]
    Unknown(UnitId),
    #[error("unit {0} already exists")]
    Duplicate(UnitId),
    #[error("unit {0} is archived")]
    Archived(UnitId),
    #[error("a {kind:?} cannot sit under a {parent:?}")]
    MisplacedKind {
        kind: UnitKind,
        parent: Option<UnitKind>,
    },
    #[error("the movement already has its one {0:?}")]
    SecondSingleton(UnitKind),
    #[error("the {0:?} cannot be archived")]
    PermanentUnit(UnitKind),
    #[error("unit {unit} still has active sub-units; archive them first")]
    HasActiveChildren { unit: UnitId },
    #[error("unit {0} must have at least one decision domain")]
    NoDomains(UnitId),
}

/// A unit of the movement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: UnitId,
    pub name: Label,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    pub created_at: Instant,
    pub created_by: DecisionId,
    /// The unit's domains, each version with the instant it took effect, oldest first.
    pub(crate) domain_history: Vec<(Instant, BTreeSet<Domain>)>,
    pub archived: Option<(Instant, DecisionId)>,
}

impl Unit {
    /// Whether the unit exists and is not archived at `at`.
    pub fn is_active_at(&self, at: Instant) -> bool {
        self.created_at <= at && self.archived.is_none_or(|(when, _)| at < when)
    }

    /// The unit's domains at `at` (empty before it was created).
    pub fn domains_at(&self, at: Instant) -> &BTreeSet<Domain> {
        static EMPTY: BTreeSet<Domain> = BTreeSet::new();
        let idx = self.domain_history.partition_point(|(when, _)| *when <= at);
        match idx.checked_sub(1) {
            Some(i) => &self.domain_history[i].1,
            None => &EMPTY,
        }
    }

    /// Every domain the unit ever had, for indexing.
    pub fn all_domains(&self) -> impl Iterator<Item = &Domain> {
        self.domain_history.iter().flat_map(|(_, d)| d.iter())
    }

    /// The most recent set of domains.
    pub fn current_domains(&self) -> &BTreeSet<Domain> {
        &self
            .domain_history
            .last()
            .expect("a unit is created with its domains")
            .1
    }
}
