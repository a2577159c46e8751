//! Applying events to a movement: each event is checked against the state at its instant and
//! either applied whole or refused with nothing changed.

use crate::account::{AccountReport, AccountReportError};
use crate::decision::{Decider, DecisionDraft, DecisionRecord, Impact, LinkKind};
use crate::effect::{Effect, NewMandate, NewMember, NewUnit};
use crate::error::{DecisionError, GovernanceError};
use crate::event::{Event, NewTension};
use crate::id::{DecisionId, MandateId, MeetingId, MemberId, TensionId, UnitId};
use crate::mandate::{Mandate, MandateError, MandateStatus, Revocation, Scope};
use crate::meeting::{Convener, Meeting, MeetingError, MeetingKind};
use crate::member::{Member, MemberError};
use crate::movement::Movement;
use crate::rules::RulesVersion;
use crate::settings::{EscalationBody, MandateAssigner, Settings, SettingsVersion};
use crate::tension::{Tension, TensionError, TensionStatus, TensionSubject, default_space};
use crate::text::{Domain, Text};
use crate::time::{Instant, Period};
use crate::unit::{Unit, UnitError, UnitKind};

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

impl Movement {
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

    // ----- decisions -------------------------------------------------------------------------

    fn record_decision(&mut self, draft: DecisionDraft) -> Result<(), GovernanceError> {
        let at = draft.decided_at;
        if self.decision_index.contains_key(&draft.id) {
            return Err(DecisionError::Duplicate(draft.id).into());
        }
        if let Some(from) = draft.effective_from
            && from < at
        {
            return Err(DecisionError::Retroactive.into());
        }
        if let Some(until) = draft.effective_until
            && until <= draft.effective_from.unwrap_or(at)
        {
            return Err(DecisionError::EffectivePeriod.into());
        }
        if let Some(t) = draft.tension
            && !self.tension_index.contains_key(&t)
        {
            return Err(DecisionError::UnknownTension(t).into());
        }
        if !self.is_founded() {
            return self.record_founding(draft);
        }
        self.check_answer(&draft)?;
        // The Agora decides only as the assembly: under rules v2 a mandate held in it since
        // v1 does not let one person decide in its name.
        if !self.is_v1()
            && Some(draft.unit) == self.agora
            && matches!(draft.decider, Decider::Holder { .. })
        {
            return Err(DecisionError::MeetingRequired.into());
        }
        self.check_reserved(&draft)?;
        let authorized_by = self.check_decider(&draft)?;
        self.check_consultations(&draft)?;
        self.check_impact(&draft)?;
        self.check_links(&draft)?;
        let undo = self.apply_effects(&draft, false)?;
        let _ = undo;
        self.push_decision(DecisionRecord::new(draft, authorized_by));
        Ok(())
    }

    /// The founding decision of the Agora: it creates the Agora first, admits the founders, and
    /// is taken by all of them as a body.
    fn record_founding(&mut self, draft: DecisionDraft) -> Result<(), GovernanceError> {
        let first_is_agora = matches!(
            draft.effects.first(),
            Some(Effect::CreateUnit(NewUnit { id, kind: UnitKind::Agora, .. })) if *id == draft.unit
        );
        if !first_is_agora {
            return Err(DecisionError::NotFounded.into());
        }
        let Decider::Body {
            participants,
            meeting,
            ..
        } = &draft.decider
        else {
            return Err(
                DecisionError::InvalidFounding("it is taken by the founders as a body").into(),
            );
        };
        if participants.is_empty() {
            return Err(DecisionError::NoParticipants.into());
        }
        // Under rules v2 the founding assembly is a meeting, and its founders are exactly the
        // members it admits: nobody founds in the name of people who are not there.
        let founding_meeting = match (self.is_v1(), meeting) {
            (true, _) => None,
            (false, None) => return Err(DecisionError::MeetingRequired.into()),
            (false, Some(m)) => Some(*m),
        };
        if let Some(m) = founding_meeting {
            let mut admitted: Vec<MemberId> = draft
                .effects
                .iter()
                .filter_map(|e| match e {
                    Effect::AdmitMember(nm) => Some(nm.id),
                    _ => None,
                })
                .collect();
            admitted.sort();
            let mut listed = participants.clone();
            listed.sort();
            if admitted != listed {
                return Err(DecisionError::ParticipantsMismatch.into());
            }
            if self.meeting_index.contains_key(&m) {
                return Err(MeetingError::Duplicate(m).into());
            }
        }
        let undo = self.apply_effects(&draft, true)?;
        if let Some(m) = founding_meeting {
            self.found_assembly(m, &draft);
        }
        let check = (|| {
            if self.coordination.is_none() {
                return Err(
                    DecisionError::InvalidFounding("it must create the Coordination").into(),
                );
            }
            self.check_decider_v1(&draft)?;
            self.check_links(&draft)
        })();
        if let Err(e) = check {
            if let Some(m) = founding_meeting {
                self.meetings.pop();
                self.meeting_index.remove(&m);
            }
            self.rollback(undo);
            return Err(e);
        }
        self.push_decision(DecisionRecord::new(draft, None));
        Ok(())
    }

    /// The founding assembly: the one meeting before any member, signed by its founders by
    /// founding, and closed at once so that nobody speaks for it afterwards.
    fn found_assembly(&mut self, id: MeetingId, draft: &DecisionDraft) {
        let at = draft.decided_at;
        let founders = match &draft.decider {
            Decider::Body { participants, .. } => participants.clone(),
            Decider::Holder { .. } => Vec::new(),
        };
        self.meeting_index.insert(id, self.meetings.len());
        self.meetings.push(Meeting {
            id,
            kind: MeetingKind::Agora,
            body: self.agora,
            held_at: at,
            ends_at: Some(at),
            scheduled_at: at,
            convened_at: Some(at),
            convener: Convener::Founding,
            place: None,
            rules: RulesVersion::V2,
            attendees: founders.clone(),
            signatures: founders
                .iter()
                .map(|f| crate::meeting::Signature {
                    member: *f,
                    signed_at: at,
                })
                .collect(),
            proxies: Vec::new(),
            agenda: Vec::new(),
            items: Vec::new(),
            decisions: Vec::new(),
            secretaries: Vec::new(),
            closed: founders.first().map(|f| (at, *f)),
        });
    }

    fn push_decision(&mut self, record: DecisionRecord) {
        let idx = self.decisions.len();
        self.decision_index.insert(record.id(), idx);
        self.decisions_by_scope
            .entry((record.unit(), record.domain().clone()))
            .or_default()
            .push(idx);
        for link in &record.links {
            self.linked_from
                .entry(link.target)
                .or_default()
                .push((link.kind, record.id()));
        }
        self.note_in_minutes(record.id(), &record.decider);
        self.note_answer(&record);
        self.decisions.push(record);
    }

    /// Checks that the decider held authority at that instant; returns the mandate used.
    fn check_decider(&self, draft: &DecisionDraft) -> Result<Option<MandateId>, GovernanceError> {
        match &draft.decider {
            Decider::Body { .. } if !self.is_v1() => self.check_meeting_decision(draft),
            _ => self.check_decider_v1(draft),
        }
    }

    /// The decider check of rules v1, which also judges holders under v2. A body listed its
    /// participants, and the meeting, when named, only had to have taken place with them.
    fn check_decider_v1(
        &self,
        draft: &DecisionDraft,
    ) -> Result<Option<MandateId>, GovernanceError> {
        let at = draft.decided_at;
        match &draft.decider {
            Decider::Holder { member, mandate } => {
                let named = self.mandate(*mandate);
                if named.is_some_and(|m| m.holder != *member) {
                    return Err(DecisionError::NotYourMandate.into());
                }
                match self.may_decide(*member, draft.unit, &draft.domain, at) {
                    // The holder named a mandate of theirs in this unit: the refusal is about
                    // that one, not about whichever other mandate came closest.
                    Err(mut denial) => {
                        if let Some(m) = named.filter(|m| m.unit == draft.unit)
                            && let Some(reason) = self.named_mandate_denial(m, draft, at)
                        {
                            denial.reason = reason;
                        }
                        Err(DecisionError::Denied(denial).into())
                    }
                    Ok(c) if c.mandate == *mandate => Ok(Some(c.mandate)),
                    Ok(_) => {
                        // Another mandate grants it; accept the named one only if it also does.
                        let grants = named.is_some_and(|m| {
                            m.status_at(at) == MandateStatus::InForce
                                && m.unit == draft.unit
                                && self.units.get(&draft.unit).is_some_and(|u| {
                                    m.scope.covers(&draft.domain, u.domains_at(at))
                                })
                        });
                        if grants {
                            Ok(Some(*mandate))
                        } else {
                            Err(DecisionError::WrongMandate.into())
                        }
                    }
                }
            }
            Decider::Body {
                meeting,
                participants,
                ..
            } => {
                if participants.is_empty() {
                    return Err(DecisionError::NoParticipants.into());
                }
                for (i, p) in participants.iter().enumerate() {
                    if participants[..i].contains(p) {
                        return Err(DecisionError::DuplicateParticipant(*p).into());
                    }
                    if !self.is_member_at(*p, at) {
                        return Err(DecisionError::ParticipantNotMember(*p).into());
                    }
                }
                if let Some(mid) = meeting {
                    let m = self.meeting(*mid).ok_or(MeetingError::Unknown(*mid))?;
                    if m.held_at > at {
                        return Err(DecisionError::MeetingNotHeld(*mid).into());
                    }
                    if let Some(absent) = participants.iter().find(|p| !m.attendees.contains(p)) {
                        return Err(MeetingError::NotAnAttendee {
                            meeting: *mid,
                            member: *absent,
                        }
                        .into());
                    }
                }
                let unit = self
                    .units
                    .get(&draft.unit)
                    .filter(|u| u.is_active_at(at))
                    .ok_or(UnitError::Unknown(draft.unit))?;
                if unit.kind == UnitKind::Agora {
                    // The assembly of all members is sovereign over its own domains.
                    if !unit.domains_at(at).contains(&draft.domain)
                        && !self.is_any_domain(&draft.domain, at)
                    {
                        return Err(DecisionError::BodyNotCompetent {
                            unit: draft.unit,
                            domain: draft.domain.clone(),
                            route: self.escalation_route(draft.unit, &draft.domain, at),
                        }
                        .into());
                    }
                    return Ok(None);
                }
                self.competent_among(participants, draft).map(Some)
            }
        }
    }

    /// Why a named mandate does not allow `draft`, when it does not.
    fn named_mandate_denial(
        &self,
        m: &Mandate,
        draft: &DecisionDraft,
        at: Instant,
    ) -> Option<crate::denial::DenialReason> {
        use crate::denial::DenialReason as R;
        if !m.is_known_at(at) {
            return None;
        }
        Some(match m.status_at(at) {
            MandateStatus::Revoked => {
                let r = m.revocation?;
                R::Revoked {
                    mandate: m.id,
                    at: r.at,
                    by: r.by,
                }
            }
            MandateStatus::Expired => R::Expired {
                mandate: m.id,
                ended_at: m.period.ends_at(),
            },
            MandateStatus::NotStarted => R::NotStarted {
                mandate: m.id,
                starts_at: m.period.starts_at(),
            },
            MandateStatus::PendingCommitment => R::NotCommitted { mandate: m.id },
            MandateStatus::InForce => R::OutOfScope {
                unit: draft.unit,
                domain: draft.domain.clone(),
            },
        })
    }

    fn is_any_domain(&self, domain: &Domain, at: Instant) -> bool {
        self.domain_owners.get(domain).is_some_and(|us| {
            us.iter()
                .any(|u| self.units[u].domains_at(at).contains(domain))
        })
    }

    /// R8: a holder consults the people first concerned before deciding.
    fn check_consultations(&self, draft: &DecisionDraft) -> Result<(), GovernanceError> {
        let at = draft.decided_at;
        for c in &draft.consultations {
            if !self.is_member_at(c.member, c.consulted_at.min(at)) {
                return Err(DecisionError::ConsulteeNotMember(c.member).into());
            }
            if c.consulted_at > at {
                return Err(DecisionError::ConsultationAfterDecision.into());
            }
        }
        let Decider::Holder { member, .. } = &draft.decider else {
            // A meeting's deliberation is its own consultation (R10).
            return Ok(());
        };
        let required = self.settings.at(at).consultations_required(&draft.domain);
        let mut consulted: Vec<MemberId> = draft
            .consultations
            .iter()
            .map(|c| c.member)
            .filter(|m| m != member)
            .collect();
        consulted.sort();
        consulted.dedup();
        let done = consulted.len() as u32;
        if done < required {
            return Err(DecisionError::ConsultationRequired {
                domain: draft.domain.clone(),
                required,
                done,
            }
            .into());
        }
        Ok(())
    }

    /// R9: domains the settings reserve to the Agora (the charter) go there, whoever asks.
    fn check_reserved(&self, draft: &DecisionDraft) -> Result<(), GovernanceError> {
        let at = draft.decided_at;
        let reserved = self.settings.at(at).agora_domains.contains(&draft.domain);
        if reserved && Some(draft.unit) != self.agora {
            return Err(DecisionError::EscalationRequired {
                to: EscalationBody::Agora,
                route: self.route_to_body(EscalationBody::Agora, &draft.domain, at),
            }
            .into());
        }
        Ok(())
    }

    /// R9: what reaches beyond the decider's perimeter goes up.
    fn check_impact(&self, draft: &DecisionDraft) -> Result<(), GovernanceError> {
        let at = draft.decided_at;
        let settings = self.settings.at(at);
        let is_agora = Some(draft.unit) == self.agora;
        let is_coordination = Some(draft.unit) == self.coordination;
        let is_body = matches!(draft.decider, Decider::Body { .. });
        let escalate = |to: EscalationBody| -> Result<(), GovernanceError> {
            Err(DecisionError::EscalationRequired {
                to,
                route: self.route_to_body(to, &draft.domain, at),
            }
            .into())
        };
        match &draft.impact {
            Impact::ThisUnit => Ok(()),
            Impact::Units(units) => {
                for u in units {
                    if !self.units.contains_key(u) {
                        return Err(UnitError::Unknown(*u).into());
                    }
                }
                let within = units
                    .iter()
                    .all(|u| self.is_ancestor_or_self(draft.unit, *u));
                let body_may = is_body && (is_agora || is_coordination);
                if within || body_may {
                    Ok(())
                } else {
                    escalate(settings.movement_wide_goes_to)
                }
            }
            Impact::MovementWide => {
                let body_may = is_body
                    && (is_agora
                        || (is_coordination
                            && settings.movement_wide_goes_to == EscalationBody::Coordination));
                if body_may {
                    Ok(())
                } else {
                    escalate(settings.movement_wide_goes_to)
                }
            }
        }
    }

    /// R12: links point to earlier decisions this decider may amend.
    fn check_links(&self, draft: &DecisionDraft) -> Result<(), GovernanceError> {
        for link in &draft.links {
            let target = self
                .decision(link.target)
                .ok_or(DecisionError::UnknownLinkTarget(link.target))?;
            let ended = self
                .linked_from(link.target)
                .iter()
                .any(|(k, _)| matches!(k, LinkKind::Supersedes | LinkKind::Revokes));
            if ended && link.kind != LinkKind::Amends {
                return Err(DecisionError::LinkTargetEnded(link.target).into());
            }
            let same_scope = target.unit() == draft.unit && target.domain() == &draft.domain;
            let from_above = self.is_strict_ancestor(draft.unit, target.unit());
            if !(same_scope || from_above || Some(draft.unit) == self.agora) {
                return Err(DecisionError::LinkOutOfAuthority(link.target).into());
            }
        }
        Ok(())
    }

    // ----- effects ---------------------------------------------------------------------------

    /// Checks that the deciding unit and domain may enact an effect touching `target`.
    fn check_effect_authority(
        &self,
        draft: &DecisionDraft,
        effect: &'static str,
        needed: &Domain,
        allowed: bool,
        target: UnitId,
    ) -> Result<(), GovernanceError> {
        // The Agora is sovereign as the assembly, in a meeting; under rules v1 any decision
        // recorded for it was (ADR 0005).
        let sovereign = Some(draft.unit) == self.agora
            && (self.is_v1() || matches!(draft.decider, Decider::Body { .. }));
        if sovereign || (allowed && &draft.domain == needed) {
            Ok(())
        } else {
            Err(DecisionError::EffectOutOfAuthority {
                effect,
                unit: target,
                domain: needed.clone(),
            }
            .into())
        }
    }

    fn apply_effects(
        &mut self,
        draft: &DecisionDraft,
        founding: bool,
    ) -> Result<Vec<Undo>, GovernanceError> {
        let mut undo = Vec::new();
        for effect in &draft.effects {
            match self.apply_effect(draft, effect, founding) {
                Ok(u) => undo.push(u),
                Err(e) => {
                    self.rollback(undo);
                    return Err(e);
                }
            }
        }
        Ok(undo)
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

    fn apply_effect(
        &mut self,
        draft: &DecisionDraft,
        effect: &Effect,
        founding: bool,
    ) -> Result<Undo, GovernanceError> {
        let at = draft.decided_at;
        let settings = self.settings.at(at).clone();
        let name = effect.kind_name();
        match effect {
            Effect::CreateUnit(nu) => {
                if !founding {
                    let allowed = nu
                        .parent
                        .is_some_and(|p| self.is_ancestor_or_self(draft.unit, p));
                    self.check_effect_authority(
                        draft,
                        name,
                        &settings.structure_domain,
                        allowed,
                        nu.parent.unwrap_or(nu.id),
                    )?;
                }
                self.create_unit(nu, draft.id, at)?;
                Ok(Undo::Unit(nu.id))
            }
            Effect::ArchiveUnit { unit } => {
                let u = self
                    .units
                    .get(unit)
                    .filter(|u| u.is_active_at(at))
                    .ok_or(UnitError::Unknown(*unit))?;
                if matches!(u.kind, UnitKind::Agora | UnitKind::Coordination) {
                    return Err(UnitError::PermanentUnit(u.kind).into());
                }
                let allowed = self.is_strict_ancestor(draft.unit, *unit);
                self.check_effect_authority(
                    draft,
                    name,
                    &settings.structure_domain,
                    allowed,
                    *unit,
                )?;
                if self
                    .children(*unit)
                    .iter()
                    .any(|c| self.units[c].is_active_at(at))
                {
                    return Err(UnitError::HasActiveChildren { unit: *unit }.into());
                }
                self.units.get_mut(unit).expect("checked above").archived = Some((at, draft.id));
                self.index_unit_changed(*unit);
                Ok(Undo::Unarchive(*unit))
            }
            Effect::SetUnitDomains { unit, domains } => {
                self.units
                    .get(unit)
                    .filter(|u| u.is_active_at(at))
                    .ok_or(UnitError::Unknown(*unit))?;
                let allowed = self.is_strict_ancestor(draft.unit, *unit);
                self.check_effect_authority(
                    draft,
                    name,
                    &settings.structure_domain,
                    allowed,
                    *unit,
                )?;
                if domains.is_empty() {
                    return Err(UnitError::NoDomains(*unit).into());
                }
                let mut became_owner = Vec::new();
                for d in domains {
                    let owners = self.domain_owners.entry(d.clone()).or_default();
                    if !owners.contains(unit) {
                        owners.push(*unit);
                        became_owner.push(d.clone());
                    }
                }
                let u = self.units.get_mut(unit).expect("checked above");
                u.domain_history.push((at, domains.clone()));
                self.index_unit_changed(*unit);
                Ok(Undo::Domains(*unit, became_owner))
            }
            Effect::AdmitMember(nm) => {
                if !founding {
                    let allowed = Some(draft.unit) == self.coordination;
                    let target = self.coordination.unwrap_or(draft.unit);
                    self.check_effect_authority(
                        draft,
                        name,
                        &settings.structure_domain,
                        allowed,
                        target,
                    )?;
                }
                self.admit(nm, draft.id, at)?;
                Ok(Undo::Member(nm.id))
            }
            Effect::RemoveMember { member } => {
                self.require_member(*member, at)?;
                let allowed = Some(draft.unit) == self.coordination;
                let target = self.coordination.unwrap_or(draft.unit);
                self.check_effect_authority(
                    draft,
                    name,
                    &settings.structure_domain,
                    allowed,
                    target,
                )?;
                self.members.get_mut(member).expect("checked above").left = Some((at, draft.id));
                self.index_member_changed(*member);
                Ok(Undo::Rejoin(*member))
            }
            Effect::AssignMandate(nm) => {
                if !founding {
                    self.check_mandate_authority(draft, &settings, nm.unit, name)?;
                }
                self.assign(nm, None, draft.id, at, &settings)?;
                Ok(Undo::Mandate(nm.id))
            }
            Effect::RenewMandate {
                previous,
                id,
                period,
            } => {
                let prev = self
                    .mandate(*previous)
                    .ok_or(MandateError::Unknown(*previous))?
                    .clone();
                if prev.revocation.is_some_and(|r| r.at <= at) {
                    return Err(MandateError::AlreadyRevoked(*previous).into());
                }
                self.check_mandate_authority(draft, &settings, prev.unit, name)?;
                let nm = NewMandate {
                    id: *id,
                    holder: prev.holder,
                    unit: prev.unit,
                    scope: prev.scope.clone(),
                    role: prev.role,
                    period: *period,
                };
                self.assign(&nm, Some(*previous), draft.id, at, &settings)?;
                Ok(Undo::Mandate(*id))
            }
            Effect::RevokeMandate { mandate } => {
                let idx = *self
                    .mandate_index
                    .get(mandate)
                    .ok_or(MandateError::Unknown(*mandate))?;
                let m = &self.mandates[idx];
                self.check_mandate_authority(draft, &settings, m.unit, name)?;
                if m.revocation.is_some() {
                    return Err(MandateError::AlreadyRevoked(*mandate).into());
                }
                if at >= m.period.ends_at() {
                    return Err(MandateError::AlreadyOver(*mandate).into());
                }
                self.mandates[idx].revocation = Some(Revocation { at, by: draft.id });
                self.index_mandate_changed(idx);
                Ok(Undo::Unrevoke(idx))
            }
            Effect::ChangeSettings(new) => {
                if !founding {
                    let allowed = Some(draft.unit) == self.coordination;
                    let target = self.coordination.unwrap_or(draft.unit);
                    self.check_effect_authority(
                        draft,
                        name,
                        &settings.rules_domain,
                        allowed,
                        target,
                    )?;
                }
                if !founding && !self.is_v1() {
                    // R19: the rules change in a meeting, never by one person; and the rules
                    // that protect meetings themselves, or that reserve domains to the Agora,
                    // change only in the Agora (ADR 0005).
                    if !matches!(draft.decider, Decider::Body { .. }) {
                        return Err(DecisionError::SettingsNeedMeeting.into());
                    }
                    // What decides who decides at the movement's level: how meetings decide,
                    // what is reserved to the Agora, where movement-wide matters go, who
                    // assigns mandates and under which domains.
                    let reserved = new.meetings != settings.meetings
                        || new.agora_domains != settings.agora_domains
                        || new.movement_wide_goes_to != settings.movement_wide_goes_to
                        || new.mandate_assigner != settings.mandate_assigner
                        || new.mandates_domain != settings.mandates_domain
                        || new.structure_domain != settings.structure_domain
                        || new.rules_domain != settings.rules_domain;
                    if reserved && Some(draft.unit) != self.agora {
                        return Err(DecisionError::EscalationRequired {
                            to: EscalationBody::Agora,
                            route: self.route_to_body(EscalationBody::Agora, &draft.domain, at),
                        }
                        .into());
                    }
                }
                let validated = (**new).clone().validate()?;
                self.settings.push(SettingsVersion {
                    effective_at: at,
                    adopted_by: draft.id,
                    settings: validated,
                });
                Ok(Undo::Settings)
            }
        }
    }

    /// R6: mandates are assigned by the process in force (the ancestors' or the Coordination's
    /// `mandates` domain, as the settings say).
    fn check_mandate_authority(
        &self,
        draft: &DecisionDraft,
        settings: &Settings,
        unit: UnitId,
        effect: &'static str,
    ) -> Result<(), GovernanceError> {
        let allowed = match settings.mandate_assigner {
            MandateAssigner::Ancestor => self.is_strict_ancestor(draft.unit, unit),
            MandateAssigner::Coordination => Some(draft.unit) == self.coordination,
        };
        let target = match settings.mandate_assigner {
            MandateAssigner::Ancestor => {
                self.units.get(&unit).and_then(|u| u.parent).unwrap_or(unit)
            }
            MandateAssigner::Coordination => self.coordination.unwrap_or(unit),
        };
        self.check_effect_authority(draft, effect, &settings.mandates_domain, allowed, target)
    }

    fn create_unit(
        &mut self,
        nu: &NewUnit,
        by: DecisionId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        if self.units.contains_key(&nu.id) {
            return Err(UnitError::Duplicate(nu.id).into());
        }
        if self.singleton_of(nu.kind).is_some() {
            return Err(UnitError::SecondSingleton(nu.kind).into());
        }
        let parent_kind = match nu.parent {
            Some(p) => Some(
                self.units
                    .get(&p)
                    .filter(|u| u.is_active_at(at))
                    .ok_or(UnitError::Unknown(p))?
                    .kind,
            ),
            None => None,
        };
        if !nu.kind.may_sit_under(parent_kind) {
            return Err(UnitError::MisplacedKind {
                kind: nu.kind,
                parent: parent_kind,
            }
            .into());
        }
        if nu.domains.is_empty() {
            return Err(UnitError::NoDomains(nu.id).into());
        }
        for d in &nu.domains {
            self.domain_owners.entry(d.clone()).or_default().push(nu.id);
        }
        if let Some(p) = nu.parent {
            self.children.entry(p).or_default().push(nu.id);
        }
        match nu.kind {
            UnitKind::Agora => self.agora = Some(nu.id),
            UnitKind::Coordination => self.coordination = Some(nu.id),
            _ => {}
        }
        self.unit_order.push(nu.id);
        self.units.insert(
            nu.id,
            Unit {
                id: nu.id,
                name: nu.name.clone(),
                kind: nu.kind,
                parent: nu.parent,
                created_at: at,
                created_by: by,
                domain_history: vec![(at, nu.domains.clone())],
                archived: None,
            },
        );
        self.index_unit_changed(nu.id);
        Ok(())
    }

    fn admit(
        &mut self,
        nm: &NewMember,
        by: DecisionId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        if self.members.contains_key(&nm.id) {
            return Err(MemberError::Duplicate(nm.id).into());
        }
        if self.by_email.contains_key(&nm.email) {
            return Err(MemberError::EmailTaken(nm.email.clone()).into());
        }
        self.by_email.insert(nm.email.clone(), nm.id);
        self.member_order.push(nm.id);
        self.members.insert(
            nm.id,
            Member {
                id: nm.id,
                name: nm.name.clone(),
                email: nm.email.clone(),
                joined_at: at,
                admitted_by: by,
                left: None,
            },
        );
        self.index_member_changed(nm.id);
        Ok(())
    }

    fn assign(
        &mut self,
        nm: &NewMandate,
        renews: Option<MandateId>,
        by: DecisionId,
        at: Instant,
        settings: &Settings,
    ) -> Result<(), GovernanceError> {
        if self.mandate_index.contains_key(&nm.id) {
            return Err(MandateError::Duplicate(nm.id).into());
        }
        if !self.is_v1() && Some(nm.unit) == self.agora {
            return Err(MandateError::InTheAgora.into());
        }
        self.require_member(nm.holder, at)?;
        let unit = self
            .units
            .get(&nm.unit)
            .filter(|u| u.is_active_at(at))
            .ok_or(UnitError::Unknown(nm.unit))?;
        if nm.period.starts_at() < at {
            return Err(MandateError::Retroactive.into());
        }
        if !nm.period.fits_within_months(settings.max_mandate_months) {
            return Err(MandateError::TooLong {
                max_months: settings.max_mandate_months,
            }
            .into());
        }
        if let Scope::Domains(set) = &nm.scope {
            if set.is_empty() {
                return Err(MandateError::EmptyScope.into());
            }
            if let Some(d) = set.iter().find(|d| !unit.domains_at(at).contains(*d)) {
                return Err(MandateError::DomainNotInUnit { domain: d.clone() }.into());
            }
        }
        let idx = self.mandates.len();
        self.mandate_index.insert(nm.id, idx);
        self.by_member.entry(nm.holder).or_default().push(idx);
        self.by_unit.entry(nm.unit).or_default().push(idx);
        self.mandates.push(Mandate {
            id: nm.id,
            holder: nm.holder,
            unit: nm.unit,
            scope: nm.scope.clone(),
            role: nm.role,
            period: nm.period,
            assigned_by: by,
            assigned_at: at,
            committed_at: None,
            revocation: None,
            renews,
        });
        self.index_assigned(idx);
        Ok(())
    }

    // ----- commitments, tensions, meetings, reports --------------------------------------------

    /// R4: the holder formally commits; from then (and from the start) the mandate grants power.
    fn commit(
        &mut self,
        mandate: MandateId,
        member: MemberId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        let idx = *self
            .mandate_index
            .get(&mandate)
            .ok_or(MandateError::Unknown(mandate))?;
        let m = &self.mandates[idx];
        if m.holder != member {
            return Err(MandateError::NotTheHolder(mandate).into());
        }
        self.require_member(member, at)?;
        if m.committed_at.is_some() {
            return Err(MandateError::AlreadyCommitted(mandate).into());
        }
        match m.status_at(at) {
            MandateStatus::Revoked => return Err(MandateError::AlreadyRevoked(mandate).into()),
            MandateStatus::Expired => return Err(MandateError::AlreadyOver(mandate).into()),
            _ => {}
        }
        self.mandates[idx].committed_at = Some(at);
        self.index_mandate_changed(idx);
        Ok(())
    }

    fn raise_tension(&mut self, t: NewTension) -> Result<(), GovernanceError> {
        let at = t.raised_at;
        if self.tension_index.contains_key(&t.id) {
            return Err(TensionError::Duplicate(t.id).into());
        }
        self.require_member(t.raised_by, at)?;
        match &t.subject {
            TensionSubject::Unit(u) | TensionSubject::Role { unit: u, .. } => {
                self.units
                    .get(u)
                    .filter(|x| x.is_active_at(at))
                    .ok_or(UnitError::Unknown(*u))?;
            }
            TensionSubject::Rule(_) => {}
        }
        let space = t.space.unwrap_or_else(|| default_space(&t.subject));
        if let crate::tension::Space::Referent(u) = space {
            self.units
                .get(&u)
                .filter(|x| x.is_active_at(at))
                .ok_or(UnitError::Unknown(u))?;
        }
        // R14: a tension is about functioning. Naming a member in it, by full name, e-mail or
        // first name as a word of its own, turns it into a matter of people, which the charter
        // asks to settle face to face instead.
        if let Some(name) =
            self.named_member(&format!("{} {}", t.title.as_str(), t.description.as_str()))
        {
            return Err(TensionError::NamesAPerson { name }.into());
        }
        self.tension_index.insert(t.id, self.tensions.len());
        self.tensions.push(Tension {
            id: t.id,
            raised_by: t.raised_by,
            raised_at: at,
            subject: t.subject,
            space,
            title: t.title,
            description: t.description,
            status: TensionStatus::Open,
            history: vec![(at, TensionStatus::Open)],
        });
        Ok(())
    }

    /// The member a text names, if any: a full name or an e-mail anywhere (ignoring case), or a
    /// first name written as a word of its own, capitalised as in the member list, or in
    /// capitals inside a text that is not all capitals ("INÈS publie trop"). A first name in
    /// lower case, or in a text written all in capitals, is not matched: many first names are
    /// also common words ("rose", "SALLE ROSE"), and refusing those would refuse honest texts.
    fn named_member(&self, text: &str) -> Option<String> {
        // Under rules v2, compared in NFC on both sides, so that an accent typed as a combining
        // mark names the same person; a v1 tension replays as it was judged then.
        use unicode_normalization::UnicodeNormalization;
        let v2 = !self.is_v1();
        let nfc = |s: &str| -> String { if v2 { s.nfc().collect() } else { s.to_owned() } };
        let text = nfc(text);
        let text = text.as_str();
        let shouted = !text.chars().any(char::is_lowercase);
        let lower = text.to_lowercase();
        let words: std::collections::HashSet<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        self.members()
            .find(|m| {
                let name = nfc(m.name.as_str());
                let first = name.split_whitespace().next().unwrap_or("");
                lower.contains(&name.to_lowercase())
                    || lower.contains(m.email.as_str())
                    || (first.chars().count() >= 2
                        && (words.contains(first)
                            || (!shouted && words.contains(first.to_uppercase().as_str()))))
            })
            .map(|m| m.name.to_string())
    }

    fn tension_mut(&mut self, id: TensionId) -> Result<&mut Tension, GovernanceError> {
        let i = *self
            .tension_index
            .get(&id)
            .ok_or(TensionError::Unknown(id))?;
        Ok(&mut self.tensions[i])
    }

    pub(crate) fn set_tension_status(
        &mut self,
        id: TensionId,
        at: Instant,
        to: TensionStatus,
    ) -> Result<(), GovernanceError> {
        let t = self.tension_mut(id)?;
        let allowed = matches!(
            (&t.status, &to),
            (
                TensionStatus::Open | TensionStatus::Scheduled { .. },
                TensionStatus::Scheduled { .. }
            ) | (
                TensionStatus::Open | TensionStatus::Scheduled { .. },
                TensionStatus::Processed { .. }
            ) | (
                TensionStatus::Open | TensionStatus::Scheduled { .. },
                TensionStatus::Withdrawn { .. }
            )
        );
        if !allowed {
            return Err(TensionError::InvalidTransition {
                from: t.status.name(),
                to: to.name(),
            }
            .into());
        }
        t.status = to.clone();
        t.history.push((at, to));
        Ok(())
    }

    fn schedule_tension(
        &mut self,
        tension: TensionId,
        meeting: MeetingId,
        by: MemberId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        self.require_member(by, at)?;
        let space = self
            .tension(tension)
            .ok_or(TensionError::Unknown(tension))?
            .space;
        let mi = *self
            .meeting_index
            .get(&meeting)
            .ok_or(MeetingError::Unknown(meeting))?;
        if !self.meetings[mi]
            .kind
            .hosts(space, self.coordination, self.agora)
        {
            return Err(TensionError::WrongSpace { tension, meeting }.into());
        }
        let m = &self.meetings[mi];
        // Under rules v2 the agenda closes when the meeting starts, as for any agenda item.
        let started = if m.rules == RulesVersion::V1 {
            m.held_at < at
        } else {
            m.held_at <= at
        };
        if started || !m.attendees.is_empty() {
            return Err(MeetingError::AlreadyHeld(meeting).into());
        }
        if !self.is_v1() {
            // Under rules v2 the agenda is the convener's, or the raiser's for their own
            // tension: a member cannot fill another body's agenda.
            if m.rules == RulesVersion::V1 {
                return Err(MeetingError::Legacy(meeting).into());
            }
            let raiser = self.tension(tension).map(|t| t.raised_by) == Some(by);
            // A petition's agenda is what its signers signed for: it grows no more after.
            let signed_petition = matches!(
                &m.convener,
                Convener::Petition { signatures, .. } if signatures.len() > 1
            );
            let entitled = match (&m.convener, m.body) {
                (Convener::Member(c), _) if *c == by => true,
                (Convener::Petition { opened_by, .. }, _) if *opened_by == by => true,
                (_, Some(body)) => self.may_convene(by, body, at),
                _ => false,
            };
            if (!raiser && !entitled) || signed_petition {
                return Err(MeetingError::NotEntitled { member: by }.into());
            }
            // A meeting in session keeps what it was convened to discuss.
            if !self.tension_movable(tension, at) {
                return Err(MeetingError::AlreadyHeld(meeting).into());
            }
            let item = crate::meeting::AgendaItem::Tension(tension);
            let m = &self.meetings[mi];
            if !m.items.iter().any(|e| e.item == item)
                && m.items.len() >= crate::meeting::MAX_AGENDA_ITEMS
            {
                return Err(MeetingError::AgendaTooLong {
                    max: crate::meeting::MAX_AGENDA_ITEMS,
                }
                .into());
            }
            self.put_tension_on(tension, mi, at)?;
            if !self.meetings[mi].items.iter().any(|e| e.item == item) {
                self.meetings[mi].items.push(crate::meeting::AgendaEntry {
                    item,
                    added_at: at,
                    added_by: by,
                });
            }
            return Ok(());
        }
        self.put_tension_on(tension, mi, at)
    }

    /// R13: a tension is processed where it was routed: by the attendees of the meeting it was
    /// scheduled to, once that meeting took place, or, for a tension routed to a unit's
    /// referent, by that referent (or, if the unit has none in force, by one of its holders).
    fn process_tension(
        &mut self,
        tension: TensionId,
        by: MemberId,
        at: Instant,
        outcome: Text,
        decisions: Vec<DecisionId>,
    ) -> Result<(), GovernanceError> {
        self.require_member(by, at)?;
        if let Some(d) = decisions
            .iter()
            .find(|d| !self.decision_index.contains_key(d))
        {
            return Err(DecisionError::UnknownLinkTarget(*d).into());
        }
        let t = self
            .tension(tension)
            .ok_or(TensionError::Unknown(tension))?;
        match (&t.status, t.space) {
            (TensionStatus::Scheduled { meeting }, _) => {
                let m = self
                    .meeting(*meeting)
                    .ok_or(MeetingError::Unknown(*meeting))?;
                if m.held_at > at || m.attendees.is_empty() {
                    return Err(TensionError::MeetingNotHeld {
                        tension,
                        meeting: *meeting,
                    }
                    .into());
                }
                // Under rules v2, processing a tension is the meeting's act: by one of its
                // present participants, while it is quorate and its relevé open.
                let takes_part = match m.rules {
                    RulesVersion::V1 => m.attendees.contains(&by),
                    RulesVersion::V2 => {
                        let close_days = self.settings_at(m.held_at).meetings.minutes_close_days;
                        m.minutes_open_at(at, close_days)
                            && self
                                .attendance(*meeting, at)
                                .is_some_and(|a| a.present.contains(&by) && a.has_quorum())
                    }
                };
                if !takes_part {
                    return Err(TensionError::NotResponsible(tension).into());
                }
            }
            (TensionStatus::Open, crate::tension::Space::Referent(unit)) => {
                let referents = self.referents(unit, at);
                let responsible = if referents.is_empty() {
                    self.mandates_in(unit).any(|m| {
                        m.holder == by
                            && m.is_known_at(at)
                            && m.status_at(at) == MandateStatus::InForce
                    })
                } else {
                    referents.iter().any(|c| c.member == by)
                };
                if !responsible {
                    return Err(TensionError::NotResponsible(tension).into());
                }
            }
            (TensionStatus::Open, _) => return Err(TensionError::NeedsMeeting(tension).into()),
            // Ended tensions are refused with their transition error below.
            _ => {}
        }
        self.set_tension_status(
            tension,
            at,
            TensionStatus::Processed {
                at,
                outcome,
                decisions,
            },
        )
    }

    fn withdraw_tension(
        &mut self,
        tension: TensionId,
        by: MemberId,
        at: Instant,
    ) -> Result<(), GovernanceError> {
        let t = self
            .tension(tension)
            .ok_or(TensionError::Unknown(tension))?;
        if t.raised_by != by {
            return Err(TensionError::NotTheRaiser(tension).into());
        }
        self.set_tension_status(tension, at, TensionStatus::Withdrawn { at })
    }

    fn schedule_meeting(
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
    fn hold_meeting(
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

    fn add_report(&mut self, report: AccountReport) -> Result<(), GovernanceError> {
        if self.report_index.contains_key(&report.id) {
            return Err(AccountReportError::Duplicate(report.id).into());
        }
        let m = self
            .mandate(report.mandate)
            .ok_or(MandateError::Unknown(report.mandate))?;
        if m.holder != report.author {
            return Err(AccountReportError::NotTheHolder(report.mandate).into());
        }
        let _period: Period = report.covers;
        if report.covers.starts_at() < m.period.starts_at()
            || report.covers.ends_at() > m.effective_end()
        {
            return Err(AccountReportError::OutsideMandate.into());
        }
        if report.covers.ends_at() > report.submitted_at {
            return Err(AccountReportError::CoversFuture.into());
        }
        let idx = self.reports.len();
        self.report_index.insert(report.id, idx);
        self.reports_by_mandate
            .entry(report.mandate)
            .or_default()
            .push(idx);
        self.reports.push(report);
        Ok(())
    }
}
