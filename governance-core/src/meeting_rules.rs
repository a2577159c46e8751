//! How meetings decide under rules v2 (R2, R9, R10, R19): convocation with notice and agenda,
//! petitions for the Agora, signatures, proxies, quorum, the relevé and its closing, the
//! escalation inbox and the meetings' cadence. Every group decision is judged here; see
//! `docs/adr/0005-meetings-decide-together.md` for the choices behind each rule.

use crate::decision::{Decider, DecisionDraft};
use crate::error::{DecisionError, GovernanceError};
use crate::escalation::{Escalation, EscalationError, EscalationRequest};
use crate::event::Convocation;
use crate::id::{DecisionId, MandateId, MeetingId, MemberId, UnitId};
use crate::mandate::{MandateStatus, Role};
use crate::meeting::{
    AgendaEntry, AgendaItem, Attendance, Convener, MAX_AGENDA_ITEMS, Meeting, MeetingError,
    MeetingKind, Proxy, ProxyRefusal, Signature,
};
use crate::movement::Movement;
use crate::rules::RulesVersion;
use crate::settings::{EscalationBody, Settings};
use crate::tension::{TensionError, TensionStatus};
use crate::time::Instant;
use crate::unit::{UnitError, UnitKind};
use chrono::Duration;

/// When a recurring meeting (R2) is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cadence {
    pub kind: MeetingKind,
    pub every_months: u32,
    /// The last meeting of this kind that took place (someone signed) at or before the date.
    pub last_held: Option<Instant>,
    /// When the next one is due: the last one, or the founding, plus the cadence.
    pub due_at: Instant,
    /// The next meeting of this kind already convened after the date, if any.
    pub next_convened: Option<MeetingId>,
    /// Whether the due date has passed without a meeting taking place.
    pub overdue: bool,
}

impl Movement {
    // ----- questions --------------------------------------------------------------------------

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

    /// Members holding a mandate in force in `unit` at `at`, referents first.
    fn holders_in_force(&self, unit: UnitId, at: Instant) -> Vec<MemberId> {
        let mut holders: Vec<(Role, MemberId)> = self
            .mandates_in(unit)
            .filter(|m| m.is_known_at(at) && m.status_at(at) == MandateStatus::InForce)
            .filter(|m| self.is_member_at(m.holder, at))
            .map(|m| (m.role, m.holder))
            .collect();
        holders.sort_by_key(|(role, _)| *role != Role::Referent);
        let mut seen = Vec::with_capacity(holders.len());
        for (_, h) in holders {
            if !seen.contains(&h) {
                seen.push(h);
            }
        }
        seen
    }

    /// Who may take part in a decision of `body` at `at`: every member for the Agora; for any
    /// other unit, the holders in force of the unit and of the Comités and working groups it
    /// holds directly (a Pôle's meeting gathers its Comités; the Pôles meet on their own).
    pub fn college(&self, body: UnitId, at: Instant) -> Vec<MemberId> {
        if Some(body) == self.agora {
            return self
                .member_order
                .iter()
                .copied()
                .filter(|m| self.is_member_at(*m, at))
                .collect();
        }
        if !self.units.get(&body).is_some_and(|u| u.is_active_at(at)) {
            return Vec::new();
        }
        let mut college = self.holders_in_force(body, at);
        for child in self.children(body) {
            // An archived Comité has no holders to bring (R1).
            let kind = self
                .units
                .get(child)
                .filter(|u| u.is_active_at(at))
                .map(|u| u.kind);
            if matches!(kind, Some(UnitKind::Comite | UnitKind::WorkingGroup)) {
                for h in self.holders_in_force(*child, at) {
                    if !college.contains(&h) {
                        college.push(h);
                    }
                }
            }
        }
        college
    }

    /// Whether `member` may convene a meeting of `body` at `at`: a referent or holder in force
    /// of that unit; for the Agora, of the Coordination.
    pub fn may_convene(&self, member: MemberId, body: UnitId, at: Instant) -> bool {
        let unit = if Some(body) == self.agora {
            match self.coordination {
                Some(c) => c,
                None => return false,
            }
        } else {
            body
        };
        self.holders_in_force(unit, at).contains(&member)
    }

    /// The attendance of a meeting at `at`: who takes part, who is a guest, and the quorum.
    pub fn attendance(&self, meeting: MeetingId, at: Instant) -> Option<Attendance> {
        let m = self.meeting(meeting)?;
        let body = m.body?;
        if matches!(m.convener, Convener::Founding) {
            // The founders sign by founding: they are the whole college.
            return Some(Attendance {
                college: m.attendees.clone(),
                present: m.attendees.clone(),
                represented: Vec::new(),
                guests: Vec::new(),
                quorum: m.attendees.len(),
                min_present: 0,
            });
        }
        let college = self.college(body, m.held_at);
        let rules = &self.settings_at(m.held_at).meetings;
        let signed: Vec<MemberId> = m
            .signatures
            .iter()
            .filter(|s| s.signed_at <= at)
            .map(|s| s.member)
            .collect();
        let present: Vec<MemberId> = signed
            .iter()
            .copied()
            .filter(|s| college.contains(s))
            .collect();
        let guests = signed
            .iter()
            .copied()
            .filter(|s| !college.contains(s))
            .collect();
        // Proxies are fixed at the start: one withdrawn before it does not count.
        let represented = college
            .iter()
            .filter(|c| !present.contains(c))
            .filter_map(|c| m.proxy_of(*c, m.held_at).map(|p| (*c, p.to)))
            .filter(|(_, to)| present.contains(to))
            .collect();
        let share = if Some(body) == self.agora {
            rules.agora_quorum
        } else {
            rules.unit_quorum
        };
        let quorum = share.of(college.len()).max(rules.min_participants as usize);
        Some(Attendance {
            college,
            present,
            represented,
            guests,
            quorum,
            min_present: rules.min_participants as usize,
        })
    }

    /// The proposals waiting in the inbox of `body` at `at` (R9).
    pub fn inbox(&self, body: UnitId, at: Instant) -> Vec<&Escalation> {
        self.escalations
            .iter()
            .filter(|e| e.body == body && e.is_open_at(at))
            .collect()
    }

    /// When the Fonctionnement and Gouvernance meetings are due at `at` (R2).
    pub fn meeting_cadence(&self, at: Instant) -> Vec<Cadence> {
        let Some(founded) = self.decisions.first().map(|d| d.decided_at()) else {
            return Vec::new();
        };
        let settings = self.settings_at(at);
        [
            (
                MeetingKind::Fonctionnement,
                settings.fonctionnement_every_months,
            ),
            (
                MeetingKind::Gouvernance,
                settings.meetings.gouvernance_every_months,
            ),
        ]
        .into_iter()
        .map(|(kind, every)| {
            let of_kind = || self.meetings.iter().filter(move |m| m.kind == kind);
            // Held: under the former rules, someone was declared there; under the current
            // ones, it reached its quorum (guests alone are no meeting).
            let last_held = of_kind()
                .filter(|m| m.held_at <= at)
                .filter(|m| match m.rules {
                    RulesVersion::V1 => !m.attendees.is_empty(),
                    RulesVersion::V2 => {
                        let end = m.ends_at.unwrap_or(m.held_at).min(at);
                        self.attendance(m.id, end).is_some_and(|a| a.has_quorum())
                    }
                })
                .map(|m| m.held_at)
                .max();
            let due_at = crate::time::add_months(last_held.unwrap_or(founded), every);
            let next_convened = of_kind()
                .filter(|m| m.held_at > at && m.convened_at.is_some_and(|c| c <= at))
                .min_by_key(|m| m.held_at)
                .map(|m| m.id);
            Cadence {
                kind,
                every_months: every,
                last_held,
                due_at,
                next_convened,
                overdue: due_at <= at,
            }
        })
        .collect()
    }

    // ----- events -----------------------------------------------------------------------------

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

    /// Checks that an agenda item fits a meeting of `body` at `at`.
    fn check_agenda_item(
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
    fn petition_reached(
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

    /// R10: each attendee signs their own presence, while the meeting takes place.
    pub(crate) fn sign_attendance(
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
        let mi = self.convened_meeting(meeting)?;
        let m = &self.meetings[mi];
        let ends = m.ends_at.unwrap_or(m.held_at);
        if at < m.held_at || at >= ends || m.closed.is_some() {
            return Err(MeetingError::OutsideWindow { meeting }.into());
        }
        if m.signatures.iter().any(|s| s.member == member) {
            return Err(MeetingError::AlreadySigned(member).into());
        }
        let m = &mut self.meetings[mi];
        m.signatures.push(Signature {
            member,
            signed_at: at,
        });
        m.attendees.push(member);
        Ok(())
    }

    /// R10: a member who cannot come gives a proxy before the start, within the cap, never
    /// along a chain.
    pub(crate) fn give_proxy(
        &mut self,
        meeting: MeetingId,
        from: MemberId,
        to: MemberId,
        by: MemberId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        if from != by {
            return Err(MeetingError::SignatureNotOwn.into());
        }
        self.require_member(from, at)?;
        self.require_member(to, at)?;
        let mi = self.convened_meeting(meeting)?;
        let m = &self.meetings[mi];
        let refuse =
            |r: ProxyRefusal| -> Result<(), GovernanceError> { Err(MeetingError::Proxy(r).into()) };
        if at >= m.held_at {
            return refuse(ProxyRefusal::TooLate);
        }
        if from == to {
            return refuse(ProxyRefusal::ToSelf);
        }
        let body = m.body.ok_or(MeetingError::Legacy(meeting))?;
        let college = self.college(body, at);
        if !college.contains(&from) || !college.contains(&to) {
            return refuse(ProxyRefusal::NotInCollege);
        }
        if m.proxy_of(from, at).is_some() {
            return refuse(ProxyRefusal::AlreadyGiven);
        }
        if m.proxy_of(to, at).is_some() || m.proxies_held_by(from, at).next().is_some() {
            return refuse(ProxyRefusal::Chained);
        }
        let rules = &self.settings_at(at).meetings;
        let cap = if Some(body) == self.agora {
            rules.agora_proxies_per_holder
        } else {
            rules.unit_proxies_per_holder
        };
        if m.proxies_held_by(to, at).count() >= cap as usize {
            return refuse(ProxyRefusal::OverCap(cap));
        }
        self.meetings[mi].proxies.push(Proxy {
            from,
            to,
            given_at: at,
            withdrawn_at: None,
        });
        Ok(())
    }

    /// A proxy can be withdrawn until the meeting starts.
    pub(crate) fn withdraw_proxy(
        &mut self,
        meeting: MeetingId,
        from: MemberId,
        by: MemberId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        if from != by {
            return Err(MeetingError::SignatureNotOwn.into());
        }
        let mi = self.convened_meeting(meeting)?;
        let m = &mut self.meetings[mi];
        if at >= m.held_at {
            return Err(MeetingError::Proxy(ProxyRefusal::TooLate).into());
        }
        let Some(p) = m
            .proxies
            .iter_mut()
            .find(|p| p.from == from && p.withdrawn_at.is_none())
        else {
            return Err(MeetingError::Proxy(ProxyRefusal::NoneGiven).into());
        };
        p.withdrawn_at = Some(at);
        Ok(())
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

    /// R9: a holder escalates a proposal the engine refuses with `ESCALATION_REQUIRED`; it waits
    /// in the inbox of the body at the end of the route.
    pub(crate) fn escalate(&mut self, request: EscalationRequest) -> Result<(), GovernanceError> {
        let at = request.proposal.decided_at;
        if self.escalation_index.contains_key(&request.id) {
            return Err(EscalationError::Duplicate(request.id).into());
        }
        self.require_member(request.by, at)?;
        if !matches!(request.proposal.decider, Decider::Holder { member, .. } if member == request.by)
        {
            return Err(EscalationError::NotTheProposer.into());
        }
        // Only a holder escalates, and only from within a mandate: someone without authority
        // there cannot fill the Coordination's or the Agora's inbox.
        let p = &request.proposal;
        if let Err(denial) = self.may_decide(request.by, p.unit, &p.domain, at) {
            return Err(DecisionError::Denied(denial).into());
        }
        let (to, route) = match self.validate(&request.proposal) {
            Ok(()) => return Err(EscalationError::NothingToEscalate.into()),
            Err(GovernanceError::Decision(DecisionError::EscalationRequired { to, route })) => {
                (to, route)
            }
            Err(other) => return Err(other),
        };
        let body = match to {
            EscalationBody::Coordination => self.coordination,
            EscalationBody::Agora => self.agora,
        }
        .ok_or(DecisionError::NotFounded)?;
        self.escalation_index
            .insert(request.id, self.escalations.len());
        self.escalations.push(Escalation {
            id: request.id,
            proposal: request.proposal,
            by: request.by,
            at,
            to,
            body,
            route,
            answered: None,
        });
        Ok(())
    }

    /// Checks that a decision answering an escalation comes from the body it went to, once.
    pub(crate) fn check_answer(&self, draft: &DecisionDraft) -> Result<(), GovernanceError> {
        let Some(id) = draft.escalation else {
            return Ok(());
        };
        // An escalation goes to a body: one of its members alone does not answer for it.
        if !matches!(draft.decider, Decider::Body { .. }) {
            return Err(DecisionError::MeetingRequired.into());
        }
        let e = self.escalation(id).ok_or(EscalationError::Unknown(id))?;
        if e.answered.is_some() {
            return Err(EscalationError::AlreadyAnswered(id).into());
        }
        if e.body != draft.unit || e.at > draft.decided_at {
            return Err(EscalationError::WrongBody(id).into());
        }
        Ok(())
    }

    /// Marks the escalation a recorded decision answers.
    pub(crate) fn note_answer(&mut self, draft: &DecisionDraft) {
        if let Some(id) = draft.escalation
            && let Some(&i) = self.escalation_index.get(&id)
        {
            self.escalations[i].answered = Some((draft.id, draft.decided_at));
        }
    }
}
