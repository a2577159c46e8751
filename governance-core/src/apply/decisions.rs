//! Recording a decision: the founding of the Agora, then for every later decision the checks of
//! who decides (a holder's mandate, or a body), consultations (R8), what is reserved to the
//! Agora and what reaches beyond the decider's perimeter (R9), and links to earlier decisions
//! (R12). Its effects are applied by `effects.rs`.

use crate::decision::{Decider, DecisionDraft, DecisionRecord, Impact, LinkKind};
use crate::effect::{Effect, NewUnit};
use crate::error::{DecisionError, GovernanceError};
use crate::id::{MandateId, MeetingId, MemberId};
use crate::mandate::{Mandate, MandateStatus};
use crate::meeting::{Convener, Meeting, MeetingError, MeetingKind};
use crate::movement::Movement;
use crate::rules::RulesVersion;
use crate::settings::EscalationBody;
use crate::text::Domain;
use crate::time::Instant;
use crate::unit::{UnitError, UnitKind};

impl Movement {
    pub(super) fn record_decision(
        &mut self,
        mut draft: DecisionDraft,
    ) -> Result<(), GovernanceError> {
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
        // A holder who named no mandate decides under the one the check found: the record
        // says which, as if the holder had named it.
        if let Decider::Holder { mandate, .. } = &mut draft.decider
            && mandate.is_none()
        {
            *mandate = authorized_by;
        }
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
    pub(super) fn record_founding(&mut self, draft: DecisionDraft) -> Result<(), GovernanceError> {
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
    pub(super) fn found_assembly(&mut self, id: MeetingId, draft: &DecisionDraft) {
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

    pub(super) fn push_decision(&mut self, record: DecisionRecord) {
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
    pub(super) fn check_decider(
        &self,
        draft: &DecisionDraft,
    ) -> Result<Option<MandateId>, GovernanceError> {
        match &draft.decider {
            Decider::Body { .. } if !self.is_v1() => self.check_meeting_decision(draft),
            _ => self.check_decider_v1(draft),
        }
    }

    /// The decider check of rules v1, which also judges holders under v2. A body listed its
    /// participants, and the meeting, when named, only had to have taken place with them.
    pub(super) fn check_decider_v1(
        &self,
        draft: &DecisionDraft,
    ) -> Result<Option<MandateId>, GovernanceError> {
        let at = draft.decided_at;
        match &draft.decider {
            Decider::Holder { member, mandate } => {
                let named = mandate.and_then(|m| self.mandate(m));
                // Unnamed, a refusal is worded about the holder's mandate in this unit, if any:
                // the one they would have meant.
                let meant = named.or_else(|| {
                    mandate
                        .is_none()
                        .then(|| self.mandates_of(*member).find(|m| m.unit == draft.unit))
                        .flatten()
                });
                if named.is_some_and(|m| m.holder != *member) {
                    return Err(DecisionError::NotYourMandate.into());
                }
                match self.may_decide(*member, draft.unit, &draft.domain, at) {
                    // The holder named a mandate of theirs in this unit: the refusal is about
                    // that one, not about whichever other mandate came closest.
                    Err(mut denial) => {
                        if let Some(m) = meant.filter(|m| m.unit == draft.unit)
                            && let Some(reason) = self.named_mandate_denial(m, draft, at)
                        {
                            denial.reason = reason;
                        }
                        Err(DecisionError::Denied(denial).into())
                    }
                    // No mandate named: the one the check found is the one recorded.
                    Ok(c) if mandate.is_none_or(|m| m == c.mandate) => Ok(Some(c.mandate)),
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
                            Ok(*mandate)
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
    pub(super) fn named_mandate_denial(
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

    pub(super) fn is_any_domain(&self, domain: &Domain, at: Instant) -> bool {
        self.domain_owners.get(domain).is_some_and(|us| {
            us.iter()
                .any(|u| self.units[u].domains_at(at).contains(domain))
        })
    }

    /// R8: a holder consults the people first concerned before deciding.
    pub(super) fn check_consultations(&self, draft: &DecisionDraft) -> Result<(), GovernanceError> {
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
    pub(super) fn check_reserved(&self, draft: &DecisionDraft) -> Result<(), GovernanceError> {
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
    pub(super) fn check_impact(&self, draft: &DecisionDraft) -> Result<(), GovernanceError> {
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
    pub(super) fn check_links(&self, draft: &DecisionDraft) -> Result<(), GovernanceError> {
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
}
