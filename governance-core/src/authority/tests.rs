//! The fast paths against the straightforward ones they replaced, on random movements whose
//! units gain, lose and regain domains, are archived, and whose decisions are sometimes taken
//! back half-way: the index's owner lists against the movement's `domain_owners`, and routes,
//! holders and referents against full scans of `domain_owners` and of the rosters.

use super::*;
use crate::decision::{Decider, DecisionDraft, Impact, Visibility};
use crate::effect::{Effect, NewMandate, NewMember, NewUnit};
use crate::event::Event;
use crate::id::{DecisionId, MandateId, OrganizationId};
use crate::index::roster::RosterEntry;
use crate::mandate::Role;
use crate::mandate::Scope;
use crate::movement::Organization;
use crate::rules::RulesVersion;
use crate::text::{Email, Label, Text};
use crate::time::Period;
use chrono::Duration;
use proptest::prelude::*;
use std::collections::BTreeSet;

const DOMAINS: [&str; 5] = ["budget", "accueil", "presse", "local", "archives"];

fn t0() -> Instant {
    crate::builder::date("2026-01-01")
}

fn domain(name: &str) -> Domain {
    Domain::parse(name).unwrap()
}

fn domains_of(bits: u8) -> BTreeSet<Domain> {
    let set: BTreeSet<Domain> = (0..DOMAINS.len())
        .filter(|i| bits & (1 << i) != 0)
        .map(|i| domain(DOMAINS[i]))
        .collect();
    if set.is_empty() {
        [domain(DOMAINS[0])].into()
    } else {
        set
    }
}

/// What one decision of the Agora does.
#[derive(Debug, Clone)]
enum Step {
    /// A unit under an earlier one, with these domains.
    Create(usize, u8),
    Domains(usize, u8),
    Archive(usize),
    /// (holder, unit, start delay in days, length in days, committed, referent, scope bits)
    Assign(usize, usize, u8, u16, bool, bool, u8),
    Revoke(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0usize..40, 1u8..32).prop_map(|(p, b)| Step::Create(p, b)),
        3 => (0usize..40, 1u8..32).prop_map(|(u, b)| Step::Domains(u, b)),
        1 => (0usize..40).prop_map(Step::Archive),
        4 => (0usize..4, 0usize..40, 0u8..20, 1u16..120, proptest::bool::weighted(0.8),
              proptest::bool::weighted(0.3), 0u8..32)
            .prop_map(|(h, u, d, l, c, r, s)| Step::Assign(h, u, d, l, c, r, s)),
        1 => (0usize..40).prop_map(Step::Revoke),
    ]
}

/// Applies the steps, one decision each (some carrying several, some refused at their last
/// effect after the others were applied), a few days apart.
fn build(decisions: &[(Vec<Step>, bool)]) -> (Movement, Vec<Instant>) {
    let mut next = 0u128;
    let mut id = || {
        next += 1;
        next
    };
    let agora = UnitId::from_u128(id());
    let coordination = UnitId::from_u128(id());
    let members: Vec<MemberId> = (0..4).map(|_| MemberId::from_u128(id())).collect();
    let decision = |id: u128, at: Instant, effects: Vec<Effect>| {
        Event::Decision(Box::new(DecisionDraft {
            id: DecisionId::from_u128(id),
            unit: agora,
            domain: domain("charte"),
            title: Label::parse("t", "Décision").unwrap(),
            statement: Text::default(),
            rationale: Text::default(),
            decided_at: at,
            effective_from: None,
            effective_until: None,
            decider: Decider::Body {
                meeting: None,
                participants: vec![members[0]],
                secretary: None,
            },
            consultations: vec![],
            impact: Impact::MovementWide,
            visibility: Visibility::Members,
            links: vec![],
            effects,
            tension: None,
            escalation: None,
        }))
    };
    let unit = |id: UnitId, kind: UnitKind, parent: Option<UnitId>, bits: u8| {
        Effect::CreateUnit(NewUnit {
            id,
            name: Label::parse("n", &format!("Unité {}", id.as_uuid().as_u128())).unwrap(),
            kind,
            parent,
            domains: domains_of(bits),
        })
    };
    // The Agora decides on its own domain only, so that the others can be owned by no unit.
    let mut founding = vec![Effect::CreateUnit(NewUnit {
        id: agora,
        name: Label::parse("n", "Agora").unwrap(),
        kind: UnitKind::Agora,
        parent: None,
        domains: [domain("charte")].into(),
    })];
    founding.extend(members.iter().enumerate().map(|(i, &m)| {
        Effect::AdmitMember(NewMember {
            id: m,
            name: Label::parse("n", &format!("Membre {i}")).unwrap(),
            email: Email::parse(&format!("m{i}@example.org")).unwrap(),
        })
    }));
    founding.push(unit(
        coordination,
        UnitKind::Coordination,
        Some(agora),
        0b00111,
    ));
    let mut m = Movement::new(Organization {
        id: OrganizationId::from_u128(1),
        name: Label::parse("n", "Mouvement").unwrap(),
    });
    let mut instants = vec![t0()];
    m.apply_recorded(decision(id(), t0(), founding), RulesVersion::V1)
        .unwrap();
    // What the accepted decisions made: units still active (the Coordination first, never
    // archived: it is permanent), and mandates.
    let mut units = vec![coordination];
    let mut mandates: Vec<MandateId> = Vec::new();
    for (k, (steps, refused)) in decisions.iter().enumerate() {
        let at = t0() + Duration::days(3 * (k as i64 + 1)) + Duration::minutes(k as i64);
        let (mut created, mut archived, mut assigned) = (Vec::new(), Vec::new(), Vec::new());
        let mut effects = Vec::new();
        let mut commitments = Vec::new();
        for s in steps {
            let known: Vec<UnitId> = units.iter().chain(&created).copied().collect();
            let pick = |i: usize| known[i % known.len()];
            effects.push(match *s {
                Step::Create(p, bits) => {
                    let parent = pick(p);
                    let kind = if parent == coordination {
                        UnitKind::Pole
                    } else {
                        UnitKind::WorkingGroup
                    };
                    let new = UnitId::from_u128(id());
                    created.push(new);
                    unit(new, kind, Some(parent), bits)
                }
                Step::Domains(u, bits) => Effect::SetUnitDomains {
                    unit: pick(u),
                    domains: domains_of(bits),
                },
                // Units without active sub-units: the last ones created, usually.
                Step::Archive(u) if units.len() > 1 => {
                    let target = units[1 + u % (units.len() - 1)];
                    archived.push(target);
                    Effect::ArchiveUnit { unit: target }
                }
                Step::Archive(_) => continue,
                Step::Assign(h, u, delay, length, committed, referent, scope) => {
                    let mandate = MandateId::from_u128(id());
                    let target = pick(u);
                    assigned.push(mandate);
                    let start = at + Duration::days(delay.into());
                    if committed {
                        commitments.push((mandate, members[h], at + Duration::hours(1)));
                    }
                    // A restricted scope names some of the unit's current domains.
                    let current: BTreeSet<Domain> = m
                        .unit(target)
                        .map(|x| {
                            x.current_domains()
                                .intersection(&domains_of(scope))
                                .cloned()
                                .collect()
                        })
                        .unwrap_or_default();
                    Effect::AssignMandate(NewMandate {
                        id: mandate,
                        holder: members[h],
                        unit: target,
                        scope: if scope == 0 || current.is_empty() {
                            Scope::AllDomains
                        } else {
                            Scope::Domains(current)
                        },
                        role: if referent {
                            Role::Referent
                        } else {
                            Role::Holder
                        },
                        period: Period::new(start, start + Duration::days(length.into())).unwrap(),
                    })
                }
                Step::Revoke(i) if !mandates.is_empty() => Effect::RevokeMandate {
                    mandate: mandates[i % mandates.len()],
                },
                Step::Revoke(_) => continue,
            });
        }
        if *refused {
            effects.push(Effect::RevokeMandate {
                mandate: MandateId::from_u128(0xDEAD_0000 + id()),
            });
        }
        if m.apply_recorded(decision(id(), at, effects), RulesVersion::V1)
            .is_ok()
        {
            instants.push(at);
            units.extend(created);
            units.retain(|u| !archived.contains(u));
            mandates.extend(assigned);
            for (mandate, member, when) in commitments {
                let commit = Event::Commitment {
                    mandate,
                    member,
                    at: when,
                };
                if m.apply_recorded(commit, RulesVersion::V1).is_ok() {
                    instants.push(when);
                }
            }
        }
    }
    (m, instants)
}

/// The route as it was computed before the owner lists and the tree of ends: every unit of
/// `domain_owners` in turn, and every entry of each roster.
fn route_by_scan(m: &Movement, unit: UnitId, domain: &Domain, at: Instant) -> Vec<EscalationStep> {
    let owns = |id: UnitId| {
        m.index.roster(id).is_some_and(|r| {
            r.life.contains(at) && m.domain_of_unit_at(id, &r.domains, domain, at).is_some()
        })
    };
    let mut starts: Vec<UnitId> = Vec::new();
    if owns(unit) {
        starts.push(unit);
    } else if let Some(owners) = m.domain_owners.get(domain) {
        starts.extend(
            owners
                .iter()
                .copied()
                .filter(|&id| owns(id))
                .take(MAX_OWNER_ROUTES),
        );
    }
    if starts.is_empty()
        && let Some(c) = m
            .coordination
            .filter(|&c| owns(c) || m.index.roster(c).is_some())
    {
        starts.push(c);
    }
    let mut route: Vec<EscalationStep> = Vec::new();
    for start in starts {
        let mut current = Some(start);
        while let Some(id) = current {
            let Some(u) = m.index.roster(id) else {
                break;
            };
            if !route.iter().any(|s| s.unit == id) {
                let holders = if u.kind == UnitKind::Agora {
                    Vec::new()
                } else if owns(id) {
                    who_by_scan(m, id, domain, at)
                } else {
                    referents_by_scan(m, id, at)
                };
                route.push(EscalationStep {
                    unit: id,
                    kind: u.kind,
                    holders,
                });
            }
            current = u.parent;
        }
    }
    if let Some(pos) = route.iter().position(|s| s.kind == UnitKind::Agora) {
        let agora = route.remove(pos);
        route.push(agora);
    }
    route
}

fn in_force_by_scan(
    roster: &Roster,
    at: Instant,
    keep: impl Fn(&RosterEntry) -> bool,
) -> Vec<Competent> {
    roster
        .entries()
        .iter()
        .filter(|e| {
            e.slot.is_known_at(at)
                && e.slot.status_at(at) == MandateStatus::InForce
                && e.membership.contains(at)
                && keep(e)
        })
        .map(|e| {
            let s = &e.slot;
            Competent::new(e.holder, s.mandate, s.role, s.period, s.committed_at)
        })
        .collect()
}

fn who_by_scan(m: &Movement, unit: UnitId, domain: &Domain, at: Instant) -> Vec<Competent> {
    let Some(roster) = m.index.roster(unit).filter(|r| r.life.contains(at)) else {
        return Vec::new();
    };
    let Some(id) = m.domain_of_unit_at(unit, &roster.domains, domain, at) else {
        return Vec::new();
    };
    in_force_by_scan(roster, at, |e| e.slot.scope_includes(id))
}

fn referents_by_scan(m: &Movement, unit: UnitId, at: Instant) -> Vec<Competent> {
    m.index
        .roster(unit)
        .map(|r| in_force_by_scan(r, at, |e| e.slot.role == Role::Referent))
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn owner_lists_routes_holders_and_referents_agree_with_full_scans(
        decisions in proptest::collection::vec(
            (proptest::collection::vec(step(), 1..4), proptest::bool::weighted(0.15)),
            0..25,
        ),
        offsets in proptest::collection::vec(0i64..200 * 86_400, 4),
    ) {
        let (m, instants) = build(&decisions);
        let mut names: Vec<Domain> = DOMAINS.iter().map(|d| domain(d)).collect();
        names.push(domain("inconnu"));
        for d in &names {
            let listed = m.domain_owners.get(d).cloned().unwrap_or_default();
            prop_assert_eq!(m.index.owners_of(d), listed, "owners of {}", d);
        }
        // Before the founding, at each event and a microsecond and a nanosecond around it
        // (where ownerships and mandates begin and end), at a few other dates, and at two
        // instants the rosters' nanosecond keys cannot hold (checked on the entries instead).
        let mut asked = vec![t0() - Duration::days(1)];
        for &at in &instants {
            asked.extend([
                at - Duration::microseconds(1),
                at - Duration::nanoseconds(1),
                at,
                at + Duration::nanoseconds(1),
                at + Duration::microseconds(1),
            ]);
        }
        asked.extend(["1600-01-01T00:00:00Z", "2300-01-01T00:00:00Z"].map(|t| {
            t.parse::<Instant>().expect("an instant")
        }));
        asked.extend(offsets.iter().map(|&s| t0() + Duration::seconds(s)));
        let units: Vec<UnitId> = m.units().map(|u| u.id).collect();
        for &at in &asked {
            for &u in &units {
                prop_assert_eq!(m.referents(u, at), referents_by_scan(&m, u, at));
                for d in &names {
                    prop_assert_eq!(
                        m.escalation_route(u, d, at),
                        route_by_scan(&m, u, d, at),
                        "route of {} in {} at {}", d, u, at
                    );
                    prop_assert_eq!(m.who_may_decide(u, d, at), who_by_scan(&m, u, d, at));
                }
            }
        }
    }
}
