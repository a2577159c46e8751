//! The authority engine: may this person decide this, here, at this instant, and if not, why not
//! and where must it go (R3–R9, R15)? Every answer is a function of the state and the instant
//! asked about; facts recorded after that instant are ignored, so past answers never change.

use crate::id::{MemberId, UnitId};
use crate::index::AuthorityIndex;
use crate::index::roster::{Roster, Wanted};
use crate::index::seat::{LatestDomains, Slot};
use crate::index::vocabulary::DomainId;
use crate::mandate::MandateStatus;
use crate::movement::Movement;
use crate::text::Domain;
use crate::time::Instant;
use crate::unit::UnitKind;
use smallvec::SmallVec;

/// The answers live in `denial.rs`; these paths are the ones callers have used.
pub use crate::denial::{Competent, Denial, DenialReason, EscalationStep, Verdict};

/// How many units owning a domain a route lists when the asked unit does not own it.
const MAX_OWNER_ROUTES: usize = 3;

/// How many units a route lists on the stack while it is built: a comité, its pôle, the
/// Coordination and the Agora, and a few more when the route starts from several owners.
const ROUTE_CAPACITY: usize = 8;

/// How close a non-granting mandate came to granting, to pick the most useful reason when a
/// member holds several: the one in its period but uncommitted first, then the most recent past.
fn closeness(status: MandateStatus) -> u8 {
    match status {
        MandateStatus::PendingCommitment => 0,
        MandateStatus::Revoked => 1,
        MandateStatus::Expired => 2,
        MandateStatus::NotStarted => 3,
        MandateStatus::InForce => 4,
    }
}

impl Movement {
    /// May `member` decide on `domain` in `unit` at `at`? Allowed names the mandate; a denial
    /// gives the reason and the route upward (R3–R7, R9).
    pub fn may_decide(
        &self,
        member: MemberId,
        unit: UnitId,
        domain: &Domain,
        at: Instant,
    ) -> Verdict {
        self.authorize(member, unit, domain, at).map_err(|reason| {
            Box::new(Denial {
                escalate_to: self.escalation_route(unit, domain, at),
                reason,
            })
        })
    }

    /// The check behind [`Movement::may_decide`], without the route: the mandate that allows,
    /// or the reason for the refusal. It reads the seat of `member` in `unit` (one probe of the
    /// authority index, see `index/seat.rs` and ADR 0004), allocates nothing and never scans.
    pub fn authorize(
        &self,
        member: MemberId,
        unit: UnitId,
        domain: &Domain,
        at: Instant,
    ) -> Result<Competent, DenialReason> {
        let Some(seat) = self.index.seat(member, unit) else {
            return Err(self.deny_without_seat(member, unit, domain, at));
        };
        if !seat.membership.contains(at) {
            return Err(DenialReason::NotAMember);
        }
        if !seat.unit_life.contains(at) {
            return Err(DenialReason::UnknownUnit { unit });
        }
        let in_unit = self.domain_of_unit_at(unit, &seat.domains, domain, at);
        let mut best: Option<(&Slot, MandateStatus)> = None;
        for slot in &seat.slots {
            if !slot.is_known_at(at) {
                continue;
            }
            if !in_unit.is_some_and(|id| slot.scope_includes(id)) {
                continue;
            }
            let status = slot.status_at(at);
            if status == MandateStatus::InForce {
                return Ok(Competent::new(
                    member,
                    slot.mandate,
                    slot.role,
                    slot.period,
                    slot.committed_at,
                ));
            }
            let better = match best {
                None => true,
                Some((b, bs)) => {
                    (closeness(status), std::cmp::Reverse(slot.period.ends_at()))
                        < (closeness(bs), std::cmp::Reverse(b.period.ends_at()))
                }
            };
            if better {
                best = Some((slot, status));
            }
        }
        Err(match best {
            Some((s, MandateStatus::PendingCommitment)) => {
                DenialReason::NotCommitted { mandate: s.mandate }
            }
            Some((s, MandateStatus::NotStarted)) => DenialReason::NotStarted {
                mandate: s.mandate,
                starts_at: s.period.starts_at(),
            },
            Some((s, MandateStatus::Expired)) => DenialReason::Expired {
                mandate: s.mandate,
                ended_at: s.period.ends_at(),
            },
            Some((s, MandateStatus::Revoked)) => {
                let r = s.revocation.expect("a revoked mandate has its revocation");
                DenialReason::Revoked {
                    mandate: s.mandate,
                    at: r.at,
                    by: r.by,
                }
            }
            Some((_, MandateStatus::InForce)) => unreachable!("in-force mandates return early"),
            None if self.holds_a_mandate_at(member, at) => DenialReason::OutOfScope {
                unit,
                domain: domain.clone(),
            },
            None => DenialReason::NoMandate,
        })
    }

    /// The refusal for a member who never had a mandate in `unit`: from the compact membership
    /// and unit maps, in the same order of reasons as with a seat.
    fn deny_without_seat(
        &self,
        member: MemberId,
        unit: UnitId,
        domain: &Domain,
        at: Instant,
    ) -> DenialReason {
        if !self.is_member_at(member, at) {
            DenialReason::NotAMember
        } else if !self.index.roster(unit).is_some_and(|r| r.life.contains(at)) {
            DenialReason::UnknownUnit { unit }
        } else if self.holds_a_mandate_at(member, at) {
            DenialReason::OutOfScope {
                unit,
                domain: domain.clone(),
            }
        } else {
            DenialReason::NoMandate
        }
    }

    /// Whether `member` holds a mandate at `at`, anywhere: assigned by then and not yet ended
    /// (pending, not started or in force). Someone whose mandates are all over holds none.
    /// Read on refusals only, from the compact membership map (one probe, no mandate record).
    fn holds_a_mandate_at(&self, member: MemberId, at: Instant) -> bool {
        self.index
            .membership(member)
            .is_some_and(|m| m.holds_a_mandate_at(at))
    }

    /// Everyone who may decide on `domain` in `unit` at `at` (R15), from the unit's roster.
    pub fn who_may_decide(&self, unit: UnitId, domain: &Domain, at: Instant) -> Vec<Competent> {
        let Some(roster) = self.index.roster(unit).filter(|r| r.life.contains(at)) else {
            return Vec::new();
        };
        let Some(id) = self.domain_of_unit_at(unit, &roster.domains, domain, at) else {
            return Vec::new();
        };
        roster.in_force_at(at, Wanted::Any, Some(id))
    }

    /// The referents in force of a unit at `at` (R7), held by a member.
    pub fn referents(&self, unit: UnitId, at: Instant) -> Vec<Competent> {
        self.index
            .roster(unit)
            .map(|roster| roster.in_force_at(at, Wanted::Referents, None))
            .unwrap_or_default()
    }

    /// Where a decision on `domain` in `unit` goes when it cannot be taken there: the unit that
    /// owns the domain (the asked unit if it has it, otherwise the units that do), then up the
    /// tree through the Coordination to the Agora.
    pub fn escalation_route(
        &self,
        unit: UnitId,
        domain: &Domain,
        at: Instant,
    ) -> Vec<EscalationStep> {
        // The name is looked up once; each unit's roster is read once per step.
        let number = self.index.domain_id(domain);
        let owns_on = |id: UnitId, r: &Roster| {
            r.life.contains(at)
                && number.is_some_and(|n| {
                    AuthorityIndex::has_domain_at(&self.units, id, &r.domains, (n, domain), at)
                })
        };
        let owns = |id: UnitId| self.index.roster(id).is_some_and(|r| owns_on(id, r));
        // Before the founding no unit exists (the Agora is the first), so none owns anything:
        // no unit to look at, and no list of owners to search.
        let founded = self
            .agora
            .and_then(|a| self.index.roster(a))
            .is_some_and(|r| r.life.from <= at);
        let mut starts: SmallVec<[UnitId; MAX_OWNER_ROUTES]> = SmallVec::new();
        if founded && owns(unit) {
            starts.push(unit);
        } else if founded {
            // A few owners are enough to say where to go; listing every unit that shares a
            // domain name would make a denial cost as much as the movement is large. The first
            // ones in the order of `domain_owners`, from the index's copy of that list, which
            // offers only the units that may own the domain at `at`: neither those that began
            // later nor those that had stopped for good are visited.
            starts.extend(
                self.index
                    .owners_at(domain, at)
                    .filter(|&id| owns(id))
                    .take(MAX_OWNER_ROUTES),
            );
        }
        if starts.is_empty()
            && let Some(c) = self
                .coordination
                .filter(|&c| owns(c) || self.index.roster(c).is_some())
        {
            starts.push(c);
        }
        // The units of the route first, then who to reach in each, so that finding the units is
        // a short loop of probes and the route's vector is allocated once, at its size.
        let mut units: SmallVec<[(UnitId, &Roster); ROUTE_CAPACITY]> = SmallVec::new();
        for start in starts {
            let mut current = Some(start);
            while let Some(id) = current {
                // A unit already on the route came with every unit above it: the rest of this
                // walk would add nothing.
                if units.iter().any(|&(u, _)| u == id) {
                    break;
                }
                let Some(u) = self.index.roster(id) else {
                    break;
                };
                units.push((id, u));
                current = u.parent;
            }
        }
        let mut route: Vec<EscalationStep> = units
            .into_iter()
            .map(|(id, u)| EscalationStep {
                unit: id,
                kind: u.kind,
                // As `who_may_decide` and `referents`, from the roster already in hand.
                holders: match number {
                    _ if u.kind == UnitKind::Agora => Vec::new(),
                    Some(n) if owns_on(id, u) => u.in_force_at(at, Wanted::Any, Some(n)),
                    _ => u.in_force_at(at, Wanted::Referents, None),
                },
            })
            .collect();
        // The Agora closes every route.
        if let Some(pos) = route.iter().position(|s| s.kind == UnitKind::Agora) {
            let agora = route.remove(pos);
            route.push(agora);
        }
        route
    }

    /// The route of a decision that must go to the Coordination or the Agora (R9).
    pub fn route_to_body(
        &self,
        body: crate::settings::EscalationBody,
        domain: &Domain,
        at: Instant,
    ) -> Vec<EscalationStep> {
        let mut route = Vec::new();
        if body == crate::settings::EscalationBody::Coordination
            && let Some(c) = self.coordination
        {
            let holders = {
                let covering = self.who_may_decide(c, domain, at);
                if covering.is_empty() {
                    self.referents(c, at)
                } else {
                    covering
                }
            };
            route.push(EscalationStep {
                unit: c,
                kind: UnitKind::Coordination,
                holders,
            });
        }
        if let Some(a) = self.agora {
            route.push(EscalationStep {
                unit: a,
                kind: UnitKind::Agora,
                holders: Vec::new(),
            });
        }
        route
    }

    /// `domain`'s number if it is one of `unit`'s domains at `at`, from the index's copy of the
    /// unit's latest domains (or, for an earlier date, the unit's history).
    #[inline]
    fn domain_of_unit_at(
        &self,
        unit: UnitId,
        latest: &LatestDomains,
        domain: &Domain,
        at: Instant,
    ) -> Option<DomainId> {
        self.index
            .domain_of_unit_at(&self.units, unit, latest, domain, at)
    }
}

#[cfg(test)]
mod tests;
