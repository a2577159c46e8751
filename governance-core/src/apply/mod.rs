//! Applying events to a movement: each event is checked against the state at its instant and
//! either applied whole or refused with nothing changed. This file dispatches each event to the
//! file of its noun, and takes back the effects of a refused decision; the checks and changes
//! themselves are in `decisions.rs`, `effects.rs`, `structure.rs`, `mandates.rs`,
//! `tensions.rs`, `meetings.rs` and `reports.rs` (and, for meetings under rules v2,
//! `meeting_rules/`).

mod decisions;
mod effects;
mod mandates;
mod meetings;
mod reports;
mod structure;
mod tensions;

use crate::decision::DecisionDraft;
use crate::error::GovernanceError;
use crate::event::Event;
use crate::id::{MandateId, MemberId, UnitId};
use crate::meeting::MeetingError;
use crate::member::MemberError;
use crate::movement::Movement;
use crate::outcome::Outcome;
use crate::rules::RulesVersion;
use crate::text::Domain;
use crate::time::Instant;

/// How to take back one applied effect, when a later effect of the same decision is refused.
enum Undo {
    Unit(UnitId),
    Unarchive(UnitId),
    /// New domains of a unit, with the domains it became an owner of.
    Domains(UnitId, Vec<Domain>),
    Member(MemberId),
    Rejoin(MemberId),
    Mandate(MandateId),
    Unrevoke(usize),
    Settings,
}

/// An event the core accepted: as it was recorded, and the record it produced or changed.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The event as the log keeps it. It differs from the event given only where the core
    /// completed it: a holder's decision (or escalated proposal) that named no mandate names
    /// the one the authorization check found.
    pub event: Event,
    /// The record the event is about, as it stands after it (always present for an event
    /// this state accepted).
    pub outcome: Option<Outcome>,
}

impl Movement {
    /// The write path's one call into the core, for live writes, the founding, imports and the
    /// fixture builder alike: judges `event` under `rules` (once), applies it, and hands back
    /// what to store and what to answer. A replay, which answers nobody, calls
    /// [`Movement::apply_recorded`], the same judgement without the hand-back.
    pub fn record(
        &mut self,
        event: Event,
        rules: RulesVersion,
    ) -> Result<Recorded, GovernanceError> {
        let mut recorded = event.clone();
        self.apply_recorded(event, rules)?;
        match &mut recorded {
            Event::Decision(d) => {
                if let Some(r) = self.decision(d.id) {
                    d.decider = r.decider.clone();
                }
            }
            Event::Escalated(e) => {
                if let Some(x) = self.escalation(e.id) {
                    e.proposal.decider = x.proposal.decider.clone();
                }
            }
            _ => {}
        }
        let outcome = self.outcome(&recorded);
        Ok(Recorded {
            event: recorded,
            outcome,
        })
    }

    /// Applies one event under the current rules, or refuses it and changes nothing.
    pub fn apply(&mut self, event: Event) -> Result<(), GovernanceError> {
        self.apply_recorded(event, RulesVersion::CURRENT)
    }

    /// Applies one event judged by the rules it was recorded under (a replay of a log written
    /// by an earlier release), or refuses it and changes nothing. Rules never go back: once an
    /// event under newer rules is applied, older ones are refused.
    pub fn apply_recorded(
        &mut self,
        event: Event,
        rules: RulesVersion,
    ) -> Result<(), GovernanceError> {
        if rules < self.rules {
            return Err(GovernanceError::RulesDowngrade {
                event: rules,
                newest: self.rules,
            });
        }
        self.judging = rules;
        let result = self.apply_judged(event);
        self.judging = RulesVersion::CURRENT;
        if result.is_ok() {
            self.rules = rules;
        }
        result
    }

    fn is_v1(&self) -> bool {
        self.judging == RulesVersion::V1
    }

    fn apply_judged(&mut self, event: Event) -> Result<(), GovernanceError> {
        let at = event.at();
        if let Some(last) = self.last_event_at
            && at < last
        {
            return Err(GovernanceError::OutOfOrder { at, last });
        }
        match event {
            Event::Decision(draft) => self.record_decision(*draft)?,
            Event::Commitment {
                mandate,
                member,
                at,
            } => self.commit(mandate, member, at)?,
            Event::TensionRaised(t) => self.raise_tension(t)?,
            Event::TensionScheduled {
                tension,
                meeting,
                by,
                at,
            } => self.schedule_tension(tension, meeting, by, at)?,
            Event::TensionProcessed {
                tension,
                by,
                at,
                outcome,
                decisions,
            } => self.process_tension(tension, by, at, outcome, decisions)?,
            Event::TensionWithdrawn { tension, by, at } => {
                self.withdraw_tension(tension, by, at)?
            }
            Event::MeetingScheduled {
                meeting,
                kind,
                held_at,
                by,
                at,
            } if self.is_v1() => self.schedule_meeting(meeting, kind, held_at, by, at)?,
            Event::MeetingHeld {
                meeting,
                attendees,
                by,
                at,
            } if self.is_v1() => self.hold_meeting(meeting, attendees, by, at)?,
            // Under rules v2 a meeting is convened and each attendee signs for themselves.
            Event::MeetingScheduled { .. } | Event::MeetingHeld { .. } => {
                return Err(MeetingError::Superseded.into());
            }
            Event::AccountReported(report) => self.add_report(report)?,
            Event::MeetingConvened(c) => self.convene(*c)?,
            Event::PetitionSigned {
                meeting,
                member,
                by,
                at,
            } => self.sign_petition(meeting, member, by, at)?,
            Event::AgendaItemAdded {
                meeting,
                item,
                by,
                at,
            } => self.add_agenda_item(meeting, item, by, at)?,
            Event::AttendanceSigned {
                meeting,
                member,
                by,
                at,
            } => self.sign_attendance(meeting, member, by, at)?,
            Event::ProxyGiven {
                meeting,
                from,
                to,
                by,
                at,
            } => self.give_proxy(meeting, from, to, by, at)?,
            Event::ProxyWithdrawn {
                meeting,
                from,
                by,
                at,
            } => self.withdraw_proxy(meeting, from, by, at)?,
            Event::MinutesClosed { meeting, by, at } => self.close_minutes(meeting, by, at)?,
            Event::Escalated(request) => self.escalate(*request)?,
        }
        self.last_event_at = Some(at);
        self.event_count += 1;
        Ok(())
    }

    /// Checks a decision without recording it: the same answer `apply` would give.
    pub fn validate(&self, draft: &DecisionDraft) -> Result<(), GovernanceError> {
        let mut scratch = self.clone();
        scratch.judging = RulesVersion::CURRENT;
        scratch.record_decision(draft.clone())
    }

    pub(crate) fn require_member(
        &self,
        member: MemberId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        if !self.members.contains_key(&member) {
            return Err(MemberError::Unknown(member).into());
        }
        if !self.is_member_at(member, at) {
            return Err(MemberError::NotAMember(member).into());
        }
        Ok(())
    }

    fn rollback(&mut self, undo: Vec<Undo>) {
        for u in undo.into_iter().rev() {
            match u {
                Undo::Unit(id) => {
                    let unit = self.units.remove(&id).expect("undo of a created unit");
                    self.unit_order.pop();
                    if let Some(p) = unit.parent
                        && let Some(ch) = self.children.get_mut(&p)
                    {
                        ch.pop();
                    }
                    for d in unit.all_domains() {
                        if let Some(owners) = self.domain_owners.get_mut(d) {
                            owners.retain(|u| *u != id);
                        }
                    }
                    if self.agora == Some(id) {
                        self.agora = None;
                    }
                    if self.coordination == Some(id) {
                        self.coordination = None;
                    }
                    self.index_unit_changed(id);
                }
                Undo::Unarchive(id) => {
                    if let Some(u) = self.units.get_mut(&id) {
                        u.archived = None;
                    }
                    self.index_unit_changed(id);
                }
                Undo::Domains(id, became_owner) => {
                    if let Some(u) = self.units.get_mut(&id) {
                        u.domain_history.pop();
                    }
                    for d in &became_owner {
                        if let Some(owners) = self.domain_owners.get_mut(d) {
                            owners.retain(|u| *u != id);
                        }
                    }
                    self.index_unit_changed(id);
                }
                Undo::Member(id) => {
                    let m = self
                        .members
                        .remove(&id)
                        .expect("undo of an admitted member");
                    self.member_order.pop();
                    self.by_email.remove(&m.email);
                    self.index_member_changed(id);
                }
                Undo::Rejoin(id) => {
                    if let Some(m) = self.members.get_mut(&id) {
                        m.left = None;
                    }
                    self.index_member_changed(id);
                }
                Undo::Mandate(id) => {
                    let m = self.mandates.pop().expect("undo of an assigned mandate");
                    debug_assert_eq!(m.id, id);
                    self.mandate_index.remove(&id);
                    for list in [
                        self.by_member.get_mut(&m.holder),
                        self.by_unit.get_mut(&m.unit),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        list.pop();
                    }
                    self.index_unassigned(m.holder, m.unit);
                }
                Undo::Unrevoke(i) => {
                    self.mandates[i].revocation = None;
                    self.index_mandate_changed(i);
                }
                Undo::Settings => {
                    let mut versions = self.settings.versions().to_vec();
                    versions.pop();
                    self.settings = Default::default();
                    for v in versions {
                        self.settings.push(v);
                    }
                }
            }
        }
    }
}
