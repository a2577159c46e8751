//! Effects: the governance changes a decision enacts. Structure, membership, mandates and
//! settings change only this way, so every change traces back to a recorded decision (R6, R19).

use crate::id::{MandateId, MemberId, UnitId};
use crate::mandate::{Role, Scope};
use crate::settings::Settings;
use crate::text::{Domain, Email, Label};
use crate::time::Period;
use crate::unit::UnitKind;
use std::collections::BTreeSet;

/// A unit to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub id: UnitId,
    pub name: Label,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    pub domains: BTreeSet<Domain>,
}

/// A person to admit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub id: MemberId,
    pub name: Label,
    pub email: Email,
}

/// A mandate to assign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMandate {
    pub id: MandateId,
    pub holder: MemberId,
    pub unit: UnitId,
    pub scope: Scope,
    pub role: Role,
    pub period: Period,
}

/// One governance change enacted by a decision. Each takes effect at the decision's instant;
/// none is retroactive, so what was true at a past date stays true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    CreateUnit(NewUnit),
    ArchiveUnit {
        unit: UnitId,
    },
    SetUnitDomains {
        unit: UnitId,
        domains: BTreeSet<Domain>,
    },
    AdmitMember(NewMember),
    RemoveMember {
        member: MemberId,
    },
    AssignMandate(NewMandate),
    /// A new mandate with the same holder, unit, scope and role, for a new period.
    RenewMandate {
        previous: MandateId,
        id: MandateId,
        period: Period,
    },
    RevokeMandate {
        mandate: MandateId,
    },
    ChangeSettings(Box<Settings>),
}

impl Effect {
    /// A short stable name, for logs and exports.
    /// The domain under which a decision may enact this effect (R6, R19).
    pub fn domain_in<'s>(
        &self,
        settings: &'s crate::settings::Settings,
    ) -> &'s crate::text::Domain {
        match self {
            Effect::AssignMandate(_)
            | Effect::RenewMandate { .. }
            | Effect::RevokeMandate { .. } => &settings.mandates_domain,
            Effect::ChangeSettings(_) => &settings.rules_domain,
            Effect::CreateUnit(_)
            | Effect::ArchiveUnit { .. }
            | Effect::SetUnitDomains { .. }
            | Effect::AdmitMember(_)
            | Effect::RemoveMember { .. } => &settings.structure_domain,
        }
    }

    pub fn kind_name(&self) -> &'static str {
        match self {
            Effect::CreateUnit(_) => "create_unit",
            Effect::ArchiveUnit { .. } => "archive_unit",
            Effect::SetUnitDomains { .. } => "set_unit_domains",
            Effect::AdmitMember(_) => "admit_member",
            Effect::RemoveMember { .. } => "remove_member",
            Effect::AssignMandate(_) => "assign_mandate",
            Effect::RenewMandate { .. } => "renew_mandate",
            Effect::RevokeMandate { .. } => "revoke_mandate",
            Effect::ChangeSettings(_) => "change_settings",
        }
    }
}
