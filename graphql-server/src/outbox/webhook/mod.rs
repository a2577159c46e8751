//! Webhooks for other tools: a movement's Coordination registers URLs that receive its events
//! as signed JSON, delivered from the outbox (retries, dead letters). A hook marked public
//! receives only what outsiders may read: published decisions (R17).

pub mod guard;
pub mod sign;

use super::caused::HookEvent;
use super::queue::NewMessage;
use super::{Channel, OutboxConfig};
use crate::store::entity::webhooks;
use chrono::{DateTime, Utc};
use governance_core::{MandateStatus, MemberId, Movement, OrganizationId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use uuid::Uuid;

/// The events a hook may ask for.
pub const EVENTS: [&str; 6] = [
    "decision.recorded",
    "mandate.committed",
    "mandate.revoked",
    "mandate.expired",
    "tension.raised",
    "tension.processed",
];

/// The most hooks one movement may have active at once.
pub const MAX_HOOKS: usize = 20;

/// Why a hook was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("only a member of the Coordination, with a mandate in force there, manages webhooks")]
    NotCoordination,
    #[error(transparent)]
    Target(#[from] guard::TargetError),
    #[error("unknown event {0:?}; the events are {events}", events = EVENTS.join(", "))]
    UnknownEvent(String),
    #[error("a movement has at most {MAX_HOOKS} active webhooks")]
    TooMany,
    #[error("no active webhook with id {0}")]
    Unknown(Uuid),
}

/// A hook as the outbox uses it.
#[derive(Debug, Clone)]
pub struct Hook {
    pub id: Uuid,
    pub url: String,
    pub public: bool,
    pub events: Vec<String>,
    pub created_by: MemberId,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

impl From<webhooks::Model> for Hook {
    fn from(r: webhooks::Model) -> Self {
        Self {
            id: r.id,
            url: r.url,
            public: r.public,
            events: r
                .events
                .split(',')
                .filter(|e| !e.is_empty())
                .map(str::to_owned)
                .collect(),
            created_by: MemberId::from_uuid(r.created_by),
            created_at: r.created_at,
            disabled_at: r.disabled_at,
        }
    }
}

impl Hook {
    /// Whether this hook receives `event`: one of its events, and, for a public hook, only what
    /// outsiders may read.
    pub(crate) fn wants(&self, event: &HookEvent) -> bool {
        self.events.iter().any(|e| e == event.name) && (event.public || !self.public)
    }

    /// The delivery of `event` to this hook: the JSON envelope, keyed by hook and subject.
    pub(crate) fn delivery(&self, org: OrganizationId, event: &HookEvent) -> NewMessage {
        let key = format!("hook:{}:{}:{}", self.id, event.name, event.subject);
        let body = json!({
            "delivery": key,
            "event": event.name,
            "movementId": org.to_string(),
            "occurredAt": event.occurred_at.to_rfc3339(),
            "data": event.data,
        })
        .to_string();
        NewMessage {
            key,
            channel: Channel::Webhook,
            recipient: self.url.clone(),
            member: None,
            webhook: Some(self.id),
            subject: Some(event.name.to_owned()),
            body,
        }
    }
}

/// The movement's active hooks.
pub async fn active<C: ConnectionTrait>(db: &C, org: OrganizationId) -> Result<Vec<Hook>, DbErr> {
    hooks(db, org, true).await
}

/// Every hook of the movement, disabled ones included, oldest first.
pub async fn all<C: ConnectionTrait>(db: &C, org: OrganizationId) -> Result<Vec<Hook>, DbErr> {
    hooks(db, org, false).await
}

async fn hooks<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    only_active: bool,
) -> Result<Vec<Hook>, DbErr> {
    let mut q = webhooks::Entity::find().filter(webhooks::Column::OrganizationId.eq(org.as_uuid()));
    if only_active {
        q = q.filter(webhooks::Column::DisabledAt.is_null());
    }
    Ok(q.order_by_asc(webhooks::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(Hook::from)
        .collect())
}

/// Whether `member` may manage the movement's hooks at `at`: a mandate in force in the
/// Coordination.
pub fn may_manage(movement: &Movement, member: MemberId, at: DateTime<Utc>) -> bool {
    movement.coordination().is_some_and(|c| {
        movement
            .mandates_in(c)
            .any(|m| m.holder == member && m.status_at(at) == MandateStatus::InForce)
    })
}

/// A hook to register, checked.
#[derive(Debug, Clone)]
pub struct NewHook {
    pub url: reqwest::Url,
    pub events: Vec<String>,
    pub public: bool,
}

/// Checks what a member asks for, before any write: the URL's form and target, and the events.
pub async fn check(
    config: &OutboxConfig,
    url: &str,
    events: Option<Vec<String>>,
    public: bool,
) -> Result<NewHook, WebhookError> {
    let url = guard::parse(url)?;
    guard::resolve(&url, config.allow_private_hooks).await?;
    let events = match events {
        None => EVENTS.iter().map(|e| (*e).to_owned()).collect(),
        Some(list) => {
            let mut out: Vec<String> = Vec::new();
            for e in list.into_iter().take(EVENTS.len() + 1) {
                if !EVENTS.contains(&e.as_str()) {
                    return Err(WebhookError::UnknownEvent(e.chars().take(64).collect()));
                }
                if !out.contains(&e) {
                    out.push(e);
                }
            }
            out
        }
    };
    Ok(NewHook {
        url,
        events,
        public,
    })
}

/// A new secret, shown once to the member who registers the hook.
fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("whsec_{}", hex::encode(bytes))
}

/// Stores a checked hook; returns it with its secret.
pub async fn register<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    by: MemberId,
    hook: NewHook,
    now: DateTime<Utc>,
) -> Result<Result<(Hook, String), WebhookError>, DbErr> {
    if active(db, org).await?.len() >= MAX_HOOKS {
        return Ok(Err(WebhookError::TooMany));
    }
    let secret = new_secret();
    let row = webhooks::ActiveModel {
        id: Set(crate::store::new_id()),
        organization_id: Set(org.as_uuid()),
        url: Set(hook.url.to_string()),
        secret: Set(secret.clone()),
        public: Set(hook.public),
        events: Set(hook.events.join(",")),
        created_by: Set(by.as_uuid()),
        created_at: Set(now),
        disabled_at: Set(None),
    };
    let stored = webhooks::Entity::insert(row)
        .exec_with_returning(db)
        .await?;
    Ok(Ok((stored.into(), secret)))
}

/// Disables a hook: nothing more is queued for it, and what was queued is not sent.
pub async fn disable<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let done = webhooks::Entity::update_many()
        .col_expr(webhooks::Column::DisabledAt, Expr::value(Some(now)))
        .filter(webhooks::Column::Id.eq(id))
        .filter(webhooks::Column::OrganizationId.eq(org.as_uuid()))
        .filter(webhooks::Column::DisabledAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The secret of a hook still active, for signing a delivery; `None` once it is disabled.
pub(crate) async fn secret_of<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<String>, DbErr> {
    Ok(webhooks::Entity::find_by_id(id)
        .filter(webhooks::Column::DisabledAt.is_null())
        .one(db)
        .await?
        .map(|r| r.secret))
}

/// Why a delivery failed, and whether trying again could help.
#[derive(Debug)]
pub(crate) struct Failed {
    pub message: String,
    pub permanent: bool,
}

/// Posts one delivery: connects to the address the guard checked, follows no redirect, and
/// counts only a 2xx answer as delivered.
pub(crate) async fn deliver(
    config: &OutboxConfig,
    url: &str,
    secret: &str,
    key: &str,
    event: &str,
    body: &str,
) -> Result<(), Failed> {
    let url = guard::parse(url).map_err(|e| Failed {
        message: e.to_string(),
        permanent: true,
    })?;
    let addr = guard::resolve(&url, config.allow_private_hooks)
        .await
        .map_err(|e| Failed {
            permanent: matches!(e, guard::TargetError::Forbidden(_)),
            message: e.to_string(),
        })?;
    // No proxy from the environment either: it would connect where the guard did not look.
    let mut client = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .user_agent("Gouvernail-Webhook/1");
    if let Some(host) = url.host_str() {
        // The name is pinned to the address checked: no second lookup.
        client = client.resolve(host, addr);
    }
    let client = client.build().map_err(|e| Failed {
        message: e.to_string(),
        permanent: false,
    })?;
    let t = Utc::now().timestamp();
    let answer = client
        .post(url)
        .header("Content-Type", "application/json")
        .header("X-Gouvernail-Event", event)
        .header("X-Gouvernail-Delivery", key)
        .header("X-Gouvernail-Signature", sign::signature(secret, t, body))
        .body(body.to_owned())
        .send()
        .await
        .map_err(|e| Failed {
            message: format!("{e}"),
            permanent: false,
        })?;
    let status = answer.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(Failed {
            message: format!("the hook answered {status}"),
            permanent: false,
        })
    }
}
