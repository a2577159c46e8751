//! Property tests on random movements and requests: the authority engine against the charter's
//! invariants, and against a deliberately naive reference that scans every mandate.

use chrono::Duration;
use governance_core::RulesVersion;
use governance_core::builder::date;
use governance_core::{
    Decider, DecisionDraft, DecisionId, Domain, Effect, Email, ErrorCode, Event, Impact, Instant,
    Label, MandateId, MandateStatus, MemberId, Movement, NewMandate, NewMember, NewUnit,
    Organization, OrganizationId, Period, Role, Scope, Text, UnitId, UnitKind, Verdict, Visibility,
};
use proptest::prelude::*;
use std::collections::{BTreeSet, HashMap};

const DOMAINS: [&str; 4] = ["budget", "communication", "événements", "mandats"];

fn t0() -> Instant {
    date("2026-01-01")
}

/// A random movement, described compactly; `build` turns it into a log through the engine.
#[derive(Debug, Clone)]
struct Spec {
    /// For each extra unit: (index of the parent among earlier units, domain bits).
    units: Vec<(usize, u8)>,
    members: usize,
    mandates: Vec<MandateSpec>,
    removals: Vec<(usize, u32)>,
    /// (unit, day, domain bits): a unit's domains change.
    domain_changes: Vec<(usize, u32, u8)>,
    /// (unit, day): a unit is archived (refused while it has active sub-units).
    archives: Vec<(usize, u32)>,
    /// Decisions whose last effect is invalid, so the engine must take back the ones before it.
    refused: Vec<RefusedSpec>,
}

/// A decision refused after some of its effects were applied: (day, what it tries first,
/// a member, a unit, a mandate, domain bits).
#[derive(Debug, Clone)]
struct RefusedSpec {
    day: u32,
    first: u8,
    member: usize,
    unit: usize,
    mandate: usize,
    bits: u8,
}

#[derive(Debug, Clone)]
struct MandateSpec {
    holder: usize,
    unit: usize,
    scope_bits: u8,
    assigned_day: u32,
    start_delay_days: u32,
    length_days: u32,
    commit_delay_hours: Option<u32>,
    revoke_delay_days: Option<u32>,
    referent: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    let unit = (0usize..100, 1u8..16);
    let mandate = (
        0usize..100,
        0usize..100,
        0u8..16,
        0u32..300,
        0u32..40,
        1u32..360,
        proptest::option::weighted(0.8, 0u32..2000),
        proptest::option::weighted(0.2, 0u32..200),
        proptest::bool::weighted(0.2),
    )
        .prop_map(
            |(
                holder,
                unit,
                scope_bits,
                assigned_day,
                start_delay_days,
                length_days,
                commit,
                revoke,
                referent,
            )| MandateSpec {
                holder,
                unit,
                scope_bits,
                assigned_day,
                start_delay_days,
                length_days,
                commit_delay_hours: commit,
                revoke_delay_days: revoke,
                referent,
            },
        );
    (
        proptest::collection::vec(unit, 0..8),
        2usize..10,
        proptest::collection::vec(mandate, 0..30),
        proptest::collection::vec((1usize..10, 0u32..400), 0..3),
        proptest::collection::vec((0usize..100, 0u32..400, 1u8..16), 0..4),
        proptest::collection::vec((0usize..100, 0u32..500), 0..2),
        proptest::collection::vec(
            (
                0u32..400,
                0u8..6,
                0usize..100,
                0usize..100,
                0usize..100,
                1u8..16,
            )
                .prop_map(|(day, first, member, unit, mandate, bits)| RefusedSpec {
                    day,
                    first,
                    member,
                    unit,
                    mandate,
                    bits,
                }),
            0..4,
        ),
    )
        .prop_map(
            |(units, members, mandates, removals, domain_changes, archives, refused)| Spec {
                units,
                members,
                mandates,
                removals,
                domain_changes,
                archives,
                refused,
            },
        )
}

fn domains_of(bits: u8) -> BTreeSet<Domain> {
    let set: BTreeSet<Domain> = DOMAINS
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, d)| Domain::parse(d).unwrap())
        .collect();
    if set.is_empty() {
        [Domain::parse(DOMAINS[0]).unwrap()].into()
    } else {
        set
    }
}

/// Writes the spec's log: a founding, then Agora decisions (the sovereign body) that assign and
/// revoke mandates and remove members, and the holders' commitments. Events the engine refuses
/// are left out, so the log holds only what the rules allow.
fn build(spec: &Spec) -> (Movement, Vec<Event>) {
    let mut next = 1u128;
    let mut id = || {
        next += 1;
        next
    };
    let agora = UnitId::from_u128(id());
    let coordination = UnitId::from_u128(id());
    let members: Vec<MemberId> = (0..spec.members)
        .map(|_| MemberId::from_u128(id()))
        .collect();
    let mut units = vec![
        (agora, UnitKind::Agora),
        (coordination, UnitKind::Coordination),
    ];
    let mut effects = vec![Effect::CreateUnit(NewUnit {
        id: agora,
        name: Label::parse("n", "Agora").unwrap(),
        kind: UnitKind::Agora,
        parent: None,
        domains: domains_of(0b1111),
    })];
    for (i, m) in members.iter().enumerate() {
        effects.push(Effect::AdmitMember(NewMember {
            id: *m,
            name: Label::parse("n", &format!("Membre {i}")).unwrap(),
            email: Email::parse(&format!("m{i}@example.org")).unwrap(),
        }));
    }
    effects.push(Effect::CreateUnit(NewUnit {
        id: coordination,
        name: Label::parse("n", "Coordination").unwrap(),
        kind: UnitKind::Coordination,
        parent: Some(agora),
        domains: domains_of(0b1111),
    }));
    for (i, (parent, bits)) in spec.units.iter().enumerate() {
        let (parent_id, parent_kind) = units[1 + parent % (units.len() - 1)];
        let kind = match parent_kind {
            UnitKind::Coordination => UnitKind::Pole,
            UnitKind::Pole => UnitKind::Comite,
            _ => UnitKind::WorkingGroup,
        };
        let uid = UnitId::from_u128(id());
        effects.push(Effect::CreateUnit(NewUnit {
            id: uid,
            name: Label::parse("n", &format!("Unité {i}")).unwrap(),
            kind,
            parent: Some(parent_id),
            domains: domains_of(*bits),
        }));
        units.push((uid, kind));
    }
    let mut movement = Movement::new(Organization {
        id: OrganizationId::from_u128(1),
        name: Label::parse("n", "Mouvement").unwrap(),
    });
    let agora_decision = |id: u128, at: Instant, effects: Vec<Effect>| {
        Event::Decision(Box::new(DecisionDraft {
            id: DecisionId::from_u128(id),
            unit: agora,
            domain: Domain::parse("budget").unwrap(),
            title: Label::parse("t", "Décision de l'Agora").unwrap(),
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
    let mut events = vec![agora_decision(id(), t0(), effects)];
    let mut mandate_ids = Vec::new();
    for ms in &spec.mandates {
        let assigned = t0() + Duration::days(ms.assigned_day as i64) + Duration::hours(1);
        let start = assigned + Duration::days(ms.start_delay_days as i64);
        let mandate = MandateId::from_u128(id());
        mandate_ids.push(mandate);
        let holder = members[ms.holder % members.len()];
        let (unit, _) = units[1 + ms.unit % (units.len() - 1)];
        let scope = if ms.scope_bits == 0 {
            Scope::AllDomains
        } else {
            Scope::Domains(domains_of(ms.scope_bits))
        };
        events.push(agora_decision(
            id(),
            assigned,
            vec![Effect::AssignMandate(NewMandate {
                id: mandate,
                holder,
                unit,
                scope,
                role: if ms.referent {
                    Role::Referent
                } else {
                    Role::Holder
                },
                period: Period::new(start, start + Duration::days(ms.length_days as i64)).unwrap(),
            })],
        ));
        if let Some(h) = ms.commit_delay_hours {
            events.push(Event::Commitment {
                mandate,
                member: holder,
                at: assigned + Duration::hours(h as i64),
            });
        }
        if let Some(d) = ms.revoke_delay_days {
            events.push(agora_decision(
                id(),
                assigned + Duration::days(d as i64) + Duration::minutes(7),
                vec![Effect::RevokeMandate { mandate }],
            ));
        }
    }
    for (who, day) in &spec.removals {
        let member = members[who % members.len()];
        if member != members[0] {
            events.push(agora_decision(
                id(),
                t0() + Duration::days(*day as i64) + Duration::minutes(3),
                vec![Effect::RemoveMember { member }],
            ));
        }
    }
    let day = |d: u32, minutes: i64| t0() + Duration::days(d as i64) + Duration::minutes(minutes);
    let some_unit = |i: usize| units[1 + i % (units.len() - 1)].0;
    for (unit, d, bits) in &spec.domain_changes {
        events.push(agora_decision(
            id(),
            day(*d, 11),
            vec![Effect::SetUnitDomains {
                unit: some_unit(*unit),
                domains: domains_of(*bits),
            }],
        ));
    }
    for (unit, d) in &spec.archives {
        events.push(agora_decision(
            id(),
            day(*d, 13),
            vec![Effect::ArchiveUnit {
                unit: some_unit(*unit),
            }],
        ));
    }
    for r in &spec.refused {
        let at = day(r.day, 17);
        let unit = some_unit(r.unit);
        let member = members[r.member % members.len()];
        let period = Period::new(at + Duration::hours(1), at + Duration::days(30)).unwrap();
        let assign = |id: u128, unit: UnitId| {
            Effect::AssignMandate(NewMandate {
                id: MandateId::from_u128(id),
                holder: member,
                unit,
                scope: Scope::AllDomains,
                role: Role::Holder,
                period,
            })
        };
        let mut tried = match r.first {
            0 => vec![assign(id(), unit)],
            1 => vec![Effect::RemoveMember { member }],
            2 => vec![Effect::SetUnitDomains {
                unit,
                domains: domains_of(r.bits),
            }],
            3 => vec![Effect::ArchiveUnit { unit }],
            4 => {
                let new_unit = UnitId::from_u128(id());
                vec![
                    Effect::CreateUnit(NewUnit {
                        id: new_unit,
                        name: Label::parse("n", &format!("Pôle refusé {}", r.day)).unwrap(),
                        kind: UnitKind::Pole,
                        parent: Some(coordination),
                        domains: domains_of(r.bits),
                    }),
                    assign(id(), new_unit),
                ]
            }
            _ if !mandate_ids.is_empty() => vec![Effect::RevokeMandate {
                mandate: mandate_ids[r.mandate % mandate_ids.len()],
            }],
            _ => vec![],
        };
        // The last effect names a mandate that does not exist: the whole decision is refused.
        tried.push(Effect::RevokeMandate {
            mandate: MandateId::from_u128(0xDEAD_0000 + id()),
        });
        events.push(agora_decision(id(), at, tried));
    }
    events.sort_by_key(Event::at);
    let mut kept = Vec::new();
    for e in events {
        if movement.apply_recorded(e.clone(), RulesVersion::V1).is_ok() {
            kept.push(e);
        }
    }
    (movement, kept)
}

#[derive(Debug, Clone)]
struct Request {
    member: usize,
    unit: usize,
    domain: usize,
    /// Either a random instant, or an edge of a mandate (start, end, commitment, revocation) ± 1µs.
    when: When,
}

#[derive(Debug, Clone)]
enum When {
    Day(u32, u32),
    Edge(usize, u8, i8),
    /// The instant of a recorded decision ± 1µs: where archives, domain changes and removals
    /// take effect.
    Decided(usize, i8),
}

fn request() -> impl Strategy<Value = Request> {
    let when = prop_oneof![
        (0u32..700, 0u32..86_400).prop_map(|(d, s)| When::Day(d, s)),
        (0usize..100, 0u8..4, -1i8..=1).prop_map(|(m, e, o)| When::Edge(m, e, o)),
        (0usize..100, -1i8..=1).prop_map(|(d, o)| When::Decided(d, o)),
    ];
    // One past the vocabulary: a domain no unit ever had.
    (0usize..12, 0usize..12, 0usize..=DOMAINS.len(), when).prop_map(
        |(member, unit, domain, when)| Request {
            member,
            unit,
            domain,
            when,
        },
    )
}

struct Resolved {
    member: MemberId,
    unit: UnitId,
    domain: Domain,
    at: Instant,
}

fn resolve(m: &Movement, r: &Request) -> Resolved {
    let members: Vec<MemberId> = m.members().map(|x| x.id).collect();
    let units: Vec<UnitId> = m.units().map(|u| u.id).collect();
    let at = match r.when {
        When::Day(d, s) => {
            t0() - Duration::days(10) + Duration::days(d as i64) + Duration::seconds(s as i64)
        }
        When::Edge(i, edge, offset) if !m.mandates().is_empty() => {
            let x = &m.mandates()[i % m.mandates().len()];
            let base = match edge {
                0 => x.period.starts_at(),
                1 => x.period.ends_at(),
                2 => x.committed_at.unwrap_or(x.period.starts_at()),
                _ => x.revocation.map(|r| r.at).unwrap_or(x.period.ends_at()),
            };
            base + Duration::microseconds(offset as i64)
        }
        When::Edge(..) => t0(),
        When::Decided(i, offset) => {
            let d = &m.decisions()[i % m.decisions().len()];
            d.decided_at() + Duration::microseconds(offset as i64)
        }
    };
    // A member id past the list stands for an outsider.
    let member = members
        .get(r.member)
        .copied()
        .unwrap_or(MemberId::from_u128(0xFFFF));
    Resolved {
        member,
        unit: units[r.unit % units.len()],
        domain: Domain::parse(DOMAINS.get(r.domain).copied().unwrap_or("inconnu")).unwrap(),
        at,
    }
}

/// The reference: a linear scan over every mandate, written from the charter and nothing else.
fn naive(m: &Movement, q: &Resolved) -> Result<MandateId, ErrorCode> {
    let Some(member) = m.members().find(|x| x.id == q.member) else {
        return Err(ErrorCode::NotAMember);
    };
    if !(member.joined_at <= q.at && member.left.is_none_or(|(l, _)| q.at < l)) {
        return Err(ErrorCode::NotAMember);
    }
    let unit = m.units().find(|u| u.id == q.unit).unwrap();
    if !(unit.created_at <= q.at && unit.archived.is_none_or(|(a, _)| q.at < a)) {
        return Err(ErrorCode::NotFound);
    }
    let unit_domains = unit.domains_at(q.at);
    let known: Vec<_> = m
        .mandates()
        .iter()
        .filter(|x| x.holder == q.member && x.assigned_at <= q.at)
        .collect();
    let covering: Vec<_> = known
        .iter()
        .filter(|x| x.unit == q.unit && unit_domains.contains(&q.domain))
        .filter(|x| match &x.scope {
            Scope::AllDomains => true,
            Scope::Domains(s) => s.contains(&q.domain),
        })
        .collect();
    for x in &covering {
        let revoked = x.revocation.is_some_and(|r| r.at <= q.at);
        let in_period = x.period.starts_at() <= q.at && q.at < x.period.ends_at();
        let committed = x.committed_at.is_some_and(|c| c <= q.at);
        if !revoked && in_period && committed {
            return Ok(x.id);
        }
    }
    // Someone whose every mandate is over holds none.
    let live: Vec<_> = known
        .iter()
        .filter(|x| x.revocation.is_none_or(|r| r.at > q.at) && q.at < x.period.ends_at())
        .collect();
    if covering.is_empty() {
        return Err(if live.is_empty() {
            ErrorCode::NoMandate
        } else {
            ErrorCode::OutOfScope
        });
    }
    let rank = |x: &governance_core::Mandate| {
        let code = if x.revocation.is_some_and(|r| r.at <= q.at) {
            (1, ErrorCode::MandateRevoked)
        } else if q.at >= x.period.ends_at() {
            (2, ErrorCode::MandateExpired)
        } else if q.at < x.period.starts_at() {
            (3, ErrorCode::MandateNotStarted)
        } else {
            (0, ErrorCode::NotCommitted)
        };
        (code, std::cmp::Reverse(x.period.ends_at()))
    };
    Err(covering.iter().map(|x| rank(x)).min().unwrap().0.1)
}

fn as_result(v: &Verdict) -> Result<MandateId, ErrorCode> {
    match v {
        Ok(c) => Ok(c.mandate),
        Err(d) => Err(d.reason.code()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// R4, R5: an allow always names a committed mandate in force that covers the unit and
    /// domain at that instant; and the engine agrees with the naive scan on every request
    /// (256 movements × 48 requests = 12 288 cases).
    #[test]
    fn r5_every_allow_names_a_committed_mandate_in_force_and_agrees_with_a_naive_scan(
        spec in spec(),
        requests in proptest::collection::vec(request(), 48),
    ) {
        let (m, _) = build(&spec);
        for r in &requests {
            let q = resolve(&m, r);
            let verdict = m.may_decide(q.member, q.unit, &q.domain, q.at);
            if let Ok(c) = &verdict {
                let x = m.mandate(c.mandate).unwrap();
                prop_assert_eq!(x.holder, q.member);
                prop_assert_eq!(x.unit, q.unit);
                prop_assert_eq!(x.status_at(q.at), MandateStatus::InForce);
                prop_assert!(x.committed_at.is_some_and(|t| t <= q.at));
                prop_assert!(x.scope.covers(&q.domain, m.unit(q.unit).unwrap().domains_at(q.at)));
                prop_assert!(m.is_member_at(q.member, q.at));
            }
            prop_assert_eq!(as_result(&verdict), naive(&m, &q), "request {:?}", r);
        }
    }

    /// R3, R5: `[starts_at, ends_at)`: one microsecond before the end the mandate grants, at the
    /// end it no longer does; a revocation takes effect at its own instant.
    #[test]
    fn r5_interval_bounds_and_revocation_instant_hold(spec in spec()) {
        let (m, _) = build(&spec);
        for x in m.mandates() {
            let Some(committed) = x.committed_at else { continue };
            let end = x.effective_end();
            let last = end - Duration::microseconds(1);
            let unit_domains = m.unit(x.unit).unwrap().domains_at(last);
            let Some(domain) = unit_domains.iter().find(|d| x.scope.covers(d, unit_domains)).cloned() else { continue };
            // Another mandate of the same holder may cover the same ground; it may still grant.
            let other_in_force = |at: Instant| {
                m.mandates_of(x.holder).any(|o| {
                    o.id != x.id && o.unit == x.unit && o.is_known_at(at)
                        && o.status_at(at) == MandateStatus::InForce
                        && o.scope.covers(&domain, m.unit(x.unit).unwrap().domains_at(at))
                })
            };
            let unit_active = m.unit(x.unit).unwrap().is_active_at(last);
            if committed <= last && x.period.starts_at() <= last && m.is_member_at(x.holder, last) && unit_active {
                prop_assert!(m.may_decide(x.holder, x.unit, &domain, last).is_ok(), "one microsecond before the end, {:?} grants", x.id);
            }
            let at_end = m.may_decide(x.holder, x.unit, &domain, end);
            prop_assert!(at_end.as_ref().map_or(true, |c| c.mandate != x.id), "at its end or revocation, {:?} grants nothing", x.id);
            if !other_in_force(end) {
                prop_assert!(at_end.is_err());
            }
        }
    }

    /// The answer at a past date does not change when later events are added.
    #[test]
    fn past_answers_do_not_change_when_later_events_are_added(
        spec in spec(),
        cut in 0.0f64..1.0,
        requests in proptest::collection::vec(request(), 32),
    ) {
        let (full, events) = build(&spec);
        let n = ((events.len() as f64) * cut) as usize;
        prop_assume!(n >= 1 && n < events.len());
        let horizon = events[n].at();
        let prefix = Movement::replay_under(full.organization().clone(), &events[..n], RulesVersion::V1).unwrap();
        for r in &requests {
            let q = resolve(&full, r);
            if q.at >= horizon {
                continue;
            }
            prop_assert_eq!(
                as_result(&prefix.may_decide(q.member, q.unit, &q.domain, q.at)),
                as_result(&full.may_decide(q.member, q.unit, &q.domain, q.at)),
                "at {} with the log cut before {}", q.at, horizon
            );
        }
        let before = horizon - Duration::microseconds(1);
        prop_assert_eq!(prefix.authority_map(before), full.authority_map(before));
    }

    /// A decision refused half-way leaves no trace: a movement that applied some of its effects
    /// and took them back answers exactly as a replay of the events it accepted, reasons and
    /// routes included, and so do its authority maps.
    #[test]
    fn refused_decisions_leave_no_trace_in_the_answers(
        spec in spec(),
        requests in proptest::collection::vec(request(), 32),
    ) {
        let (m, kept) = build(&spec);
        let replayed = Movement::replay_under(m.organization().clone(), &kept, RulesVersion::V1).unwrap();
        for r in &requests {
            let q = resolve(&m, r);
            prop_assert_eq!(
                m.may_decide(q.member, q.unit, &q.domain, q.at),
                replayed.may_decide(q.member, q.unit, &q.domain, q.at),
                "request {:?}", r
            );
        }
        for d in [0, 90, 180, 270, 360, 450] {
            let at = t0() + Duration::days(d) + Duration::hours(12);
            prop_assert_eq!(m.authority_map(at), replayed.authority_map(at));
        }
    }

    /// R15, R7: who may decide a thing, and who the referents are, agree with a naive scan of
    /// every mandate and every member record, at any date.
    #[test]
    fn r15_who_may_decide_and_referents_agree_with_a_naive_scan(
        spec in spec(),
        requests in proptest::collection::vec(request(), 32),
    ) {
        let (m, _) = build(&spec);
        for r in &requests {
            let q = resolve(&m, r);
            let ids = |c: Vec<governance_core::Competent>| c.into_iter().map(|c| c.mandate).collect::<Vec<_>>();
            prop_assert_eq!(
                ids(m.who_may_decide(q.unit, &q.domain, q.at)),
                naive_in_force(&m, &q, |x, unit_domains| x.scope.covers(&q.domain, unit_domains), true),
                "who may decide, request {:?}", r
            );
            prop_assert_eq!(
                ids(m.referents(q.unit, q.at)),
                naive_in_force(&m, &q, |x, _| x.role == Role::Referent, false),
                "referents, request {:?}", r
            );
        }
    }
}

/// A spec whose units change their domains and are archived more often than `spec()`'s, so that
/// domains are often held by few of their former owners, or by none (and routes must skip them).
fn spec_with_history() -> impl Strategy<Value = Spec> {
    (
        spec(),
        proptest::collection::vec((0usize..100, 0u32..400, 1u8..16), 0..10),
        proptest::collection::vec((0usize..100, 0u32..500), 0..4),
    )
        .prop_map(|(mut spec, changes, archives)| {
            spec.domain_changes.extend(changes);
            spec.archives.extend(archives);
            spec
        })
}

/// The units that ever had each domain, in the order they first had it, read from the accepted
/// log alone (the order an escalation route lists owners in).
fn owners_from_log(events: &[Event]) -> HashMap<Domain, Vec<UnitId>> {
    let mut owners: HashMap<Domain, Vec<UnitId>> = HashMap::new();
    for event in events {
        let Event::Decision(draft) = event else {
            continue;
        };
        for effect in &draft.effects {
            let (unit, domains) = match effect {
                Effect::CreateUnit(new) => (new.id, &new.domains),
                Effect::SetUnitDomains { unit, domains } => (*unit, domains),
                _ => continue,
            };
            for d in domains {
                let list = owners.entry(d.clone()).or_default();
                if !list.contains(&unit) {
                    list.push(unit);
                }
            }
        }
    }
    owners
}

/// A route as (unit, kind, mandates of its holders).
type Route = Vec<(UnitId, UnitKind, Vec<MandateId>)>;

/// The reference route (R9), from the charter and the log: the asked unit if it owns the
/// domain, else the first three units owning it then in the order they first had it, else the
/// Coordination; from each, up the tree; the owning units list who may decide, the others their
/// referents, the Agora no one and comes last.
fn naive_route(m: &Movement, owners: &HashMap<Domain, Vec<UnitId>>, q: &Resolved) -> Route {
    let owns = |u: UnitId| {
        m.unit(u)
            .is_some_and(|x| x.is_active_at(q.at) && x.domains_at(q.at).contains(&q.domain))
    };
    let mut starts: Vec<UnitId> = Vec::new();
    if owns(q.unit) {
        starts.push(q.unit);
    } else {
        let listed = owners.get(&q.domain).into_iter().flatten().copied();
        starts.extend(listed.filter(|&u| owns(u)).take(3));
    }
    if starts.is_empty() {
        starts.extend(m.coordination());
    }
    let mut route: Route = Vec::new();
    for start in starts {
        let mut current = Some(start);
        while let Some(id) = current {
            let unit = m.unit(id).unwrap();
            if !route.iter().any(|(u, ..)| *u == id) {
                let here = Resolved {
                    member: q.member,
                    unit: id,
                    domain: q.domain.clone(),
                    at: q.at,
                };
                let holders = if unit.kind == UnitKind::Agora {
                    Vec::new()
                } else if owns(id) {
                    naive_in_force(m, &here, |x, ds| x.scope.covers(&q.domain, ds), true)
                } else {
                    naive_in_force(m, &here, |x, _| x.role == Role::Referent, false)
                };
                route.push((id, unit.kind, holders));
            }
            current = unit.parent;
        }
    }
    if let Some(pos) = route.iter().position(|(_, k, _)| *k == UnitKind::Agora) {
        let agora = route.remove(pos);
        route.push(agora);
    }
    route
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// R9: the escalation route of every request, before the founding, about a domain no unit
    /// has or has any more, or at any other date, is the reference route read from the log:
    /// the same units in the same order, with the same holders.
    #[test]
    fn r9_escalation_routes_agree_with_a_naive_reading_of_the_log(
        spec in spec_with_history(),
        requests in proptest::collection::vec(request(), 48),
    ) {
        let (m, kept) = build(&spec);
        let owners = owners_from_log(&kept);
        for r in &requests {
            let q = resolve(&m, r);
            let route: Route = m
                .escalation_route(q.unit, &q.domain, q.at)
                .into_iter()
                .map(|s| (s.unit, s.kind, s.holders.into_iter().map(|c| c.mandate).collect()))
                .collect();
            prop_assert_eq!(route, naive_route(&m, &owners, &q), "request {:?}", r);
        }
    }
}

/// The mandates of the asked unit in force at the asked instant, held by a member then, that
/// pass `keep`, in assignment order; `unit_active` also requires the unit to exist then.
fn naive_in_force(
    m: &Movement,
    q: &Resolved,
    keep: impl Fn(&governance_core::Mandate, &BTreeSet<Domain>) -> bool,
    unit_active: bool,
) -> Vec<MandateId> {
    let unit = m.units().find(|u| u.id == q.unit).unwrap();
    if unit_active && !(unit.created_at <= q.at && unit.archived.is_none_or(|(a, _)| q.at < a)) {
        return Vec::new();
    }
    let unit_domains = unit.domains_at(q.at);
    m.mandates()
        .iter()
        .filter(|x| x.unit == q.unit && x.assigned_at <= q.at)
        .filter(|x| {
            x.revocation.is_none_or(|r| q.at < r.at)
                && x.period.starts_at() <= q.at
                && q.at < x.period.ends_at()
                && x.committed_at.is_some_and(|c| c <= q.at)
        })
        .filter(|x| {
            m.members().any(|p| {
                p.id == x.holder && p.joined_at <= q.at && p.left.is_none_or(|(l, _)| q.at < l)
            })
        })
        .filter(|x| keep(x, unit_domains))
        .map(|x| x.id)
        .collect()
}
