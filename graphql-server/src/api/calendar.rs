//! Calendar feeds (iCalendar): whether the caller has a private calendar key, and making a new
//! one, which replaces the previous key so that its addresses stop working at once. The key is
//! shown once, with the addresses built on the server's public address and the movement's
//! prefix (`/m/{slug}`, which serves every movement, the default one included).

use super::context::{app, lang, member, state};
use super::{ApiError, ApiResult};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Whether the caller has a calendar key (the key itself is never shown again).
#[derive(Debug, Clone, SimpleObject)]
pub struct CalendarFeeds {
    pub has_key: bool,
    /// When the current key was made.
    pub key_created_at: Option<DateTime<Utc>>,
}

/// A unit's feed address.
#[derive(Debug, Clone, SimpleObject)]
pub struct UnitFeed {
    pub unit_id: Uuid,
    pub unit_name: String,
    pub url: String,
}

/// A new calendar key and the addresses it opens; the key is shown only this once.
#[derive(Debug, Clone, SimpleObject)]
pub struct CalendarKey {
    pub key: String,
    /// The caller's own feed: their mandates' ends, the reports they owe, their bodies'
    /// meetings.
    pub member_feed_url: String,
    /// One feed per active unit: its meetings and mandates' ends.
    pub unit_feeds: Vec<UnitFeed>,
}

/// Reads of calendar feeds.
#[derive(Debug, Default)]
pub struct CalendarQuery;

#[Object]
impl CalendarQuery {
    /// Whether the calling member has a private calendar key.
    async fn calendar_feeds(&self, ctx: &Context<'_>) -> ApiResult<CalendarFeeds> {
        let me = member(ctx)?;
        let a = app(ctx);
        let created = a
            .store
            .calendar_key_created(a.org, me)
            .await
            .map_err(|e| ApiError::store(e, lang(ctx)))?;
        Ok(CalendarFeeds {
            has_key: created.is_some(),
            key_created_at: created,
        })
    }
}

/// Making a calendar key.
#[derive(Debug, Default)]
pub struct CalendarMutation;

#[Object]
impl CalendarMutation {
    /// Makes a new private calendar key for the caller, replacing the previous one (whose
    /// addresses stop working at once), and returns it with the feeds' addresses.
    async fn regenerate_calendar_key(&self, ctx: &Context<'_>) -> ApiResult<CalendarKey> {
        let me = member(ctx)?;
        let a = app(ctx);
        let l = lang(ctx);
        let slug = a
            .store
            .slugs()
            .await
            .map_err(|e| ApiError::store(e, l))?
            .into_iter()
            .find(|(org, _, _)| *org == a.org)
            .map(|(_, slug, _)| slug)
            .ok_or_else(|| ApiError::internal(&"a movement without a slug", l))?;
        let root = format!("{}/m/{}", a.base_url, slug.as_str());
        let key = a
            .store
            .regenerate_calendar_key(a.org, me)
            .await
            .map_err(|e| ApiError::store(e, l))?;
        let s = state(ctx, None).await?;
        let now = super::context::now();
        let unit_feeds = s
            .movement
            .units()
            .filter(|u| u.is_active_at(now))
            .map(|u| UnitFeed {
                unit_id: u.id.as_uuid(),
                unit_name: u.name.as_str().to_owned(),
                url: crate::calendar::unit_feed_url(&root, &key, u.id),
            })
            .collect();
        Ok(CalendarKey {
            member_feed_url: crate::calendar::member_feed_url(&root, &key),
            key,
            unit_feeds,
        })
    }
}
