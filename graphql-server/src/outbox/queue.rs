//! The outbox table's moves: queue (once per key), claim under a lease (one server wins each
//! row, even across processes), then sent, or back to pending with a longer wait, or dead.

use super::{Channel, OutboxConfig, Status};
use crate::store::entity::outbox;
use chrono::{DateTime, Utc};
use governance_core::OrganizationId;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

/// A message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewMessage {
    /// What makes it unique: the same key is never queued twice.
    pub key: String,
    pub channel: Channel,
    pub recipient: String,
    pub member: Option<Uuid>,
    pub webhook: Option<Uuid>,
    pub subject: Option<String>,
    pub body: String,
}

/// Queues `messages`, skipping those whose key is queued already; returns how many were new.
pub(crate) async fn enqueue<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    messages: Vec<NewMessage>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut queued = 0;
    for chunk in messages.chunks(200) {
        let rows = chunk.iter().map(|m| outbox::ActiveModel {
            id: Set(crate::store::new_id()),
            organization_id: Set(org.as_uuid()),
            idempotency_key: Set(m.key.clone()),
            channel: Set(m.channel.as_str().to_owned()),
            recipient: Set(m.recipient.clone()),
            member_id: Set(m.member),
            webhook_id: Set(m.webhook),
            subject: Set(m.subject.clone()),
            body: Set(m.body.clone()),
            status: Set(Status::Pending.as_str().to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            lease_until: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            sent_at: Set(None),
        });
        match outbox::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(outbox::Column::IdempotencyKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await
        {
            Ok(n) => queued += n,
            Err(DbErr::RecordNotInserted) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(queued)
}

/// Rows another server may take: pending and due, or claimed by a server whose lease ran out
/// (it died, or hangs).
fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(outbox::Column::Status.eq(Status::Pending.as_str()))
                .add(outbox::Column::NextAttemptAt.lte(now)),
        )
        .add(
            Condition::all()
                .add(outbox::Column::Status.eq(Status::Sending.as_str()))
                .add(outbox::Column::LeaseUntil.lt(now)),
        )
}

/// Claims up to `limit` due messages for this server, each under a lease. The claim is one
/// guarded `UPDATE` per row: of two servers racing for a row, the second updates nothing (on
/// PostgreSQL the guard is evaluated again on the locked row), so a row has one sender at a
/// time.
pub(crate) async fn claim<C: ConnectionTrait>(
    db: &C,
    config: &OutboxConfig,
    channels: &[Channel],
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<outbox::Model>, DbErr> {
    let candidates = outbox::Entity::find()
        .filter(claimable(now))
        .filter(outbox::Column::Channel.is_in(channels.iter().map(|c| c.as_str())))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .limit(limit)
        .all(db)
        .await?;
    let lease_until = now + chrono::Duration::from_std(config.lease).unwrap_or_default();
    let mut claimed = Vec::with_capacity(candidates.len());
    for mut row in candidates {
        let updated = outbox::Entity::update_many()
            .col_expr(
                outbox::Column::Status,
                Expr::value(Status::Sending.as_str()),
            )
            .col_expr(outbox::Column::LeaseUntil, Expr::value(lease_until))
            .col_expr(
                outbox::Column::Attempts,
                Expr::col(outbox::Column::Attempts).add(1),
            )
            .filter(outbox::Column::Id.eq(row.id))
            .filter(claimable(now))
            .exec(db)
            .await?;
        if updated.rows_affected == 1 {
            row.status = Status::Sending.as_str().to_owned();
            row.lease_until = Some(lease_until);
            row.attempts += 1;
            claimed.push(row);
        }
    }
    Ok(claimed)
}

/// Marks a claimed message sent.
pub(crate) async fn mark_sent<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(Status::Sent.as_str()))
        .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// How long to wait after `attempts` failures: the backoff doubled each time, capped at six
/// hours, spread by ±20 % so that messages failing together do not retry together.
pub(crate) fn backoff(config: &OutboxConfig, attempts: i32) -> chrono::Duration {
    use rand::Rng;
    let base = config.backoff.as_millis().min(u128::from(u32::MAX)) as f64;
    let doubled = base * 2f64.powi(attempts.clamp(1, 30) - 1);
    let capped = doubled.min(6.0 * 3600.0 * 1000.0);
    let jitter = rand::rng().random_range(0.8..1.2);
    chrono::Duration::milliseconds((capped * jitter) as i64)
}

/// Records a failed attempt: back to pending after the backoff, or dead after the last attempt
/// or when the failure is permanent (an address that cannot receive, a forbidden target).
pub(crate) async fn mark_failed<C: ConnectionTrait>(
    db: &C,
    config: &OutboxConfig,
    row: &outbox::Model,
    error: &str,
    permanent: bool,
    now: DateTime<Utc>,
) -> Result<Status, DbErr> {
    let dead = permanent || row.attempts >= config.max_attempts;
    let status = if dead { Status::Dead } else { Status::Pending };
    // Errors can quote what a remote server said: kept short.
    let error: String = error.chars().take(500).collect();
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(status.as_str()))
        .col_expr(
            outbox::Column::NextAttemptAt,
            Expr::value(now + backoff(config, row.attempts)),
        )
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(outbox::Column::LastError, Expr::value(Some(error)))
        .filter(outbox::Column::Id.eq(row.id))
        .exec(db)
        .await?;
    Ok(status)
}

/// A message as the API shows it.
#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct Delivery {
    pub id: Uuid,
    /// The idempotency key, also the message's `Message-ID` or the webhook's delivery id.
    pub key: String,
    /// `mail` or `webhook`.
    pub channel: String,
    pub recipient: String,
    pub webhook_id: Option<Uuid>,
    pub subject: Option<String>,
    pub status: Status,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<outbox::Model> for Delivery {
    fn from(r: outbox::Model) -> Self {
        Self {
            id: r.id,
            key: r.idempotency_key,
            channel: r.channel,
            recipient: r.recipient,
            webhook_id: r.webhook_id,
            subject: r.subject,
            status: Status::parse(&r.status).unwrap_or(Status::Pending),
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: r.created_at,
            next_attempt_at: r.next_attempt_at,
            sent_at: r.sent_at,
        }
    }
}

/// A movement's messages, newest first, of one status if asked.
pub async fn deliveries<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    status: Option<Status>,
    channel: Option<Channel>,
    first: u64,
) -> Result<Vec<Delivery>, DbErr> {
    let mut q = outbox::Entity::find().filter(outbox::Column::OrganizationId.eq(org.as_uuid()));
    if let Some(s) = status {
        q = q.filter(outbox::Column::Status.eq(s.as_str()));
    }
    if let Some(c) = channel {
        q = q.filter(outbox::Column::Channel.eq(c.as_str()));
    }
    let rows = q
        .order_by_desc(outbox::Column::CreatedAt)
        .order_by_desc(outbox::Column::Id)
        .limit(first)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Delivery::from).collect())
}

/// The dead letters: messages given up on, newest first.
pub async fn dead_letters<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    channel: Option<Channel>,
    first: u64,
) -> Result<Vec<Delivery>, DbErr> {
    deliveries(db, org, Some(Status::Dead), channel, first).await
}
