//! Rows of `web_sessions`: a browser's session, opened by a sign-in link, revocable, with an
//! idle expiry; kept only as a hash of the cookie's secret.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "web_sessions")]
pub struct Model {
    /// SHA-256 of the cookie's secret.
    #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
    pub token_hash: String,
    pub organization_id: Uuid,
    pub member_id: Uuid,
    /// The token every form of this session carries (CSRF).
    #[sea_orm(column_type = "Text")]
    pub csrf: String,
    pub created_at: DateTimeUtc,
    /// Moved forward by use; a session idle for longer than the idle limit is closed.
    pub last_seen_at: DateTimeUtc,
    /// Set by signing out (or by the operator): the cookie stops working at once.
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::members::Entity",
        from = "Column::MemberId",
        to = "super::members::Column::Id",
        fk_name = "fk_web_sessions_member"
    )]
    Member,
}

impl Related<super::members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Member.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
