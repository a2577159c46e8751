//! Meetings as rules v1 recorded them: scheduled by a member, then held with the attendees the
//! recorder declared. Under rules v2 these events are refused; meetings are convened and signed
//! for (`meeting_rules/`).

use crate::error::GovernanceError;
use crate::id::{MeetingId, MemberId};
use crate::meeting::{Convener, Meeting, MeetingError, MeetingKind};
use crate::movement::Movement;
use crate::rules::RulesVersion;
use crate::time::Instant;
use crate::unit::UnitError;

impl Movement {
    pub(super) fn schedule_meeting(
        &mut self,
        id: MeetingId,
        kind: MeetingKind,
        held_at: Instant,
        by: MemberId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        if self.meeting_index.contains_key(&id) {
            return Err(MeetingError::Duplicate(id).into());
        }
        self.require_member(by, at)?;
        // A meeting is scheduled before it takes place: a meeting invented after the fact
        // could otherwise be used to process any tension.
        if held_at < at {
            return Err(MeetingError::InThePast(id).into());
        }
        if let MeetingKind::Unit(u) = kind {
            self.units
                .get(&u)
                .filter(|x| x.is_active_at(at))
                .ok_or(UnitError::Unknown(u))?;
        }
        let body = self.meeting_body(kind, at);
        self.meeting_index.insert(id, self.meetings.len());
        self.meetings.push(Meeting {
            id,
            kind,
            body,
            held_at,
            ends_at: None,
            scheduled_at: at,
            convened_at: Some(at),
            convener: Convener::Legacy(by),
            place: None,
            rules: RulesVersion::V1,
            attendees: Vec::new(),
            signatures: Vec::new(),
            proxies: Vec::new(),
            agenda: Vec::new(),
            items: Vec::new(),
            decisions: Vec::new(),
            secretaries: Vec::new(),
            closed: None,
        });
        Ok(())
    }

    /// Records who attended a meeting that took place; the recorder is one of them.
    pub(super) fn hold_meeting(
        &mut self,
        id: MeetingId,
        attendees: Vec<MemberId>,
        by: MemberId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        let mi = *self
            .meeting_index
            .get(&id)
            .ok_or(MeetingError::Unknown(id))?;
        let held_at = self.meetings[mi].held_at;
        if at < held_at {
            return Err(MeetingError::NotYetHeld(id).into());
        }
        if !self.meetings[mi].attendees.is_empty() {
            return Err(MeetingError::AlreadyHeld(id).into());
        }
        if !attendees.contains(&by) {
            return Err(MeetingError::NotAnAttendee {
                meeting: id,
                member: by,
            }
            .into());
        }
        let mut seen = std::collections::HashSet::new();
        let mut unique = Vec::with_capacity(attendees.len());
        for a in attendees {
            self.require_member(a, held_at)?;
            if seen.insert(a) {
                unique.push(a);
            }
        }
        self.meetings[mi].attendees = unique;
        Ok(())
    }
}
