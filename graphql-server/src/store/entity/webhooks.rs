//! Rows of `webhooks`: a URL the movement's Coordination registered to receive events, signed
//! with the hook's own secret; a public hook receives only what outsiders may read.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub url: String,
    /// The HMAC key; the server needs it to sign, so it is kept as it was given out.
    #[sea_orm(column_type = "Text")]
    pub secret: String,
    pub public: bool,
    /// The event names it receives, comma-separated.
    #[sea_orm(column_type = "Text")]
    pub events: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub disabled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
