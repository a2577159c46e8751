//! Tensions (R13, R14): their GraphQL object, raising, scheduling, processing and withdrawing
//! them, their inputs, and the subscription to new ones.

use super::ApiResult;
use super::context::{Written, lang, member, state, write};
use super::inputs::{check_len, label, text};
use super::mandates::RoleGql;
use super::subscription::{Notice, for_caller};
use async_graphql::{Context, Enum, InputObject, Object, OneofObject, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use governance_core::tension::{Space, Tension, TensionStatus, TensionSubject};
use governance_core::{Event, NewTension, Role, TensionId};
use uuid::Uuid;

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

#[Object(name = "Tension", serial)]
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

/// What a tension is about: a unit, a role in a unit, or a rule; never a person (R14).
#[derive(Debug, OneofObject)]
pub enum TensionAboutInput {
    Unit(Uuid),
    Role(RoleInUnitInput),
    Rule(String),
}

#[derive(Debug, InputObject)]
pub struct RoleInUnitInput {
    pub unit_id: Uuid,
    pub role: RoleGql,
}

/// Where the tension goes; by default the unit's referent, or the Fonctionnement meeting for
/// a rule.
#[derive(Debug, OneofObject)]
pub enum SpaceInput {
    Referent(Uuid),
    Gouvernance(bool),
    Fonctionnement(bool),
    Coordination(bool),
    Agora(bool),
}

#[derive(Debug, InputObject)]
pub struct RaiseTensionInput {
    pub about: TensionAboutInput,
    pub space: Option<SpaceInput>,
    pub title: String,
    pub description: Option<String>,
}

/// A tension after a change, and the revision.
#[derive(SimpleObject)]
pub struct TensionResult {
    pub tension: TensionObject,
    pub revision: i64,
}

/// Reads of tensions.
#[derive(Debug, Default)]
pub struct TensionsQuery;

#[Object]
impl TensionsQuery {
    /// Tensions, most recent first (R13).
    async fn tensions(
        &self,
        ctx: &Context<'_>,
        status: Option<TensionStatusGql>,
    ) -> ApiResult<Vec<TensionObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        let mut all: Vec<TensionObject> = s
            .movement
            .tensions()
            .iter()
            .cloned()
            .map(TensionObject)
            .collect();
        if let Some(want) = status {
            all.retain(|t| {
                let st = match t.0.status {
                    governance_core::tension::TensionStatus::Open => TensionStatusGql::Open,
                    governance_core::tension::TensionStatus::Scheduled { .. } => {
                        TensionStatusGql::Scheduled
                    }
                    governance_core::tension::TensionStatus::Processed { .. } => {
                        TensionStatusGql::Processed
                    }
                    governance_core::tension::TensionStatus::Withdrawn { .. } => {
                        TensionStatusGql::Withdrawn
                    }
                };
                st == want
            });
        }
        all.reverse();
        Ok(all)
    }
}

/// Writes on tensions.
#[derive(Debug, Default)]
pub struct TensionsMutation;

#[Object]
impl TensionsMutation {
    /// Raises a tension about a unit, a role or a rule (R13, R14).
    async fn raise_tension(
        &self,
        ctx: &Context<'_>,
        input: RaiseTensionInput,
    ) -> ApiResult<TensionResult> {
        let id = TensionId::from_uuid(Uuid::now_v7());
        let written = write(ctx, None, move |_, at, me| {
            let subject = match input.about {
                TensionAboutInput::Unit(u) => TensionSubject::Unit(u.into()),
                TensionAboutInput::Role(r) => TensionSubject::Role {
                    unit: r.unit_id.into(),
                    role: r.role.into(),
                },
                TensionAboutInput::Rule(r) => TensionSubject::Rule(label("rule", &r)?),
            };
            let space = input.space.map(|s| match s {
                SpaceInput::Referent(u) => Space::Referent(u.into()),
                SpaceInput::Gouvernance(_) => Space::Gouvernance,
                SpaceInput::Fonctionnement(_) => Space::Fonctionnement,
                SpaceInput::Coordination(_) => Space::Coordination,
                SpaceInput::Agora(_) => Space::Agora,
            });
            Ok(Event::TensionRaised(NewTension {
                id,
                raised_by: me,
                raised_at: at,
                subject,
                space,
                title: label("title", &input.title)?,
                description: text("description", input.description.as_deref())?,
            }))
        })
        .await?;
        tension_result(ctx, written)
    }

    /// Puts a tension on the agenda of a meeting of its space.
    async fn schedule_tension(
        &self,
        ctx: &Context<'_>,
        tension_id: Uuid,
        meeting_id: Uuid,
    ) -> ApiResult<TensionResult> {
        let tension = TensionId::from_uuid(tension_id);
        let written = write(ctx, None, move |_, at, me| {
            Ok(Event::TensionScheduled {
                tension,
                meeting: meeting_id.into(),
                by: me,
                at,
            })
        })
        .await?;
        tension_result(ctx, written)
    }

    /// Records how a tension was processed and the decisions it led to.
    async fn process_tension(
        &self,
        ctx: &Context<'_>,
        tension_id: Uuid,
        outcome: String,
        decision_ids: Option<Vec<Uuid>>,
    ) -> ApiResult<TensionResult> {
        let tension = TensionId::from_uuid(tension_id);
        let l = lang(ctx);
        let written = write(ctx, None, move |_, at, me| {
            let decisions = decision_ids.unwrap_or_default();
            check_len(&decisions, "decisionIds", l)?;
            Ok(Event::TensionProcessed {
                tension,
                by: me,
                at,
                outcome: text("outcome", Some(&outcome))?,
                decisions: decisions.into_iter().map(Into::into).collect(),
            })
        })
        .await?;
        tension_result(ctx, written)
    }

    /// Withdraws a tension the caller raised.
    async fn withdraw_tension(
        &self,
        ctx: &Context<'_>,
        tension_id: Uuid,
    ) -> ApiResult<TensionResult> {
        let tension = TensionId::from_uuid(tension_id);
        let written = write(ctx, None, move |_, at, me| {
            Ok(Event::TensionWithdrawn {
                tension,
                by: me,
                at,
            })
        })
        .await?;
        tension_result(ctx, written)
    }
}

fn tension_result(ctx: &Context<'_>, written: Written) -> ApiResult<TensionResult> {
    let revision = written.revision;
    Ok(TensionResult {
        tension: TensionObject(written.tension(lang(ctx))?),
        revision,
    })
}

/// New tensions, as they are raised.
#[derive(Debug, Default)]
pub struct TensionsSubscription;

#[Subscription]
impl TensionsSubscription {
    /// Every tension raised from now on.
    async fn tension_raised(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<TensionObject>> + use<>>
    {
        for_caller(ctx, |m, n| match n {
            Notice::Tension(id) => m.tension(id).cloned().map(TensionObject),
            Notice::Decision(_) => None,
        })
        .await
    }
}
