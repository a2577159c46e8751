//! What a meeting decides, and its relevé (R10): the check of a group decision against its
//! meeting, the decision noted in the relevé, and the closing of the relevé.

use crate::decision::{Decider, DecisionDraft};
use crate::error::{DecisionError, GovernanceError};
use crate::id::{DecisionId, MandateId, MeetingId, MemberId};
use crate::meeting::{AgendaItem, Convener, MeetingError};
use crate::movement::Movement;
use crate::time::Instant;
use chrono::Duration;

impl Movement {
    /// R10 under rules v2: a group decision needs a convened meeting of the deciding unit that
    /// has started, whose relevé is open, whose quorum is reached at the decision's instant,
    /// on its agenda where the rules ask it, recorded by one of its signed participants, and
    /// naming exactly its participants. Returns the mandate of a participant covering the
    /// domain (none for the Agora, which is sovereign).
    pub(crate) fn check_meeting_decision(
        &self,
        draft: &DecisionDraft,
    ) -> Result<Option<MandateId>, GovernanceError> {
        let at = draft.decided_at;
        let Decider::Body {
            meeting,
            participants,
            secretary,
        } = &draft.decider
        else {
            return Err(DecisionError::MeetingRequired.into());
        };
        let mid = meeting.ok_or(DecisionError::MeetingRequired)?;
        let mi = self.convened_meeting(mid)?;
        let m = &self.meetings[mi];
        if m.body != Some(draft.unit) {
            return Err(DecisionError::MeetingWrongUnit {
                meeting: mid,
                body: m.body,
            }
            .into());
        }
        if at < m.held_at || m.signatures.is_empty() {
            return Err(DecisionError::MeetingNotHeld(mid).into());
        }
        let close_days = self.settings_at(m.held_at).meetings.minutes_close_days;
        if !m.minutes_open_at(at, close_days) {
            return Err(MeetingError::MinutesClosed(mid).into());
        }
        let attendance = self
            .attendance(mid, at)
            .ok_or(DecisionError::MeetingRequired)?;
        let secretary = secretary.ok_or(DecisionError::SecretaryNotSigned)?;
        if !attendance.present.contains(&secretary) {
            return Err(DecisionError::SecretaryNotSigned.into());
        }
        let mut listed = participants.clone();
        listed.sort();
        let mut expected = attendance.participants();
        expected.sort();
        if listed != expected {
            return Err(DecisionError::ParticipantsMismatch.into());
        }
        if !attendance.has_quorum() {
            // Short of the quorum, or of the people it takes in person.
            let (present, required) = if attendance.count() < attendance.quorum {
                (attendance.count(), attendance.quorum)
            } else {
                (attendance.present.len(), attendance.min_present)
            };
            return Err(DecisionError::QuorumNotReached { present, required }.into());
        }
        let settings = self.settings_at(m.held_at);
        let is_agora = Some(draft.unit) == self.agora;
        if is_agora || draft.domain == settings.rules_domain {
            // The Agora decides only what its members were told it would decide: the domain
            // of the decision and of each of its effects was on the agenda published before
            // the notice deadline. A tension or a proposal on the agenda brings its subject to
            // the meeting, not a licence for any domain.
            let notice = self.notice_days(draft.unit, settings);
            let deadline = m
                .held_at
                .checked_sub_signed(Duration::days(i64::from(notice)))
                .unwrap_or(m.held_at);
            let published =
                |d: &crate::text::Domain| m.has_item(&AgendaItem::Domain(d.clone()), deadline);
            let mut needed = vec![&draft.domain];
            if is_agora {
                let s = self.settings_at(at);
                needed.extend(draft.effects.iter().map(|e| e.domain_in(s)));
            }
            if !needed.into_iter().all(published) {
                return Err(DecisionError::NotOnAgenda.into());
            }
        }
        if is_agora {
            return Ok(None);
        }
        self.competent_among(&attendance.present, draft).map(Some)
    }

    /// The mandate of the first of `members` who may decide `draft` at its instant: a body
    /// below the Agora decides only where one of its people holds authority.
    pub(crate) fn competent_among(
        &self,
        members: &[MemberId],
        draft: &DecisionDraft,
    ) -> Result<MandateId, GovernanceError> {
        let at = draft.decided_at;
        members
            .iter()
            .find_map(|p| self.authorize(*p, draft.unit, &draft.domain, at).ok())
            .map(|c| c.mandate)
            .ok_or_else(|| {
                DecisionError::BodyNotCompetent {
                    unit: draft.unit,
                    domain: draft.domain.clone(),
                    route: self.escalation_route(draft.unit, &draft.domain, at),
                }
                .into()
            })
    }

    /// Notes a recorded decision in its meeting's relevé.
    pub(crate) fn note_in_minutes(&mut self, decision: DecisionId, decider: &Decider) {
        if let Decider::Body {
            meeting: Some(m),
            secretary,
            ..
        } = decider
            && let Some(&mi) = self.meeting_index.get(m)
        {
            let meeting = &mut self.meetings[mi];
            meeting.decisions.push(decision);
            if let Some(s) = secretary
                && !meeting.secretaries.contains(s)
            {
                meeting.secretaries.push(*s);
            }
        }
    }

    /// The chair (the convener, if they signed) or a secretary closes the relevé.
    pub(crate) fn close_minutes(
        &mut self,
        meeting: MeetingId,
        by: MemberId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        self.require_member(by, at)?;
        let mi = self.convened_meeting(meeting)?;
        let m = &self.meetings[mi];
        if at < m.held_at {
            return Err(MeetingError::NotYetHeld(meeting).into());
        }
        let close_days = self.settings_at(m.held_at).meetings.minutes_close_days;
        if m.minutes_deadline(close_days).is_some_and(|d| d < at) || m.closed.is_some() {
            return Err(MeetingError::MinutesClosed(meeting).into());
        }
        let chair = match &m.convener {
            Convener::Member(c) => Some(*c),
            Convener::Petition { opened_by, .. } => Some(*opened_by),
            _ => None,
        };
        let is_chair = chair == Some(by) && m.signed_by(by, at);
        if !is_chair && !m.secretaries.contains(&by) {
            return Err(MeetingError::NotChairOrSecretary(meeting).into());
        }
        self.meetings[mi].closed = Some((at, by));
        Ok(())
    }
}
