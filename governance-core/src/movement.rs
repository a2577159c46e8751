//! The state of one movement, derived from its ordered log of events, with the indexes that let
//! the authority engine answer without scanning. Every fact carries the instant it became true,
//! so any past date can be asked about.

use crate::account::AccountReport;
use crate::decision::{DecisionRecord, LinkKind};
use crate::error::GovernanceError;
use crate::escalation::Escalation;
use crate::event::Event;
use crate::hash::HashMap;
use crate::id::{
    AccountReportId, DecisionId, EscalationId, MandateId, MeetingId, MemberId, OrganizationId,
    TensionId, UnitId,
};
use crate::index::{AuthorityIndex, Records};
use crate::mandate::Mandate;
use crate::meeting::Meeting;
use crate::member::Member;
use crate::rules::RulesVersion;
use crate::settings::{Settings, SettingsHistory};
use crate::tension::Tension;
use crate::text::{Domain, Email, Label};
use crate::time::Instant;
use crate::unit::{Unit, UnitKind};

/// The movement (organisation) itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub id: OrganizationId,
    pub name: Label,
}

/// One movement's governance state.
#[derive(Debug, Clone)]
pub struct Movement {
    pub(crate) organization: Organization,
    pub(crate) settings: SettingsHistory,
    pub(crate) units: HashMap<UnitId, Unit>,
    pub(crate) unit_order: Vec<UnitId>,
    pub(crate) children: HashMap<UnitId, Vec<UnitId>>,
    pub(crate) domain_owners: HashMap<Domain, Vec<UnitId>>,
    pub(crate) agora: Option<UnitId>,
    pub(crate) coordination: Option<UnitId>,
    pub(crate) members: HashMap<MemberId, Member>,
    pub(crate) member_order: Vec<MemberId>,
    pub(crate) by_email: HashMap<Email, MemberId>,
    pub(crate) mandates: Vec<Mandate>,
    pub(crate) mandate_index: HashMap<MandateId, usize>,
    /// The authority index, derived from the records above and below (see `index/`). Its
    /// fields are private to its module: only its `index_*` functions change it.
    pub(crate) index: AuthorityIndex,
    pub(crate) by_member: HashMap<MemberId, Vec<usize>>,
    pub(crate) by_unit: HashMap<UnitId, Vec<usize>>,
    pub(crate) decisions: Vec<DecisionRecord>,
    pub(crate) decision_index: HashMap<DecisionId, usize>,
    pub(crate) decisions_by_scope: HashMap<(UnitId, Domain), Vec<usize>>,
    /// For each decision, the later decisions that link to it.
    pub(crate) linked_from: HashMap<DecisionId, Vec<(LinkKind, DecisionId)>>,
    pub(crate) tensions: Vec<Tension>,
    pub(crate) tension_index: HashMap<TensionId, usize>,
    pub(crate) meetings: Vec<Meeting>,
    pub(crate) meeting_index: HashMap<MeetingId, usize>,
    pub(crate) reports: Vec<AccountReport>,
    pub(crate) report_index: HashMap<AccountReportId, usize>,
    pub(crate) reports_by_mandate: HashMap<MandateId, Vec<usize>>,
    pub(crate) escalations: Vec<Escalation>,
    pub(crate) escalation_index: HashMap<EscalationId, usize>,
    pub(crate) last_event_at: Option<Instant>,
    pub(crate) event_count: u64,
    /// The newest rules an applied event was recorded under; older rules are refused after it.
    pub(crate) rules: RulesVersion,
    /// The rules the event being applied is judged by.
    pub(crate) judging: RulesVersion,
}

impl Movement {
    /// An empty movement, waiting for its founding decision.
    pub fn new(organization: Organization) -> Self {
        Self {
            organization,
            settings: SettingsHistory::default(),
            units: HashMap::default(),
            unit_order: Vec::new(),
            children: HashMap::default(),
            domain_owners: HashMap::default(),
            agora: None,
            coordination: None,
            members: HashMap::default(),
            member_order: Vec::new(),
            by_email: HashMap::default(),
            mandates: Vec::new(),
            mandate_index: HashMap::default(),
            index: AuthorityIndex::default(),
            by_member: HashMap::default(),
            by_unit: HashMap::default(),
            decisions: Vec::new(),
            decision_index: HashMap::default(),
            decisions_by_scope: HashMap::default(),
            linked_from: HashMap::default(),
            tensions: Vec::new(),
            tension_index: HashMap::default(),
            meetings: Vec::new(),
            meeting_index: HashMap::default(),
            reports: Vec::new(),
            report_index: HashMap::default(),
            reports_by_mandate: HashMap::default(),
            escalations: Vec::new(),
            escalation_index: HashMap::default(),
            last_event_at: None,
            event_count: 0,
            rules: RulesVersion::V1,
            judging: RulesVersion::CURRENT,
        }
    }

    /// The newest rules an event of this movement was recorded under.
    pub fn rules(&self) -> RulesVersion {
        self.rules
    }

    pub fn escalation(&self, id: EscalationId) -> Option<&Escalation> {
        self.escalation_index
            .get(&id)
            .map(|&i| &self.escalations[i])
    }

    /// Every escalated proposal, oldest first.
    pub fn escalations(&self) -> &[Escalation] {
        &self.escalations
    }

    /// Rebuilds a movement from its log, validating every event again under the current rules.
    pub fn replay<'a>(
        organization: Organization,
        events: impl IntoIterator<Item = &'a Event>,
    ) -> Result<Self, (usize, GovernanceError)> {
        Self::replay_under(organization, events, RulesVersion::CURRENT)
    }

    /// Rebuilds a movement from a log recorded under `rules`.
    pub fn replay_under<'a>(
        organization: Organization,
        events: impl IntoIterator<Item = &'a Event>,
        rules: RulesVersion,
    ) -> Result<Self, (usize, GovernanceError)> {
        let mut movement = Self::new(organization);
        for (i, event) in events.into_iter().enumerate() {
            movement
                .apply_recorded(event.clone(), rules)
                .map_err(|e| (i, e))?;
        }
        Ok(movement)
    }

    pub fn organization(&self) -> &Organization {
        &self.organization
    }

    /// The settings in force at `at` (R19).
    pub fn settings_at(&self, at: Instant) -> &Settings {
        self.settings.at(at)
    }

    pub fn settings_history(&self) -> &SettingsHistory {
        &self.settings
    }

    pub fn is_founded(&self) -> bool {
        self.agora.is_some()
    }

    pub fn agora(&self) -> Option<UnitId> {
        self.agora
    }

    pub fn coordination(&self) -> Option<UnitId> {
        self.coordination
    }

    /// The instant of the last event, which bounds what a new event may claim.
    pub fn last_event_at(&self) -> Option<Instant> {
        self.last_event_at
    }

    /// How many events have been applied.
    pub fn event_count(&self) -> u64 {
        self.event_count
    }

    pub fn unit(&self, id: UnitId) -> Option<&Unit> {
        self.units.get(&id)
    }

    /// Units in creation order.
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.unit_order.iter().map(|id| &self.units[id])
    }

    /// A unit's direct sub-units, in creation order.
    pub fn children(&self, unit: UnitId) -> &[UnitId] {
        self.children.get(&unit).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether `ancestor` is `unit` or one of its ancestors.
    pub fn is_ancestor_or_self(&self, ancestor: UnitId, unit: UnitId) -> bool {
        let mut current = Some(unit);
        while let Some(id) = current {
            if id == ancestor {
                return true;
            }
            current = self.units.get(&id).and_then(|u| u.parent);
        }
        false
    }

    /// Whether `ancestor` is a strict ancestor of `unit`.
    pub fn is_strict_ancestor(&self, ancestor: UnitId, unit: UnitId) -> bool {
        ancestor != unit && self.is_ancestor_or_self(ancestor, unit)
    }

    pub fn unit_by_name(&self, name: &str) -> Option<&Unit> {
        self.units().find(|u| u.name.as_str() == name)
    }

    pub fn member(&self, id: MemberId) -> Option<&Member> {
        self.members.get(&id)
    }

    /// Members in admission order.
    pub fn members(&self) -> impl Iterator<Item = &Member> {
        self.member_order.iter().map(|id| &self.members[id])
    }

    pub fn member_by_email(&self, email: &Email) -> Option<&Member> {
        self.by_email.get(email).map(|id| &self.members[id])
    }

    /// Whether `member` is a member at `at`, from the compact membership map the authority
    /// check also reads.
    pub fn is_member_at(&self, member: MemberId, at: Instant) -> bool {
        self.index
            .membership(member)
            .is_some_and(|m| m.span.contains(at))
    }

    pub fn mandate(&self, id: MandateId) -> Option<&Mandate> {
        self.mandate_index.get(&id).map(|&i| &self.mandates[i])
    }

    /// Every mandate, in assignment order.
    pub fn mandates(&self) -> &[Mandate] {
        &self.mandates
    }

    /// A member's mandates, in assignment order.
    pub fn mandates_of(&self, member: MemberId) -> impl Iterator<Item = &Mandate> {
        self.by_member
            .get(&member)
            .into_iter()
            .flatten()
            .map(|&i| &self.mandates[i])
    }

    /// A unit's mandates, in assignment order.
    pub fn mandates_in(&self, unit: UnitId) -> impl Iterator<Item = &Mandate> {
        self.by_unit
            .get(&unit)
            .into_iter()
            .flatten()
            .map(|&i| &self.mandates[i])
    }

    pub fn decision(&self, id: DecisionId) -> Option<&DecisionRecord> {
        self.decision_index.get(&id).map(|&i| &self.decisions[i])
    }

    /// Every decision, in the order recorded.
    pub fn decisions(&self) -> &[DecisionRecord] {
        &self.decisions
    }

    /// Later decisions that amend, supersede or revoke `decision`, in the order recorded.
    pub fn linked_from(&self, decision: DecisionId) -> &[(LinkKind, DecisionId)] {
        self.linked_from
            .get(&decision)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn tension(&self, id: TensionId) -> Option<&Tension> {
        self.tension_index.get(&id).map(|&i| &self.tensions[i])
    }

    pub fn tensions(&self) -> &[Tension] {
        &self.tensions
    }

    pub fn meeting(&self, id: MeetingId) -> Option<&Meeting> {
        self.meeting_index.get(&id).map(|&i| &self.meetings[i])
    }

    pub fn meetings(&self) -> &[Meeting] {
        &self.meetings
    }

    pub fn account_reports(&self) -> &[AccountReport] {
        &self.reports
    }

    /// The reports rendered for one mandate.
    pub fn reports_for(&self, mandate: MandateId) -> impl Iterator<Item = &AccountReport> {
        self.reports_by_mandate
            .get(&mandate)
            .into_iter()
            .flatten()
            .map(|&i| &self.reports[i])
    }

    /// The name of a unit, or its id if unknown; for messages.
    pub fn unit_name(&self, id: UnitId) -> String {
        self.units
            .get(&id)
            .map(|u| u.name.to_string())
            .unwrap_or_else(|| id.to_string())
    }

    /// The name of a member, or their id if unknown; for messages.
    pub fn member_name(&self, id: MemberId) -> String {
        self.members
            .get(&id)
            .map(|m| m.name.to_string())
            .unwrap_or_else(|| id.to_string())
    }

    pub(crate) fn singleton_of(&self, kind: UnitKind) -> Option<UnitId> {
        match kind {
            UnitKind::Agora => self.agora,
            UnitKind::Coordination => self.coordination,
            _ => None,
        }
    }

    // ----- keeping the authority index in step with the records -----------------------------

    /// The index, mutably, beside the records it is rebuilt from (disjoint borrows).
    fn index_and_records(&mut self) -> (&mut AuthorityIndex, Records<'_>) {
        let records = Records {
            units: &self.units,
            members: &self.members,
            mandates: &self.mandates,
            by_member: &self.by_member,
            by_unit: &self.by_unit,
        };
        (&mut self.index, records)
    }

    /// After a mandate was assigned at `index` (and listed in `by_member` and `by_unit`).
    pub(crate) fn index_assigned(&mut self, index: usize) {
        let (ix, records) = self.index_and_records();
        ix.index_assigned(records, index);
    }

    /// After the last mandate, `holder`'s in `unit`, was taken back (and removed from the
    /// records and from `by_member` and `by_unit`).
    pub(crate) fn index_unassigned(&mut self, holder: MemberId, unit: UnitId) {
        let (ix, records) = self.index_and_records();
        ix.index_unassigned(records, holder, unit);
    }

    /// After the mandate at `index` was committed to, revoked, or its revocation taken back.
    pub(crate) fn index_mandate_changed(&mut self, index: usize) {
        let (ix, records) = self.index_and_records();
        ix.index_mandate_changed(records, index);
    }

    /// After a member was admitted, left, or either was taken back.
    pub(crate) fn index_member_changed(&mut self, member: MemberId) {
        let (ix, records) = self.index_and_records();
        ix.index_member_changed(records, member);
    }

    /// After a unit was created, archived, given new domains, or any of these was taken back.
    pub(crate) fn index_unit_changed(&mut self, unit: UnitId) {
        let (ix, records) = self.index_and_records();
        ix.index_unit_changed(records, unit);
    }
}
