//! The movement's structure entering the records: a unit created (R1), a member admitted.
//! Called by the effects of a decision, which checked the decider's authority first.

use crate::effect::{NewMember, NewUnit};
use crate::error::GovernanceError;
use crate::id::DecisionId;
use crate::member::{Member, MemberError};
use crate::movement::Movement;
use crate::time::Instant;
use crate::unit::{Unit, UnitError, UnitKind};

impl Movement {
    pub(super) fn create_unit(
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

    pub(super) fn admit(
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
}
