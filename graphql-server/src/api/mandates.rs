//! Mandates (R3–R7) and the authority they give: who may decide what, where a decision must go
//! instead (R9), and how concentrated power is (R18).

use super::context::{lang, member, parse_domain, state, write};
use super::mirror::mirror_enum;
use super::organization::{MemberObject, UnitKindGql, UnitObject};
use super::{ApiError, ApiResult, inputs};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use governance_core::messages;
use governance_core::queries::{AuthorityRow, PowerDistribution};
use governance_core::{
    Competent, EscalationStep, Event, Mandate, MandateId, MandateStatus, MemberId, Movement, Role,
    Scope, UnitId,
};
use uuid::Uuid;

mirror_enum!(
    /// A mandate's role (R7).
    RoleGql as "Role" from Role { Holder, Referent }
);

mirror_enum!(
    /// Where a mandate stands at an instant.
    MandateStatusGql as "MandateStatus" from MandateStatus { InForce, NotStarted, PendingCommitment, Expired, Revoked }
);

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

/// A mandate (R3–R7).
#[derive(Debug, Clone)]
pub struct MandateObject(pub Mandate);

#[Object(name = "Mandate", serial)]
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
        Ok(self.0.status_at(inputs::when(at)?).into())
    }
}

/// Someone who may decide, under which mandate, since and until when (R15).
#[derive(Debug, Clone)]
pub struct HolderObject(pub Competent);

#[Object(name = "Holder", serial)]
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

/// A mandate after a change, and the revision.
#[derive(SimpleObject)]
pub struct MandateResult {
    pub mandate: MandateObject,
    pub revision: i64,
}

/// Reads of mandates and of the authority they give.
#[derive(Debug, Default)]
pub struct MandatesQuery;

#[Object]
impl MandatesQuery {
    /// Mandates, filtered by unit, holder, and those in force at `activeAt`.
    async fn mandates(
        &self,
        ctx: &Context<'_>,
        unit_id: Option<Uuid>,
        holder_id: Option<Uuid>,
        active_at: Option<DateTime<Utc>>,
        at_least_revision: Option<i64>,
    ) -> ApiResult<Vec<MandateObject>> {
        member(ctx)?;
        let s = state(ctx, at_least_revision).await?;
        let mandates = s
            .movement
            .mandates()
            .iter()
            .filter(|m| unit_id.is_none_or(|u| m.unit.as_uuid() == u))
            .filter(|m| holder_id.is_none_or(|h| m.holder.as_uuid() == h));
        let active_at = active_at.map(|d| inputs::sane("activeAt", d)).transpose()?;
        Ok(in_force_at(mandates, active_at))
    }

    /// May this member decide on this domain of this unit at `at` (default: now)? (R3–R9)
    async fn may_decide(
        &self,
        ctx: &Context<'_>,
        member_id: Uuid,
        unit_id: Uuid,
        domain: String,
        at: Option<DateTime<Utc>>,
        at_least_revision: Option<i64>,
    ) -> ApiResult<Verdict> {
        member(ctx)?;
        let domain = parse_domain(ctx, &domain)?;
        let s = state(ctx, at_least_revision).await?;
        let v = s.movement.may_decide(
            MemberId::from_uuid(member_id),
            UnitId::from_uuid(unit_id),
            &domain,
            inputs::when(at)?,
        );
        Ok(verdict(&s.movement, &v, lang(ctx)))
    }

    /// Who may decide on this domain of this unit at `at` (default: now) (R15).
    async fn who_may_decide(
        &self,
        ctx: &Context<'_>,
        unit_id: Uuid,
        domain: String,
        at: Option<DateTime<Utc>>,
        at_least_revision: Option<i64>,
    ) -> ApiResult<Vec<HolderObject>> {
        member(ctx)?;
        let domain = parse_domain(ctx, &domain)?;
        let s = state(ctx, at_least_revision).await?;
        let at = inputs::when(at)?;
        let unit = s
            .movement
            .unit(unit_id.into())
            .filter(|u| u.is_active_at(at))
            .ok_or_else(|| ApiError::not_found("unit", lang(ctx)))?;
        if !unit.domains_at(at).contains(&domain) {
            let message = match lang(ctx) {
                governance_core::messages::Lang::Fr => {
                    format!("« {domain} » n'est pas un domaine de {}", unit.name)
                }
                governance_core::messages::Lang::En => {
                    format!("{domain} is not a domain of {}", unit.name)
                }
            };
            return Err(ApiError::validation(message).with("field", "domain").into());
        }
        Ok(s.movement
            .who_may_decide(unit_id.into(), &domain, at)
            .into_iter()
            .map(HolderObject)
            .collect())
    }

    /// Who may decide what, per unit and domain, at `at` (default: now), past dates included (R15).
    async fn authority_map(
        &self,
        ctx: &Context<'_>,
        at: Option<DateTime<Utc>>,
        at_least_revision: Option<i64>,
    ) -> ApiResult<Vec<AuthorityRowObject>> {
        member(ctx)?;
        let s = state(ctx, at_least_revision).await?;
        let map = s.movement.authority_map(inputs::when(at)?);
        Ok(map
            .rows
            .iter()
            .map(|r| AuthorityRowObject::of(&s.movement, r))
            .collect())
    }

    /// Mandates ending within `withinDays` days after `at` (default: now).
    async fn expiring_mandates(
        &self,
        ctx: &Context<'_>,
        at: Option<DateTime<Utc>>,
        within_days: i32,
    ) -> ApiResult<Vec<MandateObject>> {
        member(ctx)?;
        if !(0..=3660).contains(&within_days) {
            return Err(ApiError::invalid(
                "`withinDays` must be between 0 and 3660",
                "`withinDays` doit être entre 0 et 3660",
            )
            .into());
        }
        let s = state(ctx, None).await?;
        Ok(s.movement
            .expiring_mandates(
                inputs::when(at)?,
                chrono::Duration::days(within_days as i64),
            )
            .into_iter()
            .cloned()
            .map(MandateObject)
            .collect())
    }

    /// How concentrated authority is at `at` (default: now) (R18).
    async fn power_distribution(
        &self,
        ctx: &Context<'_>,
        at: Option<DateTime<Utc>>,
    ) -> ApiResult<PowerDistributionObject> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(PowerDistributionObject::of(
            &s.movement,
            &s.movement.power_distribution(inputs::when(at)?),
        ))
    }
}

/// Writes on mandates: the holder's commitment (they are assigned by decisions).
#[derive(Debug, Default)]
pub struct MandatesMutation;

#[Object]
impl MandatesMutation {
    /// The holder's formal commitment to their mandate (R4): from then on, it grants power.
    async fn commit_to_mandate(
        &self,
        ctx: &Context<'_>,
        mandate_id: Uuid,
    ) -> ApiResult<MandateResult> {
        let mandate = MandateId::from_uuid(mandate_id);
        let written = write(ctx, None, move |_, at, me| {
            Ok(Event::Commitment {
                mandate,
                member: me,
                at,
            })
        })
        .await?;
        let revision = written.revision;
        Ok(MandateResult {
            mandate: MandateObject(written.mandate(lang(ctx))?),
            revision,
        })
    }
}
