//! R10 as a property: random hostile sequences of convocations, signatures (one's own or
//! someone else's), proxies, agenda items, closings and decisions "as a body" by random members
//! never change a mandate, a setting or a unit unless an honest, quorate meeting of the
//! competent body decided it. The judge of "honest" is a naive oracle written from the rules
//! of ADR 0005 (it scans mandates and replays its own view of each meeting), not from the engine.

use chrono::Duration;
use governance_core::builder::{MovementBuilder, date, domain};
use governance_core::demo::tilleuls;
use governance_core::meeting::{AgendaItem, MeetingKind};
use governance_core::{
    Convocation, Decider, DecisionDraft, DecisionId, Effect, Event, Impact, Instant, Label,
    MandateId, MeetingId, MemberId, Movement, NewUnit, Scope, Text, UnitId, UnitKind, Visibility,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::cell::Cell;
use std::collections::BTreeSet;

/// The units a hostile sequence plays with.
const UNITS: [&str; 4] = [
    "Agora",
    "Coordination",
    "Pôle Mobilisation",
    "Comité Événements",
];

#[derive(Debug, Clone)]
enum Action {
    /// `by` convenes a meeting of `unit` starting `days` (and `hours`) later, lasting `length`
    /// hours, with `domain` on its agenda or none.
    Convene {
        by: usize,
        unit: usize,
        days: u32,
        hours: u32,
        length: u32,
        item: Option<usize>,
    },
    /// `member` signs meeting `meeting` (by index), `by` asking; `late` minutes after its start.
    Sign {
        meeting: usize,
        member: usize,
        by: usize,
        late: u32,
    },
    PetitionSign {
        meeting: usize,
        member: usize,
    },
    Proxy {
        meeting: usize,
        from: usize,
        to: usize,
        by: usize,
    },
    Withdraw {
        meeting: usize,
        from: usize,
    },
    AddItem {
        meeting: usize,
        item: usize,
        by: usize,
    },
    Close {
        meeting: usize,
        by: usize,
    },
    /// A decision as a body of `unit`, in meeting `meeting` or none, listing the engine's own
    /// count of participants (`honest`) or a random subset, recorded by `secretary`, enacting
    /// effect `effect`, `late` minutes after the meeting's start.
    Decide {
        meeting: Option<usize>,
        unit: usize,
        honest: bool,
        listed: Vec<usize>,
        secretary: usize,
        effect: usize,
        late: u32,
    },
    /// The clock moves on by `hours`.
    Wait {
        hours: u32,
    },
    /// A meeting as an honest convener would run it: convened with notice by someone entitled,
    /// with the effect's domain on its agenda, signed by `signers` (indices into the college,
    /// possibly too few), then a decision recorded with the engine's own count.
    /// With `forged`, the secretary lists those people instead of the engine's count.
    Session {
        unit: usize,
        signers: Vec<usize>,
        effect: usize,
        late: u32,
        forged: Option<Vec<usize>>,
    },
}

/// Who may convene each of `UNITS` in the demo, by index among the members.
const CONVENERS: [usize; 4] = [0, 0, 2, 7];

fn action() -> impl Strategy<Value = Action> {
    let m = 0usize..12;
    prop_oneof![
        2 => (m.clone(), 0usize..4, 0u32..20, 0u32..24, 1u32..6, proptest::option::of(0usize..4))
            .prop_map(|(by, unit, days, hours, length, item)| Action::Convene { by, unit, days, hours, length, item }),
        5 => (0usize..6, m.clone(), m.clone(), 0u32..300)
            .prop_map(|(meeting, member, by, late)| Action::Sign { meeting, member, by: if by % 4 == 0 { by } else { member }, late }),
        1 => (0usize..6, m.clone()).prop_map(|(meeting, member)| Action::PetitionSign { meeting, member }),
        2 => (0usize..6, m.clone(), m.clone(), m.clone())
            .prop_map(|(meeting, from, to, by)| Action::Proxy { meeting, from, to, by: if by % 4 == 0 { by } else { from } }),
        1 => (0usize..6, m.clone()).prop_map(|(meeting, from)| Action::Withdraw { meeting, from }),
        1 => (0usize..6, 0usize..4, m.clone()).prop_map(|(meeting, item, by)| Action::AddItem { meeting, item, by }),
        1 => (0usize..6, m.clone()).prop_map(|(meeting, by)| Action::Close { meeting, by }),
        4 => (proptest::option::of(0usize..6), 0usize..4, any::<bool>(), proptest::collection::vec(m.clone(), 0..5), m.clone(), 0usize..4, 0u32..400)
            .prop_map(|(meeting, unit, honest, listed, secretary, effect, late)| Action::Decide { meeting, unit, honest, listed, secretary, effect, late }),
        1 => (1u32..72).prop_map(|hours| Action::Wait { hours }),
        3 => (0usize..4, proptest::collection::vec(0usize..12, 0..6), 0usize..3, 0u32..200, proptest::option::weighted(0.3, proptest::collection::vec(0usize..12, 0..6)))
            .prop_map(|(unit, signers, effect, late, forged)| Action::Session { unit, signers, effect, late, forged }),
    ]
}

/// The oracle's own view of one meeting, from the events the engine accepted.
#[derive(Debug, Clone)]
struct Seen {
    id: MeetingId,
    body: UnitId,
    start: Instant,
    end: Instant,
    opened_by: MemberId,
    entitled: bool,
    convened_at: Option<Instant>,
    petition: Vec<MemberId>,
    items: Vec<(String, Instant)>,
    signatures: Vec<(MemberId, Instant)>,
    proxies: Vec<(MemberId, MemberId, Option<Instant>)>,
    secretaries: Vec<MemberId>,
    closed: Option<Instant>,
}

/// A naive reading of the rules, from the movement's plain records.
struct Oracle<'a> {
    m: &'a Movement,
}

impl Oracle<'_> {
    fn in_force(&self, unit: UnitId, at: Instant) -> Vec<MemberId> {
        let mut out = Vec::new();
        for x in self.m.mandates() {
            let committed = x.committed_at.is_some_and(|c| c <= at);
            let live = x.period.starts_at() <= at
                && at < x.period.ends_at()
                && x.revocation.is_none_or(|r| r.at > at);
            if x.unit == unit
                && x.assigned_at <= at
                && committed
                && live
                && self.m.is_member_at(x.holder, at)
                && !out.contains(&x.holder)
            {
                out.push(x.holder);
            }
        }
        out
    }

    fn college(&self, body: UnitId, at: Instant) -> Vec<MemberId> {
        if Some(body) == self.m.agora() {
            return self
                .m
                .members()
                .filter(|x| self.m.is_member_at(x.id, at))
                .map(|x| x.id)
                .collect();
        }
        let mut c = self.in_force(body, at);
        for u in self.m.units() {
            if u.parent == Some(body) && matches!(u.kind, UnitKind::Comite | UnitKind::WorkingGroup)
            {
                for h in self.in_force(u.id, at) {
                    if !c.contains(&h) {
                        c.push(h);
                    }
                }
            }
        }
        c
    }

    fn entitled(&self, member: MemberId, body: UnitId, at: Instant) -> bool {
        let unit = if Some(body) == self.m.agora() {
            self.m.coordination().unwrap()
        } else {
            body
        };
        self.in_force(unit, at).contains(&member)
    }

    fn notice(&self, body: UnitId) -> Duration {
        Duration::days(if Some(body) == self.m.agora() { 15 } else { 2 })
    }

    /// Whether a body decision the engine accepted was an honest meeting's.
    fn legit(&self, d: &DecisionDraft, seen: &[Seen]) -> Result<(), String> {
        let t = d.decided_at;
        let Decider::Body {
            meeting: Some(mid),
            participants,
            secretary,
        } = &d.decider
        else {
            return Err("a body decision without a meeting".into());
        };
        let s = seen
            .iter()
            .find(|s| s.id == *mid)
            .ok_or("a meeting the oracle never saw convened")?;
        let convened = s.convened_at.ok_or("not convened")?;
        if s.start - convened < self.notice(s.body) || convened > t {
            return Err("convened without notice".into());
        }
        if s.body != d.unit {
            return Err("another unit's meeting".into());
        }
        if t < s.start || t > s.end + Duration::days(7) || s.closed.is_some_and(|c| t > c) {
            return Err("outside the meeting's relevé".into());
        }
        let college = self.college(s.body, s.start);
        let present: Vec<MemberId> = s
            .signatures
            .iter()
            .filter(|(m, at)| *at <= t && college.contains(m))
            .map(|(m, _)| *m)
            .collect();
        let represented: Vec<MemberId> = s
            .proxies
            .iter()
            .filter(|(from, to, withdrawn)| {
                withdrawn.is_none_or(|w| w > s.start)
                    && college.contains(from)
                    && !present.contains(from)
                    && present.contains(to)
            })
            .map(|(from, _, _)| *from)
            .collect();
        let mut expected: BTreeSet<MemberId> = present.iter().copied().collect();
        expected.extend(represented.iter().copied());
        let listed: BTreeSet<MemberId> = participants.iter().copied().collect();
        if listed != expected || listed.len() != participants.len() {
            return Err(format!(
                "participants {listed:?} are not the signed and represented {expected:?}"
            ));
        }
        if !secretary.is_some_and(|x| present.contains(&x)) {
            return Err("recorded by someone who did not sign".into());
        }
        let (num, den) = if Some(s.body) == self.m.agora() {
            (1, 4)
        } else {
            (1, 2)
        };
        let quorum = (college.len() * num).div_ceil(den).max(2);
        if expected.len() < quorum {
            return Err(format!("{} of a quorum of {quorum}", expected.len()));
        }
        let is_agora = Some(s.body) == self.m.agora();
        if is_agora || d.domain.as_str() == "règles" {
            let deadline = s.start - self.notice(s.body);
            if !s
                .items
                .iter()
                .any(|(dom, at)| dom == d.domain.as_str() && *at <= deadline)
            {
                return Err("not on the published agenda".into());
            }
        }
        if !is_agora {
            let unit = self.m.unit(d.unit).unwrap();
            let competent = present.iter().any(|p| {
                self.m.mandates().iter().any(|x| {
                    x.holder == *p
                        && x.unit == d.unit
                        && self.in_force(d.unit, t).contains(p)
                        && x.status_at(t) == governance_core::MandateStatus::InForce
                        && match &x.scope {
                            Scope::AllDomains => unit.domains_at(t).contains(&d.domain),
                            Scope::Domains(ds) => ds.contains(&d.domain),
                        }
                })
            });
            if !competent {
                return Err("no present holder covers the domain".into());
            }
        }
        Ok(())
    }
}

/// What a state looks like to the property: mandates with their revocations, settings
/// versions, units.
fn governance_of(m: &Movement) -> (Vec<(MandateId, bool)>, usize, usize) {
    (
        m.mandates()
            .iter()
            .map(|x| (x.id, x.revocation.is_some()))
            .collect(),
        m.settings_history().versions().len(),
        m.units().count(),
    )
}

struct Run {
    b: MovementBuilder,
    now: Instant,
    members: Vec<MemberId>,
    meetings: Vec<Seen>,
    next: u128,
}

const EFFECT_DOMAINS: [&str; 4] = ["mandats", "règles", "structure", "budget annuel"];
const ITEMS: [&str; 4] = ["budget annuel", "règles", "mandats", "structure"];

impl Run {
    fn id(&mut self) -> u128 {
        self.next += 1;
        0xF000_0000 + self.next
    }

    fn effect(&mut self, which: usize) -> (Effect, &'static str) {
        let m = self.b.movement();
        match which {
            0 => {
                let target = m
                    .mandates()
                    .iter()
                    .find(|x| x.revocation.is_none() && x.period.ends_at() > self.now)
                    .map(|x| x.id)
                    .unwrap_or(MandateId::from_u128(1));
                (Effect::RevokeMandate { mandate: target }, "mandats")
            }
            1 => {
                let mut s = m.settings_at(self.now).clone();
                s.max_mandate_months = 24;
                (Effect::ChangeSettings(Box::new(s)), "règles")
            }
            2 => {
                let parent = m.coordination().unwrap();
                let id = UnitId::from_u128(self.id());
                (
                    Effect::CreateUnit(NewUnit {
                        id,
                        name: Label::parse("name", "Comité Fantôme").unwrap(),
                        kind: UnitKind::Comite,
                        parent: Some(parent),
                        domains: [domain("affiches")].into(),
                    }),
                    "structure",
                )
            }
            _ => (
                Effect::RevokeMandate {
                    mandate: MandateId::from_u128(2),
                },
                EFFECT_DOMAINS[3],
            ),
        }
    }

    /// Applies one action; returns the event and whether the engine accepted it.
    fn step(&mut self, a: &Action) -> Option<(Event, bool)> {
        let members = self.members.clone();
        let member = |i: usize| members[i % members.len()];
        let meeting =
            |run: &Run, i: usize| run.meetings.get(i % run.meetings.len().max(1)).cloned();
        let event = match a {
            Action::Session { .. } => unreachable!("sessions are expanded first"),
            Action::Wait { hours } => {
                self.now += Duration::hours(i64::from(*hours));
                return None;
            }
            Action::Convene {
                by,
                unit,
                days,
                hours,
                length,
                item,
            } => {
                let unit = self.b.unit(UNITS[*unit]);
                let kind = if Some(unit) == self.b.movement().agora() {
                    MeetingKind::Agora
                } else {
                    MeetingKind::Unit(unit)
                };
                let start = self.now
                    + Duration::days(i64::from(*days))
                    + Duration::hours(i64::from(*hours));
                Event::MeetingConvened(Box::new(Convocation {
                    meeting: MeetingId::from_u128(self.id()),
                    kind,
                    starts_at: start,
                    ends_at: start + Duration::hours(i64::from(*length)),
                    place: Label::parse("place", "Local").unwrap(),
                    agenda: item
                        .map(|i| vec![AgendaItem::Domain(domain(ITEMS[i]))])
                        .unwrap_or_default(),
                    by: member(*by),
                    at: self.now,
                }))
            }
            Action::Sign {
                meeting: i,
                member: who,
                by,
                late,
            } => {
                let s = meeting(self, *i)?;
                self.now = self.now.max(s.start + Duration::minutes(i64::from(*late)));
                Event::AttendanceSigned {
                    meeting: s.id,
                    member: member(*who),
                    by: member(*by),
                    at: self.now,
                }
            }
            Action::PetitionSign {
                meeting: i,
                member: who,
            } => {
                let s = meeting(self, *i)?;
                Event::PetitionSigned {
                    meeting: s.id,
                    member: member(*who),
                    by: member(*who),
                    at: self.now,
                }
            }
            Action::Proxy {
                meeting: i,
                from,
                to,
                by,
            } => {
                let s = meeting(self, *i)?;
                Event::ProxyGiven {
                    meeting: s.id,
                    from: member(*from),
                    to: member(*to),
                    by: member(*by),
                    at: self.now,
                }
            }
            Action::Withdraw { meeting: i, from } => {
                let s = meeting(self, *i)?;
                Event::ProxyWithdrawn {
                    meeting: s.id,
                    from: member(*from),
                    by: member(*from),
                    at: self.now,
                }
            }
            Action::AddItem {
                meeting: i,
                item,
                by,
            } => {
                let s = meeting(self, *i)?;
                Event::AgendaItemAdded {
                    meeting: s.id,
                    item: AgendaItem::Domain(domain(ITEMS[*item])),
                    by: member(*by),
                    at: self.now,
                }
            }
            Action::Close { meeting: i, by } => {
                let s = meeting(self, *i)?;
                self.now = self.now.max(s.start);
                Event::MinutesClosed {
                    meeting: s.id,
                    by: member(*by),
                    at: self.now,
                }
            }
            Action::Decide {
                meeting: i,
                unit,
                honest,
                listed,
                secretary,
                effect,
                late,
            } => {
                let s = i.and_then(|i| meeting(self, i));
                if let Some(s) = &s {
                    self.now = self.now.max(s.start + Duration::minutes(i64::from(*late)));
                }
                let unit = if *honest && let Some(s) = &s {
                    s.body
                } else {
                    self.b.unit(UNITS[*unit])
                };
                let participants = match (&s, honest) {
                    (Some(s), true) => self
                        .b
                        .movement()
                        .attendance(s.id, self.now)
                        .map(|a| a.participants())
                        .unwrap_or_default(),
                    _ => listed.iter().map(|x| member(*x)).collect(),
                };
                let (effect, dom) = self.effect(*effect);
                let secretary = if *honest {
                    participants.first().copied()
                } else {
                    Some(member(*secretary))
                };
                Event::Decision(Box::new(DecisionDraft {
                    id: DecisionId::from_u128(self.id()),
                    unit,
                    domain: domain(dom),
                    title: Label::parse("title", "Décision").unwrap(),
                    statement: Text::default(),
                    rationale: Text::default(),
                    decided_at: self.now,
                    effective_from: None,
                    effective_until: None,
                    decider: Decider::Body {
                        meeting: s.map(|s| s.id),
                        participants,
                        secretary,
                    },
                    consultations: vec![],
                    impact: Impact::MovementWide,
                    visibility: Visibility::Members,
                    links: vec![],
                    effects: vec![effect],
                    tension: None,
                    escalation: None,
                }))
            }
        };
        let accepted = self.b.apply(event.clone()).is_ok();
        Some((event, accepted))
    }

    /// Checks an accepted event against the oracle, then updates the oracle's view.
    fn witness(&mut self, event: &Event, before: &Movement) -> Result<(), String> {
        let o = Oracle { m: before };
        match event {
            Event::MeetingConvened(c) => {
                let body = match c.kind {
                    MeetingKind::Agora => before.agora().unwrap(),
                    MeetingKind::Unit(u) => u,
                    _ => before.coordination().unwrap(),
                };
                let entitled = o.entitled(c.by, body, c.at);
                if !entitled && Some(body) != before.agora() {
                    return Err("convened by someone not entitled".into());
                }
                if entitled && c.starts_at - c.at < o.notice(body) {
                    return Err("convened without notice".into());
                }
                let members = before
                    .members()
                    .filter(|x| before.is_member_at(x.id, c.at))
                    .count();
                self.meetings.push(Seen {
                    id: c.meeting,
                    body,
                    start: c.starts_at,
                    end: c.ends_at,
                    opened_by: c.by,
                    entitled,
                    convened_at: (entitled || members.div_ceil(4) <= 1).then_some(c.at),
                    petition: vec![c.by],
                    items: c
                        .agenda
                        .iter()
                        .filter_map(|i| match i {
                            AgendaItem::Domain(d) => Some((d.as_str().to_owned(), c.at)),
                            _ => None,
                        })
                        .collect(),
                    signatures: vec![],
                    proxies: vec![],
                    secretaries: vec![],
                    closed: None,
                });
            }
            Event::PetitionSigned {
                meeting,
                member,
                by,
                at,
            } => {
                let members = before
                    .members()
                    .filter(|x| before.is_member_at(x.id, *at))
                    .count();
                let s = self
                    .meetings
                    .iter_mut()
                    .find(|s| s.id == *meeting)
                    .ok_or("unseen")?;
                if member != by
                    || s.entitled
                    || s.petition.contains(member)
                    || s.convened_at.is_some()
                {
                    return Err("a petition signature that is not one's own, or twice".into());
                }
                s.petition.push(*member);
                if s.petition.len() >= members.div_ceil(4) {
                    if s.start - *at < Duration::days(15) {
                        return Err("a petition convened without notice".into());
                    }
                    s.convened_at = Some(*at);
                }
            }
            Event::AttendanceSigned {
                meeting,
                member,
                by,
                at,
            } => {
                let s = self
                    .meetings
                    .iter_mut()
                    .find(|s| s.id == *meeting)
                    .ok_or("unseen")?;
                if member != by
                    || s.convened_at.is_none()
                    || *at < s.start
                    || *at >= s.end
                    || s.closed.is_some()
                    || s.signatures.iter().any(|(m, _)| m == member)
                {
                    return Err(format!("a signature that should not count: {event:?}"));
                }
                s.signatures.push((*member, *at));
            }
            Event::ProxyGiven {
                meeting,
                from,
                to,
                by,
                at,
            } => {
                let s = self
                    .meetings
                    .iter()
                    .find(|s| s.id == *meeting)
                    .ok_or("unseen")?
                    .clone();
                let active = |p: &&(MemberId, MemberId, Option<Instant>)| p.2.is_none();
                let cap = if Some(s.body) == before.agora() { 1 } else { 0 };
                let college = o.college(s.body, *at);
                if from != by
                    || from == to
                    || *at >= s.start
                    || s.convened_at.is_none()
                    || !college.contains(from)
                    || !college.contains(to)
                    || s.proxies
                        .iter()
                        .filter(active)
                        .any(|p| p.0 == *from || p.0 == *to || p.1 == *from)
                    || s.proxies
                        .iter()
                        .filter(active)
                        .filter(|p| p.1 == *to)
                        .count()
                        >= cap
                {
                    return Err(format!("a proxy that should be refused: {event:?}"));
                }
                let s = self.meetings.iter_mut().find(|s| s.id == *meeting).unwrap();
                s.proxies.push((*from, *to, None));
            }
            Event::ProxyWithdrawn {
                meeting, from, at, ..
            } => {
                let s = self
                    .meetings
                    .iter_mut()
                    .find(|s| s.id == *meeting)
                    .ok_or("unseen")?;
                if *at >= s.start {
                    return Err("a proxy withdrawn after the start".into());
                }
                let p = s
                    .proxies
                    .iter_mut()
                    .find(|p| p.0 == *from && p.2.is_none())
                    .ok_or("no proxy to withdraw")?;
                p.2 = Some(*at);
            }
            Event::AgendaItemAdded {
                meeting,
                item,
                by,
                at,
            } => {
                let s = self
                    .meetings
                    .iter_mut()
                    .find(|s| s.id == *meeting)
                    .ok_or("unseen")?;
                let may = *by == s.opened_by || (s.entitled && o.entitled(*by, s.body, *at));
                if !may || *at >= s.start {
                    return Err("an agenda item added by someone not entitled".into());
                }
                if let AgendaItem::Domain(d) = item {
                    s.items.push((d.as_str().to_owned(), *at));
                }
            }
            Event::MinutesClosed { meeting, by, at } => {
                let s = self
                    .meetings
                    .iter_mut()
                    .find(|s| s.id == *meeting)
                    .ok_or("unseen")?;
                let chair =
                    s.opened_by == *by && s.signatures.iter().any(|(m, t)| m == by && t <= at);
                if !(chair || s.secretaries.contains(by)) || s.closed.is_some() || *at < s.start {
                    return Err("closed by someone who is neither chair nor secretary".into());
                }
                s.closed = Some(*at);
            }
            Event::Decision(d) => {
                o.legit(d, &self.meetings)?;
                if let Decider::Body {
                    meeting: Some(m),
                    secretary: Some(x),
                    ..
                } = &d.decider
                    && let Some(s) = self.meetings.iter_mut().find(|s| s.id == *m)
                    && !s.secretaries.contains(x)
                {
                    s.secretaries.push(*x);
                }
            }
            other => return Err(format!("unexpected event {other:?}")),
        }
        Ok(())
    }
}

#[test]
fn r10_hostile_sequences_change_nothing_unless_an_honest_quorate_meeting_decided() {
    let accepted_decisions = Cell::new(0usize);
    let refused = Cell::new(0usize);
    let accepted_signatures = Cell::new(0usize);
    let mut runner = TestRunner::new(Config {
        cases: 192,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(action(), 10..60), |actions| {
            let b = tilleuls();
            let members = b.movement().members().map(|x| x.id).collect();
            let mut run = Run {
                b,
                now: date("2026-06-15"),
                members,
                meetings: Vec::new(),
                next: 0,
            };
            let mut expanded = Vec::new();
            let mut convened = 0usize;
            for a in &actions {
                match a {
                    Action::Session {
                        unit,
                        signers,
                        effect,
                        late,
                        forged,
                    } => {
                        // Meeting indices count convocations; a refused one shifts nothing
                        // that matters: the session then plays on another meeting.
                        let index = convened;
                        convened += 1;
                        expanded.push(Action::Convene {
                            by: CONVENERS[*unit],
                            unit: *unit,
                            days: 16,
                            hours: 0,
                            length: 4,
                            item: Some([2, 1, 3][*effect]),
                        });
                        for (k, who) in signers.iter().enumerate() {
                            expanded.push(Action::Sign {
                                meeting: index,
                                member: *who,
                                by: *who,
                                late: k as u32,
                            });
                        }
                        expanded.push(Action::Decide {
                            meeting: Some(index),
                            unit: *unit,
                            honest: forged.is_none(),
                            listed: forged.clone().unwrap_or_default(),
                            secretary: signers.first().copied().unwrap_or(0),
                            effect: *effect,
                            late: *late + 10,
                        });
                    }
                    Action::Convene { .. } => {
                        convened += 1;
                        expanded.push(a.clone());
                    }
                    other => expanded.push(other.clone()),
                }
            }
            for a in &expanded {
                let before = run.b.movement().clone();
                let Some((event, accepted)) = run.step(a) else {
                    continue;
                };
                let after = governance_of(run.b.movement());
                if !accepted {
                    refused.set(refused.get() + 1);
                    prop_assert_eq!(governance_of(&before), after, "a refusal changed the state");
                    continue;
                }
                if let Err(why) = run.witness(&event, &before) {
                    return Err(TestCaseError::fail(format!(
                        "accepted but {why}: {event:?}"
                    )));
                }
                match &event {
                    Event::Decision(_) => accepted_decisions.set(accepted_decisions.get() + 1),
                    Event::AttendanceSigned { .. } => {
                        accepted_signatures.set(accepted_signatures.get() + 1)
                    }
                    _ => prop_assert_eq!(
                        governance_of(&before),
                        after,
                        "only a decision changes mandates, settings or units"
                    ),
                }
            }
            Ok(())
        })
        .unwrap();
    // The property is not vacuous: honest meetings did decide, and attacks were refused.
    assert!(
        accepted_decisions.get() >= 5,
        "{} decisions",
        accepted_decisions.get()
    );
    assert!(accepted_signatures.get() >= 20);
    assert!(refused.get() >= 100);
}
