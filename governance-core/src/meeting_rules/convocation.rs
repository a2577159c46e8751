//! Convening a meeting (R10): by someone entitled, with notice, a place and an agenda; an Agora
//! convened by anyone else opens a petition, convened once enough members sign it. Also the
//! agenda: what may go on it, and tensions moving onto it.

use crate::error::{DecisionError, GovernanceError};
use crate::escalation::EscalationError;
use crate::event::Convocation;
use crate::id::{MeetingId, MemberId, UnitId};
use crate::meeting::{
    AgendaEntry, AgendaItem, Convener, MAX_AGENDA_ITEMS, Meeting, MeetingError, MeetingKind,
    Signature,
};
use crate::movement::Movement;
use crate::rules::RulesVersion;
use crate::tension::{TensionError, TensionStatus};
use crate::time::Instant;
use crate::unit::{UnitError, UnitKind};
use chrono::Duration;

impl Movement {
    /// Checks that an agenda item fits a meeting of `body` at `at`.
    pub(super) fn check_agenda_item(
        &self,
        kind: MeetingKind,
        body: UnitId,
        item: &AgendaItem,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        let fits = match item {
            AgendaItem::Domain(d) => {
                let own = self
                    .units
                    .get(&body)
                    .is_some_and(|u| u.domains_at(at).contains(d));
                own || (Some(body) == self.agora
                    && self.domain_owners.get(d).is_some_and(|us| !us.is_empty()))
            }
            AgendaItem::Tension(id) => {
                let t = self.tension(*id).ok_or(TensionError::Unknown(*id))?;
                self.tension_movable(*id, at) && kind.hosts(t.space, self.coordination, self.agora)
            }
            AgendaItem::Escalation(e) => {
                let e = self.escalation(*e).ok_or(EscalationError::Unknown(*e))?;
                e.body == body && e.answered.is_none()
            }
        };
        if fits {
            Ok(())
        } else {
            Err(MeetingError::AgendaItem.into())
        }
    }

    /// R10: a meeting is convened by someone entitled, with notice, a place and an agenda. An
    /// Agora convened by someone else opens a petition instead, convened once enough members
    /// sign it.
    pub(crate) fn convene(&mut self, c: Convocation) -> Result<(), GovernanceError> {
        let at = c.at;
        if self.meeting_index.contains_key(&c.meeting) {
            return Err(MeetingError::Duplicate(c.meeting).into());
        }
        self.require_member(c.by, at)?;
        if let MeetingKind::Unit(u) = c.kind {
            let unit = self
                .units
                .get(&u)
                .filter(|x| x.is_active_at(at))
                .ok_or(UnitError::Unknown(u))?;
            if unit.kind == UnitKind::Agora {
                // The Agora is convened as the Agora, with its own notice.
                return Err(MeetingError::AgoraAsUnit.into());
            }
        }
        let body = self
            .meeting_body(c.kind, at)
            .ok_or(DecisionError::NotFounded)?;
        let settings = self.settings_at(at).clone();
        let max_hours = settings.meetings.max_meeting_hours;
        if c.ends_at - c.starts_at < Duration::minutes(1)
            || c.ends_at - c.starts_at > Duration::hours(i64::from(max_hours))
        {
            return Err(MeetingError::Duration { max_hours }.into());
        }
        if c.starts_at < at {
            return Err(MeetingError::InThePast(c.meeting).into());
        }
        // A convocation years ahead is no convocation; the bound also keeps every date the
        // engine computes from it far from the calendar's end.
        if c.starts_at - at > Duration::days(2 * 366) {
            return Err(MeetingError::TooFarAhead { years: 2 }.into());
        }
        if c.agenda.len() > MAX_AGENDA_ITEMS {
            return Err(MeetingError::AgendaTooLong {
                max: MAX_AGENDA_ITEMS,
            }
            .into());
        }
        for (i, item) in c.agenda.iter().enumerate() {
            if c.agenda[..i].contains(item) {
                return Err(MeetingError::AgendaItem.into());
            }
            self.check_agenda_item(c.kind, body, item, at)?;
        }
        let entitled = self.may_convene(c.by, body, at);
        let is_agora = Some(body) == self.agora;
        if !entitled && !is_agora {
            return Err(MeetingError::NotEntitled { member: c.by }.into());
        }
        let notice = self.notice_days(body, &settings);
        if entitled && c.starts_at - at < Duration::days(i64::from(notice)) {
            return Err(MeetingError::NoticeTooShort { days: notice }.into());
        }
        let convened = entitled || self.petition_reached(&[c.by], c.starts_at, at)?;
        let convener = if entitled {
            Convener::Member(c.by)
        } else {
            Convener::Petition {
                opened_by: c.by,
                signatures: vec![Signature {
                    member: c.by,
                    signed_at: at,
                }],
            }
        };
        let items = c
            .agenda
            .iter()
            .map(|item| AgendaEntry {
                item: item.clone(),
                added_at: at,
                added_by: c.by,
            })
            .collect();
        let agenda = c
            .agenda
            .iter()
            .filter_map(|i| match i {
                AgendaItem::Tension(t) => Some(*t),
                _ => None,
            })
            .collect::<Vec<_>>();
        let mi = self.meetings.len();
        self.meeting_index.insert(c.meeting, mi);
        self.meetings.push(Meeting {
            id: c.meeting,
            kind: c.kind,
            body: Some(body),
            held_at: c.starts_at,
            ends_at: Some(c.ends_at),
            scheduled_at: at,
            convened_at: convened.then_some(at),
            convener,
            place: Some(c.place),
            rules: RulesVersion::V2,
            attendees: Vec::new(),
            signatures: Vec::new(),
            proxies: Vec::new(),
            agenda: Vec::new(),
            items,
            decisions: Vec::new(),
            secretaries: Vec::new(),
            closed: None,
        });
        // The items were checked above: each tension is open or scheduled, so this cannot fail.
        for t in agenda {
            self.put_tension_on(t, mi, at)?;
        }
        Ok(())
    }

    /// Whether a tension may go on an agenda at `at`: open, or on the agenda of a meeting that
    /// has not started (a meeting in session keeps what it was convened to discuss).
    pub(crate) fn tension_movable(&self, tension: crate::id::TensionId, at: Instant) -> bool {
        match self.tension(tension).map(|t| &t.status) {
            Some(TensionStatus::Open) => true,
            Some(TensionStatus::Scheduled { meeting }) => {
                self.meeting(*meeting).is_none_or(|m| m.held_at > at)
            }
            _ => false,
        }
    }

    /// Moves a tension onto a meeting's agenda (leaving any earlier meeting's agenda).
    pub(crate) fn put_tension_on(
        &mut self,
        tension: crate::id::TensionId,
        mi: usize,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        let meeting = self.meetings[mi].id;
        let previous = match self.tension(tension).map(|t| &t.status) {
            Some(TensionStatus::Scheduled { meeting }) => self.meeting_index.get(meeting).copied(),
            _ => None,
        };
        self.set_tension_status(tension, at, TensionStatus::Scheduled { meeting })?;
        if let Some(p) = previous {
            let gone = AgendaItem::Tension(tension);
            self.meetings[p].agenda.retain(|t| *t != tension);
            self.meetings[p].items.retain(|e| e.item != gone);
        }
        self.meetings[mi].agenda.push(tension);
        Ok(())
    }

    /// Whether `signatures` signatures convene a petition's Agora starting at `starts_at`, as of
    /// `at`; refused when they do but the notice can no longer be kept.
    pub(super) fn petition_reached(
        &self,
        signers: &[MemberId],
        starts_at: Instant,
        at: Instant,
    ) -> Result<bool, GovernanceError> {
        // Only the signatures of people who are still members count.
        let signatures = signers
            .iter()
            .filter(|s| self.is_member_at(**s, at))
            .count();
        let rules = &self.settings_at(at).meetings;
        let members = self
            .member_order
            .iter()
            .filter(|m| self.is_member_at(**m, at))
            .count();
        if signatures < rules.petition.of(members).max(1) {
            return Ok(false);
        }
        let notice = rules.agora_notice_days;
        if starts_at - at < Duration::days(i64::from(notice)) {
            return Err(MeetingError::NoticeTooShort { days: notice }.into());
        }
        Ok(true)
    }

    /// A member signs a petition for an Agora, for themselves.
    pub(crate) fn sign_petition(
        &mut self,
        meeting: MeetingId,
        member: MemberId,
        by: MemberId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        if member != by {
            return Err(MeetingError::SignatureNotOwn.into());
        }
        self.require_member(member, at)?;
        let mi = self.meeting_index_of(meeting)?;
        let m = &self.meetings[mi];
        let Convener::Petition { signatures, .. } = &m.convener else {
            return Err(MeetingError::NotAPetition(meeting).into());
        };
        if m.convened_at.is_some() {
            return Err(MeetingError::NotAPetition(meeting).into());
        }
        if signatures.iter().any(|s| s.member == member) {
            return Err(MeetingError::AlreadySigned(member).into());
        }
        let mut signers: Vec<MemberId> = signatures.iter().map(|s| s.member).collect();
        signers.push(member);
        let reached = self.petition_reached(&signers, m.held_at, at)?;
        let m = &mut self.meetings[mi];
        if let Convener::Petition { signatures, .. } = &mut m.convener {
            signatures.push(Signature {
                member,
                signed_at: at,
            });
        }
        if reached {
            m.convened_at = Some(at);
        }
        Ok(())
    }

    /// The convener, or anyone entitled to convene that body, adds an item before the start.
    pub(crate) fn add_agenda_item(
        &mut self,
        meeting: MeetingId,
        item: crate::meeting::AgendaItem,
        by: MemberId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        self.require_member(by, at)?;
        let mi = self.meeting_index_of(meeting)?;
        let m = &self.meetings[mi];
        if m.rules == RulesVersion::V1 {
            return Err(MeetingError::Legacy(meeting).into());
        }
        let body = m.body.ok_or(MeetingError::Legacy(meeting))?;
        let entitled = match &m.convener {
            Convener::Member(c) => *c == by || self.may_convene(by, body, at),
            // What others signed is the agenda they signed for: it grows no more after.
            Convener::Petition {
                opened_by,
                signatures,
            } => *opened_by == by && signatures.len() <= 1,
            Convener::Founding | Convener::Legacy(_) => false,
        };
        if !entitled {
            return Err(MeetingError::NotEntitled { member: by }.into());
        }
        if at >= m.held_at {
            return Err(MeetingError::AlreadyHeld(meeting).into());
        }
        if m.items.len() >= MAX_AGENDA_ITEMS {
            return Err(MeetingError::AgendaTooLong {
                max: MAX_AGENDA_ITEMS,
            }
            .into());
        }
        if m.items.iter().any(|e| e.item == item) {
            return Err(MeetingError::AgendaItem.into());
        }
        self.check_agenda_item(m.kind, body, &item, at)?;
        if let AgendaItem::Tension(t) = &item {
            self.put_tension_on(*t, mi, at)?;
        }
        self.meetings[mi].items.push(AgendaEntry {
            item,
            added_at: at,
            added_by: by,
        });
        Ok(())
    }
}
