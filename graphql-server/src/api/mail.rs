//! A member's e-mail preferences: the digest's cadence, reminders, the units followed. Only the
//! member themself reads or changes them.

use super::context::{app, lang, member, now, state};
use super::{ApiError, ApiResult, Code};
use crate::outbox::preferences::{self, Change, PreferencesError};
use crate::outbox::{Cadence, MailPreferences};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};

use governance_core::UnitId;
use uuid::Uuid;

/// How and when e-mail reaches the caller.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "MailPreferences")]
pub struct MailPreferencesObject {
    /// How often the digest comes: `WEEKLY` unless chosen otherwise.
    cadence: Cadence,
    /// Whether reminders (a mandate ending, a report overdue) and convocations are sent.
    reminders: bool,
    /// The units chosen by hand; `null` when following the units the member sits in.
    followed_unit_ids: Option<Vec<Uuid>>,
    /// The units whose decisions reach the digest now.
    effective_unit_ids: Vec<Uuid>,
    /// When the last digest was queued.
    last_digest_at: Option<DateTime<Utc>>,
}

async fn object(ctx: &Context<'_>, p: MailPreferences) -> ApiResult<MailPreferencesObject> {
    let me = member(ctx)?;
    let s = state(ctx, None).await?;
    Ok(MailPreferencesObject {
        cadence: p.cadence,
        reminders: p.reminders,
        followed_unit_ids: p
            .followed_units
            .as_ref()
            .map(|u| u.iter().map(|u| u.as_uuid()).collect()),
        effective_unit_ids: p
            .units(&s.movement, me, now())
            .into_iter()
            .map(|u| u.as_uuid())
            .collect(),
        last_digest_at: p.last_digest_at,
    })
}

#[derive(Default, Debug)]
pub struct MailQuery;

#[Object]
impl MailQuery {
    /// The caller's e-mail preferences (the defaults until they change them).
    async fn mail_preferences(&self, ctx: &Context<'_>) -> ApiResult<MailPreferencesObject> {
        let me = member(ctx)?;
        let a = app(ctx);
        let p = a
            .store
            .mail_preferences(a.org, me)
            .await
            .map_err(|e| ApiError::store(e, lang(ctx)))?;
        object(ctx, p).await
    }
}

#[derive(Default, Debug)]
pub struct MailMutation;

#[Object]
impl MailMutation {
    /// Changes the caller's e-mail preferences; a field left out stays as it is.
    /// `followedUnitIds` chooses units by hand (at most 200); `followSeats: true` goes back to
    /// the units the caller sits in.
    async fn set_mail_preferences(
        &self,
        ctx: &Context<'_>,
        cadence: Option<Cadence>,
        reminders: Option<bool>,
        followed_unit_ids: Option<Vec<Uuid>>,
        follow_seats: Option<bool>,
    ) -> ApiResult<MailPreferencesObject> {
        let me = member(ctx)?;
        let a = app(ctx);
        let l = lang(ctx);
        if followed_unit_ids
            .as_ref()
            .is_some_and(|u| u.len() > preferences::MAX_FOLLOWED_UNITS)
        {
            return Err(ApiError::new(Code::LimitExceeded, l)
                .with("max", preferences::MAX_FOLLOWED_UNITS as i64)
                .with("field", "followedUnitIds")
                .into());
        }
        let followed_units = match (followed_unit_ids, follow_seats) {
            (Some(_), Some(true)) => {
                return Err(ApiError::invalid(
                    "give either followedUnitIds or followSeats, not both",
                    "indiquez soit followedUnitIds, soit followSeats, pas les deux",
                )
                .with("field", "followSeats")
                .into());
            }
            (Some(ids), _) => Some(Some(ids.into_iter().map(UnitId::from_uuid).collect())),
            (None, Some(true)) => Some(None),
            (None, _) => None,
        };
        let change = Change {
            cadence,
            reminders,
            followed_units,
        };
        {
            let s = state(ctx, None).await?;
            preferences::check(&s.movement, &change).map_err(|e| match e {
                PreferencesError::UnknownUnit(u) => ApiError::invalid(
                    e.to_string(),
                    format!("l'unité {u} n'existe pas dans ce mouvement"),
                )
                .with("field", "followedUnitIds"),
                PreferencesError::TooManyUnits => ApiError::new(Code::LimitExceeded, l)
                    .with("max", preferences::MAX_FOLLOWED_UNITS as i64),
            })?;
        }
        let p = a
            .store
            .set_mail_preferences(a.org, me, change)
            .await
            .map_err(|e| ApiError::store(e, l))?;
        object(ctx, p).await
    }
}
