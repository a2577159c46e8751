//! GraphQL objects. Each wraps a domain value (`MandateObject(Mandate)`) instead of deriving on
//! it, so the API and the core can change independently. Fields that reveal internal matters
//! answer only to members (R17).

pub use super::meeting::MeetingObject;
use super::{ApiError, ApiResult, lang, member, now, state};
use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};
use governance_core::account::DueReport;
use governance_core::member::Member;
use governance_core::messages;
use governance_core::queries::{AuthorityRow, PowerDistribution};
use governance_core::tension::{Space, Tension, TensionStatus, TensionSubject};
use governance_core::{
    Competent, Decider, DecisionRecord, Effect, EscalationStep, Impact, LinkKind, Mandate,
    MandateStatus, Movement, Role, Scope, Stance, Unit, UnitKind, Visibility,
};
use uuid::Uuid;

macro_rules! mirror_enum {
    ($(#[$doc:meta])* $name:ident as $gql:literal from $core:ty { $($v:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
        #[graphql(name = $gql)]
        pub enum $name { $($v),* }

        impl From<$core> for $name {
            fn from(v: $core) -> Self {
                match v { $(<$core>::$v => $name::$v),* }
            }
        }

        impl From<$name> for $core {
            fn from(v: $name) -> Self {
                match v { $($name::$v => <$core>::$v),* }
            }
        }
    };
}

mirror_enum!(
    /// The kinds of unit (R1).
    UnitKindGql as "UnitKind" from UnitKind { Agora, Coordination, Pole, Comite, WorkingGroup }
);
mirror_enum!(
    /// A mandate's role (R7).
    RoleGql as "Role" from Role { Holder, Referent }
);
mirror_enum!(
    /// What a consulted person said (R8).
    StanceGql as "Stance" from Stance { Support, Concern, Objection }
);
mirror_enum!(
    /// Who may read a decision record (R11, R17).
    VisibilityGql as "Visibility" from Visibility { Members, Published }
);
mirror_enum!(
    /// How a decision relates to an earlier one (R12).
    LinkKindGql as "LinkKind" from LinkKind { Amends, Supersedes, Revokes }
);
mirror_enum!(
    /// Where a mandate stands at an instant.
    MandateStatusGql as "MandateStatus" from MandateStatus { InForce, NotStarted, PendingCommitment, Expired, Revoked }
);

/// How far a decision reaches (R9).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ImpactKind {
    ThisUnit,
    Units,
    MovementWide,
}

/// The mandates in force at `active_at`, or all of them without a date.
pub(crate) fn in_force_at<'a>(
    mandates: impl Iterator<Item = &'a Mandate>,
    active_at: Option<DateTime<Utc>>,
) -> Vec<MandateObject> {
    mandates
        .filter(|m| {
            active_at
                .is_none_or(|at| m.is_known_at(at) && m.status_at(at) == MandateStatus::InForce)
        })
        .cloned()
        .map(MandateObject)
        .collect()
}

/// A member of the movement.
#[derive(Debug, Clone)]
pub struct MemberObject(pub Member);

#[Object(name = "Member")]
impl MemberObject {
    async fn id(&self) -> Uuid {
        self.0.id.as_uuid()
    }
    async fn name(&self) -> &str {
        self.0.name.as_str()
    }
    async fn email(&self) -> &str {
        self.0.email.as_str()
    }
    async fn joined_at(&self) -> DateTime<Utc> {
        self.0.joined_at
    }
    async fn left_at(&self) -> Option<DateTime<Utc>> {
        self.0.left.map(|(at, _)| at)
    }
    /// The member's mandates, those in force at `activeAt` if given.
    async fn mandates(
        &self,
        ctx: &Context<'_>,
        active_at: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<MandateObject>> {
        let s = state(ctx, None).await?;
        let active_at = active_at
            .map(|d| super::inputs::sane("activeAt", d))
            .transpose()?;
        Ok(in_force_at(s.movement.mandates_of(self.0.id), active_at))
    }
}

/// A unit of the movement (R1).
#[derive(Debug, Clone)]
pub struct UnitObject(pub Unit);

#[Object(name = "Unit")]
impl UnitObject {
    async fn id(&self) -> Uuid {
        self.0.id.as_uuid()
    }
    async fn name(&self) -> &str {
        self.0.name.as_str()
    }
    async fn kind(&self) -> UnitKindGql {
        self.0.kind.into()
    }
    async fn parent(&self, ctx: &Context<'_>) -> ApiResult<Option<UnitObject>> {
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .parent
            .and_then(|p| s.movement.unit(p))
            .cloned()
            .map(UnitObject))
    }
    async fn children(&self, ctx: &Context<'_>) -> ApiResult<Vec<UnitObject>> {
        let s = state(ctx, None).await?;
        Ok(s.movement
            .children(self.0.id)
            .iter()
            .filter_map(|c| s.movement.unit(*c))
            .cloned()
            .map(UnitObject)
            .collect())
    }
    /// The unit's decision domains at `at` (default: now).
    async fn domains(&self, at: Option<DateTime<Utc>>) -> ApiResult<Vec<String>> {
        Ok(self
            .0
            .domains_at(super::inputs::when(at)?)
            .iter()
            .map(|d| d.to_string())
            .collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived.map(|(at, _)| at)
    }
    /// The unit's mandates, those in force at `activeAt` if given.
    async fn mandates(
        &self,
        ctx: &Context<'_>,
        active_at: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<MandateObject>> {
        let s = state(ctx, None).await?;
        Ok(in_force_at(s.movement.mandates_in(self.0.id), active_at))
    }
    /// The referents in force now (R7).
    async fn referents(&self, ctx: &Context<'_>) -> ApiResult<Vec<HolderObject>> {
        let s = state(ctx, None).await?;
        Ok(s.movement
            .referents(self.0.id, now())
            .into_iter()
            .map(HolderObject)
            .collect())
    }
}

/// A mandate (R3–R7).
#[derive(Debug, Clone)]
pub struct MandateObject(pub Mandate);

#[Object(name = "Mandate")]
impl MandateObject {
    async fn id(&self) -> Uuid {
        self.0.id.as_uuid()
    }
    async fn holder(&self, ctx: &Context<'_>) -> ApiResult<MemberObject> {
        let s = state(ctx, None).await?;
        s.movement
            .member(self.0.holder)
            .cloned()
            .map(MemberObject)
            .ok_or_else(|| ApiError::not_found("member", lang(ctx)).into())
    }
    async fn unit(&self, ctx: &Context<'_>) -> ApiResult<UnitObject> {
        let s = state(ctx, None).await?;
        s.movement
            .unit(self.0.unit)
            .cloned()
            .map(UnitObject)
            .ok_or_else(|| ApiError::not_found("unit", lang(ctx)).into())
    }
    /// The domains covered; `null` means every domain of the unit.
    async fn domains(&self) -> Option<Vec<String>> {
        match &self.0.scope {
            Scope::AllDomains => None,
            Scope::Domains(set) => Some(set.iter().map(|d| d.to_string()).collect()),
        }
    }
    async fn role(&self) -> RoleGql {
        self.0.role.into()
    }
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.period.starts_at()
    }
    /// The end of the period, excluded: `[startsAt, endsAt)`.
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.period.ends_at()
    }
    async fn committed_at(&self) -> Option<DateTime<Utc>> {
        self.0.committed_at
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revocation.map(|r| r.at)
    }
    async fn revoked_by(&self) -> Option<Uuid> {
        self.0.revocation.map(|r| r.by.as_uuid())
    }
    async fn assigned_by(&self) -> Uuid {
        self.0.assigned_by.as_uuid()
    }
    async fn renews(&self) -> Option<Uuid> {
        self.0.renews.map(|m| m.as_uuid())
    }
    /// The mandate's status at `at` (default: now).
    async fn status(&self, at: Option<DateTime<Utc>>) -> ApiResult<MandateStatusGql> {
        Ok(self.0.status_at(super::inputs::when(at)?).into())
    }
}

/// Someone who may decide, under which mandate, since and until when (R15).
#[derive(Debug, Clone)]
pub struct HolderObject(pub Competent);

#[Object(name = "Holder")]
impl HolderObject {
    async fn member_id(&self) -> Uuid {
        self.0.member.as_uuid()
    }
    async fn member_name(&self, ctx: &Context<'_>) -> ApiResult<String> {
        Ok(state(ctx, None).await?.movement.member_name(self.0.member))
    }
    async fn mandate_id(&self) -> Uuid {
        self.0.mandate.as_uuid()
    }
    async fn role(&self) -> RoleGql {
        self.0.role.into()
    }
    async fn since(&self) -> DateTime<Utc> {
        self.0.since
    }
    async fn until(&self) -> DateTime<Utc> {
        self.0.until
    }
}

/// One step of the route a decision must take instead (R9).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "EscalationStep")]
pub struct EscalationStepObject {
    pub unit_id: Uuid,
    pub unit_name: String,
    pub unit_kind: UnitKindGql,
    /// Who may take the decision there; empty for the Agora, which is all members.
    pub holders: Vec<String>,
}

pub(crate) fn route(movement: &Movement, route: &[EscalationStep]) -> Vec<EscalationStepObject> {
    route
        .iter()
        .map(|s| EscalationStepObject {
            unit_id: s.unit.as_uuid(),
            unit_name: movement.unit_name(s.unit),
            unit_kind: s.kind.into(),
            holders: s
                .holders
                .iter()
                .map(|h| movement.member_name(h.member))
                .collect(),
        })
        .collect()
}

/// The answer to "may this member decide this, here, at this date?".
#[derive(Debug, Clone, SimpleObject)]
pub struct Verdict {
    pub allowed: bool,
    /// `ALLOWED`, or the stable code of the refusal.
    pub code: String,
    /// The reason, in the caller's language.
    pub reason: String,
    /// The mandate that allows; on a refusal, the mandate it is about (to commit to, to renew).
    pub mandate_id: Option<Uuid>,
    pub until: Option<DateTime<Utc>>,
    pub escalate_to: Vec<EscalationStepObject>,
}

/// Who may decide on one domain of one unit (R15).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "AuthorityRow")]
pub struct AuthorityRowObject {
    pub unit_id: Uuid,
    pub unit_name: String,
    pub domain: String,
    pub holders: Vec<HolderObject>,
    /// When nobody holds the domain, where its decisions go.
    pub unheld_route: Vec<EscalationStepObject>,
}

impl AuthorityRowObject {
    pub fn of(movement: &Movement, row: &AuthorityRow) -> Self {
        Self {
            unit_id: row.unit.as_uuid(),
            unit_name: movement.unit_name(row.unit),
            domain: row.domain.to_string(),
            holders: row.holders.iter().copied().map(HolderObject).collect(),
            unheld_route: route(movement, &row.route_if_unheld),
        }
    }
}

/// A consultation recorded with a decision (R8).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Consultation")]
pub struct ConsultationObject {
    pub member_id: Uuid,
    pub member_name: String,
    pub consulted_at: DateTime<Utc>,
    pub stance: StanceGql,
    pub said: String,
}

impl ConsultationObject {
    pub fn of(m: &Movement, c: &governance_core::Consultation) -> Self {
        Self {
            member_id: c.member.as_uuid(),
            member_name: m.member_name(c.member),
            consulted_at: c.consulted_at,
            stance: c.stance.into(),
            said: c.said.as_str().to_owned(),
        }
    }
}

/// A link from a decision to another.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Link")]
pub struct LinkObject {
    pub kind: LinkKindGql,
    pub decision_id: Uuid,
}

/// An effect a decision enacted, described in words.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Effect")]
pub struct EffectObject {
    /// A stable name: `assign_mandate`, `revoke_mandate`, ...
    pub kind: String,
    /// The effect, as canonical JSON.
    pub detail: async_graphql::Json<serde_json::Value>,
}

/// A decision record (R8–R12).
#[derive(Debug, Clone)]
pub struct DecisionObject(pub DecisionRecord);

#[Object(name = "Decision")]
impl DecisionObject {
    async fn id(&self) -> Uuid {
        self.0.id().as_uuid()
    }
    async fn title(&self) -> &str {
        self.0.title.as_str()
    }
    async fn statement(&self) -> &str {
        self.0.statement.as_str()
    }
    async fn rationale(&self) -> &str {
        self.0.rationale.as_str()
    }
    async fn domain(&self) -> &str {
        self.0.domain().as_str()
    }
    async fn unit_id(&self) -> Uuid {
        self.0.unit().as_uuid()
    }
    async fn unit_name(&self, ctx: &Context<'_>) -> ApiResult<String> {
        Ok(state(ctx, None).await?.movement.unit_name(self.0.unit()))
    }
    async fn decided_at(&self) -> DateTime<Utc> {
        self.0.decided_at()
    }
    async fn effective_from(&self) -> DateTime<Utc> {
        self.0.effective_from()
    }
    async fn effective_until(&self) -> Option<DateTime<Utc>> {
        self.0.effective_until
    }
    async fn visibility(&self) -> VisibilityGql {
        self.0.visibility.into()
    }
    /// Who shares responsibility for it: the holder, or every participant (R10).
    async fn decided_by(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .responsible()
            .into_iter()
            .map(|m| s.movement.member_name(m))
            .collect())
    }
    /// Whether it was taken by a body in a meeting.
    async fn by_body(&self) -> bool {
        matches!(self.0.decider, Decider::Body { .. })
    }
    // ----- members only ----------------------------------------------------------------------
    async fn unit(&self, ctx: &Context<'_>) -> ApiResult<UnitObject> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        s.movement
            .unit(self.0.unit())
            .cloned()
            .map(UnitObject)
            .ok_or_else(|| ApiError::not_found("unit", lang(ctx)).into())
    }
    async fn participants(&self, ctx: &Context<'_>) -> ApiResult<Vec<MemberObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .responsible()
            .into_iter()
            .filter_map(|m| s.movement.member(m))
            .cloned()
            .map(MemberObject)
            .collect())
    }
    async fn mandate(&self, ctx: &Context<'_>) -> ApiResult<Option<MandateObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .authorized_by()
            .and_then(|m| s.movement.mandate(m))
            .cloned()
            .map(MandateObject))
    }
    async fn meeting_id(&self, ctx: &Context<'_>) -> ApiResult<Option<Uuid>> {
        member(ctx)?;
        Ok(match &self.0.decider {
            Decider::Body { meeting, .. } => meeting.map(|m| m.as_uuid()),
            Decider::Holder { .. } => None,
        })
    }
    async fn consultations(&self, ctx: &Context<'_>) -> ApiResult<Vec<ConsultationObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .consultations
            .iter()
            .map(|c| ConsultationObject::of(&s.movement, c))
            .collect())
    }
    async fn impact(&self, ctx: &Context<'_>) -> ApiResult<ImpactKind> {
        member(ctx)?;
        Ok(match self.0.impact {
            Impact::ThisUnit => ImpactKind::ThisUnit,
            Impact::Units(_) => ImpactKind::Units,
            Impact::MovementWide => ImpactKind::MovementWide,
        })
    }
    async fn links(&self, ctx: &Context<'_>) -> ApiResult<Vec<LinkObject>> {
        member(ctx)?;
        Ok(self
            .0
            .links
            .iter()
            .map(|l| LinkObject {
                kind: l.kind.into(),
                decision_id: l.target.as_uuid(),
            })
            .collect())
    }
    /// Later decisions that amend, supersede or revoke this one.
    async fn linked_from(&self, ctx: &Context<'_>) -> ApiResult<Vec<LinkObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .linked_from(self.0.id())
            .iter()
            .map(|(k, d)| LinkObject {
                kind: (*k).into(),
                decision_id: d.as_uuid(),
            })
            .collect())
    }
    /// The decisions that replaced one another, oldest first, this one included (R12).
    async fn supersession_chain(&self, ctx: &Context<'_>) -> ApiResult<Vec<DecisionObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .supersession_chain(self.0.id())
            .into_iter()
            .filter_map(|d| s.movement.decision(d))
            .cloned()
            .map(DecisionObject)
            .collect())
    }
    /// Whether it is in force at `at` (default: now): effective, not superseded nor revoked.
    async fn in_force(&self, ctx: &Context<'_>, at: Option<DateTime<Utc>>) -> ApiResult<bool> {
        member(ctx)?;
        let at = super::inputs::when(at)?;
        let s = state(ctx, None).await?;
        Ok(self.0.decided_at() <= at
            && self.0.is_effective_at(at)
            && s.movement.ended_by(self.0.id(), at).is_none())
    }
    async fn effects(&self, ctx: &Context<'_>) -> ApiResult<Vec<EffectObject>> {
        member(ctx)?;
        Ok(self
            .0
            .effects
            .iter()
            .map(|e: &Effect| EffectObject {
                kind: e.kind_name().to_owned(),
                detail: async_graphql::Json(crate::store::codec::effect_value(e)),
            })
            .collect())
    }
    async fn tension_id(&self, ctx: &Context<'_>) -> ApiResult<Option<Uuid>> {
        member(ctx)?;
        Ok(self.0.tension.map(|t| t.as_uuid()))
    }
}

/// Where a tension is processed (R13).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum SpaceKind {
    Referent,
    Gouvernance,
    Fonctionnement,
    Coordination,
    Agora,
}

/// Where a tension stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "TensionStatus")]
pub enum TensionStatusGql {
    Open,
    Scheduled,
    Processed,
    Withdrawn,
}

/// A tension (R13, R14).
#[derive(Debug, Clone)]
pub struct TensionObject(pub Tension);

#[Object(name = "Tension")]
impl TensionObject {
    async fn id(&self) -> Uuid {
        self.0.id.as_uuid()
    }
    async fn title(&self) -> &str {
        self.0.title.as_str()
    }
    async fn description(&self) -> &str {
        self.0.description.as_str()
    }
    async fn raised_by(&self, ctx: &Context<'_>) -> ApiResult<String> {
        Ok(state(ctx, None)
            .await?
            .movement
            .member_name(self.0.raised_by))
    }
    async fn raised_at(&self) -> DateTime<Utc> {
        self.0.raised_at
    }
    /// What it is about, in words: a unit, a role in a unit, or a rule; never a person (R14).
    async fn about(&self, ctx: &Context<'_>) -> ApiResult<String> {
        let s = state(ctx, None).await?;
        Ok(match &self.0.subject {
            TensionSubject::Unit(u) => s.movement.unit_name(*u),
            TensionSubject::Role { unit, role } => format!(
                "{} ({})",
                s.movement.unit_name(*unit),
                match role {
                    Role::Referent => "référent·e",
                    Role::Holder => "titulaire",
                }
            ),
            TensionSubject::Rule(r) => r.to_string(),
        })
    }
    async fn space(&self) -> SpaceKind {
        match self.0.space {
            Space::Referent(_) => SpaceKind::Referent,
            Space::Gouvernance => SpaceKind::Gouvernance,
            Space::Fonctionnement => SpaceKind::Fonctionnement,
            Space::Coordination => SpaceKind::Coordination,
            Space::Agora => SpaceKind::Agora,
        }
    }
    /// For a referent space, the unit whose referent processes it.
    async fn space_unit_id(&self) -> Option<Uuid> {
        match self.0.space {
            Space::Referent(u) => Some(u.as_uuid()),
            _ => None,
        }
    }
    async fn status(&self) -> TensionStatusGql {
        match self.0.status {
            TensionStatus::Open => TensionStatusGql::Open,
            TensionStatus::Scheduled { .. } => TensionStatusGql::Scheduled,
            TensionStatus::Processed { .. } => TensionStatusGql::Processed,
            TensionStatus::Withdrawn { .. } => TensionStatusGql::Withdrawn,
        }
    }
    async fn meeting_id(&self) -> Option<Uuid> {
        match self.0.status {
            TensionStatus::Scheduled { meeting } => Some(meeting.as_uuid()),
            _ => None,
        }
    }
    async fn outcome(&self) -> Option<&str> {
        match &self.0.status {
            TensionStatus::Processed { outcome, .. } => Some(outcome.as_str()),
            _ => None,
        }
    }
    /// The decisions it led to.
    async fn decision_ids(&self) -> Vec<Uuid> {
        match &self.0.status {
            TensionStatus::Processed { decisions, .. } => {
                decisions.iter().map(|d| d.as_uuid()).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// An account report owed, and whether it was rendered (R16).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "DueReport")]
pub struct DueReportObject {
    pub mandate_id: Uuid,
    pub holder_name: String,
    pub covers_from: DateTime<Utc>,
    pub covers_until: DateTime<Utc>,
    pub rendered_by: Option<Uuid>,
}

impl DueReportObject {
    pub fn of(movement: &Movement, d: &DueReport) -> Self {
        Self {
            mandate_id: d.mandate.as_uuid(),
            holder_name: movement.member_name(d.holder),
            covers_from: d.covers.starts_at(),
            covers_until: d.covers.ends_at(),
            rendered_by: d.rendered_by.map(|r| r.as_uuid()),
        }
    }
}

/// An account report rendered.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "AccountReport")]
pub struct AccountReportObject {
    pub id: Uuid,
    pub mandate_id: Uuid,
    pub author_name: String,
    pub covers_from: DateTime<Utc>,
    pub covers_until: DateTime<Utc>,
    pub submitted_at: DateTime<Utc>,
    pub summary: String,
}

/// How many mandates one member holds.
#[derive(Debug, Clone, SimpleObject)]
pub struct HolderCount {
    pub member_id: Uuid,
    pub member_name: String,
    pub mandates: i32,
}

/// How concentrated authority is (R18).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "PowerDistribution")]
pub struct PowerDistributionObject {
    pub at: DateTime<Utc>,
    pub holders: Vec<HolderCount>,
    pub without_mandate: Vec<String>,
    /// Share of mandates in force held by the most concentrated holder, in percent.
    pub top_share_percent: i32,
}

impl PowerDistributionObject {
    pub fn of(movement: &Movement, p: &PowerDistribution) -> Self {
        Self {
            at: p.at,
            holders: p
                .holders
                .iter()
                .map(|(m, n)| HolderCount {
                    member_id: m.as_uuid(),
                    member_name: movement.member_name(*m),
                    mandates: *n as i32,
                })
                .collect(),
            without_mandate: p
                .without_mandate
                .iter()
                .map(|m| movement.member_name(*m))
                .collect(),
            top_share_percent: p.top_share_percent as i32,
        }
    }
}

/// The movement.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Organization")]
pub struct OrganizationObject {
    pub id: Uuid,
    pub name: String,
    pub settings: SettingsObject,
    pub settings_history: Vec<SettingsVersionObject>,
}

/// The movement's rules of functioning (R19).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Settings")]
pub struct SettingsObject {
    pub max_mandate_months: i32,
    pub required_consultations: Vec<RequiredConsultation>,
    /// `COORDINATION` or `AGORA`.
    pub movement_wide_goes_to: String,
    pub agora_domains: Vec<String>,
    pub account_report_every_months: i32,
    pub fonctionnement_every_months: i32,
    /// `ANCESTOR` or `COORDINATION`.
    pub mandate_assigner: String,
    pub mandates_domain: String,
    pub structure_domain: String,
    pub rules_domain: String,
    /// How meetings convene and decide (R10).
    pub meetings: super::meeting::MeetingRulesObject,
}

/// A domain and how many people must be consulted before deciding in it.
#[derive(Debug, Clone, SimpleObject)]
pub struct RequiredConsultation {
    pub domain: String,
    pub count: i32,
}

/// One version of the settings.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "SettingsVersion")]
pub struct SettingsVersionObject {
    pub effective_at: DateTime<Utc>,
    pub adopted_by: Uuid,
    pub settings: SettingsObject,
}

impl SettingsObject {
    pub fn of(s: &governance_core::Settings) -> Self {
        Self {
            max_mandate_months: s.max_mandate_months as i32,
            required_consultations: s
                .required_consultations
                .iter()
                .map(|(d, n)| RequiredConsultation {
                    domain: d.to_string(),
                    count: *n as i32,
                })
                .collect(),
            movement_wide_goes_to: format!("{:?}", s.movement_wide_goes_to).to_uppercase(),
            agora_domains: s.agora_domains.iter().map(|d| d.to_string()).collect(),
            account_report_every_months: s.account_report_every_months as i32,
            fonctionnement_every_months: s.fonctionnement_every_months as i32,
            mandate_assigner: format!("{:?}", s.mandate_assigner).to_uppercase(),
            mandates_domain: s.mandates_domain.to_string(),
            structure_domain: s.structure_domain.to_string(),
            rules_domain: s.rules_domain.to_string(),
            meetings: super::meeting::MeetingRulesObject::of(&s.meetings),
        }
    }
}

/// A verdict in the caller's language.
pub fn verdict(movement: &Movement, v: &governance_core::Verdict, lang: messages::Lang) -> Verdict {
    match v {
        Ok(c) => Verdict {
            allowed: true,
            code: "ALLOWED".into(),
            reason: match lang {
                messages::Lang::En => format!(
                    "allowed under the mandate of {}",
                    movement.member_name(c.member)
                ),
                messages::Lang::Fr => format!(
                    "autorisé au titre du mandat de {}",
                    movement.member_name(c.member)
                ),
            },
            mandate_id: Some(c.mandate.as_uuid()),
            until: Some(c.until),
            escalate_to: Vec::new(),
        },
        Err(d) => Verdict {
            allowed: false,
            code: d.reason.code().as_str().into(),
            reason: messages::denial_reason(movement, &d.reason, lang),
            mandate_id: d.reason.mandate().map(|m| m.as_uuid()),
            until: None,
            escalate_to: route(movement, &d.escalate_to),
        },
    }
}
