//! How meetings decide under rules v2 (R2, R9, R10, R19), by topic: `convocation.rs` (convening
//! with notice and agenda, petitions for the Agora), `attendance.rs` (the college, signatures,
//! proxies, quorum), `minutes.rs` (the check of a meeting's decision and the closing of its
//! relevé), `escalations.rs` (the inbox of escalated proposals) and `cadence.rs` (when the
//! recurring meetings are due). Every group decision is judged here; see
//! `docs/adr/0005-meetings-decide-together.md` for the choices behind each rule. This file holds
//! what every topic looks up: the body of a meeting, and a meeting by id.

mod attendance;
mod cadence;
mod convocation;
mod escalations;
mod minutes;

pub use crate::meeting_rules::cadence::Cadence;

use crate::error::GovernanceError;
use crate::id::{MeetingId, UnitId};
use crate::meeting::{MeetingError, MeetingKind};
use crate::movement::Movement;
use crate::rules::RulesVersion;
use crate::settings::{EscalationBody, Settings};
use crate::time::Instant;

impl Movement {
    /// The unit that decides in a meeting of `kind` at `at` (R2: the Gouvernance and
    /// Fonctionnement meetings belong to the body the settings name, the Coordination by default).
    pub fn meeting_body(&self, kind: MeetingKind, at: Instant) -> Option<UnitId> {
        match kind {
            MeetingKind::Agora => self.agora,
            MeetingKind::Unit(u) => Some(u),
            MeetingKind::Gouvernance | MeetingKind::Fonctionnement => {
                match self.settings_at(at).meetings.functioning_meetings_body {
                    EscalationBody::Coordination => self.coordination,
                    EscalationBody::Agora => self.agora,
                }
            }
        }
    }

    fn meeting_index_of(&self, id: MeetingId) -> Result<usize, GovernanceError> {
        Ok(*self
            .meeting_index
            .get(&id)
            .ok_or(MeetingError::Unknown(id))?)
    }

    /// A v2 meeting that is convened (not a petition still short of signatures).
    fn convened_meeting(&self, id: MeetingId) -> Result<usize, GovernanceError> {
        let mi = self.meeting_index_of(id)?;
        let m = &self.meetings[mi];
        if m.rules == RulesVersion::V1 {
            return Err(MeetingError::Legacy(id).into());
        }
        if m.convened_at.is_none() {
            return Err(MeetingError::NotConvened(id).into());
        }
        Ok(mi)
    }

    fn notice_days(&self, body: UnitId, settings: &Settings) -> u32 {
        if Some(body) == self.agora {
            settings.meetings.agora_notice_days
        } else {
            settings.meetings.unit_notice_days
        }
    }
}
