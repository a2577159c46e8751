//! Mandates entering the records: assigned by a decision's effect (R5, R6), then committed to by
//! their holder (R4), from which they grant power.

use crate::effect::NewMandate;
use crate::error::GovernanceError;
use crate::id::{DecisionId, MandateId, MemberId};
use crate::mandate::{Mandate, MandateError, MandateStatus, Scope};
use crate::movement::Movement;
use crate::settings::Settings;
use crate::time::Instant;
use crate::unit::UnitError;

impl Movement {
    pub(super) fn assign(
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

    /// R4: the holder formally commits; from then (and from the start) the mandate grants power.
    pub(super) fn commit(
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
}
