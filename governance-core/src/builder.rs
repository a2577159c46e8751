//! A small builder that writes a movement's log event by event through the real engine, naming
//! things by human keys ("Awa", "Coordination") instead of ids. Tests, the demo and benchmarks
//! share it, so a fixture can only hold states the rules allow.

use crate::account::AccountReport;
use crate::decision::{
    Consultation, Decider, DecisionDraft, DecisionLink, Impact, LinkKind, Stance, Visibility,
};
use crate::effect::{Effect, NewMandate, NewMember, NewUnit};
use crate::error::GovernanceError;
use crate::escalation::EscalationRequest;
use crate::event::{Convocation, Event, NewTension};
use crate::id::*;
use crate::mandate::{Role, Scope};
use crate::meeting::AgendaItem;
use crate::meeting::MeetingKind;
use crate::movement::{Movement, Organization};
use crate::rules::RulesVersion;
use crate::tension::{Space, TensionSubject};
use crate::text::{Domain, Email, Label, Text};
use crate::time::{Instant, Period};
use crate::unit::UnitKind;
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// Parses `2026-06-15` (midnight UTC) or `2026-05-31T12:00` (UTC); for fixtures and tests.
pub fn date(s: &str) -> Instant {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight exists"));
    }
    for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, format) {
            return Utc.from_utc_datetime(&dt);
        }
    }
    panic!("fixture date {s:?} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM");
}

/// Parses a domain written in a fixture.
pub fn domain(s: &str) -> Domain {
    Domain::parse(s).expect("fixture domains are valid")
}

fn label(s: &str) -> Label {
    Label::parse("label", s).expect("fixture labels are valid")
}

fn text(s: &str) -> Text {
    Text::parse("text", s).expect("fixture texts are valid")
}

/// Writes a movement's log, keeping the names used to refer to what it created.
pub struct MovementBuilder {
    movement: Movement,
    events: Vec<Event>,
    recorded: Vec<(Event, RulesVersion)>,
    next_id: Box<dyn FnMut() -> Uuid + Send>,
    shift_months: u32,
    units: HashMap<String, UnitId>,
    members: HashMap<String, MemberId>,
    mandates: HashMap<String, MandateId>,
    decisions: HashMap<String, DecisionId>,
    tensions: HashMap<String, TensionId>,
    meetings: HashMap<String, MeetingId>,
    escalations: HashMap<String, EscalationId>,
    /// The rules the builder's events are recorded under.
    rules: RulesVersion,
}

impl std::fmt::Debug for MovementBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MovementBuilder")
            .field("events", &self.events.len())
            .finish_non_exhaustive()
    }
}

impl MovementBuilder {
    /// A builder with deterministic ids (1, 2, 3...), for tests and snapshots.
    pub fn new(name: &str) -> Self {
        let mut n: u128 = 0;
        Self::with_ids(
            OrganizationId::from_u128(0xA11),
            name,
            0,
            Box::new(move || {
                n += 1;
                Uuid::from_u128(n)
            }),
        )
    }

    /// A builder with the caller's id generator, every date moved `shift_months` calendar months
    /// later (the demo moves
    /// its story so that its "today" is the real today).
    pub fn with_ids(
        organization: OrganizationId,
        name: &str,
        shift_months: u32,
        next_id: Box<dyn FnMut() -> Uuid + Send>,
    ) -> Self {
        Self {
            movement: Movement::new(Organization {
                id: organization,
                name: label(name),
            }),
            events: Vec::new(),
            recorded: Vec::new(),
            next_id,
            shift_months,
            units: HashMap::new(),
            members: HashMap::new(),
            mandates: HashMap::new(),
            decisions: HashMap::new(),
            tensions: HashMap::new(),
            meetings: HashMap::new(),
            escalations: HashMap::new(),
            rules: RulesVersion::CURRENT,
        }
    }

    /// Records the following events under `rules`, as an earlier release did.
    pub fn under_rules(&mut self, rules: RulesVersion) -> &mut Self {
        self.rules = rules;
        self
    }

    /// Every event of the log with the rules it was recorded under.
    pub fn recorded(&self) -> &[(Event, RulesVersion)] {
        &self.recorded
    }

    /// A fixture date, moved like every date of this builder. The move is in whole calendar
    /// months so that month-based cadences (mandate lengths, account reports) keep their shape.
    pub fn at(&self, s: &str) -> Instant {
        crate::time::add_months(date(s), self.shift_months)
    }

    pub fn movement(&self) -> &Movement {
        &self.movement
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn into_parts(self) -> (Movement, Vec<Event>) {
        (self.movement, self.events)
    }

    fn lookup<T: Copy>(map: &HashMap<String, T>, what: &str, key: &str) -> T {
        *map.get(key)
            .unwrap_or_else(|| panic!("the fixture has no {what} called {key:?}"))
    }

    pub fn unit(&self, name: &str) -> UnitId {
        Self::lookup(&self.units, "unit", name)
    }

    pub fn member(&self, name: &str) -> MemberId {
        Self::lookup(&self.members, "member", name)
    }

    pub fn mandate(&self, key: &str) -> MandateId {
        Self::lookup(&self.mandates, "mandate", key)
    }

    pub fn decision(&self, key: &str) -> DecisionId {
        Self::lookup(&self.decisions, "decision", key)
    }

    pub fn tension(&self, key: &str) -> TensionId {
        Self::lookup(&self.tensions, "tension", key)
    }

    pub fn meeting(&self, key: &str) -> MeetingId {
        Self::lookup(&self.meetings, "meeting", key)
    }

    pub fn escalation(&self, key: &str) -> EscalationId {
        Self::lookup(&self.escalations, "escalation", key)
    }

    /// A new meeting id, known afterwards by `key`.
    pub fn new_meeting(&mut self, key: &str) -> MeetingId {
        let id = MeetingId::from_uuid((self.next_id)());
        self.meetings.insert(key.to_owned(), id);
        id
    }

    /// Applies an event through the engine and keeps it in the log.
    pub fn apply(&mut self, event: Event) -> Result<(), GovernanceError> {
        self.movement.apply_recorded(event.clone(), self.rules)?;
        self.recorded.push((event.clone(), self.rules));
        self.events.push(event);
        Ok(())
    }

    // ----- effects -----------------------------------------------------------------------------

    /// An effect creating a unit, known afterwards by `name`.
    pub fn new_unit(
        &mut self,
        name: &str,
        kind: UnitKind,
        parent: Option<&str>,
        domains: &[&str],
    ) -> Effect {
        let id = UnitId::from_uuid((self.next_id)());
        self.units.insert(name.to_owned(), id);
        Effect::CreateUnit(NewUnit {
            id,
            name: label(name),
            kind,
            parent: parent.map(|p| self.unit(p)),
            domains: domains.iter().map(|d| domain(d)).collect(),
        })
    }

    /// An effect admitting a member, known afterwards by the first word of `name`.
    pub fn new_member(&mut self, name: &str, email: &str) -> Effect {
        let id = MemberId::from_uuid((self.next_id)());
        let key = name.split_whitespace().next().unwrap_or(name);
        self.members.insert(key.to_owned(), id);
        Effect::AdmitMember(NewMember {
            id,
            name: label(name),
            email: Email::parse(email).expect("fixture e-mails are valid"),
        })
    }

    /// An effect assigning a mandate; `domains: None` covers all of the unit's domains.
    #[allow(clippy::too_many_arguments)]
    pub fn new_mandate(
        &mut self,
        key: &str,
        holder: &str,
        unit: &str,
        domains: Option<&[&str]>,
        role: Role,
        from: &str,
        to: &str,
    ) -> Effect {
        let id = MandateId::from_uuid((self.next_id)());
        self.mandates.insert(key.to_owned(), id);
        Effect::AssignMandate(NewMandate {
            id,
            holder: self.member(holder),
            unit: self.unit(unit),
            scope: match domains {
                None => Scope::AllDomains,
                Some(ds) => Scope::Domains(ds.iter().map(|d| domain(d)).collect::<BTreeSet<_>>()),
            },
            role,
            period: Period::new(self.at(from), self.at(to)).expect("fixture periods are valid"),
        })
    }

    /// An effect renewing mandate `previous` as `key` for a new period.
    pub fn renew(&mut self, key: &str, previous: &str, from: &str, to: &str) -> Effect {
        let id = MandateId::from_uuid((self.next_id)());
        self.mandates.insert(key.to_owned(), id);
        Effect::RenewMandate {
            previous: self.mandate(previous),
            id,
            period: Period::new(self.at(from), self.at(to)).expect("fixture periods are valid"),
        }
    }

    /// An effect revoking a mandate.
    pub fn revoke(&self, key: &str) -> Effect {
        Effect::RevokeMandate {
            mandate: self.mandate(key),
        }
    }

    // ----- decisions ---------------------------------------------------------------------------

    /// Starts a decision of `unit` on `domain`, recorded at `at`, known afterwards by `key`.
    pub fn decision_draft(
        &mut self,
        key: &str,
        unit: &str,
        domain_name: &str,
        title: &str,
        at: &str,
    ) -> Draft<'_> {
        let id = DecisionId::from_uuid((self.next_id)());
        self.decisions.insert(key.to_owned(), id);
        let unit = self
            .units
            .get(unit)
            .copied()
            .unwrap_or_else(|| panic!("the fixture has no unit called {unit:?}"));
        let decided_at = self.at(at);
        Draft {
            draft: DecisionDraft {
                id,
                unit,
                domain: domain(domain_name),
                title: label(title),
                statement: Text::default(),
                rationale: Text::default(),
                decided_at,
                effective_from: None,
                effective_until: None,
                decider: Decider::Body {
                    meeting: None,
                    participants: Vec::new(),
                    secretary: None,
                },
                consultations: Vec::new(),
                impact: Impact::ThisUnit,
                visibility: Visibility::Members,
                links: Vec::new(),
                effects: Vec::new(),
                tension: None,
                escalation: None,
            },
            builder: self,
        }
    }

    // ----- other events ------------------------------------------------------------------------

    /// The holder of mandate `key` commits to it at `at` (R4).
    pub fn commit(&mut self, key: &str, at: &str) -> Result<(), GovernanceError> {
        let mandate = self.mandate(key);
        let member = self
            .movement
            .mandate(mandate)
            .expect("fixture mandate exists")
            .holder;
        let at = self.at(at);
        self.apply(Event::Commitment {
            mandate,
            member,
            at,
        })
    }

    /// `by` raises a tension, known afterwards by `key`.
    #[allow(clippy::too_many_arguments)]
    pub fn raise_tension(
        &mut self,
        key: &str,
        by: &str,
        at: &str,
        subject: TensionSubject,
        space: Option<Space>,
        title: &str,
        description: &str,
    ) -> Result<(), GovernanceError> {
        let id = TensionId::from_uuid((self.next_id)());
        self.tensions.insert(key.to_owned(), id);
        let event = Event::TensionRaised(NewTension {
            id,
            raised_by: self.member(by),
            raised_at: self.at(at),
            subject,
            space,
            title: label(title),
            description: text(description),
        });
        self.apply(event)
    }

    /// `by` convenes meeting `key` of `kind` from `starts` to `ends`, at `at`, with `agenda`.
    #[allow(clippy::too_many_arguments)]
    pub fn convene(
        &mut self,
        key: &str,
        kind: MeetingKind,
        starts: &str,
        ends: &str,
        place: &str,
        agenda: Vec<AgendaItem>,
        by: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let meeting = self.new_meeting(key);
        let event = Event::MeetingConvened(Box::new(Convocation {
            meeting,
            kind,
            starts_at: self.at(starts),
            ends_at: self.at(ends),
            place: label(place),
            agenda,
            by: self.member(by),
            at: self.at(at),
        }));
        self.apply(event)
    }

    /// `member` signs the attendance sheet of `meeting` at `at`.
    pub fn sign(&mut self, meeting: &str, member: &str, at: &str) -> Result<(), GovernanceError> {
        let member = self.member(member);
        let event = Event::AttendanceSigned {
            meeting: self.meeting(meeting),
            member,
            by: member,
            at: self.at(at),
        };
        self.apply(event)
    }

    /// `member` signs the petition for Agora `meeting` at `at`.
    pub fn sign_petition(
        &mut self,
        meeting: &str,
        member: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let member = self.member(member);
        let event = Event::PetitionSigned {
            meeting: self.meeting(meeting),
            member,
            by: member,
            at: self.at(at),
        };
        self.apply(event)
    }

    /// `from` gives their proxy for `meeting` to `to` at `at`.
    pub fn proxy(
        &mut self,
        meeting: &str,
        from: &str,
        to: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let from = self.member(from);
        let event = Event::ProxyGiven {
            meeting: self.meeting(meeting),
            from,
            to: self.member(to),
            by: from,
            at: self.at(at),
        };
        self.apply(event)
    }

    /// `from` withdraws their proxy for `meeting` at `at`.
    pub fn withdraw_proxy(
        &mut self,
        meeting: &str,
        from: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let from = self.member(from);
        let event = Event::ProxyWithdrawn {
            meeting: self.meeting(meeting),
            from,
            by: from,
            at: self.at(at),
        };
        self.apply(event)
    }

    /// `by` adds `item` to the agenda of `meeting` at `at`.
    pub fn add_item(
        &mut self,
        meeting: &str,
        item: AgendaItem,
        by: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let event = Event::AgendaItemAdded {
            meeting: self.meeting(meeting),
            item,
            by: self.member(by),
            at: self.at(at),
        };
        self.apply(event)
    }

    /// `by` closes the relevé of `meeting` at `at`.
    pub fn close_minutes(
        &mut self,
        meeting: &str,
        by: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let event = Event::MinutesClosed {
            meeting: self.meeting(meeting),
            by: self.member(by),
            at: self.at(at),
        };
        self.apply(event)
    }

    /// Rules v1 only: `by` schedules meeting `key` of `kind` for `held_at`.
    pub fn schedule_meeting(
        &mut self,
        key: &str,
        kind: MeetingKind,
        held_at: &str,
        by: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let id = MeetingId::from_uuid((self.next_id)());
        self.meetings.insert(key.to_owned(), id);
        let event = Event::MeetingScheduled {
            meeting: id,
            kind,
            held_at: self.at(held_at),
            by: self.member(by),
            at: self.at(at),
        };
        self.apply(event)
    }

    /// Rules v1 only: one attendee declares who attended.
    pub fn hold_meeting(
        &mut self,
        key: &str,
        attendees: &[&str],
        at: &str,
    ) -> Result<(), GovernanceError> {
        let attendees: Vec<MemberId> = attendees.iter().map(|a| self.member(a)).collect();
        let event = Event::MeetingHeld {
            meeting: self.meeting(key),
            by: attendees.first().copied().unwrap_or(MemberId::from_u128(0)),
            attendees,
            at: self.at(at),
        };
        self.apply(event)
    }

    pub fn schedule_tension(
        &mut self,
        tension: &str,
        meeting: &str,
        by: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let event = Event::TensionScheduled {
            tension: self.tension(tension),
            meeting: self.meeting(meeting),
            by: self.member(by),
            at: self.at(at),
        };
        self.apply(event)
    }

    pub fn process_tension(
        &mut self,
        tension: &str,
        by: &str,
        at: &str,
        outcome: &str,
        decisions: &[&str],
    ) -> Result<(), GovernanceError> {
        let event = Event::TensionProcessed {
            tension: self.tension(tension),
            by: self.member(by),
            at: self.at(at),
            outcome: text(outcome),
            decisions: decisions.iter().map(|d| self.decision(d)).collect(),
        };
        self.apply(event)
    }

    pub fn withdraw_tension(
        &mut self,
        tension: &str,
        by: &str,
        at: &str,
    ) -> Result<(), GovernanceError> {
        let event = Event::TensionWithdrawn {
            tension: self.tension(tension),
            by: self.member(by),
            at: self.at(at),
        };
        self.apply(event)
    }

    /// The holder of mandate `key` renders account for `[from, to)` at `at` (R16).
    pub fn report(
        &mut self,
        key: &str,
        from: &str,
        to: &str,
        at: &str,
        summary: &str,
    ) -> Result<(), GovernanceError> {
        let mandate = self.mandate(key);
        let author = self
            .movement
            .mandate(mandate)
            .expect("fixture mandate exists")
            .holder;
        let event = Event::AccountReported(AccountReport {
            id: AccountReportId::from_uuid((self.next_id)()),
            mandate,
            author,
            covers: Period::new(self.at(from), self.at(to)).expect("fixture periods are valid"),
            submitted_at: self.at(at),
            summary: text(summary),
        });
        self.apply(event)
    }
}

/// A decision being written; finish with [`Draft::record`] or [`Draft::check`].
pub struct Draft<'b> {
    draft: DecisionDraft,
    builder: &'b mut MovementBuilder,
}

impl std::fmt::Debug for Draft<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.draft.fmt(f)
    }
}

impl Draft<'_> {
    /// Decided by one member, under the mandate of theirs that covers the unit and domain (or,
    /// if none does, the first of theirs in that unit, so that the engine explains the refusal).
    pub fn by(mut self, member: &str) -> Self {
        let member = self.builder.member(member);
        let m = &self.builder.movement;
        let mandate = m
            .may_decide(
                member,
                self.draft.unit,
                &self.draft.domain,
                self.draft.decided_at,
            )
            .map(|c| c.mandate)
            .ok()
            .or_else(|| {
                m.mandates_of(member)
                    .find(|x| x.unit == self.draft.unit)
                    .map(|x| x.id)
            })
            .or_else(|| m.mandates_of(member).next().map(|x| x.id))
            .unwrap_or(MandateId::from_u128(0));
        self.draft.decider = Decider::Holder { member, mandate };
        self
    }

    /// Decided by the unit as a body, in meeting `meeting` if given, listing `participants`
    /// as they are written, the first of them as secretary (R10). The engine checks the list.
    pub fn by_body(mut self, meeting: Option<&str>, participants: &[&str]) -> Self {
        let participants: Vec<MemberId> = participants
            .iter()
            .map(|p| self.builder.member(p))
            .collect();
        self.draft.decider = Decider::Body {
            meeting: meeting.map(|k| self.builder.meeting(k)),
            secretary: participants.first().copied(),
            participants,
        };
        self
    }

    /// Decided in meeting `meeting`, recorded by `secretary`, with the participants the engine
    /// counts at the decision's instant (R10): what a secretary's client sends.
    pub fn in_meeting(mut self, meeting: &str, secretary: &str) -> Self {
        let id = self.builder.meeting(meeting);
        let participants = self
            .builder
            .movement
            .attendance(id, self.draft.decided_at)
            .map(|a| a.participants())
            .unwrap_or_default();
        self.draft.decider = Decider::Body {
            meeting: Some(id),
            participants,
            secretary: Some(self.builder.member(secretary)),
        };
        self
    }

    /// The founding decision, taken by `founders` in the founding assembly `meeting`.
    pub fn founding(mut self, meeting: &str, founders: &[&str]) -> Self {
        let id = self.builder.new_meeting(meeting);
        let participants: Vec<MemberId> = founders.iter().map(|p| self.builder.member(p)).collect();
        self.draft.decider = Decider::Body {
            meeting: Some(id),
            secretary: participants.first().copied(),
            participants,
        };
        self
    }

    /// The decision answers the escalated proposal `key` (R9).
    pub fn answers_escalation(mut self, key: &str) -> Self {
        self.draft.escalation = Some(self.builder.escalation(key));
        self
    }

    /// Escalates the proposal, refused for reaching beyond its holder, as `key` (R9).
    pub fn escalate(self, key: &str) -> Result<EscalationId, GovernanceError> {
        let id = EscalationId::from_uuid((self.builder.next_id)());
        let by = match self.draft.decider {
            Decider::Holder { member, .. } => member,
            Decider::Body { .. } => MemberId::from_u128(0),
        };
        let event = Event::Escalated(Box::new(EscalationRequest {
            id,
            proposal: self.draft,
            by,
        }));
        self.builder.apply(event)?;
        self.builder.escalations.insert(key.to_owned(), id);
        Ok(id)
    }

    pub fn statement(mut self, statement: &str) -> Self {
        self.draft.statement = text(statement);
        self
    }

    pub fn rationale(mut self, rationale: &str) -> Self {
        self.draft.rationale = text(rationale);
        self
    }

    /// `member` was consulted at `at`, took `stance` and said `said` (R8).
    pub fn consulted(mut self, member: &str, at: &str, stance: Stance, said: &str) -> Self {
        self.draft.consultations.push(Consultation {
            member: self.builder.member(member),
            consulted_at: self.builder.at(at),
            stance,
            said: text(said),
        });
        self
    }

    pub fn impact(mut self, impact: Impact) -> Self {
        self.draft.impact = impact;
        self
    }

    pub fn published(mut self) -> Self {
        self.draft.visibility = Visibility::Published;
        self
    }

    pub fn link(mut self, kind: LinkKind, target: &str) -> Self {
        self.draft.links.push(DecisionLink {
            kind,
            target: self.builder.decision(target),
        });
        self
    }

    pub fn effect(mut self, effect: Effect) -> Self {
        self.draft.effects.push(effect);
        self
    }

    pub fn effects(mut self, effects: impl IntoIterator<Item = Effect>) -> Self {
        self.draft.effects.extend(effects);
        self
    }

    pub fn answers(mut self, tension: &str) -> Self {
        self.draft.tension = Some(self.builder.tension(tension));
        self
    }

    /// The draft as built, for tests that tamper with it.
    pub fn into_draft(self) -> DecisionDraft {
        self.draft
    }

    /// Checks the decision without recording it.
    pub fn check(self) -> Result<(), GovernanceError> {
        self.builder.movement.validate(&self.draft)
    }

    /// Records the decision through the engine.
    pub fn record(self) -> Result<DecisionId, GovernanceError> {
        let id = self.draft.id;
        self.builder.apply(Event::Decision(Box::new(self.draft)))?;
        Ok(id)
    }
}
