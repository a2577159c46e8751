//! The movement, its units (R1) and its members: their GraphQL objects and queries. Units and
//! members change only through the effects of decisions (`recordDecision`).

use super::context::{lang, member, now, state};
use super::mandates::{HolderObject, MandateObject, in_force_at};
use super::mirror::mirror_enum;
use super::settings::{SettingsObject, SettingsVersionObject};
use super::{ApiError, ApiResult, inputs};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use governance_core::member::Member;
use governance_core::{Unit, UnitKind};
use uuid::Uuid;

mirror_enum!(
    /// The kinds of unit (R1).
    UnitKindGql as "UnitKind" from UnitKind { Agora, Coordination, Pole, Comite, WorkingGroup }
);

/// A member of the movement.
#[derive(Debug, Clone)]
pub struct MemberObject(pub Member);

#[Object(name = "Member", serial)]
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
        let active_at = active_at.map(|d| inputs::sane("activeAt", d)).transpose()?;
        Ok(in_force_at(s.movement.mandates_of(self.0.id), active_at))
    }
}

/// A unit of the movement (R1).
#[derive(Debug, Clone)]
pub struct UnitObject(pub Unit);

#[Object(name = "Unit", serial)]
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
            .domains_at(inputs::when(at)?)
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

/// The movement.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Organization")]
pub struct OrganizationObject {
    pub id: Uuid,
    pub name: String,
    pub settings: SettingsObject,
    pub settings_history: Vec<SettingsVersionObject>,
}

/// Reads of the movement, its units and its members.
#[derive(Debug, Default)]
pub struct OrganizationQuery;

#[Object]
impl OrganizationQuery {
    /// The calling member.
    async fn me(&self, ctx: &Context<'_>) -> ApiResult<MemberObject> {
        let me = member(ctx)?;
        let s = state(ctx, None).await?;
        s.movement
            .member(me)
            .cloned()
            .map(MemberObject)
            .ok_or_else(|| ApiError::not_found("member", lang(ctx)).into())
    }

    /// The movement, its settings and their history (R19).
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<OrganizationObject> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        let m = &s.movement;
        Ok(OrganizationObject {
            id: m.organization().id.as_uuid(),
            name: m.organization().name.to_string(),
            settings: SettingsObject::of(m.settings_at(now())),
            settings_history: m
                .settings_history()
                .versions()
                .iter()
                .map(|v| SettingsVersionObject {
                    effective_at: v.effective_at,
                    adopted_by: v.adopted_by.as_uuid(),
                    settings: SettingsObject::of(&v.settings),
                })
                .collect(),
        })
    }

    /// The units, in tree order of creation; only those active at `activeAt` if given.
    async fn units(
        &self,
        ctx: &Context<'_>,
        active_at: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<UnitObject>> {
        let active_at = active_at.map(|d| inputs::sane("activeAt", d)).transpose()?;
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .units()
            .filter(|u| active_at.is_none_or(|at| u.is_active_at(at)))
            .cloned()
            .map(UnitObject)
            .collect())
    }

    async fn unit(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<UnitObject> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        s.movement
            .unit(id.into())
            .cloned()
            .map(UnitObject)
            .ok_or_else(|| ApiError::not_found("unit", lang(ctx)).into())
    }

    /// The members; only those who are members at `activeAt` if given.
    async fn members(
        &self,
        ctx: &Context<'_>,
        active_at: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<MemberObject>> {
        let active_at = active_at.map(|d| inputs::sane("activeAt", d)).transpose()?;
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .members()
            .filter(|m| active_at.is_none_or(|at| m.is_member_at(at)))
            .cloned()
            .map(MemberObject)
            .collect())
    }

    async fn member(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<MemberObject> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        s.movement
            .member(id.into())
            .cloned()
            .map(MemberObject)
            .ok_or_else(|| ApiError::not_found("member", lang(ctx)).into())
    }
}
