//! Webhooks and the outbox as the Coordination sees them: registering and disabling hooks, and
//! reading what was sent, what waits, and the dead letters. Only a member with a mandate in
//! force in the Coordination may do any of it: a hook carries the movement's internal events
//! out of it.

use super::context::{app, lang, member, now, state};
use super::{ApiError, ApiResult, Code};
use crate::outbox::webhook::{self, Hook, WebhookError, guard::TargetError};
use crate::outbox::{Channel, Delivery, OutboxConfig, Status};
use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};
use governance_core::messages::Lang;
use uuid::Uuid;

/// A registered webhook. Its secret is shown once, when it is registered.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Webhook")]
pub struct WebhookObject {
    id: Uuid,
    url: String,
    /// A public hook receives only published decisions (R17).
    public: bool,
    events: Vec<String>,
    created_by: Uuid,
    created_at: DateTime<Utc>,
    disabled_at: Option<DateTime<Utc>>,
}

impl From<Hook> for WebhookObject {
    fn from(h: Hook) -> Self {
        Self {
            id: h.id,
            url: h.url,
            public: h.public,
            events: h.events,
            created_by: h.created_by.as_uuid(),
            created_at: h.created_at,
            disabled_at: h.disabled_at,
        }
    }
}

/// A hook just registered, with the secret its receiver checks signatures with.
#[derive(Debug, Clone, SimpleObject)]
pub struct RegisteredWebhook {
    webhook: WebhookObject,
    /// Shown this once; the server keeps it to sign and never shows it again.
    secret: String,
}

/// Which outbox messages to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum DeliveryChannel {
    Mail,
    Webhook,
}

impl From<DeliveryChannel> for Channel {
    fn from(c: DeliveryChannel) -> Self {
        match c {
            DeliveryChannel::Mail => Channel::Mail,
            DeliveryChannel::Webhook => Channel::Webhook,
        }
    }
}

/// The caller, if they may manage hooks; `NOT_ENTITLED` otherwise.
async fn coordinator(ctx: &Context<'_>) -> ApiResult<governance_core::MemberId> {
    let me = member(ctx)?;
    let s = state(ctx, None).await?;
    if !webhook::may_manage(&s.movement, me, now()) {
        return Err(refused(&WebhookError::NotCoordination, lang(ctx)).into());
    }
    Ok(me)
}

fn refused(e: &WebhookError, l: Lang) -> ApiError {
    let french = match e {
        WebhookError::NotCoordination => {
            "seul·e un·e membre de la Coordination, avec un mandat en vigueur, gère les webhooks"
                .to_owned()
        }
        WebhookError::Target(t) => match t {
            TargetError::Invalid(why) => format!("l'URL n'est pas valide : {why}"),
            TargetError::TooLong => "l'URL est trop longue (2048 octets au plus)".to_owned(),
            TargetError::Scheme => "seules les URL http et https sont acceptées".to_owned(),
            TargetError::Credentials => {
                "l'URL ne peut pas contenir d'identifiant ni de mot de passe".to_owned()
            }
            TargetError::Unresolved(h) => format!("le nom {h} ne se résout pas"),
            TargetError::Forbidden(ip) => format!(
                "l'adresse {ip} est locale, privée ou réservée ; l'opérateur n'a pas autorisé de telles cibles"
            ),
        },
        WebhookError::UnknownEvent(name) => format!(
            "événement inconnu {name:?} ; les événements sont {}",
            webhook::EVENTS.join(", ")
        ),
        WebhookError::TooMany => format!(
            "un mouvement a au plus {} webhooks actifs",
            webhook::MAX_HOOKS
        ),
        WebhookError::Unknown(id) => format!("aucun webhook actif avec l'identifiant {id}"),
    };
    let mut error = match e {
        WebhookError::NotCoordination => ApiError::new(Code::NotEntitled, l),
        WebhookError::TooMany => {
            ApiError::new(Code::LimitExceeded, l).with("max", webhook::MAX_HOOKS as i64)
        }
        WebhookError::Unknown(_) => ApiError::new(Code::NotFound, l),
        WebhookError::Target(_) => ApiError::new(Code::Validation, l).with("field", "url"),
        WebhookError::UnknownEvent(_) => ApiError::new(Code::Validation, l).with("field", "events"),
    };
    error.message = match l {
        Lang::Fr => french,
        Lang::En => e.to_string(),
    };
    error
}

fn page(first: Option<i32>, l: Lang) -> ApiResult<u64> {
    let first = first.unwrap_or(50);
    if !(0..=100).contains(&first) {
        return Err(ApiError::new(Code::LimitExceeded, l)
            .with("max", 100)
            .into());
    }
    Ok(first as u64)
}

fn config(ctx: &Context<'_>) -> OutboxConfig {
    app(ctx).store.outbox_config().cloned().unwrap_or_default()
}

#[derive(Default, Debug)]
pub struct WebhooksQuery;

#[Object]
impl WebhooksQuery {
    /// The movement's webhooks, disabled ones included (Coordination only).
    async fn webhooks(&self, ctx: &Context<'_>) -> ApiResult<Vec<WebhookObject>> {
        coordinator(ctx).await?;
        let a = app(ctx);
        let hooks = a
            .store
            .webhooks(a.org)
            .await
            .map_err(|e| ApiError::store(e, lang(ctx)))?;
        Ok(hooks.into_iter().map(WebhookObject::from).collect())
    }

    /// The outbox's messages, newest first: e-mails and webhook deliveries, with their status,
    /// attempts and last error (Coordination only). `first` is at most 100.
    async fn outbox(
        &self,
        ctx: &Context<'_>,
        status: Option<Status>,
        channel: Option<DeliveryChannel>,
        first: Option<i32>,
    ) -> ApiResult<Vec<Delivery>> {
        coordinator(ctx).await?;
        let a = app(ctx);
        let first = page(first, lang(ctx))?;
        a.store
            .outbox_messages(a.org, status, channel.map(Channel::from), first)
            .await
            .map_err(|e| ApiError::store(e, lang(ctx)).into())
    }

    /// The dead letters: messages given up after their last attempt (Coordination only).
    async fn dead_letters(
        &self,
        ctx: &Context<'_>,
        channel: Option<DeliveryChannel>,
        first: Option<i32>,
    ) -> ApiResult<Vec<Delivery>> {
        coordinator(ctx).await?;
        let a = app(ctx);
        let first = page(first, lang(ctx))?;
        a.store
            .outbox_messages(a.org, Some(Status::Dead), channel.map(Channel::from), first)
            .await
            .map_err(|e| ApiError::store(e, lang(ctx)).into())
    }
}

#[derive(Default, Debug)]
pub struct WebhooksMutation;

#[Object]
impl WebhooksMutation {
    /// Registers a URL to receive the movement's events as signed JSON (Coordination only).
    /// `events` defaults to all of them; a `public` hook receives only published decisions. A
    /// URL whose host is loopback, private or reserved is refused unless the operator allowed
    /// such targets.
    async fn register_webhook(
        &self,
        ctx: &Context<'_>,
        url: String,
        events: Option<Vec<String>>,
        public: Option<bool>,
    ) -> ApiResult<RegisteredWebhook> {
        let me = coordinator(ctx).await?;
        let l = lang(ctx);
        if events.as_ref().is_some_and(|e| e.len() > 16) {
            return Err(ApiError::new(Code::LimitExceeded, l)
                .with("max", 16)
                .with("field", "events")
                .into());
        }
        let checked = webhook::check(&config(ctx), &url, events, public.unwrap_or(false))
            .await
            .map_err(|e| refused(&e, l))?;
        let a = app(ctx);
        let (hook, secret) = a
            .store
            .register_webhook(a.org, me, checked)
            .await
            .map_err(|e| ApiError::store(e, l))?
            .map_err(|e| refused(&e, l))?;
        tracing::info!(hook = %hook.id, by = %me, "webhook registered");
        Ok(RegisteredWebhook {
            webhook: hook.into(),
            secret,
        })
    }

    /// Disables a hook: nothing more is queued for it, and what waits is not sent
    /// (Coordination only).
    async fn disable_webhook(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<bool> {
        let me = coordinator(ctx).await?;
        let a = app(ctx);
        let l = lang(ctx);
        let done = a
            .store
            .disable_webhook(a.org, id)
            .await
            .map_err(|e| ApiError::store(e, l))?;
        if !done {
            return Err(refused(&WebhookError::Unknown(id), l).into());
        }
        tracing::info!(hook = %id, by = %me, "webhook disabled");
        Ok(true)
    }
}
