//! Benchmark of the authority check on generated movements of 10 000 and 100 000 mandates:
//! `Movement::authorize` (the check itself, which the latency target applies to) and
//! `Movement::may_decide` (the check plus the escalation route of a denial, what a person sees on
//! a refusal). Criterion means first, then per-call percentiles (the target is on the p99),
//! overall and by kind of request. Beside them, `memory_floor`: one probe of a bare hash table
//! shaped like the engine's index, to tell the machine's memory costs from the engine's.
//!
//! Besides the mix (the requests a movement sees, whose overall figures are comparable from run
//! to run), three classes outside it are timed on their own, because each once hid a scan that
//! grew with the movement: a question about an instant before the founding, about a domain no
//! unit ever had, and about a domain units had but none holds any more ("unheld"). The last table
//! gives every class's p50 and p99 at both sizes and checks it against the targets (p99 ≤ 5 µs at
//! 100k, and at most twice its own p99 at 10k).
//!
//! Run with `cargo bench -p governance-core --bench may_decide`; the method and the results are
//! in `docs/benchmarks.md`. Arguments after `--` are criterion's: a filter (`-- authorize/100k`)
//! runs only the criterion benchmarks it matches, and one that matches none
//! (`-- percentiles-only`) skips criterion; the per-call percentiles always run, on both
//! movements (about 15 s on an idle machine instead of about a minute). Under
//! `cargo test -p governance-core --bench may_decide` only the small movement is built and every
//! benchmark runs once, as a smoke test.

use criterion::{Criterion, Throughput};
use governance_core::RulesVersion;
use governance_core::time::add_months;
use governance_core::{
    Competent, Decider, DecisionDraft, DecisionId, DenialReason, Domain, Effect, Email, ErrorCode,
    EscalationStep, Event, Impact, Label, MandateId, MandateStatus, MemberId, Movement, NewMandate,
    NewMember, NewUnit, Organization, OrganizationId, Period, Role, Scope, Text, UnitId, UnitKind,
    Verdict, Visibility,
};
use std::collections::HashSet;
use std::hint::black_box;
use std::time::{Duration, Instant as Stopwatch};

/// A governance instant (UTC), not to be confused with the stopwatch.
type At = governance_core::Instant;

// ----- deterministic randomness ------------------------------------------------------------------

/// xorshift64*: tiny, seeded, and good enough to spread mandates and requests. Written inline so
/// that the generated movement never changes with a dependency's version.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed | 1) // the state must never be zero
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (the modulo bias is negligible for the small `n` used here).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `permille / 1000`.
    fn permille(&mut self, permille: usize) -> bool {
        self.below(1000) < permille
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct items of `items`, in random order.
    fn sample<T: Clone>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut pool = items.to_vec();
        for i in 0..k {
            let j = i + self.below(pool.len() - i);
            pool.swap(i, j);
        }
        pool.truncate(k);
        pool
    }
}

// ----- the generated movement ----------------------------------------------------------------------

/// The size of one generated movement. `scale` multiplies everything but the Coordination, so that
/// the shape (mandates per unit, per member, domains per unit) stays the same and only the size of
/// the indexes changes.
#[derive(Debug, Clone, Copy)]
struct Shape {
    units: usize,
    poles: usize,
    members: usize,
    mandates: usize,
}

impl Shape {
    fn scaled(scale: usize) -> Self {
        Self {
            units: 1_000 * scale,
            poles: 30 * scale,
            members: 5_000 * scale,
            mandates: 10_000 * scale,
        }
    }
}

/// Mandates of the Coordination, the same at every scale (there is one Coordination).
const COORDINATION_MANDATES: usize = 40;
/// Mandates of each Pôle; the Comités share the rest (about 9.7 each).
const POLE_MANDATES: usize = 20;
/// Founders: the body that takes every Agora decision of the generator.
const FOUNDERS: usize = 12;

/// Thematic domains, shared by many units as in a real movement ("budget" exists everywhere).
/// The vocabulary does not grow with the movement, so at scale 10 each is owned by ten times
/// more units.
const DOMAIN_POOL: [&str; 30] = [
    "budget",
    "communication",
    "événements",
    "formation",
    "logistique",
    "accueil",
    "tractage",
    "réseaux sociaux",
    "presse",
    "juridique",
    "finances",
    "adhésions",
    "numérique",
    "plaidoyer",
    "campagnes",
    "relations élus",
    "matériel",
    "local",
    "solidarité",
    "écologie",
    "éducation populaire",
    "mobilisation",
    "partenariats",
    "traduction",
    "santé",
    "culture",
    "jeunesse",
    "international",
    "archives",
    "sécurité",
];

// Id ranges, so that ids of different kinds never collide and stay readable in a debugger.
const UNIT_IDS: u128 = 1 << 64;
const MEMBER_IDS: u128 = 2 << 64;
const MANDATE_IDS: u128 = 3 << 64;
const DECISION_IDS: u128 = 4 << 64;
/// Ids that were never admitted, for "not a member" requests.
const STRANGER_IDS: u128 = 9 << 64;

/// A domain one Comité in ten has at the founding and gives up in a reorganisation before the
/// query instant: at the query instant it has a number and ~100 (10k) or ~1 000 (100k) former
/// owners, and no unit holds it.
const UNHELD_DOMAIN: &str = "permanences";
/// A domain no unit ever had.
const UNKNOWN_DOMAIN: &str = "inconnu";
/// Requests of each class outside the mix (before founding, unknown domain, unheld domain).
const EDGE_REQUESTS: usize = 2_000;

/// What the generator intends a mandate to be at the query instant; checked against the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    InForce,
    Pending,
    Revoked,
    Expired,
    NotStarted,
}

impl Plan {
    /// Draws a plan: 10 % expired and 10 % not started (the ~20 % outside their period), 2 %
    /// waiting for commitment, 2 % revoked, the rest in force.
    fn draw(rng: &mut Rng) -> Self {
        match rng.below(1000) {
            0..100 => Plan::Expired,
            100..200 => Plan::NotStarted,
            200..220 => Plan::Pending,
            220..240 => Plan::Revoked,
            _ => Plan::InForce,
        }
    }

    fn status(self) -> MandateStatus {
        match self {
            Plan::InForce => MandateStatus::InForce,
            Plan::Pending => MandateStatus::PendingCommitment,
            Plan::Revoked => MandateStatus::Revoked,
            Plan::Expired => MandateStatus::Expired,
            Plan::NotStarted => MandateStatus::NotStarted,
        }
    }
}

struct UnitSpec {
    id: UnitId,
    domains: Vec<Domain>,
}

struct MandateSpec {
    id: MandateId,
    holder: usize,
    unit: usize,
    /// The unit's domains the mandate covers (all of them for `Scope::AllDomains`).
    covers: Vec<Domain>,
    restricted: bool,
    plan: Plan,
}

/// A generated movement, the instant the requests ask about, and the pre-generated requests.
struct Fixture {
    name: &'static str,
    movement: Movement,
    /// The mix, in the proportions of [`Kind::permille`].
    requests: Vec<Request>,
    /// The classes outside the mix, [`EDGE_REQUESTS`] of each, timed on their own.
    edges: Vec<Request>,
    floor: FloorTable,
}

/// A seat's size in bytes (`size_of::<Seat>()` in `governance-core/src/index/seat.rs`, 232
/// today), in 8-byte words.
const SEAT_WORDS: usize = 29;

/// The memory floor (see [`memory_floor`]): one entry per (holder, unit), as large as a seat.
type FloorTable =
    std::collections::HashMap<(MemberId, UnitId), [u64; SEAT_WORDS], foldhash::fast::RandomState>;

fn instant(y: i32, m: u32, d: u32) -> At {
    use chrono::TimeZone;
    chrono::Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
}

fn domain(name: &str) -> Domain {
    Domain::parse(name).unwrap()
}

fn label(text: &str) -> Label {
    Label::parse("name", text).unwrap()
}

/// An Agora decision, taken by the founders as a body. The Agora is sovereign, so one decision
/// may carry thousands of effects.
fn agora_decision(
    n: u128,
    agora: UnitId,
    domain: &Domain,
    title: &str,
    at: At,
    founders: &[MemberId],
    effects: Vec<Effect>,
) -> Event {
    Event::Decision(Box::new(DecisionDraft {
        id: DecisionId::from_u128(DECISION_IDS + n),
        unit: agora,
        domain: domain.clone(),
        title: label(title),
        statement: Text::default(),
        rationale: Text::default(),
        decided_at: at,
        effective_from: None,
        effective_until: None,
        decider: Decider::Body {
            meeting: None,
            participants: founders.to_vec(),
            secretary: None,
        },
        consultations: Vec::new(),
        impact: Impact::MovementWide,
        visibility: Visibility::Members,
        links: Vec::new(),
        effects,
        tension: None,
        escalation: None,
    }))
}

/// Builds a movement of `Shape::scaled(scale)` through `Movement::apply`, checks that every
/// mandate has the status planned for it, and pre-generates the requests.
fn build(name: &'static str, scale: usize, requests: usize) -> Fixture {
    let shape = Shape::scaled(scale);
    let mut rng = Rng::new(0x6f75_7665_726e_6169 ^ scale as u64);

    // The timeline. Every mandate lasts at most 12 months (the default `max_mandate_months`) and
    // starts at or after the decision that assigns it; events are applied in time order.
    let founded = instant(2024, 1, 1);
    let before_founding = founded - chrono::Duration::days(1); // nothing exists yet
    let first_term = instant(2024, 1, 8); // the mandates that will have expired
    let reorganisation = instant(2024, 5, 6); // the unheld domain given up
    let second_term = instant(2024, 6, 3); // the mandates in force (or pending, or revoked)
    let departures = instant(2024, 9, 2); // revocations and members leaving
    let next_term = instant(2024, 9, 16); // the mandates that will not have started
    let at = instant(2024, 10, 1) + chrono::Duration::hours(12); // the query instant
    let day = chrono::Duration::days(1);

    // Units: the Agora, the Coordination, the Pôles under it, the Comités under the Pôles.
    let pool: Vec<Domain> = DOMAIN_POOL.iter().map(|d| domain(d)).collect();
    let (charte, structure, mandats, regles) = (
        domain("charte"),
        domain("structure"),
        domain("mandats"),
        domain("règles"),
    );
    let mut units = vec![
        UnitSpec {
            id: UnitId::from_u128(UNIT_IDS),
            domains: vec![charte, structure.clone(), mandats.clone(), regles.clone()],
        },
        UnitSpec {
            id: UnitId::from_u128(UNIT_IDS + 1),
            domains: vec![
                domain("stratégie"),
                structure.clone(),
                mandats.clone(),
                regles,
                pool[0].clone(),
            ],
        },
    ];
    let mut parents = vec![None, Some(0)];
    let first_pole = units.len();
    for _ in 0..shape.poles {
        let mut domains = vec![structure.clone(), mandats.clone()];
        domains.extend(rng.sample(&pool, 2));
        parents.push(Some(1));
        units.push(UnitSpec {
            id: UnitId::from_u128(UNIT_IDS + units.len() as u128),
            domains,
        });
    }
    let first_comite = units.len();
    while units.len() < shape.units {
        parents.push(Some(first_pole + rng.below(shape.poles)));
        units.push(UnitSpec {
            id: UnitId::from_u128(UNIT_IDS + units.len() as u128),
            domains: rng.sample(&pool, 3),
        });
    }
    let agora = units[0].id;
    // One Comité in ten has the unheld domain until the reorganisation (chosen by position, so
    // that the random draws, hence the rest of the movement and the mix, stay as they were).
    let unheld = domain(UNHELD_DOMAIN);
    let gives_up_unheld = |i: usize| i >= first_comite && (i - first_comite).is_multiple_of(10);

    // Members: all admitted at the founding; 0.5 % (never a founder) leave before the query.
    let members: Vec<MemberId> = (0..shape.members)
        .map(|i| MemberId::from_u128(MEMBER_IDS + i as u128))
        .collect();
    let founders = &members[..FOUNDERS];
    let leaving: Vec<bool> = (0..shape.members)
        .map(|i| i >= FOUNDERS && rng.permille(5))
        .collect();

    // Mandates: the Coordination's, then each Pôle's, then the Comités' at random. Holders are
    // drawn at random, so a member holds two on average and about one in seven holds none.
    let mut mandates: Vec<MandateSpec> = Vec::with_capacity(shape.mandates);
    for k in 0..shape.mandates {
        let unit = if k < COORDINATION_MANDATES {
            1
        } else if k < COORDINATION_MANDATES + POLE_MANDATES * shape.poles {
            first_pole + (k - COORDINATION_MANDATES) / POLE_MANDATES
        } else {
            first_comite + rng.below(units.len() - first_comite)
        };
        let plan = Plan::draw(&mut rng);
        let mut holder = rng.below(shape.members);
        // The last term is assigned after the departures, and only members can be assigned.
        while plan == Plan::NotStarted && leaving[holder] {
            holder = rng.below(shape.members);
        }
        let restricted = rng.permille(300);
        let covers = if restricted {
            let n = 1 + rng.below(units[unit].domains.len() - 1);
            rng.sample(&units[unit].domains, n)
        } else {
            units[unit].domains.clone()
        };
        mandates.push(MandateSpec {
            id: MandateId::from_u128(MANDATE_IDS + k as u128),
            holder,
            unit,
            covers,
            restricted,
            plan,
        });
    }

    // The effect assigning one mandate, over a period starting `delay_days` after `from` plus up
    // to `spread_days`, and lasting `months` plus up to `extra_months`.
    let mut assign = |m: &MandateSpec,
                      from: At,
                      (delay_days, spread_days): (usize, usize),
                      (months, extra_months): (u32, u32)| {
        let starts = from + chrono::Duration::days((delay_days + rng.below(spread_days)) as i64);
        let months = months + rng.below(extra_months as usize + 1) as u32;
        Effect::AssignMandate(NewMandate {
            id: m.id,
            holder: members[m.holder],
            unit: units[m.unit].id,
            scope: if m.restricted {
                Scope::Domains(m.covers.iter().cloned().collect())
            } else {
                Scope::AllDomains
            },
            role: if rng.permille(100) {
                Role::Referent
            } else {
                Role::Holder
            },
            period: Period::new(starts, add_months(starts, months)).unwrap(),
        })
    };
    let of_plan = |plans: &'static [Plan]| mandates.iter().filter(move |m| plans.contains(&m.plan));
    let commit = |m: &MandateSpec, at: At| Event::Commitment {
        mandate: m.id,
        member: members[m.holder],
        at,
    };

    // Every decision of the generator is the Agora's, taken by the founders as a body.
    let decide = |n, domain: &Domain, title, at, effects| {
        agora_decision(n, agora, domain, title, at, founders, effects)
    };
    let mut events = Vec::new();
    let mut founding = vec![Effect::CreateUnit(NewUnit {
        id: agora,
        name: label("Agora"),
        kind: UnitKind::Agora,
        parent: None,
        domains: units[0].domains.iter().cloned().collect(),
    })];
    founding.extend(members.iter().enumerate().map(|(i, &id)| {
        Effect::AdmitMember(NewMember {
            id,
            name: label(&format!("Membre {i}")),
            email: Email::parse(&format!("membre{i}@example.org")).unwrap(),
        })
    }));
    founding.extend(units.iter().enumerate().skip(1).map(|(i, u)| {
        let kind = match i {
            1 => UnitKind::Coordination,
            i if i < first_comite => UnitKind::Pole,
            _ => UnitKind::Comite,
        };
        let mut domains: std::collections::BTreeSet<Domain> = u.domains.iter().cloned().collect();
        if gives_up_unheld(i) {
            domains.insert(unheld.clone());
        }
        Effect::CreateUnit(NewUnit {
            id: u.id,
            name: label(&format!("{kind:?} {i}")),
            kind,
            parent: parents[i].map(|p| units[p].id),
            domains,
        })
    }));
    events.push(decide(0, &structure, "Fondation", founded, founding));

    // First term: 3 to 6 months from January to early March, over by the query instant.
    let effects = of_plan(&[Plan::Expired])
        .map(|m| assign(m, first_term, (0, 60), (3, 3)))
        .collect();
    events.push(decide(1, &mandats, "Premier mandat", first_term, effects));
    events.extend(of_plan(&[Plan::Expired]).map(|m| commit(m, first_term + day)));

    // The reorganisation: the Comités that had the unheld domain give it up.
    let effects = (0..units.len())
        .filter(|&i| gives_up_unheld(i))
        .map(|i| Effect::SetUnitDomains {
            unit: units[i].id,
            domains: units[i].domains.iter().cloned().collect(),
        })
        .collect();
    events.push(decide(
        6,
        &structure,
        "Réorganisation",
        reorganisation,
        effects,
    ));

    // Second term: 12 months from June to July; pending mandates are never committed to.
    let effects = of_plan(&[Plan::InForce, Plan::Pending, Plan::Revoked])
        .map(|m| assign(m, second_term, (0, 60), (12, 0)))
        .collect();
    events.push(decide(2, &mandats, "Second mandat", second_term, effects));
    events.extend(of_plan(&[Plan::InForce, Plan::Revoked]).map(|m| commit(m, second_term + day)));

    let effects = of_plan(&[Plan::Revoked])
        .map(|m| Effect::RevokeMandate { mandate: m.id })
        .collect();
    events.push(decide(3, &mandats, "Révocations", departures, effects));
    let effects = (0..shape.members)
        .filter(|&i| leaving[i])
        .map(|i| Effect::RemoveMember { member: members[i] })
        .collect();
    events.push(decide(4, &structure, "Départs", departures, effects));

    // Next term: starts in mid-October at the earliest, after the query instant; half of the
    // holders commit in advance (the mandate still grants nothing before it starts).
    let effects = of_plan(&[Plan::NotStarted])
        .map(|m| assign(m, next_term, (30, 90), (12, 0)))
        .collect();
    events.push(decide(5, &mandats, "Prochain mandat", next_term, effects));
    let early: Vec<&MandateSpec> = of_plan(&[Plan::NotStarted])
        .filter(|m| m.id.as_uuid().as_u128() % 2 == 0)
        .collect();
    events.extend(early.into_iter().map(|m| commit(m, next_term + day)));

    let mut movement = Movement::new(Organization {
        id: OrganizationId::from_u128(1),
        name: label("Mouvement de démonstration"),
    });
    for (i, event) in events.into_iter().enumerate() {
        let kind = event.kind_name();
        if let Err(e) = movement.apply_recorded(event, RulesVersion::V1) {
            panic!("generated event {i} ({kind}) was refused: {e}");
        }
    }

    // The engine must agree with the plan, mandate by mandate, and the proportions must be the
    // ones the documentation claims.
    let mut counts = [0usize; 5];
    for spec in &mandates {
        let mandate = movement
            .mandate(spec.id)
            .expect("every mandate was assigned");
        assert_eq!(
            mandate.status_at(at),
            spec.plan.status(),
            "mandate {}",
            spec.id
        );
        counts[spec.plan as usize] += 1;
    }
    let share = |n: usize| n as f64 / shape.mandates as f64;
    let outside = share(counts[Plan::Expired as usize] + counts[Plan::NotStarted as usize]);
    assert!(
        (0.18..=0.22).contains(&outside),
        "{outside} of mandates outside their period"
    );
    assert!((0.01..=0.03).contains(&share(counts[Plan::Pending as usize])));
    assert!((0.01..=0.03).contains(&share(counts[Plan::Revoked as usize])));
    assert_eq!(movement.mandates().len(), shape.mandates);
    assert_eq!(movement.units().count(), shape.units);
    assert_eq!(movement.members().count(), shape.members);
    println!(
        "{name}: {} units ({} Pôles), {} members ({} left), {} mandates: {:.1} % in force, \
         {:.1} % expired, {:.1} % not started, {:.1} % pending commitment, {:.1} % revoked",
        shape.units,
        shape.poles,
        shape.members,
        leaving.iter().filter(|&&l| l).count(),
        shape.mandates,
        100.0 * share(counts[Plan::InForce as usize]),
        100.0 * share(counts[Plan::Expired as usize]),
        100.0 * share(counts[Plan::NotStarted as usize]),
        100.0 * share(counts[Plan::Pending as usize]),
        100.0 * share(counts[Plan::Revoked as usize]),
    );

    let requests = generate_requests(
        &mut rng, &movement, at, &units, &members, &leaving, &mandates, &pool, requests,
    );
    let edges = generate_edges(
        &movement,
        at,
        before_founding,
        &members,
        &leaving,
        &mandates,
    );
    let mut floor = FloorTable::default();
    for m in movement.mandates() {
        floor.insert(
            (m.holder, m.unit),
            [m.assigned_at.timestamp() as u64; SEAT_WORDS],
        );
    }
    Fixture {
        name,
        movement,
        requests,
        edges,
        floor,
    }
}

// ----- requests ------------------------------------------------------------------------------------

/// The kinds of request in the mix, each with its share in per mille.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A holder asking about a domain their mandate covers, in its unit.
    Allowed,
    /// Someone never admitted, or a member who has left.
    NotAMember,
    /// A member who holds no mandate at all.
    NoMandate,
    /// A holder of a domain-restricted mandate, about another domain of the same unit.
    OutOfScopeRestricted,
    /// A holder, about a unit where they hold nothing.
    OutOfScopeOtherUnit,
    /// A holder, about a domain their unit does not have: the escalation route then starts from
    /// units that own the domain (at most three, since ADR 0003).
    OutOfScopeForeignDomain,
    Expired,
    NotStarted,
    NotCommitted,
    Revoked,
    /// Outside the mix: a holder, about their unit and domain, at an instant before the
    /// founding (nobody is a member yet; the route is asked of units that do not exist yet).
    BeforeFounding,
    /// Outside the mix: a holder, about a domain no unit ever had.
    UnknownDomain,
    /// Outside the mix: a holder, about a domain ~10 % of the Comités had and all gave up.
    UnheldDomain,
}

impl Kind {
    const ALL: [Kind; 13] = [
        Kind::Allowed,
        Kind::NotAMember,
        Kind::NoMandate,
        Kind::OutOfScopeRestricted,
        Kind::OutOfScopeOtherUnit,
        Kind::OutOfScopeForeignDomain,
        Kind::Expired,
        Kind::NotStarted,
        Kind::NotCommitted,
        Kind::Revoked,
        Kind::BeforeFounding,
        Kind::UnknownDomain,
        Kind::UnheldDomain,
    ];

    /// The classes outside the mix, generated by [`generate_edges`].
    const EDGES: [Kind; 3] = [
        Kind::BeforeFounding,
        Kind::UnknownDomain,
        Kind::UnheldDomain,
    ];

    /// Mostly allowed requests; 22 % denials of every kind. The classes outside the mix have
    /// no share: they are timed on their own.
    fn permille(self) -> usize {
        match self {
            Kind::Allowed => 780,
            Kind::NotAMember => 30,
            Kind::NoMandate => 30,
            Kind::OutOfScopeRestricted => 25,
            Kind::OutOfScopeOtherUnit => 30,
            Kind::OutOfScopeForeignDomain => 5,
            Kind::Expired => 40,
            Kind::NotStarted => 40,
            Kind::NotCommitted => 10,
            Kind::Revoked => 10,
            Kind::BeforeFounding | Kind::UnknownDomain | Kind::UnheldDomain => 0,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Allowed => "allowed",
            Kind::NotAMember => "not a member",
            Kind::NoMandate => "no mandate",
            Kind::OutOfScopeRestricted => "out of scope (restricted scope)",
            Kind::OutOfScopeOtherUnit => "out of scope (other unit)",
            Kind::OutOfScopeForeignDomain => "out of scope (domain not in unit)",
            Kind::Expired => "expired",
            Kind::NotStarted => "not started",
            Kind::NotCommitted => "not committed",
            Kind::Revoked => "revoked",
            Kind::BeforeFounding => "before founding (outside the mix)",
            Kind::UnknownDomain => "unknown domain (outside the mix)",
            Kind::UnheldDomain => "unheld domain (outside the mix)",
        }
    }

    /// The answer the engine must give: `None` for allowed, else the denial's code.
    fn expected(self) -> Option<ErrorCode> {
        match self {
            Kind::Allowed => None,
            Kind::NotAMember | Kind::BeforeFounding => Some(ErrorCode::NotAMember),
            Kind::NoMandate => Some(ErrorCode::NoMandate),
            Kind::OutOfScopeRestricted
            | Kind::OutOfScopeOtherUnit
            | Kind::OutOfScopeForeignDomain
            | Kind::UnknownDomain
            | Kind::UnheldDomain => Some(ErrorCode::OutOfScope),
            Kind::Expired => Some(ErrorCode::MandateExpired),
            Kind::NotStarted => Some(ErrorCode::MandateNotStarted),
            Kind::NotCommitted => Some(ErrorCode::NotCommitted),
            Kind::Revoked => Some(ErrorCode::MandateRevoked),
        }
    }

    fn draw(rng: &mut Rng) -> Self {
        let mut roll = rng.below(1000);
        for kind in Kind::ALL {
            if roll < kind.permille() {
                return kind;
            }
            roll -= kind.permille();
        }
        unreachable!("the shares add up to 1000")
    }
}

fn code(answer: &Result<Competent, DenialReason>) -> Option<ErrorCode> {
    answer.as_ref().err().map(DenialReason::code)
}

struct Request {
    member: MemberId,
    unit: UnitId,
    domain: Domain,
    /// The instant asked about: the fixture's query instant, but before the founding for
    /// [`Kind::BeforeFounding`].
    at: At,
    kind: Kind,
}

/// Draws `count` requests of the mix. A candidate is kept only if the engine gives it the answer
/// its kind expects (a holder may, say, hold a second mandate that covers the domain), so the
/// mix measured is exactly the mix announced.
#[allow(clippy::too_many_arguments)]
fn generate_requests(
    rng: &mut Rng,
    movement: &Movement,
    at: At,
    units: &[UnitSpec],
    members: &[MemberId],
    leaving: &[bool],
    mandates: &[MandateSpec],
    pool: &[Domain],
    count: usize,
) -> Vec<Request> {
    let staying = |m: &&MandateSpec| !leaving[m.holder];
    let planned = |plan: Plan| -> Vec<&MandateSpec> {
        mandates
            .iter()
            .filter(|m| m.plan == plan)
            .filter(staying)
            .collect()
    };
    let in_force = planned(Plan::InForce);
    let restricted: Vec<&MandateSpec> = in_force.iter().copied().filter(|m| m.restricted).collect();
    let (expired, not_started, pending, revoked) = (
        planned(Plan::Expired),
        planned(Plan::NotStarted),
        planned(Plan::Pending),
        planned(Plan::Revoked),
    );
    let holders: HashSet<usize> = mandates.iter().map(|m| m.holder).collect();
    let without_mandate: Vec<usize> = (0..members.len())
        .filter(|&i| !leaving[i] && !holders.contains(&i))
        .collect();
    let left: Vec<usize> = (0..members.len()).filter(|&i| leaving[i]).collect();
    let asked_units = &units[1..]; // nobody asks the Agora, which decides as the assembly

    let mut requests = Vec::with_capacity(count);
    let mut tally = [0usize; Kind::ALL.len()];
    while requests.len() < count {
        let kind = Kind::draw(rng);
        let candidate = |rng: &mut Rng| -> (MemberId, UnitId, Domain) {
            let about = |rng: &mut Rng, m: &MandateSpec| {
                (
                    members[m.holder],
                    units[m.unit].id,
                    rng.pick(&m.covers).clone(),
                )
            };
            let elsewhere = |rng: &mut Rng, member: MemberId| {
                let u = rng.pick(asked_units);
                (member, u.id, rng.pick(&u.domains).clone())
            };
            match kind {
                Kind::Allowed => {
                    let m = rng.pick(&in_force);
                    about(rng, m)
                }
                Kind::NotAMember if rng.permille(500) => {
                    let stranger = MemberId::from_u128(STRANGER_IDS + rng.below(1_000_000) as u128);
                    elsewhere(rng, stranger)
                }
                Kind::NotAMember => {
                    let member = members[*rng.pick(&left)];
                    elsewhere(rng, member)
                }
                Kind::NoMandate => {
                    let member = members[*rng.pick(&without_mandate)];
                    elsewhere(rng, member)
                }
                Kind::OutOfScopeRestricted => {
                    let m = rng.pick(&restricted);
                    let outside: Vec<&Domain> = units[m.unit]
                        .domains
                        .iter()
                        .filter(|d| !m.covers.contains(d))
                        .collect();
                    (
                        members[m.holder],
                        units[m.unit].id,
                        (*rng.pick(&outside)).clone(),
                    )
                }
                Kind::OutOfScopeOtherUnit => {
                    let member = members[rng.pick(&in_force).holder];
                    elsewhere(rng, member)
                }
                Kind::OutOfScopeForeignDomain => {
                    let m = rng.pick(&in_force);
                    let foreign: Vec<&Domain> = pool
                        .iter()
                        .filter(|d| !units[m.unit].domains.contains(d))
                        .collect();
                    (
                        members[m.holder],
                        units[m.unit].id,
                        (*rng.pick(&foreign)).clone(),
                    )
                }
                Kind::BeforeFounding | Kind::UnknownDomain | Kind::UnheldDomain => {
                    unreachable!("the classes outside the mix have no share")
                }
                Kind::Expired | Kind::NotStarted | Kind::NotCommitted | Kind::Revoked => {
                    let list = match kind {
                        Kind::Expired => &expired,
                        Kind::NotStarted => &not_started,
                        Kind::NotCommitted => &pending,
                        _ => &revoked,
                    };
                    let m = rng.pick(list);
                    about(rng, m)
                }
            }
        };
        let (member, unit, domain) = (0..1_000)
            .map(|_| candidate(rng))
            .find(|(member, unit, domain)| {
                code(&movement.authorize(*member, *unit, domain, at)) == kind.expected()
            })
            .unwrap_or_else(|| panic!("no request of kind {:?} could be generated", kind.name()));
        tally[kind as usize] += 1;
        requests.push(Request {
            member,
            unit,
            domain,
            at,
            kind,
        });
    }
    let mix: Vec<String> = Kind::ALL
        .iter()
        .filter(|k| k.permille() > 0)
        .map(|k| {
            format!(
                "{} {:.1} %",
                k.name(),
                100.0 * tally[*k as usize] as f64 / count as f64
            )
        })
        .collect();
    println!("  {count} requests: {}", mix.join(", "));

    let longest_route = check_agreement(movement, &requests);
    println!("  authorize and may_decide agree; longest route: {longest_route} steps");
    requests
}

/// `may_decide` must be `authorize` plus a route on a denial: same mandate when allowed, same
/// reason when denied, and a route that is never empty (the Agora closes every route). Returns
/// the longest route.
fn check_agreement(movement: &Movement, requests: &[Request]) -> usize {
    let mut longest_route = 0;
    for r in requests {
        let check = movement.authorize(r.member, r.unit, &r.domain, r.at);
        match (
            check,
            movement.may_decide(r.member, r.unit, &r.domain, r.at),
        ) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => {
                assert_eq!(a, b.reason);
                assert!(!b.escalate_to.is_empty(), "a denial without a route");
                longest_route = longest_route.max(b.escalate_to.len());
            }
            (a, b) => panic!("authorize {a:?} but may_decide {b:?}"),
        }
    }
    longest_route
}

/// [`EDGE_REQUESTS`] requests of each class outside the mix, from holders of mandates in force
/// (drawn with their own seed, so the mix stays as it was): about their unit and a domain their
/// mandate covers, before the founding; about a domain no unit ever had; about the unheld
/// domain. Each is checked to get the answer its class expects.
fn generate_edges(
    movement: &Movement,
    at: At,
    before_founding: At,
    members: &[MemberId],
    leaving: &[bool],
    mandates: &[MandateSpec],
) -> Vec<Request> {
    let mut rng = Rng::new(0x6564_6765_7321);
    let in_force: Vec<&MandateSpec> = mandates
        .iter()
        .filter(|m| m.plan == Plan::InForce && !leaving[m.holder])
        .collect();
    let (unknown, unheld) = (domain(UNKNOWN_DOMAIN), domain(UNHELD_DOMAIN));
    let mut edges = Vec::with_capacity(EDGE_REQUESTS * Kind::EDGES.len());
    // Round-robin over the classes, so that any run of consecutive calls times each of them.
    for _ in 0..EDGE_REQUESTS {
        for kind in Kind::EDGES {
            let m = rng.pick(&in_force);
            let (domain, at) = match kind {
                Kind::BeforeFounding => (rng.pick(&m.covers).clone(), before_founding),
                Kind::UnknownDomain => (unknown.clone(), at),
                _ => (unheld.clone(), at),
            };
            let request = Request {
                member: members[m.holder],
                unit: mandate_unit(movement, m),
                domain,
                at,
                kind,
            };
            let answer = movement.authorize(request.member, request.unit, &request.domain, at);
            assert_eq!(code(&answer), kind.expected(), "{}", kind.name());
            edges.push(request);
        }
    }
    let longest_route = check_agreement(movement, &edges);
    println!(
        "  {} requests outside the mix ({} of each class); longest route: {longest_route} steps",
        edges.len(),
        EDGE_REQUESTS
    );
    edges
}

/// The unit of a generated mandate, as the engine recorded it.
fn mandate_unit(movement: &Movement, m: &MandateSpec) -> UnitId {
    movement
        .mandate(m.id)
        .expect("every mandate was assigned")
        .unit
}

// ----- measurements --------------------------------------------------------------------------------

/// The check alone, as validation calls it: the answer is dropped inside the measured time.
fn authorize(fixture: &Fixture, request: &Request) -> Result<Competent, DenialReason> {
    fixture.movement.authorize(
        black_box(request.member),
        black_box(request.unit),
        black_box(&request.domain),
        black_box(request.at),
    )
}

/// The check and, on a denial, its escalation route, as the server answers a person; the verdict
/// (and its route) is dropped inside the measured time, since the caller pays for that too.
fn may_decide(fixture: &Fixture, request: &Request) -> Verdict {
    fixture.movement.may_decide(
        black_box(request.member),
        black_box(request.unit),
        black_box(&request.domain),
        black_box(request.at),
    )
}

/// The route alone, on the same request, to show what share of a denial it costs.
fn route(fixture: &Fixture, request: &Request) -> Vec<EscalationStep> {
    fixture.movement.escalation_route(
        black_box(request.unit),
        black_box(&request.domain),
        black_box(request.at),
    )
}

/// What one random look-up costs in memory alone, as a floor for `authorize`: a table keyed like
/// the seats, with one entry per (holder, unit) as large as a seat, probed with the same
/// requests, reading one word in each 64-byte line of the entry as the check reads the seat's
/// fields. No engine that answers from a per-(member, unit) entry of this size can scale better
/// than this table does on the same machine.
fn memory_floor(fixture: &Fixture, request: &Request) -> Option<u64> {
    fixture
        .floor
        .get(&(black_box(request.member), black_box(request.unit)))
        .map(|e| e[0] ^ e[8] ^ e[16] ^ e[24])
}

/// One criterion group per function, one benchmark per movement (`authorize/10k_mandates`, …).
fn criterion_group<R>(
    c: &mut Criterion,
    name: &str,
    fixtures: &[Fixture],
    function: fn(&Fixture, &Request) -> R,
) {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(1));
    for fixture in fixtures {
        group.bench_function(fixture.name, |b| {
            // Each iteration is the next request of the mix, so the mean is the mix's mean.
            let mut next = 0;
            b.iter(|| {
                let request = &fixture.requests[next];
                next = (next + 1) % fixture.requests.len();
                function(fixture, request)
            })
        });
    }
    group.finish();
}

/// Nearest-rank percentile of sorted nanoseconds.
fn percentile(sorted: &[u64], p: f64) -> u64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The median of a few values (the middle one of three).
fn median<T: PartialOrd + Copy>(mut values: Vec<T>) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    values[values.len() / 2]
}

#[derive(Debug, Clone)]
struct Latencies {
    calls: usize,
    mean: f64,
    /// p50, p90, p99, p99.9, max, in nanoseconds.
    points: [u64; 5],
    /// The p99 of each pass, when these latencies are the median of several.
    p99s: Vec<u64>,
}

impl Latencies {
    fn of(mut nanos: Vec<u64>) -> Self {
        nanos.sort_unstable();
        let mean = nanos.iter().sum::<u64>() as f64 / nanos.len() as f64;
        let points = [50.0, 90.0, 99.0, 99.9, 100.0].map(|p| percentile(&nanos, p));
        Self {
            calls: nanos.len(),
            mean,
            points,
            p99s: vec![points[2]],
        }
    }

    /// The median of each figure over several passes.
    fn median_of(passes: &[Latencies]) -> Self {
        Self {
            calls: passes[0].calls,
            mean: median(passes.iter().map(|l| l.mean).collect()),
            points: std::array::from_fn(|i| median(passes.iter().map(|l| l.points[i]).collect())),
            p99s: passes.iter().map(|l| l.points[2]).collect(),
        }
    }

    fn row(&self) -> String {
        let cells: Vec<String> = std::iter::once(self.mean)
            .chain(self.points.iter().map(|&n| n as f64))
            .map(micros)
            .collect();
        cells.join(" | ")
    }

    /// The ratios of every figure of `self` to those of `base`.
    fn ratios(&self, base: &Latencies) -> String {
        let ratios: Vec<String> = std::iter::once(self.mean / base.mean)
            .chain(
                self.points
                    .iter()
                    .zip(base.points)
                    .map(|(&l, s)| l as f64 / s as f64),
            )
            .map(|r| format!("×{r:.2}"))
            .collect();
        ratios.join(" | ")
    }

    fn p99_of_each_pass(&self) -> String {
        let p99s: Vec<String> = self.p99s.iter().map(|&n| micros(n as f64)).collect();
        p99s.join(", ")
    }
}

fn micros(nanos: f64) -> String {
    format!("{:.2} µs", nanos / 1000.0)
}

/// The latencies of one pass or of their median: overall, and for each kind of request in
/// `Kind::ALL` order (`None` for a kind with no call, or with no route for `Kind::Allowed`).
#[derive(Debug, Clone)]
struct Pass {
    all: Latencies,
    by_kind: Vec<Option<Latencies>>,
}

impl Pass {
    fn median_of(passes: &[Pass]) -> Self {
        let median_kind = |k: usize| {
            let of_kind: Vec<Latencies> =
                passes.iter().filter_map(|p| p.by_kind[k].clone()).collect();
            (!of_kind.is_empty()).then(|| Latencies::median_of(&of_kind))
        };
        Self {
            all: Latencies::median_of(&passes.iter().map(|p| p.all.clone()).collect::<Vec<_>>()),
            by_kind: (0..Kind::ALL.len()).map(median_kind).collect(),
        }
    }
}

/// Times `calls` calls of `function` over the mix one by one with the monotonic clock, after a
/// warm-up pass over every request, then `calls / 10` over the classes outside the mix (which
/// count in their own kind only, not in the overall figures). With `denials_only`, allowed
/// requests are skipped (for the route alone).
fn time_each_call<R>(
    fixture: &Fixture,
    calls: usize,
    denials_only: bool,
    function: fn(&Fixture, &Request) -> R,
) -> Pass {
    let asked = |r: &&Request| !denials_only || r.kind != Kind::Allowed;
    for request in fixture.requests.iter().chain(&fixture.edges).filter(asked) {
        drop(black_box(function(fixture, request)));
    }
    let mut all = Vec::with_capacity(calls);
    let mut by_kind: Vec<Vec<u64>> = vec![Vec::new(); Kind::ALL.len()];
    for request in fixture.requests.iter().cycle().take(calls).filter(asked) {
        let start = Stopwatch::now();
        drop(black_box(function(fixture, request)));
        let nanos = start.elapsed().as_nanos() as u64;
        all.push(nanos);
        by_kind[request.kind as usize].push(nanos);
    }
    for request in fixture.edges.iter().cycle().take(calls / 10).filter(asked) {
        let start = Stopwatch::now();
        drop(black_box(function(fixture, request)));
        by_kind[request.kind as usize].push(start.elapsed().as_nanos() as u64);
    }
    // `Kind::ALL` lists the kinds in declaration order, so it lines up with the vectors.
    Pass {
        all: Latencies::of(all),
        by_kind: by_kind
            .into_iter()
            .map(|nanos| (!nanos.is_empty()).then(|| Latencies::of(nanos)))
            .collect(),
    }
}

/// What reading the clock twice costs: it is included in every per-call figure.
fn timer_overhead() -> u64 {
    let mut nanos: Vec<u64> = (0..100_000)
        .map(|_| {
            let start = Stopwatch::now();
            black_box(());
            start.elapsed().as_nanos() as u64
        })
        .collect();
    nanos.sort_unstable();
    percentile(&nanos, 50.0)
}

/// The median passes of one movement.
struct Measured {
    name: &'static str,
    /// `authorize`, `may_decide`, then the memory floor, as in `FUNCTIONS`.
    checks: [Pass; 3],
    route: Pass,
}

/// The functions timed, in the order of `Measured::checks`.
const FUNCTIONS: [&str; 3] = ["authorize", "may_decide", "memory_floor"];

fn percentiles(fixtures: &[Fixture], calls: usize, passes: usize) {
    println!();
    println!(
        "Each call timed on its own: {calls} calls per function and movement after a warm-up \
         pass; passes: {passes}, each figure is the median of the passes"
    );
    println!(
        "(timer overhead, median of an empty measurement: {} ns, included below)",
        timer_overhead()
    );
    // Passes are interleaved (every function on every movement, then again), so that a burst of
    // load on the machine spreads over all the figures instead of spoiling one of them.
    let mut runs: Vec<[Vec<Pass>; 4]> = fixtures.iter().map(|_| Default::default()).collect();
    for _ in 0..passes {
        for (fixture, run) in fixtures.iter().zip(&mut runs) {
            run[0].push(time_each_call(fixture, calls, false, authorize));
            run[1].push(time_each_call(fixture, calls, false, may_decide));
            run[2].push(time_each_call(fixture, calls, true, route));
            run[3].push(time_each_call(fixture, calls, false, memory_floor));
        }
    }
    let results: Vec<Measured> = fixtures
        .iter()
        .zip(&runs)
        .map(|(f, [a, m, r, floor])| Measured {
            name: f.name,
            checks: [
                Pass::median_of(a),
                Pass::median_of(m),
                Pass::median_of(floor),
            ],
            route: Pass::median_of(r),
        })
        .collect();

    for (f, function) in FUNCTIONS.into_iter().enumerate() {
        println!();
        println!("{function}:");
        println!();
        println!("| movement | mean | p50 | p90 | p99 | p99.9 | max | p99 of each pass |");
        println!("|---|---|---|---|---|---|---|---|");
        for m in &results {
            let all = &m.checks[f].all;
            println!(
                "| {} | {} | {} |",
                m.name,
                all.row(),
                all.p99_of_each_pass()
            );
        }
        if let [small, large, ..] = results.as_slice() {
            println!(
                "| ratio 100k / 10k | {} | |",
                large.checks[f].all.ratios(&small.checks[f].all)
            );
        }
    }
    for m in &results {
        // By kind, for the engine only: the floor answers the same way for every kind.
        for (f, function) in FUNCTIONS.into_iter().enumerate().take(2) {
            println!();
            println!("{} by kind of request, {function}:", m.name);
            println!();
            println!(
                "| request | calls | mean | p50 | p90 | p99 | p99.9 | max | route p50 | route p99 |"
            );
            println!("|---|---|---|---|---|---|---|---|---|---|");
            for (k, kind) in Kind::ALL.into_iter().enumerate() {
                let Some(call) = &m.checks[f].by_kind[k] else {
                    continue;
                };
                let route = match &m.route.by_kind[k] {
                    Some(r) => format!(
                        "{} | {}",
                        micros(r.points[0] as f64),
                        micros(r.points[2] as f64)
                    ),
                    None => "– | –".to_owned(),
                };
                println!(
                    "| {} | {} | {} | {route} |",
                    kind.name(),
                    call.calls,
                    call.row()
                );
            }
        }
    }
    if let [small, large, ..] = results.as_slice() {
        class_targets(small, large);
    }
}

/// The p99 target of a class at 100k mandates, in nanoseconds.
const P99_TARGET_NANOS: u64 = 5_000;

/// Every class of request, for both functions, against the targets: p99 ≤ 5 µs at 100k, and at
/// most twice the class's own p99 at 10k.
fn class_targets(small: &Measured, large: &Measured) {
    println!();
    println!(
        "Every class against the targets (p99 ≤ {} at {}, at most ×2 its p99 at {}):",
        micros(P99_TARGET_NANOS as f64),
        large.name,
        small.name
    );
    println!();
    println!(
        "| class | function | p50 {s} | p50 {l} | p99 {s} | p99 {l} | p99 ratio | p99 of each pass {l} | met |",
        s = small.name,
        l = large.name
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let (mut met, mut classes) = (0, 0);
    for (k, kind) in Kind::ALL.into_iter().enumerate() {
        for (f, function) in FUNCTIONS.into_iter().enumerate().take(2) {
            let (Some(a), Some(b)) = (&small.checks[f].by_kind[k], &large.checks[f].by_kind[k])
            else {
                continue;
            };
            let ratio = b.points[2] as f64 / a.points[2] as f64;
            let ok = b.points[2] <= P99_TARGET_NANOS && ratio <= 2.0;
            classes += 1;
            met += usize::from(ok);
            println!(
                "| {} | {function} | {} | {} | {} | {} | ×{ratio:.2} | {} | {} |",
                kind.name(),
                micros(a.points[0] as f64),
                micros(b.points[0] as f64),
                micros(a.points[2] as f64),
                micros(b.points[2] as f64),
                b.p99_of_each_pass(),
                if ok { "yes" } else { "**no**" }
            );
        }
    }
    println!();
    println!("{met} of {classes} (class, function) pairs meet both targets");
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --bench may_decide` does not, and then only a
    // smoke test of the small movement runs.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let mut fixtures = vec![build("10k_mandates", 1, 50_000)];
    if benchmarking {
        fixtures.push(build("100k_mandates", 10, 50_000));
    }

    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(3))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    criterion_group(&mut criterion, "authorize", &fixtures, authorize);
    criterion_group(&mut criterion, "may_decide", &fixtures, may_decide);
    criterion_group(&mut criterion, "memory_floor", &fixtures, memory_floor);
    criterion.final_summary();

    if benchmarking {
        percentiles(&fixtures, 200_000, 3);
    } else {
        percentiles(&fixtures, 1_000, 1);
    }
}
