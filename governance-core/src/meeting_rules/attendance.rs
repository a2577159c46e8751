//! Who takes part in a meeting (R10): the college of the deciding body, the signatures of those
//! present, the proxies of those who are not, and the quorum they reach together.

use crate::error::GovernanceError;
use crate::id::{MeetingId, MemberId, UnitId};
use crate::mandate::{MandateStatus, Role};
use crate::meeting::{Attendance, Convener, MeetingError, Proxy, ProxyRefusal, Signature};
use crate::movement::Movement;
use crate::time::Instant;
use crate::unit::UnitKind;

impl Movement {
    /// Members holding a mandate in force in `unit` at `at`, referents first.
    pub(super) fn holders_in_force(&self, unit: UnitId, at: Instant) -> Vec<MemberId> {
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
}
