//! Rows of `mail_preferences`: how often a member wants their digest, which units they follow,
//! the key of their one-click unsubscribe link, and when their last digest was queued.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_preferences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: Uuid,
    /// `daily`, `weekly` or `never`.
    #[sea_orm(column_type = "Text")]
    pub cadence: String,
    /// Reminders and convocations.
    pub reminders: bool,
    /// A JSON array of unit ids; `None` follows the units the member sits in.
    #[sea_orm(column_type = "Text", nullable)]
    pub followed_units: Option<String>,
    #[sea_orm(column_type = "Text", unique)]
    pub unsubscribe_key: String,
    pub last_digest_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::members::Entity",
        from = "Column::MemberId",
        to = "super::members::Column::Id",
        fk_name = "fk_mail_preferences_member"
    )]
    Member,
}

impl Related<super::members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Member.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
