//! Members of the movement, each with a membership period: outside it a person is an outsider
//! and may decide nothing (R17).

use crate::id::{DecisionId, MemberId};
use crate::text::{Email, Label};
use crate::time::Instant;

/// Why a membership change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemberError {
    #[error("member {0} does not exist")]
    Unknown(MemberId),
    #[error("member {0} already exists")]
    Duplicate(MemberId),
    #[error("the address {0} is already used by another member")]
    EmailTaken(Email),
    #[error("member {0} is not a member at that date")]
    NotAMember(MemberId),
}

/// A member: a person inside the movement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: MemberId,
    pub name: Label,
    pub email: Email,
    pub joined_at: Instant,
    pub admitted_by: DecisionId,
    /// When and by which decision the membership ended.
    pub left: Option<(Instant, DecisionId)>,
}

impl Member {
    /// Whether the person is a member at `at`: `[joined_at, left_at)`.
    pub fn is_member_at(&self, at: Instant) -> bool {
        self.joined_at <= at && self.left.is_none_or(|(when, _)| at < when)
    }
}
