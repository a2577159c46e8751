//! Decision records (R8–R12): who decided what, where, under which mandate or in which meeting,
//! after consulting whom, with which declared impact, and which earlier decisions it amends,
//! supersedes or revokes. Records are never edited (R12).

use crate::effect::Effect;
use crate::id::{DecisionId, EscalationId, MandateId, MeetingId, MemberId, TensionId, UnitId};
use crate::text::{Domain, Label, Text};
use crate::time::Instant;

/// Who took the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decider {
    /// One member under one mandate. A client may leave the mandate unnamed: the core then
    /// records the mandate its one authorization check found (every recorded holder decision
    /// names the mandate that gave authority).
    Holder {
        member: MemberId,
        mandate: Option<MandateId>,
    },
    /// The unit as a body, in a meeting, with everyone who took part (R10). Under rules v2 the
    /// meeting is required, the participants are exactly its signed and represented college at
    /// the decision's instant, and the secretary is a signed participant who records it.
    Body {
        meeting: Option<MeetingId>,
        participants: Vec<MemberId>,
        secretary: Option<MemberId>,
    },
}

/// What a consulted person said of the proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stance {
    Support,
    Concern,
    Objection,
}

/// A consultation of someone first concerned (R8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    pub member: MemberId,
    pub consulted_at: Instant,
    pub stance: Stance,
    pub said: Text,
}

/// How far the decision reaches, as the decider declares it (R9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Impact {
    /// Only the deciding unit.
    ThisUnit,
    /// The listed units.
    Units(Vec<UnitId>),
    /// The whole movement.
    MovementWide,
}

/// Who may read the record (R11, R17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Every member, and nobody outside.
    Members,
    /// Explicitly published: outsiders may read it too.
    Published,
}

impl Visibility {
    pub const ALL: [Visibility; 2] = [Visibility::Members, Visibility::Published];
}

/// How a decision relates to an earlier one (R12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkKind {
    /// Changes part of it; the earlier decision stays in force.
    Amends,
    /// Replaces it; the earlier decision is no longer in force.
    Supersedes,
    /// Ends it; the earlier decision is no longer in force.
    Revokes,
}

/// A link from a decision to an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecisionLink {
    pub kind: LinkKind,
    pub target: DecisionId,
}

/// A decision as proposed, before the engine has validated it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionDraft {
    pub id: DecisionId,
    pub unit: UnitId,
    pub domain: Domain,
    pub title: Label,
    pub statement: Text,
    pub rationale: Text,
    /// When it was decided. The server passes its own clock; the record keeps it.
    pub decided_at: Instant,
    /// When it starts to apply; `None` means at once.
    pub effective_from: Option<Instant>,
    /// When it stops applying; `None` means until changed.
    pub effective_until: Option<Instant>,
    pub decider: Decider,
    pub consultations: Vec<Consultation>,
    pub impact: Impact,
    pub visibility: Visibility,
    pub links: Vec<DecisionLink>,
    pub effects: Vec<Effect>,
    /// The tension this decision answers, if any (R13).
    pub tension: Option<TensionId>,
    /// The escalated proposal this decision answers, if any (R9).
    pub escalation: Option<EscalationId>,
}

/// A decision the engine accepted and recorded. It can only be built by validating a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    draft: DecisionDraft,
    /// The mandate that gave authority, for a holder's decision; for a body, the mandate of the
    /// participant that covers the domain, if any.
    authorized_by: Option<MandateId>,
}

impl DecisionRecord {
    pub(crate) fn new(draft: DecisionDraft, authorized_by: Option<MandateId>) -> Self {
        Self {
            draft,
            authorized_by,
        }
    }

    /// Rebuilds a record already validated once, for example when loading from storage; replaying
    /// it through [`crate::Movement::apply`] validates it again.
    pub fn draft(&self) -> &DecisionDraft {
        &self.draft
    }

    pub fn id(&self) -> DecisionId {
        self.draft.id
    }

    pub fn unit(&self) -> UnitId {
        self.draft.unit
    }

    pub fn domain(&self) -> &Domain {
        &self.draft.domain
    }

    pub fn decided_at(&self) -> Instant {
        self.draft.decided_at
    }

    pub fn authorized_by(&self) -> Option<MandateId> {
        self.authorized_by
    }

    /// When the decision starts to apply.
    pub fn effective_from(&self) -> Instant {
        self.draft.effective_from.unwrap_or(self.draft.decided_at)
    }

    /// Whether its own effective period contains `at` (ignoring later decisions).
    pub fn is_effective_at(&self, at: Instant) -> bool {
        self.effective_from() <= at && self.draft.effective_until.is_none_or(|until| at < until)
    }

    /// The people who share responsibility for it: the holder, or every participant (R10).
    pub fn responsible(&self) -> Vec<MemberId> {
        match &self.draft.decider {
            Decider::Holder { member, .. } => vec![*member],
            Decider::Body { participants, .. } => participants.clone(),
        }
    }
}

impl std::ops::Deref for DecisionRecord {
    type Target = DecisionDraft;

    fn deref(&self) -> &DecisionDraft {
        &self.draft
    }
}
