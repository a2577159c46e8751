//! Who reads what: the one statement of R17 (members read every record, people outside the
//! movement only what it published) and of R11 (what a member has to catch up on, and what
//! marking it read covers). The API and the store call these functions; neither restates them
//! (a tidy test of the server checks it).

use crate::decision::{DecisionRecord, Visibility};
use crate::id::{DecisionId, MemberId};
use crate::movement::Movement;
use crate::queries::Reader;
use crate::time::Instant;

/// Which records a reader may see, as a filter a list can apply without the movement at hand
/// (the store turns it into a condition on the `visibility` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadScope {
    /// Every record: a member, while a member (R11).
    Everything,
    /// Only records the movement explicitly published (R17).
    PublishedOnly,
}

impl ReadScope {
    /// Whether a record of this visibility is within the scope.
    pub fn admits(self, visibility: Visibility) -> bool {
        match self {
            ReadScope::Everything => true,
            ReadScope::PublishedOnly => visibility == Visibility::Published,
        }
    }
}

/// What a member asks to mark as read (R11).
#[derive(Debug, Clone, Copy)]
pub enum MarkRead<'a> {
    /// These records, as shown to the member.
    These(&'a [DecisionId]),
    /// The record shown last, and every record of the catch-up recorded before it: one recorded
    /// after the member's catch-up stays unread.
    UpTo(DecisionId),
    /// Everything the member has to catch up on at that instant.
    Everything,
}

/// A record named in a [`MarkRead`] that does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no decision {0}")]
pub struct UnknownDecision(pub DecisionId);

impl Movement {
    /// What `reader` may see at `at` (R17). Someone who is not a member at `at` (before joining,
    /// after leaving) sees what an outsider sees.
    pub fn read_scope(&self, reader: Reader, at: Instant) -> ReadScope {
        match reader {
            Reader::Member(m) if self.is_member_at(m, at) => ReadScope::Everything,
            _ => ReadScope::PublishedOnly,
        }
    }

    /// The records `member` has to catch up on at `at`, in the order recorded (R11): those
    /// recorded since they joined, up to `at`, that they may read. Which of them the member
    /// already marked read is the caller's to subtract.
    pub fn catch_up_on(
        &self,
        member: MemberId,
        at: Instant,
    ) -> impl Iterator<Item = &DecisionRecord> {
        let joined = self.member(member).map(|m| m.joined_at);
        let scope = self.read_scope(Reader::Member(member), at);
        // Before joining there is nothing to catch up on; a stranger's window is empty.
        let window = match joined {
            Some(j) => {
                let start = self.decisions().partition_point(|d| d.decided_at() < j);
                &self.decisions()[start..]
            }
            None => &[],
        };
        window
            .iter()
            .take_while(move |d| d.decided_at() <= at)
            .filter(move |d| scope.admits(d.visibility))
    }

    /// The records a `markRead` covers for `member` at `at` (R11): always within what
    /// [`Movement::catch_up_on`] shows, whichever way the member names them.
    pub fn marked_read(
        &self,
        member: MemberId,
        at: Instant,
        what: MarkRead<'_>,
    ) -> Result<Vec<DecisionId>, UnknownDecision> {
        let window = self.catch_up_on(member, at);
        match what {
            MarkRead::These(ids) => {
                if let Some(missing) = ids.iter().find(|id| self.decision(**id).is_none()) {
                    return Err(UnknownDecision(*missing));
                }
                let wanted: std::collections::HashSet<&DecisionId> = ids.iter().collect();
                Ok(window
                    .filter(|d| wanted.contains(&d.id()))
                    .map(|d| d.id())
                    .collect())
            }
            MarkRead::UpTo(last) => {
                let end = self.decision(last).ok_or(UnknownDecision(last))?;
                let (end_at, end_id) = (end.decided_at(), end.id());
                let mut ids = Vec::new();
                for d in window {
                    if d.decided_at() > end_at {
                        break;
                    }
                    ids.push(d.id());
                    if d.id() == end_id {
                        break;
                    }
                }
                Ok(ids)
            }
            MarkRead::Everything => Ok(window.map(|d| d.id()).collect()),
        }
    }
}
