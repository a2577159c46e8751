//! The effects a decision enacts (units, members, mandates, settings), each checked against the
//! authority of the deciding unit and domain, and each with its way back should a later effect
//! of the same decision be refused (`Undo`, taken back by `apply/mod.rs`).

use crate::apply::Undo;
use crate::decision::{Decider, DecisionDraft};
use crate::effect::{Effect, NewMandate};
use crate::error::{DecisionError, GovernanceError};
use crate::id::UnitId;
use crate::mandate::{MandateError, Revocation};
use crate::movement::Movement;
use crate::settings::{EscalationBody, MandateAssigner, Settings, SettingsVersion};
use crate::text::Domain;
use crate::unit::{UnitError, UnitKind};

impl Movement {
    /// Checks that the deciding unit and domain may enact an effect touching `target`.
    pub(super) fn check_effect_authority(
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

    pub(super) fn apply_effects(
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

    pub(super) fn apply_effect(
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
    pub(super) fn check_mandate_authority(
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
}
