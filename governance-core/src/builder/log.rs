//! The builder itself: it applies each event through the real engine, keeps the log it wrote
//! (with the rules each event was recorded under), and the human keys ("Awa", "Coordination")
//! of what the log created. Also the effects a decision can carry, each naming what it creates.

use crate::builder::values::{date, domain, label};
use crate::effect::{Effect, NewMandate, NewMember, NewUnit};
use crate::error::GovernanceError;
use crate::event::Event;
use crate::id::{
    DecisionId, EscalationId, MandateId, MeetingId, MemberId, OrganizationId, TensionId, UnitId,
};
use crate::mandate::{Role, Scope};
use crate::movement::{Movement, Organization};
use crate::rules::RulesVersion;
use crate::text::Email;
use crate::time::{Instant, Period};
use crate::unit::UnitKind;
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// Writes a movement's log, keeping the names used to refer to what it created.
pub struct MovementBuilder {
    pub(super) movement: Movement,
    pub(super) events: Vec<Event>,
    pub(super) recorded: Vec<(Event, RulesVersion)>,
    pub(super) next_id: Box<dyn FnMut() -> Uuid + Send>,
    pub(super) shift_months: u32,
    pub(super) units: HashMap<String, UnitId>,
    pub(super) members: HashMap<String, MemberId>,
    pub(super) mandates: HashMap<String, MandateId>,
    pub(super) decisions: HashMap<String, DecisionId>,
    pub(super) tensions: HashMap<String, TensionId>,
    pub(super) meetings: HashMap<String, MeetingId>,
    pub(super) escalations: HashMap<String, EscalationId>,
    /// The rules the builder's events are recorded under.
    pub(super) rules: RulesVersion,
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
        let recorded = self.movement.record(event, self.rules)?.event;
        self.recorded.push((recorded.clone(), self.rules));
        self.events.push(recorded);
        Ok(())
    }

    // ----- effects: each names what it creates, for later steps -------------------------------

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
}
