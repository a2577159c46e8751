//! Rows of `outbox`: one e-mail or webhook delivery, written in the transaction of its cause,
//! claimed under a lease by whichever server sends it, and marked sent or dead.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// Unique: the same cause never queues a second message.
    #[sea_orm(column_type = "Text", unique)]
    pub idempotency_key: String,
    /// `mail` or `webhook`.
    #[sea_orm(column_type = "Text")]
    pub channel: String,
    /// The e-mail address, or the hook's URL.
    #[sea_orm(column_type = "Text")]
    pub recipient: String,
    pub member_id: Option<Uuid>,
    pub webhook_id: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub subject: Option<String>,
    /// The message's text, or the webhook's JSON payload, as it will be sent.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// `pending`, `sending` (claimed until `lease_until`), `sent` or `dead`.
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
